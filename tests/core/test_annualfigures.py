"""The annual figures as typed values, read from the JSON the report prints (which stays as it
is): every section typed, nothing left out, the JSON kept unchanged beside them."""

from __future__ import annotations

import dataclasses
import json

import pytest

from conftest import EXAMPLE, run
from hcode.core.annualfigures import AnnualFigures, Category, DaysToRespond, Headline, Stages


@pytest.mark.parametrize(
    ("year", "as_of"), [("2024-25", "2025-07-31"), ("2022-23", "2025-07-31"), ("2025-26", "2026-07-31")]
)
def test_typed_from_the_json(year: str, as_of: str) -> None:
    printed = json.loads(run("report", "annual", EXAMPLE, "--year", year, "--as-of", as_of, "-f", "json").stdout)
    f = AnnualFigures.of(printed)
    assert f.json == printed and f.year == year and f.landlord == printed["landlord"]
    assert (f.period_start, f.period_end) == (printed["period"]["start"], printed["period"]["end"])
    assert [h.label for h in f.headline] == [h["label"] for h in printed["headline"]]
    assert all(isinstance(h, Headline) for h in f.headline)
    assert [r.key for r in f.table] == [r["key"] for r in printed["table"]]
    assert f.tsm.ch02.stage1 == printed["tsm"]["CH02"]["stage1"]
    assert f.case_records is printed["case_records"]
    if printed["categories"] is None:
        assert f.categories is None and f.outcomes is None and f.refusals is None and f.remedies is None
    else:
        assert f.categories is not None and [c.this_year for c in f.categories] == [
            c["this_year"] for c in printed["categories"]
        ]
        assert isinstance(f.days_to_respond, Stages) and isinstance(f.days_to_respond.stage1, DaysToRespond)
    assert f.conventions == tuple(printed["conventions"]) and f.learning == tuple(printed["learning"])
    assert (f.hazards is None) is (not printed.get("hazards"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.year = "2000-01"  # type: ignore[misc]


def test_a_category_with_no_records_last_year_is_none_never_0() -> None:
    printed = json.loads(
        run("report", "annual", EXAMPLE, "--year", "2023-24", "--as-of", "2025-07-31", "-f", "json").stdout
    )
    f = AnnualFigures.of(printed)
    for typed, raw in zip(f.categories or (), printed["categories"] or [], strict=True):
        assert isinstance(typed, Category) and typed.previous_year == raw["previous_year"]
