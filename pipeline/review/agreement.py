"""How often the row judge agrees with a reviewer: judge pass = approve, fail = redo or reject.

A reviewer's verdict (`pipeline review`) names the exact answer seen (its fingerprint); the
judge's verdicts on that answer are journaled under `template_key(fingerprint)`, the last one
on the answer the reviewer saw. Each reviewed row and variant with both counts once in a 2x2
table (judge pass/fail x approve / redo-or-reject), and the share on the diagonal gets a 95%
Wilson interval (review/pairwise.py), so "agrees on 9 of 10" reads as what it is: too few rows
to lean on yet. The judge's pass is read with the job's current thresholds, so a threshold
changed since shows how it would have agreed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..defaults import JUDGE_TRUST_AGREEMENT
from ..journal import Journal, Review
from ..rows.chain import stored_judgement
from ..rows.judge import Judgement, template_key
from ..rows.plan import Plan, step_context
from .pairwise import wilson_interval

#: The agreement a judge must show (the interval's low end) before the report says to lean
#: on it: the same bar as `pipeline compare`'s judge against a reviewer (defaults.py).
LEAN_AT = JUDGE_TRUST_AGREEMENT
#: More reviewed rows than this is no advice: review more and see.
MOST_MORE = 10_000


@dataclass
class JudgeAgreement:
    """The 2x2 table of judge pass/fail against the reviewer's approve / redo-or-reject."""

    pass_approve: int = 0
    pass_not: int = 0
    fail_approve: int = 0
    fail_not: int = 0

    def add(self, judgement: Judgement, verdict: str) -> None:
        """One reviewed answer: the judge's verdict on it, and the reviewer's."""
        if judgement.error is not None:
            return  # no verdict from the judge: nothing to compare
        approved = verdict == "approve"
        if judgement.passed:
            if approved:
                self.pass_approve += 1
            else:
                self.pass_not += 1
        elif approved:
            self.fail_approve += 1
        else:
            self.fail_not += 1

    @property
    def rows(self) -> int:
        return self.pass_approve + self.pass_not + self.fail_approve + self.fail_not

    @property
    def agree(self) -> int:
        return self.pass_approve + self.fail_not

    @property
    def rate(self) -> float:
        return self.agree / self.rows if self.rows else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.agree, self.rows)

    @property
    def more_rows(self) -> int | None:
        """About how many more reviewed rows, agreeing at the same rate, would put the
        interval on one side of LEAN_AT (None: the rate sits on it, or it would take more
        than MOST_MORE); 0 when it is already on one side."""
        if _settled(self.rate, self.rows):
            return 0
        if self.rate == LEAN_AT or not _settled(self.rate, self.rows + MOST_MORE):
            return None
        low, high = 0, MOST_MORE  # unsettled with `low` more rows, settled with `high`
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (low, middle) if _settled(self.rate, self.rows + middle) else (
                middle, high)
        return high

    @property
    def advice(self) -> str:
        """Whether to lean on the judge, in one sentence."""
        low, high = self.interval
        if low >= LEAN_AT:
            return (f"the judge agrees with your reviewer on {LEAN_AT:.0%} of rows or more: "
                    "lean on it, and keep reviewing a sample")
        if high < LEAN_AT:
            return ("the judge disagrees with your reviewer too often to lean on: read the rows "
                    "where they differ, and change its rubric or thresholds")
        more = self.more_rows
        if more is None:
            return (f"too few reviewed rows to tell whether the judge agrees with your reviewer "
                    f"on {LEAN_AT:.0%} of rows or more: review more")
        side = "it does" if self.rate > LEAN_AT else "it does not"
        return (f"too few reviewed rows to tell whether the judge agrees with your reviewer on "
                f"{LEAN_AT:.0%} of rows or more: about {more:,} more, agreeing as these do, "
                f"would show {side}")

    def lines(self) -> list[str]:
        """The run's summary lines."""
        low, high = self.interval
        return [f"judge vs reviewer: agrees on {self.agree} of {self.rows} reviewed row(s), "
                f"{self.rate:.0%} (95% interval {low:.0%}-{high:.0%}); judge pass: "
                f"{self.pass_approve} approved, {self.pass_not} redo/reject; judge fail: "
                f"{self.fail_approve} approved, {self.fail_not} redo/reject",
                f"  {self.advice}"]

    def as_dict(self) -> dict[str, Any]:
        """The manifest's `judge_agreement`."""
        low, high = self.interval
        return {"rows": self.rows, "agree": self.agree, "rate": round(self.rate, 4),
                "interval": [round(low, 4), round(high, 4)],
                "judge_pass": {"approve": self.pass_approve, "redo_or_reject": self.pass_not},
                "judge_fail": {"approve": self.fail_approve, "redo_or_reject": self.fail_not},
                "lean_at": LEAN_AT, "more_rows": self.more_rows, "advice": self.advice}


def _settled(rate: float, rows: int) -> bool:
    low, high = wilson_interval(rate * rows, rows)
    return low >= LEAN_AT or high < LEAN_AT


def judge_agreement(plan: Plan, journal: Journal) -> JudgeAgreement | None:
    """The job's judge's agreement with the reviewers' standing verdicts (None: no judge, no
    verdict, or no reviewed answer the judge rated). A verdict on an answer the judge gave no
    verdict on (never judged, its request failed, or its reply no longer fits the rubric) is
    left out."""
    judge = plan.judge
    if judge is None or not journal.has_reviews():
        return None
    table = JudgeAgreement()
    elsewhere: dict[tuple[str, str], Review] = {}
    for review in journal.reviews():
        if not review.answers:
            continue  # a rejected row with no answer: nothing was judged
        verdicts = journal.recorded_under(template_key(review.answers[-1]))
        if verdicts:
            table.add(judge.read(verdicts[-1].result), review.verdict)
        else:
            elsewhere[(review.row_id, review.variant)] = review
    if elsewhere:
        for judgement, review in _shared_verdicts(plan, journal, elsewhere):
            table.add(judgement, review.verdict)
    return table if table.rows else None


def _shared_verdicts(plan: Plan, journal: Journal, reviews: dict[tuple[str, str], Review]
                     ) -> Iterator[tuple[Judgement, Review]]:
    """The judge's verdicts on reviewed answers it rated under another request's key (two
    variants answering alike are judged once): found, as the output finds them, by rendering
    the judge's request for the row. Walks the input only when some verdict needs it."""
    variants = {v.label: v for v in plan.variants}
    for row in plan.source:
        for label, variant in variants.items():
            review = reviews.pop((row.id, label), None)
            if review is None:
                continue
            steps = plan.chain(variant)
            stored = [journal.get(fingerprint) for fingerprint in review.answers]
            if len(stored) != len(steps) or any(s is None for s in stored):
                continue  # the chain stopped before its last step: nothing was judged
            answers = [s.result for s in stored if s is not None]
            earlier = {step.name: step.output_value(result)
                       for step, result in zip(steps[:-1], answers, strict=False)
                       if step.name and result.status == "ok"}
            judgement = stored_judgement(plan, journal, row, variant, steps[-1],
                                         step_context(row, earlier), answers[-1],
                                         lambda *_: False)
            if judgement is not None:
                yield judgement, review
        if not reviews:
            return
