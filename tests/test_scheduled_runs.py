"""Runs nobody watches (issue 12, points 2-4 and 8): dated outputs with one journal and a
`latest` copy, --only-new, the run manifest and `pipeline runs`, and the JSON-lines log."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from conftest import PRODUCTS_CSV, TEST_KEY
from fake_openai import Reply

from pipeline.config import load_job
from pipeline.jobs.run import run_job

DATED = "../outputs/{job}/{date:%Y-%m-%d}/copy.csv"
MORE_ROWS = "4,Chef Anton's Cajun Seasoning,Condiments,22,48 - 6 oz jars\n" \
            "5,Grandma's Boysenberry Spread,Condiments,25,12 - 8 oz jars\n"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_dated_outputs_share_one_journal_and_latest_follows_complete_runs(
        job_file, fake, api_key, tmp_path):
    job_path = job_file(output=DATED)
    first = run_job(load_job(job_path), started_at=datetime(2026, 11, 23, 6, 0))
    assert first.exit_code == 0
    week1 = tmp_path / "outputs" / "describe" / "2026-11-23" / "copy.csv"
    assert first.output_path == week1 and len(read_csv(week1)) == 3
    assert (tmp_path / "outputs" / "describe" / "describe.journal.sqlite").exists()

    job_path.parent.parent.joinpath("data/products.csv").write_text(
        PRODUCTS_CSV + MORE_ROWS, encoding="utf-8")
    sent = len(fake.requests)
    second = run_job(load_job(job_path), started_at=datetime(2026, 11, 30, 6, 0))
    assert second.exit_code == 0
    assert len(fake.requests) - sent == 2  # the journal answered last week's rows
    week2 = tmp_path / "outputs" / "describe" / "2026-11-30" / "copy.csv"
    assert len(read_csv(week2)) == 5 and len(read_csv(week1)) == 3
    latest = tmp_path / "outputs" / "describe" / "latest" / "copy.csv"
    assert latest.read_bytes() == week2.read_bytes()
    assert [p.name for p in week2.parent.iterdir() if p.suffix == ".json"] == ["copy.run-2.json"]

    # A run that stops early (the key is refused) writes its own dated output and manifest,
    # but `latest` stays the last complete run's.
    (tmp_path / "data" / "products.csv").write_text(
        PRODUCTS_CSV + MORE_ROWS + "6,Uncle Bob's Organic Dried Pears,Produce,30,12 - 1 lb\n",
        encoding="utf-8")
    fake.then(Reply.error(401, "Incorrect API key provided", code="invalid_api_key"))
    stopped = run_job(load_job(job_path), started_at=datetime(2026, 12, 7, 6, 0))
    assert stopped.exit_code == 3
    assert (tmp_path / "outputs" / "describe" / "2026-12-07" / "copy.csv").exists()
    assert latest.read_bytes() == week2.read_bytes()


def test_an_unknown_placeholder_is_refused_before_anything_is_sent(job_file, run_cli, fake,
                                                                   api_key, tmp_path):
    job = job_file(output="../outputs/{jobname}/{date}.csv")
    result = run_cli("run", job, "-q")
    assert result.exit_code == 2, result.output
    assert "unknown placeholder {jobname}" in result.output
    assert not fake.requests and not (tmp_path / "outputs").exists()


def test_only_new_writes_the_rows_this_run_answered_and_counts_them(job_file, run_cli, fake,
                                                                    api_key, tmp_path):
    job = job_file()
    first = run_cli("run", job, "-q")
    assert first.exit_code == 0, first.output
    assert "rows by this run: 3 new, 0 changed, 0 sent again, 0 reused" in first.output
    changed = PRODUCTS_CSV.replace("Chang,Beverages,19", "Chang,Beverages,21") + MORE_ROWS
    (tmp_path / "data" / "products.csv").write_text(changed, encoding="utf-8")
    sent = len(fake.requests)
    second = run_cli("run", job, "-q", "--only-new")
    assert second.exit_code == 0, second.output
    asked = [r.user_text for r in fake.requests[sent:]]
    assert len(asked) == 3 and sorted(t.split(" (")[0] for t in asked) == [
        "Describe Chang", "Describe Chef Anton's Cajun Seasoning",
        "Describe Grandma's Boysenberry Spread"]
    assert "rows by this run: 2 new, 1 changed, 0 sent again, 2 reused" in second.output
    assert "(only the rows this run answered: --only-new)" in second.output
    written = read_csv(tmp_path / "outputs" / "out.csv")
    assert [r["product_id"] for r in written] == ["2", "4", "5"]
    assert all(r["status"] == "ok" for r in written)
    # Without --only-new, nothing is sent and every row is written.
    third = run_cli("run", job, "-q")
    assert len(fake.requests) - sent == 3
    assert "0 new, 0 changed, 0 sent again, 5 reused" in third.output
    assert len(read_csv(tmp_path / "outputs" / "out.csv")) == 5


def test_the_manifest_says_what_ran_and_pipeline_runs_lists_it(job_file, run_cli, fake,
                                                               api_key, tmp_path):
    fake.on("Chang", Reply.error(400, "this prompt is refused"))
    job = job_file()
    result = run_cli("run", job, "-q")
    assert result.exit_code == 1, result.output
    path = tmp_path / "outputs" / "out.run-1.json"
    assert f"manifest: {path}" in result.output
    text = path.read_text(encoding="utf-8")
    assert TEST_KEY not in text
    m = json.loads(text)
    assert m["job"] == {"name": "describe", "file": str(job.resolve()),
                        "sha256": hashlib.sha256(job.read_bytes()).hexdigest()}
    template = (tmp_path / "prompts" / "describe.j2").resolve()
    assert m["templates"] == {str(template): hashlib.sha256(template.read_bytes()).hexdigest()}
    assert m["models"] == ["gpt-4o-mini"] and m["run_id"] == 1
    assert datetime.fromisoformat(m["started"]) <= datetime.fromisoformat(m["finished"])
    assert (m["exit_code"], m["outcome"], m["stopped"]) == (1, "rows_failed", None)
    assert m["rows"] == {"total": 3, "new": 3, "changed": 0, "retried": 0, "reused": 0,
                         "ok": 2, "failed": 1, "flagged": 0, "not_done": 0}
    output = read_csv(tmp_path / "outputs" / "out.csv")
    assert m["tokens"]["prompt"] == sum(int(r["prompt_tokens"] or 0) for r in output)
    assert m["cost_usd"] == str(sum(
        (__import__("decimal").Decimal(r["cost_usd"]) for r in output if r["cost_usd"]),
        __import__("decimal").Decimal(0)))
    assert m["outputs"]["output"] == str((tmp_path / "outputs" / "out.csv").resolve())
    assert m["outputs"]["latest"] is None  # the path is the same every run
    assert m["limits"]["concurrency"] == 2
    assert m["attention_total"] == 1
    assert m["attention"][0]["row_id"] == "2" and m["attention"][0]["status"] == "failed"
    assert m["attention"][0]["inputs"]["name"] == "Chang"
    assert "HTTP 400" in m["attention"][0]["problems"][0]

    again = run_cli("run", job, "-q", "--retry-failed")
    assert again.exit_code == 0, again.output
    listed = run_cli("runs", job)
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0].split() == ["run", "started", "rows", "new", "ok", "failed", "flagged",
                                "cost", "USD", "exit"]
    assert lines[1].split()[0:7] == ["1", m["started"], "3", "3", "2", "1", "0"]
    assert lines[1].split()[-1] == "1" and lines[2].split()[-1] == "0"
    shown = run_cli("runs", job, "--show", "1")
    assert json.loads(shown.output) == m
    missing = run_cli("runs", job, "--show", "9")
    assert missing.exit_code == 2 and "no manifest for run 9" in missing.output


def test_the_log_file_has_start_retries_and_the_manifest(job_file, run_cli, fake, api_key,
                                                         tmp_path):
    fake.on("Chai", Reply.error(500, "boom", type_="server_error"))
    job = job_file()
    result = run_cli("run", job, "-q", "--log-file", tmp_path / "logs" / "runs.jsonl")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "logs" / "runs.jsonl").read_text(encoding="utf-8")
    assert TEST_KEY not in text
    events = [json.loads(line) for line in text.splitlines()]
    assert [e["event"] for e in events] == ["start", "retries", "end"]
    assert events[0]["rows"] == 3 and events[0]["endpoint"].startswith("http://127.0.0.1:")
    assert events[1]["reason"] == "HTTP 500" and events[1]["attempts"] == 1
    assert events[2]["manifest"]["rows"]["ok"] == 3
    # A second run appends.
    run_cli("run", job, "-q", "--log-file", tmp_path / "logs" / "runs.jsonl")
    assert len((tmp_path / "logs" / "runs.jsonl").read_text().splitlines()) == 5


def test_export_of_a_dated_job_goes_where_its_last_run_went(job_file, run_cli, fake, api_key,
                                                            tmp_path):
    job_path = job_file(output=DATED)
    run_job(load_job(job_path), started_at=datetime(2026, 11, 23, 6, 0))
    target = tmp_path / "outputs" / "describe" / "2026-11-23" / "copy.csv"
    target.unlink()
    result = run_cli("export", job_path)
    assert result.exit_code == 0, result.output
    assert len(read_csv(target)) == 3


def test_a_run_notifies_its_webhook_and_clickup_once(job_file, run_cli, fake, api_key,
                                                     tmp_path, monkeypatch):
    """End to end: `pipeline run` with [notify] posts the manifest and opens ClickUp tasks for
    the flagged row; a rerun that reuses the same answers opens no second row task. A missing
    token is a pre-flight error: nothing is sent."""
    from fake_clickup import FakeClickUp, FakeWebhook

    token = "pk_77_SECRETclickupTOKEN"
    hook, clickup = FakeWebhook().start(), FakeClickUp(token, lists=("42",)).start()
    try:
        monkeypatch.setenv("HOOK_URL", hook.url())
        job = job_file(f"""
            [checks."*"]
            max_chars = 40

            [notify]
            webhook_env = "HOOK_URL"

            [notify.clickup]
            list_id = "42"
            base_url = "{clickup.base_url}"
            task_per_row = true
            """)
        # The loopback server's replies are longer than 40 characters: every row is flagged.
        missing = run_cli("run", job, "-q")
        assert missing.exit_code == 2 and "CLICKUP_API_TOKEN" in missing.output
        assert not fake.requests and not hook.requests and not clickup.requests
        monkeypatch.setenv("CLICKUP_API_TOKEN", token)

        first = run_cli("run", job, "-q")
        assert first.exit_code == 1, first.output
        assert len(hook.bodies) == 1
        posted = hook.bodies[0]
        assert posted["manifest"]["run_id"] == 1 and posted["manifest"]["rows"]["flagged"] == 3
        names = [t["name"] for t in clickup.tasks]
        assert len(names) == 4 and sum("row" in n for n in names) == 3, names
        for text in (first.output, (tmp_path / "outputs" / "out.run-1.json").read_text()):
            assert token not in text and hook.url() not in text

        second = run_cli("run", job, "-q")
        assert second.exit_code == 1, second.output
        assert len(hook.bodies) == 2  # a new run, a new post
        # The run task is new (a new run); the rows' answers are the same: no new row task.
        assert len(clickup.tasks) == 5
    finally:
        hook.stop()
        clickup.stop()


def test_a_translation_run_keeps_a_manifest_log_and_runs_listing(run_cli, fake, api_key,
                                                                 tmp_path, write):
    """A nightly catalog job leaves the same record as a row job: a manifest beside its
    journal (entries where rows are; the entry left for review in `attention`), the log,
    and `pipeline runs` on the translate job file."""
    import shutil

    from fake_translator import FakeTranslator

    source = tmp_path / "locale/en/LC_MESSAGES/django.po"
    source.parent.mkdir(parents=True)
    shutil.copyfile(Path(__file__).parent / "data/django/humanize.en.po", source)
    job = write("prompts/humanize.toml", f"""\
        catalog = "../locale/en/LC_MESSAGES/django.po"
        to = ["fr"]
        model = "gpt-4o-mini"
        base_url = "{fake.base_url}"
        log_file = "../outputs/humanize.jsonl"
        """)
    fake.completion = FakeTranslator(sabotage={"%(delta)s ago": "drop"}, times=99)
    result = run_cli("translate", job, "-q")
    assert result.exit_code == 1, result.output
    path = tmp_path / "outputs" / "humanize.run-1.json"  # beside the journal
    assert "manifest: outputs/humanize.run-1.json" in result.output
    m = json.loads(path.read_text(encoding="utf-8"))
    assert m["job"]["sha256"] == hashlib.sha256(job.read_bytes()).hexdigest()
    assert m["catalog"]["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert m["rows"]["ok"] == 55 and m["rows"]["flagged"] == 1 and m["exit_code"] == 1
    assert m["languages"][0]["language"] == "fr" and m["languages"][0]["left_for_review"] == 1
    assert m["attention"][0]["inputs"] == {"language": "fr", "entry": '"%(delta)s ago"'}
    assert "printf placeholder" in m["attention"][0]["problems"][0]
    assert Decimal(m["cost_usd"]) > 0
    events = [json.loads(line)["event"] for line in
              (tmp_path / "outputs" / "humanize.jsonl").read_text().splitlines()]
    assert events[0] == "start" and events[-1] == "end"
    listed = run_cli("runs", job)
    assert listed.exit_code == 0 and listed.output.splitlines()[1].split()[0] == "1"
