"""Extension rules (2024 Code 6.4 and 6.5 at stage 1, 6.15 and 6.16 at stage 2).

* ``extension`` (6.4 at stage 1, 6.15 at stage 2): an extension must have a reason recorded
  (error). It must be no longer than the edition's limit (2024: 10 working days at stage 1, 20
  at stage 2; 2020 and 2022: "a further 10 days", calendar days, at each stage), counted from
  the original due date, unless a ``good_reason`` is recorded (error).
  The resident must be told on or before the original due date; an extension told later does
  not move the due date (error). If the date told is not recorded, the extension is taken as
  told in time and a warning asks for the date.
* ``extension-ombudsman-details`` (6.5 at stage 1, 6.16 at stage 2): the resident must be given
  the Ombudsman's contact details with the extension (error when recorded as not given, or not
  recorded at all).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from hcode.core.milestones import Milestone
from hcode.core.model import Case, Finding
from hcode.core.rules.context import Context, case_finding, past_breach
from hcode.core.rules.spec import Example, Rule, complaint, stage1


def _extended(reason: str = "    reason: Awaiting the roofer's survey\n", details: str = "true") -> str:
    ext = f"    notified: 2024-05-10\n    due: 2024-05-24\n{reason}    ombudsman_details: {details}\n"
    return complaint(stage1(responded="2024-05-23", extension=ext))


RULES = (
    Rule(
        name="extension",
        summary="extension with no reason, too long without a good reason, told too late, date told not recorded",
        severities=("error", "warning"),
        refs=(("timescale", "extension", 1), ("timescale", "extension", 2)),
        passing=(Example(_extended()),),
        failing=(Example(_extended(reason=""), note="no reason is recorded"),),
    ),
    Rule(
        name="extension-ombudsman-details",
        summary="Ombudsman's details not given with an extension",
        severities=("error",),
        refs=(("check", "extension-ombudsman-details", 1), ("check", "extension-ombudsman-details", 2)),
        passing=(Example(_extended()),),
        failing=(Example(_extended(details="false")),),
    ),
)


def check(case: Case, ms: Sequence[Milestone], ctx: Context) -> Iterator[Finding]:
    for m in ms:
        check_ = m.extension
        if m.event != "respond" or check_ is None:
            continue
        stage = case.stage1 if m.stage == 1 else case.stage2
        assert stage is not None and stage.extension is not None
        ext = stage.extension
        key = f"stage{m.stage}"
        path = (key, "extension")
        code = ctx.stage_code(case, m.stage)  # the edition whose clock the milestone is
        ext_rule = code.timescale(m.stage, "extension")
        rule = code.rule_of(ext_rule, "extension")
        edition = m.edition or None
        if not ext.reason:
            yield case_finding(
                case,
                rule=rule,
                severity="error",
                message=f"stage {m.stage} extension has no reason recorded",
                hint="record the reason explained to the resident in extension.reason",
                path=path,
                key=True,
                edition=edition,
            )
        if ext.notified is None:
            yield case_finding(
                case,
                rule=rule,
                severity="warning",
                message=f"stage {m.stage} extension does not say when the resident was told",
                hint="record the date in extension.notified",
                path=path,
                key=True,
                edition=edition,
            )
        elif not check_.counted:
            told_late = case_finding(
                case,
                rule=rule,
                severity="error",
                message=f"the resident was told of the stage {m.stage} extension on "
                f"{ext.notified}, after the original due date {check_.original_due}: it does "
                "not move the due date",
                due=check_.original_due,
                actual=ext.notified,
                path=(*path, "notified"),
                edition=edition,
            )
            yield past_breach(told_late, case, m.stage, "a late notice", "correct extension.notified if it is wrong")
        if check_.counted and not check_.within_limit:
            too_long = case_finding(
                case,
                rule=rule,
                severity="error",
                message=f"stage {m.stage} extension to {ext.due} is {check_.length} {check_.unit} "
                f"past the original due date {check_.original_due}, more than the "
                f"{check_.limit} allowed without a good reason by {m.edition}"
                + ("" if ext_rule is None or ext_rule.confirmed else " (a limit not confirmed from the Code's text)"),
                hint="record the good reason in extension.good_reason, or the response is "
                f"judged against {check_.effective_due}",
                due=check_.effective_due,
                actual=ext.due,
                path=(*path, "due"),
                edition=edition,
            )
            # once the response is sent the extension was taken: a good reason is all that is left
            # to record, if there was one
            correct = "record the good reason in extension.good_reason if there was one"
            yield too_long if m.done is None else past_breach(too_long, case, m.stage, "an extension taken", correct)
        if ext.ombudsman_details is not True:
            given = "were not given" if ext.ombudsman_details is False else "are not recorded as given"
            no_details = case_finding(
                case,
                rule=(code or ctx.code).rule_id("extension-ombudsman-details", m.stage),
                severity="error",
                message=f"the Ombudsman's contact details {given} when the resident was told "
                f"of the stage {m.stage} extension",
                hint="set extension.ombudsman_details: true once they have been given",
                path=(*path, "ombudsman_details") if ext.ombudsman_details is not None else path,
                key=ext.ombudsman_details is None,
                edition=edition,
            )
            # recorded as not given: the resident was told without them, which is past
            correct = "set extension.ombudsman_details: true if they were given"
            yield (
                no_details
                if ext.ombudsman_details is None
                else past_breach(no_details, case, m.stage, "an extension told without them", correct)
            )
