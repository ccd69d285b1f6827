"""The catalog formats' classes by name, from the light table in formats.py: each class is
imported the first time its format is asked for, so reading a .po loads no XML library."""

from __future__ import annotations

from functools import cache
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError
from ..formats import CATALOG_FORMAT_ROWS, CATALOG_FORMATS

if TYPE_CHECKING:
    from .base import Catalog

_ROWS = {row.name: row for row in CATALOG_FORMAT_ROWS}


@cache
def catalog_class(name: str) -> type[Catalog]:
    """The `Catalog` class of the format `name` (its module imported now)."""
    row = _ROWS.get(name)
    if row is None:
        raise ConfigError(f"unknown catalog format '{name}': use one of "
                          f"{', '.join(CATALOG_FORMATS)}")
    module, _, class_name = row.class_path.partition(":")
    found: type[Catalog] = getattr(import_module(f".{module}", __package__), class_name)
    return found


def formats_for(path: Path) -> list[str]:
    """The formats a file's name ending says it may be in, in the table's order."""
    suffix = path.suffix.lower()
    return [row.name for row in CATALOG_FORMAT_ROWS if suffix in row.suffixes]


def claimed_by(path: Path) -> str | None:
    """The first format whose suffix the file has and whose class claims its content."""
    return next((name for name in formats_for(path) if catalog_class(name).claims(path)), None)
