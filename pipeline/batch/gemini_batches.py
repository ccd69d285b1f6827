"""Gemini's Batch API (`POST /v1beta/models/{model}:batchGenerateContent`), with the official
google-genai SDK (the Gemini API, not Vertex AI).

A batch's requests are uploaded as a JSONL file through the Files API (resumable upload, never
whole in memory), one line per request: `{"key": <the request's fingerprint>, "request": <the
GenerateContentRequest JSON>}`, the request exactly the body the online provider sends
(send/providers/gemini.py's `rest_body`: the SDK's own conversion to the REST API's JSON). The
uploaded file's name ("files/...") is the journal's key. The batch is created over it with a
display name carrying the job and the key (`pipeline:<job>:<key>`), which is how a batch whose
creation the process did not live to journal is found again: listed, matched by display name
(never another job's batch, never one already journaled). States are Gemini's
(JOB_STATE_PENDING, _RUNNING, then _SUCCEEDED, _FAILED, _CANCELLED or _EXPIRED when its 48
hours ran out); an ended batch's answers are a JSONL file (`dest.file_name`) of `{"key",
"response": <GenerateContentResponse>}` or `{"key", "error": {code, message, status}}`,
streamed to disk and read by their `key` (`id_field`). Requests
without a line (an expired or cancelled batch's) are submitted again by JobBatches. The
uploaded input file is deleted once collected (unless keep_batch_files); the results file is
Gemini's, which it deletes with the batch (files expire after 48 hours).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, BinaryIO

from google.genai import errors as genai_errors
from google.genai import types

from .. import defaults
from ..config import Connection
from ..records import Request, Result
from ..send.providers.gemini import completion_from, is_transport_error, response_from, rest_body
from ..tokens import TokenCounter
from .lines import answered, failed, job_name
from .remote import BatchRemote, RemoteBatch, create_failure

TERMINAL = ("JOB_STATE_SUCCEEDED", "JOB_STATE_FAILED", "JOB_STATE_CANCELLED",
            "JOB_STATE_EXPIRED")
#: Managing files and batches is not the answering path the runner paces and retries: the
#: SDK's own retries (with backoff: 408, 429, 5xx) cover a passing failure there.
_MANAGING = types.HttpOptions(retry_options=types.HttpRetryOptions(attempts=3))
#: Creating is not idempotent: one attempt (JobBatches looks the batch up before asking again).
_ONCE = types.HttpOptions(retry_options=types.HttpRetryOptions(attempts=1))
_PREFIX = "pipeline"


def display_name(job: str, key: str) -> str:
    """The batch's display name: the job and the input file it was created over."""
    return f"{_PREFIX}:{job}:{key}"


class GeminiBatches(BatchRemote):
    max_requests = defaults.BATCH_FILE_REQUESTS
    #: The Files API takes files up to 2 GB.
    max_bytes = 2 * 1000 * 1000 * 1000
    key_name = "input file"
    id_field = "key"

    def __init__(self, job: Connection, provider: Any):
        self.job = job
        self._provider = provider
        self.client = provider.client.aio

    @classmethod
    def lines_for(cls, job: Connection) -> Callable[[Request], bytes]:
        def line(request: Request) -> bytes:
            return json.dumps({"key": request.fingerprint, "request": rest_body(request)},
                              ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
        return line

    async def upload(self, handle: BinaryIO, count: int) -> str:
        uploaded = await self.client.files.upload(file=handle, config=types.UploadFileConfig(  # type: ignore[arg-type]
            mime_type="jsonl", display_name=f"{_PREFIX}:{job_name(self.job)}"))
        if not uploaded.name:
            raise ValueError("the Files API named no uploaded file")
        return uploaded.name

    async def create(self, key: str, handle: BinaryIO, job_name: str, model: str
                     ) -> RemoteBatch:
        created = await self.client.batches.create(
            model=model, src=key, config=types.CreateBatchJobConfig(
                display_name=display_name(job_name, key), http_options=_ONCE))
        return _remote(created)

    async def created_for(self, key: str, uploaded_at: float, count: int, job_name: str,
                          known: Callable[[str], bool]) -> RemoteBatch | None:
        """The batch whose display name names this job and this input file (a name no other
        job's batch carries), not journaled already. Every page is read: the listing's
        order is not documented."""
        wanted = display_name(job_name, key)
        pager = await self.client.batches.list(config=types.ListBatchJobsConfig(
            page_size=100, http_options=_MANAGING))
        async for batch in pager:
            if batch.display_name == wanted and batch.name and not known(batch.name):
                return _remote(batch)
        return None

    async def retrieve(self, batch_id: str) -> RemoteBatch:
        return _remote(await self.client.batches.get(
            name=batch_id, config=types.GetBatchJobConfig(http_options=_MANAGING)))

    async def download(self, batch: RemoteBatch, handle: BinaryIO) -> None:
        if not batch.output_file_id:
            return  # a batch that failed, expired or was cancelled before any answer
        await self.client.files.download(
            file=batch.output_file_id, destination=handle,  # type: ignore[arg-type]
            config=types.DownloadFileConfig(http_options=_MANAGING))
        handle.flush()

    def result(self, request: Request, line: dict[str, Any],
               counters: dict[str, TokenCounter]) -> Result:
        response = line.get("response")
        if isinstance(response, dict):
            try:
                completion = completion_from(response_from(response), request.model)
            except Exception as exc:  # any shape of garbage in an answer
                return failed(request, f"unreadable answer ({type(exc).__name__})")
            return answered(request, completion, counters)
        error = line.get("error")
        if isinstance(error, dict):
            words = " ".join(str(w) for w in (error.get("code"), error.get("status")) if w)
            message = self._provider.redact(str(error.get("message") or ""))
            return failed(request, f"{words or 'error'}: {message}".rstrip(": "))
        return failed(request, "no answer (the line holds neither a response nor an error)")

    async def discard(self, key: str) -> None:
        if self.job.keep_batch_files:
            return
        try:
            await self.client.files.delete(
                name=key, config=types.DeleteFileConfig(http_options=_MANAGING))
        except genai_errors.APIError as exc:
            if exc.code != 404:  # 404: already gone
                raise

    async def cancel(self, batch_id: str) -> str:
        await self.client.batches.cancel(
            name=batch_id, config=types.CancelBatchJobConfig(http_options=_MANAGING))
        return (await self.retrieve(batch_id)).status

    def after_failed_create(self, exc: BaseException) -> str | None:
        if isinstance(exc, genai_errors.APIError):
            return create_failure(exc.code if isinstance(exc.code, int) else 0)
        if is_transport_error(exc):
            return create_failure(None)
        return None

    def refusal(self, exc: BaseException) -> str | None:
        if isinstance(exc, genai_errors.APIError):
            return f"HTTP {exc.code}: {self._provider.redact(str(exc))[:300]}"
        return None


def _remote(batch: types.BatchJob) -> RemoteBatch:
    state = batch.state.value if batch.state is not None else "JOB_STATE_UNSPECIFIED"
    dest = batch.dest
    return RemoteBatch(id=batch.name or "", status=state, ended=state in TERMINAL,
                       output_file_id=dest.file_name if dest is not None else None)
