"""A hazard record's clocks as text (``hcode case show``): what was due, when, how it was counted
hour by hour or day by day, and what happened."""

from __future__ import annotations

from collections.abc import Sequence

from hcode.core.hazards import (
    DUTY_WORDS,
    START_WORDS,
    HazardClock,
    amount_text,
    explain_hours,
    hazard_clocks,
)
from hcode.core.model import Case, Finding
from hcode.core.rules import Context
from hcode.render.counting import working_days_text


def counted_lines(c: HazardClock, ctx: Context) -> list[str]:
    """How the deadline of ``c`` was counted: hours day by day, working days naming what did
    not count, calendar weeks."""
    start_word = START_WORDS[c.start_event]
    if c.clock.unit == "hours":
        out = [
            f"counted: {amount_text(c.clock.amount, 'hours')} from {start_word} "
            f"{c.start.earliest:%Y-%m-%d %H:%M} (every hour counts, nights, weekends and holidays too):"
        ]
        for span in explain_hours(c.start.earliest, c.clock.amount, ctx.calendar):
            end = span.end.strftime("%H:%M") if span.end is not None else "24:00"
            note = f"  {span.note}" if span.note else ""
            out.append(
                f"  {span.day:%a %d %b %Y} {span.start:%H:%M}-{end}"
                f"  {span.hours:4.1f} h (total {span.total:4.1f}){note}"
            )
        return out
    if c.clock.unit == "working_days":
        text = working_days_text(ctx.calendar, c.start.day, c.clock.amount, start_word)
        return [f"counted: {text} -> {c.due_day.isoformat()}"]
    return [
        f"counted: {amount_text(c.clock.amount, 'weeks')} ({c.clock.amount * 7} days) after {start_word} "
        f"{c.start.day.isoformat()} (day 0; calendar weeks: every day counts) -> {c.due_day.isoformat()}"
    ]


def hazard_lines(case: Case, findings: Sequence[Finding], ctx: Context, linked: Sequence[str] = ()) -> list[str]:
    """The lines of ``hcode case show`` for a hazard record (``linked``: complaints found to
    name it, beside those it names itself)."""
    h = case.hazard
    assert h is not None
    rules = ctx.hazards
    kind = rules.hazard(h.hazard) if rules is not None else None
    name = kind.name if kind is not None else h.hazard
    out = [f"{case.id}  (hazard: {name}, {h.risk})"]
    facts = [f"aware {h.aware}"]
    if case.tenure:
        facts.append(f"tenure {case.tenure}")
    out.append("  " + "; ".join(facts))
    complaints = list(dict.fromkeys([*h.complaints, *linked]))
    if complaints:
        out.append("  complaint: " + ", ".join(complaints))
    if h.investigation is not None:
        inv = h.investigation
        out.append(
            f"  investigation concluded {inv.concluded or 'not yet'}" + (f": found {inv.found}" if inv.found else "")
        )
    if h.stopped is not None:
        out.append(f"  clock stopped {h.stopped.on} ({h.stopped.why})")
    if rules is None:
        return out
    judged = hazard_clocks(case, rules, ctx.calendar, ctx.as_of, ctx.soon, ctx.now)
    if not judged.scope.judged:
        out += ["", f"  Not judged: {judged.scope.message}"]
    else:
        phase = judged.scope.phase
        when = f": phase {phase.phase}, in force from {phase.start}" if phase is not None else ""
        out.append(f"  judged by {rules.catalogue} ({rules.short}){when}")
    for c in judged.clocks:
        out.append("")
        out.append(f"  {DUTY_WORDS[c.duty].capitalize()} ({c.rule}): {c.status.upper()}")
        done = f"{c.done} ({c.done_event})" if c.done is not None else "not yet"
        out.append(f"    due   {c.due_text()}   done {done}")
        out += ["    " + line for line in counted_lines(c, ctx)]
        for note in c.notes:
            out.append(f"    note: {note}")
        if c.status in ("open", "due-soon"):
            if c.hours and ctx.now is not None:
                out.append(f"    {c.hours_left(ctx.now):.1f} hours left at {ctx.now:%Y-%m-%d %H:%M}")
            elif not c.hours:
                out.append(f"    {ctx.calendar.between(ctx.as_of, c.due_day)} working days left as of {ctx.as_of}")
        if not c.clock.confirmed:
            out.append(f"    note: not yet confirmed from the Regulations' text (source: {c.clock.source})")
    if judged.waiting:
        out += ["", "  Not counted:"]
        out += [f"    {DUTY_WORDS[duty]}: {why}" for duty, why in judged.waiting]
    if case.hazard is not None and case.hazard.late is not None:  # its missed clocks explained
        from hcode.render.lateness import late_lines

        out += ["", *late_lines(case.hazard.late, "  ")]
    if case.learning:
        out += ["", f"  Learning: {case.learning}"]
    if findings:
        out += ["", "  Findings:"]
        for f in sorted(findings, key=lambda f: f.sort_key()):
            out.append(f"    {f.severity:<7} {f.rule}: {f.message}")
    return out
