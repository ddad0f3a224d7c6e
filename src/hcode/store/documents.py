"""Reading a landlord's own documents (Word .docx, Excel .xlsx, CSV) into tables of cells.

The only reader of these files. Everything a cell says is kept: each paragraph (so bullet lists
stay lists), line breaks, the targets of hyperlinks (Word ``w:hyperlink`` relationships, Excel
cell hyperlinks), Wingdings tick symbols and check boxes as ✓/☐, and merged cells (marked as
spanned or continued, so the importer neither repeats nor loses their text).

A file that cannot be read raises :class:`DocumentError` with a message a complaints officer
can act on (a password-protected workbook, an old .doc, a PDF, a damaged file). Every file is
opened through :mod:`hcode.store.office`, within its limits.
"""

from __future__ import annotations

import csv
import html.parser
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from hcode.core.importing import Cell, Table, join_broken_lines
from hcode.store.office import DocumentError, open_office, read_text_file, reading

__all__ = ["DocumentError", "Rows", "SourceDocument", "read", "read_case_map", "read_rows", "sniff"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old Office file, or an encrypted new one
# Wingdings / Wingdings 2 private-use characters that show as ticks or crosses in Word
_SYMBOLS = {"F0FC": "✓", "F0FE": "☒", "F050": "✓", "F052": "✓", "F0A8": "☐", "F0FB": "✗", "F0D5": "✗"}


@dataclass
class SourceDocument:
    """The tables of a document, its text outside tables, and notes on how it was read."""

    tables: list[Table]
    text: list[str]
    notes: list[str]
    numeric_ids: bool = False
    outside: list[str] | None = None  # the paragraphs outside the tables (Word, web pages)


SUPPORTED = (".docx", ".xlsx", ".csv", ".html", ".htm")


def sniff(path: Path, allowed: tuple[str, ...] = SUPPORTED) -> str:
    """The kind of ``path`` (``docx``, ``xlsx`` or ``csv``), or a DocumentError saying what to do."""
    name = path.name
    suffix = path.suffix.lower()
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise DocumentError(f"{name}: no such file") from None
    except OSError as exc:
        raise DocumentError(f"{name}: cannot read the file: {exc.strerror or exc}") from None
    if head.startswith(b"%PDF"):
        raise DocumentError(
            f"{name} is a PDF: hcode cannot read tables from a PDF",
            "open the original in Word or Excel and save it as .docx or .xlsx (or export the table as CSV)",
        )
    if head == _OLE:
        if suffix in (".docx", ".xlsx"):
            raise DocumentError(
                f"{name} is password-protected (encrypted), or is an old-format file with a new name",
                "open it, remove the password (File > Info > Protect) and save it again as "
                + ("a Word document (.docx)" if suffix == ".docx" else "an Excel workbook (.xlsx)"),
            )
        what = "an old Word document (.doc)" if suffix == ".doc" else "an old Office file (.doc or .xls)"
        raise DocumentError(
            f"{name} is {what}, which hcode cannot read",
            "open it in Word or Excel and save it as .docx or .xlsx",
        )
    if suffix in (".doc", ".xls", ".pdf", ".odt", ".ods", ".rtf"):
        raise DocumentError(
            f"{name}: hcode reads .docx, .xlsx, .csv and .html files, not {suffix}",
            "open it and save it as .docx (Word) or .xlsx (Excel)",
        )
    kind = "html" if suffix in (".html", ".htm") else suffix.lstrip(".")
    if suffix not in allowed:
        raise DocumentError(
            f"{name}: hcode reads {', '.join(allowed)} files here, not {suffix or 'a file without an extension'}",
            "save it as one of those",
        )
    if kind in ("docx", "xlsx") and not head.startswith(b"PK"):
        raise DocumentError(
            f"{name} is damaged or is not really a {suffix} file", f"open it and save it again as {suffix}"
        )
    return kind


def read(path: Path, allowed: tuple[str, ...] = SUPPORTED) -> SourceDocument:
    kind = sniff(path, allowed)
    if kind == "docx":
        return read_docx(path)
    if kind == "xlsx":
        return read_xlsx(path)
    if kind == "html":
        return read_html(path)
    return read_csv(path)


# ---------------------------------------------------------------------------------------------
# Word


def read_docx(path: Path) -> SourceDocument:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    source = open_office(path, "docx")
    try:
        document = docx.Document(source if not isinstance(source, Path) else str(source))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError(
            f"{path.name} is damaged or is not a Word document ({type(exc).__name__})",
            "open it in Word and save it again as .docx",
        ) from None
    except Exception as exc:  # lxml and zip errors have no common base
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DocumentError(
            f"{path.name} cannot be read as a Word document: {reason}",
            "open it in Word and save it again as .docx",
        ) from None
    with reading(path):
        return _docx_document(document)


def _docx_document(document: Any) -> SourceDocument:
    rels = document.part.rels
    links: dict[str, str] = {}
    for rid, rel in rels.items():
        if rel.is_external:
            links[rid] = rel.target_ref
    body = document.element.body
    tables: list[Table] = []
    text: list[str] = []
    for child in body.iter(W + "p", W + "tbl"):
        if _inside(child, W + "tc"):
            continue
        if child.tag == W + "p":
            t = _paragraph(child, links)[0]
            if t:
                text.append(t)
            continue
        tables.append(_table(child, links, f"table {len(tables) + 1}"))
    return SourceDocument(tables, text, [], outside=list(text))


def _inside(element: Any, tag: str) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _struck(t: Any) -> bool:
    """Whether a w:t's run is struck through (w:strike or w:dstrike, not switched off)."""
    run = t.getparent()
    props = run.find(W + "rPr") if run is not None else None
    if props is None:
        return False
    for tag in ("strike", "dstrike"):
        mark = props.find(W + tag)
        if mark is not None and (mark.get(W + "val") or "true").lower() not in ("0", "false", "off"):
            return True
    return False


def _paragraph(p: Any, links: dict[str, str]) -> tuple[str, list[str]]:
    """A paragraph's text and its links' targets; struck-through text is written ~~like this~~
    (struck text is part of what the document says: "Yes / No" with Yes struck means No)."""
    parts: list[str] = []
    targets: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag == W + "t":
            text = el.text or ""
            if text.strip() and _struck(el):
                if parts and parts[-1].endswith("~~") and not parts[-1].endswith("\n~~"):
                    parts[-1] = parts[-1][:-2] + text + "~~"  # the next run struck through too
                else:
                    parts.append(f"~~{text}~~")
            else:
                parts.append(text)
        elif tag in (W + "tab",):
            parts.append(" ")
        elif tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif tag == W + "sym":
            char = (el.get(W + "char") or "").upper()
            parts.append(_SYMBOLS.get(char, chr(int(char, 16)) if char and _is_hex(char) else ""))
        elif tag == W + "hyperlink":
            rid = el.get(R_ID)
            if rid and rid in links and links[rid] not in targets:
                targets.append(links[rid])
    return "".join(parts).strip(), targets


def _is_hex(text: str) -> bool:
    try:
        int(text, 16)
    except ValueError:
        return False
    return True


def _cell(tc: Any, links: dict[str, str]) -> Cell:
    paragraphs: list[str] = []
    targets: list[str] = []
    for p in tc.iter(W + "p"):
        t, found = _paragraph(p, links)
        # a paragraph is one item whatever its line breaks
        line = " ".join(part.strip() for part in t.split("\n") if part.strip())
        if line:
            paragraphs.append(line)
        for link in found:
            if link not in targets:
                targets.append(link)
    return Cell(tuple(paragraphs), tuple(targets))


def _table(tbl: Any, links: dict[str, str], where: str) -> Table:
    rows: list[tuple[Cell, ...]] = []
    names: list[str] = []
    for n, tr in enumerate(tbl.iterchildren(W + "tr"), start=1):
        cells: list[Cell] = []
        for tc in tr.iterchildren(W + "tc"):
            props = tc.find(W + "tcPr")
            span = 1
            continued = False
            if props is not None:
                grid = props.find(W + "gridSpan")
                if grid is not None:
                    span = int(grid.get(W + "val") or 1)
                vmerge = props.find(W + "vMerge")
                if vmerge is not None and vmerge.get(W + "val") in (None, "continue"):
                    continued = True
            c = _cell(tc, links)
            if continued:
                c = Cell(c.paragraphs, c.links, continued=True)
            cells.append(c)
            cells.extend(Cell(spanned=True) for _ in range(span - 1))
        rows.append(tuple(cells))
        names.append(f"row {n}")
    return Table(where, tuple(rows), tuple(names))


# ---------------------------------------------------------------------------------------------
# Web pages (a self-assessment saved from a website), read with the standard library's parser


_BLOCKS = frozenset(
    ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "section", "article", "blockquote", "dd", "dt")
)
_SKIP = frozenset(("script", "style", "head", "noscript", "template", "svg", "button", "form", "select"))


class _Page(html.parser.HTMLParser):
    """Paragraphs outside tables, and tables of cells (colspan and rowspan kept as spanned and
    continued cells), from a web page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.outside: list[str] = []
        self.tables: list[list[list[Cell]]] = []
        self.title = ""
        self._skip = 0
        self._in_title = False
        self._text: list[str] = []  # the block being read
        self._links: list[str] = []
        self._stack: list[dict[str, Any]] = []  # open tables: rows, the row, the cell's paragraphs
        self._down: list[dict[int, int]] = []  # per open table: column -> rows a rowspan still covers

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        self._text = []
        if self._stack and self._stack[-1]["cell"] is not None:
            if text:
                self._stack[-1]["cell"].append(text)
            self._stack[-1]["links"].extend(x for x in self._links if x not in self._stack[-1]["links"])
        elif text:
            self.outside.append(text)
        self._links = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
            return
        if tag == "title":
            self._in_title = True
            return
        if self._skip:
            return
        a = dict(attrs)
        if tag == "br":
            self._text.append(" ")  # a paragraph is one item whatever its line breaks
            return
        if tag in _BLOCKS or tag in ("tr", "td", "th", "table", "ul", "ol"):
            self._flush()
        if tag == "table":
            self._stack.append({"rows": [], "row": None, "cell": None, "links": [], "span": 1, "rowspan": 1})
            self._down.append({})
        elif tag == "tr" and self._stack:
            self._end_row()
            self._stack[-1]["row"] = []
        elif tag in ("td", "th") and self._stack:
            t = self._stack[-1]
            if t["row"] is None:
                t["row"] = []
            self._end_cell()
            self._fill_down(t)
            t["cell"], t["links"] = [], []
            t["span"] = _int(a.get("colspan"))
            t["rowspan"] = _int(a.get("rowspan"))
        elif tag == "a":
            href = (a.get("href") or "").strip()
            if href.startswith(("http://", "https://")):
                self._links.append(href)

    def _fill_down(self, t: dict[str, Any]) -> None:
        down = self._down[-1]
        while down.get(len(t["row"]), 0) > 0:
            col = len(t["row"])
            down[col] -= 1
            t["row"].append(Cell(continued=True))

    def _end_cell(self) -> None:
        t = self._stack[-1]
        if t["cell"] is None:
            return
        col = len(t["row"])
        t["row"].append(Cell(tuple(t["cell"]), tuple(t["links"])))
        for _ in range(t["span"] - 1):
            t["row"].append(Cell(spanned=True))
        if t["rowspan"] > 1:
            self._down[-1][col] = t["rowspan"] - 1
        t["cell"] = None

    def _end_row(self) -> None:
        t = self._stack[-1]
        self._end_cell()
        if t["row"] is not None:
            self._fill_down(t)
            t["rows"].append(t["row"])
        t["row"] = None

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if tag == "title":
            self._in_title = False
            return
        if self._skip:
            return
        if tag in _BLOCKS or tag in ("td", "th", "tr", "table"):
            self._flush()
        if tag in ("td", "th") and self._stack:
            self._end_cell()
        elif tag == "tr" and self._stack:
            self._end_row()
        elif tag == "table" and self._stack:
            self._end_row()
            self.tables.append(self._stack.pop()["rows"])
            self._down.pop()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()
        while self._stack:
            self._end_row()
            self.tables.append(self._stack.pop()["rows"])


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def read_html(path: Path) -> SourceDocument:
    """A web page's tables and the paragraphs outside them (headings, paragraphs, list items),
    read with the standard library's HTML parser; scripts, styles and the page's head are not
    text. Links to web addresses are kept with their cell."""
    text, note = decode_text(read_text_file(path), path.name)  # within the limits on any document
    page = _Page()
    with reading(path):  # the parse bounded in time and memory, as Office files are
        page.feed(text)
        page.close()
    tables = []
    for n, rows in enumerate(page.tables, start=1):
        width = max((len(r) for r in rows), default=0)
        padded = tuple(tuple(r) + (Cell(),) * (width - len(r)) for r in rows)
        tables.append(Table(f"table {n}", padded, tuple(f"row {i}" for i in range(1, len(rows) + 1))))
    title = " ".join(page.title.split())
    return SourceDocument(
        tables, [title, *page.outside] if title else page.outside, [note] if note else [], outside=page.outside
    )


# ---------------------------------------------------------------------------------------------
# Excel


def _excel_text(value: Any, number_format: str = "General") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        decimals = number_format.split(".")[1].count("0") if "." in number_format else 0
        return f"{value:.{decimals}f}" if decimals else repr(value)
    return str(value)


def load_workbook(path: Path, *, read_only: bool = False) -> Any:
    import openpyxl

    source = open_office(path, "xlsx")
    try:
        with reading(path):
            return openpyxl.load_workbook(
                source if not isinstance(source, Path) else str(source), data_only=True, read_only=read_only
            )
    except DocumentError as exc:
        if " is damaged: " in exc.message:
            raise DocumentError(
                f"{path.name} is damaged or is not an Excel workbook ({exc.message.split(' is damaged: ', 1)[1]})",
                "open it in Excel and save it again as .xlsx",
            ) from None
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DocumentError(
            f"{path.name} is damaged or is not an Excel workbook ({type(exc).__name__})",
            "open it in Excel and save it again as .xlsx",
        ) from None
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise DocumentError(
            f"{path.name} cannot be read as an Excel workbook: {type(exc).__name__}",
            "open it in Excel and save it again as .xlsx",
        ) from None


def read_xlsx(path: Path) -> SourceDocument:
    wb = load_workbook(path)
    with reading(path):
        return _xlsx_document(wb)


def _xlsx_document(wb: Any) -> SourceDocument:
    tables: list[Table] = []
    numeric = False
    for ws in wb.worksheets:
        if ws.sheet_state != "visible" and ws.max_row <= 1:
            continue
        merged_top: dict[tuple[int, int], tuple[int, int]] = {}
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        merged_top[(r, c)] = (rng.min_row, rng.min_col)
        rows: list[tuple[Cell, ...]] = []
        names: list[str] = []
        for row in ws.iter_rows():
            cells: list[Cell] = []
            for xc in row:
                pos = (xc.row, xc.column)
                if pos in merged_top:
                    top = merged_top[pos]
                    cells.append(Cell(spanned=top[0] == xc.row, continued=top[0] != xc.row and top[1] == xc.column))
                    continue
                value = xc.value
                if isinstance(value, float) and not value.is_integer():
                    numeric = True  # a number such as 6.1 may be a provision number typed as a number
                text = _excel_text(value, xc.number_format or "General")
                target = xc.hyperlink.target if xc.hyperlink is not None and xc.hyperlink.target else None
                cells.append(Cell(join_broken_lines(text.splitlines()), (target,) if target else ()))
            rows.append(tuple(cells))
            names.append(f"row {row[0].row}" if row else "row ?")
        tables.append(Table(f"sheet {ws.title!r}", tuple(rows), tuple(names), fresh=True))
    return SourceDocument(tables, [ws.title for ws in wb.worksheets], [], numeric_ids=numeric)


# ---------------------------------------------------------------------------------------------
# CSV


def decode_text(data: bytes, name: str) -> tuple[str, str | None]:
    """The text of a CSV file, and a note when it was not UTF-8 (read as Windows-1252)."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"{name}: byte {exc.start + 1} is neither UTF-8 nor Windows-1252 text",
            "save the export as CSV UTF-8",
        ) from None
    return (
        text,
        f"{name} is not UTF-8: read it as Windows-1252 (Excel's 'CSV' format); check accented letters and £ signs",
    )


def csv_rows(path: Path) -> tuple[list[list[str]], list[str], str | None]:
    """The rows of a CSV file (any line endings, a byte-order mark or none) and a decoding note."""
    data = read_text_file(path)
    if b"\x00" in data[:4096]:
        raise DocumentError(f"{path.name} is not a text file (it holds NUL bytes)", "export the data as CSV again")
    text, note = decode_text(data, path.name)
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[str]] = []
    names: list[str] = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    start = 1
    try:
        for record in reader:
            rows.append(list(record))
            names.append(f"line {start}")
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DocumentError(f"{path.name}:{start}: not a readable CSV line: {exc}") from None
    return rows, names, note


def read_csv(path: Path) -> SourceDocument:
    rows, names, note = csv_rows(path)
    cells = tuple(tuple(Cell(join_broken_lines(v.splitlines())) for v in r) for r in rows)
    return SourceDocument([Table(path.name, cells, tuple(names), fresh=True)], [path.name], [note] if note else [])


# ---------------------------------------------------------------------------------------------
# Case exports: a header row and data rows of values


@dataclass
class Rows:
    """An export's rows: the header, the data rows (blank rows left out) with their labels."""

    headings: list[str]
    rows: list[list[Any]]
    labels: list[str]
    blank: int
    notes: list[str]


def read_rows(path: Path) -> Rows:
    """The header and rows of a CSV file or of the first worksheet of an Excel workbook.

    The header is the first row that is not blank. Rows that are wholly blank are counted and
    left out. CSV values are text; Excel values keep their type (dates, numbers).
    """
    kind = sniff(path, (".csv", ".xlsx"))
    notes: list[str] = []
    raw: list[list[Any]]
    labels: list[str]
    if kind == "csv":
        raw, labels, note = csv_rows(path)
        if note:
            notes.append(note)
    else:
        wb = load_workbook(path, read_only=True)
        if not wb.worksheets:
            raise DocumentError(f"{path.name} has no worksheet", "open it in Excel and save it again as .xlsx")
        raw, labels = [], []
        with reading(path):
            ws = wb.worksheets[0]
            if len(wb.worksheets) > 1:
                notes.append(f"{path.name}: read the first worksheet, {ws.title!r}; the others were not read")
            for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
                raw.append(list(values))
                labels.append(f"row {n}")
        wb.close()
    headings: list[str] | None = None
    rows: list[list[Any]] = []
    out_labels: list[str] = []
    blank = 0
    for values, label in zip(raw, labels, strict=True):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            if headings is not None:
                blank += 1
            continue
        if headings is None:
            headings = [" ".join(str(v).split()) if v is not None else "" for v in values]
            continue
        rows.append(values)
        out_labels.append(label)
    if headings is None:
        raise DocumentError(f"{path.name} is empty: there is no header row")
    return Rows(headings, rows, out_labels, blank, notes)


def case_fields() -> dict[str, Any]:
    """Every case field a mapping may name (dotted paths to the case schema's single values),
    then a hazard report's own (``aware``, ``investigation.concluded``, ...: moments, a date or a
    date and time). A field of one schema alone names the kinds of rows it is read for."""
    from dataclasses import replace

    cases, hazards = schema_fields("case"), schema_fields("hazard")
    # each field is read only for the rows of the kinds whose schema has it (a mixed export)
    out = {
        p: spec if p in hazards else replace(spec, kinds=("complaint", "service-request")) for p, spec in cases.items()
    }
    for path, spec in hazards.items():
        out.setdefault(path, replace(spec, kinds=("hazard",)))
    return out


def hazard_fields() -> dict[str, Any]:
    """A hazard report's fields, in its schema's order."""
    return schema_fields("hazard")


def schema_fields(name: str) -> dict[str, Any]:
    """The fields of schema ``name`` a mapping may name."""
    from hcode.core.caseimport import FieldSpec
    from hcode.store.validate import schema

    s = schema(name)
    out: dict[str, FieldSpec] = {}

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = s["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        return node

    def visit(prefix: str, node: dict[str, Any]) -> None:
        for key, sub in node.get("properties", {}).items():
            path = f"{prefix}{key}"
            ref = sub.get("$ref", "")
            sub = resolve(sub)
            if sub.get("type") == "object" or "properties" in sub:
                visit(path + ".", sub)
                continue
            if ref.endswith("/moment"):  # a hazard report's event: a date, or a date and time
                out[path] = FieldSpec(path, "moment")
            elif ref.endswith("/date") or sub.get("title") == "date":
                out[path] = FieldSpec(path, "date")
            elif "enum" in sub or "const" in sub:
                out[path] = FieldSpec(path, "enum", tuple(sub["enum"]) if "enum" in sub else (sub["const"],))
            elif ref.endswith("/flag"):
                out[path] = FieldSpec(path, "flag")
            elif sub.get("type") == "number" or sub.get("type") == ["number", "null"]:
                out[path] = FieldSpec(path, "number")
            elif sub.get("type") in ("string", ["string", "integer"], ["integer", "string"]) or "anyOf" in sub:
                out[path] = FieldSpec(path, "text")
            # lists (remedy actions) are not mapped from a single cell

    visit("", s)
    return out


def read_case_map(path: Path, specs: dict[str, Any]) -> Any:
    """``import-map.yaml``: a CaseMap, or DocumentError naming the line of the first problem."""
    from hcode.core.caseimport import DEFAULT_DATES, YEAR_FIELD, CaseMap, ImportFailure, check_formats
    from hcode.store import yamlread

    name = path.name
    try:
        data = yamlread.check_bytes(path.read_bytes())
        value, marks = yamlread.parse_with_marks(data)
    except FileNotFoundError:
        raise DocumentError(
            f"no mapping file {path}", "write a starting one with 'hcode import cases --init-map FILE'"
        ) from None
    except OSError as exc:
        raise DocumentError(f"{name}: cannot read the file: {exc.strerror or exc}") from None
    except yamlread.YamlError as exc:
        raise DocumentError(f"{name}:{exc.line or 1}: {exc.message}", exc.hint) from None

    def fail(message: str, where: tuple[Any, ...], hint: str | None = None) -> DocumentError:
        line, _ = yamlread.lookup(marks, where)
        return DocumentError(f"{name}:{line}: {message}", hint)

    if not isinstance(value, dict):
        raise DocumentError(f"{name}: the mapping must be keys and values (columns:, dates:, values:)")
    from hcode.store.validate import validate

    problems = validate("import", value)
    if problems:
        first = problems[0]
        raise fail(first.message, tuple(first.path), first.hint or "run 'hcode schema import' for the keys")
    for key in value:
        if key not in ("columns", "dates", "values", "folder", "kind", "ids") and not str(key).startswith("x-"):
            raise fail(f"unknown key {key!r}", (key,), "the keys are columns, dates, values, ids, folder and kind")
    columns = value.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise fail("'columns:' must map case fields to column headings", ("columns",))
    out_columns: dict[str, str] = {}
    for f, heading in columns.items():
        f = str(f)
        if heading is None:
            continue  # left empty: not imported
        if (
            (f.startswith("x-") and "." not in f)
            or f in ("stage", "event", "event.date")
            or (f.startswith("stage.") and f"stage1.{f[6:]}" in specs)
        ):
            pass  # the landlord's own field at the top of the file, or one row per stage
        elif "x-" in f:
            raise fail(f"{f!r}: your own fields go at the top of the case file", ("columns", f), "write it as x-NAME")
        elif f not in specs:
            import difflib

            near = difflib.get_close_matches(f, list(specs), n=1)
            raise fail(
                f"{f!r} is not a case field",
                ("columns", f),
                f"did you mean {near[0]!r}?" if near else "run 'hcode schema case' to see the fields",
            )
        if not isinstance(heading, str | int):
            raise fail(f"{f}: give the column heading as text", ("columns", f))
        out_columns[f] = str(heading)
    if any(f.startswith("stage.") for f in out_columns) != ("stage" in out_columns):
        raise fail(
            "one row per stage needs both 'stage:' (the column saying which stage) and stage.FIELD columns",
            ("columns",),
        )
    if ("event" in out_columns) != ("event.date" in out_columns):
        raise fail(
            "one row per event needs both 'event:' (the column naming the event) and 'event.date:' (its date)",
            ("columns",),
        )
    if "id" not in out_columns:
        raise fail("'columns:' must name the column that holds the case id (id: ...)", ("columns",))
    dates = value.get("dates", list(DEFAULT_DATES))
    if isinstance(dates, str):
        dates = [dates]
    if not isinstance(dates, list) or not all(isinstance(d, str) for d in dates) or not dates:
        raise fail("'dates:' must be a list of formats such as DD/MM/YYYY", ("dates",))
    try:
        check_formats(dates)
    except ImportFailure as exc:
        raise fail(exc.message, ("dates",), exc.hint) from None
    values = value.get("values") or {}
    if not isinstance(values, dict):
        raise fail("'values:' must map each field to its own value map", ("values",))
    out_values: dict[str, dict[str, str]] = {}
    for f, table in values.items():
        if not isinstance(table, dict):
            raise fail(f"values for {f} must map the export's values to hcode's", ("values", f))
        spec = specs.get(str(f).replace("stage.", "stage1.", 1))
        cleaned: dict[str, str] = {}
        for k, v in table.items():
            if v is None:
                continue  # left empty by --init-map: the officer has not decided yet
            v = str(v).lower() if isinstance(v, bool) else str(v)
            if spec is not None and spec.kind == "enum" and v not in map(str, spec.choices):
                raise fail(f"{f}: {v!r} is not one of {', '.join(spec.choices)}", ("values", f, k))
            if f == "event" and (v not in specs or specs[v].kind != "date"):
                dated = ", ".join(p for p, sp in specs.items() if sp.kind == "date")
                raise fail(
                    f"event {k!r}: {v!r} is not a dated case field", ("values", f, k), f"the dated fields: {dated}"
                )
            cleaned[str(k)] = v
        out_values[str(f)] = cleaned
    folder = str(value.get("folder") or "cases/{year}")
    bare = folder.replace(YEAR_FIELD, "")
    parts = folder.rstrip("/").split("/")
    if (
        parts[0] != "cases"
        or any(p in ("", ".", "..") for p in parts)
        or any(c in bare for c in "{}\\:")
        or any(not c.isprintable() for c in folder)
    ):
        raise fail(
            "'folder:' must be a folder inside cases/ whose only placeholder is {year}, e.g. cases/{year}",
            ("folder",),
        )
    kind = str(value.get("kind") or "complaint")
    if kind not in ("complaint", "service-request", "hazard"):
        raise fail("'kind:' must be complaint, service-request or hazard", ("kind",))
    ids = value.get("ids") or {}
    replace = ids.get("replace") if isinstance(ids, dict) else None
    if not isinstance(ids, dict) or set(ids) - {"replace"} or not isinstance(replace or {}, dict):
        raise fail("'ids:' takes replace: {OLD: NEW}, e.g. replace: {'/': '-'}", ("ids",))
    id_replace = {str(k): "" if v is None else str(v) for k, v in (replace or {}).items()}
    if any(not k for k in id_replace):
        raise fail("'ids: replace:' needs the characters to replace", ("ids", "replace"))
    return CaseMap(out_columns, list(dates), out_values, folder, kind, id_replace)
