"""How long a translation may be: the catalog's own limit (XLIFF `maxwidth` in characters), the
job's `max_length` by key pattern and its `max_length_ratio` to the source; the tightest holds.

Lengths are Python's `len`: Unicode code points of the text as the catalog stores it,
placeholders and tags included. An accented letter is one code point when precomposed (NFC,
as translations nearly always are) and two when written as a letter and a combining accent;
an emoji is one (JavaScript's and Java's `length`, counting UTF-16 units, say two). Grapheme
clusters (what a reader sees as one character) are not counted: a text never has fewer code
points than clusters, so a translation within the limit in code points is within it as seen.
A translation over its limit is refused (and asked again, shorter), never cut.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fnmatch import fnmatchcase

from ..config import TranslateJob
from .base import Entry


@dataclass(frozen=True)
class Limit:
    """The most characters each form of an entry's translation may have, and who says so."""

    chars: int
    why: str


def limit_name(entry: Entry) -> str:
    """What a job's `max_length` patterns are matched against: the name the report shows in
    parentheses (a key path with dots, an Android string's name, an XLIFF unit's id; for
    gettext the msgctxt, else the msgid)."""
    return entry.context or entry.source


def length_limit(entry: Entry, job: TranslateJob) -> Limit | None:
    """The tightest limit on the entry's translation (None: none)."""
    found: list[Limit] = []
    if entry.max_length is not None:
        found.append(Limit(entry.max_length,
                           f"the catalog's maxwidth of {entry.max_length} characters"))
    name = limit_name(entry)
    for pattern, chars in job.max_length.items():
        if fnmatchcase(name, pattern):
            found.append(Limit(chars, f'the job\'s max_length "{pattern}" = {chars}'))
    if job.max_length_ratio is not None:
        longest = max(len(entry.source), len(entry.source_plural or ""))
        chars = max(1, math.floor(job.max_length_ratio * longest + 1e-9))
        found.append(Limit(chars, f"the job's max_length_ratio {job.max_length_ratio:g} "
                                  f"times the source's {longest} characters"))
    return min(found, key=lambda limit: limit.chars, default=None)


def length_problem(limit: Limit | None, text: str, what: str, *,
                   pipes: bool = False) -> str | None:
    """Why `text` is too long (None: it is not), stated so the model can shorten it. A
    Symfony message's |-separated forms (`pipes`) are shown one at a time: each is held to
    the limit."""
    if limit is None:
        return None
    forms = text.split("|") if pipes else [text]
    longest = max(forms, key=len)
    if len(longest) <= limit.chars:
        return None
    if len(forms) > 1:
        what = f"the longest |-separated form of {what}"
    return (f"{what} is {len(longest)} characters long; at most {limit.chars} are allowed "
            f"({limit.why}): give a shorter translation that still says it all, do not cut "
            "it off")
