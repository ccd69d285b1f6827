"""One job's batches against OpenAI's (or Azure's) Batch API: collected, then submitted.

Each round: collect what finished (answers journaled as paid replies not yet judged, priced at
the batch rate; failed lines counted), then submit what the journal still lacks and no batch
carries, split at the API's limits. Every id is journaled the moment it exists (the input file
on upload, the batch on creation; a batch whose creation the process did not live to journal
is found by its input file and adopted), so a process killed anywhere submits nothing twice
and loses nothing: the same command collects later. Nothing here ever cancels a batch (only
`pipeline batches JOB --cancel` does). When no batch is left running, the job is passed over
with a provider that sends nothing (batch/deferred.py): collected replies are judged like
any reply, and what the chain would send next (later steps, corrections) is the next batch;
the output is written when a pass sets nothing aside (jobs/batch.py). A request that failed in
`max_attempts` batches is journaled as failed. A job whose judge has its own endpoint talks to
two Batch APIs over one journal: the judge's ids are journaled tagged, each API handling its own.
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

from .. import defaults
from ..config import Connection
from ..journal import Journal, reusable
from ..pricing import Pricer
from ..records import Request, Result, Usage
from ..send.budget import Budget
from ..tokens import TokenCounter
from .lines import (
    URL,
    job_name,
    read_output_lines,
    request_lines,
    result_from_line,
    split,
    structured_mode,
)

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
    #: Per model, the queue limit learned so far (kept across rounds of one command).
    queue_limit: dict[str, int] = field(default_factory=dict)
    #: This command's spending cap (--budget) at batch prices, with what each batch it
    #: submitted reserved (its worst case), by input file; and why submitting stopped.
    budget: Budget = field(default_factory=Budget)
    reserved: dict[str, Decimal] = field(default_factory=dict)
    stopped: str | None = None

    def summary(self) -> str:
        cost = "unknown" if self.cost_usd is None else f"${self.cost_usd:.6f}"
        lines = [f"batch mode: {self.submitted} batch(es) submitted ({self.requests_submitted} "
                 f"request(s)); {self.collected} collected ({self.answered} answer(s), "
                 f"{self.failed_lines} failed line(s)), {cost} at the batch price"]
        for batch in self.running:
            lines.append(f"  running: {batch['batch_id']} {batch['status']} "
                         f"({batch['completed']}/{batch['requests']} done)")
        return "\n".join(lines + self.notes)


#: How a collected answer is journaled: a row job's as reply number `attempt` of its
#: conversation, not yet judged (the chain judges it on its next pass); a catalog's as the
#: request's result (the translator judges every reply it reads, from the journal or not).
Keep = Callable[[Journal, Request, Result, int, int], None]


def keep_for_judging(journal: Journal, request: Request, result: Result, run_id: int,
                     attempt: int) -> None:
    journal.record_attempt(result, attempt, run_id=run_id)


class JobBatches:
    """One job's batches against one Batch API: collect what ended, submit what is asked."""

    def __init__(self, job: Connection, client: openai.AsyncOpenAI, journal: Journal,
                 pricer: Pricer, keep: Keep = keep_for_judging, *, tag: str = "",
                 owns: Callable[[str], bool] | None = None):
        self.job = job
        self.client = client
        self.journal = journal
        self.pricer = pricer
        self.keep = keep
        #: A job whose judge has its own Batch API keeps one journal for both: the judge's
        #: file and batch ids are journaled with a `tag` in front (two servers may hand out
        #: the same ids), and each API collects (and adopts) only the batches it `owns`, by
        #: journaled input file id (None: all).
        self.tag = tag
        self.owns = owns
        self._counters: dict[str, TokenCounter] = {}
        self._give_up_run: int | None = None

    def _key(self, remote_id: str) -> str:
        """A server's file or batch id as the journal holds it."""
        return self.tag + remote_id

    def _id(self, key: str) -> str:
        """A journaled file or batch id as this API's server knows it."""
        return key[len(self.tag):] if self.tag and key.startswith(self.tag) else key

    def _mine(self, batch: dict[str, Any]) -> bool:
        return self.owns is None or self.owns(batch["input_file_id"])

    # -- collecting ----------------------------------------------------------------------------
    async def collect(self, progress: BatchProgress) -> None:
        for batch in self.journal.batches(uncollected=True):
            if self._mine(batch):
                await self._collect(batch, progress)
        progress.running = self.journal.batches(uncollected=True)

    async def _collect(self, batch: dict[str, Any], progress: BatchProgress) -> None:
        key = batch["input_file_id"]
        if batch["batch_id"] is None:
            # Uploaded, then the process ended before the batch's id was journaled: either
            # the batch was never created, or it was and runs (and bills) on the server.
            found = await self._created_for(self._id(key), batch["created_at"], progress)
            if found is None:  # the file is the only trace: remove it, its requests go again
                await self._delete(key)
                self.journal.batch_forget(key)
                self.journal.batch_update(key, status="abandoned", collected_at=time.time())
                return
            self.journal.batch_update(key, batch_id=self._key(found.id), status=found.status)
            progress.notes.append(f"batch {found.id} (created for input file {key} by a run "
                                  "that ended before journaling it) adopted and collected, "
                                  "not submitted again")
            batch = {**batch, "batch_id": self._key(found.id)}
        remote = await self.client.batches.retrieve(self._id(batch["batch_id"]))
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
        carried = self.journal.batch_requests(key)
        cost = Decimal(0)
        run_id = self.journal.start_run()
        if remote.output_file_id:
            text = (await self.client.files.content(remote.output_file_id)).text
            for _number, line in read_output_lines(text, f"batch {remote.id} output"):
                fp = line["custom_id"]
                if fp not in carried or self._final(fp):
                    continue
                row_id, tokens, attempt = carried[fp]
                request = Request(row_id=row_id, model=batch["model"], messages=[], params={},
                                  fingerprint=fp, prompt_tokens=tokens)
                result = result_from_line(request, line, self._counters)
                if result.status != "ok":
                    progress.failed_lines += 1
                    continue
                result.cost_usd = self.pricer.batch_cost(result.model or request.model,
                                                         result.usage)
                cost += result.cost_usd or 0
                progress.cost_usd = (None if progress.cost_usd is None or result.cost_usd is None
                                     else progress.cost_usd + result.cost_usd)
                self.keep(self.journal, request, result, run_id, attempt)
                progress.answered += 1
        if remote.error_file_id:
            text = (await self.client.files.content(remote.error_file_id)).text
            progress.failed_lines += len(read_output_lines(text,
                                                           f"batch {remote.id} errors"))
        self.journal.finish_run(run_id, stopped=None, spent=cost, rpm=None, tpm=None)
        if key in progress.reserved:  # submitted by this command: its worst case gives way
            progress.budget.settle(progress.reserved.pop(key), cost)
        if not self.job.keep_batch_files:
            await self._delete(key)
        self.journal.batch_update(key, cost_usd=str(cost), collected_at=time.time(),
                                  input_deleted=int(not self.job.keep_batch_files))
        progress.collected += 1

    async def _created_for(self, key: str, uploaded_at: float, progress: BatchProgress
                           ) -> Any | None:
        """The batch the server holds for this uploaded input file and this job (its
        metadata names the job: another job's batch is never taken), or None. Batches are
        listed newest first; the search stops at those created well before the upload."""
        job = job_name(self.job)
        oldest = uploaded_at - defaults.BATCH_CLOCK_SKEW_S
        try:
            async for remote in self.client.batches.list(limit=100):
                if remote.input_file_id == key and (remote.metadata or {}).get(
                        "pipeline_job") == job:
                    return remote
                if remote.created_at < oldest:
                    break
        except openai.APIStatusError as exc:
            if exc.status_code in (404, 405):  # a compatible server without the listing
                progress.notes.append(
                    f"the Batch API cannot list batches (HTTP {exc.status_code}): input file "
                    f"{key}, whose batch may or may not have been created, is taken as never "
                    "submitted; check the server for a batch created from it")
                return None
            raise
        return None

    async def _create(self, key: str, progress: BatchProgress) -> Any:
        """Create the batch for an uploaded file. Creating is not idempotent: a retry after
        a reply that was lost (a timeout, a reset, a 5xx) may create a second batch over the
        same file, billed again; so before each retry, the batch the lost call may have
        created is looked up by its input file, and taken when it is there."""
        uploaded_at = time.time()
        once = self.client.with_options(max_retries=0)
        attempt = 1
        while True:
            try:
                return await once.batches.create(
                    input_file_id=key, endpoint=URL,  # type: ignore[arg-type]
                    completion_window=self.job.completion_window,  # type: ignore[arg-type]
                    metadata={"pipeline_job": job_name(self.job)})
            except (openai.APIConnectionError, openai.APIStatusError) as exc:
                # None: no reply at all (connection, timeout). What the client would retry.
                status = getattr(exc, "status_code", None)
                if attempt >= defaults.BATCH_CREATE_TRIES or not (
                        status is None or status in (408, 409, 429) or status >= 500):
                    raise
            await asyncio.sleep(0.5 * 2 ** (attempt - 1))
            attempt += 1
            if status != 429 and (found := await self._created_for(key, uploaded_at,
                                                                   progress)):
                return found  # the lost reply's batch: asking again would buy it twice

    def _final(self, fingerprint: str) -> bool:
        """The request has its final answer in the journal (nothing more to collect for it)."""
        stored = self.journal.get(fingerprint)
        return stored is not None and reusable(self.job)(stored)

    def _learn_queue_limit(self, batch: dict[str, Any], remote: Any,
                           progress: BatchProgress) -> None:
        """The organisation's queue was full: its requests were not tried; learn the limit
        (stated in the message, else what the other running batches hold) and submit as
        earlier batches finish."""
        key, model = batch["input_file_id"], batch["model"]
        stated = re.search(r"Limit: ([\d,]+)", " ".join(
            e.message or "" for e in (remote.errors.data or [])))
        mine = sum(t for _, t, _ in self.journal.batch_requests(key).values())
        if stated:
            limit = int(stated.group(1).replace(",", ""))
        else:
            limit = max(1, self._enqueued(model, excluding=key) or mine // 2)
        progress.queue_limit[model] = min(limit, progress.queue_limit.get(model, limit))
        self.journal.batch_forget(key)
        self.journal.batch_update(key, status="queue_full", collected_at=time.time())
        progress.notes.append(
            f"the Batch API's enqueued-token limit for {model} is "
            f"{progress.queue_limit[model]:,} "
            "tokens (learned from token_limit_exceeded): the rest is submitted as earlier "
            "batches finish; set batch_queue_tokens to start from it")

    def _enqueued(self, model: str, *, excluding: str | None = None) -> int:
        """Prompt tokens of the model's batches not yet collected."""
        return sum(t for b in self.journal.batches(uncollected=True)
                   if b["model"] == model and b["input_file_id"] != excluding and self._mine(b)
                   for _, t, _ in self.journal.batch_requests(b["input_file_id"]).values())

    async def _delete(self, key: str) -> None:
        with contextlib.suppress(openai.NotFoundError):  # already gone
            await self.client.files.delete(self._id(key))

    # -- submitting ----------------------------------------------------------------------------
    async def submit(self, requests: list[Request], progress: BatchProgress) -> None:
        """Submit the requests that no running batch carries and the journal has no final
        answer for; one that `max_attempts` batches did not answer is journaled failed."""
        progress.stopped = None  # the budget is judged afresh (answers in may have freed it)
        carried = {fp for batch in self.journal.batches(uncollected=True)
                   for fp in self.journal.batch_requests(batch["input_file_id"])}
        missing: list[Request] = []
        for request in _unique(requests):
            fp = request.fingerprint
            if fp in carried or self._final(fp):
                continue
            if self.journal.batch_submissions(fp) >= self.job.max_attempts:
                self._give_up(request, f"no answer from {self.job.max_attempts} batch(es)")
                continue
            missing.append(request)
        by_model: dict[str, list[Request]] = {}
        for request in missing:
            by_model.setdefault(request.model, []).append(request)
        for model, wanted in by_model.items():
            if self.job.batch_queue_tokens and model not in progress.queue_limit:
                progress.queue_limit[model] = self.job.batch_queue_tokens
            if model in progress.queue_limit:
                wanted = self._fitting(model, wanted, progress.queue_limit[model])
            wanted, worst = self._affordable(wanted, progress)
            offset = 0
            for chunk in split(request_lines(wanted, structured_mode(self.job))):
                part = wanted[offset:offset + len(chunk)]
                offset += len(chunk)
                uploaded = await self.client.files.create(
                    file=("requests.jsonl", b"".join(chunk), "application/jsonl"),
                    purpose="batch")
                key = self._key(uploaded.id)
                self.journal.batch_uploaded(key, model, [
                    (r.fingerprint, r.row_id, r.prompt_tokens,
                     len(self.journal.pending_attempts(r.fingerprint))) for r in part])
                created = await self._create(uploaded.id, progress)
                self.journal.batch_update(key, batch_id=self._key(created.id),
                                          status=created.status)
                progress.reserved[key] = sum(worst[r.fingerprint] for r in part)
                progress.submitted += 1
                progress.requests_submitted += len(chunk)
        progress.running = self.journal.batches(uncollected=True)

    def _affordable(self, requests: list[Request], progress: BatchProgress
                    ) -> tuple[list[Request], dict[str, Decimal]]:
        """The requests whose worst case (prompt counted, completion at its cap, batch
        prices) still fits this command's budget, each reserved; the rest wait for a later
        run, and submitting stops with the reason."""
        budget = progress.budget
        if budget.limit is None:
            return requests, {r.fingerprint: Decimal(0) for r in requests}
        kept: list[Request] = []
        worst: dict[str, Decimal] = {}
        for request in requests:
            cost = self.pricer.batch_cost(request.model, Usage(
                request.prompt_tokens, request.completion_cap or 0)) or Decimal(0)
            if not budget.try_reserve(cost):
                progress.stopped = (f"the budget of ${budget.limit} is spent or reserved "
                                    f"(${budget.spent + budget.reserved:.6f} at batch prices, "
                                    "worst cases included)")
                break
            kept.append(request)
            worst[request.fingerprint] = cost
        return kept, worst

    def _fitting(self, model: str, requests: list[Request], limit: int) -> list[Request]:
        """As many requests as the model's queue (of `limit` tokens) has room for; one larger
        than the whole limit fails (it can never be queued)."""
        room = limit - self._enqueued(model)
        fitting: list[Request] = []
        for request in requests:
            if request.prompt_tokens > limit:
                self._give_up(request, f"its prompt ({request.prompt_tokens:,} tokens) is over "
                              f"the Batch API's queue limit ({limit:,})")
            elif request.prompt_tokens <= room:
                fitting.append(request)
                room -= request.prompt_tokens
        return fitting

    def _give_up(self, request: Request, why: str) -> None:
        """Journal the request failed: its row fails rather than go online unasked (one run
        record for the session's give-ups, closed by `close`)."""
        if self._give_up_run is None:
            self._give_up_run = self.journal.start_run()
        self.journal.record(Result(row_id=request.row_id, fingerprint=request.fingerprint,
                                   status="failed", error=why,
                                   attempts=self.journal.batch_submissions(request.fingerprint)),
                            run_id=self._give_up_run, template_key="batch")

    def close(self) -> None:
        if self._give_up_run is not None:
            self.journal.finish_run(self._give_up_run, stopped=None, spent=Decimal(0),
                                    rpm=None, tpm=None)
            self._give_up_run = None


def _queue_full(remote: Any) -> bool:
    errors = getattr(remote.errors, "data", None) or []
    return any(e.code == "token_limit_exceeded" for e in errors)


def _unique(requests: list[Request]) -> list[Request]:
    seen: dict[str, Request] = {}
    for request in requests:
        seen.setdefault(request.fingerprint, request)
    return list(seen.values())


