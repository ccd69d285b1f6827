"""OpenAI's (and Azure's, and compatible servers') Files and Batch APIs.

A batch's requests are uploaded as a JSONL file (`purpose=batch`, lines.py's lines) whose id
is the journal's key; the batch is created over it with the job named in its metadata, which
is how a batch whose creation the process did not live to journal is found again (listed
newest first, matched by input file and job). Answers come back as an output file and an
error file, both streamed to disk. A batch that failed because the organisation's
enqueued-token queue was full says so (`token_limit_exceeded`, its limit in the message).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import Any, BinaryIO

import openai

from .. import defaults
from ..config import Connection
from ..records import Request, Result
from ..tokens import TokenCounter
from .lines import MAX_BYTES, MAX_REQUESTS, URL, request_line, result_from_line, structured_mode
from .remote import BatchRemote, RemoteBatch, create_failure

TERMINAL = ("completed", "failed", "expired", "cancelled")


class OpenAIBatches(BatchRemote):
    max_requests = MAX_REQUESTS
    max_bytes = MAX_BYTES
    key_name = "input file"

    client: openai.AsyncOpenAI

    @classmethod
    def lines_for(cls, job: Connection) -> Callable[[Request], bytes]:
        mode = structured_mode(job)
        return lambda request: request_line(request, mode)

    async def upload(self, handle: BinaryIO, count: int) -> str:
        uploaded = await self.client.files.create(
            file=("requests.jsonl", handle, "application/jsonl"), purpose="batch")
        return uploaded.id

    async def create(self, key: str, handle: BinaryIO, job_name: str, model: str
                     ) -> RemoteBatch:
        once = self.client.with_options(max_retries=0)
        created = await once.batches.create(
            input_file_id=key, endpoint=URL,  # type: ignore[arg-type]
            completion_window=self.job.completion_window,  # type: ignore[arg-type]
            metadata={"pipeline_job": job_name})
        return _remote(created)

    async def created_for(self, key: str, uploaded_at: float, count: int, job_name: str,
                          known: Callable[[str], bool]) -> RemoteBatch | None:
        """The batch the server holds for this uploaded input file and this job (its
        metadata names the job: another job's batch is never taken). Batches are listed
        newest first; the search stops at those created well before the upload. A server
        without the listing (404/405) raises LookupError with why."""
        oldest = uploaded_at - defaults.BATCH_CLOCK_SKEW_S
        try:
            async for remote in self.client.batches.list(limit=100):
                if remote.input_file_id == key and (remote.metadata or {}).get(
                        "pipeline_job") == job_name:
                    return _remote(remote)
                if remote.created_at < oldest:
                    break
        except openai.APIStatusError as exc:
            if exc.status_code in (404, 405):  # a compatible server without the listing
                raise LookupError(f"the Batch API cannot list batches (HTTP {exc.status_code})"
                                  ) from None
            raise
        return None

    async def retrieve(self, batch_id: str) -> RemoteBatch:
        return _remote(await self.client.batches.retrieve(batch_id))

    async def download(self, batch: RemoteBatch, handle: BinaryIO) -> None:
        for file_id in (batch.output_file_id, batch.error_file_id):
            if file_id:
                async with self.client.files.with_streaming_response.content(file_id) as reply:
                    async for chunk in reply.iter_bytes():
                        handle.write(chunk)
                handle.flush()

    def result(self, request: Request, line: dict[str, Any],
               counters: dict[str, TokenCounter]) -> Result:
        return result_from_line(request, line, counters)

    async def discard(self, key: str) -> None:
        if self.job.keep_batch_files:
            return
        with contextlib.suppress(openai.NotFoundError):  # already gone
            await self.client.files.delete(key)

    async def cancel(self, batch_id: str) -> str:
        return (await self.client.batches.cancel(batch_id)).status

    def after_failed_create(self, exc: BaseException) -> str | None:
        if isinstance(exc, openai.APIConnectionError):
            return create_failure(None)
        if isinstance(exc, openai.APIStatusError):
            return create_failure(exc.status_code)
        return None

    def refusal(self, exc: BaseException) -> str | None:
        if isinstance(exc, openai.APIStatusError):
            return (f"HTTP {exc.status_code}: "
                    f"{self._provider.redact(str(exc))[:300]}")
        return None


def _remote(batch: Any) -> RemoteBatch:
    counts = batch.request_counts
    errors = getattr(batch.errors, "data", None) or []
    full = batch.status == "failed" and any(e.code == "token_limit_exceeded" for e in errors)
    stated = re.search(r"Limit: ([\d,]+)", " ".join(e.message or "" for e in errors))
    return RemoteBatch(
        id=batch.id, status=batch.status, ended=batch.status in TERMINAL,
        completed=counts.completed if counts else 0, failed=counts.failed if counts else 0,
        output_file_id=batch.output_file_id, error_file_id=batch.error_file_id,
        queue_full=full,
        queue_limit=int(stated.group(1).replace(",", "")) if full and stated else None)
