"""`pipeline report`: one self-contained HTML file a reviewer opens from disk or an e-mail.

Everything comes from the journal and the run's manifest: no call, no key. The page carries its
data as JSON inside a `<script type="application/json">` block (every `<`, `>` and `&` escaped,
so no text from a model or an input can close it) and its own small script, which builds the
table with `textContent` only (a reply holding `<script>` shows as text) and pages it, so
20,000 rows stay responsive. A Content-Security-Policy forbids every fetch: the page cannot
reach the network even by mistake. Charts are inline SVG drawn here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from ..config import Job
from ..errors import ConfigError
from ..journal import Journal
from ..outcome import format_usd
from ..records import Result
from ..rows.chain import answers_from_journal
from ..rows.plan import Plan, build_plan
from ..rows.redact import restored
from ..rows.reviews import Reviews
from ..rows.sinks import merge_steps
from . import charts
from .agreement import JudgeAgreement, judge_agreement

#: Characters of a text cell kept in the page (the output file holds it all).
CELL_CHARS = 20_000


@dataclass
class _Totals:
    """What the answers shown cost and weighed, by step, model and variant."""

    by_step: dict[str, Decimal] = field(default_factory=dict)
    by_model: dict[str, Decimal] = field(default_factory=dict)
    by_variant: dict[str, Decimal] = field(default_factory=dict)
    flags: dict[str, int] = field(default_factory=dict)
    lengths: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    status: dict[str, int] = field(default_factory=dict)
    reused: int = 0

    def add_cost(self, table: dict[str, Decimal], key: str, cost: Decimal | None) -> None:
        table[key] = table.get(key, Decimal(0)) + (cost or Decimal(0))


def reason_of(problem: str) -> str:
    """A flag or error as a reason to filter and count by: numbers and quoted text out."""
    text = re.sub(r"\d+(\.\d+)?", "N", " ".join(problem.split()))
    text = re.sub(r'"[^"]*"', '"…"', text)
    if len(text) <= 100:
        return text
    cut = text.rfind(": ", 0, 100)  # a long detail (a refusal's words): keep what it is
    return text[:cut] if cut > 0 else text[:100] + "…"


def default_report_path(manifest: dict[str, Any] | None, job: Job) -> Path:
    """Beside the run's output: `copy.csv` -> `copy.report.html`."""
    output = Path((manifest or {}).get("outputs", {}).get("output") or job.output_path)
    return output.with_name(f"{output.stem}.report.html")


def render_report(job: Job, *, run_id: int | None = None) -> tuple[str, dict[str, Any]]:
    """The report's HTML for the run (default: the latest with a manifest), and that
    manifest. Raises ConfigError when there is no such run."""
    if not job.journal_path.exists():
        raise ConfigError(f"no journal at {job.journal_path}: run the job first")
    from ..send.providers import endpoint_for

    plan = build_plan(job, endpoint=endpoint_for(job), count_tokens=False)
    with Journal(job.journal_path) as journal:
        manifest = _manifest(journal, run_id, job)
        columns, rows, totals = _table(job, plan, journal, int(manifest["run_id"]))
        agreement = judge_agreement(plan, journal)  # the verdicts standing now
    page = _render(job, manifest, columns, rows, totals, agreement)
    return page, manifest


def write_report(job: Job, *, run_id: int | None = None, path: Path | None = None) -> Path:
    """Write the report atomically; returns where."""
    from ..files import atomic_write

    page, manifest = render_report(job, run_id=run_id)
    target = path or default_report_path(manifest, job)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, lambda tmp: tmp.write_text(page, encoding="utf-8"))
    return target


def _manifest(journal: Journal, run_id: int | None, job: Job) -> dict[str, Any]:
    if run_id is not None:
        found = journal.manifest(run_id)
        if found is None:
            raise ConfigError(f"no run {run_id} with a manifest in {job.journal_path}: "
                              "`pipeline runs` lists them")
        return found
    manifests = journal.manifests()
    if not manifests:
        raise ConfigError(f"no finished run in {job.journal_path} yet: run the job first")
    return manifests[-1]


def _table(job: Job, plan: Plan, journal: Journal, run_id: int
           ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], _Totals]:
    inputs = list(job.report_columns or [c for c in plan.source.columns
                                         if c != job.id_column])
    missing = [c for c in inputs if c not in plan.source.columns]
    if missing:
        raise ConfigError(f"report_columns: no such input column(s): {', '.join(missing)} "
                          f"(the input has {', '.join(plan.source.columns)})")
    labels = [v.label or v.model for v in plan.variants]
    steps = plan.steps
    many = len(labels) > 1
    columns: list[dict[str, Any]] = [{"label": c, "kind": "input"} for c in inputs]
    for v, label in enumerate(labels):
        at = f" @ {label}" if many else ""
        for step in steps:
            head = f"{step.name}." if step.name and len(steps) > 1 else ""
            if step.field_names:
                columns += [{"label": f"{head}{f}{at}", "kind": "text", "variant": v}
                            for f in step.field_names]
            else:
                columns.append({"label": f"{step.name or 'output'}{at}", "kind": "text",
                                "variant": v})
        columns += [{"label": f"review{at}", "kind": "text", "variant": v},
                    {"label": f"status{at}", "kind": "status", "variant": v},
                    {"label": f"flags{at}", "kind": "flags", "variant": v},
                    {"label": f"cost USD{at}", "kind": "cost", "variant": v},
                    {"label": f"tokens in/out{at}", "kind": "text", "variant": v},
                    {"label": f"attempts{at}", "kind": "num", "variant": v}]
    totals = _Totals()
    rows: list[dict[str, Any]] = []
    names = [s.name for s in steps]
    reviews = Reviews.of(job, plan, journal)
    for row, variants in answers_from_journal(plan, journal, run_id, reviews=reviews):
        if job.restore:
            variants = restored(row, variants)
        marks = [reviews.mark(row, i, answers) for i, answers in enumerate(variants)]
        if all(mark.left_out for mark in marks):
            continue  # rejected by a reviewer: out of the report as out of the output
        cells: list[Any] = [_clip(row.fields.get(c, "")) for c in inputs]
        statuses, reasons, cost, length = [], [], Decimal(0), 0
        for label, answers, mark in zip(labels, variants, marks, strict=True):
            for step, (result, reused) in zip(steps, answers, strict=True):
                cells += _step_cells(step.field_names, result)
                if mark.left_out or result is None or result.model is None:
                    continue  # rejected, or no answer came back
                totals.add_cost(totals.by_step, step.name or "output", result.cost_usd)
                totals.add_cost(totals.by_model, result.model, result.cost_usd)
                if result.latency_ms is not None and not reused:
                    totals.latencies.append(result.latency_ms / 1000)
            if mark.left_out:  # this variant rejected, another kept (a wide layout)
                cells += [mark.verdict, "rejected", [], None, "", None]
                statuses.append("rejected")
                continue
            merged, cached = merge_steps(answers, names)
            status = _status(merged)
            problems = merged.problems if merged is not None else []
            text_len = sum(len(r.output or "") for r, _ in answers if r is not None)
            statuses.append(status)
            reasons += [reason_of(p) for p in problems]
            cost += (merged.cost_usd or Decimal(0)) if merged is not None else Decimal(0)
            length += text_len
            totals.add_cost(totals.by_variant, label,
                            merged.cost_usd if merged is not None else None)
            totals.status[status] = totals.status.get(status, 0) + 1
            if cached and merged is not None:
                totals.reused += 1
            if merged is not None and merged.status in ("ok", "flagged"):
                totals.lengths.append(text_len)
            for p in problems:
                key = reason_of(p)
                totals.flags[key] = totals.flags.get(key, 0) + 1
            usage = merged.usage if merged is not None else None
            cells += [" ".join(x for x in (mark.verdict, mark.note and f"({mark.note})") if x),
                      status + (" (reused)" if cached and merged is not None else ""),
                      problems,
                      float(merged.cost_usd) if merged is not None and merged.cost_usd
                      is not None else None,
                      f"{usage.prompt_tokens} / {usage.completion_tokens}" if usage else "",
                      merged.attempts if merged is not None else None]
        rows.append({"id": row.id, "cells": cells, "st": statuses,
                     "fr": sorted(set(reasons)), "c": float(cost), "len": length})
    return columns, rows, totals


def _step_cells(fields: list[str] | None, result: Result | None) -> list[Any]:
    if fields:
        got = (result.fields or {}) if result is not None else {}
        return [_clip(_as_text(got.get(f))) for f in fields]
    return [_clip(result.output if result is not None else None)]


def _as_text(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _clip(value: Any) -> Any:
    if isinstance(value, str) and len(value) > CELL_CHARS:
        return value[:CELL_CHARS] + " … (cut here; the output file holds it all)"
    return value


def _status(result: Result | None) -> str:
    if result is None or result.status == "skipped":
        return "not done"
    return result.status


def _limits(job: Job) -> list[tuple[str, float]]:
    """The gates' length limits on the whole reply or a text field, for the length chart."""
    marks: list[tuple[str, float]] = []
    for spec in job.step_specs:
        for target, check in spec.checks.items():
            if check.max_chars:
                marks.append((f"max_chars {check.max_chars} ({target})", check.max_chars))
            if check.min_chars:
                marks.append((f"min_chars {check.min_chars} ({target})", check.min_chars))
    return marks


def _json_for_script(data: Any) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' survives to close the block."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _asset(name: str) -> str:
    return resources.files("pipeline").joinpath(f"templates/{name}").read_text(encoding="utf-8")


def _render(job: Job, manifest: dict[str, Any], columns: list[dict[str, Any]],
            rows: list[dict[str, Any]], totals: _Totals, agreement: JudgeAgreement | None) -> str:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(_asset("report.html.j2"))
    usd = {k: format_usd(v) for k, v in sorted(totals.by_step.items())}
    svgs = [
        charts.bars("Cost by step (USD)", [(k, float(v)) for k, v in totals.by_step.items()],
                    decimals=6),
        charts.bars("Cost by model (USD)", [(k, float(v)) for k, v in totals.by_model.items()],
                    decimals=6),
        charts.histogram("Output length (characters)", totals.lengths, markers=_limits(job)),
        charts.histogram("Latency (seconds, answers bought in this run)", totals.latencies,
                         unit=" s", decimals=2),
        charts.bars("Flags and failures by reason", list(totals.flags.items())),
    ]
    if len(totals.by_variant) > 1:
        svgs.insert(2, charts.bars("Cost by variant (USD)",
                                   [(k, float(v)) for k, v in totals.by_variant.items()],
                                   decimals=6))
    estimate = manifest.get("estimate")
    return template.render(
        m=manifest, job=job.stem, css=jinja2.utils.markupsafe.Markup(_asset("report.css")),
        script=jinja2.utils.markupsafe.Markup(_asset("report.js")),
        data=jinja2.utils.markupsafe.Markup(_json_for_script(
            {"columns": columns, "rows": rows, "reasons": sorted(totals.flags),
             "id_label": job.id_column or "row"})),
        charts=[jinja2.utils.markupsafe.Markup(s) for s in svgs],
        cost_by_step=usd, status=totals.status, reused=totals.reused, estimate=estimate,
        agreement=agreement,
        rows_total=len(rows), format_usd=lambda v: format_usd(Decimal(str(v))))
