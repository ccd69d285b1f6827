"""Translate a catalog into several languages, many entries per request, never writing a
broken string.

Entries that need a translation are packed into requests (up to `batch_entries` and an
estimate of `batch_output_tokens` completion tokens), each asking for a JSON list of
{id, forms}. A reply is trusted entry by entry: an id that is missing, repeated or unknown, a
wrong number of plural forms, or a translation that loses a placeholder, a tag or the source's
leading/trailing whitespace sends that entry to be retried alone, with the problem stated; after
`fix_attempts` such retries it is left untranslated and listed in the report. Every request goes
through the same runner (rate limits, retries, budget) and journal (a rerun pays for nothing it
already has) as row jobs; the target catalogs are written at the end, atomically.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from tqdm import tqdm

from .. import defaults, manifest
from ..budget import Budget
from ..config import TranslateJob
from ..errors import CatalogWriteError, ConfigError, TemplateError
from ..job_lock import job_lock
from ..jobs import (
    batch_run_time,
    begin_run,
    budget_for,
    check_notify_secrets,
    end_run,
    make_pricer,
    make_runner,
    record_run,
    reusable,
    run_until_done,
)
from ..journal import Journal
from ..providers import create_provider
from ..records import Request, Result, Usage
from ..render import PromptTemplate
from ..report import (
    EXIT_OK,
    EXIT_ROWS_FAILED,
    EXIT_STOPPED,
    batch_time,
    format_cost,
    format_usd,
)
from ..run_log import RunLog
from ..runner import Runner
from ..sinks import atomic_write
from ..steps import fingerprint
from ..tokens import TokenCounter
from ..validate import OutputShape
from . import Catalog, Entry, Form, Target, open_catalog, target_path
from .anchors import choose_anchor, entry_id, split_id
from .languages import language_name
from .placeholders import problems as placeholder_problems
from .protected import protected_tokens

TRANSLATIONS_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["translations"],
    "properties": {"translations": {"type": "array", "items": {
        "type": "object", "additionalProperties": False, "required": ["id", "forms"],
        "properties": {"id": {"type": "string"},
                       "forms": {"type": "array", "items": {"type": "string"}}}}}}}
_SHAPE = OutputShape(TRANSLATIONS_SCHEMA, strict=True, where="translations")


@dataclass
class Unit:
    """One entry as sent: its number and anchor in the request (its id, see anchors.py), and
    the forms its translation must have."""

    number: int
    anchor: str
    entry: Entry
    forms: list[Form]
    previous: list[str] | None = None
    problems: list[str] = field(default_factory=list)
    #: Which try alone this is (0: in a packed request).
    attempt: int = 0

    @property
    def id(self) -> str:
        return entry_id(self.number, self.anchor)

    def prompt_view(self) -> dict[str, Any]:
        """What the template shows the model of this entry."""
        e = self.entry
        view: dict[str, Any] = {"id": self.id, "text": e.source}
        if e.plural:
            view["plural_text"] = e.source_plural
        keep = list(dict.fromkeys(protected_tokens(e.source + "\n" + (e.source_plural or ""))))
        if keep:
            view["keep"] = keep
        view["forms"] = [f"{f.name}: {f.use}" if f.use else f.name for f in self.forms]
        if e.context:
            view["context"] = e.context
        notes = [*e.comments, *(f"used in {r}" for r in e.references[:3])]
        if notes:
            view["notes"] = notes
        if self.previous is not None:
            view["previous_attempt"] = self.previous
        if self.problems:
            view["problems"] = self.problems
        if self.attempt:
            # Numbered, so a second try that would otherwise read the same as the first is
            # asked again rather than answered from the journal with the same refused reply.
            view["attempt"] = self.attempt
        return view


@dataclass
class LanguageReport:
    """What happened to one target language."""

    language: str
    path: Path
    #: The plural rule the target is written with and where it came from.
    plural_rule: str = ""
    needed: int = 0
    translated: int = 0
    retried: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)
    not_sent: int = 0
    requests: int = 0
    entries_sent: int = 0
    usage: Usage = field(default_factory=Usage)
    cost_usd: Decimal | None = Decimal(0)
    unknown_ids: int = 0
    #: Reply items whose number and anchor belong to different entries (out of step).
    misaligned: int = 0

    def add(self, result: Result) -> None:
        u = result.usage
        self.usage += u
        if result.cost_usd is None and (u.prompt_tokens or u.completion_tokens):
            self.cost_usd = None
        elif self.cost_usd is not None and result.cost_usd is not None:
            self.cost_usd += result.cost_usd

    @property
    def per_request(self) -> float:
        return self.entries_sent / self.requests if self.requests else 0.0

    def lines(self) -> list[str]:
        cost = "unknown" if self.cost_usd is None else f"${format_usd(self.cost_usd)}"
        lines = [
            f"{self.language}: {self.path}",
            *([f"  plurals: {self.plural_rule}"] if self.plural_rule else []),
            f"  entries: {self.needed} to translate: {self.translated} translated "
            f"({self.retried} of them after a retry alone), {len(self.refused)} left for "
            f"review" + (f", {self.not_sent} not sent (the run stopped)" if self.not_sent else ""),
            f"  requests: {self.requests} for {self.entries_sent} entries "
            f"({self.per_request:.1f} entries per request)",
            f"  tokens: {self.usage.prompt_tokens} in, {self.usage.completion_tokens} out; "
            f"cost {cost}",
        ]
        if self.unknown_ids:
            lines.append(f"  ignored {self.unknown_ids} reply item(s) with an id not asked for")
        if self.misaligned:
            lines.append(f"  refused {self.misaligned} reply item(s) that carried another "
                         "entry's anchor (answers out of step): those entries were retried "
                         "alone")
        for key, reason in self.refused:
            lines.append(f"  left for review: {key}: {reason}")
        return lines


@dataclass
class TranslateReport:
    languages: list[LanguageReport]
    elapsed_s: float
    stopped: str | None = None
    notes: list[str] = field(default_factory=list)
    #: Batch mode: the batches the batch run created (elapsed_s then runs from the first
    #: one's submission); None: online.
    batches: int | None = None

    @property
    def exit_code(self) -> int:
        if self.stopped:
            return EXIT_STOPPED
        if any(r.refused or r.not_sent for r in self.languages):
            return EXIT_ROWS_FAILED
        return EXIT_OK

    def summary(self) -> str:
        lines = [line for r in self.languages for line in r.lines()]
        lines.append(f"time: {self.elapsed_s:.1f}s" if self.batches is None
                     else batch_time(self.elapsed_s, self.batches))
        lines += self.notes
        if self.stopped:
            lines.append(f"stopped early: {self.stopped}")
            lines.append("to continue, run the same command again: answers already bought "
                         "come from the journal")
        return "\n".join(lines)


def _grammar(units: list[Unit]) -> dict[str, Any]:
    """The schema tightened for grammar-based decoding (the embedded model): exactly these
    ids, once each, and texts of a sane length, so a small model cannot ramble past its
    token cap or invent ids. Servers get the plain schema."""
    longest = max(len(u.entry.source_plural or u.entry.source) for u in units)
    item = {"type": "object", "additionalProperties": False, "required": ["id", "forms"],
            "properties": {"id": {"type": "string", "enum": [u.id for u in units]},
                           "forms": {"type": "array", "items": {
                               "type": "string", "maxLength": 3 * longest + 40}}}}
    counts = {len(u.forms) for u in units}
    if len(counts) == 1:  # every entry needs the same number of forms: say how many
        item["properties"]["forms"]["minItems"] = item["properties"]["forms"]["maxItems"] = (
            counts.pop())
    return {"type": "object", "additionalProperties": False, "required": ["translations"],
            "properties": {"translations": {"type": "array", "items": item,
                                            "minItems": len(units), "maxItems": len(units)}}}


def _display_key(entry: Entry) -> str:
    text = entry.source if len(entry.source) <= 60 else entry.source[:57] + "..."
    where = f" ({entry.context})" if entry.context and entry.context != entry.source else ""
    return json.dumps(text, ensure_ascii=False) + where


def _template(job: TranslateJob) -> PromptTemplate:
    if job.template is not None:
        return PromptTemplate.from_file(job.template)
    text = resources.files("pipeline").joinpath("templates/translate_catalog.j2").read_text(
        encoding="utf-8")
    return PromptTemplate(text, name="translate_catalog.j2 (built in)")


def _glossary(job: TranslateJob) -> str:
    if job.glossary is None:
        return ""
    try:
        return job.glossary.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"glossary {job.glossary} cannot be read: {exc}") from None


class _Language:
    """One target language's state during a run."""

    def __init__(self, code: str, target: Target, report: LanguageReport):
        self.code = code
        self.target = target
        self.report = report


class CatalogTranslator:
    """Builds the requests, judges the replies, and fills the targets."""

    def __init__(self, job: TranslateJob, catalog: Catalog, *, endpoint: str,
                 counter: TokenCounter | None, output_cap: int):
        self.job = job
        self.catalog = catalog
        self.endpoint = endpoint
        self.counter = counter
        self.output_cap = output_cap
        self.template = _template(job)
        self.glossary = _glossary(job)
        self.source_name = language_name(job.from_)
        params = job.params.as_request()
        params.pop("max_tokens", None)
        params.pop("max_completion_tokens", None)
        self.params = {**params, "max_tokens": output_cap}

    def bind(self, runner: Runner, journal: Journal, run_id: int) -> None:
        """Where requests go and answers are kept, once pre-flight has passed."""
        self.runner = runner
        self.journal = journal
        self.run_id = run_id
        self.reuse = reusable(self.job)

    # -- requests ------------------------------------------------------------------------------
    def request(self, language: str, units: list[Unit]) -> Request:
        views = [u.prompt_view() for u in units]
        context = {"source_language": self.source_name,
                   "target_language": language_name(language), "target_code": language,
                   "format": self.catalog.format_name, "entries": views,
                   "entry_lines": [json.dumps(v, ensure_ascii=False) for v in views],
                   "glossary": self.glossary, "style": self.job.style}
        messages = self.template.render_messages(context)
        return Request(
            row_id=f"{language}:{units[0].entry.key}"[:200], model=self.job.model,
            messages=messages, params=self.params,
            fingerprint=fingerprint(endpoint=self.endpoint, model=self.job.model,
                                    messages=messages, params={**self.params,
                                                               "response_schema":
                                                                   TRANSLATIONS_SCHEMA}),
            prompt_tokens=self.counter.messages(messages) if self.counter else 0,
            completion_cap=self.output_cap, response_schema=TRANSLATIONS_SCHEMA,
            grammar_schema=_grammar(units))

    def expected_output(self, unit: Unit) -> int:
        """Completion tokens a unit's translation is likely to take (for packing)."""
        text = unit.entry.source_plural or unit.entry.source
        tokens = self.counter.text(text) if self.counter else max(1, len(text) // 3)
        return len(unit.forms) * (2 * tokens + 8) + 12

    def batches(self, language: _Language, entries: list[Entry]) -> Iterator[list[Unit]]:
        """Entries packed into requests: up to batch_entries and within the output budget;
        each gets an anchor no other entry of its request has."""
        batch: list[Unit] = []
        taken: set[str] = set()
        budget = 0
        for entry in entries:
            unit = Unit(number=len(batch) + 1, anchor="", entry=entry,
                        forms=language.target.forms(entry))
            cost = self.expected_output(unit)
            if batch and (len(batch) >= self.job.batch_entries
                          or budget + cost > self.output_cap * 0.75):
                yield batch
                batch, taken, budget = [], set(), 0
                unit.number = 1
            unit.anchor = choose_anchor(entry.source, entry.key, taken)
            batch.append(unit)
            taken.add(unit.anchor.casefold())
            budget += cost
        if batch:
            yield batch

    async def ask(self, request: Request, language: _Language) -> Result:
        """One request: from the journal when it has the answer, else sent and journaled."""
        stored = self.journal.get(request.fingerprint)
        if stored is not None and self.reuse(stored):
            return stored.result
        result = await self.runner.answer(request)
        if result.status != "skipped":
            self.journal.record(result, run_id=self.run_id,
                                template_key=f"translate:{language.code}:{self.job.model}")
        language.report.requests += 1
        language.report.add(result)
        return result

    # -- judging -------------------------------------------------------------------------------
    def judge(self, unit: Unit, forms: Any, target: Target) -> list[str]:
        """Why this translation cannot be written (empty: it can)."""
        entry = unit.entry
        if not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
            return ["forms must be a list of strings"]
        if len(forms) != len(unit.forms):
            wanted = ", ".join(f.name for f in unit.forms)
            return [f"gave {len(forms)} form(s); this entry needs exactly {len(unit.forms)}: "
                    f"{wanted}"]
        found: list[str] = []
        for form, text in zip(unit.forms, forms, strict=True):
            what = f"the {form.name} form" if entry.plural else "the translation"
            if text.strip() in {form.name, "...", "\u2026", "<translation>"} and (
                    text.strip() != entry.source.strip()):
                found.append(f"{what} is a placeholder ({text.strip()!r}), not a translation")
                continue
            source = entry.source_plural if entry.plural else entry.source
            assert source is not None
            trouble = placeholder_problems(source, text, entry.rules, what=what)
            if trouble and form.only_one and not placeholder_problems(
                    entry.source, text, entry.rules, what=what):
                trouble = []  # the form for exactly one item may follow the singular source
            found += trouble
        return found + target.extra_problems(entry, forms)

    async def batch(self, language: _Language, units: list[Unit]) -> None:
        """One packed request, then each entry it did not give safely, alone."""
        result = await self.ask(self.request(language.code, units), language)
        language.report.entries_sent += len(units)
        if result.status == "skipped":
            language.report.not_sent += len(units)
            return
        by_id: dict[str, list[Any]] = {}
        misplaced: dict[str, str] = {}  # entry id -> the id its number came back with
        trouble = "the request failed: " + (result.error or "") if result.status != "ok" else ""
        if not trouble:
            fields, problems = _SHAPE.parse(result.output or "")
            if problems or fields is None:
                trouble = "the reply was not the JSON asked for: " + "; ".join(problems)
            else:
                for item in fields["translations"]:
                    by_id.setdefault(item["id"], []).append(item["forms"])
                misplaced = _misplaced(units, by_id)
                language.report.misaligned += sum(len(by_id[k]) for k in set(
                    misplaced.values()))
                asked = {u.id for u in units}
                language.report.unknown_ids += sum(
                    len(v) for k, v in by_id.items()
                    if k not in asked and k not in misplaced.values())
        retry: list[Unit] = []
        for unit in units:
            given = by_id.get(unit.id, [])
            out_of_step = unit.id in misplaced
            if trouble:
                problems = [trouble]
            elif out_of_step:
                problems = [f"the reply's item numbered {unit.number} carried the anchor of "
                            f"another entry ('{misplaced[unit.id]}', not '{unit.id}'): the "
                            "answers were out of step, so none of them is trusted"]
            elif not given:
                problems = ["the reply had no item for this entry's id"]
            elif len(given) > 1:
                problems = ["the reply gave this entry's id more than once"]
            elif out_of_step := _anchor_reused(unit, misplaced):
                problems = ["another item of the reply carried this entry's anchor: the "
                            "answers were out of step, so this one is not trusted"]
            else:
                problems = self.judge(unit, given[0], language.target)
            if problems:
                # What came back for it is shown again only when it was surely its own.
                previous = given[0] if len(given) == 1 and not out_of_step else None
                retry.append(replace(unit, number=1, previous=previous, problems=problems))
            else:
                language.target.accept(unit.entry, given[0])
                language.report.translated += 1
        for unit in retry:
            await self.alone(language, unit)

    async def alone(self, language: _Language, unit: Unit) -> None:
        """An entry by itself, with what was wrong last time, up to fix_attempts times."""
        problems = unit.problems
        for attempt in range(1, self.job.fix_attempts + 1):
            unit = replace(unit, attempt=attempt)
            result = await self.ask(self.request(language.code, [unit]), language)
            language.report.entries_sent += 1
            if result.status == "skipped":
                language.report.not_sent += 1
                return
            if result.status != "ok":
                problems = [f"the request failed: {result.error}"]
                continue
            fields, problems = _SHAPE.parse(result.output or "")
            if fields is not None and not problems:
                # Asked for one entry, one item is its answer, whatever id it carries: no other
                # entry's translation can be in this reply.
                items = fields["translations"]
                if len(items) != 1:
                    problems = [f"the reply gave {len(items)} items for one entry"]
                else:
                    forms = items[0]["forms"]
                    problems = self.judge(unit, forms, language.target)
                    if not problems:
                        language.target.accept(unit.entry, forms)
                        language.report.translated += 1
                        language.report.retried += 1
                        return
                    if forms == unit.previous:
                        break  # the same refused answer again: another try would buy a third
                    unit = replace(unit, previous=forms, problems=problems)
        reason = "; ".join(problems) if problems else "no safe translation"
        language.target.refuse(unit.entry, reason)
        language.report.refused.append((_display_key(unit.entry), reason))


def _misplaced(units: list[Unit], by_id: dict[str, list[Any]]) -> dict[str, str]:
    """Entries whose number came back with another entry's anchor (`3 Arabic` where 3 is
    Bengali and Arabic is 2): entry id -> the id the reply used. Such a reply is out of step."""
    anchors = {u.anchor: u for u in units}
    numbers = {str(u.number): u for u in units}
    found: dict[str, str] = {}
    for item_id in by_id:
        number, anchor = split_id(item_id)
        owner, other = numbers.get(number), anchors.get(anchor)
        if owner is not None and other is not None and owner is not other:
            found[owner.id] = item_id
    return found


def _anchor_reused(unit: Unit, misplaced: dict[str, str]) -> bool:
    """Whether a misplaced item carried this entry's anchor: this entry's own item may then be
    out of step too (a repeated answer shifts the rest)."""
    return any(split_id(used)[1] == unit.anchor for used in misplaced.values())


@dataclass
class _Prepared:
    """A translate job after pre-flight: every request it will send, rendered."""

    translator: CatalogTranslator
    languages: list[_Language]
    work: list[tuple[_Language, list[Unit]]]


def _prepare(job: TranslateJob, *, endpoint: str, free: bool) -> _Prepared:
    """Read the catalog and each target, pack the entries, render every request: everything
    knowable before a call, so a bad job fails with nothing spent."""
    catalog = open_catalog(job.catalog, job.format)
    entries = catalog.entries()
    if not entries:
        raise ConfigError(f"catalog {job.catalog} has no entries to translate")
    output_cap = job.batch_output_tokens
    if free:  # the embedded model answers at most LOCAL_MAX_TOKENS
        output_cap = min(output_cap, defaults.LOCAL_MAX_TOKENS)
    if job.params.completion_cap:
        output_cap = min(output_cap, job.params.completion_cap)
    counter = None if free else TokenCounter(job.model)
    translator = CatalogTranslator(job, catalog, endpoint=endpoint, counter=counter,
                                   output_cap=output_cap)
    languages: list[_Language] = []
    work: list[tuple[_Language, list[Unit]]] = []
    for code in job.to:
        path = target_path(job.catalog, job.from_, code, job.output, catalog)
        if path.resolve() == job.catalog.resolve() and not catalog.multilingual:
            raise ConfigError(f"the {code} catalog would overwrite the source {job.catalog}: "
                              "set output (e.g. --output '{dir}/{stem}.{lang}{ext}')")
        target = catalog.target(code, path, include_fuzzy=job.include_fuzzy,
                                plural_forms=job.plural_forms_for(code))
        language = _Language(code, target, LanguageReport(code, path, target.plural_rule))
        languages.append(language)
        todo = [e for e in entries if language.target.needs(e)][:job.limit]
        language.report.needed = len(todo)
        unwritable = set()
        for entry in todo:  # what the format cannot hold is reported, not paid for
            if (reason := language.target.unwritable(entry)) is not None:
                unwritable.add(entry.key)
                language.target.refuse(entry, reason)
                language.report.refused.append((_display_key(entry), reason))
        todo = [e for e in todo if e.key not in unwritable]
        try:
            for units in translator.batches(language, todo):
                translator.request(language.code, units)
                work.append((language, units))
        except TemplateError as exc:
            raise TemplateError(f"template {translator.template.name}: {exc}") from None
    return _Prepared(translator, languages, work)


def estimate_translation(job: TranslateJob) -> list[str]:
    """What a translate job will cost, offline and without a key: its packed requests counted
    exactly, less what the journal already holds; completions at the packing estimate
    (expected) and at each request's max_tokens (at most). Retries alone are not included."""
    from ..providers import endpoint_for

    free = job.resolved_provider == "local"
    endpoint = endpoint_for(job)
    prepared = _prepare(job, endpoint=endpoint, free=free)
    translator = prepared.translator
    pricer = make_pricer(job, endpoint, free=free)
    journal = Journal(job.journal_path) if job.journal_path.exists() else None
    lines = [f"model: {job.model}"]
    try:
        for language in prepared.languages:
            requests = answered = prompt = expected = at_most = 0
            for lang, units in prepared.work:
                if lang is not language:
                    continue
                request = translator.request(language.code, units)
                stored = journal.get(request.fingerprint) if journal else None
                if stored is not None and reusable(job)(stored):
                    answered += 1
                    continue
                requests += 1
                prompt += request.prompt_tokens
                expected += sum(translator.expected_output(u) for u in units)
                at_most += request.completion_cap or 0
            cost = pricer.cost(job.model, Usage(prompt, expected))
            worst = pricer.cost(job.model, Usage(prompt, at_most))
            batch = pricer.batch_cost(job.model, Usage(prompt, expected))
            batch_worst = pricer.batch_cost(job.model, Usage(prompt, at_most))
            lines += [f"{language.code}: {language.report.needed} entries to translate in "
                      f"{requests} request(s) ({answered} already answered in the journal)",
                      f"  plurals: {language.report.plural_rule}",
                      f"  prompt tokens: {prompt:,}" + ("" if translator.counter else
                                                       " (not counted: embedded model)"),
                      f"  completion tokens: about {expected:,}, at most {at_most:,}",
                      f"  cost: {format_cost(cost)} expected, {format_cost(worst)} at most",
                      f"  with --mode batch: {format_cost(batch)} expected, "
                      f"{format_cost(batch_worst)} at most (Batch API prices)"]
    finally:
        if journal:
            journal.close()
    return lines


def translate_in_batches(job: TranslateJob, *, wait: bool = True,
                         on_round: Any = None, wait_for_lock: bool = False) -> Any:
    """The packed requests of a translate job through the Batch API (batch_mode.py): their
    replies are journaled as the requests' results, so translate_catalog then reads and judges
    them without sending them again (an entry refused goes online, alone)."""
    from ..batch_mode import run_batches
    from ..providers import endpoint_for

    def requests() -> list[Request]:
        prepared = _prepare(job, endpoint=endpoint_for(job), free=False)
        return [prepared.translator.request(language.code, units)
                for language, units in prepared.work]

    def keep(journal: Journal, request: Request, result: Result, run_id: int,
             attempt: int) -> None:
        language = request.row_id.split(":", 1)[0]
        journal.record(result, run_id=run_id, template_key=f"translate:{language}:{job.model}")

    return run_batches(job, requests, keep, wait=wait, on_round=on_round,
                       wait_for_lock=wait_for_lock)


def translate_catalog(job: TranslateJob, *, progress: bool | None = None,
                      provider: Any = None, wait_for_lock: bool = False) -> TranslateReport:
    """Translate the job's catalog into every language it names; write each target.
    `provider` replaces the job's (batch mode: one that sends nothing, when its budget
    stopped the batches). One run of a job at a time: after pre-flight, a second run raises
    JobLocked (exit 4) unless `wait_for_lock`. Each run leaves a manifest beside the journal
    (manifest.py), its log lines and notifications, as a row job's run does."""
    provider = provider or create_provider(job)
    prepared = _prepare(job, endpoint=provider.endpoint, free=provider.free)
    check_notify_secrets(job)
    started_at = datetime.now().astimezone()
    with job_lock(job.journal_path, wait=wait_for_lock) as lock_note, \
            RunLog(job.log_file) as run_log:
        report, run_id, limits = _translate_prepared(job, provider, prepared, progress,
                                                     run_log)
        if lock_note:
            report.notes.append(lock_note)
        _record_translation(job, report, run_id, started_at, limits, run_log)
    return report


def _record_translation(job: TranslateJob, report: TranslateReport, run_id: int,
                        started_at: datetime, limits: dict[str, Any], run_log: RunLog) -> None:
    """The translation run's manifest: entries stand where a row job has rows, the entries
    left for review are its `attention`; written beside the journal (a run writes several
    catalogs)."""
    langs = report.languages
    refused = [(r.language, key, reason) for r in langs for key, reason in r.refused]
    usage = sum((r.usage for r in langs), Usage())
    where = job.journal_path.with_name(f"{job.stem}.run-{run_id}.json")
    record = manifest.build(
        job_name=job.stem, job_file=job.source_file,
        templates=[job.template.resolve()] if job.template is not None else [],
        models=[job.model], run_id=run_id, started=started_at,
        finished=datetime.now().astimezone(), elapsed_s=report.elapsed_s,
        exit_code=report.exit_code, stopped=report.stopped,
        rows={"total": sum(r.needed for r in langs), "new": None, "changed": None,
              "retried": None, "reused": None, "ok": sum(r.translated for r in langs),
              "failed": 0, "flagged": len(refused), "not_done": sum(r.not_sent for r in langs)},
        catalog={"path": str(job.catalog.resolve()), "sha256": manifest.file_hash(job.catalog)},
        languages=[{"language": r.language, "path": str(r.path.resolve()), "needed": r.needed,
                    "translated": r.translated, "left_for_review": len(r.refused),
                    "not_sent": r.not_sent, "requests": r.requests,
                    "cost_usd": None if r.cost_usd is None else str(r.cost_usd)}
                   for r in langs],
        tokens={"prompt": usage.prompt_tokens, "completion": usage.completion_tokens,
                "cached": usage.cached_tokens},
        cost_usd=sum((r.cost_usd or Decimal(0) for r in langs), Decimal(0)),
        unpriced=sum(1 for r in langs if r.cost_usd is None), budget=job.budget,
        limits=limits,
        outputs={"output": str(langs[0].path.resolve()) if langs else None,
                 "targets": [str(r.path.resolve()) for r in langs], "latest": None,
                 "manifest": str(where.resolve())},
        journal=job.journal_path.resolve(), summary=report.summary(),
        attention=[{"row_id": f"{language}: {key}", "status": "flagged",
                    "fingerprint": hashlib.sha256(
                        f"{language}\0{key}\0{reason}".encode()).hexdigest()[:32],
                    "inputs": {"language": language, "entry": key}, "output": None,
                    "problems": [reason]}
                   for language, key, reason in refused[:manifest.ATTENTION_SHOWN]],
        attention_total=len(refused))
    with Journal(job.journal_path) as journal:
        report.notes += record_run(job, journal, run_id, record, where, run_log)
    report.notes.append(f"manifest: {where}")


def _translate_prepared(job: TranslateJob, provider: Any, prepared: _Prepared,
                        progress: bool | None, run_log: RunLog
                        ) -> tuple[TranslateReport, int, dict[str, Any]]:
    translator, languages, work = prepared.translator, prepared.languages, prepared.work
    pricer = make_pricer(job, provider.endpoint, free=provider.free)
    budget = Budget() if job.budget is None else budget_for(job.budget, pricer, [job.model])
    started = time.monotonic()
    with Journal(job.journal_path) as journal:
        run_id = begin_run(journal, provider)
        run_log.event("start", job=job.stem, run_id=run_id,
                      entries=sum(len(u) for _, u in work), models=[job.model],
                      endpoint=provider.where)
        runner, limiter = make_runner(job, provider, pricer, budget)
        translator.bind(runner, journal, run_id)
        bar = tqdm(total=sum(len(u) for _, u in work), unit="entry", file=sys.stderr,
                   disable=not (sys.stderr.isatty() if progress is None else progress))

        async def handle(item: tuple[_Language, list[Unit]]) -> None:
            await translator.batch(*item)
            bar.update(len(item[1]))

        stopped = run_until_done(runner, provider, work, handle)
        bar.close()
        end_run(journal, provider, run_id, stopped=stopped, budget=budget, limiter=limiter)
        elapsed, batches = time.monotonic() - started, None
        if job.mode == "batch":  # after the batches: the whole batch run's time
            elapsed, batches = batch_run_time(journal, elapsed)
    for language in languages:  # accepted, but not written with the rest of their string
        for entry, reason in language.target.held_back():
            language.report.translated -= 1
            language.report.refused.append((_display_key(entry), reason))
    rendered: dict[Path, bytes] = {}  # by path: a String Catalog's languages share one file
    for language in languages:  # every file checked before any is written
        data = language.target.render_bytes()
        problems = language.target.verify(data)
        if problems:
            raise CatalogWriteError(
                f"the {language.code} catalog {language.target.path} did not read back as "
                f"written ({'; '.join(problems[:5])}); nothing was written. This is a bug: "
                "please report it with the source catalog")
        rendered[language.target.path] = data
    for path, data in rendered.items():
        atomic_write(path, lambda tmp, data=data: tmp.write_bytes(data))
    notes = pricer.notes + getattr(provider, "notes", [])
    for reason, count in runner.retry_reasons.most_common():
        run_log.event("retries", reason=reason, attempts=count)
    limits = {"rpm": limiter.limits.rpm, "tpm": limiter.limits.tpm,
              "concurrency": runner.admission.fixed or runner.admission.cap(),
              "described": None if provider.free else limiter.describe()}
    return (TranslateReport(languages=[lang.report for lang in languages],
                            elapsed_s=elapsed, stopped=stopped, notes=notes,
                            batches=batches),
            run_id, limits)
