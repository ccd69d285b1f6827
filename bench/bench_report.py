"""The HTML report at 20,000 rows: how big, how long to write, how fast it opens and filters.

Runs a 20,000-row job (a length gate flags some rows) against the loopback server, writes its
report with `pipeline report`, then opens it from a file:// URL in headless chromium (Debian's,
through playwright) and times: the page until its table is ready, filtering to flagged rows,
a full-text search, and sorting by cost. Issue 13 asks that the page open and filter in under
2 s; this is where that is measured (not in a timed test).

Usage: python bench/bench_report.py [--rows N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))


def run(*args: str, cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"pipeline {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return time.perf_counter() - started


def wait_for_text(page, selector: str, text: str, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while page.inner_text(selector) != text:
        if time.perf_counter() > deadline:
            raise SystemExit(f"{selector} never said {text!r}")
        time.sleep(0.002)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()

    from fake_openai import FakeOpenAI
    from playwright.sync_api import sync_playwright

    fake = FakeOpenAI().start()
    fake.keep_requests = False
    folder = Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        (folder / "rows.csv").write_text("id,name,category\n" + "".join(
            f"{i},Product {i},Category {i % 7}\n" for i in range(1, args.rows + 1)),
            encoding="utf-8")
        (folder / "describe.j2").write_text("Describe {{ name }} ({{ category }}) for the shop.",
                                            encoding="utf-8")
        (folder / "job.toml").write_text(f"""\
input = "rows.csv"
template = "describe.j2"
output = "out.csv"
id_column = "id"
model = "gpt-4o-mini"
base_url = "{fake.base_url}"
fix_attempts = 0
[checks."*"]
max_chars = 200
""", encoding="utf-8")
        env = {**os.environ, "OPENAI_API_KEY": "sk-bench-not-a-key"}
        run_s = run("run", "job.toml", "-q", cwd=folder, env=env)
        write_s = run("report", "job.toml", "-o", "report.html", cwd=folder, env=env)
        report = folder / "report.html"
        size_mb = report.stat().st_size / 1e6
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync", "--no-first-run"])
            timings: dict[str, list[float]] = {"open": [], "filter": [], "search": [],
                                               "sort": []}
            for _ in range(3):
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                started = time.perf_counter()
                page.goto(report.as_uri())
                page.wait_for_selector("body[data-ready='1']")
                timings["open"].append(time.perf_counter() - started)
                flagged = page.inner_text("[data-testid=count-flagged]")
                started = time.perf_counter()
                page.select_option("#status", "flagged")
                wait_for_text(page, "[data-testid=match-count]",
                              f"{flagged} of {args.rows} rows")
                timings["filter"].append(time.perf_counter() - started)
                page.select_option("#status", "")
                wait_for_text(page, "[data-testid=match-count]", f"{args.rows} rows")
                started = time.perf_counter()
                page.fill("#search", f"product {args.rows // 2} ")
                wait_for_text(page, "[data-testid=match-count]", f"1 of {args.rows} rows")
                timings["search"].append(time.perf_counter() - started)  # incl. 120 ms debounce
                page.fill("#search", "")
                wait_for_text(page, "[data-testid=match-count]", f"{args.rows} rows")
                first = page.inner_text("#rows tbody tr:first-child td:first-child")
                started = time.perf_counter()
                page.select_option("#sort", "cost-desc")
                while page.inner_text("#rows tbody tr:first-child td:first-child") == first:
                    time.sleep(0.002)
                timings["sort"].append(time.perf_counter() - started)
                page.close()
            browser.close()
        print(f"rows: {args.rows}, flagged: {flagged}")
        print(f"run: {run_s:.1f} s; report written in {write_s:.1f} s (process start incl.), "
              f"{size_mb:.1f} MB")
        for name, values in timings.items():
            print(f"{name}: " + ", ".join(f"{v:.2f}" for v in values) + " s "
                  f"(best {min(values):.2f} s)")
    finally:
        fake.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
