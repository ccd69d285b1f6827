"""`pipeline review`: a reviewer's file read back into the journal, as verdicts for the next run.

The file is an output of the job with its review columns (every CSV and XLSX output has them;
`pipeline export JOB --review` adds them to JSONL) in which a reviewer wrote approve, redo or
reject, maybe with a note. Each verdict is matched to its row by the job's row id (without an
id_column: by answer_id, in file order among rows with the same answer) and variant, and to the
exact answer the reviewer saw by its `answer_id`. A file of another job, a verdict on an answer
the job no longer shows, or a word that is not a verdict refuses the whole file, naming the
rows, before anything is recorded. Nothing is sent: the plan says what the next `pipeline run`
does and what its redo requests may cost (reviews.py says what each verdict does in a run).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..config import Job
from ..errors import ConfigError, ReviewFileError
from ..journal import Journal, Review
from ..outcome import format_cost
from ..pricing import Pricer, make_pricer
from ..records import Row, Usage
from ..rows.chain import answers_from_journal
from ..rows.estimate import expected_completion
from ..rows.plan import Plan, build_plan, step_context
from ..rows.reviews import Reviews, redo_request
from ..rows.sinks import Layout, StepAnswer, answer_id
from ..rows.sources import Source, open_source
from ..rows.steps import Variant
from ..send.providers import endpoint_for

#: What a review cell may say (any case): a verdict, or one already recorded (no change).
WORDS = {"approve": "approve", "redo": "redo", "reject": "reject",
         "approved": "approve", "rejected": "reject"}
_FORMULA_GUARD = ("'=", "'+", "'-", "'@", "'\t", "'\r")


@dataclass
class ReviewPlan:
    """What a reviewed file changes, and what the redo requests will cost."""

    path: Path
    approve: int = 0
    redo: int = 0
    reject: int = 0
    unchanged: int = 0
    requests: int = 0
    cost_expected: Decimal | None = Decimal(0)
    cost_max: Decimal | None = Decimal(0)
    #: Whether every redo request has a completion cap (else its worst case is unbounded).
    capped: bool = True
    warnings: list[str] = field(default_factory=list)
    #: The verdicts recorded (new ones, and changed ones).
    recorded: list[Review] = field(default_factory=list)

    def lines(self) -> list[str]:
        most = format_cost(self.cost_max) if self.capped else "unbounded (no max_tokens)"
        return [
            f"approve: {self.approve} rows frozen",
            f"redo: {self.redo} rows ({self.requests} requests, estimated "
            f"{format_cost(self.cost_expected)}, at most {most})",
            f"reject: {self.reject} rows left out of the output",
            f"unchanged: {self.unchanged}",
            "nothing was sent: `pipeline run` with this job sends the redo requests and "
            "writes the output" if self.requests else
            "nothing was sent: `pipeline run` with this job writes the output",
        ]


@dataclass
class _Entry:
    """One verdict written in the file: where, on which row and variant, and what it says."""

    where: str
    row_id: str | None
    label: str
    answer_id: str
    #: The n-th time this answer_id appears in the file (for jobs without an id column).
    occurrence: int
    word: str
    note: str


@dataclass
class _Shown:
    """A row's variant as the job's output shows it now."""

    row: Row
    variant: Variant
    answers: list[StepAnswer]
    answer_id: str | None


def apply_review(job: Job, path: Path | str) -> ReviewPlan:
    """Check a reviewed file against the job and its journal, record its verdicts, and say what
    the next run will do. Raises ReviewFileError (exit 2), recording nothing, for a file of
    another job, an answer the job no longer shows, or a cell that is not a verdict."""
    path = Path(path)
    if not job.journal_path.exists():
        raise ConfigError(f"no journal at {job.journal_path}: run the job first, then review "
                          "its output")
    source = open_source(path)
    endpoint = endpoint_for(job)
    plan = build_plan(job, endpoint=endpoint, count_tokens=True)
    entries, ids, groups = _read(path, source, job, plan)
    with Journal(job.journal_path) as journal:
        shown = _Matcher(job, plan, journal, entries, ids)
        if ids and not shown.current_ids and not any(journal.answers_starting(a) for a in ids):
            raise ReviewFileError(
                f"{path.name} is not a file of job '{job.stem}': none of its {len(ids)} "
                f"answer_id(s) is an answer in the job's journal ({job.journal_path}). Review "
                "a file this job wrote: its output, or `pipeline export JOB --review`.", [])
        review = _Reviewer(job, plan, journal, path, make_pricer(
            job, endpoint, free=job.provider_info.free))
        for entry in entries:
            review.take(entry, shown)
        if review.problems:
            raise ReviewFileError(
                f"{path.name}: {len(review.problems)} verdict(s) cannot be taken for job "
                f"'{job.stem}':", review.problems)
        journal.record_reviews(review.plan.recorded)
    review.plan.unchanged = groups - len(review.plan.recorded)
    return review.plan


def _read(path: Path, source: Source, job: Job, plan: Plan
          ) -> tuple[list[_Entry], set[str], int]:
    """The verdicts written in the file, every answer_id it shows, and how many rows (variants,
    in a wide file) it holds. Refuses a file without the review columns."""
    layout: Layout = plan.layout
    labels = [v.label for v in plan.variants]
    long = len(labels) > 1 and not layout.wide
    needed = ([job.id_column] if job.id_column else []) + (
        [layout.column("variant")] if long else [])
    for label in labels[:1] if long else labels:
        needed += [layout.column("answer_id", label), layout.column("review", label)]
    missing = [c for c in dict.fromkeys(needed) if c not in source.columns]
    if missing:
        raise ReviewFileError(
            f"{path.name} has no column {', '.join(repr(c) for c in missing)}, which job "
            f"'{job.stem}' needs to match verdicts to its rows. Review its output as written "
            "(CSV and XLSX outputs have the review columns; `pipeline export JOB --review` "
            "adds them to any format).", [])
    entries: list[_Entry] = []
    ids: set[str] = set()
    seen: Counter[tuple[str, str]] = Counter()
    groups = 0
    for row in source:
        where = _where(path, row)
        row_id = _cell(row.fields.get(job.id_column)) if job.id_column else None
        for label in ([_cell(row.fields.get(layout.column("variant")))] if long else labels):
            groups += 1
            shown = _cell(row.fields.get(layout.column("answer_id", label))).lower()
            if shown:
                ids.add(shown)
            occurrence = seen[(shown, label)]
            seen[(shown, label)] += 1
            word = _cell(row.fields.get(layout.column("review", label)))
            if word:
                note = _cell(row.fields.get(layout.column("review_note", label)))
                at = f"{where} (id {row_id})" if row_id is not None else where
                entries.append(_Entry(at + (f", variant {label}" if label else ""), row_id,
                                      label, shown, occurrence, word, note))
    return entries, ids, groups


class _Matcher:
    """The job's rows as its output shows them now, kept only for the file's verdicts."""

    def __init__(self, job: Job, plan: Plan, journal: Journal, entries: list[_Entry],
                 ids: set[str]):
        self.by_id: dict[tuple[str, str], _Shown] = {}
        self.by_answer: dict[tuple[str, str], list[_Shown]] = {}
        #: The file's answer_ids that are answers the job shows now.
        self.current_ids: set[str] = set()
        self.with_ids = job.id_column is not None
        wanted_ids = {(e.row_id, e.label) for e in entries}
        wanted_answers = {(e.answer_id, e.label) for e in entries}
        reviews = Reviews.of(job, plan, journal)
        for row, variants in answers_from_journal(plan, journal, 0, reviews=reviews):
            for variant, answers in zip(plan.variants, variants, strict=True):
                shown = _Shown(row, variant, answers, answer_id(answers))
                if shown.answer_id in ids:
                    self.current_ids.add(shown.answer_id)
                by_answer = (shown.answer_id or "", variant.label)
                if self.with_ids and (row.id, variant.label) in wanted_ids:
                    self.by_id[(row.id, variant.label)] = shown
                elif not self.with_ids and by_answer in wanted_answers:
                    self.by_answer.setdefault(by_answer, []).append(shown)

    def find(self, entry: _Entry) -> _Shown | None:
        if self.with_ids:
            return self.by_id.get((entry.row_id or "", entry.label))
        found = self.by_answer.get((entry.answer_id, entry.label), [])
        return found[entry.occurrence] if entry.occurrence < len(found) else None


class _Reviewer:
    """Takes the file's verdicts one by one: checks each, prices the redos, builds the plan."""

    def __init__(self, job: Job, plan: Plan, journal: Journal, path: Path, pricer: Pricer):
        self.job = job
        self.run_plan = plan
        self.journal = journal
        self.path = path
        self.pricer = pricer
        self.plan = ReviewPlan(path=path)
        self.problems: list[str] = []
        self.taken: dict[tuple[str, str], str] = {}
        self.now = time.time()

    def take(self, entry: _Entry, matcher: _Matcher) -> None:
        verdict = WORDS.get(entry.word.lower())
        labels = [v.label for v in self.run_plan.variants]
        if verdict is None:
            self.problems.append(f"{entry.where}: review '{entry.word}' is not a verdict: "
                                 "write approve, redo or reject, or leave it empty")
            return
        if entry.label not in labels:
            self.problems.append(f"{entry.where}: variant '{entry.label}' is not one of the "
                                 f"job's ({', '.join(labels)})")
            return
        shown = matcher.find(entry)
        if shown is None or shown.answer_id != (entry.answer_id or None):
            self.problems.append(self._unmatched(entry, shown))
            return
        key = (shown.row.id, entry.label)
        if key in self.taken:
            self.problems.append(f"{entry.where}: the row is reviewed twice (also at "
                                 f"{self.taken[key]})")
            return
        self.taken[key] = entry.where
        if verdict != "reject" and not _complete(shown.answers):
            self.problems.append(
                f"{entry.where}: nothing to {verdict}: the row has no complete answer "
                f"({_status(shown.answers)}). Reject it, or run the job with --retry-failed "
                "and review the new answer.")
            return
        existing = self.journal.review(*key)
        if existing is not None and verdict == existing.verdict and entry.word.lower() in (
                "approved", "rejected"):
            return  # a verdict already recorded, as the output wrote it: unchanged
        self._record(entry, verdict, shown, existing)

    def _record(self, entry: _Entry, verdict: str, shown: _Shown,
                existing: Review | None) -> None:
        answers = tuple(r.fingerprint for r, _ in shown.answers if r is not None)
        based_on = None
        if verdict == "redo":
            based_on = self._redo(entry, shown)
        review = Review(row_id=shown.row.id, variant=entry.label, verdict=verdict,
                        note=entry.note, answers=answers, based_on=based_on,
                        reviewed_at=self.now, file=self.path.name)
        if existing is not None and (existing.verdict, existing.note, existing.answers,
                                     existing.based_on) == (verdict, entry.note, answers,
                                                            based_on):
            return  # the same verdict again
        self.plan.recorded.append(review)
        setattr(self.plan, verdict, getattr(self.plan, verdict) + 1)

    def _redo(self, entry: _Entry, shown: _Shown) -> str:
        """Price the redo request (unless the journal already answers it) and return the
        fingerprint of the request it builds on."""
        steps = self.run_plan.chain(shown.variant)
        earlier: dict[str, Any] = {}
        for step, (result, _) in zip(steps[:-1], shown.answers, strict=False):
            if step.name and result is not None:
                earlier[step.name] = step.output_value(result)
        last = steps[-1]
        request = last.request(shown.row.id, step_context(shown.row, earlier),
                               endpoint=self.run_plan.endpoint,
                               candidate=shown.variant.candidate)
        reply = shown.answers[-1][0]
        assert reply is not None  # _complete
        redo = redo_request(last, request, reply.output or "", entry.note)
        if not entry.note.strip():
            self.plan.warnings.append(f"{entry.where}: redo without a note: the model is only "
                                      "asked to improve its answer")
        if self.journal.get(redo.fingerprint) is None:
            expected = expected_completion(last, self.journal)[0]
            cap = last.completion_cap
            plan = self.plan
            plan.requests += 1
            plan.cost_expected = _add(plan.cost_expected, self.pricer.cost(
                redo.model, Usage(redo.prompt_tokens, expected)))
            plan.capped = plan.capped and cap is not None
            plan.cost_max = _add(plan.cost_max, self.pricer.cost(
                redo.model, Usage(redo.prompt_tokens, cap or 0)))
        return request.fingerprint

    def _unmatched(self, entry: _Entry, shown: _Shown | None) -> str:
        """Why a verdict's row or answer is not the job's (as it is now)."""
        job = f"job '{self.job.stem}'"
        if shown is None and self.job.id_column is not None:
            return (f"{entry.where}: id '{entry.row_id}' is not a row of {job} (input "
                    f"{self.job.input})")
        if not entry.answer_id:
            return f"{entry.where}: no answer_id: the file does not say which answer was seen"
        owners = {row_id for _, row_id in self.journal.answers_starting(entry.answer_id)}
        if not owners:
            return f"{entry.where}: answer_id {entry.answer_id} is not an answer of {job}"
        if shown is None or shown.row.id in owners:
            return (f"{entry.where}: answer_id {entry.answer_id} is an earlier answer, not the "
                    "one the job shows now (the row or the job changed since the file was "
                    "written): export the output again and review that")
        return (f"{entry.where}: answer_id {entry.answer_id} is the answer of another row "
                f"({', '.join(sorted(owners))}), not of this one")


def _complete(answers: list[StepAnswer]) -> bool:
    """Every step answered with text (ok, or flagged at the last step)."""
    return all(r is not None and r.output is not None and r.status in ("ok", "flagged")
               for r, _ in answers)


def _status(answers: list[StepAnswer]) -> str:
    reached = [r for r, _ in answers if r is not None]
    if not reached:
        return "not sent"
    last = reached[-1]
    return last.status if len(reached) == len(answers) else f"{last.status}, chain stopped"


def _add(total: Decimal | None, value: Decimal | None) -> Decimal | None:
    return None if total is None or value is None else total + value


def _cell(value: Any) -> str:
    """A cell as text: spreadsheet numbers as written (1, not 1.0), our formula guard off."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text[1:] if text.startswith(_FORMULA_GUARD) else text


def _where(path: Path, row: Row) -> str:
    """Where a row is, as the reviewer's program shows it: a spreadsheet's row (the header is
    row 1), a JSONL file's line."""
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        return f"{path.name} line {row.number}"
    return f"{path.name} row {row.number + 1}"
