"""Never pay twice, never lose a row: kill -9, Ctrl-C, budget stops, dedup, resume, export."""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from fake_openai import Faults, Reply

ROWS = 60


def many_rows(n: int = ROWS, *, duplicate_every: int = 0) -> str:
    lines = ["product_id,name,category,unit_price,Unit Note"]
    for i in range(1, n + 1):
        name = f"Product {i % duplicate_every}" if duplicate_every else f"Product {i}"
        lines.append(f"{i},{name},Tea,1.50,box")
    return "\n".join(lines) + "\n"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def start(job: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(job), "-q", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ))


def wait_for_requests(fake, count: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(fake.requests) < count and proc.poll() is None:
        assert time.monotonic() < deadline, "the run never got going"
        time.sleep(0.005)


def assert_never_paid_twice(fake, killed_at: list[float]) -> int:
    """Every prompt answered; a second answer only for one in transit at a kill. Returns the
    number of such in-transit repeats."""
    answers: dict[str, list[float]] = {}
    for at, text in fake.answered:
        answers.setdefault(text, []).append(at)
    repeats = 0
    for text, times in answers.items():
        for first in times[:-1]:  # every answer but the last was lost to a kill...
            assert any(first > kill - 0.05 for kill in killed_at if kill >= first - 1), (
                f"{text!r} was answered at {first:.3f} and bought again after a rerun")
            repeats += 1
    return repeats


@pytest.fixture
def slow_job(job_file, fake, api_key):
    fake.enforce(None, Faults(latency=0.05, jitter=0.02))
    return job_file(csv=many_rows())


def test_kill_9_at_random_points_then_rerun_buys_each_answer_once(slow_job, fake, tmp_path):
    rng = random.Random(int(os.environ.get("CRASH_SEED", "20261125")))
    killed_at: list[float] = []
    for _round in range(10):
        done_before = len({t for _, t in fake.answered})
        if done_before >= ROWS:
            break
        proc = start(slow_job)
        wait_for_requests(fake, len(fake.requests) + rng.randint(1, 12), proc)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed_at.append(time.monotonic())
        proc.wait(timeout=60)
    final = start(slow_job)
    _, err = final.communicate(timeout=120)
    assert final.returncode == 0, err
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert len(rows) == ROWS and {r["status"] for r in rows} == {"ok"}
    assert {r["name"] for r in rows} == {f"Product {i}" for i in range(1, ROWS + 1)}
    assert len(killed_at) >= 3
    repeats = assert_never_paid_twice(fake, killed_at)
    assert repeats <= 4 * len(killed_at)  # at most the requests in flight at each kill
    assert len({t for _, t in fake.answered}) == ROWS


def test_ctrl_c_finishes_in_flight_and_a_rerun_completes(slow_job, fake, tmp_path):
    proc = start(slow_job)
    wait_for_requests(fake, 10, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 3, err
    assert "stopping: finishing the requests in flight" in err
    assert "to continue, run the same command again" in err
    rows = read_rows(tmp_path / "outputs/out.csv")
    done = [r for r in rows if r["status"] == "ok"]
    assert 10 <= len(done) < ROWS
    assert {r["status"] for r in rows} == {"ok", "skipped"}
    assert len(fake.answered) == len(done)  # everything answered was kept

    rerun = start(slow_job)
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert Counter(t for _, t in fake.answered).most_common(1)[0][1] == 1  # nothing twice
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert {r["status"] for r in rows} == {"ok"}
    assert sum(r["cached"] == "yes" for r in rows) == len(done)
    assert f"{len(done)} of them reused without a call" in err


def test_ctrl_c_twice_abandons_requests_in_flight(slow_job, fake, tmp_path):
    fake.enforce(None, Faults(latency=0.5))
    proc = start(slow_job)
    wait_for_requests(fake, 4, proc)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 3, err
    assert "abandoned the requests in flight" in err
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert len(rows) == ROWS
    assert sum(r["status"] == "skipped" for r in rows) >= ROWS - 4


def test_budget_stops_before_spending_more_and_a_bigger_budget_finishes(
        job_file, write, run_cli, fake, api_key, tmp_path):
    job = job_file(csv=many_rows(30))
    result = run_cli("run", job, "-q", "--max-tokens", "80", "--budget", "0.0002")
    assert result.exit_code == 3, result.output
    assert "budget reached" in result.stderr
    rows = read_rows(tmp_path / "outputs/out.csv")
    spent = sum(Decimal(r["cost_usd"]) for r in rows if r["cost_usd"])
    assert 0 < spent <= Decimal("0.0002")
    # Answered: ok, or flagged (a long echo cut off at max_tokens): both paid for and kept.
    first = sum(r["status"] in ("ok", "flagged") for r in rows)
    assert 0 < first < 30
    assert len(fake.requests) == first  # nothing was sent that was not paid for and kept

    result = run_cli("run", job, "-q", "--max-tokens", "80", "--budget", "1")
    rows = read_rows(tmp_path / "outputs/out.csv")
    flagged = sum(r["status"] == "flagged" for r in rows)
    assert result.exit_code == (1 if flagged else 0), result.output
    assert {r["status"] for r in rows} <= {"ok", "flagged"}
    assert len(fake.requests) == 30  # the second run sent only the rest


def test_a_budget_needs_a_completion_cap_and_a_price(job_file, run_cli, fake, api_key):
    result = run_cli("run", job_file(), "-q", "--budget", "1")
    assert result.exit_code == 2
    assert "a budget needs params.max_tokens" in result.stderr
    result = run_cli("run", job_file(), "-q", "--budget", "1", "--max-tokens", "9",
                     "--model", "my-own-model")
    assert result.exit_code == 2
    assert "a budget needs a price for 'my-own-model'" in result.stderr
    assert len(fake.requests) == 0


def test_duplicate_rows_are_sent_once_and_marked_cached(job_file, write, run_cli, fake, api_key,
                                                       tmp_path):
    job = job_file(csv=many_rows(12, duplicate_every=4))  # 4 distinct prompts, 3 times each
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    assert len(fake.requests) == 4
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert [r["status"] for r in rows] == ["ok"] * 12
    paid = [r for r in rows if r["cached"] == "no"]
    assert len(paid) == 4 and all(Decimal(r["cost_usd"]) > 0 for r in paid)
    assert all(r["cost_usd"] == "0" for r in rows if r["cached"] == "yes")
    by_name = {}
    for r in rows:
        by_name.setdefault(r["name"], set()).add(r["output"])
    assert all(len(outputs) == 1 for outputs in by_name.values())
    assert "8 repeated request(s) in this input" in result.stderr


def test_failed_rows_wait_for_retry_failed_and_refresh_calls_again(job_file, run_cli, fake,
                                                                   api_key, tmp_path):
    job = job_file()
    fake.on("Chang", Reply.error(400, "bad"))
    assert run_cli("run", job, "-q").exit_code == 1
    assert run_cli("run", job, "-q").exit_code == 1  # failed rows are not retried unasked
    assert len(fake.requests) == 3
    assert run_cli("run", job, "-q", "--retry-failed").exit_code == 0
    assert len(fake.requests) == 4 and fake.count("Chang") == 2
    assert run_cli("run", job, "-q", "--refresh").exit_code == 0
    assert len(fake.requests) == 7


def test_export_rewrites_the_output_in_any_format_without_a_call(job_file, run_cli, fake,
                                                                 api_key, tmp_path,
                                                                 monkeypatch):
    job = job_file()
    assert run_cli("run", job, "-q").exit_code == 0
    monkeypatch.delenv("OPENAI_API_KEY")
    sent = len(fake.requests)
    result = run_cli("export", job, "--output", tmp_path / "outputs/again.json")
    assert result.exit_code == 0, result.output
    assert len(fake.requests) == sent
    original = read_rows(tmp_path / "outputs/out.csv")
    again = json.loads((tmp_path / "outputs/again.json").read_text(), parse_float=Decimal)
    assert [r["output"] for r in again] == [r["output"] for r in original]
    assert [r["cost_usd"] for r in again] == [Decimal(r["cost_usd"]) for r in original]
    assert [r["cached"] for r in again] == [False] * 3


def test_export_anywhere_reads_the_jobs_journal(job_file, run_cli, fake, api_key, tmp_path,
                                               monkeypatch):
    """-o only says where to write: an export into the current directory or another folder
    (a reviewer's desktop) reads the journal beside the job's own output, writes nothing
    there and makes no call. It failed with 'no journal at reviewed.csv's folder'."""
    job = job_file()
    assert run_cli("run", job, "-q").exit_code == 0
    before = sorted(p.name for p in (tmp_path / "outputs").iterdir())
    monkeypatch.delenv("OPENAI_API_KEY")
    sent = len(fake.requests)
    desktop = tmp_path / "home/Desktop"
    desktop.mkdir(parents=True)
    for target in (Path("reviewed.csv"), desktop / "review.xlsx", desktop / "rows.jsonl"):
        result = run_cli("export", job, "-o", target)
        assert result.exit_code == 0, result.output
        assert target.exists()
    assert len(fake.requests) == sent
    assert sorted(p.name for p in (tmp_path / "outputs").iterdir()) == before
    assert [r["output"] for r in read_rows(tmp_path / "reviewed.csv")] == \
        [r["output"] for r in read_rows(tmp_path / "outputs/out.csv")]
    assert list(desktop.glob("*.sqlite")) == [] and list(tmp_path.glob("*.sqlite")) == []
    rows = [json.loads(line) for line in (desktop / "rows.jsonl").read_text().splitlines()]
    assert [r["product_id"] for r in rows] == ["1", "2", "3"]


def test_export_names_the_jobs_journal_when_there_is_none(job_file, run_cli, tmp_path):
    result = run_cli("export", job_file(), "-o", "reviewed.csv")
    assert result.exit_code == 2
    assert f"no journal at {tmp_path / 'outputs/describe.journal.sqlite'}: run the job first" \
        in result.output
    assert not Path("reviewed.csv").exists()


def test_estimate_is_offline_and_lands_within_5_percent(job_file, write, run_cli, fake,
                                                       tmp_path, monkeypatch):
    job = job_file("""
        [params]
        max_tokens = 12
        """, csv=many_rows(60))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0000000000")
    # A trial. Answers cut off at max_tokens 12 are flagged (exit 1) but paid for as usual.
    assert run_cli("run", job, "-q", "--limit", "10").exit_code in (0, 1)
    trial_requests = len(fake.requests)
    monkeypatch.delenv("OPENAI_API_KEY")  # the estimate needs no key and makes no call
    result = run_cli("estimate", job)
    assert result.exit_code == 0, result.output
    assert len(fake.requests) == trial_requests
    lines = dict(line.split(": ", 1) for line in result.output.splitlines())
    assert lines["requests to send"] == "50"
    assert lines["rows"].startswith("60 (0 duplicate(s) in the input, 10 already answered")
    expected = Decimal(lines["cost"].split()[0].lstrip("$"))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0000000000")
    assert run_cli("run", job, "-q").exit_code in (0, 1)
    rows = read_rows(tmp_path / "outputs/out.csv")
    actual = sum(Decimal(r["cost_usd"]) for r in rows if r["cached"] == "no")
    assert abs(expected - actual) / actual < Decimal("0.05")


def test_estimate_says_when_token_counts_are_approximate(job_file, run_cli, fake):
    exact = run_cli("estimate", job_file())
    assert "prompt tokens: " in exact.output and "(exact)" in exact.output
    other = run_cli("estimate", job_file(), "--model", "llama3.1:8b", "--set",
                    "prices.input=0.1", "--set", "prices.output=0.2")
    assert other.exit_code == 0, other.output
    assert "(approximate: this model's tokenizer is not known" in other.output
    assert len(fake.requests) == 0


def test_a_quota_stop_resumes_where_it_stopped(job_file, run_cli, fake, api_key, tmp_path):
    job = job_file()
    fake.on("Chang", Reply.error(429, "You exceeded your current quota",
                                 code="insufficient_quota", type_="insufficient_quota"))
    assert run_cli("run", job, "-q", "--concurrency", "1").exit_code == 3
    assert fake.count("Chai") == 1 and fake.count("Aniseed") == 0
    result = run_cli("run", job, "-q")  # credit added: run the same command again
    assert result.exit_code == 0, result.output
    assert [fake.count(n) for n in ("Chai", "Chang", "Aniseed")] == [1, 2, 1]
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert [(r["status"], r["cached"]) for r in rows] == [("ok", "yes"), ("ok", "no"),
                                                          ("ok", "no")]
