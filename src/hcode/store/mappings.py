"""Reading the mappings between Code editions (``provisions/mappings/FROM-TO.yaml``): the
workspace's own copy first, else the one shipped with hcode."""

from __future__ import annotations

from pathlib import Path

from hcode.core.mapping import Mapping, MappingRow, chain
from hcode.packaged import data_dir
from hcode.store import yamlread
from hcode.store.validate import validate
from hcode.store.workspace import (
    Document,
    WorkspaceError,
    known_editions,
    problem_finding,
    read_document,
)


def _read(root: Path | None, old: str, new: str) -> Mapping | None:
    name = f"{old}-{new}.yaml"
    local = root / "provisions" / "mappings" / name if root is not None else None
    if local is not None and local.is_file():
        rel = f"provisions/mappings/{name}"
        doc, problems = read_document(local, rel, "mapping", yamlread.DEFAULT_MAX_BYTES)
    else:
        shipped = data_dir("provisions") / "mappings" / name
        if not shipped.is_file():
            return None
        rel = f"(hcode) provisions/mappings/{name}"
        text = shipped.read_text("utf-8")
        value = yamlread.parse(text)
        doc = Document(rel, text, value)
        problems = [problem_finding(rel, text, p, "schema") for p in validate("mapping", value)]
    if problems:
        first = problems[0]
        raise WorkspaceError(first.message, first.file, first.line, first.column, first.hint)
    assert doc is not None
    data = doc.data
    if data["from"] != old or data["to"] != new:
        raise WorkspaceError(
            f"{rel} maps {data['from']} to {data['to']}, not {old} to {new}", rel, hint="fix from: and to:"
        )
    rows = tuple(MappingRow(str(r["from"]), r.get("to"), r.get("unconfirmed")) for r in data["rows"])
    return Mapping(old, new, rows, rel)


def load_mapping(root: Path | None, old: str, new: str) -> Mapping:
    """The mapping from edition ``old`` to edition ``new``: a file of its own, else two joined
    through an edition between them (2020 to 2024 through 2022)."""
    direct = _read(root, old, new)
    if direct is not None:
        return direct
    for middle in known_editions(root):
        if middle in (old, new):
            continue
        first = _read(root, old, middle)
        second = _read(root, middle, new) if first is not None else None
        if first is not None and second is not None:
            return chain([first, second])
    raise WorkspaceError(
        f"hcode has no mapping from {old} to {new}",
        hint=f"add provisions/mappings/{old}-{new}.yaml (from:, to:, rows:) to the workspace",
    )
