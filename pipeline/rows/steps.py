"""A job's steps, compiled: template, model, output shape and gates, ready to build requests.

A one-step job is a chain of one. In a chain each step's template sees the row's columns and
every earlier step's output under that step's name (`{{ draft.title }}`, or `{{ draft }}` for a
plain-text step). Variants (several candidates, several models side by side) run the whole chain
once each; a variant's model replaces the job's model in steps that do not name their own.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..config import Job, StepSpec
from ..images import ImageAttacher, fingerprint_messages
from ..records import Request, Result
from ..tokens import TokenCounter
from .prompt_cache import cache_key, sends_cache_key
from .render import ROW_VARIABLE, PromptTemplate
from .validate import Gate, OutputShape, Validator

FINGERPRINT_VERSION = 1


def fingerprint(*, endpoint: str, model: str, messages: list[dict[str, Any]],
                params: dict[str, Any]) -> str:
    """A hash of everything that changes the answer: where it is sent, model, messages, params.
    An image counts as its bytes' sha256 and the size sent; text-only messages hash as ever."""
    parts = urlsplit(endpoint)
    where = parts.hostname or endpoint  # the host, not the full URL (no credentials, no paths)
    payload = json.dumps(
        {"v": FINGERPRINT_VERSION, "endpoint": where, "model": model,
         "messages": fingerprint_messages(messages),
         "params": params},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Variant:
    """One way of answering every row: a model and a candidate number (0 = the first)."""

    model: str
    candidate: int
    #: How the output names it ("" when the job has one variant).
    label: str
    #: The prompt version this variant asks with (None: the job's one template or steps).
    template: Path | None = None

    @property
    def key(self) -> str:
        """Which chain this variant runs: one per model and template."""
        return f"{self.model}|{self.template or ''}"


def variants_of(job: Job) -> list[Variant]:
    models = job.variant_models
    templates: list[Path | None] = list(job.templates) or [None]
    out = []
    for template in templates:
        for model in models:
            for candidate in range(job.candidates):
                number = str(candidate + 1) if job.candidates > 1 else ""
                named = f"{model}#{number}" if number else model
                label = named if len(models) > 1 else number
                if len(templates) > 1 and template is not None:
                    label = "/".join(p for p in (template.stem, label) if p)
                out.append(Variant(model=model, candidate=candidate, label=label,
                                   template=template))
    return out


class Step:
    """One compiled step of a chain, for one model."""

    def __init__(self, spec: StepSpec, *, index: int, job: Job, model: str,
                 counter: TokenCounter | None, where: str):
        self.name = spec.name  # None for a one-step job: its columns carry no step prefix
        self.index = index
        self.model = spec.model or model
        self.template = PromptTemplate.from_file(spec.template) if spec.template else None
        params = spec.params or job.params
        self.completion_cap = params.completion_cap
        self.shape = OutputShape.from_spec(spec, where)
        self._grammar_schema = self.shape.tightened(spec.checks) if self.shape else None
        self.validator = Validator(self.shape, Gate(spec.checks, self.shape,
                                                    markers=spec.check_markers, where=where))
        self.fix_attempts = spec.fix_attempts
        self.counter = counter
        #: Checks and attaches images; the job's image columns go to the first step only.
        self.images = ImageAttacher(base=job.input.parent, detail=job.image_detail,
                                    max_side=job.max_image_side,
                                    columns=job.images if index == 0 else ())
        text = spec.template.read_bytes() if spec.template and spec.template.exists() else b""
        #: Groups the journal's answers to this template and model (for expected lengths).
        self.key = hashlib.sha256(text + b"\0" + self.model.encode()).hexdigest()[:16]
        self._params = params.as_request()
        self._fingerprint_params = dict(self._params)
        #: prompt_cache_key: sent (where it applies) but not part of the fingerprint.
        self._cache_setting = job.prompt_cache_key
        self._cache_key = cache_key(job.prompt_cache_key, job.stem, self.key)
        if self.shape is not None:
            self._fingerprint_params["response_schema"] = {
                "schema": self.shape.schema, "strict": self.shape.strict}

    @property
    def uses_images(self) -> bool:
        """Whether this step's requests carry images (image() or the job's image columns)."""
        return bool(self.images.columns) or bool(self.template and self.template.uses_images)

    @property
    def field_names(self) -> list[str] | None:
        """The output columns of a structured step (None: it answers in text)."""
        return self.shape.fields if self.shape else None

    def request(self, row_id: str, context: dict[str, Any], *, endpoint: str,
                candidate: int = 0) -> Request:
        """Render this step for one row (raises TemplateError)."""
        assert self.template is not None
        messages = self.images.attach(self.template.render_messages(context),
                                      context.get(ROW_VARIABLE, {}))
        params = self._fingerprint_params
        if candidate:  # the first candidate is the plain request: adding variants reuses it
            params = {**params, "candidate": candidate}
        return Request(
            row_id=row_id, model=self.model, messages=messages,
            params=({**self._params, "prompt_cache_key": self._cache_key}
                    if sends_cache_key(self._cache_setting, endpoint) else self._params),
            fingerprint=fingerprint(endpoint=endpoint, model=self.model, messages=messages,
                                    params=params),
            prompt_tokens=self.counter.messages(messages) if self.counter else 0,
            completion_cap=self.completion_cap,
            response_schema=self.shape.schema if self.shape else None,
            strict_schema=self.shape.strict if self.shape else True,
            grammar_schema=self._grammar_schema,
        )

    def output_value(self, result: Result) -> Any:
        """What later steps see of this step's answer: its fields, or its text."""
        if self.shape is not None:
            return result.fields or {}
        return result.output or ""

    def placeholder(self) -> Any:
        """A stand-in answer for pre-flight checks of the steps after this one."""
        return self.shape.placeholder() if self.shape else "text"

    def with_followup(self, request: Request, reply: str, message: str) -> Request:
        """The request again, with the model's reply and our follow-up appended."""
        messages = [*request.messages, {"role": "assistant", "content": reply},
                    {"role": "user", "content": message}]
        return Request(
            row_id=request.row_id, model=request.model, messages=messages,
            params=request.params, fingerprint=request.fingerprint,
            prompt_tokens=self.counter.messages(messages) if self.counter else 0,
            completion_cap=request.completion_cap, response_schema=request.response_schema,
            strict_schema=request.strict_schema, grammar_schema=request.grammar_schema)


def compile_steps(job: Job, model: str, counters: dict[str, TokenCounter] | None,
                  template: Path | None = None) -> list[Step]:
    """The job's chain for one model (counters: per model name, None when not counting), and
    for one of its prompt versions when it compares several."""
    steps = []
    specs = job.step_specs
    if template is not None:
        specs = [specs[0].model_copy(update={"template": template})]
    for index, spec in enumerate(specs):
        step_model = spec.model or model
        counter = None
        if counters is not None:
            counter = counters.setdefault(step_model, TokenCounter(step_model))
        where = f"step '{spec.name}'" if spec.name else "job"
        steps.append(Step(spec, index=index, job=job, model=model, counter=counter,
                          where=where))
    return steps
