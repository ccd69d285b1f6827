"""Rows per minute of the embedded model idle and beside one busy process, for the old thread
rule (a thread on every usable core) and the new one (one fewer, at least 1), in one run.

Each cell answers the README's example rows (prompts/product_description.j2 over
data/products.csv, in order, from the first) through the local provider until `--seconds` have
passed, then finishes the row under way. "Busy" starts one CPU-burning Python process of its
own (`while True: pass`) for the cell and kills it after. Rounds alternate the order of the
rules, so a drift of the shared machine's load does not favour one. Writes
bench/results/local_threads.json and prints a Markdown table.

Usage: python bench/bench_local_threads.py [--seconds 40] [--rounds 2] [--max-tokens 100]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.providers.local import (  # noqa: E402 - after the path is set
    LocalProvider,
    bundled_model_path,
    default_threads,
    usable_cores,
)
from pipeline.records import Request  # noqa: E402
from pipeline.render import PromptTemplate  # noqa: E402


def example_requests(max_tokens: int) -> list[Request]:
    """The README's example job's requests, rendered by the pipeline's own template code."""
    template = PromptTemplate.from_file(REPO / "prompts/product_description.j2")
    with (REPO / "data/products.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [Request(row_id=row["product_id"], model="smollm2", messages=template.render(row),
                    params={"temperature": 0.7, "seed": 42, "max_tokens": max_tokens},
                    fingerprint="") for row in rows]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_busy_s() -> float:
    """CPU seconds every process on the machine has used so far (Linux; 0 elsewhere)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def process_cpu_s(pid: int) -> float:
    """user + sys seconds of one process (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def one_cell(provider: LocalProvider, requests: list[Request], seconds: float,
                   burner: subprocess.Popen | None) -> dict[str, float]:
    """Rows answered in `seconds` (the row under way finished), with what the CPUs did:
    ours, the burner's and the rest of the machine's (other users of a shared machine)."""
    rows = prompt = completion = 0
    machine, ours = machine_busy_s(), process_cpu_s(os.getpid())
    burned = process_cpu_s(burner.pid) if burner else 0.0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        done = await provider.complete(requests[rows % len(requests)], timeout=600)
        rows += 1
        prompt += done.usage.prompt_tokens
        completion += done.usage.completion_tokens
    wall = time.perf_counter() - started
    machine = machine_busy_s() - machine
    ours = process_cpu_s(os.getpid()) - ours
    burned = (process_cpu_s(burner.pid) - burned) if burner else 0.0
    return {"rows": rows, "wall_s": round(wall, 2), "rows_per_min": round(rows / wall * 60, 1),
            "completion_tokens_per_s": round(completion / wall, 1),
            "prompt_tokens": prompt, "completion_tokens": completion,
            "cores_used_by_model": round(ours / wall, 2),
            "cores_used_by_burner": round(burned / wall, 2),
            "cores_used_by_others": round(max(0.0, machine - ours - burned) / wall, 2)}


def busy_process() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


async def main(seconds: float, rounds: int, max_tokens: int) -> None:
    cores = usable_cores()
    rules = {"old: every usable core": cores, "new: one core left free": default_threads(cores)}
    requests = example_requests(max_tokens)
    providers = {}
    for rule, threads in rules.items():
        providers[rule] = LocalProvider(bundled_model_path(), model_name="smollm2",
                                        threads=threads)
        providers[rule]._load()
    cells: dict[tuple[str, str], list[dict[str, float]]] = {}
    load_before = os.getloadavg()
    for number in range(rounds):
        order = list(rules) if number % 2 == 0 else list(reversed(rules))
        for load in ("idle", "one busy process"):
            for rule in order:
                burner = busy_process() if load != "idle" else None
                try:
                    time.sleep(0.5 if burner else 0)  # let the burner take its core
                    cell = await one_cell(providers[rule], requests, seconds, burner)
                finally:
                    if burner:
                        burner.kill()
                        burner.wait()
                cells.setdefault((rule, load), []).append(cell)
                print(f"round {number + 1}: {rule} ({rules[rule]} threads), {load}: {cell}",
                      flush=True)
    for provider in providers.values():
        await provider.aclose()

    def median(rule: str, load: str, key: str) -> float:
        return statistics.median(cell[key] for cell in cells[(rule, load)])

    report = {"machine": {"usable_cores": cores, "nproc": os.cpu_count(), "cpu": cpu_model(),
                          "python": platform.python_version(),
                          "loadavg_before": [round(x, 2) for x in load_before]},
              "seconds_per_cell": seconds, "rounds": rounds, "max_tokens": max_tokens,
              "rules": rules,
              "cells": [{"rule": rule, "threads": rules[rule], "load": load, "runs": runs}
                        for (rule, load), runs in cells.items()]}
    out = REPO / "bench/results/local_threads.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    print(f"\n{cores} usable cores ({cpu_model()}), {rounds} round(s) of {seconds:g} s per "
          f"cell, median of the rounds; raw: {out.relative_to(REPO)}\n")
    print("| rule | threads | idle rows/min | idle tokens/s | busy rows/min | busy tokens/s "
          "| busy ÷ idle | other users' cores, idle / busy |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for rule, threads in rules.items():
        idle = median(rule, "idle", "rows_per_min")
        busy = median(rule, "one busy process", "rows_per_min")
        print(f"| {rule} | {threads} | {idle:.1f} | "
              f"{median(rule, 'idle', 'completion_tokens_per_s'):.1f} | {busy:.1f} | "
              f"{median(rule, 'one busy process', 'completion_tokens_per_s'):.1f} | "
              f"{busy / idle:.2f} | {median(rule, 'idle', 'cores_used_by_others'):.2f} / "
              f"{median(rule, 'one busy process', 'cores_used_by_others'):.2f} |")
    old, new = rules
    for load in ("idle", "one busy process"):
        ratio = median(new, load, "rows_per_min") / median(old, load, "rows_per_min")
        print(f"\nnew ÷ old, {load}: {ratio:.2f}x rows/min")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=100)
    args = parser.parse_args()
    asyncio.run(main(args.seconds, args.rounds, args.max_tokens))
