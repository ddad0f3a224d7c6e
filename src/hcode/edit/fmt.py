"""``hcode fmt``: one canonical layout for workspace files, so reviews show what changed.

The layout: keys in the order the schema lists them (the landlord's own ``x-`` keys and any
others after them, in their own order); self-assessment answers in provision order (1.2 before
6.1 before 6.10, keys kept exactly as written); dates written plainly as YYYY-MM-DD; two spaces
for each level of a mapping and list items indented under their key. Comments are kept. Applying
it twice changes nothing the second time. Files that cannot be read are left alone.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from hcode.core.model import Finding
from hcode.edit.canonical import already_canonical, canonical_orders, provision_key
from hcode.errors import HcodeError
from hcode.store import yamlread
from hcode.store.cachefile import MAPPING, SealedCache, digest
from hcode.store.validate import SCHEMA_NAMES, date_keys, schema_text
from hcode.store.workspace import decode_mapping, read_bytes

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
# ruamel.yaml reads an unquoted key such as 6.10 as the number 6.1 (and 6.1 and 6.10 then
# collide). Such keys are hidden behind a marker while the file is rewritten.
_MARK = "__hcode_key__"
_NUMBER_KEY = re.compile(r"(?m)^([ \t]*(?:- )?)(\d+\.\d+)([ \t]*:)")


class FormatError(HcodeError):
    """A file ``hcode fmt`` cannot lay out (``line``: where, when known)."""

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


# the schemas of the files fmt formats
FORMATTED = ("workspace", "assessment", "case", "hazard", "provisions", "mapping", "report")


def kind_of(rel: str) -> str | None:
    """Which schema a workspace-relative path follows."""
    if rel == "hcode.yaml":
        return "workspace"
    if rel.startswith("assessments/"):
        return "assessment"
    if rel.startswith("cases/"):
        return "case"
    if rel.startswith("provisions/mappings/"):
        return "mapping"
    if rel.startswith("provisions/hazards/"):  # the Awaab's Law catalogue: kept as written
        return None
    if rel.startswith("provisions/"):
        return "provisions"
    if rel.startswith("reports/"):
        return "report"
    return None


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
        keys = date_keys(*FORMATTED)
        for key in list(node):
            if str(key) in keys:
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


def format_text(text: str, name: str) -> str:
    """The canonical form of ``text``, a file following schema ``name``."""
    try:
        strict = yamlread.parse(text)
    except yamlread.YamlError as exc:
        raise FormatError(exc.message, exc.line) from None
    if not isinstance(strict, dict):
        raise FormatError("the file must be a mapping of keys and values", 1)
    if name == "case":  # a case file of any kind: a hazard report follows its own schema
        from hcode.store.convert import record_schema

        name = record_schema(strict)
    y = roundtrip_yaml()
    if _MARK in text:
        raise FormatError(f"the file contains {_MARK!r}, which hcode fmt uses internally")
    try:
        data = y.load(_NUMBER_KEY.sub(rf"\g<1>{_MARK}\g<2>\g<3>", text))
    except Exception as exc:  # ruamel's errors have no common base worth naming
        raise FormatError(f"cannot rewrite this file: {exc}".split("\n")[0]) from None
    if name == "assessment" and data.get("provisions") is not None:
        provisions = data["provisions"]
        for key in sorted(provisions, key=lambda k: provision_key(str(k).replace(_MARK, ""))):
            provisions.move_to_end(key)
    _walk(data, "", canonical_orders(name))
    if name != "provisions":
        _dates(data)
    out = io.StringIO()
    y.dump(data, out)
    result = out.getvalue().replace(_MARK, "")
    if text.startswith("---") and not result.startswith("---"):
        result = "---\n" + result
    return result


# -- many files: in worker processes, with a cache of the files already in canonical form ----------

FMT_CACHE = "fmt.json"
FMT_CACHE_FORMAT = 2  # 2: each file's fingerprint and stamp
PARALLEL_FROM = 1000  # files to format before worker processes pay for themselves


@dataclass(slots=True)
class Formatted:
    """One file through ``fmt``: its canonical text when that differs, or why it was left alone."""

    rel: str
    new: str | None = None  # the canonical text, when it differs from the file
    problem: str | None = None  # "line: message" when the file cannot be read or formatted
    digest: str | None = None  # fingerprint of the bytes read (None when they could not be read)


def format_file(path: str, rel: str, name: str, limit: int, *, fast: bool = True) -> Formatted:
    """Read ``path`` as every command reads (same size limit, same strict YAML) and format it.
    ``fast``: a case file the fast check vouches for (:func:`already_canonical`) is not
    rewritten to be compared; False: every file is (the exact answer the fast one must give)."""
    data = read_bytes(path, rel, limit)
    if isinstance(data, Finding):
        return Formatted(rel, problem=f"{data.line or 1}: {data.message}")
    fingerprint = digest(data)
    if fast and name == "case":  # most case files are canonical already
        try:
            if already_canonical(yamlread.check_bytes(data, limit), name):
                return Formatted(rel, None, digest=fingerprint)
        except yamlread.YamlError:
            pass  # reported just below, as every command reports it
    found = decode_mapping(data, rel, limit)
    if isinstance(found, Finding):
        return Formatted(rel, problem=f"{found.line or 1}: {found.message}", digest=fingerprint)
    text = found[0]
    try:
        new = format_text(text, name)
    except FormatError as exc:
        return Formatted(rel, problem=f"{exc.line or 1}: {exc.message}", digest=fingerprint)
    return Formatted(rel, new if new != text else None, digest=fingerprint)


def _format_batch(work: tuple[str, int, list[tuple[str, str]]]) -> tuple[list[str | None], list[Formatted]]:
    """Format a batch of files (``work``: the workspace's path and a separator, the size limit,
    and the files with their schemas), in a worker process (or in this one, when there are
    few): each file's fingerprint where it is canonical (else None), and the files that are not
    or cannot be formatted. Little to send back: most files are canonical."""
    base, limit, batch = work
    canonical: list[str | None] = []
    others: list[Formatted] = []
    for rel, name in batch:
        f = format_file(base + rel, rel, name, limit)
        if f.new is None and f.problem is None:
            canonical.append(f.digest)
        else:
            canonical.append(None)
            others.append(f)
    return canonical, others


def _fmt_key() -> str:
    from hcode.store.scan import code_fingerprint

    h = hashlib.sha256(f"{FMT_CACHE_FORMAT}".encode())
    h.update(code_fingerprint().encode())
    for name in SCHEMA_NAMES:
        h.update(schema_text(name).encode())
    return h.hexdigest()


def format_files(
    root: Path,
    items: list[tuple[str, str]],
    limit: int,
    *,
    workers: int | None = None,
    use_cache: bool = True,
    progress: Any = None,
    stamps: Mapping[str, str | None] | None = None,
    everything: bool = True,
) -> list[Formatted]:
    """Format ``items`` (workspace-relative path, schema name): the files that are not in the
    canonical layout (with their canonical text) or cannot be formatted (with why), in the
    order of ``items``; the others are canonical.

    Files found canonical before (``.hcode-cache/fmt.json``, sealed, keyed by hcode's code and
    schemas) are not formatted again: a file whose stamp (``stamps``: taken before any file is
    read, see :func:`hcode.store.cachefile.file_stamps`) is the one it had then is not even
    read; any other is read and known by its fingerprint. ``everything``: ``items`` are all the
    files of the workspace (what is kept of others is dropped), else only some of them."""
    from hcode.store.scan import default_workers

    base = str(root) + os.sep
    key = _fmt_key() if use_cache else ""
    kept: SealedCache[dict[str, Any]] = SealedCache(root, FMT_CACHE, MAPPING)
    known: dict[str, Any] = (kept.load(key) or {}) if use_cache else {}
    stamps = stamps or {}
    unchanged = 0  # files kept as canonical whose entry stays as it is
    updated: dict[str, list[str | None]] = {}  # files canonical with a new entry
    stale: list[str] = []  # files kept as canonical that changed since
    todo: list[tuple[str, str]] = []
    for rel, name in items:
        entry = known.get(rel)
        if entry is not None:
            stamp = stamps.get(rel)
            if stamp is not None and entry[1] == stamp:
                unchanged += 1  # unchanged since: not read again
                continue
            data = read_bytes(base + rel, rel, limit)
            if not isinstance(data, Finding) and entry[0] == digest(data):
                if entry[1] == stamp:
                    unchanged += 1
                else:
                    updated[rel] = [entry[0], stamp]
                continue
            stale.append(rel)
        todo.append((rel, name))
    results: list[Formatted] = []  # the files not canonical, or that cannot be formatted

    def take(batch: list[tuple[str, str]], done: tuple[list[str | None], list[Formatted]]) -> None:
        fingerprints, others = done
        for (rel, _name), fingerprint in zip(batch, fingerprints, strict=True):
            if fingerprint is not None:
                updated[rel] = [fingerprint, stamps.get(rel)]
        results.extend(others)

    n_workers = default_workers() if workers is None else max(1, workers)
    if n_workers > 1 and len(todo) >= PARALLEL_FROM:
        size = max(20, min(500, len(todo) // (n_workers * 8) or 1))
        batches = [todo[i : i + size] for i in range(0, len(todo), size)]
        work = [(base, limit, batch) for batch in batches]
        with ProcessPoolExecutor(max_workers=n_workers) as pool:
            for batch, done in zip(batches, pool.map(_format_batch, work), strict=True):
                take(batch, done)
                if progress is not None:
                    progress(len(batch), len(todo))
    else:
        take(todo, _format_batch((base, limit, todo)))
    if use_cache:
        _remember(kept, key, known, items, (unchanged, stale, updated), everything)
    found = {f.rel: f for f in results}
    return [found[rel] for rel, _ in items if rel in found] if found else []


def _remember(
    kept: SealedCache[dict[str, Any]],
    key: str,
    known: dict[str, Any],
    items: list[tuple[str, str]],
    found: tuple[int, list[str], dict[str, list[str | None]]],
    everything: bool,
) -> None:
    """Keep the files found canonical, when that differs from what was kept (``known``).
    ``found``: how many kept entries still stand, the files whose entries no longer do, and the
    new entries (files found canonical now)."""
    unchanged, stale, updated = found
    if not updated and not stale and (unchanged == len(known) or not everything):
        return
    if everything:  # entries for files no longer listed are dropped
        listed = {rel for rel, _ in items}
        canonical = {rel: entry for rel, entry in known.items() if rel in listed}
    else:
        canonical = dict(known)
    for rel in stale:
        del canonical[rel]
    canonical.update(updated)
    if canonical != known:
        kept.store(key, canonical)
