"""The names of the formats the pipeline writes and translates, apart from their code.

The CLI offers them as choices before any command runs, so this module imports nothing:
`pipeline --help` must not wait for pydantic, pandas or the catalog readers to load.
"""

from __future__ import annotations

from typing import Literal, get_args

OutputFormat = Literal["csv", "jsonl", "json", "xlsx", "parquet"]
OUTPUT_FORMATS: tuple[str, ...] = get_args(OutputFormat)
CatalogFormat = Literal["gettext", "i18next", "icu", "android", "apple", "stringsdict",
                        "xcstrings", "properties", "yaml", "xliff", "xliff2", "qt", "arb",
                        "resx"]
CATALOG_FORMATS: tuple[str, ...] = get_args(CatalogFormat)
