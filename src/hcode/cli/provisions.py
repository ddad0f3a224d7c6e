"""``hcode provisions``: the Code itself, in the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from hcode.cli import WorkspaceOpt, app, fail_input, out
from hcode.core.model import Code

provisions_app = typer.Typer(help="Show the Complaint Handling Code's provisions.", no_args_is_help=True)
app.add_typer(provisions_app, name="provisions")


def current_code(workspace: Path | None) -> Code:
    """The workspace's Code edition (or the default edition outside a workspace)."""
    from hcode.store.workspace import WorkspaceError, find_root, load_code, read_settings

    try:
        root: Path | None = find_root(workspace) if workspace else None
    except WorkspaceError as exc:
        fail_input(str(exc), exc.hint)
    if root is None:
        try:
            root = find_root()
        except WorkspaceError:
            root = None
    try:
        name = read_settings(root).code if root is not None else "hoc-2024"
        return load_code(root, name)
    except WorkspaceError as exc:
        fail_input(str(exc), exc.hint)


def _timescale(p: object) -> str:
    t = getattr(p, "timescale", None)
    if t is None:
        return ""
    if t.event == "extension":
        return f"stage {t.stage} extension: at most {t.max_working_days} working days"
    return f"stage {t.stage} {t.event}: {t.working_days} working days from {t.start}"


@provisions_app.command("list")
def list_(workspace: WorkspaceOpt = None) -> None:
    """List every provision with the start of its text."""
    code = current_code(workspace)
    table = Table(
        title=f"{code.title} ({code.code}, effective {code.effective})",
        show_lines=False,
        expand=False,
    )
    table.add_column("Provision", no_wrap=True)
    table.add_column("Requirement")
    table.add_column("Timescale")
    for section in code.sections:
        table.add_section()
        table.add_row(f"{section.number}", f"[bold]Section {section.number}: {section.title}[/bold]", "")
        for p in section.provisions:
            first = p.text.split("\n")[0]
            short = first if len(first) <= 90 else first[:87] + "..."
            mark = "" if p.assessed else " (not assessed)"
            table.add_row(p.id, short + mark, _timescale(p))
    out().print(table)


@provisions_app.command("show")
def show(
    provision: Annotated[str, typer.Argument(help="Provision number, e.g. 6.3.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Print one provision in full."""
    code = current_code(workspace)
    p = code.provisions.get(provision)
    if p is None:
        raise typer.BadParameter(f"{code.code} has no provision {provision}", param_hint="PROVISION")
    section = next(s for s in code.sections if s.number == p.section)
    console = out()
    console.print(
        f"{code.code} {p.id} - Section {section.number}: {section.title}" + (f" ({p.group})" if p.group else ""),
        markup=False,
    )
    console.print()
    console.print(p.text, markup=False)
    if p.timescale is not None:
        console.print()
        console.print("Timescale: " + _timescale(p), markup=False)
    if not p.assessed:
        console.print()
        console.print("Not part of the self-assessment form.", markup=False)
