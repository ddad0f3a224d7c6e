"""Self-assessments as landlords write them: rich text (paragraphs, lists, links), notes referred
to by number, actions shared by several provisions, the columns layout and one section alone,
in every published format."""

from __future__ import annotations

import html as htmllib
import io
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, check_json, make_ws, run, sheet_sections
from hcode.core.richtext import Block, Span, links, note_refs, parse
from hcode.render import richtext

FORMS = ROOT / "tests" / "data" / "forms"


def form(name: str) -> str:
    return (FORMS / name).read_text("utf-8")


def workspace(tmp_path: Path, name: str) -> Path:
    return make_ws(tmp_path, {"assessments/2024-25.yaml": form(name)})


def report(ws: Path, fmt: str, *extra: str) -> str:
    result = run("report", "assessment", ws, "--format", fmt, *extra)
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


def workbook(ws: Path, tmp_path: Path, *extra: str, name: str = "assessment") -> Any:
    from openpyxl import load_workbook

    target = tmp_path / f"out-{name}.xlsx"
    result = run("report", name, ws, "--format", "xlsx", "-o", target, *extra)
    assert result.exit_code == 0, result.stdout + result.stderr
    return load_workbook(io.BytesIO(target.read_bytes()))


def cells(wb: Any) -> dict[str, Any]:
    """Every non-empty cell, keyed 'Sheet!A1'."""
    return {f"{ws.title}!{c.coordinate}": c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None}


# -- the parser ----------------------------------------------------------------------------------


def test_paragraphs_line_breaks_and_lists() -> None:
    blocks = parse("First line\nsecond line\n\n- one\n  continued\n* two\n\nAfter")
    assert [b.kind for b in blocks] == ["paragraph", "bullets", "paragraph"]
    assert blocks[0].items[0] == (Span("text", "First line"), Span("break"), Span("text", "second line"))
    assert blocks[1].items == ((Span("text", "one continued"),), (Span("text", "two"),))


def test_the_codes_lettered_lists() -> None:
    blocks = parse("Handlers must:\na. deal with it.\nb. be fair; and\nc. decide.")
    assert [b.kind for b in blocks] == ["paragraph", "letters"]
    assert len(blocks[1].items) == 3
    # a lettered line that does not start at a, or skips a letter, is ordinary text
    assert [b.kind for b in parse("b. not a list")] == ["paragraph"]
    assert [len(b.items) for b in parse("a. one\nc. three")] == [1, 1]


def test_links_only_http_and_https() -> None:
    text = (
        "See https://x.example.org/a_b. Or [the policy](https://x.example.org/p?a=1&b=2), "
        "[bad](javascript:alert(1)), [mail](mailto:a@b.org), ftp://x.org and http:// alone."
    )
    assert links(text) == [
        ("https://x.example.org/a_b", "https://x.example.org/a_b"),
        ("the policy", "https://x.example.org/p?a=1&b=2"),
    ]


def test_control_and_bidi_characters_end_an_address() -> None:
    assert links("https://a.org/\x1b[31m and https://b.org/\u202eevil") == [
        ("https://a.org/", "https://a.org/"),
        ("https://b.org/", "https://b.org/"),
    ]


def test_note_references() -> None:
    assert note_refs("Please see Note 1. Also see note 2a, see NOTE 1 again; note 3 is not a reference") == ["1", "2a"]
    assert note_refs(None) == []


def test_blank_text_has_no_blocks() -> None:
    assert parse("") == () and parse("  \n\n ") == () and parse(None) == ()
    assert isinstance(parse("x")[0], Block)


# -- rendering is escaped ----------------------------------------------------------------------------


HOSTILE = (
    "<script>alert(1)</script> | pipe *star* [x](javascript:alert(1)) "
    '[ok](https://a.org/"onmouseover=alert(1)) https://a.org/?q=<b>'
)


def test_html_escapes_everything_and_links_only_http() -> None:
    out = richtext.html(HOSTILE + "\n\n- item <i>")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "javascript:" not in out.replace("[x](javascript:alert(1))", "")  # kept as text only
    assert 'href="javascript' not in out
    assert re.findall(r'href="([^"]*)"', out) == ["https://a.org/", "https://a.org/?q="]
    assert "<ul><li>item &lt;i&gt;</li></ul>" in out


def test_markdown_cell_is_one_line_and_inert() -> None:
    out = richtext.md_cell(HOSTILE + "\n\n- item\n- other\n\nlast\nline")
    assert "\n" not in out
    assert "<script>" not in out and "\\|" in out and "\\*star\\*" in out
    assert "](javascript:" not in out and "\\[x\\](javascript&#58;alert(1))" in out
    assert "• item<br>• other" in out and "<br><br>last<br>line" in out
    assert re.findall(r"(?<!\\)\](\([^)]*\))", out) == ["(https://a.org/)", "(https://a.org/?q=)"]


def test_markdown_block_escapes_line_starts() -> None:
    out = richtext.md_block("# not a heading\n\n1. not a list\n\n- a bullet")
    assert out.splitlines() == ["\\# not a heading", "", "1\\. not a list", "", "- a bullet"]


def test_excel_text_keeps_every_address() -> None:
    shown, found = richtext.excel("Read [the policy](https://a.org/p) and https://b.org.\n\n- one\n- two")
    assert shown == "Read the policy (https://a.org/p) and https://b.org.\n\n• one\n• two"
    assert [s.url for s in found] == ["https://a.org/p", "https://b.org"]


# -- checks --------------------------------------------------------------------------------------------


def findings(tmp_path: Path, text: str) -> list[dict[str, Any]]:
    ws = make_ws(tmp_path, {"assessments/2024-25.yaml": text})
    return [f for f in check_json(ws, "2025-07-31")["findings"] if f["rule"] != "assessment.complete"]


def test_a_shared_action_plans_each_no_it_names(tmp_path: Path) -> None:
    found = findings(tmp_path, form("notes_and_shared_actions.yaml"))
    assert not [f for f in found if f["rule"] == "assessment.action-plan"]
    assert not [f for f in found if f["severity"] == "error"]


def test_a_no_not_named_by_any_action_is_still_an_error(tmp_path: Path) -> None:
    text = form("notes_and_shared_actions.yaml").replace("[3.3, 6.2, 6.10]", "[6.10]")
    found = findings(tmp_path, text)
    assert sorted(f["message"] for f in found if f["rule"] == "assessment.action-plan") == [
        "provision 3.3 is answered no but has no action with an owner and a due date",
        "provision 6.2 is answered no but has no action with an owner and a due date",
    ]


def test_an_action_under_one_answer_may_name_further_provisions(tmp_path: Path) -> None:
    text = form("notes_and_shared_actions.yaml").replace("[3.3, 6.2, 6.10]", "[6.10]")
    text = text.replace(
        "  3.3:\n    comply: no\n",
        "  3.3:\n    comply: no\n    actions:\n"
        "      - {action: Report volumes monthly, provisions: [6.2], owner: Head of Service, due: 2025-12-31}\n",
    )
    found = findings(tmp_path, text)
    assert not [f for f in found if f["rule"] == "assessment.action-plan"]
    md = report(make_ws(tmp_path / "r", {"assessments/2024-25.yaml": text}), "md")
    assert "| 3.3; 6.2 | Report volumes monthly | Head of Service | 2025-12-31 | open |" in md


def test_a_done_shared_action_still_plans_the_no(tmp_path: Path) -> None:
    text = form("notes_and_shared_actions.yaml").replace(
        "    due: 2025-03-31\n", "    due: 2025-03-31\n    done: Complete\n"
    )
    found = findings(tmp_path, text)
    assert not [f for f in found if f["rule"] in ("assessment.action-plan", "assessment.action-overdue")]


def test_an_action_naming_a_provision_the_code_lacks_is_an_error_with_its_line(tmp_path: Path) -> None:
    text = form("notes_and_shared_actions.yaml").replace("[3.3, 6.2, 6.10]", "[3.3, 6.2, 6.10, 9.9]")
    found = [f for f in findings(tmp_path, text) if f["rule"] == "assessment.action-provision"]
    line = text.splitlines().index("    provisions: [3.3, 6.2, 6.10, 9.9]") + 1
    assert [(f["severity"], f["line"]) for f in found] == [("error", line)]
    assert "names provision 9.9, but hoc-2024 has no provision 9.9" in found[0]["message"]


def test_six_ten_in_a_provisions_list_is_six_ten(tmp_path: Path) -> None:
    """An unquoted 6.10 in a list is read as written, not as the number 6.1."""
    from hcode.store.yamlread import parse as loads

    data = loads("actions:\n  - provisions: [6.10, 6.1, '6.2']\n    x: [6.10]\n")
    assert data["actions"][0]["provisions"] == ["6.10", "6.1", "6.2"]
    assert data["actions"][0]["x"] == [6.1]


def test_an_unknown_note_is_a_warning_naming_its_line(tmp_path: Path) -> None:
    text = form("notes_and_shared_actions.yaml").replace("see note 2 for the figures", "see note 7 for the figures")
    found = [f for f in findings(tmp_path, text) if f["rule"] == "assessment.note-unknown"]
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "see note 7" in s)
    assert [(f["severity"], f["line"]) for f in found] == [("warning", line)]
    assert found[0]["message"] == (
        "provision 3.3: commentary refers to note 7, which the self-assessment does not have (notes: 1, 2)"
    )


@pytest.mark.parametrize(
    ("change", "expect"),
    [
        (("  1: |", "  1: [a list]\n  x1: |"), "'1' must be text"),
        (("provisions: []", "provisions: 3.3"), "provisions"),
        (("provisions: []", "provisions: [3]"), "provisions"),
        (("progress: Draft", "progress: {a: b}\n    x-was: Draft"), "progress"),
        (("  2: |", "  'bad id!': |"), "is not a note id"),
    ],
)
def test_bad_new_fields_are_schema_errors(tmp_path: Path, change: tuple[str, str], expect: str) -> None:
    text = form("notes_and_shared_actions.yaml").replace(*change)
    assert text != form("notes_and_shared_actions.yaml")
    ws = make_ws(tmp_path, {"assessments/2024-25.yaml": text})
    found = [f for f in check_json(ws, "2025-07-31")["findings"] if f["rule"] == "schema"]
    assert found and all(f["line"] for f in found), found
    assert any(expect in f["message"] or expect in str(f.get("path", "")) for f in found), found


def test_example_findings_unchanged_by_a_javascript_link(tmp_path: Path) -> None:
    found = findings(tmp_path, form("links_and_paragraphs.yaml"))
    assert not [f for f in found if f["severity"] == "error"]


# -- seeds' layouts in md, html and xlsx ---------------------------------------------------------------------


def test_notes_render_once_with_links_from_each_reference(tmp_path: Path) -> None:
    ws = workspace(tmp_path, "notes_and_shared_actions.yaml")
    md = report(ws, "md")
    assert md.count('<a id="note-1"></a>Note 1') == 1 and md.count('<a id="note-2"></a>Note 2') == 1
    assert "Please see [Note 1](#note-1)" in md
    assert md.count("](#note-2)") == 2
    assert "[Monitoring Officer](https://council.example.org/monitoring-officer)" in md
    assert "- 91% of complaints resolved at stage 1" in md

    page = report(ws, "html")
    assert page.count('id="note-1"') == 1 and page.count('id="note-2"') == 1
    assert 'Please see <a class="note-ref" href="#note-1">Note 1</a>' in page
    assert page.count('href="#note-2"') == 2
    assert "<ul><li>91% of complaints resolved at stage 1</li>" in page

    wb = workbook(ws, tmp_path)
    assert "Notes" in wb.sheetnames
    notes = wb["Notes"]
    assert notes["A2"].value == "Note 1" and "Monitoring Officer (https://" in notes["B2"].value
    assert notes["B2"].hyperlink.target == "https://council.example.org/monitoring-officer"
    refs = [c for c in cells(wb).values() if c.value == "Please see Note 1"]
    assert refs and refs[0].hyperlink.location == "'Notes'!A2"


def test_shared_actions_in_the_action_plan(tmp_path: Path) -> None:
    ws = workspace(tmp_path, "notes_and_shared_actions.yaml")
    md = report(ws, "md")
    assert "| Code provision | Action | Owner | Due | Done | Notes on progress |" in md
    assert (
        "| 3.3; 6.2; 6.10 | Review the complaints procedure so that staff explain the two Ombudsmen's roles "
        "| Policy and Performance Officers | 2025-03-31 | open | Draft procedure sent to the leadership team in February. |"
    ) in md
    assert "| No provision | Track complaints escalated" in md  # a row header is never empty
    assert "Supplier asked for a quote.<br><br>Quote received; waiting for budget approval." in md
    page = report(ws, "html")
    assert '<th scope="row">3.3; 6.2; 6.10</th>' in page and "<th>Notes on progress</th>" not in page
    assert '<th scope="row">No provision</th><td data-label="Action">Track complaints escalated' in page
    assert '<div class="progress">Quote received; waiting for budget approval.</div>' in page
    plan = workbook(ws, tmp_path)["Action plan"]
    rows = [[c.value for c in r] for r in plan.iter_rows(min_row=1)]
    assert rows[0][-1] == "Notes on progress"
    assert rows[1][0] == "3.3; 6.2; 6.10" and rows[2][0] == "No provision"
    assert rows[2][3] == "to be confirmed"
    assert rows[2][5] == "Supplier asked for a quote.\n\nQuote received; waiting for budget approval."


def test_links_and_paragraphs(tmp_path: Path) -> None:
    ws = workspace(tmp_path, "links_and_paragraphs.yaml")
    md = report(ws, "md")
    assert (
        "We comply.<br><br>The Ombudsman's definition appears word for word in our Feedback and Complaints "
        "Policy, published at [https&#58;//homes.example.org/policies/complaints]"
        "(https://homes.example.org/policies/complaints)."
    ) in md
    assert "[Feedback and complaints policy](https://homes.example.org/policies/complaints)" in md
    assert "• a councillor or MP<br>• a friend or relative, with consent<br>• an advocate" in md
    assert "](javascript:" not in md and "javascript&#58;alert(1)" in md

    page = report(ws, "html")
    assert "<p>We comply.</p><p>The Ombudsman&#39;s definition" in page
    assert (
        '<a href="https://homes.example.org/policies/complaints">https://homes.example.org/policies/complaints</a>.'
        in page
    )
    assert "<ul><li>a councillor or MP</li><li>a friend or relative, with consent</li><li>an advocate</li></ul>" in page
    assert 'href="javascript' not in page and "[javascript link](javascript:alert(1))" in page

    wb = workbook(ws, tmp_path)
    found = {c.value: c for c in cells(wb).values() if isinstance(c.value, str)}
    evidence = found["Feedback and complaints policy (https://homes.example.org/policies/complaints)"]
    assert evidence.hyperlink.target == "https://homes.example.org/policies/complaints"
    commentary = next(v for k, v in found.items() if k.startswith("We comply.\n\nThe Ombudsman"))
    assert commentary.hyperlink.target == "https://homes.example.org/policies/complaints"
    assert "• a councillor or MP\n• a friend or relative, with consent" in "\n".join(found)
    targets = {c.hyperlink.target for c in cells(wb).values() if c.hyperlink is not None}
    assert targets == {"https://homes.example.org/policies/complaints"}  # never javascript:
    links_sheet = [[c.value for c in r] for r in wb["Links"].iter_rows(min_row=2)]
    assert len(links_sheet) == 2 and all(r[3] == "https://homes.example.org/policies/complaints" for r in links_sheet)


def test_the_codes_own_lists_in_every_format(tmp_path: Path) -> None:
    ws = workspace(tmp_path, "links_and_paragraphs.yaml")
    md = report(ws, "md")
    assert "complaint handlers must:<br><br>a. deal with complaints on their merits" in md
    assert "Acceptable exclusions include:<br><br>• The issue giving rise" in md
    page = report(ws, "html")
    assert '<ol type="a"><li>deal with complaints on their merits' in page
    assert "<ul><li>Apologising.</li>" in page
    wb = workbook(ws, tmp_path)
    text = "\n".join(str(c.value) for c in cells(wb).values())
    assert "must:\n\na. deal with complaints" in text and "\n• Apologising.\n" in text


def test_one_section_alone(tmp_path: Path) -> None:
    ws = workspace(tmp_path, "section_six.yaml")
    md = report(ws, "md", "--section", "6")
    assert md.startswith("# Complaint Handling Code self-assessment 2024-25: section 6\n")
    assert "## Section 6: " in md and "## Section 1:" not in md and "## Section 5:" not in md
    assert "An answer outside section 6" not in md
    assert "| | **Stage 1** |" in md and "| | **Stage 2** |" in md
    assert "We comply.<br><br>In the year we answered 84% of stage 1 complaints within 10 working days." in md
    page = report(ws, "html", "--section", "6")
    assert "Section 1:" not in page and "<p>We comply.</p><p>In the year we answered 84%" in page
    wb = workbook(ws, tmp_path, "--section", "6")
    sheet = wb["Self-assessment"]
    sections = sheet_sections(sheet)
    assert len(sections) == 1 and next(iter(sections)).startswith("Section 6:")
    assert all(str(row[0]).startswith("6.") for row in next(iter(sections.values())) if row[0])
    result = run("report", "assessment", ws, "--section", "12")
    assert result.exit_code == 2 and "has no section 12" in result.stdout + result.stderr


def test_one_section_keeps_its_actions_and_notes_only(tmp_path: Path) -> None:
    ws = workspace(tmp_path, "notes_and_shared_actions.yaml")
    md = report(ws, "md", "--section", "6")
    assert "Note 2" in md and '<a id="note-1">' not in md  # note 1 is referred to from section 2 only
    assert "3.3; 6.2; 6.10 | Review the complaints procedure" in md
    assert "Track complaints escalated" not in md  # names no provision of section 6
    md2 = report(ws, "md", "--section", "2")
    assert '<a id="note-1"></a>Note 1' in md2 and "Note 2" not in md2 and "Review the complaints" not in md2
    assert "No action names a provision of this section." in md2 and "every provision is met" not in md2


def test_columns_layout(tmp_path: Path) -> None:
    ws = workspace(tmp_path, "action_columns.yaml")
    md = report(ws, "md", "--layout", "columns")
    header = (
        "| Code provision | Code requirement | Comply: Yes / No | Evidence | Commentary / explanation "
        "| Action required | Action owner | Completion date |"
    )
    assert md.count(header) == 9
    line = next(s for s in md.splitlines() if s.startswith("| 1.3 |"))
    assert line.endswith(
        "| Run refresher training so every member of staff offers the choice to complain and records it. "
        "| Complaints Manager | Complete |"
    )
    assert "The resident survey shows we do not always offer the choice to complain.<br><br>Third-party" in line
    lines = md.splitlines()
    at = next(i for i, s in enumerate(lines) if s.startswith("| 1.5 |"))
    assert lines[at].endswith(
        "| Strengthen the policy and procedure. | Complaints Manager / Assistant Director | Completed |"
    )
    assert lines[at + 1] == "| | | | | | Carry out staff training. | Complaints Manager | Complete |"
    assert next(s for s in lines if s.startswith("| 3.2 |")).endswith("| Head of Repairs | Due 2025-09-30 |")
    assert "## Action plan" not in md and "Actions for no single provision" not in md

    page = report(ws, "html", "--layout", "columns")
    assert '<th scope="row" rowspan="2">1.5</th>' in page
    assert (
        '<tr><td data-label="Action required">Carry out staff training.</td>'
        '<td data-label="Action owner">Complaints Manager</td><td data-label="Completion date">Complete</td></tr>'
    ) in page

    wb = workbook(ws, tmp_path, "--layout", "columns")
    sheet = wb["Self-assessment"]
    head = [c.value for c in sheet[1]]
    assert head[-3:] == ["Action required", "Action owner", "Completion date"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    r15 = [r for r in rows if r[0] == "1.5"]
    assert [r[5:] for r in r15] == [
        ["Strengthen the policy and procedure.", "Complaints Manager / Assistant Director", "Completed"],
        ["Carry out staff training.", "Complaints Manager", "Complete"],
    ]
    assert "Action plan" not in wb.sheetnames


def test_columns_layout_keeps_actions_for_no_provision(tmp_path: Path) -> None:
    ws = workspace(tmp_path, "notes_and_shared_actions.yaml")
    md = report(ws, "md", "--layout", "columns")
    assert "## Actions for no single provision" in md and "| No provision | Track complaints escalated" in md
    row = next(s for s in md.splitlines() if s.startswith("| 6.2 |"))
    assert "Review the complaints procedure" in row and "(for provisions 3.3, 6.2, 6.10)" in row
    assert "Progress: Draft procedure sent" in row and row.endswith("| Due 2025-03-31 |")
    wb = workbook(ws, tmp_path, "--layout", "columns")
    assert [c.value for c in wb["Action plan"]["B"]][1].startswith("Track complaints escalated")


def test_columns_layout_keeps_actions_naming_only_provisions_not_assessed(tmp_path: Path) -> None:
    # 1.1 is a provision of the 2024 Code that its form does not assess: no row shows it
    text = form("notes_and_shared_actions.yaml").replace(
        "actions:\n",
        "actions:\n  - action: Publish the definition of a complaint on the website\n"
        "    provisions: [1.1]\n    owner: Communications Lead\n    due: 2025-06-30\n",
        1,
    )
    ws = make_ws(tmp_path, {"assessments/2024-25.yaml": text})
    table = report(ws, "md")
    assert "| 1.1 | Publish the definition of a complaint" in table
    md = report(ws, "md", "--layout", "columns")
    plan = md.split("## Actions for no single provision", 1)[1]
    assert "| 1.1 | Publish the definition of a complaint" in plan and "Track complaints escalated" in plan
    assert "Review the complaints procedure" not in plan  # shown on the rows of 3.3, 6.2 and 6.10
    page = report(ws, "html", "--layout", "columns")
    assert "Publish the definition of a complaint" in page.split("Actions for no single provision", 1)[1]
    wb = workbook(ws, tmp_path, "--layout", "columns")
    column = [c.value for c in wb["Action plan"]["B"]]
    assert any(str(v).startswith("Publish the definition of a complaint") for v in column)


def test_complete_is_shown_as_done_in_excel(tmp_path: Path) -> None:
    ws = workspace(tmp_path, "action_columns.yaml")
    plan = workbook(ws, tmp_path)["Action plan"]
    done = [r[4].value for r in plan.iter_rows(min_row=2)]
    assert done == ["Complete", "Completed", "Complete", "open"]


# -- round trip ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in FORMS.glob("*.yaml")))
def test_fmt_keeps_new_fields_and_comments(tmp_path: Path, name: str) -> None:
    ws = workspace(tmp_path, name)
    path = ws / "assessments" / "2024-25.yaml"
    before = path.read_text()
    assert run("fmt", "--workspace", ws).exit_code in (0, 1)
    after = path.read_text()
    assert run("fmt", "--check", "--workspace", ws).exit_code == 0
    for line in before.splitlines():
        if line.lstrip().startswith("#") or "provisions: [" in line or "https://" in line:
            assert line.strip() in after, line
    # same records either side
    assert report(ws, "md") == report(make_ws(tmp_path / "again", {"assessments/2024-25.yaml": before}), "md")


# -- nothing written is lost ---------------------------------------------------------------------------------


def _plain_html(page: str) -> str:
    hrefs = " ".join(htmllib.unescape(h) for h in re.findall(r'href="([^"]*)"', page))
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", page)).split()) + " " + hrefs


def _plain_md(text: str) -> str:
    urls = " ".join(re.findall(r"(?<!\\)\]\(([^)]*)\)", text))
    text = re.sub(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\([^)]*\)", r"\1", text)
    text = text.replace("<br>", " ")
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\\(.)", r"\1", text)
    return " ".join(htmllib.unescape(text).replace("•", " ").split()) + " " + urls


def _plain_xlsx(wb: Any) -> str:
    return " ".join(" ".join(str(c.value) for c in cells(wb).values()).replace("•", " ").split())


def _pieces(value: str) -> list[str]:
    """What every format must show of ``value``: each run of text, each link's text and its
    address (formats differ only in how they mark links, lists and breaks)."""
    out: list[str] = []
    for block in parse(value):
        for item in block.items:
            for s in item:
                out.append(" ".join(s.text.split()))
                if s.url:
                    out.append(s.url)
    return [p for p in out if p]


def _free_text(data: dict[str, Any]) -> list[str]:
    values: list[str] = [data["approved"]["by"]]
    for answer in data["provisions"].values():
        values += [answer.get("commentary") or "", *answer.get("evidence", [])]
        for a in answer.get("actions", []):
            values += [a["action"], a.get("owner", "")]
            values += a.get("progress", []) if isinstance(a.get("progress"), list) else [a.get("progress") or ""]
    for a in data.get("actions", []):
        values += [a["action"], a.get("owner", "")]
        values += a["progress"] if isinstance(a.get("progress"), list) else [a.get("progress") or ""]
    values += list(data.get("notes", {}).values())
    return [v for v in values if v]


def _full_workspace(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """The example workspace with a self-assessment using every free-text field."""
    from conftest import copy_example
    from hcode.store.yamlread import parse as loads

    ws = copy_example(tmp_path / "ws")
    path = ws / "assessments" / "2024-25.yaml"
    text = path.read_text()
    rich = form("notes_and_shared_actions.yaml")
    extra_answers = rich.split("provisions:\n", 1)[1].split("notes:\n", 1)[0]
    tail = "notes:\n" + rich.split("notes:\n", 1)[1]
    for pid in ("2.2", "3.3", "6.2"):
        text = re.sub(rf"(?ms)^  {re.escape(pid)}:\n(    .*?\n)+(?=  \S)", "", text)
    text = text.replace("provisions:\n", "provisions:\n" + extra_answers, 1) + tail
    text = text.replace(
        "    owner: Policy and Performance Officers\n",
        "    owner: Policy and Performance Officers\n    x-ref: internal\n",
    )
    text += (
        "  - action: |\n      Publish the policy at https://council.example.org/complaints\n\n"
        "      - in plain English\n      - with [an easy-read summary](https://council.example.org/easy)\n"
        "    provisions: [1.2]\n    owner: Web Team\n    due: 2025-12\n"
    )
    path.write_text(text)
    (ws / "reports").mkdir(exist_ok=True)
    (ws / "reports" / "2024-25.yaml").write_text(
        "year: 2024-25\n"
        "governing_body_response: |\n  The Board considered this report on 26 June 2025.\n\n"
        "  It asked for quarterly updates on damp complaints.\n"
        "mrc_statement: As Member Responsible for Complaints I have met the complaints team each quarter.\n"
        "improvements:\n"
        "  - improvement: Repair appointments are now confirmed by text message\n"
        "    learning_from: Complaints about missed appointments\n"
    )
    (ws / "ombudsman").mkdir(exist_ok=True)
    (ws / "ombudsman" / "2025-05-20-letter.yaml").write_text(
        "date: 2025-05-20\nkind: annual-letter\ntitle: Annual landlord performance letter 2024-25\n"
        "summary: Two determinations and no complaint handling failure orders.\n"
    )
    return ws, loads(text)


def _workspace_free_text(ws: Path) -> list[str]:
    """The free text of the annual report's other inputs: reports/, ombudsman/ and the learning
    of complaints whose last response fell in 2024-25 (the report's rule)."""
    from datetime import date

    from hcode.store.yamlread import parse as loads

    report_data = loads((ws / "reports" / "2024-25.yaml").read_text())
    values = [report_data["governing_body_response"], report_data["mrc_statement"]]
    for item in report_data["improvements"]:
        values += [item["improvement"], item["learning_from"]]
    for doc in (ws / "ombudsman").glob("*.yaml"):
        data = loads(doc.read_text())
        values += [data["title"], data["summary"]]
    learned = 0
    for case in (ws / "cases").rglob("*.yaml"):
        data = loads(case.read_text())
        days = [
            date.fromisoformat(str((data.get(stage) or {}).get("responded")))
            for stage in ("stage1", "stage2")
            if (data.get(stage) or {}).get("responded")
        ]
        if data.get("learning") and days and date(2024, 4, 1) <= max(days) <= date(2025, 3, 31):
            values.append(data["learning"])
            learned += 1
    assert learned >= 3
    return values


def test_every_free_text_value_reaches_every_published_format(tmp_path: Path) -> None:
    ws, data = _full_workspace(tmp_path)
    found = check_json(ws, "2025-07-31")["findings"]
    assert not [f for f in found if f["rule"] in ("schema", "yaml", "assessment.note-unknown")], found
    values = _free_text(data)
    assert len(values) > 100
    outputs = {}
    for name in ("assessment", "annual"):
        args = ("--year", "2024-25") + (("--as-of", "2025-07-31") if name == "annual" else ())
        for fmt in ("md", "html"):
            result = run("report", name, ws, "--format", fmt, *args)
            assert result.exit_code == 0, result.stderr
            outputs[f"{name}.{fmt}"] = _plain_md(result.stdout) if fmt == "md" else _plain_html(result.stdout)
        outputs[f"{name}.xlsx"] = _plain_xlsx(workbook(ws, tmp_path, *args, name=name))
    annual_values = _workspace_free_text(ws)
    missing = {
        out: [
            p for v in values + (annual_values if out.startswith("annual") else []) for p in _pieces(v) if p not in text
        ]
        for out, text in outputs.items()
    }
    assert missing == {out: [] for out in outputs}
    for fmt in ("md", "html"):
        assert "x-ref" not in run("report", "assessment", ws, "--format", fmt).stdout


# -- the documentation's examples ----------------------------------------------------------------------

DOCS = ROOT / "docs"


def test_formats_doc_notes_and_shared_actions_example(tmp_path: Path) -> None:
    section = (DOCS / "formats.md").read_text("utf-8").split("### Notes, shared actions and progress", 1)[1]
    found = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert found is not None
    ws = make_ws(tmp_path, {"assessments/2024-25.yaml": found.group(1)})
    rules = {(f["rule"], f["message"]) for f in check_json(ws, "2025-07-31")["findings"]}
    assert not {r for r in rules if r[0] in ("schema", "yaml", "assessment.action-plan", "assessment.note-unknown")}
    assert (
        "assessment.action-date",
        "action plan: action 'Add Ombudsman escalations to the comp...' is due to be confirmed",
    ) in rules
    page = report(ws, "html")
    assert 'Please see <a class="note-ref" href="#note-1">Note 1</a>' in page
    assert '<a href="https://intranet.example.org/rota">Cover rota</a> agreed in August.' in page
    assert '<th scope="row">6.2; 6.10</th>' in page


def test_reports_doc_commands_run(tmp_path: Path) -> None:
    from conftest import copy_example

    ws = copy_example(tmp_path / "ws")
    block = (DOCS / "reports.md").read_text("utf-8").split("Two options change the layout:", 1)[1]
    commands = re.search(r"```sh\n(.*?)```", block, re.S)
    assert commands is not None
    lines = commands.group(1).strip().splitlines()
    assert len(lines) == 2
    for line in lines:
        args = line.split()[1:]
        if "-o" in args:
            args[args.index("-o") + 1] = str(tmp_path / args[args.index("-o") + 1])
        result = run(*args, "--workspace", ws)
        assert result.exit_code == 0, result.stdout + result.stderr
    assert "Action required" in (tmp_path / "self-assessment.html").read_text()
