"""Tables for the terminal that stay readable from 60 columns up.

Some columns hold what a reader must be able to copy whole (a case id, a date): they are never
wrapped, shortened or dropped. The others are dropped, in the order each column states, until
the table fits; a column that may wrap does so before anything is dropped. Widths are measured
here, not left to Rich, because Rich shortens any column (``C-202…``) when a table is too wide;
and the lines are written here too (:func:`table_lines`), because a Rich table of 100,000 rows
takes half a minute to print.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from rich.console import Console

# Each column costs its text, one space either side and one for the (blank) rule between columns.
_PAD = 3


@dataclass(frozen=True, slots=True)
class Col:
    header: str
    whole: bool = False  # never wrapped, shortened or dropped
    drop: int = 0  # 1 is dropped first; 0 with whole=False: dropped last
    wrap_min: int = 0  # may wrap down to this many characters (0: does not wrap)
    justify: str = "left"


def _natural(col: Col, values: Sequence[str]) -> int:
    return max([len(col.header), *(len(v) for v in values)])


def plan(
    cols: Sequence[Col], rows: Sequence[Sequence[str]], width: int, natural: Sequence[int] | None = None
) -> list[int]:
    """The indexes of the columns to show at ``width``, in their order (``natural``: each
    column's natural width, where already measured)."""
    if natural is None:
        natural = [_natural(c, [r[i] for r in rows]) for i, c in enumerate(cols)]

    least = [min(natural[i], c.wrap_min) if c.wrap_min and not c.whole else natural[i] for i, c in enumerate(cols)]

    def need(shown: list[int]) -> int:
        return sum(least[i] for i in shown) + _PAD * len(shown)

    shown = list(range(len(cols)))
    order = sorted(
        (i for i, c in enumerate(cols) if not c.whole),
        key=lambda i: (cols[i].drop or 10_000, -i),
    )
    for i in order:
        if need(shown) <= width:
            break
        shown.remove(i)
    return shown


def dropped(cols: Sequence[Col], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """The headers of the columns that :func:`table_lines` leaves out at ``width``."""
    shown = set(plan(cols, rows, width))
    return [c.header for i, c in enumerate(cols) if i not in shown]


# -- the fast writer: what the CLI prints (Rich builds a Table of 100,000 rows far too slowly) ----

_BOLD, _ITALIC, _RESET = "\x1b[1m", "\x1b[3m", "\x1b[0m"
_SGR = {"bold": "1", "red": "31", "green": "32", "yellow": "33", "cyan": "36", "dim": "2"}


@cache
def _sgr(style: str) -> str:
    """The escape sequence of a Rich style string such as ``bold red`` (words it does not know
    are left out)."""
    codes = [_SGR[word] for word in style.split() if word in _SGR]
    return f"\x1b[{';'.join(codes)}m" if codes else ""


def _wrap_cell(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns: broken at spaces, a longer word folded."""
    from hcode.render.output import _cells, _cut

    if _cells(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        while _cells(word) > width:  # longer than the column: fold it
            if line:
                lines.append(line)
                line = ""
            cut = _cut(word, width)
            lines.append(word[:cut])
            word = word[cut:]
        if not line:
            line = word
        elif _cells(line) + 1 + _cells(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


def natural_widths(cols: Sequence[Col], columns: Sequence[Sequence[str]], ascii_only: bool) -> list[int]:
    """Each column's natural width in terminal columns: its widest cell or its header."""
    from hcode.render.output import _cells

    measure = len if ascii_only else _cells
    pairs = zip(cols, columns, strict=True)
    return [max(measure(c.header), max(map(measure, column), default=0)) for c, column in pairs]


def widths(cols: Sequence[Col], natural: Sequence[int], width: int, shown: Sequence[int]) -> list[int]:
    """Each shown column's width: its natural width, the wrapping columns narrowed (the widest
    first, never below their ``wrap_min``) until the table fits ``width`` where it can."""
    sizes = [natural[i] for i in shown]
    excess = sum(sizes) + 3 * (len(shown) - 1) - width
    while excess > 0:
        spare = [
            (sizes[n] - cols[i].wrap_min, n)
            for n, i in enumerate(shown)
            if cols[i].wrap_min and not cols[i].whole and sizes[n] > cols[i].wrap_min
        ]
        if not spare:
            break
        room, n = max(spare)
        take = min(room, excess)
        sizes[n] -= take
        excess -= take
    return sizes


def table_width(sizes: Sequence[int]) -> int:
    """The width of a table whose columns are ``sizes`` wide (three spaces between two)."""
    return sum(sizes) + 3 * (len(sizes) - 1)


def table_lines(
    cols: Sequence[Col],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    title: str | None = None,
    styles: Sequence[dict[int, str]] | None = None,
    colour: bool = False,
    rule: int = 0,
) -> list[str]:
    """:func:`column_lines` of ``rows`` (a list of cells each), ``styles`` a row's each (the
    column's index and its style)."""
    columns = [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in cols]
    by_column: dict[int, list[str]] | None = None
    if styles is not None:
        marked = sorted({i for marks in styles for i in marks})
        by_column = {i: [marks.get(i, "") for marks in styles] for i in marked}
    return column_lines(cols, columns, width, title=title, styles=by_column, colour=colour, rule=rule)


def column_lines(
    cols: Sequence[Col],
    columns: Sequence[Sequence[str]],
    width: int,
    *,
    title: str | None = None,
    styles: Mapping[int, Sequence[str]] | None = None,
    colour: bool = False,
    rule: int = 0,
) -> list[str]:
    """A table that fits ``width`` columns, as lines of text (ANSI styles where ``colour``): the
    title, the bold header, a rule (as wide as the table, or ``rule`` where that is wider: tables
    printed one under the other share one length), then the rows; columns three spaces apart, whole columns at full
    width, wrapping columns wrapped, the rest dropped in their stated order (:func:`plan`).
    ``columns``: each column's cells, top to bottom; ``styles``: a column's index -> each row's
    style in it (a Rich style such as ``bold red``; empty: none). Written a column at a time, the
    lines formatted in C: 100,000 rows in a fraction of a second."""
    from hcode.core.text import visible
    from hcode.render.output import _cells

    joined = ["".join(column) for column in columns]
    if not all(map(str.isprintable, joined)):  # a control or bidirectional character: shown as an escape
        columns = [
            column if text.isprintable() else [visible(v, keep_lines=False) for v in column]
            for column, text in zip(columns, joined, strict=True)
        ]
        joined = ["".join(column) for column in columns]
    ascii_only = all(map(str.isascii, joined))
    natural = natural_widths(cols, columns, ascii_only)
    shown = plan(cols, [], width, natural)
    sizes = widths(cols, natural, width, shown)
    right = [cols[i].justify == "right" for i in shown]
    total = len(columns[0]) if columns else 0

    def pad(text: str, size: int, to_right: bool) -> str:
        gap = size - (len(text) if ascii_only or text.isascii() else _cells(text))
        return " " * gap + text if to_right else text + " " * gap

    out: list[str] = []
    if title is not None:  # the landlord's name is the workspace's text: escaped like any cell
        title = visible(title, keep_lines=False)
        out.append(f"{_ITALIC}{title}{_RESET}" if colour else title)
    header = "   ".join(pad(cols[i].header, sizes[n], right[n]) for n, i in enumerate(shown)).rstrip()
    out.append(f"{_BOLD}{header}{_RESET}" if colour else header)
    out.append("─" * max(rule, table_width(sizes)))
    wraps = [bool(cols[i].wrap_min) and not cols[i].whole for i in shown]
    can_wrap = any(wraps) and any(natural[i] > sizes[n] for n, i in enumerate(shown))
    last = len(shown) - 1
    styled = {i: marks for i, marks in (styles or {}).items() if i in shown} if colour else {}
    if ascii_only and not can_wrap:  # the common case, formatted in C
        template = "   ".join(f"{{:{'>' if right[n] else '<'}{sizes[n]}}}" for n in range(len(shown)))
        lines = list(map(str.rstrip, map(template.format, *(columns[i] for i in shown))))
        starts = [sum(sizes[:n]) + 3 * n for n in range(len(shown))]
        where = {i: n for n, i in enumerate(shown)}
        for i in sorted(styled, key=where.__getitem__, reverse=True):  # the rightmost first: its place holds
            n = where[i]
            column = columns[i]
            for r_n, name in enumerate(styled[i]):
                text = column[r_n]
                if not name or not text or not (code := _sgr(name)):
                    continue
                line = lines[r_n]
                at = starts[n] + (sizes[n] - len(text) if right[n] else 0)
                lines[r_n] = f"{line[:at]}{code}{text}{_RESET}{line[at + len(text) :]}"
        out += lines
        return out
    for r_n in range(total):
        style = {i: marks[r_n] for i, marks in styled.items()}
        cells = [columns[i][r_n] for i in shown]
        if can_wrap and any(w and _cells(c) > sizes[n] for n, (w, c) in enumerate(zip(wraps, cells, strict=True))):
            parts = [_wrap_cell(c, sizes[n]) if wraps[n] else [c] for n, c in enumerate(cells)]
            height = max(len(p) for p in parts)
            grid = [[p[k] if k < len(p) else "" for p in parts] for k in range(height)]
        else:
            grid = [cells]
        for line_cells in grid:
            texts = []
            for n, text in enumerate(line_cells):
                padded = text if n == last and not right[n] else pad(text, sizes[n], right[n])
                if style and (s := style.get(shown[n])) and text:
                    code = _sgr(s)
                    if code:
                        padded = padded.replace(text, f"{code}{text}{_RESET}", 1)
                texts.append(padded)
            out.append("   ".join(texts).rstrip())
    return out


def colour_on(console: Console) -> bool:
    """Whether :func:`write_table` colours on ``console``: where Rich would (a terminal or
    ``FORCE_COLOR``, never with NO_COLOR or a dumb terminal)."""
    return console.is_terminal and not console.no_color and console.color_system is not None


def write_table(
    console: Console,
    cols: Sequence[Col],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    styles: Sequence[dict[int, str]] | None = None,
) -> None:
    """Print :func:`table_lines` of ``rows`` to the console (:func:`write_lines`)."""
    write_lines(console, table_lines(cols, rows, console.width, title=title, styles=styles, colour=colour_on(console)))


def write_columns(
    console: Console,
    cols: Sequence[Col],
    columns: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    styles: Mapping[int, Sequence[str]] | None = None,
) -> None:
    """Print :func:`column_lines` to the console at its width, coloured where Rich would colour
    (:func:`colour_on`)."""
    lines = column_lines(cols, columns, console.width, title=title, styles=styles, colour=colour_on(console))
    write_lines(console, lines)


def write_lines(console: Console, lines: list[str]) -> None:
    """Write lines to the console's file as they are (no line begins a CI workflow command)."""
    from hcode.core.text import no_commands

    stream = console.file
    stream.write(no_commands("\n".join(lines)) + "\n")
    stream.flush()
