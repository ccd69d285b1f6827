"""Gemini through Google's Gemini API (`POST /v1beta/models/{model}:generateContent`), with the
official `google-genai` SDK.

A Request becomes one call of the SDK's async client: its system messages the
`system_instruction`, the rest `contents` (role user or model; images as inline data, an http
URL as file data), the completion cap `max_output_tokens`, `stop` the stop sequences, and the
sampling parameters as Gemini names them. A structured reply is asked with
`response_mime_type = "application/json"` and the reply's schema as `response_json_schema`; the
reply's text is validated here like any other. The SDK's own retries are off (one attempt, and
no silent retry of a failed connection): runner.py holds the one retry policy. Errors are
mapped by HTTP status, the body's `error.status` and its ErrorInfo `reason`, never by message
text, with one exception said where it is made (an input too long carries no code of its own).

Prompt caching is Gemini's own (implicit caching, on for Gemini 2.5 and later): nothing is
marked; the cached prompt tokens it reports (`cachedContentTokenCount`) are priced at the
cache-read rate.

Rate limits: the Gemini API sends no rate-limit headers; a 429 RESOURCE_EXHAUSTED carries the
wait in its google.rpc.RetryInfo detail (`retryDelay`, "37s"), used as the wait (or a
retry-after header when a proxy sends one).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import mimetypes
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

try:
    from google.genai import Client, types
    from google.genai import errors as genai_errors
except ImportError:  # the [gemini] extra is not installed: from_job says how to install it
    Client = None  # type: ignore[assignment,misc]

from ... import defaults
from ...config import Connection
from ...environment import environment
from ...errors import ConfigError, FatalForRow, FatalForRun, ProviderError, RateLimited, Retryable
from ...images import Image, images_in
from ...records import Completion, Request, Usage
from ..limits import parse_duration, server_wait_seconds
from . import remote
from .base import Provider

DEFAULT_BASE_URL = f"https://{defaults.GEMINI_HOST}"
_INSTALL_HINT = "pip install -e '.[gemini]' (or uv sync --extra gemini)"
#: The job's parameters and Gemini's names for them (the SDK's GenerateContentConfig).
_PARAMS = {"temperature": "temperature", "top_p": "top_p", "seed": "seed",
           "presence_penalty": "presence_penalty", "frequency_penalty": "frequency_penalty"}
#: Parameters carried another way (the cap, stop) or meaning something to OpenAI only
#: (Gemini caches prompts on its own).
_CARRIED = {"max_tokens", "max_completion_tokens", "stop", "prompt_cache_key"}
#: finishReason values that mean the answer was withheld: a refusal, not a reply.
_WITHHELD = {"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION",
             "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT"}
#: finishReason in the pipeline's (OpenAI's) finish_reason terms; others are kept lowercased.
_FINISH = {"STOP": "stop", "MAX_TOKENS": "length"}
#: Error statuses no later request can get past, whatever the HTTP status says.
_RUN_FATAL_STATUSES = {"UNAUTHENTICATED", "PERMISSION_DENIED", "FAILED_PRECONDITION"}
#: ErrorInfo reasons that say the key itself is wrong (sent as a 400 INVALID_ARGUMENT).
_KEY_REASONS = {"API_KEY_INVALID", "API_KEY_EXPIRED", "API_KEY_SERVICE_BLOCKED",
                "API_KEY_HTTP_REFERRER_BLOCKED", "API_KEY_IP_ADDRESS_BLOCKED"}
_RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"
_ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"
#: Gemini's documented message for an input longer than the model's context (a 400
#: INVALID_ARGUMENT with no reason of its own): "The input token count (N) exceeds the maximum
#: number of tokens allowed (M)."
_TOO_LONG = re.compile(r"input token count.*exceeds the maximum number of tokens", re.I | re.S)


class GeminiProvider(Provider):
    """The Gemini API over HTTP with the official `google-genai` client (async, aiohttp)."""

    name = "gemini"

    def __init__(self, *, api_key: str, base_url: str | None = None):
        if Client is None:
            raise ConfigError(f"provider = 'gemini' needs Google's google-genai SDK: "
                              f"{_INSTALL_HINT}")
        self._secret = api_key
        #: As endpoint_for_job gives it, so fingerprints match.
        self._base_url = _normalised(base_url or DEFAULT_BASE_URL)
        # vertexai=False: the Gemini API with a key, whatever GOOGLE_GENAI_USE_VERTEXAI says.
        # One attempt (retry_options set also stops the SDK's silent retry of a failed
        # connection). aiohttp carries the async client when installed (the [aiohttp] extra).
        self._client = Client(api_key=api_key, vertexai=False, http_options=types.HttpOptions(
            base_url=self._base_url, api_version=defaults.GEMINI_API_VERSION,
            retry_options=types.HttpRetryOptions(attempts=1)))
        #: What the run summary says about this provider (parameters not sent).
        self.notes: list[str] = []
        self._noted: set[str] = set()

    @classmethod
    def from_job(cls, job: Connection) -> GeminiProvider:
        settings = environment()
        key = remote.api_key(job, settings, example="AIza...", instead=(
            f"To send {job.model} through an OpenAI-compatible endpoint instead (Gemini's own "
            ".../v1beta/openai/, or a gateway), give the job that base_url or set provider = "
            "'openai'."))
        return cls(api_key=key, base_url=resolve_base_url(job, settings))

    @classmethod
    def endpoint_for_job(cls, job: Connection) -> str:
        return resolve_base_url(job)

    @property
    def endpoint(self) -> str:
        return self._base_url

    @property
    def client(self) -> Any:
        """The SDK's client (batch/gemini_batches.py manages files and batches on it)."""
        return self._client

    async def complete(self, request: Request, *, timeout: float) -> Completion:
        self._note_unsent(request.params)
        # Photos are read (and downsized) while the body is built: off the event loop.
        contents, config = (await asyncio.to_thread(request_body, request)
                            if images_in(request.messages) else request_body(request))
        # Per request: the runner's timeout (milliseconds to the SDK), still one attempt.
        config["http_options"] = types.HttpOptions(
            timeout=max(1, round(timeout * 1000)), retry_options=types.HttpRetryOptions(attempts=1))
        try:
            response = await self._client.aio.models.generate_content(
                model=request.model, contents=contents, config=config)
        except Exception as exc:
            if isinstance(exc, genai_errors.APIError) or is_transport_error(exc):
                raise  # classify says what they are
            # A 200 body that is not a response (the SDK's parsing failed): worth sending again.
            raise _unparsable(exc, self.redact) from None
        try:
            return completion_from(response, request.model)
        except Exception as exc:
            raise _unparsable(exc, self.redact) from None

    def _note_unsent(self, params: Mapping[str, Any]) -> None:
        for name in params:
            if name in _CARRIED or name in _PARAMS or name in self._noted:
                continue
            self._noted.add(name)
            self.notes.append(f"{name} is not sent to Gemini: the Gemini API has no such "
                              "parameter")

    def classify(self, exc: BaseException) -> ProviderError:
        if isinstance(exc, ProviderError):
            return exc
        assert Client is not None  # a provider exists only with the SDK
        if isinstance(exc, genai_errors.APIError):
            return self._from_status(exc)
        if is_transport_error(exc):
            problem = remote.connection_problem(exc)
            return Retryable(f"{self.redact(problem)} ({self.where})", outage=True)
        if isinstance(exc, ValueError):
            return _unparsable(exc, self.redact)
        raise exc

    def _from_status(self, exc: Any) -> ProviderError:
        """An error response as ours, by HTTP status, error.status and ErrorInfo reason."""
        status: int = exc.code if isinstance(exc.code, int) else 0
        body = exc.details if isinstance(exc.details, Mapping) else {}
        error = body.get("error") if isinstance(body.get("error"), Mapping) else body
        kind = exc.status if isinstance(exc.status, str) else None
        detail = exc.message if isinstance(exc.message, str) else ""
        details = [d for d in error.get("details") or [] if isinstance(d, Mapping)]
        reason = next((d.get("reason") for d in details if d.get("@type") == _ERROR_INFO
                       and isinstance(d.get("reason"), str)), None)
        code = reason
        # Gemini gives an input longer than the model's context no reason of its own (a 400
        # INVALID_ARGUMENT): its documented message is the only sign. Named, it lets a fallback
        # with a longer context take the row; missed, the row fails all the same.
        if code is None and status == 400 and kind == "INVALID_ARGUMENT" and \
                _TOO_LONG.search(detail):
            code = "context_length_exceeded"
        words = " ".join(w for w in (f"HTTP {status}", kind, code) if w)
        text = self.redact(f"{words}: {detail}".rstrip(": "))
        headers = _headers(exc.response)
        kw: dict[str, Any] = {"status_code": status, "code": code or kind}
        if reason in _KEY_REASONS or kind in _RUN_FATAL_STATUSES or status in (401, 403, 404):
            return FatalForRun(text + _advice(status, kind, reason), **kw)
        if status == 429:
            return RateLimited(text, wait_s=_retry_delay(details, headers), **kw)
        if status in (408, 409, 499) or status >= 500:  # 503 UNAVAILABLE, 504 DEADLINE_EXCEEDED
            return Retryable(text, outage=status not in (409, 499), **kw)
        return FatalForRow(text, **kw)

    def redact(self, text: str) -> str:
        """Remove the key (and anything shaped like a key) from text bound for users."""
        return remote.redact(text, self._secret)

    async def aclose(self) -> None:
        await self._client.aio.aclose()


def resolve_base_url(job: Connection, settings: dict[str, str] | None = None) -> str:
    """The endpoint: the job's base_url, else GEMINI_BASE_URL (environment or .env), else
    Google's, normalised (`_normalised`)."""
    settings = environment() if settings is None else settings
    base_url = job.base_url or settings.get(defaults.GEMINI_BASE_URL_ENV) or DEFAULT_BASE_URL
    if not urlsplit(base_url).scheme.startswith("http"):
        raise ConfigError(f"base_url '{base_url}' must start with http:// or https://")
    return _normalised(base_url)


def _normalised(base_url: str) -> str:
    """With a trailing slash, as the SDK has it, and without a last API version (/v1beta,
    /v1): the SDK adds /v1beta/models/... itself, and people copy the REST URL's form."""
    base_url = base_url.rstrip("/")
    return re.sub(r"/v1(alpha|beta)?$", "", base_url) + "/"


def request_body(request: Request) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The SDK's `generate_content` arguments for a request: its contents and its config."""
    system: list[dict[str, Any]] = []
    contents: list[dict[str, Any]] = []
    for message in request.messages:
        if message["role"] == "system":
            system += _parts(message["content"])
        else:
            role = "model" if message["role"] == "assistant" else "user"
            contents.append({"role": role, "parts": _parts(message["content"])})
    params = request.params
    config: dict[str, Any] = {
        # One call, one answer: no tool loop, no follow-up requests the runner does not see.
        "automatic_function_calling": {"disable": True}, "automatic_continuation": False}
    if system:
        config["system_instruction"] = {"parts": system}
    cap = request.completion_cap or params.get("max_tokens") or params.get(
        "max_completion_tokens")
    if cap:
        config["max_output_tokens"] = cap
    stop = params.get("stop")
    if stop:
        config["stop_sequences"] = [stop] if isinstance(stop, str) else list(stop)
    for ours, theirs in _PARAMS.items():
        if params.get(ours) is not None:
            config[theirs] = params[ours]
    if request.response_schema is not None:
        config["response_mime_type"] = "application/json"
        config["response_json_schema"] = dict(request.response_schema)
    return contents, config


def rest_body(request: Request) -> dict[str, Any]:
    """The request as the JSON body the REST API takes (`POST .../models/{model}:generateContent`:
    `contents`, `systemInstruction`, `generationConfig`), exactly what `complete` sends for it:
    `request_body` put through the SDK's own conversion (snake_case to the API's camelCase,
    bytes to base64). A Batch API input line's `request` is this."""
    from google.genai import _common, models

    contents, config = request_body(request)
    parameters = types._GenerateContentParameters(model=request.model, contents=contents,
                                                  config=config)
    # The conversion asks the client one thing only (Gemini API or Vertex AI): no client,
    # no key, no connection is needed to write a body.
    body = models._GenerateContentParameters_to_mldev(_GEMINI_API, parameters)
    body.pop("_url", None)
    body.pop("_query", None)
    return dict(_common.encode_unserializable_types(_common.convert_to_dict(body)))


class _GeminiAPI:
    """What the SDK's converters read of a client: the Gemini API (not Vertex AI)."""

    vertexai = False


_GEMINI_API: Any = _GeminiAPI()


def response_from(body: Mapping[str, Any]) -> Any:
    """A GenerateContentResponse as the REST API sends it (camelCase JSON) as the SDK's type,
    converted as the SDK converts `generateContent`'s replies."""
    from google.genai import models

    return types.GenerateContentResponse._from_response(
        response=models._GenerateContentResponse_from_mldev(dict(body)), kwargs={})


def _parts(content: Any) -> list[dict[str, Any]]:
    """Message content as Gemini's parts: text as text, images as inline data (a local photo
    read for this body only) or an http URL as file data."""
    if isinstance(content, str):
        return [{"text": content}] if content else []
    parts: list[dict[str, Any]] = []
    for part in content:
        if part.get("type") == "text":
            parts.append({"text": part.get("text") or ""})
        elif part.get("type") == "image_url":
            parts.append(_image_part(part["image_url"]))
    return parts


def _image_part(value: Image | Mapping[str, Any]) -> dict[str, Any]:
    url = value.url() if isinstance(value, Image) else str(value.get("url") or "")
    if url[:5].lower() == "data:":
        mime_type, _, data = url[5:].partition(";base64,")
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise FatalForRow("an image's data URL is not valid base64; nothing was sent for "
                              "this row") from None
        return {"inline_data": {"mime_type": mime_type, "data": raw}}
    mime_type = mimetypes.guess_type(urlsplit(url).path)[0] or "image/jpeg"
    return {"file_data": {"file_uri": url, "mime_type": mime_type}}


def completion_from(response: Any, requested_model: str) -> Completion:
    """A GenerateContentResponse (the SDK's type) as our Completion: the first candidate's
    text parts (not its thoughts); a blocked prompt or withheld answer as a refusal."""
    candidates = list(response.candidates or [])
    usage = _usage(response.usage_metadata)
    model = response.model_version or requested_model
    request_id = response.response_id
    if not candidates:
        feedback = response.prompt_feedback
        blocked = _name(feedback.block_reason) if feedback is not None else None
        return Completion(text="", model=model, finish_reason=None, usage=usage,
                          request_id=request_id,
                          refusal=f"Gemini blocked the prompt (blockReason: {blocked})"
                          if blocked else None)
    candidate = candidates[0]
    parts = list(candidate.content.parts or []) if candidate.content is not None else []
    text = "".join(p.text for p in parts if p.text and not p.thought)
    finish = _name(candidate.finish_reason)
    return Completion(
        text=text, model=model,
        finish_reason=_FINISH.get(finish, finish.lower()) if finish else None,
        usage=usage, request_id=request_id,
        refusal=f"Gemini withheld the answer (finishReason: {finish})"
        if finish in _WITHHELD else None)


def _usage(metadata: Any) -> Usage:
    """usageMetadata as our Usage: the prompt (cached tokens part of it), and the candidates'
    tokens plus the thinking ones as the completion (billed at the output rate alike)."""
    if metadata is None or metadata.prompt_token_count is None:
        return Usage(estimated=True)  # the runner counts them itself and marks them estimated
    return Usage(prompt_tokens=int(metadata.prompt_token_count or 0),
                 completion_tokens=int(metadata.candidates_token_count or 0)
                 + int(metadata.thoughts_token_count or 0),
                 cached_tokens=int(metadata.cached_content_token_count or 0))


def _name(value: Any) -> str | None:
    """An SDK enum (or a value it does not know yet, kept as text) by its API name."""
    if value is None:
        return None
    return str(getattr(value, "value", value))


def _unparsable(exc: BaseException, redact: Any) -> Retryable:
    return Retryable(f"unparsable reply from the server: {type(exc).__name__}: "
                     f"{redact(str(exc))[:200]}")


def is_transport_error(exc: BaseException) -> bool:
    """A failed connection or a timeout: the OS's, or the HTTP client's own errors (aiohttp's,
    or httpx's when aiohttp is absent), which do not all derive from OSError."""
    if isinstance(exc, TimeoutError | OSError):
        return True
    return (type(exc).__module__ or "").split(".")[0] in ("aiohttp", "httpx", "httpx2")


def _headers(response: Any) -> dict[str, str]:
    """An error response's headers, lowercased (aiohttp's or httpx's response)."""
    headers = getattr(response, "headers", None) or {}
    try:
        return {str(k).lower(): str(v) for k, v in headers.items()}
    except AttributeError:
        return {}


def _retry_delay(details: list[Mapping[str, Any]], headers: Mapping[str, str]) -> float | None:
    """The wait a 429 asks for: its RetryInfo's retryDelay (a protobuf Duration, "37s"), else
    a retry-after header; None when neither is usable (the runner backs off on its own)."""
    for detail in details:
        delay = detail.get("retryDelay")
        if detail.get("@type") == _RETRY_INFO and isinstance(delay, str):
            wait = parse_duration(delay)
            if wait is not None:
                return wait
    return server_wait_seconds(headers)


def _advice(status: int, kind: str | None, reason: str | None) -> str:
    if reason in _KEY_REASONS or status == 401 or kind == "UNAUTHENTICATED":
        return " (check the API key in the environment or .env)"
    if status == 403 or kind == "PERMISSION_DENIED":
        return (" (the key may not use this model, or the Generative Language API is not "
                "enabled for its project)")
    if kind == "FAILED_PRECONDITION":
        return (" (the Gemini API refuses this project as it is: billing or the region it is "
                "used from; see Google AI Studio)")
    if status == 404:
        return " (check the model name and base_url)"
    return ""
