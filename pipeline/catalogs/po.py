"""gettext catalogs (.po, .pot), read with polib and written back by surgery, not re-serialising.

polib re-wraps every entry when it saves, so a saved file differs from its source in dozens of
lines (measured on Django's catalogs). Instead the file is kept as its text, split into blocks
at blank lines; only the blocks of entries we translate (or refuse, with a comment) are
regenerated, and the header gets its Language and Plural-Forms lines replaced. Everything else
stays byte for byte.
"""

from __future__ import annotations

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

WRAP_WIDTH = 79  # xgettext's and msgmerge's default page width
REFUSED_MARK = "pipeline: not translated:"
_BLANK = re.compile(r"^[ \t]*\r?\n?$")


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
    entry: polib.POEntry | None = None  # None: the header, a comment block or obsolete
    dirty: bool = False


def _split(text: str) -> tuple[list[_Block | str], str]:
    """The file as blocks (runs of non-blank lines) and the blank lines between them."""
    parts: list[_Block | str] = []
    current: list[str] = []
    for line in text.splitlines(keepends=True):
        if _BLANK.match(line):
            if current:
                parts.append(_Block("".join(current)))
                current = []
            parts.append(line)
        else:
            current.append(line)
    if current:
        parts.append(_Block("".join(current)))
    newline = "\r\n" if "\r\n" in text else "\n"
    return parts, newline


class PoTargetCatalog(TargetCatalog):
    """A target .po: the existing file updated, or a new one made from the source's text."""

    def __init__(self, text: str, language: str, path: Path, *, source: PoCatalog, new: bool,
                 include_fuzzy: bool, plural_forms: str | None = None):
        self.language = language
        self.path = path
        self.new = new
        self.include_fuzzy = include_fuzzy
        self._source = source
        self._parts, self._newline = _split(text)
        self._blocks: dict[str, _Block] = {}
        self._header: _Block | None = None
        header_plural = None
        for part in self._parts:
            if not isinstance(part, _Block):
                continue
            parsed = _parse(part.text, str(path))
            entries = [e for e in parsed if not e.obsolete]
            if entries:
                part.entry = entries[0]
                self._blocks[entry_key(part.entry.msgctxt, part.entry.msgid)] = part
            elif parsed.metadata and self._header is None:
                self._header = part
                header_plural = parsed.metadata.get("Plural-Forms")
        self.plurals = choose_plurals(language, path, own=None if new else header_plural,
                                      job=plural_forms)
        self._added: list[_Block] = []

    @property
    def plural_rule(self) -> str:
        return f"Plural-Forms {self.plurals.header} ({self.plurals.origin})"

    # -- what to translate -------------------------------------------------------------------
    def _block(self, entry: Entry) -> _Block:
        block = self._blocks.get(entry.key)
        if block is None:  # in the source, not yet in this target: added at the end
            source = next(e for e in self._source.po if not e.obsolete
                          and entry_key(e.msgctxt, e.msgid) == entry.key)
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
        po = block.entry
        if po.msgid_plural:
            forms = [po.msgstr_plural.get(i, "") for i in range(len(po.msgstr_plural))]
            return forms if any(forms) else None
        return [po.msgstr] if po.msgstr else None

    def is_draft(self, entry: Entry) -> bool:
        block = self._blocks.get(entry.key)
        return block is not None and block.entry is not None and "fuzzy" in block.entry.flags

    def recorded_source(self, entry: Entry) -> str | None:
        """gettext keys an entry by its msgid: the target's entry stands beside the source
        text it was made from, but for a changed plural text."""
        block = self._blocks.get(entry.key)
        if block is None or block.entry is None:
            return None
        po = block.entry
        return po.msgid if not po.msgid_plural else f"{po.msgid}\n{po.msgid_plural}"

    def translated_keys(self) -> set[str]:
        return {key for key, block in self._blocks.items() if block.entry is not None and (
            block.entry.msgstr or any(block.entry.msgstr_plural.values()))}

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
        if po.msgid_plural:
            po.msgstr_plural = dict(enumerate(forms))
        else:
            po.msgstr = forms[0]
        if "fuzzy" in po.flags:
            po.flags.remove("fuzzy")
        po.previous_msgid = po.previous_msgid_plural = po.previous_msgctxt = None
        po.tcomment = _without_mark(po.tcomment)
        block.dirty = True

    def refuse(self, entry: Entry, reason: str) -> None:
        block = self._block(entry)
        po = block.entry
        assert po is not None
        note = f"{REFUSED_MARK} {' '.join(reason.split())}"
        po.tcomment = "\n".join(filter(None, [_without_mark(po.tcomment), note]))
        block.dirty = True

    # -- writing -----------------------------------------------------------------------------
    def render(self) -> str:
        out: list[str] = []
        for part in self._parts:
            if isinstance(part, str):
                out.append(part)
            elif part is self._header:
                out.append(self._header_text(part.text))
            else:
                out.append(self._block_text(part))
        for block in self._added:
            if out and not out[-1].endswith(self._newline * 2):
                out.append(self._newline)
            out.append(self._block_text(block))
        return "".join(out)

    def _block_text(self, block: _Block) -> str:
        po = block.entry
        if po is None:
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
