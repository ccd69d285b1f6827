"""App catalog formats through translate-toolkit: real Android, Apple, .properties and Rails
YAML catalogs from packages (tests/data/formats/*/SOURCE.txt), translated through the loopback
server by a translator that breaks some entries; each file written is read back by the
format's own reader (lxml for Android, java for .properties, the toolkit for all)."""

from __future__ import annotations

import difflib
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from catalog_data import asked, copy_tree, into, written_forms
from fake_translator import FakeTranslator, entries, translate_text
from lxml import etree

from pipeline.catalogs import open_catalog
from pipeline.catalogs.java_properties import java_reads
from pipeline.catalogs.xcstrings import dump as dump_xcstrings
from pipeline.languages import cldr_categories

WEECHAT = "android/fdroidserver-weechat/app/src/main/res/values/strings.xml"
BARCODE = "android/cordova-plugin-barcodescanner/res"
XERCES = "properties/org/apache/xerces/impl"




def xml_text(text: str) -> str:
    """`<br />` and `<br/>` are one element (lxml writes the second)."""
    return re.sub(r"\s+/>", "/>", text)




# -- Android --------------------------------------------------------------------------------

def _android_strings(path: Path) -> dict[str, etree._Element]:
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False)).getroot()
    return {el.get("name"): el for el in root if el.tag in ("string", "plurals")}


def test_android_catalog_lands_in_values_fr_with_french_plurals(translate, tmp_path, fake):
    """Weechat-Android's strings (303 translatable, 9 <plurals>, 10 translatable="false",
    13 <string-array>s, CDATA, a DOCTYPE entity): values-fr/strings.xml gets every
    translatable string, each <plurals> with French's CLDR quantities, each translatable
    string-array whole (its @string/ references kept as they are), no untranslatable string or
    array (they stay in values/), the source's prolog (its DOCTYPE with the &nbsp; entity,
    which a string uses) and comments unchanged."""
    source = copy_tree(WEECHAT, tmp_path)
    result = translate(source)
    assert result.exit_code == 0, result.output
    out = source.parent.parent / "values-fr/strings.xml"
    written = _android_strings(out)
    catalog = open_catalog(source)
    entries_ = {e.key: e for e in catalog.entries()}
    items = {k for k in entries_ if "[" in k}
    assert len(items) == 36  # in 11 arrays; two more are translatable="false"
    assert set(written) == set(entries_) - items  # translatable="false" ones left to values/
    prolog = source.read_bytes().split(b"<resources")[0]
    assert out.read_bytes().startswith(prolog) and b"<!ENTITY nbsp" in prolog
    assert "&lt;&nbsp;and&nbsp;&gt;" in out.read_text(encoding="utf-8")
    reread = {e.key: e for e in open_catalog(out, "android").entries()}
    for key, entry in entries_.items():
        if entry.plural:
            quantities = [item.get("quantity") for item in written[key]]
            assert quantities == cldr_categories("fr"), (key, quantities)
            assert xml_text(reread[key].source) == xml_text(
                    translate_text(entry.source_plural, "fr"))
        else:
            assert xml_text(reread[key].source) == xml_text(
                    translate_text(entry.source, "fr")), key
    # Android requires apostrophes escaped: the toolkit wrote \' for every one.
    for el in written.values():
        for text in [el.text or ""] + [item.text or "" for item in el]:
            assert not re.search(r"(?<!\\)'", text) or text.startswith('"'), text
    source_root = etree.parse(str(source)).getroot()
    out_root = etree.parse(str(out)).getroot()
    arrays = {a.get("name"): a for a in source_root.iter("string-array")}
    written_arrays = {a.get("name"): a for a in out_root.iter("string-array")}
    assert set(written_arrays) == {n for n, a in arrays.items()
                                   if a.get("translatable") != "false"}
    for name, array in written_arrays.items():
        own = [item.text for item in arrays[name].iter("item")]
        got = [item.text for item in array.iter("item")]
        assert got == [t if t.startswith("@") else translate_text(t, "fr") for t in own], name
    assert "@string/pref__theme__theme__system" in out.read_text(encoding="utf-8")
    kept_comments = [c.text for c in out_root.iter(etree.Comment)]
    assert kept_comments and set(kept_comments) <= {c.text for c in source_root.iter(
        etree.Comment)}
    # translatable="false" only on the one @string/ item of a translated array
    assert out.read_text(encoding="utf-8").count("translatable") == 1


def test_android_existing_translation_gets_only_its_missing_strings(translate, tmp_path, fake):
    """ZXing Barcode Scanner's real values-fr with three strings removed: only those three
    (and app_name, which the real French file has only in a comment) are asked for, and
    everything the French file had stays byte for byte."""
    res = copy_tree(BARCODE, tmp_path)
    french = res / "values-fr/strings.xml"
    original = french.read_text(encoding="utf-8")
    removed = ["button_share_by_email", "menu_help", "msg_sbc_results"]
    trimmed = original
    for name in removed:
        trimmed, n = re.subn(rf'\n[ \t]*<string name="{name}">.*?</string>', "", trimmed,
                             flags=re.S)
        assert n == 1, name
    french.write_text(trimmed, encoding="utf-8")
    result = translate(res / "values/strings.xml")
    assert result.exit_code == 0, result.output
    assert sorted(e["context"] for e in asked(fake)) == sorted([*removed, "app_name"])
    after = french.read_text(encoding="utf-8")
    head, _, _ = trimmed.rpartition("</resources>")
    assert after.startswith(head), "the existing French strings were changed"
    got = _android_strings(french)
    source = {e.key: e for e in open_catalog(res / "values/strings.xml").entries()}
    reread = {e.key: e for e in open_catalog(french, "android").entries()}
    for name in removed:
        assert name in got
        assert reread[name].source == translate_text(source[name].source, "fr")


def test_android_entry_that_keeps_breaking_is_left_out_and_reported(translate, tmp_path):
    """A translation that drops %1$s is retried alone, then left out of values-fr (Android
    falls back to values/) and named in the report; the rest is written. A string-array one
    of whose items keeps coming back empty is left out whole (a shorter array would break the
    app's indexes), its other items reported as translated but not written."""
    source = copy_tree(WEECHAT, tmp_path)
    entries_ = open_catalog(source).entries()
    entry = next(e for e in entries_ if "%1$s" in e.source and not e.plural)
    translator = FakeTranslator(language="fr", sabotage={entry.source: "drop"}, times=10,
                                rewrite=lambda reply: reply.replace('"[fr] SSH tunnel"', '""'))
    result = translate(source, translator=translator)
    assert result.exit_code == 1, result.output
    assert "left for review" in result.stderr and entry.key in result.stderr
    assert "pref__connection_type_names[2]" in result.stderr
    assert result.stderr.count("a string-array is written whole and "
                               "pref__connection_type_names[2] was left for review") == 4
    out = source.parent.parent / "values-fr/strings.xml"
    written = _android_strings(out)
    strings = [e for e in entries_ if "[" not in e.key]
    assert entry.key not in written and len(written) == len(strings) - 1
    arrays = {a.get("name") for a in etree.parse(str(out)).getroot().iter("string-array")}
    assert len(arrays) == 10 and "pref__connection_type_names" not in arrays


def test_android_existing_translation_gets_its_missing_arrays_and_items(translate, tmp_path,
                                                                       fake):
    """A values-fr written earlier, then edited: one array removed, one cut to two of its
    five items, one reviewed by hand. Only the removed array's items and the cut array's
    last three are asked for; the array comes back whole where it was, laid out like the
    rest, the short one gets its items appended in order, the reviewed one is untouched."""
    source = copy_tree(WEECHAT, tmp_path)
    assert translate(source).exit_code == 0
    french = source.parent.parent / "values-fr/strings.xml"
    text = french.read_text(encoding="utf-8")
    alignment = re.search(r'\n    <string-array name="pref__look_n_feel__alignment_names">'
                          r'.*?</string-array>', text, flags=re.S)[0]
    text = text.replace(alignment, "")
    text = re.sub(r'(<string-array name="pref__connection_type_names">\s*<item>[^<]*</item>'
                  r'\s*<item>[^<]*</item>)(?:\s*<item>[^<]*</item>)*', r"\1", text)
    text = text.replace("[fr] Password</item>", "Mot de passe</item>")
    french.write_text(text, encoding="utf-8")
    before = len(fake.requests)
    result = translate(source, "--journal", str(tmp_path / "again.sqlite"))
    assert result.exit_code == 0, result.output
    sent = [e["context"] for request in fake.requests[before:] for e in entries(request)]
    assert sorted(sent) == sorted([*(f"pref__look_n_feel__alignment_names[{i}]"
                                     for i in range(4)),
                                   *(f"pref__connection_type_names[{i}]" for i in (2, 3, 4))])
    root = etree.parse(str(french)).getroot()
    arrays = {a.get("name"): [i.text for i in a.iter("item")] for a in root.iter("string-array")}
    assert arrays["pref__connection_type_names"] == [
        "[fr] Plain connection", "[fr] WeeChat SSL", "[fr] SSH tunnel", "[fr] WebSocket",
        "[fr] WebSocket (SSL)"]
    assert arrays["pref__look_n_feel__alignment_names"][0] == "[fr] Left aligned"
    assert arrays["pref__connection__ssh__authentication_method_names"] == [
        "Mot de passe", "[fr] Key"]
    written = french.read_text(encoding="utf-8")
    assert ("        <item>[fr] WebSocket</item>\n        <item>[fr] WebSocket (SSL)</item>\n"
            "    </string-array>") in written
    assert written.rstrip().endswith("    </string-array>\n</resources>")


def test_android_array_read_back_with_an_item_short_is_a_problem(tmp_path):
    """The read-back check a written file must pass: an array with fewer items than the
    source's is named (the app would index past its end)."""
    from pipeline.catalogs.android_units import array_length_problems

    source = copy_tree(WEECHAT, tmp_path)
    store = open_catalog(source).store
    data = source.read_bytes()
    assert array_length_problems(data, store, {"pref__connection_type_names"}) == []
    short = data.replace(b"<item>WebSocket (SSL)</item>", b"")
    assert array_length_problems(short, store, {"pref__connection_type_names"}) == [
        '<string-array name="pref__connection_type_names"> has 4 items, not the 5 of the '
        "source"]


PRODUCTS = """<?xml version="1.0" encoding="utf-8"?>
<resources xmlns:xliff="urn:oasis:names:tc:xliff:document:1.2">
    <!-- Shown before a factory reset -->
    <string name="erase_desc" product="tablet">Erase all data on the tablet</string>
    <string name="erase_desc" product="default">Erase all data on the phone</string>
    <plurals name="apps" product="tablet">
        <item quantity="one">%d app on this tablet</item>
        <item quantity="other">%d apps on this tablet</item>
    </plurals>
    <plurals name="apps" product="default">
        <item quantity="one">%d app on this phone</item>
        <item quantity="other">%d apps on this phone</item>
    </plurals>
</resources>
"""


def test_android_product_variants_are_entries_of_their_own(translate, tmp_path, fake):
    """AOSP's product="tablet" / product="default" variants share a name; the file was
    refused as holding a key twice. Each variant is its own entry (name[product=...]),
    written with its product attribute; a French file missing one variant gets only it."""
    source = tmp_path / "res/values/strings.xml"
    source.parent.mkdir(parents=True)
    source.write_text(PRODUCTS, encoding="utf-8")
    result = translate(source)
    assert result.exit_code == 0, result.output
    assert sorted(e["context"] for e in asked(fake)) == [
        "apps[product=default]", "apps[product=tablet]", "erase_desc[product=default]",
        "erase_desc[product=tablet]"]
    french = tmp_path / "res/values-fr/strings.xml"
    root = etree.parse(str(french)).getroot()
    assert [(e.tag, e.get("product"), e.text if e.tag == "string" else e[0].text)
            for e in root.iterchildren("string", "plurals")] == [
        ("string", "tablet", "[fr] Erase all data on the tablet"),
        ("string", "default", "[fr] Erase all data on the phone"),
        ("plurals", "tablet", "[fr] %d apps on this tablet"),
        ("plurals", "default", "[fr] %d apps on this phone")]
    assert all([i.get("quantity") for i in e] == cldr_categories("fr")
               for e in root.iter("plurals"))
    text = french.read_text(encoding="utf-8")
    french.write_text(re.sub(r'\n    <string name="erase_desc" product="default">.*?</string>',
                             "", text), encoding="utf-8")
    before = len(fake.requests)
    result = translate(source, "--journal", str(tmp_path / "again.sqlite"))
    assert result.exit_code == 0, result.output
    assert [e["context"] for r in fake.requests[before:] for e in entries(r)] == [
        "erase_desc[product=default]"]
    again = [(e.get("name"), e.get("product"))
             for e in etree.parse(str(french)).getroot().iterchildren("string", "plurals")]
    assert sorted(again) == sorted([("erase_desc", "tablet"), ("erase_desc", "default"),
                                    ("apps", "tablet"), ("apps", "default")])


def test_android_xliff_g_placeholders_are_kept_as_elements(translate, tmp_path, fake):
    """AOSP marks placeholders with <xliff:g id=".." example="..">%1$d</xliff:g>: an answer
    that unwraps one is sent back; the French string keeps both elements, in their
    namespace, with their attributes."""
    source = tmp_path / "res/values/strings.xml"
    source.parent.mkdir(parents=True)
    source.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<resources xmlns:xliff="urn:oasis:names:tc:xliff:document:1.2">\n'
        '    <string name="synced">Synced <xliff:g id="count" example="3">%1$d</xliff:g> items '
        'from <xliff:g id="account">%2$s</xliff:g></string>\n</resources>\n', encoding="utf-8")
    translator = FakeTranslator(language="fr", rewrite_times=1, rewrite=lambda reply: reply
                                .replace('<xliff:g id=\\"account\\">%2$s</xliff:g>', "%2$s"))
    result = translate(source, translator=translator)
    assert result.exit_code == 0, result.output
    retried = [e for e in asked(fake) if e.get("problems")]
    assert retried and "xliff:g" in str(retried[0]["problems"])
    string = _android_strings(tmp_path / "res/values-fr/strings.xml")["synced"]
    marks = list(string)
    assert [(m.tag, m.get("id"), m.text) for m in marks] == [
        ("{urn:oasis:names:tc:xliff:document:1.2}g", "count", "%1$d"),
        ("{urn:oasis:names:tc:xliff:document:1.2}g", "account", "%2$s")]
    assert marks[0].get("example") == "3" and string.text == "[fr] Synced "


# -- Java .properties ----------------------------------------------------------------------

def test_properties_values_read_as_the_toolkit_decodes_them():
    """Plain values skip the toolkit's character-by-character decoding (catalogs/
    java_properties.py): every value of the real bundles under tests/data (Xerces' in
    ISO-8859-1 with \\u escapes, pdf.js's in UTF-8) reads exactly as translate-toolkit's own
    class for that encoding reads it, source and target."""
    bundles = sorted(Path(__file__).parent.glob("data/**/*.properties"))
    assert len(bundles) >= 7
    escaped = 0
    for bundle in bundles:
        data = bundle.read_bytes()
        ours = open_catalog(bundle, "properties").parse(data, bundle)
        toolkit_class = type(ours).__bases__[0]
        assert toolkit_class.__module__ == "translate.storage.properties"
        theirs = toolkit_class.parsestring(data)
        assert [(u.getid(), u.source, u.target) for u in ours.units] == [
            (u.getid(), u.source, u.target) for u in theirs.units], bundle.name
        escaped += sum("\\" in u.value for u in theirs.units)
    assert escaped > 100  # values with escapes took the toolkit's path


def test_properties_translation_is_what_java_reads(translate, tmp_path):
    """Xerces' XMLMessages.properties (231 keys, {0} arguments, '' quotes, CRLF): the French
    bundle goes to XMLMessages_fr.properties, java's PropertyResourceBundle reads every value
    as translated, and the file keeps the source's comments and line ends."""
    if shutil.which("java") is None:
        pytest.skip("no JDK here (.ci/run installs one)")
    source = copy_tree(f"{XERCES}/msg/XMLMessages.properties", tmp_path)
    result = translate(source)
    assert result.exit_code == 0, result.output
    out = source.with_name("XMLMessages_fr.properties")
    read = java_reads(out.read_bytes())
    expected = java_reads(source.read_bytes())
    assert read is not None and expected is not None
    assert set(read) == set(expected)
    for key, value in expected.items():
        assert read[key] == translate_text(value, "fr"), key
    data = out.read_bytes()
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    comments = [line for line in source.read_bytes().split(b"\r\n") if line.startswith(b"#")]
    assert comments == [line for line in data.split(b"\r\n") if line.startswith(b"#")]


def test_message_format_apostrophe_is_sent_back(translate, tmp_path, fake):
    """In a MessageFormat string ({0} arguments) a lone apostrophe hides what follows: a
    translation with one is refused and asked again; the second answer doubles it."""
    source = tmp_path / "messages.properties"
    source.write_text("greeting=Welcome to {0}, {1}!\nplain=No arguments here\n",
                      encoding="utf-8")

    calls = {"n": 0}
    base = FakeTranslator(language="fr")

    def translator(request):
        calls["n"] += 1
        body = base(request)
        if calls["n"] == 1:  # the first answer writes l'application with a lone apostrophe
            content = body["choices"][0]["message"]["content"]
            body["choices"][0]["message"]["content"] = content.replace(
                "[fr] Welcome", "[fr] l'accueil de")
        else:
            content = body["choices"][0]["message"]["content"]
            body["choices"][0]["message"]["content"] = content.replace(
                "[fr] Welcome", "[fr] l''accueil de")
        return body

    fake.completion = translator
    result = translate(source, translator=translator)
    assert result.exit_code == 0, result.output
    assert calls["n"] == 2
    out = (tmp_path / "messages_fr.properties").read_text(encoding="utf-8")
    assert "greeting=[fr] l''accueil de to {0}, {1}!" in out
    assert any("single apostrophe" in str(e.get("problems")) for e in asked(fake))


def test_existing_properties_bundle_is_appended_to_not_rewritten(translate, tmp_path, fake):
    """Xerces' regex messages have a real message_fr.properties (\\uXXXX escapes): with two
    keys removed from it, only those two are asked for, and the file's other bytes stay."""
    folder = copy_tree(f"{XERCES}/xpath/regex", tmp_path)
    french = folder / "message_fr.properties"
    lines = french.read_bytes().split(b"\r\n")
    drop = [i for i, line in enumerate(lines) if line.startswith((b"parser.parse.1=",
                                                                   b"parser.cc.1="))]
    assert len(drop) == 2
    kept = b"\r\n".join(line for i, line in enumerate(lines) if i not in drop)
    french.write_bytes(kept)
    result = translate(folder / "message.properties")
    assert result.exit_code == 0, result.output
    assert sorted(e["context"] for e in asked(fake)) == ["parser.cc.1", "parser.parse.1"]
    after = french.read_bytes()
    assert after.startswith(kept.rstrip(b"\r\n"))
    if shutil.which("java"):
        read = java_reads(after)
        assert read is not None and read["parser.parse.1"].startswith("[fr] ")


# -- Apple .strings ------------------------------------------------------------------------

def test_apple_strings_go_to_fr_lproj_in_the_sources_encoding(translate, tmp_path):
    """Square's Localizable.strings is UTF-16 with a BOM and a %@ argument: fr.lproj gets a
    UTF-16 file whose %@ survived; QBImagePicker's ASCII one (14 %ld) gets UTF-8."""
    square = copy_tree("apple/react-native-square-in-app-payments/ios", tmp_path)
    source = square / "SquareInAppPayments-Resources/en.lproj/Localizable.strings"
    result = translate(source)
    assert result.exit_code == 0, result.output
    out = source.parent.parent / "fr.lproj/Localizable.strings"
    data = out.read_bytes()
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
    text = data.decode("utf-16")
    assert "[fr] Something went wrong" in text and "%@" in text
    assert "/* Error message shown when an unexpected error occurs */" in text

    picker = copy_tree("apple/react-native-image-crop-picker/ios", tmp_path / "p")
    source = next(picker.rglob("en.lproj/QBImagePicker.strings"))
    out = source.parent.parent / "fr.lproj/QBImagePicker.strings"
    real_french = out.read_bytes()
    assert translate(source, "--journal", str(tmp_path / "p.sqlite")).exit_code == 0
    assert out.read_bytes() == real_french  # complete already: nothing asked, nothing changed
    out.unlink()
    assert translate(source, "--journal", str(tmp_path / "p.sqlite")).exit_code == 0
    assert out.read_bytes().decode("utf-8")  # the source's encoding (ASCII: UTF-8)
    reread = {e.key: e.source for e in open_catalog(out, "apple").entries()}
    for entry in open_catalog(source).entries():
        assert reread[entry.key] == translate_text(entry.source, "fr")


def test_apple_unnumbered_arguments_keep_their_order(translate, tmp_path, fake):
    """%@ and %ld are positional: a translation that swaps them is sent back."""
    source = tmp_path / "en.lproj/Localizable.strings"
    source.parent.mkdir()
    source.write_text('/* count of photos in an album */\n"album.count" = "%@ has %ld photos";\n',
                      encoding="utf-8")
    translator = FakeTranslator(language="fr", sabotage={"%@ has": "swap_args"}, times=1)
    result = translate(source, translator=translator)
    assert result.exit_code == 0, result.output
    assert any("order" in str(e.get("problems")) for e in asked(fake))
    out = (tmp_path / "fr.lproj/Localizable.strings").read_text(encoding="utf-8")
    assert '"album.count" = "[fr] %@ has %ld photos";' in out


# -- Rails YAML ----------------------------------------------------------------------------

def test_rails_yaml_becomes_fr_yml_with_french_plural_keys(translate, tmp_path):
    """Action View's en.yml (11 one/other pairs with %{count}, a quoted root key): fr.yml has
    the root key fr, every %{name} kept, and each plural with French's CLDR keys."""
    from ruamel.yaml import YAML

    source = copy_tree("yaml/actionview/lib/action_view/locale/en.yml", tmp_path)
    result = translate(source)
    assert result.exit_code == 0, result.output
    out = source.with_name("fr.yml")
    data = YAML(typ="safe").load(out.read_text(encoding="utf-8"))
    assert list(data) == ["fr"]
    words = data["fr"]["datetime"]["distance_in_words"]
    assert sorted(words["x_minutes"]) == sorted(cldr_categories("fr"))
    assert all("%{count}" in v for v in words["x_minutes"].values())
    assert words["half_a_minute"] == "[fr] half a minute"


def test_rails_yaml_placeholder_renamed_is_refused(translate, tmp_path, fake):
    """Devise's en.yml: a translation that loses %{resource} is retried alone with the problem
    stated, then written once right."""
    source = copy_tree("yaml/devise/config/locales/en.yml", tmp_path)
    entry = next(e for e in open_catalog(source).entries() if "%{resource}" in e.source)
    translator = FakeTranslator(language="fr", sabotage={entry.source: "rename"}, times=1)
    result = translate(source, translator=translator)
    assert result.exit_code == 0, result.output
    retried = [e for e in asked(fake) if e.get("problems")]
    assert retried and "%{resource}" in str(retried[0]["problems"])
    assert "%{resource}" in source.with_name("fr.yml").read_text(encoding="utf-8")


def test_rails_yaml_settings_are_not_sent_and_keep_their_types(translate, tmp_path, fake):
    """Active Support's en.yml holds Rails' settings among its texts. Numbers and booleans
    (precision: 3, significant: false) were sent as "3" and "False" and written back quoted,
    which Ruby reads as a string ("False" is true); date.order's words and round_mode are read
    as symbols by Rails. None of them is sent; fr.yml has them as the source has, typed; the
    month names keep their leading ~ (there is no 0th month); the rest is translated."""
    from ruamel.yaml import YAML

    source = copy_tree("yaml/activesupport/lib/active_support/locale/en.yml", tmp_path)
    result = translate(source)
    assert result.exit_code == 0, result.output
    sent = {e["text"] for e in asked(fake)}
    assert not sent & {"3", "2", "False", "false", "True", "true", "year", "month", "day",
                       "default"}
    assert {"January", "Sun", "%Y-%m-%d", "Thousand"} <= sent
    french = YAML(typ="safe").load(source.with_name("fr.yml").read_text(encoding="utf-8"))["fr"]
    assert french["number"]["format"]["precision"] == 3
    assert french["number"]["currency"]["format"]["precision"] == 2
    assert french["number"]["format"]["significant"] is False
    assert french["number"]["human"]["format"]["significant"] is True
    assert french["number"]["format"]["round_mode"] == "default"
    assert french["date"]["order"] == ["year", "month", "day"]
    assert french["date"]["month_names"][:2] == [None, "[fr] January"]
    assert len(french["date"]["month_names"]) == 13
    assert french["number"]["human"]["storage_units"]["units"]["byte"] == {
        c: "[fr] Bytes" for c in cldr_categories("fr")}


REDMINE = "yaml/redmine/config/locales/en.yml"
ACTIVE_SUPPORT = "yaml/activesupport/lib/active_support/locale/en.yml"


def _yaml_line_value(line: str) -> Any:
    """What a line of a Rails file holds after its key (or its `- `), as YAML reads it."""
    from ruamel.yaml import YAML

    body = line.strip()
    body = body[2:] if body.startswith("- ") else body.split(": ", 1)[-1]
    return YAML(typ="safe").load(body)


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines of `before` that `after` does not keep as they are, and the lines it adds."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    removed, added = [], []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


@pytest.mark.parametrize("relative", [REDMINE, ACTIVE_SUPPORT])
def test_rails_yaml_keeps_what_it_did_not_translate_byte_for_byte(translate, tmp_path, fake,
                                                                 relative):
    """Redmine's and Active Support's en.yml into French: the only lines of the source not in
    fr.yml as they were are the root key and the lines of values translated; every line added
    holds a translation (or a plural key French adds). The untouched list `date.order` keeps
    its indentation, `~` stays `~` (ruamel wrote `- year` re-indented and `null`), comments,
    blank lines, quotes, the spaces aligning `one:   "Byte"` and long lines stay as written."""
    source = copy_tree(relative, tmp_path)
    result = translate(source)
    assert result.exit_code == 0, result.output
    sent = {e["text"] for e in asked(fake)} | {e.get("plural_text") for e in asked(fake)}
    original = source.read_text(encoding="utf-8")
    written = source.with_name("fr.yml").read_text(encoding="utf-8")
    removed, added = _changed_lines(original, written)
    assert removed[0] in ("en:\n", '"en":\n') and added[0] in ("fr:\n", '"fr":\n')
    for line in removed[1:]:  # a value that was translated, in a key's line or a list's
        if line.strip().split(":")[0] in ("zero", "one", "other"):
            continue  # a plural's key: its forms are French's (English `zero:` too)
        value = _yaml_line_value(line)
        values = value if isinstance(value, list) else [value]
        assert values and all(v is None or v in sent for v in values), line
        assert any(v is not None for v in values), line
    for line in added[1:]:
        assert "[fr] " in line, line
    kept = "".join(line for line in original.splitlines(keepends=True) if line not in removed)
    assert "    order:\n      - " in kept
    assert "      - :year" in written or "      - year" in written
    assert "month_names: [~, '[fr] January'" in written or (
        'month_names: [~, "[fr] January"' in written)
    for comment in re.findall(r"^ *#.*\n", original, flags=re.M):
        assert comment in written


def test_rails_yaml_plain_value_that_ruby_reads_as_a_boolean_is_quoted(translate, tmp_path,
                                                                      fake):
    """A plain value translated as "No" (Active Support's `thousand: Thousand`, answered so)
    is written quoted: Psych, Ruby's YAML 1.1 reader, reads a plain No as false."""
    from ruamel.yaml import YAML

    source = copy_tree(ACTIVE_SUPPORT, tmp_path)
    translator = FakeTranslator(language="es", rewrite=lambda reply: reply.replace(
        '"[es] Thousand"', '"No"').replace('"[es] Million"', '"1.5"'))
    result = into(translate, source, "es", translator=translator)
    assert result.exit_code == 0, result.output
    text = source.with_name("es.yml").read_text(encoding="utf-8")
    assert '          thousand: "No"\n' in text and "          million: '1.5'\n" in text
    yaml11 = YAML(typ="safe", pure=True)
    yaml11.version = (1, 1)
    units = yaml11.load(text)["es"]["number"]["human"]["decimal_units"]["units"]
    assert units["thousand"] == "No" and units["million"] == "1.5"


def test_rails_yaml_with_anchors_is_written_by_the_toolkit(translate, tmp_path, fake):
    """A value shared through an anchor is not edited in place (it stands for several keys):
    the file is written by ruamel's round trip, and reads back as translated."""
    source = tmp_path / "config/locales/en.yml"
    source.parent.mkdir(parents=True)
    source.write_text("en:\n  defaults: &defaults\n    save: Save\n    cancel: Cancel\n"
                      "  user:\n    <<: *defaults\n    title: Users\n", encoding="utf-8")
    result = translate(source)
    assert result.exit_code == 0, result.output
    found = written_forms("yaml", source.with_name("fr.yml"), "fr")
    assert found["defaults->save"] == ["[fr] Save"] and found["user->title"] == ["[fr] Users"]


def test_rails_yaml_list_with_an_item_left_for_review_is_left_out_whole(translate, tmp_path,
                                                                      fake):
    """Active Support's day_names with Tuesday never answered: fr.yml has no day_names (Rails
    falls back to the English list) rather than a list of six whose Tuesday is Wednesday (the
    item was removed and the rest moved up); the six translated days are reported as not
    written, and every other list is written whole, its ~ in place."""
    from ruamel.yaml import YAML

    source = copy_tree(ACTIVE_SUPPORT, tmp_path)
    translator = FakeTranslator(language="fr", sabotage={"Tuesday": "missing"}, times=99)
    result = translate(source, translator=translator)
    assert result.exit_code == 1, result.output
    french = YAML(typ="safe").load(source.with_name("fr.yml").read_text(encoding="utf-8"))
    date = french["fr"]["date"]
    assert "day_names" not in date
    assert date["abbr_day_names"] == [f"[fr] {d}" for d in
                                      ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")]
    assert date["month_names"][:2] == [None, "[fr] January"] and len(date["month_names"]) == 13
    assert result.stderr.count("left for review: ") == 7
    assert result.stderr.count("translated, but not written: a list is written whole and "
                               "date.day_names.[2] was left for review") == 6


def test_rails_yaml_existing_target_gains_only_its_missing_entries(translate, tmp_path, fake):
    """doorkeeper-i18n's real fr.yml (long lines, a block scalar, quoted 'yes' keys) with two
    of its strings cut: a run from en.yml asks for those two only and adds them beside their
    siblings; every other byte of fr.yml stays as it was (ruamel folded its long lines)."""
    folder = copy_tree("yaml/doorkeeper-i18n/rails/locales", tmp_path)
    french = folder / "fr.yml"
    trimmed, cuts = re.subn(r'(?<=\n)        edit: "Modifier"\n'
                            r"|(?<=\n)        application_id: \"ID de l'application\"\n",
                            "", french.read_text(encoding="utf-8"))
    assert cuts == 2
    french.write_text(trimmed, encoding="utf-8")
    result = translate(folder / "en.yml")
    assert result.exit_code == 0, result.output
    assert sorted(e["context"] for e in asked(fake)) == [
        "doorkeeper.applications.buttons.edit", "doorkeeper.applications.show.application_id"]
    removed, added = _changed_lines(trimmed, french.read_text(encoding="utf-8"))
    assert removed == []
    assert added == ['        edit: "[fr] Edit"\n',
                     '        application_id: "[fr] Application UID"\n'], added
    found = written_forms("yaml", french, "fr")
    assert found["doorkeeper->applications->buttons->edit"] == ["[fr] Edit"]


def test_rails_date_and_time_formats_keep_their_strftime_directives(translate, tmp_path, fake):
    """Redmine's date.formats and time.formats are strftime patterns ("%m/%d/%Y",
    "%m/%d/%Y %I:%M %p"). A translation that drops %d ("%m//%Y", a broken date in every view)
    or %I, changes %I to %H, or adds %Z is refused, asked again with the problem stated, and
    left for review, never written; one that reorders them for the language is written. Only
    those seven formats are judged so: a % elsewhere ("% Done") is text."""
    source = copy_tree(REDMINE, tmp_path)
    broken = {'"[pl] %m/%d/%Y"': '"[pl] %m//%Y"',
              '"[pl] %m/%d/%Y %I:%M %p"': '"[pl] %m/%d/%Y %M %p"',
              '"[pl] %I:%M %p"': '"[pl] %H:%M %p"',
              '"[pl] %d %b %H:%M"': '"[pl] %d %b %H:%M %Z"',
              '"[pl] %B %d, %Y"': '"[pl] %d %B %Y"'}  # reordered: right for Polish

    def rewrite(reply: str) -> str:
        for right, wrong in broken.items():
            reply = reply.replace(right, wrong)
        return reply

    translator = FakeTranslator(language="pl", rewrite=rewrite)
    result = into(translate, source, "pl", "--limit", "48", translator=translator)
    assert result.exit_code == 1, result.output
    formats = {e.key: e for e in open_catalog(source).entries() if e.rules.strftime}
    assert sorted(formats) == sorted(f"{kind}->formats->{name}" for kind, name in [
        ("date", "default"), ("date", "short"), ("date", "long"), ("time", "default"),
        ("time", "time"), ("time", "short"), ("time", "long")])
    sent = asked(fake)
    assert all("strftime" in str(e.get("notes")) for e in sent if "formats" in e["context"])
    problems = {e["context"]: str(e["problems"]) for e in sent if e.get("problems")}
    assert "strftime directive" in problems["date.formats.default"]
    assert "missing %d" in problems["date.formats.default"]
    assert "missing %I" in problems["time.formats.default"]
    assert "missing %I; unexpected %H" in problems["time.formats.time"]
    assert "unexpected %Z" in problems["time.formats.short"]
    assert result.stderr.count("left for review: ") == 4
    polish = written_forms("yaml", source.with_name("pl.yml"), "pl")
    assert polish["date->formats->long"] == ["[pl] %d %B %Y"]
    assert polish["time->formats->long"] == ["[pl] %B %d, %Y %H:%M"]
    for key in ("date->formats->default", "time->formats->default", "time->formats->time",
                "time->formats->short"):
        assert key not in polish
    assert "%m//%Y" not in source.with_name("pl.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["pl", "ru", "ar"])
def test_rails_app_catalog_with_plurals_is_written_with_the_languages_cldr_keys(
        translate, tmp_path, fake, language):
    """Redmine's en.yml (1311 strings, 19 one:/other: plurals) into Polish, Russian and
    Arabic, each plural answered with the categories asked for: the file is written (it was
    refused on read-back, 'reads back as 3 forms, not 4', and nothing delivered), reads back as
    translated, and each plural has the language's CLDR keys, as rails-i18n pluralizes them
    (Redmine's own ru.yml uses one/few/many/other)."""
    from ruamel.yaml import YAML

    source = copy_tree(REDMINE, tmp_path)
    result = into(translate, source, language)
    assert result.exit_code == 0, result.output
    out = source.with_name(f"{language}.yml")
    entries_ = open_catalog(source).entries()
    plurals = [e for e in entries_ if e.plural]
    assert len(entries_) == 1311 and len(plurals) == 19
    data = YAML(typ="safe").load(out.read_text(encoding="utf-8"))[language]
    categories = cldr_categories(language)
    assert len(categories) == (6 if language == "ar" else 4)
    for entry in plurals:
        node = data
        for part in entry.key.split("->"):
            node = node[part]
        assert list(node) == categories, (entry.key, list(node))
        assert set(node.values()) == {translate_text(entry.source_plural, language)}
    written = written_forms("yaml", out, language)
    for entry in entries_:
        own = translate_text(entry.source_plural or entry.source, language)
        assert written[entry.key] == [own] * len(categories if entry.plural else [1]), entry.key


# -- XLIFF 1.2 -----------------------------------------------------------------------------

SYMFONY = "xliff/Resources/translations"


def _xliff_units(path: Path) -> dict[str, etree._Element]:
    root = etree.parse(str(path)).getroot()
    return {u.get("id"): u for u in root.iter("{*}trans-unit")}


def _child_text(unit: etree._Element, name: str) -> str | None:
    found = unit.find(f"{{*}}{name}")
    return None if found is None else found.text


def test_symfony_xliff_becomes_validators_fr_xlf(translate, tmp_path):
    """Symfony's validators.en.xlf (116 units, {{ limit }} placeholders, 'a|b' plural
    strings): validators.fr.xlf (the real one removed first) has target-language fr, every
    unit's source as it was, a French target marked translated and not approved, and the
    file's layout and declaration."""
    folder = copy_tree(SYMFONY, tmp_path)
    (folder / "validators.fr.xlf").unlink()
    source = folder / "validators.en.xlf"
    result = translate(source)
    assert result.exit_code == 0, result.output
    out = folder / "validators.fr.xlf"
    text = out.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    assert 'target-language="fr"' in text and "approved=" not in text
    source_units, units = _xliff_units(source), _xliff_units(out)
    assert list(units) == list(source_units)
    for uid, unit in units.items():
        english = _child_text(source_units[uid], "source")
        assert _child_text(unit, "source") == english
        assert _child_text(unit, "target") == translate_text(english, "fr"), uid
        assert unit.find("{*}target").get("state") == "translated"
    # The source's indentation (four spaces a level) is kept, not the toolkit's two.
    assert '\n            <trans-unit id="1"' in text


def test_xliff_plural_forms_and_placeholders_are_kept(translate, tmp_path, fake):
    """A translation that loses a Symfony plural form or renames {{ limit }} is sent back;
    one that keeps failing stays in the file without a target, state needs-translation
    (Symfony shows the source), with the reason in a note."""
    folder = copy_tree(SYMFONY, tmp_path)
    (folder / "validators.fr.xlf").unlink()
    source = folder / "validators.en.xlf"
    entries_ = open_catalog(source).entries()
    plural = next(e for e in entries_ if "|" in e.source)
    renamed = next(e for e in entries_ if "{{ limit }}" in e.source and e is not plural
                   and "|" not in e.source)
    translator = FakeTranslator(language="fr", times=10,
                                sabotage={plural.source: "drop_form", renamed.source: "rename"})
    result = translate(source, translator=translator)
    assert result.exit_code == 1, result.output
    assert "|-separated form(s), Symfony's rule for fr" in result.stderr
    units = _xliff_units(folder / "validators.fr.xlf")
    for entry in (plural, renamed):
        unit = units[entry.context]
        assert unit.find("{*}target") is None
        assert "pipeline: not translated" in _child_text(unit, "note")
    assert sum(u.find("{*}target") is not None for u in units.values()) == len(entries_) - 2


RERUN = {  # format: (real catalog, the target written beside it)
    "xliff": (f"{SYMFONY}/validators.en.xlf", "validators.fr.xlf"),
    "xliff2": ("xliff2/sbb-esta-angular/package/i18n/xlf2/messages.xlf", "messages.fr.xlf"),
    "qt": ("qt/retext/retext_de.ts", "retext_fr.ts"),
}


@pytest.mark.parametrize("fmt", sorted(RERUN))
def test_a_rerun_leaves_a_unit_left_for_review_as_it_found_it(translate, tmp_path, fake, fmt):
    """A unit the translator never answers is left without a translation, with one
    `pipeline: not translated` note. Run again (and again), it is asked for again and again
    not answered: the file stays byte for byte as the first run wrote it (XLIFF 1.2 gained
    one more identical note on every run)."""
    relative, name = RERUN[fmt]
    source = copy_tree(relative, tmp_path)
    out = source.with_name(name)
    out.unlink(missing_ok=True)
    stuck = open_catalog(source).entries()[1]
    written = []
    for _run in range(3):
        translator = FakeTranslator(language="fr", sabotage={stuck.source: "missing"}, times=99)
        result = translate(source, translator=translator)
        assert result.exit_code == 1, result.output
        assert f"({stuck.context}): " in result.stderr
        written.append(out.read_bytes())
    assert written[0].count(b"pipeline: not translated") == 1
    for again in written[1:]:
        assert again == written[0], "\n".join(difflib.unified_diff(
            written[0].decode().splitlines(), again.decode().splitlines(), lineterm=""))
    # Answered at last (a journal without the broken replies): translated, and the note that
    # said why it was not is gone.
    result = translate(source, "--journal", str(tmp_path / "later.sqlite"))
    assert result.exit_code == 0, result.output
    assert b"pipeline: not translated" not in out.read_bytes()
    assert written_forms(fmt, out, "fr")[stuck.key] == [translate_text(stuck.source, "fr")]


@pytest.mark.parametrize(("language", "count"), [("ru", 3), ("ja", 1), ("fr", 2)])
def test_symfony_plural_takes_the_target_languages_form_count(translate, tmp_path, fake,
                                                               language, count):
    """Symfony picks a |-separated form by its own rule for the language: Russian needs 3
    forms, Japanese 1, French 2. The translator is told how many and for which n; an answer
    with the source's two forms is sent back for Russian and Japanese, and the one with the
    language's count is written."""
    folder = copy_tree(SYMFONY, tmp_path)
    (folder / f"validators.{language}.xlf").unlink(missing_ok=True)  # the real French one
    source = folder / "validators.en.xlf"
    plural = next(e for e in open_catalog(source).entries() if "|" in e.source)
    base = FakeTranslator(language=language)

    def translator(request):
        body = base(request)
        message = body["choices"][0]["message"]
        reply = json.loads(message["content"])
        for item, entry in zip(reply["translations"], entries(request), strict=True):
            if "|" in entry["text"] and entry.get("problems"):
                forms = item["forms"][0].split("|")  # the plural form repeated, or alone
                item["forms"] = ["|".join((forms + forms[-1:] * 3)[:count] if count > 1
                                          else forms[-1:])]
        message["content"] = json.dumps(reply, ensure_ascii=False)
        return body

    result = translate(source, "--to", language, translator=translator)
    assert result.exit_code == 0, result.output
    first = next(e for e in asked(fake) if e["text"] == plural.source)
    if count != 2:
        assert "in a single form" in str(first["forms"]) if count == 1 else \
            "3 forms separated by |" in str(first["forms"])
        retried = [e for e in asked(fake) if e["text"] == plural.source and e.get("problems")]
        assert retried and f"must have {count} |-separated" in str(retried[0]["problems"])
    target = _child_text(_xliff_units(folder / f"validators.{language}.xlf")[plural.context],
                         "target")
    assert target.count("|") == count - 1


#: The units of Symfony's real validators.fr.xlf whose <source> is an older English text than
#: validators.en.xlf's ("This value is not a valid UUID." -> "This is not a valid UUID.").
SYMFONY_STALE = ("37", "51", "59", "81", "83")


def test_existing_xliff_gets_only_its_missing_targets(translate, tmp_path, fake):
    """Symfony's real validators.fr.xlf with two units' targets removed: only those two are
    asked for. Five French units sit beside an older English source than the English file's:
    their translations are kept, reported as stale and marked for review (the source as it is
    now, state needs-review-translation, a note with the old source). Every other byte of the
    French file is as it was."""
    folder = copy_tree(SYMFONY, tmp_path)
    french = folder / "validators.fr.xlf"
    text = french.read_text(encoding="utf-8")
    before = _xliff_units(french)
    trimmed, n = re.subn(r'(<trans-unit id="(?:4|5)">\s*<source>[^<]*</source>)\s*<target>[^<]*'
                         r"</target>", r"\1", text)
    assert n == 2
    french.write_text(trimmed, encoding="utf-8")
    result = translate(folder / "validators.en.xlf")
    assert result.exit_code == 1, result.output  # the stale ones, for review
    assert sorted(e["context"] for e in asked(fake)) == ["4", "5"]
    after = french.read_text(encoding="utf-8")
    units = _xliff_units(french)
    for uid in ("4", "5"):
        english = _child_text(units[uid], "source")
        assert _child_text(units[uid], "target") == translate_text(english, "fr")
    english_units = _xliff_units(folder / "validators.en.xlf")
    for uid in SYMFONY_STALE:
        old = _child_text(before[uid], "source")
        assert f"its source was {json.dumps(old)}" in result.stderr
        assert _child_text(units[uid], "source") == _child_text(english_units[uid], "source")
        target = units[uid].find("{*}target")
        assert target.text == _child_text(before[uid], "target")
        assert target.get("state") == "needs-review-translation"
        assert _child_text(units[uid], "note") == (
            f"pipeline: the source changed; this translation was made from: {old}")
    touched = "|".join(("4", "5", *SYMFONY_STALE))
    untouched = re.sub(rf'<trans-unit id="(?:{touched})".*?</trans-unit>', "", after, flags=re.S)
    assert untouched == re.sub(rf'<trans-unit id="(?:{touched})".*?</trans-unit>', "", trimmed,
                               flags=re.S)


def test_xliff_target_states_say_what_is_translated(translate, tmp_path, fake):
    """Symfony's real validators.fr.xlf, its targets given the states CAT tools write: a
    target in state needs-translation or new holds no translation (tools fill it with the
    source) and is translated; needs-review-translation is a draft, redone only with --fuzzy;
    translated, final or no state is done. Our own translations (state="translated", not
    approved) are not bought again by a --fuzzy run: translate-toolkit calls every target that
    is not approved fuzzy."""
    folder = copy_tree(SYMFONY, tmp_path)
    french = folder / "validators.fr.xlf"
    text = french.read_text(encoding="utf-8")
    english_units = _xliff_units(folder / "validators.en.xlf")
    for uid in SYMFONY_STALE:  # sources as the English file has them: nothing stale here
        text, n = re.subn(rf'(<trans-unit id="{uid}"[^>]*>\s*<source>)[^<]*',
                          lambda m, u=uid: m[1] + _child_text(english_units[u], "source"), text)
        assert n == 1, uid
    units = _xliff_units(french)
    for uid, state, body in (("4", "needs-translation", _child_text(units["4"], "source")),
                             ("5", "new", _child_text(units["5"], "source")),
                             ("6", "needs-review-translation", "Brouillon"),
                             ("7", "final", None)):
        text, n = re.subn(rf'(<trans-unit id="{uid}">\s*<source>[^<]*</source>\s*)<target>'
                          r"([^<]*)</target>",
                          lambda m, s=state, b=body: f'{m[1]}<target state="{s}">'
                          f"{m[2] if b is None else b}</target>", text)
        assert n == 1, uid
    french.write_text(text, encoding="utf-8")
    english = folder / "validators.en.xlf"
    result = translate(english)
    assert result.exit_code == 0, result.output
    assert sorted(e["context"] for e in asked(fake)) == ["4", "5"]
    units = _xliff_units(french)
    for uid in ("4", "5"):
        target = units[uid].find("{*}target")
        assert target.text == translate_text(_child_text(units[uid], "source"), "fr")
        assert target.get("state") == "translated"
    seen = len(asked(fake))
    result = translate(english, "--fuzzy", "--journal", str(tmp_path / "fuzzy.sqlite"))
    assert result.exit_code == 0, result.output
    assert [e["context"] for e in asked(fake)[seen:]] == ["6"]
    assert _xliff_units(french)["7"].find("{*}target").get("state") == "final"


ANGULAR_HEAD = (  # an Angular `ng extract-i18n` file's first lines
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
    '  <file source-language="en" datatype="plaintext" original="ng2.template">\n'
    '    <body>\n')


def test_xliff_units_marked_translate_no_are_not_sent(translate, tmp_path, fake):
    source = tmp_path / "messages.xlf"
    source.write_text(
        ANGULAR_HEAD +
        '      <trans-unit id="brand" translate="no"><source>Acme</source></trans-unit>\n'
        '      <trans-unit id="hello"><source>Hello <x id="INTERPOLATION" '
        'equiv-text="{{ name }}"/>!</source>\n'
        '        <note priority="1" from="description">greeting on the home page</note>\n'
        '      </trans-unit>\n'
        '    </body>\n  </file>\n</xliff>\n', encoding="utf-8")
    result = translate(source)
    assert result.exit_code == 0, result.output
    sent = asked(fake)
    assert [e["context"] for e in sent] == ["hello"]
    assert "greeting on the home page" in str(sent[0].get("notes"))
    units = _xliff_units(tmp_path / "messages.fr.xlf")
    assert units["brand"].find("{*}target") is None
    target = etree.tostring(units["hello"].find("{*}target"), encoding="unicode")
    assert 'id="INTERPOLATION"' in target and "[fr] Hello" in target


def test_xliff_inline_element_lost_or_renumbered_is_sent_back(translate, tmp_path, fake):
    """Angular-style <x id="INTERPOLATION"/> placeholders: an answer that drops one, then
    one that renames its id, are refused with the problem stated; the third, right, is
    written as elements (not escaped text)."""
    source = tmp_path / "messages.xlf"
    source.write_text(
        ANGULAR_HEAD +
        '      <trans-unit id="cart"><source>You have <x id="INTERPOLATION"/> items in '
        '<x id="START_BOLD_TEXT" ctype="x-b"/>your cart<x id="CLOSE_BOLD_TEXT" ctype="x-b"/>'
        '</source></trans-unit>\n'
        '    </body>\n  </file>\n</xliff>\n', encoding="utf-8")
    base = FakeTranslator(language="fr")
    answers = iter([
        lambda t: re.sub(r'<x id="INTERPOLATION"\s*/>', "", t),
        lambda t: t.replace('"INTERPOLATION"', '"INTERPOLATION_1"'),
        lambda t: t,
    ])

    def translator(request):
        body = base(request)
        message = body["choices"][0]["message"]
        reply = json.loads(message["content"])
        change = next(answers)
        for item in reply["translations"]:
            item["forms"] = [change(f) for f in item["forms"]]
        message["content"] = json.dumps(reply)
        return body

    result = translate(source, translator=translator)
    assert result.exit_code == 0, result.output
    problems = [str(e.get("problems")) for e in asked(fake) if e.get("problems")]
    assert len(problems) == 2 and all("id" in p for p in problems), problems
    target = _xliff_units(tmp_path / "messages.fr.xlf")["cart"].find("{*}target")
    assert [x.get("id") for x in target] == ["INTERPOLATION", "START_BOLD_TEXT",
                                             "CLOSE_BOLD_TEXT"]
    assert target.text == "[fr] You have "


XCODE_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
  <file original="App/en.lproj/Localizable.strings" source-language="en" datatype="plaintext">
    <header>
      <tool tool-id="com.apple.dt.xcode" tool-name="Xcode" tool-version="15.0"/>
    </header>
    <body>
      <trans-unit id="move" xml:space="preserve">
        <source>Move %@ to %@?</source>
        <note>Confirmation: a file name, then a folder name.</note>
      </trans-unit>
      <trans-unit id="count" xml:space="preserve">
        <source>%lld photos selected</source>
        <note>No comment provided by engineer.</note>
      </trans-unit>
    </body>
  </file>
</xliff>
"""


def test_xcode_export_printf_placeholders_are_kept_in_order(translate, tmp_path, fake):
    """An Xcode localization export (XLIFF 1.2 holding .strings text): `%@` and `%lld` are
    placeholders there. A reply that drops `%lld`, and one that swaps the two unnumbered `%@`
    for words, are refused and retried alone; the written targets keep them in order."""
    source = tmp_path / "en.xliff"
    source.write_text(XCODE_EXPORT, encoding="utf-8")
    translator = FakeTranslator(language="fr", rewrite=lambda reply: reply.replace(
        "%lld photos", "photos").replace("Move %@ to %@?", "Move it there?"), rewrite_times=1)
    result = translate(source, "--output", str(tmp_path / "fr.xliff"), translator=translator)
    assert result.exit_code == 0, result.output
    assert "2 translated (2 of them after a retry alone)" in result.stderr
    problems = {e["text"]: str(e["problems"]) for e in asked(fake) if e.get("problems")}
    assert "missing %lld" in problems["%lld photos selected"]
    assert "missing %@ %@" in problems["Move %@ to %@?"]
    units = _xliff_units(tmp_path / "fr.xliff")
    assert units["move"].findtext("{*}target") == "[fr] Move %@ to %@?"
    assert units["count"].findtext("{*}target") == "[fr] %lld photos selected"


# -- every format through a translator that breaks and misaligns ---------------------------

REAL = {  # format: (source catalog, where the French one goes, from the source's folder)
    "android": (WEECHAT, "../values-fr/strings.xml"),
    "apple": ("apple/react-native-image-crop-picker/ios/QBImagePicker/QBImagePicker/en.lproj/"
              "QBImagePicker.strings", "../fr.lproj/QBImagePicker.strings"),
    "properties": (f"{XERCES}/msg/XMLMessages.properties", "XMLMessages_fr.properties"),
    "yaml": ("yaml/doorkeeper-i18n/rails/locales/en.yml", "fr.yml"),
    "xliff": (f"{SYMFONY}/validators.en.xlf", "validators.fr.xlf"),
    "qt": ("qt/retext/retext_de.ts", "retext_fr.ts"),
    "xliff2": ("xliff2/sbb-esta-angular/package/i18n/xlf2/messages.xlf", "messages.fr.xlf"),
    "resx": ("resx/mono/external/corefx/src/System.ComponentModel.Composition/src/Resources/"
             "Strings.resx", "Strings.fr.resx"),
    "arb": ("arb/pyarb/pyarb-1.2.0/src/pyARB/localization/arbs/en_US.arb", "fr.arb"),
    "stringsdict": ("apple/mapbox-gl-native/package/platform/darwin/resources/en.lproj/"
                    "Foundation.stringsdict", "../fr.lproj/Foundation.stringsdict"),
    "xcstrings": ("apple/xcstrings/Localizable.xcstrings", "Localizable.xcstrings"),
}


@pytest.mark.parametrize("fmt", sorted(REAL))
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_translator_that_breaks_and_misaligns_never_lands_a_wrong_string(
        translate, tmp_path, fmt, seed):
    """Real catalogs of each format; 10% of reply items broken (a placeholder dropped or
    renamed, one invented, a plural form too many, a URL lost) and 10% of replies out of step:
    every string written is its own entry's translation, whole; every entry not written is
    named in the report."""
    relative, target = REAL[fmt]
    source = copy_tree(relative, tmp_path)
    out = (source.parent / target).resolve()
    if fmt == "xcstrings":  # one file of every language: French taken out of it
        document = json.loads(source.read_bytes())
        for string in document["strings"].values():
            string.get("localizations", {}).pop("fr", None)
        source.write_text(dump_xcstrings(document) + "\n", encoding="utf-8")
    elif out.exists():
        out.unlink()  # a new file: every entry is asked for
    # Small catalogs (ARB: 28 messages, the String Catalog 12, Mapbox's .stringsdict 3) get
    # more faults, so that every seed breaks some.
    size = len(open_catalog(source).entries())
    corrupt = 0.10 if size > 60 else 0.25 if size > 20 else 0.5 if size > 5 else 0.9
    translator = FakeTranslator(language="fr", seed=seed, corrupt=corrupt, misalign=0.10)
    result = translate(source, translator=translator)
    assert result.exit_code in (0, 1), result.output
    written = written_forms(fmt, out, "fr")
    left = 0
    for entry in open_catalog(source).entries():
        forms = written.get(entry.key)
        if forms is None:
            left += 1
            assert f"({entry.context}): " in result.stderr, entry.key
            continue
        own = translate_text(entry.source_plural or entry.source, "fr")
        assert all(xml_text(f) == xml_text(own) for f in forms), (entry.key, forms, own)
    assert result.stderr.count("left for review: ") == left
    assert translator.faults, "the translator broke nothing"


@pytest.mark.parametrize(("source", "fmt", "language", "expected"), [
    ("res/values/strings.xml", "android", "pt-BR", "res/values-pt-rBR/strings.xml"),
    ("res/values/strings.xml", "android", "zh-Hans", "res/values-b+zh+Hans/strings.xml"),
    ("res/values-night/strings.xml", "android", "fr", "res/values-fr-night/strings.xml"),
    ("ios/Base.lproj/Localizable.strings", "apple", "fr", "ios/fr.lproj/Localizable.strings"),
    ("src/messages_en.properties", "properties", "pt-BR", "src/messages_pt_BR.properties"),
    ("src/messages.properties", "properties", "de", "src/messages_de.properties"),
    ("config/locales/devise.en.yml", "yaml", "fr", "config/locales/devise.fr.yml"),
    ("src/locale/messages.xlf", "xliff", "de", "src/locale/messages.de.xlf"),
    ("locale/retext_de.ts", "qt", "pt-BR", "locale/retext_pt_BR.ts"),
    ("src/locale/messages.xlf", "xliff2", "fr-CH", "src/locale/messages.fr-CH.xlf"),
    ("Resources/Strings.resx", "resx", "pt-BR", "Resources/Strings.pt-BR.resx"),
    ("Resources/Strings.en.resx", "resx", "de", "Resources/Strings.de.resx"),
    ("lib/l10n/app_en.arb", "arb", "pt-BR", "lib/l10n/app_pt_BR.arb"),
    ("lib/l10n/intl_en_US.arb", "arb", "fr", "lib/l10n/intl_fr.arb"),
    ("arbs/en_US.arb", "arb", "es-ES", "arbs/es_ES.arb"),
    ("lib/l10n/strings.arb", "arb", "de", "lib/l10n/strings_de.arb"),
])
def test_each_language_goes_where_its_ecosystem_looks(source, fmt, language, expected):
    from pipeline.catalogs.registry import catalog_class

    own = "de" if fmt == "qt" else "en"  # a Qt file is named for its own language
    assert catalog_class(fmt).target_path(Path(source), own, language) == Path(expected)


def test_an_unreadable_catalog_is_named_before_anything_is_sent(translate, tmp_path, fake):
    broken = tmp_path / "res/values/strings.xml"
    broken.parent.mkdir(parents=True)
    broken.write_text('<resources>\n  <string name="a">Open</string>\n  <string name="b">Close',
                      encoding="utf-8")
    result = translate(broken)
    assert result.exit_code == 2
    assert f"catalog {broken} is not a readable Android strings.xml file" in result.output
    latin1 = tmp_path / "en.lproj/Localizable.strings"
    latin1.parent.mkdir()
    latin1.write_bytes('"cafe" = "Caf\xe9";\n'.encode("latin-1"))
    result = translate(latin1)
    assert result.exit_code == 2 and "is not a readable Apple .strings file" in result.output
    assert fake.requests == []


# -- Qt Linguist ---------------------------------------------------------------------------

def _ts_messages(path: Path) -> list[etree._Element]:
    return list(etree.parse(str(path)).getroot().iter("message"))


def test_qt_ts_of_one_language_becomes_another(translate, tmp_path):
    """ReText's German retext_de.ts (163 messages, %s/%d, &amp; shortcuts, escaped HTML) as
    the template for French: retext_fr.ts has language fr, every source as it was, each
    translation French and type="unfinished" (Linguist lists it for review; lrelease ships
    it), and every line outside the messages unchanged."""
    folder = copy_tree("qt/retext", tmp_path)
    source = folder / "retext_de.ts"
    result = translate(source)
    assert result.exit_code == 0, result.output
    out = folder / "retext_fr.ts"
    text = out.read_text(encoding="utf-8")
    assert '<TS version="2.1" language="fr">' in text
    before, after = _ts_messages(source), _ts_messages(out)
    assert [m.findtext("source") for m in after] == [m.findtext("source") for m in before]
    for message in after:
        translation = message.find("translation")
        assert translation.text == translate_text(message.findtext("source"), "fr")
        assert translation.get("type") == "unfinished"
    outside = re.sub(r"<message>.*?</message>", "", text, flags=re.S)
    original = re.sub(r"<message>.*?</message>", "",
                      source.read_text(encoding="utf-8"), flags=re.S)
    assert outside == original.replace('language="de"', 'language="fr"')


def test_qt_fuzzy_run_redoes_drafts_not_our_translations(translate, tmp_path, fake):
    """Our translations are type="unfinished" (for review in Linguist) with a note saying
    they are ours: a --fuzzy run redoes a person's unfinished draft, and does not buy our 163
    translations again (translate-toolkit calls every unfinished message fuzzy)."""
    folder = copy_tree("qt/retext", tmp_path)
    source = folder / "retext_de.ts"
    assert translate(source).exit_code == 0
    out = folder / "retext_fr.ts"
    text = out.read_text(encoding="utf-8")
    assert len(re.findall(r"\n( +)<translatorcomment>pipeline: machine translation, for "
                          r'review</translatorcomment>\n\1<translation type="unfinished">',
                          text)) == 163
    first = _ts_messages(out)[0]
    draft = etree.tostring(first, encoding="unicode", with_tail=False)
    person = re.sub(r"\s*<translatorcomment>.*?</translatorcomment>", "", draft)
    person = re.sub(r">\[fr\] [^<]*</translation>", ">Brouillon</translation>", person)
    out.write_text(text.replace(draft, person, 1), encoding="utf-8")
    seen = len(asked(fake))
    result = translate(source, "--fuzzy", "--journal", str(tmp_path / "fuzzy.sqlite"))
    assert result.exit_code == 0, result.output
    assert [e["text"] for e in asked(fake)[seen:]] == [first.findtext("source")]


def test_qt_existing_translation_gets_only_its_empty_messages(translate, tmp_path, fake):
    """Pyzo's German catalog (pyzo_de_DE.tr, 62 of 345 messages unfinished) is the existing
    target when the French one is translated to de_DE: only messages with no German text are
    asked for, and every other message is byte for byte as it was."""
    folder = copy_tree("qt/pyzo", tmp_path)
    german = folder / "pyzo_de_DE.tr"
    original = german.read_text(encoding="utf-8")
    empty = [m for m in _ts_messages(german) if not (m.findtext("translation") or "")]
    assert empty
    result = translate(folder / "pyzo_fr_FR.tr", "--to", "de_DE")
    assert result.exit_code == 0, result.output
    assert len(asked(fake)) == len(empty)
    after = german.read_text(encoding="utf-8")
    pattern = re.compile(r"<message\b.*?</message>", re.S)
    old_blocks, new_blocks = pattern.findall(original), pattern.findall(after)
    assert len(old_blocks) == len(new_blocks) == len(_ts_messages(german))
    changed = [(a, b) for a, b in zip(old_blocks, new_blocks, strict=True) if a != b]
    assert len(changed) == len(empty)
    for old, new in changed:  # an empty translation filled, nothing else (as XML: lxml
        # writes &apos; as ' and <location ... /> as <location .../> in the messages it wrote)
        parts = []
        for block in (old, new):
            message = etree.fromstring(block)
            message.remove(message.find("translation"))
            if block is new:  # and our note, which tells our translation from a draft
                note = message.find("translatorcomment")
                assert note.text == "pipeline: machine translation, for review"
                message.remove(note)
            parts.append(etree.tostring(message, method="c14n"))
        assert parts[0] == parts[1]
    assert pattern.sub("", after) == pattern.sub("", original)


QT_NUMERUS = (
    '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
    '<TS version="2.1" language="de">\n<context>\n    <name>Main</name>\n'
    '    <message>\n        <source>Open %1 in %2</source>\n'
    '        <translation>%1 in %2 öffnen</translation>\n    </message>\n'
    '    <message numerus="yes">\n        <source>%n file(s)</source>\n'
    '        <translation>\n            <numerusform>%n Datei</numerusform>\n'
    '            <numerusform>%n Dateien</numerusform>\n        </translation>\n'
    '    </message>\n</context>\n</TS>\n')


def test_qt_placeholders_are_kept(translate, tmp_path, fake):
    """%1 and %2 are Qt's: a translation that loses one is sent back."""
    source = tmp_path / "app_de.ts"
    source.write_text(QT_NUMERUS, encoding="utf-8")
    translator = FakeTranslator(language="fr", sabotage={"Open %1": "drop_qt"}, times=1)
    result = translate(source, translator=translator)
    assert result.exit_code == 0, result.output
    retried = [e for e in asked(fake) if e.get("problems")]
    assert retried and "%2" in str(retried[0]["problems"])
    messages = _ts_messages(tmp_path / "app_fr.ts")
    assert messages[0].findtext("translation") == "[fr] Open %1 in %2"


@pytest.mark.parametrize(("name", "says", "expected"), [
    ("app_en.ts", "en_US", "app_pl.ts"), ("app_en_US.ts", "en", "app_pl.ts"),
    ("app_en_US.ts", "en_US", "app_pl.ts"), ("app_en_GB.ts", "en-gb", "app_pl.ts"),
])
def test_qt_target_is_named_by_the_language_in_the_name(translate, tmp_path, name, says,
                                                        expected):
    """Calamares' real calamares_en.ts, its language attribute said as a region (en_US) or
    not while the name says the other: the name's language is replaced whichever way, not
    appended to (app_en.ts with language en_US became app_en_pl.ts)."""
    folder = copy_tree("qt/calamares/calamares-3.2.61/lang", tmp_path)
    source = folder / name
    source.write_text((folder / "calamares_en.ts").read_text(encoding="utf-8").replace(
        '<TS language="en"', f'<TS language="{says}"', 1), encoding="utf-8")
    result = into(translate, source, "pl", "--limit", "3")
    assert result.exit_code == 0, result.output
    assert (folder / expected).exists(), sorted(p.name for p in folder.glob("app_*"))
    assert '<TS language="pl"' in (folder / expected).read_text(encoding="utf-8")
    assert sorted(p.name for p in folder.glob("app_*")) == sorted({
        name, expected, f"{name}.lock"})  # the lock: what each translation was made from


@pytest.mark.parametrize(("language", "forms"), [
    ("fr", ["Singular", "Plural"]), ("pl", ["Singular", "Paucal", "Plural"]),
    ("ja", ["Universal Form"]), ("pt-BR", ["Singular", "Plural"]),
    ("ar", ["Nullar", "Singular", "Dual", "Minority Plural", "Plural", "Plural (100-102, ...)"]),
])
def test_qt_numerus_message_gets_qts_own_forms(translate, tmp_path, fake, language, forms):
    """A numerus message ("%n file(s)") is translated into as many <numerusform>s as Qt
    Linguist's own table gives the language (not CLDR's: French has 2 in Qt, 3 in CLDR),
    asked for by Qt's form names; each keeps %n."""
    source = tmp_path / "app_de.ts"
    source.write_text(QT_NUMERUS, encoding="utf-8")
    result = translate(source, "--to", language, translator=FakeTranslator(language=language))
    assert result.exit_code == 0, result.output
    numerus = next(e for e in asked(fake) if e["text"] == "%n file(s)")
    assert [f.split(":")[0] for f in numerus["forms"]] == forms
    out = tmp_path / f"app_{language.replace('-', '_')}.ts"
    message = _ts_messages(out)[1]
    written = [f.text for f in message.iter("numerusform")]
    assert written == [f"[{language}] %n file(s)"] * len(forms)
    assert message.find("translation").get("type") == "unfinished"
    assert f'<TS version="2.1" language="{language.replace("-", "_")}">' in out.read_text(
        encoding="utf-8")


def test_qt_real_catalog_gets_qt_numerus_forms_where_transifex_left_them_empty(
        translate, tmp_path, fake):
    """Calamares' real calamares_ru.ts (Transifex: 4 numerusforms for Russian, CLDR's count;
    87 messages unfinished, 9 of them numerus with empty forms): from calamares_en.ts only
    those 87 are asked for; the 9 numerus messages are asked in Qt's 3 Russian forms (lrelease
    picks form 0..2 by Qt's rule, so a fourth is never shown) and written so; every message
    already translated stays as it was."""
    folder = copy_tree("qt/calamares/calamares-3.2.61/lang", tmp_path)
    russian = folder / "calamares_ru.ts"
    before = {(m.findtext("source"), i): etree.tostring(m) for i, m in
              enumerate(_ts_messages(russian))}
    unfinished = sum(1 for m in _ts_messages(russian)
                     if m.find("translation").get("type") == "unfinished")
    result = into(translate, folder / "calamares_en.ts", "ru")
    assert result.exit_code == 0, result.output
    sent = asked(fake)
    assert unfinished == 87
    assert len(sent) == 86  # "No target system available." of LOSHJob and UmountJob: sent once
    assert "reused: 1 entries share a translated text" in result.stderr
    numerus = [e for e in sent if len(e["forms"]) > 1]
    assert len(numerus) == 9 and all(
        [f.split(":")[0] for f in e["forms"]] == ["Singular", "Dual", "Plural"] for e in numerus)
    after = _ts_messages(russian)
    for i, message in enumerate(after):
        translation = message.find("translation")
        if before[(message.findtext("source"), i)] == etree.tostring(message):
            continue
        assert translation.get("type") == "unfinished"  # ours: for review in Linguist
        forms = [f.text for f in translation.iter("numerusform")]
        if message.get("numerus") == "yes":
            assert forms == [f"[ru] {message.findtext('source')}"] * 3
        else:
            assert translation.text == f"[ru] {message.findtext('source')}"
    assert sum(before[(m.findtext("source"), i)] != etree.tostring(m)
               for i, m in enumerate(after)) == 87


@pytest.mark.parametrize(("language", "header"), [
    ("pt", "nplurals=2; plural=(n != 1);"), ("pt-BR", "nplurals=2; plural=(n > 1);"),
    ("fil", "nplurals=2; plural=(n > 1);"), ("cs", "nplurals=3; plural=((n==1) ? 0 : "
                                                   "(n>=2 && n<=4) ? 1 : 2);"),
    ("cy", "nplurals=5; plural=(n==0 ? 0 : n==1 ? 1 : (n>=2 && n<=5) ? 2 : n==6 ? 3 : 4);"),
    ("zh-TW", "nplurals=1; plural=0;"),
    ("sr-Latn", "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
                "(n%100<10 || n%100>=20) ? 1 : 2);"),
    ("haw", None),
])
def test_qt_numerus_rules_are_qts_table(language, header):
    """Qt's table (qttools numerus.cpp): Portuguese is English-style except in Brazil,
    Filipino French-style, Welsh five forms; a region or script falls back to the language;
    a language Qt does not list has no rule."""
    from pipeline.catalogs.qt_numerus import numerus_rule

    rule = numerus_rule(language)
    assert (rule.header if rule is not None else None) == header


def test_qt_numerus_for_a_language_qt_does_not_know_is_left_for_review(translate, tmp_path,
                                                                       fake):
    source = tmp_path / "app_de.ts"
    source.write_text(QT_NUMERUS, encoding="utf-8")
    result = translate(source, "--to", "haw", translator=FakeTranslator(language="haw"))
    assert result.exit_code == 1, result.output
    assert "Qt Linguist has no numerus rule for haw" in result.stderr
    assert [e["text"] for e in asked(fake)] == ["Open %1 in %2"]


def test_a_typescript_file_is_not_taken_for_a_qt_catalog(translate, tmp_path):
    source = tmp_path / "messages.ts"
    source.write_text("export const messages = { hello: 'Hello' };\n", encoding="utf-8")
    result = translate(source)
    assert result.exit_code == 2 and "cannot tell its format" in result.output
