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

# received on a Monday in each edition's time (hoc-2020 from 1 July 2020, hoc-2022 from 1 April
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
    rows = [r for r in w.due_rows(as_of=date(2025, 7, 31)).rows if r["case"] == case_id]
    assert [(r["action"], r["provision"], r["edition"], r["due"], r["status"], r["left"]) for r in rows] == [
        (2, provision, edition, "2025-07-01", "overdue", -22),
        (1, provision, edition, "2025-08-05", "open", 3),
    ]
    # once done (as of 1 August) action 2 is no longer listed
    later = [r["action"] for r in w.due_rows(as_of=date(2025, 8, 1)).rows if r["case"] == case_id]
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
