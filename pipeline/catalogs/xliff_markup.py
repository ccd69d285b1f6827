"""XLIFF units whose text holds inline elements (Angular's <x id="INTERPOLATION"/>, XLIFF
2.0's <ph/> and <pc>): translated as XML markup, checked element by element, written back as
elements; and the layout and notes of what the toolkit adds to a unit."""

from __future__ import annotations

import re
from enum import Enum
from itertools import pairwise
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from lxml import etree
from translate.storage import xliff2


def lay_out_target(element: Any) -> None:
    """A <target> the toolkit added right after its <source> (with no whitespace around it)
    goes on its own line, indented like the source."""
    children = list(element)
    for source, target in pairwise(children):
        if (etree.QName(source).localname != "source"
                or etree.QName(target).localname != "target" or target.tail
                or not source.tail or source.tail.strip()):
            continue
        target.tail = source.tail
        if target.getnext() is None and element.text and not element.text.strip():
            source.tail = element.text  # the target is now the last child
        return


_XLIFF_ID = re.compile(r'<(\w+)\b[^>]*?\bid="([^"]*)"')


def inline_element(unit: Any, name: str = "source") -> Any:
    """The unit's <source> (or <target>) element when it holds inline elements, else None."""
    element = getattr(unit, "xmlelement", None)
    if element is None:
        return None
    namespace = etree.QName(element).namespace
    found = element.find(f"{{{namespace}}}{name}" if namespace else name)
    return found if found is not None and (len(found) or name == "target") else None


def as_markup(element: Any) -> str:
    """An element's content as XML text (inline elements without namespace declarations)."""
    parts = [xml_escape(element.text or "")]
    for child in element:
        parts.append(re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "",
                            etree.tostring(child, encoding="unicode", with_tail=False)))
        parts.append(xml_escape(child.tail or ""))
    return "".join(parts)


def parse_markup(text: str, name: str, namespace: str | None = None) -> Any:
    """Parse translated markup as the content of a <name> element (raises on bad XML)."""
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    return etree.fromstring(f"<{name}{xmlns}>{text}</{name}>",
                            etree.XMLParser(resolve_entities=False))


def markup_problems(source: str, text: str) -> list[str]:
    """A translation holding inline XLIFF elements: well-formed, with the same elements (by
    name and id) as the source, each once."""
    try:
        parse_markup(text, "target")
    except etree.XMLSyntaxError as exc:
        return [f"the translation is not well-formed XML ({exc}): keep every inline element "
                "such as <x id=\"…\"/> exactly as in the source, and write & as &amp;"]
    want, got = sorted(_XLIFF_ID.findall(source)), sorted(_XLIFF_ID.findall(text))
    if want != got:
        return ["the translation must keep each inline element of the source with its id "
                f"(expected {', '.join(f'<{n} id={i!r}>' for n, i in want)}; got "
                f"{', '.join(f'<{n} id={i!r}>' for n, i in got) or 'none'})"]
    return []


def set_markup_target(unit: Any, text: str) -> None:
    """The unit's <target> built from translated markup, right after its <source>."""
    element = unit.xmlelement
    namespace = etree.QName(element).namespace
    target = parse_markup(text, "target", namespace)
    if isinstance(unit, xliff2.Xliff2Unit):
        unit.marktranslated()  # XLIFF 2.0 keeps the state on the segment
    else:
        target.set("state", "translated")
    old = inline_element(unit, "target")
    source = inline_element(unit, "source")
    if old is not None:
        target.tail = old.tail
        element.replace(old, target)
    else:
        target.tail = None
        source.addnext(target)
        lay_out_target(element)


#: Opens the note on a unit we left for review (the reason follows).
NOT_TRANSLATED = "pipeline: not translated: "
#: Opens the note on a unit whose translation was kept though its source changed (the source
#: it was made from follows).
SOURCE_CHANGED = "pipeline: the source changed; this translation was made from: "


def review_note(unit: Any, text: str | None, prefix: str = NOT_TRANSLATED) -> None:
    """The unit's one note starting with `prefix` (why it was left for review; what its
    source was) (None: no such note, as when it is translated). A rerun that leaves it for
    the same reason leaves the unit as it was; a new reason replaces the old note in place."""
    element = unit.getunitelement() if isinstance(unit, xliff2.Xliff2Unit) else unit.xmlelement
    ours = [note for note in element.iterfind(".//{*}note")
            if (note.text or "").startswith(prefix)]
    if text is not None and ours:
        if ours[0].text != text:
            ours[0].text = text
        ours = ours[1:]  # copies that earlier versions added on each run
        text = None
    for note in ours:
        notes = note.getparent()
        remove_laid_out(note)
        if etree.QName(notes).localname == "notes" and len(notes) == 0:
            remove_laid_out(notes)  # XLIFF 2.0: the <notes> only our note was in
    if text is None:
        return
    if isinstance(unit, xliff2.Xliff2Unit):
        _xliff2_note(unit, text)
        return
    namespace = etree.QName(element).namespace
    note = etree.SubElement(element, f"{{{namespace}}}note" if namespace else "note")
    note.text, note.attrib["from"] = text, "translator"
    previous = note.getprevious()
    if previous is not None and element.text is not None and not element.text.strip():
        note.tail, previous.tail = previous.tail, element.text


def remove_laid_out(element: Any) -> None:
    """Remove an element and the whitespace that led up to it."""
    previous = element.getprevious()
    parent = element.getparent()
    if previous is not None:
        previous.tail = element.tail
    else:
        parent.text = element.tail
    parent.remove(element)


def _xliff2_note(unit: Any, text: str) -> None:
    """A note on an XLIFF 2.0 <unit>: in its <notes>, which comes before its segments (the
    toolkit would put it inside the segment, where the schema allows none)."""
    element = unit.getunitelement()
    namespace = etree.QName(element).namespace
    indent = element.text or ""  # the line break and indentation of the unit's children
    notes = element.find(f"{{{namespace}}}notes")
    if notes is None:
        notes = etree.Element(f"{{{namespace}}}notes")
        notes.text, notes.tail = indent + "  ", indent
        element.insert(0, notes)
    note = etree.SubElement(notes, f"{{{namespace}}}note", category="pipeline")
    note.text = text
    if len(notes) > 1:
        previous = notes[-2]
        note.tail, previous.tail = previous.tail, notes.text
    else:
        note.tail = indent


class XliffState(Enum):
    """What an XLIFF 1.2 target is, by its `state` (translate-toolkit's `isfuzzy` is "not
    approved", which is true of every machine translation we write)."""

    #: `new`, `needs-translation`: a placeholder (CAT tools fill it with the source).
    UNTRANSLATED = "untranslated"
    #: `needs-review-*`, `needs-adaptation`, `needs-l10n`: a draft, redone with --fuzzy.
    DRAFT = "draft"
    #: `translated`, `signed-off`, `final`, no state, or approved="yes".
    DONE = "done"


def xliff12_state(unit: Any) -> XliffState:
    if unit.xmlelement.get("approved") == "yes":
        return XliffState.DONE
    target = unit.xmlelement.find("{*}target")
    state = target.get("state") if target is not None else None
    if state in ("new", "needs-translation"):
        return XliffState.UNTRANSLATED
    if state is not None and state.startswith("needs-"):
        return XliffState.DRAFT
    return XliffState.DONE
