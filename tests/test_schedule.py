"""`pipeline schedule`: real scheduler processes firing real runs against the loopback server and
stopping on SIGTERM; the missed-firing rule on an injected clock; `--print`'s crontab line and
systemd units (their OnCalendar= checked against croniter, and against systemd-analyze where the
machine has it); mistakes exit 2 before anything runs."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fake_openai import Faults
from test_batch_files import ROWS

from pipeline.config import load_job
from pipeline.errors import ConfigError
from pipeline.journal import Journal
from pipeline.unattended.schedule import Scheduler, on_calendar, parse_schedule

EVERY_2_S = "* * * * * */2"  # croniter's 6th field, last, is seconds


def start_schedule(job: Path, log: Path, *args: str) -> subprocess.Popen:
    with log.open("w", encoding="utf-8") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "pipeline", "schedule", str(job), "--cron", EVERY_2_S, *args],
            stdout=subprocess.DEVNULL, stderr=stderr)


def wait_for(check, proc: subprocess.Popen, log: Path, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert proc.poll() is None, f"the scheduler ended early:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"{what} never happened:\n{log.read_text()}"
        time.sleep(0.05)


def stop(proc: subprocess.Popen) -> float:
    """SIGTERM the scheduler; returns how long it took to exit."""
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    return time.monotonic() - sent


def journal_runs(job: Path) -> list[tuple]:
    with Journal(load_job(job).journal_path) as journal:
        return journal.db.execute("SELECT id, finished_at, stopped FROM runs").fetchall()


def test_fires_twice_then_stops_on_sigterm(job_file, fake, api_key, tmp_path):
    job = job_file()
    log = tmp_path / "schedule.log"
    proc = start_schedule(job, log)
    try:
        wait_for(lambda: log.read_text().count("exit 0 (ok)") >= 2, proc, log, "two firings")
    finally:
        took = stop(proc)
    text = log.read_text()
    assert proc.returncode == 0, text
    assert took < 15, text
    assert "Traceback" not in text
    assert "stopped by SIGTERM" in text and "scheduler ended" in text
    assert f"each firing runs pipeline run {job};" in text
    assert re.search(r"exit 0 \(ok\) after [\d.]+ s.*; next firing \d{4}-\d\d-\d\d \d\d:\d\d:\d\d ",
                     text)
    assert len(journal_runs(job)) >= 2  # each firing is a run of its own
    assert len(fake.requests) == 3  # the second firing found every row in the journal


def test_sigterm_during_a_slow_run_stops_it_cleanly(job_file, run_cli, fake, api_key, tmp_path):
    fake.enforce(None, Faults(latency=0.6))
    job = job_file(csv=ROWS)  # 8 rows, 2 at a time
    log = tmp_path / "schedule.log"
    proc = start_schedule(job, log)
    try:
        wait_for(lambda: len(fake.requests) >= 1, proc, log, "the first firing's requests")
    finally:
        took = stop(proc)
    text = log.read_text()
    assert proc.returncode == 0, text
    assert took < 20, text
    assert "Traceback" not in text
    assert "exit 3 (stopped early, resumable" in text
    assert "stopped by SIGTERM: the run in progress finished its requests in flight and " \
           "stopped (exit 3" in text
    sent = len(fake.requests)
    assert sent < 8  # it stopped admitting
    runs = journal_runs(job)
    assert len(runs) == 1 and runs[0][1] is not None and runs[0][2]  # finished, stopped early
    fake.enforce(None)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    assert len(fake.requests) == 8  # the rest, none bought twice


class FakeClock:
    """A wall clock that moves only when slept on, and can jump once, as after a suspend."""

    def __init__(self, start: datetime, jump_s: float = 0.0):
        self.now = start.timestamp()
        self.jump_s = jump_s
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds + self.jump_s
        self.jump_s = 0.0


def at(hour: int, minute: int = 0, second: int = 0) -> float:
    return datetime(2026, 12, 1, hour, minute, second, tzinfo=UTC).timestamp()


def test_a_firing_missed_while_asleep_runs_once():
    clock = FakeClock(datetime(2026, 12, 1, 10, 30, tzinfo=UTC), jump_s=5 * 3600)
    fired: list[float] = []
    lines: list[str] = []
    scheduler = Scheduler(parse_schedule("0 * * * *", "UTC"),
                          lambda: fired.append(clock()) or 0,
                          clock=clock, sleep=clock.sleep, say=lines.append)
    assert scheduler.run(max_firings=2) == 2
    # Asleep from 10:30 to 15:30: the 11:00 to 15:00 firings run once, at wake-up; the next
    # is 16:00, computed from the new time.
    assert fired == [at(15, 30, 30), at(16)]
    assert max(clock.sleeps) <= 30
    text = "\n".join(lines)
    assert "5 firings due since 2026-12-01 11:00:00 UTC (the machine slept or the clock " \
           "jumped): running once now" in text
    assert "next firing 2026-12-01 16:00:00 UTC" in text
    assert text.count("firing (due") == 2


def test_a_late_single_firing_is_said_and_a_long_run_skips_what_it_overlapped():
    clock = FakeClock(datetime(2026, 12, 1, 5, 59, 50, tzinfo=UTC), jump_s=3600)
    lines: list[str] = []

    def slow_run() -> int:
        clock.now += 3 * 86400 + 60  # a run that took three days
        return 4

    scheduler = Scheduler(parse_schedule("0 6 * * *", "UTC"), slow_run, clock=clock,
                          sleep=clock.sleep, say=lines.append)
    scheduler.run(max_firings=1)
    text = "\n".join(lines)
    assert "1 firing due since 2026-12-01 06:00:00 UTC" in text  # an hour late, said so
    assert "exit 4 (already running: this firing sent nothing) after 72 h 01 min; 3 firings " \
           "passed while it ran, not made up" in text


def test_print_gives_crontab_line_and_systemd_units(job_file, run_cli):
    job = job_file()
    result = run_cli("schedule", job, "--cron", "0 6 * * MON", "--print", "--", "--budget", "5")
    assert result.exit_code == 0, result.output
    out = result.output
    folder = job.parent
    cron = [line for line in out.splitlines() if line.startswith("0 6 * * MON ")]
    assert len(cron) == 1
    assert re.fullmatch(rf"0 6 \* \* MON cd {folder} && (/\S+) run {job} --budget 5 -q "
                        rf">> {folder}/describe\.cron\.log 2>&1", cron[0])
    executable = cron[0].split("&& ")[1].split()[0]
    assert Path(executable).is_absolute() and os.access(executable, os.X_OK)
    assert "CRON_TZ" not in out
    assert "# ---- systemd: ~/.config/systemd/user/pipeline-describe.service ----" in out
    assert "# ---- systemd: ~/.config/systemd/user/pipeline-describe.timer ----" in out
    assert "Type=oneshot" in out
    assert f"WorkingDirectory={folder}\n" in out
    assert f"ExecStart={executable} run {job} --budget 5 -q\n" in out
    assert "SuccessExitStatus=4\n" in out
    assert "OnCalendar=Mon *-*-* 06:00:00\n" in out
    assert "Persistent=true" in out and "Unit=pipeline-describe.service" in out
    assert "WantedBy=timers.target" in out

    berlin = run_cli("schedule", job, "--cron", "*/15 9-17 * * 1-5", "--tz", "Europe/Berlin",
                     "--print")
    assert berlin.exit_code == 0, berlin.output
    assert "\nCRON_TZ=Europe/Berlin\n*/15 9-17 * * 1-5 cd " in berlin.output
    assert "OnCalendar=Mon..Fri *-*-* 09..17:00/15:00 Europe/Berlin\n" in berlin.output


def test_print_quotes_paths_with_spaces(job_file, run_cli, tmp_path):
    job = job_file()
    folder = tmp_path / "weekly runs"
    shutil.copytree(job.parent, folder)
    job = folder / "describe.toml"
    result = run_cli("schedule", job, "--cron", "0 6 * * MON", "--print")
    assert result.exit_code == 0, result.output
    cron = next(line for line in result.output.splitlines() if line.startswith("0 6 "))
    words = shlex.split(cron.removeprefix("0 6 * * MON "))
    assert words[:3] == ["cd", str(folder), "&&"]
    assert words[4:7] == ["run", str(job), "-q"] and words[-3:] == [
        ">>", str(folder / "describe.cron.log"), "2>&1"]
    assert f'ExecStart={words[3]} run "{job}" -q\n' in result.output
    assert f"WorkingDirectory={folder}\n" in result.output


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_analyze_verifies_the_printed_units(job_file, run_cli, tmp_path):
    job = job_file()
    result = run_cli("schedule", job, "--cron", "*/15 9-17 * * 1-5", "--tz", "Europe/Berlin",
                     "--print", "--", "--budget", "5")
    assert result.exit_code == 0, result.output
    units = tmp_path / "units"
    units.mkdir()
    found = re.findall(r"# ---- systemd: ~/.config/systemd/user/(\S+) ----\n(.*?)(?=\n# ---- |"
                       r"\n# systemctl|\Z)", result.output, re.S)
    assert [name for name, _ in found] == ["pipeline-describe.service", "pipeline-describe.timer"]
    for name, body in found:
        (units / name).write_text(body.strip() + "\n", encoding="utf-8")
    verified = subprocess.run(["systemd-analyze", "verify", *(str(units / n) for n, _ in found)],
                              capture_output=True, text=True)
    if "Failed to initialize manager" in verified.stderr:
        pytest.skip(f"systemd-analyze verify cannot run here: {verified.stderr.strip()}")
    assert verified.returncode == 0, verified.stderr


CONVERSIONS = {
    "0 6 * * MON": "Mon *-*-* 06:00:00",
    "*/15 9-17 * * 1-5": "Mon..Fri *-*-* 09..17:00/15:00",
    "30 2 1 * *": "*-*-01 02:30:00",
    "0 0 * * 0,6": "Sat,Sun *-*-* 00:00:00",
    "0 0 * * 7": "Sun *-*-* 00:00:00",
    "0 8 * * sun-tue": "Mon,Tue,Sun *-*-* 08:00:00",
    "0 9-17/2 * JAN-MAR *": "*-01..03-* 09,11,13,15,17:00:00",
    "0 12 */2 * *": "*-*-01/2 12:00:00",
    "5,35 */6 * */3 *": "*-01/3-* 00/6:05,35:00",
    "@daily": "*-*-* 00:00:00",
    "* * * * * */2": "*-*-* *:*:00/2",
}


@pytest.mark.parametrize("expression", list(CONVERSIONS))
def test_on_calendar_conversions(expression):
    assert on_calendar(parse_schedule(expression, None)) == CONVERSIONS[expression]
    assert on_calendar(parse_schedule(expression, "UTC")) == CONVERSIONS[expression] + " UTC"


def firings(expression: str, base: datetime, count: int) -> list[datetime]:
    schedule = parse_schedule(expression, "UTC")
    times, moment = [], base.timestamp()
    for _ in range(count):
        moment = schedule.next_after(moment)
        times.append(datetime.fromtimestamp(moment, UTC))
    return times


def test_croniter_reads_cron_as_cron_does():
    base = datetime(2026, 12, 1, tzinfo=UTC)  # a Tuesday
    assert [t.strftime("%a %d %H:%M") for t in firings("0 6 * * MON", base, 2)] == \
        ["Mon 07 06:00", "Mon 14 06:00"]
    assert [t.strftime("%a %d %H:%M") for t in firings("0 0 * * 0", base, 2)] == \
        ["Sun 06 00:00", "Sun 13 00:00"]  # 0 is Sunday, as in cron
    assert [t.strftime("%a %d %H:%M") for t in firings("*/15 9-17 * * 1-5", base, 3)] == \
        ["Tue 01 09:00", "Tue 01 09:15", "Tue 01 09:30"]
    assert firings("*/15 9-17 * * 1-5", datetime(2026, 12, 4, 17, 45, tzinfo=UTC), 1) == \
        [datetime(2026, 12, 7, 9, 0, tzinfo=UTC)]  # Friday's last, then Monday's first
    assert [t.strftime("%m-%d %H:%M") for t in firings("30 2 1 * *", base, 2)] == \
        ["12-01 02:30", "01-01 02:30"]
    # Day-of-month and day-of-week both restricted: either matches, as in cron.
    assert [t.strftime("%a %d") for t in firings("0 0 1 * MON", base, 3)] == \
        ["Mon 07", "Mon 14", "Mon 21"]


def test_clock_changes_follow_cron():
    def local(expression: str, start: datetime, count: int) -> list[str]:
        schedule = parse_schedule(expression, "Europe/Berlin")
        moment, shown = start.timestamp(), []
        for _ in range(count):
            moment = schedule.next_after(moment)
            shown.append(schedule.format(moment))
        return shown

    # Clocks go back at 03:00 CEST on 25 Oct 2026: a fixed time in the repeated hour runs once.
    assert local("30 2 * * *", datetime(2026, 10, 24, 12, tzinfo=UTC), 2) == \
        ["2026-10-25 02:30:00 CEST", "2026-10-26 02:30:00 CET"]
    # ... while `*` in the minute or hour runs by the real time, in both.
    assert local("*/30 * * * *", datetime(2026, 10, 24, 23, 45, tzinfo=UTC), 4) == \
        ["2026-10-25 02:00:00 CEST", "2026-10-25 02:30:00 CEST", "2026-10-25 02:00:00 CET",
         "2026-10-25 02:30:00 CET"]
    # Clocks go forward at 02:00 CET on 28 Mar 2027: the skipped 02:30 runs at 03:00.
    assert local("30 2 * * *", datetime(2027, 3, 27, 12, tzinfo=UTC), 2) == \
        ["2027-03-28 03:00:00 CEST", "2027-03-29 02:30:00 CEST"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
@pytest.mark.parametrize("expression", list(CONVERSIONS))
def test_systemd_agrees_with_croniter(expression):
    """The next 8 elapses systemd computes for the OnCalendar= are croniter's next 8 firings."""
    base = datetime(2026, 12, 1, 0, 0, 1, tzinfo=UTC)
    calendar = on_calendar(parse_schedule(expression, "UTC"))
    shown = subprocess.run(
        ["systemd-analyze", "calendar", "--iterations=8", f"--base-time=@{int(base.timestamp())}",
         calendar], capture_output=True, text=True, env={**os.environ, "TZ": "UTC"}, check=True)
    assert f"Normalized form: {calendar}\n" in shown.stdout
    elapses = re.findall(r"(?:Next elapse|Iter\. #\d+): \w+ (\S+ \S+) UTC", shown.stdout)
    assert [datetime.fromisoformat(t).replace(tzinfo=UTC) for t in elapses] == \
        firings(expression, base, 8)


@pytest.mark.parametrize(("expression", "says"), [
    ("0 6 1 * MON", "cron runs on the days where EITHER matches, OnCalendar= only where BOTH"),
    ("0 6 L * *", "'L' is croniter's extension, not cron's"),
    ("0 6 * * 1#2", "'1#2' is croniter's extension"),
])
def test_print_refuses_what_a_timer_cannot_say(job_file, run_cli, expression, says):
    result = run_cli("schedule", job_file(), "--cron", expression, "--print")
    assert result.exit_code == 2
    assert f"Error: cron expression '{expression}'" in result.output
    assert says in result.output
    assert "[Timer]" not in result.output


def test_seconds_have_no_crontab_line(job_file, run_cli):
    result = run_cli("schedule", job_file(), "--cron", EVERY_2_S, "--print")
    assert result.exit_code == 0, result.output
    assert "# cron has no seconds field: no crontab line" in result.output
    assert "OnCalendar=*-*-* *:*:00/2\n" in result.output and "AccuracySec=1s" in result.output


@pytest.mark.parametrize(("args", "says"), [
    (["--cron", "61 * * * *"], "cron expression '61 * * * *': [61 * * * *] is not acceptable"),
    (["--cron", "0 6 * *"], "cron expression '0 6 * *': 4 fields; give 5 fields"),
    (["--cron", "0"], "cron expression '0': 1 field; give 5 fields, minute hour day-of-month"),
    (["--cron", "0"], "quote it (--cron '0 6 * * MON') so the shell passes it as one argument"),
    (["--cron", "0 6 * * MON", "--tz", "Mars/Olympus"], "--tz 'Mars/Olympus': not a time zone"),
    (["--cron", "0 6 * * MON", "--", "--budgett", "5"],
     "the arguments after -- (for each `pipeline run`): No such option '--budgett'"),
])
def test_mistakes_exit_2_at_once(job_file, run_cli, fake, api_key, tmp_path, args, says):
    job = job_file()
    result = subprocess.run([sys.executable, "-m", "pipeline", "schedule", str(job), *args],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("Error: ") and says in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    printed = run_cli("schedule", job, *args[:2], "--print", *args[2:])
    assert printed.exit_code == 2 and says in printed.output
    assert fake.requests == [] and not (tmp_path / "outputs").exists()


def test_a_broken_job_exits_2_before_anything_runs(job_file, run_cli, fake, api_key, tmp_path):
    job = job_file()
    job.write_text(job.read_text().replace('model = "gpt-4o-mini"', "model = 5"))
    result = subprocess.run([sys.executable, "-m", "pipeline", "schedule", str(job), "--cron",
                             EVERY_2_S], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("Error: ") and "model" in result.stderr
    assert "Traceback" not in result.stderr and "firing" not in result.stderr
    printed = run_cli("schedule", job, "--cron", EVERY_2_S, "--print")
    assert printed.exit_code == 2 and "model" in printed.output and "[Timer]" not in printed.output
    assert fake.requests == [] and not (tmp_path / "outputs").exists()


def test_the_library_refuses_a_bad_expression_naming_it():
    with pytest.raises(ConfigError, match=r"cron expression '0 25 \* \* \*'"):
        parse_schedule("0 25 * * *")
