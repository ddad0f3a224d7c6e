"""core.richtext.parse: a line of plain text is read at once, into exactly the blocks that
reading it line by line gives, for any text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hcode.core.richtext import Block, Span, _parse_lines, parse

# what makes a line a list item, a link or a note reference, beside plain characters
_TRICKY = "abnotesNOTE -*•.)\t \u00a0\u3000\x0b\x1c:/htps[]()1\r\n"


@given(st.text(alphabet=_TRICKY, max_size=40))
def test_parse_of_any_text_is_the_line_by_line_reading(text: str) -> None:
    assert parse(text) == _parse_lines(text)


@given(st.text(max_size=30))
def test_parse_of_any_unicode_text_is_the_line_by_line_reading(text: str) -> None:
    assert parse(text) == _parse_lines(text)


def test_a_line_of_plain_text_is_one_paragraph_and_the_rest_is_read_line_by_line() -> None:
    assert parse("  Kept the resident informed. ") == (
        Block("paragraph", ((Span("text", "Kept the resident informed."),),)),
    )
    assert parse(None) == () and parse("") == () and parse(" \t ") == ()
    for text in ("- a bullet", "  * a bullet", "a. the first letter", "see note 1", "see https://x.org", "one\ntwo"):
        assert parse(text) == _parse_lines(text)
    assert parse("- a bullet")[0].kind == "bullets" and parse("a) one")[0].kind == "letters"
    assert parse("b. not the first letter")[0].kind == "paragraph"
