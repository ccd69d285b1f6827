"""What must survive translation unchanged: placeholders, tags and the whitespace around text.

A translation may move placeholders and tags (word order differs between languages) but must
keep every one of them, spelled exactly; unnamed printf directives (`%s %d`) are positional, so
their order must be kept too, unless the translation numbers them (`%1$s`). Leading and trailing
whitespace and line breaks carry layout (a trailing newline ends a log line; a leading space
joins two strings) and are kept as they are.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from .protected import lost_tokens

# printf: %(name)s, %1$s, %s %d %.2f %5.1f; %% is a literal percent (checked too: it must stay).
# Apple's %#@name@ (a plural variable of a .stringsdict or .xcstrings substitution) is one
# placeholder, name and all.
_PRINTF = re.compile(r"%(?:\d+\$)?#@[A-Za-z_]\w*@"
                     r"|%(?:\([A-Za-z_]\w*\)|\d+\$)?[-+ #0]*(?:\d+|\*)?(?:\.\d+)?[hlLqjzt]*"
                     r"[diouxXeEfFgGcrsab%@]")
# Python str.format / python-brace-format: {name}, {0}, {}, {name!r:>10}; {{ and }} are escapes.
_BRACE = re.compile(r"(?<!\{)\{(?:[A-Za-z_]\w*(?:\.\w+|\[\w+\])*|\d+)?(?:![rsa])?(?::[^{}]*)?\}"
                    r"(?!\})")
# i18next: {{var}}, {{- var}}, {{var, format}}, nesting $t(key) and $t(key, {"count": 1}).
_I18NEXT = re.compile(r"\{\{-?\s*[^{}]+?\s*\}\}|\$t\([^()]*\)")
# Tags: <b>, </b>, <0>, </0>, <br/>, <a href="...">: kept by name and kind (open/close/empty).
_TAG = re.compile(r"</?([A-Za-z][\w:-]*|\d+)(?:\s[^<>]*?)?\s*/?>")
# What counts as an invented placeholder in an entry whose format does not use that syntax:
# printf directives without flags or widths (so French "50 % de remise" is not "% d"), every
# {name} / {0} / {} brace field, and ICU arguments with a type ({n, plural, ...}).
_BARE_PRINTF = re.compile(r"%(?:\([A-Za-z_]\w*\)|\d+\$)?(?:\.\d+)?(?:ll|l)?[sdifuxXr@]")
# Qt: %1 .. %99, %L1 (localised numbers), %n (the count of a numerus message).
_QT = re.compile(r"%L?\d{1,2}(?!\d)|%n\b")
# Template literals (JavaScript, Kotlin, Groovy, .properties read by some frameworks): ${name}.
_DOLLAR = re.compile(r"\$\{[^{}\s]+\}")
# Symfony messages: %name% (with the translator's parameters).
_PERCENT_NAME = re.compile(r"%[A-Za-z_][\w.]*%")
# Ruby/Rails i18n: %{name} and the formatted %<name>s.
_RUBY = re.compile(r"%\{\w+\}|%<\w+>[-+ #0-9.]*[a-zA-Z]")
# strftime (a Rails date or time format): %d, %-d, %e, %H, %I, %p, %^a, %3N, %:z, %%.
_STRFTIME = re.compile(r"%[-_0^#]*\d*(?::{1,3}z|[EO]?[A-Za-z]|[%+])")
_ANY_BRACE = re.compile(r"(?<!\{)\{(?:[A-Za-z_]\w*|\d+)?\}(?!\})")
ICU_ARGUMENT = re.compile(
    r"\{\s*[A-Za-z_]\w*\s*,\s*(?:plural|selectordinal|select|number|date|time)\b")
_PRINTF_FLAGS = {"python-format", "c-format", "javascript-format", "php-format", "perl-format",
                 "sh-format", "objc-format", "java-printf-format"}


@dataclass(frozen=True)
class Rules:
    """Which placeholder syntaxes a string uses (from its catalog format and flags)."""

    printf: bool = False
    brace: bool = False
    i18next: bool = False
    #: Rails i18n's %{name} (YAML catalogs).
    ruby: bool = False
    #: Symfony's %name% (XLIFF catalogs).
    percent_name: bool = False
    #: Qt's %1, %L1, %n (Qt Linguist .ts catalogs).
    qt: bool = False
    #: strftime directives (%d, %H, %-m): a date or time format (Rails' date.formats.*). A
    #: translation puts them in its language's order, but drops, adds or changes none.
    strftime: bool = False
    tags: bool = True
    #: Symfony's "one|many" plural messages: the translation has its language's number of
    #: |-separated forms, each judged against the source form in its place.
    pipes: bool = False


def rules_for_po(flags: list[str], source: str) -> Rules:
    """A gettext entry: printf when flagged (or when it plainly uses %(name)s), braces when
    flagged python-brace-format (or when it uses {name})."""
    printf = bool(_PRINTF_FLAGS & set(flags)) or bool(re.search(r"%\(\w+\)[sd]", source))
    brace = "python-brace-format" in flags or (
        "no-python-brace-format" not in flags and bool(re.search(r"\{\w*\}", source)))
    return Rules(printf=printf, brace=brace)


def uses_printf(text: str) -> bool:
    """Whether a string of a format with no placeholder syntax of its own (XLIFF) carries
    printf directives, as Xcode's exports do (`%@`, `%lld`, `%1$@`): then they are kept."""
    return bool(_BARE_PRINTF.search(text))


def strip_placeholders(text: str) -> str:
    """The text with its placeholders and tags blanked out, leaving its words."""
    for pattern in (_I18NEXT, _RUBY, _PRINTF, _BRACE, _TAG):
        text = pattern.sub(" ", text)
    return text


def _tags(text: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for match in _TAG.finditer(text):
        whole = match.group(0)
        kind = "/" if whole.startswith("</") else ("empty" if whole.endswith("/>") else "open")
        out[f"{kind}:{match.group(1).lower()}"] += 1
    return out


def _edges(text: str) -> tuple[str, str]:
    return text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]


def problems(source: str, translation: str, rules: Rules, *, what: str = "the translation"
             ) -> list[str]:
    """Why `translation` would break `source`'s placeholders, tags or edges (empty: it is safe)."""
    if rules.pipes and "|" in source:
        return _pipe_problems(source, translation, rules, what)
    found: list[str] = []
    if not translation.strip() and source.strip():
        return [f"{what} is empty"]
    if rules.printf:
        found += _compare("printf placeholder", _PRINTF.findall(source),
                          _PRINTF.findall(translation), what, positional=True)
    if rules.brace:
        found += _compare("placeholder", _BRACE.findall(source), _BRACE.findall(translation),
                          what)
    for pattern, wanted in ((_RUBY, rules.ruby), (_PERCENT_NAME, rules.percent_name),
                            (_QT, rules.qt)):
        if wanted:
            found += _compare("placeholder", pattern.findall(source),
                              pattern.findall(translation), what)
    if rules.strftime:  # %m/%d/%Y -> %d.%m.%Y is a translation; %m//%Y prints a broken date
        found += _compare("strftime directive", _STRFTIME.findall(source),
                          _STRFTIME.findall(translation), what)
    # ${name} is a template literal's variable, whatever the format: kept exactly.
    found += _compare("placeholder", _DOLLAR.findall(source), _DOLLAR.findall(translation),
                      what)
    if rules.i18next:  # {{ name }} and {{name}} are the same variable to i18next
        found += _compare("placeholder", [_squeeze(p) for p in _I18NEXT.findall(source)],
                          [_squeeze(p) for p in _I18NEXT.findall(translation)], what)
    if rules.tags:
        want, got = _tags(source), _tags(translation)
        if want != got:
            missing = sorted((want - got).elements())
            extra = sorted((got - want).elements())
            detail = "; ".join(filter(None, [
                f"missing {', '.join(_tag_text(t) for t in missing)}" if missing else "",
                f"unexpected {', '.join(_tag_text(t) for t in extra)}" if extra else ""]))
            found.append(f"{what} must keep the tags of the source exactly ({detail})")
    # Whatever the rules and flags, a placeholder the source does not have is never right (a
    # stray %(name)s or %s crashes the app's formatting; a stray {{var}} shows up raw; and it is
    # the mark of another entry's translation landing here). A strftime pattern's directives,
    # judged above, are not read as other syntaxes ("%d.%m.%Y" holds no Symfony "%d.%").
    rest, translated_rest = ((_STRFTIME.sub(" ", source), _STRFTIME.sub(" ", translation))
                             if rules.strftime else (source, translation))
    for pattern, covered in ((_BARE_PRINTF, rules.printf), (_ANY_BRACE, rules.brace),
                             (_I18NEXT, rules.i18next), (_RUBY, rules.ruby),
                             (_PERCENT_NAME, rules.percent_name),
                             (ICU_ARGUMENT, False)):
        if covered:
            continue
        extra = sorted((Counter(pattern.findall(translated_rest))
                        - Counter(pattern.findall(rest))).elements())
        if extra:
            found.append(f"{what} has placeholder(s) the source does not: {' '.join(extra)}")
    lost = lost_tokens(source, translation)
    if lost:
        found.append(f"{what} must keep {', '.join(lost)} exactly as in the source (URLs, "
                     "e-mail addresses, code and options are copied, not translated)")
    lead, trail = _edges(source)
    got_lead, got_trail = _edges(translation)
    if (lead, trail) != (got_lead, got_trail):
        found.append(f"{what} must start with {lead!r} and end with {trail!r} like the source "
                     f"(it starts with {got_lead!r} and ends with {got_trail!r})")
    return found


def _pipe_problems(source: str, translation: str, rules: Rules, what: str) -> list[str]:
    """Each |-separated form against the source form in its place: Russian's third form
    against English's last; a language of one form against the source's plural (last)."""
    sources = source.split("|")
    forms = translation.split("|")
    plain = replace(rules, pipes=False)
    found: list[str] = []
    for i, form in enumerate(forms):
        counterpart = sources[-1] if len(forms) == 1 else sources[min(i, len(sources) - 1)]
        label = what if len(forms) == 1 else f"{what} (its form {i + 1})"
        found += problems(counterpart, form, plain, what=label)
    return found


def _squeeze(placeholder: str) -> str:
    return re.sub(r"\s+", "", placeholder) if placeholder.startswith("{{") else placeholder


def _tag_text(key: str) -> str:
    kind, name = key.split(":", 1)
    return {"/": f"</{name}>", "empty": f"<{name}/>"}.get(kind, f"<{name}>")


def _compare(label: str, want: list[str], got: list[str], what: str, *,
             positional: bool = False) -> list[str]:
    if Counter(want) != Counter(got):
        missing = sorted((Counter(want) - Counter(got)).elements())
        extra = sorted((Counter(got) - Counter(want)).elements())
        detail = "; ".join(filter(None, [
            f"missing {' '.join(missing)}" if missing else "",
            f"unexpected {' '.join(extra)}" if extra else ""]))
        return [f"{what} must keep every {label} of the source exactly ({detail})"]
    unnamed = [p for p in want if not re.match(r"%(\(|\d+\$|%)", p)]
    if positional and len(set(unnamed)) > 1:
        got_unnamed = [p for p in got if not re.match(r"%(\(|\d+\$|%)", p)]
        if unnamed != got_unnamed:
            return [f"{what} must keep the unnamed {label}s in their order "
                    f"({' '.join(unnamed)}), or number them (%1$s)"]
    return []
