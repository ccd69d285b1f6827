"""A provider that sends nothing: each request it is asked for is set aside for a batch.

Batch mode runs the job with it to learn what to put in the next batch: rows the journal
answers go through the chain as usual (judged, corrected, written), and every request the
chain would send (a first step, a later step built from a judged answer, a correction with the
problems stated) is collected here instead of being sent.
"""

from __future__ import annotations

from ..errors import Deferred, FatalForRow, ProviderError
from ..records import Completion, Request
from .base import Provider


class DeferringProvider(Provider):
    name = "batch"

    def __init__(self, endpoint: str):
        self._endpoint = endpoint
        #: The requests set aside, by fingerprint (a correction shares its request's).
        self.deferred: dict[str, Request] = {}

    @property
    def endpoint(self) -> str:
        return self._endpoint  # the real endpoint's, so fingerprints are the online ones

    async def complete(self, request: Request, *, timeout: float) -> Completion:
        self.deferred[request.fingerprint] = request
        raise Deferred("deferred to a batch")

    def classify(self, exc: BaseException) -> ProviderError:
        return exc if isinstance(exc, ProviderError) else FatalForRow(str(exc))
