"""What users see does not move when the code is reshaped: the CLI's help, and the outputs,
manifests, summaries and journals of the example jobs, compared with snapshots committed in
tests/data/snapshots/ (times, latencies, temporary paths and versions normalised away).

A change meant to alter what users see regenerates them, and the diff is part of the review:

    SNAPSHOT_UPDATE=1 .venv/bin/python -m pytest tests/test_snapshots.py
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fake_openai import Recorded, completion_body
from fake_translator import FakeTranslator

from pipeline.cli import cli

ROOT = Path(__file__).parent.parent
SNAPSHOTS = Path(__file__).parent / "data" / "snapshots"
UPDATE = os.environ.get("SNAPSHOT_UPDATE") == "1"
#: Columns and keys whose values are times or depend on the machine.
VOLATILE = re.compile(r"(_at|^started|^finished|^elapsed_s|^duration_s|^latency_ms|^applied_at|"
                      r"^created|^python|^versions?|^host|^pid|^sha256|^journal|^job_file|"
                      r"^hash)$")


def check(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no snapshot {path}: run with SNAPSHOT_UPDATE=1 to create it"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs from its snapshot: if the change is meant, run with "
        "SNAPSHOT_UPDATE=1 and review the diff")


def scrub(text: str, tmp: Path, base_url: str = "") -> str:
    text = text.replace(str(tmp.resolve()), "<tmp>").replace(str(tmp), "<tmp>")
    if base_url:
        text = text.replace(base_url, "<server>")
    text = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:<port>", text)
    text = re.sub(r"\btime: [\d.]+s\b[^\n]*", "time: <t>", text)
    return re.sub(r"\d+(\.\d+)? ?(ms|s)\b", "<t>", text)


def normal(value: Any, tmp: Path, base_url: str) -> Any:
    if isinstance(value, dict):
        return {scrub(k, tmp, base_url): "<v>" if VOLATILE.search(k)
                else normal(v, tmp, base_url) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [normal(v, tmp, base_url) for v in value]
    if isinstance(value, str):
        return scrub(value, tmp, base_url)
    return value


def journal_dump(path: Path, tmp: Path, base_url: str) -> str:
    """Every table but the migrations' record, rows sorted, volatile columns blanked."""
    db = sqlite3.connect(path)
    out = []
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name != '_migrations' "
        "ORDER BY name")]
    for table in tables:
        cursor = db.execute(f"SELECT * FROM {table}")  # table names from the schema
        columns = [d[0] for d in cursor.description]
        rows = []
        for row in cursor:
            values = {}
            for column, value in zip(columns, row, strict=True):
                if VOLATILE.search(column):
                    value = "<v>" if value is not None else None
                elif column == "manifest" and value:
                    value = normal(json.loads(value), tmp, base_url)
                elif isinstance(value, str):
                    value = scrub(value, tmp, base_url)
                values[column] = value
            rows.append(json.dumps(values, sort_keys=True, ensure_ascii=False))
        out.append(f"== {table} ({', '.join(columns)})")
        out += sorted(rows)
    db.close()
    return "\n".join(out) + "\n"


def csv_text(path: Path) -> str:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "<v>" if VOLATILE.search(k) else v for k, v in row.items()})
    return buffer.getvalue()


def fields_answer(request: Recorded) -> dict:
    """A reply of the schema's shape, its words taken from the prompt: the same every time."""
    form = request.body.get("response_format") or {}
    schema = (form.get("json_schema") or {}).get("schema")
    if schema is None:
        return completion_body(request, "Answer: " + " ".join(request.user_text.split()[:12]))
    words = request.user_text.split()
    answer = {}
    for index, (name, spec) in enumerate(schema.get("properties", {}).items()):
        text = " ".join(words[index:index + 6])
        answer[name] = [f"{text} {n}" for n in range(3)] if spec.get("type") == "array" else text
    return completion_body(request, json.dumps(answer))


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """The repository's example jobs and data, copied so outputs land in the test folder."""
    for folder in ("prompts", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def test_cli_help_of_every_command(run_cli, tmp_path):
    parts = [run_cli("--help").output]
    for name in sorted(cli.commands):
        parts.append(f"== pipeline {name} --help\n" + run_cli(name, "--help").output)
    check("help.txt", "\n".join(parts))


@pytest.mark.parametrize("job", ["product_description", "product_copy"])
def test_example_row_job(job, examples, run_cli, fake, api_key):
    fake.completion = fields_answer
    args = ["--model", "gpt-4o-mini", "--base-url", fake.base_url, "--concurrency", "1"]
    job_file = examples / f"prompts/{job}.toml"
    estimate = run_cli("estimate", job_file, *args, "--limit", "12")
    run = run_cli("run", job_file, *args, "--limit", "12", "-q")
    rerun = run_cli("run", job_file, *args, "--limit", "12", "-q")
    exported = run_cli("export", job_file, *args, "-o", examples / "export.jsonl")
    assert run.exit_code in (0, 1), run.output
    assert rerun.exit_code == run.exit_code and exported.exit_code == 0
    outputs = examples / "outputs"
    output = next(outputs.glob("*.csv"))
    manifests = sorted(outputs.glob("*.run-*.json"))
    journal = next(outputs.glob("*.journal.sqlite"))
    said = "\n".join(f"== {what} (exit {result.exit_code})\n{result.output}"
                     for what, result in (("estimate", estimate), ("run", run),
                                          ("rerun", rerun), ("export", exported)))
    check(f"{job}/said.txt", scrub(said, examples, fake.base_url))
    check(f"{job}/output.csv", csv_text(output))
    check(f"{job}/export.jsonl", "\n".join(
        json.dumps(normal(json.loads(line), examples, fake.base_url), ensure_ascii=False)
        for line in (examples / "export.jsonl").read_text().splitlines()) + "\n")
    check(f"{job}/manifests.json", json.dumps(
        [normal(json.loads(m.read_text()), examples, fake.base_url) for m in manifests],
        indent=1, ensure_ascii=False) + "\n")
    check(f"{job}/journal.txt", journal_dump(journal, examples, fake.base_url))


def test_example_row_job_in_batch_mode(examples, run_cli, fake, api_key):
    fake.completion = fields_answer
    job_file = examples / "prompts/product_copy.toml"
    args = ["--model", "gpt-4o-mini", "--base-url", fake.base_url, "--limit", "6",
            "--set", "batch_poll_s=0.01", "-q"]
    submitted = run_cli("run", job_file, *args, "--mode", "batch", "--no-wait")
    collected = run_cli("run", job_file, *args, "--mode", "batch")
    assert submitted.exit_code == 0, submitted.output
    assert collected.exit_code in (0, 1), collected.output
    said = "\n".join(f"== {what} (exit {result.exit_code})\n{result.output}"
                     for what, result in (("submit", submitted), ("collect", collected)))
    check("product_copy_batch/said.txt", scrub(said, examples, fake.base_url))
    check("product_copy_batch/output.csv", csv_text(examples / "outputs/product_copy.csv"))
    journal = next((examples / "outputs").glob("*.journal.sqlite"))
    check("product_copy_batch/journal.txt", re.sub(
        r'"(batch|file)-[\w-]+"', r'"<\1 id>"', journal_dump(journal, examples, fake.base_url)))


def test_example_translation(examples, run_cli, fake, api_key):
    fake.completion = FakeTranslator(language="fr")
    job_file = examples / "prompts/translate_django.toml"
    args = ["--model", "gpt-4o-mini", "--base-url", fake.base_url, "--to", "fr",
            "--limit", "20", "--concurrency", "1"]
    estimate = run_cli("translate", job_file, *args, "--estimate")
    run = run_cli("translate", job_file, *args, "-q")
    assert run.exit_code in (0, 1), run.output
    written = examples / "outputs/locale/fr/LC_MESSAGES/django.po"
    said = "\n".join(f"== {what} (exit {result.exit_code})\n{result.output}"
                     for what, result in (("estimate", estimate), ("translate", run)))
    check("translate_django/said.txt", scrub(said, examples, fake.base_url))
    check("translate_django/django.fr.po", re.sub(
        r'"(PO-Revision-Date|POT-Creation-Date): [^"]*"', r'"\1: <v>"',
        written.read_text(encoding="utf-8")))
    journal = next((examples / "outputs").glob("*.journal.sqlite"))
    check("translate_django/journal.txt", journal_dump(journal, examples, fake.base_url))
