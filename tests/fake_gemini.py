"""A loopback stand-in of Google's Gemini API (generateContent) on 127.0.0.1, for tests.

Shaped as the real REST API is (read from the official google-genai SDK's converters and
Google's API reference): `POST /v1beta/models/{model}:generateContent` with the key in the
`x-goog-api-key` header; camelCase JSON bodies (`contents` with role user or model and their
`parts`, `systemInstruction`, `generationConfig` with `maxOutputTokens`, `stopSequences`,
`responseMimeType`, `responseJsonSchema`, ...); answers with `candidates` (content, finishReason),
`usageMetadata` (promptTokenCount, candidatesTokenCount, thoughtsTokenCount,
cachedContentTokenCount, totalTokenCount), `modelVersion` and `responseId`; errors as
`{"error": {"code", "message", "status", "details"}}` (google.rpc.Status), a 429
RESOURCE_EXHAUSTED carrying a google.rpc.RetryInfo `retryDelay`, and no rate-limit headers at
all. Like the real API it reads a field by its JSON or its proto name (the SDK sends
`inlineData: {mime_type, data}`). It refuses what the real API refuses (an unknown field, a
role other than user/model, a part without data, inline data that is not base64, a missing
key), so a test cannot pass on a body Gemini would reject. Implicit caching is mimicked: a
system instruction of CACHE_MIN_TOKENS or more sent again for the same model is reported as
cached.

The HTTP machinery is tests/fake_openai.py's (its loop thread, HTTP/1.1, `on`/`then`
scripting, `requests` recorded, `enforce` for rate limits); only what differs is here.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import time
import zlib
from dataclasses import dataclass
from typing import Any

from fake_anthropic import _value
from fake_openai import FakeOpenAI, Recorded, Reply

from pipeline.tokens import TokenCounter, encoding

PATH = re.compile(r"^/v1beta/models/(?P<model>[^/:]+):generateContent$")
BATCH_CREATE = re.compile(r"^/v1beta/models/[^/:]+:batchGenerateContent$")
#: generateContent's top-level fields.
FIELDS = {"contents", "systemInstruction", "generationConfig", "tools", "toolConfig",
          "safetySettings", "cachedContent", "labels", "serviceTier", "store"}
#: generationConfig's fields.
CONFIG_FIELDS = {"stopSequences", "responseMimeType", "responseSchema", "responseJsonSchema",
                 "responseModalities", "candidateCount", "maxOutputTokens", "temperature",
                 "topP", "topK", "seed", "presencePenalty", "frequencyPenalty",
                 "responseLogprobs", "logprobs", "enableEnhancedCivicAnswers", "speechConfig",
                 "thinkingConfig", "imageConfig", "mediaResolution"}
PART_DATA = ("text", "inlineData", "fileData", "functionCall", "functionResponse",
             "executableCode", "codeExecutionResult")
#: Gemini 2.5 Flash's smallest implicitly cached prefix.
CACHE_MIN_TOKENS = 1024
#: What an image costs in the fake's counts (Gemini's figure for a small image).
IMAGE_TOKENS = 258
RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"
ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"


def error(code: int, status: str, message: str, details: list[dict[str, Any]] | None = None,
          **kw: Any) -> Reply:
    """An error reply as the Gemini API sends it (a google.rpc.Status under `error`)."""
    body: dict[str, Any] = {"error": {"code": code, "message": message, "status": status}}
    if details is not None:
        body["error"]["details"] = details
    return Reply(status=code, body=body, **kw)


def rate_limited(retry_delay: str | None = "2s", **kw: Any) -> Reply:
    """A 429 RESOURCE_EXHAUSTED as Gemini sends it: a QuotaFailure and the RetryInfo."""
    details: list[dict[str, Any]] = [{
        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
        "violations": [{"quotaMetric": "generativelanguage.googleapis.com/"
                                       "generate_content_free_tier_requests",
                        "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                        "quotaValue": "10"}]}]
    if retry_delay is not None:
        details.append({"@type": RETRY_INFO, "retryDelay": retry_delay})
    return error(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check "
                 "your plan and billing details.", details, **kw)


def unavailable(**kw: Any) -> Reply:
    return error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.", **kw)


def internal(**kw: Any) -> Reply:
    return error(500, "INTERNAL", "An internal error has occurred. Please retry or report "
                 "in https://developers.generativeai.google/guide/troubleshooting", **kw)


def too_long(tokens: int = 1_250_000, **kw: Any) -> Reply:
    return error(400, "INVALID_ARGUMENT", f"The input token count ({tokens}) exceeds the "
                 "maximum number of tokens allowed (1048576).", **kw)


def key_invalid(**kw: Any) -> Reply:
    return error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
        {"@type": ERROR_INFO, "reason": "API_KEY_INVALID", "domain": "googleapis.com",
         "metadata": {"service": "generativelanguage.googleapis.com"}},
        {"@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US",
         "message": "API key not valid. Please pass a valid API key."}], **kw)


def permission_denied(message: str = "Permission denied: Consumer 'api_key:x' has been "
                      "suspended.", **kw: Any) -> Reply:
    return error(403, "PERMISSION_DENIED", message, **kw)


def not_found(model: str) -> Reply:
    return error(404, "NOT_FOUND", f"models/{model} is not found for API version v1beta, or is "
                 "not supported for generateContent. Call ListModels to see the list of "
                 "available models and their supported methods.")


@dataclass
class GeminiRecorded(Recorded):
    """A request as the server saw it, its user text read from `contents`."""

    @property
    def model(self) -> str:
        match = PATH.match(self.path.split("?")[0])
        return match.group("model") if match else ""

    @property
    def user_text(self) -> str:
        contents = self.body.get("contents") or []
        for content in reversed(contents):
            if isinstance(content, dict) and content.get("role", "user") == "user":
                return " ".join(p.get("text", "") for p in content.get("parts") or []
                                if isinstance(p, dict))
        return ""

    @property
    def config(self) -> dict[str, Any]:
        return self.body.get("generationConfig") or {}


def field(message: dict[str, Any], name: str) -> Any:
    """A field by its JSON name (lowerCamelCase) or its proto name (snake_case): the API
    takes either, as every proto3 JSON parser does, and the SDK sends the inner fields of
    inline and file data by their proto names (mime_type, file_uri)."""
    if name in message:
        return message[name]
    return message.get(re.sub(r"[A-Z]", lambda m: "_" + m.group().lower(), name))


def system_text(body: dict[str, Any]) -> str:
    system = body.get("systemInstruction") or {}
    return "".join(p.get("text", "") for p in system.get("parts") or [])


class FakeGemini(FakeOpenAI):
    """The server. Script replies with `on(substring, reply)` / `then(reply)` (fake_openai's),
    using `error`, `rate_limited`, `unavailable`, `internal`, `too_long`, `key_invalid`,
    `permission_denied` for Gemini's errors."""

    record = GeminiRecorded
    request_id_header = "x-fake-request-id"  # Gemini sends none of its own; responseId is it
    batch_paths = ("/upload/v1beta/files", "/download/v1beta/files", "/v1beta/files",
                   "/v1beta/batches")

    def __init__(self) -> None:
        super().__init__()
        self._reset_gemini()

    def _reset_gemini(self) -> None:
        self.completion = self.answer
        #: Keys the server takes (None: any non-empty key).
        self.keys: set[str] | None = None
        #: Thinking tokens each answer reports (thoughtsTokenCount), billed as output.
        self.thinking_tokens = 0
        #: Implicit caching: system instructions seen, per model, with their tokens.
        self.cache: dict[tuple[str, str], int] = {}
        #: Every answer sent back, with the request it answered, in the order sent.
        self.sent: list[tuple[GeminiRecorded, dict[str, Any]]] = []

    def reset(self) -> None:
        super().reset()
        self._reset_gemini()

    @property
    def answers(self) -> list[dict[str, Any]]:
        """Every answer sent back, in the order sent."""
        return [answer for _, answer in self.sent]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"  # the SDK adds /v1beta/models/...

    def _new_batch_api(self) -> Any:
        """The Files and Batch APIs (tests/fake_gemini_batches.py), answering with `answer`."""
        from fake_gemini_batches import FakeGeminiBatches

        return FakeGeminiBatches(self)

    def _for_batch_api(self, path: str) -> bool:
        return path.startswith(self.batch_paths) or BATCH_CREATE.match(path) is not None

    # -- what the real API refuses -------------------------------------------------------
    def _unsupported(self, request: Recorded) -> Reply | None:
        match = PATH.match(request.path.split("?")[0])
        if match is None:
            return error(404, "NOT_FOUND", f"Not found: {request.path}")
        key = request.headers.get("x-goog-api-key", "")
        if not key:
            return error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers "
                         "(callers without established identity). Please use API Key or other "
                         "form of API consumer identity to call this API.")
        if self.keys is not None and key not in self.keys:
            return key_invalid()
        return self._invalid(request.body)

    def _invalid(self, body: dict[str, Any]) -> Reply | None:
        def bad(message: str) -> Reply:
            return error(400, "INVALID_ARGUMENT", message)

        if "_unparsed" in body:
            return bad("Invalid JSON payload received.")
        for name in body:
            if name not in FIELDS:
                return bad(f'Invalid JSON payload received. Unknown name "{name}": Cannot '
                           "find field.")
        for name in body.get("generationConfig") or {}:
            if name not in CONFIG_FIELDS:
                return bad(f'Invalid JSON payload received. Unknown name "{name}" at '
                           "'generation_config': Cannot find field.")
        contents = body.get("contents")
        if not contents:
            return bad("* GenerateContentRequest.contents: contents is not specified")
        for i, content in enumerate(contents):
            if content.get("role") not in ("user", "model"):
                return bad("Please use a valid role: user, model.")
            if not content.get("parts"):
                return bad(f"* GenerateContentRequest.contents[{i}].parts: contents.parts must "
                           "not be empty.")
        system = body.get("systemInstruction")
        for content in [*contents, *([system] if system else [])]:
            for j, part in enumerate(content.get("parts") or []):
                if sum(field(part, name) is not None for name in PART_DATA) != 1:
                    return bad(f"* GenerateContentRequest.contents.parts[{j}].data: required "
                               "oneof field 'data' must have one initialized field")
                inline = field(part, "inlineData")
                if inline is not None:
                    try:
                        base64.b64decode(inline.get("data", ""), validate=True)
                    except (binascii.Error, ValueError):
                        return bad("Invalid value at 'contents[0].parts[1].inline_data.data' "
                                   "(TYPE_BYTES), Base64 decoding failed")
                    if not str(field(inline, "mimeType") or "").startswith("image/"):
                        return bad("Unsupported MIME type")
                linked = field(part, "fileData")
                if linked is not None and not field(linked, "fileUri"):
                    return bad("* GenerateContentRequest.contents.parts.file_data.file_uri: "
                               "file_uri is required")
        cap = (body.get("generationConfig") or {}).get("maxOutputTokens")
        if cap is not None and (not isinstance(cap, int) or cap < 1):
            return bad("max_output_tokens must be positive.")
        return None

    # -- answers ---------------------------------------------------------------------------
    def answer(self, request: GeminiRecorded, text: str | None = None, *,
               fields: dict[str, Any] | None = None,
               finish_reason: str | None = None) -> dict[str, Any]:
        """A response to `request`: JSON shaped by its responseJsonSchema when it gives one
        (`fields`, else filled from the schema), else `text` (an echo by default), cut at
        maxOutputTokens; usage counted as the server would, implicit caching applied."""
        body = request.body
        model = request.model
        counter = TokenCounter(model)
        config = request.config
        schema = config.get("responseJsonSchema")
        if schema is not None and config.get("responseMimeType") == "application/json":
            text = json.dumps(fields if fields is not None else _value(
                "answer", schema, request.user_text[:60]), ensure_ascii=False)
        elif text is None:
            words = request.user_text.split()
            length = 4 + zlib.crc32(request.user_text.encode()) % 36
            text = "Answer: " + " ".join((words * (length // max(len(words), 1) + 1))[:length])
        tokens = counter._encode(text)
        finish = finish_reason or "STOP"
        cap = config.get("maxOutputTokens")
        if cap is not None and len(tokens) > cap:
            tokens = tokens[:cap]
            text, finish = encoding(counter.encoding_name).decode(tokens), "MAX_TOKENS"
        prompt = counter.text(system_text(body))
        for content in body["contents"]:
            for part in content["parts"]:
                prompt += counter.text(part["text"]) if "text" in part else IMAGE_TOKENS
        usage = {"promptTokenCount": prompt, "candidatesTokenCount": len(tokens),
                 "totalTokenCount": prompt + len(tokens) + self.thinking_tokens,
                 "promptTokensDetails": [{"modality": "TEXT", "tokenCount": prompt}]}
        cached = self._cached(body, model, counter)
        if cached:
            usage["cachedContentTokenCount"] = cached
            usage["cacheTokensDetails"] = [{"modality": "TEXT", "tokenCount": cached}]
        if self.thinking_tokens:
            usage["thoughtsTokenCount"] = self.thinking_tokens
        parts: list[dict[str, Any]] = []
        if self.thinking_tokens:  # a thought summary, as with includeThoughts: never the answer
            parts.append({"text": "**Thinking it over**", "thought": True})
        parts.append({"text": text})
        return {"candidates": [{"content": {"role": "model", "parts": parts},
                                "finishReason": finish, "index": 0}],
                "usageMetadata": usage, "modelVersion": model,
                "responseId": f"resp-{len(self.sent):06d}"}

    def _cached(self, body: dict[str, Any], model: str, counter: TokenCounter) -> int:
        """Gemini's implicit caching, simplified: a system instruction of CACHE_MIN_TOKENS or
        more, sent before for the same model, is read from the cache the next time."""
        system = system_text(body)
        tokens = counter.text(system) if system else 0
        if tokens < CACHE_MIN_TOKENS:
            return 0
        with self._lock:
            if (model, system) in self.cache:
                return tokens
            self.cache[(model, system)] = tokens
        return 0

    async def _respond(self, writer: Any, request: Recorded, reply: Reply, *,
                       extra_headers: dict[str, str] | None = None, log: bool = True) -> None:
        if reply.status == 200 and reply.body is None:  # an answer: kept as sent
            answer = self.completion(request)
            with self._lock:
                self.sent.append((request, answer))  # type: ignore[arg-type]
            reply = Reply(status=200, body=answer, headers=reply.headers, delay=reply.delay)
        await super()._respond(writer, request, reply, extra_headers=extra_headers, log=log)

    # -- rate limits: fake_openai's buckets, Gemini's 429 and no headers ---------------------
    def _admit(self, request: Recorded) -> tuple[Reply | None, dict[str, str]]:
        """Requests per minute only (Gemini's RPM), refused as Gemini refuses: a 429 whose
        RetryInfo says how long to wait, and no headers."""
        bucket = self._buckets.get("requests")
        if self.limits is None or bucket is None:
            return None, {}
        now = time.monotonic()
        with self._lock:
            bucket.refill(now)
            if bucket.level >= 1:
                bucket.level -= 1
                self.admitted.append(now)
                return None, {}
            wait = bucket.wait_s(1)
        return rate_limited(f"{max(1, math.ceil(wait))}s"), {}

    def _rate_headers(self) -> dict[str, str]:
        return {}
