"""The library calls behind the CLI: `run_job` and `export_job`, usable from Python and cron.

A run never pays twice: every answer is committed to the job's journal as it arrives; a rerun
sends only requests whose fingerprint the journal does not hold (failed ones too when asked);
identical requests within a run are sent once. The output is then written from the journal.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

from tqdm import tqdm

from .budget import Budget
from .config import Job
from .errors import ConfigError
from .journal import Journal
from .limits import NO_LIMITS, RateLimiter, RateLimits
from .plan import Plan, build_plan
from .pricing import Pricer
from .providers import Provider, create_provider
from .records import Request, Result, Row, Usage
from .report import RunReport, Totals, format_usd
from .runner import DEFAULT_RETRY_POLICY, RetryPolicy, Runner, Sleep
from .sinks import Answered, write_output

log = logging.getLogger(__name__)
DIGEST_BYTES = 32  # a sha256 fingerprint


def prepare(job: Job) -> tuple[Provider, Plan]:
    """Every pre-flight check (config, key, input, template, every row) before any spend."""
    job.output_format  # noqa: B018 - raises ConfigError for an unknown output extension
    provider = create_provider(job)
    plan = build_plan(job, endpoint=provider.endpoint, count_tokens=not provider.free)
    return provider, plan


def template_key(job: Job) -> str:
    """Groups answers from the same template and model, for expected completion lengths."""
    text = job.template.read_bytes() if job.template.exists() else b""
    return hashlib.sha256(text + b"\0" + job.model.encode()).hexdigest()[:16]


def make_pricer(job: Job, endpoint: str, *, free: bool) -> Pricer:
    """The job's pricer: its own prices, else genai-prices for the endpoint (free: cost 0)."""
    return Pricer(prices=job.prices, price_provider=job.price_provider,
                  base_url=None if free else endpoint, free=free)


def answered_earlier(journal: Journal, fingerprint: str, job: Job) -> bool:
    """The journal holds an answer this job reuses instead of calling again: an ok one, or a
    failed one unless --retry-failed; none with --refresh."""
    if job.refresh:
        return False
    stored = journal.get(fingerprint)
    return stored is not None and (stored.result.status == "ok" or not job.retry_failed)


def make_budget(job: Job, pricer: Pricer) -> Budget:
    """The job's spending cap, checked here so a cap that cannot be enforced fails pre-flight."""
    if job.budget is None:
        return Budget()
    if job.params.completion_cap is None:
        raise ConfigError("a budget needs params.max_tokens (or max_completion_tokens): without "
                          "it a request's worst case is unbounded. Set --max-tokens.")

    def worst(request: Request) -> Decimal:
        usage = Usage(prompt_tokens=request.prompt_tokens,
                      completion_tokens=request.completion_cap or 0)
        price = pricer.cost(job.model, usage)
        assert price is not None  # checked below
        return price

    if pricer.cost(job.model, Usage(1, 1)) is None:
        raise ConfigError(f"a budget needs a price for '{job.model}': give the job [prices] "
                          "input/output (USD per million tokens) or price_provider.")
    return Budget(Decimal(str(job.budget)), worst)


def run_job(job: Job, *, progress: bool | None = None,
            retry_policy: RetryPolicy = DEFAULT_RETRY_POLICY,
            sleep: Sleep = asyncio.sleep) -> RunReport:
    """Run a job end to end and write its output. Raises PipelineError before any spend.

    `progress=None` shows a bar only when stderr is a terminal.
    """
    provider, plan = prepare(job)
    pricer = make_pricer(job, provider.endpoint, free=provider.free)
    budget = make_budget(job, pricer)
    key = template_key(job)
    bar = tqdm(total=plan.rows, unit="row", file=sys.stderr, dynamic_ncols=True,
               disable=not (sys.stderr.isatty() if progress is None else progress))
    live = Totals()

    with Journal(job.journal_path) as journal:
        run_id = journal.start_run()

        def finished(result: Result) -> None:
            if result.status != "skipped":
                journal.record(result, run_id=run_id, template_key=key)  # durable first
            live.add(result)
            bar.update(1)
            bar.set_postfix(failed=live.failed, cost=f"${format_usd(live.cost_usd)}",
                            refresh=False)

        limiter = RateLimiter(
            RateLimits(rpm=job.rpm, tpm=job.tpm) if provider.max_concurrency is None
            else NO_LIMITS, learn=job.learn_limits, sleep=sleep)
        runner = Runner(provider, pricer, limiter=limiter,
                        concurrency=provider.max_concurrency or job.concurrency,
                        timeout=job.timeout, budget=budget,
                        policy=replace(retry_policy, max_attempts=job.max_attempts),
                        on_result=finished, sleep=sleep)
        started = time.monotonic()
        to_send = _Unanswered(plan, journal, on_reused=lambda: bar.update(1))
        stopped = _run_until_done(runner, provider, iter(to_send))
        bar.close()
        journal.finish_run(run_id, stopped=stopped, spent=budget.spent,
                           rpm=limiter.limits.rpm, tpm=limiter.limits.tpm)
        totals = _write(job, plan, journal, run_id, stopped, to_send.digests)
    notes = [] if provider.free else [limiter.describe()]
    notes += pricer.notes
    if to_send.reused or to_send.duplicates:
        notes.append(f"reused without a call: {to_send.reused} row(s) answered by the journal, "
                     f"{to_send.duplicates} duplicate row(s) in this input")
    return RunReport(rows=plan.rows, totals=totals, output_path=job.output_path,
                     elapsed_s=time.monotonic() - started, stopped=stopped, notes=notes,
                     budget=budget.limit)


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
    return RunReport(rows=plan.rows, totals=totals, output_path=job.output_path,
                     elapsed_s=time.monotonic() - started, stopped=stopped)


@dataclass
class _Unanswered:
    """The requests still to send: those the journal does not answer, each fingerprint once."""

    plan: Plan
    journal: Journal
    on_reused: Callable[[], None]
    reused: int = 0
    duplicates: int = 0
    #: Every row's fingerprint digest in input order (32 bytes a row), so writing the output
    #: need not render the rows again.
    digests: bytearray = field(default_factory=bytearray)

    def __iter__(self) -> Iterator[Request]:
        seen: set[bytes] = set()
        for _row, request in self.plan.requests():
            digest = bytes.fromhex(request.fingerprint)
            self.digests += digest
            if digest in seen:
                self.duplicates += 1
                self.on_reused()
                continue
            seen.add(digest)
            if answered_earlier(self.journal, request.fingerprint, self.plan.job):
                self.reused += 1
                self.on_reused()
                continue
            yield request


def _fingerprints(plan: Plan, digests: bytes) -> Iterator[tuple[Row, str]]:
    """Each row with its fingerprint: from the run's digests, rendering only rows it never
    reached (a stopped run) or every row (an export)."""
    for row in plan.source:
        start = (row.number - 1) * DIGEST_BYTES
        if start + DIGEST_BYTES <= len(digests):
            yield row, digests[start:start + DIGEST_BYTES].hex()
        else:
            yield row, plan.request_for(row).fingerprint


def _answers(plan: Plan, journal: Journal, run_id: int, digests: bytes = b""
             ) -> Iterator[Answered]:
    """Each input row with the journal's answer. A row shows the cost only when this run paid
    for it with this very row; rows answered by an earlier run or by an identical row are
    `cached`, at no cost to this run."""
    for row, fingerprint in _fingerprints(plan, digests):
        stored = journal.get(fingerprint)
        if stored is None:
            yield row, None, False
            continue
        paid_here = stored.run_id == run_id and stored.row_id == row.id
        result = stored.result if paid_here else replace(
            stored.result, cost_usd=Decimal(0) if stored.result.cost_usd is not None else None)
        yield row, result, not paid_here


def _write(job: Job, plan: Plan, journal: Journal, run_id: int, stopped: str | None,
           digests: bytes = b"") -> Totals:
    totals = Totals()

    def counted() -> Iterator[Answered]:
        for row, result, cached in _answers(plan, journal, run_id, digests):
            totals.add(result, cached=cached)
            yield row, result, cached

    write_output(job.output_path, job.output_format, columns=plan.source.columns,
                 answered=counted(), prefix=job.column_prefix, stopped=stopped)
    return totals


def _run_until_done(runner: Runner, provider: Provider, requests: Iterator[Request]
                    ) -> str | None:
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
            return await runner.run(requests)
        finally:
            for sig in handled:
                loop.remove_signal_handler(sig)
            await provider.aclose()

    try:
        return asyncio.run(main())
    except (KeyboardInterrupt, asyncio.CancelledError):
        log.warning("abandoned the requests in flight; their rows stay unanswered")
        return "interrupted twice: requests in flight abandoned"
