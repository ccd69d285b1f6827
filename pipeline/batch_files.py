"""Batch API files: the requests a job still needs, written as Batch API JSONL; answers read
back from the Batch API's output format into the journal.

One line per request: `{"custom_id": <the request's fingerprint>, "method": "POST", "url":
"/v1/chat/completions", "body": <exactly the online request's body>}`, split at the API's
limits (50,000 requests, 200 MB a file). OpenAI's and Azure's Batch APIs take these files, and
so do self-hosted engines (`vllm run-batch -i in.jsonl -o out.jsonl`). Their output lines
(`{"custom_id", "response": {"status_code", "body"}, "error"}`) are imported into the journal,
matched by custom_id, as paid replies not yet judged (the journal's pending attempts, as a run
killed mid-correction leaves them). The next `pipeline run` of the job picks each one up,
judges it like any other reply (schema, gates; a correction asked online when one fails) and
writes the output without paying for it again.

Only the chain's first step goes into the files: later steps need the earlier answers (import,
then run again: the later steps go online, or into the next files).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .config import Connection, Job
from .errors import InputError, TemplateError
from .job_lock import job_lock
from .jobs import reusable
from .journal import Journal
from .plan import build_plan
from .providers import endpoint_for
from .providers.openai import completion_from, request_body
from .records import Request, Result, Usage
from .sinks import atomic_write
from .structured_modes import RESPONSE_FORMAT_MODES
from .tokens import TokenCounter

MAX_REQUESTS = 50_000
MAX_BYTES = 200 * 1024 * 1024
URL = "/v1/chat/completions"


@dataclass
class Written:
    """What `write_batch_files` wrote."""

    paths: list[Path] = field(default_factory=list)
    requests: int = 0
    #: Requests the journal already answers (not written).
    answered: int = 0
    #: Requests that repeat an earlier one of the input (written once).
    duplicates: int = 0
    #: Rows whose template cannot be rendered (they would fail online too).
    unrenderable: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"batch files: {len(self.paths)} file(s), {self.requests} request(s)"
                 f" ({self.answered} already answered in the journal, {self.duplicates} "
                 "repeated in the input)"]
        lines += [f"  {p}" for p in self.paths]
        if self.unrenderable:
            lines.append(f"  not written: {len(self.unrenderable)} row(s) whose template "
                         f"cannot be rendered: {'; '.join(self.unrenderable[:3])}")
        lines.append("run them (OpenAI/Azure Batch API, or `vllm run-batch -i FILE -o OUT`), "
                     "then: pipeline batches JOB --import OUT, and run the job again")
        return "\n".join(lines)


@dataclass
class Imported:
    """What `import_results` took into the journal."""

    answered: int = 0
    failed: list[str] = field(default_factory=list)
    unknown: int = 0
    already: int = 0

    def summary(self) -> str:
        lines = [f"imported: {self.answered} answer(s) into the journal; {self.already} "
                 f"already there; {len(self.failed)} failed line(s); {self.unknown} line(s) "
                 "for requests this job does not make (another job's file?)"]
        lines += [f"  failed: {reason}" for reason in self.failed[:10]]
        if self.answered:
            lines.append("run the job again to write its output from them (no request is "
                         "sent for an imported answer)")
        return "\n".join(lines)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def job_name(job: Connection) -> str:
    """The job's name as files and batch metadata carry it (describe.journal.sqlite ->
    describe)."""
    return job.journal_path.name.split(".")[0]


def structured_mode(job: Connection) -> str:
    """How structured replies are asked in the files: the job's forced mode, else the
    API's own (json_schema)."""
    forced = job.response_format_mode
    return forced if forced and forced != "auto" else RESPONSE_FORMAT_MODES[0]


def planned_requests(job: Job) -> tuple[list[Request], list[str]]:
    """The first-step request of every row and variant (duplicates included), and the rows
    that cannot be rendered."""
    plan = build_plan(job, endpoint=endpoint_for(job))
    requests: list[Request] = []
    unrenderable: list[str] = []
    for row in plan.source:
        for variant in plan.variants:
            try:
                requests.append(plan.first_request(row, variant))
            except TemplateError as exc:
                unrenderable.append(f"row {row.id}: {exc}")
    return requests, unrenderable


def request_lines(requests: list[Request], mode: str) -> Iterator[bytes]:
    for request in requests:
        line = {"custom_id": request.fingerprint, "method": "POST", "url": URL,
                "body": request_body(request, mode)}
        yield json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def split(lines: Iterator[bytes], *, max_requests: int = MAX_REQUESTS,
          max_bytes: int = MAX_BYTES) -> Iterator[list[bytes]]:
    """Lines in files within the API's limits."""
    chunk: list[bytes] = []
    size = 0
    for line in lines:
        if len(line) > max_bytes:
            raise InputError(f"one request is {len(line):,} bytes, over the Batch API's "
                             f"{max_bytes:,} per file: shorten its prompt")
        if chunk and (len(chunk) >= max_requests or size + len(line) > max_bytes):
            yield chunk
            chunk, size = [], 0
        chunk.append(line)
        size += len(line)
    if chunk:
        yield chunk


def write_batch_files(job: Job, directory: Path, *, max_requests: int = MAX_REQUESTS,
                      max_bytes: int = MAX_BYTES) -> Written:
    """Write the requests the journal does not answer as Batch API JSONL files in
    `directory` (`<job>-batch-001.jsonl`, …). Sends nothing; needs no key."""
    requests, unrenderable = planned_requests(job)
    written = Written(unrenderable=unrenderable)
    wanted: list[Request] = []
    seen: set[str] = set()
    journal = Journal(job.journal_path) if job.journal_path.exists() else None
    reuse = reusable(job)
    try:
        for request in requests:
            if request.fingerprint in seen:
                written.duplicates += 1
                continue
            seen.add(request.fingerprint)
            stored = journal.get(request.fingerprint) if journal else None
            if stored is not None and reuse(stored):
                written.answered += 1
                continue
            wanted.append(request)
    finally:
        if journal:
            journal.close()
    stem = job_name(job)
    lines = request_lines(wanted, structured_mode(job))
    for number, chunk in enumerate(split(lines, max_requests=max_requests,
                                         max_bytes=max_bytes), start=1):
        path = directory / f"{stem}-batch-{number:03d}.jsonl"
        atomic_write(path, lambda tmp, chunk=chunk: tmp.write_bytes(b"".join(chunk)))
        written.paths.append(path)
        written.requests += len(chunk)
    return written


def _read_lines(path: Path) -> list[tuple[int, dict[str, Any]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"batch output {path} cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(f"batch output {path} is not UTF-8 text; nothing was "
                         "imported") from None
    return read_output_lines(text, f"batch output {path}")


def read_output_lines(text: str, where: str) -> list[tuple[int, dict[str, Any]]]:
    """The lines of a Batch API output or error file, each checked (raises on the first bad
    one, so a bad file imports nothing)."""
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}, line {number}: not JSON ({exc.msg}); nothing was "
                             "imported") from None
        if not isinstance(line, dict) or not isinstance(line.get("custom_id"), str):
            raise InputError(f"{where}, line {number}: no custom_id; is this a Batch API "
                             "output file? Nothing was imported")
        if "body" in line and "response" not in line:
            raise InputError(f"{where} holds requests, not answers (a file written by "
                             "--batch-files): import the file the Batch API or `vllm "
                             "run-batch` wrote from it. Nothing was imported")
        out.append((number, line))
    return out


def import_results(job: Job, path: Path) -> Imported:
    """Journal the answers of a Batch API output file (OpenAI's, Azure's, `vllm run-batch`'s)
    for this job's requests. The whole file is checked before anything is journaled."""
    requests, _ = planned_requests(job)
    by_fingerprint = {r.fingerprint: r for r in requests}
    lines = _read_lines(path)  # every line checked first: a bad file imports nothing
    imported = Imported()
    counters: dict[str, TokenCounter] = {}
    with job_lock(job.journal_path), Journal(job.journal_path) as journal:
        run_id = journal.start_run()
        for number, line in lines:
            request = by_fingerprint.get(line["custom_id"])
            if request is None:
                imported.unknown += 1
                continue
            if (journal.get(request.fingerprint) is not None
                    or journal.pending_attempts(request.fingerprint)):
                imported.already += 1
                continue
            result = result_from_line(request, line, counters)
            if result.status != "ok":
                imported.failed.append(f"line {number} (row {request.row_id}): {result.error}")
                continue
            # A paid reply not judged yet: the next run judges it (and corrects it online
            # if a gate fails) exactly as it would a reply it had just received.
            journal.record_attempt(result, 0, run_id=run_id)
            imported.answered += 1
        journal.finish_run(run_id, stopped=None, spent=Decimal(0), rpm=None, tpm=None)
    return imported


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
        return Result(row_id=request.row_id, fingerprint=request.fingerprint, status="failed",
                      error=f"HTTP {status}: {detail or 'no answer'}")
    try:
        completion = completion_from(response["body"], request.model)
    except Exception as exc:  # any shape of garbage in a 200 body
        return Result(row_id=request.row_id, fingerprint=request.fingerprint, status="failed",
                      error=f"unreadable answer ({type(exc).__name__})")
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
