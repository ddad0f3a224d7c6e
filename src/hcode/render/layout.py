"""One layout for a published report, walked by every format.

A report is built once (:mod:`hcode.render.reportlayout`) as a :class:`Layout`: sections, each
with a heading and blocks (paragraphs, notices, rich text, lists, tables and charts); a table
has columns and rows of typed cells (text, rich text, a count, a figure with what it was counted
from, a rate, days, money, a change, a benchmark, a date, "no data"). The Markdown and HTML
renderers here and the Excel renderer (:mod:`hcode.render.excel`) walk the same layout, so a new
row, table or section is one edit in the builder and shows in every format.

Every text in a layout is text that passed the privacy gate: the renderers take only a
:class:`~hcode.render.gate.Public` layout (:func:`hcode.render.gate.gate` walks the layout's
dataclasses and clears every string in it, labels and cells alike).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hcode.render import richtext
from hcode.render.richtext import escape

# -- cells -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """Plain text (a label, a name): escaped in every format."""

    text: str


@dataclass(frozen=True, slots=True)
class Rich:
    """Rich text written by the landlord (paragraphs, lists, links, references to notes)."""

    text: str | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Count:
    """A whole number (``n/a`` where there is none)."""

    value: int | None


@dataclass(frozen=True, slots=True)
class Figure:
    """A published figure with what it was counted from (``cell``: the figures' JSON cell) in its
    unit: count, percent or per_1000_homes. ``detail``: a rate with what it is worked out from,
    "40.62 (26 complaints, 640 homes)", and ``year`` for its "no homes figure" text."""

    cell: Mapping[str, Any] | None
    unit: str
    detail: bool = False
    year: str = ""


@dataclass(frozen=True, slots=True)
class Number:
    """A number to ``places`` decimal places (working days): ``n/a`` where there is none."""

    value: float | None
    places: int = 1


@dataclass(frozen=True, slots=True)
class Money:
    value: float | None


@dataclass(frozen=True, slots=True)
class Change:
    """A change from the year before: ``+5``; blank where there is nothing to compare."""

    value: int | None


@dataclass(frozen=True, slots=True)
class Bench:
    """A benchmark figure to the places of its measure (``key``); ``empty`` where there is none."""

    value: float | None
    key: str
    empty: str = "n/a"


@dataclass(frozen=True, slots=True)
class Date:
    """A day, as ISO text (a date cell in Excel)."""

    value: str


@dataclass(frozen=True, slots=True)
class NoData:
    """No data: never shown as 0."""


Cell = Text | Rich | Count | Figure | Number | Money | Change | Bench | Date | NoData

# -- blocks ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a paragraph: plain, ``strong`` or ``code`` (a file or key name)."""

    text: str
    style: str = ""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph. ``box``: a boxed notice (``placeholder``, ``provisional``), a quotation in
    Markdown; ``note``: a notice a screen reader announces as a note; ``css``: an HTML class of
    a plain paragraph."""

    spans: tuple[Span, ...]
    box: str = ""
    note: bool = False
    css: str = ""


@dataclass(frozen=True, slots=True)
class RichBlock:
    """Rich text standing as a section of its own (a statement)."""

    text: str


@dataclass(frozen=True, slots=True)
class Bullets:
    """A list, with the paragraph that leads into it; ``box``: a boxed notice around both."""

    lead: tuple[Span, ...]
    items: tuple[tuple[Span, ...] | Rich, ...]
    box: str = ""


@dataclass(frozen=True, slots=True)
class Column:
    """A column's title; ``numeric``: aligned as numbers; ``short``: its name in notes and on a
    chart's axis (Q1)."""

    title: str
    numeric: bool = False
    short: str = ""


@dataclass(frozen=True, slots=True)
class Row:
    """A table row: its label (the row's header, unless the table has none) and cells;
    ``total``: a row that sums the rows above it."""

    label: Cell
    cells: tuple[Cell, ...]
    total: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A table. ``caption``: its own name (HTML shows it; Markdown, which has no captions, puts
    ``md_head`` in the first header instead where one is given); without a caption the section's
    heading names it. ``row_headers``: the first column heads each row. ``footnote``: a line
    under it."""

    key: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    caption: str = ""
    md_head: str = ""
    row_headers: bool = True
    footnote: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart as data: bars per category, one series each (None: nothing to count, never 0).
    ``horizontal``: bars drawn sideways (long category names); ``unit`` "%" with ``maximum``."""

    key: str
    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    unit: str = ""
    maximum: float | None = None
    horizontal: bool = False


Block = Paragraph | RichBlock | Bullets | Table | Chart


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and what is under it. ``anchor``: its HTML id (none: no id); ``sheet``: the
    workbook sheet it goes on (see :mod:`hcode.render.excel`)."""

    key: str
    title: str
    blocks: tuple[Block, ...]
    anchor: str = ""
    sheet: str = ""


@dataclass(frozen=True)
class Layout:
    """A report: its title and the lead under it, its sections, and what closes it."""

    title: str
    lead: tuple[Block, ...]
    sections: tuple[Section, ...]
    notes: Mapping[str, str] = field(default_factory=dict)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def table(self, key: str) -> Table | None:
        for s in self.sections:
            for b in s.blocks:
                if isinstance(b, Table) and b.key == key:
                    return b
        return None

    def charts(self) -> list[Chart]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Chart)]


# -- a cell in words (Markdown and HTML) -------------------------------------------------------------


def cell_words(cell: Cell) -> str:
    """A cell as the reader sees it in Markdown and HTML, before escaping."""
    from hcode.render import figuretext as report

    if isinstance(cell, Text):
        return cell.text
    if isinstance(cell, Count):
        return "n/a" if cell.value is None else f"{cell.value:,}"
    if isinstance(cell, Figure):
        if cell.detail:
            return report.ch01(dict(cell.cell or {}), cell.year) if cell.cell is not None else report.NO_DATA_TEXT
        return report.figure(None if cell.cell is None else dict(cell.cell), cell.unit)
    if isinstance(cell, Number):
        return report.number(cell.value, cell.places)
    if isinstance(cell, Money):
        return report.money(cell.value)
    if isinstance(cell, Change):
        return "" if cell.value is None else f"{cell.value:+d}"
    if isinstance(cell, Bench):
        return report.bench(cell.value, cell.key, cell.empty)
    if isinstance(cell, Date):
        return cell.value
    if isinstance(cell, NoData):
        return report.NO_DATA_TEXT
    return cell.text or ""


# -- Markdown --------------------------------------------------------------------------------------


def _md_spans(spans: Sequence[Span]) -> str:
    out = []
    for s in spans:
        text = " ".join(s.text.split("\n"))
        if s.style == "strong":
            out.append(f"**{richtext.md_escape(text)}**")
        elif s.style == "code":
            out.append(f"`{text.replace('`', '')}`")
        else:
            out.append(richtext.md_escape(text))
    return "".join(out)


def _md_cell(cell: Cell, notes: Sequence[str]) -> str:
    from hcode.render.figuretext import md

    if isinstance(cell, Rich):
        return richtext.md_cell(cell.text, cell.notes or notes)
    return md(cell_words(cell))


def _md_table(t: Table, notes: Sequence[str]) -> str:
    heads = [c.title for c in t.columns]
    if t.md_head:
        heads[0] = t.md_head
    from hcode.render.figuretext import md

    lines = ["| " + " | ".join(md(h) for h in heads) + " |", "|" + "---|" * len(heads)]
    for row in t.rows:
        cells = [row.label, *row.cells] if t.row_headers else list(row.cells)
        lines.append("| " + " | ".join(_md_cell(c, notes) for c in cells) + " |")
    if t.footnote:
        lines += ["", _md_spans(t.footnote)]
    return "\n".join(lines)


def _md_block(b: Block, notes: Sequence[str], chart_files: Mapping[str, str]) -> str | None:
    if isinstance(b, Paragraph):
        text = _md_spans(b.spans)
        return "> " + text if b.box else text
    if isinstance(b, RichBlock):
        return richtext.md_block(b.text, notes).rstrip("\n")
    if isinstance(b, Bullets):
        items = [richtext.md_cell(i.text, notes) if isinstance(i, Rich) else _md_spans(i) for i in b.items]
        lead = [_md_spans(b.lead), ""] if b.lead else []
        return "\n".join([*lead, *(f"- {i}" for i in items)])
    if isinstance(b, Table):
        return _md_table(b, notes)
    if b.key in chart_files:  # a chart: an image beside the report when written to a folder
        return f"![{b.title}]({chart_files[b.key]})"
    return None


def markdown(layout: Layout, chart_files: Mapping[str, str] | None = None, *, head: bool = True) -> str:
    """The layout as Markdown: ``# title``, the lead, then each section (``##``); charts are
    images named in ``chart_files`` (none: left out). ``head``: with the title and lead."""
    notes = list(layout.notes)
    files = chart_files or {}
    parts: list[str] = []
    if head:
        parts.append(f"# {layout.title}")
        parts += [x for x in (_md_block(b, notes, files) for b in layout.lead) if x is not None]
    for s in layout.sections:
        parts.append(f"## {s.title}")
        parts += [x for x in (_md_block(b, notes, files) for b in s.blocks) if x is not None]
    return "\n\n".join(parts) + "\n"


# -- HTML ------------------------------------------------------------------------------------------


_NUM = ' class="num"'


def _html_spans(spans: Sequence[Span]) -> str:
    out = []
    for s in spans:
        text = escape(s.text)
        out.append(f"<strong>{text}</strong>" if s.style == "strong" else f"<code>{text}</code>" if s.style else text)
    return "".join(out)


def _html_cell(cell: Cell, notes: Sequence[str]) -> str:
    if isinstance(cell, Rich):
        return richtext.html(cell.text, cell.notes or notes)
    return escape(cell_words(cell))


def _html_table(t: Table, labelled_by: str, notes: Sequence[str]) -> str:
    ident = t.key if t.caption else labelled_by
    head = "".join(f'<th scope="col"{_NUM if c.numeric else ""}>{escape(c.title)}</th>' for c in t.columns)
    out = [
        f'<div class="table-wrap" role="region" aria-labelledby="{ident}" tabindex="0">',
        f'<table aria-labelledby="{ident}">',
    ]
    if t.caption:
        out.append(f'<caption id="{ident}">{escape(t.caption)}</caption>')
    out += [f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for row in t.rows:
        cells = [row.label, *row.cells] if t.row_headers else list(row.cells)
        tds = []
        for i, (col, cell) in enumerate(zip(t.columns, cells, strict=True)):
            text = _html_cell(cell, notes)
            if i == 0 and t.row_headers:
                tds.append(f'<th scope="row">{text}</th>')
            else:
                tds.append(f"<td{_NUM if col.numeric else ''}>{text}</td>")
        css = ' class="total"' if row.total else ""
        out.append(f"<tr{css}>{''.join(tds)}</tr>")
    out += ["</tbody>", "</table>", "</div>"]
    if t.footnote:
        out.append(f'<p class="note">{_html_spans(t.footnote)}</p>')
    return "\n".join(out)


def _html_block(b: Block, section: Section, notes: Sequence[str], charts: Mapping[str, str]) -> str | None:
    if isinstance(b, Paragraph):
        attrs = f' class="{b.box or b.css}"' if (b.box or b.css) else ""
        role = ' role="note"' if b.note else ""
        return f"<p{attrs}{role}>{_html_spans(b.spans)}</p>"
    if isinstance(b, RichBlock):
        return f"<div>{richtext.html(b.text, notes)}</div>"
    if isinstance(b, Bullets):
        items = "".join(
            f"<li>{richtext.html(i.text, notes) if isinstance(i, Rich) else _html_spans(i)}</li>\n" for i in b.items
        )
        body = (f"<p>{_html_spans(b.lead)}</p>\n" if b.lead else "") + f"<ul>\n{items}</ul>"
        return f'<section class="{b.box}" role="note">\n{body}\n</section>' if b.box else body
    if isinstance(b, Table):
        return _html_table(b, section.anchor, notes)
    if b.key in charts:
        return f'<figure class="chart">{charts[b.key]}</figure>'
    return None


def html(layout: Layout, charts: Mapping[str, str] | None = None, *, head: bool = True) -> str:
    """The layout as the body of an HTML page (the page itself is ``base.html.j2``): ``h1``, the
    lead, each section under an ``h2``; charts are the SVG drawn for each (see
    :func:`hcode.render.report.chart_svg`)."""
    notes = list(layout.notes)
    drawn = charts or {}
    parts: list[str] = []
    if head:
        parts.append(f"<h1>{escape(layout.title)}</h1>")
        parts += [x for x in (_html_block(b, _NO_SECTION, notes, drawn) for b in layout.lead) if x is not None]
    for s in layout.sections:
        heading = f'<h2 id="{s.anchor}">' if s.anchor else "<h2>"
        blocks = [x for x in (_html_block(b, s, notes, drawn) for b in s.blocks) if x is not None]
        parts.append("\n".join([f"{heading}{escape(s.title)}</h2>", *blocks]))
    return "\n\n".join(parts) + "\n"


_NO_SECTION = Section("", "", ())
