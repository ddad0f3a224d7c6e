"""What people read: the HTML reports at desktop and phone widths (headless Chromium), their
accessibility (axe-core), the charts, and the Excel workbooks as printed pages (LibreOffice).

The tests that need a test-time tool skip, naming it, only when it is absent; ``make test-tools``
installs them all and CI runs it first. The rest run everywhere. Those that start the browser or
LibreOffice are slow (``make test`` runs them; ``make test-fast`` leaves them out).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

import paper
from conftest import EXAMPLE, copy_example, run
from hcode.render.report import bar_chart_svg, charts, hbar_chart_svg

NO_CHROMIUM = "headless Chromium is not installed (make test-tools installs it)"
NO_AXE = "axe-core is not installed in .tools/ (make test-tools installs it with npm)"
NO_SOFFICE = "LibreOffice is not installed (make test-tools installs libreoffice-calc-nogui)"
NO_PDFTOTEXT = "pdftotext is not installed (make test-tools installs poppler-utils)"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("paper")
    return paper.render_reports(copy_example(root / "ws"), root / "out")


# -- the HTML as written (no browser needed) -----------------------------------------------------------


def test_every_chart_has_its_own_ids_and_name(reports: dict[str, Path]) -> None:
    page = reports["annual.html"].read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) == 3
    for svg in svgs:
        named_by = re.search(r'aria-labelledby="([^"]+)"', svg)
        assert named_by is not None
        title_id, desc_id = named_by.group(1).split()
        # the name and description are the chart's own, inside it
        assert f'<title id="{title_id}">' in svg and f'<desc id="{desc_id}">' in svg


def test_chart_labels_are_display_names() -> None:
    import dataclasses
    import json

    from hcode.core.annualfigures import AnnualFigures, Category

    printed = run("report", "annual", EXAMPLE, "--year", "2024-25", "--as-of", "2025-07-31", "-f", "json").stdout
    figures = dataclasses.replace(
        AnnualFigures.of(json.loads(printed)),
        categories=(
            Category("anti-social-behaviour", "Anti-social behaviour", 2, 1, 1),
            Category("neighbourhood", "Neighbourhood and community", 1, 0, 1),
        ),
    )
    svg = charts(figures)["categories"]
    assert "Anti-social behaviour" in svg and "anti-social-behaviour" not in svg
    # a long name wraps onto two lines instead of running into its neighbour
    assert re.search(r"<tspan[^>]*>Neighbourhood and</tspan><tspan[^>]*>community</tspan>", svg), svg


def test_nothing_to_count_looks_different_from_zero() -> None:
    svg = bar_chart_svg("T", ["Q1", "Q2"], [("Stage 2", [None, 0.0])], unit="%", maximum=100.0, ident="c")
    texts = re.findall(r">([^<>]+)</text>", svg)
    assert "n/a" in texts and "0%" in texts
    bars = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="(\d+\.\d)" fill="#1f4e79"/>', svg)
    assert bars == ["2.0"], "0% is a visible thin bar; n/a has none"
    assert "Q1: n/a (nothing to count)" in svg and "Q2: 0.0%" in svg  # in the description too
    side = hbar_chart_svg("T", ["A"], [("This year", [None]), ("Previous year", [0.0])], ident="h")
    assert "n/a" in re.findall(r">([^<>]+)</text>", side)


def test_no_section_title_twice(reports: dict[str, Path]) -> None:
    for name in ("annual.html", "assessment.html"):
        page = reports[name].read_text(encoding="utf-8")
        headings = set(re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", page))
        captions = re.findall(r"<caption[^>]*>(.*?)</caption>", page)
        assert not headings & set(captions), (name, headings & set(captions))
        # a table without a caption is named by its heading
        for table in re.findall(r"<table[^>]*>", page):
            labelled = re.search(r'aria-labelledby="([^"]+)"', table)
            assert labelled and f'id="{labelled.group(1)}"' in page, table


def test_html_placeholders_name_the_file_and_field(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    for f in (ws / "reports").glob("*.yaml"):
        f.unlink()
    files = paper.render_reports(ws, tmp_path / "out")
    page = files["annual.html"].read_text(encoding="utf-8")
    import openpyxl

    statements = [c.value for c in openpyxl.load_workbook(files["annual.xlsx"])["Headline"]["B"]]
    for field in ("governing_body_response", "mrc_statement"):
        assert f"(add <code>{field}</code> to <code>reports/{paper.YEAR}.yaml</code>)" in page
        # the workbook says what the page says
        assert any(f"not been recorded yet (add {field} to reports/{paper.YEAR}.yaml)" in str(s) for s in statements)


# -- in the browser --------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(paper.chromium() is None, reason=NO_CHROMIUM)
@pytest.mark.parametrize("report", ["annual", "assessment"])
@pytest.mark.parametrize("width", [paper.PHONE, paper.DESKTOP])
def test_the_page_fits_its_screen(reports: dict[str, Path], report: str, width: int) -> None:
    m = paper.measure(reports[f"{report}.html"], width)
    assert m["innerWidth"] == width
    assert m["scrollWidth"] <= width, f"the page scrolls sideways: {m['scrollWidth']} px; too wide: {m['outside']}"
    assert not m["duplicateIds"]
    assert not m["overlaps"], m["overlaps"]
    assert not m["crowded"], m["crowded"]
    small = [t for t in m["chartText"] if t["px"] < paper.MIN_CHART_TEXT_PX]
    assert not small, small[:5]
    if report == "annual":
        assert len(m["charts"]) == 3 and len(m["chartText"]) > 20
        for chart in m["charts"]:
            assert chart["width"] <= width and all(n["inside"] for n in chart["names"]), chart


@pytest.mark.slow
@pytest.mark.skipif(paper.chromium() is None, reason=NO_CHROMIUM)
@pytest.mark.skipif(paper.axe() is None, reason=NO_AXE)
@pytest.mark.parametrize("report", ["annual", "assessment"])
@pytest.mark.parametrize("width", [paper.PHONE, paper.DESKTOP])
def test_axe_finds_nothing(reports: dict[str, Path], report: str, width: int) -> None:
    violations = paper.axe_violations(reports[f"{report}.html"], width)
    assert violations == [], violations


@pytest.mark.slow
@pytest.mark.skipif(paper.chromium() is None, reason=NO_CHROMIUM)
def test_a_table_of_a_few_columns_fits_a_phone(reports: dict[str, Path], tmp_path: Path) -> None:
    """A table of four columns or fewer (the hazards by hazard and risk, the outcomes, the
    refusals) fits a 390-pixel phone without scrolling sideways; only wider tables (the quarters,
    the benchmarks) scroll in their box, their first column in view, with a shadow at the edge
    that has more to see."""
    from test_hazard_report import FILES

    from conftest import make_ws

    ws = make_ws(tmp_path / "ws", FILES)
    page = tmp_path / "hazards.html"
    args = ("report", "annual", ws, "--year", "2025-26", "--as-of", "2026-03-31", "-f", "html")
    page.write_text(run(*args).stdout, encoding="utf-8")
    for html in (page, reports["annual.html"]):
        scrolled = paper.scrolled_tables(html, paper.PHONE)
        assert [t for t in scrolled if t["columns"] <= 4] == [], scrolled
        # a table cut off at the screen's edge shows that it scrolls
        assert scrolled and all(t["shadow"] for t in scrolled), scrolled
    assert "hazards-reported" in page.read_text(encoding="utf-8")


@pytest.mark.skipif(paper.chromium() is None, reason=NO_CHROMIUM)
def test_the_columns_layout_fits_a_phone(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    page = tmp_path / "columns.html"
    args = ("report", "assessment", str(ws), "--year", paper.YEAR, "--layout", "columns", "--format", "html")
    assert run(*args, "-o", str(page)).exit_code == 0
    m = paper.measure(page, paper.PHONE)
    assert m["scrollWidth"] <= paper.PHONE and not m["duplicateIds"], m["outside"]


@pytest.mark.slow
@pytest.mark.skipif(paper.chromium() is None, reason=NO_CHROMIUM)
@pytest.mark.skipif(paper.axe() is None, reason=NO_AXE)
@pytest.mark.parametrize("layout", ["table", "columns"])
def test_axe_finds_nothing_in_the_forms_as_landlords_write_them(tmp_path: Path, layout: str) -> None:
    """Notes, shared actions and an action naming no provision (its row header says so: an empty
    header cell failed axe's empty-table-header before), and the 2020 questionnaire's cards."""
    from conftest import ROOT, make_ws

    forms = {
        "2024-25": (ROOT / "tests/data/forms/notes_and_shared_actions.yaml").read_text("utf-8"),
        "2020-21": (ROOT / "tests/data/assessments/2020-21-questionnaire.yaml").read_text("utf-8"),
    }
    for year, text in forms.items():
        ws = make_ws(tmp_path / year, {f"assessments/{year}.yaml": text})
        page = tmp_path / f"{year}.html"
        args = ("report", "assessment", ws, "--year", year, "--layout", layout, "-f", "html", "-o", page)
        assert run(*args).exit_code == 0
        for width in (paper.PHONE, paper.DESKTOP):
            assert paper.axe_violations(page, width) == [], (year, width)


# -- Excel on paper ----------------------------------------------------------------------------------


def test_every_sheet_prints_readably(reports: dict[str, Path]) -> None:
    import openpyxl
    from openpyxl.utils import get_column_letter

    for name in ("annual.xlsx", "assessment.xlsx"):
        wb = openpyxl.load_workbook(reports[name])
        for ws in wb.worksheets:
            setup = ws.page_setup
            assert (setup.fitToWidth, setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == (1, 0, True)
            assert str(setup.paperSize) == ws.PAPERSIZE_A4
            widths = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, ws.max_column + 1))
            if widths <= 100:
                assert setup.orientation == "portrait", (ws.title, widths)
            # the header rows repeat where they head everything on the sheet; not over statements
            titles = None if (name, ws.title) == ("annual.xlsx", "Headline") else ("$1:$1", "$1:$2")
            assert ws.print_title_rows in (titles or (None,)), (ws.title, ws.print_title_rows)
            assert "Riverside Vale Homes" in ws.oddHeader.center.text and paper.YEAR in ws.oddHeader.center.text
            assert ws.oddFooter.left.text == "&A" and ws.oddFooter.right.text == "Page &P of &N"
            for cell in ws[1]:
                if cell.value:  # header cells name their font (no serif fallback in LibreOffice)
                    assert cell.font.name == "Calibri" and cell.font.b, (ws.title, cell.coordinate)
    annual = openpyxl.load_workbook(reports["annual.xlsx"])
    assert "1 April 2024 to 31 March 2025" in annual["Headline"].oddHeader.center.text
    about = {r[0].value: r[1].value for r in annual["About"].iter_rows(min_row=2)}
    assert about["Landlord"] == "Riverside Vale Homes" and about["Year"] == paper.YEAR
    assert about["Figures as of"].date().isoformat() == paper.AS_OF and "(hoc-2024)" in about["Code"]
    # the quarters' headers are over their three columns, not squeezed into one narrow one
    q = annual["Quarterly"]
    assert q["B1"].value == "April to June 2024" and "B1:D1" in {str(r) for r in q.merged_cells.ranges}
    assert [q.cell(2, c).value for c in (2, 3, 4)] == ["Value", "Counted", "Out of"]
    h = annual["Headline"]  # the years likewise
    assert [h["B1"].value, h["E1"].value, h["B2"].value, h["D2"].value] == ["2024-25", "2023-24", "Value", "Out of"]
    # the small tables on one sheet, each with its header row; a change signed, as in Markdown
    o = annual["Outcomes"]
    repairs = next(r for r in range(1, o.max_row + 1) if o.cell(r, 1).value == "Repairs")
    assert o.cell(repairs, 4).value == 5 and o.cell(repairs, 4).number_format == "+0;-0;0"
    heads = [o.cell(r, 1).value for r in range(1, o.max_row + 1) if o.cell(r, 1).font.b and o.cell(r, 1).value]
    assert heads[-7:] == [  # each table named as the report's sections and captions name it
        "Outcomes and time to respond",
        "Complaints by category",
        "Complaints we did not accept",
        "Putting things right",
        "The Housing Ombudsman",
        "Ombudsman findings this year",
        "Rates and averages",
    ]
    # turned the way it prints on fewer pages: the Headline (a little wider than a portrait page)
    # stands up and fits on one; the self-assessment's wide form lies down
    assert annual["Headline"].page_setup.orientation == "portrait"
    assert annual["Self-assessment"].page_setup.orientation == "landscape"
    # a section that would run onto the next page starts on it (the rates table, whole)
    breaks = [b.id + 1 for b in o.row_breaks.brk]
    assert [o.cell(r + (o.cell(r, 1).value is None), 1).value for r in breaks] == ["Rates and averages"]
    # wrapped text gets the height it needs
    sa = annual["Self-assessment"]
    tall = [r for r in range(2, sa.max_row + 1) if (sa.row_dimensions[r].height or 0) >= 45]
    assert len(tall) > 20


def _page_sheets(texts: list[str]) -> list[str]:
    """Each printed page's sheet, from its footer ("Sheet name    Page 3 of 20")."""
    out = []
    for text in texts:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        found = re.match(r"(.*?)\s{2,}Page \d+ of \d+$", lines[-1]) if lines else None
        assert found, lines[-3:]
        out.append(found.group(1))
    return out


@pytest.mark.slow
@pytest.mark.skipif(paper.soffice() is None, reason=NO_SOFFICE)
@pytest.mark.skipif(paper.pdftotext() is None, reason=NO_PDFTOTEXT)
@pytest.mark.parametrize("report", ["annual", "assessment"])
def test_the_workbook_on_paper(reports: dict[str, Path], report: str, tmp_path: Path) -> None:
    import openpyxl

    pdf = paper.to_pdf(reports[f"{report}.xlsx"], tmp_path)
    texts = paper.page_texts(pdf)
    assert len(texts) == paper.pdf_pages(pdf)
    wb = openpyxl.load_workbook(reports[f"{report}.xlsx"])
    sheets = _page_sheets(texts)
    assert sorted(set(sheets)) == sorted(wb.sheetnames)
    for i, (text, sheet) in enumerate(zip(texts, sheets, strict=True)):
        # never split column-wise: every page has the sheet's first and last column headers
        # (its header rows are repeated on every page where they head all that is on it)
        headers = [str(c.value) for c in wb[sheet][1] if c.value]
        if wb[sheet].print_title_rows is None and i and sheets[i - 1] == sheet:
            body = [line.strip() for line in text.splitlines() if line.strip()][1]
            assert not body.startswith(headers[0]), (sheet, body)  # no figures' header over statements
            continue
        for header in (headers[0], headers[-1]):
            assert header.split()[0] in text, (sheet, header)
    if report == "annual":
        assert len(texts) <= paper.MAX_ANNUAL_PAGES, dict(Counter(sheets))


@pytest.mark.slow
@pytest.mark.skipif(paper.soffice() is None, reason=NO_SOFFICE)
@pytest.mark.skipif(paper.pdftotext() is None, reason=NO_PDFTOTEXT)
def test_statements_on_a_later_page_are_not_under_the_figures_header(tmp_path: Path) -> None:
    """The Headline sheet's statements and improvements run onto a second page: that page starts
    with them, not with the headline figures' header rows (Measure, the years, Value / Counted /
    Out of)."""
    ws = copy_example(tmp_path / "ws")
    (ws / "reports").mkdir(exist_ok=True)
    improvements = "".join(
        f"  - improvement: Improvement {i}, agreed with the residents' panel\n    learning_from: Complaint theme {i}\n"
        for i in range(40)
    )
    (ws / "reports/2024-25.yaml").write_text(f"year: 2024-25\nimprovements:\n{improvements}", "utf-8")
    out = tmp_path / "annual.xlsx"
    assert (
        run("report", "annual", ws, "--year", paper.YEAR, "--as-of", paper.AS_OF, "-f", "xlsx", "-o", out).exit_code
        == 0
    )
    texts = paper.page_texts(paper.to_pdf(out, tmp_path))
    headline = [t for t, sheet in zip(texts, _page_sheets(texts), strict=True) if sheet == "Headline"]
    assert len(headline) >= 2
    second = [line.strip() for line in headline[1].splitlines() if line.strip()]
    assert not second[1].startswith("Measure"), second[:3]
    assert "Measure" in headline[0]
