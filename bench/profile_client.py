"""Where the client's CPU goes per request: `pipeline run` under cProfile, grouped by part.

Starts the loopback server (tests/fake_openai.py) in its own process, runs a job of N rows
in this process under cProfile, and prints the inclusive time of each part of the client as
a share of the whole run and in milliseconds per request.

Usage: python bench/profile_client.py [--rows N] [--rpm RPM]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import contextlib

from bench_ratelimit import PYTHON, REPO, TEMPLATE, write_input

# part -> (file substring, function name) whose inclusive time is that part's
PARTS = {
    "openai client + HTTP (post, transport, aiohttp)": ("openai/_base_client.py", "post"),
    "render + count tokens + fingerprint (both passes)": ("pipeline/rows/steps.py", "request"),
    "judge the reply (validate, gates)": ("pipeline/rows/validate.py", "judge"),
    "journal commits": ("pipeline/journal.py", "record"),
    "journal lookups (resume, projection)": ("pipeline/journal.py", "get"),
    "pricing": ("pipeline/pricing.py", "cost"),
    "rate limiter": ("pipeline/send/limits.py", "acquire"),
    "write the output": ("pipeline/rows/sinks.py", "write_output"),
    "imports and start-up (pre-flight excluded)": ("<frozen importlib._bootstrap>",
                                                   "_find_and_load"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--rpm", type=float)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    write_input(work / "in.csv", args.rows)
    (work / "t.j2").write_text(TEMPLATE, encoding="utf-8")
    server_args = ["--rpm", str(args.rpm), "--tpm", "1e9", "--per-second", "--latency", "0.3",
                   "--jitter", "0.1"] if args.rpm else []
    server = subprocess.Popen([PYTHON, str(REPO / "tests/fake_openai.py"), *server_args],
                              stdout=subprocess.PIPE, text=True)
    base_url = server.stdout.readline().strip()
    os.environ["OPENAI_API_KEY"] = "sk-bench"
    os.chdir(work)
    profile = cProfile.Profile()
    try:
        profile.enable()
        from pipeline.cli import cli

        with contextlib.suppress(SystemExit):
            cli(["run", "-q", "-i", "in.csv", "-t", "t.j2", "-o", "out.csv", "-m", "gpt-4o-mini",
                 "--base-url", base_url, "--id-column", "sku", "--max-tokens", "100"])
        profile.disable()
    finally:
        server.terminate()
        server.wait()
    stats = pstats.Stats(profile)
    total = sum(v[2] for v in stats.stats.values())  # tottime over every function
    idle = sum(v[2] for k, v in stats.stats.items() if k[2] in ("poll", "select"))
    busy = total - idle
    print(f"rows: {args.rows}, profiled busy time {busy:.2f}s "
          f"({busy / args.rows * 1000:.2f} ms/request under cProfile)")
    for part, (where, name) in PARTS.items():
        inclusive = sum(v[3] for k, v in stats.stats.items() if where in k[0] and k[2] == name)
        print(f"  {part:55s} {inclusive / busy * 100:5.1f}%  "
              f"{inclusive / args.rows * 1000:6.3f} ms/request")


if __name__ == "__main__":
    main()
