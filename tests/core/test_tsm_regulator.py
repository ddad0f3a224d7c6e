"""CH01 and CH02 as the Regulator's TSM return counts them, worked out by hand.

The population of CH02 is the complaints *made* in the year at each stage (stage 2: the
escalation requested in the year); the numerator those responded to within the Code's
timescale, a permitted extension included, whenever the response was sent. The test edition of
tests/core/test_core.py: stage 1 acknowledgement 5 working days from receipt, response 10 working
days from the acknowledgement, extension of at most 10; stage 2: 5 and 20 (at most 20 more).
Easter is in the calendar: Good Friday 29 March and Easter Monday 1 April 2024, Good Friday 18
April and Easter Monday 21 April 2025.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from test_core import CODE, complaint

from conftest import make_ws, run, sheet_row
from hcode.core import metrics, percent
from hcode.core.calendar import WorkingCalendar
from hcode.core.model import Case, Extension, Homes, Refusal, Settings, Stage

CAL = WorkingCalendar(
    {
        date(2024, 3, 29): "Good Friday",
        date(2024, 4, 1): "Easter Monday",
        date(2024, 5, 6): "Early May bank holiday",
        date(2024, 5, 27): "Spring bank holiday",
        date(2025, 4, 18): "Good Friday",
        date(2025, 4, 21): "Easter Monday",
    }
)
SETTINGS = Settings(landlord="Test Homes", homes=500)
Y2425 = metrics.year_period("2024-25", SETTINGS)
Y2324 = metrics.year_period("2023-24", SETTINGS)


def s1(ack: date, responded: date | None = None, extension: Extension | None = None) -> Stage:
    return Stage(1, acknowledged=ack, definition="x", responded=responded, extension=extension)


# Received Tuesday 25 March 2025, acknowledged Wednesday 26 March: the response is due 10 working
# days later, Wednesday 9 April 2025 (27, 28, 31 March, 1, 2, 3, 4, 7, 8, 9 April).
MARCH_ON_TIME = complaint(id="A", received=date(2025, 3, 25), stage1=s1(date(2025, 3, 26), date(2025, 4, 7)))
MARCH_LATE = complaint(id="B", received=date(2025, 3, 25), stage1=s1(date(2025, 3, 26), date(2025, 4, 10)))
# Received Monday 25 March 2024, acknowledged 26 March: due Thursday 11 April 2024 (Easter skipped:
# 27, 28 March, 2, 3, 4, 5, 8, 9, 10, 11 April); answered in April 2024, on time.
PREVIOUS_MARCH = complaint(id="C", received=date(2024, 3, 25), stage1=s1(date(2024, 3, 26), date(2024, 4, 5)))


def test_the_milestones_the_hand_count_rests_on() -> None:
    due = {
        c.id: next(m.due for m in metrics.facts([c], CODE, CAL, date(2025, 7, 1))[0].ms if m.event == "respond")
        for c in (MARCH_ON_TIME, MARCH_LATE, PREVIOUS_MARCH)
    }
    assert due == {"A": date(2025, 4, 9), "B": date(2025, 4, 9), "C": date(2024, 4, 11)}


def test_ch02_counts_complaints_made_in_the_year_whenever_answered() -> None:
    """A complaint received in March and answered in April counts in March's year, on time or
    late; one received the March before and answered in April counts in neither CH01 nor CH02
    of the year its response fell in (under hcode's former count it was in 2024-25's CH02)."""
    fs = metrics.facts([MARCH_ON_TIME, MARCH_LATE, PREVIOUS_MARCH], CODE, CAL, date(2025, 7, 1))
    this = metrics.tsm(fs, Y2425, 500)
    assert this["CH01"]["stage1"] == {"value": 4.0, "numerator": 2, "denominator": 500, "source": "cases"}
    assert this["CH02"]["stage1"] == {
        "value": 50.0,
        "numerator": 1,
        "denominator": 2,
        "without_extension": 1,
        "with_extension": 0,
        "pending": 0,
        "source": "cases",
    }
    last = metrics.tsm(fs, Y2324, 500)
    assert (last["CH02"]["stage1"]["numerator"], last["CH02"]["stage1"]["denominator"]) == (1, 1)
    # the identity the Regulator's 2024/25 data show for every landlord
    for t in (this, last):
        for stage in ("stage1", "stage2"):
            assert t["CH02"][stage]["denominator"] == t["CH01"][stage]["numerator"]


def test_the_audit_table_says_why_each_complaint_is_in_or_out() -> None:
    fs = metrics.facts([MARCH_ON_TIME, MARCH_LATE, PREVIOUS_MARCH], CODE, CAL, date(2025, 7, 1))
    rows = {(r.case, r.stage): r for r in metrics.tsm_audit(fs, Y2425)}
    assert set(rows) == {("A", 1), ("B", 1), ("C", 1)}
    assert (rows["A", 1].in_ch02, rows["A", 1].ch02_status, rows["A", 1].within_timescale) == (
        True,
        "within",
        True,
    )
    assert rows["B", 1].ch02_reason == "responded after the Code's timescale"
    assert rows["B", 1].within_timescale is False
    # C, answered in April 2024: listed in 2024-25's table (its response fell in it), counted in 2023-24's
    c = rows["C", 1]
    assert (c.in_ch01, c.in_ch02, c.responded, c.within_timescale) == (False, False, "2024-04-05", None)
    assert c.ch02_reason == "made in another year: its response is counted in the year it was made"
    assert [r.in_ch02 for r in metrics.tsm_audit(fs, Y2324)] == [True]


# Received Monday 1 July 2024, acknowledged 2 July: due Tuesday 16 July; an extension of 10 working
# days (the cap) runs to Tuesday 30 July.
def extended(cid: str, responded: date, notified: date = date(2024, 7, 10)) -> Case:
    ext = Extension(due=date(2024, 7, 30), notified=notified, reason="survey needed")
    return complaint(id=cid, received=date(2024, 7, 1), stage1=s1(date(2024, 7, 2), responded, ext))


def test_the_numerator_split_without_and_with_the_extension() -> None:
    cases = [
        extended("used", date(2024, 7, 25)),  # after the original date, within the extension: Q2b
        extended("not-needed", date(2024, 7, 12)),  # extension agreed, answered before the original date: Q2a
        extended("told-late", date(2024, 7, 25), notified=date(2024, 7, 17)),  # not a permitted extension: late
        extended("beyond", date(2024, 7, 31)),  # after the extended date: late
        complaint(id="plain", received=date(2024, 7, 1), stage1=s1(date(2024, 7, 2), date(2024, 7, 16))),
    ]
    fs = metrics.facts(cases, CODE, CAL, date(2025, 7, 1))
    statuses = {f.case.id: metrics.ch02_status(f, 1) for f in fs}
    assert statuses == {
        "used": "within-extension",
        "not-needed": "within",
        "told-late": "late",
        "beyond": "late",
        "plain": "within",
    }
    cell = metrics.tsm(fs, Y2425, 500)["CH02"]["stage1"]
    assert (cell["without_extension"], cell["with_extension"], cell["numerator"], cell["denominator"]) == (2, 1, 3, 5)
    assert cell["numerator"] == cell["without_extension"] + cell["with_extension"]  # Q2 = Q2a + Q2b
    assert percent.percent_text(cell) == "60.0% (3 of 5)"


def test_stage_2_is_made_when_escalation_is_requested() -> None:
    """Stage 1 received in March 2024 (2023-24), escalation requested in April 2024: its stage 2
    is 2024-25's. Requested Tuesday 2 April 2024, acknowledged 3 April: the stage 2 response is due
    20 working days after it, Wednesday 1 May 2024 (4, 5, 8 to 12, 15 to 19, 22 to 26, 29, 30 April, 1 May)."""
    s2 = Stage(2, requested=date(2024, 4, 2), acknowledged=date(2024, 4, 3), definition="y", responded=date(2024, 5, 1))
    case = complaint(id="E", received=date(2024, 3, 4), stage1=s1(date(2024, 3, 5), date(2024, 3, 15)), stage2=s2)
    fs = metrics.facts([case], CODE, CAL, date(2025, 7, 1))
    assert next(m.due for m in fs[0].ms if (m.stage, m.event) == (2, "respond")) == date(2024, 5, 1)
    this, last = metrics.tsm(fs, Y2425, 500), metrics.tsm(fs, Y2324, 500)
    assert (this["CH01"]["stage1"]["numerator"], this["CH01"]["stage2"]["numerator"]) == (0, 1)
    assert (last["CH01"]["stage1"]["numerator"], last["CH01"]["stage2"]["numerator"]) == (1, 0)
    assert this["CH02"]["stage2"]["numerator"] == 1 and this["CH02"]["stage2"]["denominator"] == 1


def test_pending_before_and_after_the_year_end() -> None:
    """Unanswered on the as-of day and still in time: pending, the figure provisional. After its
    due date unanswered, it can no longer be in time: out of the numerator and not pending."""
    feb = complaint(id="F", received=date(2025, 2, 3), stage1=s1(date(2025, 2, 4)))
    march = complaint(id="M", received=date(2025, 3, 25), stage1=s1(date(2025, 3, 26)))
    answered = complaint(id="G", received=date(2024, 6, 3), stage1=s1(date(2024, 6, 4), date(2024, 6, 10)))
    cases = [feb, march, answered]

    def cell(as_of: date) -> dict[str, Any]:
        found: dict[str, Any] = metrics.tsm(metrics.facts(cases, CODE, CAL, as_of), Y2425, 500)["CH02"]["stage1"]
        return found

    before = cell(date(2025, 2, 10))  # during the year: F pending, M not yet made
    assert (before["numerator"], before["denominator"], before["pending"]) == (1, 2, 1)
    assert percent.percent_text(before) == "50.0% (1 of 2; 1 pending, provisional)"
    after = cell(date(2025, 4, 2))  # the year is over; M (due 9 April) is still pending; F is overdue
    assert (after["numerator"], after["denominator"], after["pending"]) == (1, 3, 1)
    fs = metrics.facts(cases, CODE, CAL, date(2025, 4, 2))
    assert {f.case.id: metrics.ch02_status(f, 1) for f in fs} == {
        "F": "not-responded",
        "M": "pending",
        "G": "within",
    }
    settled = cell(date(2025, 4, 10))  # M's due date passed unanswered: nothing pending, final
    assert (settled["numerator"], settled["denominator"], settled["pending"]) == (1, 3, 0)
    assert percent.percent_text(settled) == "33.3% (1 of 3)"
    audit = metrics.tsm_audit(metrics.facts(cases, CODE, CAL, date(2025, 4, 2)), Y2425)
    pending = [r for r in audit if r.ch02_status == "pending"]
    assert [(r.case, r.within_timescale) for r in pending] == [("M", None)]


def test_refused_and_withdrawn_complaints() -> None:
    """A complaint refused at stage 1 was never a complaint in the procedure: in neither measure.
    One withdrawn before its response was due was made: in CH01 and CH02's population, not in time."""
    refused = complaint(
        id="R",
        received=date(2024, 5, 1),
        refused=Refusal(
            stage=1, date=date(2024, 5, 3), reason="legal-proceedings", explained=True, ombudsman_rights=True
        ),
    )
    withdrawn = complaint(
        id="W",
        received=date(2024, 5, 1),
        stage1=Stage(1, acknowledged=date(2024, 5, 2), withdrawn=date(2024, 5, 8), outcome="withdrawn"),
    )
    fs = metrics.facts([refused, withdrawn], CODE, CAL, date(2025, 7, 1))
    t = metrics.tsm(fs, Y2425, 500)
    assert t["CH01"]["stage1"]["numerator"] == 1 and t["CH02"]["stage1"]["denominator"] == 1
    assert t["CH02"]["stage1"]["numerator"] == 0
    rows = {r.case: r for r in metrics.tsm_audit(fs, Y2425)}
    assert rows["R"].ch01_reason == "not accepted (refused)" and rows["R"].in_ch02 is False
    assert rows["W"].ch02_status == "withdrawn"


def test_stock_types_each_over_its_own_homes() -> None:
    """CH01 per stock type over that type's homes at the year end; CH02 over that type's
    complaints; a complaint with no stock type recorded is in the totals only."""
    cases = [
        complaint(id="L1", tenure="lcra", received=date(2024, 6, 3), stage1=s1(date(2024, 6, 4), date(2024, 6, 10))),
        complaint(id="L2", tenure="lcra", received=date(2024, 6, 3), stage1=s1(date(2024, 6, 4), date(2024, 7, 30))),
        complaint(id="O1", tenure="lcho", received=date(2024, 6, 3), stage1=s1(date(2024, 6, 4), date(2024, 6, 10))),
        complaint(id="U", received=date(2024, 6, 3), stage1=s1(date(2024, 6, 4), date(2024, 6, 10))),
    ]
    fs = metrics.facts(cases, CODE, CAL, date(2025, 7, 1))
    split = metrics.tsm_by_tenure(fs, Y2425, Homes(1250, lcra=1000, lcho=250), True)
    assert split is not None
    assert split["lcra"]["CH01"]["stage1"] == {"value": 2.0, "numerator": 2, "denominator": 1000, "source": "cases"}
    assert split["lcho"]["CH01"]["stage1"] == {"value": 4.0, "numerator": 1, "denominator": 250, "source": "cases"}
    assert (split["lcra"]["CH02"]["stage1"]["numerator"], split["lcra"]["CH02"]["stage1"]["denominator"]) == (1, 2)
    assert split["lcho"]["CH02"]["stage1"]["value"] == 100.0
    assert split["not_recorded"] == {"stage1": 1, "stage2": 0}
    audit = {r.case: r.stock_type for r in metrics.tsm_audit(fs, Y2425)}
    assert audit == {"L1": "LCRA", "L2": "LCRA", "O1": "LCHO", "U": None}


# -- hcode report tsm --return ---------------------------------------------------------------------


def _split_ws(root: Path) -> Path:
    """1,250 homes at the end of 2024-25: 1,000 LCRA and 250 LCHO. Two LCRA complaints (one in
    time, one late), one LCHO in time with its extension, one with no stock type recorded, and
    one LCRA received on 25 March 2025 still unanswered and in time on 2 April 2025."""

    def case(cid: str, tenure: str | None, received: str, ack: str, responded: str | None, **stage: Any) -> str:
        lines = [f"id: {cid}", "kind: complaint", f"received: {received}", "category: repairs"]
        if tenure:
            lines.append(f"tenure: {tenure}")
        lines += ["stage1:", f"  acknowledged: {ack}", "  definition: x", "  handler: H-1"]
        if responded:
            lines += [f"  responded: {responded}", "  outcome: upheld"]
        for k, v in stage.items():
            lines.append(f"  {k}: {v}")
        return "\n".join(lines) + "\n"

    files = {
        "cases/L1.yaml": case("L1", "lcra", "2024-06-03", "2024-06-04", "2024-06-10"),
        "cases/L2.yaml": case("L2", "lcra", "2024-06-03", "2024-06-04", "2024-07-30"),
        "cases/O1.yaml": case(
            "O1",
            "lcho",
            "2024-07-01",
            "2024-07-02",
            "2024-07-25",
            extension="{notified: 2024-07-10, due: 2024-07-30, reason: Survey, ombudsman_details: true}",
        ),
        "cases/U1.yaml": case("U1", None, "2024-06-03", "2024-06-04", "2024-06-10"),
        "cases/L3.yaml": case("L3", "lcra", "2025-03-25", "2025-03-26", None),
    }
    config = "hcode: 1\nlandlord: Split Homes\nhomes:\n  2024-25: {lcra: 1000, lcho: 250}\n"
    return make_ws(root, files, config=config)


def test_the_return_per_stock_type_in_every_format(tmp_path: Path) -> None:
    ws = _split_ws(tmp_path / "ws")
    res = run("report", "tsm", ws, "--return", "--year", "2024-25", "--as-of", "2025-04-02", "-f", "json")
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    got = {t["key"]: t["answers"] for t in doc["stock_types"]}
    assert set(got) == {"lcra", "lcho", "combined"}
    lcra, lcho, both = got["lcra"], got["lcho"], got["combined"]
    assert (lcra["ch01_1_numerator"], lcra["ch01_1_denominator"], lcra["ch01_1"]) == (3, 1000, 3.0)
    assert (lcra["ch02_1_numerator"], lcra["ch02_1_denominator"], lcra["ch02_1_pending"]) == (1, 3, 1)
    assert (lcho["ch02_1_without_extension"], lcho["ch02_1_with_extension"], lcho["ch02_1"]) == (0, 1, 100.0)
    assert (both["ch01_1_numerator"], both["ch01_1_denominator"], both["ch02_1_numerator"]) == (5, 1250, 3)
    assert doc["not_recorded"] == {"stage1": 1, "stage2": 0}
    assert doc["provisional"] is True and doc["pending"] == 1
    wording = {q["key"]: q["wording"] for q in doc["questions"]}
    assert wording["ch02_1_with_extension"].endswith("– with the use of the 10 day extension")
    assert wording["ch02_2_without_extension"].endswith("– without the use of the 20 day extension")
    assert any("provision 6.3" in line and "10 working days" in line for line in doc["timescales"])

    csv_text = run("report", "tsm", ws, "--return", "--year", "2024-25", "--as-of", "2025-04-02").stdout
    assert csv_text.splitlines()[0] == "year,stock_type,question,value,wording"
    assert "2024-25,LCHO,CH02 1 with extension,1," in csv_text

    out = tmp_path / "return.xlsx"
    res = run("report", "tsm", ws, "--return", "--year", "2024-25", "--as-of", "2025-04-02", "-f", "xlsx", "-o", out)
    assert res.exit_code == 0, res.stderr
    sheet = openpyxl.load_workbook(out)["Return"]
    assert [c.value for c in sheet[1]][:3] == [
        "Question",
        "The return's wording",
        "LCRA (low-cost rental accommodation)",
    ]
    row = sheet_row(sheet, "CH02 1")
    assert sheet.cell(row, 3).value == 0.333 and sheet.cell(row, 3).number_format == "0.0%"
    texts = [sheet.cell(r, 1).value or "" for r in range(1, sheet.max_row + 1)]
    assert any(t.startswith("PROVISIONAL: as at 2025-04-02, 1 complaint(s)") for t in texts)
    assert any("Open Government Licence v3.0" in t for t in texts)


def test_the_return_asks_for_return_formats() -> None:
    res = run("report", "tsm", "--year", "2024-25", "-f", "xlsx")
    assert res.exit_code == 2 and "add --return" in res.stderr


def test_the_return_follows_tsm_combine(tmp_path: Path) -> None:
    """tsm: combine: true gives the combined column alone (the Regulator allows this landlord
    to combine); false gives LCRA and LCHO alone, and says where the unrecorded complaint went."""
    ws = _split_ws(tmp_path / "ws")
    config = (ws / "hcode.yaml").read_text()
    args = ("report", "tsm", ws, "--return", "--year", "2024-25", "--as-of", "2025-04-02", "-f", "json")
    (ws / "hcode.yaml").write_text(config + "tsm:\n  combine: true\n")
    doc = json.loads(run(*args).stdout)
    assert [t["key"] for t in doc["stock_types"]] == ["combined"] and doc["combine"] is True
    assert doc["stock_types"][0]["answers"]["ch01_1_numerator"] == 5
    assert "allows us to combine" in doc["stock_types"][0]["name"]
    (ws / "hcode.yaml").write_text(config + "tsm:\n  combine: false\n")
    doc = json.loads(run(*args).stdout)
    assert [t["key"] for t in doc["stock_types"]] == ["lcra", "lcho"]
    assert doc["pending"] == 1  # still counted from every complaint made in the year
    out = tmp_path / "return.xlsx"
    assert run(*args[:-1], "xlsx", "-o", out).exit_code == 0
    sheet = openpyxl.load_workbook(out)["Return"]
    texts = [sheet.cell(r, 1).value or "" for r in range(1, sheet.max_row + 1)]
    assert any("they are in no column: record their tenure" in t for t in texts)


def _annual(ws: Path, tmp_path: Path, fmt: str) -> str:
    args = ("report", "annual", ws, "--year", "2024-25", "--as-of", "2025-04-02", "-f", fmt)
    if fmt != "xlsx":
        res = run(*args)
        assert res.exit_code == 0, res.stderr
        return res.stdout
    out = tmp_path / "annual.xlsx"
    res = run(*args, "-o", out)
    assert res.exit_code == 0, res.stderr
    book = openpyxl.load_workbook(out)
    return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)


COMBINED_ROW = "CH01: complaints made per 1,000 homes"
LCRA_ROW = "CH01, low-cost rental (LCRA)"
PER_TYPE_ONLY = "CH01 and CH02 are given per stock type only"


@pytest.mark.parametrize(
    ("setting", "stock_types", "combined", "split"),
    [
        ("", ["lcra", "lcho", "combined"], True, True),
        ("tsm:\n  combine: true\n", ["combined"], True, False),
        ("tsm:\n  combine: false\n", ["lcra", "lcho"], False, True),
    ],
)
def test_the_annual_report_follows_tsm_combine(
    tmp_path: Path, setting: str, stock_types: list[str], combined: bool, split: bool
) -> None:
    """The annual report gives CH01/CH02 for the stock types the return gives (one rule,
    metrics.stock_columns): unset, every one; combine true, the combined figures alone; false,
    LCRA and LCHO alone. Each format shows the same."""
    ws = _split_ws(tmp_path / "ws")
    (ws / "hcode.yaml").write_text((ws / "hcode.yaml").read_text() + setting)
    doc = json.loads(_annual(ws, tmp_path, "json"))
    assert doc["stock_types"] == stock_types
    assert (doc["tsm_split"] is not None) is split
    if split:
        assert doc["tsm_split"]["lcra"]["CH01"]["stage1"]["numerator"] == 3
    assert doc["tsm"]["CH01"]["stage1"]["numerator"] == 5  # the totals stay in the JSON, as documented
    ret = json.loads(
        run("report", "tsm", ws, "--return", "--year", "2024-25", "--as-of", "2025-04-02", "-f", "json").stdout
    )
    assert [t["key"] for t in ret["stock_types"]] == stock_types
    for fmt in ("md", "html", "xlsx"):
        text = _annual(ws, tmp_path, fmt)
        assert (COMBINED_ROW in text) is combined, fmt
        assert (LCRA_ROW in text) is split, fmt
        assert (PER_TYPE_ONLY in text) is (not combined), fmt
        assert ("in the figures of no stock type: record their tenure" in text) is (not combined), fmt
        # the return's split of CH02 (without / within an extension, pending) under every table
        parts = int(combined) + 2 * int(split)
        assert text.count("of which without an extension") == parts, fmt
        assert text.count("not yet answered and still in time (pending)") == parts, fmt


def test_stock_columns_without_the_split_is_the_combined_column() -> None:
    """Without lcra and lcho in hcode.yaml only the combined figures can be given, whatever the
    setting; with them, the setting decides."""
    for combine in (None, True, False):
        assert metrics.stock_columns(Homes(1250), combine) == ("combined",)
        assert metrics.stock_columns(None, combine) == ("combined",)
    split = Homes(1250, 1000, 250)
    assert metrics.stock_columns(split, None) == ("lcra", "lcho", "combined")
    assert metrics.stock_columns(split, True) == ("combined",)
    assert metrics.stock_columns(split, False) == ("lcra", "lcho")
