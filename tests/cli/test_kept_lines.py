"""A listing's lines kept beside its answer (:meth:`hcode.store.reader.Store.kept_lines`): ``due`` and
``case list`` lay their table out once for an answer, a width, colours and the rows shown; a
second run with nothing changed writes the kept lines. Whatever was kept, the output is the
output without a cache (tests/store/test_cache_trust.py tampers with them and changes files)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import copy_example, run

AS_OF = "2025-07-31"
LISTINGS = (("due",), ("due", "--all"), ("case", "list"))


@pytest.fixture
def keep_all(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines kept however few the rows (the example's listings are a few dozen rows), and every
    file known by its status however recent (check's findings are kept whole only then)."""
    from hcode.store import cachefile, reader

    monkeypatch.setattr(reader, "KEEP_LINES_FROM", 0)
    monkeypatch.setattr(cachefile, "RACY_NS", 0)


def listed(ws: Path, args: tuple[str, ...], *extra: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = run(*args, "-w", ws, "--as-of", AS_OF, *extra, env=env)
    return result.exit_code, result.stdout, result.stderr


def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tables laid out from now on (``due``'s milestones, ``case list``'s cases)."""
    from hcode.render import listings

    made: list[str] = []

    def counting(name: str, real: Callable[..., list[str]]) -> Callable[..., list[str]]:
        def wrapper(*args: Any, **kwargs: Any) -> list[str]:
            made.append(name)
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(listings, "due_lines", counting("due", listings.due_lines))
    monkeypatch.setattr(listings, "case_lines", counting("case list", listings.case_lines))
    return made


@pytest.mark.usefixtures("keep_all")
def test_a_second_run_writes_the_kept_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = copy_example(tmp_path / "ws")
    made = counted(monkeypatch)
    first = {args: listed(ws, args) for args in LISTINGS}
    assert made == ["due", "due", "case list"]
    assert {p.name for p in (ws / ".hcode-cache").glob("*-lines.txt")} == {
        "due-lines.txt",
        "due-all-lines.txt",
        "case-list-lines.txt",
    }
    made.clear()
    for args in LISTINGS:
        assert listed(ws, args) == first[args]
        assert listed(ws, args, "--no-cache") == first[args]  # (laid out afresh)
    assert made == ["due", "due", "case list"]  # only the runs without the cache laid them out


@pytest.mark.usefixtures("keep_all")
@pytest.mark.parametrize(
    ("extra", "env"),
    [
        ((), {"COLUMNS": "120"}),
        ((), {"COLUMNS": "60"}),
        ((), {"FORCE_COLOR": "1"}),
        (("--limit", "5"), None),
        (("--overdue",), None),
        (("--open",), None),
        (("--year", "2024-25"), None),
    ],
)
def test_lines_kept_for_other_rows_or_another_width_are_not_served(
    tmp_path: Path, extra: tuple[str, ...], env: dict[str, str] | None
) -> None:
    """Lines kept by a plain run are not what a run at another width, in colour or choosing
    other rows prints: each prints what it prints without the cache."""
    ws = copy_example(tmp_path / "ws")
    differ = 0
    for args in LISTINGS:
        plain = listed(ws, args)
        expected = listed(ws, args, *extra, "--no-cache", env=env)
        differ += expected != plain
        assert listed(ws, args, *extra, env=env) == expected, (args, extra, env)
        assert listed(ws, args, *extra, env=env) == expected, (args, extra, env)  # kept, then served
        assert listed(ws, args) == plain  # and the plain run's lines again
    assert differ >= 2  # (``due --open`` lists what ``due`` does) so the comparisons can fail


@pytest.mark.usefixtures("keep_all")
def test_due_within_is_its_own_listing(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    plain = listed(ws, ("due", "--all"))
    for days in ("0", "5", "0"):
        expected = listed(ws, ("due", "--all"), "--within", days, "--no-cache")
        assert expected != plain
        assert listed(ws, ("due", "--all"), "--within", days) == expected


def test_short_listings_are_laid_out_every_time(tmp_path: Path) -> None:
    """Below KEEP_LINES_FROM rows (1,000) nothing is kept: laying them out costs less."""
    ws = copy_example(tmp_path / "ws")
    for args in LISTINGS:
        listed(ws, args)
    assert not list((ws / ".hcode-cache").glob("*-lines.txt"))


def test_lines_are_kept_only_under_an_answers_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No key for the answer this run (no cache, or files that changed as they were read):
    laid out, nothing kept; a line holding a line break: not kept (the kept text is split at
    line breaks)."""
    from hcode.api.workspace import OpenWorkspace, open_store
    from hcode.store import reader

    monkeypatch.setattr(reader, "KEEP_LINES_FROM", 0)
    ws = OpenWorkspace(open_store(copy_example(tmp_path / "ws")))
    kept = ws.root / ".hcode-cache" / "x-lines.txt"
    assert ws.kept_lines("x", 5, [], lambda: ["a", "b"]) == ["a", "b"]
    assert not kept.exists()
    monkeypatch.setitem(ws.store._answer_keys, "x", "k")
    assert ws.kept_lines("x", 5, [], lambda: ["a\nb", "c"]) == ["a\nb", "c"]
    assert not kept.exists()
    assert ws.kept_lines("x", 5, [], lambda: ["a", "", "b"]) == ["a", "", "b"]
    assert kept.exists()
    assert ws.kept_lines("x", 5, [], lambda: pytest.fail("laid out again")) == ["a", "", "b"]
    assert ws.kept_lines("x", 5, ["other"], lambda: ["c"]) == ["c"]
    assert ws.kept_lines("x", 6, [], lambda: ["d"]) == ["d"]
    monkeypatch.setitem(ws.store._answer_keys, "x", "another answer")
    assert ws.kept_lines("x", 5, [], lambda: ["e"]) == ["e"]


def test_rows_shown_name_what_is_kept_of_them() -> None:
    """``DueRows.shown_as``: every row ("all"), a choice of them (a digest of their places), or
    None where a row differs from its kept text (an hours clock worked out as at now)."""
    from hcode.api.due import DueRows

    rows = DueRows.of([{"case": f"C-{n}", "status": "open", "left": n} for n in range(5)])
    assert rows.shown_as() == "all"
    assert rows[:5].shown_as() == "all"
    assert rows[:3].shown_as() not in (None, "all", rows[:4].shown_as())
    assert rows.within(2).shown_as() == rows[:3].shown_as()
    changed = DueRows(rows._kept, None, {0: {"case": "C-0", "status": "overdue", "left": -1}})
    assert changed.shown_as() is None


CASES = ("case", "list")
DUE_ALL = ("due", "--all")


@pytest.mark.usefixtures("keep_all")
@pytest.mark.parametrize(
    ("args", "first", "then"),
    [
        (CASES, ("--category", "anti-social-behaviour"), ("--category", "rent-and-charges")),
        (CASES, ("--category", "staff-conduct"), ("--kind", "hazard")),
        (CASES, ("--stage", "2"), ("--category", "communication")),
        (CASES, ("--open",), ("--stage", "2")),
        (DUE_ALL, ("--category", "staff-conduct"), ("--category", "rent-and-charges")),
        (DUE_ALL, ("--handler", "H-011"), ("--handler", "H-017")),
        (DUE_ALL, ("--year", "2023-24"), ("--category", "damp-and-mould")),
        (DUE_ALL, ("--within", "3"), ("--handler", "H-005")),
        (DUE_ALL, ("--overdue",), ("--handler", "H-003")),
    ],
)
def test_as_many_other_rows_are_their_own_listing(
    tmp_path: Path, args: tuple[str, ...], first: tuple[str, ...], then: tuple[str, ...]
) -> None:
    """Two choices of as many rows (as many lines, and for ``case list`` the same title):
    each prints its own, whichever was kept last."""
    ws = copy_example(tmp_path / "ws")
    one, other = listed(ws, args, *first, "--no-cache"), listed(ws, args, *then, "--no-cache")
    assert one != other and one[1].count("\n") == other[1].count("\n")
    assert one[1].splitlines()[0] == other[1].splitlines()[0]  # one title
    for _ in range(2):
        assert listed(ws, args, *first) == one
        assert listed(ws, args, *then) == other


# -- check: its text and JSON kept for the findings the cache kept and the others as they are ----

CHECKS = (("check",), ("check", "--format", "json"))


def checked(ws: Path, args: tuple[str, ...], *extra: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = run(*args, str(ws), "--as-of", AS_OF, *extra, env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.usefixtures("keep_all")
def test_check_keeps_its_text_and_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hcode.render import output

    ws = copy_example(tmp_path / "ws")
    first = {args: checked(ws, args) for args in CHECKS}
    assert first[CHECKS[0]][0] == 1  # the example has findings
    assert {"check-run-text-lines.txt", "check-run-json-lines.txt"} <= {
        p.name for p in (ws / ".hcode-cache").glob("*-lines.txt")
    }
    monkeypatch.setattr(output, "text_lines", lambda *a, **k: pytest.fail("laid out again"))
    monkeypatch.setattr(output, "to_json", lambda *a, **k: pytest.fail("laid out again"))
    for args in CHECKS:
        assert checked(ws, args) == first[args]


@pytest.mark.usefixtures("keep_all")
@pytest.mark.parametrize(
    ("extra", "env"),
    [
        (("--rule", "assessment"), None),
        (("--case", "C-2024-0001"), None),
        (("--year", "2024-25"), None),
        (("--fail-on", "warning"), None),
        ((), {"FORCE_COLOR": "1"}),
        ((), {"TTY_COMPATIBLE": "1", "COLUMNS": "100"}),
        ((), {"TTY_COMPATIBLE": "1", "COLUMNS": "70"}),
        (("--soon", "9"), None),
    ],
)
def test_check_kept_for_other_findings_or_another_layout_is_not_served(
    tmp_path: Path, extra: tuple[str, ...], env: dict[str, str] | None
) -> None:
    ws = copy_example(tmp_path / "ws")
    for args in CHECKS:
        plain = checked(ws, args)
        expected = checked(ws, args, *extra, "--no-cache", env=env)
        for _ in range(2):
            assert checked(ws, args, *extra, env=env) == expected, (args, extra, env)
        assert checked(ws, args) == plain


@pytest.mark.usefixtures("keep_all")
def test_check_kept_is_not_served_once_another_file_changes_what_it_finds(tmp_path: Path) -> None:
    """A self-assessment changed (its findings are not the case files' the cache keeps: as
    many findings, or one more), or a baseline: each run prints what it prints without the
    cache."""
    ws = copy_example(tmp_path / "ws")
    form = ws / "assessments" / "2024-25.yaml"
    overdue = "        owner: Complaints Officer\n        due: 2025-06-30\n"
    assert overdue in form.read_text()  # an action overdue: a warning that names its date
    for old, new in ((overdue, overdue.replace("06-30", "06-27")), ("comply: yes", "comply: no")):
        before = {args: checked(ws, args) for args in CHECKS}
        form.write_text(form.read_text().replace(old, new, 1))
        for args in CHECKS:
            expected = checked(ws, args, "--no-cache")
            assert expected != before[args]
            assert checked(ws, args) == expected
            assert checked(ws, args) == expected
    assert run("baseline", "-w", ws, "--as-of", AS_OF, "-o", ws / "base.json").exit_code == 0
    for args in CHECKS:
        expected = checked(ws, args, "--baseline", str(ws / "base.json"), "--no-cache")
        assert checked(ws, args, "--baseline", str(ws / "base.json")) == expected
