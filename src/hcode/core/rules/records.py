"""Record rules: the case file itself must make sense before any timescale can be judged.

* ``case.id``: the ``id`` must equal the file name without ``.yaml`` (error), so a case can be
  found from its id and ids stay unique.
* ``case.category``: the ``category`` must be one of the categories declared in
  ``hcode.yaml`` (``categories:``, default hcode's own list) (error). The category appears in the
  published annual report and its charts, so it must never carry free text (a name, an
  address); the message does not repeat the value.
* ``dates.future``: an event that has happened (receipt, acknowledgement, response, request,
  extension notice, refusal, withdrawal, resolution, Ombudsman referral, completed action) must
  not be dated after ``--as-of`` (error).
* ``dates.order``: events must come in order: acknowledged (and logged) on or after receipt (or
  request), responded on or after acknowledgement, escalation requested on or after the stage 1
  response, extension notice on or after receipt, refusal on or after receipt (error).
* ``code.edition``: a complaint received before the Code edition's effective date (one edition
  named in ``hcode.yaml``) is judged against it all the same; an info finding says so. With
  ``code: auto`` each stage is judged by the edition in force when it started, and a complaint
  received before the earliest edition hcode knows is not judged at all; an info finding says
  why.
* ``case.withdrawn``: a stage with a ``withdrawn:`` date has no deadlines after that date, but
  its ``outcome`` should then be ``withdrawn`` (warning: the figures count outcomes).
* ``case.stage``: stage data that do not belong (a service request with stages, a stage 2
  with no stage 1 response and no stage 1 at all) are flagged (warning).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any

from hcode.core.asof import known
from hcode.core.categories import DEFAULT_CATEGORIES, is_known
from hcode.core.milestones import Milestone
from hcode.core.model import Case, Finding, Path, Stage
from hcode.core.recall import JUDGING
from hcode.core.rules.context import Context, case_finding
from hcode.core.rules.spec import Example, Rule, complaint, stage1
from hcode.core.text import shorten

_GOOD = complaint(stage1())
_REQUEST = """\
id: C-2024-0001
kind: service-request
received: 2024-05-01
category: repairs
{rest}"""

RULES = (
    Rule(
        name="case.id",
        summary="the id does not match the file name",
        severities=("error",),
        passing=(Example(_GOOD),),
        failing=(
            Example(
                complaint(stage1(), id="C-2024-0002"),
                note="the file is C-2024-0001.yaml",
            ),
        ),
    ),
    Rule(
        name="case.category",
        summary="the category is not one of the categories declared in hcode.yaml",
        severities=("error",),
        passing=(Example(_GOOD),),
        failing=(Example(_GOOD.replace("category: repairs", "category: Mrs Jones, 4 High St")),),
    ),
    Rule(
        name="dates.future",
        summary="an event dated after --as-of",
        severities=("error",),
        passing=(Example(_GOOD),),
        failing=(
            Example(
                complaint(stage1(responded="2025-01-10")),
                note="checked as on 31 December 2024",
            ),
        ),
    ),
    Rule(
        name="dates.order",
        summary="dates out of order (warning: escalation before the stage 1 response)",
        severities=("error", "warning"),
        passing=(Example(_GOOD),),
        failing=(Example(complaint(stage1(ack="2024-04-29"))),),
    ),
    Rule(
        name="code.edition",
        summary="received before the Code edition took effect",
        severities=("info",),
        passing=(Example(_GOOD),),
        failing=(
            Example(
                complaint(stage1("2024-03-04", "2024-03-12"), received="2024-03-01"),
                note="the 2024 Code took effect on 1 April 2024",
            ),
        ),
    ),
    Rule(
        name="case.withdrawn",
        summary="a withdrawal date but the outcome is not withdrawn",
        severities=("warning",),
        passing=(
            Example(complaint("stage1:\n  acknowledged: 2024-05-02\n  withdrawn: 2024-05-07\n  outcome: withdrawn\n")),
        ),
        failing=(
            Example(
                complaint("stage1:\n  acknowledged: 2024-05-02\n  withdrawn: 2024-05-07\n"),
                note="no deadline after 7 May is judged, but the outcome is missing",
            ),
        ),
    ),
    Rule(
        name="case.stage",
        summary="a service request with complaint stages",
        severities=("warning",),
        passing=(Example(_REQUEST.format(rest="resolved: 2024-05-02\n")),),
        failing=(
            Example(
                _REQUEST.format(rest="stage1:\n  acknowledged: 2024-05-02\n  definition: Wants the repair done.\n")
            ),
        ),
    ),
)


def _stage_events(key: str) -> tuple[Path, ...]:
    return (
        (key, "requested"),
        (key, "acknowledged"),
        (key, "logged"),
        (key, "responded"),
        (key, "withdrawn"),
        (key, "extension", "notified"),
    )


# Every dated event of a case that records something that has happened, as its path in the case
# file ("*": each item of a list). The rules (dates.future, the cache's settled date) and
# ``hcode diff`` (a rewritten date is an audit red flag) all read this one list.
EVENT_PATHS: tuple[Path, ...] = (
    ("received",),
    ("resolved",),
    *_stage_events("stage1"),
    *_stage_events("stage2"),
    ("refused", "date"),
    ("ombudsman", "referred"),
    ("ombudsman", "determined"),
    ("ombudsman", "failure_order"),
    ("remedy", "actions", "*", "done"),
)


def event_name(path: Path) -> str:
    """How an event is named in messages: ``stage1.responded``, ``remedy action 2 done``."""
    if path[:2] == ("remedy", "actions") and len(path) == 4 and isinstance(path[2], int):
        return f"remedy action {path[2] + 1} done"
    return ".".join(str(part) for part in path)


def _trie(paths: Sequence[Path]) -> list[tuple[str, Any]]:
    """:data:`EVENT_PATHS` as a tree of (component, children) in their order: each shared prefix
    (``stage1``, ``remedy.actions``) is looked up once per case, not once per path."""
    tree: dict[str, Any] = {}
    for path in paths:
        node = tree
        for part in path:
            node = node.setdefault(str(part), {})

    def freeze(node: dict[str, Any]) -> list[tuple[str, Any]]:
        return [(key, freeze(child)) for key, child in node.items()]

    return freeze(tree)


_EVENT_TREE = _trie(EVENT_PATHS)


def _record_walker(tree: list[tuple[str, Any]]) -> Callable[[Any], list[tuple[Path, Any]]]:
    """:func:`event_values` of a record (read with ``getattr``) as one function written out from
    ``tree`` and compiled once: a line per event, each path a constant, no call per step of the
    tree (a fifth of the generic walk's time for a case; tested to give the same)."""
    lines = ["def walk(node):", "    out = []", "    add = out.append"]
    names = itertools.count()

    def emit(var: str, tree: list[tuple[str, Any]], done: list[str], depth: int) -> None:
        pad = "    " * depth
        for head, children in tree:
            if head == "*":
                i, item = f"i{next(names)}", f"v{next(names)}"
                lines.append(f"{pad}if isinstance({var}, (list, tuple)):")
                lines.append(f"{pad}    for {i}, {item} in enumerate({var}):")
                lines.append(f"{pad}        if {item} is not None:")
                emit(item, children, [*done, i], depth + 3)
                continue
            child = f"v{next(names)}"
            lines.append(f"{pad}{child} = getattr({var}, {head!r}, None)")
            lines.append(f"{pad}if {child} is not None:")
            if children:
                emit(child, children, [*done, repr(head)], depth + 1)
            else:
                lines.append(f"{pad}    add((({', '.join([*done, repr(head)])},), {child}))")

    emit("node", tree, [], 1)
    lines.append("    return out")
    scope: dict[str, Any] = {}
    exec("\n".join(lines), scope)  # names and paths from EVENT_PATHS only, never from a file
    walk: Callable[[Any], list[tuple[Path, Any]]] = scope["walk"]
    return walk


_RECORD_EVENTS = _record_walker(_EVENT_TREE)


def event_values(node: Any, get: Callable[[Any, str], Any]) -> list[tuple[Path, Any]]:
    """Each event path of :data:`EVENT_PATHS` present in ``node`` (a record or a parsed file,
    read with ``get``), with list items numbered, and its value (never None), in the list's order."""
    if get is _attr:
        return _RECORD_EVENTS(node)
    out: list[tuple[Path, Any]] = []
    add = out.append

    def walk(value: Any, tree: list[tuple[str, Any]], done: Path) -> None:
        for head, children in tree:
            if head == "*":
                if isinstance(value, (list, tuple)):
                    for i, item in enumerate(value):
                        if item is not None:
                            walk(item, children, (*done, i))
                continue
            child = get(value, head)
            if child is None:
                continue
            if children:
                walk(child, children, (*done, head))
            else:
                add(((*done, head), child))

    walk(node, _EVENT_TREE, ())
    return out


def _attr(node: Any, name: str) -> Any:
    return getattr(node, name, None)


def event_dates(case: Case) -> tuple[tuple[Path, date], ...]:
    """Dated events that have happened, with where they are in the file (each one's name is
    :func:`event_name` of its path); walked once while the case is being judged
    (:data:`hcode.core.recall.JUDGING`)."""
    return JUDGING.answer(case, "events", lambda: tuple(event_values(case, _attr)))


def _order(case: Case, stage: Stage, trigger: tuple[str, date]) -> Iterator[tuple[str, Path, str]]:
    key = f"stage{stage.number}"
    name, when = trigger
    if stage.acknowledged is not None and stage.acknowledged < when:
        yield (
            f"stage {stage.number} acknowledged {stage.acknowledged} before it was {name} {when}",
            (key, "acknowledged"),
            f"check {key}.acknowledged and the {name} date",
        )
    if stage.logged is not None and stage.logged < when:
        yield (
            f"stage {stage.number} logged {stage.logged} before it was {name} {when}",
            (key, "logged"),
            f"check {key}.logged and the {name} date",
        )
    if stage.responded is not None:
        first = stage.acknowledged or when
        if stage.responded < first:
            what = "acknowledged" if stage.acknowledged else name
            yield (
                f"stage {stage.number} responded {stage.responded} before it was {what} {first}",
                (key, "responded"),
                f"check {key}.responded",
            )
    ext = stage.extension
    if ext is not None and ext.notified is not None and ext.notified < when:
        yield (
            f"stage {stage.number} extension notified {ext.notified} before it was {name} {when}",
            (key, "extension", "notified"),
            f"check {key}.extension.notified",
        )


MAX_ID_LENGTH = 100
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
# Names Windows keeps for devices, with or without an extension (CON, CON.yaml, com1.txt).
_RESERVED = frozenset(["CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))])


def id_problem(case_id: str) -> str | None:
    """Why ``case_id`` cannot name a case file on every system, or None if it can."""
    if not _ID.match(case_id):
        return "an id is letters, digits, '.', '_' and '-', starting with a letter or digit"
    if len(case_id) > MAX_ID_LENGTH:
        return f"an id is at most {MAX_ID_LENGTH} characters"
    if case_id.split(".", 1)[0].upper() in _RESERVED or case_id.endswith("."):
        return f"{case_id!r} cannot be a file name on Windows"
    return None


def check(case: Case, ms: Sequence[Milestone], ctx: Context) -> Iterator[Finding]:
    stem = case.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if case.id != stem:
        yield case_finding(
            case,
            "case.id",
            "error",
            f"the case id {shorten(case.id)!r} does not match the file name {shorten(stem)!r}",
            path=("id",),
            hint=f"rename the file to {case.id}.yaml or correct the id",
        )
    if case.hazard is not None:  # a hazard record's hazard, dates and order: hcode.core.rules.awaab
        return
    if not is_known(case.category, ctx.settings.categories):
        yield case_finding(
            case,
            "case.category",
            "error",
            "the category is not one of the categories declared in hcode.yaml (it is published in the annual report)",
            path=("category",),
            hint="use one of: "
            + ", ".join(list(ctx.settings.categories or DEFAULT_CATEGORIES)[:12])
            + " (or declare the list under categories: in hcode.yaml)",
        )
    for path, when in event_dates(case):
        if known(when, ctx.as_of) is None:  # not yet happened on as_of
            yield case_finding(
                case,
                "dates.future",
                "error",
                f"{event_name(path)} {when} is after {ctx.as_of}, the date of this check",
                path=path,
                actual=when,
                hint="an event that has happened cannot be in the future: check the date",
            )
    problems: list[tuple[str, Path, str]] = []
    if case.stage1 is not None:
        problems += _order(case, case.stage1, ("received", case.received))
    if case.stage2 is not None and case.stage2.requested is not None:
        s2 = case.stage2
        problems += _order(case, s2, ("requested", s2.requested))  # type: ignore[arg-type]
        if s2.requested is not None and s2.requested < case.received:
            problems.append(
                (
                    f"escalation requested {s2.requested} before the complaint was received {case.received}",
                    ("stage2", "requested"),
                    "check stage2.requested",
                )
            )
        s1 = case.stage1
        if s1 is not None and s1.responded is not None and s2.requested is not None and s2.requested < s1.responded:
            yield case_finding(
                case,
                "dates.order",
                "warning",
                f"escalation requested {s2.requested} before the stage 1 response {s1.responded}",
                path=("stage2", "requested"),
                hint="check both dates; if the resident escalated because stage 1 was late, this is right",
            )
    if case.refused is not None and case.refused.date < case.received:
        problems.append(
            (
                f"refused {case.refused.date} before the complaint was received {case.received}",
                ("refused", "date"),
                "check refused.date",
            )
        )
    if case.resolved is not None and case.resolved < case.received:
        problems.append(
            (
                f"resolved {case.resolved} before it was received {case.received}",
                ("resolved",),
                "check resolved",
            )
        )
    for message, path, hint in problems:
        yield case_finding(case, "dates.order", "error", message, path=path, hint=hint)
    if not case.is_complaint and (case.stage1 or case.stage2 or case.refused):
        yield case_finding(
            case,
            "case.stage",
            "warning",
            "a service request has complaint stages or a refusal",
            path=("kind",),
            hint="if the resident complained, change kind to complaint (Code 1.5)",
        )
    for stage in (case.stage1, case.stage2):
        if stage is not None and stage.withdrawn is not None and stage.outcome != "withdrawn":
            key = f"stage{stage.number}"
            said = f"outcome: {stage.outcome}" if stage.outcome else "no outcome"
            yield case_finding(
                case,
                "case.withdrawn",
                "warning",
                f"stage {stage.number} was withdrawn on {stage.withdrawn} but has {said}: "
                "no deadline after the withdrawal is judged",
                path=(key, "outcome") if stage.outcome else (key, "withdrawn"),
                hint=f"set {key}.outcome: withdrawn (or remove withdrawn: if it was not withdrawn)",
            )
    if ctx.auto and not ctx.judged and case.is_complaint:
        assert ctx.editions is not None
        first = ctx.editions.earliest
        yield case_finding(
            case,
            "code.edition",
            "info",
            f"received {case.received}, before the earliest Code edition hcode knows "
            f"({first.code}, in force from {first.effective}): its stage 1 timescales are not judged",
            path=("received",),
            hint="judge it by hand, or add that edition as provisions/NAME.yaml",
        )
    elif not ctx.auto and case.is_complaint and case.received < ctx.code.effective:
        yield case_finding(
            case,
            "code.edition",
            "info",
            f"received {case.received}, before {ctx.code.code} took effect on "
            f"{ctx.code.effective}: judged against {ctx.code.code} all the same",
            path=("received",),
        )
