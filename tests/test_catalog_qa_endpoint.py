"""`translate --qa` with a judge on its own endpoint (docs/catalogs.md, QA): its requests go
to the judge's server with the judge's key (the job's key never leaves the job's endpoint), at
the judge's prices in the cost, the budget and the estimate, within the judge's own limits;
a judge on another endpoint without api_key_env, or in batch mode, is refused with nothing
sent."""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from catalog_data import copy_tree
from conftest import TEST_KEY
from fake_openai import FakeOpenAI, Reply
from fake_qa import FakeJudge, is_qa
from fake_translator import FakeTranslator, translate_text
from test_catalog_qa import FIRST, RETEXT, SECOND, _manifest, _swapping, _translations

from pipeline.outcome import format_cost

JUDGE_MODEL = "mqm-judge-7b"
JUDGE_KEY = "sk-judge-endpoint-key-987654"
#: The judge's own prices (USD per million tokens): none of gpt-4o-mini's.
JUDGE_IN, JUDGE_OUT = Decimal(100), Decimal(300)


@pytest.fixture
def retext(tmp_path) -> Path:
    return copy_tree(RETEXT, tmp_path)


@pytest.fixture
def judge_server() -> Iterator[FakeOpenAI]:
    """A second loopback server: the judge's endpoint."""
    other = FakeOpenAI().start()
    try:
        yield other
    finally:
        other.stop()


@pytest.fixture
def qa_job(write, fake, tmp_path, retext, monkeypatch):
    """A translate job (TOML) whose [judge] table names the judge's own endpoint, key and
    prices (and `extra` lines), the job itself on the `fake` server."""
    monkeypatch.setenv("JUDGE_KEY", JUDGE_KEY)

    def _job(judge_server: FakeOpenAI, extra: str = "", *, key: bool = True) -> Path:
        return write("translate_qa.toml", f"""
            catalog = "{retext}"
            to = ["fr"]
            model = "gpt-4o-mini"
            base_url = "{fake.base_url}"
            journal = "{tmp_path / 'journal.sqlite'}"
            qa = true
            limit = 10

            [judge]
            model = "some-model-the-cli-replaces"
            base_url = "{judge_server.base_url}"
            {'api_key_env = "JUDGE_KEY"' if key else ''}
            prices = {{ input = {JUDGE_IN}, output = {JUDGE_OUT} }}
            {extra}
            """)
    return _job


def _all_headers(server: FakeOpenAI) -> str:
    return "\n".join(f"{k}: {v}" for r in server.requests for k, v in r.headers.items())


def test_qa_goes_to_the_judges_endpoint_with_its_key_and_prices(qa_job, judge_server, fake,
                                                                api_key, run_cli, tmp_path):
    """The swap is caught by the judge on its own server: every QA request (the packed one,
    then each entry alone after its retry) reaches only the judge's server, with the judge's
    key, asking the model --judge names (the table's endpoint kept); every translation only
    the job's server; the QA's cost is priced at the judge's prices."""
    judge = FakeJudge(_swapping())
    judge_server.completion = judge
    fake.completion = _swapping()
    result = run_cli("translate", qa_job(judge_server), "-q", "--judge", JUDGE_MODEL)
    assert result.exit_code == 0, result.output
    host = judge_server.base_url.split("//")[1].split(":")[0]
    assert f"QA ({JUDGE_MODEL}@{host}): MQM penalty" in result.output
    assert "QA: 2 translated again with the findings (2 then passed, 0 left for review); " \
           "0 glossary miss(es) found without a request; 3 request(s)" in result.output
    written = _translations(tmp_path / "qt/retext/retext_fr.ts")
    assert written[("ConfigDialog", FIRST)] == translate_text(FIRST, "fr")
    assert written[("ConfigDialog", SECOND)] == translate_text(SECOND, "fr")

    assert len(judge_server.requests) == 3 and all(is_qa(r) for r in judge_server.requests)
    assert {r.body["model"] for r in judge_server.requests} == {JUDGE_MODEL}
    assert {r.headers.get("authorization") for r in judge_server.requests} == {
        f"Bearer {JUDGE_KEY}"}
    assert TEST_KEY not in _all_headers(judge_server)
    assert fake.requests and not any(is_qa(r) for r in fake.requests)
    assert {r.body["model"] for r in fake.requests} == {"gpt-4o-mini"}
    assert JUDGE_KEY not in _all_headers(fake)

    # The verdicts are priced at the judge's prices, journaled, and in the language's QA.
    with sqlite3.connect(tmp_path / "journal.sqlite") as db:
        verdicts = db.execute("SELECT prompt_tokens, completion_tokens, cost_usd FROM results "
                              "WHERE template_key LIKE 'qa:%'").fetchall()
        spent = Decimal(db.execute("SELECT spent_usd FROM runs").fetchone()[0])
    assert len(verdicts) == 3
    for prompt, completion, cost in verdicts:
        assert Decimal(cost) == (prompt * JUDGE_IN + completion * JUDGE_OUT) / 1_000_000
    qa_cost = sum(Decimal(c) for _, _, c in verdicts)
    manifest = _manifest(tmp_path)
    assert Decimal(manifest["languages"][0]["qa"]["cost_usd"]) == qa_cost
    assert spent == Decimal(manifest["cost_usd"]) > qa_cost  # the one budget: both


def test_the_judges_prices_in_the_budget(qa_job, judge_server, fake, api_key, run_cli,
                                        tmp_path):
    """The budget reserves a QA request at the judge's prices: a cap that holds the
    translation at gpt-4o-mini's prices but not one verdict at the judge's stops the run
    before the verdict is bought, and the translation is not written unjudged."""
    judge_server.completion = FakeJudge(FakeTranslator(language="fr"))
    fake.completion = FakeTranslator(language="fr")
    result = run_cli("translate", qa_job(judge_server), "-q", "--budget", "0.01")
    assert result.exit_code == 3, result.output
    assert fake.requests and judge_server.requests == []
    assert "budget" in result.output.lower()
    assert "10 not sent (the run stopped)" in result.output
    assert "requests: 1 for 10 entries" in result.output  # the translation's; no verdict
    assert re.search(r"QA: .* 0 request\(s\)", result.output)
    assert not any(_translations(tmp_path / "qt/retext/retext_fr.ts").values())


def test_the_estimate_prices_qa_at_the_judges_prices(qa_job, judge_server, fake, run_cli):
    result = run_cli("translate", qa_job(judge_server), "--estimate")
    assert result.exit_code == 0, result.output
    share = next(x for x in result.output.splitlines() if "QA's share" in x)
    costs = next(x for x in result.output.splitlines() if "QA cost" in x)
    prompt = int(re.search(r"prompt tokens about ([\d,]+)", share)[1].replace(",", ""))
    expected = int(re.search(r"completion tokens about ([\d,]+)", share)[1].replace(",", ""))
    at_most = int(re.search(r"at most ([\d,]+)", share)[1].replace(",", ""))
    qa = (prompt * JUDGE_IN + expected * JUDGE_OUT) / 1_000_000
    worst = (prompt * JUDGE_IN + at_most * JUDGE_OUT) / 1_000_000
    assert prompt > 0 and costs.startswith(
        f"  QA cost: {format_cost(qa)} expected, {format_cost(worst)} at most;")
    assert fake.requests == [] and judge_server.requests == []


def test_the_judge_keeps_to_its_own_concurrency(qa_job, judge_server, fake, api_key, run_cli):
    """Five translation requests at once on the job's endpoint; the judge's concurrency is 1:
    its verdicts (each served in 0.3 s) never overlap."""
    judge_server.completion = FakeJudge(FakeTranslator(language="fr"))
    judge_server.per_request = lambda r: Reply(delay=0.3)
    fake.completion = FakeTranslator(language="fr")
    job = qa_job(judge_server, "concurrency = 1")
    result = run_cli("translate", job, "-q", "--batch-entries", "2", "--concurrency", "5")
    assert result.exit_code == 0, result.output
    arrivals = sorted(r.at for r in judge_server.requests)
    assert len(arrivals) == 5
    assert all(later - earlier >= 0.29 for earlier, later in itertools.pairwise(arrivals))


def test_a_judge_elsewhere_without_its_own_key_is_refused(qa_job, judge_server, fake, api_key,
                                                          run_cli):
    fake.completion = FakeTranslator(language="fr")
    result = run_cli("translate", qa_job(judge_server, key=False), "-q")
    assert result.exit_code == 2, result.output
    assert "needs api_key_env" in result.output and "job's key is sent to the job's" in (
        result.output)
    assert fake.requests == [] and judge_server.requests == []


def test_a_judge_elsewhere_is_refused_in_batch_mode(qa_job, judge_server, fake, api_key,
                                                    run_cli):
    fake.completion = FakeTranslator(language="fr")
    result = run_cli("translate", qa_job(judge_server), "-q", "--mode", "batch")
    assert result.exit_code == 2, result.output
    assert "batch mode with a QA judge" in result.output and "leave out --qa" in result.output
    assert fake.requests == [] and fake.batch_api.calls == []
    assert judge_server.requests == []


def test_without_qa_the_judge_table_is_not_used(qa_job, judge_server, fake, api_key, run_cli):
    """qa = false: nothing goes to the judge, and its table is not even checked."""
    fake.completion = FakeTranslator(language="fr")
    job = qa_job(judge_server, key=False)
    result = run_cli("translate", job, "-q", "--set", "qa=false")
    assert result.exit_code == 0, result.output
    assert fake.requests and judge_server.requests == []


def test_judge_with_only_a_model_shares_the_jobs_endpoint(translate, retext, fake):
    """--judge MODEL without a table: QA on the job's endpoint, as before."""
    judge = FakeJudge(FakeTranslator(language="fr"))
    result = translate(retext, "--limit", "10", "--qa", "--judge", JUDGE_MODEL,
                       translator=judge)
    assert result.exit_code == 0, result.output
    assert {r.body["model"] for r in fake.requests if is_qa(r)} == {JUDGE_MODEL}


def test_a_judge_elsewhere_needs_a_price_for_the_budget(write, qa_job, judge_server, fake,
                                                        api_key, run_cli):
    """The judge's model is priced by the judge's table, not the job's: a model no price
    list knows, with no prices in [judge], is refused for --budget before anything is sent
    (though the job's own model has a price)."""
    fake.completion = FakeTranslator(language="fr")
    job = qa_job(judge_server)
    job.write_text(re.sub(r"prices = .*\n", "", job.read_text()))
    result = run_cli("translate", job, "-q", "--judge", JUDGE_MODEL, "--budget", "1")
    assert result.exit_code == 2, result.output
    assert f"a budget needs a price for the judge '{JUDGE_MODEL}'" in result.output
    assert fake.requests == [] and judge_server.requests == []


def test_batch_mode_takes_a_judge_with_only_its_own_limits(run_cli, fake, api_key, retext,
                                                           tmp_path):
    """Batch mode with a judge on the job's endpoint and prices but its own concurrency: the
    QA batch goes through the job's Batch API, the swapped entries' verdicts online after."""
    judge = FakeJudge(_swapping())
    fake.completion = judge
    result = run_cli("translate", retext, "--to", "fr", "-m", "gpt-4o-mini", "--base-url",
                     fake.base_url, "-q", "--mode", "batch", "--qa", "--limit", "10",
                     "--judge", "gpt-4o-mini", "--set", "judge.concurrency=1",
                     "--journal", tmp_path / "j.sqlite", "--set", "batch_poll_s=0.01")
    assert result.exit_code == 0, result.output
    assert [b["request_counts"]["total"] for b in fake.batch_api.batches.values()] == [1, 1]
    assert len(judge.judged) == 3 and len(judge.judged[0]) == 10  # batched, then two alone
    written = _translations(tmp_path / "qt/retext/retext_fr.ts")
    assert written[("ConfigDialog", FIRST)] == translate_text(FIRST, "fr")
    assert written[("ConfigDialog", SECOND)] == translate_text(SECOND, "fr")


def test_a_rerun_buys_only_the_missing_verdict_and_never_twice(qa_job, judge_server, fake,
                                                               api_key, run_cli, tmp_path):
    """Stopped by the budget before the verdict (at the judge's prices), the next run takes
    the translation from the journal and buys only the verdict, on the judge's endpoint; with
    the target removed, a third run buys nothing at either endpoint."""
    judge_server.completion = FakeJudge(FakeTranslator(language="fr"))
    fake.completion = FakeTranslator(language="fr")
    job = qa_job(judge_server)
    assert run_cli("translate", job, "-q", "--budget", "0.01").exit_code == 3
    translated = len(fake.requests)
    assert translated == 1 and judge_server.requests == []
    result = run_cli("translate", job, "-q", "--budget", "5")
    assert result.exit_code == 0, result.output
    assert len(fake.requests) == translated and len(judge_server.requests) == 1
    target = tmp_path / "qt/retext/retext_fr.ts"
    assert _translations(target)[("ConfigDialog", FIRST)] == translate_text(FIRST, "fr")
    target.unlink()
    again = run_cli("translate", job, "-q")
    assert again.exit_code == 0, again.output
    assert len(fake.requests) == translated and len(judge_server.requests) == 1
    assert _translations(target)[("ConfigDialog", FIRST)] == translate_text(FIRST, "fr")
