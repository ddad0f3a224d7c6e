"""hcode import cases: CRM exports (CSV, Excel) into case files, through a mapping."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from conftest import make_ws, run
from hcode.core import caseimport as ci
from hcode.edit.fmt import format_text
from hcode.edit.importer import case_text, field_ranks, scalar
from hcode.store import yamlread
from hcode.store.documents import case_fields

SPECS = case_fields()

HEADER = (
    "Case Ref,Date Received,Category,Channel,Stage 1 Ack,Stage 1 Response,Stage 1 Officer,"
    "Stage 1 Outcome,Escalated,Stage 2 Response,Stage 2 Outcome,Complaint Summary,Tenant Name,Status"
)
ROWS = [
    "C-1,31/03/2025,Repairs,Telephone,02/04/2025,2025-04-10 14:02,H-1,Stage 1 - Upheld,,,,Leak,Ms A,Closed",
    "",
    "C-2,01/04/2025,ASB,Email,45754,,H-2,,,,,Noise,Mr B,Open",
    "C-2,01/04/2025,ASB,Email,,,,,,,,,,",
    "C-3,02/04/2025,Repairs,Web form,03/04/2025,14/04/2025,H-1,Stage 1 - Partly upheld,20/04/2025,,,x,y,z",
    ",03/04/2025,Repairs,Web,,,,,,,,,,",
]

MAP = """\
columns:
  id: Case Ref
  received: Date Received
  category: Category
  channel: Channel
  stage1.acknowledged: Stage 1 Ack
  stage1.responded: Stage 1 Response
  stage1.handler: Stage 1 Officer
  stage1.outcome: Stage 1 Outcome
  stage2.requested: Escalated
  stage2.responded: Stage 2 Response
  stage2.outcome: Stage 2 Outcome
  x-crm-status: Status
dates: [DD/MM/YYYY, YYYY-MM-DD HH:mm, excel]
values:
  channel: {Telephone: phone, Web form: web}
  stage1.outcome: {Stage 1 - Upheld: upheld, Stage 1 - Partly upheld: partly-upheld}
"""


def export(path: Path, rows: list[str] = ROWS, *, bom: bool = True, crlf: bool = True, encoding: str = "utf-8") -> Path:
    nl = "\r\n" if crlf else "\n"
    data = nl.join([HEADER, *rows]) + nl
    path.write_bytes(("\ufeff" if bom else "").encode("utf-8") + data.encode(encoding))
    return path


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = make_ws(tmp_path / "ws")
    (root / "import-map.yaml").write_text(MAP)
    return root


def _import(ws: Path, path: Path, *extra: str) -> tuple[int, str, str]:
    r = run("import", "cases", str(path), "-w", str(ws), *extra)
    return r.exit_code, r.stdout, r.stderr


def _case(ws: Path, rel: str) -> dict[str, object]:
    value = yamlread.parse((ws / rel).read_text("utf-8"))
    assert isinstance(value, dict)
    return value


def _tree(ws: Path) -> dict[str, bytes]:
    files = sorted(p for p in ws.rglob("*") if p.is_file() and ".hcode-cache" not in p.parts)
    return {p.relative_to(ws).as_posix(): p.read_bytes() for p in files}


# ------------------------------------------------------------------ pure parts


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("DD/MM/YYYY", "31/03/2025", date(2025, 3, 31)),
        ("DD/MM/YYYY", "1/3/2025", date(2025, 3, 1)),
        ("YYYY-MM-DD HH:mm", "2025-03-31 14:02", date(2025, 3, 31)),
        ("DD-MMM-YYYY", "31-Mar-2025", date(2025, 3, 31)),
        ("DD/MM/YY", "31/03/25", date(2025, 3, 31)),
        ("excel", "45747", date(2025, 3, 31)),
        ("DD/MM/YYYY", "2025-03-31", date(2025, 3, 31)),  # ISO: nobody can misread it
        ("DD/MM/YYYY", "3rd May 2024", date(2024, 5, 3)),  # the month a word
        ("DD/MM/YYYY", "03/31/2025", None),
        ("DD/MM/YYYY", "31/02/2025", None),
    ],
)
def test_date_formats(pattern: str, text: str, expected: date | None) -> None:
    assert ci.DateReader([pattern]).read(text) == expected


def test_typed_spreadsheet_dates() -> None:
    reader = ci.DateReader(["DD/MM/YYYY", "excel"])
    assert reader.read(datetime(2025, 3, 31, 14, 2)) == date(2025, 3, 31)
    assert reader.read(45747.5) == date(2025, 3, 31)
    assert ci.DateReader(["DD/MM/YYYY"]).read(45747) is None  # serials only when asked for


def test_a_format_without_a_year_is_refused() -> None:
    with pytest.raises(ci.ImportFailure, match="year"):
        ci.check_formats(["DD/MM"])
    with pytest.raises(ValueError, match="year"):
        ci.DateReader(["DD/MM"])


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("Case Ref", "id"),
        ("Complaint Reference", "id"),
        ("Date Received", "received"),
        ("Date Logged", "received"),
        ("Stage 1 Ack", "stage1.acknowledged"),
        ("S1 Response Date", "stage1.responded"),
        ("Stage 2 Response", "stage2.responded"),
        ("Escalated", "stage2.requested"),
        ("Escalation date", "stage2.requested"),
        ("Stage 1 Officer", "stage1.handler"),
        ("Stage 2 Outcome", "stage2.outcome"),
        ("Channel", "channel"),
        ("Category", "category"),
        ("Date closed", "resolved"),
        ("Complaint Summary", "stage1.definition"),
        ("Tenant Name", None),
        # a due date is never an event date
        ("Response Due", "stage1.recorded_due"),
        ("Stage 1 Response Due", "stage1.recorded_due"),
        ("Stage 2 Target Date", "stage2.recorded_due"),
        ("Stage 1 Deadline", "stage1.recorded_due"),
        ("Response SLA", "stage1.recorded_due"),
        ("Acknowledgement Due", None),
        # CRM exports as they come
        ("Enquiry Type", "category"),
        ("Escalated On", "stage2.requested"),
        ("Stage 2 Requested", "stage2.requested"),
        ("Closed Date", "resolved"),
    ],
)
def test_guess_field(heading: str, field: str | None) -> None:
    assert ci.guess_heading(heading).field == field


def test_guess_values() -> None:
    spec = SPECS["stage1.outcome"]
    assert ci.guess_value(spec, "Stage 1 - Partly upheld") == "partly-upheld"
    assert ci.guess_value(spec, "Not Upheld") == "not-upheld"
    assert ci.guess_value(spec, "Stage 1 - Upheld") == "upheld"
    assert ci.guess_value(spec, "Pending") is None
    assert ci.guess_value(SPECS["channel"], "Telephone") == "phone"


def test_guess_map_sets_free_text_aside() -> None:
    guess = ci.guess_map(
        ["Ref", "Received", "Summary", "Stage 1 Outcome"],
        [["C-1", "31/03/2025", "text", "Upheld at stage 1"]],
        SPECS,
    )
    assert guess.columns == {"id": "Ref", "received": "Received", "stage1.outcome": "Stage 1 Outcome"}
    assert guess.free_text == {"stage1.definition": "Summary"}
    assert guess.values == {"stage1.outcome": {"Upheld at stage 1": "upheld"}}
    assert guess.dates[0] == "DD/MM/YYYY" and guess.dates[-1] == "excel"


def test_row_to_case() -> None:
    m = ci.CaseMap({"id": "Ref", "received": "Rec", "stage1.outcome": "Out", "remedy.compensation": "£"})
    where = {"id": 0, "received": 1, "stage1.outcome": 2, "remedy.compensation": 3}
    reader = ci.DateReader(m.dates)
    data = ci.row_to_case(["C-1", "31/03/2025", "Not upheld", "£1,250.50"], where, SPECS, m, reader, "line 2")
    assert data == {
        "id": "C-1",
        "kind": "complaint",
        "received": date(2025, 3, 31),
        "stage1": {"outcome": "not-upheld"},
        "remedy": {"compensation": 1250.5},
    }
    with pytest.raises(ci.RowRejected, match="not one of"):
        ci.row_to_case(["C-1", "31/03/2025", "Pending", ""], where, SPECS, m, reader, "line 2")
    with pytest.raises(ci.RowRejected, match="no case id"):
        ci.row_to_case(["", "31/03/2025", "", ""], where, SPECS, m, reader, "line 2")
    with pytest.raises(ci.DateRejected, match="column 'Rec': 'March the 3rd': not a date") as info:
        ci.row_to_case(["C-1", "March the 3rd", "", ""], where, SPECS, m, reader, "line 2")
    assert info.value.column == "received" and "line 2, column 'Rec'" in info.value.failure.message
    with pytest.raises(ci.DateRejected, match="'31/02/2025': no such day"):
        ci.row_to_case(["C-1", "31/02/2025", "", ""], where, SPECS, m, reader, "line 2")


@pytest.mark.parametrize(
    "text",
    [
        "plain words",
        "yes",
        "No",
        "12",
        "1.5",
        "2025-03-31",
        "a: b",
        "#x",
        "- x",
        "C-1",
        "trailing ",
        "'q'",
        "x #y",
        "null",
        "£250",
    ],
)
def test_scalars_read_back_exactly(text: str) -> None:
    value = yamlread.parse(f"k: {scalar(text)}\n")
    assert value == {"k": text}


def test_new_case_text_is_in_fmt_layout() -> None:
    data = {
        "x-crm-status": "Closed: ok",
        "stage1": {"outcome": "upheld", "acknowledged": date(2025, 4, 2)},
        "received": date(2025, 3, 31),
        "id": "C-1",
        "kind": "complaint",
        "category": "Repairs",
    }
    text = case_text(data, field_ranks(SPECS))
    assert text.splitlines()[0] == "id: C-1"
    assert format_text(text, "case") == text


# ------------------------------------------------------------------ the command


def test_import_new_then_again_unchanged(ws: Path, tmp_path: Path) -> None:
    path = export(tmp_path / "export.csv")
    code, stdout, stderr = _import(ws, path)
    assert code == 0, stderr
    assert "5 rows: 3 new, 0 updated, 0 unchanged, 2 rejected (1 blank line skipped)" in stdout
    assert "line 5: C-2: rejected: case id C-2 is also on line 4" in stdout
    assert "line 7: -: rejected: no case id" in stdout
    assert "C-3: rejected" not in stdout
    # the unmapped free text is not imported, and says so
    assert "Columns not imported (not in the mapping): Complaint Summary, Tenant Name" in stdout
    c1 = _case(ws, "cases/2025/C-1.yaml")
    assert c1 == {
        "id": "C-1",
        "kind": "complaint",
        "received": "2025-03-31",
        "category": "Repairs",
        "channel": "phone",
        "stage1": {"acknowledged": "2025-04-02", "handler": "H-1", "responded": "2025-04-10", "outcome": "upheld"},
        "x-crm-status": "Closed",
    }
    assert _case(ws, "cases/2025/C-2.yaml")["stage1"] == {"acknowledged": "2025-04-07", "handler": "H-2"}
    assert _case(ws, "cases/2025/C-3.yaml")["stage2"] == {"requested": "2025-04-20"}
    for rel in ("cases/2025/C-1.yaml", "cases/2025/C-2.yaml", "cases/2025/C-3.yaml"):
        text = (ws / rel).read_text()
        assert format_text(text, "case") == text
    before = _tree(ws)
    code, stdout, _ = _import(ws, path)
    assert code == 0
    assert "5 rows: 0 new, 0 updated, 3 unchanged, 2 rejected" in stdout
    assert _tree(ws) == before
    r = run("check", str(ws), "--format", "json", "--fail-on", "never", "--as-of", "2025-06-30")
    assert not [f for f in r.json()["findings"] if f["rule"] in ("schema", "yaml", "case.duplicate")]


def test_update_keeps_comments_and_own_fields(ws: Path, tmp_path: Path) -> None:
    path = export(tmp_path / "export.csv")
    assert _import(ws, path)[0] == 0
    target = ws / "cases/2025/C-2.yaml"
    target.write_text("# checked by the team\n" + target.read_text() + "x-note: keep me\n")
    rows = list(ROWS)
    rows[2] = "C-2,01/04/2025,ASB,Email,45754,15/04/2025,H-2,Stage 1 - Upheld,,,,Noise,Mr B,Closed"
    code, stdout, _ = _import(ws, export(tmp_path / "export2.csv", rows))
    assert code == 0
    assert "line 4: C-2: updated cases/2025/C-2.yaml (stage1.responded, stage1.outcome, x-crm-status)" in stdout
    assert "1 updated, 2 unchanged" in stdout
    text = target.read_text()
    assert text.startswith("# checked by the team\n") and "x-note: keep me" in text
    assert _case(ws, "cases/2025/C-2.yaml")["stage1"] == {
        "acknowledged": "2025-04-07",
        "handler": "H-2",
        "responded": "2025-04-15",
        "outcome": "upheld",
    }
    # and again: nothing changes
    before = _tree(ws)
    assert "0 updated, 3 unchanged" in _import(ws, tmp_path / "export2.csv")[1]
    assert _tree(ws) == before


def test_dry_run_writes_nothing(ws: Path, tmp_path: Path) -> None:
    before = _tree(ws)
    code, stdout, _ = _import(ws, export(tmp_path / "e.csv"), "--dry-run")
    assert code == 0 and "line 2: C-1: new cases/2025/C-1.yaml" in stdout and "Dry run: nothing written" in stdout
    assert _tree(ws) == before


def test_windows_1252_without_bom(ws: Path, tmp_path: Path) -> None:
    rows = ["C-9,31/03/2025,Café repairs,Telephone,,,,,,,,,,"]
    path = export(tmp_path / "e.csv", rows, bom=False, crlf=True, encoding="cp1252")
    code, _stdout, stderr = _import(ws, path)
    assert code == 0
    assert "Windows-1252" in stderr
    assert _case(ws, "cases/2025/C-9.yaml")["category"] == "Café repairs"


def test_date_column_fitting_no_format_fails_whole_file(ws: Path, tmp_path: Path) -> None:
    rows = ["C-5,March 3rd,Repairs,Telephone,,,,,,,,,,", "C-6,April 4th,Repairs,Telephone,,,,,,,,,,"]
    before = _tree(ws)
    code, _, stderr = _import(ws, export(tmp_path / "e.csv", rows))
    assert code == 3
    assert "e.csv: line 2, column 'Date Received': 'March 3rd' is not a date" in stderr
    assert "nothing written" in stderr
    assert _tree(ws) == before


def test_one_bad_date_rejects_its_row_alone(ws: Path, tmp_path: Path) -> None:
    rows = [
        ROWS[0],
        "C-5,about May 2024,Repairs,Telephone,,,,,,,,,,",
        "C-6,30/02/2025,Repairs,Telephone,,,,,,,,,,",
        "C-7,01/04/2025,Repairs,Telephone,2025-02-30 10:00,,,,,,,,,",
        "C-8,01/04/2025,Repairs,Telephone,,,,,,,,,,",
        "C-9,3rd May 2024,Repairs,Telephone,,,,,,,,,,",  # the month a word: read whatever the formats
    ]
    code, stdout, stderr = _import(ws, export(tmp_path / "e.csv", rows))
    assert code == 0, stderr
    assert (
        "e.csv: line 3: C-5: rejected: column 'Date Received': 'about May 2024': not a date in any of the formats "
        "DD/MM/YYYY, YYYY-MM-DD HH:mm, excel"
    ) in stdout
    assert "e.csv: line 4: C-6: rejected: column 'Date Received': '30/02/2025': no such day" in stdout
    assert "e.csv: line 5: C-7: rejected: column 'Stage 1 Ack': '2025-02-30 10:00': no such day" in stdout
    assert "6 rows: 3 new, 0 updated, 0 unchanged, 3 rejected" in stdout
    assert (ws / "cases/2025/C-8.yaml").exists() and not (ws / "cases/2025/C-5.yaml").exists()
    assert "received: 2024-05-03\n" in (ws / "cases/2024/C-9.yaml").read_text()


def test_mapping_names_a_missing_column(ws: Path, tmp_path: Path) -> None:
    (ws / "import-map.yaml").write_text(MAP.replace("stage2.outcome: Stage 2 Outcome", "stage2.outcome: S2 Result"))
    before = _tree(ws)
    code, _, stderr = _import(ws, export(tmp_path / "e.csv"))
    assert code == 3 and "stage2.outcome: 'S2 Result'" in stderr and "not in the header row" in stderr
    assert _tree(ws) == before


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (("stage1.handler:", "stage1.handlr:"), "import-map.yaml:8: 'stage1.handlr' is not a case field"),
        (("dates: [DD/MM/YYYY,", "dates: [DD/MM,"), "needs a day"),
        (("{Telephone: phone,", "{Telephone: fone,"), "'fone' is not one of"),
        (("columns:\n  id: Case Ref\n", "columns:\n"), "must name the column that holds the case id"),
    ],
)
def test_bad_mapping(ws: Path, tmp_path: Path, change: tuple[str, str], says: str) -> None:
    (ws / "import-map.yaml").write_text(MAP.replace(*change))
    code, _, stderr = _import(ws, export(tmp_path / "e.csv"))
    assert code == 3 and says in stderr


def test_no_mapping_says_how_to_start(ws: Path, tmp_path: Path) -> None:
    (ws / "import-map.yaml").unlink()
    code, _, stderr = _import(ws, export(tmp_path / "e.csv"))
    assert code == 3 and "--init-map" in stderr


def test_free_text_mapped_is_checked_for_personal_data(ws: Path, tmp_path: Path) -> None:
    (ws / "import-map.yaml").write_text(
        MAP.replace("  x-crm-status: Status\n", "  x-crm-status: Status\n  stage1.definition: Complaint Summary\n")
    )
    rows = [
        "C-1,31/03/2025,Repairs,Telephone,02/04/2025,,H-1,,,,,Leak in the bathroom,Ms A,Open",
        "C-2,31/03/2025,Repairs,Telephone,02/04/2025,,H-1,,,,,Call me on 07700 900123,Ms A,Open",
    ]
    code, stdout, _ = _import(ws, export(tmp_path / "e.csv", rows))
    assert code == 0
    assert "line 3: C-2: rejected: stage1.definition seems to hold a phone number" in stdout
    assert "07700" not in stdout
    assert not (ws / "cases/2025/C-2.yaml").exists()
    assert _case(ws, "cases/2025/C-1.yaml")["stage1"]["definition"] == "Leak in the bathroom"  # type: ignore[index]


def test_rows_the_schema_refuses_are_rejected(ws: Path, tmp_path: Path) -> None:
    rows = ["C 1/x,31/03/2025,Repairs,Telephone,,,,,,,,,,", "C-2,31/03/2025,Repairs,Pigeon,,,,,,,,,,"]
    code, stdout, _ = _import(ws, export(tmp_path / "e.csv", rows))
    assert code == 0
    assert "line 2: C 1/x: rejected" in stdout
    assert "line 3: C-2: rejected: column 'Channel': 'Pigeon' is not one of phone" in stdout
    assert "2 rows: 0 new, 0 updated, 0 unchanged, 2 rejected" in stdout


def test_init_map(ws: Path, tmp_path: Path) -> None:
    (ws / "import-map.yaml").unlink()
    path = export(tmp_path / "export.csv")
    r = run("import", "cases", str(path), "-w", str(ws), "--init-map")
    assert r.exit_code == 0
    text = (ws / "import-map.yaml").read_text()
    assert (
        "  id: Case Ref  # 'case ref': the case reference\n" in text
        and "  # stage1.definition: Complaint Summary\n" in text
    )
    assert "    Stage 1 - Upheld: upheld\n" in text and "    Web form: web\n" in text
    assert "# x-tenant-name: Tenant Name" in text
    # the guessed mapping imports the file as it stands
    code, stdout, _ = _import(ws, path)
    assert code == 0 and "3 new" in stdout
    # it is not replaced without --force
    r = run("import", "cases", str(path), "-w", str(ws), "--init-map")
    assert r.exit_code == 2 and "already exists" in r.stderr


def test_excel_export(ws: Path, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(HEADER.split(","))
    sheet.append(["C-7", datetime(2025, 3, 31, 9, 30), "Repairs", "Telephone", 45751, None, 17, "Stage 1 - Upheld"])
    sheet.append([None] * 5)
    sheet.append(["C-8", "01/04/2025", "Repairs", "Telephone"])
    wb.save(str(tmp_path / "e.xlsx"))
    code, stdout, stderr = _import(ws, tmp_path / "e.xlsx")
    assert code == 0, stderr
    assert "2 rows: 2 new" in stdout and "1 blank line skipped" in stdout
    c7 = _case(ws, "cases/2025/C-7.yaml")
    assert c7["received"] == "2025-03-31"
    assert c7["stage1"] == {"acknowledged": "2025-04-04", "handler": "17", "outcome": "upheld"}
    assert "2 unchanged" in _import(ws, tmp_path / "e.xlsx")[1]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("e.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64),
        ("e.pdf", b"%PDF-1.4"),
        ("e.xlsx", b"PK\x03\x04junk"),
    ],
)
def test_unreadable_exports(ws: Path, tmp_path: Path, name: str, content: bytes) -> None:
    (tmp_path / name).write_bytes(content)
    before = _tree(ws)
    code, _, stderr = _import(ws, tmp_path / name)
    assert code == 3 and name in stderr
    assert _tree(ws) == before


def test_nothing_partial_when_a_file_appears_meanwhile(ws: Path, tmp_path: Path) -> None:
    from hcode.edit.casefile import write_guarded_all
    from hcode.edit.steps import StepError

    a, b = ws / "cases/2025/A.yaml", ws / "cases/2025/B.yaml"
    b.parent.mkdir(parents=True)
    items: list[tuple[Path, str, bytes | None]] = [(a, "id: A\n", None), (b, "id: B\n", None)]
    b.write_text("someone else's\n")
    with pytest.raises(StepError, match=r"B\.yaml was created"):
        write_guarded_all(items, root=ws)
    assert not a.exists() and b.read_text() == "someone else's\n"
    assert sorted(p.name for p in b.parent.iterdir()) == ["B.yaml"]  # no temporary or lock files


# ------------------------------------------------------------------ docs/import.md runs as written


def _doc_blocks(kind: str) -> list[str]:
    import re

    from conftest import ROOT

    return re.findall(rf"```{kind}\n(.*?)```", (ROOT / "docs" / "import.md").read_text("utf-8"), re.S)


def test_import_walkthrough_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import shlex

    from importdocs import appendix_a_docx, narrative_docx, narrative_html

    appendix_a_docx(tmp_path / "self-assessment-2024-25.docx")
    narrative_docx(tmp_path / "our-self-assessment.docx")
    narrative_html(tmp_path / "self-assessment.html")
    (tmp_path / "crm-export.csv").write_text(_doc_blocks("csv")[0], encoding="utf-8")
    (tmp_path / "civica-export.csv").write_text(_doc_blocks("csv")[1], encoding="utf-8")
    make_ws(tmp_path / "homes")
    monkeypatch.chdir(tmp_path)
    ran = 0
    for block in _doc_blocks("sh-session"):
        lines = block.splitlines()
        i = 0
        while i < len(lines):
            command = lines[i]
            assert command.startswith("$ "), command
            expected = []
            i += 1
            while i < len(lines) and not lines[i].startswith("$ "):
                expected.append(lines[i])
                i += 1
            words = shlex.split(command[2:])
            if words[0] == "cd":
                os.chdir(words[1])
                continue
            result = run(*words[1:])
            ran += 1
            assert result.exit_code == 0, (command, result.stderr)
            assert (result.stdout + result.stderr).strip() == "\n".join(expected).strip(), command
            if "--init-map" in words and "--map" not in words:
                # the mapping shown in the document is the one written (after its four comment lines)
                written = Path("import-map.yaml").read_text("utf-8").split("\n", 4)[4]
                assert written == _doc_blocks("yaml")[1]
    assert ran == 9
    assert Path("assessments/2024-25.yaml").read_text("utf-8").count("\n") > 20
    shown = _doc_blocks("yaml")[0]
    assert shown in Path("assessments/2024-25.yaml").read_text("utf-8")


STAGE_MAP = """\
columns:
  id: Ref
  received: Received
  category: Category
  stage: Stage
  stage.acknowledged: Acknowledged
  stage.responded: Responded
  stage.outcome: Outcome
  stage2.requested: Escalated
values:
  stage: {S1: 1, Review: 2}
  stage.outcome: {Upheld in part: partly-upheld}
"""


def test_one_row_per_stage(ws: Path, tmp_path: Path) -> None:
    (ws / "import-map.yaml").write_text(STAGE_MAP)
    path = tmp_path / "stages.csv"
    path.write_text(
        "Ref,Received,Category,Stage,Acknowledged,Responded,Outcome,Escalated\n"
        "C-1,03/04/2024,Repairs,S1,05/04/2024,17/04/2024,Not upheld,\n"
        "C-1,03/04/2024,Repairs,Review,06/05/2024,29/05/2024,Upheld in part,02/05/2024\n"
        "C-2,08/04/2024,ASB,Stage 1,10/04/2024,,,\n"
        "C-2,08/04/2024,ASB,Stage 1,10/04/2024,,,\n"
        "C-3,09/04/2024,ASB,S1,,,,\n"
        "C-3,10/04/2024,ASB,Review,,,,11/05/2024\n"
        "C-4,09/04/2024,ASB,Stage 3,,,,\n"
    )
    dry = _import(ws, path, "--dry-run")[1]
    assert "line 2: C-1: new cases/2024/C-1.yaml\n" in dry
    assert "line 3: C-1: new cases/2024/C-1.yaml: with line 2\n" in dry
    code, stdout, _ = _import(ws, path)
    assert code == 0
    assert "line 5: C-2: rejected: case id C-2 stage 1 is also on line 4" in stdout
    assert "line 7: C-3: rejected: received differs from line 6" in stdout
    assert "line 8: C-4: rejected: column 'Stage': 'Stage 3' is not stage 1 or stage 2" in stdout
    assert "7 rows: 4 new, 0 updated, 0 unchanged, 3 rejected" in stdout
    c1 = _case(ws, "cases/2024/C-1.yaml")
    assert c1["stage1"] == {"acknowledged": "2024-04-05", "responded": "2024-04-17", "outcome": "not-upheld"}
    assert c1["stage2"] == {
        "requested": "2024-05-02",
        "acknowledged": "2024-05-06",
        "responded": "2024-05-29",
        "outcome": "partly-upheld",
    }
    again = _import(ws, path)[1]
    assert "7 rows: 0 new, 0 updated, 4 unchanged, 3 rejected" in again


def test_stage_columns_need_a_stage_column(ws: Path, tmp_path: Path) -> None:
    (ws / "import-map.yaml").write_text(STAGE_MAP.replace("  stage: Stage\n", ""))
    code, _, stderr = _import(ws, export(tmp_path / "e.csv"))
    assert code == 3 and "one row per stage needs both" in stderr


def test_escalation_date_on_the_stage_1_row(ws: Path, tmp_path: Path) -> None:
    (ws / "import-map.yaml").write_text(STAGE_MAP)
    path = tmp_path / "stages.csv"
    path.write_text(
        "Ref,Received,Category,Stage,Acknowledged,Responded,Outcome,Escalated\n"
        "C-1,03/04/2024,Repairs,S1,05/04/2024,17/04/2024,Not upheld,02/05/2024\n"
        "C-1,03/04/2024,Repairs,Review,06/05/2024,,,\n"
        "C-2,03/04/2024,Repairs,Review,06/05/2024,,,\n"
    )
    code, stdout, _ = _import(ws, path)
    assert code == 0
    assert _case(ws, "cases/2024/C-1.yaml")["stage2"] == {"requested": "2024-05-02", "acknowledged": "2024-05-06"}
    assert "line 4: C-2: rejected:" in stdout and "requested" in stdout
    assert "3 rows: 2 new, 0 updated, 0 unchanged, 1 rejected" in stdout


# ------------------------------------------------------------------ no guess that changes compliance

CRM_DUE = (
    "Complaint Ref,Date Logged,Enquiry Type,Acknowledged,Response Due,Response Date,Stage 1 Outcome\n"
    # answered on time (due 17 May by the Code: received 1 May, acknowledged 2 May, 6 May a holiday)
    "CX-1,01/05/2024,Repairs,02/05/2024,17/05/2024,16/05/2024,Upheld\n"
    # still open in the CRM: its due date must not read as the response
    "CX-2,01/05/2024,Repairs,02/05/2024,17/05/2024,,\n"
    # the CRM's deadline is a week later than the Code's: answered 4 working days late by the Code
    "CX-3,01/05/2024,Repairs,02/05/2024,24/05/2024,23/05/2024,Upheld\n"
)


def test_a_due_column_never_becomes_an_event_date(ws: Path, tmp_path: Path) -> None:
    (ws / "import-map.yaml").unlink()
    path = tmp_path / "crm.csv"
    path.write_text(CRM_DUE)
    r = run("import", "cases", str(path), "-w", str(ws), "--init-map")
    assert r.exit_code == 0, r.stderr
    text = (ws / "import-map.yaml").read_text()
    assert "\n  stage1.responded: Response Date  #" in text
    assert "\n  stage1.recorded_due: Response Due  # 'due': a due date, never an event date" in text
    assert "'Response Due' -> stage1.recorded_due ('due': a due date, never an event date" in r.stdout
    # the categories are in hcode.yaml's list: the workspace declares repairs
    code, stdout, stderr = _import(ws, path)
    assert code == 0, stderr
    assert "3 new" in stdout
    open_case = _case(ws, "cases/2024/CX-2.yaml")
    assert open_case["stage1"] == {"acknowledged": "2024-05-02", "recorded_due": "2024-05-17"}  # not responded
    late = _case(ws, "cases/2024/CX-3.yaml")
    assert late["stage1"]["responded"] == "2024-05-23"  # type: ignore[index]
    r = run("check", str(ws), "--format", "json", "--fail-on", "never", "--as-of", "2024-06-30")
    findings = r.json()["findings"]
    differs = [f for f in findings if f["rule"] == "case.recorded-due"]
    assert [f["subject"] for f in differs] == ["CX-3"]
    assert differs[0]["message"] == (
        "stage 1 response: the due date recorded, 2024-05-24, is not the Code's due date 2024-05-17 "
        "(5 working days later)"
    )
    # the open complaint is overdue, and the late one's breach is kept
    assert any(f["subject"] == "CX-2" and "overdue" in f["message"] for f in findings)
    assert any(f["subject"] == "CX-3" and "4 working days after the due date" in f["message"] for f in findings)


def test_two_columns_for_one_field_are_both_named_and_neither_chosen() -> None:
    guess = ci.guess_map(["Ref", "Date Received", "Date Logged", "Stage 1 Response", "Response Sent"], [], SPECS)
    assert "received" not in guess.columns and "stage1.responded" not in guess.columns
    assert guess.competing == {
        "received": ["Date Received", "Date Logged"],
        "stage1.responded": ["Stage 1 Response", "Response Sent"],
    }
    from hcode.edit.importer import guess_lines, map_text

    text = map_text(guess, "x.csv")
    assert "  # 2 columns could be received; neither is chosen: keep the right one\n" in text
    assert "  # received: Date Received\n  # received: Date Logged\n" in text
    assert "received: 'Date Received', 'Date Logged' all fit; neither is chosen: map the right one" in guess_lines(
        guess
    )


CIVICA = (
    "Complaint Ref,Date Logged,Enquiry Type,Acknowledged,Response Due,Response Date,Escalated On\n"
    "CX/24/00117,01/05/2024,Repairs,02/05/2024,17/05/2024,16/05/2024,\n"
    "CX/24/00118,01/05/2024,Gas Servicing,02/05/2024,17/05/2024,16/05/2024,20/05/2024\n"
)


def test_ids_are_transformed_and_the_original_kept(ws: Path, tmp_path: Path) -> None:
    (ws / "import-map.yaml").unlink()
    path = tmp_path / "civica.csv"
    path.write_text(CIVICA)
    r = run("import", "cases", str(path), "-w", str(ws), "--init-map")
    assert r.exit_code == 0, r.stderr
    text = (ws / "import-map.yaml").read_text()
    assert (
        '\nids:  # the export\'s ids hold characters a case id cannot: the original is kept as x-source-id\n  replace:\n    "/": "-"\n'
        in text
    )
    assert "'Escalated On' -> stage2.requested" in r.stdout
    # the categories found are offered for hcode.yaml, with the ones it declares
    assert "Categories in civica.csv that hcode.yaml does not declare: 'Gas Servicing'." in r.stdout
    assert "\ncategories:\n  repairs: Repairs\n" in r.stdout and "\n  gas-servicing: Gas Servicing\n" in r.stdout
    code, stdout, stderr = _import(ws, path)
    assert code == 0, stderr
    assert "2 new" in stdout
    case = _case(ws, "cases/2024/CX-24-00117.yaml")
    assert case["id"] == "CX-24-00117" and case["x-source-id"] == "CX/24/00117"
    # the same export again: nothing changes
    code, stdout, _ = _import(ws, path)
    assert "0 new, 0 updated, 2 unchanged" in stdout
    # the mapping is checked against its schema (hcode schema import): a replacement a file name
    # cannot hold is refused, with its line
    (ws / "import-map.yaml").write_text(text.replace('"/": "-"', '"/": "+"'))
    code, _, stderr = _import(ws, path)
    assert code == 3 and "import-map.yaml:18: '/' has an unexpected form: '+'" in stderr
    (ws / "import-map.yaml").write_text(text + "colums: {}\n")
    code, _, stderr = _import(ws, path)
    assert code == 3 and "import-map.yaml:" in stderr and "colums" in stderr
    assert run("schema", "import").exit_code == 0


def test_progress_is_told_of_every_row_once(ws: Path, tmp_path: Path) -> None:
    from hcode.edit.importer import plan_cases
    from hcode.store.documents import read_case_map, read_rows
    from hcode.store.reader import Store

    rows = [f"C-{n},31/03/2025,Repairs,Telephone,,,,,,,,,," for n in range(2500)]
    path = export(tmp_path / "e.csv", rows)
    told: list[tuple[int, int]] = []
    ctx = Store.open(ws).context(date(2025, 6, 1))
    plan = plan_cases(
        ws, read_rows(path), read_case_map(ws / "import-map.yaml", SPECS), SPECS, ctx, lambda a, t: told.append((a, t))
    )
    assert plan.counts["new"] == 2500
    assert {t for _, t in told} == {5000} and sum(a for a, _ in told) == 5000 and len(told) >= 4


EVENTS = (
    "Case,Category,Event,Date\n"
    "EV-1,Repairs,Complaint received,01/05/2024\n"
    "EV-1,Repairs,Stage 1 acknowledgement,02/05/2024\n"
    "EV-1,Repairs,Stage 1 response,16/05/2024\n"
    "EV-2,Repairs,Complaint received,07/05/2024\n"
    "EV-2,Repairs,Stage 1 response,30/05/2024\n"
    "EV-2,Repairs,Stage 1 response,31/05/2024\n"
    "EV-3,Repairs,Phone call,08/05/2024\n"
)


def test_one_row_per_event(ws: Path, tmp_path: Path) -> None:
    (ws / "import-map.yaml").unlink()
    path = tmp_path / "events.csv"
    path.write_text(EVENTS)
    r = run("import", "cases", str(path), "-w", str(ws), "--init-map")
    assert r.exit_code == 0, r.stderr
    text = (ws / "import-map.yaml").read_text()
    assert "  event: Event  #" in text and "  event.date: Date  #" in text and "x-date" not in text
    assert "  event:\n    Complaint received: received\n    Stage 1 acknowledgement: stage1.acknowledged\n" in text
    assert "    Stage 1 response: stage1.responded\n    Phone call:\n" in text
    code, stdout, stderr = _import(ws, path)
    assert code == 0, stderr
    case = _case(ws, "cases/2024/EV-1.yaml")
    assert case["received"] == "2024-05-01"
    assert case["stage1"] == {"acknowledged": "2024-05-02", "responded": "2024-05-16"}
    assert "line 7: EV-2: rejected: case id EV-2 event stage1.responded is also on line 6" in stdout
    assert "line 8: EV-3: rejected: column 'Event': 'Phone call' is not an event the mapping names" in stdout
    assert "7 rows: 5 new, 0 updated, 0 unchanged, 2 rejected" in stdout  # rows: EV-1 three, EV-2 two


def test_init_map_copies_codes_only_never_free_text() -> None:
    rows = [
        ["C-1", "01/04/2025", "Upheld", "Mrs Jones at 4 High Street called about the leak"],
        ["C-2", "01/04/2025", "Not upheld", "Mr Smith 07700 900123"],
    ]
    guess = ci.guess_map(["Ref", "Received", "Stage 1 Outcome", "Stage 1 Result Notes"], rows, SPECS)
    from hcode.edit.importer import map_text

    text = map_text(guess, "x.csv")
    assert "Upheld" not in text or "    Not upheld:" not in text  # codes that already are hcode's need no entry
    assert "Mrs Jones" not in text and "07700" not in text and "High Street" not in text
    # a column guessed as an outcome whose values are sentences proposes none of them
    rows = [["C-1", "01/04/2025", "We apologised to Mrs Jones of 4 High Street and paid her"]]
    guess = ci.guess_map(["Ref", "Received", "Stage 1 Outcome"], rows, SPECS)
    assert guess.values == {} and "Mrs Jones" not in map_text(guess, "x.csv")
    assert "its values are not a short list of codes" in guess.reasons["Stage 1 Outcome"]


def test_a_journal_names_a_live_writer_only_on_this_machine() -> None:
    """A journal left by a writer still running is left alone; one of process 0 or below (no
    process), of a process that has ended, or of another machine is settled by the next run."""
    import os
    import socket
    import subprocess

    from hcode.edit import journal

    host = socket.gethostname()
    ended = subprocess.Popen(["true"])
    ended.wait()
    assert journal._alive(os.getpid(), host)
    assert not journal._alive(0, host) and not journal._alive(-1, host)
    assert not journal._alive(ended.pid, host)
    assert not journal._alive(os.getpid(), host + "-elsewhere")


def test_a_date_hcode_cannot_count_from_rejects_its_row_alone(ws: Path, tmp_path: Path) -> None:
    """A real day outside the dates hcode works with is named at its cell (column and value),
    as an impossible day is; the other rows are imported."""
    rows = [
        "C-5,01/01/1850,Repairs,Telephone,,,,,,,,,,",
        "C-6,01/04/2025,Repairs,Telephone,01/01/2250,,,,,,,,,",
        "C-8,01/04/2025,Repairs,Telephone,,,,,,,,,,",
    ]
    code, stdout, stderr = _import(ws, export(tmp_path / "e.csv", rows))
    assert code == 0, stderr
    assert (
        "e.csv: line 2: C-5: rejected: column 'Date Received': '01/01/1850': 1850-01-01 is outside the dates "
        "hcode works with (1900-01-01 to 2199-12-31)"
    ) in stdout
    assert "e.csv: line 3: C-6: rejected: column 'Stage 1 Ack': '01/01/2250': 2250-01-01 is outside" in stdout
    assert "3 rows: 1 new, 0 updated, 0 unchanged, 2 rejected" in stdout
    assert sorted(p.name for p in (ws / "cases").rglob("C-*.yaml")) == ["C-8.yaml"]


def _many(ws: Path, count: int) -> list[tuple[Path, str, bytes | None]]:
    folder = ws / "cases/2025"
    folder.mkdir(parents=True, exist_ok=True)
    return [(folder / f"N-{n:02d}.yaml", f"id: N-{n:02d}\n", None) for n in range(count)]


def _hidden(ws: Path) -> list[str]:
    return sorted(p.name for p in ws.rglob(".hcode-*") if not p.name.endswith(".lock"))


def test_a_file_among_many_that_exists_already_stops_them_all(ws: Path) -> None:
    """Many new files in one folder are checked against one listing of it (not a stat each):
    one that exists already refuses them all, and nothing is written."""
    from hcode.edit.casefile import write_guarded_all
    from hcode.edit.steps import StepError

    items = _many(ws, 20)
    items[13][0].write_text("someone else's\n")
    with pytest.raises(StepError, match=r"N-13\.yaml was created"):
        write_guarded_all(items, root=ws)
    assert [p.name for p in items[13][0].parent.iterdir()] == ["N-13.yaml"]
    assert items[13][0].read_text() == "someone else's\n" and _hidden(ws) == []


def test_a_link_among_many_new_files_is_refused_before_anything_is_written(ws: Path, tmp_path: Path) -> None:
    """The writer rule where one listing of the folder answers for many files: a link where a
    new file would go refuses the whole write, and nothing is created through it."""
    from hcode.edit.casefile import write_guarded_all
    from hcode.edit.steps import StepError

    items = _many(ws, 20)
    outside = tmp_path / "outside.yaml"
    items[7][0].symlink_to(outside)
    with pytest.raises(StepError, match=r"N-07\.yaml is a symbolic link"):
        write_guarded_all(items, root=ws)
    assert not outside.exists()
    assert [p.name for p in items[7][0].parent.iterdir()] == ["N-07.yaml"] and _hidden(ws) == []


@pytest.mark.parametrize("renameat2", [True, False])
def test_a_file_created_while_an_import_commits_is_never_replaced(
    ws: Path, monkeypatch: pytest.MonkeyPatch, renameat2: bool
) -> None:
    """Another program creates one of the new files after the checks, while the texts are being
    staged: giving the staged text its name never replaces it (one rename that refuses to
    replace, or a link where the system has no such rename), the files already placed are
    removed again, and nothing of the write is left behind."""
    from hcode.edit import journal
    from hcode.edit.casefile import write_guarded_all
    from hcode.edit.steps import StepError

    if not renameat2:
        monkeypatch.setattr(journal, "_NO_RENAMEAT2", [True])
    elif journal._renameat2() is None:
        pytest.skip("this system has no renameat2 (the link and unlink path is the other case)")
    items = _many(ws, 20)
    real = journal._stage_file

    def stage(staged: str, data: bytes) -> None:
        real(staged, data)
        if staged.endswith("N-19.yaml"):  # the last one staged: another program takes a name
            items[11][0].write_text("someone else's\n")

    monkeypatch.setattr(journal, "_stage_file", stage)
    with pytest.raises(StepError, match=r"N-11\.yaml was created"):
        write_guarded_all(items, root=ws)
    assert [p.name for p in items[11][0].parent.iterdir()] == ["N-11.yaml"]
    assert items[11][0].read_text() == "someone else's\n" and _hidden(ws) == []


def test_rename_new_refuses_to_replace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hcode.edit import journal

    for fallback in (False, True):
        if fallback:
            monkeypatch.setattr(journal, "_NO_RENAMEAT2", [True])
        staged, target = tmp_path / f".hcode-journal-{fallback}", tmp_path / f"T-{fallback}.yaml"
        staged.write_text("ours\n")
        target.write_text("theirs\n")
        with pytest.raises(FileExistsError):
            journal.rename_new(str(staged), str(target))
        assert target.read_text() == "theirs\n" and staged.read_text() == "ours\n"
        target.unlink()
        journal.rename_new(str(staged), str(target))
        assert target.read_text() == "ours\n" and not staged.exists()


@pytest.mark.parametrize(
    "damage",
    [
        "stage1:\n  handler: H-2\n   outcome: upheld\n",  # a parse error (bad indentation)
        "stage1:\n  handler: @H-2\n",  # what only the strict reader refuses
    ],
)
def test_a_damaged_case_file_is_reported_once_in_hcode_words(
    ws: Path, tmp_path: Path, damage: str, capfd: pytest.CaptureFixture[str]
) -> None:
    """An existing case file the import cannot read is named with its line, and nothing else is
    written to the terminal (no parser's own messages)."""
    path = export(tmp_path / "export.csv")
    assert _import(ws, path)[0] == 0
    target = ws / "cases/2025/C-2.yaml"
    target.write_text("id: C-2\nkind: complaint\n" + damage)
    capfd.readouterr()
    code, stdout, _ = _import(ws, path)
    assert code == 0, stdout  # the other rows are imported; the rejected one is named
    assert "C-2: rejected: fix cases/2025/C-2.yaml:" in stdout
    assert target.read_text() == "id: C-2\nkind: complaint\n" + damage
    assert capfd.readouterr().err == ""


def test_an_existing_case_file_over_the_size_limit_is_refused_as_check_refuses_it(ws: Path, tmp_path: Path) -> None:
    """The import reads existing case files through the store's reader: one over the workspace's
    limits.max_file_bytes is named with the limit and left alone, never read whole."""
    path = export(tmp_path / "export.csv")
    assert _import(ws, path)[0] == 0
    target = ws / "cases/2025/C-2.yaml"
    big = target.read_text() + "x-notes: |\n" + "  padding line\n" * 400
    target.write_text(big)
    config = ws / "hcode.yaml"
    config.write_text(config.read_text() + "limits:\n  max_file_bytes: 2000\n")
    code, stdout, _ = _import(ws, path)
    assert code == 0, stdout
    assert "C-2: rejected: fix cases/2025/C-2.yaml first: file is" in stdout
    assert "over the limit of 2,000 bytes" in stdout
    assert target.read_text() == big


def test_a_folder_where_a_case_file_belongs_stops_the_import_and_writes_nothing(ws: Path, tmp_path: Path) -> None:
    """A folder with a case file's name is not a case file: the import writes nothing at all,
    exits 3 and names it once (the refusal is said once, not twice)."""
    path = export(tmp_path / "export.csv")
    assert _import(ws, path)[0] == 0
    target = ws / "cases/2025/C-2.yaml"
    target.unlink()
    target.mkdir()
    before = _tree(ws)
    code, _, stderr = _import(ws, path)
    assert code == 3
    assert "C-2.yaml" in stderr
    assert stderr.count("nothing") == 1, stderr
    assert _tree(ws) == before
