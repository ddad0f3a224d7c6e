"""A report's workbook is kept in the cache for the same report: the same bytes as one written
afresh, written afresh when anything it says changes, never kept with --no-cache."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from conftest import copy_example, run


def _annual(ws: Path, target: Path, *extra: str) -> bytes:
    result = run(
        "report", "annual", ws, "--year", "2024-25", "-f", "xlsx", "-o", target, "--as-of", "2025-07-31", *extra
    )
    assert result.exit_code == 0, result.stderr
    return target.read_bytes()


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many workbooks were written (not taken from the cache)."""
    from hcode.render import excel

    calls: list[int] = []
    real = excel.annual_workbook

    def counted(ctx: dict[str, object]) -> bytes:
        calls.append(1)
        return real(ctx)

    monkeypatch.setattr(excel, "annual_workbook", counted)
    return calls


def test_the_kept_workbook_is_the_one_written_afresh(tmp_path: Path, written: list[int]) -> None:
    ws = copy_example(tmp_path / "ws")
    first = _annual(ws, tmp_path / "a.xlsx")
    assert len(written) == 1 and (ws / ".hcode-cache" / "workbook-annual.pickle").is_file()
    kept = _annual(ws, tmp_path / "b.xlsx")
    assert len(written) == 1  # from the cache
    fresh = _annual(ws, tmp_path / "c.xlsx", "--no-cache")
    assert len(written) == 2
    assert first == kept == fresh


def test_a_changed_report_is_written_afresh(tmp_path: Path, written: list[int]) -> None:
    ws = copy_example(tmp_path / "ws")
    _annual(ws, tmp_path / "a.xlsx")
    (ws / "reports").mkdir(exist_ok=True)  # the statements written after the first run
    (ws / "reports" / "2024-25.yaml").write_text("year: 2024-25\nmrc_statement: We read every complaint this year.\n")
    changed = _annual(ws, tmp_path / "b.xlsx")
    assert len(written) == 2
    texts = {
        c for row in openpyxl.load_workbook(tmp_path / "b.xlsx")["Headline"].iter_rows(values_only=True) for c in row
    }
    assert "We read every complaint this year." in texts
    case = ws / "cases" / "2024" / "C-2024-0001.yaml"  # a case: the figures change
    case.write_text(case.read_text().replace("category: ", "category: x-", 1))
    assert _annual(ws, tmp_path / "c.xlsx") != changed and len(written) == 3


def test_the_self_assessment_workbook_is_kept_and_written_afresh_when_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hcode.core.assessmentform import AssessmentForm
    from hcode.render import excel

    calls: list[int] = []
    real = excel.assessment_workbook

    def counted(form: AssessmentForm) -> bytes:
        calls.append(1)
        return real(form)

    monkeypatch.setattr(excel, "assessment_workbook", counted)
    ws = copy_example(tmp_path / "ws")

    def written(name: str) -> bytes:
        target = tmp_path / name
        result = run("report", "assessment", ws, "--year", "2024-25", "-f", "xlsx", "-o", target)
        assert result.exit_code == 0, result.stderr
        return target.read_bytes()

    first, again = written("a.xlsx"), written("b.xlsx")
    assert first == again and len(calls) == 1
    path = ws / "assessments" / "2024-25.yaml"
    path.write_text(path.read_text().replace("reviewed March 2024", "reviewed May 2025", 1))
    changed = written("c.xlsx")
    assert len(calls) == 2 and changed != first
    texts = {
        c
        for sheet in openpyxl.load_workbook(tmp_path / "c.xlsx")
        for row in sheet.iter_rows(values_only=True)
        for c in row
    }
    assert any(isinstance(t, str) and "reviewed May 2025" in t for t in texts)
