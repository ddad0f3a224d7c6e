"""The Code's timescales applied to one case: what was due when, and whether it was met.

Every complaint has up to four milestones, each read from a timescale rule (clock) of the
edition that judges the stage (see :mod:`hcode.core.editions`; 2024 Code numbers shown):

* stage 1 acknowledgement (6.2): N working days after receipt;
* stage 1 response (6.3): N working days after the actual acknowledgement;
* stage 2 acknowledgement (6.11): N working days after the escalation request;
* stage 2 response (6.14): N working days after the stage 2 acknowledgement.

Earlier editions count from other events and in other units, all read from the catalogue:
``from: received | requested`` counts from the day the stage started; ``from: acknowledged``
from the actual acknowledgement; ``from: logged`` from the day the complaint was logged, which
is the stage's ``logged:`` date where the case file gives one, else the acknowledgement (the
Codes pair logging with acknowledging: "acknowledged and logged"), counted as ``acknowledged``.
``days`` are calendar days, ``working_days`` working days; an extension cap is
``max_working_days`` or ``max_days``.

Conventions (DESIGN section 6):

* Day 0 is the day of receipt (or request), whatever kind of day it is, unless the workspace
  counts receipt on a non-working day as receipt on the next working day.
* A response clock that runs from the acknowledgement runs from the actual acknowledgement.
  Where that acknowledgement was late, the milestone also carries the outer limit: the
  acknowledgement due date plus the response days (receipt + 5 + 10 at stage 1, request + 5 +
  20 at stage 2). Where no acknowledgement is recorded yet, the response is due by that outer
  limit.
* An extension moves the response due date only if the resident was told on or before the
  original due date. Its length is counted from the original due date in the unit of the
  edition's cap (working days in 2024, "a further 10 days" in 2020 and 2022); beyond the cap
  without a recorded good reason, the due date moves only as far as the cap.
* A response sent within the acknowledgement period with no separate acknowledgement counts as
  the acknowledgement.
* A complaint refused at a stage has no milestones at that stage; a stage with a withdrawal
  date has none after the withdrawal (whatever its ``outcome`` says), but a milestone already
  due before it still counts as missed.
* The case is judged as it stood on ``as_of``: an event dated after ``as_of`` has not happened
  yet (it is a ``dates.future`` error of its own) and counts for nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from hcode.core.asof import known
from hcode.core.calendar import WorkingCalendar
from hcode.core.editions import Editions
from hcode.core.model import Case, Code, Extension, Path, Stage, Timescale

STATUSES = ("met", "missed", "open", "due-soon", "overdue")
OPEN = ("overdue", "due-soon", "open")  # statuses of a milestone not yet done


@dataclass(slots=True)
class ExtensionCheck:
    """How an extension was judged."""

    original_due: date
    counted: bool  # the resident was told in time (or the date told is not recorded)
    length: int  # days (working days where ``working``) from the original due date to the extended date
    limit: int | None
    within_limit: bool
    effective_due: date
    working: bool = True  # the unit of ``length`` and ``limit``

    @property
    def unit(self) -> str:
        return "working days" if self.working else "days"


@dataclass(slots=True)
class Milestone:
    case: str
    stage: int
    event: str  # acknowledge | respond
    provision: str
    start_event: str  # received | requested | acknowledged | acknowledgement due
    start: date  # day 0 of the count
    working_days: int  # the days counted (calendar days where not ``working``)
    due: date
    done: date | None
    status: str
    path: Path  # where the done date is (or belongs) in the case file
    outer_due: date | None = None  # response after a late acknowledgement
    extension: ExtensionCheck | None = None
    note: str | None = None
    edition: str = ""  # the Code edition whose clock this is
    working: bool = True  # working days (False: calendar days)
    confirmed: bool = True  # the clock's number is confirmed from the edition's text


def still_open(m: Milestone) -> bool:
    """Whether ``m`` is still to be done as its case stood on the as-of day: not done, and not
    missed (a milestone already due when the complaint was withdrawn is missed, never done).
    The one definition: ``due``, ``case list``, ``case show``, a step's "Next:" line and the
    cache's settled cases all ask this."""
    return m.status in OPEN


def _status(done: date | None, due: date, as_of: date, soon: int, cal: WorkingCalendar) -> str:
    if done is not None:
        return "met" if done <= due else "missed"
    if as_of > due:
        return "overdue"
    if cal.between(as_of, due) <= soon:
        return "due-soon"
    return "open"


def judge_extension(
    ext: Extension, original_due: date, limit: int | None, cal: WorkingCalendar, working: bool = True
) -> ExtensionCheck:
    """How an extension counts: told in time, and within ``limit`` (working days, or calendar
    days where not ``working``) of the original due date unless a good reason is recorded."""
    counted = ext.notified is None or ext.notified <= original_due
    length = cal.days_between(original_due, ext.due, working)
    within = limit is None or length <= limit or ext.good_reason is not None
    if not counted:
        effective = original_due
    elif within:
        effective = max(ext.due, original_due)
    else:
        assert limit is not None
        effective = cal.add_days(original_due, limit, working)
    return ExtensionCheck(original_due, counted, length, limit, within, effective, working)


def _count(cal: WorkingCalendar, start: date, t: Timescale) -> tuple[date, int, bool] | None:
    """The due date ``t`` gives counted from ``start``, with its days and unit."""
    length = t.length
    if length is None:
        return None
    n, working = length
    return cal.add_days(start, n, working), n, working


def _as_of(stage: Stage, as_of: date) -> Stage:
    """``stage`` as it stood on ``as_of``: later events have not happened yet."""
    ext = stage.extension
    if ext is not None and ext.notified is not None and known(ext.notified, as_of) is None:
        ext = None  # the resident has not been told of it yet
    requested = known(stage.requested, as_of)
    acknowledged = known(stage.acknowledged, as_of)
    logged = known(stage.logged, as_of)
    responded = known(stage.responded, as_of)
    withdrawn = known(stage.withdrawn, as_of)
    if (
        ext is stage.extension
        and requested is stage.requested
        and acknowledged is stage.acknowledged
        and logged is stage.logged
        and responded is stage.responded
        and withdrawn is stage.withdrawn
    ):
        return stage  # everything had happened by then (the common case): nothing to copy
    return replace(
        stage,
        requested=requested,
        acknowledged=acknowledged,
        logged=logged,
        responded=responded,
        withdrawn=withdrawn,
        extension=ext,
    )


def _stage_milestones(
    case: Case,
    written: Stage,
    trigger: date,
    trigger_event: str,
    code: Code,
    cal: WorkingCalendar,
    as_of: date,
    soon: int,
) -> list[Milestone]:
    n = written.number
    stage = _as_of(written, as_of)
    key = f"stage{n}"
    ack_rule = code.timescale(n, "acknowledge")
    resp_rule = code.timescale(n, "respond")
    ext_rule = code.timescale(n, "extension")
    out: list[Milestone] = []
    end = stage.withdrawn  # withdrawn on this day (outcome: withdrawn or not: see case.withdrawn)
    closed_undated = written.outcome == "withdrawn" and written.withdrawn is None

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

    def milestone(event: str, t: Timescale, **kw: object) -> Milestone:
        return Milestone(
            case=case.id,
            stage=n,
            event=event,
            provision=code.rule_of(t, event),
            edition=code.code,
            confirmed=t.confirmed,
            **kw,  # type: ignore[arg-type]
        )

    ack_done = stage.acknowledged
    ack_due: date | None = None
    day0 = cal.day_zero(trigger)
    counted = _count(cal, day0, ack_rule) if ack_rule is not None else None
    if ack_rule is not None and counted is not None:
        ack_due, days, working = counted
        note = None
        done = ack_done
        if done is None and stage.responded is not None and stage.responded <= ack_due:
            done = stage.responded
            note = "no separate acknowledgement: the response itself acknowledged the complaint"
        if day0 != trigger:
            note = f"received on a non-working day: counted from {day0.isoformat()}"
        m = milestone(
            "acknowledge",
            ack_rule,
            start_event=trigger_event,
            start=day0,
            working_days=days,
            working=working,
            due=ack_due,
            done=done,
            status=status(done, ack_due),
            path=(key, "acknowledged"),
            note=note,
        )
        if keep(m):
            out.append(m)
    if resp_rule is not None and resp_rule.length is not None:
        days, working = resp_rule.length

        def plus(d: date) -> date:
            return cal.add_days(d, days, working)

        note = None
        outer: date | None = None
        if resp_rule.start in ("received", "requested"):
            start, start_event = day0, trigger_event
            due = plus(day0)
        elif resp_rule.start == "logged" and stage.logged is not None:
            start, start_event = stage.logged, "logged"
            due = plus(stage.logged)
        elif ack_done is not None:
            start, start_event = ack_done, "acknowledged"
            due = plus(ack_done)
            if ack_due is not None and ack_done > ack_due:
                outer = plus(ack_due)
                note = (
                    f"acknowledged late: counted from the acknowledgement; the outer limit "
                    f"(receipt + acknowledgement days + {days}) was {outer}"
                )
        elif ack_due is not None:
            start, start_event = ack_due, "acknowledgement due"
            due = plus(ack_due)
            note = "no acknowledgement recorded: counted from the day it was due"
        else:  # an edition with a response clock from the acknowledgement but no acknowledgement clock
            start, start_event = day0, trigger_event
            due = plus(day0)
        if resp_rule.start == "logged" and start_event == "acknowledged":
            start_event = "logged (acknowledged)"
        check = None
        if stage.extension is not None:
            cap = ext_rule.cap if ext_rule is not None else None
            limit, cap_working = cap if cap is not None else (None, True)
            check = judge_extension(stage.extension, due, limit, cal, cap_working)
            due = check.effective_due
        done = stage.responded
        m = milestone(
            "respond",
            resp_rule,
            start_event=start_event,
            start=start,
            working_days=days,
            working=working,
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


def milestones(case: Case, code: Code | Editions, cal: WorkingCalendar, as_of: date, soon: int = 2) -> list[Milestone]:
    """Every timescale milestone of ``case`` (none for service requests), each stage by the
    edition ``code`` gives it (one edition, or :class:`Editions` choosing by date), as the case
    stood on ``as_of``."""
    if not case.is_complaint or known(case.received, as_of) is None:
        return []
    refusal = case.refused if case.refused is not None and known(case.refused.date, as_of) is not None else None
    refused_stage = refusal.stage if refusal is not None else None
    out: list[Milestone] = []
    if refused_stage != 1:
        edition = code.for_stage(case, 1) if isinstance(code, Editions) else code
        if edition is not None:
            stage1 = case.stage1 or Stage(number=1)
            out += _stage_milestones(case, stage1, case.received, "received", edition, cal, as_of, soon)
    s2 = case.stage2
    if s2 is not None and s2.requested is not None and known(s2.requested, as_of) is not None and refused_stage != 2:
        edition = code.for_stage(case, 2) if isinstance(code, Editions) else code
        if edition is not None:
            out += _stage_milestones(case, s2, s2.requested, "requested", edition, cal, as_of, soon)
    return out
