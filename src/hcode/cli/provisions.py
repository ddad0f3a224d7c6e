"""``hcode provisions``: the Code itself, in the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hcode.api.values import Code
from hcode.cli.common import WorkspaceOpt, app, dump_json, echo, fail, out

provisions_app = typer.Typer(help="Show the Complaint Handling Code's provisions.", no_args_is_help=True)
app.add_typer(provisions_app, name="provisions")


CodeNameOpt = Annotated[
    str | None,
    typer.Option("--code", help="The Code edition (hoc-2020, hoc-2022, hoc-2024); default: the workspace's."),
]


def current_code(workspace: Path | None, name: str | None = None) -> Code:
    """The Code edition ``name``, else the workspace's (see :func:`hcode.api.workspace.current_code`);
    exit 3 when it cannot be used."""
    from hcode.api.errors import UseCaseError
    from hcode.api.workspace import current_code as find_code

    try:
        return find_code(workspace, name)
    except UseCaseError as exc:
        fail(exc)


@provisions_app.command("list")
def list_(workspace: WorkspaceOpt = None, code_name: CodeNameOpt = None) -> None:
    """List every provision with the start of its text."""
    from hcode.render.provisions import provisions_table

    code = current_code(workspace, code_name)
    out().print(provisions_table(code))
    out().print(f"Self-assessment form: {code.form.title or code.form.layout}, answered {code.form.answers_text}.")


@provisions_app.command("show")
def show(
    provision: Annotated[str, typer.Argument(help="Provision number, e.g. 6.3.")],
    workspace: WorkspaceOpt = None,
    code_name: CodeNameOpt = None,
) -> None:
    """Print one provision in full."""
    from hcode.render.provisions import provision_lines

    code = current_code(workspace, code_name)
    p = code.provisions.get(provision)
    if p is None:
        raise typer.BadParameter(f"{code.code} has no provision {provision}", param_hint="PROVISION")
    console = out()
    for line in provision_lines(code, p):
        console.print(line, markup=False)


@provisions_app.command("diff")
def diff(
    old: Annotated[str, typer.Argument(help="The earlier edition, e.g. hoc-2022.")],
    new: Annotated[str, typer.Argument(help="The later edition, e.g. hoc-2024.")],
    workspace: WorkspaceOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """What changed between two editions: each earlier provision kept, reworded, renumbered or
    removed, and the later edition's provisions that are new, from the mapping kept as data
    (provisions/mappings/OLD-NEW.yaml). Rows that are hcode's reading rather than evident
    from the text are marked."""
    from hcode.api.errors import UseCaseError
    from hcode.api.workspace import edition_changes
    from hcode.render.provisions import changes_doc, changes_table

    if fmt not in ("text", "json"):
        raise typer.BadParameter("choose text or json", param_hint="--format")
    try:
        found = edition_changes(workspace, old, new)
    except UseCaseError as exc:
        fail(exc)
    parts = (found.old, found.new, found.mapping_file, found.changes, found.gaps)
    if fmt == "json":
        echo(dump_json(changes_doc(*parts)), kind="json", nl=True)  # made safe like every JSON output
        return
    table, after = changes_table(*parts)
    console = out()
    console.print(table)
    for line in after:
        console.print(line, markup=False)
