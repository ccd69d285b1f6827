"""provider = "gemini" in batch mode: Gemini's Batch API (file input through the Files API)
through the real CLI and the official google-genai SDK, against the loopback stand-in
(fake_gemini_batches.py). The same outcomes as OpenAI's and Anthropic's batches: half the
online price, cron runs that collect without submitting twice, expired and failed lines
resubmitted, a batch created by a process killed before journaling it adopted (by its display
name), nothing paid twice. Costs come from the locked genai-prices, never written down here."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import GEMINI_TEST_KEY
from genai_prices import Usage as PriceUsage
from genai_prices import calc_price
from test_batch_files import ROWS
from test_gemini import GEMINI, gemini_job, list_price, read_csv

import pipeline

genai = pytest.importorskip("google.genai", reason="needs the [gemini] extra")

BATCH = """
    mode = "batch"
    batch_poll_s = 0.01
    """
#: 50 rows: one failed line is 2%.
FIFTY = "product_id,name,category,unit_price,Unit Note\n" + "".join(
    f"{i},Item {i},Cat {i % 3},{i}.50,box\n" for i in range(1, 51))
CREATE = ("POST", f"/v1beta/models/{GEMINI}:batchGenerateContent")


def batch_price(usage: dict) -> Decimal:
    """What genai-prices (the locked version) says a Batch API answer costs."""
    cached = usage.get("cachedContentTokenCount", 0)
    price = calc_price(PriceUsage(input_tokens=usage["promptTokenCount"],
                                  cache_read_tokens=cached or None,
                                  output_tokens=usage["candidatesTokenCount"]
                                  + usage.get("thoughtsTokenCount", 0)),
                       GEMINI, provider_id="google", price_context={"processing": "batch"})
    return Decimal(price.total_price)


def creates(gemini) -> int:
    return gemini.batch_api.calls.count(CREATE)


def responded(gemini) -> list[str]:
    """The key of every request a batch answered (what Google billed)."""
    return [key for key, kind in gemini.batch_api.answered if kind == "response"]


def requests_of(gemini, batch: dict) -> list[dict]:
    return batch["_requests"]


def by_created(gemini) -> list[dict]:
    return sorted(gemini.batch_api.batches.values(), key=lambda b: (b["_created"], b["name"]))


def results_of(gemini, batch: dict) -> list[dict]:
    name = batch["metadata"]["output"]["responsesFile"]
    return [json.loads(x) for x in gemini.batch_api.files[name]["_data"].splitlines()]


def test_a_batch_round_trip_costs_half_of_online(write, run_cli, gemini, gemini_key, tmp_path):
    """Eight rows through one batch: nothing sent online, every row ok with the tokens Gemini
    reported, each cost the batch price, exactly half the same rows online; each request in
    the batch's file is exactly what generateContent gets online for it."""
    gemini.thinking_tokens = 7
    job = gemini_job(write, gemini, BATCH, rows=ROWS)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output + result.stderr
    assert gemini.requests == []  # nothing went to generateContent
    assert creates(gemini) == 1
    (batch,) = gemini.batch_api.batches.values()
    assert batch["metadata"]["displayName"] == \
        f"pipeline:describe:{batch['metadata']['inputConfig']['fileName']}"
    lines = {r["key"]: r["request"] for r in requests_of(gemini, batch)}
    assert len(lines) == 8 and all(re.fullmatch(r"[0-9a-f]{64}", k) for k in lines)
    assert set(gemini.batch_api.keys) == {GEMINI_TEST_KEY}
    # The input file was deleted once collected; the results file is Gemini's.
    assert batch["metadata"]["inputConfig"]["fileName"] not in gemini.batch_api.files
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert len(rows) == 8 and {r["status"] for r in rows} == {"ok"}
    by_text = {x["response"]["candidates"][0]["content"]["parts"][-1]["text"]: x["response"]
               for x in results_of(gemini, batch)}
    for row in rows:
        response = by_text[row["output"]]  # results come in any order: matched by key
        usage = response["usageMetadata"]
        assert int(row["completion_tokens"]) == usage["candidatesTokenCount"] + 7
        assert Decimal(row["cost_usd"]) == batch_price(usage) > 0
    batch_cost = sum(Decimal(r["cost_usd"]) for r in rows)
    assert f"(8 answer(s), 0 failed line(s)), ${batch_cost:.6f} at the batch price" \
        in result.stderr

    online = gemini_job(write, gemini, rows=ROWS)
    online_run = run_cli("run", online, "-q", "--journal", tmp_path / "online.sqlite")
    assert online_run.exit_code == 0, online_run.output
    online_rows = read_csv(tmp_path / "outputs/out.csv")
    assert {r["status"] for r in online_rows} == {"ok"} and len(gemini.requests) == 8
    assert batch_cost * 2 == sum(Decimal(r["cost_usd"]) for r in online_rows) == sum(
        list_price(GEMINI, a["usageMetadata"]) for a in gemini.answers)
    assert sorted(lines.values(), key=json.dumps) == sorted(
        (r.body for r in gemini.requests), key=json.dumps)


def test_a_structured_job_asks_for_json_and_corrects_in_the_next_batch(
        write, run_cli, gemini, gemini_key, tmp_path):
    """Fields come as JSON by the job's schema; an answer that fails its check (a 200-character
    meta description) goes back, with the problem stated, in the next batch."""
    def reply(request):
        first_user = request.body["contents"][0]["parts"][0]["text"]
        name = re.search(r"Describe (.+?) \(", first_user).group(1)
        first = len(request.body["contents"]) == 1
        meta = ("x" * 200) if first and name == "Chang" else f"Buy {name} today."
        return gemini.answer(request, fields={"title": f"{name}, the classic",
                                              "meta_description": meta})
    gemini.completion = reply
    job = gemini_job(write, gemini, BATCH + """
        fields = ["title", "meta_description"]
        [checks.meta_description]
        max_chars = 155
        """)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output + result.stderr
    first, second = by_created(gemini)
    assert len(requests_of(gemini, first)) == 3 and len(requests_of(gemini, second)) == 1
    for line in requests_of(gemini, first):
        config = line["request"]["generationConfig"]
        assert config["responseMimeType"] == "application/json"
        assert "meta_description" in config["responseJsonSchema"]["properties"]
    said = requests_of(gemini, second)[0]["request"]["contents"]
    assert [c["role"] for c in said] == ["user", "model", "user"]
    assert "155" in said[2]["parts"][0]["text"]
    rows = {r["name"]: r for r in read_csv(tmp_path / "outputs/out.csv")}
    assert {r["status"] for r in rows.values()} == {"ok"}
    assert rows["Chang"]["meta_description"] == "Buy Chang today."


def test_cron_runs_collect_without_submitting_twice(write, run_cli, gemini, gemini_key,
                                                    tmp_path):
    gemini.batch_api.polls_per_state = 3
    job = gemini_job(write, gemini, BATCH, rows=ROWS)
    first = run_cli("run", job, "-q", "--no-wait")
    assert first.exit_code == 0 and "batches are running" in first.stderr
    assert not (tmp_path / "outputs/out.csv").exists()
    for _ in range(3):
        assert run_cli("run", job, "-q", "--no-wait").exit_code == 0
    assert creates(gemini) == 1
    assert {r["status"] for r in read_csv(tmp_path / "outputs/out.csv")} == {"ok"}
    listing = run_cli("batches", job).output
    assert "batches/" in listing and "JOB_STATE_SUCCEEDED" in listing


def test_an_expired_batch_and_two_percent_failed_lines_are_resubmitted(
        write, run_cli, gemini, gemini_key, tmp_path):
    """Fifty rows: the batch's 48 hours run out with 30 answered, one of them an error line
    (2%): the next batch carries exactly the 21 without an answer; every row ends ok; no
    request is answered twice."""
    api = gemini.batch_api
    api.end_as, api.partial = "JOB_STATE_EXPIRED", 30
    job = gemini_job(write, gemini, BATCH, rows=FIFTY)
    original = api._create

    def fail_one(model: str, raw: bytes):  # the first request of the first batch errors once
        if not api.batches:
            name = json.loads(raw)["batch"]["inputConfig"]["fileName"]
            first = json.loads(api.files[name]["_data"].splitlines()[0])
            api.fail = {first["key"]: 1}
        return original(model, raw)

    api._create = fail_one
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output + result.stderr
    first, second = by_created(gemini)
    assert first["metadata"]["state"] == "BATCH_STATE_EXPIRED"
    assert first["metadata"]["batchStats"]["successfulRequestCount"] == "29"
    assert first["metadata"]["batchStats"]["failedRequestCount"] == "1"
    assert len(requests_of(gemini, second)) == 21
    assert len(responded(gemini)) == 50 == len(set(responded(gemini)))
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert len(rows) == 50 and {r["status"] for r in rows} == {"ok"}


def test_a_batch_created_by_a_run_killed_before_journaling_it_is_adopted(
        write, run_cli, gemini, gemini_key, tmp_path):
    """A real `pipeline run --mode batch` is killed (SIGKILL) the moment Gemini has created
    its batch, before the reply reaches it: the journal holds the input file, no batch id.
    Another client then creates 120 batches (two pages of the listing): some for this job
    over other files, some for other jobs naming this very file. The next run finds its own
    by display name and collects it: one batch for its 8 requests, each answered once."""
    job = gemini_job(write, gemini, BATCH, rows=ROWS)
    api = gemini.batch_api
    # This checkout's pipeline, whichever one the interpreter has installed.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(Path(pipeline.__file__).parents[1]), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(job), "-q"],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)

    def kill(_batch: dict) -> None:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    api.on_create = kill
    assert proc.wait(timeout=60) == -signal.SIGKILL, proc.stderr.read()
    api.on_create = None
    (ours,) = api.batches.values()
    key = ours["metadata"]["inputConfig"]["fileName"]
    listing = run_cli("batches", job).output
    assert key in listing and "uploaded" in listing  # no batch id journaled

    from google.genai import types
    other = genai.Client(api_key=gemini_key, vertexai=False, http_options=types.HttpOptions(
        base_url=gemini.base_url, api_version="v1beta"))
    line = {"key": "other", "request": {"contents": [{"role": "user",
                                                      "parts": [{"text": "other"}]}]}}
    upload = tmp_path / "other.jsonl"
    upload.write_text(json.dumps(line) + "\n")
    src = other.files.upload(file=upload, config=types.UploadFileConfig(mime_type="jsonl")).name
    for n in range(120):
        name = (f"pipeline:describe:files/other{n}" if n % 3 == 0 else
                f"pipeline:other{n}:{key}" if n % 3 == 1 else f"someone else's {n}")
        other.batches.create(model=GEMINI, src=src,
                             config=types.CreateBatchJobConfig(display_name=name))

    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output + result.stderr
    assert creates(gemini) == 121  # ours once, and the other client's
    assert ours["metadata"]["state"] == "BATCH_STATE_SUCCEEDED"
    assert f"batch {ours['name']} (created for input file {key}" in result.stderr
    assert api.calls.count(("GET", "/v1beta/batches")) >= 2  # the listing's second page
    mine = [k for k in responded(gemini) if k != "other"]
    assert len(mine) == 8 == len(set(mine))  # none bought twice
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert len(rows) == 8 and {r["status"] for r in rows} == {"ok"}


def test_a_batch_whose_creation_reply_is_lost_is_not_created_again(write, run_cli, gemini,
                                                                   gemini_key, tmp_path):
    gemini.batch_api.lose_create_reply = 1
    result = run_cli("run", gemini_job(write, gemini, BATCH, rows=ROWS), "-q")
    assert result.exit_code == 0, result.output + result.stderr
    assert creates(gemini) == 1 and len(gemini.batch_api.batches) == 1
    assert len(responded(gemini)) == 8 == len(set(responded(gemini)))
    assert {r["status"] for r in read_csv(tmp_path / "outputs/out.csv")} == {"ok"}


def test_a_failed_create_leaves_nothing_running_and_the_next_run_submits_once(
        write, run_cli, gemini, gemini_key, tmp_path):
    """Gemini answers every create with a 500 until the run gives up (exit 3): no batch
    exists; the next run finds none for its file, and submits the requests once."""
    gemini.batch_api.fail_create = 99
    job = gemini_job(write, gemini, BATCH, rows=ROWS)
    first = run_cli("run", job, "-q")
    assert first.exit_code == 3, first.output + first.stderr
    assert gemini.batch_api.batches == {}
    assert GEMINI_TEST_KEY not in first.output + first.stderr
    gemini.batch_api.fail_create = 0
    second = run_cli("run", job, "-q")
    assert second.exit_code == 0, second.output + second.stderr
    assert len(gemini.batch_api.batches) == 1
    assert len(responded(gemini)) == 8
    assert {r["status"] for r in read_csv(tmp_path / "outputs/out.csv")} == {"ok"}


def test_a_cancelled_batch_is_collected_and_its_unanswered_requests_go_again(
        write, run_cli, gemini, gemini_key, tmp_path):
    """`pipeline batches JOB --cancel` cancels the running batch at Gemini; the next run
    collects what it answered before the cancellation took and submits the rest once."""
    api = gemini.batch_api
    api.polls_per_state = 1000
    job = gemini_job(write, gemini, BATCH, rows=ROWS)
    assert run_cli("run", job, "-q", "--no-wait").exit_code == 0
    api.partial = 3  # three were answered before the cancellation took
    cancel = run_cli("batches", job, "--cancel")
    assert cancel.exit_code == 0 and "JOB_STATE_CANCELLED" in cancel.stderr, cancel.stderr
    (first,) = api.batches.values()
    assert first["metadata"]["state"] == "BATCH_STATE_CANCELLED"
    api.polls_per_state = 1
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output + result.stderr
    assert creates(gemini) == 2
    second = next(b for b in api.batches.values() if b is not first)
    assert len(requests_of(gemini, second)) == 5
    assert len(responded(gemini)) == 8 == len(set(responded(gemini)))
    assert Counter(r["status"] for r in read_csv(tmp_path / "outputs/out.csv")) == {"ok": 8}


def test_batch_files_are_openais_and_refused_for_a_gemini_job(write, run_cli, gemini,
                                                              gemini_key, tmp_path):
    job = gemini_job(write, gemini, rows=ROWS)
    result = run_cli("run", job, "--batch-files", tmp_path / "b")
    assert result.exit_code == 2
    assert "OpenAI's Batch API files" in result.stderr and "--mode batch" in result.stderr
    assert not (tmp_path / "b").exists() or not list((tmp_path / "b").iterdir())
    assert gemini.batch_api.calls == []


def test_the_key_is_in_no_journal_output_or_listing(write, run_cli, gemini, gemini_key,
                                                    tmp_path):
    job = gemini_job(write, gemini, BATCH, rows=ROWS)
    result = run_cli("run", job)
    assert result.exit_code == 0
    listing = run_cli("batches", job)
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.suffix != ".toml":
            assert GEMINI_TEST_KEY.encode() not in path.read_bytes(), path
    assert GEMINI_TEST_KEY not in result.output + result.stderr + listing.output


def test_the_estimate_prices_gemini_batches_at_half(write, run_cli, gemini, gemini_key):
    from test_anthropic_batches import estimate

    job = gemini_job(write, gemini, "[params]\nmax_tokens = 50\n", rows=ROWS)
    online, batch = estimate(run_cli, job)
    assert batch * 2 == online > 0
    assert gemini.requests == [] and gemini.batch_api.calls == []


def test_a_budget_caps_what_goes_into_gemini_batches(write, run_cli, gemini, gemini_key,
                                                    tmp_path):
    """--budget reserves each request's worst case at Gemini's batch prices before its batch
    is created: with room for about five of eight, some go, the rest are not sent, the run
    stops (exit 3) within the budget; a larger budget finishes the job, nothing twice."""
    from test_anthropic_batches import estimate

    job = gemini_job(write, gemini, BATCH + "[params]\nmax_tokens = 200\n", rows=ROWS)
    _online, worst_of_all = estimate(run_cli, job)
    budget = (worst_of_all * Decimal("5.5") / 8).quantize(Decimal("0.0000001"))
    result = run_cli("run", job, "-q", "--budget", str(budget))
    assert result.exit_code == 3, result.output + result.stderr
    assert f"the budget of ${budget}" in result.stderr
    (first,) = by_created(gemini)
    assert 4 <= len(requests_of(gemini, first)) <= 6
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert sum(Decimal(r["cost_usd"] or 0) for r in rows) <= budget
    result = run_cli("run", job, "-q", "--budget", "1")
    assert result.exit_code == 0, result.output + result.stderr
    assert creates(gemini) == 2
    assert len(responded(gemini)) == 8 == len(set(responded(gemini)))
    assert {r["status"] for r in read_csv(tmp_path / "outputs/out.csv")} == {"ok"}
