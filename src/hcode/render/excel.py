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
#: A column's width when none is set, in characters; a chart's width in cm and (about: a unit
#: of column width is 7 pixels, 0.185 cm) in units of column width.
DEFAULT_WIDTH = 8.43
CHART_CM = 11.0
CHART_UNITS = CHART_CM / 0.185
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
        ws.row_dimensions[r].height = LINE_POINTS * lines


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
        ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.55, bottom=0.55, header=0.2, footer=0.2)
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
        ["Number", "Question", "Yes", "No", "N/A", "Notes"],
        [9, 90, 6, 6, 6, 60],
    )
    r = 2
    for section in ctx["sections"]:
        r = _section_row(ws, r, section, 2)
        for row in section["rows"]:
            put(ws, r, 1, row["id"])
            links.put(ws, r, 2, [row["requirement"]])
            for col, word in ((3, "Yes"), (4, "No"), (5, "N/A")):
                put(ws, r, col, "✓" if row["comply"] == word else "")
            notes = [*_bulleted(row["evidence"]), *([row["commentary"]] if row["commentary"] else [])]
            if notes:
                links.put(ws, r, 6, notes)
            else:
                put(ws, r, 6, "" if row["comply"] else "Not answered")
            r += 1


def _section_row(ws: Any, row: int, section: dict[str, Any], col: int) -> int:
    """A section's heading on a row of its own, as on the Ombudsman's form ("Section 1:
    Definition of a complaint", bold, in column ``col``: the text column); the next row."""
    put(ws, row, col, f"Section {section['number']}: {section['title']}", bold=True)
    return row + 1


def _assessment_sheets(wb: Any, ctx: dict[str, Any], links: _Links | None = None) -> None:
    """The self-assessment, its action plan and notes, then the Links sheet listing every link
    (``links``: the workbook's, when other sheets have links too)."""
    links = links or _Links(ctx.get("notes") or [])
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
    """The form as the Ombudsman sets it out: each section's heading on a row of its own, then a
    row per provision. The Code requirement is the widest column (the row heights follow it),
    so the form prints on as few pages as it can, one page wide."""
    columns = ctx.get("layout") == "columns"
    ws = _sheet(
        wb,
        "Self-assessment",
        ["Code provision", "Code requirement", "Comply: Yes / No", "Evidence", "Commentary / explanation"]
        + (["Action required", "Action owner", "Completion date"] if columns else []),
        [9, 100, 9, 32, 40] + ([50, 24, 16] if columns else []),
    )
    r = 2
    for section in ctx["sections"]:
        r = _section_row(ws, r, section, 2)
        for row in section["rows"]:
            if row["group"]:  # the Code's sub-heading ("Stage 1") on a row of its own
                put(ws, r, 2, row["group"], bold=True)
                r += 1
            put(ws, r, 1, row["id"])
            links.put(ws, r, 2, [row["requirement"]])
            put(ws, r, 3, row["comply"] or "Not answered")
            links.put(ws, r, 4, _bulleted(row["evidence"]))
            links.put(ws, r, 5, [row["commentary"]])
            for i, a in enumerate(row["actions"] if columns else []):
                if i:  # a further action on a row of its own, as published
                    r += 1
                    put(ws, r, 1, row["id"])
                links.put(ws, r, 6, _action_texts(a, also=True), sep="\n\n")
                put(ws, r, 7, a["owner"] or "")
                put(ws, r, 8, _date_or_text(a["done"]) if a["done"] else a["completion"])
            r += 1
        if section.get("note"):
            put(ws, r, 2, f"Not confirmed: {section['note']}")
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


def _bulleted(items: Sequence[str]) -> list[str]:
    """An evidence list of several items with its bullet marks kept, one item a line."""
    return [f"• {i}" for i in items] if len(items) > 1 else list(items)


def assessment_workbook(ctx: dict[str, Any]) -> bytes:
    wb = _workbook()
    _assessment_sheets(wb, ctx)
    ws = _sheet(wb, "About", ["Item", "Value"], [30, 70])
    rows = [
        ("Landlord", ctx["landlord"]),
        ("Year", ctx["year"]),
        ("Completed", _date_or_text(ctx["completed"])),
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
        put(ws, r, 2, v if v is not None else "")  # nothing recorded: nothing invented
    _left_out_sheet(wb, ctx.get("left_out") or [])
    _print_setup(wb, f"{ctx['landlord']}: Complaint Handling Code self-assessment {ctx['year']}")
    return _save(wb)


def _pct(cell: dict[str, Any]) -> float | None:
    return percent.fraction(cell)


def _figure(ws: Any, row: int, col: int, cell: dict[str, Any] | None, unit: str) -> None:
    """A figure in three cells: the value (a percentage as ``0.0%``, CH01 as ``0.00``, a count
    as a whole number), then what was counted and out of what (blank for a count), shown as
    :func:`hcode.core.percent.shown_as` decides for every format. A figure with no data is an
    empty cell with "no data" beside it, never a 0; ``n/a`` (nothing was counted) is aligned
    right, as the numbers are."""
    from openpyxl.styles import Alignment

    way = percent.shown_as(cell, unit)
    if cell is None or way in (percent.NO_DATA, percent.NO_HOMES):
        put(ws, row, col + 1, "no data")
        return
    if way == percent.RESPONSES:  # satisfaction entered as "N responses", no result recorded
        n = cell["responses"]
        put(ws, row, col + 1, f"{n} response" if n == 1 else f"{n} responses")
        return
    if way == percent.NOTHING_COUNTED:
        put(ws, row, col, percent.NOT_APPLICABLE).alignment = Alignment(horizontal="right", vertical="top")
    elif way == percent.WRITTEN:
        put(ws, row, col, cell["written"])
    elif unit == "percent":
        put(ws, row, col, percent.fraction(cell), fmt=percent.EXCEL_PERCENT)
    elif unit == "per_1000_homes":
        put(ws, row, col, cell["value"], fmt=percent.EXCEL_RATE)
    else:
        put(ws, row, col, cell["value"])
    if "numerator" in cell:
        put(ws, row, col + 1, cell["numerator"])
        put(ws, row, col + 2, cell["denominator"])


def _cell_note(cell: dict[str, Any] | None, unit: str) -> str | None:
    """What the Notes column says of a figure: no data, entered by hand, no homes figure."""
    if cell is None:
        return "no data"
    if percent.shown_as(cell, unit) == percent.NO_HOMES:
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
    wb = _workbook()
    year, prev = ctx["year"], ctx["previous_year"]
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
    r = _tsm_block(ws, len(ctx["headline"]) + 4, ctx, len(columns))
    r = _benchmark_block(ws, r, ctx, len(columns))
    differ = "Some figures differ from those entered by hand: see the sheet Differences."
    said = [*([_provisional(ctx)] if ctx.get("provisional") else []), *([differ] if ctx.get("differences") else [])]
    for line in said:
        put(ws, r, 1, line, bold=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(columns))
        r += 1
    links = _Links((ctx["assessment"] or {}).get("notes") or [])
    _statements(ws, r + 1 if said else r, ctx, links, len(columns))

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

    _charts_sheet(wb, ctx)
    _outcomes_sheet(wb, ctx, links)
    _hazards_sheet(wb, ctx)

    if ctx.get("differences"):
        ws = _sheet(
            wb, "Differences", ["Figure", "Period", "Computed from case records", "Entered by hand"], [60, 10, 28, 28]
        )
        for r, d in enumerate(ctx["differences"], start=2):
            put(ws, r, 1, d["label"])
            put(ws, r, 2, d["period"])
            put(ws, r, 3, d["computed"])
            put(ws, r, 4, d["entered"])

    _assessment_sheets(wb, ctx["assessment"], links)
    _annual_about(wb, ctx)
    _left_out_sheet(wb, ctx.get("left_out") or [])
    period = f"{_long_date(ctx['period']['start'])} to {_long_date(ctx['period']['end'])}"
    _print_setup(
        wb, f"{ctx['landlord']}: annual complaints performance and service improvement report {year} ({period})"
    )
    return _save(wb)


def _hazards_sheet(wb: Any, ctx: dict[str, Any]) -> None:
    """Hazards reported under Awaab's Law: by hazard and risk, and each duty within time (the
    annual report's hazards section; no sheet where the report has none)."""
    hz = ctx.get("hazards")
    if not hz or not hz["in_force"]:
        return
    year = ctx["year"]
    ws = _stacked(wb, "Hazards", f"Hazards reported (Awaab's Law) {year}", [44, 14, 14, 14])
    r = _block(ws, 2, ["Hazard", "Significant", "Emergency", "Total"])
    for row in hz["by_hazard"]:
        put(ws, r, 1, row["hazard"])
        put(ws, r, 2, row["significant"])
        put(ws, r, 3, row["emergency"])
        put(ws, r, 4, row["total"])
        r += 1
    put(ws, r, 1, "All hazards reported", bold=True)
    put(ws, r, 2, hz["significant"], bold=True)
    put(ws, r, 3, hz["emergency"], bold=True)
    put(ws, r, 4, hz["reported"], bold=True)
    r = _block(ws, r + 2, ["Within the Regulations' timescales", "Value", "Counted", "Out of"])
    for w in hz["within_time"]:
        put(ws, r, 1, w["label"])
        _figure(ws, r, 2, w["cell"], "percent")
        r += 1
    lines = []
    if hz["linked"]["hazards"]:
        lines.append(
            f"Hazards linked to complaints: {hz['linked']['hazards']} (complaints: {hz['linked']['complaints']})."
        )
    if hz["not_judged"]["phase"] or hz["not_judged"]["lcho"]:
        lines.append(
            f"Not judged: {hz['not_judged']['phase']} reported before their hazard's phase began, "
            f"{hz['not_judged']['lcho']} in low-cost home ownership (outside the Regulations)."
        )
    if not hz["confirmed"]:
        lines.append("The timescales are as reported in published summaries, not yet checked against the Regulations.")
    for line in lines:
        r += 1
        put(ws, r, 1, line)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)


def _block(ws: Any, row: int, headers: Sequence[str]) -> int:
    """A table's header row inside a sheet of several tables (bold on the header fill, as the
    sheet's first row); the row after it."""
    fill = copy(ws.cell(1, 1).fill)
    for col, text in enumerate(headers, start=1):
        put(ws, row, col, text, bold=True).fill = fill
    return row + 1


def _stacked(wb: Any, title: str, heading: str, widths: Sequence[int]) -> Any:
    """A sheet of several small tables one below the other (each with its own header row, see
    :func:`_block`), so that they print on one page instead of a page each. Its first row names
    what it holds and is repeated on every printed page."""
    ws = _sheet(wb, title, [heading] + [""] * (len(widths) - 1), widths)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(widths))
    return ws


def _tsm_block(ws: Any, row: int, ctx: dict[str, Any], notes_col: int) -> int:
    """The Tenant Satisfaction Measures CH01 and CH02 below the headline figures, in the same
    columns (the year's value, what was counted and out of what; notes); the next free row."""
    year = ctx["year"]
    r = _block(ws, row, [f"Tenant Satisfaction Measures {year}", "Value", "Counted", "Out of"])
    for measure, title, unit in (
        ("CH01", "complaints made per 1,000 homes", "per_1000_homes"),
        ("CH02", "complaints answered within timescale", "percent"),
    ):
        for stage in ("stage1", "stage2"):
            put(ws, r, 1, f"{measure} stage {stage[-1]}: {title}")
            cell = ctx["tsm"][measure][stage]
            _figure(ws, r, 2, cell, unit)
            note = "; ".join(filter(None, [_cell_note(cell, unit), percent.ch02_split_text(cell)]))
            if note:
                put(ws, r, notes_col, note + (f" for {year}" if note.endswith("homes figure") else ""))
            r += 1
    for tenure, name in (("lcra", "low-cost rental (LCRA)"), ("lcho", "low-cost home ownership (LCHO)")):
        part: dict[str, Any] = (ctx.get("tsm_split") or {}).get(tenure) or {}
        for measure, unit in (("CH01", "per_1000_homes"), ("CH02", "percent")) if part else ():
            for stage in ("stage1", "stage2"):
                put(ws, r, 1, f"{measure} stage {stage[-1]}, {name}")
                _figure(ws, r, 2, part[measure][stage], unit)
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
            r,
            1,
            f"CH01 counts {ctx['homes']} homes: {split['lcra']} low-cost rental (LCRA) and "
            f"{split['lcho']} low-cost home ownership (LCHO).",
        )
        r += 1
    return r + 1


def _benchmark_block(ws: Any, row: int, ctx: dict[str, Any], notes_col: int) -> int:
    """Our CH01 and CH02 beside the sector's quartiles (the Regulator's latest TSM data), below
    the TSMs: the measure, ours, the lower quartile, median and upper quartile, how many
    landlords, and where we stand (in the notes column); the next free row."""
    from hcode.core.benchmarks import PLACES

    b = ctx.get("benchmarks")
    if not b:
        return row
    r = _block(
        ws, row, [f"How we compare: sector {b['year']}, LCRA", "Ours", "Lower q.", "Median", "Upper q.", "Landlords"]
    )
    put(ws, row, notes_col, "Where we stand", bold=True).fill = copy(ws.cell(row, 1).fill)
    for item in b["rows"]:
        fmt = "0.00" if PLACES[item["key"]] == 2 else "0.0"
        put(ws, r, 1, item["label"])
        put(ws, r, 2, "no data" if item["value"] is None else item["value"], fmt=fmt)
        for col, key in ((3, "lower_quartile"), (4, "median"), (5, "upper_quartile")):
            put(ws, r, col, item[key], fmt=fmt)
        put(ws, r, 6, item["count"])
        put(ws, r, notes_col, item["standing"] or "")
        r += 1
    put(ws, r, 1, f"Ours: {b['ours_are']}. {b['who']} Data: {b['dataset']}. {b['licence']}")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=notes_col)
    return r + 2


def _charts_sheet(wb: Any, ctx: dict[str, Any]) -> None:
    """The report's three charts on one sheet (one printed page): the figures they show at the
    top, as tables, then the charts side by side beneath them."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    ws = _stacked(wb, "Charts", "Charts, and the figures they show", [24, 12, 12, 12, 12, 4, 24, 12, 12])
    quarters, year, prev = ctx["quarters"], ctx["year"], ctx["previous_year"]
    rows = {row["key"]: row for row in ctx["table"]}
    # received; within the Code's timescale (the charts' titles say which)
    _block(ws, 2, ["Quarter", "Stage 1 received", "Stage 2 received", "Stage 1 within", "Stage 2 within"])
    for i, q in enumerate(quarters):
        r = 3 + i
        put(ws, r, 1, q["key"])
        put(ws, r, 2, rows["stage1_received"]["cells"][q["key"]]["value"])
        put(ws, r, 3, rows["stage2_received"]["cells"][q["key"]]["value"])
        put(ws, r, 4, _pct(rows["stage1_responses_within"]["cells"][q["key"]]), fmt=percent.EXCEL_PERCENT)
        put(ws, r, 5, _pct(rows["stage2_responses_within"]["cells"][q["key"]]), fmt=percent.EXCEL_PERCENT)
    last = 2 + len(quarters)
    cats = Reference(ws, min_col=1, min_row=3, max_row=last)
    volumes = BarChart()
    volumes.title = "Complaints by quarter and stage"
    volumes.add_data(Reference(ws, min_col=2, max_col=3, min_row=2, max_row=last), titles_from_data=True)
    volumes.set_categories(cats)
    timely = BarChart()
    timely.title = "Responses within the Code's timescale"
    timely.y_axis.number_format = "0%"  # axis ticks: whole percentages
    timely.add_data(Reference(ws, min_col=4, max_col=5, min_row=2, max_row=last), titles_from_data=True)
    timely.set_categories(cats)
    charts = [volumes, timely]
    categories = ctx["categories"] or []
    if categories:
        # beside the quarters: categories (their display names) this year and last
        for col, text in enumerate(["Category", year, prev or "Previous year"], start=7):
            put(ws, 2, col, text, bold=True).fill = copy(ws.cell(1, 1).fill)
        for i, c in enumerate(categories):
            put(ws, 3 + i, 7, c.get("name") or c["category"])
            put(ws, 3 + i, 8, c["this_year"])
            put(ws, 3 + i, 9, c["previous_year"])  # None (an empty cell) where there are no records
        n = 2 + len(categories)
        by_category = BarChart()
        by_category.type = "bar"
        by_category.title = "Stage 1 complaints by category"
        by_category.add_data(Reference(ws, min_col=8, max_col=9, min_row=2, max_row=n), titles_from_data=True)
        by_category.set_categories(Reference(ws, min_col=7, min_row=3, max_row=n))
        charts.append(by_category)
        last = max(last, n)
    # three side by side, each starting in the first column clear of the one before
    starts: list[int] = []
    edge, col = 0.0, 1
    while len(starts) < len(charts):
        if edge >= len(starts) * CHART_UNITS:
            starts.append(col)
        edge += ws.column_dimensions[get_column_letter(col)].width or DEFAULT_WIDTH
        col += 1
    for chart, start in zip(charts, starts, strict=True):
        chart.width, chart.height = CHART_CM, 8.0
        ws.add_chart(chart, f"{get_column_letter(start)}{last + 2}")


def _outcomes_sheet(wb: Any, ctx: dict[str, Any], links: _Links) -> None:
    """Outcomes and time to respond, complaints not accepted, putting things right and the
    Housing Ombudsman: the report's small tables, on one sheet (one printed page)."""
    year = ctx["year"]
    heading = "Outcomes, categories, complaints not accepted, putting things right, the Housing Ombudsman"
    ws = _stacked(wb, "Outcomes", heading, [40, 16, 16, 28])
    no_data = f"No data: there are no case records for {year}."
    r = _block(ws, 2, ["Outcome", "Stage 1", "Stage 2"])
    if ctx.get("outcomes") is None:
        put(ws, r, 1, no_data)
        r += 1
    else:
        for key in ("upheld", "partly-upheld", "not-upheld", "withdrawn"):
            put(ws, r, 1, key.replace("-", " ").capitalize())
            put(ws, r, 2, ctx["outcomes"]["stage1"][key])
            put(ws, r, 3, ctx["outcomes"]["stage2"][key])
            r += 1
        for label, key in (
            ("Average working days to respond", "average"),
            ("Median working days to respond", "median"),
        ):
            put(ws, r, 1, label)
            put(ws, r, 2, ctx["days_to_respond"]["stage1"][key], fmt="0.0")
            put(ws, r, 3, ctx["days_to_respond"]["stage2"][key], fmt="0.0")
            r += 1

    year_before = ctx["previous_year"]
    r = _block(ws, r + 1, ["Complaints by category (stage 1)", year, year_before or "Previous year", "Change"])
    if ctx.get("categories") is None:
        put(ws, r, 1, no_data)
        r += 1
    elif not ctx["categories"]:
        put(ws, r, 1, "No stage 1 complaints were received this year.")
        r += 1
    for c in ctx.get("categories") or []:
        put(ws, r, 1, c.get("name") or c["category"])
        put(ws, r, 2, c["this_year"])
        put(ws, r, 3, "no data" if c["previous_year"] is None else c["previous_year"])
        if c["change"] is not None:
            put(ws, r, 4, c["change"], fmt="+0;-0;0")  # +5, as Markdown writes it
        r += 1

    r = _block(ws, r + 1, ["Complaints we did not accept", "Not accepted at stage 1", "Escalation refused"])
    if ctx.get("refusals") is None:
        put(ws, r, 1, no_data)
        r += 1
    for x in ctx.get("refusals") or []:
        put(ws, r, 1, x["reason"].replace("-", " ").capitalize())
        put(ws, r, 2, x["stage1"])
        put(ws, r, 3, x["stage2"])
        r += 1

    r = _block(ws, r + 1, ["Putting things right", "Value"])
    if ctx.get("remedies") is None:
        put(ws, r, 1, no_data)
        r += 1
    else:
        rem = ctx["remedies"]
        for label, value, fmt in (
            ("Complaints with compensation", rem["with_compensation"], None),
            ("Total compensation", rem["total"], "£#,##0.00"),
            ("Average compensation", rem["average"], "£#,##0.00"),
        ):
            put(ws, r, 1, label)
            put(ws, r, 2, value, fmt=fmt)
            r += 1

    r = _block(ws, r + 1, ["The Housing Ombudsman", "Number / date", "Detail"])
    ws.merge_cells(start_row=r - 1, start_column=3, end_row=r - 1, end_column=4)
    omb = ctx["ombudsman"]
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
    for d in ctx["extras"].get("ombudsman_documents", []):
        flag = " (finding of non-compliance with the Code)" if d.get("non_compliance") else ""
        put(ws, r, 1, f"{d['kind'].replace('-', ' ').capitalize()}: {d['title']}{flag}")
        put(ws, r, 2, _date(d["date"]))
        links.put(ws, r, 3, [d.get("summary")])
        ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=4)
        r += 1


def _statements(ws: Any, row: int, ctx: dict[str, Any], links: _Links, last: int) -> int:
    """Below the headline figures: the governing body's response and the Member Responsible for
    Complaints' statement, then the learning and service improvements, each text across the
    columns from B to ``last``. Their paragraphs, lists and links are kept (links clickable and
    listed on the Links sheet). The next free row."""
    year, extras = ctx["year"], ctx["extras"]

    def text(r: int, col: int, value: str | None, placeholder: str | None = None) -> None:
        if value:
            links.put(ws, r, col, [value])
        else:
            put(ws, r, col, placeholder or "")
        if col == 2:
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=last)

    r = _block(ws, row, ["Statement", "Text"])
    ws.merge_cells(start_row=r - 1, start_column=2, end_row=r - 1, end_column=last)
    for label, field in (
        ("Governing body's response", "governing_body_response"),
        ("Member Responsible for Complaints", "mrc_statement"),
    ):
        put(ws, r, 1, label)
        text(r, 2, extras.get(field), _placeholder(field, year))
        r += 1
    r = _block(ws, r + 1, ["Learning and service improvements", "What we learned from"])
    ws.merge_cells(start_row=r - 1, start_column=2, end_row=r - 1, end_column=last)
    for imp in extras.get("improvements", []):
        text(r, 1, imp["improvement"])
        text(r, 2, imp.get("learning_from"))
        r += 1
    for learned in ctx["learning"]:
        text(r, 1, learned)
        r += 1
    return r


def _placeholder(field: str, year: str) -> str:
    """What stands in for a statement not recorded yet: where to record it, as in md and html."""
    return f"PLACEHOLDER: not recorded yet (add {field} to reports/{year}.yaml)"


def _long_date(text: str) -> str:
    day = date.fromisoformat(text)
    return f"{day.day} {day:%B %Y}"


def _annual_about(wb: Any, ctx: dict[str, Any]) -> None:
    """The "About" sheet, as in the self-assessment workbook: who, which year, as of when,
    which edition of the Code, how to read the figures and how they were counted."""
    ws = _sheet(wb, "About", ["Item", "Value"], [20, 80])
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
    ]
    rows += [("How we count" if i == 0 else "", c) for i, c in enumerate(ctx["conventions"])]
    for r, (k, v) in enumerate(rows, start=2):
        put(ws, r, 1, k)
        put(ws, r, 2, v)


def tsm_return_workbook(doc: dict[str, Any]) -> bytes:
    """The TSM return (:func:`hcode.core.tsmreturn.tsm_return`): a sheet "Return" with a row per
    question (the return's label and wording) and a column per stock type, then the statement of
    target timescales used for CH02 and where the wording comes from."""
    wb = _workbook()
    types = doc["stock_types"]
    ws = _sheet(
        wb, "Return", ["Question", "The return's wording", *[t["name"] for t in types]], [26, 60] + [18] * len(types)
    )
    r = 2
    for q in doc["questions"]:
        put(ws, r, 1, q["label"])
        put(ws, r, 2, q["wording"])
        for col, t in enumerate(types, start=3):
            value = t["answers"].get(q["key"])
            if value is None:
                put(ws, r, col, "n/a")
            elif q["key"].startswith("ch02_") and q["key"][-1] in "12":
                put(ws, r, col, round(float(value) / 100.0, percent.PERCENT_PLACES + 2), fmt=percent.EXCEL_PERCENT)
            elif q["key"].startswith("ch01_") and q["key"][-1] in "12":
                put(ws, r, col, value, fmt=percent.EXCEL_RATE)
            else:
                put(ws, r, col, value, fmt="#,##0")
        r += 1
    r += 1
    for line in tsm_return_notes(doc):
        put(ws, r, 1, line)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2 + len(types))
        r += 1
    _print_setup(wb, f"{doc['landlord']}: TSM return, complaints (CH01, CH02) {doc['year']}")
    return _save(wb)


def tsm_return_notes(doc: dict[str, Any]) -> list[str]:
    """What the return's figures rest on, in words: provisional, complaints with no stock type,
    the statement of target timescales, and the source of the wording."""
    lines = []
    if doc["provisional"]:
        lines.append(
            f"PROVISIONAL: as at {doc['as_at']}, {doc['pending']} complaint(s) made in {doc['year']} are not yet "
            "answered and still within the Code's timescale."
        )
    if not doc["split"]:
        lines.append(
            "hcode.yaml does not split this year's homes into lcra and lcho: only the combined figures can be given."
        )
    elif doc["not_recorded"] and (doc["not_recorded"]["stage1"] or doc["not_recorded"]["stage2"]):
        n = doc["not_recorded"]
        lines.append(
            f"Complaints with no stock type recorded (tenure: in the case file): {n['stage1']} at stage 1, "
            f"{n['stage2']} at stage 2; they are in the combined column only."
        )
    lines.append("Target timescales used for CH02:")
    lines += [f"- {t}" for t in doc["timescales"]]
    lines.append("Wording: " + doc["source"])
    return lines
