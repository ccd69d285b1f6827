"""One provider's Batch API as a job's batches use it (batch/api.py's JobBatches): the shape
every provider's batches take, whatever its calls are.

A batch is journaled under a key that exists before the batch does (OpenAI's uploaded input
file; for an API that takes its requests inline, a key of ours), so a process killed between
creating a batch and journaling it leaves a trace the next run can search the server by
(`created_for`). Each provider is one module here (openai_batches.py, anthropic_batches.py),
named by its line in provider_names.PROVIDERS (`batches`) and imported only when a batch run
needs it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any, BinaryIO

from ..config import Connection
from ..records import Request, Result
from ..tokens import TokenCounter


@dataclass
class RemoteBatch:
    """What a Batch API says of one batch, in the terms the journal keeps."""

    id: str
    #: The server's own word for its state (shown by `pipeline batches`).
    status: str
    #: Whether it has ended (answers, if any, can be collected).
    ended: bool
    completed: int = 0
    failed: int = 0
    output_file_id: str | None = None
    error_file_id: str | None = None
    #: The organisation's queue was full: nothing in it was tried (the limit when stated).
    queue_full: bool = False
    queue_limit: int | None = None


class BatchRemote(ABC):
    """A provider's Batch API: its request lines, its calls, and its answers read back."""

    #: A batch's limits: where a file (or an inline batch) is closed and the next begins.
    max_requests: int
    max_bytes: int
    #: What the journal's key of a batch names, in messages ("input file").
    key_name: str
    #: Where an answered line names its request (the request's fingerprint).
    id_field: str = "custom_id"

    def __init__(self, job: Connection, provider: Any):
        self.job = job
        self._provider = provider
        # Managing batches is not the answering path the runner paces and retries: the
        # SDK's own retries (with backoff) cover a passing 5xx or 429 here.
        self.client = provider.client.with_options(max_retries=2)

    @classmethod
    @abstractmethod
    def lines_for(cls, job: Connection) -> Callable[[Request], bytes]:
        """How the job's requests are written as lines of a batch (newline included), each's
        custom_id its fingerprint: set aside in the spool before any client exists."""

    @abstractmethod
    async def upload(self, handle: BinaryIO, count: int) -> str:
        """Make the batch's requests (the lines in `handle`) known by a key before the batch
        exists; the key is journaled with them."""

    @abstractmethod
    async def create(self, key: str, handle: BinaryIO, job_name: str, model: str) -> RemoteBatch:
        """Create the batch for `key`, its requests all for `model` (one call, not retried
        here: creating is not idempotent, JobBatches looks the batch up before asking
        again)."""

    @abstractmethod
    async def created_for(self, key: str, uploaded_at: float, count: int, job_name: str,
                          known: Callable[[str], bool]) -> RemoteBatch | None:
        """The batch a lost create call made for `key`, or None (`known`: batch ids the
        journal already holds, never adopted twice)."""

    @abstractmethod
    async def retrieve(self, batch_id: str) -> RemoteBatch:
        """Where a batch stands."""

    @abstractmethod
    async def download(self, batch: RemoteBatch, handle: BinaryIO) -> None:
        """Every line the ended batch answered (answers and failures) into `handle`, streamed
        (never whole in memory), each naming its request in `id_field`."""

    @abstractmethod
    def result(self, request: Request, line: dict[str, Any],
               counters: dict[str, TokenCounter]) -> Result:
        """One answered line as the request's result (`ok`, or `failed` with why)."""

    @abstractmethod
    async def discard(self, key: str) -> None:
        """Remove what the batch left on the server that the job does not keep (an input
        file), if anything."""

    @abstractmethod
    async def cancel(self, batch_id: str) -> str:
        """Ask the server to cancel a running batch; its new state."""

    @abstractmethod
    def after_failed_create(self, exc: BaseException) -> str | None:
        """What a failed create call means: "lost" (no reply, a 5xx, a 408/409: the batch
        may exist, look it up before asking again), "busy" (a 429: ask again later), None
        (refused: raise)."""

    @abstractmethod
    def refusal(self, exc: BaseException) -> str | None:
        """An error of the API's, said in words for the run to stop on; None: not the API's."""


def create_failure(status: int | None) -> str | None:
    """`after_failed_create` by the HTTP status a create call failed with (None: no reply at
    all, a timeout or a reset): "lost" when the batch may exist, "busy" for a 429, None for a
    refusal."""
    if status is None or status in (408, 409) or status >= 500:
        return "lost"
    return "busy" if status == 429 else None


def remote_class(job: Connection) -> type[BatchRemote]:
    """The class of the job's provider's Batch API (its registry line's `batches`)."""
    module, _, name = job.provider_info.batches.partition(":")
    cls: type[BatchRemote] = getattr(import_module(f"{__package__}.{module}"), name)
    return cls


def batch_remote(job: Connection, provider: Any) -> BatchRemote:
    """The job's provider's Batch API, on the provider's client (`provider` was built for the
    job: its key checked, its endpoint resolved)."""
    return remote_class(job)(job, provider)  # type: ignore[call-arg]
