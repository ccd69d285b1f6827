"""Anchors: each entry of a packed request is named by its number *and* a word of its own text.

An LLM translating a list loses its place: it skips an item and numbers the rest one too low,
repeats one, or gives two items each other's numbers. With bare numbers such a reply looks
perfect, and a translation lands in another entry, silently when neither has placeholders. So
each entry's id is `<n> <word>`: its number in the request and an anchor, a word of its source
text that no other entry of the request has as its anchor (`3 Bengali`, `12 valid`). A model
that copies the id of the entry it is translating writes the right pair; one that has lost its
place writes its running number with the anchor of the text it is actually translating, a pair
that was never asked for. Such an item is not trusted; both entries involved are retried alone.

Measured (bench/bench_anchors.py): the anchors add about 5% to the reply's tokens on Django's core
catalog, and packing is unchanged.
"""

from __future__ import annotations

import hashlib
import itertools
import re

from .placeholders import strip_placeholders
from .protected import protected_tokens

_WORD = re.compile(r"[^\W\d_]+")
#: A run of letters longer than this (a CJK sentence has no spaces) anchors by its start.
_LONGEST = 15
_START = 4


def _words(text: str) -> list[str]:
    """Words of the text a model can copy, in order: placeholders, tags, URLs and code left
    out; one-letter words too (never anchors alone: too easily written by accident)."""
    for token in protected_tokens(text):
        text = text.replace(token, " ")
    return [w if len(w) <= _LONGEST else w[:_START]
            for w in _WORD.findall(strip_placeholders(text))]


def choose_anchor(text: str, key: str, taken: set[str]) -> str:
    """The first word of `text` not yet an anchor in this request (compared without case), else
    the first pair of neighbouring words not taken, else a short token made from the entry's
    key: entries with the same text in other contexts (`{}th` for each ordinal) or with no
    words at all (`%s: %s`) are told apart by it."""
    words = _words(text)
    # Words of three letters or more first: a two-letter word ("de", "to") is more easily
    # written by accident.
    singles = [w for w in words if len(w) >= 3] + [w for w in words if len(w) == 2]
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(words)]
    for anchor in [*singles, *pairs]:
        if anchor.casefold() not in taken:
            return anchor
    digest = hashlib.sha1(key.encode()).hexdigest()
    for start in range(0, len(digest) - 4):
        token = "k" + digest[start:start + 4]
        if token not in taken:
            return token
    raise AssertionError("unreachable: more entries in one request than tokens")


def entry_id(number: int, anchor: str) -> str:
    return f"{number} {anchor}"


def split_id(item_id: str) -> tuple[str, str]:
    """An id as the model wrote it: its number and its anchor (either may be empty)."""
    number, _, anchor = item_id.strip().partition(" ")
    return number, anchor.strip()
