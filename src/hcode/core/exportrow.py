"""The export's rows (``hcode export``): one row per case, in a documented and versioned column
set (docs/export.md), as typed values. The writers (CSV, JSON Lines) are
:mod:`hcode.render.export`'s.

Every row begins with ``hcode_export``, the version of the column set: a column is never renamed,
removed or given another meaning without a new version; new columns may be added at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Any

from hcode.core.hazards import HazardJudgement
from hcode.core.milestones import Milestone
from hcode.core.model import Case, Moment

#: The version of the column set below.
EXPORT_VERSION = 1

#: Every column, in order, with its type (as DuckDB reads the CSV) and what it holds.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("hcode_export", "integer", "version of this column set (1)"),
    ("id", "text", "the case id"),
    ("file", "text", "the case file, relative to the workspace"),
    ("kind", "text", "complaint or service-request"),
    ("received", "date", "when the complaint or request was received (the stage 1 clock's start)"),
    ("category", "text", "the case's category"),
    ("channel", "text", "how it was received (phone, email, ...); empty if not recorded"),
    ("issue_date", "date", "when the issue occurred or the resident became aware; empty if not recorded"),
    ("resolved", "date", "service requests: when resolved"),
    ("stage1_requested", "date", "always empty (a stage 1 complaint is received, not requested); kept for symmetry"),
    ("stage1_acknowledged", "date", "stage 1 acknowledgement sent"),
    (
        "stage1_acknowledged_due",
        "date",
        "stage 1 acknowledgement due (under the edition in stage1_edition; Code 6.2 in hoc-2024)",
    ),
    ("stage1_acknowledged_status", "text", "met, missed, open, due-soon or overdue, as on --as-of"),
    ("stage1_responded", "date", "stage 1 response sent"),
    (
        "stage1_responded_due",
        "date",
        "stage 1 response due (under stage1_edition; Code 6.3 in hoc-2024; the extended date when an extension counts)",
    ),
    ("stage1_responded_status", "text", "met, missed, open, due-soon or overdue, as on --as-of"),
    ("stage1_extended_to", "date", "the date a stage 1 extension moved the response to, as recorded"),
    ("stage1_outcome", "text", "upheld, partly-upheld, not-upheld or withdrawn"),
    ("stage1_handler", "text", "the stage 1 handler's staff reference"),
    ("stage2_requested", "date", "when the escalation to stage 2 was requested"),
    ("stage2_acknowledged", "date", "stage 2 acknowledgement sent"),
    (
        "stage2_acknowledged_due",
        "date",
        "stage 2 acknowledgement due (under the edition in stage2_edition; Code 6.11 in hoc-2024)",
    ),
    ("stage2_acknowledged_status", "text", "met, missed, open, due-soon or overdue, as on --as-of"),
    ("stage2_responded", "date", "stage 2 response sent"),
    (
        "stage2_responded_due",
        "date",
        "stage 2 response due (under stage2_edition; Code 6.14 in hoc-2024; the extended date if an extension counts)",
    ),
    ("stage2_responded_status", "text", "met, missed, open, due-soon or overdue, as on --as-of"),
    ("stage2_extended_to", "date", "the date a stage 2 extension moved the response to, as recorded"),
    ("stage2_outcome", "text", "upheld, partly-upheld, not-upheld or withdrawn"),
    ("stage2_handler", "text", "the stage 2 handler's staff reference"),
    ("refused_stage", "integer", "1: the complaint was not accepted; 2: the escalation was refused"),
    ("refused_date", "date", "when it was refused"),
    ("refused_reason", "text", "over-12-months, legal-proceedings, previously-considered or other"),
    ("compensation", "decimal", "compensation offered, in pounds"),
    ("ombudsman_referred", "date", "when the resident went to the Ombudsman"),
    ("ombudsman_finding", "text", "the Ombudsman's finding"),
    ("stage1_logged", "date", "stage 1 logged, where recorded apart from the acknowledgement (2020 and 2022 Codes)"),
    ("stage2_logged", "date", "stage 2 logged, where recorded apart from the acknowledgement"),
    (
        "stage1_edition",
        "text",
        "the Code edition whose timescales gave the stage 1 due dates (hoc-2020, hoc-2022, hoc-2024)",
    ),
    ("stage2_edition", "text", "the Code edition whose timescales gave the stage 2 due dates"),
    ("tenure", "text", "lcra or lcho (the Regulator's split of CH01 and CH02); empty if not recorded"),
    ("hazard", "text", "hazard reports (kind hazard): the HHSRS hazard; empty for other kinds"),
    ("hazard_risk", "text", "significant or emergency, as assessed when reported"),
    ("hazard_aware", "text", "when the landlord became aware: YYYY-MM-DD or YYYY-MM-DDTHH:MM"),
    ("hazard_complaints", "text", "the complaint ids the hazard record names, separated by spaces"),
    ("hazard_judged", "text", "empty when judged; else why not: phase, tenure, never or unknown-hazard"),
    ("hazard_concluded", "text", "the investigation concluded (a date, or a date and time)"),
    ("hazard_found", "text", "what the investigation found: emergency, significant or none"),
    ("hazard_summary_sent", "text", "the written summary sent to the tenant"),
    ("hazard_made_safe", "text", "the relevant safety work done"),
    ("hazard_alternative_accommodation", "text", "suitable alternative accommodation secured"),
    ("hazard_works_begun", "text", "further works begun, or steps taken to begin them"),
    ("hazard_works_started", "text", "further works physically started"),
    ("hazard_works_completed", "text", "further works completed"),
    ("hazard_stopped", "text", "a clock stop: when"),
    ("hazard_stopped_why", "text", "a clock stop: decanted, no-consent or no-hazard"),
    *(
        column
        for duty, what in (
            ("investigate", "the investigation"),
            ("summary", "the written summary"),
            ("make_safe", "the safety work"),
            ("works_begin", "further works begun"),
            ("works_start", "further works physically started"),
        )
        for column in (
            (f"hazard_{duty}_due", "text", f"{what} due (YYYY-MM-DDTHH:MM for a 24-hour clock), as on --as-of"),
            (f"hazard_{duty}_status", "text", "met, missed, unclear, open, due-soon, overdue or stopped"),
        )
    ),
)
NAMES = tuple(name for name, _, _ in COLUMNS)


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One case as a row of the export: a field per column of :data:`COLUMNS`, in its order
    (dates as dates, missing values as None). :meth:`row`: as ``hcode export -f jsonl`` writes
    it (dates as ISO text)."""

    hcode_export: int
    id: str
    file: str
    kind: str
    received: date
    category: str
    channel: str | None
    issue_date: date | None
    resolved: date | None
    stage1_requested: date | None
    stage1_acknowledged: date | None
    stage1_acknowledged_due: date | None
    stage1_acknowledged_status: str | None
    stage1_responded: date | None
    stage1_responded_due: date | None
    stage1_responded_status: str | None
    stage1_extended_to: date | None
    stage1_outcome: str | None
    stage1_handler: str | None
    stage2_requested: date | None
    stage2_acknowledged: date | None
    stage2_acknowledged_due: date | None
    stage2_acknowledged_status: str | None
    stage2_responded: date | None
    stage2_responded_due: date | None
    stage2_responded_status: str | None
    stage2_extended_to: date | None
    stage2_outcome: str | None
    stage2_handler: str | None
    refused_stage: int | None
    refused_date: date | None
    refused_reason: str | None
    compensation: float | None
    ombudsman_referred: date | None
    ombudsman_finding: str | None
    stage1_logged: date | None
    stage2_logged: date | None
    stage1_edition: str | None
    stage2_edition: str | None
    tenure: str | None
    hazard: str | None
    hazard_risk: str | None
    hazard_aware: str | None
    hazard_complaints: str | None
    hazard_judged: str | None
    hazard_concluded: str | None
    hazard_found: str | None
    hazard_summary_sent: str | None
    hazard_made_safe: str | None
    hazard_alternative_accommodation: str | None
    hazard_works_begun: str | None
    hazard_works_started: str | None
    hazard_works_completed: str | None
    hazard_stopped: str | None
    hazard_stopped_why: str | None
    hazard_investigate_due: str | None
    hazard_investigate_status: str | None
    hazard_summary_due: str | None
    hazard_summary_status: str | None
    hazard_make_safe_due: str | None
    hazard_make_safe_status: str | None
    hazard_works_begin_due: str | None
    hazard_works_begin_status: str | None
    hazard_works_start_due: str | None
    hazard_works_start_status: str | None

    def row(self) -> dict[str, Any]:
        """The row as the export writes it: each column by name, dates as ISO text."""
        values = _VALUES(self)
        return dict(zip(NAMES, [v.isoformat() if isinstance(v, date) else v for v in values], strict=True))


#: Every column's value of a row, in order (one call in C rather than a lookup per column).
_VALUES = attrgetter(*NAMES)
#: The hazard columns, all empty but for a hazard report.
_HAZARD_NAMES = tuple(n for n in NAMES if n.startswith("hazard"))
_NO_HAZARD = (None,) * len(_HAZARD_NAMES)


def export_row(case: Case, ms: Sequence[Milestone], hazard: HazardJudgement | None = None) -> ExportRow:
    """One case as an export row; ``hazard``: a hazard record's clocks."""
    return ExportRow(*export_values(case, ms, hazard))


def export_values(case: Case, ms: Sequence[Milestone], hazard: HazardJudgement | None = None) -> list[Any]:
    """One case's export row as its values, in the order of :data:`COLUMNS` (the fields of
    :func:`export_row`'s row; a test compares each row with one built column by name)."""
    by_event = {(m.stage, m.event): m for m in ms}
    values: list[Any] = [
        EXPORT_VERSION,
        case.id,
        case.file,
        case.kind,
        case.received,
        case.category,
        case.channel,
        case.issue_date,
        case.resolved,
    ]
    for n, stage in ((1, case.stage1), (2, case.stage2)):
        ack = by_event.get((n, "acknowledge"))
        resp = by_event.get((n, "respond"))
        values += (
            stage.requested if stage and n == 2 else None,  # requested
            stage.acknowledged if stage else None,  # acknowledged, its due date and status
            ack.due if ack else None,
            ack.status if ack else None,
            stage.responded if stage else None,  # responded, its due date and status
            resp.due if resp else None,
            resp.status if resp else None,
            stage.extension.due if stage and stage.extension else None,  # extended_to
            stage.outcome if stage else None,
            stage.handler if stage else None,
        )
    refused, remedy, ombudsman = case.refused, case.remedy, case.ombudsman
    values += (
        refused.stage if refused else None,
        refused.date if refused else None,
        refused.reason if refused else None,
        remedy.compensation if remedy else None,
        ombudsman.referred if ombudsman else None,
        ombudsman.finding if ombudsman else None,
        case.stage1.logged if case.stage1 else None,
        case.stage2.logged if case.stage2 else None,
        next((m.edition for m in ms if m.stage == 1 and m.edition), None),
        next((m.edition for m in ms if m.stage == 2 and m.edition), None),
        case.tenure,
    )
    if case.hazard is None:  # a complaint or service request: every hazard column empty
        values += _NO_HAZARD
        return values
    hazard_columns = _hazard_columns(case, hazard)
    if len(hazard_columns) != len(_HAZARD_NAMES):
        raise TypeError(f"hazard columns not in the column set: {sorted(set(hazard_columns) - set(_HAZARD_NAMES))}")
    values += [hazard_columns[name] for name in _HAZARD_NAMES]
    return values


def _hazard_columns(case: Case, judged: HazardJudgement | None) -> dict[str, Any]:
    """The hazard columns of a row (all empty for a complaint or service request)."""
    out: dict[str, Any] = dict.fromkeys(_HAZARD_NAMES)
    h = case.hazard
    if h is None:
        return out

    def moment(m: Moment | None) -> str | None:
        return m.iso if m is not None else None

    inv, works, stop = h.investigation, h.works, h.stopped
    out.update(
        {
            "hazard": h.hazard,
            "hazard_risk": h.risk,
            "hazard_aware": h.aware.iso,
            "hazard_complaints": " ".join(h.complaints) or None,
            "hazard_concluded": moment(inv.concluded if inv else None),
            "hazard_found": inv.found if inv else None,
            "hazard_summary_sent": moment(h.summary_sent),
            "hazard_made_safe": moment(h.made_safe),
            "hazard_alternative_accommodation": moment(h.alternative_accommodation),
            "hazard_works_begun": moment(works.begun if works else None),
            "hazard_works_started": moment(works.started if works else None),
            "hazard_works_completed": moment(works.completed if works else None),
            "hazard_stopped": moment(stop.on if stop else None),
            "hazard_stopped_why": stop.why if stop else None,
        }
    )
    if judged is not None:
        out["hazard_judged"] = None if judged.scope.judged else judged.scope.reason
        for c in judged.clocks:
            key = "hazard_" + c.duty.replace("-", "_")
            out[key + "_due"] = c.due.strftime("%Y-%m-%dT%H:%M") if c.hours else c.due_day.isoformat()
            out[key + "_status"] = c.status
    return out
