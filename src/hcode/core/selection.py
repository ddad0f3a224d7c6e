"""Choosing among findings and counting them, for big workspaces (``hcode check --rule --case
--since --year --statistics``), and choosing the rows of ``hcode due`` and ``hcode case list``
(``--open --overdue --year --category --handler --kind``) with the same :class:`Selection`.
Pure: findings or rows in, findings, rows or counts out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from hcode.core.model import Code, Finding


@dataclass(frozen=True)
class Selection:
    """What ``hcode check`` is asked to show; empty fields select everything.

    * ``rules``: a finding's rule id (``6.3``, ``assessment.complete``), the rule's name as
      ``hcode rules`` lists it (``respond``: 6.3 and 6.14 under the 2024 Code, 5.1 and 5.x under
      earlier ones), or a family prefix (``assessment``, ``dates``: every ``assessment.*`` rule);
    * ``cases``: the subjects (case ids) to show;
    * ``since`` / ``until``: findings dated in that range (their due date, else the date the step
      was done), both ends included. A finding with no date (a file that cannot be read, a
      self-assessment answer) is about the workspace as it is now, and is kept.

    The rows of ``due`` and ``case list`` (:func:`select_rows`) are chosen by ``cases`` and:

    * ``open``: still to be done (a case with something still due; a row not met or missed);
    * ``overdue``: a row (for ``case list``, the case's next step) overdue;
    * ``received``: the cases received in that range, both ends included (a reporting year);
    * ``categories``, ``handlers``, ``kinds``: any of these (a category compared ignoring case,
      as a case file may name it by its slug or display name).
    """

    rules: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    open: bool = False
    overdue: bool = False
    received: tuple[date, date] | None = None
    categories: tuple[str, ...] = ()
    handlers: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    @property
    def everything(self) -> bool:
        return not (
            self.rules
            or self.cases
            or self.since
            or self.until
            or self.open
            or self.overdue
            or self.received
            or self.categories
            or self.handlers
            or self.kinds
        )


def rule_name(f: Finding, codes: Sequence[Code], default: Code | None) -> str | None:
    """The registry name of the rule behind ``f`` (``respond`` for a 6.3 finding), if known."""
    from hcode.core.rules.registry import lookup

    code = next((c for c in codes if c.code == f.edition), default) if f.edition else default
    found = lookup(f.rule, code)
    return found.name if found is not None else None


def select(
    findings: Sequence[Finding], chosen: Selection, codes: Sequence[Code] = (), default: Code | None = None
) -> list[Finding]:
    """The findings ``chosen`` asks for, in their order."""
    if chosen.everything:
        return list(findings)
    names: dict[tuple[str, str | None], str | None] = {}
    cases = set(chosen.cases)
    rules = set(chosen.rules)
    out: list[Finding] = []
    for f in findings:
        if cases and f.subject not in cases:
            continue
        if rules and f.rule not in rules:
            key = (f.rule, f.edition)
            if key not in names:
                names[key] = rule_name(f, codes, default)
            family = f.rule.split(".", 1)[0] if "." in f.rule and not f.rule[:1].isdigit() else None
            if names[key] not in rules and family not in rules:
                continue
        when = f.due or f.actual
        if when is not None and (
            (chosen.since is not None and when < chosen.since) or (chosen.until is not None and when > chosen.until)
        ):
            continue
        out.append(f)
    return out


#: The statuses of a row still to be done (a milestone, remedy action or hazard clock).
OPEN_STATUSES = frozenset(("overdue", "due-soon", "open"))


Row = TypeVar("Row", bound=Mapping[str, object])


def select_rows(rows: Sequence[Row], chosen: Selection) -> list[Row]:
    """The rows of ``due`` or ``case list`` (as their JSON prints them: ``case``, ``status``,
    ``kind``, ``received``, ``category``, ``handler``, and for ``case list`` ``open``) that
    ``chosen`` asks for, in their order."""
    if chosen.everything:
        return list(rows)
    cases = set(chosen.cases)
    categories = {c.lower() for c in chosen.categories}
    handlers = set(chosen.handlers)
    kinds = set(chosen.kinds)
    first, last = (d.isoformat() for d in chosen.received) if chosen.received else ("", "")
    out: list[Row] = []
    for row in rows:
        status = row.get("status")
        if cases and row.get("case") not in cases:
            continue
        if chosen.open and not row.get("open", status in OPEN_STATUSES):
            continue
        if chosen.overdue and status != "overdue":
            continue
        if first and not first <= str(row.get("received") or "") <= last:
            continue
        if categories and str(row.get("category") or "").lower() not in categories:
            continue
        if handlers and row.get("handler") not in handlers:
            continue
        if kinds and row.get("kind") not in kinds:
            continue
        out.append(row)
    return out


@dataclass(frozen=True)
class Count:
    """One row of ``--statistics``: how many findings of one rule at one severity."""

    rule: str
    severity: str
    edition: str | None  # the edition whose provision the rule id is (under code: auto they differ)
    count: int
    recorded: int
    name: str | None  # the rule's registry name, where it has one besides its id
    summary: str  # what the rule finds, as ``hcode rules`` says


def statistics(findings: Sequence[Finding], codes: Sequence[Code] = (), default: Code | None = None) -> list[Count]:
    """Counts per rule and severity, the most frequent first (then by rule id), like ruff's."""
    from hcode.core.rules.registry import lookup

    counts: dict[tuple[str, str, str | None], list[int]] = {}
    sample: dict[tuple[str, str, str | None], Finding] = {}
    for f in findings:
        key: tuple[str, str, str | None] = (f.rule, f.severity, f.edition if f.rule[:1].isdigit() else None)
        row = counts.get(key)
        if row is None:
            row = counts[key] = [0, 0]
            sample[key] = f
        row[0] += 1
        if f.recorded:
            row[1] += 1
    out = []
    for found_key, (count, recorded) in counts.items():
        f = sample[found_key]
        code = next((c for c in codes if c.code == f.edition), default) if f.edition else default
        found = lookup(f.rule, code)
        name = found.name if found is not None and found.name != f.rule else None
        out.append(Count(f.rule, f.severity, found_key[2], count, recorded, name, found.summary if found else ""))
    out.sort(key=lambda c: (-c.count, c.rule, c.severity, c.edition or ""))
    return out


@dataclass(frozen=True, slots=True)
class Tally:
    """What a check's output adds to its summary: how many findings were chosen of how many
    (``--rule``, ``--case``, ``--since``, ``--year``: ``shown`` and ``of``), and, with a
    baseline, how many findings it accepted and how many of its entries no longer occur."""

    shown: int | None = None
    of: int | None = None
    accepted: int | None = None
    stale: int | None = None

    def json(self) -> dict[str, Any]:
        """As the JSON summary gives it (``selected``, ``baseline``: each only when it applies)."""
        out: dict[str, Any] = {}
        if self.shown is not None:
            out["selected"] = {"shown": self.shown, "of": self.of}
        if self.accepted is not None:
            out["baseline"] = {"accepted": self.accepted, "stale": self.stale}
        return out
