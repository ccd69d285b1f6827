"""Start-up: how long `pipeline --help` and `pipeline --version` take as whole processes, as a
ratio to a bare `python -c "import click"` measured in the same run (this machine is noisy, so
the ratio is the figure to quote).

    python bench/bench_startup.py [--runs 15] [--repo PATH]

`--repo` puts another checkout of the package first on the path (a worktree at an older commit,
to measure before and after in one run); default: the installed package. The commands run in
turn (bare, help, version, bare, ...) so drift hits all three alike; medians are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "bare import click": [sys.executable, "-c", "import click"],
    "pipeline --help": [sys.executable, "-m", "pipeline", "--help"],
    "pipeline --version": [sys.executable, "-m", "pipeline", "--version"],
    "pipeline run --help": [sys.executable, "-m", "pipeline", "run", "--help"],
}


def wall(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    # From a neutral folder: `python -m` puts the current directory first on the path.
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL,
                   cwd=tempfile.gettempdir())
    return time.perf_counter() - start


def measure(runs: int, repos: dict[str, Path | None]) -> dict[str, dict[str, float]]:
    """Median seconds per command per checkout, all interleaved in one loop."""
    envs = {}
    for label, repo in repos.items():
        env = dict(os.environ)
        if repo is not None:
            env["PYTHONPATH"] = str(repo)
        envs[label] = env
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(runs + 1):  # the first round warms the disk cache and is dropped
        for label, env in envs.items():
            for name, command in COMMANDS.items():
                times.setdefault((label, name), []).append(wall(command, env))
    return {label: {name: statistics.median(times[label, name][1:]) for name in COMMANDS}
            for label in repos}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--repo", action="append", default=[], metavar="LABEL=PATH",
                        help="another checkout to measure beside the installed one")
    args = parser.parse_args()
    repos: dict[str, Path | None] = {"installed": None}
    for item in args.repo:
        label, _, path = item.partition("=")
        repos[label] = Path(path).resolve()
    medians = measure(args.runs, repos)
    report = {}
    for label, figures in medians.items():
        bare = figures["bare import click"]
        report[label] = {name: {"median_s": round(s, 3), "x_bare": round(s / bare, 2)}
                         for name, s in figures.items()}
        print(f"== {label}")
        for name, s in figures.items():
            print(f"  {name:22} {s * 1000:7.0f} ms  {s / bare:5.2f}x bare")
    out = Path(__file__).parent / "results" / "startup.json"
    out.write_text(json.dumps({"runs": args.runs, "results": report}, indent=2) + "\n")


if __name__ == "__main__":
    main()
