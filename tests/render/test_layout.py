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
        cell = figures.tsm.ch02.stage1  # typed figures
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


def test_a_scope_shows_in_every_format(tmp_path: Path) -> None:
    """A self-assessment that covers some sections only (``scope:``) says so in Markdown, HTML and
    Excel, in the self-assessment and in the annual report's appendix, in the same words."""
    ws = copy_example(tmp_path / "ws")
    path = ws / "assessments" / "2024-25.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("provisions:\n", "scope:\n  sections: [6]\nprovisions:\n", 1), "utf-8")
    said = "This self-assessment covers section 6 of the Code only."
    for report in ("assessment", "annual"):
        for fmt in ("md", "html"):
            shown = run("report", report, ws, *ARGS, "-f", fmt).stdout
            assert said in shown, (report, fmt)
        out = tmp_path / f"{report}.xlsx"
        assert run("report", report, ws, *ARGS, "-f", "xlsx", "-o", out).exit_code == 0
        about = {r[0].value: r[1].value for r in openpyxl.load_workbook(out)["About"].iter_rows(min_row=2)}
        assert said in about.values(), (report, about)


def _bent(tmp_path: Path, name: str = "hoc-2024") -> Path:
    """A copy of the example whose workspace edition (``name``) sets 6.3 at 100 working days."""
    import re

    from conftest import ROOT

    ws = copy_example(tmp_path / "ws")
    (ws / "provisions").mkdir()
    text = (ROOT / "provisions" / "hoc-2024.yaml").read_text("utf-8")
    if name != "hoc-2024":
        text = text.replace("code: hoc-2024", f"code: {name}", 1).replace(
            "effective: 2024-04-01", "effective: 2024-04-02", 1
        )
    text, n = re.subn(
        r'(provision: "6\.3"\n    stage: 1\n    event: respond\n    from: acknowledged\n    )working_days: 10\n',
        r"\1working_days: 100\n",
        text,
    )
    assert n == 1
    (ws / "provisions" / f"{name}.yaml").write_text(text, "utf-8")
    return ws


def _texts(ws: Path, tmp_path: Path, report: str, formats: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for fmt in formats:
        if fmt == "xlsx":
            target = tmp_path / f"{report}.xlsx"
            assert run("report", report, ws, *ARGS, "-f", "xlsx", "-o", target).exit_code == 0
            book = openpyxl.load_workbook(target)
            cells = [str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row if c.value]
            out[fmt] = "\n".join(cells + [s.oddHeader.center.text or "" for s in book.worksheets])
        else:
            done = run("report", report, ws, *ARGS, "-f", fmt)
            assert done.exit_code == 0, done.stderr
            out[fmt] = done.stdout
    return out


def test_a_self_assessment_against_a_modified_code_says_so_in_every_format(tmp_path: Path) -> None:
    """As the annual report does: the self-assessment answered against a modified copy of the
    Code says so, and how, in Markdown, HTML and Excel (the page's top, the workbook's About sheet
    and the header of every printed page)."""
    ws = _bent(tmp_path)
    said = "This report was judged by a modified Code: hoc-2024 is a modified copy of the official edition"
    for fmt, text in _texts(ws, tmp_path, "assessment", ("md", "html", "xlsx")).items():
        assert said in text and "6.3: 100 working days; the Code says 10 working days" in text, fmt
    assert "judged by a modified Code: see About" in _texts(ws, tmp_path, "assessment", ("xlsx",))["xlsx"]
    plain = copy_example(tmp_path / "plain")
    for fmt, text in _texts(plain, tmp_path, "assessment", ("md", "html", "xlsx")).items():
        assert "modified Code" not in text, fmt


@pytest.mark.parametrize(
    ("name", "label"),
    [
        # the example's year has complaints received under the 2022 Code too
        ("hoc-2024", "Stage 1 responses within 10 working days (hoc-2022) or 100 working days (hoc-2024)"),
        # a copy that replaces the 2024 Code
        ("hoc-2025", "Stage 1 responses within 10 working days (hoc-2022) or 100 working days (hoc-2025)"),
    ],
)
def test_labels_name_the_clocks_that_judged_the_figures(tmp_path: Path, name: str, label: str) -> None:
    """No label names the official Code's timescale where the workspace's clocks differ: the row,
    the JSON and the counting conventions say the clocks the case files were judged by."""
    ws = _bent(tmp_path, name)
    texts = _texts(ws, tmp_path, "annual", ("md", "html", "json", "xlsx"))
    for fmt, text in texts.items():
        assert label in text, fmt
        assert "Stage 1 responses within 10 working days (or a permitted extension)" not in text, fmt
        assert "The stage 1 (stage 2) response is due 10 (20) working days" not in text, fmt
        assert "the response times stated above are the clocks applied" in text, fmt


def test_labels_from_the_clocks_on_the_official_code(tmp_path: Path) -> None:
    """On the official editions a label names the one clock that judged its row, or each
    edition's where two with different clocks did (the 2022 Code acknowledges in five days, the
    2024 Code in five working days)."""
    texts = _texts(copy_example(tmp_path / "ws"), tmp_path, "annual", ("md", "json"))
    for text in texts.values():
        assert "Stage 1 responses within 10 working days (or a permitted extension)" in text
        assert "Stage 1 complaints acknowledged within 5 days (hoc-2022) or 5 working days (hoc-2024)" in text
        assert "The stage 1 (stage 2) response is due 10 (20) working days" in text


def test_a_table_header_is_filled_across_the_columns_it_spans(tmp_path: Path) -> None:
    """A table whose last column of words moves to the sheet's widest column ("Where we stand")
    keeps its header band unbroken over the columns it skips."""
    ws = copy_example(tmp_path / "ws")
    out = tmp_path / "a.xlsx"
    assert run("report", "annual", ws, *ARGS, "-f", "xlsx", "-o", out).exit_code == 0
    sheet = openpyxl.load_workbook(out)["Headline"]
    first = sheet_row(sheet, "CH01 stage 1 (complaints per 1,000 homes)")
    r = max(c.row for c in sheet["A"] if c.value == "Measure" and c.row < first)
    last = max(c.column for c in sheet[r] if c.value == "Where we stand")
    colours = {sheet.cell(r, c).fill.fgColor.rgb for c in range(1, last + 1)}
    assert colours == {sheet.cell(1, 1).fill.fgColor.rgb}, colours


def test_the_headline_says_why_timeliness_and_ch02_can_differ(tmp_path: Path) -> None:
    """The example year shows 27 stage 1 acknowledgements beside 26 complaints received, and CH02
    84.6% beside 88.5% of responses in time: the headline table says in every format that they
    count different complaints (sent in the year against received in the year)."""
    texts = _texts(copy_example(tmp_path / "ws"), tmp_path, "annual", ("md", "html", "xlsx"))
    for fmt, text in texts.items():
        said = text.replace("&#39;", "'")
        if fmt != "xlsx":  # the workbook puts the counts in columns of their own
            assert "(25 of 27)" in said and "(22 of 26)" in said, fmt
        assert "CH02 counts the complaints received in the year, whenever they were answered" in said, fmt
        assert "Acknowledgements and responses count in the period they were sent" in said, fmt
