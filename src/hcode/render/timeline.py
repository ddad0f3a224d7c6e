"""A case's timeline as text: what was due, when, how it was counted, and what happened."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console

from hcode.core.asof import known
from hcode.core.calendar import WorkingCalendar
from hcode.core.editions import stage_start
from hcode.core.milestones import Milestone, still_open
from hcode.core.model import Case, Finding
from hcode.core.rules import Context
from hcode.core.rules.handling import REMEDY, remedy_offered, remedy_provision
from hcode.render.counting import working_days_text
from hcode.render.lateness import late_lines

_WHAT = {"acknowledge": "acknowledgement", "respond": "response"}


def counted(cal: WorkingCalendar, m: Milestone) -> str:
    """How a due date was counted, naming the days that did not count."""
    if not m.working:
        start = f"{m.start_event} {m.start.isoformat()}"
        return f"{m.working_days} days after {start} (day 0; calendar days: every day counts)"
    return working_days_text(cal, m.start, m.working_days, m.start_event)


def judged_by(case: Case, ctx: Context) -> str:
    """Which edition judges each stage, and why."""
    assert ctx.editions is not None
    if not ctx.editions.auto:
        return f"judged by {ctx.editions.default.code} (code: {ctx.editions.default.code} in hcode.yaml)"
    parts = []
    for n, day, what in ((1, case.received, "received"), (2, stage_start(case, 2), "escalation requested")):
        if n == 2 and (case.stage2 is None or case.stage2.requested is None):
            continue
        found = ctx.editions.for_stage(case, n)
        name = f"{found.code} (in force from {found.effective})" if found else "no edition (before the earliest)"
        parts.append(f"stage {n} by {name}: {what} {day}")
    return "judged by date (code: auto): " + "; ".join(parts)


def lines(
    case: Case, ms: Sequence[Milestone], findings: Sequence[Finding], ctx: Context, hazards: Sequence[str] = ()
) -> list[str]:
    """The lines of ``hcode case show`` (``hazards``: the hazard records naming this complaint)."""
    if case.hazard is not None:
        from hcode.render.hazards import hazard_lines

        return hazard_lines(case, findings, ctx)
    cal = ctx.calendar
    out = [
        f"{case.id}  ({case.kind}, {case.category})",
        f"  received {case.received.isoformat()}"
        + (f" by {case.channel}" if case.channel else "")
        + (f"; issue dates from {case.issue_date.isoformat()}" if case.issue_date else ""),
    ]
    if hazards:
        out.append("  hazard reports (Awaab's Law): " + ", ".join(hazards))
    if case.resolved:
        out.append(f"  resolved {case.resolved.isoformat()}")
    if case.refused is not None:
        r = case.refused
        out.append(f"  refused at stage {r.stage} on {r.date.isoformat()}: {r.reason}")
    if not ms and case.is_complaint:
        out.append("  no timescale milestones")
    if case.is_complaint and ctx.editions is not None:
        out.append("  " + judged_by(case, ctx))
    for m in ms:
        done = m.done.isoformat() if m.done else "not yet"
        out.append("")
        code = f"Code {m.provision}, " if m.provision[:1].isdigit() else ""
        out.append(f"  Stage {m.stage} {_WHAT.get(m.event, m.event)} ({code}{m.edition}): {m.status.upper()}")
        out.append(f"    due   {m.due.isoformat()}   done {done}")
        base = m.extension.original_due if m.extension else m.due
        out.append(f"    counted: {counted(cal, m)} -> {base.isoformat()}")
        if m.extension is not None:
            e = m.extension
            if not e.counted:
                out.append(f"    extension not counted: the resident was told after {e.original_due}")
            else:
                out.append(
                    f"    extended by {e.length} {e.unit} (limit {e.limit}) "
                    f"to {m.due.isoformat()}"
                    + ("" if e.within_limit else f": over the limit, so judged against {e.effective_due.isoformat()}")
                )
        if m.outer_due is not None:
            out.append(f"    outer limit counted from receipt: {m.outer_due.isoformat()}")
        if m.note:
            out.append(f"    note: {m.note}")
        if not m.confirmed:
            out.append(f"    note: {m.edition}'s number for this timescale is not confirmed from the Code's text")
        if still_open(m) and m.status != "overdue":  # days left: none once overdue
            out.append(f"    {cal.between(ctx.as_of, m.due)} working days left as of {ctx.as_of}")
    out += _details(case, ctx)
    if findings:
        out.append("")
        out.append("  Findings:")
        for f in sorted(findings, key=lambda f: f.sort_key()):
            out.append(f"    {f.severity:<7} {f.rule}: {f.message}" + (" (recorded)" if f.recorded else ""))
    return out


def _details(case: Case, ctx: Context) -> list[str]:
    """What the case file records beyond dates: each stage's definition, handler and outcome,
    the remedy (Code 7.3: compensation and actions, done or not) and the learning."""
    out: list[str] = []
    for stage in (case.stage1, case.stage2):
        if stage is None:
            continue
        facts = [
            (label, value)
            for label, value in (
                ("definition", stage.definition),
                ("handler reference", stage.handler),
                ("outcome", stage.outcome),
            )
            if value
        ]
        if facts:
            out += ["", f"  Stage {stage.number}:"] + [f"    {label}: {value}" for label, value in facts]
        if stage.late is not None:  # a missed timescale explained: recorded once all three are written
            out += late_lines(stage.late, "    ")
    remedy = case.remedy
    if remedy is not None and (remedy.compensation is not None or remedy.actions):
        pid = remedy_provision(ctx.for_case(case))  # the judging edition's: 7.3 (2024), 6.5 (2022)
        out += ["", f"  Remedy (Code {pid}):" if pid != REMEDY else "  Remedy:"]
        if remedy.compensation is not None:
            out.append(f"    compensation: £{remedy.compensation:,.2f}")
        for i, a in enumerate(remedy.actions, start=1):
            due = f"due {a.due.isoformat()}" if a.due else "no due date"
            offered = remedy_offered(case, a)
            if a.done is not None and known(a.done, ctx.as_of) is not None:
                state = f"done {a.done.isoformat()}"
            elif known(offered, ctx.as_of) is None:  # as due and case.remedy-overdue count it
                state = f"not offered yet on {ctx.as_of.isoformat()} (offered {offered.isoformat()})"
            elif a.due is not None and a.due < ctx.as_of:
                state = f"NOT DONE, overdue as of {ctx.as_of.isoformat()}"
            else:
                state = "not done yet"
            if a.done is not None and known(a.done, ctx.as_of) is None:
                state += f" (the done date {a.done.isoformat()} is after {ctx.as_of.isoformat()})"
            out.append(f"    action {i}: {a.action} ({due}; {state})")
    ombudsman = case.ombudsman
    if ombudsman is not None:
        out += ["", "  Housing Ombudsman:"]
        for label, value in (
            ("referred", ombudsman.referred),
            ("determined", ombudsman.determined),
            ("finding", ombudsman.finding),
            ("complaint handling failure order", ombudsman.failure_order),
        ):
            if value is not None:
                out.append(f"    {label}: {value.isoformat() if hasattr(value, 'isoformat') else value}")
    if case.learning:
        out += ["", f"  Learning: {case.learning}"]
    return out


def wrapped(text: list[str], width: int) -> list[str]:
    """Each line wrapped at ``width`` columns (at spaces; a word longer than a line is cut),
    its continuation lines indented two spaces more than the line itself."""
    from hcode.render.output import _cells, _wrap

    out: list[str] = []
    for line in text:
        if _cells(line) <= width:
            out.append(line)
            continue
        body = line.lstrip(" ")
        lead = " " * (len(line) - len(body))
        out += _wrap(body, width, lead, len(lead) + 2)
    return out


def render_case(
    console: Console,
    case: Case,
    ms: Sequence[Milestone],
    findings: Sequence[Finding],
    ctx: Context,
    hazards: Sequence[str] = (),
) -> None:
    """The timeline, wrapped at the terminal's width on a terminal; one line each in a file or a
    pipe (as ``hcode check`` writes)."""
    from hcode.render.output import wraps_to_terminal

    shown = lines(case, ms, findings, ctx, hazards)
    if wraps_to_terminal(console):
        shown = wrapped(shown, max(console.width, 40))
    for line in shown:
        console.print(line, markup=False, highlight=False)
