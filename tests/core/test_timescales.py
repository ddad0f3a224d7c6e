"""Timescale rules 6.2, 6.3, 6.11, 6.14 and extensions 6.4/6.5/6.15/6.16, with hand-worked dates.

Every expected date below was counted by hand on a paper calendar; the comment beside each
shows the count.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import ON_TIME, case_yaml, check_json, make_ws

CLOSURES = "hcode: 1\nlandlord: T\ncalendar:\n  closures: [2024-12-27, 2024-12-30, 2024-12-31]\n"


def findings(
    tmp_path: Path, text: str, as_of: str = "2025-03-31", config: str | None = None
) -> list[tuple[str, str, str | None, str | None]]:
    kwargs = {"config": config} if config else {}
    ws = make_ws(tmp_path, {"cases/C-1.yaml": text}, **kwargs)
    doc = check_json(ws, as_of)
    return sorted(
        (f["rule"], f["severity"], f.get("due"), f.get("actual"))
        for f in doc["findings"]
        if f["file"] == "cases/C-1.yaml" and f["rule"] != "code.edition"
    )


# received Fri 3 May 2024; Mon 6 May is the early May bank holiday.
# acknowledgement due: Tue 7 (1), Wed 8 (2), Thu 9 (3), Fri 10 (4), Mon 13 (5) -> 13 May.
# acknowledged Tue 7 May: response due 8,9,10,13,14,15,16,17,20,21 -> Tue 21 May.


def test_on_time_has_no_findings(tmp_path: Path) -> None:
    assert findings(tmp_path, case_yaml("2024-05-03", ON_TIME)) == []


def test_response_one_day_late(tmp_path: Path) -> None:
    s1 = {**ON_TIME, "responded": "2024-05-22"}
    assert findings(tmp_path, case_yaml("2024-05-03", s1)) == [("6.3", "error", "2024-05-21", "2024-05-22")]


def test_acknowledgement_on_last_day_is_met(tmp_path: Path) -> None:
    s1 = {"acknowledged": "2024-05-13", "responded": "2024-05-24", "outcome": "upheld"}
    assert findings(tmp_path, case_yaml("2024-05-03", s1)) == []


# Late acknowledgement: ack Wed 15 May (2 working days after 13 May).
# Code date: 10 working days after 15 May: 16,17,20,21,22,23,24,(27 spring bank holiday),28,29,30 -> 30 May.
# Outer limit: 10 working days after 13 May: 14,15,16,17,20,21,22,23,24,28 -> 28 May.
def test_late_acknowledgement_response_between_outer_limit_and_code_date(tmp_path: Path) -> None:
    s1 = {"acknowledged": "2024-05-15", "responded": "2024-05-29", "outcome": "upheld"}
    assert findings(tmp_path, case_yaml("2024-05-03", s1)) == [
        ("6.2", "error", "2024-05-13", "2024-05-15"),
        ("6.3", "warning", "2024-05-30", "2024-05-29"),
    ]


def test_late_acknowledgement_response_after_code_date(tmp_path: Path) -> None:
    s1 = {"acknowledged": "2024-05-15", "responded": "2024-05-31", "outcome": "upheld"}
    ws = make_ws(tmp_path, {"cases/C-1.yaml": case_yaml("2024-05-03", s1)})
    doc = check_json(ws)
    msg = [f["message"] for f in doc["findings"] if f["rule"] == "6.3"]
    assert msg == [
        "stage 1 response 2024-05-31 is 1 working day after the due date 2024-05-30 "
        "(the outer limit counted from receipt was 2024-05-28)"
    ]


# Saturday 18 May 2024: day 1 is Monday 20; ack due Fri 24 May. Mon 27 May is a bank holiday,
# so an acknowledgement on Tue 28 May is 1 working day late.
@pytest.mark.parametrize(("ack", "late"), [("2024-05-24", False), ("2024-05-28", True)])
def test_saturday_receipt(tmp_path: Path, ack: str, late: bool) -> None:
    s1 = {"acknowledged": ack}
    got = findings(tmp_path, case_yaml("2024-05-18", s1), as_of=ack)
    acks = [f for f in got if f[0] == "6.2"]
    assert acks == ([("6.2", "error", "2024-05-24", ack)] if late else [])


def test_saturday_receipt_next_working_day_convention(tmp_path: Path) -> None:
    config = "hcode: 1\nlandlord: T\ncalendar:\n  receipt: next-working-day\n"
    s1 = {"acknowledged": "2024-05-28"}  # day 0 Mon 20 May; 27 May bank holiday -> due 28 May
    got = findings(tmp_path, case_yaml("2024-05-18", s1), as_of="2024-05-28", config=config)
    assert [f for f in got if f[0] == "6.2"] == []


# Christmas Day 2024 (Wednesday): 26 Boxing Day; Fri 27 (1), Mon 30 (2), Tue 31 (3),
# Wed 1 Jan holiday, Thu 2 (4), Fri 3 (5) -> 3 Jan 2025.
def test_bank_holiday_receipt(tmp_path: Path) -> None:
    got = findings(tmp_path, case_yaml("2024-12-25", {"acknowledged": "2025-01-06"}), as_of="2025-01-06")
    assert [f for f in got if f[0] == "6.2"] == [("6.2", "error", "2025-01-03", "2025-01-06")]


# Closures 27, 30, 31 Dec 2024. Received Fri 20 Dec: Mon 23 (1), Tue 24 (2), 25-26 holidays,
# 27/30/31 closed, 1 Jan holiday, Thu 2 (3), Fri 3 (4), Mon 6 (5) -> 6 Jan 2025.
def test_closure_days(tmp_path: Path) -> None:
    text = case_yaml("2024-12-20", {"acknowledged": "2025-01-06"})
    assert [f for f in findings(tmp_path, text, as_of="2025-01-06", config=CLOSURES) if f[0] == "6.2"] == []
    plain = findings(tmp_path / "b", text, as_of="2025-01-06")
    assert [f for f in plain if f[0] == "6.2"] == [("6.2", "error", "2024-12-31", "2025-01-06")]


# 2022 and 2023 one-off holidays.
# Wed 14 Sep 2022: Thu 15 (1), Fri 16 (2), Mon 19 state funeral, Tue 20 (3), Wed 21 (4), Thu 22 (5).
# Wed 3 May 2023: Thu 4 (1), Fri 5 (2), Mon 8 coronation, Tue 9 (3), Wed 10 (4), Thu 11 (5).
# Tue 31 May 2022: Wed 1 Jun (1), 2-3 Jun jubilee, Mon 6 (2), Tue 7 (3), Wed 8 (4), Thu 9 (5).
@pytest.mark.parametrize(
    ("received", "due"),
    [("2022-09-14", "2022-09-22"), ("2023-05-03", "2023-05-11"), ("2022-05-31", "2022-06-09")],
)
def test_one_off_holidays(tmp_path: Path, received: str, due: str) -> None:
    from datetime import date, timedelta

    day_after = (date.fromisoformat(due) + timedelta(days=1)).isoformat()
    ok = findings(tmp_path / "a", case_yaml(received, {"acknowledged": due}), as_of=due)
    assert [f for f in ok if f[0] == "6.2"] == []
    late = findings(tmp_path / "b", case_yaml(received, {"acknowledged": day_after}), as_of=day_after)
    assert [f for f in late if f[0] == "6.2"] == [("6.2", "error", due, day_after)]


# Extensions from the original due date Tue 21 May 2024 (ack Tue 7 May).
# +10: 22,23,24,28,29,30,31, 3,4,5 Jun -> Wed 5 Jun.  +11 -> Thu 6 Jun.
def ext(**kw: Any) -> dict[str, Any]:
    return {"notified": "2024-05-20", "reason": "Survey", "ombudsman_details": True, **kw}


def test_extension_of_exactly_ten_days_is_allowed(tmp_path: Path) -> None:
    s1 = {
        "acknowledged": "2024-05-07",
        "extension": ext(due="2024-06-05"),
        "responded": "2024-06-05",
        "outcome": "upheld",
    }
    assert findings(tmp_path, case_yaml("2024-05-03", s1)) == []


def test_extension_of_eleven_days_needs_good_reason(tmp_path: Path) -> None:
    s1 = {
        "acknowledged": "2024-05-07",
        "extension": ext(due="2024-06-06"),
        "responded": "2024-06-06",
        "outcome": "upheld",
    }
    assert findings(tmp_path, case_yaml("2024-05-03", s1)) == [
        ("6.3", "error", "2024-06-05", "2024-06-06"),
        ("6.4", "error", "2024-06-05", "2024-06-06"),
    ]
    s1["extension"] = ext(due="2024-06-06", good_reason="Specialist survey")
    assert findings(tmp_path / "b", case_yaml("2024-05-03", s1)) == []


def test_extension_told_after_original_due_date_does_not_count(tmp_path: Path) -> None:
    s1 = {
        "acknowledged": "2024-05-07",
        "extension": ext(notified="2024-05-22", due="2024-05-31"),
        "responded": "2024-05-31",
        "outcome": "upheld",
    }
    assert findings(tmp_path, case_yaml("2024-05-03", s1)) == [
        ("6.3", "error", "2024-05-21", "2024-05-31"),
        ("6.4", "error", "2024-05-21", "2024-05-22"),
    ]


def test_extension_told_on_original_due_date_counts(tmp_path: Path) -> None:
    s1 = {
        "acknowledged": "2024-05-07",
        "extension": ext(notified="2024-05-21", due="2024-05-31"),
        "responded": "2024-05-31",
        "outcome": "upheld",
    }
    assert findings(tmp_path, case_yaml("2024-05-03", s1)) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"ombudsman_details": False}, [("6.5", "error", None, None)]),
        ({"ombudsman_details": None}, [("6.5", "error", None, None)]),
        ({"reason": None}, [("6.4", "error", None, None)]),
        ({"notified": None}, [("6.4", "warning", None, None)]),
    ],
)
def test_extension_records(tmp_path: Path, changes: dict[str, Any], expected: list[Any]) -> None:
    e = {k: v for k, v in ext(due="2024-05-31", **changes).items() if v is not None}
    s1 = {
        "acknowledged": "2024-05-07",
        "extension": e,
        "responded": "2024-05-31",
        "outcome": "upheld",
    }
    assert findings(tmp_path, case_yaml("2024-05-03", s1)) == expected


def test_ombudsman_details_yes_means_true(tmp_path: Path) -> None:
    text = case_yaml(
        "2024-05-03",
        {
            "acknowledged": "2024-05-07",
            "extension": ext(due="2024-05-31"),
            "responded": "2024-05-31",
            "outcome": "upheld",
        },
    )
    text = text.replace("ombudsman_details: true", "ombudsman_details: yes")
    assert "ombudsman_details: yes" in text
    assert findings(tmp_path, text) == []


# Open cases as of a date. Ack Tue 4 Mar 2025 -> response due 5,6,7,10,11,12,13,14,17,18 -> Tue 18 Mar.
@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2025-03-10", []),  # 6 working days left
        ("2025-03-14", [("6.3", "warning", "2025-03-18", None)]),  # 2 left: due soon
        ("2025-03-18", [("6.3", "warning", "2025-03-18", None)]),  # due today
        ("2025-03-19", [("6.3", "error", "2025-03-18", None)]),  # overdue
    ],
)
def test_open_case_due_soon_and_overdue(tmp_path: Path, as_of: str, expected: list[Any]) -> None:
    got = findings(tmp_path, case_yaml("2025-03-03", {"acknowledged": "2025-03-04"}), as_of=as_of)
    assert got == expected


def test_unacknowledged_open_case_counts_from_ack_due(tmp_path: Path) -> None:
    # received Mon 3 Mar 2025: ack due Mon 10 Mar; response by 10 working days after -> Mon 24 Mar.
    got = findings(tmp_path, case_yaml("2025-03-03"), as_of="2025-03-11")
    assert got == [("6.2", "error", "2025-03-10", None)]
    ws = make_ws(tmp_path / "b", {"cases/C-1.yaml": case_yaml("2025-03-03")})
    from conftest import run

    rows = run("due", ws, "--as-of", "2025-03-11", "--format", "json").json()["milestones"]
    assert [(r["event"], r["due"], r["status"]) for r in rows] == [
        ("acknowledge", "2025-03-10", "overdue"),
        ("respond", "2025-03-24", "open"),
    ]


# Stage 2: requested Mon 3 Jun 2024; ack due 4,5,6,7,10 -> Mon 10 Jun. Ack Fri 7 Jun;
# response due 20 working days later: 10-14 (5), 17-21 (10), 24-28 (15), 1-5 Jul (20) -> Fri 5 Jul.
# +20 working days extension: 8 Jul .. 2 Aug -> Fri 2 Aug; +21 -> Mon 5 Aug.
def stage2_case(s2: dict[str, Any]) -> str:
    s1 = {"acknowledged": "2024-05-07", "responded": "2024-05-21", "outcome": "not-upheld"}
    return case_yaml(
        "2024-05-03",
        s1,
        stage2={"requested": "2024-06-03", "definition": "Still unhappy", "handler": "H-2", **s2},
    )


@pytest.mark.parametrize(
    ("s2", "expected"),
    [
        ({"acknowledged": "2024-06-07", "responded": "2024-07-05", "outcome": "upheld"}, []),
        (
            {"acknowledged": "2024-06-07", "responded": "2024-07-08", "outcome": "upheld"},
            [("6.14", "error", "2024-07-05", "2024-07-08")],
        ),
        (
            {"acknowledged": "2024-06-11", "responded": "2024-07-05", "outcome": "upheld"},
            [("6.11", "error", "2024-06-10", "2024-06-11")],
        ),
        (
            {
                "acknowledged": "2024-06-07",
                "outcome": "upheld",
                "responded": "2024-08-02",
                "extension": {
                    "notified": "2024-07-01",
                    "due": "2024-08-02",
                    "reason": "Survey",
                    "ombudsman_details": True,
                },
            },
            [],
        ),
        (
            {
                "acknowledged": "2024-06-07",
                "outcome": "upheld",
                "responded": "2024-08-05",
                "extension": {
                    "notified": "2024-07-01",
                    "due": "2024-08-05",
                    "reason": "Survey",
                    "ombudsman_details": True,
                },
            },
            [
                ("6.14", "error", "2024-08-02", "2024-08-05"),
                ("6.15", "error", "2024-08-02", "2024-08-05"),
            ],
        ),
        (
            {
                "acknowledged": "2024-06-07",
                "outcome": "upheld",
                "responded": "2024-07-10",
                "extension": {"notified": "2024-07-01", "due": "2024-07-12", "reason": "Survey"},
            },
            [("6.16", "error", None, None)],
        ),
    ],
)
def test_stage_2(tmp_path: Path, s2: dict[str, Any], expected: list[Any]) -> None:
    assert findings(tmp_path, stage2_case(s2)) == expected


def test_withdrawn_before_due_has_no_timescale_finding(tmp_path: Path) -> None:
    s1 = {"acknowledged": "2024-05-07", "outcome": "withdrawn", "withdrawn": "2024-05-10"}
    assert findings(tmp_path, case_yaml("2024-05-03", s1)) == []


def test_withdrawn_after_missed_acknowledgement(tmp_path: Path) -> None:
    # no acknowledgement by 13 May; withdrawn on 20 May: the acknowledgement was missed
    s1 = {"outcome": "withdrawn", "withdrawn": "2024-05-20"}
    text = case_yaml("2024-05-03", s1)
    assert findings(tmp_path, text) == [("6.2", "error", "2024-05-13", None)]


def test_response_within_ack_period_counts_as_acknowledgement(tmp_path: Path) -> None:
    s1 = {"responded": "2024-05-09", "outcome": "upheld"}
    assert findings(tmp_path, case_yaml("2024-05-03", s1)) == []


def test_case_before_the_code_gets_info(tmp_path: Path) -> None:
    ws = make_ws(
        tmp_path,
        {
            "cases/C-1.yaml": case_yaml(
                "2024-03-01", ON_TIME | {"acknowledged": "2024-03-04", "responded": "2024-03-08"}
            )
        },
    )
    doc = check_json(ws)
    got = [(f["rule"], f["severity"]) for f in doc["findings"] if f["file"] == "cases/C-1.yaml"]
    assert got == [("code.edition", "info")]
