"""The workspace's one inventory (:func:`hcode.store.workspace.list_yaml_files`) takes the plain
``*.yaml`` files of a folder together, each looked at through the folder's descriptor: it lists,
stamps and reports exactly what it does one entry at a time. And cache files written in parts are
the same bytes, under the same seal, as written whole."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from hcode.store import cachefile, workspace
from hcode.store.cachefile import read_sealed, write_sealed
from hcode.store.workspace import list_yaml_files


def _folder(root: Path) -> Path:
    cases = root / "cases"
    (cases / "2024" / "deeper").mkdir(parents=True)
    (root / "hcode.yaml").write_text("hcode: 1\n")
    for rel in ("2024/C-1.yaml", "2024/C-2.YAML", "2024/C-3.yml", "2024/deeper/C-4.yaml", "C-5.yaml", ".C-6.yaml"):
        (cases / rel).write_text(f"id: {rel}\n")
    (cases / "2024" / "C-1.yaml~").write_text("backup\n")
    (cases / "2024" / "README.md").write_text("notes\n")
    (cases / "2024" / "inside.yaml").symlink_to(cases / "C-5.yaml")
    outside = root.parent / "outside.yaml"
    outside.write_text("id: elsewhere\n")
    (cases / "2024" / "outside.yaml").symlink_to(outside)
    (cases / "2024" / "nowhere.yaml").symlink_to(root / "missing.yaml")
    (cases / "2024" / "folder.yaml").mkdir()
    return root


Listed = tuple[list[tuple[str, int, int]], list[tuple[str, str | None, str]], dict[str, str | None]]


def _listed(root: Path, *, stat: bool) -> Listed:
    stamps: dict[str, str | None] = {}
    files, problems = list_yaml_files(root, "cases", stamps=stamps, since_ns=time.time_ns() + 10**12, stat=stat)
    return files, [(p.rule, p.file, p.message) for p in sorted(problems, key=lambda p: p.file or "")], stamps


@pytest.mark.parametrize("stat", [True, False])
def test_the_plain_files_are_listed_as_one_entry_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stat: bool
) -> None:
    root = _folder(tmp_path / "ws")
    monkeypatch.setattr(cachefile, "RACY_NS", 0)
    fast = _listed(root, stat=stat)
    monkeypatch.setattr(workspace, "_STAT_AT", False)  # each file looked at by its path
    assert _listed(root, stat=stat) == fast
    files, problems, stamps = fast
    rels = [rel for rel, _, _ in files]
    assert rels == sorted(
        f"cases/{r}"
        for r in (
            "2024/C-1.yaml",
            "2024/C-2.YAML",
            "2024/C-3.yml",
            "2024/deeper/C-4.yaml",
            "C-5.yaml",
            "2024/inside.yaml",
        )
    )
    assert set(stamps) == set(rels)
    for rel in rels:  # the stamp of each file, as the cache knows it
        assert stamps[rel] == cachefile.stamp_of(os.stat(root / rel), time.time_ns() + 10**12 - cachefile.RACY_NS)
    if stat:
        assert all(size == (root / rel).stat().st_size for rel, size, _ in files)
    rules = {(rule, file) for rule, file, _ in problems}
    assert ("file.link", "cases/2024/outside.yaml") in rules
    assert ("file.link", "cases/2024/nowhere.yaml") in rules
    assert ("file.name", "cases/2024/C-1.yaml~") in rules
    assert ("file.name", "cases/.C-6.yaml") in rules
    assert any(file == "cases/2024/folder.yaml" for _, file in rules) is False  # a folder: walked into


def test_a_file_that_cannot_be_looked_at_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _folder(tmp_path / "ws")
    real = os.stat

    def refusing(path: object, *args: object, **kw: object) -> os.stat_result:
        if str(path).endswith("C-1.yaml"):
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", refusing)
    files, problems, stamps = _listed(root, stat=True)
    assert "cases/2024/C-1.yaml" not in [rel for rel, _, _ in files]
    assert ("file.unreadable", "cases/2024/C-1.yaml", "cannot read the file: Permission denied") in problems
    assert stamps["cases/2024/C-1.yaml"] is None
    files, _, _ = _listed(root, stat=False)
    assert "cases/2024/C-1.yaml" in [rel for rel, _, _ in files]  # read later, and named then


def test_a_file_written_in_parts_is_the_file_written_whole(tmp_path: Path) -> None:
    (tmp_path / ".hcode-cache").mkdir()
    whole, parts = tmp_path / ".hcode-cache" / "whole", tmp_path / ".hcode-cache" / "parts"
    body = b"head\n" + bytes(range(256)) * 1000
    write_sealed(whole, body)
    write_sealed(parts, [body[:5], memoryview(body)[5:700], b"", body[700:]])
    assert parts.read_bytes() == whole.read_bytes()
    assert read_sealed(parts) == body
