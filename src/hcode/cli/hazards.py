"""``hcode case investigate | summary | made-safe | works | stop``: the steps of a hazard report
(Awaab's Law), through the same guarded writer as the complaint steps."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

import typer

from hcode.cli.case import IdArg, _recorded, case_app
from hcode.cli.common import WorkspaceOpt, open_workspace

WhenOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="WHEN",
        help="When it happened: YYYY-MM-DD or YYYY-MM-DDTHH:MM (default now; the 24-hour clocks need the time).",
    ),
]


class Found(StrEnum):
    emergency = "emergency"
    significant = "significant"
    none = "none"


class Why(StrEnum):
    decanted = "decanted"
    no_consent = "no-consent"
    no_hazard = "no-hazard"


@case_app.command("investigate")
def investigate(
    case_id: IdArg,
    found: Annotated[Found, typer.Option("--found", help="What the investigation found.")],
    when: WhenOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Record that a hazard's investigation concluded, and what it found."""
    from hcode.api import hazards

    ws = open_workspace(None, workspace)
    _recorded(lambda: hazards.investigate(ws, case_id, when=when, found=found.value, now=datetime.now()))


@case_app.command("summary")
def summary(case_id: IdArg, when: WhenOpt = None, workspace: WorkspaceOpt = None) -> None:
    """Record that the written summary of the investigation's findings was sent to the tenant."""
    from hcode.api import hazards

    ws = open_workspace(None, workspace)
    _recorded(lambda: hazards.summary(ws, case_id, when=when, now=datetime.now()))


@case_app.command("made-safe")
def made_safe(
    case_id: IdArg,
    when: WhenOpt = None,
    alternative: Annotated[
        bool,
        typer.Option("--alternative-accommodation", help="Suitable alternative accommodation was secured instead."),
    ] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Record that the relevant safety work was done (or alternative accommodation secured)."""
    from hcode.api import hazards

    ws = open_workspace(None, workspace)
    _recorded(lambda: hazards.made_safe(ws, case_id, when=when, alternative=alternative, now=datetime.now()))


@case_app.command("works")
def works(
    case_id: IdArg,
    begun: Annotated[
        str | None, typer.Option("--begun", metavar="WHEN", help="Further works begun, or steps taken to begin them.")
    ] = None,
    started: Annotated[str | None, typer.Option("--started", metavar="WHEN", help="Works physically started.")] = None,
    completed: Annotated[str | None, typer.Option("--completed", metavar="WHEN", help="Works completed.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Record further works to put a hazard right: begun, physically started, completed."""
    from hcode.api import hazards

    ws = open_workspace(None, workspace)
    _recorded(lambda: hazards.works(ws, case_id, begun=begun, started=started, completed=completed, now=datetime.now()))


@case_app.command("stop")
def stop(
    case_id: IdArg,
    why: Annotated[Why, typer.Option("--why", help="Why the clocks stop.")],
    when: WhenOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Record a clock stop: the occupiers decanted, a third party's consent not obtained, or a
    further investigation finding no hazard."""
    from hcode.api import hazards

    ws = open_workspace(None, workspace)
    _recorded(lambda: hazards.stop(ws, case_id, when=when, why=why.value, now=datetime.now()))
