"""Outputs: every input column in input order, then the result columns, in one of five formats.

Files are written to a temporary name beside the target and renamed into place, so a reader
(or a crash) never sees half a file. CSV and XLSX cells that a spreadsheet would run as a
formula (`= + - @`, tab, CR) are prefixed with a quote, as reviewers open them in spreadsheets.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from .records import Result, Row, Usage

if TYPE_CHECKING:
    from .config import Job

RESULT_FIELDS = ("output", "prompt_tokens", "completion_tokens", "cached_tokens", "cost_usd",
                 "model", "finish_reason", "latency_ms", "attempts", "status", "error", "flags",
                 "cached", "tokens_estimated")
#: Per-step columns of a chain, after the step's own fields (or its text).
STEP_FIELDS = ("status", "prompt_tokens", "completion_tokens", "cost_usd")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def result_values(result: Result | None, *, cached: bool = False,
                  not_sent: str = "not sent") -> list[Any]:
    """The result columns' values for one row (None: the row was never answered)."""
    if result is None:
        return [None] * 9 + ["skipped", not_sent, None, False, False]
    return [result.output, result.usage.prompt_tokens, result.usage.completion_tokens,
            result.usage.cached_tokens, result.cost_usd, result.model, result.finish_reason,
            result.latency_ms, result.attempts, result.status, result.error,
            result.flags or None, cached, result.usage.estimated]


class StepColumns(Protocol):
    """What the output needs to know of a step (pipeline.steps.Step)."""

    name: str | None

    @property
    def field_names(self) -> list[str] | None: ...


#: One step's answer for one row: the result (None: never sent) and whether it was reused.
StepAnswer = tuple[Result | None, bool]
#: A row with, per variant, its steps' answers.
RowAnswers = tuple[Row, list[list[StepAnswer]]]


def merge_steps(answers: list[StepAnswer], names: list[str | None],
                not_sent: str = "not sent") -> tuple[Result | None, bool]:
    """A chain's steps as one result for the row: tokens, cost and attempts summed, the worst
    status, the last answer's text. (One step: that step's result itself.)"""
    if len(answers) == 1:
        return answers[0]
    reached = [(name, r) for name, (r, _) in zip(names, answers, strict=True) if r is not None]
    if not reached:
        return None, False
    results = [r for _, r in reached]
    first_bad = next(((n, r) for n, r in reached if r.status != "ok"), None)
    if first_bad is not None:
        status, error = first_bad[1].status, first_bad[1].error
        if error:
            error = f"step '{first_bad[0]}': {error}"
    elif len(reached) < len(answers):
        missing = names[len(reached)]
        status, error = "skipped", f"step '{missing}' {not_sent}"
    else:
        status, error = "ok", None
    costs = [_cost(r) for r in results]
    models = list(dict.fromkeys(r.model for r in results if r.model))
    merged = Result(
        row_id=results[0].row_id, fingerprint=results[-1].fingerprint,
        status=status,  # type: ignore[arg-type]
        output=results[-1].output,
        usage=sum((r.usage for r in results), Usage()),
        cost_usd=None if any(c is None for c in costs) else sum(costs, Decimal(0)),
        model=", ".join(models) or None, finish_reason=results[-1].finish_reason,
        latency_ms=sum(r.latency_ms or 0 for r in results),
        attempts=sum(r.attempts for r in results), error=error,
        flags=[f"{name}: {flag}" for name, r in reached for flag in r.flags],
    )
    cached = all(c for r, c in answers if r is not None)
    return merged, cached


def _cost(result: Result) -> Decimal | None:
    """A step's cost: nothing when no answer came (no usage), unknown when it has no price."""
    if result.cost_usd is None and not (result.usage.prompt_tokens
                                        or result.usage.completion_tokens):
        return Decimal(0)
    return result.cost_usd


@dataclass
class Layout:
    """Which columns an output has, and how a row's answers fill them.

    One step: its fields, then the result columns. A chain: each step's fields (or text) and
    its status, tokens and cost under `step.`, then the row's totals. Several variants: one
    output row each with a `variant` column (long), or every group once per variant with
    `@variant` after the name (wide)."""

    input_columns: list[str]
    steps: list[tuple[str | None, list[str] | None]]
    prefix: str = ""
    variant_labels: list[str] = field(default_factory=lambda: [""])
    wide: bool = False

    @classmethod
    def for_job(cls, job: Job, columns: list[str], steps: list[StepColumns],
                labels: list[str]) -> Layout:
        return cls(input_columns=list(columns),
                   steps=[(s.name, s.field_names) for s in steps], prefix=job.column_prefix,
                   variant_labels=labels, wide=job.variants_layout == "wide")

    @property
    def chain(self) -> bool:
        return len(self.steps) > 1

    def _group(self) -> list[str]:
        """The columns one variant fills (unprefixed, unsuffixed)."""
        names: list[str] = []
        for step, fields in self.steps:
            head = f"{step}." if self.chain else ""
            names += [head + f for f in fields] if fields else ([f"{step}.output"]
                                                                if self.chain else [])
            if self.chain:
                names += [head + f for f in STEP_FIELDS]
        return names + list(RESULT_FIELDS)

    @property
    def added_columns(self) -> list[str]:
        group = [self.prefix + c for c in self._group()]
        if len(self.variant_labels) == 1:
            return group
        if self.wide:
            return [f"{c}@{label}" for label in self.variant_labels for c in group]
        return [self.prefix + "variant", *group]

    @property
    def columns(self) -> list[str]:
        return [*self.input_columns, *self.added_columns]

    def _values(self, answers: list[StepAnswer], not_sent: str) -> list[Any]:
        values: list[Any] = []
        names = [name for name, _ in self.steps]
        for (_step, fields), (result, _cached) in zip(self.steps, answers, strict=True):
            if fields:
                got = (result.fields or {}) if result is not None else {}
                values += [got.get(f) for f in fields]
            elif self.chain:
                values.append(result.output if result is not None else None)
            if self.chain:
                if result is None:
                    values += ["skipped", None, None, None]
                else:
                    values += [result.status, result.usage.prompt_tokens,
                               result.usage.completion_tokens, result.cost_usd]
        merged, cached = merge_steps(answers, names, not_sent)
        return values + result_values(merged, cached=cached, not_sent=not_sent)

    def records(self, answered: Iterable[RowAnswers], *, stopped: str | None = None
                ) -> Iterator[dict[str, Any]]:
        """One dict per output row: input columns first, then what the layout adds."""
        not_sent = f"not sent: the run stopped ({stopped})" if stopped else "not sent"
        added = self.added_columns
        for row, variants in answered:
            base = {c: row.fields.get(c, "") for c in self.input_columns}
            if len(self.variant_labels) == 1 or self.wide:
                values = [v for answers in variants for v in self._values(answers, not_sent)]
                yield {**base, **dict(zip(added, values, strict=True))}
                continue
            for label, answers in zip(self.variant_labels, variants, strict=True):
                values = [label, *self._values(answers, not_sent)]
                yield {**base, **dict(zip(added, values, strict=True))}


def write_output(path: Path, fmt: str, *, layout: Layout, answered: Iterable[RowAnswers],
                 stopped: str | None = None) -> None:
    """Write the output atomically in `fmt` (csv, jsonl, json, xlsx or parquet). Rows stream
    through for csv/jsonl/json; xlsx and parquet are built in memory."""
    stream = layout.records(answered, stopped=stopped)
    writer = _WRITERS[fmt]
    atomic_write(path, lambda target: writer(target, layout.columns, stream))


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def spreadsheet_safe(value: Any) -> Any:
    """Neutralise text a spreadsheet would evaluate as a formula; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _write_csv(path: Path, columns: list[str], rows: Iterator[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([spreadsheet_safe(c) for c in columns])
        for row in rows:
            writer.writerow([spreadsheet_safe(_text(row[c])) for c in columns])


def _dump_json(fh: IO[str], obj: Any) -> None:
    json.dump(obj, fh, ensure_ascii=False, default=str)


def _write_jsonl(path: Path, columns: list[str], rows: Iterator[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            _dump_json(fh, {c: _json_value(row[c]) for c in columns})
            fh.write("\n")


def _write_json(path: Path, columns: list[str], rows: Iterator[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("[")
        for i, row in enumerate(rows):
            fh.write(",\n" if i else "\n")
            _dump_json(fh, {c: _json_value(row[c]) for c in columns})
        fh.write("\n]\n")


def _frame(columns: list[str], rows: Iterator[dict[str, Any]], *, safe: bool) -> Any:
    import pandas as pd

    def convert(value: Any) -> Any:
        if safe:  # a spreadsheet cell holds text: lists and objects as JSON
            return spreadsheet_safe(_text(value) if isinstance(value, list | dict) else value)
        return value

    data = [{c: convert(_json_value(row[c])) for c in columns} for row in rows]
    return pd.DataFrame(data, columns=columns)


def _write_xlsx(path: Path, columns: list[str], rows: Iterator[dict[str, Any]]) -> None:
    frame = _frame(columns, rows, safe=True)
    frame.to_excel(path, index=False, engine="openpyxl")


def _write_parquet(path: Path, columns: list[str], rows: Iterator[dict[str, Any]]) -> None:
    import pyarrow as pa

    frame = _frame(columns, rows, safe=False)
    try:
        frame.to_parquet(path, index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        # A column mixing types (numbers and text in one JSON field) is stored as text.
        mixed = [c for c in frame.columns if frame[c].dtype == object]
        frame[mixed] = frame[mixed].map(lambda v: None if v is None else _text(v))
        frame.to_parquet(path, index=False)


_WRITERS: dict[str, Callable[[Path, list[str], Iterator[dict[str, Any]]], None]] = {
    "csv": _write_csv, "jsonl": _write_jsonl, "json": _write_json, "xlsx": _write_xlsx,
    "parquet": _write_parquet,
}
