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
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from tqdm import tqdm

from . import manifest
from .budget import Budget
from .chain import Digests, RowAnswerer, answers_from_journal
from .config import Connection, Job
from .errors import ConfigError
from .formats import OUTPUT_FORMATS
from .job_lock import job_lock
from .journal import Journal, Stored
from .limits import NO_LIMITS, RateLimiter, RateLimits
from .manifest import RowKinds
from .plan import Plan, build_plan, refuse_images_on_text_models
from .pricing import Pricer
from .providers import Provider, create_provider
from .records import Request, Row, Usage
from .redact import restored
from .report import RunReport, Totals, format_usd
from .review.reviews import Reviews
from .run_log import RunLog
from .run_outputs import copy_to_latest
from .runner import DEFAULT_RETRY_POLICY, RetryPolicy, Runner, Sleep
from .sinks import RowAnswers, merge_steps, write_output

log = logging.getLogger(__name__)
T = TypeVar("T")


def prepare(job: Job, provider: Provider | None = None) -> tuple[Provider, Plan]:
    """Every pre-flight check (config, key, input, template, every row) before any spend."""
    job.output_format  # noqa: B018 - raises ConfigError for an unknown output extension
    job.output_pattern  # noqa: B018 - and for an unknown placeholder in the output path
    refuse_images_on_text_models(job)
    provider = provider or create_provider(job)
    plan = build_plan(job, endpoint=provider.endpoint, count_tokens=not provider.free)
    return provider, plan


def make_pricer(job: Connection, endpoint: str, *, free: bool) -> Pricer:
    """The job's pricer: its own prices, else genai-prices for the endpoint (free: cost 0)."""
    return Pricer(prices=job.prices, price_provider=job.price_provider,
                  base_url=None if free else endpoint, free=free)


def reusable(job: Connection) -> Callable[[Stored], bool]:
    """Which stored answers this job reuses instead of calling again: ok ones, and failed or
    flagged ones unless --retry-failed; none with --refresh. A failure that said nothing about
    the request (the endpoint down, a timeout, a 5xx) is never reused: it cost nothing."""
    def reuse(stored: Stored) -> bool:
        if job.refresh or stored.result.transient:
            return False
        return stored.result.status == "ok" or not job.retry_failed
    return reuse


def make_budget(job: Job, pricer: Pricer, plan: Plan,
                fallbacks: list[tuple[Pricer, str]] | None = None) -> Budget:
    """The job's spending cap, checked here so a cap that cannot be enforced fails pre-flight.
    With fallbacks, a request is reserved at the dearest target it may reach."""
    if job.budget is None:
        return Budget()
    steps = [step for chain in plan.chains.values() for step in chain]
    if any(step.completion_cap is None for step in steps):
        raise ConfigError("a budget needs params.max_tokens (or max_completion_tokens) for "
                          "every step: without it a request's worst case is unbounded. Set "
                          "--max-tokens.")
    return budget_for(job.budget, pricer, [step.model for step in steps],
                      fallbacks=fallbacks, primary=job.model)


def budget_for(limit: Decimal, pricer: Pricer, models: list[str], *,
               fallbacks: list[tuple[Pricer, str]] | None = None,
               primary: str | None = None) -> Budget:
    """A spending cap over requests to these models, each priced at its worst case (prompt
    counted, completion at its cap). Every model needs a price, or the cap cannot hold. A
    request for the `primary` model may go to a fallback: its worst case is the dearest."""

    def worst(request: Request) -> Decimal:
        usage = Usage(prompt_tokens=request.prompt_tokens,
                      completion_tokens=request.completion_cap or 0)
        price = pricer.cost(request.model, usage)
        assert price is not None  # checked below
        if fallbacks and request.model == primary:
            others = [p.cost(model, usage) for p, model in fallbacks]
            price = max([price, *(o for o in others if o is not None)])
        return price

    for model in dict.fromkeys(models):
        if pricer.cost(model, Usage(1, 1)) is None:
            raise ConfigError(f"a budget needs a price for '{model}': give the job [prices] "
                              "input/output (USD per million tokens) or price_provider.")
    for other, model in fallbacks or []:
        if other.cost(model, Usage(1, 1)) is None:
            raise ConfigError(f"a budget needs a price for the fallback '{model}': give it "
                              "[prices] or price_provider.")
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
            paid_since: int | None = None, wait_for_lock: bool = False,
            only_new: bool = False, record: bool = True,
            started_at: datetime | None = None) -> RunReport:
    """Run a job end to end and write its output. Raises PipelineError before any spend.

    `progress=None` shows a bar only when stderr is a terminal. `provider` replaces the job's
    (batch mode passes one that sets requests aside for the next batch). `paid_since`: the
    first run whose answers count as this run's in the output and summary (batch mode).
    One run of a job at a time (job_lock.py): after pre-flight, a second run raises JobLocked
    (exit 4) unless `wait_for_lock`. `only_new`: the output holds only the rows this run
    answered. `record`: write the run's manifest, `latest`, log and notifications (batch
    mode's passes do not). `started_at` (local time) fills a dated output path; now if None.
    """
    batch_pass = provider is not None
    provider, plan = prepare(job, provider)
    check_notify_secrets(job)
    pricer = make_pricer(job, provider.endpoint, free=provider.free)
    # Fallback targets: providers (and their keys) checked now, before any spend.
    fallbacks = [] if batch_pass or not job.fallbacks else _fallback_targets(job)
    budget = make_budget(job, pricer, plan, [(p, j.model) for j, p, _ in fallbacks])
    bar = tqdm(total=plan.rows, unit="row", file=sys.stderr, dynamic_ncols=True,
               disable=not (sys.stderr.isatty() if progress is None else progress))
    live = Totals()
    names = [s.name for s in plan.steps]
    started_at = (started_at or datetime.now()).astimezone()
    run_log = RunLog(job.log_file if record else None)

    with job_lock(job.journal_path, wait=wait_for_lock) as lock_note, \
            Journal(job.journal_path) as journal, run_log:
        said = _estimate_said(job, plan, pricer, journal) if record and job.report else None
        run_id = begin_run(journal, provider)
        run_log.event("start", job=job.stem, run_id=run_id, rows=plan.rows,
                      models=plan_models(plan), endpoint=provider.where)
        runner, limiter = make_runner(job, provider, pricer, budget,
                                      retry_policy=retry_policy, sleep=sleep)
        routes: Any = runner
        if fallbacks:
            routes = _fallback_runner(job, runner, provider, pricer, limiter, fallbacks,
                                      budget, retry_policy, sleep)
        digests = Digests(per_row=len(plan.variants) * len(plan.steps))
        reviews = reviews_of(job, plan, journal)
        answerer = RowAnswerer(
            plan, routes, journal, reusable=reusable(job), digests=digests,
            record=lambda result, step, corrected: journal.record(
                result, run_id=run_id, template_key=step.key, clear_attempts=corrected),
            record_attempt=lambda result, n: journal.record_attempt(result, n, run_id=run_id),
            resume_attempts=not job.refresh, reviews=reviews)

        async def answer_row(row: Row) -> None:
            for answers in await answerer.answer(row):
                merged, cached = merge_steps(answers, names)
                if merged is None or merged.status != "skipped":
                    live.add(merged, cached=cached)
            bar.update(1)
            bar.set_postfix(failed=live.failed, flagged=live.flagged,
                            cost=f"${format_usd(live.cost_usd)}", refresh=False)

        started = time.monotonic()
        stopped = run_until_done(routes, routes if fallbacks else provider, plan.source,
                                 answer_row)
        bar.close()
        end_run(journal, provider, run_id, stopped=stopped, budget=budget, limiter=limiter)
        output = job.output_pattern.for_run(started_at, run_id)
        kinds = RowKinds(
            seen_before=None if paid_since is not None
            else lambda row_id: journal.answered_before(row_id, run_id),
            resent=answerer.resent)
        totals = _write(job, plan, journal, output, run_id, stopped, digests, paid_since,
                        kinds=kinds, only_new=only_new, reviews=reviews)
        held = None if provider.free else limiter.describe()
        notes = [held] if held else []
        notes += pricer.notes + getattr(provider, "notes", [])
        if reviewed := reviews.summary():
            notes.append(reviewed)
        notes += plan.notes
        if totals.cached_tokens:
            notes.append(cached_input_line(totals, routes.cache_saved))
        if fallbacks:
            notes.append(routes.describe())
        if lock_note:
            notes.append(lock_note)
        if job.concurrency is None and (found := runner.admission.adaptive.describe()):
            notes.append(found)
        if answerer.reused or answerer.duplicates:
            notes.append(f"reused without a call: {answerer.reused} answer(s) from the "
                         f"journal, {answerer.duplicates} repeated request(s) in this input")
        elapsed, batches = time.monotonic() - started, None
        if job.mode == "batch" and record:  # the report of a batch run: its whole time
            elapsed, batches = batch_run_time(journal, elapsed)
        report = RunReport(rows=plan.rows * len(plan.variants), totals=totals,
                           output_path=output, elapsed_s=elapsed,
                           stopped=stopped, notes=notes, budget=budget.limit,
                           row_kinds=kinds.counts() if record else None, only_new=only_new,
                           batches=batches)
        for reason, count in routes.retry_reasons.most_common():
            run_log.event("retries", reason=reason, attempts=count)
        if record:
            _record_run(job, plan, journal, run_id, report, kinds, started_at=started_at,
                        limits={"rpm": limiter.limits.rpm, "tpm": limiter.limits.tpm,
                                "concurrency": runner.admission.fixed
                                or runner.admission.cap(), "described": held},
                        run_log=run_log, estimate=said,
                        cache_saved_usd=str(routes.cache_saved))
    if record and job.report:
        from .review.report import write_report

        report.notes.append(f"report: {write_report(job, run_id=run_id)}")
    return report


def batch_run_time(journal: Journal, elapsed_s: float) -> tuple[float, int]:
    """A batch run's wall time (from its first batch's submission, by whichever command, to
    now) and how many batches it created; with none, this command's own `elapsed_s`."""
    began = journal.batch_run()
    if began is None or not began[1]:
        return elapsed_s, 0
    return max(elapsed_s, time.time() - began[0]), began[1]


def _estimate_said(job: Job, plan: Plan, pricer: Pricer, journal: Journal) -> dict[str, Any]:
    """What the estimate says before the run, kept in the manifest for the report."""
    from .estimate import estimate_plan

    est = estimate_plan(job, plan, pricer, journal)
    return {"requests": est.to_send, "prompt_tokens": est.prompt_tokens,
            "completion_expected": est.completion_expected,
            "cost_expected": None if est.cost_expected is None else str(est.cost_expected),
            "cost_max": None if est.cost_max is None else str(est.cost_max)}


def _fallback_targets(job: Job) -> list[tuple[Job, Pricer, Provider]]:
    """Each fallback's job, pricer and provider (its key checked), before any spend."""
    from .targets import target_jobs

    out = []
    for target in target_jobs(job)[1:]:
        provider = create_provider(target)
        out.append((target, make_pricer(target, provider.endpoint, free=provider.free),
                    provider))
    return out


def _fallback_runner(job: Job, runner: Runner, provider: Provider, pricer: Pricer,
                     limiter: RateLimiter, fallbacks: list[tuple[Job, Pricer, Provider]],
                     budget: Budget, retry_policy: RetryPolicy, sleep: Sleep) -> Any:
    """The job's runner and one per fallback (own limiter, concurrency and prices, one
    budget), behind the single-runner interface (targets.py)."""
    from .targets import FallbackRunner, Target, target_name

    targets = [Target(target_name(job.model, provider.endpoint), job.model, provider, pricer,
                      runner, limiter)]
    for target_job, target_pricer, target_provider in fallbacks:
        target_runner, target_limiter = make_runner(target_job, target_provider, target_pricer,
                                                    budget, retry_policy=retry_policy,
                                                    sleep=sleep)
        targets.append(Target(target_name(target_job.model, target_provider.endpoint),
                              target_job.model, target_provider, target_pricer, target_runner,
                              target_limiter))
    for target in targets:
        target.runner.fallback_after_s = job.fallback_after_s
        target.runner.cool_down_s = job.fallback_cool_down_s
    return FallbackRunner(targets)


def cached_input_line(totals: Totals, saved: Decimal) -> str:
    """The summary's word on prompt tokens billed at the cached rate and what that saved."""
    share = totals.cached_tokens / totals.prompt_tokens if totals.prompt_tokens else 0.0
    return (f"cached input: {totals.cached_tokens:,} of {totals.prompt_tokens:,} prompt tokens "
            f"({share:.0%}) billed at the cached rate, saving ${format_usd(saved)}")


def plan_models(plan: Plan) -> list[str]:
    """Every model the job's steps and variants ask, once each, in order."""
    return list(dict.fromkeys(step.model for chain in plan.chains.values() for step in chain))


def _record_run(job: Job, plan: Plan, journal: Journal, run_id: int, report: RunReport,
                kinds: RowKinds, *, started_at: datetime, limits: dict[str, Any],
                run_log: RunLog, estimate: dict[str, Any] | None = None,
                cache_saved_usd: str = "0") -> None:
    """After the output: `latest` when the run is complete, then its record (record_run)."""
    latest = job.output_pattern.latest()
    if latest is not None and report.stopped is None:
        copy_to_latest(report.output_path, latest)
        report.notes.append(f"latest: {latest} (a copy of this run's output)")
    where = manifest.manifest_path(report.output_path, run_id)
    report.manifest_path = where
    record = manifest.for_rows(
        report, kinds, job_name=job.stem, job_file=job.source_file,
        templates=[spec.template.resolve() for spec in job.step_specs
                   if spec.template is not None],
        models=plan_models(plan), run_id=run_id, started=started_at,
        finished=datetime.now().astimezone(), limits=limits,
        outputs={"output": str(report.output_path.resolve()),
                 "latest": str(latest.resolve()) if latest is not None
                 and report.stopped is None else None,
                 "manifest": str(where.resolve())},
        journal=job.journal_path.resolve(), estimate=estimate, cache_saved_usd=cache_saved_usd)
    report.notes += record_run(job, journal, run_id, record, where, run_log)


def record_run(job: Connection, journal: Journal, run_id: int, record: dict[str, Any],
               where: Path, run_log: RunLog) -> list[str]:
    """A finished run's manifest, written beside its output and kept in the journal, then its
    notifications and the log's last line. Returns notes for the summary; never fails the
    run (notifications turn their trouble into notes)."""
    manifest.write(where, record)
    journal.save_manifest(run_id, record)
    notes: list[str] = []
    if job.notify is not None:
        from .notify import send_notifications
        from .providers.openai import environment

        notes = send_notifications(job.notify, record, journal, env=environment())
    run_log.event("end", manifest=record)
    return notes


def check_notify_secrets(job: Connection) -> None:
    """Pre-flight: the secrets the job's [notify] needs are set (ConfigError, exit 2)."""
    if job.notify is not None:
        from .notify import check_notify
        from .providers.openai import environment

        check_notify(job.notify, environment())


def reviews_of(job: Job, plan: Plan, journal: Journal) -> Reviews:
    """The reviewers' verdicts in the journal, as this job's runs and outputs apply them."""
    return Reviews(journal, labels=[v.label for v in plan.variants],
                   keep_rejected=job.keep_rejected)


def export_job(job: Job, *, to: Path | None = None, review: bool = False) -> RunReport:
    """Rewrite the output from the journal alone (any format): no provider, no key, no call.
    The journal is the job's, wherever the export goes: `to` only says where to write (its
    extension gives the format); without it, the job's output, a dated one where the latest
    run's went. `review`: with the review columns whatever the format (CSV and XLSX have them
    anyway)."""
    if to is not None:
        named = to.suffix.lower().lstrip(".")
        job = job.model_copy(update={
            "output": to, "journal": job.journal_path,
            "format": named if named in OUTPUT_FORMATS else job.format})
    job.output_format  # noqa: B018
    if not job.journal_path.exists():
        raise ConfigError(f"no journal at {job.journal_path}: run the job first (or set journal)")
    from .providers import endpoint_for

    plan = build_plan(job, endpoint=endpoint_for(job), count_tokens=False)
    started = time.monotonic()
    with Journal(job.journal_path) as journal:
        last = journal.last_run()
        run_id, stopped = last if last is not None else (0, None)
        output = to if to is not None else _last_output(job, journal, run_id)
        plan.layout.review = plan.layout.review or review
        reviews = reviews_of(job, plan, journal)
        totals = _write(job, plan, journal, output, run_id, stopped, reviews=reviews)
    reviewed = reviews.summary()
    return RunReport(rows=plan.rows * len(plan.variants), totals=totals,
                     output_path=output, elapsed_s=time.monotonic() - started,
                     stopped=stopped, notes=[reviewed] if reviewed else [])


def _last_output(job: Job, journal: Journal, run_id: int) -> Path:
    """The output path filled for that run: its date as its manifest recorded it (a date
    given to run_job), else its start in the journal."""
    recorded = journal.manifest(run_id)
    if recorded is not None and recorded.get("started"):
        return job.output_pattern.for_run(datetime.fromisoformat(recorded["started"]), run_id)
    started = journal.run_started(run_id)
    return job.output_pattern.for_run(
        datetime.fromtimestamp(started) if started else datetime.now(), run_id)


def _write(job: Job, plan: Plan, journal: Journal, output: Path, run_id: int,
           stopped: str | None, digests: Digests | None = None,
           paid_since: int | None = None, *, kinds: RowKinds | None = None,
           only_new: bool = False, reviews: Reviews | None = None) -> Totals:
    totals = Totals()
    names = [s.name for s in plan.steps]
    not_sent = f"not sent: the run stopped ({stopped})" if stopped else "not sent"

    def counted() -> Iterator[RowAnswers]:
        for row, variants in answers_from_journal(plan, journal, run_id, digests,
                                                  paid_since=paid_since, reviews=reviews):
            if job.restore:  # redacted values back in the output (redact.py)
                variants = restored(row, variants)
            merged_results = []
            for index, answers in enumerate(variants):
                merged, cached = merge_steps(answers, names, not_sent)
                # A rejected row left out of the output is not counted either.
                if reviews is None or not reviews.mark(row, index, answers, count=True).left_out:
                    totals.add(merged, cached=cached)
                merged_results.append(merged)
            paid = kinds.add(row, variants, merged_results) if kinds is not None else True
            if paid or not only_new:
                yield row, variants

    write_output(output, job.output_format, layout=plan.layout, answered=counted(),
                 stopped=stopped, marks=reviews.mark if reviews is not None else None)
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
