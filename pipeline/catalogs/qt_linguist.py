"""Qt Linguist .ts files: read by translate-toolkit, written by splicing the changed
<message>s into the original text. A machine translation is left type="unfinished" with a note
saying so, for someone to review in Linguist; a numerus message gets Qt's own plural forms."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from translate.misc.multistring import multistring
from translate.storage import ts2

from .app_paths import underscore_path
from .base import Entry, Form
from .bilingual import BilingualCatalog, BilingualTargetCatalog
from .placeholders import Rules
from .qt_numerus import numerus_forms, numerus_rule
from .splice import element_splice, original_elements, ts_language
from .toolkit import unit_texts
from .xliff_markup import NOT_TRANSLATED

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
        """A person's unfinished translation; ours are written unfinished for review by
        design, and are not what a check reports as left for review."""
        return super()._draft(unit) and QT_MACHINE_NOTE not in unit.getnotes("translator")

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
        return original_elements(units)

    def _write_back(self, store: Any, units: dict[str, Any], before: dict[str, list[str]],
                    original: dict[str, Any]) -> bytes:
        text = element_splice(self._data, "message", units, original, append=False)
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


def _qt_review_note(unit: Any, note: str | None) -> None:
    """A Qt message's translator comment holds its notes a line each: ours, why it was left
    for review, is there once, or not at all once it is translated."""
    comment = unit.xmlelement.find("translatorcomment")
    lines = (comment.text or "").split("\n") if comment is not None else []
    kept = [line for line in lines if not line.startswith(NOT_TRANSLATED)]
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
