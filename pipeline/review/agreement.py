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

from dataclasses import dataclass
from typing import Any

from ..journal import Journal
from ..rows.judge import Judge, template_key
from .pairwise import wilson_interval

#: The agreement a judge must show (the interval's low end) before the report says to lean
#: on it: most rows, at 95% confidence.
LEAN_AT = 0.8
#: More reviewed rows than this is no advice: review more and see.
MOST_MORE = 10_000


@dataclass
class Agreement:
    """The 2x2 table of judge pass/fail against the reviewer's approve / redo-or-reject."""

    pass_approve: int = 0
    pass_not: int = 0
    fail_approve: int = 0
    fail_not: int = 0

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
            return ("the judge agrees with your reviewer on most rows: lean on it, and keep "
                    "reviewing a sample")
        if high < LEAN_AT:
            return ("the judge disagrees with your reviewer too often to lean on: read the rows "
                    "where they differ, and change its rubric or thresholds")
        more = self.more_rows
        if more is None:
            return (f"too few reviewed rows to tell whether the judge agrees with your reviewer "
                    f"on most rows ({LEAN_AT:.0%}): review more")
        side = "it does" if self.rate > LEAN_AT else "it does not"
        return (f"too few reviewed rows to tell whether the judge agrees with your reviewer on "
                f"most rows: about {more:,} more, agreeing as these do, would show {side}")

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


def judge_agreement(judge: Judge | None, journal: Journal) -> Agreement | None:
    """The judge's agreement with the reviewers' standing verdicts (None: no judge, no verdict,
    or no reviewed answer the judge rated). A verdict on an answer the judge gave no verdict
    on (never judged, its request failed, or its reply no longer fits the rubric) is left out."""
    if judge is None or not journal.has_reviews():
        return None
    table = Agreement()
    for review in journal.reviews():
        if not review.answers:
            continue  # a rejected row with no answer: nothing was judged
        verdicts = journal.recorded_under(template_key(review.answers[-1]))
        if not verdicts:
            continue
        judgement = judge.read(verdicts[-1].result)
        if judgement.error is not None:
            continue
        approved = review.verdict == "approve"
        if judgement.passed:
            if approved:
                table.pass_approve += 1
            else:
                table.pass_not += 1
        elif approved:
            table.fail_approve += 1
        else:
            table.fail_not += 1
    return table if table.rows else None
