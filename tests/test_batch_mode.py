"""Batch mode against the loopback Files and Batch APIs (tests/fake_batch_api.py): a round trip
at exactly half the online cost, collection across separate runs from cron, failed and expired
lines resubmitted, a file left by a run that ended before its batch was created cleaned up, a
batch created by a run killed before journaling it adopted, not bought again."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from decimal import Decimal

import openai
import pytest
from fake_openai import count_prompt
from test_batch_files import ROWS
from test_chains import answer as chain_answer
from test_structured import FIELDS, copy_for, json_answer, read_rows

from pipeline.outcome import batch_time

BATCH = """
    mode = "batch"
    batch_poll_s = 0.01
    """


def costs(path) -> Decimal:
    return sum((Decimal(r["cost_usd"] or 0) for r in read_rows(path)), Decimal(0))


def test_a_batch_round_trip_costs_half_of_online(job_file, run_cli, fake, api_key, tmp_path):
    """Eight rows through one batch: no chat request online, every row ok, the cost exactly
    half of the same rows online, the input file deleted when the batch ended."""
    job = job_file(BATCH, csv=ROWS)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    assert fake.requests == []  # nothing went to /chat/completions
    api = fake.batch_api
    assert [m for m, p in api.calls if p == "/v1/batches"] == ["POST"]
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert len(rows) == 8 and {r["status"] for r in rows} == {"ok"}
    assert len(api.deleted) == 1
    batch_cost = costs(tmp_path / "outputs/out.csv")
    assert f"(8 answer(s), 0 failed line(s)), ${batch_cost:.6f} at the batch price" \
        in result.stderr

    online = job_file(csv=ROWS, output="../outputs/online.csv")
    online_run = run_cli("run", online, "-q", "--journal", tmp_path / "online.sqlite")
    assert online_run.exit_code == 0
    assert batch_cost * 2 == costs(tmp_path / "outputs/online.csv") > 0
    assert re.search(r"^time: [\d.]+s, [\d.]+ rows/min$", online_run.stderr, re.M)


BATCH_TIME = re.compile(r"^time: ([\d.]+)s from the first batch's submission to collection "
                        r"\((\d+) batch\(es\)\)$", re.M)


def test_a_batch_runs_summary_gives_the_time_from_its_first_submission(
        job_file, run_cli, fake, api_key, tmp_path):
    """--no-wait submits; runs from cron collect two seconds later: the summary of the run
    that writes the output gives the time since the batch was submitted (not its own last
    pass's), and no rows/min. The next batch run (two new rows) counts from its own
    submission; a run that submits nothing says so."""
    job = job_file(BATCH, csv=ROWS)
    began = time.time()
    assert run_cli("run", job, "-q", "--no-wait").exit_code == 0
    time.sleep(2)
    for _ in range(3):
        result = run_cli("run", job, "-q", "--no-wait")
        assert result.exit_code == 0, result.output
    assert len(read_rows(tmp_path / "outputs/out.csv")) == 8
    timed = BATCH_TIME.search(result.stderr)
    assert timed, result.stderr
    assert 2 <= float(timed.group(1)) <= time.time() - began and timed.group(2) == "1"
    assert "rows/min" not in result.stderr

    job_file(BATCH, csv=ROWS + "9,Item 9,Cat 0,9.50,box\n10,Item 10,Cat 1,10.50,box\n")
    began = time.time()
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    timed = BATCH_TIME.search(result.stderr)
    assert timed and float(timed.group(1)) <= time.time() - began and timed.group(2) == "1"
    assert [b["request_counts"]["total"] for b in fake.batch_api.batches.values()] == [8, 2]

    again = run_cli("run", job, "-q")
    assert again.exit_code == 0, again.output
    assert re.search(r"^time: [\d.]+s \(no batch submitted\)$", again.stderr, re.M), \
        again.stderr
    assert "rows/min" not in again.stderr


@pytest.mark.parametrize(("seconds", "shown"), [(12.34, "12.3s"), (245.9, "4 min 05s"),
                                               (93_780, "26 h 03 min")])
def test_a_batch_runs_time_reads_in_the_unit_it_took(seconds, shown):
    assert batch_time(seconds, 2) == (f"time: {shown} from the first batch's submission to "
                                      "collection (2 batch(es))")


def test_cron_runs_collect_without_submitting_twice(job_file, run_cli, fake, api_key, tmp_path):
    """--no-wait submits and exits 0; each later run (as from cron) polls once; the batch is
    created once; when it ends, that run writes the output."""
    job = job_file(BATCH, csv=ROWS)
    first = run_cli("run", job, "-q", "--no-wait")
    assert first.exit_code == 0 and "batches are running" in first.stderr
    assert not (tmp_path / "outputs/out.csv").exists()
    for _ in range(3):  # validating -> in_progress -> finalizing -> completed
        result = run_cli("run", job, "-q", "--no-wait")
        assert result.exit_code == 0, result.output
    assert [m for m, p in fake.batch_api.calls if p == "/v1/batches"] == ["POST"]
    assert {r["status"] for r in read_rows(tmp_path / "outputs/out.csv")} == {"ok"}
    listing = run_cli("batches", job)
    assert "completed" in listing.output and "8/8" in listing.output


def test_failed_and_expired_lines_are_resubmitted(job_file, run_cli, fake, api_key, tmp_path):
    """The first batch expires with 5 of 8 answered and one of those 5 failed: the next batch
    carries exactly the 4 without an answer; every row ends ok; nothing is bought twice."""
    job = job_file(BATCH, csv=ROWS)
    assert run_cli("run", job, "--batch-files", tmp_path / "b").exit_code == 0
    lines = [json.loads(x) for x in
             (tmp_path / "b/describe-batch-001.jsonl").read_text().splitlines()]
    api = fake.batch_api
    api.end_as, api.partial = "expired", 5
    api.fail = {lines[1]["custom_id"]: 1}
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    creates = [p for m, p in api.calls if p == "/v1/batches" and m == "POST"]
    assert len(creates) == 2
    second = sorted(api.batches.values(), key=lambda b: b["created_at"])[-1]
    assert second["request_counts"]["total"] == 4
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert {r["status"] for r in rows} == {"ok"} and len(rows) == 8


def test_a_file_uploaded_by_a_run_that_ended_before_its_batch_is_cleaned_up(
        job_file, run_cli, fake, api_key, tmp_path):
    """The Batch API refuses to create the batch (500s until the run gives up, exit 3): the
    uploaded file is journaled; the next run deletes it and submits its requests once."""
    job = job_file(BATCH, csv=ROWS)
    api = fake.batch_api
    api.fail_create = 3  # the first try and the client's two retries
    first = run_cli("run", job, "-q")
    assert first.exit_code == 3, first.output
    uploaded = [fid for fid in api.files]
    assert len(uploaded) == 1
    second = run_cli("run", job, "-q")
    assert second.exit_code == 0, second.output
    assert uploaded[0] in api.deleted
    assert len(api.batches) == 1
    assert {r["status"] for r in read_rows(tmp_path / "outputs/out.csv")} == {"ok"}


def answered_ids(api) -> list[str]:
    """The custom_id of every line any batch answered (what the Batch API billed)."""
    return sorted(json.loads(line)["custom_id"] for f in api.files.values()
                  if f["purpose"] == "batch_output" for line in f["data"].splitlines())


def test_a_batch_created_by_a_run_killed_before_journaling_it_is_adopted(
        job_file, run_cli, fake, api_key, tmp_path):
    """A real `pipeline run --mode batch` process is killed (SIGKILL) the moment the Batch API
    has created its batch, before the reply reaches it: the journal holds the uploaded file,
    no batch id. Another job submits 120 batches after it (the lookup pages through them).
    The next run finds the batch by its input file (its metadata naming this job) and
    collects it: one batch created for the 8 requests, each answered once, every row ok."""
    job = job_file(BATCH, csv=ROWS)
    api = fake.batch_api
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(job), "-q"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def kill(_batch: dict) -> None:  # in the server, before it replies to the create call
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    api.on_create = kill
    assert proc.wait(timeout=60) == -signal.SIGKILL, proc.stderr.read()
    api.on_create = None
    ours = next(iter(api.batches.values()))
    assert ours["metadata"] == {"pipeline_job": "describe"}
    listing = run_cli("batches", job).output
    assert ours["input_file_id"] in listing and "uploaded" in listing  # no batch id journaled

    other = openai.OpenAI(base_url=fake.base_url, api_key=api_key)
    upload = other.files.create(file=("other.jsonl", b"{}\n"), purpose="batch")
    for _ in range(120):
        other.batches.create(input_file_id=upload.id, endpoint="/v1/chat/completions",
                             completion_window="24h", metadata={"pipeline_job": "other"})

    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    mine = [b for b in api.batches.values() if b["metadata"] != {"pipeline_job": "other"}]
    assert [b["id"] for b in mine] == [ours["id"]] and ours["status"] == "completed"
    assert [m for m, p in api.calls if p == "/v1/batches"].count("POST") == 121
    assert ours["input_file_id"] in api.deleted  # collected, then cleaned up as usual
    assert len(answered_ids(api)) == 8 == len(set(answered_ids(api)))  # none bought twice
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert len(rows) == 8 and {r["status"] for r in rows} == {"ok"}
    assert "(8 answer(s), 0 failed line(s))" in result.stderr


def test_a_batch_whose_creation_reply_is_lost_is_not_created_again(job_file, run_cli, fake,
                                                                   api_key, tmp_path):
    """The Batch API creates the batch, then the connection drops before its reply (as a
    timeout or a reset would): creating is not idempotent, so instead of asking again (a
    second batch over the same file, billed twice) the run finds the batch by its input file
    and goes on with it: one batch, each request answered once, every row ok."""
    job = job_file(BATCH, csv=ROWS)
    api = fake.batch_api
    api.lose_create_reply = 1
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    assert [m for m, p in api.calls if p == "/v1/batches"].count("POST") == 1
    assert len(api.batches) == 1
    assert len(answered_ids(api)) == 8 == len(set(answered_ids(api)))
    assert {r["status"] for r in read_rows(tmp_path / "outputs/out.csv")} == {"ok"}


def test_an_upload_is_not_adopted_by_another_jobs_batch(job_file, run_cli, fake, api_key,
                                                        tmp_path):
    """A batch over the orphaned file whose metadata names another job is never adopted
    (nor polled): the file is deleted and its requests submitted once, as before."""
    job = job_file(BATCH, csv=ROWS)
    api = fake.batch_api
    api.fail_create = 3
    assert run_cli("run", job, "-q").exit_code == 3
    (orphan,) = api.files
    client = openai.OpenAI(base_url=fake.base_url, api_key=api_key)
    theirs = client.batches.create(input_file_id=orphan, endpoint="/v1/chat/completions",
                                   completion_window="24h",
                                   metadata={"pipeline_job": "another"})
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    assert orphan in api.deleted and len(api.batches) == 2
    assert ("GET", f"/v1/batches/{theirs.id}") not in api.calls
    assert {r["status"] for r in read_rows(tmp_path / "outputs/out.csv")} == {"ok"}


def test_requests_that_fail_in_every_batch_end_failed(job_file, run_cli, fake, api_key,
                                                      tmp_path):
    job = job_file(BATCH + "max_attempts = 2\n", csv=ROWS)
    assert run_cli("run", job, "--batch-files", tmp_path / "b").exit_code == 0
    first = json.loads((tmp_path / "b/describe-batch-001.jsonl").read_text().splitlines()[0])
    fake.batch_api.fail = {first["custom_id"]: 99}
    result = run_cli("run", job, "-q")
    assert result.exit_code == 1, result.output
    rows = read_rows(tmp_path / "outputs/out.csv")
    failed = [r for r in rows if r["status"] == "failed"]
    assert len(failed) == 1 and "no answer from 2 batch(es)" in failed[0]["error"]
    assert fake.requests == []  # not sent online behind the user's back


def test_batches_are_cancelled_only_when_asked(job_file, run_cli, fake, api_key, tmp_path):
    """A run that exits (--no-wait, or killed) leaves its batch running; `pipeline batches
    JOB --cancel` cancels it, and the listing shows the state the API reports."""
    job = job_file(BATCH, csv=ROWS)
    assert run_cli("run", job, "-q", "--no-wait").exit_code == 0
    assert not [p for m, p in fake.batch_api.calls if p.endswith("/cancel")]
    result = run_cli("batches", job, "--cancel")
    assert result.exit_code == 0 and "cancelling" in result.stderr
    assert "cancelling" in run_cli("batches", job).output


def test_a_process_killed_while_waiting_leaves_its_batch_to_the_next_run(
        job_file, run_cli, fake, api_key, tmp_path):
    """A real `pipeline run --mode batch` process, killed with SIGKILL while it polls: its
    batch runs on (never cancelled); the same command collects it without submitting again."""

    job = job_file(BATCH.replace("0.01", "0.2"), csv=ROWS)
    fake.batch_api.polls_per_state = 1000  # the batch stays in validating while we look
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(job), "-q"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not fake.batch_api.batches and time.monotonic() < deadline:
        time.sleep(0.05)
    assert fake.batch_api.batches, proc.stderr.read() if proc.poll() is not None else ""
    time.sleep(0.5)  # a poll or two
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert not [p for m, p in fake.batch_api.calls if p.endswith("/cancel")]
    fake.batch_api.polls_per_state = 1
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    assert [m for m, p in fake.batch_api.calls if p == "/v1/batches"] == ["POST"]
    assert {r["status"] for r in read_rows(tmp_path / "outputs/out.csv")} == {"ok"}


def test_the_estimate_prices_batch_mode_beside_online(job_file, run_cli, api_key):
    """Both prices from the same counted requests: the batch one is half (gpt-4o-mini's
    batch prices are half its online ones in the locked genai-prices)."""

    job = job_file("[params]\nmax_tokens = 50\n", csv=ROWS)
    out = run_cli("estimate", job).output
    online = re.search(r"^cost: \$([\d.]+) expected, \$([\d.]+) at most", out, re.M)
    batch = re.search(r"^cost with --mode batch: \$([\d.]+) expected, \$([\d.]+) at most", out,
                      re.M)
    assert online and batch, out
    assert Decimal(batch.group(2)) * 2 == Decimal(online.group(2)) > 0


def test_a_full_queue_is_learned_and_the_rest_submitted_as_batches_finish(
        job_file, run_cli, fake, api_key, tmp_path):
    """The organisation's enqueued-token limit holds about three rows' prompts: the first
    batch (all 8) fails validation with token_limit_exceeded; the limit is read from the
    message, and rows go in batches that fit, each as the last one ends; none of them counts
    as a failed attempt, and every row ends ok."""
    job = job_file(BATCH + "max_attempts = 1\n", csv=ROWS)
    assert run_cli("run", job, "--batch-files", tmp_path / "b").exit_code == 0
    lines = [json.loads(x) for x in
             (tmp_path / "b/describe-batch-001.jsonl").read_text().splitlines()]
    per_row = max(count_prompt(line["body"]["messages"], "gpt-4o-mini") for line in lines)
    fake.batch_api.queue_limit = 3 * per_row
    result = run_cli("run", job)
    assert result.exit_code == 0, result.output
    assert f"enqueued-token limit for gpt-4o-mini is {3 * per_row:,} tokens" in result.stderr
    sizes = [b["request_counts"]["total"] for b in fake.batch_api.batches.values()
             if b["status"] == "completed"]
    assert sum(sizes) == 8 and max(sizes) <= 3
    assert {r["status"] for r in read_rows(tmp_path / "outputs/out.csv")} == {"ok"}
    assert len(fake.batch_api.deleted) == len(fake.batch_api.batches)  # every input file


def test_a_catalog_translates_through_batches(run_cli, fake, api_key, tmp_path):
    """Django's humanize catalog (56 entries, plurals, contexts) into French in batch mode:
    the packed requests go in one batch; the translator reads every reply from the journal
    and judges it; the one entry whose reply breaks a placeholder is retried alone online;
    the catalog passes msgfmt; the packed requests cost the batch price."""
    from fake_translator import FakeTranslator
    from test_catalogs import copy, msgfmt

    source = copy("django/humanize.en.po", tmp_path / "locale/en/LC_MESSAGES/django.po")
    translator = FakeTranslator(language="fr", sabotage={"%(value)s million": "drop"}, times=1)
    fake.completion = translator
    result = run_cli("translate", source, "--to", "fr", "-m", "gpt-4o-mini", "--base-url",
                     fake.base_url, "-q", "--mode", "batch", "--journal",
                     tmp_path / "j.sqlite", "--set", "batch_poll_s=0.01")
    assert result.exit_code == 0, result.output
    api = fake.batch_api
    assert [m for m, p in api.calls if p == "/v1/batches"] == ["POST"]
    packed = next(iter(api.batches.values()))["request_counts"]["total"]
    assert packed >= 1
    assert len(fake.requests) == 1  # the one retry alone, online
    msgfmt(tmp_path / "locale/fr/LC_MESSAGES/django.po")
    assert "translated (1 of them after a retry alone)" in result.stderr, result.stderr
    assert f"({packed} answer(s), 0 failed line(s)), $0.000" in result.stderr
    assert BATCH_TIME.search(result.stderr).group(2) == "1", result.stderr


def test_a_two_step_chain_runs_step_by_step_in_batches(chain_job, run_cli, fake,
                                                       api_key, tmp_path):
    """Draft, then translate the draft (another model): the first batch carries the three
    drafts; once they are judged, the second carries the three translations built from them;
    nothing goes online; every step is priced at its model's batch price."""
    fake.completion = chain_answer
    result = run_cli("run", chain_job(BATCH), "-q")
    assert result.exit_code == 0, result.output
    assert fake.requests == []
    batches = sorted(fake.batch_api.batches.values(), key=lambda b: b["created_at"])
    assert [b["request_counts"]["total"] for b in batches] == [3, 3]
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert {r["status"] for r in rows} == {"ok"}
    assert rows[0]["translate.de"] == "DE Buy Chai now." and rows[0]["draft.title"] == "Chai!"
    assert all(Decimal(r["cost_usd"]) == Decimal(r["draft.cost_usd"])
               + Decimal(r["translate.cost_usd"]) > 0 for r in rows)


def too_long_first_reply(job_file, fake):
    """A structured job whose first reply for Item 1 breaks the 155-character gate (its
    correction is answered right)."""
    def reply(request):
        first = len(request.body["messages"]) == 2 and "Item 1 " in request.user_text
        return copy_for(request, meta="M" * 171 if first else None)

    fake.completion = json_answer(reply)
    return job_file(BATCH + FIELDS + """
        [checks.meta_description]
        max_chars = 155
        """, csv=ROWS)


def test_a_correction_goes_in_the_next_batch(job_file, run_cli, fake, api_key, tmp_path):
    """A reply whose meta_description breaks the 155-character gate: its correction (the
    reply and the problem appended to the conversation) goes in the next batch, not online;
    the row ends ok with the corrected copy, two attempts, both replies' cost."""
    job = too_long_first_reply(job_file, fake)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    assert fake.requests == []
    batches = sorted(fake.batch_api.batches.values(), key=lambda b: b["created_at"])
    assert [b["request_counts"]["total"] for b in batches] == [8, 1]
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert {r["status"] for r in rows} == {"ok"}
    first = next(r for r in rows if r["product_id"] == "1")
    assert first["attempts"] == "2" and len(first["meta_description"]) <= 155
    other = next(r for r in rows if r["product_id"] == "2")
    assert Decimal(first["cost_usd"]) > Decimal(other["cost_usd"]) > 0


def test_a_person_sees_the_batches_progress(job_file, run_cli, fake, api_key, tmp_path):
    """Without -q, a run that waits shows a line each time the running batches change (not a
    line per poll): their number, requests done and failed, and each batch's state."""
    job = job_file(BATCH, csv=ROWS)
    result = run_cli("run", job)
    assert result.exit_code == 0, result.output
    lines = [x for x in result.stderr.splitlines() if x.startswith("batches: ")]
    assert "batches: 1 running, 0/8 done, 0 failed (batch_" in lines[0]
    assert ": validating 0/8 done, 0 failed)" in lines[0]
    assert any("in_progress" in x for x in lines) and any("finalizing" in x for x in lines)
    assert len(lines) == len(set(lines))


def test_a_budget_caps_what_a_batch_run_submits(job_file, run_cli, fake, api_key, tmp_path):
    """--budget reserves each request's worst case at batch prices (prompt counted,
    completion at max_tokens) before its batch is submitted: with room for about five of
    eight, five go in a batch, the rest are not sent, the run stops (exit 3) saying why and
    writes what it has; the same command with a larger budget finishes the job."""
    job = job_file(BATCH + "[params]\nmax_tokens = 200\n", csv=ROWS)
    assert run_cli("run", job, "--batch-files", tmp_path / "b").exit_code == 0
    lines = [json.loads(x) for x in
             (tmp_path / "b/describe-batch-001.jsonl").read_text().splitlines()]
    prompt = max(count_prompt(line["body"]["messages"], "gpt-4o-mini") for line in lines)
    worst = (Decimal(prompt) * Decimal("0.075") + 200 * Decimal("0.3")) / 1_000_000
    budget = worst * Decimal("5.5")
    result = run_cli("run", job, "-q", "--budget", str(budget))
    assert result.exit_code == 3, result.output
    assert f"the budget of ${budget}" in result.stderr
    assert [b["request_counts"]["total"] for b in fake.batch_api.batches.values()] == [5]
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert sum(r["status"] == "ok" for r in rows) == 5 and costs(
        tmp_path / "outputs/out.csv") <= budget
    assert fake.requests == []

    result = run_cli("run", job, "-q", "--budget", "1")
    assert result.exit_code == 0, result.output
    assert {r["status"] for r in read_rows(tmp_path / "outputs/out.csv")} == {"ok"}
    assert sorted(b["request_counts"]["total"] for b in fake.batch_api.batches.values()) \
        == [3, 5]


def test_a_budget_without_max_tokens_is_refused_before_anything_is_sent(
        job_file, run_cli, fake, api_key):
    result = run_cli("run", job_file(BATCH, csv=ROWS), "--budget", "1")
    assert result.exit_code == 2 and "a budget needs params.max_tokens" in result.output
    assert fake.batch_api.calls == []


def test_fix_online_sends_corrections_at_once(job_file, run_cli, fake, api_key, tmp_path):
    """--fix-online: the reply that breaks the gate is corrected online during the pass
    (one chat request, the reply and the problem in it); no second batch."""
    job = too_long_first_reply(job_file, fake)
    result = run_cli("run", job, "-q", "--fix-online")
    assert result.exit_code == 0, result.output
    assert [b["request_counts"]["total"] for b in fake.batch_api.batches.values()] == [8]
    assert len(fake.requests) == 1
    assert "meta_description has 171 characters" in fake.requests[0].body["messages"][-1][
        "content"]
    assert {r["status"] for r in read_rows(tmp_path / "outputs/out.csv")} == {"ok"}


def test_a_catalog_in_batch_mode_keeps_to_its_budget(run_cli, fake, api_key, tmp_path):
    """Django's humanize catalog packed 10 entries a request (6 requests). --estimate shows
    the batch price beside the online one (half). With room for 2.5 requests' worst cases,
    batches are trimmed to fit, each collected answer's real cost frees room for the next,
    and the whole catalog is translated within the budget, nothing online; with room for
    less than one, nothing is submitted and the run stops (exit 3) saying why."""
    from fake_translator import FakeTranslator
    from test_catalogs import copy

    source = copy("django/humanize.en.po", tmp_path / "locale/en/LC_MESSAGES/django.po")
    fake.completion = FakeTranslator(language="fr")
    common = ["translate", source, "--to", "fr", "-m", "gpt-4o-mini", "--base-url",
              fake.base_url, "-q", "--journal", tmp_path / "j.sqlite", "--batch-entries", "10",
              "--mode", "batch", "--set", "batch_poll_s=0.01"]
    estimate = run_cli(*common, "--estimate")
    online = re.search(r"cost: \$[\d.]+ expected, \$([\d.]+) at most", estimate.output)
    batch = re.search(r"with --mode batch: \$[\d.]+ expected, \$([\d.]+) at most",
                      estimate.output)
    assert online and batch, estimate.output
    assert Decimal(batch.group(1)) * 2 == Decimal(online.group(1))
    worst = Decimal(batch.group(1)) / 6  # about one request's worst case

    small = run_cli(*common, "--budget", str(worst * Decimal("0.5")))
    assert small.exit_code == 3 and "the budget of $" in small.stderr, small.output
    assert fake.batch_api.batches == {}

    budget = worst * Decimal("2.5")
    result = run_cli(*common, "--budget", str(budget))
    assert result.exit_code == 0, result.output
    sizes = [b["request_counts"]["total"] for b in fake.batch_api.batches.values()]
    assert sum(sizes) == 6 and max(sizes) <= 2 and len(sizes) >= 3
    spent = Decimal(re.search(r"\$([\d.]+) at the batch price", result.stderr).group(1))
    assert spent <= budget
    assert fake.requests == []


def test_ctrl_c_while_waiting_cancels_nothing(job_file, run_cli, fake, api_key, tmp_path):
    """SIGINT to a real `pipeline run --mode batch` process while it polls: it exits 3 with a
    message (no traceback), its batch keeps running, and the next run collects it."""
    job = job_file(BATCH.replace("0.01", "0.2"), csv=ROWS)
    fake.batch_api.polls_per_state = 1000
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(job), "-q"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 60
    while not fake.batch_api.batches and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 3, stderr
    assert "nothing was cancelled" in stderr and "Traceback" not in stderr
    assert not [p for m, p in fake.batch_api.calls if p.endswith("/cancel")]
    fake.batch_api.polls_per_state = 1
    assert run_cli("run", job, "-q").exit_code == 0
    assert [m for m, p in fake.batch_api.calls if p == "/v1/batches"] == ["POST"]
