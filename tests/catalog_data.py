"""Real catalogs of the app formats (tests/data/formats/*/SOURCE.txt) and what a translate
run asked for."""

from __future__ import annotations

import shutil
from pathlib import Path

from fake_translator import entries

FORMATS = Path(__file__).parent / "data/formats"


def copy_tree(relative: str, to: Path) -> Path:
    """Copy a data folder (or file) under `to`, keeping its path; return the copy."""
    source = FORMATS / relative
    target = to / relative
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return target


def asked(fake) -> list[dict]:
    """Every catalog entry the fake server was asked to translate, in order."""
    return [e for request in fake.requests for e in entries(request)]
