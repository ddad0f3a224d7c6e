"""Which edition of the Code judges what.

``code:`` in ``hcode.yaml`` names one edition (everything is judged by it) or is ``auto``: each
stage of a complaint is judged by the edition in force when that stage started:

* stage 1 by the edition in force on the day the complaint was **received**;
* stage 2 by the edition in force on the day the **escalation was requested** (its clock starts
  then, in every edition, so the rules the landlord had to follow for it are those of that
  day: a complaint received in March 2024 and escalated in April 2024 has its stage 2 judged by
  the 2024 Code).

A stage that started before the earliest edition hcode knows is not judged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from hcode.core.model import Case, Code

AUTO = "auto"


@dataclass(frozen=True)
class Editions:
    """Every edition known (shipped and the workspace's own), and how they are chosen."""

    codes: tuple[Code, ...]  # by effective date, earliest first
    fixed: Code | None = None  # ``code: NAME``: this one judges everything

    @classmethod
    def of(cls, codes: Iterable[Code], chosen: str = AUTO) -> Editions:
        ordered = tuple(sorted(codes, key=lambda c: (c.effective, c.code)))
        fixed = None
        if chosen != AUTO:
            fixed = next(c for c in ordered if c.code == chosen)
        return cls(ordered, fixed)

    @property
    def auto(self) -> bool:
        return self.fixed is None

    @property
    def names(self) -> list[str]:
        return [c.code for c in self.codes]

    @property
    def default(self) -> Code:
        """The edition named in ``hcode.yaml``, else (auto) the latest."""
        return self.fixed if self.fixed is not None else self.codes[-1]

    @property
    def earliest(self) -> Code:
        return self.codes[0]

    def get(self, name: str) -> Code | None:
        return next((c for c in self.codes if c.code == name), None)

    def in_force(self, day: date) -> Code | None:
        """The edition in force on ``day`` (None before the earliest)."""
        found = None
        for c in self.codes:
            if c.effective <= day:
                found = c
        return found

    def for_stage(self, case: Case, stage: int) -> Code | None:
        """The edition that judges ``stage`` of ``case`` (None: not judged)."""
        if self.fixed is not None:
            return self.fixed
        return self.in_force(stage_start(case, stage))

    def for_case(self, case: Case) -> Code | None:
        """The edition of the case as a whole: the one that judges its stage 1."""
        return self.for_stage(case, 1)


def stage_start(case: Case, stage: int) -> date:
    """The day a stage started: receipt (stage 1), the escalation request (stage 2)."""
    if stage == 2 and case.stage2 is not None and case.stage2.requested is not None:
        return case.stage2.requested
    return case.received
