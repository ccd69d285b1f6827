"""The providers a job can name, apart from their code: the registry of `send/providers/`.

One line per provider says what a job may write (`provider = "..."`), which model names `auto`
sends to it, what it can do (cost nothing, take Batch API jobs, read images) and which class in
`send/providers/` implements it, imported only when a run needs it. The job's validation and
the CLI's `--provider` choice read this table without loading any SDK.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import defaults


@dataclass(frozen=True)
class ProviderName:
    """What the rest of the pipeline knows of a provider before it is built."""

    #: The name a job and --provider use.
    name: str
    #: "module:Class" under pipeline.send.providers.
    implementation: str
    #: How messages name it.
    label: str
    #: Calls cost nothing (the embedded model): no prices, no budget to hold.
    free: bool = False
    #: It offers a Batch API (`--mode batch`).
    batch_api: bool = False
    #: Its models can read images in prompts.
    reads_images: bool = True
    #: Model names that `provider = "auto"` sends to it (the default provider takes the rest).
    models: tuple[str, ...] = ()


#: Every provider, the default (`auto` for any other model name) first.
PROVIDERS: dict[str, ProviderName] = {p.name: p for p in (
    ProviderName("openai", "openai:OpenAIProvider", "OpenAI-compatible server",
                 batch_api=True),
    ProviderName("local", "local:LocalProvider", "embedded model", free=True,
                 reads_images=False, models=defaults.LOCAL_MODEL_NAMES),
)}
#: What a job's `provider` may say.
PROVIDER_CHOICES: tuple[str, ...] = ("auto", *PROVIDERS)
DEFAULT_PROVIDER = next(iter(PROVIDERS))


def provider_for(provider: str, model: str) -> ProviderName:
    """The provider a job's `provider` and `model` select: named, or for `auto` the one
    whose models include `model`, else the default (any OpenAI-compatible endpoint)."""
    if provider != "auto":
        return PROVIDERS[provider]
    for entry in PROVIDERS.values():
        if model in entry.models:
            return entry
    return PROVIDERS[DEFAULT_PROVIDER]
