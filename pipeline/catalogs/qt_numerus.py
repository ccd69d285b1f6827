"""Qt Linguist's numerus forms: how many translations a plural message (`numerus="yes"`) has in
a language, and which count selects each.

Qt does not use CLDR here: Linguist and lrelease number the forms by their own table
(qttools, src/linguist/shared/numerus.cpp, read at commit a7cc0ff6e), and a .qm built from a
.ts with another number of <numerusform>s picks the wrong one at run time. This is that table:
each family's gettext rule and form names as Qt states them, its languages as ISO 639 codes
(Qt lists QLocale::Language names), in Qt's order, which decides the languages listed twice:
Portuguese is English-style, but French-style in Brazil; Filipino is French-style.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..languages import GettextPlurals, parse_plural_forms
from .base import Form


@dataclass(frozen=True)
class _Family:
    rule: str
    forms: tuple[str, ...]
    languages: tuple[str, ...]


_TABLE: tuple[_Family, ...] = (
    _Family("nplurals=1; plural=0;", ("Universal Form",),
            ("bi", "my", "zh", "dz", "fj", "gn", "hu", "id", "ja", "jv", "ko", "ms", "na", "om",
             "fa", "su", "tt", "th", "bo", "tr", "vi", "yo", "za")),
    _Family("nplurals=2; plural=(n != 1);", ("Singular", "Plural"),
            ("ab", "aa", "af", "sq", "am", "as", "ay", "az", "ba", "eu", "bn", "bg", "ca", "kw",
             "co", "da", "nl", "en", "eo", "et", "fo", "fi", "fur", "fy", "gl", "lg", "ka", "de",
             "el", "kl", "gu", "ha", "he", "hi", "ia", "ie", "it", "kn", "ks", "kk", "km", "rw",
             "ky", "ku", "lo", "la", "ln", "lb", "mg", "ml", "mr", "mn", "ne", "nso", "nb", "nn",
             "oc", "or", "ps", "pt", "pa", "qu", "rm", "rn", "sn", "sd", "si", "so", "st", "es",
             "sw", "ss", "sv", "tg", "ta", "te", "to", "ts", "tn", "tk", "ug", "ur", "uz", "vo",
             "wo", "xh", "yi", "zu")),
    _Family("nplurals=2; plural=(n > 1);", ("Singular", "Plural"),
            ("hy", "br", "fr", "pt-BR", "fil", "ti", "wa")),
    _Family("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
            ("Singular", "Plural", "Nullar"), ("lv",)),
    _Family("nplurals=2; plural=(n%10==1 && n%100!=11 ? 0 : 1);", ("Singular", "Plural"),
            ("is",)),
    _Family("nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);", ("Singular", "Dual", "Plural"),
            ("dv", "iu", "ik", "ga", "gv", "mi", "se", "sm", "sa")),
    _Family("nplurals=4; plural=(n==1 || n==11) ? 0 : (n==2 || n==12) ? 1 : "
            "(n > 2 && n < 20) ? 2 : 3;", ("1/11", "2/12", "Few", "Many"), ("gd",)),
    _Family("nplurals=3; plural=((n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2);",
            ("Singular", "Paucal", "Plural"), ("sk", "cs")),
    _Family("nplurals=3; plural=(n%100==1 ? 0 : n%100==2 ? 1 : 2);",
            ("Singular", "Dual", "Plural"), ("mk",)),
    _Family("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || "
            "n%100>=20) ? 1 : 2);", ("Singular", "Paucal", "Plural"), ("lt",)),
    _Family("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
            "(n%100<10 || n%100>=20) ? 1 : 2);", ("Singular", "Dual", "Plural"),
            ("bs", "be", "hr", "ru", "sr", "uk")),
    _Family("nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 "
            ": 2);", ("Singular", "Paucal", "Plural"), ("pl",)),
    _Family("nplurals=3; plural=(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2);",
            ("Singular", "Paucal", "Plural"), ("ro",)),
    _Family("nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
            ("Singular", "Dual", "Trial", "Plural"), ("sl",)),
    _Family("nplurals=4; plural=(n==1 ? 0 : (n==0 || (n%100>=1 && n%100<=10)) ? 1 : "
            "(n%100>=11 && n%100<=19) ? 2 : 3);",
            ("Singular", "Paucal", "Greater Paucal", "Plural"), ("mt",)),
    _Family("nplurals=5; plural=(n==0 ? 0 : n==1 ? 1 : (n>=2 && n<=5) ? 2 : n==6 ? 3 : 4);",
            ("Nullar", "Singular", "Dual", "Sexal", "Plural"), ("cy",)),
    _Family("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : (n%100>=3 && n%100<=10) ? 3 "
            ": n%100>=11 ? 4 : 5);", ("Nullar", "Singular", "Dual", "Minority Plural", "Plural",
                                      "Plural (100-102, ...)"), ("ar",)),
)


def _family(language: str) -> _Family | None:
    """Qt's lookup: the language with its country first, then the language alone."""
    parts = language.replace("_", "-").split("-")
    code = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 or p.isdigit()), None)
    for wanted in ([f"{code}-{region}"] if region else []) + [code]:
        for family in _TABLE:
            if wanted in family.languages:
                return family
    return None


@cache  # parsed and checked for n < 200 once per language, not once per entry
def numerus_rule(language: str) -> GettextPlurals | None:
    """Qt's rule for the language (None: Qt has none, and Linguist would refuse it)."""
    family = _family(language)
    if family is None:
        return None
    return parse_plural_forms(family.rule, origin="Qt Linguist's numerus table")


def numerus_forms(language: str) -> list[Form]:
    """One form per Qt numerus form of the language, named as Linguist shows them."""
    family = _family(language)
    rule = numerus_rule(language)
    assert family is not None and rule is not None
    return [Form(name, "Qt's form for n = " + ", ".join(map(str, ns)) + ", …",
                 only_one=ns == [1])
            for name, ns in zip(family.forms, rule.examples(), strict=True)]
