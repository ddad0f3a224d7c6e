"""The fast path of the safe-output pass (ASCII text with nothing to escape, found in one pass
in C) answers exactly as the patterns do."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hcode.core import text as T

# ASCII with every control character, plus a few characters the patterns escape beyond ASCII
ALPHABET = st.sampled_from([chr(c) for c in range(0x80)] + ["\x85", "\u202e", "\ufeff", "é"])
TEXTS = st.text(ALPHABET, max_size=60) | st.text(st.sampled_from("ab:\n \t#["), max_size=60)


def _visible(text: str) -> str:
    if "\r\n" in text:
        return "\r\n".join(T._CONTROL.sub(T._escape, part) for part in text.split("\r\n"))
    return T._CONTROL.sub(T._escape, text)


@pytest.fixture(autouse=True)
def _small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(T, "_CHUNK", 7)  # chunk boundaries inside the generated texts


@given(TEXTS)
def test_json_text(text: str) -> None:
    assert T.json_visible(text) == T._CONTROL.sub(T._json_escape, text)
    assert T.safe_output(text, kind="json") == T.no_commands(T._CONTROL.sub(T._json_escape, text), json=True)


@given(TEXTS)
def test_csv_text(text: str) -> None:
    assert T.safe_output(text, kind="csv") == T.no_commands(T._CONTROL_BUT_CR.sub(T._escape, text))


@given(TEXTS)
def test_plain_text(text: str) -> None:
    assert T.visible(text) == _visible(text)
    assert T.safe_output(text) == T.no_commands(_visible(text))


def test_a_control_character_after_the_first_chunk_is_escaped() -> None:
    text = "a" * 20 + "\x1b[2J" + "b" * 20
    assert T.safe_output(text, kind="csv") == "a" * 20 + "\\x1b[2J" + "b" * 20
    assert T.json_visible(text) == "a" * 20 + "\\u001b[2J" + "b" * 20


def test_the_holidays_version_as_the_metadata_gives_it() -> None:
    from importlib.metadata import version

    from hcode.store.scan import _holidays_version

    assert _holidays_version() == version("holidays")


def _no_commands(text: str, json: bool) -> str:
    """The workflow-command pass as first written: ``in`` for each search."""
    if "::" in text:
        text = T._COMMAND.sub(r"\1: :", text)
    if "##[" in text:
        text = text.replace("##[", "#\\u0023[" if json else "# #[")
    return text


@given(st.text(st.sampled_from("ab:\n \u00a0\t#[]"), max_size=80), st.booleans())
def test_workflow_commands_found_as_with_in(text: str, json: bool) -> None:
    assert T.no_commands(text, json=json) == _no_commands(text, json)
    assert not T._COMMAND.search(T.no_commands(text, json=json)) and "##[" not in T.no_commands(text, json=json)
