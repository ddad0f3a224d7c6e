"""All or nothing for a write of many files (an import): a journal a later run completes or
rolls back after a kill.

:func:`write_all` writes ``.hcode-journal.json`` at the workspace root ("staging": the files it
is about to write), writes every new text beside its target as ``.hcode-journal-NAME``, flushes
them to disk, turns the journal to "committing", gives each text its name, and deletes the
journal. A process killed at any point (``kill -9``) leaves a journal behind, and the next
command that writes in the workspace calls :func:`recover` first: a journal still "staging" is
rolled back (the staged texts deleted: nothing had been written), one "committing" is completed
(every staged text given its name). So an import is in the workspace whole or not at all, and
``check`` names a journal left behind (``file.journal``) until a writing command settles it. The
staged texts are not hcode's ordinary temporary files, so the clean-up of those never removes
them; the journal itself is written atomically, through a temporary file at the root, which
:func:`recover` removes when its run was killed before renaming it.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from pathlib import Path
from typing import Any

from hcode.errors import HcodeError
from hcode.store.atomic import atomic_write, clean_temp, confine, confine_all, pid_alive

JOURNAL = ".hcode-journal.json"
STAGED_PREFIX = ".hcode-journal-"


class JournalConflict(HcodeError):
    """A new file's name was taken while the journal was being committed (by another program):
    the files already placed by this write are removed again, nothing else is written."""

    def __init__(self, path: Path) -> None:
        super().__init__(path.name)
        self.path = path


def staged_path(path: Path) -> Path:
    return path.with_name(STAGED_PREFIX + path.name)


def _save(root: Path, state: str, files: list[tuple[Path, bool]]) -> None:
    start = len(str(root).rstrip(os.sep)) + 1  # the paths are confined to root: a plain slice
    doc = {
        "hcode": 1,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "state": state,
        "files": [{"path": str(path)[start:].replace(os.sep, "/"), "new": new} for path, new in files],
    }
    # compact: the standard library's fast encoder (an indent makes it the slow one)
    atomic_write(root / JOURNAL, json.dumps(doc, separators=(",", ":")) + "\n", root=root)


def _alive(pid: int, host: str) -> bool:
    return host == socket.gethostname() and pid_alive(pid)


def _place(staged: Path, path: Path, new: bool) -> None:
    if new:
        try:
            os.link(staged, path)
        except FileExistsError:
            if path.read_bytes() != staged.read_bytes():
                raise JournalConflict(path) from None
        staged.unlink()
    else:
        os.replace(staged, path)


def write_all(root: Path, items: list[tuple[Path, str, bool]]) -> None:
    """Write ``items`` (path, text, whether the file is new) all or nothing, through a journal.
    The paths must already be confined to ``root`` and checked (locks, what was read)."""
    root = Path(os.path.abspath(root))  # a workspace named relative to the current folder too
    confined = confine_all([path for path, _, _ in items], root)
    files = [(path, new) for path, (_, _, new) in zip(confined, items, strict=True)]
    _save(root, "staging", files)
    try:
        made: set[Path] = set()
        for path, (_, text, _) in zip(confined, items, strict=True):
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            with open(staged_path(path), "wb") as handle:
                handle.write(text.encode("utf-8"))
        os.sync()  # every staged text on disk before the journal says "committing"
    except BaseException:
        _roll_back(root, files)
        raise
    _save(root, "committing", files)
    placed: list[Path] = []
    try:
        for path, new in files:
            _place(staged_path(path), path, new)
            if new:
                placed.append(path)
    except JournalConflict:
        for path in placed:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        _roll_back(root, files)
        raise
    (root / JOURNAL).unlink()


def _roll_back(root: Path, files: list[tuple[Path, bool]]) -> None:
    for path, _ in files:
        with contextlib.suppress(FileNotFoundError):
            staged_path(path).unlink()
    with contextlib.suppress(FileNotFoundError):
        (root / JOURNAL).unlink()


def pending(root: Path) -> dict[str, object] | None:
    """The journal a write left behind in ``root`` (None when there is none)."""
    try:
        doc = json.loads((root / JOURNAL).read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {"state": "unreadable", "files": []}
    return doc if isinstance(doc, dict) else {"state": "unreadable", "files": []}


def recover(root: Path) -> str | None:
    """Complete or roll back a write a killed process left half done (see the module); what was
    done, in words, or None when there was nothing to do (or its writer is still running).
    Temporary files a killed run left at the root (the journal's own, half written) are removed
    first, so nothing of the write is left behind whatever moment the kill came."""
    clean_temp([root])
    doc = pending(root)
    if doc is None:
        return None
    if _alive(int(str(doc.get("pid", 0)) or 0), str(doc.get("host", ""))):
        return None
    listed = doc.get("files")
    entries: list[Any] = listed if isinstance(listed, list) else []
    files: list[tuple[Path, bool]] = []
    for entry in entries:
        try:
            files.append((confine(root / str(entry["path"]), root), bool(entry["new"])))
        except Exception:  # a damaged entry, or a path outside the workspace: never touched
            continue
    if doc.get("state") != "committing":
        _roll_back(root, files)
        return f"an interrupted write of {len(files)} file(s) was rolled back (none had been written)"
    done = 0
    for path, new in files:
        staged = staged_path(path)
        if staged.exists():
            with contextlib.suppress(JournalConflict):
                _place(staged, path, new)
                done += 1
            with contextlib.suppress(FileNotFoundError):
                staged.unlink()
    (root / JOURNAL).unlink()
    return f"an interrupted write of {len(files)} file(s) was completed ({done} finished now)"
