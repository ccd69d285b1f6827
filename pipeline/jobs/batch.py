"""Batch jobs: a job through the Batch API at half the price (`--mode batch`), its requests as
Batch API files for any engine that reads them (`--batch-files`), their answers imported back
(`pipeline batches JOB --import`), and the batches listed or cancelled.

A batch run is resumable from cron. Each round collects what finished and submits what the
journal still lacks and no batch carries (batch/api.py); when no batch is left running, the
row job is passed over with a provider that sends nothing (batch/deferred.py): collected
replies are judged like any reply, and what the chain would send next (later steps,
corrections) is the next batch; the output is written when a pass sets nothing aside. Every
command opens the job's run session (its lock, journal, prices and budget at batch prices). A
judge on its own endpoint has its own Batch API: its requests, set aside apart, go there with
its key, at its batch prices.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from .. import defaults
from ..batch.api import BatchProgress, JobBatches, Keep, keep_for_judging
from ..batch.deferred import DeferringProvider
from ..batch.lines import (
    MAX_BYTES,
    FileOfLines,
    job_name,
    output_lines,
    result_from_line,
)
from ..batch.openai_batches import OpenAIBatches
from ..batch.remote import batch_remote, remote_class
from ..batch.spool import RequestSpool
from ..config import Connection, Job
from ..errors import ConfigError, FatalForRun, InputError, TemplateError
from ..files import atomic_write
from ..journal import Journal, reusable
from ..outcome import RunReport
from ..pricing import Pricer
from ..records import Request
from ..rows.plan import Checked, build_plan
from ..send.fallbacks import target_job
from ..send.providers import create_provider, endpoint_for
from ..session import RunSession, Spend
from ..tokens import TokenCounter


def _refuse_without_batch_api(job: Connection, what: str = "") -> None:
    """Batch mode needs a Batch API: refused before anything is built or sent."""
    if not job.provider_info.batch_api:
        raise ConfigError(f"{what}batch mode needs a Batch API (OpenAI, Azure, a compatible "
                          f"server, Anthropic, Gemini): the {job.provider_info.label} answers "
                          "online only")


def _refuse_other_than_openai(job: Connection, what: str) -> None:
    """Batch API files (--batch-files, --import) are OpenAI's format, which OpenAI, Azure and
    self-hosted engines (`vllm run-batch`) read: another provider's job is refused (exit 2)."""
    if job.provider_info.name != "openai":
        raise ConfigError(f"{what} reads and writes OpenAI's Batch API files; the job's provider "
                          f"is the {job.provider_info.label}: run it with --mode batch instead, "
                          "which submits to its own Batch API. Nothing was written.")


def _openai_lines(job: Connection) -> Callable[[Request], bytes]:
    """Requests as OpenAI Batch API lines, structured replies asked as the job asks them."""
    return OpenAIBatches.lines_for(job)


#: In front of the file and batch ids of a judge's own Batch API, as the journal holds them.
JUDGE_TAG = "judge:"


@dataclass(frozen=True)
class BatchAPI:
    """One Batch API a batch run talks to: the job's, or its judge's own (the judge's
    endpoint, key and batch prices), whose ids the journal holds tagged (JobBatches)."""

    job: Connection
    pricer: Pricer
    tag: str = ""
    #: Whether a batch, by its journaled input file id, is this API's (None: all are).
    owns: Callable[[str], bool] | None = None


def _the_jobs(key: str) -> bool:
    return not key.startswith(JUDGE_TAG)


def _the_judges(key: str) -> bool:
    return key.startswith(JUDGE_TAG)


def judge_elsewhere(job: Connection) -> Job | None:
    """The judge's own target when its `[judge]` names an endpoint, key or prices of its own,
    or its model is another provider's: its requests then go as their own batches to its own
    Batch API, with its key, at its batch prices. None: the judge (if any) shares the job's
    Batch API."""
    own = _judges_own(job)
    if not own:
        return None
    return target_job(job, job.judge, what="[judge]")  # type: ignore[arg-type, attr-defined]


def _judges_own(job: Connection) -> list[str]:
    """What the job's judge (a row job's [judge], a catalog's QA judge) sets for itself that
    a batch run would have to send to another Batch API or price apart."""
    judge = getattr(job, "judge", None)
    if judge is None:
        return []
    own = [name for name in ("base_url", "api_key_env", "prices", "price_provider")
           if getattr(judge, name) is not None and getattr(judge, name) != getattr(job, name)]
    # A judge whose model goes to another provider (a claude-* judge of an OpenAI job) is
    # that provider's: its requests are its own API's lines, in its own batches.
    target = target_job(job, judge, what="[judge]")  # type: ignore[arg-type]
    if target.provider_info != job.provider_info:
        own.append("provider")
    return own


def refuse_a_judge_elsewhere(job: Connection, *, leave_out: str) -> None:
    """Catalog QA in batch mode goes through the job's Batch API at the job's batch prices
    (a row job's judge has its own: judge_elsewhere): a QA judge with an endpoint, key or
    prices of its own is refused (exit 2, nothing sent). `leave_out`: how the command leaves
    the judge out."""
    own = _judges_own(job)
    if own:
        raise ConfigError(f"batch mode with a QA judge: the judge sets its own "
                          f"{', '.join(own)}; in batch mode QA's requests go through the job's "
                          "Batch API at its prices. Run online (--mode online), give the judge "
                          f"the job's endpoint and prices, or {leave_out}. Nothing was sent.")


def _batch_session(job: Connection, models: list[str], caps: list[int | None], *,
                   wait_for_lock: bool) -> RunSession:
    """The session of a batch command: the job's lock and journal, its prices, and its budget
    at the Batch API's prices."""
    _refuse_without_batch_api(job)
    return RunSession(job, create_provider(job), spend=Spend(models, caps, batch=True),
                      record=False, wait_for_lock=wait_for_lock)


def _round(session: RunSession, progress: BatchProgress, keep: Keep,
           work: Callable[[JobBatches], Awaitable[None]], api: BatchAPI | None = None) -> None:
    """One round of `work` against a Batch API (the job's, or `api`: its judge's own), on a
    fresh client (one event loop each)."""
    assert session.pricer is not None
    api = api or BatchAPI(session.job, session.pricer)
    job = api.job
    provider = create_provider(job)
    remote = batch_remote(job, provider)

    async def main() -> None:
        try:
            batches = JobBatches(job, remote, session.journal, api.pricer, keep, tag=api.tag,
                                 owns=api.owns, max_requests=job.batch_file_requests)
            try:
                await work(batches)
            finally:
                batches.close()
        except Exception as exc:
            refused = remote.refusal(exc)
            if refused is None:
                raise
            raise FatalForRun(f"the Batch API refused: {refused}") from None
        finally:
            await provider.aclose()

    asyncio.run(main())
    for note in api.pricer.notes:
        if note not in progress.notes:
            progress.notes.append(note)


def _lines_of(job: Connection) -> Callable[[Request], bytes]:
    """Requests as the lines of the job's Batch API (its provider's own format)."""
    return remote_class(job).lines_for(job)


def _wait(delay: float) -> float:
    time.sleep(delay)
    return min(defaults.BATCH_POLL_MAX_S, delay * 1.5)


def run_batch_job(job: Job, *, wait: bool = True,
                  on_round: Callable[[BatchProgress], None] | None = None,
                  fix_online: bool = False, wait_for_lock: bool = False
                  ) -> tuple[BatchProgress, RunReport | None]:
    """A row job in batch mode: collect what ended; when nothing runs, pass over the job
    with a provider that sets requests aside (rows the journal answers are judged and
    written; every request the chain would send, first steps, later steps and corrections,
    is collected) and submit those as the next batch. Done when a pass sets nothing aside:
    its report is the run's. Without `wait`, one round, then (progress, None). With
    `fix_online`, corrections are sent online during the pass instead of batched."""

    if fix_online and job.budget is not None:
        raise ConfigError("--fix-online with --budget is not supported yet (the online "
                          "corrections and the batches would each be held to the budget): "
                          "leave corrections to the next batch, or run without a budget")
    # Pre-flight once for the command: its passes over the job take the rows as checked
    # while the input file is unchanged (rows.plan.Checked), instead of rendering each again.
    plan = build_plan(job, endpoint=endpoint_for(job))
    checked = plan.checked()
    steps = [step for chain in plan.chains.values() for step in chain]
    judge = judge_elsewhere(job)
    if judge is not None:
        _refuse_without_batch_api(judge, "[judge] on its own endpoint: ")
    session = _batch_session(job, [s.model for s in steps], [s.completion_cap for s in steps],
                             wait_for_lock=wait_for_lock)
    with session:
        progress = BatchProgress(budget=session.budget)
        if session.lock_note:
            progress.notes.append(session.lock_note)
        return _batch_rounds(session, progress, _apis(session, judge), wait=wait,
                             on_round=on_round, fix_online=fix_online, checked=checked)


def _apis(session: RunSession, judge: Job | None) -> list[BatchAPI]:
    """The Batch APIs of a row job's batch run: the job's, then its judge's own (if any)."""
    assert session.pricer is not None
    if judge is None:
        _refuse_orphaned_judge_batches(session.journal)
        return [BatchAPI(session.job, session.pricer)]
    assert session.judge is not None  # the judge's pricer, its key checked
    return [BatchAPI(session.job, session.pricer, owns=_the_jobs),
            BatchAPI(judge, session.judge[1], tag=JUDGE_TAG, owns=_the_judges)]


def _refuse_orphaned_judge_batches(journal: Journal) -> None:
    """Batches a judge on its own endpoint submitted, still running, while the job no longer
    names that endpoint (--no-judge, or [judge] back on the job's): only the judge's server
    knows them.
    Refused before anything is sent (exit 2) rather than asked of the job's server."""
    orphaned = [b["batch_id"] or b["input_file_id"] for b in journal.batches(uncollected=True)
                if _the_judges(b["input_file_id"])]
    if orphaned:
        raise ConfigError(f"batch mode: {len(orphaned)} batch(es) of the judge on its own "
                          f"endpoint are still running ({', '.join(orphaned[:3])}), and the "
                          "job no longer names that endpoint: run it with the [judge] that "
                          "submitted them, to collect (or --cancel) them there. Nothing was "
                          "sent.")


def _batch_rounds(session: RunSession, progress: BatchProgress, apis: list[BatchAPI], *,
                  wait: bool,
                  on_round: Callable[[BatchProgress], None] | None,
                  fix_online: bool, checked: Checked | None = None
                  ) -> tuple[BatchProgress, RunReport | None]:
    job: Job = session.job  # type: ignore[assignment] - a row job
    delay = job.batch_poll_s
    unbudgeted = job.model_copy(update={"budget": None})  # passes send nothing
    judge_endpoint = endpoint_for(apis[1].job) if len(apis) > 1 else None
    while True:
        for api in apis:
            _round(session, progress, keep_for_judging, lambda s: s.collect(progress), api)
        if on_round is not None:
            on_round(progress)
        if progress.running:
            if not wait:
                return progress, None
            delay = _wait(delay)
            continue
        # Each Batch API's requests are spooled on disk as they are set aside, as the lines
        # of its files (a judge with its own Batch API: apart, for its batches).
        deferring = DeferringProvider(
            endpoint_for(job), spool=RequestSpool(_lines_of(job)),
            corrections_to=create_provider(job) if fix_online else None)
        judging = DeferringProvider(judge_endpoint, spool=RequestSpool(
            _lines_of(apis[1].job))) if judge_endpoint else None
        try:
            report = _pass_and_submit(session, progress, apis, deferring, judging,
                                      unbudgeted, judge_endpoint, checked)
        finally:
            deferring.discard()
            if judging is not None:
                judging.discard()
        if report is not None:
            return progress, report
        if on_round is not None:
            on_round(progress)
        if not progress.running:  # nothing submitted: every request gave up, or the budget
            continue
        if not wait:
            return progress, None
        delay = _wait(job.batch_poll_s)


def _pass_and_submit(session: RunSession, progress: BatchProgress, apis: list[BatchAPI],
                     deferring: DeferringProvider, judging: DeferringProvider | None,
                     unbudgeted: Job, judge_endpoint: str | None,
                     checked: Checked | None = None) -> RunReport | None:
    """One pass over the job that sets aside what it would send, then those requests
    submitted to their Batch APIs; or, when the pass set nothing aside (or the budget stopped
    submitting), the run's report from a last pass that writes the output."""
    from .run import run_job

    job: Job = session.job  # type: ignore[assignment] - a row job
    # A pass that sets requests aside writes its (partial) output aside too: the job's
    # output appears only when every row has its answer.
    with tempfile.TemporaryDirectory(prefix="pipeline-batch-pass-") as folder:
        scratch = unbudgeted.model_copy(update={
            "output": Path(folder) / f"pass{job.output_path.suffix}",
            "journal": job.journal_path, "format": job.output_format})
        run_job(scratch, progress=False, provider=deferring, judge_provider=judging,
                record=False, checked=checked)
    asked = [deferring.spool, judging.spool if judging else None]
    if not any(asked) or (progress.stopped and not progress.running):
        # Every answer is in the journal (or the budget stopped submitting): no call.
        # The output gives each row what its answer cost at the batch price, whichever
        # run of the job collected it.
        report = run_job(unbudgeted, progress=False, paid_since=0,  # sends nothing
                         provider=DeferringProvider(endpoint_for(job)),
                         judge_provider=DeferringProvider(judge_endpoint)
                         if judge_endpoint else None, checked=checked)
        report.notes += progress.notes
        if any(asked):
            report.stopped = progress.stopped
        return report
    stopped = None
    for api, spool in zip(apis, asked, strict=False):
        if not spool:
            continue
        _round(session, progress, keep_for_judging,
               lambda s, spool=spool: s.submit(spool, progress), api)
        stopped = stopped or progress.stopped  # each submit judges the budget afresh
    progress.stopped = stopped
    return None


def run_batches(job: Connection, requests: Callable[[], list[Request]], keep: Keep, *,
                wait: bool = True, on_round: Callable[[BatchProgress], None] | None = None,
                wait_for_lock: bool = False) -> BatchProgress:
    """Requests known up front (a catalog's packed requests): collect and submit until no
    batch runs (or, without `wait`, once)."""
    _refuse_without_batch_api(job)
    wanted = requests()
    session = _batch_session(job, [r.model for r in wanted],
                             [r.completion_cap for r in wanted], wait_for_lock=wait_for_lock)
    delay = job.batch_poll_s

    async def round_(batches: JobBatches) -> None:
        await batches.collect(progress)
        await batches.submit(spool, progress)

    with session, RequestSpool(_lines_of(job)).extend(wanted) as spool:
        progress = BatchProgress(budget=session.budget)
        if session.lock_note:
            progress.notes.append(session.lock_note)
        while True:
            _round(session, progress, keep, round_)
            if on_round is not None:
                on_round(progress)
            if not progress.running or not wait:
                return progress
            delay = _wait(delay)


def batch_table(job: Job) -> list[str]:
    """The job's batches as the journal knows them (no call)."""
    if not job.journal_path.exists():
        return ["no batches: this job has no journal yet"]
    with Journal(job.journal_path) as journal:
        rows = journal.batches()
    if not rows:
        return ["no batches: run the job with --mode batch to submit some"]
    now = time.time()
    lines = ["batch                          state        done/total  failed  age     cost"]
    for row in rows:
        age = now - row["created_at"]
        age_text = f"{age / 3600:.1f} h" if age >= 3600 else f"{age / 60:.0f} min"
        cost = f"${row['cost_usd']}" if row["cost_usd"] is not None else "-"
        lines.append(f"{row['batch_id'] or row['input_file_id']:<30} {row['status']:<12} "
                     f"{row['completed']:>4}/{row['requests']:<6} {row['failed']:>6}  "
                     f"{age_text:<7} {cost}")
    return lines


def cancel_batches(job: Job) -> list[str]:
    """Ask the Batch API to cancel every batch of the job still running (each at its own API:
    a judge with its own endpoint cancels its batches there, with its key)."""
    judge = judge_elsewhere(job)
    apis: list[tuple[Connection, str, Callable[[str], bool]]] = [(job, "", _the_jobs)]
    if judge is not None:
        apis.append((judge, JUDGE_TAG, _the_judges))

    async def cancel(target: Connection, tag: str, owns: Callable[[str], bool],
                     journal: Journal) -> list[str]:
        provider = create_provider(target)
        remote = batch_remote(target, provider)
        out = []
        try:
            for row in journal.batches(uncollected=True):
                if row["batch_id"] is None or not owns(row["input_file_id"]):
                    continue
                status = await remote.cancel(row["batch_id"][len(tag):])
                journal.batch_update(row["input_file_id"], status=status)
                out.append(f"{row['batch_id']}: {status} (its finished answers are "
                           "collected by the next run)")
        finally:
            await provider.aclose()
        return out

    async def main() -> list[str]:
        out = []
        with Journal(job.journal_path) as journal:
            for target, tag, owns in apis:
                out += await cancel(target, tag, owns, journal)
            if judge is None:
                out += [f"{b['batch_id'] or b['input_file_id']}: not cancelled (it runs at "
                        "the judge's own endpoint, which the job no longer names: cancel it "
                        "with the [judge] that submitted it)"
                        for b in journal.batches(uncollected=True)
                        if _the_judges(b["input_file_id"])]
        return out or ["no running batch to cancel"]

    return asyncio.run(main())


@dataclass
class Written:
    """What `write_batch_files` wrote."""

    paths: list[Path] = field(default_factory=list)
    requests: int = 0
    #: Requests the journal already answers (not written).
    answered: int = 0
    #: Requests that repeat an earlier one of the input (written once).
    duplicates: int = 0
    #: Rows whose template cannot be rendered (they would fail online too).
    unrenderable: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"batch files: {len(self.paths)} file(s), {self.requests} request(s)"
                 f" ({self.answered} already answered in the journal, {self.duplicates} "
                 "repeated in the input)"]
        lines += [f"  {p}" for p in self.paths]
        if self.unrenderable:
            lines.append(f"  not written: {len(self.unrenderable)} row(s) whose template "
                         f"cannot be rendered: {'; '.join(self.unrenderable[:3])}")
        lines.append("run them (OpenAI/Azure Batch API, or `vllm run-batch -i FILE -o OUT`), "
                     "then: pipeline batches JOB --import OUT, and run the job again")
        return "\n".join(lines)


@dataclass
class Imported:
    """What `import_results` took into the journal."""

    answered: int = 0
    failed: list[str] = field(default_factory=list)
    unknown: int = 0
    already: int = 0

    def summary(self) -> str:
        lines = [f"imported: {self.answered} answer(s) into the journal; {self.already} "
                 f"already there; {len(self.failed)} failed line(s); {self.unknown} line(s) "
                 "for requests this job does not make (another job's file?)"]
        lines += [f"  failed: {reason}" for reason in self.failed[:10]]
        if self.answered:
            lines.append("run the job again to write its output from them (no request is "
                         "sent for an imported answer)")
        return "\n".join(lines)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def planned_requests(job: Job, unrenderable: list[str]) -> Iterator[Request]:
    """The first-step request of every row and variant (duplicates included), one at a
    time; the rows that cannot be rendered are added to `unrenderable`."""
    plan = build_plan(job, endpoint=endpoint_for(job))
    for row in plan.source:
        for variant in plan.variants:
            try:
                yield plan.first_request(row, variant)
            except TemplateError as exc:
                unrenderable.append(f"row {row.id}: {exc}")


def write_batch_files(job: Job, directory: Path, *, max_requests: int | None = None,
                      max_bytes: int = MAX_BYTES) -> Written:
    """Write the requests the journal does not answer as Batch API JSONL files in
    `directory` (`<job>-batch-001.jsonl`, …). Sends nothing; needs no key. The requests go
    through a spool on disk (each kept once), then into the files, so any number of rows
    takes the memory of a few."""
    _refuse_other_than_openai(job, "--batch-files")
    written = Written()
    max_requests = max_requests or job.batch_file_requests
    journal = Journal(job.journal_path) if job.journal_path.exists() else None
    reuse = reusable(job)
    with RequestSpool(_openai_lines(job)) as spool:
        try:
            for request in planned_requests(job, written.unrenderable):
                stored = journal.get(request.fingerprint) if journal else None
                if stored is not None and reuse(stored):
                    written.answered += 1
                elif not spool.add(request):
                    written.duplicates += 1
        finally:
            if journal:
                journal.close()
        waiting = spool.requests()
        item = next(waiting, None)

        def fill(tmp: Path) -> None:
            nonlocal item
            with tmp.open("wb") as handle:
                file = FileOfLines(handle, max_requests=max_requests, max_bytes=max_bytes)
                while item is not None and file.fits(item.line):
                    file.add(item.line)
                    item = next(waiting, None)
                written.requests += file.count

        while item is not None:
            path = directory / f"{job_name(job)}-batch-{len(written.paths) + 1:03d}.jsonl"
            atomic_write(path, fill)
            written.paths.append(path)
    return written


def _open_output(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise InputError(f"batch output {path} cannot be read: {exc.strerror or exc}") from None


def import_results(job: Job, path: Path) -> Imported:
    """Journal the answers of a Batch API output file (OpenAI's, Azure's, `vllm run-batch`'s)
    for this job's requests. The whole file is checked before anything is journaled; the
    file and the job's requests are read a line at a time (any size, little memory)."""
    _refuse_other_than_openai(job, "batches --import")
    imported = Imported()
    counters: dict[str, TokenCounter] = {}
    where = f"batch output {path}"
    with _open_output(path) as handle, RequestSpool(_openai_lines(job)) as spool:
        for _ in output_lines(handle, where):  # every line checked first: a bad file
            pass                                # imports nothing
        spool.extend(planned_requests(job, []))
        with RunSession(job, None, record=False) as session:
            journal = session.journal
            run_id = journal.start_run()
            with journal.transaction():
                for number, line in output_lines(handle, where):
                    asked = spool.get(line["custom_id"])
                    if asked is None:
                        imported.unknown += 1
                        continue
                    if (journal.get(asked.fingerprint) is not None
                            or journal.has_pending(asked.fingerprint)):
                        imported.already += 1
                        continue
                    request = Request(row_id=asked.row_id, model=asked.model, messages=[],
                                      params={}, fingerprint=asked.fingerprint,
                                      prompt_tokens=asked.prompt_tokens)
                    result = result_from_line(request, line, counters)
                    if result.status != "ok":
                        imported.failed.append(f"line {number} (row {request.row_id}): "
                                               f"{result.error}")
                        continue
                    # A paid reply not judged yet: the next run judges it (and corrects it
                    # online if a gate fails) exactly as it would a reply it just received.
                    journal.record_attempt(result, 0, run_id=run_id)
                    imported.answered += 1
            journal.finish_run(run_id, stopped=None, spent=Decimal(0), rpm=None, tpm=None)
    return imported
