"""Installs are reproducible: the tested environment is the locked one, the README and CI
bootstrap the locked uv, and `pipeline --version` names what a bug report needs."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "uv.lock"


def locked_versions() -> dict[str, set[str]]:
    """Each locked package's versions (a package may have one per Python range)."""
    found: dict[str, set[str]] = {}
    for package in tomllib.loads(LOCK.read_text(encoding="utf-8"))["package"]:
        if "version" in package and package.get("source", {}).get("editable") is None:
            found.setdefault(_normal(package["name"]), set()).add(package["version"])
    return found


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_installed_locked_package_is_at_its_locked_version():
    """The tests run on exactly what uv.lock says (README and .ci/run install with
    `uv sync --locked`); a package installed some other way fails here, by name."""
    locked = locked_versions()
    assert {"openai", "babel", "genai-prices", "pandas", "tiktoken", "uv"} <= locked.keys()
    wrong = []
    for dist in metadata.distributions():
        name = _normal(dist.metadata["Name"])
        if name in locked and dist.version not in locked[name]:
            wrong.append(f"{name} {dist.version} (locked: {', '.join(sorted(locked[name]))})")
    assert not wrong, ("installed versions differ from uv.lock; run "
                       "`.venv/bin/uv sync --locked --all-extras`: " + "; ".join(wrong))


def test_the_readme_and_ci_bootstrap_the_locked_uv():
    (uv,) = locked_versions()["uv"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    for name, text in (("README.md", readme), (".ci/run", ci)):
        pins = set(re.findall(r"\buv==([0-9][^\s'\"]*)", text))
        assert pins == {uv}, f"{name} installs uv {pins}, uv.lock has {uv}"
        assert "uv sync --locked" in text, name
    first_command = re.search(r"```bash\n(.+?)\n```", readme, re.DOTALL)
    assert first_command and "uv sync --locked --all-extras" in first_command.group(1)


def test_version_names_the_libraries_a_bug_report_needs():
    run = subprocess.run([sys.executable, "-m", "pipeline", "--version"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    lines = run.stdout.splitlines()
    assert lines[0] == f"pipeline (llm-batch-pipeline) {metadata.version('llm-batch-pipeline')}"
    assert lines[1].startswith(f"Python {sys.version.split()[0]} ")
    for name in ("openai", "genai-prices", "babel", "llama-cpp-python"):
        try:
            expected = f"{name} {metadata.version(name)}"
        except metadata.PackageNotFoundError:
            expected = f"{name} not installed"
        assert expected in lines, (expected, lines)


def test_the_lock_check_fails_when_pyproject_and_the_lock_disagree(tmp_path):
    """What .ci/run relies on: `uv lock --check` passes on the committed pair and fails once
    pyproject.toml asks for something the lock does not hold (offline: no index is asked)."""
    uv = Path(sys.executable).parent / "uv"
    for name in ("pyproject.toml", "uv.lock", "README.md"):
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(uv), "lock", "--check", "--offline"], cwd=tmp_path,
                              capture_output=True, text=True,
                              env={"PATH": "/usr/bin:/bin", "UV_NO_CACHE": "1",
                                   "UV_PYTHON": sys.executable, "HOME": str(tmp_path)})

    assert check().returncode == 0, check().stderr
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"tqdm>=4.66"', '"tqdm>=99"'))
    stale = check()
    assert stale.returncode != 0
    assert "error" in stale.stderr  # uv says why; .ci/run then says what to run


def _cmake_args(text: str) -> list[str]:
    return re.findall(r'CMAKE_ARGS=\\?"(.+?)\\?"(?: |$)', text, re.MULTILINE)


def test_every_install_command_builds_llama_cpp_with_the_same_lean_options():
    """The README, CI, pyproject's note and the provider's install hint give one CMAKE_ARGS:
    GGML_NATIVE=OFF (native builds crash on AMX CPUs), no multimodal library, and the include
    that skips llama.cpp's common library, a file of this repository."""
    from pipeline.send.providers.local import _INSTALL_HINT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_command = re.search(r"```bash\n(.+?)\n```", readme, re.DOTALL).group(1)
    found = {"README.md": _cmake_args(first_command),
             ".ci/run": _cmake_args((ROOT / ".ci/run").read_text(encoding="utf-8")),
             "pyproject.toml": _cmake_args((ROOT / "pyproject.toml").read_text(encoding="utf-8")),
             "install hint": _cmake_args(_INSTALL_HINT)}
    assert all(len(args) == 1 for args in found.values()), found
    (args,) = set(arg for [arg] in found.values())
    options = args.split()
    assert options[:2] == ["-DGGML_NATIVE=OFF", "-DLLAVA_BUILD=OFF"], args
    include = options[2].removeprefix("-DCMAKE_PROJECT_llama.cpp_INCLUDE=").strip("'")
    assert include.startswith("$PWD/"), args  # the commands run from the project's root
    lean = ROOT / include.removeprefix("$PWD/")
    assert "set(LLAMA_BUILD_COMMON OFF)" in lean.read_text(encoding="utf-8")
