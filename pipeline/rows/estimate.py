"""What a job will cost before it runs: every row rendered and counted, offline.

Prompt tokens are counted with each model's real encoding; what the journal already answers and
what repeats within the input are subtracted. Completion tokens come as a maximum (max_tokens)
and an expectation: the mean of the journal's earlier answers for the step's template and
model (run a `--limit 20` trial first to get one), else a stated assumption.

In a chain, a later step's prompt holds the earlier answers. Where the journal has them, the
step is rendered and looked up exactly; where not, its prompt is counted with stand-ins for the
earlier answers plus the earlier step's expected completion, and is marked approximate.
Corrections asked for by quality gates are not included (they depend on the answers). A job
with a judge adds its share, one verdict per last answer to buy, shown as its own line.
No network call is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .. import defaults
from ..config import Job
from ..journal import Journal, reusable
from ..outcome import format_cost
from ..pricing import Pricer, make_pricer
from ..records import Usage
from ..send.providers import endpoint_for
from .judge import Judge
from .plan import build_plan, refuse_images_on_text_models, step_context
from .steps import Step


@dataclass
class StepEstimate:
    """One step (of one variant's model): requests, tokens and cost still to come."""

    label: str
    per_request: int
    basis: str
    cap: int | None
    #: Mean prompt of earlier answers (0: none), for requests whose prompt is not known yet.
    mean_prompt: int = 0
    to_send: int = 0
    prompt_tokens: int = 0
    approximate_prompts: int = 0
    cost_expected: Decimal | None = Decimal(0)
    cost_max: Decimal | None = Decimal(0)
    #: The same requests through the Batch API (--mode batch).
    batch_expected: Decimal | None = Decimal(0)
    batch_max: Decimal | None = Decimal(0)

    @property
    def completion_expected(self) -> int:
        return self.per_request * self.to_send


@dataclass
class Estimate:
    """A job's expected and worst-case size, cost and duration."""

    model: str
    rows: int
    duplicates: int
    answered: int
    tokens_exact: bool
    steps: list[StepEstimate] = field(default_factory=list)
    savings_expected: Decimal | None = Decimal(0)
    minutes: float | None = None
    limits_basis: str = ""
    #: Pre-flight advice (how to earn the cached-input rate).
    notes: list[str] = field(default_factory=list)
    #: The fallback targets' models, when the job has any.
    fallbacks: list[str] = field(default_factory=list)

    @property
    def to_send(self) -> int:
        return sum(s.to_send for s in self.steps)

    @property
    def prompt_tokens(self) -> int:
        return sum(s.prompt_tokens for s in self.steps)

    @property
    def completion_expected(self) -> int:
        return sum(s.completion_expected for s in self.steps)

    @property
    def completion_max(self) -> int | None:
        if any(s.cap is None for s in self.steps):
            return None
        return sum((s.cap or 0) * s.to_send for s in self.steps)

    @property
    def cost_expected(self) -> Decimal | None:
        return _sum(s.cost_expected for s in self.steps)

    @property
    def cost_max(self) -> Decimal | None:
        return None if self.completion_max is None else _sum(s.cost_max for s in self.steps)

    @property
    def batch_expected(self) -> Decimal | None:
        return _sum(s.batch_expected for s in self.steps)

    @property
    def batch_max(self) -> Decimal | None:
        return None if self.completion_max is None else _sum(s.batch_max for s in self.steps)

    @property
    def expected_basis(self) -> str:
        return "; ".join(dict.fromkeys(s.basis for s in self.steps))

    def lines(self) -> list[str]:
        usd = format_cost
        completion_max = ("unbounded (no max_tokens)" if self.completion_max is None
                          else f"{self.completion_max:,}")
        duration = ("unknown: " + self.limits_basis if self.minutes is None
                    else f"{self.minutes:,.1f} min at {self.limits_basis}")
        approximate = sum(s.approximate_prompts for s in self.steps)
        if not self.tokens_exact:
            counted = "(approximate: this model's tokenizer is not known; counted with o200k_base)"
        elif approximate:
            counted = (f"(approximate for {approximate:,} later-step request(s) whose earlier "
                       "answers are not known yet)")
        else:
            counted = "(exact)"
        lines = [
            f"model: {self.model}",
            f"rows: {self.rows:,} ({self.duplicates:,} duplicate(s) in the input, "
            f"{self.answered:,} already answered in the journal)",
            f"requests to send: {self.to_send:,}",
            f"prompt tokens: {self.prompt_tokens:,} {counted}",
            f"completion tokens: {self.completion_expected:,} expected, {completion_max} at most"
            f" ({self.expected_basis})",
            f"cost: {usd(self.cost_expected)} expected, {usd(self.cost_max)} at most",
            f"cost with --mode batch: {usd(self.batch_expected)} expected, "
            f"{usd(self.batch_max)} at most (Batch API prices; answers within a day)",
            f"saved by the journal and dedup: {usd(self.savings_expected)} expected",
            f"duration: {duration}",
        ]
        if len(self.steps) > 1:
            lines += [f"  {s.label}: {s.to_send:,} request(s), {s.prompt_tokens:,} prompt + "
                      f"{s.completion_expected:,} completion tokens, {usd(s.cost_expected)}"
                      for s in self.steps]
        if self.fallbacks:
            lines.append(f"with fallbacks ({', '.join(self.fallbacks)}): 'at most' prices each "
                         "request of the job's model at the dearest target it may reach")
        lines += self.notes
        return lines


def _sum(values: Any) -> Decimal | None:
    total = Decimal(0)
    for value in values:
        if value is None:
            return None
        total += value
    return total


def _add(total: Decimal | None, value: Decimal | None) -> Decimal | None:
    return None if total is None or value is None else total + value


def expected_completion(step: Step, journal: Journal | None) -> tuple[int, str, int]:
    """Expected completion tokens per request, why, and the mean prompt of earlier answers."""
    stats = journal.completion_stats(step.key) if journal else None
    what = f"step '{step.name}'" if step.name else "this template"
    if stats and stats.answers:
        return (round(stats.mean_completion_tokens),
                f"mean of {stats.answers} earlier answer(s) for {what} and model",
                round(stats.mean_prompt_tokens))
    if step.completion_cap:
        return step.completion_cap, (f"no earlier answers for {what}: assuming every answer "
                                     "uses max_tokens"), 0
    return (defaults.COMPLETION_ESTIMATE_TOKENS,
            f"no earlier answers and no max_tokens: assuming "
            f"{defaults.COMPLETION_ESTIMATE_TOKENS} tokens per answer", 0)


#: Completion tokens a judge's verdict is assumed to take, per criterion and for the overall
#: reason (a score and a one-line reason in JSON).
EXPECTED_VERDICT_TOKENS = 30


class _Estimator:
    """Walks every row's chain for every variant, using the journal's answers where it can."""

    def __init__(self, job: Job, pricer: Pricer, journal: Journal | None, plan: Any):
        self.job = job
        self.pricer = pricer
        self.journal = journal
        self.plan = plan
        self.reuse = reusable(job)
        self.seen: set[str] = set()
        self.by_step: dict[tuple[str, int], StepEstimate] = {}
        self.duplicates = 0
        self.answered = 0
        self.savings: Decimal | None = Decimal(0)
        self.placeholders = {s.name: s.placeholder() for s in plan.steps if s.name}
        self.fallbacks = _fallback_pricers(job)
        #: The judge's requests: one per last answer to buy, priced at the judge's prices.
        self.judge = JudgeEstimate.of(job, plan)

    def _worst(self, model: str, usage: Usage) -> Decimal | None:
        """A request's dearest price: with fallbacks, the job's model's requests may be
        answered by any target."""
        price = self.pricer.cost(model, usage)
        if model != self.job.model or price is None:
            return price
        for pricer, other in self.fallbacks:
            cost = pricer.cost(other, usage)
            price = None if cost is None else max(price, cost)
            if price is None:
                return None
        return price

    def step_estimate(self, step: Step) -> StepEstimate:
        key = (step.model, step.index)
        if key not in self.by_step:
            per_request, basis, mean_prompt = expected_completion(step, self.journal)
            label = f"step '{step.name}' ({step.model})" if step.name else step.model
            self.by_step[key] = StepEstimate(label=label, per_request=per_request, basis=basis,
                                             cap=step.completion_cap, mean_prompt=mean_prompt)
        return self.by_step[key]

    def row(self, row: Any) -> None:
        for variant in self.plan.variants:
            earlier: dict[str, Any] = {}
            known = True  # every earlier step's answer is in the journal
            extra_prompt = 0
            chain = self.plan.chain(variant)
            for step in chain:
                est = self.step_estimate(step)
                context = step_context(row, earlier if known else {**earlier,
                                                                   **self.placeholders})
                request = step.request(row.id, context, endpoint=self.plan.endpoint,
                                       candidate=variant.candidate)
                prompt = request.prompt_tokens
                if not known:  # stand-ins for earlier answers: earlier prompts say more
                    prompt = est.mean_prompt or prompt + extra_prompt
                expected = self.pricer.cost(request.model, Usage(prompt, est.per_request))
                if known:
                    stored = self.journal.get(request.fingerprint) if self.journal else None
                    if request.fingerprint in self.seen or (stored and self.reuse(stored)):
                        if step.index == 0 and request.fingerprint in self.seen:
                            self.duplicates += 1
                        elif step.index == 0:
                            self.answered += 1
                        self.savings = _add(self.savings, expected)
                        self.seen.add(request.fingerprint)
                        if stored is None or stored.result.status != "ok":
                            break  # a chain goes on only from an ok answer
                        if step.name:
                            earlier[step.name] = step.output_value(stored.result)
                        continue
                    self.seen.add(request.fingerprint)
                else:
                    est.approximate_prompts += 1
                est.to_send += 1
                est.prompt_tokens += prompt
                est.cost_expected = _add(est.cost_expected, expected)
                worst = (self._worst(request.model, Usage(prompt, est.cap))
                         if est.cap else None)
                est.cost_max = _add(est.cost_max, worst)
                est.batch_expected = _add(est.batch_expected, self.pricer.batch_cost(
                    request.model, Usage(prompt, est.per_request)))
                est.batch_max = _add(est.batch_max, self.pricer.batch_cost(
                    request.model, Usage(prompt, est.cap)) if est.cap else None)
                known = False  # what follows depends on an answer not bought yet
                extra_prompt = est.per_request
                if self.judge is not None and step is chain[-1]:
                    self.judge.add(row, step, context, answer_tokens=est.per_request)


class JudgeEstimate:
    """The judge's share: a verdict per last answer still to buy, its prompt the rubric
    rendered for the row with the expected answer's length, its reply the expected verdict
    (critique rounds, like gate corrections, are not included)."""

    def __init__(self, judge: Judge, pricer: Pricer):
        self.judge = judge
        self.pricer = pricer
        per = EXPECTED_VERDICT_TOKENS * len(judge.criteria) + EXPECTED_VERDICT_TOKENS
        self.step = StepEstimate(
            label=f"judge ({judge.model})", per_request=min(per, judge.completion_cap or per),
            basis=f"the judge's verdicts assumed {per} tokens each", cap=judge.completion_cap)

    @classmethod
    def of(cls, job: Job, plan: Any) -> JudgeEstimate | None:
        if plan.judge is None or job.judge is None:
            return None
        from ..send.fallbacks import target_job

        target = target_job(job, job.judge, what="[judge]")
        return cls(plan.judge, make_pricer(target, endpoint_for(target),
                                           free=target.provider_info.free))

    def add(self, row: Any, step: Step, context: dict[str, Any], *, answer_tokens: int) -> None:
        stand_in = step.placeholder()
        request = self.judge.request(row.id, context, answer="", task="",
                                     fields=stand_in if isinstance(stand_in, dict) else None)
        est = self.step
        prompt = request.prompt_tokens + answer_tokens
        cap = est.cap or est.per_request
        est.to_send += 1
        est.prompt_tokens += prompt
        model = self.judge.model
        est.cost_expected = _add(est.cost_expected,
                                 self.pricer.cost(model, Usage(prompt, est.per_request)))
        est.cost_max = _add(est.cost_max, self.pricer.cost(model, Usage(prompt, cap)))
        est.batch_expected = _add(est.batch_expected, self.pricer.batch_cost(
            model, Usage(prompt, est.per_request)))
        est.batch_max = _add(est.batch_max, self.pricer.batch_cost(model, Usage(prompt, cap)))


def _fallback_pricers(job: Job) -> list[tuple[Pricer, str]]:
    """Each fallback target's pricer and model (no key needed to price)."""
    from ..send.fallbacks import target_jobs

    return [(make_pricer(target, endpoint_for(target), free=target.provider_info.free),
             target.model) for target in target_jobs(job)[1:]]


def estimate_job(job: Job) -> Estimate:
    """Render and count every row; subtract the journal; price and time what is left."""
    refuse_images_on_text_models(job)
    endpoint = endpoint_for(job)
    plan = build_plan(job, endpoint=endpoint, count_tokens=True)
    pricer = make_pricer(job, endpoint, free=job.provider_info.free)
    journal = Journal(job.journal_path) if job.journal_path.exists() else None
    try:
        return estimate_plan(job, plan, pricer, journal)
    finally:
        if journal:
            journal.close()


def estimate_plan(job: Job, plan: Any, pricer: Pricer, journal: Journal | None) -> Estimate:
    """The estimate of a plan already built (a run that keeps what the estimate said)."""
    walker = _Estimator(job, pricer, journal, plan)
    for row in plan.source:
        walker.row(row)
    for variant in plan.variants:  # a step nothing is sent for still shows its basis
        for step in plan.chain(variant):
            walker.step_estimate(step)
    est = Estimate(model=", ".join(job.variant_models), rows=plan.rows,
                   duplicates=walker.duplicates, answered=walker.answered,
                   tokens_exact=bool(plan.counter and plan.counter.exact),
                   steps=list(walker.by_step.values())
                   + ([walker.judge.step] if walker.judge is not None else []),
                   savings_expected=walker.savings,
                   notes=list(plan.notes), fallbacks=[m for _, m in walker.fallbacks])
    rpm, tpm, est.limits_basis = _limits(job, journal)
    est.minutes = _minutes(est, rpm, tpm)
    return est


def _limits(job: Job, journal: Journal | None) -> tuple[float | None, float | None, str]:
    rpm, tpm = job.rpm, job.tpm
    if rpm or tpm:
        return rpm, tpm, "the job's limits"
    if journal:
        rpm, tpm = journal.known_limits()
        if rpm or tpm:
            return rpm, tpm, "the limits the server stated in the last run"
    return None, None, "no rate limits known (run once, or set rpm/tpm)"


def _minutes(est: Estimate, rpm: float | None, tpm: float | None) -> float | None:
    if not (rpm or tpm):
        return None
    by_requests = est.to_send / rpm if rpm else 0.0
    charged = est.prompt_tokens + sum((s.cap or s.per_request) * s.to_send for s in est.steps)
    by_tokens = charged / tpm if tpm else 0.0
    return max(by_requests, by_tokens) / defaults.RATE_SAFETY
