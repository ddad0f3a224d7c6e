"""Rendering findings: the JSON contract (DESIGN 5.2) and the text a complaints officer reads."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from rich.console import Console

from hcode.core.model import Finding
from hcode.core.selection import Count, Tally
from hcode.core.text import no_commands
from hcode.core.text import safe_as_is as safe_as_is
from hcode.core.text import safe_output as safe_output
from hcode.core.text import safe_pieces as safe_pieces
from hcode.core.text import visible as visible
from hcode.render.run import FindingsRun


def one_line(text: str) -> str:
    """A value on one line of text output: line breaks and control characters escaped."""
    return visible(text, keep_lines=False)


FORMAT_VERSION = 1


def summary(findings: Sequence[Finding], files: int) -> dict[str, int]:
    """Counts by severity (recorded breaches included: they are counted everywhere), and how
    many of them are recorded history."""
    counts = {"files": files, "error": 0, "warning": 0, "info": 0, "recorded": 0}
    for f in findings:
        counts[f.severity] += 1
        if f.recorded:
            counts["recorded"] += 1
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
    if f.recorded:
        out["recorded"] = True
    return out


def to_json(
    findings: Sequence[Finding],
    *,
    as_of: date,
    workspace: str,
    files: int,
    tally: Tally | None = None,
) -> str:
    head: dict[str, Any] = {
        "hcode": FORMAT_VERSION,
        "as_of": as_of.isoformat(),
        "workspace": workspace,
        "summary": summary(findings, files),
    }
    if tally is not None:
        head.update(tally.json())
    # One finding a line: readable, diffable, and written by json's fast encoder.
    lines = ["{"]
    lines += [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()]
    rows = [_finding_json(f) for f in findings]
    if rows:
        lines.append('  "findings": [')
        lines.append("    " + ",\n    ".join(rows))
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
    """The same text as encoding :func:`finding_dict`, built directly (100,000 findings): where
    no text of the finding has a character JSON escapes (a quote, a backslash, a control
    character: none where every character is printable), each is written between quotes as it
    is; otherwise each is encoded."""
    file, hint, edition, due, actual = f.file, f.hint, f.edition, f.due, f.actual
    every = f.rule + f.subject + f.message + (file or "") + (hint or "") + (edition or "")
    if every.isprintable() and '"' not in every and "\\" not in every:
        where = "null" if file is None else '"' + file + '"'
        line = "null" if f.line is None else str(f.line)
        column = "null" if f.column is None else str(f.column)
        more = (
            ("" if due is None else ', "due": "' + due.isoformat() + '"')
            + ("" if actual is None else ', "actual": "' + actual.isoformat() + '"')
            + ("" if not hint else ', "hint": "' + hint + '"')
            + ("" if not edition else ', "edition": "' + edition + '"')
            + (', "recorded": true' if f.recorded else "")
        )
        return (
            f'{{"rule": "{f.rule}", "severity": "{f.severity}", "subject": "{f.subject}", "file": {where}, '
            f'"line": {line}, "column": {column}, "message": "{f.message}"{more}}}'
        )
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
    if f.recorded:
        text += ', "recorded": true'
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


#: Header lines written to a file or a pipe are wrapped at this width; findings are not (one line
#: each, for grep and editors).
FILE_WIDTH = 80
_INDENT = 20  # "  LINE:COL  SEVERITY  ": where a finding's message starts
# Stand-ins while a line is wrapped (escaped text never holds them): a space not to break at, and
# the start and end of the styled part.
_KEEP, _OPEN, _CLOSE = "\x00", "\x01", "\x02"


def header_lines(run: FindingsRun) -> list[str]:
    """What the edition names in the findings mean, said before they first appear: the one
    edition that judged everything, or (``code: auto``) each edition with the date it took effect."""
    if run.by_date and run.editions:
        listed = ", ".join(f"{c.code} from {c.effective:%-d %B %Y}" for c in run.editions)
        return [
            f"Judged by date (code: auto): each stage of a complaint by the Code edition in force "
            f"when it started ({listed}); each finding names its edition."
        ]
    if run.code is not None:
        c = run.code
        return [
            f"Judged against {c.code}: the {c.title} in force from {c.effective:%-d %B %Y} "
            f"('Code 6.3' below is its provision 6.3: hcode provisions show 6.3 prints it)."
        ]
    return []


def _cells(text: str) -> int:
    """Columns ``text`` takes on a terminal (wide characters two, combining marks none)."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _cut(word: str, room: int) -> int:
    """How many characters of ``word`` fit in ``room`` columns (at least one)."""
    if word.isascii():
        return max(room, 1)
    used = 0
    for i, ch in enumerate(word):
        used += _cells(ch)
        if used > room:
            return max(i, 1)
    return len(word)


def _wrap(text: str, width: int, first: str = "", indent: int = 0) -> list[str]:
    """``first`` then ``text``, wrapped to ``width`` columns with continuation lines indented
    ``indent`` spaces. Broken only at a space (never at a hyphen: case ids and dates; never at a
    ``_KEEP``; never in ``first``, a location), except a word longer than a whole line."""
    if _cells(first) + _cells(text) <= width:
        return [first + text.replace(_KEEP, " ")]
    if text.isascii() and first.isascii():
        quick = _wrap_ascii(text, width, first, indent)
        if quick is not None:
            return quick
    return _wrap_words(text, width, first, indent)


def _wrap_words(text: str, width: int, first: str, indent: int) -> list[str]:
    """:func:`_wrap` a word at a time, for any text."""
    room = max(width - indent, 20)
    lines: list[str] = []
    line, used = first, _cells(first)
    limit = max(width, used + 20)
    bare = True  # nothing after the line's indent yet
    for word in text.split(" "):
        if not word:  # a second space in a row: kept inside a line, dropped where it wraps
            if not bare:
                line, used = line + " ", used + 1
            continue
        size = _cells(word)
        if not bare and used + 1 + size > limit:
            lines.append(line.rstrip())
            line, used, limit, bare = " " * indent, indent, indent + room, True
        if bare:
            while used + size > limit:  # longer than a whole line: cut it
                cut = _cut(word, limit - used)
                lines.append(line + word[:cut])
                word = word[cut:]
                size = _cells(word)
                line, used, limit = " " * indent, indent, indent + room
            line, used, bare = line + word, used + size, False
        else:
            line, used = line + " " + word, used + 1 + size
    lines.append(line.rstrip())
    return [part.replace(_KEEP, " ") for part in lines]


def _wrap_ascii(text: str, width: int, first: str, indent: int) -> list[str] | None:
    """:func:`_wrap` of ASCII text a line at a time (each line the longest run of words that
    fits, found by the last space within reach); None where a word is longer than its line
    (:func:`_wrap` cuts it)."""
    lines: list[str] = []
    line = first
    reach = max(width, len(first) + 20) - len(first)  # the first line's room after ``first``
    at, stop = 0, len(text.rstrip(" "))  # spaces at the end are dropped
    while True:
        while text.startswith(" ", at):  # spaces where a line starts are dropped
            at += 1
        if stop - at <= reach:
            lines.append((line + text[at:]).rstrip())
            break
        space = text.rfind(" ", at, at + reach + 1)
        if space <= at:  # the next word alone is longer than the line
            return None
        lines.append((line + text[at:space]).rstrip())
        at, line, reach = space + 1, " " * indent, max(width - indent, 20)
    return [part.replace(_KEEP, " ") for part in lines] if _KEEP in text else lines


def text_lines(run: FindingsRun, *, colour: bool = False, width: int | None = None) -> list[str]:
    """Findings grouped by file, each with where, what, the provision and what to do.

    With ``width`` (a terminal) every line is wrapped to it, a message's continuation lines
    indented under the message; without, each finding is one line (a file or a pipe: grep and
    editors read ``file``, ``line:col``) and only the header is wrapped, at :data:`FILE_WIDTH`.
    A location is never broken. Plain strings (with ANSI colour when ``colour``): printing
    100,000 findings must not take longer than finding them.
    """

    def paint(style: str, text: str) -> str:
        return f"{_ANSI[style]}{text}{_RESET}" if colour else text

    out: list[str] = []
    for line in header_lines(run):
        out += [paint("dim", part) for part in _wrap(line, width or FILE_WIDTH)]
        out.append("")
    shown = None if run.by_date or run.code is None else run.code.code
    current: str | None = None
    # each line built here, not through helpers: 100,000 findings
    dim, reset = (_ANSI["dim"], _RESET) if colour else ("", "")
    severities = {s: paint(s, f"{s:<7}") for s in ("error", "warning", "info")}
    hint_at = " " * _INDENT
    for f in _grouped(run.findings):
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
        if f.recorded:
            rule += "; recorded"
        severity = severities.get(f.severity) or paint(f.severity, f"{f.severity:<7}")
        tag = f"({rule})"
        subject, message = f.subject, f.message
        if not subject.isprintable():
            subject = one_line(subject)
        if not message.isprintable():
            message = one_line(message)
        what = f"{subject}: {message}"
        first = f"  {where:>7}  {f.severity:<7}  "
        if width is None or len(first) + (len(what) if what.isascii() else _cells(what)) + 2 + len(tag) <= width:
            out.append(f"  {where:>7}  {severity}  {what}  {dim}{tag}{reset}")
        else:
            lines = _wrap(f"{what}  {_OPEN}{tag.replace(' ', _KEEP)}{_CLOSE}", width, first, _INDENT)
            lines[0] = f"  {where:>7}  {severity}  " + lines[0][len(first) :]
            out += [_styled(line, "dim" if colour else None) for line in lines]
        if hint := f.hint:
            if not hint.isprintable():
                hint = one_line(hint)
            if width is None:
                out.append(f"{hint_at}{dim}to fix: {hint}{reset}")
            else:
                first = hint_at + "to fix: "
                out += [f"{dim}{line}{reset}" for line in _wrap(hint, width, first, len(first))]
    if run.findings:
        out.append("")
    mark = paint if width is None else _marked
    line = summary_line(run.findings, as_of=run.as_of, files=run.files, workspace=run.workspace, paint=mark)
    if width is None:
        out.append(line)
    else:
        style = verdict_of(run.findings)[0] if colour else None
        out += [_styled(part, style) for part in _wrap(line, width, "", 2)]
    return out


def _marked(style: str, text: str) -> str:
    """``text`` marked to be styled after wrapping, and kept on one line where it fits."""
    return _OPEN + text.replace(" ", _KEEP) + _CLOSE


def _styled(line: str, style: str | None) -> str:
    """A wrapped line with its marked part in ``style`` (None: plain)."""
    if _OPEN not in line and _CLOSE not in line:
        return line
    return line.replace(_OPEN, _ANSI[style] if style else "").replace(_CLOSE, _RESET if style else "")


_GROUP_FROM = 3  # unanswered provisions in one file before they are shown as one line


def _unanswered(f: Finding) -> str | None:
    """The provision id of an "is not filled in / not answered" finding, else None."""
    return None if f.unanswered is None else f.unanswered.provision


def _not_started(f: Finding) -> bool:
    return f.unanswered is not None and f.unanswered.not_started


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
        state = "not started" if all(_not_started(g) for g in group) else "not finished"
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
    """ "self-assessment not started: 72 provisions to answer" when that is what the errors are."""
    unanswered = [f for f in findings if _unanswered(f) is not None]
    if len(unanswered) < _GROUP_FROM or not all(_not_started(f) for f in unanswered):
        return None
    return f"self-assessment not started: {len(unanswered)} provisions to answer"


def verdict_of(findings: Sequence[Finding]) -> tuple[str, str]:
    """The verdict ("not compliant", "no problems found" ...) and the style it is shown in."""
    not_started = started_verdict(findings)
    if not_started:
        return "error", f"not compliant - {not_started}"
    counts = summary([f for f in findings if not f.recorded], 0)
    if counts["error"]:
        return "error", "not compliant"
    if counts["warning"]:
        return "warning", "compliant, with warnings"
    if any(f.recorded for f in findings):
        return "green", "nothing to act on (past breaches recorded)"
    return "green", "no problems found"


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
    style, said = verdict_of(findings)
    verdict = paint(style, said) if paint else said
    recorded = f" ({counts['recorded']} recorded)" if counts["recorded"] else ""
    return (
        f"{one_line(workspace)}: {verdict} - {plural(counts['error'], 'error')}, "
        f"{plural(counts['warning'], 'warning')}, {counts['info']} info{recorded} in "
        f"{plural(files, 'file')} (as of {as_of})"
    )


def wraps_to_terminal(console: Console) -> bool:
    """Whether the console writes to a real terminal, so that lines are wrapped to its width.

    Not Rich's ``is_terminal``: that is true with ``FORCE_COLOR`` set, which asks for colour
    only (CI jobs set it and still want one line a finding in their logs). ``TTY_COMPATIBLE``
    (``1`` or ``0``), Rich's own setting for "treat the output as a terminal or not", decides
    when set."""
    said = os.environ.get("TTY_COMPATIBLE", "")
    if said in ("0", "1"):
        return said == "1"
    isatty = getattr(console.file, "isatty", None)
    try:
        return bool(isatty is not None and isatty())
    except (OSError, ValueError):  # a closed or detached stream
        return False


def text_layout(console: Console) -> tuple[bool, int | None]:
    """How :func:`render_text` lays the findings out on ``console``: coloured where Rich would
    colour (a terminal or ``FORCE_COLOR``, and not with NO_COLOR); the width to wrap to, only on
    a real terminal (:func:`wraps_to_terminal`), else None."""
    colour = console.is_terminal and not console.no_color and console.color_system is not None
    return colour, console.width if wraps_to_terminal(console) else None


def render_text(console: Console, run: FindingsRun, lines: list[str] | None = None) -> None:
    """Write :func:`text_lines` (as laid out for the console: :func:`text_layout`; or ``lines``,
    as they were laid out for it before) to the console's file."""
    if lines is None:
        colour, width = text_layout(console)
        lines = text_lines(run, colour=colour, width=width)
    stream = console.file
    stream.write(no_commands("\n".join(lines)) + "\n")
    stream.flush()


# -- hcode check --statistics: counts per rule and severity, like ruff's -------------------------


def statistics_lines(counts: Sequence[Count]) -> list[str]:
    """One line a rule and severity, the most frequent first: the count, how many of them are
    recorded breaches, the rule (with its name) and what it finds."""
    if not counts:
        return ["No findings."]
    rows = []
    several = len({c.edition for c in counts if c.edition}) > 1  # code: auto: say whose provision
    for c in counts:
        rule = f"Code {c.rule}" if c.rule[:1].isdigit() else c.rule
        if c.edition and several:
            rule += f" ({c.edition})"
        if c.name:
            rule += f" {c.name}"
        recorded = f"{c.recorded:,} recorded" if c.recorded else ""
        rows.append((f"{c.count:,}", one_line(rule), c.severity, recorded, one_line(c.summary)))
    sizes = [max(len(r[n]) for r in rows) for n in range(4)]
    out = []
    for count, rule, severity, recorded, summary in rows:
        cells = [f"{count:>{sizes[0]}}", f"{rule:<{sizes[1]}}", f"{severity:<{sizes[2]}}"]
        if sizes[3]:  # a column only where some are recorded
            cells.append(f"{recorded:<{sizes[3]}}")
        out.append("  ".join([*cells, summary]).rstrip())
    return out


def statistics_json(
    counts: Sequence[Count],
    findings: Sequence[Finding],
    *,
    as_of: date,
    workspace: str,
    files: int,
    tally: Tally | None = None,
) -> str:
    """``--statistics --format json``: the summary and one object a rule and severity."""
    doc: dict[str, Any] = {
        "hcode": FORMAT_VERSION,
        "as_of": as_of.isoformat(),
        "workspace": workspace,
        "summary": summary(findings, files),
        **(tally.json() if tally is not None else {}),
        "statistics": [
            {
                "rule": c.rule,
                "severity": c.severity,
                "edition": c.edition,
                "count": c.count,
                "recorded": c.recorded,
                "name": c.name,
                "summary": c.summary,
            }
            for c in counts
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
