"""The only code that talks to a model: pick the provider a job asks for."""

from __future__ import annotations

from ..config import Job
from .base import Provider


def create_provider(job: Job) -> Provider:
    """Build the job's provider, checking credentials and dependencies before any spend."""
    if job.resolved_provider == "local":
        from .local import LocalProvider

        return LocalProvider.from_job(job)
    from .openai import OpenAIProvider

    return OpenAIProvider.from_job(job)


__all__ = ["Provider", "create_provider"]
