"""All or nothing for a write of many files (an import): a journal a later run completes or
rolls back after a kill.

:func:`write_all` writes ``.hcode-journal.json`` at the workspace root ("staging": the files it
is about to write), writes every new text beside its target as ``.hcode-journal-NAME``, flushes
them to disk (one ``sync`` for them all), turns the journal to "committing", gives each text its
name with one rename (for a new file, a rename that never replaces: a file someone else created
meanwhile is never overwritten), and deletes the journal. Each staged text costs four system
calls (create, write, close, rename): no buffered file object, no ``fstat``, no link and unlink.

A process killed at any point (``kill -9``) leaves a journal behind, and the next command that
writes in the workspace calls :func:`recover` first: a journal still "staging" is
rolled back (the staged texts deleted: nothing had been written), one "committing" is completed
(every staged text given its name). So an import is in the workspace whole or not at all, and
``check`` names a journal left behind (``file.journal``) until a writing command settles it. The
staged texts are not hcode's ordinary temporary files, so the clean-up of those never removes
them; the journal itself is written atomically, through a temporary file at the root, which
:func:`recover` removes when its run was killed before renaming it.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hcode.errors import HcodeError
from hcode.store.atomic import atomic_write, clean_temp, confine, pid_alive

JOURNAL = ".hcode-journal.json"
STAGED_PREFIX = ".hcode-journal-"


class JournalConflict(HcodeError):
    """A new file's name was taken while the journal was being committed (by another program):
    the files already placed by this write are removed again, nothing else is written."""

    def __init__(self, path: Path) -> None:
        super().__init__(path.name)
        self.path = path


def staged_path(path: str) -> str:
    """Where ``path``'s new text is staged: beside it, as ``.hcode-journal-NAME`` (paths as text:
    an import stages 100,000, and Path objects cost more than the work)."""
    folder, _, name = path.rpartition(os.sep)
    return f"{folder}{os.sep}{STAGED_PREFIX}{name}"


def _save(root: Path, state: str, files: list[tuple[str, bool]] | str) -> str:
    """Write the journal saying ``state``; ``files`` as the list, or as the JSON text a first
    save returned (an import's 100,000 entries are encoded once)."""
    if not isinstance(files, str):
        start = len(str(root).rstrip(os.sep)) + 1  # the paths are confined to root: a plain slice
        # compact: the standard library's fast encoder (an indent makes it the slow one)
        files = json.dumps(
            [{"path": path[start:].replace(os.sep, "/"), "new": new} for path, new in files], separators=(",", ":")
        )
    head = {"hcode": 1, "pid": os.getpid(), "host": socket.gethostname(), "state": state}
    atomic_write(root / JOURNAL, json.dumps(head, separators=(",", ":"))[:-1] + ',"files":' + files + "}\n", root=root)
    return files


def _alive(pid: int, host: str) -> bool:
    return host == socket.gethostname() and pid_alive(pid)


_STAGE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_RENAME_NOREPLACE = 1  # renameat2's flag (Linux 3.15 and later)
_AT_FDCWD = -100


def _stage_file(staged: str, data: bytes) -> None:
    """Write ``data`` to the staged file ``staged`` (created, or emptied if a rolled-back run left
    one): create, write, close."""
    fd = os.open(staged, _STAGE_FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


@functools.cache
def _renameat2() -> Callable[[int, bytes, int, bytes, int], int] | None:
    """The C library's ``renameat2`` (Linux), or None where there is none."""
    if sys.platform != "linux":
        return None
    try:
        import ctypes

        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without it (an old musl, say)
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_NO_RENAMEAT2: list[bool] = []  # set once the file system says it cannot rename without replacing


def rename_new(staged: str, path: str) -> None:
    """Give ``staged`` the name ``path``, which must not exist (FileExistsError if it does: it is
    never replaced). One rename where the system has one that refuses to replace (Linux's
    ``renameat2``); elsewhere a link to the new name, then the staged name removed."""
    function = None if _NO_RENAMEAT2 else _renameat2()
    if function is not None:
        import ctypes

        if function(_AT_FDCWD, os.fsencode(staged), _AT_FDCWD, os.fsencode(path), _RENAME_NOREPLACE) == 0:
            return
        code = ctypes.get_errno()
        if code == errno.EEXIST:
            raise FileExistsError(code, os.strerror(code), path)
        if code not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), path)
        _NO_RENAMEAT2.append(True)  # this file system cannot: link and unlink from now on
    os.link(staged, path)
    os.unlink(staged)


def _place(staged: str, path: str, new: bool) -> None:
    if new:
        try:
            rename_new(staged, path)
        except FileExistsError:
            with open(path, "rb") as placed, open(staged, "rb") as ours:
                if placed.read() != ours.read():
                    raise JournalConflict(Path(path)) from None
            os.unlink(staged)
    else:
        os.replace(staged, path)


def write_all(root: Path, items: list[tuple[Path, str, bool]]) -> None:
    """Write ``items`` (path, text, whether the file is new) all or nothing, through a journal.
    The paths must already be confined to ``root`` (absolute, :func:`hcode.store.atomic.confine_all`)
    and checked (locks, what was read)."""
    root = Path(os.path.abspath(root))  # a workspace named relative to the current folder too
    prefix = str(root).rstrip(os.sep) + os.sep
    files = [(os.fspath(path), new) for path, _, new in items]
    outside = next((path for path, _ in files if not path.startswith(prefix)), None)
    if outside is not None:
        raise ValueError(f"{outside} is not a confined path of the workspace {root}")
    listed = _save(root, "staging", files)
    try:
        made: set[str] = set()
        for (path, _), (_, text, _) in zip(files, items, strict=True):
            folder = path.rpartition(os.sep)[0]
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            _stage_file(staged_path(path), text.encode("utf-8"))
        os.sync()  # every staged text on disk before the journal says "committing"
    except BaseException:
        _roll_back(root, files)
        raise
    _save(root, "committing", listed)
    placed: list[str] = []
    try:
        for path, new in files:
            _place(staged_path(path), path, new)
            if new:
                placed.append(path)
    except JournalConflict:
        for path in placed:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        _roll_back(root, files)
        raise
    (root / JOURNAL).unlink()


def _roll_back(root: Path, files: list[tuple[str, bool]]) -> None:
    for path, _ in files:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(staged_path(path))
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
    files: list[tuple[str, bool]] = []
    for entry in entries:
        try:
            files.append((str(confine(root / str(entry["path"]), root)), bool(entry["new"])))
        except Exception:  # a damaged entry, or a path outside the workspace: never touched
            continue
    if doc.get("state") != "committing":
        _roll_back(root, files)
        return f"an interrupted write of {len(files)} file(s) was rolled back (none had been written)"
    done = 0
    for path, new in files:
        staged = staged_path(path)
        if os.path.exists(staged):
            with contextlib.suppress(JournalConflict):
                _place(staged, path, new)
                done += 1
            with contextlib.suppress(FileNotFoundError):
                os.unlink(staged)
    (root / JOURNAL).unlink()
    return f"an interrupted write of {len(files)} file(s) was completed ({done} finished now)"
