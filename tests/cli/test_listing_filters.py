"""``hcode due`` and ``hcode case list`` filters: --open, --overdue, --year (received in),
--category, --handler, --kind, each alone and together, in every output format and through the
library; unknown values are usage errors naming the values allowed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import make_ws, run

AS_OF = "2025-03-31"

FILES = {
    # settled: stage 1 answered late (missed), received in 2024-25
    "cases/2024/C-2024-0012.yaml": """\
        id: C-2024-0012
        kind: complaint
        received: 2024-07-08
        category: damp-and-mould
        stage1:
          acknowledged: 2024-07-10
          definition: Damp and mould in the bedroom not treated after inspection.
          handler: H-022
          responded: 2024-07-29
          outcome: upheld
        """,
    # stage 1 response overdue on 31 March 2025 (handler H-001)
    "cases/2025/C-2025-0001.yaml": """\
        id: C-2025-0001
        kind: complaint
        received: 2025-03-03
        category: repairs
        stage1:
          acknowledged: 2025-03-04
          definition: Boiler not repaired.
          handler: H-001
        """,
    # not yet acknowledged; its category written as the display name; received in 2024-25
    "cases/2025/C-2025-0002.yaml": """\
        id: C-2025-0002
        kind: complaint
        received: 2025-03-28
        category: Damp and mould
        """,
    # escalated: stage 1 by H-001, stage 2 open with H-003; received in 2023-24
    "cases/2024/C-2024-0001.yaml": """\
        id: C-2024-0001
        kind: complaint
        received: 2024-03-01
        category: staff-conduct
        stage1:
          acknowledged: 2024-03-04
          definition: Rude call handler.
          handler: H-001
          responded: 2024-03-12
          outcome: not-upheld
        stage2:
          requested: 2025-03-24
          acknowledged: 2025-03-25
          definition: Rude call handler, stage 2.
          handler: H-003
        """,
    # a service request, not yet put right
    "cases/2024/S-2024-0001.yaml": """\
        id: S-2024-0001
        kind: service-request
        received: 2024-05-01
        category: estate-services
        """,
}


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Read only: every test here lists, none writes a case file."""
    return make_ws(tmp_path_factory.mktemp("filters"), FILES)


def due(ws: Path, *args: str) -> list[tuple[str, str, str]]:
    result = run("due", ws, "--as-of", AS_OF, "--format", "json", *args)
    assert result.exit_code == 0, result.stdout + result.stderr
    return [(r["case"], r["event"], r["status"]) for r in result.json()["milestones"]]


def listed(ws: Path, *args: str) -> list[str]:
    result = run("case", "list", "-w", ws, "--as-of", AS_OF, "--format", "json", *args)
    assert result.exit_code == 0, result.stdout + result.stderr
    return [r["case"] for r in result.json()["cases"]]


def cases(rows: list[tuple[str, str, str]]) -> set[str]:
    return {c for c, _, _ in rows}


def test_due_rows_carry_what_the_filters_choose_by(ws: Path) -> None:
    doc = run("due", ws, "--as-of", AS_OF, "--all", "--format", "json").json()
    by = {(r["case"], r["stage"], r["event"]): r for r in doc["milestones"]}
    s2 = by[("C-2024-0001", 2, "respond")]
    assert (s2["kind"], s2["received"], s2["category"], s2["handler"]) == (
        "complaint",
        "2024-03-01",
        "staff-conduct",
        "H-003",
    )
    assert by[("C-2024-0001", 1, "respond")]["handler"] == "H-001"  # the handler of the row's stage
    assert by[("C-2025-0002", 1, "acknowledge")]["handler"] is None
    assert by[("C-2025-0002", 1, "acknowledge")]["category"] == "Damp and mould"  # as written
    rows = run("case", "list", "-w", ws, "--as-of", AS_OF, "--format", "json").json()["cases"]
    assert {r["case"]: r["handler"] for r in rows} == {
        "C-2024-0001": "H-003",  # the current stage's
        "S-2024-0001": None,
        "C-2024-0012": "H-022",
        "C-2025-0001": "H-001",
        "C-2025-0002": None,
    }


def test_due_each_filter(ws: Path) -> None:
    everything = due(ws, "--all")
    assert cases(everything) == {"C-2024-0012", "C-2025-0001", "C-2025-0002", "C-2024-0001"}
    assert due(ws, "--overdue") == [("C-2025-0001", "respond", "overdue")]
    assert due(ws, "--all", "--overdue") == [("C-2025-0001", "respond", "overdue")]
    # --open is the default listing; with --all it leaves out what was met or missed
    assert due(ws, "--all", "--open") == due(ws)
    assert {s for _, _, s in due(ws, "--all", "--open")} <= {"open", "due-soon", "overdue"}
    assert len(due(ws, "--all", "--open")) < len(everything)
    assert cases(due(ws, "--all", "--year", "2024-25")) == {"C-2024-0012", "C-2025-0001", "C-2025-0002"}
    assert cases(due(ws, "--all", "--year", "2023-24")) == {"C-2024-0001"}
    assert due(ws, "--year", "2022-23") == []
    # a category by slug or display name, in any case, matches both spellings in case files
    damp = cases(due(ws, "--all", "--category", "damp-and-mould"))
    assert damp == {"C-2024-0012", "C-2025-0002"}
    assert cases(due(ws, "--all", "--category", "DAMP AND MOULD")) == damp
    assert cases(due(ws, "--all", "--category", "repairs", "--category", "staff-conduct")) == {
        "C-2025-0001",
        "C-2024-0001",
    }
    assert due(ws, "--all", "--handler", "H-003") == [
        ("C-2024-0001", "respond", "open"),
        ("C-2024-0001", "acknowledge", "met"),
    ]
    # stage 1 of C-2024-0001 was H-001's: its rows are chosen by H-001, its stage 2 rows are not
    assert due(ws, "--all", "--handler", "H-001") == [
        ("C-2025-0001", "respond", "overdue"),
        ("C-2024-0001", "acknowledge", "met"),
        ("C-2024-0001", "respond", "met"),
        ("C-2025-0001", "acknowledge", "met"),
    ]
    assert due(ws, "--all", "--handler", "H-999") == []
    assert due(ws, "--kind", "service-request") == []  # a service request has no clock
    assert cases(due(ws, "--all", "--kind", "complaint")) == cases(everything)


def test_due_filters_combine(ws: Path) -> None:
    assert cases(due(ws, "--all", "--year", "2024-25", "--category", "damp-and-mould")) == {
        "C-2024-0012",
        "C-2025-0002",
    }
    assert due(ws, "--year", "2024-25", "--category", "damp-and-mould") == [
        ("C-2025-0002", "acknowledge", "open"),
        ("C-2025-0002", "respond", "open"),
    ]
    assert due(ws, "--overdue", "--handler", "H-001", "--kind", "complaint") == [("C-2025-0001", "respond", "overdue")]
    assert due(ws, "--overdue", "--handler", "H-003") == []
    assert due(ws, "--overdue", "--year", "2023-24") == []
    assert due(ws, "--within", "0", "--handler", "H-001") == [("C-2025-0001", "respond", "overdue")]


def test_case_list_each_filter_and_combinations(ws: Path) -> None:
    assert listed(ws) == ["C-2024-0001", "S-2024-0001", "C-2024-0012", "C-2025-0001", "C-2025-0002"]
    assert listed(ws, "--open") == ["C-2024-0001", "S-2024-0001", "C-2025-0001", "C-2025-0002"]
    assert listed(ws, "--overdue") == ["C-2025-0001"]
    assert listed(ws, "--year", "2024-25") == ["S-2024-0001", "C-2024-0012", "C-2025-0001", "C-2025-0002"]
    assert listed(ws, "--year", "2023-24") == ["C-2024-0001"]
    assert listed(ws, "--category", "Damp and Mould") == ["C-2024-0012", "C-2025-0002"]
    assert listed(ws, "--handler", "H-001") == ["C-2025-0001"]  # C-2024-0001 is with H-003 at stage 2
    assert listed(ws, "--handler", "H-003", "--handler", "H-022") == ["C-2024-0001", "C-2024-0012"]
    assert listed(ws, "--kind", "service-request") == ["S-2024-0001"]
    assert listed(ws, "--kind", "hazard") == []
    assert listed(ws, "--open", "--kind", "complaint", "--year", "2024-25") == ["C-2025-0001", "C-2025-0002"]
    assert listed(ws, "--open", "--category", "damp-and-mould") == ["C-2025-0002"]
    assert listed(ws, "--stage", "2", "--handler", "H-003") == ["C-2024-0001"]
    assert listed(ws, "--stage", "1", "--handler", "H-003") == []


def test_text_output_lists_the_same_rows(ws: Path) -> None:
    text = run("case", "list", "-w", ws, "--as-of", AS_OF, "--overdue").stdout
    assert text.splitlines()[0] == "Test Homes: 1 case"
    assert "C-2025-0001" in text and "C-2025-0002" not in text
    table = run("due", ws, "--as-of", AS_OF, "--all", "--category", "damp-and-mould")
    assert table.exit_code == 0
    assert "C-2024-0012" in table.stdout and "C-2025-0002" in table.stdout
    assert "C-2025-0001" not in table.stdout and "C-2024-0001" not in table.stdout
    none = run("due", ws, "--as-of", AS_OF, "--handler", "H-999")
    assert none.exit_code == 0 and none.stdout.strip() == f"Nothing open as of {AS_OF}."


@pytest.mark.parametrize("command", [("due",), ("case", "list", "-w")])
def test_unknown_values_are_usage_errors_naming_the_allowed(ws: Path, command: tuple[str, ...]) -> None:
    bad_kind = run(*command, ws, "--kind", "hazzard")
    assert bad_kind.exit_code == 2
    assert "'hazzard' is not a kind of case: complaint, service-request, hazard" in bad_kind.stderr
    bad_category = run(*command, ws, "--category", "plumbing")
    assert bad_category.exit_code == 2
    assert "'plumbing' is not one of the workspace's categories: repairs, damp-and-mould" in bad_category.stderr
    bad_year = run(*command, ws, "--year", "2024-26")
    assert bad_year.exit_code == 2 and "2024-26" in bad_year.stderr
    assert run(*command, ws, "--overdue", "--format", "json").exit_code == 0


def test_categories_declared_by_the_workspace(tmp_path: Path) -> None:
    config = "hcode: 1\nlandlord: Test Homes\nhomes: 100\ncategories:\n  leaks: Leaks and water\n  noise: Noise\n"
    case = "id: C-2025-0001\nkind: complaint\nreceived: 2025-03-03\ncategory: leaks\n"
    ws = make_ws(tmp_path, {"cases/2025/C-2025-0001.yaml": case}, config=config)
    assert listed(ws, "--category", "Leaks and water") == ["C-2025-0001"]
    assert listed(ws, "--category", "noise") == []
    refused = run("case", "list", "-w", ws, "--category", "repairs")
    assert refused.exit_code == 2 and "categories: leaks, noise" in refused.stderr


def test_hazard_kind(tmp_path: Path) -> None:
    hazard = """\
        id: HZ-2025-0001
        kind: hazard
        aware: 2025-11-03T16:40
        hazard: damp-and-mould
        risk: significant
        tenure: lcra
        """
    ws = make_ws(tmp_path, {**FILES, "cases/2025/HZ-2025-0001.yaml": hazard})
    assert listed(ws, "--kind", "hazard") == ["HZ-2025-0001"]
    assert listed(ws, "--kind", "hazard", "--overdue") == []
    assert "HZ-2025-0001" not in listed(ws, "--kind", "complaint", "--kind", "service-request")
    doc = run("due", ws, "--as-of", "2025-11-10", "--format", "json", "--kind", "hazard").json()
    rows = doc["milestones"]
    assert rows and all(r["case"] == "HZ-2025-0001" and r["hazard"] and r["kind"] == "hazard" for r in rows)
    assert [r["event"] for r in rows] == ["investigate"]
    assert rows[0]["received"] == "2025-11-03" and rows[0]["handler"] is None
    assert run("due", ws, "--as-of", "2025-11-10", "--format", "json", "--kind", "complaint").json()["milestones"]
    later = run("due", ws, "--as-of", "2025-11-20", "--format", "json", "--kind", "hazard", "--overdue").json()
    assert [(r["case"], r["event"], r["status"]) for r in later["milestones"]] == [
        ("HZ-2025-0001", "investigate", "overdue")
    ]


def test_library_selection(ws: Path) -> None:
    import hcode
    from hcode.api.errors import ParameterError

    opened = hcode.open_workspace(ws)
    day = date.fromisoformat(AS_OF)
    chosen = opened.selection(overdue=True, handlers=["H-001"])
    items = list(opened.due(as_of=day, chosen=chosen))
    assert [(i.case, i.event, i.handler, i.kind) for i in items] == [("C-2025-0001", "respond", "H-001", "complaint")]
    assert [i.row() for i in items] == run("due", ws, "--as-of", AS_OF, "--overdue", "--format", "json").json()[
        "milestones"
    ]  # the typed rows print as the JSON rows do
    rows = opened.cases(as_of=day, chosen=opened.selection(year="2023-24")).rows
    assert [(r.case, r.handler) for r in rows] == [("C-2024-0001", "H-003")]
    with pytest.raises(ParameterError, match="not a kind of case"):
        opened.selection(kinds=["hazzard"])
