"""Catalog translation's stages: entries packed into requests, every reply judged entry by
entry, and what happened to each language (the job that runs them: jobs/translate.py).

Entries that need a translation are packed into requests (up to `batch_entries` and an
estimate of `batch_output_tokens` completion tokens), each asking for a JSON list of
{id, forms}. A reply is trusted entry by entry: an id that is missing, repeated or unknown, a
wrong number of plural forms, or a translation that loses a placeholder, a tag or the source's
leading/trailing whitespace, or one longer than the entry's length limit (lengths.py) sends that
entry to be retried alone, with the problem stated; after `fix_attempts` such retries it is left
untranslated and listed in the report (never cut to fit). Entries that are the same message are
sent once and share the translation; a translation the project has of the same text is shown as
the reference (shared.py). Every request goes
through the run session's runner (rate limits, retries, budget) and journal (a rerun pays for
nothing it already has), as row jobs' do.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from .. import defaults
from ..config import TranslateJob
from ..errors import ConfigError, TemplateError
from ..journal import Journal, reusable
from ..languages import language_name
from ..outcome import EXIT_OK, EXIT_ROWS_FAILED, EXIT_STOPPED, batch_time, format_usd
from ..records import Request, Result, Usage, plus_cost
from ..rows.render import PromptTemplate
from ..rows.steps import fingerprint
from ..rows.validate import OutputShape
from ..send.runner import Runner
from ..tokens import TokenCounter
from . import Catalog, Entry, Form, TargetCatalog, detect_format, open_catalog, target_path
from .anchors import choose_anchor, entry_id, split_id
from .base import display_key, display_key_text
from .lengths import Limit, length_limit, length_problem
from .lifecycle import (
    DRAFT,
    NEW,
    STALE_OURS,
    STALE_THEIRS,
    EntryState,
    LanguageState,
    Sources,
    classify,
    record_kept,
)
from .lock import OURS, THEIRS, TranslationLock, source_text
from .mqm import QualityReport
from .placeholders import problems as placeholder_problems
from .protected import protected_tokens
from .shared import Reference, Siblings, message_of, references, split_shared

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
    #: An entry whose source changed: the source its translation was made from, and that
    #: translation, shown so wording and terms stay.
    earlier: tuple[str, list[str]] | None = None
    #: A translation the project already has of the same text (shared.py), shown so one text
    #: reads the same everywhere.
    reference: Reference | None = None
    #: The most characters each form may have (lengths.py).
    limit: Limit | None = None

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
        if self.earlier is not None:
            view["earlier_source"], view["earlier_translation"] = self.earlier
        if self.reference is not None:
            view["reference"] = {"key": self.reference.where,
                                 "translation": self.reference.forms}
        if self.limit is not None:
            view["max_length"] = self.limit.chars
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
    #: Keeping the catalog current (lifecycle.py): entries the target lacked that were
    #: translated, entries translated again because their source changed, translations kept
    #: although their source changed (key, old source, new source), keys the source no longer
    #: has (and how many were pruned), and existing translations recorded as made from today's
    #: source (a first run over a catalog translated elsewhere, or reviewed since).
    added: int = 0
    updated: int = 0
    stale_kept: list[tuple[str, str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    pruned: int = 0
    #: Removed keys a gettext target no longer holds live (obsolete `#~`, as msgmerge does).
    obsoleted: int = 0
    baseline: int = 0
    accepted_stale: int = 0
    #: Entries that took the translation of an earlier entry with the same text (shared.py)
    #: instead of being sent.
    reused: int = 0
    #: --qa: the judge's findings and the language's score (mqm.py; None: no QA).
    qa: QualityReport | None = None

    def add(self, result: Result) -> None:
        self.usage += result.usage
        self.cost_usd = plus_cost(self.cost_usd, result)

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
            *([f"  reused: {self.reused} entries share a translated text (the same text as "
               "an entry translated in this run; not sent)"] if self.reused else []),
            f"  tokens: {self.usage.prompt_tokens} in, {self.usage.completion_tokens} out; "
            f"cost {cost}",
        ]
        if self.unknown_ids:
            lines.append(f"  ignored {self.unknown_ids} reply item(s) with an id not asked for")
        if self.misaligned:
            lines.append(f"  refused {self.misaligned} reply item(s) that carried another "
                         "entry's anchor (answers out of step): those entries were retried "
                         "alone")
        lines += self.lifecycle_lines()
        lines += self.qa.lines() if self.qa is not None else []
        for key, reason in self.refused:
            lines.append(f"  left for review: {key}: {reason}")
        return lines

    def lifecycle_lines(self) -> list[str]:
        """What the run did to keep the catalog current, when there was anything to do."""
        lines = []
        if self.updated or self.stale_kept or self.removed:
            removed = (f"{len(self.removed)} removed from the source"
                       + (f" ({self.pruned} pruned)" if self.pruned else
                          f" ({self.obsoleted} made obsolete, as msgmerge does)"
                          if self.obsoleted else
                          " (kept in the target; --prune removes them)" if self.removed else ""))
            lines.append(f"  source changes: {self.added} added, {self.updated} updated, "
                         f"{len(self.stale_kept)} kept as they were (stale, for review), "
                         f"{removed}")
        if self.baseline:
            lines.append(f"  {self.baseline} existing translation(s) recorded in the lock as "
                         "made from today's source (nothing bought)")
        if self.accepted_stale:
            lines.append(f"  {self.accepted_stale} stale translation(s) taken as current "
                         "(--accept-stale)")
        for key, old, new in self.stale_kept:
            lines.append(f"  stale, kept: {key}: its source was {json.dumps(old)}, now "
                         f"{json.dumps(new)}; its translation is not ours: review it, or "
                         "run with --update-stale")
        for key in self.removed[:20]:
            lines.append(f"  removed from the source: {display_key_text(key)}")
        if len(self.removed) > 20:
            lines.append(f"  … and {len(self.removed) - 20} more removed from the source")
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
        if any(r.refused or r.not_sent or r.stale_kept for r in self.languages):
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


class LanguageRun:
    """One target language's state during a run."""

    def __init__(self, code: str, target: TargetCatalog, report: LanguageReport,
                 state: LanguageState):
        self.code = code
        self.target = target
        self.report = report
        #: Where each entry stood before the run (lifecycle.py).
        self.state = state
        #: Translations accepted in this run, by entry key.
        self.accepted: dict[str, tuple[Entry, list[str]]] = {}
        #: By the key of an entry sent, the entries with the same text that take its
        #: translation instead of being sent (shared.py).
        self.followers: dict[str, list[Entry]] = {}
        #: Translations the project already has, by message (shared.py): references.
        self.references: dict[tuple[str, str | None], Reference] = {}
        self._states_by_key: dict[str, EntryState] | None = None
        #: --qa: accepted translations wait for the judge (qa.py) before the target takes
        #: them (`commit`); the keys it took.
        self.hold = False
        self.committed: set[str] = set()

    def accept(self, entry: Entry, forms: list[str]) -> None:
        if not self.hold:
            self.target.accept(entry, forms)
        self.accepted[entry.key] = entry, forms
        self.report.translated += 1

    def commit(self, entry: Entry) -> None:
        """A held translation judged good: the target takes it, and its followers theirs."""
        for e in [entry, *self.followers.get(entry.key, [])]:
            if e.key in self.accepted and e.key not in self.committed:
                self.target.accept(e, self.accepted[e.key][1])
                self.committed.add(e.key)

    def withdraw(self, entry: Entry) -> None:
        """A held translation taken back (to be asked again, or left), with its followers'."""
        for e in [entry, *self.followers.get(entry.key, [])]:
            taken = self.accepted.pop(e.key, None)
            if taken is not None:
                self.report.translated -= 1
                self.report.reused -= e is not entry

    def release_unjudged(self) -> None:
        """The end of a --qa run: translations still held were never judged (the run
        stopped); they wait for the next run, which reads them from the journal."""
        for key in [k for k in self.accepted if k not in self.committed]:
            del self.accepted[key]
            self.report.translated -= 1
            self.report.not_sent += 1

    def refuse(self, entry: Entry, reason: str) -> None:
        """Leave the entry for review, and the entries that were to take its translation."""
        self.target.refuse(entry, reason)
        self.report.refused.append((display_key(entry), reason))
        for follower in self.followers.get(entry.key, []):
            self.target.refuse(follower, reason)
            self.report.refused.append((display_key(follower), f"{reason} (the same text as "
                                        f"{display_key(entry)}, translated once for both)"))

    def not_sent(self, units: list[Unit]) -> None:
        """The run stopped before these were answered: they and their followers wait."""
        self.report.not_sent += sum(1 + len(self.followers.get(u.entry.key, []))
                                    for u in units)

    def earlier(self, entry: Entry) -> tuple[str, list[str]] | None:
        """For an entry translated again because its source changed: the old source and the
        translation made from it."""
        state = self._by_key.get(entry.key)
        if state is None or state.old_source is None or state.forms is None:
            return self.target.earlier(entry)  # (gettext: a similar msgid's translation)
        return state.old_source, state.forms

    @property
    def _by_key(self) -> dict[str, EntryState]:
        if self._states_by_key is None:
            self._states_by_key = {s.entry.key: s for s in self.state.states}
        return self._states_by_key

    def todo(self, *, include_fuzzy: bool, update_stale: bool) -> list[Entry]:
        """The entries this run translates: those the target lacks, those whose source
        changed under our own translation, and, when asked, drafts (--fuzzy) and the stale
        translations of others (--update-stale)."""
        wanted = {NEW, STALE_OURS, *([DRAFT] if include_fuzzy else []),
                  *([STALE_THEIRS] if update_stale else [])}
        return [s.entry for s in self.state.states if s.status in wanted or (
            # a draft whose source changed (msgmerge's fuzzy with `#| msgid`) is a draft too
            include_fuzzy and s.status == STALE_THEIRS and self.target.is_draft(s.entry))]

    def settle(self, lock: TranslationLock, *, prune: bool, accept_stale: bool,
               update_stale: bool) -> None:
        """After the run, before anything is written: the lock takes what was translated and
        what is kept as current; stale translations kept are marked for review (where the
        format has a state) and reported; orphans are reported, and pruned when asked."""
        held = {entry.key for entry, _ in self.target.held_back()}
        report, code = self.report, self.code
        for key, (entry, forms) in self.accepted.items():
            if key in held:
                continue
            state = self._by_key.get(key)
            if state is not None and state.status in (STALE_OURS, STALE_THEIRS):
                report.updated += 1
            else:
                report.added += 1
            lock.record(code, entry, self.target.read_back(entry, forms), origin=OURS)
        report.baseline += record_kept(code, self.state, lock)
        for state in self.state.having(STALE_THEIRS):
            if state.entry.key in self.accepted or update_stale:
                continue
            assert state.forms is not None and state.old_source is not None
            if accept_stale:
                lock.record(code, state.entry, state.forms, origin=THEIRS)
                report.accepted_stale += 1
                continue
            if self.target.mark_stale(state.entry, state.old_source):
                lock.mark(code, state.entry)
            report.stale_kept.append((display_key(state.entry), state.old_source,
                                      source_text(state.entry)))
        obsoletes = self.target.obsoletes_orphans
        for key in self.state.orphans:
            report.removed.append(key)
            if (prune or obsoletes) and self.target.prune(key):
                if obsoletes:
                    report.obsoleted += 1
                else:
                    report.pruned += 1
                lock.forget(code, key)
        for key in lock.keys(code) - {e.key for e in (s.entry for s in self.state.states)}:
            if key not in self.state.orphans:
                lock.forget(code, key)  # gone from the source and from the target


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

    def unit(self, language: LanguageRun, entry: Entry, number: int = 1) -> Unit:
        """An entry as it will be sent (its anchor chosen when it is packed)."""
        return Unit(number=number, anchor="", entry=entry, forms=language.target.forms(entry),
                    earlier=language.earlier(entry),
                    reference=language.references.get(message_of(entry)),
                    limit=length_limit(entry, self.job))

    def expected_output(self, unit: Unit) -> int:
        """Completion tokens a unit's translation is likely to take (for packing)."""
        text = unit.entry.source_plural or unit.entry.source
        tokens = self.counter.text(text) if self.counter else max(1, len(text) // 3)
        return len(unit.forms) * (2 * tokens + 8) + 12

    def batches(self, language: LanguageRun, entries: list[Entry]) -> Iterator[list[Unit]]:
        """Entries packed into requests: up to batch_entries and within the output budget;
        each gets an anchor no other entry of its request has."""
        batch: list[Unit] = []
        taken: set[str] = set()
        budget = 0
        for entry in entries:
            unit = self.unit(language, entry, number=len(batch) + 1)
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

    async def ask(self, request: Request, language: LanguageRun) -> Result:
        """One request: from the journal when it has the answer, else sent and journaled."""
        result, sent = await self.fetch(request, self.runner,
                                        f"translate:{language.code}:{self.job.model}")
        if sent:
            language.report.requests += 1
            language.report.add(result)
        return result

    async def fetch(self, request: Request, runner: Runner, template_key: str
                    ) -> tuple[Result, bool]:
        """The journal's answer to a request, else `runner`'s, journaled under template_key
        (a translation's or QA's); and whether it was sent."""
        stored = self.journal.get(request.fingerprint)
        if stored is not None and self.reuse(stored):
            return stored.result, False
        result = await runner.answer(request)
        if result.status != "skipped":
            self.journal.record(result, run_id=self.run_id, template_key=template_key)
        return result, True

    # -- judging -------------------------------------------------------------------------------
    def judge(self, unit: Unit, forms: Any, target: TargetCatalog) -> list[str]:
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
            if (too_long := length_problem(unit.limit, text, what,
                                           pipes=entry.rules.pipes)) is not None:
                found.append(too_long)
        return found + target.extra_problems(entry, forms)

    async def batch(self, language: LanguageRun, units: list[Unit]) -> None:
        """One packed request, then each entry it did not give safely, alone."""
        result = await self.ask(self.request(language.code, units), language)
        language.report.entries_sent += len(units)
        if result.status == "skipped":
            language.not_sent(units)
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
                language.accept(unit.entry, given[0])
                await self.share(language, unit.entry, given[0])
        for unit in retry:
            await self.alone(language, unit)

    async def share(self, language: LanguageRun, entry: Entry, forms: list[str]) -> None:
        """The entries with the same text as `entry` take its accepted translation, each
        judged by its own checks (its key's length limit, its format's): one that fails them
        is asked alone, with what was wrong."""
        for follower in language.followers.get(entry.key, []):
            unit = self.unit(language, follower)
            unit.anchor = choose_anchor(follower.source, follower.key, set())
            problems = self.judge(unit, forms, language.target)
            if problems:
                await self.alone(language, replace(unit, previous=forms, problems=problems))
            else:
                language.accept(follower, forms)
                language.report.reused += 1

    async def alone(self, language: LanguageRun, unit: Unit, tries: int | None = None) -> None:
        """An entry by itself, with what was wrong last time, up to fix_attempts times (or
        `tries`: QA's one try with the judge's findings)."""
        problems = unit.problems
        for attempt in range(1, (self.job.fix_attempts if tries is None else tries) + 1):
            unit = replace(unit, attempt=attempt)
            result = await self.ask(self.request(language.code, [unit]), language)
            language.report.entries_sent += 1
            if result.status == "skipped":
                language.not_sent([unit])
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
                        language.accept(unit.entry, forms)
                        language.report.retried += 1
                        await self.share(language, unit.entry, forms)
                        return
                    if forms == unit.previous:
                        break  # the same refused answer again: another try would buy a third
                    unit = replace(unit, previous=forms, problems=problems)
        reason = "; ".join(problems) if problems else "no safe translation"
        language.refuse(unit.entry, reason)


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
class PreparedTranslation:
    """A translate job after pre-flight: every request it will send, rendered."""

    translator: CatalogTranslator
    languages: list[LanguageRun]
    work: list[tuple[LanguageRun, list[Unit]]]
    #: The translation lock, read before the run (lock.py).
    lock: TranslationLock


def prepare_translation(job: TranslateJob, *, endpoint: str, free: bool) -> PreparedTranslation:
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
    languages: list[LanguageRun] = []
    work: list[tuple[LanguageRun, list[Unit]]] = []
    lock = TranslationLock.read(job.lock_path)
    sources = Sources(entries)
    siblings = Siblings(job, catalog,
                        detect_format(job.catalog) if job.format == "auto" else job.format)
    for code in job.to:
        path = target_path(job.catalog, job.from_, code, job.output, catalog)
        if path.resolve() == job.catalog.resolve() and not catalog.multilingual:
            raise ConfigError(f"the {code} catalog would overwrite the source {job.catalog}: "
                              "set output (e.g. --output '{dir}/{stem}.{lang}{ext}')")
        target = catalog.target(code, path, include_fuzzy=job.include_fuzzy,
                                plural_forms=job.plural_forms_for(code))
        language = LanguageRun(code, target, LanguageReport(code, path, target.plural_rule),
                               classify(code, sources, target, lock))
        languages.append(language)
        language.references = references(language.state)
        siblings.add_references(code, language.references)
        todo = language.todo(include_fuzzy=job.include_fuzzy,
                             update_stale=job.update_stale)[:job.limit]
        language.report.needed = len(todo)
        unwritable = set()
        for entry in todo:  # what the format cannot hold is reported, not paid for
            if (reason := language.target.unwritable(entry)) is not None:
                unwritable.add(entry.key)
                language.target.refuse(entry, reason)
                language.report.refused.append((display_key(entry), reason))
        todo = [e for e in todo if e.key not in unwritable]
        todo, language.followers = split_shared(todo, language.target)
        try:
            for units in translator.batches(language, todo):
                translator.request(language.code, units)
                work.append((language, units))
        except TemplateError as exc:
            raise TemplateError(f"template {translator.template.name}: {exc}") from None
    return PreparedTranslation(translator, languages, work, lock)


