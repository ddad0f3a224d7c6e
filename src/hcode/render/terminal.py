"""Tables for the terminal that stay readable from 60 columns up.

Some columns hold what a reader must be able to copy whole (a case id, a date): they are never
wrapped, shortened or dropped. The others are dropped, in the order each column states, until
the table fits; a column that may wrap does so before anything is dropped. Widths are measured
here, not left to Rich, because Rich shortens any column (``C-202…``) when a table is too wide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich import box
from rich.table import Table
from rich.text import Text

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


def plan(cols: Sequence[Col], rows: Sequence[Sequence[str]], width: int) -> list[int]:
    """The indexes of the columns to show at ``width``, in their order."""
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


def fit(
    cols: Sequence[Col],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    title: str | None = None,
    styles: Sequence[dict[int, str]] | None = None,
) -> Table:
    """A Rich table of ``rows`` that fits ``width`` columns: whole columns at their full width,
    wrapping columns wrapped, the rest dropped in their stated order."""
    shown = plan(cols, rows, width)
    table = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1),
        title_justify="left",
    )
    for i in shown:
        c = cols[i]
        natural = _natural(c, [r[i] for r in rows])
        if c.whole or not c.wrap_min:
            table.add_column(c.header, no_wrap=True, min_width=natural, justify=c.justify)  # type: ignore[arg-type]
        else:
            table.add_column(c.header, overflow="fold", min_width=min(natural, c.wrap_min), justify=c.justify)  # type: ignore[arg-type]
    for n, r in enumerate(rows):
        style = styles[n] if styles else {}
        table.add_row(*(Text(r[i], style=style.get(i, "")) for i in shown))
    return table


def dropped(cols: Sequence[Col], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """The headers of the columns that ``fit`` leaves out at ``width``."""
    shown = set(plan(cols, rows, width))
    return [c.header for i, c in enumerate(cols) if i not in shown]
