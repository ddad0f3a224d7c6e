"""The values callers of the application layer name: findings and their severities, Code
editions and provisions, rules and their examples; and reading the dates and reporting years a
caller gives, with messages that say what to write instead."""

from __future__ import annotations

from datetime import date

from hcode.core.calendar import LAST_DAY as LAST_DAY
from hcode.core.calendar import WorkingCalendar as WorkingCalendar
from hcode.core.model import SEVERITY_RANK as SEVERITY_RANK
from hcode.core.model import Code as Code
from hcode.core.model import Finding as Finding
from hcode.core.model import Provision as Provision
from hcode.core.rules.spec import Example as Example
from hcode.core.rules.spec import Rule as Rule


def read_date(value: str) -> date:
    """The date written ``YYYY-MM-DD``; ValueError saying what is wrong (not a date, or outside
    the dates hcode works with)."""
    from hcode.core.calendar import out_of_range

    try:
        found = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value[:40]!r} is not a date: write YYYY-MM-DD") from None
    why = out_of_range(found)
    if why is not None:
        raise ValueError(why)
    return found


def read_year(value: str) -> str:
    """A reporting year as written like ``2024-25``; ValueError saying what to write instead
    ("2023-25 is not a reporting year: write 2023-24")."""
    from hcode.core.years import reporting_year

    return reporting_year(value).name
