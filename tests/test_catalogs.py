"""Catalog translation: real Django and zod catalogs, a fake translator that breaks things,
msgfmt on every .po written, and nothing broken ever written."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import babel
import polib
import pytest
from babel.messages.plurals import get_plural
from fake_translator import FakeTranslator, entries

from pipeline.catalogs.placeholders import problems as placeholder_problems
from pipeline.catalogs.po import PoCatalog
from pipeline.languages import CLDR_ORDER, cldr_categories

DATA = Path(__file__).parent / "data"
HAVE_MSGFMT = shutil.which("msgfmt") is not None
needs_msgfmt = pytest.mark.skipif(not HAVE_MSGFMT and os.environ.get("CI") != "true",
                                  reason="needs gettext's msgfmt (CI installs it)")


def msgfmt(path: Path) -> None:
    """gettext's own check: format strings, plural forms, header. Fails the test if unhappy."""
    run = subprocess.run(["msgfmt", "--check-format", "-c", "-o", os.devnull, str(path)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def copy(name: str, to: Path) -> Path:
    to.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DATA / name, to)
    return to


@pytest.fixture
def translate(run_cli, fake, api_key):
    def _run(catalog: Path, *args: str):
        return run_cli("translate", catalog, "-m", "gpt-4o-mini", "--base-url", fake.base_url,
                       "-q", *args)
    return _run


def entries_by_key(path: Path) -> dict[tuple[str | None, str], polib.POEntry]:
    return {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path)) if not e.obsolete}


@needs_msgfmt
@pytest.mark.parametrize("language", ["fr", "ja", "ar", "ru", "pl"])
def test_a_new_target_gets_the_installed_cldr_rule_and_its_plural_slots(language, tmp_path):
    """What CLDR says moves between Babel releases (French went from two forms to three), so
    the expectation is read from the installed Babel, not written down."""
    source = copy("django/humanize.en.po", tmp_path / "locale/en/LC_MESSAGES/django.po")
    target = PoCatalog(source).target(language, tmp_path / "out.po")
    cldr = get_plural(language)
    assert (target.plurals.count, target.plurals.expression) == (cldr.num_plurals,
                                                                  cldr.plural_expr)
    assert target.plural_rule == (f"Plural-Forms {target.plurals.header} "
                                  f"(CLDR via Babel {babel.__version__})")
    text = target.render()
    (tmp_path / "out.po").write_text(text, encoding="utf-8")
    msgfmt(tmp_path / "out.po")
    assert f'"Language: {language}\\n"' in text
    assert f'"Plural-Forms: {target.plurals.header}\\n"' in text
    plural = [e for e in polib.pofile(text) if e.msgid_plural]
    assert plural and all(len(e.msgstr_plural) == cldr.num_plurals for e in plural)


@needs_msgfmt
def test_a_new_target_with_two_forms_changes_only_header_lines(tmp_path):
    """A rule of two forms like English's (pinned here through plural_forms, so the test does
    not depend on one year's CLDR): only four header lines differ from the source."""
    source = copy("django/humanize.en.po", tmp_path / "locale/en/LC_MESSAGES/django.po")
    target = PoCatalog(source).target("fr", tmp_path / "out.po",
                                      plural_forms="nplurals=2; plural=(n > 1);")
    assert target.plural_rule == ("Plural-Forms nplurals=2; plural=(n > 1); "
                                  "(plural_forms for fr in the job)")
    text = target.render()
    (tmp_path / "out.po").write_text(text, encoding="utf-8")
    msgfmt(tmp_path / "out.po")
    changed = [(a, b) for a, b in zip(source.read_text().splitlines(), text.splitlines(),
                                      strict=True) if a != b]
    assert [a.split(":")[0] for a, _ in changed] == [
        '"PO-Revision-Date', '"Language-Team', '"Language', '"Plural-Forms']
    assert changed[-1][1] == '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"'


def test_an_untouched_target_is_written_back_byte_for_byte(tmp_path):
    source = copy("django/humanize.en.po", tmp_path / "en/django.po")
    french = copy("django/humanize.fr.po", tmp_path / "fr/django.po")
    target = PoCatalog(source).target("fr", french)
    assert not any(target.needs(e) for e in PoCatalog(source).entries())
    assert target.render() == french.read_text(encoding="utf-8")


@needs_msgfmt
def test_django_humanize_into_french_and_japanese_through_a_sloppy_translator(
        translate, fake, tmp_path):
    """Plurals, msgctxt, python-format and python-brace-format; the translator drops and
    renames placeholders, gives wrong plural counts, scrambles, repeats and forgets ids once
    each. Every broken answer is retried alone and fixed; nothing broken is written."""
    source = copy("django/humanize.en.po", tmp_path / "locale/en/LC_MESSAGES/django.po")
    translator = FakeTranslator(sabotage={
        "{}th": "drop", "%(value)s million": "forms", "Humanize": "scramble",
        "today": "duplicate", "tomorrow": "missing", "%(num)d year": "rename"})
    fake.completion = translator
    result = translate(source, "--to", "fr,ja")
    assert result.exit_code == 0, result.output
    report = result.stderr
    for language in ("fr", "ja"):
        out = tmp_path / f"locale/{language}/LC_MESSAGES/django.po"
        msgfmt(out)
        got = entries_by_key(out)
        want = entries_by_key(source)
        assert got.keys() == want.keys()  # complete: every entry, in the source's terms
        for key, entry in got.items():
            forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
            assert all(f.startswith(f"[{translator.language}] ") for f in forms), key
            source_text = entry.msgid_plural or entry.msgid
            rules = PoCatalog(source).entries()[0].rules
            for form in forms:
                assert not placeholder_problems(source_text, form, rules)
        assert len(polib.pofile(str(out)).metadata["Plural-Forms"]) > 0
    assert "ignored 1 reply item(s) with an id not asked for" in report
    assert re.search(r"fr: .*\n  plurals: .*\n  entries: 56 to translate: 56 translated "
                     r"\(\d+ of them after a retry alone\), 0 left for review", report)
    japanese = entries_by_key(tmp_path / "locale/ja/LC_MESSAGES/django.po")
    assert len(japanese[("naturaltime-past", "%(num)d year")].msgstr_plural) == 1  # one form
    # A second run buys nothing: every answer is in the journal, every entry translated.
    before = len(fake.requests)
    again = translate(source, "--to", "fr,ja")
    assert again.exit_code == 0 and len(fake.requests) == before
    assert "entries: 0 to translate" in again.stderr


@needs_msgfmt
def test_an_entry_that_stays_broken_is_left_empty_with_a_reason_and_reported(
        translate, fake, tmp_path):
    source = copy("django/humanize.en.po", tmp_path / "en/django.po")
    fake.completion = FakeTranslator(sabotage={"%(delta)s ago": "drop"}, times=99)
    result = translate(source, "--to", "fr", "--output", str(tmp_path / "{lang}.po"))
    assert result.exit_code == 1, result.output
    assert ('left for review: "%(delta)s ago": the translation must keep every printf '
            "placeholder of the source exactly (missing %(delta)s)") in result.stderr
    out = tmp_path / "fr.po"
    msgfmt(out)
    entry = entries_by_key(out)[(None, "%(delta)s ago")]
    assert entry.msgstr == ""
    assert "pipeline: not translated: the translation must keep every printf" in entry.tcomment
    assert "55 translated" in result.stderr and "1 left for review" in result.stderr
    # Two requests carried it: the batch, then one alone with the problem stated; the same
    # refused answer came back, so a second try alone (fix_attempts 2) was not bought.
    carried = [r for r in fake.requests
               if any(e["text"] == "%(delta)s ago" for e in entries(r))]
    assert [len(entries(r)) for r in carried] == [len(entries(carried[0])), 1]
    assert entries(carried[1])[0]["attempt"] == 1
    assert "missing %(delta)s" in carried[-1].user_text


def test_each_try_alone_is_really_asked_while_the_answers_change(translate, fake, tmp_path):
    """fix_attempts tries, each numbered so it is not answered from the journal; a model whose
    wrong answers differ each time gets every try."""
    source = copy("django/humanize.en.po", tmp_path / "en/django.po")
    tries = {"n": 0}
    inner = FakeTranslator(language="fr")

    def reply(request):
        body = inner(request)
        answer = json.loads(body["choices"][0]["message"]["content"])
        for item, asked in zip(answer["translations"], entries(request), strict=True):
            if asked["text"] == "%(delta)s ago":
                tries["n"] += 1
                item["forms"] = [f"il y a {tries['n']} fois"]  # placeholder lost, text varies
        body["choices"][0]["message"]["content"] = json.dumps(answer)
        return body

    fake.completion = reply
    result = translate(source, "--to", "fr", "--output", str(tmp_path / "{lang}.po"))
    assert result.exit_code == 1, result.output
    carried = [r for r in fake.requests
               if any(e["text"] == "%(delta)s ago" for e in entries(r))]
    assert [entries(r)[0].get("attempt") for r in carried[1:]] == [1, 2]
    assert tries["n"] == 3
    assert 'left for review: "%(delta)s ago"' in result.stderr


@needs_msgfmt
def test_fifty_entries_of_the_core_catalog_go_many_per_request(translate, fake, tmp_path):
    source = copy("django/core.en.po", tmp_path / "locale/en/LC_MESSAGES/django.po")
    translator = FakeTranslator()
    fake.completion = translator
    result = translate(source, "--to", "fr,ja", "--limit", "50")
    assert result.exit_code == 0, result.output
    for language in ("fr", "ja"):
        out = tmp_path / f"locale/{language}/LC_MESSAGES/django.po"
        msgfmt(out)
        done = [e for e in polib.pofile(str(out)) if e.translated()]
        assert len(done) == 50
    per_request = [float(x) for x in re.findall(r"\(([\d.]+) entries per request\)",
                                                  result.stderr)]
    assert per_request and min(per_request) >= 10, result.stderr


@needs_msgfmt
def test_an_existing_catalog_gets_only_its_missing_and_asked_for_fuzzy_entries(
        translate, fake, tmp_path):
    source = copy("django/humanize.en.po", tmp_path / "en/django.po")
    french = tmp_path / "fr/django.po"
    po = polib.pofile(str(DATA / "django/humanize.fr.po"))
    po.find("today").msgstr = ""
    fuzzy = po.find("tomorrow")
    fuzzy.flags.append("fuzzy")
    french.parent.mkdir(parents=True)
    po.wrapwidth = 79
    french.write_text(str(po), encoding="utf-8")
    original = french.read_text(encoding="utf-8")
    fake.completion = FakeTranslator()
    result = translate(source, "--to", "fr")
    assert result.exit_code == 0, result.output
    assert "entries: 1 to translate" in result.stderr
    updated = french.read_text(encoding="utf-8")
    changed = [line for line in updated.splitlines() if line not in original.splitlines()]
    assert changed == ['msgstr "[fr] today"']
    result = translate(source, "--to", "fr", "--fuzzy")
    assert "entries: 1 to translate" in result.stderr
    entry = polib.pofile(str(french)).find("tomorrow")
    assert entry.msgstr == "[fr] tomorrow" and "fuzzy" not in entry.flags
    # Django's own French file mixes two and three plural forms, which msgfmt rejects; we
    # leave entries we do not translate exactly as they were, so that stays its business.
    assert [line for line in french.read_text(encoding="utf-8").splitlines()
            if line not in original.splitlines()] == ['msgstr "[fr] today"',
                                                      'msgstr "[fr] tomorrow"']


def test_i18next_keeps_interpolation_and_structure(translate, fake, tmp_path):
    source = copy("zod/en.json", tmp_path / "locales/en/zod.json")
    fake.completion = FakeTranslator(language="de", sabotage={"Unrecognized key(s)": "drop"})
    result = translate(source, "--to", "de")
    assert result.exit_code == 0, result.output
    out = json.loads((tmp_path / "locales/de/zod.json").read_text(encoding="utf-8"))
    src = json.loads(source.read_text(encoding="utf-8"))

    def leaves(obj, path=()):
        for k, v in obj.items():
            yield from leaves(v, (*path, k)) if isinstance(v, dict) else [((*path, k), v)]

    got, want = dict(leaves(out)), dict(leaves(src))
    assert list(got) == list(want)  # same keys, same order
    for key, text in want.items():
        assert got[key] == f"[de] {text}"
    assert got[("errors", "unrecognized_keys")] == "[de] Unrecognized key(s) in object: {{- keys}}"


def test_i18next_plurals_take_the_target_languages_categories(translate, fake, tmp_path, write):
    source = write("locales/en/app.json", json.dumps({
        "cart": {"item_one": "{{count}} item", "item_other": "{{count}} items",
                 "title": "Your <b>cart</b>"}}, indent=2) + "\n")
    fake.completion = FakeTranslator(language="pl")
    result = translate(source, "--to", "pl,ja")
    assert result.exit_code == 0, result.output
    polish = json.loads((tmp_path / "locales/pl/app.json").read_text(encoding="utf-8"))
    assert list(polish["cart"]) == ["item_one", "item_few", "item_many", "item_other", "title"]
    assert polish["cart"]["title"] == "[pl] Your <b>cart</b>"
    japanese = json.loads((tmp_path / "locales/ja/app.json").read_text(encoding="utf-8"))
    assert list(japanese["cart"]) == ["item_other", "title"]
    asked = next(r for r in fake.requests if "item" in r.user_text and "pl" in
                 r.body["messages"][0]["content"])
    assert '"one: the CLDR' in asked.user_text and '"many: the CLDR' in asked.user_text


def test_i18next_arrays_are_translated_item_by_item_and_written_whole(translate, fake,
                                                                      tmp_path, write):
    """Arrays of strings (i18next's returnObjects) were copied into the target in English.
    Each item is now an entry, told its place in the list; the list is written whole, an empty
    item kept in place. German's own list (three items for two) is kept; a list whose item
    keeps coming back empty is left out of the new file and its other items reported."""
    source = write("locales/en.json", json.dumps({
        "title": "Welcome, {{name}}",
        "steps": ["Sign up", "", "Invite {{count}} friends"],
        "week": {"days": ["Mon", "Tue"]},
        "limit": 3}, indent=2) + "\n")
    write("locales/de.json", json.dumps({"week": {"days": ["Mo", "Di", "Mi"]}}) + "\n")
    fake.completion = FakeTranslator(language="xx", rewrite=lambda reply: reply.replace(
        '"[xx] Invite {{count}} friends"', '""'))
    result = translate(source, "--to", "fr,de")
    assert result.exit_code == 1, result.output
    sent = [e for request in fake.requests for e in entries(request)]
    contexts = [e["context"] for e in sent]
    assert {"steps[0]", "steps[2]", "week.days[0]", "week.days[1]"} <= set(contexts)
    assert "steps[1]" not in contexts  # the empty item
    assert contexts.count("week.days[0]") == 1  # French only: German has its own list
    assert next(e for e in sent if e["context"] == "week.days[1]")["notes"] == [
        "item 2 of the 2 of the list week.days"]
    french = json.loads((tmp_path / "locales/fr.json").read_text(encoding="utf-8"))
    assert french == {"title": "[xx] Welcome, {{name}}", "week": {"days": ["[xx] Mon",
                                                                         "[xx] Tue"]},
                      "limit": 3}
    german = json.loads((tmp_path / "locales/de.json").read_text(encoding="utf-8"))
    assert german["week"]["days"] == ["Mo", "Di", "Mi"] and "steps" not in german
    assert result.stderr.count("translated, but not written: a list is written whole and "
                               "steps[2] was left for review") == 2  # steps[0], fr and de


def test_bad_catalog_jobs_stop_before_any_call(translate, fake, tmp_path, write):
    source = copy("django/humanize.en.po", tmp_path / "en/django.po")
    cases = [
        ((source, "--to", "xx_QQ"), "unknown language 'xx_QQ'"),
        ((write("broken.po", 'msgid "a" msgstr'), "--to", "fr"), "not a valid gettext"),
        ((write("broken.json", "{"), "--to", "fr"), "is not valid JSON"),
        ((source, "--to", "fr", "--output", str(source)), "would overwrite the source"),
        ((tmp_path / "nope.po", "--to", "fr"), "does not exist"),
        ((source,), "to: required"),
    ]
    for args, expected in cases:
        result = translate(*args)
        assert result.exit_code == 2, (args, result.output)
        assert expected in result.stderr, (args, result.stderr)
    assert fake.requests == []


def test_icu_messages_keep_their_structure_with_the_targets_plural_cases(
        translate, fake, tmp_path, write):
    source = write("messages/en.json", json.dumps({
        "inbox": {"greeting": "Hello {name}!",
                  "files": "{count, plural, =0 {No files} one {# file} other {# files}}",
                  "left": "{gender, select, male {He} female {She} other {They}} left "
                          "<b>{room}</b>"}}, indent=2) + "\n")
    # French's plural cases from the installed CLDR (one, many, other since CLDR 42; one,
    # other before), so the test holds whichever Babel the lock pins.
    french = cldr_categories("fr")
    words = {"one": "# fichier", "many": "# de fichiers", "other": "# fichiers"}
    good = {
        "Hello {name}!": "Bonjour {name} !",
        "{count, plural, =0 {No files} one {# file} other {# files}}":
            "{count, plural, =0 {Aucun fichier} "
            + " ".join(f"{c} {{{words[c]}}}" for c in french) + "}",
        "{gender, select, male {He} female {She} other {They}} left <b>{room}</b>":
            "{gender, select, male {Il est parti} female {Elle est partie} other "
            "{Iel est parti·e}} de <b>{room}</b>",
    }
    # A case French has in no CLDR version ('two'): refused once, then the retry is right.
    wrong = [c for c in CLDR_ORDER if c in {*french, "two"}]
    english_cases = ("{count, plural, =0 {Aucun fichier} "
                     + " ".join(f"{c} {{{words.get(c, '# fichiers')}}}" for c in wrong) + "}")

    def reply(request):
        from fake_openai import completion_body
        from fake_translator import entries
        items = []
        for e in entries(request):
            text = good[e["text"]]
            if "plural" in e["text"] and "problems" not in e:
                text = english_cases
            items.append({"id": e["id"], "forms": [text]})
        return completion_body(request, json.dumps({"translations": items}))

    fake.completion = reply
    result = translate(source, "--to", "fr", "--output", str(tmp_path / "messages/{lang}.json"))
    assert result.exit_code == 0, result.output
    out = json.loads((tmp_path / "messages/fr.json").read_text(encoding="utf-8"))
    assert out["inbox"] == {k: good[v] for k, v in json.loads(source.read_text())["inbox"].items()}
    assert "3 translated (1 of them after a retry alone)" in result.stderr
    retry = fake.requests[-1].user_text
    assert (f"must have exactly the cases {', '.join(french)}, =0 "
            f"(it has {', '.join(wrong)}, =0)") in retry
    first = fake.requests[0].user_text
    assert f"'count, plural' cases {', '.join(french)}, =0" in first  # told up front, too


@needs_msgfmt
def test_a_pot_template_becomes_a_po_with_the_languages_header(translate, fake, tmp_path):
    source = copy("django/humanize.pot", tmp_path / "po/django.pot")
    fake.completion = FakeTranslator(language="de")
    result = translate(source, "--to", "de", "--limit", "5")
    assert result.exit_code == 0, result.output
    out = tmp_path / "po/django.de.po"
    msgfmt(out)
    po = polib.pofile(str(out))
    assert po.metadata["Language"] == "de"
    german = get_plural("de")
    assert po.metadata["Plural-Forms"] == (f"nplurals={german.num_plurals}; "
                                           f"plural={german.plural_expr};")
    assert "fuzzy" not in out.read_text(encoding="utf-8").split("msgid")[0]
    assert len([e for e in po if e.translated()]) == 5


def test_a_translate_job_file_with_glossary_and_style(run_cli, fake, api_key, tmp_path, write):
    copy("django/humanize.en.po", tmp_path / "locale/en/LC_MESSAGES/django.po")
    write("prompts/glossary.txt", "minute = Minute\nhour = Stunde\n")
    job = write("prompts/humanize.toml", f"""\
        catalog = "../locale/en/LC_MESSAGES/django.po"
        to = ["de"]
        model = "gpt-4o-mini"
        base_url = "{fake.base_url}"
        glossary = "glossary.txt"
        style = "Informal, du-form."
        limit = 3
        batch_entries = 2
        """)
    fake.completion = FakeTranslator(language="de")
    result = run_cli("translate", job, "-q")
    assert result.exit_code == 0, result.output
    system = fake.requests[0].body["messages"][0]["content"]
    assert "Style: Informal, du-form." in system and "hour = Stunde" in system
    assert "from English into German (de)" in system
    assert len(fake.requests) == 2  # batch_entries = 2: two entries, then one
    # The two requests run concurrently: the first batch is the one with two entries.
    first = max(([json.loads(line) for line in request.user_text.splitlines()
                  if line.startswith("{\"id\"")] for request in fake.requests), key=len)
    assert first[0]["text"] == "Humanize"
    assert first[0]["notes"] == ["used in contrib/humanize/apps.py:7"]
    assert first[1]["context"] == "ordinal 11, 12, 13"
    assert first[1]["notes"][0].startswith("Translators: Ordinal format for 11")
    assert "entries: 3 to translate: 3 translated" in result.stderr


def test_the_editable_template_in_prompts_is_the_built_in_one():
    root = Path(__file__).resolve().parent.parent
    assert (root / "prompts/translate_catalog.j2").read_text() == (
        root / "pipeline/templates/translate_catalog.j2").read_text()


@needs_msgfmt
def test_the_example_translate_job_runs_from_the_project_root(run_cli, fake, api_key,
                                                              tmp_path, monkeypatch):
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    fake.completion = FakeTranslator()
    pattern = str(tmp_path / "{lang}/{stem}{ext}")
    result = run_cli("translate", "prompts/translate_django.toml", "-q", "-m", "gpt-4o-mini",
                     "--base-url", fake.base_url, "--output", pattern,
                     "--journal", tmp_path / "j.sqlite")
    assert result.exit_code == 0, result.output
    for language in ("fr", "ja"):
        out = tmp_path / language / "django.po"
        msgfmt(out)
        assert len([e for e in polib.pofile(str(out)) if e.translated()]) == 50
    assert "Style: Concise user-interface wording" in fake.requests[0].body["messages"][0][
        "content"]


def test_json_catalog_formats_are_told_apart(tmp_path):
    from pipeline.catalogs import detect_format

    cases = {"Hello {{name}}": "i18next", "Hello {name}": "icu", "Plain": "i18next",
             "{n, plural, one {# file} other {# files}}": "icu"}
    for text, expected in cases.items():
        path = tmp_path / "c.json"
        path.write_text(json.dumps({"a": {"b": text}}), encoding="utf-8")
        assert detect_format(path) == expected, text
    assert detect_format(DATA / "zod/en.json") == "i18next"


def test_estimate_counts_the_requests_and_prompt_tokens_a_run_then_sends(
        run_cli, fake, tmp_path, monkeypatch):
    source = copy("django/core.en.po", tmp_path / "locale/en/LC_MESSAGES/django.po")
    args = ["translate", source, "--to", "fr,ja", "-m", "gpt-4o-mini", "--base-url",
            fake.base_url, "--limit", "120", "-q"]
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    estimate = run_cli(*args, "--estimate")  # no key, no call
    assert estimate.exit_code == 0, estimate.output
    assert fake.requests == [] and not (tmp_path / "locale/fr").exists()
    requests = [int(n) for n in re.findall(r"in (\d+) request\(s\)", estimate.output)]
    prompts = [int(n.replace(",", "")) for n in re.findall(r"prompt tokens: ([\d,]+)",
                                                           estimate.output)]
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0000000000")
    fake.completion = FakeTranslator()
    assert run_cli(*args).exit_code == 0
    assert len(fake.requests) == sum(requests) == 6
    assert sum(r["usage"]["prompt_tokens"] for r in fake.responses) == sum(prompts)
    again = run_cli(*args, "--estimate")  # the next 120 entries of each catalog
    assert again.output.count("120 entries to translate in 3 request(s) (0 already") == 2
    shutil.rmtree(tmp_path / "locale/fr")  # lost the output: the journal still has it
    again = run_cli(*args, "--estimate")
    assert "fr: 120 entries to translate in 0 request(s) (3 already answered" in again.output


def _without_plural_entries(source: Path, to: Path) -> list[str]:
    """A copy of a real catalog with its plural entries removed (so they need translating);
    returns their msgids."""
    po = polib.pofile(str(source))
    gone = [e for e in po if e.msgid_plural]
    for entry in gone:
        po.remove(entry)
    to.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(to))
    return [e.msgid for e in gone]


@needs_msgfmt
def test_an_existing_catalog_keeps_its_own_plural_rule(translate, fake, tmp_path):
    """Django's real French catalog says nplurals=2; whatever CLDR now says, the entries added
    to it follow its own rule, and the report says where the rule came from."""
    source = copy("django/humanize.en.po", tmp_path / "locale/en/LC_MESSAGES/django.po")
    french = tmp_path / "locale/fr/LC_MESSAGES/django.po"
    missing = _without_plural_entries(DATA / "django/humanize.fr.po", french)
    fake.completion = FakeTranslator(language="fr")
    result = translate(source, "--to", "fr")
    assert result.exit_code == 0, result.output
    msgfmt(french)
    po = polib.pofile(str(french))
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    added = [e for e in po if e.msgid in missing]
    assert len(added) == len(missing) > 0
    assert all(len(e.msgstr_plural) == 2 and all(e.msgstr_plural.values()) for e in added)
    assert (f"plurals: Plural-Forms nplurals=2; plural=(n > 1); ({french} (its own header))"
            in result.stderr)


@needs_msgfmt
def test_a_new_catalog_follows_another_catalog_of_its_language(translate, fake, tmp_path):
    """A project whose locale/fr already holds djangojs.po with nplurals=2 gets a new django.po
    with the same rule, not CLDR's."""
    source = copy("django/humanize.en.po", tmp_path / "locale/en/LC_MESSAGES/django.po")
    sibling = copy("django/humanize.fr.po", tmp_path / "locale/fr/LC_MESSAGES/djangojs.po")
    fake.completion = FakeTranslator(language="fr")
    result = translate(source, "--to", "fr")
    assert result.exit_code == 0, result.output
    out = tmp_path / "locale/fr/LC_MESSAGES/django.po"
    msgfmt(out)
    po = polib.pofile(str(out))
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert all(len(e.msgstr_plural) == 2 for e in po if e.msgid_plural)
    assert f"(as {sibling})" in result.stderr


@needs_msgfmt
def test_plural_forms_from_the_command_line_set_a_new_catalogs_rule(translate, fake, tmp_path):
    source = copy("django/humanize.en.po", tmp_path / "locale/en/LC_MESSAGES/django.po")
    fake.completion = FakeTranslator(language="fr")
    result = translate(source, "--to", "fr,ja", "--limit", "6",
                       "--plural-forms", "fr=nplurals=2; plural=(n > 1);")
    assert result.exit_code == 0, result.output
    french = polib.pofile(str(tmp_path / "locale/fr/LC_MESSAGES/django.po"))
    assert french.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    japanese = polib.pofile(str(tmp_path / "locale/ja/LC_MESSAGES/django.po"))
    cldr = get_plural("ja")
    assert japanese.metadata["Plural-Forms"] == (f"nplurals={cldr.num_plurals}; "
                                                 f"plural={cldr.plural_expr};")
    assert "(plural_forms for fr in the job)" in result.stderr
    assert f"(CLDR via Babel {babel.__version__})" in result.stderr


def test_plural_forms_that_cannot_be_used_stop_before_any_call(translate, fake, tmp_path,
                                                                write):
    source = copy("django/humanize.en.po", tmp_path / "locale/en/LC_MESSAGES/django.po")
    copy("django/humanize.fr.po", tmp_path / "locale/fr/LC_MESSAGES/django.po")
    json_source = write("messages/en.json", '{"a": "Hello"}\n')
    cases = [
        # an existing catalog is never switched to another rule
        ((source, "--to", "fr", "--plural-forms", "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 "
          ": 2);"), "already states 'Plural-Forms: nplurals=2; plural=(n > 1);'"),
        ((source, "--to", "de", "--plural-forms", "nplurals=two; plural=(n != 1);"),
         "is not a valid gettext rule"),
        ((source, "--to", "de", "--plural-forms", "nplurals=2; plural=(n + 1);"),
         "every n must select a form below nplurals"),
        ((source, "--to", "de,ja", "--plural-forms", "nplurals=2; plural=(n != 1);"),
         "give a rule per language"),
        ((source, "--to", "de", "--plural-forms", "de"), "give LANG=RULE"),
        ((source, "--to", "de", "--plural-forms", "de:nplurals=2"),
         "unknown language 'de:nplurals'"),
        ((json_source, "--to", "de", "--plural-forms", "nplurals=2; plural=(n != 1);"),
         "i18next catalog, whose plural forms are CLDR's categories"),
    ]
    for args, expected in cases:
        result = translate(*args)
        assert result.exit_code == 2, (args, result.output)
        assert expected in result.stderr, (args, result.stderr)
    assert fake.requests == []


def test_plural_forms_in_a_job_file(run_cli, fake, api_key, tmp_path, write):
    copy("django/humanize.en.po", tmp_path / "locale/en/LC_MESSAGES/django.po")
    job = write("prompts/humanize.toml", f"""\
catalog = "../locale/en/LC_MESSAGES/django.po"
to = ["fr", "de"]
model = "gpt-4o-mini"
base_url = "{fake.base_url}"
limit = 3

[plural_forms]
fr = "nplurals=2; plural=(n > 1);"
""")
    result = run_cli("translate", job, "--estimate")
    assert result.exit_code == 0, result.output
    assert "plurals: Plural-Forms nplurals=2; plural=(n > 1); (plural_forms for fr in the job)" \
        in result.output
    assert fake.requests == []


@pytest.mark.parametrize(("source", "language", "expected"), [
    ("locale/en/LC_MESSAGES/django.po", "fr", "locale/fr/LC_MESSAGES/django.po"),
    ("locales/en.json", "fr", "locales/fr.json"),
    ("po/en_US.po", "pt-BR", "po/pt_BR.po"),  # named as the source is: en_US, so pt_BR
    ("locales/en/translation.json", "de", "locales/de/translation.json"),
    ("messages/app.json", "fr", "messages/app.fr.json"),
    ("po/django.pot", "fr", "po/django.fr.po"),
])
def test_a_catalog_named_for_its_language_is_renamed_for_the_target(source, language,
                                                                    expected):
    """The generic rule (formats with no ecosystem rule of their own): the source language's
    folder, else a file named for it, else <stem>.<lang> beside it."""
    from pipeline.catalogs import target_path

    own = "en-US" if "en_US" in source else "en"
    assert target_path(Path(source), own, language) == Path(expected)
