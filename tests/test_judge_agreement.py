"""The row judge's agreement with a reviewer's verdicts: in the run's summary, its manifest and
the HTML report, from a real reviewed file read back by `pipeline review`; nothing without
verdicts or without a judge."""

from __future__ import annotations

import csv
import json
import math
import re
from decimal import Decimal
from pathlib import Path

import pytest
from fake_judge import CRITIQUE, FakeJudge
from fake_openai import Recorded, completion_body
from lxml import html as lxml_html

from pipeline.review.agreement import LEAN_AT, JudgeAgreement
from pipeline.review.pairwise import Z_95, wilson_interval

JUDGE = "gpt-4.1-nano"
TEN = "product_id,name,category,unit_price,Unit Note\n" + "".join(
    f"{i},Item {i},Beverages,{i + 10},box\n" for i in range(1, 11))
#: Rows the writer only ever answers briefly (the judge fails them: 1/5 below 3), and a row
#: answered briefly first and at length after the judge's critique (its last verdict passes).
ALWAYS_SHORT = {"Item 7", "Item 8", "Item 9", "Item 10"}
FIXED = "Item 6"
REDO = "A reviewer asked for a new answer"
JUDGE_TOML = f"""
[judge]
model = "{JUDGE}"
[judge.criteria.clear]
question = "Is the description of {{{{ name }}}} clear?"
threshold = 3
"""
#: What the reviewer writes: five of the six answers the judge passed approved (one sent
#: back), one of the four it failed approved, the three others rejected or sent back.
VERDICTS = {"1": "approve", "2": "approve", "3": "approve", "4": "approve", "5": "redo",
            "6": "approve", "7": "approve", "8": "reject", "9": "reject", "10": "redo"}


def writer(request: Recorded) -> dict:
    first = next(m["content"] for m in request.body["messages"] if m["role"] == "user")
    name = re.search(r"Describe (.+?) \(", first).group(1)
    if REDO in request.user_text:
        return completion_body(request, f"{name}, written again: " + " ".join(["new"] * 20))
    short = name in ALWAYS_SHORT or (name == FIXED and CRITIQUE not in request.user_text)
    return completion_body(request, f"{name} brief" if short
                           else f"{name}: " + " ".join(["word"] * 20))


@pytest.fixture
def judged_job(job_file, fake):
    fake.completion = FakeJudge(JUDGE, writer=writer)
    return job_file(JUDGE_TOML, csv=TEN)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def review(run_cli, job: Path, tmp_path: Path, verdicts: dict[str, str]) -> None:
    """What a reviewer does: verdicts in the output's review column, the file read back."""
    rows = read_csv(tmp_path / "outputs/out.csv")
    for row in rows:
        row["review"] = verdicts.get(row["product_id"], "")
        if row["review"] == "redo":
            row["review_note"] = "say more"
    reviewed = tmp_path / "reviewed.csv"
    with reviewed.open("w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, fieldnames=list(rows[0]))
        out.writeheader()
        out.writerows(rows)
    result = run_cli("review", job, reviewed)
    assert result.exit_code == 0, result.output


def manifests(tmp_path: Path) -> list[dict]:
    found = sorted((tmp_path / "outputs").glob("out.run-*.json"),
                   key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [json.loads(p.read_text()) for p in found]


def report_page(run_cli, job: Path, tmp_path: Path):
    result = run_cli("report", job)
    assert result.exit_code == 0, result.output
    return lxml_html.fromstring((tmp_path / "outputs/out.report.html").read_text("utf-8"))


def by_testid(page, name: str):
    found = page.xpath(f'//*[@data-testid="{name}"]')
    return found[0].text_content().strip() if found else None


def test_the_summary_the_manifest_and_the_report_show_the_judges_agreement(
        judged_job, run_cli, fake, api_key, tmp_path):
    first = run_cli("run", judged_job, "-q")
    assert first.exit_code == 1, first.output  # the four brief rows are flagged
    statuses = {r["product_id"]: r["status"] for r in read_csv(tmp_path / "outputs/out.csv")}
    assert [statuses[str(i)] for i in range(1, 11)] == ["ok"] * 6 + ["flagged"] * 4
    assert "judge vs reviewer" not in first.output  # no verdict yet
    review(run_cli, judged_job, tmp_path, VERDICTS)

    second = run_cli("run", judged_job)
    assert second.exit_code in (0, 1), second.output
    # judge pass: 1-4 and 6 approved, 5 sent back; judge fail: 7 approved, 8-10 not.
    low, high = wilson_interval(8, 10)
    assert (f"judge vs reviewer: agrees on 8 of 10 reviewed row(s), 80% (95% interval "
            f"{low:.0%}-{high:.0%}); judge pass: 5 approved, 1 redo/reject; judge fail: "
            "1 approved, 3 redo/reject") in second.output
    more = manifests(tmp_path)[-1]["judge_agreement"]["more_rows"]
    assert more is not None and (f"too few reviewed rows to tell whether the judge agrees with "
                                 f"your reviewer on {LEAN_AT:.0%} of rows or more: about "
                                 f"{more:,} more, agreeing as these do, would show it does"
                                 ) in second.output
    # That many more rows agreeing at 80% put the interval's low end on the bar; one fewer not.
    assert wilson_interval(0.8 * (10 + more), 10 + more)[0] >= LEAN_AT
    assert wilson_interval(0.8 * (9 + more), 9 + more)[0] < LEAN_AT

    recorded = manifests(tmp_path)[-1]["judge_agreement"]
    assert recorded["rows"] == 10 and recorded["agree"] == 8 and recorded["rate"] == 0.8
    assert recorded["interval"] == [round(low, 4), round(high, 4)]
    assert recorded["judge_pass"] == {"approve": 5, "redo_or_reject": 1}
    assert recorded["judge_fail"] == {"approve": 1, "redo_or_reject": 3}
    assert recorded["lean_at"] == LEAN_AT and recorded["advice"] in second.output
    assert "judge_agreement" not in manifests(tmp_path)[0]

    page = report_page(run_cli, judged_job, tmp_path)
    table = page.get_element_by_id("judge-agreement")
    cells = [[c.text_content().strip() for c in tr.xpath("./th|./td")]
             for tr in table.xpath(".//tr")]
    assert cells == [["", "reviewer: approve", "reviewer: redo or reject"],
                     ["judge: pass", "5", "1"], ["judge: fail", "1", "3"]]
    assert by_testid(page, "agreement-rows") == "10"
    assert by_testid(page, "agreement-count") == "8"
    assert by_testid(page, "agreement-rate") == "80%"
    assert by_testid(page, "agreement-interval") == f"{low:.0%}–{high:.0%}"
    assert by_testid(page, "agreement-advice").lower().startswith("too few reviewed rows")


def test_all_agreeing_on_ten_rows_is_not_yet_enough_and_says_how_many_more(
        judged_job, run_cli, fake, api_key, tmp_path):
    assert run_cli("run", judged_job, "-q").exit_code == 1
    agreeing = {str(i): "approve" if i <= 6 else "reject" for i in range(1, 11)}
    review(run_cli, judged_job, tmp_path, agreeing)
    result = run_cli("run", judged_job)
    # All 10 agree: the interval's low end is n / (n + z^2), the bar b from b z^2 / (1 - b).
    more = math.ceil(LEAN_AT * Z_95 ** 2 / (1 - LEAN_AT)) - 10
    assert more > 0
    assert "agrees on 10 of 10 reviewed row(s), 100%" in result.output
    assert (f"about {more} more, agreeing as these do, would show it does"
            in result.output), result.output
    assert manifests(tmp_path)[-1]["judge_agreement"]["more_rows"] == more
    page = report_page(run_cli, judged_job, tmp_path)
    assert f"about {more} more" in by_testid(page, "agreement-advice")


def test_without_verdicts_or_without_a_judge_nothing_is_shown(
        judged_job, run_cli, fake, api_key, tmp_path):
    result = run_cli("run", judged_job)
    page = report_page(run_cli, judged_job, tmp_path)
    assert "judge vs reviewer" not in result.output
    assert "judge_agreement" not in manifests(tmp_path)[-1]
    assert page.xpath('//*[@id="judge-agreement"]') == []
    assert page.xpath('//*[@data-testid="judge-agreement"]') == []
    assert "The judge and your reviewer" not in page.text_content()

    review(run_cli, judged_job, tmp_path, VERDICTS)
    result = run_cli("run", judged_job, "--no-judge")
    assert "judge vs reviewer" not in result.output, result.output
    assert "judge_agreement" not in manifests(tmp_path)[-1]
    judged_job.write_text(judged_job.read_text().split("[judge]")[0])  # the judge taken out
    page = report_page(run_cli, judged_job, tmp_path)
    assert page.xpath('//*[@id="judge-agreement"]') == []
    assert page.xpath('//*[@data-testid="agreement-advice"]') == []


@pytest.mark.parametrize(("table", "starts"), [
    (JudgeAgreement(pass_approve=40, fail_not=10), "the judge agrees with your reviewer on"),
    (JudgeAgreement(pass_approve=10, pass_not=10, fail_approve=10, fail_not=10),
     "the judge disagrees with your reviewer too often"),
    (JudgeAgreement(pass_approve=9, pass_not=1), "too few reviewed rows to tell"),
])
def test_the_advice_follows_the_intervals_place_against_the_bar(table, starts):
    low, high = table.interval
    assert table.advice.startswith(starts)
    # the sentence matches where the interval lies against the bar
    assert (low >= LEAN_AT) == starts.startswith("the judge agrees")
    assert (high < LEAN_AT) == starts.startswith("the judge disagrees")
    more = table.more_rows
    if starts.startswith("too few"):
        assert more is not None and more > 0
        at = table.rate * (table.rows + more)
        before = table.rate * (table.rows + more - 1)
        assert wilson_interval(at, table.rows + more)[0] >= LEAN_AT
        assert wilson_interval(before, table.rows + more - 1)[0] < LEAN_AT
    else:
        assert more == 0


def test_reviewed_rows_keep_the_judges_columns_in_the_output(
        judged_job, run_cli, fake, api_key, tmp_path):
    """An approved (or kept rejected) row shows the answer reviewed, and the judge's verdict on
    it, at no judging cost to the run that only reads it back."""
    assert run_cli("run", judged_job, "-q").exit_code == 1
    before = {r["product_id"]: r for r in read_csv(tmp_path / "outputs/out.csv")}
    review(run_cli, judged_job, tmp_path, VERDICTS)
    assert run_cli("run", judged_job, "-q", "--keep-rejected").exit_code in (0, 1)
    after = {r["product_id"]: r for r in read_csv(tmp_path / "outputs/out.csv")}
    kept = [k for k, v in VERDICTS.items() if v != "redo"]
    assert {after[k]["review"] for k in kept} == {"approved", "rejected"}
    for key in kept:
        assert after[key]["output"] == before[key]["output"]
        assert (after[key]["judge_clear"], after[key]["judge_score"],
                after[key]["judge_reason"]) == (before[key]["judge_clear"],
                                                before[key]["judge_score"],
                                                before[key]["judge_reason"]), key
        assert after[key]["judge_score"] and Decimal(after[key]["judge_cost_usd"]) == 0


def test_each_variant_counts_even_when_two_answered_alike_and_were_judged_once(
        job_file, run_cli, fake, api_key, tmp_path):
    """Two models answering a row word for word alike are judged once (one verdict, recorded
    under the first's request); both variants' verdicts still count, each against it."""
    fake.completion = FakeJudge(JUDGE, writer=writer)
    job = job_file('models = ["gpt-4o-mini", "gpt-4.1-mini"]\nvariants_layout = "wide"\n'
                   + JUDGE_TOML, csv=TEN)
    assert run_cli("run", job, "-q").exit_code == 1
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert all(r["output@gpt-4o-mini"] == r["output@gpt-4.1-mini"] for r in rows)
    for row in rows:  # the reviewer approves what the judge passed, rejects the rest
        for label in ("gpt-4o-mini", "gpt-4.1-mini"):
            row[f"review@{label}"] = ("approve" if row[f"status@{label}"] == "ok"
                                      else "reject")
    reviewed = tmp_path / "reviewed.csv"
    with reviewed.open("w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, fieldnames=list(rows[0]))
        out.writeheader()
        out.writerows(rows)
    assert run_cli("review", job, reviewed).exit_code == 0
    result = run_cli("run", job)
    assert "agrees on 20 of 20 reviewed row(s), 100%" in result.output, result.output
    assert manifests(tmp_path)[-1]["judge_agreement"]["judge_fail"] == {
        "approve": 0, "redo_or_reject": 8}


def test_agreeing_exactly_at_the_bar_no_number_of_rows_settles_it():
    table = JudgeAgreement(pass_approve=2, fail_not=1, pass_not=1)  # 3 of 4: 75%
    assert table.rate == LEAN_AT and table.more_rows is None
    assert table.advice.endswith("review more")
