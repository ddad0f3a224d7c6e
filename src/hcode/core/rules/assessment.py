"""Self-assessment rules (the Code's Appendix A form and 8.1 / 8.2).

* ``assessment.complete`` (error): every provision the Code marks as assessed is answered yes
  or no in each self-assessment.
* ``assessment.unknown`` (error): an answer names a provision the Code does not have.
* ``assessment.action-plan`` (error): a ``comply: no`` answer needs at least one action with an
  owner and a due date: the Ombudsman requires an explanation and the date by which the
  landlord will comply.
* ``assessment.evidence`` (warning): a ``comply: yes`` answer with no evidence; the form asks
  for every statement to be supported by evidence.
* ``assessment.action-overdue`` (warning): an action past its due date and not done (an action
  due in a month is overdue after the month's last day).
* ``assessment.action-date`` (warning): an action due in a month (``2021-12``) or ``tbc``: the
  landlord needs a day it can be held to.
* ``annual-self-assessment`` (8.1, error): the newest self-assessment was completed more than 12 months before
  ``--as-of``, is not marked completed, or there is none.
* ``governing-body-approval`` (8.2, warning): the newest self-assessment has not been approved by the governing body.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from hcode.core.model import Action, Assessment, Finding, Path
from hcode.core.rules import Context
from hcode.core.rules.refusals import add_months
from hcode.core.rules.spec import Example, Rule
from hcode.core.text import shorten

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
    )


# Added to each unanswered provision's message while no provision has an answer at all, so that
# text output can say what it is ("self-assessment not started: 72 provisions to answer").
NOT_STARTED = "self-assessment not started"


def _one(a: Assessment, ctx: Context) -> Iterator[Finding]:
    code = ctx.code
    started = any(answer.comply is not None for answer in a.answers.values())
    for p in code.assessed:
        answer = a.answers.get(p.id)
        if answer is None:
            yield _finding(
                a,
                "assessment.complete",
                "error",
                f"provision {p.id} is not answered",
                ("provisions",),
                key=True,
                hint=f'add "{p.id}:" with comply: yes or no, evidence and commentary',
            )
        elif answer.comply is None:
            yield _finding(
                a,
                "assessment.complete",
                "error",
                f"provision {p.id}: comply is not filled in" + ("" if started else f" ({NOT_STARTED})"),
                ("provisions", p.id),
                key=True,
                hint="write comply: yes or comply: no",
            )
    for pid, answer in a.answers.items():
        path = ("provisions", pid)
        provision = code.provisions.get(pid)
        if provision is None or not provision.assessed:
            why = "has no provision" if provision is None else "does not assess provision"
            yield _finding(
                a,
                "assessment.unknown",
                "error",
                f"{code.code} {why} {pid}",
                path,
                key=True,
                hint="check the number (quote it if YAML changed it)",
            )
            continue
        if answer.comply is False:
            planned = [x for x in answer.actions if x.owner and x.has_due]
            if not planned:
                yield _finding(
                    a,
                    "assessment.action-plan",
                    "error",
                    f"provision {pid} is answered no but has no action with an owner and a due date",
                    path,
                    key=True,
                    hint="add actions: with action, owner and due (the date by which you will comply)",
                )
        elif answer.comply is True and not answer.evidence:
            yield _finding(
                a,
                "assessment.evidence",
                "warning",
                f"provision {pid} is answered yes with no evidence",
                path,
                key=True,
                hint="add evidence: the document or fact that shows it",
            )
        for i, action in enumerate(answer.actions):
            yield from _action_dates(a, f"provision {pid}", action, (*path, "actions", i), ctx.as_of)


def _last_day(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


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
    due = action.due or (_last_day(*action.due_month) if action.due_month else None)
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


def check(assessments: Sequence[Assessment], ctx: Context, unreadable: int = 0) -> Iterator[Finding]:
    annual = ctx.rule("annual-self-assessment")
    approval = ctx.rule("governing-body-approval")
    for a in assessments:
        yield from _one(a, ctx)
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
