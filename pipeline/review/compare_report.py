"""The compare report: one self-contained HTML page with the pairs' table, the judge against a
reviewer's verdicts where there are some, and the rows where two variants differ most, each
with both answers and the judge's reasons in both orders.

No script: a static page, every text escaped by Jinja's autoescape (a reply holding `<script>`
shows as text), and a Content-Security-Policy that forbids every fetch.
"""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from .. import defaults
from ..files import atomic_write
from ..outcome import format_usd

#: Characters of an answer kept in the page.
ANSWER_CHARS = 4_000
_ORDER = {"win": 0, "loss": 0, "tie": 1, None: 2}


def _asset(name: str) -> str:
    return resources.files("pipeline").joinpath(f"templates/{name}").read_text(encoding="utf-8")


def _usd(amount: Decimal | None) -> str:
    return "unknown" if amount is None else f"${format_usd(amount)}"


def _clip(text: str) -> str:
    return text if len(text) <= ANSWER_CHARS else text[:ANSWER_CHARS] + " … (cut here)"


def _said(verdict: str | None, reason: str, first: str, second: str) -> str:
    """A verdict as the reader needs it: which variant, not which position."""
    if verdict is None:
        return "not judged"
    chosen = {"1": first, "2": second, "tie": "a tie"}[verdict]
    return f"{chosen}: {reason}" if reason else chosen


def pair_rows(pair: Any, shown: int = defaults.COMPARE_REPORT_ROWS) -> list[dict[str, Any]]:
    """Where a pair differs most: decided rows (both orders agree) first, then by the gap in
    length between the answers, widest first."""
    ranked = sorted(pair.matches, key=lambda m: (_ORDER[m.outcome],
                                                 -abs(len(m.a.text) - len(m.b.text))))
    out = []
    for m in ranked[:shown]:
        out.append({
            "id": m.row.id, "outcome": m.outcome or "not judged",
            "a": _clip(m.a.text), "b": _clip(m.b.text),
            "first": ("identical answers: a tie, not asked" if m.requests is None
                      else _said(m.verdicts[0], m.reasons[0], pair.a, pair.b)),
            "second": ("" if m.requests is None
                       else _said(m.verdicts[1], m.reasons[1], pair.b, pair.a)),
            "cost": f"{_usd(m.a.cost)} / {_usd(m.b.cost)}"})
    return out


def _reviewer(agreement: Any) -> dict[str, Any] | None:
    """The judge against the reviewer's verdicts, as the page shows it (None: no verdicts)."""
    if agreement is None:
        return None
    low, high = agreement.interval
    return {"reviewed": agreement.reviewed, "both": agreement.both, "split": agreement.split,
            "agree": agreement.agree, "disagree": agreement.disagree, "ties": agreement.ties,
            "rate": "–" if agreement.rate is None else f"{agreement.rate:.1%}",
            "interval": f"{low:.1%} – {high:.1%}" if agreement.n else "–",
            "says": agreement.says()}


def render_compare_report(comparison: Any, *, id_label: str = "row") -> str:
    """The page's HTML for a jobs/compare.Comparison."""
    pairs = []
    for pair in comparison.pairs:
        tally = pair.tally
        per_row = pair.per_row()
        low, high = tally.interval
        if not tally.n:
            verdict = "no row judged"
        elif tally.detectable:
            verdict = f"{pair.b if low > 0.5 else pair.a} better beyond chance"
        else:
            verdict = "no difference detectable at this sample size"
        pairs.append({
            "a": pair.a, "b": pair.b, "n": tally.n, "wins": tally.wins, "ties": tally.ties,
            "losses": tally.losses,
            "rate": "–" if tally.win_rate is None else f"{tally.win_rate:.1%}",
            "interval": f"{low:.1%} – {high:.1%}" if tally.n else "–",
            "verdict": verdict,
            "cost_a": _usd(per_row["a"]["cost_usd"]), "cost_b": _usd(per_row["b"]["cost_usd"]),
            "cost_judge": _usd(per_row["judge"]["cost_usd"]),
            "tokens_a": f"{per_row['a']['prompt_tokens']:,.0f} in + "
                        f"{per_row['a']['completion_tokens']:,.0f} out tokens",
            "tokens_b": f"{per_row['b']['prompt_tokens']:,.0f} in + "
                        f"{per_row['b']['completion_tokens']:,.0f} out tokens",
            "tokens_judge": f"{per_row['judge']['tokens']:,.0f} tokens",
            "missing": pair.missing, "not_judged": pair.not_judged,
            "reviewer": _reviewer(pair.agreement), "rows": pair_rows(pair)})
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(_asset("compare_report.html.j2"))
    return template.render(c=comparison, pairs=pairs, id_label=id_label,
                           reviewed=[p for p in pairs if p["reviewer"] is not None],
                           shown=defaults.COMPARE_REPORT_ROWS,
                           css=jinja2.utils.markupsafe.Markup(_asset("report.css")))


def write_compare_report(comparison: Any, path: Path, *, id_label: str = "row") -> Path:
    """Write the page atomically; returns where."""
    page = render_compare_report(comparison, id_label=id_label)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda tmp: tmp.write_text(page, encoding="utf-8"))
    return path
