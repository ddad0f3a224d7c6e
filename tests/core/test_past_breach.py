"""past_breach: the one rule that turns a breach nobody can undo into recorded history once the
``late`` record it belongs to is complete, and otherwise says what to write."""

from __future__ import annotations

from datetime import date

import pytest

from hcode.core.model import Case, Finding, Hazard, Late, Moment, Stage
from hcode.core.rules.context import past_breach

FULL = Late(reason="Backlog.", apology=date(2024, 7, 29), learning="More staff.")


def _finding() -> Finding:
    return Finding(rule="6.3", severity="error", subject="C-1", message="late", file="c.yaml", hint="old hint")


def _complaint(late1: Late | None = None, late2: Late | None = None) -> Case:
    return Case(
        id="C-1",
        file="c.yaml",
        kind="complaint",
        received=date(2024, 7, 1),
        category="repairs",
        stage1=Stage(1, late=late1),
        stage2=Stage(2, late=late2),
    )


def _hazard(late: Late | None) -> Case:
    hazard = Hazard(aware=Moment(date(2025, 11, 3)), hazard="fire", risk="emergency", late=late)
    return Case(id="HZ-1", file="h.yaml", kind="hazard", received=date(2025, 11, 3), category="fire", hazard=hazard)


@pytest.mark.parametrize(
    ("case", "stage", "recorded", "names"),
    [
        (_complaint(), 1, False, ["stage1.late.reason", "stage1.late.apology", "stage1.late.learning"]),
        (_complaint(late1=FULL), 1, True, []),
        # the record of the other stage does not count
        (_complaint(late1=FULL), 2, False, ["stage2.late.reason", "stage2.late.apology", "stage2.late.learning"]),
        (_complaint(late2=Late(reason="x", learning="y")), 2, False, ["stage2.late.apology"]),
        # a hazard report has no stages: its own late record, whatever stage is asked
        (_hazard(None), 0, False, ["late.reason", "late.apology", "late.learning"]),
        (_hazard(Late(apology=date(2025, 11, 5))), 0, False, ["late.reason", "late.learning"]),
        (_hazard(FULL), 0, True, []),
    ],
)
def test_recorded_once_the_late_record_is_complete(case: Case, stage: int, recorded: bool, names: list[str]) -> None:
    found = past_breach(_finding(), case, stage, "a late step")
    assert found.recorded is recorded
    if recorded:
        assert found.hint is None
    else:
        assert found.hint is not None and found.hint.startswith("a late step cannot be undone: write ")
        assert [n for n in names if n in found.hint] == names
        prefix = names[0].rsplit(".", 1)[0]  # stage1.late, stage2.late or late
        written = [f"{prefix}.{f}" for f in ("reason", "apology", "learning") if f"{prefix}.{f}" not in names]
        assert not [w for w in written if w in found.hint], found.hint  # only what is still to write


def test_how_to_correct_the_record_comes_first() -> None:
    found = past_breach(_finding(), _complaint(), 1, "a late notice", "correct extension.notified if it is wrong")
    assert found.hint is not None
    assert found.hint.startswith(
        "correct extension.notified if it is wrong; otherwise a late notice cannot be undone: "
    )
    assert past_breach(_finding(), _complaint(late1=FULL), 1, correct="anything").hint is None
