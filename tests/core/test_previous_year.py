"""The previous year's column of the annual report reads "the case files hold something for the
year" exactly as the year itself does (:func:`hcode.core.metrics.has_case_records`: some case
has a date in the year, up to the as-of day). Where they do, its figures are computed from the
case files (a 0 is a real 0); where they do not, the figures entered by hand are used."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from test_core import CAL, CODE, complaint

from hcode.core import metrics
from hcode.core.figures import parse_figure
from hcode.core.model import Case, Refusal, Settings, Stage

SETTINGS = Settings(landlord="Test Homes", homes=500)
# CH01 stage 1 as a landlord published it for a year: used only where the case files hold nothing
ENTERED = {"year": {"ch01_stage1": parse_figure("ch01_stage1", 12.5)}}


def refused(received: date) -> Case:
    refusal = Refusal(stage=1, date=received, reason="legal-proceedings", explained=True, ombudsman_rights=True)
    return complaint(id=f"R-{received.isoformat()}", received=received, refused=refusal)


def answered(received: date) -> Case:
    s1 = Stage(1, acknowledged=received, definition="Leak", responded=received)
    return complaint(id=f"A-{received.isoformat()}", received=received, stage1=s1)


def ch01(cases: list[Case], year: str, as_of: date, column: str) -> tuple[bool | None, dict[str, Any] | None]:
    """Whether the column counts from case files, and its CH01 stage 1 cell, for the report of
    ``year`` with ``ENTERED`` as the figures entered for both years."""
    fs = metrics.facts(cases, CODE, CAL, as_of)
    doc = metrics.annual(fs, year, SETTINGS, CAL, as_of=as_of, published=ENTERED, previous_published=ENTERED)
    head = {h["key"]: h for h in doc["headline"]}["ch01_stage1"]
    records = doc["case_records"] if column == "this_year" else None
    return records, head["cells"][column]


@pytest.mark.parametrize(
    ("name", "cases", "source", "value"),
    [
        # only a complaint refused at stage 1: the year holds case records, CH01 is a real 0
        ("refused only", [refused(date(2023, 6, 1))], "cases", 0.0),
        # a complaint answered in the year: counted
        ("one answered", [answered(date(2023, 6, 1))], "cases", 2.0),  # 1 of 500 homes
        # nothing in the year: the figure entered by hand
        ("nothing", [answered(date(2022, 6, 1))], "entered", 12.5),
    ],
)
def test_previous_year_reads_case_records_as_the_year_itself(
    name: str, cases: list[Case], source: str, value: float
) -> None:
    as_of = date(2025, 7, 31)
    _, this = ch01(cases, "2023-24", as_of, "this_year")  # 2023-24 as the year reported
    _, before = ch01(cases, "2024-25", as_of, "previous_year")  # 2023-24 as the year before
    assert this is not None and before is not None
    assert (this["source"], this["value"]) == (source, value), name
    assert (before["source"], before["value"]) == (source, value), name


def test_a_complaint_received_after_the_as_of_day_is_no_record_in_either_column() -> None:
    """As of 1 September 2023 a complaint received on 1 December 2023 has not happened: 2023-24
    holds nothing yet, as the year reported or as the year before (the entered figure shows)."""
    cases = [answered(date(2023, 12, 1))]
    as_of = date(2023, 9, 1)
    records, this = ch01(cases, "2023-24", as_of, "this_year")
    assert records is False
    assert this is not None and (this["source"], this["value"]) == ("entered", 12.5)
    _, before = ch01(cases, "2024-25", as_of, "previous_year")
    assert before is not None and (before["source"], before["value"]) == ("entered", 12.5)
    # once it is known, both columns count it
    _, this = ch01(cases, "2023-24", date(2025, 7, 31), "this_year")
    _, before = ch01(cases, "2024-25", date(2025, 7, 31), "previous_year")
    assert this is not None and before is not None
    assert (this["source"], this["value"]) == (before["source"], before["value"]) == ("cases", 2.0)


def test_previous_year_table_and_tsm_agree_on_case_records() -> None:
    """A previous year holding only a refused complaint: its quarterly table (computed) and its
    TSMs (computed, not the 12.5 entered) come from the same reading."""
    fs = metrics.facts([refused(date(2023, 6, 1))], CODE, CAL, date(2025, 7, 31))
    prev = metrics.year_period("2023-24", SETTINGS)
    assert metrics.has_case_records(fs, prev, date(2025, 7, 31))
    doc = metrics.annual(fs, "2024-25", SETTINGS, CAL, as_of=date(2025, 7, 31), previous_published=ENTERED)
    assert doc["previous_year"] == "2023-24"
    head = {h["key"]: h for h in doc["headline"]}
    assert head["ch01_stage1"]["cells"]["previous_year"]["source"] == "cases"
    assert head["service_requests"]["cells"]["previous_year"]["source"] == "cases"


def test_previous_year_counts_nothing_after_the_as_of_day() -> None:
    """As of 1 September 2023 (inside 2023-24) a complaint received on 1 June 2023 has happened
    and one received on 1 December 2023 has not: CH01 for 2023-24 counts 1 complaint (2.00 per
    1,000 of 500 homes) both as the year reported and as the year before 2024-25."""
    cases = [answered(date(2023, 6, 1)), answered(date(2023, 12, 1))]
    as_of = date(2023, 9, 1)
    _, this = ch01(cases, "2023-24", as_of, "this_year")
    _, before = ch01(cases, "2024-25", as_of, "previous_year")
    assert this is not None and before is not None
    assert (this["source"], this["numerator"], this["value"]) == ("cases", 1, 2.0)
    assert (before["source"], before["numerator"], before["value"]) == ("cases", 1, 2.0)
