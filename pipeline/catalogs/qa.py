"""Catalog QA (`translate --qa`): translated entries judged GEMBA-MQM style, many per request
as they were translated, and an entry with a major or critical error translated again once
with the findings, then left for review (docs/catalogs.md, QA).

An entry's translation is held, not written, until it is judged. Its request packs the entries
of one translation request that passed the structural checks, under the same ids (number and
anchor), so each verdict maps back to its entry as each translation did. Glossary terms are
checked first by exact matching (glossary_terms.py): a miss is a major terminology error and the
entry goes back to the translator with no QA request spent. The findings and scores add up in
mqm.py. QA requests are ordinary journaled requests: rate-limited, in the budget, never paid
twice; through the run's runner when the judge is only a model, through the judge's own runner
(its endpoint, key, limits and prices: send/fallbacks.target_job, the session's judge runner)
when its table names them.
"""

from __future__ import annotations

import json
from dataclasses import replace
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..languages import language_name
from ..records import Request, Result
from ..rows.render import PromptTemplate
from ..rows.steps import fingerprint
from ..rows.validate import OutputShape
from ..send.fallbacks import target_job, target_name
from ..send.providers import endpoint_for
from ..tokens import TokenCounter
from .base import display_key
from .glossary_terms import misses, parse_terms
from .mqm import CATEGORIES, SEVERITIES, Finding, QualityReport, blocking
from .protected import protected_tokens
from .translator import CatalogTranslator, LanguageRun, Unit

if TYPE_CHECKING:
    from ..config import TranslateJob
    from ..send.runner import Runner

QA_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["verdicts"],
    "properties": {"verdicts": {"type": "array", "items": {
        "type": "object", "additionalProperties": False, "required": ["id", "errors"],
        "properties": {"id": {"type": "string"}, "errors": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["span", "category", "severity", "explanation"],
            "properties": {"span": {"type": "string"},
                           "category": {"type": "string", "enum": list(CATEGORIES)},
                           "severity": {"type": "string", "enum": list(SEVERITIES)},
                           "explanation": {"type": "string"}}}}}}}}}
_SHAPE = OutputShape(QA_SCHEMA, strict=True, where="verdicts")
#: Completion tokens a verdict without errors takes, for the estimate.
VERDICT_TOKENS = 16

#: Why an entry has no verdict (the request failed, or the reply did not give one).
NoVerdict = str


#: What a `judge` table may name beyond its model: any of them gives QA a runner of its own.
OWN_CONNECTION = ("base_url", "api_key_env", "prices", "price_provider", "rpm", "tpm",
                  "concurrency")


def judge_target(job: TranslateJob) -> TranslateJob | None:
    """The QA judge as a target of its own (its endpoint, key, prices and limits, the job's
    where it names none), or None when it names only a model: then QA shares the job's runner,
    limiter and prices, as a translation request does. Raises ConfigError (exit 2, before any
    spend) for a judge on another endpoint that names no api_key_env: the job's key is sent
    to the job's endpoint only."""
    judge = job.judge
    if judge is None or all(getattr(judge, name) is None for name in OWN_CONNECTION):
        return None
    return target_job(job, judge, what="[judge]")  # type: ignore[return-value]


def _template() -> PromptTemplate:
    text = resources.files("pipeline").joinpath("templates/qa_catalog.j2").read_text(
        encoding="utf-8")
    return PromptTemplate(text, name="qa_catalog.j2 (built in)")


class QualityJudge:
    """Judges a language's translated entries and sends the failing ones back once."""

    def __init__(self, translator: CatalogTranslator):
        job = translator.job
        self.translator = translator
        self.model = job.judge.model if job.judge is not None else job.model
        #: The judge's own target (None: the job's runner answers QA too).
        self.target = judge_target(job)
        elsewhere = self.target is not None and self.target.base_url != job.base_url
        #: Where QA requests go, in their fingerprint: a verdict of one endpoint's model is not
        #: taken for another's.
        self.endpoint = endpoint_for(self.target) if elsewhere else translator.endpoint
        #: How the report names the judge: model@host when it is on an endpoint of its own.
        self.name = target_name(self.model, self.endpoint) if elsewhere else self.model
        counts = (not self.target.provider_info.free if elsewhere and self.target is not None
                  else translator.counter is not None)
        self.template = _template()
        self.terms = parse_terms(translator.glossary)
        self.counter = TokenCounter(self.model) if counts else None
        #: The judge's own runner, when it has a target (bound by the job once the session
        #: has built it); None: the translator's.
        self.runner: Runner | None = None

    # -- requests ------------------------------------------------------------------------------
    def request(self, language: str, items: list[tuple[Unit, list[str]]]) -> Request:
        t = self.translator
        views = [_view(unit, forms) for unit, forms in items]
        context = {"source_language": t.source_name, "target_language": language_name(language),
                   "target_code": language, "format": t.catalog.format_name, "entries": views,
                   "entry_lines": [json.dumps(v, ensure_ascii=False) for v in views],
                   "glossary": t.glossary, "style": t.job.style}
        messages = self.template.render_messages(context)
        return Request(
            row_id=f"{language}:qa:{items[0][0].entry.key}"[:200], model=self.model,
            messages=messages, params=t.params,
            fingerprint=fingerprint(endpoint=self.endpoint, model=self.model, messages=messages,
                                    params={**t.params, "response_schema": QA_SCHEMA}),
            prompt_tokens=self.counter.messages(messages) if self.counter else 0,
            completion_cap=t.output_cap, response_schema=QA_SCHEMA)

    async def ask(self, request: Request, language: LanguageRun) -> Result:
        """From the journal when it has the verdicts, else sent and journaled."""
        t = self.translator
        result, sent = await t.fetch(request, self.runner or t.runner,
                                     f"qa:{language.code}:{self.model}")
        if not sent:
            return result
        qa = _qa(language, self.name)
        qa.requests += result.status != "skipped"  # (not sent: the run stopped)
        qa.add(result)
        language.report.add(result)  # the language's cost includes its QA
        return result

    async def verdicts(self, language: LanguageRun, items: list[tuple[Unit, list[str]]]
                       ) -> dict[str, list[Finding] | NoVerdict] | None:
        """Each entry's findings by id (or why it has none); None: not sent, the run
        stopped. An entry a packed reply left out is judged alone."""
        result = await self.ask(self.request(language.code, items), language)
        if result.status == "skipped":
            return None
        if result.status != "ok":
            return {u.id: f"the QA request failed: {result.error}" for u, _ in items}
        fields, problems = _SHAPE.parse(result.output or "")
        if fields is None or problems:
            why = "the QA reply was not the JSON asked for: " + "; ".join(problems)
            found: dict[str, list[Finding] | NoVerdict] = {u.id: why for u, _ in items}
        else:
            given: dict[str, list[dict[str, str]]] = {}
            for item in fields["verdicts"]:
                given.setdefault(item["id"], []).extend(item["errors"])
            if len(items) == 1 and len(fields["verdicts"]) == 1:  # alone: its one verdict
                given = {items[0][0].id: fields["verdicts"][0]["errors"]}
            found = {u.id: [Finding(e["category"], e["severity"], e["span"], e["explanation"])
                            for e in given[u.id]]
                     for u, _ in items if u.id in given}
        missing = [(u, f) for u, f in items if not isinstance(found.get(u.id), list)]
        if len(items) > 1:
            for unit, forms in missing:  # alone, once
                alone = await self.verdicts(language, [(unit, forms)])
                if alone is None:
                    return None
                found.update(alone)
        for unit, _ in missing:
            found.setdefault(unit.id, "the QA reply gave no verdict for this entry")
        return found

    # -- the stage -----------------------------------------------------------------------------
    async def review(self, language: LanguageRun, units: list[Unit]) -> None:
        """After one translation request (and its retries alone): its entries that were
        accepted, judged in one request under the ids they were translated with; each then
        written, translated again once with the findings, or left for review."""
        qa = _qa(language, self.name)
        items = [(u, language.accepted[u.entry.key][1]) for u in units
                 if u.entry.key in language.accepted and u.entry.key not in language.committed]
        found: dict[str, list[Finding] | NoVerdict] = {}
        to_judge = []
        for unit, forms in items:
            if missed := self.glossary(language, unit, forms):
                found[unit.id] = missed
            else:
                to_judge.append((unit, forms))
        if to_judge:
            judged = await self.verdicts(language, to_judge)
            if judged is None:  # the run stopped: these wait for the next run
                for unit, _ in to_judge:
                    language.withdraw(unit.entry)
                language.not_sent([u for u, _ in to_judge])
                items = [(u, f) for u, f in items if u.id in found]
            else:
                found.update(judged)
        for unit, forms in items:
            await self.settle(language, qa, unit, forms, found[unit.id])

    def glossary(self, language: LanguageRun, unit: Unit, forms: list[str]) -> list[Finding]:
        entry = unit.entry
        missed = misses(self.terms, source=entry.source + "\n" + (entry.source_plural or ""),
                        source_language=self.translator.job.from_, forms=forms,
                        language=language.code)
        _qa(language, self.name).glossary_misses += len(missed)
        return missed

    async def settle(self, language: LanguageRun, qa: QualityReport, unit: Unit,
                     forms: list[str], found: list[Finding] | NoVerdict, *,
                     again: bool = False) -> None:
        entry, key, name = unit.entry, unit.entry.key, display_key(unit.entry)
        source = entry.source_plural or entry.source
        if isinstance(found, str):  # no verdict: not written unjudged
            language.withdraw(entry)
            language.refuse(entry, f"QA: {found}")
            return
        if not again:
            qa.judged_first(key, found)
        if not blocking(found):
            language.commit(entry)
            qa.settle(key, name, source, found)
            qa.fixed += again
            return
        language.withdraw(entry)
        if again:
            language.report.retried -= 1  # (counted when the try alone was accepted)
            qa.settle(key, name, source, found)
            qa.left += 1
            language.refuse(entry, "QA: " + "; ".join(f.line() for f in found))
            return
        qa.retried += 1
        stopped_before = language.report.not_sent
        retry = replace(unit, number=1, previous=forms, attempt=0,
                        problems=[f"QA found a {f.line()}" for f in found])
        await self.translator.alone(language, retry, tries=1)
        if entry.key not in language.accepted:
            if language.report.not_sent == stopped_before:  # refused by the structural checks
                qa.settle(key, name, source, found)
                qa.left += 1
            return
        forms = language.accepted[entry.key][1]
        again_found: list[Finding] | NoVerdict | None = self.glossary(language, retry, forms)
        if not again_found:
            judged = await self.verdicts(language, [(retry, forms)])
            if judged is None:
                language.withdraw(entry)
                language.not_sent([retry])
                return
            again_found = judged[retry.id]
        await self.settle(language, qa, retry, forms, again_found, again=True)


def _qa(language: LanguageRun, model: str) -> QualityReport:
    if language.report.qa is None:
        language.report.qa = QualityReport(model)
    return language.report.qa


def _view(unit: Unit, forms: list[str]) -> dict[str, Any]:
    """What the judge is shown of one entry."""
    e = unit.entry
    view: dict[str, Any] = {"id": unit.id, "source": e.source}
    if e.plural:
        view["source_plural"] = e.source_plural
        view["translation"] = {form.name: text for form, text in zip(unit.forms, forms,
                                                                       strict=False)}
    else:
        view["translation"] = forms[0] if forms else ""
    keep = list(dict.fromkeys(protected_tokens(e.source + "\n" + (e.source_plural or ""))))
    if keep:
        view["keep"] = keep
    if e.context:
        view["context"] = e.context
    return view
