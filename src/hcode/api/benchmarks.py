"""``hcode benchmarks``: the sector's quartiles and median of CH01 and CH02 from the
Regulator's published TSM data, and where this landlord stands."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from hcode.api.errors import UseCaseError
from hcode.api.workspace import OpenWorkspace


@dataclass(frozen=True, slots=True)
class Ours:
    """This landlord's figure for a measure (None: no data) and where it stands among the
    sector's quartiles, in words (None where either is missing)."""

    value: float | None
    standing: str | None


@dataclass(frozen=True)
class Benchmarks:
    """The sector's figures for ``year`` and ``stock_type`` (``size``: one size band, or all),
    each measure's quartiles (``sector``), and ``ours``: this landlord's figures beside them
    (None without a workspace, or where it has no figures for that year)."""

    year: str
    stock_type: str
    size: str | None
    sizes: list[str]
    sector: dict[str, dict[str, Any]]
    dataset: dict[str, Any]
    licence: str
    ours: dict[str, Ours] | None = None  # measure key -> ours
    compared: str | None = None  # what our figures are: "LCRA" or "all homes"
    years: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # measure key -> its name
    places: dict[str, int] = field(default_factory=dict)  # measure key -> decimal places shown

    def json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "stock_type": self.stock_type,
            "size": self.size,
            "sizes": self.sizes,
            "years": self.years,
            "dataset": self.dataset,
            "licence": self.licence,
            "who": "Only landlords owning 1,000 or more social homes submit the TSM return.",
            "sector": self.sector,
            "ours": None
            if self.ours is None
            else {key: {"value": o.value, "standing": o.standing} for key, o in self.ours.items()},
            "ours_are": self.compared,
        }


class BenchmarkError(UseCaseError):
    """A year, stock type or size band the data do not give."""


def benchmarks(
    ws: OpenWorkspace | None,
    year: str | None = None,
    stock: str = "LCRA",
    size: str | None = None,
    as_of: date | None = None,
) -> Benchmarks:
    from hcode.core import benchmarks as core
    from hcode.store.tsmdata import load_table

    table = load_table(ws.store.root if ws is not None else None)
    years = sorted(table["landlords"])
    year = year or core.latest(table)
    if year not in table["landlords"]:
        raise BenchmarkError(f"no TSM data for {year}: the data give {', '.join(years)}")
    kinds = {s.lower(): s for s in core.STOCK_TYPES}
    if stock.lower() not in kinds:
        raise BenchmarkError(f"no stock type {stock!r}: write one of {', '.join(core.STOCK_TYPES)}")
    stock = kinds[stock.lower()]
    landlords = table["landlords"][year]
    sizes = core.sizes(landlords)
    if size is not None and size not in sizes:
        raise BenchmarkError(f"no size band {size!r} in {year}: the data give {', '.join(sizes)}")
    sector = core.summary(landlords, stock, size)
    dataset = next(d for d in table["datasets"] if d["year"] == year)
    ours = compared = None
    if ws is not None:
        from hcode.api.reports import annual

        figures = annual(ws, year, as_of).figures  # typed: CH01 and CH02, and by stock type
        split = figures.tsm_split if stock != "Combined" else None
        tsm = None if split is None else split.lcra if stock == "LCRA" else split.lcho
        compared = stock if tsm else "all homes"
        tsm = tsm or figures.tsm
        ours = {}
        for m in core.MEASURES:
            measure, stage = core.TSM_KEYS[m]
            cell = getattr(getattr(tsm, measure.lower()), stage)
            value = cell.get("value") if cell else None
            ours[m] = Ours(value, core.standing(value, sector[m]))
    return Benchmarks(
        year, stock, size, sizes, sector, dataset, table["licence"], ours, compared, years, core.LABELS, core.PLACES
    )


def update(root: Path, workbook: Path) -> tuple[Path, str, int]:
    """Read a newer TSM workbook from the Regulator into the workspace's own table
    (``tsm-benchmarks.json`` at ``root``): the file written, the year read and how many landlords.
    A workbook whose layout has changed is refused (:class:`InputUnusable`, saying what is
    missing); nothing is written."""
    import json

    from hcode.api.errors import InputUnusable
    from hcode.edit.fileio import write_guarded
    from hcode.store.tsmdata import WORKSPACE_TABLE, LayoutError, load_table, updated

    if not workbook.is_file():
        raise InputUnusable(f"{workbook} is not a file", "give the Regulator's TSM Full Data workbook (.xlsx)")
    target = root / WORKSPACE_TABLE
    before = target.read_bytes() if target.is_file() else None
    try:
        table, year = updated(load_table(root), workbook)
    except LayoutError as exc:
        raise InputUnusable(
            f"{exc}; nothing was written",
            "hcode reads the layout of the Regulator's 2024 and 2025 TSM Full Data workbooks; "
            "a newer hcode may read this one",
        ) from exc
    write_guarded(target, json.dumps(table, indent=1, ensure_ascii=False, sort_keys=True) + "\n", before, root=root)
    return target, year, len(table["landlords"][year])
