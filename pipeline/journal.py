"""The journal: an SQLite file per job, the source of truth for every answer paid for.

Each finished request is committed here, keyed by its fingerprint, the moment it comes back and
before it counts as done, so a crash, kill -9 or Ctrl-C loses nothing that was paid for and a
rerun sends only what is missing. Outputs are projections of the journal and can be rewritten at
any time without a call. Schema changes are numbered migrations, each applied once in its own
transaction and recorded in `_migrations` (the shape of simonw/llm's, made atomic).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .records import Result, Usage

if TYPE_CHECKING:
    from .config import Connection

#: What a run did: answered the job's rows ('run': `pipeline run`, batch mode's passes and
#: imports) or judged its variants' answers against each other ('compare').
RunKind = Literal["run", "compare"]

MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = []


def migration(fn: Callable[[sqlite3.Connection], None]) -> Callable[[sqlite3.Connection], None]:
    """Register a migration; they run in definition order, each exactly once."""
    MIGRATIONS.append(fn)
    return fn


@migration
def m001_runs_and_results(db: sqlite3.Connection) -> None:
    db.execute("""
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started_at REAL NOT NULL,
            finished_at REAL,
            stopped TEXT,
            spent_usd TEXT NOT NULL DEFAULT '0',
            rpm REAL,
            tpm REAL
        )""")
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
            run_id INTEGER NOT NULL REFERENCES runs(id),
            row_id TEXT NOT NULL,
            template_key TEXT NOT NULL,
            finished_at REAL NOT NULL
        )""")
    db.execute("CREATE INDEX results_by_template ON results (template_key, status)")


@migration
def m002_fields_and_flags(db: sqlite3.Connection) -> None:
    """Structured outputs: the parsed fields (JSON) and the reasons a row is flagged (JSON)."""
    db.execute("ALTER TABLE results ADD COLUMN fields TEXT")
    db.execute("ALTER TABLE results ADD COLUMN flags TEXT")


@migration
def m003_pending_attempts(db: sqlite3.Connection) -> None:
    """Paid replies awaiting a correction (a fix loop in progress), so a run killed mid-loop
    resumes the conversation instead of buying the first reply again."""
    db.execute("""
        CREATE TABLE pending_attempts (
            fingerprint TEXT NOT NULL,
            n INTEGER NOT NULL,
            output TEXT,
            model TEXT,
            finish_reason TEXT,
            prompt_tokens INTEGER NOT NULL DEFAULT 0,
            completion_tokens INTEGER NOT NULL DEFAULT 0,
            cached_tokens INTEGER NOT NULL DEFAULT 0,
            cost_usd TEXT,
            latency_ms INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            row_id TEXT NOT NULL,
            finished_at REAL NOT NULL,
            PRIMARY KEY (fingerprint, n)
        )""")


@migration
def m004_server_modes(db: sqlite3.Connection) -> None:
    """How each endpoint and model takes structured replies (the response_format mode that
    worked), so the next run starts with it instead of being refused again."""
    db.execute("""
        CREATE TABLE server_modes (
            endpoint TEXT NOT NULL,
            model TEXT NOT NULL,
            response_format_mode TEXT NOT NULL,
            learned_at REAL NOT NULL,
            PRIMARY KEY (endpoint, model)
        )""")


@migration
def m005_usage_estimated(db: sqlite3.Connection) -> None:
    """Token counts we made ourselves because the server sent no usage."""
    db.execute("ALTER TABLE results ADD COLUMN usage_estimated INTEGER NOT NULL DEFAULT 0")


@migration
def m006_batches(db: sqlite3.Connection) -> None:
    """Batch API batches, journaled the moment each id exists (the input file's on upload, the
    batch's on submission), and which requests each carries: nothing is submitted twice and
    nothing is lost when the process ends between submitting and collecting."""
    db.execute("""
        CREATE TABLE batches (
            input_file_id TEXT PRIMARY KEY,
            batch_id TEXT UNIQUE,
            status TEXT NOT NULL,
            model TEXT NOT NULL,
            requests INTEGER NOT NULL,
            completed INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            output_file_id TEXT,
            error_file_id TEXT,
            cost_usd TEXT,
            created_at REAL NOT NULL,
            collected_at REAL,
            input_deleted INTEGER NOT NULL DEFAULT 0
        )""")
    db.execute("""
        CREATE TABLE batch_requests (
            fingerprint TEXT NOT NULL,
            input_file_id TEXT NOT NULL,
            row_id TEXT NOT NULL,
            prompt_tokens INTEGER NOT NULL,
            attempt INTEGER NOT NULL,
            PRIMARY KEY (fingerprint, input_file_id)
        )""")


@migration
def m007_run_manifests(db: sqlite3.Connection) -> None:
    """Each run's manifest (what ran, on what, with what outcome: manifest.py), kept with the
    answers so `pipeline runs` can list and show past runs without their files."""
    db.execute("ALTER TABLE runs ADD COLUMN manifest TEXT")
    # Whether a row id was answered before a run: new rows vs changed ones in its summary.
    db.execute("CREATE INDEX results_by_row ON results (row_id, run_id)")


@migration
def m008_transient_failures(db: sqlite3.Connection) -> None:
    """Failures that said nothing about the request (connection refused, timeouts, 5xx): the
    next run sends them again unasked, unlike a row the server refused."""
    db.execute("ALTER TABLE results ADD COLUMN transient INTEGER NOT NULL DEFAULT 0")


@migration
def m009_notifications(db: sqlite3.Connection) -> None:
    """What was sent to whom (a ClickUp task, a webhook POST), journaled the moment it exists,
    so a rerun never creates the same task twice."""
    db.execute("""
        CREATE TABLE notifications (
            key TEXT PRIMARY KEY,
            run_id INTEGER NOT NULL,
            target TEXT NOT NULL,
            remote_id TEXT,
            sent_at REAL NOT NULL
        )""")


@migration
def m010_reviews(db: sqlite3.Connection) -> None:
    """A reviewer's verdict per row and variant (`pipeline review`), with the answers it was
    given on, so later runs keep approved answers, redo what was sent back and leave out
    rejected rows. Re-reviewing a row replaces its verdict."""
    db.execute("""
        CREATE TABLE reviews (
            row_id TEXT NOT NULL,
            variant TEXT NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('approve', 'redo', 'reject')),
            note TEXT NOT NULL DEFAULT '',
            answers TEXT NOT NULL,
            based_on TEXT,
            reviewed_at REAL NOT NULL,
            file TEXT NOT NULL,
            PRIMARY KEY (row_id, variant)
        )""")


@migration
def m011_result_targets(db: sqlite3.Connection) -> None:
    """Which target answered (model@host) when a job has fallbacks (send/fallbacks.py): the answer
    is kept under the row's own request, and this says who paid for it."""
    db.execute("ALTER TABLE results ADD COLUMN target TEXT")


@migration
def m012_run_kinds(db: sqlite3.Connection) -> None:
    """What kind of run each run was: a job's run ('run': rows answered, batch passes and
    imports too) or a judge comparing its answers ('compare': `pipeline compare`), so what
    looks for "the latest run" (export, the limits learned) passes over comparisons. Runs
    before this were all taken as 'run'."""
    db.execute("ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'run'")


def migrate(db: sqlite3.Connection) -> None:
    """Apply every migration not yet recorded. Idempotent; runs whenever a journal opens."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at REAL)")
    done = {name for (name,) in db.execute("SELECT name FROM _migrations")}
    for fn in MIGRATIONS:
        if fn.__name__ in done:
            continue
        db.execute("BEGIN")  # one transaction: the change and its record land together
        try:
            fn(db)
            db.execute("INSERT INTO _migrations VALUES (?, ?)", (fn.__name__, time.time()))
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


_COLUMNS = ("fingerprint", "status", "output", "model", "finish_reason", "prompt_tokens",
            "completion_tokens", "cached_tokens", "cost_usd", "latency_ms", "attempts", "error",
            "run_id", "row_id", "fields", "flags", "usage_estimated", "transient", "target")
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM results"
_INSERT = (f"INSERT OR REPLACE INTO results ({', '.join(_COLUMNS)}, template_key, finished_at) "
           f"VALUES ({', '.join('?' * (len(_COLUMNS) + 2))})")


@dataclass(frozen=True)
class Stored:
    """An answer as the journal holds it, with the run and row that paid for it."""

    result: Result
    run_id: int
    row_id: str


def reusable(job: Connection) -> Callable[[Stored], bool]:
    """Which stored answers a job reuses instead of calling again: ok ones, and failed or
    flagged ones unless --retry-failed; none with --refresh. A failure that said nothing about
    the request (the endpoint down, a timeout, a 5xx) is never reused: it cost nothing."""
    def reuse(stored: Stored) -> bool:
        if job.refresh or stored.result.transient:
            return False
        return stored.result.status == "ok" or not job.retry_failed
    return reuse


@dataclass(frozen=True)
class CompletionStats:
    """What earlier answers for a template used: the basis of an expected-cost estimate."""

    answers: int
    mean_completion_tokens: float
    mean_prompt_tokens: float = 0.0


@dataclass(frozen=True)
class Review:
    """A reviewer's verdict on one row's answer (one variant's), as the journal keeps it."""

    row_id: str
    #: The variant's label ('' when the job has one variant).
    variant: str
    #: approve, redo or reject.
    verdict: str
    note: str
    #: The answers the reviewer saw, step by step (their fingerprints).
    answers: tuple[str, ...]
    #: A redo's base: the fingerprint of the request whose answer is asked again (the last
    #: step answered, as the job renders it); the redo applies while that request stands.
    based_on: str | None
    reviewed_at: float
    #: The reviewed file's name.
    file: str

    @property
    def step(self) -> int:
        """The step a redo asks again: the last one the reviewer saw answered."""
        return len(self.answers) - 1


class Journal:
    """One job's journal file. One event loop writes to it; readers may open it any time."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL survives a process crash
        self.db.execute("PRAGMA busy_timeout=5000")
        migrate(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- runs --------------------------------------------------------------------------------
    def start_run(self, kind: RunKind = "run") -> int:
        """A new run of that kind (RunKind says which), its id."""
        cursor = self.db.execute("INSERT INTO runs (started_at, kind) VALUES (?, ?)",
                                 (time.time(), kind))
        return int(cursor.lastrowid or 0)

    def run_kind(self, run_id: int) -> RunKind | None:
        row = self.db.execute("SELECT kind FROM runs WHERE id = ?", (run_id,)).fetchone()
        return None if row is None else row[0]

    def finish_run(self, run_id: int, *, stopped: str | None, spent: Decimal,
                   rpm: float | None, tpm: float | None) -> None:
        self.db.execute(
            "UPDATE runs SET finished_at = ?, stopped = ?, spent_usd = ?, rpm = ?, tpm = ? "
            "WHERE id = ?", (time.time(), stopped, str(spent), rpm, tpm, run_id))

    def last_run(self) -> tuple[int, str | None] | None:
        """The latest run of the job's rows (a comparison is not one): its id and why it
        stopped early (None: it did not)."""
        row = self.db.execute("SELECT id, stopped FROM runs WHERE kind = 'run' "
                              "ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else (int(row[0]), row[1])

    def save_manifest(self, run_id: int, manifest: dict[str, Any]) -> None:
        """Keep a run's manifest with its run (unattended/manifest.py says what it holds)."""
        self.db.execute("UPDATE runs SET manifest = ? WHERE id = ?",
                        (json.dumps(manifest, ensure_ascii=False), run_id))

    def manifest(self, run_id: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT manifest FROM runs WHERE id = ?", (run_id,)).fetchone()
        return None if row is None or row[0] is None else json.loads(row[0])

    def manifests(self) -> list[dict[str, Any]]:
        """Every run's manifest, oldest first (runs from before manifests are left out)."""
        return [json.loads(text) for (text,) in self.db.execute(
            "SELECT manifest FROM runs WHERE manifest IS NOT NULL ORDER BY id")]

    def run_started(self, run_id: int) -> float | None:
        row = self.db.execute("SELECT started_at FROM runs WHERE id = ?", (run_id,)).fetchone()
        return None if row is None else float(row[0])

    def answered_before(self, row_id: str, run_id: int) -> bool:
        """Whether runs before this one answered this row id (whatever the outcome; a
        comparison's judgements of the row are not answers)."""
        return self.db.execute(
            "SELECT 1 FROM results JOIN runs ON runs.id = results.run_id WHERE row_id = ? "
            "AND run_id < ? AND runs.kind = 'run' LIMIT 1",
            (row_id, run_id)).fetchone() is not None

    # -- notifications -------------------------------------------------------------------------
    def notification(self, key: str) -> str | None:
        """The remote id (a ClickUp task id, '' for a webhook) of what was sent under this key,
        or None when nothing was."""
        row = self.db.execute("SELECT remote_id FROM notifications WHERE key = ?",
                              (key,)).fetchone()
        return None if row is None else (row[0] or "")

    def record_notification(self, key: str, *, run_id: int, target: str,
                            remote_id: str | None) -> None:
        self.db.execute("INSERT OR REPLACE INTO notifications VALUES (?, ?, ?, ?, ?)",
                        (key, run_id, target, remote_id, time.time()))

    # -- reviews -------------------------------------------------------------------------------
    def record_reviews(self, reviews: list[Review]) -> None:
        """Keep a reviewed file's verdicts, all or none; each replaces its row's earlier one."""
        self.db.execute("BEGIN")
        try:
            self.db.executemany(
                "INSERT OR REPLACE INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(r.row_id, r.variant, r.verdict, r.note, json.dumps(list(r.answers)),
                  r.based_on, r.reviewed_at, r.file) for r in reviews])
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def review(self, row_id: str, variant: str) -> Review | None:
        """The verdict standing for one row and variant (None: never reviewed)."""
        row = self.db.execute("SELECT * FROM reviews WHERE row_id = ? AND variant = ?",
                              (row_id, variant)).fetchone()
        return None if row is None else _review(row)

    def reviews(self) -> list[Review]:
        """Every verdict standing, by row and variant."""
        return [_review(row) for row in self.db.execute(
            "SELECT * FROM reviews ORDER BY row_id, variant")]

    def has_reviews(self) -> bool:
        return self.db.execute("SELECT 1 FROM reviews LIMIT 1").fetchone() is not None

    def answers_starting(self, prefix: str) -> list[tuple[str, str]]:
        """(fingerprint, row id) of the answers whose fingerprint starts with `prefix` (an
        output's answer_id), through the primary key's index."""
        return self.db.execute(
            "SELECT fingerprint, row_id FROM results WHERE fingerprint >= ? AND fingerprint < ?",
            (prefix, prefix + "g")).fetchall()

    def known_limits(self) -> tuple[float | None, float | None]:
        """The rate limits the latest run of the job that learned any held (rpm, tpm); a
        comparison's are its judge's, perhaps on another endpoint."""
        row = self.db.execute("SELECT rpm, tpm FROM runs WHERE kind = 'run' AND (rpm IS NOT "
                              "NULL OR tpm IS NOT NULL) ORDER BY id DESC LIMIT 1").fetchone()
        return (None, None) if row is None else (row[0], row[1])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Many writes as one: all of them, or (on any error) none."""
        self.db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- answers -------------------------------------------------------------------------------
    def record(self, result: Result, *, run_id: int, template_key: str,
               clear_attempts: bool = False) -> None:
        """Commit one finished request (with `clear_attempts`, dropping its pending attempts in
        the same transaction). Durable when this returns."""
        u = result.usage
        if not clear_attempts:
            self._insert(result, u, run_id, template_key)
            return
        self.db.execute("BEGIN")
        try:
            self._insert(result, u, run_id, template_key)
            self.db.execute("DELETE FROM pending_attempts WHERE fingerprint = ?",
                            (result.fingerprint,))
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def record_attempt(self, result: Result, n: int, *, run_id: int) -> None:
        """Commit a paid reply that is being corrected (attempt n of its fix loop)."""
        u = result.usage
        self.db.execute(
            "INSERT OR REPLACE INTO pending_attempts (fingerprint, n, output, model, "
            "finish_reason, prompt_tokens, completion_tokens, cached_tokens, cost_usd, "
            "latency_ms, attempts, run_id, row_id, finished_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (result.fingerprint, n, result.output, result.model, result.finish_reason,
             u.prompt_tokens, u.completion_tokens, u.cached_tokens,
             None if result.cost_usd is None else str(result.cost_usd), result.latency_ms,
             result.attempts, run_id, result.row_id, time.time()))

    def pending_fingerprints(self, limit: int = -1) -> set[str]:
        """Requests with a fix loop left unfinished by an earlier run (usually none; at most
        `limit` of them)."""
        return {fp for (fp,) in self.db.execute("SELECT DISTINCT fingerprint "
                                                "FROM pending_attempts LIMIT ?", (limit,))}

    def has_pending(self, fingerprint: str) -> bool:
        """Whether the request has paid replies of an unfinished fix loop (one indexed
        lookup: a batch run may leave a million of them, too many to hold as a set)."""
        return self.db.execute("SELECT 1 FROM pending_attempts WHERE fingerprint = ? LIMIT 1",
                               (fingerprint,)).fetchone() is not None

    def pending_count(self, fingerprint: str) -> int:
        """How many paid replies the request's unfinished fix loop holds."""
        return int(self.db.execute("SELECT COUNT(*) FROM pending_attempts WHERE fingerprint "
                                   "= ?", (fingerprint,)).fetchone()[0])

    def pending_attempts(self, fingerprint: str) -> list[Result]:
        """The paid replies of an unfinished fix loop, in order."""
        rows = self.db.execute(
            "SELECT output, model, finish_reason, prompt_tokens, completion_tokens, "
            "cached_tokens, cost_usd, latency_ms, attempts, row_id FROM pending_attempts "
            "WHERE fingerprint = ? ORDER BY n", (fingerprint,)).fetchall()
        return [Result(row_id=row_id, fingerprint=fingerprint, status="ok", output=output,
                       usage=Usage(p, c, cached),
                       cost_usd=None if cost is None else Decimal(cost), model=model,
                       finish_reason=finish, latency_ms=latency, attempts=attempts)
                for (output, model, finish, p, c, cached, cost, latency, attempts, row_id)
                in rows]

    def _insert(self, result: Result, u: Usage, run_id: int, template_key: str) -> None:
        self.db.execute(_INSERT, (
            result.fingerprint, result.status, result.output, result.model, result.finish_reason,
            u.prompt_tokens, u.completion_tokens, u.cached_tokens,
            None if result.cost_usd is None else str(result.cost_usd), result.latency_ms,
            result.attempts, result.error, run_id, result.row_id,
            None if result.fields is None else json.dumps(result.fields, ensure_ascii=False),
            json.dumps(result.flags, ensure_ascii=False) if result.flags else None,
            int(u.estimated), int(result.transient), result.target, template_key,
            time.time()))

    def recorded_under(self, template_key: str) -> list[Stored]:
        """Every answer recorded under one template key, oldest first (the judge's verdicts on
        one request's answers, rows/judge.py), through the template key's index."""
        return [_stored(row) for row in self.db.execute(
            _SELECT + " WHERE template_key = ? ORDER BY finished_at", (template_key,))]

    def get(self, fingerprint: str) -> Stored | None:
        row = self.db.execute(_SELECT + " WHERE fingerprint = ?", (fingerprint,)).fetchone()
        return None if row is None else _stored(row)

    # -- what servers accept ------------------------------------------------------------------
    def response_format_modes(self, endpoint: str) -> dict[str, str]:
        """Per model, the structured-output mode an earlier run found this endpoint accepts."""
        return dict(self.db.execute("SELECT model, response_format_mode FROM server_modes "
                                    "WHERE endpoint = ?", (endpoint,)).fetchall())

    def remember_response_format_mode(self, endpoint: str, model: str, mode: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO server_modes VALUES (?, ?, ?, ?)",
                        (endpoint, model, mode, time.time()))

    # -- Batch API batches ------------------------------------------------------------------
    def batch_uploaded(self, input_file_id: str, model: str,
                       requests: list[tuple[str, str, int, int]]) -> None:
        """An input file exists on the server: journal it and its requests (fingerprint, row
        id, prompt tokens, and which reply of its conversation the answer will be) at once,
        before the batch is created. A crash before the batch's id is journaled leaves this
        record without one: the next run adopts the batch created from the file (the server
        lists it) or, when there is none, deletes the file."""
        self.db.execute("BEGIN")
        try:
            self.db.execute("INSERT INTO batches (input_file_id, status, model, requests, "
                            "created_at) VALUES (?, 'uploaded', ?, ?, ?)",
                            (input_file_id, model, len(requests), time.time()))
            self.db.executemany("INSERT OR IGNORE INTO batch_requests VALUES (?, ?, ?, ?, ?)",
                                [(fp, input_file_id, row_id, tokens, attempt)
                                 for fp, row_id, tokens, attempt in requests])
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def batch_update(self, input_file_id: str, **values: Any) -> None:
        """Record what the server says of a batch (its id, status, counts, file ids), or that
        it was collected or its input file deleted."""
        allowed = {"batch_id", "status", "completed", "failed", "output_file_id",
                   "error_file_id", "cost_usd", "collected_at", "input_deleted"}
        assert set(values) <= allowed, set(values) - allowed
        names = ", ".join(f"{k} = ?" for k in values)
        self.db.execute(f"UPDATE batches SET {names} WHERE input_file_id = ?",
                        (*values.values(), input_file_id))

    def batches(self, *, uncollected: bool = False) -> list[dict[str, Any]]:
        """The job's batches, oldest first (uncollected: those whose answers are not in)."""
        where = " WHERE collected_at IS NULL" if uncollected else ""
        cursor = self.db.execute(f"SELECT * FROM batches{where} ORDER BY created_at")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def batch_requests(self, input_file_id: str) -> dict[str, tuple[str, int, int]]:
        """A batch's requests: fingerprint -> (row id, prompt tokens, attempt)."""
        return {fp: (row_id, tokens, attempt) for fp, row_id, tokens, attempt in self.db.execute(
            "SELECT fingerprint, row_id, prompt_tokens, attempt FROM batch_requests "
            "WHERE input_file_id = ?", (input_file_id,))}

    def batch_run(self) -> tuple[float, int] | None:
        """When the batch run now ending began (its first upload) and how many batches it
        created: the batches not yet collected when the job's last run was reported (a run
        with a manifest), so a submission by an earlier `--no-wait` command counts. None:
        the batch run submitted nothing."""
        (reported,) = self.db.execute(
            "SELECT MAX(finished_at) FROM runs WHERE manifest IS NOT NULL").fetchone()
        first, created = self.db.execute(
            "SELECT MIN(created_at), COUNT(batch_id) FROM batches WHERE collected_at IS NULL "
            "OR collected_at > ?", (reported or 0,)).fetchone()
        return None if first is None else (float(first), int(created))

    def batch_forget(self, input_file_id: str) -> None:
        """A batch the queue refused carried its requests nowhere: they have not been tried."""
        self.db.execute("DELETE FROM batch_requests WHERE input_file_id = ?", (input_file_id,))

    def batch_carries(self, fingerprint: str) -> bool:
        """Whether a batch not yet collected carries the request."""
        return self.db.execute(
            "SELECT 1 FROM batch_requests r JOIN batches b ON b.input_file_id = "
            "r.input_file_id WHERE r.fingerprint = ? AND b.collected_at IS NULL LIMIT 1",
            (fingerprint,)).fetchone() is not None

    def knows_batch(self, batch_id: str) -> bool:
        """Whether a batch id is journaled already (never adopted for another key)."""
        return self.db.execute("SELECT 1 FROM batches WHERE batch_id = ?",
                               (batch_id,)).fetchone() is not None

    def batch_submissions(self, fingerprint: str) -> int:
        """How many batches have carried this request (its attempts in batch mode)."""
        return int(self.db.execute("SELECT COUNT(*) FROM batch_requests WHERE fingerprint = ?",
                                   (fingerprint,)).fetchone()[0])

    def completion_stats(self, template_key: str) -> CompletionStats:
        count, mean, prompt = self.db.execute(
            "SELECT COUNT(*), AVG(completion_tokens), AVG(prompt_tokens) FROM results "
            "WHERE template_key = ? AND status IN ('ok', 'flagged')", (template_key,)).fetchone()
        return CompletionStats(int(count), float(mean or 0.0), float(prompt or 0.0))



def _stored(values: tuple) -> Stored:
    (fingerprint, status, output, model, finish_reason, prompt_tokens, completion_tokens,
     cached_tokens, cost_usd, latency_ms, attempts, error, run_id, row_id, fields,
     flags, estimated, transient, target) = values
    result = Result(row_id=row_id, fingerprint=fingerprint, status=status, output=output,
                    usage=Usage(prompt_tokens, completion_tokens, cached_tokens,
                                estimated=bool(estimated)),
                    cost_usd=None if cost_usd is None else Decimal(cost_usd), model=model,
                    finish_reason=finish_reason, latency_ms=latency_ms, attempts=attempts,
                    error=error, fields=None if fields is None else json.loads(fields),
                    flags=json.loads(flags) if flags else [], transient=bool(transient),
                    target=target)
    return Stored(result=result, run_id=int(run_id), row_id=row_id)


def _review(values: tuple) -> Review:
    row_id, variant, verdict, note, answers, based_on, reviewed_at, file = values
    return Review(row_id=row_id, variant=variant, verdict=verdict, note=note,
                  answers=tuple(json.loads(answers)), based_on=based_on,
                  reviewed_at=float(reviewed_at), file=file)
