"""provider = "anthropic" in batch mode: Anthropic's Message Batches through the real CLI and the
official `anthropic` SDK, against the loopback stand-in (fake_message_batches.py). The same
outcomes as OpenAI's batches (test_batch_mode.py): half the online price, cron runs that
collect without submitting twice, expired and failed lines resubmitted, a batch created by a
process killed before journaling it adopted, nothing paid twice. Costs come from the locked
genai-prices, never written down here."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections import Counter
from decimal import Decimal

import pytest
from conftest import ANTHROPIC_TEST_KEY, TEST_KEY
from genai_prices import Usage as PriceUsage
from genai_prices import calc_price
from test_anthropic import CLAUDE, GUIDE, claude_job, list_price, read_csv
from test_batch_files import ROWS

anthropic = pytest.importorskip("anthropic", reason="needs the [anthropic] extra")

BATCH = """
    mode = "batch"
    batch_poll_s = 0.01
    """
#: 50 rows: one failed line is 2%.
FIFTY = "product_id,name,category,unit_price,Unit Note\n" + "".join(
    f"{i},Item {i},Cat {i % 3},{i}.50,box\n" for i in range(1, 51))


def batch_price(usage: dict) -> Decimal:
    """What genai-prices (the locked version) says a Message Batches answer costs."""
    read, written = usage["cache_read_input_tokens"], usage["cache_creation_input_tokens"]
    price = calc_price(PriceUsage(input_tokens=usage["input_tokens"] + read + written,
                                  output_tokens=usage["output_tokens"],
                                  cache_read_tokens=read or None,
                                  cache_write_tokens=written or None),
                       CLAUDE, provider_id="anthropic", price_context={"processing": "batch"})
    return Decimal(price.total_price)


def creates(claude) -> int:
    return [(m, p) for m, p in claude.batch_api.calls].count(("POST", "/v1/messages/batches"))


def succeeded(claude) -> list[str]:
    """The custom_id of every request a batch answered (what Anthropic billed)."""
    return [custom_id for custom_id, kind in claude.batch_api.answered if kind == "succeeded"]


def test_a_batch_round_trip_costs_half_of_online(write, run_cli, claude, anthropic_key,
                                                 tmp_path):
    """Eight rows through one Message Batch: nothing sent online, every row ok with the
    tokens Anthropic reported, each cost the batch price, exactly half the same rows online."""
    job = claude_job(write, claude, BATCH, rows=ROWS)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output + result.stderr
    assert claude.requests == []  # nothing went to /v1/messages
    assert creates(claude) == 1
    (batch,) = claude.batch_api.batches.values()
    params = {r["custom_id"]: r["params"] for r in batch["_requests"]}
    assert len(params) == 8
    # Each request is exactly what the Messages API gets online for it.
    assert all(set(p) == {"model", "max_tokens", "system", "messages"} for p in params.values())
    assert set(claude.batch_api.keys) == {ANTHROPIC_TEST_KEY}
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert len(rows) == 8 and {r["status"] for r in rows} == {"ok"}
    results = [json.loads(x) for x in batch["_results"].splitlines()]
    by_text = {x["result"]["message"]["content"][0]["text"]: x["result"]["message"]
               for x in results}
    for row in rows:
        message = by_text[row["output"]]  # results come in any order: matched by custom_id
        assert int(row["completion_tokens"]) == message["usage"]["output_tokens"]
        assert Decimal(row["cost_usd"]) == batch_price(message["usage"]) > 0
    batch_cost = sum(Decimal(r["cost_usd"]) for r in rows)
    assert f"(8 answer(s), 0 failed line(s)), ${batch_cost:.6f} at the batch price" \
        in result.stderr

    online = claude_job(write, claude, rows=ROWS)
    online_run = run_cli("run", online, "-q", "--journal", tmp_path / "online.sqlite")
    assert online_run.exit_code == 0, online_run.output
    online_rows = read_csv(tmp_path / "outputs/out.csv")
    assert {r["status"] for r in online_rows} == {"ok"} and len(claude.requests) == 8
    assert batch_cost * 2 == sum(Decimal(r["cost_usd"]) for r in online_rows) == sum(
        list_price(CLAUDE, m["usage"]) for m in claude.messages)


def test_a_structured_job_asks_through_the_forced_tool_and_corrects_in_the_next_batch(
        write, run_cli, claude, anthropic_key, tmp_path):
    """Fields come through the forced tool; an answer that fails its check (a 200-character
    meta description) goes back, with the problem stated, in the next batch."""
    def reply(request):
        first_user = request.body["messages"][0]["content"]
        name = re.search(r"Describe (.+?) \(", first_user).group(1)
        first = len(request.body["messages"]) == 1
        meta = ("x" * 200) if first and name == "Chang" else f"Buy {name} today."
        return claude.message(request, tool_input={"title": f"{name}, the classic",
                                                   "meta_description": meta})
    claude.completion = reply
    job = claude_job(write, claude, BATCH + """
        fields = ["title", "meta_description"]
        [checks.meta_description]
        max_chars = 155
        """)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output + result.stderr
    first, second = sorted(claude.batch_api.batches.values(), key=lambda b: b["_created"])
    assert len(first["_requests"]) == 3 and len(second["_requests"]) == 1
    for request in first["_requests"]:
        assert request["params"]["tool_choice"] == {"type": "tool", "name": "answer"}
    said = second["_requests"][0]["params"]["messages"]
    assert [m["role"] for m in said] == ["user", "assistant", "user"] and "155" in said[2][
        "content"]
    rows = {r["name"]: r for r in read_csv(tmp_path / "outputs/out.csv")}
    assert {r["status"] for r in rows.values()} == {"ok"}
    assert rows["Chang"]["meta_description"] == "Buy Chang today."


def test_a_shared_system_prompt_is_cached_within_the_batch(write, run_cli, claude,
                                                           anthropic_key, tmp_path):
    """The long system prompt every row shares is marked from its second request on; the
    batch reads it from the cache, and the rows are priced at the cache's batch rates."""
    shared = ("{% block system %}" + GUIDE + "{% endblock %}"
              "{% block user %}Describe {{ name }} ({{ category }}).{% endblock %}")
    result = run_cli("run", claude_job(write, claude, BATCH, template=shared, rows=ROWS), "-q")
    assert result.exit_code == 0, result.output + result.stderr
    (batch,) = claude.batch_api.batches.values()
    marks = [r["params"]["system"][-1].get("cache_control") for r in batch["_requests"]]
    assert marks == [None] + [{"type": "ephemeral"}] * 7
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert sum(int(r["cached_tokens"]) for r in rows) > 6 * 1000
    messages = [json.loads(x)["result"]["message"] for x in batch["_results"].splitlines()]
    assert sum(Decimal(r["cost_usd"]) for r in rows) == sum(
        batch_price(m["usage"]) for m in messages)


def test_cron_runs_collect_without_submitting_twice(write, run_cli, claude, anthropic_key,
                                                    tmp_path):
    claude.batch_api.polls_per_state = 3
    job = claude_job(write, claude, BATCH, rows=ROWS)
    first = run_cli("run", job, "-q", "--no-wait")
    assert first.exit_code == 0 and "batches are running" in first.stderr
    assert not (tmp_path / "outputs/out.csv").exists()
    for _ in range(3):
        assert run_cli("run", job, "-q", "--no-wait").exit_code == 0
    assert creates(claude) == 1
    assert {r["status"] for r in read_csv(tmp_path / "outputs/out.csv")} == {"ok"}
    listing = run_cli("batches", job).output
    assert "msgbatch_" in listing and "ended" in listing and "8/8" in listing


def test_an_expired_batch_and_two_percent_failed_lines_are_resubmitted(
        write, run_cli, claude, anthropic_key, tmp_path):
    """Fifty rows: the batch's 24 hours run out with 30 answered, one of them errored (2%):
    the next batch carries exactly the 21 without an answer; every row ends ok; no request
    is answered twice."""
    api = claude.batch_api
    api.end_as, api.partial = "expired", 30
    job = claude_job(write, claude, BATCH, rows=FIFTY)
    original = api._create

    def fail_one(raw: bytes):  # the first request of the first batch errors once
        body = json.loads(raw)
        if not api.batches:
            api.fail = {body["requests"][0]["custom_id"]: 1}
        return original(raw)

    api._create = fail_one
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output + result.stderr
    first, second = sorted(api.batches.values(), key=lambda b: b["_created"])
    assert first["request_counts"] == {"processing": 0, "succeeded": 29, "errored": 1,
                                       "canceled": 0, "expired": 20}
    assert len(second["_requests"]) == 21
    assert len(succeeded(claude)) == 50 == len(set(succeeded(claude)))
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert len(rows) == 50 and {r["status"] for r in rows} == {"ok"}


def test_a_batch_created_by_a_run_killed_before_journaling_it_is_adopted(
        write, run_cli, claude, anthropic_key, tmp_path):
    """A real `pipeline run --mode batch` is killed (SIGKILL) the moment Anthropic has created
    its batch, before the reply reaches it: the journal holds the requests' key, no batch id.
    Anthropic's batches carry no metadata: another client then creates 120 batches, 30 of
    them with as many requests. The next run finds its own (the first created since its key,
    with as many requests) and collects it: one batch for its 8 requests, each answered
    once, every row ok."""
    job = claude_job(write, claude, BATCH, rows=ROWS)
    api = claude.batch_api
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(job), "-q"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def kill(_batch: dict) -> None:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    api.on_create = kill
    assert proc.wait(timeout=60) == -signal.SIGKILL, proc.stderr.read()
    api.on_create = None
    (ours,) = api.batches.values()
    listing = run_cli("batches", job).output
    assert "requests-" in listing and "uploaded" in listing  # no batch id journaled

    other = anthropic.Anthropic(base_url=claude.base_url, api_key=anthropic_key)
    for n in range(120):
        size = 8 if n % 4 == 0 else 3
        other.messages.batches.create(requests=[
            {"custom_id": f"other-{n}-{i}", "params": {
                "model": CLAUDE, "max_tokens": 20,
                "messages": [{"role": "user", "content": f"other {n} {i}"}]}}
            for i in range(size)])

    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output + result.stderr
    assert creates(claude) == 121  # ours once, and the other client's
    assert ours["processing_status"] == "ended"
    assert f"batch {ours['id']} (created for requests requests-" in result.stderr
    mine = [c for c in succeeded(claude) if not c.startswith("other-")]
    assert len(mine) == 8 == len(set(mine))  # none bought twice
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert len(rows) == 8 and {r["status"] for r in rows} == {"ok"}


def test_a_batch_whose_creation_reply_is_lost_is_not_created_again(write, run_cli, claude,
                                                                   anthropic_key, tmp_path):
    claude.batch_api.lose_create_reply = 1
    result = run_cli("run", claude_job(write, claude, BATCH, rows=ROWS), "-q")
    assert result.exit_code == 0, result.output + result.stderr
    assert creates(claude) == 1 and len(claude.batch_api.batches) == 1
    assert len(succeeded(claude)) == 8 == len(set(succeeded(claude)))
    assert {r["status"] for r in read_csv(tmp_path / "outputs/out.csv")} == {"ok"}


def test_a_failed_create_leaves_nothing_running_and_the_next_run_submits_once(
        write, run_cli, claude, anthropic_key, tmp_path):
    """Anthropic answers every create with a 500 until the run gives up (exit 3): no batch
    exists; the next run finds none for its key, and submits the requests once."""
    claude.batch_api.fail_create = 99
    job = claude_job(write, claude, BATCH, rows=ROWS)
    first = run_cli("run", job, "-q")
    assert first.exit_code == 3, first.output + first.stderr
    assert claude.batch_api.batches == {}
    assert ANTHROPIC_TEST_KEY not in first.output + first.stderr
    claude.batch_api.fail_create = 0
    second = run_cli("run", job, "-q")
    assert second.exit_code == 0, second.output + second.stderr
    assert len(claude.batch_api.batches) == 1
    assert {r["status"] for r in read_csv(tmp_path / "outputs/out.csv")} == {"ok"}


def test_a_cancelled_batch_is_collected_and_its_unanswered_requests_go_again(
        write, run_cli, claude, anthropic_key, tmp_path):
    """`pipeline batches JOB --cancel` cancels the running batch at Anthropic; the next run
    collects what it answered before the cancellation took and submits the rest once."""
    api = claude.batch_api
    api.polls_per_state = 1000
    job = claude_job(write, claude, BATCH, rows=ROWS)
    assert run_cli("run", job, "-q", "--no-wait").exit_code == 0
    cancel = run_cli("batches", job, "--cancel")
    assert cancel.exit_code == 0 and "canceling" in cancel.stderr
    (first,) = api.batches.values()
    assert first["processing_status"] == "canceling"
    api.polls_per_state, api.partial = 1, 3
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output + result.stderr
    # Three were processed before the cancellation took; the five canceled go again.
    assert (first["request_counts"]["succeeded"], first["request_counts"]["canceled"]) == (3, 5)
    assert creates(claude) == 2
    second = next(b for b in api.batches.values() if b is not first)
    assert len(second["_requests"]) == 5
    assert len(succeeded(claude)) == 8 == len(set(succeeded(claude)))
    assert Counter(r["status"] for r in read_csv(tmp_path / "outputs/out.csv")) == {"ok": 8}


def test_batch_files_are_openais_and_refused_for_an_anthropic_job(write, run_cli, claude,
                                                                  anthropic_key, tmp_path):
    job = claude_job(write, claude, rows=ROWS)
    result = run_cli("run", job, "--batch-files", tmp_path / "b")
    assert result.exit_code == 2
    assert "OpenAI's Batch API files" in result.stderr and "--mode batch" in result.stderr
    assert not (tmp_path / "b").exists() or not list((tmp_path / "b").iterdir())
    assert claude.batch_api.calls == []


def test_the_key_is_in_no_journal_output_or_listing(write, run_cli, claude, anthropic_key,
                                                    tmp_path):
    job = claude_job(write, claude, BATCH, rows=ROWS)
    result = run_cli("run", job)
    assert result.exit_code == 0
    listing = run_cli("batches", job)
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.suffix != ".toml":
            assert ANTHROPIC_TEST_KEY.encode() not in path.read_bytes(), path
    assert ANTHROPIC_TEST_KEY not in result.output + result.stderr + listing.output


def test_a_claude_judge_of_an_openai_job_batches_at_anthropic_with_anthropics_key(
        write, run_cli, fake, claude, api_key, anthropic_key, monkeypatch, tmp_path):
    """Teams pick a model per task: the writer's requests go in OpenAI batches with the OpenAI
    key, the Claude judge's in Message Batches with Anthropic's; each key reaches only its
    own provider, every row is written and rated, each batch priced at its own batch price."""
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", claude.base_url)
    path = claude_job(write, claude, BATCH + '[judge]\nmodel = "claude-haiku-4-5"\n')
    path.write_text(path.read_text().replace('provider = "anthropic"', "").replace(
        f'model = "{CLAUDE}"', 'model = "gpt-4o-mini"', 1).replace(
        f'base_url = "{claude.base_url}"', ""))
    result = run_cli("run", path, "-q")
    assert result.exit_code == 0, result.output + result.stderr
    assert fake.requests == [] and claude.requests == []  # nothing online
    assert len(fake.batch_api.batches) == 1 and creates(claude) == 1
    assert set(fake.batch_api.keys) == {f"Bearer {TEST_KEY}"}
    assert set(claude.batch_api.keys) == {ANTHROPIC_TEST_KEY}
    (judged,) = claude.batch_api.batches.values()
    assert all(r["params"]["tool_choice"] == {"type": "tool", "name": "answer"}
               for r in judged["_requests"]) and len(judged["_requests"]) == 3
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert {r["status"] for r in rows} == {"ok"} and len(rows) == 3
    assert "judge: 3 answer(s) rated" in result.stderr


def estimate(run_cli, job) -> tuple[Decimal, Decimal]:
    """`pipeline estimate`'s worst cases: online, and with --mode batch."""
    out = run_cli("estimate", job).output
    online = re.search(r"^cost: \$([\d.]+) expected, \$([\d.]+) at most", out, re.M)
    batch = re.search(r"^cost with --mode batch: \$([\d.]+) expected, \$([\d.]+) at most",
                      out, re.M)
    assert online and batch, out
    return Decimal(online.group(2)), Decimal(batch.group(2))


def test_the_estimate_prices_message_batches_at_half(write, run_cli, claude, anthropic_key):
    job = claude_job(write, claude, "[params]\nmax_tokens = 50\n", rows=ROWS)
    online, batch = estimate(run_cli, job)
    assert batch * 2 == online > 0
    assert claude.requests == [] and claude.batch_api.calls == []


def test_a_budget_caps_what_goes_into_message_batches(write, run_cli, claude, anthropic_key,
                                                     tmp_path):
    """--budget reserves each request's worst case at Anthropic's batch prices before its
    batch is created: with room for about five of eight, some go, the rest are not sent, the
    run stops (exit 3) within the budget; a larger budget finishes the job, nothing twice."""
    job = claude_job(write, claude, BATCH + "[params]\nmax_tokens = 200\n", rows=ROWS)
    _online, worst_of_all = estimate(run_cli, job)
    budget = (worst_of_all * Decimal("5.5") / 8).quantize(Decimal("0.0000001"))
    result = run_cli("run", job, "-q", "--budget", str(budget))
    assert result.exit_code == 3, result.output + result.stderr
    assert f"the budget of ${budget}" in result.stderr
    (first,) = claude.batch_api.batches.values()
    assert 4 <= len(first["_requests"]) <= 6
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert sum(Decimal(r["cost_usd"] or 0) for r in rows) <= budget
    result = run_cli("run", job, "-q", "--budget", "1")
    assert result.exit_code == 0, result.output + result.stderr
    assert creates(claude) == 2
    assert len(succeeded(claude)) == 8 == len(set(succeeded(claude)))
    assert {r["status"] for r in read_csv(tmp_path / "outputs/out.csv")} == {"ok"}
