"""The Code's timescales applied to one case: what was due when, and whether it was met.

Every complaint has up to four milestones, each read from a timescale rule of the provisions
catalogue (2024 Code numbers shown):

* stage 1 acknowledgement (6.2): N working days after receipt;
* stage 1 response (6.3): N working days after the actual acknowledgement;
* stage 2 acknowledgement (6.11): N working days after the escalation request;
* stage 2 response (6.14): N working days after the stage 2 acknowledgement.

Conventions (DESIGN section 6):

* Day 0 is the day of receipt (or request), whatever kind of day it is, unless the workspace
  counts receipt on a non-working day as receipt on the next working day.
* A response clock runs from the actual acknowledgement. Where the acknowledgement was late,
  the milestone also carries the outer limit: the acknowledgement due date plus the response
  days (receipt + 5 + 10 at stage 1, request + 5 + 20 at stage 2). Where no acknowledgement is
  recorded yet, the response is due by that outer limit.
* An extension moves the response due date only if the resident was told on or before the
  original due date. Its length is counted in working days from the original due date; beyond
  the extension limit (6.4: 10, 6.15: 20) without a recorded good reason, the due date moves
  only as far as the limit.
* A response sent within the acknowledgement period with no separate acknowledgement counts as
  the acknowledgement.
* A complaint refused at a stage has no milestones at that stage; a stage withdrawn has none
  after the withdrawal, but a milestone already due before it still counts as missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hcode.core.calendar import WorkingCalendar
from hcode.core.model import Case, Code, Extension, Path, Stage

STATUSES = ("met", "missed", "open", "due-soon", "overdue")
OPEN = ("overdue", "due-soon", "open")  # statuses of a milestone not yet done


@dataclass(slots=True)
class ExtensionCheck:
    """How an extension was judged."""

    original_due: date
    counted: bool  # the resident was told in time (or the date told is not recorded)
    length: int  # working days from the original due date to the extended date
    limit: int | None
    within_limit: bool
    effective_due: date


@dataclass(slots=True)
class Milestone:
    case: str
    stage: int
    event: str  # acknowledge | respond
    provision: str
    start_event: str  # received | requested | acknowledged | acknowledgement due
    start: date  # day 0 of the count
    working_days: int
    due: date
    done: date | None
    status: str
    path: Path  # where the done date is (or belongs) in the case file
    outer_due: date | None = None  # response after a late acknowledgement
    extension: ExtensionCheck | None = None
    note: str | None = None


def _status(done: date | None, due: date, as_of: date, soon: int, cal: WorkingCalendar) -> str:
    if done is not None:
        return "met" if done <= due else "missed"
    if as_of > due:
        return "overdue"
    if cal.between(as_of, due) <= soon:
        return "due-soon"
    return "open"


def judge_extension(ext: Extension, original_due: date, limit: int | None, cal: WorkingCalendar) -> ExtensionCheck:
    counted = ext.notified is None or ext.notified <= original_due
    length = cal.between(original_due, ext.due)
    within = limit is None or length <= limit or ext.good_reason is not None
    if not counted:
        effective = original_due
    elif within:
        effective = max(ext.due, original_due)
    else:
        assert limit is not None
        effective = cal.add(original_due, limit)
    return ExtensionCheck(original_due, counted, length, limit, within, effective)


def _stage_milestones(
    case: Case,
    stage: Stage,
    trigger: date,
    trigger_event: str,
    code: Code,
    cal: WorkingCalendar,
    as_of: date,
    soon: int,
) -> list[Milestone]:
    n = stage.number
    key = f"stage{n}"
    ack_rule = code.timescale(n, "acknowledge")
    resp_rule = code.timescale(n, "respond")
    ext_rule = code.timescale(n, "extension")
    out: list[Milestone] = []
    end = stage.withdrawn if stage.outcome == "withdrawn" else None
    closed_undated = stage.outcome == "withdrawn" and end is None

    def status(done: date | None, due: date) -> str:
        if done is None and end is not None and due < end:
            return "missed"  # withdrawn after this was already due
        return _status(done, due, as_of, soon, cal)

    def keep(m: Milestone) -> bool:
        if m.done is not None:
            return True
        if closed_undated:
            return False
        if end is not None:
            return m.due < end
        return True

    ack_done = stage.acknowledged
    ack_due: date | None = None
    if ack_rule is not None and ack_rule.timescale is not None:
        days = ack_rule.timescale.working_days or 0
        start = cal.day_zero(trigger)
        ack_due = cal.add(start, days)
        note = None
        done = ack_done
        if done is None and stage.responded is not None and stage.responded <= ack_due:
            done = stage.responded
            note = "no separate acknowledgement: the response itself acknowledged the complaint"
        if start != trigger:
            note = f"received on a non-working day: counted from {start.isoformat()}"
        m = Milestone(
            case=case.id,
            stage=n,
            event="acknowledge",
            provision=ack_rule.id,
            start_event=trigger_event,
            start=start,
            working_days=days,
            due=ack_due,
            done=done,
            status=status(done, ack_due),
            path=(key, "acknowledged"),
            note=note,
        )
        if keep(m):
            out.append(m)
    if resp_rule is not None and resp_rule.timescale is not None:
        days = resp_rule.timescale.working_days or 0
        outer = cal.add(ack_due, days) if ack_due is not None else None
        note = None
        if ack_done is not None:
            start, start_event = ack_done, "acknowledged"
            due = cal.add(ack_done, days)
            if ack_due is not None and ack_done > ack_due:
                note = (
                    f"acknowledged late: counted from the acknowledgement; the outer limit "
                    f"(receipt + acknowledgement days + {days}) was {outer}"
                )
            else:
                outer = None
        elif ack_due is not None:
            start, start_event = ack_due, "acknowledgement due"
            due = cal.add(ack_due, days)
            outer = None
            note = "no acknowledgement recorded: counted from the day it was due"
        else:  # pragma: no cover - a catalogue with a response rule but no acknowledgement rule
            start, start_event = trigger, "received"
            due = cal.add(trigger, days)
        check = None
        if stage.extension is not None:
            limit = ext_rule.timescale.max_working_days if ext_rule and ext_rule.timescale else None
            check = judge_extension(stage.extension, due, limit, cal)
            due = check.effective_due
        done = stage.responded
        m = Milestone(
            case=case.id,
            stage=n,
            event="respond",
            provision=resp_rule.id,
            start_event=start_event,
            start=start,
            working_days=days,
            due=due,
            done=done,
            status=status(done, due),
            path=(key, "responded"),
            outer_due=outer,
            extension=check,
            note=note,
        )
        if keep(m):
            out.append(m)
    return out


def milestones(case: Case, code: Code, cal: WorkingCalendar, as_of: date, soon: int = 2) -> list[Milestone]:
    """Every timescale milestone of ``case`` (none for service requests)."""
    if not case.is_complaint:
        return []
    refused_stage = case.refused.stage if case.refused is not None else None
    out: list[Milestone] = []
    if refused_stage != 1:
        stage1 = case.stage1 or Stage(number=1)
        out += _stage_milestones(case, stage1, case.received, "received", code, cal, as_of, soon)
    if case.stage2 is not None and case.stage2.requested is not None and refused_stage != 2:
        out += _stage_milestones(case, case.stage2, case.stage2.requested, "requested", code, cal, as_of, soon)
    return out
