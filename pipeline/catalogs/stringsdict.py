"""Apple .stringsdict files: plural rules for an app's strings, one file per language
(`en.lproj/Localizable.stringsdict` -> `fr.lproj/Localizable.stringsdict`).

A key's `NSStringLocalizedFormatKey` is a format ("%#@photos@ and %#@videos@") whose `%#@name@`
variables are plural groups: one text per CLDR category (zero, one, two, few, many, other).
The file is an XML property list, read and written with `plistlib` (the reader
translate-toolkit's own stringsdict store uses). The toolkit's store is not the writer here:
it writes its gettext plural count, not CLDR's (for Russian: zero, one, few, many, with
`other` a copy of `many`, where CLDR's `other` is the form for fractions), so a translation
made for CLDR's four Russian forms would lose one. It reads every written file back, with the
order of the `%@`/`%lld` arguments checked against the source.

Entries: the format text when it is more than one `%#@name@` reference, and each variable's
plural group; a source `zero` case that is not a CLDR category of the source language (the
app's own text for 0, "No files") is its own entry. A key of width variants
(`NSStringVariableWidthRuleType`: texts for narrower and wider spaces) or device variants
(`NSStringDeviceSpecificRuleType`: iphone, ipad, mac, other...) has an entry per variant; a
device variant holding a plural rule of its own is reported, not sent. A key whose parts are
not all translated is left out of the target, so the app falls back to the source language
for it.
"""

from __future__ import annotations

import copy
import plistlib
import re
from functools import cached_property
from pathlib import Path
from typing import Any

from translate.storage.stringsdict import StringsDictFile

from ..errors import InputError
from ..languages import cldr_categories, without_own_zero
from .app_paths import lproj_path
from .base import (
    PART_SEP,
    Catalog,
    Entry,
    Form,
    WholeStringsTargetCatalog,
    cldr_forms,
    read_catalog,
)
from .placeholders import Rules

SEP = PART_SEP
RULES = Rules(printf=True)
FORMAT_KEY = "NSStringLocalizedFormatKey"
_REFERENCE = re.compile(r"%(?:\d+\$)?#@([^@]+)@")
_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
#: The rules a key may hold instead of a format: its variants, by width or by device.
VARIANT_RULES = {"NSStringVariableWidthRuleType": "width", "NSStringDeviceSpecificRuleType":
                 "device"}


def _load(path: Path, data: bytes) -> dict[str, Any]:
    try:
        document = plistlib.loads(data, fmt=plistlib.FMT_XML)
    except Exception as exc:  # plistlib raises ExpatError, ValueError, InvalidFileException
        raise InputError(f"catalog {path} is not a readable .stringsdict property list: "
                         f"{type(exc).__name__}: {exc}") from None
    if not isinstance(document, dict):
        raise InputError(f"catalog {path}: a .stringsdict holds a dictionary of keys")
    for key, value in document.items():
        if not isinstance(value, dict) or not (
                isinstance(value.get(FORMAT_KEY), str) or _variants(value)):
            raise InputError(f"catalog {path}: the key {key!r} has no {FORMAT_KEY} string "
                             f"and no {' or '.join(VARIANT_RULES)} dictionary")
    return document


def _variables(entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    if not isinstance(entry.get(FORMAT_KEY), str):
        return {}
    return {name: value for name, value in entry.items()
            if name != FORMAT_KEY and name not in VARIANT_RULES and isinstance(value, dict)}


def _variants(entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A key's width or device variants, by rule (empty for a key with a format)."""
    if isinstance(entry.get(FORMAT_KEY), str):
        return {}
    return {rule: cases for rule, cases in entry.items()
            if rule in VARIANT_RULES and isinstance(cases, dict)}


def _variant_context(key: str, rule: str, case: str) -> str:
    if VARIANT_RULES[rule] == "width":
        return (f"{key} (its variant for a space about {case} ems wide; the app shows the "
                "widest variant that fits)")
    return f"{key} (its variant for {case} devices)"


class StringsdictCatalog(Catalog):
    format_name = "Apple .stringsdict"

    def __init__(self, path: Path):
        self.path = path
        self.data = read_catalog(path)
        self.document = _load(path, self.data)
        # The folder names the language (en.lproj); Base.lproj is the development language,
        # English unless the project says otherwise.
        folder = path.parent
        own = folder.stem if folder.suffix == ".lproj" else ""
        self.source_language = own if own and own != "Base" else "en"

    def entries(self) -> list[Entry]:
        return list(self._entries)

    @cached_property
    def _entries(self) -> list[Entry]:
        """Read once: each target language's target asks for them again."""
        out: list[Entry] = []
        for key, value in self.document.items():
            for rule, cases in _variants(value).items():
                for case, text in cases.items():
                    if (isinstance(text, str) and text) or isinstance(text, dict):
                        out.append(Entry(
                            key=SEP.join((key, rule, case)), context=_variant_context(
                                key, rule, case), rules=RULES,
                            source=text if isinstance(text, str) else str(
                                text.get(FORMAT_KEY) or key)))
            if not isinstance(value.get(FORMAT_KEY), str):
                continue
            fmt = value[FORMAT_KEY]
            if _REFERENCE.sub("", fmt).strip():  # text around the variables: translated
                out.append(Entry(key=SEP.join((key, FORMAT_KEY)), source=fmt,
                                 context=f"{key} (the format around its plural variables)",
                                 rules=RULES))
            for name, cases in _variables(value).items():
                texts = {c: cases.get(c) for c in _CATEGORIES if isinstance(cases.get(c), str)}
                other = texts.get("other") or next(iter(texts.values()), None)
                if not other:
                    continue
                context = f"{key} (plural variable {name})"
                out.append(Entry(key=SEP.join((key, name)), source=texts.get("one") or other,
                                 source_plural=other, context=context, rules=RULES))
                if texts.get("zero") and "zero" not in cldr_categories(self.source_language):
                    out.append(Entry(key=SEP.join((key, name, "zero")), source=texts["zero"],
                                     context=f"{key} (plural variable {name}, zero case)",
                                     rules=RULES))
        return out

    def target(self, language: str, path: Path, *, include_fuzzy: bool = False,
               plural_forms: str | None = None) -> StringsdictTargetCatalog:
        self.refuse_plural_forms(language, plural_forms)
        return StringsdictTargetCatalog(self, language, path)

    def default_target_path(self, source_language: str, language: str) -> Path:
        return lproj_path(self.path, source_language, language)


class StringsdictTargetCatalog(WholeStringsTargetCatalog):
    def __init__(self, source: StringsdictCatalog, language: str, path: Path):
        super().__init__(source.entries())
        self.language = language
        self.path = path
        self._source = source
        self.exists = path.exists()
        self._existing = _load(path, path.read_bytes()) if self.exists else {}
        #: Keys the source no longer has, taken out of the file (--prune).
        self.pruned: set[str] = set()

    def _existing_text(self, key: str, *path: str) -> Any:
        node: Any = self._existing.get(key)
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        return node

    def needs(self, entry: Entry) -> bool:
        key, name, *zero = entry.key.split(SEP)
        if name in VARIANT_RULES:
            return not self._existing_text(key, name, zero[0])
        if name == FORMAT_KEY:
            return not self._existing_text(key, FORMAT_KEY)
        if zero:
            return not self._existing_text(key, name, "zero")
        # A variable with its `other` text is translated: for a category it lacks (French's
        # `many`, which CLDR added in 2020) the app uses `other`.
        return not self._existing_text(key, name, "other")

    def existing(self, entry: Entry) -> list[str] | None:
        key, name, *rest = entry.key.split(SEP)
        if name in VARIANT_RULES:
            texts = [self._existing_text(key, name, rest[0])]
        elif name == FORMAT_KEY:
            texts = [self._existing_text(key, FORMAT_KEY)]
        elif rest:
            texts = [self._existing_text(key, name, "zero")]
        elif entry.plural:
            texts = [self._existing_text(key, name, c) for c in cldr_categories(self.language)]
        else:
            texts = [self._existing_text(key, name)]
        forms = [t if isinstance(t, str) else "" for t in texts]
        return forms if any(forms) else None

    def translated_keys(self) -> set[str]:
        return _held_keys(self._existing, self.language)

    def prune(self, key: str) -> bool:
        """A key the source no longer has goes whole; of a key it still has, a zero case or
        a width or device variant it dropped. A plural variable or a format text it no
        longer has is not taken out (the key's format names its variables): reported only."""
        string, name, *rest = key.split(SEP)
        if string not in self._source.document or name in VARIANT_RULES or rest:
            self.pruned.add(key)
            return True
        return False

    def forms(self, entry: Entry) -> list[Form]:
        return cldr_forms(self.language) if entry.plural else [Form("text")]

    def unwritable(self, entry: Entry) -> str | None:
        """A device variant holding a plural rule of its own is not translated here; its
        key is written whole, so none of its variants is sent (nor paid for)."""
        key, name, *_ = entry.key.split(SEP)
        if name in VARIANT_RULES and not all(
                isinstance(text, str) for text in self._source.document[key][name].values()):
            return ("its key has a device variant holding a plural rule of its own, which is "
                    "not translated here yet; translate this key by hand")
        return None

    def render(self) -> str:
        return self.render_bytes().decode("utf-8")

    def render_bytes(self) -> bytes:
        document = copy.deepcopy(self._existing)
        touched = {k.split(SEP)[0] for k in self.done}
        for key, value in self._source.document.items():
            if key not in touched or not self.complete(key):
                continue
            if _variants(value):
                _put_variants(document.setdefault(key, {}), value, key, self.done)
                continue
            target = document.setdefault(key, {FORMAT_KEY: value[FORMAT_KEY]})
            for name, cases in _variables(value).items():
                have = target.get(name) if isinstance(target.get(name), dict) else {}
                target[name] = {k: v for k, v in cases.items() if k not in _CATEGORIES}
                target[name].update({c: have[c] for c in _CATEGORIES if c in have})
            # A source's own zero text ("No files") after the plural forms, so that it is the
            # zero case even where zero is a CLDR category of the target (Arabic, Latvian).
            for entry_key, forms in sorted(self.done.items(),
                                           key=lambda kv: kv[0].endswith(SEP + "zero")):
                k, name, *zero = entry_key.split(SEP)
                if k != key:
                    continue
                if name == FORMAT_KEY:
                    target[FORMAT_KEY] = forms[0]
                elif zero:
                    target[name]["zero"] = forms[0]
                else:
                    target[name].update(zip(cldr_categories(self.language), forms, strict=True))
            for name in _variables(value):  # the cases in CLDR's order, as Xcode lists them
                cases = target[name]
                ordered = {k: v for k, v in cases.items() if k not in _CATEGORIES}
                ordered.update({c: cases[c] for c in _CATEGORIES if c in cases})
                target[name] = ordered
        for key in self.pruned:
            _prune(document, self._source.document, key)
        return plistlib.dumps(document, fmt=plistlib.FMT_XML, sort_keys=False)

    def verify(self, data: bytes) -> list[str]:
        """Read back by plistlib and by translate-toolkit's store: every accepted text where
        the app looks for it, each plural variable with the language's CLDR categories."""
        problems: list[str] = []
        document = plistlib.loads(data)
        store = StringsDictFile()
        store.parse(data)
        read = {str(u.getid()) for u in store.units}
        for entry_key, forms in self.done.items():
            key, name, *zero = entry_key.split(SEP)
            if not self.complete(key):
                continue  # left out whole: another part of the key was not translated
            if name in VARIANT_RULES:
                got = [document[key].get(name, {}).get(zero[0])]
            elif name == FORMAT_KEY:
                got = [document[key].get(FORMAT_KEY)]
            elif zero:
                got = [document[key][name].get("zero")]
            else:
                cases = document[key][name]
                got = [cases.get(c) for c in cldr_categories(self.language)]
                missing = set(cldr_categories(self.language)) - set(cases)
                if missing:
                    problems.append(f"{key!r}: {name} lacks the cases {sorted(missing)}")
                if f"{key}:{name}" not in read and key not in read:
                    problems.append(f"translate-toolkit does not read {key!r}: {name}")
                got, forms = without_own_zero(got, forms, self.language,
                                               entry_key + SEP + "zero" in self.done)
            if got != forms:
                problems.append(f"{key!r} reads back as {got!r}, not {forms!r}")
        problems += [f"{key!r} is still in the file, though pruned"
                     for key in self.pruned & _held_keys(document, self.language)]
        return problems


def _held_keys(document: dict[str, Any], language: str) -> set[str]:
    """The entry keys of every text a file in `language` holds (the source's or not)."""
    found = set()
    own_zero = "zero" not in cldr_categories(language)
    for key, value in document.items():
        for rule, cases in _variants(value).items():
            found |= {SEP.join((key, rule, case)) for case, text in cases.items()
                      if isinstance(text, str) and text}
        fmt = value.get(FORMAT_KEY)
        if isinstance(fmt, str) and _REFERENCE.sub("", fmt).strip():
            found.add(SEP.join((key, FORMAT_KEY)))
        for name, cases in _variables(value).items():
            if any(isinstance(cases.get(c), str) and cases[c] for c in _CATEGORIES
                   if c != "zero" or not own_zero):
                found.add(SEP.join((key, name)))
            if own_zero and isinstance(cases.get("zero"), str) and cases["zero"]:
                found.add(SEP.join((key, name, "zero")))
    return found


def _prune(document: dict[str, Any], source: dict[str, Any], entry_key: str) -> None:
    """Take out of the target a text the source no longer has (`prune`)."""
    key, name, *rest = entry_key.split(SEP)
    if key not in source:
        document.pop(key, None)
        return
    node = document.get(key, {}).get(name)
    if isinstance(node, dict) and rest:
        node.pop(rest[0] if name in VARIANT_RULES else "zero", None)


def _put_variants(target: dict[str, Any], source: dict[str, Any], key: str,
                  done: dict[str, list[str]]) -> None:
    """A key's translated width or device variants, in the source's order (variants the
    target has of its own after them)."""
    for rule, cases in _variants(source).items():
        have = target.get(rule) if isinstance(target.get(rule), dict) else {}
        merged = {case: done.get(SEP.join((key, rule, case)), [have.get(case)])[0]
                  for case in cases}
        merged = {case: text for case, text in merged.items() if text is not None}
        merged.update({case: text for case, text in have.items() if case not in merged})
        target[rule] = merged
