"""The cache may only make hcode faster, never change an answer.

Each command's output is compared byte for byte with its output without a cache, after the cache
has been tampered with (findings emptied, every weekday listed as a bank holiday), gone stale (a
case edited with its size and modification time kept, as ``touch -r`` does), been filled by a
run on an earlier ``--as-of``, or been copied from another workspace or another user's machine.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import copy_example, count_reads, edit_keeping_size_and_time, run
from hcode.store.cachefile import MAGIC, read_sealed

AS_OF = "2025-07-31"
CACHE = ".hcode-cache"
SETTLED = "cases/2024/C-2024-0001.yaml"

COMMANDS: list[tuple[str, ...]] = [
    ("check", "--format", "json"),
    ("due", "--format", "json"),
    ("due", "--all", "--format", "json"),
    ("case", "list", "--format", "json"),
    ("case", "show", "C-2024-0001"),
    ("report", "annual", "--year", "2024-25", "--format", "json"),
    ("report", "annual", "--year", "2024-25", "--format", "md"),
    ("report", "tsm", "--year", "2024-25"),
    ("export", "--format", "jsonl"),
    ("check",),  # the text, and the tables, whose lines are kept too (KEEP_LINES_FROM 0 below)
    ("due",),
    ("due", "--all"),
    ("case", "list"),
]


@pytest.fixture(scope="module", autouse=True)
def lines_kept_however_few() -> Iterator[None]:
    """The listings' lines kept whatever their length (the example's are a few dozen rows)."""
    from hcode.store import reader

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reader, "KEEP_LINES_FROM", 0)
        yield


def output(ws: Path, args: tuple[str, ...], *, cache: bool = True, as_of: str = AS_OF) -> tuple[int, str]:
    extra = [] if cache or args[:2] == ("case", "show") else ["--no-cache"]
    result = run(*args, "-w", ws, "--as-of", as_of, *extra)
    return result.exit_code, result.stdout


#: The answers with no cache, by the workspace's inputs (every file but the cache) and command:
#: a tampering that leaves the inputs as they were has the same reference answers.
_REFERENCES: dict[tuple[str, tuple[str, ...]], tuple[int, str]] = {}


def inputs(ws: Path) -> str:
    """A digest of every file of the workspace but its cache, names and bytes."""
    import hashlib

    h = hashlib.sha256()
    for path in sorted(ws.rglob("*")):
        if path.is_file() and CACHE not in path.relative_to(ws).parts:
            h.update(f"{path.relative_to(ws)}\0".encode() + path.read_bytes() + b"\0")
    return h.hexdigest()


def reference(ws: Path, args: tuple[str, ...]) -> tuple[int, str]:
    """The answer with no cache at all (worked out once for the same inputs)."""
    key = (inputs(ws), args)
    if key not in _REFERENCES:
        _REFERENCES[key] = _without_cache(ws, args)
    return _REFERENCES[key]


def _without_cache(ws: Path, args: tuple[str, ...]) -> tuple[int, str]:
    saved = ws / CACHE
    if saved.exists():
        shutil.move(saved, ws.parent / "saved-cache")
    try:
        return output(ws, args, cache=False)
    finally:
        if (ws.parent / "saved-cache").exists():
            shutil.rmtree(ws / CACHE, ignore_errors=True)
            shutil.move(ws.parent / "saved-cache", saved)


def fill(ws: Path) -> None:
    for args in COMMANDS:
        output(ws, args)
    assert (ws / CACHE / "check.json").exists()
    assert (ws / CACHE / "holidays-england-and-wales.json").exists()


def edit_body(path: Path, change: Callable[[dict], None]) -> None:  # type: ignore[type-arg]
    """Change a cache file as someone without the key would: the JSON edited, the seal kept."""
    head, _, body = path.read_bytes().partition(b"\n")
    assert head.startswith(MAGIC)
    doc = json.loads(body)
    change(doc)
    path.write_bytes(head + b"\n" + json.dumps(doc).encode())


def empty_findings(ws: Path) -> None:
    def change(doc: dict) -> None:  # type: ignore[type-arg]
        for entry in doc["value"].values():
            entry[3] = []

    edit_body(ws / CACHE / "check.json", change)


def emptied_answers(ws: Path) -> None:
    """Every cached answer (case list, due --all, reports, export) emptied."""

    def change(doc: dict) -> None:  # type: ignore[type-arg]
        answer, _ = doc["value"]  # the answer and the problems of the files not read
        doc["value"] = ["" if isinstance(answer, str) else type(answer)(), []]

    answers = [p for p in (ws / CACHE).glob("*.json") if p.name not in ("check.json",) and "holidays" not in p.name]
    kept = list((ws / CACHE).glob("*.pickle"))  # answers kept as bytes (due's rows as their text)
    kept += (ws / CACHE).glob("*-lines.txt")  # the listings' lines (as their text)
    assert len(answers) >= 3 and any(p.name.startswith("due") for p in kept)
    # (check's text and JSON are kept only where every case file is known by its status: the
    # tests of files known by their status below)
    assert {"due-lines.txt", "due-all-lines.txt", "case-list-lines.txt"} <= {p.name for p in kept}
    for path in answers:
        edit_body(path, change)
    for path in kept:  # the second half of the bytes left out, the seal kept
        head, _, body = path.read_bytes().partition(b"\n")
        path.write_bytes(head + b"\n" + body[: len(body) // 2])


def every_weekday_a_holiday(ws: Path) -> None:
    def change(doc: dict) -> None:  # type: ignore[type-arg]
        for year in list(doc["value"]):
            day = date(int(year), 1, 1)
            days = []
            while day.year == int(year):
                if day.weekday() < 5:
                    days.append([day.isoformat(), "Holiday"])
                day += timedelta(days=1)
            doc["value"][year] = days

    edit_body(ws / CACHE / "holidays-england-and-wales.json", change)


def touch_r_edit(ws: Path) -> None:
    """A settled case given a late response, its size and modification time kept."""
    edit_keeping_size_and_time(ws / SETTLED, "responded: 2024-01-29", "responded: 2024-09-29")


def earlier_as_of(ws: Path) -> None:
    """Runs on an earlier date, with events after it, fill the cache first."""
    shutil.rmtree(ws / CACHE)
    for args in COMMANDS:
        output(ws, args, as_of="2025-05-01")


def foreign_workspace(ws: Path) -> None:
    """A cache made (and sealed) in another workspace with other settings, copied in."""
    other = copy_example(ws.parent / "other")
    config = other / "hcode.yaml"
    config.write_text(config.read_text() + "soon: 5\n")
    for case in (other / "cases").rglob("*.yaml"):
        case.write_text(case.read_text().replace("responded: 2024-0", "responded: 2025-0"))
    fill(other)
    shutil.rmtree(ws / CACHE)
    shutil.copytree(other / CACHE, ws / CACHE)


def other_users_key(ws: Path) -> None:
    """A cache sealed with someone else's key (another machine, or one committed to git)."""
    from hcode.store import cachefile

    elsewhere = ws.parent / "elsewhere-user-cache"
    os.environ["XDG_CACHE_HOME"], mine = str(elsewhere), os.environ["XDG_CACHE_HOME"]
    try:
        shutil.rmtree(ws / CACHE)
        touch_r_edit(ws)  # their cache knows the file before the edit
        path = ws / SETTLED
        path.write_text(path.read_text().replace("responded: 2024-09-29", "responded: 2024-01-29"))
        fill(ws)
        assert read_sealed(ws / CACHE / "check.json") is not None
        empty_findings(ws)
    finally:
        os.environ["XDG_CACHE_HOME"] = mine
    assert cachefile.read_sealed(ws / CACHE / "check.json") is None


TAMPERING = {
    "emptied findings": empty_findings,
    "emptied answers": emptied_answers,
    "every weekday a bank holiday": every_weekday_a_holiday,
    "touch -r edit": touch_r_edit,
    "earlier --as-of": earlier_as_of,
    "foreign workspace": foreign_workspace,
    "other user's key": other_users_key,
}


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workspace with its cache filled by every command (made once; each test below
    takes a copy, whose files are as recent as a fresh copy's, so known by their bytes)."""
    ws = copy_example(tmp_path_factory.mktemp("filled") / "ws")
    fill(ws)
    return ws


@pytest.mark.parametrize("how", list(TAMPERING))
def test_output_is_identical_whatever_the_cache(tmp_path: Path, how: str, filled: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(filled, ws, symlinks=True)
    assert (ws / CACHE / "check.json").exists()
    TAMPERING[how](ws)
    for args in COMMANDS:
        expected = reference(ws, args)
        assert output(ws, args) == expected, (how, args)
        assert output(ws, args) == expected, (how, args)  # and again, from whatever it rebuilt


def test_the_touch_r_edit_is_a_new_breach(tmp_path: Path) -> None:
    """The edit used above really changes the answer, so the test above can fail."""
    ws = copy_example(tmp_path / "ws")
    before = output(ws, ("check", "--format", "json"), cache=False)
    touch_r_edit(ws)
    assert output(ws, ("check", "--format", "json"), cache=False) != before


def test_emptied_findings_would_hide_errors(tmp_path: Path) -> None:
    """Without the seal the emptied cache would turn errors into 'compliant'."""
    ws = copy_example(tmp_path / "ws")
    doc = json.loads(output(ws, ("check", "--format", "json"))[1])
    assert doc["summary"]["error"] > 0
    body = read_sealed(ws / CACHE / "check.json")
    assert body is not None
    files = json.loads(body)["value"]
    assert any(any(row[1] == "error" for row in entry[3]) for entry in files.values())


# -- files known by their status (stat) rather than their bytes -----------------------------------
#
# A file whose status (inode, size, modification and change times) is older than a few seconds is
# served from the cache without being read again. The tests below make every file old enough at
# once (RACY_NS = 0) and change files in each way a status can reveal.


def swap_two_cases(ws: Path) -> None:
    """Two case files' contents exchanged by renaming (each keeps its size and times)."""
    a, b = ws / SETTLED, ws / "cases/2024/C-2024-0002.yaml"
    text_a, text_b = a.read_text(), b.read_text()
    a.write_text(text_a.replace("C-2024-0001", "C-2024-0002"))
    b.write_text(text_b.replace("C-2024-0002", "C-2024-0001"))
    tmp = ws / "cases/2024/swap.tmp"
    os.rename(a, tmp)
    os.rename(b, a)
    os.rename(tmp, b)


def add_and_remove(ws: Path) -> None:
    """A case file removed and another added under a new name."""
    text = (ws / SETTLED).read_text()
    (ws / SETTLED).unlink()
    (ws / "cases/2024/C-2024-9999.yaml").write_text(text.replace("C-2024-0001", "C-2024-9999"))


def settings_changed(ws: Path) -> None:
    config = ws / "hcode.yaml"
    config.write_text(config.read_text() + "soon: 7\n")


STATUS_CHANGES = {
    "touch -r edit": touch_r_edit,
    "swapped by renaming": swap_two_cases,
    "added and removed": add_and_remove,
    "hcode.yaml changed": settings_changed,
}


@pytest.mark.parametrize("how", list(STATUS_CHANGES))
def test_files_trusted_by_status_are_still_seen_to_change(
    tmp_path: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hcode.store import cachefile

    ws = copy_example(tmp_path / "ws")
    monkeypatch.setattr(cachefile, "RACY_NS", 0)  # every file old enough to be known by its status
    fill(ws)
    before = {args: output(ws, args) for args in COMMANDS}
    STATUS_CHANGES[how](ws)
    changed = 0
    for args in COMMANDS:
        expected = reference(ws, args)
        changed += expected != before[args]
        assert output(ws, args) == expected, (how, args)
    assert changed  # the change shows in some output, so the comparison above can fail


def test_an_old_file_is_not_read_again_and_a_recent_one_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from hcode.store import cachefile, scan

    ws = copy_example(tmp_path / "ws")
    now = time.time_ns()
    stamps = cachefile.file_stamps(str(ws) + os.sep, [SETTLED], now)
    assert stamps == {SETTLED: None}  # written just now: known by its bytes only
    old = now + 2 * cachefile.RACY_NS  # as if looked at six seconds later
    assert cachefile.file_stamps(str(ws) + os.sep, [SETTLED], old)[SETTLED] is not None
    monkeypatch.setattr(cachefile, "RACY_NS", 0)
    output(ws, ("check", "--format", "json"))  # fills the cache
    reads = count_reads(monkeypatch, scan)
    output(ws, ("check", "--format", "json"))
    assert reads == []  # every case served from the cache by its status
    monkeypatch.setattr(cachefile, "RACY_NS", 3_000_000_000)
    output(ws, ("check", "--format", "json"))
    assert SETTLED in reads  # recent files: their bytes compared


# -- the one sealed-cache class ---------------------------------------------------------------


def test_a_sealed_cache_serves_its_value_only_for_its_key_and_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hcode.core.listings import CaseRow, DueItem
    from hcode.store import cachefile
    from hcode.store.cachefile import SealedCache, rows_as, rows_of

    (tmp_path / "hcode.yaml").write_text("landlord: x\n")
    items = [
        DueItem("C-1", 1, "respond", "5.8", date(2025, 1, 16), "met", None, "hoc-2024", start=date(2025, 1, 2)),
        DueItem("C-2", None, "remedy", "7.3", date(2025, 2, 3), "overdue", -4, "hoc-2024", action=1),
    ]
    rows = [CaseRow("C-1", "complaint", "2025-01-02", "repairs", 1, False, None, None, None)]
    due: SealedCache[list[DueItem]] = SealedCache(tmp_path, "due.json", rows_as(DueItem.row, DueItem.from_row))
    listed: SealedCache[list[CaseRow]] = SealedCache(tmp_path, "list.json", rows_of(CaseRow))
    assert due.load("k") is None  # nothing kept yet
    due.store("k", items)
    listed.store("k", rows)
    assert due.load("k") == items and listed.load("k") == rows  # rebuilt as the dataclasses
    assert due.load_encoded("k") == ([i.row() for i in items],)
    assert due.load("other inputs") is None
    monkeypatch.setattr(cachefile, "__version__", "9.9.9")
    assert due.load("k") is None  # made by another version of hcode
    monkeypatch.undo()
    body = read_sealed(listed.path)
    assert body is not None
    cachefile.write_sealed(listed.path, body.replace(b'"C-1",', b""))  # a row one field short, sealed
    assert listed.load("k") is None
    listed.path.write_bytes(b"garbage")
    assert listed.load("k") is None


def test_a_file_sealed_the_earlier_way_is_not_read(tmp_path: Path) -> None:
    """The seal is HMAC-SHA-256 (``hcode-sealed-2``). A file sealed with the earlier keyed BLAKE2b
    (``hcode-sealed-1``), even with this user's key, is not read (rebuilt); nor is a body under
    the new name with the earlier MAC, nor the new MAC under the earlier name."""
    import hashlib
    import hmac

    from hcode.store import cachefile

    path = tmp_path / CACHE / "x.json"
    cachefile.write_sealed(path, b'{"value": 1}')
    assert read_sealed(path) == b'{"value": 1}'
    key = cachefile.secret()
    assert key is not None
    body = b'{"value": 2}'
    mac = hmac.new(key, body, "sha256").hexdigest().encode()
    assert path.read_bytes() != MAGIC + mac + b"\n" + body  # (the new seal, for the other body)
    path.write_bytes(MAGIC + mac + b"\n" + body)
    assert read_sealed(path) == body  # the seal as hcode makes it
    old = hashlib.blake2b(body, key=key[:64], digest_size=32).hexdigest().encode()
    for head in (b"hcode-sealed-1 " + old, MAGIC + old, b"hcode-sealed-1 " + mac):
        path.write_bytes(head + b"\n" + body)
        assert read_sealed(path) is None
