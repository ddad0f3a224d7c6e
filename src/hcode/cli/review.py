"""``hcode diff`` and ``hcode fmt``: reviewing workspace changes in git."""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

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


def _value(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


def _md_cell(text: str) -> str:
    """Text for a Markdown table cell: pipes, backticks and other Markdown escaped, HTML
    neutralised, control characters made visible, on one line."""
    import re

    from hcode.render.output import visible

    text = visible(text, keep_lines=False).replace("&", "&amp;").replace("<", "&lt;")
    return re.sub(r"([\\`*_\[\]|~])", r"\\\1", text)


DEADLINES = "Deadline rules changed"
DEADLINES_WHY = "every due date hcode works out from them moves"
DEADLINE_KINDS = ("timescale", "calendar")  # a clock of the Code; the edition or the calendar


def _where(revision: str) -> str:
    return "in the working tree" if revision == "working tree" else f"at {revision}"


def render_diff(result: Any, fmt: DiffFormat) -> str:
    """The changes in text, Markdown or JSON. A change to a deadline rule (an alert of a kind in
    ``DEADLINE_KINDS``) is listed first under its own heading in text and Markdown."""
    changes = result.changes
    if fmt is DiffFormat.json:
        doc = {
            "hcode": 1,
            "base": result.base,
            "head": result.head,
            "changes": [{k: _value(v) for k, v in asdict(c).items()} for c in changes],
            "unreadable": result.unreadable,
            "problems": [asdict(p) for p in result.problems],
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    deadlines = [c for c in changes if c.severity == "alert" and c.kind in DEADLINE_KINDS]
    alerts = [c for c in changes if c.severity == "alert" and c.kind not in DEADLINE_KINDS]
    infos = [c for c in changes if c.severity != "alert"]
    if fmt is DiffFormat.md:
        lines = [f"## hcode: changes since {_md_cell(result.base)}", ""]
        if not changes and not result.unreadable:
            lines.append("No changes to the self-assessment, cases or Code.")
        for title, rows, strong in (
            (f"{DEADLINES}: {DEADLINES_WHY}", deadlines, True),
            ("Needs a second look", alerts, True),
            ("Other changes", infos, False),
        ):
            if rows:
                lines += [f"### {title}", "", "| File | Subject | Change |", "|---|---|---|"]
                mark = "**" if strong else ""
                lines += [
                    f"| {_md_cell(c.file)} | {_md_cell(c.subject)} | {mark}{_md_cell(c.message)}{mark} |" for c in rows
                ]
                lines.append("")
        if result.unreadable:
            lines += ["### Files hcode could not read", ""]
            lines += [
                f"- {_md_cell(p.file)} {_md_cell(_where(p.revision))}: {_md_cell(p.message)} (run `hcode check`)"
                for p in result.problems
            ]
        return "\n".join(lines).rstrip() + "\n"
    lines = [f"Changes since {result.base} ({result.head}):"]
    if not changes and not result.unreadable:
        lines.append("  none to the self-assessment, cases or Code")
    if deadlines:
        lines.append(f"  {DEADLINES} ({DEADLINES_WHY}):")
        lines += [f"  ! {c.file}: {c.message}" for c in deadlines]
        if alerts or infos or result.unreadable:
            lines.append("")
    for c in alerts:
        lines.append(f"  ! {c.file}: {c.message}")
    for c in infos:
        lines.append(f"    {c.file}: {c.message}")
    for p in result.problems:
        lines.append(f"  ? {p.file}: cannot be read {_where(p.revision)}: {p.message} (run hcode check)")
    return "\n".join(lines) + "\n"


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

    try:
        result = run_diff(workspace, base, head)
    except UseCaseError as exc:
        fail(exc)
    echo(render_diff(result, format), kind=format.value)


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
