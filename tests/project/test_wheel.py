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


def test_make_dist_builds_and_checks_the_sdist_and_the_wheel(tmp_path: Path) -> None:
    """``make dist``: both files, checked by twine (it exits non-zero on a bad README or metadata);
    the sdist carries the tests and docs, the wheel does not."""
    import tarfile

    from hcode import __version__

    dist = tmp_path / "dist"
    made = _run(["make", "-C", ROOT, "dist", f"DIST={dist}"], tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "PASSED" in made.stdout  # twine check, for each file
    wheel = dist / f"hcode-{__version__}-py3-none-any.whl"
    sdist = dist / f"hcode-{__version__}.tar.gz"
    assert wheel.is_file() and sdist.is_file()
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    assert f"hcode-{__version__}/tests/project/test_wheel.py" in names
    assert f"hcode-{__version__}/provisions/hoc-2024.yaml" in names
    assert not any(n.startswith("tests/") for n in zipfile.ZipFile(wheel).namelist())


def test_pre_commit_hooks_run_from_a_local_clone(tmp_path: Path) -> None:
    """The hooks of .pre-commit-hooks.yaml, as pre-commit runs them for a workspace repository:
    installed from a clone of this repository (pre-commit builds hcode from it) and run."""
    import shutil

    exe = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    assert exe is not None, "pre-commit is in the dev extra (requirements/dev.txt)"
    clone = tmp_path / "hcode"
    assert _run(["git", "clone", "-q", "--no-local", ROOT, clone], tmp_path).returncode == 0
    # the working tree as it is, committed in the clone (the hooks under test, not the last commit)
    for rel in (".pre-commit-hooks.yaml", "pyproject.toml"):
        shutil.copy(ROOT / rel, clone / rel)
    shutil.copytree(ROOT / "src", clone / "src", dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    git_env = ["-c", "user.email=t@example.org", "-c", "user.name=t"]
    _run(["git", *git_env, "-C", clone, "commit", "-qam", "as tested"], tmp_path)
    head = _run(["git", "-C", clone, "rev-parse", "HEAD"], tmp_path).stdout.strip()

    ws = tmp_path / "ws"
    assert _run([sys.executable, "-m", "hcode", "init", ws, "--landlord", "Hook Homes"], tmp_path).returncode == 0
    (ws / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {clone}\n    rev: {head}\n    hooks:\n      - id: hcode-fmt\n      - id: hcode-check\n"
    )
    case = ws / "cases/2024/C-2024-0001.yaml"
    case.parent.mkdir(parents=True)
    case.write_text(
        "received: 2024-05-01\nid: C-2024-0001\nkind: complaint\ncategory: repairs\n"
        "stage1:\n  acknowledged: 2024-05-02\n  definition: Leak.\n  handler: H-1\n"
        "  responded: 2024-05-10\n  outcome: upheld\n"
    )
    assert _run(["git", "init", "-q", ws], tmp_path).returncode == 0
    assert _run(["git", "-C", ws, "add", "-A"], tmp_path).returncode == 0
    env = {**_env(), "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    ran = subprocess.run([exe, "run", "--all-files"], cwd=ws, env=env, capture_output=True, text=True, timeout=900)
    said = ran.stdout + ran.stderr
    # hcode fmt rewrote the case in the canonical key order (pre-commit fails a hook that changes
    # files), and hcode check failed on the self-assessment still to fill in
    assert ran.returncode == 1, said
    assert "hcode fmt" in said and "hcode check" in said and said.count("Failed") == 2, said
    assert case.read_text().startswith("id: C-2024-0001\nkind: complaint\nreceived: 2024-05-01\n")
    assert "assessment.complete" in said or "self-assessment not started" in said
