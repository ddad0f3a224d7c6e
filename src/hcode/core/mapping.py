"""Between editions of the Code: which provision became which, and what changed.

A mapping (``provisions/mappings/FROM-TO.yaml``) lists, for each provision or question of an
earlier edition, the provision of the next edition it became (or none: removed), and whether
the correspondence is evident from the words or only hcode's reading (``unconfirmed``). From
it and the two texts :func:`compare` says what was added, removed, renumbered or changed in
wording; :func:`chain` joins mappings across editions (2020 to 2022 to 2024). Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from hcode.core.model import Code

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."})


@dataclass(frozen=True, slots=True)
class MappingRow:
    source: str  # the earlier edition's provision
    target: str | None  # the later edition's provision; None: removed
    unconfirmed: str | None = None  # why this correspondence is hcode's reading


@dataclass(frozen=True)
class Mapping:
    old: str
    new: str
    rows: tuple[MappingRow, ...]
    file: str | None = None

    def targets(self, source: str) -> list[MappingRow]:
        return [r for r in self.rows if r.source == source]


@dataclass(frozen=True, slots=True)
class ProvisionChange:
    """One line of a comparison between two editions."""

    kind: str  # same | wording | renumbered | removed | added | not-mapped
    old: str | None
    new: str | None
    wording: bool = False  # the text changed (with kind renumbered: renumbered and reworded)
    unconfirmed: str | None = None

    @property
    def label(self) -> str:
        if self.kind == "renumbered" and self.wording:
            return "renumbered, wording changed"
        return {"wording": "wording changed", "not-mapped": "not in the mapping"}.get(self.kind, self.kind)


def normalise(text: str) -> str:
    """A provision's text for comparison: quotes, list markers, spacing and case ignored."""
    text = text.translate(_QUOTES).lower()
    text = re.sub(r"(^|\n)\s*(?:[-•]|[a-z]\.)\s+", " ", text)
    return re.sub(r"[\s.;,]+", " ", text).strip()


def chain(mappings: Sequence[Mapping]) -> Mapping:
    """One mapping from the first edition to the last through the ones between: a row follows
    each step; a step that loses it (no row for the provision it became) ends it as unmapped
    and is not returned (``compare`` reports the earlier provision as not in the mapping)."""
    first = mappings[0]
    rows = list(first.rows)
    for step in mappings[1:]:
        joined: list[MappingRow] = []
        for row in rows:
            if row.target is None:
                joined.append(row)
                continue
            for nxt in step.targets(row.target):
                why = "; ".join(w for w in (row.unconfirmed, nxt.unconfirmed) if w)
                via = f"via {step.old} {row.target}"
                joined.append(MappingRow(row.source, nxt.target, f"{why} ({via})" if why else None))
        rows = joined
    files = ", ".join(m.file for m in mappings if m.file)
    return Mapping(first.old, mappings[-1].new, tuple(rows), files or None)


def compare(mapping: Mapping, old: Code, new: Code) -> list[ProvisionChange]:
    """What changed from ``old`` to ``new`` by ``mapping``: one change per earlier provision
    (same, wording, renumbered, removed, or not in the mapping), then the later edition's
    provisions no row leads to (added)."""
    out: list[ProvisionChange] = []
    reached: set[str] = set()
    for p in old.assessed:
        rows = mapping.targets(p.id)
        if not rows:
            out.append(ProvisionChange("not-mapped", p.id, None))
            continue
        for row in rows:
            if row.target is None:
                out.append(ProvisionChange("removed", p.id, None, unconfirmed=row.unconfirmed))
                continue
            reached.add(row.target)
            target = new.provisions.get(row.target)
            wording = target is None or normalise(target.text) != normalise(p.text)
            if row.target != p.id:
                out.append(ProvisionChange("renumbered", p.id, row.target, wording, row.unconfirmed))
            else:
                out.append(
                    ProvisionChange("wording" if wording else "same", p.id, row.target, wording, row.unconfirmed)
                )
    for p in new.assessed:
        if p.id not in reached:
            out.append(ProvisionChange("added", None, p.id))
    return out


def check_mapping(mapping: Mapping, old: Code, new: Code) -> list[str]:
    """What in ``mapping`` does not fit the two editions: ids neither edition has."""
    problems = []
    for row in mapping.rows:
        if row.source not in old.provisions:
            problems.append(f"{old.code} has no provision {row.source}")
        if row.target is not None and row.target not in new.provisions:
            problems.append(f"{new.code} has no provision {row.target}")
    return problems
