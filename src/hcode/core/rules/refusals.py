"""Refusal rules: complaints not accepted (2024 Code section 2) and escalations refused (5.11).

* ``refusal-explained`` (2.4 at stage 1, 5.11 at stage 2): the resident must be told the
  reasons (``explained: true``) and of the right to take the decision to the Ombudsman
  (``ombudsman_rights: true``); error when either is not recorded as done.
* ``refusal-time-limit`` (2.3): a refusal for ``over-12-months`` is wrong when the issue
  occurred (or the resident became aware of it) within 12 months before receipt (error);
  without ``issue_date`` the refusal cannot be checked (warning).
* ``refusal-reasoned`` (2.1): a refusal for ``other`` reasons must be evidenced: a ``note`` is
  expected (warning).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from hcode.core.milestones import Milestone
from hcode.core.model import Case, Finding
from hcode.core.rules.context import Context, case_finding
from hcode.core.rules.spec import Example, Rule
from hcode.core.years import add_months

_REFUSED = """\
id: C-2024-0001
kind: complaint
received: 2024-05-01
category: {category}
issue_date: {issue}
refused:
  stage: 1
  date: 2024-05-03
  reason: {reason}
{rest}"""
_TOLD = "  explained: true\n  ombudsman_rights: true\n"

RULES = (
    Rule(
        name="refusal-explained",
        summary="refusal not explained, or the right to go to the Ombudsman not given",
        severities=("error",),
        refs=(("check", "refusal-explained", 1), ("check", "refusal-explained", 2)),
        passing=(
            Example(_REFUSED.format(category="repairs", issue="2022-01-10", reason="over-12-months", rest=_TOLD)),
        ),
        failing=(
            Example(
                _REFUSED.format(
                    category="repairs", issue="2022-01-10", reason="over-12-months", rest="  explained: true\n"
                ),
                note="the resident was not told of the right to go to the Ombudsman",
            ),
        ),
    ),
    Rule(
        name="refusal-time-limit",
        summary="refused as over 12 months old though the issue is within 12 months (warning: no issue_date)",
        severities=("error", "warning"),
        refs=(("check", "refusal-time-limit", None),),
        passing=(
            Example(_REFUSED.format(category="repairs", issue="2022-01-10", reason="over-12-months", rest=_TOLD)),
        ),
        failing=(
            Example(
                _REFUSED.format(category="repairs", issue="2024-01-10", reason="over-12-months", rest=_TOLD),
                note="the issue dates from January 2024, four months before the complaint",
            ),
        ),
    ),
    Rule(
        name="refusal-reasoned",
        summary='refused for an "other" reason with no note',
        severities=("warning",),
        refs=(("check", "refusal-reasoned", None),),
        passing=(
            Example(
                _REFUSED.format(
                    category="repairs",
                    issue="2024-04-20",
                    reason="other",
                    rest=_TOLD + "  note: The same complaint is already open as C-2024-0007.\n",
                )
            ),
        ),
        failing=(Example(_REFUSED.format(category="repairs", issue="2024-04-20", reason="other", rest=_TOLD)),),
    ),
)


def check(case: Case, ms: Sequence[Milestone], ctx: Context) -> Iterator[Finding]:
    refusal = case.refused
    if refusal is None:
        return
    code = ctx.stage_code(case, refusal.stage)
    explained_rule = code.rule_id("refusal-explained", refusal.stage)
    what = "refusal to accept the complaint" if refusal.stage == 1 else "refusal to escalate"
    if refusal.explained is not True:
        yield case_finding(
            case,
            explained_rule,
            "error",
            f"the {what} is not recorded as explained to the resident",
            path=("refused",),
            key=True,
            hint="explain the reasons to the resident, then set refused.explained: true",
            edition=code.code,
        )
    if refusal.ombudsman_rights is not True:
        yield case_finding(
            case,
            explained_rule,
            "error",
            f"the resident is not recorded as told of the right to take the {what} to the Ombudsman",
            path=("refused",),
            key=True,
            hint="tell the resident, then set refused.ombudsman_rights: true",
            edition=code.code,
        )
    if refusal.reason == "over-12-months":
        rule = ctx.rule("refusal-time-limit")
        if case.issue_date is None:
            yield case_finding(
                case,
                rule,
                "warning",
                "refused as over 12 months old, but issue_date is not recorded, so the refusal cannot be checked",
                path=("refused", "reason"),
                hint="add issue_date: when the issue occurred or the resident became aware",
            )
        else:
            limit = add_months(case.issue_date, 12)
            if case.received <= limit:
                yield case_finding(
                    case,
                    rule,
                    "error",
                    f"refused as over 12 months old, but the issue dates from "
                    f"{case.issue_date} and the complaint was received on {case.received}, "
                    f"within 12 months (by {limit})",
                    path=("refused", "reason"),
                    due=limit,
                    actual=case.received,
                    hint="the complaint must be accepted: remove the refusal and log it",
                )
    if refusal.reason == "other" and not refusal.note:
        yield case_finding(
            case,
            ctx.rule("refusal-reasoned"),
            "warning",
            "refused for an 'other' reason with no note of the reasoning",
            path=("refused", "reason"),
            hint="add refused.note saying why the complaint was not accepted",
        )
