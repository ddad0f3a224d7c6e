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
    NoCacheOpt,
    ProgressBar,
    WorkersOpt,
    WorkspaceOpt,
    app,
    echo,
    err,
    fail_input,
    out,
    workspace_root,
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

    from hcode.core.text import visible

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
    from hcode.review.gitdiff import GitError
    from hcode.review.gitdiff import diff as run_diff

    root = workspace_root(None, workspace)
    try:
        result = run_diff(root, base, head)
    except GitError as exc:
        fail_input(f"git: {exc}", "run hcode diff inside a git repository, with revisions that exist")
    echo(render_diff(result, format), kind=format.value)


def _yaml_under(root: Path, base: Path) -> list[str]:
    """Workspace-relative paths of the ``*.y*ml`` files under ``base`` (sorted as paths sort, the
    cache folder left out; links to folders are not followed, and links to files are named on
    standard error and left out)."""
    import fnmatch
    import os

    try:
        prefix = base.relative_to(root).as_posix()
    except ValueError:
        fail_input(f"{base} is outside the workspace {root}")
    found: list[str] = []
    for folder, dirs, names in os.walk(base):
        dirs[:] = [d for d in dirs if d != ".hcode-cache"]
        rel_folder = os.path.relpath(folder, base).replace(os.sep, "/")
        here = prefix if rel_folder == "." else (f"{prefix}/{rel_folder}" if prefix != "." else rel_folder)
        for n in names:
            if not fnmatch.fnmatchcase(n, "*.y*ml"):
                continue
            rel = f"{here}/{n}" if here != "." else n
            if os.path.islink(os.path.join(folder, n)):
                # never rewritten: replacing the link would copy its target's content here
                err().print(f"hcode: {rel} is a symbolic link: left as it is", markup=False)
                continue
            found.append(rel)
    return sorted(found, key=lambda rel: rel.split("/"))


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
    from hcode.edit.fileio import WriteRefused, clean_temp, write_guarded
    from hcode.edit.fmt import format_files, kind_of
    from hcode.store import yamlread
    from hcode.store.cachefile import same_as
    from hcode.store.workspace import WorkspaceError, read_settings

    if workspace is None and paths:
        from hcode.store.workspace import find_root

        first = paths[0].resolve()
        try:
            root = find_root(None, start=first if first.is_dir() else first.parent).resolve()
        except WorkspaceError as exc:
            fail_input(str(exc), exc.hint)
    else:
        root = workspace_root(None, workspace).resolve()
    targets: list[str] = []  # workspace-relative paths, in the order they are listed
    for p in paths or [root]:
        p = p.resolve()
        if p.is_dir():
            for folder in ("assessments", "cases", "provisions", "reports"):
                base = p if p != root else root / folder
                if p != root and folder != "assessments":
                    break
                targets += _yaml_under(root, base)
            if p == root and (root / "hcode.yaml").exists():
                targets.insert(0, "hcode.yaml")
        elif p.exists():
            try:
                targets.append(p.relative_to(root).as_posix())
            except ValueError:
                fail_input(f"{p} is outside the workspace {root}")
        else:
            fail_input(f"no such file: {p}")
    try:
        limit = read_settings(root).max_file_bytes
    except WorkspaceError:  # hcode.yaml itself is reported below, with the other files
        limit = yamlread.DEFAULT_MAX_BYTES
    items = [(rel, name) for rel in dict.fromkeys(targets) if (name := kind_of(rel)) is not None]
    changed: list[str] = []
    broken = 0
    console = out()
    if not check_only:
        clean_temp((root / rel).parent for rel, _ in items)
    for f in format_files(
        root, items, limit, workers=workers, use_cache=not no_cache, progress=ProgressBar("formatting files")
    ):
        if f.problem is not None:
            err().print(f"hcode: {f.rel}:{f.problem} (left as it is)", markup=False)
            broken += 1
        elif f.new is not None:
            if not check_only:
                try:
                    write_guarded(root / f.rel, f.new, None, unchanged=same_as(f.digest))
                except WriteRefused as exc:
                    err().print(f"hcode: {f.rel}: {exc.message} (left as it is; {exc.hint})", markup=False)
                    broken += 1
                    continue
            changed.append(f.rel)
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
