"""Putting the pieces together: build the calendar once, run every rule, order the findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hcode.core.calendar import HolidaySource, WorkingCalendar, uk_bank_holidays
from hcode.core.model import Finding, Settings
from hcode.core.rules import Context, check_assessments
from hcode.store.workspace import Loaded, locate_findings


def build_calendar(settings: Settings, as_of: date, source: HolidaySource | None = None) -> WorkingCalendar:
    """One calendar for the run; it starts with the years around ``as_of`` and adds others as
    dates need them."""
    return WorkingCalendar(
        source or uk_bank_holidays(settings.division),
        settings.closures,
        receipt=settings.receipt,
        years=range(as_of.year - 1, as_of.year + 2),
    )


def context(loaded: Loaded, as_of: date, soon: int | None = None, *, use_cache: bool = True) -> Context:
    source = None
    if use_cache:
        from hcode.store.scan import cached_holidays

        source = cached_holidays(loaded.root, loaded.settings.division)
    cal = build_calendar(loaded.settings, as_of, source)
    return Context(
        code=loaded.code,
        calendar=cal,
        as_of=as_of,
        settings=loaded.settings,
        soon=loaded.settings.soon if soon is None else soon,
    )


@dataclass
class CheckResult:
    findings: list[Finding]
    files: int
    from_cache: int


def run_check(loaded: Loaded, ctx: Context, *, workers: int | None = None, use_cache: bool = True) -> CheckResult:
    """Every finding for the workspace, in a stable order (file, line, column, rule).

    ``loaded`` needs no cases: they are read here, file by file (see :mod:`hcode.store.scan`).
    """
    from hcode.store.scan import check_cases

    findings = list(loaded.findings)
    broken = {f.file for f in loaded.findings if f.file and f.file.startswith("assessments/")}
    findings += check_assessments(loaded.assessments, ctx, unreadable=len(broken))
    cases = check_cases(loaded.root, ctx, workers=workers, use_cache=use_cache)
    findings += cases.findings
    findings = locate_findings(loaded.root, findings)
    findings.sort(key=Finding.sort_key)
    return CheckResult(findings, loaded.files + cases.case_files, cases.from_cache)
