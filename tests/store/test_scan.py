"""check at scale: the same findings with or without the cache and with any number of workers."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

import hcode.store.scan
from conftest import ROOT, case_yaml, run
from hcode.store.cachefile import read_sealed, write_sealed

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big") / "ws"
    generate(root, 400)
    return root


def cache_doc(ws: Path) -> dict[str, Any]:
    """The cache's contents (its seal checked)."""
    body = read_sealed(ws / ".hcode-cache" / "check.json")
    assert body is not None
    doc: dict[str, Any] = json.loads(body)
    return doc


def check(ws: Path, *args: str) -> str:
    result = run("check", ws, "--as-of", "2025-07-31", "--format", "json", *args)
    assert result.exit_code == 1
    return result.stdout


def test_same_findings_with_one_or_many_workers_and_with_cache(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    baseline = check(big, "--no-cache", "--workers", "1")
    assert json.loads(baseline)["summary"]["files"] == 402
    monkeypatch.setattr(hcode.store.scan, "PARALLEL_FROM", 10)
    assert check(big, "--no-cache", "--workers", "2") == baseline
    assert check(big, "--no-cache", "--workers", "3") == baseline
    assert not (big / ".hcode-cache").exists()
    assert check(big) == baseline  # fills the cache
    cache = cache_doc(big)
    assert 0 < len(cache["value"]) <= 400
    assert check(big) == baseline  # served from the cache
    assert check(big, "--workers", "2") == baseline


def test_cache_is_used_and_settled_cases_only(big: Path) -> None:
    check(big)
    from datetime import date

    from hcode.store.reader import Store

    store = Store.open(big)
    ctx = store.context(date(2025, 7, 31))
    again = hcode.store.scan.check_cases(big, ctx, workers=1)
    cache = cache_doc(big)
    assert again.from_cache == len(cache["value"])
    assert all(entry[2] <= "2025-07-31" or entry[2] == "=2025-07-31/2" for entry in cache["value"].values())
    # an earlier --as-of cannot use entries settled after it
    early = store.context(date(2019, 9, 1))
    assert hcode.store.scan.check_cases(big, early, workers=1).from_cache < again.from_cache


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    generate(ws, 30)
    path = sorted((ws / "cases").rglob("*.yaml"))[5]
    first = check(ws)
    text = path.read_text()
    path.write_text(text.replace("received:", "recieved:"))
    changed = json.loads(check(ws))
    assert any(f["file"].endswith(path.name) and f["rule"] == "schema" for f in changed["findings"])
    path.write_text(text)
    assert check(ws) == first


def test_settings_change_invalidates_the_cache(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    generate(ws, 30)
    check(ws)
    key = cache_doc(ws)["key"]
    config = ws / "hcode.yaml"
    config.write_text(config.read_text().replace("closures: [", "closures: [2023-01-03, "))
    check(ws)
    assert cache_doc(ws)["key"] != key
    assert check(ws) == check(ws, "--no-cache")


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b'{"key": 1}',
        b'{"key": "x", "files": []}',
        b"\xff\xfe",
        b'{"files": {"a": [1]}}',
    ],
)
def test_a_corrupt_cache_is_ignored(tmp_path: Path, content: bytes) -> None:
    ws = tmp_path / "ws"
    generate(ws, 30)
    expected = check(ws, "--no-cache")
    (ws / ".hcode-cache").mkdir()
    (ws / ".hcode-cache" / "check.json").write_bytes(content)
    assert check(ws) == expected
    assert check(ws) == expected
    # the same damage behind a valid seal (as if hcode itself had written it) changes nothing
    write_sealed(ws / ".hcode-cache" / "check.json", content)
    assert check(ws) == expected


def test_a_tampered_cache_entry_with_the_right_key_is_rechecked_if_malformed(
    tmp_path: Path,
) -> None:
    ws = tmp_path / "ws"
    generate(ws, 30)
    expected = check(ws)
    path = ws / ".hcode-cache" / "check.json"
    doc = cache_doc(ws)
    for entry in doc["value"].values():
        entry[3] = [["only", "three", "fields"]]
    write_sealed(path, json.dumps(doc).encode())
    assert check(ws) == expected


def test_holiday_cache_matches_the_package(tmp_path: Path) -> None:
    from datetime import date

    from hcode.core.calendar import uk_bank_holidays

    source = hcode.store.scan.cached_holidays(tmp_path, "england-and-wales")
    first = source([2022, 2023])
    assert (tmp_path / ".hcode-cache" / "holidays-england-and-wales.json").exists()
    again = source([2022, 2023])
    assert first == again == dict(uk_bank_holidays("england-and-wales")([2022, 2023]))
    assert first[date(2022, 9, 19)] == "State Funeral of Queen Elizabeth II"


def test_due_reads_only_unsettled_cases_and_misses_nothing(tmp_path: Path) -> None:

    ws = tmp_path / "ws"
    generate(ws, 60)
    (ws / "cases" / "2025" / "C-OPEN-1.yaml").write_text(case_yaml("2025-07-21").replace("C-1", "C-OPEN-1"))
    (ws / "cases" / "2025" / "C-OPEN-2.yaml").write_text(
        case_yaml("2025-07-01", {"acknowledged": "2025-07-02"}).replace("C-1", "C-OPEN-2")
    )

    def due(*extra: str) -> list[dict[str, object]]:
        result = run("due", ws, "--as-of", "2025-07-31", "--format", "json", *extra)
        assert result.exit_code == 0, result.stderr
        rows: list[dict[str, object]] = result.json()["milestones"]
        return rows

    everything = [r for r in due("--all") if r["status"] in ("overdue", "due-soon", "open")]
    assert {r["case"] for r in everything} == {"C-OPEN-1", "C-OPEN-2"}
    assert due("--no-cache") == everything
    check(ws)  # fills the cache
    assert due() == everything


EVERY_COMMAND: list[tuple[str, ...]] = [
    ("check", "{ws}", "--format", "json"),
    ("due", "{ws}", "--format", "json"),
    ("due", "{ws}", "--all", "--format", "json"),
    ("due", "{ws}", "--all"),
    ("case", "list", "-w", "{ws}", "--format", "json"),
    ("case", "list", "-w", "{ws}", "--open", "--stage", "2"),
    ("report", "annual", "{ws}", "--year", "2024-25", "-f", "json"),
    ("report", "annual", "{ws}", "--year", "2024-25", "-f", "md"),
    ("report", "tsm", "{ws}", "--year", "2024-25", "-f", "md"),
    ("export", "{ws}", "-f", "csv"),
    ("export", "{ws}", "-f", "jsonl"),
]


@pytest.mark.parametrize("template", EVERY_COMMAND, ids=" ".join)
def test_every_command_answers_the_same_with_any_workers_and_with_or_without_cache(
    big: Path, template: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    monkeypatch.setattr(hcode.store.scan, "PARALLEL_FROM", 10)
    args = [a.format(ws=big) for a in template] + ["--as-of", "2025-07-31"]

    def answer(*extra: str) -> tuple[int, str, str]:
        result = run(*args, *extra)
        return result.exit_code, result.stdout, result.stderr

    shutil.rmtree(big / ".hcode-cache", ignore_errors=True)
    expected = answer("--no-cache", "--workers", "1")
    assert expected[0] in (0, 1) and expected[1]
    for workers in ("2", "3"):
        assert answer("--no-cache", "--workers", workers) == expected
    assert answer("--workers", "2") == expected  # fills the cache
    assert answer("--workers", "1") == expected  # from the cache
    assert answer("--workers", "3") == expected


def test_answers_come_from_the_cache_until_a_case_file_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hcode.store.reader import Store

    ws = tmp_path / "ws"
    generate(ws, 40)
    args = ("case", "list", "-w", ws, "--format", "json", "--as-of", "2025-07-31")
    first = run(*args).stdout

    def no_reading(self: Store, ctx: object, mapper: object = None, listed: object = None) -> None:
        raise AssertionError("read the cases again")

    monkeypatch.setattr(Store, "_read_cases", no_reading)
    assert run(*args).stdout == first
    path = sorted((ws / "cases").rglob("*.yaml"))[3]
    text = path.read_text()
    path.write_text(text + "# edited\n")
    with pytest.raises(AssertionError, match="read the cases again"):
        run(*args)
    path.write_text(text)
    assert run(*args).stdout == first
    with pytest.raises(AssertionError, match="read the cases again"):
        run(*args[:-2], "--as-of", "2025-08-01")  # another date is another answer


def test_a_remedy_action_keeps_a_case_open_only_while_it_has_a_due_date(tmp_path: Path) -> None:
    """Settled cases are served from the cache; a remedy action not done keeps its case out
    only when it has a due date (with none, nothing about the case changes with the date)."""
    from datetime import date

    from conftest import make_ws
    from hcode.store.reader import Store

    closed = (
        "id: {id}\nkind: complaint\nreceived: 2024-05-01\ncategory: repairs\n"
        "stage1:\n  acknowledged: 2024-05-02\n  definition: Leak\n  responded: 2024-05-10\n  outcome: upheld\n"
        "remedy:\n  actions:\n    - {{action: Replace the seals{due}}}\n"
    )
    ws = make_ws(
        tmp_path / "ws",
        {
            "cases/2024/C-2024-0001.yaml": closed.format(id="C-2024-0001", due=""),
            "cases/2024/C-2024-0002.yaml": closed.format(id="C-2024-0002", due=", due: 2024-06-28"),
        },
    )
    ctx = Store.open(ws).context(date(2025, 7, 31))
    first = hcode.store.scan.check_cases(ws, ctx, workers=1)
    again = hcode.store.scan.check_cases(ws, ctx, workers=1)
    assert again.findings == first.findings
    assert [f.rule for f in again.findings if f.rule == "case.remedy-overdue"] == ["case.remedy-overdue"]
    assert again.from_cache == 2 and again.unsettled == ["cases/2024/C-2024-0002.yaml"]  # the same day: both
    next_day = hcode.store.scan.check_cases(ws, Store.open(ws).context(date(2025, 8, 1)), workers=1)
    assert next_day.findings == first.findings
    assert next_day.from_cache == 1 and next_day.unsettled == ["cases/2024/C-2024-0002.yaml"]


def test_a_case_result_comes_back_from_a_worker_whole() -> None:
    """Results travel back from the worker processes as plain tuples: every field of the result
    and of each finding (none left at its default here) comes back equal."""
    import dataclasses
    import pickle
    from datetime import date

    from hcode.core.model import Finding, Unanswered
    from hcode.store.scan import CaseResult, _Batch

    values: dict[str, Any] = {
        "rule": "6.1",
        "severity": "warning",
        "subject": "C-1",
        "message": "late",
        "file": "cases/2024/C-1.yaml",
        "line": 3,
        "column": 5,
        "due": date(2024, 5, 1),
        "actual": date(2024, 5, 9),
        "hint": "write the reason",
        "path": ("stage1", "responded"),
        "key": True,
        "edition": "2024",
        "unanswered": Unanswered("6.1", not_started=True),
        "recorded": True,
    }
    names = [f.name for f in dataclasses.fields(Finding)]
    assert sorted(names) == sorted(values)  # a new field of Finding is added above too
    finding = Finding(**values)
    result = CaseResult("cases/2024/C-1.yaml", "abc", "C-1", "2024-06-01", [finding], {"row": 1}, ["e"], ("C-2",), "s")
    back = pickle.loads(pickle.dumps(result))
    assert [getattr(back, f.name) for f in dataclasses.fields(CaseResult)] == [
        getattr(result, f.name) for f in dataclasses.fields(CaseResult)
    ]
    assert back.findings[0] == finding and back.findings[0] is not finding
    # a worker's batch comes back as columns: each result whole, its own findings in its own list
    other = Finding(**{**values, "line": 7, "unanswered": None, "due": None})
    batch = [
        result,
        CaseResult("cases/a.yaml", None, None, None, [other, finding]),
        CaseResult("cases/b.yaml", "d", "C-3", None, []),
        CaseResult("cases/c.yaml", None, "C-4", "=2025-01-01/2", [other], stamp="t"),
    ]
    sent = pickle.loads(pickle.dumps(_Batch(batch)))
    assert type(sent) is list and len(sent) == len(batch)
    for got, want in zip(sent, batch, strict=True):
        assert [getattr(got, f.name) for f in dataclasses.fields(CaseResult)] == [
            getattr(want, f.name) for f in dataclasses.fields(CaseResult)
        ]
    assert sent[1].findings is not sent[3].findings and pickle.loads(pickle.dumps(_Batch())) == []


def test_a_large_scan_freezes_what_it_read_and_leaves_collection_as_it_was(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From FREEZE_FROM files the scan's objects are moved out of the collector's sight
    (gc.freeze): the same answer either way, and collection left on or off as it was."""
    import gc

    def listing() -> str:
        result = run("case", "list", "-w", big, "--as-of", "2025-07-31", "--no-cache", "--workers", "1")
        assert result.exit_code == 0
        return result.stdout

    was = gc.isenabled()
    gc.enable()
    monkeypatch.setattr(hcode.store.scan, "FREEZE_FROM", 10**9)
    gc.unfreeze()
    try:
        before = listing()
        assert gc.get_freeze_count() == 0 and gc.isenabled()
        monkeypatch.setattr(hcode.store.scan, "FREEZE_FROM", 10)
        assert listing() == before
        assert gc.get_freeze_count() > 0 and gc.isenabled()
    finally:
        gc.unfreeze()
        if not was:
            gc.disable()


# What only the strict reader refuses or reads exactly (the fast reader of the worker processes
# must step aside for each): every command then names the same files, lines and values.
ODD_FILES = {
    "Z-at.yaml": "id: Z-at\nkind: complaint\nreceived: 2025-01-06\ncategory: @repairs\nchannel: phone\n",
    "Z-tick.yaml": "id: Z-tick\nkind: complaint\nreceived: 2025-01-06\ncategory: `repairs\nchannel: phone\n",
    "Z-brace.yaml": "id: Z-brace\nkind: complaint\nreceived: 2025-01-06\n}category: repairs\nchannel: phone\n",
    "Z-ctrl.yaml": "id: Z-ctrl\nkind: complaint\nreceived: 2025-01-06\ncategory: repairs\x7f\nchannel: phone\n",
    "Z-key.yaml": 'id: Z-key\nkind: complaint\n"received: 2025-01-06\n  category": repairs\nchannel: phone\n',
    "Z-empty.yaml": "id: Z-empty\nkind: complaint\nreceived: 2025-01-06\ncategory: repairs\nchannel: phone\n: x\n",
    "Z-big.yaml": "id: Z-big\nkind: complaint\nreceived: 2025-01-06\ncategory: repairs\nchannel: phone\n"
    "x-crm-ref: 123456789012345678901234567890\n",
}


@pytest.mark.parametrize("template", [EVERY_COMMAND[0], EVERY_COMMAND[4], EVERY_COMMAND[10]], ids=" ".join)
def test_files_only_the_strict_reader_reads_exactly_answer_the_same_in_worker_processes(
    tmp_path: Path, template: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = tmp_path / "ws"
    generate(ws, 30)
    for name, text in ODD_FILES.items():
        (ws / "cases" / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(hcode.store.scan, "PARALLEL_FROM", 5)
    args = [a.format(ws=ws) for a in template] + ["--as-of", "2025-07-31", "--no-cache"]

    def answer(workers: str) -> tuple[int, str, str]:
        result = run(*args, "--workers", workers)
        return result.exit_code, result.stdout, result.stderr

    expected = answer("1")
    assert expected[0] in (0, 1, 3)  # case list lists the readable cases and names the others
    named = expected[1] + expected[2]
    for name in ODD_FILES:
        if name != "Z-big.yaml":  # read, with its reference as written
            assert f"cases/{name}" in named, name
    assert answer("2") == expected


def test_a_scan_that_keeps_nothing_finds_the_same_without_fingerprints(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check without the cache works out neither the files' fingerprints nor when their
    findings settle (only the cache needs them): the same findings and problems, in one process
    or several; the cache cannot be used without them."""
    from datetime import date

    from hcode.store.reader import Store
    from hcode.store.scan import scan

    store = Store.open(big, use_cache=False)
    ctx = store.context(date(2025, 7, 31), None)
    full = scan(big, ctx, use_cache=False, workers=1)
    lean = scan(big, ctx, use_cache=False, workers=1, settle=False)
    assert len(full.seen) == full.case_files and all(full.seen.values())
    assert lean.findings == full.findings and lean.problems == full.problems and lean.case_files == full.case_files
    assert lean.unsettled == [] and lean.seen == {}
    monkeypatch.setattr(hcode.store.scan, "PARALLEL_FROM", 10)
    assert scan(big, ctx, use_cache=False, workers=2, settle=False).findings == full.findings
    with pytest.raises(ValueError):
        scan(big, ctx, settle=False)
