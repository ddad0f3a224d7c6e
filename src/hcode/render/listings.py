"""The listings in the terminal: what is due (``hcode due``) and the cases (``hcode case
list``), as tables that stay readable from 60 columns up, written to the console at its width
by :func:`hcode.render.terminal.write_table` (100,000 rows in well under a second)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from rich.console import Console

from hcode.core.duties import Duty
from hcode.render.terminal import Col, colour_on, column_lines, table_lines, write_lines

_WHAT = {"acknowledge": "acknowledge", "respond": "respond", "remedy": "remedy action"}
_WHAT.update({"investigate": "investigate", "summary": "send summary", "make-safe": "make safe"})
_WHAT.update({"works-begin": "begin works", "works-start": "start works"})
_STYLE = {"overdue": "bold red", "due-soon": "yellow", "missed": "red", "met": "green"}


def _left(left: int | None, hours_left: float | None) -> str:
    """The days left (or late); the hours on a running 24-hour clock (Awaab's Law)."""
    if hours_left is not None:
        return f"{-hours_left:.1f} h late" if hours_left < 0 else f"{hours_left:.1f} h"
    return "" if left is None else (f"{-left} late" if left < 0 else str(left))


#: The fields of ``hcode due``'s rows its table shows (:func:`due_lines`).
DUE_TABLE_FIELDS = (
    "case",
    "stage",
    "event",
    "action",
    "provision",
    "edition",
    "due",
    "due_at",
    "left",
    "hours_left",
    "status",
)


#: What lays out ``hcode due``'s second table at a width, coloured or not, with a least rule
#: length: :func:`due_lines` of the rows, or those lines as kept (:func:`hcode.cli.common.kept_lines`).
DueLines = Callable[[int, bool, int], list[str]]


def due_tables(
    console: Console,
    duties: Sequence[Duty],
    left: Sequence[int | None],
    duties_title: str,
    rows: Mapping[str, Sequence[Any]] | DueLines | None,
    title: str,
) -> None:
    """What ``hcode due`` prints: the year's duties (:func:`duty_lines`; none: left out), a blank
    line, then what is due (:func:`due_lines` of ``rows``, or what ``rows`` lays out when it
    is a :data:`DueLines`; None: left out). The two rules are as long as the wider table, so the
    two tables read as one page (each as wide as itself, they ended at two different columns)."""
    width, colour = console.width, colour_on(console)
    first = duty_lines(duties, left, duties_title, width, colour) if duties else []
    if rows is None:
        second = []
    elif callable(rows):
        second = rows(width, colour, _rule(first))
    else:
        second = due_lines(rows, title, width, colour, rule=_rule(first))
    if first and _rule(second) > _rule(first):
        first = duty_lines(duties, left, duties_title, width, colour, rule=_rule(second))
    if first:
        write_lines(console, first)
        if second:
            console.print()  # a blank line between the two tables
    if second:
        write_lines(console, second)


def _rule(lines: Sequence[str]) -> int:
    """The length of a table's rule (the first line of rule characters only), 0 for none."""
    return next((len(line) for line in lines if line and not line.strip("─")), 0)


def due_lines(
    rows: Mapping[str, Sequence[Any]], title: str, width: int, colour: bool = False, *, rule: int = 0
) -> list[str]:
    """What is due, a row each: the days left (or late; hours on a running 24-hour clock), the
    status coloured. ``rows``: each of :data:`DUE_TABLE_FIELDS` of the rows (as ``hcode due
    --format json`` prints them; None where a row has no such field), a column each. ``rule``:
    the least length of the table's rule (:func:`hcode.render.terminal.column_lines`)."""
    cols = (
        Col("Case", whole=True),
        Col("Stage", drop=2, justify="right"),
        Col("Step", drop=4),
        Col("Code", drop=1),
        Col("Edition", drop=1),
        Col("Due date", whole=True),
        Col("Working days left", drop=3, justify="right"),
        Col("Status", whole=True),
    )
    what = _WHAT
    days: dict[int | None, str] = {}  # the days left, each number written once
    status = list(rows["status"])
    columns = [
        list(rows["case"]),
        ["" if n is None else str(n) for n in rows["stage"]],
        [what[e] + (f" {a}" if e == "remedy" else "") for e, a in zip(rows["event"], rows["action"], strict=True)],
        list(rows["provision"]),
        [e or "" for e in rows["edition"]],
        [at.replace("T", " ") if at else d for at, d in zip(rows["due_at"], rows["due"], strict=True)],
        [
            (days[n] if n in days else days.setdefault(n, _left(n, None))) if h is None else _left(n, h)
            for n, h in zip(rows["left"], rows["hours_left"], strict=True)
        ],
        status,
    ]
    # only where the table is coloured: a style per row costs as much as the row
    styles = {7: [_STYLE.get(s, "") for s in status]} if colour else None
    return column_lines(cols, columns, width, title=title, styles=styles, colour=colour, rule=rule)


_DUTY = {
    "submission": "annual submission (Ombudsman)",
    "publication": "publish report and response",
    "tsm-return": "TSM return (Regulator)",
    "resubmission": "re-submit self-assessment",
}


_SOURCE = {  # the sources' addresses are in --format json
    "submission": "Ombudsman, guidance on annual submissions",
    "publication": "Complaint Handling Code 2024, 8.2",
    "tsm-return": "Regulator, letter of 11 March 2025, Annex B",
    "resubmission": "Ombudsman, guidance on annual submissions",
}


def duty_lines(
    duties: Sequence[Duty], left: Sequence[int | None], title: str, width: int, colour: bool = False, *, rule: int = 0
) -> list[str]:
    """The year's duties, a row each: the year, the duty, its date (or "not known"), the working
    days left, the status, and why that date (with "not confirmed" where it is not). ``rule``:
    the least length of the table's rule."""
    cols = (
        Col("Year", whole=True),
        Col("Duty", wrap_min=12),
        Col("Due date", whole=True),
        Col("Working days left", drop=3, justify="right"),
        Col("Status", whole=True),
        Col("Why this date", drop=2, wrap_min=20),
        Col("Source", drop=1, wrap_min=12),
    )
    cells: list[list[str]] = []
    styles: list[dict[int, str]] = []
    for d, n in zip(duties, left, strict=True):
        n_text = "" if n is None else (f"{-n} late" if n < 0 else str(n))
        why = d.note + ("" if d.confirmed or d.due is None else " (date not confirmed)")
        done = f" {d.done.isoformat()}" if d.done else ""
        due = d.due.isoformat() if d.due else "not known"
        cells.append([d.year, _DUTY[d.key], due, n_text, d.status + done, why, _SOURCE[d.key]])
        styles.append({4: _STYLE.get(d.status, "")})
    return table_lines(cols, cells, width, title=title, styles=styles, colour=colour, rule=rule)


def case_table(rows: Sequence[Mapping[str, Any]], title: str, console: Console) -> None:
    """The cases, a row each (the rows as ``hcode case list --format json`` prints them): stage,
    the next step and its due date and status (:func:`case_lines` at the console's width)."""
    write_lines(console, case_lines(rows, title, console.width, colour_on(console)))


def case_lines(rows: Sequence[Mapping[str, Any]], title: str, width: int, colour: bool = False) -> list[str]:
    """:func:`case_table`'s lines at ``width`` columns."""
    cols = (
        Col("Case", whole=True),
        Col("Kind", drop=1),
        Col("Received", whole=True),
        Col("Category", drop=3, wrap_min=8),
        Col("Stage", drop=2, justify="right"),
        Col("Next step", drop=4),
        Col("Due date", whole=True),
        Col("Status", whole=True),
    )
    columns = [
        [r["case"] for r in rows],
        [r["kind"] for r in rows],
        [r["received"] for r in rows],
        [r["category"] for r in rows],
        [str(r["stage"] or "") for r in rows],
        [r["next"] or "" for r in rows],
        [r["due"] or "" for r in rows],
        [r["status"] or ("open" if r["open"] else "closed") for r in rows],
    ]
    return column_lines(cols, columns, width, title=title, colour=colour)


# -- --limit: the one place a listing is cut short ---------------------------------------------------


def limited(total: int, limit: int | None) -> int:
    """How many of ``total`` rows ``--limit`` lets through (None or 0: all)."""
    return total if not limit else min(limit, total)


class Rows(Protocol):
    """Rows of a listing: a list, or rows kept as their JSON text (:class:`hcode.api.due.DueRows`)."""

    def __len__(self) -> int: ...

    def __getitem__(self, part: slice) -> Any: ...


def json_listing(head: dict[str, Any], key: str, rows: Rows, limit: int | None, **after: Any) -> dict[str, Any]:
    """A listing as JSON (``due``, ``case list``): ``head``, the ``rows`` under ``key`` cut to
    ``--limit``, then ``after``; with a limit, ``more``: how many rows were left out."""
    shown = limited(len(rows), limit)
    doc = {**head, key: rows[:shown], **after}
    return doc | ({"more": len(rows) - shown} if limit else {})


def more_line(left_out: int) -> str:
    """The line ending a terminal listing cut short."""
    return f"… {left_out:,} more; use --limit 0 or --format json to see them all"
