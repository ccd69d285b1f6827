"""One run of a job at a time: a lock beside its journal (exit code 4 for a second run).

The lock is filelock's, an OS lock (flock) the kernel releases when its holder ends however it
ends, so a run killed with kill -9 or a reboot never leaves the job locked. Beside it, the
holder writes who it is (pid, host, start), so a second run can say whom it is waiting for, and
the next holder can say whose lock it took over when that one ended without cleaning up.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from ..errors import PipelineError
from ..files import atomic_write

EXIT_LOCKED = 4


class JobLocked(PipelineError):
    """Another run of the same job holds its lock: nothing was sent."""

    exit_code = EXIT_LOCKED


def _holder(info: Path) -> dict[str, object] | None:
    try:
        data = json.loads(info.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _describe(holder: dict[str, object] | None) -> str:
    if holder is None:
        return "another process"
    started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(holder.get("started", 0))))
    return f"pid {holder.get('pid')} on {holder.get('host')}, started {started}"


@contextmanager
def job_lock(journal_path: Path, *, wait: bool = False) -> Iterator[str | None]:
    """Hold the job's lock for the block; yields a note when a dead run's lock was taken
    over. Without `wait`, raises JobLocked at once when another run holds it."""
    journal_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = journal_path.with_name(journal_path.name + ".lock")
    info = journal_path.with_name(journal_path.name + ".lock.json")
    # One lock object per path in a process, counting re-entries: batch mode's passes run the
    # job inside its own hold of the lock.
    lock = FileLock(lock_path, is_singleton=True)
    nested = lock.is_locked
    try:
        lock.acquire(timeout=-1 if wait else 0)
    except Timeout:
        raise JobLocked(
            f"this job is already running ({_describe(_holder(info))}; its journal is "
            f"{journal_path}): nothing was sent. Run again when it ends, or with --wait to "
            "wait for it") from None
    if nested:  # this process holds it already (a pass inside batch mode)
        try:
            yield None
        finally:
            lock.release()
        return
    try:
        previous = _holder(info)
        note = None
        if previous is not None and previous.get("pid") != os.getpid():
            # We hold the OS lock, so that run has ended, without removing its record.
            note = (f"took over the lock of an earlier run that ended without releasing it "
                    f"({_describe(previous)})")
        record = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
        atomic_write(info, lambda tmp: tmp.write_text(json.dumps(record), encoding="utf-8"))
        try:
            yield note
        finally:
            info.unlink(missing_ok=True)
    finally:
        lock.release()
