"""Batch mode in bounded memory (batch/spool.py, batch/api.py): requests set aside are spooled on
disk and read back a file at a time, files close at `batch_file_requests`, output files are
streamed to disk and kept in one transaction (a bad line keeps none of the file), and the
chain looks unfinished fix loops up one at a time when a batch run leaves more than it holds.
The memory itself is measured by bench/bench_batch.py (bench/RESULTS.md), not here."""

from __future__ import annotations

import json
import sqlite3

from test_batch_files import ROWS
from test_batch_mode import BATCH, costs
from test_structured import read_rows

from pipeline.batch.lines import request_line
from pipeline.batch.spool import RequestSpool
from pipeline.records import Request
from pipeline.rows import chain


def request(n: int, model: str = "gpt-4o-mini", *, prompt: str | None = None) -> Request:
    text = prompt or f"Describe item {n}"
    return Request(row_id=str(n), model=model, messages=[{"role": "user", "content": text}],
                   params={"max_tokens": 50}, fingerprint=f"fp-{text}", prompt_tokens=n,
                   completion_cap=50)


def test_the_spool_keeps_each_request_once_and_reads_back_in_order_page_by_page(tmp_path):
    """4,500 requests over two models, interleaved, with repeats: each model's come back in
    the order they were set aside (across the spool's pages of 2,000), each once, as their
    Batch API lines; the spool's file goes with it."""
    spool = RequestSpool(lambda r: request_line(r, "json_schema"), tmp_path)
    models = ("gpt-4o-mini", "gpt-4.1")
    for n in range(4500):
        assert spool.add(request(n, models[n % 2]))
    assert not spool.add(request(7, models[1]))  # the same request again
    assert len(spool) == 4500 and spool.repeats == 1
    assert spool.models() == ["gpt-4o-mini", "gpt-4.1"]
    for index, model in enumerate(models):
        read = list(spool.requests(model))
        assert [s.row_id for s in read] == [str(n) for n in range(index, 4500, 2)]
        line = json.loads(read[0].line)
        assert line["custom_id"] == read[0].fingerprint and line["method"] == "POST"
        assert line["body"]["model"] == model and line["body"]["max_tokens"] == 50
    found = spool.get("fp-Describe item 4499")
    assert found is not None and found.prompt_tokens == 4499 and found.completion_cap == 50
    assert spool.get("fp-nothing") is None
    assert list(tmp_path.iterdir())
    spool.close()
    assert not list(tmp_path.iterdir())


def test_files_close_at_batch_file_requests(job_file, run_cli, fake, api_key, tmp_path):
    """Eight rows with `batch_file_requests = 3`: three files (3, 3, 2 lines) and three
    batches, each file's lines exactly the requests its batch journaled; every row ok at the
    batch price, no chat request online, every input file deleted after collection."""
    job = job_file(BATCH + "batch_file_requests = 3\n", csv=ROWS)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    assert fake.requests == []
    api = fake.batch_api
    batches = sorted(api.batches.values(), key=lambda b: b["id"])
    assert [b["request_counts"]["total"] for b in batches] == [3, 3, 2]
    assert sorted(api.deleted) == sorted(b["input_file_id"] for b in batches)
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert len(rows) == 8 and {r["status"] for r in rows} == {"ok"}
    assert costs(tmp_path / "outputs/out.csv") > 0
    db = sqlite3.connect(tmp_path / "outputs/describe.journal.sqlite")
    per_file = db.execute("SELECT input_file_id, COUNT(*) FROM batch_requests "
                          "GROUP BY input_file_id ORDER BY input_file_id").fetchall()
    assert sorted(n for _, n in per_file) == [2, 3, 3]
    assert "batch mode: 3 batch(es) submitted (8 request(s))" in result.stderr


def test_batch_file_requests_is_checked_before_anything_is_sent(job_file, run_cli, fake,
                                                                 api_key):
    job = job_file(BATCH + "batch_file_requests = 0\n", csv=ROWS)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 2
    assert "batch_file_requests" in result.output
    assert fake.batch_api.calls == []


def test_a_bad_line_in_an_output_file_keeps_none_of_its_answers(job_file, run_cli, fake,
                                                                api_key, tmp_path):
    """The server's output file ends with a line that is not JSON: the run stops (exit 2)
    naming the batch and the line, and not one of the good lines before it is journaled
    (its answers are kept in one transaction, rolled back at the bad line). Once the server's
    file is right, the next run collects every answer from the same batch: nothing submitted
    again."""
    job = job_file(BATCH, csv=ROWS)
    api = fake.batch_api
    real_store = api._store

    def store_garbled(lines):
        file_id = real_store(lines)
        if file_id and lines and "response" in lines[0]:
            api.files[file_id]["data"] += b"{not json\n"
        return file_id

    api._store = store_garbled
    first = run_cli("run", job, "-q")
    assert first.exit_code == 2, first.output
    (batch,) = api.batches.values()
    assert f"batch {batch['id']} output, line 9: not JSON" in first.output
    db = sqlite3.connect(tmp_path / "outputs/describe.journal.sqlite")
    assert db.execute("SELECT COUNT(*) FROM pending_attempts").fetchone() == (0,)
    assert db.execute("SELECT COUNT(*) FROM results").fetchone() == (0,)
    db.close()

    output = api.files[batch["output_file_id"]]
    output["data"] = output["data"].removesuffix(b"{not json\n")
    second = run_cli("run", job, "-q")
    assert second.exit_code == 0, second.output
    assert len(api.batches) == 1 and fake.requests == []
    assert {r["status"] for r in read_rows(tmp_path / "outputs/out.csv")} == {"ok"}


def test_a_batch_run_that_leaves_many_unfinished_answers_looks_them_up(
        job_file, run_cli, fake, api_key, tmp_path, monkeypatch):
    """The chain holds unfinished fix loops as a set only up to a bound (a batch run may
    leave a million collected replies to judge); beyond it each is looked up in the journal.
    With the bound at 2, eight collected replies are judged and written exactly as with the
    set: the same outputs, nothing online."""
    monkeypatch.setattr(chain, "_HELD_UNFINISHED", 2)
    job = job_file(BATCH, csv=ROWS)
    assert run_cli("run", job, "-q").exit_code == 0
    looked_up = read_rows(tmp_path / "outputs/out.csv")
    monkeypatch.setattr(chain, "_HELD_UNFINISHED", 10_000)
    fake.reset()
    again = job_file(BATCH, csv=ROWS, output="../outputs/held.csv")
    assert run_cli("run", again, "-q").exit_code == 0
    held = read_rows(tmp_path / "outputs/held.csv")
    assert fake.requests == []
    columns = ("product_id", "status", "output", "cost_usd", "attempts")
    assert [[r[c] for c in columns] for r in looked_up] == [[r[c] for c in columns]
                                                            for r in held]
    assert {r["status"] for r in held} == {"ok"}


def test_batch_files_stream_through_the_spool(job_file, run_cli, api_key, tmp_path):
    """--batch-files with `batch_file_requests = 3` and a repeated row: files of 3, 3 and 2
    distinct requests, the repeat written once and counted, each line a request (custom_id
    unique across the files)."""
    job = job_file("batch_file_requests = 3\n", csv=ROWS + "9,Item 1,Cat 1,1.50,box\n")
    result = run_cli("run", job, "-q", "--batch-files", tmp_path / "b")
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "b").glob("*.jsonl"))
    lines = [[json.loads(x) for x in f.read_text().splitlines()] for f in files]
    assert [len(x) for x in lines] == [3, 3, 2]
    ids = [line["custom_id"] for file in lines for line in file]
    assert len(set(ids)) == len(ids) == 8
    assert "8 request(s) (0 already answered in the journal, 1 repeated in the input)" \
        in result.stderr


def test_later_passes_take_pre_flight_as_checked_until_the_input_changes(job_file, api_key,
                                                                         tmp_path):
    """Batch mode's passes over a job in one command reuse the command's pre-flight (rows not
    read and rendered again) while the input file is unchanged; a changed file is checked
    afresh."""
    from dataclasses import replace

    from pipeline.config import load_job
    from pipeline.rows.plan import build_plan

    job = load_job(job_file(csv=ROWS))
    checked = build_plan(job, endpoint="http://127.0.0.1/v1").checked()
    assert checked.rows == 8 and checked.prompt_tokens > 0
    taken = replace(checked, rows=99)  # a figure no read of the file would give
    assert build_plan(job, endpoint="http://127.0.0.1/v1", checked=taken).rows == 99
    data = tmp_path / "data/products.csv"
    data.write_text(ROWS + "9,Item 9,Cat 0,9.50,box\n", encoding="utf-8")
    assert build_plan(job, endpoint="http://127.0.0.1/v1", checked=taken).rows == 9
