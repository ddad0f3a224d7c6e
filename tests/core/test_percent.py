"""One percentage rule: one decimal place with counts, CH01 to two decimal places, the same figure
in Markdown, HTML, Excel and JSON."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

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
    # CH01 is the same figure in the headline, the TSM table (it was 40.6 and 40.62) and as the
    # complaints per 1,000 homes of "Rates and averages"
    ch01 = percent.rate_text(figures["tsm"]["CH01"]["stage1"])  # type: ignore[index]
    assert md.count(ch01) == 3 and html.count(ch01) == 3
    ch01 = headline.cell(sheet_row(headline, "CH01: complaints made per 1,000 homes"), 2)  # stage 1 in B
    ch02 = headline.cell(
        sheet_row(headline, "CH02: complaints made in the year responded to within the Code's timescale"), 2
    )
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


SHOWN_AS = [
    # (cell, unit, way, Markdown/HTML text, Excel: value cell, cell beside it)
    (None, "count", percent.NO_DATA, "no data", None, "no data"),
    ({"value": None, "source": "none"}, "percent", percent.NO_DATA, "no data", None, "no data"),
    ({"value": 26, "source": "cases"}, "count", percent.VALUE, "26", 26, None),
    ({"value": 1234, "source": "entered"}, "count", percent.VALUE, "1,234 \u2020", 1234, None),
    ({"value": None, "source": "entered", "written": "n/a"}, "count", percent.WRITTEN, "n/a \u2020", "n/a", None),
    ({"value": None, "source": "entered"}, "count", percent.NO_DATA, "no data", None, "no data"),
    ({"value": 87.5, "numerator": 7, "denominator": 8}, "percent", percent.VALUE, "87.5% (7 of 8)", 0.875, 7),
    ({"value": None, "numerator": 0, "denominator": 0}, "percent", percent.NOTHING_COUNTED, "n/a", "n/a", 0),
    ({"responses": 1, "source": "entered"}, "percent", percent.RESPONSES, "1 response \u2020", None, "1 response"),
    (
        {"value": 40.62, "numerator": 26, "denominator": 640},
        "per_1000_homes",
        percent.VALUE,
        "40.62 (26 complaints, 640 homes)",
        40.62,
        26,
    ),
    (
        {"value": None, "numerator": 3, "denominator": None},
        "per_1000_homes",
        percent.NO_HOMES,
        "no data (no homes figure)",
        None,
        "no data",
    ),
]


@pytest.mark.parametrize(("cell", "unit", "way", "text", "value", "beside"), SHOWN_AS)
def test_every_format_shows_a_figure_the_one_way(
    cell: dict[str, Any] | None, unit: str, way: str, text: str, value: Any, beside: Any
) -> None:
    """shown_as decides once how a figure cell is shown; Markdown/HTML and Excel follow it."""
    from hcode.render import excel
    from hcode.render import figuretext as report

    assert percent.shown_as(cell, unit) == way
    assert report.figure(cell, unit) == text
    ws = openpyxl.Workbook().active
    excel._figure(ws, 1, 1, cell, unit)
    assert (ws.cell(1, 1).value, ws.cell(1, 2).value) == (value, beside)


def test_ch01_reads_the_same_in_the_headline_and_the_tsm_table() -> None:
    """A CH01 entered with its homes but not its count says so in both places."""
    from hcode.render import figuretext as report

    for cell in (
        {"value": 14.3, "numerator": None, "denominator": 2380, "source": "entered"},
        {"value": 14.3, "numerator": None, "denominator": None, "source": "entered"},
        {"value": 40.62, "numerator": 26, "denominator": 640, "source": "cases"},
    ):
        assert report.ch01(cell, "2024-25") == report.figure(cell, "per_1000_homes")
    assert report.ch01({"value": 14.3, "numerator": None, "denominator": 2380, "source": "entered"}, "2024-25") == (
        "14.30 (no data on complaints, 2,380 homes) \u2020"
    )
