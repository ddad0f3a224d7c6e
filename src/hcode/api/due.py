"""``due``: what is overdue and what is due next, the timescale milestones of every case and the
remedy actions offered and not done, in one list."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hcode.api.duties import YearDuties, due_duties
from hcode.api.workspace import OpenWorkspace
from hcode.core.listings import DueItem
from hcode.core.milestones import Milestone, still_open
from hcode.core.model import Finding
from hcode.core.rules import Context
from hcode.core.selection import Selection
from hcode.store.cachefile import rows_as

_DUE_ORDER = {"overdue": 0, "due-soon": 1, "open": 2, "missed": 3, "met": 4}


@dataclass(frozen=True)
class DueList:
    """What ``hcode due`` lists, overdue first then by due date, and the case files it could
    not read (their milestones cannot be listed)."""

    as_of: date
    items: list[DueItem]
    problems: list[Finding] = field(default_factory=list)
    landlord: str = ""
    duties: YearDuties | None = None  # the year's duties (annual submission, publication...)

    def __iter__(self) -> Iterator[DueItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def rows(self) -> list[dict[str, Any]]:
        return [i.row() for i in self.items]


def milestone_row(m: Milestone, left: int | None) -> dict[str, Any]:
    """One milestone as ``hcode due --format json`` prints it (DESIGN 5.3)."""
    return {
        "case": m.case,
        "stage": m.stage,
        "event": m.event,
        "provision": m.provision,
        "from": m.start.isoformat(),
        "working_days": m.working_days if m.working else None,
        "due": m.due.isoformat(),
        "done": m.done.isoformat() if m.done else None,
        "status": m.status,
        "left": left,
        "edition": m.edition,
        "counted_from": m.start_event,
        "days": None if m.working else m.working_days,  # calendar days, where the edition counts them
        "confirmed": m.confirmed,
    }


def _within(status: str, left: int | None, within: int | None) -> bool:
    """Whether ``due --within`` shows it (overdue is always shown)."""
    return within is None or status == "overdue" or (left is not None and left <= within)


def _milestone_rows(case: Any, ctx: Context, *, open_only: bool) -> list[tuple[list[Any], dict[str, Any]]]:
    """One case's milestones for ``due``, each with its place in the listing."""
    from hcode.core.rules import case_milestones

    out = []
    for m in case_milestones(case, ctx):
        is_open = still_open(m)
        if open_only and not is_open:
            continue
        left = ctx.calendar.between(ctx.as_of, m.due) if is_open else None
        out.append(([_DUE_ORDER[m.status], m.due.isoformat(), m.case, m.stage, m.event], milestone_row(m, left)))
    return out


def _remedy_rows(case: Any, ctx: Context) -> list[tuple[list[Any], dict[str, Any]]]:
    """A complaint's remedy actions offered and not done on the as-of day that have a due date (a
    remedy must be followed through; one whose complaint or offering response comes after the
    as-of day is left out), as rows of ``due`` with ``event`` "remedy" and ``stage`` null. The
    provision is the judging edition's (2024 Code 7.3, 2022 Code 6.5), else the rule's name."""
    from hcode.core.rules.handling import remedy_due, remedy_provision

    out: list[tuple[list[Any], dict[str, Any]]] = []
    remedy = case.remedy
    judged = ctx.for_case(case)
    for i, a in enumerate(remedy.actions if remedy is not None else ()):
        due = remedy_due(case, a, ctx.as_of)
        if due is None:
            continue
        left = ctx.calendar.between(ctx.as_of, due)
        status = "overdue" if due < ctx.as_of else ("due-soon" if left <= ctx.soon else "open")
        row = {
            "case": case.id,
            "stage": None,
            "event": "remedy",
            "provision": remedy_provision(judged),
            "from": None,
            "working_days": None,
            "due": due.isoformat(),
            "done": None,
            "status": status,
            "left": left,
            "action": i + 1,
            "edition": judged.code.code,
        }
        out.append(([_DUE_ORDER[status], due.isoformat(), case.id, 9, f"remedy {i + 1:04d}"], row))
    return out


def _hazard_rows(case: Any, ctx: Context, *, open_only: bool) -> list[tuple[list[Any], dict[str, Any]]]:
    """A hazard report's clocks as rows of ``due``, a running 24-hour clock first of all (the
    hours left are worked out per run: :func:`hcode.core.hazards.refresh_row`)."""
    from hcode.core.hazards import hazard_due_rows

    if case.hazard is None or ctx.hazards is None:
        return []
    return hazard_due_rows(case, ctx.hazards, ctx.calendar, ctx.as_of, ctx.soon, open_only=open_only)


def _with_case(case: Any, rows: list[tuple[list[Any], dict[str, Any]]]) -> list[tuple[list[Any], dict[str, Any]]]:
    """Each row with what ``due``'s filters choose by: the case's kind, date received and
    category, and the handler of the row's stage (of the current stage for a remedy action or a
    hazard report's clock)."""
    current = case.stage2 if case.stage2 is not None else case.stage1
    for _, row in rows:
        stage = case.stage1 if row["stage"] == 1 else case.stage2 if row["stage"] == 2 else current
        row["kind"] = case.kind
        row["received"] = case.received.isoformat()
        row["category"] = case.category
        row["handler"] = stage.handler if stage is not None else None
    return rows


def _all_due_rows(case: Any, ctx: Context) -> list[tuple[list[Any], dict[str, Any]]]:
    """Worker processes call this (``due --all``): rows travel back, not records."""
    return _with_case(
        case,
        _milestone_rows(case, ctx, open_only=False)
        + _remedy_rows(case, ctx)
        + _hazard_rows(case, ctx, open_only=False),
    )


def _open_due_rows(case: Any, ctx: Context) -> list[tuple[list[Any], dict[str, Any]]]:
    return _with_case(
        case,
        _milestone_rows(case, ctx, open_only=True) + _remedy_rows(case, ctx) + _hazard_rows(case, ctx, open_only=True),
    )


def _sorted_items(read: Any) -> list[DueItem]:
    """Every case's rows, overdue first, then by due date, as items."""
    found = [pair for rows in read.items for pair in rows]
    found.sort(key=lambda pair: pair[0])
    return [DueItem.from_row(row) for _, row in found]


_ITEMS = rows_as(DueItem.row, DueItem.from_row)  # kept as the rows ``due --format json`` prints


def due_rows(
    ws: OpenWorkspace,
    as_of: date | None = None,
    *,
    within: int | None = None,
    all: bool = False,
    soon: int | None = None,
    chosen: Selection | None = None,
) -> tuple[date, list[dict[str, Any]], list[Finding]]:
    """What :func:`due` lists, as the rows ``hcode due --format json`` prints, computed in the
    worker processes and kept in the cache (as the items, read back as their rows without
    building an item each) for unchanged inputs; with the date and the problems. ``chosen``:
    only the rows it selects (:func:`hcode.api.values.listing_selection`)."""
    from hcode.core.selection import select_rows

    ctx = ws.context(as_of, soon)
    name, mapper = ("due-all", _all_due_rows) if all else ("due", _open_due_rows)
    every, problems = ws.store.derived(
        name, {}, ctx, _sorted_items, mapper, open_only=not all, codec=_ITEMS, encoded=True
    )
    from hcode.core.hazards import refresh_row

    rows: list[dict[str, Any]] = [refresh_row(r, ctx.now) for r in every]  # hours clocks: as of now
    rows = [r for r in rows if _within(r["status"], r["left"], within)]
    return ctx.as_of, rows if chosen is None else select_rows(rows, chosen), problems


def due(
    ws: OpenWorkspace,
    as_of: date | None = None,
    *,
    within: int | None = None,
    all: bool = False,
    soon: int | None = None,
    chosen: Selection | None = None,
) -> DueList:
    """The open milestones and remedy actions (overdue first, then by due date), as on ``as_of``
    (default today). ``within``: only what is due within N working days (overdue always shown);
    ``all``: also the milestones already met or missed; ``chosen``: only the rows it selects
    (by case, open, overdue, year received, category, handler, kind:
    :func:`hcode.api.values.listing_selection`). The year's duties come with them
    (:func:`hcode.api.duties.due_duties`, chosen the same way)."""
    when, rows, problems = due_rows(ws, as_of, within=within, all=all, soon=soon, chosen=chosen)
    duties = due_duties(ws, when, within=within, all=all, chosen=chosen)
    items = [DueItem.from_row(r) for r in rows]
    return DueList(when, items, list(problems) + duties.problems, ws.settings.landlord, duties)
