"""hcode export: a documented, versioned column set that DuckDB loads as it is, and CSV that a
spreadsheet cannot turn into a formula or split into rows."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import hcode
from conftest import ROOT, copy_example, make_ws, run
from hcode.render.export import COLUMNS, EXPORT_VERSION, NAMES, csv_cell, csv_line, neutralise

INJECTION = "\r=cmd|' /C calc'!A0"


def _doc_table(path: Path) -> list[tuple[str, str, str]]:
    text = path.read_text("utf-8")
    return [
        (m.group(1), m.group(2).strip(), m.group(3).strip())
        for m in re.finditer(r"^\| `([a-z0-9_]+)` \|([^|]*)\|(.*)\|$", text, re.M)
    ]


def test_every_column_is_documented_in_order() -> None:
    assert _doc_table(ROOT / "docs" / "export.md") == list(COLUMNS)
    assert NAMES[0] == "hcode_export" and EXPORT_VERSION == 1


def test_every_row_carries_the_version(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    lines = run("export", ws, "--as-of", "2025-07-31", "-f", "jsonl").stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    assert rows and all(list(r) == list(NAMES) and r["hcode_export"] == 1 for r in rows)
    table = list(csv.reader(io.StringIO(run("export", ws, "--as-of", "2025-07-31").stdout)))
    assert table[0] == list(NAMES)
    assert len(table) == len(rows) + 1 and all(r[0] == "1" for r in table[1:])


def _ws_with(tmp_path: Path, handler: str) -> Path:
    case = (
        "id: C-2024-0001\nkind: complaint\nreceived: 2024-05-01\ncategory: repairs\n"
        f"stage1:\n  acknowledged: 2024-05-02\n  definition: Leak.\n  handler: {json.dumps(handler)}\n"
        "stage2:\n  requested: 2024-05-20\n"
    )
    other = "id: C-2024-0002\nkind: service-request\nreceived: 2024-05-03\ncategory: repairs\n"
    return make_ws(tmp_path, {"cases/C-2024-0001.yaml": case, "cases/C-2024-0002.yaml": other})


def test_a_carriage_return_cannot_start_a_row_with_a_formula(tmp_path: Path) -> None:
    ws = _ws_with(tmp_path, INJECTION)
    out = run("export", ws, "--as-of", "2025-07-31").stdout
    # the value is quoted with a ' before it, so neither Excel nor any CSV reader splits the row at
    # the CR or sees a formula
    assert "\"'\r=cmd|' /C calc'!A0\"" in out
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert len(rows) == 3 and all(len(r) == len(NAMES) for r in rows)
    assert rows[1][NAMES.index("stage1_handler")] == "'" + INJECTION
    # every CR and LF that is not a line end lies inside a quoted field
    for i, ch in enumerate(out):
        if ch == "\r" or (ch == "\n" and out.count('"', 0, i) % 2 == 1):
            assert out.count('"', 0, i) % 2 == 1, f"a bare {ch!r} at {i}"
    jsonl = run("export", ws, "--as-of", "2025-07-31", "-f", "jsonl").stdout.splitlines()
    assert json.loads(jsonl[0])["stage1_handler"] == INJECTION  # JSON keeps the text exactly


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("repairs", "repairs"),
        ("", ""),
        (None, ""),
        (250.5, "250.5"),
        (3, "3"),
        ("a,b", '"a,b"'),
        ('say "no"', '"say ""no"""'),
        ("two\nlines", '"two\nlines"'),
        ("tab\there", '"tab\there"'),
        ("=1+1", "'=1+1"),
        ("+44", "'+44"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        (INJECTION, "\"'" + INJECTION + '"'),
        ("\t=1", '"\'\t=1"'),
        ("  =1", "'  =1"),
        ("\x00\x1b=1", "'\x00\x1b=1"),
        ("\x1b[0m=1", "\x1b[0m=1"),
        ("\u200b=1", "'\u200b=1"),
        ("\u00a0@x", "'\u00a0@x"),
        ("a=b", "a=b"),
        ("2024-05-01", "2024-05-01"),
    ],
)
def test_csv_cell(value: object, expected: str) -> None:
    assert csv_cell(value) == expected


DOC = ROOT / "docs" / "performance.md"


def _query() -> str:
    [sql] = re.findall(r"```sql\n(.*?)```", DOC.read_text("utf-8"), re.S)
    return str(sql)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_duckdb_reproduces_ch01_and_ch02(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    import duckdb  # a dev dependency

    ws = copy_example(tmp_path / "ws")
    out = tmp_path / "out"
    out.mkdir()
    result = run("export", ws, "--as-of", "2025-07-31", "-f", fmt, "-o", out / f"cases.{fmt}")
    assert result.exit_code == 0, result.stderr
    sql = _query()
    if fmt == "jsonl":
        sql = sql.replace("read_csv('cases.csv')", "read_json('cases.jsonl')")
    monkeypatch.chdir(out)
    relation = duckdb.sql(sql)
    assert relation is not None
    names = [d[0] for d in relation.description]
    [values] = relation.fetchall()
    got = dict(zip(names, values, strict=True))
    tsm = hcode.open_workspace(ws).annual(year="2024-25", as_of=date(2025, 7, 31)).tsm
    assert tsm["CH01"]["stage1"]["denominator"] == 640  # the query's homes
    assert (got["received1"], got["ch01_stage1"]) == (
        tsm["CH01"]["stage1"]["numerator"],
        tsm["CH01"]["stage1"]["value"],
    )
    assert (got["received2"], got["ch01_stage2"]) == (
        tsm["CH01"]["stage2"]["numerator"],
        tsm["CH01"]["stage2"]["value"],
    )
    for stage in (1, 2):
        ch02 = tsm["CH02"][f"stage{stage}"]
        assert (got[f"met{stage}"], got[f"made{stage}"], got[f"ch02_stage{stage}"]) == (
            ch02["numerator"],
            ch02["denominator"],
            ch02["value"],
        )


def test_each_stage_names_the_edition_that_timed_it(tmp_path: Path) -> None:
    """Under code: auto a stage is timed by the edition in force when it began; the export says
    which, with the logged date and the tenure where recorded."""
    ws = make_ws(
        tmp_path / "ws",
        {
            "cases/2024/C-2024-0001.yaml": """\
                id: C-2024-0001
                kind: complaint
                received: 2024-03-20
                category: repairs
                tenure: lcho
                stage1:
                  acknowledged: 2024-03-21
                  logged: 2024-03-22
                  responded: 2024-04-02
                  outcome: not-upheld
                stage2:
                  requested: 2024-04-10
                  acknowledged: 2024-04-11
                  responded: 2024-05-01
                  outcome: upheld
                """,
        },
        config="hcode: 1\nlandlord: Test Homes\nhomes: 100\ncode: auto\n",
    )
    made = run("export", ws, "--as-of", "2024-12-31", "-f", "jsonl")
    assert made.exit_code == 0, made.stderr
    row = json.loads(made.stdout)
    assert (row["stage1_edition"], row["stage2_edition"]) == ("hoc-2022", "hoc-2024")
    assert (row["stage1_logged"], row["stage2_logged"], row["tenure"]) == ("2024-03-22", None, "lcho")
    # hoc-2022: 10 working days from logging (22 March; Good Friday 29 March and Easter Monday
    # 1 April 2024 not counted) -> 9 April
    assert row["stage1_responded_due"] == "2024-04-09"


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30))
def test_csv_reads_back_as_written_and_holds_no_bare_cr_or_tab(value: str) -> None:
    line = csv_line([value, "next"])
    assert next(csv.reader(io.StringIO(line, newline=""))) == [neutralise(value), "next"]
    field = line[: -len(",next\n")]
    if any(c in field for c in '\t\r\n,"'):
        assert field.startswith('"') and field.endswith('"')
