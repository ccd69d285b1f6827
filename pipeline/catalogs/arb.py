"""Flutter ARB files (lib/l10n/app_en.arb): ICU messages in JSON, with "@key" metadata (a
description, what each placeholder holds) and "@@locale", read and written by
translate-toolkit."""

from __future__ import annotations

import re
from typing import Any

from translate.storage.jsonl10n import ARBJsonFile

from .app_paths import arb_path
from .icu import structure_problems
from .toolkit import ToolkitCatalog, ToolkitTargetCatalog


class _ArbUnit(ARBJsonFile.UnitClass):  # type: ignore[misc, valid-type]
    """An ARB message that keeps an empty "@key": {} it had (the toolkit drops it)."""

    had_metadata = False

    def storevalues(self, output: dict[str, Any]) -> None:
        super().storevalues(output)
        if self.had_metadata and not self.metadata and not self.isheader():
            self.storevalue(output, {}, override_key=f"@{self.getid()}")


class _ArbFile(ARBJsonFile):
    UnitClass = _ArbUnit

    def _extract_units(self, data: Any, *args: Any, **kwargs: Any) -> Any:
        for unit in super()._extract_units(data, *args, **kwargs):
            unit.had_metadata = isinstance(data, dict) and f"@{unit.getid()}" in data
            yield unit


class ArbTargetCatalog(ToolkitTargetCatalog):
    def _finish(self, store: Any) -> None:
        """An ARB file names its language in "@@locale" (Flutter's gen-l10n checks it against
        the file name); the toolkit writes JSON with the file's own indentation."""
        for unit in store.units:
            if unit.isheader() and "@@locale" in unit.metadata:
                unit.metadata["@@locale"] = self.language.replace("-", "_")
        indent = re.search(rb"\n([ \t]+)\S", self._data)
        if indent is not None:
            store.dump_args["indent"] = indent.group(1).decode()


class ArbCatalog(ToolkitCatalog):
    """An ARB file: every message is an ICU message ({name} arguments and plural/select
    blocks are judged by their structure)."""

    format_name = "Flutter ARB"
    store_type = _ArbFile
    target_path = staticmethod(arb_path)
    target_class = ArbTargetCatalog

    def icu_message(self, source: str) -> bool:
        return True

    def text_problems(self, source: str, text: str, language: str) -> list[str]:
        return structure_problems(source, text, language)

    def notes(self, unit: Any) -> str:
        """A message's description, and what its placeholders hold (type, example,
        description)."""
        notes = super().notes(unit)
        placeholders = unit.metadata.get("placeholders") or {}
        for name, about in placeholders.items() if isinstance(placeholders, dict) else ():
            about = about if isinstance(about, dict) else {}
            said = ", ".join(str(about[k]) for k in ("type", "description") if about.get(k))
            if about.get("example"):
                said += f"{', ' if said else ''}e.g. {about['example']}"
            notes += f"\n{{{name}}}: {said}" if said else ""
        return notes
