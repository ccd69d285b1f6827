"""What a judge adds per row: requests, tokens and client CPU, with and without it.

The same input (N rows, the rate-limit bench's product rows and template) runs twice against
the loopback server (tests/fake_openai.py in its own process, answering the judge's model with
tests/fake_judge.py's deterministic judge and the writer with its usual echo answers): once
with `--no-judge`, once with `--judge MODEL` and the default rubric (three criteria, two with a
threshold of 3). The echo answers are 4 to 39 words and the fake judge gives a 1-5 criterion a
point per 4 words, so about a quarter of the answers fall below the bar and go back once or
twice with the critique: the figures include those rounds, as a real job's would.

Requests and tokens come from each run's journal (every request's attempts, the writer's and
the judge's apart); client CPU is the whole `pipeline run` process's (RUSAGE_CHILDREN), so the
difference per row is what judging costs the client, pre-flight and output included. Rounds
alternate the order of the two runs.

Usage: python bench/bench_judge.py [--rows 20000] [--rounds 1] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_ratelimit import PYTHON, REPO, TEMPLATE, write_input

JUDGE = "gpt-4.1-nano"
SERVER = f"""
import sys, threading
sys.path.insert(0, {str(REPO / 'tests')!r})
from fake_openai import FakeOpenAI
from fake_judge import FakeJudge
server = FakeOpenAI()
server.keep_requests = False
server.completion = FakeJudge({JUDGE!r})
server.start()
print(server.base_url, flush=True)
threading.Event().wait()
"""


def run(base_url: str, folder: Path, rows: int, concurrency: int, judge: bool) -> dict:
    env = dict(os.environ, OPENAI_API_KEY="sk-bench", PYTHONPATH=str(REPO))
    cmd = [PYTHON, "-m", "pipeline", "run", "-q", "-i", str(folder / "in.csv"),
           "-t", str(folder / "t.j2"), "-o", str(folder / ("judged.csv" if judge else "plain.csv")),
           "-m", "gpt-4o-mini", "--base-url", base_url, "--id-column", "sku",
           "--max-tokens", "100", "--concurrency", str(concurrency),
           "--journal", str(folder / ("judged.sqlite" if judge else "plain.sqlite")),
           *(["--judge", JUDGE] if judge else ["--no-judge"])]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=folder)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"pipeline run exited {done.returncode}: {done.stderr[-800:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    journal = folder / ("judged.sqlite" if judge else "plain.sqlite")
    db = sqlite3.connect(journal)
    out = {"cpu_s": cpu, "wall_s": wall, "exit": done.returncode}
    for kind, where in (("writer", "template_key NOT LIKE 'judge:%'"),
                        ("judge", "template_key LIKE 'judge:%'")):
        requests, prompt, completion = db.execute(
            f"SELECT COALESCE(SUM(attempts), 0), COALESCE(SUM(prompt_tokens), 0), "
            f"COALESCE(SUM(completion_tokens), 0) FROM results WHERE {where}").fetchone()
        out[kind] = {"requests": requests, "prompt": prompt, "completion": completion}
    out["flagged"] = db.execute("SELECT COUNT(*) FROM results WHERE status = 'flagged' AND "
                                "template_key NOT LIKE 'judge:%'").fetchone()[0]
    db.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    n = args.rows
    server = subprocess.Popen([PYTHON, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    base_url = server.stdout.readline().strip()
    try:
        for round_ in range(1, args.rounds + 1):
            results = {}
            for judge in ((False, True) if round_ % 2 else (True, False)):
                folder = Path(tempfile.mkdtemp(prefix="bench-judge-"))
                write_input(folder / "in.csv", n)
                (folder / "t.j2").write_text(TEMPLATE, encoding="utf-8")
                results[judge] = run(base_url, folder, n, args.concurrency, judge)
            plain, judged = results[False], results[True]
            for name, r in (("without judge", plain), ("with judge", judged)):
                w, j = r["writer"], r["judge"]
                print(f"round {round_} {name}: {r['wall_s']:.1f} s wall, {r['cpu_s']:.1f} s "
                      f"client CPU ({r['cpu_s'] / n * 1000:.2f} ms/row), exit {r['exit']}, "
                      f"{r['flagged']} flagged; writer {w['requests'] / n:.3f} requests/row, "
                      f"{w['prompt'] / n:.1f} + {w['completion'] / n:.1f} tokens/row; judge "
                      f"{j['requests'] / n:.3f} requests/row, {j['prompt'] / n:.1f} + "
                      f"{j['completion'] / n:.1f} tokens/row", flush=True)
            added_requests = (judged["writer"]["requests"] + judged["judge"]["requests"]
                              - plain["writer"]["requests"]) / n
            added_tokens = (sum(judged[k]["prompt"] + judged[k]["completion"]
                                for k in ("writer", "judge"))
                            - plain["writer"]["prompt"] - plain["writer"]["completion"]) / n
            added_cpu = (judged["cpu_s"] - plain["cpu_s"]) / n * 1000
            all_requests = judged["writer"]["requests"] + judged["judge"]["requests"]
            print(f"round {round_}: judging adds {added_requests:.3f} requests, "
                  f"{added_tokens:.1f} tokens and {added_cpu:.2f} ms client CPU per row "
                  f"({plain['cpu_s'] / plain['writer']['requests'] * 1000:.2f} ms per request "
                  f"without, {judged['cpu_s'] / all_requests * 1000:.2f} ms with)", flush=True)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
