"""Which edition of the Code judges what.

``code:`` in ``hcode.yaml`` names one edition (everything is judged by it) or is ``auto``: each
stage of a complaint is judged by the edition in force when that stage started:

* stage 1 by the edition in force on the day the complaint was **received**;
* stage 2 by the edition in force on the day the **escalation was requested** (its clock starts
  then, in every edition, so the rules the landlord had to follow for it are those of that
  day: a complaint received in March 2024 and escalated in April 2024 has its stage 2 judged by
  the 2024 Code).

A stage that started before the earliest edition hcode knows is not judged.

A self-assessment answers the form of one edition: :meth:`AssessmentEditions.answered` decides
which (its ``code:``; without one, the workspace's edition, or under ``code: auto`` the edition
in force when it was completed), for ``hcode check``, the reports and ``hcode assessment``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from hcode.core.asof import known
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

    def opting_in(self, names: Iterable[str]) -> Editions:
        """Every edition with the opt-in clocks ``names`` judged (hcode.yaml's ``opt_in_clocks``)."""
        names = list(names)
        if not names:
            return self
        codes = tuple(c.opting_in(names) for c in self.codes)
        fixed = next((c for c in codes if self.fixed is not None and c.code == self.fixed.code), None)
        return Editions(codes, fixed)

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

    def unnamed_assessment(self, done_on: date) -> Code:
        """The edition whose form a self-assessment without ``code:`` answers: the one named in
        ``hcode.yaml``; under ``code: auto`` the one in force on ``done_on`` (the day it was
        completed, or is being written), or the earliest before every edition."""
        if self.fixed is not None:
            return self.fixed
        return self.in_force(done_on) or self.earliest


def stage_start(case: Case, stage: int) -> date:
    """The day a stage started: receipt (stage 1), the escalation request (stage 2)."""
    if stage == 2 and case.stage2 is not None and case.stage2.requested is not None:
        return case.stage2.requested
    return case.received


@dataclass(frozen=True)
class Unusable:
    """Why a self-assessment's ``code:`` cannot be used, and what to do about it."""

    message: str
    hint: str


def assessed_on(completed: date | None, as_of: date) -> date:
    """The day a self-assessment is taken as done, for the edition it answers: its ``completed``
    date when that is known on ``as_of`` (:func:`hcode.core.asof.known`), else ``as_of``
    itself (on that day it is still being written, under the edition then in force)."""
    return known(completed, as_of) or as_of


@dataclass(frozen=True)
class AssessmentEditions:
    """The editions a self-assessment may name: ``codes`` those that could be read (shipped,
    or the workspace's own copy), ``broken`` the message for each that could not."""

    codes: Mapping[str, Code] = field(default_factory=dict)
    broken: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, editions: Editions) -> AssessmentEditions:
        """The workspace's editions alone."""
        return cls({c.code: c for c in editions.codes})

    @property
    def known(self) -> list[str]:
        return sorted({*self.codes, *self.broken})

    @cached_property
    def _ordered(self) -> Editions:
        return Editions.of(self.codes.values())

    def in_force(self, day: date) -> Code | None:
        """The edition in force on ``day``: the latest to have taken effect by then."""
        return self._ordered.in_force(day)

    @property
    def latest(self) -> Code:
        """The edition that took effect last (there is always one: hcode ships its editions)."""
        return self._ordered.codes[-1]

    def answered(self, named: str | None, done_on: date, workspace: Editions) -> Code | Unusable:
        """The edition whose form a self-assessment answers.

        ``named``: its ``code:``; ``done_on``: the day it was completed (not completed: the day
        it is being written, ``--as-of``); ``workspace``: the editions of ``hcode.yaml``.

        * ``code:`` names a readable edition: that one, whatever ``hcode.yaml`` says (whether it
          may answer that form for its year is the ``assessment.edition`` rule's question);
        * ``code:`` names an edition that cannot be read, or none hcode knows: why not;
        * no ``code:`` under ``code: NAME``: that edition;
        * no ``code:`` under ``code: auto``: the edition in force on ``done_on`` (a 2023-24
          self-assessment completed in June 2024 answers the 2024 Code, in force from 1 April
          2024; one completed in March 2024 answers the 2022 Code); before the earliest
          edition, the earliest.
        """
        if named is None:
            return workspace.unnamed_assessment(done_on)
        found = workspace.get(named) or self.codes.get(named)
        if found is not None:
            return found
        if named in self.broken:
            return Unusable(
                f"{named} cannot be used: {self.broken[named]}",
                f"fix provisions/{named}.yaml; this file's answers are checked once it can be read",
            )
        known = self.known or workspace.names
        return Unusable(
            f"unknown Code edition {named!r} (known: {', '.join(known)})",
            "write the edition whose form this self-assessment answers; its answers are not checked until then",
        )
