"""The names of the formats the pipeline writes and translates, apart from their code.

The CLI offers them as choices before any command runs, so this module imports nothing:
`pipeline --help` must not wait for pydantic, pandas or the catalog readers to load. The
catalog formats are the light half of their registry: each one's name, how the help names it,
the file names it is told from and where its class is (`catalogs/registry.py` imports that
class on first use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NamedTuple, get_args

OutputFormat = Literal["csv", "jsonl", "json", "xlsx", "parquet"]
OUTPUT_FORMATS: tuple[str, ...] = get_args(OutputFormat)


class CatalogFormatRow(NamedTuple):
    """One catalog format, as known before its code is loaded."""

    #: What a job's `format` and `--format` call it.
    name: str
    #: How `translate --help` names it.
    label: str
    #: The file name endings (lower case) it is told from. Formats that share one (.json,
    #: .xlf) tell their files apart by content: each class's `claims`.
    suffixes: tuple[str, ...]
    #: Its `Catalog` class, "module:Class" in pipeline/catalogs/, imported on first use.
    class_path: str


#: Every catalog format, registered once. In this order `--format` offers them and a file
#: whose suffix several formats share is offered to their classes.
CATALOG_FORMAT_ROWS: tuple[CatalogFormatRow, ...] = (
    CatalogFormatRow("gettext", "gettext .po/.pot", (".po", ".pot"), "po:PoCatalog"),
    CatalogFormatRow("i18next", "i18next JSON", (".json",), "i18next:I18nextCatalog"),
    CatalogFormatRow("icu", "ICU JSON", (".json",), "icu:IcuCatalog"),
    CatalogFormatRow("android", "Android strings.xml", (".xml",), "android:AndroidCatalog"),
    CatalogFormatRow("apple", "Apple .strings", (".strings",),
                     "apple_strings:AppleStringsCatalog"),
    CatalogFormatRow("stringsdict", "Apple .stringsdict", (".stringsdict",),
                     "stringsdict:StringsdictCatalog"),
    CatalogFormatRow("xcstrings", "Apple .xcstrings", (".xcstrings",),
                     "xcstrings:XcstringsCatalog"),
    CatalogFormatRow("properties", "Java .properties", (".properties",),
                     "java_properties:PropertiesCatalog"),
    CatalogFormatRow("yaml", "Rails YAML", (".yml", ".yaml"), "rails_yaml:RailsYamlCatalog"),
    CatalogFormatRow("xliff", "XLIFF 1.2", (".xlf", ".xliff"), "xliff:XliffCatalog"),
    CatalogFormatRow("xliff2", "XLIFF 2.0", (".xlf", ".xliff"), "xliff:Xliff2Catalog"),
    CatalogFormatRow("qt", "Qt Linguist .ts", (".ts", ".tr"), "qt_linguist:QtCatalog"),
    CatalogFormatRow("arb", "Flutter ARB", (".arb",), "arb:ArbCatalog"),
    CatalogFormatRow("resx", ".NET .resx", (".resx",), "resx:ResxCatalog"),
)
CATALOG_FORMATS: tuple[str, ...] = tuple(row.name for row in CATALOG_FORMAT_ROWS)
if TYPE_CHECKING:
    CatalogFormat = str
else:
    CatalogFormat = Literal[CATALOG_FORMATS]  # the names above, for pydantic


def catalog_format_labels() -> str:
    """The catalog formats as `translate --help` lists them: neighbours whose labels share
    their first word (Apple, XLIFF) or their last (JSON) are named together, "XLIFF 1.2 and
    2.0"."""
    groups: list[list[list[str]]] = []
    for row in CATALOG_FORMAT_ROWS:
        words = row.label.split(" ")
        if groups and _shared(groups[-1] + [words]) is not None:
            groups[-1].append(words)
        else:
            groups.append([words])
    return ", ".join(_together(group) for group in groups)


def _shared(labels: list[list[str]]) -> int | None:
    """Which word every label has in common: 0 the first, -1 the last (None: neither)."""
    if any(len(words) < 2 for words in labels):
        return None
    for where in (0, -1):
        if len({words[where] for words in labels}) == 1:
            return where
    return None


def _together(labels: list[list[str]]) -> str:
    if len(labels) == 1:
        return " ".join(labels[0])
    where = _shared(labels)
    rests = [" ".join(words[1:] if where == 0 else words[:-1]) for words in labels]
    listed = f"{', '.join(rests[:-1])} and {rests[-1]}"
    return f"{labels[0][0]} {listed}" if where == 0 else f"{listed} {labels[0][-1]}"
