"""``hcode benchmarks``: the sector's CH01 and CH02 quartiles, and where this landlord stands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from hcode.cli.common import AsOfOpt, WorkspaceOpt, app, fail, out, parse_date, today

benchmarks_app = typer.Typer(
    help="The sector's CH01 and CH02 (the Regulator's TSM data) and where this landlord stands.",
    invoke_without_command=True,
)
app.add_typer(benchmarks_app, name="benchmarks")


@benchmarks_app.callback()
def show(
    ctx: typer.Context,
    workspace: WorkspaceOpt = None,
    year: Annotated[
        str | None, typer.Option("--year", metavar="YYYY-YY", help="Reporting year; default the latest.")
    ] = None,
    stock: Annotated[str, typer.Option("--stock", help="LCRA, LCHO or Combined.")] = "LCRA",
    size: Annotated[
        str | None, typer.Option("--size", help="One size band, as the data write it (e.g. '<5,000').")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    sector_only: Annotated[bool, typer.Option("--sector-only", help="The sector alone, without a workspace.")] = False,
    as_of: AsOfOpt = None,
) -> None:
    """Quartiles and median of every landlord's published CH01 and CH02 for a stock type (and
    size band), and this landlord's figures for the same year beside them."""
    if ctx.invoked_subcommand is not None:
        return
    from hcode.api.benchmarks import BenchmarkError, benchmarks
    from hcode.api.errors import UseCaseError

    if format not in ("text", "json"):
        raise typer.BadParameter(f"{format!r} is not one of text, json", param_hint="'--format' / '-f'")
    ws = None
    if not sector_only:
        from hcode.cli.common import open_workspace

        ws = open_workspace(None, workspace)
    try:
        found = benchmarks(ws, year, stock, size, parse_date(as_of) or today())
    except BenchmarkError as exc:
        raise typer.BadParameter(str(exc)) from exc
    except UseCaseError as exc:
        fail(exc)
    if format == "json":
        out().print(json.dumps(found.json(), indent=2, ensure_ascii=False), markup=False, highlight=False)
        return
    labels, places_of = found.labels, found.places

    band = f", size band {found.size}" if found.size else ""
    table = Table(title=f"{found.stock_type}, {found.year}{band}: {found.dataset['dataset']}")
    for col in ("Measure", "Landlords", "Lower quartile", "Median", "Upper quartile"):
        table.add_column(col)
    if found.ours is not None:
        table.add_column(f"Ours ({found.compared})")
        table.add_column("Where we stand")
    for key, q in found.sector.items():
        places = places_of[key]
        row = [labels[key], str(q["count"])] + [
            "n/a" if q[k] is None else f"{q[k]:,.{places}f}" for k in ("lower_quartile", "median", "upper_quartile")
        ]
        if found.ours is not None:
            mine = found.ours[key]
            row += ["no data" if mine.value is None else f"{mine.value:,.{places}f}", mine.standing or ""]
        table.add_row(*row)
    console = out()
    console.print(table)
    console.print(
        "Only landlords owning 1,000 or more social homes submit the TSM return. Quartiles are computed by "
        f"hcode from every landlord's published values. {found.licence}",
        markup=False,
    )


@benchmarks_app.command("update")
def update_cmd(
    workbook: Annotated[Path, typer.Argument(help="The Regulator's TSM Full Data workbook (.xlsx).")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Read a newer TSM workbook from the Regulator into this workspace's benchmarks
    (tsm-benchmarks.json), checking its layout first: a workbook laid out differently is refused
    (exit 3) and nothing is written."""
    from hcode.api.benchmarks import update
    from hcode.api.errors import UseCaseError
    from hcode.cli.common import open_workspace

    ws = open_workspace(None, workspace)
    try:
        target, year, count = update(ws.store.root, workbook)
    except UseCaseError as exc:
        fail(exc)
    out().print(f"Written: {target} ({year}: {count} landlords)", markup=False)
