"""The rows of hcode's listings, as typed values: what is due (``hcode due``), the cases
(``hcode case list``) and the complaints considered for CH01 and CH02 (``hcode report tsm``).
Each gives the row its command writes as JSON or CSV (``row()``); the cache keeps those rows and
the application layer builds the values back from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class DueItem:
    """One row of ``hcode due``: a timescale milestone (``event`` acknowledge or respond) or a
    remedy action offered and not done (``event`` "remedy", ``stage`` None, ``action`` its
    number). ``left``: the working days until it is due (negative when overdue; ``None`` once
    it is met or missed)."""

    case: str
    stage: int | None
    event: str
    provision: str
    due: date
    status: str
    left: int | None
    edition: str
    start: date | None = None  # day 0 of the count (milestones)
    working_days: int | None = None  # the days counted, where they are working days
    days: int | None = None  # the days counted, where the edition counts calendar days
    done: date | None = None
    counted_from: str | None = None  # the event day 0 is (received, requested, acknowledged...)
    confirmed: bool = True  # the clock's number is confirmed from the edition's text
    action: int | None = None  # remedy actions: the action's number (1 = first)
    hours: int | None = None  # hazard reports (Awaab's Law): the length of a clock counted in hours
    due_at: str | None = None  # ... its deadline to the minute (YYYY-MM-DDTHH:MM)
    hours_left: float | None = None  # ... the hours left at the moment of a run as of today
    hazard: bool = False  # a hazard report's clock (event: investigate, summary, make-safe, works-...)
    # the case's, for choosing rows (``due --kind --year --category --handler``):
    kind: str | None = None  # complaint, service-request or hazard
    received: date | None = None
    category: str | None = None
    handler: str | None = None  # the staff reference of the row's stage (a remedy: the current stage)

    @property
    def is_remedy(self) -> bool:
        return self.event == "remedy"

    def row(self) -> dict[str, Any]:
        """The row ``hcode due --format json`` prints (DESIGN 5.3)."""
        return self._row() | {
            "kind": self.kind,
            "received": self.received.isoformat() if self.received else None,
            "category": self.category,
            "handler": self.handler,
        }

    def _row(self) -> dict[str, Any]:
        if self.action is not None:
            return {
                "case": self.case,
                "stage": None,
                "event": self.event,
                "provision": self.provision,
                "from": None,
                "working_days": None,
                "due": self.due.isoformat(),
                "done": None,
                "status": self.status,
                "left": self.left,
                "action": self.action,
                "edition": self.edition,
            }
        return {
            "case": self.case,
            "stage": self.stage,
            "event": self.event,
            "provision": self.provision,
            "from": self.start.isoformat() if self.start else None,
            "working_days": self.working_days,
            "due": self.due.isoformat(),
            "done": self.done.isoformat() if self.done else None,
            "status": self.status,
            "left": self.left,
            "edition": self.edition,
            "counted_from": self.counted_from,
            "days": self.days,
            "confirmed": self.confirmed,
        } | (
            {"hazard": True, "hours": self.hours, "due_at": self.due_at, "hours_left": self.hours_left}
            if self.hazard
            else {}
        )

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> DueItem:
        """The item a :meth:`row` was made from (the cache keeps rows)."""
        start, done = r.get("from"), r.get("done")
        return cls(
            r["case"],
            r["stage"],
            r["event"],
            r["provision"],
            date.fromisoformat(r["due"]),
            r["status"],
            r["left"],
            r.get("edition") or "",
            date.fromisoformat(start) if start else None,
            r.get("working_days"),
            r.get("days"),
            date.fromisoformat(done) if done else None,
            r.get("counted_from"),
            r.get("confirmed", True),
            r.get("action"),
            r.get("hours"),
            r.get("due_at"),
            r.get("hours_left"),
            bool(r.get("hazard")),
            r.get("kind"),
            date.fromisoformat(received) if (received := r.get("received")) else None,
            r.get("category"),
            r.get("handler"),
        )


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One case in ``hcode case list``: its stage (complaints), whether anything is still to do
    and what is due next."""

    case: str
    kind: str
    received: str
    category: str
    stage: int | None
    open: bool
    next: str | None
    due: str | None
    status: str | None
    handler: str | None = None  # the staff reference of the current stage

    def row(self) -> dict[str, Any]:
        """As ``hcode case list --format json`` prints it."""
        return {
            "case": self.case,
            "kind": self.kind,
            "received": self.received,
            "category": self.category,
            "stage": self.stage,
            "open": self.open,
            "next": self.next,
            "due": self.due,
            "status": self.status,
            "handler": self.handler,
        }


@dataclass(frozen=True, slots=True)
class TsmRow:
    """One complaint stage considered for CH01 and CH02, and why it is in or out."""

    case: str
    stage: int
    stock_type: str | None  # LCRA, LCHO, or None where the case file records none
    received: str | None
    responded: str | None
    due: str | None
    extended: bool
    in_ch01: bool
    ch01_reason: str
    in_ch02: bool
    ch02_status: str | None  # a key of hcode.core.metrics.CH02_STATUSES; None when not in CH02
    ch02_reason: str
    within_timescale: bool | None  # None: pending, or not in CH02
    edition: str | None

    def row(self) -> dict[str, Any]:
        """The row as the table writes it (docs/reports.md: the columns in this order)."""
        return {
            "case": self.case,
            "stage": self.stage,
            "stock_type": self.stock_type,
            "received": self.received,
            "responded": self.responded,
            "due": self.due,
            "extended": self.extended,
            "in_ch01": self.in_ch01,
            "ch01_reason": self.ch01_reason,
            "in_ch02": self.in_ch02,
            "ch02_status": self.ch02_status,
            "ch02_reason": self.ch02_reason,
            "within_timescale": self.within_timescale,
            "edition": self.edition,
        }


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A file an output leaves out because it cannot be read (``--skip-broken``): where, and its
    first problem."""

    file: str
    line: int | None
    column: int | None
    problem: str

    def row(self) -> dict[str, Any]:
        """As the outputs name it (``left_out`` in JSON; the closing note in md and html)."""
        return {"file": self.file, "line": self.line, "column": self.column, "problem": self.problem}
