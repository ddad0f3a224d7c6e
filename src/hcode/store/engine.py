"""Putting the pieces together: build the calendar once, run every rule, order the findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from hcode.core.calendar import HolidaySource, WorkingCalendar, uk_bank_holidays
from hcode.core.model import Finding, Settings
from hcode.core.rules import Context, check_assessments

if TYPE_CHECKING:
    from hcode.store.api import Store


def build_calendar(settings: Settings, as_of: date, source: HolidaySource | None = None) -> WorkingCalendar:
    """One calendar for the run; it starts with the years around ``as_of`` and adds others as
    dates need them."""
    return WorkingCalendar(
        source or uk_bank_holidays(settings.division),
        settings.closures,
        receipt=settings.receipt,
        years=range(as_of.year - 1, as_of.year + 2),
    )


@dataclass
class CheckResult:
    findings: list[Finding]
    files: int
    from_cache: int


def run_check(store: Store, ctx: Context) -> CheckResult:
    """Every finding for the workspace, in a stable order (file, line, column, rule): the
    assessments' problems and findings, then every case through the store's scan."""
    assessments = store.assessments
    findings = list(assessments.problems)
    broken = {f.file for f in assessments.problems if f.file and f.file.startswith("assessments/")}
    findings += check_assessments(assessments.items, ctx, unreadable=len(broken), editions=store.assessment_editions)
    cases = store.check_cases(ctx)
    findings += cases.findings
    findings += store.edition_findings(cases.findings)
    findings = store.locate(findings)
    findings.sort(key=Finding.sort_key)
    return CheckResult(findings, store.files_read + cases.case_files, cases.from_cache)
