"""Awaab's Law clocks (hcode.core.hazards): hand-worked tables, then property tests against an
independent count.

Hand counts (England and Wales): 25 and 26 December 2025 and 1 January 2026 are bank holidays,
as are Good Friday 3 April and Easter Monday 6 April 2026. 7 November 2025, 14 November 2025
and 19 December 2025 are Fridays.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hcode.core.calendar import WorkingCalendar
from hcode.core.hazards import (
    HazardClock,
    HazardRules,
    deadline,
    explain_hours,
    explain_weeks,
    hazard_clocks,
)
from hcode.core.model import Case, ClockStop, Hazard, Investigation, Moment, Works
from hcode.store.workspace import load_hazard_rules

RULES: HazardRules = load_hazard_rules(None)


def m(text: str) -> Moment:
    day, _, clock = text.partition("T")
    return Moment(date.fromisoformat(day), time.fromisoformat(clock) if clock else None)


def record(
    aware: str,
    risk: str = "significant",
    hazard: str = "damp-and-mould",
    tenure: str | None = "lcra",
    **events: object,
) -> Case:
    h = Hazard(aware=m(aware), hazard=hazard, risk=risk, **events)  # type: ignore[arg-type]
    return Case(
        id="HZ-1",
        file="cases/2025/HZ-1.yaml",
        kind="hazard",
        received=h.aware.day,
        category=hazard,
        tenure=tenure,
        hazard=h,
    )


def clocks(
    case: Case, cal: WorkingCalendar, as_of: str = "2026-12-01", now: datetime | None = None
) -> dict[str, HazardClock]:
    judged = hazard_clocks(case, RULES, cal, date.fromisoformat(as_of), now=now)
    return {c.duty: c for c in judged.clocks}


# -- hand-worked tables ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aware", "due", "why"),
    [
        ("2025-11-07T16:40", "2025-11-08 16:40", "Friday afternoon: 24 hours run into Saturday"),
        ("2025-11-08T23:30", "2025-11-09 23:30", "Saturday night to Sunday night: the weekend counts"),
        ("2025-12-25T09:00", "2025-12-26 09:00", "Christmas Day to Boxing Day: bank holidays count"),
        ("2026-04-05T10:15", "2026-04-06 10:15", "Easter Sunday to Easter Monday"),
        ("2025-11-07", "2025-11-08 00:00", "no time: from the earliest moment of the day"),
    ],
)
def test_emergency_24_hours(cal: WorkingCalendar, aware: str, due: str, why: str) -> None:
    found = clocks(record(aware, "emergency"), cal)
    assert found["investigate"].due_text() == due, why
    assert found["make-safe"].due_text() == due, why


def test_emergency_without_time_says_so_and_cannot_place_same_day_done(cal: WorkingCalendar) -> None:
    c = record(
        "2025-11-07", "emergency", made_safe=m("2025-11-08"), investigation=Investigation(m("2025-11-07"), "emergency")
    )
    found = clocks(c, cal)
    inv, safe = found["investigate"], found["make-safe"]
    assert inv.status == "met"
    assert any("no time: counted from 2025-11-07 00:00" in n for n in inv.notes)
    assert safe.status == "unclear"
    late = clocks(record("2025-11-07", "emergency", made_safe=m("2025-11-08T00:30")), cal)
    assert late["make-safe"].status == "missed"


def test_emergency_made_safe_by_alternative_accommodation(cal: WorkingCalendar) -> None:
    c = record(
        "2025-11-07T16:40",
        "emergency",
        made_safe=m("2025-11-10T09:00"),
        alternative_accommodation=m("2025-11-08T12:00"),
    )
    safe = clocks(c, cal)["make-safe"]
    assert (safe.status, safe.done_event) == ("met", "alternative_accommodation")


def test_emergency_done_one_minute_late(cal: WorkingCalendar) -> None:
    c = record("2025-11-07T16:40", "emergency", investigation=Investigation(m("2025-11-08T16:41"), "emergency"))
    assert clocks(c, cal)["investigate"].status == "missed"
    c = record("2025-11-07T16:40", "emergency", investigation=Investigation(m("2025-11-08T16:40"), "emergency"))
    assert clocks(c, cal)["investigate"].status == "met"


def test_significant_10_working_days_across_christmas(cal: WorkingCalendar) -> None:
    # day 0 Fri 19 Dec; 22, 23, 24 Dec (3); 25, 26 Dec bank holidays; 29, 30, 31 Dec (6);
    # 1 Jan bank holiday; 2 Jan (7); 5, 6, 7 Jan (10)
    c = record("2025-12-19T11:00")
    inv = clocks(c, cal, "2026-01-05")["investigate"]
    assert inv.due_day == date(2026, 1, 7)
    assert inv.status == "due-soon"
    late = record("2025-12-19", investigation=Investigation(m("2026-01-08"), "significant"))
    assert clocks(late, cal)["investigate"].status == "missed"
    on_time = record("2025-12-19", investigation=Investigation(m("2026-01-07"), "significant"))
    assert clocks(on_time, cal)["investigate"].status == "met"


def test_3_and_5_working_days_from_a_friday_conclusion(cal: WorkingCalendar) -> None:
    c = record("2025-11-03T16:40", investigation=Investigation(m("2025-11-14"), "significant"), works=Works())
    found = clocks(c, cal, "2025-11-14")
    assert found["summary"].due_day == date(2025, 11, 19)  # Mon 17, Tue 18, Wed 19
    assert found["make-safe"].due_day == date(2025, 11, 21)  # ... Thu 20, Fri 21
    assert found["works-begin"].due_day == date(2025, 11, 21)


def test_12_weeks(cal: WorkingCalendar) -> None:
    c = record(
        "2025-11-03", investigation=Investigation(m("2025-11-14"), "significant"), works=Works(begun=m("2025-11-20"))
    )
    start = clocks(c, cal, "2025-12-01")["works-start"]
    assert start.due_day == date(2026, 2, 6)  # 84 days: Friday 6 February
    assert start.status == "open"
    late = record(
        "2025-11-03", investigation=Investigation(m("2025-11-14"), "significant"), works=Works(started=m("2026-02-09"))
    )
    assert clocks(late, cal)["works-start"].status == "missed"
    assert [d.isoformat() for _, d in explain_weeks(date(2025, 11, 14), 12)][-1] == "2026-02-06"


def test_further_works_not_judged_until_recorded(cal: WorkingCalendar) -> None:
    c = record("2025-11-03", investigation=Investigation(m("2025-11-14"), "significant"))
    judged = hazard_clocks(c, RULES, cal, date(2025, 12, 1))
    assert "works-begin" not in {k.duty for k in judged.clocks}
    assert ("works-begin", "no further works recorded (works:)") in judged.waiting


@pytest.mark.parametrize("why", ["decanted", "no-consent", "no-hazard"])
def test_each_clock_stop_stops_what_it_names(cal: WorkingCalendar, why: str) -> None:
    inv = Investigation(m("2025-11-14"), "significant")
    c = record("2025-11-03", investigation=inv, works=Works(), stopped=ClockStop(m("2025-11-18"), why))
    found = clocks(c, cal, "2026-03-01")
    assert found["make-safe"].status == "stopped"  # due 21 Nov, stopped 18 Nov
    assert found["works-begin"].status == "stopped"
    assert found["works-start"].status == "stopped"
    assert found["summary"].status == "overdue"  # the summary is not stopped
    after = record("2025-11-03", investigation=inv, stopped=ClockStop(m("2025-11-24"), why))
    assert clocks(after, cal, "2026-03-01")["make-safe"].status == "missed"


def test_emergency_stop_with_times(cal: WorkingCalendar) -> None:
    c = record("2025-11-07T16:40", "emergency", stopped=ClockStop(m("2025-11-08T10:00"), "decanted"))
    found = clocks(c, cal, "2025-11-20")
    assert found["make-safe"].status == "stopped"
    assert found["investigate"].status == "overdue"


@pytest.mark.parametrize(
    ("aware", "hazard", "risk", "judged"),
    [
        ("2025-10-26", "damp-and-mould", "significant", False),
        ("2025-10-27", "damp-and-mould", "significant", True),
        ("2025-10-26T23:59", "fire", "emergency", False),
        ("2025-10-27T00:00", "fire", "emergency", True),
        ("2026-11-29", "falls-on-stairs", "significant", False),
        ("2026-11-30", "falls-on-stairs", "significant", True),
        ("2026-12-01", "lighting", "significant", False),  # phase 3: no start date yet
        ("2026-12-01", "crowding-and-space", "emergency", False),  # never
    ],
)
def test_phase_start(cal: WorkingCalendar, aware: str, hazard: str, risk: str, judged: bool) -> None:
    result = hazard_clocks(record(aware, risk, hazard), RULES, cal, date(2026, 12, 7))
    assert result.scope.judged is judged
    assert bool(result.clocks) is judged
    if not judged:
        assert "not judged" in (result.scope.message or "")


def test_lcho_not_judged(cal: WorkingCalendar) -> None:
    result = hazard_clocks(record("2025-11-03", tenure="lcho"), RULES, cal, date(2026, 1, 1))
    assert (result.scope.judged, result.scope.reason, result.clocks) == (False, "tenure", ())
    assert "low-cost home ownership" in (result.scope.message or "")


def test_significant_found_emergency_runs_24_hours_from_conclusion(cal: WorkingCalendar) -> None:
    c = record("2025-11-03", investigation=Investigation(m("2025-11-06T15:00"), "emergency"))
    safe = clocks(c, cal, "2025-11-06")["make-safe"]
    assert safe.due_text() == "2025-11-07 15:00"


def test_found_none_no_safety_work(cal: WorkingCalendar) -> None:
    c = record("2025-11-03", investigation=Investigation(m("2025-11-06"), "none"))
    judged = hazard_clocks(c, RULES, cal, date(2025, 12, 1))
    assert {k.duty for k in judged.clocks} == {"investigate", "summary"}
    assert ("make-safe", "the investigation found no hazard") in judged.waiting


def test_events_after_as_of_have_not_happened(cal: WorkingCalendar) -> None:
    c = record("2025-11-03", investigation=Investigation(m("2025-11-12"), "significant"))
    found = clocks(c, cal, "2025-11-10")
    assert found["investigate"].done is None
    assert "summary" not in found


def test_hours_left_on_a_running_clock(cal: WorkingCalendar) -> None:
    c = record("2025-11-07T16:40", "emergency")
    inv = clocks(c, cal, "2025-11-08", now=datetime(2025, 11, 8, 10, 40))["investigate"]
    assert inv.status == "due-soon"
    assert inv.hours_left(datetime(2025, 11, 8, 10, 40)) == 6
    over = clocks(c, cal, "2025-11-08", now=datetime(2025, 11, 8, 17, 0))["investigate"]
    assert over.status == "overdue"


def test_explain_hours_names_the_weekend_and_the_bank_holiday(cal: WorkingCalendar) -> None:
    spans = explain_hours(datetime(2025, 12, 24, 16, 40), 24, cal)
    assert [(s.day.isoformat(), round(s.hours, 2)) for s in spans] == [("2025-12-24", 7.33), ("2025-12-25", 16.67)]
    assert spans[-1].total == pytest.approx(24)
    assert "Christmas Day" in (spans[1].note or "")


# -- property tests: an independent count -----------------------------------------------------------

DAYS = st.dates(min_value=date(2025, 10, 27), max_value=date(2027, 6, 30))
TIMES = st.one_of(st.none(), st.times().map(lambda t: t.replace(second=0, microsecond=0)))


def _independent_working_days(cal: WorkingCalendar, start: date, n: int) -> date:
    """Walk one calendar day at a time, counting weekdays that are not bank holidays."""
    import holidays

    bank = holidays.country_holidays("GB", subdiv="ENG", years=range(start.year, start.year + 2))
    day, count = start, 0
    while count < n:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in bank:
            count += 1
    return day


@settings(max_examples=200, deadline=None)
@given(day=DAYS, at=TIMES)
def test_property_24_hours(cal: WorkingCalendar, day: date, at: time | None) -> None:
    clock = RULES.clock("investigate", "emergency", "emergency")
    assert clock is not None
    due = deadline(clock, Moment(day, at), cal)
    moment = datetime.combine(day, at or time.min)
    for _ in range(24):
        moment += timedelta(minutes=60)
    assert due == moment
    assert explain_hours(datetime.combine(day, at or time.min), 24, cal)[-1].total == pytest.approx(24)


@settings(max_examples=200, deadline=None)
@given(
    day=DAYS,
    duty=st.sampled_from([("investigate", "significant"), ("summary", "significant"), ("make-safe", "significant")]),
)
def test_property_working_days(cal: WorkingCalendar, day: date, duty: tuple[str, str]) -> None:
    clock = RULES.clock(duty[0], duty[1], duty[1])
    assert clock is not None and clock.unit == "working_days"
    due = deadline(clock, Moment(day), cal)
    assert due.date() == _independent_working_days(cal, day, clock.amount)
    assert due.time() == time(23, 59)


@settings(max_examples=100, deadline=None)
@given(day=DAYS)
def test_property_12_weeks(cal: WorkingCalendar, day: date) -> None:
    clock = RULES.clock("works-start", "significant", "significant")
    assert clock is not None
    end = day
    for _ in range(84):
        end += timedelta(days=1)
    assert deadline(clock, Moment(day), cal).date() == end


@settings(max_examples=200, deadline=None)
@given(aware=DAYS, at=TIMES, offset=st.integers(min_value=0, max_value=72 * 60), timed=st.booleans())
def test_property_emergency_status(
    cal: WorkingCalendar, aware: date, at: time | None, offset: int, timed: bool
) -> None:
    """Met exactly when the event is no later than 24 hours after the start; a same-day event
    without a time is unclear, never met or missed by guesswork."""
    start = datetime.combine(aware, at or time.min)
    done_at = start + timedelta(minutes=offset)
    done = Moment(done_at.date(), done_at.time() if timed else None)
    c = record(Moment(aware, at).iso, "emergency", made_safe=done)
    safe = clocks(c, cal, "2028-01-01")["make-safe"]
    due = start + timedelta(hours=24)
    if timed:
        expected = "met" if done_at <= due else "missed"
    elif done_at.date() == due.date():
        expected = "unclear"
    else:
        expected = "met" if done_at.date() < due.date() else "missed"
    assert safe.status == expected


def test_a_stop_without_a_time_on_the_deadlines_day_is_unclear(cal: WorkingCalendar) -> None:
    c = record("2025-11-07T16:40", "emergency", stopped=ClockStop(m("2025-11-08"), "decanted"))
    safe = clocks(c, cal, "2025-11-20")["make-safe"]
    assert safe.status == "unclear"  # stopped some time on Saturday 8 November; due 16:40 that day
    before = record("2025-11-07T16:40", "emergency", stopped=ClockStop(m("2025-11-08T16:39"), "decanted"))
    assert clocks(before, cal, "2025-11-20")["make-safe"].status == "stopped"
    after = record("2025-11-07T16:40", "emergency", stopped=ClockStop(m("2025-11-08T16:41"), "decanted"))
    assert clocks(after, cal, "2025-11-20")["make-safe"].status == "missed"
