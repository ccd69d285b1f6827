"""Cached input (issue 14, point 5): prompt_cache_key is sent where it applies and never
changes a fingerprint; the loopback server bills a repeated 1,024+ token prefix at the cached
rate as OpenAI does, and the summary, manifest and report say what that saved; pre-flight
says when the shared text is not at the start of the prompt."""

from __future__ import annotations

import json

from conftest import PRODUCTS_CSV

from pipeline.config import load_job
from pipeline.rows.plan import build_plan

#: About 1,500 tokens of house style shared by every row.
GUIDE = " ".join(f"Rule {i}: write plainly, name the product, avoid superlatives." for i in
                 range(150))
SHARED_FIRST = ("{% block system %}" + GUIDE + "{% endblock %}"
                "{% block user %}Describe {{ name }} ({{ category }}).{% endblock %}")
ROW_FIRST = ("{% block system %}You write copy for {{ name }}.{% endblock %}"
             "{% block user %}" + GUIDE + " Describe {{ name }}.{% endblock %}")


def test_a_shared_prefix_is_billed_cached_and_the_saving_is_reported(job_file, run_cli, fake,
                                                                      api_key, tmp_path):
    fake.prompt_caching = True
    job = job_file('prompt_cache_key = true\n', template=SHARED_FIRST)
    result = run_cli("run", job, "-q", "--concurrency", "1")
    assert result.exit_code == 0, result.output
    keys = {r.body.get("prompt_cache_key") for r in fake.requests}
    assert len(keys) == 1 and next(iter(keys)).startswith("pipeline-describe-")
    cached = [r["usage"]["prompt_tokens_details"]["cached_tokens"] for r in fake.responses]
    assert cached[0] == 0 and all(c >= 1024 and c % 128 == 0 for c in cached[1:])
    assert "cached input: " in result.output and "billed at the cached rate, saving $" \
        in result.output
    manifest = json.loads((tmp_path / "outputs" / "out.run-1.json").read_text())
    assert manifest["tokens"]["cached"] == sum(cached)
    assert float(manifest["cache_saved_usd"]) > 0
    # No "cached input" advice: the shared text already comes first.
    assert "put the shared text first" not in result.output


def test_the_cache_key_never_changes_a_fingerprint(job_file, fake):
    plain = load_job(job_file(template=SHARED_FIRST))
    keyed = load_job(job_file("prompt_cache_key = \"house-style\"\n", template=SHARED_FIRST))
    a = build_plan(plain, endpoint=fake.base_url)
    b = build_plan(keyed, endpoint=fake.base_url)
    row = next(iter(a.source))
    first_a = a.first_request(row, a.variants[0])
    first_b = b.first_request(row, b.variants[0])
    assert first_a.fingerprint == first_b.fingerprint
    assert "prompt_cache_key" not in first_a.params  # not OpenAI's API: not sent by default
    assert first_b.params["prompt_cache_key"] == "house-style"
    openai = build_plan(plain, endpoint="https://api.openai.com/v1")
    sent = openai.first_request(row, openai.variants[0]).params["prompt_cache_key"]
    assert sent.startswith("pipeline-describe-")
    never = build_plan(load_job(job_file("prompt_cache_key = false\n", template=SHARED_FIRST)),
                       endpoint="https://api.openai.com/v1")
    assert "prompt_cache_key" not in never.first_request(row, never.variants[0]).params


def test_preflight_says_when_the_row_comes_before_the_shared_text(job_file, run_cli, fake,
                                                                   api_key):
    job = job_file(template=ROW_FIRST, csv=PRODUCTS_CSV)
    estimate = run_cli("estimate", job)
    assert "cached input: the prompts share" in estimate.output
    assert "the system message varies per row" in estimate.output
    assert "put the shared text first and the row's data last" in estimate.output
    result = run_cli("run", job, "-q")
    assert "put the shared text first" in result.output
