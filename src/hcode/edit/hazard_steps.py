"""The steps of a hazard report (Awaab's Law) as edits to its file (``hcode case investigate``,
``summary``, ``made-safe``, ``works``, ``stop``; ``hcode case new --kind hazard``).

Each step checks that it is legal for the record as it stands (a step on a complaint, a second
conclusion, a date before the landlord became aware or before the investigation concluded, a
date in the future is refused with the reason and what to do) and writes through the same
round-trip editing as the complaint steps (comments, key order and ``x-`` fields kept; new keys
where the hazard schema lists them). Times are kept: a step dated ``2025-11-03T16:40`` is
written so. Nothing here touches the disk.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hcode.core.model import Case, Hazard, Moment
from hcode.edit.steps import Clock, StepError, new_map, put
from hcode.store.validate import schema

FOUND = ("emergency", "significant", "none")
STOPS = ("decanted", "no-consent", "no-hazard")


def _order(*path: str) -> list[str]:
    """Key order of a mapping of the hazard schema."""
    node: dict[str, Any] = schema("hazard")
    for part in path:
        node = node["properties"][part]
    return list(node["properties"])


def written(m: Moment) -> Any:
    """How a moment is written in the file: a date, or ``YYYY-MM-DDTHH:MM``."""
    return m.day if m.time is None else m.iso


def _hazard(case: Case) -> Hazard:
    if case.hazard is None:
        raise StepError(
            f"{case.id} is a {case.kind}, not a hazard report",
            "log the hazard with 'hcode case new --kind hazard' and name the complaint with --complaint",
        )
    return case.hazard


def _not_future(when: Moment, clock: Clock, now: datetime | None = None) -> None:
    if when.day > clock.today or (now is not None and when.time is not None and when.earliest > now):
        raise StepError(f"{when} is in the future", "record a step once it has happened")


def _not_before(when: Moment, earlier: Moment | None, what: str) -> None:
    if earlier is None:
        return
    if when.day < earlier.day or (
        when.day == earlier.day and when.time is not None and earlier.time is not None and when.time < earlier.time
    ):
        raise StepError(
            f"{when} is before {what} ({earlier})",
            "check the date; use --date YYYY-MM-DD or YYYY-MM-DDTHH:MM to record when it happened",
        )


def _step(case: Case, when: Moment, clock: Clock) -> Hazard:
    h = _hazard(case)
    _not_future(when, clock, clock.ctx.now)
    _not_before(when, h.aware, "the landlord became aware")
    return h


def new_hazard(
    case_id: str, aware: Moment, hazard: str, risk: str, tenure: str | None, complaints: tuple[str, ...]
) -> Any:
    """A new hazard record's document."""
    data = new_map()
    data["id"] = case_id
    data["kind"] = "hazard"
    data["aware"] = written(aware)
    data["hazard"] = hazard
    data["risk"] = risk
    if tenure:
        data["tenure"] = tenure
    if len(complaints) == 1:
        data["complaint"] = complaints[0]
    elif complaints:
        data["complaint"] = list(complaints)
    return data


def investigate(data: Any, case: Case, when: Moment, found: str, clock: Clock) -> None:
    h = _step(case, when, clock)
    if found not in FOUND:
        raise StepError(f"found must be one of {', '.join(FOUND)}")
    if h.investigation is not None and h.investigation.concluded is not None:
        raise StepError(
            f"the investigation of {case.id} already concluded on {h.investigation.concluded}",
            "edit the file to correct it; a further investigation finding no hazard is "
            "'hcode case stop --why no-hazard'",
        )
    if data.get("investigation") is None:
        put(data, "investigation", new_map(), _order())
    target = data["investigation"]
    put(target, "concluded", written(when), _order("investigation"))
    put(target, "found", found, _order("investigation"))


def _concluded(h: Hazard, what: str) -> Moment:
    concluded = h.investigation.concluded if h.investigation is not None else None
    if concluded is None:
        raise StepError(
            f"the investigation has not concluded: {what} runs from its conclusion",
            "record it first with 'hcode case investigate'",
        )
    return concluded


def summary(data: Any, case: Case, when: Moment, clock: Clock) -> None:
    h = _step(case, when, clock)
    _not_before(when, _concluded(h, "the written summary"), "the investigation concluded")
    if h.summary_sent is not None:
        raise StepError(f"the summary of {case.id} was already sent on {h.summary_sent}")
    put(data, "summary_sent", written(when), _order())


def made_safe(data: Any, case: Case, when: Moment, clock: Clock, *, alternative: bool = False) -> str:
    h = _step(case, when, clock)
    key = "alternative_accommodation" if alternative else "made_safe"
    if getattr(h, key) is not None:
        raise StepError(f"{key} of {case.id} was already recorded on {getattr(h, key)}")
    put(data, key, written(when), _order())
    return "alternative accommodation secured" if alternative else "made safe"


def works(data: Any, case: Case, events: dict[str, Moment], clock: Clock) -> None:
    """Record further works: ``events`` maps begun, started, completed to when."""
    h = _hazard(case)
    if not events:
        raise StepError("nothing to record", "give --begun, --started and/or --completed with a date")
    for when in events.values():
        _step(case, when, clock)
    if "begun" in events or "started" in events:
        _not_before(
            events.get("begun") or events["started"], _concluded(h, "further works"), "the investigation concluded"
        )
    if data.get("works") is None:
        put(data, "works", new_map(), _order())
    target = data["works"]
    for key in ("begun", "started", "completed"):
        if key in events:
            if target.get(key) is not None:
                raise StepError(f"works {key} of {case.id} was already recorded ({target[key]})")
            put(target, key, written(events[key]), _order("works"))


def stop(data: Any, case: Case, when: Moment, why: str, clock: Clock) -> None:
    h = _step(case, when, clock)
    if why not in STOPS:
        raise StepError(f"why must be one of {', '.join(STOPS)}")
    if h.stopped is not None:
        raise StepError(f"the clocks of {case.id} were already stopped on {h.stopped.on} ({h.stopped.why})")
    stopped = new_map()
    stopped["on"] = written(when)
    stopped["why"] = why
    put(data, "stopped", stopped, _order())
