"""Awaab's Law clocks applied to one hazard record: what was due when, and whether it was met.

The duties are data (``provisions/hazards/awaab-2025.yaml``, read into :class:`HazardRules`):
each clock names the duty (investigate, summary, make-safe, works-begin, works-start), the
risks it applies to, what it runs from (``aware`` or ``concluded``) and its length in one unit:

* **hours**: counted on the clock from the moment it runs from, through nights, weekends and
  bank holidays (24 hours from 16:40 on a Friday is 16:40 on the Saturday). An event written
  as a date with no time is read as the earliest moment of that day for the start (so the
  deadline can only be earlier than the real one), and an event that ends a clock on the
  deadline's own day with no time cannot be placed before or after it: its status is
  ``unclear`` and the record should carry the time.
* **working days**: the Code's convention (DESIGN section 6): the day it runs from is day 0,
  the deadline is the Nth working day after it.
* **weeks**: calendar weeks, day 0 the day it runs from: 12 weeks from Friday 14 November is
  Friday 6 February.

A record is judged only when its hazard's phase had begun on the day the landlord became aware
and its tenure is inside the Regulations (low-cost home ownership is not); :func:`scope` says
why not otherwise. A clock stop (``stopped:``) stops the clocks the catalogue names for its
reason from its day on: a clock already past due before the stop is still missed.

Everything is judged as the record stood on ``as_of`` (events dated later have not happened);
``now``, where given, is the moment of the run for the hours left on a running clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from hcode.core.calendar import Step, WorkingCalendar
from hcode.core.model import Case, Hazard, Moment, Path
from hcode.core.recall import JUDGING

DUTIES = ("investigate", "summary", "make-safe", "works-begin", "works-start")
UNITS = ("hours", "working_days", "weeks")
RISKS = ("significant", "emergency")
STOP_REASONS = ("decanted", "no-consent", "no-hazard")

#: What each duty is called in messages.
DUTY_WORDS = {
    "investigate": "investigation",
    "summary": "written summary",
    "make-safe": "safety work",
    "works-begin": "further works begun",
    "works-start": "further works physically started",
}
#: Where each record field is in the file (for ``done`` lists and finding locations).
FIELD_PATHS: dict[str, Path] = {
    "aware": ("aware",),
    "investigation.concluded": ("investigation", "concluded"),
    "summary_sent": ("summary_sent",),
    "made_safe": ("made_safe",),
    "alternative_accommodation": ("alternative_accommodation",),
    "works.begun": ("works", "begun"),
    "works.started": ("works", "started"),
    "works.completed": ("works", "completed"),
    "stopped.on": ("stopped", "on"),
}


@dataclass(frozen=True, slots=True)
class Phase:
    phase: int
    start: date | None  # None: announced, not yet in force
    confirmed: bool = False
    covers: str | None = None
    source: str | None = None
    quote: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class HazardKind:
    """One HHSRS hazard and the phase that brings it in for each risk (None: never)."""

    id: str
    name: str
    significant: int | None
    emergency: int | None

    def phase_for(self, risk: str) -> int | None:
        return self.emergency if risk == "emergency" else self.significant


@dataclass(frozen=True, slots=True)
class Clock:
    """One duty's timescale from the catalogue."""

    duty: str
    risk: tuple[str, ...]
    start: str  # aware | concluded
    amount: int
    unit: str  # hours | working_days | weeks
    done: tuple[str, ...]  # record fields that meet it (the earliest counts)
    found: tuple[str, ...] = ()  # what the investigation found (empty: any)
    needs: str | None = None  # works: judged only where further works are recorded
    confirmed: bool = False
    source: str | None = None
    quote: str | None = None

    @property
    def rule(self) -> str:
        return f"awaab.{self.duty}"

    def describe(self) -> str:
        """``24 hours from aware``, ``10 working days from aware``, ``12 weeks from concluded``."""
        return f"{amount_text(self.amount, self.unit)} from {START_WORDS.get(self.start, self.start)}"


START_WORDS = {"aware": "awareness", "concluded": "the investigation's conclusion"}


def amount_text(n: int, unit: str) -> str:
    word = {"hours": "hour", "working_days": "working day", "weeks": "week"}[unit]
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class StopRule:
    why: str
    stops: tuple[str, ...]
    meaning: str = ""
    confirmed: bool = False
    source: str | None = None
    quote: str | None = None


@dataclass(frozen=True)
class HazardRules:
    """The catalogue of Awaab's Law duties."""

    catalogue: str
    title: str
    in_force: date
    phases: tuple[Phase, ...]
    hazards: tuple[HazardKind, ...]
    clocks: tuple[Clock, ...]
    stops: tuple[StopRule, ...]
    outside_tenures: tuple[str, ...] = ("lcho",)
    short: str = "Awaab's Law"
    source: str | None = None

    def hazard(self, hazard_id: str) -> HazardKind | None:
        return next((h for h in self.hazards if h.id == hazard_id), None)

    def phase(self, number: int) -> Phase | None:
        return next((p for p in self.phases if p.phase == number), None)

    def stop(self, why: str) -> StopRule | None:
        return next((s for s in self.stops if s.why == why), None)

    def clock(self, duty: str, risk: str, found: str) -> Clock | None:
        """The first clock of ``duty`` that fits a record reported as ``risk`` whose
        investigation found ``found``."""
        for c in self.clocks:
            if c.duty == duty and risk in c.risk and (not c.found or found in c.found):
                return c
        return None


# -- scope ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scope:
    """Whether a record is judged, and if not why (``reason``: unknown-hazard, never, phase,
    tenure)."""

    judged: bool
    reason: str | None = None
    message: str | None = None
    phase: Phase | None = None


def scope(h: Hazard, tenure: str | None, rules: HazardRules) -> Scope:
    """Whether ``h`` is judged under ``rules``, and if not, the one sentence that says why."""
    kind = rules.hazard(h.hazard)
    if kind is None:
        return Scope(False, "unknown-hazard", f"{h.hazard!r} is not one of the HHSRS hazards of {rules.catalogue}")
    if tenure in rules.outside_tenures:
        return Scope(
            False,
            "tenure",
            f"low-cost home ownership ({tenure}) is outside {rules.short}: its clocks are not judged",
        )
    number = kind.phase_for(h.risk)
    if number is None:
        return Scope(False, "never", f"{kind.name} is outside {rules.short} as a {h.risk} hazard: not judged")
    phase = rules.phase(number)
    if phase is None or phase.start is None:
        return Scope(
            False,
            "phase",
            f"{kind.name} as a {h.risk} hazard comes in with phase {number}, which has no start date yet: not judged",
            phase,
        )
    if h.aware.day < phase.start:
        sure = "" if phase.confirmed else " (a date not confirmed from the Regulations' text)"
        return Scope(
            False,
            "phase",
            f"reported {h.aware.day}, before phase {number} brought {kind.name} in as a {h.risk} hazard "
            f"on {phase.start}{sure}: not judged",
            phase,
        )
    return Scope(True, phase=phase)


# -- one clock ------------------------------------------------------------------------------------

STATUSES = ("met", "missed", "unclear", "open", "due-soon", "overdue", "stopped")
OPEN = ("overdue", "due-soon", "open")


@dataclass(frozen=True, slots=True)
class HazardClock:
    """One duty of one record, counted."""

    case: str
    clock: Clock
    start: Moment  # what it runs from
    start_event: str  # aware | concluded
    due: datetime  # hours: the moment; days and weeks: the end of the due day
    done: Moment | None
    done_event: str | None  # which field met it
    status: str
    path: Path  # where the done date is (or belongs)
    stopped: Moment | None = None  # the clock stop that ended it
    notes: tuple[str, ...] = ()

    @property
    def duty(self) -> str:
        return self.clock.duty

    @property
    def rule(self) -> str:
        return self.clock.rule

    @property
    def hours(self) -> bool:
        return self.clock.unit == "hours"

    @property
    def due_day(self) -> date:
        return self.due.date()

    def due_text(self) -> str:
        """``2025-11-04 16:40`` for an hours clock, ``2025-11-17`` otherwise."""
        return self.due.strftime("%Y-%m-%d %H:%M") if self.hours else self.due_day.isoformat()

    def hours_left(self, now: datetime) -> float:
        """Hours from ``now`` to the deadline (negative once it has passed)."""
        return (self.due - now).total_seconds() / 3600


def deadline(clock: Clock, start: Moment, cal: WorkingCalendar) -> datetime:
    """When ``clock`` runs out, counted from ``start``: for hours the moment (from the earliest
    moment of ``start``); for working days and weeks the last minute of the due day."""
    if clock.unit == "hours":
        return start.earliest + timedelta(hours=clock.amount)
    if clock.unit == "working_days":
        day = cal.add(start.day, clock.amount)
    else:
        day = start.day + timedelta(weeks=clock.amount)
    return datetime.combine(day, time(23, 59))


def _known(m: Moment | None, as_of: date) -> Moment | None:
    return m if m is not None and m.day <= as_of else None


def _field(h: Hazard, name: str) -> Moment | None:
    if name == "investigation.concluded":
        return h.investigation.concluded if h.investigation else None
    if name.startswith("works."):
        return getattr(h.works, name[6:]) if h.works else None
    if name == "stopped.on":
        return h.stopped.on if h.stopped else None
    value = getattr(h, name)
    return value if isinstance(value, Moment) else None


def _before(a: Moment, due: datetime, hours: bool) -> bool | None:
    """Whether event ``a`` was on time for ``due``: True, False, or None where ``a`` has no
    time and falls on the deadline's own day of an hours clock (it cannot be told)."""
    if not hours:
        return a.day <= due.date()
    if a.time is not None:
        return a.earliest <= due
    if a.day < due.date():
        return True
    if a.day > due.date():
        return False
    return None


def judge_clock(
    case_id: str,
    h: Hazard,
    clock: Clock,
    start: Moment,
    cal: WorkingCalendar,
    as_of: date,
    soon: int = 2,
    now: datetime | None = None,
    stops: Sequence[StopRule] = (),
) -> HazardClock:
    """Count ``clock`` for record ``h`` from ``start`` and judge it as on ``as_of``."""
    due = deadline(clock, start, cal)
    hours = clock.unit == "hours"
    notes: list[str] = []
    if hours and start.time is None:
        notes.append(f"{clock.start} has no time: counted from {start.day} 00:00, the earliest it can have been")
    done: Moment | None = None
    done_event: str | None = None
    for name in clock.done:
        found = _known(_field(h, name), as_of)
        if found is not None and (done is None or found.earliest < done.earliest):
            done, done_event = found, name
    path = FIELD_PATHS[clock.done[0]]
    stop = _known(h.stopped.on, as_of) if h.stopped is not None else None
    stopping = stop is not None and any(s.why == h.stopped.why and clock.duty in s.stops for s in stops)  # type: ignore[union-attr]
    if done is not None and done_event is not None:
        path = FIELD_PATHS[done_event]
        if done_event == "alternative_accommodation":
            notes.append("met by securing alternative accommodation")
        on_time = _before(done, due, hours)
        status = "met" if on_time else "missed" if on_time is False else "unclear"
        if status == "unclear":
            notes.append(f"{done_event} {done} has no time and the deadline is {due:%Y-%m-%d %H:%M}")
        return HazardClock(case_id, clock, start, clock.start, due, done, done_event, status, path, None, tuple(notes))
    if stopping:
        assert stop is not None and h.stopped is not None
        ended_in_time = _before(stop, due, hours)
        if ended_in_time is None:  # a stop without a time on a 24-hour deadline's own day
            notes.append(f"stopped {stop} ({h.stopped.why}) with no time, the day the deadline {due:%H:%M} fell")
            return HazardClock(case_id, clock, start, clock.start, due, None, None, "unclear", path, stop, tuple(notes))
        if ended_in_time:
            notes.append(f"clock stopped {stop} ({h.stopped.why})")
            return HazardClock(case_id, clock, start, clock.start, due, None, None, "stopped", path, stop, tuple(notes))
        notes.append(f"stopped {stop} ({h.stopped.why}), after it was already due")
        return HazardClock(case_id, clock, start, clock.start, due, None, None, "missed", path, stop, tuple(notes))
    if now is not None:
        soon_enough = hours or cal.between(now.date(), due.date()) <= soon
        status = "overdue" if now > due else "due-soon" if soon_enough else "open"
    elif due.date() < as_of:
        status = "overdue"
    elif hours or cal.between(as_of, due.date()) <= soon:
        status = "due-soon"
    else:
        status = "open"
    return HazardClock(case_id, clock, start, clock.start, due, None, None, status, path, None, tuple(notes))


def found_risk(h: Hazard, as_of: date) -> str:
    """What the investigation found as known on ``as_of``, else the risk as reported."""
    inv = h.investigation
    if inv is not None and inv.found is not None and _known(inv.concluded, as_of) is not None:
        return inv.found
    if inv is not None and inv.found is not None and inv.concluded is None:
        return inv.found
    return h.risk


@dataclass(frozen=True, slots=True)
class HazardJudgement:
    """Every clock of one record, and what was not counted and why."""

    scope: Scope
    clocks: tuple[HazardClock, ...]
    waiting: tuple[tuple[str, str], ...] = ()  # (duty, why it has not started or does not apply)


def hazard_clocks(
    case: Case,
    rules: HazardRules,
    cal: WorkingCalendar,
    as_of: date,
    soon: int = 2,
    now: datetime | None = None,
) -> HazardJudgement:
    """The clocks of hazard record ``case`` as it stood on ``as_of`` (none when it is not
    judged: :attr:`HazardJudgement.scope` says why); counted once for the same question while the
    record is being judged (:data:`hcode.core.recall.JUDGING`)."""
    question = ("clocks", id(rules), id(cal), as_of, soon, now)
    return JUDGING.answer(case, question, lambda: _judge_clocks(case, rules, cal, as_of, soon, now))


def _judge_clocks(
    case: Case,
    rules: HazardRules,
    cal: WorkingCalendar,
    as_of: date,
    soon: int,
    now: datetime | None,
) -> HazardJudgement:
    h = case.hazard
    assert h is not None
    where = scope(h, case.tenure, rules)
    if not where.judged or _known(h.aware, as_of) is None:
        return HazardJudgement(where, ())
    found = found_risk(h, as_of)
    concluded = _known(h.investigation.concluded if h.investigation else None, as_of)
    out: list[HazardClock] = []
    waiting: list[tuple[str, str]] = []
    for duty in DUTIES:
        clock = rules.clock(duty, h.risk, found)
        if clock is None:
            if found == "none":
                waiting.append((duty, "the investigation found no hazard"))
            continue
        if clock.needs == "works" and h.works is None:
            waiting.append((duty, "no further works recorded (works:)"))
            continue
        start = h.aware if clock.start == "aware" else concluded
        if start is None:
            waiting.append((duty, "runs from the investigation's conclusion, not recorded yet"))
            continue
        out.append(judge_clock(case.id, h, clock, start, cal, as_of, soon, now, rules.stops))
    return HazardJudgement(where, tuple(out), tuple(waiting))


# -- explanations ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HourSpan:
    """One calendar day of an hours clock: the hours of it that counted."""

    day: date
    start: time
    end: time | None  # None: to midnight
    hours: float  # hours counted on this day
    total: float  # hours counted to the end of this span
    note: str | None  # weekend or bank holiday: counted all the same


def explain_hours(start: datetime, hours: int, cal: WorkingCalendar) -> list[HourSpan]:
    """The hours of a clock day by day from ``start``: every hour counts, the explanation names
    the weekends and bank holidays it runs through."""
    end = start + timedelta(hours=hours)
    out: list[HourSpan] = []
    moment = start
    total = 0.0
    while moment < end:
        midnight = datetime.combine(moment.date() + timedelta(days=1), time.min)
        stop = min(midnight, end)
        span = (stop - moment).total_seconds() / 3600
        total += span
        why = cal.reason(moment.date())
        note = f"{why}: counted (hours run through weekends and bank holidays)" if why else None
        out.append(HourSpan(moment.date(), moment.time(), None if stop == midnight else stop.time(), span, total, note))
        moment = stop
    return out


def explain_days(start: date, n: int, cal: WorkingCalendar) -> list[Step]:
    """The working days of a clock day by day (the calendar's own explanation)."""
    return cal.explain(start, n)


def explain_weeks(start: date, n: int) -> list[tuple[int, date]]:
    """The end of each week of a clock counted in calendar weeks: (week, day)."""
    return [(i, start + timedelta(weeks=i)) for i in range(1, n + 1)]


def hazard_events(h: Hazard) -> list[tuple[str, Path, Moment]]:
    """Every dated event of a hazard record, with where it is in the file, in file order."""
    out: list[tuple[str, Path, Moment]] = []
    for name, path in FIELD_PATHS.items():
        found = h.aware if name == "aware" else _field(h, name)
        if found is not None:
            out.append((name, path, found))
    return out


# -- rows of ``hcode due`` -------------------------------------------------------------------------

#: Where a status sorts in ``due``: a running 24-hour clock comes before everything else.
_ORDER = {"overdue": 0, "due-soon": 1, "open": 2, "unclear": 3, "missed": 3, "met": 4, "stopped": 4}


def due_row(
    c: HazardClock, cal: WorkingCalendar, as_of: date, catalogue: str
) -> tuple[list[object], dict[str, object]]:
    """One hazard clock as a row of ``hcode due`` (DESIGN 5.3's fields, ``due`` the due day;
    ``due_at`` the deadline's moment for an hours clock, ``hours`` its length), with its place
    in the listing: a running hours clock first of all."""
    running = c.status in OPEN
    left = cal.between(as_of, c.due_day) if running else None
    row: dict[str, object] = {
        "case": c.case,
        "stage": None,
        "event": c.duty,
        "provision": c.rule,
        "from": c.start.day.isoformat(),
        "working_days": c.clock.amount if c.clock.unit == "working_days" else None,
        "due": c.due_day.isoformat(),
        "done": c.done.day.isoformat() if c.done is not None else None,
        "status": c.status,
        "left": left,
        "edition": catalogue,
        "counted_from": c.start_event,
        "days": c.clock.amount * 7 if c.clock.unit == "weeks" else None,
        "confirmed": c.clock.confirmed,
        "hazard": True,
        "hours": c.clock.amount if c.hours else None,
        "due_at": c.due.strftime("%Y-%m-%dT%H:%M") if c.hours else None,
        "hours_left": None,
    }
    first = -1 if running and c.hours else _ORDER[c.status]
    return [first, row["due_at"] or c.due_day.isoformat(), c.case, 8, c.duty], row


def refresh_row(row: dict[str, object], now: datetime | None) -> dict[str, object]:
    """A ``due`` row of a running hours clock as at ``now`` (the moment of the run): its hours
    left and whether it has run out. Rows are kept for a whole day; the hours change by the
    minute, so they are worked out afresh each run."""
    at = row.get("due_at")
    if now is None or not isinstance(at, str) or row.get("status") not in OPEN:
        return row
    due = datetime.fromisoformat(at)
    left = (due - now).total_seconds() / 3600
    return {**row, "hours_left": round(left, 1), "status": "overdue" if left < 0 else "due-soon"}


def hazard_due_rows(
    case: Case, rules: HazardRules, cal: WorkingCalendar, as_of: date, soon: int, *, open_only: bool
) -> list[tuple[list[object], dict[str, object]]]:
    """A hazard record's rows of ``hcode due`` as on ``as_of`` (hours left: :func:`refresh_row`)."""
    if case.hazard is None:
        return []
    judged = hazard_clocks(case, rules, cal, as_of, soon)
    return [due_row(c, cal, as_of, rules.catalogue) for c in judged.clocks if not open_only or c.status in OPEN]


def next_due_text(case: Case, rules: HazardRules, cal: WorkingCalendar, as_of: date, now: datetime | None) -> str:
    """What a case step prints after writing a hazard record: the next deadline, or why none."""
    judged = hazard_clocks(case, rules, cal, as_of, now=now)
    if not judged.scope.judged:
        return f"Not judged: {judged.scope.message}."
    pending = sorted((c for c in judged.clocks if c.status in OPEN), key=lambda c: c.due)
    if not pending:
        return "Nothing more is due for this hazard."
    c = pending[0]
    left = f", {c.hours_left(now):.1f} hours left" if c.hours and now is not None else ""
    state = " - OVERDUE" if c.status == "overdue" else ""
    return f"Next: {DUTY_WORDS[c.duty]} due {c.due_text()} ({c.rule}{left}){state}"


def list_fields(case: Case, rules: HazardRules, cal: WorkingCalendar, as_of: date, soon: int) -> dict[str, object]:
    """A hazard record's part of its ``case list`` row: open, the next duty, its due day and status."""
    judged = hazard_clocks(case, rules, cal, as_of, soon)
    pending = sorted((c for c in judged.clocks if c.status in OPEN), key=lambda c: c.due)
    nxt = pending[0] if pending else None
    return {
        "stage": None,
        "open": bool(pending),
        "next": None if nxt is None else nxt.duty,
        "due": None if nxt is None else nxt.due_day.isoformat(),
        "status": None if nxt is None else nxt.status,
    }


# -- the annual report's hazards section -----------------------------------------------------------

#: The duties the annual report shows, with their labels.
REPORTED_DUTIES = (
    ("investigate", "Investigated within time"),
    ("summary", "Written summary sent within time"),
    ("make-safe", "Made safe within time"),
    ("works-begin", "Further works begun within time"),
    ("works-start", "Further works physically started within time"),
)


def annual_hazards(
    cases: Sequence[Case], rules: HazardRules, cal: WorkingCalendar, start: date, end: date, as_of: date | None
) -> dict[str, object] | None:
    """The annual report's hazards section (None: no hazard records at all): hazards reported in
    the year by hazard and risk; each duty's clocks settled in the year (done, or due, in it)
    and how many were met; records not judged; hazards linked to complaints. Counts only: no
    ids, no dates of any one record."""
    from hcode.core.percent import ratio

    records = [c for c in cases if c.hazard is not None]
    if not records:
        return None
    last = min(end, as_of) if as_of is not None else end
    judged_on = last
    in_year = [c for c in records if start <= c.received <= last]
    names = {k.id: k.name for k in rules.hazards}
    by_hazard: dict[str, dict[str, int]] = {}
    for c in in_year:
        assert c.hazard is not None
        row = by_hazard.setdefault(c.hazard.hazard, {"significant": 0, "emergency": 0})
        row[c.hazard.risk] = row.get(c.hazard.risk, 0) + 1
    rows = [
        {
            "hazard": names.get(h, h),
            "significant": n["significant"],
            "emergency": n["emergency"],
            "total": n["significant"] + n["emergency"],
        }
        for h, n in by_hazard.items()
    ]
    rows.sort(key=lambda r: (-int(str(r["total"])), str(r["hazard"])))
    met: dict[str, int] = dict.fromkeys(DUTIES, 0)
    settled: dict[str, int] = dict.fromkeys(DUTIES, 0)
    unclear: dict[str, int] = dict.fromkeys(DUTIES, 0)
    not_judged: dict[str, int] = {}
    for c in records:
        judged = hazard_clocks(c, rules, cal, judged_on)
        if not judged.scope.judged:
            if start <= c.received <= last:
                reason = judged.scope.reason or "other"
                not_judged[reason] = not_judged.get(reason, 0) + 1
            continue
        for k in judged.clocks:
            if k.status == "stopped":
                continue
            day = k.done.day if k.done is not None else k.due_day
            if not start <= day <= last or k.status in ("open", "due-soon"):
                continue
            settled[k.duty] += 1
            met[k.duty] += k.status == "met"
            unclear[k.duty] += k.status == "unclear"
    within = [
        {"duty": duty, "label": label, "cell": ratio(met[duty], settled[duty]), "unclear": unclear[duty]}
        for duty, label in REPORTED_DUTIES
    ]
    linked = [c for c in in_year if c.hazard is not None and c.hazard.complaints]
    complaints = {x for c in linked if c.hazard is not None for x in c.hazard.complaints}
    return {
        "reported": len(in_year),
        "significant": sum(1 for c in in_year if c.hazard is not None and c.hazard.risk == "significant"),
        "emergency": sum(1 for c in in_year if c.hazard is not None and c.hazard.risk == "emergency"),
        "by_hazard": rows,
        "within_time": within,
        "not_judged": {
            "phase": not_judged.get("phase", 0) + not_judged.get("never", 0),
            "lcho": not_judged.get("tenure", 0),
        },
        "linked": {"hazards": len(linked), "complaints": len(complaints)},
        "catalogue": rules.catalogue,
        "in_force": end >= rules.in_force,  # Awaab's Law was in force during the year
        "confirmed": all(k.confirmed for k in rules.clocks),
    }
