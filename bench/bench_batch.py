"""Batch mode at scale against the loopback Files and Batch APIs: client CPU and memory, requests
per batch file, and the cost online vs batch for the same rows.

Starts tests/fake_openai.py (its Batch API answers every line of a batch when the batch is
polled to completion) and runs, each as its own `pipeline` process so its CPU and peak memory
are its own:

1. `pipeline run --batch-files DIR`: writing the Batch API files (no server involved);
2. `pipeline run --mode batch`: upload, submit, poll, collect, then the usual run that judges
   the collected answers and writes the output (no chat request is sent);
3. `pipeline run` online for the same rows (concurrency 64), for the cost comparison.

Each count of rows gets its own input and server; `--modes` picks which of the three runs.
`--provider anthropic` runs the same against tests/fake_anthropic.py's Messages API and
Message Batches (claude-haiku-4-5; no files mode: those are OpenAI's format).

Usage: python bench/bench_batch.py [--rows N[,N...]] [--modes files,batch,online]
       [--provider openai|anthropic]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_ratelimit import PYTHON, REPO, TEMPLATE, write_input


def measured(cmd: list[str], env: dict[str, str], cwd: Path) -> dict:
    """Run one pipeline process; its wall time, CPU seconds and peak RSS (its own, from
    wait4, not the running maximum over every child)."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    stderr = proc.stderr.read() if proc.stderr else ""
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    return {"exit": proc.returncode, "wall_s": round(wall, 1),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "stderr_tail": stderr.strip().splitlines()[-4:]}


def cost_and_statuses(path: Path) -> tuple[Decimal, dict[str, int]]:
    total, statuses = Decimal(0), {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            statuses[row["status"]] = statuses.get(row["status"], 0) + 1
            total += Decimal(row["cost_usd"] or 0)
    return total, statuses


#: Per provider: its loopback server, the model asked, and where its key is read.
SERVERS = {"openai": ("tests/fake_openai.py", "gpt-4o-mini", "OPENAI_API_KEY"),
           "anthropic": ("tests/fake_anthropic.py", "claude-haiku-4-5", "ANTHROPIC_API_KEY")}


def one_size(rows: int, modes: list[str], provider: str = "openai") -> dict:
    """The chosen modes over `rows` distinct rows, each its own process against a fresh server."""
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    write_input(work / "in.csv", rows)
    (work / "t.j2").write_text(TEMPLATE, encoding="utf-8")
    script, model, key_env = SERVERS[provider]
    server = subprocess.Popen([PYTHON, str(REPO / script)], stdout=subprocess.PIPE, text=True,
                              cwd=REPO / "tests")
    base_url = server.stdout.readline().strip()
    env = dict(os.environ, **{key_env: "sk-bench"})
    common = ["-q", "-i", str(work / "in.csv"), "-t", str(work / "t.j2"), "-m", model,
              "--provider", provider, "--base-url", base_url, "--id-column", "sku",
              "--max-tokens", "100"]
    out: dict = {"rows": rows, "provider": provider}
    try:
        if "files" in modes:
            out["write_files"] = measured(
                [PYTHON, "-m", "pipeline", "run", *common, "-o", str(work / "f.csv"),
                 "--journal", str(work / "files.sqlite"), "--batch-files", str(work / "files")],
                env, work)
            out["requests_per_file"] = [sum(1 for _ in p.open())
                                        for p in sorted((work / "files").glob("*.jsonl"))]
        if "batch" in modes:
            out["batch_mode"] = measured(
                [PYTHON, "-m", "pipeline", "run", *common, "-o", str(work / "b.csv"),
                 "--journal", str(work / "batch.sqlite"), "--mode", "batch",
                 "--set", "batch_poll_s=0.2"], env, work)
        if "online" in modes:
            out["online"] = measured(
                [PYTHON, "-m", "pipeline", "run", *common, "-o", str(work / "o.csv"),
                 "--journal", str(work / "online.sqlite"), "--concurrency", "64"], env, work)
    finally:
        server.terminate()
        server.wait()
    costs = {}
    for name, file in (("batch_mode", "b.csv"), ("online", "o.csv")):
        if name in out:
            cost, statuses = cost_and_statuses(work / file)
            costs[name] = cost
            out[name].update(cpu_ms_per_request=round(out[name]["cpu_s"] / rows * 1000, 3),
                             rows_by_status=statuses, cost_usd=str(cost))
    if len(costs) == 2 and costs["online"]:
        out["batch_over_online_cost"] = str((costs["batch_mode"] / costs["online"]).quantize(
            Decimal("0.0001")))
    shutil.rmtree(work, ignore_errors=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="20000",
                        help="counts of rows, comma-separated (e.g. 100000,300000,1000000)")
    parser.add_argument("--modes", default="files,batch,online")
    parser.add_argument("--provider", choices=sorted(SERVERS), default="openai")
    args = parser.parse_args()
    modes = args.modes.split(",")
    results = []
    for rows in (int(n) for n in args.rows.split(",")):
        results.append(one_size(rows, modes, args.provider))
        print(json.dumps(results[-1], indent=2), flush=True)


if __name__ == "__main__":
    main()
