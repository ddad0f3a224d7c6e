"""A remedy action in ``hcode due`` and ``case.remedy-overdue`` names the provision of the edition
that judges the complaint (``code: auto``: the one in force when it was received), read from the
catalogues in provisions/:

* hoc-2024 7.3: "Any remedy proposed must be followed through to completion."
* hoc-2022 6.5: the same words ("The remedy offer must clearly set out what will happen and by
  when ... Any remedy proposed must be followed through to completion.").
* hoc-2020: the self-assessment form's questions are that edition's provisions, and none asks it
  (7.1 asks only "Where something has gone wrong are we taking appropriate steps to put things
  right?"): the row names the rule, ``case.remedy-overdue``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import hcode
from conftest import copy_example, run

CASE = """\
id: {id}
kind: complaint
received: {received}
category: damp-and-mould
stage1:
  acknowledged: {received}
  definition: Mould in the bathroom; wants it treated.
  handler: H-001
  responded: {received}
  outcome: upheld
remedy:
  compensation: 50
  actions:
    - {{action: Treat the mould, due: 2025-08-05}}
    - {{action: Redecorate the bathroom, due: 2025-07-01, done: 2025-08-01}}
"""

# received on a Monday in each edition's time (hoc-2020 from 1 September 2020, hoc-2022 from 1 April
# 2022, hoc-2024 from 1 April 2024): the edition, and the provision the remedy rows name
EDITIONS = [
    ("C-2021-0901", "2021-05-10", "hoc-2020", "case.remedy-overdue"),
    ("C-2023-0901", "2023-05-08", "hoc-2022", "6.5"),
    ("C-2025-0901", "2025-05-12", "hoc-2024", "7.3"),
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = copy_example(tmp_path_factory.mktemp("remedy") / "ws")
    for case_id, received, _, _ in EDITIONS:
        folder = ws / "cases" / case_id[2:6]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{case_id}.yaml").write_text(CASE.format(id=case_id, received=received), "utf-8")
    return ws


@pytest.mark.parametrize(("case_id", "received", "edition", "provision"), EDITIONS)
def test_remedy_rows_name_the_judging_editions_provision(
    workspace: Path, case_id: str, received: str, edition: str, provision: str
) -> None:
    w = hcode.open_workspace(workspace, use_cache=False)
    # 31 July 2025, a Thursday: action 1 is due on Tuesday 5 August (3 working days left); action
    # 2 was due on 1 July and was done on 1 August, after the as-of day: still to do on 31 July
    rows = [r for r in w.due(as_of=date(2025, 7, 31)).rows() if r["case"] == case_id]
    assert [(r["action"], r["provision"], r["edition"], r["due"], r["status"], r["left"]) for r in rows] == [
        (2, provision, edition, "2025-07-01", "overdue", -22),
        (1, provision, edition, "2025-08-05", "open", 3),
    ]
    # once done (as of 1 August) action 2 is no longer listed
    later = [r["action"] for r in w.due(as_of=date(2025, 8, 1)).rows() if r["case"] == case_id]
    assert later == [1]


@pytest.mark.parametrize(("case_id", "received", "edition", "provision"), EDITIONS)
def test_remedy_overdue_message_names_the_same_provision(
    workspace: Path, case_id: str, received: str, edition: str, provision: str
) -> None:
    found = [
        f
        for f in hcode.open_workspace(workspace, use_cache=False).check(as_of=date(2025, 7, 31)).findings
        if f.subject == case_id and f.rule == "case.remedy-overdue"
    ]
    why = "(a remedy must be followed through)" if provision == "case.remedy-overdue" else f"(Code {provision}: "
    assert [(f.path, why in f.message) for f in found] == [(("remedy", "actions", 1, "due"), True)]


@pytest.mark.parametrize(("case_id", "received", "edition", "provision"), EDITIONS)
def test_case_show_names_the_same_provision(
    workspace: Path, case_id: str, received: str, edition: str, provision: str
) -> None:
    out = run("case", "show", case_id, "--workspace", workspace, "--as-of", "2025-07-31").stdout
    heading = "  Remedy:" if provision == "case.remedy-overdue" else f"  Remedy (Code {provision}):"
    assert heading + "\n" in out
    assert "Code 7.3" not in out or provision == "7.3"
    assert "action 1: Treat the mould (due 2025-08-05; not done yet)" in out
    assert (
        "action 2: Redecorate the bathroom (due 2025-07-01; NOT DONE, overdue as of 2025-07-31 "
        "(the done date 2025-08-01 is after 2025-07-31))" in out
    )
    later = run("case", "show", case_id, "--workspace", workspace, "--as-of", "2025-08-01").stdout
    assert "action 2: Redecorate the bathroom (due 2025-07-01; done 2025-08-01)" in later


# -- a remedy is offered by a response: not listed (nor warned about) before it is known ---------


def _remedy_rows(ws: Path, as_of: str) -> list[tuple[str, int, str, str, int]]:
    rows = hcode.open_workspace(ws, use_cache=False).due(as_of=date.fromisoformat(as_of)).rows()
    return [(r["case"], r["action"], r["due"], r["status"], r["left"]) for r in rows if r["event"] == "remedy"]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("remedy-example") / "ws")


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # before any of the three complaints with a remedy was answered (C-2024-0005 received
        # 15 April 2024, answered 29 April; C-2024-0020 received 4 November 2024)
        ("2023-08-10", []),
        ("2024-04-20", []),
        # C-2024-0005's remedy was offered on 29 April and done on 20 May: open on Friday 10 May,
        # due Friday 31 May: 13-17, 20-24 and 28-31 May (27 May is the spring bank holiday) = 14
        ("2024-05-10", [("C-2024-0005", 1, "2024-05-31", "open", 14)]),
        # C-2024-0020 was answered at stage 1 on 18 November 2024 and at stage 2 on 17 January
        # 2025; its action is due on 14 March 2025, after both: offered by the stage 2 response
        ("2024-12-01", []),
        # offered on Friday 17 January 2025; due Friday 14 March: 8 weeks of 5 working days = 40
        ("2025-01-17", [("C-2024-0020", 1, "2025-03-14", "open", 40)]),
    ],
)
def test_a_remedy_is_listed_only_once_offered(example: Path, as_of: str, expected: list[object]) -> None:
    assert _remedy_rows(example, as_of) == expected


STAGE1_REMEDY = """\
id: C-2025-0950
kind: complaint
received: 2025-04-28
category: repairs
stage1:
  acknowledged: 2025-04-29
  definition: Leaking gutter not repaired.
  handler: H-001
  responded: 2025-05-12
  outcome: upheld
stage2:
  requested: 2025-05-20
  acknowledged: 2025-05-21
  definition: Wants compensation for the damage too.
  handler: H-002
  responded: 2025-07-14
  outcome: not-upheld
remedy:
  actions:
    - {action: Repair the gutter, due: 2025-06-02}
"""


@pytest.fixture(scope="module")
def stage1_remedy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = copy_example(tmp_path_factory.mktemp("remedy-stage1") / "ws")
    (ws / "cases" / "2025").mkdir(parents=True, exist_ok=True)
    (ws / "cases" / "2025" / "C-2025-0950.yaml").write_text(STAGE1_REMEDY, "utf-8")
    return ws


def _overdue(ws: Path, as_of: str) -> list[str]:
    report = hcode.open_workspace(ws, use_cache=False).check(as_of=date.fromisoformat(as_of))
    return [f.message for f in report.findings if f.subject == "C-2025-0950" and f.rule == "case.remedy-overdue"]


def test_a_stage1_remedy_overdue_while_stage2_is_open_is_listed_and_warned(stage1_remedy: Path) -> None:
    # due Monday 2 June 2025, before the stage 2 response (14 July): offered by the stage 1
    # response (12 May). On Tuesday 10 June it is overdue by 6 working days (3-6 and 9-10 June)
    assert [r for r in _remedy_rows(stage1_remedy, "2025-06-10") if r[0] == "C-2025-0950"] == [
        ("C-2025-0950", 1, "2025-06-02", "overdue", -6)
    ]
    assert len(_overdue(stage1_remedy, "2025-06-10")) == 1
    # on Friday 9 May the complaint was received but not answered: no remedy offered yet
    assert [r for r in _remedy_rows(stage1_remedy, "2025-05-09") if r[0] == "C-2025-0950"] == []
    assert _overdue(stage1_remedy, "2025-05-09") == []
