"""`--log-file`: one JSON line per event of an unattended run, appended, for grep and jq.

Events: `start` (job, run id, rows, models, endpoint), `log` (each warning the run printed:
rate-limit pauses, stops), `retries` (failed attempts summed up by reason, one line each, at
the end, instead of a line per retry), `end` (the run's manifest), and `error` when the run
ended with an exception (a refused pre-flight never opens the log: nothing ran). Every line
has `time` (local, ISO 8601) and `event`.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import IO, Any


class _Lines(logging.Handler):
    def __init__(self, log: RunLog):
        super().__init__(logging.INFO)
        self.log = log

    def emit(self, record: logging.LogRecord) -> None:
        self.log.event("log", level=record.levelname.lower(), message=record.getMessage())


class RunLog:
    """A run's JSON-lines log (or nothing, when the job has no log_file)."""

    def __init__(self, path: Path | None):
        self.path = path
        self._fh: IO[str] | None = None
        self._handler: _Lines | None = None

    def __enter__(self) -> RunLog:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = self.path.open("a", encoding="utf-8")
            self._handler = _Lines(self)
            logging.getLogger("pipeline").addHandler(self._handler)
        return self

    def event(self, kind: str, **fields: Any) -> None:
        if self._fh is None:
            return
        line = {"time": datetime.now().astimezone().isoformat(timespec="milliseconds"),
                "event": kind, **fields}
        self._fh.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
        self._fh.flush()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 _tb: object) -> None:
        if self._fh is None:
            return
        if exc is not None:
            self.event("error", error=f"{type(exc).__name__}: {exc}")
        if self._handler is not None:
            logging.getLogger("pipeline").removeHandler(self._handler)
        self._fh.close()
        self._fh = None
