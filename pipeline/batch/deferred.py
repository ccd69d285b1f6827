"""A provider that sends nothing: each request it is asked for is set aside for a batch.

Batch mode runs the job with it to learn what to put in the next batch: rows the journal
answers go through the chain as usual (judged, corrected, written), and every request the
chain would send (a first step, a later step built from a judged answer, a correction with the
problems stated) is written to a spool on disk instead of being sent (batch/spool.py: a
million requests set aside in the memory of a few).
"""

from __future__ import annotations

from ..errors import Deferred, FatalForRow, ProviderError
from ..records import Completion, Request
from ..send.providers.base import Provider
from .spool import RequestSpool


class DeferringProvider(Provider):
    name = "batch"

    def __init__(self, endpoint: str, *, spool: RequestSpool | None = None,
                 corrections_to: Provider | None = None):
        self._endpoint = endpoint
        #: The requests set aside, once each by fingerprint (a correction shares its
        #: request's); None for a last pass, which sets nothing aside.
        self.spool = spool
        #: Where corrections go instead of the next batch (--fix-online); None: batched.
        self._online = corrections_to

    @property
    def endpoint(self) -> str:
        return self._endpoint  # the real endpoint's, so fingerprints are the online ones

    async def complete(self, request: Request, *, timeout: float) -> Completion:
        if self._online is not None and _is_correction(request):
            return await self._online.complete(request, timeout=timeout)
        if self.spool is not None:  # None: a last pass, which submits nothing
            self.spool.add(request)
        raise Deferred("deferred to a batch")

    def classify(self, exc: BaseException) -> ProviderError:
        if isinstance(exc, ProviderError):
            return exc
        return self._online.classify(exc) if self._online else FatalForRow(str(exc))

    def redact(self, text: str) -> str:
        return self._online.redact(text) if self._online else text  # type: ignore[attr-defined]

    async def aclose(self) -> None:
        if self._online is not None:
            await self._online.aclose()

    def discard(self) -> None:
        """Remove the spool's file (once its requests are submitted or written)."""
        if self.spool is not None:
            self.spool.close()
            self.spool = None


def _is_correction(request: Request) -> bool:
    """A follow-up that carries the model's earlier reply (and the problems found in it)."""
    return any(m.get("role") == "assistant" for m in request.messages)
