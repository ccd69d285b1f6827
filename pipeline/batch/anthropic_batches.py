"""Anthropic's Message Batches (`/v1/messages/batches`), with the official SDK.

A batch takes its requests inline (`{"requests": [{"custom_id", "params"}]}`, up to 100,000
requests or 256 MB), each `params` exactly the online Messages API body (send/providers/
anthropic.py's `request_body`, a repeated long system prompt marked for the prompt cache). No
file is uploaded: the journal's key is made here before the batch is created, and the
create call's body is the spooled lines joined, sent as they are (never rebuilt as Python
objects). Anthropic's batches carry no metadata, so a batch whose creation the process did not
live to journal is found by what it does carry: created after its key was journaled, with as
many requests, and not already journaled for another key; its answers are then kept only for
the requests journaled with the key (another batch's custom_ids match none). Results come as
JSONL by custom_id (`succeeded` with the message, `errored`, `canceled`, `expired` when the
24 hours ran out), streamed to disk. Nothing is deleted: results stay 29 days at Anthropic.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any, BinaryIO

import anthropic
from anthropic.types import Message
from anthropic.types.messages import MessageBatch

from .. import defaults
from ..config import Connection
from ..records import Request, Result
from ..send.providers.anthropic import CacheMarks, completion_from, request_body
from ..tokens import TokenCounter
from .lines import answered, failed
from .remote import BatchRemote, RemoteBatch, create_failure

PATH = "/v1/messages/batches"


class AnthropicBatches(BatchRemote):
    max_requests = 100_000
    max_bytes = 256 * 1000 * 1000
    key_name = "requests"

    client: anthropic.AsyncAnthropic

    @classmethod
    def lines_for(cls, job: Connection) -> Callable[[Request], bytes]:
        marks = CacheMarks(getattr(job, "prompt_cache_key", None) is not False)

        def line(request: Request) -> bytes:
            params = request_body(request)
            marks.mark(request.model, params)
            return json.dumps({"custom_id": request.fingerprint, "params": params},
                              ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
        return line

    async def upload(self, handle: BinaryIO, count: int) -> str:
        return f"requests-{uuid.uuid4().hex}"  # nothing to upload: the key is ours

    async def create(self, key: str, handle: BinaryIO, job_name: str, model: str
                     ) -> RemoteBatch:
        handle.seek(0)
        body = b'{"requests":[' + b",".join(
            line.rstrip(b"\n") for line in handle if line.strip()) + b"]}"
        # The SDK's own client and error handling, given the body as bytes: built from
        # dicts (messages.batches.create) it would hold every request as Python objects.
        once = self.client.with_options(max_retries=0)
        created = await once.post(PATH, cast_to=MessageBatch, content=body,
                                  options={"headers": {"Content-Type": "application/json"}})
        return _remote(created)

    async def created_for(self, key: str, uploaded_at: float, count: int, job_name: str,
                          known: Callable[[str], bool]) -> RemoteBatch | None:
        """Listed newest first: of the batches created since the key was journaled with as
        many requests and not journaled already, the first created."""
        oldest = uploaded_at - defaults.BATCH_CLOCK_SKEW_S
        found = None
        async for batch in self.client.messages.batches.list(limit=100):
            if batch.created_at.timestamp() < oldest:
                break
            counts = batch.request_counts
            total = (counts.processing + counts.succeeded + counts.errored + counts.canceled
                     + counts.expired)
            if total == count and not known(batch.id):
                found = batch
        return None if found is None else _remote(found)

    async def retrieve(self, batch_id: str) -> RemoteBatch:
        return _remote(await self.client.messages.batches.retrieve(batch_id))

    async def download(self, batch: RemoteBatch, handle: BinaryIO) -> None:
        results = self.client.messages.batches.with_streaming_response.results
        async with results(batch.id) as reply:
            async for chunk in reply.iter_bytes():
                handle.write(chunk)
        handle.flush()

    def result(self, request: Request, line: dict[str, Any],
               counters: dict[str, TokenCounter]) -> Result:
        outcome = line.get("result") if isinstance(line.get("result"), dict) else {}
        kind = outcome.get("type")
        if kind == "succeeded":
            try:
                message = Message.model_validate(outcome["message"])
                completion = completion_from(message, request.model, None, {})
            except Exception as exc:  # any shape of garbage in an answer
                return failed(request, f"unreadable answer ({type(exc).__name__})")
            return answered(request, completion, counters)
        if kind == "errored":
            error = (outcome.get("error") or {}).get("error") or {}
            return failed(request, f"errored: {error.get('type') or 'error'}: "
                                   f"{self._provider.redact(str(error.get('message') or ''))}")
        if kind == "expired":
            return failed(request, "expired: the batch ended (24 hours) before this request "
                                   "was processed")
        if kind == "canceled":
            return failed(request, "canceled with its batch before it was processed")
        return failed(request, f"no answer (result type {kind!r})")

    async def discard(self, key: str) -> None:
        return None  # nothing was uploaded; results are Anthropic's to expire

    async def cancel(self, batch_id: str) -> str:
        return (await self.client.messages.batches.cancel(batch_id)).processing_status

    def after_failed_create(self, exc: BaseException) -> str | None:
        if isinstance(exc, anthropic.APIConnectionError):
            return create_failure(None)
        if isinstance(exc, anthropic.APIStatusError):
            return create_failure(exc.status_code)
        return None

    def refusal(self, exc: BaseException) -> str | None:
        if isinstance(exc, anthropic.APIStatusError):
            return f"HTTP {exc.status_code}: {self._provider.redact(str(exc))[:300]}"
        return None


def _remote(batch: MessageBatch) -> RemoteBatch:
    counts = batch.request_counts
    return RemoteBatch(id=batch.id, status=batch.processing_status,
                       ended=batch.processing_status == "ended", completed=counts.succeeded,
                       failed=counts.errored + counts.expired + counts.canceled)
