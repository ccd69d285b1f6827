"""What every catalog format offers the translator: entries to translate, and a target to fill.

An `Entry` is one translatable message with everything a translator needs to see (context,
comments, references, key path) and the forms its translation must have: one text, or one per
plural form of the target language. A `TargetCatalog` is the catalog being written for one
language: it says which entries still need a translation, takes accepted translations and
reasons for the ones left for review, and writes itself back without touching anything else.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import babel

from ..errors import ConfigError, InputError
from ..languages import cldr_categories, one_is_only_one
from .placeholders import Rules


@dataclass
class Entry:
    """One message of the source catalog."""

    #: Unique within the catalog (po: context + msgid; JSON: the key path).
    key: str
    source: str
    #: The source's plural text (po msgid_plural; i18next `_other`), when the entry is plural.
    source_plural: str | None = None
    context: str | None = None
    comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    rules: Rules = field(default_factory=Rules)
    #: The most characters each form of its translation may have, as the catalog itself says
    #: (XLIFF 1.2 `maxwidth` with `size-unit="char"`); the job may set a tighter one.
    max_length: int | None = None
    #: The format's own word on which meaning of its text this is (gettext's msgctxt, a Qt
    #: message's disambiguating <comment>): the same text with another sense is another
    #: message, translated apart. A key path is no sense: the same text under two keys is one
    #: message, translated once (shared.py).
    sense: str | None = None

    @property
    def plural(self) -> bool:
        return self.source_plural is not None


def display_key(entry: Entry) -> str:
    """How reports name an entry: its text (cut at 60 characters) and where it is."""
    text = entry.source if len(entry.source) <= 60 else entry.source[:57] + "..."
    where = f" ({entry.context})" if entry.context and entry.context != entry.source else ""
    return json.dumps(text, ensure_ascii=False) + where


def display_key_text(key: str) -> str:
    """How reports name an entry known only by its key (one the source no longer has): a
    gettext key's context after its text, as display_key shows it, and the separators that
    join a nested or partial key's parts as dots, never as control characters."""
    if "\x04" in key:
        context, text = key.split("\x04", 1)
        return display_key(Entry(key=key, source=text, context=context))
    return key.replace("\x1f", ".")


@dataclass(frozen=True)
class Form:
    """One form a translation must have: its name and when it is used."""

    name: str
    use: str = ""
    #: Used for exactly one number, 1: it may follow the singular source (no count in it).
    only_one: bool = False


def read_catalog(path: Path) -> bytes:
    """A catalog's bytes, or the error a user can act on."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"catalog {path} does not exist") from None
    except IsADirectoryError:
        raise InputError(f"catalog {path} is a folder: name the catalog file in it") from None


def cldr_forms(language: str, categories: list[str] | None = None) -> list[Form]:
    """One form per CLDR plural category of `language` (or the `categories` given: ordinals);
    `one` may follow the singular source where it holds the number 1 alone."""
    single = categories is None and one_is_only_one(language)
    return [Form(c, f"the CLDR '{c}' plural category of {language}",
                 only_one=c == "one" and single)
            for c in (cldr_categories(language) if categories is None else categories)]


class TargetCatalog(ABC):
    """The catalog for one target language, as it will be written."""

    language: str
    path: Path

    @abstractmethod
    def needs(self, entry: Entry) -> bool:
        """Whether the entry still needs a translation here (missing, or fuzzy when asked)."""

    @abstractmethod
    def forms(self, entry: Entry) -> list[Form]:
        """The forms a translation of this entry must have in this language."""

    @abstractmethod
    def accept(self, entry: Entry, forms: list[str]) -> None:
        """Take a checked translation."""

    @abstractmethod
    def refuse(self, entry: Entry, reason: str) -> None:
        """Leave the entry untranslated, saying why (where the format has room for it)."""

    # -- where its translations stand (lifecycle.py) ------------------------------------------
    def existing(self, entry: Entry) -> list[str] | None:
        """The translation the target holds for the entry now, as its forms in `forms()`'s
        order (None: it holds none). A draft (fuzzy, needs review) counts."""
        raise NotImplementedError(f"{type(self).__name__} does not say what it holds")

    def read_back(self, entry: Entry, forms: list[str]) -> list[str]:
        """An accepted translation as `existing` will read it once written (an XML writer
        gives `<br />` back as `<br/>`): the lock records this, so our own translation is
        known as ours on the next run."""
        return forms

    def is_draft(self, entry: Entry) -> bool:
        """Whether the format marks the entry's translation for review (gettext fuzzy, XLIFF
        needs-review-*, Qt unfinished, a String Catalog's needs_review)."""
        return False

    def recorded_source(self, entry: Entry) -> str | None:
        """Formats that keep the source beside the translation (XLIFF, Qt, a String Catalog):
        the source text (lock.source_text's form) the target's translation sits beside. None:
        the format does not say."""
        return None

    def translated_keys(self) -> set[str]:
        """The entry keys the target holds a translation for, the source's or not: those the
        source no longer has are orphans (reported, pruned with --prune)."""
        return set()

    def mark_stale(self, entry: Entry, old_source: str) -> bool:
        """Mark the entry's translation for review, its source having changed from
        `old_source`, where the format has a state for it; True when it did (the translation
        itself is kept)."""
        return False

    def earlier(self, entry: Entry) -> tuple[str, list[str]] | None:
        """For an entry the target has no translation for: a translation it holds of a
        similar source text (gettext: msgmerge's fuzzy match), as that text (source_text's
        form) and its forms, shown to the model as the earlier translation. None: none."""
        return None

    #: Orphans leave the written target in every run, not only with --prune (gettext makes
    #: them obsolete, `#~`, as msgmerge does): `prune` is called for each of them.
    obsoletes_orphans: bool = False

    def prune(self, key: str) -> bool:
        """Remove an orphan (a key the source no longer has) from what is written; True when
        the format can (gettext makes them obsolete instead, always)."""
        return False

    @property
    def plural_rule(self) -> str:
        """Which plural rule this target is written with, and where it came from (for the
        report): CLDR's categories unless the format states its own."""
        return (f"plural categories {', '.join(cldr_categories(self.language))} "
                f"(CLDR via Babel {babel.__version__})")

    def unwritable(self, entry: Entry) -> str | None:
        """Why no translation of this entry can be written to this format (None: it can).
        Asked before anything is sent, so such an entry costs nothing and is reported."""
        return None

    def held_back(self) -> list[tuple[Entry, str]]:
        """Accepted entries that are not written, and why: a format whose parts are written
        together (an Apple string and its plural substitutions) leaves them all out when one
        was left for review. They are reported with the entries left for review."""
        return []

    def extra_problems(self, entry: Entry, forms: list[str]) -> list[str]:
        """Checks only this format knows (ICU: the message structure). Empty: none."""
        return []

    @abstractmethod
    def render(self) -> str:
        """The whole catalog as text, untouched parts byte for byte."""

    def render_bytes(self) -> bytes:
        """The file's bytes (formats with their own encoding, such as UTF-16 .strings,
        override this)."""
        return self.render().encode("utf-8")

    def verify(self, data: bytes) -> list[str]:
        """What is wrong with `data` read back by the format's own reader (empty: it reads
        back as written). Checked before the file is written."""
        return []


class Catalog(ABC):
    """A source catalog in one format: its entries, and targets for other languages. Each
    format's class is registered once, in formats.py (`CATALOG_FORMAT_ROWS`)."""

    path: Path
    #: What the format is called in the prompt and in error messages.
    format_name: str
    #: Every language in one file (a String Catalog): targets add to the source file.
    multilingual: bool = False

    @classmethod
    def claims(cls, path: Path) -> bool:
        """Whether a file with one of this format's suffixes is in this format. Formats that
        share a suffix tell their files apart here, by content (an unreadable file is claimed
        by the format whose reader will say what is wrong with it)."""
        return True

    @abstractmethod
    def entries(self) -> list[Entry]:
        """The translatable entries, in file order."""

    @abstractmethod
    def target(self, language: str, path: Path, *, include_fuzzy: bool = False,
               plural_forms: str | None = None) -> TargetCatalog:
        """The target catalog at `path`: updated when it exists, else made from this one.
        `plural_forms` is a gettext rule from the job (only gettext catalogs take one)."""

    def refuse_plural_forms(self, language: str, plural_forms: str | None) -> None:
        """Formats whose plural forms are CLDR's categories take no gettext rule."""
        if plural_forms is not None:
            raise ConfigError(f"plural_forms is a gettext Plural-Forms rule; {self.path} is a "
                              f"{self.format_name} catalog, whose plural forms are CLDR's "
                              f"categories: drop plural_forms for {language}")

    def default_target_path(self, source_language: str, language: str) -> Path | None:
        """Where this format's ecosystem keeps `language`'s file (None: the generic rule of
        catalogs.target_path)."""
        return None


#: Between a string's key and the part of it an entry is (an Apple plural variable, a
#: String Catalog substitution or device variation).
PART_SEP = "\x1f"


class WholeGroups:
    """Entries a format writes together or not at all: an Apple string and its plural parts
    (a format whose %#@arg@ had no texts would show it raw), an Android string-array or an
    i18next list (a shorter list breaks the app's indexes). A group is complete when each of
    its entries has a translation, here or in the file; an accepted entry of an incomplete
    group is held back, and reported with what was left for review."""

    def __init__(self, entries: list[Entry], group_of: Callable[[str], str | None],
                 written: str):
        #: Entries by group, from `group_of(key)` (None: the entry is in no group).
        self.groups: dict[str, list[Entry]] = {}
        for entry in entries:
            if (group := group_of(entry.key)) is not None:
                self.groups.setdefault(group, []).append(entry)
        #: What the report says is written whole ("its string", "a list").
        self._written = written

    def missing(self, group: str, done: dict[str, list[str]],
                needs: Callable[[Entry], bool]) -> list[Entry]:
        """The group's entries with no translation, here or in the file."""
        return [e for e in self.groups.get(group, []) if e.key not in done and needs(e)]

    def incomplete(self, done: dict[str, list[str]],
                   needs: Callable[[Entry], bool]) -> set[str]:
        return {group for group in self.groups if self.missing(group, done, needs)}

    def held_back(self, done: dict[str, list[str]],
                  needs: Callable[[Entry], bool]) -> list[tuple[Entry, str]]:
        out = []
        for group, entries in self.groups.items():
            missing = self.missing(group, done, needs)
            if missing:
                names = ", ".join(e.context or e.key for e in missing)
                out += [(entry, f"translated, but not written: {self._written} is written "
                         f"whole and {names} was left for review")
                        for entry in entries if entry.key in done]
        return out


class WholeStringsTargetCatalog(TargetCatalog):
    """A target whose format writes each string whole or not at all (an Apple string and its
    plural substitutions). Its entries are parts of strings (`<string key><PART_SEP><part>`),
    grouped by string key (`WholeGroups`)."""

    def __init__(self, entries: list[Entry]):
        self.done: dict[str, list[str]] = {}
        self._strings = WholeGroups(entries, lambda key: key.split(PART_SEP)[0], "its string")

    def accept(self, entry: Entry, forms: list[str]) -> None:
        self.done[entry.key] = forms

    def refuse(self, entry: Entry, reason: str) -> None:
        self.done.pop(entry.key, None)  # left out: the app shows the source language

    def complete(self, key: str) -> bool:
        """Whether every part of the string has a translation, here or in the file."""
        return not self._strings.missing(key, self.done, self.needs)

    def held_back(self) -> list[tuple[Entry, str]]:
        return self._strings.held_back(self.done, self.needs)
