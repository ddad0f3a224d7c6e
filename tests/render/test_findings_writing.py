"""check's printed findings written quickly and the same: the JSON of a finding written directly
against json's own encoding of it, and the wrapping of ASCII a line at a time against the
wrapping a word at a time, for any text."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from hcode.core.model import Finding
from hcode.render.output import _KEEP, _wrap, _wrap_ascii, _wrap_words, finding_dict, text_lines, to_json
from hcode.render.run import FindingsRun

# what JSON escapes (quote, backslash, control characters), what escapes on a screen, and plain text
_TEXT = st.text(alphabet='ab c:"\\\x00\x1b\x7f\u202e\u2028é修\t\n', max_size=20)


@given(
    rule=_TEXT,
    subject=_TEXT,
    message=_TEXT,
    file=st.none() | _TEXT,
    hint=st.none() | _TEXT,
    edition=st.none() | _TEXT,
    line=st.none() | st.integers(0, 99999),
    column=st.none() | st.integers(0, 999),
    due=st.none() | st.dates(),
    recorded=st.booleans(),
)
def test_a_findings_json_is_jsons_encoding_of_it(
    rule: str,
    subject: str,
    message: str,
    file: str | None,
    hint: str | None,
    edition: str | None,
    line: int | None,
    column: int | None,
    due: date | None,
    recorded: bool,
) -> None:
    f = Finding(
        rule, "warning", subject, message, file, line, column, due, due, hint, edition=edition, recorded=recorded
    )
    text = to_json([f], as_of=date(2025, 7, 31), workspace="W", files=1)
    row = text.split("\n")[-4].strip()
    assert row == json.dumps(finding_dict(f), ensure_ascii=False)
    assert json.loads(text)["findings"] == [finding_dict(f)]


_ASCII = st.lists(
    st.sampled_from(["a", "bb", "ccc", " ", "  ", "x" * 25, "w" * 61, _KEEP, "\x01", "-", ":"]), max_size=40
)


@settings(max_examples=500)
@given(
    parts=_ASCII,
    width=st.integers(10, 130),
    first=st.sampled_from(["", "  ", "     12:3  error    ", "x" * 30, " " * 20 + "to fix: "]),
    indent=st.sampled_from([0, 2, 20, 28]),
)
def test_ascii_wrapped_a_line_at_a_time_is_wrapped_a_word_at_a_time(
    parts: list[str], width: int, first: str, indent: int
) -> None:
    text = "".join(parts)
    quick = _wrap_ascii(text, width, first, indent)
    assert quick is None or quick == _wrap_words(text, width, first, indent)
    if not any(len(word) > 20 for word in text.split(" ")):  # no word to cut: the quick way answers
        assert len(first) + len(text) <= width or quick is not None
    if len(first) + len(text) > width:  # what fits is written as it is
        assert _wrap(text, width, first, indent) == (quick or _wrap_words(text, width, first, indent))


def test_a_long_message_wraps_under_itself_on_a_terminal() -> None:
    message = "the stage 1 response was due on 2025-03-04 and was sent on 2025-03-20, " * 3
    f = Finding("6.3", "error", "C-2025-0001", message.strip(), "cases/C-2025-0001.yaml", 12, 5, hint="write  it  down")
    run = FindingsRun([f], date(2025, 7, 31), "Test Homes", 1)
    lines = text_lines(run, width=60)
    body = [line for line in lines if line.startswith(" " * 20) or line.lstrip().startswith("12:5")]
    assert body[0].startswith("     12:5  error    C-2025-0001: the stage 1 response")
    assert all(len(line) <= 60 for line in lines)
    assert all(line.startswith(" " * 20) for line in body[1:])
    assert body[-1] == " " * 20 + "to fix: write  it  down"  # two spaces inside a line kept
    assert "(Code 6.3)" in body[-2]  # the tag never broken
    # into a pipe: one line a finding
    assert text_lines(run)[1] == f"     12:5  error    C-2025-0001: {message.strip()}  (Code 6.3)"
