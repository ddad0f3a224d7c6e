"""``hcode due``: the Monday-morning view of what is overdue and what is due next."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from hcode.cli.common import (
    AsOfOpt,
    CategoryOpt,
    HandlerOpt,
    KindOpt,
    LimitOpt,
    NoCacheOpt,
    NoPagerOpt,
    OpenOpt,
    OverdueOpt,
    ReceivedYearOpt,
    WorkersOpt,
    WorkspaceArg,
    WorkspaceOpt,
    app,
    echo_printed,
    json_rows_printed,
    listing,
    listing_selection,
    open_workspace,
    out,
    parse_date,
    today,
    warn_left_out,
)

if TYPE_CHECKING:
    from hcode.render.listings import DueLines


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
    open_only: OpenOpt = False,
    overdue: OverdueOpt = False,
    year: ReceivedYearOpt = None,
    category: CategoryOpt = None,
    handler: HandlerOpt = None,
    kind: KindOpt = None,
    limit: LimitOpt = None,
    no_pager: NoPagerOpt = False,
) -> None:
    """List every open milestone: overdue first, then by due date; then the year's duties (the
    Ombudsman's annual submission, the report's publication, the TSM return, a re-submission).
    Changes no workspace file.

    --overdue, --year (cases received in it), --category, --handler (of the row's stage) and
    --kind choose the rows (with --all, --open leaves out what was met or missed); the year's
    duties are listed unless a case, year, category, handler or kind is chosen (--overdue: the
    overdue ones). A case file that cannot be read is named on standard error (its milestones
    cannot be listed)."""
    from hcode.api.due import due_listing
    from hcode.api.duties import due_duties
    from hcode.render.listings import json_listing

    when = parse_date(as_of) or today()
    ws = open_workspace(workspace, workspace_opt, use_cache=not no_cache, workers=workers)
    chosen = listing_selection(
        ws, open_only=open_only, overdue=overdue, year=year, category=category, handler=handler, kind=kind
    )
    # the rows as kept: none is built, for JSON (their text as kept) or for the table (its columns)
    _, rows, problems = due_listing(ws, when, within=within, all=all_, soon=soon, chosen=chosen)
    duties = due_duties(ws, when, within=within, all=all_, chosen=chosen)
    warn_left_out(problems + duties.problems, "due")
    if format is DueFormat.json:
        head = {"hcode": 1, "as_of": when.isoformat(), "workspace": ws.settings.landlord}
        doc = json_listing(head, "milestones", rows, limit, duties=duties.rows())
        echo_printed(json_rows_printed(doc, "milestones"))
        return
    console = out()
    if not rows and not duties.duties:
        console.print(f"Nothing open as of {when}.", markup=False)
        return
    from hcode.api.due import DueRows, answer_name
    from hcode.render.listings import DUE_TABLE_FIELDS, due_lines, due_tables

    landlord = ws.settings.landlord
    title = f"{landlord}: due as of {when}"
    year_title = f"{landlord}: the year's duties as of {when}"

    def milestones(shown: DueRows, n: int) -> DueLines:
        """The milestones' table, as kept where it was laid out for the same rows before."""

        def lines(width: int, colour: bool, rule: int) -> list[str]:
            def made() -> list[str]:
                columns = {key: shown.column(key) for key in DUE_TABLE_FIELDS}
                return due_lines(columns, title, width, colour, rule=rule)

            which = shown.shown_as()
            if which is None:
                return made()
            return ws.kept_lines(answer_name(all_), n, ["due", which, title, width, colour, rule], made)

        return lines

    def draw(n: int) -> None:
        """The year's duties (a few rows) first, then the first ``n`` milestones."""
        table = milestones(rows[:n], n) if rows else None
        due_tables(console, duties.duties, duties.left, year_title, table, title)

    listing(console, len(rows), draw, limit, pager=not no_pager)
