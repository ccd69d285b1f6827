"""Android string resources (res/values/strings.xml): `<string>`, `<plurals>` and
`<string-array>`, read and written by translate-toolkit without re-indenting, each language in
its values-xx/ folder."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import etree
from translate.storage.aresource import AndroidResourceFile

from ..languages import cldr_categories
from .android_units import (
    ArrayItemUnit,
    ResourceUnit,
    add_array_items,
    array_length_problems,
    array_of,
    fill_array,
    resource_key,
)
from .app_paths import android_path
from .base import Entry
from .placeholders import Rules
from .toolkit import ToolkitCatalog, ToolkitTargetCatalog, unit_texts, xml_normal
from .xliff_markup import remove_laid_out


class _AndroidFile(AndroidResourceFile):
    """Android resources written back without re-indenting: lxml keeps every untouched node's
    whitespace, comments and attributes as they were. Product variants and `<string-array>`
    items are units of their own (android_units.py)."""

    XMLindent: dict[str, Any] = {}  # noqa: RUF012 (the toolkit's class attribute)
    UnitClass = ResourceUnit

    def parse(self, xml: Any) -> None:
        super().parse(xml)
        add_array_items(self)


class AndroidTargetCatalog(ToolkitTargetCatalog):
    #: A new values-xx file has no translatable="false" string: those belong to values/ only.
    new_file_keeps_untranslatable = False

    def __init__(self, source: AndroidCatalog, language: str, path: Path, *,
                 include_fuzzy: bool = False):
        super().__init__(source, language, path, include_fuzzy=include_fuzzy)
        self._scratch: dict[str, Any] | None = None

    def unwritable(self, entry: Entry) -> str | None:
        """A trial translation is set on a scratch copy and read back from the XML element
        the toolkit wrote, so a string whose markup the toolkit would rewrite is reported
        before it is paid for, not found broken after."""
        if self._scratch is None:
            scratch = self._source.parse(self._source.data, self._source.path)
            scratch.settargetlanguage(self.language)
            self._scratch = {str(u.getid()): u for u in scratch.units}
        unit = self._scratch.get(entry.key)
        if unit is None:
            return None
        count = len(self.forms(entry))
        trial = [f"x {entry.source_plural or entry.source}"] * count
        try:
            self._set_target(unit, trial)
            written = type(unit).createfromxmlElement(unit.xmlelement)
            written._store = unit._store  # its plural tags are the target language's
            back = unit_texts(written)
        except Exception as exc:  # the toolkit's own error for this string
            back = [f"{type(exc).__name__}: {exc}"]
        if [xml_normal(t) for t in back] != [xml_normal(t) for t in trial]:
            return ("translate-toolkit cannot write this string back as given (it uses XML "
                    "entities or markup it rewrites); translate it by hand")
        return None

    def _fill(self, store: Any, units: dict[str, Any], key: str, forms: list[str],
              written: dict[str, Any]) -> None:
        """A string-array's item is set in the array, copied whole from the source the first
        time one of its items is written."""
        array = array_of(key)
        if array is None:
            super()._fill(store, units, key, forms, written)
            return
        if array not in written:
            written[array] = fill_array(store, self._source.store, array)
        self._set_target(written[array][key], forms)

    def _not_translated(self, store: Any, units: dict[str, Any], left_out: set[str],
                        written: dict[str, Any]) -> None:
        super()._not_translated(store, units, left_out, written)
        if not self.exists:
            _drop_other_resources(store, keep=set(written))

    def _remove(self, store: Any, unit: Any) -> None:
        """A string-array's item the source no longer has (its array is shorter, or gone):
        the array goes when no item is left."""
        array = unit.xmlelement.getparent() if isinstance(unit, ArrayItemUnit) else None
        super()._remove(store, unit)
        if array is not None and array.find("item") is None:
            remove_laid_out(array)

    def _read_back_problems(self, data: bytes, left_out: set[str]) -> list[str]:
        """Read by lxml: each plural has the target's quantities, each array written its
        source's length."""
        problems = _plural_problems(data, cldr_categories(self.language), set(self._done))
        written = {str(array_of(key)) for key in self._done if array_of(key)} - left_out
        return problems + array_length_problems(data, self._source.store, written)


class AndroidCatalog(ToolkitCatalog):
    """A res/values*/strings.xml (an .xml whose root is <resources>)."""

    format_name = "Android strings.xml"
    store_type = _AndroidFile
    rules = Rules(printf=True)
    target_path = staticmethod(android_path)
    target_class = AndroidTargetCatalog
    group_written = "a string-array"

    @classmethod
    def claims(cls, path: Path) -> bool:
        try:
            head = path.read_bytes()[:4096]
        except OSError:
            return True  # the reader says what is wrong with the file
        return b"<resources" in head

    def group_of(self, key: str) -> str | None:
        """A string-array is written whole or not at all (the app indexes into it)."""
        return array_of(key)

    def meaning(self, text: str) -> str:
        """Android collapses the line breaks and indentation of a multi-line resource (a
        CDATA block laid out over several lines): the translator sees, and the target gets,
        the text on one line, not the source's layout."""
        if re.search(r"\n[ \t]", text):
            return re.sub(r"\s*\n\s*", " ", text).strip()
        return text


def _drop_other_resources(store: Any, keep: set[str]) -> None:
    """A new values-xx file holds strings, plurals and the string-arrays translated (`keep`):
    an untranslated array, a <dimen> or <color> copied there would hide every later change to
    it in values/."""
    root = store.document.getroot()
    for element in list(root):
        if isinstance(element.tag, str) and element.tag not in ("string", "plurals") and not (
                element.tag == "string-array" and element.get("name") in keep):
            previous = element.getprevious()
            if previous is not None:
                previous.tail = element.tail if previous.tail is None else previous.tail
            root.remove(element)


def _plural_problems(data: bytes, categories: list[str], done: set[str]) -> list[str]:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False))
    problems = []
    for plurals in root.iter("plurals"):
        if resource_key(plurals) not in done:
            continue
        quantities = [item.get("quantity") for item in plurals.iter("item")]
        if sorted(quantities) != sorted(categories):
            problems.append(f"<plurals name=\"{plurals.get('name')}\"> has quantities "
                            f"{', '.join(map(str, quantities))}, not {', '.join(categories)}")
    return problems
