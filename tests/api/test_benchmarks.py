"""Sector benchmarks: the shipped table against the Regulator's own workbooks (data/rsh-tsm/),
every landlord and stock type; the quartiles against an independent count; a workbook whose
layout changed is refused; ``hcode benchmarks``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import EXAMPLE, ROOT, make_ws, run
from hcode.store.tsmdata import LayoutError, load_table, read_workbook

DATA = ROOT / "data" / "rsh-tsm"
BOOKS = sorted(DATA.glob("TSM_*_Full_Data_v*.xlsx"))
MEASURE_COLUMNS = {"ch01_1": "(CH01 1)", "ch02_1": "(CH02 1)", "ch01_2": "(CH01 2)", "ch02_2": "(CH02 2)"}


def _workbook_values(path: Path) -> tuple[str, dict[tuple[str, str], dict[str, Any]]]:
    """Read independently: the sheet *_Management_Info, its header row, and for each landlord and
    stock type reported (CH01 1 denominator a number above 0) the four measures as published."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    [ws] = [w for w in wb.worksheets if w.title.endswith("_Management_Info")]
    rows = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r[0] == "Landlord name")
    header = [re.sub(r"\)\s*\d+\s*$", ")", str(h or "").strip()) for h in rows[at]]

    def col(stock: str, ending: str, contains: str) -> int:
        [i] = [i for i, h in enumerate(header) if h.startswith(f"{stock} - ") and h.endswith(ending) and contains in h]
        return i

    found = {}
    for r in rows[at + 1 :]:
        if not r[0]:
            continue
        for stock in ("LCRA", "LCHO", "Combined"):
            homes = r[col(stock, "(CH01 1 Denominator)", "dwelling units")]
            if isinstance(homes, int | float) and homes > 0:
                found[(str(r[1]), stock)] = {
                    m: r[col(stock, end, "per 1,000" if m.startswith("ch01") else "Proportion")]
                    for m, end in MEASURE_COLUMNS.items()
                }
    wb.close()
    year = 2000 + int(re.match(r"TSM(\d\d)_", ws.title).group(1))  # type: ignore[union-attr]
    return f"{year - 1}-{str(year)[2:]}", found


@pytest.mark.parametrize("book", BOOKS, ids=lambda p: p.name)
def test_the_table_reproduces_every_landlords_published_values(book: Path) -> None:
    year, expected = _workbook_values(book)
    table = load_table()
    got = {}
    for entry in table["landlords"][year]:
        for stock, values in entry["values"].items():
            got[(entry["code"], stock)] = {m: values[m] for m in MEASURE_COLUMNS}
    assert len(expected) > 300
    assert set(got) == set(expected)
    for key, want in expected.items():
        for m, v in want.items():
            g = got[key][m]
            assert g == (float(v) if isinstance(v, int | float) else v), (key, m)
    dataset = next(d for d in table["datasets"] if d["year"] == year)
    assert dataset["dataset"] == book.name and dataset["source"].startswith("https://assets.publishing.service.gov.uk/")
    assert "Open Government Licence v3.0" in table["licence"]


def _inclusive_quartiles(values: list[float]) -> tuple[float, float, float]:
    """Quartiles by linear interpolation between closest ranks (Excel's QUARTILE.INC), by hand."""
    s = sorted(values)

    def at(p: float) -> float:
        pos = p * (len(s) - 1)
        lo = int(pos)
        return s[lo] + (s[min(lo + 1, len(s) - 1)] - s[lo]) * (pos - lo)

    return at(0.25), at(0.5), at(0.75)


def test_the_quartiles_match_an_independent_count() -> None:
    year, expected = _workbook_values(BOOKS[-1])
    res = run("benchmarks", "--sector-only", "--format", "json")
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["year"] == year == "2024-25" and doc["stock_type"] == "LCRA"
    for m, places in (("ch01_1", 2), ("ch01_2", 2), ("ch02_1", 1), ("ch02_2", 1)):
        values = [
            float(v[m]) for (code, stock), v in expected.items() if stock == "LCRA" and isinstance(v[m], int | float)
        ]
        q1, q2, q3 = _inclusive_quartiles(values)
        sector = doc["sector"][m]
        assert sector["count"] == len(values)
        assert (sector["lower_quartile"], sector["median"], sector["upper_quartile"]) == (
            round(q1, places),
            round(q2, places),
            round(q3, places),
        ), m


def test_where_the_example_stands() -> None:
    res = run("benchmarks", "-w", EXAMPLE, "--as-of", "2025-07-31", "--format", "json")
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["ours_are"] == "all homes"  # the example gives no LCRA/LCHO split
    ours, sector = doc["ours"]["ch02_1"], doc["sector"]["ch02_1"]
    assert ours["value"] == 84.6
    assert sector["lower_quartile"] < 84.6 < sector["median"]
    assert ours["standing"] == "between the lower quartile and the median"
    text = run("benchmarks", "-w", EXAMPLE, "--as-of", "2025-07-31").stdout
    assert "Only landlords owning 1,000 or more social homes" in text and "Open Government Licence v3.0" in text


def test_size_bands_and_unknown_choices() -> None:
    doc = json.loads(run("benchmarks", "--sector-only", "--size", "<5,000", "-f", "json").stdout)
    assert doc["size"] == "<5,000" and set(doc["sizes"]) == {"<5,000", "5,000-40,000", ">40,000"}
    assert 0 < doc["sector"]["ch01_1"]["count"] < 354
    bad = run("benchmarks", "--sector-only", "--year", "2019-20")
    assert bad.exit_code == 2 and "no TSM data for 2019-20" in bad.stderr


def _tiny(tmp_path: Path, sheet: str, header: list[str]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["TSM25 Management Info"])
    ws.append(header)
    ws.append(["Some Homes", "L1", "PRP", "<5,000"])
    path = tmp_path / "TSM_2026_Full_Data_v1.0.xlsx"
    wb.save(path)
    return path


def test_a_workbook_whose_layout_changed_is_refused(tmp_path: Path) -> None:
    ids = ["Landlord name", "Landlord code", "Landlord type", "Landlord group size (homes owned)"]
    with pytest.raises(LayoutError, match=r"has no column headed 'LCRA - Number of stage one complaints"):
        read_workbook(_tiny(tmp_path, "TSM26_Management_Info", ids))
    with pytest.raises(LayoutError, match="no sheet named like TSM25_Management_Info"):
        read_workbook(_tiny(tmp_path, "Management", ids))
    (tmp_path / "not.xlsx").write_text("not a workbook")
    with pytest.raises(LayoutError, match="cannot be read as an Excel workbook"):
        read_workbook(tmp_path / "not.xlsx")


def test_update_reads_a_workbook_into_the_workspace_and_refuses_a_changed_layout(tmp_path: Path) -> None:
    ws = make_ws(tmp_path / "ws")
    ids = ["Landlord name", "Landlord code", "Landlord type", "Landlord group size (homes owned)"]
    changed = _tiny(tmp_path, "TSM26_Management_Info", ids)
    res = run("benchmarks", "update", changed, "-w", ws)
    assert res.exit_code == 3
    assert "has no column headed 'LCRA - Number of stage one complaints" in res.stderr
    assert "nothing was written" in res.stderr and not (ws / "tsm-benchmarks.json").exists()
    res = run("benchmarks", "update", BOOKS[0], "-w", ws)
    assert res.exit_code == 0, res.stderr
    assert "(2023-24: 364 landlords)" in res.stdout
    own = json.loads((ws / "tsm-benchmarks.json").read_text("utf-8"))
    assert sorted(own["landlords"]) == ["2023-24", "2024-25"]
    assert next(d for d in own["datasets"] if d["year"] == "2023-24")["source"].endswith(
        "read by hcode benchmarks update"
    )
    doc = json.loads(run("benchmarks", "-w", ws, "--year", "2023-24", "-f", "json", "--as-of", "2024-07-31").stdout)
    assert doc["dataset"]["source"].endswith("read by hcode benchmarks update")


def test_ours_are_read_from_the_typed_figures_of_the_stock_type_asked(tmp_path: Path) -> None:
    """With the homes split, LCRA and LCHO are each compared on their own CH01 and CH02 (from
    the typed annual figures); Combined on all homes."""
    from datetime import date

    import hcode
    from hcode.api.benchmarks import Ours, benchmarks

    def case(cid: str, tenure: str) -> str:
        return (
            f"id: {cid}\nkind: complaint\nreceived: 2024-06-03\ncategory: repairs\ntenure: {tenure}\n"
            "stage1:\n  acknowledged: 2024-06-04\n  definition: x\n  handler: H-1\n  responded: 2024-06-10\n"
            "  outcome: upheld\n"
        )

    files = {
        "cases/L1.yaml": case("L1", "lcra"),
        "cases/L2.yaml": case("L2", "lcra"),
        "cases/O1.yaml": case("O1", "lcho"),
    }
    config = "hcode: 1\nlandlord: Split Homes\nhomes:\n  2024-25: {lcra: 1000, lcho: 250}\n"
    ws = hcode.open_workspace(make_ws(tmp_path / "ws", files, config=config))
    when = date(2025, 7, 31)
    lcra, lcho = benchmarks(ws, "2024-25", "LCRA", as_of=when), benchmarks(ws, "2024-25", "LCHO", as_of=when)
    both = benchmarks(ws, "2024-25", "Combined", as_of=when)
    assert (lcra.compared, lcho.compared, both.compared) == ("LCRA", "LCHO", "all homes")
    assert lcra.ours is not None and lcho.ours is not None and both.ours is not None
    assert (lcra.ours["ch01_1"].value, lcho.ours["ch01_1"].value, both.ours["ch01_1"].value) == (2.0, 4.0, 2.4)
    assert lcho.ours["ch02_1"] == Ours(100.0, lcho.ours["ch02_1"].standing) and lcho.ours["ch02_1"].standing
    assert lcho.json()["ours"]["ch01_1"] == {"value": 4.0, "standing": lcho.ours["ch01_1"].standing}
