"""One run of a job at a time: a second run exits 4 naming the first (pid, host, start) and
sends nothing; --wait waits; a lock left by a run killed with kill -9 is taken over."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

from fake_openai import Faults
from test_batch_files import ROWS


def start(job, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(job), "-q", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_for_requests(fake, proc: subprocess.Popen, count: int = 1) -> None:
    deadline = time.monotonic() + 60
    while len(fake.requests) < count:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline, "the first run never got going"
        time.sleep(0.02)


def test_a_second_run_exits_4_naming_the_first(job_file, run_cli, fake, api_key, tmp_path):
    fake.enforce(None, Faults(latency=0.4))
    job = job_file(csv=ROWS)
    first = start(job)
    try:
        wait_for_requests(fake, first)
        sent = len(fake.requests)
        result = run_cli("run", job, "-q")
        assert result.exit_code == 4, result.output
        assert f"already running (pid {first.pid} on {socket.gethostname()}, started " \
            in result.output
        assert "nothing was sent" in result.output and "--wait" in result.output
        (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
        imported = run_cli("batches", job, "--import", tmp_path / "empty.jsonl")
        assert imported.exit_code == 4  # the journal is the running job's
        assert len(fake.requests) - sent <= 2  # only the first run's requests in flight
    finally:
        first.wait(timeout=60)
    assert first.returncode == 0, first.stderr.read() if first.stderr else ""


def test_wait_waits_for_the_running_one(job_file, run_cli, fake, api_key, tmp_path):
    fake.enforce(None, Faults(latency=0.3))
    job = job_file(csv=ROWS)
    first = start(job)
    wait_for_requests(fake, first)
    started = time.monotonic()
    result = run_cli("run", job, "-q", "--wait")
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started > 0.5  # it waited for the first run's requests
    first.wait(timeout=30)
    assert first.returncode == 0
    # Had it not waited, it would have bought the rows the first had not journaled yet.
    assert len(fake.requests) == 8


def test_a_lock_left_by_kill_9_is_taken_over(job_file, run_cli, fake, api_key, tmp_path):
    fake.enforce(None, Faults(latency=0.4))
    job = job_file(csv=ROWS)
    first = start(job)
    wait_for_requests(fake, first)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    locks = list((tmp_path / "outputs").glob("*.lock*"))
    assert locks  # the lock file and its record are still there
    fake.enforce(None)
    result = run_cli("run", job, "-q")
    assert result.exit_code == 0, result.output
    assert f"took over the lock of an earlier run that ended without releasing it (pid " \
        f"{first.pid}" in result.stderr
    assert not list((tmp_path / "outputs").glob("*.lock.json"))
    assert os.getpid() != first.pid
