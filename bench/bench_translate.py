"""Catalog translation through the loopback server: entries per request, retries, refusals.

Translates the first N entries (default: all 348) of Django's English core catalog into French
and Japanese with the fake translator of tests/fake_translator.py, which breaks a share of its
answers the ways real models do (drops or renames a placeholder, gives a wrong number of plural
forms, scrambles, repeats or forgets an id), each once. Reports, per language, requests,
entries per request, entries retried alone, entries left for review, and whether msgfmt accepts
the written catalog.

Usage: python bench/bench_translate.py [--entries N] [--broken SHARE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from fake_openai import FakeOpenAI  # noqa: E402
from fake_translator import FakeTranslator  # noqa: E402

WAYS = ("drop", "rename", "forms", "scramble", "duplicate", "missing")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=0, help="0: the whole catalog")
    parser.add_argument("--broken", type=float, default=0.1,
                        help="share of entries whose first answer is broken")
    args = parser.parse_args()
    import polib

    source_po = REPO / "tests/data/django/core.en.po"
    msgids = [e.msgid for e in polib.pofile(str(source_po)) if e.msgid and not e.obsolete]
    rng = random.Random(7)
    sabotage = {m: rng.choice(WAYS) for m in msgids if rng.random() < args.broken}
    work = Path(tempfile.mkdtemp(prefix="bench-translate-"))
    source = work / "locale/en/LC_MESSAGES/django.po"
    source.parent.mkdir(parents=True)
    shutil.copyfile(source_po, source)
    server = FakeOpenAI().start()
    server.completion = FakeTranslator(sabotage=sabotage)
    env = {**os.environ, "OPENAI_API_KEY": "sk-bench"}
    command = [sys.executable, "-m", "pipeline", "translate", str(source), "--to", "fr,ja",
               "-m", "gpt-4o-mini", "--base-url", server.base_url, "-q",
               "--journal", str(work / "j.sqlite")]
    if args.entries:
        command += ["--limit", str(args.entries)]
    try:
        run = subprocess.run(command, capture_output=True, text=True, cwd=work, env=env)
    finally:
        server.stop()
    report: dict[str, object] = {"entries_asked": args.entries or len(msgids),
                                 "broken_first_answers": len(sabotage), "exit": run.returncode,
                                 "requests_at_server": len(server.requests)}
    for language in ("fr", "ja"):
        out = work / f"locale/{language}/LC_MESSAGES/django.po"
        check = subprocess.run(["msgfmt", "--check-format", "-c", "-o", os.devnull, str(out)],
                               capture_output=True, text=True)
        block = re.search(rf"^{language}: .*?(?=^\w\w: |^time:)", run.stderr, re.M | re.S)
        report[language] = {"msgfmt_ok": check.returncode == 0,
                            "report": block.group(0).strip().splitlines() if block else []}
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
