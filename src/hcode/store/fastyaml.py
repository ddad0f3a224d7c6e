"""A fast path for reading ordinary case files, with the strict reader as the authority.

:func:`fast_parse` parses with rapidyaml (C++), turns the tree into JSON and reads that with
orjson: about a third of the cost of the strict reader. It answers only when it is sure to give
exactly what :func:`hcode.store.yamlread.parse` would give, and returns ``None`` otherwise, so the
caller falls back to the strict reader, which then reports any problem with its line. It steps
aside for: anything that might be an anchor, alias, tag, directive, document marker, complex
key, block scalar or tab; any token starting with a character YAML reserves (``@``, a backtick,
``]``, ...) and any character the strict reader refuses (control characters): rapidyaml accepts
some of these where the strict reader reports the file; duplicate keys (the JSON would keep only
the last); nesting deeper than the strict reader allows; any plain value that YAML 1.2 as hcode
reads it would type differently from the JSON (``True``, ``~``, ``012``, ...), a number too large
for the JSON reader (an integer beyond 64 bits comes back as a float) and a provision number
under ``provisions`` (kept as written: ``6.10``). Property tests check the two readers agree on
generated documents and on case files with odd characters put in.

Before rapidyaml, :func:`plain_parse` reads in Python the layout most case files have (what
``hcode fmt`` and the importer write): printable ASCII, one ``key: value`` per line, nested
mappings by indentation, plain values and comments; it steps aside for anything else (a list, a
quoted or flow value, a value over several lines, a key that is not a plain word ...). It needs
no check of the text first and writes nothing to standard error, so every process may use it.
"""

from __future__ import annotations

import re
from typing import Any

from hcode.errors import HcodeError
from hcode.store.yamlread import DEFAULT_MAX_DEPTH, resolve_plain

try:
    import orjson
    import ryml

    AVAILABLE = True
except ImportError:  # pragma: no cover - both are dependencies; the strict reader still works
    AVAILABLE = False

# A token starting with a character YAML reserves (an indicator), which the strict reader
# refuses or reads in its own way: an anchor, alias, tag, block scalar, directive, '@', '`', a
# stray ']' or '}' or ','; a complex key ('? key') or an empty one (': value'); and a quoted
# scalar that does not end on its line (the strict reader refuses it as a key). Written to start
# with the character itself, so that the search skips ahead to it (a search starting with "what
# comes before" costs five times as much); the text is searched with a line break in front.
_RESERVED = re.compile(
    r"""[&*!|>%@`\]},?:"'](?<=[\s\[{,].)"""
    r"""(?:(?<=[?:])(?=\s|$)|(?<=")(?:[^"\\\n]|\\.)*$|(?<=')(?:[^'\n]|'')*$|(?<=[&*!|>%@`\]},]))""",
    re.MULTILINE,
)
# what the strict reader (libyaml) refuses anywhere in a file: characters that are not printable
_UNPRINTABLE = re.compile("[^\t\n\r -~\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LONE_CR = re.compile(r"\r(?!\n)")
# In a flow collection ('[...]', '{...}') rapidyaml and libyaml part ways on a '?', a comment,
# a ':' not followed by a space ('[?a]', '{a #b}', '[b:]', '[:x]') and a key over two lines
# ('[a\n  b: c]'): one reads a value where the other reads another or refuses the file. Where a
# file has a flow collection, any of these, a quote (which may hide a bracket) or a line whose
# brackets do not pair up (a collection over several lines) sends it to the strict reader.
_FLOW_RISK = re.compile(r"""[?'"]|\s#|:(?![ \n]|\Z)""")


def _flow_hazard(text: str) -> bool:
    if _FLOW_RISK.search(text) is not None:
        return True
    return any(line.count("[") != line.count("]") or line.count("{") != line.count("}") for line in text.split("\n"))


def hazardous(text: str) -> bool:
    """True when ``text`` may hold YAML that only the strict reader handles exactly.

    Cheap substring tests first; the regular expressions run only when their characters occur.
    """
    if "\t" in text or "%" in text[:1] or "\n%" in text:
        return True
    if _UNPRINTABLE.search(text) is not None:
        return True
    if "\x85" in text or "\u2028" in text or "\u2029" in text or "\ufeff" in text:
        return True  # line breaks to YAML 1.1 (libyaml) but not to YAML 1.2 (rapidyaml)
    if text.startswith(("---", "...")) or "\n---" in text or "\n..." in text:
        return True
    if _RESERVED.search("\n" + text) is not None:
        return True
    if ("[" in text or "{" in text) and _flow_hazard(text):
        return True
    return "\r" in text and _LONE_CR.search(text) is not None


_RISKY_FIRST = frozenset("TFNn~0123456789+-.")


class _Unsure(HcodeError):
    pass


_DIGITS = frozenset("0123456789")


def _risky(text: str) -> bool:
    """Whether YAML 1.2 as hcode reads it would give a plain ``text`` another type or value than
    the JSON does (only for text starting with one of :data:`_RISKY_FIRST`)."""
    if text[3:4] in _DIGITS and text[4:5] == "-" and text[:1] in _DIGITS:
        # a date (2024-05-03): a '-' after a digit is in no number, and the text is no word
        return False
    return resolve_plain(text) is not text or text.lower().lstrip("+-") in (".inf", ".nan")


_TOO_LARGE = 2.0**63  # an integer beyond 64 bits comes back from the JSON as a float


def _check(value: Any, depth: int) -> int:
    """Count the nodes of a parsed mapping or list (to compare with rapidyaml's tree), refusing
    what the strict reader would read differently. Each child is looked at here, not in a call
    of its own: most are text."""
    if depth >= DEFAULT_MAX_DEPTH:
        raise _Unsure  # the strict reader refuses a mapping or list this deep, even an empty one
    total = 1
    if type(value) is dict:
        children: Any = value.values()
        listed = value.get("provisions")
        if type(listed) is list and not all(type(item) is str for item in listed if type(item) not in _NESTED):
            raise _Unsure  # the strict reader keeps a provision number as written: 6.10 is not 6.1
    else:
        children = value
    for child in children:
        kind = type(child)
        if kind is str:
            if child[:1] in _RISKY_FIRST and _risky(child):
                raise _Unsure  # quoted or plain, inf or .inf? Only the strict reader can tell
            total += 1
        elif kind is dict or kind is list:
            total += _check(child, depth + 1)
        elif kind is float and not -_TOO_LARGE < child < _TOO_LARGE:
            raise _Unsure  # 12345678901234567890123 is an integer (or text) to the strict reader
        else:
            total += 1
    return total


_NESTED = (dict, list)


# A key plain_parse reads: a plain word (letters, digits, '_', '.', '-'; not starting with '-'
# or '.'), which the strict reader keeps as written.
_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}\Z")
# A plain value may not start with an indicator (the strict reader refuses some, reads others
# as something else: a quote, a flow collection, an anchor, a block scalar ...); a '-' or '.'
# may start a number or a word, but is left to the other readers
_VALUE_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@`.")
_NESTING = 10  # deeper than any hcode file; the strict reader's limit is far beyond


class _Line:
    """What a line says on its own (:func:`_read_line`)."""


_SKIP = _Line()  # a blank line or a whole-line comment
_OPENS = _Line()  # a key with nothing after its ':' (a mapping below, or null)
# Lines already read, by their text: most lines of case files recur (a key with a date, a
# category, a status...), and a line says the same wherever it is. Short lines only, so that
# free text does not fill it; a line the reader steps aside for is not kept. A line is kept
# here when it is met a second time: until then it waits in _ONCE (emptied when full), so that
# the many lines met only once (an id, a reference) do not fill this memo before the lines that
# recur are in it.
_LINES: dict[str, tuple[int, str, Any] | _Line] = {}
_LINES_KEPT = 50_000
_LINE_KEPT = 80  # characters
_ONCE: dict[str, tuple[int, str, Any] | _Line] = {}
_ONCE_KEPT = 20_000


def _read_line(line: str) -> tuple[int, str, Any] | _Line | None:
    """A line of the plain layout on its own: its indentation, key and value (:data:`_OPENS`
    when nothing follows the ':'), :data:`_SKIP`, or None where :func:`plain_parse` steps aside
    (as for a character other than ASCII from ' ' to '~': a tab, CR or control; the document is
    checked to be ASCII first)."""
    if not line.isprintable():
        return None
    stripped = line.lstrip(" ")
    if not stripped or stripped[0] == "#":
        return _SKIP  # a blank line or a comment (no value runs over lines here)
    colon = stripped.find(":")
    if colon <= 0:
        return None
    key = stripped[:colon]
    if _KEY.match(key) is None:
        return None
    ind = len(line) - len(stripped)
    rest = stripped[colon + 1 :]
    if rest:
        if rest[0] != " ":
            return None  # 'a:b' is one word to YAML, not a key
        cut = rest.find(" #")
        if cut >= 0:
            rest = rest[:cut]  # a comment
        value = rest.strip(" ")
        if value:
            if value[0] in _VALUE_FIRST or ": " in value or value[-1] == ":":
                return None
            return ind, key, resolve_plain(value)
    return ind, key, _OPENS


def plain_parse(text: str) -> dict[str, Any] | None:
    """The document as a mapping where it is written in the plain block layout (see the module's
    docstring), or ``None``: then only another reader can say."""
    if not text.isascii():
        return None
    lines = text.split("\n")  # each line printable (:func:`_read_line`): no tab, CR or control
    root: dict[str, Any] = {}
    stack: list[tuple[int, dict[str, Any]]] = [(0, root)]
    indent, current = 0, root
    pending: str | None = None  # a key with nothing after its ':' (a mapping below, or null)
    known, once = _LINES, _ONCE
    for line in lines:
        read = known.get(line)
        if read is None:
            read = once.pop(line, None)
            if read is not None:  # met a second time: kept
                if len(known) < _LINES_KEPT:
                    known[line] = read
            else:
                read = _read_line(line)
                if read is None:
                    return None
                if len(line) <= _LINE_KEPT:
                    if len(once) >= _ONCE_KEPT:
                        once.clear()
                    once[line] = read
        if read is _SKIP:
            continue
        ind, key, value = read  # type: ignore[misc]
        if pending is not None:
            if ind > indent:  # the mapping under the pending key
                if len(stack) >= _NESTING:
                    return None
                child: dict[str, Any] = {}
                current[pending] = child
                stack.append((ind, child))
                indent, current = ind, child
            pending = None  # else its value stays null
        elif ind > indent:
            return None  # a value continued on the next line, or a stray indentation
        while ind < indent:
            stack.pop()
            indent, current = stack[-1]
        if ind != indent:
            return None  # back to an indentation no mapping has
        if key in current:
            return None  # a duplicate key: the strict reader names both lines
        if value is _OPENS:
            current[key] = None
            pending = key
        else:
            current[key] = value
    return root or None


# A content line (not blank, not a comment) indented less than N spaces, by N (N >= 1).
_OUTDENTED: dict[int, re.Pattern[str]] = {}


def _outdented(indent: int) -> re.Pattern[str]:
    pattern = _OUTDENTED.get(indent)
    if pattern is None:
        pattern = _OUTDENTED[indent] = re.compile(rf"\n {{0,{indent - 1}}}[^ #\n]")
    return pattern


def plain_locate(text: str, path: tuple[Any, ...], *, key: bool = False) -> tuple[int, int] | None:
    """Where ``path`` starts in a ``text`` that :func:`plain_parse` read (and only there): what
    :func:`hcode.store.yamlread.quick_locate` answers for it, found by searching the text rather
    than walking its lines (tested to agree). None where quick_locate would say None, and for a
    path part that is no plain key (the caller then asks quick_locate).

    In that layout every line that starts with ``SPACES key:`` is the line of that key at that
    indentation (no value runs over lines, no key holds a ':', no key repeats in its mapping), and
    the lines of a nested mapping run to the first line that is neither blank, nor a comment, nor
    indented as deep."""
    if not path:
        return None
    indent = 0
    start = 0  # the offset of the line where the mapping looked in begins
    last = len(path) - 1
    for depth, part in enumerate(path):
        if type(part) is not str or _KEY.match(part) is None:
            return None
        head = " " * indent + part + ":"
        if depth == 0:
            if text.startswith(head):
                at = 0
            else:
                at = text.find("\n" + head) + 1
                if at == 0:
                    return None
        else:
            found = text.find("\n" + head, start - 1)
            if found < 0 or _outdented(indent).search(text, start - 1, found + 1) is not None:
                return None  # not in this mapping (or past its end)
            at = found + 1
        end = text.find("\n", at)
        if end < 0:
            end = len(text)
        rest = text[at + len(head) : end]  # after the ':' (nothing, or a space and more)
        if depth == last:
            if key:
                return text.count("\n", 0, at) + 1, indent + 1
            value = rest.lstrip(" ")
            if value and value[0] != "#":
                return text.count("\n", 0, at) + 1, indent + len(part) + 2 + (len(rest) - len(value))
            return None  # the value is on a later line (or none): the parser says where
        after = rest.strip()
        if after and after[0] != "#":
            return None  # a value here, so no mapping below
        # the mapping below starts on the next line that is neither blank nor a comment
        start = end + 1
        while True:
            if start >= len(text):
                return None
            stop = text.find("\n", start)
            if stop < 0:
                stop = len(text)
            line = text[start:stop].lstrip(" ")
            if line and line[0] != "#":
                break
            start = stop + 1
        child = stop - start - len(line)
        if child <= indent:
            return None
        indent = child
    return None  # pragma: no cover - the loop returns at the last part


def fast_parse(text: str) -> dict[str, Any] | None:
    """The document as a mapping, or ``None`` where only the strict reader can be trusted."""
    plain = plain_parse(text)
    return plain if plain is not None else rapid_parse(text)


def rapid_parse(text: str) -> dict[str, Any] | None:
    """The document as a mapping read by rapidyaml, or ``None`` where only the strict reader can
    be trusted."""
    if not AVAILABLE or hazardous(text):
        return None
    data = text.encode("utf-8")
    try:
        tree = ryml.parse_in_arena(data)
        emitted = ryml.emit_json_malloc(tree, tree.root_id())
        if emitted is None:
            return None
        value = orjson.loads(emitted)
        if type(value) is not dict or _check(value, 0) != tree.size():
            return None
    except (_Unsure, ValueError, RuntimeError, TypeError, MemoryError):
        return None
    except Exception:  # rapidyaml's own parse errors: let the strict reader explain
        return None
    return value
