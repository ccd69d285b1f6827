"""One run of a job: what every job that spends or writes opens, once, in one order.

A RunSession is built before anything is locked or spent, and everything that can be refused
is refused then (exit 2, nothing sent): the notification secrets, the prices, the fallback
targets and their keys, a budget that can hold. Opened, it holds the job's lock (a second run
of the job exits 4), its journal and its run log; `begin` starts a run (its id, the start line,
the runner with its rate limiter, fallbacks and progress bar); `send` answers work at the rate
limit until done or stopped; `finish` records how the run ended; `record` leaves the run's
manifest, its notifications, the log's last line and, when the job asks, its HTML report.
Closing releases them in reverse.

Jobs (jobs/) open a session and bring their own stages: a row job its plan and chain, a
catalog its packer and judge, batch mode its Batch API rounds. None repeats a step of this.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from tqdm import tqdm

from .config import Connection, Job
from .environment import environment
from .errors import ConfigError
from .journal import Journal, RunKind
from .outcome import Totals, format_usd
from .pricing import Pricer, make_pricer
from .records import Request, Usage
from .send.budget import Budget
from .send.fallbacks import FallbackRunner, Target, target_jobs, target_name
from .send.limits import NO_LIMITS, RateLimiter, RateLimits
from .send.providers import Provider, create_provider
from .send.runner import DEFAULT_RETRY_POLICY, RetryPolicy, Runner, Sleep
from .unattended import manifest as manifests
from .unattended.lock import job_lock
from .unattended.run_log import RunLog

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Spend:
    """What a job will ask for, so a budget can be checked before the run: the models its
    requests name, and each request's completion cap (None: unbounded)."""

    models: list[str]
    caps: list[int | None]
    #: The answers come from the Batch API, priced at its rate.
    batch: bool = False


def make_budget(limit: Decimal | None, pricer: Pricer, spend: Spend, *,
                fallbacks: list[tuple[Pricer, str]] | None = None,
                primary: str | None = None, judge: tuple[Pricer, str] | None = None) -> Budget:
    """The job's spending cap, refused now when it cannot hold: every request needs a
    completion cap and every model a price (the Batch API's, for a batch). A request for the
    `primary` model may go to a fallback, so it is reserved at the dearest of them."""
    if limit is None:
        return Budget()
    if any(cap is None for cap in spend.caps):
        raise ConfigError("a budget needs params.max_tokens (or max_completion_tokens) for "
                          "every step: without it a request's worst case is unbounded. Set "
                          "--max-tokens.")
    price = pricer.batch_cost if spend.batch else pricer.cost
    for model in dict.fromkeys(spend.models):
        if price(model, Usage(1, 1)) is None:
            if spend.batch:
                raise ConfigError(f"--budget needs a batch price for {model}: set [prices] "
                                  "batch_input and batch_output, or run without a budget")
            raise ConfigError(f"a budget needs a price for '{model}': give the job [prices] "
                              "input/output (USD per million tokens) or price_provider.")
    for other, model in fallbacks or []:
        if other.cost(model, Usage(1, 1)) is None:
            raise ConfigError(f"a budget needs a price for the fallback '{model}': give it "
                              "[prices] or price_provider.")
    if judge is not None and (judge[0].batch_cost if spend.batch else judge[0].cost)(
            judge[1], Usage(1, 1)) is None:
        raise ConfigError(f"a budget needs a price for the judge '{judge[1]}': give [judge] "
                          "prices (input/output, USD per million tokens"
                          + (", and batch_input/batch_output for --mode batch"
                             if spend.batch else "") + ") or price_provider.")

    def worst(request: Request) -> Decimal:
        usage = worst_usage(request)
        cost = price(request.model, usage)
        assert cost is not None  # checked above
        if fallbacks and request.model == primary:
            others = [p.cost(model, usage) for p, model in fallbacks]
            cost = max([cost, *(o for o in others if o is not None)])
        return cost

    return Budget(Decimal(str(limit)), worst)


def worst_usage(request: Request) -> Usage:
    """The most a request can use: its whole prompt, every token of it written to the prompt
    cache (Anthropic bills a cache write at 1.25 times the input price; for a model with no
    cache-write price that is its input price, so OpenAI's worst case is unchanged), and its
    completion cap."""
    return Usage(prompt_tokens=request.prompt_tokens,
                 completion_tokens=request.completion_cap or 0,
                 cache_write_tokens=request.prompt_tokens)


def check_notify_secrets(job: Connection) -> None:
    """Pre-flight: the secrets the job's [notify] needs are set (ConfigError, exit 2)."""
    if job.notify is not None:
        from .unattended.notify import check_notify

        check_notify(job.notify, environment())


class RunSession:
    """A job's run: its lock, journal, run log, pricer, budget, runner and limiter (fallback
    targets too), progress bar, and at the end its manifest, notifications and report.

    `provider` is where the job's requests go (None: a job that sends none, such as a batch
    import). `spend` says what the requests will ask, for the budget (None: no budget here;
    batch mode's passes send nothing). `fallbacks`: the job's fallback targets answer what its
    model cannot. `record`: a run that leaves a manifest, log lines and notifications (batch
    mode's passes do not)."""

    def __init__(self, job: Connection, provider: Provider | None, *,
                 spend: Spend | None = None, fallbacks: bool = False, record: bool = True,
                 wait_for_lock: bool = False, retry_policy: RetryPolicy = DEFAULT_RETRY_POLICY,
                 sleep: Sleep = asyncio.sleep, judge_provider: Provider | None = None):
        self.job = job
        self.provider = provider
        self.record_run = record
        self.wait_for_lock = wait_for_lock
        self.retry_policy = retry_policy
        self.sleep = sleep
        if record:  # a recorded run notifies at its end: its secrets are checked now
            check_notify_secrets(job)
        self.pricer = (make_pricer(job, provider.endpoint, free=provider.free)
                       if provider is not None else None)
        # Fallback targets: providers (and their keys) checked now, before any spend.
        self.fallbacks = (_fallback_targets(job) if fallbacks and job.fallbacks else [])
        # The judge's target (a row job's [judge]): its provider and key checked now too.
        self.judge = (_judge_target(job, judge_provider)
                      if getattr(job, "judge", None) is not None and provider is not None
                      else None)
        self.budget = Budget() if spend is None or self.pricer is None else make_budget(
            job.budget, self.pricer, spend, primary=getattr(job, "model", None),
            fallbacks=[(p, j.model) for j, p, _ in self.fallbacks],
            judge=(self.judge[1], self.judge[0].model) if self.judge else None)
        self.judge_batch = bool(spend and spend.batch)
        self.lock_note: str | None = None
        self.run_id: int | None = None
        self.stopped: str | None = None
        self.routes: Any = None
        self.runner: Runner | None = None
        self.limiter: RateLimiter | None = None
        #: The judge's own runner (its limiter, concurrency, prices; the job's one budget).
        self.judge_runner: Runner | None = None
        self.bar: Any = None
        self._stack = ExitStack()

    # -- open and close ------------------------------------------------------------------------
    def __enter__(self) -> RunSession:
        try:
            self.lock_note = self._stack.enter_context(
                job_lock(self.job.journal_path, wait=self.wait_for_lock))
            self.run_log = self._stack.enter_context(
                RunLog(self.job.log_file if self.record_run else None))
            self.journal = self._stack.enter_context(Journal(self.job.journal_path))
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: object) -> None:
        if self.bar is not None:
            self.bar.close()
        self._stack.__exit__(exc_type, exc, tb)

    # -- a run that sends --------------------------------------------------------------------
    def begin(self, *, total: int, unit: str, progress: bool | None = None,
              kind: RunKind = "run", **start: Any) -> int:
        """A new run: its id (the provider told what earlier runs learned of its endpoint),
        the log's start line (with `start`'s fields), the runner and a progress bar over
        `total` `unit`s (`progress` None: shown when stderr is a terminal). `kind`: what the
        run does, journaled with it (a comparison is not the job's latest run)."""
        assert self.provider is not None and self.pricer is not None
        self.provider.adopt_modes(self.journal.response_format_modes(self.provider.endpoint))
        self.run_id = self.journal.start_run(kind)
        self.run_log.event("start", job=self.job.stem, run_id=self.run_id, **start,
                           endpoint=self.provider.where)
        self.runner, self.limiter = self._runner(self.job, self.provider, self.pricer)
        self.routes = self.runner
        if self.fallbacks:
            self.routes = self._fallback_routes()
        if self.judge is not None:
            self.judge_runner = self._judge_runner()
        self.bar = tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True,
                        disable=not (sys.stderr.isatty() if progress is None else progress))
        return self.run_id

    def send(self, items: Iterable[T], handle: Callable[[T], Awaitable[None]]) -> str | None:
        """Handle every item (each asks the runner for its requests) in one event loop, until
        done or stopped; then the run's end is journaled. Returns why it stopped early.

        The first Ctrl-C (or SIGTERM) stops admitting and lets requests in flight finish; a
        second one abandons them (their items stay unanswered, for the next run)."""
        assert self.runner is not None and self.provider is not None
        closer: Any = self.routes if self.fallbacks else self.provider
        if self.judge is not None and self.judge[2] is not self.provider:
            closer = _CloseAll(closer, self.judge[2])
        self.stopped = _run_until_done(self.routes, closer, items, handle)
        self.bar.close()
        self.finish()
        return self.stopped

    def finish(self) -> None:
        """Journal how the run ended, the limits it held, what it learned of the server, and
        log its failed attempts by reason."""
        assert self.run_id is not None and self.limiter is not None
        assert self.provider is not None
        self.journal.finish_run(self.run_id, stopped=self.stopped, spent=self.budget.spent,
                                rpm=self.limiter.limits.rpm, tpm=self.limiter.limits.tpm)
        for provider in [self.provider, *([self.judge[2]] if self.judge else [])]:
            for model, mode in provider.learned_modes.items():
                self.journal.remember_response_format_mode(provider.endpoint, model, mode)

    # -- what the summary and the manifest say -------------------------------------------------
    def limits(self) -> dict[str, Any]:
        """The limits the run held, for its manifest."""
        assert self.runner is not None and self.limiter is not None
        return {"rpm": self.limiter.limits.rpm, "tpm": self.limiter.limits.tpm,
                "concurrency": self.runner.admission.fixed or self.runner.admission.cap(),
                "described": self.held()}

    def held(self) -> str | None:
        """The rate limits held, as the summary says them (none for a free provider)."""
        assert self.provider is not None and self.limiter is not None
        return None if self.provider.free else self.limiter.describe()

    def notes(self, *, limits: bool = True) -> list[str]:
        """The summary's first notes: the rate limits held (`limits`), then what the prices
        and the provider have to say."""
        assert self.pricer is not None
        held = self.held() if limits else None
        return ([held] if held else []) + self.pricer.notes + getattr(self.provider, "notes", [])

    def after_notes(self, *, totals: Totals | None, adaptive: bool) -> list[str]:
        """The notes that follow a job's own: cached input, fallbacks, a lock taken over, the
        concurrency found for a server that states no limits."""
        assert self.runner is not None
        notes = []
        if totals is not None and totals.cached_tokens:
            notes.append(cached_input_line(totals, self.routes.cache_saved))
        if self.fallbacks:
            notes.append(self.routes.describe())
        if self.lock_note:
            notes.append(self.lock_note)
        if adaptive and (found := self.runner.admission.adaptive.describe()):
            notes.append(found)
        return notes

    def log_retries(self) -> None:
        """The run's failed attempts, summed up by reason: one log line each."""
        for reason, count in self.routes.retry_reasons.most_common():
            self.run_log.event("retries", reason=reason, attempts=count)

    # -- the record a run leaves ---------------------------------------------------------------
    def record(self, record: dict[str, Any], where: Path) -> list[str]:
        """A finished run's manifest, written at `where` and kept in the journal, then its
        notifications, the log's last line and (when the job asks) its HTML report. Returns
        notes for the summary; never fails the run (notifications turn trouble into notes)."""
        assert self.run_id is not None
        manifests.write(where, record)
        self.journal.save_manifest(self.run_id, record)
        notes: list[str] = []
        if self.job.notify is not None:
            from .unattended.notify import send_notifications

            notes = send_notifications(self.job.notify, record, self.journal, env=environment())
        self.run_log.event("end", manifest=record)
        if getattr(self.job, "report", False):  # a row job's HTML report, from the journal
            from .review.html_report import write_report

            notes.append(f"report: {write_report(self.job, run_id=self.run_id)}")
        return notes

    # -- building ------------------------------------------------------------------------------
    def _runner(self, job: Connection, provider: Provider, pricer: Pricer, *,
                budget: Budget | None = None) -> tuple[Runner, RateLimiter]:
        """A runner and its limiter for one target: the job's limits (none for a provider with
        its own hard limit, the embedded model), concurrency, timeout, attempts, budget."""
        limiter = RateLimiter(
            RateLimits(rpm=job.rpm, tpm=job.tpm) if provider.max_concurrency is None
            else NO_LIMITS, learn=job.learn_limits, sleep=self.sleep)
        runner = Runner(provider, pricer, limiter=limiter,
                        concurrency=provider.max_concurrency or job.concurrency,
                        timeout=job.timeout, budget=budget or self.budget,
                        policy=replace(self.retry_policy, max_attempts=job.max_attempts),
                        sleep=self.sleep)
        return runner, limiter

    def _fallback_routes(self) -> FallbackRunner:
        """The job's runner and one per fallback (own limiter, concurrency and prices, one
        budget), behind the single-runner interface (send/fallbacks.py)."""
        assert self.provider is not None and self.runner is not None
        job = self.job
        model = job.model  # type: ignore[attr-defined] - fallbacks are a row job's
        targets = [Target(target_name(model, self.provider.endpoint), model, self.provider,
                          self.pricer, self.runner, self.limiter)]
        for target_job, target_pricer, target_provider in self.fallbacks:
            runner, limiter = self._runner(target_job, target_provider, target_pricer)
            targets.append(Target(target_name(target_job.model, target_provider.endpoint),
                                  target_job.model, target_provider, target_pricer, runner,
                                  limiter))
        return FallbackRunner(targets, after_s=job.fallback_after_s,  # type: ignore[attr-defined]
                              cool_down_s=job.fallback_cool_down_s)  # type: ignore[attr-defined]


    def _judge_runner(self) -> Runner:
        """The judge's runner: its own limiter, concurrency and prices, the job's one budget
        (its requests reserved at the judge's price), and one stop for both."""
        assert self.judge is not None and self.runner is not None
        target_job, pricer, provider = self.judge
        provider.adopt_modes(self.journal.response_format_modes(provider.endpoint))
        price = pricer.batch_cost if self.judge_batch else pricer.cost

        def worst(request: Request) -> Decimal:
            cost = price(request.model, worst_usage(request))
            return cost if cost is not None else Decimal(0)

        runner, _ = self._runner(target_job, provider, pricer,
                                 budget=self.budget.priced_by(worst))
        _stop_together(self.runner, runner)
        return runner


class _CloseAll:
    """Closes several providers (or routes) in turn, at the end of a run's event loop."""

    def __init__(self, *things: Any):
        self.things = things

    async def aclose(self) -> None:
        for thing in self.things:
            await thing.aclose()


def _stop_together(primary: Runner, other: Runner) -> None:
    """Whichever runner stops (budget, outage, Ctrl-C), the other stops with it."""
    before = primary.on_stop

    def primary_stopped(reason: str) -> None:
        if before is not None:
            before(reason)
        other.stop(reason)

    primary.on_stop = primary_stopped
    other.on_stop = primary.stop


def _judge_target(job: Connection, provider: Provider | None
                  ) -> tuple[Job, Pricer, Provider]:
    """The judge's job, pricer and provider (its key checked), before any spend. `provider`
    stands in for the one its target would build (batch mode sets its requests aside)."""
    from .send.fallbacks import target_job

    target = target_job(job, job.judge, what="[judge]")  # type: ignore[arg-type,attr-defined]
    provider = provider or create_provider(target)
    return target, make_pricer(target, provider.endpoint, free=provider.free), provider


def _fallback_targets(job: Connection) -> list[tuple[Job, Pricer, Provider]]:
    """Each fallback's job, pricer and provider (its key checked), before any spend."""
    out = []
    for target in target_jobs(job)[1:]:  # type: ignore[arg-type] - a row job's
        provider = create_provider(target)
        out.append((target, make_pricer(target, provider.endpoint, free=provider.free),
                    provider))
    return out


def cached_input_line(totals: Totals, saved: Decimal) -> str:
    """The summary's word on prompt tokens billed at the cached rate and what that saved."""
    share = totals.cached_tokens / totals.prompt_tokens if totals.prompt_tokens else 0.0
    return (f"cached input: {totals.cached_tokens:,} of {totals.prompt_tokens:,} prompt tokens "
            f"({share:.0%}) billed at the cached rate, saving ${format_usd(saved)}")


def _run_until_done(runner: Any, closer: Any, items: Iterable[T],
                    handle: Callable[[T], Awaitable[None]]) -> str | None:
    async def main() -> str | None:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        presses = 0

        def interrupted() -> None:
            nonlocal presses
            presses += 1
            if presses == 1:
                log.warning("stopping: finishing the requests in flight (Ctrl-C again to "
                            "abandon them)")
                runner.stop("interrupted")
            elif task is not None:
                task.cancel()

        handled = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, interrupted)
                handled.append(sig)
            except (NotImplementedError, RuntimeError, ValueError):
                pass  # not the main thread (or not POSIX): default handling
        try:
            return await runner.run(items, handle)
        finally:
            for sig in handled:
                loop.remove_signal_handler(sig)
            await closer.aclose()

    try:
        return asyncio.run(main())
    except (KeyboardInterrupt, asyncio.CancelledError):
        log.warning("abandoned the requests in flight; their rows stay unanswered")
        return "interrupted twice: requests in flight abandoned"
