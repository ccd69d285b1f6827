"""The judge in a row job: thresholds, the critique round trip, columns and costs, resume
after kill -9, budget, estimate, --judge / --no-judge, and bad configuration refused."""

from __future__ import annotations

import csv
import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from fake_judge import CRITIQUE, FakeJudge, writer_growing
from fake_openai import Reply, completion_body

from pipeline.pricing import make_pricer
from pipeline.records import Usage

JUDGE = "gpt-4.1-nano"
SHORT = "too short"                       # 2 words: 1/5 on a 1-5 criterion
LONG = " ".join(["word"] * 20)            # 20 words: 5/5
MIDDLE = " ".join(["word"] * 12)          # 12 words: 3/5


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def judge_requests(fake) -> list:
    return [r for r in fake.requests if r.body.get("model") == JUDGE]


def judge_requests_of(fake, model: str) -> list:
    return [r for r in fake.requests if r.body.get("model") == model]


def writer_requests(fake) -> list:
    return [r for r in fake.requests if r.body.get("model") != JUDGE]


@pytest.fixture
def judged(job_file, fake):
    """A 3-row job with a [judge] table (the `extra` TOML), answered by a fake judge."""
    def _job(judge_toml: str, *, writer=None, extra: str = "", **judge_kw):
        fake.completion = FakeJudge(JUDGE, writer=writer or writer_growing(SHORT, LONG),
                                    **judge_kw)
        return job_file(extra + "\n[judge]\nmodel = \"" + JUDGE + "\"\n" + judge_toml)
    return _job


CLEAR = """
[judge.criteria.clear]
question = "Is the description of {{ name }} clear?"
threshold = 3
"""


def test_below_a_criterion_threshold_the_critique_goes_back_and_the_fixed_answer_passes(
        judged, run_cli, fake, api_key, tmp_path):
    job = judged(CLEAR)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert [r["status"] for r in rows] == ["ok"] * 3
    assert {r["output"] for r in rows} == {LONG}
    assert [r["judge_clear"] for r in rows] == ["5"] * 3
    assert [r["judge_score"] for r in rows] == ["5.0"] * 3
    assert {r["judge_reason"] for r in rows} == {"rated 20 words"}
    # Per row: the answer, its verdict, the answer again with the critique, its verdict.
    writers = writer_requests(fake)
    assert len(writers) == 6 and len(judge_requests(fake)) == 6
    followups = [r for r in writers if CRITIQUE in r.user_text]
    assert len(followups) == 3
    for request in followups:
        assert "- clear: 1/5, below 3 (2 words)" in request.user_text
        assert "Overall: rated 2 words" in request.user_text
        # The conversation goes on: the first answer is there as the assistant's turn.
        assert request.body["messages"][-2] == {"role": "assistant", "content": SHORT}
    # The question is rendered with the row's columns.
    asked = {r.user_text for r in judge_requests(fake)}
    assert any("clear (score 1-5): Is the description of Chai clear?" in t for t in asked)


def test_still_below_after_the_fixes_the_row_is_flagged_with_the_reason(
        judged, run_cli, fake, api_key, tmp_path):
    job = judged(CLEAR, writer=writer_growing(SHORT, "still short"), extra="fix_attempts = 1\n")
    result = run_cli("run", job, "-q")
    assert result.exit_code == 1, result.output
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert [r["status"] for r in rows] == ["flagged"] * 3
    assert {r["flags"] for r in rows} == {'["judge: clear: 1/5, below 3 (2 words)"]'}
    assert {r["judge_clear"] for r in rows} == {"1"}
    assert len(writer_requests(fake)) == 6  # the answer and one fix (fix_attempts = 1)
    assert len(judge_requests(fake)) == 6


def test_a_judge_added_later_rates_the_answers_held_without_buying_them_again(
        job_file, run_cli, fake, api_key, tmp_path):
    """A job answered without a judge, then given one: the rerun buys only the verdicts on
    the held answers; one below the threshold goes back with the critique (the writer paid
    for that row alone); a third run buys nothing."""
    def writer(request):  # Chang's first answer is too short; the critique fixes it
        short = "Chang" in request.user_text and CRITIQUE not in request.user_text
        return completion_body(request, SHORT if short else LONG)

    fake.completion = FakeJudge(JUDGE, writer=writer)
    plain = job_file()
    assert run_cli("run", plain, "-q").exit_code == 0
    assert len(writer_requests(fake)) == 3 and not judge_requests(fake)

    fake.requests.clear()
    job = job_file("\n[judge]\nmodel = \"" + JUDGE + "\"\n" + CLEAR)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert [r["status"] for r in rows] == ["ok"] * 3
    assert {r["judge_clear"] for r in rows} == {"5"}
    writers = writer_requests(fake)
    assert len(writers) == 1 and CRITIQUE in writers[0].user_text  # the short one, fixed
    assert len(judge_requests(fake)) == 4  # three held answers, then the fixed one

    fake.requests.clear()
    assert run_cli("run", job, "-q").exit_code == 0
    assert fake.requests == []
    kept = ("output", "status", "judge_clear", "judge_score", "judge_reason")
    assert [{k: r[k] for k in kept} for r in read_rows(tmp_path / "outputs/out.csv")] == [
        {k: r[k] for k in kept} for r in rows]


def test_a_yes_no_criterion_with_a_threshold_flags_a_no_and_without_one_only_reports_it(
        judged, run_cli, fake, api_key, tmp_path):
    invented = "an invented award " + LONG
    job = judged("""
        [judge.criteria.faithful]
        question = "Is everything said of {{ name }} supported?"
        scale = "yes/no"
        threshold = true
        """.replace("        ", ""), writer=writer_growing(invented, invented),
        extra="fix_attempts = 0\n")
    result = run_cli("run", job, "-q")
    assert result.exit_code == 1, result.output
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert {r["status"] for r in rows} == {"flagged"}
    assert {r["judge_faithful"] for r in rows} == {"no"}
    assert {r["judge_score"] for r in rows} == {"1.0"}
    assert {r["flags"] for r in rows} == {'["judge: faithful: no (says invented)"]'}

    fake.reset()
    job.write_text(job.read_text().replace("threshold = true\n", ""))
    fake.completion = FakeJudge(JUDGE, writer=writer_growing(invented, invented))
    result = run_cli("run", job, "-q", "--refresh")
    assert result.exit_code == 0, result.output
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert {r["status"] for r in rows} == {"ok"} and {r["judge_faithful"] for r in rows} == {"no"}


@pytest.mark.parametrize(("threshold", "status", "writers"), [(3, "ok", 3), (4, "flagged", 9)])
def test_the_overall_threshold_is_the_mean_of_the_criteria(
        judged, run_cli, fake, api_key, tmp_path, threshold, status, writers):
    # 12 words: 3/5 on both 1-5 criteria; no yes/no: the mean is 3.
    job = judged(f"""
threshold = {threshold}
[judge.criteria.clear]
question = "Clear?"
[judge.criteria.specific]
question = "Specific to {{{{ name }}}}?"
""", writer=writer_growing(MIDDLE, MIDDLE))
    result = run_cli("run", job, "-q")
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert {r["status"] for r in rows} == {status}, result.output
    assert {r["judge_score"] for r in rows} == {"3.0"}
    assert len(writer_requests(fake)) == writers  # below 4: two fixes each (the default)
    if status == "flagged":
        assert {r["flags"] for r in rows} == {
            f'["judge: overall: 3/5, below {threshold} (rated 12 words)"]'}


def test_columns_and_costs_the_judge_share_is_in_the_totals_and_the_manifest(
        judged, run_cli, fake, api_key, tmp_path):
    job = judged(CLEAR)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    rows = read_rows(tmp_path / "outputs/out.csv")
    header = list(rows[0])
    assert header.index("judge_clear") > header.index("cost_usd")
    assert header[header.index("judge_clear"):header.index("judge_clear") + 4] == [
        "judge_clear", "judge_score", "judge_reason", "judge_cost_usd"]
    pricer = make_pricer(job_like(tmp_path), fake.base_url, free=False)
    # Each row's judge cost: both verdicts (on the short answer and on the fixed one), priced
    # from the usage the server reported.
    by_row: dict[str, Decimal] = {}
    for request in judge_requests(fake):
        name = next(n for n in ("Chai", "Chang", "Aniseed Syrup")
                    if f"- name: {n}\n" in request.user_text)
        usage = request_usage(request)
        by_row[name] = by_row.get(name, Decimal(0)) + pricer.cost(JUDGE, usage)
    for row in rows:
        assert Decimal(row["judge_cost_usd"]) == by_row[row["name"]]
        assert Decimal(row["cost_usd"]) > 0
    judge_total = sum(by_row.values())
    writer_total = sum(Decimal(r["cost_usd"]) for r in rows)
    manifest = json.loads(next((tmp_path / "outputs").glob("out.run-*.json")).read_text())
    assert Decimal(manifest["judge"]["cost_usd"]) == judge_total
    assert manifest["judge"]["rated"] == 3
    assert Decimal(manifest["cost_usd"]) == judge_total + writer_total
    assert f"judge: 3 answer(s) rated; ${judge_total:.6f}" in result.output


def job_like(tmp_path: Path):
    from pipeline.config import load_job
    return load_job(tmp_path / "prompts/describe.toml")


def request_usage(request) -> Usage:
    from fake_openai import count_prompt

    from pipeline.tokens import TokenCounter
    reply = FakeJudge(JUDGE)(request)
    text = reply["choices"][0]["message"]["content"]
    return Usage(count_prompt(request.body["messages"], JUDGE),
                 len(TokenCounter(JUDGE)._encode(text)))


def test_no_judge_sends_no_judge_request_and_writes_no_judge_column(
        judged, run_cli, fake, api_key, tmp_path):
    job = judged(CLEAR)
    result = run_cli("run", job, "-q", "--no-judge")
    assert result.exit_code == 0, result.output
    assert judge_requests(fake) == []
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert not [c for c in rows[0] if c.startswith("judge_")]
    assert {r["output"] for r in rows} == {SHORT}


def test_judge_model_on_the_command_line_uses_the_default_rubric(
        job_file, run_cli, fake, api_key, tmp_path):
    fake.completion = FakeJudge(JUDGE, writer=writer_growing(SHORT, LONG))
    result = run_cli("run", job_file(), "-q", "--judge", JUDGE)
    assert result.exit_code == 0, result.output
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert [c for c in rows[0] if c.startswith("judge_")] == [
        "judge_faithful", "judge_clear", "judge_specific", "judge_score", "judge_reason",
        "judge_cost_usd"]
    assert {(r["judge_faithful"], r["judge_clear"], r["judge_specific"]) for r in rows} == {
        ("yes", "5", "5")}
    assert {r["output"] for r in rows} == {LONG}  # 1/5 is below the default 3: fixed


def test_the_judge_sees_the_answer_fields_and_judges_the_last_step_of_a_chain(
        chain_job, run_cli, fake, api_key, tmp_path):
    def writer(request):
        from fake_openai import completion_body
        if "Translate" in request.user_text:
            return completion_body(request, json.dumps({"de": "Ein Tee", "fr": "Un thé"}))
        name = request.user_text.split("Describe ")[1].split(" (")[0]
        return completion_body(request, json.dumps({"title": name,
                                                    "meta_description": f"Nice {name}"}))
    fake.completion = FakeJudge(JUDGE, writer=writer)
    job = chain_job(f"""
        [judge]
        model = "{JUDGE}"
        [judge.criteria.german]
        question = "Is '{{{{ de }}}}' a German rendering of '{{{{ draft.meta_description }}}}'?"
        scale = "yes/no"
        """)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    asked = [r.user_text for r in judge_requests(fake)]
    assert len(asked) == 3  # the last step only, once per row
    assert {t.split("german (yes or no): ")[1].split("\n")[0] for t in asked} == {
        f"Is 'Ein Tee' a German rendering of 'Nice {n}'?" for n in ("Chai", "Chang",
                                                                    "Aniseed Syrup")}
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert {r["judge_german"] for r in rows} == {"yes"}


BAD_CONFIGS = [
    ("[judge.criteria.fresh]\nquestion = \"Does it mention {{ season }}?\"\n",
     "[judge] criteria.fresh.question uses 'season'"),
    ("base_url = \"http://127.0.0.1:9/v1\"\n", "[judge]: gpt-4.1-nano at http://127.0.0.1:9/v1 "
     "needs api_key_env"),
    ("[judge.criteria.score]\nquestion = \"Good?\"\n", "[judge] criteria.score"),
]


@pytest.mark.parametrize(("toml", "named"), BAD_CONFIGS)
def test_bad_judge_configuration_exits_2_before_anything_is_sent(
        judged, run_cli, fake, api_key, toml, named):
    result = run_cli("run", judged(toml), "-q")
    assert result.exit_code == 2, result.output
    assert named in result.output
    assert fake.requests == []


def test_a_budget_needs_a_price_for_the_judge(job_file, run_cli, fake, api_key):
    fake.completion = FakeJudge("my-own-judge")
    result = run_cli("run", job_file("[judge]\nmodel = \"my-own-judge\"\n"), "-q",
                     "--budget", "1", "--max-tokens", "50")
    assert result.exit_code == 2, result.output
    assert "a budget needs a price for the judge 'my-own-judge'" in result.output
    assert fake.requests == []
    result = run_cli("run", job_file("[judge]\nmodel = \"my-own-judge\"\n[judge.prices]\n"
                                     "input = 1\noutput = 2\n"), "-q", "--budget", "1",
                     "--max-tokens", "50")
    assert result.exit_code in (0, 1), result.output  # sent and judged (answers as they come)
    assert judge_requests_of(fake, "my-own-judge")


def test_the_budget_counts_the_judges_spend(judged, run_cli, fake, api_key, tmp_path):
    # Writers alone fit in this budget; writers and their judges do not.
    job = judged(CLEAR, writer=writer_growing(LONG, LONG))
    result = run_cli("run", job, "-q", "--no-judge", "--max-tokens", "40",
                     "--journal", str(tmp_path / "alone.sqlite"), "--budget", "0.00025")
    assert result.exit_code == 0, result.output
    fake.reset()
    fake.completion = FakeJudge(JUDGE, writer=writer_growing(LONG, LONG))
    judged_run = ("run", job, "-q", "--max-tokens", "40", "--journal",
                  str(tmp_path / "judged.sqlite"), "--budget")
    result = run_cli(*judged_run, "0.00025")
    assert result.exit_code == 3, result.output
    assert "budget reached" in result.output
    # A bigger budget finishes; what it records as spent is every answer and every verdict.
    result = run_cli(*judged_run, "0.0005")
    assert result.exit_code == 0, result.output
    db = sqlite3.connect(tmp_path / "judged.sqlite")
    verdicts = sum(Decimal(c) for (c,) in db.execute(
        "SELECT cost_usd FROM results WHERE template_key LIKE 'judge:%' AND run_id = 2"))
    paid = sum(Decimal(c) for (c,) in db.execute("SELECT cost_usd FROM results"))
    assert verdicts > 0 and len(judge_requests(fake)) == 3
    spent = sum(Decimal(c) for (c,) in db.execute("SELECT spent_usd FROM runs"))
    assert spent == paid


def test_estimate_shows_the_judges_share(judged, run_cli, fake, api_key):
    job = judged(CLEAR)
    result = run_cli("estimate", job)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    share = next(x for x in lines if x.startswith("  judge ("))
    assert share.startswith(f"  judge ({JUDGE}): 3 request(s), ")
    assert "requests to send: 6" in lines
    without = run_cli("estimate", job, "--no-judge")
    assert "judge" not in without.output
    assert "requests to send: 3" in without.output.splitlines()
    expected = Decimal(share.rsplit("$", 1)[1])
    assert expected > 0

    def cost(output: str) -> Decimal:
        line = next(x for x in output.splitlines() if x.startswith("cost:"))
        return Decimal(line.split("$")[1].split(" ")[0])
    assert cost(result.output) == cost(without.output) + expected
    assert fake.requests == []


def start(job: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(job), "-q", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ))


def test_a_kill_9_while_judging_resumes_without_paying_any_answer_or_verdict_twice(
        judged, fake, api_key, tmp_path):
    rows_csv = "product_id,name,category,unit_price,Unit Note\n" + "".join(
        f"{i},Product {i},Tea,1.50,box\n" for i in range(1, 7))
    judge = FakeJudge(JUDGE, writer=writer_growing(LONG, LONG))
    # Verdicts on products 4-6 hang: the kill finds them in flight, the others journaled.
    fake.per_request = lambda r: (Reply(delay=60) if r.body.get("model") == JUDGE and any(
        f"- name: Product {i}\n" in r.user_text for i in (4, 5, 6)) else None)
    job = judged(CLEAR, writer=writer_growing(LONG, LONG))
    job.write_text(job.read_text().replace("[judge]\n", "[judge]\nconcurrency = 6\n"))
    (tmp_path / "data/products.csv").write_text(rows_csv)
    fake.completion = judge
    proc = start(job, "--timeout", "30")
    deadline = time.monotonic() + 60
    while (len(judge_requests(fake)) < 6 or len(fake.answered) < 9) and proc.poll() is None:
        assert time.monotonic() < deadline, "the run never got going"
        time.sleep(0.01)
    time.sleep(0.5)  # the answered verdicts reach the journal
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert len(writer_requests(fake)) == 6 and len(judge_requests(fake)) == 6

    fake.per_request = None
    rerun = start(job, "--timeout", "30")
    _, err = rerun.communicate(timeout=60)
    assert rerun.returncode == 0, err
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert [r["status"] for r in rows] == ["ok"] * 6
    assert len(writer_requests(fake)) == 6  # no answer bought twice
    verdicts: dict[str, int] = {}
    for request in judge_requests(fake):
        name = request.user_text.split("- name: ")[1].split("\n")[0]
        verdicts[name] = verdicts.get(name, 0) + 1
    # Verdicts journaled before the kill were not asked again; those in flight were.
    assert verdicts == {"Product 1": 1, "Product 2": 1, "Product 3": 1,
                        "Product 4": 2, "Product 5": 2, "Product 6": 2}



def test_batch_mode_sends_the_judges_requests_as_their_own_batches(
        judged, run_cli, fake, api_key, tmp_path):
    job = judged(CLEAR, extra='mode = "batch"\nbatch_poll_s = 0.01\nkeep_batch_files = true\n')
    fake.batch_api.completion = fake.completion
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    assert fake.requests == []  # nothing online
    batches = []
    for batch in sorted(fake.batch_api.batches.values(), key=lambda b: int(b["id"][6:])):
        lines = fake.batch_api.files[batch["input_file_id"]]["data"].decode().splitlines()
        batches.append(sorted({json.loads(line)["body"]["model"] for line in lines}))
        assert len(lines) == 3
    # Answers, their verdicts, the answers again with the critique, their verdicts.
    assert batches == [["gpt-4o-mini"], [JUDGE], ["gpt-4o-mini"], [JUDGE]]
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert [r["status"] for r in rows] == ["ok"] * 3 and {r["output"] for r in rows} == {LONG}
    assert {r["judge_clear"] for r in rows} == {"5"}
    assert all(Decimal(r["judge_cost_usd"]) > 0 for r in rows)


def test_batch_mode_refuses_a_judge_on_its_own_endpoint(judged, run_cli, fake, api_key):
    job = judged('base_url = "http://127.0.0.1:9/v1"\napi_key_env = "JUDGE_KEY"\n',
                 extra='mode = "batch"\n')
    result = run_cli("run", job, "-q")
    assert result.exit_code == 2, result.output
    assert "batch mode with a judge: [judge] sets its own base_url, api_key_env" in result.output
    assert fake.requests == [] and fake.batch_api.calls == []


def test_variants_get_their_own_judge_columns_and_one_verdict_per_distinct_answer(
        judged, run_cli, fake, api_key, tmp_path):
    # Two candidates of one prompt: the fake writer answers both alike, so each row's two
    # answers share one judge prompt, asked once.
    job = judged(CLEAR, writer=writer_growing(LONG, LONG),
                 extra='candidates = 2\nvariants_layout = "wide"\n')
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    rows = read_rows(tmp_path / "outputs/out.csv")
    judge_columns = [c for c in rows[0] if c.startswith("judge_")]
    assert judge_columns == [f"{c}@{n}" for n in ("1", "2") for c in (
        "judge_clear", "judge_score", "judge_reason", "judge_cost_usd")]
    assert {(r["judge_clear@1"], r["judge_clear@2"]) for r in rows} == {("5", "5")}
    assert len(judge_requests(fake)) == 3
    paid = sum(Decimal(r["judge_cost_usd@1"]) + Decimal(r["judge_cost_usd@2"]) for r in rows)
    manifest = json.loads(next((tmp_path / "outputs").glob("out.run-*.json")).read_text())
    assert paid == Decimal(manifest["judge"]["cost_usd"]) > 0


def test_the_judge_keeps_to_its_own_concurrency(judged, run_cli, fake, api_key):
    # The job sends 2 at once; its judge, 1: the verdicts (each served in 0.3 s) never overlap.
    fake.per_request = lambda r: Reply(delay=0.3) if r.body.get("model") == JUDGE else None
    job = judged("concurrency = 1\n" + CLEAR, writer=writer_growing(LONG, LONG))
    result = run_cli("run", job, "-q", "--timeout", "10")
    assert result.exit_code == 0, result.output
    arrivals = sorted(r.at for r in judge_requests(fake))
    assert len(arrivals) == 3
    assert all(later - earlier >= 0.29 for earlier, later in itertools.pairwise(arrivals))
