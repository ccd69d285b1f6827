"""Rows per minute through a real local server at fixed concurrency and adaptive.

Starts llama-cpp-python's OpenAI-compatible server (`python -m llama_cpp.server`, the [server]
extra) on the bundled SmolLM2 weights. It serves one request at a time and sends no rate-limit
headers, like llama.cpp with one slot or Ollama's default. Runs the README's example job
(`prompts/product_description.toml`) over the first N rows through it at concurrency 1, 2, 4, 8
and with none set (adaptive, pipeline/send/adaptive.py), each with its own journal, and reports rows
per minute, the latency rows saw (queueing inside the server shows here), attempts and failures.

Usage: python bench/bench_server_concurrency.py [--rows N]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, str]:
    sys.path.insert(0, str(REPO))
    from pipeline.send.providers.local import bundled_model_path

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(bundled_model_path()),
         "--model_alias", "gpt-4o-mini", "--host", "127.0.0.1", "--port", str(port),
         "--n_ctx", "8192", "--n_threads", str(os.cpu_count() or 2)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    for _ in range(240):
        try:
            with urllib.request.urlopen(url + "/models", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("llama_cpp.server did not start")


def run(work: Path, url: str, rows: int, concurrency: int | None) -> dict[str, object]:
    name = f"c{concurrency or 'adaptive'}"
    out = work / f"{name}.csv"
    command = [sys.executable, "-m", "pipeline", "run", "prompts/product_description.toml",
               "--model", "gpt-4o-mini", "--base-url", url, "--limit", str(rows), "-q",
               "--output", str(out), "--journal", str(work / f"{name}.sqlite")]
    if concurrency:
        command += ["--concurrency", str(concurrency)]
    started = time.monotonic()
    done = subprocess.run(command, cwd=work, capture_output=True, text=True,
                          env={**os.environ, "OPENAI_API_KEY": "local"})
    elapsed = time.monotonic() - started
    with out.open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    latency = [int(r["latency_ms"]) / 1000 for r in table if r["latency_ms"]]
    return {"concurrency": concurrency or "adaptive", "exit": done.returncode,
            "rows_ok": sum(r["status"] == "ok" for r in table),
            "rows_failed": sum(r["status"] == "failed" for r in table),
            "attempts": sum(int(r["attempts"] or 0) for r in table),
            "wall_s": round(elapsed, 1), "rows_per_min": round(len(table) / elapsed * 60, 1),
            "latency_mean_s": round(statistics.mean(latency), 2),
            "latency_max_s": round(max(latency), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=77)
    parser.add_argument("--settings", default="1,2,4,8,adaptive",
                        help="concurrency values to run, comma-separated ('adaptive': none set)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-server-"))
    for folder in ("prompts", "data"):
        shutil.copytree(REPO / folder, work / folder)
    # The example job fixes concurrency = 4 (for the embedded model it is moot); here the
    # adaptive run must have none set.
    job = work / "prompts/product_description.toml"
    job.write_text("\n".join(line for line in job.read_text().splitlines()
                             if not line.startswith("concurrency")) + "\n")
    proc, url = start_server()
    try:
        run(work, url, 2, 1)  # warm the server (model load, first prompt) before measuring
        settings = [None if c == "adaptive" else int(c) for c in args.settings.split(",")]
        results = [run(work, url, args.rows, c) for c in settings]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(json.dumps({"rows": args.rows, "server": "llama-cpp-python (one request at a time)",
                      "results": results}, indent=2))


if __name__ == "__main__":
    main()
