"""``hcode check`` and ``hcode baseline``: every rule over the whole workspace."""

from __future__ import annotations

import os
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from hcode.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    AsOfOpt,
    NoCacheOpt,
    WorkersOpt,
    WorkspaceArg,
    WorkspaceOpt,
    app,
    echo,
    err,
    fail,
    open_workspace,
    out,
    paged,
    parse_date,
    parse_year,
    today,
    write_out,
)
from hcode.render.findings import FORMATS


def _format(value: str) -> str:
    if value not in FORMATS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(FORMATS)}", param_hint="'--format' / '-f'")
    return value


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    never = "never"


@app.command()
def check(
    workspace: WorkspaceArg = None,
    workspace_opt: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="[" + "|".join(FORMATS) + "]",
            help="Output format: " + "; ".join(f"{name}: {what}" for name, (what, _) in FORMATS.items()) + ".",
            callback=_format,
        ),
    ] = "text",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the report here; the text summary still goes to the terminal.",
        ),
    ] = None,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a finding still to act on is at least this severe (recorded breaches "
            "are listed and counted, and do not fail the run).",
        ),
    ] = FailOn.error,
    fail_on_recorded: Annotated[
        bool,
        typer.Option(
            "--fail-on-recorded",
            help="Let recorded breaches (stageN.late written in full) fail the run too, as any finding.",
        ),
    ] = False,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="Accept the findings recorded by 'hcode baseline'."),
    ] = None,
    annotations: Annotated[
        bool,
        typer.Option(
            "--annotations/--no-annotations",
            help="With text output on GitHub Actions, also print workflow annotations.",
        ),
    ] = True,
    no_cache: NoCacheOpt = False,
    workers: WorkersOpt = None,
    soon: Annotated[
        int | None,
        typer.Option(
            "--soon",
            min=0,
            help="Working days ahead that count as due soon (default from hcode.yaml, else 2).",
        ),
    ] = None,
    statistics: Annotated[
        bool,
        typer.Option("--statistics", help="Count the findings per rule and severity instead of listing them."),
    ] = False,
    rule: Annotated[
        list[str] | None,
        typer.Option(
            "--rule",
            metavar="RULE",
            help="Only findings of this rule: an id (6.3), a name (respond) or a family (assessment). Repeatable.",
        ),
    ] = None,
    case: Annotated[
        list[str] | None,
        typer.Option("--case", metavar="ID", help="Only findings about this case. Repeatable."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Only findings dated (due, else done) on or after DATE; undated findings are kept.",
        ),
    ] = None,
    year: Annotated[
        str | None,
        typer.Option(
            "--year",
            metavar="YYYY-YY",
            help="Only findings dated (due, else done) in this reporting year; undated findings are kept.",
        ),
    ] = None,
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager",
            help="Never page: on a terminal, text longer than the screen is printed as it is, not "
            "through $PAGER (PAGER=cat does the same).",
        ),
    ] = False,
) -> None:
    """Check the self-assessment and every case against the Code. Never changes a workspace file.

    Exit 1 when a finding still to act on is at or above --fail-on; a past breach recorded in its
    case file (stageN.late: reason, apology, learning) is listed and counted but does not fail.
    With --rule, --case, --since or --year, only the findings chosen are shown and judged.
    On a terminal, text longer than the screen goes through the pager as git does ($HCODE_PAGER,
    else $PAGER, else less); --no-pager prints it as it is."""
    import gc

    from hcode.api.check import check as run_check
    from hcode.api.check import failing, read_baseline, repo_prefix, shown
    from hcode.api.check import statistics as count_findings
    from hcode.api.errors import UseCaseError
    from hcode.render.findings import FindingsRun, render_findings
    from hcode.render.output import (
        header_lines,
        render_text,
        statistics_json,
        statistics_lines,
        summary_line,
        text_layout,
        text_lines,
    )
    from hcode.render.reporters import to_github

    gc.disable()  # a short run that builds many small objects and no cycles: collecting only costs time
    when = parse_date(as_of) or today()
    if statistics and format not in ("text", "json"):
        raise typer.BadParameter("--statistics prints text or json", param_hint="'--format' / '-f'")
    from_day = parse_date(since, "--since")
    year_name = parse_year(year)
    try:
        entries = read_baseline(baseline) if baseline is not None else None
    except UseCaseError as exc:
        fail(exc)
    ws = open_workspace(workspace, workspace_opt, use_cache=not no_cache, workers=workers)
    result = run_check(ws, when, soon=soon, baseline=entries)
    chosen = shown(
        ws,
        result,
        rules=tuple(rule or ()),
        cases=tuple(case or ()),
        since=from_day,
        year=year_name,
        baseline=baseline if entries is not None else None,
    )
    findings, tally, notes = chosen.findings, chosen.tally, chosen.notes
    name = ws.settings.landlord
    prefix = repo_prefix(ws.root)
    run = FindingsRun(
        findings,
        when,
        name,
        result.files,
        ws.code,
        prefix,
        fail_on.value,
        tally,
        ws.editions.codes,
        by_date=ws.editions.auto,
    )
    console = out()

    def kept(params: list[Any], make: Callable[[], list[str]]) -> list[str]:
        """The lines ``make`` lays out, as kept where the same findings were laid out the same
        way before: only every finding (none chosen, no baseline), the case files' as the cache
        kept them (:attr:`hcode.api.check.CheckResult.kept_as`); with all the rest they show."""
        if result.kept_as is None or findings is not result.findings:
            return make()
        shown = [result.kept_as, when.isoformat(), name, result.files, header_lines(run), tally.json()]
        return ws.kept_lines("check-run", len(findings), ["check", *params, *shown], make, slot=params[0])

    if statistics:
        counts = count_findings(ws, findings)
        if format == "json":
            text = statistics_json(counts, findings, as_of=when, workspace=name, files=result.files, tally=tally)
        else:
            line = summary_line(findings, as_of=when, files=result.files, workspace=name)
            text = "\n".join([*statistics_lines(counts), "", line]) + "\n"
        if output is None:
            echo(text, kind="json" if format == "json" else "text")
        else:
            write_out(output, text)
    elif format == "text" and output is None:  # to the terminal or a pipe: Rich, coloured where it can be
        with paged(console, not no_pager):
            colour, width = text_layout(console)
            lines = kept(["text", colour, width], lambda: text_lines(run, colour=colour, width=width))
            render_text(console, run, lines)
            if annotations and os.environ.get("GITHUB_ACTIONS") == "true":
                console.file.write(to_github(findings, prefix=prefix))
    elif output is None and format == "json":
        typer.echo("\n".join(kept(["json"], lambda: render_findings("json", run).split("\n"))), nl=False)
    elif output is None:
        typer.echo(render_findings(format, run), nl=False)
    else:
        write_out(output, render_findings(format, run))
        line = summary_line(findings, as_of=when, files=result.files, workspace=name)
        console.print(f"{line}; report written to {output}", markup=False)
    for note in notes:
        err().print(f"hcode: {note}", markup=False)
    failed = failing(findings, fail_on.value, recorded=fail_on_recorded)
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


@app.command("baseline")
def make_baseline(
    workspace: WorkspaceArg = None,
    workspace_opt: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the baseline.")] = Path(
        ".hcode-baseline.json"
    ),
) -> None:
    """Record today's findings, so that 'hcode check --baseline' fails only on new ones."""
    from hcode.api.check import record_baseline
    from hcode.api.errors import UseCaseError

    when = parse_date(as_of) or today()
    ws = open_workspace(workspace, workspace_opt)
    try:
        written = record_baseline(ws, output, when)
    except UseCaseError as exc:
        fail(exc)
    out().print(
        f"Recorded {written.findings} findings in {written.path}. Commit it, then run "
        f"'hcode check --baseline {output}'.",
        markup=False,
    )
