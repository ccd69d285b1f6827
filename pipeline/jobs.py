"""`run_job`: the library call behind `pipeline run`, usable from Python, cron and tests."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from dataclasses import replace

from tqdm import tqdm

from .config import Job
from .plan import Plan, build_plan
from .pricing import Pricer
from .providers import Provider, create_provider
from .records import Result
from .report import RunReport, Totals, format_usd
from .runner import DEFAULT_RETRY_POLICY, RetryPolicy, Runner, Sleep
from .sinks import write_output

log = logging.getLogger(__name__)


def prepare(job: Job) -> tuple[Provider, Plan]:
    """Every pre-flight check (config, key, input, template, every row) before any spend."""
    job.output_format  # noqa: B018 - raises ConfigError for an unknown output extension
    provider = create_provider(job)
    return provider, build_plan(job, endpoint=provider.endpoint)


def run_job(job: Job, *, progress: bool | None = None,
            retry_policy: RetryPolicy = DEFAULT_RETRY_POLICY,
            sleep: Sleep = asyncio.sleep) -> RunReport:
    """Run a job end to end and write its output. Raises PipelineError before any spend.

    `progress=None` shows a bar only when stderr is a terminal.
    """
    provider, plan = prepare(job)
    pricer = Pricer(prices=job.prices, price_provider=job.price_provider,
                    base_url=provider.endpoint if provider.name == "openai" else None,
                    free=provider.free)
    results: dict[str, Result] = {}
    totals = Totals()
    bar = tqdm(total=len(plan.requests), unit="row", file=sys.stderr, dynamic_ncols=True,
               disable=not (sys.stderr.isatty() if progress is None else progress))

    def finished(result: Result) -> None:
        results[result.row_id] = result
        totals.add(result)
        bar.update(1)
        bar.set_postfix(failed=totals.failed, cost=f"${format_usd(totals.cost_usd)}",
                        refresh=False)

    concurrency = min(job.concurrency, provider.max_concurrency or job.concurrency)
    runner = Runner(provider, pricer, concurrency=concurrency, timeout=job.timeout,
                    policy=replace(retry_policy, max_attempts=job.max_attempts), on_result=finished,
                    sleep=sleep)
    started = time.monotonic()
    stopped = _run_until_done(runner, provider, plan)
    bar.close()

    for request in plan.requests:  # rows never sent are reported, never silently dropped
        if request.row_id not in results:
            note = f"not sent: the run stopped ({stopped})" if stopped else "not sent"
            finished(Result(row_id=request.row_id, fingerprint=request.fingerprint,
                            status="skipped", error=note))
    write_output(job.output_path, job.output_format, plan.table, results, job.column_prefix)
    return RunReport(rows=len(plan.requests), totals=totals, output_path=job.output_path,
                     elapsed_s=time.monotonic() - started, stopped=stopped, notes=pricer.notes)


def _run_until_done(runner: Runner, provider: Provider, plan: Plan) -> str | None:
    """Run the loop; Ctrl-C keeps every finished row and reports the run as stopped."""
    async def main() -> str | None:
        try:
            return await runner.run(plan.requests)
        finally:
            await provider.aclose()

    try:
        return asyncio.run(main())
    except KeyboardInterrupt:
        log.warning("interrupted: writing the rows finished so far")
        return "interrupted (Ctrl-C)"
