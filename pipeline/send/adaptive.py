"""How many requests to keep in flight at a server that states no rate limits.

A local server (llama.cpp, Ollama, LM Studio, vLLM) sends no x-ratelimit-* headers, so the
rate-based concurrency of runner.py has nothing to go on, and a fixed number floods a server
that serves one request at a time: the rest queue inside it, each waiting for the ones ahead,
until they time out and are sent again (paid or not, the server did the work twice). Some
servers do worse than queue: llama-cpp-python's answers fewer rows per minute with every
request added (bench/RESULTS.md).

So the limit is found by trying. By Little's law, throughput = in flight / latency: more in
flight pays only if latency grows more slowly than in flight does. The limit is held for a
window of finished requests and its throughput measured (tokens of work per second, so long
and short answers compare); then a neighbour is tried for one window, larger and smaller in
turn, and the larger of the two is kept only if its extra requests earn at least EFFICIENCY
of their share (doubling in flight must add half again as much throughput). A server that
queues or slows down with company stays at one; one with four slots settles at four; one that
batches hundreds keeps growing (doubling until a step does not pay, then steps of a quarter). A
trial that loses waits twice as long before the next (up to BACKOFF_MAX windows), so a settled
run spends almost all its time at its limit.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from .. import defaults


class AdaptiveConcurrency:
    """The in-flight limit for a server that states none, from the throughput it shows."""

    def __init__(self, *, start: int = defaults.ADAPTIVE_START,
                 most: int = defaults.MAX_CONCURRENCY,
                 warm_up: int = defaults.CAUTIOUS_CONCURRENCY,
                 clock: Callable[[], float] = time.monotonic):
        self.limit = start
        self.most = most
        self.climbing = True  # slow start: double until a step up does not pay
        #: (limit, tokens of work per second) for every window judged, in order.
        self.windows: list[tuple[int, float]] = []
        self._clock = clock
        # Answers still to come from requests sent before the last change (sent at
        # CAUTIOUS_CONCURRENCY, before the first answer): they say little about the new limit.
        self._skip = warm_up
        self._since: float | None = None  # when the current window began
        self._work = 0.0
        self._count = 0
        self._held: float | None = None  # throughput at the held limit, last window there
        self._trial: tuple[int, float] | None = None  # (the held limit, its throughput)
        self._wait = 0  # windows to hold before the next trial
        self._backoff = 1
        self._up_next = True

    def observe(self, work: float) -> None:
        """An answer came back carrying `work` tokens of work (runner.py: completion tokens
        plus a share of the prompt's)."""
        now = self._clock()
        if self._skip > 0 or self._since is None:
            self._skip = max(0, self._skip - 1)
            self._since = now
            return
        self._work += work
        self._count += 1
        if self._count < max(self.limit, defaults.ADAPTIVE_WINDOW):
            return
        rate = self._work / max(now - self._since, 1e-9)
        self._since, self._work, self._count = now, 0.0, 0
        self.windows.append((self.limit, rate))
        self._judge(rate)

    def _judge(self, rate: float) -> None:
        if self._trial is None:  # a window at the held limit
            self._held = rate
            if self._wait > 0:
                self._wait -= 1
            else:
                self._try()
            return
        held, held_rate = self._trial
        self._trial = None
        low, high = sorted((held, self.limit))
        low_rate, high_rate = ((held_rate, rate) if held < self.limit else (rate, held_rate))
        pays = high_rate / low_rate - 1 >= defaults.ADAPTIVE_EFFICIENCY * (high / low - 1)
        kept = high if pays else low
        if kept == self.limit:  # the trial won: go on the same way at once
            self._held = rate
            self._backoff = 1
            self._try()
            return
        if self.limit > held:
            self.climbing = False
        self._up_next = self.limit < held  # next time, try the other side
        self._wait = self._backoff
        self._backoff = min(defaults.ADAPTIVE_BACKOFF_MAX, self._backoff * 2)
        self._set(held)

    def _try(self) -> None:
        """One window at a neighbour of the held limit."""
        assert self._held is not None
        if self._up_next:
            step = self.limit if self.climbing else math.ceil(self.limit * 0.25)
            wanted = min(self.most, self.limit + step)
        else:
            wanted = max(1, self.limit - math.ceil(self.limit * 0.2))
        if wanted == self.limit:  # nothing that side (at 1, or at the most): try the other
            self._up_next = not self._up_next
            self._wait = self._backoff
            return
        self._trial = (self.limit, self._held)
        self._set(wanted)

    def _set(self, limit: int) -> None:
        # Requests sent under the old limit are still out: their answers are not counted.
        self._skip = self.limit
        self.limit = limit

    def describe(self) -> str | None:
        """One line for the run summary (None: no window was judged, so nothing was learned)."""
        if not self.windows:
            return None
        tried = sorted({limit for limit, _ in self.windows})
        tried_text = ", ".join(map(str, tried))
        return (f"concurrency: {self.limit} in flight, found by trying (the server states no "
                f"rate limits; tried {tried_text})")
