"""Writing a Rails YAML catalog back as its own text with only the translated values changed.

ruamel's round trip (the toolkit's writer) keeps comments and key order but not the file's
layout: it re-indents block lists (`order:` / `  - :year`), writes `~` as `null`, folds long
lines at 80 columns and drops the spaces that align `one:   "Byte"`. So the file is written as
its original text with edits: each value that changed is replaced where it stands, in its own
quoting style; keys the target gains (a plural's `few` and `many`, an entry an existing file
lacks) are inserted beside their siblings, laid out like them; keys it loses (entries left for
review in a new file) are cut with their lines. The result must load to exactly what the
toolkit would have written; when it does not, or the file uses what this does not edit
(anchors, a list that changes length), the toolkit's own text is used instead.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML, YAMLError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

#: Plain words that Psych (Ruby's YAML 1.1 reader, which Rails uses) reads as booleans, null
#: or numbers, though ruamel (YAML 1.2) writes them unquoted: "No" in a Spanish catalog would
#: reach Rails as false.
_YAML11_SPECIAL = re.compile(
    r"(?i:y|n|yes|no|on|off|true|false|null|~)|[-+]?[\d_.:]+(?:[eE][-+]?\d+)?"
    r"|[-+]?\.(?i:inf|nan)|<<|=|\d{4}-\d\d?-\d\d?(?:[Tt ].*)?")
_STYLES = {'"': DoubleQuotedScalarString, "'": SingleQuotedScalarString,
           "|": LiteralScalarString, ">": FoldedScalarString}


class _CannotSplice(Exception):
    """The change is not one this module edits in place."""


def splice_yaml(original: bytes, written: bytes) -> bytes | None:
    """`original` edited into a text that loads to what `written` (the toolkit's text) loads
    to, keeping every byte of what did not change; None when that cannot be done."""
    try:
        text = original.decode("utf-8")
        root = YAML(typ="safe", pure=True).compose(text)
        want = _load(written)
    except (UnicodeDecodeError, YAMLError):
        return None
    if root is None or not isinstance(want, dict):
        return None
    editor = _Editor(text)
    try:
        _no_anchors(root, set())
        editor.root(root, want)
        out = editor.apply()
        if not _same(_load(out.encode("utf-8")), want):
            return None
    except (_CannotSplice, YAMLError):
        return None
    return out.encode("utf-8")


def _load(data: bytes) -> Any:
    return YAML(typ="safe", pure=True).load(data)


def _no_anchors(node: Node, seen: set[int]) -> None:
    """Anchors, aliases and merge keys share one text between several values: not edited."""
    if id(node) in seen or getattr(node, "anchor", None):
        raise _CannotSplice("anchors")
    seen.add(id(node))
    if isinstance(node, MappingNode):
        for key, value in node.value:
            _no_anchors(key, seen)
            _no_anchors(value, seen)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _no_anchors(item, seen)


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same types (True is not 1, "3" is not 3), in the same key order."""
    if isinstance(a, dict) and isinstance(b, dict):
        return list(map(str, a)) == list(map(str, b)) and all(
            _same(x, y) for x, y in zip(a.values(), b.values(), strict=True))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return type(a) is type(b) and a == b


class _Editor:
    """The edits to the original text: (start, end, replacement), applied at the end."""

    def __init__(self, text: str):
        self.text = text
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.edits: list[tuple[int, int, str]] = []
        self._constructor = YAML(typ="safe", pure=True).constructor

    def apply(self) -> str:
        out, pos = [], 0
        for start, end, replacement in sorted(self.edits, key=lambda e: (e[0], e[1])):
            if start < pos:
                raise _CannotSplice("overlapping edits")
            out += [self.text[pos:start], replacement]
            pos = end
        out.append(self.text[pos:])
        return "".join(out)

    def value(self, node: Node) -> Any:
        return self._constructor.construct_document(node)

    # -- walking the original and the wanted values side by side ---------------------------

    def root(self, node: Node, want: dict[str, Any]) -> None:
        """A Rails file's one top-level key is its language: renamed in place (en: -> fr:)."""
        if (isinstance(node, MappingNode) and len(node.value) == 1 and len(want) == 1
                and str(self.value(node.value[0][0])) != str(next(iter(want)))):
            key, value = node.value[0]
            language = next(iter(want))
            self.edits.append((key.start_mark.index, key.end_mark.index,
                               _scalar(str(language), key.style, flow=False, column=0)))
            self.node(value, want[language], step=2)
            return
        self.node(node, want, step=2)

    def node(self, node: Node, want: Any, step: int) -> None:
        if _same(self.value(node), want):
            return
        if isinstance(node, ScalarNode) and isinstance(want, str):
            self.replace_scalar(node, want)
        elif isinstance(node, MappingNode) and isinstance(want, dict):
            self.mapping(node, want, step)
        elif (isinstance(node, SequenceNode) and isinstance(want, list)
              and len(node.value) == len(want)):
            for item, wanted in zip(node.value, want, strict=True):
                self.node(item, wanted, step)
        else:
            raise _CannotSplice(f"a {type(node).__name__} becomes {type(want).__name__}")

    def replace_scalar(self, node: ScalarNode, want: str) -> None:
        start = node.start_mark.index
        end = self._scalar_end(node)
        flow = self._in_flow(node)
        column = self._line_indent(start)
        self.edits.append((start, end, _scalar(want, node.style, flow=flow, column=column,
                                               newline=self.newline)))

    def mapping(self, node: MappingNode, want: dict[str, Any], step: int) -> None:
        pairs = [(str(self.value(key)), key, value) for key, value in node.value]
        have = [name for name, _key, _value in pairs]
        wanted = [str(name) for name in want]
        by_name = {str(name): value for name, value in want.items()}
        kept = [name for name in have if name in by_name]
        if kept != [name for name in wanted if name in have]:
            raise _CannotSplice("keys reordered")
        inner = self._child_step(node, step)
        for name, key, value in pairs:
            if name not in by_name:
                self.cut(node, key, value)
            elif by_name[name] == {} and isinstance(value, MappingNode) and value.value:
                # Every entry under it left out: the toolkit keeps the key, empty.
                self.edits.append((key.end_mark.index, self._line_end(self._end(value)),
                                   ": {}"))
            else:
                self.node(value, by_name[name], inner)
        missing = [name for name in wanted if name not in have]
        if not missing:
            return
        if node.flow_style or not pairs:
            raise _CannotSplice("keys added to a flow mapping")
        for name in missing:
            following = next((n for n in wanted[wanted.index(name) + 1:] if n in have), None)
            if following is not None:
                at = self._line_start(pairs[have.index(following)][1].start_mark.index)
            else:
                at = self._line_end(self._end(pairs[-1][2])) + len(self.newline)
                if at > len(self.text):  # the last line has no line break
                    self.edits.append((len(self.text), len(self.text), self.newline))
                    at = len(self.text)
            self.edits.append((at, at, self.item(node, pairs, name, by_name[name], inner)))

    def cut(self, node: MappingNode, key: Node, value: Node) -> None:
        """A key and its value's lines (a block mapping's item, on lines of its own)."""
        start = self._line_start(key.start_mark.index)
        if node.flow_style or self.text[start:key.start_mark.index].strip():
            raise _CannotSplice("a key not on a line of its own")
        end = self._line_end(self._end(value)) + len(self.newline)
        self.edits.append((start, min(end, len(self.text)), ""))

    def item(self, node: MappingNode, pairs: list[tuple[str, Node, Node]], name: str,
             value: Any, step: int) -> str:
        """A new `name: value`, laid out as its siblings: their column, their quoting, and,
        where their values line up (`one:   "Byte"`), the same column for its value."""
        column = pairs[0][1].start_mark.column
        key = _scalar(name, None, flow=False, column=column)
        if isinstance(value, str):
            styles = [v.style for _n, _k, v in pairs if isinstance(v, ScalarNode)]
            starts = {v.start_mark.column for _n, k, v in pairs if isinstance(v, ScalarNode)
                      and v.start_mark.line == k.start_mark.line}
            gap = 1
            if len(starts) == 1 and len(pairs) > 1:
                gap = max(1, next(iter(starts)) - column - len(key) - 1)
            text = _scalar(value, styles[0] if styles else None, flow=False, column=column,
                           newline=self.newline)
            return f"{' ' * column}{key}:{' ' * gap}{text}{self.newline}"
        block = _dump({name: value}, step)
        lines = [f"{' ' * column}{line}" if line else line
                 for line in block.rstrip("\n").split("\n")]
        return self.newline.join(lines) + self.newline

    # -- where things are in the text ------------------------------------------------------

    def _scalar_end(self, node: ScalarNode) -> int:
        """A block scalar's span runs over the blank lines after it: those stay."""
        start, end = node.start_mark.index, node.end_mark.index
        if node.style in ("|", ">"):
            return start + len(self.text[start:end].rstrip())
        return end

    def _end(self, node: Node) -> int:
        """Where a value's own text ends (a block collection's span runs on to the next
        key's indentation)."""
        if isinstance(node, ScalarNode):
            return self._scalar_end(node)
        if getattr(node, "flow_style", False) or not node.value:
            return node.end_mark.index
        last = node.value[-1]
        return self._end(last[1] if isinstance(last, tuple) else last)

    def _in_flow(self, node: ScalarNode) -> bool:
        """Whether a scalar stands inside [...] or {...} (where a plain `,` would split it)."""
        return self._flow_at(node.start_mark.index)

    def _flow_at(self, index: int) -> bool:
        depth = 0
        for char in reversed(self.text[self._line_start(index):index]):
            if char in "]}":
                depth += 1
            elif char in "[{":
                if depth == 0:
                    return True
                depth -= 1
        return False

    def _line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def _line_end(self, index: int) -> int:
        end = self.text.find("\n", index)
        if end < 0:
            return len(self.text)
        return end - 1 if self.text[end - 1:end] == "\r" else end

    def _line_indent(self, index: int) -> int:
        line = self.text[self._line_start(index):index]
        return len(line) - len(line.lstrip(" "))

    def _child_step(self, node: MappingNode, step: int) -> int:
        """The file's indentation step, from a key's nested mapping."""
        for key, value in node.value:
            if isinstance(value, MappingNode) and value.value and not value.flow_style:
                return max(1, value.value[0][0].start_mark.column - key.start_mark.column)
        return step


def _yaml(step: int = 2) -> YAML:
    yaml = YAML()
    yaml.width = 1 << 16  # no folding: a value stays on its line
    yaml.preserve_quotes = True
    yaml.indent(mapping=step, sequence=step + 2, offset=step)
    return yaml


def _dump(value: Any, step: int) -> str:
    stream = io.StringIO()
    _yaml(step).dump(value, stream)
    return stream.getvalue()


def _scalar(value: str, style: str | None, *, flow: bool, column: int,
            newline: str = "\n") -> str:
    """`value` as a YAML scalar in `style` (the original's quotes), for a place in a block
    mapping at `column` or in a flow list."""
    wrapper = _STYLES.get(style or "", str)
    if style in ("|", ">") and "\n" not in value:
        wrapper = str
    if flow:
        sequence = CommentedSeq([wrapper(value)])
        sequence.fa.set_flow_style()
        text = _dump(sequence, 2).rstrip("\n")[1:-1]
    else:
        text = _dump(CommentedMap([("k", wrapper(value))]), 2).rstrip("\n")[len("k: "):]
        if text.startswith(("|", ">")):
            head, _, body = text.partition("\n")
            text = head + "\n" + "\n".join(f"{' ' * column}{line}" if line else line
                                           for line in body.split("\n"))
    if wrapper is str and _YAML11_SPECIAL.fullmatch(text):
        return _scalar(value, '"', flow=flow, column=column, newline=newline)
    return text.replace("\n", newline)
