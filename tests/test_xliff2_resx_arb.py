"""XLIFF 2.0, .NET .resx and Flutter ARB catalogs from real packages (tests/data/formats/
{xliff2,resx,arb}/*/SOURCE.txt), translated through the loopback server by a translator that
breaks entries; every file written is read back by translate-toolkit (and lxml)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from catalog_data import asked, copy_tree, into
from fake_translator import FakeTranslator, translate_text
from lxml import etree

from pipeline.catalogs import open_catalog
from pipeline.catalogs.toolkit import read_translations

SBB = "xliff2/sbb-esta-angular/package/i18n/xlf2"
NGX = "xliff2/ngx-i18nsupport-lib/package/test/testdata/i18n"
MONO = "resx/mono"
CSHARP = f"{MONO}/external/corefx/src/Microsoft.CSharp/src/Resources"
NUGET = f"{MONO}/external/nuget-buildtasks/src/Microsoft.NuGet.Build.Tasks"
SQLITE = f"{MONO}/mcs/class/Mono.Data.Sqlite/resources"
COMPOSITION = f"{MONO}/external/corefx/src/System.ComponentModel.Composition/src/Resources"
TYPED = f"{MONO}/external/corefx/src/System.Resources.ResourceManager/tests/Resources"
PYARB = "arb/pyarb/pyarb-1.2.0/src/pyARB/localization/arbs"


def _units(path: Path) -> dict[str, etree._Element]:
    root = etree.parse(str(path)).getroot()
    return {u.get("id"): u for u in root.iter("{*}unit")}


def _target_xml(unit: etree._Element) -> str | None:
    target = unit.find("{*}segment/{*}target")
    if target is None:
        return None
    inner = etree.tostring(target, encoding="unicode", with_tail=False)
    inner = re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "", inner)
    return re.sub(r"^<target[^>]*>|</target>$", "", inner)


# -- XLIFF 2.0 ----------------------------------------------------------------------------

def test_xliff2_new_language_keeps_notes_and_inline_placeholders(translate, tmp_path, fake):
    """SBB's Angular messages.xlf (31 units, description and location notes, <ph/>
    placeholders, srcLang en-CH): messages.it.xlf gets trgLang="it" in an otherwise unchanged
    root tag and declaration, every unit a target on its own line with its <ph/> elements
    kept as elements and its segment marked translated; the descriptions reached the model,
    the source locations did not."""
    folder = copy_tree(SBB, tmp_path)
    source = folder / "messages.xlf"
    result = into(translate, source, "it", "--from", "en-CH")
    assert result.exit_code == 0, result.output
    out = folder / "messages.it.xlf"
    data = out.read_text(encoding="utf-8")
    original = source.read_text(encoding="utf-8")
    assert data.startswith('<?xml version="1.0" encoding="UTF-8" ?>\n'
                           '<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" '
                           'srcLang="en-CH" trgLang="it">')
    source_units, units = _units(source), _units(out)
    assert list(units) == list(source_units) and len(units) == 31
    for uid, unit in units.items():
        segment = unit.find("{*}segment")
        assert segment.get("state") == "translated", uid
        source_xml = re.sub(r"^<source>|</source>$", "", re.sub(
            r'\s+xmlns="[^"]*"', "", etree.tostring(segment.find("{*}source"),
                                                     encoding="unicode", with_tail=False)))
        assert _target_xml(unit) == translate_text(source_xml, "it"), uid
        # The notes are the source's, untouched.
        assert (etree.tostring(unit.find("{*}notes"))
                == etree.tostring(source_units[uid].find("{*}notes")))
    assert data.count("<ph ") == 2 * original.count("<ph ")
    assert "\n        <target>" in data and "</target></segment>" not in data
    sent = asked(fake)
    assert "Hidden button label to close the alert" in str(sent)
    assert ".ts:" not in str(sent)  # Angular's source locations are not sent


def test_xliff2_existing_translation_gets_only_its_missing_targets(translate, tmp_path, fake):
    """SBB's real messages.fr-CH.xlf (31 reviewed or translated targets): complete, nothing
    is asked and the file stays byte for byte; with three targets removed, exactly those
    three are asked for and every other byte stays."""
    folder = copy_tree(SBB, tmp_path)
    source = folder / "messages.xlf"
    french = folder / "messages.fr-CH.xlf"
    real = french.read_bytes()
    result = into(translate, source, "fr-CH", "--from", "en-CH")
    assert result.exit_code == 0, result.output
    assert asked(fake) == [] and french.read_bytes() == real

    removed = ["sbbAlertCloseAlert", "sbbPaginationNextPage", "sbbTagBadgePillAmountOfResults"]
    text = real.decode("utf-8")
    for uid in removed:
        text, n = re.subn(rf'(<unit id="{uid}">\s*<segment) state="\w+"(>\s*<source>.*?'
                          r"</source>)\s*<target>.*?</target>", r"\1\2", text, flags=re.S)
        assert n == 1, uid
    french.write_text(text, encoding="utf-8")
    result = into(translate, source, "fr-CH", "--from", "en-CH",
                  "--journal", str(tmp_path / "j2.sqlite"))
    assert result.exit_code == 0, result.output
    assert sorted(e["context"] for e in asked(fake)) == sorted(removed)
    units = _units(french)
    for uid in removed:
        assert units[uid].find("{*}segment").get("state") == "translated"
        assert _target_xml(units[uid]).startswith("[fr-CH] ")
    # Everything but the three new targets and their segments' state is the file as it was.
    kept = re.sub(r"\s*<target>\[fr-CH\].*?</target>", "",
                  french.read_text(encoding="utf-8"))
    for uid in removed:
        kept = re.sub(rf'(<unit id="{uid}">\s*<segment) state="translated"', r"\1", kept)
    assert kept == text


def test_xliff2_angular_icu_plural_follows_the_target_language(translate, tmp_path, fake):
    """ngx-i18nsupport's Angular extraction (German source, CRLF, nested <pc>, an ICU plural
    `{VAR_PLURAL, plural, =0 {...} =1 {...} other {...}}` and two selects): into Japanese
    (CLDR: other only) every unit is written, CRLF kept; into French the plural's translation
    lacks French's `one` and `many` cases, so it is asked again alone, then left without a
    target, with a note saying why, and reported."""
    master = copy_tree(f"{NGX}/ngExtractedMaster1.xlf2", tmp_path)
    source = master.with_name("messages.xlf")
    master.rename(source)
    result = into(translate, source, "ja", "--from", "de")
    assert result.exit_code == 0, result.output
    out = source.with_name("messages.ja.xlf")
    data = out.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n")  # CRLF, as the source
    assert len(read_translations(out, "xliff2", "ja")) == len(open_catalog(source).entries())
    units = _units(out)
    nested = next(u for u in units.values()
                  if u.find("{*}segment/{*}source/{*}pc/{*}pc") is not None)
    assert nested.find("{*}segment/{*}target/{*}pc/{*}pc") is not None

    result = into(translate, source, "fr", "--from", "de", "--journal", str(tmp_path / "fr.sqlite"))
    assert result.exit_code == 1, result.output
    assert "left for review" in result.stderr and "many" in result.stderr
    plural = next(u for u in _units(source.with_name("messages.fr.xlf")).values()
                  if "VAR_PLURAL, plural" in (u.findtext("{*}segment/{*}source") or ""))
    assert plural.find("{*}segment/{*}target") is None
    notes = plural.find("{*}notes")
    assert notes is not None and list(plural).index(notes) == 0  # notes come first (schema)
    assert "pipeline: not translated" in notes[-1].text
    retried = [e for e in asked(fake) if e.get("problems")]
    assert retried and "many" in str(retried[0]["problems"])


def test_xliff2_unit_marked_translate_no_is_not_sent(translate, tmp_path, fake):
    folder = copy_tree(SBB, tmp_path)
    source = folder / "messages.xlf"
    text = source.read_text(encoding="utf-8").replace('<unit id="sbbUsermenuLogin">',
                                                      '<unit id="sbbUsermenuLogin" '
                                                      'translate="no">')
    source.write_text(text, encoding="utf-8")
    result = into(translate, source, "de", "--from", "en-CH")
    assert result.exit_code == 0, result.output
    assert "sbbUsermenuLogin" not in [e["context"] for e in asked(fake)]
    unit = _units(folder / "messages.de.xlf")["sbbUsermenuLogin"]
    assert unit.get("translate") == "no" and unit.find("{*}segment/{*}target") is None


MULTI_SEGMENT = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en">
 <file id="f1">
  <unit id="welcome">
   <notes><note category="description">First-run screen</note></notes>
   <segment id="s1"><source>Welcome to %1$s.</source></segment>
   <ignorable><source> </source></ignorable>
   <segment id="s2"><source>Sign in to sync your files.</source></segment>
  </unit>
  <unit id="title"><segment><source>Settings</source></segment></unit>
 </file>
</xliff>
"""


def test_xliff2_unit_of_several_segments_is_translated_sentence_by_sentence(
        translate, tmp_path, fake):
    """A unit split into segments (as CAT tools segment by sentence) gets a target in each
    segment, its <ignorable> left alone; each segment is judged on its own (the one whose
    printf placeholder was dropped is retried alone: an XLIFF unit with printf directives, as
    Xcode exports them, keeps them), and the model is shown the whole message."""
    source = tmp_path / "messages.xlf"
    source.write_text(MULTI_SEGMENT, encoding="utf-8")
    # The first reply drops the printf placeholder of the first segment, as models do.
    translator = FakeTranslator(language="fr", rewrite=lambda reply: reply.replace(
        "Welcome to %1$s.", "Welcome."), rewrite_times=1)
    result = into(translate, source, "fr", translator=translator)
    assert result.exit_code == 0, result.output
    assert "3 translated (1 of them after a retry alone)" in result.stderr
    unit = _units(tmp_path / "messages.fr.xlf")["welcome"]
    segments = unit.findall("{*}segment")
    assert [s.get("id") for s in segments] == ["s1", "s2"]
    assert [s.findtext("{*}target") for s in segments] == [
        "[fr] Welcome to %1$s.", "[fr] Sign in to sync your files."]
    assert [s.get("state") for s in segments] == ["translated"] * 2
    ignorable = unit.find("{*}ignorable")
    assert ignorable.findtext("{*}source") == " " and ignorable.find("{*}target") is None
    sent = {e["text"]: e for e in asked(fake)}
    whole = "Welcome to %1$s. Sign in to sync your files."
    for text in ("Welcome to %1$s.", "Sign in to sync your files."):
        assert sent[text]["notes"] == [
            "First-run screen", f"One of 2 sentences of a message that reads in full: {whole}"]
    assert "notes" not in sent["Settings"]


# -- .NET .resx -----------------------------------------------------------------------------

def test_resx_satellite_gets_only_its_missing_strings(translate, tmp_path, fake):
    """Microsoft.CSharp's real Strings.fr.resx (86 strings, 21 no longer in the neutral file,
    3 of the neutral's missing; UTF-8 BOM): exactly the 3 missing are asked for, added after
    the last <data> in the file's layout; every other byte (the stale strings too) stays."""
    folder = copy_tree(CSHARP, tmp_path)
    french = folder / "Strings.fr.resx"
    real = french.read_bytes()
    result = translate(folder / "Strings.resx")
    assert result.exit_code == 0, result.output
    missing = ["BadNonTrailingNamedArgument", "DynamicArgumentNeedsValue",
               "TypeArgumentRequiredForStaticCall"]
    assert sorted(e["context"] for e in asked(fake)) == missing
    after = french.read_bytes()
    head = real[:real.rindex(b"</data>") + len(b"</data>")]
    assert after.startswith(head) and after.endswith(b"\n</root>\n")
    assert after.startswith(b"\xef\xbb\xbf")
    read = read_translations(french, "resx", "fr")
    source = {e.key: e.source for e in open_catalog(folder / "Strings.resx").entries()}
    for key in missing:
        assert read[key] == [translate_text(source[key], "fr")]
        assert f'\n  <data name="{key}" xml:space="preserve">\n    <value>[fr] ' in \
            after.decode("utf-8-sig")


def test_resx_new_satellite_keeps_comments_layout_and_typed_entries_out(translate, tmp_path,
                                                                       fake):
    """NuGet's Strings.resx (14 translator <comment>s, one over three lines, no final line
    break, a BOM): Strings.de.resx has every string translated with its comment kept as the
    source has it and the header comment and schema as they were. Mono.Data.Sqlite's
    SR.resx (CRLF, two ResXFileRef entries and one string): only the string is sent, and the
    German file keeps CRLF and leaves the file references to the neutral resources."""
    folder = copy_tree(NUGET, tmp_path)
    source = folder / "Strings.resx"
    result = into(translate, source, "de")
    assert result.exit_code == 0, result.output
    out = folder / "Strings.de.resx"
    data, original = out.read_bytes(), source.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.endswith(b"</root>")
    assert data[:original.index(b"<data ")] == original[:original.index(b"<data ")]
    source_root = etree.fromstring(original)
    root = etree.fromstring(data)
    assert ([d.findtext("comment") for d in root.iter("data")]
            == [d.findtext("comment") for d in source_root.iter("data")])
    assert "1 - package version \n2 - package folder path" in data.decode("utf-8-sig")
    for data_el, source_el in zip(root.iter("data"), source_root.iter("data"), strict=True):
        assert data_el.findtext("value") == translate_text(source_el.findtext("value"), "de")
    sent = asked(fake)
    assert "0 - package id" in str(sent)  # the comments reach the model

    sqlite = copy_tree(SQLITE, tmp_path / "s")
    result = into(translate, sqlite / "SR.resx", "de", "--journal", str(tmp_path / "s.sqlite"))
    assert result.exit_code == 0, result.output
    assert [e["context"] for e in asked(fake)[len(sent):]] == ["Keywords"]
    german = (sqlite / "SR.de.resx").read_bytes()
    assert german.count(b"\r\n") == german.count(b"\n")
    names = [d.get("name") for d in etree.fromstring(german).iter("data")]
    assert names == ["Keywords"]
    assert b"<assembly alias=" in german


def test_resx_format_specifier_lost_is_left_out(translate, tmp_path, fake):
    """System.ComponentModel.Composition's three strings with {0:N0} (a number format): a
    translation that writes {0} instead is refused, retried alone with the problem stated, then
    left out of Strings.fr.resx (.NET falls back to the neutral resources) and named in the
    report; every other string is written."""
    folder = copy_tree(COMPOSITION, tmp_path)
    source = folder / "Strings.resx"
    entries = open_catalog(source).entries()
    formatted = [e.key for e in entries if "{0:N0}" in e.source]
    assert len(formatted) == 3
    translator = FakeTranslator(language="fr",
                                rewrite=lambda reply: reply.replace("{0:N0}", "{0}"))
    result = translate(source, translator=translator)
    assert result.exit_code == 1, result.output
    assert result.stderr.count("left for review: ") == 3
    retried = [e for e in asked(fake) if e.get("problems")]
    assert retried and "{0:N0}" in str(retried[0]["problems"])
    read = read_translations(folder / "Strings.fr.resx", "resx", "fr")
    assert set(read) == {e.key for e in entries} - set(formatted)


def test_resx_of_typed_values_only_has_nothing_to_translate(translate, tmp_path, fake):
    """corefx's test resources (an Int32, a Double, a byte array, a serialized object): no
    string to translate, said before anything is sent."""
    folder = copy_tree(TYPED, tmp_path)
    result = translate(folder / "TestResx.netstandard17.resx")
    assert result.exit_code == 2 and "no entries to translate" in result.output
    assert fake.requests == []


# -- Flutter ARB ----------------------------------------------------------------------------

def test_arb_existing_catalog_gets_only_its_missing_message(translate, tmp_path, fake):
    """pyarb's es_ES.arb lacks one of en_US.arb's 28 messages: only it is asked for (with its
    description and its placeholders' types and examples), added with its @metadata; the
    file keeps CRLF, no final line break, its empty "@no": {} and every other byte."""
    folder = copy_tree(PYARB, tmp_path)
    spanish = folder / "es_ES.arb"
    real = spanish.read_bytes()
    result = into(translate, folder / "en_US.arb", "es-ES")
    assert result.exit_code == 0, result.output
    assert [e["context"] for e in asked(fake)] == ["stockChange"]
    # Its description and what its placeholders hold reach the model.
    notes = str(asked(fake)[0])
    assert "Show when a stock has changed" in notes and "{pnl}: double" in notes
    assert "e.g. 1,234.56%" in notes
    after = spanish.read_bytes()
    assert after.startswith(real[:real.rindex(b"}")].rstrip(b"\r\n }"))
    assert b'"@no": {}' in after and not after.endswith(b"\n")
    assert after.count(b"\r\n") == after.count(b"\n")
    data = json.loads(after)
    assert data["stockChange"].startswith("[es-ES] {stock} has received")
    assert data["@stockChange"]["placeholders"]["pnl"]["type"] == "double"


def test_arb_plural_is_judged_by_the_target_languages_categories(translate, tmp_path, fake):
    """en_US.arb's `{count, plural, offset:1 zero{..} one{..} other{..}}`: Latvian has exactly
    zero, one and other, so the message is written; French needs one, many and other, so a
    translation with zero is sent back, then left out and reported."""
    folder = copy_tree(PYARB, tmp_path)
    source = folder / "en_US.arb"
    result = into(translate, source, "lv")
    assert result.exit_code == 0, result.output
    latvian = json.loads((folder / "lv.arb").read_bytes())
    assert "offset:1 zero{" in latvian["notificationRequestedToFollow"]
    assert len([k for k in latvian if not k.startswith("@")]) == 28

    result = translate(source, "--journal", str(tmp_path / "fr.sqlite"))
    assert result.exit_code == 1, result.output
    french = json.loads((folder / "fr.arb").read_bytes())
    assert "notificationRequestedToFollow" not in french
    assert "@notificationRequestedToFollow" not in french
    assert "notificationRequestedToFollow" in result.stderr and "many" in result.stderr
    assert french["unitedStates"] == "[fr] United States"


@pytest.mark.parametrize(("name", "text", "says"), [
    ("en.lproj/Localizable.stringsdict",
     '<?xml version="1.0"?>\n<plist version="1.0"><dict><key>a</key>',
     "not a readable .stringsdict property list"),
    ("Localizable.xcstrings", '{"sourceLanguage": "en", "strings": {"a": {}', "not valid JSON"),
    ("Strings.resx", '<?xml version="1.0"?>\n<root><data name="a"><value>x</value></data>',
     "not a readable .NET .resx file"),
    ("app_en.arb", '{"hello": "Hi",\n', "not a readable Flutter ARB file"),
    ("messages.xlf", '<?xml version="1.0"?>\n<xliff version="2.0" xmlns="urn:oasis:names:tc:'
     'xliff:document:2.0" srcLang="en"><file id="f"><unit id="u"><segment><source>Hi',
     "not a readable XLIFF 2.0 file"),
])
def test_a_broken_catalog_of_a_new_format_is_named_before_anything_is_sent(
        translate, tmp_path, fake, name, text, says):
    source = tmp_path / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    result = translate(source)
    assert result.exit_code == 2, result.output
    assert str(source) in result.output and says in result.output
    assert "Traceback" not in result.output and fake.requests == []
