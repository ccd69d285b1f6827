"""Apple .stringsdict and String Catalogs (.xcstrings): Mapbox's real .stringsdict files (in
20 languages upstream; en, fr, de, ru, ar, pl, zh-Hant here) and a String Catalog made of the
same strings (tests/data/formats/apple/*/SOURCE.txt), translated through the loopback server.
plutil is not available here: every file written is read back by plistlib / json and, for
.stringsdict, by translate-toolkit's store."""

from __future__ import annotations

import json
import plistlib

from catalog_data import asked, copy_tree, into
from fake_translator import FakeTranslator, translate_text
from translate.storage.stringsdict import StringsDictFile

from pipeline.catalogs.xcstrings import dump
from pipeline.languages import cldr_categories

MAPBOX = "apple/mapbox-gl-native/package/platform"
IOS = f"{MAPBOX}/ios/resources"
DARWIN = f"{MAPBOX}/darwin/resources"
CATALOG = "apple/xcstrings/Localizable.xcstrings"
FORMAT = "NSStringLocalizedFormatKey"


# -- .stringsdict ---------------------------------------------------------------------------

def test_stringsdict_new_language_has_its_cldr_categories(translate, tmp_path, fake):
    """Mapbox's en Localizable.stringsdict (3 keys, one plural variable each, declared 'ld'):
    pl.lproj gets Polish's one/few/many/other for every variable, the format keys and value
    types as the source has them, and translate-toolkit reads the file back."""
    folder = copy_tree(IOS, tmp_path)
    source = folder / "en.lproj/Localizable.stringsdict"
    result = into(translate, source, "pl")
    assert result.exit_code == 0, result.output
    out = folder / "pl.lproj/Localizable.stringsdict"
    written = plistlib.loads(out.read_bytes())
    english = plistlib.loads(source.read_bytes())
    assert list(written) == list(english)
    for key, value in written.items():
        assert value[FORMAT] == english[key][FORMAT]
        for name, cases in value.items():
            if name == FORMAT:
                continue
            own = english[key][name]
            assert cases["NSStringFormatValueTypeKey"] == own["NSStringFormatValueTypeKey"]
            plural = [c for c in cases if not c.startswith("NS")]
            assert plural == cldr_categories("pl") == ["one", "few", "many", "other"]
            assert all(cases[c] == translate_text(own["other"], "pl") for c in plural)
    store = StringsDictFile()
    store.parse(out.read_bytes())
    assert len(store.units) == 3
    # Nothing to translate in a format that is one variable: only the plural groups went.
    assert len(asked(fake)) == 3 and all(
        [f.split(":")[0] for f in e["forms"]] == ["one", "few", "many", "other"]
        for e in asked(fake))


def test_stringsdict_existing_translations_are_kept_byte_for_byte(translate, tmp_path, fake):
    """ru and ar Foundation.stringsdict are complete: nothing is asked and they stay byte
    for byte. With COORD_SEC_LONG removed from ar, only it is asked for, with Arabic's six
    categories, and the rest of the file (plistlib's own layout, as Mapbox's files are) is
    unchanged. German has only a stale two-variable key: the three keys are added after it,
    and it stays."""
    folder = copy_tree(DARWIN, tmp_path)
    source = folder / "en.lproj/Foundation.stringsdict"
    real = {lang: (folder / f"{lang}.lproj/Foundation.stringsdict").read_bytes()
            for lang in ("ru", "ar")}
    result = into(translate, source, "ru")
    assert result.exit_code == 0 and asked(fake) == []
    assert (folder / "ru.lproj/Foundation.stringsdict").read_bytes() == real["ru"]

    arabic = plistlib.loads(real["ar"])
    del arabic["COORD_SEC_LONG"]
    path = folder / "ar.lproj/Foundation.stringsdict"
    path.write_bytes(plistlib.dumps(arabic, sort_keys=False))
    trimmed = path.read_bytes()
    result = into(translate, source, "ar", "--journal", str(tmp_path / "ar.sqlite"))
    assert result.exit_code == 0, result.output
    assert [e["context"] for e in asked(fake)] == ["COORD_SEC_LONG (plural variable seconds)"]
    assert [f.split(":")[0] for f in asked(fake)[0]["forms"]] == [
        "zero", "one", "two", "few", "many", "other"]
    after = path.read_bytes()
    assert after.startswith(trimmed[:trimmed.rindex(b"</dict>\n</dict>")])
    assert list(plistlib.loads(after)) == ["COORD_DEG_LONG", "COORD_MIN_LONG", "COORD_SEC_LONG"]

    ios = copy_tree(IOS, tmp_path / "ios")
    german = ios / "de.lproj/Localizable.stringsdict"
    stale = plistlib.loads(german.read_bytes())
    result = into(translate, ios / "en.lproj/Localizable.stringsdict", "de",
                  "--journal", str(tmp_path / "de.sqlite"))
    assert result.exit_code == 0, result.output
    written = plistlib.loads(german.read_bytes())
    assert list(written) == ["MAP_A11Y_VALUE", "MAP_A11Y_VALUE_ANNOTATIONS",
                             "MAP_A11Y_VALUE_ROADS", "MAP_A11Y_VALUE_ZOOM"]
    assert written["MAP_A11Y_VALUE"] == stale["MAP_A11Y_VALUE"]


def test_stringsdict_variable_renamed_or_argument_lost_is_sent_back(translate, tmp_path, fake):
    """A format with text around two variables is translated too: an answer that renames
    %#@photos@ is refused; a plural form that loses its %d is refused; the entry is asked
    again alone and written once right."""
    source = tmp_path / "en.lproj/Localizable.stringsdict"
    source.parent.mkdir()
    source.write_bytes(plistlib.dumps({"ALBUM_SUMMARY": {
        FORMAT: "%#@photos@ and %#@videos@",
        "photos": {"NSStringFormatSpecTypeKey": "NSStringPluralRuleType",
                   "NSStringFormatValueTypeKey": "d", "one": "%d photo", "other": "%d photos"},
        "videos": {"NSStringFormatSpecTypeKey": "NSStringPluralRuleType",
                   "NSStringFormatValueTypeKey": "d", "one": "%d video", "other": "%d videos"},
    }}, sort_keys=False))
    translator = FakeTranslator(language="fr", rewrite_times=1, rewrite=lambda reply: reply
                                .replace("%#@photos@", "%#@photo@")
                                .replace("%d videos", "des vidéos"))
    result = translate(source, translator=translator)
    assert result.exit_code == 0, result.output
    problems = " ".join(str(e.get("problems")) for e in asked(fake) if e.get("problems"))
    assert "%#@photos@" in problems and "%d" in problems
    written = plistlib.loads((tmp_path / "fr.lproj/Localizable.stringsdict").read_bytes())
    entry = written["ALBUM_SUMMARY"]
    assert entry[FORMAT] == "[fr] %#@photos@ and %#@videos@"
    assert entry["videos"]["many"] == "[fr] %d videos"


# -- .xcstrings -----------------------------------------------------------------------------

def _localization(document: dict, key: str, language: str) -> dict | None:
    return document["strings"][key].get("localizations", {}).get(language)


def test_xcstrings_new_language_is_added_to_the_same_file(translate, tmp_path, fake):
    """The String Catalog (11 strings; en, fr, ru, ar): --to pl,de adds Polish and German to
    the same file, each plural with its CLDR categories, substitutions with their argNum and
    formatSpecifier, device variations per device; the shouldTranslate=false and stale strings
    are not sent; every other byte of the file is as it was (Xcode's layout)."""
    source = copy_tree(CATALOG, tmp_path)
    original = source.read_bytes()
    assert dump(json.loads(original)) + "\n" == original.decode("utf-8")  # Xcode's layout
    base = FakeTranslator(language="xx")
    result = translate(source, "--to", "pl,de", translator=base)
    assert result.exit_code == 0, result.output
    document = json.loads(source.read_bytes())
    contexts = {e["context"] for e in asked(fake)}
    assert not any(c.startswith(("Mapbox", "OLD_COMPASS_LABEL")) for c in contexts)
    for language in ("pl", "de"):
        zoom = _localization(document, "MAP_A11Y_VALUE_ZOOM", language)
        assert sorted(zoom["variations"]["plural"]) == sorted(cldr_categories(language))
        value = _localization(document, "MAP_A11Y_VALUE", language)
        assert value["stringUnit"]["value"] == "[xx] %#@level@\n%#@count@"
        count = value["substitutions"]["count"]
        assert (count["argNum"], count["formatSpecifier"]) == (2, "ld")
        assert sorted(count["variations"]["plural"]) == sorted(cldr_categories(language))
        device = _localization(document, "Show %@ on the map", language)["variations"]["device"]
        assert device["mac"]["stringUnit"]["value"] == "[xx] Show %@ in the map window"
        assert _localization(document, "Mapbox", language) is None
    assert list(document["strings"]["COORD_DEG_LONG"]["localizations"]) == [
        "ar", "de", "en", "fr", "pl", "ru"]
    # Take the two new languages out again: the file is the original, byte for byte.
    for string in document["strings"].values():
        for language in ("pl", "de"):
            string.get("localizations", {}).pop(language, None)
    assert dump(document) + "\n" == original.decode("utf-8")


def test_xcstrings_existing_language_gets_only_what_it_lacks(translate, tmp_path, fake):
    """French is complete except MAP_A11Y_VALUE, the device string and COORD_DMS (which the
    catalog has in English only): exactly those are asked for; French's existing texts and
    states are untouched. A French text marked needs_review is asked again only with
    --fuzzy."""
    source = copy_tree(CATALOG, tmp_path)
    before = json.loads(source.read_bytes())
    result = translate(source)
    assert result.exit_code == 0, result.output
    keys = sorted({e["context"].split(" (")[0] for e in asked(fake)})
    assert keys == ["COORD_DMS", "MAP_A11Y_VALUE", "Show %@ on the map"]
    after = json.loads(source.read_bytes())
    for key in before["strings"]:
        if (own := _localization(before, key, "fr")) is not None:
            assert _localization(after, key, "fr") == own, key

    unit = after["strings"]["MAP_A11Y_VALUE_ROADS"]["localizations"]["fr"]["variations"][
        "plural"]["one"]["stringUnit"]
    unit["state"] = "needs_review"
    source.write_text(dump(after) + "\n", encoding="utf-8")
    seen = len(asked(fake))
    assert translate(source, "--journal", str(tmp_path / "2.sqlite")).exit_code == 0
    assert len(asked(fake)) == seen
    assert translate(source, "--fuzzy", "--journal", str(tmp_path / "3.sqlite")).exit_code == 0
    assert [e["context"] for e in asked(fake)[seen:]] == ["MAP_A11Y_VALUE_ROADS"]
    redone = json.loads(source.read_bytes())["strings"]["MAP_A11Y_VALUE_ROADS"]
    plural = redone["localizations"]["fr"]["variations"]["plural"]
    assert {c: v["stringUnit"]["state"] for c, v in plural.items()} == {
        c: "translated" for c in cldr_categories("fr")}


def test_xcstrings_entry_that_keeps_breaking_is_left_out(translate, tmp_path, fake):
    """COORD_DMS's %1$@, %2$@, %3$@: a translation that loses one is retried alone, then
    left out (the app shows English), named in the report; the rest is written."""
    source = copy_tree(CATALOG, tmp_path)
    translator = FakeTranslator(language="pl",
                                rewrite=lambda reply: reply.replace(" and %3$@", ""))
    result = into(translate, source, "pl", translator=translator)
    assert result.exit_code == 1, result.output
    assert "COORD_DMS" in result.stderr and "left for review: " in result.stderr
    document = json.loads(source.read_bytes())
    assert _localization(document, "COORD_DMS", "pl") is None
    assert _localization(document, "MAP_A11Y_VALUE_ZOOM", "pl") is not None


def test_an_english_zero_case_is_its_own_entry_and_the_targets_zero(translate, tmp_path, fake):
    """English has no CLDR zero category, so a source's zero case ("No files") is the app's
    own text for 0: it is asked for as its own entry, and written as the target's zero case,
    in French (no CLDR zero) as in Arabic (whose CLDR zero it fills)."""
    source = tmp_path / "en.lproj/Localizable.stringsdict"
    source.parent.mkdir()
    source.write_bytes(plistlib.dumps({"FILES": {
        FORMAT: "%#@files@",
        "files": {"NSStringFormatSpecTypeKey": "NSStringPluralRuleType",
                  "NSStringFormatValueTypeKey": "ld", "zero": "No files",
                  "one": "%ld file", "other": "%ld files"}}}, sort_keys=False))
    for language in ("fr", "ar"):
        result = into(translate, source, language, "--journal",
                      str(tmp_path / f"{language}.sqlite"))
        assert result.exit_code == 0, result.output
        cases = plistlib.loads((tmp_path / f"{language}.lproj/Localizable.stringsdict")
                               .read_bytes())["FILES"]["files"]
        assert cases["zero"] == f"[{language}] No files"
        assert [c for c in cases if not c.startswith("NS")] == [
            c for c in ("zero", "one", "two", "few", "many", "other")
            if c == "zero" or c in cldr_categories(language)]
    assert "No files" in [e["text"] for e in asked(fake)]


def test_xcstrings_string_with_a_broken_substitution_is_left_out_whole(translate, tmp_path,
                                                                        fake):
    """MAP_A11Y_VALUE is "%#@level@\\n%#@count@" with two substitutions: when the count
    substitution keeps losing its %d, the format and the level substitution (translated
    fine) are not written either: a format whose %#@count@ has no substitution would show
    broken. The string is left for Polish review; the rest of the file is written."""
    source = copy_tree(CATALOG, tmp_path)
    translator = FakeTranslator(language="pl", sabotage={"%d annotation visible": "drop"},
                                times=10)
    result = into(translate, source, "pl", translator=translator)
    assert result.exit_code == 1, result.output
    document = json.loads(source.read_bytes())
    assert _localization(document, "MAP_A11Y_VALUE", "pl") is None
    assert _localization(document, "MAP_A11Y_VALUE_ANNOTATIONS", "pl") is None
    assert _localization(document, "MAP_A11Y_VALUE_ZOOM", "pl") is not None
    contexts = [e["context"] for e in asked(fake) if not e.get("problems")]
    assert "MAP_A11Y_VALUE (substitution level)" in contexts  # asked, accepted, held back
    assert "left for review: " in result.stderr and "substitution count" in result.stderr
    held = [line for line in result.stderr.splitlines() if "substitution level" in line]
    assert held and "translated, but not written" in held[0]


def test_stringsdict_key_with_a_refused_part_keeps_what_the_target_had(translate, tmp_path,
                                                                       fake):
    """A French file with ALBUM_SUMMARY's format translated but no plural texts yet: photos
    is translated, videos keeps losing its %d. The key is left as the French file had it (a
    format whose %#@videos@ has no texts would show broken), photos is reported as held back
    with it, and the file is written and read back without complaint."""
    source = tmp_path / "en.lproj/Localizable.stringsdict"
    source.parent.mkdir()
    plural = {"NSStringFormatSpecTypeKey": "NSStringPluralRuleType",
              "NSStringFormatValueTypeKey": "d"}
    source.write_bytes(plistlib.dumps({"ALBUM_SUMMARY": {
        FORMAT: "%#@photos@ and %#@videos@",
        "photos": {**plural, "one": "%d photo", "other": "%d photos"},
        "videos": {**plural, "one": "%d video", "other": "%d videos"}}}, sort_keys=False))
    french = tmp_path / "fr.lproj/Localizable.stringsdict"
    french.parent.mkdir()
    french.write_bytes(plistlib.dumps({"ALBUM_SUMMARY": {
        FORMAT: "%#@photos@ et %#@videos@"}}, sort_keys=False))
    before = french.read_bytes()
    translator = FakeTranslator(language="fr", sabotage={"%d video": "drop"}, times=10)
    result = translate(source, translator=translator)
    assert result.exit_code == 1, result.output
    assert "not read back" not in result.output
    assert french.read_bytes() == before
    held = [line for line in result.stderr.splitlines() if "plural variable photos" in line]
    assert held and "translated, but not written" in held[0]


SHORTCUTS = {"sourceLanguage": "en", "version": "1.0", "strings": {
    "${applicationName} paste recent": {"localizations": {
        "de": {"stringSet": {"state": "translated", "values": [
            "${applicationName} Letzte einfügen", "${applicationName} Letzte"]}},
        "en": {"stringSet": {"state": "new", "values": [
            "${applicationName} paste recent", "Paste my last note in ${applicationName}",
            "${applicationName} paste the last one"]}}}},
    "Open ${name} in ${applicationName}": {"localizations": {
        "en": {"stringSet": {"state": "new", "values": [
            "Open ${name} in ${applicationName}", "Show ${name} with ${applicationName}"]}}}},
}}


def test_xcstrings_string_set_phrases_are_translated_as_a_set(translate, tmp_path, fake):
    """App Shortcuts' phrases (`stringSet`: alternative phrases, ${applicationName} kept):
    each phrase is an entry, told it is one of a set; the set is written whole, in the
    source's order, or not at all: a set whose phrase keeps losing its ${name} is left out
    and reported. German's own set (two phrases for English's three) is not asked again."""
    source = tmp_path / "AppShortcuts.xcstrings"
    source.write_text(dump(SHORTCUTS) + "\n", encoding="utf-8")
    translator = FakeTranslator(language="xx", rewrite=lambda reply: reply.replace(
        "[xx] Show ${name} with", "[xx] Show with"))
    result = translate(source, "--to", "fr,de", translator=translator)
    assert result.exit_code == 1, result.output
    sent = asked(fake)
    assert {e["text"] for e in sent} >= {"${applicationName} paste recent",
                                         "Paste my last note in ${applicationName}",
                                         "${applicationName} paste the last one"}
    assert "phrase 2 of a set of alternatives" in sent[1]["context"]
    assert not [e for e in sent if "Letzte" in str(e)]
    document = json.loads(source.read_bytes())
    paste = document["strings"]["${applicationName} paste recent"]["localizations"]
    assert paste["fr"] == {"stringSet": {"state": "translated", "values": [
        "[xx] ${applicationName} paste recent", "[xx] Paste my last note in ${applicationName}",
        "[xx] ${applicationName} paste the last one"]}}
    assert paste["de"] == SHORTCUTS["strings"]["${applicationName} paste recent"][
        "localizations"]["de"]
    opening = document["strings"]["Open ${name} in ${applicationName}"]["localizations"]
    assert sorted(opening) == ["en"]  # left out whole: no half a set
    assert "must keep every placeholder" in result.stderr
    assert "translated, but not written: its string is written whole" in result.stderr


VARIANTS = {
    "hello": {"NSStringVariableWidthRuleType": {
        "1": "Hi", "22": "Hello", "53": "Greetings and salutations"}},
    "tap_to_open": {"NSStringDeviceSpecificRuleType": {
        "iphone": "Tap %@ to open it", "mac": "Click %@ to open it", "other": "Select %@"}},
    "photos": {"NSStringDeviceSpecificRuleType": {
        "mac": {FORMAT: "%#@photos@", "photos": {
            "NSStringFormatSpecTypeKey": "NSStringPluralRuleType",
            "NSStringFormatValueTypeKey": "lld", "one": "%lld photo", "other": "%lld photos"}},
        "other": "Photos"}},
}


def test_stringsdict_width_and_device_variants_are_translated_per_variant(
        translate, tmp_path, fake):
    """Keys of width variants and of device variants (no format key) were refused as broken
    files; now each variant is an entry told its width or device, written in the source's
    order under the same rule. A device variant holding a plural rule of its own is not sent
    but reported, and its key (written whole) is left out; German's own variant is kept."""
    source = tmp_path / "en.lproj/Localizable.stringsdict"
    source.parent.mkdir()
    source.write_bytes(plistlib.dumps(VARIANTS))
    german = tmp_path / "de.lproj/Localizable.stringsdict"
    german.parent.mkdir()
    german.write_bytes(plistlib.dumps({"hello": {"NSStringVariableWidthRuleType": {
        "1": "Hallo", "80": "Einen wunderschönen guten Tag"}}}))
    translator = FakeTranslator(language="xx")
    result = translate(source, "--to", "fr,de", translator=translator)
    assert result.exit_code == 1, result.output  # the plural-in-a-device key, for review
    sent = asked(fake)
    contexts = {e["text"]: e["context"] for e in sent}
    assert "about 22 ems wide" in contexts["Hello"]
    assert contexts["Click %@ to open it"] == "tap_to_open (its variant for mac devices)"
    assert "%#@photos@" not in contexts and "Photos" not in contexts  # the key is left out
    assert "has a device variant holding a plural rule of its own" in result.stderr
    french = plistlib.loads((tmp_path / "fr.lproj/Localizable.stringsdict").read_bytes())
    assert list(french) == ["hello", "tap_to_open"]
    assert list(french["hello"]["NSStringVariableWidthRuleType"].items()) == [
        ("1", "[xx] Hi"), ("22", "[xx] Hello"), ("53", "[xx] Greetings and salutations")]
    assert french["tap_to_open"] == {"NSStringDeviceSpecificRuleType": {
        "iphone": "[xx] Tap %@ to open it", "mac": "[xx] Click %@ to open it",
        "other": "[xx] Select %@"}}
    deutsch = plistlib.loads(german.read_bytes())
    assert list(deutsch["hello"]["NSStringVariableWidthRuleType"].items()) == [
        ("1", "Hallo"), ("22", "[xx] Hello"), ("53", "[xx] Greetings and salutations"),
        ("80", "Einen wunderschönen guten Tag")]
