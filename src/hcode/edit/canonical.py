"""A fast answer to "is this file already in ``hcode fmt``'s canonical layout?".

Rewriting a file through ruamel.yaml costs about 3 ms; at 100,000 case files that is minutes, and
almost every file is already canonical. :func:`already_canonical` reads the file's YAML events
with libyaml (the strict reader's parser, about 0.05 ms a file) and answers ``True`` only when
the layout is one it can vouch for: block mappings and lists indented as fmt writes them (two
spaces a level, list items under their key), every key and value on one line with exactly ``": "``
between them, keys in the schema's order, answers in provision order, values in forms the
rewrite keeps as written, whole-line comments, and nothing after a value. Anything else (flow
collections, block or multi-line scalars, quoted dates, a comment after a value, odd numbers,
blank-line runs, tabs, document markers...) gets ``False``, meaning "not sure": the caller then
rewrites the file through ruamel.yaml as before, which is the authority. So the answer is never
wrong in the direction that matters: a property test rewrites generated and mutated files and
checks that every file answered ``True`` comes back unchanged.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

import yaml

from hcode.errors import HcodeError
from hcode.store.convert import record_schema
from hcode.store.validate import schema
from hcode.store.yamlread import resolve_plain

try:  # the strict reader's parser: libyaml's events
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - every supported wheel ships libyaml
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

_KEY = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_\-]*|\d+\.\d+)\Z")
_INT = re.compile(r"(?:0|-?[1-9][0-9]{0,17})\Z")  # not -0: ruamel.yaml writes 0
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,6}\Z")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_DATEISH = re.compile(r"\d{4}-\d")
# a moment to the minute (a hazard's ``aware: 2024-03-01T09:30``): no timestamp to ruamel.yaml,
# which reads it as text and writes it back as written (it wants seconds for a timestamp)
_MINUTE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}\Z")
_RISKY_FIRST = frozenset("0123456789+-.~")
_MARK = "__hcode_key__"
# a line longer than this is left to the exact rewrite: ruamel.yaml moves a value over its width
# (4096) to the next line, and libyaml refuses a key over 1024 characters
_LONGEST = 1024
_DEEPEST = 40  # columns of indentation: 20 levels, half the strict reader's depth limit

_SCALAR = yaml.ScalarEvent
_MAP_START = yaml.MappingStartEvent
_MAP_END = yaml.MappingEndEvent
_SEQ_START = yaml.SequenceStartEvent
_SEQ_END = yaml.SequenceEndEvent


class _No(HcodeError):
    """Not sure the file is canonical."""


_BLOCK = object()  # the value of a key whose value is a block (a mapping or a list)
_CHOOSERS = ("kind", "aware")  # the top-level keys that choose a case file's schema (record_schema)


def key_orders(name: str) -> dict[str, list[str]]:
    """Key order of each mapping in a schema, by the property name that holds it."""
    s = schema(name)
    out: dict[str, list[str]] = {"": list(s.get("properties", {}))}

    def visit(key: str, node: Any) -> None:
        if not isinstance(node, dict):
            return
        if "$ref" in node:
            node = s["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        for alt in node.get("anyOf", []):
            visit(key, alt)
        if "properties" in node and key not in out:
            out[key] = list(node["properties"])
            for child, sub in node["properties"].items():
                visit(child, sub)
        if "items" in node:
            visit(key, node["items"])
        if isinstance(node.get("additionalProperties"), dict):
            visit(key + "/*", node["additionalProperties"])

    for key, sub in s.get("properties", {}).items():
        visit(key, sub)
    return out


@lru_cache(maxsize=8)
def canonical_orders(name: str) -> dict[str, list[str]]:
    """The key orders fmt writes a file of schema ``name`` in (kept once made: never change it)."""
    orders = key_orders(name)
    if name == "assessment":
        orders.pop("provisions", None)  # answers are in provision order, not schema order
    return orders


def provision_key(text: str) -> tuple[int, ...]:
    """Where an answer's key sorts: 1.2 before 6.1 before 6.10; anything else last."""
    try:
        return tuple(int(x) for x in text.split("."))
    except ValueError:
        return (10**6,)


def _plain_value_kept(value: str) -> bool:
    """Whether ruamel.yaml writes this plain scalar back exactly as written."""
    if value[:1] not in _RISKY_FIRST:
        kind = resolve_plain(value)
        if isinstance(kind, bool):
            return value in ("true", "false")
        return isinstance(kind, str) and value.lower() not in ("yes", "no", "on", "off", "y", "n")
    if _ISO.match(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
        return True
    if _MINUTE.match(value):
        return True
    if _DATEISH.match(value):
        return False
    return bool(_INT.match(value) or _DECIMAL.match(value))


def _in_order(keys: list[str], context: str, orders: dict[str, list[str]], assessment: bool) -> bool:
    """Whether a mapping's ``keys`` are in the order fmt writes them (``context``: the key that
    holds the mapping)."""
    if assessment and context == "provisions":
        return keys == sorted(keys, key=provision_key)
    order = orders.get(context)
    if order is None:
        return True
    known = [k for k in order if k in keys]
    rest = [k for k in keys if k not in order]
    return keys == known + rest


class _Walker:
    __slots__ = ("assessment", "lines", "next", "orders", "top")

    def __init__(self, text: str, name: str) -> None:
        self.lines = text.split("\n")
        self.next: Any = _Parser(text).get_event
        self.orders = canonical_orders(name)
        self.assessment = name == "assessment"
        self.top: dict[str, Any] = {}  # the top-level values that choose a case file's schema

    def scalar_on_line(self, event: Any, line: int, column: int) -> None:
        """A one-line scalar value starting exactly at ``line``:``column`` and ending the line."""
        start, end = event.start_mark, event.end_mark
        if event.tag is not None or event.anchor is not None:
            raise _No
        if start.line != line or start.column != column or end.line != line:
            raise _No
        if end.column != len(self.lines[line]):
            raise _No  # something (a comment) follows the value
        value = event.value
        style = event.style
        if not style:
            if not value or not _plain_value_kept(value):
                raise _No
        elif style == "'":
            if "'" in value or "\n" in value or _ISO.match(value) or not value.isprintable():
                raise _No
        elif style == '"':
            raw = self.lines[line][column : end.column]
            if "\\" in raw or _ISO.match(value) or not value.isprintable():
                raise _No
        else:
            raise _No  # block scalars: left to the full rewrite

    def value(self, key_event: Any, key: str, context: str) -> Any:
        """The value of ``key`` (its key event given) in a mapping whose keys sit at the key's
        column; a one-line scalar's value is returned as the strict reader reads it."""
        event = self.next()
        kind = type(event)
        line = key_event.start_mark.line
        key_end = key_event.end_mark.column
        text = self.lines[line]
        if kind is _SCALAR:
            if text[key_end : key_end + 2] != ": ":
                raise _No
            self.scalar_on_line(event, line, key_end + 2)
            return event.value if event.style else resolve_plain(event.value)
        if len(text) != key_end + 1 or text[key_end] != ":":
            raise _No  # "key:" must end its line when a block follows
        if event.anchor is not None or event.tag is not None or event.flow_style:
            raise _No
        column = key_event.start_mark.column + 2
        if column > _DEEPEST:
            raise _No  # deeper than any hcode file: the strict reader judges the depth
        if event.start_mark.line <= line or event.start_mark.column != column:
            raise _No
        if kind is _MAP_START:
            self.mapping(column, context)
        elif kind is _SEQ_START:
            self.sequence(column, context)
        else:
            raise _No
        return _BLOCK

    def mapping(self, column: int, context: str, first_line: int | None = None) -> None:
        """A block mapping whose keys are at ``column`` (the first on ``first_line`` if given)."""
        keys: list[str] = []
        while True:
            event = self.next()
            if type(event) is _MAP_END:
                break
            if type(event) is not _SCALAR or event.style or event.tag is not None or event.anchor is not None:
                raise _No
            key = event.value
            start: Any = event.start_mark
            end: Any = event.end_mark
            if start.column != column or start.line != end.line or not _KEY.match(key):
                raise _No
            if first_line is not None and not keys and start.line != first_line:
                raise _No
            if key in keys:
                raise _No  # a duplicate key: the strict reader reports it
            keys.append(key)
            orders = self.orders
            child = context + "/*" if context + "/*" in orders and key not in orders.get(context, []) else key
            found = self.value(event, key, child)
            if not context and key in _CHOOSERS:
                self.top[key] = found
        if not _in_order(keys, context, self.orders, self.assessment):
            raise _No

    def sequence(self, column: int, context: str) -> None:
        """A block list whose dashes are at ``column``."""
        while True:
            event = self.next()
            kind = type(event)
            if kind is _SEQ_END:
                return
            if event.anchor is not None or event.tag is not None:
                raise _No
            line = event.start_mark.line
            text = self.lines[line]
            if kind is _SCALAR:
                if text[:column].strip() or text[column : column + 2] != "- ":
                    raise _No
                self.scalar_on_line(event, line, column + 2)
            elif kind is _MAP_START and not event.flow_style:
                if event.start_mark.column != column + 2 or text[:column].strip() or text[column : column + 2] != "- ":
                    raise _No
                self.mapping(column + 2, context, first_line=line)
            else:
                raise _No


# -- the same answer from the lines alone, for the common case ----------------------------------
#
# Every line of a file the walker vouches for is blank, a whole-line comment, or one of
# ``KEY: VALUE``, ``KEY:`` (a block follows), ``- KEY: VALUE``, ``- KEY:`` and ``- VALUE``, indented
# as fmt writes them. When every line is one of these, with a value in a form that can only be
# read one way (no indicator first, no ": " or " #" inside, a quoted value closed at the line's
# end), the indentation alone gives the structure libyaml would read, and the walker's checks can
# be made on the lines, without building an event per node: about three times faster. What the
# lines cannot settle ("not sure") goes to the walker, which decides.

# one line: its indentation, then a whole-line comment ("#"), or a list dash, and a key with its
# value or a value alone; or nothing (a blank line)
_LINE = re.compile(r"^( *)(?:(#).*|(- )?(?:([A-Za-z_][A-Za-z0-9_\-]*|\d+\.\d+):(?: (.+))?|(.+)))?\n", re.M)
_FLOW_STOPS = frozenset(",[]{}#:'\"")  # characters a plain value in a flow mapping may not hold
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")


def _line_value_kept(raw: str) -> bool:
    """Whether a one-line value as written after ``": "`` or ``"- "`` is one the walker would keep
    (and can be read only one way)."""
    first = raw[0]
    if first == "'" or first == '"':
        value = raw[1:-1]
        return (
            len(raw) >= 2 and raw[-1] == first and first not in value and not _ISO.match(value) and value.isprintable()
        )
    return not (
        (first in _INDICATORS and first != "-")
        or ": " in raw
        or " #" in raw
        or raw[-1] == ":"
        or not _plain_value_kept(raw)
    )


_KEPT: dict[str, bool] = {}  # what _line_value_kept said of each value seen (dates, outcomes... repeat)


def _kept(raw: str) -> bool:
    found = _KEPT.get(raw)
    if found is None:
        if len(_KEPT) > 100_000:
            _KEPT.clear()
        found = _KEPT[raw] = _line_value_kept(raw)
    return found


def _read_as(raw: str) -> Any:
    """A kept one-line value as the strict reader reads it."""
    return raw[1:-1] if raw[0] in "'\"" else resolve_plain(raw)


class _Lines:
    __slots__ = ("assessment", "at", "lines", "orders", "top")

    def __init__(self, lines: list[tuple[int, bool, str | None, str | None]], name: str) -> None:
        self.lines = lines
        self.at = 0
        self.orders = canonical_orders(name)
        self.assessment = name == "assessment"
        self.top: dict[str, Any] = {}

    def block(self, column: int, context: str) -> None:
        """The block under a ``KEY:`` line: a mapping with keys at ``column`` or a list with
        dashes there, starting on the next line."""
        if column > _DEEPEST or self.at >= len(self.lines):
            raise _No
        indent, dash, _key, _value = self.lines[self.at]
        if indent != column:
            raise _No
        if dash:
            self.sequence(column, context)
        else:
            self.mapping(column, context, False)

    def mapping(self, column: int, context: str, on_dash: bool) -> None:
        """Keys at ``column``; ``on_dash``: the first key is on a list item's dash line."""
        lines = self.lines
        keys: list[str] = []
        orders = self.orders
        star = context + "/*"
        own = orders.get(context, ())
        while self.at < len(lines):
            indent, dash, key, raw = lines[self.at]
            if on_dash and not keys:
                indent += 2  # "- KEY": the key two columns after the dash
            elif dash or indent != column:
                if indent > column:
                    raise _No  # deeper than a key with a one-line value allows
                break  # the mapping ends (a shallower line, or the next item of a list)
            if key is None or key in keys:
                raise _No
            keys.append(key)
            self.at += 1
            if raw is None or raw[0] == "{":
                child = star if star in orders and key not in own else key
                if raw is None:
                    self.block(column + 2, child)
                elif not self.flow(raw, child):
                    raise _No
                if not context and key in _CHOOSERS:
                    self.top[key] = _BLOCK
            elif not _kept(raw):
                raise _No
            elif not context and key in _CHOOSERS:
                self.top[key] = _read_as(raw)
        if not _in_order(keys, context, self.orders, self.assessment):
            raise _No

    def flow(self, raw: str, context: str) -> bool:
        """Whether a one-line flow mapping (``{on: 2024-03-12, why: decanted}``) is written as fmt
        writes it: ``", "`` between pairs, ``": "`` in each, keys in order, and plain values no
        flow character can cut short (no ``,[]{}#:`` or quote inside). The walker leaves these
        to the rewrite; the hypothesis tests check this answer against it."""
        if raw[-1] != "}":
            return False
        keys: list[str] = []
        for pair in raw[1:-1].split(", "):
            key, sep, value = pair.partition(": ")
            if (
                not sep
                or not value
                or not _KEY.match(key)
                or key in keys
                or value[0] in _INDICATORS
                or value[-1] == " "
                or any(c in _FLOW_STOPS for c in value)
                or not _plain_value_kept(value)
            ):
                return False
            keys.append(key)
        return _in_order(keys, context, self.orders, self.assessment)

    def sequence(self, column: int, context: str) -> None:
        """List items with their dashes at ``column``."""
        lines = self.lines
        while self.at < len(lines):
            indent, dash, key, raw = lines[self.at]
            if indent != column or not dash:
                if indent > column:
                    raise _No
                return
            if key is None:
                if raw is None or not _kept(raw):
                    raise _No
                self.at += 1
            else:
                self.mapping(column + 2, context, True)


def _by_lines(text: str, name: str) -> dict[str, Any] | None:
    """The top-level values that choose a case file's schema, when the lines alone show that the
    walker would vouch for ``text`` (its whole-text checks already made); None when unsure."""
    found = _LINE.findall(text)
    if len(found) != text.count("\n"):
        return None  # a line of another form
    lines: list[tuple[int, bool, str | None, str | None]] = [
        (len(spaces), bool(dash), key or None, (value if key else scalar) or None)
        for spaces, comment, dash, key, value, scalar in found
        if not comment and (dash or key or scalar)
    ]
    if any(key is None and value is None for _i, _d, key, value in lines):
        return None  # a dash alone
    if any(not dash and key is None for _i, dash, key, _v in lines):
        return None  # a value alone on its line
    if not lines or lines[0][0] != 0 or lines[0][1]:
        return None
    reader = _Lines(lines, name)
    try:
        reader.mapping(0, "", False)
    except _No:
        return None
    return reader.top if reader.at == len(lines) else None


def already_canonical(text: str, name: str) -> bool:
    """True only when ``hcode fmt`` would leave ``text`` (a file of schema ``name``) unchanged.
    A case file (``case``) is judged by the schema its ``kind`` chooses, as fmt does."""
    if name == "case":  # a guess, proved below from the values read (record_schema)
        chosen = "hazard" if text.startswith("kind: hazard\n") or "\nkind: hazard\n" in text else "case"
        return _canonical(text, chosen, case_file=True)
    return _canonical(text, name, case_file=False)


def _canonical(text: str, name: str, *, case_file: bool, lines: bool = True) -> bool:
    """``lines``: settle it from the lines where they can (False: the walker alone)."""
    if not text.endswith("\n") or text.startswith("\n") or text.endswith("\n\n") or "\n\n\n" in text:
        return False
    if "\t" in text or "\r" in text or " \n" in text or _MARK in text or "\\" in text:
        return False
    if text.startswith(("---", "...", "%")) or "\n---" in text or "\n..." in text or "\n%" in text:
        return False
    if not text.replace("\n", "").isprintable():
        return False
    if len(text) > _LONGEST and max(map(len, text.split("\n"))) > _LONGEST:
        return False  # the exact rewrite decides (folding at ruamel.yaml's width, a key too long)
    top = _by_lines(text, name) if lines else None
    if top is not None:
        return not case_file or record_schema(top) == name
    walker = _Walker(text, name)
    try:
        for expected in (yaml.StreamStartEvent, yaml.DocumentStartEvent):
            if type(walker.next()) is not expected:
                return False
        first: Any = walker.next()
        if type(first) is not _MAP_START or first.flow_style or first.anchor is not None or first.tag is not None:
            return False
        first_mark: Any = first.start_mark
        if first_mark.column != 0:
            return False
        walker.mapping(0, "")
        if type(walker.next()) is not yaml.DocumentEndEvent or type(walker.next()) is not yaml.StreamEndEvent:
            return False
    except (_No, yaml.YAMLError, IndexError):
        return False
    return not case_file or record_schema(walker.top) == name
