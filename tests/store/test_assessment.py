"""Self-assessment rules and the yes/no hazards."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, check_json, full_assessment, make_ws, run
from hcode.store.workspace import load_code

CODE = load_code(None, "hoc-2024")


def assess(tmp_path: Path, text: str, as_of: str = "2025-07-31") -> list[tuple[str, str, str]]:
    ws = make_ws(tmp_path, {"assessments/2024-25.yaml": text})
    doc = check_json(ws, as_of)
    return sorted((f["rule"], f["severity"], f["message"]) for f in doc["findings"])


def test_complete_unquoted_assessment_has_no_errors(tmp_path: Path) -> None:
    assert "  6.10:" in full_assessment() and "  6.1:" in full_assessment()
    assert assess(tmp_path, full_assessment()) == []


@pytest.mark.parametrize("word", ["yes", "Yes", "YES", "y", "true", "True", "'yes'", '"Yes"'])
def test_yes_words(tmp_path: Path, word: str) -> None:
    assert assess(tmp_path, full_assessment(word)) == []


@pytest.mark.parametrize("word", ["no", "No", "NO", "n", "false", "False", "'no'", '"No"'])
def test_no_words_mean_no(tmp_path: Path, word: str) -> None:
    found = assess(tmp_path, full_assessment(word))
    assert {r for r, _, _ in found} == {"assessment.action-plan"}
    assert len(found) == len(CODE.assessed)


def test_bad_comply_value(tmp_path: Path) -> None:
    overrides = "  6.3:\n    comply: mostly\n    evidence: [x]\n"
    ws = make_ws(tmp_path, {"assessments/2024-25.yaml": full_assessment(overrides=overrides)})
    doc = check_json(ws, "2025-07-31")
    f = doc["findings"]
    assert (
        len(f) == 1
        and f[0]["message"] == "'comply' must be yes, no or partly (or n/a where the form allows it), found 'mostly'"
    )
    text = (ws / "assessments/2024-25.yaml").read_text().splitlines()
    assert text[f[0]["line"] - 1] == "    comply: mostly"


def test_six_ten_and_six_one_are_different_provisions(tmp_path: Path) -> None:
    overrides = "  6.10:\n    comply: no\n    evidence: [x]\n"
    found = assess(tmp_path, full_assessment(overrides=overrides))
    assert found == [
        (
            "assessment.action-plan",
            "error",
            "provision 6.10 is answered no but has no action with an owner and a due date",
        )
    ]


def test_missing_and_unknown_provisions(tmp_path: Path) -> None:
    text = full_assessment().replace("  9.8:\n    comply: yes\n    evidence:\n      - Policy section 9.8\n", "")
    text += "  9.9:\n    comply: yes\n    evidence: [x]\n  1.1:\n    comply: yes\n    evidence: [x]\n"
    found = assess(tmp_path, text)
    assert found == [
        ("assessment.complete", "error", "provision 9.8 is not answered"),
        ("assessment.unknown", "error", "hoc-2024 does not assess provision 1.1"),
        ("assessment.unknown", "error", "hoc-2024 has no provision 9.9"),
    ]


def test_no_with_action_plan(tmp_path: Path) -> None:
    overrides = (
        "  6.14:\n    comply: no\n    evidence: [x]\n    actions:\n"
        "      - {action: Weekly panels, owner: Director, due: 2025-09-30}\n"
    )
    assert assess(tmp_path, full_assessment(overrides=overrides)) == []
    overrides_no_owner = overrides.replace("owner: Director, ", "")
    found = assess(tmp_path / "b", full_assessment(overrides=overrides_no_owner))
    assert [r for r, _, _ in found] == ["assessment.action-plan"]


def test_overdue_action_and_missing_evidence(tmp_path: Path) -> None:
    overrides = (
        "  6.14:\n    comply: no\n    evidence: [x]\n    actions:\n"
        "      - {action: Weekly panels, owner: Director, due: 2025-06-30}\n"
        "  8.4:\n    comply: yes\n    evidence: []\n"
    )
    found = assess(tmp_path, full_assessment(overrides=overrides))
    assert [(r, s) for r, s, _ in found] == [
        ("assessment.action-overdue", "warning"),
        ("assessment.evidence", "warning"),
    ]
    done = overrides.replace("due: 2025-06-30}", "due: 2025-06-30, done: 2025-06-20}")
    found = assess(tmp_path / "b", full_assessment(overrides=done))
    assert [r for r, _, _ in found] == ["assessment.evidence"]


def test_assessment_out_of_date_two_years_later(tmp_path: Path) -> None:
    # the year's duties (submission, publication: tests/core/test_duties.py) are judged apart
    found = [f for f in assess(tmp_path, full_assessment(), as_of="2026-06-13") if not f[0].startswith("duty.")]
    assert found == []
    found = [f for f in assess(tmp_path / "b", full_assessment(), as_of="2027-07-31") if not f[0].startswith("duty.")]
    assert [(r, s) for r, s, _ in found] == [("8.1", "error")]
    assert "more than 12 months before 2027-07-31" in found[0][2]


def test_not_approved_is_a_warning(tmp_path: Path) -> None:
    found = assess(tmp_path, full_assessment(approved=None))
    assert [(r, s) for r, s, _ in found] == [("8.2", "warning")]


def test_no_assessment_at_all(tmp_path: Path) -> None:
    ws = make_ws(tmp_path)
    doc = check_json(ws)
    assert [(f["rule"], f["severity"]) for f in doc["findings"]] == [("8.1", "error")]
    assert run("check", ws, "--as-of", "2025-03-31").exit_code == 1


def test_provision_key_typo_is_a_schema_error(tmp_path: Path) -> None:
    overrides = "  6.1O:\n    comply: yes\n    evidence: [x]\n"
    found = assess(tmp_path, full_assessment(overrides=overrides))
    assert ("schema", "error", "'6.1O' is not a provision number") in found


@pytest.mark.parametrize("done", ["true", "Complete", "completed", "DONE", "2025-06-20"])
def test_action_done_without_a_date(tmp_path: Path, done: str) -> None:
    overrides = (
        "  6.14:\n    comply: no\n    evidence: [x]\n    actions:\n"
        f"      - {{action: Weekly panels, owner: Director, due: 2025-06-30, done: {done}}}\n"
    )
    assert assess(tmp_path, full_assessment(overrides=overrides)) == []


@pytest.mark.parametrize(
    ("due", "message"),
    [
        ("2025-09", "provision 6.14: action 'Weekly panels' is due a month, not a day"),
        ("tbc", "provision 6.14: action 'Weekly panels' is due to be confirmed"),
        ("TBC", "provision 6.14: action 'Weekly panels' is due to be confirmed"),
    ],
)
def test_action_due_month_or_tbc_is_a_warning_not_an_error(tmp_path: Path, due: str, message: str) -> None:
    overrides = (
        "  6.14:\n    comply: no\n    evidence: [x]\n    actions:\n"
        f"      - {{action: Weekly panels, owner: Director, due: {due}}}\n"
    )
    assert assess(tmp_path, full_assessment(overrides=overrides)) == [("assessment.action-date", "warning", message)]


def test_action_due_in_a_past_month_is_overdue_after_the_month_ends(tmp_path: Path) -> None:
    overrides = (
        "  6.14:\n    comply: no\n    evidence: [x]\n    actions:\n"
        "      - {action: Weekly panels, owner: Director, due: 2025-07}\n"
    )
    assert [r for r, _, _ in assess(tmp_path, full_assessment(overrides=overrides), "2025-07-31")] == [
        "assessment.action-date"
    ]
    found = assess(tmp_path / "b", full_assessment(overrides=overrides), "2025-08-01")
    assert (
        "assessment.action-overdue",
        "warning",
        "provision 6.14: action 'Weekly panels' was due July 2025 and is not done",
    ) in found


@pytest.mark.parametrize(
    ("field", "value", "expect"),
    [
        ("due", "2025-13", "not a real month"),
        ("due", "soon", "'due' must be a date written YYYY-MM-DD, found 'soon'"),
        ("done", "finished", "'done' must be a date written YYYY-MM-DD, found 'finished'"),
        ("done", "3", "'done' must be a date written YYYY-MM-DD, found 3"),
    ],
)
def test_bad_action_dates_are_errors(tmp_path: Path, field: str, value: str, expect: str) -> None:
    overrides = (
        "  6.14:\n    comply: no\n    evidence: [x]\n    actions:\n"
        f"      - {{action: Weekly panels, owner: Director, due: 2025-09-30, {field}: {value}}}\n"
    ).replace("due: 2025-09-30, due:", "due:")
    found = assess(tmp_path, full_assessment(overrides=overrides))
    assert any(s == "error" and expect in m for _, s, m in found), found


def _formats_doc_assessment() -> str:
    import re

    doc = (ROOT / "docs" / "formats.md").read_text()
    section = doc.split("## The self-assessment", 1)[1]
    found = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert found is not None
    return found.group(1)


def test_formats_doc_action_example_is_read_as_documented(tmp_path: Path) -> None:
    text = _formats_doc_assessment()
    assert "done: Complete" in text and "due: tbc" in text and "due: 2025-12" in text
    ws = make_ws(tmp_path, {"assessments/2024-25.yaml": text})
    findings = check_json(ws, "2025-07-31")["findings"]
    assert not [f for f in findings if f["rule"] in ("schema", "yaml")]
    assert sorted(f["message"] for f in findings if f["rule"] == "assessment.action-date") == [
        "provision 6.14: action 'Publish the revised policy' is due to be confirmed",
        "provision 6.14: action 'Retrain stage 2 reviewers' is due a month, not a day",
    ]


def test_fmt_keeps_loose_action_dates_and_comments(tmp_path: Path) -> None:
    overrides = (
        "  6.14:\n    comply: no\n    evidence: [x]\n    actions:\n"
        "      - action: Weekly panels\n        owner: Director\n        due: 2021-12  # month only\n"
        "        done: Completed\n"
        "      - action: Letters\n        owner: Director\n        due: TBC\n        done: true\n"
    )
    ws = make_ws(tmp_path, {"assessments/2024-25.yaml": full_assessment(overrides=overrides)})
    assert run("fmt", "--workspace", ws).exit_code in (0, 1)
    after = (ws / "assessments" / "2024-25.yaml").read_text()
    for kept in ("due: 2021-12", "# month only", "done: Completed", "due: TBC", "done: true"):
        assert kept in after
    assert run("fmt", "--check", "--workspace", ws).exit_code == 0
