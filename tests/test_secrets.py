"""The API key never reaches outputs, logs, error messages or reprs."""

from __future__ import annotations

import logging

from conftest import TEST_KEY
from fake_openai import Reply

from pipeline import load_job
from pipeline.send.providers import create_provider


def test_key_absent_from_output_logs_and_errors(job_file, run_cli, fake, api_key, tmp_path,
                                                caplog):
    # The server echoes the key back in an error body, as OpenAI's 401 does (partly masked).
    fake.on("Chang", Reply.error(400, f"bad request for key {TEST_KEY}"))
    fake.on("Aniseed", *[Reply.error(500, f"upstream said Authorization: Bearer {TEST_KEY}")] * 9)
    with caplog.at_level(logging.DEBUG):
        result = run_cli("run", job_file(), "-v", "--max-attempts", "2",
                         "--output", tmp_path / "outputs/out.jsonl")
    assert result.exit_code == 1
    assert fake.requests[0].headers["authorization"] == f"Bearer {TEST_KEY}"  # it was used
    texts = [result.output, result.stderr, caplog.text,
             (tmp_path / "outputs/out.jsonl").read_text()]
    for text in texts:
        assert TEST_KEY not in text
        assert "SECRET-abc123" not in text
    assert "[redacted]" in (tmp_path / "outputs/out.jsonl").read_text()


def test_key_absent_from_provider_and_job_reprs(job_file, fake, api_key):
    job = load_job(job_file(), {"api_key": "sk-job-key-987654321"})
    provider = create_provider(job)
    assert "sk-job-key" not in repr(provider)
    assert "sk-job-key" not in repr(job)
    assert fake.base_url in repr(provider)
