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
from weakref import WeakKeyDictionary

from hcode.collector import collector_paused
from hcode.core import percent
from hcode.core.assessmentform import AssessmentForm, FormNote
from hcode.core.text import visible
from hcode.core.tsmreturn import TsmReturnFigures
from hcode.render.figuretext import scope_text
from hcode.render.layout import (
    Act,
    Bench,
    Block,
    Bullets,
    Cell,
    Change,
    Chart,
    Count,
    Date,
    Figure,
    Items,
    Layout,
    Money,
    Note,
    Number,
    Paragraph,
    Paras,
    Rich,
    RichBlock,
    Row,
    Section,
    Span,
    Spanned,
    Table,
    Text,
    Tick,
    also_text,
    cell_words,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The workbook's font (Excel's default; LibreOffice uses the metric-compatible Carlito).
FONT = "Calibri"
FONT_SIZE = 11
#: A sheet whose columns add up to more than this many characters prints in landscape.
PORTRAIT_CHARS = 100
#: Points per line of wrapped text, and characters of text per unit of column width (Calibri
#: 11: a unit is the width of a digit, a little wider than the average letter, less the cell's
#: own margins), for row heights.
LINE_POINTS = 15.0
CHARS_PER_WIDTH = 1.05
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
    """How many lines ``text`` takes when wrapped in a column ``width`` characters wide: each
    line of it broken at spaces, as a spreadsheet wraps it (a word that does not fit on what is
    left of a line starts the next one; a word longer than a line is cut)."""
    per_line = max(1, int(width * CHARS_PER_WIDTH))
    total = 0
    for part in text.split("\n"):
        if len(part) <= per_line:
            total += 1
            continue
        if "  " not in part and part[0] != " " and part[-1] != " " and len(max(part.split(" "), key=len)) <= per_line:
            total += _filled(part, per_line)  # words one space apart, each fitting on a line
        else:
            total += _word_by_word(part, per_line)
    return total


def _word_by_word(part: str, per_line: int) -> int:
    """How many lines of ``per_line`` characters one line of text longer than that takes,
    word by word."""
    lines, used = 1, -1  # -1: nothing on the line yet (no space before the first word)
    for word in part.split(" "):
        if used + 1 + len(word) <= per_line:
            used += 1 + len(word)
            continue
        if used >= 0:
            lines += 1
        lines += (len(word) - 1) // per_line
        used = (len(word) - 1) % per_line + 1 if word else 0
    return lines


def _filled(part: str, per_line: int) -> int:
    """:func:`_word_by_word` of a line of words one space apart, none longer than ``per_line``:
    each line ends at the last space that leaves it no longer than ``per_line``, found by a
    search instead of word by word (15,000 learning rows of an annual workbook). The same count
    (a test compares them)."""
    lines, at, end = 1, 0, len(part)
    while end - at > per_line:
        at = part.rfind(" ", at, at + per_line + 1) + 1  # the next line starts after that space
        lines += 1
    return lines


def _header_text(title: str, width: float) -> str:
    """A table's column title in a column ``width`` characters wide: broken onto lines at its
    spaces where it does not fit, so that a spreadsheet never breaks it at a hyphen (a year such
    as 2024-25 stays whole)."""
    per_line = max(1, int(width * CHARS_PER_WIDTH))
    if len(title) <= per_line or " " not in title:
        return title
    import textwrap

    return "\n".join(textwrap.wrap(title, per_line, break_on_hyphens=False, break_long_words=False))


#: Each sheet's last row and column, and how many cells it had when they were worked out.
_EXTENTS: WeakKeyDictionary[Any, tuple[int, int, int]] = WeakKeyDictionary()


def _extent(ws: Any) -> tuple[int, int]:
    """``ws.max_row`` and ``ws.max_column``, worked out again only when the sheet has more cells
    than when they last were: openpyxl looks through every cell each time (the printing setup
    asks them of each sheet several times, and a large report's first sheet has 120,000 cells).
    A workbook's cells are only ever added (merging puts one cell for another in its place)."""
    n = len(ws._cells)
    found = _EXTENTS.get(ws)
    if found is None or found[0] != n:
        found = _EXTENTS[ws] = (n, ws.max_row, ws.max_column)
    return found[1], found[2]


def _row_heights(ws: Any) -> None:
    """Row heights for wrapped text (Excel and LibreOffice do not grow a row written by a
    program, so without them wrapped text overlaps the row below)."""
    from openpyxl.utils import get_column_letter

    widths = {c: ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, _extent(ws)[1] + 1)}
    merged = {}
    for rng in ws.merged_cells.ranges:
        merged[(rng.min_row, rng.min_col)] = sum(widths[c] for c in range(rng.min_col, rng.max_col + 1))
    most: dict[int, int] = {}
    for (r, c), cell in ws._cells.items():  # the cells written (the tallest of each row counts)
        value = cell._value  # what cell.value gives (None for a merged cell)
        if isinstance(value, str) and value:
            lines = _lines(value, merged.get((r, c), widths.get(c, 8.43)))
            if lines > most.get(r, 1):
                most[r] = lines
    for r, lines in most.items():
        ws.row_dimensions[r].height = LINE_POINTS * lines


#: A4 in points, the printed margins (inches), and the smallest scale a sheet is fitted to the
#: page's width at when it is turned to print on fewer pages (11-point text printed at 8 points).
A4_POINTS = (595.3, 841.9)
MARGINS = (0.4, 0.55)
SMALLEST_SCALE = 0.73


def _fit(ws: Any, total_width: float, landscape: bool) -> tuple[float, float]:
    """The scale a sheet prints at, fitted to the width of an A4 page (its columns in points: a
    unit of width is 7 pixels of 0.75 points, and 5 pixels of padding a column), and the points
    of its rows a page holds at that scale (the page's own header and footer lines are in its
    margins)."""
    width, height = A4_POINTS[::-1] if landscape else A4_POINTS
    columns = (total_width * 7 + 5 * max(_extent(ws)[1], 1)) * 0.75
    scale = min(1.0, (width - 2 * MARGINS[0] * 72) / columns)
    return scale, (height - 2 * MARGINS[1] * 72) / scale


def _pages(ws: Any, total_width: float, landscape: bool, titles: int) -> tuple[int, float]:
    """About how many pages a sheet prints on, and at what scale: its rows at their heights (15
    points where none is set), the header rows (``titles``) again on every page."""
    scale, room = _fit(ws, total_width, landscape)
    return len(_page_starts(ws, room, titles)), scale


def _page_starts(ws: Any, room: float, titles: int) -> list[tuple[int, bool]]:
    """The first row of each printed page, ``room`` points of rows a page (the header rows
    again on each), and whether the page starts there to keep a section together: a section
    that would run onto the next page starts on it instead, where it fits on one (its rows are
    in ``ws._hcode_tables``: first and last row)."""
    last_row = _extent(ws)[0]
    heights = _heights(ws, last_row)
    repeated = sum(heights[r] for r in range(1, titles + 1))
    tables = {first: last for first, last in getattr(ws, "_hcode_tables", ())}
    starts, used = [(titles + 1, False)], repeated
    for r in range(titles + 1, last_row + 1):
        last = tables.get(r)
        block = sum(heights[x] for x in range(r, last + 1)) if last else 0.0
        if last and used > repeated and used + block > room and repeated + block <= room:
            starts.append((r, True))
            used = repeated
        elif used > repeated and used + heights[r] > room:
            starts.append((r, False))
            used = repeated
        used += heights[r]
    return starts


def _heights(ws: Any, last_row: int) -> dict[int, float]:
    """Each row's height to ``last_row``, in points (15 where none is set). A row asked of
    ``ws.row_dimensions`` for the first time gets an entry, which the sheet writes (an empty
    ``<row>``): each row without one is asked that way, as always; the others are looked up
    without openpyxl setting each one's index again (a large annual workbook has 15,000)."""
    dims = ws.row_dimensions
    known = dims.get  # a plain look-up: no entry made
    out: dict[int, float] = {}
    for r in range(1, last_row + 1):
        row = known(r)
        out[r] = (dims[r] if row is None else row).height or LINE_POINTS
    return out


def _orientation(ws: Any, total_width: float, titles: int) -> str:
    """Landscape where the columns are wide (more than :data:`PORTRAIT_CHARS` characters), unless
    portrait prints the sheet on fewer pages at no less than :data:`SMALLEST_SCALE`: a sheet only
    a little wider than a portrait page holds a third more rows a page standing up."""
    if total_width <= PORTRAIT_CHARS:
        return "portrait"
    if ws._charts or ws._images:  # a chart keeps its size: the width rule alone
        return "landscape"
    across, _ = _pages(ws, total_width, True, titles)
    upright, scale = _pages(ws, total_width, False, titles)
    return "portrait" if upright < across and scale >= SMALLEST_SCALE else "landscape"


def _page_breaks(ws: Any, total_width: float, titles: int) -> None:
    """A page break before each section of a sheet that would run onto a second page but fits on
    one (LibreOffice and Excel break a page where it is full, whatever is on it)."""
    from openpyxl.worksheet.pagebreak import Break

    if not getattr(ws, "_hcode_tables", None):
        return
    _, room = _fit(ws, total_width, ws.page_setup.orientation == "landscape")
    for start, kept in _page_starts(ws, room, titles)[1:]:
        if kept:
            ws.row_breaks.append(Break(id=start - 1))


def _print_setup(wb: Any, header: str) -> None:
    """Every sheet prints readably: A4, one page wide (a table is never split column-wise), turned
    the way it prints on fewer pages (:func:`_orientation`), its header rows repeated on every
    page where they head everything on it (not over the statements and tables under a sheet's
    figures), the landlord, report and period at the top and the sheet's name and page number at
    the foot."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    for ws in wb.worksheets:
        _row_heights(ws)
        total = sum((ws.column_dimensions[get_column_letter(c)].width or 8.43) for c in range(1, _extent(ws)[1] + 1))
        frozen = ws.freeze_panes
        header_rows = int(re.sub(r"^[A-Z]+", "", frozen)) - 1 if frozen else 1
        titles = getattr(ws, "_hcode_print_titles", True)
        ws.page_setup.orientation = _orientation(ws, total, max(header_rows, 1) if titles else 0)
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.55, bottom=0.55, header=0.2, footer=0.2)
        _page_breaks(ws, total, max(header_rows, 1) if titles else 0)
        if titles:
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

    out = io.BytesIO()
    _excel_writer()(wb, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True)).save()
    return _normalise(out.getvalue())


_WRITER: list[Any] = []


def _excel_writer() -> Any:
    """openpyxl's ``ExcelWriter``, its sheets written by :func:`_sheet_writer`'s writer (made on
    first use: openpyxl is imported only for a workbook)."""
    if not _WRITER:
        from openpyxl.writer.excel import ExcelWriter

        sheet_writer = _sheet_writer()

        class Writer(ExcelWriter):  # type: ignore[misc]
            def write_worksheet(self, ws: Any) -> None:
                """``ExcelWriter.write_worksheet`` (openpyxl 3.1) with the writer below (a
                workbook hcode makes is never write-only)."""
                from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing

                ws._drawing = SpreadsheetDrawing()
                ws._drawing.charts = ws._charts
                ws._drawing.images = ws._images
                writer = sheet_writer(ws)
                writer.write()
                ws._rels = writer._rels
                self._archive.write(writer.out, ws.path[1:])
                self.manifest.append(ws)
                writer.cleanup()

        _WRITER.append(Writer)
    return _WRITER[0]


def _sheet_writer() -> Any:
    """openpyxl's ``WorksheetWriter`` writing the merged ranges' element from their numbers:
    openpyxl makes each range again from its text, an object for each, then an element from
    each object (a third of a second for the 15,000 merged rows of a large annual report). The
    same element, so the same bytes (a test compares the files)."""
    from openpyxl.worksheet._writer import WorksheetWriter
    from openpyxl.xml.functions import Element

    class SheetWriter(WorksheetWriter):  # type: ignore[misc]
        def write_row(self, xf: Any, row: Sequence[Any], row_idx: int) -> None:
            """``WorksheetWriter.write_row`` (openpyxl 3.1), passing over a cell with no value,
            style or comment in one test: most of a large report's are the merged cells
            of its merged rows."""
            from openpyxl.cell._writer import write_cell
            from openpyxl.comments.comment_sheet import CommentRecord

            attrs = {"r": f"{row_idx}"}
            dims = self.ws.row_dimensions
            attrs.update(dims.get(row_idx, {}))
            with xf.element("row", attrs):
                for cell in row:
                    comment = cell._comment
                    if comment is not None:
                        self.ws._comments.append(CommentRecord.from_cell(cell))
                    style = cell._style
                    styled = style is not None and any(style)  # cell.has_style
                    if cell._value is None and not styled and not comment:
                        continue
                    write_cell(xf, self.ws, cell, styled)

        def write_merged_cells(self) -> None:
            ranges = list(self.ws.merged_cells)  # in the order openpyxl writes them
            if ranges:
                tree = Element("mergeCells", {"count": str(len(ranges))})
                for found in ranges:
                    tree.append(Element("mergeCell", {"ref": found.coord}))
                self.xf.send(tree)

    return SheetWriter


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

    def __init__(self, notes: Sequence[FormNote]) -> None:
        self.notes = {n.id.lower(): i for i, n in enumerate(notes, start=2)}
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


def _form_sheet(wb: Any, name: str, sections: Sequence[Section], links: _Links) -> None:
    """The self-assessment's form as the Ombudsman sets it out, walked from its layout: one table
    on one sheet (the form's columns, in the widths each column asks for, as the header), each
    section's heading on a row of its own in the text column, then what is under it: a sentence
    ("not confirmed"), a sub-heading row ("Stage 1") and a row per provision (a row more for
    each further action, its provision repeated). The Code requirement is the widest column (the
    row heights follow it), so the form prints on as few pages as it can, one page wide."""
    tables = [b for s in sections for b in s.blocks if isinstance(b, Table)]
    columns = tables[0].columns if tables else ()
    ws = _sheet(wb, name, [c.title for c in columns], [c.width or round(DEFAULT_WIDTH) for c in columns])
    r = 2
    for section in sections:
        put(ws, r, 2, section.title, bold=True)
        r += 1
        for block in section.blocks:
            if isinstance(block, Paragraph):
                put(ws, r, 2, _words(block.spans))
                r += 1
            elif isinstance(block, Table):
                for row in block.rows:
                    if row.group:
                        put(ws, r, 2, cell_words(row.cells[0]), bold=True)
                    else:
                        _table_row(ws, r, row, links, repeat=_last_label(block, row))
                    r += 1


def _last_label(table: Table, row: Row) -> Cell | None:
    """The row header a row under a spanned one repeats (the provision of a further action)."""
    at = table.rows.index(row)
    for before in reversed(table.rows[:at]):
        if not isinstance(before.label, Spanned) and not before.group:
            return before.label
    return None


def _table_row(ws: Any, r: int, row: Row, links: _Links, *, repeat: Cell | None = None) -> None:
    """A row of a table that has a sheet of its own: its header in the first column, then its cells."""
    label = repeat if isinstance(row.label, Spanned) else row.label
    if label is not None:
        _put_cell(ws, r, 1, label, links)
    for col, cell in enumerate(row.cells, start=2):
        _put_cell(ws, r, col, cell, links)


def _table_sheet(wb: Any, name: str, section: Section, links: _Links) -> None:
    """A section holding one table (the action plan) as a sheet of its own: the table's columns
    as its header row, in their widths; a section of text alone (no actions) says it under its
    heading."""
    table = next((b for b in section.blocks if isinstance(b, Table)), None)
    if table is None:
        ws = _sheet(wb, name, [section.title], [100])
        for r, block in enumerate((b for b in section.blocks if isinstance(b, Paragraph)), start=2):
            put(ws, r, 1, _words(block.spans))
        return
    ws = _sheet(wb, name, [c.title for c in table.columns], [c.width or round(DEFAULT_WIDTH) for c in table.columns])
    for r, row in enumerate(table.rows, start=2):
        _table_row(ws, r, row, links)


def _notes_sheet(wb: Any, name: str, section: Section, links: _Links) -> None:
    """The self-assessment's notes: a row each, "Note 1" beside its text."""
    ws = _sheet(wb, name, ["Note", "Text"], [10, 100])
    for r, note in enumerate((b for b in section.blocks if isinstance(b, Note)), start=2):
        put(ws, r, 1, f"Note {note.id}", bold=True)
        links.put(ws, r, 2, [note.text])


def _layout_sheets(wb: Any, layout: Layout, links: _Links) -> None:
    """Every section of a layout on the sheet it names (``sheet``; none: its title; ``-``: not
    in the workbook), sheets in the order their first section comes: the self-assessment's form
    on one sheet, a table of its own on a sheet (the action plan), notes, and the annual
    report's figures; the charts on a sheet of their own after the first sheet that has one."""
    sheets: dict[str, list[Section]] = {}
    for s in layout.sections:
        if s.sheet != "-":
            sheets.setdefault(s.sheet or s.title[:31], []).append(s)
    charts = layout.charts()
    for name, sections in sheets.items():
        blocks = [b for s in sections for b in s.blocks]
        if any(isinstance(b, Table) and b.form for b in blocks) or all(s.key.startswith("section-") for s in sections):
            _form_sheet(wb, name, sections, links)
        elif any(isinstance(b, Note) for b in blocks):
            _notes_sheet(wb, name, sections[0], links)
        elif len(sections) == 1 and all(isinstance(b, Paragraph) or (isinstance(b, Table) and b.css) for b in blocks):
            _table_sheet(wb, name, sections[0], links)
        else:
            _layout_sheet(wb, name, sections, layout.lead, links)
        if charts and any(isinstance(b, Chart) for b in blocks):
            _charts_sheet(wb, charts)
            charts = []
    links.sheet(wb)


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


@collector_paused
def assessment_workbook(form: AssessmentForm) -> bytes:
    """The self-assessment as a workbook: its layout (the same the Markdown and HTML show) a
    sheet per part (the form, the action plan, the notes, every link), then About."""
    from hcode.render.assessmentlayout import assessment_layout

    wb = _workbook()
    _layout_sheets(wb, assessment_layout(form), _Links(form.notes))
    ws = _sheet(wb, "About", ["Item", "Value"], [30, 70])
    rows: list[tuple[str, Any]] = [
        ("Landlord", form.landlord),
        ("Year", form.year),
        ("Completed", _date_or_text(form.completed)),
        ("Approved by", form.approved_by or ""),
        ("Approved", _date(form.approved)),
        ("Code", f"{form.code.title} ({form.code.code})"),
        ("Code text", form.code.attribution or ""),
    ]
    if form.scope:  # it covers some sections only, as the page says at its top
        rows.insert(2, ("Covers", scope_text(form.scope)))
    rows[1:1] = [("Modified Code", said) for said in form.modified_code]
    kind = form.form
    if kind.layout != "appendix-a":  # the 2024 workbook stays as it was
        rows.append(("Form", f"{kind.title or kind.layout}, answered {kind.answers}"))
    for r, (k, v) in enumerate(rows, start=2):
        put(ws, r, 1, k)
        put(ws, r, 2, v if v is not None else "")  # nothing recorded: nothing invented
    _left_out_sheet(wb, form.left_out)
    modified = " (judged by a modified Code: see About)" if form.modified_code else ""
    _print_setup(wb, f"{form.landlord}: Complaint Handling Code self-assessment {form.year}{modified}")
    return _save(wb)


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


def _figures_sheet(wb: Any, title: str, periods: Sequence[str], measure_width: int, notes_width: int) -> Any:
    """A sheet of figures with two header rows: each period over its three columns (Value,
    Counted, Out of), Measure and Notes over both rows; the headers and the Measure column stay
    in view."""
    headers = ["Measure"] + [text for label in periods for text in (label, "", "")] + ["Notes"]
    ws = _sheet(wb, title, headers, [measure_width] + [10, 9, 8] * len(periods) + [notes_width])
    fill = copy(ws.cell(1, 1).fill)
    for i in range(len(periods)):
        col = 2 + 3 * i
        merge(ws, 1, col, 1, col + 2)
        for j, name in enumerate(("Value", "Counted", "Out of")):
            put(ws, 2, col + j, name, bold=True).fill = fill
    for col in (1, 2 + 3 * len(periods)):
        merge(ws, 1, col, 2, col)
    ws.freeze_panes = "B3"
    return ws


#: Each sheet's merged ranges by the rows they cover, and how many ranges that counts.
_MERGED: WeakKeyDictionary[Any, tuple[int, dict[int, list[Any]]]] = WeakKeyDictionary()


def merge(ws: Any, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    """``ws.merge_cells`` with the same result (a test compares the files), faster. openpyxl
    looks through every range merged so far for one that holds the new range (1.2 s for a sheet
    of 1,500 merged rows, and quadratic): only those on the new range's first row can. It parses
    the range from its text, made from the numbers just before: the range is made from the
    numbers. And it gives each cell of the range the first cell's protection style by copying
    the style and looking the copy up once per cell: the first cell's own entry is the one it
    finds (the workbook keeps each style once), so that entry is given."""
    from openpyxl.cell.cell import MergedCell
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.worksheet.merge import MergedCellRange

    ranges = ws.merged_cells.ranges
    count, by_row = _MERGED.get(ws, (-1, {}))
    if count != len(ranges):  # ranges merged another way too: index them all
        by_row = {}
        for found in ranges:
            for row in range(found.min_row, found.max_row + 1):
                by_row.setdefault(row, []).append(found)
    mcr = MergedCellRange.__new__(MergedCellRange)  # MergedCellRange(ws, coord) without the text
    mcr.ws = ws
    CellRange.__init__(mcr, min_col=first_col, min_row=first_row, max_col=last_col, max_row=last_row)
    mcr.start_cell = None
    mcr._get_borders()
    if not any(mcr <= found for found in by_row.get(first_row, ())):
        ranges.add(mcr)
        for row in range(first_row, last_row + 1):
            by_row.setdefault(row, []).append(mcr)
    _MERGED[ws] = (len(ranges), by_row)
    start = mcr.start_cell
    if start._style is None:
        start._style = StyleArray()
    if start._style.borderId:
        border = start.border
        if any(not (side and side.style is None) for side in (border.top, border.left, border.right, border.bottom)):
            ws._clean_merge_range(mcr)  # a border to carry to the edges: openpyxl's own way
            return
    # what openpyxl's _clean_merge_range and MergedCellRange.format do when there is no border
    cells = ws._cells
    style = StyleArray()
    style.protectionId = start._style.protectionId  # copy(start.protection)'s entry: the same one
    new = object.__new__
    for row in range(first_row, last_row + 1):
        for col in range(first_col, last_col + 1):
            if row == first_row and col == first_col:
                continue
            # MergedCell(ws, row, col) given its own copy of the style, each slot set directly
            cell = cells[row, col] = new(MergedCell)
            cell.parent, cell._style, cell.row, cell.column = ws, StyleArray(style), row, col


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
    merge(ws, 1, 1, 1, len(widths))
    return ws


# -- a report's layout as a workbook ---------------------------------------------------------------

#: The width of a sheet's first (label) column; the sheets not named take the default.
_LABEL_WIDTH = {"Headline": 48}
_DEFAULT_LABEL_WIDTH = 44
_VALUE_WIDTH, _NOTES_WIDTH = 14, 24


def _figure_columns(table: Table) -> list[bool]:
    """Which of a table's value columns hold figures (each shown in three cells: the value, what
    was counted and out of what)."""
    return [any(isinstance(row.cells[i], Figure) for row in table.rows) for i in range(len(table.columns) - 1)]


def _starts(table: Table, notes_col: int = 0) -> list[int]:
    """The first workbook column of each of a table's value columns (a figure takes three); a
    last column of words ("Where we stand") goes in the sheet's ``notes_col``, its widest."""
    out, col = [], 2
    for figure in _figure_columns(table):
        out.append(col)
        col += 3 if figure else 1
    if notes_col and len(table.columns) > 2 and not table.columns[-1].numeric and not any(_figure_columns(table)):
        out[-1] = max(out[-1], notes_col)
    return out


def _width(table: Table) -> int:
    """How many workbook columns a table takes, its label column included."""
    return 1 + sum(3 if f else 1 for f in _figure_columns(table))


def _words(spans: Sequence[Span]) -> str:
    return "".join(s.text for s in spans)


def _put_cell(ws: Any, row: int, col: int, cell: Cell, links: _Links) -> None:
    """One cell of a layout's table, stored as what it is: a number as a number (a percentage as
    a fraction shown as %), money as money, a day as a date, text as text."""
    from hcode.core.benchmarks import PLACES

    if isinstance(cell, Figure):
        _figure(ws, row, col, None if cell.cell is None else dict(cell.cell), cell.unit)
    elif isinstance(cell, Rich):
        links.put(ws, row, col, [cell.text])
    elif isinstance(cell, Text):
        put(ws, row, col, cell.text)
    elif isinstance(cell, Count):
        put(ws, row, col, "n/a" if cell.value is None else cell.value)
    elif isinstance(cell, Number):
        put(ws, row, col, "n/a" if cell.value is None else cell.value, fmt="0.0")
    elif isinstance(cell, Money):
        put(ws, row, col, "n/a" if cell.value is None else cell.value, fmt="£#,##0.00")
    elif isinstance(cell, Change):
        if cell.value is not None:
            put(ws, row, col, cell.value, fmt="+0;-0;0")  # +5, as Markdown writes it
    elif isinstance(cell, Bench):
        fmt = "0.00" if PLACES[cell.key] == 2 else "0.0"
        put(ws, row, col, cell.empty if cell.value is None else cell.value, fmt=fmt)
    elif isinstance(cell, Date):
        put(ws, row, col, _date_or_text(cell.value))
    elif isinstance(cell, Tick):
        put(ws, row, col, "✓")
    elif isinstance(cell, Items):
        listed = [f"• {i}" for i in cell.items] if len(cell.items) > 1 else list(cell.items)
        listed += [cell.after] if cell.after else []
        if listed:
            links.put(ws, row, col, listed)
        else:
            put(ws, row, col, cell.empty)
    elif isinstance(cell, Paras):
        links.put(ws, row, col, cell.items, sep="\n\n")
    elif isinstance(cell, Act):
        texts = [
            cell.action,
            *([also_text(cell.also)] if cell.also else []),
            *(f"Progress: {p}" for p in cell.progress),
        ]
        links.put(ws, row, col, texts, sep="\n\n")
    elif isinstance(cell, Spanned):
        return
    else:
        put(ws, row, col, "no data")


def _row_notes(table: Table, row: Row) -> str:
    """What the Notes column says of a row's figures: "no data: Q1, Q2; entered by hand: Year"."""
    found: dict[str, list[str]] = {}
    for column, cell in zip(table.columns[1:], row.cells, strict=True):
        if isinstance(cell, Figure):
            note = _cell_note(None if cell.cell is None else dict(cell.cell), cell.unit)
            if note:
                found.setdefault(note, []).append(column.short or column.title)
    return "; ".join(f"{note}: {', '.join(where)}" for note, where in found.items())


def _header(ws: Any, row: int, name: str, table: Table, notes_col: int) -> int:
    """A table's header rows inside a sheet of several (its name over the label column, each
    value column's title over its cells; Value, Counted and Out of under a figure's); the next row."""
    from openpyxl.utils import get_column_letter

    fill = copy(ws.cell(1, 1).fill)
    figures = _figure_columns(table)
    put(ws, row, 1, name, bold=True).fill = fill
    starts = _starts(table, notes_col)
    for column, start, figure in zip(table.columns[1:], starts, figures, strict=True):
        width = ws.column_dimensions[get_column_letter(start)].width or DEFAULT_WIDTH
        put(ws, row, start, column.title if figure else _header_text(column.title, width), bold=True).fill = fill
        for extra in range(1, 3 if figure else 1):
            put(ws, row, start + extra, "", bold=True).fill = fill
    if not any(figures):
        for gap in sorted(set(range(2, max(starts, default=1))) - set(starts)):  # before a moved last column
            put(ws, row, gap, "", bold=True).fill = fill
        return row + 1
    put(ws, row, notes_col, "Notes", bold=True).fill = fill
    for i in range(2, notes_col):
        put(ws, row + 1, i, "", bold=True).fill = fill
    for start, figure in zip(_starts(table), figures, strict=True):
        for j, text in enumerate(("Value", "Counted", "Out of") if figure else ()):
            put(ws, row + 1, start + j, text, bold=True).fill = fill
    put(ws, row + 1, 1, "", bold=True).fill = fill
    put(ws, row + 1, notes_col, "", bold=True).fill = fill
    return row + 2


def _rows(ws: Any, row: int, table: Table, links: _Links, notes_col: int, last: int) -> int:
    """A table's rows from ``row``; the next free row. A table without row headers (the
    improvements) puts its first cell in the label column and its last across to ``last``."""
    from openpyxl.styles import Font

    starts = _starts(table, notes_col)
    figures = any(_figure_columns(table))
    for item in table.rows:
        if table.row_headers:
            if isinstance(item.label, Rich):
                links.put(ws, row, 1, [item.label.text])
            else:
                put(ws, row, 1, cell_words(item.label), bold=item.total)
            for cell, col in zip(item.cells, starts, strict=True):
                _put_cell(ws, row, col, cell, links)
                if item.total and isinstance(cell, Count):
                    ws.cell(row, col).font = Font(name=FONT, size=FONT_SIZE, bold=True)
            notes = _row_notes(table, item) if figures else ""
            if notes:
                put(ws, row, notes_col, notes)
        else:
            for i, cell in enumerate(item.cells):
                _put_cell(ws, row, 1 + i, cell, links)
            if len(item.cells) > 1 and last > len(item.cells):
                merge(ws, row, len(item.cells), row, last)
        row += 1
    if table.footnote:
        row = _text_row(ws, row, _words(table.footnote), last)
    return row


def _text_row(ws: Any, row: int, text: str, last: int, *, bold: bool = False) -> int:
    """A line of text across the sheet's columns; the next row."""
    put(ws, row, 1, text, bold=bold)
    if last > 1:
        merge(ws, row, 1, row, last)
    return row + 1


def _blocks(
    ws: Any, row: int, section: Section, links: _Links, notes_col: int, first: Table | None, *, heading: bool = True
) -> int:
    """A section's blocks from ``row`` (``first``: the table heading the sheet, written already).
    A section that does not open with a table opens with its heading (``heading``: unless the
    sheet's own first row names it)."""
    begins = row
    headed = heading and bool(section.blocks) and not isinstance(section.blocks[0], Table)
    if headed:
        row = _block(ws, row + (1 if row > 3 else 0), [section.title])
        merge(ws, row - 1, 1, row - 1, notes_col)
    for block in section.blocks:
        if block is first:
            continue
        if isinstance(block, Table):  # named by its caption, else its section's heading, once
            name = block.caption or (block.columns[0].title if headed else section.title)
            row = _header(ws, row + (1 if row > 3 else 0), name, block, notes_col)
            row = _rows(ws, row, block, links, notes_col, notes_col)
        elif isinstance(block, Paragraph):
            row = _text_row(ws, row, _words(block.spans), notes_col, bold=bool(block.box))
        elif isinstance(block, RichBlock):
            links.put(ws, row, 1, [block.text])
            merge(ws, row, 1, row, notes_col)
            row += 1
        elif isinstance(block, Bullets):
            if block.lead:
                row = _text_row(ws, row, _words(block.lead), notes_col, bold=bool(block.box))
            for item in block.items:
                if isinstance(item, Rich):
                    links.put(ws, row, 1, [item.text])
                    merge(ws, row, 1, row, notes_col)
                    row += 1
                else:
                    row = _text_row(ws, row, _words(item), notes_col)
    if row - 1 > begins:  # printed on one page where it fits on one
        ws._hcode_tables = [*getattr(ws, "_hcode_tables", []), (begins, row - 1)]
    return row


def _first_table(section: Section) -> Table | None:
    return next((b for b in section.blocks if isinstance(b, Table)), None)


def _statement_rows(ws: Any, row: int, sections: Sequence[Section], links: _Links, last: int) -> int:
    """Sections of text alone (the statements), as rows of a "Statement | Text" table: the
    section's heading, and its text across the columns from B to ``last``."""
    row = _block(ws, row + 1, ["Statement", "Text"])
    merge(ws, row - 1, 2, row - 1, last)
    for s in sections:
        put(ws, row, 1, s.title)
        for block in s.blocks:
            if isinstance(block, RichBlock):
                links.put(ws, row, 2, [block.text])
            elif isinstance(block, Paragraph):
                put(ws, row, 2, _words(block.spans))
        merge(ws, row, 2, row, last)
        row += 1
    return row


def _text_only(section: Section) -> bool:
    return all(isinstance(b, RichBlock | Paragraph) for b in section.blocks) and any(
        isinstance(b, RichBlock) or b.box == "placeholder"
        for b in section.blocks
        if isinstance(b, RichBlock | Paragraph)
    )


def _layout_sheet(wb: Any, name: str, sections: Sequence[Section], lead: Sequence[Block], links: _Links) -> None:
    """One sheet of the workbook: its sections' tables one below the other. A sheet whose first
    table holds figures is headed by that table (two header rows, frozen), else by a row naming
    what the sheet holds; the statements follow its figures."""
    tables = [b for s in sections for b in s.blocks if isinstance(b, Table)]
    width = max([_width(t) for t in tables] + [2])
    figures = any(any(_figure_columns(t)) for t in tables)
    notes_col = width + 1 if figures else width

    def order(s: Section) -> int:  # the figures, then the statements, then lists (learning)
        return 1 if _text_only(s) else 2 if any(isinstance(b, Bullets) for b in s.blocks) else 0

    sections = sorted(sections, key=order)
    first = next((t for s in sections if not _text_only(s) for t in s.blocks if isinstance(t, Table)), None)
    label = _LABEL_WIDTH.get(name, _DEFAULT_LABEL_WIDTH)
    if first is not None and any(_figure_columns(first)):
        periods = [c.title for c, f in zip(first.columns[1:], _figure_columns(first), strict=True) if f]
        periods += [""] * ((width - 1) // 3 - len(periods))
        ws = _figures_sheet(wb, name, periods, label, _NOTES_WIDTH)
        row = _rows(ws, 3, first, links, notes_col, notes_col)
        for block in lead:  # a provisional year, no case records: said beside the figures
            if isinstance(block, Paragraph) and block.box:
                row = _text_row(ws, row, _words(block.spans), notes_col, bold=True)
        headed = row  # the rows the sheet's header heads: its first table's
    else:
        widths = [label] + [_VALUE_WIDTH] * (width - 1) + ([_NOTES_WIDTH] if figures else [])
        ws = _stacked(wb, name, ", ".join(s.title for s in sections), widths)
        row, first = 2, None
        headed = 0  # the first row names what the sheet holds: it heads every page
    texts: list[Section] = []
    for s in sections:
        if _text_only(s):
            texts.append(s)
            continue
        if texts:
            row = _statement_rows(ws, row, texts, links, notes_col)
            texts = []
        row = _blocks(ws, row, s, links, notes_col, first, heading=len(sections) > 1 or first is not None)
    if texts:
        row = _statement_rows(ws, row, texts, links, notes_col)
    if headed and row > headed:
        # the figures' header rows head their table alone: repeated on a later page they would
        # stand over the statements and tables below it, which have headers of their own
        ws._hcode_print_titles = False


def _charts_sheet(wb: Any, charts: Sequence[Chart]) -> None:
    """The report's charts on one sheet (one printed page): the figures each shows at the top,
    side by side, then the charts beneath them (native Excel charts drawn from those cells)."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    widths: list[int] = []
    blocks: list[tuple[int, Chart]] = []
    for chart in charts:
        if widths:
            widths.append(4)  # a gap between two charts' figures
        blocks.append((len(widths) + 1, chart))
        widths += [24 if chart.horizontal else 12] + [12] * len(chart.series)
    ws = _stacked(wb, "Charts", "Charts, and the figures they show", widths)
    fill = copy(ws.cell(1, 1).fill)
    last = 3
    made = []
    for col, chart in blocks:
        put(ws, 2, col, chart.title, bold=True).fill = fill
        merge(ws, 2, col, 2, col + len(chart.series))
        put(ws, 3, col, "Category" if chart.horizontal else "Quarter", bold=True).fill = fill
        for j, (series, values) in enumerate(chart.series, start=1):
            put(ws, 3, col + j, series, bold=True).fill = fill
            for i, value in enumerate(values):
                if chart.unit == "%":
                    share = None if value is None else round(value / 100.0, percent.PERCENT_PLACES + 2)
                    put(ws, 4 + i, col + j, share, fmt=percent.EXCEL_PERCENT)
                else:
                    put(ws, 4 + i, col + j, value)  # None (an empty cell): nothing to count
        for i, category in enumerate(chart.categories):
            put(ws, 4 + i, col, category)
        n = 3 + len(chart.categories)
        last = max(last, n)
        drawn = BarChart()
        if chart.horizontal:
            drawn.type = "bar"
        drawn.title = chart.title
        if chart.unit == "%":
            drawn.y_axis.number_format = "0%"  # axis ticks: whole percentages
        drawn.add_data(
            Reference(ws, min_col=col + 1, max_col=col + len(chart.series), min_row=3, max_row=n), titles_from_data=True
        )
        drawn.set_categories(Reference(ws, min_col=col, min_row=4, max_row=n))
        made.append(drawn)
    # side by side, each starting in the first column clear of the one before
    starts: list[int] = []
    edge, col = 0.0, 1
    while len(starts) < len(made):
        if edge >= len(starts) * CHART_UNITS:
            starts.append(col)
        edge += ws.column_dimensions[get_column_letter(col)].width or DEFAULT_WIDTH
        col += 1
    for drawn, start in zip(made, starts, strict=True):
        drawn.width, drawn.height = CHART_CM, 8.0
        ws.add_chart(drawn, f"{get_column_letter(start)}{last + 2}")


@collector_paused
def annual_workbook(ctx: dict[str, Any]) -> bytes:
    """The annual report as a workbook: its layout (``ctx["layout"]``, the same the Markdown and
    HTML show) a sheet per part (each section's ``sheet``), the charts on a sheet of their own
    after the first sheet that has one, the self-assessment (its appendix), About, and the files
    left out."""
    layout: Layout = ctx["layout"]
    wb = _workbook()
    assessment: AssessmentForm | None = ctx.get("assessment")
    _layout_sheets(wb, layout, _Links(assessment.notes if assessment else ()))
    _annual_about(wb, ctx)
    _left_out_sheet(wb, ctx.get("left_out") or [])
    period = f"{_long_date(ctx['period']['start'])} to {_long_date(ctx['period']['end'])}"
    _print_setup(
        wb, f"{ctx['landlord']}: annual complaints performance and service improvement report {ctx['year']} ({period})"
    )
    return _save(wb)


def _long_date(text: str) -> str:
    day = date.fromisoformat(text)
    return f"{day.day} {day:%B %Y}"


def _annual_about(wb: Any, ctx: dict[str, Any]) -> None:
    """The "About" sheet, as in the self-assessment workbook: who, which year, as of when,
    which edition of the Code, how to read the figures and how they were counted."""
    ws = _sheet(wb, "About", ["Item", "Value"], [20, 80])
    assessment: AssessmentForm | None = ctx.get("assessment")
    rows: list[tuple[str, Any]] = [
        ("Landlord", ctx["landlord"]),
        ("Report", "Annual complaints performance and service improvement report (Code 8.1 and 8.2)"),
        ("Year", ctx["year"]),
        ("Period", f"{_long_date(ctx['period']['start'])} to {_long_date(ctx['period']['end'])}"),
        ("Figures as of", _date(ctx.get("as_of")) or "not recorded"),
        ("Homes", ctx["homes"] if ctx.get("homes") is not None else "not recorded"),
        ("Previous year", ctx["previous_year"] or "no data"),
    ]
    if assessment:
        rows.append(("Code", f"{assessment.code.title} ({assessment.code.code})"))
    if assessment and assessment.scope:
        rows.append(("Self-assessment covers", scope_text(assessment.scope)))
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


@collector_paused
def tsm_return_workbook(doc: TsmReturnFigures) -> bytes:
    """The TSM return (:func:`hcode.core.tsmreturn.tsm_return`): a sheet "Return" with a row per
    question (the return's label and wording) and a column per stock type, then the statement of
    target timescales used for CH02 and where the wording comes from."""
    wb = _workbook()
    types = doc.stock_types
    ws = _sheet(
        wb, "Return", ["Question", "The return's wording", *[t.name for t in types]], [26, 60] + [18] * len(types)
    )
    r = 2
    for q in doc.questions:
        put(ws, r, 1, q.label)
        put(ws, r, 2, q.wording)
        for col, t in enumerate(types, start=3):
            value = t.answer(q.key)
            if value is None:
                put(ws, r, col, "n/a")
            elif q.key.startswith("ch02_") and q.key[-1] in "12":
                put(ws, r, col, round(float(value) / 100.0, percent.PERCENT_PLACES + 2), fmt=percent.EXCEL_PERCENT)
            elif q.key.startswith("ch01_") and q.key[-1] in "12":
                put(ws, r, col, value, fmt=percent.EXCEL_RATE)
            else:
                put(ws, r, col, value, fmt="#,##0")
        r += 1
    r += 1
    for line in tsm_return_notes(doc):
        put(ws, r, 1, line)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2 + len(types))
        r += 1
    _print_setup(wb, f"{doc.landlord}: TSM return, complaints (CH01, CH02) {doc.year}")
    return _save(wb)


def tsm_return_notes(doc: TsmReturnFigures) -> list[str]:
    """What the return's figures rest on, in words: provisional, complaints with no stock type,
    the statement of target timescales, and the source of the wording."""
    lines = []
    if doc.provisional:
        lines.append(
            f"PROVISIONAL: as at {doc.as_at}, {doc.pending} complaint(s) made in {doc.year} are not yet "
            "answered and still within the Code's timescale."
        )
    n = doc.not_recorded
    if not doc.split:
        lines.append(
            "hcode.yaml does not split this year's homes into lcra and lcho: only the combined figures can be given."
            + (" (tsm: combine is false: give the split to report per stock type)" if doc.combine is False else "")
        )
    elif n is not None and (n.stage1 or n.stage2):
        lines.append(
            f"Complaints with no stock type recorded (tenure: in the case file): {n.stage1} at stage 1, "
            f"{n.stage2} at stage 2; "
            + (
                "with tsm: combine false they are in no column: record their tenure"
                if doc.combine is False
                else "they are in the combined column only."
            )
        )
    lines.append("Target timescales used for CH02:")
    lines += [f"- {t}" for t in doc.timescales]
    lines.append("Wording: " + doc.source)
    return lines
