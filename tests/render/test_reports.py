"""Reports: hand-counted figures, golden Markdown and HTML, Excel, no personal data, templates."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import EXAMPLE, ROOT, copy_example, full_assessment, make_ws, run, sheet_row

GOLDEN = ROOT / "tests" / "golden" / "reports"
UPDATE = os.environ.get("HCODE_UPDATE_GOLDEN") == "1"

CONFIG = "hcode: 1\nlandlord: Small Homes\nhomes: 200\n"


def case(cid: str, received: str, category: str = "repairs", **body: Any) -> tuple[str, str]:
    import yaml

    doc = {"id": cid, "kind": "complaint", "received": received, "category": category, **body}
    return f"cases/{cid}.yaml", yaml.safe_dump(doc, sort_keys=False)


def s1(ack: str, responded: str | None = None, outcome: str = "upheld", **kw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"acknowledged": ack, "definition": "x", "handler": "H-1", **kw}
    if responded:
        out["responded"] = responded
        out["outcome"] = outcome
    return out


@pytest.fixture
def small(tmp_path: Path) -> Path:
    files = dict(
        [
            case(
                "C-A",
                "2024-04-10",
                stage1=s1("2024-04-12", "2024-04-24"),
                satisfied=True,
                remedy={"compensation": 100},
                learning="Book joint visits.",
            ),
            case(
                "C-B",
                "2024-05-20",
                "damp-and-mould",
                stage1=s1("2024-05-29", "2024-06-05", "not-upheld"),
            ),
            case(
                "C-C",
                "2024-07-01",
                stage1=s1("2024-07-02", "2024-07-30", "partly-upheld"),
                stage2={
                    "requested": "2024-08-05",
                    "acknowledged": "2024-08-07",
                    "definition": "y",
                    "handler": "H-2",
                    "responded": "2024-09-04",
                    "outcome": "upheld",
                },
                satisfied=False,
                remedy={"compensation": 250},
                learning="Weekly panels.",
                ombudsman={
                    "referred": "2024-10-15",
                    "determined": "2025-02-10",
                    "finding": "service-failure",
                },
            ),
            case(
                "C-D",
                "2024-10-07",
                "communication",
                stage1=s1(
                    "2024-10-08",
                    "2024-10-29",
                    "not-upheld",
                    extension={
                        "notified": "2024-10-21",
                        "due": "2024-10-29",
                        "reason": "Survey",
                        "ombudsman_details": True,
                    },
                ),
            ),
            case(
                "C-E",
                "2024-11-04",
                refused={
                    "stage": 1,
                    "date": "2024-11-06",
                    "reason": "legal-proceedings",
                    "explained": True,
                    "ombudsman_rights": True,
                },
            ),
            case(
                "C-G",
                "2025-01-13",
                "estate-services",
                stage1={
                    "acknowledged": "2025-01-14",
                    "definition": "x",
                    "handler": "H-1",
                    "outcome": "withdrawn",
                    "withdrawn": "2025-01-17",
                },
            ),
            case("C-H", "2025-03-24", stage1=s1("2025-03-25")),
            case("C-P", "2024-02-12", stage1=s1("2024-02-13", "2024-02-20")),
        ]
    )
    files["cases/S-F.yaml"] = (
        "id: S-F\nkind: service-request\nreceived: 2024-12-02\ncategory: repairs\nresolved: 2024-12-04\n"
    )
    return make_ws(tmp_path, files, config=CONFIG)


def figures(ws: Path) -> dict[str, Any]:
    result = run("report", "annual", ws, "--year", "2024-25", "--format", "json", "--as-of", "2025-07-31")
    assert result.exit_code == 0, result.stderr
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def cells(doc: dict[str, Any], key: str) -> list[Any]:
    row = next(r for r in doc["table"] if r["key"] == key)
    out = []
    for q in ("Q1", "Q2", "Q3", "Q4", "year"):
        c = row["cells"][q]
        out.append((c["numerator"], c["denominator"]) if "numerator" in c else c["value"])
    return out


def test_quarterly_table_hand_counted(small: Path) -> None:
    doc = figures(small)
    assert [q["label"] for q in doc["quarters"]] == [
        "April to June 2024",
        "July to September 2024",
        "October to December 2024",
        "January to March 2025",
    ]
    assert cells(doc, "service_requests") == [0, 0, 1, 0, 1]
    assert cells(doc, "stage1_received") == [2, 1, 1, 2, 6]
    # acknowledgements by the date sent: B was late (due 28 May, sent 29 May)
    assert cells(doc, "stage1_ack_within") == [(1, 2), (1, 1), (1, 1), (2, 2), (5, 6)]
    # responses by the date sent: C was late (due 16 July); D met its extended date; G withdrawn; H open
    assert cells(doc, "stage1_responses_within") == [(2, 2), (0, 1), (1, 1), (0, 0), (3, 4)]
    assert cells(doc, "stage1_responses_extended") == [0, 0, 1, 0, 1]  # a count of responses sent
    assert cells(doc, "resolved_at_stage1") == [(2, 2), (0, 1), (1, 1), (0, 0), (3, 4)]
    assert cells(doc, "stage2_received") == [0, 1, 0, 0, 1]
    assert cells(doc, "stage2_ack_within") == [(0, 0), (1, 1), (0, 0), (0, 0), (1, 1)]
    assert cells(doc, "stage2_responses_within") == [(0, 0), (1, 1), (0, 0), (0, 0), (1, 1)]
    assert cells(doc, "stage2_responses_extended") == [0, 0, 0, 0, 0]
    # the one stage 2 response (Q2) was then referred to the Ombudsman (Q3): not resolved at stage 2
    assert cells(doc, "resolved_at_stage2") == [(0, 0), (0, 1), (0, 0), (0, 0), (0, 1)]
    assert cells(doc, "ombudsman_referrals") == [0, 0, 1, 0, 1]
    assert cells(doc, "failure_orders") == [0, 0, 0, 0, 0]
    assert cells(doc, "satisfaction") == [(1, 1), (0, 1), (0, 0), (0, 0), (1, 2)]
    row = next(r for r in doc["table"] if r["key"] == "stage1_ack_within")
    assert row["cells"]["Q1"]["value"] == 50.0 and row["cells"]["year"]["value"] == 83.3
    assert next(r for r in doc["table"] if r["key"] == "stage2_ack_within")["cells"]["Q1"]["value"] is None


def test_tsm_and_other_figures_hand_counted(small: Path) -> None:
    doc = figures(small)
    assert doc["tsm"]["CH01"]["stage1"] == {"value": 30.0, "numerator": 6, "denominator": 200, "source": "cases"}
    assert doc["tsm"]["CH01"]["stage2"] == {"value": 5.0, "numerator": 1, "denominator": 200, "source": "cases"}
    # CH02 counts the six stage 1 complaints made in the year (E was refused): A and B in time, D in
    # time using its extension (answered 29 October, after the original 22 October), C late (due
    # 16 July, answered 30 July), G withdrawn before a response was due, H unanswered and overdue
    assert doc["tsm"]["CH02"]["stage1"] == {
        "value": 50.0,
        "numerator": 3,
        "denominator": 6,
        "without_extension": 2,
        "with_extension": 1,
        "pending": 0,
        "source": "cases",
    }
    assert doc["tsm"]["CH02"]["stage2"] == {
        "value": 100.0,
        "numerator": 1,
        "denominator": 1,
        "without_extension": 1,
        "with_extension": 0,
        "pending": 0,
        "source": "cases",
    }
    assert doc["outcomes"]["stage1"] == {
        "upheld": 1,
        "partly-upheld": 1,
        "not-upheld": 2,
        "withdrawn": 1,
    }
    assert doc["outcomes"]["stage2"] == {
        "upheld": 1,
        "partly-upheld": 0,
        "not-upheld": 0,
        "withdrawn": 0,
    }
    # working days from receipt: A 10, B 11, C 21, D 16; stage 2 C 21 (26 August a bank holiday)
    assert doc["days_to_respond"]["stage1"] == {"average": 14.5, "median": 13.5, "count": 4}
    assert doc["days_to_respond"]["stage2"] == {"average": 21.0, "median": 21.0, "count": 1}
    assert doc["categories"][0] == {
        "category": "repairs",
        "name": "Repairs",
        "this_year": 3,
        "previous_year": 1,
        "change": 2,
    }
    assert {c["category"]: c["this_year"] for c in doc["categories"]} == {
        "repairs": 3,
        "communication": 1,
        "damp-and-mould": 1,
        "estate-services": 1,
    }
    assert {r["reason"]: (r["stage1"], r["stage2"]) for r in doc["refusals"]}["legal-proceedings"] == (1, 0)
    assert doc["remedies"] == {"with_compensation": 2, "total": 350.0, "average": 175.0}
    assert doc["ombudsman"]["referrals"] == 1 and doc["ombudsman"]["findings"]["service-failure"] == 1
    assert doc["learning"] == ["Book joint visits.", "Weekly panels."]
    assert doc["previous_year"] == "2023-24"
    head = {h["key"]: (h["this_year"], h["previous_year"]) for h in doc["headline"]}
    assert head["stage1_received"] == (6, 1)


def test_tsm_audit_table(small: Path) -> None:
    out = run("report", "tsm", small, "--year", "2024-25", "--as-of", "2025-07-31").stdout.splitlines()
    assert out[0] == (
        "case,stage,stock_type,received,responded,due,extended,in_ch01,ch01_reason,in_ch02,ch02_status,"
        "ch02_reason,within_timescale,edition"
    )
    rows = {(line.split(",")[0], line.split(",")[1]): line.split(",") for line in out[1:]}
    assert rows[("C-C", "1")][7:] == [
        "True",
        "made in the year",
        "True",
        "late",
        "responded after the Code's timescale",
        "False",
        "hoc-2024",
    ]
    assert rows[("C-D", "1")][10] == "within-extension"
    assert rows[("C-E", "1")][7:9] == ["False", "not accepted (refused)"]
    assert ("C-P", "1") not in rows
    assert rows[("C-H", "1")][10:13] == ["not-responded", "no response by the end of the Code's timescale", "False"]
    assert rows[("C-G", "1")][10] == "withdrawn"
    md = run("report", "tsm", small, "--year", "2024-25", "--format", "md", "--as-of", "2025-07-31").stdout
    assert md.startswith("| case | stage |")


REPORTS = [("annual", "md"), ("annual", "html"), ("assessment", "md"), ("assessment", "html")]


@pytest.mark.parametrize(("kind", "fmt"), REPORTS)
def test_golden_reports_on_the_example(kind: str, fmt: str) -> None:
    dated = ["--as-of", "2025-07-31"] if kind == "annual" else []
    result = run("report", kind, EXAMPLE, "--year", "2024-25", "--format", fmt, *dated)
    assert result.exit_code == 0, result.stderr
    path = GOLDEN / f"{kind}.{fmt}"
    if UPDATE:
        path.write_text(result.stdout)
    assert result.stdout == path.read_text()
    again = run("report", kind, EXAMPLE, "--year", "2024-25", "--format", fmt, *dated)
    assert again.stdout == result.stdout  # deterministic


def test_html_is_self_contained_and_accessible() -> None:
    html = (GOLDEN / "annual.html").read_text()
    assert html.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert (
        "<caption" in html
        and 'aria-labelledby="headline"' in html
        and '<th scope="col">' in html
        and '<th scope="row">' in html
    )
    assert "@media print" in html and "<script" not in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "src=" not in html
    assert html.count("<svg") == 3 and html.count("<desc") == 3 and 'role="img"' in html


def test_markdown_placeholder_and_sections_in_order() -> None:
    md = (GOLDEN / "annual.md").read_text()
    order = [
        "## Our governing body's response",
        "## Statement from our Member Responsible",
        "## Headline figures",
        "## Performance by quarter",
        "## Tenant Satisfaction Measures",
        "## Outcomes and time to respond",
        "## Complaints by category",
        "## Complaints we did not accept",
        "## Putting things right",
        "## The Housing Ombudsman",
        "## Learning and service improvements",
        "## Appendix: self-assessment",
        "How we count:",
    ]
    positions = [md.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert "**Placeholder:**" in md
    assert "closure days (2024-12-27, 2024-12-30, 2024-12-31)" in md


def test_statements_improvements_and_ombudsman_documents(small: Path) -> None:
    (small / "reports").mkdir()
    (small / "reports/2024-25.yaml").write_text(
        "year: 2024-25\ngoverning_body_response: The Board accepts the report.\n"
        "mrc_statement: Complaints are valued.\nimprovements:\n  - improvement: Weekly stage 2 panels\n"
        "    learning_from: Late stage 2 responses\n"
    )
    (small / "ombudsman").mkdir()
    (small / "ombudsman/2025-05-annual-letter.yaml").write_text(
        "date: 2025-05-20\nkind: annual-letter\ntitle: Annual landlord performance letter 2024-25\nsummary: No orders.\n"
    )
    md = run("report", "annual", small, "--year", "2024-25", "--as-of", "2025-07-31").stdout
    assert "The Board accepts the report." in md and "Placeholder" not in md
    assert "| Weekly stage 2 panels | Late stage 2 responses |" in md
    assert "Annual letter: Annual landlord performance letter 2024-25" in md
    (small / "reports/2024-25.yaml").write_text("year: 2024-25\nmrc_statment: typo\n")
    bad = run("report", "annual", small, "--year", "2024-25")
    assert bad.exit_code == 3 and "reports/2024-25.yaml:2" in bad.stderr


def test_statements_are_rich_text_in_every_format(small: Path) -> None:
    """The annual report's own texts keep their paragraphs, lists and links, as the
    self-assessment's do; only http(s) becomes a link."""
    (small / "reports").mkdir()
    (small / "reports/2024-25.yaml").write_text(
        "year: 2024-25\n"
        "governing_body_response: |-\n"
        "  The Board accepts the report.\n\n"
        "  It asks for:\n  - a quarterly review\n  - see [the policy](https://example.org/policy)\n"
        "mrc_statement: Read more at https://example.org/mrc or javascript:alert(1)\n"
        "improvements:\n  - improvement: Panels, see https://example.org/panels\n"
    )
    html = run("report", "annual", small, "--year", "2024-25", "--as-of", "2025-07-31", "-f", "html").stdout
    assert "<p>The Board accepts the report.</p>" in html
    assert "<li>a quarterly review</li>" in html
    assert '<a href="https://example.org/policy">the policy</a>' in html
    assert '<a href="https://example.org/mrc">' in html and '<a href="https://example.org/panels">' in html
    assert 'href="javascript' not in html and "javascript:alert(1)" in html
    md = run("report", "annual", small, "--year", "2024-25", "--as-of", "2025-07-31").stdout
    assert "[the policy](https://example.org/policy)" in md
    assert "(https://example.org/panels)" in md
    assert "The Board accepts the report.\n\nIt asks for:" in md
    # Excel: the paragraphs and list as lines, every link clickable and listed on the Links sheet
    target = small / "annual.xlsx"
    assert (
        run(
            "report", "annual", small, "--year", "2024-25", "--as-of", "2025-07-31", "-f", "xlsx", "-o", target
        ).exit_code
        == 0
    )
    wb = openpyxl.load_workbook(target)
    h = wb["Headline"]
    response = h.cell(sheet_row(h, "Our governing body's response"), 2)
    assert response.value.startswith("The Board accepts the report.\n\nIt asks for:\n")
    assert "the policy (https://example.org/policy)" in response.value
    assert response.hyperlink.target == "https://example.org/policy"
    mrc = h.cell(sheet_row(h, "Statement from our Member Responsible for Complaints"), 2)
    assert mrc.hyperlink.target == "https://example.org/mrc" and "javascript:alert(1)" in mrc.value
    listed = {row[3] for row in wb["Links"].iter_rows(min_row=2, values_only=True)}
    assert listed == {"https://example.org/policy", "https://example.org/mrc", "https://example.org/panels"}


def test_excel_annual(small: Path, tmp_path: Path) -> None:
    target = tmp_path / "annual.xlsx"
    result = run(
        "report",
        "annual",
        small,
        "--year",
        "2024-25",
        "--format",
        "xlsx",
        "-o",
        target,
        "--as-of",
        "2025-07-31",
    )
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["Headline", "Quarterly", "Charts", "Outcomes", "Self-assessment", "Action plan", "About"]
    q = wb["Quarterly"]
    assert q.freeze_panes == "B3"
    labels = {q.cell(r, 1).value: r for r in range(3, 20)}
    r = labels["Stage 1 complaints acknowledged within 5 working days"]
    assert q.cell(r, 2).value == 0.5 and q.cell(r, 2).number_format == "0.0%"
    assert (q.cell(r, 3).value, q.cell(r, 4).value) == (1, 2)
    assert q.cell(labels["Stage 1 complaints received"], 14).value == 6
    assert len(wb["Charts"]._charts) == 3 and not q._charts
    # the TSMs below the headline figures, in the same columns
    h = wb["Headline"]
    ch01 = h.cell(sheet_row(h, "CH01: complaints made per 1,000 homes"), 2)  # stage 1 in B
    ch02 = h.cell(sheet_row(h, "CH02: complaints made in the year responded to within the Code's timescale"), 2)
    assert ch01.value == 30.0 and ch02.value == 0.5 and ch02.number_format == "0.0%"
    o = wb["Outcomes"]  # putting things right, as the report says it
    assert "Total compensation: £350.00." in o.cell(sheet_row(o, "Putting things right") + 1, 1).value
    assert q.column_dimensions["A"].width == 44 and q.column_dimensions["B"].width == 10
    again = tmp_path / "again.xlsx"
    run(
        "report",
        "annual",
        small,
        "--year",
        "2024-25",
        "--format",
        "xlsx",
        "-o",
        again,
        "--as-of",
        "2025-07-31",
        "--no-cache",  # written afresh, not the workbook the cache kept
    )
    assert again.read_bytes() == target.read_bytes()  # deterministic


def test_excel_assessment_dates_and_no_formulas(tmp_path: Path) -> None:

    evil = (
        '  6.14:\n    comply: no\n    evidence:\n      - \'=HYPERLINK("http://evil.example","x")\'\n'
        "      - '+1+2'\n      - '@SUM(A1)'\n    commentary: '-2+3'\n    actions:\n"
        "      - {action: '=cmd|calc', owner: Director, due: 2025-09-30}\n"
    )
    ws = make_ws(tmp_path / "w", {"assessments/2024-25.yaml": full_assessment(overrides=evil)})
    target = tmp_path / "sa.xlsx"
    assert run("report", "assessment", ws, "--year", "2024-25", "--format", "xlsx", "-o", target).exit_code == 0
    wb = openpyxl.load_workbook(target)
    sheet = wb["Self-assessment"]
    row = sheet_row(sheet, "6.14")
    # text, never a formula (the list's bullet marks come first)
    assert sheet.cell(row, 4).data_type == "s" and sheet.cell(row, 4).value.startswith("• =HYPERLINK")
    assert sheet.cell(row, 5).data_type == "s" and sheet.cell(row, 5).value == "-2+3"
    plan = wb["Action plan"]
    assert plan.cell(2, 2).data_type == "s" and plan.cell(2, 2).value == "=cmd|calc"
    assert plan.cell(2, 4).is_date and plan.cell(2, 4).value.date().isoformat() == "2025-09-30"
    with zipfile.ZipFile(target) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert all("<f>" not in z.read(n).decode() for n in sheets)


CANARY = "CANARY"


def test_no_personal_data_in_published_outputs(tmp_path: Path) -> None:
    files = dict(
        [
            case(
                "C-CANARY1",
                "2024-05-03",
                stage1={
                    "acknowledged": "2024-05-07",
                    "definition": f"{CANARY} definition",
                    "handler": f"{CANARY}-H1",
                    "extension": {
                        "notified": "2024-05-17",
                        "due": "2024-05-24",
                        "reason": f"{CANARY} reason",
                        "good_reason": f"{CANARY} good",
                        "ombudsman_details": True,
                    },
                    "responded": "2024-05-23",
                    "outcome": "upheld",
                },
                stage2={
                    "requested": "2024-06-03",
                    "acknowledged": "2024-06-05",
                    "definition": f"{CANARY} def2",
                    "handler": f"{CANARY}-H2",
                    "responded": "2024-06-20",
                    "outcome": "upheld",
                },
                remedy={
                    "compensation": 50,
                    "actions": [{"action": f"{CANARY} action", "due": "2024-07-01"}],
                },
                learning="Publishable learning.",
                **{"x-resident": f"{CANARY} Mrs Smith"},
            ),
            case(
                "C-2",
                "2024-06-03",
                refused={
                    "stage": 1,
                    "date": "2024-06-05",
                    "reason": "other",
                    "explained": True,
                    "ombudsman_rights": True,
                    "note": f"{CANARY} note",
                },
            ),
        ]
    )
    ws = make_ws(tmp_path / "w", files, config=CONFIG)
    outputs = []
    for fmt in ("md", "html", "json"):
        res = run("report", "annual", ws, "--year", "2024-25", "--format", fmt, "--as-of", "2025-07-31")
        assert res.exit_code == 0, res.stderr
        outputs.append(res.stdout)
    for fmt in ("md", "html"):
        outputs.append(run("report", "assessment", ws, "--year", "2024-25", "--format", fmt).stdout)
    for name in ("annual", "assessment"):
        target = tmp_path / f"{name}.xlsx"
        dated = ["--as-of", "2025-07-31"] if name == "annual" else []
        assert run("report", name, ws, "--year", "2024-25", "--format", "xlsx", "-o", target, *dated).exit_code == 0
        with zipfile.ZipFile(target) as z:
            outputs.append("".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()))
    out_dir = tmp_path / "site"
    out_dir.mkdir()
    run("report", "annual", ws, "--year", "2024-25", "-o", out_dir, "--as-of", "2025-07-31")
    outputs += [p.read_text() for p in out_dir.iterdir()]
    assert "Publishable learning." in outputs[0]
    for text in outputs:
        assert CANARY.lower() not in text.lower()
        assert "C-2" not in text


def test_markdown_cells_cannot_inject(tmp_path: Path) -> None:

    evil = (
        "  6.14:\n    comply: no\n    evidence:\n      - '<script>alert(1)</script> | [link](javascript:x)'\n"
        '    commentary: "line one\\nline two | with pipe"\n    actions:\n'
        "      - {action: '**bold** <img src=x>', owner: Director, due: 2025-09-30}\n"
    )
    ws = make_ws(tmp_path / "w", {"assessments/2024-25.yaml": full_assessment(overrides=evil)})
    md = run("report", "assessment", ws, "--year", "2024-25").stdout
    line = next(x for x in md.splitlines() if x.startswith("| 6.14 |"))
    assert line.count(" | ") == 4  # five cells: the pipes inside were escaped
    assert "<script>" not in md and "&lt;script&gt;" in md and "\\[link\\]" in md
    assert "javascript:" not in md
    assert "line one<br>line two \\| with pipe" in line
    html = run("report", "assessment", ws, "--year", "2024-25", "--format", "html").stdout
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x>" not in html


def test_workspace_templates_override_and_run_sandboxed(small: Path) -> None:
    (small / "templates").mkdir()
    (small / "templates/annual.md.j2").write_text("# {{ landlord }} {{ year }}\nCH01 {{ tsm.CH01.stage1.value }}\n")
    out = run("report", "annual", small, "--year", "2024-25", "--as-of", "2025-07-31").stdout
    assert out == "# Small Homes 2024-25\nCH01 30.0\n"
    (small / "templates/annual.md.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    bad = run("report", "annual", small, "--year", "2024-25", "--as-of", "2025-07-31")
    assert bad.exit_code == 3 and "SecurityError" in bad.stderr


def test_workspace_template_formats_any_value_and_bounds_only_widths(small: Path) -> None:
    """A format's widths are bounded, not the values it formats: a change of 123,456 complaints
    prints; ``count`` is Jinja's own (the length of a list)."""
    (small / "templates").mkdir()
    (small / "templates/annual.md.j2").write_text(
        '{% set n = 123456 %}{{ "%+d" | format(n) }} {{ "%+d" % n }} {{ "%(v)8d|" % {"v": n} }}'
        ' {{ "{:,}".format(n) }} {{ "{:>{w}}|".format(n, w=9) }} {{ "%.1f%%" % 40.625 }}'
        " {{ [1, 2, 3] | count }} {{ 7 % 3 }}\n"
    )
    out = run("report", "annual", small, "--year", "2024-25", "--as-of", "2025-07-31")
    assert out.exit_code == 0, out.stderr
    assert out.stdout == "+123456 +123456   123456| 123,456    123456| 40.6% 3 1\n"


def test_workspace_template_that_cannot_be_read_is_a_clear_error(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (small / "templates").mkdir()
    (small / "templates/annual.md.j2").write_bytes(b"# {{ landlord }} caf\xe9\n")
    bad = run("report", "annual", small, "--year", "2024-25", "--as-of", "2025-07-31")
    assert bad.exit_code == 3, bad.stderr
    assert "templates/annual.md.j2 cannot be read: it is not UTF-8 text" in bad.stderr
    assert "bug in hcode" not in bad.stderr
    (small / "templates/annual.md.j2").write_text("# {{ landlord }}\n")
    real_open = os.open

    def refuse(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith("annual.md.j2"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    bad = run("report", "annual", small, "--year", "2024-25", "--as-of", "2025-07-31")
    assert bad.exit_code == 3, bad.stderr
    assert "templates/annual.md.j2 cannot be read: Permission denied" in bad.stderr
    assert "bug in hcode" not in bad.stderr


def test_export_csv_and_jsonl(small: Path) -> None:
    csv_out = run("export", small, "--as-of", "2025-07-31").stdout.splitlines()
    header = csv_out[0].split(",")
    assert header[:4] == ["hcode_export", "id", "file", "kind"] and "stage1_responded_due" in header
    row = dict(zip(header, next(x for x in csv_out if x.startswith("1,C-C,")).split(","), strict=True))
    assert row["stage1_responded_due"] == "2024-07-16" and row["stage1_responded_status"] == "missed"
    lines = run("export", small, "--format", "jsonl", "--as-of", "2025-07-31").stdout.splitlines()
    assert len(lines) == 9 and json.loads(lines[0])["id"] == "C-P"
    assert "INTERNAL DATA" in run("export", "--help").stdout


def test_report_usage_errors(small: Path) -> None:
    assert run("report", "annual", small, "--year", "2024").exit_code == 2
    assert run("report", "annual", small, "--year", "2024-26").exit_code == 2
    assert run("report", "annual", small, "--format", "xlsx").exit_code == 2
    empty = run("report", "assessment", small, "--year", "2024-25")
    assert empty.exit_code == 0 and "No self-assessment has been recorded for 2024-25" in empty.stdout


def test_actions_shown_as_written_in_every_format(tmp_path: Path) -> None:
    """An action plan like a published one: completions with no date, a month, "tbc"."""

    plan = (
        "  6.14:\n    comply: no\n    evidence: [x]\n    actions:\n"
        "      - {action: Retrain the panel, owner: Director, due: 2021-12, done: Completed}\n"
        "      - {action: Rewrite the letters, owner: Director, due: tbc, done: true}\n"
        "      - {action: Review the policy, owner: Director, due: 2025-09-30}\n"
    )
    ws = make_ws(tmp_path / "w", {"assessments/2024-25.yaml": full_assessment(overrides=plan)})
    for fmt in ("md", "html"):
        out = run("report", "assessment", ws, "--year", "2024-25", "--format", fmt).stdout
        assert "December 2021" in out and "Completed" in out, fmt
        assert "to be confirmed" in out and "Complete" in out, fmt
        assert out.count("open") >= 1 and "2025-09-30" in out, fmt
        cells = ["Rewrite the letters", "Director", "to be confirmed", "Complete"]
        labels = (' data-label="Owner"', ' data-label="Due"', ' data-label="Done"')
        html_row = cells[0] + "".join(f"</td><td{label}>{cell}" for label, cell in zip(labels, cells[1:], strict=True))
        row = "| " + " | ".join(cells) + " |" if fmt == "md" else html_row + "</td></tr>"
        assert row in out, fmt  # done: true reads "Complete" on its own action's row
    target = tmp_path / "sa.xlsx"
    assert run("report", "assessment", ws, "--year", "2024-25", "--format", "xlsx", "-o", target).exit_code == 0
    sheet = openpyxl.load_workbook(target)["Action plan"]
    rows = [[sheet.cell(r, c).value for c in (2, 4, 5)] for r in range(2, 5)]
    assert rows[0] == ["Retrain the panel", "December 2021", "Completed"]
    assert rows[1] == ["Rewrite the letters", "to be confirmed", "Complete"]
    assert rows[2][0] == "Review the policy" and rows[2][1].date().isoformat() == "2025-09-30" and rows[2][2] == "open"


def test_section_6_stage_sub_headings_in_every_format(tmp_path: Path) -> None:

    ws = make_ws(tmp_path / "w", {"assessments/2024-25.yaml": full_assessment()})
    md = run("report", "assessment", ws, "--year", "2024-25").stdout
    section6 = md.split("## Section 6", 1)[1].split("## Section 7", 1)[0]
    assert section6.index("| | **Stage 1** | | | |") < section6.index("| 6.1 |")
    assert section6.index("| 6.10 |") > section6.index("| | **Stage 2** | | | |") > section6.index("| 6.9 |")
    assert md.count("**Stage 1**") == 1 and md.count("**Stage 2**") == 1
    html = run("report", "assessment", ws, "--year", "2024-25", "--format", "html").stdout
    assert '<th scope="colgroup" colspan="5">Stage 1</th>' in html and ">Stage 2</th>" in html
    target = tmp_path / "sa.xlsx"
    assert run("report", "assessment", ws, "--year", "2024-25", "--format", "xlsx", "-o", target).exit_code == 0
    sheet = openpyxl.load_workbook(target)["Self-assessment"]
    column = [sheet.cell(r, 1).value or sheet.cell(r, 2).value for r in range(2, sheet.max_row + 1)]
    assert column.index("Stage 1") < column.index("6.1") and column.index("6.9") < column.index(
        "Stage 2"
    ) < column.index("6.10")
    assert sheet.cell(column.index("Stage 1") + 2, 2).font.bold


def test_annual_appendix_has_the_action_plan_in_every_format(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    for fmt in ("md", "html"):
        out = run("report", "annual", ws, "--year", "2024-25", "--format", fmt).stdout
        appendix = out.split("Appendix: self-assessment against the Code", 1)[1]
        assert "Action plan" in appendix, fmt
        assert "Add the complaint handling objective to every role" in appendix, fmt
    target = tmp_path / "annual.xlsx"
    assert run("report", "annual", ws, "--year", "2024-25", "--format", "xlsx", "-o", target).exit_code == 0
    plan = openpyxl.load_workbook(target)["Action plan"]
    actions = [plan.cell(r, 2).value for r in range(2, plan.max_row + 1)]
    assert "Add the complaint handling objective to every role's appraisal" in actions


@pytest.mark.parametrize("rows", [1, 3, 8])
@pytest.mark.parametrize("title", ["Short", "A chart title long enough to wrap onto a second line of its own"])
def test_sideways_chart_is_drawn_at_its_own_height(rows: int, title: str) -> None:
    """The sideways bar chart's viewBox and height are its drawn height (more categories or a
    title on two lines make it taller), and everything it draws lies inside it."""
    import re

    from hcode.render.report import hbar_chart_svg

    cats = [f"Category {i}" for i in range(rows)]
    svg = hbar_chart_svg(title, cats, [("This year", [float(i) for i in range(rows)]), ("Before", [None] * rows)])
    opening = re.match(r'<svg [^>]*viewBox="0 0 480 (\d+)" width="480" height="(\d+)"', svg)
    assert opening is not None, svg.splitlines()[0]
    height = int(opening.group(1))
    assert int(opening.group(2)) == height
    ys = [float(y) for y in re.findall(r' y[12]?="([\d.]+)"', svg)]
    assert max(ys) < height and max(ys) > height - 40  # the legend sits at the foot
