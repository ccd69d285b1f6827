"""Outputs: every input column in input order, then the result columns, in one of five formats.

Files are written to a temporary name beside the target and renamed into place, so a reader
(or a crash) never sees half a file. CSV and XLSX cells that a spreadsheet would run as a
formula (`= + - @`, tab, CR) are prefixed with a quote, as reviewers open them in spreadsheets.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from .records import Result, Row

RESULT_FIELDS = ("output", "prompt_tokens", "completion_tokens", "cached_tokens", "cost_usd",
                 "model", "finish_reason", "latency_ms", "attempts", "status", "error", "cached")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def result_columns(prefix: str = "") -> list[str]:
    return [prefix + name for name in RESULT_FIELDS]


def result_values(result: Result | None, *, cached: bool = False,
                  not_sent: str = "not sent") -> list[Any]:
    """The result columns' values for one row (None: the row was never answered)."""
    if result is None:
        return [None] * 9 + ["skipped", not_sent, False]
    return [result.output, result.usage.prompt_tokens, result.usage.completion_tokens,
            result.usage.cached_tokens, result.cost_usd, result.model, result.finish_reason,
            result.latency_ms, result.attempts, result.status, result.error, cached]


#: (row, its answer or None, whether the answer was reused rather than paid for by this row)
Answered = tuple[Row, Result | None, bool]


def records(answered: Iterable[Answered], columns: list[str], prefix: str = "",
            *, stopped: str | None = None) -> Iterator[dict[str, Any]]:
    """One dict per input row, input columns first, then the result columns."""
    extra = result_columns(prefix)
    not_sent = f"not sent: the run stopped ({stopped})" if stopped else "not sent"
    for row, result, cached in answered:
        record = {c: row.fields.get(c, "") for c in columns}
        record.update(zip(extra, result_values(result, cached=cached, not_sent=not_sent),
                          strict=True))
        yield record


def write_output(path: Path, fmt: str, *, columns: list[str], answered: Iterable[Answered],
                 prefix: str = "", stopped: str | None = None) -> None:
    """Write the output atomically in `fmt` (csv, jsonl, json, xlsx or parquet). Rows stream
    through for csv/jsonl/json; xlsx and parquet are built in memory."""
    all_columns = [*columns, *result_columns(prefix)]
    stream = records(answered, columns, prefix, stopped=stopped)
    writer = _WRITERS[fmt]
    _atomic_write(path, lambda target: writer(target, all_columns, stream))


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


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


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _write_csv(path: Path, columns: list[str], rows: Iterator[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([spreadsheet_safe(c) for c in columns])
        for row in rows:
            writer.writerow([spreadsheet_safe(_text(row[c])) for c in columns])


def _dump_json(fh: IO[str], obj: Any) -> None:
    json.dump(obj, fh, ensure_ascii=False, default=str)


def _write_jsonl(path: Path, columns: list[str], rows: Iterator[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            _dump_json(fh, {c: _json_value(row[c]) for c in columns})
            fh.write("\n")


def _write_json(path: Path, columns: list[str], rows: Iterator[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("[")
        for i, row in enumerate(rows):
            fh.write(",\n" if i else "\n")
            _dump_json(fh, {c: _json_value(row[c]) for c in columns})
        fh.write("\n]\n")


def _frame(columns: list[str], rows: Iterator[dict[str, Any]], *, safe: bool) -> Any:
    import pandas as pd

    convert = spreadsheet_safe if safe else (lambda v: v)
    data = [{c: convert(_json_value(row[c])) for c in columns} for row in rows]
    return pd.DataFrame(data, columns=columns)


def _write_xlsx(path: Path, columns: list[str], rows: Iterator[dict[str, Any]]) -> None:
    frame = _frame(columns, rows, safe=True)
    frame.to_excel(path, index=False, engine="openpyxl")


def _write_parquet(path: Path, columns: list[str], rows: Iterator[dict[str, Any]]) -> None:
    import pyarrow as pa

    frame = _frame(columns, rows, safe=False)
    try:
        frame.to_parquet(path, index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        # A column mixing types (numbers and text in one JSON field) is stored as text.
        mixed = [c for c in frame.columns if frame[c].dtype == object]
        frame[mixed] = frame[mixed].map(lambda v: None if v is None else _text(v))
        frame.to_parquet(path, index=False)


_WRITERS: dict[str, Callable[[Path, list[str], Iterator[dict[str, Any]]], None]] = {
    "csv": _write_csv, "jsonl": _write_jsonl, "json": _write_json, "xlsx": _write_xlsx,
    "parquet": _write_parquet,
}
