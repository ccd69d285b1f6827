"""Loopback servers for notifications: ClickUp's Create Task endpoint, and a webhook receiver.

FakeClickUp is shaped like ClickUp API v2 (developer.clickup.com/reference/createtask, /docs/
rate-limits): POST /api/v2/list/{list_id}/task with the header `Authorization: <token>`; the
answer is the task (`id`, `url`, `name`, `status`, `tags`, `priority`, `list` ...); errors are
{"err": ..., "ECODE": ...}; every answer carries X-RateLimit-Limit, -Remaining and -Reset (unix
seconds), and a rate-limited request gets a 429 until the reset. Both servers are
http.server in a thread, speaking HTTP/1.1 with keep-alive, and record every request.
"""

from __future__ import annotations

import itertools
import json
import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: Requests per minute per token on ClickUp's Free, Unlimited and Business plans.
RATE_LIMIT = 100


@dataclass
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    raw: bytes
    at: float = field(default_factory=time.time)  # wall clock: rate limits reset by it


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False  # take the request and never answer


class _LoopbackServer:
    """http.server on 127.0.0.1 in a daemon thread; subclasses answer in `answer`."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.answered: list[tuple[float, int]] = []  # (wall time, status); 0: never answered
        self._lock = threading.Lock()
        self._script: deque[Reply] = deque()
        self._release = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None

    def start(self):
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                owner._handle(self)

            do_GET = do_PUT = do_POST

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        self._release.set()  # hanging handlers return
        assert self._httpd is not None
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return self._httpd.server_address[1]

    def then(self, *replies: Reply) -> None:
        """The next requests get these replies (before the server's own answers)."""
        with self._lock:
            self._script.extend(replies)

    def fail_next(self, n: int, status: int = 500) -> None:
        self.then(*[Reply(status, self.error_body(status)) for _ in range(n)])

    def hang_next(self, n: int = 1) -> None:
        self.then(*[Reply(hang=True) for _ in range(n)])

    def error_body(self, status: int) -> Any:
        return {"error": f"HTTP {status}"}

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("content-length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        request = Recorded(handler.command, handler.path,
                           {k.lower(): v for k, v in handler.headers.items()}, body, raw)
        with self._lock:
            self.requests.append(request)
            scripted = self._script.popleft() if self._script else None
        reply = scripted or self.answer(request)
        with self._lock:
            self.answered.append((time.time(), 0 if reply.hang else reply.status))
        if reply.hang:
            self._release.wait(60)
            handler.close_connection = True
            return
        if isinstance(reply.body, bytes | str):
            payload = reply.body.encode() if isinstance(reply.body, str) else reply.body
            content_type = "text/plain; charset=utf-8"
        else:
            payload = json.dumps(reply.body).encode()
            content_type = "application/json; charset=utf-8"
        handler.send_response(reply.status)
        for k, v in {"Content-Type": content_type, **self.extra_headers(request),
                     **reply.headers, "Content-Length": str(len(payload))}.items():
            handler.send_header(k, v)
        handler.end_headers()
        handler.wfile.write(payload)

    @property
    def statuses(self) -> list[int]:
        return [status for _at, status in self.answered]

    def answer(self, request: Recorded) -> Reply:
        raise NotImplementedError

    def extra_headers(self, request: Recorded) -> dict[str, str]:
        return {}


class FakeWebhook(_LoopbackServer):
    """An incoming-webhook receiver (Slack-like: 200 "ok" as text). Every POST is recorded."""

    def url(self, path: str = "/services/T0000/B0000/XXXXXXXX") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def bodies(self) -> list[Any]:
        return [r.body for r in self.requests]

    def answer(self, request: Recorded) -> Reply:
        return Reply(200, "ok")

    def error_body(self, status: int) -> Any:
        return "internal_error" if status >= 500 else "invalid_payload"


class FakeClickUp(_LoopbackServer):
    """ClickUp API v2's Create Task. `token` is the one token it accepts; `lists` the list ids
    it knows (others answer as ClickUp does for a list the token cannot see)."""

    def __init__(self, token: str, lists: tuple[str, ...] = ("901234567",)) -> None:
        super().__init__()
        self.token = token
        self.lists = set(lists)
        self.tasks: list[dict[str, Any]] = []  # the tasks created, as answered
        self.limited_until = 0  # unix seconds: requests before it get a 429
        self._ids = itertools.count(1)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v2"

    def rate_limit(self, seconds: float = 1.0) -> int:
        """Answer 429 until the next whole unix second at least `seconds` away (the
        X-RateLimit-Reset the 429s state); returns that second."""
        with self._lock:
            self.limited_until = math.ceil(time.time() + seconds)
            return self.limited_until

    def error_body(self, status: int) -> Any:
        return {"err": "Internal server error", "ECODE": "SHARD_000"}

    def extra_headers(self, request: Recorded) -> dict[str, str]:
        now = time.time()
        window_end = int(now // 60 + 1) * 60
        with self._lock:
            in_window = sum(1 for r in self.requests if r.at >= window_end - 60)
            limited = now < self.limited_until
        remaining = 0 if limited else max(0, RATE_LIMIT - in_window)
        reset = self.limited_until if limited else window_end
        return {"X-RateLimit-Limit": str(RATE_LIMIT), "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Reset": str(reset)}

    def answer(self, request: Recorded) -> Reply:
        auth = request.headers.get("authorization")
        if not auth:
            return Reply(401, {"err": "Authorization header required", "ECODE": "OAUTH_017"})
        if auth != self.token:
            return Reply(401, {"err": "Token invalid", "ECODE": "OAUTH_025"})
        if time.time() < self.limited_until:
            return Reply(429, {"err": "Rate limit reached", "ECODE": "APP_002"})
        parts = request.path.split("?")[0].strip("/").split("/")
        if request.method != "POST" or len(parts) != 5 or parts[:3] != ["api", "v2", "list"] \
                or parts[4] != "task":
            return Reply(404, {"err": "Route not found", "ECODE": "APP_001"})
        if parts[3] not in self.lists:
            return Reply(401, {"err": "Team(s) not authorized", "ECODE": "OAUTH_023"})
        body = request.body
        if not isinstance(body, dict) or not str(body.get("name") or "").strip():
            return Reply(400, {"err": "Task name invalid", "ECODE": "INPUT_005"})
        priority = body.get("priority")
        if priority is not None and priority not in (1, 2, 3, 4):
            return Reply(400, {"err": "Priority invalid", "ECODE": "INPUT_009"})
        return Reply(200, self._task(parts[3], body))

    def _task(self, list_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """The task as ClickUp's Create Task answers it (its reference's example, trimmed)."""
        task_id = f"86b{next(self._ids):05x}"
        markdown = body.get("markdown_content") or body.get("markdown_description")
        text = markdown or body.get("description") or ""
        now_ms = str(int(time.time() * 1000))
        names = {1: "urgent", 2: "high", 3: "normal", 4: "low"}
        priority = body.get("priority")
        task = {
            "id": task_id, "custom_id": None, "custom_item_id": None,
            "name": body["name"], "text_content": text, "description": text,
            "markdown_description": text,
            "status": {"status": "to do", "color": "#d3d3d3", "orderindex": 0, "type": "open"},
            "orderindex": "1.00000000000000000000000000000000",
            "date_created": now_ms, "date_updated": now_ms, "date_closed": None,
            "date_done": None, "archived": False,
            "creator": {"id": 183, "username": "Pipeline Bot", "color": "#827718",
                        "profilePicture": None},
            "assignees": [], "group_assignees": [], "watchers": [], "checklists": [],
            "tags": [{"name": t.lower(), "tag_fg": "#000000", "tag_bg": "#7C4DFF",
                      "creator": 183} for t in body.get("tags") or []],
            "parent": None, "top_level_parent": None,
            "priority": None if priority is None else {
                "color": "#6fddff", "id": str(priority), "orderindex": str(priority),
                "priority": names[priority]},
            "due_date": None, "start_date": None, "points": None, "time_estimate": None,
            "time_spent": 0, "custom_fields": [], "dependencies": [], "linked_tasks": [],
            "team_id": "9012345", "url": f"https://app.clickup.com/t/{task_id}",
            "permission_level": "create",
            "list": {"id": list_id, "name": "Review", "access": True},
            "project": {"id": "456", "name": "Content", "hidden": False, "access": True},
            "folder": {"id": "456", "name": "Content", "hidden": False, "access": True},
            "space": {"id": "789"},
        }
        with self._lock:
            self.tasks.append({**task, "_request": body})
        return task
