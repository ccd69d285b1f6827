"""The only code that talks to a model: the provider a job asks for, built from the registry.

Each provider is one module here with a `Provider` subclass (base.py), listed once in
provider_names.PROVIDERS; this module imports it when a run needs it, so a job that talks to
an OpenAI-compatible server never loads llama.cpp, and the reverse.
"""

from __future__ import annotations

from importlib import import_module

from ...config import Connection
from ...provider_names import ProviderName
from .base import Provider


def provider_class(entry: ProviderName) -> type[Provider]:
    """The class that implements a registered provider."""
    module, _, name = entry.implementation.partition(":")
    cls: type[Provider] = getattr(import_module(f"{__name__}.{module}"), name)
    return cls


def create_provider(job: Connection) -> Provider:
    """Build the job's provider, checking credentials and dependencies before any spend."""
    return provider_class(job.provider_info).from_job(job)


def endpoint_for(job: Connection) -> str:
    """Where the job's requests go, without building a client or needing a key (the same
    value the provider reports, so fingerprints match)."""
    return provider_class(job.provider_info).endpoint_for_job(job)


__all__ = ["Provider", "create_provider", "endpoint_for", "provider_class"]
