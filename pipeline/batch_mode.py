"""Batch mode: a job's requests through OpenAI's (or Azure's) Batch API, half the price,
resumable from cron.

Each round: collect what finished (answers journaled as paid replies not yet judged, priced at
the batch rate; failed lines counted), then submit what the journal still lacks and no batch
carries, split at the API's limits. Every id is journaled the moment it exists (the input file
on upload, the batch on creation), so a process killed anywhere submits nothing twice and
loses nothing: the same command collects later. Nothing here ever cancels a batch (only
`pipeline batches JOB --cancel` does). When no batch is left running, the job runs as usual:
the imported replies are judged like any reply (a correction goes online), and the output is
written. A request that failed in `max_attempts` batches is journaled as failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import openai

from . import defaults
from .batch_files import URL, _lines, _mode, _read_text_lines, _result, planned_requests, split
from .config import Connection, Job
from .errors import ConfigError, FatalForRun
from .jobs import make_pricer, reusable
from .journal import Journal
from .pricing import Pricer
from .providers import create_provider
from .records import Request, Result
from .tokens import TokenCounter

TERMINAL = ("completed", "failed", "expired", "cancelled")


@dataclass
class BatchProgress:
    """Where a job's batches stand after a round."""

    submitted: int = 0
    requests_submitted: int = 0
    collected: int = 0
    answered: int = 0
    failed_lines: int = 0
    #: What the collected answers cost at the batch price (None: some have no known price).
    cost_usd: Decimal | None = Decimal(0)
    running: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        cost = "unknown" if self.cost_usd is None else f"${self.cost_usd:.6f}"
        lines = [f"batch mode: {self.submitted} batch(es) submitted ({self.requests_submitted} "
                 f"request(s)); {self.collected} collected ({self.answered} answer(s), "
                 f"{self.failed_lines} failed line(s)), {cost} at the batch price"]
        for batch in self.running:
            lines.append(f"  running: {batch['batch_id']} {batch['status']} "
                         f"({batch['completed']}/{batch['requests']} done)")
        return "\n".join(lines + self.notes)


#: How a collected answer is journaled: a row job's as a paid reply not yet judged (the chain
#: judges it on the next run); a catalog's as the request's result (the translator judges
#: every reply it reads, from the journal or not).
Keep = Callable[[Journal, Request, Result, int], None]


def keep_for_judging(journal: Journal, request: Request, result: Result, run_id: int) -> None:
    journal.record_attempt(result, 0, run_id=run_id)


class BatchSession:
    """One job's batches against one Batch API."""

    def __init__(self, job: Connection, client: openai.AsyncOpenAI, journal: Journal,
                 pricer: Pricer, requests: list[Request], keep: Keep = keep_for_judging):
        self.job = job
        self.client = client
        self.journal = journal
        self.pricer = pricer
        self.keep = keep
        self.requests = _unique(requests)
        self._by_fingerprint = {r.fingerprint: r for r in self.requests}
        self._counters: dict[str, TokenCounter] = {}
        #: Per model, the enqueued-token limit (set, or learned from token_limit_exceeded).
        self.queue_limit: dict[str, int] = ({r.model: job.batch_queue_tokens for r in
                                             self.requests} if job.batch_queue_tokens else {})

    async def round(self, progress: BatchProgress) -> None:
        """Collect what finished, then submit what is missing."""
        for batch in self.journal.batches(uncollected=True):
            await self._collect(batch, progress)
        await self._submit(progress)
        progress.running = self.journal.batches(uncollected=True)

    # -- collecting ----------------------------------------------------------------------------
    async def _collect(self, batch: dict[str, Any], progress: BatchProgress) -> None:
        key = batch["input_file_id"]
        if batch["batch_id"] is None:
            # Uploaded, then the process ended before the batch was created: the file is
            # the only trace on the server; remove it and let its requests go again.
            await self._delete(key)
            self.journal.batch_update(key, status="abandoned", collected_at=time.time())
            return
        remote = await self.client.batches.retrieve(batch["batch_id"])
        counts = remote.request_counts
        self.journal.batch_update(
            key, status=remote.status, completed=counts.completed if counts else 0,
            failed=counts.failed if counts else 0, output_file_id=remote.output_file_id,
            error_file_id=remote.error_file_id)
        if remote.status not in TERMINAL:
            return
        if remote.status == "failed" and _queue_full(remote):
            self._learn_queue_limit(batch, remote, progress)
            if not self.job.keep_batch_files:
                await self._delete(key)
                self.journal.batch_update(key, input_deleted=1)
            return
        cost = Decimal(0)
        run_id = self.journal.start_run()
        if remote.output_file_id:
            text = (await self.client.files.content(remote.output_file_id)).text
            for _number, line in _read_text_lines(text, f"batch {remote.id} output"):
                request = self._by_fingerprint.get(line["custom_id"])
                if request is None or self._answered(request.fingerprint):
                    continue
                result = _result(request, line, self._counters)
                if result.status != "ok":
                    progress.failed_lines += 1
                    continue
                result.cost_usd = self.pricer.batch_cost(result.model or request.model,
                                                         result.usage)
                cost += result.cost_usd or 0
                progress.cost_usd = (None if progress.cost_usd is None or result.cost_usd is None
                                     else progress.cost_usd + result.cost_usd)
                self.keep(self.journal, request, result, run_id)
                progress.answered += 1
        if remote.error_file_id:
            text = (await self.client.files.content(remote.error_file_id)).text
            progress.failed_lines += sum(1 for _ in _read_text_lines(
                text, f"batch {remote.id} errors"))
        self.journal.finish_run(run_id, stopped=None, spent=cost, rpm=None, tpm=None)
        if not self.job.keep_batch_files:
            await self._delete(key)
        self.journal.batch_update(key, cost_usd=str(cost), collected_at=time.time(),
                                  input_deleted=int(not self.job.keep_batch_files))
        progress.collected += 1

    def _give_up(self, request: Request, why: str) -> None:
        """Journal the request failed: its row fails rather than go online unasked."""
        run_id = self.journal.start_run()
        self.journal.record(Result(row_id=request.row_id, fingerprint=request.fingerprint,
                                   status="failed", error=why,
                                   attempts=self.journal.batch_submissions(request.fingerprint)),
                            run_id=run_id, template_key="batch")
        self.journal.finish_run(run_id, stopped=None, spent=Decimal(0), rpm=None, tpm=None)

    def _learn_queue_limit(self, batch: dict[str, Any], remote: Any,
                           progress: BatchProgress) -> None:
        """The organisation's queue was full: its requests were not tried; learn the limit
        (stated in the message, else what the other running batches hold) and submit as
        earlier batches finish."""
        key, model = batch["input_file_id"], batch["model"]
        stated = re.search(r"Limit: ([\d,]+)", " ".join(
            e.message or "" for e in (remote.errors.data or [])))
        mine = self._tokens(self.journal.batch_fingerprints(key))
        if stated:
            limit = int(stated.group(1).replace(",", ""))
        else:
            limit = max(1, self._enqueued(model, excluding=key) or mine // 2)
        self.queue_limit[model] = min(limit, self.queue_limit.get(model, limit))
        self.journal.batch_forget(key)
        self.journal.batch_update(key, status="queue_full", collected_at=time.time())
        progress.notes.append(
            f"the Batch API's enqueued-token limit for {model} is {self.queue_limit[model]:,} "
            "tokens (learned from token_limit_exceeded): the rest is submitted as earlier "
            "batches finish; set batch_queue_tokens to start from it")

    def _tokens(self, fingerprints: list[str]) -> int:
        return sum(self._by_fingerprint[fp].prompt_tokens for fp in fingerprints
                   if fp in self._by_fingerprint)

    def _enqueued(self, model: str, *, excluding: str | None = None) -> int:
        """Prompt tokens of the model's batches not yet collected."""
        return sum(self._tokens(self.journal.batch_fingerprints(b["input_file_id"]))
                   for b in self.journal.batches(uncollected=True)
                   if b["model"] == model and b["input_file_id"] != excluding)

    async def _delete(self, file_id: str) -> None:
        with contextlib.suppress(openai.NotFoundError):  # already gone
            await self.client.files.delete(file_id)

    def _answered(self, fingerprint: str) -> bool:
        stored = self.journal.get(fingerprint)
        return ((stored is not None and reusable(self.job)(stored))
                or bool(self.journal.pending_attempts(fingerprint)))

    # -- submitting ----------------------------------------------------------------------------
    async def _submit(self, progress: BatchProgress) -> None:
        carried = {fp for batch in self.journal.batches(uncollected=True)
                   for fp in self.journal.batch_fingerprints(batch["input_file_id"])}
        missing: list[Request] = []
        for request in self.requests:
            fp = request.fingerprint
            if fp in carried or self._answered(fp):
                continue
            if self.journal.batch_submissions(fp) >= self.job.max_attempts:
                if self.journal.get(fp) is None:  # failed in every batch that carried it
                    self._give_up(request, f"no answer from {self.job.max_attempts} batch(es)")
                continue
            missing.append(request)
        by_model: dict[str, list[Request]] = {}
        for request in missing:
            by_model.setdefault(request.model, []).append(request)
        for model, requests in by_model.items():
            if model in self.queue_limit:
                limit = self.queue_limit[model]
                room = limit - self._enqueued(model)
                fitting: list[Request] = []
                for request in requests:
                    if request.prompt_tokens > limit:  # can never be queued
                        self._give_up(request, f"its prompt ({request.prompt_tokens:,} tokens) "
                                      f"is over the Batch API's queue limit ({limit:,})")
                    elif request.prompt_tokens <= room:
                        fitting.append(request)
                        room -= request.prompt_tokens
                requests = fitting
            if not requests:
                continue
            offset = 0
            for chunk in split(_lines(requests, _mode(self.job))):
                fingerprints = [r.fingerprint for r in requests[offset:offset + len(chunk)]]
                offset += len(chunk)
                uploaded = await self.client.files.create(
                    file=("requests.jsonl", b"".join(chunk), "application/jsonl"),
                    purpose="batch")
                self.journal.batch_uploaded(uploaded.id, model, fingerprints)
                created = await self.client.batches.create(
                    input_file_id=uploaded.id, endpoint=URL,  # type: ignore[arg-type]
                    completion_window=self.job.completion_window,  # type: ignore[arg-type]
                    metadata={"pipeline_job": self.job.journal_path.name.split(".")[0]})
                self.journal.batch_update(uploaded.id, batch_id=created.id,
                                          status=created.status)
                progress.submitted += 1
                progress.requests_submitted += len(chunk)


def _queue_full(remote: Any) -> bool:
    errors = getattr(remote.errors, "data", None) or []
    return any(e.code == "token_limit_exceeded" for e in errors)


def _unique(requests: list[Request]) -> list[Request]:
    seen: dict[str, Request] = {}
    for request in requests:
        seen.setdefault(request.fingerprint, request)
    return list(seen.values())


def run_batches(job: Connection, *, wait: bool = True,
                sleep: Callable[[float], Any] = asyncio.sleep,
                on_round: Callable[[BatchProgress], None] | None = None,
                requests: Callable[[], list[Request]] | None = None,
                keep: Keep = keep_for_judging) -> BatchProgress:
    """Collect and submit until no batch is running (or, without `wait`, once). `requests`
    gives the job's requests (default: a row job's first steps)."""
    if job.resolved_provider == "local":
        raise ConfigError("batch mode needs a Batch API (OpenAI, Azure, or a compatible "
                          "server): the embedded model answers online only")
    if job.budget is not None:
        raise ConfigError("a budget is not enforced in batch mode yet: run the job online "
                          "with --budget, or in batch mode without it")
    provider = create_provider(job)
    pricer = make_pricer(job, provider.endpoint, free=provider.free)
    # Managing files and batches is not the answering path the runner paces and retries: the
    # client's own retries (with backoff) cover a passing 5xx or 429 here.
    client = provider.client.with_options(max_retries=2)  # type: ignore[attr-defined]

    async def main() -> BatchProgress:
        progress = BatchProgress()
        delay = job.batch_poll_s
        try:
            with Journal(job.journal_path) as journal:
                wanted = (requests() if requests is not None
                          else planned_requests(job)[0])  # type: ignore[arg-type]
                session = BatchSession(job, client, journal, pricer, wanted, keep)
                while True:
                    await session.round(progress)
                    if on_round is not None:
                        on_round(progress)
                    if not progress.running or not wait:
                        break
                    await sleep(delay)
                    delay = min(defaults.BATCH_POLL_MAX_S, delay * 1.5)
        except openai.APIStatusError as exc:
            raise FatalForRun(f"the Batch API refused: HTTP {exc.status_code}: "
                              f"{provider.redact(str(exc))[:300]}") from None  # type: ignore[attr-defined]
        finally:
            await provider.aclose()
        progress.notes += pricer.notes
        return progress

    return asyncio.run(main())


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
    """Ask the Batch API to cancel every batch of the job still running."""
    provider = create_provider(job)
    client = provider.client  # type: ignore[attr-defined]

    async def main() -> list[str]:
        out = []
        try:
            with Journal(job.journal_path) as journal:
                for row in journal.batches(uncollected=True):
                    if row["batch_id"] is None:
                        continue
                    remote = await client.batches.cancel(row["batch_id"])
                    journal.batch_update(row["input_file_id"], status=remote.status)
                    out.append(f"{row['batch_id']}: {remote.status} (its finished answers are "
                               "collected by the next run)")
        finally:
            await provider.aclose()
        return out or ["no running batch to cancel"]

    return asyncio.run(main())
