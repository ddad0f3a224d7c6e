"""``hcode init`` and ``hcode schema``: starting a workspace and helping editors validate it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hcode import __version__
from hcode.cli import EXIT_USAGE, app, err, fail_input, out, today
from hcode.store.validate import SCHEMA_NAMES


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="Folder for the new workspace.")],
    landlord: Annotated[str, typer.Option("--landlord", help="The landlord's name.")] = "Our Landlord",
    homes: Annotated[int | None, typer.Option("--homes", min=0, help="Social homes owned.")] = None,
) -> None:
    """Create a new workspace: settings, this year's self-assessment form, cases/ and CI."""
    from hcode.core.editions import AUTO
    from hcode.core.years import year_containing
    from hcode.edit import scaffold
    from hcode.edit.fileio import WriteRefused, write_guarded
    from hcode.store.workspace import CONFIG, WorkspaceError, load_editions

    if (directory / CONFIG).exists():
        err().print(
            f"hcode: {directory} is already a workspace ({CONFIG} exists); nothing written",
            markup=False,
        )
        raise typer.Exit(EXIT_USAGE)
    if directory.exists() and not directory.is_dir():
        err().print(f"hcode: {directory} is a file", markup=False)
        raise typer.Exit(EXIT_USAGE)
    try:
        code = load_editions(None, AUTO).unnamed_assessment(today())  # the form of the Code in force
    except WorkspaceError as exc:  # pragma: no cover - the shipped catalogue is tested
        fail_input(str(exc))
    year = year_containing(today()).name  # hcode init writes year_start: 04-01
    files = {
        CONFIG: scaffold.config(landlord, homes, "auto"),
        f"assessments/{year}.yaml": scaffold.assessment(code, year),
        "cases/README.md": scaffold.CASES_README,
        ".gitignore": scaffold.GITIGNORE,
        ".github/workflows/hcode.yml": scaffold.workflow(__version__),
    }
    for rel, text in files.items():
        target = directory / rel
        if target.exists() or target.is_symlink():
            continue  # never overwrite what is there
        try:
            write_guarded(target, text, None)
        except WriteRefused as exc:
            fail_input(f"{target}: {exc.message}", exc.hint)
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
    from hcode.store.validate import schema_text

    if name not in SCHEMA_NAMES:
        raise typer.BadParameter(f"choose one of: {', '.join(SCHEMA_NAMES)}", param_hint="NAME")
    typer.echo(schema_text(name), nl=False)
