"""App catalog formats read and written by translate-toolkit: Android, Apple .strings,
.properties, YAML, XLIFF 1.2 and 2.0, Qt Linguist, .NET .resx, Flutter ARB.

translate-toolkit is the library Weblate reads and writes these formats with: it knows their
escapes (Android's `\\'` and `\\n`, .properties' `\\uXXXX`, Apple's UTF-16), their plural
forms (Android `<plurals>` quantities, Rails `one:`/`other:` keys) and their comments, so we
write no parser of our own. Each format is a `Flavour`: the toolkit store, the placeholder
syntax its strings use, where each language's file goes in that ecosystem, and how a written
file is checked by reading it back.

A new target starts as a copy of the source file: translated entries take their translation,
everything else (comments, order, untranslatable entries of the format's own kind) stays as the
toolkit wrote the source, and an entry left for review is left out, so the app falls back to
its source language for it rather than showing a broken string. An existing target keeps every
entry it has; only missing entries are added. Which bytes are kept exactly depends on the
toolkit's writer for the format. Android and XLIFF are written by lxml with the toolkit's
re-indenting turned off; Rails YAML is the source's text with only the translated values
edited (`yaml_splice.py`; ruamel's round trip re-lays the whole file). Where the toolkit
normalises layout (`.properties` indentation, delimiters, continuation lines; `.strings`
spacing), the file is spliced instead: only changed entries are rewritten, with the
toolkit's escaping, and every other line is left as it was (`splice.py`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from lxml import etree
from translate.misc.multistring import multistring
from translate.storage import properties, ts2, xliff, xliff2
from translate.storage import yaml as toolkit_yaml
from translate.storage.aresource import AndroidResourceFile
from translate.storage.base import TranslationStore
from translate.storage.jsonl10n import ARBJsonFile
from translate.storage.resx import RESXFile

from ..errors import ConfigError, InputError
from ..languages import cldr_categories
from . import symfony_plurals
from .android_units import (
    ArrayItemUnit,
    ResourceUnit,
    add_array_items,
    array_length_problems,
    array_of,
    fill_array,
    resource_key,
)
from .app_paths import (
    android_path,
    arb_path,
    dotted_path,
    lproj_path,
    properties_path,
    underscore_path,
    yaml_path,
)
from .base import Catalog, Entry, Form, TargetCatalog, WholeGroups, cldr_forms, read_catalog
from .icu import message_forms, structure_problems
from .placeholders import ICU_ARGUMENT, Rules, uses_printf
from .qt_numerus import numerus_forms, numerus_rule
from .splice import (
    element_splice,
    original_elements,
    same_declaration,
    same_line_ends,
    splice,
    ts_language,
    xliff2_root,
)
from .xliff_markup import (
    NOT_TRANSLATED,
    XliffState,
    as_markup,
    inline_element,
    lay_out_target,
    markup_problems,
    parse_markup,
    review_note,
    set_markup_target,
    xliff12_state,
)
from .yaml_splice import splice_yaml


class _AndroidFile(AndroidResourceFile):
    """Android resources written back without re-indenting: lxml keeps every untouched node's
    whitespace, comments and attributes as they were. Product variants and `<string-array>`
    items are units of their own (android_units.py)."""

    XMLindent: dict[str, Any] = {}  # noqa: RUF012 (the toolkit's class attribute)
    UnitClass = ResourceUnit

    def parse(self, xml: Any) -> None:
        super().parse(xml)
        add_array_items(self)


class _XliffFile(xliff.xlifffile):
    """XLIFF written back without re-indenting (as _AndroidFile)."""

    XMLindent: dict[str, Any] = {}  # noqa: RUF012 (the toolkit's class attribute)


class _Xliff2File(xliff2.Xliff2File):
    """XLIFF 2.0 written back without re-indenting (as _AndroidFile)."""

    XMLindent: dict[str, Any] = {}  # noqa: RUF012 (the toolkit's class attribute)


class _ResxFile(RESXFile):
    """.resx read by the toolkit; written by splicing changed <data> elements (the toolkit
    adds xml:space to every <data> and turns every line end into CRLF)."""

    XMLindent: dict[str, Any] = {}  # noqa: RUF012 (the toolkit's class attribute)


class _ArbUnit(ARBJsonFile.UnitClass):  # type: ignore[misc, valid-type]
    """An ARB message that keeps an empty "@key": {} it had (the toolkit drops it)."""

    had_metadata = False

    def storevalues(self, output: dict[str, Any]) -> None:
        super().storevalues(output)
        if self.had_metadata and not self.metadata and not self.isheader():
            self.storevalue(output, {}, override_key=f"@{self.getid()}")


class _ArbFile(ARBJsonFile):
    UnitClass = _ArbUnit

    def _extract_units(self, data: Any, *args: Any, **kwargs: Any) -> Any:
        for unit in super()._extract_units(data, *args, **kwargs):
            unit.had_metadata = isinstance(data, dict) and f"@{unit.getid()}" in data
            yield unit


class _TsFile(ts2.tsfile):
    """Qt Linguist files, read by the toolkit; written by splicing changed <message>s."""

    XMLindent: dict[str, Any] = {}  # noqa: RUF012 (the toolkit's class attribute)


@dataclass(frozen=True)
class Flavour:
    """One catalog format as translate-toolkit handles it."""

    name: str
    title: str
    #: The toolkit store for a file's bytes.
    store: Callable[[bytes], type[TranslationStore]]
    rules: Rules
    #: Where `language`'s file goes, from the source's path and its language.
    target_path: Callable[[Path, str, str], Path]
    #: Replace changed entries' lines in the original text instead of re-serialising it all.
    splice: bool = False
    #: Extra checks of a translation (beyond placeholders, tags and edges): (source, text,
    #: target language) -> problems.
    problems: Callable[[str, str, str], list[str]] = field(default=lambda s, t, lang: [])
    #: Whether a unit the toolkit reads is text to translate (beyond its own istranslatable).
    is_text: Callable[[Any], bool] = field(default=lambda unit: True)
    #: Source and target in one unit (XLIFF): a translation is the unit's target, and an entry
    #: not translated stays in the file without one.
    bilingual: bool = False
    #: Whether a unit is a strftime pattern, by where the format keeps it (Rails:
    #: date.formats.*): its directives are placeholders.
    strftime: Callable[[Any], bool] = field(default=lambda unit: False)


# -- format-specific checks --------------------------------------------------------------------

_MESSAGE_FORMAT_ARG = re.compile(r"\{\d+(?:,[^{}]*)?\}")


def _message_format_quotes(source: str, text: str, language: str) -> list[str]:
    """java.text.MessageFormat treats a single apostrophe as the start of quoted text: in a
    string with {0}-style arguments, "l'été {0}" prints "lété {0}" literally. Such strings
    write an apostrophe as ''."""
    if not _MESSAGE_FORMAT_ARG.search(source):
        return []
    if re.search(r"(?<!')'(?!')", text.replace("''", "")):
        return ["the translation has a single apostrophe ('), which java.text.MessageFormat "
                "reads as a quote that hides the arguments after it: write it as ''"]
    return []


def _xliff_problems(source: str, text: str, language: str) -> list[str]:
    """An Angular ICU message's structure (Symfony's |-separated forms are the target's:
    `ToolkitTargetCatalog._pipe_problems`)."""
    if ICU_ARGUMENT.search(source):
        return structure_problems(source, text, language)
    return []


def _store_for_properties(data: bytes) -> type[TranslationStore]:
    # Java 9+ reads .properties bundles as UTF-8 (falling back to ISO-8859-1): raw UTF-8
    # stays UTF-8; otherwise non-Latin-1 letters are written as \\uXXXX escapes.
    try:
        data.decode("ascii")
    except UnicodeDecodeError:
        try:
            data.decode("utf-8")
            return properties.javautf8file
        except UnicodeDecodeError:
            return properties.javafile
    return properties.javafile


def _resx_text(unit: Any) -> bool:
    """A string resource: not a typed value (a file reference, an image, a Windows Forms
    Point: `type` or `mimetype`), nor a Windows Forms designer property (`>>button1.Name`,
    `$this.Icon`), which .NET reads as code, not text."""
    element = unit.xmlelement
    return (element.get("type") is None and element.get("mimetype") is None
            and not (element.get("name") or "").startswith((">>", "$this.")))


_RUBY_SYMBOL = re.compile(r"^:[A-Za-z_]\w*[?!]?$")


def _yaml_value(unit: Any) -> Any:
    """A unit's value as YAML typed it, from the document the toolkit loaded (with its own
    `_get_original_value`, from under the language's key)."""
    document = getattr(unit._store, "_original", None)
    if isinstance(document, dict) and len(document) == 1:
        document = next(iter(document.values()))  # under the language's key (en:)
    return unit._get_original_value(document) if document is not None else None


def _yaml_text(unit: Any) -> bool:
    """A Rails value that is text: not a number or a boolean (`precision: 3`, `significant:
    false`), a Ruby symbol (`:year`), nor one of the settings Rails' own locale files hold as
    words: `date.order` (year, month, day: read as symbols by date_select) and `round_mode`
    (a BigDecimal mode)."""
    value = _yaml_value(unit)
    if isinstance(value, bool | int | float):
        return False
    keys = [key for _kind, key in unit.get_unitid().parts]
    names = [k for k in keys if isinstance(k, str)]
    if names[-2:] == ["date", "order"] or names[-1:] == ["round_mode"]:
        return False
    return not (isinstance(value, str) and _RUBY_SYMBOL.match(value))


def _rails_strftime(unit: Any) -> bool:
    """Rails' `I18n.l` formats a date with `date.formats.<name>` and a time with
    `time.formats.<name>`: strftime patterns ("%m/%d/%Y"), whose directives a translation
    must keep (it may reorder them)."""
    names = [key for _kind, key in unit.get_unitid().parts]
    return (len(names) >= 3 and names[-2] == "formats"
            and names[-3] in ("date", "time", "datetime"))


#: What the translator is told of a strftime pattern.
STRFTIME_NOTE = ("A strftime date/time format: keep every % directive (%d, %m, %Y, %H, %I, "
                 "%p, ...) exactly, drop or add none; order them, and the text between them, "
                 "as the language writes dates and times")


class _RailsYAMLFile(toolkit_yaml.RubyYAMLFile):
    """The toolkit reads numbers and booleans as text ("3", "False") and writes them back
    quoted, which Rails then reads as strings ("False" is true in Ruby): they are given back
    their own values, so a file is written with `precision: 3`, `significant: false`."""

    def parse(self, input: Any) -> None:
        super().parse(input)
        for unit in self.units:
            value = _yaml_value(unit)
            if isinstance(value, bool | int | float):
                unit.target = value

    def get_plural_tags(self, target: Any = None) -> list[str]:
        """A plural's keys are the language's CLDR categories, as rails-i18n pluralizes them
        (Polish and Russian: one, few, many, other), read and written by key. The toolkit's
        own table leaves out `other` for Polish and Russian (gettext's count of forms), so it
        read a file with four keys back as three forms and wrote three."""
        try:
            return cldr_categories(self.gettargetlanguage() or "en")
        except ConfigError:  # not a language Babel knows: the toolkit's table
            return super().get_plural_tags(target)


def _store_for_strings(data: bytes) -> type[TranslationStore]:
    return (properties.stringsfile if data[:2] in (b"\xff\xfe", b"\xfe\xff")
            else properties.stringsutf8file)


FLAVOURS: dict[str, Flavour] = {
    "android": Flavour("android", "Android strings.xml", lambda data: _AndroidFile,
                       Rules(printf=True), android_path),
    "apple": Flavour("apple", "Apple .strings", _store_for_strings, Rules(printf=True),
                     lproj_path, splice=True),
    "properties": Flavour("properties", "Java .properties", _store_for_properties,
                          Rules(brace=True), properties_path, splice=True,
                          problems=_message_format_quotes),
    "yaml": Flavour("yaml", "Rails YAML", lambda data: _RailsYAMLFile,
                    Rules(ruby=True), yaml_path, is_text=_yaml_text,
                    strftime=_rails_strftime),
    "xliff": Flavour("xliff", "XLIFF 1.2", lambda data: _XliffFile,
                     Rules(brace=True, i18next=True, percent_name=True), dotted_path,
                     problems=_xliff_problems, bilingual=True),
    "xliff2": Flavour("xliff2", "XLIFF 2.0", lambda data: _Xliff2File,
                      Rules(brace=True, i18next=True, percent_name=True), dotted_path,
                      problems=_xliff_problems, bilingual=True),
    "qt": Flavour("qt", "Qt Linguist .ts", lambda data: _TsFile, Rules(printf=True, qt=True),
                  underscore_path, bilingual=True),
    "resx": Flavour("resx", ".NET .resx", lambda data: _ResxFile, Rules(brace=True),
                    dotted_path, is_text=_resx_text),
    # ICU messages: {name} arguments and plural/select blocks are judged by their structure.
    "arb": Flavour("arb", "Flutter ARB", lambda data: _ArbFile, Rules(), arb_path,
                   problems=structure_problems),
}


def detect_flavour(path: Path) -> str | None:
    """The toolkit format a file is, from its name and (for XML) its root element."""
    suffix = path.suffix.lower()
    if suffix == ".xml":
        try:
            head = path.read_bytes()[:4096]
        except OSError:
            return "android"  # the reader says what is wrong with the file
        return "android" if b"<resources" in head else None
    if suffix in (".xlf", ".xliff"):
        try:
            head = path.read_bytes()[:4096]
        except OSError:
            return "xliff"
        return "xliff2" if re.search(rb'<xliff[^>]*version="2', head) else "xliff"
    if suffix in (".ts", ".tr"):  # .ts is TypeScript too: only a <TS> document is Qt's
        try:
            head = path.read_bytes()[:4096]
        except OSError:
            return None
        return "qt" if re.search(rb"<TS[\s>]", head) else None
    return {".strings": "apple", ".properties": "properties", ".yml": "yaml",
            ".yaml": "yaml", ".resx": "resx", ".arb": "arb"}.get(suffix)


def _parse(flavour: Flavour, path: Path, data: bytes) -> TranslationStore:
    try:
        store = flavour.store(data)()
        store.parse(_strings_semicolons(data) if flavour.name == "apple" else data)
    except Exception as exc:  # the toolkit raises many kinds (lxml, ruamel, ValueError)
        raise InputError(f"catalog {path} is not a readable {flavour.title} file: "
                         f"{type(exc).__name__}: {exc}") from None
    store.filename = str(path)
    return store


def read_translations(path: Path, flavour: str, language: str) -> dict[str, list[str]]:
    """What a target file says for each entry, read by the toolkit as the app's tools would:
    key -> its forms (XLIFF: the target; inline elements as markup). Entries with none are
    absent."""
    catalog = ToolkitCatalog(path, flavour)
    catalog.store.settargetlanguage(language)
    found: dict[str, list[str]] = {}
    for unit in catalog.store.units:
        if catalog.flavour.bilingual and (target := inline_element(unit, "target")) is not None:
            texts = [as_markup(target)] if len(target) else _texts(unit, True)
        else:
            texts = _texts(unit, catalog.flavour.bilingual)
        if any(texts):
            found[str(unit.getid())] = texts
    return found


def _strings_semicolons(data: bytes) -> bytes:
    """`"key" = "value" ;` (a space before the semicolon, which Apple's reader accepts and
    real catalogs have) is read by translate-toolkit 3.20 as the value `value" `: parse a copy
    without the space. Only for reading: the file is written by splicing (splice.py)."""
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    text = data.decode("utf-16" if utf16 else "utf-8")
    fixed = re.sub(r'"[ \t]+;[ \t]*$', '";', text, flags=re.M)
    if fixed == text:
        return data
    return fixed.encode("utf-16") if utf16 else fixed.encode("utf-8")


def _translatable(unit: Any, flavour: Flavour) -> bool:
    if unit.isheader() or not unit.istranslatable() or not flavour.is_text(unit):
        return False
    source = unit.source
    strings = source.strings if isinstance(source, multistring) else [source]
    return any(s for s in strings)


def _notes(unit: Any) -> str:
    """The notes a translator should read. XLIFF 2.0 keeps them on the <unit> (the toolkit
    looks in the segment): its descriptions and meanings, not Angular's source locations. An
    ARB message's description, and what its placeholders hold (type, example, description)."""
    if isinstance(unit, xliff2.Xliff2Unit):
        element = unit.getunitelement()
        notes = [note.text for note in element.iterfind("{*}notes/{*}note")
                 if note.text and note.get("category") != "location"]
        return "\n".join([*notes, *_whole_unit(element)])
    notes = unit.getnotes("developer") or unit.getnotes()
    if isinstance(unit, ARBJsonFile.UnitClass):
        placeholders = unit.metadata.get("placeholders") or {}
        for name, about in placeholders.items() if isinstance(placeholders, dict) else ():
            about = about if isinstance(about, dict) else {}
            said = ", ".join(str(about[k]) for k in ("type", "description") if about.get(k))
            if about.get("example"):
                said += f"{', ' if said else ''}e.g. {about['example']}"
            notes += f"\n{{{name}}}: {said}" if said else ""
    return notes


def _whole_unit(element: Any) -> list[str]:
    """A unit split into several segments (sentences) is translated segment by segment, as
    the toolkit reads it; the model is shown the whole message so the sentences agree."""
    segments = element.findall("{*}segment")
    if len(segments) < 2:
        return []
    whole = "".join("".join(part.find("{*}source").itertext())
                    for part in element.iterchildren("{*}segment", "{*}ignorable"))
    return [f"One of {len(segments)} sentences of a message that reads in full: {whole}"]


def _texts(unit: Any, bilingual: bool = False) -> list[str]:
    value = unit.target if bilingual else (unit.target or unit.source)
    if isinstance(value, multistring):
        return [str(s) for s in value.strings]
    return [value] if value else []


class ToolkitCatalog(Catalog):
    """A source catalog in one of `FLAVOURS`."""

    def __init__(self, path: Path, flavour: str):
        self.path = path
        self.flavour = FLAVOURS[flavour]
        self.format_name = self.flavour.title
        self.data = read_catalog(path)
        self.store = _parse(self.flavour, path, self.data)
        #: XLIFF units whose source holds inline elements (<x id="INTERPOLATION"/>, <g>):
        #: they are translated as XML markup and written back as elements.
        self.markup: set[str] = {str(u.getid()) for u in self.store.units
                                 if self.flavour.bilingual and inline_element(u) is not None}
        #: XLIFF written for Symfony (not Angular's ng2.template): "one|many" strings are
        #: plural forms by Symfony's rule for the target language.
        self.symfony = self.flavour.name == "xliff" and b'original="ng2.template"' not in (
            self.data[:4096])
        #: Qt numerus messages: one source, one translation per form of Qt's own rule.
        self.numerus: set[str] = {str(u.getid()) for u in self.store.units
                                  if self.flavour.name == "qt" and u.hasplural()}
        #: Rails YAML list items (`date->day_names->0`) and the list each is in: a list is
        #: written whole (Rails indexes into it: a day name missing shifts the week).
        self.list_items: dict[str, str] = {
            str(u.getid()): str(u.getid()).rsplit("->", 1)[0] for u in self.store.units
            if self.flavour.name == "yaml" and u.get_unitid().parts
            and u.get_unitid().parts[-1][0] == "index"}

    def entries(self) -> list[Entry]:
        return list(self._entries)

    @cached_property
    def _entries(self) -> list[Entry]:
        """Read once: each target language's target asks for them again."""
        out: list[Entry] = []
        seen: set[str] = set()
        for unit in self.store.units:
            if not _translatable(unit, self.flavour):
                continue
            key = str(unit.getid())
            if key in seen:
                raise InputError(f"catalog {self.path}: the key {key!r} appears twice; keep "
                                 "one (the app would use only one of them)")
            seen.add(key)
            # The toolkit's YAML key path as Rails writes it; an XLIFF unit's own id.
            shown = key.replace("->", ".").split("\x04")[-1]
            source = unit.source
            if key in self.markup:
                source = as_markup(inline_element(unit))
            notes = [n for n in _notes(unit).splitlines() if n.strip()]
            strftime = self.flavour.strftime(unit)
            if strftime:
                notes.append(STRFTIME_NOTE)
            if key in self.numerus:  # one source ("%n file(s)") for all of Qt's forms
                text = str(source.strings[0] if isinstance(source, multistring) else source)
                out.append(Entry(key=key, source=text, source_plural=text, context=shown,
                                 comments=notes, rules=self._rules(text)))
            elif isinstance(source, multistring) and len(source.strings) > 1:
                forms = [self._meaning(str(s)) for s in source.strings]
                out.append(Entry(key=key, source=forms[0], source_plural=forms[-1],
                                 context=shown, comments=notes, rules=self._rules(source)))
            else:
                rules = self._rules(str(source))
                out.append(Entry(key=key, source=self._meaning(str(source)), context=shown,
                                 comments=notes,
                                 rules=replace(rules, strftime=True) if strftime else rules))
        return out

    def _rules(self, source: str) -> Rules:
        """An ICU message in an XLIFF unit (Angular's {VAR_PLURAL, plural, =0 {...} ...}) is
        judged by its structure: its case bodies are not {name} placeholders. An XLIFF unit
        holding printf directives (an Xcode export's `%@`, `%lld`) keeps them, in order."""
        if self.flavour.bilingual and ICU_ARGUMENT.search(source):
            return Rules(tags=self.flavour.rules.tags)
        rules = self.flavour.rules
        if self.flavour.bilingual and not rules.printf and uses_printf(str(source)):
            rules = replace(rules, printf=True)
        if self.symfony and "|" in source:
            return replace(rules, pipes=True)
        return rules

    def _meaning(self, text: str) -> str:
        """The string as the app shows it. Android collapses the line breaks and indentation
        of a multi-line resource (a CDATA block laid out over several lines): the translator
        sees, and the target gets, the text on one line, not the source's layout."""
        if self.flavour.name == "android" and re.search(r"\n[ \t]", text):
            return re.sub(r"\s*\n\s*", " ", text).strip()
        return text

    def target(self, language: str, path: Path, *, include_fuzzy: bool = False,
               plural_forms: str | None = None) -> ToolkitTargetCatalog:
        self.refuse_plural_forms(language, plural_forms)
        return ToolkitTargetCatalog(self, language, path, include_fuzzy=include_fuzzy)

    def default_target_path(self, source_language: str, language: str) -> Path:
        # A Qt file's stem names its own (translation) language, not the source's.
        own = (self.store.gettargetlanguage() or "") if self.flavour.name == "qt" else None
        return self.flavour.target_path(self.path, source_language if own is None else own,
                                        language)


class ToolkitTargetCatalog(TargetCatalog):
    def __init__(self, source: ToolkitCatalog, language: str, path: Path, *,
                 include_fuzzy: bool = False):
        self.language = language
        self.include_fuzzy = include_fuzzy
        self.path = path
        self._source = source
        self._flavour = source.flavour
        self.exists = path.exists()
        self._data = path.read_bytes() if self.exists else source.data
        self.store = _parse(self._flavour, path, self._data)
        self.store.settargetlanguage(language)
        self._units = {str(u.getid()): u for u in self.store.units}
        self._done: dict[str, list[str]] = {}
        self._refused: set[str] = set()
        self._reasons: dict[str, str] = {}
        self._scratch: dict[str, Any] | None = None
        #: Android string-arrays: each is written whole or not at all.
        #: Android string-arrays and Rails lists: each is written whole or not at all.
        self._arrays = (
            WholeGroups(source.entries(), array_of, "a string-array")
            if self._flavour.name == "android"
            else WholeGroups(source.entries(), source.list_items.get, "a list"))

    def needs(self, entry: Entry) -> bool:
        if not self.exists:
            return True
        unit = self._units.get(entry.key)
        if unit is None or not any(_texts(unit, self._flavour.bilingual)):
            return True
        if isinstance(unit, ts2.tsunit) and QT_MACHINE_NOTE in unit.getnotes("translator"):
            return False  # ours, unfinished until reviewed: not bought again by --fuzzy
        if isinstance(unit, xliff.xliffunit):
            state = xliff12_state(unit)
            if state is XliffState.UNTRANSLATED:
                return True
            return self.include_fuzzy and state is XliffState.DRAFT
        # Qt's unfinished, XLIFF 2.0's initial: a draft, redone only when asked (--fuzzy).
        return self.include_fuzzy and unit.isfuzzy()

    @property
    def plural_rule(self) -> str:
        if self._flavour.name == "qt" and (rule := numerus_rule(self.language)) is not None:
            return f"Qt numerus forms: {rule.header} ({rule.origin})"
        return super().plural_rule

    def forms(self, entry: Entry) -> list[Form]:
        if entry.key in self._source.numerus:
            return numerus_forms(self.language)
        if self._source.symfony and self._pipe_forms(entry) is not None:
            return [Form("text", symfony_plurals.describe(entry.source, self.language))]
        if self._flavour.name == "arb" or (self._flavour.bilingual
                                           and ICU_ARGUMENT.search(entry.source)):
            return message_forms(entry.source, self.language)
        if not entry.plural:
            return [Form("text")]
        return cldr_forms(self.language)

    def unwritable(self, entry: Entry) -> str | None:
        """Android: a trial translation is set on a scratch copy and read back from the XML
        element the toolkit wrote, so a string whose markup the toolkit would rewrite is
        reported before it is paid for, not found broken after."""
        if entry.key in self._source.numerus and numerus_rule(self.language) is None:
            return (f"Qt Linguist has no numerus rule for {self.language}, so it cannot tell how "
                    "many forms the translation needs; translate it in Linguist")
        if self._flavour.name != "android":
            return None
        if self._scratch is None:
            scratch = _parse(self._flavour, self._source.path, self._source.data)
            scratch.settargetlanguage(self.language)
            self._scratch = {str(u.getid()): u for u in scratch.units}
        unit = self._scratch.get(entry.key)
        if unit is None:
            return None
        count = len(self.forms(entry))
        trial = [f"x {entry.source_plural or entry.source}"] * count
        try:
            _set_target(unit, trial)
            written = type(unit).createfromxmlElement(unit.xmlelement)
            written._store = unit._store  # its plural tags are the target language's
            back = _texts(written)
        except Exception as exc:  # the toolkit's own error for this string
            back = [f"{type(exc).__name__}: {exc}"]
        if [_xml_normal(t) for t in back] != [_xml_normal(t) for t in trial]:
            return ("translate-toolkit cannot write this string back as given (it uses XML "
                    "entities or markup it rewrites); translate it by hand")
        return None

    def held_back(self) -> list[tuple[Entry, str]]:
        return self._arrays.held_back(self._done, self.needs)

    def _pipe_forms(self, entry: Entry) -> int | None:
        """How many |-separated forms the translation has (None: no | in the source). A
        Symfony message follows Symfony's rule for the language; elsewhere a | is text, kept
        as many times as the source has it."""
        if not self._flavour.bilingual or "|" not in entry.source:
            return None
        if self._source.symfony:
            return symfony_plurals.form_count(entry.source, self.language)
        return entry.source.count("|") + 1

    def extra_problems(self, entry: Entry, forms: list[str]) -> list[str]:
        found: list[str] = []
        if (want := self._pipe_forms(entry)) is not None:
            got = forms[0].count("|") + 1
            if got != want:
                rule = (f"Symfony's rule for {self.language}" if self._source.symfony
                        else "as the source has")
                found.append(f"the translation must have {want} |-separated form(s), "
                             f"{rule} (it has {got})")
        if entry.key in self._source.markup:
            found += markup_problems(entry.source, forms[0])
        sources = [entry.source] if not entry.plural else [entry.source_plural or entry.source]
        for form in forms:
            for source in sources:
                found += self._flavour.problems(source, form, self.language)
        return list(dict.fromkeys(found))

    def accept(self, entry: Entry, forms: list[str]) -> None:
        self._done[entry.key] = forms
        self._refused.discard(entry.key)

    def refuse(self, entry: Entry, reason: str) -> None:
        self._done.pop(entry.key, None)
        self._refused.add(entry.key)
        self._reasons[entry.key] = reason

    def render(self) -> str:
        raise NotImplementedError("toolkit catalogs are written as bytes: use render_bytes")

    def render_bytes(self) -> bytes:
        store = _parse(self._flavour, self.path, self._data)  # fresh: render twice, same bytes
        store.settargetlanguage(self.language)
        units = {str(u.getid()): u for u in store.units}
        before = {key: _texts(unit) for key, unit in units.items()}
        # Qt and .resx files are written by splicing changed elements into the original text.
        original = original_elements(units) if self._flavour.name in ("qt", "resx") else {}
        left_out = self._arrays.incomplete(self._done, self.needs)
        arrays: dict[str, dict[str, Any]] = {}  # the arrays written, their items by key
        for key, forms in self._done.items():
            if self._flavour.name == "android" and (array := array_of(key)) is not None:
                if array not in left_out:
                    if array not in arrays:
                        arrays[array] = fill_array(store, self._source.store, array)
                    _set_target(arrays[array][key], forms)
                continue
            if self._source.list_items.get(key) in left_out:
                continue  # not written: its list is written whole
            unit = units.get(key)
            if unit is None:  # missing from an existing target: added from the source
                unit = _copy_unit(self._source.store, key)
                _append(store, unit)
                units[key] = unit
            if isinstance(unit, ts2.tsunit):  # translated now: not left for review
                _qt_review_note(unit, None)
            elif self._flavour.bilingual:
                review_note(unit, None)
            if key in self._source.markup:
                set_markup_target(unit, forms[0])
            else:
                _set_target(unit, forms)
        if self._flavour.bilingual:
            for key in self._refused:  # kept, without a target, saying why
                if key in units:
                    _untranslated(units[key], self._reasons.get(key, ""))
            if not self.exists:  # the source's own targets (en -> en) are not French
                for key, unit in units.items():
                    if key not in self._done and key not in self._refused:
                        _untranslated(unit, None)
        elif not self.exists:
            # A new file: what was not translated is left out (the app falls back to its
            # source language); so are Android strings marked translatable="false", which
            # belong to the default values/ only.
            for key, unit in list(units.items()):
                if (key in self._done or unit.isheader() or isinstance(unit, ArrayItemUnit)
                        or key in self._source.list_items):
                    continue  # a list's items: the list is kept or left out whole, below
                if (_translatable(unit, self._flavour)
                        or self._flavour.name in ("android", "resx")):
                    store.removeunit(unit)
                    del units[key]
            if self._flavour.name == "android":
                _drop_other_resources(store, keep=set(arrays))
            if self._flavour.name == "yaml":
                _drop_yaml_lists(store, units, self._source.list_items, left_out)
        _rename_yaml_root(store, self._source, self.language)
        if isinstance(store, ARBJsonFile):
            _arb_layout(store, self._data, self.language)
        if self._flavour.name == "qt":
            text = element_splice(self._data, "message", units, original, append=False)
            # Qt names languages with an underscore (pt_BR), as its files do.
            qt_language = self.language.replace("-", "_")
            spliced = ts_language(text, qt_language) if text is not None else None
            if spliced is not None:
                return spliced
        if self._flavour.name == "resx":
            text = element_splice(self._data, "data", units, original, append=True)
            if text is not None:
                return text.encode("utf-8")
        if self._flavour.splice:
            original_units = _parse(self._flavour, self.path, self._data).units
            spliced = splice(self._flavour.name, self._data, original_units, store, before,
                             units, _texts)
            if spliced is not None:
                return spliced
        if self._flavour.name == "yaml":  # the source's text, only what changed edited
            spliced = splice_yaml(self._data, bytes(store))
            if spliced is not None:
                return spliced
        written = same_declaration(self._data, bytes(store))
        if self._flavour.name == "xliff2":
            written = xliff2_root(self._data, written, self.language)
        return same_line_ends(self._data, written)

    def verify(self, data: bytes) -> list[str]:
        """What is wrong with the file about to be written, read back by the toolkit (and by
        lxml for Android): every translation reads back as accepted, plural forms have the
        target's categories."""
        problems: list[str] = []
        store = _parse(self._flavour, self.path, data)
        store.settargetlanguage(self.language)
        units = {str(u.getid()): u for u in store.units}
        left_out = self._arrays.incomplete(self._done, self.needs)
        for key, forms in self._done.items():
            if array_of(key) in left_out or self._source.list_items.get(key) in left_out:
                continue  # not written: its array or list is written whole
            unit = units.get(key)
            got = _texts(unit, self._flavour.bilingual) if unit is not None else []
            if key in self._source.markup:
                target = inline_element(unit, "target") if unit is not None else None
                got = [as_markup(target)] if target is not None else []
                forms = [as_markup(parse_markup(forms[0], "target"))]
            if [_xml_normal(t) for t in got] != [_xml_normal(t) for t in forms]:
                problems.append(f"{key!r} reads back as {got!r}, not {forms!r}")
        if self._flavour.name == "android":
            problems += _android_plural_problems(data, cldr_categories(self.language),
                                                 set(self._done))
            written = {str(array_of(key)) for key in self._done if array_of(key)} - left_out
            problems += array_length_problems(data, self._source.store, written)
        if self._flavour.name == "properties":
            try:
                read = java_reads(data)
            except ValueError as exc:
                return [*problems, str(exc)]
            for key, forms in self._done.items() if read is not None else ():
                if read.get(key) != forms[0]:
                    problems.append(f"java reads {key!r} as {read.get(key)!r}, not {forms[0]!r}")
        return problems


def _drop_yaml_lists(store: Any, units: dict[str, Any], list_items: dict[str, str],
                     lists: set[str]) -> None:
    """A new Rails file without the lists that have an item left for review (Rails falls back
    to the source language's list): removing the item alone would shift the ones after it."""
    for key, unit in list(units.items()):
        if list_items.get(key) not in lists:
            continue
        parts = unit.get_unitid().parts
        parent = store.preprocess(store._original)
        try:
            for _kind, name in parts[:-2]:
                parent = parent[name]
            if parts[-2][0] == "key":
                parent.pop(parts[-2][1], None)
        except (KeyError, IndexError, TypeError):
            pass  # already gone with an earlier item
        TranslationStore.removeunit(store, unit)  # the unit only: its list is gone
        del units[key]


def _append(store: Any, unit: Any) -> None:
    """Add a unit at the end; in XML, laid out like the elements before it."""
    body = getattr(store, "body", None)
    last = body[-1] if body is not None and len(body) else None
    between = body[-2].tail if last is not None and len(body) > 1 else None
    store.addunit(unit)
    if last is not None and between is not None and between.strip() == "":
        unit.xmlelement.tail, last.tail = last.tail, between


def _drop_other_resources(store: Any, keep: set[str]) -> None:
    """A new values-xx file holds strings, plurals and the string-arrays translated (`keep`):
    an untranslated array, a <dimen> or <color> copied there would hide every later change to
    it in values/."""
    root = store.document.getroot()
    for element in list(root):
        if isinstance(element.tag, str) and element.tag not in ("string", "plurals") and not (
                element.tag == "string-array" and element.get("name") in keep):
            previous = element.getprevious()
            if previous is not None:
                previous.tail = element.tail if previous.tail is None else previous.tail
            root.remove(element)


def _xml_normal(text: str) -> str:
    """`<br/>` and `<br />` are the same element."""
    return re.sub(r"\s+/>", "/>", text)


def _copy_unit(store: TranslationStore, key: str) -> Any:
    for unit in store.units:
        if str(unit.getid()) == key:
            return unit.copy() if hasattr(unit, "copy") else unit
    raise KeyError(key)


def _set_target(unit: Any, forms: list[str]) -> None:
    element = getattr(unit, "xmlelement", None)
    # Only elements whose children are layout (an Android <plurals>' items, a Qt <message>'s
    # parts), never a string's inline markup, get their whitespace back.
    structural = element is not None and element.tag in ("plurals", "message")
    tail = element.tail if element is not None else None
    layout = _layout(element) if structural else None
    approved = element.get("approved") if element is not None else None
    value = element.find("value") if isinstance(unit, RESXFile.UnitClass) else None
    value_tail = value.tail if value is not None else None
    unit.target = multistring(forms) if len(forms) > 1 or unit.hasplural() else forms[0]
    if layout is not None:
        _restore_layout(unit.xmlelement, layout)
    elif element is not None:
        unit.xmlelement.tail = tail
    if value is not None:  # the toolkit clears the line break before a <comment>
        unit.xmlelement.find("value").tail = value_tail
    if isinstance(unit, xliff.xliffunit | xliff2.Xliff2Unit):
        lay_out_target(unit.xmlelement)
    if isinstance(unit, xliff.xliffunit) and approved is None:
        # The toolkit marks what it sets approved="yes": a machine translation is not
        # approved until someone reviews it (state="translated" says what it is).
        unit.xmlelement.attrib.pop("approved", None)
    if isinstance(unit, xliff2.Xliff2Unit):
        unit.marktranslated()  # the segment's state: translated, not reviewed or final
    if isinstance(unit, ts2.tsunit):
        # type="unfinished": Linguist lists it for review; lrelease still ships it (unless
        # -nounfinished). The note tells it from a person's draft: --fuzzy redoes drafts,
        # not translations already bought.
        unit.markfuzzy(True)
        if any(forms) and QT_MACHINE_NOTE not in unit.getnotes("translator"):
            unit.addnote(QT_MACHINE_NOTE, origin="translator")
            note = unit.xmlelement.find("translatorcomment")
            previous = note.getprevious()
            note.tail = previous.tail if previous is not None else unit.xmlelement.text


#: On each Qt message we translate (type="unfinished" until someone reviews it in Linguist).
QT_MACHINE_NOTE = "pipeline: machine translation, for review"


def _untranslated(unit: Any, reason: str | None) -> None:
    """An XLIFF unit with no target (the app shows the source), with why, when we tried; a Qt
    message with an empty unfinished translation (the app shows the source). Each says why
    in one note: a rerun that leaves it for the same reason leaves it as it was."""
    note = f"{NOT_TRANSLATED}{reason}" if reason else None
    if isinstance(unit, ts2.tsunit):
        translation = unit.xmlelement.find("translation")
        if (any(_texts(unit, True)) or translation is None
                or translation.get("type") != "unfinished"):
            _set_target(unit, [""])
        _qt_review_note(unit, note)
        return
    element = unit.xmlelement
    namespace = etree.QName(element).namespace
    for target in element.findall(f"{{{namespace}}}target" if namespace else "target"):
        previous = target.getprevious()
        if previous is not None:
            previous.tail = target.tail
        element.remove(target)
    if isinstance(unit, xliff2.Xliff2Unit):
        element.attrib.pop("state", None)
    if note is not None:
        review_note(unit, note)


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


def _layout(element: Any) -> tuple[str | None, str | None, str | None, str | None]:
    children = list(element)
    return (element.text, element.tail, children[0].tail if len(children) > 1 else None,
            children[-1].tail if children else None)


def _restore_layout(element: Any, layout: tuple[str | None, ...]) -> None:
    """Setting a plural target rebuilds its <item>s (a Qt target its <translation>) without
    whitespace: lay them out as the source's were."""
    text, tail, between, last = layout
    element.tail = tail
    children = list(element)
    if children and between is not None:
        element.text = text
        for child in children[:-1]:
            child.tail = between
        children[-1].tail = last


def _android_plural_problems(data: bytes, categories: list[str], done: set[str]) -> list[str]:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False))
    problems = []
    for plurals in root.iter("plurals"):
        if resource_key(plurals) not in done:
            continue
        quantities = [item.get("quantity") for item in plurals.iter("item")]
        if sorted(quantities) != sorted(categories):
            problems.append(f"<plurals name=\"{plurals.get('name')}\"> has quantities "
                            f"{', '.join(map(str, quantities))}, not {', '.join(categories)}")
    return problems


def _arb_layout(store: ARBJsonFile, data: bytes, language: str) -> None:
    """An ARB file names its language in "@@locale" (Flutter's gen-l10n checks it against the
    file name); the toolkit writes JSON with the file's own indentation."""
    for unit in store.units:
        if unit.isheader() and "@@locale" in unit.metadata:
            unit.metadata["@@locale"] = language.replace("-", "_")
    indent = re.search(rb"\n([ \t]+)\S", data)
    if indent is not None:
        store.dump_args["indent"] = indent.group(1).decode()


def _rename_yaml_root(store: Any, source: ToolkitCatalog, language: str) -> None:
    """A Rails locale file's one top-level key is its language (en: -> fr:)."""
    if not isinstance(store, toolkit_yaml.RubyYAMLFile):
        return
    document = getattr(store, "_original", None)
    if document is None or len(document) != 1:
        return
    old = next(iter(document))
    if old != language:
        document.insert(0, language, document.pop(old))


def java_reads(data: bytes) -> dict[str, str] | None:
    """The keys and values a Java app reads from these .properties bytes
    (PropertyResourceBundle, run by `java` on ReadProperties.java); None without a JDK."""
    java = shutil.which("java")
    if java is None:
        return None
    program = Path(__file__).with_name("ReadProperties.java")
    with tempfile.TemporaryDirectory(prefix="pipeline-properties-") as folder:
        path = Path(folder) / "bundle.properties"
        path.write_bytes(data)
        done = subprocess.run([java, str(program), str(path)], capture_output=True,
                              text=True, timeout=120)
    if done.returncode != 0:
        raise ValueError(f"java could not read it: {done.stderr.strip()[-500:]}")
    read = {}
    for line in done.stdout.splitlines():
        key, _, value = line.partition("\t")
        read[_unescape(key)] = _unescape(value)
    return read


def _unescape(text: str) -> str:
    return re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), text)
