"""ICU MessageFormat JSON: `{var}`, `{n, number}`, `{n, plural, …}`, `{x, select, …}`, `#`, tags.

The model translates each message whole; we then parse source and translation and compare their
skeletons: the same arguments with the same types, select blocks with the same keys, plural
blocks with exactly the target language's CLDR categories (plus the source's explicit `=N`
cases), and the same tags. Anything else sends the entry back. The JSON is read and written
like i18next's (key order and indentation kept; an entry left for review is left out, so the
app falls back to its source message).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..languages import CLDR_ORDER, cldr_categories, locale
from .base import Entry, Form
from .i18next import I18nextCatalog, I18nextTargetCatalog, reads_as_icu
from .placeholders import Rules

_CHOICE = ("plural", "selectordinal", "select")


@dataclass
class Arg:
    name: str
    kind: str = ""  # "", number, date, time, …
    style: str = ""


@dataclass
class Choice:
    name: str
    kind: str  # plural, selectordinal, select
    branches: dict[str, list[Any]] = field(default_factory=dict)


class IcuSyntaxError(ValueError):
    pass


def parse(text: str) -> list[Any]:
    """A message as nodes: text, Arg, Choice, "#" (in plural branches)."""
    nodes, pos = _message(text, 0, in_plural=False, depth=0)
    if pos != len(text):
        raise IcuSyntaxError(f"unexpected '}}' at position {pos}")
    return nodes


def _message(text: str, pos: int, *, in_plural: bool, depth: int) -> tuple[list[Any], int]:
    nodes: list[Any] = []
    buf: list[str] = []
    while pos < len(text):
        ch = text[pos]
        if ch == "'":
            if text.startswith("''", pos):
                buf.append("'")
                pos += 2
                continue
            if pos + 1 < len(text) and text[pos + 1] in "{}#|":
                end = text.find("'", pos + 1)
                end = len(text) if end < 0 else end
                buf.append(text[pos + 1:end])
                pos = end + 1
                continue
            buf.append(ch)
            pos += 1
        elif ch == "{":
            if buf:
                nodes.append("".join(buf))
                buf = []
            node, pos = _argument(text, pos + 1, depth=depth)
            nodes.append(node)
        elif ch == "}":
            if depth == 0:
                raise IcuSyntaxError(f"unmatched '}}' at position {pos}")
            break
        elif ch == "#" and in_plural:
            if buf:
                nodes.append("".join(buf))
                buf = []
            nodes.append("#")
            pos += 1
        else:
            buf.append(ch)
            pos += 1
    if buf:
        nodes.append("".join(buf))
    return nodes, pos


def _argument(text: str, pos: int, *, depth: int) -> tuple[Any, int]:
    end = _scan(text, pos, ",}")
    name = text[pos:end].strip()
    if not name:
        raise IcuSyntaxError(f"an argument without a name at position {pos}")
    if text[end] == "}":
        return Arg(name), end + 1
    pos = end + 1
    end = _scan(text, pos, ",}")
    kind = text[pos:end].strip()
    if kind not in _CHOICE:
        style = ""
        if text[end] == ",":
            close = _scan(text, end + 1, "}")
            style = text[end + 1:close].strip()
            end = close
        return Arg(name, kind, style), end + 1
    choice = Choice(name, kind)
    pos = end + 1
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            raise IcuSyntaxError(f"'{name}' is not closed")
        if text[pos] == "}":
            return choice, pos + 1
        key_end = pos
        while key_end < len(text) and not text[key_end].isspace() and text[key_end] != "{":
            key_end += 1
        key = text[pos:key_end]
        if key.startswith("offset:"):
            pos = key_end
            continue
        pos = key_end
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text) or text[pos] != "{":
            raise IcuSyntaxError(f"case '{key}' of '{name}' has no {{message}}")
        branch, pos = _message(text, pos + 1, in_plural=kind != "select", depth=depth + 1)
        if pos >= len(text):
            raise IcuSyntaxError(f"case '{key}' of '{name}' is not closed")
        if key in choice.branches:
            raise IcuSyntaxError(f"case '{key}' of '{name}' appears twice")
        choice.branches[key] = branch
        pos += 1


def _scan(text: str, pos: int, stops: str) -> int:
    while pos < len(text) and text[pos] not in stops:
        pos += 1
    if pos >= len(text):
        raise IcuSyntaxError("an argument is not closed with '}'")
    return pos


def _walk(nodes: list[Any]) -> tuple[set[str], list[tuple[str, str, frozenset[str]]]]:
    """Every argument (name:type) and every choice block (name, kind, its case keys)."""
    args: set[str] = set()
    choices: list[tuple[str, str, frozenset[str]]] = []
    for node in nodes:
        if isinstance(node, Arg):
            args.add(f"{node.name}:{node.kind}" if node.kind else node.name)
        elif isinstance(node, Choice):
            args.add(f"{node.name}:{node.kind}")
            choices.append((node.name, node.kind, frozenset(node.branches)))
            for branch in node.branches.values():
                sub_args, sub_choices = _walk(branch)
                args |= sub_args
                choices += sub_choices
    return args, choices


def structure_problems(source: str, translation: str, language: str) -> list[str]:
    """Why `translation` does not keep `source`'s ICU structure in `language`."""
    try:
        src = parse(source)
    except IcuSyntaxError:
        return []  # not ICU after all: the placeholder rules judge it
    try:
        got = parse(translation)
    except IcuSyntaxError as exc:
        return [f"the translation is not a valid ICU message: {exc}"]
    want_args, want_choices = _walk(src)
    got_args, got_choices = _walk(got)
    found = []
    if want_args != got_args:
        missing = sorted(want_args - got_args)
        extra = sorted(got_args - want_args)
        found.append("the translation must keep the arguments of the source "
                     f"(missing {missing or 'none'}; unexpected {extra or 'none'})")
    wanted = {(n, k): keys for n, k, keys in want_choices}
    for name, kind, keys in got_choices:
        if (name, kind) not in wanted:
            found.append(f"the translation has a '{name}, {kind}' block the source does not")
            continue
        expected = _expected_keys(kind, wanted[(name, kind)], language)
        if keys != expected:
            found.append(f"the '{name}, {kind}' block must have exactly the cases "
                         f"{', '.join(_ordered(expected))} (it has {', '.join(_ordered(keys))})")
    for name, kind in set(wanted) - {(n, k) for n, k, _ in got_choices}:
        found.append(f"the translation lost the '{name}, {kind}' block")
    return found


def _expected_keys(kind: str, source_keys: frozenset[str], language: str) -> frozenset[str]:
    if kind == "select":
        return source_keys
    explicit = {k for k in source_keys if k.startswith("=")}
    if kind == "selectordinal":
        tags = set(locale(language).ordinal_form.tags) | {"other"}
        return frozenset(explicit | tags)
    return frozenset(explicit | set(cldr_categories(language)))


def _ordered(keys: frozenset[str]) -> list[str]:
    return sorted(keys, key=lambda k: (k not in CLDR_ORDER, CLDR_ORDER.index(k)
                                       if k in CLDR_ORDER else 0, k))


def message_forms(source: str, language: str) -> list[Form]:
    """An ICU message is translated whole: one form, saying which plural cases it needs."""
    try:
        _args, choices = _walk(parse(source))
    except IcuSyntaxError:
        choices = []
    plural = [f"'{n}, {k}' cases {', '.join(_ordered(_expected_keys(k, keys, language)))}"
              for n, k, keys in choices if k != "select"]
    use = "the whole ICU message, structure kept" + ("; " + "; ".join(plural) if plural else "")
    return [Form("message", use)]


class IcuTargetCatalog(I18nextTargetCatalog):
    def forms(self, entry: Entry) -> list[Form]:
        return message_forms(entry.source, self.language)

    def extra_problems(self, entry: Entry, forms: list[str]) -> list[str]:
        return structure_problems(entry.source, forms[0], self.language)


class IcuCatalog(I18nextCatalog):
    """ICU messages in (nested) JSON: every string is one message (plural cases live inside
    it, not in suffixed keys); its arguments are judged by `structure_problems`."""

    format_name = "ICU MessageFormat"
    rules = Rules()  # tags and whitespace edges
    plural_suffixes = False
    target_class = IcuTargetCatalog

    @classmethod
    def claims(cls, path: Path) -> bool:
        return reads_as_icu(path)

