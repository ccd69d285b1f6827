"""Writing an app catalog back with only what changed: the original text with changed entries
(or elements) replaced, so everything else stays byte for byte where the toolkit would re-lay
the whole file (.properties indentation and continuation lines, .strings spacing, Qt's
<message>s, .resx's xml:space and line ends), and the prolog, root tag and line ends of files
the toolkit does write whole."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from lxml import etree


class EntryLines(NamedTuple):
    """How a line-based format's entries are found in its text and rewritten."""

    #: (text, key, from) -> where the entry starts, where its value starts, where it ends.
    locate: Callable[[str, str, int], tuple[int, int, int] | None]
    #: (the entry's text up to its value, the unit, the file's line end) -> its new text.
    replace: Callable[[str, Any, str], str]
    #: (text, where an entry starts) -> where the comment lines right above it start.
    comment_start: Callable[[str, int], int]


def splice(lines: EntryLines, data: bytes, original: list[Any], store: Any,
           before: dict[str, list[str]], units: dict[str, Any],
           texts: Callable[[Any], list[str]]) -> bytes | None:
    """The original text with only the changed entries replaced and removed entries' lines
    dropped (with the comment above them when every entry it heads is removed); entries new
    to the file appended as the toolkit writes them. None when an entry cannot be found (then
    the toolkit writes the whole file)."""
    locate, replace, comment_start = lines
    #: Paragraphs removed whole: each one's last entry -> its first (which has the comment).
    removed_whole = _removed_paragraphs(original, units)
    paragraph_start: dict[str, int] = {}
    encoding = store.encoding or "utf-8"
    text = data.decode(encoding)
    newline = "\r\n" if "\r\n" in text else "\n"
    out: list[str] = []
    pos = 0
    # `original`: the file's entries, read the one way every file is read (with the .strings
    # workaround), to find each one's lines.
    for unit in original:
        key = str(unit.getid())
        if not unit.name:
            continue  # comments and blank lines: left where they are
        new_unit = units.get(key)
        if new_unit is not None and texts(new_unit) == before.get(key):
            continue  # unchanged
        span = locate(text, unit.name, pos)
        if span is None:
            return None
        start, value_start, end = span
        if new_unit is None and key in removed_whole.values():
            start = paragraph_start[key] = max(pos, comment_start(text, start))
        head = removed_whole.get(key) if new_unit is None else None
        if (head is not None and _blank_line_before(text, paragraph_start[head])
                and _blank_line_at(text, end)):  # between blank lines: leave one, not two
            end = text.find("\n", end) + 1 or len(text)
        out.append(text[pos:start])
        if new_unit is not None:
            out.append(replace(text[start:value_start], new_unit, newline))
        pos = end
    out.append(text[pos:])
    for key, unit in units.items():
        if key not in before:
            if out and not "".join(out[-1:]).endswith("\n"):
                out.append(newline)
            out.append(unit.getoutput().replace("\n", newline))
    try:
        return "".join(out).encode(encoding)
    except UnicodeEncodeError:
        return None


def _removed_paragraphs(original: list[Any], units: dict[str, Any]) -> dict[str, str]:
    """The paragraphs (an entry the toolkit gave the comment or blank line above it, and the
    entries after it up to the next such) whose every entry is removed: their comment goes
    with them. A comment above entries that stay heads them, and stays. Last entry -> first."""
    heads: dict[str, str] = {}
    head, members = None, []
    for unit in [*(u for u in original if u.name), None]:
        if unit is None or unit.comments or head is None:
            if head is not None and all(m not in units for m in members):
                heads[members[-1]] = head
            if unit is None:
                break
            head, members = str(unit.getid()), []
        members.append(str(unit.getid()))
    return heads


def _blank_line_before(text: str, start: int) -> bool:
    above = next(_lines_above(text, start), None)
    return above is not None and not above[1].strip()


def _blank_line_at(text: str, start: int) -> bool:
    end = text.find("\n", start)
    return start < len(text) and not text[start:end if end >= 0 else len(text)].strip()


def _lines_above(text: str, start: int) -> Iterator[tuple[int, str]]:
    """The lines before `start` (a line start), nearest first: (where it starts, its text)."""
    end = start
    while end > 0:
        begin = text.rfind("\n", 0, end - 1) + 1
        yield begin, text[begin:end].rstrip("\r\n")
        end = begin


def _hash_comment_start(text: str, start: int) -> int:
    """.properties: the `#` and `!` lines right above (no blank line between)."""
    for begin, line in _lines_above(text, start):
        if not line.lstrip().startswith(("#", "!")):
            break
        start = begin
    return start


def _strings_comment_start(text: str, start: int) -> int:
    """.strings: the `//` lines and `/* ... */` blocks right above (no blank line between)."""
    while start > 0:
        begin, line = next(_lines_above(text, start))
        if line.lstrip().startswith("//"):
            start = begin
        elif line.rstrip().endswith("*/"):
            opening = text.rfind("/*", 0, begin + len(line))
            line_start = text.rfind("\n", 0, opening) + 1
            if opening < 0 or text[line_start:opening].strip():
                break
            start = line_start
        else:
            break
    return start


def _properties_value(prefix: str, unit: Any, newline: str) -> str:
    """The entry's key, indentation and delimiter as they were; its value as the toolkit
    encodes it."""
    return prefix + (unit.translation or unit.value) + newline


def _strings_entry(text: str, name: str, pos: int) -> tuple[int, int, int] | None:
    """Where `"name" = "value" ;` is in an Apple .strings text, from `pos`."""
    match = re.compile(rf'^[ \t]*"{re.escape(name)}"[ \t]*=[ \t]*"', re.M).search(text, pos)
    if match is None:
        return None
    end = match.end()
    while end < len(text) and text[end] != '"':
        end += 2 if text[end] == "\\" else 1
    tail = re.compile(r'"[ \t]*;[ \t]*(?:\r?\n)?').match(text, end)
    if tail is None:
        return None
    return match.start(), match.start(), tail.end()


def _strings_line(prefix: str, unit: Any, newline: str) -> str:
    return _entry_lines(unit, newline)


def _logical_line(text: str, name: str, pos: int) -> tuple[int, int, int] | None:
    """Where the entry `name` is in a .properties text, from `pos`: (line start, value start,
    end after its last continuation line and line break)."""
    match = re.compile(rf"^[ \t\f]*{re.escape(name)}(?:[ \t\f]*[=:][ \t\f]*|[ \t\f]+|(?=\r?\n))",
                       re.M).search(text, pos)
    if match is None:
        return None
    end = match.end()
    while True:
        newline = text.find("\n", end)
        if newline < 0:
            return match.start(), match.end(), len(text)
        line = text[end:newline].rstrip("\r")
        trailing = len(line) - len(line.rstrip("\\"))
        end = newline + 1
        if trailing % 2 == 0:  # an odd number of backslashes continues the line
            return match.start(), match.end(), end


@dataclass(frozen=True)
class _Element:
    """An element as the original file has it: where it starts and its XML."""

    line: int | None
    xml: bytes


def original_elements(units: dict[str, Any]) -> dict[str, _Element]:
    return {key: _Element(u.xmlelement.sourceline, etree.tostring(u.xmlelement))
            for key, u in units.items()}


def element_splice(data: bytes, tag: str, units: dict[str, Any],
                   original: dict[str, _Element], container: str | None = None) -> str | None:
    """The original text with only the changed <tag> elements rewritten (in the file's line
    ends), removed ones dropped with the whitespace before them, and ones new to the file
    placed after the element before them (or before the one after them) that the file
    already has, indented like it; a `container` new to the file (a Qt <context>) goes whole
    after the one before it. None when an element cannot be placed: then the toolkit writes
    the whole file."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    newline = "\r\n" if "\r\n" in text else "\n"
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    #: Edits: (start, end, order of insertions at one place, new text or None to cut).
    spans: list[tuple[int, int, int, str | None]] = []
    #: Where each original element stands: its start, its end, its indentation.
    found: dict[str, tuple[int, int, str]] = {}
    for key, was in original.items():
        if was.line is None or was.line > len(starts) - 1:
            return None
        begin = text.find(f"<{tag}", starts[was.line - 1])
        match = re.compile(rf"<{tag}\b[^>]*?/>|<{tag}\b.*?</{tag}>", re.S).match(text, begin)
        if begin < 0 or match is None:
            return None
        found[key] = (begin, match.end(), text[starts[was.line - 1]:begin])
        unit = units.get(key)
        if unit is None:  # removed: with the line break and indentation before it
            cut = begin
            while cut > 0 and text[cut - 1] in " \t\r\n":
                cut -= 1
            spans.append((cut, match.end(), 0, None))
        elif etree.tostring(unit.xmlelement) != was.xml:
            xml = etree.tostring(unit.xmlelement, encoding="unicode", with_tail=False)
            spans.append((begin, match.end(), 0, xml.replace("\n", newline)))
    key_of = {unit.xmlelement: key for key, unit in units.items()}
    placed: set[Any] = set()
    for number, key in enumerate(k for k in units if k not in original):
        element = units[key].xmlelement
        parent = element.getparent()
        if container is not None and parent is not None and parent.tag == container and not any(
                key_of.get(child) in found for child in parent):
            if parent not in placed:  # new whole, with the elements in it
                placed.add(parent)
                span = _after_container(text, parent, container, key_of, found, newline)
                if span is None:
                    return None
                spans.append((span[0], span[0], number, span[1]))
            continue
        xml = etree.tostring(element, encoding="unicode", with_tail=False).replace(
            "\n", newline)
        before = _sibling(element, tag, key_of, found, after=False)
        after = _sibling(element, tag, key_of, found, after=True)
        if before is not None:
            _begin, end, indent = found[before]
            spans.append((end, end, number, newline + indent + xml))
        elif after is not None:
            begin, _end, indent = found[after]
            spans.append((begin, begin, number, xml + newline + indent))
        else:
            return None
    out: list[str] = []
    pos = 0
    for begin, end, _order, xml in sorted(spans, key=lambda span: span[:3]):
        if begin < pos:
            return None
        out += [text[pos:begin], xml or ""]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _after_container(text: str, element: Any, container: str, key_of: dict[Any, str],
                     found: dict[str, Any], newline: str) -> tuple[int, str] | None:
    """Where a new container goes (after the end of the one before it that the file has) and
    its text there."""
    node = element.getprevious()
    while node is not None:
        if node.tag == container:
            ends = [found[key_of[child]][1] for child in node if key_of.get(child) in found]
            if ends:
                close = text.find(f"</{container}>", max(ends))
                if close < 0:
                    return None
                line_start = text.rfind("\n", 0, close) + 1
                indent = text[line_start:close]
                if indent.strip():
                    return None
                xml = etree.tostring(element, encoding="unicode", with_tail=False)
                at = close + len(f"</{container}>")
                return at, newline + indent + xml.replace("\n", newline)
        node = node.getprevious()
    return None


def _sibling(element: Any, tag: str, key_of: dict[Any, str], found: dict[str, Any], *,
             after: bool) -> str | None:
    """The nearest <tag> element before (or after) `element` that the file already has."""
    node = element.getnext() if after else element.getprevious()
    while node is not None:
        key = key_of.get(node)
        if node.tag == tag and key in found:
            return key
        node = node.getnext() if after else node.getprevious()
    return None


def ts_language(text: str, language: str) -> bytes | None:
    """A Qt .ts text with its TS element's language set."""
    head = re.search(r"<TS\b[^>]*>", text)
    if head is None:
        return None
    tag = head.group(0)
    if re.search(r'\blanguage="[^"]*"', tag):
        new_tag = re.sub(r'\blanguage="[^"]*"', f'language="{language}"', tag)
    else:
        new_tag = tag.replace("<TS", f'<TS language="{language}"', 1)
    return (text[:head.start()] + new_tag + text[head.end():]).encode("utf-8")


PROPERTIES_LINES = EntryLines(_logical_line, _properties_value, _hash_comment_start)
STRINGS_LINES = EntryLines(_strings_entry, _strings_line, _strings_comment_start)


def _entry_lines(unit: Any, newline: str) -> str:
    """The toolkit's output for an entry without its comments (which stay where they are),
    with the file's line ends."""
    comments = unit.comments
    unit.comments = []
    try:
        return unit.getoutput().replace("\n", newline)
    finally:
        unit.comments = comments


def same_declaration(original: bytes, written: bytes) -> bytes:
    """lxml writes its own prolog (the `<?xml ...?>` line with a lower-case encoding, the
    DOCTYPE's internal subset re-laid): keep the file's own, up to its root element."""
    if not original.startswith(b"<?xml") or not written.startswith(b"<?xml"):
        return written
    root = re.search(rb"<([A-Za-z][\w.:-]*)[\s>/]", re.sub(rb"<[?!][^>]*>", b"", written))
    if root is None:
        return written
    tag = rb"<" + re.escape(root.group(1)) + rb"[\s>/]"
    old, new = re.search(tag, original), re.search(tag, written)
    if old is None or new is None:
        return written
    return original[:old.start()] + written[new.start():]


def same_line_ends(original: bytes, written: bytes) -> bytes:
    """The toolkit writes \n line ends and a final one: keep a CRLF file CRLF, and a file
    without a final line end without one."""
    if b"\r\n" in original and original.count(b"\r\n") == original.count(b"\n"):
        written = written.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if not original.endswith(b"\n"):
        written = written.rstrip(b"\r\n")
    return written


def xliff2_root(original: bytes, written: bytes, language: str) -> bytes:
    """The <xliff> start tag as the file had it (the toolkit re-orders its attributes), with
    trgLang set to the target language."""
    old = re.search(rb"<xliff\b[^>]*>", original)
    new = re.search(rb"<xliff\b[^>]*>", written)
    if old is None or new is None:
        return written
    tag = old.group(0)
    value = language.encode()
    if re.search(rb'\strgLang="[^"]*"', tag):
        tag = re.sub(rb'(\strgLang=")[^"]*"', rb'\g<1>' + value + b'"', tag)
    else:
        tag = re.sub(rb'(\ssrcLang="[^"]*")', rb'\1 trgLang="' + value + b'"', tag)
    return written[:new.start()] + tag + written[new.end():]
