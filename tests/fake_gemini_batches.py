"""Gemini's Files API and Batch API on the loopback Gemini server, shaped as the real REST API
(read from the official google-genai SDK's converters and Google's API reference).

Files: `POST /upload/v1beta/files` (resumable protocol: a `start` with `X-Goog-Upload-Header-
Content-Length` and a `{"file": {mimeType, displayName}}` body, answered with an
`x-goog-upload-url`; then the bytes posted there with `X-Goog-Upload-Command: upload, finalize`
and `X-Goog-Upload-Offset`, answered `x-goog-upload-status: final` and `{"file": File}`),
`GET /v1beta/files/{id}`, `DELETE /v1beta/files/{id}`, `GET [/download]/v1beta/files/{id}:download
?alt=media` (the SDK asks without /download; only generated files, such as a batch's results,
can be downloaded).
Batches: `POST /v1beta/models/{model}:batchGenerateContent` (`{"batch": {"displayName",
"inputConfig": {"fileName"}}}`), `GET /v1beta/batches/{id}`, `GET /v1beta/batches`
(`pageSize`, `pageToken`; `{"operations", "nextPageToken"}`), `POST /v1beta/batches/{id}:cancel`,
`DELETE /v1beta/batches/{id}`; a batch is an operation-style `{"name": "batches/...",
"metadata": {"@type", "name", "model", "displayName", "inputConfig", "createTime", "updateTime",
"endTime", "batchStats", "state": "BATCH_STATE_...", "output": {"responsesFile"}}}`. A batch is
BATCH_STATE_PENDING when created, BATCH_STATE_RUNNING once looked at, and ends
(BATCH_STATE_SUCCEEDED) after `polls_per_state` retrieves; its results file holds one line per
request, in any order: `{"key", "response": GenerateContentResponse}` or `{"key", "error":
google.rpc.Status}` (a request the real API would refuse is an error line). The key
(`x-goog-api-key`) is checked on every call but the upload of a file's bytes (its upload URL
is its credential, as at Google).
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

from fake_gemini import GeminiRecorded, error
from fake_openai import Reply

#: Batch states as the REST API names them (the SDK shows them as JOB_STATE_...).
PENDING, RUNNING, SUCCEEDED = "BATCH_STATE_PENDING", "BATCH_STATE_RUNNING", "BATCH_STATE_SUCCEEDED"
EXPIRED, CANCELLED = "BATCH_STATE_EXPIRED", "BATCH_STATE_CANCELLED"
ENDED = (SUCCEEDED, "BATCH_STATE_FAILED", EXPIRED, CANCELLED)
_GENERATE = re.compile(r"^/v1beta/models/(?P<model>[^/:]+):batchGenerateContent$")
_BATCH = re.compile(r"^/v1beta/batches/(?P<id>[a-z0-9-]+)(?P<action>:cancel)?$")
_FILE = re.compile(r"^/v1beta/files/(?P<id>[a-z0-9-]+)$")
#: The media download: the REST reference's path, and the one the SDK asks (the same method).
_DOWNLOAD = re.compile(r"^(/download)?/v1beta/files/(?P<id>[a-z0-9-]+):download$")


def _time(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")


def _name(n: int) -> str:
    """A 12-character lowercase id, as the Gemini API's file and batch names have."""
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(alphabet[(n * 7919 + i * 104729) % 36] for i in range(10)) + f"{n % 100:02d}"


class FakeGeminiBatches:
    def __init__(self, server: Any):
        #: The FakeGemini serving it: its key checks, its `_invalid` and its answers.
        self.server = server
        self.files: dict[str, dict[str, Any]] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self._uploads: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self.polls_per_state = 1
        #: custom id (the line's key) -> how many more times it is answered with an error line.
        self.fail: dict[str, int] = {}
        #: Answer the next creations with a 500 (nothing created).
        self.fail_create = 0
        #: Create the next batches, then close the connection without replying.
        self.lose_create_reply = 0
        #: "JOB_STATE_EXPIRED" / "JOB_STATE_CANCELLED": the next batch to end so, having
        #: answered only `partial` of its requests (the rest have no line).
        self.end_as: str | None = None
        self.partial = 0
        #: Every call made, as (method, path without the query).
        self.calls: list[tuple[str, str]] = []
        #: The key of every call that carried one.
        self.keys: list[str | None] = []
        #: Called with each batch the moment it is created, before the reply goes out.
        self.on_create: Callable[[dict[str, Any]], None] | None = None
        #: Every line of every results file written: (key, "response" or "error").
        self.answered: list[tuple[str, str]] = []

    # -- dispatch ------------------------------------------------------------------------------
    def handle(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> Reply:
        path, _, query_text = path.partition("?")
        query = urllib.parse.parse_qs(query_text)
        self.calls.append((method, path))
        if path == "/upload/v1beta/files" and "upload_id" in query:
            return self._upload_bytes(query["upload_id"][0], headers, raw)
        key = headers.get("x-goog-api-key") or None
        self.keys.append(key)
        if not key:
            return error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers "
                         "(callers without established identity). Please use API Key or other "
                         "form of API consumer identity to call this API.")
        if self.server.keys is not None and key not in self.server.keys:
            return error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.")
        if path == "/upload/v1beta/files" and method == "POST":
            return self._upload_start(headers, raw)
        if (match := _GENERATE.match(path)) and method == "POST":
            return self._create(match.group("model"), raw)
        if path == "/v1beta/batches" and method == "GET":
            return self._list(query)
        if match := _BATCH.match(path):
            return self._batch(method, match.group("id"), match.group("action"))
        if match := _FILE.match(path):
            return self._file(method, match.group("id"))
        if (match := _DOWNLOAD.match(path)) and method == "GET":
            return self._download(match.group("id"), query)
        return error(404, "NOT_FOUND", f"Not found: {method} {path}")

    # -- files ---------------------------------------------------------------------------------
    def _upload_start(self, headers: dict[str, str], raw: bytes) -> Reply:
        if headers.get("x-goog-upload-protocol") != "resumable" or \
                headers.get("x-goog-upload-command") != "start":
            return error(400, "INVALID_ARGUMENT", "Upload has already been terminated.")
        try:
            size = int(headers["x-goog-upload-header-content-length"])
            meta = json.loads(raw or b"{}").get("file") or {}
        except (KeyError, ValueError):
            return error(400, "INVALID_ARGUMENT", "Invalid upload request.")
        upload_id = f"up{next(self._ids)}"
        self._uploads[upload_id] = {"size": size, "meta": meta, "data": b""}
        url = (f"{self.server.base_url}/upload/v1beta/files?upload_id={upload_id}"
               "&upload_protocol=resumable")
        return Reply(body={}, headers={"x-goog-upload-url": url,
                                       "x-goog-upload-status": "active",
                                       "x-goog-upload-chunk-granularity": "8388608"})

    def _upload_bytes(self, upload_id: str, headers: dict[str, str], raw: bytes) -> Reply:
        upload = self._uploads.get(upload_id)
        if upload is None:
            return error(404, "NOT_FOUND", "No such upload.")
        command = headers.get("x-goog-upload-command", "")
        if int(headers.get("x-goog-upload-offset", "-1")) != len(upload["data"]):
            return error(400, "INVALID_ARGUMENT", "Invalid upload offset.")
        upload["data"] += raw
        if "finalize" not in command:
            return Reply(body={}, headers={"x-goog-upload-status": "active"})
        del self._uploads[upload_id]
        if len(upload["data"]) != upload["size"]:
            return error(400, "INVALID_ARGUMENT", "Upload size does not match.")
        meta = upload["meta"]
        now = time.time()
        name = f"files/{_name(next(self._ids))}"
        mime = meta.get("mimeType") or "application/octet-stream"
        record = {"name": name, "displayName": meta.get("displayName", ""),
                  "mimeType": "application/jsonl" if mime == "jsonl" else mime,
                  "sizeBytes": str(len(upload["data"])), "createTime": _time(now),
                  "updateTime": _time(now), "expirationTime": _time(now + 48 * 3600),
                  "sha256Hash": "", "uri": f"{self.server.base_url}/v1beta/{name}",
                  "state": "ACTIVE", "source": "UPLOADED", "_data": upload["data"]}
        self.files[name] = record
        return Reply(body={"file": self._view(record)}, headers={"x-goog-upload-status": "final"})

    def _file(self, method: str, file_id: str) -> Reply:
        record = self.files.get(f"files/{file_id}")
        if record is None:
            return error(403, "PERMISSION_DENIED", f"You do not have permission to access the "
                         f"File {file_id} or it may not exist.") if method == "GET" else \
                error(404, "NOT_FOUND", f"File files/{file_id} not found.")
        if method == "GET":
            return Reply(body=self._view(record))
        if method == "DELETE":
            del self.files[record["name"]]
            return Reply(body={})
        return error(405, "INVALID_ARGUMENT", f"{method} files/{file_id}")

    def _download(self, file_id: str, query: dict[str, list[str]]) -> Reply:
        record = self.files.get(f"files/{file_id}")
        if record is None:
            return error(404, "NOT_FOUND", f"File files/{file_id} not found.")
        if record["source"] != "GENERATED":
            return error(400, "INVALID_ARGUMENT", "Only generated files can be downloaded.")
        if query.get("alt") != ["media"]:
            return Reply(body=self._view(record))
        return Reply(body=record["_data"], headers={"content-type": "application/octet-stream"})

    # -- batches -----------------------------------------------------------------------------
    def _create(self, model: str, raw: bytes) -> Reply:
        if self.fail_create:
            self.fail_create -= 1
            return error(500, "INTERNAL", "An internal error has occurred.")
        try:
            body = json.loads(raw)
        except json.JSONDecodeError:
            return error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
        batch = body.get("batch") if isinstance(body, dict) else None
        if set(body) != {"batch"} or not isinstance(batch, dict):
            return error(400, "INVALID_ARGUMENT", "* batch: batch is required")
        for name in batch:
            if name not in ("displayName", "inputConfig", "priority"):
                return error(400, "INVALID_ARGUMENT", f'Invalid JSON payload received. Unknown '
                             f'name "{name}" at \'batch\': Cannot find field.')
        source = batch.get("inputConfig") or {}
        file_name = source.get("fileName")
        if file_name is None:
            return error(400, "INVALID_ARGUMENT", "* batch.input_config: source is required "
                         "(this fake takes a file)")
        record = self.files.get(file_name)
        if record is None:
            return error(404, "NOT_FOUND", f"File {file_name} not found.")
        requests = []
        for number, line in enumerate(record["_data"].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                return error(400, "INVALID_ARGUMENT", f"Invalid JSON on line {number} of "
                             f"{file_name}.")
            if not isinstance(item, dict) or set(item) - {"key", "request", "metadata"} or \
                    not isinstance(item.get("request"), dict):
                return error(400, "INVALID_ARGUMENT", f"Line {number} of {file_name} is not "
                             "a {key, request} object.")
            requests.append(item)
        if not requests:
            return error(400, "INVALID_ARGUMENT", "The input file holds no requests.")
        now = time.time()
        name = f"batches/{_name(next(self._ids))}"
        view = {"@type": "type.googleapis.com/google.ai.generativelanguage.v1main."
                         "GenerateContentBatch",
                "model": f"models/{model}", "displayName": batch.get("displayName", ""),
                "inputConfig": {"fileName": file_name}, "createTime": _time(now),
                "updateTime": _time(now), "state": PENDING, "name": name,
                "batchStats": {"requestCount": str(len(requests)),
                               "pendingRequestCount": str(len(requests))}}
        self.batches[name] = {"name": name, "metadata": view, "_requests": requests,
                              "_polls": 0, "_created": now, "_model": model,
                              "_cancel": False}
        if self.on_create is not None:
            self.on_create(self._batch_view(self.batches[name]))
        if self.lose_create_reply:
            self.lose_create_reply -= 1
            return Reply(drop=True)
        return Reply(body=self._batch_view(self.batches[name]))

    def _list(self, query: dict[str, list[str]]) -> Reply:
        try:
            size = int(query.get("pageSize", ["50"])[0])
        except ValueError:
            size = 0
        if not 1 <= size <= 1000:
            return error(400, "INVALID_ARGUMENT", "page_size must be between 1 and 1000.")
        newest_first = sorted(self.batches.values(), key=lambda b: (b["_created"], b["name"]),
                              reverse=True)
        start = int(query.get("pageToken", ["0"])[0] or 0)
        page = newest_first[start:start + size]
        body: dict[str, Any] = {"operations": [self._batch_view(b) for b in page]}
        if start + size < len(newest_first):
            body["nextPageToken"] = str(start + size)
        return Reply(body=body)

    def _batch(self, method: str, batch_id: str, action: str | None) -> Reply:
        batch = self.batches.get(f"batches/{batch_id}")
        if batch is None:
            return error(404, "NOT_FOUND", f"Batch batches/{batch_id} not found.")
        state = batch["metadata"]["state"]
        if action == ":cancel" and method == "POST":
            if state not in ENDED:
                self._end(batch, CANCELLED)
            return Reply(body={})
        if action is None and method == "GET":
            self._advance(batch)
            return Reply(body=self._batch_view(batch))
        if action is None and method == "DELETE":
            del self.batches[batch["name"]]
            return Reply(body={})
        return error(405, "INVALID_ARGUMENT", f"{method} batches/{batch_id}{action or ''}")

    def _batch_view(self, batch: dict[str, Any]) -> dict[str, Any]:
        return {"name": batch["name"], "metadata": dict(batch["metadata"])}

    @staticmethod
    def _view(record: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in record.items() if not k.startswith("_")}

    def _advance(self, batch: dict[str, Any]) -> None:
        meta = batch["metadata"]
        if meta["state"] in ENDED:
            return
        meta["state"] = RUNNING
        batch["_polls"] += 1
        if batch["_polls"] < self.polls_per_state:
            return
        ending = {"JOB_STATE_EXPIRED": EXPIRED, "JOB_STATE_CANCELLED": CANCELLED}.get(
            self.end_as or "", SUCCEEDED)
        self.end_as = None
        self._end(batch, ending)

    def _end(self, batch: dict[str, Any], state: str) -> None:
        """End the batch: every request answered, or (expired, cancelled) the first
        `partial`, the rest without a line; a results file holds the lines."""
        requests = batch["_requests"]
        done = len(requests) if state == SUCCEEDED else self.partial
        lines = [self._answer(batch["_model"], r) for r in requests[:done]]
        good = sum("response" in line for line in lines)
        for line in lines:
            self.answered.append((line["key"], "response" if "response" in line else "error"))
        now = time.time()
        meta = batch["metadata"]
        meta.update(state=state, updateTime=_time(now), endTime=_time(now), batchStats={
            "requestCount": str(len(requests)), "successfulRequestCount": str(good),
            "failedRequestCount": str(len(lines) - good),
            "pendingRequestCount": "0"})
        if lines:
            name = f"files/batch-{batch['name'].split('/')[1]}"
            self.files[name] = {
                "name": name, "displayName": name, "mimeType": "application/jsonl",
                "sizeBytes": "0", "createTime": _time(now), "updateTime": _time(now),
                "state": "ACTIVE", "source": "GENERATED",
                "downloadUri": f"{self.server.base_url}/download/v1beta/{name}:download"
                               "?alt=media",
                "_data": "".join(json.dumps(x) + "\n" for x in reversed(lines)).encode()}
            meta["output"] = {"responsesFile": name}

    def _answer(self, model: str, item: dict[str, Any]) -> dict[str, Any]:
        """One request's line: an error when scripted to fail or when the request is what
        generateContent refuses, else the server's answer."""
        key, request = item.get("key", ""), item["request"]
        if self.fail.get(key, 0) > 0:
            self.fail[key] -= 1
            return {"key": key, "error": {"code": 13, "message": "Internal error encountered.",
                                          "status": "INTERNAL"}}
        refused = self.server._invalid(request)
        if refused is not None:
            err = refused.body["error"]
            return {"key": key, "error": {"code": 3, "message": err["message"],
                                          "status": err["status"]}}
        recorded = GeminiRecorded(path=f"/v1beta/models/{model}:generateContent", headers={},
                                  body=request)
        return {"key": key, "response": self.server.completion(recorded)}
