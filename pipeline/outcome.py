"""The run's totals: what a user reads at the end, and what decides the exit code."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .records import Result

if TYPE_CHECKING:
    from .journal import Journal

EXIT_OK, EXIT_ROWS_FAILED, EXIT_BAD_INPUT, EXIT_STOPPED = 0, 1, 2, 3


@dataclass
class Totals:
    """Running counts, updated as each row finishes (the progress bar reads them too)."""

    ok: int = 0
    failed: int = 0
    flagged: int = 0
    skipped: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    cost_usd: Decimal = Decimal(0)
    unpriced: int = 0
    cached: int = 0
    #: Answers the judge rated, and this run's judging: its share of the cost and tokens
    #: above (rows/judge.py).
    judged: int = 0
    judge_cost_usd: Decimal = Decimal(0)
    judge_prompt_tokens: int = 0
    judge_completion_tokens: int = 0

    def add(self, result: Result | None, *, cached: bool = False) -> None:
        """Count one row (None: it was never answered)."""
        if result is None:
            self.skipped += 1
            return
        if result.judge is not None:
            self._add_judge(result.judge)
        if cached:
            self.cached += 1
        if result.status == "ok":
            self.ok += 1
        elif result.status == "failed":
            self.failed += 1
        elif result.status == "flagged":
            self.flagged += 1
        else:
            self.skipped += 1
        if cached:  # no call was made for this row: its tokens and cost are not this run's
            return
        self.prompt_tokens += result.usage.prompt_tokens
        self.completion_tokens += result.usage.completion_tokens
        self.cached_tokens += result.usage.cached_tokens
        if result.cost_usd is not None:
            self.cost_usd += result.cost_usd
        elif result.status == "ok" and not cached:
            self.unpriced += 1

    def _add_judge(self, verdict: Any) -> None:
        """A row's judging (what this run paid for it, whether or not its answer was reused):
        counted in the totals and as the judge's share."""
        self.judged += verdict.error is None
        usage = verdict.usage
        self.judge_prompt_tokens += usage.prompt_tokens
        self.judge_completion_tokens += usage.completion_tokens
        self.prompt_tokens += usage.prompt_tokens
        self.completion_tokens += usage.completion_tokens
        self.cached_tokens += usage.cached_tokens
        if verdict.cost_usd is not None:
            self.judge_cost_usd += verdict.cost_usd
            self.cost_usd += verdict.cost_usd


@dataclass
class RunReport:
    """How a run ended: totals, where the output went, and why it stopped early, if it did."""

    rows: int
    totals: Totals
    output_path: Path
    elapsed_s: float
    stopped: str | None = None
    notes: list[str] = field(default_factory=list)
    budget: Decimal | None = None
    #: Rows new / changed / retried / reused by this run (manifest.RowKinds.counts).
    row_kinds: dict[str, int | None] | None = None
    #: The output holds only the rows this run answered (--only-new).
    only_new: bool = False
    manifest_path: Path | None = None
    #: Batch mode: the batches the batch run created (elapsed_s then runs from the first
    #: one's submission, across commands); None: an online run.
    batches: int | None = None

    @property
    def exit_code(self) -> int:
        if self.stopped is not None:
            return EXIT_STOPPED
        if self.totals.failed or self.totals.flagged or self.totals.skipped:
            return EXIT_ROWS_FAILED
        return EXIT_OK

    def summary(self) -> str:
        t = self.totals
        done = t.ok + t.failed + t.flagged
        per_min = done / self.elapsed_s * 60 if self.elapsed_s > 0 else 0.0
        cost = f"${format_usd(t.cost_usd)}"
        if t.unpriced:
            cost += f" (+ {t.unpriced} row(s) with no known price)"
        if self.budget is not None:
            cost += f" of a ${self.budget} budget"
        reused = f", {t.cached} of them reused without a call" if t.cached else ""
        lines = [
            f"rows: {t.ok} ok, {t.failed} failed, {t.flagged} flagged, {t.skipped} not done "
            f"(of {self.rows}){reused}",
            f"tokens: {t.prompt_tokens} in ({t.cached_tokens} cached), {t.completion_tokens} out",
            f"cost this run: {cost}",
            (f"time: {self.elapsed_s:.1f}s, {per_min:.1f} rows/min" if self.batches is None
             else batch_time(self.elapsed_s, self.batches)),
            f"output: {self.output_path}"
            + (" (only the rows this run answered: --only-new)" if self.only_new else ""),
        ]
        if t.judged or t.judge_cost_usd:
            lines.insert(3, f"judge: {t.judged} answer(s) rated; ${format_usd(t.judge_cost_usd)}"
                            f" and {t.judge_prompt_tokens} in, {t.judge_completion_tokens} out "
                            "of the tokens and cost above")
        kinds = self.row_kinds
        if kinds is not None and kinds.get("new") is not None:
            lines.insert(1, f"rows by this run: {kinds['new']} new, {kinds['changed']} changed, "
                            f"{kinds['retried']} sent again, {kinds['reused']} reused")
        if self.manifest_path is not None:
            lines.append(f"manifest: {self.manifest_path}")
        lines += self.notes
        if self.stopped:
            lines.append(f"stopped early: {self.stopped}")
            lines.append("to continue, run the same command again: only rows without an "
                         "answer are sent, and those that failed for the endpoint's reasons "
                         "(add --retry-failed for rows the server refused or that were flagged)")
        return "\n".join(lines)


def batch_time(elapsed_s: float, batches: int) -> str:
    """A batch run's time line: the wall time from its first batch's submission (rows per
    minute would only measure how long the Batch API kept them)."""
    if not batches:
        return f"time: {format_span(elapsed_s)} (no batch submitted)"
    return (f"time: {format_span(elapsed_s)} from the first batch's submission to collection "
            f"({batches} batch(es))")


def format_span(seconds: float) -> str:
    """12.3s, 4 min 05s, 26 h 03 min: a batch run may take a day."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def format_usd(amount: Decimal) -> str:
    """Dollars for display: cents from $1 up, six decimals below (rounded only here)."""
    return f"{amount:.2f}" if abs(amount) >= 1 else f"{amount:.6f}"


def format_cost(amount: Decimal | None) -> str:
    """A cost for display, or why there is none."""
    return "unknown (no price for this model)" if amount is None else f"${format_usd(amount)}"


def batch_run_time(journal: Journal, elapsed_s: float) -> tuple[float, int]:
    """A batch run's wall time (from its first batch's submission, by whichever command, to
    now) and how many batches it created; with none, this command's own `elapsed_s`."""
    began = journal.batch_run()
    if began is None or not began[1]:
        return elapsed_s, 0
    return max(elapsed_s, time.time() - began[0]), began[1]
