"""Fallbacks: a row moves to the next target when the one it is on cannot take it.

A target is the job's model on its endpoint, or one of its `fallbacks` (another model, or
another endpoint with its own key): a provider with its own rate limiter, learned limits,
adaptive concurrency and prices, i.e. a Runner of its own. FallbackRunner offers the single
runner's interface (`answer`, `run`, `stop`) to the chain, so steps, corrections and the journal
do not know fallbacks exist; each request goes to the first target that is up, and moves on when
that target raises TargetUnusable, which each target's runner asks of its MoveOn (the Route this
module gives it) at every failure:

- for the whole target, for the rest of the run: the model is unknown (404), the key is refused,
  the quota is spent (429 insufficient_quota);
- for the whole target, for a cool-down: it has been failing (the outage rule), or it asks to
  wait longer than `fallback_after_s`; after the cool-down it is tried again (the primary first);
- for this request only: its context is too long for the model.

An answer is journaled under the request's own fingerprint (the primary's), so a fallback never
buys a row twice and a later run reuses it; the result names the target that paid. The run stops
only when every target is down. One budget covers all targets, each request reserved at the
dearest target's price.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from .. import defaults
from ..errors import (
    ConfigError,
    FatalForRow,
    FatalForRun,
    ProviderError,
    RateLimited,
    Retryable,
    TargetUnusable,
)
from ..records import Request, Result
from .runner import Route

if TYPE_CHECKING:
    from ..config import FallbackTarget, Job
    from ..pricing import Pricer
    from .limits import RateLimiter
    from .providers import Provider
    from .runner import Admission, Runner

T = TypeVar("T")


def target_jobs(job: Job) -> list[Job]:
    """The job for each target: the job itself, then each fallback as the job with that
    model, endpoint, key, prices and limits. Raises ConfigError before any spend when a
    fallback on another endpoint does not name its own key."""
    return [job, *(target_job(job, fallback) for fallback in job.fallbacks)]


def target_job(job: Job, target: str | FallbackTarget, *, what: str = "fallbacks") -> Job:
    """The job as one other target sees it (a fallback, the judge): its model, endpoint, key,
    prices and limits, the job's where it names none. Raises ConfigError (naming `what`)
    when a target on another endpoint does not name its own key: the job's key is sent to
    the job's endpoint only. A target whose model `provider = "auto"` sends to another
    provider (claude-* to Anthropic) goes to that provider, with its key."""
    if isinstance(target, str):
        return _on_its_provider(job, job.model_copy(update={"model": target}), None)
    other_endpoint = target.base_url is not None and target.base_url != job.base_url
    if other_endpoint and target.api_key_env is None:
        raise ConfigError(
            f"{what}: {target.model} at {target.base_url} needs api_key_env (the "
            "variable holding that endpoint's key): the job's key is sent to the job's "
            "endpoint only. For a local server that needs no key, name any variable set "
            "to any value.")
    update: dict[str, object] = {"model": target.model, "fallbacks": []}
    for name in ("base_url", "api_key_env", "prices", "price_provider", "rpm", "tpm",
                 "concurrency"):
        value = getattr(target, name)
        if value is not None:
            update[name] = value
    if other_endpoint:
        update["api_key"] = None
    return _on_its_provider(job, job.model_copy(update=update), target)


def _on_its_provider(job: Job, copied: Job, target: FallbackTarget | None) -> Job:
    """`copied` as it goes out when its provider is not the job's: at its own base_url (the
    target's, else the provider's default) with its own key variable (the target's, else the
    provider's), never with the job's key or endpoint."""
    if copied.provider_info == job.provider_info:
        return copied
    moved = copied.model_copy(update={
        "base_url": target.base_url if target is not None else None, "api_key": None})
    own_key = target.api_key_env if target is not None else None
    return moved.model_copy(update={"api_key_env": own_key or moved.provider_info.key_env})


def target_name(model: str, endpoint: str) -> str:
    """How summaries and the journal name a target: model@host."""
    host = urlsplit(endpoint).hostname or endpoint
    return f"{model}@{host}"


class MoveOn(Route):
    """The rule, for one target's runner, of when a failure moves the request to the next
    target (a TargetUnusable) rather than failing the row or stopping the run."""

    def __init__(self, *, after_s: float = defaults.FALLBACK_AFTER_S,
                 cool_down_s: float = defaults.FALLBACK_COOL_DOWN_S):
        #: A 429 asking to wait longer than this moves the request on (the job's
        #: fallback_after_s); the target cools down for the wait asked.
        self.after_s = after_s
        #: How long a target that looked down waits before it is tried again.
        self.cool_down_s = cool_down_s
        #: Set while the target is down (FallbackRunner): every new attempt moves on at once.
        self.down: TargetUnusable | None = None

    def closed(self) -> TargetUnusable | None:
        return None if self.down is None else TargetUnusable(str(self.down))

    def rate_limited(self, err: RateLimited, wait_s: float) -> TargetUnusable | None:
        if wait_s <= self.after_s:
            return None
        return TargetUnusable(f"{err} (the server asks to wait {wait_s:.0f}s)",
                              cool_down_s=wait_s, status_code=err.status_code)

    def looks_down(self, reason: str) -> TargetUnusable | None:
        return TargetUnusable(reason, cool_down_s=self.cool_down_s)

    def ended(self, err: ProviderError, note: str, *, stopped: bool) -> TargetUnusable | None:
        if isinstance(err, FatalForRun):  # the key, the model, the quota: for the whole run
            if stopped:  # not sent because the run stopped: nowhere to move
                return None
            return err if isinstance(err, TargetUnusable) else TargetUnusable(
                str(err), status_code=err.status_code)
        if isinstance(err, FatalForRow):  # only a context too long for this model moves on
            if err.code != "context_length_exceeded":
                return None
            return TargetUnusable(note, whole_target=False)
        if isinstance(err, Retryable):  # given up on here: the next target may answer now
            return TargetUnusable(note, whole_target=False)
        return None


@dataclass
class Target:
    """One model on one endpoint, with its own runner (limiter, concurrency, prices)."""

    name: str
    model: str
    provider: Provider
    pricer: Pricer
    runner: Runner
    limiter: RateLimiter
    down_until: float = 0.0
    down_reason: str | None = None
    rows: int = 0
    cost: Decimal = Decimal(0)
    moved: Counter[str] = field(default_factory=Counter)
    #: When a failure on this target moves a request on (FallbackRunner sets it).
    route: MoveOn = field(default_factory=MoveOn)

    def up(self, now: float) -> bool:
        if self.down_until and now >= self.down_until:  # the cool-down is over: try again
            self.down_until, self.down_reason = 0.0, None
            self.route.down = None
        return self.down_until == 0.0


class FallbackRunner:
    """The runner interface over several targets, tried in order for each request."""

    def __init__(self, targets: list[Target], *, after_s: float = defaults.FALLBACK_AFTER_S,
                 cool_down_s: float = defaults.FALLBACK_COOL_DOWN_S):
        self.targets = targets
        self.primary = targets[0].runner
        self.stop_reason: str | None = None
        for target in targets:
            target.route = MoveOn(after_s=after_s, cool_down_s=cool_down_s)
            target.runner.route = target.route
            target.runner.on_stop = self.stop

    # -- what the chain and jobs use of a Runner -----------------------------------------
    @property
    def admission(self) -> Admission:
        """The primary's: its cap decides how many rows are taken in at once."""
        return self.primary.admission

    @property
    def retry_reasons(self) -> Counter[str]:
        return sum((t.runner.retry_reasons for t in self.targets), Counter())

    @property
    def cache_saved(self) -> Decimal:
        return sum((t.runner.cache_saved for t in self.targets), Decimal(0))

    async def run(self, items: Iterable[T], handle: Callable[[T], Awaitable[None]]
                  ) -> str | None:
        await self.primary.run(items, handle)
        return self.stop_reason

    def stop(self, reason: str) -> None:
        if self.stop_reason is None:
            self.stop_reason = reason
            for target in self.targets:
                target.runner.stop(reason)

    async def answer(self, request: Request, *, follow_up: bool = False) -> Result:
        if request.model != self.targets[0].model:
            # A step with a model of its own, or another variant's: fallbacks stand in for the
            # job's model only, so this request has the primary endpoint alone.
            try:
                return await self.primary.answer(request, follow_up=follow_up)
            except TargetUnusable as exc:
                return Result(row_id=request.row_id, fingerprint=request.fingerprint,
                              status="failed", error=str(exc), transient=exc.whole_target)
        reasons: list[str] = []
        for target in self.targets:
            if not target.up(time.monotonic()):
                reasons.append(f"{target.name}: {target.down_reason}")
                continue
            asked = request if target is self.targets[0] else replace(request,
                                                                      model=target.model)
            try:
                result = await target.runner.answer(asked, follow_up=follow_up)
            except TargetUnusable as exc:
                reasons.append(f"{target.name}: {exc}")
                if exc.whole_target:
                    self._down(target, exc)
                target.moved[str(exc).split(" (", 1)[0][:80]] += 1
                continue
            if result.status != "skipped":
                result.target = target.name
                target.rows += 1
                target.cost += result.cost_usd or Decimal(0)
            return result
        everything_down = all(t.down_until for t in self.targets)
        why = "; ".join(reasons)
        if everything_down:
            self.stop(f"every target is down: {why}. Nothing more was sent: run again to "
                      "continue")
            return Result(row_id=request.row_id, fingerprint=request.fingerprint,
                          status="skipped", error=f"not sent: every target is down ({why})")
        return Result(row_id=request.row_id, fingerprint=request.fingerprint, status="failed",
                      error=f"no target could take it: {why}")

    def _down(self, target: Target, exc: TargetUnusable) -> None:
        if target.down_until:
            return
        target.down_reason = str(exc)
        target.down_until = (float("inf") if exc.cool_down_s is None
                             else time.monotonic() + exc.cool_down_s)
        target.route.down = exc

    async def aclose(self) -> None:
        for target in self.targets:
            await target.provider.aclose()

    def describe(self) -> str:
        """The summary's line: rows and cost per target, and why rows moved."""
        parts = []
        for target in self.targets:
            moved = ("; rows moved on: " + ", ".join(f"{n}x {why}" for why, n in
                                                      target.moved.most_common(3))
                     if target.moved else "")
            parts.append(f"{target.name}: {target.rows} answer(s), ${target.cost:.6f}{moved}")
        return "targets: " + " | ".join(parts)
