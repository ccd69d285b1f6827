"""The Batch API's JSONL: a job's requests as input lines, and the answers read back from
output lines.

One line per request: `{"custom_id": <the request's fingerprint>, "method": "POST", "url":
"/v1/chat/completions", "body": <exactly the online request's body>}`, split at the API's
limits (50,000 requests, 200 MB a file), each file filled on disk (FileOfLines). OpenAI's and
Azure's Batch APIs take these files, and so do self-hosted engines (`vllm run-batch -i
in.jsonl -o out.jsonl`). Their output lines
(`{"custom_id", "response": {"status_code", "body"}, "error"}`) are read back, each checked,
into results matched by custom_id (jobs/batch.py journals them as paid replies not yet
judged, which the next run judges like any other reply).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from .. import defaults
from ..config import Connection
from ..errors import InputError
from ..records import Completion, Request, Result, Usage
from ..send.providers.openai import completion_from, request_body
from ..send.providers.structured_modes import RESPONSE_FORMAT_MODES
from ..tokens import TokenCounter

MAX_REQUESTS = defaults.BATCH_FILE_REQUESTS
MAX_BYTES = 200 * 1024 * 1024
URL = "/v1/chat/completions"


def job_name(job: Connection) -> str:
    """The job's name as files and batch metadata carry it (describe.journal.sqlite ->
    describe)."""
    return job.journal_path.name.split(".")[0]


def structured_mode(job: Connection) -> str:
    """How structured replies are asked in the files: the job's forced mode, else the
    API's own (json_schema)."""
    forced = job.response_format_mode
    return forced if forced and forced != "auto" else RESPONSE_FORMAT_MODES[0]


def request_line(request: Request, mode: str) -> bytes:
    """One request as its Batch API input line (newline included)."""
    line = {"custom_id": request.fingerprint, "method": "POST", "url": URL,
            "body": request_body(request, mode)}
    return json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


class FileOfLines:
    """One Batch API input file being filled on disk, within the API's limits: it says when
    a line would not fit (the file is then closed and the line starts the next)."""

    def __init__(self, handle: BinaryIO, *, max_requests: int = MAX_REQUESTS,
                 max_bytes: int = MAX_BYTES):
        self.handle = handle
        self.max_requests = max_requests
        self.max_bytes = max_bytes
        self.count = 0
        self.size = 0

    def fits(self, line: bytes) -> bool:
        """Whether `line` goes in this file (an empty file takes any line the API takes)."""
        if len(line) > self.max_bytes:
            raise InputError(f"one request is {len(line):,} bytes, over the Batch API's "
                             f"{self.max_bytes:,} per file: shorten its prompt")
        return not self.count or (self.count < self.max_requests
                                  and self.size + len(line) <= self.max_bytes)

    def add(self, line: bytes) -> None:
        self.handle.write(line)
        self.count += 1
        self.size += len(line)


def _checked(raw: str | bytes, number: int, where: str,
             id_field: str = "custom_id") -> dict[str, Any] | None:
    """One line of a Batch API output or error file, checked (None: a blank line).
    `id_field`: where the line names its request (Gemini's is `key`)."""
    if not raw.strip():
        return None
    try:
        line = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}, line {number}: not JSON ({exc.msg}); nothing was "
                         "imported") from None
    except UnicodeDecodeError:
        raise InputError(f"{where}, line {number}: not UTF-8 text; nothing was "
                         "imported") from None
    if not isinstance(line, dict) or not isinstance(line.get(id_field), str):
        raise InputError(f"{where}, line {number}: no {id_field}; is this a Batch API "
                         "output file? Nothing was imported")
    if "body" in line and "response" not in line:
        raise InputError(f"{where} holds requests, not answers (a file written by "
                         "--batch-files): import the file the Batch API or `vllm "
                         "run-batch` wrote from it. Nothing was imported")
    return line


def output_lines(handle: BinaryIO, where: str,
                 id_field: str = "custom_id") -> Iterator[tuple[int, dict[str, Any]]]:
    """The lines of a Batch API output or error file on disk, each checked, read one at a
    time from the start (a file of any size in the memory of a line). Raises on the first bad
    line: keep what they bring in one transaction (or check the whole file first), so that a
    bad file imports nothing."""
    handle.seek(0)
    for number, raw in enumerate(handle, start=1):
        line = _checked(raw, number, where, id_field)
        if line is not None:
            yield number, line


def result_from_line(request: Request, line: dict[str, Any],
            counters: dict[str, TokenCounter]) -> Result:
    response = line.get("response") or {}
    status = response.get("status_code")
    error = line.get("error")
    if status != 200 or error:
        detail = (error or {}).get("message") if isinstance(error, dict) else None
        body = response.get("body") if isinstance(response, dict) else None
        if detail is None and isinstance(body, dict):
            # OpenAI nests it ({"error": {"message"}}); vLLM does not ({"message"}).
            inner = body.get("error") if isinstance(body.get("error"), dict) else body
            detail = inner.get("message")
        return failed(request, f"HTTP {status}: {detail or 'no answer'}")
    try:
        completion = completion_from(response["body"], request.model)
    except Exception as exc:  # any shape of garbage in a 200 body
        return failed(request, f"unreadable answer ({type(exc).__name__})")
    return answered(request, completion, counters)


def failed(request: Request, why: str) -> Result:
    """A batch line that brought no answer for the request."""
    return Result(row_id=request.row_id, fingerprint=request.fingerprint, status="failed",
                  error=why)


def answered(request: Request, completion: Completion,
             counters: dict[str, TokenCounter]) -> Result:
    """A batch line's answer as the request's result, its cost left to the caller."""
    usage = completion.usage
    if usage.estimated:  # the engine sent no usage: our own counts, marked as such
        counter = counters.setdefault(request.model, TokenCounter(request.model))
        usage = Usage(request.prompt_tokens, counter.text(completion.text), estimated=True)
    # The engine that ran it knows its price (half the online one on OpenAI's Batch API);
    # nothing here does, so the cost is left unknown rather than guessed.
    return Result(row_id=request.row_id, fingerprint=request.fingerprint, status="ok",
                  output=completion.text, usage=usage, cost_usd=None, model=completion.model,
                  finish_reason=completion.finish_reason, attempts=1,
                  refusal=completion.refusal)
