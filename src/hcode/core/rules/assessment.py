"""Self-assessment rules (the Code's Appendix A form and 8.1 / 8.2).

* ``assessment.complete`` (error): every provision the Code marks as assessed is answered yes
  or no in each self-assessment.
* ``assessment.unknown`` (error): an answer names a provision the edition the file names
  (``code:``) does not have: under ``code: hoc-2020`` an answer keyed ``5.1`` is the 2020
  questionnaire's question 5.1, and ``9.1`` is not a question of that form.
* ``assessment.code`` (error): the file's ``code:`` names an edition hcode does not know (the
  message lists the known ones), or the workspace's copy of it cannot be read; its answers are
  not checked until it is fixed.
* ``assessment.not-applicable`` (error): an answer is N/A where the edition's form does not
  allow it (the 2024 and 2022 forms are Yes/No), or is N/A with no commentary saying why the
  provision does not apply (the 2020 questionnaire allows N/A) and no evidence referring to a
  note that does ("Please see Note 1").
* ``assessment.edition`` (error): the assessment's reporting year ended before the edition it
  names took effect, and it was completed before then too (a 2021-22 self-assessment completed
  in March 2022 cannot be against the 2022 Code; one completed in June 2022 may be, because it
  assesses the landlord's practice against the Code then in force).
* ``assessment.review`` (warning): an answer carried from an earlier year's form by
  ``hcode assessment migrate`` that has not been reviewed yet (its ``review:`` line is still
  there).
* ``assessment.action-plan`` (error): a ``comply: no`` (or ``partly``) answer needs at least one action with an
  owner and a due date: the Ombudsman requires an explanation and the date by which the
  landlord will comply.
* ``assessment.evidence`` (warning): a ``comply: yes`` answer with no evidence; the form asks
  for every statement to be supported by evidence.
* ``assessment.action-overdue`` (warning): an action past its due date and not done (an action
  due in a month is overdue after the month's last day).
* ``assessment.action-date`` (warning): an action due in a month (``2021-12``) or ``tbc``: the
  landlord needs a day it can be held to.
* ``annual-self-assessment`` (8.1, error): the newest self-assessment was completed more than 12 months before
  ``--as-of``, is not marked completed, or there is none; or this reporting year's
  self-assessment names an edition that has been replaced (8.1 requires assessment against
  the Code in force).
* ``governing-body-approval`` (8.2, warning): the newest self-assessment has not been approved by the governing body.
* ``assessment.action-provision`` (error): an action names a provision the Code does not have
  (or does not assess) in ``provisions: [...]``.
* ``assessment.note-unknown`` (warning): a text refers to a note (``see note 7``) that the
  self-assessment's ``notes:`` does not have.

A ``no`` answer is planned by an action under the answer or by an action of the assessment's
own ``actions:`` list that names the provision in ``provisions: [...]``, open or done.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from hcode.core.editions import AssessmentEditions, Editions, Unusable, assessed_on
from hcode.core.model import Action, Answer, Assessment, Code, Finding, Path, Unanswered
from hcode.core.richtext import note_refs
from hcode.core.rules.context import Context
from hcode.core.rules.spec import Example, Rule
from hcode.core.text import shorten
from hcode.core.years import ReportingYear, add_months, month_end, year_containing

_FILE = "assessments/2024-25.yaml"
_AS_OF = date(2025, 7, 31)
_FORM = """\
code: hoc-2024
year: 2024-25
completed: 2025-06-14
approved: {{by: Board, date: 2025-06-26}}
provisions:
{answers}"""
_PLAN = (
    '  "6.14":\n    comply: no\n    actions:\n      - action: Pre-book monthly panel slots\n'
    "        owner: Complaints Manager\n"
)
_YES = '  "1.2":\n    comply: yes\n    evidence: [Complaints Policy section 2.1]\n'
_SHARED = (
    "actions:\n  - action: Review the complaints policy\n    provisions: {provisions}\n"
    "    owner: Complaints Manager\n    due: 2025-09-30\n"
)


_FILE_2020 = "assessments/2020-21.yaml"
_AS_OF_2020 = date(2021, 7, 31)
_FORM_2020 = """\
code: hoc-2020
year: 2020-21
completed: 2021-06-10
approved: {{by: Housing Committee, date: 2021-06-24}}
provisions:
{answers}"""


def _example(text: str, note: str = "") -> Example:
    return Example(text, file=_FILE, as_of=_AS_OF, note=note)


RULES = (
    Rule(
        name="assessment.complete",
        summary="a provision not answered yes or no",
        severities=("error",),
        passing=(
            Example(
                "",
                file="",
                as_of=_AS_OF,
                base="example",
                note="the bundled example workspace as it is: its 2024-25 self-assessment answers every provision",
            ),
        ),
        failing=(_example(_FORM.format(answers=_YES), "only provision 1.2 is answered"),),
    ),
    Rule(
        name="assessment.unknown",
        summary="an answer for a provision the Code does not have (or does not assess)",
        severities=("error",),
        passing=(_example(_FORM.format(answers=_YES)),),
        failing=(
            _example(
                _FORM.format(answers=_YES + '  "9.9":\n    comply: yes\n    evidence: [Annual report]\n'),
                "the 2024 Code has no provision 9.9",
            ),
        ),
    ),
    Rule(
        name="assessment.code",
        summary="the file names a Code edition hcode does not know",
        severities=("error",),
        passing=(_example(_FORM.format(answers=_YES)),),
        failing=(
            _example(_FORM.format(answers=_YES).replace("code: hoc-2024", "code: hoc-2019"), "there is no hoc-2019"),
        ),
    ),
    Rule(
        name="assessment.not-applicable",
        summary="N/A where the form is Yes/No, or N/A with no commentary",
        severities=("error",),
        passing=(
            Example(
                _FORM_2020.format(answers='  "3.4":\n    comply: n/a\n    commentary: Our procedure has two stages.\n'),
                file=_FILE_2020,
                as_of=_AS_OF_2020,
                note="the 2020 questionnaire allows N/A, with a reason",
            ),
        ),
        failing=(
            _example(
                _FORM.format(answers='  "6.14":\n    comply: n/a\n    commentary: The Board hears stage 2.\n'),
                "the 2024 form is Yes/No",
            ),
        ),
    ),
    Rule(
        name="assessment.edition",
        summary="a self-assessment for a year, completed, before the edition it names took effect",
        severities=("error",),
        passing=(_example(_FORM.format(answers=_YES)),),
        failing=(
            Example(
                _FORM_2020.format(answers=_YES).replace("code: hoc-2020", "code: hoc-2022"),
                file=_FILE_2020,
                as_of=_AS_OF_2020,
                note="2020-21 ended on 2021-03-31; the 2022 Code took effect on 2022-04-01",
            ),
        ),
    ),
    Rule(
        name="assessment.review",
        summary="an answer carried from last year's form, not yet reviewed",
        severities=("warning",),
        passing=(_example(_FORM.format(answers=_YES)),),
        failing=(_example(_FORM.format(answers=_YES + "    review: carried from 2023-24 (hoc-2022 1.2)\n")),),
    ),
    Rule(
        name="assessment.action-plan",
        summary='a "no" without an action with an owner and a due date',
        severities=("error",),
        passing=(_example(_FORM.format(answers=_PLAN + "        due: 2025-09-30\n")),),
        failing=(
            _example(_FORM.format(answers='  "6.14":\n    comply: no\n    commentary: The panel meets monthly.\n')),
        ),
    ),
    Rule(
        name="assessment.evidence",
        summary='a "yes" with no evidence',
        severities=("warning",),
        passing=(_example(_FORM.format(answers=_YES)),),
        failing=(_example(_FORM.format(answers='  "1.2":\n    comply: yes\n')),),
    ),
    Rule(
        name="assessment.action-overdue",
        summary="an action past its due date and not done",
        severities=("warning",),
        passing=(_example(_FORM.format(answers=_PLAN + "        due: 2025-05-30\n        done: 2025-05-21\n")),),
        failing=(
            _example(
                _FORM.format(answers=_PLAN + "        due: 2025-05-30\n"),
                "checked as on 31 July 2025",
            ),
        ),
    ),
    Rule(
        name="assessment.action-date",
        summary="an action due in a month or tbc rather than on a day",
        severities=("warning",),
        passing=(_example(_FORM.format(answers=_PLAN + "        due: 2025-09-30\n")),),
        failing=(
            _example(
                _FORM.format(answers=_PLAN + "        due: tbc\n"),
                "due is to be confirmed",
            ),
        ),
    ),
    Rule(
        name="assessment.action-provision",
        summary="an action names a provision the Code does not have",
        severities=("error",),
        passing=(_example(_FORM.format(answers=_YES) + _SHARED.format(provisions="[1.2, 6.14]")),),
        failing=(
            _example(
                _FORM.format(answers=_YES) + _SHARED.format(provisions="[1.2, 9.9]"),
                "the 2024 Code has no provision 9.9",
            ),
        ),
    ),
    Rule(
        name="assessment.note-unknown",
        summary="a reference to a note the self-assessment does not have",
        severities=("warning",),
        passing=(
            _example(
                _FORM.format(answers='  "1.2":\n    comply: yes\n    evidence: [Please see note 1]\n')
                + "notes:\n  1: The policy was rewritten in March 2025.\n"
            ),
        ),
        failing=(
            _example(
                _FORM.format(answers='  "1.2":\n    comply: yes\n    evidence: [Please see note 7]\n')
                + "notes:\n  1: The policy was rewritten in March 2025.\n",
                "there is no note 7",
            ),
        ),
    ),
    Rule(
        name="annual-self-assessment",
        summary="no self-assessment, not completed, or completed more than 12 months ago",
        severities=("error",),
        refs=(("check", "annual-self-assessment", None),),
        passing=(_example(_FORM.format(answers=_YES)),),
        failing=(_example(_FORM.format(answers=_YES).replace("completed: 2025-06-14\n", "")),),
    ),
    Rule(
        name="governing-body-approval",
        summary="self-assessment not approved by the governing body",
        severities=("warning",),
        refs=(("check", "governing-body-approval", None),),
        passing=(_example(_FORM.format(answers=_YES)),),
        failing=(_example(_FORM.format(answers=_YES).replace("approved: {by: Board, date: 2025-06-26}\n", "")),),
    ),
)


def _finding(
    a: Assessment,
    rule: str,
    severity: str,
    message: str,
    path: tuple[str | int, ...],
    *,
    key: bool = False,
    hint: str | None = None,
    due: object = None,
    unanswered: Unanswered | None = None,
) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,  # type: ignore[arg-type]
        subject=a.year,
        message=message,
        file=a.file,
        path=path,
        key=key,
        hint=hint,
        due=due,  # type: ignore[arg-type]
        unanswered=unanswered,
    )


# Added to each unanswered provision's message while no provision has an answer at all, so that
# text output can say what it is ("self-assessment not started: 72 provisions to answer").
NOT_STARTED = "self-assessment not started"


def _noun(code: Code) -> str:
    return "question" if code.form.layout == "questionnaire" else "provision"


def _year_end(a: Assessment, ctx: Context) -> date:
    """The last day of the assessment's reporting year."""
    return ReportingYear(a.start_year).end(ctx.settings.year_start)


def _edition_of(a: Assessment, ctx: Context, eds: AssessmentEditions) -> Code | Finding:
    """The edition whose form the assessment answers (see :meth:`AssessmentEditions.answered`),
    or the finding that says why it cannot be used."""
    found = eds.answered(a.code, assessed_on(a.completed, ctx.as_of), _workspace(ctx))
    if isinstance(found, Unusable):
        return _finding(a, "assessment.code", "error", found.message, ("code",), hint=found.hint)
    return found


def _answers(a: Assessment, code: Code, ctx: Context) -> str:
    """Which form the file answers and why, for hints: its ``code:`` line, or (without one) how
    the edition was chosen (see :meth:`AssessmentEditions.answered`)."""
    if a.code is not None:
        return f"this file answers the {code.code} form (code: {code.code})"
    head = f"this file has no code: line, so it answers the {code.code} form"
    workspace = _workspace(ctx)
    if not workspace.auto:
        return f"{head}, the edition hcode.yaml names"
    done_on = assessed_on(a.completed, ctx.as_of)
    if workspace.in_force(done_on) is None:
        return f"{head}, the earliest edition (none was in force on {done_on})"
    if done_on == a.completed:
        return f"{head}, the edition in force when it was completed ({done_on})"
    return f"{head}, the edition in force on {done_on} (not completed by then)"


def _workspace(ctx: Context) -> Editions:
    """The editions of ``hcode.yaml`` (a context without them: its one edition)."""
    return ctx.editions if ctx.editions is not None else Editions.of([ctx.code], ctx.code.code)


def _edition_findings(a: Assessment, code: Code, ctx: Context, eds: AssessmentEditions) -> Iterator[Finding]:
    end = _year_end(a, ctx)
    done_on = assessed_on(a.completed, ctx.as_of)  # when it assessed itself (or is assessing)
    if end < code.effective and done_on < code.effective:
        # A self-assessment completed once the edition was in force may answer its form even for
        # a year that ended before (the 2022 Code gave landlords until 2022-10-01 to self-assess).
        in_force = eds.in_force(end)
        names = "names" if a.code is not None else "answers (no code: line)"
        yield _finding(
            a,
            "assessment.edition",
            "error",
            f"the {a.year} self-assessment {names} {code.code}, which took effect on {code.effective}, "
            f"after that reporting year ended ({end})",
            ("code",),
            hint=f"use code: {in_force.code}, the edition in force during {a.year}"
            if in_force is not None
            else "use the edition that was in force during that year",
        )
    if a.start_year != year_containing(ctx.as_of, ctx.settings.year_start).first:
        return
    current = eds.in_force(ctx.as_of)
    if current is not None and current.code != code.code and current.effective > code.effective:
        yield _finding(
            a,
            ctx.rule("annual-self-assessment"),
            "error",
            f"this year's self-assessment ({a.year}) answers the {code.code} form, but {code.code} was "
            f"replaced by {current.code} on {current.effective}: "
            "the Code requires assessment against the Code in force",
            ("code",),
            hint=f"answer the {current.code} form (hcode assessment migrate starts it from these answers)",
        )


def _planned(a: Assessment) -> set[str]:
    """The provisions with an action (open or done) that has an owner and a due date."""
    found: set[str] = set()
    for pid, answer in a.answers.items():
        for x in answer.actions:
            if x.owner and x.has_due:
                found.add(pid)
                found.update(x.provisions)
    for x in a.actions:
        if x.owner and x.has_due:
            found.update(x.provisions)
    return found


def _named(a: Assessment, code: Code) -> Iterator[Finding]:
    """Actions naming provisions the Code does not have (or does not assess)."""
    places: list[tuple[Action, Path]] = [
        (x, ("provisions", pid, "actions", i))
        for pid, answer in a.answers.items()
        for i, x in enumerate(answer.actions)
    ]
    places += [(x, ("actions", i)) for i, x in enumerate(a.actions)]
    for action, path in places:
        for j, pid in enumerate(action.provisions):
            provision = code.provisions.get(pid)
            if provision is not None and provision.assessed:
                continue
            why = "has no provision" if provision is None else "does not assess provision"
            yield _finding(
                a,
                "assessment.action-provision",
                "error",
                f"action {shorten(action.action)!r} names provision {pid}, but {code.code} {why} {pid}",
                (*path, "provisions", j),
                hint="check the number (a provision of the Code's self-assessment form)",
            )


def _texts(a: Assessment, noun: str = "provision") -> Iterator[tuple[str, str, Path]]:
    """Every free text of ``a`` that may refer to a note: (where, text, path)."""

    def of_action(where: str, x: Action, path: Path) -> Iterator[tuple[str, str, Path]]:
        yield f"{where}: action", x.action, (*path, "action")
        for k, text in enumerate(x.progress):
            yield f"{where}: progress", text, (*path, "progress", k)

    for pid, answer in a.answers.items():
        base: Path = ("provisions", pid)
        if answer.commentary:
            yield f"{noun} {pid}: commentary", answer.commentary, (*base, "commentary")
        for k, text in enumerate(answer.evidence):
            yield f"{noun} {pid}: evidence", text, (*base, "evidence", k)
        for i, x in enumerate(answer.actions):
            yield from of_action(f"{noun} {pid}", x, (*base, "actions", i))
    for i, x in enumerate(a.actions):
        yield from of_action(f"action {i + 1}", x, ("actions", i))
    for nid, text in a.notes.items():
        yield f"note {nid}", text, ("notes", nid)


def _explained_by_note(a: Assessment, answer: Answer) -> bool:
    """Whether an answer's evidence refers to a note the self-assessment has ("Please see Note
    1"): the note is its reason, as the 2020 form gives it."""
    known = {n.lower() for n in a.notes if a.notes[n].strip()}
    return any(ref.lower() in known for text in answer.evidence for ref in note_refs(text))


def _notes(a: Assessment, noun: str) -> Iterator[Finding]:
    known = {n.lower() for n in a.notes}
    for where, text, path in _texts(a, noun):
        for ref in note_refs(text):
            if ref.lower() not in known:
                have = ", ".join(a.notes) if a.notes else "none"
                yield _finding(
                    a,
                    "assessment.note-unknown",
                    "warning",
                    f"{where} refers to note {ref}, which the self-assessment does not have (notes: {have})",
                    path,
                    hint=f"add the note under notes: (notes:\n  {ref}: TEXT) or correct the reference",
                )


def _one(a: Assessment, ctx: Context, eds: AssessmentEditions) -> Iterator[Finding]:
    edition = _edition_of(a, ctx, eds)
    if isinstance(edition, Finding):
        yield edition
        return
    code = edition
    noun = _noun(code)
    form = code.form
    yield from _edition_findings(a, code, ctx, eds)
    planned = _planned(a)
    yield from _named(a, code)
    yield from _notes(a, noun)
    for i, x in enumerate(a.actions):
        named = ", ".join(x.provisions)
        where = f"{noun}{'s' if len(x.provisions) > 1 else ''} {named}" if named else "action plan"
        yield from _action_dates(a, where, x, ("actions", i), ctx.as_of)
    started = any(answer.answered or answer.commentary for answer in a.answers.values())
    covered = {p.id for s in code.sections if a.covers(s.number) for p in s.provisions} if a.scope else None
    for p in code.assessed:
        if covered is not None and p.id not in covered:
            continue  # a document covering some sections only (scope:) is not asked for the others
        answer = a.answers.get(p.id)
        # a provision listed but blank in a form with no answer at all; one left out is not
        # "not started" (the list itself is wrong)
        blank = Unanswered(p.id, not_started=not started and answer is not None)
        not_started = f" ({NOT_STARTED})" if blank.not_started else ""
        if p.answer == "text":
            if answer is None or not (answer.commentary or answer.evidence or answer.answered):
                yield _finding(
                    a,
                    "assessment.complete",
                    "error",
                    f"{noun} {p.id} is not answered{not_started}",
                    ("provisions", p.id) if answer is not None else ("provisions",),
                    key=True,
                    hint=f'{noun} {p.id} asks for a figure or a description: write it under "{p.id}:" as commentary',
                    unanswered=blank,
                )
            continue
        if answer is None:
            yield _finding(
                a,
                "assessment.complete",
                "error",
                f"{noun} {p.id} is not answered",
                ("provisions",),
                key=True,
                hint=f'add "{p.id}:" with comply: {_choices(code)}, evidence and commentary',
                unanswered=blank,
            )
        elif answer.comply is None and not answer.not_applicable:
            yield _finding(
                a,
                "assessment.complete",
                "error",
                f"{noun} {p.id}: comply is not filled in{not_started}",
                ("provisions", p.id),
                key=True,
                hint=f"write comply: {_choices(code)}",
                unanswered=blank,
            )
    for pid, answer in a.answers.items():
        path = ("provisions", pid)
        provision = code.provisions.get(pid)
        if provision is None or not provision.assessed:
            why = f"has no {noun}" if provision is None else f"does not assess {noun}"
            yield _finding(
                a,
                "assessment.unknown",
                "error",
                f"{code.code} {why} {pid}",
                path,
                key=True,
                hint=f"{_answers(a, code, ctx)}; check the number (quote it if YAML changed it) or the edition",
            )
            continue
        if answer.review:
            yield _finding(
                a,
                "assessment.review",
                "warning",
                f"{noun} {pid}: answer {answer.review}, not yet reviewed",
                (*path, "review"),
                key=True,
                hint="check the answer still holds under this edition's wording, then delete the review: line",
            )
        if answer.not_applicable:
            if not form.allows_na:
                yield _finding(
                    a,
                    "assessment.not-applicable",
                    "error",
                    f"{noun} {pid} is answered N/A, but the {code.code} form is {form.answers_text}",
                    (*path, "comply"),
                    hint="answer yes or no; where the provision cannot apply to you, say why in commentary",
                )
            elif not answer.commentary and not _explained_by_note(a, answer):
                yield _finding(
                    a,
                    "assessment.not-applicable",
                    "error",
                    f"{noun} {pid} is answered N/A with no commentary",
                    (*path, "comply"),
                    hint="say in commentary why it does not apply",
                )
        if answer.comply is False:
            if pid not in planned:
                yield _finding(
                    a,
                    "assessment.action-plan",
                    "error",
                    f"{noun} {pid} is answered {answer.comply_word or 'no'} "
                    "but has no action with an owner and a due date",
                    path,
                    key=True,
                    hint="add actions: with action, owner and due (the date by which you will comply)",
                )
        elif answer.comply is True and not answer.evidence and provision.answer != "text":
            yield _finding(
                a,
                "assessment.evidence",
                "warning",
                f"{noun} {pid} is answered yes with no evidence",
                path,
                key=True,
                hint="add evidence: the document or fact that shows it",
            )
        for i, action in enumerate(answer.actions):
            yield from _action_dates(a, f"{noun} {pid}", action, (*path, "actions", i), ctx.as_of)


def _choices(code: Code) -> str:
    words = [w for w in code.form.answers]
    return ", ".join(words[:-1]) + " or " + words[-1]


def _action_dates(a: Assessment, where: str, action: Action, path: Path, as_of: date) -> Iterator[Finding]:
    what = f"{where}: action {shorten(action.action)!r}"
    if action.due_month is not None or action.due_tbc:
        written = "to be confirmed" if action.due_tbc else "a month, not a day"
        yield _finding(
            a,
            "assessment.action-date",
            "warning",
            f"{what} is due {written}",
            (*path, "due"),
            hint="agree a day it will be done by and write due: YYYY-MM-DD",
        )
    due = action.due or (month_end(*action.due_month) if action.due_month else None)
    if due is not None and not action.is_done and due < as_of:
        yield _finding(
            a,
            "assessment.action-overdue",
            "warning",
            f"{what} was due {action.due or due.strftime('%B %Y')} and is not done",
            (*path, "due"),
            hint="record done: DATE when it is done, or agree a new date",
            due=due,
        )


def check(
    assessments: Sequence[Assessment],
    ctx: Context,
    unreadable: int = 0,
    editions: AssessmentEditions | None = None,
) -> Iterator[Finding]:
    """``editions``: the editions a file's ``code:`` may name (None: the workspace's alone)."""
    if editions is None:
        editions = AssessmentEditions.of(_workspace(ctx))
    annual = ctx.rule("annual-self-assessment")
    approval = ctx.rule("governing-body-approval")
    for a in assessments:
        yield from _one(a, ctx, editions)
    if not assessments:
        if unreadable:
            return  # the broken file has its own findings; judging 8.1 needs it fixed first
        yield Finding(
            rule=annual,
            severity="error",
            subject="self-assessment",
            message="there is no self-assessment: the Code requires one every year",
            file="assessments",
            hint="run 'hcode init' or add assessments/YYYY-YY.yaml",
        )
        return
    newest = max(assessments, key=lambda a: (a.start_year, a.completed or a.approved or ctx.as_of))
    if newest.completed is None:
        yield _finding(
            newest,
            annual,
            "error",
            f"the {newest.year} self-assessment is not marked completed",
            ("completed",),
            key=True,
            hint="add completed: DATE when the self-assessment is finished",
        )
    else:
        limit = add_months(newest.completed, 12)
        if ctx.as_of > limit:
            yield _finding(
                newest,
                annual,
                "error",
                f"the newest self-assessment ({newest.year}) was completed on "
                f"{newest.completed}, more than 12 months before {ctx.as_of}",
                ("completed",),
                hint="carry out this year's self-assessment",
                due=limit,
            )
    if newest.approved is None:
        yield _finding(
            newest,
            approval,
            "warning",
            f"the {newest.year} self-assessment is not recorded as approved by the governing body",
            ("approved",) if newest.completed else (),
            key=True,
            hint="add approved: {by: Board, date: DATE}",
        )
