"""Rules: pure functions from records to findings, one module per family.

Every rule is declared once in :mod:`hcode.core.rules.registry` (its family module's ``RULES``),
documented in its family module's docstring, and carries a stable id: the Code provision number
where there is one (read from the provisions catalogue, so findings follow a new edition's
numbering), otherwise a short slug such as ``dates.order``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from hcode.core.calendar import WorkingCalendar
from hcode.core.editions import AssessmentEditions, Editions
from hcode.core.milestones import Milestone, milestones
from hcode.core.model import Assessment, Case, Code, Finding, Path, Settings, Severity


@dataclass(frozen=True)
class Context:
    """Everything a rule may consult besides the record it checks."""

    code: Code  # the edition of the run (``code: NAME``), or of the case being judged (auto)
    calendar: WorkingCalendar
    as_of: date
    settings: Settings
    soon: int = 2
    editions: Editions | None = None  # how each stage's edition is chosen (None: ``code`` alone)
    judged: bool = True  # false: the case is before every edition hcode knows (auto)

    def rule(self, check: str, stage: int | None = None) -> str:
        return self.code.rule_id(check, stage)

    @property
    def judging(self) -> Code | Editions:
        """What the milestones are computed with: the editions, else the one edition."""
        return self.editions if self.editions is not None else self.code

    @property
    def auto(self) -> bool:
        return self.editions is not None and self.editions.auto

    def stage_code(self, case: Case, stage: int) -> Code:
        """The edition that judges ``stage`` of ``case`` (under ``code: auto`` stage 2 follows
        the edition in force when the escalation was requested)."""
        if stage == 2 and self.auto and self.editions is not None:
            return self.editions.for_stage(case, 2) or self.code
        return self.code

    def for_case(self, case: Case) -> Context:
        """The context for judging ``case``: under ``code: auto`` its ``code`` is the edition in
        force when the complaint was received (stage 2 timescales follow their own edition)."""
        if not self.auto:
            return self
        assert self.editions is not None
        found = self.editions.for_case(case)
        if found is None:
            return replace(self, code=self.editions.earliest, judged=False)
        return self if found is self.code else replace(self, code=found)


def check_case(case: Case, ctx: Context, ms: Sequence[Milestone] | None = None) -> list[Finding]:
    """All findings for one case (``ms``: its milestones, when already computed): every case
    family of the registry, in its order. Each finding names the edition that judged it."""
    from hcode.core.rules.registry import CASE_FAMILIES

    ctx = ctx.for_case(case)
    if ms is None:
        ms = milestones(case, ctx.judging, ctx.calendar, ctx.as_of, ctx.soon)
    out: list[Finding] = []
    for family in CASE_FAMILIES:
        out += family.module.check(case, ms, ctx)
    if ctx.judged and case.is_complaint:
        for f in out:
            if f.edition is None:
                f.edition = ctx.code.code
    return out


def check_rules(case: Case, ctx: Context, names: Sequence[str]) -> list[Finding]:
    """The findings of the named rules only, for ``case`` as it stands (or would stand after a
    step: the case commands ask the rules this way before they write)."""
    from hcode.core.rules.registry import CASE_FAMILIES, rule

    wanted = [rule(n) for n in names]
    families = {r.family for r in wanted}
    ctx = ctx.for_case(case)
    ids = {i for r in wanted for i in (*r.ids(ctx.code), r.name)}
    if ctx.editions is not None:
        ids |= {i for c in ctx.editions.codes for r in wanted for i in r.ids(c)}
    ms = milestones(case, ctx.judging, ctx.calendar, ctx.as_of, ctx.soon)
    out: list[Finding] = []
    for family in CASE_FAMILIES:
        if family.module.__name__.rsplit(".", 1)[-1] in families:
            out += [f for f in family.module.check(case, ms, ctx) if f.rule in ids]
    return out


def check_assessments(
    assessments: Sequence[Assessment],
    ctx: Context,
    unreadable: int = 0,
    editions: AssessmentEditions | None = None,
) -> list[Finding]:
    """All findings for the workspace's self-assessments (``unreadable``: files that failed;
    ``editions``: the editions their ``code:`` may name, None: the workspace's alone)."""
    from hcode.core.rules.registry import FAMILIES

    out: list[Finding] = []
    for family in FAMILIES:
        if family.subject == "assessments":
            out += family.module.check(assessments, ctx, unreadable, editions)
    return out


def case_milestones(case: Case, ctx: Context) -> list[Milestone]:
    return milestones(case, ctx.judging, ctx.calendar, ctx.as_of, ctx.soon)


#: What each field of a ``late:`` record asks for, as a hint names it.
LATE_FIELDS = {"reason": "why", "apology": "the date of the apology", "learning": "what will change"}


def late_record(case: Case, stage: int) -> tuple[bool, str]:
    """Whether a missed timescale of ``stage`` is recorded history (``stageN.late`` has its
    reason, apology and learning), and else what to write: the hint naming exactly the fields
    still missing (every field, when there is no record).
    The one place that decides it: every rule reporting a past breach of a stage asks here."""
    record = (case.stage1 if stage == 1 else case.stage2) if stage in (1, 2) else None
    late = record.late if record is not None else None
    missing = late.missing() if late is not None else tuple(LATE_FIELDS)
    if not missing:
        return True, ""
    key = f"stage{stage}.late"
    fields = [f"{key}.{name} ({LATE_FIELDS[name]})" for name in missing]
    listed = fields[0] if len(fields) == 1 else ", ".join(fields[:-1]) + " and " + fields[-1]
    return False, (f"write {listed}; then it is recorded history: still counted, no longer failing hcode check")


def case_finding(
    case: Case,
    rule: str,
    severity: Severity,
    message: str,
    *,
    path: Path = (),
    key: bool = False,
    hint: str | None = None,
    due: date | None = None,
    actual: date | None = None,
    edition: str | None = None,
) -> Finding:
    """A finding about one case, located in its file by ``path`` (``edition``: the edition that
    judged it, where it is not the case's own)."""
    return Finding(
        rule=rule,
        severity=severity,
        subject=case.id,
        message=message,
        file=case.file,
        due=due,
        actual=actual,
        hint=hint,
        path=path,
        key=key,
        edition=edition,
    )
