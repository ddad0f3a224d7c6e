"""Text that is safe to show: values cut short in messages, and control and bidirectional
characters made visible (they could rewrite a terminal, reorder a line, or start a CI command)."""

from __future__ import annotations

import re

#: At most this many characters of a value appear in a message (never a whole record).
SHOWN = 40

# C0 controls except tab and line feed, DEL, C1 controls, and the Unicode bidirectional and
# invisible formatting characters (U+061C, U+200B-U+200F, U+202A-U+202E, U+2060-U+2069, U+FEFF).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]")
_CONTROL_BUT_CR = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]"
)
_CONTROL_OR_BREAK = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]")


def shorten(value: object, limit: int = SHOWN) -> str:
    """``value`` as text of at most ``limit`` characters (``...`` marks a cut)."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def has_controls(text: str) -> bool:
    """Whether ``text`` holds a control or bidirectional character (tabs and line breaks aside)."""
    return _CONTROL.search(text) is not None


def visible(text: str, *, keep_lines: bool = True) -> str:
    """``text`` with every control and bidirectional character written as an escape (``\\x1b``,
    ``\\u202e``); with ``keep_lines=False`` line breaks and tabs too (one line of output)."""
    if text.isprintable():  # every character escaped here is one str.isprintable refuses
        return text
    pattern = _CONTROL if keep_lines else _CONTROL_OR_BREAK
    if keep_lines and "\r\n" in text:
        return "\r\n".join(pattern.sub(_escape, part) for part in text.split("\r\n"))
    return pattern.sub(_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_visible(text: str) -> str:
    """JSON text with control and bidirectional characters inside its strings written as
    ``\\uXXXX`` escapes (the same data to a JSON reader, but nothing raw on a screen)."""
    return _CONTROL.sub(_json_escape, text)


def no_commands(text: str) -> str:
    """No line of ``text`` begins with ``::`` (GitHub Actions runs such a line as a workflow
    command, such as ``::error`` or ``::add-mask``)."""
    if "::" not in text:
        return text
    return re.sub(r"(?m)^([ \t]*)::", r"\1: :", text)


def safe_output(text: str, *, kind: str = "text") -> str:
    """A whole output made safe to print or publish: ``kind`` "json" escapes inside strings,
    "csv" keeps carriage returns (data inside quoted fields), anything else escapes every
    control character but tabs and line breaks. No line begins with ``::``."""
    if kind in ("json", "jsonl"):
        return no_commands(json_visible(text))
    if kind == "csv":
        return no_commands(_CONTROL_BUT_CR.sub(_escape, text))
    return no_commands(visible(text))
