"""Refusal rules: complaints not accepted (2024 Code section 2) and escalations refused (5.11).

* 2.4 / 5.11: the resident must be told the reasons (``explained: true``) and of the right to
  take the decision to the Ombudsman (``ombudsman_rights: true``); error when either is not
  recorded as done.
* 2.3: a refusal for ``over-12-months`` is wrong when the issue occurred (or the resident
  became aware of it) within 12 months before receipt (error); without ``issue_date`` the
  refusal cannot be checked (warning).
* 2.1: a refusal for ``other`` reasons must be evidenced: a ``note`` is expected (warning).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from hcode.core.model import Case, Finding
from hcode.core.rules import Context, case_finding


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(d)  # pragma: no cover


def check(case: Case, ctx: Context) -> Iterator[Finding]:
    refusal = case.refused
    if refusal is None:
        return
    explained_rule = ctx.rule("refusal-explained", refusal.stage)
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
