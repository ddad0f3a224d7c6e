"""The wheel built from the repository installs into an empty virtual environment (its
dependencies from the package index pip is configured with) and works with no repository at
hand: the Code editions and templates travel inside it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def _env() -> dict[str, str]:
    """The environment without anything pointing back at the repository or its .venv."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["NO_COLOR"] = "1"
    return env


def _run(args: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=600)


def test_wheel_installs_and_runs_without_the_repository(tmp_path: Path) -> None:
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist", ROOT], tmp_path)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("hcode-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "hcode/provisions/hoc-2024.yaml" in names
    assert "hcode/templates/annual.md.j2" in names
    assert "hcode/store/schemas/case.schema.json" in names
    assert not any(n.startswith(("cases/", "assessments/", "tests/", "hcode/cases/")) for n in names)

    venv = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", venv], tmp_path).returncode == 0
    bin_ = venv / "bin"
    installed = _run([bin_ / "python", "-m", "pip", "install", "-q", wheel], tmp_path)
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"  # no repository, no workspace above it
    elsewhere.mkdir()
    where = _run([bin_ / "python", "-c", "import hcode.packaged as p; print(p.data_dir('provisions'))"], elsewhere)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr

    version = _run([bin_ / "hcode", "--version"], elsewhere)
    assert version.returncode == 0 and version.stdout.startswith("hcode ")
    listed = _run([bin_ / "hcode", "provisions", "list"], elsewhere)
    assert listed.returncode == 0, listed.stderr
    assert "hoc-2024" in listed.stdout and "6.13" in listed.stdout

    made = _run([bin_ / "hcode", "init", "ws", "--landlord", "Eastgate Almshouses"], elsewhere)
    assert made.returncode == 0, made.stderr
    checked = _run([bin_ / "hcode", "check", "--format", "json"], elsewhere / "ws")
    assert checked.returncode == 1, checked.stderr  # the new self-assessment is still to fill in
    doc = json.loads(checked.stdout)
    assert doc["workspace"] == "Eastgate Almshouses"
    assert {f["rule"] for f in doc["findings"]} == {"assessment.complete", "8.1", "8.2"}
    report = _run([bin_ / "hcode", "report", "assessment", "--format", "md"], elsewhere / "ws")
    assert report.returncode == 0, report.stderr  # the shipped templates are found
    assert "Eastgate Almshouses" in report.stdout
