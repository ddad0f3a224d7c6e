"""The report layout: built once, walked by Markdown, HTML and Excel; a new row is one edit."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import copy_example, run, sheet_row
from hcode.render import layout as lay
from hcode.render import reportlayout
from hcode.render.gate import PrivacyRefused, gate

ARGS = ("--year", "2024-25", "--as-of", "2025-07-31")


def test_a_row_added_to_the_layout_shows_in_every_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The one edit a new figure row needs: a Row in the builder. Markdown, HTML and the workbook
    show it without a change of their own."""
    built = reportlayout._outcomes

    def with_a_new_row(figures: Any) -> lay.Section:
        section = built(figures)
        table = section.blocks[0]
        assert isinstance(table, lay.Table)
        row = lay.Row(lay.Text("Complaints closed by agreement"), (lay.Count(4), lay.Number(2.5)))
        grown = dataclasses.replace(table, rows=(*table.rows, row))
        return dataclasses.replace(section, blocks=(grown, *section.blocks[1:]))

    monkeypatch.setattr(reportlayout, "_outcomes", with_a_new_row)
    ws = copy_example(tmp_path / "ws")
    md = run("report", "annual", ws, *ARGS).stdout
    assert "| Complaints closed by agreement | 4 | 2.5 |" in md
    html = run("report", "annual", ws, *ARGS, "-f", "html").stdout
    assert '<th scope="row">Complaints closed by agreement</th><td class="num">4</td><td class="num">2.5</td>' in html
    out = tmp_path / "a.xlsx"
    assert run("report", "annual", ws, *ARGS, "-f", "xlsx", "-o", out).exit_code == 0
    sheet = openpyxl.load_workbook(out)["Outcomes"]
    r = sheet_row(sheet, "Complaints closed by agreement")
    assert (sheet.cell(r, 2).value, sheet.cell(r, 3).value) == (4, 2.5)
    assert sheet.cell(r, 3).number_format == "0.0"


def test_a_new_section_shows_in_every_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new section (a heading, a sentence and a table of figures) is one edit too: the
    workbook puts it on a sheet named after its ``sheet``."""
    built = reportlayout.annual_layout

    def with_a_section(figures: Any, extras: Any) -> lay.Layout:
        made = built(figures, extras)
        cell = figures["tsm"]["CH02"]["stage1"]
        extra = lay.Section(
            "duties",
            "Duties kept",
            (
                lay.Paragraph((lay.Span("Duties the Code sets, and how often we kept them."),)),
                lay.Table(
                    "duties",
                    (lay.Column("Duty"), lay.Column("2024-25", True)),
                    (lay.Row(lay.Text("Answered in time"), (lay.Figure(cell, "percent"),)),),
                ),
            ),
            "duties",
            "Duties",
        )
        return dataclasses.replace(made, sections=(*made.sections, extra))

    monkeypatch.setattr(reportlayout, "annual_layout", with_a_section)
    ws = copy_example(tmp_path / "ws")
    md = run("report", "annual", ws, *ARGS).stdout
    assert "## Duties kept\n\nDuties the Code sets, and how often we kept them.\n\n| Duty | 2024-25 |" in md
    assert "| Answered in time | 84.6% (22 of 26) |" in md
    html = run("report", "annual", ws, *ARGS, "-f", "html").stdout
    assert '<h2 id="duties">Duties kept</h2>' in html and '<table aria-labelledby="duties">' in html
    out = tmp_path / "a.xlsx"
    assert run("report", "annual", ws, *ARGS, "-f", "xlsx", "-o", out).exit_code == 0
    sheet = openpyxl.load_workbook(out)["Duties"]
    r = sheet_row(sheet, "Answered in time")
    assert sheet.cell(r, 2).value == 0.846 and (sheet.cell(r, 3).value, sheet.cell(r, 4).value) == (22, 26)


def test_the_layout_passes_the_privacy_gate_as_a_whole() -> None:
    """Every text of a layout is cleared by the gate: a label, a cell, a chart's category."""
    table = lay.Table("t", (lay.Column("Measure"), lay.Column("n", True)), (lay.Row(lay.Text("ok"), (lay.Count(1),)),))
    clean = lay.Layout("Report", (), (lay.Section("s", "Section", (table,)),))
    assert gate(clean).value is clean
    for bad in (
        lay.Row(lay.Text("Call Jo on 07700 900123"), (lay.Count(1),)),
        lay.Row(lay.Text("ok"), (lay.Rich("write to jo.bloggs@example.com"),)),
    ):
        dirty = dataclasses.replace(
            clean, sections=(lay.Section("s", "Section", (dataclasses.replace(table, rows=(bad,)),)),)
        )
        with pytest.raises(PrivacyRefused):
            gate(dirty)
    chart = lay.Chart("c", "Chart", ("jo.bloggs@example.com",), (("This year", (1.0,)),))
    with pytest.raises(PrivacyRefused):
        gate(lay.Layout("Report", (), (lay.Section("s", "Section", (chart,)),)))


def test_cells_in_words() -> None:
    """Each kind of cell as Markdown and HTML show it (Excel stores the value itself)."""
    assert lay.cell_words(lay.Count(1234)) == "1,234" and lay.cell_words(lay.Count(None)) == "n/a"
    assert lay.cell_words(lay.Change(5)) == "+5" and lay.cell_words(lay.Change(None)) == ""
    assert lay.cell_words(lay.Money(1225.0)) == "£1,225.00"
    assert lay.cell_words(lay.NoData()) == "no data"
    assert lay.cell_words(lay.Figure(None, "percent")) == "no data"
    assert lay.cell_words(lay.Figure({"value": 50.0, "numerator": 1, "denominator": 2}, "percent")) == "50.0% (1 of 2)"
    assert lay.cell_words(lay.Number(None)) == "n/a" and lay.cell_words(lay.Number(2.25)) == "2.2"
