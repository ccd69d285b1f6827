"""The HTML report in a real browser (issue 13, points 1 and 4): Debian's chromium, headless,
driven by playwright, opens the report of a run with ok, flagged and failed rows, two model
variants and a two-step chain, from a file:// URL. What a reviewer sees is asserted: the
counts, filtering to flagged rows, search, sort, a reply holding markup shown as text and never
run, and not one request leaving the page. A screenshot is kept in tests/artifacts/."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import PRODUCTS_CSV, TEST_KEY
from fake_openai import Recorded, Reply, completion_body

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).parent / "artifacts"
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("CI") != "true",
    reason="needs Debian's chromium (.ci/run installs it)")
MORE = ("4,Chef Anton's Cajun Seasoning,Condiments,22,48 - 6 oz jars\n"
        "5,Grandma's Boysenberry Spread,Condiments,25,12 - 8 oz jars\n"
        "6,Uncle Bob's Organic Dried Pears,Produce,30,12 - 1 lb pkgs.\n")
SCRIPT = "<script>window.pwned = 1</script>"
IMG = '<img src="x" onerror="window.pwned = 2">'


def answer(request: Recorded) -> dict:
    text = next(m["content"] for m in request.body["messages"] if m["role"] == "user")
    if text.startswith("Translate"):
        source = re.search(r": (.*)\n", text).group(1)
        return completion_body(request, json.dumps({"de": f"DE {source}", "fr": f"FR {source}"}))
    name = re.search(r"Describe (.+?) \(", text).group(1)
    if name == "Chai":
        return completion_body(request, json.dumps(
            {"title": f"Chai {SCRIPT}", "meta_description": f"{IMG} Buy Chai now."}))
    if name == "Chang":  # always too long for max_chars 155: flagged after its corrections
        return completion_body(request, json.dumps(
            {"title": "Chang", "meta_description": "Chang lager, brewed slowly. " * 12}))
    return completion_body(request, json.dumps(
        {"title": f"{name}!", "meta_description": f"Buy {name} now. " * (len(name) % 2 + 1)}))


@pytest.fixture
def report(chain_job, run_cli, fake, api_key, tmp_path) -> Path:
    fake.completion = answer
    fake.on("Describe Aniseed Syrup", *[Reply.error(400, "this prompt is refused")] * 2)
    job = chain_job('models = ["gpt-4o-mini", "gpt-4.1-mini"]\n',
                    csv=PRODUCTS_CSV + MORE)
    result = run_cli("run", job, "-q", "--report")
    assert result.exit_code == 1, result.output
    path = tmp_path / "outputs" / "out.report.html"
    assert f"report: {path}" in result.output
    return path


@dataclass
class Opened:
    page: Any
    requests: list[str]
    errors: list[str]


@pytest.fixture
def opened(report: Path) -> Iterator[Opened]:
    """The report open in headless chromium (started after the run: playwright's sync API
    holds an event loop, which the run's own must not meet)."""
    with open_in_chromium(report) as seen:
        yield seen


@contextmanager
def open_in_chromium(report: Path) -> Iterator[Opened]:
    """A report file open in headless chromium, its requests and script errors recorded."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM or "/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        seen = Opened(page, [], [])
        page.on("request", lambda r: seen.requests.append(r.url))
        page.on("pageerror", lambda e: seen.errors.append(str(e)))
        page.goto(report.as_uri())
        page.wait_for_selector("body[data-ready='1']")
        yield seen
        browser.close()


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def visible_ids(page) -> list[str]:
    return page.eval_on_selector_all("#rows tbody tr", "rows => rows.map(r => r.dataset.id)")


@needs_chromium
def test_the_report_shows_counts_filters_and_never_runs_a_reply(opened, report):
    html = report.read_text(encoding="utf-8")
    assert TEST_KEY not in html
    assert not re.search(r"""\s(src|href)\s*=\s*["']?(https?:)?//""", html)  # nothing remote
    page, requests, errors = opened.page, opened.requests, opened.errors
    # 6 rows x 2 model variants: Chang flagged and Aniseed Syrup failed in both.
    counts = {k: page.inner_text(f"[data-testid=count-{k}]")
              for k in ("total", "ok", "flagged", "failed", "notdone")}
    assert counts == {"total": "6", "ok": "8", "flagged": "2", "failed": "2",
                      "notdone": "0"}
    assert visible_ids(page) == ["1", "2", "3", "4", "5", "6"]
    header = page.eval_on_selector_all("#rows thead th", "ths => ths.map(t => t.innerText)")
    assert "draft.title @ gpt-4o-mini" in header and "translate.fr @ gpt-4.1-mini" in header

    page.select_option("#status", "flagged")
    assert visible_ids(page) == ["2"]
    assert page.inner_text("[data-testid=match-count]") == "1 of 6 rows"
    page.select_option("#status", "failed")
    assert visible_ids(page) == ["3"]
    page.select_option("#status", "")
    reasons = page.eval_on_selector_all("#reason option", "os => os.map(o => o.value)")
    limit = next(r for r in reasons if "characters; the limit is" in r)
    page.select_option("#reason", limit)
    assert visible_ids(page) == ["2"]
    page.select_option("#reason", "")

    page.fill("#search", "boysenberry")
    expect(page.locator("#rows tbody tr")).to_have_count(1)
    assert visible_ids(page) == ["5"]
    page.fill("#search", "")
    expect(page.locator("#rows tbody tr")).to_have_count(6)

    page.select_option("#sort", "len-desc")
    assert visible_ids(page)[0] == "2"  # Chang's long descriptions

    # The reply's markup is text on the page, and none of it ran.
    assert page.locator("td", has_text=SCRIPT).count() >= 1
    assert page.locator("td", has_text=IMG).count() >= 1
    assert page.evaluate("window.pwned") is None
    assert page.locator("#rows img").count() == 0

    ARTIFACTS.mkdir(exist_ok=True)
    page.select_option("#sort", "")
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=False)
    if os.environ.get("PIPELINE_README_SCREENSHOT"):
        page.screenshot(path=str(Path(__file__).parent.parent / "docs" / "report.png"))
    assert errors == []
    assert requests == [report.as_uri()]  # the page itself, and nothing else


@needs_chromium
def test_long_texts_fold_and_unfold_on_click(opened):
    page = opened.page
    page.select_option("#status", "flagged")
    before = page.locator("#rows tbody .fold").count()
    assert before == 2  # Chang's long description, in each variant
    fold = page.query_selector("#rows tbody .fold")
    folded = fold.bounding_box()["height"]
    fold.click()
    assert page.locator("#rows tbody .fold").count() == before - 1
    assert fold.bounding_box()["height"] > folded


def test_report_of_a_chosen_run_and_its_errors(chain_job, run_cli, fake, api_key, tmp_path):
    fake.completion = answer
    job = chain_job()
    missing = run_cli("report", job)
    assert missing.exit_code == 2 and "run the job first" in missing.output
    assert run_cli("run", job, "-q").exit_code == 1  # Chang is flagged
    assert run_cli("run", job, "-q").exit_code == 1
    result = run_cli("report", job, "--run", "1", "-o", tmp_path / "r1.html")
    assert result.exit_code == 0, result.output
    first = (tmp_path / "r1.html").read_text(encoding="utf-8")
    assert "run 1" in first and "not recorded" in first  # no --report: no estimate kept
    second = run_cli("report", job, "-o", tmp_path / "latest.html")
    assert "run 2" in (tmp_path / "latest.html").read_text(encoding="utf-8"), second.output
    unknown = run_cli("report", job, "--run", "9")
    assert unknown.exit_code == 2 and "no run 9" in unknown.output
    bad = run_cli("report", job, "--set", 'report_columns=["nope"]')
    assert bad.exit_code == 2 and "no such input column(s): nope" in bad.output


def test_the_report_shows_verdicts_and_leaves_rejected_rows_out(job_file, run_cli, fake,
                                                                 api_key, tmp_path):
    """After `pipeline review`, the report marks approved rows and leaves rejected ones out,
    as the output does."""
    import csv as csv_module

    job = job_file(csv=PRODUCTS_CSV + MORE)
    assert run_cli("run", job, "-q").exit_code == 0
    out = tmp_path / "outputs" / "out.csv"
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv_module.DictReader(fh))
    rows[0]["review"], rows[0]["review_note"] = "approve", "lovely"
    rows[1]["review"] = "reject"
    with (tmp_path / "reviewed.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv_module.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert run_cli("review", job, tmp_path / "reviewed.csv").exit_code == 0
    result = run_cli("report", job, "-o", tmp_path / "r.html")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="data">(.*?)</script>',
                                html, re.S).group(1))
    assert [r["id"] for r in data["rows"]] == ["1", "3", "4", "5", "6"]  # 2 was rejected
    review = [c["label"] for c in data["columns"]].index("review")
    assert data["rows"][0]["cells"][review] == "approved (lovely)"
    assert data["rows"][1]["cells"][review] == ""


@needs_chromium
def test_the_judges_agreement_with_a_reviewer_renders_above_the_rows(job_file, run_cli, fake,
                                                                     api_key, tmp_path):
    """The judge-vs-reviewer section (tests/test_judge_agreement.py checks its numbers) in
    chromium: shown, its table laid out, the rows table still built, nothing fetched."""
    from fake_judge import FakeJudge
    from test_judge_agreement import JUDGE, JUDGE_TOML, TEN, VERDICTS, review, writer

    fake.completion = FakeJudge(JUDGE, writer=writer)
    judged_job = job_file(JUDGE_TOML, csv=TEN)
    assert run_cli("run", judged_job, "-q").exit_code == 1
    review(run_cli, judged_job, tmp_path, VERDICTS)
    assert run_cli("report", judged_job).exit_code == 0
    with open_in_chromium(tmp_path / "outputs" / "out.report.html") as opened:
        page = opened.page
        section = page.locator("[data-testid=judge-agreement]")
        expect(section).to_be_visible()
        cells = page.eval_on_selector_all(
            "#judge-agreement tr", "rs => rs.map(r => [...r.cells].map(c => c.innerText))")
        assert cells == [["", "reviewer: approve", "reviewer: redo or reject"],
                         ["judge: pass", "5", "1"], ["judge: fail", "1", "3"]]
        assert page.inner_text("[data-testid=agreement-rate]") == "80%"
        advice = page.locator("[data-testid=agreement-advice]")
        expect(advice).to_be_visible()
        assert advice.inner_text().startswith("Too few reviewed rows to tell")
        # Above the rows, which are still built and paged (10 rows, 2 rejected left out).
        assert section.bounding_box()["y"] < page.locator("#rows").bounding_box()["y"]
        assert len(visible_ids(page)) == 8
        assert opened.errors == []
        assert all(url.startswith("file://") for url in opened.requests), opened.requests
