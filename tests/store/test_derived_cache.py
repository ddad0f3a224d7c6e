"""Derived answers kept typed (the annual figures, pickled under the seal): a warm run answers
exactly as a cold one, an edited case gives the new answer, a damaged or foreign cache file is
ignored and rebuilt, and a miss lists the case files once."""

from __future__ import annotations

import os
import pickle
from datetime import date
from pathlib import Path

import pytest

from conftest import copy_example, run
from hcode.store import cachefile
from hcode.store.cachefile import TYPED, SealedCache, read_sealed, write_sealed

AS_OF = "2025-07-31"
YEAR = "2024-25"
KEPT = f".hcode-cache/annual-{YEAR}.pickle"
CASE = "cases/2024/C-2024-0001.yaml"


def report(ws: Path, fmt: str, *extra: str) -> bytes:
    """The annual report in ``fmt`` as the command writes it."""
    out = ws.parent / f"report.{fmt}"
    result = run("report", "annual", "-w", ws, "--year", YEAR, "--as-of", AS_OF, "-f", fmt, "-o", out, *extra)
    assert result.exit_code == 0, result.stdout
    return out.read_bytes()


FORMATS = ("md", "json", "html", "xlsx")


@pytest.mark.parametrize("fmt", FORMATS)
def test_warm_and_cold_annual_reports_are_identical(tmp_path: Path, fmt: str) -> None:
    ws = copy_example(tmp_path / "ws")
    cold = report(ws, fmt, "--no-cache")
    assert not (ws / KEPT).exists()  # --no-cache leaves the cache alone
    assert report(ws, fmt) == cold  # computed, and kept
    assert (ws / KEPT).is_file()
    assert report(ws, fmt) == cold  # served from the kept figures


def test_an_edited_case_gives_the_new_figures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cachefile, "RACY_NS", 0)  # every file known by its status at once
    ws = copy_example(tmp_path / "ws")
    before = report(ws, "json")
    kept = (ws / KEPT).read_bytes()
    path = ws / CASE
    text = path.read_text()
    assert "responded: 2024-01-29" in text
    path.write_text(text.replace("responded: 2024-01-29", "responded: 2024-09-29"))  # now late
    after = report(ws, "json")
    assert after != before  # the edit changes the figures, so the comparison below can fail
    assert after == report(ws, "json", "--no-cache")
    assert (ws / KEPT).read_bytes() != kept  # kept again for the new inputs


def _pair(problems: bytes, value: bytes) -> bytes:
    """A derived answer as the cache keeps it: the problems (their length first), then the value."""
    return len(problems).to_bytes(8, "big") + problems + value


def _damaged(ws: Path, how: str) -> None:
    path = ws / KEPT
    body = read_sealed(path)
    assert body is not None
    head, _, data = body.partition(b"\n")
    if how == "garbage":
        path.write_bytes(b"not a cache file")
    elif how == "seal broken":  # the pickle changed by someone without the key
        path.write_bytes(path.read_bytes().replace(b"AnnualFigures", b"AnnualFigurez"))
    elif how == "cut short, sealed":
        write_sealed(path, head + b"\n" + data[: len(data) // 2])
    elif how == "a function, sealed":  # what a pickle must never run, even sealed by this user
        write_sealed(path, head + b"\n" + _pair(TYPED.encode([]), pickle.dumps(os.getpid)))
    elif how == "problems not findings, sealed":
        write_sealed(path, head + b"\n" + _pair(TYPED.encode(["not a finding"]), data[8:]))
    elif how == "JSON, sealed":
        write_sealed(path, b'{"hcode": "0", "key": "k", "value": [[], []]}')
    else:  # pragma: no cover
        raise AssertionError(how)


DAMAGE = (
    "garbage",
    "seal broken",
    "cut short, sealed",
    "a function, sealed",
    "problems not findings, sealed",
    "JSON, sealed",
)


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_cache_file_is_ignored_and_rebuilt(tmp_path: Path, how: str) -> None:
    ws = copy_example(tmp_path / "ws")
    expected = report(ws, "json", "--no-cache")
    assert report(ws, "json") == expected
    _damaged(ws, how)
    assert report(ws, "json") == expected
    assert SealedCache(ws, f"annual-{YEAR}.pickle", TYPED).load_encoded("x") is None  # another key
    assert report(ws, "json") == expected  # from what it rebuilt


def test_only_hcodes_own_classes_are_built_back() -> None:
    from types import MappingProxyType

    from hcode.core.model import Finding

    kept = (MappingProxyType({"a": {"b": 1}}), [Finding("r", "error", "s", "m", due=date(2025, 1, 2))])
    assert TYPED.decode(TYPED.encode(kept)) == kept
    with pytest.raises(ValueError):
        TYPED.decode(pickle.dumps(os.getpid))
    with pytest.raises(ValueError):
        TYPED.decode(pickle.dumps(Path("x")))  # a class, but not hcode's


def test_a_miss_lists_and_stamps_the_case_files_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hcode.api import open_workspace
    from hcode.store import reader, scan, workspace

    ws = copy_example(tmp_path / "ws")
    files = len(list((ws / "cases").rglob("*.yaml")))
    listed: list[str] = []
    stamped: list[object] = []
    real_list, real_stamp = workspace.list_yaml_files, cachefile.stamp_of

    def listing(root: Path, folder: str, **kw: object) -> object:
        listed.append(folder)
        return real_list(root, folder, **kw)  # type: ignore[arg-type]

    def stamp(st: os.stat_result, limit: int) -> str | None:
        stamped.append(st)
        return real_stamp(st, limit)

    for module in (workspace, scan, reader):
        monkeypatch.setattr(module, "list_yaml_files", listing)
    monkeypatch.setattr(cachefile, "stamp_of", stamp)
    first = open_workspace(ws).annual(YEAR, date(2025, 7, 31))  # a miss
    assert (listed.count("cases"), len(stamped)) == (1, files)
    listed.clear()
    stamped.clear()
    again = open_workspace(ws).annual(YEAR, date(2025, 7, 31))  # served from the cache
    assert (listed.count("cases"), len(stamped)) == (1, files)
    assert again == first


# -- the whole answer of the case scan, kept for a run with nothing changed ----------------------

CHECK_RUN = ".hcode-cache/check-run.pickle"


def check_output(ws: Path, fmt: str, *extra: str) -> tuple[int, str]:
    result = run("check", "-w", ws, "--as-of", AS_OF, "-f", fmt, *extra)
    return result.exit_code, result.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_a_check_served_whole_answers_as_one_read_afresh(
    tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cachefile, "RACY_NS", 0)  # every file known by its status
    ws = copy_example(tmp_path / "ws")
    cold = check_output(ws, fmt, "--no-cache")
    assert check_output(ws, fmt) == cold  # judged, and kept
    assert (ws / CHECK_RUN).is_file()
    assert check_output(ws, fmt) == cold  # the kept answer
    path = ws / CASE
    text = path.read_text()
    path.write_text(text.replace("responded: 2024-01-29", "responded: 2024-09-29"))  # now late
    edited = check_output(ws, fmt, "--no-cache")
    assert edited != cold  # the edit changes the answer, so the comparison below can fail
    assert check_output(ws, fmt) == edited


def test_a_damaged_check_answer_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cachefile, "RACY_NS", 0)
    ws = copy_example(tmp_path / "ws")
    expected = check_output(ws, "json", "--no-cache")
    check_output(ws, "json")
    body = read_sealed(ws / CHECK_RUN)
    assert body is not None
    head = body.partition(b"\n")[0]
    write_sealed(ws / CHECK_RUN, head + b"\n" + TYPED.encode(["not a run"]))  # sealed, the right key
    assert check_output(ws, "json") == expected
    write_sealed(ws / CHECK_RUN, head + b"\n" + pickle.dumps(os.getpid))
    assert check_output(ws, "json") == expected


def test_no_whole_answer_is_kept_while_a_file_is_known_by_its_bytes(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")  # every file written just now: compared by its bytes
    expected = check_output(ws, "json", "--no-cache")
    assert check_output(ws, "json") == expected
    assert not (ws / CHECK_RUN).exists()


def test_a_running_24_hour_clock_today_is_never_served_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its findings change by the minute: a run as of today judges it afresh."""
    from datetime import datetime, timedelta

    from conftest import make_ws

    monkeypatch.setattr(cachefile, "RACY_NS", 0)
    aware = (datetime.now() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    text = f"id: HZ-2025-0009\nkind: hazard\naware: {aware}\nhazard: fire\nrisk: emergency\n"
    ws = make_ws(tmp_path, {f"cases/{aware[:4]}/HZ-2025-0009.yaml": text})
    first = run("check", "-w", ws, "-f", "json")
    assert "HZ-2025-0009" in first.stdout
    assert not (ws / CHECK_RUN).exists()
    assert run("check", "-w", ws, "-f", "json").stdout == first.stdout
    assert not (ws / CHECK_RUN).exists()


def test_a_finding_is_kept_as_its_values_and_built_back_whole() -> None:
    """A finding pickles as its values in field order (a kept check answer holds 100,000 of
    them) and is built back equal, every field, through the cache's own unpickler."""
    from dataclasses import fields

    from hcode.core.model import Finding, Unanswered

    every = Finding(
        "6.3", "error", "C-1", "late", "cases/C-1.yaml", 4, 7, date(2024, 1, 2), date(2024, 2, 3),
        "write stage1.late", ("stage1", "responded", 0), True, "hoc-2024", Unanswered("1.1", True), True,
    )  # fmt: skip
    assert all(getattr(every, f.name) != f.default for f in fields(Finding))  # no field left at its default
    bare = Finding("yaml", "warning", "notes.txt", "not read")
    back = TYPED.decode(TYPED.encode([every, bare]))
    assert back == [every, bare] and all(type(f) is Finding for f in back)
    assert pickle.loads(pickle.dumps(every)) == every
