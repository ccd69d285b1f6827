"""Where each entry of a target catalog stands against today's source, and what to do about it.

An entry is `new` (the target has no translation), `current` (translated from the source as it
is now), `baseline` (translated elsewhere and not in the lock yet, from today's source as far
as the target says: taken as current and recorded), `stale_ours` (the source changed and the
target still holds the translation this tool wrote: translated again, the earlier one shown to
the model), `stale_theirs` (the source changed and the target holds someone else's translation,
or ours edited since: kept, reported with the old and the new source, marked for review where
the format can say so; translated again only with --update-stale), `reviewed` (marked for
review by an earlier run and no longer marked: a person looked at it, so it is current), or
`draft` (a translation the format marks for review: fuzzy, needs-review, unfinished). Keys the
target or the lock has and the source no longer has are orphans.

What a translation was made from comes from the lock (lock.py), else, for formats that keep
the source beside the target (gettext's msgid, XLIFF's and Qt's <source>, a String Catalog's
own language), from the target file itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .base import Entry, TargetCatalog
from .lock import OURS, THEIRS, Made, TranslationLock, forms_hash, source_text, text_id

NEW, CURRENT, BASELINE, STALE_OURS, STALE_THEIRS, REVIEWED, DRAFT = (
    "new", "current", "baseline", "stale_ours", "stale_theirs", "reviewed", "draft")


@dataclass
class EntryState:
    """One entry of one target against the source."""

    entry: Entry
    status: str
    #: The translation the target holds now (None: none).
    forms: list[str] | None = None
    #: The source text that translation was made from, when known and not today's.
    old_source: str | None = None


@dataclass
class LanguageState:
    """Every entry of one target, and the keys the source no longer has."""

    language: str
    states: list[EntryState] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)

    def having(self, *statuses: str) -> list[EntryState]:
        return [s for s in self.states if s.status in statuses]

    def count(self, *statuses: str) -> int:
        return sum(1 for s in self.states if s.status in statuses)


class Sources:
    """The source's entries with what each translation is made from (its text and the text's
    id), worked out once for every language."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self.texts = [source_text(e) for e in entries]
        self.ids = [text_id(t) for t in self.texts]
        self.keys = {e.key for e in entries}


def classify(language: str, sources: Sources | list[Entry], target: TargetCatalog,
             lock: TranslationLock) -> LanguageState:
    """Where every source entry stands in `target` (nothing is changed)."""
    if not isinstance(sources, Sources):
        sources = Sources(sources)
    out = LanguageState(language)
    made_here = lock.language(language)
    for entry, now, now_id in zip(sources.entries, sources.texts, sources.ids, strict=True):
        out.states.append(_state(entry, now, now_id, target, lock, made_here.get(entry.key)))
    held = target.translated_keys() | made_here.keys()
    out.orphans = sorted(held - sources.keys)
    return out


def _state(entry: Entry, now: str, now_id: str, target: TargetCatalog, lock: TranslationLock,
           made: Made | None) -> EntryState:
    found = target.existing(entry)
    draft = found is not None and target.is_draft(entry)
    if target.needs(entry) and not draft:
        return EntryState(entry, NEW)  # (a source text a CAT tool copied is no translation)
    forms = found or []  # (a String Catalog set with fewer phrases than the source's)
    if made is not None:
        old = now if made.source == now_id else lock.text(made)
        if old is None:  # the lock lost the text line: what it was made from is unknown
            old = target.recorded_source(entry)
    else:
        old = target.recorded_source(entry)
    if old is None or old == now:
        # (with no lock record, a translation the target keeps beside today's source is a
        # baseline too: a first run over a .po translated elsewhere says so)
        baseline = old is None or made is None
        return EntryState(entry, DRAFT if draft else BASELINE if baseline else CURRENT, forms)
    if made is not None and made.marked_for == now_id and not draft:
        return EntryState(entry, REVIEWED, forms, old)  # marked last time, a person cleared it
    ours = (made is not None and made.origin == OURS
            and made.translation == forms_hash(forms))
    return EntryState(entry, STALE_OURS if ours else STALE_THEIRS, forms, old)


def record_kept(language: str, state: LanguageState, lock: TranslationLock) -> int:
    """Record the translations taken as they are (baselines, reviewed ones) as made from
    today's source; returns how many baselines were recorded."""
    baselines = 0
    for s in state.having(BASELINE, REVIEWED, CURRENT):
        assert s.forms is not None
        made = lock.get(language, s.entry.key)
        if s.status == CURRENT and made is not None and made.source == text_id(
                source_text(s.entry)):
            continue  # the lock already says so
        origin = made.origin if s.status == CURRENT and made is not None else THEIRS
        lock.record(language, s.entry, s.forms, origin=origin)
        baselines += s.status == BASELINE
    return baselines
