"""Turn schema-valid documents into model records.

The schema has already checked shapes; this step checks what a schema cannot (``2024-02-30`` is
not a real date) and interprets what people write (``comply: No`` means no).
"""

from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any

from hcode.core.dates import DateProblem, model_day, model_moment
from hcode.core.hazards import HazardRules
from hcode.core.model import (
    Action,
    Answer,
    Assessment,
    Case,
    ClockStop,
    Code,
    Extension,
    Form,
    Hazard,
    Homes,
    Investigation,
    Late,
    Moment,
    Ombudsman,
    Path,
    Provision,
    Refusal,
    Remedy,
    RemedyAction,
    Section,
    Settings,
    Stage,
    Timescale,
    Works,
)
from hcode.core.years import YearError, month_end, reporting_year
from hcode.errors import HcodeError
from hcode.store.validate import Problem

_YES = frozenset(("yes", "y", "true"))
_DONE_WORDS = frozenset(("complete", "completed", "done"))
_TBC = frozenset(("tbc", "tba", "to be confirmed"))
_NO = frozenset(("no", "n", "false"))
_NA = frozenset(("n/a", "na", "not applicable"))
_PARTLY = frozenset(("partly", "partial", "partially"))


def partly(value: Any) -> str | None:
    """The word as written when a ``comply:`` value says the provision is met in part
    ("Partly", "Partial", "Partially"): not complying, an action is needed; None otherwise."""
    if isinstance(value, str) and value.strip().lower() in _PARTLY:
        return value.strip()
    return None


def not_applicable(value: Any) -> bool:
    """Whether a ``comply:`` value is N/A as people write it (n/a, N/A, na, not applicable)."""
    return isinstance(value, str) and value.strip().lower() in _NA


class ConvertError(HcodeError):
    """A document that does not convert to a record: its problems, each at its path."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message if problems else "invalid")
        self.problems = problems


# Dates already read, by their text: the same few thousand days recur from file to file, and a
# text the model takes as a day is that day wherever it is written (only a problem names its field).
_DAYS: dict[str, date] = {}
_DAYS_KEPT = 50_000


class _Reader:
    """Collects problems while converting one document."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def day(self, value: Any, path: Path) -> date | None:
        return self._day(value, path, None)

    def day_in(self, raw: dict[str, Any], base: Path, name: str) -> date | None:
        """``raw[name]`` as :meth:`day` reads it, its path ``(*base, name)`` made only for a problem."""
        return self._day(raw.get(name), base, name)

    def _day(self, value: Any, base: Path, name: str | None) -> date | None:
        if value is None:
            return None
        if type(value) is str:
            known = _DAYS.get(value)
            if known is not None:
                return known
        path = base if name is None else (*base, name)
        try:
            found = model_day(value, path[-1])  # the model's own check, in core
        except DateProblem as exc:
            self.problems.append(Problem(exc.message, path, hint=exc.hint))
            return None
        if type(value) is str and len(_DAYS) < _DAYS_KEPT:
            _DAYS[value] = found
        return found

    def moment(self, value: Any, path: Path) -> Moment | None:
        """A hazard record's event: ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM``."""
        if value is None:
            return None
        try:
            return model_moment(value, path[-1])
        except DateProblem as exc:
            self.problems.append(Problem(exc.message, path, hint=exc.hint))
            return None

    def required_date(self, value: Any, path: Path) -> date:
        found = self.day(value, path)
        return found if found is not None else date.min

    def done(self) -> None:
        if self.problems:
            raise ConvertError(self.problems)


def flag(value: Any) -> bool | None:
    """A yes/no value as people write it: true/false, yes/no, y/n in any case."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)


def _categories(value: Any) -> dict[str, str] | None:
    """``categories:`` of hcode.yaml as slug -> display name (None: not declared)."""
    from hcode.core.categories import DEFAULT_CATEGORIES, default_display

    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    if isinstance(value, list):
        return {str(v): DEFAULT_CATEGORIES.get(str(v)) or default_display(str(v)) for v in value}
    return None


def _homes(r: _Reader, value: Any) -> tuple[int | None, dict[str, Homes]]:
    """``homes:`` of hcode.yaml: a plain number (every year), or per reporting year a number or
    the Regulator's split ``{lcra: N, lcho: M}`` (the total is their sum)."""
    if not isinstance(value, dict):
        return (value if isinstance(value, int) else None), {}
    years: dict[str, Homes] = {}
    for key, v in value.items():
        year = str(key)
        if year.startswith("x-"):
            continue
        try:
            reporting_year(year)
        except YearError as exc:
            hint = "homes per reporting year: {2024-25: 800}"
            r.problems.append(Problem(str(exc), ("homes", key), key=True, hint=hint))
            continue
        if isinstance(v, dict):
            lcra, lcho = v.get("lcra"), v.get("lcho")
            if isinstance(lcra, int) and isinstance(lcho, int):
                years[year] = Homes(lcra + lcho, lcra, lcho)
        elif isinstance(v, int):
            years[year] = Homes(v)
    return None, years


#: What ``hcode.yaml`` means where it leaves a setting out (or writes it empty), as the file
#: would write it: the one list of defaults, read by :func:`to_settings` and by ``hcode diff``
#: (a setting written out with its default value changes nothing).
SETTING_DEFAULTS: dict[tuple[str, ...], Any] = {
    ("code",): "hoc-2024",
    ("year_start",): "04-01",
    ("calendar", "division"): "england-and-wales",
    ("calendar", "closures"): [],
    ("calendar", "receipt"): "day-zero",
    ("service_standards",): {},
    ("soon",): 2,
    ("limits", "max_file_bytes"): 4 * 1024 * 1024,
    ("cases", "id_pattern"): "C-{year}-{seq:04d}",
    ("opt_in_clocks",): [],
}


def setting(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The setting at ``path`` of an ``hcode.yaml`` document, or its default
    (:data:`SETTING_DEFAULTS`) where it is not given."""
    node: Any = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return copy.copy(SETTING_DEFAULTS[path]) if node is None else node


def with_defaults(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of an ``hcode.yaml`` document with every setting it does not give written out
    with its default (a mapping it holds with something else than a mapping there is kept)."""
    full = dict(data)
    for path in SETTING_DEFAULTS:
        node = full
        for key in path[:-1]:
            inner = node.get(key)
            if inner is None:
                inner = {}
            elif not isinstance(inner, dict):
                break
            node[key] = inner = dict(inner)
            node = inner
        else:
            node[path[-1]] = setting(data, path)
    return full


def to_report_dates(data: dict[str, Any]) -> tuple[dict[str, date], list[Problem]]:
    """The dates a ``reports/YYYY-YY.yaml`` records (:data:`hcode.core.duties.RECORDED`), and a
    problem for each that is not a real day (the schema checked their form)."""
    from hcode.core.duties import RECORDED

    r = _Reader()
    out: dict[str, date] = {}
    for key in RECORDED:
        found = r.day(data.get(key), (key,))
        if found is not None:
            out[key] = found
    return out, r.problems


def _month_day(r: _Reader, text: str, path: Path) -> tuple[int, int] | None:
    """``MM-DD`` (the schema checked its form) as (month, day), or a problem where no year has
    such a day."""
    month, day = (int(x) for x in text.split("-"))
    try:
        date(2001, month, day)
    except ValueError:
        r.problems.append(Problem(f"{path[-1]!r} {month:02d}-{day:02d} is not a real day", path))
        return None
    return month, day


def to_settings(data: dict[str, Any]) -> Settings:
    r = _Reader()
    homes, homes_by_year = _homes(r, data.get("homes"))
    closures = [r.day(v, ("calendar", "closures", i)) for i, v in enumerate(setting(data, ("calendar", "closures")))]
    year_start = _month_day(r, str(setting(data, ("year_start",))), ("year_start",))
    tsm = data.get("tsm") or {}
    tsm_due = None
    if "return_due" in tsm:
        tsm_due = _month_day(r, str(tsm["return_due"]), ("tsm", "return_due"))
    r.done()
    assert year_start is not None  # else a problem, and done() raised
    return Settings(
        landlord=str(data["landlord"]),
        annual_submission=data.get("annual_submission"),
        tsm_return_due=tsm_due,
        tsm_combine=tsm.get("combine"),
        submission_organisation={
            str(k): str(v)
            for k, v in ((data.get("submission") or {}).get("organisation") or {}).items()
            if not str(k).startswith("x-")
        },
        submission_links={
            str(k): str(v)
            for k, v in ((data.get("submission") or {}).get("links") or {}).items()
            if not str(k).startswith("x-")
        },
        homes=homes,
        homes_by_year=homes_by_year,
        code=str(setting(data, ("code",))),
        year_start=year_start,
        division=str(setting(data, ("calendar", "division"))),
        closures=frozenset(c for c in closures if c is not None),
        receipt=str(setting(data, ("calendar", "receipt"))),
        service_standards=dict(setting(data, ("service_standards",))),
        categories=_categories(data.get("categories")),
        soon=int(setting(data, ("soon",))),
        max_file_bytes=int(setting(data, ("limits", "max_file_bytes"))),
        id_pattern=str(setting(data, ("cases", "id_pattern"))),
        contacts=tuple(str(c) for c in data.get("contacts") or ()),
        opt_in_clocks=frozenset(str(v) for v in setting(data, ("opt_in_clocks",))),
    )


def _timescale(r: _Reader, t: dict[str, Any], path: Path, provision: str | None) -> Timescale:
    for a, b in (("working_days", "days"), ("max_working_days", "max_days")):
        if a in t and b in t:
            r.problems.append(
                Problem(
                    f"a timescale gives both {a} and {b}",
                    (*path, b),
                    key=True,
                    hint=f"keep {a} (working days) or {b} (calendar days), as the Code words it",
                )
            )
    return Timescale(
        stage=t["stage"],
        event=t["event"],
        start=t.get("from"),
        working_days=t.get("working_days"),
        max_working_days=t.get("max_working_days"),
        days=t.get("days"),
        max_days=t.get("max_days"),
        provision=t.get("provision", provision),
        source=t.get("source"),
        quote=t.get("quote"),
        confirmed=bool(t.get("confirmed", True)),
        opt_in=bool(t.get("opt_in", False)),
    )


def to_code(data: dict[str, Any]) -> Code:
    r = _Reader()
    sections = []
    seen: dict[tuple[int, str], Path] = {}

    def clock(t: Timescale, path: Path) -> None:
        key = (t.stage, t.event)
        if key in seen:
            r.problems.append(
                Problem(
                    f"a second stage {t.stage} {t.event} timescale (the first is at {'.'.join(map(str, seen[key]))})",
                    path,
                    hint="give each stage's acknowledge, respond and extension clock once",
                )
            )
        seen.setdefault(key, path)

    for si, s in enumerate(data["sections"]):
        provisions = []
        for pi, p in enumerate(s["provisions"]):
            t = p.get("timescale")
            timescale = None
            if t is not None:
                where: Path = ("sections", si, "provisions", pi, "timescale")
                timescale = _timescale(r, t, where, p["id"])
                clock(timescale, where)
            if not p["id"].startswith(f"{s['number']}."):
                r.problems.append(
                    Problem(
                        f"provision {p['id']} is listed under section {s['number']}",
                        ("sections", si, "provisions", pi, "id"),
                    )
                )
            provisions.append(
                Provision(
                    id=p["id"],
                    text=p["text"],
                    section=s["number"],
                    assessed=p.get("assessed", True),
                    group=p.get("group"),
                    timescale=timescale,
                    check=(p.get("check") or {}).get("name"),
                    check_stage=(p.get("check") or {}).get("stage"),
                    level=p.get("level"),
                    answer=p.get("answer", "comply"),
                    unconfirmed=p.get("unconfirmed"),
                )
            )
        sections.append(
            Section(
                number=s["number"],
                title=s["title"],
                provisions=tuple(provisions),
                unconfirmed=s.get("unconfirmed"),
            )
        )
    clocks = []
    for i, t in enumerate(data.get("timescales") or []):
        found = _timescale(r, t, ("timescales", i), None)
        clock(found, ("timescales", i))
        clocks.append(found)
    effective = r.required_date(data["effective"], ("effective",))
    r.done()
    return Code(
        code=data["code"],
        title=data["title"],
        effective=effective,
        sections=tuple(sections),
        source=data.get("source"),
        attribution=data.get("attribution"),
        timescales=tuple(clocks),
        form=_form(data.get("form")),
    )


def _form(value: Any) -> Form:
    """``form:`` of a catalogue; an edition without one has the 2024 Appendix A form."""
    if not value:
        return Form()
    return Form(
        layout=str(value["layout"]),
        answers=tuple(str(a) for a in value["answers"]),
        title=_text(value.get("title")),
        note=_text(value.get("note")),
    )


def _evidence(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    return tuple(str(v) for v in value if str(v).strip())


def _action(r: _Reader, a: dict[str, Any], path: Path) -> Action:
    """An action plan row: ``due`` a day, a month (``2021-12``) or ``tbc``; ``done`` a day,
    ``true`` or a word (complete, completed, done in any case)."""
    due_raw, done_raw = a.get("due"), a.get("done")
    due: date | None = None
    month: tuple[int, int] | None = None
    tbc = False
    if isinstance(due_raw, str) and due_raw.strip().lower() in _TBC:
        tbc = True
    elif isinstance(due_raw, str) and len(due_raw) == 7 and due_raw[4] == "-":
        year, mon = due_raw[:4], due_raw[5:]
        if year.isdigit() and mon.isdigit() and 1 <= int(mon) <= 12:
            month = (int(year), int(mon))
        else:
            r.problems.append(
                Problem(
                    f"'due' is {due_raw!r}, which is not a real month",
                    (*path, "due"),
                    hint="write a day (YYYY-MM-DD), a month (YYYY-MM) or tbc",
                )
            )
    else:
        due = r.day(due_raw, (*path, "due"))
    done: date | None = None
    word: str | None = None
    if done_raw is True:
        word = "Complete"
    elif isinstance(done_raw, str) and done_raw.strip().lower() in _DONE_WORDS:
        word = done_raw.strip()
    elif done_raw is not False:
        done = r.day(done_raw, (*path, "done"))
    return Action(
        action=a["action"],
        owner=_text(a.get("owner")),
        due=due,
        done=done,
        due_month=month,
        due_tbc=tbc,
        done_word=word,
        provisions=tuple(str(p) for p in a.get("provisions") or ()),
        progress=_evidence(a.get("progress")),
    )


def _month(value: Any) -> tuple[int, int] | None:
    """``2024-06`` (a month, where only the month is known) as (2024, 6)."""
    m = re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])", value.strip()) if isinstance(value, str) else None
    return (int(m.group(1)), int(m.group(2))) if m else None


def to_assessment(data: dict[str, Any], file: str) -> Assessment:
    r = _Reader()
    month = _month(data.get("completed"))
    answers: dict[str, Answer] = {}
    for pid, raw in (data.get("provisions") or {}).items():
        raw = raw or {}
        base: Path = ("provisions", pid)
        actions = [_action(r, a, (*base, "actions", i)) for i, a in enumerate(raw.get("actions") or [])]
        answers[pid] = Answer(
            provision=pid,
            comply=False if partly(raw.get("comply")) else flag(raw.get("comply")),
            comply_word=partly(raw.get("comply")),
            not_applicable=not_applicable(raw.get("comply")),
            review=_text(raw.get("review")),
            evidence=_evidence(raw.get("evidence")),
            commentary=_text(raw.get("commentary")),
            actions=tuple(actions),
        )
    approved = data.get("approved") or {}
    shared = tuple(_action(r, a, ("actions", i)) for i, a in enumerate(data.get("actions") or []))
    notes = {str(k): str(v) for k, v in (data.get("notes") or {}).items() if v is not None}
    try:
        reporting_year(str(data["year"]))
    except YearError as exc:
        r.problems.append(Problem(str(exc), ("year",), hint="the reporting year this self-assessment covers"))
    result = Assessment(
        file=file,
        year=data["year"],
        answers=answers,
        code=data.get("code"),
        completed=month_end(*month) if month else r.day(data.get("completed"), ("completed",)),
        completed_month=month,
        approved_by=_text(approved.get("by")),
        approved=r.day(approved.get("date"), ("approved", "date")),
        actions=shared,
        notes=notes,
        scope=tuple(str(x) for x in ((data.get("scope") or {}).get("sections") or ())),
    )
    r.done()
    return result


def _stage(r: _Reader, raw: dict[str, Any] | None, number: int) -> Stage | None:
    if raw is None:
        return None
    base: Path = (f"stage{number}",)
    ext_raw = raw.get("extension")
    extension = None
    if ext_raw is not None:
        eb: Path = (*base, "extension")
        extension = Extension(
            due=r.required_date(ext_raw["due"], (*eb, "due")),
            notified=r.day(ext_raw.get("notified"), (*eb, "notified")),
            reason=_text(ext_raw.get("reason")),
            good_reason=_text(ext_raw.get("good_reason")),
            ombudsman_details=flag(ext_raw.get("ombudsman_details")),
        )
    return Stage(
        number=number,
        requested=r.day_in(raw, base, "requested"),
        acknowledged=r.day_in(raw, base, "acknowledged"),
        logged=r.day_in(raw, base, "logged"),
        definition=_text(raw.get("definition")),
        handler=_text(raw.get("handler")),
        extension=extension,
        responded=r.day_in(raw, base, "responded"),
        recorded_due=r.day_in(raw, base, "recorded_due"),
        outcome=raw.get("outcome"),
        withdrawn=r.day_in(raw, base, "withdrawn"),
        late=_late(r, raw.get("late"), base),
    )


def _late(r: _Reader, raw: dict[str, Any] | None, base: Path) -> Late | None:
    if raw is None:
        return None
    return Late(
        reason=_text(raw.get("reason")),
        apology=r.day(raw.get("apology"), (*base, "late", "apology")),
        learning=_text(raw.get("learning")),
    )


def to_case(data: dict[str, Any], file: str) -> Case:
    r = _Reader()
    refused = None
    if (raw := data.get("refused")) is not None:
        refused = Refusal(
            stage=raw["stage"],
            date=r.required_date(raw["date"], ("refused", "date")),
            reason=raw["reason"],
            explained=flag(raw.get("explained")),
            ombudsman_rights=flag(raw.get("ombudsman_rights")),
            note=_text(raw.get("note")),
        )
    remedy = None
    if (raw := data.get("remedy")) is not None:
        remedy = Remedy(
            compensation=raw.get("compensation"),
            actions=tuple(
                RemedyAction(
                    action=a["action"],
                    due=r.day(a.get("due"), ("remedy", "actions", i, "due")),
                    done=r.day(a.get("done"), ("remedy", "actions", i, "done")),
                )
                for i, a in enumerate(raw.get("actions") or [])
            ),
        )
    ombudsman = None
    if (raw := data.get("ombudsman")) is not None:
        ombudsman = Ombudsman(
            referred=r.day(raw.get("referred"), ("ombudsman", "referred")),
            determined=r.day(raw.get("determined"), ("ombudsman", "determined")),
            finding=raw.get("finding"),
            failure_order=r.day(raw.get("failure_order"), ("ombudsman", "failure_order")),
        )
    case = Case(
        id=data["id"],
        file=file,
        kind=data["kind"],
        received=r.required_date(data["received"], ("received",)),
        category=str(data["category"]),
        channel=data.get("channel"),
        issue_date=r.day(data.get("issue_date"), ("issue_date",)),
        resolved=r.day(data.get("resolved"), ("resolved",)),
        stage1=_stage(r, data.get("stage1"), 1),
        stage2=_stage(r, data.get("stage2"), 2),
        refused=refused,
        remedy=remedy,
        ombudsman=ombudsman,
        satisfied=flag(data.get("satisfied")),
        learning=_text(data.get("learning")),
        extra=tuple((k, v) for k, v in data.items() if k.startswith("x-") and isinstance(v, str)),
        tenure=data.get("tenure"),
    )
    r.done()
    return case


def to_hazard(data: dict[str, Any], file: str) -> Case:
    """A hazard record (``kind: hazard``) as a case: ``received`` is the day the landlord became
    aware, ``category`` the hazard; the Awaab's Law events are in ``case.hazard``."""
    r = _Reader()
    aware = r.moment(data["aware"], ("aware",))
    investigation = None
    if (raw := data.get("investigation")) is not None:
        investigation = Investigation(
            concluded=r.moment(raw.get("concluded"), ("investigation", "concluded")),
            found=raw.get("found"),
        )
    works = None
    if (raw := data.get("works")) is not None:
        works = Works(
            begun=r.moment(raw.get("begun"), ("works", "begun")),
            started=r.moment(raw.get("started"), ("works", "started")),
            completed=r.moment(raw.get("completed"), ("works", "completed")),
        )
    stopped = None
    if (raw := data.get("stopped")) is not None:
        on = r.moment(raw["on"], ("stopped", "on"))
        if on is not None:
            stopped = ClockStop(on=on, why=str(raw["why"]))
    linked = data.get("complaint")
    complaints = (linked,) if isinstance(linked, str) else tuple(str(c) for c in linked or ())
    hazard = Hazard(
        aware=aware or Moment(date.min),
        hazard=str(data["hazard"]),
        risk=str(data["risk"]),
        complaints=complaints,
        investigation=investigation,
        summary_sent=r.moment(data.get("summary_sent"), ("summary_sent",)),
        made_safe=r.moment(data.get("made_safe"), ("made_safe",)),
        works=works,
        alternative_accommodation=r.moment(data.get("alternative_accommodation"), ("alternative_accommodation",)),
        stopped=stopped,
        late=_late(r, data.get("late"), ()),
    )
    r.done()
    return Case(
        id=data["id"],
        file=file,
        kind="hazard",
        received=hazard.aware.day,
        category=hazard.hazard,
        learning=_text(data.get("learning")),
        extra=tuple((k, v) for k, v in data.items() if k.startswith("x-") and isinstance(v, str)),
        tenure=data.get("tenure"),
        hazard=hazard,
    )


def to_record(data: dict[str, Any], file: str) -> Case:
    """The record of a schema-valid case file of any kind (see :func:`record_schema`)."""
    return to_hazard(data, file) if record_schema(data) == "hazard" else to_case(data, file)


def record_schema(data: dict[str, Any]) -> str:
    """The schema a case file is validated with: ``hazard`` for ``kind: hazard`` (or a file with
    ``aware:`` and a mistyped kind, so the message is about the kind), else ``case``."""
    kind = data.get("kind")
    if kind == "hazard" or ("aware" in data and kind not in ("complaint", "service-request")):
        return "hazard"
    return "case"


def to_hazard_rules(data: dict[str, Any]) -> HazardRules:
    """The Awaab's Law catalogue (``provisions/hazards/awaab-2025.yaml``) as data. A catalogue
    that cannot be read raises :class:`ConvertError` naming the first thing wrong."""
    from hcode.core import hazards as hz

    r = _Reader()

    def unit(c: dict[str, Any], path: Path) -> tuple[int, str]:
        given = [u for u in hz.UNITS if u in c]
        if len(given) != 1 or not isinstance(c[given[0]], int) or c[given[0]] < 0:
            r.problems.append(Problem("a clock gives exactly one of hours, working_days or weeks", path))
            return 0, "working_days"
        return int(c[given[0]]), given[0]

    try:
        phases = tuple(
            hz.Phase(
                phase=int(p["phase"]),
                start=r.day(p.get("start"), ("phases", i, "start")),
                confirmed=bool(p.get("confirmed", False)),
                covers=_text(p.get("covers")),
                source=_text(p.get("source")),
                quote=_text(p.get("quote")),
                note=_text(p.get("note")),
            )
            for i, p in enumerate(data["phases"])
        )
        kinds = tuple(
            hz.HazardKind(str(k["id"]), str(k["name"]), k.get("significant"), k.get("emergency"))
            for k in data["hazards"]
        )
        clocks = []
        for i, c in enumerate(data["clocks"]):
            amount, u = unit(c, ("clocks", i))
            if c["duty"] not in hz.DUTIES or c["from"] not in hz.START_WORDS:
                what = f"clock {i + 1}: duty {c['duty']!r} from {c['from']!r} is not known"
                r.problems.append(Problem(what, ("clocks", i)))
            unknown = [f for f in c["done"] if f not in hz.FIELD_PATHS]
            if unknown:
                what = f"clock {i + 1}: done names {unknown[0]!r}, not a field of a hazard record"
                r.problems.append(Problem(what, ("clocks", i, "done")))
            clocks.append(
                hz.Clock(
                    duty=str(c["duty"]),
                    risk=tuple(str(x) for x in c["risk"]),
                    start=str(c["from"]),
                    amount=amount,
                    unit=u,
                    done=tuple(str(x) for x in c["done"]),
                    found=tuple(str(x) for x in c.get("found") or ()),
                    needs=_text(c.get("needs")),
                    confirmed=bool(c.get("confirmed", False)),
                    source=_text(c.get("source")),
                    quote=_text(c.get("quote")),
                )
            )
        stops = tuple(
            hz.StopRule(
                why=str(s["why"]),
                stops=tuple(str(x) for x in s["stops"]),
                meaning=str(s.get("meaning") or ""),
                confirmed=bool(s.get("confirmed", False)),
                source=_text(s.get("source")),
                quote=_text(s.get("quote")),
            )
            for s in data["stops"]
        )
        in_force = r.required_date(data["in_force"], ("in_force",))
        rules = hz.HazardRules(
            catalogue=str(data["catalogue"]),
            title=str(data["title"]),
            in_force=in_force,
            phases=phases,
            hazards=kinds,
            clocks=tuple(clocks),
            stops=stops,
            outside_tenures=tuple(str(t) for t in data.get("outside_tenures") or ()),
            short=str(data.get("short") or "Awaab's Law"),
            source=_text(data.get("source")),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        r.problems.append(Problem(f"the hazard catalogue is missing or misreads {exc}", ()))
        r.done()
        raise  # pragma: no cover - done() raised
    r.done()
    return rules
