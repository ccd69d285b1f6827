"""`run_job`: the library call behind `pipeline run`, usable from Python, cron and tests."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Iterator
from dataclasses import replace

from tqdm import tqdm

from .config import Job
from .journal import Journal
from .limits import NO_LIMITS, RateLimiter, RateLimits
from .plan import Plan, build_plan
from .pricing import Pricer
from .providers import Provider, create_provider
from .records import Request, Result
from .report import RunReport, Totals, format_usd
from .runner import DEFAULT_RETRY_POLICY, RetryPolicy, Runner, Sleep
from .sinks import write_output

log = logging.getLogger(__name__)


def prepare(job: Job) -> tuple[Provider, Plan]:
    """Every pre-flight check (config, key, input, template, every row) before any spend."""
    job.output_format  # noqa: B018 - raises ConfigError for an unknown output extension
    provider = create_provider(job)
    plan = build_plan(job, endpoint=provider.endpoint, count_tokens=not provider.free)
    return provider, plan


def run_job(job: Job, *, progress: bool | None = None,
            retry_policy: RetryPolicy = DEFAULT_RETRY_POLICY,
            sleep: Sleep = asyncio.sleep) -> RunReport:
    """Run a job end to end and write its output. Raises PipelineError before any spend.

    Every answer is committed to the job's journal as it arrives; the output is then written
    from the journal. `progress=None` shows a bar only when stderr is a terminal.
    """
    provider, plan = prepare(job)
    pricer = Pricer(prices=job.prices, price_provider=job.price_provider,
                    base_url=provider.endpoint if provider.name == "openai" else None,
                    free=provider.free)
    totals = Totals()
    bar = tqdm(total=plan.rows, unit="row", file=sys.stderr, dynamic_ncols=True,
               disable=not (sys.stderr.isatty() if progress is None else progress))

    with Journal(job.journal_path) as journal:
        def finished(result: Result) -> None:
            if result.status != "skipped":
                journal.record(result)  # durable before the row counts as done
            totals.add(result)
            bar.update(1)
            bar.set_postfix(failed=totals.failed, cost=f"${format_usd(totals.cost_usd)}",
                            refresh=False)

        limiter = RateLimiter(
            RateLimits(rpm=job.rpm, tpm=job.tpm) if provider.max_concurrency is None
            else NO_LIMITS, learn=job.learn_limits, sleep=sleep)
        concurrency = provider.max_concurrency or job.concurrency
        runner = Runner(provider, pricer, limiter=limiter, concurrency=concurrency,
                        timeout=job.timeout,
                        policy=replace(retry_policy, max_attempts=job.max_attempts),
                        on_result=finished, sleep=sleep)
        started = time.monotonic()
        journal.start_rows()
        stopped = _run_until_done(runner, provider, _to_send(plan, journal))
        bar.close()
        journal.flush_rows()
        write_output(job.output_path, job.output_format, columns=plan.source.columns,
                     rows=plan.source, results=journal.row_results(),
                     prefix=job.column_prefix, stopped=stopped)
    notes = [*pricer.notes] if provider.free else [limiter.describe(), *pricer.notes]
    return RunReport(rows=plan.rows, totals=totals, output_path=job.output_path,
                     elapsed_s=time.monotonic() - started, stopped=stopped, notes=notes)


def _to_send(plan: Plan, journal: Journal) -> Iterator[Request]:
    """Stream the requests, recording in the journal which request answers which row."""
    for row, request in plan.requests():
        journal.add_row(row.number, row.id, request.fingerprint)
        yield request


def _run_until_done(runner: Runner, provider: Provider, requests: Iterator[Request]
                    ) -> str | None:
    """Run the loop; Ctrl-C keeps every finished row and reports the run as stopped."""
    async def main() -> str | None:
        try:
            return await runner.run(requests)
        finally:
            await provider.aclose()

    try:
        return asyncio.run(main())
    except KeyboardInterrupt:
        log.warning("interrupted: writing the rows finished so far")
        return "interrupted (Ctrl-C)"
