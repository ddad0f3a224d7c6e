"""A ``late`` record (a missed timescale explained) as ``hcode case show`` lists it, for a
complaint's stage and a hazard report alike."""

from __future__ import annotations

from hcode.core.model import Late


def late_lines(late: Late, indent: str) -> list[str]:
    """A ``late`` record as ``case show`` lists it: recorded once all three fields are written,
    else what is still to write."""
    missing = late.missing()
    said = "recorded" if not missing else "not complete: " + ", ".join(missing) + " still to write"
    values = (
        ("reason", late.reason),
        ("apology", late.apology.isoformat() if late.apology else None),
        ("learning", late.learning),
    )
    return [f"{indent}late ({said}):"] + [f"{indent}  {label}: {value}" for label, value in values if value]
