"""Input formats: CSV dialects, TSV, JSONL, JSON arrays and XLSX, with stable row ids."""

from __future__ import annotations

import json

import pytest

from pipeline import InputError, read_table


def test_csv_with_bom_sniffed_semicolons_and_quoted_newlines(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes('\ufeffsku;name;notes\n"001";"Café; au lait";"line one\nline two"\n'
                     "002;Tea;\n".encode())
    table = read_table(path, id_column="sku")
    assert table.columns == ["sku", "name", "notes"]
    assert [r.id for r in table.rows] == ["001", "002"]
    assert table.rows[0].fields == {"sku": "001", "name": "Café; au lait",
                                    "notes": "line one\nline two"}
    assert table.rows[1].fields["notes"] == ""


def test_csv_keeps_values_as_written(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("zip,price\n00123,1.50\n", encoding="utf-8")
    assert read_table(path).rows[0].fields == {"zip": "00123", "price": "1.50"}


def test_single_column_csv(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("topic\nbread\ncheese, aged\n", encoding="utf-8")
    table = read_table(path)
    assert [r.fields["topic"] for r in table.rows] == ["bread", "cheese, aged"]


def test_tsv(tmp_path):
    path = tmp_path / "in.tsv"
    path.write_text("a\tb c\n1\tx, y\n", encoding="utf-8")
    table = read_table(path)
    assert table.columns == ["a", "b c"]
    assert table.rows[0].fields == {"a": "1", "b c": "x, y"}


def test_jsonl_keeps_types_and_unions_columns(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": 7, "tags": ["a"]}\n\n{"id": 8, "extra": null}\n', encoding="utf-8")
    table = read_table(path, id_column="id")
    assert table.columns == ["id", "tags", "extra"]
    assert [r.id for r in table.rows] == ["7", "8"]
    assert table.rows[0].fields["tags"] == ["a"]


def test_jsonl_bad_line_is_named(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"a": 1}\n{"a": \n', encoding="utf-8")
    with pytest.raises(InputError, match="line 2 is not valid JSON"):
        read_table(path)


def test_json_array_and_non_object_items(tmp_path):
    path = tmp_path / "in.json"
    path.write_text(json.dumps([{"a": 1}, {"a": 2}]), encoding="utf-8")
    assert [r.id for r in read_table(path).rows] == ["1", "2"]
    path.write_text(json.dumps([{"a": 1}, 5]), encoding="utf-8")
    with pytest.raises(InputError, match="item 2 is a int, not an object"):
        read_table(path)
    path.write_text(json.dumps({"a": 1}), encoding="utf-8")
    with pytest.raises(InputError, match="expected a JSON array"):
        read_table(path)


def test_xlsx(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "Unit Price", "name"])
    sheet.append([1, 9.5, "Chai"])
    sheet.append([None, None, None])
    sheet.append([2, None, "Chang"])
    path = tmp_path / "in.xlsx"
    book.save(path)
    table = read_table(path, id_column="id")
    assert table.columns == ["id", "Unit Price", "name"]
    assert [r.id for r in table.rows] == ["1", "2"]
    assert table.rows[0].fields == {"id": 1, "Unit Price": 9.5, "name": "Chai"}
    assert table.rows[1].fields["Unit Price"] == ""


def test_damaged_xlsx(tmp_path):
    path = tmp_path / "in.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not a readable .xlsx workbook"):
        read_table(path)


def test_limit_and_row_numbers(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("a\n" + "".join(f"{i}\n" for i in range(10)), encoding="utf-8")
    table = read_table(path, limit=3)
    assert [(r.id, r.number) for r in table.rows] == [("1", 1), ("2", 2), ("3", 3)]


def test_unknown_extension_and_missing_id_column(tmp_path):
    with pytest.raises(InputError, match="unknown file type '.txt'"):
        read_table(tmp_path / "in.txt")
    path = tmp_path / "in.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="id column 'sku' not found. Columns: a, b"):
        read_table(path, id_column="sku")


def test_repeated_ids_are_named_with_the_row_they_repeat():
    """Ids are kept on disk, not in a set: each repeat is named with the first row that had
    it, in input order; an empty id is named too."""
    from pipeline.records import Row
    from pipeline.rows.sources import IdCheck

    rows = [Row(i, n, {}) for n, i in enumerate(["a", "b", "a", "c", "b", "a", ""], start=1)]
    check = IdCheck("sku")
    assert [p for p in map(check.problem, rows) if p] == [
        "row 3: id 'a' repeats row 1", "row 5: id 'b' repeats row 2",
        "row 6: id 'a' repeats row 1", "row 7: empty id in column 'sku'"]
    assert IdCheck(None).problem(rows[2]) is None
