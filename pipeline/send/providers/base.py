"""What every provider offers: one call and one error classifier. Retries live in runner.py."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import ClassVar
from urllib.parse import urlsplit

from ...config import Connection
from ...errors import ProviderError
from ...records import Completion, Request


class Provider(ABC):
    """A model endpoint. Subclasses make one request and map their errors onto ours."""

    name: ClassVar[str]
    #: True when calls cost nothing (the embedded model), so pricing is skipped.
    free: ClassVar[bool] = False
    #: Requests it can serve at once, when it has a hard limit (one llama.cpp model: 1).
    max_concurrency: ClassVar[int | None] = None

    @classmethod
    def from_job(cls, job: Connection) -> Provider:
        """The job's provider, its credentials and dependencies checked (ConfigError, exit 2,
        before any spend). Every registered provider (provider_names.py) implements it."""
        raise NotImplementedError(f"{cls.__name__} is not built from a job")

    @classmethod
    def endpoint_for_job(cls, job: Connection) -> str:
        """Where the job's requests would go, without building a client or needing a key:
        the same value `endpoint` gives, so fingerprints match. Every registered provider
        implements it."""
        raise NotImplementedError(f"{cls.__name__} is not built from a job")

    @abstractmethod
    async def complete(self, request: Request, *, timeout: float) -> Completion:
        """Send one request and return the answer, or raise a ProviderError subclass."""

    @abstractmethod
    def classify(self, exc: BaseException) -> ProviderError:
        """Map any exception from `complete` onto Retryable/RateLimited/FatalForRun/FatalForRow."""

    @property
    def endpoint(self) -> str:
        """Where requests go, for fingerprints and messages (never with credentials)."""
        return self.name

    @property
    def where(self) -> str:
        """The endpoint as messages name it: scheme, host and port, no credentials or path."""
        parts = urlsplit(self.endpoint)
        if not parts.scheme:
            return self.endpoint
        return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"

    def adopt_modes(self, modes: Mapping[str, str]) -> None:  # noqa: B027 - optional hook
        """What an earlier run learned of this endpoint: per model, the structured-output mode
        it accepts (only servers that can refuse one use it)."""

    @property
    def learned_modes(self) -> Mapping[str, str]:
        """Per model, the structured-output mode this run found the endpoint accepts."""
        return {}

    async def aclose(self) -> None:  # noqa: B027 - optional hook, most providers hold nothing
        """Release connections or models."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.endpoint}>"
