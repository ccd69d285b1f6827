"""Whatever an attempt comes to, what it held at the gate is given back: its concurrency slot,
its budget reservation (replaced by what it cost) and its limiter charge (corrected to the
tokens it used). Runners over the official client and the loopback server."""

from __future__ import annotations

import asyncio
import contextlib
from decimal import Decimal

from fake_openai import Reply

from pipeline.errors import FatalForRow, FatalForRun, Retryable, TargetUnusable
from pipeline.pricing import Pricer
from pipeline.records import Request, Result
from pipeline.send.budget import Budget
from pipeline.send.fallbacks import FallbackRunner, MoveOn, Target
from pipeline.send.limits import RateLimiter
from pipeline.send.providers.openai import OpenAIProvider
from pipeline.send.runner import RetryPolicy, Route, Runner

CAP = 50  # max_tokens of every request here
PROMPT = 20  # the prompt tokens we count for every request here
WORST = Decimal("0.01")


class KeptTokens(RateLimiter):
    """A limiter that sums the tokens it keeps: every charge taken, less what settling gave
    back. An answer keeps the tokens the server counted; a failed attempt its whole charge; a
    429 and a request never sent nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.kept = 0

    async def acquire(self, tokens: int) -> None:
        await super().acquire(tokens)
        self.kept += tokens

    def settle(self, charged: int, actual: int) -> None:
        super().settle(charged, actual)
        self.kept -= charged - actual


def request(name: str, model: str = "gpt-4o-mini") -> Request:
    return Request(row_id=name, model=model, fingerprint=f"fp-{name}",
                   messages=[{"role": "user", "content": f"row {name}"}],
                   params={"max_tokens": CAP}, prompt_tokens=PROMPT, completion_cap=CAP)


def runner(fake, budget: Budget, *, concurrency: int | None = 1) -> Runner:
    provider = OpenAIProvider(api_key="sk-test", base_url=fake.base_url)
    return Runner(provider, Pricer(free=True), limiter=KeptTokens(), concurrency=concurrency,
                  timeout=10, budget=budget,
                  policy=RetryPolicy(initial_s=0.01, max_backoff_s=0.01))


def answer_all(routes, names: list[str], *, model: str = "gpt-4o-mini") -> dict[str, Result]:
    results: dict[str, Result] = {}

    async def handle(name: str) -> None:
        results[name] = await routes.answer(request(name, model))

    async def main() -> None:
        try:
            await routes.run(names, handle)
        finally:
            for provider in {t.provider for t in getattr(routes, "targets", [])} or {
                    routes.provider}:
                await provider.aclose()

    asyncio.run(main())
    return results


def test_a_run_with_failures_429s_and_a_stop_gives_back_all_it_held(fake):
    fake.on("row a", Reply.error(500, "boom"))  # then answered
    fake.on("row b", Reply.error(429, "slow down", headers={"retry-after-ms": "10"}))
    fake.on("row c", Reply.error(400, "bad request"))
    fake.on("row d", Reply.error(401, "Incorrect API key provided", code="invalid_api_key"))
    budget = Budget(Decimal("5"), lambda r: WORST)
    run = runner(fake, budget)

    results = answer_all(run, ["a", "b", "c", "d", "e", "f"])

    assert {k: (r.status, r.attempts) for k, r in results.items() if k in "abcd"} == {
        "a": ("ok", 2), "b": ("ok", 2), "c": ("failed", 1), "d": ("skipped", 1)}
    assert all(results[k].status == "skipped" for k in results if k in "ef")
    assert fake.count("row e") == fake.count("row f") == 0  # the run had stopped
    assert budget.reserved == 0
    assert budget.spent == 0  # a free model: every answer settled at its price, not at WORST
    assert run.admission.in_flight == 0
    charge = PROMPT + CAP
    answered = sum(results[k].usage.prompt_tokens + CAP for k in "ab")
    assert run.limiter.kept == answered + charge * 3  # a's 500, c's 400, d's 401


def test_a_request_cancelled_in_flight_gives_back_its_slot_and_reservation(fake):
    fake.on("row slow", Reply(delay=0.5))
    budget = Budget(Decimal("5"), lambda r: WORST)
    run = runner(fake, budget)

    async def main() -> None:
        task = asyncio.create_task(run.answer(request("slow")))
        while not fake.count("row slow"):
            await asyncio.sleep(0.01)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await run.admission.close()
        await run.provider.aclose()

    asyncio.run(main())
    assert budget.reserved == 0
    assert budget.spent == 0  # not counted as spent: nothing came back to price
    assert run.admission.in_flight == 0
    assert run.limiter.kept == PROMPT + CAP  # it went out: the limiter keeps its charge


def test_moving_to_fallbacks_gives_back_what_each_target_held(fake):
    def reply(recorded) -> Reply | None:
        if recorded.body["model"] == "gpt-4o-mini":  # the primary asks to wait 2 minutes
            return Reply.error(429, "Rate limit reached", headers={"retry-after": "120"},
                               code="rate_limit_exceeded")
        if "row long" in recorded.user_text:
            return Reply.error(400, "too long", code="context_length_exceeded")
        return None

    fake.per_request = reply
    budget = Budget(Decimal("5"), lambda r: WORST)
    primary, fallback = runner(fake, budget), runner(fake, budget)
    targets = [Target("primary", "gpt-4o-mini", primary.provider, primary.pricer, primary,
                      primary.limiter),
               Target("fallback", "gpt-4.1-mini", fallback.provider, fallback.pricer,
                      fallback, fallback.limiter)]
    routes = FallbackRunner(targets, after_s=30, cool_down_s=60)

    results = answer_all(routes, ["a", "long", "b", "c"])

    assert {k: (r.status, r.target) for k, r in results.items()} == {
        "a": ("ok", "fallback"), "long": ("failed", None), "b": ("ok", "fallback"),
        "c": ("ok", "fallback")}
    assert fake.count("row") - fake.count("row long") == 4  # one 429 on the primary, then none
    assert budget.reserved == 0
    assert primary.admission.in_flight == fallback.admission.in_flight == 0
    assert primary.limiter.kept == 0  # its one request was a 429
    answered = sum(results[k].usage.prompt_tokens + CAP for k in "abc")
    assert fallback.limiter.kept == answered + PROMPT + CAP  # and the 400 for row long


def test_alone_no_failure_moves_on_and_with_fallbacks_the_rule_says_which_do():
    alone, fallback = Route(), MoveOn(after_s=30, cool_down_s=60)
    fatal = FatalForRun("HTTP 401", status_code=401)
    too_long = FatalForRow("HTTP 400", code="context_length_exceeded")
    bad = FatalForRow("HTTP 400")
    flaky = Retryable("HTTP 500", status_code=500)
    for err in (fatal, too_long, bad, flaky):
        assert alone.ended(err, str(err), stopped=False) is None
    assert alone.closed() is None and alone.looks_down("down") is None

    moved = fallback.ended(fatal, "HTTP 401", stopped=False)
    assert isinstance(moved, TargetUnusable) and moved.whole_target and moved.cool_down_s is None
    assert fallback.ended(fatal, "not sent", stopped=True) is None  # the run is stopping
    assert not fallback.ended(too_long, "too long", stopped=False).whole_target
    assert fallback.ended(bad, "bad", stopped=False) is None  # the row's own fault
    gave_up = fallback.ended(flaky, "gave up after 6 attempt(s): HTTP 500", stopped=False)
    assert not gave_up.whole_target and str(gave_up).startswith("gave up")
    assert fallback.looks_down("down").cool_down_s == 60
    assert fallback.closed() is None
    fallback.down = TargetUnusable("quota spent")
    assert str(fallback.closed()) == "quota spent"
