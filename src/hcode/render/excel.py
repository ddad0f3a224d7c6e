"""Excel workbooks of the self-assessment and the annual report (openpyxl).

One sheet per part, header rows frozen, wrapped text, sensible widths, numbers stored as
numbers (percentages as fractions formatted as %), dates as dates, and native charts beside the
data. Text from workspace files is always stored as text: a value starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return never becomes a formula. Workbooks are saved with a
fixed creation time so the same workspace gives the same file.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from copy import copy
from datetime import date, datetime
from typing import Any

from hcode.core import percent
from hcode.core.text import visible

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The workbook's font (Excel's default; LibreOffice uses the metric-compatible Carlito).
FONT = "Calibri"
FONT_SIZE = 11
#: A sheet whose columns add up to more than this many characters prints in landscape.
PORTRAIT_CHARS = 100
#: Points per line of wrapped text, and characters of text per unit of column width (Calibri
#: 11: a unit is the width of a digit, wider than the average letter), for row heights.
LINE_POINTS = 15.0
CHARS_PER_WIDTH = 1.2
_FIXED_TIME = datetime(2000, 1, 1)


def _workbook() -> Any:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "hcode"
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    return wb


def _wrapped(wb: Any) -> Any:
    """The style of a cell with wrapped, top-aligned text, made once per workbook: a large
    report writes tens of thousands of cells, and setting a new Alignment on each costs more than
    writing them."""
    style = getattr(wb, "_hcode_wrapped", None)
    if style is None:
        from openpyxl.cell import Cell
        from openpyxl.styles import Alignment

        proto = Cell(wb.create_sheet("_proto"))
        proto.alignment = Alignment(wrap_text=True, vertical="top")
        wb.remove(wb["_proto"])
        style = wb._hcode_wrapped = proto._style
    return style


def put(ws: Any, row: int, col: int, value: Any, *, fmt: str | None = None, bold: bool = False) -> Any:
    """Write one cell safely: text stays text, dates are dates, numbers are numbers."""
    from openpyxl.styles import Font

    cell = ws.cell(row=row, column=col)
    cell._style = copy(_wrapped(ws.parent))  # wrapped, top-aligned (a copy of one style: fast)
    if isinstance(value, str):
        value = visible(value)  # Excel cannot hold control characters; bidi ones are shown
        cell.value = value
        if value.startswith(FORMULA_STARTS):
            cell.data_type = "s"  # never a formula
            cell.quotePrefix = True
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    else:
        cell.value = value
    if fmt:
        cell.number_format = fmt
    if bold:
        cell.font = Font(name=FONT, size=FONT_SIZE, bold=True)  # a font named: never a serif fallback
    return cell


def _sheet(wb: Any, title: str, headers: Sequence[str], widths: Sequence[int]) -> Any:
    from openpyxl.styles import PatternFill

    ws = wb.create_sheet(title)
    for i, (h, w) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = put(ws, 1, i, h, bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF5")
        ws.column_dimensions[cell.column_letter].width = w
    ws.freeze_panes = "A2"
    return ws


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes when wrapped in a column ``width`` characters wide."""
    per_line = max(1, int(width * CHARS_PER_WIDTH))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _row_heights(ws: Any) -> None:
    """Row heights for wrapped text (Excel and LibreOffice do not grow a row written by a
    program, so without them wrapped text overlaps the row below)."""
    from openpyxl.utils import get_column_letter

    widths = {c: ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, ws.max_column + 1)}
    merged = {}
    for rng in ws.merged_cells.ranges:
        merged[(rng.min_row, rng.min_col)] = sum(widths[c] for c in range(rng.min_col, rng.max_col + 1))
    most: dict[int, int] = {}
    for (r, c), cell in ws._cells.items():  # the cells written (the tallest of each row counts)
        value = cell.value
        if isinstance(value, str) and value:
            lines = _lines(value, merged.get((r, c), widths.get(c, 8.43)))
            if lines > most.get(r, 1):
                most[r] = lines
    for r, lines in most.items():
        ws.row_dimensions[r].height = LINE_POINTS * lines + 2


def _print_setup(wb: Any, header: str) -> None:
    """Every sheet prints readably: A4, landscape where its columns are wide, one page wide (a
    table is never split column-wise), its header rows repeated on every page, the landlord,
    report and period at the top and the sheet's name and page number at the foot."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    for ws in wb.worksheets:
        _row_heights(ws)
        total = sum((ws.column_dimensions[get_column_letter(c)].width or 8.43) for c in range(1, ws.max_column + 1))
        ws.page_setup.orientation = "landscape" if total > PORTRAIT_CHARS else "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3)
        frozen = ws.freeze_panes
        header_rows = int(re.sub(r"^[A-Z]+", "", frozen)) - 1 if frozen else 1
        ws.print_title_rows = f"1:{max(header_rows, 1)}"
        ws.oddHeader.center.text = header.replace("&", "&&")
        ws.oddHeader.center.size = 9
        ws.oddFooter.left.text = "&A"
        ws.oddFooter.left.size = 9
        ws.oddFooter.right.text = "Page &P of &N"
        ws.oddFooter.right.size = 9


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _date_or_text(text: str | None) -> date | str | None:
    """A date cell for a day; what was written ("Complete", "December 2021") as text otherwise."""
    try:
        return _date(text)
    except ValueError:
        return text


def _save(wb: Any) -> bytes:
    """The workbook's bytes. openpyxl writes the parts uncompressed (they are compressed once, by
    :func:`_normalise`, instead of twice)."""
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    out = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True)).save()
    return _normalise(out.getvalue())


def _normalise(data: bytes) -> bytes:
    """Rewrite the zip with fixed member times, so identical workbooks are identical bytes."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>2000-01-01T00:00:00Z\g<2>", content
                )
            dst.writestr(fixed, content)
    return out.getvalue()


class _Links:
    """The links of a workbook's rich-text cells. A cell holds one hyperlink: a cell with links
    links to its first (a reference to a note links to the note on the Notes sheet when it has
    no address); every address is also written in the cell's text, and the Links sheet lists
    every link of every cell, each clickable."""

    def __init__(self, notes: Sequence[dict[str, Any]]) -> None:
        self.notes = {str(n["id"]).lower(): i for i, n in enumerate(notes, start=2)}
        self.found: list[tuple[str, str, str, str]] = []  # sheet, cell, text shown, address

    def put(self, ws: Any, row: int, col: int, texts: Sequence[str | None], *, sep: str = "\n") -> Any:
        from openpyxl.styles import Font
        from openpyxl.worksheet.hyperlink import Hyperlink

        from hcode.render.richtext import excel

        shown: list[str] = []
        spans = []
        for text in texts:
            part, found = excel(text)
            if part:
                shown.append(part)
            spans += found
        cell = put(ws, row, col, sep.join(shown))
        urls = [s for s in spans if s.kind == "link" and s.url]
        refs = [s for s in spans if s.kind == "note" and s.ref and s.ref.lower() in self.notes]
        for s in urls:
            self.found.append((ws.title, cell.coordinate, s.text, s.url or ""))
        if urls:
            cell.hyperlink = urls[0].url
        elif refs:
            target = self.notes[(refs[0].ref or "").lower()]
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'Notes'!A{target}", display=cell.value)
        if urls or refs:
            cell.font = Font(color="0563C1", underline="single")
        return cell

    def sheet(self, wb: Any) -> None:
        from openpyxl.styles import Font

        if not self.found:
            return
        ws = _sheet(wb, "Links", ["Sheet", "Cell", "Link text", "Address"], [22, 8, 50, 70])
        for r, (sheet, coordinate, text, url) in enumerate(self.found, start=2):
            put(ws, r, 1, sheet)
            put(ws, r, 2, coordinate)
            put(ws, r, 3, text)
            cell = put(ws, r, 4, url)
            cell.hyperlink = url
            cell.font = Font(color="0563C1", underline="single")


def _questionnaire_sheet(wb: Any, ctx: dict[str, Any], links: _Links) -> None:
    """The 2020 questionnaire: a tick in the Yes, No or N/A column, and the notes."""
    ws = _sheet(
        wb,
        "Self-assessment",
        ["Section", "Number", "Question", "Yes", "No", "N/A", "Notes"],
        [28, 10, 70, 6, 6, 6, 60],
    )
    r = 2
    for section in ctx["sections"]:
        for row in section["rows"]:
            put(ws, r, 1, f"Section {section['number']}: {section['title']}")
            put(ws, r, 2, row["id"])
            links.put(ws, r, 3, [row["requirement"]])
            for col, word in ((4, "Yes"), (5, "No"), (6, "N/A")):
                put(ws, r, col, "✓" if row["comply"] == word else "")
            notes = [*row["evidence"], *([row["commentary"]] if row["commentary"] else [])]
            if notes:
                links.put(ws, r, 7, notes)
            else:
                put(ws, r, 7, "" if row["comply"] else "Not answered")
            r += 1


def _assessment_sheets(wb: Any, ctx: dict[str, Any]) -> None:
    links = _Links(ctx.get("notes") or [])
    if ctx.get("form", {}).get("layout") == "questionnaire":
        _questionnaire_sheet(wb, ctx, links)
    else:
        _form_sheet(wb, ctx, links)
    _action_sheet(wb, ctx, links)
    if ctx.get("notes"):
        ws = _sheet(wb, "Notes", ["Note", "Text"], [10, 100])
        for r, n in enumerate(ctx["notes"], start=2):
            put(ws, r, 1, f"Note {n['id']}", bold=True)
            links.put(ws, r, 2, [n["text"]])
    links.sheet(wb)


def _form_sheet(wb: Any, ctx: dict[str, Any], links: _Links) -> None:
    columns = ctx.get("layout") == "columns"
    ws = _sheet(
        wb,
        "Self-assessment",
        [
            "Section",
            "Code provision",
            "Code requirement",
            "Comply: Yes / No",
            "Evidence",
            "Commentary / explanation",
        ]
        + (["Action required", "Action owner", "Completion date"] if columns else []),
        [28, 10, 70, 12, 45, 50] + ([50, 24, 16] if columns else []),
    )
    r = 2
    for section in ctx["sections"]:
        title = f"Section {section['number']}: {section['title']}"
        for row in section["rows"]:
            if row["group"]:  # the Code's sub-heading ("Stage 1") on a row of its own
                put(ws, r, 1, title)
                put(ws, r, 2, row["group"], bold=True)
                r += 1
            put(ws, r, 1, title)
            put(ws, r, 2, row["id"])
            links.put(ws, r, 3, [row["requirement"]])
            put(ws, r, 4, row["comply"] or "Not answered")
            links.put(ws, r, 5, row["evidence"])
            links.put(ws, r, 6, [row["commentary"]])
            for i, a in enumerate(row["actions"] if columns else []):
                if i:  # a further action on a row of its own, as published
                    r += 1
                    put(ws, r, 1, title)
                    put(ws, r, 2, row["id"])
                links.put(ws, r, 7, _action_texts(a, also=True), sep="\n\n")
                put(ws, r, 8, a["owner"] or "")
                put(ws, r, 9, _date_or_text(a["done"]) if a["done"] else a["completion"])
            r += 1
        if section.get("note"):
            put(ws, r, 1, title)
            put(ws, r, 3, f"Not confirmed: {section['note']}")
            r += 1


def _action_sheet(wb: Any, ctx: dict[str, Any], links: _Links) -> None:
    """The action plan; in the columns layout only the actions for no provision shown (none: no
    sheet)."""
    actions = ctx["actions"]
    progress = any(a["progress"] for a in actions)
    if not actions and ctx.get("layout") == "columns":
        return
    ws = _sheet(
        wb,
        "Action plan",
        ["Code provision", "Action", "Owner", "Due", "Done"] + (["Notes on progress"] if progress else []),
        [14, 60, 28, 12, 12] + ([50] if progress else []),
    )
    for r, a in enumerate(actions, start=2):
        put(ws, r, 1, a["provision"])
        links.put(ws, r, 2, [a["action"]])
        put(ws, r, 3, a["owner"] or "")
        put(ws, r, 4, _date_or_text(a["due"]))
        put(ws, r, 5, _date_or_text(a["done"]) or "open")
        if progress:
            links.put(ws, r, 6, a["progress"], sep="\n\n")


def _action_texts(a: dict[str, Any], *, also: bool = False) -> list[str]:
    """An action's text, the other provisions it is for, and its progress notes."""
    texts = [a["action"]]
    if also and len(a["provisions"]) > 1:
        texts.append("For provisions " + ", ".join(a["provisions"]))
    return texts + [f"Progress: {p}" for p in a["progress"]]


def _left_out_sheet(wb: Any, rows: Sequence[dict[str, Any]]) -> None:
    """A first sheet naming the files left out (``--skip-broken``), so the gap cannot be missed."""
    if not rows:
        return
    ws = _sheet(wb, "Left out", ["File left out (could not be read)", "Line", "Problem"], [50, 8, 90])
    for r, row in enumerate(rows, start=2):
        put(ws, r, 1, row["file"])
        put(ws, r, 2, row["line"])
        put(ws, r, 3, row["problem"])
    wb.move_sheet(ws, offset=-(len(wb.sheetnames) - 1))
    wb.active = 0


def assessment_workbook(ctx: dict[str, Any]) -> bytes:
    wb = _workbook()
    _assessment_sheets(wb, ctx)
    ws = _sheet(wb, "About", ["Item", "Value"], [30, 70])
    rows = [
        ("Landlord", ctx["landlord"]),
        ("Year", ctx["year"]),
        ("Completed", _date(ctx["completed"])),
        ("Approved by", ctx["approved_by"] or ""),
        ("Approved", _date(ctx["approved"])),
        ("Code", f"{ctx['code']['title']} ({ctx['code']['code']})"),
        ("Code text", ctx["code"]["attribution"] or ""),
    ]
    form = ctx.get("form") or {}
    if form.get("layout", "appendix-a") != "appendix-a":  # the 2024 workbook stays as it was
        rows.append(("Form", f"{form['title'] or form['layout']}, answered {form['answers']}"))
    for r, (k, v) in enumerate(rows, start=2):
        put(ws, r, 1, k)
        put(ws, r, 2, v if v is not None else "not yet")
    _left_out_sheet(wb, ctx.get("left_out") or [])
    _print_setup(wb, f"{ctx['landlord']}: Complaint Handling Code self-assessment {ctx['year']}")
    return _save(wb)


def _pct(cell: dict[str, Any]) -> float | None:
    return percent.fraction(cell)


def _figure(ws: Any, row: int, col: int, cell: dict[str, Any] | None, unit: str) -> None:
    """A figure in three cells: the value (a percentage as ``0.0%``, CH01 as ``0.00``, a count
    as a whole number), then what was counted and out of what (blank for a count). A figure
    with no data is an empty cell with "no data" beside it, never a 0.
    ``n/a`` (nothing was counted) is aligned right, as the numbers are."""
    from openpyxl.styles import Alignment

    if cell is None or cell.get("source") == "none":
        put(ws, row, col + 1, "no data")
        return
    if "responses" in cell:  # satisfaction entered as "N responses", no result recorded
        n = cell["responses"]
        put(ws, row, col + 1, f"{n} response" if n == 1 else f"{n} responses")
        return
    if cell.get("value") is None and unit in ("percent", "per_1000_homes"):  # nothing counted
        put(ws, row, col, percent.NOT_APPLICABLE).alignment = Alignment(horizontal="right", vertical="top")
    elif unit == "percent":
        put(ws, row, col, percent.fraction(cell), fmt=percent.EXCEL_PERCENT)
    elif unit == "per_1000_homes":
        put(ws, row, col, cell["value"], fmt=percent.EXCEL_RATE)
    else:
        put(ws, row, col, cell["value"] if cell["value"] is not None else cell.get("written") or "n/a")
    if "numerator" in cell:
        put(ws, row, col + 1, cell["numerator"])
        put(ws, row, col + 2, cell["denominator"])


def _cell_note(cell: dict[str, Any] | None, unit: str) -> str | None:
    """What the Notes column says of a figure: no data, entered by hand, no homes figure."""
    if cell is None:
        return "no data"
    no_homes = cell.get("value") is None and cell.get("denominator") is None
    if unit == "per_1000_homes" and no_homes and cell.get("source") != "none":
        return "no data: no homes figure"
    return _source_note(cell.get("source"))


def _source_note(source: str | None) -> str | None:
    return {"none": "no data", "entered": "entered by hand"}.get(source or "")


def _notes(row: dict[str, Any], labels: dict[str, str]) -> str:
    """Which cells of a row have no data or were entered by hand, e.g. "no data: Q1, Q2"."""
    found: dict[str, list[str]] = {}
    for key, cell in row["cells"].items():
        note = _source_note(cell.get("source"))
        if note:
            found.setdefault(note, []).append(labels.get(key, key))
    return "; ".join(f"{note}: {', '.join(where)}" for note, where in found.items())


def _provisional(ctx: dict[str, Any]) -> str:
    return (
        f"PROVISIONAL: figures as at {ctx['provisional']['as_at']}. The reporting year ends on "
        f"{ctx['period']['end']}; nothing after {ctx['provisional']['as_at']} is counted."
    )


def _figures_sheet(wb: Any, title: str, periods: Sequence[str], measure_width: int, notes_width: int) -> Any:
    """A sheet of figures with two header rows: each period over its three columns (Value,
    Counted, Out of), Measure and Notes over both rows; the headers and the Measure column stay
    in view."""
    headers = ["Measure"] + [text for label in periods for text in (label, "", "")] + ["Notes"]
    ws = _sheet(wb, title, headers, [measure_width] + [10, 9, 8] * len(periods) + [notes_width])
    fill = copy(ws.cell(1, 1).fill)
    for i in range(len(periods)):
        col = 2 + 3 * i
        ws.merge_cells(start_row=1, start_column=col, end_row=1, end_column=col + 2)
        for j, name in enumerate(("Value", "Counted", "Out of")):
            put(ws, 2, col + j, name, bold=True).fill = fill
    for col in (1, 2 + 3 * len(periods)):
        ws.merge_cells(start_row=1, start_column=col, end_row=2, end_column=col)
    ws.freeze_panes = "B3"
    return ws


def annual_workbook(ctx: dict[str, Any]) -> bytes:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.worksheet.pagebreak import Break

    wb = _workbook()
    year, prev = ctx["year"], ctx["previous_year"]
    extras = ctx["extras"]

    years = [year] + ([prev] if prev else [])
    ws = _figures_sheet(wb, "Headline", years, 48, 24)
    columns = ["Measure"] + ["", "", ""] * len(years) + ["Notes"]
    for r, h in enumerate(ctx["headline"], start=3):
        put(ws, r, 1, h["label"])
        cells = h.get("cells") or {}
        _figure(ws, r, 2, cells.get("this_year"), h.get("unit", "count"))
        notes = []
        if _cell_note(cells.get("this_year"), h.get("unit", "count")):
            notes.append(f"{year}: {_cell_note(cells.get('this_year'), h.get('unit', 'count'))}")
        if prev:
            _figure(ws, r, 5, cells.get("previous_year"), h.get("unit", "count"))
            if _cell_note(cells.get("previous_year"), h.get("unit", "count")):
                notes.append(f"{prev}: {_cell_note(cells.get('previous_year'), h.get('unit', 'count'))}")
        if notes:
            put(ws, r, len(columns), "; ".join(notes))
    r = len(ctx["headline"]) + 4
    if ctx.get("provisional"):
        put(ws, r, 1, _provisional(ctx), bold=True)
        r += 1
    if ctx.get("differences"):
        put(ws, r, 1, "Some figures differ from those entered by hand: see the sheet Differences.", bold=True)

    quarters = ctx["quarters"]
    periods = [q["key"] for q in quarters] + ["year"]
    ws = _figures_sheet(wb, "Quarterly", [q["label"] for q in quarters] + ["Year"], 44, 24)
    labels = {q["key"]: q["key"] for q in quarters} | {"year": "Year"}
    for r, row in enumerate(ctx["table"], start=3):
        put(ws, r, 1, row["label"])
        for i, p in enumerate(periods):
            cell = row["cells"][p]
            col = 2 + 3 * i
            _figure(ws, r, col, cell, "percent" if "numerator" in cell else "count")
        row_notes = _notes(row, labels)
        if row_notes:
            put(ws, r, 2 + 3 * len(periods), row_notes)
    if ctx.get("provisional"):
        put(ws, len(ctx["table"]) + 3, 1, _provisional(ctx), bold=True)
    # chart data beside the table, then native charts
    rows = {row["key"]: row for row in ctx["table"]}
    base = len(ctx["table"]) + 5
    ws.row_breaks.append(Break(id=base - 1))  # the chart data and charts on a page of their own
    put(ws, base, 1, "Chart data", bold=True)
    for j, h in enumerate(
        ["Quarter", "Stage 1", "Stage 2", "Stage 1", "Stage 2"],  # received; within timescale (the charts' titles)
        start=1,
    ):
        put(ws, base + 1, j, h, bold=True)
    for i, q in enumerate(quarters):
        rr = base + 2 + i
        put(ws, rr, 1, q["key"])
        put(ws, rr, 2, rows["stage1_received"]["cells"][q["key"]]["value"])
        put(ws, rr, 3, rows["stage2_received"]["cells"][q["key"]]["value"])
        put(ws, rr, 4, _pct(rows["stage1_responses_within"]["cells"][q["key"]]), fmt=percent.EXCEL_PERCENT)
        put(ws, rr, 5, _pct(rows["stage2_responses_within"]["cells"][q["key"]]), fmt=percent.EXCEL_PERCENT)
    cats = Reference(ws, min_col=1, min_row=base + 2, max_row=base + 5)
    volumes = BarChart()
    volumes.title = "Complaints by quarter and stage"
    volumes.add_data(
        Reference(ws, min_col=2, max_col=3, min_row=base + 1, max_row=base + 5),
        titles_from_data=True,
    )
    volumes.set_categories(cats)
    ws.add_chart(volumes, f"A{base + 8}")
    timely = BarChart()
    timely.title = "Responses within the Code's timescale"
    timely.y_axis.number_format = "0%"  # axis ticks: whole percentages
    timely.add_data(
        Reference(ws, min_col=4, max_col=5, min_row=base + 1, max_row=base + 5),
        titles_from_data=True,
    )
    timely.set_categories(cats)
    ws.add_chart(timely, f"E{base + 8}")

    ws = _sheet(wb, "TSM", ["Measure", "Stage", "Value", "Numerator", "Denominator", "Notes"], [50, 8, 12, 12, 14, 40])
    r = 2
    for measure, title, unit in (
        ("CH01", "CH01: complaints received per 1,000 homes", "per_1000_homes"),
        ("CH02", "CH02: responses within the Code's timescale", "percent"),
    ):
        for stage in ("stage1", "stage2"):
            put(ws, r, 1, title)
            put(ws, r, 2, 1 if stage == "stage1" else 2)
            cell = ctx["tsm"][measure][stage]
            _figure(ws, r, 3, cell, unit)
            note = _cell_note(cell, unit)
            if note:
                put(ws, r, 6, note + (f" for {year}" if note.endswith("homes figure") else ""))
            r += 1
    for tenure, name in (("lcra", "low-cost rental (LCRA)"), ("lcho", "low-cost home ownership (LCHO)")):
        part: dict[str, Any] = (ctx.get("tsm_split") or {}).get(tenure) or {}
        for measure, unit in (("CH01", "per_1000_homes"), ("CH02", "percent")) if part else ():
            for stage in ("stage1", "stage2"):
                put(ws, r, 1, f"{measure}, {name}")
                put(ws, r, 2, 1 if stage == "stage1" else 2)
                _figure(ws, r, 3, part[measure][stage], unit)
                r += 1
    missing = (ctx.get("tsm_split") or {}).get("not_recorded")
    if missing and (missing["stage1"] or missing["stage2"]):
        put(
            ws,
            r,
            1,
            f"Complaints with no tenure recorded (in the totals, in neither part): {missing['stage1']} at "
            f"stage 1, {missing['stage2']} at stage 2.",
        )
        r += 1
    if ctx.get("homes_split"):
        split = ctx["homes_split"]
        put(
            ws,
            r + 1,
            1,
            f"CH01 counts {ctx['homes']} homes: {split['lcra']} low-cost rental (LCRA) and "
            f"{split['lcho']} low-cost home ownership (LCHO).",
        )

    no_cases = ctx.get("outcomes") is None
    ws = _sheet(wb, "Outcomes", ["Outcome", "Stage 1", "Stage 2"], [40, 12, 12])
    if no_cases:
        put(ws, 2, 1, f"No data: there are no case records for {year}.")
    r = 2
    for key in [] if no_cases else ("upheld", "partly-upheld", "not-upheld", "withdrawn"):
        put(ws, r, 1, key.replace("-", " ").capitalize())
        put(ws, r, 2, ctx["outcomes"]["stage1"][key])
        put(ws, r, 3, ctx["outcomes"]["stage2"][key])
        r += 1
    for label, key in (
        ()
        if no_cases
        else (
            ("Average working days to respond", "average"),
            ("Median working days to respond", "median"),
        )
    ):
        put(ws, r, 1, label)
        put(ws, r, 2, ctx["days_to_respond"]["stage1"][key], fmt="0.0")
        put(ws, r, 3, ctx["days_to_respond"]["stage2"][key], fmt="0.0")
        r += 1

    ws = _sheet(wb, "Categories", ["Category", year, prev or "Previous year", "Change"], [36, 12, 14, 10])
    if no_cases:
        put(ws, 2, 1, f"No data: there are no case records for {year}.")
    for r, c in enumerate(ctx["categories"] or [], start=2):
        put(ws, r, 1, c.get("name") or c["category"])
        put(ws, r, 2, c["this_year"])
        put(ws, r, 3, c["previous_year"])
        put(ws, r, 4, c["change"])
    if ctx["categories"]:
        chart = BarChart()
        chart.type = "bar"
        chart.title = "Stage 1 complaints by category"
        n = len(ctx["categories"]) + 1
        chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=1, max_row=n), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n))
        ws.add_chart(chart, "F2")

    ws = _sheet(wb, "Refusals", ["Reason", "Not accepted at stage 1", "Escalation refused"], [30, 22, 20])
    if no_cases:
        put(ws, 2, 1, f"No data: there are no case records for {year}.")
    for r, x in enumerate(ctx["refusals"] or [], start=2):
        put(ws, r, 1, x["reason"].replace("-", " ").capitalize())
        put(ws, r, 2, x["stage1"])
        put(ws, r, 3, x["stage2"])

    ws = _sheet(wb, "Remedies", ["Measure", "Value"], [40, 14])
    rem = ctx["remedies"] or {"with_compensation": None, "total": None, "average": None}
    if no_cases:
        put(ws, 5, 1, f"No data: there are no case records for {year}.")
    put(ws, 2, 1, "Complaints with compensation")
    put(ws, 2, 2, rem["with_compensation"])
    put(ws, 3, 1, "Total compensation")
    put(ws, 3, 2, rem["total"], fmt="£#,##0.00")
    put(ws, 4, 1, "Average compensation")
    put(ws, 4, 2, rem["average"], fmt="£#,##0.00")

    ws = _sheet(wb, "Ombudsman", ["Item", "Number / date", "Detail"], [40, 14, 70])
    omb = ctx["ombudsman"]
    r = 2
    if omb is None:
        put(ws, r, 1, f"Findings of the Ombudsman: no data (there are no case records for {year}).")
        r += 1
    for label, value in (
        ()
        if omb is None
        else (
            ("Complaints referred to the Ombudsman", omb["referrals"]),
            ("Complaint handling failure orders", omb["failure_orders"]),
        )
    ):
        put(ws, r, 1, label)
        put(ws, r, 2, value)
        r += 1
    for key, n in (omb or {}).get("findings", {}).items():
        put(ws, r, 1, "Finding: " + key.replace("-", " "))
        put(ws, r, 2, n)
        r += 1
    for d in extras.get("ombudsman_documents", []):
        put(ws, r, 1, f"{d['kind'].replace('-', ' ').capitalize()}: {d['title']}")
        put(ws, r, 2, _date(d["date"]))
        put(ws, r, 3, d.get("summary") or "")
        r += 1

    ws = _sheet(wb, "Learning", ["Learning and service improvements", "What we learned from"], [80, 50])
    r = 2
    for imp in extras.get("improvements", []):
        put(ws, r, 1, imp["improvement"])
        put(ws, r, 2, imp.get("learning_from") or "")
        r += 1
    for text in ctx["learning"]:
        put(ws, r, 1, text)
        r += 1

    ws = _sheet(wb, "Statements", ["Statement", "Text"], [36, 100])
    put(ws, 2, 1, "Governing body's response")
    put(ws, 2, 2, extras.get("governing_body_response") or _placeholder("governing_body_response", year))
    put(ws, 3, 1, "Member Responsible for Complaints")
    put(ws, 3, 2, extras.get("mrc_statement") or _placeholder("mrc_statement", year))

    if ctx.get("differences"):
        ws = _sheet(
            wb, "Differences", ["Figure", "Period", "Computed from case records", "Entered by hand"], [60, 10, 28, 28]
        )
        for r, d in enumerate(ctx["differences"], start=2):
            put(ws, r, 1, d["label"])
            put(ws, r, 2, d["period"])
            put(ws, r, 3, d["computed"])
            put(ws, r, 4, d["entered"])

    _assessment_sheets(wb, ctx["assessment"])
    ws = _sheet(wb, "How we count", ["Convention"], [110])
    for r, c in enumerate(ctx["conventions"], start=2):
        put(ws, r, 1, c)
    _annual_about(wb, ctx)
    _left_out_sheet(wb, ctx.get("left_out") or [])
    period = f"{_long_date(ctx['period']['start'])} to {_long_date(ctx['period']['end'])}"
    _print_setup(
        wb, f"{ctx['landlord']}: annual complaints performance and service improvement report {year} ({period})"
    )
    return _save(wb)


def _placeholder(field: str, year: str) -> str:
    """What stands in for a statement not recorded yet: where to record it, as in md and html."""
    return f"PLACEHOLDER: not recorded yet (add {field} to reports/{year}.yaml)"


def _long_date(text: str) -> str:
    day = date.fromisoformat(text)
    return f"{day.day} {day:%B %Y}"


def _annual_about(wb: Any, ctx: dict[str, Any]) -> None:
    """The "About" sheet, as in the self-assessment workbook: who, which year, as of when,
    which edition of the Code, and how to read the figures."""
    ws = _sheet(wb, "About", ["Item", "Value"], [30, 70])
    code = (ctx.get("assessment") or {}).get("code") or {}
    rows: list[tuple[str, Any]] = [
        ("Landlord", ctx["landlord"]),
        ("Report", "Annual complaints performance and service improvement report (Code 8.1 and 8.2)"),
        ("Year", ctx["year"]),
        ("Period", f"{_long_date(ctx['period']['start'])} to {_long_date(ctx['period']['end'])}"),
        ("Figures as of", _date(ctx.get("as_of")) or "not recorded"),
        ("Homes", ctx["homes"] if ctx.get("homes") is not None else "not recorded"),
        ("Previous year", ctx["previous_year"] or "no data"),
    ]
    if code:
        rows.append(("Code", f"{code.get('title')} ({code.get('code')})"))
    rows += [
        (
            "Percentages",
            "One decimal place, with what was counted and out of what in the two columns beside; "
            "n/a where nothing was counted. CH01 (per 1,000 homes) to two decimal places.",
        ),
        ("How we count", "The sheet How we count lists the counting conventions in force."),
    ]
    for r, (k, v) in enumerate(rows, start=2):
        put(ws, r, 1, k)
        put(ws, r, 2, v)
