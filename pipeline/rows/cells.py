"""Cells a spreadsheet opens safely: text it would run as a formula is neutralised.

Reviewers open CSV and XLSX outputs in spreadsheets, and a model's reply or an input cell that
starts with `= + - @`, a tab or a carriage return would be evaluated there (formula injection).
"""

from __future__ import annotations

from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def spreadsheet_safe(value: Any) -> Any:
    """Neutralise text a spreadsheet would evaluate as a formula; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _is_number(value):
        return "'" + value
    return value
