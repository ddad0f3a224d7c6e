"""The rules' shortcuts give the same answers as the plain code they stand for, on any text."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from hcode.core.identity import _INVISIBLE, _TABLE, fold, looks_alike
from hcode.core.rules.privacy import _PATTERNS, _has_digit, personal_data


def plain(text: str) -> str | None:
    """The rule as written first: each pattern in order, the email address only where there is
    an ``@``, the others only where there is an ASCII digit."""
    text = plain_read(text)
    has_at = "@" in text
    has_digit = any(d in text for d in "0123456789")
    for what, pattern in _PATTERNS:
        if (what == "an email address" and not has_at) or (what != "an email address" and not has_digit):
            continue
        if pattern.search(text):
            return what
    return None


def plain_read(text: str) -> str:
    """Text as a person reads it, worked out character by character."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_TABLE)
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


PIECES = [
    "user@localhost",
    "a@b.c",
    "@",
    "07700 900123",
    "(020) 7946 0958",
    "+44 20 7946 0958",
    "0300 111 3000",
    "sw1a 1aa",
    "SW1A 1AA",
    "PR2 0ET",
    "GIR 0AA",
    "2024-05-01",
    "C-2024-0001",
    "H-017",
    "\u0663\u0664\u0665",  # Arabic-Indic digits: \\d in a pattern, but not an ASCII digit
    "\uff10\uff17\uff17",  # full-width digits
    " ",
    "-",
    "Leak in the roof.",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=8))
def test_personal_data_is_the_plain_loop(parts: list[str]) -> None:
    text = "".join(parts)
    assert personal_data(text) == plain(text)


@settings(max_examples=600, deadline=None)
@given(st.text(max_size=40) | st.sampled_from(PIECES))
def test_has_digit_is_a_search_for_an_ascii_digit(text: str) -> None:
    import re

    assert _has_digit(text) == (re.search("[0-9]", text) is not None)


def test_each_kind_is_still_found() -> None:
    assert personal_data("write to user@localhost") == "an email address"
    assert personal_data("call 07700 900123") == "a phone number"
    assert personal_data("at sw1a 1aa") == "a postcode"
    assert personal_data("user@localhost or 07700 900123") == "an email address"
    assert personal_data("received 2024-05-01, case C-2024-0001") is None
    # digits of other scripts, full-width forms and invisible characters are read as people read them
    assert personal_data("\u0660\u0667\u0667\u0660\u0660 \u0669\u0660\u0660\u0661\u0662\u0663") == "a phone number"
    assert personal_data("SW\uff11A \uff11AA") == "a postcode"
    assert personal_data("Leak in flat \uff12, twice") is None


def plain_fold(value: str) -> str:
    text = unicodedata.normalize("NFKC", value).translate(_INVISIBLE).translate(_TABLE)
    return text.strip().casefold()


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.text(max_size=20), st.text(st.characters(max_codepoint=127), max_size=20)))
def test_fold_is_the_plain_fold(value: str) -> None:
    """ASCII text is folded without normalising (NFKC keeps ASCII as it is): same key."""
    assert fold(value) == plain_fold(value)
    assert looks_alike(value) == (plain_fold(value) != value.strip().casefold())


def test_look_alikes_are_still_seen() -> None:
    assert looks_alike("H\u2013014") and looks_alike("\u041d-014") and looks_alike("\uff28-014")
    assert not looks_alike(" h-014 ") and fold(" H-014 ") == "h-014" == fold("\u041d\u2013014")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=6), min_size=1, max_size=5))
def test_the_privacy_rule_kept_verdict_is_the_one_worked_out(texts: list[list[str]]) -> None:
    """The privacy rule keeps its verdict on short texts (a category or a handler recurs from
    case to case): a text read again, after others, gets what it gets worked out afresh."""
    from hcode.core.rules import privacy
    from hcode.core.text import _CONTROL

    joined = ["".join(parts) for parts in texts]
    for text in [*joined, *reversed(joined)]:
        assert privacy._verdict(text) == (_CONTROL.search(text) is not None, plain(text)), text
