"""The journal's schema and migrations: exact columns from blank, idempotent, atomic."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from pipeline.journal import MIGRATIONS, Journal, migrate
from pipeline.records import Result, Usage

EXPECTED = {
    "runs": {"id": "INTEGER", "started_at": "REAL", "finished_at": "REAL", "stopped": "TEXT",
             "spent_usd": "TEXT", "rpm": "REAL", "tpm": "REAL", "manifest": "TEXT",
             "kind": "TEXT"},
    "results": {"fingerprint": "TEXT", "status": "TEXT", "output": "TEXT", "model": "TEXT",
                "finish_reason": "TEXT", "prompt_tokens": "INTEGER",
                "completion_tokens": "INTEGER", "cached_tokens": "INTEGER",
                "cost_usd": "TEXT", "latency_ms": "INTEGER", "attempts": "INTEGER",
                "error": "TEXT", "run_id": "INTEGER", "row_id": "TEXT",
                "template_key": "TEXT", "finished_at": "REAL", "fields": "TEXT",
                "flags": "TEXT", "usage_estimated": "INTEGER", "transient": "INTEGER",
                "target": "TEXT"},
    "server_modes": {"endpoint": "TEXT", "model": "TEXT", "response_format_mode": "TEXT",
                     "learned_at": "REAL"},
    "batches": {"input_file_id": "TEXT", "batch_id": "TEXT", "status": "TEXT", "model": "TEXT",
                "requests": "INTEGER", "completed": "INTEGER", "failed": "INTEGER",
                "output_file_id": "TEXT", "error_file_id": "TEXT", "cost_usd": "TEXT",
                "created_at": "REAL", "collected_at": "REAL", "input_deleted": "INTEGER"},
    "batch_requests": {"fingerprint": "TEXT", "input_file_id": "TEXT", "row_id": "TEXT",
                       "prompt_tokens": "INTEGER", "attempt": "INTEGER"},
    "notifications": {"key": "TEXT", "run_id": "INTEGER", "target": "TEXT",
                      "remote_id": "TEXT", "sent_at": "REAL"},
    "reviews": {"row_id": "TEXT", "variant": "TEXT", "verdict": "TEXT", "note": "TEXT",
                "answers": "TEXT", "based_on": "TEXT", "reviewed_at": "REAL", "file": "TEXT"},
}


def journal_at(path, migrations: int) -> sqlite3.Connection:
    """A journal file as it was after its first `migrations` migrations (an older release),
    open for a test to put data in before the current code opens it."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at REAL)")
    for fn in MIGRATIONS[:migrations]:
        fn(db)
        db.execute("INSERT INTO _migrations VALUES (?, 0)", (fn.__name__,))
    return db


def columns(db: sqlite3.Connection, table: str) -> dict[str, str]:
    return {row[1]: row[2] for row in db.execute(f"PRAGMA table_info({table})")}


def test_blank_journal_gets_exactly_the_expected_schema(tmp_path):
    with Journal(tmp_path / "j.sqlite") as journal:
        for table, expected in EXPECTED.items():
            assert columns(journal.db, table) == expected
        names = [n for (n,) in journal.db.execute("SELECT name FROM _migrations")]
        assert names == [fn.__name__ for fn in MIGRATIONS]
        assert journal.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_migrate_is_idempotent_and_keeps_data(tmp_path):
    path = tmp_path / "j.sqlite"
    with Journal(path) as journal:
        run_id = journal.start_run()
        journal.record(Result("r1", "f" * 64, "ok", output="hi", usage=Usage(3, 4, 1),
                              cost_usd=Decimal("0.0000123"), attempts=1),
                       run_id=run_id, template_key="t")
    with Journal(path) as journal:  # reopening migrates again: nothing changes
        migrate(journal.db)
        stored = journal.get("f" * 64)
        assert stored is not None
        assert stored.result.cost_usd == Decimal("0.0000123")
        assert stored.result.usage == Usage(3, 4, 1)
        assert (stored.run_id, stored.row_id) == (run_id, "r1")
        assert journal.db.execute("SELECT COUNT(*) FROM _migrations").fetchone()[0] == len(
            MIGRATIONS)


def test_a_failing_migration_leaves_no_trace(tmp_path, monkeypatch):
    import pipeline.journal as journal_module

    def m999_broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("boom")

    monkeypatch.setattr(journal_module, "MIGRATIONS", [*MIGRATIONS, m999_broken])
    db = sqlite3.connect(tmp_path / "j.sqlite", isolation_level=None)
    with pytest.raises(RuntimeError, match="boom"):
        journal_module.migrate(db)
    tables = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half_done" not in tables  # rolled back with its record
    assert "results" in tables  # the earlier migrations landed
    assert "m999_broken" not in {n for (n,) in db.execute("SELECT name FROM _migrations")}
    db.close()


def test_a_journal_from_before_structured_outputs_upgrades_with_its_answers(tmp_path):
    """A journal written by m001 only (issue 2's schema) gains fields/flags and keeps every
    answer: an old run's answers are still reused, and read back with no fields or flags."""
    import pipeline.journal as journal_module

    path = tmp_path / "j.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at REAL)")
    journal_module.m001_runs_and_results(db)
    db.execute("INSERT INTO _migrations VALUES ('m001_runs_and_results', 0)")
    db.execute("INSERT INTO runs (started_at) VALUES (0)")
    db.execute("INSERT INTO results (fingerprint, status, output, prompt_tokens, "
               "completion_tokens, cost_usd, attempts, run_id, row_id, template_key, "
               "finished_at) VALUES ('old', 'ok', 'an old answer', 5, 6, '0.000001', 1, 1, "
               "'7', 't', 0)")
    db.close()
    with Journal(path) as journal:
        assert set(columns(journal.db, "results")) == set(EXPECTED["results"])
        stored = journal.get("old")
        assert stored is not None
        assert stored.result.output == "an old answer"
        assert stored.result.fields is None and stored.result.flags == []
        assert stored.result.cost_usd == Decimal("0.000001")
        run_id = journal.start_run()
        journal.record(Result("8", "new", "flagged", output='{"t": "x"}', fields={"t": "x"},
                              flags=["t has 1 characters; it needs at least 5"]),
                       run_id=run_id, template_key="t")
        new = journal.get("new")
        assert new is not None
        assert new.result.fields == {"t": "x"}
        assert new.result.flags == ["t has 1 characters; it needs at least 5"]


def test_a_journal_from_before_server_modes_upgrades_with_its_answers(tmp_path):
    """A journal at m003 (the previous schema) with answers and a pending correction gains
    server_modes and usage_estimated: old answers read back as reported usage, and the mode a
    run learns is kept per endpoint and model."""
    import pipeline.journal as journal_module

    path = tmp_path / "j.sqlite"
    db = journal_at(path, 3)
    assert MIGRATIONS[2] is journal_module.m003_pending_attempts
    db.execute("INSERT INTO runs (started_at) VALUES (0)")
    db.execute("INSERT INTO results (fingerprint, status, output, prompt_tokens, "
               "completion_tokens, cost_usd, attempts, run_id, row_id, template_key, "
               "finished_at, fields) VALUES ('old', 'ok', '{\"t\": \"x\"}', 5, 6, "
               "'0.000001', 1, 1, '7', 't', 0, '{\"t\": \"x\"}')")
    db.execute("INSERT INTO pending_attempts (fingerprint, n, output, run_id, row_id, "
               "finished_at) VALUES ('p', 1, 'draft', 1, '8', 0)")
    db.close()
    with Journal(path) as journal:
        assert columns(journal.db, "results") == EXPECTED["results"]
        stored = journal.get("old")
        assert stored is not None
        assert stored.result.usage == Usage(5, 6, 0, estimated=False)
        assert stored.result.fields == {"t": "x"}
        assert [r.output for r in journal.pending_attempts("p")] == ["draft"]
        assert journal.response_format_modes("http://127.0.0.1:1/v1/") == {}
        journal.remember_response_format_mode("http://127.0.0.1:1/v1/", "m", "json_object")
        journal.remember_response_format_mode("http://127.0.0.1:1/v1/", "m", "text")
        journal.remember_response_format_mode("http://other/v1/", "m", "json_object")
        run_id = journal.start_run()
        journal.record(Result("9", "est", "ok", output="x", usage=Usage(3, 1, estimated=True)),
                       run_id=run_id, template_key="t")
    with Journal(path) as journal:
        assert journal.response_format_modes("http://127.0.0.1:1/v1/") == {"m": "text"}
        est = journal.get("est")
        assert est is not None and est.result.usage == Usage(3, 1, 0, estimated=True)


def test_a_journal_from_before_batches_upgrades_with_its_answers(tmp_path):
    """A journal at m005 (the previous schema) with an answer and a learned server mode gains
    the batches tables; its answers and modes are kept, and batches are journaled."""
    import pipeline.journal as journal_module

    path = tmp_path / "j.sqlite"
    db = journal_at(path, 5)
    assert MIGRATIONS[5] is journal_module.m006_batches
    db.execute("INSERT INTO runs (started_at) VALUES (0)")
    db.execute("INSERT INTO results (fingerprint, status, output, prompt_tokens, "
               "completion_tokens, cost_usd, attempts, run_id, row_id, template_key, "
               "finished_at, usage_estimated) VALUES ('old', 'ok', 'x', 5, 6, '0.000001', 1, "
               "1, '7', 't', 0, 1)")
    db.execute("INSERT INTO server_modes VALUES ('http://e/v1/', 'm', 'json_object', 0)")
    db.close()
    with Journal(path) as journal:
        for table in ("batches", "batch_requests"):
            assert columns(journal.db, table) == EXPECTED[table]
        old = journal.get("old")
        assert old is not None and old.result.usage == Usage(5, 6, 0, estimated=True)
        assert journal.response_format_modes("http://e/v1/") == {"m": "json_object"}
        journal.batch_uploaded("file-1", "m", [("a", "1", 10, 0), ("b", "2", 12, 1)])
        journal.batch_update("file-1", batch_id="batch_1", status="validating")
        assert [b["batch_id"] for b in journal.batches(uncollected=True)] == ["batch_1"]
        assert journal.batch_requests("file-1") == {"a": ("1", 10, 0), "b": ("2", 12, 1)}
        assert journal.batch_submissions("a") == 1


def test_a_journal_from_before_manifests_upgrades_with_its_runs_and_answers(tmp_path):
    """A journal at m006 with a run, a failed answer and a batch gains manifests, transient
    failures and notifications; what it held is kept and reads as before (not transient)."""
    import pipeline.journal as journal_module

    path = tmp_path / "j.sqlite"
    db = journal_at(path, 6)
    assert MIGRATIONS[6] is journal_module.m007_run_manifests
    db.execute("INSERT INTO runs (started_at, finished_at, spent_usd) VALUES (10, 20, '0.5')")
    db.execute("INSERT INTO results (fingerprint, status, error, attempts, run_id, row_id, "
               "template_key, finished_at) VALUES ('old', 'failed', 'gave up', 4, 1, '7', 't', 0)")
    db.execute("INSERT INTO batches (input_file_id, status, model, requests, created_at) "
               "VALUES ('file-1', 'completed', 'm', 3, 0)")
    db.close()
    with Journal(path) as journal:
        assert columns(journal.db, "runs") == EXPECTED["runs"]
        assert columns(journal.db, "results") == EXPECTED["results"]
        assert columns(journal.db, "notifications") == EXPECTED["notifications"]
        old = journal.get("old")
        assert old is not None and old.result.status == "failed" and not old.result.transient
        assert journal.manifest(1) is None and journal.manifests() == []
        assert journal.run_started(1) == 10
        assert [b["input_file_id"] for b in journal.batches()] == ["file-1"]
        journal.save_manifest(1, {"run_id": 1, "exit_code": 1})
        journal.record(Result("8", "new", "failed", error="refused", transient=True),
                       run_id=1, template_key="t")
        journal.record_notification("clickup:run:1", run_id=1, target="clickup",
                                    remote_id="abc")
    with Journal(path) as journal:
        assert journal.manifests() == [{"run_id": 1, "exit_code": 1}]
        new = journal.get("new")
        assert new is not None and new.result.transient
        assert journal.notification("clickup:run:1") == "abc"
        assert journal.notification("clickup:run:2") is None
        assert journal.answered_before("7", 2) and journal.answered_before("8", 2)
        assert not journal.answered_before("7", 1) and not journal.answered_before("9", 2)


def test_a_journal_from_before_targets_upgrades_with_its_answers(tmp_path):
    """A journal at m010 with an answer gains results.target; the answer reads as before
    (no target), and a fallback's answer keeps the target that paid."""
    import pipeline.journal as journal_module

    path = tmp_path / "j.sqlite"
    db = journal_at(path, 10)
    assert MIGRATIONS[10] is journal_module.m011_result_targets
    db.execute("INSERT INTO runs (started_at) VALUES (0)")
    db.execute("INSERT INTO results (fingerprint, status, output, attempts, run_id, row_id, "
               "template_key, finished_at) VALUES ('old', 'ok', 'kept', 1, 1, '7', 't', 0)")
    db.close()
    with Journal(path) as journal:
        assert columns(journal.db, "results") == EXPECTED["results"]
        old = journal.get("old")
        assert old is not None and old.result.output == "kept" and old.result.target is None
        journal.record(Result("8", "new", "ok", output="x", target="gpt-4.1-mini@api"),
                       run_id=1, template_key="t")
    with Journal(path) as journal:
        new = journal.get("new")
        assert new is not None and new.result.target == "gpt-4.1-mini@api"


def test_a_journal_from_before_run_kinds_upgrades_with_its_runs_and_answers(tmp_path):
    """A journal at m011 with two runs (one stopped, one with a manifest and learned limits)
    gains runs.kind: both become job runs, so the latest is found as before; a comparison
    after them is not the latest run, its limits are not the job's, and its judgements of a
    row are not that row's answers."""
    import pipeline.journal as journal_module

    path = tmp_path / "j.sqlite"
    db = journal_at(path, 11)
    assert MIGRATIONS[11] is journal_module.m012_run_kinds
    db.execute("INSERT INTO runs (started_at, stopped, rpm) VALUES (10, 'budget', 60)")
    db.execute("INSERT INTO runs (started_at, rpm, tpm, manifest) "
               "VALUES (20, 500, 90000, '{\"run_id\": 2}')")
    db.execute("INSERT INTO results (fingerprint, status, output, attempts, run_id, row_id, "
               "template_key, finished_at) VALUES ('old', 'ok', 'kept', 1, 2, '7', 't', 0)")
    db.close()
    with Journal(path) as journal:
        assert columns(journal.db, "runs") == EXPECTED["runs"]
        assert [journal.run_kind(1), journal.run_kind(2)] == ["run", "run"]
        assert journal.last_run() == (2, None)
        assert journal.known_limits() == (500, 90000)
        assert journal.answered_before("7", 3) and not journal.answered_before("8", 3)
        old = journal.get("old")
        assert old is not None and old.result.output == "kept" and old.run_id == 2
        assert journal.manifests() == [{"run_id": 2}]
        compared = journal.start_run("compare")
        journal.record(Result("8", "judged", "ok", output="{}"), run_id=compared,
                       template_key="judge")
        journal.finish_run(compared, stopped=None, spent=Decimal("0.01"), rpm=3, tpm=None)
    with Journal(path) as journal:
        assert journal.run_kind(compared) == "compare"
        assert journal.last_run() == (2, None)
        assert journal.known_limits() == (500, 90000)
        assert not journal.answered_before("8", compared + 1)  # judged, never answered
        later = journal.start_run()
        assert journal.run_kind(later) == "run" and journal.last_run() == (later, None)
