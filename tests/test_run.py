"""End to end: `pipeline run` against the loopback server through the official client."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from fake_openai import Reply

# gpt-4o-mini list prices (USD per million tokens), as published by OpenAI and in genai-prices.
INPUT_PER_M, CACHED_PER_M, OUTPUT_PER_M = Decimal("0.15"), Decimal("0.075"), Decimal("0.6")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_to_csv_has_exact_tokens_and_cost(job_file, run_cli, fake, api_key, tmp_path):
    result = run_cli("run", job_file(), "--quiet")

    assert result.exit_code == 0, result.output
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert [r["product_id"] for r in rows] == ["1", "2", "3"]
    assert list(rows[0])[:5] == ["product_id", "name", "category", "unit_price", "Unit Note"]
    assert list(rows[0])[5:] == ["output", "prompt_tokens", "completion_tokens", "cached_tokens",
                                 "cost_usd", "model", "finish_reason", "latency_ms", "attempts",
                                 "status", "error", "flags", "cached", "tokens_estimated",
                                 "answer_id", "review", "review_note"]
    sent = {r.user_text: r for r in fake.requests}
    assert len(fake.requests) == 3
    for row in rows:
        answer = next(a for a in fake.responses
                      if row["name"] in a["choices"][0]["message"]["content"])
        usage = answer["usage"]
        assert row["output"] == answer["choices"][0]["message"]["content"]
        assert int(row["prompt_tokens"]) == usage["prompt_tokens"]
        assert int(row["completion_tokens"]) == usage["completion_tokens"]
        assert row["cached_tokens"] == "0"
        expected = (usage["prompt_tokens"] * INPUT_PER_M
                    + usage["completion_tokens"] * OUTPUT_PER_M) / 1_000_000
        assert Decimal(row["cost_usd"]) == expected
        assert row["model"] == "gpt-4o-mini-2024-07-18"
        assert (row["status"], row["attempts"], row["error"]) == ("ok", "1", "")
        assert row["finish_reason"] == "stop"
    # The exact request body: the rendered messages and nothing we did not ask for.
    chai = next(r for t, r in sent.items() if "Chai" in t)
    assert chai.body == {
        "model": "gpt-4o-mini",
        "messages": [
            {"role": "system", "content": "You write product copy."},
            {"role": "user",
             "content": "Describe Chai (Beverages) at $18; pack: 10 boxes x 20 bags."},
        ],
    }
    assert "rows: 3 ok, 0 failed" in result.stderr


def test_cached_tokens_are_priced_at_the_cached_rate(job_file, run_cli, fake, api_key, tmp_path):
    def cached_answer(request):
        return {"id": "x", "object": "chat.completion", "created": 0, "model": "gpt-4o-mini",
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": "ok"}}],
                "usage": {"prompt_tokens": 2000, "completion_tokens": 100, "total_tokens": 2100,
                          "prompt_tokens_details": {"cached_tokens": 1500}}}

    fake.completion = cached_answer
    assert run_cli("run", job_file(), "-q").exit_code == 0
    row = read_csv(tmp_path / "outputs/out.csv")[0]
    assert row["cached_tokens"] == "1500"
    expected = (500 * INPUT_PER_M + 1500 * CACHED_PER_M + 100 * OUTPUT_PER_M) / 1_000_000
    assert Decimal(row["cost_usd"]) == expected


def test_params_from_the_job_and_the_command_line_are_sent(job_file, run_cli, fake, api_key):
    job = job_file("""
        [params]
        temperature = 0.2
        max_tokens = 50
        seed = 7
        """)
    result = run_cli("run", job, "-q", "--top-p", "0.9", "--stop", "END",
                     "--set", "params.presence_penalty=0.5", "--limit", "1")
    assert result.exit_code == 0, result.output
    assert len(fake.requests) == 1
    body = fake.requests[0].body
    assert {k: body[k] for k in ("temperature", "max_tokens", "seed", "top_p", "stop",
                                 "presence_penalty")} == {
        "temperature": 0.2, "max_tokens": 50, "seed": 7, "top_p": 0.9, "stop": ["END"],
        "presence_penalty": 0.5}


def test_a_500_is_retried_and_counted(job_file, run_cli, fake, api_key, tmp_path):
    fake.on("Chang", Reply.error(500, "upstream exploded", type_="server_error"))
    result = run_cli("run", job_file(), "-q")
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in read_csv(tmp_path / "outputs/out.csv")}
    assert rows["Chang"]["attempts"] == "2"
    assert rows["Chang"]["status"] == "ok"
    assert rows["Chai"]["attempts"] == "1"
    assert fake.count("Chang") == 2
    assert len(fake.requests) == 4


def test_a_400_fails_only_its_row(job_file, run_cli, fake, api_key, tmp_path):
    fake.on("Chang", Reply.error(400, "This model's maximum context length is 128000 tokens",
                                 code="context_length_exceeded"))
    result = run_cli("run", job_file(), "-q")
    assert result.exit_code == 1
    rows = {r["name"]: r for r in read_csv(tmp_path / "outputs/out.csv")}
    assert rows["Chang"]["status"] == "failed"
    assert rows["Chang"]["error"] == (
        "HTTP 400 context_length_exceeded: This model's maximum context length is 128000 tokens")
    assert rows["Chang"]["attempts"] == "1"
    assert rows["Chang"]["cost_usd"] == ""
    assert [rows[n]["status"] for n in ("Chai", "Aniseed Syrup")] == ["ok", "ok"]
    assert fake.count("Chang") == 1  # a 400 is never retried
    assert "1 failed" in result.stderr


def test_retries_give_up_after_max_attempts(job_file, run_cli, fake, api_key, tmp_path):
    fake.on("Chang", *[Reply.error(503, "overloaded", type_="server_error")] * 5)
    result = run_cli("run", job_file(), "-q", "--max-attempts", "3")
    assert result.exit_code == 1
    rows = {r["name"]: r for r in read_csv(tmp_path / "outputs/out.csv")}
    assert rows["Chang"]["status"] == "failed"
    assert rows["Chang"]["attempts"] == "3"
    assert rows["Chang"]["error"] == "gave up after 3 attempt(s): HTTP 503: overloaded"
    assert fake.count("Chang") == 3


def test_a_hang_times_out_and_is_retried(job_file, run_cli, fake, api_key, tmp_path):
    fake.on("Chai", Reply(delay=5))
    result = run_cli("run", job_file(), "-q", "--timeout", "0.5")
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in read_csv(tmp_path / "outputs/out.csv")}
    assert (rows["Chai"]["status"], rows["Chai"]["attempts"]) == ("ok", "2")
    assert fake.count("Chai") == 2


def test_garbage_and_dropped_connections_are_retried(job_file, run_cli, fake, api_key, tmp_path):
    fake.on("Chai", Reply(body=b"<html>502 from a proxy</html>"))
    fake.on("Chang", Reply(drop=True))
    fake.on("Aniseed", Reply(body={"unexpected": "shape"}))
    result = run_cli("run", job_file(), "-q")
    assert result.exit_code == 0, result.output
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert [(r["status"], r["attempts"]) for r in rows] == [("ok", "2")] * 3


def test_a_429_waits_the_stated_time_then_succeeds(job_file, run_cli, fake, api_key, tmp_path):
    fake.on("Chai", Reply.error(429, "Rate limit reached", code="rate_limit_exceeded",
                                headers={"retry-after-ms": "50"}))
    result = run_cli("run", job_file(), "-q")
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in read_csv(tmp_path / "outputs/out.csv")}
    assert rows["Chai"]["attempts"] == "2"


def test_bad_key_stops_the_run_with_exit_3(job_file, run_cli, fake, api_key, tmp_path):
    fake.then(*[Reply.error(401, "Incorrect API key provided: sk-test-SE***i789.",
                            code="invalid_api_key")] * 10)
    result = run_cli("run", job_file(), "-q", "--concurrency", "1")
    assert result.exit_code == 3
    assert "HTTP 401 invalid_api_key" in result.stderr
    assert "check the API key" in result.stderr
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert [r["status"] for r in rows] == ["skipped"] * 3
    assert len(fake.requests) == 1  # nothing more is sent once the key is known bad


def test_quota_stop_keeps_finished_rows(job_file, run_cli, fake, api_key, tmp_path):
    fake.on("Chang", Reply.error(429, "You exceeded your current quota",
                                 code="insufficient_quota", type_="insufficient_quota"))
    result = run_cli("run", job_file(), "-q", "--concurrency", "1")
    assert result.exit_code == 3
    rows = {r["name"]: r for r in read_csv(tmp_path / "outputs/out.csv")}
    assert rows["Chai"]["status"] == "ok" and rows["Chai"]["cost_usd"]
    assert rows["Chang"]["status"] == "skipped"
    assert "insufficient_quota" in rows["Chang"]["error"]
    assert rows["Aniseed Syrup"]["status"] == "skipped"
    assert rows["Aniseed Syrup"]["error"].startswith("not sent")
    assert fake.count("Chang") == 1  # quota is not a rate limit: never retried
    assert fake.count("Aniseed") == 0


def test_quick_run_without_a_job_file(write, run_cli, fake, api_key, tmp_path):
    from conftest import PRODUCTS_CSV, TEMPLATE

    write("in.csv", PRODUCTS_CSV)
    write("t.j2", TEMPLATE)
    result = run_cli("run", "--template", "t.j2", "--input", "in.csv", "--output",
                     "out.jsonl", "--model", "gpt-4o-mini", "--base-url", fake.base_url, "-q")
    assert result.exit_code == 0, result.output
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 3
    assert len(fake.requests) == 3


def test_limit_sends_only_the_first_rows(job_file, run_cli, fake, api_key, tmp_path):
    result = run_cli("run", job_file(), "-q", "--limit", "2")
    assert result.exit_code == 0
    assert [r["name"] for r in read_csv(tmp_path / "outputs/out.csv")] == ["Chai", "Chang"]
    assert len(fake.requests) == 2


def test_run_job_from_python(job_file, fake, api_key, tmp_path):
    import pipeline

    job = pipeline.load_job(job_file(), {"limit": 1})
    report = pipeline.run_job(job, progress=False)
    assert report.exit_code == 0
    assert report.totals.ok == 1
    assert report.totals.cost_usd > 0
    assert isinstance(report.totals.cost_usd, Decimal)


REPO = Path(__file__).resolve().parent.parent


def test_the_example_job_produces_priced_rows_through_a_server(run_cli, fake, api_key, tmp_path):
    result = run_cli("run", REPO / "prompts/product_description.toml", "-q", "--model",
                     "gpt-4o-mini", "--base-url", fake.base_url, "--limit", "10",
                     "--output", tmp_path / "example.csv")
    assert result.exit_code == 0, result.output
    rows = read_csv(tmp_path / "example.csv")
    assert len(rows) == 10 == len(fake.requests)
    assert all(Decimal(r["cost_usd"]) > 0 and r["output"] for r in rows)
    assert any("Product: Chai" in r.user_text for r in fake.requests)
    assert fake.requests[0].body["messages"][0]["role"] == "system"


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json", "xlsx", "parquet"])
def test_every_output_format_end_to_end(job_file, run_cli, fake, api_key, tmp_path, fmt):
    import pandas as pd

    out = tmp_path / f"outputs/result.{fmt}"
    result = run_cli("run", job_file(), "-q", "--output", out)
    assert result.exit_code == 0, result.output
    frame = {"csv": pd.read_csv, "jsonl": lambda p: pd.read_json(p, lines=True),
             "json": pd.read_json, "xlsx": pd.read_excel, "parquet": pd.read_parquet}[fmt](out)
    assert list(frame["name"]) == ["Chai", "Chang", "Aniseed Syrup"]
    assert list(frame["status"]) == ["ok"] * 3
    assert (frame["cost_usd"].astype(float) > 0).all()


def test_python_dash_m_runs_the_cli(job_file, fake, api_key, tmp_path):
    import os
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", str(job_file()), "-q"],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr
    assert "rows: 3 ok" in proc.stderr
    assert (tmp_path / "outputs/out.csv").exists()


def test_progress_bar_shows_rows_failures_and_cost(job_file, fake, api_key, capsys):
    import pipeline

    fake.on("Chang", Reply.error(400, "nope"))
    report = pipeline.run_job(pipeline.load_job(job_file()), progress=True)
    assert report.exit_code == 1
    bar = capsys.readouterr().err
    assert "3/3" in bar
    assert "failed=1" in bar
    assert "cost=$0.0000" in bar
