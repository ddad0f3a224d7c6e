"""A fast path for reading ordinary case files, with the strict reader as the authority.

:func:`fast_parse` parses with rapidyaml (C++), turns the tree into JSON and reads that with
orjson: about a third of the cost of the strict reader. It answers only when it is sure to give
exactly what :func:`hcode.store.yamlread.parse` would give, and returns ``None`` otherwise, so the
caller falls back to the strict reader, which then reports any problem with its line. It steps
aside for: anything that might be an anchor, alias, tag, directive, document marker, complex
key, block scalar or tab; duplicate keys (the JSON would keep only the last); nesting deeper
than the strict reader allows; and any plain value that YAML 1.2 as hcode reads it would type
differently from the JSON (``True``, ``~``, ``012``, ...). A property test checks the two
readers agree on generated documents.
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

_NODE_PROPERTY = re.compile(r"(?:^|[\s\[{,])[&*!]\S", re.MULTILINE)  # anchor, alias or tag
_COMPLEX_KEY = re.compile(r"^\s*\?(?: |$)", re.MULTILINE)
_BLOCK_SCALAR = re.compile(r"[:\-]\s+[|>][0-9+\-]*\s*(?:#.*)?$", re.MULTILINE)
_LONE_CR = re.compile(r"\r(?!\n)")


def hazardous(text: str) -> bool:
    """True when ``text`` may hold YAML that only the strict reader handles exactly.

    Cheap substring tests first; the regular expressions run only when their characters occur.
    """
    if "\t" in text or "%" in text[:1] or "\n%" in text:
        return True
    if "\x85" in text or "\u2028" in text or "\u2029" in text or "\ufeff" in text:
        return True  # line breaks to YAML 1.1 (libyaml) but not to YAML 1.2 (rapidyaml)
    if text.startswith(("---", "...")) or "\n---" in text or "\n..." in text:
        return True
    if ("&" in text or "*" in text or "!" in text) and _NODE_PROPERTY.search(text):
        return True
    if "?" in text and _COMPLEX_KEY.search(text):
        return True
    if ("|" in text or ">" in text) and _BLOCK_SCALAR.search(text):
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


def _check(value: Any, depth: int) -> int:
    """Count the nodes of a parsed mapping or list (to compare with rapidyaml's tree), refusing
    what the strict reader would read differently. Each child is looked at here, not in a call
    of its own: most are text."""
    if depth >= DEFAULT_MAX_DEPTH:
        raise _Unsure  # the strict reader refuses a mapping or list this deep, even an empty one
    total = 1
    for child in value.values() if type(value) is dict else value:
        kind = type(child)
        if kind is str:
            if child[:1] in _RISKY_FIRST and _risky(child):
                raise _Unsure  # quoted or plain, inf or .inf? Only the strict reader can tell
            total += 1
        elif kind is dict or kind is list:
            total += _check(child, depth + 1)
        else:
            total += 1
    return total


def fast_parse(text: str) -> dict[str, Any] | None:
    """The document as a mapping, or ``None`` where only the strict reader can be trusted."""
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
