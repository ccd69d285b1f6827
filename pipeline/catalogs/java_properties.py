"""Java .properties resource bundles (messages_fr.properties), read by translate-toolkit,
written by splicing the changed entries' lines into the original text, and read back by Java
itself when a JDK is there."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from translate.storage import properties
from translate.storage.base import TranslationStore

from .app_paths import properties_path
from .placeholders import Rules
from .splice import PROPERTIES_LINES
from .toolkit import ToolkitCatalog, ToolkitTargetCatalog

_MESSAGE_FORMAT_ARG = re.compile(r"\{\d+(?:,[^{}]*)?\}")


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
