"""``hcode diff`` and ``hcode fmt``: reviewing workspace changes in git."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from hcode.cli.common import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    NoCacheOpt,
    ProgressBar,
    WorkersOpt,
    WorkspaceOpt,
    app,
    echo,
    err,
    fail,
    out,
)


class DiffFormat(StrEnum):
    text = "text"
    md = "md"
    json = "json"


@app.command()
def diff(
    base: Annotated[
        str | None,
        typer.Argument(help="Compare from this revision (default: the merge base with the default branch)."),
    ] = None,
    head: Annotated[str | None, typer.Argument(help="Compare to this revision (default: the working tree).")] = None,
    format: Annotated[
        DiffFormat,
        typer.Option("--format", "-f", help="Output format (md: for a pull-request comment)."),
    ] = DiffFormat.text,
    workspace: WorkspaceOpt = None,
) -> None:
    """Show what changed in the self-assessment, cases and Code between two git revisions.

    Read-only: nothing is checked out, committed or pushed.
    """
    from hcode.api.errors import UseCaseError
    from hcode.api.review import diff as run_diff
    from hcode.render.diff import render_diff

    try:
        result = run_diff(workspace, base, head)
    except UseCaseError as exc:
        fail(exc)
    echo(render_diff(result, format.value), kind=format.value)


@app.command()
def fmt(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: the whole workspace).")] = None,
    check_only: Annotated[
        bool,
        typer.Option("--check", help="Change nothing; list files that would change and exit 1."),
    ] = False,
    workspace: WorkspaceOpt = None,
    no_cache: NoCacheOpt = False,
    workers: WorkersOpt = None,
) -> None:
    """Rewrite workspace files in one canonical layout (comments kept). Files over the size limit,
    or that cannot be read, are named and left alone (exit 3)."""
    from hcode.api.errors import UseCaseError
    from hcode.api.review import format_workspace

    try:
        done = format_workspace(
            workspace,
            paths,
            check_only=check_only,
            workers=workers,
            use_cache=not no_cache,
            progress=ProgressBar("formatting files"),
        )
    except UseCaseError as exc:
        fail(exc)
    for rel in done.links:
        err().print(f"hcode: {rel} is a symbolic link: left as it is", markup=False)
    for why in done.left_alone:
        err().print(f"hcode: {why}", markup=False)
    console = out()
    verb = "would change" if check_only else "reformatted"
    for rel in done.changed:
        console.print(f"{verb}: {rel}", markup=False)
    console.print(
        f"{len(done.changed)} file(s) {verb}, {done.unchanged} unchanged"
        + (f", {done.broken} could not be read" if done.broken else ""),
        markup=False,
    )
    if done.broken:
        raise typer.Exit(EXIT_INPUT)
    raise typer.Exit(EXIT_FINDINGS if check_only and done.changed else EXIT_OK)
