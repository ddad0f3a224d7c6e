"""``fmt``'s memory of canonical files: a file unchanged since (its status) is not read again; a
file changed in any way a status can reveal is formatted afresh; the answer is always the one
``--no-cache`` gives."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import copy_example, count_reads, edit_keeping_size_and_time, fmt_check, run
from hcode.edit import fmt

CASE = "cases/2024/C-2024-0001.yaml"
OTHER = "cases/2024/C-2024-0002.yaml"


def keys_swapped_same_size_and_time(ws: Path) -> None:
    """Two keys out of order, the file's size and modification time kept (``touch -r``)."""
    edit_keeping_size_and_time(
        ws / CASE, "kind: complaint\nreceived: 2024-01-15\n", "received: 2024-01-15\nkind: complaint\n"
    )


def swapped_by_renaming(ws: Path) -> None:
    """One file out of order renamed onto another's name (the new file keeps its own times)."""
    keys_swapped_same_size_and_time(ws)
    os.rename(ws / CASE, ws / "cases/2024/moved.tmp")
    os.rename(ws / OTHER, ws / CASE)
    os.rename(ws / "cases/2024/moved.tmp", ws / OTHER)


def added(ws: Path) -> None:
    text = (ws / CASE).read_text().replace("C-2024-0001", "C-2024-9999")
    (ws / "cases/2024/C-2024-9999.yaml").write_text(text.replace("kind: complaint\n", "") + "kind: complaint\n")


def made_unreadable(ws: Path) -> None:
    (ws / CASE).write_bytes(b"\xef\xbb\xbf" + (ws / CASE).read_bytes())


CHANGES: dict[str, Callable[[Path], None]] = {
    "keys swapped, size and time kept": keys_swapped_same_size_and_time,
    "swapped by renaming": swapped_by_renaming,
    "a file added out of order": added,
    "a byte-order mark added": made_unreadable,
}


@pytest.mark.parametrize("how", list(CHANGES))
def test_a_file_known_by_its_status_is_still_seen_to_change(
    tmp_path: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hcode.store import cachefile

    ws = copy_example(tmp_path / "ws")
    monkeypatch.setattr(cachefile, "RACY_NS", 0)  # every file old enough to be known by its status
    before = fmt_check(ws)  # fills the cache
    assert before[0] == 0 and (ws / ".hcode-cache" / "fmt.json").exists()
    CHANGES[how](ws)
    expected = fmt_check(ws, "--no-cache")
    assert expected != before  # the change shows, so the comparison below can fail
    assert fmt_check(ws) == expected
    assert fmt_check(ws) == expected  # and again, from what the run before kept


def test_an_old_canonical_file_is_not_read_again_and_a_recent_one_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hcode.store import cachefile

    ws = copy_example(tmp_path / "ws")
    monkeypatch.setattr(cachefile, "RACY_NS", 0)
    expected = fmt_check(ws)
    reads = count_reads(monkeypatch, fmt)
    assert fmt_check(ws) == expected
    assert reads == []  # every file known by its status
    monkeypatch.setattr(cachefile, "RACY_NS", 3_000_000_000)  # files changed just now: not trusted
    assert fmt_check(ws) == expected
    assert CASE in reads  # known by its bytes


def test_a_run_on_some_files_keeps_what_is_known_of_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hcode.store import cachefile

    ws = copy_example(tmp_path / "ws")
    monkeypatch.setattr(cachefile, "RACY_NS", 0)
    expected = fmt_check(ws)
    assert run("fmt", "--check", ws / CASE).exit_code == 0
    keys_swapped_same_size_and_time(ws)
    assert run("fmt", "--check", ws / "cases" / "2024").exit_code == 1
    reads = count_reads(monkeypatch, fmt)
    code, out, _ = fmt_check(ws)
    assert code == 1 and f"would change: {CASE}" in out
    assert reads == [CASE]  # the others still known by their status
    assert run("fmt", "--workspace", ws).exit_code == 0  # puts it back in order
    assert fmt_check(ws) == expected


def test_fmt_goes_over_files_in_path_order(tmp_path: Path) -> None:
    """A folder's files come before a name that only starts like it (``2024/`` before
    ``2024-b.yaml``, though ``-`` sorts before ``/``): the order of the lists of parts."""
    from conftest import make_ws
    from hcode.store.workspace import files_read

    names = ["cases/2024/a.yaml", "cases/2024-b.yaml", "cases/2024/b/c.yaml", "cases/2024.yaml", "cases/20240.yaml"]
    ws = make_ws(tmp_path, {name: f"id: C-{i}\n" for i, name in enumerate(names)})
    listed = [rel for rel in files_read(ws)[0] if rel.startswith("cases/")]
    assert listed == sorted(names, key=lambda rel: rel.split("/"))
    assert listed != sorted(names)
