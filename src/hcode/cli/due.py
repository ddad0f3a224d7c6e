"""``hcode due``: the Monday-morning view of what is overdue and what is due next."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from hcode.cli import (
    AsOfOpt,
    CategoryOpt,
    HandlerOpt,
    KindOpt,
    NoCacheOpt,
    OverdueOpt,
    ReceivedYearOpt,
    WorkersOpt,
    WorkspaceArg,
    WorkspaceOpt,
    app,
    dump_json,
    echo,
    open_store,
    out,
    paged,
    parse_date,
    row_filter,
    today,
    warn_left_out,
)

_WHAT = {"acknowledge": "acknowledge", "respond": "respond", "remedy": "remedy action"}


class DueFormat(StrEnum):
    text = "text"  # the name every command uses for terminal output
    table = "table"  # the same, under its earlier name
    json = "json"


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
    format: Annotated[DueFormat, typer.Option("--format", "-f", help="Output format.")] = DueFormat.text,
    soon: Annotated[int | None, typer.Option("--soon", min=0, help="Working days that count as due soon.")] = None,
    no_cache: NoCacheOpt = False,
    workers: WorkersOpt = None,
    overdue: OverdueOpt = False,
    year: ReceivedYearOpt = None,
    category: CategoryOpt = None,
    handler: HandlerOpt = None,
    kind: KindOpt = None,
) -> None:
    """List every open milestone: overdue first, then by due date. Changes no workspace file.

    A case file that cannot be read is named on standard error (its milestones cannot be listed)."""
    from hcode.api import Workspace

    when = parse_date(as_of) or today()
    store = open_store(workspace, workspace_opt, use_cache=not no_cache, workers=workers)
    chosen = row_filter(store.settings, overdue=overdue, year=year, category=category, handler=handler, kind=kind)
    listed = Workspace(store).due_rows(when, within=within, all=all_, soon=soon)
    warn_left_out(listed.problems, "due")
    rows = [r for r in listed.rows if chosen.keeps(r)]
    if format is DueFormat.json:
        doc = {
            "hcode": 1,
            "as_of": when.isoformat(),
            "workspace": store.settings.landlord,
            "milestones": rows,
        }
        echo(dump_json(doc, floats=False), kind="json", nl=True)
        return
    console = out()
    if not rows:
        console.print(f"Nothing open as of {when}.", markup=False)
        return
    from hcode.render.terminal import Col, write_table

    cols = (
        Col("Case", whole=True),
        Col("Stage", drop=2, justify="right"),
        Col("Step", drop=4),
        Col("Code", drop=1),
        Col("Edition", drop=1),
        Col("Due date", whole=True),
        Col("Days left", drop=3, justify="right"),
        Col("Status", whole=True),
    )
    style = {"overdue": "bold red", "due-soon": "yellow", "missed": "red", "met": "green"}
    cells: list[list[str]] = []
    styles: list[dict[int, str]] = []
    for r in rows:
        left = r["left"]
        left_text = "" if left is None else (f"{-left} late" if left < 0 else str(left))
        step = _WHAT[r["event"]] + (f" {r['action']}" if r["event"] == "remedy" else "")
        stage = "" if r["stage"] is None else str(r["stage"])
        cells.append([r["case"], stage, step, r["provision"], r.get("edition") or "", r["due"], left_text, r["status"]])
        styles.append({7: style.get(r["status"], "")})
    with paged(console):
        write_table(console, cols, cells, title=f"{store.settings.landlord}: due as of {when}", styles=styles)
