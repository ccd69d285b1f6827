"""What the bilingual toolkit formats (XLIFF 1.2 and 2.0, Qt Linguist) share: the source and
its translation in one unit, so an entry not translated stays in the file without one, and a
unit may hold an ICU message, inline markup or |-separated forms."""

from __future__ import annotations

import copy
from abc import abstractmethod
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Any

from lxml import etree

from .base import Entry
from .lock import source_text
from .placeholders import ICU_ARGUMENT, Rules, uses_printf
from .toolkit import ToolkitCatalog, ToolkitTargetCatalog, unit_texts
from .xliff_markup import inline_element, markup_problems


class BilingualCatalog(ToolkitCatalog):
    """A source catalog whose units hold their targets."""

    bilingual = True

    def __init__(self, path: Path):
        super().__init__(path)
        self.markup = {str(u.getid()) for u in self.store.units
                       if inline_element(u) is not None}

    def icu_message(self, source: str) -> bool:
        """An ICU message (Angular's {VAR_PLURAL, plural, =0 {...} ...}) is judged by its
        structure: its case bodies are not {name} placeholders."""
        return ICU_ARGUMENT.search(source) is not None

    def _rules(self, source: str) -> Rules:
        """An ICU message keeps its tags only (its structure is checked as a whole); a unit
        holding printf directives (an Xcode export's `%@`, `%lld`) keeps them, in order."""
        if ICU_ARGUMENT.search(source):
            return Rules(tags=self.rules.tags)
        rules = self.rules
        if not rules.printf and uses_printf(str(source)):
            rules = replace(rules, printf=True)
        return rules


class BilingualTargetCatalog(ToolkitTargetCatalog):
    """A target whose entries left untranslated stay in the file, without a translation and
    saying why."""

    _source: BilingualCatalog

    def recorded_source(self, entry: Entry) -> str | None:
        """The <source> the target file's translation sits beside: the source it was made
        from, when nothing has changed it since."""
        unit = self._units.get(entry.key) if self.exists else None
        if unit is None:
            return None
        return source_text(self._source.unit_entry(unit, markup=inline_element(unit)
                                                    is not None))

    def mark_stale(self, entry: Entry, old_source: str) -> bool:
        """Kept for review: the unit takes the source as it is now, its translation a draft
        state, and a note with the source it was made from (`_mark`)."""
        if not self.exists or entry.key not in self._units:
            return False
        self._marked[entry.key] = old_source
        return True

    @cached_property
    def _source_units(self) -> dict[str, Any]:
        return {str(u.getid()): u for u in self._source.store.units}

    def _source_now(self, unit: Any, key: str) -> None:
        """A unit translated or marked for review now carries its <source> as the source file
        has it (the translation beside it is of that text); units left alone keep theirs."""
        own = unit.xmlelement.find("{*}source")
        source_unit = self._source_units.get(key)
        now = source_unit.xmlelement.find("{*}source") if source_unit is not None else None
        if own is None or now is None or (etree.tostring(own, with_tail=False)
                                          == etree.tostring(now, with_tail=False)):
            return
        fresh = copy.deepcopy(now)
        fresh.tail = own.tail
        unit.xmlelement.replace(own, fresh)

    def _translated_before(self, key: str) -> bool:
        """Whether the file held a translation of the entry before this run (not a
        placeholder, not a draft being redone)."""
        unit = self._units.get(key) if self.exists else None
        return unit is not None and any(unit_texts(unit, True)) and not self._redo(unit)

    def _pipe_forms(self, entry: Entry) -> tuple[int, str] | None:
        """How many |-separated forms the translation has, and by what rule (None: no | in
        the source): a | is text, kept as many times as the source has it."""
        if "|" not in entry.source:
            return None
        return entry.source.count("|") + 1, "as the source has"

    def extra_problems(self, entry: Entry, forms: list[str]) -> list[str]:
        found: list[str] = []
        if (pipes := self._pipe_forms(entry)) is not None:
            want, rule = pipes
            got = forms[0].count("|") + 1
            if got != want:
                found.append(f"the translation must have {want} |-separated form(s), "
                             f"{rule} (it has {got})")
        if entry.key in self._source.markup:
            found += markup_problems(entry.source, forms[0])
        return list(dict.fromkeys([*found, *super().extra_problems(entry, forms)]))

    def _not_translated(self, store: Any, units: dict[str, Any], left_out: set[str],
                        written: dict[str, Any]) -> None:
        for key in self._refused:  # kept, without a target, saying why
            if key in units and not self._translated_before(key):
                # (a translation it had stays: its source changed, and trying again failed)
                self._untranslated(units[key], self._reasons.get(key, ""))
        if not self.exists:  # the source's own targets (en -> en) are not French
            for key, unit in units.items():
                if key not in self._done and key not in self._refused:
                    self._untranslated(unit, None)

    @abstractmethod
    def _untranslated(self, unit: Any, reason: str | None) -> None:
        """The unit without a translation (the app shows the source), with why, when we
        tried, in one note: a rerun that leaves it for the same reason leaves it as it was."""
