"""The translation lock: which source text each translation of a catalog was made from.

A catalog's translations go stale when its source strings change, and a CI machine starts with
no journal, so what each translation was made from is kept in a small text file committed
beside the source catalog (`<source file>.lock`, e.g. `locales/en.json.lock`). One line per
source text, then one line per language and entry, sorted, so a release's diff shows exactly
the entries that changed:

    text	5c1e0a3f9b2d	"Your cart is empty"
    fr	"cart.empty"	5c1e0a3f9b2d	ours	9a8b7c6d5e4f

A `text` line gives a source text (JSON) its id (the first 12 hex digits of its SHA-256). An
entry line says, for one language and entry key (JSON): the id of the source text its
translation was made from; whose translation it is (`ours`: written by this tool, `theirs`: made
elsewhere and taken as it was, a person's or another tool's); the translation's own hash (12 hex
digits of the SHA-256 of its forms), so a later edit of it is seen; and, for an entry marked for
review because its source changed, the id of the new source it was marked for.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InputError
from ..files import atomic_write
from .base import Entry

HEADER = ("# pipeline translate: the source text each translation was made from. Commit it with "
          "the catalogs;\n# `pipeline translate --check` reads it (docs/catalogs.md, Keeping "
          "catalogs current).\n")
OURS, THEIRS = "ours", "theirs"
_ID_CHARS = 12
#: How JSON writes the separator of nested keys (catalogs.base.PART_SEP, i18next's SEP).
_SEP_ESCAPED = "\\u001f"


def source_text(entry: Entry) -> str:
    """What an entry's translation is made from: its text (and plural text)."""
    return entry.source if entry.source_plural is None else (
        f"{entry.source}\n{entry.source_plural}")


def text_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_ID_CHARS]


def forms_hash(forms: list[str]) -> str:
    """A translation's identity: its forms, in the target's order."""
    return hashlib.sha256("\x00".join(forms).encode("utf-8")).hexdigest()[:_ID_CHARS]


def lock_path(source: Path) -> Path:
    """Where a source catalog's lock lives: beside it, named after it."""
    return source.with_name(source.name + ".lock")


@dataclass(frozen=True)
class Made:
    """How one entry's translation in one language came to be."""

    #: The id of the source text it was made from (or taken as current for).
    source: str
    #: OURS or THEIRS.
    origin: str
    #: forms_hash of the translation when it was recorded.
    translation: str
    #: The id of the new source it was marked for review for (None: not marked).
    marked_for: str | None = None


class TranslationLock:
    """The lock file of one source catalog, read, updated during a run, and written back."""

    def __init__(self, path: Path):
        self.path = path
        self.texts: dict[str, str] = {}
        self.made: dict[tuple[str, str], Made] = {}
        #: `made` by language, built when first asked (reset by every change).
        self._by_language: dict[str, dict[str, Made]] | None = None

    @classmethod
    def read(cls, path: Path) -> TranslationLock:
        """The lock at `path` (empty when there is none yet). A line that cannot be read is
        an error naming the file and line: a lock edited by hand or merged badly must not be
        guessed at."""
        lock = cls(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return lock
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"translation lock {path} cannot be read: {exc}") from None
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            try:
                lock._read_line(line)
            except (ValueError, TypeError) as exc:
                raise InputError(
                    f"translation lock {path}, line {number}: {exc}. The lock is written by "
                    "`pipeline translate`: restore it from version control (a merge conflict "
                    "is solved by keeping both sides' lines and running translate again), or "
                    "delete it to take every current translation as made from today's source"
                ) from None
        return lock

    def _read_line(self, line: str) -> None:
        parts = line.split("\t")
        if parts[0] == "text":
            if len(parts) != 3:
                raise ValueError("a text line is: text, id, the text as JSON")
            value = json.loads(parts[2])
            if not isinstance(value, str) or text_id(value) != parts[1]:
                raise ValueError(f"text {parts[1]} does not match its id")
            self.texts[parts[1]] = value
            return
        if len(parts) not in (5, 6):
            raise ValueError("an entry line is: language, key (JSON), text id, ours or theirs, "
                             "translation hash[, the text id it was marked for]")
        language, key, source, origin, translation = parts[:5]
        if origin not in (OURS, THEIRS):
            raise ValueError(f"'{origin}' is neither {OURS} nor {THEIRS}")
        inner = key[1:-1].replace(_SEP_ESCAPED, "\x1f")  # nested keys' separator
        if len(key) >= 2 and key[0] == key[-1] == '"' and "\\" not in inner \
                and '"' not in inner:
            entry_key = inner  # the usual key, without escapes: no JSON parser needed
        else:
            entry_key = json.loads(key)
        if not isinstance(entry_key, str):
            raise ValueError("the key is not a JSON string")
        self.made[language, entry_key] = Made(source, origin, translation,
                                              parts[5] if len(parts) == 6 else None)

    # -- asking ------------------------------------------------------------------------------
    def get(self, language: str, key: str) -> Made | None:
        return self.made.get((language, key))

    def text(self, made: Made) -> str | None:
        """The source text a translation was made from (None: the lock lacks its line)."""
        return self.texts.get(made.source)

    def keys(self, language: str) -> set[str]:
        return set(self.language(language))

    def language(self, language: str) -> dict[str, Made]:
        """One language's entries, by key."""
        if self._by_language is None:
            self._by_language = {}
            for (lang, key), made in self.made.items():
                self._by_language.setdefault(lang, {})[key] = made
        return self._by_language.get(language, {})

    # -- recording ---------------------------------------------------------------------------
    def record(self, language: str, entry: Entry, forms: list[str], *, origin: str) -> None:
        """A translation of `entry` in `language` is current for its source as it is now."""
        text = source_text(entry)
        source = text_id(text)
        self.texts[source] = text
        self.made[language, entry.key] = Made(source, origin, forms_hash(forms))
        self._by_language = None

    def mark(self, language: str, entry: Entry) -> None:
        """The entry's translation (made from an older source) was marked for review for the
        source as it is now: a later run that finds it no longer marked takes it as current."""
        made = self.made.get((language, entry.key))
        if made is None:
            return
        text = source_text(entry)
        self.texts[text_id(text)] = text
        self.made[language, entry.key] = replace(made, marked_for=text_id(text))
        self._by_language = None

    def forget(self, language: str, key: str) -> None:
        self.made.pop((language, key), None)
        self._by_language = None

    # -- writing -----------------------------------------------------------------------------
    def render(self) -> str:
        """The lock's text, in a fixed order; texts no entry uses are left out."""
        used = {made.source for made in self.made.values()} | {
            made.marked_for for made in self.made.values() if made.marked_for}
        lines = [HEADER]
        lines += [f"text\t{tid}\t{json.dumps(self.texts[tid], ensure_ascii=False)}\n"
                  for tid in sorted(used) if tid in self.texts]
        for (language, key), made in sorted(self.made.items()):
            fields = [language, json.dumps(key, ensure_ascii=False), made.source, made.origin,
                      made.translation] + ([made.marked_for] if made.marked_for else [])
            lines.append("\t".join(fields) + "\n")
        return "".join(lines)

    def write(self) -> bool:
        """Write the lock when its text changed; True when it did."""
        text = self.render()
        try:
            if self.path.read_text(encoding="utf-8") == text:
                return False
        except OSError:
            pass
        atomic_write(self.path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        return True
