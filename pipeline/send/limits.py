"""Rate limits: requests and tokens per minute, held exactly, learned from the server.

OpenAI enforces its per-minute limits as continuously refilled buckets, and may enforce them
over shorter windows too, so we pace requests at the limit rather than bursting a minute's quota.
"""

from __future__ import annotations

import asyncio
import math
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from .. import defaults

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float | None:
    """OpenAI's reset durations ('20ms', '1s', '6m0s', '1h2m3.5s') in seconds, else None."""
    text = text.strip()
    if not text:
        return None
    pos, total = 0, 0.0
    for match in _DURATION_PART.finditer(text):
        if match.start() != pos:
            return None
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos = match.end()
    if pos != len(text):
        try:
            return _finite_non_negative(float(text))
        except ValueError:
            return None
    return total


def _finite_non_negative(value: float) -> float | None:
    return value if math.isfinite(value) and value >= 0 else None


def server_wait_seconds(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """The wait a 429 asks for: retry-after-ms, then retry-after (seconds or an HTTP date),
    then the longer of the x-ratelimit-reset-* durations. None when nothing usable is given."""
    lower = {k.lower(): v for k, v in headers.items()}
    if "retry-after-ms" in lower:
        try:
            wait = _finite_non_negative(float(lower["retry-after-ms"]) / 1000)
            if wait is not None:
                return wait
        except ValueError:
            pass
    if "retry-after" in lower:
        raw = lower["retry-after"].strip()
        try:
            wait = _finite_non_negative(float(raw))
            if wait is not None:
                return wait
        except ValueError:
            try:
                when = parsedate_to_datetime(raw).timestamp()
                return max(0.0, when - (time.time() if now is None else now))
            except (TypeError, ValueError, IndexError, OverflowError):
                pass
    resets = [parse_duration(lower[k]) for k in ("x-ratelimit-reset-requests",
                                                  "x-ratelimit-reset-tokens") if k in lower]
    known = [r for r in resets if r is not None]
    return max(known) if known else None


RATE_HEADER_PREFIX = "x-ratelimit-"


def rate_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Only the headers the limiter learns from (x-ratelimit-*), lower-cased."""
    return {k.lower(): v for k, v in headers.items() if k.lower().startswith(RATE_HEADER_PREFIX)}


def _non_negative(text: str | None) -> float | None:
    """A header's number when it is one, finite and >= 0; else None (garbage is ignored)."""
    if text is None:
        return None
    try:
        return _finite_non_negative(float(text))
    except ValueError:
        return None


def _positive_number(text: str | None) -> float | None:
    value = _non_negative(text)
    return value if value else None


@dataclass(frozen=True, kw_only=True)
class RateLimits:
    """Requests and tokens per minute. None means no limit is known (or none applies)."""

    rpm: float | None = None
    tpm: float | None = None

    def __post_init__(self) -> None:
        for name in ("rpm", "tpm"):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a positive number, not {value!r}")

    @property
    def known(self) -> bool:
        return self.rpm is not None or self.tpm is not None

    def within(self, ceiling: RateLimits) -> RateLimits:
        """These limits, never above the ceiling's (the job's limits cap learned ones)."""
        return RateLimits(rpm=_lowest(self.rpm, ceiling.rpm), tpm=_lowest(self.tpm, ceiling.tpm))

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimits:
        """The limits a server states in x-ratelimit-limit-requests / -tokens."""
        return cls(rpm=_positive_number(headers.get("x-ratelimit-limit-requests")),
                   tpm=_positive_number(headers.get("x-ratelimit-limit-tokens")))

    def as_dict(self) -> dict[str, float | None]:
        return {"rpm": self.rpm, "tpm": self.tpm}


def _lowest(a: float | None, b: float | None) -> float | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


NO_LIMITS = RateLimits()
_EPSILON = 1e-9  # a deficit below this is rounding, not a reason to sleep


class Bucket:
    """A leaky bucket refilled continuously at `per_minute / 60` per second.

    It holds at most `burst_s` seconds of refill, so a quiet spell never turns into a burst a
    per-second enforcer would reject. A charge larger than the bucket is admitted when the bucket
    is full and leaves it in debt, so no request is too big to ever be sent and the average rate
    still holds.
    """

    def __init__(self, per_minute: float, *, burst_s: float, now: float, level: float = 0.0):
        self.rate = per_minute / 60.0
        self.capacity = max(self.rate * burst_s, 1.0)
        self.level = min(level, self.capacity)
        self._at = now

    def _refill(self, now: float) -> None:
        if now > self._at:
            self.level = min(self.capacity, self.level + (now - self._at) * self.rate)
            self._at = now

    def wait_s(self, amount: float, now: float) -> float:
        """Seconds until `amount` may be taken (0 when it may be taken now)."""
        self._refill(now)
        need = min(amount, self.capacity)
        deficit = need - self.level
        return 0.0 if deficit <= _EPSILON else deficit / self.rate

    def take(self, amount: float, now: float) -> None:
        self._refill(now)
        self.level -= amount

    def give(self, amount: float, now: float) -> None:
        """Return (or, negative, charge more of) what an earlier take over- or under-charged."""
        self._refill(now)
        self.level = min(self.capacity, self.level + amount)

    def at_most(self, amount: float, now: float) -> None:
        """Lower the level to `amount` if it is above it (never raise it)."""
        self._refill(now)
        self.level = min(self.level, amount)

    def drain(self, now: float) -> None:
        """Empty the bucket (after a 429: resume at the limit, not with a burst)."""
        self._refill(now)
        self.level = min(self.level, 0.0)


class RateLimiter:
    """Admits requests within requests-per-minute and tokens-per-minute, both at once.

    Waiters are served first come, first served: one lock, and the holder sleeps exactly as long
    as its deficit needs (no polling). Limits come from the job (a ceiling) and are learned from
    x-ratelimit-* headers on every response. A 429 pauses every caller until the stated time.
    """

    def __init__(self, ceiling: RateLimits = NO_LIMITS, *, learn: bool = True,
                 safety: float = defaults.RATE_SAFETY, burst_s: float = defaults.RATE_BURST_S,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep):
        self.ceiling = ceiling
        self.learn_from_headers = learn
        self.safety = safety
        self.burst_s = burst_s
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self._paused_until = 0.0
        self._drain_on_resume = False
        self.limits = NO_LIMITS
        self.learned = NO_LIMITS
        self._requests: Bucket | None = None
        self._tokens: Bucket | None = None
        self.pauses = 0
        self._apply(ceiling)

    def _apply(self, limits: RateLimits) -> None:
        if limits == self.limits:
            return
        now = self._clock()
        self.limits = limits
        self._requests = self._rebuilt(self._requests, limits.rpm, now)
        self._tokens = self._rebuilt(self._tokens, limits.tpm, now)

    def _rebuilt(self, old: Bucket | None, per_minute: float | None, now: float) -> Bucket | None:
        if per_minute is None:
            return None
        level = old.level if old is not None else 0.0
        return Bucket(per_minute * self.safety, burst_s=self.burst_s, now=now, level=level)

    def learn(self, headers: Mapping[str, str]) -> None:
        """Adopt the limits a response states (capped by the job's ceiling), and never hold
        more in hand than the server says remains (another client may share the key)."""
        if self.learn_from_headers:
            stated = RateLimits.from_headers(headers)
            if stated.known:
                merged = RateLimits(rpm=stated.rpm or self.learned.rpm,
                                    tpm=stated.tpm or self.learned.tpm)
                self.learned = merged
                self._apply(merged.within(self.ceiling) if self.ceiling.known else merged)
        now = self._clock()
        for bucket, header in ((self._requests, "x-ratelimit-remaining-requests"),
                               (self._tokens, "x-ratelimit-remaining-tokens")):
            remaining = _non_negative(headers.get(header))
            if bucket is not None and remaining is not None:
                bucket.at_most(remaining, now)

    def pause(self, seconds: float) -> None:
        """Hold every caller for `seconds` (a 429), then resume at the limit, without a burst."""
        until = self._clock() + max(0.0, seconds)
        if until > self._paused_until:
            self._paused_until = until
            self.pauses += 1
        self._drain_on_resume = True

    async def acquire(self, tokens: int) -> None:
        """Wait until one request of `tokens` tokens fits both limits, then charge it."""
        async with self._lock:
            while True:
                now = self._clock()
                wait = self._paused_until - now
                if wait <= 0 and self._drain_on_resume:
                    # the server's bucket is empty after a 429: start from empty too, no burst
                    self._drain_on_resume = False
                    for bucket in (self._requests, self._tokens):
                        if bucket is not None:
                            bucket.drain(now)
                if self._requests is not None:
                    wait = max(wait, self._requests.wait_s(1, now))
                if self._tokens is not None:
                    wait = max(wait, self._tokens.wait_s(tokens, now))
                if wait <= 0:
                    break
                await self._sleep(wait)
            if self._requests is not None:
                self._requests.take(1, now)
            if self._tokens is not None:
                self._tokens.take(tokens, now)

    def settle(self, charged: int, actual: int) -> None:
        """Correct a request's token charge once the server reports what it counted."""
        if self._tokens is not None and charged != actual:
            self._tokens.give(charged - actual, self._clock())

    def describe(self) -> str:
        """One line for the run summary: the limits held and where they came from."""
        if not self.limits.known:
            return "rate limits: none known (the server sent no x-ratelimit-* headers)"
        parts = []
        if self.limits.rpm is not None:
            parts.append(f"{self.limits.rpm:,.0f} requests/min")
        if self.limits.tpm is not None:
            parts.append(f"{self.limits.tpm:,.0f} tokens/min")
        origin = ("learned from the server" if self.limits == self.learned
                  else "from the job" if not self.learned.known else "job ceiling under "
                  "the server's")
        line = f"rate limits: {', '.join(parts)} ({origin})"
        if self.pauses:
            line += f"; paused {self.pauses} time(s) on 429"
        return line

    @property
    def requests_per_second(self) -> float | None:
        """The admitted request rate when requests are the limit that binds (else None)."""
        return self._requests.rate if self._requests is not None else None

    @property
    def tokens_per_second(self) -> float | None:
        return self._tokens.rate if self._tokens is not None else None
