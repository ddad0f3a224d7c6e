"""import cases: a repairs system's export as hazard reports (a kind column, or the mapping's
default kind), with dates and times."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

from conftest import make_ws, run
from hcode.core import caseimport as ci
from hcode.core.model import Moment

EXPORT = """\
Job,Type,Reported,Hazard,Risk,Investigated,Finding,Summary sent,Made safe,Complaint
J-1001,Hazard,03/11/2025 16:40,Damp and mould,Significant,12/11/2025,Significant,14/11/2025,18/11/2025,C-2025-0142
J-1002,Hazard,24/12/2025 16:40,Fire,Emergency,25/12/2025 10:00,Emergency,05/01/2026,26/12/2025 09:00,
"""
MAP = """\
columns:
  id: Job
  kind: Type
  aware: Reported
  hazard: Hazard
  risk: Risk
  investigation.concluded: Investigated
  investigation.found: Finding
  summary_sent: Summary sent
  made_safe: Made safe
  complaint: Complaint
dates: [DD/MM/YYYY HH:mm, DD/MM/YYYY]
values:
  hazard: {Damp and mould: damp-and-mould, Fire: fire}
"""


def test_read_moment_keeps_the_time() -> None:
    dates = ci.DateReader(["DD/MM/YYYY HH:mm", "DD/MM/YYYY", "excel"])
    assert dates.read_moment("03/11/2025 16:40") == Moment(date(2025, 11, 3), time(16, 40))
    assert dates.read_moment("03/11/2025") == Moment(date(2025, 11, 3))
    assert dates.read_moment(datetime(2025, 11, 3, 16, 40)) == Moment(date(2025, 11, 3), time(16, 40))
    assert dates.read_moment(datetime(2025, 11, 3)) == Moment(date(2025, 11, 3))
    assert dates.read_moment(45964.75) == Moment(date(2025, 11, 3), time(18, 0))  # an Excel serial with a time
    assert dates.read_moment("3rd November") is None


def test_import_a_repairs_export_as_hazard_reports(tmp_path: Path) -> None:
    ws = make_ws(tmp_path / "ws", {"repairs.csv": EXPORT, "import-map.yaml": MAP})
    done = run("import", "cases", ws / "repairs.csv", "-w", ws)
    assert done.exit_code == 0, done.stdout + done.stderr
    assert "2 new" in done.stdout
    text = (ws / "cases" / "2025" / "J-1002.yaml").read_text()
    assert text == (
        "id: J-1002\nkind: hazard\naware: 2025-12-24T16:40\nhazard: fire\nrisk: emergency\n"
        "investigation:\n  concluded: 2025-12-25T10:00\n  found: emergency\n"
        "summary_sent: 2026-01-05\nmade_safe: 2025-12-26T09:00\n"
    )
    assert "complaint: C-2025-0142\n" in (ws / "cases" / "2025" / "J-1001.yaml").read_text()
    assert run("fmt", "--check", ws).exit_code == 0  # written as fmt writes it
    doc = run("check", ws, "--as-of", "2026-03-01", "--format", "json").json()
    found = sorted((f["subject"], f["rule"]) for f in doc["findings"] if f["subject"].startswith("J-"))
    assert found == [("J-1002", "awaab.make-safe"), ("J-1002", "awaab.summary")]
    again = run("import", "cases", ws / "repairs.csv", "-w", ws)
    assert "2 unchanged" in again.stdout


def test_the_mappings_default_kind(tmp_path: Path) -> None:
    export = EXPORT.replace("Type,", "").replace("Hazard,03", "03").replace("Hazard,24", "24")
    mapping = MAP.replace("  kind: Type\n", "") + "kind: hazard\n"
    ws = make_ws(tmp_path / "ws", {"repairs.csv": export, "import-map.yaml": mapping})
    done = run("import", "cases", ws / "repairs.csv", "-w", ws)
    assert done.exit_code == 0 and "2 new" in done.stdout, done.stdout + done.stderr
    assert "kind: hazard\n" in (ws / "cases" / "2025" / "J-1001.yaml").read_text()


def test_a_hazard_row_without_awareness_is_rejected(tmp_path: Path) -> None:
    export = EXPORT.replace("03/11/2025 16:40", "")
    ws = make_ws(tmp_path / "ws", {"repairs.csv": export, "import-map.yaml": MAP})
    done = run("import", "cases", ws / "repairs.csv", "-w", ws)
    assert "J-1001: rejected: no date the landlord became aware (aware)" in done.stdout + done.stderr


# -- --init-map on a repairs system's export, and an export of complaints and hazards mixed --------

REPAIRS = """\
Job,Date aware,Hazard,Risk,Investigation concluded,Investigation outcome,Summary sent,Made safe,Works begun,Works started,Works completed,Tenure
J-2001,03/11/2025 16:40,Damp and mould,Significant,12/11/2025,Significant,14/11/2025,18/11/2025,20/11/2025,15/01/2026,20/02/2026,LCRA
J-2002,05/11/2025 09:15,Excess cold,Emergency,05/11/2025 20:00,Emergency,07/11/2025,06/11/2025 08:00,,,,LCRA
"""

MIXED = """\
Ref,Record type,Reported,Category,Hazard,Risk,Investigated,Made safe,Stage 1 acknowledged,Stage 1 response
C-3001,Complaint,04/11/2025,repairs,,,,,05/11/2025,12/11/2025
HZ-3002,Hazard report,04/11/2025 11:20,,Damp and mould,Significant,13/11/2025,20/11/2025,,
C-3003,Complaint,06/11/2025,repairs,,,,,07/11/2025,
"""


def test_init_map_recognises_a_hazard_export(tmp_path: Path) -> None:
    ws = make_ws(tmp_path / "ws", {"repairs.csv": REPAIRS})
    r = run("import", "cases", ws / "repairs.csv", "-w", ws, "--init-map")
    assert r.exit_code == 0, r.stdout + r.stderr
    text = (ws / "import-map.yaml").read_text()
    for line in (
        "  id: Job",
        "  aware: Date aware",
        "  hazard: Hazard",
        "  risk: Risk",
        "  investigation.concluded: Investigation concluded",
        "  investigation.found: Investigation outcome",
        "  summary_sent: Summary sent",
        "  made_safe: Made safe",
        "  works.begun: Works begun",
        "  works.started: Works started",
        "  works.completed: Works completed",
        "  tenure: Tenure",
        "kind: hazard",
        "    Damp and mould: damp-and-mould",
        "  - DD/MM/YYYY HH:mm",
    ):
        assert line in text, (line, text)
    assert "received:" not in text and "issue_date" not in text
    done = run("import", "cases", ws / "repairs.csv", "-w", ws)  # the proposal imports the file as it is
    assert done.exit_code == 0 and "2 new" in done.stdout, done.stdout + done.stderr
    record = (ws / "cases/2025/J-2002.yaml").read_text()
    assert "kind: hazard\naware: 2025-11-05T09:15\nhazard: excess-cold\nrisk: emergency\n" in record, record
    assert "made_safe: 2025-11-06T08:00\n" in record


def test_a_mixed_export_splits_each_row_to_its_kind(tmp_path: Path) -> None:
    ws = make_ws(tmp_path / "ws", {"crm.csv": MIXED})
    r = run("import", "cases", ws / "crm.csv", "-w", ws, "--init-map")
    assert r.exit_code == 0, r.stdout + r.stderr
    text = (ws / "import-map.yaml").read_text()
    for line in ("  kind: Record type", "  received: Reported", "  aware: Reported", "  hazard: Hazard"):
        assert line in text, (line, text)
    assert "    Hazard report: hazard" in text and "kind: complaint" in text
    done = run("import", "cases", ws / "crm.csv", "-w", ws)
    assert done.exit_code == 0 and "3 new" in done.stdout, done.stdout + done.stderr
    hazard = (ws / "cases/2025/HZ-3002.yaml").read_text()
    assert hazard.startswith("id: HZ-3002\nkind: hazard\naware: 2025-11-04T11:20\nhazard: damp-and-mould\n"), hazard
    assert "received" not in hazard and "category" not in hazard and "stage1" not in hazard
    complaint = (ws / "cases/2025/C-3001.yaml").read_text()
    assert "kind: complaint\nreceived: 2025-11-04\n" in complaint, complaint
    assert "aware" not in complaint and "hazard" not in complaint and "risk" not in complaint
    doc = run("check", ws, "--as-of", "2025-11-20", "--format", "json").json()
    unreadable = [f for f in doc["findings"] if f["rule"].startswith(("schema", "file."))]
    assert not unreadable, unreadable


def test_a_mixed_mapping_reads_each_field_for_its_kind_only() -> None:
    """The pure part: a cell under another kind's field is not read (not even checked)."""
    from hcode.store.documents import case_fields

    specs = case_fields()
    m = ci.CaseMap(
        columns={"id": "Ref", "kind": "Kind", "received": "When", "aware": "When", "risk": "Risk"},
        dates=["DD/MM/YYYY HH:mm", "DD/MM/YYYY"],
    )
    where = {"id": 0, "kind": 1, "received": 2, "aware": 2, "risk": 3}
    dates = ci.DateReader(m.dates)
    complaint = ci.row_to_case(["C-1", "complaint", "04/11/2025", "not a risk"], where, specs, m, dates, "line 2")
    assert complaint == {"id": "C-1", "kind": "complaint", "received": date(2025, 11, 4)}
    hazard = ci.row_to_case(["H-1", "hazard", "04/11/2025 11:20", "Emergency"], where, specs, m, dates, "line 3")
    assert hazard == {"id": "H-1", "kind": "hazard", "aware": "2025-11-04T11:20", "risk": "emergency"}
