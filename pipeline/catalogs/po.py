"""gettext catalogs (.po, .pot), read with polib and written back by surgery, not re-serialising.

polib re-wraps every entry when it saves, so a saved file differs from its source in dozens of
lines (measured on Django's catalogs). Instead the file is kept as its text, split into blocks
at blank lines; only the blocks of entries we translate (or refuse, with a comment) are
regenerated, and the header gets its Language and Plural-Forms lines replaced. Everything else
stays byte for byte. An existing target is merged with the source as msgmerge merges it
(PoTargetCatalog): entries the source dropped become obsolete, their lines kept behind `#~`.
"""

from __future__ import annotations

import bisect
import re
import time
from dataclasses import dataclass
from pathlib import Path

import polib

from ..errors import ConfigError, InputError
from ..languages import (
    GettextPlurals,
    cldr_gettext_plurals,
    language_name,
    parse_plural_forms,
    stated_plural_forms,
)
from .base import Catalog, Entry, Form, TargetCatalog
from .placeholders import rules_for_po
from .po_fuzzy import Candidate, FuzzyIndex

WRAP_WIDTH = 79  # xgettext's and msgmerge's default page width
REFUSED_MARK = "pipeline: not translated:"
_BLANK = re.compile(r"^[ \t]*\r?\n?$")
_MSGID_LINE = re.compile(r"^msgid\s", re.MULTILINE)


def entry_key(context: str | None, msgid: str) -> str:
    """gettext's own key: context EOT msgid."""
    return f"{context}\x04{msgid}" if context is not None else msgid


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"catalog {path} does not exist") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"catalog {path} is not UTF-8 ({exc}); convert it with msgconv "
                         "--to-code=UTF-8") from None


def _parse(text: str, where: str) -> polib.POFile:
    try:
        return polib.pofile(text, wrapwidth=WRAP_WIDTH)
    except (OSError, ValueError) as exc:
        raise InputError(f"catalog {where} is not a valid gettext file: {exc}") from None


def _read_entries(parts: list[_Block | str], text: str, where: str) -> dict[int, polib.POEntry]:
    """The live entry of each block that holds exactly one, by id(block), from one parse of
    the whole file (polib builds its parser's state table on every call: a parse per block
    took 0.2 s a thousand entries). A block this cannot tell (the header, an obsolete entry,
    an entry whose comments stand in a block of their own) is left to be read alone."""
    blocks = [p for p in parts if isinstance(p, _Block)]
    starts = [b.line for b in blocks]
    found: dict[int, polib.POEntry] = {}
    seen: set[int] = set()
    for entry in _parse(text, where):
        if entry.obsolete:
            continue
        at = bisect.bisect_right(starts, max(entry.linenum or 1, 1)) - 1
        if at < 0:
            continue
        block = blocks[at]
        if id(block) in seen or not _MSGID_LINE.search(block.text):
            found.pop(id(block), None)
        else:
            found[id(block)] = entry
        seen.add(id(block))
    return found


def _parse_block(text: str, where: str) -> polib.POFile:
    """One block of a file. polib takes the comments opening a file for the file's header
    comment, so an entry's translator comments (`# …`), read alone, are given back to it."""
    po = _parse(text, where)
    if po.header and len(po) and not po[0].tcomment:
        po[0].tcomment, po.header = po.header, ""
    return po


class PoCatalog(Catalog):
    """A .po or .pot file as the source of a translation."""

    format_name = "gettext"

    def __init__(self, path: Path):
        self.path = path
        self.text = _read(path)
        self.po = _parse(self.text, str(path))

    def entries(self) -> list[Entry]:
        out = []
        for e in self.po:
            if e.obsolete or not e.msgid:
                continue
            comments = [c for c in (e.comment, e.tcomment) if c]
            out.append(Entry(
                key=entry_key(e.msgctxt, e.msgid), source=e.msgid,
                source_plural=e.msgid_plural or None, context=e.msgctxt, sense=e.msgctxt,
                comments=comments, references=[f"{f}:{n}" if n else f for f, n in e.occurrences],
                flags=list(e.flags), rules=rules_for_po(e.flags, e.msgid + e.msgid_plural)))
        return out

    def target(self, language: str, path: Path, *, include_fuzzy: bool = False,
               plural_forms: str | None = None) -> PoTargetCatalog:
        if path.exists():
            return PoTargetCatalog(_read(path), language, path, source=self, new=False,
                                   include_fuzzy=include_fuzzy, plural_forms=plural_forms)
        return PoTargetCatalog(self.text, language, path, source=self, new=True,
                               include_fuzzy=include_fuzzy, plural_forms=plural_forms)


@dataclass
class _Block:
    text: str
    entry: polib.POEntry | None = None  # None: the header or a comment block
    dirty: bool = False
    #: An obsolete (`#~`) entry, as the file has it (`entry` is it read as a live one).
    obsolete: bool = False
    #: Its translation went to a similar new entry (msgmerge's fuzzy match): not kept as `#~`.
    passed_on: bool = False
    #: Its first line's number in the file (1-based).
    line: int = 0


def _split(text: str) -> tuple[list[_Block | str], str]:
    """The file as blocks (runs of non-blank lines, one entry each) and the blank lines
    between them. Entries written without a blank line between them (by hand) are blocks of
    their own all the same, with nothing between them."""
    parts: list[_Block | str] = []
    current: list[str] = []
    in_msgstr = False
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if _BLANK.match(line):
            if current:
                parts.append(_Block("".join(current), line=number - len(current)))
                current = []
            parts.append(line)
            in_msgstr = False
            continue
        bare = line[3:] if line.startswith("#~ ") else line
        if in_msgstr and not bare.startswith(('"', "msgstr")):  # the next entry begins
            parts.append(_Block("".join(current), line=number - len(current)))
            current = []
        in_msgstr = bare.startswith("msgstr") or (in_msgstr and bare.startswith('"'))
        current.append(line)
    if current:
        parts.append(_Block("".join(current), line=number + 1 - len(current)))
    newline = "\r\n" if "\r\n" in text else "\n"
    return parts, newline


class PoTargetCatalog(TargetCatalog):
    """A target .po: the existing file updated, or a new one made from the source's text.

    An existing file is merged with the source as msgmerge would merge it: its entries the
    source no longer has become obsolete (`#~`, written at the end; an untranslated one is
    dropped), an obsolete entry the source has again comes back, and a new entry close to a
    translated one (po_fuzzy.py) is shown that translation as the earlier one and, when its
    answer is refused, keeps it as a fuzzy draft with `#| msgid "<old>"`, the old entry then
    not kept as `#~` (its translation went to the new entry)."""

    #: Entries the source no longer has leave the target in every run, as msgmerge does.
    obsoletes_orphans = True

    def __init__(self, text: str, language: str, path: Path, *, source: PoCatalog, new: bool,
                 include_fuzzy: bool, plural_forms: str | None = None):
        self.language = language
        self.path = path
        self.new = new
        self.include_fuzzy = include_fuzzy
        self._source = source
        self._source_entries = {entry_key(e.msgctxt, e.msgid): e for e in source.po
                                if not e.obsolete and e.msgid}
        self._parts, self._newline = _split(text)
        self._blocks: dict[str, _Block] = {}
        self._obsolete: dict[str, _Block] = {}
        #: Every message the file held, live or obsolete, in file order: what msgmerge calls
        #: the definitions, where fuzzy matches come from.
        self._held: list[_Block] = []
        self._header: _Block | None = None
        header_plural = None
        read = _read_entries(self._parts, text, str(path))
        for part in self._parts:
            if not isinstance(part, _Block):
                continue
            if (entry := read.get(id(part))) is not None:
                part.entry = entry
                self._blocks.setdefault(entry_key(entry.msgctxt, entry.msgid), part)
                self._held.append(part)
                continue
            parsed = _parse_block(part.text, str(path))
            live = [e for e in parsed if not e.obsolete]
            if live:
                part.entry = live[0]
                self._blocks.setdefault(entry_key(part.entry.msgctxt, part.entry.msgid), part)
                self._held.append(part)
            elif any(e.obsolete for e in parsed):
                revived = [e for e in _parse_block(_unobsolete(part.text), str(path))
                           if e.msgid]
                if revived:
                    part.entry, part.obsolete = revived[0], True
                    self._obsolete.setdefault(entry_key(part.entry.msgctxt, part.entry.msgid),
                                              part)
                    self._held.append(part)
            elif parsed.metadata and self._header is None:
                self._header = part
                header_plural = parsed.metadata.get("Plural-Forms")
        self.plurals = choose_plurals(language, path, own=None if new else header_plural,
                                      job=plural_forms)
        self._added: list[_Block] = []
        #: Keys msgmerge would find exactly (no fuzzy match is looked for them).
        self._held_keys = set(self._blocks) | set(self._obsolete)
        #: Live entries the source no longer has: written obsolete (or dropped).
        self._gone = set() if new else set(self._blocks) - set(self._source_entries)
        self._matches: dict[str, _Block | None] = {}
        self._index: FuzzyIndex | None = None
        self._candidates: list[_Block] = []
        if not new:
            for key, block in list(self._obsolete.items()):
                if key in self._source_entries and key not in self._blocks:
                    self._revive(key, block)

    @property
    def plural_rule(self) -> str:
        return f"Plural-Forms {self.plurals.header} ({self.plurals.origin})"

    # -- what to translate -------------------------------------------------------------------
    def _block(self, entry: Entry) -> _Block:
        block = self._blocks.get(entry.key)
        if block is None:  # in the source, not yet in this target: added before obsolete ones
            source = self._source_entries[entry.key]
            copy = polib.POEntry(msgid=source.msgid, msgctxt=source.msgctxt,
                                 msgid_plural=source.msgid_plural, occurrences=source.occurrences,
                                 comment=source.comment, tcomment=source.tcomment,
                                 flags=list(source.flags))
            block = _Block("", entry=copy, dirty=True)
            self._blocks[entry.key] = block
            self._added.append(block)
        return block

    def needs(self, entry: Entry) -> bool:
        po = self._block(entry).entry
        assert po is not None
        if "fuzzy" in po.flags:
            return self.include_fuzzy
        if po.msgid_plural:
            return not any(po.msgstr_plural.values())
        return not po.msgstr

    def existing(self, entry: Entry) -> list[str] | None:
        block = self._blocks.get(entry.key)
        if block is None or block.entry is None:
            return None
        forms = _forms(block.entry)
        return forms if any(forms) else None

    def is_draft(self, entry: Entry) -> bool:
        block = self._blocks.get(entry.key)
        return block is not None and block.entry is not None and "fuzzy" in block.entry.flags

    def recorded_source(self, entry: Entry) -> str | None:
        """gettext keys an entry by its msgid, so the target's entry stands beside the text
        its translation was made from, but for its plural text (msgid_plural) and for a fuzzy
        entry's: its `#| msgid` (msgmerge's previous msgid) is what that draft translates."""
        block = self._blocks.get(entry.key)
        if block is None or block.entry is None:
            return None
        _, msgid, plural = _made_from(block.entry)
        return msgid if not plural else f"{msgid}\n{plural}"

    def translated_keys(self) -> set[str]:
        return {key for key, block in self._blocks.items()
                if block.entry is not None and any(_forms(block.entry))}

    def earlier(self, entry: Entry) -> tuple[str, list[str]] | None:
        """msgmerge's fuzzy match: for an entry the file never had, the translated entry
        closest to it (po_fuzzy.py), as the source its translation was made from and that
        translation."""
        match = self._match(entry)
        if match is None or match.entry is None:
            return None
        _, msgid, plural = _made_from(match.entry)
        return (msgid if not plural else f"{msgid}\n{plural}"), _forms(match.entry)

    def mark_stale(self, entry: Entry, old_source: str) -> bool:
        """Fuzzy, with the text it was made from as `#| msgid` (and `#| msgid_plural`), as
        msgmerge marks an entry whose msgid_plural changed; its translation stays, in the
        source's plurality (one text copied to every form, or the first form alone)."""
        block = self._blocks.get(entry.key)
        if block is None or block.entry is None:
            return False
        po = block.entry
        before = po.__unicode__(wrapwidth=WRAP_WIDTH)
        if "fuzzy" not in po.flags or po.previous_msgid is None:
            old_plural = (old_source[len(po.msgid) + 1:]
                          if old_source.startswith(po.msgid + "\n") else
                          None if old_source == po.msgid else po.msgid_plural or None)
            po.previous_msgctxt, po.previous_msgid = po.msgctxt, po.msgid
            po.previous_msgid_plural = old_plural
        self._set_forms(po, entry, _forms(po), from_plural=bool(po.msgid_plural))
        if "fuzzy" not in po.flags:
            po.flags.insert(0, "fuzzy")
        block.dirty = block.dirty or po.__unicode__(wrapwidth=WRAP_WIDTH) != before
        return True

    def prune(self, key: str) -> bool:
        """Done in every run for gettext: an entry the source no longer has is written
        obsolete, if this file still holds it live at all."""
        return key in self._gone or key not in self._blocks

    def forms(self, entry: Entry) -> list[Form]:
        if not entry.plural:
            return [Form("translation")]
        examples = self.plurals.examples()
        return [Form(f"msgstr[{i}]", "used for n = " + ", ".join(map(str, ns)) + ", …"
                     if ns else "not used for whole numbers (fractions)", only_one=ns == [1])
                for i, ns in enumerate(examples)]

    def accept(self, entry: Entry, forms: list[str]) -> None:
        block = self._block(entry)
        po = block.entry
        assert po is not None
        self._take_over(entry)
        po.msgid_plural = entry.source_plural or ""
        if entry.plural:
            po.msgstr, po.msgstr_plural = "", dict(enumerate(forms))
        else:
            po.msgstr, po.msgstr_plural = forms[0], {}
        if "fuzzy" in po.flags:
            po.flags.remove("fuzzy")
        po.previous_msgid = po.previous_msgid_plural = po.previous_msgctxt = None
        po.tcomment = _without_mark(po.tcomment)
        block.dirty = True

    def refuse(self, entry: Entry, reason: str) -> None:
        """Left untranslated with the reason as a comment; an entry with a fuzzy match is left
        as msgmerge leaves it: a fuzzy draft holding the match's translation, `#| msgid` its
        msgid (and `#| msgctxt`, `#| msgid_plural`), the match's translator comments."""
        block = self._block(entry)
        po = block.entry
        assert po is not None
        match = self._match(entry)
        if match is not None and match.entry is not None and not any(_forms(po)):
            old = match.entry
            self._take_over(entry)
            po.previous_msgctxt, po.previous_msgid, po.previous_msgid_plural = _made_from(old)
            self._set_forms(po, entry, _forms(old), from_plural=bool(old.msgid_plural))
            po.flags = ["fuzzy", *(f for f in po.flags if f != "fuzzy")]
            po.tcomment = old.tcomment
        note = f"{REFUSED_MARK} {' '.join(reason.split())}"
        po.tcomment = "\n".join(filter(None, [_without_mark(po.tcomment), note]))
        block.dirty = True

    # -- msgmerge ----------------------------------------------------------------------------
    def _match(self, entry: Entry) -> _Block | None:
        """The held message msgmerge would offer `entry` as a fuzzy match (None: the file
        had this very entry, or none is close enough)."""
        if self.new or entry.key in self._held_keys:
            return None
        if entry.key not in self._matches:
            if self._index is None:
                self._candidates = [b for b in self._held
                                    if b.entry is not None and _forms(b.entry)[0]]
                self._index = FuzzyIndex([Candidate(b.entry.msgctxt, b.entry.msgid)
                                          for b in self._candidates if b.entry is not None])
            found = self._index.best(entry.context, entry.source)
            self._matches[entry.key] = None if found is None else self._candidates[found]
        return self._matches[entry.key]

    def _take_over(self, entry: Entry) -> None:
        """The entry's fuzzy match gave it its translation (shown to the model, or kept as
        the draft): an obsolete or departing match is not kept as `#~` too (msgmerge's
        `used`)."""
        match = self._match(entry)
        if match is not None:
            match.passed_on = True

    def _set_forms(self, po: polib.POEntry, entry: Entry, forms: list[str], *,
                   from_plural: bool) -> None:
        """`forms` written in the source entry's plurality, as msgmerge does when they
        differ: one text to every form of the target's rule, or the first form alone."""
        po.msgid_plural = entry.source_plural or ""
        if entry.plural:
            count = len(forms) if from_plural else self.plurals.count
            po.msgstr = ""
            po.msgstr_plural = dict(enumerate(forms if from_plural else forms[:1] * count))
        else:
            po.msgstr, po.msgstr_plural = forms[0] if forms else "", {}

    def _revive(self, key: str, block: _Block) -> None:
        """An obsolete entry the source has again is live again (msgmerge's exact match),
        with the source's references and extracted comments."""
        po, source = block.entry, self._source_entries[key]
        assert po is not None
        po.occurrences, po.comment = list(source.occurrences), source.comment
        po.flags = [*(["fuzzy"] if "fuzzy" in po.flags else []),
                    *(f for f in source.flags if f != "fuzzy")]
        block.obsolete, block.dirty = False, True
        del self._obsolete[key]
        self._blocks[key] = block

    def _departs(self, block: _Block) -> str | None:
        """What becomes of a block: None (written where it is), "drop" (an untranslated
        departing entry, or one whose translation went to a new entry), "obsolete"."""
        po = block.entry
        if po is None:
            return None
        if block.obsolete:
            return "drop" if block.passed_on else None
        if entry_key(po.msgctxt, po.msgid) not in self._gone or self._blocks.get(
                entry_key(po.msgctxt, po.msgid)) is not block:
            return None
        return "drop" if block.passed_on or not any(_forms(po)) else "obsolete"

    # -- writing -----------------------------------------------------------------------------
    def render(self) -> str:
        out: list[str] = []
        tail: int | None = None  # where the obsolete entries ending the file start
        departing: list[_Block] = []
        for part in self._parts:
            if isinstance(part, str):
                out.append(part)
                continue
            fate = None if part is self._header else self._departs(part)
            if fate is not None:
                if fate == "obsolete":
                    departing.append(part)
                while out and _is_blank(out[-1]):  # with the blank lines before it
                    out.pop()
                continue
            if part.obsolete and tail is None:
                tail = len(out)
                while tail and _is_blank(out[tail - 1]):
                    tail -= 1
            elif not part.obsolete:
                tail = None
            out.append(self._header_text(part.text) if part is self._header
                       else self._block_text(part))
        head, rest = (out, []) if tail is None else (out[:tail], out[tail:])
        for block in self._added:  # new entries go before the obsolete ones
            self._append(head, self._block_text(block))
        out = head + rest
        for block in departing:
            self._append(out, _obsolete_text(block.text))
        return "".join(out)

    def _append(self, out: list[str], text: str) -> None:
        """`text` after what `out` holds, one blank line between."""
        if out:
            if not "".join(out[-2:]).endswith(self._newline):
                out.append(self._newline)
            if not "".join(out[-2:]).endswith(self._newline * 2):
                out.append(self._newline)
        out.append(text)

    def _block_text(self, block: _Block) -> str:
        po = block.entry
        if po is None or block.obsolete:
            return block.text
        if (self.new and po.msgid_plural and len(po.msgstr_plural) != self.plurals.count):
            # A new catalog gets exactly its language's number of (empty) forms, or msgfmt
            # refuses it. An existing catalog's untouched entries stay as they are.
            po.msgstr_plural = dict.fromkeys(range(self.plurals.count), "")
            block.dirty = True
        if not block.dirty:
            return block.text
        text = po.__unicode__(wrapwidth=WRAP_WIDTH)
        return text.replace("\n", self._newline) if self._newline != "\n" else text

    def _header_text(self, text: str) -> str:
        """The header with this language's Language and Plural-Forms (and, for a new file, the
        template's placeholder values filled in)."""
        fields = {"Language": self.language, "Plural-Forms": self.plurals.header}
        if self.new:
            fields.update({
                "PO-Revision-Date": time.strftime("%Y-%m-%d %H:%M%z"),
                "Language-Team": language_name(self.language)})
            text = re.sub(r"^#, fuzzy\r?\n", "", text, flags=re.MULTILINE)
        for name, value in fields.items():
            line = re.compile(rf'^"{re.escape(name)}:[^"\n]*\\n"\r?$', re.MULTILINE)
            new_line = f'"{name}: {value}\\n"'
            if line.search(text):
                text = line.sub(lambda _m, s=new_line: s, text, count=1)
            else:
                text = text.rstrip("\r\n") + self._newline + new_line + self._newline
        return text


def choose_plurals(language: str, path: Path, *, own: str | None,
                   job: str | None) -> GettextPlurals:
    """The Plural-Forms rule a target catalog is written with, in this order: its own header
    (an existing catalog is never switched to another rule behind its back), the job's
    `plural_forms`, another catalog of the language in the same locale tree (so a project's
    catalogs agree), then the installed CLDR data."""
    if stated_plural_forms(own):
        assert own is not None
        rule = parse_plural_forms(own, origin=f"{path} (its own header)")
        if job is not None and parse_plural_forms(job, origin="plural_forms") != rule:
            raise ConfigError(
                f"{path} already states 'Plural-Forms: {own.strip()}', but plural_forms for "
                f"{language} says '{job.strip()}'. An existing catalog keeps its rule (its "
                "entries are written for it): drop plural_forms for this language, or change "
                "the catalog's header and its plural entries first (msgmerge, msgcat)")
        return rule
    if job is not None:
        return parse_plural_forms(job, origin=f"plural_forms for {language} in the job")
    for sibling in sibling_catalogs(path, language):
        header = _plural_header(sibling)
        if stated_plural_forms(header):
            assert header is not None
            return parse_plural_forms(header, origin=f"as {sibling}")
    return cldr_gettext_plurals(language)


def sibling_catalogs(path: Path, language: str) -> list[Path]:
    """Other .po files of `language` near `path`: under its language folder
    (locale/fr/LC_MESSAGES/djangojs.po beside django.po), else in its folder named for the
    language (app.fr.po, fr.po). Sorted, so the choice is the same on every machine."""
    parts = path.parts
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] == language:
            folder = Path(*parts[:i + 1])
            found = sorted(folder.rglob("*.po")) if folder.is_dir() else []
            return [p for p in found if p != path]
    folder = path.parent
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.po") if p != path and (
        p.stem == language or p.stem.endswith(f".{language}")))


def _plural_header(path: Path) -> str | None:
    """A catalog's Plural-Forms, read from its header alone (the first block)."""
    try:
        with path.open(encoding="utf-8") as f:
            head = []
            for line in f:
                if not line.strip():
                    break
                head.append(line)
        return polib.pofile("".join(head)).metadata.get("Plural-Forms")
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def _without_mark(comment: str | None) -> str:
    lines = (comment or "").splitlines()
    return "\n".join(line for line in lines if not line.startswith(REFUSED_MARK))


def _forms(po: polib.POEntry) -> list[str]:
    """An entry's translation as its forms (a plural's in msgstr[i] order)."""
    if po.msgid_plural or po.msgstr_plural:
        return [po.msgstr_plural[i] for i in sorted(po.msgstr_plural)] or [""]
    return [po.msgstr]


def _made_from(po: polib.POEntry) -> tuple[str | None, str, str | None]:
    """The msgctxt, msgid and msgid_plural an entry's translation was made from: a fuzzy
    entry's previous ones (`#|`) when it has them (msgmerge's rule for `#|`), else its own."""
    if "fuzzy" in po.flags and po.previous_msgid is not None:
        return po.previous_msgctxt, po.previous_msgid, po.previous_msgid_plural or None
    return po.msgctxt, po.msgid, po.msgid_plural or None


def _unobsolete(text: str) -> str:
    """An obsolete block's text as a live entry's (`#~ msgid` -> `msgid`, `#~|` -> `#|`)."""
    lines = []
    for line in text.splitlines(keepends=True):
        if line.startswith("#~|"):
            line = "#|" + line[3:]
        elif line.startswith("#~"):
            line = line[3:] if line.startswith("#~ ") else line[2:]
        lines.append(line)
    return "".join(lines)


def _obsolete_text(text: str) -> str:
    """A live block's text made obsolete as msgmerge makes it: its references and extracted
    comments dropped, translator comments and flags kept, `#|` as `#~|`, every other line
    behind `#~ ` (its lines otherwise as they were, so a diff shows only the marks)."""
    lines = []
    for line in text.splitlines(keepends=True):
        if line.startswith(("#.", "#:")):
            continue
        if line.startswith("#|"):
            line = "#~|" + line[2:]
        elif not line.startswith("#"):
            line = "#~ " + line
        lines.append(line)
    return "".join(lines)


def _is_blank(text: str) -> bool:
    return not text.strip()
