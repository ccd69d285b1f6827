"""Review columns, `pipeline review` and the round trip: reviewers' verdicts drive the next run."""

from __future__ import annotations

import csv
import itertools
import json
import re
from pathlib import Path

from conftest import TEMPLATE
from fake_openai import Recorded, Reply, completion_body
from openpyxl import load_workbook
from test_journal import EXPECTED, columns, journal_at

from pipeline.journal import MIGRATIONS, Journal
from pipeline.rows.reviews import redo_message

SIX = """\
product_id,name,category,unit_price,Unit Note
1,Chai,Beverages,18,box
2,Chang,Beverages,19,bottles
3,Aniseed Syrup,Condiments,10,bottles
4,Cajun Seasoning,Condiments,22,jars
5,Gumbo Mix,Condiments,21,boxes
6,Grandma's Spread,Condiments,25,jars
"""
REVIEW = ["answer_id", "review", "review_note"]


CALLS = itertools.count(1)


def numbered(request: Recorded) -> dict:
    """A new text every call (so a request sent again shows), naming the product asked for."""
    first = next(m["content"] for m in request.body["messages"] if m["role"] == "user")
    name = re.search(r"Describe (.+?) \(", first).group(1)
    return completion_body(request, f"{name}: copy number {next(CALLS)}.")


def sheet(path: Path) -> list[dict]:
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def mark_xlsx(source: Path, target: Path, verdicts: dict[str, tuple[str, str]]) -> None:
    """What a reviewer does: open the workbook, pick verdicts, type notes, save it."""
    book = load_workbook(source)
    ws = book.active
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        product = str(row[header.index("product_id")].value)
        if product in verdicts:
            verdict, note = verdicts[product]
            row[header.index("review")].value = verdict
            row[header.index("review_note")].value = note or None
    book.save(target)


def test_the_round_trip(job_file, run_cli, fake, api_key, tmp_path):
    """Run, export with review columns, approve 3 / redo 2 with notes / reject 1 in XLSX,
    `pipeline review`, `pipeline run`: exactly the 2 redo requests, each carrying its earlier
    answer and its note; approved rows unchanged after --refresh; the rejected row left out."""
    fake.completion = numbered
    job = job_file("[params]\nmax_tokens = 60\n", csv=SIX, output="../outputs/out.xlsx")
    assert run_cli("run", job, "-q").exit_code == 0
    assert len(fake.requests) == 6
    exported = run_cli("export", job, "--review", "-o", tmp_path / "outputs/for_review.xlsx")
    assert exported.exit_code == 0, exported.output
    first = {r["product_id"]: r for r in sheet(tmp_path / "outputs/for_review.xlsx")}
    assert list(first["1"])[-3:] == REVIEW
    assert all(r["review"] is None and len(r["answer_id"]) == 16 for r in first.values())

    notes = {"4": "Mention that it is spicy.", "5": "Shorter, and name New Orleans."}
    reviewed = tmp_path / "reviewed.xlsx"
    mark_xlsx(tmp_path / "outputs/for_review.xlsx", reviewed, {
        "1": ("approve", ""), "2": ("Approve", "good"), "3": ("approve", ""),
        "4": ("redo", notes["4"]), "5": ("redo", notes["5"]), "6": ("reject", "off brand")})
    result = run_cli("review", job, reviewed)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "approve: 3 rows frozen"
    assert re.fullmatch(r"redo: 2 rows \(2 requests, estimated \$0\.0000\d\d, at most "
                        r"\$0\.0000\d\d\)", lines[1]), lines[1]
    assert lines[2:4] == ["reject: 1 rows left out of the output", "unchanged: 0"]
    assert len(fake.requests) == 6  # review sends nothing

    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    redos = fake.requests[6:]
    assert len(redos) == 2
    for request in redos:
        messages = request.body["messages"]
        product = next(p for p, r in first.items() if r["name"] in messages[1]["content"])
        assert messages[:2] == [{"role": "system", "content": "You write product copy."},
                                {"role": "user", "content": messages[1]["content"]}]
        assert messages[2] == {"role": "assistant", "content": first[product]["output"]}
        assert messages[3] == {"role": "user", "content": redo_message(notes[product])}
        assert notes[product] in request.user_text
    assert "review: 3 approved (kept), 2 redone, 1 rejected (left out)" in result.stderr
    after = {r["product_id"]: r for r in sheet(tmp_path / "outputs/out.xlsx")}
    assert sorted(after) == ["1", "2", "3", "4", "5"]
    for product in "123":
        assert after[product]["output"] == first[product]["output"]
        assert after[product]["review"] == "approved"
    assert after["2"]["review_note"] == "good"
    for product in "45":
        assert after[product]["output"] != first[product]["output"]
        assert after[product]["review"] is None and after[product]["review_note"] is None
        assert after[product]["answer_id"] != first[product]["answer_id"]
    with Journal(tmp_path / "outputs/describe.journal.sqlite") as journal:
        for product in "45":  # the answers sent back stay in the journal
            old = journal.answers_starting(first[product]["answer_id"])
            assert [row_id for _, row_id in old] == [product]
            assert journal.get(old[0][0]).result.output == first[product]["output"]

    assert run_cli("run", job, "-q").exit_code == 0
    assert len(fake.requests) == 8  # the redo answers are reused: nothing bought twice
    assert [(r["output"], r["answer_id"], r["review"]) for r in sheet(
        tmp_path / "outputs/out.xlsx")] == [(r["output"], r["answer_id"], r["review"])
                                            for r in after.values()]

    assert run_cli("run", job, "-q", "--refresh").exit_code == 0
    refreshed = fake.requests[8:]
    assert len(refreshed) == 2  # the redo rows only: approved and rejected rows send nothing
    assert {r.user_text for r in refreshed} == {redo_message(n) for n in notes.values()}
    again = {r["product_id"]: r for r in sheet(tmp_path / "outputs/out.xlsx")}
    assert sorted(again) == ["1", "2", "3", "4", "5"]
    for product in "123":
        assert again[product] == after[product]

    assert run_cli("export", job, "--keep-rejected").exit_code == 0
    kept = {r["product_id"]: r for r in sheet(tmp_path / "outputs/out.xlsx")}
    assert (kept["6"]["review"], kept["6"]["review_note"]) == ("rejected", "off brand")
    assert kept["6"]["output"] == first["6"]["output"]
    assert len(fake.requests) == 10


def test_a_csv_review_with_a_changed_input_and_a_redo_without_a_note(
        job_file, run_cli, fake, api_key, tmp_path):
    """CSV both ways. An approved row keeps its answer when its input changes; a redo without a
    note warns and asks the model to improve; `approved` written back changes nothing."""
    fake.completion = numbered
    job = job_file(csv=SIX)
    out = tmp_path / "outputs/out.csv"
    assert run_cli("run", job, "-q").exit_code == 0
    rows = read_csv(out)
    assert list(rows[0])[-3:] == REVIEW
    rows[0]["review"], rows[2]["review"] = "APPROVE", "redo"
    write_csv(tmp_path / "reviewed.csv", rows)
    result = run_cli("review", job, tmp_path / "reviewed.csv")
    assert result.exit_code == 0, result.output
    assert "reviewed.csv row 4 (id 3): redo without a note" in result.stderr
    assert result.stdout.splitlines()[0] == "approve: 1 rows frozen"
    assert "unchanged: 4" in result.stdout

    (tmp_path / "data/products.csv").write_text(SIX.replace("1,Chai,", "1,Masala Chai,"),
                                                encoding="utf-8")
    assert run_cli("run", job, "-q").exit_code == 0
    sent = fake.requests[6:]
    assert len(sent) == 1 and sent[0].user_text == redo_message("")
    assert "please improve it" in sent[0].user_text
    after = read_csv(out)
    assert after[0]["name"] == "Masala Chai"  # the input as it is now...
    assert after[0]["output"] == rows[0]["output"]  # ...with the answer approved
    assert after[0]["review"] == "approved"

    result = run_cli("review", job, out)  # the output as written: approved, nothing else
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:4] == [
        "approve: 0 rows frozen",
        "redo: 0 rows (0 requests, estimated $0.000000, at most $0.000000)",
        "reject: 0 rows left out of the output", "unchanged: 6"]


def test_a_jsonl_review_file(job_file, run_cli, fake, api_key, tmp_path):
    """A JSONL output has the review columns when exported with --review; verdicts come back."""
    fake.completion = numbered
    job = job_file(csv=SIX, output="../outputs/out.jsonl")
    assert run_cli("run", job, "-q").exit_code == 0
    plain = [json.loads(line) for line in (tmp_path / "outputs/out.jsonl").open()]
    assert "review" not in plain[0]
    assert run_cli("export", job, "--review").exit_code == 0
    lines = [json.loads(line) for line in (tmp_path / "outputs/out.jsonl").open()]
    assert list(lines[0])[-3:] == REVIEW
    lines[1].update(review="reject")
    lines[4].update(review="redo", review_note="More about the okra.")
    (tmp_path / "reviewed.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines),
                                             encoding="utf-8")
    result = run_cli("review", job, tmp_path / "reviewed.jsonl")
    assert result.exit_code == 0, result.output
    assert "reject: 1 rows left out" in result.stdout and "redo: 1 rows (1 requests" in (
        result.stdout)
    assert run_cli("run", job, "-q").exit_code == 0
    assert [r.user_text for r in fake.requests[6:]] == [redo_message("More about the okra.")]
    after = [json.loads(line) for line in (tmp_path / "outputs/out.jsonl").open()]
    assert [r["product_id"] for r in after] == ["1", "3", "4", "5", "6"]
    assert "review" not in after[0]


def test_a_file_of_another_job_or_with_foreign_ids_is_refused(job_file, write, run_cli, fake,
                                                              api_key, tmp_path):
    job = job_file(csv=SIX)
    assert run_cli("run", job, "-q").exit_code == 0
    write("prompts/other.j2", TEMPLATE.replace("product copy", "ad copy"))
    other = tmp_path / "outputs/other/out.csv"
    assert run_cli("run", job, "-q", "-t", tmp_path / "prompts/other.j2", "-o", other,
                   "--set", "name=other").exit_code == 0
    rows = read_csv(other)
    rows[0]["review"] = "approve"
    write_csv(tmp_path / "theirs.csv", rows)
    result = run_cli("review", job, tmp_path / "theirs.csv")
    assert result.exit_code == 2
    assert ("theirs.csv is not a file of job 'describe': none of its 6 answer_id(s) is an "
            "answer in the job's journal") in result.stderr
    assert "Nothing was recorded." in result.stderr

    ours = read_csv(tmp_path / "outputs/out.csv")
    ours[1].update(product_id="99", review="approve")
    ours[2].update(answer_id=ours[3]["answer_id"], review="reject")
    write_csv(tmp_path / "mixed.csv", ours)
    result = run_cli("review", job, tmp_path / "mixed.csv")
    assert result.exit_code == 2
    assert "mixed.csv row 3 (id 99): id '99' is not a row of job 'describe'" in result.stderr
    assert (f"mixed.csv row 4 (id 3): answer_id {ours[3]['answer_id']} is the answer of "
            "another row (4), not of this one") in result.stderr
    with Journal(tmp_path / "outputs/describe.journal.sqlite") as journal:
        assert journal.reviews() == []


def test_a_word_that_is_not_a_verdict_is_refused_naming_the_row(job_file, run_cli, fake,
                                                                 api_key, tmp_path):
    job = job_file(csv=SIX)
    assert run_cli("run", job, "-q").exit_code == 0
    rows = read_csv(tmp_path / "outputs/out.csv")
    rows[0]["review"], rows[1]["review"] = "approve", "maybe"
    write_csv(tmp_path / "reviewed.csv", rows)
    result = run_cli("review", job, tmp_path / "reviewed.csv")
    assert result.exit_code == 2
    assert ("reviewed.csv: 1 verdict(s) cannot be taken for job 'describe':\n"
            "  reviewed.csv row 3 (id 2): review 'maybe' is not a verdict: write approve, "
            "redo or reject, or leave it empty\n") in result.stderr
    with Journal(tmp_path / "outputs/describe.journal.sqlite") as journal:
        assert journal.reviews() == []  # not even the good verdict


def test_the_xlsx_output_is_laid_out_for_a_reviewer(job_file, run_cli, fake, api_key, tmp_path):
    """Flagged rows amber, failed rows red, a verdict list on the review column, the header
    frozen, widths from content (capped), long text wrapped, formulas neutralised."""
    fake.on("Aniseed", Reply.error(400, "bad request"))
    long = "word " * 40

    def reply(request: Recorded) -> dict:
        if "Chang" in request.user_text:
            return completion_body(request, "=SUM(A1) " + long)
        return completion_body(request, "Short and fine.")

    fake.completion = reply
    job = job_file('[checks."*"]\nmax_chars = 100\n', output="../outputs/out.xlsx",
                   csv=SIX.replace("Beverages,18", "=cmd,18"))
    assert run_cli("run", job, "-q", "--set", "fix_attempts=0").exit_code == 1
    book = load_workbook(tmp_path / "outputs/out.xlsx")
    ws = book.active
    header = [c.value for c in ws[1]]
    status = {r[0].value: r[header.index("status")].value for r in ws.iter_rows(min_row=2)}
    assert status == {"1": "ok", "2": "flagged", "3": "failed", "4": "ok", "5": "ok",
                      "6": "ok"}
    fills = {r[0].value: {c.fill.fgColor.rgb for c in r} for r in ws.iter_rows(min_row=2)}
    assert fills["2"] == {"00FFE699"} and fills["3"] == {"00F8CBAD"}
    assert fills["1"] == {"00000000"}
    assert ws.freeze_panes == "A2"
    assert all(c.font.bold for c in ws[1])
    [validation] = ws.data_validations.dataValidation
    letter = ws.cell(1, header.index("review") + 1).column_letter
    assert (validation.type, validation.formula1) == ("list", '"approve,redo,reject"')
    assert str(validation.sqref) == f"{letter}2:{letter}7"
    output = ws.cell(1, header.index("output") + 1).column_letter
    assert ws.column_dimensions[output].width == 60
    assert ws[f"{output}3"].alignment.wrap_text
    assert ws[f"{output}3"].value.startswith("'=SUM(A1)")  # text, not a formula
    assert ws["C2"].value == "'=cmd" and ws["C2"].data_type == "s"
    assert 8 <= ws.column_dimensions["B"].width < 20


def test_a_chain_redo_asks_the_last_step_again(chain_job, run_cli, fake, api_key, tmp_path):
    """In a chain the reviewer judges the last step's answer: a redo asks that step again
    (its messages, its answer, the note); the earlier step is not sent again."""
    def answer(request: Recorded) -> dict:
        text = next(m["content"] for m in request.body["messages"] if m["role"] == "user")
        if text.startswith("Translate"):
            source = re.search(r": (.*)\n", text).group(1)
            redone = " again" if len(request.body["messages"]) > 2 else ""
            return completion_body(request, json.dumps(
                {"de": f"DE {source}{redone}", "fr": f"FR {source}{redone}"}))
        name = re.search(r"Describe (.+?) \(", text).group(1)
        return completion_body(request, json.dumps(
            {"title": f"{name}!", "meta_description": f"Buy {name} now."}))

    fake.completion = answer
    job = chain_job()
    assert run_cli("run", job, "-q").exit_code == 0
    assert len(fake.requests) == 6
    rows = read_csv(tmp_path / "outputs/out.csv")
    rows[1].update(review="redo", review_note="Use the formal 'Sie'.")
    write_csv(tmp_path / "reviewed.csv", rows)
    assert run_cli("review", job, tmp_path / "reviewed.csv").exit_code == 0
    assert run_cli("run", job, "-q").exit_code == 0
    [redo] = fake.requests[6:]
    assert redo.body["model"] == "gpt-4.1-mini"
    messages = redo.body["messages"]
    assert messages[0]["content"].startswith("Translate into German and French: Buy Chang now.")
    assert json.loads(messages[1]["content"]) == {"de": "DE Buy Chang now.",
                                                   "fr": "FR Buy Chang now."}
    assert messages[2]["content"] == redo_message("Use the formal 'Sie'.")
    after = read_csv(tmp_path / "outputs/out.csv")
    assert after[1]["translate.de"] == "DE Buy Chang now. again"
    assert after[1]["draft.title"] == "Chang!" and after[1]["review"] == ""
    assert [r["translate.de"] for r in after[::2]] == [r["translate.de"] for r in rows[::2]]


def test_wide_variants_are_reviewed_one_by_one(job_file, run_cli, fake, api_key, tmp_path):
    """Wide layouts carry review columns per variant: a rejected variant beside a kept one
    leaves its cells empty but for its verdict; a row whose every variant is rejected goes."""
    fake.completion = numbered
    job = job_file('models = ["gpt-4o-mini", "gpt-4.1-mini"]\nvariants_layout = "wide"\n',
                   csv=SIX)
    assert run_cli("run", job, "-q").exit_code == 0
    assert len(fake.requests) == 12
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert list(rows[0])[-3:] == ["answer_id@gpt-4.1-mini", "review@gpt-4.1-mini",
                                  "review_note@gpt-4.1-mini"]
    rows[0].update({"review@gpt-4o-mini": "approve", "review@gpt-4.1-mini": "reject"})
    rows[1].update({"review@gpt-4o-mini": "reject", "review@gpt-4.1-mini": "reject"})
    rows[2].update({"review@gpt-4.1-mini": "redo", "review_note@gpt-4.1-mini": "Warmer."})
    write_csv(tmp_path / "reviewed.csv", rows)
    result = run_cli("review", job, tmp_path / "reviewed.csv")
    assert result.exit_code == 0, result.output
    assert "reject: 3 rows left out" in result.stdout and "unchanged: 7" in result.stdout
    assert run_cli("run", job, "-q").exit_code == 0
    [redo] = fake.requests[12:]
    assert redo.body["model"] == "gpt-4.1-mini" and redo.user_text == redo_message("Warmer.")
    after = read_csv(tmp_path / "outputs/out.csv")
    assert [r["product_id"] for r in after] == ["1", "3", "4", "5", "6"]
    assert after[0]["review@gpt-4o-mini"] == "approved"
    assert after[0]["output@gpt-4o-mini"] == rows[0]["output@gpt-4o-mini"]
    assert after[0]["review@gpt-4.1-mini"] == "rejected"
    assert after[0]["output@gpt-4.1-mini"] == "" and after[0]["status@gpt-4.1-mini"] == ""
    assert after[1]["output@gpt-4.1-mini"] != rows[2]["output@gpt-4.1-mini"]


def test_long_variants_with_a_column_prefix(job_file, run_cli, fake, api_key, tmp_path):
    """Long layouts: one output row per variant, matched by its `variant` cell; the review
    columns take the job's column_prefix like every column the output adds."""
    fake.completion = numbered
    job = job_file('candidates = 2\ncolumn_prefix = "llm_"\n', csv=SIX)
    assert run_cli("run", job, "-q").exit_code == 0
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert [(r["product_id"], r["llm_variant"]) for r in rows[:2]] == [("1", "1"), ("1", "2")]
    assert list(rows[0])[-3:] == ["llm_answer_id", "llm_review", "llm_review_note"]
    rows[0]["llm_review"], rows[1]["llm_review"] = "reject", "approve"
    rows[3].update(llm_review="redo", llm_review_note="Mention the bottle size.")
    write_csv(tmp_path / "reviewed.csv", rows)
    result = run_cli("review", job, tmp_path / "reviewed.csv")
    assert result.exit_code == 0, result.output
    assert run_cli("run", job, "-q").exit_code == 0
    [redo] = fake.requests[12:]
    assert redo.body["messages"][2]["content"] == rows[3]["llm_output"]
    after = read_csv(tmp_path / "outputs/out.csv")
    assert [(r["product_id"], r["llm_variant"], r["llm_review"]) for r in after[:3]] == [
        ("1", "2", "approved"), ("2", "1", ""), ("2", "2", "")]
    assert after[2]["llm_output"] != rows[3]["llm_output"]

    rows[5]["llm_variant"] = "7"
    rows[5]["llm_review"] = "approve"
    write_csv(tmp_path / "wrong.csv", rows)
    result = run_cli("review", job, tmp_path / "wrong.csv")
    assert result.exit_code == 2
    assert ("wrong.csv row 7 (id 3), variant 7: variant '7' is not one of the job's (1, 2)"
            in result.stderr)


def test_the_reviews_table_comes_with_a_journal_at_m009(tmp_path):
    """A journal at m009 with a run, an answer and a notification gains `reviews` (m010) and
    keeps what it held; verdicts are kept and a row's new verdict replaces its old one."""
    import pipeline.journal as journal_module
    from pipeline.journal import Review
    from pipeline.records import Result

    path = tmp_path / "j.sqlite"
    db = journal_at(path, 9)
    assert MIGRATIONS[9] is journal_module.m010_reviews
    db.execute("INSERT INTO runs (started_at) VALUES (10)")
    db.execute("INSERT INTO results (fingerprint, status, output, attempts, run_id, row_id, "
               "template_key, finished_at) VALUES ('abc', 'ok', 'an answer', 1, 1, '7', 't', 0)")
    db.execute("INSERT INTO notifications VALUES ('webhook:run:1', 1, 'webhook', '', 0)")
    db.close()
    with Journal(path) as journal:
        assert columns(journal.db, "reviews") == EXPECTED["reviews"]
        assert journal.get("abc").result.output == "an answer"
        assert journal.notification("webhook:run:1") == ""
        assert not journal.has_reviews() and journal.reviews() == []
        first = Review("7", "", "redo", "shorter", ("abc",), "abc", 1.0, "a.xlsx")
        journal.record_reviews([first])
        journal.record(Result("7", "def", "ok", output="new"), run_id=1, template_key="t")
    with Journal(path) as journal:
        assert journal.reviews() == [first] and journal.review("7", "") == first
        assert journal.answers_starting("ab") == [("abc", "7")]
        second = Review("7", "", "approve", "", ("def",), None, 2.0, "b.csv")
        journal.record_reviews([second])
        assert journal.reviews() == [second]
        assert journal.review("7", "other") is None
