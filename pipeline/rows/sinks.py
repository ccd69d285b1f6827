"""Outputs: every input column in input order, then the result columns, in one of five formats.

Files are written to a temporary name beside the target and renamed into place, so a reader
(or a crash) never sees half a file. CSV and XLSX cells that a spreadsheet would run as a
formula (`= + - @`, tab, CR) are prefixed with a quote, as reviewers open them in spreadsheets.
They also end each variant's columns with `answer_id`, `review` and `review_note`, which
`pipeline review` reads back (review/verdicts.py); `export --review` adds them to any format.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from ..files import atomic_write
from ..records import Result, Row, Usage
from .cells import spreadsheet_safe

if TYPE_CHECKING:
    from ..config import Job

RESULT_FIELDS = ("output", "prompt_tokens", "completion_tokens", "cached_tokens", "cost_usd",
                 "model", "finish_reason", "latency_ms", "attempts", "status", "error", "flags",
                 "cached", "tokens_estimated")
#: Per-step columns of a chain, after the step's own fields (or its text).
STEP_FIELDS = ("status", "prompt_tokens", "completion_tokens", "cost_usd")
#: A reviewer's columns (CSV and XLSX outputs, `export --review`): which answer the row shows,
#: the verdict (approve / redo / reject, or approved / rejected / redo once recorded) and a note.
REVIEW_FIELDS = ("answer_id", "review", "review_note")
#: Hex characters of the answer's fingerprint in `answer_id`.
ANSWER_ID_CHARS = 16
#: The formats that carry the review columns unasked (a reviewer opens them in a spreadsheet).
REVIEWED_FORMATS = ("csv", "xlsx")


def result_values(result: Result | None, *, cached: bool = False,
                  not_sent: str = "not sent") -> list[Any]:
    """The result columns' values for one row (None: the row was never answered)."""
    if result is None:
        return [None] * 9 + ["skipped", not_sent, None, False, False]
    return [result.output, result.usage.prompt_tokens, result.usage.completion_tokens,
            result.usage.cached_tokens, result.cost_usd, result.model, result.finish_reason,
            result.latency_ms, result.attempts, result.status, result.error,
            result.flags or None, cached, result.usage.estimated]


def judge_columns(criteria: list[str]) -> list[str]:
    """The judge's columns (none without a judge): a score per criterion, the mean, the
    judge's one-line reason and what judging the row cost."""
    if not criteria:
        return []
    return [*(f"judge_{c}" for c in criteria), "judge_score", "judge_reason", "judge_cost_usd"]


def judge_values(result: Result | None, criteria: list[str]) -> list[Any]:
    """The judge's columns' values for one row (empty when it was not judged)."""
    verdict = result.judge if result is not None else None
    if verdict is None:
        return [None] * (len(criteria) + 3)
    reason = verdict.reason if verdict.error is None else f"not judged: {verdict.error}"
    return [*(verdict.scores.get(c) for c in criteria), verdict.score, reason,
            verdict.cost_usd]


class StepColumns(Protocol):
    """What the output needs to know of a step (pipeline.steps.Step)."""

    name: str | None

    @property
    def field_names(self) -> list[str] | None: ...


#: One step's answer for one row: the result (None: never sent) and whether it was reused.
StepAnswer = tuple[Result | None, bool]
#: A row with, per variant, its steps' answers.
RowAnswers = tuple[Row, list[list[StepAnswer]]]


@dataclass(frozen=True)
class ReviewMark:
    """What one output row's review columns say, and whether the output leaves it out."""

    verdict: str = ""
    note: str = ""
    left_out: bool = False


NO_MARK = ReviewMark()
#: A row's review mark, per variant (its index) and the answers the output shows.
Marks = Callable[[Row, int, list[StepAnswer]], ReviewMark]


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
        judge=results[-1].judge if len(reached) == len(answers) else None,
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
    `@variant` after the name (wide). With `review`, each group ends with the review columns."""

    input_columns: list[str]
    steps: list[tuple[str | None, list[str] | None]]
    prefix: str = ""
    variant_labels: list[str] = field(default_factory=lambda: [""])
    wide: bool = False
    review: bool = False
    #: The judge's criteria (rows/judge.py): their columns follow the result columns.
    judged: list[str] = field(default_factory=list)

    @classmethod
    def for_job(cls, job: Job, columns: list[str], steps: list[StepColumns],
                labels: list[str], *, judged: list[str] | None = None) -> Layout:
        return cls(input_columns=list(columns),
                   steps=[(s.name, s.field_names) for s in steps], prefix=job.column_prefix,
                   variant_labels=labels, wide=job.variants_layout == "wide",
                   review=_reviewed_format(job), judged=list(judged or []))

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
        return (names + list(RESULT_FIELDS) + judge_columns(self.judged)
                + (list(REVIEW_FIELDS) if self.review else []))

    def column(self, name: str, label: str = "") -> str:
        """The output's name for one of a variant's columns (`status`, `review`...)."""
        if self.wide and len(self.variant_labels) > 1:
            return f"{self.prefix}{name}@{label}"
        return self.prefix + name

    def columns_named(self, name: str) -> list[str]:
        """That column once per variant in a wide layout, else once."""
        labels = self.variant_labels if self.wide else self.variant_labels[:1]
        return [self.column(name, label) for label in labels]

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

    def _values(self, answers: list[StepAnswer], not_sent: str,
                mark: ReviewMark = NO_MARK) -> list[Any]:
        if mark.left_out:  # a rejected variant beside kept ones (wide): its verdict alone
            blank: list[Any] = [None] * (len(self._group())
                                         - (len(REVIEW_FIELDS) if self.review else 0))
            return blank + ([answer_id(answers), mark.verdict, mark.note]
                            if self.review else [])
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
        values += result_values(merged, cached=cached, not_sent=not_sent)
        if self.judged:
            values += judge_values(merged, self.judged)
        if self.review:
            values += [answer_id(answers), mark.verdict, mark.note]
        return values

    def records(self, answered: Iterable[RowAnswers], *, stopped: str | None = None,
                marks: Marks | None = None) -> Iterator[dict[str, Any]]:
        """One dict per output row: input columns first, then what the layout adds. `marks`
        fill the review columns and leave rejected rows out (a wide row only when every
        variant is)."""
        not_sent = f"not sent: the run stopped ({stopped})" if stopped else "not sent"
        added = self.added_columns
        for row, variants in answered:
            base = {c: row.fields.get(c, "") for c in self.input_columns}
            row_marks = [marks(row, i, answers) if marks else NO_MARK
                         for i, answers in enumerate(variants)]
            if len(self.variant_labels) == 1 or self.wide:
                if all(m.left_out for m in row_marks):
                    continue
                values = [v for answers, mark in zip(variants, row_marks, strict=True)
                          for v in self._values(answers, not_sent, mark)]
                yield {**base, **dict(zip(added, values, strict=True))}
                continue
            for label, answers, mark in zip(self.variant_labels, variants, row_marks,
                                            strict=True):
                if not mark.left_out:
                    values = [label, *self._values(answers, not_sent, mark)]
                    yield {**base, **dict(zip(added, values, strict=True))}


def answer_id(answers: list[StepAnswer]) -> str | None:
    """The answer a row shows, named by its fingerprint's start: the last step answered."""
    reached = [result for result, _ in answers if result is not None and result.fingerprint]
    return reached[-1].fingerprint[:ANSWER_ID_CHARS] if reached else None


def _reviewed_format(job: Job) -> bool:
    """Whether the job's output carries the review columns unasked: CSV and XLSX do."""
    from ..errors import ConfigError

    try:
        return job.output_format in REVIEWED_FORMATS
    except ConfigError:  # an unknown format: refused before any output is written
        return False


def write_output(path: Path, fmt: str, *, layout: Layout, answered: Iterable[RowAnswers],
                 stopped: str | None = None, marks: Marks | None = None) -> None:
    """Write the output atomically in `fmt` (csv, jsonl, json, xlsx or parquet). Rows stream
    through for csv/jsonl/json/xlsx; parquet is built in memory. An XLSX sheet is laid out
    for a reviewer (workbook.py)."""
    stream = layout.records(answered, stopped=stopped, marks=marks)
    columns = layout.columns
    if fmt == "xlsx":
        from .workbook import write_xlsx

        atomic_write(path, lambda target: write_xlsx(
            target, columns, (_sheet_row(row, columns) for row in stream),
            status=layout.columns_named("status"),
            review=layout.columns_named("review") if layout.review else []))
        return
    writer = _WRITERS[fmt]
    atomic_write(path, lambda target: writer(target, columns, stream))


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


def _sheet_row(row: dict[str, Any], columns: list[str]) -> list[Any]:
    """A row's spreadsheet cells: formulas neutralised, lists and objects as JSON text."""
    cells = []
    for column in columns:
        value = _json_value(row[column])
        cells.append(spreadsheet_safe(_text(value) if isinstance(value, list | dict)
                                      else value))
    return cells


def _write_parquet(path: Path, columns: list[str], rows: Iterator[dict[str, Any]]) -> None:
    import pandas as pd
    import pyarrow as pa

    frame = pd.DataFrame([{c: _json_value(row[c]) for c in columns} for row in rows],
                         columns=columns)
    try:
        frame.to_parquet(path, index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        # A column mixing types (numbers and text in one JSON field) is stored as text.
        mixed = [c for c in frame.columns if frame[c].dtype == object]
        frame[mixed] = frame[mixed].map(lambda v: None if v is None else _text(v))
        frame.to_parquet(path, index=False)


_WRITERS: dict[str, Callable[[Path, list[str], Iterator[dict[str, Any]]], None]] = {
    "csv": _write_csv, "jsonl": _write_jsonl, "json": _write_json, "parquet": _write_parquet,
}
