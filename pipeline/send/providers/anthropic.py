"""Claude through Anthropic's Messages API (`POST /v1/messages`), with the official SDK.

A Request becomes one call: its system messages the `system` blocks, the rest `messages`
(images as image blocks), its completion cap `max_tokens` (which Anthropic requires: the
job's, else defaults.ANTHROPIC_MAX_TOKENS). A structured reply is asked as one tool whose
`input_schema` is the reply's schema, chosen with `tool_choice`; the tool call's input is the
answer's JSON text, validated here like any other reply. The SDK's own retries are off
(max_retries=0): runner.py holds the one retry policy. Errors are mapped by HTTP status, the
body's `type` and `details.error_code`, never by message text, with one exception said where
it is made (a prompt too long carries no code of its own).

Prompt caching: the system prompt (with the tool before it, the prefix Anthropic caches) is
marked `cache_control: ephemeral` from the second request that repeats it, when it is at least
defaults.ANTHROPIC_CACHE_MIN_TOKENS long; a job with `prompt_cache_key = false` marks nothing.
A prompt sent once is never marked, since Anthropic bills a cache write at 1.25 times the input
price and only a later read (a tenth of it) pays that back.

Rate limits: the anthropic-ratelimit-* headers are read into the limiter's x-ratelimit-* terms
(`rate_headers_from`). Anthropic limits input and output tokens per minute apart, the limiter
holds one bucket charged with the prompt plus the completion cap, so it holds the tighter of
the two: never above either.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

try:
    import anthropic
except ImportError:  # the [anthropic] extra is not installed: from_job says how to install it
    anthropic = None  # type: ignore[assignment]

from ... import defaults
from ...config import Connection
from ...environment import environment
from ...errors import ConfigError, FatalForRow, FatalForRun, ProviderError, RateLimited, Retryable
from ...images import Image, images_in
from ...records import Completion, Request, Usage
from ...tokens import TokenCounter
from ..limits import server_wait_seconds
from . import remote
from .base import Provider

DEFAULT_BASE_URL = f"https://{defaults.ANTHROPIC_HOST}"
#: The one tool a structured reply is asked through.
TOOL_NAME = "answer"
_TOOL_DESCRIPTION = "Give the answer, shaped as this schema says."
_INSTALL_HINT = "pip install -e '.[anthropic]' (or uv sync --extra anthropic)"
#: Error codes (details.error_code) no later request can get past: spend limits, a held
#: organisation. Anthropic sends the spend limits as 429s; they are not rate limits.
_RUN_FATAL_CODES = {"enforced_spend_limit_reached", "contract_spend_limit_reached",
                    "linked_organization_spend_limit_reached",
                    "linked_organization_billing_unavailable", "organization_on_hold"}
#: The job's parameters that are not Anthropic's, and why they are not sent.
_NOT_SENT = {
    "temperature": "Anthropic's API (version 2026-10-21, the SDK's) takes no sampling "
                   "parameters",
    "top_p": "Anthropic's API (version 2026-10-21, the SDK's) takes no sampling parameters",
    "seed": "Anthropic's API has no seed",
    "presence_penalty": "Anthropic's API has no presence_penalty",
    "frequency_penalty": "Anthropic's API has no frequency_penalty",
}
#: Parameters that are carried another way (max_tokens) or only mean something to OpenAI.
_CARRIED = {"max_tokens", "max_completion_tokens", "stop", "prompt_cache_key"}
#: stop_reason in the pipeline's (OpenAI's) finish_reason terms; others are kept as they are.
_FINISH = {"end_turn": "stop", "stop_sequence": "stop", "tool_use": "stop",
           "max_tokens": "length", "model_context_window_exceeded": "length"}


class AnthropicProvider(Provider):
    """The Messages API over HTTP with the official `anthropic` client."""

    name = "anthropic"

    def __init__(self, *, api_key: str, base_url: str | None = None,
                 cache_prompts: bool = True):
        if anthropic is None:
            raise ConfigError(f"provider = 'anthropic' needs Anthropic's SDK: {_INSTALL_HINT}")
        self._secret = api_key
        #: As endpoint_for_job gives it, so fingerprints match.
        self._base_url = _normalised(base_url or DEFAULT_BASE_URL)
        # aiohttp under the official client, as for OpenAI: the same requests and errors,
        # less CPU per request than the default httpx2 transport.
        self._client = anthropic.AsyncAnthropic(api_key=api_key, base_url=self._base_url,
                                                max_retries=0,
                                                http_client=anthropic.DefaultAioHttpClient())
        #: Repeated system prompts marked for the prompt cache (the job's prompt_cache_key).
        self.cache_marks = CacheMarks(cache_prompts)
        #: What the run summary says about this provider (parameters not sent).
        self.notes: list[str] = []
        self._noted: set[str] = set()

    @classmethod
    def from_job(cls, job: Connection) -> AnthropicProvider:
        settings = environment()
        key = remote.api_key(job, settings, example="sk-ant-...", instead=(
            f"To send {job.model} through an OpenAI-compatible gateway instead (LiteLLM), give "
            "the job its base_url or set provider = 'openai'."))
        return cls(api_key=key, base_url=resolve_base_url(job, settings),
                   cache_prompts=getattr(job, "prompt_cache_key", None) is not False)

    @classmethod
    def endpoint_for_job(cls, job: Connection) -> str:
        return resolve_base_url(job)

    @property
    def endpoint(self) -> str:
        return self._base_url

    @property
    def client(self) -> Any:
        """The SDK's client (its Message Batches are batch/anthropic_batches.py's)."""
        return self._client

    async def complete(self, request: Request, *, timeout: float) -> Completion:
        self._note_unsent(request.params)
        # Photos are read (and downsized) while the body is built: off the event loop.
        body = (await asyncio.to_thread(request_body, request) if images_in(request.messages)
                else request_body(request))
        self.cache_marks.mark(request.model, body)
        raw = await self._client.messages.with_raw_response.create(**body, timeout=timeout)
        request_id = raw.request_id
        try:
            message = await raw.parse()
            return completion_from(message, request.model, request_id,
                                   rate_headers_from(raw.headers))
        except Exception as exc:  # any shape of garbage in a 200 body is a retryable fault
            raise Retryable(f"unparsable reply from the server: {type(exc).__name__}: "
                            f"{self.redact(str(exc))[:200]}", request_id=request_id) from None

    def _note_unsent(self, params: Mapping[str, Any]) -> None:
        for name in params:
            if name in _CARRIED or name in self._noted:
                continue
            self._noted.add(name)
            why = _NOT_SENT.get(name, "Anthropic's API has no such parameter")
            self.notes.append(f"{name} is not sent to Anthropic: {why}")

    def classify(self, exc: BaseException) -> ProviderError:
        if isinstance(exc, ProviderError):
            return exc
        assert anthropic is not None  # a provider exists only with the SDK
        if isinstance(exc, anthropic.APIConnectionError):  # APITimeoutError included
            problem = remote.connection_problem(exc, (anthropic.APITimeoutError,))
            return Retryable(f"{self.redact(problem)} ({self.where})", outage=True)
        if isinstance(exc, anthropic.APIStatusError):
            return self._from_status(exc)
        if isinstance(exc, anthropic.APIResponseValidationError | ValueError):
            return Retryable(f"unparsable reply from the server: {self.redact(str(exc))[:200]}")
        raise exc

    def _from_status(self, exc: Any) -> ProviderError:
        """An error response as ours, by status, error type and error_code."""
        status: int = exc.status_code
        kind = exc.type if isinstance(exc.type, str) else None
        detail = exc.api_message if isinstance(exc.api_message, str) else None
        code = exc.error_code if isinstance(exc.error_code, str) else None
        # Anthropic gives a prompt longer than the model's context no code of its own (a 400
        # invalid_request_error): its documented message is the only sign. Named, it lets a
        # fallback with a longer context take the row; missed, the row fails all the same.
        if (code is None and status == 400 and kind == "invalid_request_error"
                and (detail or "").startswith("prompt is too long")):
            code = "context_length_exceeded"
        said = detail or exc.response.reason_phrase or ""
        words = " ".join(w for w in (f"HTTP {status}", kind, code) if w)
        text = self.redact(f"{words}: {said}".rstrip(": "))
        headers = rate_headers_from(exc.response.headers)
        kw: dict[str, Any] = {"status_code": status, "request_id": exc.request_id,
                              "rate_headers": headers, "code": code or kind}
        if code in _RUN_FATAL_CODES or status in (401, 402, 403, 404):
            return FatalForRun(text + _advice(status, code), **kw)
        if status == 429:
            wait = server_wait_seconds({**exc.response.headers, **headers})
            return RateLimited(text, wait_s=wait, **kw)
        if status in (408, 409) or status >= 500:  # 529: overloaded
            return Retryable(text, outage=status != 409, **kw)
        return FatalForRow(text, **kw)

    def redact(self, text: str) -> str:
        """Remove the key (and anything shaped like a key) from text bound for users."""
        return remote.redact(text, self._secret)

    async def aclose(self) -> None:
        await self._client.close()


class CacheMarks:
    """Which requests' system prompts to mark `cache_control: ephemeral`: from the second
    request that repeats one (with the same model and tool), when it is long enough to be
    cached, so that a read follows the write. Online, in the order requests are sent; in a
    batch, in the order they are set aside (Anthropic caches within a batch too)."""

    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        #: Per prefix (model, tool, system) digest: its length in tokens and how often seen.
        self._prefixes: dict[bytes, list[int]] = {}
        self._counters: dict[str, TokenCounter] = {}

    def mark(self, model: str, body: dict[str, Any]) -> None:
        """Mark the body's system prompt when it is worth caching."""
        if not self.enabled or "system" not in body:
            return
        prefix = json.dumps([model, body.get("tools"), body["system"]], sort_keys=True)
        key = hashlib.blake2b(prefix.encode(), digest_size=16).digest()
        seen = self._prefixes.get(key)
        if seen is None:
            if model not in self._counters:
                self._counters[model] = TokenCounter(model)
            text = "".join(block["text"] for block in body["system"])
            tokens = self._counters[model].text(text + json.dumps(body.get("tools") or ""))
            seen = self._prefixes[key] = [tokens, 0]
        seen[1] += 1
        if seen[0] >= defaults.ANTHROPIC_CACHE_MIN_TOKENS and seen[1] > 1:
            body["system"][-1]["cache_control"] = {"type": "ephemeral"}


def resolve_base_url(job: Connection, settings: dict[str, str] | None = None) -> str:
    """The endpoint: the job's base_url, else ANTHROPIC_BASE_URL (environment or .env), else
    Anthropic's, normalised (`_normalised`)."""
    settings = environment() if settings is None else settings
    base_url = (job.base_url or settings.get(defaults.ANTHROPIC_BASE_URL_ENV)
                or DEFAULT_BASE_URL)
    if not urlsplit(base_url).scheme.startswith("http"):
        raise ConfigError(f"base_url '{base_url}' must start with http:// or https://")
    return _normalised(base_url)


def _normalised(base_url: str) -> str:
    """With a trailing slash, as the client has it, and without a last /v1: the SDK adds
    /v1/messages itself, and OpenAI's base_urls end in /v1 (so people write it here too)."""
    base_url = base_url.rstrip("/")
    return base_url.removesuffix("/v1") + "/"


def request_body(request: Request) -> dict[str, Any]:
    """The Messages API body for a request (the SDK's `messages.create` arguments)."""
    system: list[dict[str, Any]] = []
    messages: list[dict[str, Any]] = []
    for message in request.messages:
        if message["role"] == "system":
            system += _blocks(message["content"])
        else:
            content = message["content"]
            messages.append({"role": message["role"],
                             "content": content if isinstance(content, str)
                             else _blocks(content)})
    params = request.params
    body: dict[str, Any] = {
        "model": request.model, "messages": messages,
        "max_tokens": (request.completion_cap or params.get("max_tokens")
                       or params.get("max_completion_tokens") or defaults.ANTHROPIC_MAX_TOKENS)}
    if system:
        body["system"] = system
    stop = params.get("stop")
    if stop:
        body["stop_sequences"] = [stop] if isinstance(stop, str) else list(stop)
    if request.response_schema is not None:
        body["tools"] = [{"name": TOOL_NAME, "description": _TOOL_DESCRIPTION,
                          "input_schema": dict(request.response_schema)}]
        body["tool_choice"] = {"type": "tool", "name": TOOL_NAME}
    return body


def _blocks(content: Any) -> list[dict[str, Any]]:
    """Message content as Anthropic's content blocks: text as text, images as image blocks
    (a local photo as base64 data, built for this body only)."""
    if isinstance(content, str):
        return [{"type": "text", "text": content}] if content else []
    blocks: list[dict[str, Any]] = []
    for part in content:
        if part.get("type") == "text":
            blocks.append({"type": "text", "text": part.get("text") or ""})
        elif part.get("type") == "image_url":
            blocks.append(_image_block(part["image_url"]))
    return blocks


def _image_block(value: Image | Mapping[str, Any]) -> dict[str, Any]:
    url = value.url() if isinstance(value, Image) else str(value.get("url") or "")
    if url[:5].lower() == "data:":
        media_type, _, data = url[5:].partition(";base64,")
        return {"type": "image", "source": {"type": "base64", "media_type": media_type,
                                            "data": data}}
    return {"type": "image", "source": {"type": "url", "url": url}}


def completion_from(message: Any, requested_model: str, request_id: str | None,
                    headers: dict[str, str]) -> Completion:
    """A Message (the SDK's type) as our Completion: the tool call's input as the answer's
    JSON text when it made one, else its text blocks; raises on anything else."""
    blocks = list(message.content)
    tool = next((b for b in blocks if b.type == "tool_use" and b.name == TOOL_NAME), None)
    if tool is not None:
        text = json.dumps(tool.input, ensure_ascii=False)
    else:
        text = "".join(b.text for b in blocks if b.type == "text")
    stop = message.stop_reason
    usage = message.usage
    if usage is not None:
        read = int(usage.cache_read_input_tokens or 0)
        written = int(usage.cache_creation_input_tokens or 0)
        counts = Usage(prompt_tokens=int(usage.input_tokens or 0) + read + written,
                       completion_tokens=int(usage.output_tokens or 0), cached_tokens=read,
                       cache_write_tokens=written)
    else:  # no usage sent: the runner counts the tokens itself and marks them estimated
        counts = Usage(estimated=True)
    return Completion(
        text=text, model=message.model or requested_model,
        finish_reason=_FINISH.get(stop, stop) if stop else None, usage=counts,
        request_id=request_id, rate_headers=headers,
        refusal="the model declined to answer (stop_reason: refusal)"
        if stop == "refusal" else None)


_RATE_PREFIX = "anthropic-ratelimit-"
_TOKEN_KINDS = ("tokens", "input-tokens", "output-tokens")


def rate_headers_from(headers: Mapping[str, str], *, now: float | None = None) -> dict[str, str]:
    """Anthropic's anthropic-ratelimit-* headers in the limiter's x-ratelimit-* terms: the
    requests' limit, remaining and reset (an RFC 3339 time, made a duration), and for tokens
    the tightest of the tokens-, input-tokens- and output-tokens- ones (the limiter's one
    token bucket is charged the prompt and the completion cap, so it stays under both)."""
    stated = {k.lower(): v for k, v in headers.items() if k.lower().startswith(_RATE_PREFIX)}
    if not stated:
        return {}
    now = time.time() if now is None else now
    out: dict[str, str] = {}
    for ours, kinds in (("requests", ("requests",)), ("tokens", _TOKEN_KINDS)):
        for field in ("limit", "remaining"):
            values = [_number(stated.get(f"{_RATE_PREFIX}{kind}-{field}")) for kind in kinds]
            known = [v for v in values if v is not None]
            if known:
                out[f"x-ratelimit-{field}-{ours}"] = f"{min(known):g}"
        resets = [_seconds_until(stated.get(f"{_RATE_PREFIX}{kind}-reset"), now)
                  for kind in kinds]
        known = [r for r in resets if r is not None]
        if known:
            out[f"x-ratelimit-reset-{ours}"] = f"{max(known):.3f}s"
    return out


def _number(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) and value >= 0 else None


def _seconds_until(text: str | None, now: float) -> float | None:
    """Seconds from `now` to an RFC 3339 time (0 when it is past); None for anything else."""
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


def _advice(status: int, code: str | None) -> str:
    if code in _RUN_FATAL_CODES:
        return (" (the organisation's spend limit or billing stops every request: raise the "
                "limit in Anthropic's Console, then run again)")
    if status == 401:
        return " (check the API key in the environment or .env)"
    if status == 402:
        return " (out of credit: add credit in Anthropic's Console, then run again)"
    if status == 403:
        return " (the key may not use this model or endpoint)"
    if status == 404:
        return " (check the model name and base_url)"
    return ""
