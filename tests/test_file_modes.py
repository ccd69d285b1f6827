"""Files the pipeline writes get the permissions a plain write would give them: a new file the
mode the umask leaves of 0666, an existing file its own mode. They were written 0600 (the
temporary file's mode), so a deployed catalog or a shared report could not be read by others."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from catalog_data import copy_tree
from test_catalogs import copy

from pipeline.files import atomic_write, current_umask

BARCODE_VALUES = "android/cordova-plugin-barcodescanner/res/values/strings.xml"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask() -> Iterator[callable]:
    """Set the process's umask for the test; restored after."""
    old = os.umask(0o022)

    def _set(value: int) -> None:
        os.umask(value)

    yield _set
    os.umask(old)


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002])
def test_the_umask_is_read_without_changing_it(umask, mask):
    umask(mask)
    assert current_umask() == mask
    assert current_umask() == mask


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o027, 0o640),
                                                (0o077, 0o600), (0o002, 0o664)])
def test_a_run_writes_its_output_manifest_and_report_with_the_umasks_mode(
        umask, mask, expected, job_file, run_cli, api_key, tmp_path):
    umask(mask)
    result = run_cli("run", job_file(), "-q", "--report")
    assert result.exit_code == 0, result.output
    outputs = tmp_path / "outputs"
    written = [outputs / "out.csv", *outputs.glob("out.run-*.json"),
               *outputs.glob("*.report.html")]
    assert len(written) == 3, sorted(outputs.iterdir())
    assert {path.name: mode(path) for path in written} == {
        path.name: expected for path in written}


def test_an_existing_output_keeps_its_own_mode(umask, job_file, run_cli, api_key, tmp_path):
    umask(0o077)  # a new file would be 0600: the old file's 0664 must win
    out = tmp_path / "outputs/out.csv"
    out.parent.mkdir(parents=True)
    out.write_text("old\n")
    out.chmod(0o664)
    assert run_cli("run", job_file(), "-q").exit_code == 0
    assert mode(out) == 0o664
    assert out.read_text() != "old\n"
    exported = tmp_path / "outputs/out.jsonl"
    assert run_cli("export", job_file(), "-o", exported).exit_code == 0
    assert mode(exported) == 0o600  # new, under this umask


def test_an_export_elsewhere_gets_the_umasks_mode(umask, job_file, run_cli, api_key,
                                                  tmp_path):
    umask(0o022)
    job = job_file()
    assert run_cli("run", job, "-q").exit_code == 0
    target = tmp_path / "review" / "reviewed.xlsx"
    assert run_cli("export", job, "-o", target).exit_code == 0
    assert mode(target) == 0o644


def test_translated_catalogs_are_readable_by_others(umask, translate, tmp_path):
    """gettext, i18next and Android targets, as a web server or app user would load them."""
    umask(0o022)
    po = copy("django/humanize.en.po", tmp_path / "locale/en/LC_MESSAGES/django.po")
    assert translate(po).exit_code == 0
    android = copy_tree(BARCODE_VALUES, tmp_path)
    assert translate(android).exit_code == 0
    i18next = tmp_path / "locales/en.json"
    i18next.parent.mkdir()
    i18next.write_text('{"cart": {"empty": "Your cart is empty"}}\n', encoding="utf-8")
    assert translate(i18next).exit_code == 0
    written = [tmp_path / "locale/fr/LC_MESSAGES/django.po",
               android.parent.parent / "values-fr/strings.xml", tmp_path / "locales/fr.json"]
    assert {str(p): mode(p) for p in written} == {str(p): 0o644 for p in written}


def test_an_existing_catalog_keeps_its_mode(umask, translate, tmp_path):
    umask(0o077)
    po = copy("django/humanize.en.po", tmp_path / "locale/en/LC_MESSAGES/django.po")
    target = tmp_path / "locale/fr/LC_MESSAGES/django.po"
    assert translate(po, "--limit", "2").exit_code == 0
    assert mode(target) == 0o600
    target.chmod(0o644)
    assert translate(po).exit_code == 0
    assert mode(target) == 0o644


def test_a_failed_write_leaves_no_temporary_file_and_the_old_file(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old")

    def broken(tmp: Path) -> None:
        tmp.write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(path, broken)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


@pytest.mark.skipif(os.getuid() != 0, reason="only root may give a file to another owner")
def test_an_existing_file_keeps_its_owner_when_root_rewrites_it(tmp_path):
    path = tmp_path / "shared.csv"
    path.write_text("old")
    os.chown(path, 12345, 12345)
    atomic_write(path, lambda tmp: tmp.write_text("new"))
    assert (path.stat().st_uid, path.stat().st_gid) == (12345, 12345)
    assert path.read_text() == "new"
