"""``hcode import``: bring in a landlord's existing self-assessment and case records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hcode.cli import (
    EXIT_USAGE,
    ProgressBar,
    WorkspaceOpt,
    app,
    err,
    fail_input,
    open_store,
    out,
    parse_year,
    today,
    workspace_root,
)

import_app = typer.Typer(
    help="Bring in an existing self-assessment (Word, Excel, CSV) or case records (CSV, Excel).",
    no_args_is_help=True,
)
app.add_typer(import_app, name="import")

FileArg = Annotated[Path, typer.Argument(metavar="FILE", help="The document to import.")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Show what would be written; write nothing.")]


@import_app.command("assessment")
def import_assessment(
    file: FileArg,
    workspace: WorkspaceOpt = None,
    year: Annotated[
        str | None, typer.Option("--year", metavar="YYYY-YY", help="Reporting year, where the document does not say.")
    ] = None,
    code: Annotated[
        str | None, typer.Option("--code", metavar="EDITION", help="Code edition (default: the workspace's).")
    ] = None,
    dry_run: DryRunOpt = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing assessment for the year.")] = False,
) -> None:
    """Read a self-assessment table from .docx, .xlsx or .csv into assessments/YEAR.yaml."""
    from hcode.core.importing import guess_year, import_assessment
    from hcode.edit.casefile import write_guarded
    from hcode.edit.importer import assessment_text, done_true_allowed, loose_due_allowed
    from hcode.edit.steps import StepError
    from hcode.store import documents
    from hcode.store.workspace import WorkspaceError, load_code, load_editions, read_settings

    root = workspace_root(None, workspace)
    year = parse_year(year)
    try:
        if code is not None:
            catalogue = load_code(root, code)
        else:  # the form a self-assessment written today answers (code: auto: the Code in force)
            catalogue = load_editions(root, read_settings(root).code).unnamed_assessment(today())
    except WorkspaceError as exc:
        fail_input(f"{root}: {exc}", exc.hint)
    try:
        document = documents.read(file)
    except documents.DocumentError as exc:
        fail_input(f"{file}: {exc.message}" if not exc.message.startswith(file.name) else exc.message, exc.hint)
    result = import_assessment(
        document.tables,
        catalogue,
        numeric_ids=document.numeric_ids,
        done_true=done_true_allowed(),
        loose_due=loose_due_allowed(),
    )
    if not result.provisions and not result.unplaced:
        seen = [" | ".join(c.text for c in t.rows[0] if c.text)[:80] for t in document.tables if t.rows][:3]
        fail_input(
            f"{file.name}: found no self-assessment table"
            + (f" (first rows seen: {'; '.join(repr(s) for s in seen)})" if seen else " (the file has no tables)"),
            "the table needs a header row naming the provision column and a comply, Yes or evidence column",
        )
    chosen_year = year or guess_year([*document.text, file.stem])
    if chosen_year is None:
        fail_input(
            f"{file.name} does not say which reporting year it covers",
            "give it with --year, e.g. --year 2024-25",
        )
    rel = f"assessments/{chosen_year}.yaml"
    try:
        text = assessment_text(result, catalogue, chosen_year, file.name)
    except StepError as exc:  # pragma: no cover - the importer builds only valid files
        fail_input(f"{file.name}: {exc.message}", exc.hint)
    console = out()
    for note in document.notes:
        err().print(f"note: {note}", markup=False)
    counts: dict[str, int] = {}
    for row in result.report:
        counts[row.status] = counts.get(row.status, 0) + 1
        if row.status != "imported" or dry_run:  # a dry run lists every row, a real one what needs a look
            detail = f": {row.message}" if row.message else ""
            console.print(f"{file.name}: {row.where}: {row.provision or '-'}: {row.status}{detail}", markup=False)
    missing = [p.id for p in catalogue.assessed if p.id not in result.provisions]
    summary = (
        f"{file.name}: {len(result.provisions)} provisions read from {result.tables} table(s); "
        f"{counts.get('unknown', 0)} unknown, {counts.get('mismatch', 0)} with different requirement text, "
        f"{len(missing)} of {catalogue.code}'s provisions not in the document"
    )
    if missing:
        summary += f" ({', '.join(missing[:12])}{', ...' if len(missing) > 12 else ''})"
    target = root / rel
    if dry_run:
        console.print(text, markup=False, end="")
        console.print(summary + f". Would write {rel} (dry run: nothing written).", markup=False)
        return
    original = target.read_bytes() if target.exists() else None
    if original is not None and not force:
        err().print(f"hcode: {rel} already exists; nothing written", markup=False)
        err().print(
            "hint: use --force to replace it (git keeps the old version), or --dry-run to compare", markup=False
        )
        raise typer.Exit(EXIT_USAGE)
    try:
        write_guarded(target, text, original)
    except StepError as exc:
        fail_input(exc.message, exc.hint)
    console.print(summary + f". Written to {rel}; run 'hcode check' next.", markup=False)


@import_app.command("cases")
def import_cases(
    file: FileArg,
    workspace: WorkspaceOpt = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--map", metavar="PATH", help="The mapping file (default: import-map.yaml in the workspace)."),
    ] = None,
    init_map: Annotated[
        bool, typer.Option("--init-map", help="Write a starting mapping guessed from FILE's header row, then stop.")
    ] = False,
    dry_run: DryRunOpt = False,
    force: Annotated[bool, typer.Option("--force", help="With --init-map: replace an existing mapping.")] = False,
) -> None:
    """Create or update case files from a CSV or Excel export, one row per complaint."""
    from hcode.core.caseimport import ImportFailure, guess_map
    from hcode.edit.casefile import write_guarded_all
    from hcode.edit.importer import guess_lines, map_text, plan_cases
    from hcode.edit.steps import StepError
    from hcode.store import documents

    root = workspace_root(None, workspace)
    map_path = mapping or root / "import-map.yaml"
    specs = documents.case_fields()
    try:
        rows = documents.read_rows(file)
    except documents.DocumentError as exc:
        fail_input(exc.message if exc.message.startswith(file.name) else f"{file}: {exc.message}", exc.hint)
    for note in rows.notes:
        err().print(f"note: {note}", markup=False)
    console = out()
    if init_map:
        guess = guess_map(rows.headings, rows.rows, specs)
        text = map_text(guess, file.name)
        if dry_run:
            console.print(text, markup=False, end="")
            return
        if map_path.exists() and not force:
            err().print(f"hcode: {map_path} already exists; nothing written", markup=False)
            err().print("hint: edit it, or use --force to replace it", markup=False)
            raise typer.Exit(EXIT_USAGE)
        from hcode.edit.fileio import WriteRefused, write_guarded

        try:
            write_guarded(map_path, text, map_path.read_bytes() if map_path.exists() else None)
        except WriteRefused as exc:
            fail_input(exc.message, exc.hint)
        shown = map_path.relative_to(root) if map_path.is_relative_to(root) else map_path
        for line in guess_lines(guess):
            console.print(line, markup=False)
        console.print(
            f"Wrote {shown} from the {len(rows.headings)} columns of {file.name}. Check it, then run "
            f"'hcode import cases {file.name} --dry-run'.",
            markup=False,
        )
        return
    try:
        case_map = documents.read_case_map(map_path, specs)
    except documents.DocumentError as exc:
        fail_input(exc.message, exc.hint)
    ctx = open_store(None, root).context(today())
    try:
        plan = plan_cases(root, rows, case_map, specs, ctx, progress=ProgressBar("reading rows"))
    except ImportFailure as exc:
        fail_input(f"{file.name}: {exc.message}; nothing written", exc.hint)
    lines = []
    for r in plan.results:
        if r.status == "rejected" or r.status == "updated" or (dry_run and r.status == "new"):
            what = f" ({r.message})" if r.message and r.status == "updated" else f": {r.message}" if r.message else ""
            target = f" {r.rel}" if r.rel and r.status != "rejected" else ""
            lines.append(f"{file.name}: {r.label}: {r.case_id or '-'}: {r.status}{target}{what}")
    if lines:
        typer.echo("\n".join(lines))
    c = plan.counts
    summary = (
        f"{file.name}: {len(plan.results)} rows: {c['new']} new, {c['updated']} updated, "
        f"{c['unchanged']} unchanged, {c['rejected']} rejected"
    )
    if rows.blank:
        summary += f" ({rows.blank} blank line{'' if rows.blank == 1 else 's'} skipped)"
    ignored = [h for h in rows.headings if h and h not in case_map.columns.values()]
    if dry_run:
        console.print(summary + ". Dry run: nothing written.", markup=False)
    else:
        try:
            write_guarded_all(plan.writes)
        except StepError as exc:
            fail_input(f"{exc.message}; nothing written", exc.hint)
        console.print(summary + ".", markup=False)
    if ignored:
        console.print(f"Columns not imported (not in the mapping): {', '.join(ignored)}", markup=False)
