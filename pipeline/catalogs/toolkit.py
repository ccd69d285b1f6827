"""What the app catalog formats translate-toolkit reads and writes have in common: a source
catalog read into the toolkit's store, and a target written back from one.

translate-toolkit is the library Weblate reads and writes these formats with: it knows their
escapes (Android's `\\'` and `\\n`, .properties' `\\uXXXX`, Apple's UTF-16), their plural
forms (Android `<plurals>` quantities, Rails `one:`/`other:` keys) and their comments, so we
write no parser of our own. Each format is a subclass of `ToolkitCatalog` in a module of its
own (android.py, apple_strings.py, java_properties.py, rails_yaml.py, xliff.py,
qt_linguist.py, resx.py, arb.py; the bilingual ones through bilingual.py): the toolkit store,
the placeholder syntax its strings use, where each language's file goes in that ecosystem,
its own checks, how its file is written and how a written file is checked by reading it
back. Nothing here asks which format it is.

A new target starts as a copy of the source file: translated entries take their translation,
everything else (comments, order, untranslatable entries of the format's own kind) stays as the
toolkit wrote the source, and an entry left for review is left out, so the app falls back to
its source language for it rather than showing a broken string. An existing target keeps every
entry it has (but those --prune takes out: keys the source no longer has); only missing entries
are added, in the source's order. Which bytes are kept exactly depends on the
toolkit's writer for the format. Android and XLIFF are written by lxml with the toolkit's
re-indenting turned off; Rails YAML is the source's text with only the translated values
edited (`yaml_splice.py`; ruamel's round trip re-lays the whole file). Where the toolkit
normalises layout (`.properties` indentation, delimiters, continuation lines; `.strings`
spacing), the file is spliced instead: only changed entries are rewritten, with the
toolkit's escaping, and every other line is left as it was (`splice.py`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Any

from translate.misc.multistring import multistring
from translate.storage.base import TranslationStore
from translate.storage.lisa import LISAfile

from ..errors import InputError
from .base import Catalog, Entry, Form, TargetCatalog, WholeGroups, cldr_forms, read_catalog
from .icu import message_forms
from .placeholders import Rules
from .splice import EntryLines, same_declaration, same_line_ends, splice
from .xliff_markup import (
    as_markup,
    inline_element,
    parse_markup,
    remove_laid_out,
    set_markup_target,
)

#: What the translator is told of a strftime pattern.
STRFTIME_NOTE = ("A strftime date/time format: keep every % directive (%d, %m, %Y, %H, %I, "
                 "%p, ...) exactly, drop or add none; order them, and the text between them, "
                 "as the language writes dates and times")


class ToolkitCatalog(Catalog):
    """A source catalog read by translate-toolkit. A format's subclass sets the class
    attributes and overrides the hooks its format needs; the defaults are a monolingual
    format (a file per language) whose units are all text."""

    #: The toolkit store a file is read with (or `store_for`, when the bytes decide).
    store_type: type[TranslationStore]
    #: Placeholder rules of its strings.
    rules: Rules = Rules()
    #: Source and target in one unit (XLIFF, Qt): a translation is the unit's target, and an
    #: entry not translated stays in the file without one.
    bilingual = False
    #: What a group of entries written whole is, for the report ("a string-array").
    group_written = "a list"

    @staticmethod
    def target_path(source: Path, source_language: str, language: str) -> Path:
        """Where `language`'s file goes in this format's ecosystem (app_paths.py)."""
        raise NotImplementedError

    def __init__(self, path: Path):
        self.path = path
        self.data = read_catalog(path)
        self.store = self.parse(self.data, path)
        #: Units whose source holds inline elements (XLIFF's <x id="INTERPOLATION"/>, <g>):
        #: they are translated as XML markup and written back as elements.
        self.markup: set[str] = set()

    # -- reading -------------------------------------------------------------------------------

    @classmethod
    def store_for(cls, data: bytes) -> type[TranslationStore]:
        """The toolkit store for a file's bytes."""
        return cls.store_type

    @staticmethod
    def readable(data: bytes) -> bytes:
        """The bytes the toolkit is given to read (a format works around its reader here)."""
        return data

    @classmethod
    def parse(cls, data: bytes, path: Path,
              store_type: type[TranslationStore] | None = None) -> TranslationStore:
        try:
            store = (store_type or cls.store_for(data))()
            store.parse(cls.readable(data))
        except Exception as exc:  # the toolkit raises many kinds (lxml, ruamel, ValueError)
            raise InputError(f"catalog {path} is not a readable {cls.format_name} file: "
                             f"{type(exc).__name__}: {exc}") from None
        store.filename = str(path)
        return store

    def parse_target(self, data: bytes, path: Path) -> TranslationStore:
        """A target file of this catalog read (a format whose store depends on the source
        too, say its encoding, overrides this)."""
        return self.parse(data, path)

    def is_text(self, unit: Any) -> bool:
        """Whether a unit the toolkit reads is text to translate (beyond its own
        istranslatable)."""
        return True

    def is_strftime(self, unit: Any) -> bool:
        """Whether a unit is a strftime pattern, by where the format keeps it: its directives
        are placeholders."""
        return False

    def translatable(self, unit: Any) -> bool:
        if unit.isheader() or not unit.istranslatable() or not self.is_text(unit):
            return False
        source = unit.source
        strings = source.strings if isinstance(source, multistring) else [source]
        return any(s for s in strings)

    def notes(self, unit: Any) -> str:
        """The notes a translator should read."""
        return str(unit.getnotes("developer") or unit.getnotes())

    def meaning(self, text: str) -> str:
        """The string as the app shows it (the translator sees, and the target gets, it)."""
        return text

    def group_of(self, key: str) -> str | None:
        """The group of entries written whole an entry is in (None: none)."""
        return None

    def icu_message(self, source: str) -> bool:
        """Whether the entry is an ICU message, judged by its structure (its plural and select
        cases are its forms, inside one text)."""
        return False

    def text_problems(self, source: str, text: str, language: str) -> list[str]:
        """Checks of a translation only this format knows (beyond placeholders, tags and
        edges). Empty: none."""
        return []

    # -- entries -------------------------------------------------------------------------------

    def entries(self) -> list[Entry]:
        return list(self._entries)

    @cached_property
    def _entries(self) -> list[Entry]:
        """Read once: each target language's target asks for them again."""
        out: list[Entry] = []
        seen: set[str] = set()
        for unit in self.store.units:
            if not self.translatable(unit):
                continue
            key = str(unit.getid())
            if key in seen:
                raise InputError(f"catalog {self.path}: the key {key!r} appears twice; keep "
                                 "one (the app would use only one of them)")
            seen.add(key)
            out.append(self.unit_entry(unit, markup=key in self.markup))
        return out

    def unit_entry(self, unit: Any, *, markup: bool) -> Entry:
        """The entry a unit is (a bilingual target's unit too: what its <source> says)."""
        key = str(unit.getid())
        # The toolkit's YAML key path as Rails writes it; an XLIFF unit's own id.
        shown = key.replace("->", ".").split("\x04")[-1]
        source = unit.source
        if markup:
            source = as_markup(inline_element(unit))
        notes = [n for n in self.notes(unit).splitlines() if n.strip()]
        strftime = self.is_strftime(unit)
        if strftime:
            notes.append(STRFTIME_NOTE)
        return self._entry(key, source, shown, notes, strftime=strftime)

    def _entry(self, key: str, source: Any, shown: str, notes: list[str], *,
               strftime: bool) -> Entry:
        if isinstance(source, multistring) and len(source.strings) > 1:
            forms = [self.meaning(str(s)) for s in source.strings]
            return Entry(key=key, source=forms[0], source_plural=forms[-1], context=shown,
                         comments=notes, rules=self._rules(source))
        rules = self._rules(str(source))
        return Entry(key=key, source=self.meaning(str(source)), context=shown, comments=notes,
                     rules=replace(rules, strftime=True) if strftime else rules)

    def _rules(self, source: str) -> Rules:
        return self.rules

    # -- targets -------------------------------------------------------------------------------

    target_class: type[ToolkitTargetCatalog]

    def target(self, language: str, path: Path, *, include_fuzzy: bool = False,
               plural_forms: str | None = None) -> ToolkitTargetCatalog:
        self.refuse_plural_forms(language, plural_forms)
        return self.target_class(self, language, path, include_fuzzy=include_fuzzy)

    def default_target_path(self, source_language: str, language: str) -> Path:
        return self.target_path(self.path, source_language, language)

    def translations(self, language: str) -> dict[str, list[str]]:
        """What this file says for each entry, read by the toolkit as the app's tools would:
        key -> its forms (a bilingual file: the target; inline elements as markup). Entries
        with none are absent."""
        self.store.settargetlanguage(language)
        found: dict[str, list[str]] = {}
        for unit in self.store.units:
            if self.bilingual and (target := inline_element(unit, "target")) is not None:
                texts = [as_markup(target)] if len(target) else unit_texts(unit, True)
            else:
                texts = unit_texts(unit, self.bilingual)
            if any(texts):
                found[str(unit.getid())] = texts
        return found


def read_translations(path: Path, fmt: str, language: str) -> dict[str, list[str]]:
    """What a target file in the toolkit format `fmt` says for each entry
    (`ToolkitCatalog.translations`)."""
    from .registry import catalog_class

    catalog = catalog_class(fmt)(path)
    if not isinstance(catalog, ToolkitCatalog):
        raise ValueError(f"{fmt} is not a format translate-toolkit reads")
    return catalog.translations(language)


def unit_texts(unit: Any, bilingual: bool = False) -> list[str]:
    value = unit.target if bilingual else (unit.target or unit.source)
    if isinstance(value, multistring):
        return [str(s) for s in value.strings]
    return [value] if value else []


class ToolkitTargetCatalog(TargetCatalog):
    """A target written through translate-toolkit. A format's subclass overrides the hooks
    its format needs (how a unit takes a translation, what a new file leaves out, how the
    file is written, what its read-back checks)."""

    #: Where the toolkit re-lays the whole file (.properties, .strings): the lines of changed
    #: entries are replaced in the original text instead (splice.py).
    spliced_lines: EntryLines | None = None
    #: Whether a new file keeps the units that are not text to translate (Android's
    #: translatable="false" strings belong to values/ alone; .resx's typed values too).
    new_file_keeps_untranslatable = True

    def __init__(self, source: ToolkitCatalog, language: str, path: Path, *,
                 include_fuzzy: bool = False):
        self.language = language
        self.include_fuzzy = include_fuzzy
        self.path = path
        self._source = source
        self.exists = path.exists()
        self._data = path.read_bytes() if self.exists else source.data
        self.store = source.parse_target(self._data, path)
        self.store.settargetlanguage(language)
        self._units = {str(u.getid()): u for u in self.store.units}
        self._done: dict[str, list[str]] = {}
        self._refused: set[str] = set()
        self._reasons: dict[str, str] = {}
        #: Android string-arrays and Rails lists: each is written whole or not at all.
        self._groups = WholeGroups(source.entries(), source.group_of, source.group_written)
        #: Keys the source no longer has, left out of what is written (--prune).
        self._pruned: set[str] = set()
        #: Translations kept though their source changed, marked for review where the
        #: format has a state: entry key -> the source they were made from.
        self._marked: dict[str, str] = {}

    def needs(self, entry: Entry) -> bool:
        if not self.exists:
            return True
        unit = self._units.get(entry.key)
        if unit is None or not any(unit_texts(unit, self._source.bilingual)):
            return True
        return self._redo(unit)

    def existing(self, entry: Entry) -> list[str] | None:
        if not self.exists:
            return None
        unit = self._units.get(entry.key)
        if unit is None:
            return None
        texts = self._held(entry.key, unit)
        return texts if any(texts) else None

    @property
    def _xml(self) -> bool:
        return isinstance(self.store, LISAfile)

    def _held(self, key: str, unit: Any) -> list[str]:
        """What a unit of the file says, as `read_back` gives a translation we wrote: inline
        elements as markup, XML as lxml writes it (`<br/>`)."""
        if key in self._source.markup:
            target = inline_element(unit, "target")
            return [as_markup(target)] if target is not None else []
        texts = unit_texts(unit, self._source.bilingual)
        return [xml_normal(t) for t in texts] if self._xml else texts

    def read_back(self, entry: Entry, forms: list[str]) -> list[str]:
        if entry.key in self._source.markup:
            return [as_markup(parse_markup(forms[0], "target"))]
        return [xml_normal(f) for f in forms] if self._xml else forms

    def is_draft(self, entry: Entry) -> bool:
        unit = self._units.get(entry.key) if self.exists else None
        return unit is not None and self._draft(unit)

    def _draft(self, unit: Any) -> bool:
        """Whether the format marks this unit's translation for review."""
        return bool(unit.isfuzzy())

    def translated_keys(self) -> set[str]:
        """Keys of the units that are text to translate (not an Android array's @string/
        reference, a Rails number) and hold a translation."""
        if not self.exists:
            return set()
        return {key for key, unit in self._units.items()
                if self._source.translatable(unit) and any(self._held(key, unit))}

    def prune(self, key: str) -> bool:
        self._pruned.add(key)
        return True

    def _redo(self, unit: Any) -> bool:
        """Whether a unit that has a translation is translated again: a draft (Qt's
        unfinished, XLIFF 2.0's initial), when asked (--fuzzy)."""
        return self.include_fuzzy and unit.isfuzzy()  # type: ignore[no-any-return]

    def forms(self, entry: Entry) -> list[Form]:
        if self._source.icu_message(entry.source):
            return message_forms(entry.source, self.language)
        if not entry.plural:
            return [Form("text")]
        return cldr_forms(self.language)

    def held_back(self) -> list[tuple[Entry, str]]:
        return self._groups.held_back(self._done, self.needs)

    def extra_problems(self, entry: Entry, forms: list[str]) -> list[str]:
        found: list[str] = []
        sources = [entry.source] if not entry.plural else [entry.source_plural or entry.source]
        for form in forms:
            for source in sources:
                found += self._source.text_problems(source, form, self.language)
        return list(dict.fromkeys(found))

    def accept(self, entry: Entry, forms: list[str]) -> None:
        self._done[entry.key] = forms
        self._refused.discard(entry.key)

    def refuse(self, entry: Entry, reason: str) -> None:
        self._done.pop(entry.key, None)
        self._refused.add(entry.key)
        self._reasons[entry.key] = reason

    # -- writing -------------------------------------------------------------------------------

    def render(self) -> str:
        raise NotImplementedError("toolkit catalogs are written as bytes: use render_bytes")

    def render_bytes(self) -> bytes:
        store = self._source.parse_target(self._data, self.path)  # fresh: same bytes twice
        store.settargetlanguage(self.language)
        units = {str(u.getid()): u for u in store.units}
        before = {key: unit_texts(unit) for key, unit in units.items()}
        original = self._originals(units)
        left_out = self._groups.incomplete(self._done, self.needs)
        #: What filling keeps between entries (Android: each string-array written, its items).
        written: dict[str, Any] = {}
        order = {entry.key: n for n, entry in enumerate(self._source.entries())}
        # In the source's order, whatever order the answers came in: entries new to the file
        # are added in that order.
        for key, forms in sorted(self._done.items(), key=lambda item: order[item[0]]):
            if self._source.group_of(key) in left_out:
                continue  # not written: its group is written whole
            self._fill(store, units, key, forms, written)
        self._not_translated(store, units, left_out, written)
        for key, old_source in self._marked.items():
            if key in units and key not in self._done:
                self._mark(units[key], key, old_source)
        for key in self._pruned:
            if (unit := units.pop(key, None)) is not None:
                self._remove(store, unit)
        self._finish(store)
        return self._write_back(store, units, before, original)

    def _mark(self, unit: Any, key: str, old_source: str) -> None:
        """Mark a unit's translation for review, its source having changed from `old_source`
        (formats with a state: `mark_stale` says which)."""

    def _remove(self, store: Any, unit: Any) -> None:
        """Take a unit out of the file (an XML element with the whitespace before it, so the
        elements around it stay laid out as they were)."""
        element = getattr(unit, "xmlelement", None)
        if element is None or not self._xml:
            store.removeunit(unit)
            return
        TranslationStore.removeunit(store, unit)  # the store's list; the element, laid out:
        remove_laid_out(element)

    def _originals(self, units: dict[str, Any]) -> dict[str, Any]:
        """What a format written by splicing elements keeps of the file before it is edited."""
        return {}

    def _fill(self, store: Any, units: dict[str, Any], key: str, forms: list[str],
              written: dict[str, Any]) -> None:
        """Give the entry's unit its translation; a unit missing from an existing target is
        added from the source."""
        unit = units.get(key)
        if unit is None:
            unit = _copy_unit(self._source.store, key)
            _append(store, unit)
            units[key] = unit
        self._translated_now(unit)
        self._source_now(unit, key)
        if key in self._source.markup:
            set_markup_target(unit, forms[0])
        else:
            self._set_target(unit, forms)

    def _translated_now(self, unit: Any) -> None:
        """A unit is translated now (a bilingual format drops its note that it was not)."""

    def _source_now(self, unit: Any, key: str) -> None:
        """A unit is translated now: a bilingual format's unit takes the source file's
        <source>."""

    def _set_target(self, unit: Any, forms: list[str]) -> None:
        element = getattr(unit, "xmlelement", None)
        # Only elements whose children are layout (an Android <plurals>' items, a Qt
        # <message>'s parts), never a string's inline markup, get their whitespace back.
        structural = element is not None and element.tag in ("plurals", "message")
        tail = element.tail if element is not None else None
        layout = _layout(element) if structural else None
        unit.target = multistring(forms) if len(forms) > 1 or unit.hasplural() else forms[0]
        if layout is not None:
            _restore_layout(unit.xmlelement, layout)
        elif element is not None:
            unit.xmlelement.tail = tail

    def _not_translated(self, store: Any, units: dict[str, Any], left_out: set[str],
                        written: dict[str, Any]) -> None:
        """A new file: what was not translated is left out (the app falls back to its source
        language). An existing file keeps what it has."""
        if self.exists:
            return
        for key, unit in list(units.items()):
            if (key in self._done or unit.isheader()
                    or self._source.group_of(key) is not None):
                continue  # a group's items: the group is kept or left out whole
            if self._source.translatable(unit) or not self.new_file_keeps_untranslatable:
                store.removeunit(unit)
                del units[key]

    def _finish(self, store: Any) -> None:
        """The format's last edits of the whole store before it is written."""

    def _write_back(self, store: Any, units: dict[str, Any], before: dict[str, list[str]],
                    original: dict[str, Any]) -> bytes:
        if self.spliced_lines is not None:
            original_units = self._source.parse_target(self._data, self.path).units
            spliced = splice(self.spliced_lines, self._data, original_units, store, before,
                             units, unit_texts)
            if spliced is not None:
                return spliced
        return self._written_whole(store)

    def _written_whole(self, store: Any) -> bytes:
        """The file as the toolkit writes it, with the original's prolog and line ends."""
        return same_line_ends(self._data, same_declaration(self._data, bytes(store)))

    # -- reading back --------------------------------------------------------------------------

    def verify(self, data: bytes) -> list[str]:
        """What is wrong with the file about to be written, read back by the toolkit (and by
        the format's own reader): every translation reads back as accepted."""
        problems: list[str] = []
        store = self._source.parse_target(data, self.path)
        store.settargetlanguage(self.language)
        units = {str(u.getid()): u for u in store.units}
        left_out = self._groups.incomplete(self._done, self.needs)
        for key, forms in self._done.items():
            if self._source.group_of(key) in left_out:
                continue  # not written: its group is written whole
            unit = units.get(key)
            got = unit_texts(unit, self._source.bilingual) if unit is not None else []
            if key in self._source.markup:
                target = inline_element(unit, "target") if unit is not None else None
                got = [as_markup(target)] if target is not None else []
                forms = [as_markup(parse_markup(forms[0], "target"))]
            if [xml_normal(t) for t in got] != [xml_normal(t) for t in forms]:
                problems.append(f"{key!r} reads back as {got!r}, not {forms!r}")
        for key in self._pruned:
            if key in units:
                problems.append(f"{key!r} is still in the file, though pruned")
        for key in self._marked:
            if key in units and key not in self._done and not self._draft(units[key]):
                problems.append(f"{key!r} does not read back as marked for review")
        return problems + self._read_back_problems(data, left_out)

    def _read_back_problems(self, data: bytes, left_out: set[str]) -> list[str]:
        """What the format's own reader finds wrong with the file (empty: nothing)."""
        return []


def xml_normal(text: str) -> str:
    """`<br/>` and `<br />` are the same element."""
    return re.sub(r"\s+/>", "/>", text)


def _append(store: Any, unit: Any) -> None:
    """Add a unit at the end; in XML, laid out like the elements before it."""
    body = getattr(store, "body", None)
    last = body[-1] if body is not None and len(body) else None
    between = body[-2].tail if last is not None and len(body) > 1 else None
    store.addunit(unit)
    if last is not None and between is not None and between.strip() == "":
        unit.xmlelement.tail, last.tail = last.tail, between


def _copy_unit(store: TranslationStore, key: str) -> Any:
    for unit in store.units:
        if str(unit.getid()) == key:
            return unit.copy() if hasattr(unit, "copy") else unit
    raise KeyError(key)


def _layout(element: Any) -> tuple[str | None, str | None, str | None, str | None]:
    children = list(element)
    return (element.text, element.tail, children[0].tail if len(children) > 1 else None,
            children[-1].tail if children else None)


def _restore_layout(element: Any, layout: tuple[str | None, ...]) -> None:
    """Setting a plural target rebuilds its <item>s (a Qt target its <translation>) without
    whitespace: lay them out as the source's were."""
    text, tail, between, last = layout
    element.tail = tail
    children = list(element)
    if children and between is not None:
        element.text = text
        for child in children[:-1]:
            child.tail = between
        children[-1].tail = last
