"""Rules: pure functions from records to findings, one module per family.

Every rule is declared once in :mod:`hcode.core.rules.registry` (its family module's ``RULES``),
documented in its family module's docstring, and carries a stable id: the Code provision number
where there is one (read from the provisions catalogue, so findings follow a new edition's
numbering), otherwise a short slug such as ``dates.order``.

Imports run one way: this package imports the registry, the registry imports the family modules
(its one list of them), and the family modules import :mod:`hcode.core.rules.context` and
:mod:`hcode.core.rules.spec`, never this package or the registry.
"""

from __future__ import annotations

from collections.abc import Sequence

from hcode.core.editions import AssessmentEditions
from hcode.core.milestones import Milestone, milestones
from hcode.core.model import Assessment, Case, Finding
from hcode.core.rules.context import Context, case_finding, case_milestones
from hcode.core.rules.registry import CASE_FAMILIES, FAMILIES, rule

__all__ = ["Context", "case_finding", "case_milestones", "check_assessments", "check_case", "check_rules"]


def check_case(case: Case, ctx: Context, ms: Sequence[Milestone] | None = None) -> list[Finding]:
    """All findings for one case (``ms``: its milestones, when already computed): every case
    family of the registry, in its order. Each finding names the edition that judged it."""
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
    out: list[Finding] = []
    for family in FAMILIES:
        if family.subject == "assessments":
            out += family.module.check(assessments, ctx, unreadable, editions)
    return out
