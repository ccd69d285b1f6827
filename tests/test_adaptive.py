"""Concurrency found from latency for servers that state no limits: it settles near what the
server serves at once, and a server that serves one request at a time is not flooded."""

from __future__ import annotations

import statistics

import pytest
from fake_openai import completion_body
from test_structured import read_rows

from pipeline.adaptive import AdaptiveConcurrency


def settle(slots: int | None, windows: int = 200, service_s: float = 1.0) -> list[int]:
    """Drive the limit against a simulated server with `slots` (None: unlimited), where a
    request's latency is its service time plus its wait in the server's queue."""
    adaptive = AdaptiveConcurrency()
    seen = []
    for _ in range(windows):
        in_flight = adaptive.limit
        latency = service_s * (1 if slots is None or in_flight <= slots
                               else in_flight / slots)
        for _ in range(max(in_flight, 4)):
            adaptive.observe(latency)
        seen.append(adaptive.limit)
    return seen


@pytest.mark.parametrize(("slots", "low", "high"), [(1, 1, 2), (4, 4, 6), (16, 16, 18)])
def test_the_limit_settles_near_the_servers_slots(slots, low, high):
    """Steady near the slots; one window in ten runs at half the limit (the probe)."""
    tail = settle(slots)[-50:]
    assert low <= statistics.median(tail) and max(tail) <= high, tail
    assert sum(x < low for x in tail) <= 5, tail


def test_a_server_that_batches_everything_keeps_the_limit_growing():
    assert settle(None, windows=30)[-1] >= 64


def test_answers_that_grow_longer_are_not_all_taken_for_queueing():
    """Latency doubles for every request (longer answers later in a job), not with in-flight:
    the limit does not collapse to one."""
    adaptive = AdaptiveConcurrency()
    for window in range(60):
        latency = 1.0 if window < 10 else 2.0
        for _ in range(max(adaptive.limit, 4)):
            adaptive.observe(latency)
    assert adaptive.limit >= 4


def test_a_one_slot_server_is_not_flooded(job_file, run_cli, fake, api_key, write, tmp_path):
    """The loopback server serves one request at a time and sends no rate-limit headers: the
    run keeps about two in flight (the queue inside the server stays short) and every row is
    answered without a timeout."""
    rows = "product_id,name,category,unit_price,Unit Note\n" + "".join(
        f"{i},Item {i},Cat,1,box\n" for i in range(1, 61))
    fake.slots = 1
    fake.service_s = 0.05  # the same work for every answer: twenty words
    fake.completion = lambda request: completion_body(request, "word " * 19 + "word")
    job = job_file(csv=rows).read_text().replace("concurrency = 2\n", "")
    path = write("prompts/serial.toml", job)
    result = run_cli("run", path, "-q")
    assert result.exit_code == 0, result.output
    assert all(r["status"] == "ok" and r["attempts"] == "1"
               for r in read_rows(tmp_path / "outputs/out.csv"))
    # The first four go out together (before any answer, as for every server); from then on
    # about one waits in line behind the one being served (a fixed 8 would keep 7 waiting).
    steady = fake.waiting_log[8:]
    assert max(steady) <= 2 and statistics.mean(steady) <= 1.2, fake.waiting_log
