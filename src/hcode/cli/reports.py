"""``hcode report`` and ``hcode export``: the published reports, and case data for analysis."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hcode.cli.common import (
    AsOfOpt,
    NoCacheOpt,
    SkipBrokenOpt,
    WorkersOpt,
    WorkspaceArg,
    WorkspaceOpt,
    app,
    echo,
    echo_pieces,
    err,
    fail,
    name_left_out,
    open_workspace,
    out,
    parse_date,
    parse_year,
    today,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from hcode.api.reports import AnnualReport, AssessmentReport
    from hcode.api.workspace import OpenWorkspace

report_app = typer.Typer(help="Publish the self-assessment and the annual complaints report.", no_args_is_help=True)
app.add_typer(report_app, name="report")


YearOpt = Annotated[str | None, typer.Option("--year", metavar="YYYY-YY", help="Reporting year, e.g. 2024-25.")]
OutOpt = Annotated[Path | None, typer.Option("--output", "-o", help="File (or folder) to write; default: print.")]


def _write(
    output: Path | None,
    name: str,
    data: str | bytes | Sequence[bytes | memoryview],
    extra: dict[str, str] | None = None,
) -> None:
    """Print, or write to a file or into a folder (with any extra files beside it). ``data``: text,
    a workbook's bytes, or the UTF-8 pieces of a large text (each ending at a line end)."""
    from hcode.api.errors import UseCaseError
    from hcode.api.reports import output_kind, write_published

    if output is None:
        if isinstance(data, bytes):
            raise typer.BadParameter("Excel output needs --output FILE", param_hint="--output")
        if isinstance(data, str):
            echo(data, kind=output_kind(name))
        else:
            echo_pieces(data, kind=output_kind(name))
        return
    try:
        written = write_published(output, name, data, extra)
    except UseCaseError as exc:
        fail(exc)
    out().print("Written: " + ", ".join(str(p) for p in written), markup=False)


def _format(report: str, *more: str, tables: bool = False) -> Any:
    """The ``--format`` option of a published report or a table: its choices from the registry."""
    from hcode.render.published import PUBLISHED, TABLES

    registry: dict[str, Any] = TABLES if tables else PUBLISHED
    names = [*registry[report], *more]
    described = [f"{n}: {what}" for n, (what, _) in registry[report].items()]

    def known(value: str) -> str:
        choices = [*registry[report], *more]  # as registered now
        if value not in choices:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}", param_hint="'--format' / '-f'")
        return value

    return typer.Option(
        "--format",
        "-f",
        metavar="[" + "|".join(names) + "]",
        help="; ".join(
            described + (["json: the figures as JSON (docs/reports.md: stable keys)"] if "json" in more else [])
        )
        + ".",
        callback=known,
    )


def _publish(output: Path | None, ws: OpenWorkspace, made: AnnualReport | AssessmentReport, fmt: str) -> None:
    """Publish the annual report or the self-assessment (through the privacy gate, in the
    application layer) and write it; personal data, or a broken or unsafe workspace template,
    is an input error (exit 3). The files left out are named on standard error."""
    from hcode.api.errors import UseCaseError
    from hcode.api.reports import names_folder, publish_report

    name_left_out(made.problems)
    try:
        out = publish_report(ws, made, fmt, folder=names_folder(output))
    except UseCaseError as exc:
        fail(exc)
    _write(output, out.name, out.data, out.beside)


class Layout(StrEnum):
    table = "table"
    columns = "columns"


LayoutOpt = Annotated[
    Layout,
    typer.Option(
        "--layout",
        help="table: the form's table with the action plan after it; columns: each provision's "
        "actions as Action required, Action owner and Completion date columns on its row.",
    ),
]
SectionOpt = Annotated[
    int | None,
    typer.Option("--section", metavar="N", help="Publish section N of the Code alone (e.g. 6)."),
]


@report_app.command("assessment")
def assessment(
    workspace: WorkspaceArg = None,
    workspace_opt: WorkspaceOpt = None,
    year: YearOpt = None,
    format: Annotated[str, _format("assessment")] = "md",
    output: OutOpt = None,
    as_of: AsOfOpt = None,
    skip_broken: SkipBrokenOpt = False,
    layout: LayoutOpt = Layout.table,
    section: SectionOpt = None,
) -> None:
    """The self-assessment in the Ombudsman's Appendix A layout, with the action plan and the
    notes. ``--as-of`` chooses the default year (the newest self-assessment, else the last
    complete reporting year as on that date). ``--layout columns`` puts each provision's actions
    on its row; ``--section N`` publishes one section alone.

    Refuses (exit 3) when a self-assessment file cannot be read, unless --skip-broken."""
    from hcode.api.errors import UseCaseError
    from hcode.api.reports import assessment_report

    year = parse_year(year)
    ws = open_workspace(workspace, workspace_opt)
    when = parse_date(as_of) or today()
    try:
        report = assessment_report(ws, year, when, section=section, layout=layout.value, refuse=not skip_broken)
    except UseCaseError as exc:
        fail(exc)
    _publish(output, ws, report, format)


@report_app.command("annual")
def annual(
    workspace: WorkspaceArg = None,
    workspace_opt: WorkspaceOpt = None,
    year: YearOpt = None,
    format: Annotated[str, _format("annual", "json")] = "md",
    output: OutOpt = None,
    as_of: AsOfOpt = None,
    skip_broken: SkipBrokenOpt = False,
    no_cache: NoCacheOpt = False,
    workers: WorkersOpt = None,
) -> None:
    """The annual complaints performance and service improvement report (Code 8.1, 8.2) with the
    TSMs CH01 and CH02. Contains no personal data.

    Refuses (exit 3) when a case, self-assessment, reports/ or ombudsman/ file cannot be read,
    unless --skip-broken: then it names the files left out (a closing note in md and html, a
    first sheet in xlsx, "left_out" in json, and a line each on standard error)."""
    from hcode.api.errors import UseCaseError
    from hcode.api.reports import annual_figures, annual_report
    from hcode.render.published import figures_json

    year = parse_year(year)
    ws = open_workspace(workspace, workspace_opt, use_cache=not no_cache, workers=workers)
    when = parse_date(as_of) or today()
    try:
        if format == "json":
            computed = annual_figures(ws, year, when, refuse=not skip_broken)
            name_left_out(computed.problems)
            _write(output, f"annual-{computed.year}.json", figures_json(computed.public, computed.public_left_out))
            return
        made = annual_report(ws, year, when, refuse=not skip_broken)
    except UseCaseError as exc:
        fail(exc)
    _publish(output, ws, made, format)


@report_app.command("tsm")
def tsm(
    workspace: WorkspaceArg = None,
    workspace_opt: WorkspaceOpt = None,
    year: YearOpt = None,
    format: Annotated[str, _format("tsm", "json", "xlsx", tables=True)] = "csv",
    output: OutOpt = None,
    as_of: AsOfOpt = None,
    skip_broken: SkipBrokenOpt = False,
    no_cache: NoCacheOpt = False,
    workers: WorkersOpt = None,
    as_return: Annotated[
        bool,
        typer.Option(
            "--return",
            help="The return itself (csv, md, json or xlsx): CH01 and CH02 numerators and denominators per "
            "stock type under the Regulator's wording, and the target timescales used for CH02.",
        ),
    ] = False,
) -> None:
    """Audit table for CH01/CH02: every complaint considered, why it is in or out, and whether it
    was within timescale. Internal: it lists case ids; do not publish it. With --return, the
    figures the Regulator's TSM return asks for (no case ids).

    Refuses (exit 3) when a case file cannot be read, unless --skip-broken (then each file left
    out is named on standard error, and in a closing note in md)."""
    from hcode.api.errors import UseCaseError
    from hcode.api.reports import tsm_audit, tsm_return
    from hcode.render.published import TSM_COLUMNS, write_table

    year = parse_year(year)
    if not as_return and format in ("json", "xlsx"):
        raise typer.BadParameter(f"{format} is a format of the return: add --return", param_hint="'--format' / '-f'")
    ws = open_workspace(workspace, workspace_opt, use_cache=not no_cache, workers=workers)
    when = parse_date(as_of) or today()
    if as_return:
        from hcode.render.tsmreturn import write_return

        try:
            made = tsm_return(ws, year, when, refuse=not skip_broken)
        except UseCaseError as exc:
            fail(exc)
        name_left_out(made.problems)
        _write(output, f"tsm-return-{made.year}.{format}", write_return(format, made.public))
        return
    try:
        audit = tsm_audit(ws, year, when, refuse=not skip_broken)
    except UseCaseError as exc:
        fail(exc)
    name_left_out(audit.problems)
    text = write_table("tsm", format, audit.public, TSM_COLUMNS, audit.public_left_out)
    _write(output, f"tsm-audit-{audit.year}.{format}", text)


class SubmissionFormat(StrEnum):
    md = "md"
    csv = "csv"
    json = "json"


@report_app.command("submission")
def submission(
    workspace: WorkspaceArg = None,
    workspace_opt: WorkspaceOpt = None,
    year: YearOpt = None,
    format: Annotated[SubmissionFormat, typer.Option("--format", "-f", help="Output format.")] = SubmissionFormat.md,
    output: OutOpt = None,
    as_of: AsOfOpt = None,
    skip_broken: SkipBrokenOpt = False,
) -> None:
    """What the Housing Ombudsman's annual submission form asks, ready to copy: section 1 (the
    organisation and links to the policy, self-assessment, annual report and governing body's
    response, from submission: in hcode.yaml) and section 2 (comply yes or no per provision of the
    self-assessment; for each no, the actions and their timescales). Contains no personal data.

    A setting section 1 needs that hcode.yaml does not give is named on standard error (the
    form says "not set"). Refuses (exit 3) when a self-assessment file cannot be read, unless
    --skip-broken."""
    from hcode.api.errors import UseCaseError
    from hcode.api.submission import submission as submission_form
    from hcode.render.submission import WRITERS

    year = parse_year(year)
    ws = open_workspace(workspace, workspace_opt)
    when = parse_date(as_of) or today()
    try:
        made = submission_form(ws, year, when, refuse=not skip_broken)
    except UseCaseError as exc:
        fail(exc)
    name_left_out(made.problems)
    missing = made.form.missing
    if missing:
        err().print(f"hcode: warning: section 1 is incomplete: add {', '.join(missing)} to hcode.yaml", markup=False)
    _write(output, f"submission-{made.year}.{format.value}", WRITERS[format.value](made.public))


@app.command()
def export(
    workspace: WorkspaceArg = None,
    workspace_opt: WorkspaceOpt = None,
    format: Annotated[str, _format("export", tables=True)] = "csv",
    output: OutOpt = None,
    as_of: AsOfOpt = None,
    skip_broken: SkipBrokenOpt = False,
    no_cache: NoCacheOpt = False,
    workers: WorkersOpt = None,
) -> None:
    """One row per case with every date, computed due date and status, for Power BI, Excel or
    DuckDB. INTERNAL DATA: it holds case ids and staff references; do not publish it.

    Refuses (exit 3) when a case file cannot be read, unless --skip-broken (then each file left
    out is named on standard error)."""
    from hcode.api.errors import UseCaseError
    from hcode.api.reports import export_table

    ws = open_workspace(workspace, workspace_opt, use_cache=not no_cache, workers=workers)
    when = parse_date(as_of) or today()
    try:
        table = export_table(ws, format, when, refuse=not skip_broken)
    except UseCaseError as exc:
        fail(exc)
    name_left_out(table.problems)
    _write(output, f"cases.{format}", table.lines)
