"""Outputs: every format reads back to the same rows; spreadsheets are safe; writes are atomic."""

from __future__ import annotations

import json
from decimal import Decimal

import pandas as pd
import pytest

from pipeline.records import Result, Row, Usage
from pipeline.rows.sinks import RESULT_FIELDS, Layout, spreadsheet_safe, write_output
from pipeline.rows.sources import Table


def sample(tmp_path):
    table = Table(tmp_path / "in.csv", ["id", "name"],
                  [Row("a", 1, {"id": "a", "name": "=HYPERLINK(\"x\")"}),
                   Row("b", 2, {"id": "b", "name": "-5"}), Row("c", 3, {"id": "c", "name": "C"})])
    results = [
        Result("a", "f1", "ok", output="+1 great", usage=Usage(10, 5, 2),
               cost_usd=Decimal("0.0000123"), model="m", finish_reason="stop",
               latency_ms=12, attempts=1),
        Result("b", "f2", "failed", attempts=2, error="HTTP 400: bad"),
        None,
    ]
    return table, results


def write(path, fmt, table, results):
    answered = [(row, [[(result, False)]]) for row, result in zip(table.rows, results,
                                                                  strict=True)]
    layout = Layout(input_columns=table.columns, steps=[(None, None)])
    write_output(path, fmt, layout=layout, answered=answered)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json", "xlsx", "parquet"])
def test_every_format_holds_inputs_then_results(tmp_path, fmt):
    table, results = sample(tmp_path)
    path = tmp_path / f"out.{fmt}"
    write(path, fmt, table, results)
    frame = {
        "csv": lambda: pd.read_csv(path, dtype=str, keep_default_na=False),
        "jsonl": lambda: pd.read_json(path, lines=True, dtype=False),
        "json": lambda: pd.read_json(path, dtype=False),
        "xlsx": lambda: pd.read_excel(path, dtype=object),
        "parquet": lambda: pd.read_parquet(path),
    }[fmt]()
    assert list(frame.columns) == ["id", "name", *RESULT_FIELDS]
    assert list(frame["id"]) == ["a", "b", "c"]
    first, second, third = (frame.iloc[i] for i in range(3))
    assert first["output"].endswith("+1 great")
    assert int(first["prompt_tokens"]) == 10 and int(first["cached_tokens"]) == 2
    assert Decimal(str(first["cost_usd"])) == Decimal("0.0000123")
    assert (second["status"], second["error"]) == ("failed", "HTTP 400: bad")
    assert third["status"] == "skipped"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"out.{fmt}"]


def test_csv_escapes_formulas_but_not_numbers(tmp_path):
    table, results = sample(tmp_path)
    write(tmp_path / "out.csv", "csv", table, results)
    rows = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert rows.loc[0, "name"] == "'=HYPERLINK(\"x\")"
    assert rows.loc[0, "output"] == "'+1 great"
    assert rows.loc[1, "name"] == "-5"
    assert rows.loc[0, "cost_usd"] == "0.0000123"


def test_xlsx_stores_text_not_formulas(tmp_path):
    from openpyxl import load_workbook

    table, results = sample(tmp_path)
    write(tmp_path / "out.xlsx", "xlsx", table, results)
    cell = load_workbook(tmp_path / "out.xlsx").active["B2"]
    assert cell.data_type == "s"
    assert cell.value == "'=HYPERLINK(\"x\")"


def test_json_keeps_structure_and_exact_numbers(tmp_path):
    table, results = sample(tmp_path)
    write(tmp_path / "out.json", "json", table, results)
    data = json.loads((tmp_path / "out.json").read_text(), parse_float=Decimal)
    assert data[0]["cost_usd"] == Decimal("0.0000123")
    assert data[0]["name"] == "=HYPERLINK(\"x\")"  # JSON is not a spreadsheet: kept as is
    assert data[2]["error"] == "not sent"


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    import pipeline.rows.sinks as sinks

    table, results = sample(tmp_path)
    path = tmp_path / "out.csv"
    path.write_text("old", encoding="utf-8")

    def half_then_crash(target, columns, rows):
        target.write_text("half a file", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setitem(sinks._WRITERS, "csv", half_then_crash)
    with pytest.raises(OSError, match="disk full"):
        write(path, "csv", table, results)
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


@pytest.mark.parametrize(("value", "safe"), [
    ("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("+x", "'+x"), ("-x", "'-x"),
    ("\tx", "'\tx"), ("-3.5", "-3.5"), ("+7", "+7"), ("plain", "plain"), (5, 5),
])
def test_spreadsheet_safe(value, safe):
    assert spreadsheet_safe(value) == safe
