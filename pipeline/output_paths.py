"""Where a run's files go: an output path with placeholders, and `latest`.

A scheduled job writes each run somewhere new (`outputs/{job}/{date:%Y-%m-%d}/copy.csv`) while
keeping one journal, so no answer is bought twice across dates: the journal lives in the
deepest folder of the pattern that does not change from run to run. `latest` is the same path
with each changing placeholder read as the word "latest" (`outputs/copy/latest/copy.csv`), a
copy of the newest complete run's output, replaced atomically (a copy, not a symlink: it
survives syncing to a share, a bucket or a Windows machine).
"""

from __future__ import annotations

import os
import re
import shutil
import string
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import ConfigError
from .files import atomic_write

#: Placeholders an output path may hold; `date` and `run_id` change from run to run.
PLACEHOLDERS = ("job", "date", "run_id")
CHANGING = ("date", "run_id")
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
LATEST = "latest"


@dataclass(frozen=True)
class OutputPattern:
    """A job's output path, maybe with {job}, {date[:strftime format]} and {run_id}."""

    text: str
    job: str

    def __post_init__(self) -> None:
        for literal, name, spec, conversion in _parse(self.text):
            del literal
            if name is None:
                continue
            if name not in PLACEHOLDERS:
                raise ConfigError(
                    f"output {self.text}: unknown placeholder {{{name}}}; an output path may "
                    "hold {job}, {date} (e.g. {date:%Y-%m-%d}) and {run_id} (write {{ and }} "
                    "for braces)")
            if conversion or (spec and name != "date"):
                raise ConfigError(f"output {self.text}: {{{name}}} takes no format here")

    @property
    def changes(self) -> bool:
        """Whether each run writes somewhere new (the pattern holds {date} or {run_id})."""
        return any(name in CHANGING for _, name, _, _ in _parse(self.text))

    def for_run(self, started: datetime, run_id: int) -> Path:
        """The output path of the run that started then (local time) with this id."""
        return Path(self._fill(lambda name, spec: _date(started, spec) if name == "date"
                               else str(run_id)))

    def latest(self) -> Path | None:
        """The copy of the newest complete run's output (None: every run writes the same
        path anyway)."""
        if not self.changes:
            return None
        text = self._fill(lambda _name, _spec: "\0")
        # `{date}-{run_id}` reads as one "latest", not "latest-latest".
        text = re.sub("\0(?:[-_. ]*\0)+", "\0", text).replace("\0", LATEST)
        return Path(text)

    def stable_folder(self) -> Path:
        """The deepest folder of the path that is the same for every run (the journal's)."""
        prefix: list[str] = []
        for literal, name, spec, _ in _parse(self.text):
            prefix.append(literal)
            if name in CHANGING:
                return Path(os.path.dirname("".join(prefix)) or ".")
            if name == "job":
                prefix.append(self.job)
            elif name is not None:
                prefix.append("{" + name + (f":{spec}" if spec else "") + "}")
        return Path("".join(prefix)).parent

    def with_job(self) -> Path:
        """The path with {job} filled and the changing placeholders as written (what a
        summary or an error shows before a run has a date and an id)."""
        return Path(self._fill(lambda name, spec: "{" + name + (f":{spec}" if spec else "")
                               + "}"))

    def _fill(self, value: object) -> str:
        out: list[str] = []
        for literal, name, spec, _ in _parse(self.text):
            out.append(literal)
            if name == "job":
                out.append(self.job)
            elif name is not None:
                out.append(value(name, spec))  # type: ignore[operator]
        return "".join(out)


def _parse(text: str) -> list[tuple[str, str | None, str, str | None]]:
    try:
        return [(literal, name, spec or "", conversion)
                for literal, name, spec, conversion in string.Formatter().parse(text)]
    except ValueError as exc:
        raise ConfigError(f"output {text}: {exc} (write {{{{ and }}}} for literal braces)"
                          ) from None


def _date(started: datetime, spec: str) -> str:
    return started.strftime(spec or DEFAULT_DATE_FORMAT)


def copy_to_latest(output: Path, latest: Path) -> None:
    """Replace `latest` with a copy of this run's output, atomically (a reader sees the old
    copy or the new one, never half of one)."""
    latest.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(latest, lambda tmp: shutil.copyfile(output, tmp))
