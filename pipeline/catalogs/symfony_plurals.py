"""Symfony's plural messages: "one apple|%count% apples", one |-separated form per plural
form of the translation's language, picked by Symfony's own rule, not CLDR's.

The rules are Symfony's `TranslatorTrait::getPluralizationRule` (symfony/translation-contracts,
read at commit ccb206b), written as gettext expressions: French takes 2 forms, Russian 3,
Arabic 6, and a language Symfony does not list 1 (its `default => 0`). A message whose forms
carry explicit intervals ("{0} none|{1} one|]1,Inf[ many") is language-independent: its
translation keeps the source's forms.
"""

from __future__ import annotations

import re
from functools import cache

from ..languages import GettextPlurals, parse_plural_forms

_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("nplurals=2; plural=(n != 1);",
     ("af", "bn", "bg", "ca", "da", "de", "el", "en", "en_US_POSIX", "eo", "es", "et", "eu",
      "fa", "fi", "fo", "fur", "fy", "gl", "gu", "ha", "he", "hu", "is", "it", "ku", "lb",
      "ml", "mn", "mr", "nah", "nb", "ne", "nl", "nn", "no", "oc", "om", "or", "pa", "pap",
      "ps", "pt", "so", "sq", "sv", "sw", "ta", "te", "tk", "ur", "zu")),
    ("nplurals=2; plural=(n >= 2);",
     ("am", "bh", "fil", "fr", "gun", "hi", "hy", "ln", "mg", "nso", "pt_BR", "ti", "wa")),
    ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || "
     "n%100>=20) ? 1 : 2);", ("be", "bs", "hr", "ru", "sh", "sr", "uk")),
    ("nplurals=3; plural=(n==1 ? 0 : n>=2 && n<=4 ? 1 : 2);", ("cs", "sk")),
    ("nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);", ("ga",)),
    ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 "
     ": 2);", ("lt",)),
    ("nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
     ("sl",)),
    ("nplurals=2; plural=(n%10==1 ? 0 : 1);", ("mk",)),
    ("nplurals=4; plural=(n==1 ? 0 : n==0 || (n%100>1 && n%100<11) ? 1 : n%100>10 && "
     "n%100<20 ? 2 : 3);", ("mt",)),
    ("nplurals=3; plural=(n==0 ? 0 : n%10==1 && n%100!=11 ? 1 : 2);", ("lv",)),
    ("nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || n%100>14) ? 1 : 2);",
     ("pl",)),
    ("nplurals=4; plural=(n==1 ? 0 : n==2 ? 1 : n==8 || n==11 ? 2 : 3);", ("cy",)),
    ("nplurals=3; plural=(n==1 ? 0 : n==0 || (n%100>0 && n%100<20) ? 1 : 2);", ("ro",)),
    ("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
     "n%100>=11 && n%100<=99 ? 4 : 5);", ("ar",)),
)
_DEFAULT = "nplurals=1; plural=0;"
#: "{0} none", "[1,5] a few", "]5,Inf[ many": a form with its own interval.
_INTERVAL = re.compile(r"^\s*(\{[^}]*\}|[\[\]][^\[\]]*[\[\]])")


@cache  # parsed and checked for n < 200 once per language, not once per entry
def symfony_rule(language: str) -> GettextPlurals:
    """Symfony's rule for the language (its locale cut to the language, except pt_BR)."""
    locale = language.replace("-", "_")
    if locale not in ("pt_BR", "en_US_POSIX") and len(locale) > 3:
        locale = locale[:locale.rindex("_")]
    rule = next((r for r, languages in _RULES if locale in languages), _DEFAULT)
    return parse_plural_forms(rule, origin="Symfony's pluralization rule")


def has_intervals(message: str) -> bool:
    return any(_INTERVAL.match(form) for form in message.split("|"))


def form_count(source: str, language: str) -> int:
    """How many |-separated forms a translation of `source` into `language` has."""
    if has_intervals(source):
        return source.count("|") + 1
    return symfony_rule(language).count


def describe(source: str, language: str) -> str:
    """What the translator is asked for, in the form's description."""
    if has_intervals(source):
        return ("one message, its |-separated forms kept as the source has them, each with "
                "its interval ({0}, [2,Inf[ ...) unchanged")
    rule = symfony_rule(language)
    if rule.count == 1:
        return (f"one message in a single form (Symfony uses one plural form for {language}): "
                "no | separator")
    uses = "; ".join(f"form {i + 1} for n = {', '.join(map(str, ns))}, …"
                     for i, ns in enumerate(rule.examples()))
    return f"one message of {rule.count} forms separated by |, in this order: {uses}"
