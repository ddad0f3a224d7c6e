"""Hazard reports at the command line: case new --kind hazard, the hazard steps, case show, due."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from conftest import make_ws, run

SIGNIFICANT = """\
id: HZ-2025-0001
kind: hazard
aware: 2025-12-19T11:00   # Friday before Christmas
hazard: damp-and-mould
risk: significant
tenure: lcra
x-repairs-ref: R-1
"""


def test_new_hazard_and_every_step(tmp_path: Path) -> None:
    ws = make_ws(tmp_path)
    aware = (datetime.now() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    made = run(
        "case",
        "new",
        "--kind",
        "hazard",
        "--received",
        aware,
        "--hazard",
        "fire",
        "--risk",
        "emergency",
        "--complaint",
        "C-1",
        ws,
    )
    assert made.exit_code == 0, made.stdout + made.stderr
    year = aware[:4]
    rel = f"cases/{year}/HZ-{year}-0001.yaml"
    assert f"Written to {rel}" in made.stdout
    assert "Next: investigation due" in made.stdout and "hours left" in made.stdout
    text = (ws / rel).read_text()
    assert f"aware: {aware}\n" in text and "complaint: C-1\n" in text
    at = (datetime.now() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    for args in (
        ("investigate", "--found", "significant", "--date", at),
        ("summary", "--date", at),
        ("made-safe", "--date", at),
        ("works", "--begun", at[:10]),
        ("stop", "--why", "decanted", "--date", at),
    ):
        done = run("case", args[0], f"HZ-{year}-0001", *args[1:], "-w", ws)
        assert done.exit_code == 0, (args, done.stdout, done.stderr)
    text = (ws / rel).read_text()
    assert f"  concluded: {at}\n  found: significant\nsummary_sent: {at}\nmade_safe: {at}\n" in text
    assert f"works:\n  begun: {at[:10]}\nstopped:\n  on: {at}\n  why: decanted\n" in text
    check = run("check", ws, "--format", "json")
    assert not [f for f in check.json()["findings"] if f["subject"] == f"HZ-{year}-0001"]


def test_steps_refused_with_reasons(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/2025/HZ-2025-0001.yaml": SIGNIFICANT})
    before = (ws / "cases/2025/HZ-2025-0001.yaml").read_text()
    early = run("case", "investigate", "HZ-2025-0001", "--found", "none", "--date", "2025-12-19T10:59", "-w", ws)
    assert early.exit_code == 5 and "before the landlord became aware" in early.stderr
    summary = run("case", "summary", "HZ-2025-0001", "--date", "2025-12-22", "-w", ws)
    assert summary.exit_code == 5 and "has not concluded" in summary.stderr
    bad = run("case", "summary", "HZ-2025-0001", "--date", "2025-12-22T25:00", "-w", ws)
    assert bad.exit_code == 2 and "not a real time" in bad.stderr
    assert (ws / "cases/2025/HZ-2025-0001.yaml").read_text() == before
    ok = run("case", "investigate", "HZ-2025-0001", "--found", "significant", "--date", "2026-01-07", "-w", ws)
    assert ok.exit_code == 0, ok.stderr
    after = (ws / "cases/2025/HZ-2025-0001.yaml").read_text()
    assert "# Friday before Christmas" in after and "x-repairs-ref: R-1" in after  # comments and x- kept
    assert "Next: written summary due 2026-01-12 (awaab.summary)" in ok.stdout
    again = run("case", "investigate", "HZ-2025-0001", "--found", "none", "--date", "2026-01-08", "-w", ws)
    assert again.exit_code == 5 and "already concluded" in again.stderr


def test_complaint_steps_refuse_a_hazard_and_hazard_steps_a_complaint(tmp_path: Path) -> None:
    complaint = "id: C-2025-0001\nkind: complaint\nreceived: 2025-11-03\ncategory: damp-and-mould\n"
    ws = make_ws(tmp_path, {"cases/2025/HZ-2025-0001.yaml": SIGNIFICANT, "cases/2025/C-2025-0001.yaml": complaint})
    wrong = run("case", "made-safe", "C-2025-0001", "--date", "2025-11-04", "-w", ws)
    assert wrong.exit_code == 5 and "not a hazard report" in wrong.stderr
    ack = run("case", "ack", "HZ-2025-0001", "--definition", "x", "--handler", "H-1", "--date", "2025-12-22", "-w", ws)
    assert ack.exit_code == 5


def test_case_show_explains_each_clock(tmp_path: Path) -> None:
    text = SIGNIFICANT + "investigation:\n  concluded: 2026-01-07\n  found: significant\nsummary_sent: 2026-01-13\n"
    ws = make_ws(tmp_path, {"cases/2025/HZ-2025-0001.yaml": text})
    shown = run("case", "show", "HZ-2025-0001", "-w", ws, "--as-of", "2026-01-13")
    assert shown.exit_code == 0, shown.stderr
    lines = shown.stdout
    assert "HZ-2025-0001  (hazard: Damp and mould growth, significant)" in lines
    assert "Investigation (awaab.investigate): MET" in lines
    assert "10 working days after awareness 2025-12-19 (day 0); not counted: 6 weekend days, " in lines
    assert "Thu 25 Dec 2025 (bank holiday: Christmas Day)" in lines and "Thu 01 Jan 2026" in lines
    assert "Written summary (awaab.summary): MISSED" in lines
    assert "Safety work (awaab.make-safe): DUE-SOON" in lines
    assert "further works begun: no further works recorded (works:)" in lines
    assert "error   awaab.summary: written summary 2026-01-13 is 1 working day after the deadline 2026-01-12" in lines


def test_case_show_hours(tmp_path: Path) -> None:
    text = "id: HZ-2025-0002\nkind: hazard\naware: 2025-12-24T16:40\nhazard: fire\nrisk: emergency\n"
    ws = make_ws(tmp_path, {"cases/2025/HZ-2025-0002.yaml": text})
    shown = run("case", "show", "HZ-2025-0002", "-w", ws, "--as-of", "2025-12-30")
    assert "Investigation (awaab.investigate): OVERDUE" in shown.stdout
    assert (
        "24 hours from awareness 2025-12-24 16:40 (every hour counts, nights, weekends and holidays too):"
        in shown.stdout
    )
    assert "Wed 24 Dec 2025 16:40-24:00   7.3 h (total  7.3)" in shown.stdout
    assert "Thu 25 Dec 2025 00:00-16:40  16.7 h (total 24.0)  bank holiday: Christmas Day: counted" in shown.stdout


def test_due_lists_a_running_emergency_clock_first_in_hours(tmp_path: Path) -> None:
    aware = (datetime.now() - timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M")
    emergency = f"id: HZ-2025-0009\nkind: hazard\naware: {aware}\nhazard: fire\nrisk: emergency\n"
    overdue = "id: C-2024-0001\nkind: complaint\nreceived: 2024-05-01\ncategory: repairs\n"
    old = SIGNIFICANT.replace("2025-12-19T11:00", (datetime.now() - timedelta(days=1)).strftime("%Y-%m-%d"))
    ws = make_ws(
        tmp_path,
        {
            "cases/2025/HZ-2025-0009.yaml": emergency,
            "cases/2024/C-2024-0001.yaml": overdue,
            "cases/2025/HZ-2025-0001.yaml": old,
        },
        config="hcode: 1\nlandlord: Test Homes\nhomes: 100\ncode: auto\n",
    )
    doc = run("due", ws, "--format", "json").json()
    rows = doc["milestones"]
    assert [r["case"] for r in rows[:2]] == ["HZ-2025-0009", "HZ-2025-0009"]  # before the overdue complaint
    assert {r["event"] for r in rows[:2]} == {"investigate", "make-safe"}
    first = rows[0]
    assert first["hours"] == 24 and first["status"] == "due-soon"
    assert 3.5 <= first["hours_left"] <= 4.1
    assert first["due_at"].startswith(first["due"])
    assert any(r["case"] == "HZ-2025-0001" and r["event"] == "investigate" for r in rows)
    text = run("due", ws)
    assert text.exit_code == 0
    assert " h " in text.stdout and "investigate" in text.stdout
    assert text.stdout.index("HZ-2025-0009") < text.stdout.index("C-2024-0001")


def test_the_commands_in_docs_hazards_run(tmp_path: Path) -> None:
    """Every command of docs/hazards.md's example, in order, in a new workspace."""
    import re
    import shlex

    from conftest import ROOT

    block = re.search(r"```sh\n(.*?)```", (ROOT / "docs" / "hazards.md").read_text(), re.S)
    assert block is not None
    text = block.group(1).replace("\\\n", " ")
    ws = make_ws(tmp_path)
    commands = [line.split("#", 1)[0].strip() for line in text.splitlines() if line.startswith("hcode ")]
    assert len(commands) == 6
    for command in commands:
        done = run(*shlex.split(command)[1:], "-w", ws)
        assert done.exit_code == 0, (command, done.stdout, done.stderr)
    shown = run("case", "show", "HZ-2025-0001", "-w", ws, "--as-of", "2026-03-01")
    assert "Further works physically started (awaab.works-start): MET" in shown.stdout
