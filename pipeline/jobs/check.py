"""`pipeline translate --check`: is every catalog complete and current? For CI and pre-commit.

It reads the source catalog, each target and the translation lock, classifies every entry
(catalogs/lifecycle.py) and says, per language, what is missing, stale, left for review or
orphaned: exit 0 when nothing is, else 1. It sends nothing, writes nothing, needs no key, and
imports none of the machinery of a run, so a large project is checked in about a second
(bench/RESULTS.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..catalogs import open_catalog, target_path
from ..catalogs.base import display_key, display_key_text
from ..catalogs.lifecycle import DRAFT, NEW, STALE_OURS, STALE_THEIRS, Sources, classify
from ..catalogs.lock import TranslationLock, source_text
from ..config import TranslateJob
from ..outcome import EXIT_OK, EXIT_ROWS_FAILED


@dataclass
class CheckReport:
    """`pipeline translate --check`: where every target stands, with nothing sent or written."""

    languages: list[dict[str, Any]]

    @property
    def current(self) -> bool:
        return not any(lang[kind] for lang in self.languages for kind in CHECKED)

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.current else EXIT_ROWS_FAILED

    def table(self) -> str:
        """A line per language, then the entries that need something, by kind."""
        head = f"{'language':<10} {'missing':>8} {'stale':>6} {'review':>7} {'orphaned':>9}  file"
        lines = [head]
        for lang in self.languages:
            lines.append(f"{lang['language']:<10} {len(lang['missing']):>8} "
                         f"{len(lang['stale']):>6} {len(lang['review']):>7} "
                         f"{len(lang['orphaned']):>9}  {lang['path']}")
        for lang in self.languages:
            for key in lang["missing"][:SHOWN]:
                lines.append(f"{lang['language']}: missing: {key}")
            for stale in lang["stale"][:SHOWN]:
                whose = "ours: translated again by the next run" if stale["ours"] else (
                    "not ours: kept until reviewed (--update-stale translates it)")
                lines.append(f"{lang['language']}: stale ({whose}): {stale['key']}: was "
                             f"{json.dumps(stale['was'])}, now {json.dumps(stale['now'])}")
            for key in lang["review"][:SHOWN]:
                lines.append(f"{lang['language']}: left for review: {key}")
            for key in lang["orphaned"][:SHOWN]:
                lines.append(f"{lang['language']}: orphaned (no longer in the source; --prune "
                             f"removes it): {key}")
            hidden = sum(max(0, len(lang[k]) - SHOWN) for k in CHECKED)
            if hidden:
                lines.append(f"{lang['language']}: … and {hidden} more (--json lists all)")
        lines.append("every catalog is complete and current" if self.current else
                     "run `pipeline translate` to translate what is missing and stale")
        return "\n".join(lines)

    def json(self) -> str:
        return json.dumps({"current": self.current, "languages": self.languages},
                          ensure_ascii=False, indent=2)


#: What a check counts against a catalog, and how many of each it lists in the table.
CHECKED = ("missing", "stale", "review", "orphaned")


SHOWN = 10


def check_translation(job: TranslateJob) -> CheckReport:
    """Where every target of the job stands against the source and the lock: what is
    missing, stale, left for review or orphaned. Sends nothing, writes nothing, needs no key."""
    catalog = open_catalog(job.catalog, job.format)
    sources = Sources(catalog.entries())
    lock = TranslationLock.read(job.lock_path)
    out = []
    for code in job.to:
        path = target_path(job.catalog, job.from_, code, job.output, catalog)
        target = catalog.target(code, path, plural_forms=job.plural_forms_for(code))
        state = classify(code, sources, target, lock)
        stale = [{"key": display_key(s.entry), "was": s.old_source,
                  "now": source_text(s.entry), "ours": s.status == STALE_OURS}
                 for s in state.having(STALE_OURS, STALE_THEIRS)]
        out.append({"language": code, "path": str(path),
                    "missing": [display_key(s.entry) for s in state.having(NEW)],
                    "stale": stale,
                    "review": [display_key(s.entry) for s in state.having(DRAFT)],
                    "orphaned": [display_key_text(key) for key in state.orphans]})
    return CheckReport(out)
