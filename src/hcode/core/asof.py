"""The one reading of the as-of cut-off: what is known on a given day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date


def known(day: date | None, as_of: date | None) -> date | None:
    """``day`` as it is known on ``as_of``: the day itself if it is on or before ``as_of``, else
    None (a day after ``as_of`` has not happened yet). ``as_of`` None: no cut-off. The one
    reading of the cut-off: milestones, the annual figures and ``dates.future`` all use it."""
    if day is None or (as_of is not None and day > as_of):
        return None
    return day


def known_days(days: Iterable[date | None], as_of: date | None) -> list[date]:
    """Those of ``days`` known on ``as_of`` (:func:`known` of each, the unknown left out), in
    order: asked of many days at once."""
    if as_of is None:
        return [d for d in days if d is not None]
    return [d for d in days if d is not None and d <= as_of]
