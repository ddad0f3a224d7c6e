"""``hcode check``: every rule over the whole workspace; the exit code CI relies on."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from hcode.cli import (
    EXIT_FINDINGS,
    EXIT_OK,
    AsOfOpt,
    WorkspaceArg,
    WorkspaceOpt,
    app,
    load_workspace,
    out,
    parse_date,
    today,
)
from hcode.model import SEVERITY_RANK


class Format(StrEnum):
    text = "text"
    json = "json"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    never = "never"


@app.command()
def check(
    workspace: WorkspaceArg = None,
    workspace_opt: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    fail_on: Annotated[
        FailOn,
        typer.Option("--fail-on", help="Exit 1 when a finding is at least this severe."),
    ] = FailOn.error,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Read every file afresh and leave the cache alone.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=1, help="Processes for large workspaces (default: one per core)."
        ),
    ] = None,
    soon: Annotated[
        int | None,
        typer.Option(
            "--soon",
            min=0,
            help="Working days ahead that count as due soon (default from hcode.yaml, else 2).",
        ),
    ] = None,
) -> None:
    """Check the self-assessment and every case against the Code. Never changes a file."""
    from hcode.engine import context, run_check
    from hcode.output import render_text, to_json

    when = parse_date(as_of) or today()
    loaded = load_workspace(workspace, workspace_opt, cases=False)
    ctx = context(loaded, when, soon, use_cache=not no_cache)
    result = run_check(loaded, ctx, workers=workers, use_cache=not no_cache)
    findings = result.findings
    name = loaded.settings.landlord
    if format is Format.json:
        typer.echo(to_json(findings, as_of=when, workspace=name, files=result.files), nl=False)
    else:
        render_text(out(), findings, as_of=when, files=result.files, workspace=name)
    if fail_on is FailOn.never:
        raise typer.Exit(EXIT_OK)
    threshold = SEVERITY_RANK[fail_on.value]
    failed = any(SEVERITY_RANK[f.severity] >= threshold for f in findings)
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)
