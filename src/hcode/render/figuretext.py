"""Figures and values in words, as every published format shows them: a percentage with its
counts, a rate with what it is worked out from, "no data" (never 0), the mark of a figure entered
by hand, days, money, a benchmark; and ``md``, text made safe for a Markdown table cell."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from hcode.core import percent
from hcode.render.richtext import md_escape

#: Text that :func:`md` leaves as it is: letters, digits and punctuation Markdown and HTML give
#: no meaning to (no ``.`` or ``:``, which "www." and "https:" need), a space only inside.
_MD_PLAIN = re.compile(r"[A-Za-z0-9,;()'/+=#%-]+(?: +[A-Za-z0-9,;()'/+=#%-]+)*")


def md(value: Any) -> str:
    """Text made safe for a Markdown table cell: special characters escaped, HTML neutralised,
    line breaks as <br>."""
    if value is None:
        return ""
    text = str(value)
    if _MD_PLAIN.fullmatch(text) is not None:  # most cells: ids, dates, words
        return text
    return _md_text(text)


def _md_text(text: str) -> str:
    """:func:`md` of any text (escaped, HTML neutralised, line breaks as <br>)."""
    text = md_escape(text)
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "<br>".join(line for line in lines if line)


def md_column(values: Iterable[Any]) -> list[str]:
    """:func:`md` of each value, each distinct text worked out once (a table's column repeats
    its values: statuses, reasons, editions)."""
    texts = ["" if v is None else str(v) for v in values]
    done = {text: md(text) for text in set(texts)}
    return list(map(done.__getitem__, texts))


def pct(cell: dict[str, Any] | None) -> str:
    """A percentage with its counts, e.g. "66.7% (2 of 3)"; "n/a" where nothing was counted
    (the one rule: :func:`hcode.core.percent.percent_text`)."""
    return percent.percent_text(cell)


#: The mark of a figure entered by hand (reports/YYYY-YY.yaml), explained under each table.
ENTERED = "\u2020"
NO_DATA_TEXT = "no data"


def cell_text(cell: dict[str, Any]) -> str:
    """A quarterly-table cell: a count, or a percentage with its counts (see :func:`figure`)."""
    return figure(cell, "percent" if "numerator" in cell else "count")


def figure(cell: dict[str, Any] | None, unit: str) -> str:
    """A published figure by its unit, shown as :func:`hcode.core.percent.shown_as` decides for
    every format: "no data" where there is none (never 0), "N responses" for satisfaction with no
    result, what was written for a figure entered as words, else the one rule
    (:func:`hcode.core.percent.figure_text`); with the mark of a figure entered by hand."""
    way = percent.shown_as(cell, unit)
    if cell is None or way == percent.NO_DATA:
        return NO_DATA_TEXT
    if way == percent.NO_HOMES:
        return "no data (no homes figure)"
    if way == percent.RESPONSES:
        n = cell["responses"]
        text = f"{n} response" if n == 1 else f"{n} responses"
    elif way == percent.WRITTEN:
        text = str(cell["written"])
    else:
        text = percent.figure_text(cell, unit)
    return text + (" " + ENTERED if cell.get("source") == "entered" else "")


def ch01(cell: dict[str, Any], year: str) -> str:
    """CH01 with what it is worked out from, e.g. "40.62 (26 complaints, 640 homes)"."""
    way = percent.shown_as(cell, "per_1000_homes")
    if way == percent.NO_DATA:
        return NO_DATA_TEXT
    mark = " " + ENTERED if cell.get("source") == "entered" else ""
    n = cell.get("numerator")
    if way == percent.NO_HOMES:
        got = f" ({count(n, 'complaint')})" if n is not None else ""
        return f"no data: no homes figure for {year}{got}{mark}"
    if way == percent.NOTHING_COUNTED:  # no homes to count (0)
        return NO_DATA_TEXT
    return percent.rate_text(cell) + mark  # as the headline writes it (one rule)


def ch02(cell: dict[str, Any]) -> str:
    """CH02 as a percentage with its counts, "no data" where there is none."""
    return figure(cell, "percent")


def bench(value: float | None, key: str, empty: str = "n/a") -> str:
    """A benchmark figure (the sector's quartile, or ours beside it) to the places of its measure:
    CH01 two, CH02 one (``empty`` where there is none)."""
    from hcode.core.benchmarks import PLACES

    return empty if value is None else f"{value:,.{PLACES[key]}f}"


def number(value: Any, places: int = 1) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.{places}f}"
    return f"{value:,}"


def count(value: Any, noun: str) -> str:
    """``1 complaint``, ``2 complaints``, ``1,000 homes``."""
    return percent.count_text(value, noun)


def money(value: Any) -> str:
    return "n/a" if value is None else f"£{value:,.2f}"


def scope_text(scope: Sequence[str]) -> str:
    """What a self-assessment covering some sections only (``scope:``) says of itself, in every
    format: "This self-assessment covers sections 1, 6 of the Code only." (empty: it covers all)."""
    if not scope:
        return ""
    return f"This self-assessment covers section{'s' if len(scope) > 1 else ''} {', '.join(scope)} of the Code only."


def label(value: str) -> str:
    return value.replace("-", " ").capitalize()
