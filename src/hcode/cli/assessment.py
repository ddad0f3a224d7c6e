"""``hcode assessment``: work on the self-assessment files."""

from __future__ import annotations

from typing import Annotated

import typer

from hcode.cli import WorkspaceOpt, app, fail_input, out, parse_year, today, workspace_root

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
    from hcode.core.editions import Unusable, assessed_on
    from hcode.core.years import reporting_year
    from hcode.edit.fileio import WriteRefused, write_guarded
    from hcode.edit.migrate import migrated_text
    from hcode.store.api import Store
    from hcode.store.mappings import load_mapping
    from hcode.store.workspace import WorkspaceError

    source_year = parse_year(source_year, "--from")
    year = parse_year(year)
    root = workspace_root(None, workspace)
    try:
        store = Store.open(root)
    except WorkspaceError as exc:
        fail_input(str(exc), exc.hint)
    records = store.assessments
    found = [a for a in records.items if a.year == source_year]
    if not found:
        broken = [p for p in records.problems if p.file and p.file.endswith(f"{source_year}.yaml")]
        if broken:
            fail_input(f"{broken[0].file}:{broken[0].line or 1}: {broken[0].message}", "fix it first (hcode check)")
        fail_input(f"there is no {source_year} self-assessment in assessments/", "give the year of an existing file")
    old = found[0]
    editions = store.assessment_editions
    old_code = editions.answered(old.code, assessed_on(old.completed, today()), store.editions)
    if isinstance(old_code, Unusable):
        fail_input(f"{old.file}: {old_code.message}", old_code.hint)
    if code_name is None:
        new_code = editions.latest
    else:
        picked = editions.codes.get(code_name)
        if picked is None:
            fail_input(f"unknown Code edition {code_name!r} (known: {', '.join(editions.known)})", "give one of those")
        new_code = picked
    if new_code.code == old_code.code:
        fail_input(
            f"{old.file} already answers the {new_code.code} form: nothing to migrate",
            "copy the file to start the new year on the same form",
        )
    if new_code.effective < old_code.effective:
        fail_input(f"{new_code.code} is older than {old_code.code}", "migrate to a later edition")
    target_year = year or reporting_year(source_year).next.name
    target = root / "assessments" / f"{target_year}.yaml"
    rel = f"assessments/{target_year}.yaml"
    if target.exists():
        fail_input(f"{rel} already exists; nothing was written", "move it aside, or give another --year")
    try:
        mapping = load_mapping(root, old_code.code, new_code.code)
    except WorkspaceError as exc:
        fail_input(str(exc), exc.hint)
    result = migrated_text(old, old_code, new_code, mapping, target_year)
    try:
        write_guarded(target, result.text, None)
    except WriteRefused as exc:
        fail_input(str(exc), exc.hint)
    console = out()
    console.print(
        f"wrote {rel} on the {new_code.code} form: {len(result.carried)} answers carried from {source_year} "
        f"({old_code.code}) to review, {len(result.blank)} provisions to answer.",
        markup=False,
    )
    if result.dropped:
        console.print(
            f"Not carried (no {new_code.code} provision in the mapping): {old_code.code} "
            + ", ".join(result.dropped)
            + ".",
            markup=False,
        )
    if result.actions:
        console.print(f"{result.actions} open actions of the action plan carried.", markup=False)
    if result.unlinked:
        console.print(
            f"Those actions no longer name {old_code.code} " + ", ".join(result.unlinked) + " (no row in the mapping).",
            markup=False,
        )
    console.print("Next: review each carried answer, delete its review: line, and run hcode check.", markup=False)
