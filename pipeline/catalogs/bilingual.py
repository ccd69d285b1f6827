"""What the bilingual toolkit formats (XLIFF 1.2 and 2.0, Qt Linguist) share: the source and
its translation in one unit, so an entry not translated stays in the file without one, and a
unit may hold an ICU message, inline markup or |-separated forms."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import replace
from pathlib import Path
from typing import Any

from .base import Entry
from .placeholders import ICU_ARGUMENT, Rules, uses_printf
from .toolkit import ToolkitCatalog, ToolkitTargetCatalog
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
            if key in units:
                self._untranslated(units[key], self._reasons.get(key, ""))
        if not self.exists:  # the source's own targets (en -> en) are not French
            for key, unit in units.items():
                if key not in self._done and key not in self._refused:
                    self._untranslated(unit, None)

    @abstractmethod
    def _untranslated(self, unit: Any, reason: str | None) -> None:
        """The unit without a translation (the app shows the source), with why, when we
        tried, in one note: a rerun that leaves it for the same reason leaves it as it was."""
