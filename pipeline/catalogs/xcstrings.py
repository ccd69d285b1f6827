"""Apple String Catalogs (.xcstrings): every language of an app in one JSON file.

translate-toolkit 3.20 has no store for String Catalogs; they are JSON, read here with `json`
and written back in the layout Xcode writes (two-space indent, `"key" : value`, `{ }` for an
empty object), so a file Xcode wrote comes back byte for byte where nothing changed, and the
next Xcode save changes nothing either.

A string's text for a language sits in `localizations.<lang>`, either as a `stringUnit` or
under `variations` (`plural`: CLDR categories; `device`: iphone, ipad, mac...) and
`substitutions` (a `%#@name@` argument with plural variations of its own), or as a
`stringSet` (App Shortcuts' alternative phrases: a list of texts). Each place that holds text
is one entry: the plain text, one phrase of a set, or one plural group whose forms are the
target's CLDR categories. A source `zero` case that is not a CLDR category of the source language is
the app's own text for 0 ("No files"), a separate entry. Strings marked
`"shouldTranslate" : false` and stale ones (no longer in the code) are not sent. The target
language is added to the same file; its other languages stay as they are.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..languages import cldr_categories, without_own_zero
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
#: A target's text in these states is a draft: redone only when asked (--fuzzy).
DRAFT_STATES = {"needs_review", "new", "stale"}
Path_ = tuple[str, ...]


@dataclass(frozen=True)
class _Place:
    """Where one entry's text lives in a string's localization."""

    key: str
    path: Path_
    #: A plural group (`path` ends at variations/plural), or one text (at a stringUnit).
    plural: bool

    @property
    def entry_key(self) -> str:
        return SEP.join((self.key, *self.path))


def _load(path: Path, data: bytes) -> dict[str, Any]:
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"catalog {path} is not UTF-8: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"catalog {path} is not valid JSON: line {exc.lineno} column "
                         f"{exc.colno}: {exc.msg}") from None
    if not isinstance(document, dict) or not isinstance(document.get("strings"), dict):
        raise InputError(f"catalog {path} is not a String Catalog: it has no \"strings\" "
                         "object")
    for key, value in document["strings"].items():
        if not isinstance(value, dict):
            raise InputError(f"catalog {path}: the string {key!r} is not an object")
    return document


def dump(document: Any) -> str:
    """JSON as Xcode lays out a String Catalog."""
    return _dump(document, "")


def _dump(value: Any, indent: str) -> str:
    if isinstance(value, dict):
        if not value:
            return "{\n\n" + indent + "}"
        inner = indent + "  "
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)} : {_dump(v, inner)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list):
        if not value:
            return "[\n\n" + indent + "]"
        inner = indent + "  "
        return ("[\n" + ",\n".join(inner + _dump(v, inner) for v in value) + "\n"
                + indent + "]")
    return json.dumps(value, ensure_ascii=False)


def _node(localization: Any, path: Path_) -> Any:
    node = localization
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _value(unit_holder: Any) -> str | None:
    unit = unit_holder.get("stringUnit") if isinstance(unit_holder, dict) else None
    value = unit.get("value") if isinstance(unit, dict) else None
    return value if isinstance(value, str) else None


def _state(unit_holder: Any) -> str | None:
    unit = unit_holder.get("stringUnit") if isinstance(unit_holder, dict) else None
    return unit.get("state") if isinstance(unit, dict) else None


def _in_set(path: Path_) -> bool:
    """Whether the path is one phrase of a stringSet (…/stringSet/<index>)."""
    return len(path) >= 2 and path[-2] == "stringSet"


def _set_values(localization: Any, path: Path_) -> list[Any]:
    """The phrases of the stringSet a phrase's path is in ([] when there is none)."""
    string_set = _node(localization, path[:-1])
    values = string_set.get("values") if isinstance(string_set, dict) else None
    return values if isinstance(values, list) else []


def _text(localization: Any, path: Path_) -> str | None:
    """The text at a place that is not a plural group: a stringUnit's, or a set's phrase."""
    if _in_set(path):
        values = _set_values(localization, path)
        index = int(path[-1])
        value = values[index] if index < len(values) else None
        return value if isinstance(value, str) else None
    return _value(_node(localization, path))


def _places(key: str, localization: Any, path: Path_ = ()) -> list[_Place]:
    """Every place holding text in a localization, in file order."""
    if not isinstance(localization, dict):
        return []
    found: list[_Place] = []
    if "stringUnit" in localization:
        found.append(_Place(key, path, plural=False))
    phrases = _set_values(localization, ("stringSet", "0"))
    found += [_Place(key, (*path, "stringSet", str(i)), plural=False)
              for i, phrase in enumerate(phrases) if isinstance(phrase, str) and phrase]
    for name, sub in (localization.get("substitutions") or {}).items():
        found += _places(key, sub, (*path, "substitutions", name))
    for kind, cases in (localization.get("variations") or {}).items():
        if not isinstance(cases, dict):
            continue
        if kind == "plural":
            found.append(_Place(key, (*path, "variations", "plural"), plural=True))
            continue
        for case, sub in cases.items():
            found += _places(key, sub, (*path, "variations", kind, case))
    return found


def _describe(path: Path_) -> str:
    """variations/device/ipad/substitutions/count -> "device ipad, substitution count"."""
    words, parts = [], list(path)
    while parts:
        head = parts.pop(0)
        if head == "variations" and parts:
            kind = parts.pop(0)
            if kind != "plural" and parts:
                words.append(f"{kind} {parts.pop(0)}")
        elif head == "substitutions" and parts:
            words.append(f"substitution {parts.pop(0)}")
        elif head == "stringSet" and parts:
            words.append(f"phrase {int(parts.pop(0)) + 1} of a set of alternatives")
        elif head == "zero":
            words.append("zero case")
    return ", ".join(words)


class XcstringsCatalog(Catalog):
    """A String Catalog; its targets are languages added to it."""

    format_name = "Apple String Catalog (.xcstrings)"
    multilingual = True

    def __init__(self, path: Path):
        self.path = path
        self.data = read_catalog(path)
        self.document = _load(path, self.data)
        self.source_language = str(self.document.get("sourceLanguage") or "en")
        #: Targets by file: languages written to one file are written together.
        self._shared: dict[Path, _SharedFile] = {}

    def _source_localization(self, key: str, string: dict[str, Any]) -> dict[str, Any]:
        """The source language's localization; a key with none is its own text."""
        own = (string.get("localizations") or {}).get(self.source_language)
        if isinstance(own, dict) and own:
            return own
        return {"stringUnit": {"state": "translated", "value": key}}

    def places(self) -> list[tuple[_Place, dict[str, Any]]]:
        out = []
        for key, string in self.document["strings"].items():
            if string.get("shouldTranslate") is False or string.get("extractionState") == "stale":
                continue
            source = self._source_localization(key, string)
            out += [(place, source) for place in _places(key, source)]
        return out

    def entries(self) -> list[Entry]:
        return list(self._entries)

    @cached_property
    def _entries(self) -> list[Entry]:
        """Read once: each target language's target asks for them again."""
        out: list[Entry] = []
        for place, source in self.places():
            string = self.document["strings"][place.key]
            comments = [string["comment"]] if isinstance(string.get("comment"), str) else []
            where = _describe(place.path)
            context = f"{place.key} ({where})" if where else place.key
            if not place.plural:
                text = _text(source, place.path)
                if text:
                    out.append(Entry(key=place.entry_key, source=text, context=context,
                                     comments=comments, rules=RULES))
                continue
            node = _node(source, place.path)
            cases = {c: _value(v) for c, v in (node or {}).items()}
            other = cases.get("other") or next((v for v in cases.values() if v), None)
            if not other:
                continue
            out.append(Entry(key=place.entry_key, source=cases.get("one") or other,
                             source_plural=other, context=context, comments=comments,
                             rules=RULES))
            if cases.get("zero") and "zero" not in cldr_categories(self.source_language):
                out.append(Entry(key=SEP.join((place.entry_key, "zero")), source=cases["zero"],
                                 context=f"{context}, zero case" if where else
                                 f"{place.key} (zero case)", comments=comments, rules=RULES))
        return out

    def target(self, language: str, path: Path, *, include_fuzzy: bool = False,
               plural_forms: str | None = None) -> XcstringsTargetCatalog:
        self.refuse_plural_forms(language, plural_forms)
        key = path.resolve()
        if key not in self._shared:
            data = path.read_bytes() if path.exists() else self.data
            self._shared[key] = _SharedFile(self, path, data)
        return XcstringsTargetCatalog(self._shared[key], language, path,
                                      include_fuzzy=include_fuzzy)

    def default_target_path(self, source_language: str, language: str) -> Path:
        return self.path  # every language lives in the one file


class _SharedFile:
    """One .xcstrings file being written: every language's target adds to it."""

    def __init__(self, catalog: XcstringsCatalog, path: Path, data: bytes):
        self.catalog = catalog
        self.path = path
        self.data = data
        self.document = _load(path, data)
        self.targets: list[XcstringsTargetCatalog] = []
        #: The file as every language's target would write it (made once, not per language;
        #: reset when a target takes or refuses a translation).
        self.rendered: bytes | None = None

    def render(self) -> bytes:
        if self.rendered is None:
            self.rendered = self._render()
        return self.rendered

    def _render(self) -> bytes:
        document = copy.deepcopy(self.document)
        strings = document["strings"]
        for target in self.targets:
            # A source's own zero text after the plural forms (as in stringsdict.py).
            for entry_key, forms in sorted(target.done.items(),
                                           key=lambda kv: kv[0].endswith(SEP + "zero")):
                key, *path = entry_key.split(SEP)
                if not target.complete(key):
                    continue  # a format without its substitution would be broken: left out
                if key not in strings:  # a string the target file does not have yet
                    strings[key] = copy.deepcopy(self.catalog.document["strings"][key])
                    strings[key].get("localizations", {}).pop(target.language, None)
                _put(strings[key], self.catalog, target.language, key, tuple(path), forms)
            for entry_key in target.marked:
                if entry_key not in target.done:
                    _mark(strings, target.language, entry_key)
            for entry_key in sorted(target.pruned, key=_prune_order):
                _prune(strings, self.catalog, target.language, entry_key)
        text = dump(document)
        return (text + ("\n" if self.data.endswith(b"\n") else "")).encode("utf-8")


def _put(string: dict[str, Any], catalog: XcstringsCatalog, language: str, key: str,
         path: Path_, forms: list[str]) -> None:
    """Set one entry's translation in `language`'s localization of the string, creating the
    nodes on its path (a substitution's argNum and formatSpecifier copied from the source)."""
    localizations = string.setdefault("localizations", {})
    if language not in localizations:
        localizations[language] = {}
        _sort_keys(localizations)
    node = localizations[language]
    source = catalog._source_localization(key, catalog.document["strings"][key])
    zero = bool(path) and path[-1] == "zero"
    phrase = int(path[-1]) if _in_set(path) else None
    if zero:
        path = path[:-1]
    elif phrase is not None:  # the set is built whole: every phrase of it is in `done`
        source_count = len(_set_values(source, path))
        path = path[:-2]
    for part in path:
        source = source.get(part, {}) if isinstance(source, dict) else {}
        if part not in node:
            node[part] = {k: copy.deepcopy(v) for k, v in source.items()
                          if not isinstance(v, dict)} if isinstance(source, dict) else {}
            _sort_keys(node)
        node = node[part]
    if zero:
        node["zero"] = _unit(forms[0])
    elif phrase is not None:
        string_set = node.get("stringSet")
        if not (isinstance(string_set, dict) and string_set.get("state") == "translated"
                and len(string_set.get("values") or []) == source_count):
            string_set = node["stringSet"] = {"state": "translated",
                                              "values": [""] * source_count}
        string_set["values"][phrase] = forms[0]
    elif path and path[-1] == "plural":
        for category, text in zip(cldr_categories(language), forms, strict=True):
            node[category] = _unit(text)
    else:
        node.update(_unit(forms[0]))
    _sort_keys(node)


def _holders_at(node: Any, path: Path_) -> list[Any]:
    """The objects holding a state at an entry's place: each stringUnit holder (a plural
    group's every case), or the stringSet."""
    if _in_set(path):
        return [_node(node, path[:-1])]
    zero = bool(path) and path[-1] == "zero"
    found = _node(node, path[:-1] if zero else path)
    if not isinstance(found, dict):
        return []
    if zero:
        return [found.get("zero")]
    if path and path[-1] == "plural":
        return list(found.values())
    return [found]


def _mark(strings: dict[str, Any], language: str, entry_key: str) -> None:
    """A translation kept though its source changed: `needs_review`, the state Xcode gives
    a translation whose source string changed (it lists it for review; the app still
    shows it)."""
    key, *path = entry_key.split(SEP)
    localization = ((strings.get(key) or {}).get("localizations") or {}).get(language)
    for holder in _holders_at(localization, tuple(path)):
        if not isinstance(holder, dict):
            continue
        state_holder = holder if _in_set(tuple(path)) else holder.get("stringUnit")
        if isinstance(state_holder, dict) and state_holder.get("state") != "needs_review":
            state_holder["state"] = "needs_review"
            _sort_keys(state_holder)


def _prune_order(entry_key: str) -> tuple[int, int]:
    """A set's phrases from the last (removing one shifts those after it)."""
    *_, last = entry_key.split(SEP)
    return (0, -int(last)) if last.isdigit() else (1, 0)


def _prune(strings: dict[str, Any], catalog: XcstringsCatalog, language: str,
           entry_key: str) -> None:
    """Remove a language's text the source no longer has: a string the source file lacks
    goes whole (a separate target file); otherwise its place in the language's localization
    (a stringUnit, a plural group, a zero case, a set's phrase), and what that leaves empty."""
    key, *rest = entry_key.split(SEP)
    path = tuple(rest)
    string = strings.get(key)
    if not isinstance(string, dict):
        return
    if key not in catalog.document["strings"]:
        del strings[key]
        return
    localizations = string.get("localizations") or {}
    localization = localizations.get(language)
    if not isinstance(localization, dict):
        return
    if _in_set(path):
        where, name = path[:-2], "stringSet"
        values = _set_values(localization, path)
        if int(path[-1]) < len(values):
            del values[int(path[-1])]
        drop = not any(values)
    else:
        where, name = (path[:-1], path[-1]) if path and path[-1] in ("zero", "plural") else (
            path, "stringUnit")
        drop = True
    container = _node(localization, where)
    if drop and isinstance(container, dict):
        container.pop(name, None)
    for depth in range(len(where), 0, -1):  # what that leaves empty goes too
        parent = _node(localization, where[:depth - 1])
        if isinstance(parent, dict) and parent.get(where[depth - 1]) == {}:
            del parent[where[depth - 1]]
    if not localization:
        del localizations[language]
    if "localizations" in string and not localizations:
        del string["localizations"]


def _unit(text: str) -> dict[str, Any]:
    return {"stringUnit": {"state": "translated", "value": text}}


def _sort_keys(node: dict[str, Any]) -> None:
    """Xcode writes every object's keys sorted (languages, plural cases, fields)."""
    items = sorted(node.items())
    node.clear()
    node.update(items)


class XcstringsTargetCatalog(WholeStringsTargetCatalog):
    def __init__(self, shared: _SharedFile, language: str, path: Path, *,
                 include_fuzzy: bool = False):
        super().__init__(shared.catalog.entries())
        self.language = language
        self.path = path
        self.include_fuzzy = include_fuzzy
        self._shared = shared
        shared.targets.append(self)
        #: Entries kept though their source changed, marked needs_review: key -> old source.
        self.marked: dict[str, str] = {}
        #: Keys the source no longer has, taken out of the file (--prune).
        self.pruned: set[str] = set()

    def needs(self, entry: Entry) -> bool:
        key, *path = entry.key.split(SEP)
        string = self._shared.document["strings"].get(key)
        localization = ((string or {}).get("localizations") or {}).get(self.language)
        zero = bool(path) and path[-1] == "zero"
        if _in_set(tuple(path)):  # a set is translated when it has phrases (any number)
            string_set = _node(localization, tuple(path[:-1]))
            if not any(isinstance(v, str) and v for v in _set_values(localization, tuple(path))):
                return True
            return self.include_fuzzy and string_set.get("state") in DRAFT_STATES
        node = _node(localization, tuple(path[:-1] if zero else path))
        if zero:
            holders = [(node or {}).get("zero")]
        elif entry.plural:
            # A plural with its `other` text is translated: for a category it lacks (French's
            # `many`, which CLDR added in 2020) the app uses `other`, and a reviewed
            # translation is not paid for again.
            if not _value((node or {}).get("other")):
                return True
            holders = list((node or {}).values())
        else:
            holders = [node]
        if not all(_value(h) for h in holders):
            return True
        return self.include_fuzzy and any(_state(h) in DRAFT_STATES for h in holders)

    def _localization(self, entry: Entry, language: str | None = None,
                      document: dict[str, Any] | None = None) -> tuple[Any, Path_]:
        key, *path = entry.key.split(SEP)
        string = (document or self._shared.document)["strings"].get(key)
        return ((string or {}).get("localizations") or {}).get(language or self.language), \
            tuple(path)

    def _holders(self, entry: Entry, language: str | None = None,
                 document: dict[str, Any] | None = None) -> list[Any] | None:
        """The stringUnit holders of the entry's text in a language (None: a set's phrase)."""
        localization, path = self._localization(entry, language, document)
        if _in_set(path):
            return None
        zero = bool(path) and path[-1] == "zero"
        node = _node(localization, path[:-1] if zero else path)
        if zero:
            return [(node or {}).get("zero")]
        if entry.plural:
            return [(node or {}).get(c) for c in cldr_categories(language or self.language)]
        return [node]

    def existing(self, entry: Entry) -> list[str] | None:
        localization, path = self._localization(entry)
        holders = self._holders(entry)
        if holders is None:
            text = _text(localization, path)
            return [text] if text else None
        forms = [_value(h) or "" for h in holders]
        return forms if any(forms) else None

    def is_draft(self, entry: Entry, document: dict[str, Any] | None = None) -> bool:
        """Whether Xcode lists the text for review (needs_review, new, stale), in the file
        as read (or in `document`)."""
        localization, path = self._localization(entry, None, document)
        holders = self._holders(entry, None, document)
        if holders is None:
            string_set = _node(localization, path[:-1])
            return isinstance(string_set, dict) and string_set.get("state") in DRAFT_STATES
        return any(_state(h) in DRAFT_STATES for h in holders if h)

    def translated_keys(self, document: dict[str, Any] | None = None) -> set[str]:
        """Every place holding text in this language's localizations (the source's strings
        or not; a source string Xcode marked stale, or no longer to translate, too)."""
        own_zero = "zero" not in cldr_categories(self.language)
        found = set()
        for key, string in (document or self._shared.document)["strings"].items():
            localization = ((string or {}).get("localizations") or {}).get(self.language)
            for place in _places(key, localization):
                if place.plural:
                    cases = _node(localization, place.path) or {}
                    if any(_value(v) for c, v in cases.items() if c != "zero" or not own_zero):
                        found.add(place.entry_key)
                    if own_zero and _value(cases.get("zero")):
                        found.add(SEP.join((place.entry_key, "zero")))
                elif _text(localization, place.path):
                    found.add(place.entry_key)
        return found

    def mark_stale(self, entry: Entry, old_source: str) -> bool:
        """Xcode's own mark for a translation whose source changed: `needs_review`. (The
        file holds the source language's text as it is now, not the one a translation was
        made from, so recorded_source has nothing to say: what it was made from is in the
        lock.)"""
        if self.existing(entry) is None:
            return False
        self.marked[entry.key] = old_source
        self._shared.rendered = None
        return True

    def prune(self, key: str) -> bool:
        self.pruned.add(key)
        self._shared.rendered = None
        return True

    def forms(self, entry: Entry) -> list[Form]:
        return cldr_forms(self.language) if entry.plural else [Form("text")]

    def accept(self, entry: Entry, forms: list[str]) -> None:
        super().accept(entry, forms)
        self._shared.rendered = None

    def refuse(self, entry: Entry, reason: str) -> None:
        super().refuse(entry, reason)
        self._shared.rendered = None

    def render(self) -> str:
        return self.render_bytes().decode("utf-8")

    def render_bytes(self) -> bytes:
        return self._shared.render()

    def verify(self, data: bytes) -> list[str]:
        """The file read back as JSON: this language's every accepted text is where Xcode and
        the app look for it, and every plural group has the language's categories."""
        try:
            document = json.loads(data.decode("utf-8"))
        except ValueError as exc:
            return [f"not valid JSON: {exc}"]
        problems = []
        for entry_key, forms in self.done.items():
            key, *path = entry_key.split(SEP)
            if not self.complete(key):
                continue  # left out whole
            localization = document["strings"].get(key, {}).get("localizations", {}).get(
                self.language)
            zero = bool(path) and path[-1] == "zero"
            node = _node(localization, tuple(path[:-1] if zero else path))
            if _in_set(tuple(path)):
                got = [_text(localization, tuple(path))]
            elif zero:
                got = [_value((node or {}).get("zero"))]
            elif path and path[-1] == "plural":
                categories = cldr_categories(self.language)
                cases = set(node or {})
                if not set(categories) <= cases <= {*categories, "zero"}:
                    problems.append(f"{key!r} has plural cases {sorted(cases)}, not "
                                    f"{categories}")
                got = [_value((node or {}).get(c)) for c in categories]
                got, forms = without_own_zero(got, forms, self.language,
                                               entry_key + SEP + "zero" in self.done)
            else:
                got = [_value(node)]
            if got != forms:
                problems.append(f"{key!r} reads back as {got!r}, not {forms!r}")
        entries = {e.key: e for e in self._shared.catalog.entries()}
        for entry_key in self.marked.keys() - self.done.keys():
            if entry_key in entries and not self.is_draft(entries[entry_key], document):
                problems.append(f"{entry_key!r} does not read back as needs_review")
        for entry_key in self.pruned & self.translated_keys(document):
            problems.append(f"{entry_key!r} is still in the file, though pruned")
        return problems
