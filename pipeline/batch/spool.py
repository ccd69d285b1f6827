"""The requests a batch run sets aside, on disk: what lets a million-row job go through the
Batch API in the memory of a small one.

A pass over the job (batch/deferred.py) may set aside a request for every row. Held as
`Request` objects until upload, they cost about 2.8 KB a row; here each is written, the moment
it is set aside, as its finished Batch API line (its provider's: batch/remote.py) with what
submitting needs to know of it (row, model, prompt tokens, completion cap), in a private SQLite
file that goes with the spool. A request set aside twice (two rows with the same prompt) is
kept once, as a Batch API file must (its custom_ids are unique). Submitting then reads the
spool back model by model, in the order the requests were set aside, a file's worth at a time.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..records import Request

#: Requests written between two commits of the spool (one transaction each, not one a row).
_COMMIT_EVERY = 5_000


@dataclass(frozen=True, slots=True)
class Spooled:
    """A request set aside, as submitting needs it: its Batch API line and its accounts."""

    fingerprint: str
    row_id: str
    model: str
    prompt_tokens: int
    completion_cap: int | None
    line: bytes


class RequestSpool:
    """Requests set aside for batches, one line each, on disk until they are submitted or
    written. `line`: a request as its Batch API's line (BatchRemote.line, or lines.py's for
    files any engine reads)."""

    def __init__(self, line: Callable[[Request], bytes], directory: Path | None = None):
        self.line = line
        self._folder = tempfile.TemporaryDirectory(prefix="pipeline-spool-", dir=directory)
        self._db = sqlite3.connect(Path(self._folder.name) / "spool.sqlite",
                                   isolation_level=None)
        self._db.execute("PRAGMA journal_mode=OFF")  # private and temporary: no recovery
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE spool (seq INTEGER PRIMARY KEY, fingerprint TEXT "
                         "UNIQUE NOT NULL, row_id TEXT NOT NULL, model TEXT NOT NULL, "
                         "prompt_tokens INTEGER NOT NULL, completion_cap INTEGER, "
                         "line BLOB NOT NULL)")
        self._uncommitted = 0
        self._count = 0
        #: Requests set aside again after their first time (written once).
        self.repeats = 0

    # -- filling -------------------------------------------------------------------------------
    def add(self, request: Request) -> bool:
        """Set a request aside; False when it already is (the same fingerprint)."""
        if self._uncommitted == 0:
            self._db.execute("BEGIN")
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO spool (fingerprint, row_id, model, prompt_tokens, "
            "completion_cap, line) VALUES (?, ?, ?, ?, ?, ?)",
            (request.fingerprint, request.row_id, request.model, request.prompt_tokens,
             request.completion_cap, self.line(request)))
        self._uncommitted += 1
        if self._uncommitted >= _COMMIT_EVERY:
            self._commit()
        if cursor.rowcount:
            self._count += 1
            return True
        self.repeats += 1
        return False

    def extend(self, requests: Iterable[Request]) -> RequestSpool:
        for request in requests:
            self.add(request)
        return self

    def _commit(self) -> None:
        if self._uncommitted:
            self._db.execute("COMMIT")
            self._uncommitted = 0

    # -- reading -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def models(self) -> list[str]:
        """The models asked, in the order they were first asked."""
        self._commit()
        return [model for (model,) in self._db.execute(
            "SELECT model FROM spool GROUP BY model ORDER BY MIN(seq)")]

    def requests(self, model: str | None = None) -> Iterator[Spooled]:
        """The requests set aside (for one model), in the order they were, read in pages so
        that only a page is in memory at a time."""
        self._commit()
        where, args = ("WHERE model = ? AND seq > ?", (model,)) if model is not None else (
            "WHERE seq > ?", ())
        last = 0
        while True:
            page = self._db.execute(
                "SELECT seq, fingerprint, row_id, model, prompt_tokens, completion_cap, line "
                f"FROM spool {where} ORDER BY seq LIMIT 2000", (*args, last)).fetchall()
            if not page:
                return
            for seq, *fields in page:
                last = seq
                yield Spooled(*fields)

    def get(self, fingerprint: str) -> Spooled | None:
        """One request set aside, by fingerprint (matching an answer to what was asked)."""
        self._commit()
        row = self._db.execute("SELECT fingerprint, row_id, model, prompt_tokens, "
                               "completion_cap, line FROM spool WHERE fingerprint = ?",
                               (fingerprint,)).fetchone()
        return None if row is None else Spooled(*row)

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()

    def __enter__(self) -> RequestSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
