"""How many lines a workbook cell's text takes (the row heights), and how a column's title is
broken onto lines: worked by hand, and against an independent word-wrap."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hcode.render.excel import CHARS_PER_WIDTH, _filled, _header_text, _lines, _word_by_word


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("short", 32, 1),
        ("", 32, 1),
        # 35 characters in a column of 33: the last word goes onto a second line (a count of
        # characters alone said one line, and the text overlapped the row below)
        ("Contract management meeting minutes", 32, 2),
        ("a" * 70, 32, 3),  # a word longer than a line is cut: 33 + 33 + 4
        ("one\ntwo", 32, 2),
        ("• Complaints Policy published on the website\n• Policy summary in tenancy pack", 32, 3),
        ("x " * 40, 10, 8),  # five "x" a line
    ],
)
def test_lines_worked_by_hand(text: str, width: float, lines: int) -> None:
    assert _lines(text, width) == lines


words = st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=15), min_size=1, max_size=30)


@given(words, st.integers(15, 60))
def test_lines_agree_with_a_word_wrap(parts: list[str], width: int) -> None:
    """Words that each fit on a line (a longer word starts a line of its own, as a spreadsheet
    places it, where textwrap would fill the line before with its start)."""
    text = " ".join(parts)
    per_line = int(width * CHARS_PER_WIDTH)
    assert _lines(text, width) == len(textwrap.wrap(text, per_line, break_on_hyphens=False))


@pytest.mark.parametrize(
    ("title", "width", "shown"),
    [
        ("Ours (2024-25)", 10, "Ours\n(2024-25)"),  # never "Ours (2024-" and "25)"
        ("Lower quartile", 10, "Lower\nquartile"),
        ("Median", 10, "Median"),
        ("Where we stand", 24, "Where we stand"),
        ("2024-25", 6, "2024-25"),  # no space: left to the spreadsheet
    ],
)
def test_a_column_title_breaks_at_spaces_only(title: str, width: float, shown: str) -> None:
    assert _header_text(title, width) == shown


def _reference(text: str, width: float) -> int:
    """The count word by word, for every line of ``text`` (``_lines`` takes a quicker path for
    words one space apart)."""
    per_line = max(1, int(width * CHARS_PER_WIDTH))
    return sum(1 if len(part) <= per_line else _word_by_word(part, per_line) for part in text.split("\n"))


@given(st.text(alphabet="ab  \n", max_size=120), st.integers(0, 12))
def test_lines_of_any_text_are_the_word_by_word_count(text: str, width: int) -> None:
    """Spaces doubled, leading or trailing, words longer than a line, several lines: the quick
    path (words one space apart, each fitting on a line) counts as word by word does."""
    assert _lines(text, width) == _reference(text, width)


@given(st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=20), min_size=1, max_size=80), st.integers(1, 40))
def test_lines_of_words_one_space_apart_are_the_word_by_word_count(parts: list[str], width: int) -> None:
    text = " ".join(parts)
    assert _lines(text, width) == _reference(text, width)
    per_line = max(1, int(width * CHARS_PER_WIDTH))
    if len(text) > per_line and max(map(len, parts)) <= per_line:
        assert _filled(text, per_line) == _word_by_word(text, per_line)
