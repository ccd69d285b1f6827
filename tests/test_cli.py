"""The command line itself: its help names what it does, and it answers --help and --version
without loading what only a run needs (start-up is timed in bench/bench_startup.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import pipeline
from pipeline.cli import cli
from pipeline.formats import CATALOG_FORMATS

#: Libraries that only a command's work needs: none may load for --help or --version.
HEAVY = ("pydantic", "openai", "aiohttp", "httpx", "httpx2", "pandas", "jinja2", "tqdm",
         "tiktoken", "polib", "babel", "translate", "lxml", "jsonschema", "PIL", "tenacity",
         "llama_cpp", "filelock", "ruamel")

#: How `translate --help` names each catalog format.
FORMAT_NAMES = {
    "gettext": "gettext .po/.pot", "i18next": "i18next", "icu": "ICU JSON",
    "android": "Android strings.xml", "apple": "Apple .strings", "stringsdict": ".stringsdict",
    "xcstrings": ".xcstrings", "properties": "Java .properties", "yaml": "Rails YAML",
    "xliff": "XLIFF 1.2", "xliff2": "2.0", "qt": "Qt Linguist .ts", "resx": ".NET .resx",
    "arb": "Flutter ARB",
}


def loaded_by(*args: str) -> set[str]:
    """The top-level modules a fresh `python -m pipeline ARGS` has loaded when it exits."""
    probe = ("import runpy, sys, json, atexit\n"
             "atexit.register(lambda: print(json.dumps(sorted({m.split('.')[0] "
             "for m in sys.modules})), file=sys.stderr))\n"
             f"sys.argv = ['pipeline', *{list(args)!r}]\n"
             "runpy.run_module('pipeline', run_name='__main__')\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["run", "--help"],
                                  ["translate", "--help"], ["schedule", "--help"]])
def test_help_and_version_load_nothing_a_run_needs(args):
    loaded = loaded_by(*args)
    assert "click" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_import_pipeline_is_light_and_every_public_name_resolves():
    probe = ("import sys, pipeline\n"
             f"assert not set({HEAVY!r}) & set(sys.modules), 'heavy at import'\n"
             "missing = [n for n in pipeline.__all__ if getattr(pipeline, n, None) is None]\n"
             "assert not missing, missing\n"
             "from pipeline import *\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert set(pipeline.__all__) <= set(dir(pipeline))
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        pipeline.nothing  # noqa: B018


def test_translate_help_names_every_catalog_format(run_cli):
    assert set(FORMAT_NAMES) == set(CATALOG_FORMATS)
    text = " ".join(run_cli("translate", "--help").output.split())
    missing = [fmt for fmt, name in FORMAT_NAMES.items() if name not in text]
    assert not missing
    assert "(.po/.pot, i18next or ICU JSON)" not in text


def test_every_command_has_help(run_cli):
    for name in cli.commands:
        result = run_cli(name, "--help")
        assert result.exit_code == 0, (name, result.output)
        assert result.output.startswith(f"Usage: cli {name}")
