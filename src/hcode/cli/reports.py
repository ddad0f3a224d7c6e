"""``hcode report`` and ``hcode export``: the published reports, and case data for analysis."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from hcode.cli import (
    AsOfOpt,
    NoCacheOpt,
    SkipBrokenOpt,
    WorkersOpt,
    WorkspaceArg,
    WorkspaceOpt,
    app,
    echo,
    fail_input,
    open_store,
    out,
    parse_date,
    parse_year,
    refuse_or_name,
    today,
    write_out,
)

report_app = typer.Typer(help="Publish the self-assessment and the annual complaints report.", no_args_is_help=True)
app.add_typer(report_app, name="report")


YearOpt = Annotated[str | None, typer.Option("--year", metavar="YYYY-YY", help="Reporting year, e.g. 2024-25.")]
OutOpt = Annotated[Path | None, typer.Option("--output", "-o", help="File (or folder) to write; default: print.")]


def _year(value: str | None, store: Any, when: date | None = None) -> str:
    """The reporting year asked for (checked by :func:`parse_year` before the workspace is
    opened), else the newest self-assessment's, else the last complete reporting year."""
    from hcode.api import Workspace

    if value is not None:
        return value
    return Workspace(store).default_year(when or today())


def _kind(name: str) -> str:
    """How an output file's text is made safe (see :func:`hcode.core.text.safe_output`)."""
    return name.rsplit(".", 1)[-1] if name.endswith((".json", ".jsonl", ".csv")) else "text"


def _write(output: Path | None, name: str, data: str | bytes, extra: dict[str, str] | None = None) -> None:
    """Print, or write atomically to a file or into a folder (with any extra files beside it)."""
    if output is None:
        if isinstance(data, bytes):
            raise typer.BadParameter("Excel output needs --output FILE", param_hint="--output")
        echo(data, kind=_kind(name))
        return
    folder = output.is_dir() or str(output).endswith(("/", "\\"))
    if folder and not output.is_dir():
        fail_input(f"the folder {output} does not exist; nothing was written", "create the folder first")
    target = output / name if folder else output
    if isinstance(data, str):
        from hcode.core.text import safe_output

        data = safe_output(data, kind=_kind(name))
    write_out(target, data)
    written = [target]
    if folder:
        for extra_name, text in (extra or {}).items():
            write_out(output / extra_name, safe_output(text, kind=_kind(extra_name)))
            written.append(output / extra_name)
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


def _publish(output: Path | None, report: str, fmt: str, context: dict[str, Any], root: Path, stem: str) -> None:
    """Publish through the registry and write it; a broken or unsafe workspace template is an
    input error (exit 3)."""
    from jinja2 import TemplateError

    from hcode.render.published import publish

    folder = output is not None and (output.is_dir() or str(output).endswith(("/", "\\")))
    try:
        made = publish(report, fmt, context, root, stem, folder)
    except TemplateError as exc:  # includes the sandbox's SecurityError
        fail_input(
            f"template for the {report} report ({fmt}): {type(exc).__name__}: {exc}",
            "check the workspace's templates/ folder (templates run in a sandbox)",
        )
    _write(output, f"{stem}.{fmt}", made.data, made.beside)


def _assessment_ctx(
    store: Any, year: str, when: date, section: int | None = None, layout: str = "table"
) -> dict[str, Any]:
    """The self-assessment of ``year`` on the form of the edition it answers (without a file:
    the form a file written on ``when`` would answer)."""
    from hcode.core.editions import Unusable, assessed_on
    from hcode.render.report import assessment_context

    found = [a for a in store.assessments.items if a.year == year]
    named, done_on = (found[0].code, assessed_on(found[0].completed, when)) if found else (None, when)
    code = store.assessment_editions.answered(named, done_on, store.editions)
    if isinstance(code, Unusable):  # never render answers beside another edition's provisions
        fail_input(f"{found[0].file}: {code.message}", "fix its code: line; hcode check lists the problems")
    if section is not None:
        numbers = [s.number for s in code.sections if any(p.assessed for p in s.provisions)]
        if section not in numbers:
            raise typer.BadParameter(
                f"{code.code} has no section {section} to assess (sections: {', '.join(map(str, numbers))})",
                param_hint="--section",
            )
    return assessment_context(found[0] if found else None, code, store.settings, year, section=section, layout=layout)


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
    year = parse_year(year)
    store = open_store(workspace, workspace_opt)
    left_out = refuse_or_name(store.assessments.problems, skip_broken, "the self-assessment")
    when = parse_date(as_of) or today()
    chosen = _year(year, store, when)
    ctx = _assessment_ctx(store, chosen, when, section, layout.value)
    ctx["left_out"] = left_out
    stem = f"self-assessment-{chosen}" + (f"-section-{section}" if section is not None else "")
    _publish(output, "assessment", format, ctx, store.root, stem)


def _from_cases(
    store: Any,
    ctx: Any,
    name: str,
    params: dict[str, Any],
    compute: Any,
    problems: list[Any],
    skip_broken: bool,
    what: str,
    mapper: Any = None,
) -> tuple[Any, list[dict[str, Any]]]:
    """``compute`` over every readable case (through the store and its cache), and the files left
    out (the command refuses, exit 3, when files cannot be read and ``skip_broken`` is not set)."""
    value, case_problems = store.derived(name, params, ctx, compute, mapper)
    return value, refuse_or_name(problems + case_problems, skip_broken, what)


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
    from hcode.api import Workspace

    year = parse_year(year)
    from hcode.render.report import annual_context, charts

    store = open_store(workspace, workspace_opt, use_cache=not no_cache, workers=workers)
    when = parse_date(as_of) or today()
    chosen = _year(year, store, when)
    problems = list(store.assessments.problems) if (year is None or format != "json") else []
    inputs = store.report_inputs(chosen) if format != "json" else None
    if inputs is not None:
        problems += inputs.problems
    computed = Workspace(store).annual(chosen, when)
    # reports/YEAR.yaml is read once: its problems come with the inputs and with the figures
    seen = {id(p) for p in problems}
    problems += [p for p in computed.problems if id(p) not in seen]
    left_out = refuse_or_name(problems, skip_broken, "the annual report")
    figures = computed.figures
    if format == "json":
        if left_out:
            figures["left_out"] = left_out
        _write(
            output,
            f"annual-{chosen}.json",
            json.dumps(figures, indent=2, ensure_ascii=False) + "\n",
        )
        return
    assert inputs is not None
    report = annual_context(figures, inputs.items[0], _assessment_ctx(store, chosen, when), charts(figures))
    report["left_out"] = left_out
    report.setdefault("as_of", when.isoformat())  # the day the figures were counted as of
    _publish(output, "annual", format, report, store.root, f"annual-{chosen}")


@report_app.command("tsm")
def tsm(
    workspace: WorkspaceArg = None,
    workspace_opt: WorkspaceOpt = None,
    year: YearOpt = None,
    format: Annotated[str, _format("tsm", tables=True)] = "csv",
    output: OutOpt = None,
    as_of: AsOfOpt = None,
    skip_broken: SkipBrokenOpt = False,
    no_cache: NoCacheOpt = False,
    workers: WorkersOpt = None,
) -> None:
    """Audit table for CH01/CH02: every complaint considered, why it is in or out, and whether it
    was within timescale. Internal: it lists case ids; do not publish it.

    Refuses (exit 3) when a case file cannot be read, unless --skip-broken (then each file left
    out is named on standard error, and in a closing note in md)."""
    from hcode.core import metrics

    year = parse_year(year)
    store = open_store(workspace, workspace_opt, use_cache=not no_cache, workers=workers)
    when = parse_date(as_of) or today()
    chosen = _year(year, store, when)
    problems = list(store.assessments.problems) if year is None else []  # they may choose the year
    ctx = store.context(when)

    def audit(read: Any) -> list[dict[str, Any]]:
        fs = metrics.facts(read.items, ctx.judging, ctx.calendar, when)
        return metrics.tsm_audit(fs, metrics.year_period(chosen, store.settings))

    rows, left_out = _from_cases(
        store, ctx, "tsm", {"year": chosen}, audit, problems, skip_broken, "the TSM audit table"
    )
    from hcode.render.published import TSM_COLUMNS, write_table

    text = write_table("tsm", format, rows, TSM_COLUMNS, left_out)
    _write(output, f"tsm-audit-{chosen}.{format}", text)


def _export_row(case: Any, ctx: Any) -> dict[str, Any]:
    """One case's row of the export (worker processes call this: the row travels back, not the
    record)."""
    from hcode.core.rules import case_milestones
    from hcode.render.export import row

    return row(case, case_milestones(case, ctx))


def _export_text(unsorted: list[dict[str, Any]], format: str) -> str:
    """The export's text: one row per case, by date received."""
    from hcode.render.export import NAMES
    from hcode.render.published import write_table

    rows = sorted(unsorted, key=lambda r: (r["received"], r["id"]))
    return write_table("export", format, rows, NAMES, [])


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
    store = open_store(workspace, workspace_opt, use_cache=not no_cache, workers=workers)
    when = parse_date(as_of) or today()
    ctx = store.context(when)
    text, _ = _from_cases(
        store,
        ctx,
        "export",
        {"format": format},
        lambda read: _export_text(read.items, format),
        [],
        skip_broken,
        "the export",
        mapper=_export_row,
    )
    _write(output, f"cases.{format}", text)
