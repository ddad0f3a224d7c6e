"""``hcode workdays``: the working-day calculator, with the workspace's calendar when in one."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hcode.api.workspace import divisions
from hcode.cli.common import WorkspaceOpt, app, fail, out, parse_date

if TYPE_CHECKING:
    from hcode.api.values import WorkingCalendar

DIVISIONS = divisions()

workdays_app = typer.Typer(
    help="Count working days as hcode does (bank holidays, closure days, weekends).",
    no_args_is_help=True,
)
app.add_typer(workdays_app, name="workdays")

DivisionOpt = Annotated[
    str | None,
    typer.Option(
        "--division",
        help="Bank holidays of: " + ", ".join(DIVISIONS) + " (default: the workspace's, else england-and-wales).",
    ),
]


def calendar_for(workspace: Path | None, division: str | None) -> WorkingCalendar:
    """The workspace's calendar if there is one here (or named), else plain bank holidays."""
    from hcode.api.errors import UseCaseError
    from hcode.api.workspace import calendar_for as find_calendar

    try:
        return find_calendar(workspace, division)
    except UseCaseError as exc:
        fail(exc)


def _within_range(day0: date, days: int) -> None:
    """Refuse (exit 2) a count whose answer would fall after the last date hcode works with
    (there are fewer working days than calendar days, so this is decided at once)."""
    from hcode.api.values import LAST_DAY

    if days > (LAST_DAY - day0).days:
        raise typer.BadParameter(
            f"{days:,} working days after {day0} is after {LAST_DAY}, the last date hcode works with",
            param_hint="N",
        )


def _date(value: str, name: str) -> date:
    parsed = parse_date(value, name)
    assert parsed is not None
    return parsed


@workdays_app.command("add")
def add(
    start: Annotated[str, typer.Argument(metavar="DATE", help="Day 0 (YYYY-MM-DD).")],
    days: Annotated[int, typer.Argument(metavar="N", min=0, help="Working days to add.")],
    workspace: WorkspaceOpt = None,
    division: DivisionOpt = None,
) -> None:
    """Print the Nth working day after DATE (DATE is day 0)."""
    day0 = _date(start, "DATE")
    _within_range(day0, days)
    cal = calendar_for(workspace, division)
    typer.echo(cal.add(day0, days).isoformat())


@workdays_app.command("between")
def between(
    first: Annotated[str, typer.Argument(metavar="A", help="Start date (day 0).")],
    second: Annotated[str, typer.Argument(metavar="B", help="End date (counted).")],
    workspace: WorkspaceOpt = None,
    division: DivisionOpt = None,
) -> None:
    """Print the number of working days after A up to and including B."""
    cal = calendar_for(workspace, division)
    typer.echo(str(cal.between(_date(first, "A"), _date(second, "B"))))


@workdays_app.command("explain")
def explain(
    start: Annotated[str, typer.Argument(metavar="DATE", help="Day 0 (YYYY-MM-DD).")],
    days: Annotated[int, typer.Argument(metavar="N", min=0, help="Working days to add.")],
    workspace: WorkspaceOpt = None,
    division: DivisionOpt = None,
) -> None:
    """Show the count day by day, naming every weekend, bank holiday and closure skipped."""
    day0 = _date(start, "DATE")
    _within_range(day0, days)
    cal = calendar_for(workspace, division)
    steps = cal.explain(day0, days)
    console = out()
    for step in steps:
        label = f"{step.day.isoformat()} {step.day.strftime('%a')}"
        if step.reason == "day 0":
            console.print(f"{label}  day 0", markup=False)
        elif step.counted:
            console.print(f"{label}  working day {step.count}", markup=False)
        else:
            console.print(f"{label}  not counted: {step.reason}", markup=False)
    console.print(
        f"=> {steps[-1].day.isoformat()} is working day {days} after {steps[0].day.isoformat()}",
        markup=False,
    )
