"""``hcode case``: record each step of a complaint, and look at one case or all of them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from hcode.cli import (
    AsOfOpt,
    CategoryOpt,
    HandlerOpt,
    KindOpt,
    NoCacheOpt,
    OverdueOpt,
    ReceivedYearOpt,
    WorkersOpt,
    WorkspaceArg,
    WorkspaceOpt,
    app,
    dump_json,
    echo,
    err,
    fail_input,
    open_store,
    out,
    paged,
    parse_date,
    row_filter,
    today,
    warn_left_out,
)

case_app = typer.Typer(help="Record the steps of a complaint, and look at cases.", no_args_is_help=True)
app.add_typer(case_app, name="case")

IdArg = Annotated[str, typer.Argument(metavar="ID", help="Case id, e.g. C-2024-0042.")]
DateOpt = Annotated[
    str | None,
    typer.Option("--date", metavar="DATE", help="When it happened (YYYY-MM-DD; default today)."),
]
StageOpt = Annotated[
    int | None,
    typer.Option("--stage", min=1, max=2, help="Stage 1 or 2 (default: stage 2 once escalated, else 1)."),
]


class Kind(StrEnum):
    complaint = "complaint"
    service_request = "service-request"


class Channel(StrEnum):
    phone = "phone"
    email = "email"
    letter = "letter"
    web = "web"
    in_person = "in-person"
    social_media = "social-media"
    other = "other"


class Outcome(StrEnum):
    upheld = "upheld"
    partly_upheld = "partly-upheld"
    not_upheld = "not-upheld"


class Reason(StrEnum):
    over_12_months = "over-12-months"
    legal_proceedings = "legal-proceedings"
    previously_considered = "previously-considered"
    other = "other"


class ListFormat(StrEnum):
    text = "text"  # the name every command uses for terminal output
    table = "table"  # the same, under its earlier name
    json = "json"


def _when(value: str | None, option: str = "--date") -> date:
    return parse_date(value, option) or today()


def _refused(exc: Any) -> None:
    console = err()
    console.print(f"hcode: not recorded: {exc.message}", markup=False)
    if exc.hint:
        console.print(f"hint: {exc.hint}", markup=False)
    raise typer.Exit(exc.code)


def _next_due(case: Any, ctx: Any) -> str:
    from hcode.core.rules import case_milestones

    pending = sorted((m for m in case_milestones(case, ctx) if m.done is None), key=lambda m: m.due)
    if not pending:
        return "Nothing more is due for this case."
    m = pending[0]
    what = "acknowledgement" if m.event == "acknowledge" else "response"
    state = {"overdue": " - OVERDUE", "due-soon": " - due soon"}.get(m.status, "")
    return f"Next: stage {m.stage} {what} due {m.due} ({_ref(m.provision, m.edition, ctx)}){state}"


def _ref(rule: str, edition: str | None, ctx: Any) -> str:
    """``Code 6.3`` (one edition named in hcode.yaml), ``Code 5.1, hoc-2022`` or ``respond,
    hoc-2022`` (code: auto: the edition is named, as it is not always the same)."""
    text = f"Code {rule}" if rule[:1].isdigit() else rule
    return f"{text}, {edition}" if edition and ctx.auto else text


AllowPdOpt = Annotated[
    bool,
    typer.Option(
        "--allow-personal-data",
        help="Write even if a field seems to hold personal data (an email address, phone number or postcode).",
    ),
]


def _personal_data(before: list[Any], after: list[Any], allow: bool) -> None:
    """Refuse (StepError) a step that brings personal data into the case, unless ``allow``;
    with ``allow``, say what was let through."""
    from hcode.edit.steps import StepError

    seen = {(f.rule, f.message) for f in before}
    new = [f for f in after if f.rule == "privacy.personal-data" and (f.rule, f.message) not in seen]
    if not new:
        return
    if not allow:
        raise StepError(
            new[0].message,
            "leave it out (keep contact details in private/, git-ignored), "
            "or give --allow-personal-data if it is not personal data",
        )
    for f in new:
        err().print(f"hcode: warning: {f.message} (written because of --allow-personal-data)", markup=False)


def _run_step(
    workspace: Path | None, case_id: str, step: Callable[[Any, Any, Any], str], allow_personal_data: bool = False
) -> None:
    """Open the case, apply ``step``, check the result and write it; print what happens next.
    A step that brings personal data into the case is refused unless ``allow_personal_data``."""
    from hcode.core.rules import check_case
    from hcode.edit.casefile import checked_text, open_case, write_guarded
    from hcode.edit.steps import Clock, StepError

    store = open_store(None, workspace)
    now = today()
    ctx = store.context(now)
    clock = Clock(ctx)
    try:
        cf = open_case(store.root, case_id, store.settings.max_file_bytes)
        earlier = check_case(cf.case, ctx)
        done = step(cf, ctx, clock)
        text, case, findings = checked_text(cf, ctx, earlier)
        _personal_data(earlier, findings, allow_personal_data)
        write_guarded(cf.path, text, cf.original)
    except StepError as exc:
        _refused(exc)
    console = out()
    seen = {(f.rule, f.message) for f in earlier}
    console.print(f"{case.id}: {done}. Written to {cf.rel}.", markup=False)
    for f in findings:
        if f.severity == "error" and f.rule[:1].isdigit() and (f.rule, f.message) not in seen:
            console.print(f"Note: {f.message} ({_ref(f.rule, f.edition, ctx)})", markup=False)
            if f.hint:
                console.print(f"  to fix: {f.hint}", markup=False)
    console.print(_next_due(case, ctx), markup=False)


@case_app.command("new")
def new(
    received: Annotated[str, typer.Option("--received", metavar="DATE", help="When it was received.")],
    category: Annotated[str, typer.Option("--category", help="Your category, e.g. repairs.")],
    kind: Annotated[Kind, typer.Option("--kind", help="complaint or service-request.")] = Kind.complaint,
    channel: Annotated[Channel | None, typer.Option("--channel", help="How it was received.")] = None,
    issue_date: Annotated[
        str | None, typer.Option("--issue-date", metavar="DATE", help="When the issue occurred.")
    ] = None,
    case_id: Annotated[str | None, typer.Option("--id", help="Use this id instead of the next free one.")] = None,
    workspace_arg: WorkspaceArg = None,
    allow_personal_data: AllowPdOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Log a new complaint or service request; prints the acknowledgement due date."""
    from hcode.core.rules import check_case
    from hcode.core.rules.records import id_problem
    from hcode.edit.casefile import next_id, parse_case, write_guarded
    from hcode.edit.steps import StepError, dump_rt, new_case

    if case_id is not None and (why := id_problem(case_id)) is not None:
        raise typer.BadParameter(why, param_hint="--id")
    store = open_store(workspace_arg, workspace)
    got = _when(received, "--received")
    issue = parse_date(issue_date, "--issue-date")
    now = today()
    ctx = store.context(now)
    try:
        if got > now:
            raise StepError(f"{got} is in the future", "log a complaint once it has been received")
        if issue is not None and issue > got:
            raise StepError(f"the issue date {issue} is after the date received {got}")
        cid = case_id or next_id(store.root, store.settings.id_pattern, got.year)
        from hcode.edit.casefile import find

        if find(store.root, cid) is not None:
            raise StepError(f"a case {cid} already exists", "choose another --id")
        rel = f"cases/{got.year}/{cid}.yaml"
        text = dump_rt(new_case(cid, kind.value, got, category, channel.value if channel else None, issue))
        case = parse_case(text, rel, store.settings.max_file_bytes)
        found = check_case(case, ctx)
        bad = [f for f in found if f.severity == "error" and f.rule in ("case.id", "case.category", "dates.future")]
        if bad:
            raise StepError(bad[0].message, bad[0].hint)
        _personal_data([], found, allow_personal_data)
        target = store.root / rel
        if not target.parent.resolve().is_relative_to(store.root.resolve()):
            raise StepError(
                f"{rel} would be written outside the workspace (cases/ is a symbolic link); nothing was written",
                "make cases/ a real folder inside the workspace",
                code=3,
            )
        write_guarded(target, text, None)
    except StepError as exc:
        _refused(exc)
    console = out()
    console.print(f"{cid}: logged as a {kind.value} received {got}. Written to {rel}.", markup=False)
    console.print(_next_due(case, ctx), markup=False)


@case_app.command("ack")
def ack(
    case_id: IdArg,
    definition: Annotated[
        str,
        typer.Option("--definition", help="The complaint as understood, and the outcome sought (Code 5.6)."),
    ],
    handler: Annotated[str, typer.Option("--handler", help="Staff reference of the handler (not a name).")],
    when: DateOpt = None,
    stage: StageOpt = None,
    allow_personal_data: AllowPdOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Record the acknowledgement of a complaint at stage 1 or 2."""
    from hcode.edit.steps import acknowledge, current_stage

    day = _when(when)

    def step(cf: Any, ctx: Any, clock: Any) -> str:
        n = stage or current_stage(cf.case)
        acknowledge(cf.data, cf.case, n, day, definition, handler, clock)
        return f"stage {n} acknowledged on {day}"

    _run_step(workspace, case_id, step, allow_personal_data)


@case_app.command("extend")
def extend(
    case_id: IdArg,
    reason: Annotated[str, typer.Option("--reason", help="The reason explained to the resident.")],
    due: Annotated[str | None, typer.Option("--due", metavar="DATE", help="The new response date.")] = None,
    days: Annotated[
        int | None,
        typer.Option(
            "--days",
            min=1,
            help="Or: days past the current due date, counted as the edition's extension limit is: "
            "working days (2024 Code), calendar days ('a further 10 days': 2020 and 2022 Codes).",
        ),
    ] = None,
    good_reason: Annotated[
        str | None,
        typer.Option(
            "--good-reason",
            help="Needed beyond the edition's limit (2024: 10 working days at stage 1, 20 at stage 2; "
            "2020 and 2022: a further 10 days).",
        ),
    ] = None,
    ombudsman_details: Annotated[
        bool,
        typer.Option(
            "--ombudsman-details",
            help="The resident was given the Ombudsman's details (Code 6.5 / 6.16).",
        ),
    ] = False,
    notified: Annotated[
        str | None,
        typer.Option("--notified", metavar="DATE", help="When the resident was told (default today)."),
    ] = None,
    stage: StageOpt = None,
    allow_personal_data: AllowPdOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Record an extension of the response timescale."""
    from hcode.edit.steps import current_stage
    from hcode.edit.steps import extend as extend_step

    if (due is None) == (days is None):
        raise typer.BadParameter("give either --due DATE or --days N", param_hint="--due / --days")
    new_due = parse_date(due, "--due")
    told = _when(notified, "--notified")

    def step(cf: Any, ctx: Any, clock: Any) -> str:
        n = stage or current_stage(cf.case)
        final = extend_step(cf.data, cf.case, n, new_due, days, reason, good_reason, ombudsman_details, told, clock)
        return f"stage {n} response extended to {final} (resident told {told})"

    _run_step(workspace, case_id, step, allow_personal_data)


@case_app.command("respond")
def respond(
    case_id: IdArg,
    outcome: Annotated[Outcome, typer.Option("--outcome", help="The decision.")],
    when: DateOpt = None,
    stage: StageOpt = None,
    allow_personal_data: AllowPdOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Record the response at stage 1 or 2."""
    from hcode.edit.steps import current_stage
    from hcode.edit.steps import respond as respond_step

    day = _when(when)

    def step(cf: Any, ctx: Any, clock: Any) -> str:
        n = stage or current_stage(cf.case)
        respond_step(cf.data, cf.case, n, day, outcome.value, clock)
        return f"stage {n} response sent on {day} ({outcome.value})"

    _run_step(workspace, case_id, step, allow_personal_data)


@case_app.command("escalate")
def escalate(case_id: IdArg, when: DateOpt = None, workspace: WorkspaceOpt = None) -> None:
    """Record that the resident asked for stage 2."""
    from hcode.edit.steps import escalate as escalate_step

    day = _when(when)

    def step(cf: Any, ctx: Any, clock: Any) -> str:
        escalate_step(cf.data, cf.case, day, clock)
        return f"escalation to stage 2 requested on {day}"

    _run_step(workspace, case_id, step)


@case_app.command("refuse")
def refuse(
    case_id: IdArg,
    reason: Annotated[Reason, typer.Option("--reason", help="Why it is not accepted (or not escalated).")],
    explained: Annotated[bool, typer.Option("--explained", help="The reasons were explained to the resident.")] = False,
    ombudsman_rights: Annotated[
        bool,
        typer.Option("--ombudsman-rights", help="The resident was told of the right to go to the Ombudsman."),
    ] = False,
    note: Annotated[str | None, typer.Option("--note", help="The reasoning, in a sentence.")] = None,
    when: DateOpt = None,
    stage: StageOpt = None,
    allow_personal_data: AllowPdOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Record that a complaint was not accepted (stage 1) or an escalation refused (stage 2)."""
    from hcode.edit.steps import current_stage
    from hcode.edit.steps import refuse as refuse_step

    day = _when(when)

    def step(cf: Any, ctx: Any, clock: Any) -> str:
        n = stage or current_stage(cf.case)
        refuse_step(cf.data, cf.case, n, day, reason.value, explained, ombudsman_rights, note, clock)
        return f"stage {n} refused on {day} ({reason.value})"

    _run_step(workspace, case_id, step, allow_personal_data)


@case_app.command("remedy")
def remedy(
    case_id: IdArg,
    compensation: Annotated[
        float | None,
        typer.Option("--compensation", metavar="AMOUNT", help="Total compensation in pounds."),
    ] = None,
    action: Annotated[str | None, typer.Option("--action", help="An action to put things right.")] = None,
    due: Annotated[str | None, typer.Option("--due", metavar="DATE", help="When the action will be done.")] = None,
    allow_personal_data: AllowPdOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Record compensation and/or a remedy action."""
    from hcode.edit.steps import remedy as remedy_step

    action_due = parse_date(due, "--due")

    def step(cf: Any, ctx: Any, clock: Any) -> str:
        remedy_step(cf.data, cf.case, compensation, action, action_due)
        parts = []
        if compensation is not None:
            parts.append(f"compensation £{compensation:,.2f}")
        if action is not None:
            parts.append(f"action due {action_due}")
        return "remedy recorded: " + ", ".join(parts)

    _run_step(workspace, case_id, step, allow_personal_data)


@case_app.command("action-done")
def action_done(
    case_id: IdArg,
    number: Annotated[int, typer.Argument(metavar="N", min=1, help="The action's number (1 = first).")],
    when: DateOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Record that remedy action N was done."""
    from hcode.edit.steps import action_done as done_step

    day = _when(when)

    def step(cf: Any, ctx: Any, clock: Any) -> str:
        name = done_step(cf.data, cf.case, number, day, clock)
        return f"remedy action {number} ({name}) done on {day}"

    _run_step(workspace, case_id, step)


@case_app.command("withdraw")
def withdraw(case_id: IdArg, when: DateOpt = None, stage: StageOpt = None, workspace: WorkspaceOpt = None) -> None:
    """Record that the resident withdrew the complaint."""
    from hcode.edit.steps import current_stage
    from hcode.edit.steps import withdraw as withdraw_step

    day = _when(when)

    def step(cf: Any, ctx: Any, clock: Any) -> str:
        n = stage or current_stage(cf.case)
        withdraw_step(cf.data, cf.case, n, day, clock)
        return f"withdrawn at stage {n} on {day}"

    _run_step(workspace, case_id, step)


@case_app.command("resolve")
def resolve(case_id: IdArg, when: DateOpt = None, workspace: WorkspaceOpt = None) -> None:
    """Record that a service request was put right."""
    from hcode.edit.steps import resolve as resolve_step

    day = _when(when)

    def step(cf: Any, ctx: Any, clock: Any) -> str:
        resolve_step(cf.data, cf.case, day, clock)
        return f"resolved on {day}"

    _run_step(workspace, case_id, step)


def _list_row(case: Any, ctx: Any) -> tuple[list[str], dict[str, Any]]:
    """One case's row of ``case list``, with its place in the list (worker processes call this)."""
    from hcode.core.rules import case_milestones

    pending = sorted(
        (m for m in case_milestones(case, ctx) if m.done is None and m.status != "missed"),
        key=lambda m: m.due,
    )
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
    return [case.received.isoformat(), case.id], row


def _by_received(read: Any) -> list[dict[str, Any]]:
    return [row for _, row in sorted(read.items, key=lambda item: item[0])]


@case_app.command("list")
def list_(
    open_only: Annotated[bool, typer.Option("--open", help="Only cases with something still due.")] = False,
    stage: StageOpt = None,
    category: CategoryOpt = None,
    format: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.text,
    workspace_arg: WorkspaceArg = None,
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    no_cache: NoCacheOpt = False,
    workers: WorkersOpt = None,
    overdue: OverdueOpt = False,
    year: ReceivedYearOpt = None,
    handler: HandlerOpt = None,
    kind: KindOpt = None,
) -> None:
    """List cases with their stage and what is due next. A case file that cannot be read is
    named on standard error."""
    when = parse_date(as_of) or today()
    store = open_store(workspace_arg, workspace, use_cache=not no_cache, workers=workers)
    ctx = store.context(when)

    every, problems = store.derived("case-list", {}, ctx, _by_received, _list_row)
    warn_left_out(problems, "case list")
    chosen = row_filter(
        store.settings, open_only=open_only, overdue=overdue, year=year, category=category, handler=handler, kind=kind
    )
    rows = [r for r in every if chosen.keeps(r) and (stage is None or r["stage"] == stage)]
    if format is ListFormat.json:
        echo(dump_json({"hcode": 1, "as_of": when.isoformat(), "cases": rows}), kind="json", nl=True)
        return
    from hcode.render.terminal import Col, write_table

    cols = (
        Col("Case", whole=True),
        Col("Kind", drop=1),
        Col("Received", whole=True),
        Col("Category", drop=3, wrap_min=8),
        Col("Stage", drop=2, justify="right"),
        Col("Next step", drop=4),
        Col("Due date", whole=True),
        Col("Status", whole=True),
    )
    cells = [
        [
            r["case"],
            r["kind"],
            r["received"],
            r["category"],
            str(r["stage"] or ""),
            r["next"] or "",
            r["due"] or "",
            r["status"] or ("open" if r["open"] else "closed"),
        ]
        for r in rows
    ]
    console = out()
    title = f"{store.settings.landlord}: {len(rows)} case{'' if len(rows) == 1 else 's'}"
    with paged(console):
        write_table(console, cols, cells, title=title)


@case_app.command("show")
def show(case_id: IdArg, workspace: WorkspaceOpt = None, as_of: AsOfOpt = None) -> None:
    """One case's timeline: each milestone's due and actual dates, status and counting."""
    from hcode.core.rules import case_milestones, check_case
    from hcode.render.timeline import render_case
    from hcode.store.api import CaseError

    when = parse_date(as_of) or today()
    store = open_store(None, workspace)
    try:
        case = store.case(case_id)
    except CaseError as exc:
        fail_input(exc.message, exc.hint)
    ctx = store.context(when)
    render_case(out(), case, case_milestones(case, ctx), check_case(case, ctx), ctx)
