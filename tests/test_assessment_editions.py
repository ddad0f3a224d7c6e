"""Self-assessments per edition: each file's code: selects its form and its checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import ROOT, check_json, make_ws

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
