"""Awaab's Law rules: hazard records (``kind: hazard``) judged by the clocks of the hazard
catalogue (``provisions/hazards/awaab-2025.yaml``; see :mod:`hcode.core.hazards` and
docs/hazards.md). Every timescale is reported as not yet confirmed from the Regulations' own
text while the catalogue says ``confirmed: false``.

* ``awaab.investigate``: the investigation concludes within 24 hours of the landlord becoming
  aware of an emergency hazard, within 10 working days for a significant one (error when
  missed or overdue, warning when due soon or when a date without a time cannot be placed
  against a 24-hour deadline).
* ``awaab.summary``: the written summary of the findings reaches the tenant within 3 working
  days of the investigation concluding (error, warning as above).
* ``awaab.make-safe``: the relevant safety work is done, or suitable alternative accommodation
  secured, within 24 hours of awareness (emergency), or within 5 working days of the
  investigation finding a significant hazard (24 hours of it finding an emergency) (error,
  warning as above).
* ``awaab.works-begin``: where further works are recorded (``works:``), they begin, or steps to
  begin them are taken, within 5 working days of the investigation concluding (error, warning).
* ``awaab.works-start``: further works physically start within 12 weeks of the investigation
  concluding (error, warning).
* ``awaab.phase``: a record that is not judged because of its hazard's phase says why, once
  (info): the phase had not begun when the landlord became aware, it has no start date yet, or
  the hazard is outside the Regulations at that risk.
* ``awaab.tenure``: a record of a low-cost home ownership (shared ownership) home is not judged,
  and says so once (info): it is outside the Regulations.
* ``awaab.hazard``: the ``hazard:`` is not one of the HHSRS hazards of the catalogue (error).
* ``awaab.complaint``: a complaint in the ``damp-and-mould`` category, received since Awaab's
  Law came into force, that no hazard record names (``complaint:``) asks whether a hazard was
  reported (info): the same report is very often both, and the Ombudsman asks whether the
  landlord kept to the Regulations' timelines.
* ``awaab.time``: an emergency record whose ``aware:`` has no time is judged from the start of
  that day, the earliest it can have been, and says so (info).

A hazard record's events are checked like a complaint's: ``dates.future`` (an event after
``--as-of``) and ``dates.order`` (an event before the landlord became aware, a summary before
the investigation concluded, works completed before they started).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from hcode.core.calendar import WorkingCalendar
from hcode.core.hazards import DUTY_WORDS, START_WORDS, HazardClock, hazard_clocks, hazard_events
from hcode.core.milestones import Milestone
from hcode.core.model import Case, Finding, Moment, Severity
from hcode.core.rules.context import Context, case_finding, past_breach
from hcode.core.rules.spec import Example, Rule

HAZARD_FILE = "cases/2025/HZ-2025-0001.yaml"


def hazard(
    body: str = "", *, aware: str = "2025-11-03T16:40", risk: str = "significant", hazard: str = "damp-and-mould"
) -> str:
    """A hazard record's file: its header, then ``body``."""
    return f"id: HZ-2025-0001\nkind: hazard\naware: {aware}\nhazard: {hazard}\nrisk: {risk}\ntenure: lcra\n{body}"


_DONE = (
    "investigation:\n  concluded: 2025-11-12\n  found: significant\nsummary_sent: 2025-11-14\nmade_safe: 2025-11-18\n"
)
_AS_OF = date(2025, 12, 31)


def _ex(text: str, note: str = "", as_of: date = _AS_OF) -> Example:
    return Example(text, file=HAZARD_FILE, as_of=as_of, note=note)


RULES = (
    Rule(
        name="awaab.investigate",
        summary="hazard investigation missed, overdue, or due soon",
        severities=("error", "warning"),
        passing=(_ex(hazard(_DONE)),),
        failing=(
            _ex(
                hazard("investigation:\n  concluded: 2025-11-19\n  found: significant\n"),
                "aware Monday 3 November 2025: the investigation was due by 17 November (10 working days)",
            ),
        ),
    ),
    Rule(
        name="awaab.summary",
        summary="written summary to the tenant missed, overdue, or due soon",
        severities=("error", "warning"),
        passing=(_ex(hazard(_DONE)),),
        failing=(
            _ex(
                hazard(_DONE.replace("summary_sent: 2025-11-14", "summary_sent: 2025-11-18")),
                "concluded Wednesday 12 November: the summary was due by 17 November (3 working days)",
            ),
        ),
    ),
    Rule(
        name="awaab.make-safe",
        summary="safety work (or alternative accommodation) missed, overdue, or due soon",
        severities=("error", "warning"),
        passing=(_ex(hazard(_DONE)),),
        failing=(
            _ex(
                hazard("investigation:\n  concluded: 2025-11-04T09:00\n  found: emergency\n", risk="emergency"),
                "an emergency hazard reported 16:40 on 3 November, not made safe",
            ),
        ),
    ),
    Rule(
        name="awaab.works-begin",
        summary="further works not begun within time",
        severities=("error", "warning"),
        passing=(_ex(hazard(_DONE + "works:\n  begun: 2025-11-19\n")),),
        failing=(
            _ex(
                hazard(_DONE + "works:\n  begun: 2025-11-20\n"),
                "concluded 12 November: further works were due to begin by 19 November",
            ),
        ),
    ),
    Rule(
        name="awaab.works-start",
        summary="further works not physically started within 12 weeks",
        severities=("error", "warning"),
        passing=(_ex(hazard(_DONE + "works:\n  begun: 2025-11-19\n  started: 2026-02-04\n"), as_of=date(2026, 3, 1)),),
        failing=(
            _ex(
                hazard(_DONE + "works:\n  begun: 2025-11-19\n  started: 2026-02-05\n"),
                "concluded 12 November 2025: the works were due to start by 4 February 2026",
                as_of=date(2026, 3, 1),
            ),
        ),
    ),
    Rule(
        name="awaab.phase",
        summary="a hazard reported before its phase of the Regulations began: not judged",
        severities=("info",),
        passing=(_ex(hazard(_DONE)),),
        failing=(_ex(hazard(_DONE, aware="2025-10-20"), "reported a week before Awaab's Law came into force"),),
    ),
    Rule(
        name="awaab.tenure",
        summary="a hazard in a low-cost home ownership home: outside the Regulations, not judged",
        severities=("info",),
        passing=(_ex(hazard(_DONE)),),
        failing=(_ex(hazard(_DONE).replace("tenure: lcra", "tenure: lcho"), "shared ownership"),),
    ),
    Rule(
        name="awaab.hazard",
        summary="the hazard is not one of the HHSRS hazards",
        severities=("error",),
        passing=(_ex(hazard(_DONE)),),
        failing=(_ex(hazard(_DONE, hazard="mould")),),
    ),
    Rule(
        name="awaab.complaint",
        summary="a damp-and-mould complaint with no hazard record linked",
        severities=("info",),
        passing=(
            Example(
                "id: C-2025-0142\nkind: complaint\nreceived: 2025-11-03\ncategory: damp-and-mould\n",
                file="cases/2025/C-2025-0142.yaml",
                as_of=date(2025, 11, 4),
                others=((HAZARD_FILE, hazard("complaint: C-2025-0142\n")),),
            ),
        ),
        failing=(
            Example(
                "id: C-2025-0142\nkind: complaint\nreceived: 2025-11-03\ncategory: damp-and-mould\n",
                file="cases/2025/C-2025-0142.yaml",
                as_of=date(2025, 11, 4),
            ),
        ),
    ),
    Rule(
        name="awaab.time",
        summary="an emergency reported without a time, judged from the start of the day",
        severities=("info",),
        passing=(_ex(hazard("made_safe: 2025-11-04T09:00\n", risk="emergency")),),
        failing=(_ex(hazard("made_safe: 2025-11-04T09:00\n", risk="emergency", aware="2025-11-03")),),
    ),
)

_UNCONFIRMED = " (a timescale not yet confirmed from the Regulations' text)"


def _what(c: HazardClock) -> str:
    return DUTY_WORDS[c.duty]


def _how(c: HazardClock) -> str:
    """``24 hours from awareness 2025-11-03 16:40``."""
    return f"{c.clock.describe().rsplit(' from ', 1)[0]} from {START_WORDS[c.start_event]} {c.start}"


def _late(c: HazardClock, cal: WorkingCalendar) -> str:
    """How late the event that met it was, in the clock's unit."""
    assert c.done is not None
    if c.hours:
        minutes = int((c.done.earliest - c.due).total_seconds() // 60)
        hours, rest = divmod(minutes, 60)
        return f"{hours} h {rest:02d} min" if hours else f"{rest} min"
    if c.clock.unit == "working_days":
        days = cal.between(c.due_day, c.done.day)
        return f"{days} working day{'s' if days != 1 else ''}"
    days = (c.done.day - c.due_day).days
    return f"{days} day{'s' if days != 1 else ''}"


def _found(case: Case, c: HazardClock, severity: Severity, message: str, hint: str | None = None) -> Finding:
    sure = "" if c.clock.confirmed else _UNCONFIRMED
    return case_finding(
        case,
        c.rule,
        severity,
        message + sure,
        path=c.path,
        hint=hint,
        due=c.due_day,
        actual=c.done.day if c.done is not None else None,
    )


def clock_findings(case: Case, clocks: Sequence[HazardClock], ctx: Context) -> Iterator[Finding]:
    """The findings of a record's counted clocks."""
    field = {c: ".".join(map(str, c.path)) for c in clocks}
    for c in clocks:
        what, due = _what(c), c.due_text()
        if c.status == "missed" and c.done is not None:
            said = f"{what} {c.done} is {_late(c, ctx.calendar)} after the deadline {due} ({_how(c)})"
            yield past_breach(_found(case, c, "error", said), case, 0, "a late step")
        elif c.status == "missed":
            assert c.stopped is not None
            said = f"{what} was due {due} ({_how(c)}) and was not done before the clock stopped on {c.stopped}"
            correct = f"record the date in {field[c]} if it was done"
            yield past_breach(_found(case, c, "error", said), case, 0, correct=correct)
        elif c.status == "overdue":
            yield _found(
                case,
                c,
                "error",
                f"{what} was due {due} ({_how(c)}) and is overdue as of {ctx.now or ctx.as_of:%Y-%m-%d %H:%M}"
                if ctx.now is not None
                else f"{what} was due {due} ({_how(c)}) and is overdue as of {ctx.as_of}",
                f"do it now and record it in {field[c]} (a date and time: YYYY-MM-DDTHH:MM)",
            )
        elif c.status == "due-soon":
            left = ""
            if ctx.now is not None and c.hours:
                left = f", {max(c.hours_left(ctx.now), 0):.1f} hours left"
            yield _found(
                case,
                c,
                "warning",
                f"{what} is due {due} ({_how(c)}{left})",
                f"record it in {field[c]} when it is done",
            )
        elif c.status == "unclear" and c.done is None:  # a clock stop with no time
            assert c.stopped is not None
            yield _found(
                case,
                c,
                "warning",
                f"{what} was due {due}; the clocks stopped on {c.stopped} with no time, "
                "so it cannot be told whether the stop came first",
                "write the time of the stop in stopped.on (YYYY-MM-DDTHH:MM)",
            )
        elif c.status == "unclear":
            assert c.done is not None
            yield _found(
                case,
                c,
                "warning",
                f"{what} {c.done} has no time, and the deadline was {due} that day: "
                "it cannot be told whether it was in time",
                f"write the time in {field[c]} (YYYY-MM-DDTHH:MM)",
            )


def _earlier(a: Moment, b: Moment) -> bool:
    """Whether ``a`` is known to be before ``b`` (on the same day only when both have times)."""
    if a.day != b.day:
        return a.day < b.day
    return a.time is not None and b.time is not None and a.time < b.time


def _order(case: Case) -> Iterator[Finding]:
    h = case.hazard
    assert h is not None
    aware = h.aware
    for name, path, when in hazard_events(h):
        if name != "aware" and _earlier(when, aware):
            yield case_finding(
                case,
                "dates.order",
                "error",
                f"{name} {when} is before the landlord became aware ({aware})",
                path=path,
                hint=f"check {name} and aware",
            )
    inv = h.investigation
    concluded = inv.concluded if inv is not None else None
    if concluded is not None and h.summary_sent is not None and _earlier(h.summary_sent, concluded):
        yield case_finding(
            case,
            "dates.order",
            "error",
            f"summary_sent {h.summary_sent} is before the investigation concluded ({concluded})",
            path=("summary_sent",),
            hint="check summary_sent and investigation.concluded",
        )
    w = h.works
    if w is not None and w.started is not None and w.completed is not None and _earlier(w.completed, w.started):
        yield case_finding(
            case,
            "dates.order",
            "error",
            f"works.completed {w.completed} is before works.started {w.started}",
            path=("works", "completed"),
            hint="check both dates",
        )


#: The category of complaints that ask whether a hazard was reported (``awaab.complaint``).
DAMP = "damp-and-mould"


def check(case: Case, ms: Sequence[Milestone], ctx: Context) -> Iterator[Finding]:
    h = case.hazard
    if h is None:
        rules = ctx.hazards
        if case.is_complaint and case.category == DAMP and rules is not None and case.received >= rules.in_force:
            # dropped by the scan when a hazard record names this complaint (hcode.store.scan)
            yield case_finding(
                case,
                "awaab.complaint",
                "info",
                "a damp-and-mould complaint with no hazard record naming it: was a hazard reported "
                "(Awaab's Law clocks run from when the landlord became aware)?",
                path=("category",),
                hint=f"log it with 'hcode case new --kind hazard --complaint {case.id} ...', "
                "or name this complaint in the hazard record's complaint:",
            )
        return
    for name, path, when in hazard_events(h):
        if when.day > ctx.as_of:
            yield case_finding(
                case,
                "dates.future",
                "error",
                f"{name} {when} is after {ctx.as_of}, the date of this check",
                path=path,
                actual=when.day,
                hint="an event that has happened cannot be in the future: check the date",
            )
    yield from _order(case)
    rules = ctx.hazards
    if rules is None:
        return
    if rules.hazard(h.hazard) is None:
        yield case_finding(
            case,
            "awaab.hazard",
            "error",
            f"the hazard {h.hazard!r} is not one of the HHSRS hazards of {rules.catalogue}: its clocks are not judged",
            path=("hazard",),
            hint="use one of: " + ", ".join(k.id for k in rules.hazards[:8]) + ", ... (docs/hazards.md lists all 29)",
        )
        return
    judged = hazard_clocks(case, rules, ctx.calendar, ctx.as_of, ctx.soon, ctx.now)
    if not judged.scope.judged:
        tenure = judged.scope.reason == "tenure"  # one rule per reason: text output groups by rule
        rule, where = ("awaab.tenure", ("tenure",)) if tenure else ("awaab.phase", ("aware",))
        yield case_finding(case, rule, "info", judged.scope.message or "not judged", path=where)
        return
    if h.risk == "emergency" and h.aware.time is None:
        yield case_finding(
            case,
            "awaab.time",
            "info",
            f"aware {h.aware} has no time: the 24-hour clocks are counted from {h.aware.day} 00:00, "
            "the earliest it can have been",
            path=("aware",),
            hint="write the time the landlord became aware: aware: YYYY-MM-DDTHH:MM",
        )
    yield from clock_findings(case, judged.clocks, ctx)
