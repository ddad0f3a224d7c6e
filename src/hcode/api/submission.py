"""``hcode report submission``: what the Housing Ombudsman's annual submission form asks, from
hcode.yaml (``submission:``, ``homes``) and the year's self-assessment (section 2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hcode.api.workspace import OpenWorkspace
from hcode.core.model import Finding
from hcode.core.submission import Form, form
from hcode.render.gate import Public


@dataclass(frozen=True)
class Submission:
    """The form for ``year``, and the self-assessment files that could not be read. The form
    passed the privacy gate (``public``: what the form's writers take)."""

    year: str
    public: Public[Form]
    problems: list[Finding] = field(default_factory=list)

    @property
    def form(self) -> Form:
        return self.public.value


def submission(
    ws: OpenWorkspace, year: str | None = None, as_of: date | None = None, *, refuse: bool = False
) -> Submission:
    """The annual submission of ``year`` (default: the newest self-assessment's year, else the
    last complete reporting year), section 2 on the form of the edition the self-assessment
    answers. ``refuse``: :class:`~hcode.api.errors.Incomplete` when a self-assessment file cannot
    be read; :class:`~hcode.api.errors.InputUnusable` when a text of the form seems to hold
    personal data."""
    from dataclasses import replace

    from hcode.api.reports import assessment_report, gated
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
    public = gated(ws, replace(filled, due=due, due_why=why), "the annual submission")
    return Submission(made.year, public, list(made.problems))
