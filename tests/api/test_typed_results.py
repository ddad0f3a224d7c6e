"""The TSM audit, the TSM return and the export as typed results: the same values the commands
write, built back from the cache alike, and through the privacy gate in the application layer,
so a script gets the protection the commands give."""

from __future__ import annotations

import dataclasses
import json
import re
import typing
from datetime import date
from pathlib import Path

import pytest

import hcode
from conftest import copy_example, run
from hcode.api.check import shown
from hcode.core.exportrow import COLUMNS, NAMES, ExportRow
from hcode.core.tsmreturn import TsmReturnFigures
from hcode.render.listings import json_listing

AS_OF = date(2025, 7, 31)
PHONE, EMAIL = "07700 900123", "jo.bloggs@example.org"


def test_an_export_row_has_a_field_per_column_of_its_type() -> None:
    """The typed row and the documented column set (docs/export.md) cannot drift apart."""
    hints = typing.get_type_hints(ExportRow)
    assert tuple(f.name for f in dataclasses.fields(ExportRow)) == NAMES
    kinds = {"integer": int, "text": str, "date": date, "decimal": float}
    for name, kind, _ in COLUMNS:
        assert kinds[kind] in typing.get_args(hints[name]) or hints[name] is kinds[kind], name


def test_the_typed_export_is_what_the_command_writes(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    for use_cache in (True, True, False):  # computed, then from the cache, then without it
        rows = hcode.open_workspace(ws, use_cache=use_cache).export(as_of=AS_OF).rows
        assert all(isinstance(r.received, date) for r in rows)
        written = run("export", ws, "--as-of", "2025-07-31", "-f", "jsonl").stdout.splitlines()
        assert [json.loads(line) for line in written] == [r.row() for r in rows]
    late = [r for r in rows if r.stage1_responded_status == "missed"]
    assert late and all(r.stage1_responded > r.stage1_responded_due for r in late)  # type: ignore[operator]


def test_the_tsm_return_is_typed_and_what_the_command_writes(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    for use_cache in (True, True, False):
        made = hcode.open_workspace(ws, use_cache=use_cache).tsm_return(year="2024-25", as_of=AS_OF)
        printed = run("report", "tsm", ws, "--return", "--year", "2024-25", "--as-of", "2025-07-31", "-f", "json")
        assert made.figures.json() == json.loads(printed.stdout)
        assert TsmReturnFigures.of(made.figures.json()) == made.figures
    combined = made.figures.stock_types[-1]
    assert (combined.label, combined.homes, combined.answer("ch01_1_numerator")) == ("Combined", 640, 26)
    assert made.figures.as_at == "2025-07-31" and made.figures.timescales


def test_the_tsm_audit_rows_are_typed_from_the_cache_too(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    first = hcode.open_workspace(ws).tsm_audit(year="2024-25", as_of=AS_OF)
    again = hcode.open_workspace(ws).tsm_audit(year="2024-25", as_of=AS_OF)  # from the cache
    assert again.rows == first.rows and type(again.rows[0]).__name__ == "TsmRow"
    assert first.table == [r.row() for r in first.rows] and first.left_out == []


def test_a_script_gets_the_privacy_gate_the_commands_get(tmp_path: Path) -> None:
    """Personal data in what the TSM return, the TSM audit table and the export hold refuses
    the answer in the application layer (the command line no longer gates them itself)."""
    ws = copy_example(tmp_path / "ws")
    config = ws / "hcode.yaml"
    config.write_text(re.sub(r"(?m)^landlord: .*$", f'landlord: "Riverside (call {PHONE})"', config.read_text()))
    with pytest.raises(hcode.InputUnusable, match="the TSM return was not written: landlord") as info:
        hcode.open_workspace(ws).tsm_return(year="2024-25", as_of=AS_OF)
    assert PHONE not in info.value.message
    ws = copy_example(tmp_path / "ws2")
    case = ws / "cases/2024/C-2024-0003.yaml"
    case.write_text(re.sub(r"(?m)^category: .*$", f"category: {EMAIL}", case.read_text()))
    with pytest.raises(hcode.InputUnusable, match=r"the export was not written: .*category"):
        hcode.open_workspace(ws).export(as_of=AS_OF)
    (ws / f"cases/2024/{EMAIL}.yaml").write_text("id: [unclosed\n")
    with pytest.raises(hcode.InputUnusable, match=r"the TSM audit table was not written: .*file"):
        hcode.open_workspace(ws).tsm_audit(year="2024-25", as_of=AS_OF)


def test_a_listing_is_cut_to_its_limit_in_one_place() -> None:
    rows = list(range(5))
    assert json_listing({"hcode": 1}, "cases", rows, None) == {"hcode": 1, "cases": rows}
    assert json_listing({"hcode": 1}, "cases", rows, 0) == {"hcode": 1, "cases": rows}  # 0: all
    cut = json_listing({"hcode": 1}, "milestones", rows, 2, duties=[])
    assert list(cut) == ["hcode", "milestones", "duties", "more"] and cut["milestones"] == [0, 1] and cut["more"] == 3


def test_what_check_shows_is_decided_in_the_application_layer(tmp_path: Path) -> None:
    w = hcode.open_workspace(copy_example(tmp_path / "ws"))
    result = w.check(as_of=AS_OF)
    every = shown(w, result)
    assert every.findings == result.findings and every.tally.json() == {} and every.notes == []
    some = shown(w, result, cases=("C-2024-0009",))
    assert some.findings and all("C-2024-0009" in f"{f.subject} {f.file}" for f in some.findings)
    assert some.tally.json() == {"selected": {"shown": len(some.findings), "of": len(result.findings)}}
    assert some.notes == [
        f"{len(some.findings)} of {len(result.findings)} finding(s) chosen by --rule, --case, --since or --year"
    ]


def test_a_tally_adds_to_the_summary_only_what_applies() -> None:
    from hcode.core.selection import Tally

    assert Tally().json() == {}
    assert Tally(accepted=19, stale=12).json() == {"baseline": {"accepted": 19, "stale": 12}}
    both = Tally(shown=1, of=3, accepted=19, stale=0).json()
    assert list(both) == ["selected", "baseline"] and both["selected"] == {"shown": 1, "of": 3}
