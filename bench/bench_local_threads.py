"""Rows per minute of the embedded model for the old thread rule (`os.cpu_count()` threads, and
llama-cpp-python's default of every CPU for reading the prompt) and the new one (the provider's
default: one fewer than the usable cores, at least 1), in one run, under three loads:

- idle: nothing of ours beside the model (other users of a shared machine are measured);
- one busy process: a CPU-burning Python process (`while True: pass`) started for the cell;
- one usable core: the model's process pinned to one core (as `taskset -c 0` or a one-CPU
  container leaves it), where the old rule still counted the machine's CPUs.

Each cell is a fresh process that loads the model, then answers the README's example rows
(prompts/product_description.j2 over data/products.csv, in order, from the first) through the
local provider until `--seconds` have passed, finishing the row under way; a cell still busy
at three times `--seconds` is stopped and counts the rows it finished. Rounds alternate the
order of the rules, so a drift of the shared machine's load favours neither. Writes
bench/results/local_threads.json and prints a Markdown table.

Usage: python bench/bench_local_threads.py [--seconds 30] [--rounds 3] [--max-tokens 100]
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
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RULES = ("old", "new")
LOADS = ("idle", "one busy process", "one usable core")


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


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


async def cell_child(rule: str, pinned: bool, seconds: float, max_tokens: int) -> None:
    """One cell, in its own process: prints a JSON line per row answered."""
    if pinned:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    sys.path.insert(0, str(REPO))
    from pipeline.render import PromptTemplate

    from pipeline.records import Request
    from pipeline.send.providers.local import LocalProvider, bundled_model_path

    template = PromptTemplate.from_file(REPO / "prompts/product_description.j2")
    with (REPO / "data/products.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    requests = [Request(row_id=row["product_id"], model="smollm2", messages=template.render(row),
                        params={"temperature": 0.7, "seed": 42, "max_tokens": max_tokens},
                        fingerprint="") for row in rows]
    # The old rule as the provider had it; the new one is the provider's own default.
    threads = os.cpu_count() if rule == "old" else None
    provider = LocalProvider(bundled_model_path(), model_name="smollm2", threads=threads)
    provider._load()
    print(json.dumps({"threads": provider.threads, "started": True}), flush=True)
    done = prompt = completion = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        answer = await provider.complete(requests[done % len(requests)], timeout=600)
        done += 1
        prompt += answer.usage.prompt_tokens
        completion += answer.usage.completion_tokens
        print(json.dumps({"rows": done, "prompt_tokens": prompt,
                          "completion_tokens": completion,
                          "wall_s": time.perf_counter() - started}), flush=True)
    await provider.aclose()


def run_cell(rule: str, load: str, seconds: float, max_tokens: int) -> dict[str, float]:
    """Start one cell's process (and the burner for `one busy process`), and measure it: rows,
    tokens, and what the CPUs did (the model's, the burner's, the rest of the machine's)."""
    burner = (subprocess.Popen([sys.executable, "-c", "while True: pass"])
              if load == "one busy process" else None)
    child = subprocess.Popen(
        [sys.executable, __file__, "--cell", rule, str(load == "one usable core"),
         "--seconds", str(seconds), "--max-tokens", str(max_tokens)],
        stdout=subprocess.PIPE, text=True)
    try:
        threads = json.loads(child.stdout.readline())["threads"]  # the model is loaded
        machine, ours = machine_busy_s(), process_cpu_s(child.pid)
        burned = process_cpu_s(burner.pid) if burner else 0.0
        started = time.perf_counter()
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(child.stdout), daemon=True)
        reader.start()
        ours_now = ours
        while child.poll() is None and time.perf_counter() < started + 3 * seconds:
            ours_now = process_cpu_s(child.pid) or ours_now
            time.sleep(0.2)
        stopped = child.poll() is None
        if stopped:
            child.kill()
        child.wait()
        reader.join()
        last = (json.loads(lines[-1]) if lines
                else {"rows": 0, "prompt_tokens": 0, "completion_tokens": 0})
        wall = last["wall_s"] if not stopped else time.perf_counter() - started
        machine = machine_busy_s() - machine
        ours = ours_now - ours
        burned = (process_cpu_s(burner.pid) - burned) if burner else 0.0
    finally:
        child.kill()
        child.wait()
        if burner:
            burner.kill()
            burner.wait()
    return {"threads": threads, "rows": last["rows"], "wall_s": round(wall, 2),
            "stopped_unfinished": stopped,
            "rows_per_min": round(last["rows"] / wall * 60, 1),
            "completion_tokens_per_s": round(last["completion_tokens"] / wall, 2),
            "prompt_tokens": last["prompt_tokens"],
            "completion_tokens": last["completion_tokens"],
            "cores_used_by_model": round(ours / wall, 2),
            "cores_used_by_burner": round(burned / wall, 2),
            "cores_used_by_others": round(max(0.0, machine - ours - burned) / wall, 2)}


def main(seconds: float, rounds: int, max_tokens: int) -> None:
    cells: dict[tuple[str, str], list[dict[str, float]]] = {}
    load_before = os.getloadavg()
    for number in range(rounds):
        order = RULES if number % 2 == 0 else tuple(reversed(RULES))
        for load in LOADS:
            for rule in order:
                cell = run_cell(rule, load, seconds, max_tokens)
                cells.setdefault((rule, load), []).append(cell)
                print(f"round {number + 1}: {rule} rule, {load}: {cell}", flush=True)

    def median(rule: str, load: str, key: str) -> float:
        return statistics.median(cell[key] for cell in cells[(rule, load)])

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    report = {"machine": {"usable_cores": cores, "nproc": os.cpu_count(), "cpu": cpu_model(),
                          "python": platform.python_version(),
                          "loadavg_before": [round(x, 2) for x in load_before]},
              "seconds_per_cell": seconds, "rounds": rounds, "max_tokens": max_tokens,
              "cells": [{"rule": rule, "load": load, "runs": runs}
                        for (rule, load), runs in cells.items()]}
    out = REPO / "bench/results/local_threads.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    print(f"\n{cores} usable cores ({cpu_model()}), {rounds} round(s) of {seconds:g} s per "
          f"cell, medians; raw: {out.relative_to(REPO)}\n")
    print("| load | rule | threads | rows/min | completion tokens/s | model's cores "
          "| other users' cores |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for load in LOADS:
        for rule in RULES:
            print(f"| {load} | {rule} | {cells[(rule, load)][0]['threads']} | "
                  f"{median(rule, load, 'rows_per_min'):.1f} | "
                  f"{median(rule, load, 'completion_tokens_per_s'):.1f} | "
                  f"{median(rule, load, 'cores_used_by_model'):.2f} | "
                  f"{median(rule, load, 'cores_used_by_others'):.2f} |")
    for load in LOADS:
        old, new = (median(rule, load, "rows_per_min") for rule in RULES)
        ratio = f"{new / old:.2f}x" if old else f"{new:.1f} rows/min against none finished"
        print(f"\nnew ÷ old rows/min, {load}: {ratio}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-tokens", type=int, default=100)
    parser.add_argument("--cell", nargs=2, metavar=("RULE", "PINNED"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cell:
        asyncio.run(cell_child(args.cell[0], args.cell[1] == "True", args.seconds,
                               args.max_tokens))
    else:
        main(args.seconds, args.rounds, args.max_tokens)
