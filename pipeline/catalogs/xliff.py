"""XLIFF 1.2 (Symfony's translations, Angular's messages.xlf, Xcode exports) and XLIFF 2.0
(Angular), read and written by translate-toolkit without re-indenting."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from lxml import etree
from translate.storage import xliff, xliff2
from translate.storage.base import TranslationStore

from ..errors import InputError
from . import symfony_plurals
from .app_paths import dotted_path
from .base import Entry, Form
from .bilingual import BilingualCatalog, BilingualTargetCatalog
from .icu import structure_problems
from .placeholders import ICU_ARGUMENT, Rules
from .splice import same_declaration, same_line_ends, xliff2_root
from .xliff_markup import (
    NOT_TRANSLATED,
    SOURCE_CHANGED,
    XliffState,
    lay_out_target,
    remove_laid_out,
    review_note,
    xliff12_state,
)

_RULES = Rules(brace=True, i18next=True, percent_name=True)


class _XliffFile(xliff.xlifffile):
    """XLIFF written back without re-indenting (lxml keeps every untouched node's whitespace,
    comments and attributes as they were)."""

    XMLindent: dict[str, Any] = {}  # noqa: RUF012 (the toolkit's class attribute)


class _Xliff2File(xliff2.Xliff2File):
    """XLIFF 2.0 written back without re-indenting (as _XliffFile)."""

    XMLindent: dict[str, Any] = {}  # noqa: RUF012 (the toolkit's class attribute)


def _version_2(path: Path) -> bool | None:
    """Whether the file says it is XLIFF 2 (None: it cannot be read)."""
    try:
        head = path.read_bytes()[:4096]
    except OSError:
        return None
    return re.search(rb'<xliff[^>]*version="2', head) is not None


def _icu_problems(source: str, text: str, language: str) -> list[str]:
    """An Angular ICU message's structure (Symfony's |-separated forms are the target's:
    `XliffTargetCatalog._pipe_forms`)."""
    if ICU_ARGUMENT.search(source):
        return structure_problems(source, text, language)
    return []


class _XliffTargetCatalog(BilingualTargetCatalog):
    """What XLIFF 1.2 and 2.0 targets write alike: a translation is the unit's <target>, laid
    out on its own line; an entry not translated has none, and a note says why."""

    def _translated_now(self, unit: Any) -> None:
        review_note(unit, None)
        review_note(unit, None, SOURCE_CHANGED)

    def _mark(self, unit: Any, key: str, old_source: str) -> None:
        """The unit shows the source as it is now, with a note of the one its translation
        was made from; the draft state is the version's own (`_draft_state`)."""
        self._source_now(unit, key)
        review_note(unit, SOURCE_CHANGED + old_source, SOURCE_CHANGED)
        self._draft_state(unit)

    def _draft_state(self, unit: Any) -> None:
        """Put the unit's translation in the state CAT tools list for review."""

    def _set_target(self, unit: Any, forms: list[str]) -> None:
        super()._set_target(unit, forms)
        lay_out_target(unit.xmlelement)

    def _untranslated(self, unit: Any, reason: str | None) -> None:
        note = f"{NOT_TRANSLATED}{reason}" if reason else None
        element = unit.xmlelement
        namespace = etree.QName(element).namespace
        for target in element.findall(f"{{{namespace}}}target" if namespace else "target"):
            previous = target.getprevious()
            if previous is not None:
                previous.tail = target.tail
            element.remove(target)
        if note is not None:
            review_note(unit, note)


class XliffTargetCatalog(_XliffTargetCatalog):
    _source: XliffCatalog

    def _redo(self, unit: Any) -> bool:
        state = xliff12_state(unit)
        if state is XliffState.UNTRANSLATED:
            return True
        return self.include_fuzzy and state is XliffState.DRAFT

    def _draft(self, unit: Any) -> bool:
        return xliff12_state(unit) is XliffState.DRAFT

    def _draft_state(self, unit: Any) -> None:
        """needs-review-translation (XLIFF 1.2: "only the text of the item needs to be
        reviewed"), no longer approved."""
        target = unit.xmlelement.find("{*}target")
        if target is not None:
            target.set("state", "needs-review-translation")
        unit.xmlelement.attrib.pop("approved", None)

    def forms(self, entry: Entry) -> list[Form]:
        if self._source.symfony and "|" in entry.source:
            return [Form("text", symfony_plurals.describe(entry.source, self.language))]
        return super().forms(entry)

    def _pipe_forms(self, entry: Entry) -> tuple[int, str] | None:
        """A Symfony message's |-separated forms follow Symfony's rule for the language."""
        if self._source.symfony and "|" in entry.source:
            return (symfony_plurals.form_count(entry.source, self.language),
                    f"Symfony's rule for {self.language}")
        return super()._pipe_forms(entry)

    def _set_target(self, unit: Any, forms: list[str]) -> None:
        approved = unit.xmlelement.get("approved")
        super()._set_target(unit, forms)
        if approved is None:
            # The toolkit marks what it sets approved="yes": a machine translation is not
            # approved until someone reviews it (state="translated" says what it is).
            unit.xmlelement.attrib.pop("approved", None)


class XliffCatalog(BilingualCatalog):
    """XLIFF 1.2: Symfony's validators.en.xlf, Angular's messages.xlf, Xcode's exports."""

    format_name = "XLIFF 1.2"
    store_type = _XliffFile
    rules = _RULES
    target_path = staticmethod(dotted_path)
    target_class = XliffTargetCatalog

    @classmethod
    def claims(cls, path: Path) -> bool:
        return _version_2(path) is not True  # unreadable: the reader says what is wrong

    def __init__(self, path: Path):
        super().__init__(path)
        #: XLIFF written for Symfony (not Angular's ng2.template): "one|many" strings are
        #: plural forms by Symfony's rule for the target language.
        self.symfony = b'original="ng2.template"' not in self.data[:4096]
        self.max_widths = {str(u.getid()): width for u in self.store.units
                           if (width := _max_chars(path, u.xmlelement)) is not None}

    def _entry(self, key: str, source: Any, shown: str, notes: list[str], *,
               strftime: bool) -> Entry:
        entry = super()._entry(key, source, shown, notes, strftime=strftime)
        width = self.max_widths.get(key)
        return entry if width is None else replace(entry, max_length=width)

    def _rules(self, source: str) -> Rules:
        rules = super()._rules(source)
        if self.symfony and "|" in source and not ICU_ARGUMENT.search(source):
            return replace(rules, pipes=True)
        return rules

    def text_problems(self, source: str, text: str, language: str) -> list[str]:
        return _icu_problems(source, text, language)


def _max_chars(path: Path, element: Any) -> int | None:
    """A trans-unit's `maxwidth` when its `size-unit` is "char" (None: no limit in
    characters; XLIFF's default unit is the pixel, which text cannot be measured in)."""
    width = element.get("maxwidth")
    if width is None or element.get("size-unit") != "char":
        return None
    if not width.strip().isdigit() or int(width) < 1:
        raise InputError(f"catalog {path}: trans-unit {element.get('id')!r} has "
                         f'maxwidth="{width}": give the most characters its target may have, '
                         "a whole number")
    return int(width)


class Xliff2TargetCatalog(_XliffTargetCatalog):
    def _set_target(self, unit: Any, forms: list[str]) -> None:
        super()._set_target(unit, forms)
        unit.marktranslated()  # the segment's state: translated, not reviewed or final

    def _draft_state(self, unit: Any) -> None:
        """XLIFF 2.0's segment states are initial, translated, reviewed and final: a target
        in `initial` is a draft (translate-toolkit and Weblate read it as fuzzy, --fuzzy
        redoes it); `translated` would say it is done."""
        unit.markfuzzy(True)

    def _remove(self, store: Any, unit: Any) -> None:
        """A segment's key is its unit's (one segment) or the unit's and its own: the whole
        <unit> goes when it has no other segment."""
        element = unit.getunitelement()
        if len(element.findall("{*}segment")) == 1:
            TranslationStore.removeunit(store, unit)
            remove_laid_out(element)
            return
        super()._remove(store, unit)

    def _untranslated(self, unit: Any, reason: str | None) -> None:
        super()._untranslated(unit, reason)
        unit.xmlelement.attrib.pop("state", None)

    def _written_whole(self, store: Any) -> bytes:
        """With the <xliff> start tag as the file had it, naming the target language."""
        written = same_declaration(self._data, bytes(store))
        return same_line_ends(self._data, xliff2_root(self._data, written, self.language))


class Xliff2Catalog(BilingualCatalog):
    """XLIFF 2.0 (Angular's messages.xlf with version="2.0")."""

    format_name = "XLIFF 2.0"
    store_type = _Xliff2File
    rules = _RULES
    target_path = staticmethod(dotted_path)
    target_class = Xliff2TargetCatalog

    @classmethod
    def claims(cls, path: Path) -> bool:
        return _version_2(path) is True

    def notes(self, unit: Any) -> str:
        """XLIFF 2.0 keeps its notes on the <unit> (the toolkit looks in the segment): its
        descriptions and meanings, not Angular's source locations."""
        element = unit.getunitelement()
        notes = [note.text for note in element.iterfind("{*}notes/{*}note")
                 if note.text and note.get("category") != "location"]
        return "\n".join([*notes, *_whole_unit(element)])

    def text_problems(self, source: str, text: str, language: str) -> list[str]:
        return _icu_problems(source, text, language)


def _whole_unit(element: Any) -> list[str]:
    """A unit split into several segments (sentences) is translated segment by segment, as
    the toolkit reads it; the model is shown the whole message so the sentences agree."""
    segments = element.findall("{*}segment")
    if len(segments) < 2:
        return []
    whole = "".join("".join(part.find("{*}source").itertext())
                    for part in element.iterchildren("{*}segment", "{*}ignorable"))
    return [f"One of {len(segments)} sentences of a message that reads in full: {whole}"]
