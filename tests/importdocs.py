"""Builders for the documents the import tests read: Word and Excel files made here, in the
layouts landlords publish (our own wording throughout)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hcode.store.workspace import load_code

CODE = load_code(None, "hoc-2024")
CODE_2020 = load_code(None, "hoc-2020")


def text_of(pid: str, words: int | None = None) -> str:
    text = " ".join(CODE.provisions[pid].text.split())
    return " ".join(text.split()[:words]) if words else text


def add_hyperlink(paragraph: Any, url: str, label: str) -> None:
    """A real Word hyperlink: a w:hyperlink element pointing at an external relationship."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = label
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


APPENDIX_A = ["Code provision", "Code requirement", "Comply: Yes / No", "Evidence", "Commentary / explanation"]
ACTION_PLAN = [
    "Code provision",
    "Code requirement",
    "Comply: Yes / No",
    "Evidence",
    "Action required",
    "Action Owner",
    "Completion Date",
]


def add_rows(table: Any, rows: Any) -> None:
    """Each row's cells written into a new row of a Word table."""
    for r in rows:
        for c, v in zip(table.add_row().cells, r, strict=True):
            c.text = v


def appendix_a_docx(path: Path) -> Path:
    """Modelled on a published Appendix A form: one table per section, each with the header;
    section 5 split over two pages (the second part has no header); a merged cell; a link; an
    unknown provision (10.1); an empty answer (1.6); 3.1 labelled but carrying 1.2's text."""
    import docx

    d = docx.Document()
    d.add_heading("Complaint handling self-assessment 2024/25", 1)
    d.add_paragraph("Completed by the complaints team of Example Homes.")

    def table(rows: list[list[str]], header: bool = True) -> Any:
        t = d.add_table(rows=0, cols=5)
        if header:
            cells = t.add_row().cells
            for c, h in zip(cells, APPENDIX_A, strict=True):
                c.text = h
        add_rows(t, rows)
        return t

    d.add_paragraph("Section 1: Definition of a complaint")
    t1 = table(
        [
            ["1.2", text_of("1.2"), "Yes", "Complaints policy, part 2", "Definition adopted word for word."],
            ["1.3", text_of("1.3"), "Y", "Staff guide on recognising complaints", ""],
            ["1.4", text_of("1.4", 30), "✓", "", "Service requests logged in the repairs system."],
            ["1.6", text_of("1.6"), "", "", ""],
        ]
    )
    # evidence as a bullet list, and a hyperlink in the evidence of 1.3
    ev = t1.rows[2].cells[3]
    ev.add_paragraph("Training slides, April", style="List Bullet")
    add_hyperlink(ev.add_paragraph("Online: "), "https://example.org/complaints-policy.pdf", "our policy")
    d.add_paragraph("Section 3: Accessibility")
    table([["3.1", text_of("1.2"), "We comply", "Contact channels listed on the website", "Mislabelled row"]])
    d.add_paragraph("Section 5: The complaint handling process")
    t5 = table(
        [
            ["5.1", text_of("5.1"), "Yes", "Single complaints policy", "Applies to all residents."],
            ["5.2", text_of("5.2"), "No", "Stage 2 panel", "We have three stages today."],
        ]
    )
    # a merged cell: the commentary of 5.1 and 5.2 side by side is one cell across Evidence+Commentary
    t5.rows[1].cells[3].merge(t5.rows[1].cells[4])
    t5.rows[1].cells[3].text = "Single complaints policy (one merged cell)"
    d.add_page_break()  # type: ignore[no-untyped-call]  # python-docx has no annotations
    table(
        [
            ["", "", "", "Stage 2 panel minutes, May", "Moving to two stages in June."],
            ["5.3", text_of("5.3"), "Yes", "Policy section 5", ""],
            ["10.1", "A provision that is not in the Code", "Yes", "Something", "Kept aside"],
        ],
        header=False,
    )
    d.save(str(path))
    return path


def action_plan_docx(path: Path) -> Path:
    """Modelled on a published form with an action plan: Comply / Evidence / Action required /
    Action Owner / Completion Date, with "Complete", a date, a month, and a second action for one
    provision on a row of its own (the number cell merged down)."""
    import docx

    d = docx.Document()
    d.add_paragraph("Self-assessment against the Complaint Handling Code 2024-25")
    t = d.add_table(rows=0, cols=7)
    cells = t.add_row().cells
    for c, h in zip(cells, ACTION_PLAN, strict=True):
        c.text = h
    rows = [
        ["1.3", text_of("1.3"), "Yes", "Survey results", "More staff training", "Complaints Manager", "Complete"],
        [
            "1.5",
            text_of("1.5"),
            "No",
            "Perception survey",
            "Strengthen the procedure",
            "Complaints Manager",
            "31/03/2025",
        ],
        ["", "", "", "", "Carry out staff training", "Head of Housing", "June 2025"],
        ["1.6", text_of("1.6"), "Partially", "Policy", "N/A", "", ""],
    ]
    add_rows(t, rows)
    # the number cell of 1.5 merged down over its second action row
    t.rows[2].cells[0].merge(t.rows[3].cells[0])
    d.save(str(path))
    return path


def questionnaire_docx(path: Path) -> Path:
    """Modelled on the 2020 questionnaire: a number, a question, and Yes / No tick columns."""
    import docx

    d = docx.Document()
    d.add_paragraph("Complaint Handling Code: self-assessment form 2020/21")
    t = d.add_table(rows=0, cols=4)
    rows = [
        ["1", "Definition of a complaint", "Yes", "No"],
        ["1.2", "Does our policy use the Code's definition of a complaint?", "√", ""],
        ["1.3", "Do staff offer the choice to complain?", "", "✓"],
        ["2", "Exclusions", "Yes", "No"],
        ["2.2", "Are our exclusions fair?", "Please see note 1", ""],
        ["2.3", "Is there a third stage?", "N/A", ""],
    ]
    add_rows(t, rows)
    d.save(str(path))
    return path


def assessment_xlsx(path: Path) -> Path:
    """An Excel self-assessment: numbers as provision ids (6.10 typed as 6.1), a hyperlink, a
    merged cell, a date cell, and an extra column ("RAG") the importer does not know."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Self-assessment 2024-25"
    ws.append(["Our self-assessment"])
    ws.append(["Provision", "Requirement", "Compliant?", "Evidence", "Actions", "Owner", "Due date", "RAG"])
    ws.append([6.9, text_of("6.9"), "Yes", "Stage 2 letters", None, None, None, "Green"])
    ws.append([6.1, text_of("6.10"), "No", "Stage 2 log", "Recruit a second panel member", "Director", None, "Amber"])
    ws.append([6.11, text_of("6.11"), "Yes", "Escalation letter", None, None, None, "Green"])
    ws["G4"] = __import__("datetime").datetime(2025, 9, 30)
    ws["D5"].hyperlink = "https://example.org/escalation-letter"
    ws.merge_cells("H3:H3")
    ws.merge_cells("D3:E3")
    wb.save(str(path))
    return path


def unclear_answers_docx(path: Path) -> Path:
    """Appendix A rows whose comply cell is not a plain answer: "Yes / No" with Yes struck
    through (meaning No), "Yes but not compliant", "Y/N", and "Partly"."""
    import docx

    d = docx.Document()
    d.add_paragraph("Self-assessment 2024-25")
    t = d.add_table(rows=0, cols=5)
    for c, h in zip(t.add_row().cells, APPENDIX_A, strict=True):
        c.text = h
    rows = [
        ["1.2", text_of("1.2"), "", "Complaints policy", ""],
        ["1.3", text_of("1.3"), "Yes but not compliant", "Staff guide", ""],
        ["1.4", text_of("1.4"), "Y/N", "Repairs log", ""],
        ["1.5", text_of("1.5"), "Partly", "Survey", "Policy under review."],
    ]
    add_rows(t, rows)
    p = t.rows[1].cells[2].paragraphs[0]
    p.add_run("Yes").font.strike = True
    p.add_run(" / No")
    d.save(str(path))
    return path


def damaged_tables_docx(path: Path) -> Path:
    """Modelled on a published form with an action plan whose rows run over pages: a paragraph
    with line breaks inside a sentence, evidence bullets, a row cut at a page break (its evidence
    and action go on mid-sentence on a row without a number), a second action on a row of its
    own, and one row with two actions, each with its own owner and date."""
    import docx
    from docx.enum.text import WD_BREAK

    d = docx.Document()
    d.add_paragraph("Self-assessment against the Complaint Handling Code 2024-25")
    t = d.add_table(rows=0, cols=7)
    for c, h in zip(t.add_row().cells, ACTION_PLAN, strict=True):
        c.text = h
    rows = [
        ["1.3", text_of("1.3"), "Yes", "", "", "", ""],
        [
            "1.5",
            text_of("1.5", 20),
            "No",
            "Our tenant survey shows the choice is not always",
            "We need to discuss",
            "",
            "",
        ],
        ["", text_of("1.5")[100:], "", "offered when residents are unhappy.", "this more with staff.", "", ""],
        ["", "", "", "", "Carry out staff training.", "Complaints Manager", "Complete"],
        ["1.6", text_of("1.6"), "No", "Survey form", "Review the survey form\nTrain new starters", "", ""],
    ]
    for r in rows:
        for c, v in zip(t.add_row().cells, r, strict=True):
            c.text = v.split("\n")[0]
            for more in v.split("\n")[1:]:
                c.add_paragraph(more)
    # a paragraph broken by line breaks inside its sentences, then two bullets
    ev = t.rows[1].cells[3].paragraphs[0]
    ev.add_run("Staff guide on recognising")
    ev.runs[-1].add_break(WD_BREAK.LINE)
    ev.add_run("complaints, part 3")
    t.rows[1].cells[3].add_paragraph("Training slides", style="List Bullet")
    t.rows[1].cells[3].add_paragraph("Team briefing notes", style="List Bullet")
    owner, due = t.rows[5].cells[5], t.rows[5].cells[6]
    owner.text, due.text = "Complaints Manager", "31/03/2025"
    owner.add_paragraph("HR Lead")
    due.add_paragraph("30/06/2025")
    d.save(str(path))
    return path


def questionnaire_with_plan_docx(path: Path) -> Path:
    """Modelled on a council's 2020 questionnaire with its action plan as a table of its own
    (Question | Action | Lead | Target date | Notes on progress): starred numbers, a row naming
    several questions, a row without a number (another action for the same question), and an
    owner that ran onto a row of its own."""
    import docx

    d = docx.Document()
    d.add_paragraph("Complaint Handling Code: self-assessment form 2020/21")
    t = d.add_table(rows=0, cols=4)
    add_rows(
        t,
        [
            ["1", "Definition of a complaint", "Yes", "No"],
            ["1.2", "Does the policy have exclusions?", "√", ""],
            ["3", "Complaints team and process", "Yes", "No"],
            ["3.6", "Does the final response give the right to refer to the Ombudsman?", "", "√"],
        ],
    )
    d.add_paragraph("Action plan")
    p = d.add_table(rows=0, cols=5)
    add_rows(
        p,
        [
            ["Question", "Action", "Lead", "Target date", "Notes on progress"],
            ["1.2", "Publish one complaints policy", "Customer Services Manager", "June 1 2021", ""],
            ["2.3*", "Set out reasonable adjustments in the equality policy", "Equality Officer", "TBC", ""],
            ["3.6; 6.1; 6.2", "Update the complaints procedure", "Policy Officers", "March 31 2021", "Draft written"],
            [
                "",
                "Track escalations to the Ombudsman in the complaints system",
                "Business Manager;",
                "December 2021",
                "",
            ],
            ["", "", "Housing Services Manager", "", ""],
        ],
    )
    d.save(str(path))
    return path


NARRATIVE = [
    ("h1", "Our self-assessment against the Complaint Handling Code 2024-25"),
    (
        "p",
        "We have reviewed how we handle complaints. Our latest self-assessment, completed on 14 June 2024, is below.",
    ),
    ("h2", "Definition of a complaint"),
    ("h3", "1.2 A complaint must be defined as:"),
    ("p", text_of("1.2")),
    ("p", "We comply."),
    ("p", "Our complaints policy uses the Ombudsman's definition word for word."),
    ("p", "The policy is on our website."),
    ("h3", "1.3 " + text_of("1.3", 14)),
    ("p", "We comply. Every member of staff has had training on spotting a complaint."),
    ("h3", "1.4 " + text_of("1.4", 12)),
    ("p", "Partly."),
    ("p", "Our repairs team logs service requests, but the policy does not yet explain the difference."),
    ("h2", "Exclusions"),
    ("h3", "2.1 " + text_of("2.1", 10)),
    ("p", "We do not comply."),
    ("p", "Our exclusions list is being rewritten this summer."),
]


def narrative_docx(path: Path) -> Path:
    """Modelled on a narrative self-assessment (no table): the provision number and its words as
    a heading, the requirement repeated, an answer sentence ("We comply."), then commentary."""
    import docx

    d = docx.Document()
    for kind, text in NARRATIVE:
        if kind == "p":
            d.add_paragraph(text)
        else:
            d.add_heading(text, int(kind[1]))
    d.save(str(path))
    return path


def narrative_html(path: Path) -> Path:
    """The same narrative saved from a website: headings and paragraphs among a page's menus."""
    from html import escape

    body = "".join(f"<{k}>{escape(t)}</{k}>\n" for k, t in NARRATIVE)
    path.write_text(
        "<!DOCTYPE html><html><head><title>Self-assessment | Example Homes</title>"
        "<style>p {color: black}</style><script>var x = '<p>not text</p>';</script></head>"
        f"<body><nav><a href='/'>Home</a></nav><main>{body}</main></body></html>",
        encoding="utf-8",
    )
    return path


def form_2022_docx(path: Path, rows: int = 10) -> Path:
    """A 2022-form self-assessment (the 2022 Code's numbers and words) whose requirement column
    is headed with extra words, for a workspace whose forms today are the 2024 Code's."""
    import docx

    code = load_code(None, "hoc-2022")
    d = docx.Document()
    d.add_paragraph("Complaint handling self-assessment 2023/24")
    t = d.add_table(rows=0, cols=4)
    heading = [
        "Code section",
        "Code requirement (from the Housing Ombudsman Complaint Handling Code)",
        "Comply: Yes / No",
        "Evidence",
    ]
    for c, h in zip(t.add_row().cells, heading, strict=True):
        c.text = h
    for pid in list(code.provisions)[:rows]:
        for c, v in zip(
            t.add_row().cells, [pid, " ".join(code.provisions[pid].text.split()), "Yes", "Policy"], strict=True
        ):
            c.text = v
    d.save(str(path))
    return path


def section_six_docx(path: Path) -> Path:
    """Modelled on a landlord's page for one section of the Code alone (section 6): each
    provision's number and words, "We comply.", then a paragraph of how."""
    import docx

    d = docx.Document()
    d.add_paragraph("Self-assessment 2024/25: stage 1 complaints")
    for s in CODE.sections:
        if str(s.number) != "6":
            continue
        for p in s.provisions:
            if not p.assessed:
                continue
            d.add_paragraph(f"{p.id} {' '.join(p.text.split())}")
            d.add_paragraph("We comply.")
            d.add_paragraph(f"Our complaints policy covers this in part {p.id}.")
    d.save(str(path))
    return path


def accordion_html(path: Path) -> Path:
    """Modelled on a housing association's web page: the self-assessment inside a section of an
    accordion, its header cells broken over lines, "Y" answers, and evidence paragraphs that
    start with "- " and hold line breaks of their own."""
    rows = [
        (
            "1.2",
            text_of("1.2"),
            "Y",
            ["- The complaints policy (2.1) uses this definition.", "- Covered in the staff<br>training pack."],
            "No change was needed.",
        ),
        (
            "1.3",
            text_of("1.3", 25),
            "Y",
            [
                "- Training for all staff on 28/3/24.",
                "- Training: -<br>30/4/24 – Customer Care Team<br>25/4/24 – Managers",
            ],
            "",
        ),
    ]
    body = "".join(
        f"<tr><td>{pid}</td><td>{req}</td><td>{yes}</td><td>{''.join(f'<p>{e}</p>' for e in ev)}</td><td>{note}</td></tr>"
        for pid, req, yes, ev, note in rows
    )
    path.write_text(
        "<html><head><title>Complaints | Example HA</title></head><body>"
        "<nav><ul><li><a href='/'>Home</a></li></ul></nav>"
        "<section class='accordion'><h2>Annual self-assessment</h2>"
        "<p>This self-assessment is a regulatory requirement to confirm we comply with the Code.</p>"
        "<h3>Self-assessment - 14th June 2024</h3><h4>Section 1: Definition of a complaint</h4>"
        "<table><tr><th>Code<br>provision</th><th>Code requirement</th><th>Comply:<br>Yes / No</th>"
        f"<th>Evidence</th><th>Commentary / explanation</th></tr>{body}</table></section></body></html>",
        encoding="utf-8",
    )
    return path


def questionnaire_with_notes_docx(path: Path) -> Path:
    """Modelled on a council's 2020 questionnaire whose answers say "Please see Note 1" and whose
    notes follow the form under a heading, each headed by its number and the question, then an
    action plan heading: the notes go to notes:, the heading after them stays outside."""
    import docx

    d = docx.Document()
    d.add_paragraph("Complaint Handling Code: self-assessment form 2020/21")
    t = d.add_table(rows=0, cols=4)
    add_rows(
        t,
        [
            ["1", "Definition of a complaint", "Yes", "No"],
            ["1.2", "Does the policy have exclusions where a complaint will not be considered?", "√", ""],
            [
                "1.3",
                "Are these exclusions reasonable and fair to residents? Evidence relied upon",
                "Please see Note 1",
                "",
            ],
            ["3", "Complaints team and process", "Yes", "No"],
            ["3.8", "At what stage are most complaints resolved?", "Please see Note 2", ""],
        ],
    )
    d.add_paragraph("Notes with evidence")
    d.add_paragraph("1. Are the cases we will not consider fair to residents?")
    d.add_paragraph("Our persistent-contact policy protects staff while keeping every new issue open to residents.")
    d.add_paragraph("- A warning is always given before any restriction.")
    d.add_paragraph("A restriction is reviewed by the Monitoring Officer after one year.")
    d.add_paragraph("2. At what stage are most complaints resolved?")
    d.add_paragraph("Nearly all complaints are settled at stage one.")
    d.add_paragraph("Self-assessment action plan")
    d.save(str(path))
    return path


def form_2020_docx(path: Path) -> Path:
    """Modelled on a council's whole 2020 self-assessment form as published: the questionnaire
    (section rows, ticks under Yes or No, N/A, "Please see Note 1" answers, one answer pointing
    at the action plan), the notes after it (each headed by its number and question, with
    bullets), then the action plan as a table of its own (a starred number, a row naming
    several questions, a row without a number, an action with bullets, a footnote mark on a
    date, the footnote, and an owner that ran onto a row of its own after a page break)."""
    import docx

    d = docx.Document()
    d.add_paragraph("Complaint Handling Code: self-assessment form 2020/21")
    t = d.add_table(rows=0, cols=4)
    add_rows(
        t,
        [
            ["1", "Definition of a complaint", "Yes", "No"],
            ["1.1", CODE_2020.provisions["1.1"].text, "√", ""],
            ["1.2", CODE_2020.provisions["1.2"].text, "√", ""],
            ["1.3", CODE_2020.provisions["1.3"].text, "Please see Note 1", ""],
            ["3", "Complaints team and process", "Yes", "No"],
            ["3.4", CODE_2020.provisions["3.4"].text, "N/A", ""],
            ["3.8", CODE_2020.provisions["3.8"].text, "Please see Note 2", ""],
            ["5", "Cooperation with Housing Ombudsman Service", "Yes", "No"],
            ["5.1", CODE_2020.provisions["5.1"].text, "", "√"],
            ["8", "Continuous learning and improvement", "Yes", "No"],  # "improvement" is no action column
            ["8.4", CODE_2020.provisions["8.4"].text, "Please see Action Plan (Appendix)", ""],
        ],
    )
    d.add_paragraph("Notes with evidence")
    d.add_paragraph("1. Is it fair to residents that we do not consider some complaints?")
    d.add_paragraph("Two policies guide us when a resident's contact becomes too much for the team:")
    d.add_paragraph("- every resident keeps fair access to our services, and")
    d.add_paragraph("- staff are protected from abuse.")
    d.add_paragraph("A new complaint about a new matter is always considered on its merits.")
    d.add_paragraph("2. At what stage are most complaints resolved?")
    d.add_paragraph("Most complaints end at stage one.")
    d.add_paragraph("Housing Ombudsman self-assessment: action plan")
    d.add_paragraph("*Mandatory")
    p = d.add_table(rows=0, cols=5)
    add_rows(
        p,
        [
            ["Question", "Action", "Lead", "Target date", "Notes on progress"],
            ["1.2", "Write one complaints policy and publish it", "Customer Services Manager", "June 1 2021", ""],
            ["5.1*", "Find a safe way to send large bundles of documents to the Ombudsman", "ICT Lead", "TBC 1", ""],
            ["3.8; 8.4", "Report each quarter where complaints end", "Performance Officer", "March 31 2021", "Begun"],
            ["", "Add escalations to the Ombudsman to the complaints tracker", "Systems Manager;", "December 2021", ""],
            ["", "", "Housing Services Manager", "", ""],
            [
                "1.3",
                "Review the persistent-contact policy to:\n- add a right of review\n- shorten the letters",
                "Policy Officer",
                "September 30 2021",
                "",
            ],
        ],
    )
    d.add_paragraph("1 Sending files to outside bodies needs the approval of the council's data group.")
    d.save(str(path))
    return path


def words_accounted(stdout: str) -> dict[str, int]:
    """The import's words summary ("words: 315 in the document: 200 placed, 86 compared with the
    Code's text, 29 kept under x-imported, 0 dropped") as numbers, after checking that every word
    of the document is counted once: placed, compared, kept or dropped."""
    import re

    m = re.search(
        r"words: (\d+) in the document: (\d+) placed, (\d+) compared with the Code's text, "
        r"(\d+) kept under x-imported, (\d+) dropped",
        stdout,
    )
    assert m is not None, stdout
    total, placed, compared, kept, dropped = (int(g) for g in m.groups())
    assert placed + compared + kept + dropped == total, m.group(0)
    return {"total": total, "placed": placed, "compared": compared, "kept": kept, "dropped": dropped}


def section_six_narrative_docx(path: Path) -> Path:
    """Modelled on a landlord's published answers to section 6 alone, as a run of paragraphs: the
    provision's number and words (a lettered list in the Code's text on paragraphs of its own),
    "We comply.", then one or two paragraphs of how, citing the policy's own section numbers
    ("(section 7.4)") and the year's figures."""
    import docx

    d = docx.Document()
    for s in CODE.sections:
        if str(s.number) != "6":
            continue
        for p in s.provisions:
            first, *listed = p.text.split("\n")
            d.add_paragraph(f"{p.id} {' '.join(first.split())}")
            for line in listed:
                d.add_paragraph(line.strip().rstrip(".") + ";")
            d.add_paragraph("We comply.")
            d.add_paragraph(f"Our complaints policy sets this out for part {p.id}. (section 7.4)")
            if p.id in ("6.2", "6.3"):
                d.add_paragraph(f"During 2023/24 we met this for 9{p.id[-1]}% of stage 1 complaints.")
    d.save(str(path))
    return path
