"""One complaint: log it, record each step (read, edit, check, write), look at it; and the list
of every case."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from hcode.api.errors import InputUnusable, UseCaseError
from hcode.api.workspace import OpenWorkspace
from hcode.core.listings import CaseRow
from hcode.core.milestones import Milestone, still_open
from hcode.core.model import Case, Finding
from hcode.core.rules import Context
from hcode.core.selection import Selection
from hcode.store.cachefile import rows_as

if TYPE_CHECKING:
    from hcode.edit.casefile import CaseFile
    from hcode.edit.steps import Clock, StepError

#: What a step does to the open case file: edit it, and say what was done ("stage 1 acknowledged
#: on 2025-01-06").
Step = Callable[["CaseFile", Context, "Clock"], str]


class StepRefused(UseCaseError):
    """A step that cannot be taken (the Code or a check refuses it); nothing was written."""


class StepBlocked(StepRefused):
    """A step that cannot be taken because the case file cannot be used (no such case, it
    cannot be read, or it changed on disk while being written); nothing was written."""


def _refused(exc: StepError) -> StepRefused:
    from hcode.edit.steps import StepFileError

    return (StepBlocked if isinstance(exc, StepFileError) else StepRefused)(exc.message, exc.hint)


@dataclass(frozen=True)
class StepResult:
    """What a step recorded: ``done`` says what, ``rel`` where it was written; ``notes``: the
    Code's provisions the case now breaks that it did not before (each ``message (Code 6.3)``);
    ``next``: what is due next; ``allowed``: personal data written because it was allowed."""

    case_id: str
    done: str
    rel: str
    notes: list[str] = field(default_factory=list)
    next: str = ""
    allowed: list[str] = field(default_factory=list)


def reference(rule: str, edition: str | None, ctx: Context) -> str:
    """``Code 6.3`` (one edition named in hcode.yaml), ``Code 5.1, hoc-2022`` or ``respond,
    hoc-2022`` (code: auto: the edition is named, as it is not always the same)."""
    text = f"Code {rule}" if rule[:1].isdigit() else rule
    return f"{text}, {edition}" if edition and ctx.auto else text


def next_due(case: Case, ctx: Context) -> str:
    """What is due next for ``case``, in a sentence."""
    from hcode.core.rules import case_milestones

    if case.hazard is not None and ctx.hazards is not None:  # a hazard report (Awaab's Law)
        from hcode.core.hazards import next_due_text

        return next_due_text(case, ctx.hazards, ctx.calendar, ctx.as_of, ctx.now)
    pending = sorted((m for m in case_milestones(case, ctx) if still_open(m)), key=lambda m: m.due)
    if not pending:
        return "Nothing more is due for this case."
    m = pending[0]
    what = "acknowledgement" if m.event == "acknowledge" else "response"
    state = {"overdue": " - OVERDUE", "due-soon": " - due soon"}.get(m.status, "")
    return f"Next: stage {m.stage} {what} due {m.due} ({reference(m.provision, m.edition, ctx)}){state}"


def _personal_data(before: list[Finding], after: list[Finding], allow: bool) -> list[str]:
    """Refuse a step that brings personal data into the case, unless ``allow``; with ``allow``,
    the messages of what was let through."""
    seen = {(f.rule, f.message) for f in before}
    new = [f for f in after if f.rule == "privacy.personal-data" and (f.rule, f.message) not in seen]
    if new and not allow:
        raise StepRefused(
            new[0].message,
            "leave it out (keep contact details in private/, git-ignored), "
            "or give --allow-personal-data if it is not personal data",
        )
    return [f.message for f in new]


def take_step(
    ws: OpenWorkspace, case_id: str, step: Step, today: date, allow_personal_data: bool = False
) -> StepResult:
    """Open the case, apply ``step``, check the result as ``hcode check`` would and write it (only
    if the file is still what was read). A step that brings personal data into the case is
    refused unless ``allow_personal_data``. :class:`StepRefused` when nothing was written."""
    from hcode.core.rules import check_case
    from hcode.edit.casefile import checked_text, open_case, write_guarded
    from hcode.edit.steps import Clock, StepError

    ctx = ws.context(today)
    clock = Clock(ctx)
    try:
        cf = open_case(ws.root, case_id, ws.settings.max_file_bytes)
        earlier = check_case(cf.case, ctx)
        done = step(cf, ctx, clock)
        text, case, findings = checked_text(cf, ctx, earlier)
        allowed = _personal_data(earlier, findings, allow_personal_data)
        write_guarded(cf.path, text, cf.original, root=ws.root)
    except StepError as exc:
        raise _refused(exc) from None
    seen = {(f.rule, f.message) for f in earlier}
    notes = [
        f"{f.message} ({reference(f.rule, f.edition, ctx)})"
        for f in findings
        if f.severity == "error" and f.rule[:1].isdigit() and (f.rule, f.message) not in seen
    ]
    return StepResult(case.id, done, cf.rel, notes, next_due(case, ctx), allowed)


def new_case(
    ws: OpenWorkspace,
    *,
    received: date,
    category: str,
    kind: str,
    channel: str | None,
    issue_date: date | None,
    case_id: str | None,
    today: date,
    allow_personal_data: bool = False,
) -> StepResult:
    """Log a new complaint or service request in ``cases/YEAR/ID.yaml`` (the next free id unless
    ``case_id``); :class:`StepRefused` when it cannot be."""
    from hcode.core.rules import check_case
    from hcode.edit.casefile import find, next_id, parse_case, write_guarded
    from hcode.edit.steps import StepError, dump_rt
    from hcode.edit.steps import new_case as new_case_data

    ctx = ws.context(today)
    root = ws.root
    try:
        if received > today:
            raise StepError(f"{received} is in the future", "log a complaint once it has been received")
        if issue_date is not None and issue_date > received:
            raise StepError(f"the issue date {issue_date} is after the date received {received}")
        cid = case_id or next_id(root, ws.settings.id_pattern, received.year)
        if find(root, cid) is not None:
            raise StepError(f"a case {cid} already exists", "choose another --id")
        rel = f"cases/{received.year}/{cid}.yaml"
        text = dump_rt(new_case_data(cid, kind, received, category, channel, issue_date))
        case = parse_case(text, rel, ws.settings.max_file_bytes)
        found = check_case(case, ctx)
        bad = [f for f in found if f.severity == "error" and f.rule in ("case.id", "case.category", "dates.future")]
        if bad:
            raise StepError(bad[0].message, bad[0].hint)
        allowed = _personal_data([], found, allow_personal_data)
        write_guarded(root / rel, text, None, root=root)  # the writer rule: no link, nothing outside
    except StepError as exc:
        raise _refused(exc) from None
    done = f"logged as a {kind} received {received}"
    return StepResult(cid, done, rel, [], next_due(case, ctx), allowed)


def case_id_problem(case_id: str) -> str | None:
    """Why ``case_id`` cannot be a case's id, or None."""
    from hcode.core.rules.records import id_problem

    return id_problem(case_id)


# -- the steps -----------------------------------------------------------------------------------


def acknowledge(
    ws: OpenWorkspace,
    case_id: str,
    *,
    day: date,
    definition: str,
    handler: str,
    stage: int | None,
    today: date,
    allow_personal_data: bool = False,
) -> StepResult:
    """Record the acknowledgement of a complaint at stage 1 or 2 (default: the current stage)."""
    from hcode.edit.steps import acknowledge as edit
    from hcode.edit.steps import current_stage

    def step(cf: CaseFile, ctx: Context, clock: Clock) -> str:
        n = stage or current_stage(cf.case)
        edit(cf.data, cf.case, n, day, definition, handler, clock)
        return f"stage {n} acknowledged on {day}"

    return take_step(ws, case_id, step, today, allow_personal_data)


def extend(
    ws: OpenWorkspace,
    case_id: str,
    *,
    reason: str,
    due: date | None,
    days: int | None,
    good_reason: str | None,
    ombudsman_details: bool,
    notified: date,
    stage: int | None,
    today: date,
    allow_personal_data: bool = False,
) -> StepResult:
    """Record an extension of the response timescale, to ``due`` or by ``days``."""
    from hcode.edit.steps import current_stage
    from hcode.edit.steps import extend as edit

    def step(cf: CaseFile, ctx: Context, clock: Clock) -> str:
        n = stage or current_stage(cf.case)
        final = edit(cf.data, cf.case, n, due, days, reason, good_reason, ombudsman_details, notified, clock)
        return f"stage {n} response extended to {final} (resident told {notified})"

    return take_step(ws, case_id, step, today, allow_personal_data)


def respond(
    ws: OpenWorkspace,
    case_id: str,
    *,
    outcome: str,
    day: date,
    stage: int | None,
    today: date,
    allow_personal_data: bool = False,
) -> StepResult:
    """Record the response at stage 1 or 2."""
    from hcode.edit.steps import current_stage
    from hcode.edit.steps import respond as edit

    def step(cf: CaseFile, ctx: Context, clock: Clock) -> str:
        n = stage or current_stage(cf.case)
        edit(cf.data, cf.case, n, day, outcome, clock)
        return f"stage {n} response sent on {day} ({outcome})"

    return take_step(ws, case_id, step, today, allow_personal_data)


def escalate(ws: OpenWorkspace, case_id: str, *, day: date, today: date) -> StepResult:
    """Record that the resident asked for stage 2."""
    from hcode.edit.steps import escalate as edit

    def step(cf: CaseFile, ctx: Context, clock: Clock) -> str:
        edit(cf.data, cf.case, day, clock)
        return f"escalation to stage 2 requested on {day}"

    return take_step(ws, case_id, step, today)


def refuse(
    ws: OpenWorkspace,
    case_id: str,
    *,
    reason: str,
    explained: bool,
    ombudsman_rights: bool,
    note: str | None,
    day: date,
    stage: int | None,
    today: date,
    allow_personal_data: bool = False,
) -> StepResult:
    """Record that a complaint was not accepted (stage 1) or an escalation refused (stage 2)."""
    from hcode.edit.steps import current_stage
    from hcode.edit.steps import refuse as edit

    def step(cf: CaseFile, ctx: Context, clock: Clock) -> str:
        n = stage or current_stage(cf.case)
        edit(cf.data, cf.case, n, day, reason, explained, ombudsman_rights, note, clock)
        return f"stage {n} refused on {day} ({reason})"

    return take_step(ws, case_id, step, today, allow_personal_data)


def remedy(
    ws: OpenWorkspace,
    case_id: str,
    *,
    compensation: float | None,
    action: str | None,
    action_due: date | None,
    today: date,
    allow_personal_data: bool = False,
) -> StepResult:
    """Record compensation and/or a remedy action."""
    from hcode.edit.steps import remedy as edit

    def step(cf: CaseFile, ctx: Context, clock: Clock) -> str:
        edit(cf.data, cf.case, compensation, action, action_due)
        parts = []
        if compensation is not None:
            parts.append(f"compensation £{compensation:,.2f}")
        if action is not None:
            parts.append(f"action due {action_due}")
        return "remedy recorded: " + ", ".join(parts)

    return take_step(ws, case_id, step, today, allow_personal_data)


def action_done(ws: OpenWorkspace, case_id: str, *, number: int, day: date, today: date) -> StepResult:
    """Record that remedy action ``number`` (1 = first) was done."""
    from hcode.edit.steps import action_done as edit

    def step(cf: CaseFile, ctx: Context, clock: Clock) -> str:
        name = edit(cf.data, cf.case, number, day, clock)
        return f"remedy action {number} ({name}) done on {day}"

    return take_step(ws, case_id, step, today)


def withdraw(ws: OpenWorkspace, case_id: str, *, day: date, stage: int | None, today: date) -> StepResult:
    """Record that the resident withdrew the complaint."""
    from hcode.edit.steps import current_stage
    from hcode.edit.steps import withdraw as edit

    def step(cf: CaseFile, ctx: Context, clock: Clock) -> str:
        n = stage or current_stage(cf.case)
        edit(cf.data, cf.case, n, day, clock)
        return f"withdrawn at stage {n} on {day}"

    return take_step(ws, case_id, step, today)


def resolve(ws: OpenWorkspace, case_id: str, *, day: date, today: date) -> StepResult:
    """Record that a service request was put right."""
    from hcode.edit.steps import resolve as edit

    def step(cf: CaseFile, ctx: Context, clock: Clock) -> str:
        edit(cf.data, cf.case, day, clock)
        return f"resolved on {day}"

    return take_step(ws, case_id, step, today)


# -- looking at cases ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseView:
    """One case as ``hcode case show`` shows it: the record, its milestones and findings, and the
    rules' context it was judged in."""

    case: Case
    milestones: list[Milestone]
    findings: list[Finding]
    context: Context
    hazards: list[str] = field(default_factory=list)  # the hazard reports naming this complaint
    problems: list[Finding] = field(default_factory=list)  # case files not read: their links unknown


def case_view(ws: OpenWorkspace, case_id: str, as_of: date | None = None) -> CaseView:
    """One case judged as on ``as_of`` (default today); :class:`InputUnusable` when there is no
    such case or it cannot be read. The case files are listed once: to find the case, and to
    know the hazard reports naming it (from the cache for unchanged files); those that could not
    be read are in ``problems``."""
    from hcode.core.rules import case_milestones, check_case
    from hcode.store.reader import CaseError

    listed = ws.store.list_cases()
    try:
        case = ws.store.case(case_id, listed)
    except CaseError as exc:
        raise InputUnusable(exc.message, exc.hint) from None
    ctx = ws.context(as_of)
    links, problems = ws.store.hazard_links(ctx, listed)  # hazard reports naming a complaint (Awaab's Law)
    findings = [f for f in check_case(case, ctx) if not (f.rule == "awaab.complaint" and case.id in links)]
    return CaseView(case, case_milestones(case, ctx), findings, ctx, links.get(case.id, []), problems)


@dataclass(frozen=True)
class CaseList:
    """Every readable case, by date received, and the case files that could not be read."""

    as_of: date
    rows: list[CaseRow]
    problems: list[Finding] = field(default_factory=list)
    landlord: str = ""


def _list_row(case: Any, ctx: Context) -> tuple[list[str], dict[str, Any]]:
    """One case's row of ``case list``, with its place in the list (worker processes call this)."""
    from hcode.core.rules import case_milestones

    pending = sorted((m for m in case_milestones(case, ctx) if still_open(m)), key=lambda m: m.due)
    nxt = pending[0] if pending else None
    current = case.stage2 if case.stage2 is not None else case.stage1
    row = {
        "case": case.id,
        "kind": case.kind,
        "received": case.received.isoformat(),
        "category": case.category,
        "stage": (2 if case.stage2 is not None else 1) if case.is_complaint else None,
        "open": bool(pending) or (not case.is_complaint and case.resolved is None),
        "next": None if nxt is None else f"stage {nxt.stage} {nxt.event}",
        "due": None if nxt is None else nxt.due.isoformat(),
        "status": None if nxt is None else nxt.status,
        "handler": current.handler if current is not None else None,
    }
    if case.hazard is not None and ctx.hazards is not None:  # a hazard report: its own clocks
        from hcode.core.hazards import list_fields

        row.update(list_fields(case, ctx.hazards, ctx.calendar, ctx.as_of, ctx.soon))
    return [case.received.isoformat(), case.id], row


def _by_received(read: Any) -> list[CaseRow]:
    return [CaseRow(**row) for _, row in sorted(read.items, key=lambda item: item[0])]


def _case_row(row: dict[str, Any]) -> CaseRow:
    return CaseRow(**row)


_ROWS = rows_as(CaseRow.row, _case_row)  # kept as the rows ``case list --format json`` prints
LIST_ANSWER = "case-list"  # the name :func:`case_rows` keeps its rows under (``Store.derived``)


def case_rows(
    ws: OpenWorkspace,
    as_of: date | None = None,
    *,
    open_only: bool = False,
    stage: int | None = None,
    category: str | None = None,
    chosen: Selection | None = None,
) -> tuple[date, list[dict[str, Any]], list[Finding]]:
    """What :func:`case_list` lists, as the rows ``hcode case list --format json`` prints (kept
    in the cache for unchanged inputs), with the date and the problems: for large workspaces,
    where building a value per row costs more than the listing. ``chosen``: only the cases it
    selects (:func:`hcode.api.values.listing_selection`)."""
    from dataclasses import replace

    from hcode.core.selection import select_rows

    ctx = ws.context(as_of)
    every, problems = ws.store.derived(LIST_ANSWER, {}, ctx, _by_received, _list_row, codec=_ROWS, encoded=True)
    chosen = replace(
        chosen or Selection(),
        open=open_only or (chosen is not None and chosen.open),
        categories=(category,) if category is not None else (chosen.categories if chosen else ()),
    )
    rows = select_rows([r for r in every if stage is None or r["stage"] == stage], chosen)
    return ctx.as_of, rows, problems


def case_list(
    ws: OpenWorkspace,
    as_of: date | None = None,
    *,
    open_only: bool = False,
    stage: int | None = None,
    category: str | None = None,
    chosen: Selection | None = None,
) -> CaseList:
    """The cases (only those with something still due, at ``stage``, in ``category``, and those
    ``chosen`` selects, where given) as on ``as_of`` (default today); kept in the cache for
    unchanged inputs."""
    when, rows, problems = case_rows(ws, as_of, open_only=open_only, stage=stage, category=category, chosen=chosen)
    return CaseList(when, [CaseRow(**r) for r in rows], problems, ws.settings.landlord)
