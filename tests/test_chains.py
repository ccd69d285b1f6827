"""Multi-step jobs and variants: each step sees the earlier ones, costs add up, nothing waits."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal

from conftest import PRODUCTS_CSV
from fake_openai import Faults, Recorded, Reply, completion_body


def read_rows(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def answer(request: Recorded) -> dict:
    text = request.user_text
    if text.startswith("Translate"):
        source = re.search(r": (.*)\n", text).group(1)
        return completion_body(request, json.dumps({"de": f"DE {source}", "fr": f"FR {source}"}))
    name = re.search(r"Describe (.+?) \(", text).group(1)
    return completion_body(request, json.dumps(
        {"title": f"{name}!", "meta_description": f"Buy {name} now."}))


def test_step_two_sees_step_one_and_costs_add_up(chain_job, run_cli, fake, api_key, tmp_path):
    fake.completion = answer
    result = run_cli("run", chain_job(), "-q")
    assert result.exit_code == 0, result.output
    translations = [r for r in fake.requests if r.user_text.startswith("Translate")]
    assert len(translations) == 3 and len(fake.requests) == 6
    assert {r.body["model"] for r in translations} == {"gpt-4.1-mini"}
    assert any("Translate into German and French: Buy Chai now." in r.user_text
               for r in translations)
    rows = read_rows(tmp_path / "outputs/out.csv")
    added = list(rows[0])[5:]
    assert added[:12] == [
        "draft.title", "draft.meta_description", "draft.status", "draft.prompt_tokens",
        "draft.completion_tokens", "draft.cost_usd", "translate.de", "translate.fr",
        "translate.status", "translate.prompt_tokens", "translate.completion_tokens",
        "translate.cost_usd"]
    chai = rows[0]
    assert chai["translate.de"] == "DE Buy Chai now." and chai["draft.title"] == "Chai!"
    for row in rows:
        steps = Decimal(row["draft.cost_usd"]) + Decimal(row["translate.cost_usd"])
        assert Decimal(row["cost_usd"]) == steps > 0
        assert int(row["prompt_tokens"]) == (int(row["draft.prompt_tokens"])
                                             + int(row["translate.prompt_tokens"]))
        assert row["status"] == "ok" and row["model"] == "gpt-4o-mini-2024-07-18, gpt-4.1-mini"
    # Each step is priced at its own model's list price (gpt-4.1-mini: $0.40 / $1.60 per M).
    for response in fake.responses:
        content = json.loads(response["choices"][0]["message"]["content"])
        if "de" in content:
            row = next(r for r in rows if r["translate.de"] == content["de"])
            u = response["usage"]
            assert Decimal(row["translate.cost_usd"]) == (
                Decimal(u["prompt_tokens"]) * Decimal("0.4")
                + Decimal(u["completion_tokens"]) * Decimal("1.6")) / 1_000_000

    # A rerun reads every step from the journal: no call, nothing charged.
    result = run_cli("run", chain_job(), "-q")
    assert result.exit_code == 0 and len(fake.requests) == 6
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert {r["cached"] for r in rows} == {"yes"} and {r["cost_usd"] for r in rows} == {"0"}


def test_rows_move_to_the_next_step_without_waiting_for_the_file(chain_job, run_cli, fake,
                                                                 api_key):
    many = "product_id,name,category\n" + "".join(f"{i},P{i},Tea\n" for i in range(1, 41))
    fake.completion = answer
    fake.enforce(None, Faults(latency=0.02))
    result = run_cli("run", chain_job("concurrency = 3\n", csv=many), "-q")
    assert result.exit_code == 0, result.output
    kinds = ["t" if r.user_text.startswith("Translate") else "d" for r in fake.requests]
    assert kinds.count("t") == kinds.count("d") == 40
    first_translation = kinds.index("t")
    last_draft = len(kinds) - 1 - kinds[::-1].index("d")
    assert first_translation < 10 < last_draft  # step 2 started long before step 1 finished


def test_a_failed_step_stops_that_row_and_a_retry_resends_only_that_step(
        chain_job, run_cli, fake, api_key, tmp_path):
    fake.completion = answer
    fake.on("Buy Chang now", Reply.error(400, "This translation request is not allowed."))
    result = run_cli("run", chain_job(), "-q")
    assert result.exit_code == 1, result.output
    rows = read_rows(tmp_path / "outputs/out.csv")
    chang = rows[1]
    assert chang["status"] == "failed" and chang["draft.status"] == "ok"
    assert chang["translate.status"] == "failed"
    assert chang["error"].startswith("step 'translate': HTTP 400")
    assert Decimal(chang["cost_usd"]) == Decimal(chang["draft.cost_usd"])  # 400s are not billed
    assert len(fake.requests) == 6

    result = run_cli("run", chain_job(), "-q", "--retry-failed")
    assert result.exit_code == 0, result.output
    assert len(fake.requests) == 7  # only Chang's translation again
    assert fake.requests[-1].user_text.startswith("Translate into German and French: Buy Chang")
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert rows[1]["translate.fr"] == "FR Buy Chang now."
    assert rows[1]["cached"] == "no" and rows[0]["cached"] == "yes"


def test_a_flagged_draft_is_not_translated(chain_job, run_cli, fake, api_key, tmp_path):
    def long_meta(request: Recorded) -> dict:
        if "Chai" in request.user_text and not request.user_text.startswith("Translate"):
            return completion_body(request, json.dumps({"title": "Chai",
                                                        "meta_description": "x" * 200}))
        return answer(request)

    fake.completion = long_meta
    # In a chain, fix_attempts belongs to each step; at the top it would be ambiguous.
    result = run_cli("run", chain_job("fix_attempts = 0\n"), "-q")
    assert result.exit_code == 2 and "sets fix_attempts in each step" in result.stderr

    result = run_cli("run", chain_job(steps="""
        [[steps]]
        name = "draft"
        template = "draft.j2"
        fields = ["title", "meta_description"]
        fix_attempts = 0
        [steps.checks.meta_description]
        max_chars = 155

        [[steps]]
        name = "translate"
        template = "translate.j2"
        fields = ["de", "fr"]
        """), "-q")
    assert result.exit_code == 1
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert rows[0]["status"] == "flagged" and rows[0]["translate.status"] == "skipped"
    assert json.loads(rows[0]["flags"]) == [
        "draft: meta_description has 200 characters; the limit is 155"]
    assert sum(r.user_text.startswith("Translate") for r in fake.requests) == 2


def test_later_steps_are_checked_before_any_call(chain_job, run_cli, fake, api_key):
    cases = {
        "Translate: {{ draft.summary }}": "step 'translate': 'dict object' has no attribute "
                                          "'summary'",
        "Translate: {{ drfat.title }}": "uses 'drfat' but input",
    }
    for template, expected in cases.items():
        result = run_cli("run", chain_job(translate=template), "-q")
        assert result.exit_code == 2, result.output
        assert expected in result.stderr, result.stderr
    clash = PRODUCTS_CSV.replace("Unit Note", "draft")
    result = run_cli("run", chain_job(csv=clash), "-q")
    assert result.exit_code == 2 and "step 'draft' has the name of a column" in result.stderr
    result = run_cli("run", chain_job("template = \"draft.j2\"\n"), "-q")
    assert result.exit_code == 2 and "sets template in each step" in result.stderr
    assert fake.requests == []


def test_candidates_in_long_form_each_with_its_own_cost(job_file, run_cli, fake, api_key,
                                                        tmp_path):
    result = run_cli("run", job_file("candidates = 2\n"), "-q")
    assert result.exit_code in (0, 1), result.output
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert [(r["product_id"], r["variant"]) for r in rows] == [
        ("1", "1"), ("1", "2"), ("2", "1"), ("2", "2"), ("3", "1"), ("3", "2")]
    assert len(fake.requests) == 6  # two answers per row: the identical prompt is sent twice
    assert all(Decimal(r["cost_usd"]) > 0 for r in rows)
    assert run_cli("run", job_file("candidates = 2\n"), "-q").exit_code in (0, 1)
    assert len(fake.requests) == 6


def test_models_side_by_side_in_wide_form(job_file, run_cli, fake, api_key, tmp_path):
    job = job_file('models = ["gpt-4o-mini", "gpt-4.1-mini"]\nvariants_layout = "wide"\n')
    result = run_cli("run", job, "-q")
    assert result.exit_code in (0, 1), result.output
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert len(rows) == 3
    columns = list(rows[0])
    assert "output@gpt-4o-mini" in columns and "cost_usd@gpt-4.1-mini" in columns
    assert columns.index("cached@gpt-4o-mini") < columns.index("output@gpt-4.1-mini")
    for row in rows:
        assert row["model@gpt-4o-mini"] == "gpt-4o-mini-2024-07-18"
        assert row["model@gpt-4.1-mini"] == "gpt-4.1-mini"
        mini, bigger = Decimal(row["cost_usd@gpt-4o-mini"]), Decimal(row["cost_usd@gpt-4.1-mini"])
        assert 0 < mini < bigger
    assert sorted(r.body["model"] for r in fake.requests) == ["gpt-4.1-mini"] * 3 + [
        "gpt-4o-mini"] * 3


def test_estimate_of_a_chain_uses_the_journal_and_says_what_is_approximate(
        chain_job, run_cli, fake, tmp_path, monkeypatch):
    many = "product_id,name,category\n" + "".join(f"{i},P{i},Tea\n" for i in range(1, 61))
    job = chain_job("[params]\nmax_tokens = 60\n", csv=many)
    before = run_cli("estimate", job)
    assert before.exit_code == 0, before.output
    lines = dict(line.strip().split(": ", 1) for line in before.output.splitlines())
    assert lines["requests to send"] == "120"
    assert "approximate for 60 later-step request(s)" in lines["prompt tokens"]
    assert lines["step 'translate' (gpt-4.1-mini)"].startswith("60 request(s)")

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0000000000")
    fake.completion = answer
    assert run_cli("run", job, "-q", "--limit", "10").exit_code == 0  # a trial
    monkeypatch.delenv("OPENAI_API_KEY")
    result = run_cli("estimate", job)
    lines = dict(line.strip().split(": ", 1) for line in result.output.splitlines())
    assert lines["requests to send"] == "100"
    assert lines["rows"].startswith("60 (0 duplicate(s) in the input, 10 already answered")
    assert "mean of 10 earlier answer(s) for step 'translate'" in lines["completion tokens"]
    expected = Decimal(lines["cost"].split()[0].lstrip("$"))
    assert len(fake.requests) == 20  # the estimate called nothing

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0000000000")
    assert run_cli("run", job, "-q").exit_code == 0
    rows = read_rows(tmp_path / "outputs/out.csv")
    actual = sum(Decimal(r["cost_usd"]) for r in rows if r["cached"] == "no")
    assert abs(expected - actual) / actual < Decimal("0.05"), (expected, actual)
    monkeypatch.delenv("OPENAI_API_KEY")
    done = dict(line.strip().split(": ", 1)
                for line in run_cli("estimate", job).output.splitlines())
    assert done["requests to send"] == "0" and "(exact)" in done["prompt tokens"]


def test_generate_critique_revise_with_text_steps(chain_job, run_cli, fake, api_key, tmp_path,
                                                  write):
    write("prompts/critique.j2", "Critique this draft: {{ generate }}")
    write("prompts/revise.j2", "Revise the draft.\nDraft: {{ generate }}\nNotes: {{ critique }}")

    def reply(request: Recorded) -> dict:
        text = request.user_text
        if text.startswith("Critique"):
            return completion_body(request, "Too short.")
        if text.startswith("Revise"):
            draft = re.search(r"Draft: (.*)\n", text).group(1)
            return completion_body(request, f"{draft} Now longer.")
        return completion_body(request, f"Draft for {re.search(r'Describe (.+?) [(]', text)[1]}.")

    fake.completion = reply
    job = chain_job(steps="""
        [[steps]]
        name = "generate"
        template = "draft.j2"
        [[steps]]
        name = "critique"
        template = "critique.j2"
        [[steps]]
        name = "revise"
        template = "revise.j2"
        """)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert rows[0]["generate.output"] == "Draft for Chai."
    assert rows[0]["critique.output"] == "Too short."
    assert rows[0]["revise.output"] == rows[0]["output"] == "Draft for Chai. Now longer."
    revise = next(r for r in fake.requests if r.user_text.startswith("Revise")
                  and "Chai" in r.user_text)
    assert revise.user_text == "Revise the draft.\nDraft: Draft for Chai.\nNotes: Too short."
    assert len(fake.requests) == 9
