"""One source text, one translation: entries of a run that are the same message are translated
once, and a translation the project already has of the same text is shown to the model as the
reference for a new key.

Two entries are the same message when they have the same text and plural text, and the same
sense where the format has a word for it (gettext's msgctxt: `Open` as a verb and as an
adjective are two messages; a Qt message's disambiguating <comment>); a key path, an XLIFF
unit id or a Qt context (a class name) is no sense, so the same text under two keys
(`save.button`, `dialog.save`) is one message. Sharing one translation also takes the same
notes for the translator (a comment, an ARB or XLIFF description or meaning: two notes may
mean two meanings) and the same forms in the target.

References come from the target itself (another key with the same text already translated
from today's source) and from sibling catalogs: when the source sits in a folder of its
language and its target goes to another folder under the same name (`res/values/` ->
`res/values-fr/`, `locale/en/LC_MESSAGES/` -> `locale/fr/LC_MESSAGES/`, `en.lproj/`,
`locales/en/*.json`), the other catalogs of the same format in the source's folder, each with
its target of the same name in the target's folder and its own lock. Where languages sit side
by side in one folder (`locales/en.json` beside `fr.json`) the folder's other files are other
languages, not siblings, and none is read.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..config import TranslateJob
from ..errors import PipelineError
from . import open_catalog, target_path
from .base import Catalog, Entry, TargetCatalog
from .lifecycle import BASELINE, CURRENT, REVIEWED, LanguageState, classify
from .lock import TranslationLock, lock_path, source_text
from .registry import claimed_by

#: The most sibling catalogs read for references (the first ones by name).
MAX_SIBLINGS = 20
#: Translations taken as made from today's source: what a reference may be.
_CURRENT = (CURRENT, BASELINE, REVIEWED)


def message_of(entry: Entry) -> tuple[str, str | None]:
    """What makes two entries one message: the text (and plural text), and the sense the
    format gives it (gettext's msgctxt, Qt's disambiguation)."""
    return source_text(entry), entry.sense


def split_shared(entries: list[Entry],
                 target: TargetCatalog) -> tuple[list[Entry], dict[str, list[Entry]]]:
    """The entries to send (the first of each message) and, by the key of each sent entry,
    the entries that take its translation."""
    first: dict[Hashable, Entry] = {}
    followers: dict[str, list[Entry]] = {}
    sent: list[Entry] = []
    for entry in entries:
        same = (message_of(entry), tuple(entry.comments),
                tuple(f.name for f in target.forms(entry)), entry.rules)
        leader = first.setdefault(same, entry)
        if leader is entry:
            sent.append(entry)
        else:
            followers.setdefault(leader.key, []).append(entry)
    return sent, followers


@dataclass(frozen=True)
class Reference:
    """A translation the project already has of an entry's text: where, and its forms."""

    where: str
    forms: list[str]


def _written_name(source: Path) -> str:
    """A catalog's name as its translations are named in a language folder (a .pot's: .po)."""
    return source.with_suffix(".po").name if source.suffix == ".pot" else source.name


def _name(entry: Entry) -> str:
    return entry.context or entry.key


def references(state: LanguageState, where: str = "",
               into: dict[tuple[str, str | None], Reference] | None = None,
               ) -> dict[tuple[str, str | None], Reference]:
    """The current translations of one target by message (the first in file order), added to
    `into` where it has none for a message."""
    found = {} if into is None else into
    for s in state.having(*_CURRENT):
        if s.forms and any(s.forms):
            found.setdefault(message_of(s.entry),
                             Reference(f"{where}{_name(s.entry)}", s.forms))
    return found


class Siblings:
    """The source's sibling catalogs (see the module's docstring), each read once."""

    def __init__(self, job: TranslateJob, catalog: Catalog, fmt: str):
        self.job = job
        self.catalog = catalog
        self.format = fmt
        self._opened: dict[Path, tuple[Catalog, list[Entry]] | None] = {}

    @cached_property
    def paths(self) -> list[Path]:
        """The siblings by name: files of the source's folder with its suffix and format."""
        source = self.job.catalog
        try:
            found = sorted(p for p in source.parent.iterdir()
                           if p.suffix == source.suffix and p.name != source.name and p.is_file())
        except OSError:
            return []
        return [p for p in found if claimed_by(p) == self.format][:MAX_SIBLINGS]

    def _target_folder(self, language: str) -> Path | None:
        """The folder the source's `language` catalog goes to, when it is another folder and
        the catalog keeps the source's name there (None: the languages sit side by side)."""
        job = self.job
        mine = target_path(job.catalog, job.from_, language, job.output, self.catalog)
        if mine.parent.resolve() == job.catalog.parent.resolve() or (
                mine.name != _written_name(job.catalog)):
            return None
        return mine.parent

    def _open(self, path: Path) -> tuple[Catalog, list[Entry]] | None:
        if path not in self._opened:
            try:
                catalog = open_catalog(path, self.format)
                self._opened[path] = catalog, catalog.entries()
            except (PipelineError, OSError, ValueError):
                self._opened[path] = None  # a sibling that cannot be read is not used
        return self._opened[path]

    def add_references(self, language: str,
                       into: dict[tuple[str, str | None], Reference]) -> None:
        """The current translations of every sibling's `language` catalog, by message."""
        folder = None if self.catalog.multilingual else self._target_folder(language)
        if folder is None:
            return
        for sibling in self.paths:
            where = folder / _written_name(sibling)
            opened = self._open(sibling) if where.is_file() else None
            if opened is None:
                continue
            catalog, entries = opened
            try:
                if target_path(sibling, self.job.from_, language, self.job.output,
                               catalog).resolve() != where.resolve():
                    continue  # its ecosystem puts its language elsewhere
                target = catalog.target(language, where,
                                        plural_forms=self.job.plural_forms_for(language))
                state = classify(language, entries, target,
                                 TranslationLock.read(lock_path(sibling)))
            except (PipelineError, OSError, ValueError):
                continue
            references(state, f"{where.parent.name}/{where.name}: ", into)
