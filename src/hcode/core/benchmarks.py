"""Sector benchmarks for CH01 and CH02: the quartiles and median of every landlord's published
values (the Regulator's TSM datasets, as derived into ``hcode/data/tsm-benchmarks.json``), per
measure, stock type and size band, and where one landlord's figure stands among them. Pure:
the table in, figures out; computed each time, never copied from a publication.

Quartiles are the inclusive method (``statistics.quantiles(..., method="inclusive")``, as
Excel's QUARTILE.INC): the median of an even count is the mean of the middle two. A landlord
counts for a stock type where it reported that stock type (its homes of that type are a
number above 0) and the measure is a number (the Regulator's markers such as ``[U]``, nothing
to divide by, are left out).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import Any

MEASURES = ("ch01_1", "ch01_2", "ch02_1", "ch02_2")
LABELS = {
    "ch01_1": "CH01 stage 1 (complaints per 1,000 homes)",
    "ch01_2": "CH01 stage 2 (complaints per 1,000 homes)",
    "ch02_1": "CH02 stage 1 (% answered within the Code's timescale)",
    "ch02_2": "CH02 stage 2 (% answered within the Code's timescale)",
}
#: Where a measure's keys sit in the annual report's ``tsm``: (measure, stage).
TSM_KEYS = {
    "ch01_1": ("CH01", "stage1"),
    "ch01_2": ("CH01", "stage2"),
    "ch02_1": ("CH02", "stage1"),
    "ch02_2": ("CH02", "stage2"),
}
PLACES = {"ch01_1": 2, "ch01_2": 2, "ch02_1": 1, "ch02_2": 1}
STOCK_TYPES = ("LCRA", "LCHO", "Combined")


def values(landlords: Sequence[Mapping[str, Any]], stock: str, measure: str, size: str | None = None) -> list[float]:
    """The published values of ``measure`` for ``stock`` (and size band ``size``), where reported."""
    out = []
    for entry in landlords:
        if size is not None and entry.get("size") != size:
            continue
        v = (entry.get("values") or {}).get(stock) or {}
        homes, value = v.get("homes"), v.get(measure)
        if isinstance(homes, int | float) and homes > 0 and isinstance(value, int | float):
            out.append(float(value))
    return out


def quartiles(found: Sequence[float], places: int) -> dict[str, Any]:
    """``count``, ``lower_quartile``, ``median``, ``upper_quartile`` (rounded to ``places``);
    the three None where fewer than two values were published."""
    if len(found) < 2:
        return {"count": len(found), "lower_quartile": None, "median": None, "upper_quartile": None}
    q1, q2, q3 = statistics.quantiles(found, n=4, method="inclusive")
    return {
        "count": len(found),
        "lower_quartile": round(q1, places),
        "median": round(q2, places),
        "upper_quartile": round(q3, places),
    }


def sizes(landlords: Sequence[Mapping[str, Any]]) -> list[str]:
    """The size bands the data give (the Regulator's "Landlord group size"), as written."""
    return sorted({str(e.get("size")) for e in landlords if e.get("size")})


def summary(landlords: Sequence[Mapping[str, Any]], stock: str, size: str | None = None) -> dict[str, dict[str, Any]]:
    """The quartiles of every measure for ``stock`` (and ``size``)."""
    return {m: quartiles(values(landlords, stock, m, size), PLACES[m]) for m in MEASURES}


def standing(value: float | None, q: Mapping[str, Any]) -> str | None:
    """Where ``value`` stands among the quartiles ``q``, in words (None where either is missing)."""
    if value is None or q.get("median") is None:
        return None
    if value < q["lower_quartile"]:
        return "below the lower quartile"
    if value == q["lower_quartile"]:
        return "at the lower quartile"
    if value < q["median"]:
        return "between the lower quartile and the median"
    if value == q["median"]:
        return "at the median"
    if value < q["upper_quartile"]:
        return "between the median and the upper quartile"
    if value == q["upper_quartile"]:
        return "at the upper quartile"
    return "above the upper quartile"


def latest(table: Mapping[str, Any]) -> str:
    """The latest reporting year the table holds (2024-25)."""
    return str(max(table["landlords"]))


def compare(
    tsm: Mapping[str, Any], table: Mapping[str, Any], year: str | None = None, stock: str = "LCRA"
) -> dict[str, Any]:
    """The landlord's CH01 and CH02 (the annual report's ``tsm``) beside the sector's quartiles
    of ``year`` (default the latest) for ``stock``: a row per measure with ``value``, the
    quartiles and ``standing``; and the dataset's ``year``, ``dataset``, ``source`` and
    ``licence``."""
    year = year or latest(table)
    landlords = table["landlords"][year]
    sector = summary(landlords, stock)
    rows = []
    for m in MEASURES:
        measure, stage = TSM_KEYS[m]
        cell = (tsm.get(measure) or {}).get(stage) or {}
        value = cell.get("value")
        rows.append({"key": m, "label": LABELS[m], "value": value, **sector[m], "standing": standing(value, sector[m])})
    dataset: Mapping[str, Any] = next((d for d in table["datasets"] if d["year"] == year), {})
    return {
        "year": year,
        "stock_type": stock,
        "dataset": dataset.get("dataset"),
        "source": dataset.get("source"),
        "licence": table.get("licence"),
        "who": (
            "Only landlords owning 1,000 or more social homes submit the TSM return, so only they are in these figures."
        ),
        "rows": rows,
    }
