"""One source text, one translation (the same message translated once in a run, a translation
the project already has shown as the reference) and length limits (XLIFF maxwidth, the job's
max_length by key pattern and max_length_ratio: a longer answer is asked again, then left for
review, never cut), through the loopback server."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

from catalog_data import FORMATS, asked, copy_tree
from fake_translator import LONG, FakeTranslator, translate_text

from pipeline.catalogs import open_catalog
from pipeline.catalogs.lock import TranslationLock, lock_path


def write_json(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def system_text(request) -> str:
    return next(m["content"] for m in request.body["messages"] if m["role"] == "system")


# -- one source text, one translation -----------------------------------------------------------

SHARED = {"save": "Save", "dialog": {"save": "Save", "cancel": "Cancel"},
          "menu": {"cancel": "Cancel", "quit": "Quit"}, "toolbar": {"save": "Save"}}


def test_the_same_text_under_several_keys_is_translated_once(translate, tmp_path, fake):
    source = write_json(tmp_path / "locales/en.json", SHARED)
    result = translate(source)
    assert result.exit_code == 0, result.output
    assert sorted(e["text"] for e in asked(fake)) == ["Cancel", "Quit", "Save"]
    assert len(fake.requests) == 1
    assert "entries: 6 to translate: 6 translated" in result.stderr
    assert "requests: 1 for 3 entries" in result.stderr
    assert "reused: 3 entries share a translated text" in result.stderr
    french = read_json(tmp_path / "locales/fr.json")
    save, cancel = translate_text("Save", "fr"), translate_text("Cancel", "fr")
    assert french == {"save": save, "dialog": {"save": save, "cancel": cancel},
                      "menu": {"cancel": cancel, "quit": translate_text("Quit", "fr")},
                      "toolbar": {"save": save}}
    lock = TranslationLock.read(lock_path(source))  # each key recorded, as ours
    assert len(lock.keys("fr")) == 6
    assert {m.origin for m in lock.made.values()} == {"ours"}
    again = translate(source)
    assert again.exit_code == 0 and len(fake.requests) == 1


def test_the_estimate_counts_a_shared_text_as_not_sent(translate, tmp_path, fake):
    source = write_json(tmp_path / "locales/en.json", SHARED)
    estimated = translate(source, "--estimate")
    assert estimated.exit_code == 0, estimated.output
    assert ("fr: 6 entries to translate in 1 request(s) (0 already answered in the journal; "
            "3 take the translation of an entry with the same text, not sent)"
            in estimated.stdout)
    unique = write_json(tmp_path / "other/en.json",  # only the keys sent
                        {"save": "Save", "dialog": {"cancel": "Cancel"}, "menu": {"quit": "Quit"}})
    alone = translate(unique, "--estimate")
    tokens = [int(re.search(r"prompt tokens: ([\d,]+)", out.stdout).group(1).replace(",", ""))
              for out in (estimated, alone)]
    assert tokens[0] == tokens[1]  # the same three entries are sent (their keys aside)
    assert len(fake.requests) == 0


def test_gettext_contexts_qt_disambiguations_and_different_notes_are_other_messages(
        translate, tmp_path, fake, write):
    pot = write("messages.pot", """\
        msgid ""
        msgstr ""
        "Content-Type: text/plain; charset=UTF-8\\n"

        msgctxt "verb"
        msgid "Open"
        msgstr ""

        msgctxt "adjective"
        msgid "Open"
        msgstr ""

        msgid "Close"
        msgstr ""
        """)
    result = translate(pot)
    assert result.exit_code == 0, result.output
    assert sorted((e["text"], e.get("context")) for e in asked(fake)) == [
        ("Close", None), ("Open", "adjective"), ("Open", "verb")]
    assert "reused" not in result.stderr
    arb = write_json(tmp_path / "l10n/app_en.arb", {
        "@@locale": "en",
        "save": "Save", "@save": {"description": "A button that saves the document"},
        "saveAs": "Save", "@saveAs": {"description": "A button that saves the document"},
        "keep": "Save", "@keep": {"description": "Put money aside, on the savings screen"}})
    before = len(asked(fake))
    result = translate(arb)
    assert result.exit_code == 0, result.output
    sent = asked(fake)[before:]
    assert [e["text"] for e in sent] == ["Save", "Save"]  # one per meaning the notes give
    assert "reused: 1 entries share a translated text" in result.stderr
    written = read_json(tmp_path / "l10n/app_fr.arb")
    assert written["save"] == written["saveAs"] == written["keep"] == translate_text("Save", "fr")
    ts = write("qt/app_en.ts", """\
        <?xml version="1.0" encoding="utf-8"?>
        <!DOCTYPE TS>
        <TS version="2.1" language="en_US">
        <context>
            <name>FileMenu</name>
            <message>
                <source>Open</source>
                <translation type="unfinished"></translation>
            </message>
        </context>
        <context>
            <name>Toolbar</name>
            <message>
                <source>Open</source>
                <translation type="unfinished"></translation>
            </message>
        </context>
        <context>
            <name>ShopStatus</name>
            <message>
                <source>Open</source>
                <comment>the shop is open (adjective)</comment>
                <translation type="unfinished"></translation>
            </message>
        </context>
        </TS>
        """)
    before = len(asked(fake))
    result = translate(ts)
    assert result.exit_code == 0, result.output
    sent = asked(fake)[before:]
    # a Qt context (a class) is where a text is; its disambiguating <comment> is a meaning
    assert [e["context"] for e in sent] == ["FileMenuOpen",
                                            "ShopStatus\nthe shop is open (adjective)Open"]
    assert "reused: 1 entries share a translated text" in result.stderr
    assert (tmp_path / "qt/app_fr.ts").read_text(encoding="utf-8").count(
        f"<translation type=\"unfinished\">{translate_text('Open', 'fr')}</translation>") == 3


def test_a_refused_text_leaves_every_key_sharing_it_for_review(translate, tmp_path, fake):
    source = write_json(tmp_path / "locales/en.json",
                        {"greet": "Hello {{name}}", "again": {"greet": "Hello {{name}}"},
                         "bye": "Bye"})
    result = translate(source, translator=FakeTranslator(sabotage={"Hello": "drop"}, times=99))
    assert result.exit_code == 1, result.output
    hello = [e for e in asked(fake) if e["text"] == "Hello {{name}}"]
    assert len(hello) == 2  # packed, then alone (the same answer again: not a third time);
    # the other key is never sent
    reason = "the translation must keep every placeholder of the source exactly (missing " \
             "{{name}})"
    lines = [line for line in result.stderr.splitlines() if "left for review: " in line]
    assert len(lines) == 2
    assert lines[0].startswith(f'  left for review: "Hello {{{{name}}}}" (greet): {reason}')
    assert lines[1].startswith(f'  left for review: "Hello {{{{name}}}}" (again.greet): {reason}')
    assert lines[1].endswith(lines[0].split(": ", 2)[2] + ' (the same text as "Hello {{name}}" '
                             "(greet), translated once for both)")
    assert "2 left for review" in result.stderr
    assert read_json(tmp_path / "locales/fr.json") == {  # (i18next keeps the empty object)
        "again": {}, "bye": translate_text("Bye", "fr")}


def test_a_shared_translation_is_held_to_each_keys_own_limit(translate, tmp_path, fake,
                                                              write):
    source = write_json(tmp_path / "locales/en.json",
                        {"title": {"save": "Save changes"}, "button": {"save": "Save changes"}})
    job = write("translate.toml", f"""\
        catalog = "{source}"
        to = ["fr"]
        [max_length]
        "button.*" = 16
        """)
    result = translate(job, translator=FakeTranslator(
        rewrite=lambda reply: reply.replace("[fr] Save changes", "Enregistrer les modifs")))
    # every reply rewritten: the shared one is 22 characters, over the button's 16
    assert result.exit_code == 1, result.output
    sent = asked(fake)
    assert [e["text"] for e in sent] == ["Save changes"] * 2  # the title; the button alone
    assert "max_length" not in sent[0] and sent[1]["max_length"] == 16
    assert sent[1]["previous_attempt"] == ["Enregistrer les modifs"]
    assert sent[1]["problems"] == [
        "the translation is 22 characters long; at most 16 are allowed (the job's max_length "
        '"button.*" = 16): give a shorter translation that still says it all, do not cut it '
        "off"]
    french = read_json(tmp_path / "locales/fr.json")
    assert french == {"title": {"save": "Enregistrer les modifs"}, "button": {}}  # never cut
    assert "reused" not in result.stderr


# -- references -----------------------------------------------------------------------------------

def test_a_translation_the_target_has_of_the_same_text_is_shown_as_the_reference(
        translate, tmp_path, fake):
    source = write_json(tmp_path / "locales/en.json",
                        {"file": {"save": "Save"}, "toolbar": {"save": "Save"}, "quit": "Quit"})
    write_json(tmp_path / "locales/fr.json", {"file": {"save": "Enregistrer"}})
    result = translate(source)
    assert result.exit_code == 0, result.output
    sent = {e["text"]: e for e in asked(fake)}
    assert sorted(sent) == ["Quit", "Save"]
    assert sent["Save"]["reference"] == {"key": "file.save", "translation": ["Enregistrer"]}
    assert "reference" not in sent["Quit"]
    assert 'An entry with "reference" has the same text' in system_text(fake.requests[0])
    assert 'An entry with "max_length"' not in system_text(fake.requests[0])


def test_a_sibling_catalogs_translation_is_shown_as_the_reference(translate, tmp_path, fake):
    """i18next namespaces: locales/en/app.json beside locales/en/common.json, whose French
    catalog already has the text; a stale one (its lock says it was made from other text)
    is not shown."""
    common = write_json(tmp_path / "locales/en/common.json",
                        {"save": "Save", "close": "Close"})
    write_json(tmp_path / "locales/fr/common.json", {"save": "Enregistrer", "close": "Fermer"})
    lock = TranslationLock(lock_path(common))
    entries = {e.key: e for e in open_catalog(common).entries()}
    lock.record("fr", replace(entries["close"], source="Close the window"), ["Fermer"],
                origin="ours")
    lock.write()
    source = write_json(tmp_path / "locales/en/app.json",
                        {"toolbar": {"save": "Save", "close": "Close"}})
    result = translate(source)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "locales/fr/app.json").exists()
    sent = {e["text"]: e for e in asked(fake)}
    assert sent["Save"]["reference"] == {"key": "fr/common.json: save",
                                         "translation": ["Enregistrer"]}
    assert "reference" not in sent["Close"]  # stale in its own catalog: no reference


def test_an_android_sibling_values_file_gives_its_translations_as_references(
        translate, tmp_path, fake, write):
    """The real barcode scanner strings.xml and its French values-fr/strings.xml are the
    siblings of a new values/dialogs.xml; the lock-less French file is taken as current."""
    res = copy_tree("android/cordova-plugin-barcodescanner/res", tmp_path)
    source = write("android/cordova-plugin-barcodescanner/res/values/dialogs.xml", """\
        <?xml version="1.0" encoding="utf-8"?>
        <resources>
          <string name="dialog_cancel">Cancel</string>
          <string name="dialog_share_sms">Share via SMS</string>
          <string name="dialog_later">Scan again later</string>
        </resources>
        """)
    result = translate(source)
    assert result.exit_code == 0, result.output
    assert (res / "values-fr/dialogs.xml").exists()
    sent = {e["text"]: e for e in asked(fake)}
    assert sent["Cancel"]["reference"] == {"key": "values-fr/strings.xml: button_cancel",
                                           "translation": ["Annuler"]}
    assert sent["Share via SMS"]["reference"] == {
        "key": "values-fr/strings.xml: button_share_by_sms", "translation": ["Partager par SMS"]}
    assert "reference" not in sent["Scan again later"]


def test_files_of_other_languages_beside_the_source_are_not_siblings(translate, tmp_path, fake):
    source = write_json(tmp_path / "locales/en.json", {"save": "Save"})
    write_json(tmp_path / "locales/de.json", {"save": "Speichern"})
    write_json(tmp_path / "locales/de.fr.json", {"save": "Enregistrer"})  # not a French file
    result = translate(source)
    assert result.exit_code == 0, result.output
    assert "reference" not in asked(fake)[0]


# -- length limits ---------------------------------------------------------------------------------

def xliff_with_widths(tmp_path: Path, widths: dict[str, str]) -> Path:
    """The real Symfony validators catalog, with attributes added to some trans-units."""
    folder = tmp_path / "translations"
    folder.mkdir()
    source = folder / "validators.en.xlf"
    shutil.copyfile(FORMATS / "xliff/Resources/translations/validators.en.xlf", source)
    text = source.read_text(encoding="utf-8")
    for unit, attributes in widths.items():
        text = text.replace(f'<trans-unit id="{unit}">', f'<trans-unit id="{unit}" {attributes}>')
    source.write_text(text, encoding="utf-8")
    return source


def test_xliff_maxwidth_in_characters_holds_each_unit(translate, tmp_path, fake):
    source = xliff_with_widths(tmp_path, {
        "1": 'maxwidth="20" size-unit="char"',   # "[fr] This value should be false." is 32
        "2": 'maxwidth="40" size-unit="char"',   # 31: fits, once the wordy answer is refused
        "3": 'maxwidth="10"',                    # pixels (XLIFF's default unit): not ours
        "6": 'maxwidth="50" size-unit="char"'})  # Symfony's forms: 49 and 45, each held
    result = translate(source, "--limit", "6", translator=FakeTranslator(
        sabotage={"should be true": "long"}))
    assert result.exit_code == 1, result.output
    sent = asked(fake)
    packed = {e["text"]: e for e in sent[:6]}
    assert packed["This value should be false."]["max_length"] == 20
    assert packed["This value should be true."]["max_length"] == 40
    assert "max_length" not in packed["This value should be of type {{ type }}."]
    assert "max_length" not in packed["This value should be blank."]
    retried = [e["text"] for e in sent[6:]]
    assert sorted(retried) == ["This value should be false.", "This value should be true."]
    true_retry = next(e for e in sent[6:] if e["text"] == "This value should be true.")
    assert true_retry["problems"] == [
        f"the translation is {len(translate_text('This value should be true.', 'fr') + LONG)} "
        "characters long; at most 40 are allowed (the catalog's maxwidth of 40 characters): "
        "give a shorter translation that still says it all, do not cut it off"]
    written = (tmp_path / "translations/validators.fr.xlf").read_text(encoding="utf-8")
    unit_1 = re.search(r'<trans-unit id="1".*?</trans-unit>', written, re.S).group(0)
    assert "<target" not in unit_1  # left for review, the reason in its note; never cut
    assert "pipeline: not translated: the translation is 32 characters long; at most 20" \
        in unit_1
    unit_2 = re.search(r'<trans-unit id="2".*?</trans-unit>', written, re.S).group(0)
    assert f"<target state=\"translated\">{translate_text('This value should be true.', 'fr')}" \
           "</target>" in unit_2
    assert 'maxwidth="40" size-unit="char"' in unit_2  # the attributes stay
    unit_6 = re.search(r'<trans-unit id="6".*?</trans-unit>', written, re.S).group(0)
    choices = "You must select at least {{ limit }} choice.|You must select at least " \
              "{{ limit }} choices."
    assert f"<target state=\"translated\">{translate_text(choices, 'fr')}</target>" in unit_6
    assert "(1 of them after a retry alone)" in result.stderr


def test_a_maxwidth_that_is_not_a_number_is_an_error_before_anything_is_sent(
        translate, tmp_path, fake):
    source = xliff_with_widths(tmp_path, {"4": 'maxwidth="wide" size-unit="char"'})
    result = translate(source)
    assert result.exit_code == 2
    assert (f"catalog {source}: trans-unit '4' has maxwidth=\"wide\": give the most "
            "characters its target may have, a whole number") in result.output
    assert len(fake.requests) == 0


def test_max_length_by_key_pattern_and_ratio_in_a_job(translate, tmp_path, fake, write):
    source = write_json(tmp_path / "locales/en.json", {
        "button": {"ok": "OK", "save": "Save the document"},
        "title": "Your shopping cart is empty",
        "count": {"files_one": "{{count}} file", "files_other": "{{count}} files"}})
    job = write("translate.toml", f"""\
        catalog = "{source}"
        to = ["fr"]
        max_length_ratio = 1.5
        [max_length]
        "button.*" = 24
        "count.*" = 19
        """)
    result = translate(job, translator=FakeTranslator(sabotage={"Save the": "long"}))
    assert result.exit_code == 1, result.output
    sent = asked(fake)
    packed = {e["text"]: e for e in sent[:4]}
    assert packed["OK"]["max_length"] == 3  # 1.5 x 2: tighter than button.*'s 20
    assert packed["Save the document"]["max_length"] == 24  # tighter than 1.5 x 17
    assert packed["Your shopping cart is empty"]["max_length"] == 40  # 1.5 x 27
    assert packed["{{count}} file"]["max_length"] == 19
    french = read_json(tmp_path / "locales/fr.json")
    assert french == {"button": {"save": translate_text("Save the document", "fr")},
                      "title": translate_text("Your shopping cart is empty", "fr"),
                      "count": {}}  # nothing cut to fit
    assert ("left for review: \"OK\" (button.ok): the translation is 7 characters long; at "
            "most 3 are allowed (the job's max_length_ratio 1.5 times the source's 2 "
            "characters)") in result.stderr
    plural = next(line for line in result.stderr.splitlines() if "(count.files)" in line)
    for form in ("one", "many", "other"):  # each plural form held to the limit
        assert f"the {form} form is 20 characters long; at most 19" in plural
    assert "(1 of them after a retry alone)" in result.stderr


def test_max_length_settings_are_checked(translate, tmp_path, fake, write):
    source = write_json(tmp_path / "locales/en.json", {"ok": "OK"})
    result = translate(source, "--set", "max_length_ratio=0")
    assert result.exit_code == 2
    assert "max_length_ratio" in result.output
    result = translate(source, "--set", 'max_length={"button.*" = 0}')
    assert result.exit_code == 2
    assert 'max_length "button.*" = 0: give the most characters a translation may have' \
        in result.output
    assert len(fake.requests) == 0
