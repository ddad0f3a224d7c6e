"""Working days: bank holidays of a UK division, the landlord's closure days and the counting
convention (DESIGN section 6).

A working day is Monday to Friday that is neither a bank holiday of the workspace's division nor
a declared closure day. "Within N working days of X": X is day 0 and the deadline is the Nth
working day after X, whatever kind of day X is. ``add``, ``between`` and ``explain`` all follow
that one rule; ``between(d, add(d, n)) == n`` for every date and every n >= 0.

The calendar is built once per run and answers in constant time from a running count of working
days, extended a year at a time when a date falls outside the years built so far.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

DIVISIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

HolidaySource = Callable[[Iterable[int]], Mapping[date, str]]

#: The dates hcode works with. Outside them a date is an input error with a clear message (a
#: typo such as 9999-12-31 would otherwise take deadlines past the end of the calendar).
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)


def out_of_range(day: date) -> str | None:
    """Why hcode cannot work with ``day``, or None when it can."""
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return f"{day.isoformat()} is outside the dates hcode works with ({FIRST_DAY} to {LAST_DAY})"


def uk_bank_holidays(division: str) -> HolidaySource:
    """Bank holidays of a UK division from the ``holidays`` package (imported on first use)."""
    subdiv = DIVISIONS[division]

    def source(years: Iterable[int]) -> Mapping[date, str]:
        import holidays

        found = holidays.country_holidays("GB", subdiv=subdiv, years=list(years))
        return {d: str(name) for d, name in found.items()}

    return source


@dataclass(frozen=True, slots=True)
class Step:
    """One calendar day of an explained count."""

    day: date
    counted: bool
    count: int
    reason: str | None  # why it did not count (weekend, bank holiday name, closure)


class WorkingCalendar:
    """Answers working-day questions for one workspace."""

    def __init__(
        self,
        holidays: HolidaySource | Mapping[date, str],
        closures: Iterable[date] = (),
        *,
        receipt: str = "day-zero",
        years: Iterable[int] = (),
    ) -> None:
        if callable(holidays):
            self._source: HolidaySource | None = holidays
            self._holidays: dict[date, str] = {}
        else:
            self._source = None
            self._holidays = dict(holidays)
        self.closures = frozenset(closures)
        self.receipt = receipt
        self._first = 0  # first year built
        self._last = -1  # last year built
        self._start = 0  # ordinal of 1 January of the first year
        self._cum: list[int] = []  # working days in [start, start + i]
        self._days: list[int] = []  # ordinals of working days, ascending
        wanted = sorted(set(years))
        if wanted:
            self._build(wanted[0], wanted[-1])

    # -- building -------------------------------------------------------------------------

    def _build(self, first: int, last: int) -> None:
        if self._last >= self._first:
            first = min(first, self._first)
            last = max(last, self._last)
        if self._source is not None:
            missing = [y for y in range(first, last + 1) if not self._first <= y <= self._last]
            self._holidays.update(self._source(missing))
        start = date(first, 1, 1).toordinal()
        end = date(last, 12, 31).toordinal()
        cum: list[int] = []
        days: list[int] = []
        count = 0
        holidays = self._holidays
        closures = self.closures
        for ordinal in range(start, end + 1):
            d = date.fromordinal(ordinal)
            if d.weekday() < 5 and d not in holidays and d not in closures:
                count += 1
                days.append(ordinal)
            cum.append(count)
        self._first, self._last, self._start = first, last, start
        self._cum, self._days = cum, days

    def _ensure(self, d: date) -> None:
        if not self._first <= d.year <= self._last:
            if self._last < self._first:
                self._build(d.year - 1, d.year + 1)
            else:
                self._build(min(d.year, self._first), max(d.year, self._last))

    def _count_to(self, d: date) -> int:
        """Working days from the start of the built range up to and including ``d``."""
        self._ensure(d)
        return self._cum[d.toordinal() - self._start]

    # -- questions --------------------------------------------------------------------------

    def holiday_name(self, d: date) -> str | None:
        self._ensure(d)
        return self._holidays.get(d)

    def reason(self, d: date) -> str | None:
        """Why ``d`` is not a working day, or ``None`` if it is one."""
        if d.weekday() >= 5:
            return _DAY_NAMES[d.weekday()]
        name = self.holiday_name(d)
        if name is not None:
            return f"bank holiday: {name}"
        if d in self.closures:
            return "closure day"
        return None

    def is_working(self, d: date) -> bool:
        return self.reason(d) is None

    def add(self, d: date, n: int) -> date:
        """The ``n``th working day after ``d`` (``d`` itself is day 0)."""
        if n < 0:
            raise ValueError("n must be zero or more")
        if n == 0:
            return d
        index = self._count_to(d) + n - 1
        while index >= len(self._days):
            self._build(self._first, self._last + 1)
        return date.fromordinal(self._days[index])

    def between(self, a: date, b: date) -> int:
        """Working days after ``a`` up to and including ``b`` (negative when ``b`` < ``a``)."""
        self._ensure(a)
        self._ensure(b)  # both in range before counting: extending the range moves the origin
        return self._count_to(b) - self._count_to(a)

    def add_days(self, d: date, n: int, working: bool) -> date:
        """``n`` days after ``d`` in a clock's own unit: working days, or calendar days (the
        2020 and 2022 Codes' "a further 10 days")."""
        return self.add(d, n) if working else d + timedelta(days=n)

    def days_between(self, a: date, b: date, working: bool) -> int:
        """Days after ``a`` up to and including ``b`` in a clock's own unit (see :meth:`add_days`)."""
        return self.between(a, b) if working else (b - a).days

    def next_working(self, d: date) -> date:
        """``d`` if it is a working day, else the first working day after it."""
        if self.is_working(d):
            return d
        return self.add(d, 1)

    def day_zero(self, d: date) -> date:
        """Day 0 of a clock started by receiving something on ``d`` (the receipt convention)."""
        if self.receipt == "next-working-day":
            return self.next_working(d)
        return d

    def explain(self, d: date, n: int) -> list[Step]:
        """Every calendar day from ``d`` to ``add(d, n)`` with whether and why it counted."""
        end = self.add(d, n)
        steps = [Step(d, False, 0, "day 0")]
        count = 0
        day = d
        while day < end:
            day += timedelta(days=1)
            why = self.reason(day)
            if why is None:
                count += 1
            steps.append(Step(day, why is None, count, why))
        return steps
