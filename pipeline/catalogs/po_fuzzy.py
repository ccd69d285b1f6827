"""msgmerge's fuzzy match: which translated message of an existing .po is close enough to a new
msgid for its translation to be offered (as msgmerge's `#, fuzzy` entry with `#| msgid`).

The same rule as GNU gettext's msgmerge (msgl-fsearch.c, message.c, gnulib's fstrcmp.c), so a
catalog we update gets the fuzzy matches msgmerge would give (tests/test_catalog_lifecycle_po.py
compares both on Django's catalogs):
- similarity is fstrcmp: 2 × the longest common subsequence of the two msgids' UTF-8 bytes,
  over the sum of their lengths (1.0: equal; difflib's ratio approximates it from below);
- a candidate is a message with a translation (its msgstr, or msgstr[0], not empty), live,
  obsolete or fuzzy alike, other than the header;
- a msgid of four characters or more is compared only with candidates sharing one of its
  character 4-grams, taken in decreasing order of shared 4-grams (then file order); a shorter
  msgid with candidates whose length in bytes could reach the threshold, shortest first;
- the best strictly above FUZZY_THRESHOLD (0.6) wins, a candidate with no msgctxt or the same
  msgctxt having a 0.00001 head start (a translation for one context is a good proposal for
  another, a same-context one a better one); ties go to the one met first.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

FUZZY_THRESHOLD = 0.6  # gettext's message.h
_SAME_CONTEXT_BONUS = 0.00001
_GRAM = 4
#: Byte length of the longest msgid shorter than a 4-gram (3 characters of up to 4 bytes),
#: and the longest candidate such a msgid can match (msgl-fsearch.c's SHORT_MSG_MAX).
_SHORT_BYTES = (_GRAM - 1) * 4
_SHORT_MAX = int(_SHORT_BYTES * (2 / FUZZY_THRESHOLD - 1))


def lcs_length(a: bytes, b: bytes) -> int:
    """The length of the longest common subsequence of two byte strings (bit-parallel, after
    Hyyrö: one big-integer step per byte of the shorter)."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return 0
    masks: dict[int, int] = {}
    for i, byte in enumerate(a):
        masks[byte] = masks.get(byte, 0) | 1 << i
    full = (1 << len(a)) - 1
    v = full
    for byte in b:
        u = v & masks.get(byte, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - v.bit_count()


def similarity(a: str, b: str) -> float:
    """gettext's fstrcmp of two msgids: 2 × LCS / (len a + len b), over UTF-8 bytes."""
    x, y = a.encode("utf-8"), b.encode("utf-8")
    total = len(x) + len(y)
    return 1.0 if total == 0 else 2 * lcs_length(x, y) / total


@dataclass(frozen=True)
class Candidate:
    """A translated message of the existing catalog, in file order."""

    msgctxt: str | None
    msgid: str


class FuzzyIndex:
    """The translated messages of one catalog, indexed as msgmerge indexes them."""

    def __init__(self, candidates: Sequence[Candidate]):
        self.candidates = list(candidates)
        self._grams: dict[str, list[int]] = {}
        self._short: dict[int, list[int]] = {}
        for index, c in enumerate(self.candidates):
            for gram in dict.fromkeys(_grams(c.msgid)):
                self._grams.setdefault(gram, []).append(index)
            size = len(c.msgid.encode("utf-8"))
            if size <= _SHORT_MAX:
                self._short.setdefault(size, []).append(index)

    def best(self, msgctxt: str | None, msgid: str) -> int | None:
        """The position of the candidate msgmerge would take for a message it has no exact
        match for (None: none is close enough)."""
        best, best_weight = None, FUZZY_THRESHOLD
        for index in self._order(msgid):
            weight = self._weight(self.candidates[index], msgctxt, msgid, best_weight)
            if weight > best_weight:
                best, best_weight = index, weight
        return best

    def _order(self, msgid: str) -> list[int]:
        grams = _grams(msgid)
        if grams:
            shared: Counter[int] = Counter()
            for gram in grams:  # every occurrence counts, as msgl-fsearch.c sums them
                shared.update(self._grams.get(gram, ()))
            return sorted(shared, key=lambda i: (-shared[i], i))
        size = len(msgid.encode("utf-8"))
        factor = 2 / FUZZY_THRESHOLD - 1
        low, high = math.ceil(size / factor), int(size * factor)
        return [i for length in range(low, high + 1) for i in self._short.get(length, ())]

    @staticmethod
    def _weight(candidate: Candidate, msgctxt: str | None, msgid: str, bound: float) -> float:
        bonus = _SAME_CONTEXT_BONUS if candidate.msgctxt is None or (
            msgctxt is not None and msgctxt == candidate.msgctxt) else 0.0
        x, y = len(msgid.encode("utf-8")), len(candidate.msgid.encode("utf-8"))
        if x + y and 2 * min(x, y) / (x + y) + bonus <= bound:
            return 0.0  # cannot beat the best so far, whatever the two have in common
        return similarity(msgid, candidate.msgid) + bonus


def _grams(text: str) -> list[str]:
    return [text[i:i + _GRAM] for i in range(len(text) - _GRAM + 1)]
