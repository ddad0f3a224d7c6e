"""``hcode init`` and ``hcode schema``: starting a workspace and helping editors validate it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hcode.api.workspace import schema_names
from hcode.cli.common import app, fail, out, today

SCHEMA_NAMES = schema_names()


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="Folder for the new workspace.")],
    landlord: Annotated[str, typer.Option("--landlord", help="The landlord's name.")] = "Our Landlord",
    homes: Annotated[int | None, typer.Option("--homes", min=0, help="Social homes owned.")] = None,
) -> None:
    """Create a new workspace: settings, this year's self-assessment form, cases/ and CI."""
    from hcode.api.errors import UseCaseError
    from hcode.api.workspace import create_workspace

    try:
        made = create_workspace(directory, landlord, homes, today())
    except UseCaseError as exc:
        fail(exc)
    files, year = made.files, made.year
    console = out()
    console.print(f"Created an hcode workspace in {directory}:", markup=False)
    for rel in files:
        console.print(f"  {rel}", markup=False)
    console.print(
        f"Next: fill in assessments/{year}.yaml, add cases, then run 'hcode check {directory}'.",
        markup=False,
    )


@app.command()
def schema(
    name: Annotated[str, typer.Argument(help="One of: " + ", ".join(SCHEMA_NAMES) + ".")],
) -> None:
    """Print a JSON Schema, for editors that validate YAML as you type."""
    from hcode.api.workspace import schema_text

    if name not in SCHEMA_NAMES:
        raise typer.BadParameter(f"choose one of: {', '.join(SCHEMA_NAMES)}", param_hint="NAME")
    typer.echo(schema_text(name), nl=False)
