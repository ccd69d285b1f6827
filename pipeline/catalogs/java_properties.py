"""Java .properties resource bundles (messages_fr.properties), read by translate-toolkit,
written by splicing the changed entries' lines into the original text, and read back by Java
itself when a JDK is there."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from translate.storage import properties
from translate.storage.base import TranslationStore

from .app_paths import properties_path
from .placeholders import Rules
from .splice import PROPERTIES_LINES
from .toolkit import ToolkitCatalog, ToolkitTargetCatalog

_MESSAGE_FORMAT_ARG = re.compile(r"\{\d+(?:,[^{}]*)?\}")
#: pdf.js's plural macro: `find_match_count={[ plural(total) ]}` picks which of the
#: `find_match_count[one]`... entries to show.
_PDFJS_PLURAL = re.compile(r"\{\[\s*plural\(\w+\)\s*\]\}")


class PropertiesTargetCatalog(ToolkitTargetCatalog):
    #: The toolkit normalises indentation, delimiters and continuation lines: only changed
    #: entries are rewritten.
    spliced_lines = PROPERTIES_LINES

    def _read_back_problems(self, data: bytes, left_out: set[str]) -> list[str]:
        """What Java's PropertyResourceBundle reads (when a JDK is there)."""
        try:
            read = java_reads(data)
        except ValueError as exc:
            return [str(exc)]
        problems = []
        for key, forms in self._done.items() if read is not None else ():
            if read.get(key) != forms[0]:
                problems.append(f"java reads {key!r} as {read.get(key)!r}, not {forms[0]!r}")
        return problems


class PropertiesCatalog(ToolkitCatalog):
    """A .properties bundle whose values may use java.text.MessageFormat's {0} arguments."""

    format_name = "Java .properties"
    rules = Rules(brace=True)
    target_path = staticmethod(properties_path)
    target_class = PropertiesTargetCatalog

    @classmethod
    def store_for(cls, data: bytes) -> type[TranslationStore]:
        """Java 9+ reads a bundle as UTF-8, else as ISO-8859-1 (Java 8: ISO-8859-1): a UTF-8
        file (pdf.js's, its accents raw) stays UTF-8; any other is ISO-8859-1, a letter beyond
        it written as a \\uXXXX escape."""
        if _utf8_text(data):
            return _Utf8JavaFile
        return _Latin1JavaFile

    def parse_target(self, data: bytes, path: Path) -> TranslationStore:
        """A target still in ASCII follows a UTF-8 source (a project whose files are UTF-8
        writes its accents raw, not as escapes)."""
        if data.isascii() and _utf8_text(self.data):
            return self.parse(data, path, _Utf8JavaFile)
        return self.parse(data, path)

    def is_text(self, unit: Any) -> bool:
        """pdf.js's plural macro is code, written as the source has it (the entries it picks
        from are the text)."""
        return not _PDFJS_PLURAL.fullmatch(str(unit.source or "").strip())

    def text_problems(self, source: str, text: str, language: str) -> list[str]:
        """java.text.MessageFormat treats a single apostrophe as the start of quoted text: in
        a string with {0}-style arguments, "l'été {0}" prints "lété {0}" literally. Such
        strings write an apostrophe as ''."""
        if not _MESSAGE_FORMAT_ARG.search(source):
            return []
        if re.search(r"(?<!')'(?!')", text.replace("''", "")):
            return ["the translation has a single apostrophe ('), which java.text.MessageFormat "
                    "reads as a quote that hides the arguments after it: write it as ''"]
        return []


class _PlainValueUnit(properties.propunit):
    """A .properties entry whose value, when it holds no backslash, is its own text: the
    toolkit decodes escapes character by character on every read of `source` or `target`
    (27 µs a value), and a check or a run reads each entry several times (5,000 entries in
    10 languages: 3 s of a 4 s --check). A value with an escape is decoded as before."""

    @property
    def source(self) -> str:
        return self.value if "\\" not in self.value else super().source

    @source.setter
    def source(self, source: str) -> None:
        properties.propunit.source.fset(self, source)

    @property
    def target(self) -> str:
        return (self.translation if "\\" not in self.translation
                else super().target)

    @target.setter
    def target(self, target: str) -> None:
        properties.propunit.target.fset(self, target)


class _Utf8JavaFile(properties.javautf8file):
    """A UTF-8 bundle (Java 9+), its plain values read without the toolkit's decoding."""

    UnitClass = _PlainValueUnit


class _Latin1JavaFile(properties.javafile):
    """A bundle that is not UTF-8, read as ISO-8859-1 as Java reads it (the toolkit's charset
    guess took a raw é for Urdu, cp1006)."""

    UnitClass = _PlainValueUnit

    def detect_encoding(self, text: bytes, default_encodings: list[str] | None = None
                        ) -> tuple[str | None, str | None]:
        return text.decode("iso-8859-1"), "iso-8859-1"


def _utf8_text(data: bytes) -> bool:
    """Whether bytes are UTF-8 with letters beyond ASCII."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


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
