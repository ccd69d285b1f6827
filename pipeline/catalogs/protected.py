"""Tokens a translation must copy verbatim: URLs, e-mail addresses, link targets, inline code,
command-line options and environment variables.

None of these is a placeholder the app fills in, so the placeholder checks do not see them, yet a
translation that drops or alters one ships a dead link or a wrong command (a model translating a
sentence about `--full` readily writes `--complet`). They are found in the source, named to the
model in the prompt, and a translation that lacks any of them, as many times as the source has
it, is refused like a lost placeholder.
"""

from __future__ import annotations

import re
from collections import Counter

# Inline code: ``x`` (reST literal) or `x` (Markdown code, reST interpreted text), not the
# `quote' style some catalogs use for quoting, and not a reST link (`text <url>`_).
_DOUBLE_CODE = re.compile(r"``[^`\n]+?``")
_CODE = re.compile(r"(?<![`\w])`(?!`)[^`'\n<]+`(?![`_\w])")
# reST hyperlink `text <target>`_ and Markdown [text](target): only the target is kept; the
# text is translated.
_REST_LINK = re.compile(r"`[^`<>\n]*<([^<>`\s]+)>`__?")
_MD_LINK = re.compile(r"\[[^\]\n]*\]\(([^()\s]+)\)")
# Autolinks <https://...>, <mailto:...>: kept with their angle brackets.
_AUTOLINK = re.compile(r"<(?:[a-z][a-z0-9+.-]*://|mailto:)[^<>\s]+>", re.IGNORECASE)
_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'`]+", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
# --long-option (not an em dash written as --), and ENV_VARS: capitals with an underscore, so
# acronyms a translation may inflect or spell out (URL, HTML) are left alone.
_OPTION = re.compile(r"(?<![\w-])--[A-Za-z][\w-]*(?:=[^\s,;)\]]+)?")
_ENV_VAR = re.compile(r"(?<![\w$])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
_TRAILING = ".,;:!?)]}'\""


def _url(found: str) -> str:
    """A bare URL without the sentence's punctuation after it (a closing parenthesis stays
    when the URL opened one, as Wikipedia's do)."""
    while found and found[-1] in _TRAILING:
        if found[-1] == ")" and found.count("(") >= found.count(")"):
            break
        found = found[:-1]
    return found


def protected_tokens(text: str) -> list[str]:
    """The tokens of `text` to keep verbatim, in order of appearance (repeats included)."""
    found: list[tuple[int, str]] = []
    rest = text

    def take(pattern: re.Pattern[str], group: int = 0, clean=None) -> None:
        nonlocal rest
        for match in list(pattern.finditer(rest)):
            token = match.group(group)
            token = clean(token) if clean else token
            if token:
                found.append((match.start(group), token))
        # Mask what was taken (same length, so positions stay) so a URL inside code or a link
        # target is not counted twice.
        rest = pattern.sub(lambda m: "\0" * len(m.group(0)), rest)

    take(_DOUBLE_CODE)
    take(_REST_LINK, 1)
    take(_MD_LINK, 1)
    take(_CODE)
    take(_AUTOLINK)
    take(_URL, clean=_url)
    take(_EMAIL)
    take(_OPTION)
    take(_ENV_VAR)
    return [token for _, token in sorted(found)]


def lost_tokens(source: str, translation: str) -> list[str]:
    """The source's protected tokens the translation does not have (as often as the source)."""
    want = Counter(protected_tokens(source))
    return sorted(token for token, n in want.items() if translation.count(token) < n)
