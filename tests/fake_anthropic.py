"""A loopback stand-in of Anthropic's Messages API on 127.0.0.1, for tests.

Shaped as the real API is (read from the official SDK's types and Anthropic's docs, API version
2026-10-21): `POST /v1/messages` with the key in `x-api-key` or `Authorization: Bearer` (the
SDK 2.x sends the latter) and an `anthropic-version` header; a `message` body whose content is
text or tool_use blocks, a `stop_reason` and `usage` with the prompt cache's reads and writes;
errors as `{"type": "error", "error": {"type", "message"}}` with Anthropic's statuses (400, 401,
403, 404, 429, 500, 529) and `retry-after`; rate limits as `anthropic-ratelimit-*` headers, their
resets RFC 3339 times. It refuses what the real API refuses (a `system` role in messages,
sampling parameters under 2026-10-21, unknown fields), so a test cannot pass on a body the real
one would reject.

The HTTP machinery is tests/fake_openai.py's (its loop thread, HTTP/1.1, `on`/`then`
scripting, `requests` recorded, `enforce` for rate limits); only what differs is here.
"""

from __future__ import annotations

import json
import math
import time
import zlib
from datetime import UTC, datetime
from typing import Any

from fake_openai import FakeOpenAI, Recorded, Reply

from pipeline.tokens import TokenCounter, encoding

#: Versions the fake takes in `anthropic-version`; the SDK sends the last.
API_VERSIONS = ("2023-06-01", "2026-10-21")
#: What 2026-10-21 refuses (with a 400), even at their default values.
SAMPLING = ("temperature", "top_p", "top_k")
#: The Messages API's top-level fields.
FIELDS = {"model", "max_tokens", "messages", "system", "stop_sequences", "stream", "tools",
          "tool_choice", "metadata", "thinking", "service_tier", "cache_control",
          "output_config", "container", "inference_geo", "speed", "diagnostics", *SAMPLING}
#: The shortest prefix the fake caches (most Claude models': 1,024 tokens).
CACHE_MIN_TOKENS = 1024


def error(status: int, type_: str, message: str, **kw: Any) -> Reply:
    """An error reply as Anthropic sends it."""
    return Reply(status=status, body={"type": "error",
                                      "error": {"type": type_, "message": message}}, **kw)


def rate_limited(retry_after: str = "1", **kw: Any) -> Reply:
    return error(429, "rate_limit_error", "This request would exceed your organization's rate "
                 "limit of 50 requests per minute.", headers={"retry-after": retry_after}, **kw)


def overloaded(**kw: Any) -> Reply:
    return error(529, "overloaded_error", "Overloaded", **kw)


def prompt_too_long(tokens: int = 215_000, **kw: Any) -> Reply:
    return error(400, "invalid_request_error",
                 f"prompt is too long: {tokens} tokens > 200000 maximum", **kw)


def rfc3339(seconds_from_now: float) -> str:
    return datetime.fromtimestamp(time.time() + seconds_from_now, UTC).isoformat().replace(
        "+00:00", "Z")


def system_text(body: dict[str, Any]) -> str:
    system = body.get("system") or ""
    return system if isinstance(system, str) else "".join(b.get("text", "") for b in system)


def _value(name: str, schema: dict[str, Any], about: str) -> Any:
    """A plausible value of a schema: what a model fills a tool's input with."""
    kind = schema.get("type")
    if schema.get("enum"):  # the best of a scale (a judge's 5, its "yes")
        return max(schema["enum"]) if kind in ("integer", "number") else schema["enum"][0]
    if kind == "object":
        return {k: _value(k, v, about) for k, v in (schema.get("properties") or {}).items()}
    if kind == "array":
        return [_value(name, schema.get("items") or {"type": "string"}, about)]
    if kind in ("integer", "number"):
        return 7
    if kind == "boolean":
        return True
    return f"{name.replace('_', ' ').capitalize()} for {about}"


class FakeAnthropic(FakeOpenAI):
    """The server. Script replies with `on(substring, reply)` / `then(reply)` (fake_openai's),
    using `error`, `rate_limited`, `overloaded`, `prompt_too_long` for Anthropic's errors."""

    request_id_header = "request-id"
    batch_paths = ("/v1/messages/batches",)

    def __init__(self) -> None:
        super().__init__()
        self._reset_anthropic()

    def _reset_anthropic(self) -> None:
        self.completion = self.message
        #: Keys the server takes (None: any non-empty key).
        self.keys: set[str] | None = None
        #: anthropic-ratelimit-* (and any other) headers sent with every reply.
        self.limit_headers: dict[str, str] = {}
        #: Cached prefixes: (model, tools, system up to the mark) -> its tokens.
        self.cache: dict[str, int] = {}
        #: Every message sent back, with the request it answered, in the order sent.
        self.sent: list[tuple[Recorded, dict[str, Any]]] = []
        #: False: keep none (a benchmark's server).
        self.keep_sent = True

    def reset(self) -> None:
        super().reset()
        self._reset_anthropic()

    @property
    def messages(self) -> list[dict[str, Any]]:
        """Every message sent back, in the order sent."""
        return [message for _, message in self.sent]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"  # the SDK adds /v1/messages

    def _new_batch_api(self) -> Any:
        """Message Batches (tests/fake_message_batches.py), answering with `message`."""
        from fake_message_batches import FakeMessageBatches

        return FakeMessageBatches(self)

    # -- what the real API refuses -------------------------------------------------------
    def _unsupported(self, request: Recorded) -> Reply | None:
        if request.path.split("?")[0] != "/v1/messages":
            return error(404, "not_found_error", f"Not found: {request.path}")
        headers = request.headers
        key = headers.get("x-api-key") or headers.get("authorization", "").removeprefix(
            "Bearer ")
        if not key:
            return error(401, "authentication_error", "x-api-key header is required")
        if self.keys is not None and key not in self.keys:
            return error(401, "authentication_error", "invalid x-api-key")
        version = headers.get("anthropic-version")
        if version is None:
            return error(400, "invalid_request_error", "anthropic-version: header is required")
        if version not in API_VERSIONS:
            return error(400, "invalid_request_error",
                         f"anthropic-version: invalid version: {version}")
        return self._invalid(request.body, version)

    def _invalid(self, body: dict[str, Any], version: str) -> Reply | None:
        def bad(message: str) -> Reply:
            return error(400, "invalid_request_error", message)

        for name in ("model", "max_tokens", "messages"):
            if name not in body:
                return bad(f"{name}: Field required")
        for name in body:
            if name not in FIELDS or (name in SAMPLING and version != API_VERSIONS[0]):
                return bad(f"{name}: Extra inputs are not permitted")
        if not isinstance(body["max_tokens"], int) or body["max_tokens"] < 1:
            return bad("max_tokens: Input should be greater than or equal to 1")
        for i, message in enumerate(body["messages"]):
            if message.get("role") not in ("user", "assistant"):
                return bad(f"messages.{i}.role: Input should be 'user' or 'assistant'")
            content = message.get("content")
            if isinstance(content, list):
                for j, block in enumerate(content):
                    if block.get("type") not in ("text", "image", "tool_use", "tool_result"):
                        return bad(f"messages.{i}.content.{j}.type: Input tag "
                                   f"'{block.get('type')}' found using 'type' does not match "
                                   "any of the expected tags")
        system = body.get("system")
        if system is not None and not isinstance(system, str | list):
            return bad("system: Input should be a valid string or list")
        choice = body.get("tool_choice")
        names = [t.get("name") for t in body.get("tools") or []]
        if choice and choice.get("type") == "tool" and choice.get("name") not in names:
            return bad(f"Tool '{choice.get('name')}' not found in provided tools")
        for tool in body.get("tools") or []:
            if (tool.get("input_schema") or {}).get("type") != "object":
                return bad("tools.0.custom.input_schema.type: Input should be 'object'")
        return None

    # -- answers ---------------------------------------------------------------------------
    def message(self, request: Recorded, text: str | None = None, *,
                tool_input: dict[str, Any] | None = None,
                stop_reason: str | None = None) -> dict[str, Any]:
        """A message answering `request`: the forced tool's call when it names one (its input
        `tool_input`, else filled from the schema), else `text` (an echo by default), cut at
        max_tokens; usage counted as the server would, the prompt cache applied."""
        body = request.body
        model = body.get("model", "unknown")
        counter = TokenCounter(model)
        choice = body.get("tool_choice") or {}
        about = request.user_text[:60]
        if choice.get("type") == "tool":
            tool = next(t for t in body["tools"] if t["name"] == choice["name"])
            given = tool_input if tool_input is not None else _value(
                "answer", tool["input_schema"], about)
            block: dict[str, Any] = {"type": "tool_use", "id": f"toolu_{len(self.sent):04d}",
                                     "name": tool["name"], "input": given}
            output = counter.text(json.dumps(given))
            content = [block]
            stop = stop_reason or "tool_use"
        else:
            if text is None:
                words = request.user_text.split()
                length = 4 + zlib.crc32(request.user_text.encode()) % 36
                text = "Answer: " + " ".join((words * (length // max(len(words), 1) + 1))
                                             [:length])
            tokens = counter._encode(text)
            stop = stop_reason or "end_turn"
            if len(tokens) > body["max_tokens"]:
                tokens = tokens[:body["max_tokens"]]
                text, stop = encoding(counter.encoding_name).decode(tokens), "max_tokens"
            output = len(tokens)
            content = [{"type": "text", "text": text}]
        prompt = (counter.messages(body["messages"]) + counter.text(system_text(body))
                  + (counter.text(json.dumps(body["tools"])) if body.get("tools") else 0))
        read, written = self._cache(body, counter)
        return {
            "id": f"msg_{len(self.sent):06d}", "type": "message", "role": "assistant",
            "model": model, "content": content, "stop_reason": stop, "stop_sequence": None,
            "usage": {"input_tokens": prompt - read - written, "output_tokens": output,
                      "cache_creation_input_tokens": written, "cache_read_input_tokens": read,
                      "cache_creation": {"ephemeral_5m_input_tokens": written,
                                         "ephemeral_1h_input_tokens": 0},
                      "service_tier": "standard"},
        }

    def _cache(self, body: dict[str, Any], counter: TokenCounter) -> tuple[int, int]:
        """Anthropic's prompt cache: the tools and system blocks up to one marked
        cache_control are the prefix; at CACHE_MIN_TOKENS or more it is written the first
        time (cache_creation_input_tokens) and read after (cache_read_input_tokens)."""
        system = body.get("system")
        if not isinstance(system, list):
            return 0, 0
        marked = [i for i, b in enumerate(system) if b.get("cache_control")]
        if not marked:
            return 0, 0
        upto = [{k: v for k, v in b.items() if k != "cache_control"}
                for b in system[:marked[-1] + 1]]
        key = json.dumps([body["model"], body.get("tools"), upto], sort_keys=True)
        tokens = counter.text("".join(b.get("text", "") for b in upto)) + (
            counter.text(json.dumps(body["tools"])) if body.get("tools") else 0)
        if tokens < CACHE_MIN_TOKENS:
            return 0, 0
        with self._lock:
            if key in self.cache:
                return tokens, 0
            self.cache[key] = tokens
        return 0, tokens

    async def _respond(self, writer: Any, request: Recorded, reply: Reply, *,
                       extra_headers: dict[str, str] | None = None, log: bool = True) -> None:
        if reply.status == 200 and reply.body is None:  # a message: kept as sent
            message = self.completion(request)
            if self.keep_sent:
                with self._lock:
                    self.sent.append((request, message))
            reply = Reply(status=200, body=message, headers=reply.headers, delay=reply.delay)
        await super()._respond(writer, request, reply,
                               extra_headers={**self.limit_headers, **(extra_headers or {})},
                               log=log)

    # -- rate limits (fake_openai's buckets, Anthropic's headers and 429) --------------------
    def _admit(self, request: Recorded) -> tuple[Reply | None, dict[str, str]]:
        rejected, headers = super()._admit(request)
        if rejected is None:
            return None, headers
        wait = float(rejected.headers.get("retry-after-ms", "1000")) / 1000
        reply = rate_limited(str(max(1, math.ceil(wait))), delay=rejected.delay)
        reply.headers = {**headers, **reply.headers}
        return reply, headers

    def _rate_headers(self) -> dict[str, str]:
        headers = {}
        for name, bucket in self._buckets.items():
            prefix = f"anthropic-ratelimit-{name}"
            headers[f"{prefix}-limit"] = f"{bucket.limit:.0f}"
            headers[f"{prefix}-remaining"] = f"{max(0, int(bucket.level))}"
            to_full = (bucket.capacity - bucket.level) / bucket.rate
            headers[f"{prefix}-reset"] = rfc3339(max(to_full, 0))
        return headers


def main() -> None:
    """Run the server in the foreground (for benchmarks): prints its base URL, then serves.
    Messages sent are not kept (`sent` stays empty), so a long run's memory is the batches'."""
    import threading

    server = FakeAnthropic()
    server.keep_requests = False
    server.keep_sent = False
    server.start()
    print(server.base_url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
