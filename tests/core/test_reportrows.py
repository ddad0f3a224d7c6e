"""The rows published reports carry (upheld rates, escalation, days, the Ombudsman's
determinations, complaints per 1,000 homes), worked by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import copy_example, make_ws, run
from hcode.core.annualfigures import AnnualFigures
from hcode.core.reportrows import Rate, report_rows, rows_json


def _figures(**over: Any) -> AnnualFigures:
    """Annual figures holding what the rows are worked out from (the rest empty)."""
    cell = {"numerator": None}
    base: dict[str, Any] = {
        "landlord": "Test Homes",
        "year": "2024-25",
        "period": {"start": "2024-04-01", "end": "2025-03-31"},
        "quarters": [],
        "headline": [],
        "table": [],
        "case_records": True,
        "homes": 400,
        "outcomes": {
            "stage1": {"upheld": 3, "partly-upheld": 1, "not-upheld": 4, "withdrawn": 2},
            "stage2": {"upheld": 0, "partly-upheld": 0, "not-upheld": 0, "withdrawn": 1},
        },
        "days_to_respond": {
            "stage1": {"average": 9.3, "median": 8.0, "count": 8},
            "stage2": {"average": None, "median": None, "count": 0},
        },
        "tsm": {
            "CH01": {"stage1": {"numerator": 10}, "stage2": {"numerator": 2}},
            "CH02": {"stage1": cell, "stage2": cell},
        },
        "ombudsman": {
            "findings": {
                "severe-maladministration": 1,
                "maladministration": 0,
                "service-failure": 2,
                "reasonable-redress": 1,
                "no-maladministration": 1,
                "outside-jurisdiction": 3,
                "mediation": 0,
                "withdrawn": 1,
            },
            "referrals": 9,
            "failure_orders": 0,
        },
    }
    base.update(over)
    return AnnualFigures.of(base)


def test_rates_worked_by_hand() -> None:
    rows = report_rows(_figures())
    assert rows is not None
    # stage 1: 3 + 1 + 4 = 8 with an outcome (the 2 withdrawn are not in it)
    assert rows.stage1.upheld == Rate(3, 8, 37.5)
    assert rows.stage1.partly_upheld == Rate(1, 8, 12.5)
    assert rows.stage1.not_upheld == Rate(4, 8, 50.0)
    assert (rows.stage1.mean_days, rows.stage1.median_days, rows.stage1.responses) == (9.3, 8.0, 8)
    # stage 2: one withdrawn, none decided: n/a, never 0%
    assert rows.stage2.upheld == Rate(0, 0, None) and rows.stage2.mean_days is None
    assert rows.escalation == Rate(2, 10, 20.0)  # 2 escalated of 10 made at stage 1
    # 1 severe + 2 service failure = 3, of 9 determinations less 3 outside jurisdiction and 1 withdrawn = 5
    assert rows.maladministration == Rate(3, 5, 60.0)
    assert (rows.per_1000_homes, rows.percent_of_homes) == (25.0, 2.5)  # 10 stage 1 complaints, 400 homes
    cells = rows.cells()
    assert cells["complaints_per_1000_homes"] == {"value": 25.0, "numerator": 10, "denominator": 400, "source": "cases"}
    assert cells["stage2_upheld"] == {"value": None, "numerator": 0, "denominator": 0, "source": "cases"}
    assert cells["stage2_mean_days"] == {"value": None, "source": "cases", "written": "n/a"}
    assert cells["determinations_outside_jurisdiction"] == {"value": 3, "source": "cases"}
    doc = rows_json(cells)
    assert doc is not None and [r["key"] for r in doc["rows"]][:3] == [
        "stage1_upheld",
        "stage1_partly_upheld",
        "stage1_not_upheld",
    ]
    assert "what-findings-can-the-housing-ombudsman-make" in doc["findings_source"]


def test_no_homes_and_no_records() -> None:
    rows = report_rows(_figures(homes=None))
    assert rows is not None and rows.per_1000_homes is None and rows.percent_of_homes is None
    assert report_rows(_figures(case_records=False)) is None  # no case records: no data, never 0


def test_the_example_report_json(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    doc = json.loads(run("report", "annual", ws, "--year", "2024-25", "--as-of", "2025-07-31", "-f", "json").stdout)
    rates = {r["key"]: r["cell"] for r in doc["rates"]["rows"]}
    # 26 stage 1 complaints decided (7 upheld, 6 partly, 13 not; 1 withdrawn), 3 escalated, 640 homes
    assert rates["stage1_upheld"] == {"value": 26.9, "numerator": 7, "denominator": 26, "source": "cases"}
    assert rates["stage1_not_upheld"]["value"] == 50.0
    assert rates["escalation_rate"]["value"] == 11.5 and rates["escalation_rate"]["denominator"] == 26
    assert rates["stage1_median_days"] == {"value": 10.0, "count": 26, "source": "cases"}
    assert rates["complaints_per_1000_homes"]["value"] == 40.62
    assert rates["complaints_percent_of_homes"]["value"] == 4.1  # 26 / 640 = 4.06%
    assert rates["determinations_mediation"] == {"value": 0, "source": "cases"}
    assert rates["maladministration_rate"]["value"] == 100.0  # 1 maladministration of 1 determination


REPORT = """\
year: 2023-24
figures:
  year:
    stage1_received: 1,204
    stage1_upheld: 45%
    escalation_rate: 12 of 100
    stage1_mean_days: 8.5
    determinations_maladministration: 2
    complaints_per_1000_homes: 35
"""


def test_rows_entered_by_hand_are_shown_as_written(tmp_path: Path) -> None:
    """A year without case files: the rows entered under figures: year: are the report's."""
    ws = make_ws(tmp_path / "ws", {"reports/2023-24.yaml": REPORT})
    r = run("report", "annual", ws, "--year", "2023-24", "--as-of", "2024-07-31", "-f", "json")
    assert r.exit_code == 0, r.stderr
    rates = {row["key"]: row["cell"] for row in json.loads(r.stdout)["rates"]["rows"]}
    assert set(rates) == {
        "stage1_upheld",
        "escalation_rate",
        "stage1_mean_days",
        "determinations_maladministration",
        "complaints_per_1000_homes",
    }
    assert rates["stage1_upheld"]["value"] == 45.0 and rates["stage1_upheld"]["source"] == "entered"
    assert rates["escalation_rate"]["numerator"] == 12 and rates["escalation_rate"]["value"] == 12.0
    assert rates["stage1_mean_days"]["value"] == 8.5
    assert rates["complaints_per_1000_homes"]["places"] == 0
    bad = make_ws(
        tmp_path / "bad", {"reports/2023-24.yaml": "year: 2023-24\nfigures:\n  Q1:\n    escalation_rate: 5%\n"}
    )
    found = json.loads(run("check", bad, "--as-of", "2024-07-31", "-f", "json").stdout)["findings"]
    [f] = [f for f in found if f["rule"] == "schema"]  # given for the whole year only
    assert "escalation_rate" in f["message"] and f["line"] == 4


def test_entered_rows_in_markdown_and_a_difference_from_the_case_files(tmp_path: Path) -> None:
    ws = make_ws(tmp_path / "ws", {"reports/2023-24.yaml": REPORT})
    md = run("report", "annual", ws, "--year", "2023-24", "--as-of", "2024-07-31").stdout
    section = md.split("## Rates and averages", 1)[1].split("\n## ", 1)[0]
    assert "| Stage 1 complaints upheld | 45% \u2020 |" in section  # as written, marked entered
    assert "| Ombudsman determinations: maladministration | 2 \u2020 |" in section
    assert "| Stage 1 complaints per 1,000 homes | 35 \u2020 |" in section
    # the example's 2024-25 has case files: 7 of 26 upheld (26.9%); 30% entered differs, 27% agrees
    example = copy_example(tmp_path / "example")
    (example / "reports").mkdir(exist_ok=True)
    (example / "reports" / "2024-25.yaml").write_text(
        "year: 2024-25\nfigures:\n  year:\n    stage1_upheld: 30%\n    stage1_not_upheld: 50%\n"
    )
    found = json.loads(run("check", example, "--as-of", "2025-07-31", "-f", "json").stdout)["findings"]
    differs = [f for f in found if f["rule"] == "report.figure-differs"]
    assert [f["message"] for f in differs] == [
        "Stage 1 complaints upheld (year): entered 30%, but the case files give 26.9% (7 of 26)"
    ]
