"""Rails locale files (config/locales/en.yml), read by translate-toolkit and written as the
source's text with only the translated values edited (yaml_splice.py): numbers, booleans,
symbols and Rails' own settings stay as they are, date formats are strftime patterns, and a
list (day names) is written whole or not at all."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from translate.storage import yaml as toolkit_yaml
from translate.storage.base import TranslationStore

from ..errors import ConfigError
from ..languages import cldr_categories
from .app_paths import yaml_path
from .placeholders import Rules
from .toolkit import ToolkitCatalog, ToolkitTargetCatalog
from .yaml_splice import splice_yaml

_RUBY_SYMBOL = re.compile(r"^:[A-Za-z_]\w*[?!]?$")


def _yaml_value(unit: Any) -> Any:
    """A unit's value as YAML typed it, from the document the toolkit loaded (with its own
    `_get_original_value`, from under the language's key)."""
    document = getattr(unit._store, "_original", None)
    if isinstance(document, dict) and len(document) == 1:
        document = next(iter(document.values()))  # under the language's key (en:)
    return unit._get_original_value(document) if document is not None else None


class _RailsYAMLFile(toolkit_yaml.RubyYAMLFile):
    """The toolkit reads numbers and booleans as text ("3", "False") and writes them back
    quoted, which Rails then reads as strings ("False" is true in Ruby): they are given back
    their own values, so a file is written with `precision: 3`, `significant: false`."""

    def parse(self, input: Any) -> None:
        super().parse(input)
        for unit in self.units:
            value = _yaml_value(unit)
            if isinstance(value, bool | int | float):
                unit.target = value

    def get_plural_tags(self, target: Any = None) -> list[str]:
        """A plural's keys are the language's CLDR categories, as rails-i18n pluralizes them
        (Polish and Russian: one, few, many, other), read and written by key. The toolkit's
        own table leaves out `other` for Polish and Russian (gettext's count of forms), so it
        read a file with four keys back as three forms and wrote three."""
        try:
            return cldr_categories(self.gettargetlanguage() or "en")
        except ConfigError:  # not a language Babel knows: the toolkit's table
            return super().get_plural_tags(target)


class RailsYamlTargetCatalog(ToolkitTargetCatalog):
    _source: RailsYamlCatalog

    def _not_translated(self, store: Any, units: dict[str, Any], left_out: set[str],
                        written: dict[str, Any]) -> None:
        super()._not_translated(store, units, left_out, written)
        if not self.exists:
            _drop_lists(store, units, self._source.list_items, left_out)

    def _finish(self, store: Any) -> None:
        """A Rails locale file's one top-level key is its language (en: -> fr:)."""
        document = getattr(store, "_original", None)
        if document is None or len(document) != 1:
            return
        old = next(iter(document))
        if old != self.language:
            document.insert(0, self.language, document.pop(old))

    def _write_back(self, store: Any, units: dict[str, Any], before: dict[str, list[str]],
                    original: dict[str, Any]) -> bytes:
        spliced = splice_yaml(self._data, bytes(store))  # the source's text, what changed edited
        if spliced is not None:
            return spliced
        return super()._write_back(store, units, before, original)


class RailsYamlCatalog(ToolkitCatalog):
    """A Rails locale file: its one top-level key is its language."""

    format_name = "Rails YAML"
    store_type = _RailsYAMLFile
    rules = Rules(ruby=True)
    target_path = staticmethod(yaml_path)
    target_class = RailsYamlTargetCatalog

    def __init__(self, path: Path):
        super().__init__(path)
        #: List items (`date->day_names->0`) and the list each is in: a list is written
        #: whole (Rails indexes into it: a day name missing shifts the week).
        self.list_items: dict[str, str] = {
            str(u.getid()): str(u.getid()).rsplit("->", 1)[0] for u in self.store.units
            if u.get_unitid().parts and u.get_unitid().parts[-1][0] == "index"}

    def group_of(self, key: str) -> str | None:
        return self.list_items.get(key)

    def is_text(self, unit: Any) -> bool:
        """A Rails value that is text: not a number or a boolean (`precision: 3`,
        `significant: false`), a Ruby symbol (`:year`), nor one of the settings Rails' own
        locale files hold as words: `date.order` (year, month, day: read as symbols by
        date_select) and `round_mode` (a BigDecimal mode)."""
        value = _yaml_value(unit)
        if isinstance(value, bool | int | float):
            return False
        keys = [key for _kind, key in unit.get_unitid().parts]
        names = [k for k in keys if isinstance(k, str)]
        if names[-2:] == ["date", "order"] or names[-1:] == ["round_mode"]:
            return False
        return not (isinstance(value, str) and _RUBY_SYMBOL.match(value))

    def is_strftime(self, unit: Any) -> bool:
        """Rails' `I18n.l` formats a date with `date.formats.<name>` and a time with
        `time.formats.<name>`: strftime patterns ("%m/%d/%Y"), whose directives a translation
        must keep (it may reorder them)."""
        names = [key for _kind, key in unit.get_unitid().parts]
        return (len(names) >= 3 and names[-2] == "formats"
                and names[-3] in ("date", "time", "datetime"))


def _drop_lists(store: Any, units: dict[str, Any], list_items: dict[str, str],
                lists: set[str]) -> None:
    """A new Rails file without the lists that have an item left for review (Rails falls back
    to the source language's list): removing the item alone would shift the ones after it."""
    for key, unit in list(units.items()):
        if list_items.get(key) not in lists:
            continue
        parts = unit.get_unitid().parts
        parent = store.preprocess(store._original)
        try:
            for _kind, name in parts[:-2]:
                parent = parent[name]
            if parts[-2][0] == "key":
                parent.pop(parts[-2][1], None)
        except (KeyError, IndexError, TypeError):
            pass  # already gone with an earlier item
        TranslationStore.removeunit(store, unit)  # the unit only: its list is gone
        del units[key]
