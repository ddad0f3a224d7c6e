"""JSON-Schema validation of workspace files, with messages a complaints officer can act on.

The schemas (Draft 2020-12) ship in ``hcode/schemas``. A compiled validator (jsonschema-rs)
answers "is this valid?" on the common path; only a file that fails is validated again with
the ``jsonschema`` package, whose errors carry the detail turned into plain-English messages.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs

from hcode.core.model import Path
from hcode.core.text import shorten

SCHEMA_NAMES = (
    "workspace",
    "assessment",
    "case",
    "hazard",
    "provisions",
    "report",
    "ombudsman",
    "mapping",
    "import",
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a file, located by its path inside the document."""

    message: str
    path: Path
    key: bool = False  # point at the key itself rather than its value
    hint: str | None = None


@cache
def schema_text(name: str) -> str:
    """The JSON text of a shipped schema."""
    if name not in SCHEMA_NAMES:
        raise KeyError(name)
    return resources.files("hcode.store").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")


@cache
def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_text(name))
    return loaded


@cache
def date_keys(*names: str) -> frozenset[str]:
    """Every key whose value is a date in the named schemas (the schemas are the one list of
    which fields hold dates: ``hcode fmt`` writes those plainly as YYYY-MM-DD)."""
    return frozenset(key for name in names for key in _date_keys(schema(name)))


def _date_keys(s: dict[str, Any]) -> set[str]:
    defs = s.get("$defs", {})
    out: set[str] = set()
    seen: set[int] = set()

    def target(node: Any) -> Any:
        ref = node.get("$ref") if isinstance(node, dict) else None
        return defs.get(ref.rsplit("/", 1)[-1]) if isinstance(ref, str) else node

    def is_date(node: Any) -> bool:
        node = target(node)
        if not isinstance(node, dict):
            return False
        return node.get("title") == "date" or any(is_date(a) for a in node.get("anyOf", []) + node.get("oneOf", []))

    def visit(node: Any) -> None:
        node = target(node)
        if not isinstance(node, dict) or id(node) in seen:
            return
        seen.add(id(node))
        for key, sub in (node.get("properties") or {}).items():
            if is_date(sub):
                out.add(key)
            visit(sub)
        for sub in (node.get("patternProperties") or {}).values():
            visit(sub)
        for key in ("items", "additionalProperties"):
            visit(node.get(key))
        for alt in node.get("anyOf", []) + node.get("oneOf", []) + node.get("allOf", []):
            visit(alt)

    visit(s)
    return out


@cache
def _fast(name: str) -> Any:
    return jsonschema_rs.validator_for(schema(name))


def validate(name: str, data: Any) -> list[Problem]:
    """All schema problems in ``data`` (empty when valid), in document order."""
    if _fast(name).is_valid(data):
        return []
    return _explain(name, data)


def _explain(name: str, data: Any) -> list[Problem]:
    import jsonschema  # imported only when a file is invalid

    validator = jsonschema.Draft202012Validator(schema(name))
    problems: list[Problem] = []
    for error in validator.iter_errors(data):
        problems.extend(_describe(error))
    if not problems:  # the two validators disagree: never pass a file the fast one refused
        problems.append(Problem("the file does not match the hcode schema", ()))
    problems.sort(key=lambda p: tuple(str(part) for part in p.path))
    seen: set[tuple[Path, str]] = set()
    unique = []
    for p in problems:
        if (p.path, p.message) not in seen:
            seen.add((p.path, p.message))
            unique.append(p)
    return unique


def _field(path: Path) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return "this item"


def _show(value: Any) -> str:
    if isinstance(value, str):
        shown = shorten(value)
        return repr(shown)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return str(value)


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping of keys and values",
    "array": "a list",
    "null": "empty",
}


def _describe(error: Any) -> list[Problem]:
    path: Path = tuple(error.absolute_path)
    field = _field(path)
    kind = error.validator
    sub = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance
    if kind == "additionalProperties":
        known = list(sub.get("properties", {}))
        extras = [k for k in instance if k not in known and not str(k).startswith("x-")]
        out = []
        for key in extras:
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = (
                f"did you mean {close[0]!r}?"
                if close
                else "known keys here: " + ", ".join(known) + " (your own fields must start with 'x-')"
            )
            out.append(Problem(f"unknown key {key!r}", (*path, key), key=True, hint=hint))
        return out
    if kind == "required":
        missing = [k for k in error.validator_value if k not in instance]
        where = f"in {field!r}" if path else "in this file"
        return [Problem(f"{k!r} is missing {where}", path, key=bool(path), hint=f"add '{k}:'") for k in missing]
    if kind == "propertyNames" or "propertyNames" in error.absolute_schema_path:
        notes = path[-1:] == ("notes",)
        return [
            Problem(
                f"{_show(instance)} is not a {'note id' if notes else 'provision number'}",
                (*path, instance) if isinstance(instance, str) else path,
                key=True,
                hint="a note id is letters, digits, - or _ (notes: 1:, 2:, ...); refer to it as 'see note 1'"
                if notes
                else "write provision numbers like 6.10 (section, dot, number)",
            )
        ]
    if kind == "anyOf" or kind == "oneOf":
        # Report against the most specific alternative that matched the type.
        for alt in error.context or []:
            if alt.validator != "type":
                return _describe(alt)
        titles = [s.get("title") for s in error.validator_value if isinstance(s, dict)]
        if "$ref" in str(error.validator_value) or "date" in titles:
            return [_date_problem(path, field, instance)]
        kinds = [a.validator_value for a in error.context or [] if a.validator == "type" and not a.path]
        kind_words = [_TYPE_WORDS.get(str(k), str(k)) for k in dict.fromkeys(str(k) for k in kinds)]
        if kind_words:
            return [Problem(f"{field!r} must be {' or '.join(kind_words)}, found {_show(instance)}", path)]
        return [Problem(f"{field!r} has the wrong kind of value: {_show(instance)}", path)]
    if sub.get("title") == "date":
        return [_date_problem(path, field, instance)]
    if sub.get("title") == "flag":
        return [
            Problem(
                f"{field!r} must be true or false, found {_show(instance)}",
                path,
                hint="write true or false (yes and no also work)",
            )
        ]
    if kind == "pattern" and field == "comply":
        return [
            Problem(
                f"'comply' must be yes, no or partly (or n/a where the form allows it), found {_show(instance)}",
                path,
                hint="the 2024 and 2022 forms are Yes/No: write yes or no; the 2020 questionnaire also allows n/a",
            )
        ]
    if kind == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        close = difflib.get_close_matches(str(instance), [str(c) for c in error.validator_value], 1)
        hint = f"did you mean {close[0]!r}?" if close else f"use one of: {choices}"
        return [Problem(f"{field!r} is {_show(instance)}, which is not one of: {choices}", path, hint=hint)]
    if kind == "const":
        return [Problem(f"{field!r} must be {error.validator_value}, found {_show(instance)}", path)]
    if kind == "type":
        wanted = error.validator_value
        wanted_list = wanted if isinstance(wanted, list) else [wanted]
        words = " or ".join(str(_TYPE_WORDS.get(w, w)) for w in wanted_list if w != "null")
        quote = None
        if "string" in wanted_list and not isinstance(instance, (dict, list)):
            quote = "put the value in quotes"
        return [Problem(f"{field!r} must be {words}, found {_show(instance)}", path, hint=quote)]
    if kind == "minLength":
        return [Problem(f"{field!r} is empty", path, hint="fill it in or remove the line")]
    if kind in ("minimum", "maximum"):
        return [Problem(f"{field!r} is {_show(instance)}: {error.message}", path)]
    if kind == "pattern":
        return [
            Problem(
                f"{field!r} has an unexpected form: {_show(instance)}",
                path,
                hint=f"it must match {error.validator_value}",
            )
        ]
    return [Problem(f"{field!r}: {error.message}", path)]


def _date_problem(path: Path, field: str, instance: Any) -> Problem:
    hint = "write the date as YYYY-MM-DD, e.g. 2024-05-03"
    if (isinstance(instance, str) and "T" in instance) or (isinstance(instance, str) and ":" in instance):
        hint = "write the date alone (YYYY-MM-DD), without a time"
    return Problem(f"{field!r} must be a date written YYYY-MM-DD, found {_show(instance)}", path, hint=hint)
