"""provider = "gemini": Gemini through Google's Gemini API, end to end through the real CLI
and the official `google-genai` SDK talking HTTP to the loopback stand-in (fake_gemini.py).
Costs are derived from the locked genai-prices, never written down here."""

from __future__ import annotations

import asyncio
import csv
import importlib.util
import json
import logging
import re
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import GEMINI_TEST_KEY, PRODUCTS_CSV, TEMPLATE, TEST_KEY
from fake_gemini import (
    error,
    internal,
    key_invalid,
    not_found,
    permission_denied,
    rate_limited,
    too_long,
    unavailable,
)
from fake_openai import Reply
from genai_prices import Usage as PriceUsage
from genai_prices import calc_price

from pipeline.config import load_job
from pipeline.errors import ConfigError, FatalForRow, FatalForRun, RateLimited, Retryable
from pipeline.records import Request
from pipeline.send.fallbacks import target_job


def _has_sdk() -> bool:
    try:
        return importlib.util.find_spec("google.genai") is not None
    except ModuleNotFoundError:  # no google package at all
        return False


needs_sdk = pytest.mark.skipif(not _has_sdk(), reason="needs the [gemini] extra")
GEMINI = "gemini-2.5-flash"
#: About 1,500 tokens of house style shared by every row: long enough to be cached.
GUIDE = " ".join(f"Rule {i}: write plainly, name the product, avoid superlatives." for i in
                 range(150))


def gemini_job(write, gemini, extra: str = "", *, template: str = TEMPLATE,
               rows: str = PRODUCTS_CSV) -> Path:
    """A job on provider = "gemini" over the 3-row CSV, pointed at the loopback server."""
    write("data/products.csv", rows)
    write("prompts/describe.j2", template)
    return write("prompts/describe.toml", f"""\
        input = "../data/products.csv"
        template = "describe.j2"
        output = "../outputs/out.csv"
        id_column = "product_id"
        provider = "gemini"
        model = "{GEMINI}"
        base_url = "{gemini.base_url}"
        concurrency = 2
        timeout = 2
        """ + textwrap.dedent(extra))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def list_price(model: str, usage: dict) -> Decimal:
    """What genai-prices (the locked version) says Google charges for an answer's usage:
    thinking tokens are output tokens."""
    cached = usage.get("cachedContentTokenCount", 0)
    price = calc_price(PriceUsage(input_tokens=usage["promptTokenCount"],
                                  cache_read_tokens=cached or None,
                                  output_tokens=usage["candidatesTokenCount"]
                                  + usage.get("thoughtsTokenCount", 0)),
                       model, provider_id="google")
    return Decimal(price.total_price)


def answered(gemini, name: str) -> dict:
    """The answer the server sent for the row about product `name`."""
    return next(answer for request, answer in gemini.sent if name in request.user_text)


def by_name(tmp_path: Path) -> dict[str, dict[str, str]]:
    return {r["name"]: r for r in read_csv(tmp_path / "outputs/out.csv")}


# -- routing and keys (no SDK needed) --------------------------------------------------------

def job(**keys) -> object:
    return load_job(None, {"input": "a.csv", "template": "t.j2", **keys})


def test_auto_sends_gemini_models_to_gemini_with_its_own_key_variable():
    on_gemini = job(model="gemini-2.5-pro")
    assert (on_gemini.resolved_provider, on_gemini.api_key_env) == ("gemini", "GEMINI_API_KEY")
    assert job(model=GEMINI, base_url="https://generativelanguage.googleapis.com/v1beta"
               ).resolved_provider == "gemini"
    # Gemini's own OpenAI-compatible endpoint, and a gateway, keep the OpenAI API.
    for base_url in ("https://generativelanguage.googleapis.com/v1beta/openai/",
                     "https://generativelanguage.googleapis.com/v1beta/openai",
                     "http://litellm.internal:4000/v1"):
        compatible = job(model=GEMINI, base_url=base_url)
        assert (compatible.resolved_provider, compatible.api_key_env) == \
            ("openai", "OPENAI_API_KEY")
    named = job(model=GEMINI, provider="openai")
    assert (named.resolved_provider, named.api_key_env) == ("openai", "OPENAI_API_KEY")
    own = job(model=GEMINI, api_key_env="MY_GEMINI_KEY")
    assert (own.resolved_provider, own.api_key_env) == ("gemini", "MY_GEMINI_KEY")
    assert job(model="gemma-3-27b-it", provider="gemini").api_key_env == "GEMINI_API_KEY"


def test_a_gemini_fallback_of_an_openai_job_never_gets_the_openai_key():
    openai = job(model="gpt-4o-mini", api_key=TEST_KEY, fallbacks=[GEMINI],
                 judge={"model": "gemini-2.5-pro"})
    for target in (target_job(openai, GEMINI), target_job(openai, openai.judge, what="[judge]")):
        assert target.resolved_provider == "gemini"
        assert (target.api_key, target.api_key_env, target.base_url) == \
            (None, "GEMINI_API_KEY", None)


@pytest.mark.parametrize(("base_url", "endpoint"), [
    (None, "https://generativelanguage.googleapis.com/"),
    ("https://generativelanguage.googleapis.com", "https://generativelanguage.googleapis.com/"),
    ("https://generativelanguage.googleapis.com/v1beta/",  # the SDK adds the version
     "https://generativelanguage.googleapis.com/"),
    ("https://gateway.internal/gemini/v1", "https://gateway.internal/gemini/"),
])
def test_the_endpoint_is_googles_or_the_jobs_without_its_api_version(base_url, endpoint):
    from pipeline.send.providers import endpoint_for

    keys = {"model": GEMINI, "provider": "gemini"}
    assert endpoint_for(job(**keys, **({"base_url": base_url} if base_url else {}))) == endpoint


def test_gemini_base_url_in_the_environment_is_the_endpoint(monkeypatch):
    from pipeline.send.providers import endpoint_for

    monkeypatch.setenv("GEMINI_BASE_URL", "http://proxy.internal:8080/v1beta")
    assert endpoint_for(job(model=GEMINI)) == "http://proxy.internal:8080/"


def test_no_key_is_exit_2_naming_geminis_variable_and_nothing_is_sent(write, run_cli, gemini,
                                                                      api_key):
    result = run_cli("run", gemini_job(write, gemini), "-q")
    assert result.exit_code == 2
    assert "set GEMINI_API_KEY" in result.stderr
    assert gemini.requests == []  # OPENAI_API_KEY is set, and never sent to Google


# -- a run ----------------------------------------------------------------------------------

@needs_sdk
def test_every_row_is_answered_with_exact_tokens_and_cost(write, run_cli, gemini, gemini_key,
                                                          tmp_path):
    result = run_cli("run", gemini_job(write, gemini), "-q")
    assert result.exit_code == 0, result.output + result.stderr
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert len(rows) == 3 and len(gemini.requests) == 3
    for row in rows:
        answer = answered(gemini, row["name"])
        usage = answer["usageMetadata"]
        assert row["output"] == answer["candidates"][0]["content"]["parts"][0]["text"]
        assert int(row["prompt_tokens"]) == usage["promptTokenCount"]
        assert int(row["completion_tokens"]) == usage["candidatesTokenCount"]
        assert row["cached_tokens"] == "0"
        assert Decimal(row["cost_usd"]) == list_price(GEMINI, usage) > 0
        assert (row["model"], row["finish_reason"], row["status"], row["attempts"]) == \
            (GEMINI, "stop", "ok", "1")
    chai = next(r for r in gemini.requests if "Chai" in r.user_text)
    assert chai.path == f"/v1beta/models/{GEMINI}:generateContent"
    # The system prompt as systemInstruction, the rest as contents; no cap the job did not set
    # (the SDK sends an empty generationConfig then).
    assert chai.body == {
        "systemInstruction": {"parts": [{"text": "You write product copy."}]},
        "contents": [{"role": "user", "parts": [
            {"text": "Describe Chai (Beverages) at $18; pack: 10 boxes x 20 bags."}]}],
        "generationConfig": {},
    }
    assert chai.headers["x-goog-api-key"] == GEMINI_TEST_KEY
    assert "rows: 3 ok, 0 failed" in result.stderr
    assert "list price" not in result.output  # priced as Google's, not guessed from the URL


@needs_sdk
def test_the_jobs_parameters_go_out_in_geminis_generation_config(write, run_cli, gemini,
                                                                 gemini_key):
    job_path = gemini_job(write, gemini, """
        [params]
        temperature = 0.3
        top_p = 0.9
        seed = 7
        max_tokens = 60
        stop = "###"
        """)
    result = run_cli("run", job_path, "-q")
    assert result.exit_code == 0, result.output + result.stderr
    for request in gemini.requests:
        assert request.body["generationConfig"] == {
            "temperature": 0.3, "topP": 0.9, "seed": 7, "maxOutputTokens": 60,
            "stopSequences": ["###"]}
    assert "not sent to Gemini" not in result.output


@needs_sdk
def test_a_reply_cut_at_max_output_tokens_is_flagged_as_truncated(write, run_cli, gemini,
                                                                  gemini_key, tmp_path):
    gemini.completion = lambda request: gemini.answer(request, " ".join(["word"] * 40))
    result = run_cli("run", gemini_job(write, gemini, "[params]\nmax_tokens = 5\n"), "-q")
    assert result.exit_code == 1
    assert {a["candidates"][0]["finishReason"] for a in gemini.answers} == {"MAX_TOKENS"}
    rows = read_csv(tmp_path / "outputs/out.csv")
    assert {(r["status"], r["finish_reason"]) for r in rows} == {("flagged", "length")}
    assert all("truncated" in r["flags"] for r in rows)


@needs_sdk
def test_a_structured_reply_is_json_by_the_jobs_schema(write, run_cli, gemini, gemini_key,
                                                      tmp_path):
    def reply(request):
        first_user = request.body["contents"][0]["parts"][0]["text"]
        name = re.search(r"Describe (.+?) \(", first_user).group(1)
        first = len(request.body["contents"]) == 1
        meta = ("x" * 200) if first and name == "Chang" else f"Buy {name} today."
        return gemini.answer(request, fields={"title": f"{name}, the classic",
                                              "meta_description": meta})
    gemini.completion = reply
    job_path = gemini_job(write, gemini, """
        fields = ["title", "meta_description"]
        [checks.meta_description]
        max_chars = 155
        """)
    result = run_cli("run", job_path, "-q")
    assert result.exit_code == 0, result.output + result.stderr
    rows = by_name(tmp_path)
    assert rows["Chai"]["title"] == "Chai, the classic"
    assert rows["Chai"]["meta_description"] == "Buy Chai today."
    assert rows["Chang"]["meta_description"] == "Buy Chang today."  # fixed on the way back
    config = gemini.requests[0].body["generationConfig"]
    assert config == {
        "responseMimeType": "application/json",
        "responseJsonSchema": {"type": "object",
                               "properties": {"title": {"type": "string"},
                                              "meta_description": {"type": "string"}},
                               "required": ["title", "meta_description"],
                               "additionalProperties": False}}
    # The too-long answer went back as the model's turn, with the problem after it.
    again = next(r for r in gemini.requests if len(r.body["contents"]) == 3)
    said = again.body["contents"]
    assert [c["role"] for c in said] == ["user", "model", "user"]
    assert json.loads(said[1]["parts"][0]["text"])["meta_description"] == "x" * 200
    assert "155" in said[2]["parts"][0]["text"]


@needs_sdk
def test_thinking_tokens_are_billed_as_output_and_thoughts_are_not_the_answer(
        write, run_cli, gemini, gemini_key, tmp_path):
    gemini.thinking_tokens = 120
    result = run_cli("run", gemini_job(write, gemini), "-q")
    assert result.exit_code == 0, result.output + result.stderr
    for row in read_csv(tmp_path / "outputs/out.csv"):
        answer = answered(gemini, row["name"])
        usage = answer["usageMetadata"]
        assert int(row["completion_tokens"]) == usage["candidatesTokenCount"] + 120
        assert Decimal(row["cost_usd"]) == list_price(GEMINI, usage)
        assert row["output"] == answer["candidates"][0]["content"]["parts"][1]["text"]
        assert "Thinking" not in row["output"]


@needs_sdk
def test_a_withheld_answer_or_a_blocked_prompt_is_a_refusal(write, run_cli, gemini,
                                                            gemini_key, tmp_path):
    usage = {"promptTokenCount": 20, "totalTokenCount": 20}
    gemini.on("Chai", Reply(body={"candidates": [{"finishReason": "SAFETY", "index": 0}],
                                  "usageMetadata": usage, "modelVersion": GEMINI}))
    gemini.on("Chang", Reply(body={"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"},
                                   "usageMetadata": usage, "modelVersion": GEMINI}))
    result = run_cli("run", gemini_job(write, gemini), "-q")
    assert result.exit_code == 1
    rows = by_name(tmp_path)
    assert (rows["Chai"]["status"], rows["Chai"]["finish_reason"]) == ("flagged", "safety")
    assert "refused: Gemini withheld the answer (finishReason: SAFETY)" in rows["Chai"]["flags"]
    assert rows["Chang"]["status"] == "flagged"
    assert "refused: Gemini blocked the prompt (blockReason: PROHIBITED_CONTENT)" in \
        rows["Chang"]["flags"]
    assert rows["Aniseed Syrup"]["status"] == "ok"
    assert gemini.count("Chai") == 1 and gemini.count("Chang") == 1  # a refusal is not retried


# -- errors ---------------------------------------------------------------------------------

@needs_sdk
def test_a_429_waits_the_retry_delay_it_states_then_the_row_succeeds(write, run_cli, gemini,
                                                                     gemini_key, tmp_path):
    gemini.on("Chang", rate_limited(retry_delay="1.5s"))
    result = run_cli("run", gemini_job(write, gemini), "-q", "--concurrency", "1")
    assert result.exit_code == 0, result.output + result.stderr
    assert gemini.count("Chang") == 2
    refused = next(r for r in gemini.requests if "Chang" in r.user_text)
    after = [r.at for r in gemini.requests if r.at > refused.at]
    # Nothing is sent for the 1.5 seconds the server asked for (the policy's own first backoff
    # is at most half a second).
    assert min(after) - refused.at >= 1.45
    assert {r["status"] for r in by_name(tmp_path).values()} == {"ok"}


@needs_sdk
@pytest.mark.parametrize("reply", [unavailable, internal,
                                   lambda: error(504, "DEADLINE_EXCEEDED", "Deadline expired"),
                                   lambda: Reply(body=b'{"candidates": [{"content": {"par')],
                         ids=["503", "500", "504", "garbage"])
def test_an_outage_or_a_garbled_answer_is_retried(write, run_cli, gemini, gemini_key, tmp_path,
                                                  reply):
    gemini.on("Chang", reply())
    result = run_cli("run", gemini_job(write, gemini), "-q")
    assert result.exit_code == 0, result.output + result.stderr
    rows = by_name(tmp_path)
    assert (rows["Chang"]["status"], rows["Chang"]["attempts"]) == ("ok", "2")
    assert gemini.count("Chang") == 2  # the SDK sent it once each time: its retries are off


@needs_sdk
def test_a_request_that_hangs_times_out_and_is_sent_again(write, run_cli, gemini, gemini_key,
                                                          tmp_path):
    gemini.on("Chang", Reply(delay=3.5))  # the job's timeout is 2 s
    result = run_cli("run", gemini_job(write, gemini), "-q")
    assert result.exit_code == 0, result.output + result.stderr
    rows = by_name(tmp_path)
    assert (rows["Chang"]["status"], rows["Chang"]["attempts"]) == ("ok", "2")
    assert gemini.count("Chang") == 2


@needs_sdk
def test_an_input_too_long_fails_only_its_row(write, run_cli, gemini, gemini_key, tmp_path):
    gemini.on("Chang", too_long())
    result = run_cli("run", gemini_job(write, gemini), "-q")
    assert result.exit_code == 1
    rows = by_name(tmp_path)
    assert rows["Chang"]["status"] == "failed"
    assert rows["Chang"]["error"].startswith(
        "HTTP 400 INVALID_ARGUMENT context_length_exceeded: The input token count (1250000)")
    assert {rows["Chai"]["status"], rows["Aniseed Syrup"]["status"]} == {"ok"}
    assert gemini.count("Chang") == 1  # never sent again as it is


@needs_sdk
def test_an_input_too_long_moves_to_a_fallback_model(write, run_cli, gemini, gemini_key,
                                                     tmp_path):
    gemini.per_request = lambda r: (too_long() if "Chang" in r.user_text
                                    and r.model == GEMINI else None)
    result = run_cli("run", gemini_job(write, gemini, 'fallbacks = ["gemini-2.5-pro"]\n'), "-q")
    assert result.exit_code == 0, result.output + result.stderr
    rows = by_name(tmp_path)
    assert (rows["Chang"]["status"], rows["Chang"]["model"]) == ("ok", "gemini-2.5-pro")
    assert rows["Chai"]["model"] == GEMINI


@needs_sdk
def test_a_refused_key_stops_the_run_with_exit_3_and_the_key_is_never_shown(
        write, run_cli, gemini, gemini_key, tmp_path, caplog):
    # The server echoes the key back, as a misbehaving proxy might: it must not get through.
    refusal = key_invalid()
    refusal.body["error"]["message"] = f"API key not valid: {GEMINI_TEST_KEY}"
    gemini.then(*[refusal] * 5)
    with caplog.at_level(logging.DEBUG):
        result = run_cli("run", gemini_job(write, gemini), "-v", "--concurrency", "1",
                         "--output", tmp_path / "outputs/out.jsonl")
    assert result.exit_code == 3  # README, exit codes: stopped early (auth)
    assert ("HTTP 400 INVALID_ARGUMENT API_KEY_INVALID: API key not valid: [redacted]"
            in result.stderr)
    assert "check the API key" in result.stderr
    assert len(gemini.requests) == 1  # nothing more is sent once the key is known bad
    assert gemini.requests[0].headers["x-goog-api-key"] == GEMINI_TEST_KEY
    written = (tmp_path / "outputs/out.jsonl").read_text()
    assert [json.loads(line)["status"] for line in written.splitlines()] == ["skipped"] * 3
    for text in (result.output, result.stderr, caplog.text, written):
        assert GEMINI_TEST_KEY not in text
        assert "SECRET-gem987" not in text


@needs_sdk
@pytest.mark.parametrize(("reply", "said"), [
    (permission_denied, "HTTP 403 PERMISSION_DENIED: Permission denied"),
    (lambda: not_found(GEMINI), "HTTP 404 NOT_FOUND: models/gemini-2.5-flash is not found"),
    (lambda: error(400, "FAILED_PRECONDITION", "User location is not supported for the API "
                   "use."), "HTTP 400 FAILED_PRECONDITION: User location is not supported"),
], ids=["403", "404", "precondition"])
def test_a_refusal_no_request_can_get_past_stops_the_run(write, run_cli, gemini, gemini_key,
                                                         reply, said):
    gemini.then(*[reply() for _ in range(5)])
    result = run_cli("run", gemini_job(write, gemini), "-q", "--concurrency", "1")
    assert result.exit_code == 3
    assert said in result.stderr
    assert len(gemini.requests) == 1


@needs_sdk
def test_a_refused_connection_is_said_in_words_retryable_and_not_retried_by_the_sdk(gemini_key):
    import socket

    from pipeline.send.providers.gemini import GeminiProvider

    with socket.socket() as free:  # a port nobody listens on
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    provider = GeminiProvider(api_key=GEMINI_TEST_KEY, base_url=f"http://127.0.0.1:{port}")
    request = Request(row_id="1", model=GEMINI, fingerprint="f", params={},
                      messages=[{"role": "user", "content": "Hi"}])

    async def attempt() -> BaseException:
        try:
            await provider.complete(request, timeout=30)
        except Exception as exc:
            return exc
        finally:
            await provider.aclose()
        raise AssertionError("answered")

    started = time.monotonic()
    err = provider.classify(asyncio.run(attempt()))
    # Unless told otherwise the SDK sleeps 1-10 s and tries again: the runner decides instead.
    assert time.monotonic() - started < 1
    assert isinstance(err, Retryable) and err.outage
    assert str(err) == f"connection refused (http://127.0.0.1:{port})"


# -- errors, one by one ----------------------------------------------------------------------

@needs_sdk
@pytest.mark.parametrize(("status", "body", "headers", "kind", "code", "wait"), [
    (429, rate_limited("37s").body, {}, RateLimited, "RESOURCE_EXHAUSTED", 37.0),
    (429, rate_limited("0.250s").body, {}, RateLimited, "RESOURCE_EXHAUSTED", 0.25),
    (429, rate_limited(None).body, {"Retry-After": "4"}, RateLimited, "RESOURCE_EXHAUSTED", 4.0),
    (429, rate_limited(None).body, {}, RateLimited, "RESOURCE_EXHAUSTED", None),
    (503, unavailable().body, {}, Retryable, "UNAVAILABLE", None),
    (500, internal().body, {}, Retryable, "INTERNAL", None),
    (504, error(504, "DEADLINE_EXCEEDED", "x").body, {}, Retryable, "DEADLINE_EXCEEDED", None),
    (400, too_long().body, {}, FatalForRow, "context_length_exceeded", None),
    (400, error(400, "INVALID_ARGUMENT", "Unknown name").body, {}, FatalForRow,
     "INVALID_ARGUMENT", None),
    # The too-long wording on another status, or in another error, is not taken for it.
    (400, error(400, "FAILED_PRECONDITION", too_long().body["error"]["message"]).body, {},
     FatalForRun, "FAILED_PRECONDITION", None),
    (400, key_invalid().body, {}, FatalForRun, "API_KEY_INVALID", None),
    (401, error(401, "UNAUTHENTICATED", "Request had invalid authentication").body, {},
     FatalForRun, "UNAUTHENTICATED", None),
    (403, permission_denied().body, {}, FatalForRun, "PERMISSION_DENIED", None),
    (404, not_found(GEMINI).body, {}, FatalForRun, "NOT_FOUND", None),
    (502, {"message": "<html>Bad Gateway</html>", "status": "Bad Gateway"}, {}, Retryable,
     "Bad Gateway", None),
])
def test_errors_are_classified_by_status_error_status_and_reason(status, body, headers, kind,
                                                                 code, wait):
    from google.genai import errors

    from pipeline.send.providers.gemini import GeminiProvider

    class Response:  # what the SDK keeps of an aiohttp response: its headers
        def __init__(self, headers):
            self.headers = headers

    provider = GeminiProvider(api_key=GEMINI_TEST_KEY)
    raised = (errors.ClientError if status < 500 else errors.ServerError)(
        status, body, Response(headers))
    err = provider.classify(raised)
    assert type(err) is kind
    assert (err.status_code, err.code) == (status, code)
    if kind is RateLimited:
        assert err.wait_s == wait


# -- prompt caching -------------------------------------------------------------------------

@needs_sdk
def test_implicitly_cached_tokens_are_counted_and_priced_at_the_cache_rate(
        write, run_cli, gemini, gemini_key, tmp_path):
    shared = ("{% block system %}" + GUIDE + "{% endblock %}"
              "{% block user %}Describe {{ name }} ({{ category }}).{% endblock %}")
    result = run_cli("run", gemini_job(write, gemini, template=shared), "-q",
                     "--concurrency", "1")
    assert result.exit_code == 0, result.output + result.stderr
    # Nothing is marked for the cache: Gemini caches repeated prefixes on its own.
    assert all(set(r.body) == {"systemInstruction", "contents", "generationConfig"}
               for r in gemini.requests)
    usages = [a["usageMetadata"] for a in gemini.answers]
    assert [u.get("cachedContentTokenCount", 0) > 1000 for u in usages] == [False, True, True]
    rows = read_csv(tmp_path / "outputs/out.csv")
    for row, usage in zip(rows, usages, strict=True):
        assert int(row["prompt_tokens"]) == usage["promptTokenCount"]
        assert int(row["cached_tokens"]) == usage.get("cachedContentTokenCount", 0)
        assert Decimal(row["cost_usd"]) == list_price(GEMINI, usage)
    plain = {k: v for k, v in usages[2].items() if k != "cachedContentTokenCount"}
    assert list_price(GEMINI, usages[2]) < list_price(GEMINI, plain)  # the read is cheaper
    assert "billed at the cached rate, saving $" in result.output


# -- across providers -----------------------------------------------------------------------

@needs_sdk
def test_a_gemini_judge_of_an_openai_job_goes_to_gemini_with_geminis_key(
        write, run_cli, fake, gemini, api_key, gemini_key, monkeypatch):
    # The job names no base_url (OpenAI's, here the loopback one), so the judge's gemini-*
    # model is Google's (here the loopback one too).
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
    monkeypatch.setenv("GEMINI_BASE_URL", gemini.base_url)
    path = gemini_job(write, gemini, f'[judge]\nmodel = "{GEMINI}"\n')
    path.write_text(path.read_text().replace('provider = "gemini"', "").replace(
        f'model = "{GEMINI}"', 'model = "gpt-4o-mini"', 1).replace(
        f'base_url = "{gemini.base_url}"', ""))
    result = run_cli("run", path, "-q")
    assert result.exit_code == 0, result.output + result.stderr
    assert len(fake.requests) == 3 and len(gemini.requests) == 3  # the writer, the judge
    assert {r.body["model"] for r in fake.requests} == {"gpt-4o-mini"}
    assert {r.headers["authorization"] for r in fake.requests} == {f"Bearer {TEST_KEY}"}
    assert {r.headers["x-goog-api-key"] for r in gemini.requests} == {GEMINI_TEST_KEY}
    assert all(r.config["responseMimeType"] == "application/json" for r in gemini.requests)
    assert "judge: 3 answer(s) rated" in result.output


@needs_sdk
def test_an_openai_job_falls_back_to_gemini_when_openai_is_down(
        write, run_cli, job_file, fake, gemini, api_key, gemini_key, monkeypatch, tmp_path):
    from fake_openai import Reply as OpenAIReply

    # The job names no base_url (OpenAI's, here the loopback one), so its gemini-* fallback
    # is Google's (here the loopback one too), not a model of the job's server.
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
    monkeypatch.setenv("GEMINI_BASE_URL", gemini.base_url)
    fake.per_request = lambda r: OpenAIReply.error(
        401, "Incorrect API key provided", code="invalid_api_key")
    path = job_file(f'fallbacks = ["{GEMINI}"]\n')
    path.write_text(path.read_text().replace(f'base_url = "{fake.base_url}"', ""))
    result = run_cli("run", path, "-q")
    assert result.exit_code == 0, result.output + result.stderr
    rows = by_name(tmp_path)
    assert {r["model"] for r in rows.values()} == {GEMINI}
    assert {r.headers["x-goog-api-key"] for r in gemini.requests} == {GEMINI_TEST_KEY}
    for row in rows.values():
        assert Decimal(row["cost_usd"]) == list_price(
            GEMINI, answered(gemini, row["name"])["usageMetadata"])


# -- the body -------------------------------------------------------------------------------

@needs_sdk
def test_images_become_inline_data_and_every_system_message_joins_the_instruction(gemini,
                                                                                  gemini_key):
    from pipeline.send.providers.gemini import GeminiProvider, request_body

    png = "iVBORw0KGgo="
    request = Request(
        row_id="1", model=GEMINI, fingerprint="f", params={"max_completion_tokens": 99},
        messages=[{"role": "system", "content": "One."},
                  {"role": "user", "content": [
                      {"type": "text", "text": "What is this?"},
                      {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{png}"}},
                      {"type": "image_url", "image_url": {"url": "https://x.test/a.webp"}}]},
                  {"role": "system", "content": [{"type": "text", "text": "Two."}]}])
    contents, config = request_body(request)
    assert contents == [{"role": "user", "parts": [
        {"text": "What is this?"},
        {"inline_data": {"mime_type": "image/png", "data": b"\x89PNG\r\n\x1a\n"}},
        {"file_data": {"file_uri": "https://x.test/a.webp", "mime_type": "image/webp"}}]}]
    assert config["system_instruction"] == {"parts": [{"text": "One."}, {"text": "Two."}]}
    assert config["max_output_tokens"] == 99
    # On the wire the bytes go as base64 (the SDK names the inner fields by their proto names,
    # which the API takes as it takes the camelCase ones).
    provider = GeminiProvider(api_key=GEMINI_TEST_KEY, base_url=gemini.base_url)

    async def send():
        try:
            return await provider.complete(request, timeout=5)
        finally:
            await provider.aclose()

    assert asyncio.run(send()).finish_reason == "stop"
    assert gemini.requests[0].body["contents"][0]["parts"][1] == {
        "inlineData": {"mime_type": "image/png", "data": png}}


@needs_sdk
def test_the_provider_is_refused_without_its_sdk(monkeypatch):
    from pipeline.send.providers import gemini as module

    monkeypatch.setattr(module, "Client", None)
    with pytest.raises(ConfigError, match=r"pip install -e '\.\[gemini\]'"):
        module.GeminiProvider(api_key="k")
