"""Handling (5.6, 6.13), refusal (2.1, 2.3, 2.4, 5.11) and record (dates, ids) rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_timescales import findings

from conftest import ON_TIME, case_yaml, check_json, make_ws


def test_definition_required_at_acknowledgement(tmp_path: Path) -> None:
    text = case_yaml("2024-05-03", ON_TIME).replace("  definition: Leak\n", "")
    assert findings(tmp_path, text) == [("5.6", "error", None, None)]


def test_stage2_definition_required(tmp_path: Path) -> None:
    text = case_yaml(
        "2024-05-03",
        {**ON_TIME, "outcome": "not-upheld"},
        stage2={"requested": "2024-06-03", "acknowledged": "2024-06-05", "handler": "H-2"},
    )
    assert ("5.6", "error", None, None) in findings(tmp_path, text, as_of="2024-06-05")


@pytest.mark.parametrize(
    ("h1", "h2", "expected"),
    [
        ("H-1", "H-2", []),
        ("H-1", "H-1", [("6.13", "error", None, None)]),
        ("H-1", "h-1 ", [("6.13", "error", None, None)]),
        ("H-1", None, [("6.13", "info", None, None)]),
    ],
)
def test_different_handler(tmp_path: Path, h1: str, h2: str | None, expected: list[Any]) -> None:
    s2: dict[str, Any] = {
        "requested": "2024-06-03",
        "acknowledged": "2024-06-05",
        "definition": "x",
    }
    if h2 is not None:
        s2["handler"] = h2
    text = case_yaml("2024-05-03", {**ON_TIME, "handler": h1}, stage2=s2)
    assert findings(tmp_path, text, as_of="2024-06-05") == expected


def refused(**kw: Any) -> dict[str, Any]:
    return {
        "stage": 1,
        "date": "2024-05-07",
        "reason": "legal-proceedings",
        "explained": True,
        "ombudsman_rights": True,
        **kw,
    }


@pytest.mark.parametrize(
    ("refusal", "issue_date", "expected"),
    [
        (refused(), None, []),
        (refused(explained=False), None, [("2.4", "error", None, None)]),
        (refused(ombudsman_rights="no"), None, [("2.4", "error", None, None)]),
        (refused(reason="over-12-months"), "2023-05-02", []),  # 12 months and a day before
        (
            refused(reason="over-12-months"),
            "2023-05-03",
            [("2.3", "error", "2024-05-03", "2024-05-03")],
        ),
        (
            refused(reason="over-12-months"),
            "2024-01-10",
            [("2.3", "error", "2025-01-10", "2024-05-03")],
        ),
        (refused(reason="over-12-months"), None, [("2.3", "warning", None, None)]),
        (refused(reason="other"), None, [("2.1", "warning", None, None)]),
        (refused(reason="other", note="Duplicate of a complaint already open"), None, []),
    ],
)
def test_refusals(tmp_path: Path, refusal: dict[str, Any], issue_date: str | None, expected: list[Any]) -> None:
    extra: dict[str, Any] = {"refused": refusal}
    if issue_date:
        extra["issue_date"] = issue_date
    assert findings(tmp_path, case_yaml("2024-05-03", None, **extra)) == expected


def test_refused_complaint_has_no_timescales(tmp_path: Path) -> None:
    # no acknowledgement or response recorded, as of long after: no 6.2/6.3 findings
    assert findings(tmp_path, case_yaml("2024-05-03", None, refused=refused())) == []


def test_escalation_refusal_is_5_11(tmp_path: Path) -> None:
    text = case_yaml(
        "2024-05-03",
        ON_TIME,
        stage2={"requested": "2024-06-03"},
        refused=refused(stage=2, date="2024-06-05", reason="previously-considered", explained=False),
    )
    assert findings(tmp_path, text) == [("5.11", "error", None, None)]


def test_dates_out_of_order(tmp_path: Path) -> None:
    s1 = {"acknowledged": "2024-05-02", "responded": "2024-05-01", "outcome": "upheld"}
    got = findings(tmp_path, case_yaml("2024-05-03", s1))
    assert [f for f in got if f[0] == "dates.order"] == [("dates.order", "error", None, None)] * 2


def test_future_dates_are_errors(tmp_path: Path) -> None:
    s1 = {"acknowledged": "2024-05-07", "responded": "2024-05-21", "outcome": "upheld"}
    got = findings(tmp_path, case_yaml("2024-05-03", s1), as_of="2024-05-10")
    assert ("dates.future", "error", None, "2024-05-21") in got


def test_id_must_match_file_name(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/C-2.yaml": case_yaml("2024-05-03", ON_TIME)})
    doc = check_json(ws)
    found = [f for f in doc["findings"] if f["rule"] == "case.id"]
    assert len(found) == 1 and found[0]["line"] == 1


def test_duplicate_ids_across_folders(tmp_path: Path) -> None:
    text = case_yaml("2024-05-03", ON_TIME)
    ws = make_ws(tmp_path, {"cases/a/C-1.yaml": text, "cases/b/C-1.yaml": text})
    doc = check_json(ws)
    assert [f["file"] for f in doc["findings"] if f["rule"] == "case.duplicate"] == ["cases/b/C-1.yaml"]


def test_service_request_needs_no_timescales(tmp_path: Path) -> None:
    text = "id: S-1\nkind: service-request\nreceived: 2024-05-03\ncategory: repairs\nresolved: 2024-05-30\n"
    ws = make_ws(tmp_path, {"cases/S-1.yaml": text})
    doc = check_json(ws)
    assert [f for f in doc["findings"] if f["file"] == "cases/S-1.yaml"] == []


def test_finding_lines_point_at_the_field(tmp_path: Path) -> None:
    s1 = {**ON_TIME, "responded": "2024-05-22"}
    ws = make_ws(tmp_path, {"cases/C-1.yaml": case_yaml("2024-05-03", s1)})
    text = (ws / "cases/C-1.yaml").read_text().splitlines()
    doc = check_json(ws)
    f = next(f for f in doc["findings"] if f["rule"] == "6.3")
    assert text[f["line"] - 1].strip() == "responded: '2024-05-22'"
    assert f["message"] == "stage 1 response 2024-05-22 is 1 working day after the due date 2024-05-21"


def test_service_request_with_stages_is_flagged(tmp_path: Path) -> None:
    text = case_yaml("2024-05-03", ON_TIME).replace("kind: complaint", "kind: service-request")
    got = findings(tmp_path, text)
    assert ("case.stage", "warning", None, None) in got
    assert not any(rule.startswith("6.") for rule, *_ in got)  # no complaint timescales for a service request


def test_escalation_before_stage1_response_is_a_warning(tmp_path: Path) -> None:
    text = case_yaml(
        "2024-05-03",
        ON_TIME,
        stage2={"requested": "2024-05-20", "acknowledged": "2024-05-22", "definition": "x", "handler": "H-2"},
    )
    got = findings(tmp_path, text, as_of="2024-05-23")
    assert ("dates.order", "warning", None, None) in got
