"""A year's self-assessment as published: the rows of the edition's own form, each answered as
recorded, the action plan and the notes, as typed values (:class:`AssessmentForm`).

Every format of ``hcode report assessment`` and the annual report's appendix are laid out from
this one value (:mod:`hcode.render.assessmentlayout`). It holds nothing personal: the Code's
text and what the landlord wrote to publish.

Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hcode.core.model import Action, Answer, Assessment, Code, Provision, Section
from hcode.core.richtext import note_refs

#: The 2022 form's headings over its "must" rows and its "should" rows.
LEVELS = {"must": "Mandatory 'must' requirements", "should": "Best practice 'should' requirements"}


def due_text(a: Action) -> str | None:
    """An action's due date as the landlord wrote it: a day, "December 2021", "to be confirmed"."""
    if a.due is not None:
        return a.due.isoformat()
    if a.due_month is not None:
        return date(a.due_month[0], a.due_month[1], 1).strftime("%B %Y")
    return "to be confirmed" if a.due_tbc else None


def done_text(a: Action) -> str | None:
    """When an action was done: a day, or the word written ("Complete") when done with no date."""
    return a.done.isoformat() if a.done is not None else a.done_word


def note_anchor(ref: str) -> str:
    """The anchor of note ``ref`` in HTML and Markdown reports: ``note-1``."""
    return "note-" + re.sub(r"[^A-Za-z0-9_-]", "-", ref)


@dataclass(frozen=True, slots=True)
class FormAction:
    """An action: the provisions it is for (``provision``: them in words), what, who, when due
    and done as written, its notes on progress; ``completion``: the columns layout's "Completion
    date" (when done, else when due, else "Open")."""

    provision: str
    provisions: tuple[str, ...]
    action: str
    owner: str | None
    due: str | None
    done: str | None
    progress: tuple[str, ...]
    completion: str


@dataclass(frozen=True, slots=True)
class FormRow:
    """A provision's row: its number, the Code's requirement, the answer in the form's words
    (Yes, No, N/A, a word the landlord wrote; None: not answered), the evidence and commentary;
    ``group``: the sub-heading that starts here ("Stage 1"); ``actions``: those naming it."""

    id: str
    requirement: str
    comply: str | None
    evidence: tuple[str, ...]
    commentary: str | None
    group: str | None
    level: str | None
    text_answer: bool
    actions: tuple[FormAction, ...]


@dataclass(frozen=True, slots=True)
class FormSection:
    """A section of the Code and its rows; ``note``: why its text is not confirmed."""

    number: int
    title: str
    rows: tuple[FormRow, ...]
    note: str | None


@dataclass(frozen=True, slots=True)
class FormNote:
    """A note of the self-assessment ("see note 1" links to ``anchor``)."""

    id: str
    text: str
    anchor: str


@dataclass(frozen=True, slots=True)
class FormCode:
    """The edition answered: its name, title, where its text comes from and whose it is."""

    code: str
    title: str
    source: str | None
    attribution: str | None


@dataclass(frozen=True, slots=True)
class FormKind:
    """The edition's form: ``layout`` appendix-a (2024), must-should (2022) or questionnaire
    (2020); its title, how it is answered, and whether N/A is an answer."""

    layout: str
    title: str | None
    answers: str
    na: bool


@dataclass(frozen=True)
class AssessmentForm:
    """The self-assessment as published. ``section``: only that section of the Code (and the
    actions and notes its rows need); ``layout`` "columns": each provision's actions on its row
    (``actions`` then lists only the actions naming no provision shown). ``missing``: no
    self-assessment is recorded for the year (the form lists what is to be assessed);
    ``all_met``: every row shown is answered yes or N/A; ``modified_code``: what is said when
    the edition is not the official Code."""

    landlord: str
    year: str
    code: FormCode
    form: FormKind
    completed: str | None
    approved: str | None
    approved_by: str | None
    missing: bool
    section: int | None
    layout: str
    sections: tuple[FormSection, ...]
    actions: tuple[FormAction, ...]
    notes: tuple[FormNote, ...]
    all_met: bool
    scope: tuple[str, ...]
    modified_code: tuple[str, ...]
    #: the files left out (``--skip-broken``): file, line, problem
    left_out: tuple[dict[str, Any], ...] = field(default=())

    @property
    def note_ids(self) -> list[str]:
        return [n.id for n in self.notes]

    @property
    def columns(self) -> bool:
        return self.layout == "columns"

    def template_context(self) -> dict[str, Any]:
        """The names a workspace's own template reads (each a field, and ``note_ids``)."""
        from dataclasses import fields

        return {**{f.name: getattr(self, f.name) for f in fields(self)}, "note_ids": self.note_ids}


def _comply_text(answer: Answer | None) -> str | None:
    if answer is None:
        return None
    if answer.not_applicable:
        return "N/A"
    if answer.comply_word:
        return answer.comply_word[:1].upper() + answer.comply_word[1:]
    return None if answer.comply is None else ("Yes" if answer.comply else "No")


def _form_rows(section: Section, layout: str) -> list[Provision]:
    """The rows of a section in the form's order: the 2022 form lists its "must" rows, then its
    "should" rows; the other forms follow the Code's numbering."""
    rows = [p for p in section.provisions if p.assessed]
    if layout == "must-should":
        rows.sort(key=lambda p: 0 if p.level == "must" else 1)
    return rows


def _action(a: Action, provisions: Sequence[str]) -> FormAction:
    return FormAction(
        provision="; ".join(provisions),
        provisions=tuple(provisions),
        action=a.action,
        owner=a.owner,
        due=due_text(a),
        done=done_text(a),
        progress=tuple(a.progress),
        completion=done_text(a) or (f"Due {due_text(a)}" if a.has_due else "Open"),
    )


def _completed_text(assessment: Assessment | None) -> str | None:
    """When it was completed, as recorded: a day (2024-06-14), or a month (June 2024)."""
    if assessment is None or assessment.completed is None:
        return None
    if assessment.completed_month is not None:
        return assessment.completed.strftime("%B %Y")
    return assessment.completed.isoformat()


def _all_met(sections: Sequence[FormSection]) -> bool:
    """Every row shown answered yes (or N/A): only then may an empty action plan say so."""
    rows = [row for s in sections for row in s.rows]
    return bool(rows) and all(row.comply in ("Yes", "N/A") for row in rows)


def _notes_used(assessment: Assessment, sections: Sequence[FormSection], plan: Sequence[FormAction]) -> dict[str, str]:
    """The notes that the shown rows and actions refer to (and the notes those notes refer to)."""
    texts: list[str] = []
    for s in sections:
        for row in s.rows:
            texts += [row.commentary or "", *row.evidence]
            for a in row.actions:
                texts += [a.action, *a.progress]
    for a in plan:
        texts += [a.action, *a.progress]
    by_key = {k.lower(): k for k in assessment.notes}
    wanted: list[str] = []
    while texts:
        for ref in note_refs(texts.pop(0)):
            key = by_key.get(ref.lower())
            if key is not None and key not in wanted:
                wanted.append(key)
                texts.append(assessment.notes[key])
    return {k: v for k, v in assessment.notes.items() if k in wanted}


def assessment_form(
    assessment: Assessment | None,
    code: Code,
    landlord: str,
    year: str,
    *,
    section: int | None = None,
    layout: str = "table",
    modified: Sequence[str] = (),
) -> AssessmentForm:
    """The self-assessment on the form of ``code`` (Appendix A for 2024, the must/should table
    for 2022, "must" rows then "should" rows under their own headings, the questionnaire for
    2020); ``assessment`` None: the form unanswered."""
    form_layout = code.form.layout
    per_provision: dict[str, list[FormAction]] = {}
    plan: list[FormAction] = []
    shown: set[str] = set()
    for s in code.sections:
        if section is None or s.number == section:
            shown.update(p.id for p in s.provisions if p.assessed)
    if assessment is not None:
        for s in code.sections:
            for p in s.provisions:
                answer = assessment.answers.get(p.id)
                for a in answer.actions if answer and p.assessed else ():
                    names = [p.id, *(x for x in a.provisions if x != p.id)]
                    row = _action(a, names)
                    if any(n in shown for n in names):
                        plan.append(row)
                    for n in names:
                        per_provision.setdefault(n, []).append(row)
        for a in assessment.actions:
            row = _action(a, a.provisions)
            if section is None or any(n in shown for n in a.provisions):
                plan.append(row)
            for n in a.provisions:
                per_provision.setdefault(n, []).append(row)
    sections: list[FormSection] = []
    for s in code.sections:
        if section is not None and s.number != section:
            continue
        if assessment is not None and not assessment.covers(s.number):
            continue  # the document covers some sections only (scope:)
        rows: list[FormRow] = []
        group: str | None = None
        for p in _form_rows(s, form_layout):
            heading = p.group
            if form_layout == "must-should" and p.level in LEVELS:
                heading = LEVELS[p.level] + (f" ({p.group})" if p.group else "")
            starts = heading if heading and heading != group else None  # "Stage 1": a sub-heading
            group = heading
            answer = assessment.answers.get(p.id) if assessment else None
            rows.append(
                FormRow(
                    id=p.id,
                    requirement=p.text,
                    comply=_comply_text(answer),
                    evidence=tuple(answer.evidence) if answer else (),
                    commentary=answer.commentary if answer else None,
                    group=starts,
                    level=p.level,
                    text_answer=p.answer == "text",
                    actions=tuple(per_provision.get(p.id, [])),
                )
            )
        if rows or s.unconfirmed:
            sections.append(FormSection(s.number, s.title, tuple(rows), s.unconfirmed))
    notes = dict(assessment.notes) if assessment else {}
    if section is not None and assessment is not None:
        notes = _notes_used(assessment, sections, plan)
    columns = layout == "columns"
    return AssessmentForm(
        landlord=landlord,
        year=year,
        code=FormCode(code.code, code.title, code.source, code.attribution),
        form=FormKind(code.form.layout, code.form.title, code.form.answers_text, code.form.allows_na),
        completed=_completed_text(assessment),
        approved=assessment.approved.isoformat() if assessment and assessment.approved else None,
        approved_by=assessment.approved_by if assessment else None,
        missing=assessment is None,
        section=section,
        layout=layout,
        sections=tuple(sections),
        # in the columns layout the action plan keeps only the actions no row shows (those naming
        # no provision, or only provisions the form does not assess, such as 1.1)
        actions=tuple(a for a in plan if not any(n in shown for n in a.provisions)) if columns else tuple(plan),
        notes=tuple(FormNote(k, v, note_anchor(k)) for k, v in notes.items()),
        all_met=_all_met(sections),
        scope=tuple(assessment.scope) if assessment else (),
        modified_code=tuple(modified),
    )
