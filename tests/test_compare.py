"""`pipeline compare`: a judge asked in both orders per row and pair, over the journal's answers,
through the official client to the loopback server's deterministic pairwise judge."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import textwrap
import time
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fake_openai import Faults, completion_body
from fake_pairwise_judge import PairwiseJudge, is_judge_request

from pipeline.config import load_job
from pipeline.jobs.run import run_job
from pipeline.review.pairwise import Tally, outcome, wilson_interval

MARKER = "SPLENDID"
ROWS = 12
CSV = "product_id,name,category\n" + "".join(
    f"{i},Product {i},{'Beverages' if i % 2 else 'Condiments'}\n" for i in range(1, ROWS + 1))
#: Prompt version a, and b, which asks for the marker word (the echoing writer says it back).
TEMPLATE_A = "Describe {{ name }} ({{ category }}) for the shop."
TEMPLATE_B = MARKER + " Describe {{ name }} ({{ category }}) for the shop, warmly."


@pytest.fixture
def compare_job(write, fake, api_key):
    """A job with two prompt versions (a, b) over 12 rows, priced, on the loopback server."""

    def _job(extra: str = "", *, templates: str = '["a.j2", "b.j2"]', csv: str = CSV,
             tables: str = "") -> Path:
        write("data/products.csv", csv)
        write("prompts/a.j2", TEMPLATE_A)
        write("prompts/b.j2", TEMPLATE_B)
        write("prompts/c.j2", MARKER + " " + MARKER + " Describe {{ name }} in detail.")
        return write("prompts/versions.toml", f"""\
            input = "../data/products.csv"
            templates = {templates}
            output = "../outputs/out.csv"
            id_column = "product_id"
            model = "gpt-4o-mini"
            base_url = "{fake.base_url}"
            concurrency = 4
            timeout = 5
            """ + textwrap.dedent(extra) + """
            [prices]
            input = 1
            output = 2
            """ + textwrap.dedent(tables))

    return _job


def _judge_requests(fake) -> list:
    return [r for r in fake.requests if is_judge_request(r)]


def _ran(run_cli, fake, job: Path, *args: str) -> None:
    result = run_cli("run", job, "-q", *args)
    assert result.exit_code == 0, result.output


def _compare(run_cli, job: Path, *args: str) -> tuple[int, dict]:
    result = run_cli("compare", job, "-q", "--json", *args)
    return result.exit_code, json.loads(result.stdout)


# -- the arithmetic ----------------------------------------------------------------------------
@pytest.mark.parametrize(("successes", "n", "low", "high"), [
    # Newcombe (1998), "Two-sided confidence intervals for the single proportion", Statistics
    # in Medicine 17:857-872, Table II, method 3 (the Wilson score interval, no correction).
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
    (29, 29, 0.8830, 1.0),
])
def test_wilson_interval_matches_the_textbook(successes, n, low, high):
    got = wilson_interval(successes, n)
    assert got == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


def test_a_win_needs_both_orders_and_a_tie_counts_half():
    assert outcome("2", "1") == "win"  # B preferred with A shown first and with B shown first
    assert outcome("1", "2") == "loss"
    assert outcome("1", "1") == "tie"  # each order preferred the answer it showed first
    assert outcome("2", "2") == "tie"
    assert outcome("tie", "1") == "tie"
    tally = Tally(wins=6, ties=4, losses=0)
    assert tally.win_rate == pytest.approx(0.8)
    assert tally.interval == wilson_interval(8, 10)
    assert Tally(wins=5, ties=0, losses=5).detectable is False
    assert Tally(wins=12, ties=0, losses=0).detectable is True


# -- the command -------------------------------------------------------------------------------
def test_a_judge_that_always_picks_the_first_answer_gives_ties_not_wins(
        run_cli, fake, compare_job):
    job = compare_job()
    _ran(run_cli, fake, job)
    fake.completion = PairwiseJudge(marker=MARKER, first_bias=1.0)
    code, found = _compare(run_cli, job, "--judge", "gpt-4.1-mini")
    assert code == 0
    (pair,) = found["pairs"]
    assert (pair["a"], pair["b"]) == ("a", "b")
    assert (pair["wins"], pair["ties"], pair["losses"]) == (0, ROWS, 0)
    assert pair["win_rate"] == 0.5 and pair["difference_detectable"] is False
    judged = _judge_requests(fake)
    assert len(judged) == 2 * ROWS  # both orders of every row
    assert {r.body["model"] for r in judged} == {"gpt-4.1-mini"}
    text = run_cli("compare", job, "-q", "--judge", "gpt-4.1-mini").output
    assert "no difference detectable at this sample size" in text


def test_a_real_preference_wins_with_an_interval_that_leaves_out_half(
        run_cli, fake, compare_job):
    job = compare_job()
    _ran(run_cli, fake, job)
    fake.completion = PairwiseJudge(marker=MARKER)
    result = run_cli("compare", job, "-q", "--judge", "gpt-4.1-mini")
    assert result.exit_code == 0, result.output
    assert f"b wins {ROWS}, ties 0, loses 0 of {ROWS} row(s)" in result.output
    assert "b is better than a beyond chance" in result.output
    _, found = _compare(run_cli, job, "--judge", "gpt-4.1-mini")
    (pair,) = found["pairs"]
    assert pair["wins"] == ROWS and pair["interval_95"][0] > 0.5
    assert pair["interval_95"] == pytest.approx(list(wilson_interval(ROWS, ROWS)))
    per_row = pair["per_row"]
    # b's prompt is longer: more prompt tokens per row, at its own cost, from the journal.
    assert per_row["b"]["prompt_tokens"] > per_row["a"]["prompt_tokens"]
    assert float(per_row["a"]["cost_usd"]) > 0 and float(per_row["judge"]["cost_usd"]) > 0
    # What the judge was shown: the row's columns, the writer's prompt, both answers, and
    # a JSON schema for its reply.
    first = _judge_requests(fake)[0]
    assert "- name: Product" in first.user_text and "Describe Product" in first.user_text
    assert "=== Answer 2 ===" in first.user_text
    assert first.body["response_format"]["type"] == "json_schema"


def test_a_biased_judge_with_a_real_preference_still_never_loses(run_cli, fake, compare_job):
    job = compare_job()
    _ran(run_cli, fake, job)
    fake.completion = PairwiseJudge(marker=MARKER, first_bias=0.5)
    _, found = _compare(run_cli, job, "--judge", "gpt-4.1-mini")
    (pair,) = found["pairs"]
    assert pair["losses"] == 0 and pair["wins"] + pair["ties"] == ROWS
    assert 0 < pair["wins"] < ROWS  # the bias turned some wins into ties, no more


def test_a_rerun_buys_no_judgement_twice(run_cli, fake, compare_job):
    job = compare_job()
    _ran(run_cli, fake, job)
    fake.completion = PairwiseJudge(marker=MARKER)
    _, first = _compare(run_cli, job, "--judge", "gpt-4.1-mini")
    asked = len(fake.requests)
    assert first["judgements"]["sent"] == 2 * ROWS
    _, again = _compare(run_cli, job, "--judge", "gpt-4.1-mini")
    assert len(fake.requests) == asked  # nothing sent
    assert again["judgements"] == {**first["judgements"], "sent": 0, "reused": 2 * ROWS,
                                   "cost_usd": "0"}
    assert again["pairs"] == first["pairs"]
    # the writer's run afterwards still reuses every answer and writes its output
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0 and len(fake.requests) == asked


def test_sample_judges_a_seeded_sample_of_rows(run_cli, fake, compare_job):
    job = compare_job()
    _ran(run_cli, fake, job)
    fake.completion = PairwiseJudge(marker=MARKER)
    _, found = _compare(run_cli, job, "--judge", "gpt-4.1-mini", "--sample", "3")
    assert found["rows"] == 3
    judged = _judge_requests(fake)
    assert len(judged) == 6
    # 3 wins of 3: the interval (44% to 100%) holds 50%
    assert found["pairs"][0]["wins"] == 3 and not found["pairs"][0]["difference_detectable"]
    rows = {line.split(": ", 1)[1] for r in judged for line in r.user_text.splitlines()
            if line.startswith("- name: ")}
    _, same = _compare(run_cli, job, "--judge", "gpt-4.1-mini", "--sample", "3")
    assert same["pairs"] == found["pairs"]
    assert len(_judge_requests(fake)) == 6  # the same rows again: all in the journal
    _compare(run_cli, job, "--judge", "gpt-4.1-mini", "--sample", "3", "--sample-seed", "9")
    later = {line.split(": ", 1)[1] for r in _judge_requests(fake)[6:]
             for line in r.user_text.splitlines() if line.startswith("- name: ")}
    assert later and later != rows  # another seed, other rows


def test_estimate_prices_the_judgements_and_sends_nothing(run_cli, fake, compare_job,
                                                          monkeypatch):
    job = compare_job()
    _ran(run_cli, fake, job)
    asked = len(fake.requests)
    monkeypatch.delenv("OPENAI_API_KEY")  # no key needed to price
    result = run_cli("compare", job, "--judge", "gpt-4.1-mini", "--estimate")
    assert result.exit_code == 0, result.output
    assert len(fake.requests) == asked
    assert f"judge requests to send: {2 * ROWS} " in result.output
    assert "cost of judging: $" in result.output
    assert "assuming each uses max_tokens (300)" in result.output
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    fake.completion = PairwiseJudge(marker=MARKER)
    _compare(run_cli, job, "--judge", "gpt-4.1-mini", "--sample", "5")
    after = run_cli("compare", job, "--judge", "gpt-4.1-mini", "--estimate", "--json")
    found = json.loads(after.stdout)
    assert (found["requests"], found["reused"]) == (2 * (ROWS - 5), 10)
    assert found["basis"] == "mean of 10 earlier judgement(s) by gpt-4.1-mini"


def test_a_budget_stops_with_exit_3_and_the_next_run_buys_only_the_rest(
        run_cli, fake, compare_job):
    job = compare_job()
    _ran(run_cli, fake, job)
    fake.completion = PairwiseJudge(marker=MARKER)
    # A judgement reserves its prompt plus 300 completion tokens (about 1,000 micro-dollars
    # at these prices): a budget for a few of them.
    result = run_cli("compare", job, "-q", "--judge", "gpt-4.1-mini", "--budget", "0.004")
    assert result.exit_code == 3, result.output
    assert "stopped:" in result.output and "budget" in result.output
    first = len(_judge_requests(fake))
    assert 0 < first < 2 * ROWS
    code, found = _compare(run_cli, job, "--judge", "gpt-4.1-mini")
    assert code == 0
    assert len(_judge_requests(fake)) == 2 * ROWS  # none bought twice
    assert found["judgements"]["reused"] == first and found["pairs"][0]["wins"] == ROWS


def test_a_job_without_variants_is_refused_with_what_to_do(run_cli, fake, compare_job):
    job = compare_job(templates='["a.j2"]')
    _ran(run_cli, fake, job)
    asked = len(fake.requests)
    result = run_cli("compare", job, "--judge", "gpt-4.1-mini")
    assert result.exit_code == 2
    assert "one variant" in result.output and "templates = " in result.output
    assert "models = " in result.output and "candidates" in result.output
    assert len(fake.requests) == asked


def test_no_judge_is_refused_saying_how_to_give_one(run_cli, fake, compare_job):
    job = compare_job()
    _ran(run_cli, fake, job)
    asked = len(fake.requests)
    result = run_cli("compare", job)
    assert result.exit_code == 2
    assert "--judge MODEL" in result.output and "[judge]" in result.output
    assert len(fake.requests) == asked


def test_the_judge_table_with_its_own_endpoint_and_key(run_cli, fake, compare_job,
                                                       monkeypatch):
    job = compare_job(tables=f"""
        [judge]
        model = "judge-model"
        base_url = "{fake.base_url}/"
        api_key_env = "JUDGE_KEY"
        prices = {{ input = 5, output = 5 }}
        """)
    _ran(run_cli, fake, job, "--no-judge")  # the run would rate its answers too
    fake.completion = PairwiseJudge(marker=MARKER)
    refused = run_cli("compare", job)
    assert refused.exit_code == 2 and "JUDGE_KEY" in refused.output  # its key is not set
    monkeypatch.setenv("JUDGE_KEY", "sk-judge-key")
    code, found = _compare(run_cli, job)
    assert code == 0 and found["judge"] == "judge-model" and found["pairs"][0]["wins"] == ROWS
    judged = _judge_requests(fake)
    assert {r.headers.get("authorization") for r in judged} == {"Bearer sk-judge-key"}
    # --judge replaces the table's model, keeping its endpoint and key; --no-judge drops it
    code, found = _compare(run_cli, job, "--judge", "other-judge", "--sample", "2")
    assert code == 0 and found["judge"] == "other-judge"
    other = [r for r in _judge_requests(fake) if r.body["model"] == "other-judge"]
    assert len(other) == 4
    assert {r.headers.get("authorization") for r in other} == {"Bearer sk-judge-key"}
    dropped = run_cli("compare", job, "--no-judge")
    assert dropped.exit_code == 2 and "--judge MODEL" in dropped.output


def test_rows_without_both_answers_are_counted_and_the_job_run_first(run_cli, fake,
                                                                     compare_job):
    job = compare_job()
    _ran(run_cli, fake, job, "--rows", "1,2,3,4")
    fake.completion = PairwiseJudge(marker=MARKER)
    result = run_cli("compare", job, "-q", "--judge", "gpt-4.1-mini")
    assert result.exit_code == 1, result.output
    assert f"not compared: {ROWS - 4} row(s) lack an answer" in result.output
    assert "run the job first" in result.output
    assert len(_judge_requests(fake)) == 8


def test_export_after_compare_is_the_export_of_the_jobs_last_run(run_cli, fake, compare_job,
                                                                 tmp_path):
    """A comparison is journaled as a run of its own kind: `pipeline export` afterwards still
    takes the job's last run, so its answers are not shown as reused and a dated output path
    gets that run's date and number, not the comparison's."""
    job = compare_job()
    job.write_text(job.read_text().replace('"../outputs/out.csv"',
                                           '"../outputs/{date}/out-{run_id}.csv"'))
    run_job(load_job(job), progress=False, started_at=datetime(2026, 11, 23, 6, 0))
    written = tmp_path / "outputs" / "2026-11-23" / "out-1.csv"
    assert run_cli("export", job).exit_code == 0
    before = written.read_text(encoding="utf-8")
    assert run_cli("export", job, "--output", tmp_path / "fixed.json").exit_code == 0
    fixed = json.loads((tmp_path / "fixed.json").read_text(encoding="utf-8"))
    assert [r["cached"] for r in fixed] == [False] * 2 * ROWS  # the run's own answers
    written.unlink()
    fake.completion = PairwiseJudge(marker=MARKER)
    code, found = _compare(run_cli, job, "--judge", "gpt-4.1-mini")
    assert code == 0 and found["judgements"]["sent"] == 2 * ROWS
    result = run_cli("export", job)
    assert result.exit_code == 0, result.output
    assert written.read_text(encoding="utf-8") == before
    assert run_cli("export", job, "--output", tmp_path / "fixed.json").exit_code == 0
    assert json.loads((tmp_path / "fixed.json").read_text(encoding="utf-8")) == fixed
    assert sorted(p.name for p in (tmp_path / "outputs").rglob("*.csv")) == [
        "out-1.csv", "out-latest.csv"]  # nothing written under the comparison's number
    # The next run of the job is numbered after the comparison, and is the one exported.
    run_job(load_job(job), progress=False, started_at=datetime(2026, 11, 24, 6, 0))
    again = tmp_path / "outputs" / "2026-11-24" / "out-3.csv"
    again.unlink()
    assert run_cli("export", job).exit_code == 0 and again.exists()


def test_without_a_journal_compare_says_to_run_the_job_first(run_cli, fake, compare_job):
    job = compare_job()
    result = run_cli("compare", job, "--judge", "gpt-4.1-mini")
    assert result.exit_code == 2 and "run the job first" in result.output
    assert fake.requests == []


def test_identical_answers_tie_without_asking(run_cli, fake, compare_job):
    job = compare_job("candidates = 2\n", templates='["a.j2"]')
    _ran(run_cli, fake, job)  # the echoing writer answers both candidates alike
    fake.completion = PairwiseJudge(marker=MARKER)
    code, found = _compare(run_cli, job, "--judge", "gpt-4.1-mini")
    assert code == 0 and found["pairs"][0]["ties"] == ROWS
    assert _judge_requests(fake) == []


def test_three_variants_are_compared_in_every_pair(run_cli, fake, compare_job):
    job = compare_job(templates='["a.j2", "b.j2", "c.j2"]')
    _ran(run_cli, fake, job)
    fake.completion = PairwiseJudge(marker=MARKER)
    _, found = _compare(run_cli, job, "--judge", "gpt-4.1-mini", "--sample", "4")
    assert [(p["b"], p["a"]) for p in found["pairs"]] == [("b", "a"), ("c", "a"), ("c", "b")]
    assert found["pairs"][0]["wins"] == 4 and found["pairs"][1]["wins"] == 4
    assert len(_judge_requests(fake)) == 3 * 4 * 2


class _Tables(HTMLParser):
    """Each table's rows of cell texts, by data-testid."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = dict(attrs).get("data-testid")
            self.tables.setdefault(self._table or "", [])
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_the_report_holds_the_table_and_the_rows_that_differ_most(run_cli, fake, write,
                                                                  compare_job):
    csv = CSV.replace("Product 3,", "<script>alert(1)</script>,")
    job = compare_job(csv=csv)
    _ran(run_cli, fake, job)
    fake.completion = PairwiseJudge(marker=MARKER)
    result = run_cli("compare", job, "-q", "--judge", "gpt-4.1-mini", "--report")
    assert result.exit_code == 0, result.output
    page = Path("outputs/versions.compare.html")
    assert f"report: {page.resolve()}" in result.output
    html = page.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html  # model and input text escaped
    tables = _Tables()
    tables.feed(html)
    head, row = tables.tables["comparison"]
    cells = dict(zip(head, row, strict=True))
    assert cells["pair (B vs A)"] == "b vs a"
    assert (cells["B wins"], cells["ties"], cells["B loses"]) == (str(ROWS), "0", "0")
    assert cells["B's win rate"] == "100.0%"
    low, _ = wilson_interval(ROWS, ROWS)
    assert cells["95% interval"] == f"{low:.1%} – 100.0%"
    assert cells["verdict"] == "b better beyond chance"
    disagree = tables.tables["disagree"]
    assert len(disagree) == 1 + ROWS and all(r[1] == "win" for r in disagree[1:])
    assert all(MARKER in r[3] and r[4].startswith("b: only one answer") for r in disagree[1:])
    # No reviewer's verdicts: no section on them, in the page, the printout or the JSON.
    assert "reviewer" not in tables.tables and "against the reviewer" not in html
    assert "reviewer" not in result.output
    _, found = _compare(run_cli, job, "--judge", "gpt-4.1-mini")
    assert found["pairs"][0]["reviewer"] is None


# -- the judge against a reviewer --------------------------------------------------------------
def _review(run_cli, job: Path, tmp_path: Path, verdicts: dict[tuple[str, str], str]) -> None:
    """What a reviewer does: the job's output (one row per product and variant, with its
    review columns), verdicts written beside some, read back with `pipeline review`."""
    with (tmp_path / "outputs" / "out.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["review"] = verdicts.get((row["product_id"], row["variant"]), "")
        row["review_note"] = "Warmer, please." if row["review"] == "redo" else ""
    reviewed = tmp_path / "reviewed.csv"
    with reviewed.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = run_cli("review", job, reviewed)
    assert result.exit_code == 0, result.output


def test_the_judge_is_measured_against_the_reviewers_verdicts(run_cli, fake, compare_job,
                                                              tmp_path):
    """The reviewer approved b and sent a back on 8 rows, approved a and sent b back on 2,
    approved both on one and reviewed only a on the last: the judge (who prefers b) sided with
    the approved answer on 8 of the 10 split rows; 10 rows cannot show 75% agreement."""
    job = compare_job()
    _ran(run_cli, fake, job)
    verdicts = {}
    for product in range(1, 9):
        verdicts[(str(product), "a")] = "reject" if product % 2 else "redo"
        verdicts[(str(product), "b")] = "approve"
    verdicts.update({("9", "a"): "approve", ("9", "b"): "redo", ("10", "a"): "approve",
                     ("10", "b"): "reject", ("11", "a"): "approve", ("11", "b"): "approve",
                     ("12", "a"): "reject"})
    _review(run_cli, job, tmp_path, verdicts)
    fake.completion = PairwiseJudge(marker=MARKER)
    result = run_cli("compare", job, "-q", "--judge", "gpt-4.1-mini", "--report")
    assert result.exit_code == 0, result.output
    low, high = wilson_interval(8, 10)
    assert ("judge vs reviewer: 12 row(s) judged carry a verdict, 11 on both answers, 10 split "
            "(one approved, the other sent back or rejected)") in result.output
    assert (f"the judge's win went to the approved answer in 8 of 10 split row(s) it decided "
            f"(80.0%, 95% interval {low:.1%} to {high:.1%}, Wilson); 0 split row(s) it tied"
            ) in result.output
    assert "too few rows to tell whether the judge sides with the reviewer" in result.output
    _, found = _compare(run_cli, job, "--judge", "gpt-4.1-mini")
    reviewer = found["pairs"][0]["reviewer"]
    assert reviewer["rows_reviewed"] == 12 and reviewer["rows_reviewed_both"] == 11
    assert (reviewer["rows_split"], reviewer["judge_sided_with_approved"],
            reviewer["judge_sided_with_sent_back"], reviewer["ties"]) == (10, 8, 2, 0)
    assert reviewer["agreement"] == 0.8
    assert reviewer["interval_95"] == pytest.approx([low, high])
    assert reviewer["lean_on_judge"] == "too few rows"
    tables = _Tables()
    tables.feed(Path("outputs/versions.compare.html").read_text(encoding="utf-8"))
    head, row = tables.tables["reviewer"]
    cells = dict(zip(head, row, strict=True))
    assert (cells["pair (B vs A)"], cells["split"], cells["judge sided with the approved"],
            cells["with the other"], cells["ties"]) == ("b vs a", "10", "8", "2", "0")
    assert cells["agreement"] == "80.0%"
    assert cells["95% interval"] == f"{low:.1%} – {high:.1%}"
    assert cells["lean on the judge?"].startswith("too few rows to tell")


@pytest.mark.parametrize(("approved", "sent_back", "lean_on", "says"), [
    ("b", "a", "yes", "enough rows to lean on the judge for this pair"),
    ("a", "b", "no", "do not lean on it"),
])
def test_twelve_rows_the_judge_always_or_never_gets_right_are_enough_to_tell(
        run_cli, fake, compare_job, tmp_path, approved, sent_back, lean_on, says):
    job = compare_job()
    _ran(run_cli, fake, job)
    _review(run_cli, job, tmp_path, {
        **{(str(p), approved): "approve" for p in range(1, ROWS + 1)},
        **{(str(p), sent_back): "reject" for p in range(1, ROWS + 1)}})
    fake.completion = PairwiseJudge(marker=MARKER)
    _, found = _compare(run_cli, job, "--judge", "gpt-4.1-mini")
    reviewer = found["pairs"][0]["reviewer"]
    agreed = ROWS if approved == "b" else 0
    assert (reviewer["rows_split"], reviewer["judge_sided_with_approved"]) == (ROWS, agreed)
    assert reviewer["interval_95"] == pytest.approx(list(wilson_interval(agreed, ROWS)))
    assert reviewer["lean_on_judge"] == lean_on and says in reviewer["says"]


def test_a_judge_that_ties_every_split_row_is_not_one_to_lean_on_yet(run_cli, fake, compare_job,
                                                                     tmp_path):
    job = compare_job()
    _ran(run_cli, fake, job)
    _review(run_cli, job, tmp_path, {("1", "a"): "redo", ("1", "b"): "approve",
                                     ("2", "a"): "approve", ("2", "b"): "reject"})
    fake.completion = PairwiseJudge(marker=MARKER, first_bias=1.0)  # always the first shown
    result = run_cli("compare", job, "-q", "--judge", "gpt-4.1-mini")
    assert "judge vs reviewer: 2 row(s) judged carry a verdict, 2 on both answers, 2 split" \
        in result.output
    assert "the judge tied all 2 split row(s)" in result.output
    assert "too few rows to tell" in result.output
    _, found = _compare(run_cli, job, "--judge", "gpt-4.1-mini")
    reviewer = found["pairs"][0]["reviewer"]
    assert (reviewer["ties"], reviewer["agreement"], reviewer["interval_95"]) == (2, None, None)


def test_verdicts_on_one_variant_only_measure_nothing_and_say_so(run_cli, fake, compare_job,
                                                                 tmp_path):
    job = compare_job()
    _ran(run_cli, fake, job)
    _review(run_cli, job, tmp_path, {("1", "a"): "approve", ("2", "a"): "reject"})
    fake.completion = PairwiseJudge(marker=MARKER)
    result = run_cli("compare", job, "-q", "--judge", "gpt-4.1-mini")
    assert "judge vs reviewer: 2 row(s) judged carry a verdict, 0 on both answers, 0 split" \
        in result.output
    assert "nothing to measure the judge against yet (review both variants' answers" \
        in result.output


def test_compare_takes_the_jobs_lock(run_cli, fake, compare_job):
    job = compare_job()
    _ran(run_cli, fake, job)
    asked = len(fake.requests)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom pathlib import Path\n"
         "from pipeline.unattended.lock import job_lock\n"
         "with job_lock(Path(sys.argv[1])):\n    print('held', flush=True)\n"
         "    time.sleep(60)\n", str(Path("outputs/versions.journal.sqlite").resolve())],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        fake.completion = PairwiseJudge(marker=MARKER)
        result = run_cli("compare", job, "-q", "--judge", "gpt-4.1-mini")
        assert result.exit_code == 4, result.output
        assert "already running" in result.output and len(fake.requests) == asked
    finally:
        holder.kill()
        holder.wait(timeout=10)


def test_killed_with_kill_9_a_rerun_buys_only_the_judgements_not_journaled(
        run_cli, fake, compare_job):
    job = compare_job()
    _ran(run_cli, fake, job)
    fake.completion = PairwiseJudge(marker=MARKER)
    fake.enforce(None, Faults(latency=0.3))
    before = len(fake.requests)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "compare", str(job), "-q",
                             "--judge", "gpt-4.1-mini", "--concurrency", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(fake.answered) < before + 6:  # a few judgements answered (and journaled)
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    fake.enforce(None)
    priced = json.loads(run_cli("compare", job, "--judge", "gpt-4.1-mini", "--estimate",
                                "--json").stdout)
    kept = priced["reused"]
    assert 0 < kept < 2 * ROWS and priced["requests"] == 2 * ROWS - kept
    sent_before = len(_judge_requests(fake))
    code, found = _compare(run_cli, job, "--judge", "gpt-4.1-mini")
    assert code == 0 and found["pairs"][0]["wins"] == ROWS
    assert len(_judge_requests(fake)) - sent_before == 2 * ROWS - kept  # none bought twice


class _RamblingOnRow5(PairwiseJudge):
    """Answers row 5's judge requests in prose instead of the JSON asked for."""

    def __call__(self, request):
        if is_judge_request(request) and "- name: Product 5\n" in request.user_text:
            return completion_body(request, "Answer 1, clearly.")
        return super().__call__(request)


def test_a_reply_that_is_not_a_verdict_is_not_judged_and_asked_again_with_retry_failed(
        run_cli, fake, compare_job):
    job = compare_job()
    _ran(run_cli, fake, job)
    fake.completion = _RamblingOnRow5(marker=MARKER)
    result = run_cli("compare", job, "-q", "--judge", "gpt-4.1-mini")
    assert result.exit_code == 1, result.output
    assert "not judged: 1 row(s)" in result.output and "2 failed" in result.output
    _, found = _compare(run_cli, job, "--judge", "gpt-4.1-mini")
    assert found["pairs"][0]["wins"] == ROWS - 1 and found["judgements"]["sent"] == 0
    fake.completion = PairwiseJudge(marker=MARKER)
    code, found = _compare(run_cli, job, "--judge", "gpt-4.1-mini", "--retry-failed")
    assert code == 0 and found["judgements"]["sent"] == 2
    assert found["pairs"][0]["wins"] == ROWS


def test_the_example_job_compares_its_two_prompt_versions(run_cli, fake, api_key, tmp_path):
    example = Path(__file__).resolve().parent.parent / "prompts/product_versions.toml"
    where = ["--model", "gpt-4o-mini", "--base-url", fake.base_url, "--sample", "6",
             "--output", str(tmp_path / "versions.csv")]
    ran = run_cli("run", example, "-q", *where)
    assert ran.exit_code == 0, ran.output
    fake.completion = PairwiseJudge()  # the longer answer wins
    result = run_cli("compare", example, "-q", "--json", "--judge", "gpt-4.1-mini", *where)
    assert result.exit_code == 0, result.output
    (pair,) = json.loads(result.stdout)["pairs"]
    assert (pair["a"], pair["b"]) == ("product_description", "product_description_sensory")
    assert pair["rows_judged"] == 6 and len(_judge_requests(fake)) == 12
    assert all("how it tastes" in r.user_text for r in _judge_requests(fake))  # B's own prompt


def test_a_verdict_on_a_redone_answer_is_not_taken_for_the_answer_compared(
        run_cli, fake, compare_job, tmp_path):
    """Compare judges the answers the job's requests got; a verdict given on a redo's answer
    (another answer of the row) says nothing of the one the judge saw, so it is not counted."""
    job = compare_job()
    _ran(run_cli, fake, job)
    _review(run_cli, job, tmp_path, {("1", "a"): "redo", ("1", "b"): "approve"})
    _ran(run_cli, fake, job)  # the redo answered: the output shows a's new answer
    _review(run_cli, job, tmp_path, {("1", "a"): "approve", ("1", "b"): "reject"})
    fake.completion = PairwiseJudge(marker=MARKER)
    _, found = _compare(run_cli, job, "--judge", "gpt-4.1-mini")
    reviewer = found["pairs"][0]["reviewer"]
    assert (reviewer["rows_reviewed"], reviewer["rows_reviewed_both"],
            reviewer["rows_split"]) == (1, 0, 0)
