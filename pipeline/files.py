"""Writing a file whole or not at all, with the permissions a user expects of it.

Every file the pipeline writes (outputs, manifests, reports, translated catalogs, batch files)
goes through `atomic_write`: a temporary file beside the target, fsynced, renamed into place,
so a reader or a crash never sees half a file. The temporary file is created private (0600);
before the rename it takes the mode a plain `open()` would have given the target: the existing
file's own mode (and owner, where the process may set it), else what the umask leaves of 0666.
A catalog deployed for a web server, or a report on a shared drive, stays readable by others.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

_UMASK_LOCK = threading.Lock()


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it onto `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        _take_permissions(tmp, path)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _take_permissions(tmp: Path, path: Path) -> None:
    """Give `tmp` the mode (and owner) `path` has, or a new file's mode under the umask."""
    try:
        existing = path.stat()
    except FileNotFoundError:
        os.chmod(tmp, 0o666 & ~current_umask())
        return
    os.chmod(tmp, stat.S_IMODE(existing.st_mode))
    if (existing.st_uid, existing.st_gid) != (os.getuid(), os.getgid()):
        # Only root may give a file away; a user may still keep its group if a member.
        with contextlib.suppress(PermissionError):
            os.chown(tmp, existing.st_uid, existing.st_gid)


def current_umask() -> int:
    """The process's umask, read without changing it where the OS tells it (Linux's
    /proc/self/status), else by setting and restoring it under a lock."""
    with contextlib.suppress(OSError, ValueError), \
            open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    with _UMASK_LOCK:
        mask = os.umask(0o077)
        os.umask(mask)
    return mask
