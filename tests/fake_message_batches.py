"""Anthropic's Message Batches API on the loopback Anthropic server, shaped as documented.

POST /v1/messages/batches (`{"requests": [{"custom_id", "params"}]}`: custom_ids unique, at
most 64 of [a-zA-Z0-9_-]; at most 100,000 requests), GET /v1/messages/batches/{id}, GET
/v1/messages/batches (newest first; `limit` 1-1000, default 20; `after_id` / `before_id`;
`{"data", "has_more", "first_id", "last_id"}`), POST /v1/messages/batches/{id}/cancel, DELETE
/v1/messages/batches/{id} (only an ended batch), GET its `results_url` (JSONL, one line per
request in any order: `{"custom_id", "result": {"type": "succeeded", "message"} | {"type":
"errored", "error": {"type": "error", "error": {"type", "message"}}} | {"type": "canceled"}
| {"type": "expired"}}`). A batch is `in_progress` for `polls_per_state` retrieves, then
`ended`; each request's params are checked as the Messages API checks them (a bad one is an
errored line, as Anthropic validates params asynchronously) and answered with the server's
message function. Keys and `anthropic-version` are checked on every call.
"""

from __future__ import annotations

import itertools
import json
import re
import time
import urllib.parse
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fake_openai import Recorded, Reply

CUSTOM_ID = re.compile(r"[a-zA-Z0-9_-]{1,64}")


def _time(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")


def _error(status: int, type_: str, message: str) -> Reply:
    return Reply(status=status, body={"type": "error",
                                      "error": {"type": type_, "message": message}})


class FakeMessageBatches:
    def __init__(self, server: Any):
        #: The FakeAnthropic serving it: its key and version checks, its messages.
        self.server = server
        self.batches: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self.polls_per_state = 1
        #: custom_id -> how many more times it is answered with an errored line.
        self.fail: dict[str, int] = {}
        #: Answer the next creations with a 500 (nothing created).
        self.fail_create = 0
        #: Create the next batches, then close the connection without replying.
        self.lose_create_reply = 0
        #: "expired" / "canceled": the next batch to end so, having answered only `partial`
        #: of its requests (the rest expired or canceled).
        self.end_as: str | None = None
        self.partial = 0
        #: Every call made, as (method, path).
        self.calls: list[tuple[str, str]] = []
        #: The key of every call (which key reached this server).
        self.keys: list[str | None] = []
        #: Called with each batch the moment it is created, before the reply goes out.
        self.on_create: Callable[[dict[str, Any]], None] | None = None
        #: Every line of every result file served: (custom_id, result type).
        self.answered: list[tuple[str, str]] = []

    # -- dispatch ------------------------------------------------------------------------------
    def handle(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> Reply:
        path, _, query = path.partition("?")
        self.calls.append((method, path))
        key = headers.get("x-api-key") or headers.get("authorization", "").removeprefix(
            "Bearer ") or None
        self.keys.append(key)
        if not key or (self.server.keys is not None and key not in self.server.keys):
            return _error(401, "authentication_error", "invalid x-api-key")
        if not headers.get("anthropic-version"):
            return _error(400, "invalid_request_error", "anthropic-version: header is required")
        if path == "/v1/messages/batches" and method == "POST":
            return self._create(raw)
        if path == "/v1/messages/batches" and method == "GET":
            return self._list(urllib.parse.parse_qs(query))
        match = re.fullmatch(r"/v1/messages/batches/([\w-]+)(/cancel|/results)?", path)
        batch = self.batches.get(match.group(1)) if match else None
        if batch is None:
            return _error(404, "not_found_error", f"Not found: {path}")
        action = match.group(2) if match else None
        if action == "/cancel" and method == "POST":
            if batch["processing_status"] == "in_progress":
                batch.update(processing_status="canceling",
                             cancel_initiated_at=_time(time.time()))
            return Reply(body=self._view(batch))
        if action == "/results" and method == "GET":
            if batch["processing_status"] != "ended":
                return _error(404, "not_found_error", "results are not ready")
            return Reply(body=batch["_results"], headers={"content-type": "application/binary"})
        if action is None and method == "DELETE":
            if batch["processing_status"] != "ended":
                return _error(400, "invalid_request_error",
                              "batch must be ended before it is deleted")
            del self.batches[batch["id"]]
            return Reply(body={"id": batch["id"], "type": "message_batch_deleted"})
        if action is None and method == "GET":
            self._advance(batch)
            return Reply(body=self._view(batch))
        return _error(405, "invalid_request_error", f"{method} {path}")

    # -- batches -----------------------------------------------------------------------------
    def _create(self, raw: bytes) -> Reply:
        if self.fail_create:
            self.fail_create -= 1
            return _error(500, "api_error", "Internal server error")
        try:
            body = json.loads(raw)
        except json.JSONDecodeError:
            return _error(400, "invalid_request_error", "body: not valid JSON")
        if set(body) != {"requests"} or not isinstance(body["requests"], list):
            return _error(400, "invalid_request_error", "requests: Field required")
        requests = body["requests"]
        if not 1 <= len(requests) <= 100_000:
            return _error(400, "invalid_request_error",
                          "requests: between 1 and 100000 requests")
        seen: set[str] = set()
        for i, request in enumerate(requests):
            custom_id = request.get("custom_id")
            if not isinstance(custom_id, str) or not CUSTOM_ID.fullmatch(custom_id):
                return _error(400, "invalid_request_error",
                              f"requests.{i}.custom_id: String should match pattern "
                              "'^[a-zA-Z0-9_-]{1,64}$'")
            if custom_id in seen:
                return _error(400, "invalid_request_error",
                              f"requests.{i}.custom_id: duplicate custom_id {custom_id}")
            if set(request) != {"custom_id", "params"}:
                return _error(400, "invalid_request_error",
                              f"requests.{i}: Extra inputs are not permitted")
            seen.add(custom_id)
        now = time.time()
        batch_id = f"msgbatch_{next(self._ids):024d}"
        batch = {"id": batch_id, "type": "message_batch", "processing_status": "in_progress",
                 "request_counts": {"processing": len(requests), "succeeded": 0, "errored": 0,
                                    "canceled": 0, "expired": 0},
                 "ended_at": None, "created_at": _time(now), "expires_at": _time(now + 86400),
                 "archived_at": None, "cancel_initiated_at": None, "results_url": None,
                 "_requests": requests, "_polls": 0, "_created": now}
        self.batches[batch_id] = batch
        if self.on_create is not None:
            self.on_create(self._view(batch))
        if self.lose_create_reply:
            self.lose_create_reply -= 1
            return Reply(drop=True)
        return Reply(body=self._view(batch))

    def _list(self, query: dict[str, list[str]]) -> Reply:
        try:
            limit = int(query.get("limit", ["20"])[0])
        except ValueError:
            limit = 0
        if not 1 <= limit <= 1000:
            return _error(400, "invalid_request_error", "limit: between 1 and 1000")
        newest_first = sorted(self.batches.values(), key=lambda b: (b["_created"], b["id"]),
                              reverse=True)
        ids = [b["id"] for b in newest_first]
        start = 0
        if "after_id" in query:
            if query["after_id"][0] not in ids:
                return _error(400, "invalid_request_error", "after_id: no such batch")
            start = ids.index(query["after_id"][0]) + 1
        page = [self._view(b) for b in newest_first[start:start + limit]]
        return Reply(body={"data": page, "has_more": start + limit < len(newest_first),
                           "first_id": page[0]["id"] if page else None,
                           "last_id": page[-1]["id"] if page else None})

    def _view(self, batch: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in batch.items() if not k.startswith("_")}

    def _advance(self, batch: dict[str, Any]) -> None:
        if batch["processing_status"] == "ended":
            return
        batch["_polls"] += 1
        if batch["_polls"] < self.polls_per_state:
            return
        canceling = batch["processing_status"] == "canceling"
        ending = "canceled" if canceling else self.end_as
        self.end_as = None
        requests = batch["_requests"]
        done = len(requests) if ending is None else self.partial
        lines = [self._answer(r) for r in requests[:done]]
        lines += [{"custom_id": r["custom_id"], "result": {"type": ending}}
                  for r in requests[done:]]
        counts = {kind: 0 for kind in ("succeeded", "errored", "canceled", "expired")}
        for line in lines:
            counts[line["result"]["type"]] += 1
            self.answered.append((line["custom_id"], line["result"]["type"]))
        batch["request_counts"] = {"processing": 0, **counts}
        batch.update(processing_status="ended", ended_at=_time(time.time()),
                     results_url=f"{self.server.base_url}/v1/messages/batches/{batch['id']}"
                                 "/results",
                     _results="".join(json.dumps(x) + "\n" for x in reversed(lines)).encode())

    def _answer(self, request: dict[str, Any]) -> dict[str, Any]:
        """One request's line: errored when scripted to fail or when its params are what
        the Messages API refuses, else the server's message."""
        custom_id, params = request["custom_id"], request["params"]
        if self.fail.get(custom_id, 0) > 0:
            self.fail[custom_id] -= 1
            return {"custom_id": custom_id, "result": {"type": "errored", "error": {
                "type": "error", "error": {"type": "api_error",
                                           "message": "Internal server error"}}}}
        refused = self.server._invalid(params, "2026-10-21")
        if refused is not None:
            return {"custom_id": custom_id, "result": {"type": "errored",
                                                       "error": refused.body}}
        message = self.server.completion(Recorded(path="/v1/messages", headers={},
                                                  body=params))
        return {"custom_id": custom_id, "result": {"type": "succeeded", "message": message}}
