"""The glossary's term pairs, checked against a translation by exact matching: a source term
whose target term the translation lacks is a terminology error, found with no request.

A line `term = translation` (or `term: translation`, `term -> translation`, `term → translation`,
or tab-separated) is a pair; a line `[de]` makes the pairs after it apply to German only (until
the next such line); other lines are for the model only. Matching ignores case and, in languages
written with spaces between words, needs whole words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .mqm import Finding

_SEPARATORS = ("→", "->", "=", "\t", ":")
_SECTION = re.compile(r"^\s*\[(?P<lang>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\]\s*$")
#: Languages written without spaces between words: a term there is matched anywhere.
_UNSPACED = {"ja", "zh", "th", "lo", "km", "my", "bo", "yue", "wuu"}


@dataclass(frozen=True)
class Term:
    source: str
    target: str
    #: The language the pair is for (None: every target language).
    language: str | None = None


def parse_terms(text: str) -> list[Term]:
    terms: list[Term] = []
    language: str | None = None
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        if (section := _SECTION.match(line)) is not None:
            language = section["lang"].replace("_", "-")
            continue
        for separator in _SEPARATORS:
            source, found, target = line.partition(separator)
            if found:
                if source.strip() and target.strip():
                    terms.append(Term(source.strip(), target.strip(), language))
                break
    return terms


def _base(language: str) -> str:
    return re.split(r"[-_]", language)[0].lower()


def contains(text: str, term: str, language: str) -> bool:
    """Whether `text` holds `term`: case-insensitive, as a whole word where words are spaced."""
    if _base(language) in _UNSPACED:
        return term.casefold() in text.casefold()
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE) is not None


def misses(terms: list[Term], *, source: str, source_language: str, forms: list[str],
           language: str) -> list[Finding]:
    """A major terminology finding for each term of the source whose target term none of the
    translation's forms holds."""
    found = []
    for term in terms:
        if term.language is not None and _base(term.language) != _base(language) and (
                term.language.lower() != language.lower()):
            continue
        if contains(source, term.source, source_language) and not any(
                contains(form, term.target, language) for form in forms):
            found.append(Finding("terminology", "major", term.source,
                                 f"the glossary translates {term.source!r} as "
                                 f"{term.target!r}, which the translation lacks",
                                 by="glossary"))
    return found
