"""The journal's schema and migrations: exact columns from blank, idempotent, atomic."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from pipeline.journal import MIGRATIONS, Journal, migrate
from pipeline.records import Result, Usage

EXPECTED = {
    "runs": {"id": "INTEGER", "started_at": "REAL", "finished_at": "REAL", "stopped": "TEXT",
             "spent_usd": "TEXT", "rpm": "REAL", "tpm": "REAL"},
    "results": {"fingerprint": "TEXT", "status": "TEXT", "output": "TEXT", "model": "TEXT",
                "finish_reason": "TEXT", "prompt_tokens": "INTEGER",
                "completion_tokens": "INTEGER", "cached_tokens": "INTEGER",
                "cost_usd": "TEXT", "latency_ms": "INTEGER", "attempts": "INTEGER",
                "error": "TEXT", "run_id": "INTEGER", "row_id": "TEXT",
                "template_key": "TEXT", "finished_at": "REAL"},
}


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
