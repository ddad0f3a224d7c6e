"""The year's duties around the annual complaints report, from the homes owned and the reporting
(financial) year: the Ombudsman's annual submission, publishing the report with the governing
body's response, the Regulator's TSM return, and re-submitting a self-assessment revised during
the year. Pure: settings and recorded dates in, duties out.

Sources (the Ombudsman's "Guidance on annual submissions",
https://www.housing-ombudsman.org.uk/landlords-info/complaint-handling-code/guidance-on-annual-submissions):
"landlords with over 1,000 homes must submit the form by 30 September"; "landlords with under
1,000 homes must submit the form within 6 months after their financial year-end" (confirmed).
Exactly 1,000 homes is in neither wording: hcode does not guess, it asks for a setting. A
self-assessment revised during the year must be re-submitted (confirmed). The TSM return is
made by landlords owning 1,000 or more homes (confirmed); its date, 30 June, is widely cited but
not confirmed, so it is a setting and shown as unconfirmed.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from hcode.core.years import add_months

SOURCE = "https://www.housing-ombudsman.org.uk/landlords-info/complaint-handling-code/guidance-on-annual-submissions"
#: hcode.yaml's ``annual_submission`` for a landlord with exactly 1,000 homes.
RULES = ("30-september", "six-months")


@dataclass(frozen=True, slots=True)
class Duty:
    key: str  # submission | publication | tsm-return | resubmission
    what: str
    due: date | None  # None: hcode cannot say (it says why in ``note``)
    done: date | None
    status: str  # done | overdue | due | unknown
    confirmed: bool
    note: str = ""


def six_months_after(end: date) -> date:
    """Six months after a year-end: the sixth month's last day where the year ends on a month's
    last day (31 March -> 30 September, 31 December -> 30 June), else the same day."""
    if end.day == calendar.monthrange(end.year, end.month)[1]:
        later = add_months(end.replace(day=1), 6)
        return later.replace(day=calendar.monthrange(later.year, later.month)[1])
    return add_months(end, 6)


def _next(end: date, month: int, day: int) -> date:
    """The first ``month``/``day`` after ``end``."""
    candidate = date(end.year, month, day)
    return candidate if candidate > end else date(end.year + 1, month, day)


def _status(due: date | None, done: date | None, as_of: date) -> str:
    if done is not None and done <= as_of:
        return "done"
    if due is None:
        return "unknown"
    return "overdue" if as_of > due else "due"


def submission_due(end: date, homes: int | None, rule: str | None = None) -> tuple[date | None, str]:
    """When the annual submission for the year ending ``end`` is due, and why (or why hcode
    cannot say): over 1,000 homes 30 September; under 1,000 six months after the year-end;
    exactly 1,000 (or homes unknown) only with ``rule`` (hcode.yaml's ``annual_submission``)."""
    if rule is None and homes is not None and homes != 1000:
        rule = "30-september" if homes > 1000 else "six-months"
        why = (
            "over 1,000 homes: by 30 September"
            if homes > 1000
            else "under 1,000 homes: within 6 months after the year-end"
        )
    elif rule is not None:
        why = f"annual_submission: {rule} in hcode.yaml"
    elif homes == 1000:
        return None, (
            "exactly 1,000 homes: the Ombudsman's guidance gives 30 September for over 1,000 homes and 6 months "
            "after the year-end for under 1,000; neither covers 1,000. Set annual_submission: 30-september or "
            "six-months in hcode.yaml (ask the Ombudsman which applies)"
        )
    else:
        return None, "the number of homes is not recorded: set homes in hcode.yaml"
    if rule == "30-september":
        return _next(end, 9, 30), why
    return six_months_after(end), why


def duties(
    end: date,
    homes: int | None,
    recorded: Mapping[str, date],
    as_of: date,
    *,
    rule: str | None = None,
    tsm_return: tuple[int, int] = (6, 30),
) -> list[Duty]:
    """The duties of the reporting year ending ``end``. ``recorded``: the dates written in
    reports/YYYY-YY.yaml (``reported_to_governing_body``, ``published``,
    ``submitted_to_ombudsman``, ``tsm_submitted``, ``assessment_revised``, ``resubmitted``)."""
    due, why = submission_due(end, homes, rule)
    out = [
        Duty(
            "submission",
            "Annual submission to the Housing Ombudsman (the self-assessment form and links to the publications)",
            due,
            recorded.get("submitted_to_ombudsman"),
            _status(due, recorded.get("submitted_to_ombudsman"), as_of),
            True,
            why,
        ),
        Duty(
            "publication",
            "Annual complaints report, reported to the governing body and published with its response",
            due,
            recorded.get("published"),
            _status(due, recorded.get("published"), as_of),
            False,
            "by the annual submission at the latest, which links to it"
            + ("" if recorded.get("reported_to_governing_body") else "; not yet reported to the governing body"),
        ),
    ]
    if homes is None or homes >= 1000:
        tsm_due = _next(end, *tsm_return)
        out.append(
            Duty(
                "tsm-return",
                "Tenant Satisfaction Measures return to the Regulator of Social Housing (1,000 or more homes)",
                tsm_due,
                recorded.get("tsm_submitted"),
                _status(tsm_due, recorded.get("tsm_submitted"), as_of),
                False,
                "date not confirmed (30 June is widely cited): set tsm_return_due in hcode.yaml"
                + ("; homes not recorded" if homes is None else ""),
            )
        )
    revised = recorded.get("assessment_revised")
    if revised is not None:
        again = recorded.get("resubmitted")
        done = again if again is not None and again >= revised else None
        out.append(
            Duty(
                "resubmission",
                f"Re-submit the self-assessment revised on {revised.isoformat()}",
                revised,
                done,
                "done" if done is not None and done <= as_of else ("overdue" if as_of > revised else "due"),
                True,
                "a self-assessment revised during the year must be re-submitted to the Ombudsman",
            )
        )
    return out
