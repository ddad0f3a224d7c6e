"""Putting the pieces together: build the calendar once, run every rule, order the findings."""

from __future__ import annotations

from datetime import date

from hcode.calendar import WorkingCalendar, uk_bank_holidays
from hcode.model import Case, Finding, Settings
from hcode.rules import Context, check_assessments, check_case
from hcode.workspace import Loaded, locate_findings


def build_calendar(settings: Settings, cases: list[Case], as_of: date) -> WorkingCalendar:
    """One calendar for the run, covering the years the cases and ``as_of`` need."""
    years = {as_of.year}
    if cases:
        years.add(min(c.received for c in cases).year)
        years.add(max(c.received for c in cases).year)
    first, last = min(years), max(years) + 1
    return WorkingCalendar(
        uk_bank_holidays(settings.division),
        settings.closures,
        receipt=settings.receipt,
        years=range(first, last + 1),
    )


def context(loaded: Loaded, as_of: date, soon: int | None = None) -> Context:
    cal = build_calendar(loaded.settings, loaded.cases, as_of)
    return Context(
        code=loaded.code,
        calendar=cal,
        as_of=as_of,
        settings=loaded.settings,
        soon=loaded.settings.soon if soon is None else soon,
    )


def run_check(loaded: Loaded, ctx: Context) -> list[Finding]:
    """Every finding for the workspace, in a stable order (file, line, column, rule)."""
    findings = list(loaded.findings)
    broken = {f.file for f in loaded.findings if f.file and f.file.startswith("assessments/")}
    findings += check_assessments(loaded.assessments, ctx, unreadable=len(broken))
    for case in loaded.cases:
        findings += check_case(case, ctx)
    findings = locate_findings(loaded.root, findings)
    findings.sort(key=Finding.sort_key)
    return findings
