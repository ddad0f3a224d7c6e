"""Markdown table cells (render.figuretext.md): the quick way for plain text answers exactly as
the full escaping does, for any text; a column's cells worked out once per distinct text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from hcode.render.figuretext import _md_text, md, md_column

# the characters Markdown, HTML and autolinking give a meaning to, beside plain ones
_TRICKY = "abwW w.:/@&<>|*_`[]~\\#()-',;=+%\r\n\t\u00a0\u3000é修"


@given(st.text(alphabet=_TRICKY, max_size=40))
def test_md_of_any_text_is_the_full_escaping(text: str) -> None:
    assert md(text) == _md_text(text)


@given(st.text(max_size=30))
def test_md_of_any_unicode_text_is_the_full_escaping(text: str) -> None:
    assert md(text) == _md_text(text)


def test_md_leaves_plain_text_and_escapes_the_rest() -> None:
    assert md("C-2024-00001") == "C-2024-00001"
    assert md("not in CH02 (withdrawn)") == "not in CH02 (withdrawn)"
    assert md(None) == "" and md("") == "" and md("   ") == ""
    assert md(" padded ") == "padded"
    assert md("www.example.org") == "www&#46;example.org"
    assert md("see https://x") == "see https&#58;//x"
    assert md("a|b") == "a\\|b" and md("[bold]x[/bold]") == "\\[bold\\]x\\[/bold\\]"
    assert md("one\n\ntwo") == "one<br>two"


def test_a_column_is_each_value_through_md() -> None:
    values: list[Any] = [True, 1, "1", None, False, 0, "a|b", "a|b", 2.5, "www.x", " pad "]
    assert md_column(values) == [md(v) for v in values]
    assert md_column([]) == []


def test_the_tsm_markdown_table_is_a_row_a_line() -> None:
    from hcode.render.published import _md_table

    @dataclass(frozen=True)
    class R:
        case: str
        stage: int | None
        flag: bool
        note: str | None

        def row(self) -> dict[str, Any]:
            return {"case": self.case}

    rows = [R("C-1", 1, True, "a | b"), R("C-2", None, False, None), R("C-3", 2, True, "line\nbreak")]
    text = _md_table(rows, ["case", "stage", "flag", "note"], [])
    assert text.splitlines() == [
        "| case | stage | flag | note |",
        "|---|---|---|---|",
        "| C-1 | 1 | True | a \\| b |",
        "| C-2 |  | False |  |",
        "| C-3 | 2 | True | line<br>break |",
    ]
    assert _md_table([], ["case"], []).splitlines() == ["| case |", "|---|"]


# Rich text in Markdown (self-assessment answers, what was learned): the slow patterns are looked
# for only where the characters they need are there, with the same answer for any text.

_RICH = "abwW.:/@&<>|*_`[]~\\#()-' \nnoteNOTEseeSEEhttpsHTTPwwwWWWftpmailtojavascript1é\u017f\u212a"


def _md_escape_every_pattern(text: str) -> str:
    """md_escape as it was: every pattern run on every text."""
    from hcode.render.richtext import _AUTOLINK_WWW, _MD_SPECIAL, _SCHEME

    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _AUTOLINK_WWW.sub(r"\1&#46;", text)
    return _SCHEME.sub(r"\1&#58;", text).replace("@", "&#64;")


@given(st.text(alphabet=_RICH, max_size=60) | st.text(max_size=30))
def test_md_escape_of_any_text_is_every_pattern_run(text: str) -> None:
    from hcode.render.richtext import md_escape

    assert md_escape(text) == _md_escape_every_pattern(text)


@given(st.text(alphabet=_RICH, max_size=60) | st.text(max_size=30))
def test_text_with_no_address_or_note_is_one_run_of_text(text: str) -> None:
    from hcode.core.richtext import _TOKEN, Span, inline

    line = text.replace("\n", " ")
    if "://" not in line and "note" not in line.lower():
        assert _TOKEN.search(line) is None
        assert inline(line) == ((Span("text", line),) if line else ())


def test_rich_text_in_a_cell_keeps_its_links_and_notes() -> None:
    from hcode.render.richtext import md_cell

    assert md_cell("See NOTE 2 and https://example.org/x.", ["2"]) == (
        "See [NOTE 2](#note-2) and [https&#58;//example.org/x](https://example.org/x)."
    )
    assert md_cell("visit www.example.org or mailto:a@b") == "visit www&#46;example.org or mailto&#58;a&#64;b"
