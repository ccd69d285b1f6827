"""Languages: names, gettext plural forms and CLDR plural categories, from Babel's CLDR data.

Babel ships CLDR inside its wheel, so nothing is looked up at run time, and the lock pins
Babel, so the rules do not move under a project between installs. Which rule a gettext target
gets is decided in `po.py` (`PoTargetCatalog`): its own header, the job's `plural_forms`,
another catalog of the language, then CLDR; Django's Russian catalogs use four forms where
CLDR has three, and CLDR 46+ gives French three where Django's French catalogs say two.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from functools import cache

import babel
from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural

from .errors import ConfigError

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
    """A gettext Plural-Forms rule: how many msgstr[i] an entry needs, and which n each takes.

    `origin` says where the rule came from (CLDR with Babel's version, the catalog's own header,
    another catalog of the language, or the job), so the report can name it."""

    count: int
    expression: str
    origin: str = field(default="", compare=False)

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


def parse_plural_forms(text: str, *, origin: str) -> GettextPlurals:
    """`nplurals=2; plural=(n > 1);` as a rule; ConfigError naming `origin` when it is not one
    (a template's `nplurals=INTEGER` placeholder included)."""
    match = _HEADER.match(text.strip())
    if match:
        expression = match.group(2).strip()
        try:
            select = gettext.c2py(expression)
            count = int(match.group(1))
            if count >= 1 and all(0 <= select(n) < count for n in range(200)):
                return GettextPlurals(count, expression, origin)
        except (ValueError, SyntaxError):
            pass
    raise ConfigError(f"{origin}: Plural-Forms '{text.strip()}' is not a valid gettext rule; "
                      "write it like 'nplurals=2; plural=(n > 1);' (every n must select a form "
                      "below nplurals)")


def stated_plural_forms(header: str | None) -> bool:
    """Whether a catalog header's Plural-Forms is a real rule, not a template's placeholder."""
    return bool(header) and "INTEGER" not in header and "EXPRESSION" not in header


def cldr_gettext_plurals(code: str) -> GettextPlurals:
    """The rule the installed CLDR data (Babel's) gives the language."""
    locale(code)
    rule = get_plural(code.replace("-", "_"))
    return GettextPlurals(rule.num_plurals, rule.plural_expr,
                          f"CLDR via Babel {babel.__version__}")


def without_own_zero(got: list[str | None], forms: list[str], language: str,
                      own_zero: bool) -> tuple[list[str | None], list[str]]:
    """A plural's forms to compare, less the `zero` case when the source's own zero text
    ("No files") was written there (where zero is a CLDR category of the target)."""
    categories = cldr_categories(language)
    if not own_zero or "zero" not in categories:
        return got, forms
    at = categories.index("zero")
    return got[:at] + got[at + 1:], forms[:at] + forms[at + 1:]
