"""Rendering findings: the JSON contract (DESIGN 5.2) and the text a complaints officer reads."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from rich.console import Console

from hcode.core.model import Finding
from hcode.core.text import no_commands, visible


def one_line(text: str) -> str:
    """A value on one line of text output: line breaks and control characters escaped."""
    return visible(text, keep_lines=False)

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
    if f.edition:
        out["edition"] = f.edition
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
    rows = [_finding_json(f) for f in findings]
    if rows:
        lines.append('  "findings": [')
        lines.append(",\n".join(f"    {row}" for row in rows))
        lines.append("  ]")
    else:
        lines.append('  "findings": []')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _make_encoder() -> Any:
    """One reusable JSON encoder (json.dumps builds a new one on every call)."""
    try:
        from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]

        if c_make_encoder is not None:
            fast = c_make_encoder(None, None, encode_basestring, None, ": ", ", ", False, False, True)
            return lambda obj: "".join(fast(obj, 0))
    except ImportError:  # pragma: no cover - every CPython has the C encoder
        pass
    return lambda obj: json.dumps(obj, ensure_ascii=False)  # pragma: no cover


_encode = _make_encoder()


def _finding_json(f: Finding) -> str:
    """The same text as encoding :func:`finding_dict`, built directly (100,000 findings)."""
    enc = _encode
    line = "null" if f.line is None else str(f.line)
    column = "null" if f.column is None else str(f.column)
    text = (
        f'{{"rule": {enc(f.rule)}, "severity": "{f.severity}", "subject": {enc(f.subject)}, '
        f'"file": {enc(f.file)}, "line": {line}, "column": {column}, "message": {enc(f.message)}'
    )
    if f.due is not None:
        text += f', "due": "{f.due.isoformat()}"'
    if f.actual is not None:
        text += f', "actual": "{f.actual.isoformat()}"'
    if f.hint:
        text += f', "hint": {enc(f.hint)}'
    if f.edition:
        text += f', "edition": {enc(f.edition)}'
    return text + "}"


_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


_ANSI = {
    "error": "\x1b[1;31m",
    "warning": "\x1b[33m",
    "info": "\x1b[36m",
    "bold": "\x1b[1m",
    "dim": "\x1b[2m",
    "green": "\x1b[32m",
}
_RESET = "\x1b[0m"


def text_lines(
    findings: Sequence[Finding],
    *,
    as_of: date,
    files: int,
    workspace: str,
    colour: bool = False,
    edition: tuple[str, str, date] | None = None,
    by_date: Sequence[tuple[str, str, date]] = (),
) -> list[str]:
    """Findings grouped by file, each with where, what, the provision and what to do.

    Plain strings (with ANSI colour when ``colour``): printing 100,000 findings must not take
    longer than finding them.
    """

    def paint(style: str, text: str) -> str:
        return f"{_ANSI[style]}{text}{_RESET}" if colour else text

    out: list[str] = []
    if edition:  # say what the edition's name means before it first appears
        name, title, effective = edition
        out.append(
            paint(
                "dim",
                f"Judged against {name}: the {title} in force from {effective:%-d %B %Y} "
                f"('Code 6.3' below is its provision 6.3: hcode provisions show 6.3 prints it).",
            )
        )
        out.append("")
    elif by_date:  # code: auto
        listed = ", ".join(f"{name} from {effective:%-d %B %Y}" for name, _, effective in by_date)
        out.append(
            paint(
                "dim",
                f"Judged by date (code: auto): each stage of a complaint by the Code edition in force "
                f"when it started ({listed}); each finding names its edition.",
            )
        )
        out.append("")
    shown = edition[0] if edition else None
    current: str | None = None
    for f in _grouped(findings):
        file = f.file or "(workspace)"
        if file != current:
            if current is not None:
                out.append("")
            out.append(paint("bold", one_line(file)))
            current = file
        where = f"{f.line}:{f.column or 1}" if f.line else "-"
        rule = f"Code {f.rule}" if f.rule[:1].isdigit() else f.rule
        if f.edition and f.edition != shown:
            rule += f", {f.edition}"
        severity = paint(f.severity, f"{f.severity:<7}")
        out.append(
            f"  {where:>7}  {severity}  {one_line(f.subject)}: {one_line(f.message)}  {paint('dim', f'({rule})')}"
        )
        if f.hint:
            out.append(f"  {'':>7}  {'':<7}  {paint('dim', 'to fix: ' + one_line(f.hint))}")
    if findings:
        out.append("")
    out.append(summary_line(findings, as_of=as_of, files=files, workspace=workspace, paint=paint))
    return out


UNANSWERED = "assessment.complete"
_GROUP_FROM = 3  # unanswered provisions in one file before they are shown as one line


def _unanswered(f: Finding) -> str | None:
    """The provision id of an "is not filled in / not answered" finding, else None (the 2020
    questionnaire's findings say "question" where the other forms say "provision")."""
    noun = next((n for n in ("provision ", "question ") if f.message.startswith(n)), None)
    if f.rule != UNANSWERED or noun is None:
        return None
    rest = f.message[len(noun) :]
    if not (rest.endswith(" is not answered") or "comply is not filled in" in rest):
        return None
    return rest.split(":")[0].split(" ")[0]


def _grouped(findings: Sequence[Finding]) -> list[Finding]:
    """Findings for text output: a self-assessment's unanswered provisions as one line each file
    (JSON, SARIF and the other formats keep one finding per provision)."""
    by_file: dict[str | None, list[Finding]] = {}
    for f in findings:
        if _unanswered(f) is not None:
            by_file.setdefault(f.file, []).append(f)
    grouped = {file for file, fs in by_file.items() if len(fs) >= _GROUP_FROM}
    infos: dict[str, list[Finding]] = {}
    for f in findings:
        if f.severity == "info":
            infos.setdefault(f.rule, []).append(f)
    info_groups = {rule for rule, fs in infos.items() if len(fs) >= _GROUP_FROM}
    if not grouped and not info_groups:
        return list(findings)
    out: list[Finding] = []
    for f in findings:
        if f.severity == "info" and f.rule in info_groups:
            same = infos[f.rule]
            if f is same[0]:
                others = [g.subject for g in same[1:]]
                more = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
                out.append(replace(f, message=f"{f.message}; the same for {len(others)} more ({more})"))
            continue
        if f.file not in grouped or _unanswered(f) is None:
            out.append(f)
            continue
        group = by_file[f.file]
        if f is not group[0]:
            continue
        ids = [_unanswered(g) for g in group]
        shown = ", ".join(i for i in ids[:6] if i) + (f", ... {ids[-1]}" if len(ids) > 6 else "")
        state = "not started" if all("not started" in g.message for g in group) else "not finished"
        out.append(
            replace(
                f,
                message=f"self-assessment {state}: {len(group)} provisions to answer ({shown})",
                hint="write comply: yes or comply: no, with evidence, under each provision in this file "
                "(--format json lists them one by one)",
            )
        )
    return out


def started_verdict(findings: Sequence[Finding]) -> str | None:
    """"self-assessment not started: 72 provisions to answer" when that is what the errors are."""
    unanswered = [f for f in findings if _unanswered(f) is not None]
    if len(unanswered) < _GROUP_FROM or not all("not started" in f.message for f in unanswered):
        return None
    return f"self-assessment not started: {len(unanswered)} provisions to answer"


def summary_line(
    findings: Sequence[Finding],
    *,
    as_of: date,
    files: int,
    workspace: str,
    paint: Any = None,
) -> str:
    """The one-line verdict: compliant or not, with the counts."""
    counts = summary(findings, files)
    colour = paint or (lambda style, text: text)
    not_started = started_verdict(findings)
    if not_started:
        verdict = colour("error", f"not compliant - {not_started}")
    elif counts["error"]:
        verdict = colour("error", "not compliant")
    elif counts["warning"]:
        verdict = colour("warning", "compliant, with warnings")
    else:
        verdict = colour("green", "no problems found")
    return (
        f"{one_line(workspace)}: {verdict} - {plural(counts['error'], 'error')}, "
        f"{plural(counts['warning'], 'warning')}, {counts['info']} info in "
        f"{plural(files, 'file')} (as of {as_of})"
    )


def render_text(
    console: Console,
    findings: Sequence[Finding],
    *,
    as_of: date,
    files: int,
    workspace: str,
    edition: tuple[str, str, date] | None = None,
    by_date: Sequence[tuple[str, str, date]] = (),
) -> None:
    """Write :func:`text_lines` to the console's file (colour only on a terminal, no NO_COLOR)."""
    colour = console.is_terminal and not console.no_color and console.color_system is not None
    lines = text_lines(
        findings, as_of=as_of, files=files, workspace=workspace, colour=colour, edition=edition, by_date=by_date
    )
    stream = console.file
    stream.write(no_commands("\n".join(lines)) + "\n")
    stream.flush()
