"""Hazard records (kind: hazard): read, validated with their own schema, located errors, and
judged by check with the awaab.* rules."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from conftest import check_json, git, make_ws, rules_for, run
from hcode.core.model import Moment
from hcode.store.workspace import case_from_bytes

RECORD = """\
id: HZ-2025-0007
kind: hazard
aware: 2025-11-03T16:40
hazard: damp-and-mould
risk: significant
tenure: lcra
complaint: C-2025-0142
investigation:
  concluded: 2025-11-12
  found: significant
summary_sent: 2025-11-14
made_safe: 2025-11-18
works:
  begun: 2025-11-19
  started: 2026-01-15
  completed: 2026-02-20
alternative_accommodation: 2025-11-04
stopped: {on: 2025-11-05, why: decanted}
x-repairs-ref: R-4411
"""
FILE = "cases/2025/HZ-2025-0007.yaml"


def test_every_field_is_read() -> None:
    case = case_from_bytes(RECORD.encode(), FILE, 1 << 20)
    assert not isinstance(case, list), case
    h = case.hazard
    assert h is not None
    assert (case.kind, case.received, case.category, case.tenure) == (
        "hazard",
        date(2025, 11, 3),
        "damp-and-mould",
        "lcra",
    )
    assert h.aware == Moment(date(2025, 11, 3), time(16, 40))
    assert (h.hazard, h.risk, h.complaints) == ("damp-and-mould", "significant", ("C-2025-0142",))
    assert h.investigation is not None and h.investigation.found == "significant"
    assert h.investigation.concluded == Moment(date(2025, 11, 12))
    assert h.summary_sent == Moment(date(2025, 11, 14))
    assert h.made_safe == Moment(date(2025, 11, 18))
    assert h.works is not None and h.works.started == Moment(date(2026, 1, 15))
    assert h.works.completed == Moment(date(2026, 2, 20))
    assert h.alternative_accommodation == Moment(date(2025, 11, 4))
    assert h.stopped is not None and (h.stopped.on, h.stopped.why) == (Moment(date(2025, 11, 5)), "decanted")
    assert case.extra == (("x-repairs-ref", "R-4411"),)
    assert (h.aware.iso, str(h.aware)) == ("2025-11-03T16:40", "2025-11-03 16:40")


def test_several_complaints() -> None:
    text = RECORD.replace("complaint: C-2025-0142", "complaint: [C-2025-0142, C-2025-0150]")
    case = case_from_bytes(text.encode(), FILE, 1 << 20)
    assert not isinstance(case, list) and case.hazard is not None
    assert case.hazard.complaints == ("C-2025-0142", "C-2025-0150")


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "words"),
    [
        ("aware: 2025-11-03T16:40", "aware: 2025-11-03T25:40", 3, 8, "not a real time of day"),
        ("aware: 2025-11-03T16:40", "aware: 2025-02-30T16:40", 3, 8, "not a real date"),
        ("aware: 2025-11-03T16:40", "aware: 2025-11-03 16:40", 3, 8, "aware"),
        ("  concluded: 2025-11-12", "  concluded: 2025-11-12T9:00", 9, 14, "concluded"),
        ("risk: significant", "risk: high", 5, 7, "significant, emergency"),
        ("  found: significant", "  fund: significant", 10, 3, "did you mean 'found'"),
        ("summary_sent: 2025-11-14", "summary_send: 2025-11-14", 11, 1, "did you mean 'summary_sent'"),
        ("stopped: {on: 2025-11-05, why: decanted}", "stopped: {on: 2025-11-05, why: moved}", 18, 32, "decanted"),
        ("received", "received", 1, 1, ""),
    ],
)
def test_errors_are_located(tmp_path: Path, old: str, new: str, line: int, column: int, words: str) -> None:
    if old == "received":  # a complaint's field in a hazard record
        text, line, column, words = RECORD + "received: 2025-11-03\n", 20, 1, "unknown key 'received'"
    else:
        assert old in RECORD
        text = RECORD.replace(old, new)
    ws = make_ws(tmp_path, {FILE: text})
    doc = check_json(ws, "2026-03-01")
    schema = [f for f in doc["findings"] if f["rule"] == "schema"]
    assert len(schema) == 1, doc["findings"]
    f = schema[0]
    assert (f["file"], f["line"], f["column"]) == (FILE, line, column), f
    assert words in f["message"] + (f.get("hint") or ""), f


def test_missing_fields_and_a_mistyped_kind(tmp_path: Path) -> None:
    ws = make_ws(
        tmp_path,
        {
            FILE: RECORD.replace("risk: significant\n", ""),
            "cases/2025/HZ-2025-0008.yaml": RECORD.replace("0007", "0008").replace("kind: hazard", "kind: hazzard"),
        },
    )
    doc = check_json(ws, "2026-03-01")
    messages = {f["file"]: f["message"] for f in doc["findings"] if f["rule"] == "schema"}
    assert "risk" in messages[FILE]
    assert "hazard" in messages["cases/2025/HZ-2025-0008.yaml"]
    assert "hazzard" in messages["cases/2025/HZ-2025-0008.yaml"]


def test_a_good_record_is_judged_and_passes(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {FILE: RECORD.replace("stopped: {on: 2025-11-05, why: decanted}\n", "")})
    doc = check_json(ws, "2026-03-01")
    assert rules_for(doc, "HZ-2025-0007") == []


def test_late_steps_are_errors_with_lines(tmp_path: Path) -> None:
    text = RECORD.replace("summary_sent: 2025-11-14", "summary_sent: 2025-11-18").replace(
        "begun: 2025-11-19", "begun: 2025-11-20"
    )
    ws = make_ws(tmp_path, {FILE: text.replace("stopped: {on: 2025-11-05, why: decanted}\n", "")})
    doc = check_json(ws, "2026-03-01")
    found = {f["rule"]: f for f in doc["findings"] if f["subject"] == "HZ-2025-0007"}
    assert set(found) == {"awaab.summary", "awaab.works-begin"}
    summary = found["awaab.summary"]
    assert (summary["line"], summary["severity"], summary["due"], summary["actual"]) == (
        11,
        "error",
        "2025-11-17",
        "2025-11-18",
    )
    assert "1 working day after the deadline 2025-11-17" in summary["message"]
    assert "not yet confirmed" in summary["message"]
    assert found["awaab.works-begin"]["line"] == 14


def test_emergency_overdue_and_no_time(tmp_path: Path) -> None:
    text = "id: HZ-2025-0001\nkind: hazard\naware: 2025-11-07\nhazard: fire\nrisk: emergency\n"
    ws = make_ws(tmp_path, {"cases/2025/HZ-2025-0001.yaml": text})
    doc = check_json(ws, "2025-11-10")
    assert rules_for(doc, "HZ-2025-0001") == [
        ("awaab.investigate", "error"),
        ("awaab.make-safe", "error"),
        ("awaab.time", "info"),
    ]
    inv = next(f for f in doc["findings"] if f["rule"] == "awaab.investigate")
    assert "was due 2025-11-08 00:00 (24 hours from awareness 2025-11-07)" in inv["message"]


@pytest.mark.parametrize(
    ("aware", "tenure", "words", "rule"),
    [
        ("2025-10-20", "lcra", "before phase 1 brought Damp and mould growth in", "awaab.phase"),
        ("2025-11-03", "lcho", "low-cost home ownership", "awaab.tenure"),
    ],
)
def test_not_judged_said_once(tmp_path: Path, aware: str, tenure: str, words: str, rule: str) -> None:
    text = (
        f"id: HZ-2025-0001\nkind: hazard\naware: {aware}\nhazard: damp-and-mould\nrisk: significant\ntenure: {tenure}\n"
    )
    ws = make_ws(tmp_path, {"cases/2025/HZ-2025-0001.yaml": text})
    doc = check_json(ws, "2026-03-01")
    found = [f for f in doc["findings"] if f["subject"] == "HZ-2025-0001"]
    assert [(f["rule"], f["severity"]) for f in found] == [(rule, "info")]
    assert words in found[0]["message"]


def test_events_in_the_future_and_out_of_order(tmp_path: Path) -> None:
    text = RECORD.replace("summary_sent: 2025-11-14", "summary_sent: 2025-11-10").replace(
        "completed: 2026-02-20", "completed: 2026-05-01"
    )
    ws = make_ws(tmp_path, {FILE: text})
    doc = check_json(ws, "2026-03-01")
    found = {(f["rule"], f["line"]) for f in doc["findings"] if f["subject"] == "HZ-2025-0007"}
    assert ("dates.order", 11) in found  # summary before the investigation concluded
    assert ("dates.future", 16) in found  # works completed after the date of the check


def test_every_findings_format_carries_hazard_findings(tmp_path: Path) -> None:
    text = RECORD.replace("summary_sent: 2025-11-14", "summary_sent: 2025-11-18")
    ws = make_ws(tmp_path, {FILE: text})
    for fmt in ("text", "json", "junit", "sarif", "github"):
        result = run("check", ws, "--as-of", "2026-03-01", "--format", fmt)
        assert result.exit_code == 1, (fmt, result.stdout, result.stderr)
        assert "awaab.summary" in result.stdout, fmt


def test_the_cache_serves_the_same_hazard_findings(tmp_path: Path) -> None:
    text = RECORD.replace("summary_sent: 2025-11-14", "summary_sent: 2025-11-18")
    ws = make_ws(tmp_path, {FILE: text})
    first = run("check", ws, "--as-of", "2026-03-01", "--format", "json").json()
    second = run("check", ws, "--as-of", "2026-03-01", "--format", "json").json()
    assert first["findings"] == second["findings"]
    assert any(f["rule"] == "awaab.summary" for f in second["findings"])


DAMP = (
    "id: {id}\nkind: complaint\nreceived: 2025-11-03\ncategory: damp-and-mould\nstage1:\n  acknowledged: 2025-11-04\n"
)


def test_a_damp_complaint_without_a_hazard_record_asks(tmp_path: Path) -> None:
    ws = make_ws(
        tmp_path,
        {
            FILE: RECORD,  # names C-2025-0142
            "cases/2025/C-2025-0142.yaml": DAMP.format(id="C-2025-0142"),
            "cases/2025/C-2025-0143.yaml": DAMP.format(id="C-2025-0143"),
            "cases/2025/C-2025-0144.yaml": DAMP.format(id="C-2025-0144").replace("damp-and-mould", "repairs"),
        },
    )
    for _ in range(2):  # afresh, then from the cache
        doc = check_json(ws, "2025-11-05")
        asked = [(f["subject"], f["severity"]) for f in doc["findings"] if f["rule"] == "awaab.complaint"]
        assert asked == [("C-2025-0143", "info")]
    # the link removed: the complaint, unchanged and cached, asks again
    (ws / FILE).write_text(RECORD.replace("complaint: C-2025-0142\n", ""), encoding="utf-8")
    doc = check_json(ws, "2025-11-05")
    assert sorted(f["subject"] for f in doc["findings"] if f["rule"] == "awaab.complaint") == [
        "C-2025-0142",
        "C-2025-0143",
    ]


def test_links_shown_both_ways(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {FILE: RECORD, "cases/2025/C-2025-0142.yaml": DAMP.format(id="C-2025-0142")})
    complaint = run("case", "show", "C-2025-0142", "-w", ws, "--as-of", "2025-11-05")
    assert "hazard reports (Awaab's Law): HZ-2025-0007" in complaint.stdout
    assert "awaab.complaint" not in complaint.stdout
    hazard = run("case", "show", "HZ-2025-0007", "-w", ws, "--as-of", "2026-03-01")
    assert "complaint: C-2025-0142" in hazard.stdout


def test_case_show_names_the_files_it_cannot_read_and_follows_changed_links(tmp_path: Path) -> None:
    """case show knows the hazard reports naming a complaint from every case file (through the
    cache): a file it cannot read is named on standard error (its links are unknown), and a link
    added, removed or broken after a run is seen by the next one."""
    complaint = "cases/2025/C-2025-0142.yaml"
    ws = make_ws(tmp_path, {complaint: DAMP.format(id="C-2025-0142"), "cases/2025/C-2025-0150.yaml": "id: [\n"})

    def show() -> tuple[str, str]:
        shown = run("case", "show", "C-2025-0142", "-w", ws, "--as-of", "2025-11-05")
        assert shown.exit_code == 0, shown.stderr
        return shown.stdout, shown.stderr

    for _ in range(2):  # afresh, then from the cache
        out, err = show()
        assert "hazard reports" not in out
        assert "hcode: warning: case show leaves out cases/2025/C-2025-0150.yaml" in err
    (ws / FILE).write_text(RECORD, encoding="utf-8")  # a hazard report naming it, added
    out, _ = show()
    assert "hazard reports (Awaab's Law): HZ-2025-0007" in out
    (ws / "cases/2025/C-2025-0150.yaml").write_text(
        RECORD.replace("HZ-2025-0007", "HZ-2025-0150"), encoding="utf-8"
    )  # the broken file mended: a second report
    out, err = show()
    assert "hazard reports (Awaab's Law): HZ-2025-0007, HZ-2025-0150" in out and "leaves out" not in err
    (ws / FILE).write_text(RECORD.replace("complaint: C-2025-0142\n", ""), encoding="utf-8")
    out, _ = show()
    assert "hazard reports (Awaab's Law): HZ-2025-0150" in out


def test_diff_names_a_change_to_the_workspaces_hazard_clocks(tmp_path: Path) -> None:

    from conftest import ROOT

    ws = make_ws(tmp_path / "ws", {FILE: RECORD})
    git(ws, "init", "-q", "-b", "main")
    git(ws, "add", "-A")
    git(ws, "commit", "-q", "-m", "start")
    own = ws / "provisions" / "hazards" / "awaab-2025.yaml"
    own.parent.mkdir(parents=True)
    shipped = (ROOT / "provisions" / "hazards" / "awaab-2025.yaml").read_text()
    own.write_text(shipped.replace("    working_days: 10\n", "    working_days: 9\n", 1))
    doc = run("diff", "HEAD", "--workspace", ws, "--format", "json").json()
    found = [
        (c["kind"], c["subject"], c["severity"]) for c in doc["changes"] if c["file"] == own.relative_to(ws).as_posix()
    ]
    assert found == [("catalogue", "awaab-2025", "alert")]
    # and the workspace's own catalogue is the one check judges by: 9 working days from Monday 3
    # November is Friday 14 November (10, the shipped number, is Monday 17: met)
    late = RECORD.replace("  concluded: 2025-11-12", "  concluded: 2025-11-17")
    (ws / FILE).write_text(late)
    messages = [f["message"] for f in check_json(ws, "2026-03-01")["findings"] if f["rule"] == "awaab.investigate"]
    assert messages and "1 working day after the deadline 2025-11-14" in messages[0]


def test_not_judged_for_different_reasons_is_never_said_to_be_the_same(tmp_path: Path) -> None:
    """Text output writes three or more info findings of one rule as one line ("the same for N
    more"): a record before its phase and one in shared ownership are never one line."""
    early = "id: {id}\nkind: hazard\naware: 2025-09-0{n}\nhazard: damp-and-mould\nrisk: significant\n"
    files = {f"cases/2025/HZ-2025-000{n}.yaml": early.format(id=f"HZ-2025-000{n}", n=n) for n in (1, 2, 3)}
    files["cases/2025/HZ-2025-0009.yaml"] = RECORD.replace("HZ-2025-0007", "HZ-2025-0009").replace("lcra", "lcho")
    ws = make_ws(tmp_path, files)
    text = run("check", ws, "--as-of", "2026-03-01").stdout
    assert "the same for 2 more (HZ-2025-0002, HZ-2025-0003)" in text
    assert "HZ-2025-0009: low-cost home ownership (lcho) is outside Awaab's Law" in text


def test_a_missed_clock_is_recorded_history_once_its_late_record_is_written(tmp_path: Path) -> None:
    """The hint of a missed hazard clock names the fields of the record's own ``late`` (no
    ``x-`` field that changes nothing); written in full, the breaches stop failing the run, are
    still listed and counted, and ``case show`` lists the record."""
    text = RECORD.replace("summary_sent: 2025-11-14", "summary_sent: 2025-11-18").replace(
        "begun: 2025-11-19", "begun: 2025-11-20"
    )
    ws = make_ws(tmp_path, {FILE: text.replace("stopped: {on: 2025-11-05, why: decanted}\n", "")})
    before = run("check", ws, "--as-of", "2026-03-01", "--format", "json")
    assert before.exit_code == 1
    mine = [f for f in before.json()["findings"] if f["subject"] == "HZ-2025-0007"]
    assert {f["rule"] for f in mine} == {"awaab.summary", "awaab.works-begin"}
    for f in mine:
        assert "late.reason (why), late.apology (the date of the apology) and late.learning" in f["hint"], f
        assert "x-" not in f["hint"] and not f.get("recorded")
    path = ws / FILE
    path.write_text(
        path.read_text()
        + "late:\n  reason: The surveyor was off sick.\n  apology: 2025-11-21\n  learning: Cover for surveyors.\n"
    )
    after = run("check", ws, "--as-of", "2026-03-01", "--format", "json")
    mine = [f for f in after.json()["findings"] if f["subject"] == "HZ-2025-0007"]
    assert {f["rule"] for f in mine} == {"awaab.summary", "awaab.works-begin"}
    assert all(f["recorded"] is True and "hint" not in f for f in mine)
    assert after.json()["summary"]["recorded"] == 2
    shown = run("case", "show", "HZ-2025-0007", "-w", ws, "--as-of", "2026-03-01")
    assert "late (recorded):" in shown.stdout and "reason: The surveyor was off sick." in shown.stdout


def test_a_hazard_late_record_is_checked_like_any_field(tmp_path: Path) -> None:
    """A date that is not a date is located; personal data in its words is flagged, as in a
    complaint's ``late``."""
    bad_date = make_ws(tmp_path / "a", {FILE: RECORD + "late:\n  reason: Access.\n  apology: last week\n"})
    said = {(f["rule"], f["line"]) for f in check_json(bad_date, "2026-03-01")["findings"]}
    assert ("schema", 22) in said, said
    phone = RECORD + "late:\n  reason: Rang 07700 900123 twice.\n  apology: 2025-11-21\n  learning: x\n"
    doc = check_json(make_ws(tmp_path / "b", {FILE: phone}), "2026-03-01")
    privacy = [f for f in doc["findings"] if f["rule"] == "privacy.personal-data"]
    assert [f["line"] for f in privacy] == [21], doc
