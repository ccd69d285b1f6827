"""The embedded model's thread count: one core left free by default, `local_threads` to choose."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import ConfigError, load_job
from pipeline.send.providers.local import default_threads

ROOT = Path(__file__).resolve().parent.parent
HAS_AFFINITY = hasattr(os, "sched_setaffinity")


@pytest.mark.parametrize(("cores", "threads"), [(1, 1), (2, 1), (3, 2), (8, 7), (64, 63)])
def test_one_usable_core_is_left_free_and_never_fewer_than_one_thread(cores, threads):
    assert default_threads(cores) == threads


def _in_child_pinned_to_one_core(code: str) -> str:
    """Run `code` in a fresh interpreter whose CPU affinity is core 0 alone (as `taskset -c 0`
    or a one-CPU container would leave it), whatever this machine has."""
    pin = "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
    run = subprocess.run([sys.executable, "-c", pin + code], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


@pytest.mark.skipif(not HAS_AFFINITY, reason="no CPU affinity API on this platform")
def test_the_cores_counted_are_those_this_process_may_use_not_the_machines():
    printed = _in_child_pinned_to_one_core(
        "from pipeline.send.providers.local import usable_cores, default_threads\n"
        "print(usable_cores(), default_threads(usable_cores()), os.cpu_count())")
    usable, threads, machine = (int(n) for n in printed.split())
    assert (usable, threads) == (1, 1)
    assert machine >= 1


def test_local_threads_is_read_from_the_job_and_the_command_line_wins(write):
    job = write("prompts/j.toml", """\
        input = "x.csv"
        template = "t.j2"
        model = "smollm2"
        local_threads = 3
        """)
    assert load_job(job).local_threads == 3
    assert load_job(job, {"local_threads": 1}).local_threads == 1
    unset = write("prompts/k.toml", 'input = "x.csv"\ntemplate = "t.j2"\nmodel = "smollm2"\n')
    assert load_job(unset).local_threads is None  # the provider then leaves a core free


@pytest.mark.parametrize(("value", "message"), [
    ("0", "greater than or equal to 1"),
    ("-2", "greater than or equal to 1"),
    ('"all"', "valid integer"),
    ("1.5", "valid integer"),
])
def test_a_bad_local_threads_names_the_key_and_the_file(write, value, message):
    job = write("prompts/j.toml", f"""\
        input = "x.csv"
        template = "t.j2"
        model = "smollm2"
        local_threads = {value}
        """)
    with pytest.raises(ConfigError) as caught:
        load_job(job)
    assert f"{job}: local_threads: " in str(caught.value)
    assert message in str(caught.value)


def test_a_bad_local_threads_on_the_command_line_stops_the_run_before_any_request(
        job_file, run_cli, fake):
    result = run_cli("run", job_file(), "--model", "smollm2", "--set", "local_threads=0")
    assert result.exit_code == 2, result.output
    assert "command line: local_threads: Input should be greater than or equal to 1" \
        in result.output
    assert fake.requests == []
