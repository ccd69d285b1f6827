"""Pre-flight: read every row, render every prompt, and refuse the job before any spend.

Everything that can be known without a network call is checked here: the input reads, the
template parses, every variable it uses exists, every row renders, output columns do not collide.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .config import Job
from .errors import InputError, PreflightError, TemplateError
from .records import Request
from .render import PromptTemplate
from .sinks import result_columns
from .sources import Table, read_table

FINGERPRINT_VERSION = 1


@dataclass(frozen=True)
class Plan:
    """A job ready to run: its rows and one request per row, in input order."""

    job: Job
    table: Table
    requests: list[Request]


def fingerprint(*, endpoint: str, model: str, messages: list[dict[str, str]],
                params: dict[str, Any]) -> str:
    """A hash of everything that changes the answer: where it is sent, model, messages, params."""
    parts = urlsplit(endpoint)
    where = parts.hostname or endpoint  # the host, not the full URL (no credentials, no paths)
    payload = json.dumps(
        {"v": FINGERPRINT_VERSION, "endpoint": where, "model": model, "messages": messages,
         "params": params},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def build_plan(job: Job, *, endpoint: str) -> Plan:
    """Render every row of the job into a request, or raise listing every row that cannot be."""
    table = read_table(job.input, id_column=job.id_column, limit=job.limit)
    template = PromptTemplate.from_file(job.template)

    missing = template.missing_columns(table.columns)
    if missing:
        raise InputError(
            f"template {job.template} uses {', '.join(repr(m) for m in missing)} but input "
            f"{job.input} has no such column. Columns: {', '.join(table.columns)}. "
            "Rename the column or the variable; a column whose name is not an identifier is "
            "reached as row[\"Column Name\"]."
        )
    clashes = sorted(set(table.columns) & set(result_columns(job.column_prefix)))
    if clashes:
        raise InputError(
            f"input {job.input} already has column(s) {', '.join(clashes)}, which the output "
            "adds too. Set column_prefix (e.g. --set column_prefix=llm_) to keep both."
        )

    params = job.params.as_request()
    requests: list[Request] = []
    problems: list[str] = []
    for row in table.rows:
        try:
            messages = template.render(row.fields)
        except TemplateError as exc:  # collected per row, for one full report
            problems.append(f"row {row.number} (id {row.id}): {exc}")
            continue
        requests.append(Request(
            row_id=row.id, model=job.model, messages=messages, params=params,
            fingerprint=fingerprint(endpoint=endpoint, model=job.model, messages=messages,
                                    params=params),
        ))
    if problems:
        raise PreflightError(
            f"template {job.template} cannot be rendered for {len(problems)} of "
            f"{len(table.rows)} row(s) of {job.input}:", problems)
    return Plan(job=job, table=table, requests=requests)
