"""The one atomic file write, for every writer: the store's own cache and the editing layer
(``hcode.edit.fileio``, which adds locks and the check against what was read).

A temporary file in the same folder, flushed, renamed over the old one: a crash leaves the old
file or the new one, never a mix. Temporary files are named ``.hcode-tmp-<pid>-<random>``, so
that one left by a killed run can be recognised and removed.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

TEMP_PREFIX = ".hcode-tmp-"
#: Names tried for a temporary file before giving up (as many as the standard library's mkstemp).
TRIES = 10_000


def temp_name() -> str:
    """A temporary file name of this process (``.hcode-tmp-<pid>-<random>``)."""
    return f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"


def _fill(fd: int, tmp: str, data: bytes | str, durable: bool) -> None:
    """Write ``data`` to the open temporary file ``fd`` (removed again if that fails)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        discard(tmp)
        raise


def stage(path: Path, data: bytes | str, *, durable: bool = True, mkdir: bool = True) -> str:
    """Write ``data`` to a temporary file beside ``path`` (same folder, same permissions) and
    return its name; :func:`commit` renames it into place. ``durable``: flush it to disk now
    (a caller staging many files may instead call ``os.sync()`` once before committing)."""
    if mkdir:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=temp_name(), dir=path.parent)
    _fill(fd, tmp, data, durable)
    try:
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp, mode)
    except BaseException:
        discard(tmp)
        raise
    return tmp


def stage_new(path: Path, data: bytes | str, *, durable: bool = True) -> str:
    """Like :func:`stage`, for a file that does not exist yet (created with its final
    permissions); :func:`publish` links it into place only if nothing has appeared there
    meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(TRIES):  # an import stages thousands beside each other: a name may be taken
        tmp = str(path.with_name(temp_name()))
        try:
            fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            continue
        _fill(fd, tmp, data, durable)
        return tmp
    raise FileExistsError(f"no free temporary name beside {path} after {TRIES} tries")


def publish(tmp: str, path: Path) -> None:
    """Give the staged ``tmp`` the name ``path``; FileExistsError if ``path`` exists (it is
    never replaced). The temporary name is removed."""
    os.link(tmp, path)
    discard(tmp)


def commit(tmp: str, path: Path) -> None:
    os.replace(tmp, path)


def discard(tmp: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)


def atomic_write(path: Path, data: bytes | str, *, mkdir: bool = True) -> None:
    """Replace ``path`` with ``data`` atomically (the old file or the new one, never a mix)."""
    tmp = stage(path, data, mkdir=mkdir)
    try:
        commit(tmp, path)
    except BaseException:
        discard(tmp)
        raise
