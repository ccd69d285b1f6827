"""The embedded offline model answers real rows: llama.cpp in process, no key, no network."""

from __future__ import annotations

import csv
import importlib.util
import os

import pytest

from pipeline.send.providers.local import bundled_model_path

HAVE_LOCAL = importlib.util.find_spec("llama_cpp") is not None

pytestmark = [
    pytest.mark.local_model,
    pytest.mark.skipif(not HAVE_LOCAL and os.environ.get("CI") != "true",
                       reason="needs the [local] extra (CI installs it and never skips)"),
]


def test_bundled_weights_are_found_without_importing_the_package():
    path = bundled_model_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.stat().st_size > 50_000_000


def test_embedded_model_answers_three_real_rows(job_file, run_cli, tmp_path, monkeypatch):
    from pathlib import Path

    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # must not be used
    products = Path(__file__).parent.parent / "data/products.csv"
    job = job_file()
    result = run_cli("run", job, "-q", "--model", "smollm2", "--input", products,
                     "--template", Path(__file__).parent.parent / "prompts/product_description.j2",
                     "--limit", "3", "--max-tokens", "60", "--seed", "1")
    with (tmp_path / "outputs/out.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["name"] for r in rows] == ["Chai", "Chang", "Aniseed Syrup"]
    truncated = [r for r in rows if r["finish_reason"] == "length"]
    assert result.exit_code == (1 if truncated else 0), result.output
    for row in rows:
        # A reply cut off at max_tokens is flagged for review, not shipped as ok.
        if row["finish_reason"] == "length":
            assert row["status"] == "flagged"
            assert "truncated" in row["flags"]
        else:
            assert row["status"] == "ok" and row["flags"] == ""
        assert len(row["output"].split()) >= 3
        assert int(row["prompt_tokens"]) > 50
        assert 0 < int(row["completion_tokens"]) <= 60
        assert row["cost_usd"] == "0"
        assert row["model"] == "smollm2"
        assert row["finish_reason"] in ("stop", "length")


def test_embedded_model_gives_schema_valid_json_through_its_grammar(job_file, run_cli,
                                                                    tmp_path, monkeypatch):
    """No server-side json_schema here: llama.cpp decodes under a grammar built from the
    schema plus the gates' limits, and our validator checks the result. Rows it cannot get
    right are flagged with the reason, never passed off as ok."""
    import json
    from pathlib import Path

    products = Path(__file__).parent.parent / "data/products.csv"
    job = job_file("""
        fix_attempts = 1
        [fields]
        title = "string"
        bullets = "string[]"
        meta_description = "string"
        [checks.meta_description]
        max_chars = 155
        [checks.bullets]
        min_items = 3
        max_items = 3
        """, template="Write product copy for {{ name }} ({{ category }}): a title, three "
                      "bullets and a meta description.")
    result = run_cli("run", job, "-q", "--model", "smollm2", "--input", products, "--limit",
                     "3", "--max-tokens", "200", "--seed", "1")
    assert result.exit_code in (0, 1), result.output
    with (tmp_path / "outputs/out.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3
    for row in rows:
        assert row["status"] in ("ok", "flagged"), row
        if row["finish_reason"] == "length":
            assert "truncated" in row["flags"]
            continue
        # The grammar made it parse, with exactly three bullets and a short meta description.
        reply = json.loads(row["output"], strict=False)
        assert set(reply) == {"title", "bullets", "meta_description"}
        assert len(json.loads(row["bullets"])) == 3
        assert len(row["meta_description"]) <= 155
        assert "not valid JSON" not in row["flags"]
        if row["status"] == "flagged":
            assert json.loads(row["flags"])  # with its reasons


def test_embedded_model_translates_a_catalog_slice_and_writes_nothing_broken(
        run_cli, tmp_path):
    """Offline: a few Django entries into French. A 135M model translates poorly, but what it
    gets wrong is refused and reported, and the file it writes passes msgfmt."""
    import re
    import shutil
    import subprocess
    from pathlib import Path

    import polib

    from pipeline.catalogs.placeholders import problems

    source = tmp_path / "locale/en/LC_MESSAGES/django.po"
    source.parent.mkdir(parents=True)
    shutil.copyfile(Path(__file__).parent / "data/django/core.en.po", source)
    result = run_cli("translate", source, "--to", "fr", "-m", "smollm2", "--limit", "4", "-q")
    assert result.exit_code in (0, 1), result.output
    out = tmp_path / "locale/fr/LC_MESSAGES/django.po"
    if shutil.which("msgfmt"):
        check = subprocess.run(["msgfmt", "--check-format", "-c", "-o", os.devnull, str(out)],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
    counts = re.search(r"entries: 4 to translate: (\d+) translated .*, (\d+) left for review",
                       result.stderr)
    assert counts and int(counts[1]) + int(counts[2]) == 4, result.stderr
    for entry in polib.pofile(str(out)):
        if entry.translated():
            assert not problems(entry.msgid, entry.msgstr, entry_rules(entry))


def entry_rules(entry):
    from pipeline.catalogs.placeholders import rules_for_po

    return rules_for_po(entry.flags, entry.msgid)


_THREADS_SEEN = """
import os, sys
from pipeline import load_job
from pipeline.send.providers import create_provider
where, *override = sys.argv[1:]
if where == "pinned":
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
job = load_job(os.environ["JOB"], {"local_threads": int(override[0])} if override else None)
params = create_provider(job)._load().context_params
print(params.n_threads, params.n_threads_batch)
"""


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity API")
def test_llama_cpp_gets_the_thread_count_of_the_rule_or_of_local_threads(write):
    """What llama.cpp was given, read back from its context parameters, for generation and
    for reading the prompt: on one usable core (as `taskset -c 0` leaves it) one thread,
    whatever the machine has; `local_threads` from the job, and --set over it, otherwise."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    job = write("prompts/j.toml", 'input = "x.csv"\ntemplate = "t.j2"\nmodel = "smollm2"\n'
                                  'local_threads = 3\n')
    unset = write("prompts/k.toml", 'input = "x.csv"\ntemplate = "t.j2"\nmodel = "smollm2"\n')

    def seen(job_path: Path, *args: str) -> str:
        run = subprocess.run([sys.executable, "-c", _THREADS_SEEN, *args], cwd=root,
                             capture_output=True, text=True, timeout=300,
                             env={**os.environ, "PYTHONPATH": str(root), "JOB": str(job_path)})
        assert run.returncode == 0, run.stderr
        return run.stdout.strip()

    assert seen(unset, "pinned") == "1 1"
    assert seen(job, "free") == "3 3"
    assert seen(job, "free", "2") == "2 2"
