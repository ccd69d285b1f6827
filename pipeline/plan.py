"""Pre-flight: read every row, render every prompt, and refuse the job before any spend.

Everything knowable without a network call is checked in one streaming pass: the input reads,
the template parses, every variable it uses exists, every row renders, ids are unique, output
columns do not collide. The run then streams the rows again (nothing is held in memory).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from . import defaults
from .config import Job
from .errors import InputError, PreflightError, TemplateError
from .records import Request, Row
from .render import PromptTemplate
from .sinks import result_columns
from .sources import IdCheck, Source, open_source
from .tokens import TokenCounter

FINGERPRINT_VERSION = 1


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


@dataclass
class Plan:
    """A job that passed pre-flight: its source, and how each row becomes a request."""

    job: Job
    source: Source
    template: PromptTemplate
    endpoint: str
    counter: TokenCounter | None
    rows: int = 0
    prompt_tokens: int = 0

    def __post_init__(self) -> None:
        self._params = self.job.params.as_request()

    def request_for(self, row: Row) -> Request:
        """Render one row into its request (raises TemplateError)."""
        messages = self.template.render(row.fields)
        params = self._params
        return Request(
            row_id=row.id, model=self.job.model, messages=messages, params=params,
            fingerprint=fingerprint(endpoint=self.endpoint, model=self.job.model,
                                    messages=messages, params=params),
            prompt_tokens=self.counter.messages(messages) if self.counter else 0,
            completion_cap=self.job.params.completion_cap,
        )

    def requests(self) -> Iterator[tuple[Row, Request]]:
        """Every row with its request, streamed from the input in order."""
        for row in self.source:
            yield row, self.request_for(row)


def build_plan(job: Job, *, endpoint: str, count_tokens: bool = True) -> Plan:
    """Check every row of the job, or raise listing the rows that cannot be sent."""
    source = open_source(job.input, id_column=job.id_column, limit=job.limit)
    template = PromptTemplate.from_file(job.template)

    missing = template.missing_columns(source.columns)
    if missing:
        raise InputError(
            f"template {job.template} uses {', '.join(repr(m) for m in missing)} but input "
            f"{job.input} has no such column. Columns: {', '.join(source.columns)}. "
            "Rename the column or the variable; a column whose name is not an identifier is "
            "reached as row[\"Column Name\"]."
        )
    clashes = sorted(set(source.columns) & set(result_columns(job.column_prefix)))
    if clashes:
        raise InputError(
            f"input {job.input} already has column(s) {', '.join(clashes)}, which the output "
            "adds too. Set column_prefix (e.g. --set column_prefix=llm_) to keep both."
        )

    plan = Plan(job=job, source=source, template=template, endpoint=endpoint,
                counter=TokenCounter(job.model) if count_tokens else None)
    ids = IdCheck(job.id_column)
    bad_ids, bad_rows = _Problems(), _Problems()
    for row in source:
        plan.rows += 1
        problem = ids.problem(row)
        if problem:
            bad_ids.add(problem)
            continue
        try:
            plan.prompt_tokens += plan.request_for(row).prompt_tokens
        except TemplateError as exc:
            bad_rows.add(f"row {row.number} (id {row.id}): {exc}")
    if plan.rows == 0:
        raise InputError(f"input {job.input} has no data rows: nothing to do")
    if bad_ids.count:
        raise PreflightError(
            f"input {job.input}: the id column '{job.id_column}' must hold a unique value on "
            "every row:", bad_ids.shown, bad_ids.count)
    if bad_rows.count:
        raise PreflightError(
            f"template {job.template} cannot be rendered for {bad_rows.count} of "
            f"{plan.rows} row(s) of {job.input}:", bad_rows.shown, bad_rows.count)
    return plan


class _Problems:
    """The first few problems in full and a count of all (memory does not grow with input)."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.count = 0

    def add(self, problem: str) -> None:
        self.count += 1
        if len(self.shown) < defaults.PREFLIGHT_SHOWN:
            self.shown.append(problem)
