"""Batch mode's client CPU per request, two checkouts side by side: runs `pipeline run --mode
batch` from each tree in turn (A, B, A, B, ...) over the same rows against one loopback Batch
API, and prints each tree's median CPU per request and their ratio. On a noisy machine the
ratio, measured in one run with the trees interleaved, is the figure to read.

Usage: python bench/bench_batch_ab.py BEFORE_TREE AFTER_TREE [--rows N] [--rounds K]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_batch import measured
from bench_ratelimit import PYTHON, REPO, TEMPLATE, write_input


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-batch-ab-"))
    write_input(work / "in.csv", args.rows)
    (work / "t.j2").write_text(TEMPLATE, encoding="utf-8")
    server = subprocess.Popen([PYTHON, str(REPO / "tests/fake_openai.py")],
                              stdout=subprocess.PIPE, text=True)
    base_url = server.stdout.readline().strip() if server.stdout else ""
    per_request: dict[str, list[float]] = {"before": [], "after": []}
    try:
        for round_ in range(args.rounds):
            for name in ("before", "after"):
                tree = getattr(args, name).resolve()
                env = dict(os.environ, OPENAI_API_KEY="sk-bench", PYTHONPATH=str(tree))
                stem = f"{name}-{round_}"
                run = measured([PYTHON, "-m", "pipeline", "run", "-q", "-i", str(work / "in.csv"),
                                "-t", str(work / "t.j2"), "-m", "gpt-4o-mini", "--base-url",
                                base_url, "--id-column", "sku", "--max-tokens", "100",
                                "-o", str(work / f"{stem}.csv"), "--journal",
                                str(work / f"{stem}.sqlite"), "--mode", "batch",
                                "--set", "batch_poll_s=0.2"], env, tree)
                if run["exit"] != 0:
                    raise SystemExit(f"{name} failed: {run['stderr_tail']}")
                per_request[name].append(run["cpu_s"] / args.rows * 1000)
    finally:
        server.terminate()
        server.wait()
    medians = {k: round(statistics.median(v), 3) for k, v in per_request.items()}
    print(json.dumps({"rows": args.rows, "cpu_ms_per_request": per_request,
                      "median_ms": medians,
                      "after_over_before": round(medians["after"] / medians["before"], 3)},
                     indent=2))


if __name__ == "__main__":
    main()
