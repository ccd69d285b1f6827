"""The runner's own CPU per request: `Runner.run` and `Runner.answer` (admission, the ticket,
pricing, the result) over a provider that answers at once, with no HTTP, journal or chain.

`bench_client_ratio.py` measures a whole `pipeline run` against the bare client, where the
runner is a few percent of the total and the machine's noise is larger than a change to it.
This isolates it: each measurement is a fresh process that warms up, then times N requests at
concurrency 32 (process CPU time) and keeps the fastest of five passes.

`--repo PATH` imports the pipeline from that checkout (PYTHONPATH=PATH); given twice or more,
every round measures each checkout in turn (the order alternating from round to round), and
the per-round ratio of each to the first is reported: before and after on the same machine.

Usage: python bench/bench_runner_overhead.py [--requests N] [--rounds R] [--repo PATH ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CHILD = r'''
import asyncio, sys, time
from decimal import Decimal
from pipeline.errors import FatalForRow
from pipeline.pricing import Pricer
from pipeline.records import Completion, Request, Usage
from pipeline.send.budget import Budget
from pipeline.send.limits import RateLimiter
from pipeline.send.providers.base import Provider
from pipeline.send.runner import Runner

import pipeline
assert pipeline.__file__.startswith(sys.argv[2]), pipeline.__file__
ANSWER = Completion(text="A fine tea.", model="gpt-4o-mini", finish_reason="stop",
                    usage=Usage(40, 10))

class Instant(Provider):
    name = "instant"
    async def complete(self, request, *, timeout):
        await asyncio.sleep(0)  # hand the loop over once, as a real call does
        return ANSWER
    def classify(self, exc):
        return FatalForRow(str(exc))

REQUESTS = [Request(row_id=str(i), model="gpt-4o-mini",
                    messages=[{"role": "user", "content": f"row {i}"}],
                    params={"max_tokens": 100}, fingerprint=f"fp{i}", prompt_tokens=40,
                    completion_cap=100) for i in range(int(sys.argv[1]))]

async def once():
    budget = Budget(Decimal(1000), lambda r: Decimal("0.0001"))
    runner = Runner(Instant(), Pricer(free=True), limiter=RateLimiter(), concurrency=32,
                    timeout=10, budget=budget)
    async def handle(request):
        await runner.answer(request)
    await runner.run(REQUESTS, handle)

def timed():
    started = time.process_time()
    asyncio.run(once())
    return (time.process_time() - started) / len(REQUESTS) * 1e6

timed()  # warm-up: imports, first calls
print(min(timed() for _ in range(5)))
'''


def measure(repo: Path, n: int) -> float:
    env = dict(os.environ, PYTHONPATH=str(repo))
    # cwd: `python -c` puts the working directory ahead of PYTHONPATH on sys.path
    done = subprocess.run([sys.executable, "-c", CHILD, str(n), str(repo)], capture_output=True,
                          text=True, env=env, cwd=repo, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{repo}: {done.stderr[-800:]}")
    return float(done.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repo", type=Path, action="append",
                        help="a checkout to import the pipeline from (repeat to compare)")
    args = parser.parse_args()
    repos: list[Path] = [r.resolve() for r in args.repo] if args.repo else [REPO]
    figures: dict[Path, list[float]] = {r: [] for r in repos}
    for round_ in range(1, args.rounds + 1):
        for repo in repos if round_ % 2 else repos[::-1]:
            figures[repo].append(measure(repo, args.requests))
        print(f"round {round_}: " + ", ".join(f"[{r}] {figures[r][-1]:.1f} µs" for r in repos),
              flush=True)
    for repo in repos:
        print(f"[{repo}] median {statistics.median(figures[repo]):.1f} µs per request "
              f"({args.requests} requests, {args.rounds} rounds)")
    first = repos[0]
    for repo in repos[1:]:
        within = [b / a for a, b in zip(figures[first], figures[repo], strict=True)]
        print(f"[{repo}] / [{first}], per round: {', '.join(f'{r:.3f}' for r in within)}; "
              f"median {statistics.median(within):.3f}")


if __name__ == "__main__":
    main()
