"""One asyncio loop that answers every request: concurrency, the one retry policy, pricing.

A fixed pool of workers takes requests from one shared iterator, so memory and sockets stay
bounded however long the input is. Each request is retried in place (not queued for the end)
under a tenacity policy: jittered exponential backoff, or the server's stated wait within a cap.
A run-fatal error (auth, quota, unknown model) stops admission; requests in flight finish.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    stop_after_delay,
)

from . import defaults
from .errors import FatalForRow, FatalForRun, ProviderError, RateLimited, Retryable
from .pricing import Pricer
from .providers import Provider
from .records import Request, Result

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """How hard one row tries: attempts, total time, backoff envelope, server-wait cap."""

    max_attempts: int = defaults.MAX_ATTEMPTS
    max_total_s: float = defaults.MAX_RETRY_TOTAL_S
    initial_s: float = defaults.RETRY_INITIAL_S
    max_backoff_s: float = defaults.RETRY_MAX_S
    server_wait_cap_s: float = defaults.SERVER_WAIT_CAP_S

    def backoff(self, attempt: int) -> float:
        """Exponential from initial_s, doubling to max_backoff_s, minus up to 25% jitter."""
        base = min(self.initial_s * 2 ** (attempt - 1), self.max_backoff_s)
        return base * (1 - 0.25 * random.random())

    def wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RateLimited) and exc.wait_s is not None:
            return exc.wait_s
        return self.backoff(state.attempt_number)


DEFAULT_RETRY_POLICY = RetryPolicy()


class Runner:
    """Runs requests against one provider and reports each finished row through `on_result`."""

    def __init__(self, provider: Provider, pricer: Pricer, *, concurrency: int, timeout: float,
                 policy: RetryPolicy = DEFAULT_RETRY_POLICY,
                 on_result: Callable[[Result], None] | None = None,
                 sleep: Sleep = asyncio.sleep):
        self.provider = provider
        self.pricer = pricer
        self.concurrency = concurrency
        self.timeout = timeout
        self.policy = policy
        self.on_result = on_result
        self._sleep = sleep
        self.stop_reason: str | None = None

    async def run(self, requests: Iterable[Request]) -> str | None:
        """Answer every request (or stop early); returns why it stopped early, else None."""
        source = iter(requests)
        workers = [asyncio.create_task(self._worker(source)) for _ in range(self.concurrency)]
        try:
            await asyncio.gather(*workers)
        finally:
            for task in workers:
                task.cancel()
        return self.stop_reason

    def stop(self, reason: str) -> None:
        """Admit nothing more; requests already in flight still finish and are reported."""
        if self.stop_reason is None:
            self.stop_reason = reason

    async def _worker(self, source: Iterator[Request]) -> None:
        for request in source:
            if self.stop_reason is not None:
                return
            result = await self.answer(request)
            if self.on_result is not None:
                self.on_result(result)

    async def answer(self, request: Request) -> Result:
        """One row: retried as the policy allows, ending ok, failed, or skipped (run stopped)."""
        attempts = 0
        latency_ms: int | None = None
        retrying = AsyncRetrying(
            retry=retry_if_exception_type(Retryable),
            stop=stop_after_attempt(self.policy.max_attempts)
            | stop_after_delay(self.policy.max_total_s),
            wait=self.policy.wait,
            sleep=self._sleep,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    if self.stop_reason is not None:
                        raise FatalForRun(f"not sent: the run stopped ({self.stop_reason})")
                    attempts += 1
                    started = time.monotonic()
                    try:
                        completion = await self.provider.complete(request, timeout=self.timeout)
                    except Exception as exc:
                        raise self._classify(exc) from None
                    finally:
                        latency_ms = round((time.monotonic() - started) * 1000)
        except FatalForRun as exc:
            self.stop(str(exc))
            return self._ended(request, "skipped", attempts, latency_ms, str(exc))
        except FatalForRow as exc:
            return self._ended(request, "failed", attempts, latency_ms, str(exc))
        except Retryable as exc:
            note = f"gave up after {attempts} attempt(s): {exc}"
            return self._ended(request, "failed", attempts, latency_ms, note)
        return Result(
            row_id=request.row_id, fingerprint=request.fingerprint, status="ok",
            output=completion.text, usage=completion.usage,
            cost_usd=self.pricer.cost(completion.model, completion.usage),
            model=completion.model, finish_reason=completion.finish_reason,
            latency_ms=latency_ms, attempts=attempts,
        )

    def _classify(self, exc: Exception) -> ProviderError:
        err = self.provider.classify(exc)
        cap = self.policy.server_wait_cap_s
        if isinstance(err, RateLimited) and err.wait_s is not None and err.wait_s > cap:
            return FatalForRun(
                f"{err} (the server asks to wait {err.wait_s:.0f}s, more than the {cap:.0f}s "
                "we wait inside a run: run again later)",
                status_code=err.status_code, request_id=err.request_id)
        return err

    @staticmethod
    def _ended(request: Request, status: str, attempts: int, latency_ms: int | None,
               error: str) -> Result:
        return Result(row_id=request.row_id, fingerprint=request.fingerprint,
                      status=status,  # type: ignore[arg-type]
                      attempts=attempts, latency_ms=latency_ms, error=error)
