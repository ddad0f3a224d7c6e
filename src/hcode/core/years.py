"""Reporting years, written like ``2024-25``: the one parser, and the year a day falls in.

A reporting year starts on ``year_start`` of ``hcode.yaml`` (1 April unless it says otherwise)
and is written with the calendar year it starts in and the last two digits of the next one:
``2024-25`` runs from 1 April 2024 to 31 March 2025. ``2023-25`` (two years) or ``2024/25`` are
not reporting years, whatever command or file they are written in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from hcode.core.calendar import FIRST_DAY, LAST_DAY
from hcode.errors import HcodeError

_WRITTEN = re.compile(r"([0-9]{4})-([0-9]{2})")


class YearError(HcodeError, ValueError):
    """Text that is not a reporting year; the message says what to write instead."""


@dataclass(frozen=True)
class Period:
    """A span of days, both ends included: a reporting year or a part of one."""

    key: str
    label: str
    start: date
    end: date  # inclusive

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True, order=True)
class ReportingYear:
    """The reporting year that starts in the calendar year ``first``."""

    first: int

    @property
    def name(self) -> str:
        """As written in files and on the command line: ``2024-25``."""
        return f"{self.first}-{(self.first + 1) % 100:02d}"

    def __str__(self) -> str:
        return self.name

    @property
    def previous(self) -> ReportingYear:
        return ReportingYear(self.first - 1)

    @property
    def next(self) -> ReportingYear:
        return ReportingYear(self.first + 1)

    def start(self, year_start: tuple[int, int] = (4, 1)) -> date:
        month, day = year_start
        return date(self.first, month, day)

    def end(self, year_start: tuple[int, int] = (4, 1)) -> date:
        """Its last day (the day before the next year starts)."""
        return self.next.start(year_start) - timedelta(days=1)

    def period(self, year_start: tuple[int, int] = (4, 1)) -> Period:
        return Period("year", self.name, self.start(year_start), self.end(year_start))


def reporting_year(text: str) -> ReportingYear:
    """``text`` read as a reporting year, or :class:`YearError` saying what to write instead
    (``2023-25 is not a reporting year: write 2023-24``)."""
    m = _WRITTEN.fullmatch(text)
    if m is None:
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise YearError(f"{shown!r} is not a reporting year: write it like 2024-25")
    first = int(m.group(1))
    found = ReportingYear(first)
    if int(m.group(2)) != (first + 1) % 100:
        raise YearError(f"{text} is not a reporting year: write {found.name}")
    if not FIRST_DAY.year <= first < LAST_DAY.year:
        raise YearError(f"{text} is outside the years hcode works with ({FIRST_DAY.year} to {LAST_DAY.year})")
    return found


def month_end(year: int, month: int) -> date:
    """The last day of ``month`` of ``year`` (a date written as a month, "June 2024")."""
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    import calendar

    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def year_containing(day: date, year_start: tuple[int, int] = (4, 1)) -> ReportingYear:
    """The reporting year ``day`` falls in."""
    first = day.year if (day.month, day.day) >= year_start else day.year - 1
    return ReportingYear(first)
