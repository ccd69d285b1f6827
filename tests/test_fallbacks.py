"""Fallbacks (issue 14, point 1): a row moves to the next target when the job's model cannot
take it (unknown model, context too long, the server failing, a long rate-limit wait, no
quota); each target its own limits and prices; the journal keeps the answer under the row's
own request, so nothing is bought twice; the run stops only when every target is down."""

from __future__ import annotations

import csv

from fake_openai import FakeOpenAI, Recorded, Reply

from pipeline.journal import Journal

ROWS = "product_id,name,category,unit_price,Unit Note\n" + "".join(
    f"{i},Item {i},Cat {i % 3},{i}.50,box\n" for i in range(1, 9))


def read_rows(tmp_path) -> list[dict[str, str]]:
    with (tmp_path / "outputs" / "out.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def only_for(model: str, reply: Reply):
    def choose(request: Recorded) -> Reply | None:
        return reply if request.body.get("model") == model else None
    return choose


def test_an_unknown_model_moves_every_row_to_the_fallback_once(job_file, run_cli, fake,
                                                                api_key, tmp_path):
    fake.per_request = only_for("gpt-4o-mini", Reply.error(
        404, "The model `gpt-4o-mini` does not exist", code="model_not_found"))
    job = job_file('fallbacks = ["gpt-4.1-mini"]\n', csv=ROWS)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    rows = read_rows(tmp_path)
    assert {r["status"] for r in rows} == {"ok"}
    assert {r["model"] for r in rows} == {"gpt-4.1-mini"}
    primary = [r for r in fake.requests if r.body["model"] == "gpt-4o-mini"]
    assert 1 <= len(primary) <= 2  # the first answers said so; then the target was down
    assert "targets: gpt-4o-mini@127.0.0.1: 0 answer(s)" in result.output
    assert "gpt-4.1-mini@127.0.0.1: 8 answer(s)" in result.output
    with Journal(tmp_path / "outputs" / "describe.journal.sqlite") as journal:
        targets = {t for (t,) in journal.db.execute("SELECT target FROM results")}
    assert targets == {"gpt-4.1-mini@127.0.0.1"}
    sent = len(fake.requests)
    again = run_cli("run", job, "-q")
    assert again.exit_code == 0 and len(fake.requests) == sent  # nothing bought twice


def test_a_context_too_long_moves_that_row_only(job_file, run_cli, fake, api_key, tmp_path):
    def choose(request: Recorded) -> Reply | None:
        if request.body["model"] == "gpt-4o-mini" and "Item 3 " in request.user_text:
            return Reply.error(400, "This model's maximum context length is 128000 tokens",
                               code="context_length_exceeded")
        return None
    fake.per_request = choose
    job = job_file('fallbacks = ["gpt-4.1-mini"]\n', csv=ROWS)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    models = {r["product_id"]: r["model"] for r in read_rows(tmp_path)}
    assert models.pop("3") == "gpt-4.1-mini"
    assert set(models.values()) == {"gpt-4o-mini-2024-07-18"}


def test_no_quota_and_a_long_rate_limit_move_rows_instead_of_stopping(job_file, run_cli, fake,
                                                                      api_key, tmp_path):
    fake.per_request = only_for("gpt-4o-mini", Reply.error(
        429, "You exceeded your current quota", code="insufficient_quota",
        type_="insufficient_quota"))
    job = job_file('fallbacks = ["gpt-4.1-mini"]\n', csv=ROWS)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    assert {r["model"] for r in read_rows(tmp_path)} == {"gpt-4.1-mini"}

    second = job_file('fallbacks = ["gpt-4o-mini"]\nfallback_after_s = 5\n',
                      csv=ROWS.replace("Item", "Thing"))
    fake.per_request = only_for("gpt-4.1-mini", Reply.error(
        429, "Rate limit reached", headers={"retry-after": "120"}, code="rate_limit_exceeded"))
    result = run_cli("run", second, "-q", "--model", "gpt-4.1-mini")
    assert result.exit_code == 0, result.output
    assert {r["model"] for r in read_rows(tmp_path)} == {"gpt-4o-mini-2024-07-18"}
    assert "rows moved on: 8x HTTP 429 rate_limit_exceeded" in result.output


def test_a_failing_primary_is_tried_again_after_its_cool_down(job_file, run_cli, fake,
                                                               api_key, tmp_path):
    state = {"down": True}

    def choose(request: Recorded) -> Reply | None:
        if request.body["model"] == "gpt-4o-mini" and state["down"]:
            return Reply.error(503, "overloaded", type_="server_error")
        return None
    fake.per_request = choose
    rows = "product_id,name,category,unit_price,Unit Note\n" + "".join(
        f"{i},Item {i},Cat,1,box\n" for i in range(1, 81))
    job = job_file('fallbacks = ["gpt-4.1-mini"]\nfallback_cool_down_s = 0.05\n'
                   'max_attempts = 1\n', csv=rows)

    def recover(request: Recorded) -> Reply | None:
        if request.body["model"] == "gpt-4.1-mini" and "Item 20 " in request.user_text:
            state["down"] = False
        return choose(request)
    fake.per_request = recover
    result = run_cli("run", job, "-q", "--concurrency", "1")
    assert result.exit_code == 0, result.output
    models = [r["model"] for r in read_rows(tmp_path)]
    assert models[0] == "gpt-4.1-mini" and models[-1] == "gpt-4o-mini-2024-07-18"


def test_another_endpoint_gets_its_own_key_and_never_the_jobs(job_file, run_cli, fake,
                                                              api_key, tmp_path, monkeypatch):
    other = FakeOpenAI().start()
    try:
        monkeypatch.setenv("OTHER_KEY", "sk-other-endpoint-key-123456")
        fake.per_request = only_for("gpt-4o-mini", Reply.error(
            401, "Incorrect API key provided", code="invalid_api_key"))
        job = job_file(f'fallbacks = [{{ model = "llama3.1:8b", base_url = "{other.base_url}", '
                       'api_key_env = "OTHER_KEY" }]\n', csv=ROWS)
        result = run_cli("run", job, "-q")
        assert result.exit_code == 0, result.output
        assert len(other.requests) == 8
        keys = {r.headers.get("authorization") for r in other.requests}
        assert keys == {"Bearer sk-other-endpoint-key-123456"}
        assert {r["model"] for r in read_rows(tmp_path)} == {"llama3.1:8b"}
        no_key = job_file(f'fallbacks = [{{ model = "m", base_url = "{other.base_url}" }}]\n')
        refused = run_cli("run", no_key, "-q")
        assert refused.exit_code == 2 and "needs api_key_env" in refused.output
    finally:
        other.stop()


def test_every_target_down_stops_the_run(job_file, run_cli, fake, api_key, tmp_path):
    fake.per_request = lambda request: Reply.error(
        404, f"The model `{request.body['model']}` does not exist", code="model_not_found")
    job = job_file('fallbacks = ["gpt-4.1-mini"]\n', csv=ROWS)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 3, result.output
    assert "every target is down" in result.output
    assert len(fake.requests) <= 6


def test_the_budget_reserves_at_the_dearest_target(job_file, run_cli, fake, api_key):
    """$0.0003 holds eight gpt-4o-mini requests at their worst (about $0.000035 each), not
    one at gpt-4.1's ($0.00047): with gpt-4.1 as a fallback nothing may go out."""
    with_fallback = run_cli("run", job_file('fallbacks = ["gpt-4.1"]\n', csv=ROWS), "-q",
                            "--budget", "0.0003", "--max-tokens", "50")
    assert with_fallback.exit_code == 3, with_fallback.output
    assert "budget reached" in with_fallback.output and not fake.requests
    alone = run_cli("run", job_file(csv=ROWS), "-q", "--budget", "0.0003",
                    "--max-tokens", "50")
    assert alone.exit_code in (0, 1), alone.output  # replies cut at 50 tokens are flagged
    assert len(fake.requests) >= 2


def test_the_estimate_prices_at_most_at_the_dearest_target(job_file, run_cli, fake):
    plain = run_cli("estimate", job_file(csv=ROWS), "--max-tokens", "50")
    dear = run_cli("estimate", job_file('fallbacks = ["gpt-4.1"]\n', csv=ROWS),
                   "--max-tokens", "50")

    def at_most(output: str) -> float:
        line = next(x for x in output.splitlines() if x.startswith("cost: "))
        return float(line.split(", $")[1].split(" at most")[0])

    assert at_most(dear.output) > 5 * at_most(plain.output)
    assert "with fallbacks (gpt-4.1): 'at most' prices each request" in dear.output


def test_fallback_on_the_command_line(job_file, run_cli, fake, api_key, tmp_path):
    fake.per_request = only_for("gpt-4o-mini", Reply.error(
        404, "The model `gpt-4o-mini` does not exist", code="model_not_found"))
    result = run_cli("run", job_file(csv=ROWS), "-q", "--fallback", "gpt-4.1-mini")
    assert result.exit_code == 0, result.output
    assert {r["model"] for r in read_rows(tmp_path)} == {"gpt-4.1-mini"}
