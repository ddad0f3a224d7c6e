"""Text that is safe to show: values cut short in messages, and control and bidirectional
characters made visible (they could rewrite a terminal, reorder a line, or start a CI command)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

#: At most this many characters of a value appear in a message (never a whole record).
SHOWN = 40

# C0 controls except tab and line feed, DEL, C1 controls, and the Unicode bidirectional and
# invisible formatting characters (U+061C, U+200B-U+200F, U+202A-U+202E, U+2060-U+2069, U+FEFF).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]")
_CONTROL_BUT_CR = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]"
)
_CONTROL_OR_BREAK = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]")


# What ASCII text may hold and be printed as it is (nothing for the patterns above to escape):
# printable characters, tabs and line feeds, and carriage returns where they are kept.
_PLAIN = bytes(range(0x20, 0x7F)) + b"\t\n"
_PLAIN_OR_CR = _PLAIN + b"\r"
_CHUNK = 1 << 20


def _plain(text: str, plain: bytes = _PLAIN) -> bool:
    """Whether ``text`` is ASCII with nothing to escape: a pass in C, several times faster than
    the patterns on a large output (a chunk at a time, so no second copy of it is made)."""
    chunks = range(0, len(text), _CHUNK)
    return text.isascii() and not any(text[at : at + _CHUNK].encode("ascii").translate(None, plain) for at in chunks)


def shorten(value: object, limit: int = SHOWN) -> str:
    """``value`` as text of at most ``limit`` characters (``...`` marks a cut)."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def has_controls(text: str) -> bool:
    """Whether ``text`` holds a control or bidirectional character (tabs and line breaks aside)."""
    if text.isprintable():  # every character looked for is one str.isprintable refuses (tested)
        return False
    return _CONTROL.search(text) is not None


def visible(text: str, *, keep_lines: bool = True) -> str:
    """``text`` with every control and bidirectional character written as an escape (``\\x1b``,
    ``\\u202e``); with ``keep_lines=False`` line breaks and tabs too (one line of output)."""
    if text.isprintable():  # every character escaped here is one str.isprintable refuses
        return text
    if keep_lines and _plain(text):
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
    return text if _plain(text) else _CONTROL.sub(_json_escape, text)


# A line GitHub Actions would run as a workflow command: "::" after any white space the runner
# trims (Unicode white space, the no-break space included).
_COMMAND = re.compile(r"(?m)^([^\S\n]*)::")
# The two searches for what could start one: a pattern of literal text finds it two to three
# times faster than ``in`` in a large output full of single colons and hashes (JSON, YAML).
_DOUBLE_COLON = re.compile("::")
_OLD_COMMAND = re.compile(re.escape("##["))


_DOUBLE_COLON_BYTES = re.compile(b"::")
_OLD_COMMAND_BYTES = re.compile(re.escape(b"##["))


def safe_as_is(data: bytes) -> bool:
    """Whether :func:`safe_output` leaves the text of ``data`` (ASCII) as it is, whatever its
    kind: printable ASCII, tabs and line feeds only, and nothing that could start a workflow
    command. A pass or three in C over the bytes, without making them text."""
    return (
        not data.translate(None, _PLAIN)
        and not _DOUBLE_COLON_BYTES.search(data)
        and not _OLD_COMMAND_BYTES.search(data)
    )


def no_commands(text: str, *, json: bool = False) -> str:
    """``text`` with no workflow command GitHub Actions would run: no line begins with ``::``
    once Unicode white space is trimmed (``::error``, ``::add-mask``), and ``##[`` (the older
    ``##[error]`` form) appears nowhere. In JSON (``json``) ``##[`` is written ``#\\u0023[``,
    the same text to a JSON reader."""
    if _DOUBLE_COLON.search(text):
        text = _COMMAND.sub(r"\1: :", text)
    if _OLD_COMMAND.search(text):
        text = text.replace("##[", "#\\u0023[" if json else "# #[")
    return text


def safe_output(text: str, *, kind: str = "text") -> str:
    """A whole output made safe to print or publish: ``kind`` "json" escapes inside strings,
    "csv" keeps carriage returns (data inside quoted fields), anything else escapes every
    control character but tabs and line breaks. No line begins with ``::``."""
    if kind in ("json", "jsonl"):
        return no_commands(json_visible(text), json=True)
    if kind == "csv":
        return no_commands(text if _plain(text, _PLAIN_OR_CR) else _CONTROL_BUT_CR.sub(_escape, text))
    return no_commands(visible(text))


class AsIs(list[bytes | memoryview]):
    """The UTF-8 pieces of an output, each ending at a line end, every one of which is known to
    be safe as it is, whatever its kind (:func:`safe_as_is`, looked at where each was made):
    :func:`safe_pieces` writes them as they are, without looking again."""


def _as_they_are(pieces: AsIs) -> Iterator[bytes]:
    """Pieces written as they are, a megabyte or so at a time: small ones joined, a large one
    (the cache's whole text) cut."""
    part: list[bytes | memoryview] = []
    size = 0
    for piece in pieces:
        if len(piece) >= _CHUNK:
            if part:
                yield b"".join(part)
                part, size = [], 0
            view = memoryview(piece)
            yield from (bytes(view[at : at + _CHUNK]) for at in range(0, len(view), _CHUNK))
            continue
        part.append(piece)
        size += len(piece)
        if size >= _CHUNK:
            yield b"".join(part)
            part, size = [], 0
    if part:
        yield b"".join(part)


def safe_pieces(pieces: Iterable[bytes | memoryview], *, kind: str = "text") -> Iterator[bytes | str]:
    """A large output given as UTF-8 pieces, each ending at a line end, made safe a part at a
    time (a megabyte or so, cut at a line end): the bytes of a part :func:`safe_output` would
    leave as it is (:func:`safe_as_is`), else the part's text made safe by it. Every pattern of
    :func:`safe_output` matches within a line, so the parts written in turn are the whole output
    made safe, without a second copy of it. Pieces known to be safe as they are (:class:`AsIs`)
    are written as they are, a megabyte or so at a time."""
    if isinstance(pieces, AsIs):
        yield from _as_they_are(pieces)
        return
    part: list[bytes] = []
    size = 0
    for piece in pieces:
        view = memoryview(piece)
        while len(view) > _CHUNK:  # a large piece: cut at the last line end of each megabyte
            width = _CHUNK
            head = bytes(view[:width])
            while b"\n" not in head and width < len(view):  # a line longer than that: wider
                width *= 2
                head = bytes(view[:width])
            cut = head.rfind(b"\n") + 1 or len(head)
            if part:
                yield _safe_part(b"".join(part), kind)
                part, size = [], 0
            yield _safe_part(head[:cut], kind)
            view = view[cut:]
        if len(view):
            part.append(bytes(view))
            size += len(view)
        if size >= _CHUNK:
            yield _safe_part(b"".join(part), kind)
            part, size = [], 0
    if part:
        yield _safe_part(b"".join(part), kind)


def _safe_part(data: bytes, kind: str) -> bytes | str:
    return data if safe_as_is(data) else safe_output(data.decode("utf-8"), kind=kind)
