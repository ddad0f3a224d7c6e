"""``render.excel.merge`` gives exactly what openpyxl's own ``merge_cells`` gives."""

from __future__ import annotations

import random
from typing import Any

import pytest

from hcode.render.excel import _save, _workbook, merge


def _book(merges: list[tuple[int, int, int, int]], own: bool) -> bytes:
    from openpyxl.cell.cell import MergedCell
    from openpyxl.styles import Border, Font, Protection, Side

    wb = _workbook()  # created at a fixed time
    ws = wb.create_sheet("merged")
    for i, (r1, c1, r2, c2) in enumerate(merges):
        if isinstance(ws.cell(r1, c1), MergedCell):  # inside a range merged before
            merge(ws, r1, c1, r2, c2) if own else ws.merge_cells(
                start_row=r1, start_column=c1, end_row=r2, end_column=c2
            )
            continue
        ws.cell(r1, c1, f"text {i}").font = Font(bold=i % 2 == 0)
        if i % 5 == 0:  # a border to carry to the range's edges
            ws.cell(r1, c1).border = Border(top=Side(style="thin"), right=Side(style="thick"))
        if i % 7 == 0:
            ws.cell(r1, c1).protection = Protection(locked=False)
        if i % 3 == 0:  # a cell inside the range written first (it becomes a merged cell)
            ws.cell(r2, c2, "inside")
        if i % 11 == 0:  # some merged openpyxl's way in between
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        elif own:
            merge(ws, r1, c1, r2, c2)
        else:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    return _save(wb)


@pytest.mark.parametrize("seed", range(6))
def test_merge_writes_the_same_workbook_as_openpyxl(seed: int) -> None:
    rng = random.Random(seed)
    merges = []
    for i in range(60):
        r1, c1 = 4 * i + 1, rng.randint(1, 6)
        merges.append((r1, c1, r1 + rng.choice((0, 0, 1, 2)), c1 + rng.randint(0, 4)))
    # a range inside one merged before, and the same range twice: openpyxl keeps one range
    merges += [(300, 1, 302, 5), (300, 1, 301, 3), (300, 1, 302, 5)]
    assert _book(merges, own=True) == _book(merges, own=False)


def test_many_merged_rows_are_quick() -> None:
    """1,500 merged rows took 1.2 s through openpyxl's merge_cells (quadratic)."""
    import time

    from openpyxl import Workbook

    ws = Workbook().active
    start = time.process_time()
    for row in range(1, 6001):
        ws.cell(row, 1, "x")
        merge(ws, row, 1, row, 6)
    assert time.process_time() - start < 3.0
    assert len(ws.merged_cells.ranges) == 6000


def test_merge_takes_the_last_cell_border_and_styles_as_openpyxl_does() -> None:
    """Variations the random ranges do not make: the range's last cell written first with a
    border (openpyxl carries its right and bottom edges to the first cell), a first cell with a
    border of no sides, and a fill, font and number format on the first cell."""
    from openpyxl.styles import Border, Font, PatternFill, Side

    def book(own: bool) -> bytes:
        wb = _workbook()
        ws = wb.create_sheet("edges")
        for i in range(8):
            r = 3 * i + 1
            ws.cell(r, 1, f"first {i}").font = Font(italic=i % 2 == 1)
            if i % 2 == 0:  # the last cell written first, with a border
                ws.cell(r + 1, 4, "last").border = Border(right=Side(style="thin"), bottom=Side(style="double"))
            if i % 3 == 0:
                ws.cell(r, 1).border = Border()  # a border of no sides
            ws.cell(r, 1).fill = PatternFill("solid", fgColor="E8EEF5")
            ws.cell(r, 1).number_format = "0.0%"
            if own:
                merge(ws, r, 1, r + 1, 4)
            else:
                ws.merge_cells(start_row=r, start_column=1, end_row=r + 1, end_column=4)
        return _save(wb)

    assert book(own=True) == book(own=False)


def test_a_workbook_is_built_with_the_collector_paused_and_restored() -> None:
    """The cycle collector is paused while a workbook is built (or the annual figures counted),
    and left as it was found."""
    import gc

    from hcode.api import reports
    from hcode.collector import collector_paused
    from hcode.render import excel

    for built in (excel.annual_workbook, reports._annual_figures, reports._return_figures):
        assert hasattr(built, "__wrapped__")  # wrapped by collector_paused
    seen: list[bool] = []

    @collector_paused
    def build() -> bytes:
        seen.append(gc.isenabled())
        return b""

    assert gc.isenabled()
    build()
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        build()
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()


@pytest.mark.parametrize("seed", range(3))
def test_the_sheets_are_written_as_openpyxl_writes_them(seed: int) -> None:
    """hcode's writer (the merged ranges' element made from their numbers, empty merged cells
    passed over in one test) saves the same bytes as openpyxl's own ExcelWriter: merged ranges of
    one cell, a row, a block, on several sheets, some merged openpyxl's way, one sheet with none;
    a styled cell with no value, a link, a comment, an empty cell."""
    import io
    import zipfile

    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    from hcode.render.excel import _normalise

    def book() -> Any:  # the same workbook each time: each is saved once
        rng = random.Random(seed)
        wb = _workbook()
        for name in ("one", "two", "none"):
            ws = wb.create_sheet(name)
            for i in range(0 if name == "none" else 80):
                r1, c1 = 3 * i + 1, rng.randint(1, 30)
                ws.cell(r1, c1, f"=text {i}" if i % 4 == 0 else i)
                r2, c2 = r1 + rng.choice((0, 0, 1, 2)), c1 + rng.choice((0, 1, 5, 27))
                if i % 9 == 0:
                    ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
                else:
                    merge(ws, r1, c1, r2, c2)
            ws.cell(1, 60, "past every merged range")
            ws.cell(2, 61).font = Font(bold=True)  # a styled cell with no value: written
            ws.cell(2, 62, "linked").hyperlink = "https://example.org/"
            ws.cell(2, 63, "noted").comment = Comment("a comment", "hcode")
            ws.cell(2, 64)  # an empty cell: left out
        return wb

    out = io.BytesIO()
    ExcelWriter(book(), zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True)).save()
    ours = _save(book())
    assert ours == _normalise(out.getvalue())
    sheet = zipfile.ZipFile(io.BytesIO(ours)).read("xl/worksheets/sheet1.xml")
    assert b"<mergeCells count=" in sheet and b'<mergeCell ref="' in sheet
