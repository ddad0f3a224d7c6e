"""Record rules: the case file itself must make sense before any timescale can be judged.

* ``case.id``: the ``id`` must equal the file name without ``.yaml`` (error), so a case can be
  found from its id and ids stay unique.
* ``dates.future``: an event that has happened (receipt, acknowledgement, response, request,
  extension notice, refusal, withdrawal, resolution, Ombudsman referral, completed action) must
  not be dated after ``--as-of`` (error).
* ``dates.order``: events must come in order: acknowledged on or after receipt (or request),
  responded on or after acknowledgement, escalation requested on or after the stage 1
  response, extension notice on or after receipt, refusal on or after receipt (error).
* ``code.edition``: a complaint received before the Code edition's effective date is judged
  against it all the same; an info finding says so.
* ``case.stage``: stage data that do not belong (a service request with stages, a stage 2
  with no stage 1 response and no stage 1 at all) are flagged (warning).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from hcode.core.model import Case, Finding, Path, Stage
from hcode.core.rules import Context, case_finding


def events(case: Case) -> list[tuple[str, Path, date]]:
    """Dated events that have happened, with where they are in the file."""
    out: list[tuple[str, Path, date]] = [("received", ("received",), case.received)]
    if case.resolved:
        out.append(("resolved", ("resolved",), case.resolved))
    for stage in (case.stage1, case.stage2):
        if stage is None:
            continue
        key = f"stage{stage.number}"
        for name in ("requested", "acknowledged", "responded", "withdrawn"):
            value = getattr(stage, name)
            if value is not None:
                out.append((f"{key}.{name}", (key, name), value))
        if stage.extension is not None and stage.extension.notified is not None:
            out.append(
                (
                    f"{key}.extension.notified",
                    (key, "extension", "notified"),
                    stage.extension.notified,
                )
            )
    if case.refused is not None:
        out.append(("refused.date", ("refused", "date"), case.refused.date))
    if case.ombudsman is not None:
        for name in ("referred", "determined", "failure_order"):
            value = getattr(case.ombudsman, name)
            if value is not None:
                out.append((f"ombudsman.{name}", ("ombudsman", name), value))
    if case.remedy is not None:
        for i, action in enumerate(case.remedy.actions):
            if action.done is not None:
                out.append((f"remedy action {i + 1} done", ("remedy", "actions", i, "done"), action.done))
    return out


def _order(case: Case, stage: Stage, trigger: tuple[str, date]) -> Iterator[tuple[str, Path, str]]:
    key = f"stage{stage.number}"
    name, when = trigger
    if stage.acknowledged is not None and stage.acknowledged < when:
        yield (
            f"stage {stage.number} acknowledged {stage.acknowledged} before it was {name} {when}",
            (key, "acknowledged"),
            f"check {key}.acknowledged and the {name} date",
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


def check(case: Case, ctx: Context) -> Iterator[Finding]:
    stem = case.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if case.id != stem:
        yield case_finding(
            case,
            "case.id",
            "error",
            f"the case id {case.id!r} does not match the file name {stem!r}",
            path=("id",),
            hint=f"rename the file to {case.id}.yaml or correct the id",
        )
    for name, path, when in events(case):
        if when > ctx.as_of:
            yield case_finding(
                case,
                "dates.future",
                "error",
                f"{name} {when} is after {ctx.as_of}, the date of this check",
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
    if case.is_complaint and case.received < ctx.code.effective:
        yield case_finding(
            case,
            "code.edition",
            "info",
            f"received {case.received}, before {ctx.code.code} took effect on "
            f"{ctx.code.effective}: judged against {ctx.code.code} all the same",
            path=("received",),
        )
