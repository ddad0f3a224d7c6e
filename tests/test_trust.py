"""Trust by construction: one mechanism per kind of hole, each promise held by the tests below
(docs/security.md lists them). Each section reproduces an attack on a copy of the example
workspace, then tries a variation the mechanism was not written for."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import copy_example, make_ws, run


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _link_out(ws: Path, name: str, outside: Path) -> Path:
    """Move ``ws/name`` to ``outside/name`` and leave a symbolic link in its place."""
    target = outside / name
    if (ws / name).exists():
        shutil.move(str(ws / name), target)
    else:
        target.mkdir(parents=True)
    os.symlink(target, ws / name)
    return target


# ------------------------------------------------------------------ 1. one writer rule


@pytest.mark.parametrize("folder", ["assessments", "reports", "provisions", "cases"])
def test_fmt_never_writes_through_a_linked_folder(tmp_path: Path, folder: str) -> None:
    ws = copy_example(tmp_path / "ws")
    (ws / "provisions").mkdir(exist_ok=True)
    shutil.copy(Path(__file__).parent.parent / "provisions" / "hoc-2024.yaml", ws / "provisions" / "hoc-2024.yaml")
    outside = tmp_path / "outside"
    outside.mkdir()
    moved = _link_out(ws, folder, outside)
    for p in moved.rglob("*.yaml"):  # every file there needs reformatting
        p.write_text(re.sub(r"(?m)^(\w+): ", r"\1:    ", p.read_text("utf-8")), encoding="utf-8")
    before = _snapshot(outside)
    result = run("fmt", "-w", ws)
    assert _snapshot(outside) == before
    if before:
        assert result.exit_code == 3, result.stdout + result.stderr
        assert "symbolic link" in result.stderr


def test_imports_never_write_into_a_linked_folder(tmp_path: Path) -> None:
    ws = make_ws(tmp_path / "ws")
    outside = tmp_path / "outside"
    outside.mkdir()
    _link_out(ws, "assessments", outside)
    _link_out(ws, "cases", outside)
    sa = tmp_path / "sa.csv"
    sa.write_text("Ref,Compliant?,Evidence\n1.2,Yes,Policy\n")
    r = run("import", "assessment", sa, "-w", ws, "--year", "2024-25")
    assert r.exit_code == 3 and "symbolic link" in r.stderr, r.stdout + r.stderr
    (ws / "import-map.yaml").write_text("columns:\n  id: Ref\n  received: Received\n  category: Category\n")
    rows = tmp_path / "rows.csv"
    rows.write_text("Ref,Received,Category\nC-1,01/04/2025,repairs\nC-2,02/04/2025,repairs\n")
    r = run("import", "cases", rows, "-w", ws)
    assert r.exit_code == 3 and "symbolic link" in r.stderr, r.stdout + r.stderr
    assert _snapshot(outside) == {}


@pytest.mark.parametrize(
    "folder",
    [
        "cases/{year!s:.>2.0}/{year!s:.>2.0}/{year!s:.>2.0}/{year!s:.>2.0}/tmp/escaped",
        "cases/{0}",
        "cases/{year",
        "cases/{year:999999999}",
        "cases/{year}/{year.__class__}",
        "cases/../../escaped",
        "cases/./{year}",
        "cases\\..\\..\\x",
    ],
)
def test_import_map_folder_takes_only_the_literal_year(tmp_path: Path, folder: str) -> None:
    ws = make_ws(tmp_path / "ws")
    (ws / "import-map.yaml").write_text(
        f"columns:\n  id: Ref\n  received: Received\n  category: Category\nfolder: '{folder}'\n"
    )
    rows = tmp_path / "rows.csv"
    rows.write_text("Ref,Received,Category\nC-1,01/04/2025,repairs\n")
    before = _snapshot(tmp_path)
    r = run("import", "cases", rows, "-w", ws)
    assert r.exit_code == 3, r.stdout + r.stderr
    assert "folder" in r.stderr and "{year}" in r.stderr
    assert _snapshot(tmp_path) == before


def test_import_map_folder_year_is_substituted(tmp_path: Path) -> None:
    ws = make_ws(tmp_path / "ws")
    (ws / "import-map.yaml").write_text(
        "columns:\n  id: Ref\n  received: Received\n  category: Category\nfolder: cases/y{year}/in-{year}\n"
    )
    rows = tmp_path / "rows.csv"
    rows.write_text("Ref,Received,Category\nC-1,01/04/2025,repairs\n")
    r = run("import", "cases", rows, "-w", ws)
    assert r.exit_code == 0, r.stdout + r.stderr
    assert (ws / "cases/y2025/in-2025/C-1.yaml").is_file()


def test_the_writer_refuses_any_path_outside_or_through_a_link(tmp_path: Path) -> None:
    """The rule lives in the one atomic writer: a caller that forgot to check is still refused."""
    from hcode.store import atomic

    ws = make_ws(tmp_path / "ws")
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, ws / "linked")
    (ws / "real").mkdir()
    os.symlink(outside / "f.yaml", ws / "real" / "file-link.yaml")
    for bad in (
        ws / "linked" / "f.yaml",
        ws / "linked" / "new" / "deeper" / "f.yaml",
        ws / ".." / "outside" / "f.yaml",
        tmp_path / "f.yaml",
        ws / "real" / "file-link.yaml",
    ):
        with pytest.raises(atomic.WriteRefused):
            atomic.atomic_write(bad, "x", root=ws)
        with pytest.raises(atomic.WriteRefused):
            atomic.stage_new(bad, "x", root=ws)
    assert _snapshot(outside) == {} and not (outside / "new").exists()
    atomic.atomic_write(ws / "real" / "sub" / "ok.yaml", "ok", root=ws)
    assert (ws / "real" / "sub" / "ok.yaml").read_text() == "ok"


def test_case_step_into_a_linked_year_folder_is_refused(tmp_path: Path) -> None:
    """A variation: not cases/ itself but one year's folder under it links outside."""
    ws = copy_example(tmp_path / "ws")
    outside = tmp_path / "outside"
    outside.mkdir()
    year = sorted(p for p in (ws / "cases").iterdir() if p.is_dir())[-1]
    shutil.move(str(year), outside / year.name)
    os.symlink(outside / year.name, year)
    before = _snapshot(outside)
    r = run("case", "new", "-w", ws, "--received", f"{year.name}-05-01", "--category", "repairs")
    assert r.exit_code in (0, 3), r.stdout + r.stderr
    if r.exit_code == 3:
        assert "symbolic link" in r.stderr
    assert _snapshot(outside) == before


def test_init_never_writes_through_a_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "new"
    target.mkdir()
    os.symlink(outside, target / "cases")
    r = run("init", target)
    assert r.exit_code == 3, r.stdout + r.stderr
    assert _snapshot(outside) == {}
