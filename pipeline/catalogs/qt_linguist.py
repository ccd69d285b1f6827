"""Qt Linguist .ts files: read by translate-toolkit, written by splicing the changed
<message>s into the original text. A machine translation is left type="unfinished" with a note
saying so, for someone to review in Linguist; a numerus message gets Qt's own plural forms."""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from translate.misc.multistring import multistring
from translate.storage import ts2

from .app_paths import underscore_path
from .base import Entry, Form
from .bilingual import BilingualCatalog, BilingualTargetCatalog
from .placeholders import Rules
from .qt_numerus import numerus_forms, numerus_rule
from .splice import element_splice, original_elements, ts_language
from .toolkit import unit_texts
from .xliff_markup import NOT_TRANSLATED, SOURCE_CHANGED, remove_laid_out

#: On each Qt message we translate (type="unfinished" until someone reviews it in Linguist).
QT_MACHINE_NOTE = "pipeline: machine translation, for review"


class _TsFile(ts2.tsfile):
    """Qt Linguist files, read by the toolkit; written by splicing changed <message>s."""

    XMLindent: dict[str, Any] = {}  # noqa: RUF012 (the toolkit's class attribute)


class QtTargetCatalog(BilingualTargetCatalog):
    _source: QtCatalog

    def _redo(self, unit: Any) -> bool:
        if QT_MACHINE_NOTE in unit.getnotes("translator"):
            return False  # ours, unfinished until reviewed: not bought again by --fuzzy
        return super()._redo(unit)

    def _draft(self, unit: Any) -> bool:
        """A person's unfinished translation, or one we marked because its source changed;
        ours are written unfinished for review by design, and are not what a check reports
        as left for review."""
        notes = unit.getnotes("translator")
        return super()._draft(unit) and (QT_MACHINE_NOTE not in notes
                                         or SOURCE_CHANGED in notes)

    def _mark(self, unit: Any, key: str, old_source: str) -> None:
        """type="unfinished" (Linguist lists it for review), a translator comment with the
        source the translation was made from. (A message's key holds its source text, so a
        changed source is a new message: this marks only what the lock alone knew was
        made from another text.)"""
        unit.markfuzzy(True)
        _qt_review_note(unit, SOURCE_CHANGED + old_source.replace("\n", " "), SOURCE_CHANGED)

    @property
    def plural_rule(self) -> str:
        if (rule := numerus_rule(self.language)) is not None:
            return f"Qt numerus forms: {rule.header} ({rule.origin})"
        return super().plural_rule

    def forms(self, entry: Entry) -> list[Form]:
        if entry.key in self._source.numerus:
            return numerus_forms(self.language)
        return super().forms(entry)

    def unwritable(self, entry: Entry) -> str | None:
        if entry.key in self._source.numerus and numerus_rule(self.language) is None:
            return (f"Qt Linguist has no numerus rule for {self.language}, so it cannot tell how "
                    "many forms the translation needs; translate it in Linguist")
        return None

    def _translated_now(self, unit: Any) -> None:
        _qt_review_note(unit, None)
        _qt_review_note(unit, None, SOURCE_CHANGED)

    def _set_target(self, unit: Any, forms: list[str]) -> None:
        super()._set_target(unit, forms)
        # type="unfinished": Linguist lists it for review; lrelease still ships it (unless
        # -nounfinished). The note tells it from a person's draft: --fuzzy redoes drafts,
        # not translations already bought.
        unit.markfuzzy(True)
        if any(forms) and QT_MACHINE_NOTE not in unit.getnotes("translator"):
            unit.addnote(QT_MACHINE_NOTE, origin="translator")
            note = unit.xmlelement.find("translatorcomment")
            previous = note.getprevious()
            note.tail = previous.tail if previous is not None else unit.xmlelement.text

    def _untranslated(self, unit: Any, reason: str | None) -> None:
        """An empty unfinished translation (the app shows the source)."""
        note = f"{NOT_TRANSLATED}{reason}" if reason else None
        translation = unit.xmlelement.find("translation")
        if (any(unit_texts(unit, True)) or translation is None
                or translation.get("type") != "unfinished"):
            self._set_target(unit, [""])
        _qt_review_note(unit, note)

    def _originals(self, units: dict[str, Any]) -> dict[str, Any]:
        self._emptied: set[str] = set()
        return original_elements(units)

    def _fill(self, store: Any, units: dict[str, Any], key: str, forms: list[str],
              written: dict[str, Any]) -> None:
        if key not in units:
            units[key] = self._add_message(store, key)
        super()._fill(store, units, key, forms, written)

    def _add_message(self, store: Any, key: str) -> Any:
        """A message the target lacks (new in the source), copied into its context (made
        when the target has none), after the message before it in the source that the target
        has, laid out like its neighbours."""
        source_unit = self._source_units[key]
        element = copy.deepcopy(source_unit.xmlelement)
        name = source_unit.getcontextname()
        root = store.document.getroot()
        context = next((c for c in root.iterchildren("context") if c.findtext("name") == name),
                       None)
        if context is None:
            context = _new_context(root, source_unit.xmlelement.getparent())
        have = {m.findtext("source"): m for m in context.iterchildren("message")}
        previous = source_unit.xmlelement.getprevious()
        while previous is not None and (previous.tag != "message"
                                        or previous.findtext("source") not in have):
            previous = previous.getprevious()
        if previous is not None:
            anchor = have[previous.findtext("source")]
            element.tail = anchor.tail
            anchor.tail = _between(context)
            anchor.addnext(element)
        else:
            _append_laid_out(context, element)
        unit = store.UnitClass.createfromxmlElement(element)
        store.addunit(unit, new=False, contextname=name)
        return unit

    def _remove(self, store: Any, unit: Any) -> None:
        """A message the source no longer has; its context too when it had no other."""
        context = unit.xmlelement.getparent()
        super()._remove(store, unit)
        if context is not None and context.find("message") is None:
            self._emptied.add(context.findtext("name") or "")
            remove_laid_out(context)

    def _write_back(self, store: Any, units: dict[str, Any], before: dict[str, list[str]],
                    original: dict[str, Any]) -> bytes:
        text = element_splice(self._data, "message", units, original, "context")
        for name in self._emptied if text is not None else ():
            text = re.sub(rf"\s*<context>\s*<name>{re.escape(xml_escape(name))}</name>\s*"
                          r"(?:<comment>[^<]*</comment>\s*)?</context>", "", text, count=1)
        # Qt names languages with an underscore (pt_BR), as its files do.
        qt_language = self.language.replace("-", "_")
        spliced = ts_language(text, qt_language) if text is not None else None
        if spliced is not None:
            return spliced
        return super()._write_back(store, units, before, original)


class QtCatalog(BilingualCatalog):
    """A Qt Linguist .ts file (its <TS> document: .ts is TypeScript too)."""

    format_name = "Qt Linguist .ts"
    store_type = _TsFile
    rules = Rules(printf=True, qt=True)
    target_path = staticmethod(underscore_path)
    target_class = QtTargetCatalog

    @classmethod
    def claims(cls, path: Path) -> bool:
        try:
            head = path.read_bytes()[:4096]
        except OSError:
            return False
        return re.search(rb"<TS[\s>]", head) is not None

    def __init__(self, path: Path):
        super().__init__(path)
        #: Numerus messages: one source, one translation per form of Qt's own rule.
        self.numerus: set[str] = {str(u.getid()) for u in self.store.units if u.hasplural()}
        #: Messages told apart from others with the same text by a <comment> (lupdate's
        #: disambiguation): its text is their sense (base.Entry.sense).
        self.senses = {str(u.getid()): u._get_disambiguation() for u in self.store.units
                       if u._get_disambiguation()}

    def _entry(self, key: str, source: Any, shown: str, notes: list[str], *,
               strftime: bool) -> Entry:
        if key in self.numerus:  # one source ("%n file(s)") for all of Qt's forms
            text = str(source.strings[0] if isinstance(source, multistring) else source)
            return Entry(key=key, source=text, source_plural=text, context=shown,
                         comments=notes, rules=self._rules(text), sense=self.senses.get(key))
        entry = super()._entry(key, source, shown, notes, strftime=strftime)
        return replace(entry, sense=self.senses.get(key))

    def default_target_path(self, source_language: str, language: str) -> Path:
        # A Qt file's stem names its own (translation) language, not the source's.
        return self.target_path(self.path, self.store.gettargetlanguage() or "", language)


def _new_context(root: Any, source: Any) -> Any:
    """A context the target lacks: the source's, without its messages, after the context
    before it in the source that the target has (else last), laid out like its neighbours."""
    context = copy.deepcopy(source)
    closing = context[-1].tail
    for message in context.findall("message"):
        context.remove(message)
    context[-1].tail = closing
    have = {c.findtext("name"): c for c in root.iterchildren("context")}
    previous = source.getprevious()
    while previous is not None and (previous.tag != "context"
                                    or previous.findtext("name") not in have):
        previous = previous.getprevious()
    if previous is None:
        _append_laid_out(root, context)
        return context
    anchor = have[previous.findtext("name")]
    context.tail = anchor.tail
    anchor.tail = _between(root)
    anchor.addnext(context)
    return context


def _between(parent: Any) -> str:
    """The whitespace between a parent's children (before its first one when it has one)."""
    return parent.text if parent.text is not None and not parent.text.strip() else "\n"


def _append_laid_out(parent: Any, element: Any) -> None:
    """Add `element` as the last child, laid out like the ones before it."""
    children = list(parent)
    if children:
        element.tail = children[-1].tail
        children[-1].tail = (children[-2].tail if len(children) > 1 else _between(parent))
    parent.append(element)


def _qt_review_note(unit: Any, note: str | None, prefix: str = NOT_TRANSLATED) -> None:
    """A Qt message's translator comment holds its notes a line each: ours starting with
    `prefix` (why it was left for review; what its source was) is there once, or not at all
    once it is translated."""
    comment = unit.xmlelement.find("translatorcomment")
    lines = (comment.text or "").split("\n") if comment is not None else []
    kept = [line for line in lines if not line.startswith(prefix)]
    wanted = [*kept, note] if note is not None else kept
    if wanted == lines:
        return
    if comment is not None and not wanted:
        previous = comment.getprevious()
        if previous is not None:
            previous.tail = comment.tail
        unit.xmlelement.remove(comment)
    elif comment is not None:
        comment.text = "\n".join(wanted)
    else:
        unit.addnote(str(note), origin="translator")
        comment = unit.xmlelement.find("translatorcomment")
        previous = comment.getprevious()
        comment.tail = previous.tail if previous is not None else unit.xmlelement.text
