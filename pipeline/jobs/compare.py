"""`pipeline compare`: which of a job's variants a judge model prefers, row by row, beyond chance.

The variants' answers are the journal's (what `pipeline run` bought): nothing is asked of the
writer. For each pair of variants and each row that has both answers, the judge is asked twice,
each answer shown first once; pairwise.py turns the two verdicts into a win, a tie or a loss and
the pair's tally into a win rate with a 95% Wilson interval. Judge requests are ordinary
journaled requests in the job's journal (fingerprint: judge model, prompt, params), sent
through a RunSession: rate-limited, under the job's one budget, never paid twice, so a rerun
buys only the judgements that are missing. Where a reviewer's verdicts (`pipeline review`)
split a row's two answers, the judge is measured against them (pairwise.Agreement).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from .. import defaults
from ..config import Job, JudgeSettings
from ..errors import ConfigError, TemplateError
from ..journal import Journal, reusable
from ..outcome import EXIT_OK, EXIT_ROWS_FAILED, EXIT_STOPPED, format_cost, format_usd
from ..pricing import Pricer, make_pricer
from ..records import Request, Result, Row, Usage
from ..review.pairwise import Agreement, Outcome, Tally, Verdict, outcome
from ..rows.chain import answers_from_journal
from ..rows.plan import Plan, build_plan
from ..rows.render import PromptTemplate
from ..rows.sinks import merge_steps
from ..rows.steps import Variant, fingerprint
from ..rows.validate import OutputShape, unfixable
from ..send.fallbacks import target_job
from ..send.providers import Provider, create_provider, endpoint_for
from ..session import RunSession, Spend
from ..tokens import TokenCounter

#: What the judge answers: which answer is better, and one sentence of why.
JUDGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"better": {"type": "string", "enum": ["1", "2", "tie"]},
                   "reason": {"type": "string"}},
    "required": ["better", "reason"], "additionalProperties": False}
TEMPLATE_NAME = "compare_judge.j2"
#: Answers that count: a flagged answer is still what a reader would get.
ANSWERED = ("ok", "flagged")


# -- what is compared --------------------------------------------------------------------------
@dataclass(frozen=True)
class Side:
    """One variant's answer on one row, with what it cost (all its steps and attempts)."""

    text: str
    prompt: str
    cost: Decimal | None
    prompt_tokens: int
    completion_tokens: int
    #: The reviewer's verdict on exactly this answer (`pipeline review`; None: none, or one
    #: given on another answer of the row).
    verdict: str | None = None


@dataclass
class Match:
    """One row of one pair: A's and B's answers, the two judge requests (A shown first, then
    B shown first; none when the answers are identical, a tie without asking), their verdicts."""

    row: Row
    a: Side
    b: Side
    requests: tuple[Request, Request] | None
    verdicts: list[Verdict | None] = field(default_factory=lambda: [None, None])
    reasons: list[str] = field(default_factory=lambda: ["", ""])
    judge_cost: Decimal | None = Decimal(0)
    judge_tokens: int = 0

    @property
    def outcome(self) -> Outcome | None:
        """B's outcome against A (None: a judgement is missing)."""
        if self.requests is None:
            return "tie"
        first, second = self.verdicts
        if first is None or second is None:
            return None
        return outcome(first, second)


@dataclass
class PairResult:
    """One pair of variants: B (the later) against A (the earlier, the baseline)."""

    a: str
    b: str
    matches: list[Match] = field(default_factory=list)
    #: Rows without an answer from A or B (not compared).
    missing: int = 0

    @property
    def tally(self) -> Tally:
        tally = Tally()
        for match in self.matches:
            if (result := match.outcome) is not None:
                tally.add(result)
        return tally

    @property
    def not_judged(self) -> int:
        return sum(1 for m in self.matches if m.outcome is None)

    @property
    def agreement(self) -> Agreement | None:
        """The judge against the reviewer's verdicts on the rows judged (None: no verdict on
        an answer compared)."""
        agreement = Agreement()
        for match in self.matches:
            if (result := match.outcome) is not None:
                agreement.add(match.a.verdict, match.b.verdict, result)
        return agreement if agreement.reviewed else None

    def per_row(self) -> dict[str, dict[str, Any]]:
        """Mean cost and tokens per compared row: A's answers, B's, and the judging."""
        rows = len(self.matches) or 1
        out: dict[str, dict[str, Any]] = {}
        for name, sides in (("a", [m.a for m in self.matches]),
                            ("b", [m.b for m in self.matches])):
            costs = [s.cost for s in sides]
            out[name] = {
                "cost_usd": None if any(c is None for c in costs)
                else sum(costs, Decimal(0)) / rows,  # type: ignore[arg-type]
                "prompt_tokens": sum(s.prompt_tokens for s in sides) / rows,
                "completion_tokens": sum(s.completion_tokens for s in sides) / rows}
        judged = [m.judge_cost for m in self.matches]
        out["judge"] = {
            "cost_usd": None if any(c is None for c in judged)
            else sum(judged, Decimal(0)) / rows,  # type: ignore[arg-type]
            "tokens": sum(m.judge_tokens for m in self.matches) / rows}
        return out


@dataclass
class Comparison:
    """What `pipeline compare` found, and how its judging went."""

    job: str
    judge: str
    rows: int
    pairs: list[PairResult]
    sent: int = 0
    reused: int = 0
    spent: Decimal = Decimal(0)
    failed: int = 0
    stopped: str | None = None
    report_path: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.stopped is not None:
            return EXIT_STOPPED
        if self.failed or any(p.missing or p.not_judged for p in self.pairs):
            return EXIT_ROWS_FAILED
        return EXIT_OK

    def lines(self) -> list[str]:
        out = [f"compare {self.job}: judge {self.judge}, {self.rows:,} row(s), each pair judged "
               "in both orders (a win needs both; a tie counts half in the win rate)"]
        for pair in self.pairs:
            tally = pair.tally
            out.append("")
            out.append(f"{pair.b} vs {pair.a}:")
            if not tally.n:
                out.append("  no row judged")
            else:
                low, high = tally.interval
                out.append(f"  {pair.b} wins {tally.wins}, ties {tally.ties}, loses "
                           f"{tally.losses} of {tally.n} row(s)")
                out.append(f"  {pair.b}'s win rate: {tally.win_rate:.1%} (95% interval "
                           f"{low:.1%} to {high:.1%}, Wilson)")
                if tally.detectable:
                    better = pair.b if low > 0.5 else pair.a
                    worse = pair.a if better == pair.b else pair.b
                    out.append(f"  {better} is better than {worse} beyond chance")
                else:
                    out.append("  no difference detectable at this sample size")
            out += _agreement_lines(pair.agreement)
            per_row = pair.per_row()
            for name, label in (("a", pair.a), ("b", pair.b)):
                side = per_row[name]
                out.append(f"  per row, {label}: {_usd(side['cost_usd'])}, "
                           f"{side['prompt_tokens']:,.0f} prompt + "
                           f"{side['completion_tokens']:,.0f} completion tokens")
            judged = per_row["judge"]
            out.append(f"  per row, judging: {_usd(judged['cost_usd'])}, "
                       f"{judged['tokens']:,.0f} tokens (two requests)")
            if pair.missing:
                out.append(f"  not compared: {pair.missing} row(s) lack an answer from "
                           f"{pair.a} or {pair.b}: run the job first (pipeline run), then "
                           "compare again")
            if pair.not_judged:
                out.append(f"  not judged: {pair.not_judged} row(s) whose judgement failed or "
                           "was not sent (run again; --retry-failed asks failed ones again)")
        out.append("")
        out.append(f"judgements: {self.sent:,} sent now (${format_usd(self.spent)}), "
                   f"{self.reused:,} from the journal, {self.failed:,} failed")
        if self.stopped:
            out.append(f"stopped: {self.stopped}. Run the same command again to continue: "
                       "judgements already bought are not bought again")
        if self.report_path is not None:
            out.append(f"report: {self.report_path}")
        return out + self.notes

    def as_json(self) -> dict[str, Any]:
        pairs = []
        for pair in self.pairs:
            tally = pair.tally
            per_row = pair.per_row()
            pairs.append({
                "a": pair.a, "b": pair.b, "rows_judged": tally.n, "wins": tally.wins,
                "ties": tally.ties, "losses": tally.losses, "win_rate": tally.win_rate,
                "interval_95": list(tally.interval) if tally.n else None,
                "difference_detectable": tally.detectable,
                "not_compared": pair.missing, "not_judged": pair.not_judged,
                "reviewer": _agreement_json(pair.agreement),
                "per_row": {k: {n: _number(v) for n, v in side.items()}
                            for k, side in per_row.items()}})
        return {"job": self.job, "judge": self.judge, "rows": self.rows, "pairs": pairs,
                "judgements": {"sent": self.sent, "reused": self.reused,
                               "failed": self.failed, "cost_usd": str(self.spent)},
                "stopped": self.stopped, "exit_code": self.exit_code,
                "report": str(self.report_path) if self.report_path else None}

    def json(self) -> str:
        return json.dumps(self.as_json(), ensure_ascii=False, indent=2)


def _agreement_lines(agreement: Agreement | None) -> list[str]:
    """The judge against the reviewer, for the printout (nothing without verdicts)."""
    if agreement is None:
        return []
    out = [f"  judge vs reviewer: {agreement.reviewed} row(s) judged carry a verdict, "
           f"{agreement.both} on both answers, {agreement.split} split (one approved, the "
           "other sent back or rejected)"]
    if agreement.n:
        low, high = agreement.interval
        out.append(f"  the judge's win went to the approved answer in {agreement.agree} of "
                   f"{agreement.n} split row(s) it decided ({agreement.rate:.1%}, 95% interval "
                   f"{low:.1%} to {high:.1%}, Wilson); {agreement.ties} split row(s) it tied")
    elif agreement.split:
        out.append(f"  the judge tied all {agreement.ties} split row(s)")
    return [*out, f"  {agreement.says()}"]


def _agreement_json(agreement: Agreement | None) -> dict[str, Any] | None:
    if agreement is None:
        return None
    return {"rows_reviewed": agreement.reviewed, "rows_reviewed_both": agreement.both,
            "rows_split": agreement.split, "judge_sided_with_approved": agreement.agree,
            "judge_sided_with_sent_back": agreement.disagree, "ties": agreement.ties,
            "agreement": agreement.rate,
            "interval_95": list(agreement.interval) if agreement.n else None,
            "lean_on_judge": agreement.lean_on, "says": agreement.says()}


def _usd(amount: Decimal | None) -> str:
    return "cost unknown" if amount is None else f"${format_usd(amount)}"


def _number(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


# -- the judge ---------------------------------------------------------------------------------
class PairJudge:
    """The judge's prompt, request and reading of a reply, for one judge model."""

    def __init__(self, judge_job: Job, *, endpoint: str, counter: TokenCounter | None):
        text = resources.files("pipeline").joinpath(f"templates/{TEMPLATE_NAME}").read_text(
            encoding="utf-8")
        self.template = PromptTemplate(text, name=f"{TEMPLATE_NAME} (built in)")
        self.shape = OutputShape(JUDGE_SCHEMA, strict=True, where="the compare judge")
        self.model = judge_job.model
        self.endpoint = endpoint
        self.counter = counter
        self.params = judge_job.params.as_request()
        self.cap = judge_job.params.completion_cap
        #: Groups the journal's judgements (their expected length for --estimate).
        self.key = hashlib.sha256(text.encode() + b"\0compare\0" + self.model.encode()
                                  ).hexdigest()[:16]

    def request(self, row: Row, first: Side, second: Side) -> Request:
        """The judge's request for one order (raises TemplateError)."""
        columns = [(k, v) for k, v in row.prompt_fields.items()]
        messages = self.template.render_messages({
            "columns": columns, "prompt_1": first.prompt,
            "prompt_2": None if first.prompt == second.prompt else second.prompt,
            "answer_1": first.text, "answer_2": second.text})
        return Request(
            row_id=row.id, model=self.model, messages=messages, params=self.params,
            fingerprint=fingerprint(endpoint=self.endpoint, model=self.model, messages=messages,
                                    params={**self.params, "response_schema": {
                                        "schema": JUDGE_SCHEMA, "strict": True}}),
            prompt_tokens=self.counter.messages(messages) if self.counter else 0,
            completion_cap=self.cap, response_schema=JUDGE_SCHEMA, strict_schema=True,
            grammar_schema=JUDGE_SCHEMA)

    def read(self, result: Result) -> Result:
        """A reply judged: ok with its fields, or flagged/failed saying why."""
        text = result.output or ""
        flags = unfixable(text, result.finish_reason, result.refusal)
        if flags:
            result.status, result.flags = "flagged", flags
            return result
        fields, problems = self.shape.parse(text)
        if problems:
            result.status, result.error = "failed", "the judge's reply: " + "; ".join(problems)
            return result
        result.fields = fields
        return result


def _messages_text(messages: list[dict[str, Any]]) -> str:
    """A rendered prompt as the judge reads it: each message's text (an image as a mark)."""
    parts = []
    for message in messages:
        content = message.get("content")
        if isinstance(content, list):
            content = " ".join(p.get("text", "") if p.get("type") == "text" else "[image]"
                               for p in content)
        parts.append(f"[{message.get('role')}] {content}")
    return "\n".join(parts)


# -- the job -----------------------------------------------------------------------------------
def judge_settings(job: Job, judge_model: str | None) -> JudgeSettings:
    """The judge: the job's [judge] table, its model replaced by `judge_model` when given
    (as --judge MODEL does; without a table, that model on the job's endpoint)."""
    if judge_model:
        if job.judge is not None:
            return job.judge.model_copy(update={"model": judge_model})
        return JudgeSettings(model=judge_model)
    if job.judge is None:
        raise ConfigError(
            "compare needs a judge model: give --judge MODEL (asked on the job's endpoint), "
            "or a [judge] table in the job file with model = \"...\" (its own base_url, "
            "api_key_env and prices if it is elsewhere; docs/compare.md). Nothing was sent.")
    return job.judge


def judge_job_of(job: Job, settings: JudgeSettings) -> Job:
    """The job as the judge's connection (the fallbacks' rule for endpoint and key), with
    the judge's params and a max_tokens when they set none."""
    params = settings.params
    if params.completion_cap is None:
        params = params.model_copy(update={"max_tokens": defaults.COMPARE_JUDGE_MAX_TOKENS})
    return target_job(job, settings, what="[judge]").model_copy(
        update={"params": params, "images": [], "judge": None, "mode": "online"})


def _plan(job: Job) -> Plan:
    plan = build_plan(job, endpoint=endpoint_for(job), count_tokens=False)
    if len(plan.variants) < 2:
        raise ConfigError(
            f"job {job.stem} has one variant: compare needs two or more, given as prompt "
            "versions (templates = [\"a.j2\", \"b.j2\"]), models side by side (models = "
            "[\"m1\", \"m2\"]) or candidates = N; run the job with them, then compare "
            "(docs/compare.md). Nothing was sent.")
    return plan


def _pairs(plan: Plan) -> list[tuple[int, int]]:
    return list(itertools.combinations(range(len(plan.variants)), 2))


def _label(variant: Variant) -> str:
    return variant.label or variant.model


def _sides(plan: Plan, journal: Journal) -> Iterator[tuple[Row, list[Side | None]]]:
    """Each row with each variant's answer from the journal (None: no answer), and the
    reviewer's verdict when it was given on that very answer."""
    names = [s.name for s in plan.steps]
    reviewed = journal.has_reviews()
    for row, variants in answers_from_journal(plan, journal, 0, paid_since=0):
        sides: list[Side | None] = []
        for variant, answers in zip(plan.variants, variants, strict=True):
            merged, _ = merge_steps(answers, names)
            if merged is None or merged.status not in ANSWERED or merged.output is None:
                sides.append(None)
                continue
            try:
                prompt = _messages_text(plan.first_request(row, variant).messages)
            except TemplateError:
                sides.append(None)
                continue
            review = journal.review(row.id, variant.label) if reviewed else None
            shown = tuple(r.fingerprint for r, _ in answers if r is not None)
            sides.append(Side(text=merged.output, prompt=prompt, cost=merged.cost_usd,
                              prompt_tokens=merged.usage.prompt_tokens,
                              completion_tokens=merged.usage.completion_tokens,
                              verdict=review.verdict if review is not None
                              and review.answers == shown else None))
        yield row, sides


def _matches(plan: Plan, journal: Journal, judge: PairJudge) -> tuple[list[PairResult], int]:
    """Every pair's matches, each with its two judge requests rendered; and the row count."""
    pairs = [PairResult(_label(plan.variants[i]), _label(plan.variants[j]))
             for i, j in _pairs(plan)]
    rows = 0
    for row, sides in _sides(plan, journal):
        rows += 1
        for pair, (i, j) in zip(pairs, _pairs(plan), strict=True):
            a, b = sides[i], sides[j]
            if a is None or b is None:
                pair.missing += 1
                continue
            requests = (None if a.text.strip() == b.text.strip()
                        else (judge.request(row, a, b), judge.request(row, b, a)))
            pair.matches.append(Match(row=row, a=a, b=b, requests=requests))
    return pairs, rows


def _requests(pairs: list[PairResult]) -> Iterator[Request]:
    for pair in pairs:
        for match in pair.matches:
            if match.requests is not None:
                yield from match.requests


def _to_send(pairs: list[PairResult], journal: Journal, job: Job) -> tuple[list[Request], int]:
    """The judge requests the journal does not answer (each fingerprint once), and how many
    it does."""
    reuse = reusable(job)
    pending: dict[str, Request] = {}
    reused: set[str] = set()
    for request in _requests(pairs):
        stored = journal.get(request.fingerprint)
        if stored is not None and reuse(stored):
            reused.add(request.fingerprint)
        else:
            pending.setdefault(request.fingerprint, request)
    return list(pending.values()), len(reused)


def _fill_verdicts(pairs: list[PairResult], journal: Journal) -> int:
    """Each match's verdicts and judging cost from the journal; returns the failed count."""
    failed: set[str] = set()
    for pair in pairs:
        for match in pair.matches:
            if match.requests is None:
                continue
            match.judge_cost, match.judge_tokens = Decimal(0), 0
            for order, request in enumerate(match.requests):
                stored = journal.get(request.fingerprint)
                if stored is None:
                    continue
                result = stored.result
                if match.judge_cost is not None:
                    match.judge_cost = (None if result.cost_usd is None
                                        else match.judge_cost + result.cost_usd)
                match.judge_tokens += (result.usage.prompt_tokens
                                       + result.usage.completion_tokens)
                better = (result.fields or {}).get("better")
                if result.status == "ok" and better in ("1", "2", "tie"):
                    match.verdicts[order] = better
                    match.reasons[order] = str((result.fields or {}).get("reason", ""))
                else:
                    failed.add(request.fingerprint)
    return len(failed)


def _prepared(job: Job, judge_model: str | None) -> tuple[Plan, Job]:
    """The job's plan, its judge and the judge as a job, for a comparison or its estimate;
    ConfigError (nothing sent) when the job has not run yet."""
    plan = _plan(job)
    settings = judge_settings(job, judge_model)
    judge_job = judge_job_of(job, settings)
    if not job.journal_path.exists():
        raise ConfigError(f"no journal at {job.journal_path}: run the job first (pipeline run "
                          "JOB), then compare its answers. Nothing was sent.")
    return plan, judge_job


def compare_job(job: Job, *, judge_model: str | None = None, progress: bool | None = None,
                report: bool = False, report_path: Path | None = None,
                wait_for_lock: bool = False) -> Comparison:
    """Judge every pair of the job's variants on its rows (the job's sample when it has
    one). Raises PipelineError (exit 2) before any spend for a job without variants, without
    a judge, or without answers to compare."""
    plan, judge_job = _prepared(job, judge_model)
    provider: Provider = create_provider(judge_job)  # the judge's key, checked now
    counter = None if provider.free else TokenCounter(judge_job.model)
    judge = PairJudge(judge_job, endpoint=provider.endpoint, counter=counter)
    session = RunSession(judge_job, provider, spend=Spend([judge.model], [judge.cap]),
                         record=False, wait_for_lock=wait_for_lock)
    with session:
        journal = session.journal
        pairs, rows = _matches(plan, journal, judge)
        _refuse_nothing_to_compare(job, pairs)
        pending, reused = _to_send(pairs, journal, judge_job)
        comparison = Comparison(job=job.stem, judge=judge.model, rows=rows, pairs=pairs,
                                reused=reused)
        if pending:
            run_id = session.begin(total=len(pending), unit="judgement", progress=progress,
                                   kind="compare", rows=rows, models=[judge.model])
            sent = 0

            async def ask(request: Request) -> None:
                nonlocal sent
                result = await session.routes.answer(request)
                if result.status != "skipped":
                    sent += 1
                    if result.status == "ok":
                        result = judge.read(result)
                    journal.record(result, run_id=run_id, template_key=judge.key)
                session.bar.update(1)

            comparison.stopped = session.send(pending, ask)
            comparison.sent, comparison.spent = sent, session.budget.spent
            comparison.notes += session.notes()
        comparison.failed = _fill_verdicts(pairs, journal)
    if report or report_path is not None:
        from ..review.compare_report import write_compare_report

        comparison.report_path = write_compare_report(
            comparison, report_path or default_compare_report_path(job),
            id_label=job.id_column or "row")
    return comparison


def default_compare_report_path(job: Job) -> Path:
    """Beside the job's journal (the output's folder): `<job>.compare.html`."""
    return job.output_pattern.stable_folder() / f"{job.stem}.compare.html"


def _refuse_nothing_to_compare(job: Job, pairs: list[PairResult]) -> None:
    if not any(pair.matches for pair in pairs):
        raise ConfigError(
            f"no row has answers from two variants in {job.journal_path}: run the job first "
            "(pipeline run JOB), then compare its answers. Nothing was sent.")


# -- the estimate ------------------------------------------------------------------------------
@dataclass
class CompareEstimate:
    """What judging would cost: the requests the journal lacks, priced; nothing sent."""

    judge: str
    rows: int
    comparable: int
    requests: int
    reused: int
    prompt_tokens: int
    completion_expected: int
    completion_max: int | None
    basis: str
    cost_expected: Decimal | None
    cost_max: Decimal | None
    missing: int

    def lines(self) -> list[str]:
        at_most = ("unbounded (no max_tokens)" if self.completion_max is None
                   else f"{self.completion_max:,}")
        lines = [
            f"judge: {self.judge}",
            f"rows: {self.rows:,} ({self.comparable:,} row-pair(s) with both answers, "
            f"{self.missing:,} lacking one)",
            f"judge requests to send: {self.requests:,} (two per row and pair; "
            f"{self.reused:,} already in the journal)",
            f"prompt tokens: {self.prompt_tokens:,}",
            f"completion tokens: {self.completion_expected:,} expected, {at_most} at most "
            f"({self.basis})",
            f"cost of judging: {format_cost(self.cost_expected)} expected, "
            f"{format_cost(self.cost_max)} at most (the answers compared are paid already)",
        ]
        if self.missing:
            lines.append("rows lacking an answer are not compared: run the job first "
                         "(pipeline run JOB)")
        return lines

    def as_json(self) -> dict[str, Any]:
        return {k: _number(v) for k, v in self.__dict__.items()}


def estimate_compare(job: Job, *, judge_model: str | None = None) -> CompareEstimate:
    """Price the judgements still to buy: no network, no key, nothing written."""
    plan, judge_job = _prepared(job, judge_model)
    endpoint = endpoint_for(judge_job)
    free = judge_job.provider_info.free
    pricer: Pricer = make_pricer(judge_job, endpoint, free=free)
    judge = PairJudge(judge_job, endpoint=endpoint,
                      counter=None if free else TokenCounter(judge_job.model))
    with Journal(job.journal_path) as journal:
        pairs, rows = _matches(plan, journal, judge)
        pending, reused = _to_send(pairs, journal, judge_job)
        per_request, basis = _expected(judge, journal)
    prompt = sum(r.prompt_tokens for r in pending)
    expected: Decimal | None = Decimal(0)
    worst: Decimal | None = Decimal(0)
    for request in pending:
        one = pricer.cost(judge.model, Usage(request.prompt_tokens, per_request))
        expected = None if expected is None or one is None else expected + one
        most = (pricer.cost(judge.model, Usage(request.prompt_tokens, judge.cap))
                if judge.cap else None)
        worst = None if worst is None or most is None else worst + most
    return CompareEstimate(
        judge=judge.model, rows=rows, comparable=sum(len(p.matches) for p in pairs),
        requests=len(pending), reused=reused, prompt_tokens=prompt,
        completion_expected=per_request * len(pending),
        completion_max=judge.cap * len(pending) if judge.cap else None, basis=basis,
        cost_expected=expected, cost_max=worst, missing=sum(p.missing for p in pairs))


def _expected(judge: PairJudge, journal: Journal) -> tuple[int, str]:
    """Expected completion tokens per judgement, and why: the mean of the journal's earlier
    judgements by this judge, else its max_tokens."""
    stats = journal.completion_stats(judge.key)
    if stats.answers:
        return (round(stats.mean_completion_tokens),
                f"mean of {stats.answers} earlier judgement(s) by {judge.model}")
    if judge.cap:
        return judge.cap, f"no earlier judgements: assuming each uses max_tokens ({judge.cap})"
    return (defaults.COMPLETION_ESTIMATE_TOKENS, "no earlier judgements and no max_tokens: "
            f"assuming {defaults.COMPLETION_ESTIMATE_TOKENS} tokens each")
