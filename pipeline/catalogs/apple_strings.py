"""Apple .strings files (UTF-8 or UTF-16), read by translate-toolkit and written by splicing
the changed entries' lines into the original text, each language in its xx.lproj/ folder."""

from __future__ import annotations

import re

from translate.storage import properties
from translate.storage.base import TranslationStore

from .app_paths import lproj_path
from .placeholders import Rules
from .splice import STRINGS_LINES
from .toolkit import ToolkitCatalog, ToolkitTargetCatalog


class AppleStringsTargetCatalog(ToolkitTargetCatalog):
    #: The toolkit re-lays the spacing of every entry: only changed entries are rewritten.
    spliced_lines = STRINGS_LINES


class AppleStringsCatalog(ToolkitCatalog):
    """A Localizable.strings (en.lproj/, Base.lproj/)."""

    format_name = "Apple .strings"
    rules = Rules(printf=True)
    target_path = staticmethod(lproj_path)
    target_class = AppleStringsTargetCatalog

    @classmethod
    def store_for(cls, data: bytes) -> type[TranslationStore]:
        return (properties.stringsfile if data[:2] in (b"\xff\xfe", b"\xfe\xff")
                else properties.stringsutf8file)

    @staticmethod
    def readable(data: bytes) -> bytes:
        """`"key" = "value" ;` (a space before the semicolon, which Apple's reader accepts
        and real catalogs have) is read by translate-toolkit 3.20 as the value `value" `:
        parse a copy without the space. Only for reading: the file is written by splicing
        (splice.py)."""
        utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
        text = data.decode("utf-16" if utf16 else "utf-8")
        fixed = re.sub(r'"[ \t]+;[ \t]*$', '";', text, flags=re.M)
        if fixed == text:
            return data
        return fixed.encode("utf-16") if utf16 else fixed.encode("utf-8")
