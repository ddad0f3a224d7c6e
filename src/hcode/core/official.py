"""The official Code editions' fingerprints, and how a workspace's edition differs from them.

hcode ships the Complaint Handling Code's editions (``provisions/hoc-*.yaml``). A workspace may
carry its own copy of an edition, or an edition hcode does not ship; either may bend a clock
(6.3: 100 working days instead of 10) and so bend every figure judged by it. Each shipped
edition's clocks and text carry a digest (:data:`OFFICIAL`, checked against the shipped files by
the tests), and :func:`differences` names every clock in which an edition differs from the
official one it claims to be or replaces: ``"6.3: 100 working days; the Code says 10 working
days"``. ``check`` warns with them (``code.modified``) and every published report states them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence

from hcode.core.model import Code, Timescale

#: name -> (digest of its clocks, digest of its provisions' text), as shipped.
OFFICIAL: dict[str, tuple[str, str]] = {
    "hoc-2020": ("317a6b192a05ebd6", "1b86bf3061022e9d"),
    "hoc-2022": ("2cbf93412c906a5e", "5be8fabb9074d468"),  # 4.1: five days of receipt, calendar days
    "hoc-2024": ("214127aa166049cf", "9b67b6739c5e31d2"),
}


def _days(t: Timescale) -> str:
    if t.working_days is not None:
        return f"{t.working_days} working days"
    if t.days is not None:
        return f"{t.days} days"
    if t.max_working_days is not None:
        return f"at most {t.max_working_days} working days"
    if t.max_days is not None:
        return f"at most {t.max_days} days"
    return "no length"


def describe(t: Timescale, *, start: bool = True) -> str:
    """A clock in words: ``10 working days from acknowledged``."""
    return _days(t) + (f" from {t.start}" if start and t.start else "")


def clocks(code: Code) -> dict[tuple[int, str], Timescale]:
    """Every clock of an edition, by (stage, event)."""
    out: dict[tuple[int, str], Timescale] = {}
    for t in code.timescales:
        out.setdefault((t.stage, t.event), t)
    for p in code.provisions.values():
        if p.timescale is not None:
            out.setdefault((p.timescale.stage, p.timescale.event), p.timescale)
    return out


def _clock_facts(t: Timescale) -> list[object]:
    return [t.stage, t.event, t.start, t.working_days, t.max_working_days, t.days, t.max_days]


def clock_digest(code: Code) -> str:
    """A digest of an edition's clocks (what they count, from what, how long)."""
    facts = sorted((_clock_facts(t) for t in clocks(code).values()), key=repr)
    return hashlib.sha256(json.dumps(facts, default=str).encode()).hexdigest()[:16]


def text_digest(code: Code) -> str:
    """A digest of an edition's provisions and their text."""
    body = sorted((p.id, p.text) for p in code.provisions.values())
    return hashlib.sha256(json.dumps(body).encode()).hexdigest()[:16]


def _label(key: tuple[int, str], t: Timescale) -> str:
    return t.provision or f"stage {key[0]} {key[1]}"


def differences(used: Code, official: Code) -> list[str]:
    """Every clock in which ``used`` differs from ``official``, in words; empty when none."""
    mine, theirs = clocks(used), clocks(official)
    out: list[str] = []
    for key in sorted(set(mine) | set(theirs)):
        a, b = mine.get(key), theirs.get(key)
        if a is None and b is not None:
            out.append(f"{_label(key, b)}: no clock; the Code says {describe(b)}")
        elif b is None and a is not None:
            out.append(f"{_label(key, a)}: {describe(a)}; the Code has no such clock")
        elif a is not None and b is not None and _clock_facts(a) != _clock_facts(b):
            same_start = a.start == b.start
            mine_words, code_words = describe(a, start=not same_start), describe(b, start=not same_start)
            out.append(f"{_label(key, b)}: {mine_words}; the Code says {code_words}")
    return out


def official_for(used: Code, shipped: Sequence[Code]) -> Code | None:
    """The official edition ``used`` claims to be (same name) or replaces (the latest shipped
    edition in force on its effective date)."""
    by_name = {c.code: c for c in shipped}
    if used.code in by_name:
        return by_name[used.code]
    earlier = [c for c in shipped if c.effective <= used.effective]
    return max(earlier, key=lambda c: c.effective) if earlier else min(shipped, key=lambda c: c.effective, default=None)


def modification(used: Code, shipped: Sequence[Code]) -> str | None:
    """How ``used`` departs from the official Code, in one sentence, or None when it is an
    official edition with official clocks."""
    official = official_for(used, shipped)
    if official is None:
        return f"{used.code} is not an edition hcode ships"
    diffs = differences(used, official)
    if used.code != official.code:
        head = f"{used.code} is not an edition hcode ships; it replaces {official.code}"
        return head + (f", and its clocks differ: {'; '.join(diffs)}" if diffs else ", with the same clocks")
    if diffs:
        return f"{used.code} is a modified copy of the official edition: {'; '.join(diffs)}"
    return None


def statements(modified: Mapping[str, str], names: Iterable[str] | None = None) -> list[str]:
    """What a published report says when it was judged by a modified Code: one sentence for each
    modified edition (``names``: of those it used; None: every one)."""
    chosen = set(modified) if names is None else set(names)
    return [f"This report was judged by a modified Code: {text}." for name, text in modified.items() if name in chosen]


def state_in_figures(figures: dict[str, object], modified: dict[str, str]) -> dict[str, object]:
    """Annual figures that say they were judged by a modified Code, and how: ``modified_code``
    lists each statement (JSON), and the counting conventions every format prints name each
    modified edition as such and end with the statements. Unchanged when ``modified`` is empty."""
    if not modified:
        return figures
    said = statements(modified)
    lines = []
    for line in figures.get("conventions") or []:  # type: ignore[attr-defined]
        text = str(line)
        if text.startswith("Timescales applied:"):
            for name in modified:
                text = text.replace(f"{name}", f"{name} (not the official edition)", 1)
        lines.append(text)
    return {**figures, "modified_code": said, "conventions": [*lines, *said]}
