"""provider = "anthropic": Claude through Anthropic's Messages API, end to end through the real
CLI and the official `anthropic` SDK talking HTTP to the loopback stand-in (fake_anthropic.py).
Costs are derived from the locked genai-prices, never written down here."""

from __future__ import annotations

import csv
import importlib.util
import json
import logging
import re
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ANTHROPIC_TEST_KEY, PRODUCTS_CSV, TEMPLATE, TEST_KEY
from fake_anthropic import error, overloaded, prompt_too_long, rate_limited, rfc3339
from genai_prices import Usage as PriceUsage
from genai_prices import calc_price

from pipeline.config import load_job
from pipeline.errors import ConfigError
from pipeline.records import Request
from pipeline.send.fallbacks import target_job

needs_sdk = pytest.mark.skipif(importlib.util.find_spec("anthropic") is None,
                               reason="needs the [anthropic] extra")
CLAUDE = "claude-haiku-4-5"
#: About 1,500 tokens of house style shared by every row: long enough to cache.
GUIDE = " ".join(f"Rule {i}: write plainly, name the product, avoid superlatives." for i in
                 range(150))


def claude_job(write, claude, extra: str = "", *, template: str = TEMPLATE,
               rows: str = PRODUCTS_CSV) -> Path:
    """A job on provider = "anthropic" over the 3-row CSV, pointed at the loopback server."""
    write("data/products.csv", rows)
    write("prompts/describe.j2", template)
    return write("prompts/describe.toml", f"""\
        input = "../data/products.csv"
        template = "describe.j2"
        output = "../outputs/out.csv"
        id_column = "product_id"
        provider = "anthropic"
        model = "{CLAUDE}"
        base_url = "{claude.base_url}"
        concurrency = 2
        timeout = 2
        """ + textwrap.dedent(extra))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def list_price(model: str, usage: dict) -> Decimal:
    """What genai-prices (the locked version) says Anthropic charges for a reply's usage."""
    read, written = usage["cache_read_input_tokens"], usage["cache_creation_input_tokens"]
    price = calc_price(PriceUsage(input_tokens=usage["input_tokens"] + read + written,
                                  output_tokens=usage["output_tokens"],
                                  cache_read_tokens=read or None,
                                  cache_write_tokens=written or None),
                       model, provider_id="anthropic")
    return Decimal(price.total_price)


def answered(claude, name: str) -> dict:
    """The message the server sent for the row about product `name`."""
    return next(message for request, message in claude.sent if name in request.user_text)


# -- routing and keys (no SDK needed) --------------------------------------------------------

def job(**keys) -> object:
    return load_job(None, {"input": "a.csv", "template": "t.j2", **keys})


def test_auto_sends_claude_models_to_anthropic_with_its_own_key_variable():
    on_anthropic = job(model="claude-sonnet-4-5")
    assert on_anthropic.resolved_provider == "anthropic"
    assert on_anthropic.api_key_env == "ANTHROPIC_API_KEY"
    assert job(model="claude-haiku-4-5", base_url="https://api.anthropic.com"
               ).resolved_provider == "anthropic"
    openai = job(model="gpt-4o-mini")
    assert (openai.resolved_provider, openai.api_key_env) == ("openai", "OPENAI_API_KEY")
    # A gateway serving Claude over OpenAI's API (LiteLLM) keeps its claude-* names.
    gateway = job(model="claude-haiku-4-5", base_url="http://litellm.internal:4000/v1")
    assert (gateway.resolved_provider, gateway.api_key_env) == ("openai", "OPENAI_API_KEY")
    named = job(model="claude-haiku-4-5", provider="openai")
    assert (named.resolved_provider, named.api_key_env) == ("openai", "OPENAI_API_KEY")
    own = job(model="claude-haiku-4-5", api_key_env="MY_CLAUDE_KEY")
    assert (own.resolved_provider, own.api_key_env) == ("anthropic", "MY_CLAUDE_KEY")
    assert job(model="claude-haiku-4-5", provider="anthropic").api_key_env == \
        "ANTHROPIC_API_KEY"


def test_a_claude_fallback_of_an_openai_job_never_gets_the_openai_key():
    openai = job(model="gpt-4o-mini", api_key=TEST_KEY, fallbacks=["claude-haiku-4-5"],
                 judge={"model": "claude-sonnet-4-5"})
    for target in (target_job(openai, "claude-haiku-4-5"),
                   target_job(openai, openai.judge, what="[judge]")):
        assert target.resolved_provider == "anthropic"
        assert (target.api_key, target.api_key_env, target.base_url) == \
            (None, "ANTHROPIC_API_KEY", None)
    same = target_job(openai, "gpt-4.1-mini")  # the job's own provider: its key and endpoint
    assert same.api_key is not None and same.api_key_env == "OPENAI_API_KEY"


@needs_sdk
def test_a_claude_judge_of_an_openai_job_goes_to_anthropic_with_anthropics_key(
        write, run_cli, fake, claude, api_key, anthropic_key, monkeypatch, tmp_path):
    # The job names no base_url (OpenAI's, here the loopback one), so the judge's claude-*
    # model is Anthropic's (here the loopback one too).
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", claude.base_url)
    path = claude_job(write, claude, '[judge]\nmodel = "claude-haiku-4-5"\n')
    path.write_text(path.read_text().replace('provider = "anthropic"', "").replace(
        f'model = "{CLAUDE}"', 'model = "gpt-4o-mini"', 1).replace(
        f'base_url = "{claude.base_url}"', ""))
    result = run_cli("run", path, "-q")
    assert result.exit_code == 0, result.output + result.stderr
    assert len(fake.requests) == 3 and len(claude.requests) == 3  # the writer, the judge
    assert {r.body["model"] for r in fake.requests} == {"gpt-4o-mini"}
    assert {r.headers["authorization"] for r in fake.requests} == {f"Bearer {TEST_KEY}"}
    assert {r.headers["authorization"] for r in claude.requests} == \
        {f"Bearer {ANTHROPIC_TEST_KEY}"}
    assert all(r.body["tool_choice"] == {"type": "tool", "name": "answer"}
               for r in claude.requests)
    assert "judge: 3 answer(s) rated" in result.output


def test_no_key_is_exit_2_naming_anthropics_variable_and_nothing_is_sent(write, run_cli,
                                                                         claude, api_key):
    result = run_cli("run", claude_job(write, claude), "-q")
    assert result.exit_code == 2
    assert "set ANTHROPIC_API_KEY" in result.stderr
    assert claude.requests == []  # OPENAI_API_KEY is set, and never sent to Anthropic


# -- a run ----------------------------------------------------------------------------------

@needs_sdk
def test_every_row_is_answered_with_exact_tokens_and_cost(write, run_cli, claude,
                                                          anthropic_key, tmp_path):
    result = run_cli("run", claude_job(write, claude), "-q")
    assert result.exit_code == 0, result.output + result.stderr
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert len(rows) == 3 and len(claude.requests) == 3
    for row in rows:
        message = answered(claude, row["name"])
        usage = message["usage"]
        assert row["output"] == message["content"][0]["text"]
        assert int(row["prompt_tokens"]) == usage["input_tokens"]  # nothing cached here
        assert int(row["completion_tokens"]) == usage["output_tokens"]
        assert row["cached_tokens"] == "0"
        assert Decimal(row["cost_usd"]) == list_price(CLAUDE, usage) > 0
        assert (row["model"], row["finish_reason"], row["status"], row["attempts"]) == \
            (CLAUDE, "stop", "ok", "1")
    chai = next(r for r in claude.requests if "Chai" in r.user_text)
    assert chai.path == "/v1/messages"
    # The system prompt as `system`, the rest as messages; max_tokens, which Anthropic
    # requires, at its documented default; nothing else.
    assert chai.body == {
        "model": CLAUDE, "max_tokens": 4096,
        "system": [{"type": "text", "text": "You write product copy."}],
        "messages": [{"role": "user",
                      "content": "Describe Chai (Beverages) at $18; pack: 10 boxes x 20 bags."}],
    }
    assert chai.headers["authorization"] == f"Bearer {ANTHROPIC_TEST_KEY}"
    assert chai.headers["anthropic-version"] == "2026-10-21"
    assert "rows: 3 ok, 0 failed" in result.stderr


@needs_sdk
def test_the_jobs_cap_is_max_tokens_and_sampling_parameters_are_left_out(write, run_cli, claude,
                                                                         anthropic_key):
    job_path = claude_job(write, claude, """
        [params]
        temperature = 0.3
        max_tokens = 60
        stop = "###"
        """)
    result = run_cli("run", job_path, "-q")
    assert result.exit_code == 0, result.output + result.stderr
    for request in claude.requests:  # the fake answers 400 to a temperature, as Anthropic does
        assert request.body["max_tokens"] == 60
        assert request.body["stop_sequences"] == ["###"]
        assert "temperature" not in request.body
    assert "temperature is not sent to Anthropic" in result.output


@needs_sdk
def test_a_reply_cut_at_max_tokens_is_flagged_as_truncated(write, run_cli, claude,
                                                           anthropic_key, tmp_path):
    claude.completion = lambda request: claude.message(request, " ".join(["word"] * 40))
    result = run_cli("run", claude_job(write, claude, "[params]\nmax_tokens = 5\n"), "-q")
    assert result.exit_code == 1
    assert {m["stop_reason"] for m in claude.messages} == {"max_tokens"}
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert {(r["status"], r["finish_reason"]) for r in rows} == {("flagged", "length")}
    assert all("truncated" in r["flags"] for r in rows)


@needs_sdk
def test_a_structured_reply_comes_through_one_forced_tool(write, run_cli, claude,
                                                          anthropic_key, tmp_path):
    def reply(request):
        first_user = request.body["messages"][0]["content"]
        name = re.search(r"Describe (.+?) \(", first_user).group(1)
        first = len(request.body["messages"]) == 1
        meta = ("x" * 200) if first and name == "Chang" else f"Buy {name} today."
        return claude.message(request, tool_input={"title": f"{name}, the classic",
                                                   "meta_description": meta})
    claude.completion = reply
    job_path = claude_job(write, claude, """
        fields = ["title", "meta_description"]
        [checks.meta_description]
        max_chars = 155
        """)
    result = run_cli("run", job_path, "-q")
    assert result.exit_code == 0, result.output + result.stderr
    rows = {r["name"]: r for r in read_csv(tmp_path / "outputs/out.csv")}
    assert rows["Chai"]["title"] == "Chai, the classic"
    assert rows["Chai"]["meta_description"] == "Buy Chai today."
    assert rows["Chang"]["meta_description"] == "Buy Chang today."  # fixed on the way back
    first = claude.requests[0].body
    assert first["tools"] == [{
        "name": "answer", "description": "Give the answer, shaped as this schema says.",
        "input_schema": {"type": "object",
                         "properties": {"title": {"type": "string"},
                                        "meta_description": {"type": "string"}},
                         "required": ["title", "meta_description"],
                         "additionalProperties": False}}]
    assert first["tool_choice"] == {"type": "tool", "name": "answer"}
    # The too-long answer went back as the assistant's turn, with the problem after it.
    again = next(r for r in claude.requests if len(r.body["messages"]) == 3)
    said = again.body["messages"]
    assert [m["role"] for m in said] == ["user", "assistant", "user"]
    assert json.loads(said[1]["content"])["meta_description"] == "x" * 200
    assert "155" in said[2]["content"]


# -- errors ---------------------------------------------------------------------------------

@needs_sdk
def test_a_429_waits_the_retry_after_it_states_then_the_row_succeeds(write, run_cli, claude,
                                                                     anthropic_key, tmp_path):
    claude.on("Chang", rate_limited(retry_after="1"))
    result = run_cli("run", claude_job(write, claude), "-q", "--concurrency", "1")
    assert result.exit_code == 0, result.output + result.stderr
    assert claude.count("Chang") == 2
    refused = next(r for r in claude.requests if "Chang" in r.user_text)
    after = [r.at for r in claude.requests if r.at > refused.at]
    # Nothing is sent for the second the server asked for (the policy's own first backoff
    # is at most half a second).
    assert min(after) - refused.at >= 0.95
    rows = {r["name"]: r for r in read_csv(tmp_path / "outputs/out.csv")}
    assert {r["status"] for r in rows.values()} == {"ok"}


@needs_sdk
def test_a_529_overloaded_is_retried(write, run_cli, claude, anthropic_key, tmp_path):
    claude.on("Chang", overloaded())
    result = run_cli("run", claude_job(write, claude), "-q")
    assert result.exit_code == 0, result.output + result.stderr
    rows = {r["name"]: r for r in read_csv(tmp_path / "outputs/out.csv")}
    assert (rows["Chang"]["status"], rows["Chang"]["attempts"]) == ("ok", "2")
    assert claude.count("Chang") == 2


@needs_sdk
def test_a_prompt_too_long_fails_only_its_row(write, run_cli, claude, anthropic_key, tmp_path):
    claude.on("Chang", prompt_too_long())
    result = run_cli("run", claude_job(write, claude), "-q")
    assert result.exit_code == 1
    rows = {r["name"]: r for r in read_csv(tmp_path / "outputs/out.csv")}
    assert rows["Chang"]["status"] == "failed"
    assert rows["Chang"]["error"].startswith(
        "HTTP 400 invalid_request_error context_length_exceeded: prompt is too long")
    assert {rows["Chai"]["status"], rows["Aniseed Syrup"]["status"]} == {"ok"}
    assert claude.count("Chang") == 1  # never sent again as it is


@needs_sdk
def test_a_prompt_too_long_moves_to_a_fallback_model(write, run_cli, claude, anthropic_key,
                                                     tmp_path):
    claude.per_request = lambda r: (prompt_too_long() if "Chang" in r.user_text
                                    and r.body["model"] == CLAUDE else None)
    result = run_cli("run", claude_job(write, claude, 'fallbacks = ["claude-sonnet-4-5"]\n'),
                     "-q")
    assert result.exit_code == 0, result.output + result.stderr
    rows = {r["name"]: r for r in read_csv(tmp_path / "outputs/out.csv")}
    assert (rows["Chang"]["status"], rows["Chang"]["model"]) == ("ok", "claude-sonnet-4-5")
    assert rows["Chai"]["model"] == CLAUDE


@needs_sdk
def test_a_refused_key_stops_the_run_with_exit_3_and_the_key_is_never_shown(
        write, run_cli, claude, anthropic_key, tmp_path, caplog):
    # The server echoes the key back, as a misbehaving proxy might: it must not get through.
    claude.then(*[error(401, "authentication_error",
                        f"invalid x-api-key {ANTHROPIC_TEST_KEY}")] * 5)
    with caplog.at_level(logging.DEBUG):
        result = run_cli("run", claude_job(write, claude), "-v", "--concurrency", "1",
                         "--output", tmp_path / "outputs/out.jsonl")
    assert result.exit_code == 3  # README, exit codes: stopped early (auth)
    assert "HTTP 401 authentication_error: invalid x-api-key [redacted]" in result.stderr
    assert "check the API key" in result.stderr
    assert len(claude.requests) == 1  # nothing more is sent once the key is known bad
    assert claude.requests[0].headers["authorization"] == f"Bearer {ANTHROPIC_TEST_KEY}"
    written = (tmp_path / "outputs/out.jsonl").read_text()
    assert [json.loads(line)["status"] for line in written.splitlines()] == ["skipped"] * 3
    for text in (result.output, result.stderr, caplog.text, written):
        assert ANTHROPIC_TEST_KEY not in text
        assert "SECRET-zyx987" not in text


@needs_sdk
def test_a_spend_limit_429_stops_the_run_and_is_not_retried(write, run_cli, claude,
                                                            anthropic_key):
    limit = error(429, "rate_limit_error", "Your organization has reached its spend limit.")
    limit.body["error"]["details"] = {"error_code": "enforced_spend_limit_reached"}
    claude.on("Chai", limit)
    result = run_cli("run", claude_job(write, claude), "-q", "--concurrency", "1")
    assert result.exit_code == 3
    assert "enforced_spend_limit_reached" in result.stderr
    assert claude.count("Chai") == 1


# -- rate limits ----------------------------------------------------------------------------

@needs_sdk
def test_the_rate_limit_headers_are_learned(write, run_cli, claude, anthropic_key):
    claude.limit_headers = {
        "anthropic-ratelimit-requests-limit": "50",
        "anthropic-ratelimit-requests-remaining": "49",
        "anthropic-ratelimit-requests-reset": rfc3339(1.2),
        "anthropic-ratelimit-input-tokens-limit": "50000",
        "anthropic-ratelimit-input-tokens-remaining": "49000",
        "anthropic-ratelimit-input-tokens-reset": rfc3339(1.2),
        "anthropic-ratelimit-output-tokens-limit": "10000",
        "anthropic-ratelimit-output-tokens-remaining": "9900",
        "anthropic-ratelimit-output-tokens-reset": rfc3339(0.4),
    }
    result = run_cli("run", claude_job(write, claude), "-q", "-v")
    assert result.exit_code == 0, result.output + result.stderr
    # The tighter token limit: one bucket holds the prompt and the completion cap together.
    assert "rate limits: 50 requests/min, 10,000 tokens/min (learned from the server)" \
        in result.stderr


@needs_sdk
@pytest.mark.parametrize(("headers", "expected"), [
    ({}, {}),
    ({"anthropic-ratelimit-requests-limit": "4000",
      "anthropic-ratelimit-requests-remaining": "3999",
      "anthropic-ratelimit-requests-reset": "2026-12-10T12:00:01Z"},
     {"x-ratelimit-limit-requests": "4000", "x-ratelimit-remaining-requests": "3999",
      "x-ratelimit-reset-requests": "1.000s"}),
    ({"anthropic-ratelimit-tokens-limit": "80000", "anthropic-ratelimit-tokens-remaining": "100",
      "anthropic-ratelimit-input-tokens-limit": "400000",
      "anthropic-ratelimit-output-tokens-limit": "80000",
      "anthropic-ratelimit-output-tokens-reset": "2026-12-10T12:00:30+00:00",
      "anthropic-ratelimit-input-tokens-reset": "2026-12-10T11:59:00Z"},  # past: 0
     {"x-ratelimit-limit-tokens": "80000", "x-ratelimit-remaining-tokens": "100",
      "x-ratelimit-reset-tokens": "30.000s"}),
    ({"Anthropic-RateLimit-Requests-Limit": "garbage", "anthropic-ratelimit-requests-reset":
      "tomorrow", "anthropic-ratelimit-input-tokens-limit": "-5",
      "anthropic-ratelimit-output-tokens-limit": "inf", "x-ratelimit-limit-requests": "9"}, {}),
])
def test_anthropic_rate_headers_in_the_limiters_terms(headers, expected):
    from datetime import UTC, datetime

    from pipeline.send.providers.anthropic import rate_headers_from

    now = datetime(2026, 12, 10, 12, 0, 0, tzinfo=UTC).timestamp()
    assert rate_headers_from(headers, now=now) == expected


# -- prompt caching -------------------------------------------------------------------------

@needs_sdk
def test_a_long_shared_system_prompt_is_cached_and_priced_at_the_cache_rates(
        write, run_cli, claude, anthropic_key, tmp_path):
    shared = ("{% block system %}" + GUIDE + "{% endblock %}"
              "{% block user %}Describe {{ name }} ({{ category }}).{% endblock %}")
    result = run_cli("run", claude_job(write, claude, template=shared), "-q",
                     "--concurrency", "1")
    assert result.exit_code == 0, result.output + result.stderr
    marks = [[b.get("cache_control") for b in r.body["system"]] for r in claude.requests]
    # Sent once, not marked (a write costs more than a plain read of the prompt); marked from
    # the first repeat, so the write is read back.
    assert marks == [[None], [{"type": "ephemeral"}], [{"type": "ephemeral"}]]
    usages = [m["usage"] for m in claude.messages]
    assert [u["cache_creation_input_tokens"] > 1000 for u in usages] == [False, True, False]
    assert usages[2]["cache_read_input_tokens"] == usages[1]["cache_creation_input_tokens"]
    rows = read_csv(tmp_path / "outputs/out.csv")
    for row, usage in zip(rows, usages, strict=True):
        total = (usage["input_tokens"] + usage["cache_read_input_tokens"]
                 + usage["cache_creation_input_tokens"])
        assert int(row["prompt_tokens"]) == total
        assert int(row["cached_tokens"]) == usage["cache_read_input_tokens"]
        assert Decimal(row["cost_usd"]) == list_price(CLAUDE, usage)
    plain = dict(usages[2], input_tokens=usages[2]["input_tokens"]
                 + usages[2]["cache_read_input_tokens"], cache_read_input_tokens=0)
    assert list_price(CLAUDE, usages[2]) < list_price(CLAUDE, plain)  # the read is cheaper
    assert "billed at the cached rate, saving $" in result.output


@needs_sdk
def test_a_system_prompt_that_differs_per_row_is_never_marked(write, run_cli, claude,
                                                              anthropic_key):
    per_row = ("{% block system %}" + GUIDE + " Now {{ name }}.{% endblock %}"
               "{% block user %}Describe {{ name }}.{% endblock %}")
    result = run_cli("run", claude_job(write, claude, template=per_row), "-q")
    assert result.exit_code == 0, result.output + result.stderr
    assert all("cache_control" not in r.body["system"][0] for r in claude.requests)


@needs_sdk
def test_prompt_cache_key_false_marks_nothing(write, run_cli, claude, anthropic_key):
    shared = ("{% block system %}" + GUIDE + "{% endblock %}"
              "{% block user %}Describe {{ name }}.{% endblock %}")
    job_path = claude_job(write, claude, "prompt_cache_key = false\n", template=shared)
    result = run_cli("run", job_path, "-q", "--concurrency", "1")
    assert result.exit_code == 0, result.output + result.stderr
    assert all("cache_control" not in r.body["system"][0] for r in claude.requests)


@needs_sdk
def test_a_garbled_answer_is_retried(write, run_cli, claude, anthropic_key, tmp_path):
    from fake_openai import Reply

    claude.on("Chang", Reply(body=b'{"id": "msg_01", "type": "mess'))
    result = run_cli("run", claude_job(write, claude), "-q")
    assert result.exit_code == 0, result.output + result.stderr
    rows = {r["name"]: r for r in read_csv(tmp_path / "outputs/out.csv")}
    assert (rows["Chang"]["status"], rows["Chang"]["attempts"]) == ("ok", "2")


@needs_sdk
def test_a_refused_connection_is_said_in_words_and_retryable(anthropic_key):
    import asyncio
    import socket

    from pipeline.errors import Retryable
    from pipeline.send.providers.anthropic import AnthropicProvider

    with socket.socket() as free:  # a port nobody listens on
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    provider = AnthropicProvider(api_key=ANTHROPIC_TEST_KEY, base_url=f"http://127.0.0.1:{port}")
    request = Request(row_id="1", model=CLAUDE, fingerprint="f", params={},
                      messages=[{"role": "user", "content": "Hi"}])

    async def attempt() -> BaseException:
        try:
            await provider.complete(request, timeout=2)
        except Exception as exc:
            return exc
        finally:
            await provider.aclose()
        raise AssertionError("answered")

    err = provider.classify(asyncio.run(attempt()))
    assert isinstance(err, Retryable) and err.outage
    assert str(err) == f"connection refused (http://127.0.0.1:{port})"


@pytest.mark.parametrize(("base_url", "endpoint"), [
    (None, "https://api.anthropic.com/"),
    ("https://api.anthropic.com", "https://api.anthropic.com/"),
    ("https://api.anthropic.com/v1", "https://api.anthropic.com/"),  # the SDK adds /v1
    ("https://gateway.internal/anthropic/v1/", "https://gateway.internal/anthropic/"),
])
def test_the_endpoint_is_anthropics_or_the_jobs_without_its_v1(base_url, endpoint):
    from pipeline.send.providers import endpoint_for

    keys = {"model": CLAUDE, "provider": "anthropic"}
    assert endpoint_for(job(**keys, **({"base_url": base_url} if base_url else {}))) == endpoint


# -- the body -------------------------------------------------------------------------------

@needs_sdk
def test_images_become_image_blocks_and_every_system_message_joins_system():
    from pipeline.send.providers.anthropic import request_body

    request = Request(
        row_id="1", model=CLAUDE, fingerprint="f", params={"max_completion_tokens": 99},
        messages=[{"role": "system", "content": "One."},
                  {"role": "user", "content": [
                      {"type": "text", "text": "What is this?"},
                      {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBO"}},
                      {"type": "image_url", "image_url": {"url": "https://x.test/a.jpg"}}]},
                  {"role": "system", "content": [{"type": "text", "text": "Two."}]}])
    assert request_body(request) == {
        "model": CLAUDE, "max_tokens": 99,
        "system": [{"type": "text", "text": "One."}, {"type": "text", "text": "Two."}],
        "messages": [{"role": "user", "content": [
            {"type": "text", "text": "What is this?"},
            {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                         "data": "iVBO"}},
            {"type": "image", "source": {"type": "url", "url": "https://x.test/a.jpg"}}]}]}


@needs_sdk
def test_the_provider_is_refused_without_its_sdk(monkeypatch):
    from pipeline.send.providers import anthropic as module

    monkeypatch.setattr(module, "anthropic", None)
    with pytest.raises(ConfigError, match=r"pip install -e '\.\[anthropic\]'"):
        module.AnthropicProvider(api_key="k")
