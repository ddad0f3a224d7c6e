"""The TSM return (``hcode report tsm --return``) as CSV, Markdown and JSON (Excel:
:func:`hcode.render.excel.tsm_return_workbook`): a row per question and stock type.

The return is a published output: it is written only through :func:`write_return`, which takes a
:class:`~hcode.render.gate.Public` document (the privacy gate passed), like every other published
writer (:mod:`hcode.render.published`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hcode.core.tsmreturn import TsmReturnFigures
from hcode.render.excel import tsm_return_notes, tsm_return_workbook
from hcode.render.export import csv_line
from hcode.render.figuretext import md
from hcode.render.gate import Public

COLUMNS = ("year", "stock_type", "question", "value", "wording")


def rows(doc: TsmReturnFigures) -> list[tuple[str, str, str, Any, str]]:
    """A row per stock type and question (:data:`COLUMNS`), with the return's label and wording."""
    return [(doc.year, t.label, q.label, t.answer(q.key), q.wording) for t in doc.stock_types for q in doc.questions]


def _csv(doc: TsmReturnFigures) -> str:
    return csv_line(COLUMNS) + "".join(csv_line(r) for r in rows(doc))


def _json(doc: TsmReturnFigures) -> str:
    return json.dumps(doc.json(), indent=2, ensure_ascii=False) + "\n"


def _md(doc: TsmReturnFigures) -> str:
    types = doc.stock_types
    lines = [
        f"# TSM return: complaints (CH01, CH02), {doc.year}",
        "",
        "| Question | The return's wording | " + " | ".join(md(t.name) for t in types) + " |",
        "|---|---|" + "---|" * len(types),
    ]
    for q in doc.questions:
        cells = ["n/a" if t.answer(q.key) is None else str(t.answer(q.key)) for t in types]
        lines.append(f"| {md(q.label)} | {md(q.wording)} | " + " | ".join(cells) + " |")
    for note in tsm_return_notes(doc):
        lines += [note] if note.startswith("- ") else ["", note]
    return "\n".join(lines) + "\n"


#: format -> (what it is, writer). The first format is the default.
RETURNS: dict[str, tuple[str, Callable[[TsmReturnFigures], str | bytes]]] = {
    "csv": ("CSV, a row per question and stock type", _csv),
    "md": ("a Markdown table with the statement of target timescales", _md),
    "json": ("the return's document as JSON", _json),
    "xlsx": ("an Excel workbook, a row per question and a column per stock type", tsm_return_workbook),
}


def write_return(fmt: str, doc: Public[TsmReturnFigures]) -> str | bytes:
    """The return in the format ``fmt`` (KeyError for an unknown one), from a document that passed
    the privacy gate (:func:`hcode.render.gate.gate`)."""
    if not isinstance(doc, Public):  # mypy refuses it; this refuses it when types are not checked
        raise TypeError("the TSM return is written only from a Public value (hcode.render.gate.gate)")
    return RETURNS[fmt][1](doc.value)
