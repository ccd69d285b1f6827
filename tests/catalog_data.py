"""Real catalogs of the app formats (tests/data/formats/*/SOURCE.txt) and what a translate
run asked for."""

from __future__ import annotations

import shutil
from pathlib import Path

from fake_translator import FakeTranslator, entries

FORMATS = Path(__file__).parent / "data/formats"


def copy_tree(relative: str, to: Path) -> Path:
    """Copy a data folder (or file) under `to`, keeping its path; return the copy."""
    source = FORMATS / relative
    target = to / relative
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return target


def asked(fake) -> list[dict]:
    """Every catalog entry the fake server was asked to translate, in order."""
    return [e for request in fake.requests for e in entries(request)]


def into(translate, source: Path, language: str, *args: str, **kw):
    """Translate `source` into `language` with a fake translator answering in it."""
    kw.setdefault("translator", FakeTranslator(language=language))
    return translate(source, "--to", language, *args, **kw)


def written_forms(fmt: str, path: Path, language: str) -> dict[str, list[str]]:
    """What a written catalog holds for each entry key (the keys `open_catalog` gives the
    source's entries), read as the app would: XLIFF's targets, a plural's forms in CLDR's
    order. Entries with nothing written are absent."""
    import json
    import plistlib

    from pipeline.catalogs.registry import catalog_class
    from pipeline.catalogs.toolkit import ToolkitCatalog, read_translations
    from pipeline.languages import cldr_categories

    if issubclass(catalog_class(fmt), ToolkitCatalog):
        return read_translations(path, fmt, language)
    categories = cldr_categories(language)
    found: dict[str, list[str]] = {}
    if fmt == "stringsdict":
        for key, value in plistlib.loads(path.read_bytes()).items():
            for name, cases in value.items():
                if isinstance(cases, str):
                    found["\x1f".join((key, name))] = [cases]
                    continue
                found["\x1f".join((key, name))] = [cases[c] for c in categories if c in cases]
                if "zero" in cases:
                    found["\x1f".join((key, name, "zero"))] = [cases["zero"]]
        return found
    assert fmt == "xcstrings", fmt
    for key, string in json.loads(path.read_bytes())["strings"].items():
        localization = string.get("localizations", {}).get(language)
        if localization is not None:
            _xcstrings_forms(key, (), localization, categories, found)
    return found


def _xcstrings_forms(key: str, path: tuple[str, ...], node: dict, categories: list[str],
                     found: dict[str, list[str]]) -> None:
    if "stringUnit" in node:
        found["\x1f".join((key, *path))] = [node["stringUnit"]["value"]]
    for name, sub in node.get("substitutions", {}).items():
        _xcstrings_forms(key, (*path, "substitutions", name), sub, categories, found)
    for kind, cases in node.get("variations", {}).items():
        if kind == "plural":
            where = "\x1f".join((key, *path, "variations", "plural"))
            found[where] = [cases[c]["stringUnit"]["value"] for c in categories if c in cases]
            if "zero" in cases:
                found[where + "\x1f" + "zero"] = [cases["zero"]["stringUnit"]["value"]]
            continue
        for case, sub in cases.items():
            _xcstrings_forms(key, (*path, "variations", kind, case), sub, categories, found)
