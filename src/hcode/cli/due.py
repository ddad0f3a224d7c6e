"""``hcode due``: the Monday-morning view of what is overdue and what is due next."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

from hcode.cli import (
    AsOfOpt,
    NoCacheOpt,
    WorkersOpt,
    WorkspaceArg,
    WorkspaceOpt,
    app,
    open_store,
    out,
    parse_date,
    today,
    warn_left_out,
)
from hcode.core.milestones import Milestone

_WHAT = {"acknowledge": "acknowledge", "respond": "respond"}


class DueFormat(StrEnum):
    table = "table"
    json = "json"


def milestone_row(m: Milestone, left: int | None) -> dict[str, Any]:
    return {
        "case": m.case,
        "stage": m.stage,
        "event": m.event,
        "provision": m.provision,
        "from": m.start.isoformat(),
        "working_days": m.working_days,
        "due": m.due.isoformat(),
        "done": m.done.isoformat() if m.done else None,
        "status": m.status,
        "left": left,
    }


@app.command()
def due(
    workspace: WorkspaceArg = None,
    workspace_opt: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    within: Annotated[
        int | None,
        typer.Option(
            "--within",
            min=0,
            help="Only what is due within N working days (overdue items are always shown).",
        ),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include milestones already met or missed.")] = False,
    format: Annotated[DueFormat, typer.Option("--format", "-f", help="Output format.")] = DueFormat.table,
    soon: Annotated[int | None, typer.Option("--soon", min=0, help="Working days that count as due soon.")] = None,
    no_cache: NoCacheOpt = False,
    workers: WorkersOpt = None,
) -> None:
    """List every open milestone: overdue first, then by due date. Changes no workspace file.

    A case file that cannot be read is named on standard error (its milestones cannot be listed)."""
    from hcode.api import Workspace

    when = parse_date(as_of) or today()
    store = open_store(workspace, workspace_opt, use_cache=not no_cache, workers=workers)
    listed = Workspace(store).due(when, within=within, all=all_, soon=soon)
    warn_left_out(listed.problems, "due")
    rows = [(item.milestone, item.left) for item in listed]
    if format is DueFormat.json:
        doc = {
            "hcode": 1,
            "as_of": when.isoformat(),
            "workspace": store.settings.landlord,
            "milestones": [milestone_row(m, left) for m, left in rows],
        }
        typer.echo(json.dumps(doc, indent=2))
        return
    console = out()
    if not rows:
        console.print(f"Nothing open as of {when}.", markup=False)
        return
    table = Table(title=f"{store.settings.landlord}: due as of {when}")
    for col in ("Case", "Stage", "Due", "Provision", "Due date", "Working days left", "Status"):
        table.add_column(col, no_wrap=col != "Case")
    style = {
        "overdue": "bold red",
        "due-soon": "yellow",
        "open": "",
        "missed": "red",
        "met": "green",
    }
    for m, left in rows:
        left_text = "" if left is None else (f"{-left} late" if left < 0 else str(left))
        table.add_row(
            m.case,
            str(m.stage),
            _WHAT[m.event],
            m.provision,
            m.due.isoformat(),
            left_text,
            f"[{style[m.status]}]{m.status}[/]" if style[m.status] else m.status,
        )
    console.print(table)
