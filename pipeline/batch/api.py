"""One job's batches against a provider's Batch API (batch/remote.py): collected, then
submitted.

Each round: collect what finished (answers journaled as paid replies not yet judged, priced at
the batch rate; failed lines counted), then submit what the journal still lacks and no batch
carries, split at the API's limits. Every id is journaled the moment it exists (the batch's key
on upload, the batch on creation; a batch whose creation the process did not live to journal
is found by its key and adopted), so a process killed anywhere submits nothing twice
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
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, BinaryIO

from .. import defaults
from ..config import Connection
from ..journal import Journal, reusable
from ..pricing import Pricer
from ..records import Request, Result, Usage
from ..send.budget import Budget
from ..tokens import TokenCounter
from .lines import FileOfLines, job_name, output_lines
from .remote import BatchRemote, RemoteBatch
from .spool import RequestSpool, Spooled


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

    def __init__(self, job: Connection, remote: BatchRemote, journal: Journal,
                 pricer: Pricer, keep: Keep = keep_for_judging, *, tag: str = "",
                 owns: Callable[[str], bool] | None = None, max_requests: int | None = None,
                 max_bytes: int | None = None):
        self.job = job
        self.remote = remote
        self.journal = journal
        self.pricer = pricer
        self.keep = keep
        #: A job whose judge has its own Batch API keeps one journal for both: the judge's
        #: file and batch ids are journaled with a `tag` in front (two servers may hand out
        #: the same ids), and each API collects (and adopts) only the batches it `owns`, by
        #: journaled input file id (None: all).
        self.tag = tag
        self.owns = owns
        #: Where a file is closed and the next begins (the API's limits, or the job's).
        self.max_requests = min(max_requests or remote.max_requests, remote.max_requests)
        self.max_bytes = min(max_bytes or remote.max_bytes, remote.max_bytes)
        self._counters: dict[str, TokenCounter] = {}
        self._give_up_run: int | None = None
        self._carrying = True

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
            found = await self._created_for(key, batch["created_at"], batch["requests"],
                                            progress)
            if found is None:  # the key is the only trace: its requests go again
                await self.remote.discard(self._id(key))
                self.journal.batch_forget(key)
                self.journal.batch_update(key, status="abandoned", collected_at=time.time())
                return
            self.journal.batch_update(key, batch_id=self._key(found.id), status=found.status)
            progress.notes.append(f"batch {found.id} (created for {self.remote.key_name} {key} "
                                  "by a run "
                                  "that ended before journaling it) adopted and collected, "
                                  "not submitted again")
            batch = {**batch, "batch_id": self._key(found.id)}
        remote = await self.remote.retrieve(self._id(batch["batch_id"]))
        self.journal.batch_update(
            key, status=remote.status, completed=remote.completed, failed=remote.failed,
            output_file_id=remote.output_file_id, error_file_id=remote.error_file_id)
        if not remote.ended:
            return
        if remote.queue_full:
            self._learn_queue_limit(batch, remote, progress)
            await self.remote.discard(self._id(key))
            self.journal.batch_update(key, input_deleted=int(not self.job.keep_batch_files))
            return
        carried = self.journal.batch_requests(key)
        cost = Decimal(0)
        run_id = self.journal.start_run()
        with tempfile.TemporaryFile() as handle:
            await self.remote.download(remote, handle)
            where = f"batch {remote.id} output"
            # The whole batch's answers in one transaction: a bad line anywhere (InputError)
            # rolls back every answer kept before it, so nothing is kept.
            with self.journal.transaction():
                for _number, line in output_lines(handle, where, self.remote.id_field):
                    cost += self._keep_line(line, batch["model"], carried, run_id, progress)
        self.journal.finish_run(run_id, stopped=None, spent=cost, rpm=None, tpm=None)
        if key in progress.reserved:  # submitted by this command: its worst case gives way
            progress.budget.settle(progress.reserved.pop(key), cost)
        await self.remote.discard(self._id(key))
        self.journal.batch_update(key, cost_usd=str(cost), collected_at=time.time(),
                                  input_deleted=int(not self.job.keep_batch_files))
        progress.collected += 1

    def _keep_line(self, line: dict[str, Any], model: str,
                   carried: dict[str, tuple[str, int, int]], run_id: int,
                   progress: BatchProgress) -> Decimal:
        """Journal one output line's answer (what it cost at the batch price), or count it
        failed; a line for a request the batch did not carry, or already answered, is passed
        over."""
        fp = line[self.remote.id_field]
        if fp not in carried or self._final(fp):
            return Decimal(0)
        row_id, tokens, attempt = carried[fp]
        request = Request(row_id=row_id, model=model, messages=[], params={}, fingerprint=fp,
                          prompt_tokens=tokens)
        result = self.remote.result(request, line, self._counters)
        if result.status != "ok":
            progress.failed_lines += 1
            return Decimal(0)
        result.cost_usd = self.pricer.batch_cost(result.model or request.model, result.usage)
        progress.cost_usd = (None if progress.cost_usd is None or result.cost_usd is None
                             else progress.cost_usd + result.cost_usd)
        self.keep(self.journal, request, result, run_id, attempt)
        progress.answered += 1
        return result.cost_usd or Decimal(0)

    async def _created_for(self, key: str, uploaded_at: float, count: int,
                           progress: BatchProgress) -> RemoteBatch | None:
        """The batch the server holds for this key and this job, or None (a server that
        cannot list its batches: None, and a note saying what to check)."""
        try:
            return await self.remote.created_for(
                self._id(key), uploaded_at, count, job_name(self.job),
                lambda batch_id: self.journal.knows_batch(self._key(batch_id)))
        except LookupError as exc:
            progress.notes.append(
                f"{exc}: {self._id(key)}, whose batch may or may not have been created, is "
                "taken as never submitted; check the server for a batch created from it")
            return None

    async def _create(self, key: str, handle: BinaryIO, count: int, model: str,
                      progress: BatchProgress) -> RemoteBatch:
        """Create the batch for a key. Creating is not idempotent: a retry after a reply
        that was lost (a timeout, a reset, a 5xx) may create a second batch over the same
        requests, billed again; so before each retry, the batch the lost call may have
        created is looked up by its key, and taken when it is there."""
        uploaded_at = time.time()
        attempt = 1
        while True:
            try:
                return await self.remote.create(self._id(key), handle, job_name(self.job),
                                               model)
            except Exception as exc:
                failure = self.remote.after_failed_create(exc)
                if attempt >= defaults.BATCH_CREATE_TRIES or failure is None:
                    raise
            await asyncio.sleep(0.5 * 2 ** (attempt - 1))
            attempt += 1
            if failure == "lost" and (found := await self._created_for(key, uploaded_at, count,
                                                                       progress)):
                return found  # the lost reply's batch: asking again would buy it twice

    def _final(self, fingerprint: str) -> bool:
        """The request has its final answer in the journal (nothing more to collect for it)."""
        stored = self.journal.get(fingerprint)
        return stored is not None and reusable(self.job)(stored)

    def _learn_queue_limit(self, batch: dict[str, Any], remote: RemoteBatch,
                           progress: BatchProgress) -> None:
        """The organisation's queue was full: its requests were not tried; learn the limit
        (stated in the message, else what the other running batches hold) and submit as
        earlier batches finish."""
        key, model = batch["input_file_id"], batch["model"]
        mine = sum(t for _, t, _ in self.journal.batch_requests(key).values())
        limit = remote.queue_limit or max(1, self._enqueued(model, excluding=key) or mine // 2)
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

    # -- submitting ----------------------------------------------------------------------------
    async def submit(self, spool: RequestSpool, progress: BatchProgress) -> None:
        """Submit the requests set aside that no running batch carries and the journal has no
        final answer for; one that `max_attempts` batches did not answer is journaled failed.
        Model by model, the requests are read from the spool into a file on disk; a full file
        (the API's limits) is uploaded and its batch created while the next one fills."""
        progress.stopped = None  # the budget is judged afresh (answers in may have freed it)
        # Batches running before this submission may carry some of the requests (asked one
        # by one); the spool holds each request once, so the ones this call submits do not.
        self._carrying = bool(self.journal.batches(uncollected=True))
        for model in spool.models():
            if self.job.batch_queue_tokens and model not in progress.queue_limit:
                progress.queue_limit[model] = self.job.batch_queue_tokens
            limit = progress.queue_limit.get(model)
            room = None if limit is None else limit - self._enqueued(model)
            filling: _Filling | None = _Filling(self.max_requests, self.max_bytes)
            sending: asyncio.Task[None] | None = None
            try:
                for count, item in enumerate(spool.requests(model), start=1):
                    if count % _YIELD_EVERY == 0:
                        await asyncio.sleep(0)  # the upload in flight moves on
                    if not self._wanted(item, limit):
                        continue
                    if room is not None and item.prompt_tokens > room:
                        continue  # the model's queue is full: a later round submits it
                    worst = self._reserve(item, progress)
                    if worst is None:
                        break  # the budget is spent or reserved: progress.stopped says so
                    if room is not None:
                        room -= item.prompt_tokens
                    if not filling.file.fits(item.line):
                        sending = await self._hand_over(filling, sending, model, progress)
                        filling = _Filling(self.max_requests, self.max_bytes)
                    filling.add(item, self.journal.pending_count(item.fingerprint), worst)
                if filling.file.count:
                    sending = await self._hand_over(filling, sending, model, progress)
                    filling = None  # it closes when sent
            finally:
                if filling is not None:
                    filling.close()
                if sending is not None:
                    await sending
        progress.running = self.journal.batches(uncollected=True)

    def _wanted(self, item: Spooled, limit: int | None) -> bool:
        """Whether a request set aside still needs a batch: none carries it, the journal has
        no final answer, and it has not failed in `max_attempts` batches or (journaled failed
        now) been found too large for the model's queue."""
        fp = item.fingerprint
        if (self._carrying and self.journal.batch_carries(fp)) or self._final(fp):
            return False
        if self.journal.batch_submissions(fp) >= self.job.max_attempts:
            self._give_up(item, f"no answer from {self.job.max_attempts} batch(es)")
            return False
        if limit is not None and item.prompt_tokens > limit:
            self._give_up(item, f"its prompt ({item.prompt_tokens:,} tokens) is over the "
                          f"Batch API's queue limit ({limit:,})")
            return False
        return True

    def _reserve(self, item: Spooled, progress: BatchProgress) -> Decimal | None:
        """Reserve the request's worst case (prompt counted, completion at its cap, batch
        prices) in this command's budget; None when it does not fit: submitting stops there
        with the reason, and the rest waits for a later run."""
        budget = progress.budget
        if budget.limit is None:
            return Decimal(0)
        cost = self.pricer.batch_cost(item.model, Usage(
            item.prompt_tokens, item.completion_cap or 0)) or Decimal(0)
        if not budget.try_reserve(cost):
            progress.stopped = (f"the budget of ${budget.limit} is spent or reserved "
                                f"(${budget.spent + budget.reserved:.6f} at batch prices, "
                                "worst cases included)")
            return None
        return cost

    async def _hand_over(self, filled: _Filling, sending: asyncio.Task[None] | None,
                         model: str, progress: BatchProgress) -> asyncio.Task[None]:
        """Start uploading a full file once the one before it is up (one upload at a time,
        while the next file fills)."""
        if sending is not None:
            await sending
        return asyncio.create_task(self._send(filled, model, progress))

    async def _send(self, filled: _Filling, model: str, progress: BatchProgress) -> None:
        """Make one batch's requests known (an upload), journal them, create the batch,
        journal that."""
        try:
            filled.handle.flush()
            filled.handle.seek(0)
            key = self._key(await self.remote.upload(filled.handle, filled.file.count))
            self.journal.batch_uploaded(key, model, filled.requests)
            created = await self._create(key, filled.handle, filled.file.count, model,
                                         progress)
            self.journal.batch_update(key, batch_id=self._key(created.id),
                                      status=created.status)
            progress.reserved[key] = filled.worst
            progress.submitted += 1
            progress.requests_submitted += filled.file.count
        finally:
            filled.close()

    def _give_up(self, request: Spooled, why: str) -> None:
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


#: Requests read from the spool between two chances for the upload in flight to move on.
_YIELD_EVERY = 256


class _Filling:
    """One Batch API input file being filled on disk: its lines, what the journal records of
    each request (fingerprint, row, prompt tokens, which reply it will be), and the worst case
    reserved for them in the budget."""

    def __init__(self, max_requests: int, max_bytes: int):
        self.handle: BinaryIO = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.file = FileOfLines(self.handle, max_requests=max_requests, max_bytes=max_bytes)
        self.requests: list[tuple[str, str, int, int]] = []
        self.worst = Decimal(0)

    def add(self, item: Spooled, attempt: int, worst: Decimal) -> None:
        self.file.add(item.line)
        self.requests.append((item.fingerprint, item.row_id, item.prompt_tokens, attempt))
        self.worst += worst

    def close(self) -> None:
        self.handle.close()
