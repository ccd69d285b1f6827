"""Catalogs that stay current, in every app format: real catalogs (tests/data/formats/*,
SOURCE.txt) translated through the loopback server, then a release changes two source
strings and removes one key, and a person edits one translation whose source changed. The
next run translates again exactly the one whose translation is still ours (the earlier one
shown to the model), keeps the person's, reports it and marks it for review where the format
has a state, and prunes the removed key; `--check` lists exactly those differences before
the run and only the kept one after."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from catalog_data import asked, copy_tree, written_forms
from fake_translator import FakeTranslator, translate_text
from lxml import etree

from pipeline.catalogs import open_catalog
from pipeline.catalogs.base import display_key, display_key_text
from pipeline.catalogs.lock import TranslationLock, forms_hash, lock_path, source_text
from pipeline.catalogs.xcstrings import dump as dump_xcstrings

#: What a person writes over our translation.
PERSON = "Traduction relue"


def numbered(content: str) -> str:
    """A translator whose plural forms differ (`... (1)`, `... (2)`): a translation read back
    with its forms in another order than written is not ours."""
    reply = json.loads(content)
    for item in reply["translations"]:
        if len(item["forms"]) > 1:
            item["forms"] = [f"{form} ({n})" for n, form in enumerate(item["forms"], 1)]
    return json.dumps(reply, ensure_ascii=False)


def replace_in(path: Path, old: str, new: str, *, regex: bool = False) -> None:
    """Edit a file's text where `old` stands (it must be there)."""
    text = path.read_text(encoding="utf-8")
    changed, count = (re.subn(old, new, text, flags=re.S) if regex
                      else (text.replace(old, new), text.count(old)))
    assert count, f"{old!r} is not in {path}"
    path.write_text(changed, encoding="utf-8")


@dataclass
class Release:
    """A format's catalog, and what the next release and a person do to it."""

    name: str
    fmt: str
    #: Copied from tests/data/formats (a folder, or the source file alone).
    data: str
    #: The source catalog and the target written for `language`, under the copy.
    source: str
    target: str
    #: Entry keys: changed under our translation; changed under a person's; removed.
    changed: str
    edited: str
    removed: str
    #: The release: source edits (old, new), and the removal (a pattern, and what it
    #: becomes).
    edits: list[tuple[str, str]]
    removal: str
    removed_to: str = ""
    language: str = "fr"
    args: tuple[str, ...] = ()
    #: The edited entry's review state, as the target file says it (formats with one).
    state: Callable[[Path], str | None] | None = None
    #: What a reviewer's tool does when the translation is reviewed: the mark cleared.
    review: Callable[[Path], None] | None = None
    marked: str | None = None
    #: Where the edits are not plain text replacements (a JSON file whose texts repeat):
    #: the release's edits of the source, and the person's of the target.
    edit_source: Callable[[Path], None] | None = None
    edit_target: Callable[[Path], None] | None = None


def _xml_child(path: Path, unit: str, xpath: str) -> etree._Element:
    root = etree.parse(str(path)).getroot()
    found = root.xpath(f"//*[@id='{unit}']/{xpath}")
    assert len(found) == 1, (unit, xpath)
    return found[0]


def _xliff_state(path: Path) -> str | None:
    return _xml_child(path, "4", "*[local-name()='target']").get("state")


def _xliff_reviewed(path: Path) -> None:
    replace_in(path, 'state="needs-review-translation"', 'state="translated"')


def _xliff2_state(path: Path) -> str | None:
    return _xml_child(path, "sbbDatepickerOpenCalendar", "*[local-name()='segment']").get(
        "state")


def _xliff2_reviewed(path: Path) -> None:
    replace_in(path, 'state="initial"', 'state="reviewed"')


def _xcstrings_plural(path: Path, key: str, language: str,
                      change: Callable[[dict], None] | None = None) -> dict:
    """A string's plural cases in one language (changed by `change`, and written back as
    Xcode lays the file out)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    cases = document["strings"][key]["localizations"][language]["variations"]["plural"]
    if change is not None:
        change(cases)
        path.write_text(dump_xcstrings(document) + "\n", encoding="utf-8")
    return cases


def _xcstrings_release(path: Path) -> None:
    def other(text: str) -> Callable[[dict], None]:
        return lambda cases: cases["other"]["stringUnit"].update(value=text)
    _xcstrings_plural(path, "MAP_A11Y_VALUE_ROADS", "en", other("%d streets visible"))
    _xcstrings_plural(path, "MAP_A11Y_VALUE_ANNOTATIONS", "en", other("%d markers visible"))


def _xcstrings_person(path: Path) -> None:
    def person(cases: dict) -> None:
        for case in cases.values():
            case["stringUnit"]["value"] = PERSON
    _xcstrings_plural(path, "MAP_A11Y_VALUE_ANNOTATIONS", "de", person)


def _xcstrings_states(path: Path) -> str | None:
    cases = _xcstrings_plural(path, "MAP_A11Y_VALUE_ANNOTATIONS", "de")
    states = {case["stringUnit"]["state"] for case in cases.values()}
    return states.pop() if len(states) == 1 else str(sorted(states))


def _xcstrings_reviewed(path: Path) -> None:
    def reviewed(cases: dict) -> None:
        for case in cases.values():
            case["stringUnit"]["state"] = "translated"
    _xcstrings_plural(path, "MAP_A11Y_VALUE_ANNOTATIONS", "de", reviewed)


WEECHAT = "android/fdroidserver-weechat/app/src/main/res"
QB = "apple/react-native-image-crop-picker/ios/QBImagePicker/QBImagePicker"
IOS = "apple/mapbox-gl-native/package/platform/ios/resources"
REGEX = "properties/org/apache/xerces/impl/xpath/regex"
NUGET = "resx/mono/external/nuget-buildtasks/src/Microsoft.NuGet.Build.Tasks"
PYARB = "arb/pyarb/pyarb-1.2.0/src/pyARB/localization/arbs"

RELEASES = [
    Release(
        "android", "android", f"{WEECHAT}/values/strings.xml", f"{WEECHAT}/values/strings.xml",
        f"{WEECHAT}/values-fr/strings.xml",
        changed="dialog__nicklist__n_users", edited="error__pref_validation__ssh_host_not_set",
        removed="error__etc__no_hot_buffers",
        edits=[("%1$d users</item>", "%1$d people</item>"),
               (">SSH host is not set<", ">SSH host is missing<")],
        removal=r'\n *<string name="error__etc__no_hot_buffers">[^<]*</string>'),
    Release(
        "apple", "apple", f"{QB}/en.lproj/QBImagePicker.strings",
        f"{QB}/en.lproj/QBImagePicker.strings", f"{QB}/fr.lproj/QBImagePicker.strings",
        changed="permission.choose_more", edited="permission.change_settings",
        removed="permission.manage",
        edits=[('"Select More Photos"', '"Select More Items"'),
               ('"Change Settings"', '"Open Settings"')],
        removal=r'\n"permission\.manage" = "[^"]*";'),
    Release(
        "stringsdict", "stringsdict", f"{IOS}/en.lproj/Localizable.stringsdict",
        f"{IOS}/en.lproj/Localizable.stringsdict", f"{IOS}/fr.lproj/Localizable.stringsdict",
        changed="MAP_A11Y_VALUE_ROADS\x1fcount", edited="MAP_A11Y_VALUE_ANNOTATIONS\x1fcount",
        removed="MAP_A11Y_VALUE_ZOOM\x1flevel",
        edits=[("%d roads visible", "%d streets visible"),
               ("%d annotations visible", "%d markers visible")],
        removal=r"\n\t<key>MAP_A11Y_VALUE_ZOOM</key>\n\t<dict>.*?\n\t</dict>"),
    Release(
        "xcstrings", "xcstrings", "apple/xcstrings/Localizable.xcstrings",
        "apple/xcstrings/Localizable.xcstrings", "apple/xcstrings/Localizable.xcstrings",
        language="de",
        changed="MAP_A11Y_VALUE_ROADS\x1fvariations\x1fplural",
        edited="MAP_A11Y_VALUE_ANNOTATIONS\x1fvariations\x1fplural", removed="COORD_DMS",
        edits=[], edit_source=_xcstrings_release, edit_target=_xcstrings_person,
        # Xcode marks a string the code no longer has stale; it stays in the file.
        removal=r'("COORD_DMS" : \{\n[^\n]*\n\s*"extractionState" : )"manual"',
        removed_to=r'\1"stale"',
        state=_xcstrings_states, review=_xcstrings_reviewed, marked="needs_review"),
    Release(
        "properties", "properties", f"{REGEX}/message.properties", f"{REGEX}/message.properties",
        f"{REGEX}/message_fr.properties",
        changed="parser.parse.1", edited="parser.atom.5", removed="parser.parse.2",
        edits=[("=Wrong character.", "=Unexpected character."),
               ("=Unknown property.", "=Unknown Unicode property.")],
        removal=r"\nparser\.parse\.2=[^\n]*"),
    Release(
        "yaml", "yaml", "yaml/devise/config/locales/en.yml", "yaml/devise/config/locales/en.yml",
        "yaml/devise/config/locales/fr.yml",
        changed="errors->messages->not_saved", edited="devise->failure->inactive",
        removed="devise->failure->locked",
        edits=[("%{count} errors prohibited", "%{count} problems prohibited"),
               ('"Your account is not activated yet."', '"Your account is not active yet."')],
        removal=r"\n *locked: [^\n]*"),
    Release(
        "xliff", "xliff", "xliff/Resources/translations/validators.en.xlf",
        "xliff/Resources/translations/validators.en.xlf",
        "xliff/Resources/translations/validators.fr.xlf",
        changed="file.ext\x041", edited="file.ext\x044", removed="file.ext\x042",
        edits=[("<source>This value should be false.</source>",
                "<source>This value should be false, not true.</source>"),
               ("<source>This value should be blank.</source>",
                "<source>This value should be empty.</source>")],
        removal=r'\n *<trans-unit id="2">.*?</trans-unit>',
        state=_xliff_state, review=_xliff_reviewed, marked="needs-review-translation"),
    Release(
        "xliff2", "xliff2", "xliff2/sbb-esta-angular/package/i18n/xlf2/messages.xlf",
        "xliff2/sbb-esta-angular/package/i18n/xlf2/messages.xlf",
        "xliff2/sbb-esta-angular/package/i18n/xlf2/messages.fr.xlf", args=("--from", "en-CH"),
        changed="sbbAlertCloseAlert", edited="sbbDatepickerOpenCalendar",
        removed="sbbBreadcrumbExpand",
        edits=[("<source>Close message</source>", "<source>Dismiss message</source>"),
               ("<source>Show calendar</source>", "<source>Open calendar</source>")],
        removal=r'\n *<unit id="sbbBreadcrumbExpand">.*?</unit>',
        state=_xliff2_state, review=_xliff2_reviewed, marked="initial"),
    Release(
        "resx", "resx", f"{NUGET}/Strings.resx", f"{NUGET}/Strings.resx",
        f"{NUGET}/Strings.fr.resx",
        changed="PreprocessedDirectoryNotSet", edited="NoTargetsInLockFileForProjectJson",
        removed="PackageFolderNotFound",
        edits=[("must be set in order to consume", "must be set to consume"),
               ("could be found in the lock file.", "were found in the lock file.")],
        removal=r'\n *<data name="PackageFolderNotFound".*?</data>'),
    Release(
        "arb", "arb", f"{PYARB}/en_US.arb", f"{PYARB}/en_US.arb", f"{PYARB}/lv.arb",
        language="lv",
        changed="followersCount", edited="cancel", removed="no",
        edits=[('"{amount} Followers"', '"{amount} Fans"'), ('"Cancel"', '"Cancel request"')],
        removal=r'\n  "no": "No",\n  "@no": \{\},'),
]


def _forms(release: Release, folder: Path) -> dict[str, list[str]]:
    return written_forms(release.fmt, folder / release.target, release.language)


def _check(translate, source: Path, release: Release, translator) -> dict:
    result = translate(source, "--to", release.language, *release.args, "--check", "--json",
                       translator=translator)
    report = json.loads(result.stdout)
    (language,) = report["languages"]
    return {"exit": result.exit_code, **{k: language[k] for k in
                                         ("missing", "stale", "review", "orphaned")}}


def _changed_lines(before: str, after: str) -> tuple[int, int]:
    """How many hunks and lines a rewrite changed (a re-laid file changes hundreds)."""
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), n=0,
                                     lineterm=""))
    hunks = sum(1 for line in diff if line.startswith("@@"))
    lines = sum(1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))
    return hunks, lines


@pytest.mark.parametrize("release", RELEASES, ids=lambda r: r.name)
def test_a_release_updates_ours_keeps_a_persons_and_prunes_the_removed(
        translate, tmp_path, fake, release):
    copy_tree(release.data, tmp_path)
    source, target = tmp_path / release.source, tmp_path / release.target
    translator = FakeTranslator(language=release.language, rewrite=numbered)

    def run(*args: str):
        return translate(source, "--to", release.language, *release.args, *args,
                         translator=translator)

    first = run()
    assert first.exit_code == 0, first.output
    assert _check(translate, source, release, translator)["exit"] == 0
    before = {e.key: e for e in open_catalog(source, release.fmt).entries()}
    written = _forms(release, tmp_path)
    lock = TranslationLock.read(lock_path(source))
    made = {key: m for (language, key), m in lock.made.items() if language == release.language}
    assert {release.changed, release.edited, release.removed} <= made.keys()
    for key, translation in written.items():
        if key in made:  # what the lock says we wrote is what the target reads back as
            assert made[key].translation == forms_hash(translation), key

    # The release: two source strings changed, one key removed.
    for old, new in release.edits:
        replace_in(source, old, new)
    if release.edit_source is not None:
        release.edit_source(source)
    replace_in(source, release.removal, release.removed_to, regex=True)
    # A person's review of one translation whose source changed.
    if release.edit_target is not None:
        release.edit_target(target)
    for text in written[release.edited] if release.edit_target is None else ():
        replace_in(target, text, PERSON)
    after = {e.key: e for e in open_catalog(source, release.fmt).entries()}
    assert release.removed not in after and release.changed in after

    checked = _check(translate, source, release, translator)
    assert checked == {
        "exit": 1, "missing": [], "review": [], "orphaned": [display_key_text(release.removed)],
        "stale": [{"key": display_key(after[key]), "was": source_text(before[key]),
                   "now": source_text(after[key]), "ours": key == release.changed}
                  for key in after if key in (release.changed, release.edited)]}

    sent_before = len(asked(fake))
    kept = target.read_text(encoding="utf-8")
    second = run("--prune")
    assert second.exit_code == 1, second.output  # the person's translation: for review
    sent = asked(fake)[sent_before:]
    assert [e["text"] for e in sent] == [after[release.changed].source]
    assert sent[0]["earlier_source"] == source_text(before[release.changed])
    assert sent[0]["earlier_translation"] == written[release.changed]
    now = _forms(release, tmp_path)
    changed = after[release.changed]
    assert now[release.changed][0].startswith(
        translate_text(changed.source_plural or changed.source, release.language))
    assert now[release.edited] == [PERSON] * len(written[release.edited])
    assert release.removed not in now
    assert "(1 pruned)" in second.stderr
    assert f"stale, kept: {display_key(after[release.edited])}" in second.stderr
    hunks, lines = _changed_lines(kept, target.read_text(encoding="utf-8"))
    assert hunks <= 6 and lines <= 40, (hunks, lines)
    if release.state is not None:
        assert release.state(target) == release.marked

    left = _check(translate, source, release, translator)
    assert left == {"exit": 1, "missing": [], "review": [], "orphaned": [],
                    "stale": [{"key": display_key(after[release.edited]),
                               "was": source_text(before[release.edited]),
                               "now": source_text(after[release.edited]), "ours": False}]}
    if release.review is not None:
        release.review(target)  # a reviewer takes the translation as it is
    else:
        accepted = run("--accept-stale")
        assert accepted.exit_code == 0, accepted.output
    assert len(asked(fake)) == sent_before + 1  # nothing more bought
    assert _check(translate, source, release, translator) == {
        "exit": 0, "missing": [], "stale": [], "review": [], "orphaned": []}
    assert _forms(release, tmp_path)[release.edited] == [PERSON] * len(
        written[release.edited])


# -- Qt Linguist: a message is its context and source text ------------------------------------

def _ts_messages(path: Path) -> dict[tuple[str, str], etree._Element]:
    root = etree.parse(str(path)).getroot()
    return {(context.findtext("name"), message.findtext("source")): message
            for context in root.iter("context") for message in context.iter("message")}


def test_qt_a_changed_source_is_a_new_message_and_the_old_one_an_orphan(
        translate, tmp_path, fake):
    """ReText's retext_de.ts as the source of retext_fr.ts. A Qt message is found by its
    context and source text (as lupdate finds it), so a release that rewords "Behavior" has a
    new message, translated as new, and the old one is an orphan; a context the release drops
    is orphaned too, and one it adds goes where the source has it. A person who finishes one
    of our unfinished translations (Linguist's "done") is not listed for review. --prune takes
    the orphans out of retext_fr.ts, and a context left without messages with them; every
    other line stays as it was."""
    folder = copy_tree("qt/retext", tmp_path)
    source, target = folder / "retext_de.ts", folder / "retext_fr.ts"
    assert translate(source).exit_code == 0
    finished = _ts_messages(target)[("ConfigDialog", "Editor")]
    ours = etree.tostring(finished, encoding="unicode", with_tail=False)
    done = re.sub(r"\s*<translatorcomment>.*?</translatorcomment>", "", ours)
    done = done.replace(' type="unfinished"', "").replace("[fr] Editor", "Éditeur")
    replace_in(target, ours, done)
    replace_in(source, "<source>Behavior</source>", "<source>Behaviour</source>")
    replace_in(source, r"\n  <context>\n    <name>EncodingDialog</name>.*?</context>",
               "\n  <context>\n    <name>AboutDialog</name>\n    <message>\n      <location "
               'filename="../about.py" line="3" />\n      <source>About ReText</source>\n'
               "      <translation>Über ReText</translation>\n    </message>\n  </context>",
               regex=True)
    behaviour = next(e for e in open_catalog(source).entries() if e.source == "Behaviour")
    about = next(e for e in open_catalog(source).entries() if e.source == "About ReText")
    report = json.loads(translate(source, "--check", "--json").stdout)["languages"][0]
    assert report == {**report, "missing": [display_key(behaviour), display_key(about)],
                      "stale": [],
                      "review": [], "orphaned": ["ConfigDialogBehavior",
                                                 "EncodingDialogEnter encoding name:"]}
    kept = target.read_text(encoding="utf-8")
    sent_before = len(asked(fake))
    result = translate(source, "--prune")
    assert result.exit_code == 0, result.output
    sent = asked(fake)[sent_before:]
    assert [e["text"] for e in sent] == ["Behaviour", "About ReText"]
    assert "earlier_source" not in sent[0]
    assert "(2 pruned)" in result.stderr
    messages = _ts_messages(target)
    assert ("ConfigDialog", "Behavior") not in messages
    assert messages[("ConfigDialog", "Behaviour")].findtext("translation") == "[fr] Behaviour"
    assert messages[("ConfigDialog", "Editor")].findtext("translation") == "Éditeur"
    # Byte for byte the file before, with the new message where the old one was, the
    # dropped context gone and the new one in its place.
    expected = kept.replace("<source>Behavior</source>", "<source>Behaviour</source>").replace(
        "[fr] Behavior<", "[fr] Behaviour<")
    expected, n = re.subn(
        r"\n  <context>\n    <name>EncodingDialog</name>.*?</context>",
        "\n  <context>\n    <name>AboutDialog</name>\n    <message>\n      <location "
        'filename="../about.py" line="3"/>\n      <source>About ReText</source>\n'
        "      <translatorcomment>pipeline: machine translation, for review</translatorcomment>"
        '\n      <translation type="unfinished">[fr] About ReText</translation>\n'
        "    </message>\n  </context>", expected, flags=re.S)
    assert n == 1
    assert target.read_text(encoding="utf-8") == expected
    assert translate(source, "--check").exit_code == 0


def test_qt_a_translation_marked_stale_is_unfinished_with_its_old_source(translate, tmp_path):
    """The lock alone can say a Qt translation was made from another text (a message's key
    holds its source): marked, it is type="unfinished" with a translator comment naming the
    source it was made from, a draft for review; translated again, the comment goes."""
    folder = copy_tree("qt/retext", tmp_path)
    source, target = folder / "retext_de.ts", folder / "retext_fr.ts"
    assert translate(source).exit_code == 0
    catalog = open_catalog(source)
    entry = next(e for e in catalog.entries() if e.source == "Behavior")
    french = catalog.target("fr", target)
    assert not french.is_draft(entry)  # ours, unfinished for review by design
    assert french.mark_stale(entry, "Behaviour of the editor")
    data = french.render_bytes()
    assert french.verify(data) == []
    target.write_bytes(data)
    reread = open_catalog(source).target("fr", target)
    assert reread.is_draft(entry)
    message = _ts_messages(target)[("ConfigDialog", "Behavior")]
    assert message.find("translation").get("type") == "unfinished"
    assert message.findtext("translation") == "[fr] Behavior"
    assert message.findtext("translatorcomment").split("\n") == [
        "pipeline: machine translation, for review",
        "pipeline: the source changed; this translation was made from: Behaviour of the editor"]
    reread.accept(entry, ["Comportement"])
    target.write_bytes(reread.render_bytes())
    message = _ts_messages(target)[("ConfigDialog", "Behavior")]
    assert message.findtext("translatorcomment") == "pipeline: machine translation, for review"


# -- A real release: pdf.js's viewer strings, ngx-extended-pdf-viewer 9.0.0 -> 16.0.0 ---------

PDFJS = Path(__file__).parent / "data/lifecycle/pdfjs"  # SOURCE.txt: npm, Apache-2.0


def _properties(path: Path) -> dict[str, str]:
    from translate.storage import properties

    store = properties.javautf8file()
    store.parse(path.read_bytes())
    return {unit.name: unit.source for unit in store.units if unit.name}


def test_pdfjs_release_buys_what_it_added_and_changed_and_prunes_what_it_removed(
        translate, tmp_path, fake):
    """pdf.js's viewer strings (UTF-8 .properties, {{placeholders}}, `{[ plural(n) ]}`
    macros) with the real French of 9.0.0 as the target: a first run buys nothing and
    records every French translation as the baseline. The 16.0.0 English adds 23 keys,
    removes 12 and recapitalises 3 ("Highlight all" -> "Highlight All"): --check lists exactly
    those (and the 8 keys the French file had that 9.0.0 had already dropped); the next run
    (--update-stale: the three are not ours, --prune) buys exactly the 26, shown the French
    each changed one had, takes out the 20 orphans, keeps every other line of the French
    file byte for byte (UTF-8: accents raw, as pdf.js reads them) and --check is clean."""
    english, french = tmp_path / "locale/en-US/viewer.properties", \
        tmp_path / "locale/fr/viewer.properties"
    french.parent.mkdir(parents=True)
    english.parent.mkdir(parents=True)
    english.write_bytes((PDFJS / "9.0.0/locale/en-US/viewer.properties").read_bytes())
    original = (PDFJS / "9.0.0/locale/fr/viewer.properties").read_bytes()
    french.write_bytes(original)
    args = ("--from", "en-US", "--output", "{dir}/../{lang}/viewer.properties")
    old, new = _properties(english), _properties(PDFJS / "16.0.0/locale/en-US/viewer.properties")
    fr_only = sorted(set(_properties(french)) - set(old))
    assert len(fr_only) == 8

    def check() -> dict:
        result = translate(english, *args, "--check", "--json")
        return {"exit": result.exit_code, **{k: v for k, v in json.loads(result.stdout)[
            "languages"][0].items() if k in ("missing", "stale", "review", "orphaned")}}

    first = translate(english, *args)
    assert first.exit_code == 0, first.output
    assert len(fake.requests) == 0
    # Every key but the two plural macros (code, not text) is an entry.
    assert "159 existing translation(s) recorded in the lock" in first.stderr
    assert french.read_bytes() == original
    assert check() == {"exit": 1, "missing": [], "stale": [], "review": [],
                       "orphaned": fr_only}

    english.write_bytes((PDFJS / "16.0.0/locale/en-US/viewer.properties").read_bytes())
    entries = {e.key: e for e in open_catalog(english).entries()}
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = [key for key in old if key in new and old[key] != new[key]]
    assert (len(added), len(removed), changed) == (23, 12, [
        "find_highlight", "find_match_case_label", "find_entire_word_label"])
    assert check() == {
        "exit": 1, "missing": [display_key(entries[key]) for key in entries if key in added],
        "stale": [{"key": display_key(entries[key]), "was": old[key], "now": new[key],
                   "ours": False} for key in changed],
        "review": [], "orphaned": sorted([*removed, *fr_only])}

    theirs = _properties(french)
    second = translate(english, *args, "--update-stale", "--prune")
    assert second.exit_code == 0, second.output
    sent = asked(fake)
    # One text, one translation: "Save" is save.title's and save_label's, sent once.
    assert {e["text"] for e in sent} == {new[key] for key in [*added, *changed]}
    reused = re.search(r"reused: (\d+) entries share a translated text", second.stderr)
    assert reused is not None and len(sent) + int(reused[1]) == 26
    for item in sent:
        if item["context"] in changed:
            assert item["earlier_source"] == old[item["context"]]
            assert item["earlier_translation"] == [theirs[item["context"]]]
    assert "23 added, 3 updated, 0 kept as they were" in second.stderr
    assert "20 removed from the source (20 pruned)" in second.stderr
    written = _properties(french)
    assert set(written) == set(new)
    for key in [*added, *changed]:
        assert written[key] == translate_text(new[key], "fr"), key
    text = french.read_text(encoding="utf-8")
    assert "Télécharger" not in text and "Affichage courant" not in text  # pruned, raw UTF-8
    assert "[fr] Start typing…" in text  # new accents raw too, as pdf.js reads them
    # Every line of the French file is where it was, but the changed and pruned entries'
    # (and the comments that headed only pruned ones); the added ones follow at the end, in
    # the source's order, with the source's comments.
    lines = original.decode("utf-8").splitlines()
    diff = list(difflib.ndiff(lines, text.splitlines()))
    gone = [line for line in diff if line[:2] == "- "]
    new_lines = [line[2:] for line in diff if line[:2] == "+ "]
    assert sorted(line[2:].split("=")[0] for line in gone
                  if line[2:] and not line.startswith("- #")) == sorted(
        [*removed, *fr_only, *changed])
    assert [line.split("=")[0] for line in new_lines if line and not line.startswith("#")] \
        == [*(key for key in old if key in changed), *(key for key in entries if key in added)]
    assert text.splitlines()[-1].startswith("modified_background_warning=[fr] ")
    assert [line[2:] for line in gone if line.startswith("- #")] == [
        '# LOCALIZATION NOTE (page_canvas): "{{page}}" will be replaced by the page number.',
        "# Error panel labels",
        '# LOCALIZATION NOTE (error_version_info): "{{version}}" and "{{build}}" will be',
        "# replaced by the PDF.JS version and build ID.",
        '# LOCALIZATION NOTE (error_message): "{{message}}" will be replaced by an',
        "# english string describing the error.",
        '# LOCALIZATION NOTE (error_stack): "{{stack}}" will be replaced with a stack',
        "# trace.",
        '# LOCALIZATION NOTE (error_file): "{{file}}" will be replaced with a filename',
        "# Loading indicator messages",
        "# LOCALIZATION NOTE (unsupported_feature_signatures): Should contain the same",
        "# exact string as in the `chrome.properties` file."]
    # A paragraph gone whole between two blank lines leaves one of them (Loading indicator).
    assert text.count("\n\n\n") == original.decode("utf-8").count("\n\n\n")
    assert gone.count("- ") == 1
    assert check() == {"exit": 0, "missing": [], "stale": [], "review": [], "orphaned": []}


def test_an_iso_8859_1_bundle_is_read_and_written_as_java_reads_it(translate, tmp_path, fake):
    """A .properties file that is not UTF-8 is ISO-8859-1, as Java reads it: "Café crème" is
    that (the toolkit's charset guess read it as Windows-1250, "Café crčme"), so the earlier
    translation shown to the model is the real one, and the file stays ISO-8859-1 (an é
    written as the byte Java reads, the other lines' bytes as they were)."""
    source = tmp_path / "messages.properties"
    source.write_bytes(b"drink=Coffee with cream\ntea=Mint tea\n")
    target = tmp_path / "messages_fr.properties"
    target.write_bytes("drink=Café crème\ntea=Thé à la menthe\n".encode("iso-8859-1"))
    assert translate(source).exit_code == 0
    assert len(fake.requests) == 0  # the baseline
    source.write_bytes(b"drink=Coffee with hot cream\ntea=Mint tea\n")
    accents = FakeTranslator(language="fr", rewrite=lambda c: c.replace("[fr] ", "[fr] é "))
    result = translate(source, "--update-stale", translator=accents)
    assert result.exit_code == 0, result.output
    (sent,) = asked(fake)
    assert sent["earlier_translation"] == ["Café crème"]
    assert target.read_bytes() == (b"drink=[fr] \xe9 Coffee with hot cream\n"
                                   b"tea=Th\xe9 \xe0 la menthe\n")


def test_a_bilingual_translation_stays_when_its_update_is_left_for_review(
        translate, tmp_path, fake):
    """XLIFF: a unit whose source changed under our translation, translated again and left
    for review (every answer broken), keeps the translation it had (an entry left for review
    loses its target only when it had none), and is still stale for the next run."""
    folder = copy_tree("xliff/Resources/translations/validators.en.xlf", tmp_path).parent
    source, target = folder / "validators.en.xlf", folder / "validators.fr.xlf"
    assert translate(source).exit_code == 0
    replace_in(source, "<source>This value should be false.</source>",
               "<source>This value should be false, not true.</source>")
    broken = FakeTranslator(language="fr", sabotage={"not true": "forms"}, times=10)
    result = translate(source, translator=broken)
    assert result.exit_code == 1, result.output
    assert "left for review" in result.stderr
    unit = _xml_child(target, "1", "*[local-name()='target']")
    assert unit.text == "[fr] This value should be false."
    xliff = next(release for release in RELEASES if release.name == "xliff")
    checked = _check(translate, source, xliff, broken)
    assert [s["ours"] for s in checked["stale"]] == [True]


def test_apple_strings_prune_takes_the_comment_of_what_it_removes(translate, tmp_path):
    """.strings: a pruned entry goes with the comment above it when every entry that comment
    heads is gone; a comment that still heads an entry stays; nothing else changes."""
    source = tmp_path / "en.lproj/Localizable.strings"
    source.parent.mkdir()
    source.write_text('/* Photos screen */\n"photos.title" = "Photos";\n\n'
                      '/* Buttons\n   to pick more or fewer */\n"more" = "More";\n'
                      '"fewer" = "Fewer";\n\n// Empty album\n"empty" = "No photos";\n'
                      '"none" = "None";\n\n/* Last */\n"last" = "Last";\n', encoding="utf-8")
    assert translate(source).exit_code == 0
    target = tmp_path / "fr.lproj/Localizable.strings"
    before = target.read_text(encoding="utf-8")
    replace_in(source, '"more" = "More";\n"fewer" = "Fewer";\n', "")
    replace_in(source, '"empty" = "No photos";\n', "")
    result = translate(source, "--prune")
    assert result.exit_code == 0, result.output
    assert "(3 pruned)" in result.stderr
    assert target.read_text(encoding="utf-8") == before.replace(
        '\n/* Buttons\n   to pick more or fewer */\n"more" = "[fr] More";\n'
        '"fewer" = "[fr] Fewer";\n', "").replace('"empty" = "[fr] No photos";\n', "")


def test_android_a_string_array_the_source_drops_is_pruned_whole(translate, tmp_path):
    """Weechat-Android: a release drops a translatable <string-array> (five items, each an
    entry): --prune takes the array out of values-fr whole, and nothing else changes."""
    res = copy_tree(f"{WEECHAT}/values/strings.xml", tmp_path).parent.parent
    source, target = res / "values/strings.xml", res / "values-fr/strings.xml"
    assert translate(source).exit_code == 0
    before = target.read_text(encoding="utf-8")
    dropped = r'\n *<string-array name="pref__connection_type_names">.*?</string-array>'
    replace_in(source, dropped, "", regex=True)
    result = translate(source, "--prune")
    assert result.exit_code == 0, result.output
    assert "(5 pruned)" in result.stderr
    expected, n = re.subn(dropped, "", before, flags=re.S)
    assert n == 1
    assert target.read_text(encoding="utf-8") == expected
