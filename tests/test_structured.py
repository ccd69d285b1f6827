"""Structured outputs and quality gates, end to end through the official client and our server."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal

from fake_openai import Recorded, completion_body

FIELDS = """
    [fields]
    title = "string"
    bullets = "string[]"
    meta_description = "string"
    """


def read_rows(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def product(request: Recorded) -> str:
    """The product a request is about (the first user message names it)."""
    first_user = next(m["content"] for m in request.body["messages"] if m["role"] == "user")
    return re.search(r"Describe (.+?) \(", first_user).group(1)


def copy_for(request: Recorded, *, meta: str | None = None) -> dict:
    name = product(request)
    return {"title": f"{name}, the classic", "bullets": [f"{name} one", "two", "three"],
            "meta_description": meta or f"Buy {name} today: fresh stock, fast delivery."}


def json_answer(make):
    """A server completion function answering with json.dumps(make(request))."""
    return lambda request: completion_body(request, json.dumps(make(request)))


def usage_cost(responses: list[dict]) -> Decimal:
    """What gpt-4o-mini's list price makes of the server's reported usage."""
    total = Decimal(0)
    for r in responses:
        u = r["usage"]
        total += (Decimal(u["prompt_tokens"]) * Decimal("0.15")
                  + Decimal(u["completion_tokens"]) * Decimal("0.6")) / Decimal(1_000_000)
    return total


def test_schema_valid_replies_expand_into_columns(job_file, run_cli, fake, api_key, tmp_path):
    fake.completion = json_answer(copy_for)
    result = run_cli("run", job_file(FIELDS), "-q")
    assert result.exit_code == 0, result.output
    sent = fake.requests[0].body["response_format"]
    assert sent["type"] == "json_schema" and sent["json_schema"]["strict"] is True
    assert sent["json_schema"]["schema"]["required"] == ["title", "bullets", "meta_description"]
    assert sent["json_schema"]["schema"]["properties"]["bullets"]["type"] == "array"
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert list(rows[0])[5:9] == ["title", "bullets", "meta_description", "output"]
    assert [r["title"] for r in rows] == ["Chai, the classic", "Chang, the classic",
                                          "Aniseed Syrup, the classic"]
    assert json.loads(rows[0]["bullets"]) == ["Chai one", "two", "three"]  # JSON text in CSV
    assert {r["status"] for r in rows} == {"ok"} and {r["flags"] for r in rows} == {""}

    # JSONL keeps the structure; written from the journal, no call.
    before = len(fake.requests)
    result = run_cli("export", job_file(FIELDS), "-o", tmp_path / "outputs/out.jsonl")
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in (tmp_path / "outputs/out.jsonl").read_text().splitlines()]
    assert lines[1]["bullets"] == ["Chang one", "two", "three"] and lines[1]["flags"] is None
    assert len(fake.requests) == before


def test_an_invalid_reply_is_retried_with_the_error_then_flagged(job_file, run_cli, fake,
                                                                   api_key, tmp_path):
    fake.completion = lambda request: completion_body(request, "Sure! Here is your copy.")
    result = run_cli("run", job_file("fix_attempts = 2\n" + FIELDS), "-q")
    assert result.exit_code == 1, result.output
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert {r["status"] for r in rows} == {"flagged"}
    assert all("not valid JSON" in r["flags"] for r in rows)
    assert {r["attempts"] for r in rows} == {"3"}  # the first answer and two corrections
    assert len(fake.requests) == 9
    retry = next(r for r in fake.requests if len(r.body["messages"]) > 2)
    assert retry.body["messages"][-2] == {"role": "assistant",
                                          "content": "Sure! Here is your copy."}
    assert "the reply is not valid JSON" in retry.body["messages"][-1]["content"]
    # The row's tokens and cost are every paid attempt's.
    paid = Decimal(0)
    for row in rows:
        paid += Decimal(row["cost_usd"])
    assert paid == usage_cost(fake.responses)
    assert sum(int(r["prompt_tokens"]) for r in rows) == sum(
        x["usage"]["prompt_tokens"] for x in fake.responses)


def test_a_too_long_field_is_sent_back_and_fixed(job_file, run_cli, fake, api_key, tmp_path):
    long_meta = "M" * 171

    def answer(request: Recorded) -> dict:
        fixed = any("the limit is 155" in m["content"] for m in request.body["messages"]
                    if m["role"] == "user")
        return copy_for(request, meta=None if fixed else long_meta)

    fake.completion = json_answer(answer)
    job = job_file(FIELDS + """
        [checks.meta_description]
        max_chars = 155
        """)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert {r["status"] for r in rows} == {"ok"} and {r["attempts"] for r in rows} == {"2"}
    assert all(len(r["meta_description"]) <= 155 for r in rows)
    followups = [r for r in fake.requests if len(r.body["messages"]) == 4]
    assert len(followups) == 3
    assert followups[0].body["messages"][-1]["content"].startswith(
        "Your answer does not meet these requirements:\n"
        "- meta_description has 171 characters; the limit is 155\n")
    assert sum(Decimal(r["cost_usd"]) for r in rows) == usage_cost(fake.responses)


def test_a_gate_that_is_never_met_flags_the_row_with_its_reasons(job_file, run_cli, fake,
                                                                   api_key, tmp_path, write):
    write("prompts/banned.txt", "# words legal does not want\ncheap\nbest ever\n")
    fake.completion = json_answer(lambda r: copy_for(
        r, meta=f"The best ever {product(r)} - cheap!"))
    job = job_file("fix_attempts = 1\n" + FIELDS + """
        [checks.meta_description]
        must_not_include_file = "banned.txt"
        must_include = ["{{ name }}", "{{ category }}"]
        [checks.bullets]
        min_items = 3
        max_items = 3
        max_words = 5
        """)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 1, result.output
    rows = read_rows(tmp_path / "outputs/out.csv")
    chai = json.loads(rows[0]["flags"])
    assert chai == ["meta_description must include \"Beverages\"",
                    "meta_description must not include: best ever, cheap"]
    assert rows[0]["status"] == "flagged" and rows[0]["attempts"] == "2"
    assert rows[0]["meta_description"] == "The best ever Chai - cheap!"  # kept for review


def test_final_flags_are_not_retried(job_file, run_cli, fake, api_key, tmp_path):
    """Truncated, filtered, refused and empty answers are flagged at once: asking again would
    mostly pay for the same failure."""
    replies = {
        "Chai": lambda r: completion_body(r, "A lovely tea that", finish_reason="length"),
        "Chang": lambda r: completion_body(r, "", finish_reason="content_filter"),
        "Aniseed": lambda r: completion_body(r, "", refusal="I can't help with that."),
    }
    fake.completion = lambda r: next(f(r) for k, f in replies.items() if k in r.user_text)
    result = run_cli("run", job_file(), "-q")
    assert result.exit_code == 1, result.output
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert [r["status"] for r in rows] == ["flagged"] * 3
    assert "truncated" in rows[0]["flags"]
    assert "content filter" in rows[1]["flags"]
    assert "refused: I can't help with that." in rows[2]["flags"]
    assert len(fake.requests) == 3

    fake.reset()
    fake.completion = lambda r: completion_body(r, "   ")
    result = run_cli("run", job_file(), "-q", "--refresh")
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert {r["flags"] for r in rows} == {'["empty answer"]'}
    assert len(fake.requests) == 3


def test_leftover_template_markers_are_caught(job_file, run_cli, fake, api_key, tmp_path):
    fake.completion = lambda r: completion_body(
        r, "Meet [Insert product name], brewed for {{ audience }}.")
    result = run_cli("run", job_file("fix_attempts = 0\n"), "-q", "--limit", "1")
    assert result.exit_code == 1
    flags = json.loads(read_rows(tmp_path / "outputs/out.csv")[0]["flags"])
    assert flags == ["the answer contains a leftover template marker '[Insert product name]': "
                     "write the real text instead"]


def test_a_server_without_json_schema_gets_json_mode_and_the_schema_in_words(
        job_file, run_cli, fake, api_key, tmp_path):
    fake.json_schema = False
    fake.completion = json_answer(copy_for)
    result = run_cli("run", job_file(FIELDS), "-q", "--concurrency", "1")
    assert result.exit_code == 0, result.output
    assert "the server refused json_schema for gpt-4o-mini (HTTP 400" in result.stderr
    assert "switched to json_object with the schema beside it" in result.stderr
    kinds = [r.body["response_format"]["type"] for r in fake.requests]
    assert kinds == ["json_schema", "json_object", "json_object", "json_object"]
    system = fake.requests[1].body["messages"][0]
    assert system["role"] == "system" and "JSON Schema" in system["content"]
    assert '"meta_description"' in system["content"]
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert rows[0]["title"] == "Chai, the classic"
    assert {r["attempts"] for r in rows} == {"1"}  # the refused request was not billed


def test_a_schema_file_with_nested_values(job_file, run_cli, fake, api_key, tmp_path, write):
    write("prompts/copy.schema.json", json.dumps({
        "type": "object", "additionalProperties": False,
        "required": ["title", "specs"],
        "properties": {"title": {"type": "string", "maxLength": 40},
                       "specs": {"type": "object", "additionalProperties": False,
                                 "required": ["weight_g"],
                                 "properties": {"weight_g": {"type": "integer"}}}}}))
    def answer(request: Recorded) -> dict:
        first_chai = product(request) == "Chai" and len(request.body["messages"]) == 2
        return {"title": product(request),
                "specs": {"weight_g": "heavy" if first_chai else 250}}

    fake.completion = json_answer(answer)
    result = run_cli("run", job_file('schema = "copy.schema.json"\n'), "-q")
    assert result.exit_code == 0, result.output
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert json.loads(rows[0]["specs"]) == {"weight_g": 250}
    assert [r["attempts"] for r in rows] == ["2", "1", "1"]
    followup = next(r for r in fake.requests if len(r.body["messages"]) == 4)
    assert "specs.weight_g: 'heavy' is not of type 'integer'" in (
        followup.body["messages"][-1]["content"])


def test_bad_checks_and_schemas_are_refused_before_any_call(job_file, run_cli, fake, api_key,
                                                             write):
    cases = {
        FIELDS + "[checks.summary]\nmax_chars = 3\n": "checks.summary: no such output field",
        FIELDS + "[checks.title]\nregex = \"([a-z\"\n": "checks.title.regex: not a valid regular",
        FIELDS + "[checks.title]\nmust_not_include_file = \"nope.txt\"\n": "nope.txt does not "
                                                                            "exist",
        FIELDS + "[checks.title]\nmust_include = [\"{{ colour }}\"]\n": "'colour' is undefined",
        'schema = "missing.json"\n': "missing.json does not exist",
        "[schema]\ntype = \"array\"\n": "the schema must describe an object",
        "[schema]\ntype = \"object\"\nproperties = { a = { type = \"text\" } }\n":
            "not a valid JSON Schema",
        "[checks.title]\nmax_chars = 3\n": "it asks for plain text",
        "fields = [\"title\", \"bad name\"]\n": "field names must be identifiers",
    }
    for extra, expected in cases.items():
        result = run_cli("run", job_file(extra), "-q")
        assert result.exit_code == 2, (extra, result.output)
        assert expected in result.stderr, (extra, result.stderr)
    assert fake.requests == []


def test_a_run_killed_mid_correction_resumes_without_buying_the_first_reply_again(
        job_file, run_cli, fake, api_key, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from fake_openai import Reply

    def answer(request: Recorded) -> dict:
        corrected = len(request.body["messages"]) > 2
        return copy_for(request, meta=None if corrected else "M" * 171)

    fake.completion = json_answer(answer)
    fake.on("the limit is 155", *[Reply(delay=30) for _ in range(3)])  # corrections hang
    job = job_file(FIELDS + """
        [checks.meta_description]
        max_chars = 155
        """)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(job), "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ))
    deadline = time.monotonic() + 30
    while fake.count("the limit is 155") < 3:
        assert time.monotonic() < deadline and proc.poll() is None, "never asked to correct"
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    first_replies = list(fake.responses)
    assert len(first_replies) == 3  # three paid replies, all waiting for their correction

    fake.reset()
    fake.completion = json_answer(answer)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    # Only the corrections were sent again: the paid first replies came from the journal.
    assert [len(r.body["messages"]) for r in fake.requests] == [4, 4, 4]
    assert all(r.body["messages"][2]["content"].count("M" * 171) for r in fake.requests)
    rows = read_rows(tmp_path / "outputs/out.csv")
    assert {r["status"] for r in rows} == {"ok"} and {r["attempts"] for r in rows} == {"2"}
    assert sum(Decimal(r["cost_usd"]) for r in rows) == usage_cost(first_replies
                                                                    + fake.responses)
