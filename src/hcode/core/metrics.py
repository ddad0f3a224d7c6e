"""The figures of the annual complaints performance and service improvement report (Code 8.1)
and the Regulator's Tenant Satisfaction Measures CH01 and CH02. Pure: records in, figures out.

Counting conventions (printed in every report's footnote, see :func:`conventions`):

* A reporting year runs from ``year_start`` (1 April by default) for twelve months; its
  quarters are its three-month blocks (April-June, July-September, October-December,
  January-March).
* Counts of things received (service requests, stage 1 complaints, escalations) go by the date
  received. A complaint not accepted (refused at stage 1) is not a stage 1 complaint, and an
  escalation refused is not a stage 2 complaint; both are counted under refusals.
* Timeliness goes by when the step was taken: an acknowledgement or response counts in the
  period it was sent (or, if it was never sent, the period it fell due in a stage that was then
  withdrawn). "Within" means within the Code's timescale as hcode judges it: a response is
  within time if it met its due date, where an extension the Code permits moves the due date.
* CH01 = stage 1 (stage 2) complaints made in the year per 1,000 homes (``homes`` in
  hcode.yaml); a stage 2 complaint is made when escalation is requested. CH02, as the
  Regulator's return counts it: of the stage 1 (stage 2) complaints made in the year, the share
  responded to within the Code's timescale (a permitted extension included), whenever the
  response was sent; one not answered on the as-of day and still in time is pending.
* Working days to respond are counted from receipt (stage 1) or the escalation request
  (stage 2) to the response.
* Outcomes, compensation, satisfaction and learning go by the date of the complaint's last
  response.
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_left, bisect_right
from calendar import month_name  # the standard library's (hcode never sets a locale)
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from itertools import pairwise
from operator import attrgetter
from typing import Any, Generic, TypeVar, overload

from hcode.core import percent
from hcode.core.annualfigures import AnnualFigures
from hcode.core.asof import known, known_days
from hcode.core.calendar import WorkingCalendar
from hcode.core.categories import display_name, published_slug
from hcode.core.editions import AUTO, Editions
from hcode.core.figures import NO_DATA, RATE_ROWS, agrees, shown
from hcode.core.listings import TsmRow
from hcode.core.milestones import Milestone, milestones
from hcode.core.model import Case, Code, Homes, Settings
from hcode.core.reportrows import FINDINGS as OMBUDSMAN_FINDINGS
from hcode.core.reportrows import ROWS as RATE_LABELS
from hcode.core.reportrows import report_rows, rows_json
from hcode.core.years import Period, add_months, reporting_year

QUARTERS = ("Q1", "Q2", "Q3", "Q4")
OUTCOMES = ("upheld", "partly-upheld", "not-upheld", "withdrawn")
REFUSAL_REASONS = ("over-12-months", "legal-proceedings", "previously-considered", "other")
FINDINGS = OMBUDSMAN_FINDINGS


def year_period(year: str, settings: Settings) -> Period:
    """The reporting year written like 2024-25 (:class:`YearError` when it is not one)."""
    return reporting_year(year).period(settings.year_start)


def quarters(year: Period) -> list[Period]:
    """The year's four three-month blocks, labelled like "April to June 2024"."""
    out = []
    for i, key in enumerate(QUARTERS):
        start = add_months(year.start, 3 * i)
        end = add_months(year.start, 3 * (i + 1)) - timedelta(days=1)
        if start.day == 1:
            label = f"{month_name[start.month]} to {month_name[end.month]} {end.year}"
        else:
            label = f"{start.day} {month_name[start.month]} to {end.day} {month_name[end.month]} {end.year}"
        out.append(Period(key, label, start, end))
    return out


def previous_year(year: str) -> str:
    return reporting_year(year).previous.name


def ratio(numerator: int, denominator: int) -> dict[str, Any]:
    """A percentage cell, rounded by the one rule in :mod:`hcode.core.percent`."""
    return percent.ratio(numerator, denominator)


def count(n: int) -> dict[str, Any]:
    return {"value": n}


# -- facts about each case, computed once ---------------------------------------------------------

T = TypeVar("T")


class _once(Generic[T]):
    """A property worked out on first asking and kept on the instance: as
    :class:`functools.cached_property`, without its lock (which costs more than the small values
    worked out here; the figures are counted in one thread)."""

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> _once[T]: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> T | _once[T]:
        if obj is None:
            return self
        value: T = self.compute(obj)
        obj.__dict__[self.name] = value  # found there from now on: this is not asked again
        return value


@dataclass
class Facts:
    """What the figures need of one case, as known on ``as_of`` (nothing dated after it counts).

    What the figures ask of it again and again (accepted, escalated, its dates) is worked out
    once, on first asking; the case is not changed while the figures are counted."""

    case: Case
    ms: list[Milestone]
    as_of: date | None = None

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Sent back from a worker process compactly: each milestone as the tuple of its fields,
        rebuilt with one call on arrival (about a third of the time of pickling each one field
        by field), and nothing worked out from them (worked out again where it is asked)."""
        return _facts_of, (self.case, [_MILESTONE_VALUES(m) for m in self.ms], self.as_of)

    def known(self, day: date | None) -> date | None:
        """``day`` if it is on or before ``as_of``, else None (not yet happened): the one cut-off,
        :func:`hcode.core.asof.known`."""
        return known(day, self.as_of)

    def milestone(self, stage: int, event: str) -> Milestone | None:
        return self._events.get((stage, event))

    @_once
    def _events(self) -> dict[tuple[int, str], Milestone]:
        """The first milestone of each stage and event."""
        found: dict[tuple[int, str], Milestone] = {}
        for m in self.ms:
            found.setdefault((m.stage, m.event), m)
        return found

    def refused_at(self, stage: int) -> bool:
        """Refused at ``stage`` by ``as_of`` (a refusal dated later has not happened yet)."""
        r = self.case.refused
        return r is not None and r.stage == stage and self.known(r.date) is not None

    @_once
    def accepted(self) -> bool:
        return self.case.is_complaint and not self.refused_at(1)

    @_once
    def escalated(self) -> bool:
        s2 = self.case.stage2
        return self.accepted and s2 is not None and self.known(s2.requested) is not None and not self.refused_at(2)

    def in_stage(self, stage: int) -> bool:
        """Counted as a complaint at ``stage`` (accepted, or escalated and not refused)."""
        return self.accepted if stage == 1 else self.escalated

    @_once
    def requested(self) -> date | None:
        """When stage 2 was requested, for an escalation that counts."""
        return self.case.stage2.requested if self.escalated and self.case.stage2 else None

    def dates(self) -> list[date]:
        """Every date a figure may count this case by."""
        return list(self._dates)

    @_once
    def _dates(self) -> list[date]:
        c = self.case
        candidates: list[date | None] = [c.received, c.resolved]
        for st in (c.stage1, c.stage2):
            if st is not None:
                candidates += [st.requested, st.acknowledged, st.responded, st.withdrawn]
        if c.refused is not None:
            candidates.append(c.refused.date)
        if c.ombudsman is not None:
            candidates += [c.ombudsman.referred, c.ombudsman.determined, c.ombudsman.failure_order]
        for m in self.ms:
            candidates += [m.done, m.due]
        return known_days(candidates, self.as_of)

    @_once
    def _sorted_dates(self) -> list[date]:
        return sorted(self._dates)

    def touches(self, *periods: Period) -> bool:
        """Whether any of the case's dates falls in one of ``periods`` (a case that does not can
        count in no figure of those periods)."""
        found = self._sorted_dates
        for p in periods:
            i = bisect_left(found, p.start)  # the first date on or after the period's start
            if i < len(found) and found[i] <= p.end:
                return True
        return False

    def dates_within(self, start: date, end: date) -> list[date]:
        """The case's dates from ``start`` to ``end`` (both included), earliest first."""
        found = self._sorted_dates
        return found[bisect_left(found, start) : bisect_right(found, end)]

    @_once
    def _last_response(self) -> date | None:
        for stage in (self.case.stage2, self.case.stage1):
            if stage is not None and self.known(stage.responded) is not None:
                return stage.responded
        for stage in (self.case.stage2, self.case.stage1):
            if stage is not None and stage.outcome == "withdrawn" and self.known(stage.withdrawn) is not None:
                return stage.withdrawn
        return None

    def last_response(self) -> date | None:
        return self._last_response


_MILESTONE_VALUES = attrgetter(*(f.name for f in fields(Milestone)))


def _facts_of(case: Case, milestones: list[tuple[Any, ...]], as_of: date | None) -> Facts:
    """:class:`Facts` as :meth:`Facts.__reduce__` sent them."""
    return Facts(case, [Milestone(*values) for values in milestones], as_of)


def facts(cases: Iterable[Case], code: Code | Editions, cal: WorkingCalendar, as_of: date) -> list[Facts]:
    return [Facts(c, milestones(c, code, cal, as_of), as_of) for c in cases]


def _settled(m: Milestone | None) -> date | None:
    """When a milestone was settled (met or missed): the day done, or the due day if never done."""
    if m is None or m.status not in ("met", "missed"):
        return None
    return m.done or m.due


def _timely(fs: Sequence[Facts], stage: int, event: str, period: Period) -> dict[str, Any]:
    met = total = 0
    key, start, end = (stage, event), period.start, period.end
    for f in fs:
        m = f._events.get(key)
        if m is None:
            continue
        status = m.status
        if status != "met" and status != "missed":  # not settled (see _settled)
            continue
        when = m.done or m.due
        if when is not None and start <= when <= end and f.in_stage(stage):
            total += 1
            met += status == "met"
    return ratio(met, total)


def _within_standard(fs: Sequence[Facts], days: int, period: Period, cal: WorkingCalendar) -> dict[str, Any]:
    met = total = 0
    for f in fs:
        m = f.milestone(1, "acknowledge")
        when = _settled(m)
        if m is None or when not in period or not f.accepted:
            continue
        total += 1
        if m.done is not None and m.done <= cal.add(m.start, days):
            met += 1
    return ratio(met, total)


def _responses(fs: Sequence[Facts], stage: int, period: Period) -> list[tuple[Facts, Milestone]]:
    out = []
    key, start, end = (stage, "respond"), period.start, period.end
    for f in fs:
        m = f._events.get(key)
        if m is not None and m.done is not None and start <= m.done <= end and f.in_stage(stage):
            out.append((f, m))
    return out


def _extended(fs: Sequence[Facts], stage: int, period: Period) -> dict[str, Any]:
    """How many responses sent in the period had their timescale extended (a count)."""
    sent = _responses(fs, stage, period)
    return count(sum(1 for _, m in sent if m.extension is not None))


def _resolved_at_stage1(fs: Sequence[Facts], period: Period) -> dict[str, Any]:
    sent = _responses(fs, 1, period)
    return ratio(sum(1 for f, _ in sent if not f.escalated), len(sent))


def _resolved_at_stage2(fs: Sequence[Facts], period: Period) -> dict[str, Any]:
    """Stage 2 responses sent in the period whose complaint was not then referred to the
    Ombudsman (as known on the date of the report)."""
    sent = _responses(fs, 2, period)
    referred = [f for f, _ in sent if f.case.ombudsman is not None and f.known(f.case.ombudsman.referred)]
    return ratio(len(sent) - len(referred), len(sent))


def _satisfaction(fs: Sequence[Facts], period: Period) -> dict[str, Any]:
    asked = [f for f in fs if f.case.satisfied is not None and f.last_response() in period]
    return ratio(sum(1 for f in asked if f.case.satisfied), len(asked))


#: Headline figures taken from the TSMs: key, label, measure, stage, field.
HEADLINES = (
    ("stage1_received", "Stage 1 complaints received", "CH01", "stage1", "numerator"),
    ("stage2_received", "Complaints escalated to stage 2", "CH01", "stage2", "numerator"),
    ("ch01_stage1", "Stage 1 complaints per 1,000 homes (CH01)", "CH01", "stage1", "value"),
    ("ch02_stage1", "Stage 1 complaints answered within timescale (CH02)", "CH02", "stage1", "value"),
    ("ch02_stage2", "Stage 2 complaints answered within timescale (CH02)", "CH02", "stage2", "value"),
)

ROWS: list[tuple[str, str]] = [
    ("service_requests", "Service requests received"),
    ("stage1_received", "Stage 1 complaints received"),
    ("stage1_ack_within", "Stage 1 complaints acknowledged within 5 working days"),
    (
        "stage1_ack_within_standard",
        "Stage 1 complaints acknowledged within our standard of {n} working days",
    ),
    (
        "stage1_responses_within",
        "Stage 1 responses within 10 working days (or a permitted extension)",
    ),
    ("stage1_responses_extended", "Stage 1 responses extended"),
    ("resolved_at_stage1", "Complaints resolved at stage 1"),
    ("stage2_received", "Complaints escalated to stage 2"),
    ("stage2_ack_within", "Stage 2 complaints acknowledged within 5 working days"),
    (
        "stage2_responses_within",
        "Stage 2 responses within 20 working days (or a permitted extension)",
    ),
    ("stage2_responses_extended", "Stage 2 responses extended"),
    ("resolved_at_stage2", "Complaints resolved at stage 2 (not referred to the Ombudsman)"),
    ("ombudsman_referrals", "Complaints referred to the Housing Ombudsman"),
    ("failure_orders", "Complaint handling failure orders"),
    ("satisfaction", "Satisfaction with complaint handling"),
]


#: The rows whose label names a clock of the Code: (stage, event) of its milestones.
_CLOCK_ROWS = {
    "stage1_ack_within": (1, "acknowledge"),
    "stage1_responses_within": (1, "respond"),
    "stage2_ack_within": (2, "acknowledge"),
    "stage2_responses_within": (2, "respond"),
}
_CODE_TIMESCALE = "the Code's timescale"


def clock_words(fs: Sequence[Facts], stage: int, event: str, period: Period) -> str | None:
    """The clock that judged the ``stage`` ``event`` milestones settled or due in ``period``, in
    words: "10 working days"; where editions with different clocks judged them, each with its
    editions, "5 days (hoc-2022) or 5 working days (hoc-2024)". None where none was judged."""
    found: dict[tuple[int, bool], set[str]] = {}
    start, end = period.start, period.end
    for f in fs:
        for m in f.ms:
            if m.stage == stage and m.event == event:
                day = m.done or m.due
                if day is not None and start <= day <= end:
                    found.setdefault((m.working_days, m.working), set()).add(m.edition)
    words = {k: f"{k[0]} working days" if k[1] else f"{k[0]} days" for k in found}
    if len(found) == 1:
        return next(iter(words.values()))
    named = sorted((sorted(e for e in eds if e) or [_CODE_TIMESCALE], words[k]) for k, eds in found.items())
    return " or ".join(f"{w} ({', '.join(eds)})" for eds, w in named) or None


def _clock_label(label: str, words: str | None) -> str:
    """A row's label with the clock that judged it in place of the 2024 Code's (unchanged where
    nothing was judged: figures entered by hand are labelled as the Code labels them)."""
    if words is None:
        return label
    return re.sub(r"within \d+ working days", f"within {words}", label, count=1)


def _row(key: str, fs: Sequence[Facts], period: Period, settings: Settings, cal: WorkingCalendar) -> dict[str, Any]:
    if key == "service_requests":
        return count(sum(1 for f in fs if f.case.kind == "service-request" and f.case.received in period))
    if key == "stage1_received":
        return count(sum(1 for f in fs if f.accepted and f.case.received in period))
    if key == "stage1_ack_within":
        return _timely(fs, 1, "acknowledge", period)
    if key == "stage1_ack_within_standard":
        return _within_standard(fs, settings.service_standards["stage1_acknowledge"], period, cal)
    if key == "stage1_responses_within":
        return _timely(fs, 1, "respond", period)
    if key == "stage1_responses_extended":
        return _extended(fs, 1, period)
    if key == "resolved_at_stage1":
        return _resolved_at_stage1(fs, period)
    if key == "stage2_received":
        return count(sum(1 for f in fs if f.requested in period))
    if key == "stage2_ack_within":
        return _timely(fs, 2, "acknowledge", period)
    if key == "stage2_responses_within":
        return _timely(fs, 2, "respond", period)
    if key == "stage2_responses_extended":
        return _extended(fs, 2, period)
    if key == "resolved_at_stage2":
        return _resolved_at_stage2(fs, period)
    if key == "ombudsman_referrals":
        return count(sum(1 for f in fs if f.case.ombudsman and f.case.ombudsman.referred in period))
    if key == "failure_orders":
        return count(sum(1 for f in fs if f.case.ombudsman and f.case.ombudsman.failure_order in period))
    if key == "satisfaction":
        return _satisfaction(fs, period)
    raise KeyError(key)  # pragma: no cover


Published = Mapping[str, Mapping[str, Mapping[str, Any]]]


def _clip(p: Period, as_of: date | None) -> Period | None:
    """``p`` up to ``as_of`` (None for a period that had not begun)."""
    if as_of is None or as_of >= p.end:
        return p
    if as_of < p.start:
        return None
    return Period(p.key, p.label, p.start, as_of)


def has_case_records(fs: Sequence[Facts], year: Period, as_of: date | None = None) -> bool:
    """Whether the case files hold anything for the year (up to ``as_of``): where they do, the
    figures are computed from them (a 0 is a real 0); where they do not, there are only the
    figures entered by hand, and "no data"."""
    clipped = _clip(year, as_of)
    return clipped is not None and any(f.touches(clipped) for f in fs)


def _differs(
    key: str, label: str, period: str, computed: dict[str, Any], entered: Mapping[str, Any]
) -> dict[str, Any] | None:
    """A figure entered by hand that differs from the one computed (``key``: its row or TSM),
    both written as the reports write them."""
    if agrees(computed, entered):
        return None
    return {
        "period": period,
        "label": label,
        "computed": shown(computed, key),
        "entered": shown(entered, key),
        "key": key,
    }


def quarterly_table(
    fs: Sequence[Facts],
    year: Period,
    settings: Settings,
    cal: WorkingCalendar,
    *,
    as_of: date | None = None,
    published: Published | None = None,
    differences: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The rows of the table by quarter. Each cell is computed from the case files where the
    year has any (``source: cases``), else taken from the figures entered by hand
    (``source: entered``), else "no data" (``source: none``); so is a quarter not begun on
    ``as_of``. Where both exist the computed figure is shown and a difference is added to
    ``differences``."""
    periods = [*quarters(year), year]
    fs = [f for f in fs if f.touches(year)]  # every cell counts by a date inside the year
    cases = has_case_records(fs, year, as_of)
    published = published or {}
    clips = [_clip(p, as_of) for p in periods]
    # each period's cells from the cases with a date in it: every cell counts a case by one of
    # its dates (each in Facts.dates), so the others would be looked at for nothing, row by row
    zones = _zones(fs, clips[:-1]) if cases else [[] for _ in clips[:-1]]
    # where the quarters are the year in four (as they always are), a year's cell is the sum of
    # its quarters' (each counts a case by one of its dates, which is in one quarter alone)
    summed = _in_four(periods)
    whole = clips[-1]
    zones.append([f for f in fs if f.touches(whole)] if cases and whole is not None and not summed else [])
    rows = []
    for key, label in ROWS:
        if key == "stage1_ack_within_standard":
            days = settings.service_standards.get("stage1_acknowledge")
            if days is None:
                continue
            label = label.format(n=days)
        clock = _CLOCK_ROWS.get(key)
        if clock is not None:  # the clock the case files were judged by, not one edition's words
            label = _clock_label(label, clock_words(fs, *clock, year))
        cells = {}
        counted: list[dict[str, Any]] = []  # the quarters' cells, as counted
        for p, clipped, within in zip(periods, clips, zones, strict=True):
            computed = None
            if cases and clipped is not None:
                if p is year and summed:
                    cell = _summed(counted)
                else:
                    cell = _row(key, within, clipped, settings, cal)
                    counted.append(cell)
                computed = {**cell, "source": "cases"}
            entered = published.get(p.key, {}).get(key)
            if clipped is None:  # not begun on as_of: nothing to show, whatever was entered
                entered = None
            if computed is not None:
                if entered is not None and differences is not None:
                    found = _differs(key, label, p.key, computed, entered)
                    if found is not None:
                        differences.append(found)
                cells[p.key] = computed
            else:
                cells[p.key] = dict(entered) if entered is not None else dict(NO_DATA)
        rows.append({"key": key, "label": label, "cells": cells})
    return rows


def _in_four(periods: Sequence[Period]) -> bool:
    """Whether ``periods`` (four quarters, then their year) are the year cut in four: each
    quarter starts the day after the one before ends, the first on the year's first day, the
    last ending on its last."""
    *parts, whole = periods
    ends = [whole.start - timedelta(days=1), *(p.end for p in parts)]
    return all(p.start == end + timedelta(days=1) for p, end in zip(parts, ends, strict=False)) and (
        ends[-1] == whole.end
    )


def _zones(fs: Sequence[Facts], clips: Sequence[Period | None]) -> list[list[Facts]]:
    """For each of ``clips`` (None: a period not begun, with no facts), the facts with a date in
    it, in order: one look at each case's dates where the periods follow on one from another
    without a gap (a year's quarters up to the as-of day), else each period in turn."""
    live = [(i, c) for i, c in enumerate(clips) if c is not None]
    out: list[list[Facts]] = [[] for _ in clips]
    if not live:
        return out
    if any(b.start != a.end + timedelta(days=1) for (_, a), (_, b) in pairwise(live)):
        for i, c in live:
            out[i] = [f for f in fs if f.touches(c)]
        return out
    starts = [c.start for _, c in live]
    first, last = live[0][1].start, live[-1][1].end
    for f in fs:
        before = -1
        for day in f.dates_within(first, last):
            k = bisect_right(starts, day) - 1  # the period the day is in: they follow one another
            if k != before:
                out[live[k][0]].append(f)
                before = k
    return out


def _summed(cells: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A cell counted over periods one after another, from each period's cell: a percentage
    (numerator and denominator added) or a count."""
    if "denominator" in cells[0]:
        return ratio(sum(c["numerator"] for c in cells), sum(c["denominator"] for c in cells))
    return count(sum(c["value"] for c in cells))


#: How a complaint made in the year stands for CH02: status -> (in the numerator, reason).
#: The Regulator's return: Q2 (Q4) counts the stage 1 (stage 2) complaints made in the year;
#: Q2a (Q4a) those responded to within the Code's timescale without the extension, Q2b (Q4b)
#: with it. "With the extension" is a response after the original due date and on or before the
#: extended one (an extension agreed but not needed is not used).
CH02_STATUSES: dict[str, tuple[bool, str]] = {
    "within": (True, "responded within the Code's timescale without an extension"),
    "within-extension": (True, "responded within the Code's timescale using a permitted extension"),
    "late": (False, "responded after the Code's timescale"),
    "not-responded": (False, "no response by the end of the Code's timescale"),
    "pending": (False, "pending: no response yet, still within the Code's timescale"),
    "withdrawn": (False, "withdrawn before a response was due"),
    "no-timescale": (False, "no Code timescale applies to it"),
}


def made_on(f: Facts, stage: int) -> date | None:
    """When the complaint was made at ``stage`` (received; stage 2: the escalation requested),
    or None where it is not a complaint at that stage on the as-of day (refused, not escalated)."""
    if stage == 1:
        return f.known(f.case.received) if f.accepted else None
    return f.requested  # None unless escalated


def made(fs: Sequence[Facts], stage: int, period: Period) -> list[Facts]:
    """The complaints made in ``period`` at ``stage``: CH01's numerator and CH02's denominator
    (:func:`made_on` of each, in ``period``)."""
    start, end = period.start, period.end
    if stage == 2:
        return [f for f in fs if (day := f.requested) is not None and start <= day <= end]
    return [
        f
        for f in fs
        if f.accepted
        and (day := f.case.received) is not None
        and (f.as_of is None or day <= f.as_of)  # known on the as-of day
        and start <= day <= end
    ]


def ch02_status(f: Facts, stage: int) -> str:
    """How one complaint made at ``stage`` stands for CH02 on the as-of day (a key of
    :data:`CH02_STATUSES`), whenever its response was sent."""
    m = f.milestone(stage, "respond")
    if m is None:
        st = f.case.stage1 if stage == 1 else f.case.stage2
        withdrawn = st is not None and (st.outcome == "withdrawn" or f.known(st.withdrawn) is not None)
        return "withdrawn" if withdrawn else "no-timescale"
    if m.done is not None:
        if m.status != "met":
            return "late"
        ext = m.extension
        used = ext is not None and ext.counted and m.done > ext.original_due
        return "within-extension" if used else "within"
    if m.status in ("missed", "overdue"):
        return "not-responded"
    return "pending"


def ch02_cell(fs: Sequence[Facts], stage: int, period: Period) -> dict[str, Any]:
    """CH02 at ``stage`` as the Regulator counts it: of the complaints made in ``period``, the
    share responded to within the Code's timescale (a permitted extension included), whenever the
    response was sent. ``without_extension`` / ``with_extension`` split the numerator (the
    return's Q2a/Q2b, Q4a/Q4b); ``pending`` counts those not answered on the as-of day and still
    in time: while any are, the figure is provisional."""
    return _ch02_of(made(fs, stage, period), stage)


def _ch02_of(made_in: Sequence[Facts], stage: int) -> dict[str, Any]:
    """:func:`ch02_cell` of the complaints made in the period (``made_in``)."""
    statuses = Counter(ch02_status(f, stage) for f in made_in)
    within = statuses["within"] + statuses["within-extension"]
    return {
        **ratio(within, sum(statuses.values())),
        "without_extension": statuses["within"],
        "with_extension": statuses["within-extension"],
        "pending": statuses["pending"],
    }


def tsm(
    fs: Sequence[Facts],
    year: Period,
    homes: int | None,
    *,
    table: Sequence[Mapping[str, Any]] | None = None,
    cases: bool = True,
    published: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """CH01 and CH02 for the year. From the case files where the year has any; else from the
    TSMs entered by hand, else worked out from the year's entered figures (stage 1 and 2
    complaints received, responses within timescale), else no data."""
    published = published or {}

    def per_thousand(n: int, source: str) -> dict[str, Any]:
        return {**percent.per_thousand(n, homes), "source": source}

    if cases:
        made_in = {n: made(fs, n, year) for n in (1, 2)}  # CH01's numerator, CH02's denominator
        return {
            "CH01": {stage: per_thousand(len(made_in[n]), "cases") for n, stage in ((1, "stage1"), (2, "stage2"))},
            "CH02": {
                stage: {**_ch02_of(made_in[n], n), "source": "cases"} for n, stage in ((1, "stage1"), (2, "stage2"))
            },
        }
    rows = {r["key"]: r["cells"]["year"] for r in table or ()}

    def ch01(stage: str) -> dict[str, Any]:
        entered = published.get(f"ch01_{stage}")
        received = rows.get(f"{stage}_received") or NO_DATA
        n = received.get("value") if received.get("source") == "entered" else None
        if entered is not None:
            return {**entered, "numerator": n, "denominator": homes}
        if n is None:
            return {"value": None, "numerator": None, "denominator": homes, "source": "none"}
        return per_thousand(n, "entered")

    def ch02(stage: str) -> dict[str, Any]:
        entered = published.get(f"ch02_{stage}") or rows.get(f"{stage}_responses_within")
        if entered is None or entered.get("source") != "entered":
            return dict(NO_DATA)
        return dict(entered)

    return {
        "CH01": {"stage1": ch01("stage1"), "stage2": ch01("stage2")},
        "CH02": {"stage1": ch02("stage1"), "stage2": ch02("stage2")},
    }


def stock_columns(homes: Homes | None, combine: bool | None) -> tuple[str, ...]:
    """The stock types CH01 and CH02 are given for (``lcra``, ``lcho``, ``combined``), by
    hcode.yaml's ``tsm: combine``: True, the Regulator allows this landlord to combine, so the
    combined figures alone; False, it does not, so LCRA and LCHO alone where the year's homes are
    split (without the split only the combined figures can be given); None: every one there is.
    The return and the annual report both ask this."""
    split = homes is not None and homes.lcra is not None and homes.lcho is not None
    parts = ("lcra", "lcho") if split and combine is not True else ()
    return parts if split and combine is False else (*parts, "combined")


def tsm_by_tenure(fs: Sequence[Facts], year: Period, homes: Homes | None, cases: bool) -> dict[str, Any] | None:
    """CH01 and CH02 for low-cost rental (``lcra``) and low-cost home ownership (``lcho``) apart,
    where hcode.yaml gives the split of the year's homes and the case files hold the year: each
    over its own homes and the complaints recorded with that ``tenure``. ``not_recorded`` counts
    the complaints with no tenure (in the totals, in neither part)."""
    if homes is None or homes.lcra is None or homes.lcho is None or not cases:
        return None
    out: dict[str, Any] = {}
    for tenure, n in (("lcra", homes.lcra), ("lcho", homes.lcho)):
        out[tenure] = tsm([f for f in fs if f.case.tenure == tenure], year, n)
    unknown = [f for f in fs if f.case.tenure is None]
    out["not_recorded"] = {"stage1": len(made(unknown, 1, year)), "stage2": len(made(unknown, 2, year))}
    return out


def tsm_audit(fs: Sequence[Facts], year: Period) -> list[TsmRow]:
    """Every complaint considered for CH01/CH02 in the year, with why it is in or out, as known
    on the facts' as-of day (a receipt, escalation, refusal or response dated later has not
    happened). A complaint is in both measures when it was made in the year at that stage; one
    made in another year whose response was sent in this one is listed, and is in neither."""
    rows = []
    for f in sorted(fs, key=lambda f: (f.case.received, f.case.id)):
        c = f.case
        if not c.is_complaint:
            continue
        for stage in (1, 2):
            st = c.stage1 if stage == 1 else c.stage2
            received = f.known(c.received if stage == 1 else (st.requested if st else None))
            m = f.milestone(stage, "respond")
            responded = m.done if m is not None else None
            if received not in year and responded not in year:
                continue
            refused = f.refused_at(stage)
            counted = made_on(f, stage) in year
            if counted:
                status = ch02_status(f, stage)
                inside, why02 = CH02_STATUSES[status]
                why01 = "made in the year"
            else:
                status, inside = "", False
                why01 = "not accepted (refused)" if refused and received in year else "made in another year"
                why02 = why01 + (": its response is counted in the year it was made" if responded in year else "")
            rows.append(
                TsmRow(
                    case=c.id,
                    stage=stage,
                    stock_type=(c.tenure or "").upper() or None,
                    received=received.isoformat() if received else None,
                    responded=responded.isoformat() if responded else None,
                    due=m.due.isoformat() if m is not None else None,
                    extended=bool(m is not None and m.extension is not None and m.extension.counted),
                    in_ch01=counted,
                    ch01_reason=why01,
                    in_ch02=counted,
                    ch02_status=status or None,
                    ch02_reason=why02,
                    within_timescale=inside if counted and status != "pending" else None,
                    edition=m.edition if m is not None else None,
                )
            )
    return rows


def _days(fs: Sequence[Facts], stage: int, year: Period, cal: WorkingCalendar) -> dict[str, Any]:
    values = []
    for f, m in _responses(fs, stage, year):
        start = f.case.received if stage == 1 else f.case.stage2.requested  # type: ignore[union-attr]
        assert start is not None and m.done is not None
        values.append(cal.between(start, m.done))
    if not values:
        return {"average": None, "median": None, "count": 0}
    return {
        "average": round(statistics.fmean(values), 1),
        "median": float(statistics.median(values)),
        "count": len(values),
    }


def _outcomes(fs: Sequence[Facts], stage: int, year: Period) -> dict[str, int]:
    out = dict.fromkeys(OUTCOMES, 0)
    for f in fs:
        st = f.case.stage1 if stage == 1 else f.case.stage2
        if st is None or st.outcome is None:
            continue
        when = st.withdrawn if st.outcome == "withdrawn" else st.responded
        if when in year and f.in_stage(stage):
            out[st.outcome] += 1
    return out


def _categories(
    fs: Sequence[Facts], year: Period, prev: Period, names: Mapping[str, str] | None, prev_records: bool
) -> list[dict[str, Any]]:
    """Stage 1 complaints by category, this year and last. ``prev_records``: whether the case files
    hold records of the previous year; without them last year's count and the change are None
    ("no data", never 0), even where last year's headline figures were entered by hand."""
    # an undeclared category is counted, but published only as "other (not declared)"
    this = Counter(published_slug(f.case.category, names) for f in fs if f.accepted and f.case.received in year)
    last = Counter(published_slug(f.case.category, names) for f in fs if f.accepted and f.case.received in prev)
    rows = []
    for cat in sorted(set(this) | set(last), key=lambda c: (-this[c], c)):
        rows.append(
            {
                "category": cat,
                "name": display_name(cat, names),
                "this_year": this[cat],
                "previous_year": last[cat] if prev_records else None,
                "change": this[cat] - last[cat] if prev_records else None,
            }
        )
    return rows


def _refusals(fs: Sequence[Facts], year: Period) -> list[dict[str, Any]]:
    counts = {(r, s): 0 for r in REFUSAL_REASONS for s in (1, 2)}
    for f in fs:
        r = f.case.refused
        if r is not None and r.date in year:
            counts[(r.reason, r.stage)] += 1
    return [{"reason": r, "stage1": counts[(r, 1)], "stage2": counts[(r, 2)]} for r in REFUSAL_REASONS]


def _remedies(fs: Sequence[Facts], year: Period) -> dict[str, Any]:
    amounts = [
        float(f.case.remedy.compensation)
        for f in fs
        if f.case.remedy is not None and f.case.remedy.compensation and f.last_response() in year
    ]
    total = round(sum(amounts), 2)
    return {
        "with_compensation": len(amounts),
        "total": total,
        "average": round(total / len(amounts), 2) if amounts else None,
    }


def _ombudsman(fs: Sequence[Facts], year: Period) -> dict[str, Any]:
    findings = dict.fromkeys(FINDINGS, 0)
    referrals = orders = 0
    for f in fs:
        o = f.case.ombudsman
        if o is None:
            continue
        referrals += o.referred in year
        orders += o.failure_order in year
        if o.finding and o.determined in year:
            findings[o.finding] += 1
    return {"referrals": referrals, "findings": findings, "failure_orders": orders}


def _learning(fs: Sequence[Facts], year: Period) -> list[str]:
    seen: dict[str, None] = {}
    for f in sorted(fs, key=lambda f: (f.last_response() or f.case.received, f.case.id)):
        text = (f.case.learning or "").strip()
        if text and f.last_response() in year:
            seen.setdefault(text, None)
    return list(seen)


_RESPONSE_CLOCKS = ("10 working days", "20 working days")


def conventions(
    settings: Settings, editions: Sequence[str] = (), respond: tuple[str | None, str | None] = (None, None)
) -> list[str]:
    """The counting conventions of a report; ``editions``: the Code editions whose timescales
    judged the figures; ``respond``: the stage 1 and stage 2 response clocks that judged them, in
    words (:func:`clock_words`; None: none judged, the 2024 Code's are stated)."""
    clocks = (respond[0] or _RESPONSE_CLOCKS[0], respond[1] or _RESPONSE_CLOCKS[1])
    official = clocks == _RESPONSE_CLOCKS
    response = (
        "The stage 1 (stage 2) response is due 10 (20) working days after the acknowledgement; "
        if official
        else f"The stage 1 response is due {clocks[0]} after the acknowledgement, and the stage 2 response "
        f"{clocks[1]} after its acknowledgement; "
    )
    closures = ", ".join(d.isoformat() for d in sorted(settings.closures)) or "none"
    receipt = (
        "The day something is received is day 0, whatever day it is."
        if settings.receipt == "day-zero"
        else "Something received on a non-working day counts as received on the next working day (day 0)."
    )
    division = settings.division.replace("-", " ").title().replace("And", "and")
    return [
        f"A working day is Monday to Friday except bank holidays in {division} and our closure days ({closures}).",
        f'"Within N working days of X": {receipt} The deadline is the Nth working day after it.',
        response + "where an acknowledgement was late, the outer limit counted from receipt is also reported.",
        "An extension counts only if the resident was told on or before the original due date, "
        "and for no more than 10 (stage 1) or 20 (stage 2) working days without a recorded good reason.",
        "Complaints received and escalations count in the period they were received; acknowledgements "
        "and responses in the period they were sent. Complaints not accepted count only as refusals.",
        "CH01: stage 1 and stage 2 complaints made in the year (stage 2: escalation requested) per 1,000 "
        "homes owned at the year end. CH02: of the complaints made in the year at each stage, the share "
        "responded to within the Code's timescale (a permitted extension counting as within), whenever "
        "the response was sent; one not yet answered and still in time is pending, and the figure is "
        "provisional while any are.",
        "Working days to respond are counted from receipt (stage 1) or the escalation request (stage 2).",
        "No personal data: no names, case references or staff references appear in this report.",
        *_editions_line(settings, editions, official),
    ]


def _headline(
    key: str, label: str, unit: str, this: dict[str, Any] | None, prev: dict[str, Any] | None
) -> dict[str, Any]:
    """A headline figure: its values (as before) and its cells with counts, so every format can
    show a percentage with its counts (``unit``: count, percent or per_1000_homes)."""
    return {
        "key": key,
        "label": label,
        "this_year": None if this is None else this["value"],
        "previous_year": None if prev is None else prev["value"],
        "unit": unit,
        "cells": {"this_year": this, "previous_year": prev},
    }


def _editions_line(settings: Settings, editions: Sequence[str], official: bool = True) -> list[str]:
    """Which editions judged the figures (``official``: the response times stated are the 2024
    Code's; else they are the clocks applied, and only the extension limits are the 2024 Code's)."""
    if not editions:
        return []
    names = ", ".join(editions)
    stated = (
        "the response times and extension limits stated above are the 2024 Code's"
        if official
        else ("the response times stated above are the clocks applied, the extension limits the 2024 Code's")
    )
    if settings.code == AUTO:
        return [
            f"Timescales applied: {names}. Each complaint is judged by the Code edition in force on the "
            "day it was received, and its stage 2 by the edition in force on the day the escalation was "
            f"requested; {stated}, and a "
            "complaint judged by an earlier edition is judged by that edition's own timescales."
        ]
    return [f"Timescales applied: {names}, for every complaint whatever its date (code: {settings.code})."]


def _count_of(cell: Mapping[str, Any]) -> dict[str, Any]:
    """The count behind a CH01 cell (complaints received), keeping where it comes from."""
    n = cell.get("numerator")
    return {"value": n, "source": cell.get("source") if n is not None else "none"}


def _homes_json(h: Homes | None) -> dict[str, Any] | None:
    return None if h is None else {"total": h.total, "lcra": h.lcra, "lcho": h.lcho}


def annual(
    fs: Sequence[Facts],
    year: str,
    settings: Settings,
    cal: WorkingCalendar,
    *,
    as_of: date | None = None,
    published: Published | None = None,
    previous_published: Published | None = None,
) -> dict[str, Any]:
    """Every figure of the annual report, with stable keys (see docs/reports.md).

    ``as_of``: nothing dated after it is counted; a year not over on that date is provisional.
    ``published`` / ``previous_published``: the figures entered by hand for the year and the
    year before (``reports/YYYY-YY.yaml``, read by :func:`hcode.core.figures.parse_figures`),
    used where the case files hold nothing for that year."""
    period = year_period(year, settings)
    prev = year_period(previous_year(year), settings)
    fs = [f for f in fs if f.touches(period, prev)]  # every figure counts by a date in one of them
    cases = has_case_records(fs, period, as_of)
    prev_cases = has_case_records(fs, prev, as_of)  # the same test as the year's own, and as its table's
    has_prev = prev_cases or bool(previous_published)
    homes, prev_homes = settings.homes_in(year), settings.homes_in(previous_year(year))
    columns = stock_columns(homes, settings.tsm_combine)
    counted = _clip(period, as_of) or Period("year", year, period.start, period.start - timedelta(days=1))

    differences: list[dict[str, Any]] = []
    table = quarterly_table(fs, period, settings, cal, as_of=as_of, published=published, differences=differences)
    this_year = (published or {}).get("year", {})
    this_tsm = tsm(fs, counted, homes.total if homes else None, table=table, cases=cases, published=this_year)
    if cases:
        for measure, stage, label in (
            ("CH01", "stage1", "CH01 stage 1"),
            ("CH01", "stage2", "CH01 stage 2"),
            ("CH02", "stage1", "CH02 stage 1"),
            ("CH02", "stage2", "CH02 stage 2"),
        ):
            entered = this_year.get(f"{measure.lower()}_{stage}")
            if entered is not None:
                found = _differs(f"{measure.lower()}_{stage}", label, "year", this_tsm[measure][stage], entered)
                if found is not None:
                    differences.append(found)
    prev_table_rows: list[dict[str, Any]] = []
    prev_tsm = None
    if has_prev:
        prev_table_rows = quarterly_table(fs, prev, settings, cal, as_of=as_of, published=previous_published)
        prev_tsm = tsm(
            fs,
            prev,
            prev_homes.total if prev_homes else None,
            table=prev_table_rows,
            cases=prev_cases,
            published=(previous_published or {}).get("year", {}),
        )
    prev_table = {r["key"]: r for r in prev_table_rows}
    headlines = []
    for key, label, measure, stage, field in HEADLINES:
        unit = "count" if field == "numerator" else ("per_1000_homes" if measure == "CH01" else "percent")
        cells = [t[measure][stage] if t else None for t in (this_tsm, prev_tsm)]
        if unit == "count":
            cells = [None if c is None else _count_of(c) for c in cells]
        headlines.append(_headline(key, label, unit, cells[0], cells[1]))
    for row in table:
        if row["key"] in ("service_requests", "stage1_ack_within"):
            prev_row = prev_table.get(row["key"])
            unit = "count" if row["key"] == "service_requests" else "percent"
            headlines.append(
                _headline(
                    row["key"],
                    row["label"],
                    unit,
                    row["cells"]["year"],
                    prev_row["cells"]["year"] if prev_row else None,
                )
            )
    provisional = {"as_at": as_of.isoformat()} if as_of is not None and as_of < period.end else None
    out: dict[str, Any] = {
        "hcode": 1,
        "landlord": settings.landlord,
        "homes": homes.total if homes else None,
        "homes_split": {"lcra": homes.lcra, "lcho": homes.lcho} if homes and homes.lcra is not None else None,
        "previous_homes": _homes_json(prev_homes) if has_prev else None,
        "year": year,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "provisional": provisional,
        "case_records": cases,
        "previous_year": previous_year(year) if has_prev else None,
        "quarters": [
            {"key": q.key, "label": q.label, "start": q.start.isoformat(), "end": q.end.isoformat()}
            for q in quarters(period)
        ],
        "headline": headlines,
        "table": table,
        "tsm": this_tsm,
        "stock_types": list(columns),
        "tsm_split": tsm_by_tenure(fs, counted, homes, cases) if "lcra" in columns else None,
        "differences": differences,
        "outcomes": {"stage1": _outcomes(fs, 1, counted), "stage2": _outcomes(fs, 2, counted)} if cases else None,
        "days_to_respond": {
            "stage1": _days(fs, 1, counted, cal),
            "stage2": _days(fs, 2, counted, cal),
        }
        if cases
        else None,
        "categories": _categories(fs, counted, prev, settings.categories, prev_cases) if cases else None,
        "refusals": _refusals(fs, counted) if cases else None,
        "remedies": _remedies(fs, counted) if cases else None,
        "ombudsman": _ombudsman(fs, counted) if cases else None,
        "learning": _learning(fs, counted),
        "conventions": conventions(
            settings,
            _editions_used(fs, counted),
            (clock_words(fs, 1, "respond", period), clock_words(fs, 2, "respond", period)),
        ),
    }
    # the rows published reports add: from the case files, else as entered by hand (figures: year:)
    computed = report_rows(AnnualFigures.of(out))
    entered = {k: v for k, v in this_year.items() if k in RATE_ROWS}
    if computed is not None:
        rate_cells: Mapping[str, Mapping[str, Any]] = computed.cells()
        for key, label, _ in RATE_LABELS:
            if key in entered and key in rate_cells:
                found = _differs(key, label, "year", dict(rate_cells[key]), entered[key])
                if found is not None:
                    differences.append(found)
    else:
        rate_cells = entered
    out["rates"] = rows_json(rate_cells)
    return out


def _editions_used(fs: Sequence[Facts], period: Period) -> list[str]:
    """The editions whose clocks judged a milestone settled or due in ``period``."""
    start, end = period.start, period.end
    found: set[str] = set()
    for f in fs:
        for m in f.ms:
            day = m.done or m.due
            if m.edition and day is not None and start <= day <= end:
                found.add(m.edition)
    return sorted(found)
