"""A hazard report (Awaab's Law): log it, record each step through the same guarded writer as a
complaint's (read, edit, check, write), and say what is due next."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from hcode.api.cases import StepResult, _refused, next_due, take_step
from hcode.api.errors import ParameterError
from hcode.api.workspace import OpenWorkspace
from hcode.core.model import Moment
from hcode.core.rules import Context

if TYPE_CHECKING:
    from hcode.edit.casefile import CaseFile
    from hcode.edit.steps import Clock

RISKS = ("significant", "emergency")
TENURES = ("lcra", "lcho")


def moment(value: str | None, option: str, now: datetime) -> Moment:
    """A step's moment as typed, ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM`` (None: ``now``, to the
    minute); :class:`ParameterError` naming ``option`` otherwise."""
    from hcode.core.calendar import out_of_range
    from hcode.core.dates import iso_moment

    if value is None:
        return Moment(now.date(), now.time().replace(second=0, microsecond=0))
    try:
        found = iso_moment(value)
    except ValueError as exc:
        raise ParameterError(str(exc), option) from None
    why = out_of_range(found.day)
    if why is not None:
        raise ParameterError(why, option)
    return found


def new_hazard(
    ws: OpenWorkspace,
    *,
    aware: str,
    hazard: str | None,
    risk: str | None,
    tenure: str | None,
    complaints: tuple[str, ...],
    case_id: str | None,
    now: datetime,
) -> StepResult:
    """Log a hazard report in ``cases/YEAR/HZ-YEAR-NNNN.yaml`` (the next free id unless
    ``case_id``); :class:`ParameterError` for an option that does not fit, :class:`StepRefused`
    when it cannot be written."""
    from hcode.core.rules import check_case
    from hcode.edit.casefile import find, next_id, parse_case, write_guarded
    from hcode.edit.hazard_steps import new_hazard as new_record
    from hcode.edit.steps import StepError, dump_rt

    if hazard is None or risk is None:
        raise ParameterError("a hazard report needs --hazard and --risk", "--hazard/--risk")
    if risk not in RISKS:
        raise ParameterError(f"{risk!r}: write significant or emergency", "--risk")
    if tenure is not None and tenure not in TENURES:
        raise ParameterError(f"{tenure!r}: write lcra or lcho", "--tenure")
    at = moment(aware, "--received", now)
    ctx = ws.context(now.date())
    root = ws.root
    try:
        if at.earliest > now:
            raise StepError(f"{at} is in the future", "log a hazard once the landlord is aware of it")
        cid = case_id or next_id(root, "HZ-{year}-{seq:04d}", at.day.year)
        if find(root, cid) is not None:
            raise StepError(f"a case {cid} already exists", "choose another --id")
        rel = f"cases/{at.day.year}/{cid}.yaml"
        text = dump_rt(new_record(cid, at, hazard, risk, tenure, complaints))
        case = parse_case(text, rel, ws.settings.max_file_bytes)
        bad = [f for f in check_case(case, ctx) if f.severity == "error" and f.rule in ("awaab.hazard", "dates.future")]
        if bad:
            raise StepError(bad[0].message, bad[0].hint)
        write_guarded(root / rel, text, None, root=root)  # the writer rule: no link, nothing outside
    except StepError as exc:
        raise _refused(exc) from None
    return StepResult(cid, f"logged as a hazard ({hazard}, {risk}), aware {at}", rel, [], next_due(case, ctx))


def investigate(ws: OpenWorkspace, case_id: str, *, when: str | None, found: str, now: datetime) -> StepResult:
    """Record that a hazard's investigation concluded, and what it found."""
    from hcode.edit import hazard_steps

    at = moment(when, "--date", now)

    def step(cf: CaseFile, ctx: Context, clock: Clock) -> str:
        hazard_steps.investigate(cf.data, cf.case, at, found, clock)
        return f"investigation concluded {at}: found {found}"

    return take_step(ws, case_id, step, now.date())


def summary(ws: OpenWorkspace, case_id: str, *, when: str | None, now: datetime) -> StepResult:
    """Record that the written summary of the findings was sent to the tenant."""
    from hcode.edit import hazard_steps

    at = moment(when, "--date", now)

    def step(cf: CaseFile, ctx: Context, clock: Clock) -> str:
        hazard_steps.summary(cf.data, cf.case, at, clock)
        return f"written summary sent {at}"

    return take_step(ws, case_id, step, now.date())


def made_safe(ws: OpenWorkspace, case_id: str, *, when: str | None, alternative: bool, now: datetime) -> StepResult:
    """Record the relevant safety work done (or suitable alternative accommodation secured)."""
    from hcode.edit import hazard_steps

    at = moment(when, "--date", now)

    def step(cf: CaseFile, ctx: Context, clock: Clock) -> str:
        return f"{hazard_steps.made_safe(cf.data, cf.case, at, clock, alternative=alternative)} {at}"

    return take_step(ws, case_id, step, now.date())


def works(
    ws: OpenWorkspace,
    case_id: str,
    *,
    begun: str | None,
    started: str | None,
    completed: str | None,
    now: datetime,
) -> StepResult:
    """Record further works: begun (or steps taken to begin them), physically started, completed."""
    from hcode.edit import hazard_steps

    events = {
        key: moment(value, f"--{key}", now)
        for key, value in (("begun", begun), ("started", started), ("completed", completed))
        if value is not None
    }

    def step(cf: CaseFile, ctx: Context, clock: Clock) -> str:
        hazard_steps.works(cf.data, cf.case, events, clock)
        return "works " + ", ".join(f"{k} {v}" for k, v in events.items())

    return take_step(ws, case_id, step, now.date())


def stop(ws: OpenWorkspace, case_id: str, *, when: str | None, why: str, now: datetime) -> StepResult:
    """Record a clock stop: decanted, no-consent or no-hazard."""
    from hcode.edit import hazard_steps

    at = moment(when, "--date", now)

    def step(cf: CaseFile, ctx: Context, clock: Clock) -> str:
        hazard_steps.stop(cf.data, cf.case, at, why, clock)
        return f"clocks stopped {at} ({why})"

    return take_step(ws, case_id, step, now.date())
