"""The registry of catalog formats: each format registered once (formats.py) is told from its
own files, opens through its class and writes back what it was given; no module of
pipeline/catalogs/ asks which format it is."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path
from typing import get_args

import pytest
from fake_translator import translate_text

from pipeline.catalogs import FORMATS, detect_format, open_catalog
from pipeline.catalogs.registry import catalog_class
from pipeline.errors import ConfigError
from pipeline.formats import (
    CATALOG_FORMAT_ROWS,
    CATALOG_FORMATS,
    CatalogFormat,
    catalog_format_labels,
)

DATA = Path(__file__).parent / "data"
CATALOGS = Path(__file__).parent.parent / "pipeline" / "catalogs"

#: A real catalog of each format (tests/data/*/SOURCE.txt); ICU's is written by the test.
SAMPLES = {
    "gettext": "django/humanize.en.po",
    "i18next": "zod/en.json",
    "icu": None,
    "android": "formats/android/cordova-plugin-barcodescanner/res/values/strings.xml",
    "apple": "formats/apple/react-native-image-crop-picker/ios/QBImagePicker/QBImagePicker/"
             "en.lproj/QBImagePicker.strings",
    "stringsdict": "formats/apple/mapbox-gl-native/package/platform/darwin/resources/"
                   "en.lproj/Foundation.stringsdict",
    "xcstrings": "formats/apple/xcstrings/Localizable.xcstrings",
    "properties": "formats/properties/org/apache/xerces/impl/xpath/regex/message.properties",
    "yaml": "formats/yaml/devise/config/locales/en.yml",
    "xliff": "formats/xliff/Resources/translations/validators.en.xlf",
    "xliff2": "formats/xliff2/sbb-esta-angular/package/i18n/xlf2/messages.xlf",
    "qt": "formats/qt/calamares/calamares-3.2.61/lang/calamares_en.ts",
    "arb": "formats/arb/pyarb/pyarb-1.2.0/src/pyARB/localization/arbs/en_US.arb",
    "resx": "formats/resx/mono/external/corefx/src/Microsoft.CSharp/src/Resources/Strings.resx",
}

ICU_SAMPLE = {"files": "{count, plural, one {# file} other {# files}}",
              "greeting": "Hello {name}", "nested": {"bye": "Goodbye, {name}"}}


def sample(fmt: str, folder: Path) -> Path:
    """A copy of the format's sample under `folder`, at its own relative path."""
    relative = SAMPLES[fmt]
    if relative is None:
        path = folder / "locales/en.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(ICU_SAMPLE, indent=2), encoding="utf-8")
        return path
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DATA / relative, path)
    return path


def test_every_format_is_registered_once_with_a_sample():
    assert len(set(CATALOG_FORMATS)) == len(CATALOG_FORMATS) == len(CATALOG_FORMAT_ROWS)
    assert get_args(CatalogFormat) == CATALOG_FORMATS == FORMATS
    assert set(SAMPLES) == set(CATALOG_FORMATS), "give each new format a sample here"
    for row in CATALOG_FORMAT_ROWS:
        assert row.suffixes and all(s.startswith(".") and s == s.lower() for s in row.suffixes)
        assert catalog_class(row.name).format_name


def test_unknown_format_is_named_with_the_ones_there_are(tmp_path):
    with pytest.raises(ConfigError, match="unknown catalog format 'klingon': use one of "
                                          "gettext, i18next, icu, android"):
        open_catalog(tmp_path / "x.po", "klingon")


@pytest.mark.parametrize("fmt", CATALOG_FORMATS)
def test_each_format_detects_its_own_file_and_writes_back_what_it_was_given(fmt, tmp_path):
    path = sample(fmt, tmp_path / "source")
    assert detect_format(path) == fmt
    catalog = open_catalog(path)
    assert isinstance(catalog, catalog_class(fmt))
    entries = catalog.entries()
    assert entries
    out = catalog.default_target_path("en", "fr") or tmp_path / "fr" / path.name
    target = catalog.target("fr", out)
    accepted = {}
    for entry in entries:
        if not target.needs(entry) or target.unwritable(entry) is not None:
            continue
        forms = [translate_text(entry.source_plural or entry.source, "fr")
                 if f.name != "message" else entry.source for f in target.forms(entry)]
        target.accept(entry, forms)
        accepted[entry.key] = forms
    assert accepted
    data = target.render_bytes()
    assert target.verify(data) == []  # read back by the format's own reader, as given
    assert target.render_bytes() == data  # rendering twice gives the same bytes
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    again = open_catalog(path).target("fr", out)
    assert not [e.key for e in entries if e.key in accepted and again.needs(e)]


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("c.json", '{"a": "Hello {{name}}"}', "i18next"),
    ("c.json", '{"a": "Hello {name}"}', "icu"),
    ("c.xlf", '<xliff version="1.2"><file/></xliff>', "xliff"),
    ("c.xlf", '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0"/>', "xliff2"),
    ("strings.xml", "<resources><string name='a'>A</string></resources>", "android"),
    ("c.ts", "<!DOCTYPE TS><TS version='2.1'></TS>", "qt"),
])
def test_formats_that_share_a_suffix_tell_their_files_apart(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert detect_format(path) == expected


@pytest.mark.parametrize(("name", "text"), [
    ("c.ts", "export const a: number = 1;\n"),  # TypeScript
    ("layout.xml", "<LinearLayout/>"),
    ("notes.txt", "hello"),
])
def test_a_file_no_format_claims_is_named_with_what_to_do(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot tell its format from .* or set format"):
        detect_format(path)


def test_the_help_names_formats_from_the_registry_labels():
    listed = catalog_format_labels()
    assert listed.startswith("gettext .po/.pot, i18next and ICU JSON, Android strings.xml, "
                             "Apple .strings, .stringsdict and .xcstrings,")
    assert "XLIFF 1.2 and 2.0" in listed
    for row in CATALOG_FORMAT_ROWS:
        assert row.label.split(" ")[-1] in listed or row.label.split(" ")[0] in listed


def test_no_catalog_module_asks_which_format_it_is():
    """A format's behaviour lives in its own class: no comparison with a format's name (the
    `flavour.name == "android"` branches this registry replaced) anywhere in catalogs/."""
    names = set(CATALOG_FORMATS)
    found = []
    for module in sorted(CATALOGS.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            for side in [node.left, *node.comparators]:
                values = side.elts if isinstance(side, ast.Tuple | ast.List | ast.Set) else [side]
                found += [f"{module.name}:{node.lineno}" for value in values
                          if isinstance(value, ast.Constant) and value.value in names]
    assert not found, found
