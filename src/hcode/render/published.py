"""Published reports, chosen by report and format name: ``hcode report annual|assessment
--format NAME`` looks them up here.

A publisher turns a report (``report.annual_context``, with ``left_out``: the files left out, and
``charts``: its SVG charts; or the self-assessment's typed form,
:class:`~hcode.core.assessmentform.AssessmentForm`) into
the file to write and any files that go beside it. A new format is one function (in its own
module when it is more than a few lines) and one entry in :data:`PUBLISHED`; the command's
``--format`` choices and help follow the registry. (``report annual --format json`` prints the
figures themselves, before any context is built, so it is the command's own.)

Every entry point takes a :class:`~hcode.render.gate.Public` value: the privacy gate is passed
before anything is rendered. The internal tables of rows, ``hcode report tsm`` (the CH01/CH02 audit table) and ``hcode
export`` (one row per case), are chosen the same way from :data:`TABLES`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from hcode.core.listings import LeftOut
from hcode.render.gate import Public, Screened, screen_fields

if TYPE_CHECKING:  # names in annotations only: every command lists the formats (cli/reports.py)
    from hcode.core.annualfigures import AnnualFigures
    from hcode.core.assessmentform import AssessmentForm


@dataclass(frozen=True)
class Published:
    """What a publisher makes: the report's bytes or text, and files to write beside it."""

    data: str | bytes
    beside: dict[str, str] = field(default_factory=dict)


#: (the report: the annual report's context, or the self-assessment's typed form; the workspace
#: root for its own templates, file stem such as "annual-2024-25", whether the output goes to a
#: folder) -> what to write. Template errors are jinja2's.
Publisher = Callable[[Any, Path, str, bool], Published]


def _template(name: str, html: bool) -> Publisher:
    def publish(context: dict[str, Any], root: Path, stem: str, folder: bool) -> Published:
        from hcode.render.report import render, with_left_out

        return Published(with_left_out(render(name, context, root), context.get("left_out") or [], html))

    return publish


def _annual_md(context: dict[str, Any], root: Path, stem: str, folder: bool) -> Published:
    """Markdown with its charts: inline, or as SVG files beside it when written to a folder."""
    from hcode.render.report import render, with_left_out

    charts: dict[str, str] = context.get("charts") or {}
    if folder:
        context = {**context, "chart_files": {key: f"{stem}-{key}.svg" for key in charts}}
    text = with_left_out(render("annual.md.j2", context, root), context.get("left_out") or [], False)
    return Published(text, {f"{stem}-{key}.svg": svg + "\n" for key, svg in charts.items()})


def _annual_xlsx(context: dict[str, Any], root: Path, stem: str, folder: bool) -> Published:
    from hcode.render.excel import annual_workbook

    return Published(annual_workbook(context))


def _assessment(name: str, html: bool) -> Publisher:
    def publish(form: AssessmentForm, root: Path, stem: str, folder: bool) -> Published:
        from hcode.render.assessmentlayout import assessment_layout
        from hcode.render.report import render, with_left_out

        # ``layout`` is the form's (table or columns), as it always was: the laid-out page is ``page``
        context = {**form.template_context(), "page": assessment_layout(form)}
        return Published(with_left_out(render(name, context, root), list(form.left_out), html))

    return publish


def _assessment_xlsx(form: AssessmentForm, root: Path, stem: str, folder: bool) -> Published:
    from hcode.render.excel import assessment_workbook

    return Published(assessment_workbook(form))


#: report -> format -> (what it is, publisher). The first format is the default.
PUBLISHED: dict[str, dict[str, tuple[str, Publisher]]] = {
    "annual": {
        "md": ("Markdown, charts inline or as SVG files beside it", _annual_md),
        "html": ("one HTML page with its charts", _template("annual.html.j2", html=True)),
        "xlsx": ("an Excel workbook, a sheet per table", _annual_xlsx),
    },
    "assessment": {
        "md": ("Markdown in the Ombudsman's Appendix A layout", _assessment("assessment.md.j2", html=False)),
        "html": ("one HTML page in the Appendix A layout", _assessment("assessment.html.j2", html=True)),
        "xlsx": ("an Excel workbook in the Appendix A layout", _assessment_xlsx),
    },
}


def publish(report: str, fmt: str, context: Public[Any], root: Path, stem: str, folder: bool) -> Published:
    """The report ``report`` in the format ``fmt`` (KeyError for an unknown one), from a context
    that passed the privacy gate (:func:`hcode.render.gate.gate`)."""
    return PUBLISHED[report][fmt][1](context.value, root, stem, folder)


def figures_json(figures: Public[AnnualFigures], left_out: Public[Sequence[LeftOut]]) -> str:
    """The annual figures as JSON (``report annual --format json``: docs/reports.md), with the
    files left out (``left_out``, when there are any), after the privacy gate."""
    import json

    doc = dict(figures.value.json)
    if left_out.value:
        doc["left_out"] = [f.row() for f in left_out.value]
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# -- tables of rows: the TSM audit table and the export ---------------------------------------------

#: The TSM audit table's columns, in order (docs/reports.md).
TSM_COLUMNS: tuple[str, ...] = (
    "case",
    "stage",
    "stock_type",
    "received",
    "responded",
    "due",
    "extended",
    "in_ch01",
    "ch01_reason",
    "in_ch02",
    "ch02_status",
    "ch02_reason",
    "within_timescale",
    "edition",
)


class Row(Protocol):
    """A typed row of a table (:class:`hcode.core.listings.TsmRow`,
    :class:`hcode.core.exportrow.ExportRow`): a field per column, and ``row()``, the row as JSON
    writes it."""

    def row(self) -> dict[str, Any]: ...


#: (rows, columns, files left out) -> the table's text. A column is a field of the rows.
TableWriter = Callable[[Sequence[Row], Sequence[str], Sequence[LeftOut]], str]


def _csv_head(columns: Sequence[str]) -> str:
    from hcode.render.export import csv_line

    return csv_line(columns)


def _csv_line(columns: Sequence[str], values: Sequence[object]) -> str:
    from hcode.render.export import csv_line

    return csv_line(values)


def _jsonl_head(columns: Sequence[str]) -> str:
    return ""


def _jsonl_line(columns: Sequence[str], values: Sequence[object]) -> str:
    from hcode.render.export import jsonl_line

    return jsonl_line(columns, values)


#: format -> (the table's first lines, one row's line from its columns and their values): the
#: formats written a row at a time. A row's line is what :data:`TABLES`' writer writes for a row
#: whose fields are those columns and whose ``row()`` holds those values, dates as ISO text.
LINES: dict[str, tuple[Callable[[Sequence[str]], str], Callable[[Sequence[str], Sequence[object]], str]]] = {
    "csv": (_csv_head, _csv_line),
    "jsonl": (_jsonl_head, _jsonl_line),
}


def _csv(rows: Sequence[Row], columns: Sequence[str], left_out: Sequence[LeftOut]) -> str:
    from hcode.render.export import csv_line

    return _csv_head(columns) + "".join(csv_line([getattr(r, c) for c in columns]) for r in rows)


def _jsonl(rows: Sequence[Row], columns: Sequence[str], left_out: Sequence[LeftOut]) -> str:
    from hcode.render.export import to_jsonl

    return _jsonl_head(columns) + to_jsonl(r.row() for r in rows)


def _md_table(rows: Sequence[Row], columns: Sequence[str], left_out: Sequence[LeftOut]) -> str:
    from operator import attrgetter

    from hcode.render.figuretext import md_column
    from hcode.render.report import with_left_out

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    cells = [md_column(map(attrgetter(k), rows)) for k in columns]  # a column at a time
    lines += map("| {} |".format, map(" | ".join, zip(*cells, strict=True)))
    return with_left_out("\n".join(lines) + "\n", [f.row() for f in left_out], False)


#: table -> format -> (what it is, writer). The first format is the default.
TABLES: dict[str, dict[str, tuple[str, TableWriter]]] = {
    "tsm": {
        "csv": ("CSV, a row per complaint considered", _csv),
        "md": ("a Markdown table, with a note of any file left out", _md_table),
    },
    "export": {
        "csv": ("CSV in the versioned column set of docs/export.md", _csv),
        "jsonl": ("JSON Lines, an object per case", _jsonl),
    },
}


def write_table(
    table: str,
    fmt: str,
    rows: Public[Sequence[Row]],
    columns: Sequence[str],
    left_out: Public[Sequence[LeftOut]],
) -> str:
    """The table ``table`` in the format ``fmt`` (KeyError for an unknown one), from rows and the
    files left out, both of which passed the privacy gate."""
    return TABLES[table][fmt][1](rows.value, columns, left_out.value)


def screened_row(
    table: str, fmt: str, columns: Sequence[str], values: Sequence[object], declared: Sequence[str]
) -> Screened:
    """One row of the table ``table`` in the format ``fmt`` (one written a row at a time:
    :data:`LINES`), given as its columns' values, through the privacy gate's rule where the row
    is made (:func:`hcode.render.gate.screen_fields`): its line, or where it was refused."""
    assert fmt in TABLES[table], f"{table} has no format {fmt}"
    return screen_fields(columns, values, LINES[fmt][1], declared)


def table_lines(
    table: str,
    fmt: str,
    rows: Public[Sequence[Screened]],
    columns: Sequence[str],
    left_out: Public[Sequence[LeftOut]],
) -> list[bytes | memoryview]:
    """The table ``table`` in the format ``fmt`` as the UTF-8 pieces to write in turn (its first
    lines, then each row's), from rows screened where they were made and the files left out, both
    of which passed the privacy gate (:func:`hcode.render.gate.gate_screened`); the pieces joined
    are what :func:`write_table` writes for the same rows. An :class:`~hcode.core.text.AsIs` when
    every line is safe to print as it is (each row's was looked at where it was made)."""
    from hcode.core.text import AsIs, safe_as_is

    assert fmt in TABLES[table], f"{table} has no format {fmt}"
    head = LINES[fmt][0](columns).encode("utf-8")
    pieces: list[bytes | memoryview] = [head] if head else []
    pieces += [r.text for r in rows.value]
    return AsIs(pieces) if safe_as_is(head) and all(r.plain for r in rows.value) else pieces
