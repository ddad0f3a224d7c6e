"""The "as of" cut-off: a day after the as-of day has not happened yet. One function
(:func:`hcode.core.asof.known`) gives it; the milestones, the annual figures and
``dates.future`` all read it from there."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_core import CAL, CODE, complaint, ctx

from hcode.core import metrics
from hcode.core.asof import known
from hcode.core.milestones import _as_of, milestones
from hcode.core.model import Extension, Stage
from hcode.core.rules import check_case

AS_OF = date(2024, 6, 14)


@pytest.mark.parametrize(
    ("day", "as_of", "expected"),
    [
        (date(2024, 6, 13), AS_OF, date(2024, 6, 13)),  # the day before: known
        (date(2024, 6, 14), AS_OF, date(2024, 6, 14)),  # the as-of day itself: known
        (date(2024, 6, 15), AS_OF, None),  # the day after: not yet happened
        (date(2025, 6, 14), AS_OF, None),  # a year after
        (date(2023, 6, 14), AS_OF, date(2023, 6, 14)),  # a year before
        (None, AS_OF, None),  # no date written
        (date(2030, 1, 1), None, date(2030, 1, 1)),  # no cut-off: every date is known
        (None, None, None),
    ],
)
def test_known_by_hand(day: date | None, as_of: date | None, expected: date | None) -> None:
    assert known(day, as_of) == expected
    # the annual figures read the same cut-off
    assert metrics.Facts(complaint(), [], as_of).known(day) == expected


@pytest.mark.parametrize(
    ("responded", "status", "done"),
    [
        (date(2024, 6, 13), "missed", date(2024, 6, 13)),  # due 10 June: sent late, on 13 June
        (date(2024, 6, 14), "missed", date(2024, 6, 14)),  # sent on the as-of day: counts
        (date(2024, 6, 17), "overdue", None),  # sent after the as-of day: not sent yet on 14 June
    ],
)
def test_a_response_is_done_only_on_or_before_the_as_of_day(responded: date, status: str, done: date | None) -> None:
    s1 = Stage(1, acknowledged=date(2024, 5, 24), definition="Leak", responded=responded)
    case = complaint(received=date(2024, 5, 23), stage1=s1)
    (resp,) = [m for m in milestones(case, CODE, CAL, AS_OF) if m.event == "respond"]
    assert resp.due == date(2024, 6, 10)  # 24 May + 10 working days (27 May a bank holiday)
    assert (resp.status, resp.done) == (status, done)
    future = [f for f in check_case(case, ctx(AS_OF)) if f.rule == "dates.future"]
    assert [f.path for f in future] == ([("stage1", "responded")] if done is None else [])


_days = st.one_of(st.none(), st.integers(min_value=-40, max_value=40))


def _independent(d: date | None, as_of: date) -> date | None:
    """The cut-off read from its definition, apart from the code under test."""
    if d is None:
        return None
    return d if (as_of - d).days >= 0 else None


@settings(max_examples=300, deadline=None)
@given(
    offsets=st.tuples(_days, _days, _days, _days, _days, _days),
    notified=_days,
    as_of_shift=st.integers(min_value=-60, max_value=60),
)
def test_the_milestones_and_the_figures_read_the_same_cut_off(
    offsets: tuple[int | None, ...], notified: int | None, as_of_shift: int
) -> None:
    base = date(2024, 6, 3)
    as_of = base + timedelta(days=as_of_shift)

    def day(n: int | None) -> date | None:
        return None if n is None else base + timedelta(days=n)

    requested, acknowledged, logged, responded, withdrawn, ext_due = (day(n) for n in offsets)
    ext = Extension(due=ext_due or base, notified=day(notified), reason="Survey")
    stage = Stage(
        2,
        requested=requested,
        acknowledged=acknowledged,
        logged=logged,
        responded=responded,
        withdrawn=withdrawn,
        extension=ext,
    )
    seen = _as_of(stage, as_of)
    facts = metrics.Facts(complaint(stage2=stage), [], as_of)
    for field in ("requested", "acknowledged", "logged", "responded", "withdrawn"):
        written = getattr(stage, field)
        assert getattr(seen, field) == _independent(written, as_of), field
        assert facts.known(written) == _independent(written, as_of), field
    told = day(notified)
    assert (seen.extension is not None) == (told is None or _independent(told, as_of) is not None)


@pytest.mark.parametrize("as_of", [date(2024, 10, 15), date(2025, 7, 31)])
def test_the_tsm_audit_counts_what_the_tsm_counts(as_of: date) -> None:
    """``report tsm`` lists each complaint in or out of CH01/CH02 as known on the as-of day, so
    its rows add up to the TSMs of the annual report on that day. As of 15 October 2024: D (received
    2 December) and A's escalation (5 November) have not happened, and C's refusal (1 November)
    has not either, so C is still an accepted stage 1 complaint."""
    from hcode.core.model import Refusal, Settings

    settings = Settings(landlord="Test Homes", homes=500)
    a1 = Stage(1, acknowledged=date(2024, 5, 2), definition="x", responded=date(2024, 5, 10))
    a2 = Stage(2, requested=date(2024, 11, 5), acknowledged=date(2024, 11, 6), definition="y")
    b1 = Stage(1, acknowledged=date(2024, 9, 3), definition="x", responded=date(2024, 11, 20))
    refusal = Refusal(
        stage=1, date=date(2024, 11, 1), reason="legal-proceedings", explained=True, ombudsman_rights=True
    )
    cases = [
        complaint(id="A", received=date(2024, 5, 1), stage1=a1, stage2=a2),
        complaint(id="B", received=date(2024, 9, 2), stage1=b1),
        complaint(id="C", received=date(2024, 6, 3), refused=refusal),
        complaint(id="D", received=date(2024, 12, 2)),
    ]
    fs = metrics.facts(cases, CODE, CAL, as_of)
    tsm = metrics.annual(fs, "2024-25", settings, CAL, as_of=as_of)["tsm"]
    audit = metrics.tsm_audit(fs, metrics.year_period("2024-25", settings))
    for stage in (1, 2):
        rows = [r for r in audit if r.stage == stage]
        ch01, ch02 = tsm["CH01"][f"stage{stage}"], tsm["CH02"][f"stage{stage}"]
        assert sum(r.in_ch01 for r in rows) == ch01["numerator"], stage
        assert sum(r.in_ch02 for r in rows) == ch02["denominator"], stage
        assert sum(bool(r.in_ch02 and r.within_timescale) for r in rows) == ch02["numerator"], stage
    early = as_of < date(2024, 11, 1)
    in_ch01 = sorted(r.case for r in audit if r.stage == 1 and r.in_ch01)
    assert in_ch01 == (["A", "B", "C"] if early else ["A", "B", "D"])
    assert [r.case for r in audit if r.stage == 2] == ([] if early else ["A"])
