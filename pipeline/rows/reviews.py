"""What the journal's review verdicts do to a run and to its output.

approve: the row keeps exactly the answers the reviewer saw (looked up by their fingerprints),
whatever its input or --refresh say later, and nothing is sent for it. reject: nothing is sent
either, and the output leaves the row out (`keep_rejected` keeps it, marked). redo: the chain's
last step is asked again, its own messages followed by the answer reviewed and the reviewer's
note: a new request with its own fingerprint, journaled like any other (the old answer stays).
Once answered, later runs reuse it and the row's review cell is empty again, ready for the next
review. A redo holds while the request it builds on stands: when the row's input (or an earlier
step's answer) changes, the row is answered afresh and the redo is dropped.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from ..journal import Journal, Review
from ..records import Request, Result, Row
from .sinks import NO_MARK, ReviewMark, StepAnswer

if TYPE_CHECKING:
    from ..config import Job
    from .plan import Plan
    from .steps import Step

#: The verdicts a reviewer writes, and what the output's review column says once recorded.
VERDICTS = ("approve", "redo", "reject")
RECORDED = {"approve": "approved", "reject": "rejected", "redo": "redo"}
#: The message after the answer reviewed, asking for a new one.
REDO_MESSAGE = ("A reviewer asked for a new answer: {note}\n"
                "Reply again with the whole new answer, in the same format as before.")
#: The note of a redo the reviewer gave none.
NO_NOTE = "please improve it."


def redo_message(note: str) -> str:
    """The user message that carries the reviewer's note back to the model."""
    return REDO_MESSAGE.format(note=note.strip() or NO_NOTE)


def redo_fingerprint(based_on: str, reply: str, note: str) -> str:
    """A redo request's fingerprint: the request it builds on (which hashes endpoint, model,
    messages and parameters) with the two messages it adds. A request of its own: journaled,
    reused, never confused with the answer it replaces."""
    payload = json.dumps({"v": 1, "redo_of": based_on, "reply": reply,
                          "message": redo_message(note)}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def redo_request(step: Step, request: Request, reply: str, note: str) -> Request:
    """The step's request again, with the answer reviewed and the note after it."""
    asked = step.with_followup(request, reply, redo_message(note))
    return replace(asked, fingerprint=redo_fingerprint(request.fingerprint, reply, note))


def _shown(result: Result) -> tuple[Result, bool]:
    """A kept answer as the output shows it: reused, at no cost to this run."""
    cost = Decimal(0) if result.cost_usd is not None else None
    return replace(result, cost_usd=cost), True


class Reviews:
    """The verdicts standing in one job's journal, applied row by row during a run or an export.

    Verdicts are read per row through the journal's primary key (no table in memory) and not
    at all when the job was never reviewed. `counts` gathers what the output's rows came to,
    for the run's summary."""

    def __init__(self, journal: Journal, *, labels: list[str], keep_rejected: bool = False):
        self.journal = journal
        self.labels = labels
        self.keep_rejected = keep_rejected
        self.counts: Counter[str] = Counter()
        self._any = journal.has_reviews()
        self._last: tuple[tuple[str, str], Review | None] | None = None
        self._approved: set[str] | None = None

    @classmethod
    def of(cls, job: Job, plan: Plan, journal: Journal) -> Reviews:
        """The reviewers' verdicts in the journal, as this job's runs and outputs apply them."""
        return cls(journal, labels=[v.label for v in plan.variants],
                   keep_rejected=job.keep_rejected)

    def get(self, row_id: str, label: str) -> Review | None:
        """The verdict on one row's variant (None: none)."""
        if not self._any:
            return None
        key = (row_id, label)
        if self._last is None or self._last[0] != key:
            self._last = key, self.journal.review(row_id, label)
        return self._last[1]

    def kept(self, row_id: str, label: str, steps: int) -> list[StepAnswer] | None:
        """An approved or rejected row's answers as reviewed (nothing is sent for it), or
        None when the row is answered as usual."""
        review = self.get(row_id, label)
        if review is None or review.verdict == "redo":
            return None
        answers: list[StepAnswer] = []
        for fingerprint in review.answers:
            stored = self.journal.get(fingerprint)
            answers.append((None, False) if stored is None else _shown(stored.result))
        return (answers + [(None, False)] * steps)[:steps]

    def request(self, row_id: str, label: str, step: Step, request: Request) -> Request:
        """The request to send for a step: the redo's where the reviewer asked for one."""
        review = self._redo(row_id, label, step.index, request.fingerprint)
        if review is None:
            return request
        return redo_request(step, request, self._reply(review), review.note)

    def answered_by(self, row_id: str, label: str, step: int, fingerprint: str) -> str:
        """The fingerprint of the answer the output shows for a step, given its request's: a
        redo's once it is answered, the answer reviewed while it is not, else the request's."""
        review = self._redo(row_id, label, step, fingerprint)
        if review is None:
            return fingerprint
        redo = redo_fingerprint(fingerprint, self._reply(review), review.note)
        return redo if self.journal.get(redo) is not None else review.answers[-1]

    def approved(self, fingerprint: str) -> bool:
        """Whether an approved row shows this answer: no run replaces it then (--refresh
        and --retry-failed included), even for another row asking the same."""
        if not self._any:
            return False
        if self._approved is None:
            self._approved = {fp for review in self.journal.reviews()
                              if review.verdict == "approve" for fp in review.answers}
        return fingerprint in self._approved

    def mark(self, row: Row, index: int, answers: list[StepAnswer], *,
             count: bool = False) -> ReviewMark:
        """What the row's review columns say, and whether the output leaves it out. With
        `count`, it is counted for the summary."""
        review = self.get(row.id, self.labels[index])
        if review is None:
            return NO_MARK
        outcome, mark = self._mark(review, answers)
        if count:
            self.counts[outcome] += 1
        return mark

    def _mark(self, review: Review, answers: list[StepAnswer]) -> tuple[str, ReviewMark]:
        if review.verdict == "approve":
            return "approved", ReviewMark(RECORDED["approve"], review.note)
        if review.verdict == "reject":
            left_out = not self.keep_rejected
            return ("rejected" if left_out else "rejected, kept"), ReviewMark(
                RECORDED["reject"], review.note, left_out=left_out)
        shown = answers[review.step][0] if review.step < len(answers) else None
        fingerprint = shown.fingerprint if shown is not None else None
        if fingerprint == review.answers[-1]:
            return "redo waiting", ReviewMark(RECORDED["redo"], review.note)
        if fingerprint is not None and review.based_on is not None and fingerprint == \
                redo_fingerprint(review.based_on, self._reply(review), review.note):
            return "redone", NO_MARK
        return "redo dropped", NO_MARK  # the row changed: answered afresh

    def summary(self) -> str | None:
        """The summary's line on reviewed rows, e.g. 'review: 3 approved (kept), 2 redone,
        1 rejected (left out)' (None: no row of the output was reviewed)."""
        said = {"approved": "approved (kept)", "redone": "redone",
                "redo waiting": "to redo (not answered yet: run again)",
                "rejected": "rejected (left out)",
                "rejected, kept": "rejected (kept: --keep-rejected)",
                "redo dropped": "redo dropped (the row changed since its review)"}
        parts = [f"{self.counts[key]} {text}" for key, text in said.items() if self.counts[key]]
        return "review: " + ", ".join(parts) if parts else None

    def _redo(self, row_id: str, label: str, step: int, fingerprint: str) -> Review | None:
        review = self.get(row_id, label)
        if review is None or review.verdict != "redo" or step != review.step \
                or fingerprint != review.based_on:
            return None
        return review

    def _reply(self, review: Review) -> str:
        """The answer the reviewer sent back (its text, as the journal holds it)."""
        stored = self.journal.get(review.answers[-1])
        return (stored.result.output or "") if stored is not None else ""
