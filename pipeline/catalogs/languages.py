"""Languages: names, gettext plural forms and CLDR plural categories, from Babel's CLDR data.

Babel ships CLDR inside its wheel, so nothing is looked up at run time. A gettext catalog that
already states its Plural-Forms keeps them (Django's Russian catalogs use four forms where CLDR
has three); a new catalog gets Babel's.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural

from ..errors import ConfigError

#: CLDR's plural categories in their canonical order (i18next suffixes, ICU keywords).
CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")
_HEADER = re.compile(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?);?\s*$", re.DOTALL)


@cache
def locale(code: str) -> Locale:
    """The Babel locale for `de`, `pt_BR`, `pt-BR` or `zh_Hans`; ConfigError if unknown."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        raise ConfigError(f"unknown language '{code}': use a code like de, fr, ja, pt_BR "
                          f"({exc})") from None


def language_name(code: str) -> str:
    return locale(code).english_name or code


def cldr_categories(code: str) -> list[str]:
    """The plural categories the language needs, `other` always last."""
    tags = set(locale(code).plural_form.tags) | {"other"}
    return [c for c in CLDR_ORDER if c in tags]


def one_is_only_one(code: str) -> bool:
    """Whether the CLDR `one` category holds the number 1 alone (English: yes; Russian: no,
    21 too; French: no, 0 too)."""
    rule = locale(code).plural_form
    return [n for n in range(200) if rule(n) == "one"] == [1]


@dataclass(frozen=True)
class GettextPlurals:
    """A gettext Plural-Forms rule: how many msgstr[i] an entry needs, and which n each takes."""

    count: int
    expression: str

    @property
    def header(self) -> str:
        return f"nplurals={self.count}; plural={self.expression};"

    def examples(self, upto: int = 200) -> list[list[int]]:
        """For each form index, the first few n that select it (for the translator)."""
        select = gettext.c2py(self.expression)
        found: list[list[int]] = [[] for _ in range(self.count)]
        for n in range(upto):
            index = select(n)
            if 0 <= index < self.count and len(found[index]) < 4:
                found[index].append(n)
        return found


def gettext_plurals(code: str, header: str | None = None) -> GettextPlurals:
    """The catalog's own Plural-Forms when it states them, else CLDR's for the language."""
    if header:
        match = _HEADER.match(header.strip())
        if match:
            expression = match.group(2).strip()
            try:
                gettext.c2py(expression)
            except (ValueError, SyntaxError):
                raise ConfigError(f"Plural-Forms '{header}' is not a valid gettext rule"
                                  ) from None
            return GettextPlurals(int(match.group(1)), expression)
    locale(code)
    rule = get_plural(code.replace("-", "_"))
    return GettextPlurals(rule.num_plurals, rule.plural_expr)
