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
