"""One rule for every percentage and rate hcode publishes, in every format (md, html, xlsx, json).

* A percentage is rounded to one decimal place and always shown with its counts:
  ``87.5% (7 of 8)``; ``100.0% (3 of 3)``; ``n/a`` where nothing was counted (no denominator).
* CH01 (complaints per 1,000 homes) is rounded to two decimal places, as landlords publish it,
  and shown with its counts: ``40.62 (26 complaints, 640 homes)``.
* Excel stores a percentage as the fraction of the same rounded value, formatted
  :data:`EXCEL_PERCENT` (``0.0%``), and CH01 formatted :data:`EXCEL_RATE` (``0.00``), so a cell
  shows exactly what the Markdown, HTML and JSON show.

A figure cell is ``{value, numerator, denominator}`` (see :func:`ratio` and :func:`per_thousand`).
"""

from __future__ import annotations

from typing import Any

#: Decimal places of every percentage.
PERCENT_PLACES = 1
#: Decimal places of CH01, complaints per 1,000 homes.
RATE_PLACES = 2
#: Excel number formats matching the two rules.
EXCEL_PERCENT = "0.0%"
EXCEL_RATE = "0.00"
#: What a figure with nothing to count shows.
NOT_APPLICABLE = "n/a"


def ratio(numerator: int, denominator: int) -> dict[str, Any]:
    """A percentage cell: ``value`` is None when there is nothing to count (``denominator`` 0)."""
    value = round(100.0 * numerator / denominator, PERCENT_PLACES) if denominator else None
    return {"value": value, "numerator": numerator, "denominator": denominator}


def per_thousand(numerator: int, homes: int | None) -> dict[str, Any]:
    """A CH01 cell: complaints per 1,000 homes (``value`` None without a number of homes)."""
    value = round(1000.0 * numerator / homes, RATE_PLACES) if homes else None
    return {"value": value, "numerator": numerator, "denominator": homes}


def count_text(n: int | None, noun: str) -> str:
    """``1 complaint``, ``2 complaints``, ``1,000 homes``; ``no data on homes`` for None."""
    if n is None:
        return f"no data on {noun}s"
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def pending_text(cell: dict[str, Any] | None) -> str:
    """``; 2 pending, provisional`` for a CH02 cell with complaints not yet answered and still in
    time (the figure can still change); empty otherwise."""
    n = (cell or {}).get("pending")
    return f"; {n:,} pending, provisional" if n else ""


def ch02_split_text(cell: dict[str, Any] | None) -> str:
    """What a CH02 cell counted from case files adds to its figure: "19 without
    extension, 3 with" (an extension; the return's Q2a/Q2b, Q4a/Q4b), and "provisional:
    1 pending" while any complaint made is unanswered and still in time; empty otherwise."""
    if not cell or "without_extension" not in cell:
        return ""
    parts = []
    if cell.get("numerator"):
        parts.append(f"{cell['without_extension']:,} without extension, {cell['with_extension']:,} with")
    if cell.get("pending"):
        parts.append(f"provisional: {cell['pending']:,} pending")
    return "; ".join(parts)


def percent_text(cell: dict[str, Any] | None) -> str:
    """``87.5% (7 of 8)``; ``n/a`` where nothing was counted; ``80.0% (4 of 5; 1 pending,
    provisional)`` where a CH02 cell has complaints pending."""
    if cell is None or cell.get("value") is None:
        return NOT_APPLICABLE
    if cell.get("numerator") is None:  # a percentage entered by hand as published, without counts
        places = cell.get("places")  # as written: "76%" stays 76%, "84.0%" 84.0%
        return f"{cell['value']:.{places if isinstance(places, int) else PERCENT_PLACES}f}%"
    counts = f"{cell['numerator']:,} of {cell['denominator']:,}"
    return f"{cell['value']:.{PERCENT_PLACES}f}% ({counts}{pending_text(cell)})"


def rate_text(cell: dict[str, Any] | None) -> str:
    """``40.62 (26 complaints, 640 homes)``; ``n/a (26 complaints, no data on homes)``; ``14.30``
    alone for a rate entered by hand as published, without its counts."""
    if cell is None:
        return NOT_APPLICABLE
    value = cell.get("value")
    places = cell.get("places")  # a rate entered by hand: the places written ("35" stays 35)
    places = places if isinstance(places, int) else RATE_PLACES
    entered_alone = "places" in cell or cell.get("numerator") is None
    if value is not None and cell.get("denominator") is None and entered_alone:
        return f"{value:,.{places}f}"  # entered without a number of homes: shown as written
    shown = NOT_APPLICABLE if value is None else f"{value:,.{places}f}"
    return f"{shown} ({count_text(cell.get('numerator'), 'complaint')}, {count_text(cell.get('denominator'), 'home')})"


def fraction(cell: dict[str, Any] | None) -> float | None:
    """A percentage cell as the fraction Excel stores (87.5 -> 0.875); None where nothing was counted."""
    if cell is None or cell.get("value") is None:
        return None
    return round(float(cell["value"]) / 100.0, PERCENT_PLACES + 2)


def figure_text(cell: dict[str, Any] | None, unit: str) -> str:
    """Any published figure by its unit: ``count`` (a whole number), ``percent`` or ``per_1000_homes``."""
    if unit == "percent":
        return percent_text(cell)
    if unit == "per_1000_homes":
        return rate_text(cell)
    if cell is None or cell.get("value") is None:
        return NOT_APPLICABLE
    value = cell["value"]
    return f"{value:,}" if isinstance(value, int) else f"{value:,.{PERCENT_PLACES}f}"


#: What a published figure cell shows, decided once for every format (:func:`shown_as`).
NO_DATA = "no data"  # nothing recorded: never shown as 0
NO_HOMES = "no homes figure"  # CH01 of a year whose number of homes is not recorded
RESPONSES = "responses"  # satisfaction entered as "N responses", with no result
NOTHING_COUNTED = "nothing counted"  # a percentage or rate with nothing to count: n/a
WRITTEN = "written"  # a figure entered as words (e.g. "n/a"), shown as written
VALUE = "value"


def shown_as(cell: dict[str, Any] | None, unit: str) -> str:
    """Which of the ways above a figure cell is shown, by its unit (``count``, ``percent`` or
    ``per_1000_homes``). Markdown, HTML and Excel all take it from here, so that "no data",
    "n/a" and a figure entered by hand read the same in every format."""
    if cell is None or cell.get("source") == "none":
        return NO_DATA
    if "responses" in cell:
        return RESPONSES
    if cell.get("value") is not None:
        return VALUE
    if unit == "per_1000_homes" and cell.get("denominator") is None:
        return NO_HOMES
    if unit in ("percent", "per_1000_homes"):
        return NOTHING_COUNTED
    if cell.get("written"):
        return WRITTEN
    return NO_DATA if cell.get("source") == "entered" else NOTHING_COUNTED
