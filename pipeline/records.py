"""The record types that flow through the pipeline; each stage adds to them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

Status = Literal["ok", "failed", "flagged", "skipped"]


@dataclass(frozen=True, slots=True)
class Row:
    """One input row: its stable id, its 1-based position in the input, and its fields."""

    id: str
    number: int
    fields: dict[str, Any]
    #: With `redact`: the fields as the model sees them, and how to put values back
    #: (a redact.Redacted); None when nothing is redacted.
    redaction: Any = None

    @property
    def prompt_fields(self) -> dict[str, Any]:
        """What the templates see: the redacted fields when the job redacts, else the row's."""
        return self.redaction.fields if self.redaction is not None else self.fields


@dataclass(frozen=True, slots=True)
class Request:
    """Everything sent for one row. The fingerprint hashes all that changes the answer."""

    row_id: str
    model: str
    #: Chat messages; a user message's content may be a list of text and image parts, each
    #: image an images.Image (its data URL is built only when the body is sent).
    messages: list[dict[str, Any]]
    params: dict[str, Any]
    fingerprint: str
    #: Prompt tokens counted with the model's encoding (0 where nothing is counted).
    prompt_tokens: int = 0
    #: max_tokens / max_completion_tokens when the job sets one: the worst-case completion.
    completion_cap: int | None = None
    #: The JSON Schema the reply must match (None: plain text), and whether to ask the server
    #: for its strict json_schema mode. The provider picks the wire format it supports.
    response_schema: Mapping[str, Any] | None = None
    strict_schema: bool = True
    #: The same schema with the gates' lengths and item counts, for grammar-based decoding.
    grammar_schema: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Usage:
    """Token counts as the server reported them. Cached tokens (read from the server's prompt
    cache) and cache-write tokens (written to it) are both part of prompt tokens."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    #: True when the server sent no usage and these are our own counts (prompt: the exact
    #: count made before sending; completion: the reply counted with the model's tokenizer).
    estimated: bool = False
    #: Prompt tokens written to the prompt cache (Anthropic's cache_creation_input_tokens,
    #: billed above the input rate); 0 where a server caches on its own (OpenAI). Priced, not
    #: journaled: the journal keeps the cost they came to.
    cache_write_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        """Usage of two requests together (a row's attempts, a chain's steps)."""
        return Usage(self.prompt_tokens + other.prompt_tokens,
                     self.completion_tokens + other.completion_tokens,
                     self.cached_tokens + other.cached_tokens,
                     self.estimated or other.estimated,
                     self.cache_write_tokens + other.cache_write_tokens)


@dataclass(frozen=True, slots=True)
class Completion:
    """A successful answer from a provider, before pricing."""

    text: str
    model: str
    finish_reason: str | None
    usage: Usage
    request_id: str | None = None
    #: The response's x-ratelimit-* headers, for the limiter to learn from.
    rate_headers: Mapping[str, str] = field(default_factory=dict)
    #: `message.refusal`: the model declined (structured outputs report it here).
    refusal: str | None = None


@dataclass(slots=True)
class Result:
    """The outcome for one row: what came back, what it cost, and how it ended."""

    row_id: str
    fingerprint: str
    status: Status
    output: str | None = None
    usage: Usage = field(default_factory=Usage)
    cost_usd: Decimal | None = None
    model: str | None = None
    finish_reason: str | None = None
    latency_ms: int | None = None
    attempts: int = 0
    error: str | None = None
    #: The reply's parsed fields, for a step with structured output.
    fields: dict[str, Any] | None = None
    #: Why the row is `flagged`: failed gates, truncation, refusal (one sentence each).
    flags: list[str] = field(default_factory=list)
    #: The model's refusal, when it gave one (judged into flags, not stored).
    refusal: str | None = None
    #: Failed for a reason that says nothing about the request (connection refused, timeout,
    #: 5xx): the next run sends it again without --retry-failed.
    transient: bool = False
    #: Which target answered (model@host), when the job has fallbacks (send/fallbacks.py).
    target: str | None = None
    #: The judge's verdict on this answer (a rows/judge.Judgement), read from the journal
    #: when the output is written; None: not judged. Never journaled with the answer itself.
    judge: Any = None

    @property
    def problems(self) -> list[str]:
        """Why the row needs a look: its flags, or the error it failed with."""
        if self.flags:
            return list(self.flags)
        return [self.error] if self.status == "failed" and self.error else []


def plus_cost(total: Decimal | None, result: Result) -> Decimal | None:
    """A running cost with one more result's: unknown (None) from the first result that
    used tokens without a known price, so a sum never hides an unpriced request."""
    used = result.usage.prompt_tokens or result.usage.completion_tokens
    if result.cost_usd is None and used:
        return None
    if total is None or result.cost_usd is None:
        return total
    return total + result.cost_usd
