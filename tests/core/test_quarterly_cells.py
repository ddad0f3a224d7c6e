"""Each cell of the quarterly table is counted from the cases with a date in its period: the same
figure as counting every case of the year."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import EXAMPLE
from hcode.core import metrics
from hcode.store.reader import Store


@pytest.mark.parametrize("as_of", ["2025-07-31", "2025-02-14", "2024-11-15", "2024-05-20", "2024-04-02"])
@pytest.mark.parametrize("year", ["2024-25", "2023-24"])
def test_each_cell_as_counted_from_every_case_of_the_year(as_of: str, year: str) -> None:
    store = Store.open(EXAMPLE, use_cache=False, workers=1)
    ctx = store.context(date.fromisoformat(as_of))
    fs = metrics.facts(store.cases(ctx).items, ctx.judging, ctx.calendar, ctx.as_of)
    period = metrics.year_period(year, store.settings)
    rows = metrics.quarterly_table(fs, period, store.settings, ctx.calendar, as_of=ctx.as_of)
    every = [f for f in fs if f.touches(period)]
    checked = 0
    for row in rows:
        for p in [*metrics.quarters(period), period]:
            cell = row["cells"][p.key]
            if cell.get("source") != "cases":
                continue
            clipped = metrics._clip(p, ctx.as_of)
            assert clipped is not None
            expected = metrics._row(row["key"], every, clipped, store.settings, ctx.calendar)
            assert cell == {**expected, "source": "cases"}, (row["key"], p.key)
            checked += 1
    assert checked >= 15  # the year's own column at least
