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
import random
import threading
import time
import zlib
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipeline.tokens import TokenCounter, encoding, encoding_name_for


def encoding_for(model: str):
    return encoding(encoding_name_for(model))

_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 402: "Payment Required",
            403: "Forbidden", 404: "Not Found", 408: "Request Timeout", 413: "Payload Too Large",
            429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
            503: "Service Unavailable", 529: "Overloaded"}


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
              type_: str = "invalid_request_error", param: str | None = None,
              **kw: Any) -> Reply:
        body = {"error": {"message": message, "type": type_, "param": param, "code": code}}
        return cls(status=status, body=body, **kw)


@dataclass
class Recorded:
    """One request as the server saw it."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    at: float = field(default_factory=time.monotonic)  # arrival, monotonic seconds

    @property
    def user_text(self) -> str:
        msgs = self.body.get("messages", [])
        content = next((m["content"] for m in reversed(msgs) if m.get("role") == "user"), "")
        if isinstance(content, list):  # text and image parts: the text
            return " ".join(p.get("text", "") for p in content if p.get("type") == "text")
        return content


# Servers answer with the dated snapshot name, as OpenAI does.
REPORTED_MODEL = {"gpt-4o-mini": "gpt-4o-mini-2024-07-18"}


def count_prompt(messages: list[dict[str, str]], model: str) -> int:
    return TokenCounter(model).messages(messages)


@dataclass
class ServerLimits:
    """Limits enforced like OpenAI's: continuously refilled buckets of requests and tokens.

    A request is charged its prompt tokens plus max_tokens on arrival (completion tokens on
    completion when it sets no max_tokens). `per_second` enforces the minute's limit over one
    second windows (a bucket holding a second's worth), as OpenAI may do.
    """

    rpm: float | None = None
    tpm: float | None = None
    per_second: bool = False
    send_headers: bool = True


class _Bucket:
    def __init__(self, per_minute: float, per_second: bool):
        self.limit = per_minute
        self.rate = per_minute / 60.0
        self.capacity = self.rate if per_second else per_minute
        self.level = self.capacity
        self._at = time.monotonic()

    def refill(self, now: float) -> None:
        self.level = min(self.capacity, self.level + (now - self._at) * self.rate)
        self._at = now

    def wait_s(self, amount: float) -> float:
        return max(0.0, (min(amount, self.capacity) - self.level) / self.rate)


@dataclass
class Faults:
    """Random trouble for requests nobody scripted: latency with jitter, 500s, hangs, garbage."""

    latency: float = 0.0
    jitter: float = 0.0
    p500: float = 0.0
    phang: float = 0.0
    pgarbage: float = 0.0
    hang_s: float = 600.0
    seed: int = 1


def _llama_cpp_python_refusal(kind: str) -> tuple[int, dict[str, Any]]:
    """llama-cpp-python's server (0.3.x): its request model allows only text and json_object,
    and its route error handler turns the validation error into an HTTP 500."""
    detail = [{"type": "literal_error", "loc": ("body", "response_format", "type"),
               "msg": "Input should be 'text' or 'json_object'", "input": kind,
               "ctx": {"expected": "'text' or 'json_object'"}}]
    return 500, {"error": {"message": str(detail), "type": "internal_server_error",
                           "param": None, "code": None}}


def _lm_studio_refusal(kind: str) -> tuple[int, dict[str, Any]]:
    return 400, {"error": "'response_format.type' must be 'json_schema' or 'text'"}


def _plain_refusal(kind: str) -> tuple[int, dict[str, Any]]:
    """A server or proxy that takes no response_format at all (FastAPI's 422 shape)."""
    return 422, {"detail": [{"type": "extra_forbidden", "loc": ["body", "response_format"],
                             "msg": "Extra inputs are not permitted"}]}


#: What each mimicked server accepts as response_format `type`, and how it refuses the rest
#: (docs/servers.md). json_object with a schema beside it counts as json_object.
PERSONAS: dict[str, dict[str, Any]] = {
    "openai": {"accepts": {"json_schema", "json_object", "text"}, "refusal": None},
    "llama-cpp-python": {"accepts": {"json_object", "text"},
                         "refusal": _llama_cpp_python_refusal},
    "lm-studio": {"accepts": {"json_schema", "text"}, "refusal": _lm_studio_refusal},
    "plain": {"accepts": set(), "refusal": _plain_refusal},
}


def default_completion(request: Recorded) -> dict[str, Any]:
    """An echo answer with usage computed from the prompt, like a real server reports it."""
    user = request.user_text
    words = user.split()
    length = 4 + zlib.crc32(user.encode()) % 36  # answers of varied length, stable per prompt
    return completion_body(request, "Answer: " + " ".join(
        (words * (length // max(len(words), 1) + 1))[:length]))


def completion_body(request: Recorded, text: str, *, finish_reason: str = "stop",
                    refusal: str | None = None) -> dict[str, Any]:
    """A chat completion answering `request` with `text`, cut at its max_tokens, with usage
    counted the way the server would (prompt with the model's encoding, completion tokens)."""
    messages = request.body.get("messages", [])
    model = request.body.get("model", "unknown")
    prompt_tokens = count_prompt(messages, model)
    cap = request.body.get("max_completion_tokens") or request.body.get("max_tokens")
    encoding = TokenCounter(model)
    tokens = encoding._encode(text)
    finish = finish_reason
    if cap is not None and len(tokens) > cap:
        text, finish = encoding_for(model).decode(tokens[:cap]), "length"
        tokens = tokens[:cap]
    message: dict[str, Any] = {"role": "assistant", "content": None if refusal else text}
    if refusal:
        message["refusal"] = refusal
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": 1_700_000_000,
        "model": REPORTED_MODEL.get(model, model),
        "choices": [{"index": 0, "finish_reason": finish, "message": message}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": len(tokens),
                  "total_tokens": prompt_tokens + len(tokens),
                  "prompt_tokens_details": {"cached_tokens": 0}},
    }


class FakeOpenAI:
    """The server. `on(substring, *replies)` scripts replies for prompts containing substring.

    tests/fake_anthropic.py builds Anthropic's Messages API on the same machinery (the loop
    thread, HTTP/1.1, scripting and recording), overriding the answer, the checks of a request
    (`_unsupported`), the rate-limit headers and the request id's header."""

    #: The response header carrying the request's id (Anthropic's is `request-id`).
    request_id_header = "x-request-id"
    #: Paths the batch API (`batch_api`) answers.
    batch_paths: tuple[str, ...] = ("/v1/files", "/v1/batches")
    #: How a request is recorded (Gemini's reads its user text from `contents`).
    record = Recorded

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.responses: list[dict[str, Any]] = []
        self._scripts: dict[str, deque[Reply]] = defaultdict(deque)
        self._default: deque[Reply] = deque()
        self.completion: Callable[[Recorded], dict[str, Any]] = default_completion
        self._lock = threading.RLock()  # the batch APIs answer under it, and answers take it
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self._ids = itertools.count(1)
        self.port = 0
        self.limits: ServerLimits | None = None
        self.faults = Faults()
        self._random = random.Random(1)
        self._buckets: dict[str, _Bucket] = {}
        #: (monotonic time, status) of every answer sent, for throughput figures.
        self.log: list[tuple[float, int]] = []
        #: (monotonic time, user message) of every successful completion sent.
        self.answered: list[tuple[float, str]] = []
        #: arrival times of requests the limits let through (whatever happened next).
        self.admitted: list[float] = []
        self.keep_requests = True
        #: False: answer a json_schema response_format with 400, as older servers do.
        self.json_schema = True
        #: Which real server's response_format support to mimic (see PERSONAS): what it
        #: refuses, with the status and body that server sends.
        self.persona = "openai"
        #: False: leave `usage` out of answers, as some proxies and servers do.
        self.send_usage = True
        #: Serve at most this many completions at once, each taking service_s, the rest
        #: waiting in line inside the server (llama.cpp with one slot: 1). None: no limit.
        self.slots: int | None = None
        self.service_s = 0.0
        #: For each completion request that arrived with slots set, how many were waiting.
        self.waiting_log: list[int] = []
        self._waiting = 0
        self._slot_gate: asyncio.Semaphore | None = None
        self.batch_api = self._new_batch_api()
        #: A reply chosen from the whole request (its model, its key) before any script;
        #: None from it: the usual reply.
        self.per_request: Callable[[Recorded], Reply | None] | None = None
        #: True: report cached_tokens for repeated prompt prefixes, as OpenAI does (off by
        #: default so other tests' costs stay what they were).
        self.prompt_caching = False
        #: Earlier prompts' tokens per (model, prompt_cache_key), for cached_tokens.
        self._prefixes: dict[tuple[str, Any], list[list[int]]] = {}

    def _for_batch_api(self, path: str) -> bool:
        """Whether the batch API (`batch_api`) answers this path."""
        return path.startswith(self.batch_paths)

    def _new_batch_api(self) -> Any:
        """The Files and Batch APIs (tests/fake_batch_api.py), answering with `completion`."""
        from fake_batch_api import FakeBatchAPI

        return FakeBatchAPI(lambda request: self.completion(request))

    def enforce(self, limits: ServerLimits | None, faults: Faults | None = None) -> None:
        """Start enforcing `limits` (buckets start full) and injecting `faults`."""
        with self._lock:
            self.limits = limits
            self.faults = faults or Faults()
            self._random = random.Random(self.faults.seed)
            self._buckets = {}
            if limits is not None:
                for name, value in (("requests", limits.rpm), ("tokens", limits.tpm)):
                    if value:
                        self._buckets[name] = _Bucket(value, limits.per_second)

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
            self.log.clear()
            self.answered.clear()
            self.admitted.clear()
            self.completion = default_completion
            self.json_schema = True
            self.persona = "openai"
            self.send_usage = True
            self.slots = None
            self.service_s = 0.0
            self.waiting_log.clear()
            self._slot_gate = None
            self.batch_api = self._new_batch_api()
            self.prompt_caching = False
            self._prefixes.clear()
            self.per_request = None
        self.enforce(None)

    def stats(self) -> dict[str, Any]:
        """Counts by status and the times of successful answers (seconds from the first)."""
        with self._lock:
            log = list(self.log)
        by_status: dict[str, int] = defaultdict(int)
        for _, status in log:
            by_status[str(status)] += 1
        ok_times = [t for t, status in log if status == 200]
        with self._lock:
            admitted = list(self.admitted)
        first = min(ok_times[:1] + admitted[:1]) if ok_times or admitted else 0.0
        return {"by_status": dict(by_status), "ok_times": [t - first for t in ok_times],
                "admitted_times": [t - first for t in admitted]}

    # -- rate limits ---------------------------------------------------------------------------
    def _admit(self, request: Recorded) -> tuple[Reply | None, dict[str, str]]:
        """Charge the request to the buckets; a 429 reply when it does not fit."""
        if self.limits is None:
            return None, {}
        now = time.monotonic()
        body = request.body
        model = body.get("model", "gpt-4o-mini")
        cap = body.get("max_completion_tokens") or body.get("max_tokens") or 0
        charge = {"requests": 1, "tokens": count_prompt(body.get("messages", []), model) + cap}
        with self._lock:
            for bucket in self._buckets.values():
                bucket.refill(now)
            short = {name: b.wait_s(charge[name]) for name, b in self._buckets.items()
                     if b.level < min(charge[name], b.capacity)}
            if not short:
                for name, bucket in self._buckets.items():
                    bucket.level -= charge[name]
                self.admitted.append(now)
            headers = self._rate_headers() if self.limits.send_headers else {}
        if not short:
            return None, headers
        which = max(short, key=lambda k: short[k])
        wait = short[which]
        bucket = self._buckets[which]
        message = (f"Rate limit reached for {model} on {which} per min "
                   f"({'RPM' if which == 'requests' else 'TPM'}): Limit {bucket.limit:.0f}, "
                   f"Requested {charge[which]}. Please try again in {wait * 1000:.0f}ms.")
        reply = Reply.error(429, message, code="rate_limit_exceeded", type_=which,
                            headers={**headers, "retry-after-ms": f"{wait * 1000:.0f}",
                                     "retry-after": str(max(1, round(wait)))})
        return reply, headers

    def _rate_headers(self) -> dict[str, str]:
        headers = {}
        for name, bucket in self._buckets.items():
            headers[f"x-ratelimit-limit-{name}"] = f"{bucket.limit:.0f}"
            headers[f"x-ratelimit-remaining-{name}"] = f"{max(0, int(bucket.level))}"
            to_full = (bucket.capacity - bucket.level) / bucket.rate
            headers[f"x-ratelimit-reset-{name}"] = f"{max(to_full, 0):.3f}s"
        return headers

    def _charge_completion(self, request: Recorded, answer: dict[str, Any]) -> None:
        body = request.body
        bucket = self._buckets.get("tokens")
        if bucket is None or body.get("max_completion_tokens") or body.get("max_tokens"):
            return
        used = answer.get("usage", {}).get("completion_tokens", 0)
        with self._lock:
            bucket.level -= used

    def _bill_cached_prefix(self, request: Recorded, answer: dict[str, Any]) -> None:
        """OpenAI's prompt caching: a prompt whose first 1,024+ tokens repeat an earlier
        prompt's (the same model; routed by prompt_cache_key when given) has the shared
        prefix, in steps of 128 tokens, reported as cached_tokens."""
        usage = answer.get("usage")
        if not self.prompt_caching or not usage or usage.get("prompt_tokens", 0) < 1024:
            return
        model = request.body.get("model", "")
        tokens = encoding_for(model).encode("".join(
            f"<|{m.get('role')}|>{m.get('content')}" for m in request.body.get("messages", [])),
            disallowed_special=())
        key = (model, request.body.get("prompt_cache_key"))
        longest = 0
        with self._lock:
            seen = self._prefixes.setdefault(key, [])
            for earlier in seen:
                shared = 0
                for a, b in zip(earlier, tokens, strict=False):
                    if a != b:
                        break
                    shared += 1
                longest = max(longest, shared)
            seen.append(tokens)
            del seen[:-64]
        cached = min(longest, usage["prompt_tokens"]) // 128 * 128 if longest >= 1024 else 0
        usage.setdefault("prompt_tokens_details", {})["cached_tokens"] = cached

    def _fault(self) -> Reply:
        f = self.faults
        with self._lock:
            roll = self._random.random()
            delay = max(0.0, f.latency + self._random.uniform(-f.jitter, f.jitter))
        if roll < f.p500:
            return Reply.error(500, "The server had an error while processing your request.",
                               type_="server_error", delay=delay)
        if roll < f.p500 + f.phang:
            return Reply(delay=f.hang_s)
        if roll < f.p500 + f.phang + f.pgarbage:
            return Reply(body=b'{"id": "chatcmpl-', delay=delay)
        return Reply(delay=delay)

    def _unsupported(self, request: Recorded) -> Reply | None:
        form = request.body.get("response_format")
        if form is None:
            return None
        kind = form.get("type")
        if not self.json_schema and kind == "json_schema":
            return Reply.error(400, "Invalid parameter: 'response_format' of type 'json_schema' "
                               "is not supported with this model.", param="response_format")
        persona = PERSONAS[self.persona]
        if kind in persona["accepts"]:
            return None
        status, body = persona["refusal"](kind)
        return Reply(status=status, body=body)

    async def _serve_in_a_slot(self) -> None:
        """Wait in line for one of `slots`, then take service_s (a one-slot llama.cpp)."""
        if self._slot_gate is None:
            self._slot_gate = asyncio.Semaphore(self.slots or 1)
        self.waiting_log.append(self._waiting)
        self._waiting += 1
        try:
            async with self._slot_gate:
                self._waiting -= 1
                await asyncio.sleep(self.service_s)
        except BaseException:
            self._waiting -= 1
            raise

    def count(self, substring: str = "") -> int:
        """How many requests reached the server whose user message contains substring."""
        return sum(1 for r in self.requests if substring in r.user_text)

    def _next_reply(self, request: Recorded) -> Reply:
        if self.per_request is not None and (reply := self.per_request(request)) is not None:
            return reply
        with self._lock:
            for key, queue in self._scripts.items():
                if queue and key in request.user_text:
                    return queue.popleft()
            if self._default:
                return self._default.popleft()
        return self._fault()

    # -- HTTP ------------------------------------------------------------------------------
    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _version = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                length = int(headers.get("content-length", "0"))
                raw = await reader.readexactly(length) if length else b""
                if self._for_batch_api(path):
                    with self._lock:
                        reply = self.batch_api.handle(method, path, headers, raw)
                    if reply.drop:
                        writer.transport.abort()
                        return
                    await self._respond(writer, Recorded(path=path, headers=headers, body={}),
                                        reply, log=False)
                    continue
                try:
                    body = json.loads(raw) if raw else {}
                except json.JSONDecodeError:
                    body = {"_unparsed": raw.decode("utf-8", "replace")}
                request = self.record(path=path, headers=headers, body=body)
                if path.endswith("/stats"):
                    await self._respond(writer, request, Reply(body=self.stats()), log=False)
                    continue
                if self.keep_requests:
                    with self._lock:
                        self.requests.append(request)
                rejected, rate_headers = self._admit(request)
                reply = rejected or self._unsupported(request) or self._next_reply(request)
                if self.slots is not None and not rejected:
                    await self._serve_in_a_slot()
                if reply.delay:
                    await asyncio.sleep(reply.delay)
                if reply.drop:
                    writer.transport.abort()
                    return
                if reader.at_eof():  # the client went away while we worked: nobody to answer
                    return
                await self._respond(writer, request, reply, extra_headers=rate_headers)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def _respond(self, writer: asyncio.StreamWriter, request: Recorded, reply: Reply,
                       *, extra_headers: dict[str, str] | None = None, log: bool = True) -> None:
        if isinstance(reply.body, bytes):
            payload = reply.body
        else:
            obj = reply.body if reply.body is not None else self.completion(request)
            if reply.status == 200 and reply.body is None:
                self._charge_completion(request, obj)
                self._bill_cached_prefix(request, obj)
                if not self.send_usage:
                    obj = {k: v for k, v in obj.items() if k != "usage"}
                if self.keep_requests:
                    with self._lock:
                        self.responses.append(obj)
                        self.answered.append((time.monotonic(), request.user_text))
            payload = json.dumps(obj).encode()
        if log:
            with self._lock:
                self.log.append((time.monotonic(), reply.status))
        headers = {"content-type": "application/json", "content-length": str(len(payload)),
                   self.request_id_header: f"req_{next(self._ids)}", **(extra_headers or {}),
                   **reply.headers}
        head = f"HTTP/1.1 {reply.status} {_REASONS.get(reply.status, 'Status')}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        writer.write(head.encode("latin-1") + payload)
        await writer.drain()


def main() -> None:
    """Run the server in the foreground (for benchmarks): prints its base URL, then serves."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--rpm", type=float)
    parser.add_argument("--tpm", type=float)
    parser.add_argument("--per-second", action="store_true")
    parser.add_argument("--no-headers", action="store_true")
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--jitter", type=float, default=0.0)
    parser.add_argument("--p500", type=float, default=0.0)
    parser.add_argument("--phang", type=float, default=0.0)
    parser.add_argument("--pgarbage", type=float, default=0.0)
    parser.add_argument("--hang-s", type=float, default=600.0)
    args = parser.parse_args()
    server = FakeOpenAI()
    server.keep_requests = False
    server.start()
    limits = None
    if args.rpm or args.tpm:
        limits = ServerLimits(rpm=args.rpm, tpm=args.tpm, per_second=args.per_second,
                              send_headers=not args.no_headers)
    server.enforce(limits, Faults(latency=args.latency, jitter=args.jitter, p500=args.p500,
                                  phang=args.phang, pgarbage=args.pgarbage, hang_s=args.hang_s))
    print(server.base_url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
