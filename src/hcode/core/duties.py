"""The year's duties around the annual complaints report, from the homes owned and the reporting
(financial) year: the Ombudsman's annual submission, publishing the report with the governing
body's response, the Regulator's TSM return, and re-submitting a self-assessment revised during
the year. Pure: settings and recorded dates in, duties out.

Sources (the Ombudsman's "Guidance on annual submissions", :data:`SOURCE`): "landlords with over
1,000 homes must submit the form by 30 September"; "landlords with under 1,000 homes must submit
the form within 6 months after their financial year-end" (confirmed). Exactly 1,000 homes is in
neither wording: hcode does not guess, it asks for a setting. A self-assessment revised during
the year must be re-submitted (confirmed). The report is reported to the governing body and
published with its response alongside (the 2024 Code, provision 8.2; confirmed); no date is set
for it, so hcode takes the annual submission's, which links to it (not confirmed). The TSM return
is made by landlords owning 1,000 or more homes (the Regulator's letter of 11 March 2025, Annex
B; confirmed); its date, 30 June, is widely cited but not confirmed, so it is a setting and shown
as unconfirmed until hcode.yaml gives it.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from hcode.core.years import add_months, reporting_year

SOURCE = "https://www.housing-ombudsman.org.uk/landlords-info/complaint-handling-code/guidance-on-annual-submissions"
PUBLICATION_SOURCE = "https://www.housing-ombudsman.org.uk/landlords-info/complaint-handling-code/the-code-2024 (8.2)"
TSM_SOURCE = (
    "https://www.gov.uk/government/publications/letter-to-registered-providers-data-requirements-for-2025-26/"
    "ceo-letter-annex-b-tenant-satisfaction-measures-large-providers-and-local-authorities"
)
#: hcode.yaml's ``annual_submission`` for a landlord with exactly 1,000 homes.
RULES = ("30-september", "six-months")
#: The dates ``reports/YYYY-YY.yaml`` records, each the day a duty (or a step of one) was done.
RECORDED = (
    "reported_to_governing_body",
    "published",
    "submitted_to_ombudsman",
    "tsm_submitted",
    "assessment_revised",
    "resubmitted",
)
#: The default date of the TSM return (30 June; not confirmed).
TSM_DEFAULT = (6, 30)


@dataclass(frozen=True, slots=True)
class Duty:
    """One duty of a reporting year. ``field``: what ``reports/YEAR.yaml`` records when it is
    done; ``status``: done, overdue, open (not yet due) or unknown (``due`` is None: ``note``
    says why and what to set)."""

    key: str  # submission | publication | tsm-return | resubmission
    what: str
    due: date | None  # None: hcode cannot say (it says why in ``note``)
    done: date | None
    status: str  # done | overdue | open | unknown
    confirmed: bool  # the due date is confirmed from the source
    note: str = ""
    year: str = ""
    source: str = SOURCE
    field: str = ""

    def row(self, left: int | None = None) -> dict[str, Any]:
        """As ``hcode due --format json`` prints it under ``duties``."""
        return {
            "year": self.year,
            "duty": self.key,
            "what": self.what,
            "due": self.due.isoformat() if self.due else None,
            "done": self.done.isoformat() if self.done else None,
            "status": self.status,
            "left": left,
            "confirmed": self.confirmed,
            "why": self.note,
            "source": self.source,
            "field": self.field,
        }


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
    return "overdue" if as_of > due else "open"


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
    tsm_return: tuple[int, int] | None = None,
    year: str = "",
) -> list[Duty]:
    """The duties of the reporting year ending ``end`` (named ``year``). ``recorded``: the dates
    written in reports/YYYY-YY.yaml (:data:`RECORDED`). ``tsm_return``: hcode.yaml's date of the
    TSM return (month, day); None: 30 June, shown as not confirmed."""
    due, why = submission_due(end, homes, rule)
    reported = recorded.get("reported_to_governing_body")
    out = [
        Duty(
            "submission",
            "Annual submission to the Housing Ombudsman (the self-assessment form and links to the publications)",
            due,
            recorded.get("submitted_to_ombudsman"),
            _status(due, recorded.get("submitted_to_ombudsman"), as_of),
            due is not None,
            why,
            year,
            SOURCE,
            "submitted_to_ombudsman",
        ),
        Duty(
            "publication",
            "Annual complaints report, reported to the governing body and published with its response",
            due,
            recorded.get("published"),
            _status(due, recorded.get("published"), as_of),
            False,
            "no date is set: by the annual submission at the latest, which links to it"
            + ("" if reported is not None and reported <= as_of else "; not yet reported to the governing body"),
            year,
            PUBLICATION_SOURCE,
            "published",
        ),
    ]
    if homes is None or homes >= 1000:
        tsm_due = _next(end, *(tsm_return or TSM_DEFAULT))
        out.append(
            Duty(
                "tsm-return",
                "Tenant Satisfaction Measures return to the Regulator of Social Housing (1,000 or more homes)",
                tsm_due,
                recorded.get("tsm_submitted"),
                _status(tsm_due, recorded.get("tsm_submitted"), as_of),
                tsm_return is not None,
                (
                    "tsm: return_due in hcode.yaml"
                    if tsm_return is not None
                    else "date not confirmed (30 June is widely cited): set tsm: {return_due: MM-DD} in hcode.yaml"
                )
                + ("; homes not recorded" if homes is None else ""),
                year,
                TSM_SOURCE,
                "tsm_submitted",
            )
        )
    revised = recorded.get("assessment_revised")
    if revised is not None and revised <= as_of:
        again = recorded.get("resubmitted")
        done = again if again is not None and again >= revised else None
        out.append(
            Duty(
                "resubmission",
                f"Re-submit the self-assessment revised on {revised.isoformat()} to the Housing Ombudsman",
                revised,
                done,
                "done" if done is not None and done <= as_of else ("overdue" if as_of > revised else "open"),
                True,
                "a self-assessment revised during the year must be re-submitted (no later date is given)",
                year,
                SOURCE,
                "resubmitted",
            )
        )
    return out


def duty_years(as_of: date, year_start: tuple[int, int], recorded_years: Iterable[str]) -> list[str]:
    """The reporting years whose duties are listed as on ``as_of``: those the workspace keeps a
    self-assessment or a ``reports/YYYY-YY.yaml`` for (``recorded_years``) that have ended by
    then, oldest first. A year hcode holds nothing for is not judged (the missing
    self-assessment is a finding of its own)."""
    return sorted({y for y in recorded_years if reporting_year(y).end(year_start) < as_of})
