"""Estimate against reality, and the budget cap in numbers, against the loopback server.

1. A 1,000-row job with max_tokens 40: a 100-row trial run, then `pipeline estimate`, then the
   full run; the estimate's expected cost is compared with what the rest really cost.
2. The same job with a budget of 30% of its cost: spent vs budget, exit code; then a rerun
   with a larger budget: what it sent, and whether any request was sent twice overall.

Usage: python bench/bench_estimate.py [--rows N]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_ratelimit import PYTHON, REPO, TEMPLATE, write_input

TRIAL = 100  # rows in the trial run whose answers give the expected completion length


def pipeline(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, OPENAI_API_KEY="sk-bench")
    return subprocess.run([PYTHON, "-m", "pipeline", *args], env=env, cwd=cwd,
                          capture_output=True, text=True)


def cost_this_run(path: Path) -> Decimal:
    with path.open(encoding="utf-8", newline="") as fh:
        return sum((Decimal(r["cost_usd"]) for r in csv.DictReader(fh)
                    if r["cost_usd"] and r["cached"] == "no"), Decimal(0))


def requests_seen(base_url: str) -> int:
    with urllib.request.urlopen(base_url + "/stats") as response:
        return sum(json.load(response)["by_status"].values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-estimate-"))
    write_input(work / "in.csv", args.rows)
    (work / "t.j2").write_text(TEMPLATE, encoding="utf-8")
    server = subprocess.Popen([PYTHON, str(REPO / "tests/fake_openai.py")],
                              stdout=subprocess.PIPE, text=True)
    base_url = server.stdout.readline().strip()
    common = ["-i", "in.csv", "-t", "t.j2", "-m", "gpt-4o-mini", "--base-url", base_url,
              "--id-column", "sku", "--max-tokens", "40"]
    report: dict[str, object] = {"rows": args.rows}
    try:
        trial = pipeline("run", "-q", *common, "-o", "est.csv", "--limit", str(TRIAL), cwd=work)
        assert trial.returncode in (0, 1), trial.stderr  # 1: answers cut at max_tokens are flagged
        estimate = pipeline("estimate", *common, "-o", "est.csv", cwd=work)
        assert estimate.returncode == 0, estimate.stderr
        lines = dict(line.split(": ", 1) for line in estimate.stdout.splitlines())
        expected = Decimal(lines["cost"].split()[0].lstrip("$"))
        full = pipeline("run", "-q", *common, "-o", "est.csv", cwd=work)
        assert full.returncode in (0, 1), full.stderr
        actual = cost_this_run(work / "est.csv")
        report["estimate"] = {
            "trial_rows": TRIAL, "estimate_output": estimate.stdout.splitlines(),
            "expected_usd": str(expected), "actual_usd": str(actual),
            "error_pct": round(float((expected - actual) / actual * 100), 2),
        }

        before = requests_seen(base_url)
        budget = (actual * Decimal("0.3")).quantize(Decimal("0.000001"))
        other = ["-o", "budget.csv", "--journal", "budget.journal.sqlite"]
        capped = pipeline("run", "-q", *common, *other, "--budget", str(budget), cwd=work)
        spent = cost_this_run(work / "budget.csv")
        sent_capped = requests_seen(base_url) - before
        rest = pipeline("run", "-q", *common, *other, "--budget", "10", cwd=work)
        sent_total = requests_seen(base_url) - before
        report["budget"] = {
            "budget_usd": str(budget), "spent_usd": str(spent), "exit": capped.returncode,
            "stop_line": [ln for ln in capped.stderr.splitlines() if "budget" in ln],
            "requests_until_stop": sent_capped, "rerun_exit": rest.returncode,
            "requests_in_both_runs": sent_total, "rows": args.rows,
        }
    finally:
        server.terminate()
        server.wait()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
