"""Reading and writing one case file safely, for the ``hcode case`` step commands.

A step reads the file, edits it (:mod:`hcode.edit.steps`), checks the result with the same strict
reader, schema and rules as ``hcode check``, and only then writes. The write takes a lock file
beside the case, checks that the file on disk is still byte for byte what was read (so two
people, or two hcode processes, cannot silently overwrite each other), writes a temporary file
in the same folder and renames it into place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hcode.core.model import Case, Finding
from hcode.core.rules import Context, check_case
from hcode.edit import journal
from hcode.edit.fileio import Lock, acquire_lock, clean_temp, present, release_lock
from hcode.edit.steps import StepError, StepFileError, dump_rt, load_rt
from hcode.store import yamlread
from hcode.store.atomic import WriteRefused, commit, confine_all, discard, publish, stage, stage_new
from hcode.store.workspace import case_from_bytes, find_case, list_yaml_files, read_bytes

BLOCKING = ("dates.order", "dates.future", "case.id", "case.stage")


@dataclass
class CaseFile:
    path: Path
    rel: str
    original: bytes
    case: Case
    data: Any  # the round-trip document to edit


def find(root: Path, case_id: str) -> Path | None:
    rel = find_case(root, case_id)
    return None if rel is None else root / rel


def parse_case(text: str, rel: str, max_bytes: int = yamlread.DEFAULT_MAX_BYTES) -> Case:
    """The case in ``text`` (read as the store reads it), or a StepError naming the first problem
    with its line."""
    found = case_from_bytes(text.encode("utf-8"), rel, max_bytes)
    if isinstance(found, Case):
        return found
    first = found[0]
    raise StepError(f"{rel}:{first.line or 1}: {first.message}", first.hint)


def read_case(
    root: Path, case_id: str, max_bytes: int = yamlread.DEFAULT_MAX_BYTES
) -> tuple[Path, str, bytes, str, Case]:
    """A case by id, read through the store: its path, relative path, bytes, text and record
    (StepFileError if there is no such case or it cannot be read)."""
    rel = find_case(root, case_id)
    if rel is None:
        raise StepFileError(f"no case {case_id} in {root}", "check the id with 'hcode case list'")
    path = root / rel
    data = read_bytes(path, rel, max_bytes)
    if isinstance(data, Finding):
        if data.rule == "file.unreadable":
            raise StepFileError(f"cannot read {rel}: {data.message.removeprefix('cannot read the file: ')}")
        raise StepFileError(f"fix the file first: {rel}:{data.line or 1}: {data.message}", data.hint)
    found = case_from_bytes(data, rel, max_bytes)
    if not isinstance(found, Case):
        first = found[0]
        raise StepFileError(f"fix the file first: {rel}:{first.line or 1}: {first.message}", first.hint)
    return path, rel, data, data.decode("utf-8"), found


def open_case(root: Path, case_id: str, max_bytes: int = yamlread.DEFAULT_MAX_BYTES) -> CaseFile:
    """A case ready to edit."""
    path, rel, original, text, case = read_case(root, case_id, max_bytes)
    return CaseFile(path, rel, original, case, load_rt(text))


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error" and f.rule in BLOCKING]


def checked_text(cf: CaseFile, ctx: Context, before: list[Finding]) -> tuple[str, Case, list[Finding]]:
    """The edited document as text, after the same checks as ``hcode check``.

    ``before``: the case's findings before the edit; only new blocking ones refuse the step.
    """
    text = dump_rt(cf.data)
    case = parse_case(text, cf.rel, ctx.settings.max_file_bytes)
    known = {(f.rule, f.message) for f in blocking(before)}
    findings = check_case(case, ctx)
    new = [f for f in blocking(findings) if (f.rule, f.message) not in known]
    if new:
        raise StepError(new[0].message, new[0].hint)
    return text, case, findings


def write_guarded(path: Path, text: str, original: bytes | None, *, root: Path) -> None:
    """Write ``text`` to ``path`` unless someone else changed or is changing it.

    ``original``: the bytes read before editing (``None`` for a new file, which must not exist).
    ``root``: the workspace the file must lie in (the writer rule).
    """
    write_guarded_all([(path, text, original)], root=root)


def write_guarded_all(items: list[tuple[Path, str, bytes | None]], *, root: Path) -> None:
    """Write several files all or nothing, each guarded as :func:`write_guarded`.

    A changed file is locked and compared with what was read; a new file must still not exist.
    Every file must lie in the workspace ``root``, reached through no link (the writer rule): one
    that does not refuses them all before anything is written. One file is written to a
    temporary file beside it, flushed and renamed into place. Many go through the journal
    (:mod:`hcode.edit.journal`): staged, flushed with one sync, then given their names, so that a
    process killed half way is completed by the next command that writes (or rolled back when
    nothing had been written yet). A write a killed process left half done is settled first.
    """
    try:
        confined = confine_all([path for path, _, _ in items], root)
        items = [(path, text, original) for path, (_, text, original) in zip(confined, items, strict=True)]
    except WriteRefused as exc:
        raise StepFileError(exc.message, exc.hint) from None
    journal.recover(root)
    clean_temp(path.parent for path, _, _ in items)
    locks: list[Lock] = []
    taken = present([path for path, _, original in items if original is None])
    try:
        for path, _, original in items:
            if original is None:
                if path in taken:
                    raise StepFileError(
                        f"{path.name} was created since it was read; nothing was written",
                        "run the command again",
                    )
                continue
            try:
                locks.append(acquire_lock(path))
            except WriteRefused as exc:
                raise StepFileError(exc.message, exc.hint) from None
            try:
                current: bytes | None = path.read_bytes()
            except FileNotFoundError:
                current = None
            if current != original:
                raise StepFileError(
                    f"{path.name} changed on disk since it was read; nothing was written",
                    "run the command again",
                )
        if len(items) == 1:
            _write_one(*items[0], root=root)
        elif items:
            try:
                journal.write_all(root, [(path, text, original is None) for path, text, original in items])
            except journal.JournalConflict as exc:
                raise StepFileError(
                    f"{exc.path.name} was created since it was read; nothing was written",
                    "run the command again",
                ) from None
    finally:
        for lock in locks:
            release_lock(lock)


def _write_one(path: Path, text: str, original: bytes | None, *, root: Path) -> None:
    """One file: a temporary file beside it, flushed, linked (a new file) or renamed into place."""
    if original is None:
        tmp = stage_new(path, text, root=root)
        try:
            publish(tmp, path)
        except FileExistsError:
            raise StepFileError(
                f"{path.name} was created since it was read; nothing was written",
                "run the command again",
            ) from None
        finally:
            discard(tmp)
        return
    tmp = stage(path, text, root=root)
    try:
        commit(tmp, path)
    finally:
        discard(tmp)


def next_id(root: Path, pattern: str, year: int) -> str:
    """The next free id for ``pattern`` (``{year}``, ``{seq}`` with an optional format)."""
    match = re.fullmatch(r"(.*)\{seq(?::(\d*)d)?\}(.*)", pattern.replace("{year}", str(year)))
    if match is None:
        raise StepError(f"the id pattern {pattern!r} has no {{seq}}", "e.g. C-{year}-{seq:04d}")
    prefix, width, suffix = match.group(1), match.group(2), match.group(3)
    files, _ = list_yaml_files(root, "cases")
    taken = set()
    highest = 0
    for rel, _, _ in files:
        stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        taken.add(stem)
        if stem.startswith(prefix) and stem.endswith(suffix):
            middle = stem[len(prefix) : len(stem) - len(suffix) if suffix else None]
            if middle.isdigit():
                highest = max(highest, int(middle))
    seq = highest + 1
    while True:
        number = str(seq).zfill(int(width)) if width else str(seq)
        candidate = f"{prefix}{number}{suffix}"
        if candidate not in taken:
            return candidate
        seq += 1
