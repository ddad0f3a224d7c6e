"""``hcode assessment``: work on the self-assessment files."""

from __future__ import annotations

from typing import Annotated

import typer

from hcode.cli.common import WorkspaceOpt, app, fail, out, parse_year, today

assessment_app = typer.Typer(help="Work on the self-assessments.", no_args_is_help=True)
app.add_typer(assessment_app, name="assessment")


@assessment_app.command("migrate")
def migrate(
    source_year: Annotated[str, typer.Option("--from", help="Last year's self-assessment, e.g. 2023-24.")],
    year: Annotated[
        str | None, typer.Option("--year", help="The year to start (default: the one after --from).")
    ] = None,
    code_name: Annotated[
        str | None,
        typer.Option("--code", help="The edition of the new form (default: the latest edition hcode knows)."),
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Start a year's self-assessment on the current form from last year's answers on an
    earlier form: each answer the mapping between the editions carries is filled in and marked
    with a review: line (hcode check reports it until the line is deleted); the rest is left to
    answer. Writes assessments/YEAR.yaml, which must not exist yet."""
    from hcode.api.errors import UseCaseError
    from hcode.api.workspace import migrate_assessment

    source_year = parse_year(source_year, "--from")
    year = parse_year(year)
    try:
        done = migrate_assessment(workspace, source_year, year, code_name, today())
    except UseCaseError as exc:
        fail(exc)
    console = out()
    console.print(
        f"wrote {done.rel} on the {done.new} form: {len(done.carried)} answers carried from {source_year} "
        f"({done.old}) to review, {len(done.blank)} provisions to answer.",
        markup=False,
    )
    if done.dropped:
        console.print(
            f"Not carried (no {done.new} provision in the mapping): {done.old} " + ", ".join(done.dropped) + ".",
            markup=False,
        )
    if done.actions:
        console.print(f"{done.actions} open actions of the action plan carried.", markup=False)
    if done.unlinked:
        console.print(
            f"Those actions no longer name {done.old} " + ", ".join(done.unlinked) + " (no row in the mapping).",
            markup=False,
        )
    console.print("Next: review each carried answer, delete its review: line, and run hcode check.", markup=False)
