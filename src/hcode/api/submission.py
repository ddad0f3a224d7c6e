"""``hcode report submission``: what the Housing Ombudsman's annual submission form asks, from
hcode.yaml (``submission:``, ``homes``) and the year's self-assessment (section 2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hcode.api.workspace import OpenWorkspace
from hcode.core.model import Finding
from hcode.core.submission import Form, form


@dataclass(frozen=True)
class Submission:
    """The form for ``year``, and the self-assessment files that could not be read."""

    year: str
    form: Form
    problems: list[Finding] = field(default_factory=list)


def submission(
    ws: OpenWorkspace, year: str | None = None, as_of: date | None = None, *, refuse: bool = False
) -> Submission:
    """The annual submission of ``year`` (default: the newest self-assessment's year, else the
    last complete reporting year), section 2 on the form of the edition the self-assessment
    answers. ``refuse``: :class:`~hcode.api.errors.Incomplete` when a self-assessment file cannot
    be read."""
    from dataclasses import replace

    from hcode.api.reports import assessment_report
    from hcode.core.duties import submission_due
    from hcode.core.years import reporting_year

    made = assessment_report(ws, year, as_of, refuse=refuse)
    settings = ws.settings
    homes = settings.homes_in(made.year)
    filled = form(
        made.year,
        settings.landlord,
        homes.total if homes is not None else None,
        made.code,
        made.assessment,
        settings.submission_organisation,
        settings.submission_links,
    )
    end = reporting_year(made.year).end(settings.year_start)
    due, why = submission_due(end, homes.total if homes is not None else None, settings.annual_submission)
    return Submission(made.year, replace(filled, due=due, due_why=why), list(made.problems))
