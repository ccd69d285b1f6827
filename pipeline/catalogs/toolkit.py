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
re-indenting turned off, YAML by ruamel's round trip; where the toolkit normalises layout
(`.properties` indentation, delimiters, continuation lines; `.strings` spacing), the file is
spliced instead: only changed entries are rewritten, with the toolkit's escaping, and every
other line is left as it was (`_splice`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from lxml import etree
from translate.misc.multistring import multistring
from translate.storage import properties, ts2, xliff, xliff2
from translate.storage import yaml as toolkit_yaml
from translate.storage.aresource import AndroidResourceFile
from translate.storage.base import TranslationStore
from translate.storage.jsonl10n import ARBJsonFile
from translate.storage.resx import RESXFile

from ..errors import ConfigError, InputError
from . import symfony_plurals
from .base import Catalog, Entry, Form, Target, cldr_forms
from .icu import message_forms, structure_problems
from .languages import cldr_categories
from .placeholders import ICU_ARGUMENT, Rules
from .qt_numerus import numerus_forms, numerus_rule


class _AndroidFile(AndroidResourceFile):
    """Android resources written back without re-indenting: lxml keeps every untouched node's
    whitespace, comments and attributes as they were."""

    XMLindent: dict[str, Any] = {}  # noqa: RUF012 (the toolkit's class attribute)


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


# -- where each ecosystem keeps a language's file ----------------------------------------------

def _android_qualifier(language: str) -> str:
    """values-fr, values-pt-rBR, values-b+zh+Hans (Android resource qualifiers)."""
    parts = re.split(r"[-_]", language)
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2 and len(parts[1]) == 2:
        return f"{parts[0]}-r{parts[1].upper()}"
    return "b+" + "+".join(parts)


def _android_path(source: Path, source_language: str, language: str) -> Path:
    folder = source.parent
    if not folder.name.startswith("values"):
        raise ConfigError(f"catalog {source}: an Android strings file lives in res/values/; "
                          "set output (e.g. --output 'res/values-{lang}/strings.xml')")
    # values, values-en, values-night-v21: the language goes right after "values"
    rest = folder.name[len("values"):]
    rest = re.sub(rf"^-{re.escape(_android_qualifier(source_language))}(?=-|$)", "", rest)
    return folder.with_name(f"values-{_android_qualifier(language)}{rest}") / source.name


def _lproj_path(source: Path, source_language: str, language: str) -> Path:
    """en.lproj/Localizable.strings -> fr.lproj/...; Base.lproj too (Xcode's base language)."""
    folder = source.parent
    if folder.suffix != ".lproj":
        return source.with_name(f"{source.stem}.{language}{source.suffix}")
    return folder.with_name(f"{language}.lproj") / source.name


def _properties_path(source: Path, source_language: str, language: str) -> Path:
    """messages.properties or messages_en.properties -> messages_fr.properties (Java's
    ResourceBundle names: language_COUNTRY with an underscore)."""
    java = language.replace("-", "_")
    stem = re.sub(rf"_{re.escape(source_language.replace('-', '_'))}$", "", source.stem)
    return source.with_name(f"{stem}_{java}{source.suffix}")


def _dotted_path(source: Path, source_language: str, language: str) -> Path:
    """validators.en.xlf -> validators.fr.xlf (Symfony); messages.xlf -> messages.fr.xlf
    (Angular); Strings.resx or Strings.en.resx -> Strings.fr.resx (.NET satellite resources,
    named by culture: pt-BR)."""
    pattern = rf"\.{re.escape(source_language)}(\.[^.]+)$"
    if re.search(pattern, source.name):
        return source.with_name(re.sub(pattern, rf".{language}\1", source.name))
    return source.with_name(f"{source.stem}.{language}{source.suffix}")


def _underscore_path(source: Path, own_language: str, language: str) -> Path:
    """retext_de.ts -> retext_fr.ts, pyzo_de_DE.tr -> pyzo_pt_BR.tr (a Qt .ts file holds one
    language, named in its stem; `own_language` is the file's own, from its TS element);
    app_en.arb -> app_fr.arb, app_pt_BR.arb (Flutter's gen-l10n names)."""
    qt = language.replace("-", "_")
    # The toolkit reports language="fr_FR" as fr-fr: match either spelling, any case.
    own = "[-_]".join(re.escape(p) for p in re.split(r"[-_]", own_language))
    pattern = re.compile(rf"_{own}$", re.I)
    if own_language and pattern.search(source.stem):
        return source.with_name(pattern.sub(f"_{qt}", source.stem) + source.suffix)
    return source.with_name(f"{source.stem}_{qt}{source.suffix}")


def _arb_path(source: Path, source_language: str, language: str) -> Path:
    """app_en.arb -> app_fr.arb, app_pt_BR.arb; en_US.arb -> fr.arb (Flutter's gen-l10n reads
    the locale at the end of the name, its parts joined by underscores)."""
    flutter = language.replace("-", "_")
    lang = re.escape(re.split(r"[-_]", source_language)[0])
    pattern = re.compile(rf"(^|_){lang}(?:_[A-Za-z]{{4}})?(?:_(?:[A-Za-z]{{2}}|\d{{3}}))?$", re.I)
    if pattern.search(source.stem):
        return source.with_name(pattern.sub(rf"\g<1>{flutter}", source.stem) + source.suffix)
    return source.with_name(f"{source.stem}_{flutter}{source.suffix}")


def _yaml_path(source: Path, source_language: str, language: str) -> Path:
    """config/locales/en.yml -> fr.yml; devise.en.yml -> devise.fr.yml (Rails' names)."""
    name = source.name
    pattern = rf"(^|\.){re.escape(source_language)}(\.ya?ml)$"
    if re.search(pattern, name):
        return source.with_name(re.sub(pattern, rf"\g<1>{language}\2", name))
    return source.with_name(f"{source.stem}.{language}{source.suffix}")


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
    `ToolkitTarget._pipe_problems`)."""
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


def _store_for_strings(data: bytes) -> type[TranslationStore]:
    return (properties.stringsfile if data[:2] in (b"\xff\xfe", b"\xfe\xff")
            else properties.stringsutf8file)


FLAVOURS: dict[str, Flavour] = {
    "android": Flavour("android", "Android strings.xml", lambda data: _AndroidFile,
                       Rules(printf=True), _android_path),
    "apple": Flavour("apple", "Apple .strings", _store_for_strings, Rules(printf=True),
                     _lproj_path, splice=True),
    "properties": Flavour("properties", "Java .properties", _store_for_properties,
                          Rules(brace=True), _properties_path, splice=True,
                          problems=_message_format_quotes),
    "yaml": Flavour("yaml", "Rails YAML", lambda data: toolkit_yaml.RubyYAMLFile,
                    Rules(ruby=True), _yaml_path),
    "xliff": Flavour("xliff", "XLIFF 1.2", lambda data: _XliffFile,
                     Rules(brace=True, i18next=True, percent_name=True), _dotted_path,
                     problems=_xliff_problems, bilingual=True),
    "xliff2": Flavour("xliff2", "XLIFF 2.0", lambda data: _Xliff2File,
                      Rules(brace=True, i18next=True, percent_name=True), _dotted_path,
                      problems=_xliff_problems, bilingual=True),
    "qt": Flavour("qt", "Qt Linguist .ts", lambda data: _TsFile, Rules(printf=True, qt=True),
                  _underscore_path, bilingual=True),
    "resx": Flavour("resx", ".NET .resx", lambda data: _ResxFile, Rules(brace=True),
                    _dotted_path, is_text=_resx_text),
    # ICU messages: {name} arguments and plural/select blocks are judged by their structure.
    "arb": Flavour("arb", "Flutter ARB", lambda data: _ArbFile, Rules(), _arb_path,
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
        if catalog.flavour.bilingual and (target := _inline(unit, "target")) is not None:
            texts = [_markup(target)] if len(target) else _texts(unit, True)
        else:
            texts = _texts(unit, catalog.flavour.bilingual)
        if any(texts):
            found[str(unit.getid())] = texts
    return found


def _strings_semicolons(data: bytes) -> bytes:
    """`"key" = "value" ;` (a space before the semicolon, which Apple's reader accepts and
    real catalogs have) is read by translate-toolkit 3.20 as the value `value" `: parse a copy
    without the space. Only for reading: the file is written by splicing (_splice)."""
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
    looks in the segment): its descriptions and meanings, not Angular's source locations."""
    if isinstance(unit, xliff2.Xliff2Unit):
        element = unit.getunitelement()
        return "\n".join(note.text for note in element.iterfind("{*}notes/{*}note")
                         if note.text and note.get("category") != "location")
    return unit.getnotes("developer") or unit.getnotes()


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
        try:
            self.data = path.read_bytes()
        except FileNotFoundError:
            raise InputError(f"catalog {path} does not exist") from None
        self.store = _parse(self.flavour, path, self.data)
        #: XLIFF units whose source holds inline elements (<x id="INTERPOLATION"/>, <g>):
        #: they are translated as XML markup and written back as elements.
        self.markup: set[str] = {str(u.getid()) for u in self.store.units
                                 if self.flavour.bilingual and _inline(u) is not None}
        #: XLIFF written for Symfony (not Angular's ng2.template): "one|many" strings are
        #: plural forms by Symfony's rule for the target language.
        self.symfony = self.flavour.name == "xliff" and b'original="ng2.template"' not in (
            self.data[:4096])
        #: Qt numerus messages: one source, one translation per form of Qt's own rule.
        self.numerus: set[str] = {str(u.getid()) for u in self.store.units
                                  if self.flavour.name == "qt" and u.hasplural()}

    def entries(self) -> list[Entry]:
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
                source = _markup(_inline(unit))
            notes = [n for n in _notes(unit).splitlines() if n.strip()]
            if key in self.numerus:  # one source ("%n file(s)") for all of Qt's forms
                text = str(source.strings[0] if isinstance(source, multistring) else source)
                out.append(Entry(key=key, source=text, source_plural=text, context=shown,
                                 comments=notes, rules=self._rules(text)))
            elif isinstance(source, multistring) and len(source.strings) > 1:
                forms = [self._meaning(str(s)) for s in source.strings]
                out.append(Entry(key=key, source=forms[0], source_plural=forms[-1],
                                 context=shown, comments=notes, rules=self._rules(source)))
            else:
                out.append(Entry(key=key, source=self._meaning(str(source)), context=shown,
                                 comments=notes,
                                 rules=self._rules(str(source))))
        return out

    def _rules(self, source: str) -> Rules:
        """An ICU message in an XLIFF unit (Angular's {VAR_PLURAL, plural, =0 {...} ...}) is
        judged by its structure: its case bodies are not {name} placeholders."""
        if self.flavour.bilingual and ICU_ARGUMENT.search(source):
            return Rules(tags=self.flavour.rules.tags)
        if self.symfony and "|" in source:
            return replace(self.flavour.rules, pipes=True)
        return self.flavour.rules

    def _meaning(self, text: str) -> str:
        """The string as the app shows it. Android collapses the line breaks and indentation
        of a multi-line resource (a CDATA block laid out over several lines): the translator
        sees, and the target gets, the text on one line, not the source's layout."""
        if self.flavour.name == "android" and re.search(r"\n[ \t]", text):
            return re.sub(r"\s*\n\s*", " ", text).strip()
        return text

    def target(self, language: str, path: Path, *, include_fuzzy: bool = False,
               plural_forms: str | None = None) -> ToolkitTarget:
        self.refuse_plural_forms(language, plural_forms)
        return ToolkitTarget(self, language, path, include_fuzzy=include_fuzzy)

    def default_target_path(self, source_language: str, language: str) -> Path:
        # A Qt file's stem names its own (translation) language, not the source's.
        own = (self.store.gettargetlanguage() or "") if self.flavour.name == "qt" else None
        return self.flavour.target_path(self.path, source_language if own is None else own,
                                        language)


class ToolkitTarget(Target):
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

    def needs(self, entry: Entry) -> bool:
        if not self.exists:
            return True
        unit = self._units.get(entry.key)
        if unit is None or not any(_texts(unit, self._flavour.bilingual)):
            return True
        # Qt's unfinished, XLIFF's needs-review: a draft, redone only when asked (--fuzzy).
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
            found += _markup_problems(entry.source, forms[0])
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
        original = _elements(units) if self._flavour.name in ("qt", "resx") else {}
        for key, forms in self._done.items():
            unit = units.get(key)
            if unit is None:  # missing from an existing target: added from the source
                unit = _copy_unit(self._source.store, key)
                _append(store, unit)
                units[key] = unit
            if key in self._source.markup:
                _set_markup_target(unit, forms[0])
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
                if key in self._done or unit.isheader():
                    continue
                if (_translatable(unit, self._flavour)
                        or self._flavour.name in ("android", "resx")):
                    store.removeunit(unit)
                    del units[key]
            if self._flavour.name == "android":
                _drop_other_resources(store)
        _rename_yaml_root(store, self._source, self.language)
        if isinstance(store, ARBJsonFile):
            _arb_layout(store, self._data, self.language)
        if self._flavour.name == "qt":
            text = _element_splice(self._data, "message", units, original, append=False)
            # Qt names languages with an underscore (pt_BR), as its files do.
            qt_language = self.language.replace("-", "_")
            spliced = _ts_language(text, qt_language) if text is not None else None
            if spliced is not None:
                return spliced
        if self._flavour.name == "resx":
            text = _element_splice(self._data, "data", units, original, append=True)
            if text is not None:
                return text.encode("utf-8")
        if self._flavour.splice:
            spliced = _splice(self._flavour.name, self._data, store, before, units)
            if spliced is not None:
                return spliced
        written = _same_declaration(self._data, bytes(store))
        if self._flavour.name == "xliff2":
            written = _xliff2_root(self._data, written, self.language)
        return _same_line_ends(self._data, written)

    def verify(self, data: bytes) -> list[str]:
        """What is wrong with the file about to be written, read back by the toolkit (and by
        lxml for Android): every translation reads back as accepted, plural forms have the
        target's categories."""
        problems: list[str] = []
        store = _parse(self._flavour, self.path, data)
        store.settargetlanguage(self.language)
        units = {str(u.getid()): u for u in store.units}
        for key, forms in self._done.items():
            unit = units.get(key)
            got = _texts(unit, self._flavour.bilingual) if unit is not None else []
            if key in self._source.markup:
                target = _inline(unit, "target") if unit is not None else None
                got = [_markup(target)] if target is not None else []
                forms = [_markup(_wrap(forms[0], "target"))]
            if [_xml_normal(t) for t in got] != [_xml_normal(t) for t in forms]:
                problems.append(f"{key!r} reads back as {got!r}, not {forms!r}")
        if self._flavour.name == "android":
            problems += _android_plural_problems(data, cldr_categories(self.language),
                                                 set(self._done))
        if self._flavour.name == "properties":
            try:
                read = java_reads(data)
            except ValueError as exc:
                return [*problems, str(exc)]
            for key, forms in self._done.items() if read is not None else ():
                if read.get(key) != forms[0]:
                    problems.append(f"java reads {key!r} as {read.get(key)!r}, not {forms[0]!r}")
        return problems


def _append(store: Any, unit: Any) -> None:
    """Add a unit at the end; in XML, laid out like the elements before it."""
    body = getattr(store, "body", None)
    last = body[-1] if body is not None and len(body) else None
    between = body[-2].tail if last is not None and len(body) > 1 else None
    store.addunit(unit)
    if last is not None and between is not None and between.strip() == "":
        unit.xmlelement.tail, last.tail = last.tail, between


def _same_declaration(original: bytes, written: bytes) -> bytes:
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


def _same_line_ends(original: bytes, written: bytes) -> bytes:
    """The toolkit writes \n line ends and a final one: keep a CRLF file CRLF, and a file
    without a final line end without one."""
    if b"\r\n" in original and original.count(b"\r\n") == original.count(b"\n"):
        written = written.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if not original.endswith(b"\n"):
        written = written.rstrip(b"\r\n")
    return written


def _xliff2_root(original: bytes, written: bytes, language: str) -> bytes:
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


def _drop_other_resources(store: Any) -> None:
    """A new values-xx file holds strings and plurals only: a <string-array> (which
    translate-toolkit does not read), <dimen> or <color> copied there would hide every later
    change to it in values/."""
    root = store.document.getroot()
    for element in list(root):
        if isinstance(element.tag, str) and element.tag not in ("string", "plurals"):
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
        _lay_out_target(unit.xmlelement)
    if isinstance(unit, xliff.xliffunit) and approved is None:
        # The toolkit marks what it sets approved="yes": a machine translation is not
        # approved until someone reviews it (state="translated" says what it is).
        unit.xmlelement.attrib.pop("approved", None)
    if isinstance(unit, xliff2.Xliff2Unit):
        unit.marktranslated()  # the segment's state: translated, not reviewed or final
    if isinstance(unit, ts2.tsunit):
        # type="unfinished": Linguist lists it for review; lrelease still ships it (unless
        # -nounfinished).
        unit.markfuzzy(True)


def _lay_out_target(element: Any) -> None:
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


def _inline(unit: Any, name: str = "source") -> Any:
    """The unit's <source> (or <target>) element when it holds inline elements, else None."""
    element = getattr(unit, "xmlelement", None)
    if element is None:
        return None
    namespace = etree.QName(element).namespace
    found = element.find(f"{{{namespace}}}{name}" if namespace else name)
    return found if found is not None and (len(found) or name == "target") else None


def _markup(element: Any) -> str:
    """An element's content as XML text (inline elements without namespace declarations)."""
    parts = [xml_escape(element.text or "")]
    for child in element:
        parts.append(re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "",
                            etree.tostring(child, encoding="unicode", with_tail=False)))
        parts.append(xml_escape(child.tail or ""))
    return "".join(parts)


def _wrap(text: str, name: str, namespace: str | None = None) -> Any:
    """Parse translated markup as the content of a <name> element (raises on bad XML)."""
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    return etree.fromstring(f"<{name}{xmlns}>{text}</{name}>",
                            etree.XMLParser(resolve_entities=False))


def _markup_problems(source: str, text: str) -> list[str]:
    """A translation holding inline XLIFF elements: well-formed, with the same elements (by
    name and id) as the source, each once."""
    try:
        _wrap(text, "target")
    except etree.XMLSyntaxError as exc:
        return [f"the translation is not well-formed XML ({exc}): keep every inline element "
                "such as <x id=\"…\"/> exactly as in the source, and write & as &amp;"]
    want, got = sorted(_XLIFF_ID.findall(source)), sorted(_XLIFF_ID.findall(text))
    if want != got:
        return ["the translation must keep each inline element of the source with its id "
                f"(expected {', '.join(f'<{n} id={i!r}>' for n, i in want)}; got "
                f"{', '.join(f'<{n} id={i!r}>' for n, i in got) or 'none'})"]
    return []


def _set_markup_target(unit: Any, text: str) -> None:
    """The unit's <target> built from translated markup, right after its <source>."""
    element = unit.xmlelement
    namespace = etree.QName(element).namespace
    target = _wrap(text, "target", namespace)
    if isinstance(unit, xliff2.Xliff2Unit):
        unit.marktranslated()  # XLIFF 2.0 keeps the state on the segment
    else:
        target.set("state", "translated")
    old = _inline(unit, "target")
    source = _inline(unit, "source")
    if old is not None:
        target.tail = old.tail
        element.replace(old, target)
    else:
        target.tail = None
        source.addnext(target)
        _lay_out_target(element)


def _untranslated(unit: Any, reason: str | None) -> None:
    """An XLIFF unit with no target (the app shows the source), with why, when we tried; a Qt
    message with an empty unfinished translation (the app shows the source)."""
    if isinstance(unit, ts2.tsunit):
        _set_target(unit, [""])
        if reason:
            unit.addnote(f"pipeline: not translated: {reason}", origin="translator")
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
        if reason:
            _xliff2_note(unit, f"pipeline: not translated: {reason}")
        return
    if reason:
        unit.addnote(f"pipeline: not translated: {reason}", origin="translator")


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
        if plurals.get("name") not in done:
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


def _splice(flavour: str, data: bytes, store: Any, before: dict[str, list[str]],
            units: dict[str, Any]) -> bytes | None:
    """The original text with only the changed entries replaced and removed entries' lines
    dropped; entries new to the file appended as the toolkit writes them. None when an
    entry cannot be found (then the toolkit writes the whole file)."""
    locate, replace = _SPLICERS[flavour]
    encoding = store.encoding or "utf-8"
    text = data.decode(encoding)
    newline = "\r\n" if "\r\n" in text else "\n"
    out: list[str] = []
    pos = 0
    # The original's entries, read the one way every file is read here (_parse: with the
    # .strings workaround), to find each one's lines.
    for unit in _parse(FLAVOURS[flavour], Path(store.filename), data).units:
        key = str(unit.getid())
        if not unit.name:
            continue  # comments and blank lines: left where they are
        new_unit = units.get(key)
        if new_unit is not None and _texts(new_unit) == before.get(key):
            continue  # unchanged
        span = locate(text, unit.name, pos)
        if span is None:
            return None
        start, value_start, end = span
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


def _elements(units: dict[str, Any]) -> dict[str, _Element]:
    return {key: _Element(u.xmlelement.sourceline, etree.tostring(u.xmlelement))
            for key, u in units.items()}


def _element_splice(data: bytes, tag: str, units: dict[str, Any],
                    original: dict[str, _Element], *, append: bool) -> str | None:
    """The original text with only the changed <tag> elements rewritten (in the file's line
    ends), removed ones dropped with the whitespace before them, and (with `append`) ones new
    to the file added after the last, indented like it. None when an element cannot be
    placed: then the toolkit writes the whole file."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    newline = "\r\n" if "\r\n" in text else "\n"
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    spans: list[tuple[int, int, str | None]] = []
    last_end, indent = None, ""
    for key, was in original.items():
        if was.line is None or was.line > len(starts) - 1:
            return None
        begin = text.find(f"<{tag}", starts[was.line - 1])
        match = re.compile(rf"<{tag}\b[^>]*?/>|<{tag}\b.*?</{tag}>", re.S).match(text, begin)
        if begin < 0 or match is None:
            return None
        last_end = match.end()
        indent = text[starts[was.line - 1]:begin]
        unit = units.get(key)
        if unit is None:  # removed: with the line break and indentation before it
            cut = begin
            while cut > 0 and text[cut - 1] in " \t\r\n":
                cut -= 1
            spans.append((cut, match.end(), None))
        elif etree.tostring(unit.xmlelement) != was.xml:
            xml = etree.tostring(unit.xmlelement, encoding="unicode", with_tail=False)
            spans.append((begin, match.end(), xml.replace("\n", newline)))
    added = [key for key in units if key not in original]
    if added and (not append or last_end is None):
        return None
    out: list[str] = []
    pos = 0
    for begin, end, xml in sorted(spans):
        if begin < pos:
            return None
        out += [text[pos:begin], xml or ""]
        pos = end
    if added:
        assert last_end is not None
        if last_end < pos:
            return None
        out.append(text[pos:last_end])
        pos = last_end
        for key in added:
            xml = etree.tostring(units[key].xmlelement, encoding="unicode", with_tail=False)
            out.append(newline + indent + xml.replace("\n", newline))
    out.append(text[pos:])
    return "".join(out)


def _ts_language(text: str, language: str) -> bytes | None:
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


_SPLICERS: dict[str, tuple[Callable[[str, str, int], tuple[int, int, int] | None],
                           Callable[[str, Any, str], str]]] = {
    "properties": (_logical_line, _properties_value),
    "apple": (_strings_entry, _strings_line),
}


def _entry_lines(unit: Any, newline: str) -> str:
    """The toolkit's output for an entry without its comments (which stay where they are),
    with the file's line ends."""
    comments = unit.comments
    unit.comments = []
    try:
        return unit.getoutput().replace("\n", newline)
    finally:
        unit.comments = comments


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
