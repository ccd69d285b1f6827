"""Message catalogs: gettext .po/.pot, i18next and ICU JSON, Apple .stringsdict and String
Catalogs, and the app formats translate-toolkit reads and writes (Android, Apple .strings,
Java .properties, Rails YAML, XLIFF 1.2 and 2.0, Qt Linguist .ts, .NET .resx, Flutter ARB).

Each format is one class (a module of its own), registered once in formats.py and imported on
first use (`registry.py`). `open_catalog` reads a source catalog; `target_path` says where each
language's catalog goes. `translate.py` fills the targets through the same runner, limiter,
journal and budget as every other job.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError
from ..formats import CATALOG_FORMATS
from .base import Catalog, Entry, Form, TargetCatalog
from .registry import catalog_class, claimed_by

FORMATS = CATALOG_FORMATS


def detect_format(path: Path) -> str:
    """The format whose suffix the file has and whose class claims it: gettext for .po/.pot;
    for JSON, ICU when a value uses `{x, plural|select|number…}` or single-brace `{name}`
    arguments without any i18next `{{var}}`, else i18next; an .xml only when it is Android's
    <resources>, a .ts only when it is Qt's <TS>."""
    fmt = claimed_by(path)
    if fmt is None:
        raise ConfigError(f"catalog {path}: cannot tell its format from "
                          f"'{path.suffix.lower()}'; use .po, .pot, .json, Android "
                          "res/values/*.xml, .strings, .properties, .yml, .xlf or Qt .ts, or "
                          f"set format ({', '.join(FORMATS)})")
    return fmt


def open_catalog(path: Path, fmt: str = "auto") -> Catalog:
    fmt = detect_format(path) if fmt == "auto" else fmt
    return catalog_class(fmt)(path)  # type: ignore[call-arg]  # each format's class takes a path


def target_path(source: Path, source_language: str, language: str,
                pattern: str | None = None, catalog: Catalog | None = None) -> Path:
    """Where `language`'s catalog goes. With a pattern, its {dir} {stem} {ext} {lang} filled
    in; else the source path with its `<source language>` folder replaced by the target's
    (locale/en/LC_MESSAGES/django.po -> locale/fr/LC_MESSAGES/django.po), else a file named
    for the source language renamed (locales/en.json -> locales/fr.json, po/en.po ->
    po/fr.po), else beside it as <stem>.<lang><ext> (a .pot gives a .po). App formats go
    where their ecosystem looks (values-fr/strings.xml, fr.lproj/, messages_fr.properties,
    fr.yml): `catalog` says."""
    ext = ".po" if source.suffix == ".pot" else source.suffix
    if pattern:
        return Path(pattern.format(dir=str(source.parent), stem=source.stem, ext=ext,
                                   lang=language))
    if catalog is not None and (where := catalog.default_target_path(source_language,
                                                                     language)) is not None:
        return where
    parts = list(source.parts)
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] == source_language:
            parts[i] = language
            return Path(*parts).with_suffix(ext)
    if _same_language(source.stem, source_language):  # locales/en.json -> locales/fr.json
        written = language.replace("-", "_") if "_" in source.stem else language  # as named
        return source.with_name(f"{written}{ext}")
    return source.with_name(f"{source.stem}.{language}{ext}")


def _same_language(name: str, language: str) -> bool:
    return name.replace("_", "-").lower() == language.replace("_", "-").lower()


__all__ = ["FORMATS", "Catalog", "Entry", "Form", "TargetCatalog", "detect_format",
           "open_catalog", "target_path"]
