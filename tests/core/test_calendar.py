"""The working calendar: GOV.UK agreement, hand-worked dates and properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, d
from hcode.core.calendar import WorkingCalendar, uk_bank_holidays

GOVUK_FILE = ROOT / "tests" / "data" / "bank-holidays-england-and-wales.txt"


def govuk_holidays() -> dict[date, str]:
    out = {}
    for line in GOVUK_FILE.read_text(encoding="utf-8").splitlines():
        if line[:4].isdigit():
            out[date.fromisoformat(line[:10])] = line[11:].split(" [")[0]
    return out


GOVUK = govuk_holidays()


def test_reference_list_is_complete() -> None:
    assert len(GOVUK) == 132
    assert min(GOVUK).year == 2012 and max(GOVUK).year == 2027
    assert all(day.weekday() < 5 for day in GOVUK)


def test_holidays_package_agrees_with_govuk_day_for_day(cal: WorkingCalendar) -> None:
    """Every weekday of 2012-2027 is a bank holiday in hcode exactly when GOV.UK says so."""
    day = date(2012, 1, 1)
    disagreements = []
    while day <= date(2027, 12, 31):
        if day.weekday() < 5:
            ours = cal.holiday_name(day) is not None
            if ours != (day in GOVUK):
                disagreements.append(day)
        day += timedelta(days=1)
    assert disagreements == []


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        ("2024-03-28", 5, "2024-04-08", "Good Friday and Easter Monday 2024"),
        ("2024-03-28", 1, "2024-04-02", "Thursday before Easter: next working day is Tuesday"),
        ("2025-04-17", 1, "2025-04-22", "Easter 2025"),
        (
            "2022-12-23",
            1,
            "2022-12-28",
            "Christmas 2022: Boxing Day and a substitute Christmas Day",
        ),
        ("2022-12-23", 5, "2023-01-04", "Christmas 2022 and the substitute New Year's Day"),
        ("2021-12-24", 1, "2021-12-29", "Christmas 2021 on a Saturday: two substitute days"),
        ("2020-12-24", 1, "2020-12-29", "Boxing Day 2020 on a Saturday: substitute Monday 28th"),
        ("2022-05-31", 5, "2022-06-09", "Platinum Jubilee: 2 and 3 June 2022"),
        ("2022-09-16", 1, "2022-09-20", "State funeral of Queen Elizabeth II, 19 September 2022"),
        ("2023-05-05", 1, "2023-05-09", "Coronation of King Charles III, 8 May 2023"),
        ("2023-04-28", 1, "2023-05-02", "Early May bank holiday 2023"),
        ("2020-05-07", 1, "2020-05-11", "VE Day 2020 moved the early May holiday to Friday 8th"),
        ("2024-05-18", 5, "2024-05-24", "received on a Saturday: day 1 is Monday"),
        ("2024-05-17", 0, "2024-05-17", "zero days is the day itself"),
        ("2024-12-25", 5, "2025-01-03", "received on Christmas Day"),
        ("2024-08-23", 1, "2024-08-27", "Summer bank holiday 2024"),
    ],
)
def test_add_hand_worked(cal: WorkingCalendar, start: str, n: int, expected: str, why: str) -> None:
    assert cal.add(d(start), n) == d(expected), why
    assert cal.between(d(start), d(expected)) == n


def test_closures_do_not_count() -> None:
    closures = [d("2024-12-27"), d("2024-12-30"), d("2024-12-31")]
    cal = WorkingCalendar(uk_bank_holidays("england-and-wales"), closures)
    assert cal.add(d("2024-12-24"), 1) == d("2025-01-02")
    assert cal.add(d("2024-12-25"), 5) == d("2025-01-08")
    assert cal.reason(d("2024-12-30")) == "closure day"


def test_divisions_differ() -> None:
    eng = WorkingCalendar(uk_bank_holidays("england-and-wales"))
    sco = WorkingCalendar(uk_bank_holidays("scotland"))
    nir = WorkingCalendar(uk_bank_holidays("northern-ireland"))
    assert eng.add(d("2023-12-29"), 1) == d("2024-01-02")
    assert sco.add(d("2023-12-29"), 1) == d("2024-01-03")  # 2 January is a Scottish holiday
    assert nir.add(d("2024-03-15"), 1) == d("2024-03-19")  # St Patrick's Day (substitute)
    assert eng.add(d("2024-03-15"), 1) == d("2024-03-18")


def test_receipt_convention_next_working_day() -> None:
    cal = WorkingCalendar(uk_bank_holidays("england-and-wales"), receipt="next-working-day")
    saturday = d("2024-05-18")
    assert cal.day_zero(saturday) == d("2024-05-20")
    # Monday 20 May is day 0; the spring bank holiday on Monday 27 May pushes day 5 to Tuesday.
    assert cal.add(cal.day_zero(saturday), 5) == d("2024-05-28")
    assert cal.day_zero(d("2024-05-21")) == d("2024-05-21")
    default = WorkingCalendar(uk_bank_holidays("england-and-wales"))
    assert default.day_zero(saturday) == saturday


def test_between_is_signed(cal: WorkingCalendar) -> None:
    assert cal.between(d("2024-04-08"), d("2024-03-28")) == -5
    assert cal.between(d("2024-04-08"), d("2024-04-08")) == 0


def test_explain_names_each_skipped_day(cal: WorkingCalendar) -> None:
    steps = cal.explain(d("2024-03-28"), 5)
    assert steps[0].day == d("2024-03-28") and steps[0].reason == "day 0"
    reasons = {s.day: s.reason for s in steps if not s.counted}
    assert reasons[d("2024-03-29")] == "bank holiday: Good Friday"
    assert reasons[d("2024-03-30")] == "Saturday"
    assert reasons[d("2024-03-31")] == "Sunday"
    assert reasons[d("2024-04-01")] == "bank holiday: Easter Monday"
    assert steps[-1].day == d("2024-04-08") and steps[-1].count == 5


def test_negative_days_refused(cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError):
        cal.add(d("2024-01-01"), -1)


def test_between_across_a_range_extension() -> None:
    """Found by hypothesis: counting a date outside the built years must not move the origin
    under a count already taken."""
    cal = WorkingCalendar(GOVUK)
    assert cal.between(date(2018, 12, 1), date(2020, 1, 1)) == brute_between(date(2018, 12, 1), date(2020, 1, 1), set())


def test_range_extends_on_demand() -> None:
    cal = WorkingCalendar(uk_bank_holidays("england-and-wales"), years=[2024])
    assert cal.add(d("2024-12-20"), 300).year == 2026
    assert cal.add(d("2013-03-28"), 1) == d("2013-04-02")  # Easter 2013, far before the range


# -- properties against an independent day-by-day count over the GOV.UK list ----------------


def brute_add(start: date, n: int, closures: set[date]) -> date:
    day, count = start, 0
    while count < n:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in GOVUK and day not in closures:
            count += 1
    return day


def brute_between(a: date, b: date, closures: set[date]) -> int:
    lo, hi, sign = (a, b, 1) if a <= b else (b, a, -1)
    count, day = 0, lo
    while day < hi:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in GOVUK and day not in closures:
            count += 1
    return sign * count


dates = st.dates(min_value=date(2012, 1, 1), max_value=date(2027, 10, 31))
closure_sets = st.sets(dates, max_size=8)


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=45), closures=closure_sets)
def test_add_matches_brute_force(start: date, n: int, closures: set[date]) -> None:
    cal = WorkingCalendar(GOVUK, closures)
    assert cal.add(start, n) == brute_add(start, n, closures)


@settings(max_examples=300, deadline=None)
@given(a=dates, b=dates, closures=closure_sets)
def test_between_matches_brute_force(a: date, b: date, closures: set[date]) -> None:
    if abs((b - a).days) > 400:
        b = a + timedelta(days=(b - a).days % 400)
        if b.year > 2027:
            return
    cal = WorkingCalendar(GOVUK, closures)
    assert cal.between(a, b) == brute_between(a, b, closures)


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=60))
def test_between_inverts_add(cal: WorkingCalendar, start: date, n: int) -> None:
    end = cal.add(start, n)
    assert cal.between(start, end) == n
    assert n == 0 or cal.is_working(end)


@settings(max_examples=200, deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=30))
def test_package_calendar_matches_govuk_list(cal: WorkingCalendar, start: date, n: int) -> None:
    """``hcode workdays add`` agrees with a count over the GOV.UK list."""
    assert cal.add(start, n) == brute_add(start, n, set())


def test_add_days_and_days_between_in_either_unit() -> None:
    """A clock's own unit: working days, or calendar days (2020/2022 "a further 10 days")."""
    cal = WorkingCalendar(uk_bank_holidays("england-and-wales"))
    # Tue 23 May 2023 + 10 working days (Spring bank holiday Mon 29 May not counted) -> 7 June
    assert cal.add_days(date(2023, 5, 23), 10, True) == date(2023, 6, 7)
    assert cal.add_days(date(2023, 5, 23), 10, False) == date(2023, 6, 2)
    assert cal.days_between(date(2023, 5, 23), date(2023, 6, 7), True) == 10
    assert cal.days_between(date(2023, 5, 23), date(2023, 6, 7), False) == 15
    for n in range(0, 40):
        d = date(2024, 12, 20)
        assert cal.days_between(d, cal.add_days(d, n, False), False) == n
        assert cal.days_between(d, cal.add_days(d, n, True), True) == n
