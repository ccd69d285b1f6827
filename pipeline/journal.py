"""The journal: an SQLite file per job, the source of truth for every answer paid for.

Each finished request is committed here, keyed by its fingerprint, the moment it comes back and
before it counts as done. Outputs are projections of the journal and can be rewritten at any
time without a single call. Schema changes are numbered migrations, each applied once in its own
transaction and recorded in `_migrations` (the shape of simonw/llm's, made atomic).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

from .records import Result, Usage

MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = []


def migration(fn: Callable[[sqlite3.Connection], None]) -> Callable[[sqlite3.Connection], None]:
    """Register a migration; they run in definition order, each exactly once."""
    MIGRATIONS.append(fn)
    return fn


@migration
def m001_results_and_rows(db: sqlite3.Connection) -> None:
    db.execute("""
        CREATE TABLE results (
            fingerprint TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            output TEXT,
            model TEXT,
            finish_reason TEXT,
            prompt_tokens INTEGER NOT NULL DEFAULT 0,
            completion_tokens INTEGER NOT NULL DEFAULT 0,
            cached_tokens INTEGER NOT NULL DEFAULT 0,
            cost_usd TEXT,
            latency_ms INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            finished_at REAL NOT NULL
        )""")
    db.execute("""
        CREATE TABLE rows (
            number INTEGER PRIMARY KEY,
            row_id TEXT NOT NULL,
            fingerprint TEXT
        )""")


def migrate(db: sqlite3.Connection) -> None:
    """Apply every migration not yet recorded. Idempotent; runs whenever a journal opens."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at REAL)")
    done = {name for (name,) in db.execute("SELECT name FROM _migrations")}
    for fn in MIGRATIONS:
        if fn.__name__ in done:
            continue
        with db:  # one transaction: the change and its record land together or not at all
            fn(db)
            db.execute("INSERT INTO _migrations VALUES (?, ?)", (fn.__name__, time.time()))


_RESULT_COLUMNS = ("fingerprint", "status", "output", "model", "finish_reason", "prompt_tokens",
                   "completion_tokens", "cached_tokens", "cost_usd", "latency_ms", "attempts",
                   "error")


class Journal:
    """One job's journal file. Not shared across threads; one event loop writes to it."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL survives a process crash
        self.db.execute("PRAGMA busy_timeout=5000")
        migrate(self.db)
        self._pending_rows: list[tuple[int, str, str | None]] = []

    def close(self) -> None:
        self.flush_rows()
        self.db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- this run's rows ---------------------------------------------------------------------
    def start_rows(self) -> None:
        """Forget the previous run's row list (answers stay: they are keyed by fingerprint)."""
        with self.db:
            self.db.execute("DELETE FROM rows")

    def add_row(self, number: int, row_id: str, fingerprint: str | None) -> None:
        """Record which request answers input row `number` (batched, flushed with results)."""
        self._pending_rows.append((number, row_id, fingerprint))
        if len(self._pending_rows) >= 1000:
            self.flush_rows()

    def flush_rows(self) -> None:
        if self._pending_rows:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO rows VALUES (?, ?, ?)",
                                    self._pending_rows)
            self._pending_rows.clear()

    # -- answers -------------------------------------------------------------------------------
    def record(self, result: Result) -> None:
        """Commit one finished request. Durable when this returns."""
        if self._pending_rows:
            self.flush_rows()
        u = result.usage
        values = (result.fingerprint, result.status, result.output, result.model,
                  result.finish_reason, u.prompt_tokens, u.completion_tokens, u.cached_tokens,
                  None if result.cost_usd is None else str(result.cost_usd), result.latency_ms,
                  result.attempts, result.error, time.time())
        with self.db:
            self.db.execute(
                f"INSERT OR REPLACE INTO results ({', '.join(_RESULT_COLUMNS)}, finished_at) "
                f"VALUES ({', '.join('?' * (len(_RESULT_COLUMNS) + 1))})", values)

    def result(self, fingerprint: str) -> Result | None:
        row = self.db.execute(
            f"SELECT {', '.join(_RESULT_COLUMNS)} FROM results WHERE fingerprint = ?",
            (fingerprint,)).fetchone()
        return None if row is None else _result_from(row, row_id="")

    def row_results(self) -> Iterator[tuple[int, str, Result | None]]:
        """This run's rows in input order, each with its answer (None: not answered)."""
        self.flush_rows()
        cursor = self.db.execute(
            f"SELECT r.number, r.row_id, {', '.join('x.' + c for c in _RESULT_COLUMNS)} "
            "FROM rows r LEFT JOIN results x ON x.fingerprint = r.fingerprint ORDER BY r.number")
        for number, row_id, *rest in cursor:
            yield number, row_id, None if rest[0] is None else _result_from(rest, row_id)


def _result_from(values: tuple | list, row_id: str) -> Result:
    (fingerprint, status, output, model, finish_reason, prompt_tokens, completion_tokens,
     cached_tokens, cost_usd, latency_ms, attempts, error) = values
    return Result(row_id=row_id, fingerprint=fingerprint, status=status, output=output,
                  usage=Usage(prompt_tokens, completion_tokens, cached_tokens),
                  cost_usd=None if cost_usd is None else Decimal(cost_usd), model=model,
                  finish_reason=finish_reason, latency_ms=latency_ms, attempts=attempts,
                  error=error)
