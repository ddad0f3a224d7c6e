"""Strict YAML reading for workspace files.

Landlords write these files by hand, so the reader refuses anything that YAML would otherwise
change silently (DESIGN section 4):

* mapping keys are always read as the text written: ``6.10:`` is the key ``"6.10"``, never the
  float 6.1;
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
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

try:  # PyYAML's libyaml binding; fall back to the pure-Python parser where it is missing.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - every supported wheel ships libyaml
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

DEFAULT_MAX_BYTES = 4 * 1024 * 1024
DEFAULT_MAX_DEPTH = 40

PathPart = str | int
Path = tuple[PathPart, ...]

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_CONFLICT = re.compile(rb"^(<<<<<<< |=======\r?$|>>>>>>> )", re.MULTILINE)


@dataclass(slots=True)
class YamlError(Exception):
    """A file that cannot be read as hcode YAML. Lines and columns are 1-based."""

    message: str
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    path: Path | None = None

    def __str__(self) -> str:
        return self.message


class _DuplicateKey(Exception):
    def __init__(self, path: Path, line: int, column: int) -> None:
        super().__init__(path)
        self.path = path
        self.line = line
        self.column = column


def resolve_plain(text: str) -> Any:
    """The value of a plain (unquoted) scalar under the YAML 1.2 core schema, dates as text."""
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text) and any(c.isdigit() for c in text):
        return float(text)
    return text


def check_bytes(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode a file's bytes, refusing what cannot be a hand-written YAML file."""
    if len(data) > max_bytes:
        raise YamlError(
            f"file is {len(data):,} bytes, over the limit of {max_bytes:,} bytes",
            hint="split the file, or raise limits.max_file_bytes in hcode.yaml if it is genuine",
        )
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
    conflict = _CONFLICT.search(data)
    if conflict is not None:
        line = data.count(b"\n", 0, conflict.start()) + 1
        raise YamlError(
            "file contains a git merge-conflict marker",
            line=line,
            column=1,
            hint="resolve the conflict: keep the right lines and delete the <<<<<<<, ======= "
            "and >>>>>>> lines",
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
    if at == "\t" or "\\t" in problem:
        problem = "a tab character is used for indentation"
        hint = "indent with spaces, not tabs"
    elif "mapping values are not allowed" in problem:
        hint = "a value containing ': ' must be quoted, or the indentation is off"
    return YamlError(f"YAML syntax error: {problem}", line=line, column=column, hint=hint)


class _Builder:
    """Builds plain values from libyaml events; optionally records where each path starts."""

    __slots__ = ("events", "marks", "max_depth")

    def __init__(self, events: Iterator[Any], max_depth: int, record: bool) -> None:
        self.events = events
        self.max_depth = max_depth
        self.marks: dict[tuple[Path, bool], tuple[int, int]] | None = {} if record else None

    def node(self, event: Any, path: Path, depth: int) -> Any:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            self._check(event)
            if event.implicit[0]:
                return resolve_plain(event.value)
            return event.value
        if depth >= self.max_depth:
            raise YamlError(
                f"the document is nested more than {self.max_depth} levels deep",
                line=event.start_mark.line + 1,
                column=event.start_mark.column + 1,
                hint="hcode files are only a few levels deep; check the indentation",
            )
        if kind is yaml.MappingStartEvent:
            self._check(event)
            return self.mapping(path, depth)
        if kind is yaml.SequenceStartEvent:
            self._check(event)
            return self.sequence(path, depth)
        if kind is yaml.AliasEvent:
            raise YamlError(
                "aliases (*name) are not allowed in hcode files",
                line=event.start_mark.line + 1,
                column=event.start_mark.column + 1,
                hint="write the value out in full",
            )
        raise YamlError(  # pragma: no cover - libyaml emits no other event here
            "unexpected YAML structure", line=event.start_mark.line + 1
        )

    @staticmethod
    def _check(event: Any) -> None:
        if event.tag is not None and event.tag != "!":
            raise YamlError(
                f"YAML tags such as {event.tag!r} are not allowed in hcode files",
                line=event.start_mark.line + 1,
                column=event.start_mark.column + 1,
                hint="remove the tag (the text starting with '!')",
            )
        if event.anchor is not None:
            raise YamlError(
                f"anchors (&{event.anchor}) are not allowed in hcode files",
                line=event.start_mark.line + 1,
                column=event.start_mark.column + 1,
                hint="remove the anchor and write values out in full",
            )

    def mapping(self, path: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        events = self.events
        marks = self.marks
        while True:
            event = next(events)
            kind = type(event)
            if kind is yaml.MappingEndEvent:
                return result
            if kind is not yaml.ScalarEvent:
                raise YamlError(
                    "a key must be plain text, not a list or a mapping",
                    line=event.start_mark.line + 1,
                    column=event.start_mark.column + 1,
                )
            self._check(event)
            key = event.value
            if key in result:
                raise _DuplicateKey(
                    (*path, key), event.start_mark.line + 1, event.start_mark.column + 1
                )
            child = (*path, key)
            value_event = next(events)
            if marks is not None:
                marks[(child, True)] = (event.start_mark.line + 1, event.start_mark.column + 1)
                marks[(child, False)] = (
                    value_event.start_mark.line + 1,
                    value_event.start_mark.column + 1,
                )
            result[key] = self.node(value_event, child, depth + 1)

    def sequence(self, path: Path, depth: int) -> list[Any]:
        result: list[Any] = []
        events = self.events
        marks = self.marks
        index = 0
        while True:
            event = next(events)
            if type(event) is yaml.SequenceEndEvent:
                return result
            child = (*path, index)
            if marks is not None:
                mark = (event.start_mark.line + 1, event.start_mark.column + 1)
                marks[(child, True)] = mark
                marks[(child, False)] = mark
            result.append(self.node(event, child, depth + 1))
            index += 1


def _events(text: str) -> Iterator[Any]:
    parser = _Parser(text)
    try:
        while True:
            event = parser.get_event()
            yield event
            if type(event) is yaml.StreamEndEvent:
                return
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()


def _build(text: str, max_depth: int, record: bool) -> tuple[Any, _Builder]:
    events = _events(text)
    builder = _Builder(events, max_depth, record)
    try:
        next(events)  # stream start
        first = next(events)
        if type(first) is yaml.StreamEndEvent:
            raise YamlError(
                "file is empty", line=1, column=1, hint="fill it in, or delete the file"
            )
        value = builder.node(next(events), (), 0)
        end = next(events)  # document end
        after = next(events)
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
    return value, builder


def parse(text: str, *, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """Parse one YAML document strictly. Raises :class:`YamlError`."""
    try:
        value, _ = _build(text, max_depth, record=False)
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
    return value


def read(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_depth: int = DEFAULT_MAX_DEPTH
) -> Any:
    """Check, decode and parse a file's bytes. Raises :class:`YamlError`."""
    return parse(check_bytes(data, max_bytes), max_depth=max_depth)


Marks = dict[tuple[Path, bool], tuple[int, int]]


def marks(text: str) -> Marks | None:
    """Where every key and value of ``text`` starts, or ``None`` if it cannot be parsed."""
    try:
        _, builder = _build(text, DEFAULT_MAX_DEPTH, record=True)
    except _DuplicateKey:
        builder = _partial_marks(text)
    except YamlError:
        return None
    return builder.marks or {}


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
    events = _events(text)
    builder = _Builder(events, DEFAULT_MAX_DEPTH, record=True)
    try:
        next(events)
        next(events)
        builder.node(next(events), (), 0)
    except (_DuplicateKey, YamlError, yaml.YAMLError, StopIteration):
        pass
    return builder
