"""The self-assessment report: a typed result from the use case, laid out once, walked by every
format; a workspace's own template still renders it."""

from __future__ import annotations

from pathlib import Path

from conftest import copy_example, run
from hcode.api.reports import assessment_report
from hcode.api.workspace import OpenWorkspace, open_store
from hcode.core.assessmentform import AssessmentForm, FormAction, FormRow

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
