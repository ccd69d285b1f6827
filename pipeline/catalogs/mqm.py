"""MQM error findings and what they add up to: a translation's penalty, a language's score
per 1,000 source words, and its worst entries (docs/catalogs.md, QA).

Weights: minor 1, major 5, critical 10. As in GEMBA-MQM, the measure is the weighted error
count itself (a penalty: 0 is no error found, higher is worse), here per 1,000 source words so
catalogs of different sizes compare; it is not subtracted from 100.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..outcome import format_usd
from ..records import Result, Usage, plus_cost

CATEGORIES = ("accuracy", "fluency", "terminology", "style", "locale")
SEVERITIES = ("critical", "major", "minor")
WEIGHTS = {"minor": 1, "major": 5, "critical": 10}
#: How many of a language's worst entries the report shows.
WORST_SHOWN = 5


@dataclass(frozen=True)
class Finding:
    """One error span the judge (or the glossary check) found in a translation."""

    category: str
    severity: str
    span: str
    explanation: str
    #: Who found it: "judge" (the QA model) or "glossary" (exact matching, no request).
    by: str = "judge"

    @property
    def blocking(self) -> bool:
        """A major or critical error: the translation is asked again, then left for review."""
        return self.severity in ("major", "critical")

    def line(self) -> str:
        span = json.dumps(self.span, ensure_ascii=False)
        return f"{self.severity} {self.category} error: {span} ({self.explanation})"

    def as_dict(self) -> dict[str, str]:
        return {"category": self.category, "severity": self.severity, "span": self.span,
                "explanation": self.explanation, "by": self.by}


def penalty(findings: list[Finding]) -> int:
    return sum(WEIGHTS[f.severity] for f in findings)


def blocking(findings: list[Finding]) -> bool:
    return any(f.blocking for f in findings)


def words(text: str) -> int:
    """Source words as MQM counts them: runs of letters or digits (placeholders and tags
    count as what they hold)."""
    return len(re.findall(r"\w+", text))


@dataclass
class QualityReport:
    """One language's QA: what was judged, what it cost, and the findings that stand."""

    model: str
    judged: int = 0
    words: int = 0
    #: By entry key: the findings on its final translation.
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    #: By entry key: the entry as the report names it.
    names: dict[str, str] = field(default_factory=dict)
    #: By entry: the findings on its first translation (before QA sent it back).
    first: dict[str, list[Finding]] = field(default_factory=dict)
    #: Entries translated again with the judge's findings, and of them those then accepted.
    retried: int = 0
    fixed: int = 0
    #: Entries left for review with their findings (also in the language's refused list).
    left: int = 0
    #: Glossary terms missed, found by exact matching (no request spent).
    glossary_misses: int = 0
    requests: int = 0
    usage: Usage = field(default_factory=Usage)
    cost_usd: Decimal | None = Decimal(0)

    def add(self, result: Result) -> None:
        self.usage += result.usage
        self.cost_usd = plus_cost(self.cost_usd, result)

    def judged_first(self, key: str, found: list[Finding]) -> None:
        self.first.setdefault(key, found)

    def settle(self, key: str, name: str, source: str, found: list[Finding]) -> None:
        """An entry's final verdict: its words and findings count toward the score."""
        self.names[key] = name
        if key not in self.findings:
            self.judged += 1
            self.words += words(source)
        self.findings[key] = found

    @property
    def first_per_thousand(self) -> float:
        """The penalty per 1,000 words of the first translations, before any was sent back."""
        first = sum(penalty(self.first.get(k, f)) for k, f in self.findings.items())
        return 1000 * first / self.words if self.words else 0.0

    @property
    def penalty(self) -> int:
        return sum(penalty(f) for f in self.findings.values())

    @property
    def per_thousand(self) -> float:
        """The MQM penalty per 1,000 source words (0: no error found)."""
        return 1000 * self.penalty / self.words if self.words else 0.0

    def worst(self) -> list[tuple[str, int, list[Finding]]]:
        ranked = sorted(((self.names[k], penalty(f), f) for k, f in self.findings.items()
                         if f), key=lambda x: -x[1])
        return ranked[:WORST_SHOWN]

    def lines(self) -> list[str]:
        cost = "unknown" if self.cost_usd is None else f"${format_usd(self.cost_usd)}"
        counts = {s: sum(1 for fs in self.findings.values() for f in fs if f.severity == s)
                  for s in SEVERITIES}
        lines = [f"  QA ({self.model}): MQM penalty {self.per_thousand:.1f} per 1,000 source "
                 f"words ({self.penalty} over {self.words} words of {self.judged} entries; "
                 f"{counts['critical']} critical, {counts['major']} major, {counts['minor']} "
                 "minor; weights 10/5/1, 0 is no error found; "
                 f"{self.first_per_thousand:.1f} before the entries sent back were "
                 "translated again)",
                 f"  QA: {self.retried} translated again with the findings ({self.fixed} then "
                 f"passed, {self.left} left for review); {self.glossary_misses} glossary "
                 f"miss(es) found without a request; {self.requests} request(s), "
                 f"{self.usage.prompt_tokens} tokens in, {self.usage.completion_tokens} out, "
                 f"cost {cost} (in the language's cost above)"]
        for key, points, found in self.worst():
            lines.append(f"  QA worst: {key} (penalty {points}): "
                         + "; ".join(f.line() for f in found))
        return lines

    def as_dict(self) -> dict[str, object]:
        """For the run's manifest."""
        return {"model": self.model, "score_per_1000_words": round(self.per_thousand, 2),
                "first_pass_per_1000_words": round(self.first_per_thousand, 2),
                "penalty": self.penalty, "words": self.words, "judged": self.judged,
                "retried": self.retried, "fixed": self.fixed, "left_for_review": self.left,
                "glossary_misses": self.glossary_misses, "requests": self.requests,
                "cost_usd": None if self.cost_usd is None else str(self.cost_usd),
                "worst": [{"entry": k, "penalty": p, "findings": [f.as_dict() for f in fs]}
                          for k, p, fs in self.worst()]}
