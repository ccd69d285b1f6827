"""Concurrency found from latency for servers that state no limits: it settles near what the
server serves at once, and a server that serves one request at a time is not flooded."""

from __future__ import annotations

import statistics

import pytest
from fake_openai import completion_body
from test_structured import read_rows

from pipeline.send.adaptive import AdaptiveConcurrency


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def settle(throughput, answers: int = 3000, work: float = 100.0) -> list[int]:
    """Drive the limit against a simulated server whose answers per second at a given number
    in flight is `throughput(in_flight)`; returns the limit at each answer."""
    clock = Clock()
    adaptive = AdaptiveConcurrency(clock=clock)
    seen = []
    for _ in range(answers):
        clock.now += 1 / throughput(adaptive.limit)
        adaptive.observe(work)
        seen.append(adaptive.limit)
    return seen


def slots(n: int):
    """A server that serves n at once and queues the rest (llama.cpp's server with -np n)."""
    return lambda in_flight: min(in_flight, n)


@pytest.mark.parametrize("n", [1, 4, 16])
def test_the_limit_settles_at_the_servers_slots(n):
    """Almost every answer of the second half is served at the server's slots; trials of a
    neighbour are rare (each that loses doubles the wait before the next)."""
    tail = settle(slots(n))[1500:]
    assert statistics.median(tail) == n, tail
    assert sum(x != n for x in tail) <= 0.1 * len(tail), tail


def test_a_server_that_slows_down_with_company_stays_at_one():
    """llama-cpp-python's server: every request added lowers the rows per minute
    (bench/RESULTS.md); one in flight is best, and nearly every answer is served at one."""
    tail = settle(lambda in_flight: 1 / (1 + 0.4 * (in_flight - 1)), answers=600)[100:]
    assert statistics.median(tail) == 1
    assert sum(x != 1 for x in tail) <= 0.1 * len(tail), tail


def test_a_server_that_batches_everything_keeps_the_limit_growing():
    """vLLM-like: throughput grows with every request in flight; slow start doubles."""
    assert settle(lambda in_flight: in_flight, answers=600)[-1] >= 64


def test_a_server_that_gains_less_and_less_settles_where_the_extra_earns_half():
    """Throughput grows as the square root of in flight (a GPU batch that slows per token): a
    step up earns under half its share from the start, so the limit stays low instead of
    filling the server's memory for a few percent more."""
    tail = settle(lambda in_flight: in_flight ** 0.5, answers=2000)[1000:]
    assert statistics.median(tail) <= 2


def test_answers_that_grow_longer_are_not_taken_for_a_slower_server():
    """Halfway through, every answer is twice as long and takes twice as long (later rows of a
    job): throughput in tokens is the same, and a four-slot server stays at four."""
    clock = Clock()
    adaptive = AdaptiveConcurrency(clock=clock)
    seen = []
    for answer in range(3000):
        longer = 2.0 if answer >= 1500 else 1.0
        clock.now += longer / min(adaptive.limit, 4)
        adaptive.observe(100 * longer)
        seen.append(adaptive.limit)
    assert statistics.median(seen[2000:]) == 4


def test_the_answers_of_the_first_requests_are_not_counted():
    """Four go out before the first answer (as for every server): their answers come back
    slowly from a one-slot server and must not be taken as the throughput at one."""
    clock = Clock()
    adaptive = AdaptiveConcurrency(clock=clock)
    for _ in range(4):
        clock.now += 1
        adaptive.observe(100)
    assert adaptive.windows == []


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
    assert "found by trying" in result.output, result.output
    assert all(r["status"] == "ok" and r["attempts"] == "1"
               for r in read_rows(tmp_path / "outputs/out.csv"))
    # The first four go out together (before any answer, as for every server); from then on
    # about one waits in line behind the one being served (a fixed 8 would keep 7 waiting).
    steady = fake.waiting_log[8:]
    assert max(steady) <= 2 and statistics.mean(steady) <= 1.2, fake.waiting_log
