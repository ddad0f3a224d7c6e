"""``hcode case``: record each step of a complaint, and look at one case or all of them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from hcode.cli.common import (
    AsOfOpt,
    CategoryOpt,
    HandlerOpt,
    KindOpt,
    LimitOpt,
    NoCacheOpt,
    NoPagerOpt,
    OpenOpt,
    OverdueOpt,
    ReceivedYearOpt,
    WorkersOpt,
    WorkspaceArg,
    WorkspaceOpt,
    app,
    echo_json,
    err,
    fail,
    listing,
    listing_selection,
    open_workspace,
    out,
    parse_date,
    today,
    warn_left_out,
)

if TYPE_CHECKING:
    from hcode.api.cases import StepResult

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
    hazard = "hazard"


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


AllowPdOpt = Annotated[
    bool,
    typer.Option(
        "--allow-personal-data",
        help="Write even if a field seems to hold personal data (an email address, phone number or postcode).",
    ),
]


def _recorded(do: Callable[[], StepResult], what: str = "") -> None:
    """Take a step (``do``), then say what was written, the Code's provisions the case now breaks
    and what is due next; a step refused says why on standard error and exits (1, or 3 when the
    case file cannot be used)."""
    from hcode.api.cases import StepRefused
    from hcode.api.errors import UseCaseError

    try:
        result = do()
    except StepRefused as exc:
        fail(exc, "not recorded: ")
    except UseCaseError as exc:
        fail(exc)
    for message in result.allowed:
        err().print(f"hcode: warning: {message} (written because of --allow-personal-data)", markup=False)
    console = out()
    console.print(f"{result.case_id}: {result.done}. Written to {result.rel}.", markup=False)
    for note in result.notes:
        console.print(f"Note: {note}", markup=False)
    console.print(result.next, markup=False)


@case_app.command("new")
def new(
    received: Annotated[
        str,
        typer.Option(
            "--received", metavar="DATE", help="When it was received (a hazard: when the landlord became aware)."
        ),
    ],
    category: Annotated[
        str | None, typer.Option("--category", help="Your category, e.g. repairs (not for a hazard).")
    ] = None,
    kind: Annotated[Kind, typer.Option("--kind", help="complaint, service-request or hazard.")] = Kind.complaint,
    channel: Annotated[Channel | None, typer.Option("--channel", help="How it was received.")] = None,
    issue_date: Annotated[
        str | None, typer.Option("--issue-date", metavar="DATE", help="When the issue occurred.")
    ] = None,
    case_id: Annotated[str | None, typer.Option("--id", help="Use this id instead of the next free one.")] = None,
    workspace_arg: WorkspaceArg = None,
    allow_personal_data: AllowPdOpt = False,
    workspace: WorkspaceOpt = None,
    hazard: Annotated[
        str | None, typer.Option("--hazard", help="A hazard: the HHSRS hazard, e.g. damp-and-mould.")
    ] = None,
    risk: Annotated[str | None, typer.Option("--risk", help="A hazard: significant or emergency.")] = None,
    tenure: Annotated[str | None, typer.Option("--tenure", help="A hazard: lcra or lcho.")] = None,
    complaint: Annotated[
        list[str] | None, typer.Option("--complaint", metavar="ID", help="A hazard: the complaint it belongs to.")
    ] = None,
) -> None:
    """Log a new complaint, service request or hazard report (Awaab's Law: --kind hazard
    --hazard H --risk R, --received YYYY-MM-DDTHH:MM); prints what is due first."""
    from hcode.api.cases import case_id_problem, new_case

    if case_id is not None and (why := case_id_problem(case_id)) is not None:
        raise typer.BadParameter(why, param_hint="--id")
    ws = open_workspace(workspace_arg, workspace)
    if kind is Kind.hazard:
        from datetime import datetime

        from hcode.api.hazards import new_hazard

        now = datetime.now()
        args = (hazard, risk, tenure, tuple(complaint or ()), case_id)
        _recorded(
            lambda: new_hazard(
                ws,
                aware=received,
                hazard=args[0],
                risk=args[1],
                tenure=args[2],
                complaints=args[3],
                case_id=args[4],
                now=now,
            )
        )
        return
    if category is None:
        raise typer.BadParameter("a complaint or service request needs its category", param_hint="--category")
    got = _when(received, "--received")
    issue = parse_date(issue_date, "--issue-date")
    _recorded(
        lambda: new_case(
            ws,
            received=got,
            category=category,
            kind=kind.value,
            channel=channel.value if channel else None,
            issue_date=issue,
            case_id=case_id,
            today=today(),
            allow_personal_data=allow_personal_data,
        )
    )


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
    from hcode.api.cases import acknowledge

    day = _when(when)
    ws = open_workspace(None, workspace)
    _recorded(
        lambda: acknowledge(
            ws,
            case_id,
            day=day,
            definition=definition,
            handler=handler,
            stage=stage,
            today=today(),
            allow_personal_data=allow_personal_data,
        )
    )


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
    from hcode.api.cases import extend as extend_step

    if (due is None) == (days is None):
        raise typer.BadParameter("give either --due DATE or --days N", param_hint="--due / --days")
    new_due = parse_date(due, "--due")
    told = _when(notified, "--notified")
    ws = open_workspace(None, workspace)
    _recorded(
        lambda: extend_step(
            ws,
            case_id,
            reason=reason,
            due=new_due,
            days=days,
            good_reason=good_reason,
            ombudsman_details=ombudsman_details,
            notified=told,
            stage=stage,
            today=today(),
            allow_personal_data=allow_personal_data,
        )
    )


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
    from hcode.api.cases import respond as respond_step

    day = _when(when)
    ws = open_workspace(None, workspace)
    _recorded(
        lambda: respond_step(
            ws,
            case_id,
            outcome=outcome.value,
            day=day,
            stage=stage,
            today=today(),
            allow_personal_data=allow_personal_data,
        )
    )


@case_app.command("escalate")
def escalate(case_id: IdArg, when: DateOpt = None, workspace: WorkspaceOpt = None) -> None:
    """Record that the resident asked for stage 2."""
    from hcode.api.cases import escalate as escalate_step

    day = _when(when)
    ws = open_workspace(None, workspace)
    _recorded(lambda: escalate_step(ws, case_id, day=day, today=today()))


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
    from hcode.api.cases import refuse as refuse_step

    day = _when(when)
    ws = open_workspace(None, workspace)
    _recorded(
        lambda: refuse_step(
            ws,
            case_id,
            reason=reason.value,
            explained=explained,
            ombudsman_rights=ombudsman_rights,
            note=note,
            day=day,
            stage=stage,
            today=today(),
            allow_personal_data=allow_personal_data,
        )
    )


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
    from hcode.api.cases import remedy as remedy_step

    action_due = parse_date(due, "--due")
    ws = open_workspace(None, workspace)
    _recorded(
        lambda: remedy_step(
            ws,
            case_id,
            compensation=compensation,
            action=action,
            action_due=action_due,
            today=today(),
            allow_personal_data=allow_personal_data,
        )
    )


@case_app.command("action-done")
def action_done(
    case_id: IdArg,
    number: Annotated[int, typer.Argument(metavar="N", min=1, help="The action's number (1 = first).")],
    when: DateOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Record that remedy action N was done."""
    from hcode.api.cases import action_done as done_step

    day = _when(when)
    ws = open_workspace(None, workspace)
    _recorded(lambda: done_step(ws, case_id, number=number, day=day, today=today()))


@case_app.command("withdraw")
def withdraw(case_id: IdArg, when: DateOpt = None, stage: StageOpt = None, workspace: WorkspaceOpt = None) -> None:
    """Record that the resident withdrew the complaint."""
    from hcode.api.cases import withdraw as withdraw_step

    day = _when(when)
    ws = open_workspace(None, workspace)
    _recorded(lambda: withdraw_step(ws, case_id, day=day, stage=stage, today=today()))


@case_app.command("resolve")
def resolve(case_id: IdArg, when: DateOpt = None, workspace: WorkspaceOpt = None) -> None:
    """Record that a service request was put right."""
    from hcode.api.cases import resolve as resolve_step

    day = _when(when)
    ws = open_workspace(None, workspace)
    _recorded(lambda: resolve_step(ws, case_id, day=day, today=today()))


@case_app.command("list")
def list_(
    open_only: OpenOpt = False,
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
    limit: LimitOpt = None,
    no_pager: NoPagerOpt = False,
) -> None:
    """List cases with their stage and what is due next. --open (something still due),
    --overdue (the next step), --stage, --year (received in it), --category, --handler (of the
    current stage) and --kind choose the cases. A case file that cannot be read is named on
    standard error."""
    from hcode.api.cases import case_rows
    from hcode.render.listings import json_listing

    when = parse_date(as_of) or today()
    ws = open_workspace(workspace_arg, workspace, use_cache=not no_cache, workers=workers)
    chosen = listing_selection(
        ws, open_only=open_only, overdue=overdue, year=year, category=category, handler=handler, kind=kind
    )
    # the rows as kept: no need to build a value per case, for JSON or for the table
    _, rows, problems = case_rows(ws, when, stage=stage, chosen=chosen)
    warn_left_out(problems, "case list")
    if format is ListFormat.json:
        doc = json_listing({"hcode": 1, "as_of": when.isoformat()}, "cases", rows, limit)
        echo_json(doc)
        return
    from hcode.api.cases import LIST_ANSWER
    from hcode.render.listings import case_lines
    from hcode.render.terminal import colour_on, write_lines

    console = out()
    title = f"{ws.settings.landlord}: {len(rows)} case{'' if len(rows) == 1 else 's'}"

    def draw(n: int) -> None:
        """The first ``n`` rows' table, as kept where it was laid out for the same rows before
        (the rows: the kept answer's, chosen by ``stage`` and ``chosen``)."""
        width, colour = console.width, colour_on(console)
        params = ["case list", stage, repr(chosen), title, width, colour]
        made = ws.kept_lines(LIST_ANSWER, n, params, lambda: case_lines(rows[:n], title, width, colour))
        write_lines(console, made)

    listing(console, len(rows), draw, limit, pager=not no_pager)


@case_app.command("show")
def show(case_id: IdArg, workspace: WorkspaceOpt = None, as_of: AsOfOpt = None) -> None:
    """One case's timeline: each milestone's due and actual dates, status and counting."""
    from hcode.api.cases import case_view
    from hcode.api.errors import UseCaseError
    from hcode.render.timeline import render_case

    when = parse_date(as_of) or today()
    ws = open_workspace(None, workspace)
    try:
        view = case_view(ws, case_id, when)
    except UseCaseError as exc:
        fail(exc)
    warn_left_out(view.problems, "case show")  # a hazard report in a file not read is not linked
    render_case(out(), view.case, view.milestones, view.findings, view.context, view.hazards)
