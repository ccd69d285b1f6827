"""OpenAI's Files and Batch APIs on the loopback server, shaped as the documented ones.

POST /v1/files (multipart: purpose, file), GET /v1/files/{id}/content, DELETE /v1/files/{id};
POST /v1/batches (input_file_id, endpoint, completion_window, metadata: at most 16 string
pairs), GET /v1/batches/{id}, GET /v1/batches (newest first, paginated by `limit` and `after`
with `has_more`, `first_id`, `last_id`), POST /v1/batches/{id}/cancel. A batch moves
validating -> in_progress -> finalizing -> completed, one state per retrieve
(`polls_per_state`), then answers every line with the server's completion function into an
output file (`{"id", "custom_id", "response": {"status_code", "request_id", "body"},
"error"}`) and an error file for the custom_ids in `fail` (or `failed` / `expired` /
`cancelled` on request, with the lines answered so far).
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import re
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

from fake_openai import Recorded, Reply


class FakeBatchAPI:
    def __init__(self, completion: Callable[[Recorded], dict[str, Any]]):
        self.completion = completion
        self.files: dict[str, dict[str, Any]] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self.polls_per_state = 1
        #: custom_id -> how many more times it is answered with an error line (a 400 in the
        #: error file).
        self.fail: dict[str, int] = {}
        #: Answer the next batch creations with a 500 (the file stays uploaded).
        self.fail_create = 0
        #: Create the next batches, then close the connection without replying (a reply
        #: lost to a timeout or a reset: the batch exists, the client cannot know it).
        self.lose_create_reply = 0
        #: The organisation's enqueued-token limit (prompt tokens of the batches not yet
        #: ended): a batch that would pass it fails validation with token_limit_exceeded.
        self.queue_limit: int | None = None
        #: "expired" / "failed": the next batch to finish ends so, having answered only
        #: `partial` of its lines.
        self.end_as: str | None = None
        self.partial = 0
        #: Every call made, as (method, path).
        self.calls: list[tuple[str, str]] = []
        #: The Authorization header of every call (which key reached this server).
        self.keys: list[str | None] = []
        self.deleted: list[str] = []
        #: Called with each batch the moment it is created, before the reply goes out (a
        #: test kills the client there: the batch exists, the client never hears of it).
        self.on_create: Callable[[dict[str, Any]], None] | None = None

    # -- dispatch ------------------------------------------------------------------------------
    def handle(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> Reply:
        path, _, query = path.partition("?")
        self.calls.append((method, path))
        self.keys.append(headers.get("authorization"))
        if path == "/v1/files" and method == "POST":
            return self._upload(headers, raw)
        if match := re.fullmatch(r"/v1/files/([\w-]+)/content", path):
            file = self.files.get(match.group(1))
            return Reply(body=file["data"]) if file else self._missing("file")
        if (match := re.fullmatch(r"/v1/files/([\w-]+)", path)) and method == "DELETE":
            if self.files.pop(match.group(1), None) is None:
                return self._missing("file")
            self.deleted.append(match.group(1))
            return Reply(body={"id": match.group(1), "object": "file", "deleted": True})
        if path == "/v1/batches" and method == "POST":
            return self._create(json.loads(raw))
        if path == "/v1/batches" and method == "GET":
            return self._list(urllib.parse.parse_qs(query))
        if match := re.fullmatch(r"/v1/batches/([\w-]+)/cancel", path):
            batch = self.batches.get(match.group(1))
            if batch is None:
                return self._missing("batch")
            if batch["status"] in ("validating", "in_progress", "finalizing"):
                batch["status"] = "cancelling"
                batch["cancelling_at"] = int(time.time())
            return Reply(body=self._view(batch))
        if match := re.fullmatch(r"/v1/batches/([\w-]+)", path):
            batch = self.batches.get(match.group(1))
            if batch is None:
                return self._missing("batch")
            self._advance(batch)
            return Reply(body=self._view(batch))
        return Reply.error(404, f"no route {method} {path}")

    @staticmethod
    def _missing(what: str) -> Reply:
        return Reply.error(404, f"No such {what}", code="not_found")

    # -- files -------------------------------------------------------------------------------
    def _upload(self, headers: dict[str, str], raw: bytes) -> Reply:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {headers.get('content-type', '')}\r\n\r\n".encode() + raw)
        fields: dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            fields[name] = (part.get_filename(), part.get_payload(decode=True))
        if "file" not in fields or fields.get("purpose", (None, b""))[1] != b"batch":
            return Reply.error(400, "file and purpose=batch are required",
                               code="invalid_request")
        file_id = f"file-{next(self._ids)}"
        filename, data = fields["file"]
        self.files[file_id] = {"data": data, "purpose": "batch", "filename": filename}
        return Reply(body={"id": file_id, "object": "file", "bytes": len(data),
                           "created_at": int(time.time()), "filename": filename,
                           "purpose": "batch", "status": "processed"})

    def _store(self, lines: list[dict[str, Any]]) -> str | None:
        if not lines:
            return None
        file_id = f"file-{next(self._ids)}"
        data = "".join(json.dumps(line) + "\n" for line in lines).encode()
        self.files[file_id] = {"data": data, "purpose": "batch_output", "filename": "out"}
        return file_id

    # -- batches -----------------------------------------------------------------------------
    def _create(self, body: dict[str, Any]) -> Reply:
        if self.fail_create:
            self.fail_create -= 1
            return Reply.error(500, "The server had an error while processing your request")
        if body.get("input_file_id") not in self.files:
            return Reply.error(400, "input_file_id not found", code="invalid_request")
        if problem := _metadata_problem(body.get("metadata")):
            return Reply.error(400, problem, code="invalid_request")
        now = int(time.time())
        batch = {"id": f"batch_{next(self._ids)}", "object": "batch",
                 "endpoint": body["endpoint"], "errors": None,
                 "input_file_id": body["input_file_id"],
                 "completion_window": body.get("completion_window", "24h"),
                 "status": "validating", "output_file_id": None, "error_file_id": None,
                 "created_at": now, "in_progress_at": None, "expires_at": now + 86400,
                 "finalizing_at": None, "completed_at": None, "failed_at": None,
                 "expired_at": None, "cancelling_at": None, "cancelled_at": None,
                 "request_counts": {"total": 0, "completed": 0, "failed": 0},
                 "metadata": body.get("metadata"), "_polls": 0}
        self.batches[batch["id"]] = batch
        if self.on_create is not None:
            self.on_create(self._view(batch))
        if self.lose_create_reply:
            self.lose_create_reply -= 1
            return Reply(drop=True)
        return Reply(body=self._view(batch))

    def _list(self, query: dict[str, list[str]]) -> Reply:
        """A page of batches, newest first: `limit` (1-100, default 20) after the batch
        `after` (the previous page's last id)."""
        try:
            limit = int(query.get("limit", ["20"])[0])
        except ValueError:
            limit = 0
        if not 1 <= limit <= 100:
            return Reply.error(400, "limit must be between 1 and 100", code="invalid_request")
        newest_first = list(reversed(self.batches.values()))
        start = 0
        if "after" in query:
            ids = [b["id"] for b in newest_first]
            if query["after"][0] not in ids:
                return Reply.error(400, "after: no such batch", code="invalid_request")
            start = ids.index(query["after"][0]) + 1
        page = [self._view(b) for b in newest_first[start:start + limit]]
        return Reply(body={"object": "list", "data": page,
                           "first_id": page[0]["id"] if page else None,
                           "last_id": page[-1]["id"] if page else None,
                           "has_more": start + limit < len(newest_first)})

    @staticmethod
    def _view(batch: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in batch.items() if not k.startswith("_")}

    def _advance(self, batch: dict[str, Any]) -> None:
        batch["_polls"] += 1
        if batch["_polls"] < self.polls_per_state:
            return
        batch["_polls"] = 0
        now = int(time.time())
        lines = [json.loads(x) for x in
                 self.files[batch["input_file_id"]]["data"].decode().splitlines() if x]
        status = batch["status"]
        if status == "validating" and self._over_queue(batch, lines):
            batch.update(status="failed", failed_at=now, errors={"object": "list", "data": [{
                "code": "token_limit_exceeded", "line": None, "param": None,
                "message": "Enqueued token limit reached for gpt-4o-mini in organization "
                           f"org-test. Limit: {self.queue_limit:,} enqueued tokens. Please try "
                           "again once some in_progress batches have been completed."}]})
            return
        if status == "validating":
            batch.update(status="in_progress", in_progress_at=now)
            batch["request_counts"]["total"] = len(lines)
        elif status == "in_progress":
            batch.update(status="finalizing", finalizing_at=now)
        elif status in ("finalizing", "cancelling"):
            ending = "cancelled" if status == "cancelling" else (self.end_as or "completed")
            answered = lines if ending == "completed" else lines[:self.partial]
            self.end_as = None if ending != "completed" else self.end_as
            self._finish(batch, answered, ending, now)

    def _tokens(self, batch: dict[str, Any]) -> int:
        from fake_openai import count_prompt

        lines = self.files[batch["input_file_id"]]["data"].decode().splitlines()
        return sum(count_prompt(json.loads(x)["body"]["messages"], "gpt-4o-mini")
                   for x in lines if x)

    def _over_queue(self, batch: dict[str, Any], lines: list[dict[str, Any]]) -> bool:
        if self.queue_limit is None:
            return False
        queued = sum(self._tokens(b) for b in self.batches.values()
                     if b is not batch and b["status"] in ("in_progress", "finalizing"))
        return queued + self._tokens(batch) > self.queue_limit

    def _finish(self, batch: dict[str, Any], lines: list[dict[str, Any]], ending: str,
                now: int) -> None:
        out, errors = [], []
        for number, line in enumerate(lines, start=1):
            custom_id = line["custom_id"]
            if self.fail.get(custom_id, 0) > 0:
                self.fail[custom_id] -= 1
                errors.append({"id": f"batch_req_{number}", "custom_id": custom_id,
                               "response": {"status_code": 400, "request_id": f"req_b{number}",
                                            "body": {"error": {
                                                "message": "This request failed in the batch",
                                                "type": "invalid_request_error"}}},
                               "error": None})
                continue
            request = Recorded(path=line["url"], headers={}, body=line["body"])
            out.append({"id": f"batch_req_{number}", "custom_id": custom_id,
                        "response": {"status_code": 200, "request_id": f"req_b{number}",
                                     "body": self.completion(request)}, "error": None})
        counts = batch["request_counts"]
        counts.update(completed=len(out), failed=len(errors))
        batch.update(status=ending, output_file_id=self._store(out),
                     error_file_id=self._store(errors), **{f"{ending}_at": now})


def _metadata_problem(metadata: Any) -> str | None:
    """Why the API would refuse this metadata (at most 16 pairs, keys of up to 64
    characters, string values of up to 512), or None."""
    if metadata is None:
        return None
    if not isinstance(metadata, dict) or len(metadata) > 16:
        return "metadata: an object of at most 16 key-value pairs"
    for key, value in metadata.items():
        if len(key) > 64 or not isinstance(value, str) or len(value) > 512:
            return (f"metadata.{key}: keys of at most 64 characters, string values of at "
                    "most 512")
    return None
