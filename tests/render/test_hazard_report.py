"""The annual report's hazards section (md, html, xlsx, json) and the export's hazard columns."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import make_ws, run

FILES = {
    # significant, on time throughout; linked to a complaint
    "cases/2025/HZ-2025-0001.yaml": """\
        id: HZ-2025-0001
        kind: hazard
        aware: 2025-11-03T16:40
        hazard: damp-and-mould
        risk: significant
        tenure: lcra
        complaint: C-2025-0001
        investigation:
          concluded: 2025-11-12
          found: significant
        summary_sent: 2025-11-14
        made_safe: 2025-11-18
        """,
    # emergency on Christmas Eve: investigated in time; made safe 16 h 20 min late; the summary,
    # due 3 working days after 25 December (29, 30, 31 December), sent 5 January: late
    "cases/2025/HZ-2025-0002.yaml": """\
        id: HZ-2025-0002
        kind: hazard
        aware: 2025-12-24T16:40
        hazard: fire
        risk: emergency
        tenure: lcra
        investigation:
          concluded: 2025-12-25T10:00
          found: emergency
        summary_sent: 2026-01-05
        made_safe: 2025-12-26T09:00
        """,
    # shared ownership: not judged
    "cases/2026/HZ-2026-0001.yaml": """\
        id: HZ-2026-0001
        kind: hazard
        aware: 2026-01-20
        hazard: damp-and-mould
        risk: significant
        tenure: lcho
        """,
    "cases/2025/C-2025-0001.yaml": """\
        id: C-2025-0001
        kind: complaint
        received: 2025-11-03
        category: damp-and-mould
        stage1:
          acknowledged: 2025-11-04
          handler: H-1
          responded: 2025-11-14
          outcome: upheld
        """,
}


def _ws(tmp_path: Path) -> Path:
    return make_ws(tmp_path / "ws", FILES)


def test_the_hazards_section_in_json(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    done = run("report", "annual", ws, "--year", "2025-26", "--as-of", "2026-03-31", "--format", "json")
    assert done.exit_code == 0, done.stderr
    hz = done.json()["hazards"]
    assert (hz["reported"], hz["significant"], hz["emergency"]) == (3, 2, 1)
    assert hz["by_hazard"] == [
        {"hazard": "Damp and mould growth", "significant": 2, "emergency": 0, "total": 2},
        {"hazard": "Fire", "significant": 0, "emergency": 1, "total": 1},
    ]
    cells = {w["duty"]: (w["cell"]["numerator"], w["cell"]["denominator"]) for w in hz["within_time"]}
    assert cells == {
        "investigate": (2, 2),
        "summary": (1, 2),
        "make-safe": (1, 2),
        "works-begin": (0, 0),
        "works-start": (0, 0),
    }
    assert hz["not_judged"] == {"phase": 0, "lcho": 1}
    assert hz["linked"] == {"hazards": 1, "complaints": 1}
    assert "HZ-2025" not in json.dumps(hz) and "C-2025" not in json.dumps(hz)  # published: no ids


def test_the_hazards_section_in_md_html_and_xlsx(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    ws = _ws(tmp_path)
    md = run("report", "annual", ws, "--year", "2025-26", "--as-of", "2026-03-31", "--format", "md").stdout
    assert "## Hazards reported (Awaab's Law)" in md
    assert "| Damp and mould growth | 2 | 0 | 2 |" in md
    assert "| Written summary sent within time | 50.0% (1 of 2) |" in md
    assert "1 in low-cost home ownership" in md
    html = run("report", "annual", ws, "--year", "2025-26", "--as-of", "2026-03-31", "--format", "html").stdout
    assert '<h2 id="hazards">Hazards reported (Awaab' in html
    assert '<caption id="hazards-timely">' in html
    out = tmp_path / "annual.xlsx"
    done = run("report", "annual", ws, "--year", "2025-26", "--as-of", "2026-03-31", "--format", "xlsx", "-o", out)
    assert done.exit_code == 0, done.stderr
    sheet = load_workbook(out)["Hazards"]
    rows = [tuple(c.value for c in r)[:4] for r in sheet.iter_rows()]
    assert ("Fire", 0, 1, 1) in rows
    assert ("All hazards reported", 2, 1, 3) in rows
    made_safe = next(r for r in rows if r[0] == "Made safe within time")
    assert made_safe[1:4] == (0.5, 1, 2)


def test_no_hazards_section_before_awaabs_law(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    md = run("report", "annual", ws, "--year", "2024-25", "--as-of", "2025-03-31", "--format", "md").stdout
    assert "Awaab" not in md


def test_export_hazard_columns(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    done = run("export", ws, "--as-of", "2026-03-31", "--format", "csv")
    assert done.exit_code == 0, done.stderr
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(done.stdout))}
    fire = rows["HZ-2025-0002"]
    assert (fire["kind"], fire["hazard"], fire["hazard_risk"], fire["hazard_aware"]) == (
        "hazard",
        "fire",
        "emergency",
        "2025-12-24T16:40",
    )
    assert (fire["hazard_make_safe_due"], fire["hazard_make_safe_status"]) == ("2025-12-25T16:40", "missed")
    assert (fire["hazard_summary_due"], fire["hazard_summary_status"]) == ("2025-12-31", "missed")
    assert rows["HZ-2025-0001"]["hazard_complaints"] == "C-2025-0001"
    assert rows["HZ-2026-0001"]["hazard_judged"] == "tenure"
    assert rows["C-2025-0001"]["hazard"] == "" and rows["C-2025-0001"]["hazard_risk"] == ""
