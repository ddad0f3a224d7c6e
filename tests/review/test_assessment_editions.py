"""Self-assessments per edition: each file's code: selects its form and its checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import ROOT, check_json, make_ws, sheet_sections

FIXTURE_2020 = (ROOT / "tests" / "data" / "assessments" / "2020-21-questionnaire.yaml").read_text()

YES_2024 = '  "1.2":\n    comply: yes\n    evidence: [Policy 2.1]\n'


def form(code: str, year: str, answers: str, completed: str = "2025-06-14") -> str:
    return (
        f"code: {code}\nyear: {year}\ncompleted: {completed}\n"
        f"approved: {{by: Board, date: {completed}}}\nprovisions:\n{answers}"
    )


def findings(ws: Path, as_of: str, prefix: str = "assessment") -> list[dict[str, Any]]:
    doc = check_json(ws, as_of)
    return [f for f in doc["findings"] if f["rule"].startswith(prefix) or f["rule"] == "8.1"]


def test_the_2020_questionnaire_fixture_is_clean(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"assessments/2020-21.yaml": FIXTURE_2020})
    got = [(f["rule"], f["message"]) for f in findings(ws, "2021-01-31")]
    # only its own action plan's dates: a month-only due date
    assert len(got) == 1 and got[0][0] == "assessment.action-date"
    assert got[0][1].startswith("question 5.1: action ") and got[0][1].endswith("is due a month, not a day")


def test_2020_answers_are_the_2020_questions(tmp_path: Path) -> None:
    text = FIXTURE_2020 + '  "9.1":\n    comply: yes\n    evidence: [Board minutes]\n'
    ws = make_ws(tmp_path, {"assessments/2020-21.yaml": text})
    unknown = [f for f in findings(ws, "2021-01-31") if f["rule"] == "assessment.unknown"]
    assert [f["message"] for f in unknown] == ["hoc-2020 has no question 9.1"]
    assert "code: hoc-2020" in unknown[0]["hint"]


def test_na_under_2024_is_an_error_naming_the_form(tmp_path: Path) -> None:
    answers = YES_2024 + '  "6.14":\n    comply: N/A\n    commentary: The Board hears stage 2.\n'
    ws = make_ws(tmp_path, {"assessments/2024-25.yaml": form("hoc-2024", "2024-25", answers)})
    na = [f for f in findings(ws, "2025-07-31") if f["rule"] == "assessment.not-applicable"]
    assert [f["message"] for f in na] == ["provision 6.14 is answered N/A, but the hoc-2024 form is Yes/No"]
    assert na[0]["severity"] == "error" and na[0]["line"] == 10


def test_na_needs_commentary_where_allowed(tmp_path: Path) -> None:
    text = FIXTURE_2020.replace("    commentary: There is no third stage.\n", "")
    ws = make_ws(tmp_path, {"assessments/2020-21.yaml": text})
    na = [f["message"] for f in findings(ws, "2021-01-31") if f["rule"] == "assessment.not-applicable"]
    assert na == ["question 3.5 is answered N/A with no commentary"]


def test_a_text_question_needs_words(tmp_path: Path) -> None:
    text = FIXTURE_2020.replace('  "4.5":\n    commentary: 88% of complaints were settled at stage 1.\n', "")
    ws = make_ws(tmp_path, {"assessments/2020-21.yaml": text})
    got = [f for f in findings(ws, "2021-01-31") if f["rule"] == "assessment.complete"]
    assert [f["message"] for f in got] == ["question 4.5 is not answered"]
    assert "figure or a description" in got[0]["hint"]


def test_unknown_edition_lists_the_known(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"assessments/2024-25.yaml": form("hoc-2019", "2024-25", YES_2024)})
    got = [f for f in findings(ws, "2025-07-31") if f["rule"] == "assessment.code"]
    assert [f["message"] for f in got] == ["unknown Code edition 'hoc-2019' (known: hoc-2020, hoc-2022, hoc-2024)"]
    # its answers are not judged against another edition meanwhile
    assert not [f for f in findings(ws, "2025-07-31") if f["rule"] == "assessment.complete"]


def test_a_year_before_the_edition_took_effect(tmp_path: Path) -> None:
    answers = '  "1.2":\n    comply: yes\n    evidence: [Policy]\n'
    ws = make_ws(tmp_path, {"assessments/2021-22.yaml": form("hoc-2022", "2021-22", answers, "2022-03-20")})
    got = [f for f in findings(ws, "2022-05-31") if f["rule"] == "assessment.edition"]
    assert [f["message"] for f in got] == [
        "the 2021-22 self-assessment names hoc-2022, which took effect on 2022-04-01, "
        "after that reporting year ended (2022-03-31)"
    ]
    assert got[0]["hint"] == "use code: hoc-2020, the edition in force during 2021-22"
    # completed once the 2022 Code was in force: it may answer the 2022 form
    ws2 = make_ws(tmp_path / "b", {"assessments/2021-22.yaml": form("hoc-2022", "2021-22", answers, "2022-06-20")})
    assert not [f for f in findings(ws2, "2022-07-31") if f["rule"] == "assessment.edition"]
    # not completed yet, being written after the 2022 Code took effect: the same
    draft = form("hoc-2022", "2021-22", answers, "2022-06-20").replace("completed: 2022-06-20\n", "")
    ws3 = make_ws(tmp_path / "c", {"assessments/2021-22.yaml": draft})
    assert not [f for f in findings(ws3, "2022-07-31") if f["rule"] == "assessment.edition"]


def test_this_years_assessment_against_a_replaced_edition(tmp_path: Path) -> None:
    answers = '  "1.2":\n    comply: yes\n    evidence: [Policy]\n'
    ws = make_ws(tmp_path, {"assessments/2024-25.yaml": form("hoc-2022", "2024-25", answers, "2024-09-30")})
    got = [f for f in findings(ws, "2025-01-31") if f["rule"] == "8.1"]
    assert [f["message"] for f in got] == [
        "this year's self-assessment (2024-25) answers the hoc-2022 form, but hoc-2022 was replaced "
        "by hoc-2024 on 2024-04-01: the Code requires assessment against the Code in force"
    ]
    # last year's, on the form then in force, is fine
    ws2 = make_ws(tmp_path / "b", {"assessments/2023-24.yaml": form("hoc-2022", "2023-24", answers, "2023-09-30")})
    assert not [f for f in findings(ws2, "2024-01-31") if f["rule"] in ("8.1", "assessment.edition")]


def test_a_carried_answer_is_reported_until_reviewed(tmp_path: Path) -> None:
    answers = '  "1.2":\n    comply: yes\n    evidence: [Policy]\n    review: carried from 2023-24 (hoc-2022 1.2)\n'
    ws = make_ws(tmp_path, {"assessments/2024-25.yaml": form("hoc-2024", "2024-25", answers)})
    got = [f for f in findings(ws, "2025-07-31") if f["rule"] == "assessment.review"]
    assert [(f["severity"], f["message"]) for f in got] == [
        ("warning", "provision 1.2: answer carried from 2023-24 (hoc-2022 1.2), not yet reviewed")
    ]


# -- each edition's own layout in md, html and xlsx ---------------------------------------------


def _ws_2020(tmp_path: Path) -> Path:
    return make_ws(tmp_path, {"assessments/2020-21.yaml": FIXTURE_2020})


def test_2020_questionnaire_renders_in_markdown(tmp_path: Path) -> None:
    from conftest import run

    out = run("report", "assessment", _ws_2020(tmp_path), "--year", "2020-21").stdout
    assert "answered Yes / No / N/A" in out
    assert "| Number | Question | Yes | No | N/A | Notes |" in out
    row = next(line for line in out.splitlines() if line.startswith("| 3.4 |"))
    assert row.split("|")[3:7] == ["  ", "  ", " ✓ ", " Our procedure has two stages; there is no third stage. "]
    no = next(line for line in out.splitlines() if line.startswith("| 5.1 |"))
    assert no.split("|")[3:6] == ["  ", " ✓ ", "  "]
    text = next(line for line in out.splitlines() if line.startswith("| 4.5 |"))
    assert text.split("|")[3:7] == ["  ", "  ", "  ", " 88% of complaints were settled at stage 1. "]
    assert "Comply: Yes / No" not in out  # not the 2024 layout


def test_2020_questionnaire_renders_in_html(tmp_path: Path) -> None:
    from conftest import run

    out = run("report", "assessment", _ws_2020(tmp_path), "--year", "2020-21", "--format", "html").stdout
    assert '<table class="questionnaire cards"' in out and out.count('<table class="questionnaire cards"') == 8
    row = next(line for line in out.splitlines() if line.startswith('<tr><th scope="row">6.4</th>'))
    assert (
        '<td data-label="Yes"></td><td data-label="No"></td><td data-label="N/A"><span aria-label="N/A">✓</span></td>'
        in row
    )
    assert "No escalation was refused, so there was no decision to explain." in row


def test_2020_questionnaire_renders_in_excel(tmp_path: Path) -> None:
    import openpyxl

    from conftest import run

    target = tmp_path / "out.xlsx"
    r = run("report", "assessment", _ws_2020(tmp_path / "w"), "--year", "2020-21", "--format", "xlsx", "-o", target)
    assert r.exit_code == 0
    wb = openpyxl.load_workbook(target)
    sheet = wb["Self-assessment"]
    assert [c.value for c in sheet[1]] == ["Number", "Question", "Yes", "No", "N/A", "Notes"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert len(rows) == 36
    assert rows["3.5"][2:6] == (None, None, "✓", "There is no third stage.")
    assert rows["5.1"][2:5] == (None, "✓", None)
    assert rows["4.5"][2:6] == (None, None, None, "88% of complaints were settled at stage 1.")
    sections = sheet_sections(sheet)  # each number under its section's heading row
    assert all(
        str(row[0]).startswith(title.split()[1].rstrip(":") + ".") for title, rows in sections.items() for row in rows
    )
    assert sum(len(rows) for rows in sections.values()) == 36
    about = {row[0]: row[1] for row in wb["About"].iter_rows(min_row=2, values_only=True)}
    assert "Yes / No / N/A" in about["Form"]
    assert [row[0] for row in wb["Action plan"].iter_rows(min_row=2, values_only=True)] == ["2.3", "5.1"]


def test_2022_renders_must_then_should_with_gaps_named(tmp_path: Path) -> None:
    from conftest import run

    answers = '  "6.3":\n    comply: no\n    commentary: Not yet.\n    actions:\n      - {action: Review themes, owner: Lead, due: 2024-01-31}\n'
    ws = make_ws(tmp_path, {"assessments/2023-24.yaml": form("hoc-2022", "2023-24", answers, "2023-10-02")})
    out = run("report", "assessment", ws, "--year", "2023-24").stdout
    six = out.split("## Section 6: Putting things right", 1)[1].split("## Section 7", 1)[0]
    lines = [line for line in six.splitlines() if line.startswith("|")]
    order = [line.split("|")[1].strip() or line.split("|")[2].strip() for line in lines[2:]]
    assert order == [
        "**Mandatory 'must' requirements**",
        "6.1",
        "6.2",
        "6.5",
        "6.6",
        "**Best practice 'should' requirements**",
        "6.3",
    ]
    assert "> Not confirmed: Row 6.4 was not found in a public copy." in six
    assert "> Not confirmed: No row of this section was found" in out.split("## Section 8", 1)[1]


def test_an_unknown_edition_is_never_rendered_beside_another(tmp_path: Path) -> None:
    from conftest import run

    ws = make_ws(tmp_path, {"assessments/2024-25.yaml": form("hoc-2019", "2024-25", YES_2024)})
    r = run("report", "assessment", ws, "--year", "2024-25")
    assert r.exit_code == 3 and "unknown Code edition 'hoc-2019'" in r.stderr and r.stdout == ""


def test_hcode_diff_names_na_answers() -> None:
    from hcode.review.gitdiff import _flag

    assert [_flag(v) for v in ("N/A", "n/a", "not applicable", True, "no", None)] == [
        "n/a",
        "n/a",
        "n/a",
        "yes",
        "no",
        "(blank)",
    ]


def test_2022_in_excel_has_its_must_should_rows_and_gaps(tmp_path: Path) -> None:
    import openpyxl

    from conftest import run

    answers = '  "6.3":\n    comply: "no"\n    commentary: Not yet.\n    actions:\n      - {action: Review themes, owner: Lead, due: 2024-01-31}\n'
    ws = make_ws(tmp_path / "w", {"assessments/2023-24.yaml": form("hoc-2022", "2023-24", answers, "2023-10-02")})
    target = tmp_path / "out.xlsx"
    assert run("report", "assessment", ws, "--year", "2023-24", "--format", "xlsx", "-o", target).exit_code == 0
    sheet = openpyxl.load_workbook(target)["Self-assessment"]
    six = [(row[0] or row[1], *row[1:3]) for row in sheet_sections(sheet)["Section 6: Putting things right"]]
    assert [r[0] for r in six] == [  # "not confirmed" under the heading, as in Markdown and HTML
        "Not confirmed: Row 6.4 was not found in a public copy.",
        "Mandatory 'must' requirements",
        "6.1",
        "6.2",
        "6.5",
        "6.6",
        "Best practice 'should' requirements",
        "6.3",
    ]
    assert six[7][2] == "No" and six[0][1] == "Not confirmed: Row 6.4 was not found in a public copy."


QUESTIONNAIRE_CSV = """\
Question,Requirement,Yes,No,N/A,Notes
1.1,Does the complaints process use the following definition of a complaint?,√,,,Procedure section 1
3.4,If there is a third stage to the complaints procedure are residents involved in the decision making?,,,√,Two stages only
3.5,Is any third stage optional for residents?,N/A,,,There is no third stage
5.1,Were all requests for evidence responded to within 15 days?,,√,,Two were late
"""


def test_import_a_2020_questionnaire_keeps_na(tmp_path: Path) -> None:
    from conftest import run

    ws = make_ws(tmp_path / "w", config="hcode: 1\nlandlord: T\ncode: hoc-2020\n")
    source = tmp_path / "q.csv"
    source.write_text(QUESTIONNAIRE_CSV)
    r = run("import", "assessment", source, "--year", "2020-21", "-w", ws)
    assert r.exit_code == 0, r.stderr
    text = (ws / "assessments" / "2020-21.yaml").read_text()
    comply = {
        block.split('"', 1)[0]: block.split("comply:", 1)[1].split("\n", 1)[0].strip()
        for block in text.split('\n  "')[1:]
    }
    assert comply == {"1.1": "yes", "3.4": "n/a", "3.5": "n/a", "5.1": "no"}
    assert "x-imported:\n      comply" not in text


def test_import_na_on_a_yes_no_form_stays_a_note(tmp_path: Path) -> None:
    from conftest import run

    ws = make_ws(tmp_path / "w")
    source = tmp_path / "a.csv"
    source.write_text("Code provision,Code requirement,Yes,No,N/A,Evidence\n6.14,Stage 2 response,,,√,Board minutes\n")
    r = run("import", "assessment", source, "--year", "2024-25", "-w", ws)
    assert r.exit_code == 0, r.stderr
    text = (ws / "assessments" / "2024-25.yaml").read_text()
    assert '"6.14":\n    comply:\n' in text and "comply: N/A" in text  # kept aside under x-imported


def test_text_output_groups_unanswered_2020_questions(tmp_path: Path) -> None:
    from conftest import run

    blank = "code: hoc-2020\nyear: 2020-21\ncompleted: 2020-12-14\nprovisions:\n" + "".join(
        f'  "{i}":\n    comply:\n' for i in ("1.1", "1.2", "1.3")
    )
    ws = make_ws(tmp_path, {"assessments/2020-21.yaml": blank})
    out = run("check", ws, "--as-of", "2021-01-31", "--format", "text", env={"NO_COLOR": "1"}).stdout
    assert "self-assessment not finished: 36 provisions to answer (" in out
    assert "question 2.1 is not answered" not in out
