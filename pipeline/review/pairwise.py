"""Pairwise judging's arithmetic: two orders' verdicts as one outcome, and a win rate's interval.

A judge is asked twice per row, once with each answer shown first. Only when both orders prefer
the same answer does it count as a win for that answer; a split (each order preferring the
answer it showed first, the usual position bias) or any tie is a tie, so a judge that always
picks the first answer shown yields ties, never wins. The win rate counts a tie as half a win,
and its 95% interval is Wilson's score interval (good at small samples and near 0 or 1, where
the normal approximation is not).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

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
