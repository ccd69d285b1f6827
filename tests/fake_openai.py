"""A small OpenAI-compatible chat completions server on 127.0.0.1, for tests and benchmarks.

It speaks real HTTP/1.1 (keep-alive, Content-Length) on its own asyncio loop in a thread, so
the official `openai` client talks to it exactly as it would to a real server. Replies can be
scripted per prompt (status, headers, body, delay, garbage, dropped connections), and every
request is recorded so tests can assert what was sent and how often.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
            404: "Not Found", 408: "Request Timeout", 429: "Too Many Requests",
            500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


@dataclass
class Reply:
    """One scripted answer. `body=None` means a normal completion for the request."""

    status: int = 200
    body: dict[str, Any] | bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False  # close the connection without answering

    @classmethod
    def error(cls, status: int, message: str, code: str | None = None,
              type_: str = "invalid_request_error", **kw: Any) -> Reply:
        body = {"error": {"message": message, "type": type_, "param": None, "code": code}}
        return cls(status=status, body=body, **kw)


@dataclass
class Recorded:
    """One request as the server saw it."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def user_text(self) -> str:
        msgs = self.body.get("messages", [])
        return next((m["content"] for m in reversed(msgs) if m.get("role") == "user"), "")


# Servers answer with the dated snapshot name, as OpenAI does.
REPORTED_MODEL = {"gpt-4o-mini": "gpt-4o-mini-2024-07-18"}


def count_tokens(text: str) -> int:
    """The fake's tokenizer: one token per whitespace-separated word (deterministic)."""
    return len(text.split())


def default_completion(request: Recorded) -> dict[str, Any]:
    """An echo answer with usage computed from the prompt, like a real server reports it."""
    messages = request.body.get("messages", [])
    model = request.body.get("model", "unknown")
    prompt_tokens = sum(count_tokens(m.get("content", "")) + 3 for m in messages)
    user = request.user_text
    text = "Answer: " + " ".join(user.split()[:12])
    cap = request.body.get("max_completion_tokens") or request.body.get("max_tokens")
    words = text.split()
    finish = "stop"
    if cap is not None and len(words) > cap:
        words, finish = words[:cap], "length"
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": 1_700_000_000,
        "model": REPORTED_MODEL.get(model, model),
        "choices": [{"index": 0, "finish_reason": finish,
                     "message": {"role": "assistant", "content": " ".join(words)}}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": len(words),
                  "total_tokens": prompt_tokens + len(words),
                  "prompt_tokens_details": {"cached_tokens": 0}},
    }


class FakeOpenAI:
    """The server. `on(substring, *replies)` scripts replies for prompts containing substring."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.responses: list[dict[str, Any]] = []
        self._scripts: dict[str, deque[Reply]] = defaultdict(deque)
        self._default: deque[Reply] = deque()
        self.completion: Callable[[Recorded], dict[str, Any]] = default_completion
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self._ids = itertools.count(1)
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeOpenAI:
        self._thread.start()
        fut = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._handle, "127.0.0.1", 0), self._loop)
        self._server = fut.result(timeout=10)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        async def close() -> None:
            assert self._server is not None
            self._server.close()
            current = asyncio.current_task()
            tasks = [t for t in asyncio.all_tasks() if t is not current]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- scripting ---------------------------------------------------------------------------
    def on(self, substring: str, *replies: Reply) -> None:
        """The next requests whose user message contains `substring` get these replies."""
        with self._lock:
            self._scripts[substring].extend(replies)

    def then(self, *replies: Reply) -> None:
        """The next requests, whatever they say, get these replies (after `on` scripts)."""
        with self._lock:
            self._default.extend(replies)

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.responses.clear()
            self._scripts.clear()
            self._default.clear()
            self.completion = default_completion

    def count(self, substring: str = "") -> int:
        """How many requests reached the server whose user message contains substring."""
        return sum(1 for r in self.requests if substring in r.user_text)

    def _next_reply(self, request: Recorded) -> Reply:
        with self._lock:
            for key, queue in self._scripts.items():
                if queue and key in request.user_text:
                    return queue.popleft()
            if self._default:
                return self._default.popleft()
        return Reply()

    # -- HTTP ------------------------------------------------------------------------------
    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                _method, path, _version = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                length = int(headers.get("content-length", "0"))
                raw = await reader.readexactly(length) if length else b""
                try:
                    body = json.loads(raw) if raw else {}
                except json.JSONDecodeError:
                    body = {"_unparsed": raw.decode("utf-8", "replace")}
                request = Recorded(path=path, headers=headers, body=body)
                with self._lock:
                    self.requests.append(request)
                reply = self._next_reply(request)
                if reply.delay:
                    await asyncio.sleep(reply.delay)
                if reply.drop:
                    writer.transport.abort()
                    return
                await self._respond(writer, request, reply)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def _respond(self, writer: asyncio.StreamWriter, request: Recorded,
                       reply: Reply) -> None:
        if isinstance(reply.body, bytes):
            payload = reply.body
        else:
            obj = reply.body if reply.body is not None else self.completion(request)
            if reply.status == 200 and reply.body is None:
                with self._lock:
                    self.responses.append(obj)
            payload = json.dumps(obj).encode()
        headers = {"content-type": "application/json", "content-length": str(len(payload)),
                   "x-request-id": f"req_{next(self._ids)}", **reply.headers}
        head = f"HTTP/1.1 {reply.status} {_REASONS.get(reply.status, 'Status')}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        writer.write(head.encode("latin-1") + payload)
        await writer.drain()
