"""The TSM return (``hcode report tsm --return``) as CSV, Markdown and JSON (Excel:
:func:`hcode.render.excel.tsm_return_workbook`): a row per question and stock type."""

from __future__ import annotations

import json
from typing import Any

from hcode.render.excel import tsm_return_notes
from hcode.render.export import to_csv
from hcode.render.figuretext import md

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


def to_return_csv(doc: dict[str, Any]) -> str:
    return to_csv(rows(doc), COLUMNS)


def to_return_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def to_return_md(doc: dict[str, Any]) -> str:
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
