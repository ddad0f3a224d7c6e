"""How a count of working days is explained in words: the days that did not count, named."""

from __future__ import annotations

from datetime import date

from hcode.core.calendar import WorkingCalendar


def working_days_text(cal: WorkingCalendar, start: date, n: int, start_event: str) -> str:
    """``n`` working days counted from ``start`` (day 0), naming the days that did not count."""
    steps = cal.explain(start, n)
    weekend = sum(1 for s in steps[1:] if not s.counted and s.day.weekday() >= 5)
    named = [
        f"{s.day.strftime('%a %d %b %Y')} ({s.reason})" for s in steps[1:] if not s.counted and s.day.weekday() < 5
    ]
    text = f"{n} working days after {start_event} {start.isoformat()} (day 0)"
    skipped = ([f"{weekend} weekend days"] if weekend else []) + named
    if skipped:
        text += "; not counted: " + ", ".join(skipped)
    return text
