"""``hcode import``: bring in a landlord's existing self-assessment and case records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hcode.cli.common import ProgressBar, WorkspaceOpt, app, echo, err, fail, out, parse_year, today

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
    from hcode.api.errors import UseCaseError
    from hcode.api.imports import plan_assessment_import, write_assessment_import

    year = parse_year(year)
    try:
        plan = plan_assessment_import(workspace, file, year=year, code=code, today=today())
    except UseCaseError as exc:
        fail(exc)
    console = out()
    for note in plan.notes:
        err().print(f"note: {note}", markup=False)
    for row in plan.report:
        if row.status != "imported" or dry_run:  # a dry run lists every row, a real one what needs a look
            detail = f": {row.message}" if row.message else ""
            console.print(f"{file.name}: {row.where}: {row.provision or '-'}: {row.status}{detail}", markup=False)
    missing = plan.missing
    summary = (
        f"{file.name}: {plan.provisions} provisions read from {plan.tables} table(s); "
        f"{plan.count('unknown')} unknown, {plan.count('mismatch')} with different requirement text, "
        f"{len(missing)} of {plan.code.code}'s provisions not in the document"
    )
    if missing:
        summary += f" ({', '.join(missing[:12])}{', ...' if len(missing) > 12 else ''})"
    console.print(f"{file.name}: {plan.words}", markup=False)
    if dry_run:
        console.print(plan.text, markup=False, end="")
        console.print(summary + f". Would write {plan.rel} (dry run: nothing written).", markup=False)
        return
    try:
        write_assessment_import(plan, force=force)
    except UseCaseError as exc:
        fail(exc)
    console.print(summary + f". Written to {plan.rel}; run 'hcode check' next.", markup=False)


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
    from hcode.api.errors import UseCaseError
    from hcode.api.imports import plan_case_import, starting_map, write_case_import, write_starting_map

    console = out()
    if init_map:
        try:
            guessed = starting_map(workspace, file, mapping)
            for note in guessed.notes:
                err().print(f"note: {note}", markup=False)
            if dry_run:
                console.print(guessed.text, markup=False, end="")
                return
            write_starting_map(guessed, force=force)
        except UseCaseError as exc:
            fail(exc)
        path = guessed.path
        shown = path.relative_to(guessed.root) if path.is_relative_to(guessed.root) else path
        for line in [*guessed.guesses, *guessed.categories]:
            console.print(line, markup=False)
        console.print(
            f"Wrote {shown} from the {guessed.columns} columns of {file.name}. Check it, then run "
            f"'hcode import cases {file.name} --dry-run'.",
            markup=False,
        )
        return
    try:
        plan = plan_case_import(
            workspace, file, map_path=mapping, today=today(), progress=ProgressBar(f"importing {file.name}")
        )
    except UseCaseError as exc:
        fail(exc)
    for note in plan.notes:
        err().print(f"note: {note}", markup=False)
    lines = []
    for r in plan.results:
        if r.status == "rejected" or r.status == "updated" or (dry_run and r.status == "new"):
            what = f" ({r.message})" if r.message and r.status == "updated" else f": {r.message}" if r.message else ""
            target = f" {r.rel}" if r.rel and r.status != "rejected" else ""
            lines.append(f"{file.name}: {r.label}: {r.case_id or '-'}: {r.status}{target}{what}")
    if lines:
        echo("\n".join(lines), nl=True)
    c = plan.counts
    summary = (
        f"{file.name}: {len(plan.results)} rows: {c['new']} new, {c['updated']} updated, "
        f"{c['unchanged']} unchanged, {c['rejected']} rejected"
    )
    if plan.blank:
        summary += f" ({plan.blank} blank line{'' if plan.blank == 1 else 's'} skipped)"
    if dry_run:
        console.print(summary + ". Dry run: nothing written.", markup=False)
    else:
        try:
            write_case_import(plan)
        except UseCaseError as exc:
            fail(exc)
        console.print(summary + ".", markup=False)
    if plan.ignored:
        console.print(f"Columns not imported (not in the mapping): {', '.join(plan.ignored)}", markup=False)
