"""How many requests to keep in flight at a server that states no rate limits.

A local server (llama.cpp, Ollama, LM Studio, vLLM) sends no x-ratelimit-* headers, so the
rate-based concurrency of runner.py has nothing to go on, and a fixed number floods a server
that serves one request at a time: the rest queue inside it, each waiting for the ones ahead,
until they time out and are sent again (paid or not, the server did the work twice).

So the number is found from latency, the way TCP Vegas finds a window: requests that queue at
the server take longer in proportion. (Answers differ in length, so the runner measures latency
per token of work: completion tokens plus a share of the prompt's.) Per window of finished
requests, the mean latency is compared with the latency with nothing queued (the lowest window
mean); the estimated queue is
`limit x (1 - baseline / mean)`. The limit doubles while latency stays flat (slow start), then
grows by one after two windows with less than half a request queued and shrinks by one when more
than one is. Every few windows one window runs at half the limit to measure the baseline afresh (as
BBR probes its round-trip time), so answers that grow longer are not mistaken for queueing. A
server that serves one at a time settles at 1-2 in flight; one with four slots near four; one
that batches hundreds keeps growing.
"""

from __future__ import annotations

from . import defaults


class AdaptiveConcurrency:
    """The in-flight limit for a server that states none, from the latencies it shows."""

    def __init__(self, *, start: int = defaults.ADAPTIVE_START,
                 most: int = defaults.MAX_CONCURRENCY):
        self.limit = start
        self.most = most
        #: The latency with nothing queued (seconds): the lowest window mean, re-measured by
        #: each probe.
        self.baseline: float | None = None
        self.slow_start = True
        self._window: list[float] = []
        self._windows = 0
        self._probing: int | None = None  # the limit to return to after a probe window
        self._calm = 0  # windows in a row with less than QUEUE_LOW queued

    def observe(self, latency_s: float) -> None:
        """A request finished after `latency_s` (sent to answered; runner.py passes seconds
        per token of work, so answers of different lengths compare)."""
        self._window.append(latency_s)
        if len(self._window) < max(self.limit, defaults.ADAPTIVE_WINDOW):
            return
        mean = sum(self._window) / len(self._window)
        self._window.clear()
        self._windows += 1
        if self._probing is not None:
            # A window at half the limit: little or nothing queued, so this is the latency of
            # the answers being asked for now (they may have grown longer since the last one).
            self.baseline = mean
            self.limit, self._probing = self._probing, None
            return
        if self.baseline is None or mean < self.baseline:
            self.baseline = mean
        queued = self.limit * (1 - self.baseline / mean) if mean > 0 else 0.0
        if self.slow_start and mean < self.baseline * defaults.ADAPTIVE_FLAT:
            self.limit = min(self.most, self.limit * 2)
        else:
            self.slow_start = False
            if queued > defaults.ADAPTIVE_QUEUE_HIGH:
                self.limit = max(1, self.limit - 1)
                self._calm = 0
            elif queued < defaults.ADAPTIVE_QUEUE_LOW:
                # Up only after two calm windows in a row: a server that slows down with any
                # company (llama-cpp-python's) is tried at one more only now and then.
                self._calm += 1
                if self._calm >= 2:
                    self.limit = min(self.most, self.limit + 1)
                    self._calm = 0
        if self._windows % defaults.ADAPTIVE_PROBE_EVERY == 0 and self.limit > 1:
            self._probing, self.limit = self.limit, max(1, self.limit // 2)
