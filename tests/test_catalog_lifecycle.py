"""Catalogs that stay current: a changed source string is translated again when the target
still holds our translation, a person's is kept and reported, removed keys are reported and
pruned, and `--check` says where every target stands without sending or writing anything."""

from __future__ import annotations

import json
from pathlib import Path

from catalog_data import asked
from fake_translator import FakeTranslator, translate_text

from pipeline.catalogs.lock import TranslationLock, forms_hash, lock_path, text_id

SOURCE = {"cart": {"empty": "Your cart is empty", "full": "Your cart is full"},
          "greeting": "Hello", "bye": "Bye", "items_one": "{{count}} item",
          "items_other": "{{count}} items"}


def write_json(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_first_run_writes_the_lock_of_what_each_translation_was_made_from(
        translate, tmp_path, fake):
    source = write_json(tmp_path / "locales/en.json", SOURCE)
    result = translate(source)
    assert result.exit_code == 0, result.output
    lock = TranslationLock.read(lock_path(source))
    assert lock.path == tmp_path / "locales/en.json.lock"
    french = read_json(tmp_path / "locales/fr.json")
    made = lock.get("fr", "cart\x1fempty") or lock.get("fr", "cart.empty")
    assert made is not None
    assert made.origin == "ours"
    assert lock.text(made) == "Your cart is empty"
    assert made.translation == forms_hash([french["cart"]["empty"]])
    text = lock_path(source).read_text(encoding="utf-8")
    assert text.startswith("# pipeline translate")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    texts = [line for line in lines if line.startswith("text\t")]
    entries = [line for line in lines if line.startswith("fr\t")]
    assert lines == texts + entries  # the texts, then an entry a line
    assert texts == sorted(texts) and entries == sorted(entries)  # a fixed order, for diffs
    assert len(entries) == 5 and len(texts) == 5
    again = translate(source)  # nothing changed: nothing sent, the lock left as it was
    assert again.exit_code == 0
    assert lock_path(source).read_text(encoding="utf-8") == text
    assert len(fake.requests) == 1


def test_a_changed_source_is_translated_again_when_the_translation_is_ours(
        translate, tmp_path, fake):
    source = write_json(tmp_path / "locales/en.json", SOURCE)
    assert translate(source).exit_code == 0
    first = len(asked(fake))
    changed = {**SOURCE, "cart": {**SOURCE["cart"], "empty": "Your basket has nothing in it"}}
    write_json(source, changed)
    result = translate(source)
    assert result.exit_code == 0, result.output
    sent = asked(fake)[first:]
    assert [e["text"] for e in sent] == ["Your basket has nothing in it"]
    assert sent[0]["earlier_source"] == "Your cart is empty"
    assert sent[0]["earlier_translation"] == [translate_text("Your cart is empty", "fr")]
    french = read_json(tmp_path / "locales/fr.json")
    assert french["cart"]["empty"] == translate_text("Your basket has nothing in it", "fr")
    assert "1 updated" in result.stderr
    lock = TranslationLock.read(lock_path(source))
    made = next(m for (lang, key), m in lock.made.items() if key.endswith("empty"))
    assert made.source == text_id("Your basket has nothing in it")


def test_a_persons_translation_is_kept_reported_and_updated_only_when_asked(
        translate, tmp_path, fake):
    source = write_json(tmp_path / "locales/en.json", SOURCE)
    assert translate(source).exit_code == 0
    target = tmp_path / "locales/fr.json"
    french = read_json(target)
    french["greeting"] = "Salut !"  # a person's edit
    write_json(target, french)
    write_json(source, {**SOURCE, "greeting": "Hello there"})
    before = len(fake.requests)
    result = translate(source)
    assert result.exit_code == 1, result.output  # kept, for review
    assert len(fake.requests) == before  # nothing bought
    assert read_json(target)["greeting"] == "Salut !"
    assert 'stale, kept: "Hello there" (greeting): its source was "Hello", now ' \
           '"Hello there"' in result.stderr
    checked = translate(source, "--check", "--json")
    assert checked.exit_code == 1
    report = json.loads(checked.stdout)
    assert report["languages"][0]["stale"] == [{"key": '"Hello there" (greeting)',
                                                "was": "Hello", "now": "Hello there",
                                                "ours": False}]
    updated = translate(source, "--update-stale")
    assert updated.exit_code == 0, updated.output
    assert read_json(target)["greeting"] == translate_text("Hello there", "fr")
    assert translate(source, "--check").exit_code == 0


def test_accept_stale_takes_a_reviewed_translation_as_current(translate, tmp_path, fake):
    source = write_json(tmp_path / "locales/en.json", SOURCE)
    assert translate(source).exit_code == 0
    target = tmp_path / "locales/fr.json"
    write_json(target, {**read_json(target), "greeting": "Bonjour à tous"})
    write_json(source, {**SOURCE, "greeting": "Hello everyone"})
    assert translate(source, "--check").exit_code == 1
    sent = len(fake.requests)
    accepted = translate(source, "--accept-stale")
    assert accepted.exit_code == 0, accepted.output
    assert len(fake.requests) == sent
    assert read_json(target)["greeting"] == "Bonjour à tous"
    assert translate(source, "--check").exit_code == 0


def test_removed_keys_are_reported_and_pruned_when_asked(translate, tmp_path, fake):
    source = write_json(tmp_path / "locales/en.json", SOURCE)
    assert translate(source).exit_code == 0
    target = tmp_path / "locales/fr.json"
    shorter = {k: v for k, v in SOURCE.items() if k != "bye"}
    write_json(source, shorter)
    result = translate(source)
    assert result.exit_code == 0, result.output
    assert "removed from the source: bye" in result.stderr
    assert "bye" in read_json(target)  # kept until --prune
    checked = translate(source, "--check")
    assert checked.exit_code == 1
    assert "fr: orphaned (no longer in the source; --prune removes it): bye" in checked.stdout
    pruned = translate(source, "--prune")
    assert pruned.exit_code == 0, pruned.output
    assert "bye" not in read_json(target)
    assert "(1 pruned)" in pruned.stderr
    assert not [k for (_, k) in TranslationLock.read(lock_path(source)).made if k == "bye"]
    assert translate(source, "--check").exit_code == 0


def test_a_catalog_translated_elsewhere_is_taken_as_the_baseline(translate, tmp_path, fake):
    source = write_json(tmp_path / "locales/en.json", SOURCE)
    write_json(tmp_path / "locales/fr.json", {
        "cart": {"empty": "Votre panier est vide", "full": "Votre panier est plein"},
        "greeting": "Bonjour", "bye": "Au revoir", "items_one": "{{count}} article",
        "items_many": "{{count}} articles", "items_other": "{{count}} articles"})
    checked = translate(source, "--check")
    assert checked.exit_code == 0, checked.output  # complete, and no lock says otherwise
    assert not lock_path(source).exists()  # --check writes nothing
    result = translate(source)
    assert result.exit_code == 0, result.output
    assert len(fake.requests) == 0
    assert "5 existing translation(s) recorded in the lock as made from today's source " \
           "(nothing bought)" in result.stderr
    lock = TranslationLock.read(lock_path(source))
    assert {m.origin for (lang, _), m in lock.made.items() if lang == "fr"} == {"theirs"}
    write_json(source, {**SOURCE, "greeting": "Good morning"})
    again = translate(source)
    assert again.exit_code == 1  # a translation made elsewhere is not overwritten
    assert read_json(tmp_path / "locales/fr.json")["greeting"] == "Bonjour"


def test_check_lists_what_is_missing_and_sends_nothing(translate, tmp_path, fake, monkeypatch):
    source = write_json(tmp_path / "locales/en.json", SOURCE)
    write_json(tmp_path / "locales/fr.json", {"greeting": "Bonjour"})
    monkeypatch.delenv("OPENAI_API_KEY")  # a check needs no key
    checked = translate(source, "--check", "--json")
    assert checked.exit_code == 1
    assert len(fake.requests) == 0
    report = json.loads(checked.stdout)
    assert report["current"] is False
    assert sorted(report["languages"][0]["missing"]) == sorted(
        ['"Your cart is empty" (cart.empty)', '"Your cart is full" (cart.full)',
         '"Bye" (bye)', '"{{count}} item" (items)'])
    assert not (tmp_path / "locales/en.json.lock").exists()


def test_a_broken_lock_is_an_error_naming_its_line(translate, tmp_path, fake):
    source = write_json(tmp_path / "locales/en.json", SOURCE)
    lock_path(source).write_text("text\tabc\t\"not its id\"\n", encoding="utf-8")
    result = translate(source)
    assert result.exit_code == 2
    assert f"translation lock {lock_path(source)}, line 1: text abc does not match its id" \
        in result.output
    assert len(fake.requests) == 0


# -- A real project at two releases: Strapi's Media Library (npm @strapi/plugin-upload) --------

STRAPI = Path(__file__).parent / "data/lifecycle/strapi"


def _keys(path: Path) -> dict[str, str]:
    return json.loads(path.read_text(encoding="utf-8"))


def test_strapi_between_two_releases_buys_exactly_what_changed(translate, tmp_path, fake):
    """@strapi/plugin-upload's real en.json at 4.0.0, then at 4.5.0 (21 keys added, 14 changed,
    9 removed, ICU plurals among them): the release run translates exactly the added keys and
    the changed ones whose translation is ours (a text that repeats is sent once), keeps the
    one a person edited and reports it, prunes the removed keys; --check lists exactly that
    before, and nothing once the edit is accepted."""
    capable = FakeTranslator(language="fr", icu_cases=True)  # gives French's plural cases
    old, new = _keys(STRAPI / "4.0.0/en.json"), _keys(STRAPI / "4.5.0/en.json")
    added = set(new) - set(old)
    removed = set(old) - set(new)
    changed = {k for k in set(old) & set(new) if old[k] != new[k]}
    assert (len(added), len(removed), len(changed)) == (21, 9, 14)
    source = tmp_path / "translations/en.json"
    source.parent.mkdir()
    source.write_text((STRAPI / "4.0.0/en.json").read_text(encoding="utf-8"), encoding="utf-8")
    assert translate(source, translator=capable).exit_code == 0
    french_path = tmp_path / "translations/fr.json"
    french = _keys(french_path)
    assert set(french) == set(old)
    edited = "settings.form.autoOrientation.label"  # its English changes in 4.5.0
    french[edited] = "Orientation automatique (revue)"
    write_json(french_path, french)
    source.write_text((STRAPI / "4.5.0/en.json").read_text(encoding="utf-8"), encoding="utf-8")

    checked = translate(source, "--check", "--json")
    assert checked.exit_code == 1
    report = json.loads(checked.stdout)["languages"][0]
    assert len(report["missing"]) == len(added)
    assert {s["key"].rsplit(" (", 1)[1][:-1] for s in report["stale"]} == changed
    assert [s["ours"] for s in report["stale"] if edited in s["key"]] == [False]
    assert sorted(report["orphaned"]) == sorted(removed)

    first = len(asked(fake))
    result = translate(source, "--prune", translator=capable)
    assert result.exit_code == 1, result.output  # the edited one is kept, for review
    wanted = added | (changed - {edited})
    sent = asked(fake)[first:]
    assert {e["context"] for e in sent} <= wanted  # nothing else bought
    assert {new[e["context"]] for e in sent} == {new[k] for k in wanted}  # each text once
    assert all("earlier_translation" in e for e in sent if e["context"] in changed)
    after = _keys(french_path)
    assert set(after) == set(new)  # removed keys pruned, every key there
    for key in wanted:  # translated from the new text
        assert after[key].startswith("[fr] ") and after[key] != french.get(key), key
    assert after[edited] == "Orientation automatique (revue)"
    assert {k: after[k] for k in set(new) - wanted} == {
        k: french[k] for k in set(new) - wanted}  # everything else as it was
    assert f"source changes: {len(added)} added, {len(changed) - 1} updated, 1 kept as " \
           f"they were (stale, for review), {len(removed)} removed from the source " \
           f"({len(removed)} pruned)" in result.stderr
    assert "Enable auto orientation" in result.stderr and "Auto orientation" in result.stderr

    assert translate(source, "--check").exit_code == 1  # the edit is still to be reviewed
    assert translate(source, "--accept-stale").exit_code == 0
    clean = translate(source, "--check")
    assert clean.exit_code == 0, clean.output
    assert "every catalog is complete and current" in clean.stdout


def test_strapis_own_french_is_the_baseline_of_a_first_run(translate, tmp_path, fake):
    """Strapi's real, partial fr.json (81 of 104 keys at 4.0.0), translated elsewhere: the first
    run buys exactly the 23 missing keys and records the 81 as they are."""
    folder = tmp_path / "translations"
    folder.mkdir()
    for name in ("en.json", "fr.json"):
        (folder / name).write_text((STRAPI / "4.0.0" / name).read_text(encoding="utf-8"),
                                   encoding="utf-8")
    old, french = _keys(folder / "en.json"), _keys(folder / "fr.json")
    existing = set(old) & {k for k, v in french.items() if v}
    result = translate(folder / "en.json", translator=FakeTranslator(language="fr",
                                                                      icu_cases=True))
    assert result.exit_code == 0, result.output
    assert {e["context"] for e in asked(fake)} <= set(old) - existing
    assert set(_keys(folder / "fr.json")) >= set(old)  # the missing ones, shared texts too
    assert f"{len(existing)} existing translation(s) recorded in the lock" in result.stderr
    assert {k: v for k, v in _keys(folder / "fr.json").items() if k in existing} == {
        k: french[k] for k in existing}
