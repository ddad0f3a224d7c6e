"""Annual report figures: published figures entered by hand, "no data", homes per year (with the
LCRA/LCHO split), and ``report annual --as-of`` (provisional reports)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import ROOT, copy_example, make_ws, run, sheet_row
from hcode.core import figures as figs
from hcode.core import metrics
from hcode.core.model import Homes, Settings

# A landlord that keeps no case files in hcode: a quarterly table (counts, "2 of 2", "n/a",
# "1 response") for 2023-24, and the year before as whole-year percentages.
CONFIG = """\
hcode: 1
landlord: Brookside Homes
homes:
  2022-23: 410
  2023-24: {lcra: 400, lcho: 20}
"""
THIS_YEAR = """\
year: 2023-24
figures:
  Q1:
    service_requests: 12
    stage1_received: 0
    stage1_ack_within: n/a
    satisfaction: n/a
  Q2:
    service_requests: 9
    stage1_received: 1
    stage1_ack_within: 1 of 1
    satisfaction: 0 responses
  Q3:
    service_requests: 5
    stage1_received: 3
    stage1_ack_within: 3 of 3
    stage1_responses_extended: 1
    satisfaction: 1 response
  Q4:
    service_requests: 8
    stage1_received: 2
    stage1_ack_within: 2 of 2
    satisfaction: 2 responses
  year:
    service_requests: 34
    stage1_received: 6
    stage1_responses_within: 5 of 6
    resolved_at_stage1: 100%
    stage2_received: 0
"""
LAST_YEAR = """\
year: 2022-23
figures:
  year:
    stage1_received: 9
    stage1_ack_within: 97%
    stage1_responses_within: 81%
    resolved_at_stage1: 90%
    stage2_responses_within: 75%
    resolved_at_stage2: 80%
"""


@pytest.fixture
def published(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    (ws / "reports").mkdir(parents=True)
    (ws / "cases").mkdir()
    (ws / "hcode.yaml").write_text(CONFIG, "utf-8")
    (ws / "reports" / "2023-24.yaml").write_text(THIS_YEAR, "utf-8")
    (ws / "reports" / "2022-23.yaml").write_text(LAST_YEAR, "utf-8")
    return ws


def annual_json(ws: Path, *args: str) -> dict[str, Any]:
    res = run("report", "annual", "-w", ws, "--year", "2023-24", "-f", "json", "--as-of", "2024-07-31", *args)
    assert res.exit_code == 0, res.stdout
    return dict(json.loads(res.stdout))


def row(doc: dict[str, Any], key: str) -> dict[str, Any]:
    return dict(next(r for r in doc["table"] if r["key"] == key)["cells"])


# -- core: reading the figures ------------------------------------------------------------------


def test_parse_figure_forms() -> None:
    assert figs.parse_figure("stage1_received", 3) == {"value": 3, "source": "entered"}
    assert figs.parse_figure("stage1_responses_within", "84%") == {
        "value": 84.0,
        "numerator": None,
        "denominator": None,
        "source": "entered",
        "places": 0,
    }
    assert figs.parse_figure("stage1_ack_within", "2 of 3")["value"] == 66.7
    assert figs.parse_figure("resolved_at_stage1", "n/a")["denominator"] == 0
    assert figs.parse_figure("satisfaction", "1 response") == {"value": None, "responses": 1, "source": "entered"}
    assert figs.parse_figure("ch01_stage1", 12.345)["value"] == 12.35


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("stage1_received", -3, "cannot be negative"),
        ("stage1_received", "lots", "whole number"),
        ("stage1_received", "-4", "cannot be negative"),
        ("stage1_received", 2.5, "whole number"),
        ("stage1_received", True, "must be a figure"),
        ("stage1_responses_within", 84, "does not say whether"),
        ("stage1_responses_within", "120%", "over 100%"),
        ("stage1_responses_within", "3 of 2", "more than the total"),
        ("stage1_responses_within", "-5%", "cannot be negative"),
        ("stage1_received", "1 response", "whole number"),
        ("satisfaction", "many responses", "not a figure"),
        ("ch01_stage1", -1.0, "cannot be negative"),
    ],
)
def test_parse_figure_refuses(name: str, value: Any, words: str) -> None:
    with pytest.raises(figs.FigureError) as exc:
        figs.parse_figure(name, value)
    assert words in exc.value.message


def test_parse_figures_names_the_nearest() -> None:
    cells, problems = figs.parse_figures(
        {"Q5": {}, "Q1": {"stage1_recieved": 2, "ch01_stage1": 3.0, "stage2_received": -1}, "year": {"x-note": 1}}
    )
    found = {p.path: p for p in problems}
    assert found[("Q5",)].hint == "did you mean 'Q4'?"
    assert found[("Q1", "stage1_recieved")].hint == "did you mean 'stage1_received'?"
    assert "whole year" in (found[("Q1", "ch01_stage1")].hint or "")
    assert "negative" in found[("Q1", "stage2_received")].message
    assert cells == {"Q1": {}, "year": {}}


@pytest.mark.parametrize(
    ("name", "cell", "words"),
    [
        ("stage1_received", {"value": 26, "source": "cases"}, "26"),
        ("service_requests", {"value": 1234, "source": "entered"}, "1,234"),
        ("service_requests", {"value": None, "source": "entered", "written": "n/a"}, "n/a"),
        # percentages: one decimal place, with the counts where known (core/percent.py)
        ("stage1_ack_within", {"value": 100.0, "numerator": 3, "denominator": 3, "source": "cases"}, "100.0% (3 of 3)"),
        ("stage1_ack_within", {"value": 66.7, "numerator": 2, "denominator": 3, "source": "cases"}, "66.7% (2 of 3)"),
        ("stage1_ack_within", {"value": 0.0, "numerator": 0, "denominator": 5, "source": "cases"}, "0.0% (0 of 5)"),
        ("stage1_ack_within", {"value": None, "numerator": 0, "denominator": 0, "source": "cases"}, "n/a"),
        (
            "stage1_responses_within",
            {"value": 84.0, "numerator": None, "denominator": None, "source": "entered"},
            "84.0%",
        ),
        ("ch02_stage1", {"value": 100.0, "numerator": 7, "denominator": 7, "source": "cases"}, "100.0% (7 of 7)"),
        # CH01 is a rate per 1,000 homes, two decimal places: never a percentage
        (
            "ch01_stage1",
            {"value": 40.62, "numerator": 26, "denominator": 640, "source": "cases"},
            "40.62 (26 complaints, 640 homes)",
        ),
        ("ch01_stage1", {"value": 14.3, "numerator": None, "denominator": None, "source": "entered"}, "14.30"),
        ("satisfaction", {"value": None, "responses": 1, "source": "entered"}, "1 response"),
        ("satisfaction", {"value": None, "responses": 4, "source": "entered"}, "4 responses"),
        ("stage2_received", {"value": None, "source": "none"}, "no data"),
    ],
)
def test_shown_writes_figures_by_the_one_rule(name: str, cell: dict[str, Any], words: str) -> None:
    assert figs.shown(cell, name) == words


def test_a_ch01_difference_is_written_as_a_rate(tmp_path: Path) -> None:
    """CH01 entered by hand and computed differently: both written as rates, not percentages."""
    ws = copy_example(tmp_path / "ws")
    (ws / "reports").mkdir(exist_ok=True)
    (ws / "reports" / "2024-25.yaml").write_text("year: 2024-25\nfigures:\n  year:\n    ch01_stage1: 35\n", "utf-8")
    doc = json.loads(
        run("report", "annual", "-w", ws, "--year", "2024-25", "-f", "json", "--as-of", "2025-07-31").stdout
    )
    assert [(d["key"], d["computed"], d["entered"]) for d in doc["differences"]] == [
        ("ch01_stage1", "40.62 (26 complaints, 640 homes)", "35")  # shown as written
    ]


def test_agrees() -> None:
    computed = {"value": 88.5, "numerator": 23, "denominator": 26, "source": "cases"}
    assert figs.agrees(computed, figs.parse_figure("stage1_responses_within", "88%"))
    assert figs.agrees(computed, figs.parse_figure("stage1_responses_within", "23 of 26"))
    assert not figs.agrees(computed, figs.parse_figure("stage1_responses_within", "90%"))
    assert not figs.agrees(computed, figs.parse_figure("stage1_responses_within", "23 of 27"))
    assert figs.agrees(computed, figs.parse_figure("satisfaction", "26 responses"))
    assert not figs.agrees({"value": 3, "source": "cases"}, figs.parse_figure("stage1_received", 4))
    # rounded to the places written: 88.5% is 88% or 89% to a whole number, but 88.1% is not 88.5%
    assert figs.agrees(computed, figs.parse_figure("stage1_responses_within", "89%"))
    assert figs.agrees(computed, figs.parse_figure("stage1_responses_within", "88.5%"))
    assert not figs.agrees(computed, figs.parse_figure("stage1_responses_within", "88.1%"))
    assert not figs.agrees(computed, figs.parse_figure("stage1_responses_within", "88.9%"))
    # CH01 (two places): 40.62 is 41, 40.6 or 40.62 as written; 40.2 and 40.65 differ
    ch01 = {"value": 40.62, "numerator": 26, "denominator": 640, "source": "cases"}
    for written, same in ((41, True), (40.6, True), (40.62, True), (40.2, False), (40.65, False), (40, False)):
        assert figs.agrees(ch01, figs.parse_figure("ch01_stage1", written)) is same, written


def test_homes_in_never_borrows_another_year() -> None:
    plain = Settings(landlord="L", homes=500)
    assert plain.homes_in("2019-20") == Homes(500)
    per_year = Settings(landlord="L", homes_by_year={"2024-25": Homes(820, 800, 20)})
    assert per_year.homes_in("2024-25") == Homes(820, 800, 20)
    assert per_year.homes_in("2023-24") is None


# -- published figures with no case files --------------------------------------------------------


def test_no_case_files_uses_the_figures_entered_and_no_data_elsewhere(published: Path) -> None:
    doc = annual_json(published)
    assert doc["case_records"] is False and doc["provisional"] is None
    assert row(doc, "stage1_received")["Q1"] == {"value": 0, "source": "entered"}  # a zero written is a zero
    assert row(doc, "stage1_received")["year"] == {"value": 6, "source": "entered"}
    assert row(doc, "stage2_ack_within")["Q1"] == {"value": None, "source": "none"}  # never 0
    assert row(doc, "ombudsman_referrals")["year"] == {"value": None, "source": "none"}
    assert row(doc, "satisfaction")["Q3"] == {"value": None, "responses": 1, "source": "entered"}
    assert row(doc, "stage1_responses_extended")["Q3"] == {"value": 1, "source": "entered"}
    # the TSMs worked out from the figures entered, over that year's own homes (LCRA + LCHO)
    assert doc["homes"] == 420 and doc["homes_split"] == {"lcra": 400, "lcho": 20}
    assert doc["tsm"]["CH01"]["stage1"] == {"value": 14.29, "numerator": 6, "denominator": 420, "source": "entered"}
    assert doc["tsm"]["CH02"]["stage1"]["value"] == 83.3
    assert doc["tsm"]["CH02"]["stage2"]["source"] == "none"
    # what only case files can give is no data, never 0
    for key in ("outcomes", "days_to_respond", "categories", "refusals", "remedies", "ombudsman"):
        assert doc[key] is None
    # last year's published percentages, CH01 over last year's own homes
    assert doc["previous_year"] == "2022-23"
    heads = {h["key"]: h for h in doc["headline"]}
    assert heads["ch01_stage1"]["previous_year"] == 21.95  # 9 / 410 homes
    assert heads["ch02_stage1"]["previous_year"] == 81.0
    assert heads["ch02_stage1"]["cells"]["previous_year"]["source"] == "entered"
    assert doc["previous_homes"] == {"total": 410, "lcra": None, "lcho": None}


def test_no_data_and_entered_in_markdown_and_html(published: Path) -> None:
    md = run("report", "annual", "-w", published, "--year", "2023-24", "--as-of", "2024-07-31").stdout
    table = md.split("## Performance by quarter")[1].split("## Tenant")[0]
    assert (
        "| Stage 2 complaints acknowledged within 5 working days | no data | no data | no data | no data | no data |"
        in table
    )
    assert "| 0 † |" in table  # stage 1 complaints in Q1: entered as 0
    assert "1 response †" in table and "0 responses †" in table
    assert "† Entered by hand" in table
    assert "| 0 |" not in md.replace("| 0 † |", "")  # no figure without data reads 0
    assert "No case records for 2023-24" in md
    assert "14.29 (6 complaints, 420 homes) †" in md
    assert "400 low-cost rental (LCRA) and 20 low-cost home ownership (LCHO)" in md
    assert md.count("No data: there are no case records for 2023-24.") == 4
    html = run("report", "annual", "-w", published, "--year", "2023-24", "-f", "html", "--as-of", "2024-07-31").stdout
    assert '<td class="num">no data</td>' in html and "1 response †" in html
    assert '<td class="num">0</td>' not in html


def test_no_data_in_excel_is_an_empty_cell_never_0(published: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.xlsx"
    res = run(
        "report", "annual", "-w", published, "--year", "2023-24", "-f", "xlsx", "-o", out, "--as-of", "2024-07-31"
    )
    assert res.exit_code == 0, res.stdout
    wb = openpyxl.load_workbook(out)
    ws = wb["Quarterly"]
    rows = {ws.cell(r, 1).value: [c.value for c in ws[r]] for r in range(2, ws.max_row + 1)}
    ack2 = rows["Stage 2 complaints acknowledged within 5 working days"]
    assert ack2[1] is None and ack2[2] == "no data"  # Q1: empty, marked
    assert ack2[-1] == "no data: Q1, Q2, Q3, Q4, Year"
    s1 = rows["Stage 1 complaints received"]
    assert s1[1] == 0 and "entered by hand: Q1, Q2, Q3, Q4, Year" in s1[-1]
    assert rows["Satisfaction with complaint handling"][3 * 2 + 2] == "1 response"
    h = wb["Headline"]  # the TSMs below the headline figures: stage 1 in B, stage 2 in E, notes last
    ch01 = sheet_row(h, "CH01: complaints made per 1,000 homes")
    ch02 = sheet_row(h, "CH02: complaints made in the year responded to within the Code's timescale")
    assert h.cell(ch01, 2).value == 14.29 and "entered by hand: Stage 1" in h.cell(ch01, h.max_column).value
    assert h.cell(ch02, 5).value is None and "no data: Stage 2" in h.cell(ch02, h.max_column).value
    assert wb["Outcomes"].cell(3, 1).value == "No data: there are no case records for 2023-24."


def test_check_accepts_good_figures(published: Path) -> None:
    res = run("check", "-w", published, "--as-of", "2024-07-31", "-f", "json")
    rules = {f["rule"] for f in json.loads(res.stdout)["findings"]}
    assert not rules & {"schema", "yaml", "report.figure", "report.figure-differs"}


def test_bad_figures_are_errors_with_file_line_and_column(published: Path) -> None:
    (published / "reports" / "2023-24.yaml").write_text(
        THIS_YEAR.replace("stage1_received: 3", "stage1_received: -3").replace(
            "resolved_at_stage1: 100%", "resolved_at_stage1: most"
        ),
        "utf-8",
    )
    res = run("check", "-w", published, "--as-of", "2024-07-31", "-f", "json")
    found = [f for f in json.loads(res.stdout)["findings"] if f["rule"] == "report.figure"]
    lines = THIS_YEAR.splitlines()
    assert [(f["file"], f["line"], f["column"]) for f in found] == [
        ("reports/2023-24.yaml", lines.index("    stage1_received: 3") + 1, 22),
        ("reports/2023-24.yaml", lines.index("    resolved_at_stage1: 100%") + 1, 25),
    ]
    assert "cannot be negative" in found[0]["message"] and found[0]["severity"] == "error"
    refused = run("report", "annual", "-w", published, "--year", "2023-24", "--as-of", "2024-07-31")
    assert refused.exit_code == 3 and "reports/2023-24.yaml" in refused.stderr
    named = run("report", "annual", "-w", published, "--year", "2023-24", "--as-of", "2024-07-31", "--skip-broken")
    assert named.exit_code == 0 and "Incomplete" in named.stdout


def test_an_unknown_figure_name_suggests_the_nearest(published: Path) -> None:
    (published / "reports" / "2023-24.yaml").write_text(
        THIS_YEAR.replace("service_requests: 34", "servce_requests: 34"), "utf-8"
    )
    res = run("check", "-w", published, "--as-of", "2024-07-31", "-f", "json")
    found = [f for f in json.loads(res.stdout)["findings"] if f["file"] == "reports/2023-24.yaml"]
    assert found and found[0]["hint"] == "did you mean 'service_requests'?" and found[0]["line"] == 25


# -- published figures beside case files: computed shown, differences warned ---------------------


def test_computed_figures_win_and_differences_are_warned(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    (ws / "reports").mkdir(exist_ok=True)
    text = (
        "year: 2024-25\nfigures:\n  Q1:\n    stage1_ack_within: 7 of 8\n  year:\n"
        "    stage1_received: 30\n    stage1_responses_within: 90%\n    ch02_stage2: 100%\n"
    )
    (ws / "reports" / "2024-25.yaml").write_text(text, "utf-8")
    doc = json.loads(
        run("report", "annual", "-w", ws, "--year", "2024-25", "-f", "json", "--as-of", "2025-07-31").stdout
    )
    assert row(doc, "stage1_received")["year"] == {"value": 26, "source": "cases"}
    assert [(d["key"], d["period"], d["computed"], d["entered"]) for d in doc["differences"]] == [
        ("stage1_received", "year", "26", "30"),
        ("stage1_responses_within", "year", "88.5% (23 of 26)", "90%"),
    ]
    res = run("check", "-w", ws, "--as-of", "2025-07-31", "-f", "json")
    warned = [f for f in json.loads(res.stdout)["findings"] if f["rule"] == "report.figure-differs"]
    assert [(f["line"], f["severity"]) for f in warned] == [(6, "warning"), (7, "warning")]
    assert warned[0]["message"] == "Stage 1 complaints received (year): entered 30, but the case files give 26"
    md = run("report", "annual", "-w", ws, "--year", "2024-25", "--as-of", "2025-07-31").stdout
    assert "- Stage 1 complaints received, year: computed 26, entered 30" in md
    html = run("report", "annual", "-w", ws, "--year", "2024-25", "-f", "html", "--as-of", "2025-07-31").stdout
    assert "<li>Stage 1 complaints received, year: computed 26, entered 30</li>" in html
    out = tmp_path / "a.xlsx"
    run("report", "annual", "-w", ws, "--year", "2024-25", "-f", "xlsx", "-o", out, "--as-of", "2025-07-31")
    sheet = openpyxl.load_workbook(out)["Quarterly"]  # under the table, as in md and html
    lines = [c.value for c in sheet["A"]]
    assert "Stage 1 complaints received, year: computed 26, entered 30" in lines
    assert any(str(t).startswith("Figures that differ from those entered by hand.") for t in lines)


# -- homes per year --------------------------------------------------------------------------------


def test_ch01_uses_each_years_own_homes(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    config = (ws / "hcode.yaml").read_text("utf-8")
    (ws / "hcode.yaml").write_text(config.replace("homes: 640", "homes: {2023-24: 600, 2024-25: 640}"), "utf-8")
    doc = json.loads(
        run("report", "annual", "-w", ws, "--year", "2024-25", "-f", "json", "--as-of", "2025-07-31").stdout
    )
    heads = {h["key"]: h for h in doc["headline"]}
    assert heads["ch01_stage1"]["this_year"] == 40.62  # 26 / 640
    assert heads["ch01_stage1"]["previous_year"] == 13.33  # 8 / 600, not 8 / 640
    # a year with no homes figure: said so, never another year's number
    (ws / "hcode.yaml").write_text(config.replace("homes: 640", "homes: {2024-25: 640}"), "utf-8")
    doc = json.loads(
        run("report", "annual", "-w", ws, "--year", "2024-25", "-f", "json", "--as-of", "2025-07-31").stdout
    )
    heads = {h["key"]: h for h in doc["headline"]}
    assert heads["ch01_stage1"]["previous_year"] is None
    assert heads["ch01_stage1"]["cells"]["previous_year"]["denominator"] is None
    md = run("report", "annual", "-w", ws, "--year", "2024-25", "--as-of", "2025-07-31").stdout
    assert (
        "| Stage 1 complaints per 1,000 homes (CH01) | 40.62 (26 complaints, 640 homes) | no data (no homes figure) |"
        in md
    )
    doc = json.loads(
        run("report", "annual", "-w", ws, "--year", "2025-26", "-f", "json", "--as-of", "2026-07-31").stdout
    )
    assert doc["homes"] is None and doc["tsm"]["CH01"]["stage1"]["value"] is None
    md = run("report", "annual", "-w", ws, "--year", "2025-26", "--as-of", "2026-07-31").stdout
    assert "no data: no homes figure for 2025-26" in md


@pytest.mark.parametrize(
    ("homes", "words", "line"),
    [
        ("homes: {2024: 640}", "'2024' is not a reporting year", 4),
        ("homes: {2024-26: 640}", "2024-26 is not a reporting year: write 2024-25", 4),
        ("homes:\n  2024-25: -5", "homes", 5),
        ("homes:\n  2024-25: {lcra: 600}", "lcho", 5),
    ],
)
def test_bad_homes_are_errors_with_the_line(tmp_path: Path, homes: str, words: str, line: int) -> None:
    ws = copy_example(tmp_path / "ws")
    config = (ws / "hcode.yaml").read_text("utf-8")
    (ws / "hcode.yaml").write_text(config.replace("homes: 640", homes), "utf-8")
    res = run("check", "-w", ws, "--as-of", "2025-07-31")
    assert res.exit_code == 3
    assert f"hcode.yaml:{line}" in res.stderr and words in res.stderr


def test_init_without_homes_writes_settings_check_accepts(tmp_path: Path) -> None:
    ws = tmp_path / "new"
    assert run("init", ws, "--landlord", "New Homes").exit_code == 0
    res = run("check", "-w", ws, "-f", "json")
    assert res.exit_code in (0, 1), res.stdout  # findings about the blank self-assessment, not the settings
    assert not [f for f in json.loads(res.stdout)["findings"] if f["file"] == "hcode.yaml"]


def test_fmt_round_trips_homes_per_year_and_figures(published: Path) -> None:
    (published / "hcode.yaml").write_text(CONFIG.replace("landlord", "# our stock return\nlandlord"), "utf-8")
    before = {p: p.read_text("utf-8") for p in [published / "hcode.yaml", *sorted((published / "reports").glob("*"))]}
    res = run("fmt", "-w", published, "--check")
    assert res.exit_code == 0, res.stdout
    reordered = THIS_YEAR.replace("  Q1:", "  x-source: Board report, May 2024\n  Q1:")
    (published / "reports" / "2023-24.yaml").write_text(
        reordered.replace(
            "    service_requests: 12\n    stage1_received: 0\n",
            "    stage1_received: 0 # by hand\n    service_requests: 12\n",
        ),
        "utf-8",
    )
    table_before = annual_json(published)["table"]
    assert run("fmt", "-w", published).exit_code == 0
    text = (published / "reports" / "2023-24.yaml").read_text("utf-8")
    assert "    service_requests: 12\n    stage1_received: 0 # by hand\n" in text  # the report's row order
    assert "x-source: Board report, May 2024" in text
    assert (published / "hcode.yaml").read_text("utf-8") == before[published / "hcode.yaml"]
    assert annual_json(published)["table"] == table_before  # fmt changed the layout, not the figures


# -- as of a date ----------------------------------------------------------------------------------


def test_as_of_counts_nothing_after_the_date(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")

    def figures(as_of: str) -> dict[str, Any]:
        res = run("report", "annual", "-w", ws, "--year", "2024-25", "-f", "json", "--as-of", as_of)
        return dict(json.loads(res.stdout))

    full, part = figures("2025-07-31"), figures("2024-12-31")
    assert full["provisional"] is None and part["provisional"] == {"as_at": "2024-12-31"}
    received = row(full, "stage1_received")
    assert row(part, "stage1_received")["Q4"] == {"value": None, "source": "none"}  # not yet begun
    assert row(part, "stage1_received")["year"]["value"] == sum(received[q]["value"] for q in ("Q1", "Q2", "Q3"))
    assert row(part, "stage1_received")["year"]["value"] < received["year"]["value"]
    # the Ombudsman referral of Q4 is not known on 31 December
    assert (
        row(part, "ombudsman_referrals")["year"]["value"] == 1
        and row(full, "ombudsman_referrals")["year"]["value"] == 2
    )
    assert part["ombudsman"]["referrals"] == 1
    # mid-quarter: the quarter counts up to the date
    mid = figures("2025-01-31")
    assert mid["tsm"]["CH01"]["stage1"]["numerator"] == row(mid, "stage1_received")["year"]["value"]


def test_provisional_in_every_format(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    args = ("report", "annual", "-w", ws, "--year", "2024-25", "--as-of", "2025-01-31")
    md = run(*args).stdout
    assert "**Provisional: figures as at 2025-01-31.**" in md
    html = run(*args, "-f", "html").stdout
    assert '<p class="provisional" role="note"><strong>Provisional: figures as at 2025-01-31.</strong>' in html
    out = tmp_path / "p.xlsx"
    run(*args, "-f", "xlsx", "-o", out)
    wb = openpyxl.load_workbook(out)
    texts = [c.value for c in wb["Headline"]["A"]] + [c.value for c in wb["Quarterly"]["A"]]
    assert sum(1 for t in texts if isinstance(t, str) and t.startswith("Provisional: figures as at 2025-01-31.")) == 2
    # a year that is over is not provisional
    assert "Provisional" not in run("report", "annual", "-w", ws, "--year", "2024-25", "--as-of", "2025-04-01").stdout


def test_core_annual_as_of_and_published(cal: Any) -> None:
    settings = Settings(landlord="L", homes_by_year={"2023-24": Homes(100)})
    entered, _ = figs.parse_figures({"Q1": {"stage1_received": 2}, "year": {"stage1_received": 2}})
    doc = metrics.annual([], "2023-24", settings, cal, as_of=date(2023, 8, 1), published=entered)
    assert doc["provisional"] == {"as_at": "2023-08-01"} and doc["case_records"] is False
    cells = next(r for r in doc["table"] if r["key"] == "stage1_received")["cells"]
    assert cells["Q1"] == {"value": 2, "source": "entered"} and cells["Q2"]["source"] == "none"
    assert doc["tsm"]["CH01"]["stage1"]["value"] == 20.0
    # a quarter not begun on the date shows no data, even where a figure was entered for it
    entered, _ = figs.parse_figures({"Q4": {"stage1_received": 5}})
    doc = metrics.annual([], "2023-24", settings, cal, as_of=date(2023, 12, 31), published=entered)
    assert next(r for r in doc["table"] if r["key"] == "stage1_received")["cells"]["Q4"]["source"] == "none"


# -- the examples in the docs run as documented ---------------------------------------------------


def _doc_yaml(doc: str, heading: str) -> str:
    import re

    text = (ROOT / "docs" / doc).read_text("utf-8")
    found = re.search(r"```yaml\n(.*?)```", text.split(heading, 1)[1], re.S)
    assert found is not None
    return found.group(1)


def test_reports_doc_figures_example(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    (ws / "reports").mkdir(parents=True)
    (ws / "hcode.yaml").write_text("hcode: 1\nlandlord: Example Homes\nhomes: {2023-24: 420}\n", "utf-8")
    (ws / "reports" / "2023-24.yaml").write_text(_doc_yaml("reports.md", "### Published figures"), "utf-8")
    res = run("check", "-w", ws, "--as-of", "2024-07-31", "-f", "json")
    assert not [f for f in json.loads(res.stdout)["findings"] if f["file"] == "reports/2023-24.yaml"]
    assert run("fmt", "-w", ws, "--check").exit_code == 0
    doc = annual_json(ws)
    assert row(doc, "stage1_ack_within")["Q3"] == {
        "value": 100.0,
        "numerator": 3,
        "denominator": 3,
        "source": "entered",
    }
    assert row(doc, "stage1_responses_within")["year"]["value"] == 84.0
    assert doc["tsm"]["CH01"]["stage1"] == {
        "value": 14.3,
        "numerator": 6,
        "denominator": 420,
        "source": "entered",
        "places": 1,
    }
    md = run("report", "annual", "-w", ws, "--year", "2023-24", "--as-of", "2024-07-31").stdout
    assert "| 100.0% (3 of 3) † |" in md and "1 response †" in md and "| 84% † |" in md  # as written


def test_formats_doc_homes_example(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    (ws / "hcode.yaml").write_text(_doc_yaml("formats.md", "### Homes per year"), "utf-8")
    doc = json.loads(
        run("report", "annual", "-w", ws, "--year", "2024-25", "-f", "json", "--as-of", "2025-07-31").stdout
    )
    assert doc["homes"] == 2400 and doc["homes_split"] == {"lcra": 2310, "lcho": 90}
    assert doc["previous_homes"] == {"total": 2380, "lcra": None, "lcho": None}
    assert doc["tsm"]["CH01"]["stage1"]["denominator"] == 2400
    assert run("fmt", "-w", ws, "--check").exit_code == 0


def test_ch01_and_ch02_by_tenure_where_the_split_is_given(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    config = (ws / "hcode.yaml").read_text("utf-8")
    (ws / "hcode.yaml").write_text(config.replace("homes: 640", "homes: {2024-25: {lcra: 600, lcho: 40}}"), "utf-8")
    files = sorted((ws / "cases").rglob("*.yaml"))
    tagged = {"lcra": 0, "lcho": 0}
    for i, path in enumerate(files):  # every complaint of the example gets a tenure but one
        text = path.read_text("utf-8")
        if "kind: complaint" not in text or i == 0:
            continue
        tenure = "lcho" if i % 5 == 0 else "lcra"
        path.write_text(text.replace("\ncategory:", f"\ntenure: {tenure}\ncategory:", 1), "utf-8")
        tagged[tenure] += 1
    assert tagged["lcho"] and tagged["lcra"]
    res = run("check", "-w", ws, "--as-of", "2025-07-31", "-f", "json")
    assert not [f for f in json.loads(res.stdout)["findings"] if f["rule"] in ("schema", "yaml")]
    doc = json.loads(
        run("report", "annual", "-w", ws, "--year", "2024-25", "-f", "json", "--as-of", "2025-07-31").stdout
    )
    split = doc["tsm_split"]
    total = doc["tsm"]["CH01"]["stage1"]["numerator"]
    lcra, lcho = split["lcra"]["CH01"]["stage1"], split["lcho"]["CH01"]["stage1"]
    assert (lcra["denominator"], lcho["denominator"]) == (600, 40)
    assert lcra["numerator"] + lcho["numerator"] + split["not_recorded"]["stage1"] == total
    assert lcho["value"] == round(1000 * lcho["numerator"] / 40, 2)
    ch02 = [split[t]["CH02"]["stage1"] for t in ("lcra", "lcho")]
    assert sum(c["denominator"] for c in ch02) <= doc["tsm"]["CH02"]["stage1"]["denominator"]
    md = run("report", "annual", "-w", ws, "--year", "2024-25", "--as-of", "2025-07-31").stdout
    assert f"| CH01, low-cost home ownership (LCHO) | {lcho['value']:.2f} ({lcho['numerator']} complaint" in md
    (ws / "cases" / files[1].relative_to(ws / "cases")).write_text(
        files[1].read_text("utf-8").replace("tenure: lcra", "tenure: rental"), "utf-8"
    )
    bad = run("check", "-w", ws, "--as-of", "2025-07-31", "-f", "json")
    assert [f["rule"] for f in json.loads(bad.stdout)["findings"] if "tenure" in f["message"]] == ["schema"]


def test_the_annual_figures_are_cached_per_year(tmp_path: Path) -> None:
    from hcode.api import open_workspace

    ws = copy_example(tmp_path / "ws")
    api = open_workspace(ws)
    first = api.annual("2023-24", date(2025, 7, 31))
    second = api.annual("2024-25", date(2025, 7, 31))
    cache = ws / ".hcode-cache"
    assert (cache / "annual-2023-24.pickle").is_file() and (cache / "annual-2024-25.pickle").is_file()
    assert not (cache / "annual.pickle").exists()
    # a second run is served from each year's own cache file, and answers the same
    before = {p.name: p.stat().st_mtime_ns for p in cache.glob("annual-*.pickle")}
    again = open_workspace(ws)
    assert again.annual("2023-24", date(2025, 7, 31)) == first
    assert again.annual("2024-25", date(2025, 7, 31)) == second
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("annual-*.pickle")} == before


def test_a_reports_file_not_named_for_a_year_is_reported(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    (ws / "reports").mkdir(exist_ok=True)
    (ws / "reports/summary.yaml").write_text("year: 2024-25\n")
    (ws / "reports/2023-24.yml").write_text("year: 2023-24\n")
    doc = json.loads(run("check", ws, "--as-of", "2025-07-31", "-f", "json").stdout)
    named = sorted((f["file"], f["severity"]) for f in doc["findings"] if f["rule"] == "file.name")
    assert named == [("reports/2023-24.yml", "warning"), ("reports/summary.yaml", "warning")]
    message = next(f for f in doc["findings"] if f["file"] == "reports/summary.yaml")
    assert "is not read" in message["message"] and "reports/2024-25.yaml" in message["hint"]


@pytest.mark.parametrize(
    ("figures", "differs"),
    [
        # the example's 2023-24: 6 of 7 stage 1 responses within the time (85.7%) and 8
        # complaints per 640 homes (12.50 per 1,000). 86.0% and 13.0 are written to one place:
        # 85.7% and 12.5 to one place, so both differ (a parsed 86.0 or 13.0 reads as 86 or 13)
        ("{year: {stage1_responses_within: 86.0%, ch01_stage1: 13.0}}", ["stage1_responses_within", "ch01_stage1"]),
        (
            "\n  year:\n    stage1_responses_within: 86.0%\n    ch01_stage1: 13.0\n",
            ["stage1_responses_within", "ch01_stage1"],
        ),
        # to a whole number 85.7% is 86% and 12.50 is 13 (12.5 rounds half up): both agree
        ("{year: {stage1_responses_within: 86%, ch01_stage1: 13}}", []),
        # to the places written
        ("{year: {stage1_responses_within: 85.7%, ch01_stage1: 12.5}}", []),
        ("{year: {stage1_responses_within: 85.8%, ch01_stage1: 12.50}}", ["stage1_responses_within"]),
        ("{year: {stage1_responses_within: 85.7%, ch01_stage1: 12.6}}", ["ch01_stage1"]),
    ],
)
def test_figures_agree_to_the_places_written(tmp_path: Path, figures: str, differs: list[str]) -> None:
    ws = copy_example(tmp_path / "ws")
    (ws / "reports").mkdir(exist_ok=True)
    (ws / "reports" / "2023-24.yaml").write_text(f"year: 2023-24\nfigures: {figures}\n", "utf-8")
    doc = json.loads(
        run("report", "annual", "-w", ws, "--year", "2023-24", "-f", "json", "--as-of", "2025-07-31").stdout
    )
    assert [d["key"] for d in doc["differences"]] == differs
    if differs:
        assert doc["differences"][0]["computed"] in ("85.7% (6 of 7)", "12.50 (8 complaints, 640 homes)")


def test_places_as_written() -> None:
    # the text written decides, not the parsed number: 13.0 is one place, 13 none
    assert figs.parse_figure("ch01_stage1", 13.0, "13.0")["places"] == 1
    assert figs.parse_figure("ch01_stage1", 13.0, "13")["places"] == 0
    assert figs.parse_figure("ch01_stage1", 12.5)["places"] == 1  # no text: as the number shows
    assert figs.parse_figure("stage1_responses_within", "86.0%")["places"] == 1
    assert figs.parse_figure("stage1_responses_within", "86%")["places"] == 0
    assert figs.parse_figure("stage1_responses_within", "85.71%")["places"] == 1  # kept to one place
    ch01 = {"value": 12.5, "numerator": 8, "denominator": 640, "source": "cases"}
    assert not figs.agrees(ch01, figs.parse_figure("ch01_stage1", 13.0, "13.0"))
    assert figs.agrees(ch01, figs.parse_figure("ch01_stage1", 13.0, "13"))


def test_entered_figures_take_thousands_separators_and_are_shown_as_written() -> None:
    """What landlords publish: "6,898" complaints, "6,898 of 7,000", "76%" (not 76.0%), a CH01 of
    "35" with no homes figure (not "35.00 (650 complaints, no data on homes)")."""
    from hcode.core import percent

    assert figs.parse_figure("stage1_received", "6,898") == {"value": 6898, "source": "entered"}
    assert figs.parse_figure("stage1_received", "6898") == {"value": 6898, "source": "entered"}
    cell = figs.parse_figure("stage1_ack_within", "6,898 of 7,000")
    assert (cell["numerator"], cell["denominator"], cell["value"]) == (6898, 7000, 98.5)
    assert percent.percent_text(figs.parse_figure("stage1_responses_within", "76%")) == "76%"
    assert percent.percent_text(figs.parse_figure("stage1_responses_within", "76.0%")) == "76.0%"
    rate = figs.parse_figure("ch01_stage1", 35, "35")
    assert percent.rate_text({**rate, "numerator": 650, "denominator": None}) == "35"
    assert percent.rate_text(figs.parse_figure("ch01_stage1", "1,234.5")) == "1,234.5"
    for bad in ("6,89", "68,98", "6.898", "-6,898"):
        with pytest.raises(figs.FigureError):
            figs.parse_figure("stage1_received", bad)


def test_categories_with_only_entered_figures_last_year_say_no_data_never_0(tmp_path: Path) -> None:
    """Last year's headline figures entered by hand, but no case files for it: the categories
    table and chart have no count for last year ("no data"), in every format, never 0."""
    case = """\
        id: C-2024-0001
        kind: complaint
        received: 2024-05-02
        category: repairs
        channel: phone
        stage1:
          acknowledged: 2024-05-03
          definition: Leak not repaired.
          handler: H-001
          responded: 2024-05-10
          outcome: upheld
        """
    ws = make_ws(
        tmp_path / "ws",
        {
            "cases/2024/C-2024-0001.yaml": case,
            "reports/2023-24.yaml": "year: 2023-24\nfigures:\n  year:\n    stage1_received: 30\n",
        },
    )
    args = ("report", "annual", "-w", ws, "--year", "2024-25", "--as-of", "2025-07-31")
    doc = json.loads(run(*args, "-f", "json").stdout)
    assert doc["previous_year"] == "2023-24"  # last year's column is shown (entered figures)...
    assert [(c["category"], c["this_year"], c["previous_year"], c["change"]) for c in doc["categories"]] == [
        ("repairs", 1, None, None)  # ...but no case file says how many were about repairs
    ]
    md = run(*args).stdout
    assert "| Repairs | 1 | no data |  |" in md
    html = run(*args, "-f", "html").stdout
    assert '<td class="num">no data</td>' in html and "Previous year" not in html.split("chart-categories")[1][:3000]
