"""Pre-flight: read every row, render every prompt, and refuse the job before any spend.

Everything knowable without a network call is checked in one streaming pass: the input reads,
the templates parse, every variable they use exists, every row renders (later steps of a chain
with stand-ins for the earlier steps' answers), ids are unique, output columns do not collide.
The run then streams the rows again (nothing is held in memory).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import defaults
from ..config import Job
from ..errors import ConfigError, ImageError, InputError, PreflightError, TemplateError
from ..records import Request, Row
from ..tokens import TokenCounter
from .judge import Judge
from .prompt_cache import ROWS_COMPARED, prefix_advice
from .redact import Redactor
from .render import PromptTemplate, template_context
from .sinks import Layout
from .sources import IdCheck, Source, open_source
from .steps import Step, Variant, compile_steps, fingerprint, variants_of

__all__ = ["Checked", "Plan", "build_plan", "fingerprint"]


@dataclass(frozen=True)
class Checked:
    """What pre-flight's pass over the rows found, so that later passes over the same job in
    one command (batch mode's: set aside, judge, write) skip reading and rendering every row
    again while the input file is unchanged (its size and modification time)."""

    stamp: tuple[int, int] | None
    rows: int
    prompt_tokens: int
    notes: tuple[str, ...]


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


@dataclass
class Plan:
    """A job that passed pre-flight: its source, its variants, and each variant's chain."""

    job: Job
    source: Source
    endpoint: str
    variants: list[Variant]
    chains: dict[str, list[Step]]
    counters: dict[str, TokenCounter] | None
    rows: int = 0
    prompt_tokens: int = 0
    #: Advice found in pre-flight (how to earn the cached-input rate), for the summary.
    notes: list[str] = field(default_factory=list)
    #: The judge rating each variant's last answer (None: the job has none).
    judge: Judge | None = None
    layout: Layout = field(init=False)

    def __post_init__(self) -> None:
        self.layout = Layout.for_job(self.job, self.source.columns, self.steps,
                                     [v.label for v in self.variants],
                                     judged=list(self.judge.criteria) if self.judge else [])

    def checked(self) -> Checked:
        """This pre-flight's findings, for later passes of the same command."""
        return Checked(_stamp(self.job.input), self.rows, self.prompt_tokens, tuple(self.notes))

    @property
    def steps(self) -> list[Step]:
        """The chain of the first variant (every variant's chain has the same steps)."""
        return self.chains[self.variants[0].key]

    @property
    def counter(self) -> TokenCounter | None:
        """The first step's token counter (its exactness stands for the job's)."""
        return self.steps[0].counter

    def chain(self, variant: Variant) -> list[Step]:
        return self.chains[variant.key]

    def first_request(self, row: Row, variant: Variant) -> Request:
        """Render the chain's first step for one row (raises TemplateError)."""
        step = self.chain(variant)[0]
        return step.request(row.id, step_context(row, {}), endpoint=self.endpoint,
                            candidate=variant.candidate)


def step_context(row: Row, earlier: dict[str, Any]) -> dict[str, Any]:
    """What a step's templates see: the row's columns, `row`, and earlier steps' outputs."""
    return template_context(row.prompt_fields, earlier)


def build_plan(job: Job, *, endpoint: str, count_tokens: bool = True,
               checked: Checked | None = None) -> Plan:
    """Check every row of the job, or raise listing the rows that cannot be sent. `checked`:
    an earlier pre-flight of this command over the same input, taken as it is while the input
    file has not changed since (the rows are not read again)."""
    source = open_source(job.input, id_column=job.id_column, limit=job.limit)
    if job.sample is not None:
        source.sample(job.sample, job.sample_seed)
    if job.rows:
        source.only(job.rows)
    if job.redact or job.redact_regex:
        source.redactor = Redactor(job.redact, job.redact_regex,
                                   columns=job.redact_columns or None,
                                   phone_region=job.redact_phone_region)
    variants = variants_of(job)
    counters: dict[str, TokenCounter] | None = {} if count_tokens else None
    chains = {v.key: compile_steps(job, v.model, counters, v.template) for v in variants}
    steps = chains[variants[0].key]
    for chain in {id(c): c for c in chains.values()}.values():
        _check_names(job, source, chain)
    _check_images(job, source, steps)
    judge = Judge.of(job, count_tokens=count_tokens)
    if judge is not None:
        last = steps[-1]
        judge.check_names({*source.columns, *(s.name for s in steps[:-1] if s.name),
                           *(last.field_names or [])}, where=f"input {job.input}")

    plan = Plan(job=job, source=source, endpoint=endpoint, variants=variants, chains=chains,
                counters=counters, judge=judge)
    clashes = sorted(set(source.columns) & set(plan.layout.added_columns))
    if clashes:
        raise InputError(
            f"input {job.input} already has column(s) {', '.join(clashes)}, which the output "
            "adds too. Set column_prefix (e.g. --set column_prefix=llm_) to keep both."
        )
    if checked is not None and checked.stamp is not None and checked.stamp == _stamp(job.input):
        plan.rows, plan.prompt_tokens = checked.rows, checked.prompt_tokens
        plan.notes = list(checked.notes)
        return plan
    placeholders = {s.name: s.placeholder() for s in steps if s.name}
    ids = IdCheck(job.id_column)
    bad_ids, bad_rows, bad_images = _Problems(), _Problems(), _Problems()
    wanted, found = set(job.rows or ()), set()  # --rows: the ids asked for that exist
    compared: list[list[dict[str, Any]]] = []
    for row in source:
        plan.rows += 1
        if row.id in wanted:
            found.add(row.id)
        problem = ids.problem(row)
        if problem:
            bad_ids.add(problem)
            continue
        step = steps[0]
        try:
            for variant in variants:
                first = plan.first_request(row, variant)
                plan.prompt_tokens += first.prompt_tokens
                if variant is variants[0] and len(compared) < ROWS_COMPARED:
                    compared.append(first.messages)
            earlier: dict[str, Any] = {}
            for step in steps:
                context = step_context(row, earlier)
                if step.index:
                    step.request(row.id, context, endpoint=endpoint)
                step.validator.gate.render_includes(context)
                if step.name:
                    earlier[step.name] = placeholders[step.name]
        except ImageError as exc:
            where = f"step '{step.name}': " if step.name else ""
            bad_images.add(f"row {row.number} (id {row.id}): {where}{exc}")
            continue
        except TemplateError as exc:
            where = f"step '{step.name}': " if step.name else ""
            bad_rows.add(f"row {row.number} (id {row.id}): {where}{exc}")
            continue
        if judge is not None:  # its questions and prompt render for this row too
            stand_in = step.placeholder()
            try:
                judge.request(row.id, context, answer=str(stand_in), task="task",
                              fields=stand_in if isinstance(stand_in, dict) else None)
            except TemplateError as exc:
                bad_rows.add(f"row {row.number} (id {row.id}): [judge]: {exc}")
    if job.rows and (missing := [r for r in job.rows if r not in found]):
        what = f"in column '{job.id_column}'" if job.id_column else "(row numbers: set id_column)"
        raise InputError(f"--rows: no row of {job.input} has the id(s) {', '.join(missing)} "
                         f"{what}; nothing was sent")
    if plan.rows == 0:
        raise InputError(f"input {job.input} has no data rows: nothing to do")
    if (advice := prefix_advice(compared, steps[0].counter)) is not None:
        plan.notes.append(advice)
    if source.redactor is not None:  # counted over pre-flight's one pass
        plan.notes.append(source.redactor.describe())
    if bad_ids.count:
        raise PreflightError(
            f"input {job.input}: the id column '{job.id_column}' must hold a unique value on "
            "every row:", bad_ids.shown, bad_ids.count)
    if bad_rows.count:
        what = f"template {job.template}" if job.template else "the steps' templates"
        raise PreflightError(
            f"{what} cannot be rendered for {bad_rows.count} of "
            f"{plan.rows} row(s) of {job.input}:", bad_rows.shown, bad_rows.count)
    if bad_images.count:
        raise PreflightError(
            f"the images of {bad_images.count} of {plan.rows} row(s) of {job.input} cannot be "
            "sent:", bad_images.shown, bad_images.count)
    return plan


def _check_images(job: Job, source: Source, steps: list[Step]) -> None:
    """The job's image columns exist, and images go only to a model that reads them."""
    missing = [c for c in job.images if c not in source.columns]
    if missing:
        raise InputError(f"images names {', '.join(repr(m) for m in missing)} but input "
                         f"{job.input} has no such column. Columns: {', '.join(source.columns)}")
    refuse_images_on_text_models(job)


def refuse_images_on_text_models(job: Job) -> None:
    """The embedded model reads text only: a job that attaches images is refused, before its
    provider is even built (so the message is this one, not one about installing it)."""
    if job.provider_info.reads_images:
        return
    templates = [spec.template for spec in job.step_specs if spec.template is not None]
    templates += list(job.templates)
    in_template = any(path.exists() and PromptTemplate.from_file(path).uses_images
                      for path in templates)
    if job.images or in_template:
        raise ConfigError(
            f"the embedded model reads text only: this job attaches images ("
            f"{'images = ' + str(job.images) if job.images else 'image() in a template'}). "
            "Run it on a model that reads images (e.g. --model gpt-4o-mini), or leave the "
            "images out. Nothing was sent.")


def _check_names(job: Job, source: Source, steps: list[Step]) -> None:
    """Every variable a template uses is a column or an earlier step; no step hides a column."""
    known = set(source.columns)
    for step in steps:
        assert step.template is not None
        missing = step.template.missing_columns(known)
        if missing:
            earlier = [s.name for s in steps[:step.index] if s.name]
            also = f" or earlier step ({', '.join(earlier)})" if earlier else ""
            raise InputError(
                f"template {step.template.name} uses {', '.join(repr(m) for m in missing)} but "
                f"input {job.input} has no such column{also}. Columns: "
                f"{', '.join(source.columns)}. Rename the column or the variable; a column "
                "whose name is not an identifier is reached as row[\"Column Name\"]."
            )
        if step.name:
            if step.name in known:
                raise InputError(f"step '{step.name}' has the name of a column of {job.input}: "
                                 "rename the step (templates would not see the column)")
            known.add(step.name)


class _Problems:
    """The first few problems in full and a count of all (memory does not grow with input)."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.count = 0

    def add(self, problem: str) -> None:
        self.count += 1
        if len(self.shown) < defaults.PREFLIGHT_SHOWN:
            self.shown.append(problem)
