"""Complaint handling rules (2024 Code 5.6 and 6.13).

* ``complaint-definition`` (5.6): when a complaint is acknowledged at a stage, the complaint
  definition (the landlord's understanding of the complaint and the outcomes sought) must be
  recorded (error).
* ``different-handler`` (6.13): the person considering the complaint at stage 2 must not be the one who considered it
  at stage 1 (error when the handler references are the same; info when either is missing once
  stage 2 has been acknowledged, so the rule cannot be checked).
* ``case.remedy-overdue`` (warning): a remedy action past its due date and not done (not done
  on the as-of day: a ``done`` date after it has not happened yet); the Code requires any remedy
  to be followed through to completion: 7.3 of the 2024 Code, 6.5 of the 2022 Code (the
  catalogues tie the provision to this rule's name); the 2020 form asks no such question.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from hcode.core.asof import known
from hcode.core.identity import same
from hcode.core.milestones import Milestone
from hcode.core.model import Case, Finding, RemedyAction
from hcode.core.rules.context import Context, case_finding, past_breach
from hcode.core.rules.spec import Example, Rule, complaint, stage1
from hcode.core.text import shorten

_STAGE2 = """\
stage2:
  requested: 2024-05-15
  acknowledged: 2024-05-16
  definition: Unhappy with the stage 1 answer; wants compensation.
  handler: {handler}
  responded: 2024-06-05
  outcome: upheld
"""


def _escalated(handler: str) -> str:
    return complaint(stage1(outcome="not-upheld") + _STAGE2.format(handler=handler))


def _remedy(actions: str) -> str:
    return complaint(stage1() + "remedy:\n  compensation: 50\n  actions:\n" + actions)


RULES = (
    Rule(
        name="complaint-definition",
        summary="acknowledged with no complaint definition",
        severities=("error",),
        refs=(("check", "complaint-definition", None),),
        passing=(Example(complaint(stage1())),),
        failing=(Example(complaint(stage1(definition=""))),),
    ),
    Rule(
        name="different-handler",
        summary="the same handler at both stages (info: a handler is not recorded)",
        severities=("error", "info"),
        refs=(("check", "different-handler", 2),),
        passing=(Example(_escalated("H-003")),),
        failing=(Example(_escalated("H-017"), note="H-017 handled both stages"),),
    ),
    Rule(
        name="case.remedy-overdue",
        summary="a remedy action past its due date and not done (2024 Code 7.3, 2022 Code 6.5)",
        severities=("warning",),
        passing=(Example(_remedy("    - {action: Replace the boiler, due: 2024-06-28, done: 2024-06-20}\n")),),
        failing=(
            Example(
                _remedy("    - {action: Replace the boiler, due: 2024-06-28}\n"),
                note="checked as on 31 December 2024",
            ),
        ),
    ),
)


REMEDY = "case.remedy-overdue"


def remedy_provision(ctx: Context) -> str:
    """The provision of ``ctx``'s edition that says a remedy must be followed through (2024 7.3,
    2022 6.5), else the rule's name (the 2020 form has none)."""
    return ctx.rule(REMEDY)


def remedy_offered(case: Case, action: RemedyAction) -> date:
    """The day ``action`` was offered. The case file does not say which response proposed it, so
    it is taken to be the last response sent on or before its due date (a remedy is proposed
    before it falls due; so an action is never hidden once it is overdue); with no such response,
    the day the complaint was received."""
    sent = [
        s.responded
        for s in (case.stage1, case.stage2)
        if s is not None and s.responded is not None and (action.due is None or s.responded <= action.due)
    ]
    return max([case.received, *sent])


def remedy_due(case: Case, action: RemedyAction, as_of: date) -> date | None:
    """The due date of a remedy action still to do on ``as_of``: offered by then (the complaint
    received and the response that proposed it sent, see :func:`remedy_offered`) and not done
    (a ``done`` date after it has not happened yet). None for one done by then, not yet offered,
    or with no due date."""
    if known(remedy_offered(case, action), as_of) is None:
        return None
    return action.due if known(action.done, as_of) is None else None


def remedy_overdue(case: Case, ctx: Context) -> Iterator[Finding]:
    """Remedy actions past their due date and not done on the as-of day (followed through: 2024
    Code 7.3, 2022 Code 6.5)."""
    if case.remedy is None:
        return
    pid = remedy_provision(ctx)
    where = f"Code {pid}: " if pid != REMEDY else ""
    for i, action in enumerate(case.remedy.actions):
        due = remedy_due(case, action, ctx.as_of)
        if due is not None and due < ctx.as_of:
            yield case_finding(
                case,
                REMEDY,
                "warning",
                f"remedy action {i + 1} ({shorten(action.action)!r}) was due {action.due} and is not done "
                f"({where}a remedy must be followed through)",
                path=("remedy", "actions", i, "due"),
                due=action.due,
                hint=f"record it with 'hcode case action-done {case.id} {i + 1}' when done, "
                "or agree a new date with the resident",
            )


def check(case: Case, ms: Sequence[Milestone], ctx: Context) -> Iterator[Finding]:
    if not case.is_complaint:
        return
    yield from remedy_overdue(case, ctx)
    for stage in (case.stage1, case.stage2):
        if stage is None or stage.acknowledged is None or stage.definition:
            continue
        yield Finding(
            rule=ctx.rule("complaint-definition"),
            severity="error",
            subject=case.id,
            file=case.file,
            message=f"stage {stage.number} was acknowledged on {stage.acknowledged} but no "
            "complaint definition is recorded",
            hint=f"add stage{stage.number}.definition: the complaint as understood and the outcome the resident wants",
            path=(f"stage{stage.number}", "acknowledged"),
            key=True,
        )
    s1, s2 = case.stage1, case.stage2
    if s2 is None or s2.acknowledged is None:
        return
    code = ctx.stage_code(case, 2)
    rule = code.rule_id("different-handler", 2)
    if s1 is not None and s1.handler and s2.handler:
        if same(s1.handler, s2.handler):  # as people read them: H–014 is H-014
            handled = Finding(
                rule=rule,
                severity="error",
                subject=case.id,
                file=case.file,
                message=f"stage 2 was handled by {s2.handler}, the same person as stage 1",
                hint="stage 2 must be considered by someone who did not handle stage 1",
                path=("stage2", "handler"),
                edition=code.code,
            )
            # answered: the stage 2 response was made by the stage 1 handler, which is past
            correct = "correct stage2.handler if it is wrong"
            yield handled if s2.responded is None else past_breach(handled, case, 2, "a stage 2 answered", correct)
    else:
        missing = "stage 1" if not (s1 and s1.handler) else "stage 2"
        yield Finding(
            rule=rule,
            severity="info",
            subject=case.id,
            file=case.file,
            message=f"the {missing} handler is not recorded, so it cannot be shown that "
            "different people handled the two stages",
            hint=f"add stage{missing[-1]}.handler (a staff reference, not a name)",
            path=(f"stage{missing[-1]}",),
            key=True,
            edition=code.code,
        )
