"""i18next JSON (v4): nested keys, {{var}} interpolation, $t() nesting, tags, plural suffixes.

Plural groups are sibling keys `name_one`, `name_other`, … (`name_ordinal_one` for ordinals);
a translation gets the target language's CLDR categories, not the source's (English has
one/other, Polish one/few/many/other, Japanese other only). The output follows the source's key
order and indentation; keys the target already has keep their values, keys only the target
has are kept at the end of their object; an entry left for review is left out, so i18next falls
back to the source language for it rather than showing a broken string.

An array of strings (read with `returnObjects`) is one entry per item, keyed by its index, and
is written whole or not at all: a list with an item missing would be shorter than the app
expects, so when one is left for review the list is left out (or, in an existing file, left as
it was) and its translated items are reported as not written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..languages import CLDR_ORDER, cldr_categories, locale
from .base import Catalog, Entry, Form, TargetCatalog, WholeGroups, cldr_forms
from .placeholders import Rules

SEP = "\x1f"  # joins a key path (keys may contain dots)
_RULES = Rules(i18next=True)
#: A value left out of the target whole (every entry in it pruned).
_PRUNED = object()
_SUFFIX = re.compile(r"^(?P<base>.+?)_(?P<cat>zero|one|two|few|many|other)$")


def _load(path: Path) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"catalog {path} does not exist") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"catalog {path} is not UTF-8: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"catalog {path} is not valid JSON: line {exc.lineno} column "
                         f"{exc.colno}: {exc.msg}") from None
    if not isinstance(data, dict):
        raise InputError(f"catalog {path}: expected a JSON object of keys")
    return data, text


def _strings(value: Any) -> bool:
    """An array i18next returns as a list of texts (`returnObjects`)."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def _indent(text: str) -> str | int:
    match = re.search(r"\n([ \t]+)\S", text)
    return match.group(1) if match else 2


def _groups(obj: dict[str, Any]) -> dict[str, list[str]]:
    """Plural groups of one object: base name -> its suffixed keys (with an `_other`)."""
    found: dict[str, list[str]] = {}
    for key, value in obj.items():
        match = _SUFFIX.match(key)
        if match and isinstance(value, str):
            found.setdefault(match.group("base"), []).append(key)
    return {base: keys for base, keys in found.items() if f"{base}_other" in keys}


def _categories(language: str, base: str) -> list[str]:
    if base.endswith("_ordinal"):
        tags = set(locale(language).ordinal_form.tags) | {"other"}
        return [c for c in CLDR_ORDER if c in tags]
    return cldr_categories(language)


def reads_as_icu(path: Path) -> bool:
    """Whether a JSON catalog holds ICU messages (icu.py's format, not i18next's): a value
    uses `{x, plural|select|number…}`, or single-brace `{name}` arguments without any i18next
    `{{var}}`. An unreadable file is i18next's (its reader says what is wrong with it)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return False
    if re.search(r"\{\s*\w+\s*,\s*(plural|select|selectordinal|number|date|time)\b", text):
        return True
    return "{{" not in text and re.search(r"(?<!\{)\{\s*\w+\s*\}", text) is not None


class I18nextTargetCatalog(TargetCatalog):
    def __init__(self, source: I18nextCatalog, language: str, path: Path,
                 existing: dict[str, Any], indent: str | int, final_newline: bool):
        self.language = language
        self.path = path
        self._source = source
        self._existing = existing
        self._indent = indent
        self._newline = final_newline
        self._done: dict[str, list[str]] = {}
        #: Arrays of strings: each is written whole or not at all.
        lists = source.lists()
        self._lists = WholeGroups(source.entries(), lambda key: (
            parent if (parent := key.rsplit(SEP, 1)[0]) in lists else None), "a list")
        self._left_out: set[str] = set()
        #: Entry keys the source no longer has, left out of the file (--prune).
        self._pruned: set[str] = set()
        #: What the file holds for each entry asked about.
        self._forms: dict[str, list[str] | None] = {}

    def _existing_value(self, key: str) -> Any:
        node: Any = self._existing
        for part in key.split(SEP):
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            elif isinstance(node, dict) and part in node:
                node = node[part]
            else:
                return None
        return node

    def _existing_forms(self, entry: Entry) -> list[str] | None:
        key = entry.key
        if key not in self._forms:  # (asked by needs, existing and the writer: once)
            self._forms[key] = self._read_forms(entry)
        return self._forms[key]

    def _read_forms(self, entry: Entry) -> list[str] | None:
        *parents, base = entry.key.split(SEP)
        if not entry.plural:
            value = self._existing_value(entry.key)
            return [value] if isinstance(value, str) and value else None
        forms = []
        for category in _categories(self.language, base):
            value = self._existing_value(SEP.join([*parents, f"{base}_{category}"]))
            if not isinstance(value, str) or not value:
                return None
            forms.append(value)
        return forms

    def needs(self, entry: Entry) -> bool:
        return self._existing_forms(entry) is None

    def existing(self, entry: Entry) -> list[str] | None:
        return self._existing_forms(entry)

    def translated_keys(self) -> set[str]:
        if not isinstance(self._existing, dict) or not self._existing:
            return set()
        return set(self._source.keys_in(self._existing))

    def prune(self, key: str) -> bool:
        self._pruned.add(key)
        return True

    def forms(self, entry: Entry) -> list[Form]:
        if not entry.plural:
            return [Form("text")]
        base = entry.key.rsplit(SEP, 1)[-1]
        ordinal = base.endswith("_ordinal")
        return cldr_forms(self.language, _categories(self.language, base) if ordinal else None)

    def accept(self, entry: Entry, forms: list[str]) -> None:
        self._done[entry.key] = forms

    def refuse(self, entry: Entry, reason: str) -> None:
        self._done.pop(entry.key, None)  # left out: i18next falls back to the source language

    def held_back(self) -> list[tuple[Entry, str]]:
        return self._lists.held_back(self._done, self.needs)

    def _list(self, key: str, items: list[str]) -> list[str]:
        """The translated array at `key`, of a complete list: each item translated here or
        in the file (an empty one kept)."""
        out = []
        for i, item in enumerate(items):
            item_key = SEP.join((key, str(i)))
            if item and item_key in self._done:
                item = self._done[item_key][0]
            elif item:
                item = self._existing_value(item_key)
            out.append(item)
        return out

    def render(self) -> str:
        self._left_out = self._lists.incomplete(self._done, self.needs)
        data = self._build(self._source.data, self._existing, [])
        text = json.dumps(data, ensure_ascii=False, indent=self._indent)
        return text + ("\n" if self._newline else "")

    def _build(self, source: dict[str, Any], existing: Any, path: list[str]) -> dict[str, Any]:
        existing = existing if isinstance(existing, dict) else {}
        groups = self._source.groups(source)
        grouped = {k: base for base, keys in groups.items() for k in keys}
        out: dict[str, Any] = {}
        for key, value in source.items():
            if isinstance(value, dict):
                out[key] = self._build(value, existing.get(key), [*path, key])
            elif key in grouped:
                base = grouped[key]
                if key != groups[base][0]:
                    continue
                entry_key = SEP.join([*path, base])
                categories = _categories(self.language, base)
                forms = self._done.get(entry_key)
                if forms is None:
                    forms = [existing.get(f"{base}_{c}") for c in categories]
                for category, form in zip(categories, forms, strict=True):
                    if isinstance(form, str) and form:
                        out[f"{base}_{category}"] = form
            elif isinstance(value, str):
                done = self._done.get(SEP.join([*path, key]))
                if done is not None:
                    out[key] = done[0]
                elif isinstance(existing.get(key), str) and existing[key]:
                    out[key] = existing[key]
            elif _strings(value):
                list_key = SEP.join([*path, key])
                touched = any(SEP.join((list_key, str(i))) in self._done
                              for i in range(len(value)))
                if touched and list_key not in self._left_out:
                    out[key] = self._list(list_key, value)
                elif key in existing:
                    out[key] = existing[key]  # as it was; the rest falls back to the source
            else:
                out[key] = existing.get(key, value)  # numbers, lists: not ours to translate
        for key, value in existing.items():  # what only the target has is kept (or pruned)
            if key not in out and not (_SUFFIX.match(key) and _SUFFIX.match(key).group(  # type: ignore[union-attr]
                    "base") in groups):
                kept = self._unpruned(key, value, path)
                if kept is not _PRUNED:
                    out[key] = kept
        return out

    def _unpruned(self, key: str, value: Any, path: list[str]) -> Any:
        """A value only the target has, less the entries pruned from it (_PRUNED: all)."""
        if not self._pruned:
            return value
        if isinstance(value, dict):
            kept = {}
            for name, inner in value.items():
                if (left := self._unpruned(name, inner, [*path, key])) is not _PRUNED:
                    kept[name] = left
            return kept if kept or not value else _PRUNED
        match = _SUFFIX.match(key) if self._source.plural_suffixes else None
        if match and SEP.join([*path, match.group("base")]) in self._pruned:
            return _PRUNED
        if SEP.join([*path, key]) in self._pruned:
            return _PRUNED
        if _strings(value) and any(SEP.join([*path, key, str(i)]) in self._pruned
                                   for i in range(len(value))):
            return _PRUNED  # a list goes whole
        return value


class I18nextCatalog(Catalog):
    format_name = "i18next"
    #: Placeholder rules of every entry.
    rules = _RULES
    #: Whether `name_one`/`name_other` siblings form one plural entry.
    plural_suffixes = True

    def __init__(self, path: Path):
        self.path = path
        self.data, self.text = _load(path)
        self._entries: list[Entry] | None = None

    def keys_in(self, data: dict[str, Any], path: tuple[str, ...] = ()) -> Iterator[str]:
        """The entry keys a catalog's data holds text for (as `entries` would name them)."""
        groups = self.groups(data)
        grouped = {k for keys in groups.values() for k in keys}
        for key, value in data.items():
            if isinstance(value, dict):
                yield from self.keys_in(value, (*path, key))
            elif key in grouped:
                base = _SUFFIX.match(key).group("base")  # type: ignore[union-attr]
                if key == groups[base][0]:
                    yield SEP.join((*path, base))
            elif isinstance(value, str):
                yield SEP.join((*path, key))
            elif _strings(value):
                yield from (SEP.join((*path, key, str(i))) for i, item in enumerate(value)
                            if item)

    @classmethod
    def claims(cls, path: Path) -> bool:
        """JSON is i18next's unless it reads as ICU messages (icu.py's)."""
        return not reads_as_icu(path)

    def groups(self, obj: dict[str, Any]) -> dict[str, list[str]]:
        """The plural groups of one object of this catalog."""
        return _groups(obj) if self.plural_suffixes else {}

    def entries(self) -> list[Entry]:
        if self._entries is None:  # (every target asks for them)
            self._entries = self._read_entries()
        return self._entries

    def _read_entries(self) -> list[Entry]:
        out: list[Entry] = []

        def walk(obj: dict[str, Any], path: list[str]) -> None:
            groups = self.groups(obj)
            grouped = {k for keys in groups.values() for k in keys}
            for key, value in obj.items():
                if isinstance(value, dict):
                    walk(value, [*path, key])
                elif key in grouped:
                    base = _SUFFIX.match(key).group("base")  # type: ignore[union-attr]
                    if key != groups[base][0]:
                        continue  # the group is one entry, at its first key
                    one = obj.get(f"{base}_one", obj[f"{base}_other"])
                    out.append(Entry(key=SEP.join([*path, base]), source=one,
                                     source_plural=obj[f"{base}_other"],
                                     context=".".join([*path, base]), rules=self.rules))
                elif isinstance(value, str):
                    out.append(Entry(key=SEP.join([*path, key]), source=value,
                                     context=".".join([*path, key]), rules=self.rules))
                elif _strings(value):
                    name = ".".join([*path, key])
                    out.extend(Entry(key=SEP.join([*path, key, str(i)]), source=item,
                                     context=f"{name}[{i}]", rules=self.rules,
                                     comments=[f"item {i + 1} of the {len(value)} of the list "
                                               f"{name}"])
                               for i, item in enumerate(value) if item)

        walk(self.data, [])
        return out

    def lists(self) -> dict[str, list[str]]:
        """Every array of strings, by its key path."""
        found: dict[str, list[str]] = {}

        def walk(obj: dict[str, Any], path: list[str]) -> None:
            for key, value in obj.items():
                if isinstance(value, dict):
                    walk(value, [*path, key])
                elif _strings(value):
                    found[SEP.join([*path, key])] = value

        walk(self.data, [])
        return found

    target_class: type[I18nextTargetCatalog] = I18nextTargetCatalog

    def target(self, language: str, path: Path, *, include_fuzzy: bool = False,
               plural_forms: str | None = None) -> I18nextTargetCatalog:
        self.refuse_plural_forms(language, plural_forms)
        existing, text = _load(path) if path.exists() else ({}, self.text)
        return self.target_class(self, language, path, existing, _indent(text),
                                 text.endswith("\n"))
