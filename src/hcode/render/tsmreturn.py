"""The TSM return (``hcode report tsm --return``) as CSV, Markdown and JSON (Excel:
:func:`hcode.render.excel.tsm_return_workbook`): a row per question and stock type.

The return is a published output: it is written only through :func:`write_return`, which takes a
:class:`~hcode.render.gate.Public` document (the privacy gate passed), like every other published
writer (:mod:`hcode.render.published`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hcode.render.excel import tsm_return_notes, tsm_return_workbook
from hcode.render.export import to_csv
from hcode.render.figuretext import md
from hcode.render.gate import Public

COLUMNS = ("year", "stock_type", "question", "value", "wording")


def rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """A row per stock type and question, with the return's label and wording."""
    out = []
    for t in doc["stock_types"]:
        for q in doc["questions"]:
            out.append(
                {
                    "year": doc["year"],
                    "stock_type": t["key"].upper() if t["key"] != "combined" else "Combined",
                    "question": q["label"],
                    "value": t["answers"].get(q["key"]),
                    "wording": q["wording"],
                }
            )
    return out


def _csv(doc: dict[str, Any]) -> str:
    return to_csv(rows(doc), COLUMNS)


def _json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _md(doc: dict[str, Any]) -> str:
    types = doc["stock_types"]
    lines = [
        f"# TSM return: complaints (CH01, CH02), {doc['year']}",
        "",
        "| Question | The return's wording | " + " | ".join(md(t["name"]) for t in types) + " |",
        "|---|---|" + "---|" * len(types),
    ]
    for q in doc["questions"]:
        cells = ["n/a" if t["answers"].get(q["key"]) is None else str(t["answers"][q["key"]]) for t in types]
        lines.append(f"| {md(q['label'])} | {md(q['wording'])} | " + " | ".join(cells) + " |")
    for note in tsm_return_notes(doc):
        lines += [note] if note.startswith("- ") else ["", note]
    return "\n".join(lines) + "\n"


#: format -> (what it is, writer). The first format is the default.
RETURNS: dict[str, tuple[str, Callable[[dict[str, Any]], str | bytes]]] = {
    "csv": ("CSV, a row per question and stock type", _csv),
    "md": ("a Markdown table with the statement of target timescales", _md),
    "json": ("the return's document as JSON", _json),
    "xlsx": ("an Excel workbook, a row per question and a column per stock type", tsm_return_workbook),
}


def write_return(fmt: str, doc: Public[dict[str, Any]]) -> str | bytes:
    """The return in the format ``fmt`` (KeyError for an unknown one), from a document that passed
    the privacy gate (:func:`hcode.render.gate.gate`)."""
    if not isinstance(doc, Public):  # mypy refuses it; this refuses it when types are not checked
        raise TypeError("the TSM return is written only from a Public value (hcode.render.gate.gate)")
    return RETURNS[fmt][1](doc.value)
