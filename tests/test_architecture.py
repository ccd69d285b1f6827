"""The layers of docs/architecture.md hold: import-linter's contracts (pyproject.toml) are kept
by the code, fail on an upward import with the import named, and the map names every part."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent
LINT = Path(sys.executable).parent / "lint-imports"


def lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT), "--no-cache"], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"})


def test_the_code_keeps_its_contracts():
    done = lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout


def test_an_upward_import_fails_naming_it(tmp_path):
    shutil.copytree(ROOT / "pipeline", tmp_path / "pipeline",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    cells = tmp_path / "pipeline/rows/cells.py"
    cells.write_text(cells.read_text() + "\nfrom ..jobs import run  # a stage reaching up\n")
    done = lint(tmp_path)
    assert done.returncode == 1
    assert "pipeline.rows is not allowed to import pipeline.jobs" in done.stdout
    assert "pipeline.rows.cells -> pipeline.jobs.run" in done.stdout


def test_a_new_module_must_be_placed_in_a_layer(tmp_path):
    shutil.copytree(ROOT / "pipeline", tmp_path / "pipeline",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "pipeline/helpers.py").write_text('"""Somewhere to put things."""\n')
    done = lint(tmp_path)
    assert done.returncode == 1
    assert "pipeline.helpers" in done.stdout


def test_the_map_names_every_part_the_contracts_place():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["id"] == "layers")["layers"]
    parts = {p.strip() for layer in layers for p in layer.replace("\\", " ").replace(
        "|", ":").split(":") if p.strip()}
    text = (ROOT / "docs/architecture.md").read_text()
    missing = [p for p in sorted(parts) if p != "__main__" and p not in text]
    assert not missing, f"docs/architecture.md does not name: {missing}"
