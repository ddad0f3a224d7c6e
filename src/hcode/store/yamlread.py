"""Strict YAML reading for workspace files.

Landlords write these files by hand, so the reader refuses anything that YAML would otherwise
change silently (DESIGN section 4):

* mapping keys are always read as the text written: ``6.10:`` is the key ``"6.10"``, never the
  float 6.1; so are the items of a list under a key named ``provisions`` (an action's
  ``provisions: [3.6, 6.10]``);
* plain values follow the YAML 1.2 core schema: ``yes``/``no`` stay text (the rules decide what
  they mean), ``true``/``false`` are booleans, numbers are numbers; dates stay text and are
  checked by the schema and the model, so ``2024-02-30`` is an error with a line, not a crash;
* duplicate keys, anchors and aliases (so no alias bombs), explicit tags (``!!python/object``),
  several documents in one file, a byte-order mark, bytes that are not UTF-8, NUL bytes,
  merge-conflict markers, empty files, files over the size limit and documents nested deeper
  than the depth limit are all refused with a :class:`YamlError` carrying the line and column.

Parsing uses libyaml's event parser (PyYAML's C extension) and builds plain Python values from
the events, so nothing is ever constructed from a tag and nothing is expanded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from hcode.core.model import Path
from hcode.errors import HcodeError

try:  # PyYAML's libyaml binding; fall back to the pure-Python parser where it is missing.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - every supported wheel ships libyaml
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

DEFAULT_MAX_BYTES = 4 * 1024 * 1024
DEFAULT_MAX_DEPTH = 40

Marks = dict[tuple[Path, bool], tuple[int, int]]

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_WORDS = _NULLS | _TRUE | _FALSE
_CONFLICT = re.compile(rb"^(<<<<<<< |=======\r?$|>>>>>>> )", re.MULTILINE)


@dataclass(slots=True)
class YamlError(HcodeError):
    """A file that cannot be read as hcode YAML. Lines and columns are 1-based."""

    message: str
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    path: Path | None = None

    def __str__(self) -> str:
        return self.message


class _DuplicateKey(HcodeError):
    def __init__(self, path: Path, line: int, column: int) -> None:
        super().__init__(path)
        self.path = path
        self.line = line
        self.column = column


MAX_INT_DIGITS = 100


def resolve_plain(text: str) -> Any:
    """The value of a plain (unquoted) scalar under the YAML 1.2 core schema, dates as text."""
    first = text[:1]
    if first.isalpha() and text not in _WORDS:
        return text  # the common case: plain words
    if text[4:5] == "-" and text[3:4].isdigit():
        # the other common case, a date (2024-05-03): a '-' after a digit is in no number (only
        # a sign or an exponent's sign may be a '-') and in no word above, so this is text
        return text
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        # Python refuses to read integers of more than 4,300 digits; no count or amount in a
        # workspace file has more than a few, so a longer one stays text (and the schema says
        # what is wrong where a number is expected).
        return int(text) if len(text) <= MAX_INT_DIGITS else text
    if _FLOAT.match(text) and any(c.isdigit() for c in text):
        return float(text)
    return text


def size_error(size: int, max_bytes: int) -> YamlError:
    """The error for a file of ``size`` bytes over the limit."""
    return YamlError(
        f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes",
        hint="split the file, or raise limits.max_file_bytes in hcode.yaml if it is genuine",
    )


def check_bytes(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode a file's bytes, refusing what cannot be a hand-written YAML file."""
    if len(data) > max_bytes:
        raise size_error(len(data), max_bytes)
    if data.startswith(b"\xef\xbb\xbf"):
        raise YamlError(
            "file starts with a byte-order mark (BOM)",
            line=1,
            column=1,
            hint="save the file as UTF-8 without BOM (in Notepad: 'UTF-8', not 'UTF-8 with BOM')",
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise YamlError(
            "file contains NUL bytes: it looks like a binary file, not YAML text",
            line=line,
            hint="replace it with a YAML text file",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError(
            "file is not valid UTF-8 text",
            line=line,
            column=column,
            hint="save the file with UTF-8 encoding",
        ) from None
    conflict = _CONFLICT.search(data) if (b"<<<<<<< " in data or b"=======" in data) else None
    if conflict is not None:
        line = data.count(b"\n", 0, conflict.start()) + 1
        raise YamlError(
            "file contains a git merge-conflict marker",
            line=line,
            column=1,
            hint="resolve the conflict: keep the right lines and delete the <<<<<<<, ======= and >>>>>>> lines",
        )
    return text


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> YamlError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    problem = exc.problem or "the YAML is not well formed"
    hint = "check the indentation and punctuation on this line and the one before it"
    at = ""
    if mark is not None:
        rows = text.split("\n")
        if mark.line < len(rows) and mark.column < len(rows[mark.line]):
            at = rows[mark.line][mark.column]
    if "nesting depth" in problem:
        # a parser's own nesting limit (libyaml from 0.2.6, under PyYAML 6.0.3 and newer) can stop a
        # deeply nested flow collection while it scans ahead, before hcode's builder sees depth
        # DEFAULT_MAX_DEPTH: the meaning is hcode's, so are the words
        return YamlError(
            f"the document is nested more than {DEFAULT_MAX_DEPTH} levels deep",
            line=line,
            column=column,
            hint="hcode files are only a few levels deep; check the indentation",
        )
    if at == "\t" or "\\t" in problem:
        problem = "a tab character is used for indentation"
        hint = "indent with spaces, not tabs"
    elif "mapping values are not allowed" in problem:
        hint = "a value containing ': ' must be quoted, or the indentation is off"
    return YamlError(f"YAML syntax error: {problem}", line=line, column=column, hint=hint)


_SCALAR = yaml.ScalarEvent
_MAP_START = yaml.MappingStartEvent
_MAP_END = yaml.MappingEndEvent
_SEQ_START = yaml.SequenceStartEvent
_SEQ_END = yaml.SequenceEndEvent


def _mark(event: Any) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _refuse(event: Any) -> None:
    """Raise for a tag or an anchor on ``event`` (called only when one is present)."""
    line, column = _mark(event)
    if event.tag is not None and event.tag != "!":
        raise YamlError(
            f"YAML tags such as {event.tag!r} are not allowed in hcode files",
            line=line,
            column=column,
            hint="remove the tag (the text starting with '!')",
        )
    if event.anchor is not None:
        raise YamlError(
            f"anchors (&{event.anchor}) are not allowed in hcode files",
            line=line,
            column=column,
            hint="remove the anchor and write values out in full",
        )


class _Builder:
    """Builds plain values from libyaml events; optionally records where each path starts."""

    __slots__ = ("marks", "max_depth", "next")

    def __init__(self, next_event: Any, max_depth: int, record: bool) -> None:
        self.next = next_event
        self.max_depth = max_depth
        self.marks: dict[tuple[Path, bool], tuple[int, int]] | None = {} if record else None

    def node(self, event: Any, path: Path, depth: int) -> Any:
        kind = type(event)
        if kind is yaml.AliasEvent:
            line, column = _mark(event)
            raise YamlError(
                "aliases (*name) are not allowed in hcode files",
                line=line,
                column=column,
                hint="write the value out in full",
            )
        if (event.tag is not None and event.tag != "!") or event.anchor is not None:
            _refuse(event)
        if kind is _SCALAR:
            if event.implicit[0]:
                return resolve_plain(event.value)
            return event.value
        if depth >= self.max_depth:
            line, column = _mark(event)
            raise YamlError(
                f"the document is nested more than {self.max_depth} levels deep",
                line=line,
                column=column,
                hint="hcode files are only a few levels deep; check the indentation",
            )
        if kind is _MAP_START:
            return self.mapping(path, depth)
        if kind is _SEQ_START:
            return self.sequence(path, depth)
        raise YamlError("unexpected YAML structure", line=_mark(event)[0])  # pragma: no cover

    def mapping(self, path: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        next_event = self.next
        marks = self.marks
        while True:
            event = next_event()
            kind = type(event)
            if kind is _MAP_END:
                return result
            if kind is not _SCALAR:
                line, column = _mark(event)
                raise YamlError("a key must be plain text, not a list or a mapping", line=line, column=column)
            if event.tag is not None or event.anchor is not None:
                _refuse(event)
            key = event.value
            if key in result:
                raise _DuplicateKey((*path, key), *_mark(event))
            value_event = next_event()
            if marks is not None:
                child = (*path, key)
                marks[(child, True)] = _mark(event)
                marks[(child, False)] = _mark(value_event)
            if type(value_event) is _SCALAR and value_event.tag is None and value_event.anchor is None:
                text = value_event.value
                result[key] = resolve_plain(text) if value_event.implicit[0] else text
            else:
                result[key] = self.node(value_event, (*path, key), depth + 1)

    def sequence(self, path: Path, depth: int) -> list[Any]:
        result: list[Any] = []
        next_event = self.next
        marks = self.marks
        index = 0
        while True:
            event = next_event()
            if type(event) is _SEQ_END:
                return result
            child = (*path, index)
            if marks is not None:
                mark = _mark(event)
                marks[(child, True)] = mark
                marks[(child, False)] = mark
            if (
                type(event) is _SCALAR
                and event.implicit[0]
                and path
                and path[-1] == "provisions"
                and event.tag is None
                and event.anchor is None
            ):
                result.append(event.value)  # provision numbers as written: 6.10 is not 6.1
            else:
                result.append(self.node(event, child, depth + 1))
            index += 1


def _build(text: str, max_depth: int, record: bool) -> tuple[Any, _Builder]:
    parser = _Parser(text)
    next_event: Any = parser.get_event
    builder = _Builder(next_event, max_depth, record)
    try:
        next_event()  # stream start
        first = next_event()
        if type(first) is yaml.StreamEndEvent:
            raise YamlError("file is empty", line=1, column=1, hint="fill it in, or delete the file")
        value = builder.node(next_event(), (), 0)
        end: Any = next_event()  # document end
        after = next_event()
        if type(after) is not yaml.StreamEndEvent:
            raise YamlError(
                "file holds more than one YAML document ('---' separator)",
                line=end.start_mark.line + 1,
                column=1,
                hint="keep one record per file",
            )
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reader errors
        raise YamlError(f"YAML error: {exc}") from None
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()
    return value, builder


def parse(text: str, *, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """Parse one YAML document strictly. Raises :class:`YamlError`."""
    return _parse(text, max_depth, record=False)[0]


def parse_with_marks(text: str, *, max_depth: int = DEFAULT_MAX_DEPTH) -> tuple[Any, Marks]:
    """Like :func:`parse`, also returning where every key and value starts (see :func:`lookup`)."""
    return _parse(text, max_depth, record=True)


def _parse(text: str, max_depth: int, record: bool) -> tuple[Any, Marks]:
    try:
        value, builder = _build(text, max_depth, record=record)
    except _DuplicateKey as dup:
        first = locate(text, dup.path, key=True)
        first_line = first[0] if first else "?"
        key = dup.path[-1]
        raise YamlError(
            f"duplicate key {key!r}: it appears on line {first_line} and again on line {dup.line}",
            line=dup.line,
            column=dup.column,
            hint="keep one of them; YAML would silently use the last",
            path=dup.path,
        ) from None
    if value is None:
        raise YamlError("file is empty", line=1, column=1, hint="fill it in, or delete the file")
    return value, builder.marks or {}


def read(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """Check, decode and parse a file's bytes. Raises :class:`YamlError`."""
    return parse(check_bytes(data, max_bytes), max_depth=max_depth)


def marks(text: str) -> Marks | None:
    """Where every key and value of ``text`` starts, or ``None`` if it cannot be parsed."""
    try:
        _, builder = _build(text, DEFAULT_MAX_DEPTH, record=True)
    except _DuplicateKey:
        builder = _partial_marks(text)
    except YamlError:
        return None
    return builder.marks or {}


_NUMBER_AT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def numbers_written(text: str, paths: Sequence[Path]) -> dict[Path, str]:
    """The text as written of the plain numbers at ``paths`` in ``text`` (``13.0`` stays "13.0",
    where the parsed float forgets the trailing zero); a path whose value is not found, or is not
    a plain number, is left out."""
    if not paths:
        return {}
    found = marks(text)
    if found is None:
        return {}
    lines = text.splitlines()
    out: dict[Path, str] = {}
    for path in paths:
        at = found.get((tuple(path), False))
        if at is None or not 0 < at[0] <= len(lines):
            continue
        m = _NUMBER_AT.match(lines[at[0] - 1], at[1] - 1)
        if m:
            out[tuple(path)] = m.group(0)
    return out


def locate(text: str, path: Path, *, key: bool = False) -> tuple[int, int] | None:
    """Line and column (1-based) where ``path`` starts in ``text``.

    With ``key=True`` the position of the mapping key itself, otherwise of its value. Falls back
    to the nearest enclosing path that exists, or ``None`` if the text cannot be parsed.
    """
    found = marks(text)
    return None if found is None else lookup(found, path, key=key)


def lookup(found: Marks, path: Path, *, key: bool = False) -> tuple[int, int]:
    """Line and column of ``path`` in marks from :func:`marks`, or of its nearest parent."""
    probe = tuple(path)
    want_key = key
    while probe:
        hit = found.get((probe, want_key))
        if hit is not None:
            return hit
        probe = probe[:-1]
        want_key = False
    return (1, 1)


def _partial_marks(text: str) -> _Builder:
    """Marks recorded up to the first duplicate key (for pointing at its first occurrence)."""
    parser = _Parser(text)
    builder = _Builder(parser.get_event, DEFAULT_MAX_DEPTH, record=True)
    try:
        parser.get_event()
        parser.get_event()
        builder.node(parser.get_event(), (), 0)
    except (_DuplicateKey, YamlError, yaml.YAMLError):
        pass
    return builder


def quick_locate(lines: list[str], path: Path, *, key: bool = False) -> tuple[int, int] | None:
    """Where ``path`` starts, found by reading block-style lines without parsing.

    Handles the common layout (string keys, block mappings, plain keys); returns ``None`` for
    anything else (lists, flow style, quoted keys, tabs), so callers fall back to
    :func:`marks`. Agrees with :func:`marks` wherever it answers (tested).
    """
    if not path:
        return None
    start = 0
    indent = 0  # the indentation keys at this depth must have
    found = -1
    n = len(lines)
    for depth, part in enumerate(path):
        if not isinstance(part, str) or not part or part[0] in "\"'[{&*!|>?%@`#-" or ":" in part:
            return None
        found = -1
        prefix = part + ":"
        i = start
        while i < n:
            line = lines[i]
            stripped = line.lstrip(" ")
            if not stripped or stripped[0] == "#":
                i += 1
                continue
            if "\t" in line[: len(line) - len(stripped) + 1]:
                return None
            ind = len(line) - len(stripped)
            if ind < indent or (depth and i == start and ind <= indent - 1):
                break  # left the enclosing mapping
            if ind == indent and stripped.startswith(prefix):
                rest = stripped[len(prefix) :]
                if not rest or rest[0] in " #":
                    found = i
                    break
            if ind == indent and stripped[0] in "-[{?":
                return None
            i += 1
        if found < 0:
            return None
        if depth == len(path) - 1:
            break
        # the child mapping starts on the next content line, indented deeper
        j = found + 1
        while j < n and (not lines[j].strip() or lines[j].lstrip(" ").startswith("#")):
            j += 1
        if j >= n:
            return None
        child = lines[j]
        child_indent = len(child) - len(child.lstrip(" "))
        after = lines[found].lstrip(" ")[len(part) + 1 :].strip()
        if child_indent <= indent or (after and not after.startswith("#")):
            return None
        start, indent = j, child_indent
    line = lines[found]
    col = len(line) - len(line.lstrip(" "))
    if key:
        return found + 1, col + 1
    rest = line[col + len(path[-1]) + 1 :]  # type: ignore[arg-type]
    stripped = rest.lstrip(" ")
    if stripped and not stripped.startswith("#"):
        return found + 1, col + len(path[-1]) + 2 + (len(rest) - len(stripped))  # type: ignore[arg-type]
    return None  # the value is on a later line: let the parser say exactly where
