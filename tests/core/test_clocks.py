"""Each edition's clocks, and each complaint judged by the edition in force when it arrived.

Every expected date was counted by hand on a calendar (England and Wales bank holidays); the
comment beside each shows the count. 2020 and 2022 clocks are those their catalogues give
(see docs/conventions.md for the sources and which are confirmed).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import holidays
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, check_json, make_ws, run
from hcode.core.calendar import WorkingCalendar, uk_bank_holidays
from hcode.core.editions import Editions
from hcode.core.milestones import Milestone, milestones
from hcode.core.model import Case, Extension, Stage
from hcode.store.workspace import WorkspaceError, load_code, load_editions

AUTO = load_editions(None, "auto")
CAL = WorkingCalendar(uk_bank_holidays("england-and-wales"))
AUTO_CONFIG = "hcode: 1\nlandlord: Test Homes\nhomes: 100\ncode: auto\n"


def ms_of(
    case: Case, judge: Editions | Any = AUTO, as_of: date = date(2026, 1, 31)
) -> dict[tuple[int, str], Milestone]:
    return {(m.stage, m.event): m for m in milestones(case, judge, CAL, as_of)}


def complaint(received: str, s1: Stage | None = None, s2: Stage | None = None) -> Case:
    return Case(
        id="C-1",
        file="cases/C-1.yaml",
        kind="complaint",
        received=date.fromisoformat(received),
        category="repairs",
        stage1=s1,
        stage2=s2,
    )


def d(text: str) -> date:
    return date.fromisoformat(text)


# -- the catalogues ------------------------------------------------------------------------------


def test_every_edition_has_every_clock_with_a_source() -> None:
    for code in AUTO.codes:
        found = {(t.stage, t.event) for t in code.clocks + code.not_judged}
        assert found == {(s, e) for s in (1, 2) for e in ("acknowledge", "respond", "extension")}, code.code
        for t in code.clocks + code.not_judged:
            assert t.source, (code.code, t.stage, t.event)
            assert t.confirmed is False or t.quote, (code.code, t.stage, t.event)


def test_what_differs_between_editions_is_data() -> None:
    c2020, c2022, c2024 = (AUTO.get(n) for n in ("hoc-2020", "hoc-2022", "hoc-2024"))
    assert c2020 is not None and c2022 is not None and c2024 is not None
    # what the stage 2 response runs from
    respond2 = [c.timescale(2, "respond") for c in (c2020, c2022, c2024)]
    assert [t.start if t else None for t in respond2] == [
        "requested",
        "requested",
        "acknowledged",
    ]
    # extension caps: calendar days before 2024, working days in 2024
    assert [c.timescale(2, "extension").cap for c in (c2020, c2022, c2024)] == [(10, False), (10, False), (20, True)]  # type: ignore[union-attr]
    # the 2020 form's "within five days": calendar days
    assert c2020.timescale(1, "acknowledge").length == (5, False)  # type: ignore[union-attr]
    # and the 2022 Code's 4.1 "within five days of receipt": calendar days too
    assert c2022.timescale(1, "acknowledge").length == (5, False)  # type: ignore[union-attr]
    assert c2022.timescale(1, "acknowledge").provision == "4.1"  # type: ignore[union-attr]
    # confirmed from the Code's text: every 2024 clock, the 2022 stage 1 clocks
    assert all(t.confirmed for t in c2024.clocks)
    assert [(t.stage, t.event) for t in c2022.clocks if t.confirmed] == [
        (1, "acknowledge"),
        (1, "respond"),
        (1, "extension"),
    ]
    assert not any(t.confirmed for t in c2020.clocks)


def test_in_force() -> None:
    assert AUTO.in_force(d("2020-08-31")) is None  # 1 July 2020 had no support: 1 September 2020
    assert AUTO.in_force(d("2020-09-01")).code == "hoc-2020"  # type: ignore[union-attr]
    assert AUTO.in_force(d("2022-03-31")).code == "hoc-2020"  # type: ignore[union-attr]
    assert AUTO.in_force(d("2022-04-01")).code == "hoc-2022"  # type: ignore[union-attr]
    assert AUTO.in_force(d("2024-03-31")).code == "hoc-2022"  # type: ignore[union-attr]
    assert AUTO.in_force(d("2024-04-01")).code == "hoc-2024"  # type: ignore[union-attr]


# -- hand-worked tables, one per edition ----------------------------------------------------------

# (edition, received, acknowledged, ack due, response due)
TABLE = [
    # 2020: received Mon 7 Jun 2021; "within five days": Sat 12 Jun. Logged (acknowledged) Fri 11
    # Jun; 10 working days: 14,15,16,17,18,21,22,23,24,25 -> Fri 25 Jun.
    ("hoc-2020", "2021-06-07", "2021-06-11", "2021-06-12", "2021-06-25"),
    # 2020 over a bank holiday: received Fri 27 Aug 2021; five days: Wed 1 Sep (Mon 30 Aug
    # counts, calendar days). Acknowledged Tue 31 Aug; 10 working days: Sep 1,2,3,6,7,8,9,10,13,14.
    ("hoc-2020", "2021-08-27", "2021-08-31", "2021-09-01", "2021-09-14"),
    # 2022: received Thu 4 May 2023; 4.1 "within five days of receipt", calendar days: Tue 9 May
    # (the coronation holiday on Mon 8 counts). Logged (acknowledged) Wed 10 May; 10 working days:
    # 11,12,15,16,17,18,19,22,23,24 -> Wed 24 May.
    ("hoc-2022", "2023-05-04", "2023-05-10", "2023-05-09", "2023-05-24"),
    # 2024: received Mon 2 Jun 2025; 5 working days: 3,4,5,6,9 -> Mon 9 Jun. Acknowledged Wed 4
    # Jun; 10 working days: 5,6,9,10,11,12,13,16,17,18 -> Wed 18 Jun.
    ("hoc-2024", "2025-06-02", "2025-06-04", "2025-06-09", "2025-06-18"),
]


@pytest.mark.parametrize(("edition", "received", "ack", "ack_due", "resp_due"), TABLE)
def test_stage1_clocks_by_edition(edition: str, received: str, ack: str, ack_due: str, resp_due: str) -> None:
    found = ms_of(complaint(received, Stage(1, acknowledged=d(ack))))
    assert found[(1, "acknowledge")].edition == edition
    assert found[(1, "acknowledge")].due == d(ack_due)
    assert found[(1, "respond")].edition == edition
    assert found[(1, "respond")].due == d(resp_due)


def test_2020_acknowledgement_counts_calendar_days() -> None:
    # received Mon 7 Jun 2021, acknowledged Mon 14 Jun: 2 days after Sat 12 Jun under the 2020
    # form's five days; on time under the 2024 Code (5 working days: 8,9,10,11,14 -> 14 Jun).
    case = complaint("2021-06-07", Stage(1, acknowledged=d("2021-06-14")))
    ack = ms_of(case)[(1, "acknowledge")]
    assert (ack.due, ack.status, ack.working) == (d("2021-06-12"), "missed", False)
    ack24 = ms_of(case, load_code(None, "hoc-2024"))[(1, "acknowledge")]
    assert (ack24.due, ack24.status) == (d("2021-06-14"), "met")


def issue_stage2(responded: str, extension: Extension | None = None) -> Case:
    """The issue's case: stage 2 requested Thu 1 Jun 2023, acknowledged Thu 8 Jun."""
    s1 = Stage(1, acknowledged=d("2023-05-10"), responded=d("2023-05-24"), outcome="not-upheld")
    s2 = Stage(2, requested=d("2023-06-01"), acknowledged=d("2023-06-08"), responded=d(responded), extension=extension)
    return complaint("2023-05-04", s1, s2)


def test_2022_stage2_counts_from_the_escalation_request() -> None:
    # 20 working days from Thu 1 Jun 2023: Jun 2 (1), 5-9 (6), 12-16 (11), 19-23 (16), 26,27,28,29
    # (20) -> Thu 29 Jun. Sent Wed 5 Jul: late (Jun 30, Jul 3, 4, 5: 4 working days).
    resp = ms_of(issue_stage2("2023-07-05"))[(2, "respond")]
    assert (resp.edition, resp.start, resp.due, resp.status) == ("hoc-2022", d("2023-06-01"), d("2023-06-29"), "missed")
    # the 2024 Code counts from the acknowledgement (Thu 8 Jun): 9, 12-16, 19-23, 26-30, Jul 3,
    # 4, 5, 6 -> Thu 6 Jul, so the same response would be met: the old answer
    old = ms_of(issue_stage2("2023-07-05"), load_code(None, "hoc-2024"))[(2, "respond")]
    assert (old.due, old.status) == (d("2023-07-06"), "met")


def test_2022_extension_of_15_working_days_exceeds_a_further_10_days() -> None:
    # original due Thu 29 Jun 2023; extended by 15 working days to Thu 20 Jul (Jun 30, Jul 3-7,
    # 10-14, 17, 18, 19, 20): 21 calendar days, over "a further 10 days" without good reason, so
    # the response is judged against 29 Jun + 10 days = Sun 9 Jul
    ext = Extension(due=d("2023-07-20"), notified=d("2023-06-20"), reason="Survey")
    resp = ms_of(issue_stage2("2023-07-20", ext))[(2, "respond")]
    assert resp.extension is not None
    assert (resp.extension.length, resp.extension.unit, resp.extension.within_limit) == (21, "days", False)
    assert (resp.due, resp.status) == (d("2023-07-09"), "missed")
    # with a good reason the whole extension counts
    good = Extension(due=d("2023-07-20"), notified=d("2023-06-20"), reason="Survey", good_reason="Contractor")
    assert ms_of(issue_stage2("2023-07-20", good))[(2, "respond")].status == "met"


def test_stage1_extension_in_calendar_days_and_in_working_days() -> None:
    # received Thu 4 May 2023, acknowledged Wed 10 May: response due Wed 24 May. Extended (told
    # Mon 22 May) to Tue 6 Jun: 13 calendar days (over 2022's "further 10 days": judged against
    # Sat 3 Jun), but 8 working days (25, 26, 30, 31, Jun 1, 2, 5, 6; 29 May a bank holiday):
    # within the 2024 Code's 10.
    ext = Extension(due=d("2023-06-06"), notified=d("2023-05-22"), reason="Survey")
    case = complaint("2023-05-04", Stage(1, acknowledged=d("2023-05-10"), responded=d("2023-06-06"), extension=ext))
    r22 = ms_of(case)[(1, "respond")]
    assert r22.extension is not None
    assert (r22.extension.length, r22.extension.working, r22.due, r22.status) == (13, False, d("2023-06-03"), "missed")
    r24 = ms_of(case, load_code(None, "hoc-2024"))[(1, "respond")]
    assert r24.extension is not None
    assert (r24.extension.length, r24.extension.working, r24.due, r24.status) == (8, True, d("2023-06-06"), "met")


# -- a complaint straddling 1 April 2024 at stage 2 ----------------------------------------------


def straddling(requested: str, ack: str, responded: str) -> Case:
    s1 = Stage(1, acknowledged=d("2024-02-07"), responded=d("2024-02-20"), outcome="not-upheld")
    s2 = Stage(2, requested=d(requested), acknowledged=d(ack), responded=d(responded))
    return complaint("2024-02-05", s1, s2)


def test_stage2_requested_before_1_april_2024_is_judged_by_2022() -> None:
    # requested Thu 28 Mar 2024: acknowledgement due (Good Friday 29 Mar, Easter Monday 1 Apr)
    # 2,3,4,5,8 -> Mon 8 Apr; response 20 working days from the request: Apr 2-5 (4), 8-12 (9),
    # 15-19 (14), 22-26 (19), 29 (20) -> Mon 29 Apr. Sent Wed 1 May: missed.
    found = ms_of(straddling("2024-03-28", "2024-04-08", "2024-05-01"))
    assert found[(1, "respond")].edition == "hoc-2022"
    # no 2022 provision sets a stage 2 acknowledgement deadline: not judged unless opted in
    assert (2, "acknowledge") not in found
    resp = found[(2, "respond")]
    assert (resp.edition, resp.due, resp.status) == ("hoc-2022", d("2024-04-29"), "missed")
    opted = ms_of(
        straddling("2024-03-28", "2024-04-08", "2024-05-01"), AUTO.opting_in(["hoc-2022 stage 2 acknowledge"])
    )
    assert (opted[(2, "acknowledge")].edition, opted[(2, "acknowledge")].due) == ("hoc-2022", d("2024-04-08"))


def test_the_2022_stage_2_acknowledgement_is_judged_only_when_opted_in(tmp_path: Path) -> None:
    """Requested Thu 28 Mar 2024, acknowledged Tue 9 Apr: a day after the 5 working days (Mon 8
    Apr) that no 2022 provision sets. Not a finding unless hcode.yaml opts in; check says once,
    where the 2022 Code judged something (here the stage 1 response, due Tue 19 Mar, sent Wed 20),
    why it is not judged."""
    text = case_doc(
        "C-2024-0001",
        "2024-03-04",
        {"acknowledged": "2024-03-05", "responded": "2024-03-20", "outcome": "not-upheld"},
        {"requested": "2024-03-28", "acknowledged": "2024-04-09", "responded": "2024-04-26", "outcome": "upheld"},
    )
    ws = make_ws(tmp_path, {"cases/C-2024-0001.yaml": text}, config=AUTO_CONFIG)
    doc = check_json(ws, "2024-12-31")
    assert [f["rule"] for f in doc["findings"] if f["subject"] == "C-2024-0001"] == ["5.1"]
    said = [f["message"] for f in doc["findings"] if f["rule"] == "code.unconfirmed" and f["subject"] == "hoc-2022"]
    assert len(said) == 1 and said[0].count("no hoc-2022 provision sets a stage 2 acknowledgement deadline") == 1
    assert "opt_in_clocks: ['hoc-2022 stage 2 acknowledge']" in said[0]
    (ws / "hcode.yaml").write_text(AUTO_CONFIG + "opt_in_clocks: [hoc-2022 stage 2 acknowledge]\n")
    doc = check_json(ws, "2024-12-31")
    late = sorted((f["rule"], f["due"]) for f in doc["findings"] if f["subject"] == "C-2024-0001")
    assert late == [("5.1", "2024-03-19"), ("acknowledge", "2024-04-08")]
    said = [f["message"] for f in doc["findings"] if f["rule"] == "code.unconfirmed" and f["subject"] == "hoc-2022"]
    assert "no hoc-2022 provision sets" not in said[0]


def test_stage2_requested_after_1_april_2024_is_judged_by_2024() -> None:
    # requested Tue 2 Apr 2024: acknowledgement due 3,4,5,8,9 -> Tue 9 Apr; acknowledged 9 Apr;
    # response 20 working days after it: 10-12 (3), 15-19 (8), 22-26 (13), 29, 30, May 1-3 (18),
    # (6 May bank holiday) 7, 8 -> Wed 8 May. Sent 8 May: met. Stage 1 stays with 2022.
    found = ms_of(straddling("2024-04-02", "2024-04-09", "2024-05-08"))
    assert found[(1, "acknowledge")].edition == "hoc-2022"
    resp = found[(2, "respond")]
    assert (resp.edition, resp.provision, resp.start, resp.due, resp.status) == (
        "hoc-2024",
        "6.14",
        d("2024-04-09"),
        d("2024-05-08"),
        "met",
    )


def test_before_the_earliest_edition_is_not_judged() -> None:
    assert ms_of(complaint("2020-06-30", Stage(1, acknowledged=d("2020-07-20")))) == {}


# -- property: the milestones agree with an independent count ------------------------------------

_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG", years=range(2020, 2028))


# (from, working days) for the stage 1 acknowledgement and response, and the stage 2 response,
# written out here from the Codes' words rather than read from the catalogues
class _Clocks(NamedTuple):
    """(days, working days?) for each clock; stage 2's response also names what it runs from."""

    ack: tuple[int, bool]
    respond1: tuple[int, bool]
    respond2: tuple[str, int, bool]


_EXPECTED = {
    "hoc-2020": _Clocks(ack=(5, False), respond1=(10, True), respond2=("requested", 20, True)),
    "hoc-2022": _Clocks(ack=(5, False), respond1=(10, True), respond2=("requested", 20, True)),
    "hoc-2024": _Clocks(ack=(5, True), respond1=(10, True), respond2=("acknowledged", 20, True)),
}


def _naive_add(start: date, n: int, working: bool) -> date:
    if not working:
        return start + timedelta(days=n)
    day, left = start, n
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in _HOLIDAYS:
            left -= 1
    return day


def _naive_edition(day: date) -> str | None:
    if day >= date(2024, 4, 1):
        return "hoc-2024"
    if day >= date(2022, 4, 1):
        return "hoc-2022"
    if day >= date(2020, 9, 1):
        return "hoc-2020"
    return None


@settings(max_examples=300, deadline=None)
@given(
    received=st.dates(date(2020, 6, 1), date(2026, 6, 30)),
    ack_after=st.integers(0, 12),
    request_after=st.integers(15, 120),
    ack2_after=st.integers(0, 9),
)
def test_milestones_match_an_independent_count(
    received: date, ack_after: int, request_after: int, ack2_after: int
) -> None:
    ack = received + timedelta(days=ack_after)
    requested = received + timedelta(days=request_after)
    ack2 = requested + timedelta(days=ack2_after)
    s1 = Stage(1, acknowledged=ack, responded=received + timedelta(days=14), outcome="upheld")
    s2 = Stage(2, requested=requested, acknowledged=ack2)
    found = ms_of(complaint(received.isoformat(), s1, s2), as_of=date(2027, 12, 31))
    first, second = _naive_edition(received), _naive_edition(requested)
    if first is None:
        assert (1, "acknowledge") not in found
    else:
        n, working = _EXPECTED[first].ack
        ack_due = _naive_add(received, n, working)
        assert found[(1, "acknowledge")].due == ack_due
        assert found[(1, "acknowledge")].edition == first
        n, working = _EXPECTED[first].respond1
        assert found[(1, "respond")].due == _naive_add(ack, n, working)
    if second is None:
        assert (2, "respond") not in found
    else:
        start_event, n, working = _EXPECTED[second].respond2
        start = requested if start_event == "requested" else ack2
        assert found[(2, "respond")].due == _naive_add(start, n, working)
        assert found[(2, "respond")].edition == second


# -- the command line: a workspace with complaints from 2021, 2023 and 2025 ------------------------


def case_doc(cid: str, received: str, s1: dict[str, Any], s2: dict[str, Any] | None = None) -> str:
    doc: dict[str, Any] = {"id": cid, "kind": "complaint", "received": received, "category": "repairs"}
    doc["stage1"] = {"definition": "Leak", "handler": "H-1", **s1}
    if s2 is not None:
        doc["stage2"] = {"definition": "Still leaking", "handler": "H-2", **s2}
    return yaml.safe_dump(doc, sort_keys=False)


THREE_YEARS = {
    # 2021 (hoc-2020): acknowledged Mon 14 Jun, 2 days after the 2020 form's five days (Sat 12)
    "cases/C-2021-0001.yaml": case_doc(
        "C-2021-0001", "2021-06-07", {"acknowledged": "2021-06-14", "responded": "2021-06-25", "outcome": "upheld"}
    ),
    # 2023 (hoc-2022): the issue's stage 2, sent 5 Jul against 29 Jun (stage 1 acknowledged Tue 9
    # May, the fifth day after receipt under 4.1; answered Tue 23 May, 10 working days later)
    "cases/C-2023-0001.yaml": case_doc(
        "C-2023-0001",
        "2023-05-04",
        {"acknowledged": "2023-05-09", "responded": "2023-05-23", "outcome": "not-upheld"},
        {"requested": "2023-06-01", "acknowledged": "2023-06-08", "responded": "2023-07-05", "outcome": "upheld"},
    ),
    # 2025 (hoc-2024): response due Wed 18 Jun, sent Fri 20 Jun
    "cases/C-2025-0001.yaml": case_doc(
        "C-2025-0001", "2025-06-02", {"acknowledged": "2025-06-04", "responded": "2025-06-20", "outcome": "upheld"}
    ),
}


def test_check_judges_each_complaint_by_its_own_edition(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, THREE_YEARS, config=AUTO_CONFIG)
    doc = check_json(ws, "2025-12-31")
    got = sorted(
        (f["subject"], f["rule"], f["severity"], f.get("edition"), f.get("due"), f.get("actual"))
        for f in doc["findings"]
        if f["subject"] != "self-assessment"
    )
    assert got == [
        ("C-2021-0001", "4.3", "error", "hoc-2020", "2021-06-12", "2021-06-14"),
        ("C-2023-0001", "respond", "error", "hoc-2022", "2023-06-29", "2023-07-05"),
        ("C-2025-0001", "6.3", "error", "hoc-2024", "2025-06-18", "2025-06-20"),
        ("hoc-2020", "code.unconfirmed", "info", None, None, None),
        ("hoc-2022", "code.unconfirmed", "info", None, None, None),
    ]
    messages = {f["subject"]: f["message"] for f in doc["findings"] if f["rule"] != "code.unconfirmed"}
    assert messages["C-2021-0001"].startswith(
        "stage 1 acknowledgement 2021-06-14 is 2 days after the due date 2021-06-12"
    )
    assert "not confirmed" in messages["C-2021-0001"]
    assert messages["C-2023-0001"].startswith(
        "stage 2 response 2023-07-05 is 4 working days after the due date 2023-06-29"
    )
    assert "not confirmed" not in messages["C-2025-0001"]
    # no "judged against hoc-2024 all the same" where auto picks the right edition
    assert not [f for f in doc["findings"] if f["rule"] == "code.edition"]
    # the text output names the edition of every finding
    text = run("check", ws, "--as-of", "2025-12-31").stdout
    assert "Judged by date (code: auto)" in text
    assert "(Code 4.3, hoc-2020)" in text and "(respond, hoc-2022)" in text and "(Code 6.3, hoc-2024)" in text


def test_one_named_edition_judges_everything_as_before(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, THREE_YEARS)  # no code: in hcode.yaml means hoc-2024
    doc = check_json(ws, "2025-12-31")
    got = sorted(
        (f["subject"], f["rule"], f["severity"], f.get("edition"))
        for f in doc["findings"]
        if f["subject"] != "self-assessment"
    )
    assert got == [
        ("C-2021-0001", "code.edition", "info", "hoc-2024"),
        ("C-2023-0001", "code.edition", "info", "hoc-2024"),
        ("C-2025-0001", "6.3", "error", "hoc-2024"),
    ]


def test_due_and_case_show_name_the_edition(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, THREE_YEARS, config=AUTO_CONFIG)
    rows = json.loads(run("due", ws, "--as-of", "2025-12-31", "--all", "--format", "json").stdout)["milestones"]
    by = {(r["case"], r["stage"], r["event"]): r for r in rows}
    ack = by[("C-2021-0001", 1, "acknowledge")]
    assert (ack["edition"], ack["working_days"], ack["days"], ack["confirmed"]) == ("hoc-2020", None, 5, False)
    resp = by[("C-2023-0001", 2, "respond")]
    assert (resp["edition"], resp["from"], resp["counted_from"], resp["due"]) == (
        "hoc-2022",
        "2023-06-01",
        "requested",
        "2023-06-29",
    )
    assert by[("C-2025-0001", 1, "respond")]["edition"] == "hoc-2024"
    shown = run("case", "show", "C-2023-0001", "--workspace", ws, "--as-of", "2025-12-31").stdout
    assert "judged by date (code: auto): stage 1 by hoc-2022 (in force from 2022-04-01)" in shown
    assert "  Stage 2 response (hoc-2022): MISSED" in shown
    shown = run("case", "show", "C-2021-0001", "--workspace", ws, "--as-of", "2025-12-31").stdout
    assert "5 days after received 2021-06-07 (day 0; calendar days: every day counts)" in shown


def test_annual_figures_use_each_editions_judgement(tmp_path: Path) -> None:
    # the issue's stage 2 response (sent 5 Jul 2023) is late under 2022 and on time under 2024
    files = {"cases/C-2023-0001.yaml": THREE_YEARS["cases/C-2023-0001.yaml"]}
    auto = make_ws(tmp_path / "auto", files, config=AUTO_CONFIG)
    fixed = make_ws(tmp_path / "fixed", files)

    def stage2_within(ws: Path) -> Any:
        out = run("report", "annual", ws, "--year", "2023-24", "--format", "json", "--as-of", "2024-07-31")
        assert out.exit_code == 0, out.stderr
        return json.loads(out.stdout)["tsm"]["CH02"]["stage2"]

    assert stage2_within(auto)["numerator"] == 0
    assert stage2_within(fixed)["numerator"] == 1


# -- bad input ----------------------------------------------------------------------------------


def test_unknown_edition_lists_the_known_ones(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {}, config="hcode: 1\nlandlord: T\ncode: hoc-2021\n")
    result = run("check", ws)
    assert result.exit_code == 3
    assert "unknown Code edition 'hoc-2021'" in result.stderr
    assert "hoc-2020, hoc-2022, hoc-2024" in result.stderr and "auto" in result.stderr
    with pytest.raises(WorkspaceError):
        load_editions(ws, "hoc-2021")


def test_case_before_the_earliest_edition_is_not_judged(tmp_path: Path) -> None:
    text = case_doc("C-1", "2020-05-01", {"acknowledged": "2020-06-30", "responded": "2020-08-30", "outcome": "upheld"})
    ws = make_ws(tmp_path, {"cases/C-1.yaml": text}, config=AUTO_CONFIG)
    doc = check_json(ws, "2025-12-31")
    found = [f for f in doc["findings"] if f["subject"] != "self-assessment"]
    assert [(f["rule"], f["severity"]) for f in found] == [("code.edition", "info")]
    message = found[0]["message"]
    assert "before the earliest Code edition hcode knows (hoc-2020, in force from 2020-09-01)" in message
    assert "not judged" in message


def test_workspace_copy_of_a_shipped_edition_is_used_with_a_note(tmp_path: Path) -> None:
    shipped = (ROOT / "provisions" / "hoc-2024.yaml").read_text("utf-8")
    changed = shipped.replace("    working_days: 10\n", "    working_days: 8\n", 1)  # 6.3: 8 working days
    assert changed != shipped
    text = case_doc("C-1", "2025-06-02", {"acknowledged": "2025-06-04", "responded": "2025-06-16", "outcome": "upheld"})
    ws = make_ws(tmp_path, {"cases/C-1.yaml": text, "provisions/hoc-2024.yaml": changed}, config=AUTO_CONFIG)
    doc = check_json(ws, "2025-12-31")
    doc["findings"] = [f for f in doc["findings"] if f["subject"] != "self-assessment"]
    got = sorted((f["rule"], f["severity"], f.get("due")) for f in doc["findings"])
    # 8 working days from Wed 4 Jun 2025: 5,6,9,10,11,12,13,16 -> 16 Jun (met); 10 would be 18 Jun
    assert got == [("code.catalogue", "info", None), ("code.modified", "warning", None)]
    note = next(f for f in doc["findings"] if f["rule"] == "code.catalogue")
    assert note["file"] == "provisions/hoc-2024.yaml" and "the workspace's copy is used" in note["message"]
    bent = next(f for f in doc["findings"] if f["rule"] == "code.modified")
    assert "6.3: 8 working days; the Code says 10 working days" in bent["message"]
    # the cache never serves the result judged under the other catalogue
    (ws / "provisions" / "hoc-2024.yaml").write_text(
        shipped.replace("    working_days: 10\n", "    working_days: 7\n", 1)
    )
    again = check_json(ws, "2025-12-31")
    assert sorted(f["rule"] for f in again["findings"] if f["subject"] != "self-assessment") == [
        "6.3",
        "code.catalogue",
        "code.modified",
    ]


def test_the_cache_follows_a_change_of_edition(tmp_path: Path) -> None:
    files = {"cases/C-2023-0001.yaml": THREE_YEARS["cases/C-2023-0001.yaml"]}
    ws = make_ws(tmp_path, files)

    def rules() -> list[str]:
        return sorted(f["rule"] for f in check_json(ws, "2025-12-31")["findings"] if f["subject"] != "self-assessment")

    assert rules() == ["code.edition"]
    assert rules() == ["code.edition"]  # served from the cache
    (ws / "hcode.yaml").write_text(AUTO_CONFIG)
    assert rules() == ["code.unconfirmed", "respond"]
    (ws / "hcode.yaml").write_text("hcode: 1\nlandlord: Test Homes\nhomes: 100\ncode: hoc-2022\n")
    assert rules() == ["code.unconfirmed", "respond"]


def test_a_catalogue_giving_both_kinds_of_days_is_refused(tmp_path: Path) -> None:
    shipped = (ROOT / "provisions" / "hoc-2024.yaml").read_text("utf-8")
    both = shipped.replace("    working_days: 10\n", "    working_days: 10\n    days: 14\n", 1)
    ws = make_ws(tmp_path, {"provisions/hoc-2024.yaml": both}, config="hcode: 1\nlandlord: T\ncode: hoc-2024\n")
    result = run("check", ws)
    assert result.exit_code == 3
    assert "both working_days and days" in result.stderr


def test_init_writes_code_auto(tmp_path: Path) -> None:
    result = run("init", tmp_path / "new", "--landlord", "New Homes")
    assert result.exit_code == 0, result.stderr
    config = yaml.safe_load((tmp_path / "new" / "hcode.yaml").read_text())
    assert config["code"] == "auto"


def test_sarif_keeps_each_editions_rules_apart(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, THREE_YEARS, config=AUTO_CONFIG)
    doc = json.loads(run("check", ws, "--as-of", "2025-12-31", "--format", "sarif").stdout)
    run_ = doc["runs"][0]
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    assert {"hoc-2020/4.3", "hoc-2022/respond", "6.3"} <= set(rules)
    assert (
        rules["hoc-2020/4.3"]["fullDescription"]["text"]
        == "Are all complaints acknowledged and logged within five days?"
    )
    assert rules["6.3"]["fullDescription"]["text"].startswith("Landlords must issue a full response to stage 1")
    editions = {r["ruleId"]: r["properties"]["edition"] for r in run_["results"] if "properties" in r}
    assert editions["hoc-2020/4.3"] == "hoc-2020" and editions["6.3"] == "hoc-2024"
    gh = run("check", ws, "--as-of", "2025-12-31", "--format", "github").stdout
    assert "title=hcode Code 4.3 (hoc-2020)" in gh


def test_case_steps_name_the_edition_under_auto(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {}, config=AUTO_CONFIG)
    made = run("case", "new", "--received", "2023-05-04", "--category", "repairs", "-w", ws)
    assert made.exit_code == 0, made.stderr
    # 4.1 "within five days of receipt", calendar days, from Thu 4 May 2023: Tue 9 May
    assert "Next: stage 1 acknowledgement due 2023-05-09 (Code 4.1, hoc-2022)" in made.stdout


def test_a_logged_date_starts_the_2022_response_clock() -> None:
    # received Thu 4 May 2023, logged the same day, acknowledged Wed 10 May: the 2022 Code counts
    # 10 working days from logging: 5, (8 May holiday) 9, 10, 11, 12, 15, 16, 17, 18, 19 -> Fri 19
    # May (from the acknowledgement it would be Wed 24 May)
    case = complaint("2023-05-04", Stage(1, acknowledged=d("2023-05-10"), logged=d("2023-05-04")))
    resp = ms_of(case)[(1, "respond")]
    assert (resp.start_event, resp.start, resp.due) == ("logged", d("2023-05-04"), d("2023-05-19"))
    # the 2024 Code counts from the acknowledgement whatever the logged date
    assert ms_of(case, load_code(None, "hoc-2024"))[(1, "respond")].due == d("2023-05-24")


def test_logged_before_receipt_is_out_of_order(tmp_path: Path) -> None:
    text = case_doc("C-1", "2023-05-04", {"logged": "2023-05-03", "acknowledged": "2023-05-05"})
    ws = make_ws(tmp_path, {"cases/C-1.yaml": text}, config=AUTO_CONFIG)
    found = [f for f in check_json(ws, "2023-05-06")["findings"] if f["rule"] == "dates.order"]
    assert [f["message"] for f in found] == ["stage 1 logged 2023-05-03 before it was received 2023-05-04"]


@settings(max_examples=300, deadline=None)
@given(
    original=st.dates(date(2020, 7, 1), date(2026, 6, 30)),
    extra=st.integers(1, 45),
    stage=st.sampled_from([1, 2]),
    edition=st.sampled_from(["hoc-2020", "hoc-2022", "hoc-2024"]),
)
def test_extension_caps_match_an_independent_count(original: date, extra: int, stage: int, edition: str) -> None:
    from hcode.core.milestones import judge_extension

    code = AUTO.get(edition)
    assert code is not None
    cap = code.timescale(stage, "extension").cap  # type: ignore[union-attr]
    assert cap is not None
    limit, working = cap
    # the caps written out from the Codes' words: 2024 10/20 working days, before 2024 10 days
    assert cap == ((10 if stage == 1 else 20, True) if edition == "hoc-2024" else (10, False))
    new_due = original + timedelta(days=extra)
    got = judge_extension(Extension(due=new_due, notified=original), original, limit, CAL, working)
    if working:
        length = sum(
            1
            for i in range(1, extra + 1)
            if (day := original + timedelta(days=i)).weekday() < 5 and day not in _HOLIDAYS
        )
    else:
        length = extra
    assert got.length == length
    assert got.within_limit == (length <= limit)
    assert got.effective_due == (new_due if length <= limit else _naive_add(original, limit, working))


def test_stage2_rules_follow_the_stage2_edition(tmp_path: Path) -> None:
    # received in February 2024 (2022 Code), escalated Tue 2 Apr 2024 (2024 Code): the same
    # handler at both stages is the 2024 Code's 6.13, judged by hoc-2024
    text = case_doc(
        "C-1",
        "2024-02-05",
        {"acknowledged": "2024-02-07", "responded": "2024-02-20", "outcome": "not-upheld"},
        {"requested": "2024-04-02", "acknowledged": "2024-04-09", "responded": "2024-05-08", "outcome": "upheld"},
    ).replace("handler: H-2", "handler: H-1")
    ws = make_ws(tmp_path, {"cases/C-1.yaml": text}, config=AUTO_CONFIG)
    found = [(f["rule"], f.get("edition")) for f in check_json(ws, "2025-12-31")["findings"] if f["subject"] == "C-1"]
    assert found == [("6.13", "hoc-2024")]
