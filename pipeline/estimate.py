"""What a job will cost before it runs: every row rendered and counted exactly, offline.

Prompt tokens are counted with the model's real encoding; what the journal already answers and
what repeats within the input are subtracted. Completion tokens come as a maximum (max_tokens)
and an expectation: the mean of the journal's earlier answers for this template and model (run
a `--limit 20` trial first to get one), else a stated assumption. No network call is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import defaults
from .config import Job
from .jobs import answered_earlier, make_pricer
from .journal import Journal
from .plan import build_plan
from .providers import endpoint_for
from .records import Usage
from .report import format_usd


@dataclass
class Estimate:
    """A job's expected and worst-case size, cost and duration."""

    model: str
    rows: int
    duplicates: int
    answered: int
    to_send: int
    prompt_tokens: int
    tokens_exact: bool
    completion_max: int | None
    completion_expected: int
    expected_basis: str
    cost_expected: Decimal | None
    cost_max: Decimal | None
    savings_expected: Decimal | None
    minutes: float | None
    limits_basis: str

    def lines(self) -> list[str]:
        def usd(value: Decimal | None) -> str:
            return "unknown (no price for this model)" if value is None else f"${format_usd(value)}"

        completion_max = ("unbounded (no max_tokens)" if self.completion_max is None
                          else f"{self.completion_max:,}")
        duration = ("unknown: " + self.limits_basis if self.minutes is None
                    else f"{self.minutes:,.1f} min at {self.limits_basis}")
        return [
            f"model: {self.model}",
            f"rows: {self.rows:,} ({self.duplicates:,} duplicate(s) in the input, "
            f"{self.answered:,} already answered in the journal)",
            f"requests to send: {self.to_send:,}",
            f"prompt tokens: {self.prompt_tokens:,} " + (
                "(exact)" if self.tokens_exact else
                "(approximate: this model's tokenizer is not known; counted with o200k_base)"),
            f"completion tokens: {self.completion_expected:,} expected, {completion_max} at most"
            f" ({self.expected_basis})",
            f"cost: {usd(self.cost_expected)} expected, {usd(self.cost_max)} at most",
            f"saved by the journal and dedup: {usd(self.savings_expected)} expected",
            f"duration: {duration}",
        ]


def estimate_job(job: Job) -> Estimate:
    """Render and count every row; subtract the journal; price and time what is left."""
    endpoint = endpoint_for(job)
    plan = build_plan(job, endpoint=endpoint, count_tokens=True)
    pricer = make_pricer(job, endpoint, free=job.resolved_provider == "local")
    cap = job.params.completion_cap
    journal = Journal(job.journal_path) if job.journal_path.exists() else None
    try:
        stats = journal.completion_stats(plan.steps[0].key) if journal else None
        if stats and stats.answers:
            per_request = round(stats.mean_completion_tokens)
            basis = f"mean of {stats.answers} earlier answer(s) for this template and model"
        elif cap:
            per_request = cap
            basis = "no earlier answers for this template: assuming every answer uses max_tokens"
        else:
            per_request = defaults.COMPLETION_ESTIMATE_TOKENS
            basis = (f"no earlier answers and no max_tokens: assuming "
                     f"{defaults.COMPLETION_ESTIMATE_TOKENS} tokens per answer")
        seen: set[bytes] = set()
        est = Estimate(model=job.model, rows=plan.rows, duplicates=0, answered=0, to_send=0,
                       prompt_tokens=0, tokens_exact=bool(plan.counter and plan.counter.exact),
                       completion_max=None, completion_expected=0,
                       expected_basis=basis, cost_expected=Decimal(0), cost_max=Decimal(0),
                       savings_expected=Decimal(0), minutes=None, limits_basis="")
        for _row, request in plan.requests():
            digest = bytes.fromhex(request.fingerprint)
            expected = pricer.cost(request.model, Usage(request.prompt_tokens, per_request))
            if digest in seen or (journal and answered_earlier(journal, request.fingerprint, job)):
                if digest in seen:
                    est.duplicates += 1
                else:
                    est.answered += 1
                est.savings_expected = _add(est.savings_expected, expected)
                seen.add(digest)
                continue
            seen.add(digest)
            est.to_send += 1
            est.prompt_tokens += request.prompt_tokens
            est.completion_expected += per_request
            est.cost_expected = _add(est.cost_expected, expected)
            worst = pricer.cost(request.model, Usage(request.prompt_tokens, cap)) if cap else None
            est.cost_max = _add(est.cost_max, worst)
        est.completion_max = cap * est.to_send if cap else None
        if not cap:
            est.cost_max = None
        rpm, tpm, est.limits_basis = _limits(job, journal)
        est.minutes = _minutes(est, rpm, tpm, cap or per_request)
        return est
    finally:
        if journal:
            journal.close()


def _add(total: Decimal | None, value: Decimal | None) -> Decimal | None:
    return None if total is None or value is None else total + value


def _limits(job: Job, journal: Journal | None) -> tuple[float | None, float | None, str]:
    rpm, tpm = job.rpm, job.tpm
    if rpm or tpm:
        return rpm, tpm, "the job's limits"
    if journal:
        rpm, tpm = journal.known_limits()
        if rpm or tpm:
            return rpm, tpm, "the limits the server stated in the last run"
    return None, None, "no rate limits known (run once, or set rpm/tpm)"


def _minutes(est: Estimate, rpm: float | None, tpm: float | None,
             completion_charge: int) -> float | None:
    if not (rpm or tpm):
        return None
    by_requests = est.to_send / rpm if rpm else 0.0
    charged = est.prompt_tokens + completion_charge * est.to_send
    by_tokens = charged / tpm if tpm else 0.0
    return max(by_requests, by_tokens) / defaults.RATE_SAFETY
