"""``hcode case``: one case at a time."""

from __future__ import annotations

from typing import Annotated

import typer

from hcode.cli import AsOfOpt, WorkspaceOpt, app, fail_input, load_workspace, out, parse_date, today

case_app = typer.Typer(help="Look at (and record) one case.", no_args_is_help=True)
app.add_typer(case_app, name="case")


@case_app.command("show")
def show(
    case_id: Annotated[str, typer.Argument(metavar="ID", help="Case id, e.g. C-2024-0042.")],
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """One case's timeline: each milestone's due and actual dates, status and counting."""
    from hcode.engine import context
    from hcode.rules import case_milestones, check_case
    from hcode.timeline import render_case

    when = parse_date(as_of) or today()
    loaded = load_workspace(None, workspace)
    found = [c for c in loaded.cases if c.id == case_id]
    if not found:
        broken = [
            f
            for f in loaded.findings
            if f.file and f.file.rsplit("/", 1)[-1].startswith(case_id + ".")
        ]
        if broken:
            fail_input(
                f"case {case_id} cannot be read: {broken[0].file}:{broken[0].line}: "
                f"{broken[0].message}",
                broken[0].hint,
            )
        fail_input(f"no case {case_id} in {loaded.root}", "check the id with 'hcode case list'")
    case = found[0]
    ctx = context(loaded, when)
    ms = case_milestones(case, ctx)
    findings = check_case(case, ctx)
    render_case(out(), case, ms, findings, ctx)
