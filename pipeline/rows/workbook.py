"""The XLSX output, laid out for the person who reviews it.

Written in openpyxl's streaming (write-only) mode, so a large output is not held in memory
twice as a pandas frame and a workbook. Flagged rows get one fill and failed rows another (any
variant's status, in a wide layout); the review columns offer approve / redo / reject in a
drop-down; columns are as wide as the first rows' content, capped; the header row stays in
view; long text wraps. Cells arrive formula-safe (cells.spreadsheet_safe); characters XML
cannot hold (control characters a model may emit) are dropped rather than failing the write.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .cells import spreadsheet_safe

#: Row fills by status (RGB): failed rows red, flagged rows amber.
FILLS = {"failed": "F8CBAD", "flagged": "FFE699"}
#: Column widths in characters: at least MIN, at most MAX (wider text wraps).
MIN_WIDTH, MAX_WIDTH = 8, 60
#: Rows measured for the column widths (the rest stream through unmeasured).
SAMPLE_ROWS = 500
#: The review column's drop-down.
VERDICT_CHOICES = ("approve", "redo", "reject")
SHEET_TITLE = "Sheet1"


def write_xlsx(path: Path, columns: list[str], rows: Iterable[list[Any]], *,
               status: list[str], review: list[str]) -> None:
    """Write one sheet: a header, then `rows` (cell values in `columns` order). `status`
    names the columns whose `failed` / `flagged` colours a row; `review` the verdict columns."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    stream = (list(map(_xml_safe, values)) for values in rows)
    sample = list(itertools.islice(stream, SAMPLE_ROWS))
    header = [spreadsheet_safe(_xml_safe(name)) for name in columns]
    wrap: set[int] = set()
    for i, name in enumerate(header):
        longest = max((_longest_line(values[i]) for values in sample), default=0)
        width = max(MIN_WIDTH, len(str(name)) + 2, longest + 2)
        if width > MAX_WIDTH or any(_multiline(values[i]) for values in sample):
            wrap.add(i)
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(width, MAX_WIDTH)
    sheet.freeze_panes = "A2"  # before the first row: the streaming sheet writes it first

    bold = Font(bold=True)
    sheet.append([_styled(WriteOnlyCell(sheet, name), font=bold) for name in header])
    fills = {status_: PatternFill("solid", fgColor=rgb) for status_, rgb in FILLS.items()}
    wrapped = Alignment(wrap_text=True, vertical="top")
    at = [columns.index(name) for name in status if name in columns]
    last = 1
    for values in itertools.chain(sample, stream):
        last += 1
        states = {values[i] for i in at}
        fill = next((fills[s] for s in FILLS if s in states), None)
        if fill is None and not wrap:
            sheet.append(values)
            continue
        sheet.append([
            _styled(WriteOnlyCell(sheet, value), fill=fill,
                    alignment=wrapped if i in wrap else None)
            if fill is not None or i in wrap else value
            for i, value in enumerate(values)])
    if review and last > 1:
        sheet.data_validations.append(_verdict_list(
            [f"{letter}2:{letter}{last}" for letter in
             (get_column_letter(columns.index(name) + 1) for name in review)]))
    book.save(path)


def _verdict_list(ranges: list[str]) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    choices = ",".join(VERDICT_CHOICES)
    validation = DataValidation(
        type="list", formula1=f'"{choices}"', allow_blank=True, showErrorMessage=True,
        showInputMessage=True, errorTitle="review",
        error="approve, redo or reject; or leave it empty (no verdict)",
        promptTitle="review",
        prompt="approve: keep as is; redo: ask again with your note; reject: leave out")
    for cells in ranges:
        validation.add(cells)
    return validation


def _styled(cell: Any, *, font: Any = None, fill: Any = None, alignment: Any = None) -> Any:
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _xml_safe(value: Any) -> Any:
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _longest_line(value: Any) -> int:
    if value is None:
        return 0
    return max(map(len, str(value).splitlines() or [""]))


def _multiline(value: Any) -> bool:
    return isinstance(value, str) and "\n" in value
