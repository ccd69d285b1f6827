"""A run against a server that enforces rate limits: paced, paused on 429, limits learned."""

from __future__ import annotations

import csv

from conftest import max_in_window
from fake_openai import Faults, Reply, ServerLimits

from pipeline import defaults

ROWS = 60


def many_rows(write, n: int = ROWS) -> None:
    lines = ["product_id,name,category,unit_price,Unit Note"]
    lines += [f"{i},Product {i},Tea,{i}.50,box of {i}" for i in range(1, n + 1)]
    write("data/products.csv", "\n".join(lines) + "\n")


def statuses(path) -> dict[str, int]:
    counts: dict[str, int] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            counts[row["status"]] = counts.get(row["status"], 0) + 1
    return counts




def test_learned_limits_pace_the_run_without_429s(job_file, write, run_cli, fake, api_key,
                                                  tmp_path):
    job = job_file()
    many_rows(write)
    fake.enforce(ServerLimits(rpm=1200, tpm=1_000_000, per_second=True))  # 20 per second
    result = run_cli("run", job, "-q", "-v")
    assert result.exit_code == 0, result.output
    assert statuses(tmp_path / "outputs/out.csv") == {"ok": ROWS}
    arrivals = [r.at for r in fake.requests]
    assert len(arrivals) == ROWS  # no 429 retries: the limit was learned and held
    # The cautious start, then at most the limit plus the limiter's burst (half a second's
    # worth, defaults.RATE_BURST_S) in any second; once steady, the limit itself.
    burst = 20 * defaults.RATE_BURST_S
    assert max_in_window(arrivals, 1.0) <= 20 + burst + defaults.CAUTIOUS_CONCURRENCY
    steady = sorted(arrivals)[len(arrivals) // 3:]
    assert max_in_window(steady, 1.0) <= 21
    assert "rate limits: 1,200 requests/min, 1,000,000 tokens/min (learned from the server)" \
        in result.stderr


def test_job_limits_are_a_ceiling_under_learned_ones(job_file, write, run_cli, fake, api_key):
    job = job_file()
    many_rows(write, 30)
    fake.enforce(ServerLimits(rpm=6000, tpm=1_000_000))
    result = run_cli("run", job, "-q", "-v", "--set", "rpm=600")
    assert result.exit_code == 0, result.output
    arrivals = sorted(r.at for r in fake.requests)
    assert (arrivals[-1] - arrivals[0]) >= (30 - 1 - 5) / 10  # at most 10/s after the burst
    assert "rate limits: 600 requests/min" in result.stderr


def test_a_429_pauses_every_worker_for_the_stated_time(job_file, write, run_cli, fake, api_key):
    job = job_file()
    many_rows(write, 20)
    fake.on("Product 3 (", Reply.error(429, "Rate limit reached for requests",
                                     code="rate_limit_exceeded",
                                     headers={"retry-after-ms": "700"}))
    result = run_cli("run", job, "-q", "--concurrency", "4")
    assert result.exit_code == 0, result.output
    rejected = next(r for r in fake.requests if "Product 3 (" in r.user_text)
    answered_at = rejected.at  # the 429 went back at once (no latency)
    later = [r.at for r in fake.requests if r.at > answered_at + 0.05]
    assert later, "the run must go on after the pause"
    assert min(later) - answered_at >= 0.65  # nobody was sent during the stated wait
    assert fake.count("Product 3 (") == 2


def test_rate_limit_429_does_not_use_up_the_rows_attempts(job_file, write, run_cli, fake,
                                                          api_key, tmp_path):
    job = job_file()
    fake.on("Chang", *[Reply.error(429, "Rate limit reached", code="rate_limit_exceeded",
                                   headers={"retry-after-ms": "10"})] * 5)
    result = run_cli("run", job, "-q", "--max-attempts", "2")
    assert result.exit_code == 0, result.output
    with (tmp_path / "outputs/out.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["name"]: r for r in csv.DictReader(fh)}
    assert (rows["Chang"]["status"], rows["Chang"]["attempts"]) == ("ok", "6")


def test_a_wait_longer_than_the_cap_stops_the_run_resumably(job_file, run_cli, fake, api_key,
                                                            tmp_path):
    fake.on("Chai", Reply.error(429, "Rate limit reached", code="rate_limit_exceeded",
                                headers={"retry-after": "3600"}))
    result = run_cli("run", job_file(), "-q", "--concurrency", "1")
    assert result.exit_code == 3
    assert "asks to wait 3600s" in result.stderr
    assert statuses(tmp_path / "outputs/out.csv") == {"skipped": 3}


def test_retries_interleave_with_new_rows_instead_of_waiting_for_the_end(
        job_file, write, run_cli, fake, api_key):
    job = job_file()
    many_rows(write, 40)
    fake.enforce(None, Faults(latency=0.05))  # 40 rows at 2 in flight: about a second
    fake.on("Product 3 (", Reply.error(500, "boom", type_="server_error"))
    fake.on("Product 5 (", Reply(body=b"not json"))
    result = run_cli("run", job, "-q", "--concurrency", "2")
    assert result.exit_code == 0, result.output
    order = [r.user_text.split(" (")[0].removeprefix("Describe ") for r in fake.requests]
    assert order.count("Product 3") == 2 and order.count("Product 5") == 2
    second_try = [i for i, name in enumerate(order) if name == "Product 3"][1]
    assert second_try < order.index("Product 30")  # retried after its backoff, mid-run
