"""Timescale rules: acknowledgements and responses at each stage (2024 Code 6.2, 6.3, 6.11, 6.14).

* ``acknowledge`` (6.2 at stage 1, 6.11 at stage 2): a complaint is acknowledged within the
  Code's working days of its receipt (stage 1) or of the escalation request (stage 2).
* ``respond`` (6.3 at stage 1, 6.14 at stage 2): the response is sent within the Code's working
  days of the acknowledgement (2024), of the complaint being logged or of the escalation request
  (2020 and 2022), or by the extended date of an extension that counts.

* ``case.recorded-due`` (warning): the response due date the landlord's own system recorded
  (``stageN.recorded_due``, imported from its export) differs from the due date hcode counts
  from the Code: the system's clock, or its deadline, is not the Code's.

Each stage is judged by the clocks of its own edition (see ``code:`` in hcode.yaml); every
finding names that edition, and says so where the edition's number is not confirmed from the
Code's own text.

Each milestone computed by :mod:`hcode.core.milestones` is judged:

* **missed** (error): done after its due date, or not done before the stage was withdrawn;
  the message gives the due date, the actual date and how many working days late;
* **met late against the outer limit** (warning): a response on time counted from a late
  acknowledgement but after receipt + acknowledgement days + response days;

  either is a past breach: it cannot be put right, only explained. Once the stage's ``late:``
  record has its ``reason``, ``apology`` (a date) and ``learning``, the finding is *recorded*:
  still listed and counted everywhere, but ``hcode check`` no longer exits 1 for it. Until then
  its hint names exactly the fields still to write.
* **overdue** (error): not done and the due date has passed as of ``--as-of``;
* **due soon** (warning): not done and due within ``--soon`` working days.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from hcode.core.calendar import WorkingCalendar
from hcode.core.milestones import Milestone
from hcode.core.model import Case, Finding, Severity
from hcode.core.rules.context import Context, case_finding, past_breach
from hcode.core.rules.spec import Example, Rule, complaint, stage1

RULES: tuple[Rule, ...] = (
    Rule(
        name="acknowledge",
        summary="acknowledgement missed, overdue, or due soon",
        severities=("error", "warning"),
        refs=(("timescale", "acknowledge", 1), ("timescale", "acknowledge", 2)),
        passing=(Example(complaint(stage1())),),
        failing=(
            Example(
                complaint(stage1("2024-05-20", "2024-05-24")),
                note="received 1 May 2024: the acknowledgement was due 9 May (6 May was a bank holiday)",
            ),
        ),
    ),
    Rule(
        name="respond",
        summary="response missed, overdue, due soon, or after the outer limit",
        severities=("error", "warning"),
        refs=(("timescale", "respond", 1), ("timescale", "respond", 2)),
        passing=(Example(complaint(stage1())),),
        failing=(
            Example(
                complaint(stage1("2024-05-02", "2024-06-28")),
                note="acknowledged 2 May 2024: the response was due 17 May",
            ),
        ),
    ),
)

RULES += (
    Rule(
        name="case.recorded-due",
        summary="the due date the landlord's system recorded differs from the Code's",
        severities=("warning",),
        passing=(Example(complaint(stage1()).replace("  responded:", "  recorded_due: 2024-05-17\n  responded:")),),
        failing=(
            Example(
                complaint(stage1()).replace("  responded:", "  recorded_due: 2024-05-31\n  responded:"),
                note="the Code's due date is 17 May 2024 (10 working days from the acknowledgement on 2 May; "
                "6 May was a bank holiday)",
            ),
        ),
    ),
)

_WHAT = {"acknowledge": "acknowledgement", "respond": "response"}


def describe(m: Milestone) -> str:
    return f"stage {m.stage} {_WHAT.get(m.event, m.event)}"


def _due_words(m: Milestone) -> str:
    if m.extension is not None and m.extension.counted and m.due != m.extension.original_due:
        return "extended due date"
    return "due date"


# The statuses a finding may come of (a recorded due date aside)
_FOUND = frozenset(("missed", "met", "overdue", "due-soon"))


def check(case: Case, ms: Sequence[Milestone], ctx: Context) -> Iterator[Finding]:
    cal = ctx.calendar
    for m in ms:
        status = m.status
        stage = case.stage1 if m.stage == 1 else case.stage2
        recorded_due = stage.recorded_due if stage is not None and m.event == "respond" else None
        quiet = status not in _FOUND or (
            status == "met" and (m.outer_due is None or m.done is None or m.done <= m.outer_due)
        )
        if quiet and (recorded_due is None or recorded_due == m.due):
            continue  # nothing to say (as the branches below find): the words are made for a finding
        what = describe(m)
        where = ".".join(map(str, m.path))
        if recorded_due is not None and recorded_due != m.due:
            yield case_finding(
                case,
                "case.recorded-due",
                "warning",
                f"{what}: the due date recorded, {recorded_due}, is not the Code's {_due_words(m)} {m.due} "
                f"({_days(abs(cal.days_between(min(recorded_due, m.due), max(recorded_due, m.due), True)))} "
                f"{'later' if recorded_due > m.due else 'earlier'})",
                path=(f"stage{m.stage}", "recorded_due"),
                hint="check how your case-management system counts its deadline: hcode counts the Code's",
                due=m.due,
                edition=m.edition or None,
            )

        if status == "missed":
            if m.done is None:
                said = f"{what} was due {m.due} and was not sent before the complaint was withdrawn{_unconfirmed(m)}"
                yield past_breach(
                    _found(case, m, "error", said), case, m.stage, correct="record the date it was sent if it was"
                )
                continue
            late = _late(cal, m, m.due, m.done)
            extra = ""
            if m.outer_due is not None:
                extra = f" (the outer limit counted from receipt was {m.outer_due})"
            said = f"{what} {m.done} is {_days(late, m)} after the {_due_words(m)} {m.due}{extra}{_unconfirmed(m)}"
            yield past_breach(_found(case, m, "error", said), case, m.stage, "a late step")
        elif status == "met" and m.outer_due is not None and m.done is not None:
            if m.done > m.outer_due:
                late = _late(cal, m, m.outer_due, m.done)
                said = (
                    f"{what} {m.done} met the due date {m.due} counted from the late "
                    f"acknowledgement, but is {_days(late, m)} after the outer limit "
                    f"{m.outer_due} counted from receipt"
                )
                yield past_breach(_found(case, m, "warning", said), case, m.stage, "a late step")
        elif status == "overdue":
            late = _late(cal, m, m.due, ctx.as_of)
            yield _found(
                case,
                m,
                "error",
                f"{what} was due {m.due} and is overdue ({_days(late, m)} late as of {ctx.as_of}){_unconfirmed(m)}",
                f"send it now and record the date in {where}",
            )
        elif status == "due-soon":
            left = cal.between(ctx.as_of, m.due)
            when = "today" if left == 0 else f"in {_days(left)}"
            yield _found(
                case,
                m,
                "warning",
                f"{what} is due {m.due} ({when})",
                f"record the date in {where} when it is sent",
            )


def _found(case: Case, m: Milestone, severity: Severity, message: str, hint: str | None = None) -> Finding:
    return case_finding(
        case,
        m.provision,
        severity,
        message,
        path=m.path,
        hint=hint,
        due=m.due,
        actual=m.done,
        edition=m.edition or None,
    )


def _late(cal: WorkingCalendar, m: Milestone, due: date, done: date) -> int:
    """How late ``done`` is after ``due``, in the milestone's own unit."""
    return cal.days_between(due, done, m.working)


def _unconfirmed(m: Milestone) -> str:
    if m.confirmed:
        return ""
    return f" ({m.edition}'s {m.working_days}-day timescale is not confirmed from the Code's text)"


def _days(n: int, m: Milestone | None = None) -> str:
    kind = "working day" if m is None or m.working else "day"
    return f"{n} {kind}{'' if n == 1 else 's'}"
