"""The pure core called as functions: no files, no command line. A small Code edition, a
calendar with its bank holidays given, and cases built in Python."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hcode.core import metrics, years
from hcode.core.calendar import WorkingCalendar
from hcode.core.milestones import milestones
from hcode.core.model import (
    Case,
    Code,
    Extension,
    Provision,
    Refusal,
    Section,
    Settings,
    Stage,
    Timescale,
)
from hcode.core.rules import Context, check_case, check_rules, handling, refusals
from hcode.core.rules.registry import rule

# Early May bank holiday 2024 and the spring bank holiday
HOLIDAYS = {date(2024, 5, 6): "Early May bank holiday", date(2024, 5, 27): "Spring bank holiday"}


def code() -> Code:
    """A cut-down edition: the four timescales, the extension caps and two named checks."""

    def p(pid: str, **kw: object) -> Provision:
        return Provision(id=pid, text=f"provision {pid}", section=int(pid.split(".")[0]), **kw)  # type: ignore[arg-type]

    return Code(
        code="test",
        title="Test Code",
        effective=date(2024, 4, 1),
        sections=(
            Section(
                6,
                "Stages",
                (
                    p("6.2", timescale=Timescale(1, "acknowledge", "received", 5)),
                    p("6.3", timescale=Timescale(1, "respond", "acknowledged", 10)),
                    p("6.4", timescale=Timescale(1, "extension", max_working_days=10)),
                    p("6.5", check="extension-ombudsman-details", check_stage=1),
                    p("6.11", timescale=Timescale(2, "acknowledge", "requested", 5)),
                    p("6.13", check="different-handler", check_stage=2),
                    p("6.14", timescale=Timescale(2, "respond", "acknowledged", 20)),
                ),
            ),
            Section(2, "Refusals", (p("2.3", check="refusal-time-limit"),)),
        ),
    )


CAL = WorkingCalendar(HOLIDAYS)
CODE = code()
SETTINGS = Settings(landlord="Test Homes", homes=500)


def ctx(as_of: date = date(2024, 12, 31)) -> Context:
    return Context(code=CODE, calendar=CAL, as_of=as_of, settings=SETTINGS)


def complaint(**kw: object) -> Case:
    base: dict[str, object] = {
        "id": "C-1",
        "file": "cases/C-1.yaml",
        "kind": "complaint",
        "received": date(2024, 5, 1),
        "category": "repairs",
    }
    base.update(kw)
    return Case(**base)  # type: ignore[arg-type]


def test_calendar_counts_from_day_zero_over_a_bank_holiday() -> None:
    assert CAL.add(date(2024, 5, 1), 5) == date(2024, 5, 9)  # 6 May skipped
    assert CAL.between(date(2024, 5, 1), date(2024, 5, 9)) == 5
    assert not CAL.is_working(date(2024, 5, 6))
    assert CAL.holiday_name(date(2024, 5, 6)) == "Early May bank holiday"


def test_milestones_due_dates_and_statuses() -> None:
    s1 = Stage(1, acknowledged=date(2024, 5, 2), definition="Leak", handler="H-1", responded=date(2024, 5, 20))
    ms = {(m.stage, m.event): m for m in milestones(complaint(stage1=s1), CODE, CAL, date(2024, 12, 31))}
    ack, resp = ms[(1, "acknowledge")], ms[(1, "respond")]
    assert (ack.provision, ack.due, ack.status) == ("6.2", date(2024, 5, 9), "met")
    assert (resp.provision, resp.start, resp.due) == ("6.3", date(2024, 5, 2), date(2024, 5, 17))
    assert resp.status == "missed"
    open_case = milestones(complaint(), CODE, CAL, date(2024, 5, 8))
    assert [(m.event, m.status) for m in open_case] == [("acknowledge", "due-soon"), ("respond", "open")]


def test_an_extension_told_in_time_moves_the_due_date() -> None:
    ext = Extension(due=date(2024, 5, 24), notified=date(2024, 5, 10), reason="Survey", ombudsman_details=True)
    s1 = Stage(1, acknowledged=date(2024, 5, 2), definition="Leak", extension=ext, responded=date(2024, 5, 23))
    (resp,) = [m for m in milestones(complaint(stage1=s1), CODE, CAL, date(2024, 12, 31)) if m.event == "respond"]
    assert resp.due == date(2024, 5, 24) and resp.status == "met"
    assert resp.extension is not None and resp.extension.counted and resp.extension.within_limit


def test_rules_as_functions() -> None:
    s1 = Stage(1, acknowledged=date(2024, 5, 2), handler="H-1", responded=date(2024, 5, 10))
    s2 = Stage(2, requested=date(2024, 5, 15), acknowledged=date(2024, 5, 16), definition="x", handler="h-1 ")
    case = complaint(stage1=s1, stage2=s2)
    found = list(handling.check(case, [], ctx()))
    # this edition ties no provision to the definition check: the finding carries the rule's name
    assert [(f.rule, f.severity) for f in found] == [("complaint-definition", "error"), ("6.13", "error")]
    assert found[1].path == ("stage2", "handler")
    # check_rules: only the rules asked for, as the case steps ask them
    assert [f.rule for f in check_rules(case, ctx(), ("different-handler",))] == ["6.13"]
    # every case rule, through the registry's families
    assert {f.rule for f in check_case(case, ctx())} >= {"complaint-definition", "6.13", "6.14"}


@pytest.mark.parametrize(
    ("issue", "expected"),
    [
        (date(2023, 5, 1), [("2.3", "error")]),  # 12 months to the day: still within
        (date(2023, 4, 30), []),
        (None, [("2.3", "warning")]),
    ],
)
def test_refusal_time_limit(issue: date | None, expected: list[tuple[str, str]]) -> None:
    refusal = Refusal(stage=1, date=date(2024, 5, 3), reason="over-12-months", explained=True, ombudsman_rights=True)
    case = complaint(issue_date=issue, refused=refusal)
    assert [(f.rule, f.severity) for f in refusals.check(case, [], ctx())] == expected
    assert years.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_rule_ids_follow_the_edition() -> None:
    assert rule("different-handler").ids(CODE) == ("6.13",)
    assert rule("refusal-explained").ids(CODE) == ("refusal-explained",)  # this edition ties no provision
    assert rule("acknowledge").ids(CODE) == ("6.2", "6.11")


def test_a_refusal_after_as_of_has_not_happened_yet() -> None:
    """As of a day before the refusal, the complaint was accepted and counts in CH01, as its
    milestones (overdue on that day) already say; once the refusal is dated, it does not."""
    refused = Refusal(
        stage=1, date=date(2024, 6, 20), reason="legal-proceedings", explained=True, ombudsman_rights=True
    )
    case = complaint(id="R", received=date(2024, 5, 1), refused=refused)
    year = metrics.year_period("2024-25", SETTINGS)
    before = metrics.facts([case], CODE, CAL, date(2024, 6, 1))
    assert before[0].accepted and {m.status for m in before[0].ms} == {"overdue"}
    assert metrics.tsm(before, year, SETTINGS.homes)["CH01"]["stage1"]["numerator"] == 1
    after = metrics.facts([case], CODE, CAL, date(2024, 7, 1))
    assert not after[0].accepted and after[0].ms == []
    assert metrics.tsm(after, year, SETTINGS.homes)["CH01"]["stage1"]["numerator"] == 0


def test_metrics_tsm_from_cases() -> None:
    on_time = Stage(1, acknowledged=date(2024, 5, 2), definition="x", responded=date(2024, 5, 10))
    late = Stage(1, acknowledged=date(2024, 5, 2), definition="x", responded=date(2024, 6, 28))
    refused = Refusal(stage=1, date=date(2024, 5, 3), reason="legal-proceedings", explained=True, ombudsman_rights=True)
    cases = [
        complaint(id="A", stage1=on_time),
        complaint(id="B", stage1=late, stage2=Stage(2, requested=date(2024, 7, 1))),
        complaint(id="C", refused=refused),  # not accepted: not counted
        complaint(id="D", received=date(2025, 4, 2)),  # another reporting year
        Case(id="S", file="cases/S.yaml", kind="service-request", received=date(2024, 5, 1), category="repairs"),
    ]
    fs = metrics.facts(cases, CODE, CAL, date(2025, 7, 31))
    year = metrics.year_period("2024-25", SETTINGS)
    assert (year.start, year.end) == (date(2024, 4, 1), date(2025, 3, 31))
    tsm = metrics.tsm(fs, year, SETTINGS.homes)
    assert tsm["CH01"]["stage1"] == {"value": 4.0, "numerator": 2, "denominator": 500, "source": "cases"}
    assert tsm["CH01"]["stage2"]["numerator"] == 1
    assert tsm["CH02"]["stage1"] == {
        "value": 50.0,
        "numerator": 1,
        "denominator": 2,
        "without_extension": 1,
        "with_extension": 0,
        "pending": 0,
        "source": "cases",
    }
    # B's escalation (made 1 July 2024) is unanswered and overdue on 31 July 2025: made, not in time
    assert {k: tsm["CH02"]["stage2"][k] for k in ("value", "numerator", "denominator", "pending")} == {
        "value": 0.0,
        "numerator": 0,
        "denominator": 1,
        "pending": 0,
    }
    assert years.year_containing(date(2025, 3, 31), SETTINGS.year_start).name == "2024-25"


def _events_by_path(node: object) -> list[tuple[object, object]]:
    """An independent reading of EVENT_PATHS: each path followed on its own, one at a time."""
    from hcode.core.rules.records import EVENT_PATHS

    found: list[tuple[object, object]] = []

    def follow(value: object, rest: tuple[object, ...], done: tuple[object, ...]) -> None:
        if value is None:
            return
        if not rest:
            found.append((done, value))
            return
        if rest[0] == "*":
            if isinstance(value, list):
                for i, item in enumerate(value):
                    follow(item, rest[1:], (*done, i))
            return
        follow(value.get(str(rest[0])) if isinstance(value, dict) else None, rest[1:], (*done, rest[0]))

    for path in EVENT_PATHS:
        follow(node, path, ())
    return found


_leaf = st.one_of(st.none(), st.dates(), st.text(max_size=3), st.integers())
_stage = st.fixed_dictionaries(
    {},
    optional={k: _leaf for k in ("requested", "acknowledged", "responded", "withdrawn", "outcome")}
    | {"extension": st.one_of(_leaf, st.fixed_dictionaries({}, optional={"notified": _leaf, "due": _leaf}))},
)
_case_doc = st.fixed_dictionaries(
    {},
    optional={
        "received": _leaf,
        "resolved": _leaf,
        "stage1": st.one_of(_leaf, _stage),
        "stage2": st.one_of(_leaf, _stage),
        "refused": st.one_of(_leaf, st.fixed_dictionaries({}, optional={"date": _leaf})),
        "ombudsman": st.fixed_dictionaries(
            {}, optional={k: _leaf for k in ("referred", "determined", "failure_order")}
        ),
        "remedy": st.fixed_dictionaries(
            {},
            optional={
                "actions": st.one_of(
                    _leaf, st.lists(st.one_of(_leaf, st.fixed_dictionaries({}, optional={"done": _leaf})), max_size=3)
                )
            },
        ),
    },
)


@settings(max_examples=300, deadline=None)
@given(_case_doc)
def test_event_values_follow_every_event_path_in_order(doc: dict[str, object]) -> None:
    from hcode.core.rules.records import event_values

    def child(node: object, key: str) -> object:
        return node.get(key) if isinstance(node, dict) else None

    assert list(event_values(doc, child)) == _events_by_path(doc)


def _as_record(value: object) -> object:
    """A parsed case file as objects read by attribute (as records are): mappings become
    namespaces, lists stay lists."""
    from types import SimpleNamespace

    if isinstance(value, dict):
        return SimpleNamespace(**{k: _as_record(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_as_record(v) for v in value]
    return value


@settings(max_examples=300, deadline=None)
@given(_case_doc)
def test_event_values_of_a_record_follow_every_event_path_in_order(doc: dict[str, object]) -> None:
    """A record's events are read by a function written out from EVENT_PATHS: the same events in
    the same order as following each path on its own."""
    from hcode.core.rules.records import _attr, event_values

    assert event_values(_as_record(doc), _attr) == [(path, _as_record(v)) for path, v in _events_by_path(doc)]


def test_event_values_of_the_example_cases_are_the_generic_walks() -> None:
    from conftest import EXAMPLE
    from hcode.core.rules.records import _attr, event_values
    from hcode.store.reader import Store

    store = Store.open(EXAMPLE, use_cache=False)
    cases = store.cases(store.context(date(2025, 7, 31))).items
    assert len(cases) > 20
    for case in cases:
        generic = event_values(case, lambda node, key: getattr(node, key, None))
        assert event_values(case, _attr) == generic and generic
