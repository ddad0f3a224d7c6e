"""The annual figures and the TSM tables are counted from the facts worker processes send back
(each case's milestones worked out once, where it was read, and only the cases a figure may
count): they are exactly those worked out afresh, in this process, from every case."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hcode
import hcode.store.scan
from conftest import ROOT
from hcode.api import reports
from hcode.core import metrics
from hcode.store.reader import Records

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate

GENERATED_TO = date(2025, 7, 31)  # the generated cases are received up to a month before


def _year(text: str) -> str:
    first = int(text[:4])
    return f"{first}-{(first + 1) % 100:02d}"


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    cases=st.integers(20, 70),
    hazards=st.sampled_from([0, 12, 30]),
    back=st.integers(0, 900),
    years_back=st.integers(0, 2),
)
def test_the_figures_from_the_workers_facts_are_the_exact_ones(
    seed: int, cases: int, hazards: int, back: int, years_back: int
) -> None:
    as_of = GENERATED_TO - timedelta(days=back)
    first = as_of.year - years_back - (1 if as_of.month < 4 else 0)
    year = _year(str(first))
    with TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        root = Path(tmp) / "ws"
        generate(root, cases, seed=seed, hazards=hazards)
        patch.setattr(hcode.store.scan, "PARALLEL_FROM", 10)  # worker processes even for these few files

        # the exact path: every case read in this process, its facts worked out here
        ws = hcode.open_workspace(root, use_cache=False, workers=1)
        ctx = ws.context(as_of)
        every = ws.store.cases(ctx)
        facts = metrics.facts(every.items, ctx.judging, ctx.calendar, ctx.as_of)
        read = Records(facts, every.problems)
        exact = reports._annual_figures(reports._annual_inputs(ws, year), ctx, read)
        exact_audit = metrics.tsm_audit(facts, metrics.year_period(year, ws.settings))
        exact_return = reports._return_figures(ctx, year, read)

        # each cell (a quarter's from the cases with a date in it, found in one look at each
        # case; the year's summed from its quarters') is as counted over its period directly
        period = metrics.year_period(year, ws.settings)
        table = metrics.quarterly_table(facts, period, ws.settings, ctx.calendar, as_of=as_of)
        if metrics.has_case_records(facts, period, as_of):
            for p in [*metrics.quarters(period), period]:
                clipped = metrics._clip(p, as_of)
                if clipped is None:
                    continue
                within = [f for f in facts if f.touches(clipped)]
                for row in table:
                    direct = metrics._row(row["key"], within, clipped, ws.settings, ctx.calendar)
                    assert row["cells"][p.key] == {**direct, "source": "cases"}, (row["key"], p.key)

        for use_cache in (False, True, True):  # the second with the cache: the answers kept
            fast = hcode.open_workspace(root, use_cache=use_cache, workers=2)
            assert fast.annual(year, as_of).figures == exact
            assert fast.tsm_audit(year, as_of).rows == exact_audit
            assert fast.tsm_return(year, as_of).figures == exact_return
