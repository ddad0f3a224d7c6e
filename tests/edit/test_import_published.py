"""Out again as published: documents imported then rendered show what they recorded, and
nothing invented or dropped (fixtures modelled on published self-assessments, our own words)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_ws, run
from importdocs import narrative_docx, questionnaire_with_plan_docx


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return make_ws(tmp_path / "ws")


def _report(ws: Path, year: str, *extra: str) -> str:
    r = run("report", "assessment", "-w", str(ws), "--year", year, "--format", "md", *extra)
    assert r.exit_code == 0, r.stderr
    return r.stdout


def test_columns_on_the_2020_form_keep_every_action(ws: Path, tmp_path: Path) -> None:
    doc = questionnaire_with_plan_docx(tmp_path / "form.docx")
    assert (
        run("import", "assessment", str(doc), "-w", str(ws), "--code", "hoc-2020", "--year", "2020-21").exit_code == 0
    )
    shown = _report(ws, "2020-21", "--layout", "columns")
    for action in (
        "Publish one complaints policy",
        "Set out reasonable adjustments in the equality policy",
        "Update the complaints procedure",
        "Track escalations to the Ombudsman in the complaints system",
    ):
        assert action in shown, action
    assert "| Number | Question | Yes | No | N/A | Notes | Action required | Action owner | Completion date |" in shown
    r = run("report", "assessment", "-w", str(ws), "--year", "2020-21", "--format", "html", "--layout", "columns")
    assert r.exit_code == 0, r.stderr
    for action in ("Publish one complaints policy", "Track escalations to the Ombudsman in the complaints system"):
        assert action in r.stdout, action


def test_nothing_invented_beside_what_the_document_recorded(ws: Path, tmp_path: Path) -> None:
    assert run("import", "assessment", str(narrative_docx(tmp_path / "n.docx")), "-w", str(ws)).exit_code == 0
    shown = _report(ws, "2024-25")
    # the document recorded no approval and no completion date in the file: none is shown
    assert ": not yet" not in shown and "Approved by the governing body" not in shown and "Completed:" not in shown
    # "Not answered" rows are not "every provision is met"
    assert "| Not answered |" in shown
    assert "every provision is met" not in shown and "No actions recorded." in shown
    # evidence bullet marks kept in Markdown
    r = run("report", "assessment", "-w", str(ws), "--year", "2024-25", "--format", "html")
    assert ": not yet" not in r.stdout and "Approved by the governing body" not in r.stdout


def test_evidence_bullets_in_markdown_and_excel(ws: Path, tmp_path: Path) -> None:
    import openpyxl

    (ws / "assessments").mkdir(exist_ok=True)
    (ws / "assessments" / "2024-25.yaml").write_text(
        "code: hoc-2024\nyear: 2024-25\nprovisions:\n  '1.2':\n    comply: yes\n"
        "    evidence: [Complaints policy, Staff guide]\n  '1.3':\n    comply: yes\n    evidence: [One item]\n"
    )
    shown = _report(ws, "2024-25")
    assert "| • Complaints policy<br>• Staff guide |" in shown and "| One item |" in shown
    out = tmp_path / "sa.xlsx"
    r = run("report", "assessment", "-w", str(ws), "--year", "2024-25", "--format", "xlsx", "-o", str(out))
    assert r.exit_code == 0, r.stderr
    cells = [c.value for row in openpyxl.load_workbook(out)["Self-assessment"].iter_rows() for c in row]
    assert "• Complaints policy\n• Staff guide" in cells and "One item" in cells
    about = {row[0].value: row[1].value for row in openpyxl.load_workbook(out)["About"].iter_rows(min_row=2)}
    assert about["Completed"] in (None, "") and about["Approved"] in (None, "")


def test_a_document_covering_one_section_declares_its_scope(ws: Path, tmp_path: Path) -> None:
    from importdocs import section_six_docx

    r = run("import", "assessment", str(section_six_docx(tmp_path / "s6.docx")), "-w", str(ws))
    assert r.exit_code == 0, r.stderr
    assert "offer: it answers section 6 alone: if it covers no more, add scope: {sections: [6]}" in r.stdout
    path = ws / "assessments" / "2024-25.yaml"
    assert "scope:" not in path.read_text("utf-8")  # offered, never written

    def unanswered() -> list[str]:
        found = run("check", str(ws), "--format", "json", "--fail-on", "never").json()["findings"]
        return [f["message"] for f in found if f["rule"] == "assessment.complete"]

    assert any("1.2" in m for m in unanswered())  # without a scope, every section is asked for
    path.write_text(path.read_text("utf-8").replace("provisions:\n", "scope:\n  sections: [6]\nprovisions:\n", 1))
    assert unanswered() == []
    shown = _report(ws, "2024-25")
    assert "This self-assessment covers section 6 of the Code only." in shown
    assert "## Section 6:" in shown and "## Section 1:" not in shown
    assert run("fmt", "--check", str(ws)).exit_code in (0, 1)  # fmt reads the file


@pytest.mark.parametrize(
    ("notes", "found"),
    [
        ('notes:\n  "1": We have two stages, so there is no third stage.\n', False),
        ("", True),  # the note it refers to is not there: no reason given
    ],
)
def test_a_2020_na_explained_by_a_note(ws: Path, notes: str, found: bool) -> None:
    (ws / "assessments").mkdir(exist_ok=True)
    (ws / "assessments" / "2021-22.yaml").write_text(
        'code: hoc-2020\nyear: 2021-22\nprovisions:\n  "3.4":\n    comply: n/a\n    evidence: [Please see Note 1]\n'
        + notes
    )
    r = run("check", str(ws), "--format", "json", "--fail-on", "never")
    na = [f for f in r.json()["findings"] if f["rule"] == "assessment.not-applicable"]
    assert bool(na) is found


def test_completed_takes_a_month(ws: Path, tmp_path: Path) -> None:
    import openpyxl

    (ws / "assessments").mkdir(exist_ok=True)
    (ws / "assessments" / "2024-25.yaml").write_text(
        "code: hoc-2024\nyear: 2024-25\ncompleted: 2024-06\nprovisions:\n  '1.2':\n    comply: yes\n    evidence: [Policy]\n"
    )
    r = run("check", str(ws), "--format", "json", "--fail-on", "never")
    rules = {f["rule"] for f in r.json()["findings"] if "2024-25" in f["file"]}
    assert "schema" not in rules and not any("not marked completed" in f["message"] for f in r.json()["findings"])
    assert "Completed: June 2024." in _report(ws, "2024-25")
    out = tmp_path / "sa.xlsx"
    assert (
        run("report", "assessment", "-w", str(ws), "--year", "2024-25", "--format", "xlsx", "-o", str(out)).exit_code
        == 0
    )
    about = {row[0].value: row[1].value for row in openpyxl.load_workbook(out)["About"].iter_rows(min_row=2)}
    assert about["Completed"] == "June 2024"


def test_notes_of_the_2020_form_go_to_notes_and_are_published(ws: Path, tmp_path: Path) -> None:
    """Seed 003's layout: "Please see Note 1" in the answer, the notes after the form."""
    from hcode.store import yamlread
    from importdocs import questionnaire_with_notes_docx

    doc = questionnaire_with_notes_docx(tmp_path / "form.docx")
    r = run("import", "assessment", str(doc), "-w", str(ws), "--code", "hoc-2020", "--year", "2020-21")
    assert r.exit_code == 0, r.stderr
    data = yamlread.parse((ws / "assessments/2020-21.yaml").read_text("utf-8"))
    notes = data["notes"]
    assert list(notes) == ["1", "2"], notes
    assert notes["1"].startswith("Are the cases we will not consider fair to residents?\n\nOur persistent-contact")
    assert "Monitoring Officer after one year." in notes["1"] and "- A warning is always given" in notes["1"]
    assert (
        notes["2"] == "At what stage are most complaints resolved?\n\nNearly all complaints are settled at stage one."
    )
    kept = "\n".join(data.get("x-imported", {}).get("text") or [])
    assert "persistent-contact" not in kept and "settled at stage one" not in kept
    assert "Self-assessment action plan" in kept  # the heading after the notes is not a note
    found = run("check", ws, "--as-of", "2021-03-31", "--format", "json").json()["findings"]
    assert not [f for f in found if f["rule"] == "assessment.note-unknown"], found
    text = _report(ws, "2020-21")
    assert "Nearly all complaints are settled at stage one." in text
    assert "Our persistent-contact policy protects staff" in text


# ------------------------------------------------------------------ each seed's layout, rebuilt


@pytest.mark.parametrize(
    ("builder", "name", "extra"),
    [
        ("narrative_docx", "narrative.docx", ()),  # seed 000: narrative, "We comply." under each heading
        ("accordion_html", "complaints.html", ("--year", "2024-25")),  # seed 001: a web page's accordion
        ("section_six_narrative_docx", "section-6.docx", ("--year", "2024-25")),  # seed 002: section 6 alone
        ("form_2020_docx", "form.docx", ("--code", "hoc-2020", "--year", "2020-21")),  # seed 003: the 2020 form
        ("damaged_tables_docx", "plan.docx", ()),  # seed 004: the table cut across pages
    ],
)
def test_each_seed_layout_rebuilt_as_a_document_drops_no_word(
    ws: Path, tmp_path: Path, builder: str, name: str, extra: tuple[str, ...]
) -> None:
    """Every word of the document is placed, compared with the Code's text or kept under
    x-imported, and the counts add up to the words in the document: none dropped."""
    import importdocs

    doc = getattr(importdocs, builder)(tmp_path / name)
    r = run("import", "assessment", str(doc), "-w", str(ws), *extra)
    assert r.exit_code == 0, r.stdout + r.stderr
    counted = importdocs.words_accounted(r.stdout)
    assert counted["dropped"] == 0 and counted["placed"] > 0, counted


def test_seed_002_section_six_places_every_answer(ws: Path, tmp_path: Path) -> None:
    """Section 6 alone as paragraphs: every provision answered "We comply." with its own
    commentary; a lettered list in the Code's text, on paragraphs of its own, is the
    requirement going on (compared with the Code), never the landlord's commentary, and the
    answer after it is still read."""
    from hcode.store import yamlread
    from importdocs import CODE, section_six_narrative_docx, words_accounted

    doc = section_six_narrative_docx(tmp_path / "section-6.docx")
    r = run("import", "assessment", str(doc), "-w", str(ws), "--year", "2024-25")
    assert r.exit_code == 0, r.stderr
    assert "no answer in the comply column" not in r.stdout
    answers = yamlread.parse((ws / "assessments/2024-25.yaml").read_text("utf-8"))["provisions"]
    six = [p.id for s in CODE.sections if str(s.number) == "6" for p in s.provisions]
    assert list(answers) == six
    for pid in six:
        assert answers[pid]["comply"] == "yes", pid
        assert answers[pid]["commentary"].startswith(
            f"Our complaints policy sets this out for part {pid}. (section 7.4)"
        )
    assert answers["6.2"]["commentary"].endswith("During 2023/24 we met this for 92% of stage 1 complaints.")
    assert "complaint stage" not in answers["6.9"]["commentary"] and "escalate" not in answers["6.19"]["commentary"]
    counted = words_accounted(r.stdout)
    assert counted["dropped"] == 0 and counted["kept"] == 0


def test_seed_003_whole_2020_form_places_every_answer_note_and_action(ws: Path, tmp_path: Path) -> None:
    """The whole 2020 form as published: ticks, N/A and "Please see Note N" answers, the notes
    after the form, and the action plan table with its footnote; a section row whose title has
    the word "improvement" is not an action column (its question was published as an action)."""
    from hcode.store import yamlread
    from importdocs import form_2020_docx, words_accounted

    doc = form_2020_docx(tmp_path / "form.docx")
    r = run("import", "assessment", str(doc), "-w", str(ws), "--code", "hoc-2020", "--year", "2020-21")
    assert r.exit_code == 0, r.stderr
    assert words_accounted(r.stdout)["dropped"] == 0
    data = yamlread.parse((ws / "assessments/2020-21.yaml").read_text("utf-8"))
    answers = data["provisions"]
    assert {pid: a["comply"] for pid, a in answers.items()} == {
        "1.1": "yes",
        "1.2": "yes",
        "1.3": None,
        "3.4": "n/a",
        "3.8": None,
        "5.1": "no",
        "8.4": None,
    }
    assert answers["1.3"]["commentary"] == "Yes: Please see Note 1"
    assert answers["3.8"]["commentary"] == "Yes: Please see Note 2"
    assert answers["8.4"]["commentary"] == "Yes: Please see Action Plan (Appendix)"
    assert not any("actions" in a for a in answers.values()), "nothing invented from a question"
    assert list(data["notes"]) == ["1", "2"]
    assert data["notes"]["1"].startswith("Is it fair to residents that we do not consider some complaints?")
    assert "- staff are protected from abuse." in data["notes"]["1"]
    assert data["notes"]["2"].endswith("Most complaints end at stage one.")
    actions = data["actions"]
    assert [(a["action"][:30], a["provisions"], a.get("owner")) for a in actions] == [
        ("Write one complaints policy an", ["1.2"], "Customer Services Manager"),
        ("Find a safe way to send large ", ["5.1"], "ICT Lead"),
        ("Report each quarter where comp", ["3.8", "8.4"], "Performance Officer"),
        ("Add escalations to the Ombudsm", ["3.8", "8.4"], "Systems Manager; Housing Services Manager"),
        ("Review the persistent-contact ", ["1.3"], "Policy Officer"),
    ]
    assert actions[1]["x-imported"] == "completion date: TBC 1" and actions[2]["progress"] == "Begun"
    assert "add a right of review" in actions[4]["action"] and "shorten the letters" in actions[4]["action"]
    kept = data["x-imported"]["text"]
    assert "1 Sending files to outside bodies needs the approval of the council's data group." in kept
    found = run("check", ws, "--as-of", "2021-03-31", "--format", "json").json()["findings"]
    assert not [f for f in found if f["rule"] == "assessment.note-unknown"], found
    shown = _report(ws, "2020-21")
    for text in ("Most complaints end at stage one.", "Find a safe way to send large bundles", "Systems Manager"):
        assert text in shown, text
