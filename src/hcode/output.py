"""Rendering findings: the JSON contract (DESIGN 5.2) and the text a complaints officer reads."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from rich.console import Console
from rich.markup import escape

from hcode.model import SEVERITY_RANK, Finding

FORMAT_VERSION = 1


def summary(findings: Sequence[Finding], files: int) -> dict[str, int]:
    counts = {"files": files, "error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[f.severity] += 1
    return counts


def finding_dict(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": f.rule,
        "severity": f.severity,
        "subject": f.subject,
        "file": f.file,
        "line": f.line,
        "column": f.column,
        "message": f.message,
    }
    if f.due is not None:
        out["due"] = f.due.isoformat()
    if f.actual is not None:
        out["actual"] = f.actual.isoformat()
    if f.hint:
        out["hint"] = f.hint
    return out


def to_json(
    findings: Sequence[Finding],
    *,
    as_of: date,
    workspace: str,
    files: int,
    extra: dict[str, Any] | None = None,
) -> str:
    head: dict[str, Any] = {
        "hcode": FORMAT_VERSION,
        "as_of": as_of.isoformat(),
        "workspace": workspace,
        "summary": summary(findings, files),
    }
    if extra:
        head.update(extra)
    # One finding a line: readable, diffable, and written by json's fast encoder.
    lines = ["{"]
    lines += [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()]
    rows = [json.dumps(finding_dict(f), ensure_ascii=False) for f in findings]
    if rows:
        lines.append('  "findings": [')
        lines.append(",\n".join(f"    {row}" for row in rows))
        lines.append("  ]")
    else:
        lines.append('  "findings": []')
    lines.append("}")
    return "\n".join(lines) + "\n"


_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render_text(
    console: Console, findings: Sequence[Finding], *, as_of: date, files: int, workspace: str
) -> None:
    """Findings grouped by file, each with where, what, the provision and what to do."""
    current: str | None = None
    for f in findings:
        file = f.file or "(workspace)"
        if file != current:
            if current is not None:
                console.print()
            console.print(f"[bold]{escape(file)}[/bold]")
            current = file
        where = f"{f.line}:{f.column or 1}" if f.line else "-"
        style = _STYLE[f.severity]
        rule = f"Code {f.rule}" if f.rule[:1].isdigit() else f.rule
        console.print(
            f"  {where:>7}  [{style}]{f.severity:<7}[/{style}]  {escape(f.subject)}: "
            f"{escape(f.message)}  [dim]({escape(rule)})[/dim]",
            highlight=False,
            soft_wrap=True,
        )
        if f.hint:
            console.print(
                f"  {'':>7}  {'':<7}  [dim]to fix: {escape(f.hint)}[/dim]",
                highlight=False,
                soft_wrap=True,
            )
    counts = summary(findings, files)
    if findings:
        console.print()
    verdict = (
        "[bold red]not compliant[/bold red]"
        if counts["error"]
        else (
            "[yellow]compliant, with warnings[/yellow]"
            if counts["warning"]
            else "[green]no problems found[/green]"
        )
    )
    console.print(
        f"{escape(workspace)}: {verdict} - {plural(counts['error'], 'error')}, "
        f"{plural(counts['warning'], 'warning')}, {counts['info']} info in "
        f"{plural(files, 'file')} (as of {as_of})",
        highlight=False,
        soft_wrap=True,
    )


def worst(findings: Sequence[Finding]) -> int:
    """Rank of the most severe finding (-1 when there are none)."""
    return max((SEVERITY_RANK[f.severity] for f in findings), default=-1)
