"""The library calls behind the CLI: `run_job` and `export_job`, usable from Python and cron.

A run never pays twice: every answer is committed to the job's journal as it arrives; a rerun
sends only requests whose fingerprint the journal does not hold (failed ones too when asked);
identical requests within a run are sent once. The output is then written from the journal.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from ..config import Job
from ..errors import ConfigError
from ..formats import OUTPUT_FORMATS
from ..journal import Journal, reusable
from ..outcome import RunReport, Totals, batch_run_time, format_usd
from ..output_paths import copy_to_latest
from ..pricing import Pricer
from ..records import Row
from ..review.agreement import judge_agreement
from ..rows.chain import Digests, RowAnswerer, answers_from_journal
from ..rows.judge import template_key
from ..rows.plan import Checked, Plan, build_plan, refuse_images_on_text_models
from ..rows.redact import restored
from ..rows.reviews import Reviews
from ..rows.sinks import RowAnswers, merge_steps, write_output
from ..send.providers import Provider, create_provider
from ..send.runner import DEFAULT_RETRY_POLICY, RetryPolicy, Sleep
from ..session import RunSession, Spend
from ..unattended import manifest
from ..unattended.manifest import RowKinds


def prepare(job: Job, provider: Provider | None = None,
            checked: Checked | None = None) -> tuple[Provider, Plan]:
    """Every pre-flight check (config, key, input, template, every row) before any spend
    (the rows' taken from `checked` when this command checked the same input already)."""
    job.output_format  # noqa: B018 - raises ConfigError for an unknown output extension
    job.output_pattern  # noqa: B018 - and for an unknown placeholder in the output path
    refuse_images_on_text_models(job)
    provider = provider or create_provider(job)
    plan = build_plan(job, endpoint=provider.endpoint, count_tokens=not provider.free,
                      checked=checked)
    return provider, plan


def run_job(job: Job, *, progress: bool | None = None,
            retry_policy: RetryPolicy = DEFAULT_RETRY_POLICY,
            sleep: Sleep = asyncio.sleep, provider: Provider | None = None,
            paid_since: int | None = None, wait_for_lock: bool = False,
            only_new: bool = False, record: bool = True,
            started_at: datetime | None = None,
            judge_provider: Provider | None = None,
            checked: Checked | None = None) -> RunReport:
    """Run a job end to end and write its output. Raises PipelineError before any spend.

    `progress=None` shows a bar only when stderr is a terminal. `provider` replaces the job's
    (batch mode passes one that sets requests aside for the next batch); the judge's
    requests go to it too, or to `judge_provider` (batch mode's for a judge with its own Batch
    API). `paid_since`: the
    first run whose answers count as this run's in the output and summary (batch mode).
    One run of a job at a time (unattended/lock.py): after pre-flight, a second run raises
    JobLocked (exit 4) unless `wait_for_lock`. `only_new`: the output holds only the rows this
    run answered. `record`: write the run's manifest, `latest`, log and notifications (batch
    mode's passes do not). `started_at` (local time) fills a dated output path; now if None.
    `checked`: this command's pre-flight of the same input (batch mode's later passes).
    """
    batch_pass = provider is not None
    provider, plan = prepare(job, provider, checked)
    steps = [step for chain in plan.chains.values() for step in chain]
    session = RunSession(job, provider, spend=Spend([s.model for s in steps],
                                                    [s.completion_cap for s in steps]),
                         fallbacks=not batch_pass, record=record,
                         wait_for_lock=wait_for_lock, retry_policy=retry_policy, sleep=sleep,
                         judge_provider=judge_provider or (provider if batch_pass else None))
    live = Totals()
    names = [s.name for s in plan.steps]
    started_at = (started_at or datetime.now()).astimezone()

    with session:
        journal = session.journal
        said = (_estimate_said(job, plan, session.pricer, journal) if record and job.report
                else None)
        run_id = session.begin(total=plan.rows, unit="row", progress=progress, rows=plan.rows,
                               models=plan_models(plan))
        digests = Digests(per_row=len(plan.variants) * len(plan.steps))
        reviews = Reviews.of(job, plan, journal)
        answerer = RowAnswerer(
            plan, session.routes, journal, reusable=reusable(job), digests=digests,
            record=lambda result, step, corrected: journal.record(
                result, run_id=run_id, template_key=step.key, clear_attempts=corrected),
            record_attempt=lambda result, n: journal.record_attempt(result, n, run_id=run_id),
            resume_attempts=not job.refresh, reviews=reviews,
            judge_runner=session.judge_runner,
            record_judgement=lambda result, writer, collected: journal.record(
                result, run_id=run_id, template_key=template_key(writer),
                clear_attempts=collected))
        bar = session.bar

        async def answer_row(row: Row) -> None:
            for answers in await answerer.answer(row):
                merged, cached = merge_steps(answers, names)
                if merged is None or merged.status != "skipped":
                    live.add(merged, cached=cached)
            bar.update(1)
            bar.set_postfix(failed=live.failed, flagged=live.flagged,
                            cost=f"${format_usd(live.cost_usd)}", refresh=False)

        started = time.monotonic()
        stopped = session.send(plan.source, answer_row)
        output = job.output_pattern.for_run(started_at, run_id)
        kinds = RowKinds(
            seen_before=None if paid_since is not None
            else lambda row_id: journal.answered_before(row_id, run_id),
            resent=answerer.resent)
        totals = _write(job, plan, journal, output, run_id, stopped, digests, paid_since,
                        kinds=kinds, only_new=only_new, reviews=reviews)
        notes = session.notes()
        if reviewed := reviews.summary():
            notes.append(reviewed)
        agreement = judge_agreement(plan, journal)
        if agreement is not None:
            notes += agreement.lines()
        notes += plan.notes
        notes += session.after_notes(totals=totals, adaptive=job.concurrency is None)
        if answerer.reused or answerer.duplicates:
            notes.append(f"reused without a call: {answerer.reused} answer(s) from the "
                         f"journal, {answerer.duplicates} repeated request(s) in this input")
        elapsed, batches = time.monotonic() - started, None
        if job.mode == "batch" and record:  # the report of a batch run: its whole time
            elapsed, batches = batch_run_time(journal, elapsed)
        report = RunReport(rows=plan.rows * len(plan.variants), totals=totals,
                           output_path=output, elapsed_s=elapsed,
                           stopped=stopped, notes=notes, budget=session.budget.limit,
                           row_kinds=kinds.counts() if record else None, only_new=only_new,
                           batches=batches)
        session.log_retries()
        if record:
            _record_run(job, plan, session, report, kinds, started_at=started_at,
                        estimate=said, cache_saved_usd=str(session.routes.cache_saved),
                        agreement=agreement.as_dict() if agreement is not None else None)
    return report


def _estimate_said(job: Job, plan: Plan, pricer: Pricer, journal: Journal) -> dict[str, Any]:
    """What the estimate says before the run, kept in the manifest for the report."""
    from ..rows.estimate import estimate_plan

    est = estimate_plan(job, plan, pricer, journal)
    return {"requests": est.to_send, "prompt_tokens": est.prompt_tokens,
            "completion_expected": est.completion_expected,
            "cost_expected": None if est.cost_expected is None else str(est.cost_expected),
            "cost_max": None if est.cost_max is None else str(est.cost_max)}


def plan_models(plan: Plan) -> list[str]:
    """Every model the job's steps and variants ask, once each, in order."""
    return list(dict.fromkeys(step.model for chain in plan.chains.values() for step in chain))


def _record_run(job: Job, plan: Plan, session: RunSession, report: RunReport,
                kinds: RowKinds, *, started_at: datetime, estimate: dict[str, Any] | None,
                cache_saved_usd: str, agreement: dict[str, Any] | None = None) -> None:
    """After the output: `latest` when the run is complete, then its record (the session's)."""
    latest = job.output_pattern.latest()
    if latest is not None and report.stopped is None:
        copy_to_latest(report.output_path, latest)
        report.notes.append(f"latest: {latest} (a copy of this run's output)")
    assert session.run_id is not None
    where = manifest.manifest_path(report.output_path, session.run_id)
    report.manifest_path = where
    record = manifest.for_rows(
        report, kinds, job_name=job.stem, job_file=job.source_file,
        templates=[spec.template.resolve() for spec in job.step_specs
                   if spec.template is not None],
        models=plan_models(plan), run_id=session.run_id, started=started_at,
        finished=datetime.now().astimezone(), limits=session.limits(),
        outputs={"output": str(report.output_path.resolve()),
                 "latest": str(latest.resolve()) if latest is not None
                 and report.stopped is None else None,
                 "manifest": str(where.resolve())},
        journal=job.journal_path.resolve(), estimate=estimate, cache_saved_usd=cache_saved_usd,
        **({"judge_agreement": agreement} if agreement is not None else {}))
    report.notes += session.record(record, where)


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
    from ..send.providers import endpoint_for

    plan = build_plan(job, endpoint=endpoint_for(job), count_tokens=False)
    started = time.monotonic()
    with Journal(job.journal_path) as journal:
        last = journal.last_run()
        run_id, stopped = last if last is not None else (0, None)
        output = to if to is not None else _last_output(job, journal, run_id)
        plan.layout.review = plan.layout.review or review
        reviews = Reviews.of(job, plan, journal)
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
