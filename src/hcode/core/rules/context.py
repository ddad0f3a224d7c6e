"""What a rule is given besides the record it checks, and how a case finding is made.

The family modules import this module (never the ``hcode.core.rules`` package, which imports the
registry, which imports them).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from hcode.core.calendar import WorkingCalendar
from hcode.core.editions import Editions
from hcode.core.hazards import HazardRules
from hcode.core.milestones import Milestone, milestones
from hcode.core.model import Case, Code, Finding, Path, Settings, Severity


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
    hazards: HazardRules | None = None  # the Awaab's Law catalogue hazard records are judged by
    now: datetime | None = None  # the moment of a run as of today (hours left on a 24-hour clock)
    # :meth:`for_case`'s contexts, one per edition (by identity), made once per run
    _per_edition: dict[int, tuple[Code | None, Context]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

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
        if found is self.code:
            return self
        made = self._per_edition.get(id(found))
        if made is None:
            ctx = (
                replace(self, code=self.editions.earliest, judged=False) if found is None else replace(self, code=found)
            )
            made = self._per_edition[id(found)] = (found, ctx)  # the edition kept, so its id stays its own
        return made[1]


def case_milestones(case: Case, ctx: Context) -> list[Milestone]:
    return milestones(case, ctx.judging, ctx.calendar, ctx.as_of, ctx.soon)


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


#: What each field of a ``late:`` record asks for, as a hint names it.
LATE_FIELDS = {"reason": "why", "apology": "the date of the apology", "learning": "what will change"}


def late_record(case: Case, stage: int) -> tuple[bool, str]:
    """Whether a missed timescale of ``stage`` is recorded history (``stageN.late`` has its
    reason, apology and learning; a hazard report's own ``late``), and else what to write: the
    hint naming exactly the fields still missing (every field, when there is no record).
    The one place that decides it: every rule reporting a past breach of a stage asks here."""
    if case.hazard is not None:  # a hazard report has no stages: its ``late`` covers its clocks
        late, key = case.hazard.late, "late"
    else:
        record = (case.stage1 if stage == 1 else case.stage2) if stage in (1, 2) else None
        late, key = record.late if record is not None else None, f"stage{stage}.late"
    missing = late.missing() if late is not None else tuple(LATE_FIELDS)
    if not missing:
        return True, ""
    fields = [f"{key}.{name} ({LATE_FIELDS[name]})" for name in missing]
    listed = fields[0] if len(fields) == 1 else ", ".join(fields[:-1]) + " and " + fields[-1]
    return False, f"write {listed}; then it is recorded history: still counted, no longer failing hcode check"


def past_breach(found: Finding, case: Case, stage: int, what: str = "it", correct: str = "") -> Finding:
    """``found`` as a breach of ``stage`` already done, which nothing written now can undo (a
    late step, a late extension notice, a stage 2 already answered by the stage 1 handler): it is
    recorded history once ``stageN.late`` is complete, and until then its hint says how to get
    there (after ``correct``: how to put the record right if it is wrong). Every rule reporting
    such a breach goes through here, so one ``late`` record covers them all."""
    recorded, hint = late_record(case, stage)
    found.recorded = recorded
    found.hint = None if recorded else f"{correct}; otherwise " * bool(correct) + f"{what} cannot be undone: {hint}"
    return found
