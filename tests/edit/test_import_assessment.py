"""hcode import assessment: Word, Excel and CSV self-assessments into assessments/YEAR.yaml."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from conftest import make_ws, run
from hcode.core import importing as imp
from hcode.core.importing import Cell, Table, cell
from hcode.edit.fmt import format_text
from hcode.store import yamlread
from importdocs import CODE, action_plan_docx, appendix_a_docx, assessment_xlsx, questionnaire_docx, text_of

# ------------------------------------------------------------------ pure parts


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("Code provision", "provision"),
        ("Ref", "provision"),
        ("Code requirement", "requirement"),
        ("Comply: Yes / No", "comply"),
        ("Compliant?", "comply"),
        ("Yes", "yes"),
        ("No", "no"),
        ("N/A", "na"),
        ("Evidence", "evidence"),
        ("How we comply", "evidence"),
        ("Commentary / explanation", "commentary"),
        ("Action required", "action"),
        ("Action Owner", "owner"),
        ("Completion Date", "due"),
        ("Target date", "due"),
        ("RAG status", "progress"),
        ("Something else", None),
        ("", None),
    ],
)
def test_header_words(heading: str, role: str | None) -> None:
    assert imp.header_role(heading) == role


def test_a_row_of_answers_is_not_a_header() -> None:
    assert imp.recognise_header([cell("5.2"), cell("Landlords must ..."), cell("No"), cell("Evidence")]) is None
    assert imp.recognise_header([cell("Code provision"), cell("Comply"), cell("Evidence")]) == {
        0: "provision",
        1: "comply",
        2: "evidence",
    }
    # the 2020 questionnaire: no heading over the number column
    assert imp.recognise_header([cell("1"), cell("Definition of a complaint"), cell("Yes"), cell("No")]) == {
        0: "provision",
        1: "requirement",
        2: "yes",
        3: "no",
    }
    # a performance table is not a self-assessment
    assert imp.recognise_header([cell("Quarter"), cell("Stage 1 complaints"), cell("Within 10 days")]) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Yes", True),
        ("y", True),
        ("✓", True),
        ("√", True),
        ("☒", True),
        ("We comply", True),
        ("Fully compliant", True),
        ("Compliant", True),
        ("No", False),
        ("N", False),
        ("Not compliant", False),
        ("We do not comply", False),
        ("Partially", False),
        ("Yes - partially", False),
        ("Partly compliant", False),
        ("We partially comply", False),
        ("Yes - see policy in part 4", True),
        ("N/A", None),
        ("x", None),
        ("✗", None),
        ("", None),
        ("See note 3", None),
        # read whole: both yes and no, or a yes with a qualifier, is not a yes
        ("Yes / No", None),
        ("Yes/No", None),
        ("Y/N", None),
        ("Yes & No", None),
        ("Yes but not compliant", None),
        ("Yes, however the policy is out of date", None),
        ("No / Yes", None),
        ("~~Yes~~ / No", None),
        ("Yes / ~~No~~", None),
        ("Not compliant", False),
        ("Partly", False),
    ],
)
def test_comply_values(text: str, value: bool | None) -> None:
    assert imp.comply_value(text) is value


def test_done_markers() -> None:
    assert imp.is_done_marker("Complete")
    assert imp.is_done_marker("Completed.")
    assert not imp.is_done_marker("Complete by June")


def test_similarity_threshold_separates_copies_from_mislabelled_rows() -> None:
    assert imp.similarity(text_of("1.2"), CODE.provisions["1.2"].text) > 0.95
    # a copy cut short at a page break still matches
    assert imp.similarity(text_of("5.1", 20), CODE.provisions["5.1"].text) >= imp.SIMILAR
    # 1.2's text under 3.1: a mislabelled row
    assert imp.similarity(text_of("1.2"), CODE.provisions["3.1"].text) < imp.SIMILAR
    match = imp.best_match(text_of("1.2"), CODE)
    assert match is not None and match[0] == "1.2" and match[1] == pytest.approx(1.0)


def test_guess_year() -> None:
    assert imp.guess_year(["Self-assessment 2024/25"]) == "2024-25"
    assert imp.guess_year(["for 2023-2024"]) == "2023-24"
    assert imp.guess_year(["2024-26 plan", "nothing"]) is None


def _table(rows: list[list[str]]) -> Table:
    return Table(
        "t", tuple(tuple(cell(v) for v in r) for r in rows), tuple(f"row {i}" for i in range(1, len(rows) + 1))
    )


def test_rows_to_answers_keep_unknown_columns_and_join_split_tables() -> None:
    first = _table([["Provision", "Comply", "Evidence", "Budget"], ["1.2", "Yes", "Policy", "£2,000"]])
    # continuation table: no header, same width; its first row continues 1.2
    second = _table([["", "", "Training record", ""], ["1.3", "No", "", ""]])
    result = imp.import_assessment([first, second], CODE)
    assert result.provisions["1.2"] == {
        "comply": "yes",
        "evidence": ["Policy", "Training record"],
        "commentary": None,
        "x-imported": {"Budget": "£2,000"},
    }
    assert result.provisions["1.3"]["comply"] == "no"
    assert result.tables == 2


def test_continued_merged_cells_are_not_repeated() -> None:
    rows = (
        (cell("Provision"), cell("Comply"), cell("Evidence")),
        (cell("1.2"), cell("Yes"), cell("Policy")),
        (Cell(("1.2",), continued=True), cell(""), Cell(("Policy",), continued=True)),
    )
    result = imp.import_assessment([Table("t", rows, ("r1", "r2", "r3"))], CODE)
    assert result.provisions["1.2"]["evidence"] == ["Policy"]


def test_complete_becomes_done_true_when_the_schema_allows_it() -> None:
    t = _table([["Provision", "Comply", "Action", "Completion date"], ["1.2", "No", "Train staff", "Complete"]])
    assert imp.import_assessment([t], CODE, done_true=True).provisions["1.2"]["actions"] == [
        {"action": "Train staff", "done": True}
    ]
    assert imp.import_assessment([t], CODE, done_true=False).provisions["1.2"]["actions"] == [
        {"action": "Train staff", "x-imported": "Complete"}
    ]


# ------------------------------------------------------------------ the command


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return make_ws(tmp_path / "ws")


def _import(ws: Path, path: Path, *extra: str) -> tuple[int, str, str]:
    r = run("import", "assessment", str(path), "-w", str(ws), *extra)
    return r.exit_code, r.stdout, r.stderr


def _written(ws: Path, year: str = "2024-25") -> dict[str, object]:
    value = yamlread.parse((ws / "assessments" / f"{year}.yaml").read_text("utf-8"))
    assert isinstance(value, dict)
    return value


def test_appendix_a_document(ws: Path, tmp_path: Path) -> None:
    doc = appendix_a_docx(tmp_path / "self-assessment.docx")
    code, stdout, stderr = _import(ws, doc)
    assert code == 0, stderr
    text = (ws / "assessments" / "2024-25.yaml").read_text("utf-8")
    assert format_text(text, "assessment") == text  # already in hcode fmt's layout
    assert "# Section 1: Definition of a complaint" in text
    data = _written(ws)
    answers = data["provisions"]
    assert isinstance(answers, dict)
    assert answers["1.2"]["comply"] == "yes"
    assert answers["1.4"]["comply"] == "yes"  # a tick
    assert answers["3.1"]["comply"] == "yes"  # "We comply"
    # a bullet list and a hyperlink's target
    assert answers["1.3"]["evidence"] == [
        "Staff guide on recognising complaints",
        "Training slides, April",
        "Online: our policy",
        "https://example.org/complaints-policy.pdf",
    ]
    # the merged cell once, and the row continued on the next page joined to 5.2
    assert answers["5.1"]["evidence"] == ["Single complaints policy (one merged cell)"]
    assert answers["5.2"]["evidence"] == ["Stage 2 panel", "Stage 2 panel minutes, May"]
    assert answers["5.2"]["commentary"] == "We have three stages today.\n\nMoving to two stages in June."
    assert answers["5.3"]["comply"] == "yes"  # after the page break, no header
    assert answers["1.6"]["comply"] is None  # an empty answer stays empty
    # the Code's text is not copied into the answers
    assert "dissatisfaction, however made" not in text
    # the unknown provision is kept, not dropped
    rows = data["x-imported"]["rows"]  # type: ignore[index]
    assert rows[0]["provision"] == "10.1" and rows[0]["Commentary / explanation"] == "Kept aside"
    assert "3.1: mismatch" in stdout and "it reads like 1.2" in stdout
    assert "10.1: unknown" in stdout
    assert "1.6: note: no answer" in stdout
    # hcode check reads it
    r = run("check", str(ws), "--format", "json", "--fail-on", "never")
    assert r.exit_code == 0
    assert not [f for f in r.json()["findings"] if f["rule"] in ("schema", "yaml")]


def test_action_plan_document(ws: Path, tmp_path: Path) -> None:
    doc = action_plan_docx(tmp_path / "plan.docx")
    code, _stdout, _ = _import(ws, doc)
    assert code == 0
    answers = _written(ws)["provisions"]
    assert isinstance(answers, dict)
    first = answers["1.3"]["actions"][0]
    assert first["action"] == "More staff training" and first["owner"] == "Complaints Manager"
    assert first.get("done") is True  # the schema accepts done: true for "Complete"
    assert answers["1.5"]["actions"] == [
        {"action": "Strengthen the procedure", "owner": "Complaints Manager", "due": "2025-03-31"},
        {"action": "Carry out staff training", "owner": "Head of Housing", "due": "2025-06"},
    ]
    assert answers["1.6"]["comply"] == "Partially"  # kept as written; check reads it as not complying
    assert "x-imported" not in answers["1.6"]
    assert "actions" not in answers["1.6"]  # "N/A" in the action column is no action


def test_questionnaire_ticks(ws: Path, tmp_path: Path) -> None:
    doc = questionnaire_docx(tmp_path / "q.docx")
    code, stdout, _ = _import(ws, doc, "--year", "2024-25")
    assert code == 0
    answers = _written(ws)["provisions"]
    assert isinstance(answers, dict)
    assert answers["1.2"]["comply"] == "yes"
    assert answers["1.3"]["comply"] == "no"
    assert answers["2.2"]["commentary"] == "Yes: Please see note 1"
    assert answers["2.3"]["x-imported"] == {"comply": "N/A"}
    assert "mismatch" in stdout  # the 2020 questions are not the 2024 Code's words


def test_excel_workbook(ws: Path, tmp_path: Path) -> None:
    book = assessment_xlsx(tmp_path / "sa.xlsx")
    code, stdout, _ = _import(ws, book)
    assert code == 0
    answers = _written(ws)["provisions"]
    assert isinstance(answers, dict)
    assert "read 6.1 as 6.10" in stdout
    # the title row above the header is named, and its words counted as dropped
    assert "row 1: -: skipped: not under a header row: 'Our self-assessment'" in stdout
    assert ", 3 dropped (in the rows and tables reported skipped)" in stdout
    assert answers["6.10"]["actions"] == [
        {
            "action": "Recruit a second panel member",
            "owner": "Director",
            "due": "2025-09-30",
            "progress": "Amber",
        }
    ]
    assert answers["6.11"]["evidence"] == ["Escalation letter", "https://example.org/escalation-letter"]
    assert answers["6.9"]["x-imported"] == {"progress": "Green"}


def test_csv_self_assessment(ws: Path, tmp_path: Path) -> None:
    path = tmp_path / "sa.csv"
    path.write_bytes("Ref,Compliant?,Evidence\r\n1.2,Yes,Policy £0\r\n".encode("cp1252"))
    code, _stdout, stderr = _import(ws, path, "--year", "2024-25")
    assert code == 0
    assert "Windows-1252" in stderr
    assert _written(ws)["provisions"]["1.2"]["evidence"] == ["Policy £0"]  # type: ignore[index]


def test_dry_run_and_force(ws: Path, tmp_path: Path) -> None:
    doc = appendix_a_docx(tmp_path / "sa.docx")
    code, stdout, _ = _import(ws, doc, "--dry-run")
    assert code == 0 and "dry run: nothing written" in stdout and '"1.2":' in stdout
    assert "sa.docx: table 1, row 2: 1.2: imported\n" in stdout  # every row, in a dry run
    assert not (ws / "assessments" / "2024-25.yaml").exists()
    assert _import(ws, doc)[0] == 0
    target = ws / "assessments" / "2024-25.yaml"
    target.write_text(target.read_text() + "# my note\n")
    before = target.read_bytes()
    code, _, stderr = _import(ws, doc)
    assert code == 2 and "already exists" in stderr and target.read_bytes() == before
    assert _import(ws, doc, "--force")[0] == 0
    assert b"# my note" not in target.read_bytes()


def _no_files(ws: Path) -> list[str]:
    return sorted(p.name for p in (ws / "assessments").glob("*")) if (ws / "assessments").exists() else []


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "save it as .docx"),
        ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "password-protected"),
        ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "password-protected"),
        ("scan.pdf", b"%PDF-1.7\n...", "PDF"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "damaged"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "damaged"),
        ("plain.docx", b"hello", "damaged"),
        ("notes.txt", b"hello", "not .txt"),
    ],
)
def test_unreadable_documents(ws: Path, tmp_path: Path, name: str, content: bytes, says: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, _, stderr = _import(ws, path, "--year", "2024-25")
    assert code == 3
    assert name in stderr and says in stderr
    assert _no_files(ws) == []


def test_zip_that_is_not_word(ws: Path, tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    code, _, stderr = _import(ws, path, "--year", "2024-25")
    assert code == 3 and "fake.docx" in stderr


def test_no_recognisable_table(ws: Path, tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Annual report 2024-25")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "Quarter"
    t.cell(0, 1).text = "Complaints"
    d.save(str(tmp_path / "report.docx"))
    code, _, stderr = _import(ws, tmp_path / "report.docx")
    assert code == 3 and "found no self-assessment table" in stderr and "Quarter" in stderr
    assert _no_files(ws) == []


def test_year_needed(ws: Path, tmp_path: Path) -> None:
    path = tmp_path / "sa.csv"
    path.write_text("Ref,Comply\n1.2,Yes\n")
    code, _, stderr = _import(ws, path)
    assert code == 3 and "--year" in stderr


def test_provision_numbers() -> None:
    assert imp.provision_id("1.2A complaint must be defined") == "1.2"  # text run on in the cell
    assert imp.provision_id("Provision 6.10") == "6.10"
    assert imp.provision_id("1.2.") == "1.2"
    assert imp.provision_id("6.10.1") is None
    assert imp.provision_id("2024") is None


def test_requirement_text_in_the_number_cell_is_compared() -> None:
    t = _table([["Provision", "Comply"], [f"3.1 {text_of('1.2')}", "Yes"], [f"1.3 {text_of('1.3')}", "Yes"]])
    result = imp.import_assessment([t], CODE)
    assert [(r.provision, r.status) for r in result.report if r.status == "mismatch"] == [("3.1", "mismatch")]


def test_month_and_tbc_due_dates_when_the_schema_takes_them() -> None:
    t = _table(
        [
            ["Provision", "Comply", "Action", "Due"],
            ["1.2", "No", "Train staff", "June 2025"],
            ["1.3", "No", "Review policy", "TBC"],
        ]
    )
    loose = imp.import_assessment([t], CODE, loose_due=True).provisions
    assert loose["1.2"]["actions"] == [{"action": "Train staff", "due": "2025-06"}]
    assert loose["1.3"]["actions"] == [{"action": "Review policy", "due": "tbc"}]
    strict = imp.import_assessment([t], CODE).provisions
    assert strict["1.2"]["actions"] == [{"action": "Train staff", "x-imported": "completion date: June 2025"}]


def test_done_markers_repeated() -> None:
    assert imp.is_done_marker("Complete Complete")
    assert imp.is_done_marker("Complete\nComplete")
    assert not imp.is_done_marker("Complete\nJune 2025")


def test_a_second_worksheet_does_not_continue_the_first(ws: Path, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    first = wb.active
    first.append(["Provision", "Comply", "Evidence"])
    first.append(["1.2", "Yes", "Policy"])
    notes = wb.create_sheet("Notes")
    notes.append(["", "", "Reviewed by the Board in June"])
    wb.save(str(tmp_path / "sa-2024-25.xlsx"))
    code, stdout, _ = _import(ws, tmp_path / "sa-2024-25.xlsx")
    assert code == 0
    assert "sheet 'Notes': -: skipped: no self-assessment header row: not read" in stdout
    assert _written(ws)["provisions"] == {"1.2": {"comply": "yes", "evidence": ["Policy"], "commentary": None}}


def test_a_cross_in_a_tick_column_marks_it() -> None:
    t = _table([["Ref", "Question", "Yes", "No"], ["1.2", "Q?", "", "✗"], ["1.3", "Q?", "x", ""]])
    answers = imp.import_assessment([t], CODE).provisions
    assert answers["1.2"]["comply"] == "no" and answers["1.3"]["comply"] == "yes"


def test_an_action_plan_row_for_several_provisions_names_them_all(ws: Path, tmp_path: Path) -> None:
    """A published action plan has rows for "3.6; 6.1; 6.2" with notes on progress."""
    path = tmp_path / "plan.csv"
    path.write_text(
        "Code provision,Comply,Action required,Lead,Target date,Notes on progress\r\n"
        "3.6; 6.1; 6.2,No,Review the complaints procedure,Policy Officers,31/03/2026,Draft sent to managers\r\n"
        "6.10,No,Train stage 2 reviewers,Complaints Manager,TBC,\r\n",
        encoding="utf-8",
    )
    code, stdout, _ = _import(ws, path, "--year", "2024-25")
    assert code == 0, stdout
    answers = _written(ws)["provisions"]
    assert isinstance(answers, dict)
    assert answers["3.6"]["actions"] == [
        {
            "action": "Review the complaints procedure",
            "provisions": ["6.1", "6.2"],
            "owner": "Policy Officers",
            "due": "2026-03-31",
            "progress": "Draft sent to managers",
        }
    ]
    assert "6.10" in answers and "6.1" not in answers
    assert "6.1, 6.2 too" in stdout
    result = run("check", ws, "--as-of", "2025-07-31", "--format", "json")
    rules = {f["rule"] for f in result.json()["findings"]}
    # both "no" answers are planned, and the numbers the row names are the Code's
    assert "assessment.action-plan" not in rules and "assessment.action-provision" not in rules
    assert "schema" not in rules


def test_unclear_answers_are_not_yes_and_partly_is_kept(ws: Path, tmp_path: Path) -> None:
    from importdocs import unclear_answers_docx

    doc = unclear_answers_docx(tmp_path / "sa.docx")
    code, stdout, stderr = _import(ws, doc)
    assert code == 0, stderr
    answers = _written(ws)["provisions"]
    assert isinstance(answers, dict)
    # "Yes / No" with Yes struck through: imported as it says, not as yes
    assert answers["1.2"]["comply"] is None
    assert answers["1.2"]["x-imported"] == {"comply": "~~Yes~~ / No"}
    assert "1.2: note: comply '~~Yes~~ / No' is not a plain yes or no ('Yes' struck through)" in stdout
    assert answers["1.3"]["comply"] is None and answers["1.3"]["x-imported"] == {"comply": "Yes but not compliant"}
    assert "(a qualifier (but, not))" in stdout
    assert answers["1.4"]["comply"] is None and "'Y/N' is not a plain yes or no (both yes and no)" in stdout
    # Partly: kept as written, republished as written, and not complying for check
    assert answers["1.5"]["comply"] == "Partly"
    assert "1.5: note: comply 'Partly' kept as 'Partly': not complying, an action is needed" in stdout
    r = run("check", str(ws), "--format", "json", "--fail-on", "never")
    plan = [f for f in r.json()["findings"] if f["rule"] == "assessment.action-plan"]
    assert [f["message"] for f in plan] == [
        "provision 1.5 is answered Partly but has no action with an owner and a due date"
    ]
    r = run("report", "assessment", "-w", str(ws), "--year", "2024-25", "--format", "md")
    assert r.exit_code == 0, r.stderr
    row = next(line for line in r.stdout.splitlines() if line.startswith("| 1.5"))
    assert "| Partly |" in row


def test_tables_without_damage(ws: Path, tmp_path: Path) -> None:
    from importdocs import damaged_tables_docx

    code, stdout, stderr = _import(ws, damaged_tables_docx(tmp_path / "plan.docx"))
    assert code == 0, stderr
    # every word placed, compared with the Code's text or kept: none dropped
    assert (
        "plan.docx: words: 250 in the document: 77 placed, 164 compared with the Code's text, "
        "9 kept under x-imported, 0 dropped" in stdout
    )
    assert _written(ws)["x-imported"]["text"] == ["Self-assessment against the Complaint Handling Code 2024-25"]  # type: ignore[index]
    answers = _written(ws)["provisions"]
    assert isinstance(answers, dict)
    # one paragraph is one item whatever its line breaks; bullets are items
    assert answers["1.3"]["evidence"] == [
        "Staff guide on recognising complaints, part 3",
        "Training slides",
        "Team briefing notes",
    ]
    # the row cut at a page break joins the row above: no new item, no invented action
    assert answers["1.5"]["evidence"] == [
        "Our tenant survey shows the choice is not always offered when residents are unhappy."
    ]
    assert answers["1.5"]["actions"] == [
        {"action": "We need to discuss this more with staff."},
        {"action": "Carry out staff training.", "owner": "Complaints Manager", "done": True},
    ]
    # two actions in one row, each with its own owner and date
    assert answers["1.6"]["actions"] == [
        {"action": "Review the survey form", "owner": "Complaints Manager", "due": "2025-03-31"},
        {"action": "Train new starters", "owner": "HR Lead", "due": "2025-06-30"},
    ]


def test_lines_broken_inside_a_sentence_join_in_spreadsheet_cells() -> None:
    assert imp.join_broken_lines(["Complaints policy, which we", "publish each year", "Leaflet", "- bullet"]) == (
        "Complaints policy, which we publish each year",
        "Leaflet",
        "- bullet",
    )


def test_a_stand_alone_action_plan_imports_into_actions(ws: Path, tmp_path: Path) -> None:
    from importdocs import questionnaire_with_plan_docx

    doc = questionnaire_with_plan_docx(tmp_path / "form.docx")
    code, stdout, stderr = _import(ws, doc, "--code", "hoc-2020", "--year", "2020-21")
    assert code == 0, stderr
    data = _written(ws, "2020-21")
    assert data["provisions"]["3.6"]["comply"] == "no"  # type: ignore[index]
    assert data["actions"] == [
        {
            "action": "Publish one complaints policy",
            "provisions": ["1.2"],
            "owner": "Customer Services Manager",
            "due": "2021-06-01",
        },
        {
            "action": "Set out reasonable adjustments in the equality policy",
            "provisions": ["2.3"],
            "owner": "Equality Officer",
            "due": "tbc",
        },
        {
            "action": "Update the complaints procedure",
            "provisions": ["3.6", "6.1", "6.2"],
            "owner": "Policy Officers",
            "due": "2021-03-31",
            "progress": "Draft written",
        },
        {
            "action": "Track escalations to the Ombudsman in the complaints system",
            "provisions": ["3.6", "6.1", "6.2"],
            "owner": "Business Manager; Housing Services Manager",
            "due": "2021-12",
        },
    ]
    assert "an action plan: its rows go to actions:" in stdout
    # check reads the plan: 3.6's no is planned
    r = run("check", str(ws), "--format", "json", "--fail-on", "never")
    assert not [f for f in r.json()["findings"] if f["rule"] in ("schema", "yaml")]
    assert not [f for f in r.json()["findings"] if f["rule"] == "assessment.action-plan" and "3.6" in f["message"]]


@pytest.mark.parametrize(
    ("text", "offer"),
    [
        (
            "This self-assessment was approved by the Board on 20 June 2024.",
            "add approved: {by: Board, date: 2024-06-20}",
        ),
        ("Signed off by the Governing Body, 3rd July 2024", "add approved: {by: Governing Body, date: 2024-07-03}"),
        ("We completed this self-assessment on 31/05/2024 and publish it here.", "add completed: 2024-05-31"),
        ("Our latest self-assessment was reviewed in June 2024.", "add completed: 2024-06"),
    ],
)
def test_completion_and_approval_are_offered_never_applied(text: str, offer: str) -> None:
    found = imp.sign_off_offers(["Complaint handling self-assessment", text])
    assert [r.status for r in found] == ["offer"] and offer in found[0].message


def test_text_saying_approval_is_reported_not_written(ws: Path, tmp_path: Path) -> None:
    import docx

    doc = docx.Document(str(appendix_a_docx(tmp_path / "sa.docx")))
    doc.add_paragraph("This self-assessment was approved by the Board on 20 June 2024.")
    doc.save(str(tmp_path / "sa.docx"))
    code, stdout, _ = _import(ws, tmp_path / "sa.docx")
    assert code == 0
    assert (
        "sa.docx: text: -: offer: 'This self-assessment was approved by the Board on 20 June 2024.': "
        "if it is right, add approved: {by: Board, date: 2024-06-20}" in stdout
    )
    data = _written(ws)
    assert data["approved"] is None and data["completed"] is None


def test_a_narrative_document(ws: Path, tmp_path: Path) -> None:
    from importdocs import narrative_docx

    code, stdout, stderr = _import(ws, narrative_docx(tmp_path / "narrative.docx"))
    assert code == 0, stderr
    data = _written(ws)
    answers = data["provisions"]
    assert isinstance(answers, dict)
    assert answers["1.2"] == {
        "comply": "yes",
        "evidence": [],
        "commentary": "Our complaints policy uses the Ombudsman's definition word for word.\n\n"
        "The policy is on our website.",
    }
    assert answers["1.3"]["comply"] == "yes"
    assert answers["1.3"]["commentary"] == "Every member of staff has had training on spotting a complaint."
    assert answers["1.4"]["comply"] == "Partly"
    assert answers["2.1"]["comply"] == "no"
    assert answers["2.1"]["commentary"] == "Our exclusions list is being rewritten this summer."
    # the text that is not an answer is kept, the completion date offered, and nothing dropped
    assert data["x-imported"]["text"][:2] == [  # type: ignore[index]
        "Our self-assessment against the Complaint Handling Code 2024-25",
        "We have reviewed how we handle complaints. Our latest self-assessment, completed on 14 June 2024, is below.",
    ]
    assert "offer: 'We have reviewed how we handle complaints." in stdout and "add completed: 2024-06-14" in stdout
    assert ", 0 dropped" in stdout


def test_a_saved_web_page_narrative(ws: Path, tmp_path: Path) -> None:
    from importdocs import narrative_html

    code, stdout, stderr = _import(ws, narrative_html(tmp_path / "self-assessment.html"))
    assert code == 0, stderr
    answers = _written(ws)["provisions"]
    assert isinstance(answers, dict)
    assert [answers[p]["comply"] for p in ("1.2", "1.3", "1.4", "2.1")] == ["yes", "yes", "Partly", "no"]
    text = (ws / "assessments/2024-25.yaml").read_text("utf-8")
    assert "not text" not in text and "color" not in text  # scripts and styles are not the page's text
    assert ", 0 dropped" in stdout


def test_a_saved_web_page_table(ws: Path, tmp_path: Path) -> None:
    page = tmp_path / "sa.htm"
    page.write_text(
        "<html><body><h1>Self-assessment 2024/25</h1><table>"
        "<tr><th>Code provision</th><th>Code requirement</th><th>Comply: Yes / No</th><th>Evidence</th></tr>"
        f"<tr><td>1.2</td><td>{text_of('1.2')}</td><td>Yes</td><td><ul><li>Complaints policy,<br>part 2</li>"
        "<li><a href='https://example.org/policy.pdf'>Policy online</a></li></ul></td></tr>"
        f"<tr><td rowspan='2'>1.3</td><td>{text_of('1.3')}</td><td>Yes / No</td><td>Staff guide</td></tr>"
        "<tr><td colspan='2'></td><td>training record</td></tr>"
        "</table><p>Approved by the Board on 3 July 2024.</p></body></html>",
        encoding="utf-8",
    )
    code, stdout, stderr = _import(ws, page)
    assert code == 0, stderr
    answers = _written(ws)["provisions"]
    assert isinstance(answers, dict)
    assert answers["1.2"]["evidence"] == [
        "Complaints policy, part 2",
        "Policy online",
        "https://example.org/policy.pdf",
    ]
    assert answers["1.3"]["comply"] is None and answers["1.3"]["evidence"] == ["Staff guide training record"]
    assert "add approved: {by: Board, date: 2024-07-03}" in stdout


def test_a_document_for_another_edition_says_so_and_imports_against_it(ws: Path, tmp_path: Path) -> None:
    from importdocs import form_2022_docx

    code, stdout, stderr = _import(ws, form_2022_docx(tmp_path / "sa-2022.docx"))
    assert code == 0, stderr
    assert (
        "note: sa-2022.docx: its numbering and wording fit hoc-2022 (10 rows) better than hoc-2024" in stderr
        and "read against hoc-2022; give --code to choose another" in stderr
    )
    data = _written(ws, "2023-24")
    assert data["code"] == "hoc-2022"
    provisions = data["provisions"]
    assert isinstance(provisions, dict) and set(provisions) >= {"1.7", "1.8", "1.9", "2.1"}
    assert (
        ": mismatch:" not in stdout
        and ": unknown:" not in stdout
        and "0 unknown, 0 with different requirement text" in stdout
    )
    # with --code, the edition named is used, and every row that does not fit it is reported
    code, stdout, _ = _import(ws, tmp_path / "sa-2022.docx", "--code", "hoc-2024", "--force")
    assert code == 0
    assert "1.7: unknown" in stdout and "2.1: mismatch" in stdout


def test_a_requirement_heading_with_extra_words_is_recognised() -> None:
    assert imp.recognise_header(
        [
            cell("Code section"),
            cell("Code requirement (from the Housing Ombudsman Complaint Handling Code)"),
            cell("Comply"),
        ]
    ) == {0: "provision", 1: "requirement", 2: "comply"}


def test_a_web_page_with_an_accordion_places_every_word(ws: Path, tmp_path: Path) -> None:
    from importdocs import accordion_html

    code, stdout, stderr = _import(ws, accordion_html(tmp_path / "complaints.html"), "--year", "2024-25")
    assert code == 0, stderr
    answers = _written(ws)["provisions"]
    assert isinstance(answers, dict)
    assert answers["1.2"]["comply"] == "yes" and answers["1.3"]["comply"] == "yes"
    assert answers["1.2"]["evidence"] == [
        "The complaints policy (2.1) uses this definition.",
        "Covered in the staff training pack.",
    ]
    assert answers["1.3"]["evidence"] == [
        "Training for all staff on 28/3/24.",
        "Training: - 30/4/24 – Customer Care Team 25/4/24 – Managers",
    ]
    assert ", 0 dropped" in stdout


def test_a_web_page_is_read_within_the_limits_on_any_document(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hcode.store import office

    page = tmp_path / "sa.html"
    page.write_text("<p>1.2 A complaint must be defined</p><p>We comply.</p>" * 50, encoding="utf-8")
    monkeypatch.setattr(office, "MAX_TEXT_BYTES", 1000)
    code, _, stderr = _import(ws, page, "--year", "2024-25")
    assert code == 3 and "sa.html" in stderr and "1,000 bytes" in stderr


def _renumbered(code_name: str, shift: int) -> tuple[list[tuple[str, str]], list[imp.ReportRow]]:
    """Every provision's requirement text filed under the number ``shift`` places on."""
    from hcode.store.workspace import load_code

    code = load_code(None, code_name)
    ids = list(code.provisions)
    moved = [(ids[(i + shift) % len(ids)], code.provisions[pid].text) for i, pid in enumerate(ids)]
    rows = [["Provision", "Code requirement", "Comply", "Evidence"]]
    rows += [[number, text, "Yes", "Our policy"] for number, text in moved]
    return moved, imp.import_assessment([_table(rows)], code).report


def test_a_renumbered_row_is_reported_unit() -> None:
    """1.3's requirement text filed under 1.5 is reported, whatever else the row says."""
    moved = [["Provision", "Code requirement", "Comply"], ["1.5", CODE.provisions["1.3"].text, "Yes"]]
    report = imp.import_assessment([_table(moved)], CODE).report
    flagged = [r for r in report if r.provision == "1.5" and r.status == "mismatch"]
    assert flagged and "1.3" in flagged[0].message, report


@pytest.mark.parametrize("code_name", ["hoc-2020", "hoc-2022", "hoc-2024"])
@pytest.mark.parametrize("shift", [1, 2, 7])
def test_every_renumbered_row_is_reported(code_name: str, shift: int) -> None:
    """Each provision's text filed under another number, for every provision of every edition:
    each row is reported as a mismatch (never imported without a word)."""
    moved, report = _renumbered(code_name, shift)
    flagged = {r.provision for r in report if r.status == "mismatch"}
    silent = [(number, text[:50]) for number, text in moved if number not in flagged]
    assert not silent, silent


def test_notes_in_paragraphs_outside_the_tables() -> None:
    paragraphs = [
        "Our self-assessment 2020/21",
        "Note 5: nobody refers to this one.",
        "Note 3: How we count stage one.",
        "We count every complaint answered at stage one.",
        "Appendix",
        "Notes",
        "1. First question?",
        "Its answer.",
        "Action plan",
        "Signed by the chief executive.",
    ]
    notes, rest = imp.notes_in(paragraphs, ["3"])
    assert notes == {
        "3": "How we count stage one.\n\nWe count every complaint answered at stage one.",
        "1": "First question?\n\nIts answer.",
    }
    assert rest == [
        "Our self-assessment 2020/21",
        "Note 5: nobody refers to this one.",
        "Appendix",
        "Action plan",
        "Signed by the chief executive.",
    ]


def test_a_2020_section_row_is_a_header_whatever_its_title_says() -> None:
    """ "8 | Continuous learning and improvement | Yes | No" repeats the form's header: the title
    is the section's, not an action column ("improvement")."""
    for title in ("Continuous learning and improvement", "Definition of a complaint", "Outcomes and remedies"):
        assert imp.recognise_header([cell("8"), cell(title), cell("Yes"), cell("No")]) == {
            0: "provision",
            1: "requirement",
            2: "yes",
            3: "no",
        }, title


def test_a_paragraph_of_the_codes_own_words_is_part_of_the_requirement() -> None:
    text = "Landlords must confirm the following:\na. the complaint stage.\nb. the complaint definition."
    assert imp.part_of("a. the complaint stage;", text) and imp.part_of("B. The complaint definition", text)
    assert not imp.part_of("We comply.", text) and not imp.part_of("stage", text)
    assert not imp.part_of("the complaint stage was logged", text)
