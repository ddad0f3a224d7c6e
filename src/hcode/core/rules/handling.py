"""Complaint handling rules (2024 Code 5.6 and 6.13).

* 5.6: when a complaint is acknowledged at a stage, the complaint definition (the landlord's
  understanding of the complaint and the outcomes sought) must be recorded (error).
* 6.13: the person considering the complaint at stage 2 must not be the one who considered it
  at stage 1 (error when the handler references are the same; info when either is missing once
  stage 2 has been acknowledged, so the rule cannot be checked).
"""

from __future__ import annotations

from collections.abc import Iterator

from hcode.core.model import Case, Finding
from hcode.core.rules import Context


def check(case: Case, ctx: Context) -> Iterator[Finding]:
    if not case.is_complaint:
        return
    for stage in (case.stage1, case.stage2):
        if stage is None or stage.acknowledged is None or stage.definition:
            continue
        yield Finding(
            rule=ctx.rule("complaint-definition"),
            severity="error",
            subject=case.id,
            file=case.file,
            message=f"stage {stage.number} was acknowledged on {stage.acknowledged} but no "
            "complaint definition is recorded",
            hint=f"add stage{stage.number}.definition: the complaint as understood and the outcome the resident wants",
            path=(f"stage{stage.number}", "acknowledged"),
            key=True,
        )
    s1, s2 = case.stage1, case.stage2
    if s2 is None or s2.acknowledged is None:
        return
    rule = ctx.rule("different-handler", 2)
    if s1 is not None and s1.handler and s2.handler:
        if s1.handler.strip().casefold() == s2.handler.strip().casefold():
            yield Finding(
                rule=rule,
                severity="error",
                subject=case.id,
                file=case.file,
                message=f"stage 2 was handled by {s2.handler}, the same person as stage 1",
                hint="stage 2 must be considered by someone who did not handle stage 1",
                path=("stage2", "handler"),
            )
    else:
        missing = "stage 1" if not (s1 and s1.handler) else "stage 2"
        yield Finding(
            rule=rule,
            severity="info",
            subject=case.id,
            file=case.file,
            message=f"the {missing} handler is not recorded, so it cannot be shown that "
            "different people handled the two stages",
            hint=f"add stage{missing[-1]}.handler (a staff reference, not a name)",
            path=(f"stage{missing[-1]}",),
            key=True,
        )
