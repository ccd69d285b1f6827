"""Pairwise judging's arithmetic: two orders' verdicts as one outcome, and a win rate's interval.

A judge is asked twice per row, once with each answer shown first. Only when both orders prefer
the same answer does it count as a win for that answer; a split (each order preferring the
answer it showed first, the usual position bias) or any tie is a tie, so a judge that always
picks the first answer shown yields ties, never wins. The win rate counts a tie as half a win,
and its 95% interval is Wilson's score interval (good at small samples and near 0 or 1, where
the normal approximation is not).

A reviewer's verdicts (`pipeline review`) measure the judge: on the rows where the reviewer
approved one answer and sent back or rejected the other, how often the judge's win went to the
approved one, with the same interval, and whether that is enough to lean on the judge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from ..defaults import JUDGE_TRUST_AGREEMENT

#: The normal quantile for a two-sided 95% interval.
Z_95 = 1.959963984540054

#: What a judge says of one order: the first answer shown, the second, or neither.
Verdict = Literal["1", "2", "tie"]
Outcome = Literal["win", "tie", "loss"]


def wilson_interval(successes: float, n: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion `successes / n` (successes may be
    fractional: a tie counts half). (0, 1) when there is nothing to go on."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def outcome(shown_first: Verdict, shown_second: Verdict) -> Outcome:
    """The outcome for the challenger B against A from the two orders: `shown_first` is the
    verdict with A as answer 1 and B as answer 2, `shown_second` with B as 1 and A as 2."""
    if shown_first == "2" and shown_second == "1":
        return "win"
    if shown_first == "1" and shown_second == "2":
        return "loss"
    return "tie"


@dataclass
class Tally:
    """One pair's outcomes, from the challenger's side."""

    wins: int = 0
    ties: int = 0
    losses: int = 0

    def add(self, result: Outcome) -> None:
        if result == "win":
            self.wins += 1
        elif result == "loss":
            self.losses += 1
        else:
            self.ties += 1

    @property
    def n(self) -> int:
        return self.wins + self.ties + self.losses

    @property
    def win_rate(self) -> float | None:
        """Wins plus half the ties, over every row judged (None: no row judged)."""
        return (self.wins + self.ties / 2) / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.wins + self.ties / 2, self.n)

    @property
    def detectable(self) -> bool:
        """Whether the 95% interval leaves out 50%: a difference beyond chance."""
        low, high = self.interval
        return bool(self.n) and not low <= 0.5 <= high


#: What a reviewer's verdicts say of one row's two answers, for the judge: which one the
#: reviewer approved while sending the other back or rejecting it (None: not split so).
Approved = Literal["a", "b"]


def approved_side(verdict_a: str | None, verdict_b: str | None) -> Approved | None:
    """Which answer the reviewer preferred, when the verdicts split the pair: one approved,
    the other redo or reject (None otherwise: both alike, or one not reviewed)."""
    sent_back = ("redo", "reject")
    if verdict_a == "approve" and verdict_b in sent_back:
        return "a"
    if verdict_b == "approve" and verdict_a in sent_back:
        return "b"
    return None


@dataclass
class Agreement:
    """One pair's judge against a reviewer: on the rows the reviewer's verdicts split, how
    often the judge's win went to the approved answer. Ties are kept apart: the rate and its
    interval are over the rows the judge decided."""

    #: Rows judged with a verdict on at least one of their two answers.
    reviewed: int = 0
    #: Rows judged with a verdict on both answers.
    both: int = 0
    agree: int = 0
    disagree: int = 0
    ties: int = 0

    def add(self, verdict_a: str | None, verdict_b: str | None, result: Outcome) -> None:
        """One judged row: the reviewer's verdicts on A's and B's answers (None: not
        reviewed) and the judge's outcome for B."""
        if verdict_a is None and verdict_b is None:
            return
        self.reviewed += 1
        if verdict_a is None or verdict_b is None:
            return
        self.both += 1
        approved = approved_side(verdict_a, verdict_b)
        if approved is None:
            return
        if result == "tie":
            self.ties += 1
        elif (result == "win") == (approved == "b"):
            self.agree += 1
        else:
            self.disagree += 1

    @property
    def split(self) -> int:
        return self.agree + self.disagree + self.ties

    @property
    def n(self) -> int:
        """The split rows the judge decided (a win either way)."""
        return self.agree + self.disagree

    @property
    def rate(self) -> float | None:
        return self.agree / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.agree, self.n)

    @property
    def lean_on(self) -> Literal["yes", "no", "too few rows"]:
        """Whether the judge can stand in for the reviewer on this pair: its agreement is at
        least JUDGE_TRUST_AGREEMENT (the interval's low end), below it (the high end), or the
        rows cannot tell."""
        low, high = self.interval
        if self.n and low >= JUDGE_TRUST_AGREEMENT:
            return "yes"
        if self.n and high < JUDGE_TRUST_AGREEMENT:
            return "no"
        return "too few rows"

    def says(self) -> str:
        """One sentence: whether the sample is big enough to lean on the judge."""
        share = f"{JUDGE_TRUST_AGREEMENT:.0%}"
        if not self.split:
            return ("no row where the reviewer approved one answer and sent back or rejected "
                    "the other: nothing to measure the judge against yet (review both "
                    "variants' answers of the same rows)")
        if self.lean_on == "yes":
            return (f"the judge sides with the reviewer on at least {share} of such rows "
                    "(95% confidence): enough rows to lean on the judge for this pair")
        if self.lean_on == "no":
            return (f"the judge sides with the reviewer on less than {share} of such rows "
                    "(95% confidence): do not lean on it; read the rows, or try another "
                    "judge model")
        return (f"too few rows to tell whether the judge sides with the reviewer on {share} "
                "or more of them: review more rows where the two answers differ before "
                "leaning on it")
