"""The self-assessment laid out once (:mod:`hcode.render.layout`), from its typed form
(:class:`~hcode.core.assessmentform.AssessmentForm`): the form's sections as the edition sets
them out (Appendix A, the 2022 must/should table, the 2020 questionnaire), the action plan and
the notes. Markdown, HTML and Excel walk what :func:`assessment_layout` returns, and the annual
report carries the same sections as its appendix (:func:`appendix`). A new column of the form is
one entry in :func:`form_columns`; a new row, one more row in :func:`_section`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from hcode.core.assessmentform import (
    AssessmentForm,
    FormAction,
    FormCode,
    FormKind,
    FormNote,
    FormRow,
    FormSection,
    note_anchor,
)
from hcode.render.figuretext import scope_text
from hcode.render.layout import (
    Act,
    Block,
    Cell,
    Column,
    Date,
    Items,
    Layout,
    Note,
    Paragraph,
    Paras,
    Rich,
    Row,
    Section,
    Span,
    Spanned,
    Table,
    Text,
    Tick,
)


@dataclass(frozen=True, slots=True)
class FormColumn:
    """A column of the form and how a row fills it."""

    column: Column
    cell: Callable[[FormRow], Cell]


def _tick(word: str) -> Callable[[FormRow], Cell]:
    def cell(row: FormRow) -> Cell:
        return Tick(word) if row.comply == word else Text("")

    return cell


def _notes(form: AssessmentForm) -> tuple[str, ...]:
    return tuple(form.note_ids)


def form_columns(form: AssessmentForm) -> list[FormColumn]:
    """The form's columns after the provision's number, as the edition's form has them: the
    questionnaire's Yes, No and N/A (a tick in the one answered) and Notes, or the table's Code
    requirement, Comply, Evidence and Commentary."""
    notes = _notes(form)
    if form.form.layout == "questionnaire":
        ticks = [FormColumn(Column(word, card=True, width=6), _tick(word)) for word in ("Yes", "No", "N/A")]
        return [
            FormColumn(Column("Question", card=True, width=90), lambda r: Rich(r.requirement, plain=True)),
            *ticks,
            FormColumn(
                Column("Notes", card=True, width=60),
                lambda r: Items(r.evidence, r.commentary, "" if r.comply else "Not answered", notes),
            ),
        ]
    return [
        FormColumn(Column("Code requirement", card=True, width=100), lambda r: Rich(r.requirement, plain=True)),
        FormColumn(Column("Comply: Yes / No", card=True, width=9), lambda r: Text(r.comply or "Not answered")),
        FormColumn(Column("Evidence", card=True, width=32), lambda r: Items(r.evidence, notes=notes)),
        FormColumn(Column("Commentary / explanation", card=True, width=40), lambda r: Rich(r.commentary, notes)),
    ]


def _action_cells(a: FormAction | None, notes: tuple[str, ...]) -> tuple[Cell, ...]:
    """An action's cells in the columns layout: what, who, and when done (else when due)."""
    if a is None:
        return (Text(""), Text(""), Text(""))
    also = a.provisions if len(a.provisions) > 1 else ()
    when: Cell = Date(a.done) if a.done else Text(a.completion)
    return (Act(a.action, also, a.progress, notes), Text(a.owner or ""), when)


#: The row header of an action naming no provision (a header cell is never empty).
NO_PROVISION = "No provision"

_ACTION_COLUMNS = (
    Column("Action required", card=True, width=50),
    Column("Action owner", card=True, width=24),
    Column("Completion date", card=True, width=16),
)


def _section(form: AssessmentForm, s: FormSection, level: int, prefix: str) -> Section:
    """A section of the Code: its heading, "not confirmed" where its text is not, and its table
    (a row per provision; a sub-heading row where a group starts; in the columns layout a row
    more for each further action of a provision)."""
    notes = _notes(form)
    shape = form_columns(form)
    number = "Number" if form.form.layout == "questionnaire" else "Code provision"
    columns = (Column(number, width=9), *(c.column for c in shape))
    if form.columns:
        columns += _ACTION_COLUMNS
    rows: list[Row] = []
    for r in s.rows:
        if r.group and form.form.layout != "questionnaire":
            rows.append(Row(Text(""), (Text(r.group), *[Text("")] * (len(columns) - 2)), group=True))
        cells = tuple(c.cell(r) for c in shape)
        if not form.columns:
            rows.append(Row(Text(r.id), cells))
            continue
        rows.append(Row(Text(r.id), (*cells, *_action_cells(r.actions[0] if r.actions else None, notes))))
        for a in r.actions[1:]:
            rows.append(Row(Spanned(), (*[Spanned()] * len(cells), *_action_cells(a, notes))))
    blocks: list[Block] = []
    if s.note:
        blocks.append(Paragraph((Span(f"Not confirmed: {s.note}"),), box="note"))
    if rows:
        css = "questionnaire cards" if form.form.layout == "questionnaire" else "columns" if form.columns else "cards"
        wrap = form.columns and form.form.layout != "questionnaire"
        blocks.append(Table(f"section-{s.number}", columns, tuple(rows), css=css, form=True, wrap=wrap))
    return Section(
        f"section-{s.number}",
        f"Section {s.number}: {s.title}",
        tuple(blocks),
        f"{prefix}section-{s.number}",
        "Self-assessment",
        level=level,
        tight=True,
    )


def _action_plan(form: AssessmentForm, level: int) -> Section | None:
    """The action plan (in the columns layout: the actions for no provision shown, if any)."""
    notes = _notes(form)
    if form.columns and not form.actions:
        return None
    progress = any(a.progress for a in form.actions)
    columns = (
        Column("Code provision", width=14),
        Column("Action", card=True, width=60),
        Column("Owner", card=True, width=28),
        Column("Due", card=True, width=12),
        Column("Done", card=True, width=12),
        *((Column("Notes on progress", card=True, width=50),) if progress else ()),
    )
    rows = tuple(
        Row(
            Text(a.provision or NO_PROVISION),
            (
                Rich(a.action, notes),
                Text(a.owner or ""),
                Date(a.due) if a.due else Text(""),
                Date(a.done) if a.done else Text("open"),
                *((Paras(a.progress, notes),) if progress else ()),
            ),
        )
        for a in form.actions
    )
    blocks: tuple[Block, ...]
    if rows:
        blocks = (Table("action-plan", columns, rows, css="cards", form=False, wrap=False),)
    else:
        if form.section is not None:
            said = "No action names a provision of this section."
        elif form.all_met:
            said = "No actions: every provision is met."
        else:
            said = "No actions recorded."
        blocks = (Paragraph((Span(said),)),)
    title = "Actions for no single provision" if form.columns else "Action plan"
    return Section("action-plan", title, blocks, "action-plan", "Action plan", level=level, tight=True, gap=True)


def _notes_section(form: AssessmentForm, level: int) -> Section | None:
    if not form.notes:
        return None
    notes = _notes(form)
    blocks = tuple(Note(n.id, n.text, n.anchor, notes) for n in form.notes)
    return Section("notes", "Notes", blocks, "", "Notes", level=level, css="notes", tight=True)


def _lead(form: AssessmentForm) -> tuple[Block, ...]:
    """Who, and what the form is: unrecorded, judged by a modified Code, the form's edition where
    it is not Appendix A, when completed and approved, the sections it covers."""
    year = form.year
    out: list[Block] = [Paragraph((Span(form.landlord, "strong"),))]
    if form.missing:
        out.append(
            Paragraph(
                (
                    Span(f"No self-assessment has been recorded for {year}.", "strong"),
                    Span(" The tables list the Code's provisions to be assessed (record the answers in "),
                    Span(f"assessments/{year}.yaml", "code"),
                    Span(")."),
                ),
                box="placeholder",
            )
        )
    out += [Paragraph((Span(said, "strong"),), box="provisional", note=True) for said in form.modified_code]
    if form.form.layout != "appendix-a":
        kind = form.form
        out.append(Paragraph((Span(f"Form: {kind.title} ({form.code.code}), answered {kind.answers}."),)))
    said = []
    if form.completed:
        said.append(f"Completed: {form.completed}.")
    if form.approved or form.approved_by:
        by = f" ({form.approved_by})" if form.approved_by else ""
        on = f": {form.approved}" if form.approved else ""
        said.append(f"Approved by the governing body{by}{on}.")
    if said:
        out.append(Paragraph((Span(" ".join(said)),)))
    if form.scope:
        out.append(Paragraph((Span(scope_text(form.scope)),)))
    if form.section is not None:
        out.append(Paragraph((Span(f"This is section {form.section} of the self-assessment alone."),)))
    return tuple(out)


def _parts(form: AssessmentForm, level: int, prefix: str) -> list[Section]:
    sections = [_section(form, s, level, prefix) for s in form.sections]
    plan = _action_plan(form, level)
    notes = _notes_section(form, level)
    return [*sections, *([plan] if plan else []), *([notes] if notes else [])]


def title(form: AssessmentForm) -> str:
    part = f": section {form.section}" if form.section is not None else ""
    return f"Complaint Handling Code self-assessment {form.year}{part}"


def assessment_layout(form: AssessmentForm) -> Layout:
    """The self-assessment report: the title and what it is, a section per section of the Code,
    the action plan, the notes, and the Code's source at the foot."""
    code = form.code
    footer = [Span(f"Code text: {code.attribution}.")]
    if code.source:
        footer += [Span(" Source: "), Span(code.source, "rich"), Span(".")]
    return Layout(
        title(form),
        _lead(form),
        tuple(_parts(form, 2, "")),
        footer=tuple(footer),
        tight=True,
    )


def appendix(form: AssessmentForm) -> tuple[Section, ...]:
    """The self-assessment as the annual report's appendix (its headings a level down)."""
    lead: tuple[Block, ...] = (Paragraph((Span(scope_text(form.scope)),)),) if form.scope else ()
    head = Section("appendix", "Appendix: self-assessment against the Code", lead, sheet="-")
    return (head, *_parts(form, 3, "appendix-"))


# -- the parts a workspace template written for the earlier macros asks for --------------------------


def part(
    kind: str,
    value: Any,
    note_ids: Sequence[str] = (),
    *,
    level: int = 2,
    columns: bool = False,
    form: FormKind | None = None,
    empty: str = "",
    prefix: str = "",
) -> Layout:
    """One part of the self-assessment laid out alone (``kind``: the ``sections``' tables, the
    action ``plan`` or the ``notes``), for a workspace's own template that calls the macros hcode
    shipped before its reports had a layout (``_macros.md.j2``, ``_macros.html.j2``)."""
    notes = tuple(value) if kind == "notes" else tuple(FormNote(i, "", note_anchor(i)) for i in note_ids)
    shape = AssessmentForm(
        landlord="",
        year="",
        code=FormCode("", "", None, None),
        form=form or FormKind("appendix-a", None, "", False),
        completed=None,
        approved=None,
        approved_by=None,
        missing=False,
        section=None,
        layout="columns" if columns else "table",
        sections=tuple(value) if kind == "sections" else (),
        actions=tuple(value) if kind == "plan" else (),
        notes=notes,
        all_met=True,
        scope=(),
        modified_code=(),
    )
    sections: list[Section] = []
    if kind == "sections":
        sections = [_section(shape, s, level, prefix) for s in shape.sections]
    elif kind == "plan":
        plan = _action_plan(replace(shape, layout="table"), level)
        if plan is not None and empty and not any(isinstance(b, Table) for b in plan.blocks):
            plan = replace(plan, blocks=(Paragraph((Span(empty),)),))
        sections = [replace(plan, title="", gap=False)] if plan is not None else []  # the template heads it
    elif kind == "notes":
        sections = [s for s in (_notes_section(shape, level),) if s is not None]
    return Layout("", (), tuple(sections), tight=True)


def action_cell(action: FormAction | None, note_ids: Sequence[str] = ()) -> Cell:
    """An action as its cell in the columns layout (None: an empty cell)."""
    return _action_cells(action, tuple(note_ids))[0]
