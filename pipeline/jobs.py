"""The library calls behind the CLI: `run_job` and `export_job`, usable from Python and cron.

A run never pays twice: every answer is committed to the job's journal as it arrives; a rerun
sends only requests whose fingerprint the journal does not hold (failed ones too when asked);
identical requests within a run are sent once. The output is then written from the journal.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import replace
from decimal import Decimal
from typing import TypeVar

from tqdm import tqdm

from .budget import Budget
from .chain import Digests, RowAnswerer, answers_from_journal
from .config import Connection, Job
from .errors import ConfigError
from .job_lock import job_lock
from .journal import Journal, Stored
from .limits import NO_LIMITS, RateLimiter, RateLimits
from .plan import Plan, build_plan
from .pricing import Pricer
from .providers import Provider, create_provider
from .records import Request, Row, Usage
from .report import RunReport, Totals, format_usd
from .runner import DEFAULT_RETRY_POLICY, RetryPolicy, Runner, Sleep
from .sinks import RowAnswers, merge_steps, write_output

log = logging.getLogger(__name__)
T = TypeVar("T")


def prepare(job: Job, provider: Provider | None = None) -> tuple[Provider, Plan]:
    """Every pre-flight check (config, key, input, template, every row) before any spend."""
    job.output_format  # noqa: B018 - raises ConfigError for an unknown output extension
    provider = provider or create_provider(job)
    plan = build_plan(job, endpoint=provider.endpoint, count_tokens=not provider.free)
    return provider, plan


def make_pricer(job: Connection, endpoint: str, *, free: bool) -> Pricer:
    """The job's pricer: its own prices, else genai-prices for the endpoint (free: cost 0)."""
    return Pricer(prices=job.prices, price_provider=job.price_provider,
                  base_url=None if free else endpoint, free=free)


def reusable(job: Connection) -> Callable[[Stored], bool]:
    """Which stored answers this job reuses instead of calling again: ok ones, and failed or
    flagged ones unless --retry-failed; none with --refresh."""
    def reuse(stored: Stored) -> bool:
        if job.refresh:
            return False
        return stored.result.status == "ok" or not job.retry_failed
    return reuse


def make_budget(job: Job, pricer: Pricer, plan: Plan) -> Budget:
    """The job's spending cap, checked here so a cap that cannot be enforced fails pre-flight."""
    if job.budget is None:
        return Budget()
    steps = [step for chain in plan.chains.values() for step in chain]
    if any(step.completion_cap is None for step in steps):
        raise ConfigError("a budget needs params.max_tokens (or max_completion_tokens) for "
                          "every step: without it a request's worst case is unbounded. Set "
                          "--max-tokens.")
    return budget_for(job.budget, pricer, [step.model for step in steps])


def budget_for(limit: Decimal, pricer: Pricer, models: list[str]) -> Budget:
    """A spending cap over requests to these models, each priced at its worst case (prompt
    counted, completion at its cap). Every model needs a price, or the cap cannot hold."""

    def worst(request: Request) -> Decimal:
        usage = Usage(prompt_tokens=request.prompt_tokens,
                      completion_tokens=request.completion_cap or 0)
        price = pricer.cost(request.model, usage)
        assert price is not None  # checked below
        return price

    for model in dict.fromkeys(models):
        if pricer.cost(model, Usage(1, 1)) is None:
            raise ConfigError(f"a budget needs a price for '{model}': give the job [prices] "
                              "input/output (USD per million tokens) or price_provider.")
    return Budget(Decimal(str(limit)), worst)


def make_runner(job: Connection, provider: Provider, pricer: Pricer, budget: Budget, *,
                retry_policy: RetryPolicy = DEFAULT_RETRY_POLICY,
                sleep: Sleep = asyncio.sleep) -> tuple[Runner, RateLimiter]:
    """The runner and its limiter: the job's limits (none for a provider with its own hard
    limit, the embedded model), concurrency, timeout, attempts and budget."""
    limiter = RateLimiter(
        RateLimits(rpm=job.rpm, tpm=job.tpm) if provider.max_concurrency is None
        else NO_LIMITS, learn=job.learn_limits, sleep=sleep)
    runner = Runner(provider, pricer, limiter=limiter,
                    concurrency=provider.max_concurrency or job.concurrency,
                    timeout=job.timeout, budget=budget,
                    policy=replace(retry_policy, max_attempts=job.max_attempts), sleep=sleep)
    return runner, limiter


def begin_run(journal: Journal, provider: Provider) -> int:
    """A new run's id, with the provider told what earlier runs learned of its endpoint."""
    provider.adopt_modes(journal.response_format_modes(provider.endpoint))
    return journal.start_run()


def end_run(journal: Journal, provider: Provider, run_id: int, *, stopped: str | None,
            budget: Budget, limiter: RateLimiter) -> None:
    """Record how the run ended, the limits it held and what it learned of the server."""
    journal.finish_run(run_id, stopped=stopped, spent=budget.spent,
                       rpm=limiter.limits.rpm, tpm=limiter.limits.tpm)
    for model, mode in provider.learned_modes.items():
        journal.remember_response_format_mode(provider.endpoint, model, mode)


def run_job(job: Job, *, progress: bool | None = None,
            retry_policy: RetryPolicy = DEFAULT_RETRY_POLICY,
            sleep: Sleep = asyncio.sleep, provider: Provider | None = None,
            paid_since: int | None = None, wait_for_lock: bool = False) -> RunReport:
    """Run a job end to end and write its output. Raises PipelineError before any spend.

    `progress=None` shows a bar only when stderr is a terminal. `provider` replaces the job's
    (batch mode passes one that sets requests aside for the next batch). `paid_since`: the
    first run whose answers count as this run's in the output and summary (batch mode).
    One run of a job at a time (job_lock.py): after pre-flight, a second run raises JobLocked
    (exit 4) unless `wait_for_lock`.
    """
    provider, plan = prepare(job, provider)
    pricer = make_pricer(job, provider.endpoint, free=provider.free)
    budget = make_budget(job, pricer, plan)
    bar = tqdm(total=plan.rows, unit="row", file=sys.stderr, dynamic_ncols=True,
               disable=not (sys.stderr.isatty() if progress is None else progress))
    live = Totals()
    names = [s.name for s in plan.steps]

    with job_lock(job.journal_path, wait=wait_for_lock) as lock_note, \
            Journal(job.journal_path) as journal:
        run_id = begin_run(journal, provider)
        runner, limiter = make_runner(job, provider, pricer, budget,
                                      retry_policy=retry_policy, sleep=sleep)
        digests = Digests(per_row=len(plan.variants) * len(plan.steps))
        answerer = RowAnswerer(
            plan, runner, journal, reusable=reusable(job), digests=digests,
            record=lambda result, step, corrected: journal.record(
                result, run_id=run_id, template_key=step.key, clear_attempts=corrected),
            record_attempt=lambda result, n: journal.record_attempt(result, n, run_id=run_id),
            resume_attempts=not job.refresh)

        async def answer_row(row: Row) -> None:
            for answers in await answerer.answer(row):
                merged, cached = merge_steps(answers, names)
                if merged is None or merged.status != "skipped":
                    live.add(merged, cached=cached)
            bar.update(1)
            bar.set_postfix(failed=live.failed, flagged=live.flagged,
                            cost=f"${format_usd(live.cost_usd)}", refresh=False)

        started = time.monotonic()
        stopped = run_until_done(runner, provider, plan.source, answer_row)
        bar.close()
        end_run(journal, provider, run_id, stopped=stopped, budget=budget, limiter=limiter)
        totals = _write(job, plan, journal, run_id, stopped, digests, paid_since)
    notes = [] if provider.free else [limiter.describe()]
    notes += pricer.notes + getattr(provider, "notes", [])
    if lock_note:
        notes.append(lock_note)
    if job.concurrency is None and (found := runner.admission.adaptive.describe()):
        notes.append(found)
    if answerer.reused or answerer.duplicates:
        notes.append(f"reused without a call: {answerer.reused} answer(s) from the journal, "
                     f"{answerer.duplicates} repeated request(s) in this input")
    return RunReport(rows=plan.rows * len(plan.variants), totals=totals,
                     output_path=job.output_path, elapsed_s=time.monotonic() - started,
                     stopped=stopped, notes=notes, budget=budget.limit)


def export_job(job: Job) -> RunReport:
    """Rewrite the output from the journal alone (any format): no provider, no key, no call."""
    job.output_format  # noqa: B018
    if not job.journal_path.exists():
        raise ConfigError(f"no journal at {job.journal_path}: run the job first (or set journal)")
    from .providers import endpoint_for

    plan = build_plan(job, endpoint=endpoint_for(job), count_tokens=False)
    started = time.monotonic()
    with Journal(job.journal_path) as journal:
        last = journal.last_run()
        run_id, stopped = last if last is not None else (0, None)
        totals = _write(job, plan, journal, run_id, stopped)
    return RunReport(rows=plan.rows * len(plan.variants), totals=totals,
                     output_path=job.output_path, elapsed_s=time.monotonic() - started,
                     stopped=stopped)


def _write(job: Job, plan: Plan, journal: Journal, run_id: int, stopped: str | None,
           digests: Digests | None = None, paid_since: int | None = None) -> Totals:
    totals = Totals()
    names = [s.name for s in plan.steps]
    not_sent = f"not sent: the run stopped ({stopped})" if stopped else "not sent"

    def counted() -> Iterator[RowAnswers]:
        for row, variants in answers_from_journal(plan, journal, run_id, digests,
                                                  paid_since=paid_since):
            for answers in variants:
                merged, cached = merge_steps(answers, names, not_sent)
                totals.add(merged, cached=cached)
            yield row, variants

    write_output(job.output_path, job.output_format, layout=plan.layout, answered=counted(),
                 stopped=stopped)
    return totals


def run_until_done(runner: Runner, provider: Provider, items: Iterable[T],
                   handle: Callable[[T], Awaitable[None]]) -> str | None:
    """Run the loop. The first Ctrl-C (or SIGTERM) stops admitting and lets requests in flight
    finish; a second one abandons them (their rows stay unanswered, for the next run)."""
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
            await provider.aclose()

    try:
        return asyncio.run(main())
    except (KeyboardInterrupt, asyncio.CancelledError):
        log.warning("abandoned the requests in flight; their rows stay unanswered")
        return "interrupted twice: requests in flight abandoned"
