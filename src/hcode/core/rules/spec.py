"""What a rule declaration holds (see :mod:`hcode.core.rules.registry`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from hcode.core.model import Code, Severity

#: A reference to the Code: ``("check", name, stage)`` for a provision the catalogue ties to one
#: of hcode's checks, ``("timescale", event, stage)`` for a provision carrying a timescale.
Ref = tuple[Literal["check", "timescale"], str, int | None]

CASE_FILE = "cases/2024/C-2024-0001.yaml"


@dataclass(frozen=True)
class Example:
    """A workspace file that shows a rule passing or failing.

    ``text`` is written to ``file`` in a workspace holding only a minimal ``hcode.yaml`` (or, with
    ``base="example"``, in a copy of the bundled example workspace) and checked as on ``as_of``.
    ``others``: more files the example needs, as (path, text) pairs.
    """

    text: str
    file: str = CASE_FILE
    as_of: date = date(2024, 12, 31)
    note: str = ""
    base: Literal["empty", "example"] = "empty"
    others: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Rule:
    """One rule: what ``hcode rules`` lists and ``hcode rules show NAME`` explains."""

    name: str
    summary: str
    severities: tuple[Severity, ...]
    refs: tuple[Ref, ...] = ()
    passing: tuple[Example, ...] = ()
    failing: tuple[Example, ...] = ()
    no_examples: str = ""  # why a rule has no examples (what makes it is not a file's text)
    family: str = ""
    docs: str = ""

    def ids(self, code: Code | None) -> tuple[str, ...]:
        """The ids its findings carry under ``code``: provision numbers, else the rule's name."""
        if not self.refs:
            return (self.name,)
        if code is None:
            return (self.name,)
        out: list[str] = []
        for kind, name, stage in self.refs:
            if kind == "timescale":
                found = code.rule_of(code.timescale(stage or 1, name), name)
            else:
                found = code.rule_id(name, stage)
            if found not in out:
                out.append(found)
        return tuple(out)


# -- building blocks of the examples: one complaint, written as a landlord would write it ----------

DEFINITION = "Leak not repaired after two visits; wants it fixed."


def complaint(body: str = "", *, id: str = "C-2024-0001", received: str = "2024-05-01") -> str:
    """A complaint's case file: its header, then ``body`` (stages and the rest)."""
    return f"id: {id}\nkind: complaint\nreceived: {received}\ncategory: repairs\n{body}"


def stage1(
    ack: str = "2024-05-02",
    responded: str = "2024-05-10",
    *,
    definition: str = DEFINITION,
    handler: str = "H-017",
    outcome: str = "upheld",
    extension: str = "",
) -> str:
    """A stage 1 block (acknowledged on ``ack``, responded on ``responded``); ``extension``: the
    lines of an ``extension:`` mapping, already indented by four spaces."""
    lines = ["stage1:", f"  acknowledged: {ack}"]
    if definition:
        lines.append(f"  definition: {definition}")
    lines.append(f"  handler: {handler}")
    if extension:
        lines.append("  extension:")
        lines += extension.rstrip("\n").split("\n")
    lines += [f"  responded: {responded}", f"  outcome: {outcome}"]
    return "\n".join(lines) + "\n"
