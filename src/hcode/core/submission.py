"""The Housing Ombudsman's annual submission form, filled in from the workspace: section 1 (the
organisation and links to the key publications, from hcode.yaml's ``submission:``) and section 2
(comply yes or no for each provision of the self-assessment, and for each no the actions and
their timescales). Pure: settings, the edition and the self-assessment in, the form out.

Source: the Ombudsman's "Guidance on annual submissions" (:data:`hcode.core.duties.SOURCE`):
"Section 1 of the submissions form requires landlords to provide key information about the
organisation and approach to complaint handling. This includes links to key publications";
"Section 2 ... Landlords must confirm if they comply with each individual provision. Landlords
are not required to provide evidence or commentary"; where a landlord does not comply "it must
set out the actions and timescales for achieving compliance or demonstrate how it has made all
reasonable endeavours" (confirmed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from hcode.core.duties import SOURCE
from hcode.core.model import Action, Assessment, Code

#: Section 1's organisation details: setting key -> label.
ORGANISATION = (
    ("type", "Type of landlord"),
    ("ombudsman_member_number", "Housing Ombudsman member number"),
    ("regulator_registration", "Regulator of Social Housing registration number"),
)
#: Section 1's links to the key publications: setting key -> label.
LINKS = (
    ("policy", "Complaints policy"),
    ("self_assessment", "Self-assessment against the Code"),
    ("annual_report", "Annual complaints performance and service improvement report"),
    ("governing_body_response", "Governing body's response to the report"),
)


@dataclass(frozen=True)
class Detail:
    """One line of section 1: its label, the value (None: not set) and the setting that gives it."""

    key: str
    label: str
    value: str | None
    setting: str


@dataclass(frozen=True)
class Row:
    """One provision of section 2: comply Yes, No, N/A (the 2020 form) or None (not answered),
    and for a No the actions (with their timescales) the self-assessment sets out."""

    provision: str
    section: str
    comply: str | None
    actions: tuple[Action, ...] = ()
    written: str | None = None  # the answer as written where it is not yes or no ("Partly")


@dataclass(frozen=True)
class Form:
    """The annual submission of ``year``: section 1 (``details``, ``links``) and section 2
    (``rows``), the edition the self-assessment answers and whether there is one."""

    year: str
    landlord: str
    homes: int | None
    code: str
    details: tuple[Detail, ...]
    links: tuple[Detail, ...]
    rows: tuple[Row, ...]
    assessed: bool  # a self-assessment for the year exists
    source: str = SOURCE
    due: date | None = None  # when the submission is due (None: hcode cannot say; ``due_why`` says why)
    due_why: str = ""

    @property
    def missing(self) -> list[str]:
        """The settings section 1 needs that hcode.yaml does not give."""
        return [d.setting for d in (*self.details, *self.links) if d.value is None]

    @property
    def not_complying(self) -> list[Row]:
        return [r for r in self.rows if r.comply == "No"]


def form(
    year: str,
    landlord: str,
    homes: int | None,
    code: Code,
    assessment: Assessment | None,
    organisation: Mapping[str, str],
    links: Mapping[str, str],
) -> Form:
    """The form for ``year`` from the settings and the year's self-assessment (None: section 2
    lists every provision as not answered)."""
    details = tuple(Detail(k, label, organisation.get(k), f"submission.organisation.{k}") for k, label in ORGANISATION)
    linked = tuple(Detail(k, label, links.get(k), f"submission.links.{k}") for k, label in LINKS)
    shared: dict[str, list[Action]] = {}
    for a in assessment.actions if assessment is not None else ():
        for pid in a.provisions:
            shared.setdefault(pid, []).append(a)
    rows = []
    for s in code.sections:
        if assessment is not None and not assessment.covers(s.number):
            continue
        for p in s.provisions:
            if not p.assessed:
                continue
            answer = assessment.answers.get(p.id) if assessment is not None else None
            comply: str | None = None
            written = None
            if answer is not None:
                if answer.not_applicable:
                    comply = "N/A"
                elif answer.comply is not None:
                    comply = "Yes" if answer.comply else "No"
                    written = answer.comply_word
            actions: tuple[Action, ...] = ()
            if comply == "No" and answer is not None:
                own = list(answer.actions)
                actions = tuple(own + [a for a in shared.get(p.id, []) if a not in own])
            rows.append(Row(p.id, f"{s.number}. {s.title}", comply, actions, written))
    return Form(year, landlord, homes, code.code, details, linked, tuple(rows), assessment is not None)
