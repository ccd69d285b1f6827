"""Batch API files: the requests a job still needs written as Batch API JSONL (the bodies
byte-equal to what the online run sends), and a `vllm run-batch` output file imported into the
journal, after which the run sends nothing for the imported rows."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from fake_openai import Recorded, completion_body
from test_structured import read_rows

from pipeline.batch.lines import FileOfLines
from pipeline.errors import InputError

ROWS = "product_id,name,category,unit_price,Unit Note\n" + "".join(
    f"{i},Item {i},Cat {i % 3},{i}.50,box\n" for i in range(1, 9))


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def vllm_output(lines: list[dict], *, fail: set[str] = frozenset()) -> str:
    """What `vllm run-batch` writes for these input lines: one output line each, in its
    format (an id, the custom_id, the response's status, request id and body)."""
    out = []
    for number, line in enumerate(lines, start=1):
        if line["custom_id"] in fail:
            out.append({"id": f"vllm-{number}", "custom_id": line["custom_id"],
                        "response": {"status_code": 400, "request_id": f"vllm-batch-{number}",
                                     "body": {"object": "error", "message": "context too long",
                                              "type": "BadRequestError", "code": 400}},
                        "error": None})
            continue
        request = Recorded(path="/v1/chat/completions", headers={}, body=line["body"])
        body = completion_body(request, f"Imported answer for {request.user_text[:40]}")
        out.append({"id": f"vllm-{number}", "custom_id": line["custom_id"],
                    "response": {"status_code": 200, "request_id": f"vllm-batch-{number}",
                                 "body": body}, "error": None})
    return "".join(json.dumps(o) + "\n" for o in out)


def test_batch_lines_are_the_online_requests(job_file, run_cli, fake, api_key, tmp_path):
    """Each line's body is byte for byte what the online run sends for that row; custom_id
    is the request's fingerprint; nothing is sent while writing."""
    job = job_file(csv=ROWS)
    result = run_cli("run", job, "--batch-files", tmp_path / "batches")
    assert result.exit_code == 0, result.output
    assert fake.requests == []
    files = sorted((tmp_path / "batches").glob("*.jsonl"))
    assert [f.name for f in files] == ["describe-batch-001.jsonl"]
    lines = read_lines(files[0])
    assert len(lines) == 8 and len({line["custom_id"] for line in lines}) == 8
    assert all(line["method"] == "POST" and line["url"] == "/v1/chat/completions"
               for line in lines)
    assert "8 request(s)" in result.stderr

    assert run_cli("run", job, "-q").exit_code == 0  # the same rows, online
    sent = sorted(json.dumps(r.body, sort_keys=True) for r in fake.requests)
    assert sorted(json.dumps(line["body"], sort_keys=True) for line in lines) == sent


def test_vllm_output_imported_then_the_run_sends_only_what_failed(job_file, run_cli, fake,
                                                                  api_key, tmp_path):
    """A `vllm run-batch` output file with one failed line: the import takes 7 answers into
    the journal (exit 1, the failure named); the run then sends only the failed row online
    and writes every row, the 7 with their imported answers; a second import changes
    nothing; files written again hold only what is still unanswered."""
    job = job_file(csv=ROWS)
    assert run_cli("run", job, "--batch-files", tmp_path / "b").exit_code == 0
    lines = read_lines(tmp_path / "b/describe-batch-001.jsonl")
    failed = lines[2]["custom_id"]
    out = tmp_path / "out.jsonl"
    out.write_text(vllm_output(lines, fail={failed}), encoding="utf-8")

    result = run_cli("batches", job, "--import", out)
    assert result.exit_code == 1, result.output
    assert "imported: 7 answer(s)" in result.stderr and "context too long" in result.stderr

    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    assert len(fake.requests) == 1
    rows = read_rows(tmp_path / "outputs/out.csv")
    imported = [r for r in rows if r["output"].startswith("Imported answer")]
    assert len(imported) == 7 and all(r["status"] == "ok" for r in rows)

    again = run_cli("batches", job, "--import", out)
    # All 8 are answered now: 7 imported, the failed one online.
    assert "imported: 0 answer(s)" in again.stderr and "8 already there" in again.stderr
    assert run_cli("run", job, "--batch-files", tmp_path / "c").exit_code == 0
    assert not list((tmp_path / "c").glob("*.jsonl"))  # nothing left to answer


def test_a_file_that_is_not_batch_output_imports_nothing(job_file, run_cli, api_key,
                                                         tmp_path):
    job = job_file(csv=ROWS)
    assert run_cli("run", job, "--batch-files", tmp_path / "b").exit_code == 0
    lines = read_lines(tmp_path / "b/describe-batch-001.jsonl")
    out = tmp_path / "out.jsonl"
    out.write_text(vllm_output(lines[:3]) + "not json\n", encoding="utf-8")
    result = run_cli("batches", job, "--import", out)
    assert result.exit_code == 2
    assert f"batch output {out}, line 4: not JSON" in result.output
    assert "nothing was imported" in result.output
    second = run_cli("batches", job, "--import", tmp_path / "b/describe-batch-001.jsonl")
    assert second.exit_code == 2 and "holds requests, not answers" in second.output


def _filled(lines: list[bytes], **limits: int) -> list[int]:
    """Requests per file when `lines` fill files one after another."""
    counts: list[int] = []
    file = FileOfLines(io.BytesIO(), **limits)
    for line in lines:
        if not file.fits(line):
            counts.append(file.count)
            file = FileOfLines(io.BytesIO(), **limits)
        file.add(line)
    return [*counts, file.count]


def test_files_are_split_at_the_api_limits():
    assert _filled([b"x" * 10 + b"\n"] * 25, max_requests=10) == [10, 10, 5]
    assert _filled([b"y" * 99 + b"\n"] * 5, max_bytes=250) == [2, 2, 1]  # 100 bytes each
    with pytest.raises(InputError, match="over the Batch API's 50 per file"):
        FileOfLines(io.BytesIO(), max_bytes=50).fits(b"z" * 60)


def test_an_imported_answer_is_judged_like_any_reply(job_file, run_cli, fake, api_key,
                                                     tmp_path):
    """A structured job: imported replies whose meta_description breaks the 155-character
    gate are sent back online with the problem stated (a follow-up holding the imported
    reply), and the row ends ok with the corrected copy; the valid ones cost no call."""
    from test_structured import FIELDS, copy_for, json_answer

    job = job_file(FIELDS + """
        [checks.meta_description]
        max_chars = 155
        """)
    assert run_cli("run", job, "--batch-files", tmp_path / "b").exit_code == 0
    lines = read_lines(tmp_path / "b/describe-batch-001.jsonl")
    assert all(line["body"]["response_format"]["type"] == "json_schema" for line in lines)
    out = []
    for number, line in enumerate(lines):
        request = Recorded(path="/v1/chat/completions", headers={}, body=line["body"])
        meta = "M" * 171 if number == 0 else None  # the first row's answer is too long
        body = completion_body(request, json.dumps(copy_for(request, meta=meta)))
        out.append({"id": f"batch_req_{number}", "custom_id": line["custom_id"],
                    "response": {"status_code": 200, "request_id": f"req_{number}",
                                 "body": body}, "error": None})
    (tmp_path / "out.jsonl").write_text("".join(json.dumps(o) + "\n" for o in out))
    assert run_cli("batches", job, "--import", tmp_path / "out.jsonl").exit_code == 0

    fake.completion = json_answer(lambda request: copy_for(request))
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    assert len(fake.requests) == 1  # the correction of the one imported reply that failed
    followup = fake.requests[0].body["messages"]
    assert "M" * 171 in followup[-2]["content"]
    assert "meta_description has 171 characters; the limit is 155" in followup[-1]["content"]
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert {r["status"] for r in rows} == {"ok"}
    assert all(len(r["meta_description"]) <= 155 for r in rows)
