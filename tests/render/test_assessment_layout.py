"""The self-assessment report: a typed result from the use case, laid out once, walked by every
format; a workspace's own template still renders it."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import copy_example, run, sheet_row
from hcode.api.reports import assessment_report
from hcode.api.workspace import OpenWorkspace, open_store
from hcode.core.assessmentform import AssessmentForm, FormAction, FormRow
from hcode.render import assessmentlayout
from hcode.render import layout as lay

ARGS = ("--year", "2024-25", "--as-of", "2025-07-31")


def test_the_use_case_returns_the_form_typed(tmp_path: Path) -> None:
    """The rows, answers and actions of the example's self-assessment as frozen dataclasses."""
    from datetime import date

    ws = copy_example(tmp_path / "ws")
    made = assessment_report(OpenWorkspace(open_store(ws)), "2024-25", date(2025, 7, 31))
    form = made.form
    assert isinstance(form, AssessmentForm) and form.year == "2024-25"
    assert form.landlord == "Riverside Vale Homes" and form.code.code == "hoc-2024"
    row = next(r for s in form.sections for r in s.rows if r.id == "9.8")
    assert isinstance(row, FormRow) and row.comply == "No"
    assert row.commentary == "Not every role yet has the standard complaint handling objective."
    action = row.actions[0]
    assert isinstance(action, FormAction)
    assert (action.owner, action.due, action.done, action.completion) == (
        "Head of People",
        "2025-05-31",
        None,
        "Due 2025-05-31",
    )
    assert [a.provision for a in form.actions] == ["5.10", "5.10", "6.14", "6.14", "9.8"]
    assert not form.all_met and not form.missing and form.completed == "2025-06-13"


def test_a_workspace_assessment_template_renders_the_typed_form(tmp_path: Path) -> None:
    """A workspace's own ``assessment.md.j2`` reads the names it always read (``sections``,
    ``row.id``, ``a["owner"]``, ``code.code``, ``note_ids``), in a bounded child process."""
    ws = copy_example(tmp_path / "ws")
    (ws / "templates").mkdir()
    (ws / "templates/assessment.md.j2").write_text(
        "# {{ landlord }} {{ year }} {{ code.code }} {{ form.layout }} {{ note_ids | length }}\n"
        "{% for s in sections %}{% for row in s.rows %}{% for a in row.actions %}"
        '{{ row.id }}: {{ a["owner"] }} ({{ a.completion }})\n'
        "{% endfor %}{% endfor %}{% endfor %}"
        "{{ actions | length }} actions\n",
        "utf-8",
    )
    out = run("report", "assessment", ws, *ARGS)
    assert out.exit_code == 0, out.stderr
    assert out.stdout.startswith("# Riverside Vale Homes 2024-25 hoc-2024 appendix-a 0\n")
    assert "9.8: Head of People (Due 2025-05-31)\n" in out.stdout
    assert out.stdout.endswith("5 actions\n")
    (ws / "templates/assessment.md.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    bad = run("report", "assessment", ws, *ARGS)
    assert bad.exit_code == 3 and "SecurityError" in bad.stderr


def _workbook(ws: Path, tmp_path: Path, report: str = "assessment") -> Any:
    out = tmp_path / f"{report}.xlsx"
    result = run("report", report, ws, *ARGS, "-f", "xlsx", "-o", out)
    assert result.exit_code == 0, result.stderr
    return openpyxl.load_workbook(out)


def test_a_column_added_to_the_form_shows_in_every_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new column of the form is one entry in ``form_columns``: the self-assessment and the
    annual report's appendix show it in Markdown, HTML (named on the phone's cards) and Excel."""
    built = assessmentlayout.form_columns

    def with_a_column(form: AssessmentForm) -> list[assessmentlayout.FormColumn]:
        reviewed = assessmentlayout.FormColumn(
            lay.Column("Reviewed by", card=True, width=20), lambda row: lay.Text(f"Audit Committee ({row.id})")
        )
        return [*built(form), reviewed]

    monkeypatch.setattr(assessmentlayout, "form_columns", with_a_column)
    ws = copy_example(tmp_path / "ws")
    for report in ("assessment", "annual"):
        md = run("report", report, ws, *ARGS).stdout
        assert "| Evidence | Commentary / explanation | Reviewed by |\n|---|---|---|---|---|---|\n" in md
        assert "| Not every role yet has the standard complaint handling objective. | Audit Committee (9.8) |" in md
        html = run("report", report, ws, *ARGS, "-f", "html").stdout
        assert '<th scope="col">Reviewed by</th></tr></thead>' in html
        assert '<td data-label="Reviewed by">Audit Committee (9.8)</td></tr>' in html
        sheet = _workbook(ws, tmp_path, report)["Self-assessment"]
        assert sheet.cell(1, 6).value == "Reviewed by" and sheet.column_dimensions["F"].width == 20
        assert sheet.cell(sheet_row(sheet, "9.8"), 6).value == "Audit Committee (9.8)"


def test_a_row_added_to_the_form_shows_in_every_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new row is one more Row in a section's table: every format shows it in its place."""
    built = assessmentlayout._section

    def with_a_row(form: AssessmentForm, s: Any, level: int, prefix: str) -> lay.Section:
        section = built(form, s, level, prefix)
        if s.number != 9:
            return section
        table = section.blocks[-1]
        assert isinstance(table, lay.Table)
        row = lay.Row(
            lay.Text("9.9"),
            (
                lay.Rich("Landlords publish what they learned."),
                lay.Text("Yes"),
                lay.Items(("Web page",)),
                lay.Rich(None),
            ),
        )
        grown = dataclasses.replace(table, rows=(*table.rows, row))
        return dataclasses.replace(section, blocks=(*section.blocks[:-1], grown))

    monkeypatch.setattr(assessmentlayout, "_section", with_a_row)
    ws = copy_example(tmp_path / "ws")
    md = run("report", "assessment", ws, *ARGS).stdout
    assert "| 9.9 | Landlords publish what they learned. | Yes | Web page |  |\n\n\n## Action plan" in md
    html = run("report", "assessment", ws, *ARGS, "-f", "html").stdout
    assert (
        '<tr><th scope="row">9.9</th><td data-label="Code requirement">Landlords publish what they learned.</td>'
        '<td data-label="Comply: Yes / No">Yes</td><td data-label="Evidence"><ul class="evidence"><li>Web page</li>'
    ) in html
    sheet = _workbook(ws, tmp_path)["Self-assessment"]
    r = sheet_row(sheet, "9.9")
    assert [sheet.cell(r, c).value for c in range(1, 5)] == [
        "9.9",
        "Landlords publish what they learned.",
        "Yes",
        "Web page",
    ]
    assert sheet.cell(r - 1, 1).value == "9.8"


def test_formats_agree_where_they_used_to_differ(tmp_path: Path) -> None:
    """Each failed before: the 2020 questionnaire's workbook in the columns layout dropped every
    row's actions (Markdown and HTML showed them); an empty action plan was an empty table in the
    workbook (Markdown and HTML said why); the annual report's appendix said every provision was
    met under an empty action plan whatever the answers (the self-assessment said "No actions
    recorded.")."""
    from conftest import ROOT, make_ws

    questionnaire = (ROOT / "tests/data/assessments/2020-21-questionnaire.yaml").read_text("utf-8")
    ws = make_ws(tmp_path / "q", {"assessments/2020-21.yaml": questionnaire})
    out = tmp_path / "q.xlsx"
    args = ("--year", "2020-21", "--layout", "columns", "-f", "xlsx", "-o", out)
    assert run("report", "assessment", ws, *args).exit_code == 0
    sheet = openpyxl.load_workbook(out)["Self-assessment"]
    assert [sheet.cell(1, c).value for c in (7, 8, 9)] == ["Action required", "Action owner", "Completion date"]
    r = sheet_row(sheet, "2.3")
    assert sheet.cell(r, 7).value == "Write a reasonable adjustments statement into the equality policy"
    assert (sheet.cell(r, 8).value, sheet.cell(r, 9).value) == ("Equality Officer", "Due 2021-07-01")
    md = run("report", "assessment", ws, "--year", "2020-21", "--layout", "columns").stdout
    assert (
        "| Write a reasonable adjustments statement into the equality policy | Equality Officer | Due 2021-07-01 |"
        in md
    )

    empty = make_ws(tmp_path / "e")
    book = _workbook(empty, tmp_path)
    plan = book["Action plan"]
    assert plan.cell(1, 1).value == "Action plan" and plan.cell(2, 1).value == "No actions recorded."
    for fmt in ("md", "html"):
        assert "No actions recorded." in run("report", "assessment", empty, *ARGS, "-f", fmt).stdout
        annual = run("report", "annual", empty, *ARGS, "-f", fmt).stdout
        assert "No actions recorded." in annual and "every provision is met" not in annual


def test_a_template_written_for_the_earlier_macros_still_renders(tmp_path: Path) -> None:
    """A workspace that copied the self-assessment templates hcode shipped before its reports had
    a layout (they import ``_macros.*.j2``) gets the same tables, action plan and notes."""
    from conftest import ROOT

    ws = copy_example(tmp_path / "ws")
    (ws / "templates").mkdir()
    for fmt in ("md", "html"):
        old = (ROOT / "tests/data/templates" / f"assessment.{fmt}.j2").read_text("utf-8")
        (ws / "templates" / f"assessment.{fmt}.j2").write_text(
            old.replace("self-assessment", "self-assessment (ours)", 1)
        )
    plain = copy_example(tmp_path / "plain")
    for layout in ("table", "columns"):
        md = run("report", "assessment", ws, *ARGS, "--layout", layout)
        assert md.exit_code == 0, md.stderr
        shipped = run("report", "assessment", plain, *ARGS, "--layout", layout).stdout
        assert md.stdout.startswith("# Complaint Handling Code self-assessment (ours) 2024-25")
        for line in shipped.splitlines():
            if line.startswith(("|", "## ")):
                assert line in md.stdout, (layout, line)
    html = run("report", "assessment", ws, *ARGS, "-f", "html")
    assert html.exit_code == 0, html.stderr
    assert '<h2 id="section-6">Section 6: Complaint stages</h2>' in html.stdout
    assert '<h2 id="action-plan">Action plan</h2>\n<table class="cards" aria-labelledby="action-plan">' in html.stdout
    assert html.stdout.count('<h2 id="action-plan">') == 1
