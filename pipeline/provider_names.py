"""The providers a job can name, apart from their code: the registry of `send/providers/`.

One line per provider says what a job may write (`provider = "..."`), which model names `auto`
sends to it, what it can do (cost nothing, take Batch API jobs, read images), where its key is
by default, and which class in `send/providers/` implements it, imported only when a run needs
it. The job's validation and the CLI's `--provider` choice read this table without loading any
SDK.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

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
    #: Its Batch API (`--mode batch`), "module:Class" under pipeline.batch; "" for none.
    batches: str = ""
    #: Its models can read images in prompts.
    reads_images: bool = True
    #: Model names that `provider = "auto"` sends to it (the default provider takes the rest);
    #: a name ending in `*` stands for every name that starts with what comes before it.
    models: tuple[str, ...] = ()
    #: The variable holding its key when the job names none (`api_key_env`).
    key_env: str = defaults.API_KEY_ENV
    #: The hosts of its own API. When it has some, `auto` sends its models to it only while
    #: the job's base_url (if any) is one of them: a gateway serving the same model names over
    #: an OpenAI-compatible API (LiteLLM) keeps them.
    hosts: tuple[str, ...] = ()
    #: A path on its hosts that serves OpenAI's API instead of its own (Gemini's
    #: /v1beta/openai/): `auto` leaves a base_url there to the default provider.
    openai_path: str | None = None
    #: genai-prices' provider for its prices when the job names no price_provider (None: found
    #: from the endpoint's URL): a gateway or test server speaking its API bills its prices.
    price_provider: str | None = None

    def serves(self, model: str, base_url: str | None = None) -> bool:
        """Whether `provider = "auto"` sends `model` (at the job's `base_url`) here."""
        named = any(model.startswith(name[:-1]) if name.endswith("*") else model == name
                    for name in self.models)
        if not named or not self.hosts or base_url is None:
            return named
        parts = urlsplit(base_url)
        if self.openai_path and self.openai_path in parts.path.rstrip("/") + "/":
            return False
        return (parts.hostname or "") in self.hosts

    @property
    def batch_api(self) -> bool:
        """It offers a Batch API (`--mode batch`)."""
        return bool(self.batches)


#: Every provider, the default (`auto` for any other model name) first.
PROVIDERS: dict[str, ProviderName] = {p.name: p for p in (
    ProviderName("openai", "openai:OpenAIProvider", "OpenAI-compatible server",
                 batches="openai_batches:OpenAIBatches"),
    ProviderName("local", "local:LocalProvider", "embedded model", free=True,
                 reads_images=False, models=defaults.LOCAL_MODEL_NAMES),
    ProviderName("anthropic", "anthropic:AnthropicProvider", "Anthropic Messages API",
                 models=("claude-*",), key_env=defaults.ANTHROPIC_API_KEY_ENV,
                 hosts=(defaults.ANTHROPIC_HOST,),
                 batches="anthropic_batches:AnthropicBatches"),
    ProviderName("gemini", "gemini:GeminiProvider", "Gemini API", models=("gemini-*",),
                 key_env=defaults.GEMINI_API_KEY_ENV, hosts=(defaults.GEMINI_HOST,),
                 openai_path="/openai/", price_provider=defaults.GEMINI_PRICE_PROVIDER,
                 batches="gemini_batches:GeminiBatches"),
)}
#: What a job's `provider` may say.
PROVIDER_CHOICES: tuple[str, ...] = ("auto", *PROVIDERS)
DEFAULT_PROVIDER = next(iter(PROVIDERS))


def provider_for(provider: str, model: str, base_url: str | None = None) -> ProviderName:
    """The provider a job's `provider`, `model` and `base_url` select: named, or for `auto`
    the one that serves `model` there (`ProviderName.serves`), else the default (any
    OpenAI-compatible endpoint)."""
    if provider != "auto":
        return PROVIDERS[provider]
    for entry in PROVIDERS.values():
        if entry.serves(model, base_url):
            return entry
    return PROVIDERS[DEFAULT_PROVIDER]
