"""Typed records for the Code, the workspace settings, self-assessments, cases and findings.

Plain dataclasses: no I/O, no printing, no behaviour beyond simple derived values. The Code and
the settings are frozen; per-case records are not (a frozen dataclass costs several times as
much to build, and a check builds hundreds of thousands of them), but nothing changes them after
they are read.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time
from typing import Any, Literal

PathPart = str | int
Path = tuple[PathPart, ...]  # a location inside a YAML document: keys and list indexes

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


def fails(f: Finding, fail_on: str, *, recorded: bool = False) -> bool:
    """Whether ``f`` fails a run with ``--fail-on fail_on`` (error, warning or never): at or
    above that severity and something to act on. A recorded breach (its reason, apology and
    learning written in the case file) fails only when ``recorded`` asks for it too."""
    if fail_on == "never" or (f.recorded and not recorded):
        return False
    return SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on]


CLOCK_STARTS = ("received", "logged", "acknowledged", "requested")


@dataclass(frozen=True, slots=True)
class Timescale:
    """A timescale rule of the Code (one clock), read from the provisions catalogue.

    A clock counts ``working_days`` or ``days`` (calendar days) from ``start``; an extension
    rule caps the extension at ``max_working_days`` or ``max_days``. ``confirmed`` is false
    where the number was not seen in the edition's own text (``source`` and ``quote`` say where
    it comes from).
    """

    stage: int
    event: str  # acknowledge | respond | extension
    start: str | None = None  # received | logged | acknowledged | requested
    working_days: int | None = None
    max_working_days: int | None = None
    days: int | None = None  # calendar days
    max_days: int | None = None  # calendar days
    provision: str | None = None  # the provision (or form question) that sets it
    source: str | None = None
    quote: str | None = None
    confirmed: bool = True
    opt_in: bool = False  # no provision sets it: judged only where the workspace opts in

    @property
    def name(self) -> str:
        """How hcode.yaml's ``opt_in_clocks`` names it, without the edition: "stage 2 acknowledge"."""
        return f"stage {self.stage} {self.event}"

    @property
    def length(self) -> tuple[int, bool] | None:
        """(days, working) of a clock: None where the catalogue gives no number."""
        if self.working_days is not None:
            return self.working_days, True
        if self.days is not None:
            return self.days, False
        return None

    @property
    def cap(self) -> tuple[int, bool] | None:
        """(days, working) of an extension limit: None where there is none."""
        if self.max_working_days is not None:
            return self.max_working_days, True
        if self.max_days is not None:
            return self.max_days, False
        return None

    def describe(self, flag: bool = True) -> str:
        """``5 working days from received``, ``up to a further 10 days`` (an extension; ``flag``:
        say so when the number is not confirmed)."""

        def amount(n: int, working: bool) -> str:
            return f"{n} {'working ' if working else ''}day{'' if n == 1 else 's'}"

        if self.event == "extension":
            cap = self.cap
            text = "no limit given" if cap is None else f"up to a further {amount(*cap)}"
        else:
            length = self.length
            text = "no number given" if length is None else amount(*length)
            if self.start:
                text += f" from {self.start}"
        return text + ("" if self.confirmed or not flag else " (not confirmed from the Code's text)")


@dataclass(frozen=True, slots=True)
class Provision:
    id: str
    text: str
    section: int
    assessed: bool = True
    group: str | None = None
    timescale: Timescale | None = None
    check: str | None = None  # name of the hcode rule that checks this provision
    check_stage: int | None = None
    level: str | None = None  # must | should (the 2022 form's tables)
    answer: str = "comply"  # comply: answered from the form's answers; text: answered in words
    unconfirmed: str | None = None  # what of it could not be confirmed from a public copy


@dataclass(frozen=True, slots=True)
class Section:
    number: int
    title: str
    provisions: tuple[Provision, ...]
    unconfirmed: str | None = None


NOT_APPLICABLE = "n/a"


@dataclass(frozen=True, slots=True)
class Form:
    """An edition's self-assessment form: its layout and the answers it allows."""

    layout: str = "appendix-a"
    answers: tuple[str, ...] = ("yes", "no")
    title: str | None = None
    note: str | None = None

    @property
    def allows_na(self) -> bool:
        return NOT_APPLICABLE in self.answers

    @property
    def answers_text(self) -> str:
        """The allowed answers as the form prints them: "Yes/No" or "Yes / No / N/A"."""
        words = ["N/A" if a == NOT_APPLICABLE else a.capitalize() for a in self.answers]
        return " / ".join(words) if self.allows_na else "/".join(words)


@dataclass(frozen=True)
class Code:
    """One edition of the Complaint Handling Code."""

    code: str
    title: str
    effective: date
    sections: tuple[Section, ...]
    source: str | None = None
    attribution: str | None = None
    form: Form = Form()
    timescales: tuple[Timescale, ...] = ()  # the catalogue's ``timescales:`` list
    provisions: dict[str, Provision] = field(init=False, repr=False, compare=False)
    _timescales: dict[tuple[int, str], Timescale] = field(init=False, repr=False, compare=False)
    _checks: dict[tuple[str, int | None], str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        provisions = {p.id: p for s in self.sections for p in s.provisions}
        object.__setattr__(self, "provisions", provisions)
        timescales: dict[tuple[int, str], Timescale] = {}
        for t in self.timescales:
            timescales.setdefault((t.stage, t.event), t)
        for p in provisions.values():  # a timescale written on a provision (the earlier form)
            if p.timescale is not None:
                t = p.timescale if p.timescale.provision else replace(p.timescale, provision=p.id)
                timescales.setdefault((t.stage, t.event), t)
        object.__setattr__(self, "_timescales", timescales)
        checks: dict[tuple[str, int | None], str] = {}
        for p in provisions.values():
            if p.check is not None:
                checks.setdefault((p.check, p.check_stage), p.id)  # as the catalogue ties it
                checks.setdefault((p.check, -1), p.id)  # the first, for any stage
        object.__setattr__(self, "_checks", checks)

    @property
    def assessed(self) -> list[Provision]:
        return [p for s in self.sections for p in s.provisions if p.assessed]

    def rule_id(self, check: str, stage: int | None = None) -> str:
        """The provision number tied to one of hcode's named checks, else the check's name."""
        if stage is None:
            return self._checks.get((check, -1), check)
        return self._checks.get((check, stage)) or self._checks.get((check, None)) or check

    def timescale(self, stage: int, event: str) -> Timescale | None:
        """The timescale rule (clock) for ``event`` at ``stage``, if the edition has one that is
        judged (not an opt-in clock the workspace has not opted in to)."""
        t = self._timescales.get((stage, event))
        return None if t is not None and t.opt_in else t

    @property
    def clocks(self) -> list[Timescale]:
        """Every timescale rule judged, by stage and event."""
        order = {"acknowledge": 0, "respond": 1, "extension": 2}
        judged = [t for t in self._timescales.values() if not t.opt_in]
        return sorted(judged, key=lambda t: (t.stage, order.get(t.event, 9)))

    @property
    def not_judged(self) -> list[Timescale]:
        """The clocks no provision of the edition sets, left unjudged (``opt_in`` in the
        catalogue, not named in hcode.yaml's ``opt_in_clocks``)."""
        return [t for t in self._timescales.values() if t.opt_in]

    def opting_in(self, names: Iterable[str]) -> Code:
        """This edition with the opt-in clocks named (``"hoc-2022 stage 2 acknowledge"``) judged."""
        wanted = {n.split(" ", 1)[1] for n in names if n.split(" ", 1)[0] == self.code and " " in n}
        if not any(t.opt_in and t.name in wanted for t in self._timescales.values()):
            return self
        return replace(
            self, timescales=tuple(replace(t, opt_in=False) if t.name in wanted else t for t in self.timescales)
        )

    def rule_of(self, t: Timescale | None, event: str) -> str:
        """The id findings about a clock carry: its provision number, else hcode's name."""
        return t.provision if t is not None and t.provision else event


@dataclass(frozen=True, slots=True)
class Homes:
    """Homes owned at a reporting year's end (the TSM CH01 denominator): the total, and the
    Regulator's split into low-cost rental (LCRA) and low-cost home ownership (LCHO) where given
    (then the total is their sum)."""

    total: int
    lcra: int | None = None
    lcho: int | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """The workspace's ``hcode.yaml``."""

    landlord: str
    homes: int | None = None
    code: str = "hoc-2024"  # one edition, or "auto": each stage by the edition in force
    year_start: tuple[int, int] = (4, 1)
    division: str = "england-and-wales"
    closures: frozenset[date] = frozenset()
    receipt: str = "day-zero"
    service_standards: dict[str, int] = field(default_factory=dict)
    soon: int = 2
    max_file_bytes: int = 4 * 1024 * 1024
    id_pattern: str = "C-{year}-{seq:04d}"
    # clocks no provision sets, judged all the same: "hoc-2022 stage 2 acknowledge"
    opt_in_clocks: frozenset[str] = frozenset()
    # slug -> display name; None: hcode's default list (hcode.core.categories)
    categories: Mapping[str, str] | None = None
    # reporting year (2024-25) -> homes at its end; empty when ``homes`` is a plain number
    homes_by_year: Mapping[str, Homes] = field(default_factory=dict)
    # the landlord's own published contact details (an email address, a phone number, a
    # postcode), which published outputs may carry
    contacts: tuple[str, ...] = ()
    # exactly 1,000 homes: which deadline of the annual submission applies (30-september |
    # six-months); None: the Ombudsman's guidance by the number of homes
    annual_submission: str | None = None
    # the TSM return's date after the year end (month, day); None: 30 June, not confirmed
    tsm_return_due: tuple[int, int] | None = None
    # the Regulator allows LCRA and LCHO combined (True), per stock type only (False), unset (None)
    tsm_combine: bool | None = None
    # section 1 of the Ombudsman's annual submission form (hcode.yaml ``submission:``)
    submission_organisation: Mapping[str, str] = field(default_factory=dict)
    submission_links: Mapping[str, str] = field(default_factory=dict)

    def homes_in(self, year: str) -> Homes | None:
        """The homes of reporting ``year``: its own figure where homes are given per year (None
        for a year without one: never another year's), else the plain number for every year."""
        if self.homes_by_year:
            return self.homes_by_year.get(year)
        return Homes(self.homes) if self.homes is not None else None


@dataclass(frozen=True, slots=True)
class Action:
    """One action of a self-assessment's action plan.

    ``due`` and ``done`` hold days; what people write that is not a day is kept as written:
    ``due_month`` for a month (``2021-12``), ``due_tbc`` for "to be confirmed", and
    ``done_word`` for a completion with no date (``done: true``, "Complete").
    An action of the assessment's own ``actions:`` list names the provisions it is for in
    ``provisions`` (possibly none); ``progress`` holds notes on progress, in order.
    """

    action: str
    owner: str | None = None
    due: date | None = None
    done: date | None = None
    due_month: tuple[int, int] | None = None  # (year, month)
    due_tbc: bool = False
    done_word: str | None = None
    provisions: tuple[str, ...] = ()
    progress: tuple[str, ...] = ()

    @property
    def is_done(self) -> bool:
        return self.done is not None or self.done_word is not None

    @property
    def has_due(self) -> bool:
        return self.due is not None or self.due_month is not None or self.due_tbc


@dataclass(frozen=True, slots=True)
class Answer:
    provision: str
    comply: bool | None  # None: not answered yes or no (see not_applicable)
    evidence: tuple[str, ...] = ()
    commentary: str | None = None
    actions: tuple[Action, ...] = ()
    not_applicable: bool = False  # answered N/A
    review: str | None = None  # carried from an earlier year's form, not yet reviewed
    # "Partly" / "Partial" / "Partially" as written: comply is False (an action is needed) and
    # the word is published as written
    comply_word: str | None = None

    @property
    def answered(self) -> bool:
        return self.comply is not None or self.not_applicable


@dataclass(frozen=True)
class Assessment:
    file: str
    year: str
    answers: dict[str, Answer]
    code: str | None = None
    completed: date | None = None
    approved_by: str | None = None
    approved: date | None = None
    # the action plan's rows written once for any number of provisions (``actions:``)
    actions: tuple[Action, ...] = ()
    # notes that answers refer to ("see note 1"): id -> text, in the order written
    notes: Mapping[str, str] = field(default_factory=dict)
    # ``completed: 2024-06``: the month as written ((2024, 6)); ``completed`` is its last day
    completed_month: tuple[int, int] | None = None
    # the sections a document covering some sections only declares (``scope: {sections: [6]}``)
    scope: tuple[str, ...] = ()

    @property
    def start_year(self) -> int:
        return int(self.year[:4])

    def covers(self, section: int) -> bool:
        """Whether the document answers for ``section`` of the Code: every section, unless it
        declares the sections it covers (``scope:``)."""
        return not self.scope or str(section) in self.scope


@dataclass(slots=True)
class Extension:
    due: date
    notified: date | None = None
    reason: str | None = None
    good_reason: str | None = None
    ombudsman_details: bool | None = None


@dataclass(frozen=True, slots=True)
class Late:
    """A missed timescale explained in the case file (``stageN.late``): why it was late, the
    date the resident was given an apology, and what will change. Complete (all three), it makes
    the stage's missed timescales recorded history rather than something still to act on."""

    reason: str | None = None
    apology: date | None = None
    learning: str | None = None

    #: the fields a complete record has, in the order they are asked for
    FIELDS = ("reason", "apology", "learning")

    def missing(self) -> tuple[str, ...]:
        return tuple(name for name in self.FIELDS if getattr(self, name) is None)


@dataclass(slots=True)
class Stage:
    number: int
    requested: date | None = None  # stage 2 only: escalation request received
    acknowledged: date | None = None
    definition: str | None = None
    handler: str | None = None
    extension: Extension | None = None
    responded: date | None = None
    outcome: str | None = None
    withdrawn: date | None = None
    logged: date | None = None  # when it was logged, if not on the day it was acknowledged
    recorded_due: date | None = None  # the response due date the landlord's own system recorded
    late: Late | None = None  # a missed timescale of this stage, explained

    @property
    def closed(self) -> bool:
        return self.responded is not None or self.outcome == "withdrawn"


@dataclass(slots=True)
class Refusal:
    stage: int
    date: date
    reason: str
    explained: bool | None = None
    ombudsman_rights: bool | None = None
    note: str | None = None


@dataclass(slots=True)
class RemedyAction:
    action: str
    due: date | None = None
    done: date | None = None


@dataclass(slots=True)
class Remedy:
    compensation: float | None = None
    actions: tuple[RemedyAction, ...] = ()


@dataclass(slots=True)
class Ombudsman:
    referred: date | None = None
    determined: date | None = None
    finding: str | None = None
    failure_order: date | None = None


@dataclass(slots=True)
class Case:
    id: str
    file: str
    kind: str
    received: date
    category: str
    channel: str | None = None
    issue_date: date | None = None
    resolved: date | None = None
    stage1: Stage | None = None
    stage2: Stage | None = None
    refused: Refusal | None = None
    remedy: Remedy | None = None
    ombudsman: Ombudsman | None = None
    satisfied: bool | None = None
    learning: str | None = None
    extra: tuple[tuple[str, str], ...] = ()  # the landlord's own x- fields holding text
    tenure: str | None = None  # lcra | lcho: the Regulator's split of CH01 and CH02
    hazard: Hazard | None = None  # kind: hazard (Awaab's Law): ``received`` is the day of awareness

    @property
    def is_complaint(self) -> bool:
        return self.kind == "complaint"

    @property
    def is_hazard(self) -> bool:
        return self.hazard is not None


@dataclass(frozen=True, slots=True)
class Moment:
    """An event of a hazard record: a day, and the time of day where the file gives one
    (``2025-11-03T16:40``). The 24-hour clock needs the time; without it, hcode says how it
    read the day."""

    day: date
    time: time | None = None

    @property
    def earliest(self) -> datetime:
        """The earliest the event can have been: its time, else the start of its day."""
        return datetime.combine(self.day, self.time or time.min)

    @property
    def iso(self) -> str:
        """As a file writes it: ``2025-11-03`` or ``2025-11-03T16:40``."""
        if self.time is None:
            return self.day.isoformat()
        return f"{self.day.isoformat()}T{self.time.strftime('%H:%M')}"

    def __str__(self) -> str:
        """As messages write it: ``2025-11-03`` or ``2025-11-03 16:40``."""
        return self.iso.replace("T", " ")


@dataclass(slots=True)
class Investigation:
    concluded: Moment | None = None
    found: str | None = None  # emergency | significant | none


@dataclass(slots=True)
class Works:
    begun: Moment | None = None  # further works begun, or steps taken to begin them
    started: Moment | None = None  # physically started
    completed: Moment | None = None


@dataclass(slots=True)
class ClockStop:
    on: Moment
    why: str  # decanted | no-consent | no-hazard


@dataclass(slots=True)
class Hazard:
    """What a hazard record (``kind: hazard``) adds to a case: the Awaab's Law events."""

    aware: Moment
    hazard: str  # an HHSRS hazard of the catalogue
    risk: str  # significant | emergency, as assessed when reported
    complaints: tuple[str, ...] = ()  # the complaint ids it belongs to
    investigation: Investigation | None = None
    summary_sent: Moment | None = None
    made_safe: Moment | None = None
    works: Works | None = None
    alternative_accommodation: Moment | None = None
    stopped: ClockStop | None = None
    late: Late | None = None  # its missed clocks explained (``late:``), as a stage's are


@dataclass(frozen=True, slots=True)
class Unanswered:
    """What an ``assessment.complete`` finding is about, for output that groups them: the
    provision (or question) left unanswered, and whether it is blank in a form that has no
    answer at all yet (the message then says "self-assessment not started")."""

    provision: str
    not_started: bool = False


@dataclass(slots=True)  # not frozen: 100,000 findings are built faster without it
class Finding:
    """One result of a rule: what is wrong (or worth knowing), where, and what to do."""

    rule: str
    severity: Severity
    subject: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    due: date | None = None
    actual: date | None = None
    hint: str | None = None
    path: Path = ()
    key: bool = False
    edition: str | None = None  # the Code edition that judged it (case findings)
    unanswered: Unanswered | None = None  # assessment.complete: the provision left unanswered
    recorded: bool = False  # a past breach whose reason, apology and learning are in the file

    def __reduce__(self) -> tuple[type[Finding], tuple[Any, ...]]:
        """Pickled as its values in field order (a check answer kept in the cache holds 100,000
        findings: built back in half the time of a dataclass's state, field by field)."""
        return Finding, _finding_values(self)

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        return (
            self.file or "",
            self.line or 0,
            self.column or 0,
            self.rule,
            self.subject,
            self.message,
        )


_finding_values = operator.attrgetter(*(f.name for f in fields(Finding)))


def fingerprint(f: Finding) -> str:
    """Identifies a finding from one day to the next: the key of baselines and of SARIF's
    ``partialFingerprints``. Built from the rule, the severity, the subject and the stable facts
    (where in the file by path, never by line: moving or reformatting lines keeps it; the due
    and actual dates), never from the message, whose words change daily ("3 working days late
    as of ..."). The file stands in for the subject only where a finding has none."""
    where = ".".join(map(str, f.path))
    facts = (
        f.rule,
        f.severity,
        f.subject or f.file or "",
        where,
        f.due.isoformat() if f.due else "",
        f.actual.isoformat() if f.actual else "",
        f.unanswered.provision if f.unanswered is not None else "",
    )
    return hashlib.sha256("\x1f".join(facts).encode("utf-8")).hexdigest()[:32]
