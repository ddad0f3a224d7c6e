"""``hcode diff`` and ``hcode fmt``: reviewing workspace changes in git."""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from hcode.cli import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    WorkspaceOpt,
    app,
    err,
    fail_input,
    out,
    where,
    workspace_root,
)


class DiffFormat(StrEnum):
    text = "text"
    md = "md"
    json = "json"


def _value(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_diff(result: Any, fmt: DiffFormat) -> str:
    changes = result.changes
    if fmt is DiffFormat.json:
        doc = {
            "hcode": 1,
            "base": result.base,
            "head": result.head,
            "changes": [{k: _value(v) for k, v in asdict(c).items()} for c in changes],
            "unreadable": result.unreadable,
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    alerts = [c for c in changes if c.severity == "alert"]
    infos = [c for c in changes if c.severity != "alert"]
    if fmt is DiffFormat.md:
        lines = [f"## hcode: changes since `{result.base[:12]}`", ""]
        if not changes and not result.unreadable:
            lines.append("No changes to the self-assessment, cases or Code.")
        if alerts:
            lines += ["### Needs a second look", "", "| File | Subject | Change |", "|---|---|---|"]
            lines += [f"| `{c.file}` | {_md_cell(c.subject)} | **{_md_cell(c.message)}** |" for c in alerts]
            lines.append("")
        if infos:
            lines += ["### Other changes", "", "| File | Subject | Change |", "|---|---|---|"]
            lines += [f"| `{c.file}` | {_md_cell(c.subject)} | {_md_cell(c.message)} |" for c in infos]
            lines.append("")
        if result.unreadable:
            lines += ["### Files hcode could not read", ""]
            lines += [f"- `{r}` (run `hcode check`)" for r in result.unreadable]
        return "\n".join(lines).rstrip() + "\n"
    lines = [f"Changes since {result.base[:12]} ({result.head}):"]
    if not changes and not result.unreadable:
        lines.append("  none to the self-assessment, cases or Code")
    for c in alerts:
        lines.append(f"  ! {c.file}: {c.message}")
    for c in infos:
        lines.append(f"    {c.file}: {c.message}")
    for r in result.unreadable:
        lines.append(f"  ? {r}: cannot be read (run hcode check)")
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
    from hcode.review.gitdiff import GitError
    from hcode.review.gitdiff import diff as run_diff

    root = workspace_root(None, workspace)
    try:
        result = run_diff(root, base, head)
    except GitError as exc:
        fail_input(f"git: {exc}", "run hcode diff inside a git repository, with revisions that exist")
    typer.echo(render_diff(result, format), nl=False)


@app.command()
def fmt(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: the whole workspace).")] = None,
    check_only: Annotated[
        bool,
        typer.Option("--check", help="Change nothing; list files that would change and exit 1."),
    ] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Rewrite workspace files in one canonical layout (comments kept)."""
    from hcode.core.model import Finding
    from hcode.edit.fileio import atomic_write
    from hcode.edit.fmt import FormatError, format_text, kind_of
    from hcode.store import yamlread
    from hcode.store.workspace import WorkspaceError, read_mapping, read_settings

    if workspace is None and paths:
        from hcode.store.workspace import find_root

        first = paths[0].resolve()
        try:
            root = find_root(None, start=first if first.is_dir() else first.parent).resolve()
        except WorkspaceError as exc:
            fail_input(str(exc), exc.hint)
    else:
        root = workspace_root(None, workspace).resolve()
    targets: list[Path] = []
    for p in paths or [root]:
        p = p.resolve()
        if p.is_dir():
            for folder in ("assessments", "cases", "provisions"):
                base = p if p != root else root / folder
                if p != root and folder != "assessments":
                    break
                targets += sorted(x for x in base.rglob("*.y*ml") if ".hcode-cache" not in x.parts)
            if p == root and (root / "hcode.yaml").exists():
                targets.insert(0, root / "hcode.yaml")
        elif p.exists():
            targets.append(p)
        else:
            fail_input(f"no such file: {p}")
    try:
        limit = read_settings(root).max_file_bytes
    except WorkspaceError:  # hcode.yaml itself is reported below, with the other files
        limit = yamlread.DEFAULT_MAX_BYTES
    changed: list[str] = []
    broken = 0
    console = out()
    for path in dict.fromkeys(targets):
        try:
            rel = path.relative_to(root).as_posix()
        except ValueError:
            fail_input(f"{path} is outside the workspace {root}")
        name = kind_of(rel)
        if name is None:
            continue
        found = read_mapping(path, rel, limit)  # as every command reads: same size limit, same strict YAML
        if isinstance(found, Finding):
            err().print(f"hcode: {where(found)}: {found.message} (left as it is)", markup=False)
            broken += 1
            continue
        text = found[0]
        try:
            new = format_text(text, name)
        except FormatError as exc:
            err().print(f"hcode: {rel}:{exc.line or 1}: {exc.message} (left as it is)", markup=False)
            broken += 1
            continue
        if new != text:
            changed.append(rel)
            if not check_only:
                atomic_write(path, new)
    verb = "would change" if check_only else "reformatted"
    for rel in changed:
        console.print(f"{verb}: {rel}", markup=False)
    console.print(
        f"{len(changed)} file(s) {verb}, {len(targets) - len(changed) - broken} unchanged"
        + (f", {broken} could not be read" if broken else ""),
        markup=False,
    )
    if broken:
        raise typer.Exit(EXIT_INPUT)
    raise typer.Exit(EXIT_FINDINGS if check_only and changed else EXIT_OK)
