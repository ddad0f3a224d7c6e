"""The year's duties (``hcode due`` lists them, ``hcode check`` warns when one is overdue): the
Ombudsman's annual submission, the report published with the governing body's response, the TSM
return and a revised self-assessment's re-submission, from ``hcode.yaml`` (homes, reporting
year, ``annual_submission``, ``tsm:``) and the dates ``reports/YYYY-YY.yaml`` records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hcode.api.workspace import OpenWorkspace
from hcode.core.duties import Duty, duties, duty_years
from hcode.core.model import Finding
from hcode.core.selection import Selection
from hcode.core.years import reporting_year


@dataclass(frozen=True)
class YearDuties:
    """The duties of the reporting years :func:`hcode.core.duties.duty_years` names, oldest year
    first, with the working days left to each (None: done, or no date); and the problems of the
    ``reports/`` files read (a date that is not a real day is left out and named)."""

    as_of: date
    duties: list[Duty]
    left: list[int | None]
    problems: list[Finding] = field(default_factory=list)

    def rows(self) -> list[dict[str, object]]:
        return [d.row(left) for d, left in zip(self.duties, self.left, strict=True)]


def year_duties(ws: OpenWorkspace, as_of: date | None = None) -> YearDuties:
    """The duties listed as on ``as_of`` (default today)."""
    ctx = ws.context(as_of)
    settings = ws.settings
    store = ws.store
    years = store.report_years()
    problems = list(years.problems)
    found: list[Duty] = []
    for name in duty_years(ctx.as_of, settings.year_start, store.kept_years()):
        recorded = store.report_dates(name)
        problems += recorded.problems
        homes = settings.homes_in(name)
        found += duties(
            reporting_year(name).end(settings.year_start),
            homes.total if homes is not None else None,
            recorded.items[0],
            ctx.as_of,
            rule=settings.annual_submission,
            tsm_return=settings.tsm_return_due,
            year=name,
        )
    left = [ctx.calendar.between(ctx.as_of, d.due) if d.due is not None and d.status != "done" else None for d in found]
    return YearDuties(ctx.as_of, found, left, problems)


def due_duties(
    ws: OpenWorkspace,
    as_of: date | None = None,
    *,
    within: int | None = None,
    all: bool = False,
    chosen: Selection | None = None,
) -> YearDuties:
    """The duties ``hcode due`` lists: those not done (``all``: done ones too), overdue first,
    then by date (a duty whose date cannot be worked out last of those not done); ``within``:
    only those due within N working days (overdue and undated ones always shown). ``chosen``:
    none where it selects cases (by id, year received, category, handler or kind: a duty is no
    case's); with ``overdue``, the overdue ones; with ``open``, those not done."""
    if chosen is not None and (chosen.cases or chosen.received or chosen.categories or chosen.handlers or chosen.kinds):
        return YearDuties(as_of or date.today(), [], [], [])
    listed = year_duties(ws, as_of)
    order = {"overdue": 0, "open": 1, "unknown": 2, "done": 3}
    pairs = [
        (d, left)
        for d, left in zip(listed.duties, listed.left, strict=True)
        if ((all and not (chosen is not None and chosen.open)) or d.status != "done")
        and not (chosen is not None and chosen.overdue and d.status != "overdue")
        and (within is None or d.status in ("overdue", "unknown") or (left is not None and left <= within))
    ]
    keys = ("submission", "publication", "tsm-return", "resubmission")
    pairs.sort(key=lambda p: (order[p[0].status], p[0].due or date.max, p[0].year, keys.index(p[0].key)))
    return YearDuties(listed.as_of, [d for d, _ in pairs], [left for _, left in pairs], listed.problems)
