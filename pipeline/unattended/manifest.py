"""A run's manifest: what ran, on what, and how it ended, for whoever looks the morning after.

Written atomically beside the output (`<output stem>.run-<run id>.json`) and kept in the
journal (`pipeline runs JOB` lists them, `--show ID` prints one). It holds the job file and
template hashes (so a changed prompt is visible), models, times, exit code and why the run
stopped, rows new / changed / reused / ok / failed / flagged, tokens, cost, the limits it held,
where the output went, and the rows that need a look (`attention`, the first ATTENTION_SHOWN
of them). Never a key or a token: the job's settings are not copied in, only their hashes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..files import atomic_write
from ..outcome import RunReport, format_usd
from ..records import Result, Row
from ..versions import DISTRIBUTION, installed

MANIFEST_VERSION = 1
#: Rows needing a look listed in a manifest (all are counted in `attention_total`).
ATTENTION_SHOWN = 100
#: Characters kept of each input value and output in `attention`.
ATTENTION_TEXT = 2000
OUTCOMES = {0: "ok", 1: "rows_failed", 3: "stopped"}


@dataclass
class RowKinds:
    """Rows by what this run did with them: new (an id no earlier run answered), changed (a
    known id with new content), retried (a request the journal held, sent again: an earlier
    failure, or --refresh) and reused (answered from the journal, no call). None of the
    first three when `seen_before` is None (batch mode's collecting runs)."""

    seen_before: Callable[[str], bool] | None
    resent: set[str] = field(default_factory=set)
    new: int = 0
    changed: int = 0
    retried: int = 0
    reused: int = 0
    attention: list[dict[str, Any]] = field(default_factory=list)
    attention_total: int = 0

    def add(self, row: Row, variants: list[list[tuple[Result | None, bool]]],
            merged: list[Result | None]) -> bool:
        """Count one row; True when this run paid for any of its answers."""
        paid = [result for chain in variants for result, cached in chain
                if result is not None and not cached]
        if not paid:
            self.reused += 1
        elif self.seen_before is not None:
            if not self.seen_before(row.id):
                self.new += 1
            elif all(result.fingerprint in self.resent for result in paid):
                self.retried += 1
            else:
                self.changed += 1
        for result in merged:
            if result is not None and result.status in ("failed", "flagged"):
                self.attention_total += 1
                if len(self.attention) < ATTENTION_SHOWN:
                    self.attention.append(_attention(row, result))
        return bool(paid)

    def counts(self) -> dict[str, int | None]:
        known = self.seen_before is not None
        return {"new": self.new if known else None, "changed": self.changed if known else None,
                "retried": self.retried if known else None, "reused": self.reused}


def _clip(value: Any) -> Any:
    if isinstance(value, str) and len(value) > ATTENTION_TEXT:
        return value[:ATTENTION_TEXT] + "…"
    return value


def _attention(row: Row, result: Result) -> dict[str, Any]:
    """A row needing a look, as notifications carry it: a redacted row's personal values
    stay placeholders here (webhooks and ClickUp are other people's servers)."""
    output = result.output
    if row.redaction is not None:
        output = row.redaction.hide(output)
    return {"row_id": row.id, "status": result.status, "fingerprint": result.fingerprint,
            "inputs": {k: _clip(v) for k, v in row.prompt_fields.items()},
            "output": _clip(output), "problems": result.problems}


def file_hash(path: Path | None) -> str | None:
    """The sha256 of a file's bytes (None when there is no such file)."""
    if path is None:
        return None
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def manifest_path(output: Path, run_id: int) -> Path:
    """Beside the output: `copy.csv` -> `copy.run-7.json`."""
    return output.with_name(f"{output.stem}.run-{run_id}.json")


def build(*, job_name: str, job_file: Path | None, templates: list[Path], models: list[str],
          run_id: int, started: datetime, finished: datetime, elapsed_s: float,
          exit_code: int, stopped: str | None, rows: dict[str, int | None],
          tokens: dict[str, int], cost_usd: Decimal, unpriced: int,
          budget: Decimal | None, limits: dict[str, Any], outputs: dict[str, Any],
          journal: Path, summary: str, attention: list[dict[str, Any]],
          attention_total: int, **extra: Any) -> dict[str, Any]:
    """A finished run's manifest (JSON-ready; money as decimal strings). `extra` adds a
    kind of run's own keys (a translation's `languages`, a row job's `only_new`)."""
    return {
        "manifest_version": MANIFEST_VERSION,
        "tool_version": installed(DISTRIBUTION),
        "job": {"name": job_name, "file": str(job_file) if job_file else None,
                "sha256": file_hash(job_file)},
        "templates": {str(path): file_hash(path) for path in templates},
        "models": models,
        "run_id": run_id,
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "duration_s": round(elapsed_s, 3),
        "exit_code": exit_code,
        "outcome": OUTCOMES.get(exit_code, str(exit_code)),
        "stopped": stopped,
        "rows": rows,
        **extra,
        "tokens": tokens,
        "cost_usd": str(cost_usd),
        "unpriced_rows": unpriced,
        "budget_usd": None if budget is None else str(budget),
        "limits": limits,
        "outputs": outputs,
        "journal": str(journal),
        "summary": summary,
        "attention": attention,
        "attention_total": attention_total,
    }


def for_rows(report: RunReport, kinds: RowKinds, **common: Any) -> dict[str, Any]:
    """A row job's manifest from its report and row kinds."""
    t = report.totals
    return build(
        elapsed_s=report.elapsed_s, exit_code=report.exit_code, stopped=report.stopped,
        rows={"total": report.rows, **kinds.counts(), "ok": t.ok, "failed": t.failed,
              "flagged": t.flagged, "not_done": t.skipped},
        only_new=report.only_new,
        **({"judge": {"rated": t.judged, "cost_usd": str(t.judge_cost_usd),
                      "tokens": {"prompt": t.judge_prompt_tokens,
                                 "completion": t.judge_completion_tokens}}}
           if t.judged or t.judge_cost_usd else {}),
        tokens={"prompt": t.prompt_tokens, "completion": t.completion_tokens,
                "cached": t.cached_tokens},
        cost_usd=t.cost_usd, unpriced=t.unpriced, budget=report.budget,
        summary=report.summary(), attention=kinds.attention,
        attention_total=kinds.attention_total, **common)


def write(path: Path, manifest: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def runs_table(manifests: list[dict[str, Any]]) -> list[str]:
    """`pipeline runs JOB`: one line per run, newest last."""
    if not manifests:
        return ["no runs with a manifest in this journal yet"]
    lines = [f"{'run':>5}  {'started':<25} {'rows':>6} {'new':>5} {'ok':>6} {'failed':>6} "
             f"{'flagged':>7} {'cost USD':>12}  exit"]
    for m in manifests:
        rows = m.get("rows", {})
        new = rows.get("new")
        lines.append(
            f"{m.get('run_id', '?'):>5}  {m.get('started', ''):<25} {rows.get('total', 0):>6} "
            f"{'-' if new is None else new:>5} {rows.get('ok', 0):>6} {rows.get('failed', 0):>6} "
            f"{rows.get('flagged', 0):>7} {format_usd(_decimal(m.get('cost_usd'))):>12}  "
            f"{m.get('exit_code', '?')}{'  ' + m['stopped'][:60] if m.get('stopped') else ''}")
    return lines


def _decimal(text: Any) -> Decimal:
    try:
        return Decimal(str(text))
    except InvalidOperation:
        return Decimal(0)

