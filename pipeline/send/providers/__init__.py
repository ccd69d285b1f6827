"""The only code that talks to a model: pick the provider a job asks for."""

from __future__ import annotations

from ...config import Connection
from .base import Provider


def create_provider(job: Connection) -> Provider:
    """Build the job's provider, checking credentials and dependencies before any spend."""
    if job.resolved_provider == "local":
        from .local import LocalProvider

        return LocalProvider.from_job(job)
    from .openai import OpenAIProvider

    return OpenAIProvider.from_job(job)


def endpoint_for(job: Connection) -> str:
    """Where the job's requests go, without building a client or needing a key (the same
    value the provider reports, so fingerprints match)."""
    if job.resolved_provider == "local":
        from .local import LocalProvider, bundled_model_path

        return LocalProvider.endpoint_for(job.model_path or bundled_model_path())
    from .openai import resolve_base_url

    return resolve_base_url(job)


__all__ = ["Provider", "create_provider", "endpoint_for"]
