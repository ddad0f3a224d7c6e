"""Published figures entered by hand (``figures:`` in ``reports/YYYY-YY.yaml``). Pure: values
in, cells (or the reason a value cannot be used) out.

A landlord that keeps no case files in hcode still publishes its figures: "84% within 10
working days", a quarterly table with "100% (2)", "0 responses". Each figure is written under
its period (``Q1`` to ``Q4`` or ``year``) with the name of the annual report's row:

* a count row takes a whole number (``3``), or ``n/a``;
* a percentage row takes ``84%`` (a percentage alone), ``2 of 3`` (the counts: the percentage
  is worked out), or ``n/a`` (nothing to count);
* ``satisfaction`` also takes ``1 response`` / ``4 responses`` (responses with no result);
* the year may also give the TSMs as published: ``ch01_stage1``/``ch01_stage2`` (complaints per
  1,000 homes, a number) and ``ch02_stage1``/``ch02_stage2`` (a percentage row's forms).

Cells carry ``source``: ``cases`` (computed from case files), ``entered`` (entered by hand) or
``none`` (no data: printed "no data", never 0).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hcode.core import percent
from hcode.core.reportrows import ROWS
from hcode.errors import HcodeError

PERIODS = ("Q1", "Q2", "Q3", "Q4", "year")

#: Every row of the annual report's table and whether it is a count or a percentage.
ROW_KINDS: dict[str, str] = {
    "service_requests": "count",
    "stage1_received": "count",
    "stage1_ack_within": "pct",
    "stage1_ack_within_standard": "pct",
    "stage1_responses_within": "pct",
    "stage1_responses_extended": "count",
    "resolved_at_stage1": "pct",
    "stage2_received": "count",
    "stage2_ack_within": "pct",
    "stage2_responses_within": "pct",
    "stage2_responses_extended": "count",
    "resolved_at_stage2": "pct",
    "ombudsman_referrals": "count",
    "failure_orders": "count",
    "satisfaction": "pct",
}
#: The TSMs as published, for the whole year only.
TSM_KINDS: dict[str, str] = {
    "ch01_stage1": "rate",
    "ch01_stage2": "rate",
    "ch02_stage1": "pct",
    "ch02_stage2": "pct",
}

#: The rows published reports add (:data:`hcode.core.reportrows.ROWS`), for the whole year only,
#: each of the kind its unit reads as ("days": working days, a number).
RATE_ROWS: dict[str, str] = {
    key: {"percent": "pct", "per_1000_homes": "rate", "count": "count", "days": "days"}[unit] for key, _, unit in ROWS
}
#: Everything that is given for the whole year only.
YEAR_KINDS: dict[str, str] = {**TSM_KINDS, **RATE_ROWS}

NO_DATA: dict[str, Any] = {"value": None, "source": "none"}

_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")
#: A whole number as written, with or without thousands separators: 6898, 6,898.
_WHOLE = r"\d{1,3}(?:,\d{3})+|\d+"
_OF = re.compile(rf"^\s*({_WHOLE})\s+of\s+({_WHOLE})\s*$", re.IGNORECASE)
_COUNT = re.compile(rf"^\s*({_WHOLE})\s*$")
_RATE = re.compile(rf"^\s*({_WHOLE})(\.\d+)?\s*$")


def whole(text: str) -> int:
    """A whole number written with or without thousands separators ("6,898" is 6898)."""
    return int(text.replace(",", ""))


_RESPONSES = re.compile(r"^\s*(\d+)\s+responses?\s*$", re.IGNORECASE)
_NA = ("n/a", "na", "none")


class FigureError(HcodeError, ValueError):
    """A published figure that cannot be used: what is wrong, and what to write instead."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class FigureProblem:
    """A problem with one figure, at ``path`` inside ``figures:``."""

    message: str
    path: tuple[str, ...]
    key: bool = False
    hint: str | None = None


def nearest(name: str, period: str) -> str | None:
    known = list(ROW_KINDS) + (list(YEAR_KINDS) if period == "year" else [])
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return close[0] if close else None


def _negative(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0


def _decimals(number: str) -> int:
    """The decimal places ``number`` (a number as written: ``86.0``, ``13``, ``1.5e1``) shows."""
    mantissa = re.split(r"[eE]", number.strip(), maxsplit=1)[0]
    return len(mantissa.partition(".")[2])


def parse_figure(name: str, value: Any, written: str | None = None) -> dict[str, Any]:
    """One published figure as a report cell (``source: entered``), or :class:`FigureError`.
    ``written``: a number's text as written in the file (``13.0``), for the places it shows,
    which the parsed number forgets (13.0 is 13); without it they are read from the number.
    A percentage or rate cell keeps them as ``places`` (up to the 1 and 2 places hcode keeps),
    the precision :func:`agrees` compares to."""
    kind = ROW_KINDS.get(name) or YEAR_KINDS.get(name)
    if kind is None:
        raise FigureError(f"unknown figure {name!r}")
    if isinstance(value, bool) or value is None:
        raise FigureError(f"{name!r} must be a figure, found {value!r}", _example(kind, name))
    if _negative(value):
        raise FigureError(f"{name!r} is {value}: a figure cannot be negative", _example(kind, name))
    text = value.strip() if isinstance(value, str) else None
    if text is not None and text.lower() in _NA:
        if kind == "pct":
            return {"value": None, "numerator": 0, "denominator": 0, "source": "entered"}
        return {"value": None, "source": "entered", "written": "n/a"}
    if kind == "count":
        if isinstance(value, int):
            return {"value": value, "source": "entered"}
        if isinstance(value, float) and value.is_integer():
            return {"value": int(value), "source": "entered"}
        if text is not None and re.fullmatch(r"-\d+", text):
            raise FigureError(f"{name!r} is {text}: a figure cannot be negative", _example(kind, name))
        m = _COUNT.match(text or "")
        if text is not None and m:
            return {"value": whole(m.group(1)), "source": "entered"}
        raise FigureError(f"{name!r} must be a whole number, found {value!r}", _example(kind, name))
    if kind in ("rate", "days"):
        m = _RATE.match(text or "")
        if text is not None and m:  # written as text, e.g. "1,234.5"
            value, written = float(whole(m.group(1)) + float(m.group(2) or 0)), text
        if isinstance(value, (int, float)):
            places = _decimals(written) if written is not None else _places(float(value))
            return {
                "value": round(float(value), 2),
                "numerator": None,
                "denominator": None,
                "source": "entered",
                "places": min(places, 2),
            }
        what = "working days" if kind == "days" else "complaints per 1,000 homes"
        raise FigureError(f"{name!r} must be a number ({what}), found {value!r}", _example(kind, name))
    # a percentage row
    if isinstance(value, (int, float)):
        raise FigureError(
            f"{name!r} is a percentage: {value!r} does not say whether it is a count or a percentage",
            f"write {value}% for a percentage, or the counts as '2 of 3'",
        )
    if text is not None:
        m = _PERCENT.match(text)
        if m:
            pct = float(m.group(1))
            if pct > 100:
                raise FigureError(f"{name!r} is {text}: a percentage cannot be over 100%")
            return {
                "value": round(pct, 1),
                "numerator": None,
                "denominator": None,
                "source": "entered",
                "places": min(_decimals(m.group(1)), 1),
            }
        m = _OF.match(text)
        if m:
            num, den = whole(m.group(1)), whole(m.group(2))
            if num > den:
                raise FigureError(f"{name!r} is {text!r}: the count is more than the total", "write it as 'N of TOTAL'")
            value_pct = round(100.0 * num / den, 1) if den else None
            return {"value": value_pct, "numerator": num, "denominator": den, "source": "entered"}
        m = _RESPONSES.match(text)
        if m and name == "satisfaction":
            return {"value": None, "responses": int(m.group(1)), "source": "entered"}
        if text.startswith("-"):
            raise FigureError(f"{name!r} is {text!r}: a figure cannot be negative", _example(kind, name))
    raise FigureError(f"{name!r} is not a figure hcode can read: {value!r}", _example(kind, name))


def _example(kind: str, name: str) -> str:
    if kind == "count":
        return "write a whole number, e.g. 12 or 6,898 (or n/a)"
    if kind == "rate":
        return "write the number of complaints per 1,000 homes, e.g. 12.5"
    if kind == "days":
        return "write the working days as a number, e.g. 8.5"
    extra = ", '3 responses'" if name == "satisfaction" else ""
    return f"write a percentage like 84%, the counts like '2 of 3' or '6,898 of 7,000'{extra}, or n/a"


def parse_figures(
    data: Mapping[str, Any], written: Mapping[tuple[str, str], str] | None = None
) -> tuple[dict[str, dict[str, dict[str, Any]]], list[FigureProblem]]:
    """Every figure of a ``figures:`` mapping as cells by period and row, and the problems of
    those that cannot be used (left out). ``written``: the numbers' text as written in the file,
    by (period, row), for the places they show (see :func:`parse_figure`)."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    problems: list[FigureProblem] = []
    for period, rows in data.items():
        if str(period).startswith("x-"):
            continue
        if period not in PERIODS:
            close = difflib.get_close_matches(str(period), PERIODS, n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}?" if close else "use Q1, Q2, Q3, Q4 or year"
            problems.append(FigureProblem(f"unknown period {period!r}", (str(period),), True, hint))
            continue
        if not isinstance(rows, Mapping):
            problems.append(FigureProblem(f"{period!r} must be a mapping of figures", (period,)))
            continue
        cells: dict[str, dict[str, Any]] = {}
        for name, value in rows.items():
            name = str(name)
            if name.startswith("x-"):
                continue
            if name not in ROW_KINDS and not (period == "year" and name in YEAR_KINDS):
                guess = nearest(name, period)
                if name in YEAR_KINDS:
                    hint = f"{name} is given for the whole year: put it under 'year'"
                elif guess:
                    hint = f"did you mean {guess!r}?"
                else:
                    hint = "the figures are named like the annual report's rows: " + ", ".join(ROW_KINDS)
                problems.append(FigureProblem(f"unknown figure {name!r}", (period, name), True, hint))
                continue
            try:
                cells[name] = parse_figure(name, value, (written or {}).get((str(period), name)))
            except FigureError as exc:
                problems.append(FigureProblem(exc.message, (period, name), False, exc.hint))
        out[period] = cells
    return out, problems


#: The unit :func:`hcode.core.percent.figure_text` writes each kind of figure in.
_UNITS = {"count": "count", "pct": "percent", "rate": "per_1000_homes", "days": "count"}


def shown(cell: Mapping[str, Any], name: str) -> str:
    """The figure ``name`` (a row or TSM of the annual report) in words for messages, by the
    project's one rule for figures (:mod:`hcode.core.percent`): "3", "84.0%", "66.7% (2 of 3)",
    "100.0% (3 of 3)", "40.62 (26 complaints, 640 homes)", "1 response", "n/a", "no data"."""
    if cell.get("source") == "none":
        return "no data"
    if "responses" in cell:
        n = cell["responses"]
        return f"{n} response" if n == 1 else f"{n} responses"
    kind = ROW_KINDS.get(name) or YEAR_KINDS[name]
    return percent.figure_text(dict(cell), _UNITS[kind])


def agrees(computed: Mapping[str, Any], entered: Mapping[str, Any]) -> bool:
    """Whether a figure computed from the case files agrees with the one entered by hand.
    A percentage or rate entered alone agrees when it is the computed one rounded to the places
    written (``places``: 86% to a whole number, 86.0% to one place)."""
    if "responses" in entered:
        return bool(computed.get("denominator") == entered["responses"])
    if "numerator" not in computed or "numerator" not in entered:
        return bool(computed.get("value") == entered.get("value"))
    if entered.get("denominator") is not None:
        return bool(
            computed.get("numerator") == entered["numerator"] and computed.get("denominator") == entered["denominator"]
        )
    got, want = computed.get("value"), entered.get("value")
    if got is None or want is None:
        return got is None and want is None
    places = entered.get("places")
    if not isinstance(places, int):
        places = _places(float(want))
    return abs(float(got) - float(want)) <= 0.5 * 10.0**-places + 1e-9


def _places(value: float) -> int:
    """The decimal places a number shows once parsed, for a cell without ``places`` (84 and
    84.0 read alike: 0; 88.5: 1): only the text written tells 84.0 from 84."""
    for places in range(3):
        if abs(value - round(value, places)) < 1e-9:
            return places
    return 3
