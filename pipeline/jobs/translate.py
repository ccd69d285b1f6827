"""The catalog job: `pipeline translate`, a message catalog into several languages.

It opens the job's run session (lock, journal, prices, budget, runner, log) over the catalog
stages: entries packed into requests and every reply judged entry by entry
(catalogs/translator.py), each target read back before any is written, then written
atomically. `--estimate` prices it offline; `--mode batch` sends the packed requests through
the Batch API first (jobs/batch.py), then judges their replies here without sending them again.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..batch.deferred import DeferringProvider
from ..catalogs.qa import VERDICT_TOKENS, QualityJudge
from ..catalogs.translator import (
    LanguageRun,
    TranslateReport,
    Unit,
    display_key,
    prepare_translation,
)
from ..config import TranslateJob
from ..errors import CatalogWriteError
from ..files import atomic_write
from ..journal import Journal, reusable
from ..outcome import batch_run_time, format_cost
from ..pricing import make_pricer
from ..records import Request, Result, Usage
from ..send.providers import create_provider, endpoint_for
from ..session import RunSession, Spend
from ..unattended import manifest


def estimate_translation(job: TranslateJob) -> list[str]:
    """What a translate job will cost, offline and without a key: its packed requests counted
    exactly, less what the journal already holds; completions at the packing estimate
    (expected) and at each request's max_tokens (at most). Retries alone are not included."""
    free = job.provider_info.free
    endpoint = endpoint_for(job)
    prepared = prepare_translation(job, endpoint=endpoint, free=free)
    translator = prepared.translator
    pricer = make_pricer(job, endpoint, free=free)
    journal = Journal(job.journal_path) if job.journal_path.exists() else None
    lines = [f"model: {job.model}"]
    qa = QualityJudge(translator) if job.qa else None
    qa_pricer = pricer
    if qa is not None and qa.target is not None:  # the judge's own prices, on its endpoint
        qa_pricer = make_pricer(qa.target, endpoint_for(qa.target),
                                free=qa.target.provider_info.free)
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
            shared = sum(len(f) for f in language.followers.values())
            lines += [f"{language.code}: {language.report.needed} entries to translate in "
                      f"{requests} request(s) ({answered} already answered in the journal"
                      + (f"; {shared} take the translation of an entry with the same text, "
                         "not sent" if shared else "") + ")",
                      f"  plurals: {language.report.plural_rule}",
                      f"  prompt tokens: {prompt:,}" + ("" if translator.counter else
                                                       " (not counted: embedded model)"),
                      f"  completion tokens: about {expected:,}, at most {at_most:,}",
                      f"  cost: {format_cost(cost)} expected, {format_cost(worst)} at most",
                      f"  with --mode batch: {format_cost(batch)} expected, "
                      f"{format_cost(batch_worst)} at most (Batch API prices)"]
            if qa is not None:
                lines += _qa_estimate(prepared, qa, language, qa_pricer, cost, worst)
    finally:
        if journal:
            journal.close()
    return lines


def _qa_estimate(prepared: Any, qa: QualityJudge, language: LanguageRun, pricer: Any,
                 translation: Decimal | None, translation_worst: Decimal | None) -> list[str]:
    """QA's share (--qa): one judging request per translation request, its prompt counted
    with each entry's source standing in for its translation; a verdict without errors
    expected per entry, the request's max_tokens at most; online, with the translation's
    cost, and at the Batch API's price, all at the judge's prices (`pricer`). Translations
    again are not included, nor verdicts the journal already holds (their prompts need the
    translations)."""
    requests = prompt = expected = at_most = 0
    for lang, units in prepared.work:
        if lang is not language:
            continue
        request = qa.request(language.code, [
            (u, [u.entry.source_plural or u.entry.source] * len(u.forms)) for u in units])
        requests += 1
        prompt += request.prompt_tokens
        expected += VERDICT_TOKENS * len(units)
        at_most += request.completion_cap or 0
    cost = pricer.cost(qa.model, Usage(prompt, expected))
    worst = pricer.cost(qa.model, Usage(prompt, at_most))
    batch = pricer.batch_cost(qa.model, Usage(prompt, expected))
    batch_worst = pricer.batch_cost(qa.model, Usage(prompt, at_most))

    def total(a: Decimal | None, b: Decimal | None) -> Decimal | None:
        return None if a is None or b is None else a + b

    return [f"  QA's share ({qa.model}, --qa): {requests} request(s), prompt tokens about "
            f"{prompt:,}, completion tokens about {expected:,}, at most {at_most:,}",
            f"  QA cost: {format_cost(cost)} expected, {format_cost(worst)} at most; with the "
            f"translation: {format_cost(total(translation, cost))} expected, "
            f"{format_cost(total(translation_worst, worst))} at most",
            f"  QA with --mode batch: {format_cost(batch)} expected, "
            f"{format_cost(batch_worst)} at most (Batch API prices)"]


def translate_in_batches(job: TranslateJob, *, wait: bool = True,
                         on_round: Any = None, wait_for_lock: bool = False) -> Any:
    """The packed requests of a translate job through the Batch API (jobs/batch.py): their
    replies are journaled as the requests' results, so translate_catalog then reads and judges
    them without sending them again (an entry refused goes online, alone)."""
    from .batch import refuse_a_judge_elsewhere, run_batches

    if job.qa:
        refuse_a_judge_elsewhere(job, leave_out="leave out --qa")

    def requests() -> list[Request]:
        prepared = prepare_translation(job, endpoint=endpoint_for(job), free=False)
        return [prepared.translator.request(language.code, units)
                for language, units in prepared.work]

    def keep(journal: Journal, request: Request, result: Result, run_id: int,
             attempt: int) -> None:
        language = request.row_id.split(":", 1)[0]
        journal.record(result, run_id=run_id, template_key=f"translate:{language}:{job.model}")

    # (its QA batches go through the job's Batch API at the job's prices: no judge runner)
    return run_batches(_with_judge(job, False), requests, keep, wait=wait, on_round=on_round,
                       wait_for_lock=wait_for_lock)


def qa_in_batches(job: TranslateJob, *, wait: bool = True, on_round: Any = None,
                  wait_for_lock: bool = False) -> Any:
    """--qa in batch mode, once the translation's batches are collected: the packed QA
    requests (the verdicts on the translations the journal holds that pass the structural
    checks) through the Batch API as their own batches, journaled as the requests' results;
    translate_collected then reads them. Entries translated again, and their verdicts, go
    online with the retries alone."""
    from .batch import refuse_a_judge_elsewhere, run_batches

    refuse_a_judge_elsewhere(job, leave_out="leave out --qa")

    def keep(journal: Journal, request: Request, result: Result, run_id: int,
             attempt: int) -> None:
        language = request.row_id.split(":", 1)[0]
        journal.record(result, run_id=run_id, template_key=f"qa:{language}:{request.model}")

    return run_batches(_with_judge(job, False), lambda: _qa_requests(job), keep, wait=wait,
                       on_round=on_round, wait_for_lock=wait_for_lock)


class _SetAside:
    """A runner that sends nothing: what the journal lacks is set aside and comes back not
    sent ("skipped"), so the catalog stages run over the journal's answers alone."""

    def __init__(self) -> None:
        self.asked: dict[str, Request] = {}

    async def answer(self, request: Request) -> Result:
        self.asked.setdefault(request.fingerprint, request)
        return Result(row_id=request.row_id, fingerprint=request.fingerprint, status="skipped")


def _qa_requests(job: TranslateJob) -> list[Request]:
    """The packed QA requests the journal's translations call for, found by running the
    translation and QA stages over the journal with nothing sent and nothing written."""
    if not job.journal_path.exists():
        return []
    prepared = prepare_translation(job, endpoint=endpoint_for(job), free=False)
    translator = prepared.translator
    qa = QualityJudge(translator)
    aside = _SetAside()
    with Journal(job.journal_path) as journal:
        translator.bind(aside, journal, run_id=0)  # type: ignore[arg-type] - answers only
        for language in prepared.languages:
            language.hold = True

        async def stages() -> None:
            for language, units in prepared.work:
                await translator.batch(language, units)
                await qa.review(language, units)

        asyncio.run(stages())
    return [r for r in aside.asked.values() if r.model == qa.model and ":qa:" in r.row_id]


def translate_catalog(job: TranslateJob, *, progress: bool | None = None,
                      provider: Any = None, wait_for_lock: bool = False) -> TranslateReport:
    """Translate the job's catalog into every language it names; write each target.
    `provider` replaces the job's (batch mode: one that sends nothing, when its budget
    stopped the batches). One run of a job at a time: after pre-flight, a second run raises
    JobLocked (exit 4) unless `wait_for_lock`. Each run leaves a manifest beside the journal
    (unattended/manifest.py), its log lines and notifications, as a row job's run does."""
    deferred = provider is not None  # then the judge's requests are set aside too
    provider = provider or create_provider(job)
    prepared = prepare_translation(job, endpoint=provider.endpoint, free=provider.free)
    translator, languages, work = prepared.translator, prepared.languages, prepared.work
    qa = QualityJudge(translator) if job.qa else None
    own_judge = qa is not None and qa.target is not None
    models = [job.model] + ([qa.model] if qa is not None else [])
    # A judge with its own endpoint, key, prices or limits: the session's judge runner (its
    # own limiter and prices, the one budget). Otherwise QA shares the job's runner.
    session = RunSession(_with_judge(job, own_judge), provider,
                         spend=Spend(models[:1] if own_judge else models,
                                     [translator.output_cap]),
                         wait_for_lock=wait_for_lock,
                         judge_provider=provider if deferred else None)
    started_at = datetime.now().astimezone()
    with session:
        started = time.monotonic()
        run_id = session.begin(total=sum(len(u) for _, u in work), unit="entry",
                               progress=progress, entries=sum(len(u) for _, u in work),
                               models=models)
        translator.bind(session.routes, session.journal, run_id)
        if qa is not None:
            qa.runner = session.judge_runner
        for language in languages:
            language.hold = qa is not None  # written once judged

        async def handle(item: tuple[LanguageRun, list[Unit]]) -> None:
            await translator.batch(*item)
            if qa is not None:
                await qa.review(*item)
            session.bar.update(len(item[1]))

        stopped = session.send(work, handle)
        elapsed, batches = time.monotonic() - started, None
        if job.mode == "batch":  # after the batches: the whole batch run's time
            elapsed, batches = batch_run_time(session.journal, elapsed)
        for language in languages:
            if qa is not None:
                language.release_unjudged()
            language.settle(prepared.lock, prune=job.prune, accept_stale=job.accept_stale,
                            update_stale=job.update_stale)
        _write_targets(languages)
        prepared.lock.write()  # after the catalogs: a lock never names what was not written
        notes = session.notes(limits=False)
        session.log_retries()
        report = TranslateReport(languages=[lang.report for lang in languages],
                                 elapsed_s=elapsed, stopped=stopped, notes=notes,
                                 batches=batches)
        if session.lock_note:
            report.notes.append(session.lock_note)
        _record_translation(job, report, session, started_at)
    return report


def _with_judge(job: TranslateJob, judge: bool) -> TranslateJob:
    """The job as its run session sees it: with its `judge` only when QA sends through the
    judge's own runner (the session builds it: send/fallbacks.target_job, its key checked)."""
    return job if judge or job.judge is None else job.model_copy(update={"judge": None})


def translate_collected(job: TranslateJob, stopped: str | None, *,
                        progress: bool | None = None,
                        wait_for_lock: bool = False) -> TranslateReport:
    """After batch mode: the catalog translated from the answers the batches left in the
    journal (an entry refused goes online, alone). When the budget stopped the batches
    (`stopped`), nothing more is sent: what the journal lacks stays untranslated."""
    if stopped:
        report = translate_catalog(job, progress=False,
                                   provider=DeferringProvider(endpoint_for(job)))
        report.stopped = stopped
        return report
    return translate_catalog(job, progress=progress, wait_for_lock=wait_for_lock)


def _write_targets(languages: list[LanguageRun]) -> None:
    """Every target read back before any is written, then each written atomically; entries
    accepted but held back with the rest of their string are reported for review."""
    for language in languages:  # accepted, but not written with the rest of their string
        for entry, reason in language.target.held_back():
            language.report.translated -= 1
            language.report.refused.append((display_key(entry), reason))
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


def _record_translation(job: TranslateJob, report: TranslateReport, session: RunSession,
                        started_at: datetime) -> None:
    """The translation run's manifest: entries stand where a row job has rows, the entries
    left for review are its `attention`; written beside the journal (a run writes several
    catalogs)."""
    run_id = session.run_id
    langs = report.languages
    refused = [(r.language, key, reason) for r in langs for key, reason in r.refused]
    usage = sum((r.usage for r in langs), Usage())
    where = job.journal_path.with_name(f"{job.stem}.run-{run_id}.json")
    record = manifest.build(
        job_name=job.stem, job_file=job.source_file,
        templates=[job.template.resolve()] if job.template is not None else [],
        models=[job.model] + ([job.judge.model] if job.qa and job.judge else []),
        run_id=run_id, started=started_at,
        finished=datetime.now().astimezone(), elapsed_s=report.elapsed_s,
        exit_code=report.exit_code, stopped=report.stopped,
        rows={"total": sum(r.needed for r in langs), "new": None, "changed": None,
              "retried": None, "reused": None, "ok": sum(r.translated for r in langs),
              "failed": 0, "flagged": len(refused), "not_done": sum(r.not_sent for r in langs)},
        catalog={"path": str(job.catalog.resolve()), "sha256": manifest.file_hash(job.catalog),
                 "lock": str(job.lock_path.resolve())},
        languages=[{"language": r.language, "path": str(r.path.resolve()), "needed": r.needed,
                    "translated": r.translated, "left_for_review": len(r.refused),
                    "not_sent": r.not_sent, "requests": r.requests,
                    "added": r.added, "updated": r.updated, "stale_kept": len(r.stale_kept),
                    "removed": len(r.removed), "pruned": r.pruned, "obsoleted": r.obsoleted,
                    "baseline": r.baseline, "reused": r.reused,
                    "cost_usd": None if r.cost_usd is None else str(r.cost_usd),
                    **({"qa": r.qa.as_dict()} if r.qa is not None else {})}
                   for r in langs],
        tokens={"prompt": usage.prompt_tokens, "completion": usage.completion_tokens,
                "cached": usage.cached_tokens},
        cost_usd=sum((r.cost_usd or Decimal(0) for r in langs), Decimal(0)),
        unpriced=sum(1 for r in langs if r.cost_usd is None), budget=job.budget,
        limits=session.limits(),
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
    report.notes += session.record(record, where)
    report.notes.append(f"manifest: {where}")
