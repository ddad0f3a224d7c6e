"""The Code in the terminal (``hcode provisions``): every provision of an edition, one in
full, and what changed between two editions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.table import Table
from rich.text import Text

from hcode.core.mapping import ProvisionChange
from hcode.core.model import Code, Provision


def timescale(code: Code, p: Provision) -> str:
    """The clocks a provision sets, as the catalogue's ``timescales:`` gives them."""
    found = [t for t in code.clocks if t.provision == p.id]
    return "; ".join(f"stage {t.stage} {t.event}: {t.describe()}" for t in found)


def provisions_table(code: Code) -> Table:
    """Every provision with the start of its text, by section."""
    table = Table(title=f"{code.title} ({code.code}, effective {code.effective})", show_lines=False, expand=False)
    table.add_column("Provision", no_wrap=True)
    table.add_column("Requirement")
    table.add_column("Timescale")
    for section in code.sections:
        table.add_section()
        table.add_row(f"{section.number}", Text(f"Section {section.number}: {section.title}", style="bold"), "")
        for p in section.provisions:
            first = p.text.split("\n")[0]
            short = first if len(first) <= 90 else first[:87] + "..."
            mark = "" if p.assessed else " (not assessed)"
            if p.level:
                mark += f" [{p.level}]"
            table.add_row(p.id, short + mark, timescale(code, p))
        if section.unconfirmed:
            table.add_row("", f"Not confirmed: {section.unconfirmed}", "")
    return table


def provision_lines(code: Code, p: Provision) -> list[str]:
    """One provision in full, as lines (an empty string is a blank line)."""
    section = next(s for s in code.sections if s.number == p.section)
    lines = [
        f"{code.code} {p.id} - Section {section.number}: {section.title}" + (f" ({p.group})" if p.group else ""),
        "",
        p.text,
    ]
    clocks = timescale(code, p)
    for shown, text in (
        (bool(clocks), "Timescale: " + clocks),
        (bool(p.level), f"Form row: a '{p.level}' requirement."),
        (p.answer == "text", "Answered in words (a figure or a description), not Yes or No."),
        (bool(p.unconfirmed), f"Not confirmed: {p.unconfirmed}"),
        (not p.assessed, "Not part of the self-assessment form."),
    ):
        if shown:
            lines += ["", text]
    return lines


def changes_doc(
    old: Code, new: Code, mapping_file: str | None, changes: Sequence[ProvisionChange], gaps: Sequence[str]
) -> dict[str, Any]:
    """What changed between two editions, as ``hcode provisions diff --format json`` prints it."""
    return {
        "from": old.code,
        "to": new.code,
        "mapping": mapping_file,
        "changes": [
            {
                "change": c.kind,
                "from": c.old,
                "to": c.new,
                "wording_changed": c.wording,
                "confirmed": c.unconfirmed is None and c.kind not in ("added", "not-mapped"),
                "unconfirmed": c.unconfirmed,
            }
            for c in changes
        ],
        "gaps": list(gaps),
    }


def changes_table(
    old: Code, new: Code, mapping_file: str | None, changes: Sequence[ProvisionChange], gaps: Sequence[str]
) -> tuple[Table, list[str]]:
    """What changed between two editions, a row each, and the lines to print after the table
    (the count of each kind of change, and what the sections that could not be sourced mean)."""
    counts: dict[str, int] = {}
    for c in changes:
        counts[c.label] = counts.get(c.label, 0) + 1
    table = Table(title=f"{old.code} -> {new.code} ({mapping_file})", expand=False)
    table.add_column(old.code, no_wrap=True)
    table.add_column(new.code, no_wrap=True)
    table.add_column("Change")
    table.add_column("Note")
    for c in changes:
        note = f"hcode's reading: {c.unconfirmed}" if c.unconfirmed else ""
        if c.kind == "added" and gaps:
            note = f"no confirmed {old.code} row leads here"
        table.add_row(c.old or "", c.new or "", c.label, note)
    after = [", ".join(f"{n} {label}" for label, n in counts.items()) + "."]
    if gaps:
        after.append(
            f"Some rows of {old.code if any(s.unconfirmed for s in old.sections) else new.code} could not be sourced, "
            "so 'added' may include provisions that an unsourced row leads to."
        )
    return table, after
