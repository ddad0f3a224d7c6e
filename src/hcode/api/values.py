"""The values callers of the application layer name: findings and their severities, Code
editions and provisions, rules and their examples; and reading the dates and reporting years a
caller gives, with messages that say what to write instead."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from hcode.core.calendar import LAST_DAY as LAST_DAY
from hcode.core.calendar import WorkingCalendar as WorkingCalendar
from hcode.core.model import SEVERITY_RANK as SEVERITY_RANK
from hcode.core.model import Code as Code
from hcode.core.model import Finding as Finding
from hcode.core.model import Provision as Provision
from hcode.core.model import Settings
from hcode.core.rules.spec import Example as Example
from hcode.core.rules.spec import Rule as Rule
from hcode.core.selection import Selection as Selection


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


def year_window(year: str, year_start: tuple[int, int]) -> tuple[date, date]:
    """The first and last day of the reporting year written like ``2024-25``, for a workspace
    whose years start on ``year_start`` (month, day); ValueError as :func:`read_year`."""
    from hcode.core.years import reporting_year

    chosen = reporting_year(year)
    return chosen.start(year_start), chosen.end(year_start)


#: The kinds of case file (the case schema's ``kind``).
KINDS = ("complaint", "service-request", "hazard")


def listing_selection(
    settings: Settings,
    *,
    cases: Sequence[str] = (),
    open_only: bool = False,
    overdue: bool = False,
    year: str | None = None,
    categories: Sequence[str] = (),
    handlers: Sequence[str] = (),
    kinds: Sequence[str] = (),
) -> Selection:
    """The rows of ``hcode due`` and ``hcode case list`` to show, checked against the workspace:
    ``year``, the reporting year the cases were received in (``2024-25``, following the
    workspace's ``year_start``); ``categories``, the workspace's categories (by slug or display
    name, ignoring case); ``kinds``, of :data:`KINDS`. :class:`ParameterError` on an unknown
    category, kind or year, naming what may be given."""
    from hcode.api.errors import ParameterError
    from hcode.core.categories import DEFAULT_CATEGORIES

    known = DEFAULT_CATEGORIES if settings.categories is None else settings.categories
    spellings: list[str] = []  # a case file may name its category by slug or display name
    for category in categories:
        keys = [key for key, name in known.items() if category.lower() in (key.lower(), name.lower())]
        spellings += [spelling for key in keys for spelling in (key, known[key])]
        if not keys:
            raise ParameterError(
                f"{category[:40]!r} is not one of the workspace's categories: {', '.join(known)}",
                "--category",
                "the categories are declared in hcode.yaml (categories:), else hcode's default list",
            )
    for kind in kinds:
        if kind not in KINDS:
            raise ParameterError(f"{kind[:40]!r} is not a kind of case: {', '.join(KINDS)}", "--kind")
    received = None
    if year is not None:
        try:
            received = year_window(year, settings.year_start)
        except ValueError as exc:
            raise ParameterError(str(exc), "--year") from None
    return Selection(
        cases=tuple(cases),
        open=open_only,
        overdue=overdue,
        received=received,
        categories=tuple(dict.fromkeys(spellings)),
        handlers=tuple(handlers),
        kinds=tuple(kinds),
    )
