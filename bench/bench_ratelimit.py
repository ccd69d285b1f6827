"""Throughput at the rate limit, 429s, failures, client CPU and memory, against a loopback server.

Each scenario starts the OpenAI-like server of tests/fake_openai.py in its own process (it
enforces RPM/TPM as OpenAI does, sends 429 bodies and x-ratelimit-* headers, adds latency with
jitter and injects 500s, hangs and garbage), writes an input of N distinct rows, runs
`pipeline run` as a separate process, and reports:

- steady throughput: successful answers per minute over the middle 80% of the run, as a share
  of the binding limit;
- 429s as a share of all requests, rows failed (from the output);
- client CPU seconds (user + sys of the `pipeline run` process) per 1,000 requests;
- client peak RSS.

Usage: python bench/bench_ratelimit.py SCENARIO [--rows N]   (scenarios: see SCENARIOS)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# name: (server args, client args, binding limit per minute in requests, default rows)
SCENARIOS: dict[str, dict] = {
    "rpm-minute": {"server": ["--rpm", "3000", "--tpm", "10000000", "--latency", "0.3",
                              "--jitter", "0.1"],
                   "client": ["--set", "rpm=3000", "--set", "tpm=10000000"], "rpm": 3000},
    "rpm-second": {"server": ["--rpm", "3000", "--tpm", "10000000", "--per-second",
                              "--latency", "0.3", "--jitter", "0.1"],
                   "client": ["--set", "rpm=3000", "--set", "tpm=10000000"], "rpm": 3000},
    # ~147 tokens per request (prompt ~47 + max_tokens 100): 300k TPM binds at ~2040 RPM.
    "tpm-second": {"server": ["--rpm", "3000", "--tpm", "300000", "--per-second",
                              "--latency", "0.3", "--jitter", "0.1"],
                   "client": ["--set", "rpm=3000", "--set", "tpm=300000"], "tpm": 300000},
    "learned": {"server": ["--rpm", "3000", "--tpm", "10000000", "--per-second",
                           "--latency", "0.3", "--jitter", "0.1"],
                "client": [], "rpm": 3000},
    "faults": {"server": ["--rpm", "3000", "--tpm", "10000000", "--per-second",
                          "--latency", "0.3", "--jitter", "0.1", "--p500", "0.05",
                          "--phang", "0.01", "--pgarbage", "0.01"],
               "client": ["--timeout", "5", "--max-attempts", "6"], "rpm": 3000},
    "memory": {"server": [], "client": ["--concurrency", "64"], "rpm": None,
               "rows": 200_000},
    "cpu": {"server": [], "client": ["--concurrency", "32"], "rpm": None, "rows": 9000},
}


def write_input(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["sku", "name", "category", "price"])
        for i in range(rows):
            writer.writerow([f"SKU-{i:07d}", f"Product number {i}", ("Tea", "Coffee", "Jam")[i % 3],
                             f"{(i % 97) + 0.5:.2f}"])


TEMPLATE = """{% block system %}You write short product copy.{% endblock %}
{% block user %}Describe {{ name }} ({{ category }}, ${{ price }}) in one sentence for our \
online shop, mentioning the category.{% endblock %}
"""


def run(name: str, rows: int | None, repo: Path | None = None) -> dict:
    """One scenario; `repo`: run `pipeline` from that checkout (PYTHONPATH), to compare trees
    with the same server and input."""
    spec = SCENARIOS[name]
    rows = rows or spec.get("rows", 9000)
    work = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    write_input(work / "in.csv", rows)
    (work / "t.j2").write_text(TEMPLATE, encoding="utf-8")
    server = subprocess.Popen([PYTHON, str(REPO / "tests/fake_openai.py"), *spec["server"]],
                              stdout=subprocess.PIPE, text=True)
    base_url = server.stdout.readline().strip()
    env = dict(os.environ, OPENAI_API_KEY="sk-bench")
    if repo is not None:
        env["PYTHONPATH"] = str(repo.resolve())
    cmd = [PYTHON, "-m", "pipeline", "run", "-q", "-i", str(work / "in.csv"),
           "-t", str(work / "t.j2"), "-o", str(work / "out.csv"), "-m", "gpt-4o-mini",
           "--base-url", base_url, "--id-column", "sku", "--max-tokens", "100",
           *spec["client"]]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=work)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    with urllib.request.urlopen(base_url + "/stats") as response:
        stats = json.load(response)
    server.terminate()
    server.wait()

    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    statuses = {}
    with (work / "out.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    by_status = stats["by_status"]
    total_requests = sum(by_status.values())
    steady_per_min = _steady_rate(stats["ok_times"])
    sent_per_min = _steady_rate(stats["admitted_times"])
    if spec.get("rpm"):
        binding = spec["rpm"]
    elif "tpm" in spec:
        per_request = _tokens_per_request(work)
        binding = spec["tpm"] / per_request
    else:
        binding = None
    return {
        "scenario": name, "rows": rows, "exit": proc.returncode, "wall_s": round(wall, 1),
        "requests": total_requests, "by_status": by_status, "rows_by_status": statuses,
        "steady_per_min": round(steady_per_min, 1),
        "sent_per_min": round(sent_per_min, 1),
        "binding_per_min": None if binding is None else round(binding, 1),
        "share_of_limit": None if binding is None else round(steady_per_min / binding, 4),
        "sent_share_of_limit": None if binding is None else round(sent_per_min / binding, 4),
        "share_429": round(by_status.get("429", 0) / total_requests, 4),
        "client_cpu_s": round(cpu, 2),
        "cpu_s_per_1000": round(cpu / total_requests * 1000, 3),
        "client_peak_rss_mb": round(after.ru_maxrss / 1024, 1),
        "stderr_tail": proc.stderr.strip().splitlines()[-6:],
    }


def _steady_rate(times: list[float]) -> float:
    """Events per minute over the middle 80% of the run (start-up and tail left out)."""
    if len(times) < 10:
        return float("nan")
    times = sorted(times)
    lo, hi = times[len(times) // 10], times[len(times) * 9 // 10]
    return (len(times) * 8 // 10) / (hi - lo) * 60 if hi > lo else float("nan")


def _tokens_per_request(work: Path) -> float:
    with (work / "out.csv").open(encoding="utf-8", newline="") as fh:
        prompts = [int(r["prompt_tokens"]) for r in csv.DictReader(fh) if r["prompt_tokens"]]
    return sum(prompts) / len(prompts) + 100  # the server charges max_tokens too


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--rows", type=int)
    parser.add_argument("--repo", type=Path,
                        help="run pipeline from this checkout instead of this one")
    args = parser.parse_args()
    print(json.dumps(run(args.scenario, args.rows, args.repo), indent=2))


if __name__ == "__main__":
    main()
