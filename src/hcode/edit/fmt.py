"""``hcode fmt``: one canonical layout for workspace files, so reviews show what changed.

The layout: keys in the order the schema lists them (the landlord's own ``x-`` keys and any
others after them, in their own order); self-assessment answers in provision order (1.2 before
6.1 before 6.10, keys kept exactly as written); dates written plainly as YYYY-MM-DD; two spaces
for each level of a mapping and list items indented under their key. Comments are kept. Applying
it twice changes nothing the second time. Files that cannot be read are left alone.
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

from hcode.store import yamlread
from hcode.store.validate import schema

DATE_KEYS = frozenset(
    (
        "received",
        "issue_date",
        "resolved",
        "requested",
        "acknowledged",
        "responded",
        "withdrawn",
        "notified",
        "due",
        "date",
        "done",
        "referred",
        "determined",
        "failure_order",
        "completed",
        "effective",
    )
)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
# ruamel.yaml reads an unquoted key such as 6.10 as the number 6.1 (and 6.1 and 6.10 then
# collide). Such keys are hidden behind a marker while the file is rewritten.
_MARK = "__hcode_key__"
_NUMBER_KEY = re.compile(r"(?m)^([ \t]*(?:- )?)(\d+\.\d+)([ \t]*:)")


class FormatError(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def roundtrip_yaml() -> Any:
    """ruamel.yaml set up for hcode's canonical layout (shared by fmt and the case steps)."""
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def kind_of(rel: str) -> str | None:
    """Which schema a workspace-relative path follows."""
    if rel == "hcode.yaml":
        return "workspace"
    if rel.startswith("assessments/"):
        return "assessment"
    if rel.startswith("cases/"):
        return "case"
    if rel.startswith("provisions/"):
        return "provisions"
    return None


def _orders(name: str) -> dict[str, list[str]]:
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


def _reorder(mapping: Any, order: list[str]) -> None:
    known = [k for k in order if k in mapping]
    rest = [k for k in mapping if str(k) not in order]
    for key in known + rest:
        mapping.move_to_end(key)


def _as_date(value: Any) -> Any:
    """A quoted ISO date as a plain date; anything else unchanged."""
    if isinstance(value, str) and _ISO.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _dates(node: Any) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        for key in list(node):
            if str(key) in DATE_KEYS:
                node[key] = _as_date(node[key])
            _dates(node[key])
    elif isinstance(node, CommentedSeq):
        for i, value in enumerate(node):
            node[i] = _as_date(value)
            _dates(node[i])


def _walk(node: Any, key: str, orders: dict[str, list[str]]) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        if key in orders:
            _reorder(node, orders[key])
        for child in node:
            sub = key + "/*" if key + "/*" in orders and str(child) not in orders.get(key, []) else str(child)
            _walk(node[child], sub, orders)
    elif isinstance(node, CommentedSeq):
        for item in node:
            _walk(item, key, orders)


def _provision_key(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(x) for x in text.split("."))
    except ValueError:
        return (10**6,)


def format_text(text: str, name: str) -> str:
    """The canonical form of ``text``, a file following schema ``name``."""
    try:
        strict = yamlread.parse(text)
    except yamlread.YamlError as exc:
        raise FormatError(exc.message, exc.line) from None
    if not isinstance(strict, dict):
        raise FormatError("the file must be a mapping of keys and values", 1)
    y = roundtrip_yaml()
    if _MARK in text:
        raise FormatError(f"the file contains {_MARK!r}, which hcode fmt uses internally")
    try:
        data = y.load(_NUMBER_KEY.sub(rf"\g<1>{_MARK}\g<2>\g<3>", text))
    except Exception as exc:  # ruamel's errors have no common base worth naming
        raise FormatError(f"cannot rewrite this file: {exc}".split("\n")[0]) from None
    orders = _orders(name)
    if name == "assessment" and data.get("provisions") is not None:
        provisions = data["provisions"]
        for key in sorted(provisions, key=lambda k: _provision_key(str(k).replace(_MARK, ""))):
            provisions.move_to_end(key)
        orders.pop("provisions", None)
    _walk(data, "", orders)
    if name != "provisions":
        _dates(data)
    out = io.StringIO()
    y.dump(data, out)
    result = out.getvalue().replace(_MARK, "")
    if text.startswith("---") and not result.startswith("---"):
        result = "---\n" + result
    return result
