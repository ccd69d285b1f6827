"""One asyncio loop that answers every request at the rate limit: admission, retries, pricing.

Admission is a single gate: a concurrency slot, then the rate limiter (requests and tokens per
minute). Every attempt passes it, retries included, so a retry waits its backoff and then takes
its turn with new work instead of queueing for the end. A 429 pauses the whole gate for the
server's stated wait. The SDK does not retry; this module holds the only retry policy. Each
attempt holds a Ticket, and one place (Admission.settle) gives back its slot, budget reservation
and limiter charge whatever the outcome. When a failure moves a request to another target
instead is the Route's to say (send/fallbacks.py); this module knows no fallback rule.

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


class Ticket:
    """One attempt's hold on the gate: what Admission.settle gives back when it is over.

    Admitted, it holds a slot, `worst` dollars of the budget and `charge` tokens of the
    limiter. Its outcome sets the rest: how long it was out (None: never sent, or cut short),
    the tokens the limiter keeps (0 until it goes out; a 429 consumed nothing; the server's count
    for an answer) and what it cost (None: nothing)."""

    __slots__ = ("admitted", "charge", "cost", "sent_for_s", "used", "worst")

    def __init__(self, charge: int, worst: Decimal):
        self.charge = charge
        self.worst = worst
        self.admitted = False
        self.sent_for_s: float | None = None
        self.used = 0
        self.cost: Decimal | None = None


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
        self._queue: list[tuple[int, int, asyncio.Future[None], Ticket]] = []
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

    async def enter(self, ticket: Ticket, *, retry: bool = False) -> None:
        """Wait for a slot, the budget and the limiter to send the ticket's charge. When the
        run is stopping the ticket is not admitted: it holds a slot only to give it back."""
        if self._gate is None:
            self._gate = asyncio.create_task(self._run_gate())
        granted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._queue, (self.RETRY if retry else self.NEW, next(self._order),
                                     granted, ticket))
        self._wake.set()
        try:
            await granted
        except asyncio.CancelledError:
            if granted.done() and not granted.cancelled():
                self.settle(ticket)  # let through just as we were cancelled: give it back
            raise

    def settle(self, ticket: Ticket) -> None:
        """An attempt is over, however it ended: the one place that gives back its slot,
        replaces its budget reservation by what it cost and corrects its limiter charge to the
        tokens it used (Runner._attempt fills these in; a ticket not admitted held a slot only).
        """
        self.leave(ticket.sent_for_s)
        if ticket.admitted:
            self.budget.settle(ticket.worst, ticket.cost)
            self.limiter.settle(ticket.charge, ticket.used)

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
            _, _, granted, ticket = heapq.heappop(self._queue)
            if granted.done():  # its waiter was cancelled
                continue
            self.in_flight += 1
            if not self.stopping and not self.budget.try_reserve(ticket.worst):
                self._on_budget_spent()
            if self.stopping:  # let waiters through to give up, charging nothing
                granted.set_result(None)
                continue
            charge = ticket.charge
            self.mean_charge += (charge - self.mean_charge) * (0.05 if self.mean_charge else 1)
            try:
                await self.limiter.acquire(charge)
            except BaseException:
                self.in_flight -= 1
                self.budget.settle(ticket.worst, None)
                raise
            ticket.admitted = True
            if granted.done():  # its waiter was cancelled while the limiter held it
                self.settle(ticket)
                continue
            granted.set_result(None)

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


class Route:
    """Where a request goes when this target cannot take it: nowhere, for a runner on its own
    (every method says None: the row fails, or the run stops). With fallbacks, the runner of
    each target holds send/fallbacks.py's MoveOn instead, which answers with the TargetUnusable
    that moves the request to the next target."""

    def closed(self) -> TargetUnusable | None:
        """Before each attempt: the target is down, so the request moves on unsent."""
        return None

    def rate_limited(self, err: RateLimited, wait_s: float) -> TargetUnusable | None:
        """A 429 asking to wait `wait_s` (else the gate pauses, or the run stops past the
        server-wait cap)."""
        return None

    def looks_down(self, reason: str) -> TargetUnusable | None:
        """The outage rule says the endpoint is down (else the run stops)."""
        return None

    def ended(self, err: ProviderError, note: str, *, stopped: bool) -> TargetUnusable | None:
        """The request's last failure, `note` its words (else the row fails, or the run stops
        on a FatalForRun). `stopped`: the run is stopping, so the failure may be that."""
        return None


STAY = Route()


class Tries:
    """One request's attempts so far, as the retry policy counts them: sent, rate-limited,
    time since the first; and the last one's latency for the result."""

    __slots__ = ("follow_up", "latency_ms", "policy", "rate_limited", "sent", "started")

    def __init__(self, policy: RetryPolicy, follow_up: bool):
        self.policy = policy
        self.follow_up = follow_up  # a later step or a correction: admitted ahead of new rows
        self.started = time.monotonic()
        self.sent = 0
        self.rate_limited = 0
        self.latency_ms: int | None = None

    def give_up(self, state: RetryCallState | None = None) -> bool:
        """Out of time, of attempts, or of 429s (tenacity's `stop`)."""
        if time.monotonic() - self.started >= self.policy.max_total_s:
            return True
        return (self.sent - self.rate_limited >= self.policy.max_attempts
                or self.rate_limited >= self.policy.max_rate_limited)

    def wait_after(self, exc: BaseException | None) -> float:
        """The backoff before the next attempt; none after a 429 (the limiter holds everyone
        for the server's wait)."""
        if isinstance(exc, RateLimited):
            return 0.0
        return self.policy.backoff(self.sent - self.rate_limited)

    def wait(self, state: RetryCallState) -> float:
        """tenacity's `wait`."""
        return self.wait_after(state.outcome.exception() if state.outcome else None)


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
        #: What a failure that another target may not have does: nothing, alone; with
        #: fallbacks, send/fallbacks.py's MoveOn moves the request to the next target.
        self.route: Route = STAY
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
        stopped), or moved to the next target (TargetUnusable raised, with fallbacks). A
        follow-up (a later step of a chain, a correction) is admitted ahead of new rows, as
        retries are: work already started finishes first."""
        tries = Tries(self.policy, follow_up)
        try:
            try:  # the first attempt, the usual case, without tenacity's machinery
                return await self._attempt(request, tries)
            except Retryable as first:
                if tries.give_up():
                    raise
                await self._sleep(tries.wait_after(first))
            retrying = AsyncRetrying(retry=retry_if_exception_type(Retryable),
                                     stop=tries.give_up, wait=tries.wait, sleep=self._sleep,
                                     reraise=True)
            async for attempt in retrying:
                with attempt:
                    return await self._attempt(request, tries)
            raise AssertionError("unreachable: tenacity returns or raises")  # pragma: no cover
        except ProviderError as err:
            return self._unanswered(request, tries, err)

    async def _attempt(self, request: Request, tries: Tries) -> Result:
        """One attempt through the gate: the answer, or its failure raised. Admitted, its ticket
        is settled in the `finally` below whatever happens: answered, failed, rate-limited, not
        sent (the run stopped or the target went down while it waited), cancelled."""
        if self.stop_reason is not None:
            raise self._not_sent()
        if (moved := self.route.closed()) is not None:
            raise moved
        ticket = Ticket(self.charge(request), self.budget.worst_case(request))
        await self.admission.enter(ticket, retry=tries.follow_up or tries.sent > 0)
        try:
            if not ticket.admitted or self.stop_reason is not None:
                raise self._not_sent()
            if (moved := self.route.closed()) is not None:  # went down while this waited
                raise moved
            tries.sent += 1
            ticket.used = ticket.charge  # it goes out: the limiter keeps its charge
            started = time.monotonic()
            try:
                completion = await self.provider.complete(request, timeout=self.timeout)
            except Exception as exc:
                ticket.sent_for_s = time.monotonic() - started
                tries.latency_ms = round(ticket.sent_for_s * 1000)
                raise self._failed(exc, ticket, tries) from None
            ticket.sent_for_s = time.monotonic() - started
            tries.latency_ms = round(ticket.sent_for_s * 1000)
            return self._answered(request, completion, ticket, tries)
        finally:
            self.admission.settle(ticket)

    def _failed(self, exc: Exception, ticket: Ticket, tries: Tries) -> ProviderError:
        """A failed attempt, counted: the error to raise. A 429 consumed nothing and pauses the
        gate for the server's wait (or ends the request when the wait is too long); failures
        that say the endpoint is down stop the run. The route may move the request on instead.
        """
        err = self.provider.classify(exc)
        if err.rate_headers:
            self._learn(err.rate_headers)
        if isinstance(err, RateLimited):
            ticket.used = 0
            wait = err.wait_s if err.wait_s is not None else self.policy.backoff(1)
            cap = self.policy.server_wait_cap_s
            if (moved := self.route.rate_limited(err, wait)) is not None:
                err = moved
            elif wait > cap:
                err = FatalForRun(
                    f"{err} (the server asks to wait {wait:.0f}s, more than the {cap:.0f}s "
                    "we wait inside a run: run again later)",
                    status_code=err.status_code, request_id=err.request_id)
            else:
                self.limiter.pause(wait)
                tries.rate_limited += 1
        self.retry_reasons[_reason(err)] += 1
        if (down := self.outage.failed(err)) is not None:
            if (moved := self.route.looks_down(down)) is not None:
                return moved
            self.stop(down)
        return err

    def _answered(self, request: Request, completion: Completion, ticket: Ticket,
                  tries: Tries) -> Result:
        """An answer: its limits adopted, its usage (counted here when the server sent none)
        and its price, which the ticket settles in place of the worst case reserved."""
        self.outage.answered()
        self._learn(completion.rate_headers)
        usage = completion.usage
        if usage.estimated:  # the server sent no usage: our own counts, marked as such
            usage = Usage(request.prompt_tokens,
                          self._counter(request.model).text(completion.text), estimated=True)
        self.admission.served(usage)
        ticket.used = usage.prompt_tokens + (request.completion_cap or usage.completion_tokens)
        if request.completion_cap is None:
            self._completion_estimate += (usage.completion_tokens
                                          - self._completion_estimate) * 0.1
        cost = self.pricer.cost(completion.model, usage)
        if usage.cached_tokens and cost is not None:  # what the cached rate saved
            full = self.pricer.cost(completion.model, replace(usage, cached_tokens=0))
            self.cache_saved += (full or cost) - cost
        ticket.cost = cost if cost is not None else ticket.worst
        return Result(
            row_id=request.row_id, fingerprint=request.fingerprint, status="ok",
            output=completion.text, usage=usage,
            cost_usd=cost,
            model=completion.model, finish_reason=completion.finish_reason,
            latency_ms=tries.latency_ms, attempts=tries.sent, refusal=completion.refusal,
        )

    def _unanswered(self, request: Request, tries: Tries, err: ProviderError) -> Result:
        """The request's last failure: moved to the next target when the route says so; else
        a FatalForRun stops the run (the row skipped, sent again next run), a Retryable the
        policy gave up on fails the row as transient, any other fails it."""
        if isinstance(err, Deferred):  # set aside for a batch: not sent, not an attempt
            return self._ended(request, "skipped", 0, None, str(err))
        gave_up = isinstance(err, Retryable)
        note = f"gave up after {tries.sent} attempt(s): {err}" if gave_up else str(err)
        moved = self.route.ended(err, note, stopped=self.stop_reason is not None)
        if moved is not None:
            raise moved from None
        if isinstance(err, FatalForRun):
            self.stop(note)
            return self._ended(request, "skipped", tries.sent, tries.latency_ms, note)
        return self._ended(request, "failed", tries.sent, tries.latency_ms, note,
                           transient=gave_up)

    def _counter(self, model: str) -> TokenCounter:
        if model not in self._counters:
            self._counters[model] = TokenCounter(model)
        return self._counters[model]

    def _learn(self, headers: Mapping[str, str]) -> None:
        """Adopt limits a response states; wake waiters when the concurrency cap may grow."""
        first = not self.admission.seen_response
        self.admission.seen_response = True
        before = self.limiter.limits
        if headers:
            self.limiter.learn(headers)
        if first or self.limiter.limits != before:
            self.admission.changed()

    @staticmethod
    def _ended(request: Request, status: str, attempts: int, latency_ms: int | None,
               error: str, *, transient: bool = False) -> Result:
        return Result(row_id=request.row_id, fingerprint=request.fingerprint,
                      status=status,  # type: ignore[arg-type]
                      attempts=attempts, latency_ms=latency_ms, error=error,
                      transient=transient)
