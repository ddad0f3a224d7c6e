"""What a person sees in a terminal: tables at 60, 80 and 120 columns, and plain text when asked."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from conftest import EXAMPLE, run
from hcode.render.terminal import Col, dropped, plan

ESC = "\x1b"
ID = re.compile(r"\b[CS]-\d{4}-\d{4}\b")
DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _show(args: list[str], width: int, **env: str) -> str:
    result = run(*args, env={"COLUMNS": str(width), **env})
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize("width", [60, 80, 120])
def test_due_keeps_every_case_id_and_due_date_whole(width: int) -> None:
    wide = run("due", EXAMPLE, "--as-of", "2025-07-31", "--format", "json").json()["milestones"]
    text = _show(["due", str(EXAMPLE), "--as-of", "2025-07-31"], width)
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    for row in wide:
        assert any(row["case"] in line and row["due"] in line for line in lines), row
    assert "…" not in text
    assert "Due date" in text and "Status" in text


@pytest.mark.parametrize("width", [60, 80, 120])
def test_case_list_keeps_ids_and_dates_whole(width: int) -> None:
    rows = run("case", "list", "--workspace", EXAMPLE, "--as-of", "2025-07-31", "--format", "json").json()["cases"]
    text = _show(["case", "list", "--workspace", str(EXAMPLE), "--as-of", "2025-07-31"], width)
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    assert "…" not in text
    for row in rows:
        line = next(line for line in lines if row["case"] in line)
        assert row["received"] in line
        if row["due"]:
            assert row["due"] in line
        status = row["status"] or ("open" if row["open"] else "closed")
        assert status in line  # never "clos…"


def test_wider_terminals_show_more_columns() -> None:
    narrow = _show(["case", "list", "--workspace", str(EXAMPLE), "--as-of", "2025-07-31"], 60)
    wide = _show(["case", "list", "--workspace", str(EXAMPLE), "--as-of", "2025-07-31"], 120)
    assert "Category" not in narrow and "Category" in wide
    assert "Kind" in wide


def test_columns_drop_in_their_stated_order() -> None:
    cols = [Col("Id", whole=True), Col("A", drop=2), Col("B", drop=1), Col("When", whole=True)]
    rows = [["C-2024-0001", "aaaaaaaaaa", "bbbbbbbbbb", "2024-01-01"]]
    assert plan(cols, rows, 200) == [0, 1, 2, 3]
    assert dropped(cols, rows, 40) == ["B"]
    assert dropped(cols, rows, 30) == ["A", "B"]
    # whole columns stay even when the table cannot fit
    assert plan(cols, rows, 5) == [0, 3]


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
@pytest.mark.parametrize(
    "args",
    [
        ["due", str(EXAMPLE), "--as-of", "2025-07-31"],
        ["case", "list", "--workspace", str(EXAMPLE), "--as-of", "2025-07-31"],
        ["check", str(EXAMPLE), "--as-of", "2025-07-31", "--fail-on", "never"],
    ],
)
def test_no_escape_sequences_when_plain_text_is_asked_for(args: list[str], env: dict[str, str]) -> None:
    text = _show(args, 100, FORCE_COLOR="1", TTY_COMPATIBLE="1", **env)
    assert ESC not in text


def test_styles_reach_a_colour_terminal() -> None:
    # The control case for the test above: the same run with colour allowed does style the status.
    text = _show(["due", str(EXAMPLE), "--as-of", "2025-07-31"], 100, FORCE_COLOR="1", TTY_COMPATIBLE="1")
    assert ESC in text
