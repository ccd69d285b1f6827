"""`pipeline schedule`: run a job on a cron schedule, in a long-lived process, for machines
without cron; or print the crontab line and systemd units that do the same.

croniter computes the firing times, with cron's own meaning (0 and 7 are Sunday, names MON..SUN
and JAN..DEC, a restricted day-of-month OR a restricted day-of-week); a 6th field, last, is
seconds (croniter's convention: `* * * * * */2` is every 2 seconds). The loop is ours, because
its rules are the point: it sleeps in slices of at most 30 s and reads the wall clock after each,
so a firing missed while the machine slept runs once at wake-up, not once per missed slot; each
firing is an ordinary `pipeline run` in a subprocess, which takes the job's lock itself (exit 4
when a run of the job is still going); SIGTERM or Ctrl-C ends the scheduler with exit 0, after
the run in progress, if any, has stopped the way `pipeline run` stops (requests in flight
finished, exit 3, resumable).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import select
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from types import FrameType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter
from croniter.croniter import CroniterError

from ..errors import ConfigError

#: The longest single sleep: the wall clock is read again at least this often, so a machine that
#: slept through a firing notices within this long of waking.
MAX_SLEEP_S = 30.0
#: A firing started this much after its time is reported as late (the machine slept, or the
#: clock jumped), even when no other firing was missed.
LATE_S = 60.0
#: Missed firings are counted up to this many (an every-second schedule after a night asleep).
COUNT_CAP = 1000

#: What each exit code of `pipeline run` means, for the line logged after each firing.
EXIT_MEANINGS = {
    0: "ok",
    1: "rows failed or flagged: see the output",
    2: "bad input or configuration: nothing was sent",
    3: "stopped early, resumable: the next run continues",
    4: "already running: this firing sent nothing",
}

_FIELD_HELP = ("give 5 fields, minute hour day-of-month month day-of-week (e.g. '0 6 * * MON'), "
               "or 6 with seconds last (e.g. '* * * * * */2', every 2 seconds)")


@dataclass(frozen=True)
class Schedule:
    """A validated cron expression and the zone its times are read in."""

    expression: str
    zone: tzinfo
    zone_name: str
    #: The zone was given (--tz), so the printed units name it; else they use the machine's.
    explicit_zone: bool = False

    @property
    def fields(self) -> list[str]:
        """The expression's fields, an @nickname expanded (`@daily` -> `0 0 * * *`)."""
        return _field_texts(self.expression)

    @property
    def has_seconds(self) -> bool:
        return len(self.fields) == 6

    def next_after(self, moment: float) -> float:
        """The first firing strictly after `moment` (seconds since the epoch)."""
        return next(self._after(moment))

    def count_between(self, start: float, end: float) -> int:
        """How many firings fall in (start, end], counted up to COUNT_CAP."""
        count = 0
        for when in self._after(start):
            if when > end or count >= COUNT_CAP:
                break
            count += 1
        return count

    def format(self, moment: float) -> str:
        """A moment as a local time in the schedule's zone, e.g. 2026-12-07 06:00:00 CET."""
        return datetime.fromtimestamp(moment, self.zone).strftime("%Y-%m-%d %H:%M:%S %Z")

    def describe(self) -> str:
        return f"'{self.expression}' ({self.zone_name})"

    def _after(self, moment: float) -> Iterator[float]:
        it = croniter(self.expression, datetime.fromtimestamp(moment, self.zone))
        # cron's rule for the hour repeated when the clocks go back: a job at a fixed time
        # (minute and hour without `*`) runs once, at the first 02:30; one with `*` in either
        # runs by the real time, in both. (croniter alone would run the fixed time twice.)
        fixed_time = not any(field.startswith("*") for field in self.fields[:2])
        while True:
            when = it.get_next(datetime).timestamp()
            local = datetime.fromtimestamp(when, self.zone)
            if fixed_time and local.fold and local.replace(fold=0).utcoffset() != \
                    local.utcoffset():
                continue
            yield when


def _field_texts(expression: str) -> list[str]:
    aliases = {"@midnight": "0 0 * * *", "@hourly": "0 * * * *", "@daily": "0 0 * * *",
               "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *",
               "@annually": "0 0 1 1 *"}
    return aliases.get(expression.lower(), expression).split()


def parse_schedule(expression: str, tz: str | None = None) -> Schedule:
    """Check a cron expression and a time zone (an IANA name; None: the machine's zone).

    Raises ConfigError naming the expression or the zone, so a typo fails at once rather than
    never firing."""
    text = " ".join(expression.split())
    if not text:
        raise ConfigError(f"--cron: the cron expression is empty: {_FIELD_HELP}")
    zone, zone_name = _zone(tz) if tz is not None else local_zone()
    count = len(_field_texts(text))
    if count not in (5, 6):
        quote = ("; quote it (--cron '0 6 * * MON') so the shell passes it as one argument"
                 if count == 1 else "")
        raise ConfigError(f"cron expression '{expression}': {count} field"
                          f"{'' if count == 1 else 's'}; {_FIELD_HELP}{quote}")
    try:
        schedule = Schedule(text, zone, zone_name, explicit_zone=tz is not None)
        schedule.next_after(time.time())
    except (CroniterError, ValueError, TypeError, KeyError) as exc:
        raise ConfigError(f"cron expression '{expression}': {exc or 'not acceptable'}; "
                          f"{_FIELD_HELP}") from None
    return schedule


def _zone(name: str) -> tuple[tzinfo, str]:
    try:
        return ZoneInfo(name), name
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"--tz '{name}': not a time zone; give an IANA name such as "
                          "Europe/Berlin, America/New_York or UTC") from None


def local_zone() -> tuple[tzinfo, str]:
    """The machine's zone with its rules (DST included): $TZ, else /etc/localtime's name, else
    the file itself; a fixed offset only when none of these can be read."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(os.readlink("/etc/localtime").partition("zoneinfo/")[2])
    for name in candidates:
        if name:
            with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
                return ZoneInfo(name), name
    with contextlib.suppress(OSError, ValueError), open("/etc/localtime", "rb") as file:
        return ZoneInfo.from_file(file, key="localtime"), "local time"
    fixed = datetime.now().astimezone().tzinfo
    assert fixed is not None
    return fixed, str(fixed)


def _say(line: str) -> None:
    print(f"pipeline schedule: {line}", file=sys.stderr, flush=True)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s"


def describe_exit(code: int) -> str:
    """An exit code of `pipeline run`, in words."""
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by signal {signal.Signals(-code).name}"
        return f"killed by signal {-code}"
    return EXIT_MEANINGS.get(code, "unexpected exit code")


class Scheduler:
    """The loop: wait for the next firing, fire, repeat, until stop() is called.

    `fire` runs the job once and returns its exit code. `clock` is the wall clock (seconds since
    the epoch) and `sleep` waits (and may return early); both are injectable, for tests."""

    def __init__(self, schedule: Schedule, fire: Callable[[], int], *,
                 clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep,
                 say: Callable[[str], None] = _say, max_sleep: float = MAX_SLEEP_S):
        self.schedule = schedule
        self.fire = fire
        self.clock = clock
        self.sleep = sleep
        self._say = say
        self.max_sleep = max_sleep
        self.stopping = False
        #: A firing's run is in progress (from just before it starts until it has ended).
        self.firing = False
        self.last_exit: int | None = None

    def stop(self) -> None:
        """Fire no more; the loop ends at its next look (see serve() for signals)."""
        self.stopping = True

    def say(self, line: str) -> None:
        self._say(f"[{self.schedule.format(self.clock())}] {line}")

    def run(self, max_firings: int | None = None) -> int:
        """Fire at each due time until stopped (or after `max_firings`); returns the count."""
        due = self.schedule.next_after(self.clock())
        self.say(f"next firing {self.schedule.format(due)}")
        fired = 0
        while not self.stopping:
            now = self.clock()
            if now < due:
                # The wall clock set back (or a new zone offset) can bring the next firing nearer.
                due = min(due, self.schedule.next_after(now))
                self.sleep(min(self.max_sleep, due - now))
                continue
            passed = 1 + self.schedule.count_between(due, now)
            if passed > 1 or now - due > LATE_S:
                more = "or more " if passed > COUNT_CAP else ""
                self.say(f"{passed} {more}firing{'s' if passed > 1 else ''} due since "
                         f"{self.schedule.format(due)} (the machine slept or the clock jumped): "
                         "running once now")
            self.say(f"firing (due {self.schedule.format(due)})")
            started = self.clock()
            self.firing = True
            try:
                self.last_exit = code = self.fire()
            finally:
                self.firing = False
            ended = self.clock()
            fired += 1
            # Firings that fell while the run went on are not made up either (they would have
            # met the job's lock): the next is computed from now.
            skipped = self.schedule.count_between(due, ended)
            late = (f"; {skipped} firing{'s' if skipped > 1 else ''} passed while it ran, not "
                    "made up" if skipped else "")
            done = f"exit {code} ({describe_exit(code)}) after {_duration(ended - started)}"
            if self.stopping or (max_firings is not None and fired >= max_firings):
                self.say(done + late)
                break
            due = self.schedule.next_after(ended)
            self.say(f"{done}{late}; next firing {self.schedule.format(due)}")
        return fired


def run_command(job_file: Path, run_args: Sequence[str] = ()) -> list[str]:
    """What each firing runs: `pipeline run` on the job, as a normal run with its lock."""
    return [sys.executable, "-m", "pipeline", "run", str(job_file), *run_args]


class _Launcher:
    """Starts each firing's `pipeline run` and passes a stop on to it."""

    def __init__(self, command: list[str], stopping: Callable[[], bool]):
        self.command = command
        self.stopping = stopping
        self.child: subprocess.Popen[bytes] | None = None

    def __call__(self) -> int:
        try:
            # Its own process group: a Ctrl-C at the terminal reaches the scheduler alone, which
            # passes it on once (a second would make the run abandon its requests in flight).
            child = subprocess.Popen(self.command, process_group=0)
        except OSError as exc:
            _say(f"could not start {self.command[0]}: {exc}")
            return 2
        self.child = child
        if self.stopping():  # a signal came while it was starting
            self.forward()
        try:
            return child.wait()
        finally:
            self.child = None

    def forward(self) -> None:
        child = self.child
        if child is not None and child.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signal.SIGTERM)


class _Wakeup:
    """A sleep a signal handler can cut short: select() on a pipe the handler writes to (safe in
    a handler, unlike locks or buffered output)."""

    def __init__(self) -> None:
        self.read_fd, self.write_fd = os.pipe()
        os.set_blocking(self.write_fd, False)

    def sleep(self, seconds: float) -> None:
        ready, _, _ = select.select([self.read_fd], [], [], max(0.0, seconds))
        if ready:
            os.read(self.read_fd, 512)

    def wake(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self.write_fd, b"!")

    def close(self) -> None:
        os.close(self.read_fd)
        os.close(self.write_fd)


def serve(job_file: Path | str, expression: str, tz: str | None = None,
          run_args: Sequence[str] = ()) -> int:
    """Run the job on the schedule until SIGTERM or SIGINT; returns the exit code (0).

    The job file is read and checked first, so a broken job fails now (ConfigError, exit 2),
    not at the first firing."""
    from ..config import load_job

    schedule = parse_schedule(expression, tz)
    job_path = Path(os.path.abspath(job_file))
    load_job(job_path)
    scheduler: Scheduler
    wakeup = _Wakeup()
    launcher = _Launcher(run_command(job_path, run_args), lambda: scheduler.stopping)
    scheduler = Scheduler(schedule, launcher, sleep=wakeup.sleep)
    received: list[str] = []
    during_run: list[bool] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        # Flags, a kill and a pipe write only: printing here could collide with a print it
        # interrupted. The loop says what happened.
        received.append(signal.Signals(signum).name)
        during_run.append(scheduler.firing)
        scheduler.stop()
        launcher.forward()
        wakeup.wake()

    previous = {}
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(ValueError):  # not the main thread: default handling
            previous[sig] = signal.signal(sig, on_signal)
    try:
        scheduler.say(f"{job_path.name} on {schedule.describe()}: each firing runs "
                      f"{shlex.join(['pipeline', *run_command(job_path, run_args)[3:]])}; "
                      "SIGTERM or Ctrl-C stops")
        scheduler.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        wakeup.close()
    signals = " and ".join(dict.fromkeys(received)) or "a signal"
    if during_run and during_run[0] and scheduler.last_exit is not None:
        code = scheduler.last_exit
        how = ("ended" if code != 3 else "finished its requests in flight and stopped"
               if len(received) == 1 else "abandoned its requests in flight (a second signal)")
        scheduler.say(f"stopped by {signals}: the run in progress {how} (exit {code}: "
                      f"{describe_exit(code)}); scheduler ended")
    else:
        scheduler.say(f"stopped by {signals}: no run was in progress; scheduler ended")
    return 0


# -- --print: the same schedule as a crontab line and a systemd service + timer -------------

_DAY_NAMES = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: Each field as (its index in croniter's expansion, lowest value, highest value).
_MINUTE, _HOUR, _DOM, _MONTH, _DOW, _SECOND = \
    (0, 0, 59), (1, 0, 23), (2, 1, 31), (3, 1, 12), (4, 0, 6), (5, 0, 59)


def _plain_cron(schedule: Schedule) -> None:
    """Refuse croniter's extensions (L, W, #, ?, H): neither cron nor systemd reads them."""
    for index, field in enumerate(schedule.fields):
        for token in re.split(r"[,/-]", field):
            names = (_MONTH_NAMES if index == 3 else
                     tuple(n.lower() for n in _DAY_NAMES) if index == 4 else ())
            if token == "*" or token.isdigit() or token.lower() in names:
                continue
            raise ConfigError(
                f"cron expression '{schedule.expression}': '{field}' is croniter's extension, "
                "not cron's: neither cron nor systemd reads it. `pipeline schedule` without "
                "--print runs it; for a crontab line or a timer, use plain numbers, names, "
                "*, lists a,b, ranges a-b and steps */n")


def _values(schedule: Schedule, field: tuple[int, int, int]) -> list[int] | None:
    """A field's values (None: `*`, every value); seconds are 0 in a 5-field expression."""
    expanded = croniter.expand(schedule.expression)[0]
    if field[0] >= len(expanded):
        return [0]
    values = expanded[field[0]]
    return None if values == ["*"] else sorted(int(v) for v in values)


def _component(schedule: Schedule, field: tuple[int, int, int]) -> str:
    """One OnCalendar component: `*`, `00/15` (a step to the end of the range), `09..17`, or a
    list of both kinds. Exact for any set of values, as a list of them is."""
    values, (_, low, high) = _values(schedule, field), field
    if values is None or values == list(range(low, high + 1)):
        return "*"
    if len(values) >= 3:
        step = values[1] - values[0]
        if (step > 1 and values[-1] + step > high
                and all(b - a == step for a, b in itertools.pairwise(values))):
            return f"{values[0]:02d}/{step}"
    return ",".join(f"{a:02d}" if a == b else f"{a:02d}..{b:02d}" for a, b in _runs(values))


def _runs(values: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive values as (first, last); runs of two stay two singles."""
    runs: list[tuple[int, int]] = []
    for value in values:
        if runs and value == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], value)
        else:
            runs.append((value, value))
    split: list[tuple[int, int]] = []
    for a, b in runs:
        split.extend([(a, a), (b, b)] if b == a + 1 else [(a, b)])
    return split


def on_calendar(schedule: Schedule) -> str:
    """The schedule as systemd's OnCalendar= (e.g. `0 6 * * MON` -> `Mon *-*-* 06:00:00`).

    Raises ConfigError for what a timer cannot say the same way: a restricted day-of-month
    together with a restricted day-of-week (cron fires when either matches, OnCalendar= only
    when both do), and croniter's extensions."""
    _plain_cron(schedule)
    dow = _values(schedule, _DOW)
    if dow is not None and _values(schedule, _DOM) is not None:
        raise ConfigError(
            f"cron expression '{schedule.expression}': systemd cannot say this the same way: "
            "with both day-of-month and day-of-week restricted, cron runs on the days where "
            "EITHER matches, OnCalendar= only where BOTH do. Use the crontab line (or "
            "`pipeline schedule`), or make two expressions, one per field")
    days = "" if dow is None else _weekdays(dow) + " "
    date = f"*-{_component(schedule, _MONTH)}-{_component(schedule, _DOM)}"
    clock = ":".join(_component(schedule, field) for field in (_HOUR, _MINUTE, _SECOND))
    zone = f" {schedule.zone_name}" if schedule.explicit_zone else ""
    return f"{days}{date} {clock}{zone}"


def _weekdays(days: list[int]) -> str:
    """Cron's day numbers (0 = Sunday) as systemd's names, Monday first: `Mon..Fri`, `Sat,Sun`."""
    monday_first = sorted((d - 1) % 7 for d in days)
    name = [_DAY_NAMES[(i + 1) % 7] for i in range(7)]
    return ",".join(name[a] if a == b else f"{name[a]}..{name[b]}"
                    for a, b in _runs(monday_first))


def pipeline_executable() -> list[str]:
    """The absolute command for `pipeline`: the console script beside this Python (a venv's
    bin/), else this Python with -m pipeline. Not resolved: a venv's python is a symlink."""
    python = os.path.abspath(sys.executable)
    script = Path(python).parent / "pipeline"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [python, "-m", "pipeline"]


def unit_name(job_file: Path) -> str:
    """`pipeline-<job stem>`, with characters systemd unit names cannot hold replaced."""
    return "pipeline-" + re.sub(r"[^A-Za-z0-9_.:-]", "-", job_file.stem)


def _systemd_quote(arg: str) -> str:
    """One ExecStart= word: quoted when it holds spaces or quotes; % and $ escaped (systemd
    expands specifiers and variables there)."""
    arg = arg.replace("%", "%%").replace("$", "$$")
    if re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _cron_quote(arg: str) -> str:
    return shlex.quote(arg).replace("%", "\\%")  # cron turns an unescaped % into a newline


def print_units(job_file: Path | str, expression: str, tz: str | None = None,
                run_args: Sequence[str] = ()) -> str:
    """The crontab line, and a systemd service and timer, that run the job on the schedule,
    with absolute paths. Raises ConfigError when either cannot say the schedule exactly."""
    from ..config import load_job

    schedule = parse_schedule(expression, tz)
    job_path = Path(os.path.abspath(job_file))
    load_job(job_path)
    calendar = on_calendar(schedule)  # refuses first what neither can say
    folder = job_path.parent
    args = [*run_args] if {"-q", "--quiet"} & set(run_args) else [*run_args, "-q"]
    command = [*pipeline_executable(), "run", str(job_path), *args]
    log = folder / f"{job_path.stem}.cron.log"
    name = unit_name(job_path)
    fields = schedule.fields
    lines = ["# ---- crontab line (add it with `crontab -e`; output goes to the log) ----"]
    if _values(schedule, _SECOND) != [0]:
        lines.append(f"# cron has no seconds field: no crontab line for '{schedule.expression}' "
                     "(the timer below, or `pipeline schedule`, can)")
    else:
        if tz is not None:
            lines += ["# CRON_TZ: cronie and some others read it (for the lines after it); "
                      "Debian's cron and busybox's ignore it and use the machine's zone",
                      f"CRON_TZ={schedule.zone_name}"]
        when = " ".join(fields[:5]) if not schedule.expression.startswith("@") \
            else schedule.expression
        lines.append(f"{when} cd {_cron_quote(str(folder))} && "
                     f"{' '.join(_cron_quote(a) for a in command)} >> {_cron_quote(str(log))} 2>&1")
    accuracy = ["AccuracySec=1s"] if schedule.has_seconds else []
    lines += [
        "",
        f"# ---- systemd: ~/.config/systemd/user/{name}.service ----",
        "[Unit]",
        f"Description=pipeline run {job_path}",
        "",
        "[Service]",
        "Type=oneshot",
        f"WorkingDirectory={str(folder).replace('%', '%%')}",
        f"ExecStart={' '.join(_systemd_quote(a) for a in command)}",
        "# Exit 4 (the job was already running; that run does the work) is not a failure. 1 (rows",
        "# failed or flagged), 2 (bad input) and 3 (stopped early: budget, auth, quota) mark the",
        "# unit failed, for `systemctl --user --failed` and OnFailure=.",
        "SuccessExitStatus=4",
        "# The API key: a .env in this folder or above, or EnvironmentFile=/path/to/.env",
        "",
        f"# ---- systemd: ~/.config/systemd/user/{name}.timer ----",
        "[Unit]",
        f"Description=pipeline run {job_path.name} on '{schedule.expression}'",
        "",
        "[Timer]",
        f"OnCalendar={calendar}",
        "# A firing missed while the machine was off or asleep runs once at boot or wake-up.",
        "Persistent=true",
        *accuracy,
        f"Unit={name}.service",
        "",
        "[Install]",
        "WantedBy=timers.target",
        "",
        f"# systemctl --user daemon-reload && systemctl --user enable --now {name}.timer",
        "# (loginctl enable-linger $USER: it runs while you are logged out too)",
    ]
    return "\n".join(lines)
