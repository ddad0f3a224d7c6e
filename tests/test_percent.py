"""One percentage rule: one decimal place with counts, CH01 to two decimal places, the same figure
in Markdown, HTML, Excel and JSON."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl

from conftest import copy_example, run, sheet_row
from hcode.core import percent


def test_the_rule() -> None:
    assert percent.ratio(7, 8) == {"value": 87.5, "numerator": 7, "denominator": 8}
    assert percent.ratio(2, 3)["value"] == 66.7
    assert percent.ratio(0, 0)["value"] is None
    assert percent.percent_text(percent.ratio(7, 8)) == "87.5% (7 of 8)"
    assert percent.percent_text(percent.ratio(3, 3)) == "100.0% (3 of 3)"
    assert percent.percent_text(percent.ratio(0, 5)) == "0.0% (0 of 5)"
    assert percent.percent_text(percent.ratio(0, 0)) == "n/a"
    assert percent.percent_text(percent.ratio(1234, 2000)) == "61.7% (1,234 of 2,000)"
    assert percent.per_thousand(26, 640)["value"] == 40.62
    assert percent.rate_text(percent.per_thousand(26, 640)) == "40.62 (26 complaints, 640 homes)"
    assert percent.rate_text(percent.per_thousand(8, 640)) == "12.50 (8 complaints, 640 homes)"
    assert percent.rate_text(percent.per_thousand(1, None)) == "n/a (1 complaint, no data on homes)"
    assert percent.fraction(percent.ratio(7, 8)) == 0.875
    assert percent.fraction(percent.ratio(2, 3)) == 0.667
    assert percent.fraction(percent.ratio(0, 0)) is None
    assert percent.figure_text({"value": 26}, "count") == "26"
    assert percent.figure_text(None, "percent") == "n/a"


def _texts(ws: Path) -> tuple[dict[str, object], str, str, openpyxl.Workbook]:
    args = ("report", "annual", str(ws), "--year", "2024-25", "--as-of", "2025-07-31")
    figures = run(*args, "--format", "json").json()
    md = run(*args, "--format", "md").stdout
    html = run(*args, "--format", "html").stdout
    target = ws / "annual.xlsx"
    assert run(*args, "--format", "xlsx", "-o", str(target)).exit_code == 0
    return figures, md, html, openpyxl.load_workbook(target)


def test_every_format_shows_the_same_figure(tmp_path: Path) -> None:
    figures, md, html, wb = _texts(copy_example(tmp_path / "ws"))
    headline = wb["Headline"]
    rows = {headline.cell(r, 1).value: r for r in range(2, headline.max_row + 1)}
    seen = set()
    for h in figures["headline"]:  # type: ignore[attr-defined]
        cell = h["cells"]["this_year"]
        text = percent.figure_text(cell, h["unit"])
        assert h["this_year"] == cell["value"]
        # Markdown and HTML: the figure with its counts beside its label, never bare
        assert f"| {h['label']} | {text} |" in md, h["key"]
        assert f'<th scope="row">{h["label"]}</th><td class="num">{text}</td>' in html, h["key"]
        xl = headline.cell(rows[h["label"]], 2)
        seen.add(h["unit"])
        if h["unit"] == "percent":
            assert re.fullmatch(r"\d+\.\d% \(\d+ of \d+\)", text)
            assert xl.value == round(cell["value"] / 100, 3) and xl.number_format == "0.0%"
            counted = headline.cell(rows[h["label"]], 3).value, headline.cell(rows[h["label"]], 4).value
            assert counted == (cell["numerator"], cell["denominator"])
        elif h["unit"] == "per_1000_homes":
            assert re.fullmatch(r"\d+\.\d\d \(\d+ complaints?, \d+ homes\)", text)
            assert xl.value == cell["value"] and xl.number_format == "0.00"
        else:
            assert xl.value == cell["value"]
    assert seen == {"count", "percent", "per_1000_homes"}
    # CH01 is the same figure in the headline and the TSM table (it was 40.6 and 40.62)
    ch01 = percent.rate_text(figures["tsm"]["CH01"]["stage1"])  # type: ignore[index]
    assert md.count(ch01) == 2 and html.count(ch01) == 2
    ch01 = headline.cell(sheet_row(headline, "CH01 stage 1: complaints received per 1,000 homes"), 2)
    ch02 = headline.cell(sheet_row(headline, "CH02 stage 1: responses within the Code's timescale"), 2)
    assert ch01.value == figures["tsm"]["CH01"]["stage1"]["value"]  # type: ignore[index]
    assert ch01.number_format == "0.00" and ch02.number_format == "0.0%"
    # no figure in a table is a percentage without one decimal place and counts (the appendix
    # holds the landlord's own words, and a chart axis its scale)
    md_cells = "\n".join(line for line in md.split("## Appendix")[0].splitlines() if line.startswith("|"))
    html_cells = "\n".join(re.findall(r"<td[^>]*>(.*?)</td>", html.split("Appendix")[0]))
    for text in (md_cells, html_cells):
        for match in re.finditer(r"(\d+(?:\.\d+)?)%", text):
            after = text[match.end() : match.end() + 20]
            assert re.fullmatch(r"\d+\.\d", match.group(1)) and after.startswith(" ("), (match.group(0), after)
    # and no Excel cell is formatted as a whole percentage
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.number_format != "0%", (ws.title, c.coordinate)
