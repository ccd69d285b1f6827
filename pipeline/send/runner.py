"""One asyncio loop that answers every request at the rate limit: admission, retries, pricing.

Admission is a single gate: a concurrency slot, then the rate limiter (requests and tokens per
minute). Every attempt passes it, retries included, so a retry waits its backoff and then takes
its turn with new work instead of queueing for the end. A 429 pauses the whole gate for the
server's stated wait. The SDK does not retry; this module holds the only retry policy.

Unless the job fixes `concurrency`, the number of requests in flight is derived from the limit
and the latency observed (in flight = rate x latency, doubled for headroom), so concurrency is
never what holds a run below its rate limit. A server that states no limits gets a number found
from its throughput instead (adaptive.py), so one that serves a request at a time is not flooded.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import math
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TypeVar

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type

from .. import defaults
from ..errors import (
    Deferred,
    FatalForRow,
    FatalForRun,
    ProviderError,
    RateLimited,
    Retryable,
    TargetUnusable,
)
from ..pricing import Pricer
from ..records import Completion, Request, Result, Usage
from ..tokens import TokenCounter
from .adaptive import AdaptiveConcurrency
from .budget import Budget
from .limits import RateLimiter
from .providers import Provider

Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """How hard one row tries: attempts, total time, backoff envelope, server-wait cap."""

    max_attempts: int = defaults.MAX_ATTEMPTS
    max_rate_limited: int = defaults.MAX_RATE_LIMITED_ATTEMPTS
    max_total_s: float = defaults.MAX_RETRY_TOTAL_S
    initial_s: float = defaults.RETRY_INITIAL_S
    max_backoff_s: float = defaults.RETRY_MAX_S
    server_wait_cap_s: float = defaults.SERVER_WAIT_CAP_S

    def backoff(self, attempt: int) -> float:
        """Exponential from initial_s, doubling to max_backoff_s, minus up to 25% jitter."""
        base = min(self.initial_s * 2 ** (attempt - 1), self.max_backoff_s)
        return base * (1 - 0.25 * random.random())


DEFAULT_RETRY_POLICY = RetryPolicy()


class Admission:
    """The one gate every attempt passes: a concurrency slot, then the rate limiter.

    Waiters are admitted one at a time, retries and follow-ups before new rows (a retry has
    already waited its backoff; a follow-up finishes a row already started), each in arrival
    order. One task runs the gate, so the limiter never sees a
    crowd and a freed slot always goes to the most deserving waiter.
    """

    RETRY, NEW = 0, 1

    def __init__(self, limiter: RateLimiter, *, fixed: int | None, budget: Budget,
                 on_budget_spent: Callable[[], None]):
        self.limiter = limiter
        self.budget = budget
        self._on_budget_spent = on_budget_spent
        self.fixed = fixed
        self.in_flight = 0
        self.latency_s = defaults.INITIAL_LATENCY_S
        self.adaptive = AdaptiveConcurrency()
        self.mean_charge = 0.0
        self.seen_response = False
        self.stopping = False
        self._queue: list[tuple[int, int, asyncio.Future[bool], int, Decimal]] = []
        self._order = itertools.count()
        self._wake = asyncio.Event()
        self._gate: asyncio.Task[None] | None = None

    def cap(self) -> int:
        """Requests allowed in flight now."""
        if self.fixed is not None:
            return self.fixed
        rate = self._request_rate()
        if rate is None:  # a server that states no limits: found from its latency
            return self.adaptive.limit if self.seen_response else defaults.CAUTIOUS_CONCURRENCY
        wanted = math.ceil(rate * self.latency_s * defaults.CONCURRENCY_HEADROOM)
        return max(defaults.CAUTIOUS_CONCURRENCY,
                   min(defaults.MAX_CONCURRENCY, wanted + defaults.CONCURRENCY_SPARE))

    def _request_rate(self) -> float | None:
        rates = []
        if self.limiter.requests_per_second is not None:
            rates.append(self.limiter.requests_per_second)
        if self.limiter.tokens_per_second is not None and self.mean_charge > 0:
            rates.append(self.limiter.tokens_per_second / self.mean_charge)
        return min(rates) if rates else None

    async def enter(self, charge: int, worst_usd: Decimal, *, retry: bool = False) -> bool:
        """Wait for a slot, the budget and the limiter to send `charge` tokens. False: the run
        is stopping and the caller holds a slot only to give it back (nothing was reserved)."""
        if self._gate is None:
            self._gate = asyncio.create_task(self._run_gate())
        granted: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._queue, (self.RETRY if retry else self.NEW, next(self._order),
                                     granted, charge, worst_usd))
        self._wake.set()
        try:
            return await granted
        except asyncio.CancelledError:
            if granted.done() and not granted.cancelled():
                self.leave(None)  # admitted just as we were cancelled: give the slot back
                if granted.result():
                    self.budget.settle(worst_usd, None)
                    self.limiter.settle(charge, 0)
            raise

    def leave(self, duration_s: float | None) -> None:
        """A request is over (duration None: it never went out)."""
        if duration_s is not None:
            self.latency_s += (duration_s - self.latency_s) * 0.05
        self.in_flight -= 1
        self._wake.set()

    def served(self, usage: Usage) -> None:
        """An answer came back with these tokens: for a server that states no limits, the work
        done (answers of different lengths compare) feeds the adaptive limit's throughput."""
        if self.fixed is None and self._request_rate() is None:
            self.adaptive.observe(usage.completion_tokens + defaults.ADAPTIVE_PROMPT_WEIGHT
                                  * usage.prompt_tokens + 1)
            self._wake.set()

    def changed(self) -> None:
        """Re-check the cap (new limits learned)."""
        self._wake.set()

    async def _run_gate(self) -> None:
        while True:
            while not self._queue or self.in_flight >= self.cap():
                self._wake.clear()
                await self._wake.wait()
            _, _, granted, charge, worst = heapq.heappop(self._queue)
            if granted.done():  # its waiter was cancelled
                continue
            self.in_flight += 1
            if not self.stopping and not self.budget.try_reserve(worst):
                self._on_budget_spent()
            if self.stopping:  # let waiters through to give up, charging nothing
                granted.set_result(False)
                continue
            self.mean_charge += (charge - self.mean_charge) * (0.05 if self.mean_charge else 1)
            try:
                await self.limiter.acquire(charge)
            except BaseException:
                self.in_flight -= 1
                self.budget.settle(worst, None)
                raise
            if granted.done():
                self.in_flight -= 1
                self.budget.settle(worst, None)
                self.limiter.settle(charge, 0)
                continue
            granted.set_result(True)

    async def close(self) -> None:
        if self._gate is not None:
            self._gate.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._gate


def _reason(err: ProviderError) -> str:
    """A failed attempt's kind, for counting: the status or the words before any detail."""
    if isinstance(err, RateLimited):
        return "HTTP 429 rate limited"
    if err.status_code is not None:
        return f"HTTP {err.status_code}"
    return str(err).split(" (", 1)[0].split(":", 1)[0][:80]


class OutageWatch:
    """Tells an endpoint that is down from one that has a bad moment.

    Counts attempts that failed for the endpoint's own reasons (refused, DNS, TLS, timeouts,
    5xx) with no answer in between; past `failures` of them, when nothing was answered yet or
    the last answer is `quiet_s` old, the run should stop (exit 3) rather than fail every row."""

    def __init__(self, *, failures: int = defaults.OUTAGE_FAILURES_IN_A_ROW,
                 quiet_s: float = defaults.OUTAGE_QUIET_S):
        self.failures = failures
        self.quiet_s = quiet_s
        self.in_a_row = 0
        self.last_answer: float | None = None

    def answered(self) -> None:
        self.in_a_row = 0
        self.last_answer = time.monotonic()

    def failed(self, err: ProviderError) -> str | None:
        """Count a failed attempt; the reason to stop when the endpoint looks down."""
        if not (isinstance(err, Retryable) and err.outage):
            return None
        self.in_a_row += 1
        if self.in_a_row < self.failures:
            return None
        if self.last_answer is not None and time.monotonic() - self.last_answer < self.quiet_s:
            return None
        since = ("none answered in this run" if self.last_answer is None else
                 f"none answered for {time.monotonic() - self.last_answer:.0f}s")
        return (f"cannot reach the endpoint: {err}; {self.in_a_row} attempts in a row failed, "
                f"{since}. Nothing more was sent: run again to continue (rows it failed are "
                "sent again then, at no extra cost)")


class Runner:
    """Runs requests against one provider and reports each finished row through `on_result`."""

    def __init__(self, provider: Provider, pricer: Pricer, *, limiter: RateLimiter,
                 concurrency: int | None, timeout: float, budget: Budget | None = None,
                 policy: RetryPolicy = DEFAULT_RETRY_POLICY, sleep: Sleep = asyncio.sleep):
        self.provider = provider
        self.pricer = pricer
        self.limiter = limiter
        self.budget = budget or Budget()
        self.admission = Admission(limiter, fixed=concurrency, budget=self.budget,
                                   on_budget_spent=self._budget_spent)
        self.timeout = timeout
        self.policy = policy
        self._sleep = sleep
        self.stop_reason: str | None = None
        self.outage = OutageWatch()
        #: Failed attempts by what went wrong, for the run log.
        self.retry_reasons: Counter[str] = Counter()
        #: What prompt tokens billed at the cached rate saved against the full input price.
        self.cache_saved = Decimal(0)
        #: Set with fallbacks (send/fallbacks.py): raise TargetUnusable instead of stopping the run
        #: or failing a row for reasons another target may not have; a 429 asking to wait
        #: longer than this moves the row on.
        self.fallback_after_s: float | None = None
        #: How long a target that looked down waits before it is tried again.
        self.cool_down_s = defaults.FALLBACK_COOL_DOWN_S
        #: Set while this target is down (send/fallbacks.py): every new attempt moves on at once.
        self.unusable: TargetUnusable | None = None
        #: Called when this runner stops (fallbacks.py stops the other targets' runners too).
        self.on_stop: Callable[[str], None] | None = None
        self._completion_estimate = float(defaults.COMPLETION_ESTIMATE_TOKENS)
        self._live = 0
        self._live_changed = asyncio.Event()
        self._counters: dict[str, TokenCounter] = {}

    async def run(self, items: Iterable[T], handle: Callable[[T], Awaitable[None]]
                  ) -> str | None:
        """Handle every item (a row; `handle` calls `answer` for each of its requests) or stop
        early; returns why it stopped early, else None.

        Items are taken only as room frees up, so a long input is streamed."""
        tasks: set[asyncio.Task[None]] = set()
        try:
            for item in items:
                while self._live >= self.admission.cap() + defaults.WAITING_ROWS:
                    self._live_changed.clear()
                    await self._live_changed.wait()
                if self.stop_reason is not None:
                    break
                self._live += 1
                task = asyncio.create_task(self._item(handle, item))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            while tasks:
                await asyncio.gather(*list(tasks))
        finally:
            for task in list(tasks):
                task.cancel()
            await self.admission.close()
        return self.stop_reason

    def _not_sent(self) -> FatalForRun:
        return FatalForRun(f"not sent: the run stopped ({self.stop_reason})")

    def _budget_spent(self) -> None:
        self.stop(f"budget reached: the next request's worst case no longer fits in the "
                  f"${self.budget.limit} budget (raise --budget to continue)")

    def stop(self, reason: str) -> None:
        """Admit nothing more; requests already in flight still finish and are reported."""
        if self.stop_reason is None:
            self.stop_reason = reason
            self.admission.stopping = True
            self.admission.changed()
            if self.on_stop is not None:
                self.on_stop(reason)

    async def _item(self, handle: Callable[[T], Awaitable[None]], item: T) -> None:
        try:
            await handle(item)
        finally:
            self._live -= 1
            self._live_changed.set()

    def charge(self, request: Request) -> int:
        """Tokens the limiter reserves: the prompt plus the worst (or expected) completion."""
        completion = request.completion_cap or self._completion_estimate
        return request.prompt_tokens + math.ceil(completion)

    async def answer(self, request: Request, *, follow_up: bool = False) -> Result:
        """One request: retried as the policy allows, ending ok, failed, or skipped (run
        stopped). A follow-up (a later step of a chain, a correction) is admitted ahead of new
        rows, as retries are: work already started finishes first."""
        attempts = rate_limited = 0
        latency_ms: int | None = None
        started_row = time.monotonic()

        def give_up(state: RetryCallState | None) -> bool:
            if time.monotonic() - started_row >= self.policy.max_total_s:
                return True
            return (attempts - rate_limited >= self.policy.max_attempts
                    or rate_limited >= self.policy.max_rate_limited)

        def wait_after(exc: BaseException | None) -> float:
            if isinstance(exc, RateLimited):
                return 0.0  # the limiter holds everyone for the server's wait
            return self.policy.backoff(attempts - rate_limited)

        def wait(state: RetryCallState) -> float:
            return wait_after(state.outcome.exception() if state.outcome else None)

        async def attempt_once() -> tuple[Completion, int, Decimal]:
            """One attempt: the completion, the tokens it reserved, its worst-case cost."""
            nonlocal attempts, rate_limited, latency_ms
            if self.stop_reason is not None:
                raise self._not_sent()
            if self.unusable is not None:
                raise TargetUnusable(str(self.unusable))
            charge = self.charge(request)
            worst = self.budget.worst_case(request)
            admitted = await self.admission.enter(charge, worst,
                                                  retry=follow_up or attempts > 0)
            if not admitted or self.stop_reason is not None or self.unusable:
                self.admission.leave(None)
                if admitted:
                    self.budget.settle(worst, None)
                    self.limiter.settle(charge, 0)
                if admitted and self.stop_reason is None and self.unusable:
                    # The target went down while this waited its turn: move on.
                    raise TargetUnusable(str(self.unusable))
                raise self._not_sent()
            attempts += 1
            started = time.monotonic()
            duration: float | None = None
            try:
                completion = await self.provider.complete(request, timeout=self.timeout)
                duration = time.monotonic() - started
            except Exception as exc:
                duration = time.monotonic() - started
                self.budget.settle(worst, None)  # a failed request is not billed
                err = await self._failed_attempt(exc, charge)
                if isinstance(err, RateLimited):
                    rate_limited += 1
                self.retry_reasons[_reason(err)] += 1
                if (down := self.outage.failed(err)) is not None:
                    if self.fallback_after_s is not None:
                        raise TargetUnusable(down, cool_down_s=self.cool_down_s
                                             ) from None
                    self.stop(down)
                raise err from None
            finally:
                latency_ms = round((time.monotonic() - started) * 1000)
                self.admission.leave(duration)
            return completion, charge, worst

        try:
            try:  # the first attempt, the usual case, without tenacity's machinery
                completion, charge, worst = await attempt_once()
            except Retryable as first:
                if give_up(None):
                    raise
                await self._sleep(wait_after(first))
                retrying = AsyncRetrying(retry=retry_if_exception_type(Retryable), stop=give_up,
                                         wait=wait, sleep=self._sleep, reraise=True)
                async for attempt in retrying:
                    with attempt:
                        completion, charge, worst = await attempt_once()
        except Deferred as exc:  # set aside for a batch: not sent, not an attempt
            return self._ended(request, "skipped", 0, None, str(exc))
        except FatalForRun as exc:
            if self.fallback_after_s is not None and self.stop_reason is None:
                raise exc if isinstance(exc, TargetUnusable) else TargetUnusable(
                    str(exc), status_code=exc.status_code) from None
            self.stop(str(exc))
            return self._ended(request, "skipped", attempts, latency_ms, str(exc))
        except FatalForRow as exc:
            if self.fallback_after_s is not None and exc.code == "context_length_exceeded":
                raise TargetUnusable(str(exc), whole_target=False) from None
            return self._ended(request, "failed", attempts, latency_ms, str(exc))
        except Retryable as exc:  # the request itself may be fine: the next run sends it
            note = f"gave up after {attempts} attempt(s): {exc}"
            if self.fallback_after_s is not None:  # or the next target, now
                raise TargetUnusable(note, whole_target=False) from None
            return self._ended(request, "failed", attempts, latency_ms, note, transient=True)
        self.outage.answered()
        await self._learn(completion.rate_headers)
        usage = completion.usage
        if usage.estimated:  # the server sent no usage: our own counts, marked as such
            usage = Usage(request.prompt_tokens,
                          self._counter(request.model).text(completion.text), estimated=True)
        self.admission.served(usage)
        self.limiter.settle(charge, usage.prompt_tokens + (
            request.completion_cap or usage.completion_tokens))
        if request.completion_cap is None:
            self._completion_estimate += (usage.completion_tokens
                                          - self._completion_estimate) * 0.1
        cost = self.pricer.cost(completion.model, usage)
        if usage.cached_tokens and cost is not None:  # what the cached rate saved
            full = self.pricer.cost(completion.model, replace(usage, cached_tokens=0))
            self.cache_saved += (full or cost) - cost
        self.budget.settle(worst, cost if cost is not None else worst)
        return Result(
            row_id=request.row_id, fingerprint=request.fingerprint, status="ok",
            output=completion.text, usage=usage,
            cost_usd=cost,
            model=completion.model, finish_reason=completion.finish_reason,
            latency_ms=latency_ms, attempts=attempts, refusal=completion.refusal,
        )

    def _counter(self, model: str) -> TokenCounter:
        if model not in self._counters:
            self._counters[model] = TokenCounter(model)
        return self._counters[model]

    async def _learn(self, headers: Mapping[str, str]) -> None:
        """Adopt limits a response states; wake waiters when the concurrency cap may grow."""
        first = not self.admission.seen_response
        self.admission.seen_response = True
        before = self.limiter.limits
        if headers:
            self.limiter.learn(headers)
        if first or self.limiter.limits != before:
            self.admission.changed()

    async def _failed_attempt(self, exc: Exception, charge: int) -> ProviderError:
        err = self.provider.classify(exc)
        if err.rate_headers:
            await self._learn(err.rate_headers)
        if isinstance(err, RateLimited):
            self.limiter.settle(charge, 0)  # a rejected request consumed nothing
            wait = err.wait_s if err.wait_s is not None else self.policy.backoff(1)
            if self.fallback_after_s is not None and wait > self.fallback_after_s:
                return TargetUnusable(f"{err} (the server asks to wait {wait:.0f}s)",
                                      cool_down_s=wait, status_code=err.status_code)
            cap = self.policy.server_wait_cap_s
            if wait > cap:
                return FatalForRun(
                    f"{err} (the server asks to wait {wait:.0f}s, more than the {cap:.0f}s "
                    "we wait inside a run: run again later)",
                    status_code=err.status_code, request_id=err.request_id)
            self.limiter.pause(wait)
        return err

    @staticmethod
    def _ended(request: Request, status: str, attempts: int, latency_ms: int | None,
               error: str, *, transient: bool = False) -> Result:
        return Result(row_id=request.row_id, fingerprint=request.fingerprint,
                      status=status,  # type: ignore[arg-type]
                      attempts=attempts, latency_ms=latency_ms, error=error,
                      transient=transient)
