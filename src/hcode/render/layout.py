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
    """Rich text written by the landlord (paragraphs, lists, links, references to notes);
    ``plain``: the Code's own text, where "see note 1" is never a link to a note."""

    text: str | None
    notes: tuple[str, ...] = ()
    plain: bool = False


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


@dataclass(frozen=True, slots=True)
class Tick:
    """A tick in the column of the answer given (``word``: Yes, No, N/A, said to screen readers)."""

    word: str


@dataclass(frozen=True, slots=True)
class Items:
    """Rich texts listed in one cell (evidence: bulleted where there are several), then ``after``
    (a commentary) on its own; ``empty``: what the cell says when it holds neither."""

    items: tuple[str, ...]
    after: str | None = None
    empty: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Paras:
    """Rich texts in one cell, each a paragraph of its own (notes on progress)."""

    items: tuple[str, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Act:
    """An action in a cell: what is to be done, the other provisions it is for (``also``: all of
    them, where more than one), and its notes on progress."""

    action: str
    also: tuple[str, ...] = ()
    progress: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Spanned:
    """A cell covered by the cell above it (a provision with several actions, each on a row of
    its own): HTML spans the cell above over it, Markdown leaves it empty; a workbook repeats a
    row header there, so that every row can be sorted and filtered."""


Cell = (
    Text
    | Rich
    | Count
    | Figure
    | Number
    | Money
    | Change
    | Bench
    | Date
    | NoData
    | Tick
    | Items
    | Paras
    | Act
    | Spanned
)

# -- blocks ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a paragraph: plain, ``strong``, ``code`` (a file or key name) or ``rich`` (rich
    text on one line: a link)."""

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
    chart's axis (Q1); ``card``: named beside its value where the table becomes a card per row
    (HTML on a phone); ``width``: its width in a workbook, in characters (0: the sheet's own)."""

    title: str
    numeric: bool = False
    short: str = ""
    card: bool = False
    width: int = 0


@dataclass(frozen=True, slots=True)
class Row:
    """A table row: its label (the row's header, unless the table has none) and cells;
    ``total``: a row that sums the rows above it."""

    label: Cell
    cells: tuple[Cell, ...]
    total: bool = False
    #: a sub-heading across the table ("Stage 1"), its text the first cell
    group: bool = False


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
    #: a table of the self-assessment's form (HTML: its ``css`` class, "cards" becoming a card per
    #: row on a phone; a workbook: one sheet for every section's form table, see excel.py)
    css: str = ""
    form: bool = False
    #: HTML: the table scrolls in a box of its own (a form table in cards does not)
    wrap: bool = True


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


@dataclass(frozen=True, slots=True)
class Note:
    """A note of the self-assessment: "Note 1", its anchor, its text (rich, a section of its own)."""

    id: str
    text: str
    anchor: str
    notes: tuple[str, ...] = ()


Block = Paragraph | RichBlock | Bullets | Table | Chart | Note


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and what is under it. ``anchor``: its HTML id (none: no id); ``sheet``: the
    workbook sheet it goes on (see :mod:`hcode.render.excel`; ``-``: none, the workbook says it
    elsewhere); ``level``: 2 for a heading under the title, 3 under a part's (an appendix);
    ``css``: HTML wraps it in a ``<section>`` of that class; ``tight``: HTML puts no blank line
    before it; ``gap``: a blank line more before it (Markdown and HTML)."""

    key: str
    title: str
    blocks: tuple[Block, ...]
    anchor: str = ""
    sheet: str = ""
    level: int = 2
    css: str = ""
    tight: bool = False
    gap: bool = False


@dataclass(frozen=True)
class Layout:
    """A report: its title and the lead under it, its sections, and what closes it."""

    title: str
    lead: tuple[Block, ...]
    sections: tuple[Section, ...]
    notes: Mapping[str, str] = field(default_factory=dict)
    #: what closes the page (Markdown: after a rule; HTML: a footer)
    footer: tuple[Span, ...] = ()
    #: HTML: no blank line between the title and the lead's paragraphs
    tight: bool = False

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
    """A cell as the reader sees it in Markdown and HTML, before escaping (rich text and the
    self-assessment's cells are written by each format: see :func:`_md_cell`, :func:`_html_cell`)."""
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
    if isinstance(cell, Tick):
        return "✓"
    if isinstance(cell, Items):
        return "\n".join([*cell.items, *([cell.after] if cell.after else [])]) or cell.empty
    if isinstance(cell, Paras):
        return "\n\n".join(cell.items)
    if isinstance(cell, Act):
        return cell.action
    if isinstance(cell, Spanned):
        return ""
    return cell.text or ""


def cell_markup(cell: Cell, html: bool, notes: Sequence[str] = ()) -> str:
    """One cell as HTML or as a Markdown table cell."""
    return _html_cell(cell, notes) if html else _md_cell(cell, notes)


def also_text(provisions: Sequence[str]) -> str:
    """The provisions an action is for, beside it in a cell."""
    return "For provisions " + ", ".join(provisions)


# -- Markdown --------------------------------------------------------------------------------------


def _md_spans(spans: Sequence[Span]) -> str:
    out = []
    for s in spans:
        text = " ".join(s.text.split("\n"))
        if s.style == "strong":
            out.append(f"**{richtext.md_escape(text)}**")
        elif s.style == "code":
            out.append(f"`{text.replace('`', '')}`")
        elif s.style == "rich":
            out.append(richtext.md_cell(s.text))
        else:
            out.append(richtext.md_escape(text))
    return "".join(out)


def _md_cell(cell: Cell, notes: Sequence[str]) -> str:
    from hcode.render.figuretext import md

    if isinstance(cell, Rich):
        return richtext.md_cell(cell.text, () if cell.plain else (cell.notes or notes))
    if isinstance(cell, Items):
        listed = [richtext.md_cell(i, cell.notes) for i in cell.items]
        if len(listed) > 1:
            listed = [f"• {i}" for i in listed]
        if cell.after:
            listed.append(richtext.md_cell(cell.after, cell.notes))
        return "<br>".join(listed) if listed else md(cell.empty)
    if isinstance(cell, Paras):
        return "<br><br>".join(richtext.md_cell(i, cell.notes) for i in cell.items)
    if isinstance(cell, Act):
        text = richtext.md_cell(cell.action, cell.notes)
        if cell.also:
            text += f"<br>(for provisions {', '.join(cell.also)})"
        return text + "".join(f"<br>Progress: {richtext.md_cell(p, cell.notes)}" for p in cell.progress)
    return md(cell_words(cell))


def _md_row(cells: Sequence[str | None]) -> str:
    """A Markdown table row; None: a cell left empty for the one above (``| |``)."""
    return "|" + "".join(" |" if c is None else f" {c} |" for c in cells)


def _md_table(t: Table, notes: Sequence[str]) -> str:
    heads = [c.title for c in t.columns]
    if t.md_head:
        heads[0] = t.md_head
    from hcode.render.figuretext import md

    lines = ["| " + " | ".join(md(h) for h in heads) + " |", "|" + "---|" * len(heads)]
    for row in t.rows:
        cells = [row.label, *row.cells] if t.row_headers else list(row.cells)
        if row.group:  # a sub-heading: in bold in the first cell of text, the others empty
            lines.append(_md_row([None, f"**{_md_cell(row.cells[0], notes)}**", *[None] * (len(heads) - 2)]))
            continue
        lines.append(_md_row([None if isinstance(c, Spanned) else _md_cell(c, notes) for c in cells]))
    if t.footnote:
        lines += ["", _md_spans(t.footnote)]
    return "\n".join(lines)


def _md_block(b: Block, notes: Sequence[str], chart_files: Mapping[str, str], level: int = 2) -> str | None:
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
    if isinstance(b, Note):
        from hcode.render.figuretext import md

        heading = f'{"#" * (level + 1)} <a id="{b.anchor}"></a>Note {md(b.id)}'
        return heading + "\n\n" + richtext.md_block(b.text, b.notes).rstrip("\n")
    if b.key in chart_files:  # a chart: an image beside the report when written to a folder
        return f"![{b.title}]({chart_files[b.key]})"
    return None


def markdown(layout: Layout, chart_files: Mapping[str, str] | None = None, *, head: bool = True) -> str:
    """The layout as Markdown: ``# title``, the lead, then each section (``##``, or ``###`` under
    a part); charts are images named in ``chart_files`` (none: left out). ``head``: with the
    title and lead. A section with a ``gap`` has a blank line more before it, as the footer has."""
    notes = list(layout.notes)
    files = chart_files or {}
    parts: list[str] = []
    if head:
        parts.append(f"# {layout.title}")
        parts += [x for x in (_md_block(b, notes, files) for b in layout.lead) if x is not None]
    for s in layout.sections:
        heading = f"{'#' * s.level} {s.title}"
        if s.gap and parts:
            heading = "\n" + heading
        if s.title:  # a section without a title: its blocks alone
            parts.append(heading)
        parts += [x for x in (_md_block(b, notes, files, s.level) for b in s.blocks) if x is not None]
    if layout.footer:
        parts.append("\n---")
        parts.append(_md_spans(layout.footer))
    return "\n\n".join(parts) + "\n"


# -- HTML ------------------------------------------------------------------------------------------


_NUM = ' class="num"'


def _html_spans(spans: Sequence[Span]) -> str:
    out = []
    for s in spans:
        if s.style == "rich":
            out.append(richtext.html(s.text))
            continue
        text = escape(s.text)
        out.append(f"<strong>{text}</strong>" if s.style == "strong" else f"<code>{text}</code>" if s.style else text)
    return "".join(out)


def _html_cell(cell: Cell, notes: Sequence[str]) -> str:
    if isinstance(cell, Rich):
        return richtext.html(cell.text, () if cell.plain else (cell.notes or notes))
    if isinstance(cell, Tick):
        return f'<span aria-label="{escape(cell.word)}">✓</span>'
    if isinstance(cell, Items):
        out = ""
        if cell.items:
            out = '<ul class="evidence">' + "".join(f"<li>{richtext.html(i, cell.notes)}</li>" for i in cell.items)
            out += "</ul>"
        if cell.after:
            out += f"<div>{richtext.html(cell.after, cell.notes)}</div>"
        return out or escape(cell.empty)
    if isinstance(cell, Paras):
        return "".join(f'<div class="progress">{richtext.html(i, cell.notes)}</div>' for i in cell.items)
    if isinstance(cell, Act):
        out = richtext.html(cell.action, cell.notes)
        if cell.also:
            out += f'<p class="also">{escape(also_text(cell.also))}</p>'
        return out + "".join(
            f'<div class="progress"><strong>Progress:</strong> {richtext.html(p, cell.notes)}</div>'
            for p in cell.progress
        )
    return escape(cell_words(cell))


def _spans_down(rows: Sequence[Row], at: int, col: int, row_headers: bool) -> int:
    """How many rows the cell in column ``col`` of row ``at`` covers (itself and the spanned
    cells under it)."""
    n = 1
    for row in rows[at + 1 :]:
        cells = [row.label, *row.cells] if row_headers else list(row.cells)
        if row.group or not isinstance(cells[col], Spanned):
            break
        n += 1
    return n


def _html_form_table(t: Table, labelled_by: str, notes: Sequence[str]) -> str:
    """A table of the self-assessment's form: a card per row on a phone (each value named by its
    column), a sub-heading row per group, a provision's cells spanning the rows of its actions."""
    head = "".join(f'<th scope="col">{escape(c.title)}</th>' for c in t.columns)
    out = [f'<table class="{t.css}" aria-labelledby="{labelled_by}">', f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    if t.wrap:
        out.insert(0, f'<div class="table-wrap" role="region" aria-labelledby="{labelled_by}" tabindex="0">')
    group = ""  # a sub-heading row, on the line of the row it heads
    for at, row in enumerate(t.rows):
        if row.group:
            text = _html_cell(row.cells[0], notes)
            group = f'<tr class="group"><th scope="colgroup" colspan="{len(t.columns)}">{text}</th></tr>'
            continue
        cells = [row.label, *row.cells] if t.row_headers else list(row.cells)
        tds = []
        for i, (col, cell) in enumerate(zip(t.columns, cells, strict=True)):
            if isinstance(cell, Spanned):
                continue
            span = _spans_down(t.rows, at, i, t.row_headers)
            rs = f' rowspan="{span}"' if span > 1 else ""
            text = _html_cell(cell, notes)
            if i == 0 and t.row_headers:
                tds.append(f'<th scope="row"{rs}>{text}</th>')
            else:
                label = f' data-label="{escape(col.title)}"' if col.card else ""
                tds.append(f"<td{rs}{label}>{text}</td>")
        out.append(f"{group}<tr>{''.join(tds)}</tr>")
        group = ""
    out += ["</tbody>", "</table>"]
    if t.wrap:
        out.append("</div>")
    return "\n".join(out)


def _html_table(t: Table, labelled_by: str, notes: Sequence[str]) -> str:
    if t.css:
        return _html_form_table(t, labelled_by, notes)
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
    if isinstance(b, Note):
        title = f'<p class="note-title"><strong>Note {escape(b.id)}</strong></p>'
        return f'<div class="assessment-note" id="{b.anchor}">{title}{richtext.html(b.text, b.notes)}</div>'
    if b.key in charts:
        return f'<figure class="chart">{charts[b.key]}</figure>'
    return None


def html(layout: Layout, charts: Mapping[str, str] | None = None, *, head: bool = True) -> str:
    """The layout as the body of an HTML page (the page itself is ``base.html.j2``): ``h1``, the
    lead, each section under an ``h2`` (``h3`` under a part), then the footer; charts are the
    SVG drawn for each (see :func:`hcode.render.report.chart_svg`). Sections are separated by a
    blank line unless ``tight`` (the layout's or the section's); ``gap`` adds one."""
    notes = list(layout.notes)
    drawn = charts or {}
    join = "\n" if layout.tight else "\n\n"
    out = ""
    if head:
        lead = [x for x in (_html_block(b, _NO_SECTION, notes, drawn) for b in layout.lead) if x is not None]
        out = join.join([f"<h1>{escape(layout.title)}</h1>", *lead])
    for s in layout.sections:
        tag = f"h{s.level}"
        heading = f'<{tag} id="{s.anchor}">' if s.anchor else f"<{tag}>"
        blocks = [x for x in (_html_block(b, s, notes, drawn) for b in s.blocks) if x is not None]
        text = "\n".join([*([f"{heading}{escape(s.title)}</{tag}>"] if s.title else []), *blocks])
        if s.css:
            text = f'<section class="{s.css}">\n{text}\n</section>'
        if out:
            out += ("\n" if (layout.tight or s.tight) else "\n\n") + ("\n" if s.gap else "")
        out += text
    if layout.footer:
        out += f"\n\n<footer><p>{_html_spans(layout.footer)}</p></footer>"
    return out + "\n"


_NO_SECTION = Section("", "", ())
