""".NET .resx resources (Strings.resx -> Strings.fr.resx), read by translate-toolkit and written
by splicing the changed <data> elements into the original text (the toolkit adds xml:space to
every <data> and turns every line end into CRLF)."""

from __future__ import annotations

from typing import Any

from translate.storage.resx import RESXFile

from .app_paths import dotted_path
from .placeholders import Rules
from .splice import element_splice, original_elements
from .toolkit import ToolkitCatalog, ToolkitTargetCatalog


class _ResxFile(RESXFile):
    """.resx read by the toolkit; written by splicing changed <data> elements."""

    XMLindent: dict[str, Any] = {}  # noqa: RUF012 (the toolkit's class attribute)


class ResxTargetCatalog(ToolkitTargetCatalog):
    #: A new satellite file holds only the strings translated: a typed value (an image, a
    #: Point) stays in the neutral resources.
    new_file_keeps_untranslatable = False

    def _set_target(self, unit: Any, forms: list[str]) -> None:
        value = unit.xmlelement.find("value") if isinstance(unit, RESXFile.UnitClass) else None
        value_tail = value.tail if value is not None else None
        super()._set_target(unit, forms)
        if value is not None:  # the toolkit clears the line break before a <comment>
            unit.xmlelement.find("value").tail = value_tail

    def _originals(self, units: dict[str, Any]) -> dict[str, Any]:
        return original_elements(units)

    def _write_back(self, store: Any, units: dict[str, Any], before: dict[str, list[str]],
                    original: dict[str, Any]) -> bytes:
        text = element_splice(self._data, "data", units, original)
        if text is not None:
            return text.encode("utf-8")
        return super()._write_back(store, units, before, original)


class ResxCatalog(ToolkitCatalog):
    """A .resx file's string resources."""

    format_name = ".NET .resx"
    store_type = _ResxFile
    rules = Rules(brace=True)
    target_path = staticmethod(dotted_path)
    target_class = ResxTargetCatalog

    def is_text(self, unit: Any) -> bool:
        """A string resource: not a typed value (a file reference, an image, a Windows Forms
        Point: `type` or `mimetype`), nor a Windows Forms designer property (`>>button1.Name`,
        `$this.Icon`), which .NET reads as code, not text."""
        element = unit.xmlelement
        return (element.get("type") is None and element.get("mimetype") is None
                and not (element.get("name") or "").startswith((">>", "$this.")))
