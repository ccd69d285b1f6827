"""How long `pipeline translate --check` takes on a large project: 5,000 entries in 10
languages, every target complete, a lock recording each translation (the CI case: the check
must say "current" quickly), plus one stale, one missing and one orphaned entry per language.

    python bench/bench_check.py [--entries 5000] [--languages 10] [--runs 5] [--format i18next]

Formats: i18next (nested JSON), gettext (.po), properties (Java, through translate-toolkit).
Each run is a whole `pipeline translate ... --check` process (start-up included); the median
wall time, the median CPU time (user + sys: what the check costs, less sensitive than wall time
to other work on the machine) and the peak RSS of the runs are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib

from pipeline.catalogs import open_catalog, target_path
from pipeline.catalogs.lock import TranslationLock, lock_path

LANGUAGES = ["de", "fr", "es", "it", "pt", "nl", "sv", "da", "fi", "nb", "pl", "cs"]


def texts(n: int) -> dict[str, str]:
    return {f"screen{i // 50}.item{i}": f"Label number {i} of the settings screen"
            for i in range(n)}


def write_i18next(folder: Path, entries: dict[str, str], languages: list[str]) -> Path:
    def nested(values: dict[str, str]) -> dict:
        out: dict = {}
        for key, value in values.items():
            group, name = key.split(".")
            out.setdefault(group, {})[name] = value
        return out

    source = folder / "locales/en.json"
    source.parent.mkdir(parents=True)
    source.write_text(json.dumps(nested(entries), indent=2), encoding="utf-8")
    for language in languages:
        translated = {k: f"[{language}] {v}" for k, v in entries.items()}
        (folder / f"locales/{language}.json").write_text(
            json.dumps(nested(translated), indent=2), encoding="utf-8")
    return source


def write_po(folder: Path, entries: dict[str, str], languages: list[str]) -> Path:
    source = folder / "locale/en/LC_MESSAGES/app.po"
    source.parent.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    for key, value in entries.items():
        po.append(polib.POEntry(msgctxt=key, msgid=value, msgstr=""))
    po.save(str(source))
    for language in languages:
        target = folder / f"locale/{language}/LC_MESSAGES/app.po"
        target.parent.mkdir(parents=True)
        po_t = polib.POFile()
        po_t.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": language,
                         "Plural-Forms": "nplurals=2; plural=(n != 1);"}
        for key, value in entries.items():
            po_t.append(polib.POEntry(msgctxt=key, msgid=value, msgstr=f"[{language}] {value}"))
        po_t.save(str(target))
    return source


def write_properties(folder: Path, entries: dict[str, str], languages: list[str]) -> Path:
    source = folder / "res/messages.properties"
    source.parent.mkdir(parents=True)
    source.write_text("".join(f"{k}={v}\n" for k, v in entries.items()), encoding="latin-1")
    for language in languages:
        (folder / f"res/messages_{language}.properties").write_text(
            "".join(f"{k}=[{language}] {v}\n" for k, v in entries.items()), encoding="latin-1")
    return source


WRITERS = {"i18next": write_i18next, "gettext": write_po, "properties": write_properties}


def build(folder: Path, fmt: str, n: int, languages: list[str]) -> Path:
    """The project, its lock as a run would have left it, then one change of each kind."""
    entries = texts(n)
    source = WRITERS[fmt](folder, entries, languages)
    catalog = open_catalog(source)
    lock = TranslationLock(lock_path(source))
    for language in languages:
        target = catalog.target(language, target_path(source, "en", language, None, catalog))
        for entry in catalog.entries():
            forms = target.existing(entry)
            assert forms is not None, (language, entry.key)
            lock.record(language, entry, forms, origin="ours")
    lock.write()
    changed = {**entries, "screen0.item0": "A changed label", "screen0.item9999999": "New"}
    del changed["screen0.item1"]
    WRITERS[fmt](Path(tempfile.mkdtemp()), {}, [])  # (nothing: keeps the writers symmetric)
    if fmt == "i18next":
        data = json.loads(source.read_text(encoding="utf-8"))
        data["screen0"]["item0"] = "A changed label"
        data["screen0"]["item9999999"] = "New"
        del data["screen0"]["item1"]
        source.write_text(json.dumps(data, indent=2), encoding="utf-8")
    elif fmt == "gettext":
        po = polib.pofile(str(source))
        po.find("screen0.item1", by="msgctxt").obsolete = True
        po.append(polib.POEntry(msgctxt="screen0.item9999999", msgid="New", msgstr=""))
        po.save(str(source))
    else:
        source.write_text("".join(f"{k}={v}\n" for k, v in changed.items()), encoding="latin-1")
    return source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--languages", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--format", choices=sorted(WRITERS), default="i18next")
    args = parser.parse_args()
    languages = LANGUAGES[:args.languages]
    folder = Path(tempfile.mkdtemp(prefix="bench-check-"))
    source = build(folder, args.format, args.entries, languages)
    command = [sys.executable, "-m", "pipeline", "translate", str(source), "--to",
               ",".join(languages), "--check", "--journal", str(folder / "j.sqlite")]
    # As on a user's machine from the second run on: Python's compiled modules are kept
    # (a machine with PYTHONDONTWRITEBYTECODE set compiles every module on every start: 0.4 s).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    walls, cpus = [], []
    for _ in range(args.runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, cwd=folder, env=env)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    lines = done.stdout.splitlines()
    print(json.dumps({
        "format": args.format, "entries": args.entries, "languages": len(languages),
        "exit": done.returncode, "median_s": round(statistics.median(walls[1:]), 3),
        "min_s": round(min(walls[1:]), 3), "max_s": round(max(walls[1:]), 3),
        "median_cpu_s": round(statistics.median(cpus[1:]), 3),
        "peak_rss_mb": round(peak, 1), "first_lines": lines[:3]}, indent=2))


if __name__ == "__main__":
    main()
