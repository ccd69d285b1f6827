"""Answer one row: each variant's chain of steps, each reply judged and, if need be, corrected.

A step's request is sent only when the journal does not already answer it and no identical
request is in flight (a duplicate row waits for the first and pays nothing). A reply that fails
its schema or gates is sent back with the problems listed, up to the step's fix_attempts, and
every attempt's tokens and cost are summed into the step's result. The next step starts as soon
as this row's previous step is ok: rows never wait for the whole file.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from ..errors import TemplateError
from ..journal import Journal, Stored
from ..records import Request, Result, Row, Usage
from ..send.runner import Runner
from .judge import Judgement, task_text, template_key
from .plan import Plan, step_context
from .redact import Redacted
from .reviews import Reviews
from .sinks import RowAnswers, StepAnswer
from .steps import Step, Variant
from .validate import feedback

DIGEST_BYTES = 32  # a sha256 fingerprint
#: Journals a judge's verdict (its result) on the answers to one writer request (its
#: fingerprint); True: the verdict was collected from a batch (its pending reply goes).
RecordJudgement = Callable[[Result, str, bool], None]

#: Whether a stored answer is reused instead of calling again (--refresh, --retry-failed).
Reusable = Callable[[Stored], bool]


@dataclass
class Digests:
    """Every (row, variant, step) fingerprint the run computed, 32 bytes each, so writing the
    output need not render rows again. All-zero: not computed (render it then)."""

    #: Fingerprints per row: variants x steps.
    per_row: int
    data: bytearray = field(default_factory=bytearray)

    def slot(self, row: Row, variant: int, step: int, steps: int) -> int:
        return ((row.number - 1) * self.per_row + variant * steps + step) * DIGEST_BYTES

    def put(self, row: Row, variant: int, step: int, steps: int, fingerprint: str) -> None:
        start = self.slot(row, variant, step, steps)
        if len(self.data) < start + DIGEST_BYTES:
            self.data.extend(bytes(start + DIGEST_BYTES - len(self.data)))
        self.data[start:start + DIGEST_BYTES] = bytes.fromhex(fingerprint)

    def get(self, row: Row, variant: int, step: int, steps: int) -> str | None:
        start = self.slot(row, variant, step, steps)
        digest = bytes(self.data[start:start + DIGEST_BYTES])
        return digest.hex() if len(digest) == DIGEST_BYTES and any(digest) else None


def _unrenderable(step: Step, row: Row, exc: TemplateError) -> Result:
    where = f"step '{step.name}' " if step.name else ""
    return Result(row_id=row.id, fingerprint="", status="failed",
                  error=f"{where}cannot be rendered: {exc}")


#: A chain walk: yields each step to answer with its template context, is sent that step's
#: (result, reused) back, and returns the variant's answers.
Walk = Generator[tuple[Step, dict[str, Any]], StepAnswer, list[StepAnswer]]


def walk(plan: Plan, row: Row, variant: Variant, reviews: Reviews | None) -> Walk:
    """The rules of one variant's chain, in one place for the run that answers it and for the
    output that reads its answers back from the journal: a row a reviewer approved or
    rejected keeps its reviewed answers; each step sees the earlier steps' outputs; a step
    after one that is not ok is not asked (None)."""
    steps = plan.chain(variant)
    kept = reviews.kept(row.id, variant.label, len(steps)) if reviews else None
    if kept is not None:
        return kept
    answers: list[StepAnswer] = []
    earlier: dict[str, Any] = {}
    for step in steps:
        if answers and (answers[-1][0] is None or answers[-1][0].status != "ok"):
            answers.append((None, False))  # a chain goes on only from an ok answer
            continue
        result, reused = yield step, step_context(row, earlier)
        answers.append((result, reused))
        if result is not None and result.status == "ok" and step.name:
            earlier[step.name] = step.output_value(result)
    return answers


#: Unfinished fix loops held in memory as a set up to this many (beyond, one lookup each).
_HELD_UNFINISHED = 10_000


class _Unfinished:
    """The requests whose fix loop an earlier run left unfinished: usually none or a few, held
    as a set; after a batch run collected a million answers (each journaled as a reply not
    judged yet), looked up one at a time rather than held."""

    def __init__(self, journal: Journal):
        few = journal.pending_fingerprints(limit=_HELD_UNFINISHED + 1)
        self._held = few if len(few) <= _HELD_UNFINISHED else None
        self._journal = journal

    def __contains__(self, fingerprint: object) -> bool:
        if self._held is not None:
            return fingerprint in self._held
        return isinstance(fingerprint, str) and self._journal.has_pending(fingerprint)


class RowAnswerer:
    """Answers rows for one run: journal reuse, in-run dedup, fix loops, chains, variants."""

    def __init__(self, plan: Plan, runner: Runner, journal: Journal, *, reusable: Reusable,
                 record: Callable[[Result, Step, bool], None],
                 record_attempt: Callable[[Result, int], None], digests: Digests,
                 resume_attempts: bool = True, reviews: Reviews | None = None,
                 judge_runner: Runner | None = None,
                 record_judgement: RecordJudgement | None = None):
        self.plan = plan
        self.runner = runner
        #: Where the judge's requests go (its own target), and how its verdicts are kept:
        #: with both (and a judge in the plan), each variant's last answer is judged.
        self.judge_runner = judge_runner if plan.judge is not None else None
        self.record_judgement = record_judgement
        self.journal = journal
        self.reusable = reusable
        self.record = record
        self.record_attempt = record_attempt
        #: Reviewers' verdicts: approved and rejected rows are not sent, redos are.
        self.reviews = reviews
        #: Fix loops an earlier run left unfinished, to pick up where they were.
        self._unfinished = _Unfinished(journal) if resume_attempts else frozenset()
        self.digests = digests
        self.reused = 0
        self.duplicates = 0
        #: Requests the journal held but that were sent again (not new content).
        self.resent: set[str] = set()
        self._in_flight: dict[str, asyncio.Future[Result]] = {}
        #: Verdicts being asked, by the judge request's fingerprint (two variants' identical
        #: answers are judged once).
        self._judging: dict[str, asyncio.Future[Judgement | None]] = {}
        #: Rows being answered that were redacted: a reply may use only their placeholders.
        self._redactions: dict[str, Redacted] = {}

    async def answer(self, row: Row) -> list[list[StepAnswer]]:
        """Every variant of one row (variants run side by side)."""
        variants = self.plan.variants
        if row.redaction is not None:
            self._redactions[row.id] = row.redaction
        try:
            if len(variants) == 1:
                return [await self._variant(row, 0, variants[0])]
            return list(await asyncio.gather(*(self._variant(row, i, v)
                                               for i, v in enumerate(variants))))
        finally:
            self._redactions.pop(row.id, None)

    async def _variant(self, row: Row, index: int, variant: Variant) -> list[StepAnswer]:
        chain = walk(self.plan, row, variant, self.reviews)
        try:
            step, context = next(chain)
            while True:
                answer = await self._step(row, index, variant, step, context)
                step, context = chain.send(answer)
        except StopIteration as done:
            return done.value

    async def _step(self, row: Row, index: int, variant: Variant, step: Step,
                    context: dict[str, Any]) -> StepAnswer:
        try:
            request = step.request(row.id, context, endpoint=self.plan.endpoint,
                                   candidate=variant.candidate)
        except TemplateError as exc:
            return _unrenderable(step, row, exc), False
        steps = len(self.plan.chain(variant))
        self.digests.put(row, index, step.index, steps, request.fingerprint)
        if self.reviews is not None:
            request = self.reviews.request(row.id, variant.label, step, request)
        judged = self.judge_runner is not None and step.index == steps - 1
        return await self._resolve(step, request, context, judged=judged)

    async def _resolve(self, step: Step, request: Request, context: dict[str, Any], *,
                       judged: bool = False) -> tuple[Result, bool]:
        stored = self.journal.get(request.fingerprint)
        first: Result | None = None  # a held answer the judge has not rated yet
        approved = self.reviews is not None and self.reviews.approved(request.fingerprint)
        if stored is not None and (self.reusable(stored) or approved):
            if not (judged and not approved and self._unrated(step, request, stored.result,
                                                              context)):
                self.reused += 1
                return stored.result, True
            # Answered before the job had a judge: rated now, only the judge paid (and the
            # writer again only if the critique sends it back).
            if request.fingerprint not in self._unfinished:
                first = stored.result
        elif stored is not None:  # an earlier failure sent again, or --refresh
            self.resent.add(request.fingerprint)
        pending = self._in_flight.get(request.fingerprint)
        if pending is not None:
            self.duplicates += 1
            return await asyncio.shield(pending), True
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._in_flight[request.fingerprint] = future
        try:
            result, corrected = await self._fix_loop(step, request, context, judged=judged,
                                                     first=first)
            if result.status != "skipped":
                # Durable before it counts as done; a corrected answer's pending attempts go.
                self.record(result, step, corrected)
            future.set_result(result)
            return result, False
        finally:
            if not future.done():
                future.cancel()
            del self._in_flight[request.fingerprint]

    async def _fix_loop(self, step: Step, request: Request, context: dict[str, Any], *,
                        judged: bool = False, first: Result | None = None
                        ) -> tuple[Result, bool]:
        """Ask, judge, and ask again with the problems listed, until ok or out of fixes.

        Each reply sent back for correction is journaled first, so a run killed mid-loop
        picks the conversation up where it was instead of buying those replies again; with a
        judge, each reply is journaled before the judge is asked. Returns the step's result,
        and whether its pending replies are done with (journaled or resumed on the way)."""
        result, paid, keep = await self._fix_loop_inner(step, request, context, judged, first)
        if keep:  # not judged this time: the next run asks the judge again, not the writer
            return result, False
        return result, judged or len(paid) > 1 or request.fingerprint in self._unfinished

    async def _fix_loop_inner(self, step: Step, request: Request, context: dict[str, Any],
                              judged: bool = False, first: Result | None = None
                              ) -> tuple[Result, list[Result], bool]:
        """`first`: the journal's answer to start from instead of asking (one from before
        the job had a judge); it is journaled as the first attempt before the judge is
        asked, as a new answer is."""
        paid: list[Result] = []
        current = request
        problems: list[str] = []
        fields: dict[str, Any] | None = None
        earlier = [first] if first is not None else (
            self.journal.pending_attempts(request.fingerprint)
            if request.fingerprint in self._unfinished else [])
        for fix in range(step.fix_attempts + 1):
            resumed = fix < len(earlier)
            if resumed:
                result = earlier[fix]
            else:
                result = await self.runner.answer(current, follow_up=bool(fix or step.index))
            if result.status != "ok":
                if not paid or result.status == "skipped":
                    # Nothing paid, or the run stopped: the replies paid so far stay journaled
                    # as pending, and the next run picks the correction up from them.
                    return result, paid, False
                # A reply was paid for but its correction failed: keep it, flagged.
                why = result.error or result.status
                return _combined(request, paid, result, "flagged", fields,
                                 [*problems, f"not corrected: {why}"]), paid, False
            paid.append(result)
            verdict = step.validator.judge(result.output or "",
                                           finish_reason=result.finish_reason,
                                           refusal=result.refusal, context=context)
            fields, problems = verdict.fields, verdict.problems
            redaction = self._redactions.get(request.row_id)
            if redaction is not None and (made_up := redaction.unknown_placeholders(
                    result.output)):
                problems = [*problems, f"the reply has {', '.join(made_up)}, which the prompt "
                            "does not: use only the placeholders the prompt has"]
            if verdict.flags:
                return _combined(request, paid, result, "flagged", fields,
                                 verdict.flags + problems), paid, False
            if not problems and not judged:
                return _combined(request, paid, result, "ok", fields, []), paid, False
            if not problems:
                if not resumed or (first is not None and fix == 0):
                    self.record_attempt(result, fix)  # durable before the judge is asked
                judgement = await self._judged(request, result, fields, context)
                if judgement is None:  # the run stopped: the next run asks the judge
                    return replace(result, status="skipped", error="not judged: the run "
                                   "stopped"), paid, True
                if judgement.error is not None:
                    failed = _combined(request, paid, result, "failed", fields, [])
                    failed.error = f"not judged: {judgement.error}"
                    failed.transient = judgement.transient
                    return failed, paid, True
                if judgement.passed:
                    return _combined(request, paid, result, "ok", fields, []), paid, False
                problems = self.plan.judge.flags(judgement)  # type: ignore[union-attr]
                if fix < step.fix_attempts:
                    current = step.with_followup(
                        current, result.output or "",
                        self.plan.judge.critique(  # type: ignore[union-attr]
                            judgement, structured=bool(step.shape)))
                    continue
                return _combined(request, paid, result, "flagged", fields, problems), paid, False
            if fix < step.fix_attempts:
                if not resumed:
                    self.record_attempt(result, fix)
                current = step.with_followup(current, result.output or "",
                                             feedback(problems, structured=bool(step.shape)))
        return _combined(request, paid, paid[-1], "flagged", fields, problems), paid, False

    def _unrated(self, step: Step, request: Request, result: Result,
                 context: dict[str, Any]) -> bool:
        """Whether a held ok answer still wants the judge: it passes today's schema and
        gates (a gate changed since does not send it back: docs/judge.md) and the journal
        has no verdict on it, under its request's key or as the same judge prompt."""
        judge = self.plan.judge
        if judge is None or result.status != "ok":
            return False
        if self.journal.recorded_under(template_key(request.fingerprint)):
            return False
        verdict = step.validator.judge(result.output or "", finish_reason=result.finish_reason,
                                       refusal=result.refusal, context=context)
        if verdict.problems or verdict.flags:
            return False
        try:
            asked = judge.request(request.row_id, context, answer=result.output or "",
                                  fields=verdict.fields, task=task_text(request))
        except TemplateError:
            return False  # reported where the output reads the verdicts
        return self.journal.get(asked.fingerprint) is None

    async def _judged(self, request: Request, result: Result, fields: dict[str, Any] | None,
                      context: dict[str, Any]) -> Judgement | None:
        """The judge's verdict on one answer: from the journal when it holds one, else asked
        (and journaled under the writer request's key). None: the run stopped first."""
        judge = self.plan.judge
        assert judge is not None
        try:
            asked = judge.request(request.row_id, context, answer=result.output or "",
                                  fields=fields, task=task_text(request))
        except TemplateError as exc:
            return Judgement(error=f"the judge's prompt cannot be rendered: {exc}")
        stored = self.journal.get(asked.fingerprint)
        if stored is not None and self.reusable(stored):
            return judge.read(stored.result)
        pending = self._judging.get(asked.fingerprint)
        if pending is not None:  # the same verdict asked by another variant: wait for it
            return await asyncio.shield(pending)
        future: asyncio.Future[Judgement | None] = (
            asyncio.get_running_loop().create_future())
        self._judging[asked.fingerprint] = future
        try:
            judgement = await self._ask_judge(request, asked)
            future.set_result(judgement)
            return judgement
        finally:
            if not future.done():
                future.cancel()
            del self._judging[asked.fingerprint]

    async def _ask_judge(self, request: Request, asked: Request) -> Judgement | None:
        """A verdict not in the journal: collected from a batch, or asked now; journaled."""
        judge, runner = self.plan.judge, self.judge_runner
        assert judge is not None and runner is not None
        collected = (self.journal.pending_attempts(asked.fingerprint)
                     if asked.fingerprint in self._unfinished else [])
        # A verdict a batch brought back (batch mode) is read like one just asked for.
        answer = collected[-1] if collected else await runner.answer(asked, follow_up=True)
        if answer.status == "skipped":
            return None
        judgement = judge.read(answer)
        if answer.status == "ok" and judgement.error is not None:  # kept as the failure it is
            answer = replace(answer, status="failed", error=judgement.error)
        if self.record_judgement is not None:
            self.record_judgement(answer, request.fingerprint, bool(collected))
        if answer.transient:
            judgement = replace(judgement, transient=True)
        return judgement


def _combined(request: Request, paid: list[Result], last: Result, status: str,
              fields: dict[str, Any] | None, flags: list[str]) -> Result:
    """One result for a step: the last reply, with every paid attempt's tokens and cost."""
    costs = [r.cost_usd for r in paid]
    return Result(
        row_id=request.row_id, fingerprint=request.fingerprint,
        status=status,  # type: ignore[arg-type]
        output=paid[-1].output if paid else last.output,
        usage=sum((r.usage for r in paid), Usage()),
        cost_usd=None if any(c is None for c in costs) else sum(costs, Decimal(0)),
        model=paid[-1].model if paid else last.model,
        finish_reason=paid[-1].finish_reason if paid else last.finish_reason,
        latency_ms=sum(r.latency_ms or 0 for r in paid) + (
            0 if last in paid else (last.latency_ms or 0)),
        attempts=sum(r.attempts for r in paid) + (0 if last in paid else last.attempts),
        fields=fields, flags=flags, target=paid[-1].target if paid else last.target,
    )


def stored_judgement(plan: Plan, journal: Journal, row: Row, variant: Variant, step: Step,
                     context: dict[str, Any], result: Result,
                     paid_by: Callable[[Stored, Row], bool]) -> Judgement | None:
    """The judge's verdict on a stored answer (None: never judged), with what every round of
    judging this row cost this run. The verdicts on a request's answers are kept under its
    key, the last one on its final answer (a duplicate row shares its first's); a verdict
    reused from another request's (the same answer, the same judge prompt) is found by
    rendering the judge's request."""
    judge = plan.judge
    assert judge is not None
    verdicts = journal.recorded_under(template_key(result.fingerprint))
    final = verdicts[-1] if verdicts else None
    if final is None:
        try:
            task = task_text(step.request(row.id, context, endpoint=plan.endpoint,
                                          candidate=variant.candidate)) if judge.uses_task else ""
            asked = judge.request(row.id, context, answer=result.output or "",
                                  fields=result.fields, task=task)
        except TemplateError:
            return None
        final = journal.get(asked.fingerprint)
        if final is None:
            return None
    cost: Decimal | None = Decimal(0)
    usage = Usage()
    for verdict in verdicts:
        if paid_by(verdict, row):
            spent = verdict.result.cost_usd
            cost = None if cost is None or spent is None else cost + spent
            usage = usage + verdict.result.usage
    return replace(judge.read(final.result), cost_usd=cost, usage=usage)


def answers_from_journal(plan: Plan, journal: Journal, run_id: int,
                         digests: Digests | None = None, *,
                         paid_since: int | None = None,
                         reviews: Reviews | None = None) -> Iterator[RowAnswers]:
    """Each input row with the journal's answers, per variant and step. An answer shows its cost
    only when this run paid for it with this very row; answers from an earlier run or for an
    identical row are `cached`, at no cost to this run. With `paid_since`, runs from that id
    on count as this one (batch mode: the runs that collected and judged its batches). With
    `reviews`, approved and rejected rows show the answers reviewed, redone rows the redo's."""

    def stored_answer(row: Row, index: int, variant: Variant, step: Step,
                      context: dict[str, Any]) -> StepAnswer:
        steps = len(plan.chain(variant))
        fingerprint = digests.get(row, index, step.index, steps) if digests else None
        if fingerprint is None:
            try:
                fingerprint = step.request(row.id, context, endpoint=plan.endpoint,
                                           candidate=variant.candidate).fingerprint
            except TemplateError as exc:
                return _unrenderable(step, row, exc), False
        if reviews is not None:
            fingerprint = reviews.answered_by(row.id, variant.label, step.index, fingerprint)
        stored = journal.get(fingerprint)
        if stored is None:
            return None, False
        paid_here = paid_by(stored, row)
        result = stored.result if paid_here else replace(
            stored.result, cost_usd=Decimal(0) if stored.result.cost_usd is not None else None)
        if (plan.judge is not None and step.index == steps - 1 and result.output is not None
                and result.status in ("ok", "flagged")):
            result = replace(result, judge=stored_judgement(
                plan, journal, row, variant, step, context, result, paid_by))
        return result, not paid_here

    def paid_by(stored: Stored, row: Row) -> bool:
        """Whether this run paid for a stored answer with this very row."""
        this_run = (stored.run_id == run_id if paid_since is None
                    else stored.run_id >= paid_since)
        return this_run and stored.row_id == row.id

    def judged_as_reviewed(row: Row, variant: Variant,
                           answers: list[StepAnswer]) -> list[StepAnswer]:
        """An approved or rejected row's answers as reviewed, the last one with the judge's
        verdict on it (walk() hands them over whole, not step by step)."""
        steps = plan.chain(variant)
        last, reused = answers[-1]
        if (plan.judge is None or last is None or last.output is None
                or last.status not in ("ok", "flagged")):
            return answers
        earlier: dict[str, Any] = {}
        for step, (result, _) in zip(steps[:-1], answers, strict=False):
            if step.name and result is not None and result.status == "ok":
                earlier[step.name] = step.output_value(result)
        verdict = stored_judgement(plan, journal, row, variant, steps[-1],
                                   step_context(row, earlier), last, paid_by)
        return [*answers[:-1], (replace(last, judge=verdict), reused)]

    for row in plan.source:
        variants: list[list[StepAnswer]] = []
        for index, variant in enumerate(plan.variants):
            chain = walk(plan, row, variant, reviews)
            try:
                step, context = next(chain)
            except StopIteration as kept:  # approved or rejected: the answers reviewed
                variants.append(judged_as_reviewed(row, variant, kept.value))
                continue
            try:
                while True:
                    step, context = chain.send(stored_answer(row, index, variant, step,
                                                             context))
            except StopIteration as done:
                variants.append(done.value)
        yield row, variants
