"""The steps of the Code's process as edits to a case file (``hcode case ...``).

Each step checks that it is legal for the case as it stands (a second acknowledgement, an
escalation before the stage 1 response or a date before the previous step is refused with the
reason and what to do). Where the Code sets the condition (a different stage 2 handler, 6.13;
the 12-month time limit and the reasons given for a refusal, 2.3 and 2.4; an extension's
length, timing and the Ombudsman's details, 6.4 and 6.5), the step asks the same rules as
``hcode check``, on the case as it would stand after the step, and refuses on their errors. It
then edits the YAML document in place with ruamel.yaml's round-trip
mode, so comments, key order, quoting and the landlord's own ``x-`` fields are kept. New keys
go where the schema lists them. Nothing here touches the disk.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from hcode.core.calendar import WorkingCalendar
from hcode.core.model import Case, Code, Extension, Refusal, Stage
from hcode.core.rules import Context, check_rules
from hcode.core.rules.registry import lookup
from hcode.errors import HcodeError
from hcode.store.validate import schema


class StepError(HcodeError):
    """A step that cannot be taken (what the case records does not allow it); nothing is written."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class StepFileError(StepError):
    """A step that cannot be taken because of the files: the case cannot be found or read, or it
    changed (or appeared) on disk while the step was being written; nothing is written."""


def yaml_rt() -> Any:
    from hcode.edit.fmt import roundtrip_yaml

    return roundtrip_yaml()


def load_rt(text: str) -> Any:
    return yaml_rt().load(text)


def dump_rt(data: Any) -> str:
    out = io.StringIO()
    yaml_rt().dump(data, out)
    return out.getvalue()


def _order(*path: str) -> list[str]:
    """Key order for a mapping of the case schema, e.g. ``_order("stage1")``."""
    s = schema("case")
    node: dict[str, Any] = s
    for part in path:
        prop = node["properties"][part]
        if "$ref" in prop:
            prop = s["$defs"][prop["$ref"].rsplit("/", 1)[-1]]
        node = prop
    return list(node["properties"])


def put(mapping: Any, key: str, value: Any, order: list[str]) -> None:
    """Set ``key`` in a round-trip mapping, inserting a new key where ``order`` puts it."""
    if key in mapping:
        mapping[key] = value
        return
    rank = order.index(key) if key in order else len(order)
    position = len(mapping)
    for i, existing in enumerate(mapping):
        if existing in order and order.index(existing) > rank:
            position = i
            break
    mapping.insert(position, key, value)


def new_map() -> Any:
    from ruamel.yaml.comments import CommentedMap

    return CommentedMap()


def new_seq() -> Any:
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq()


@dataclass(frozen=True)
class Clock:
    """What a step needs to know about time: the rules' context, judged as on today."""

    ctx: Context

    @property
    def calendar(self) -> WorkingCalendar:
        return self.ctx.calendar

    @property
    def code(self) -> Code:
        return self.ctx.code

    @property
    def today(self) -> date:
        return self.ctx.as_of


# What to do, in the commands' own terms, when a rule refuses a step: by rule name and the last
# key of the field the finding points at (None: any field).
_STEP_HINTS: dict[tuple[str, str | None], str] = {
    ("different-handler", None): "choose a different handler",
    ("refusal-explained", None): "do so, then run the command again with --explained --ombudsman-rights",
    ("refusal-time-limit", None): "accept the complaint and acknowledge it ('hcode case ack')",
    ("extension-ombudsman-details", None): "give them, then run the command again with --ombudsman-details",
    ("extension", "due"): "record the good reason with --good-reason, or choose an earlier date",
    ("extension", "notified"): "record the response when it is sent",
}


def ask_rules(case: Case, clock: Clock, names: tuple[str, ...]) -> None:
    """Refuse the step (StepError) if the named rules find an error in ``case``, the case as it
    would stand after the step: the same rules ``hcode check`` runs."""
    errors = [f for f in check_rules(case, clock.ctx, names) if f.severity == "error"]
    if not errors:
        return
    first = errors[0]
    found = lookup(first.rule, clock.code)
    name = found.name if found is not None else first.rule
    messages = list(dict.fromkeys(f.message for f in errors if f.rule == first.rule))
    where = f"Code {first.rule}" if first.rule in clock.code.provisions else first.rule
    field = str(first.path[-1]) if first.path else None
    hint = _STEP_HINTS.get((name, field)) or _STEP_HINTS.get((name, None)) or first.hint
    raise StepError(f"{'; '.join(messages)} ({where})", hint)


def _not_before(when: date, earlier: date | None, what: str) -> None:
    if earlier is not None and when < earlier:
        raise StepError(
            f"{when} is before {what} ({earlier})",
            "check the date; use --date YYYY-MM-DD to record when it happened",
        )


def _not_future(when: date, clock: Clock) -> None:
    if when > clock.today:
        raise StepError(f"{when} is in the future", "record a step once it has happened")


def current_stage(case: Case) -> int:
    """The stage a step applies to when --stage is not given: 2 once escalated, else 1."""
    return 2 if case.stage2 is not None else 1


def _stage(case: Case, n: int) -> Stage | None:
    return case.stage1 if n == 1 else case.stage2


def _complaint(case: Case) -> None:
    if not case.is_complaint:
        raise StepError(
            f"{case.id} is a service request, not a complaint",
            "if the resident is dissatisfied, log a complaint (Code 1.5)",
        )


def _open_stage(case: Case, n: int) -> Stage:
    stage = _stage(case, n)
    if n == 2 and stage is None:
        raise StepError(
            f"{case.id} has not been escalated to stage 2",
            f"run 'hcode case escalate {case.id}' first",
        )
    if case.refused is not None and case.refused.stage == n:
        raise StepError(f"stage {n} of {case.id} was refused on {case.refused.date}")
    if stage is not None and stage.closed:
        what = "withdrawn" if stage.outcome == "withdrawn" else f"responded to on {stage.responded}"
        raise StepError(f"stage {n} of {case.id} is already closed ({what})")
    return stage or Stage(number=n)


def _put_stage(data: Any, n: int, fields: dict[str, Any]) -> None:
    """Write ``fields`` into stage ``n`` of the case file (made if absent), each where the
    schema lists it."""
    key = f"stage{n}"
    if data.get(key) is None:
        put(data, key, new_map(), _order())
    target = data[key]
    order = _order(key)
    for key, value in fields.items():
        put(target, key, value, order)


def _stage_step(case: Case, n: int, when: date, clock: Clock) -> Stage:
    """The open stage ``n`` of a complaint, for a step dated ``when`` (not in the future)."""
    _complaint(case)
    stage = _open_stage(case, n)
    _not_future(when, clock)
    return stage


def _began(case: Case, n: int, stage: Stage) -> date | None:
    """When stage ``n`` began: the complaint received (stage 1) or the escalation requested."""
    return case.received if n == 1 else stage.requested


def _with_stage(case: Case, n: int, stage: Stage) -> Case:
    """``case`` as it would stand with ``stage`` as its stage ``n``, for the rules to judge."""
    after = copy.deepcopy(case)
    if n == 1:
        after.stage1 = stage
    else:
        after.stage2 = stage
    return after


# -- the steps -----------------------------------------------------------------------------------


def new_case(
    case_id: str,
    kind: str,
    received: date,
    category: str,
    channel: str | None,
    issue_date: date | None,
) -> Any:
    data = new_map()
    data["id"] = case_id
    data["kind"] = kind
    data["received"] = received
    data["category"] = category
    if channel:
        data["channel"] = channel
    if issue_date:
        data["issue_date"] = issue_date
    return data


def acknowledge(data: Any, case: Case, n: int, when: date, definition: str, handler: str, clock: Clock) -> None:
    stage = _stage_step(case, n, when, clock)
    if stage.acknowledged is not None:
        raise StepError(
            f"stage {n} of {case.id} was already acknowledged on {stage.acknowledged}",
            "a complaint is acknowledged once per stage; edit the file to correct the date",
        )
    _not_before(
        when,
        _began(case, n, stage),
        "the date it was received" if n == 1 else "the escalation request",
    )
    done = copy.copy(stage)
    done.acknowledged, done.definition, done.handler = when, definition, handler
    ask_rules(_with_stage(case, n, done), clock, ("different-handler",))
    _put_stage(data, n, {"acknowledged": when, "definition": definition, "handler": handler})


def _cap_in_working_days(case: Case, n: int, clock: Clock) -> bool:
    """Whether the edition judging stage ``n`` limits extensions in working days (2024) rather
    than calendar days ("a further 10 days": 2020 and 2022)."""
    rule = clock.ctx.for_case(case).stage_code(case, n).timescale(n, "extension")
    cap = rule.cap if rule is not None else None
    return cap is None or cap[1]


def extend(
    data: Any,
    case: Case,
    n: int,
    due: date | None,
    days: int | None,
    reason: str,
    good_reason: str | None,
    ombudsman_details: bool,
    notified: date,
    clock: Clock,
) -> date:
    stage = _stage_step(case, n, notified, clock)
    if stage.extension is not None:
        raise StepError(
            f"stage {n} of {case.id} was already extended to {stage.extension.due}",
            "edit the extension in the file if the date changed again",
        )
    from hcode.core.milestones import milestones

    ms = [
        m
        for m in milestones(case, clock.ctx.judging, clock.calendar, notified)
        if m.stage == n and m.event == "respond"
    ]
    if not ms:  # pragma: no cover - every open complaint stage has a response milestone
        raise StepError(f"stage {n} of {case.id} has no response due")
    original = ms[0].due
    if days is not None:  # counted in the unit of the edition's extension limit
        working = _cap_in_working_days(case, n, clock)
        due = clock.calendar.add_days(original, days, working)
    assert due is not None
    if due <= original:
        raise StepError(f"the new date {due} is not after the current due date {original}")
    extended = copy.copy(stage)
    extended.extension = Extension(
        due=due, notified=notified, reason=reason, good_reason=good_reason, ombudsman_details=ombudsman_details
    )
    ask_rules(_with_stage(case, n, extended), clock, ("extension-ombudsman-details", "extension"))
    ext = new_map()
    ext["notified"] = notified
    ext["due"] = due
    ext["reason"] = reason
    if good_reason:
        ext["good_reason"] = good_reason
    ext["ombudsman_details"] = True
    _put_stage(data, n, {"extension": ext})
    return due


def respond(data: Any, case: Case, n: int, when: date, outcome: str, clock: Clock) -> None:
    stage = _stage_step(case, n, when, clock)
    _not_before(when, stage.acknowledged or _began(case, n, stage), "the previous step")
    _put_stage(data, n, {"responded": when, "outcome": outcome})


def escalate(data: Any, case: Case, when: date, clock: Clock) -> None:
    _complaint(case)
    _not_future(when, clock)
    if case.stage2 is not None:
        raise StepError(f"{case.id} was already escalated on {case.stage2.requested}")
    if case.refused is not None and case.refused.stage == 1:
        raise StepError(f"{case.id} was not accepted at stage 1 (refused on {case.refused.date})")
    s1 = case.stage1
    if s1 is None or s1.responded is None:
        raise StepError(
            f"{case.id} has no stage 1 response yet: it cannot be escalated before one",
            f"record the stage 1 response first ('hcode case respond {case.id}')",
        )
    _not_before(when, s1.responded, "the stage 1 response")
    stage2 = new_map()
    stage2["requested"] = when
    put(data, "stage2", stage2, _order())


def refuse(
    data: Any,
    case: Case,
    n: int,
    when: date,
    reason: str,
    explained: bool,
    rights: bool,
    note: str | None,
    clock: Clock,
) -> None:
    _complaint(case)
    _not_future(when, clock)
    if case.refused is not None:
        raise StepError(f"{case.id} was already refused on {case.refused.date}")
    stage = _open_stage(case, n)
    if n == 1 and stage.acknowledged is not None:
        raise StepError(
            f"{case.id} was accepted and acknowledged on {stage.acknowledged}: it can no longer be refused",
            "respond to it instead",
        )
    after = copy.deepcopy(case)
    after.refused = Refusal(stage=n, date=when, reason=reason, explained=explained, ombudsman_rights=rights, note=note)
    ask_rules(after, clock, ("refusal-explained",))
    _not_before(when, _began(case, n, stage), "the date it was received")
    ask_rules(after, clock, ("refusal-time-limit",))
    refused = new_map()
    refused["stage"] = n
    refused["date"] = when
    refused["reason"] = reason
    refused["explained"] = True
    refused["ombudsman_rights"] = True
    if note:
        refused["note"] = note
    put(data, "refused", refused, _order())


def remedy(data: Any, case: Case, compensation: float | None, action: str | None, due: date | None) -> None:
    _complaint(case)
    if compensation is None and action is None:
        raise StepError("nothing to record", "give --compensation AMOUNT and/or --action TEXT --due DATE")
    if action is not None and due is None:
        raise StepError("an action needs a due date (Code 7.3: what will happen and by when)", "add --due DATE")
    if data.get("remedy") is None:
        put(data, "remedy", new_map(), _order())
    target = data["remedy"]
    if compensation is not None:
        if compensation < 0:
            raise StepError("compensation cannot be negative")
        put(target, "compensation", round(compensation, 2), _order("remedy"))
    if action is not None:
        if target.get("actions") is None:
            put(target, "actions", new_seq(), _order("remedy"))
        item = new_map()
        item["action"] = action
        item["due"] = due
        target["actions"].append(item)


def action_done(data: Any, case: Case, number: int, when: date, clock: Clock) -> str:
    _not_future(when, clock)
    actions = case.remedy.actions if case.remedy else ()
    if not 1 <= number <= len(actions):
        raise StepError(
            f"{case.id} has no remedy action {number}" + (f" (it has {len(actions)})" if actions else ""),
            f"see 'hcode case show {case.id}'",
        )
    action = actions[number - 1]
    if action.done is not None:
        raise StepError(f"action {number} was already done on {action.done}")
    data["remedy"]["actions"][number - 1]["done"] = when
    return action.action


def withdraw(data: Any, case: Case, n: int, when: date, clock: Clock) -> None:
    stage = _stage_step(case, n, when, clock)
    _not_before(when, _began(case, n, stage), "the date it was received")
    _put_stage(data, n, {"outcome": "withdrawn", "withdrawn": when})


def resolve(data: Any, case: Case, when: date, clock: Clock) -> None:
    if case.is_complaint:
        raise StepError(f"{case.id} is a complaint", "complaints are closed with 'hcode case respond'")
    if case.resolved is not None:
        raise StepError(f"{case.id} was already resolved on {case.resolved}")
    _not_future(when, clock)
    _not_before(when, case.received, "the date it was received")
    put(data, "resolved", when, _order())
