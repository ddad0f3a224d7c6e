"""``hcode diff`` written out: the changes in text, Markdown (for a pull-request comment) or
JSON, a change to a deadline rule listed first under its own heading."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from hcode.core.changes import DiffResult
from hcode.core.text import visible

FORMATS = ("text", "md", "json")


def _value(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


def _md_cell(text: str) -> str:
    """Text for a Markdown table cell: pipes, backticks and other Markdown escaped, HTML
    neutralised, control characters made visible, on one line."""
    import re

    text = visible(text, keep_lines=False).replace("&", "&amp;").replace("<", "&lt;")
    return re.sub(r"([\\`*_\[\]|~])", r"\\\1", text)


DEADLINES = "Deadline rules changed"
DEADLINES_WHY = "every due date hcode works out from them moves"
DEADLINE_KINDS = ("timescale", "calendar")  # a clock of the Code; the edition or the calendar


def _where(revision: str) -> str:
    return "in the working tree" if revision == "working tree" else f"at {revision}"


def render_diff(result: DiffResult, fmt: str) -> str:
    """The changes in text, Markdown or JSON. A change to a deadline rule (an alert of a kind in
    ``DEADLINE_KINDS``) is listed first under its own heading in text and Markdown."""
    changes = result.changes
    if fmt == "json":
        doc = {
            "hcode": 1,
            "base": result.base,
            "head": result.head,
            "changes": [{k: _value(v) for k, v in asdict(c).items()} for c in changes],
            "unreadable": result.unreadable,
            "problems": [asdict(p) for p in result.problems],
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    deadlines = [c for c in changes if c.severity == "alert" and c.kind in DEADLINE_KINDS]
    alerts = [c for c in changes if c.severity == "alert" and c.kind not in DEADLINE_KINDS]
    infos = [c for c in changes if c.severity != "alert"]
    if fmt == "md":
        lines = [f"## hcode: changes since {_md_cell(result.base)}", ""]
        if not changes and not result.unreadable:
            lines.append("No changes to the self-assessment, cases or Code.")
        for title, rows, strong in (
            (f"{DEADLINES}: {DEADLINES_WHY}", deadlines, True),
            ("Needs a second look", alerts, True),
            ("Other changes", infos, False),
        ):
            if rows:
                lines += [f"### {title}", "", "| File | Subject | Change |", "|---|---|---|"]
                mark = "**" if strong else ""
                lines += [
                    f"| {_md_cell(c.file)} | {_md_cell(c.subject)} | {mark}{_md_cell(c.message)}{mark} |" for c in rows
                ]
                lines.append("")
        if result.unreadable:
            lines += ["### Files hcode could not read", ""]
            lines += [
                f"- {_md_cell(p.file)} {_md_cell(_where(p.revision))}: {_md_cell(p.message)} (run `hcode check`)"
                for p in result.problems
            ]
        return "\n".join(lines).rstrip() + "\n"
    lines = [f"Changes since {result.base} ({result.head}):"]
    if not changes and not result.unreadable:
        lines.append("  none to the self-assessment, cases or Code")
    if deadlines:
        lines.append(f"  {DEADLINES} ({DEADLINES_WHY}):")
        lines += [f"  ! {c.file}: {c.message}" for c in deadlines]
        if alerts or infos or result.unreadable:
            lines.append("")
    for c in alerts:
        lines.append(f"  ! {c.file}: {c.message}")
    for c in infos:
        lines.append(f"    {c.file}: {c.message}")
    for p in result.problems:
        lines.append(f"  ? {p.file}: cannot be read {_where(p.revision)}: {p.message} (run hcode check)")
    return "\n".join(lines) + "\n"
