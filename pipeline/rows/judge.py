"""The judge: a second model rates each final answer against a rubric (docs/judge.md).

A judge request is an ordinary request (its own model, endpoint, prices and limits; journaled
under its own fingerprint, so never paid twice), rendered with the same sandboxed, strict Jinja
as the job's templates and answered in the structured output the job's own steps use: per
criterion a score (1-5, or yes/no) and a one-line reason, and an overall reason. An answer
below the overall threshold or a criterion's own goes back to the writer with the critique
(rows/chain.py); the verdicts are recorded under `template_key(writer's fingerprint)`, so the
output finds what judging each row cost however many rounds it took.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..config import Criterion, Job, JudgeSettings
from ..errors import ConfigError
from ..records import Request, Result, Usage
from ..tokens import TokenCounter
from .render import ROW_VARIABLE, PromptTemplate
from .steps import fingerprint
from .validate import OutputShape

#: The rubric used when [judge] names no criteria (`--judge MODEL` alone).
DEFAULT_CRITERIA: dict[str, Criterion] = {
    "faithful": Criterion(
        question="Does the answer state only what the input supports: nothing invented, "
                 "nothing contradicted?", scale="yes/no", threshold=True),
    "clear": Criterion(
        question="Is the answer clear, fluent and free of spelling and grammar mistakes?",
        threshold=3),
    "specific": Criterion(
        question="Is the answer specific to this input and complete for its purpose, rather "
                 "than generic filler?", threshold=3),
}
#: Names a criterion cannot take: the judge's own columns and reply keys.
RESERVED = ("score", "reason", "cost_usd")
#: Variables a judge prompt or question sees besides the row's columns and the answer's fields.
JUDGE_VARIABLES = ("answer", "task", "criteria")
#: Completion tokens a judge reply may use when [judge].params sets no max_tokens: room for
#: a score and a one-line reason per criterion, and the overall line.
CAP_BASE, CAP_PER_CRITERION = 120, 80

RUBRIC = """\
{% block system %}You are a strict, fair reviewer of generated text. You rate one answer \
against each criterion given, using only what you are shown, and reply with JSON only: for \
each criterion its score and a one-line reason, and a one-line overall reason.{% endblock %}
{% block user %}The input the answer was written from:
{% for name, value in row.items() %}- {{ name }}: {{ value }}
{% endfor %}
The answer to rate:
<answer>
{{ answer }}
</answer>

Criteria:
{% for c in criteria %}- {{ c.name }} ({{ c.scale }}): {{ c.question }}
{% endfor %}
Score 1-5 criteria from 1 (poor) to 5 (excellent); answer yes/no criteria with yes or no.\
{% endblock %}
"""

SCALE_WORDS = {"1-5": "score 1-5", "yes/no": "yes or no"}


def template_key(writer_fingerprint: str) -> str:
    """The journal's template key of the verdicts on one writer request's answers."""
    return f"judge:{writer_fingerprint}"


@dataclass(frozen=True)
class Judgement:
    """The judge's verdict on one answer, and what judging it cost (every round's)."""

    scores: dict[str, int | str] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    #: The mean over the criteria (a yes counts 5, a no 1); None: not rated.
    score: float | None = None
    reason: str = ""
    #: The criteria (and the overall score) below their thresholds, one sentence each.
    below: list[str] = field(default_factory=list)
    #: Why there is no verdict (the judge's request failed, or its reply did not parse).
    error: str | None = None
    #: The judge's request failed for the endpoint's reasons: the next run asks again.
    transient: bool = False
    #: What judging this answer cost this run (every round's verdicts), and their tokens.
    cost_usd: Decimal | None = Decimal(0)
    usage: Usage = field(default_factory=Usage)

    @property
    def passed(self) -> bool:
        return self.error is None and not self.below


def judge_schema(criteria: Mapping[str, Criterion]) -> dict[str, Any]:
    """The JSON the judge replies with: per criterion a score and a reason, then a reason."""
    def rated(criterion: Criterion) -> dict[str, Any]:
        score = ({"type": "integer", "enum": [1, 2, 3, 4, 5]} if criterion.scale == "1-5"
                 else {"type": "string", "enum": ["yes", "no"]})
        return {"type": "object", "properties": {"score": score, "reason": {"type": "string"}},
                "required": ["score", "reason"], "additionalProperties": False}

    properties = {name: rated(c) for name, c in criteria.items()}
    properties["reason"] = {"type": "string"}
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}


class Judge:
    """A job's judge, compiled: its rubric, questions, reply shape and request parameters."""

    def __init__(self, settings: JudgeSettings, *, endpoint: str, count_tokens: bool):
        self.model = settings.model
        self.endpoint = endpoint
        self.criteria = dict(settings.criteria or DEFAULT_CRITERIA)
        for name in self.criteria:
            if not name.isidentifier() or name in RESERVED:
                raise ConfigError(f"[judge] criteria.{name}: a criterion's name heads its "
                                  f"column judge_{name}: use letters, digits and _, and none "
                                  f"of {', '.join(RESERVED)}")
        self.threshold = settings.threshold
        self.questions = {name: PromptTemplate(c.question,
                                               name=f"[judge] criteria.{name}.question")
                          for name, c in self.criteria.items()}
        self.template = (PromptTemplate.from_file(settings.template) if settings.template
                         else PromptTemplate(RUBRIC, name="the judge's built-in rubric"))
        self.shape = OutputShape(judge_schema(self.criteria), strict=True, where="[judge]")
        params = settings.params
        if params.completion_cap is None:
            params = params.model_copy(update={
                "max_tokens": CAP_BASE + CAP_PER_CRITERION * len(self.criteria)})
        self.completion_cap = params.completion_cap
        self._params = params.as_request()
        self._fingerprint_params = {**self._params, "response_schema": {
            "schema": self.shape.schema, "strict": True}}
        self.counter = TokenCounter(self.model) if count_tokens else None

    @classmethod
    def of(cls, job: Job, *, count_tokens: bool) -> Judge | None:
        """The job's judge (None: it has none), its endpoint the one its target sends to."""
        if job.judge is None:
            return None
        from ..send.fallbacks import target_job
        from ..send.providers import endpoint_for

        target = target_job(job, job.judge, what="[judge]")
        return cls(job.judge, endpoint=endpoint_for(target), count_tokens=count_tokens)

    @property
    def uses_task(self) -> bool:
        """Whether the prompt or a question quotes the writer's request (`task`)."""
        return any("task" in t.variables for t in (self.template, *self.questions.values()))

    @property
    def columns(self) -> list[str]:
        """The judge's output columns (unprefixed)."""
        return [*(f"judge_{name}" for name in self.criteria), "judge_score", "judge_reason",
                "judge_cost_usd"]

    def check_names(self, known: set[str], *, where: str) -> None:
        """Pre-flight: every variable of the questions and the prompt is a column, an earlier
        step, an answer field or one of the judge's own; else ConfigError naming it (exit 2)."""
        known = known | set(JUDGE_VARIABLES) | {ROW_VARIABLE}
        for name, question in self.questions.items():
            if missing := question.missing_columns(known):
                raise ConfigError(f"[judge] criteria.{name}.question uses "
                                  f"{', '.join(repr(m) for m in missing)}, which is no column "
                                  f"of {where}, no field of the answer and none of "
                                  f"{', '.join(JUDGE_VARIABLES)}")
        if missing := self.template.missing_columns(known):
            raise ConfigError(f"[judge] template {self.template.name} uses "
                              f"{', '.join(repr(m) for m in missing)}, which is no column of "
                              f"{where}, no field of the answer and none of "
                              f"{', '.join(JUDGE_VARIABLES)}")

    def request(self, row_id: str, context: Mapping[str, Any], *, answer: str,
                fields: Mapping[str, Any] | None, task: str) -> Request:
        """The judge's request on one answer (raises TemplateError). `context` is what the
        answering step's template saw; the answer's fields join it by name."""
        seen = {**context, **(fields or {}), "answer": answer, "task": task}
        seen["criteria"] = [
            {"name": name, "scale": SCALE_WORDS[c.scale],
             "question": self.questions[name].render_text(seen)}
            for name, c in self.criteria.items()]
        messages = self.template.render_messages(seen)
        return Request(
            row_id=row_id, model=self.model, messages=messages, params=self._params,
            fingerprint=fingerprint(endpoint=self.endpoint, model=self.model,
                                    messages=messages, params=self._fingerprint_params),
            prompt_tokens=self.counter.messages(messages) if self.counter else 0,
            completion_cap=self.completion_cap, response_schema=self.shape.schema,
            strict_schema=True)

    def read(self, result: Result) -> Judgement:
        """The verdict a judge's reply holds (an error when it holds none)."""
        if result.status != "ok":
            return Judgement(error=result.error or f"the judge's request {result.status}")
        parsed, problems = self.shape.parse(result.output or "")
        if problems or parsed is None:
            return Judgement(error="the judge's reply is not the JSON asked: "
                                   + "; ".join(problems))
        scores = {name: parsed[name]["score"] for name in self.criteria}
        reasons = {name: str(parsed[name]["reason"]).strip() for name in self.criteria}
        values = [5 if s == "yes" else 1 if s == "no" else int(s) for s in scores.values()]
        mean = round(sum(values) / len(values), 2)
        below = []
        for name, criterion in self.criteria.items():
            score, threshold = scores[name], criterion.threshold
            if criterion.scale == "yes/no" and threshold is True and score == "no":
                below.append(f"{name}: no ({reasons[name]})")
            elif (criterion.scale == "1-5" and threshold is not None
                  and not isinstance(threshold, bool) and int(score) < threshold):
                below.append(f"{name}: {score}/5, below {threshold:g} ({reasons[name]})")
        overall = str(parsed.get("reason", "")).strip()
        if self.threshold is not None and mean < self.threshold:
            below.append(f"overall: {mean:g}/5, below {self.threshold:g} ({overall})")
        return Judgement(scores=scores, reasons=reasons, score=mean, reason=overall,
                         below=below)

    @staticmethod
    def critique(judgement: Judgement, *, structured: bool) -> str:
        """The follow-up that sends an answer below the bar back to its writer."""
        listed = "\n".join(f"- {line}" for line in judgement.below)
        how = ("Reply again with the whole improved answer as one JSON object in the same "
               "format." if structured else
               "Reply again with the whole improved answer, and nothing else.")
        return (f"A reviewer rated your answer below the bar:\n{listed}\n"
                f"Overall: {judgement.reason}\n{how}")

    @staticmethod
    def flags(judgement: Judgement) -> list[str]:
        """Why a row is flagged after its last round with the judge."""
        if judgement.error is not None:
            return [f"not judged: {judgement.error}"]
        return [f"judge: {line}" for line in judgement.below]


def task_text(request: Request) -> str:
    """The writer's request as the judge may quote it (`task`): its last user message."""
    content = next((m.get("content") for m in reversed(request.messages)
                    if m.get("role") == "user"), "")
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content
                        if isinstance(p, dict) and p.get("type") == "text")
    return str(content or "")
