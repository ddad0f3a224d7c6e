"""The annual report's figures come from the cases they can count: the same as from every case."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import hcode
from conftest import EXAMPLE
from hcode.api import reports
from hcode.core import metrics


@pytest.mark.parametrize(
    ("year", "as_of"),
    [("2024-25", "2025-07-31"), ("2023-24", "2025-07-31"), ("2024-25", "2024-11-15"), ("2023-24", "2024-01-10")],
)
def test_the_figures_are_those_of_every_case(year: str, as_of: str, monkeypatch: pytest.MonkeyPatch) -> None:
    left_out: list[str] = []
    counted = reports._counted_facts

    def noting(periods: Any, hazards: bool, case: Any, ctx: Any) -> Any:
        kept = counted(periods, hazards, case, ctx)
        if kept is None:
            left_out.append(case.id)
        return kept

    monkeypatch.setattr(reports, "_counted_facts", noting)
    when = date.fromisoformat(as_of)
    fewer = hcode.open_workspace(EXAMPLE, use_cache=False).annual(year, when)

    def every_case(periods: Any, hazards: bool, case: Any, ctx: Any) -> Any:
        return metrics.facts([case], ctx.judging, ctx.calendar, ctx.as_of)[0]

    monkeypatch.setattr(reports, "_counted_facts", every_case)
    every = hcode.open_workspace(EXAMPLE, use_cache=False).annual(year, when)
    assert fewer.figures == every.figures
    assert fewer.problems == every.problems
    if year == "2024-25" and as_of == "2025-07-31":
        assert left_out  # the cases of earlier years were not sent back
