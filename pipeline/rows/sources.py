"""Input rows from CSV, TSV, JSONL, JSON arrays and XLSX, streamed, each with a stable id.

A `Source` can be iterated any number of times and reads the file afresh each time, so a
200,000-row input is never held in memory: pre-flight reads it once, the run once more.
(JSON arrays are the exception: they are parsed whole; use JSONL for large inputs.)
CSV values stay exactly as written (strings: "00123" keeps its zeros); JSON keeps its types.
Every problem names the file and the row, and says what to do.
"""

from __future__ import annotations

import csv
import json
import random
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, PreflightError
from ..records import Row

if TYPE_CHECKING:
    from .redact import Redactor

INPUT_FORMATS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
                 ".json": "json", ".xlsx": "xlsx", ".xlsm": "xlsx"}
_SNIFF_BYTES = 64 * 1024
_SNIFF_DELIMITERS = ",;\t|"
_NO_DELIMITER = "\x1f"  # ASCII unit separator: never in text, so a one-column row stays whole

Records = Callable[[], Iterator[dict[str, Any]]]


class Source:
    """The rows of one input file, re-read on every iteration, in input order."""

    def __init__(self, path: Path, columns: list[str], records: Records, *,
                 id_column: str | None = None, limit: int | None = None):
        if id_column is not None and id_column not in columns:
            raise InputError(
                f"input {path}: id column '{id_column}' not found. Columns: {', '.join(columns)}")
        self.path = path
        self.columns = columns
        self.id_column = id_column
        self.limit = limit
        self._records = records
        #: Only these row numbers (a random sample), or only rows with these ids (--rows).
        self.numbers: frozenset[int] | None = None
        self.ids: frozenset[str] | None = None
        #: With `redact`: each row's prompt fields, personal values replaced (redact.py).
        self.redactor: Redactor | None = None

    def sample(self, size: int, seed: int) -> None:
        """Keep `size` rows drawn at random, the same ones for the same seed and input."""
        total = sum(1 for _ in self._numbered())
        draw = random.Random(seed).sample(range(1, total + 1), min(size, total))
        self.numbers = frozenset(draw)

    def only(self, ids: list[str]) -> None:
        """Keep the rows with these ids (each must exist: checked by the plan)."""
        self.ids = frozenset(ids)

    def _numbered(self) -> Iterator[tuple[int, dict[str, Any]]]:
        for number, fields in enumerate(self._records(), start=1):
            if self.limit is not None and number > self.limit:
                return
            yield number, fields

    def __iter__(self) -> Iterator[Row]:
        try:
            for number, fields in self._numbered():
                if self.numbers is not None and number not in self.numbers:
                    continue
                row_id = self._row_id(fields, number)
                if self.ids is not None and row_id not in self.ids:
                    continue
                yield Row(row_id, number, fields, None if self.redactor is None
                          else self.redactor.redact(fields))
        except UnicodeDecodeError as exc:
            raise InputError(f"input {self.path} is not UTF-8 text (byte {exc.start}): save it "
                             "as UTF-8 and run again") from None
        except OSError as exc:
            raise InputError(f"input {self.path} cannot be read: {exc.strerror or exc}") from None

    def _row_id(self, fields: dict[str, Any], number: int) -> str:
        if self.id_column is None:
            return str(number)
        value = fields.get(self.id_column)
        return "" if value is None else str(value).strip()


class IdCheck:
    """Rows whose id is empty or repeats an earlier row's (ids must be unique). The ids seen
    are kept in a private temporary SQLite file, not a set: a million-row input is checked in
    a few MB (about 4 µs a row)."""

    def __init__(self, id_column: str | None):
        self.id_column = id_column
        self._seen: sqlite3.Connection | None = None

    def problem(self, row: Row) -> str | None:
        if self.id_column is None:
            return None
        if not row.id:
            return f"row {row.number}: empty id in column '{self.id_column}'"
        if self._seen is None:
            # "": a database of its own on disk, removed when closed; never committed.
            self._seen = sqlite3.connect("", isolation_level=None)
            self._seen.execute("CREATE TABLE seen (id TEXT PRIMARY KEY, number INTEGER) "
                               "WITHOUT ROWID")
            self._seen.execute("BEGIN")
        if self._seen.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)",
                              (row.id, row.number)).rowcount:
            return None
        (first,) = self._seen.execute("SELECT number FROM seen WHERE id = ?",
                                      (row.id,)).fetchone()
        return f"row {row.number}: id '{row.id}' repeats row {first}"


def open_source(path: Path, *, id_column: str | None = None,
                limit: int | None = None) -> Source:
    """Open an input file: check it exists, read its header, and stream its rows on demand."""
    kind = INPUT_FORMATS.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(INPUT_FORMATS))
        raise InputError(f"input {path}: unknown file type '{path.suffix}'. Use one of: {known}.")
    if not path.exists():
        raise InputError(f"input {path} does not exist")
    if path.is_dir():
        raise InputError(f"input {path} is a directory, not a file")
    try:
        columns, records = _OPENERS[kind](path)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"input {path} is not UTF-8 text (byte {exc.start}): save it as UTF-8 and run again"
        ) from None
    except OSError as exc:
        raise InputError(f"input {path} cannot be read: {exc.strerror or exc}") from None
    return Source(path, columns, records, id_column=id_column, limit=limit)


@dataclass(frozen=True)
class Table:
    """A whole input in memory, for small files and for tests."""

    path: Path
    columns: list[str]
    rows: list[Row]


def read_table(path: Path, *, id_column: str | None = None, limit: int | None = None) -> Table:
    """Read every row (or the first `limit`), checking ids, into memory."""
    source = open_source(path, id_column=id_column, limit=limit)
    rows = list(source)
    if not rows:
        raise InputError(f"input {path} has no data rows: nothing to do")
    check = IdCheck(id_column)
    problems = [p for p in map(check.problem, rows) if p]
    if problems:
        raise PreflightError(
            f"input {path}: the id column '{id_column}' must hold a unique value on every row:",
            problems)
    return Table(path, source.columns, rows)


def _check_header(path: Path, header: list[Any]) -> list[str]:
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


# -- CSV and TSV ---------------------------------------------------------------------------------
def _open_delimited(path: Path, delimiter: str | None) -> tuple[list[str], Records]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        sample = fh.read(_SNIFF_BYTES)
        if not sample.strip():
            raise InputError(f"input {path} is empty: nothing to do")
        fh.seek(0)
        if delimiter is None:
            delimiter = _sniff_delimiter(sample)
        try:
            columns = _check_header(path, next(csv.reader(fh, delimiter=delimiter)))
        except csv.Error as exc:
            raise InputError(f"input {path}: line 1: {exc}") from None
    sep = delimiter

    def records() -> Iterator[dict[str, Any]]:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(_then_end_mark(fh), delimiter=sep)
            next(reader, None)
            width = len(columns)
            n = 0
            try:
                for values in reader:
                    if values and values[-1].endswith((_END_MARK, _END_MARK + "\n")):
                        if values == [_END_MARK]:
                            return
                        raise _unclosed_quote(path, values[-1], reader.line_num - 1, n + 1)
                    if not values or (len(values) == 1 and not values[0].strip()):
                        continue
                    n += 1
                    if len(values) > width:
                        raise InputError(
                            f"input {path}: row {n} has {len(values)} fields but the header has "
                            f"{width}: check its quoting or delimiter '{sep}'")
                    if len(values) < width:
                        values += [""] * (width - len(values))
                    yield dict(zip(columns, values, strict=True))
            except csv.Error as exc:
                raise InputError(f"input {path}: line {reader.line_num}: {exc}") from None

    return columns, records


#: A line fed to the reader after the file's last: read as a row of its own when every quote
#: closed, swallowed into the last field when one never did (a file cut off mid-row).
_END_MARK = "\ue000end of file\ue000"


def _then_end_mark(lines: Iterable[str]) -> Iterator[str]:
    yield from lines
    yield _END_MARK + "\n"


def _unclosed_quote(path: Path, field: str, last_line: int, row: int) -> InputError:
    """A quoted field that never closes: the file was cut off (an export stopped mid-row).
    Read as it is, it would be one row holding the rest of the file."""
    text = field[: -len(_END_MARK) - 1]
    opened = last_line - text.count("\n") + (1 if text.endswith("\n") else 0)
    return InputError(
        f"input {path}: line {opened} (row {row}) opens a quoted field that never closes: the "
        "file looks cut off, or a quote is missing. Nothing was sent: fix or re-export the file "
        "and run again.")


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


def _open_csv(path: Path) -> tuple[list[str], Records]:
    return _open_delimited(path, None)


def _open_tsv(path: Path) -> tuple[list[str], Records]:
    return _open_delimited(path, "\t")


# -- JSON ----------------------------------------------------------------------------------------
def _as_record(path: Path, item: Any, unit: str, where: int) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise InputError(
            f"input {path}: {unit} {where} is a {type(item).__name__}, not an object: "
            "each row must be a JSON object of column -> value")
    return {str(k): v for k, v in item.items()}


def _jsonl_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"input {path}: line {line_no} is not valid JSON: {exc.msg}"
                                 ) from None
            yield line_no, _as_record(path, item, "line", line_no)


def _open_jsonl(path: Path) -> tuple[list[str], Records]:
    columns: dict[str, None] = {}
    for _, record in _jsonl_lines(path):  # one streaming pass for the union of keys
        columns.update(dict.fromkeys(record))
    return list(columns), lambda: (record for _, record in _jsonl_lines(path))


def _open_json(path: Path) -> tuple[list[str], Records]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise InputError(f"input {path}: not valid JSON at line {exc.lineno}: {exc.msg}") from None
    if not isinstance(data, list):
        raise InputError(f"input {path}: expected a JSON array of row objects, "
                         f"found a {type(data).__name__}")
    records = [_as_record(path, item, "item", i) for i, item in enumerate(data, start=1)]
    columns: dict[str, None] = {}
    for record in records:
        columns.update(dict.fromkeys(record))
    return list(columns), lambda: iter(records)


# -- XLSX ----------------------------------------------------------------------------------------
def _xlsx_rows(path: Path) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/ValueError for damaged files
        raise InputError(f"input {path} is not a readable .xlsx workbook: {exc}") from None
    try:
        yield from book.worksheets[0].iter_rows(values_only=True)
    finally:
        book.close()


def _open_xlsx(path: Path) -> tuple[list[str], Records]:
    rows = _xlsx_rows(path)
    header = next(rows, None)
    rows.close()
    if header is None:
        raise InputError(f"input {path}: the first sheet is empty: nothing to do")
    while header and header[-1] is None:
        header = header[:-1]
    columns = _check_header(path, list(header))
    width = len(columns)

    def records() -> Iterator[dict[str, Any]]:
        values_iter = _xlsx_rows(path)
        next(values_iter, None)
        for values in values_iter:
            if values is None or all(v is None or v == "" for v in values):
                continue
            cells = ["" if v is None else v for v in values[:width]]
            cells += [""] * (width - len(cells))
            yield dict(zip(columns, cells, strict=True))

    return columns, records


_OPENERS: dict[str, Callable[[Path], tuple[list[str], Records]]] = {
    "csv": _open_csv, "tsv": _open_tsv, "jsonl": _open_jsonl, "json": _open_json,
    "xlsx": _open_xlsx,
}
