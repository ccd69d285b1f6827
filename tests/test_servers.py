"""The OpenAI-compatible servers people run: structured replies degrade by what the server
accepts (refusals shaped as each real server sends them), the mode that worked is remembered,
and a server without usage gets our own counts, marked estimated."""

from __future__ import annotations

import json
import sqlite3

import pytest
from fake_openai import completion_body, default_completion
from test_structured import FIELDS, copy_for, json_answer, read_rows

LLAMA_CPP_PYTHON_500 = "Input should be 'text' or 'json_object'"


def kinds(fake) -> list[str]:
    return [(r.body.get("response_format") or {}).get("type", "none") for r in fake.requests]


def test_llama_cpp_python_refuses_json_schema_with_a_500_and_gets_its_own_form(
        job_file, run_cli, fake, api_key, tmp_path):
    """llama-cpp-python's server answers json_schema with HTTP 500 (a validation error); the
    run switches once to json_object with the schema beside it, and no row fails or pays an
    attempt for it."""
    fake.persona = "llama-cpp-python"
    fake.completion = json_answer(copy_for)
    result = run_cli("run", job_file(FIELDS), "-q", "--concurrency", "1")
    assert result.exit_code == 0, result.output
    assert kinds(fake) == ["json_schema", "json_object", "json_object", "json_object"]
    assert fake.log[0][1] == 500
    form = fake.requests[1].body["response_format"]
    assert form["schema"]["required"] == ["title", "bullets", "meta_description"]
    system = fake.requests[1].body["messages"][0]["content"]
    assert "JSON Schema" in system and '"meta_description"' in system
    assert "the server refused json_schema for gpt-4o-mini (HTTP 500" in result.stderr
    assert LLAMA_CPP_PYTHON_500 in result.stderr
    assert "json_object with the schema beside it (llama.cpp's form)" in result.stderr
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert [r["status"] for r in rows] == ["ok"] * 3
    assert {r["attempts"] for r in rows} == {"1"}


def test_a_server_without_response_format_ends_on_text_and_lenient_parsing(
        job_file, run_cli, fake, api_key, tmp_path):
    """A server that takes no response_format at all (FastAPI's 422) is walked down every mode,
    once each, to plain text; a reply wrapped in words still parses."""
    fake.persona = "plain"
    fake.completion = lambda r: completion_body(
        r, "Sure! Here is the copy:\n" + json.dumps(copy_for(r)) + "\nHope it helps.")
    result = run_cli("run", job_file(FIELDS), "-q", "--concurrency", "1")
    assert result.exit_code == 0, result.output
    assert kinds(fake) == ["json_schema", "json_object", "json_object", "none", "none", "none"]
    assert [status for _, status in fake.log[:3]] == [422, 422, 422]
    assert result.stderr.count("the server refused") == 3
    assert "plain text with the schema in the system message, parsed leniently" in result.stderr
    assert [r["title"] for r in read_rows(tmp_path / "outputs/out.csv")] == [
        "Chai, the classic", "Chang, the classic", "Aniseed Syrup, the classic"]


def test_many_requests_refused_at_once_step_down_one_mode_at_a_time(
        job_file, run_cli, fake, api_key, write, tmp_path):
    """Eight requests in flight are all refused with json_schema: the run moves down one mode,
    not eight, and every row is answered."""
    rows = "product_id,name,category,unit_price,Unit Note\n" + "".join(
        f"{i},Item {i},Cat,1,box\n" for i in range(1, 41))
    fake.persona = "llama-cpp-python"
    fake.completion = json_answer(copy_for)
    fake.enforce(None)
    result = run_cli("run", job_file(FIELDS, csv=rows), "-q", "--concurrency", "8")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("the server refused") == 1
    assert set(kinds(fake)) == {"json_schema", "json_object"}
    assert kinds(fake).count("json_object") == 40


def test_the_mode_that_worked_is_remembered_for_the_next_run(job_file, run_cli, fake,
                                                                api_key, tmp_path):
    fake.persona = "llama-cpp-python"
    fake.completion = json_answer(copy_for)
    job = job_file(FIELDS)
    assert run_cli("run", job, "-q", "--concurrency", "1").exit_code == 0
    journal = sqlite3.connect(tmp_path / "outputs/describe.journal.sqlite")
    assert journal.execute("SELECT endpoint, model, response_format_mode FROM server_modes"
                           ).fetchall() == [(fake.base_url + "/", "gpt-4o-mini",
                                             "json_object_schema")]
    journal.close()
    fake.requests.clear()
    fake.log.clear()
    again = run_cli("run", job, "-q", "--refresh")
    assert again.exit_code == 0, again.output
    assert kinds(fake) == ["json_object"] * 3  # no refused first request this time
    assert all(status == 200 for _, status in fake.log)
    assert "as an earlier run found this server accepts (journal)" in again.stderr


def test_response_format_mode_forces_a_mode(job_file, run_cli, fake, api_key, tmp_path):
    fake.completion = json_answer(copy_for)
    result = run_cli("run", job_file('response_format_mode = "text"\n' + FIELDS), "-q")
    assert result.exit_code == 0, result.output
    assert kinds(fake) == ["none"] * 3
    assert "Reply with one JSON object" in fake.requests[0].body["messages"][0]["content"]


def test_a_forced_mode_the_server_refuses_stops_the_run_saying_what_to_set(
        job_file, run_cli, fake, api_key, tmp_path):
    fake.persona = "lm-studio"  # refuses json_object with a 400
    fake.completion = json_answer(copy_for)
    job = job_file('response_format_mode = "json_object"\n' + FIELDS)
    result = run_cli("run", job, "-q", "--concurrency", "1")
    assert result.exit_code == 3, result.output
    assert ("the server refused response_format_mode = 'json_object' (HTTP 400: "
            "'response_format.type' must be 'json_schema' or 'text'); set "
            "response_format_mode = 'auto'") in result.stderr
    assert len(fake.requests) == 1


def test_lm_studio_takes_json_schema_as_it_is(job_file, run_cli, fake, api_key, tmp_path):
    fake.persona = "lm-studio"
    fake.completion = json_answer(copy_for)
    result = run_cli("run", job_file(FIELDS), "-q")
    assert result.exit_code == 0, result.output
    assert kinds(fake) == ["json_schema"] * 3
    assert "refused" not in result.stderr


@pytest.mark.parametrize("persona", ["llama-cpp-python", "plain"])
def test_a_catalog_translates_through_servers_that_refuse_json_schema(
        run_cli, fake, api_key, tmp_path, persona):
    from fake_translator import FakeTranslator
    from test_catalogs import copy

    source = copy("django/humanize.en.po", tmp_path / "locale/en/LC_MESSAGES/django.po")
    fake.persona = persona
    fake.completion = FakeTranslator(language="fr")
    result = run_cli("translate", source, "--to", "fr", "-m", "gpt-4o-mini", "--base-url",
                     fake.base_url, "-q")
    assert result.exit_code == 0, result.output
    assert "56 translated (0 of them after a retry alone), 0 left for review" in result.stderr
    assert "the server refused json_schema" in result.stderr


def test_a_server_that_sends_no_usage_gets_our_counts_marked_estimated(
        job_file, run_cli, fake, api_key, tmp_path):
    fake.send_usage = False
    result = run_cli("run", job_file(), "-q")
    assert result.exit_code == 0, result.output
    rows = read_rows(tmp_path / "outputs/out.csv")
    fake.send_usage = True  # what the server would have said, for comparison
    # Requests arrive in whatever order concurrency gives; pair each row with the request
    # whose answer it holds, not with the request in the same position.
    by_answer = {default_completion(r)["choices"][0]["message"]["content"]: r
                 for r in fake.requests}
    assert len(by_answer) == len(fake.requests) == len(rows)
    for row in rows:
        request = by_answer[row["output"]]
        reported = completion_body(request, row["output"])["usage"]
        assert row["tokens_estimated"] == "yes"
        assert int(row["prompt_tokens"]) == reported["prompt_tokens"]
        assert int(row["completion_tokens"]) == reported["completion_tokens"]
        assert row["cost_usd"] not in ("", "0")
    journal = sqlite3.connect(tmp_path / "outputs/describe.journal.sqlite")
    assert journal.execute("SELECT DISTINCT usage_estimated FROM results").fetchall() == [(1,)]
    journal.close()
