"""The library API (docs/api.md): the documented example runs and prints what the doc shows, and
the CLI's answers are the API's."""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

import hcode
from conftest import ROOT, copy_example, make_ws, run

DOC = ROOT / "docs" / "api.md"


def _blocks(lang: str) -> list[str]:
    return re.findall(r"```" + lang + r"\n(.*?)```", DOC.read_text("utf-8"), re.S)


def test_the_documented_example_runs_and_prints_what_the_doc_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [code] = _blocks("python")
    [expected] = _blocks("text")
    ws = copy_example(tmp_path / "ws")
    monkeypatch.chdir(ws / "cases")  # found upwards, like the commands
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(DOC), "exec"), {"__name__": "docs_api"})
    assert printed.getvalue() == expected


def test_check_is_what_the_command_reports(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    result = hcode.open_workspace(ws).check(as_of=date(2025, 7, 31))
    doc = run("check", ws, "--as-of", "2025-07-31", "--format", "json").json()
    assert doc["summary"]["error"] == result.count("error") > 0
    assert doc["summary"]["files"] == result.files
    assert [(f["rule"], f["file"], f["line"], f["message"]) for f in doc["findings"]] == [
        (f.rule, f.file, f.line, f.message) for f in result.findings
    ]


def test_due_and_annual_are_what_the_commands_print(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    w = hcode.open_workspace(ws)
    listed = w.due(as_of=date(2025, 7, 31), all=True)
    doc = run("due", ws, "--as-of", "2025-07-31", "--all", "--format", "json").json()
    rows = [r for r in doc["milestones"] if r["event"] != "remedy"]  # due() yields milestones only
    assert [r["case"] for r in doc["milestones"] if r["event"] == "remedy"] == ["C-2025-0004"]
    assert [(r["case"], r["stage"], r["event"], r["due"], r["status"], r["left"]) for r in rows] == [
        (
            i.milestone.case,
            i.milestone.stage,
            i.milestone.event,
            i.milestone.due.isoformat(),
            i.milestone.status,
            i.left,
        )
        for i in listed
    ]
    annual = w.annual(year="2024-25", as_of=date(2025, 7, 31))
    printed = json.loads(run("report", "annual", ws, "--year", "2024-25", "--as-of", "2025-07-31", "-f", "json").stdout)
    assert annual.figures == printed
    assert annual.tsm["CH01"]["stage1"]["numerator"] > 0
    assert annual.problems == []


def test_problems_are_returned_not_dropped(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    broken = ws / "cases" / "2024" / "C-2024-0001.yaml"
    broken.write_text(broken.read_text().replace("received:", "recieved:", 1))
    w = hcode.open_workspace(ws)
    annual = w.annual(year="2024-25", as_of=date(2025, 7, 31))
    assert {p.file for p in annual.problems} == {"cases/2024/C-2024-0001.yaml"}
    assert {p.file for p in w.due(as_of=date(2025, 7, 31)).problems} == {"cases/2024/C-2024-0001.yaml"}


def test_open_workspace_errors(tmp_path: Path) -> None:
    with pytest.raises(hcode.WorkspaceError):
        hcode.open_workspace(tmp_path / "missing")
    make_ws(tmp_path / "ws")
    assert hcode.open_workspace(tmp_path / "ws").settings.landlord == "Test Homes"
    with pytest.raises(ValueError, match="not a reporting year"):
        hcode.open_workspace(tmp_path / "ws").annual(year="2024-26")
    with pytest.raises(AttributeError):
        hcode.no_such_name  # noqa: B018


def test_import_hcode_is_cheap() -> None:
    """``import hcode`` loads none of the library; ``hcode --version`` answers quickly."""
    code = (
        "import sys, hcode; print(sorted(m for m in sys.modules if m.startswith(('hcode.', 'typer', 'rich', 'yaml'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    hcode_bin = Path(sys.executable).parent / "hcode"
    start = time.perf_counter()
    version = subprocess.run([str(hcode_bin), "--version"], capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    assert version.stdout == f"hcode {hcode.__version__}\n"
    assert elapsed < 2.0
