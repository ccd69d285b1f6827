"""Input rows from CSV, TSV, JSONL, JSON arrays and XLSX, each with a stable id.

CSV values stay exactly as written (strings: "00123" keeps its zeros); JSON keeps its types.
Every problem names the file and the row, and says what to do.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError, PreflightError
from .records import Row

INPUT_FORMATS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
                 ".json": "json", ".xlsx": "xlsx", ".xlsm": "xlsx"}
_SNIFF_BYTES = 64 * 1024
_SNIFF_DELIMITERS = ",;\t|"
_NO_DELIMITER = "\x1f"  # ASCII unit separator: never in text, so a one-column row stays whole


@dataclass(frozen=True)
class Table:
    """The rows of one input file, with the column names in input order."""

    path: Path
    columns: list[str]
    rows: list[Row]


def read_table(path: Path, *, id_column: str | None = None, limit: int | None = None) -> Table:
    """Read every row (or the first `limit`) and give each its id."""
    kind = INPUT_FORMATS.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(INPUT_FORMATS))
        raise InputError(f"input {path}: unknown file type '{path.suffix}'. Use one of: {known}.")
    if not path.exists():
        raise InputError(f"input {path} does not exist")
    if path.is_dir():
        raise InputError(f"input {path} is a directory, not a file")
    try:
        columns, records = _READERS[kind](path)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"input {path} is not UTF-8 text (byte {exc.start}): save it as UTF-8 and run again"
        ) from None
    except OSError as exc:
        raise InputError(f"input {path} cannot be read: {exc.strerror or exc}") from None
    if not records:
        raise InputError(f"input {path} has no data rows: nothing to do")
    if limit is not None:
        records = records[:limit]
    return Table(path, columns, _with_ids(path, columns, records, id_column))


def _with_ids(path: Path, columns: list[str], records: list[dict[str, Any]],
              id_column: str | None) -> list[Row]:
    if id_column is None:
        return [Row(str(n), n, fields) for n, fields in enumerate(records, start=1)]
    if id_column not in columns:
        raise InputError(
            f"input {path}: id column '{id_column}' not found. Columns: {', '.join(columns)}"
        )
    rows: list[Row] = []
    seen: dict[str, int] = {}
    problems: list[str] = []
    for n, fields in enumerate(records, start=1):
        value = fields.get(id_column)
        row_id = "" if value is None else str(value).strip()
        if not row_id:
            problems.append(f"row {n}: empty id in column '{id_column}'")
        elif row_id in seen:
            problems.append(f"row {n}: id '{row_id}' repeats row {seen[row_id]}")
        else:
            seen[row_id] = n
        rows.append(Row(row_id, n, fields))
    if problems:
        raise PreflightError(
            f"input {path}: the id column '{id_column}' must hold a unique value on every row:",
            problems,
        )
    return rows


def _check_header(path: Path, header: list[str]) -> list[str]:
    names = [h.strip() if isinstance(h, str) else ("" if h is None else str(h)) for h in header]
    if not any(names):
        raise InputError(f"input {path}: the first row must name the columns, and it is empty")
    blanks = [str(i + 1) for i, n in enumerate(names) if not n]
    if blanks:
        raise InputError(f"input {path}: column(s) {', '.join(blanks)} have no name in the header")
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError(f"input {path}: duplicate column name(s): {', '.join(dupes)}")
    return names


def _read_delimited(path: Path, delimiter: str | None) -> tuple[list[str], list[dict[str, Any]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        sample = fh.read(_SNIFF_BYTES)
        if not sample.strip():
            raise InputError(f"input {path} is empty: nothing to do")
        fh.seek(0)
        if delimiter is None:
            delimiter = _sniff_delimiter(sample)
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            columns = _check_header(path, next(reader))
            records: list[dict[str, Any]] = []
            for values in reader:
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue
                n = len(records) + 1
                if len(values) > len(columns):
                    raise InputError(
                        f"input {path}: row {n} has {len(values)} fields but the header has "
                        f"{len(columns)}: check its quoting or delimiter '{delimiter}'"
                    )
                values += [""] * (len(columns) - len(values))
                records.append(dict(zip(columns, values, strict=True)))
        except csv.Error as exc:
            raise InputError(f"input {path}: line {reader.line_num}: {exc}") from None
    return columns, records


def _sniff_delimiter(sample: str) -> str:
    """The delimiter, judged by the header line: only a character found there can be one."""
    header = sample.splitlines()[0] if sample else ""
    candidates = "".join(d for d in _SNIFF_DELIMITERS if d in header)
    if not candidates:
        return _NO_DELIMITER  # a one-column file: commas in its values are text
    if len(candidates) == 1:
        return candidates
    try:
        return csv.Sniffer().sniff(sample, delimiters=candidates).delimiter
    except csv.Error:
        return max(candidates, key=header.count)


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    return _read_delimited(path, None)


def _read_tsv(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    return _read_delimited(path, "\t")


def _object_rows(path: Path, items: list[tuple[int, Any]], unit: str
                 ) -> tuple[list[str], list[dict[str, Any]]]:
    columns: dict[str, None] = {}
    records: list[dict[str, Any]] = []
    for where, item in items:
        if not isinstance(item, dict):
            raise InputError(
                f"input {path}: {unit} {where} is a {type(item).__name__}, not an object: "
                "each row must be a JSON object of column -> value"
            )
        columns.update(dict.fromkeys(str(k) for k in item))
        records.append({str(k): v for k, v in item.items()})
    return list(columns), records


def _read_jsonl(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    items: list[tuple[int, Any]] = []
    with path.open(encoding="utf-8-sig") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                items.append((line_no, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise InputError(f"input {path}: line {line_no} is not valid JSON: {exc.msg}"
                                 ) from None
    return _object_rows(path, items, "line")


def _read_json(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise InputError(f"input {path}: not valid JSON at line {exc.lineno}: {exc.msg}") from None
    if not isinstance(data, list):
        raise InputError(f"input {path}: expected a JSON array of row objects, "
                         f"found a {type(data).__name__}")
    return _object_rows(path, list(enumerate(data, start=1)), "item")


def _read_xlsx(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/ValueError for damaged files
        raise InputError(f"input {path} is not a readable .xlsx workbook: {exc}") from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise InputError(f"input {path}: the first sheet is empty: nothing to do")
        while header and header[-1] is None:
            header = header[:-1]
        columns = _check_header(path, list(header))
        records: list[dict[str, Any]] = []
        for values in rows:
            if values is None or all(v is None or v == "" for v in values):
                continue
            cells = ["" if v is None else v for v in values[: len(columns)]]
            cells += [""] * (len(columns) - len(cells))
            records.append(dict(zip(columns, cells, strict=True)))
        return columns, records
    finally:
        book.close()


_READERS = {"csv": _read_csv, "tsv": _read_tsv, "jsonl": _read_jsonl, "json": _read_json,
            "xlsx": _read_xlsx}
