"""Writing files so that a crash never leaves half a file, two writers never overwrite each other,
and a write to ``-o`` behaves like shell redirection.

* :func:`hcode.store.atomic.atomic_write` (in the store, which writes its cache with it):
  temporary file in the same folder, flushed, renamed over the old one. The temporary file is
  named ``.hcode-tmp-<pid>-<random>`` (git-ignored by ``hcode init``); one left by a killed run
  is removed by :func:`clean_temp` at the start of the next writing command.
* :func:`write_guarded`: every writer of workspace files (the case steps, ``fmt``, ``init``)
  takes the same lock beside the file (the operating system's lock on ``.NAME.lock``, released
  by the system when the process ends, however it ends), checks that the file is still byte for
  byte what it read, and only then writes.
* :func:`write_output`: ``-o`` files. A regular file (or a new one) is replaced atomically; a
  symbolic link, device or FIFO is written through, as ``>`` in a shell would; a missing folder
  or a folder given as the file is an error.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

from hcode.store.atomic import WriteRefused, atomic_write, clean_temp, confine

__all__ = ["WriteRefused", "clean_temp", "write_guarded", "write_output"]


def write_output(path: Path, data: bytes | str | list[bytes]) -> None:
    """Write an ``-o`` file as shell redirection would, but atomically for a regular file
    (``data``: text, bytes, or pieces of bytes written one after another).

    Raises :class:`WriteRefused` for a folder, or a file whose folder does not exist.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        st: os.stat_result | None = path.lstat()
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise WriteRefused(f"{path} is a folder", "give a file name")
    if st is not None and not stat.S_ISREG(st.st_mode):
        # A symbolic link, device, FIFO or socket: write through it, never replace it.
        if path.is_dir():
            raise WriteRefused(f"{path} is a folder", "give a file name")
        with open(path, "wb") as handle:
            if isinstance(raw, list):
                handle.writelines(raw)
            else:
                handle.write(raw)
        return
    if not path.parent.is_dir():
        raise WriteRefused(
            f"the folder {path.parent} does not exist; nothing was written",
            "create the folder first, or check the path",
        )
    atomic_write(path, raw, root=None, mkdir=False)  # a file the user named: not confined


def present(paths: list[Path]) -> set[Path]:
    """Which of ``paths`` exist (as anything, a link included). Where a folder holds many of
    them (an import's new files), one listing of the folder answers for all: no ``stat`` each."""
    by_folder: dict[str, list[tuple[str, Path]]] = {}
    for path in paths:
        folder, _, name = os.fspath(path).rpartition(os.sep)
        by_folder.setdefault(folder, []).append((name, path))
    found: set[Path] = set()
    for folder, some in by_folder.items():
        if len(some) <= 8:
            found.update(p for _, p in some if os.path.lexists(p))
            continue
        try:
            names = set(os.listdir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        found.update(p for name, p in some if name in names)
    return found


@dataclass(frozen=True)
class Lock:
    """A held lock: the lock file and the open descriptor the operating system's lock is on."""

    path: Path
    fd: int


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def _try_lock(fd: int) -> bool:
    """Take the operating system's exclusive lock on ``fd`` without waiting (False: held)."""
    if sys.platform == "win32":
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _same_file(fd: int, lock: Path) -> bool:
    """The open lock file is still the one at ``lock`` (not one its holder removed on release)."""
    try:
        now = lock.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)


def acquire_lock(path: Path) -> Lock:
    """Take the lock beside ``path`` and return it; WriteRefused while another command holds it.
    Release it with :func:`release_lock`. The operating system holds the lock (``flock``; on
    Windows ``msvcrt.locking``) and releases it when the process ends, however it ends, so a
    killed command never leaves a lock behind: the file itself may stay, unheld."""
    lock = lock_path(path)
    for _ in range(5):
        fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
        if not _try_lock(fd):
            os.close(fd)
            raise WriteRefused(
                f"{path.name} is being changed by another hcode command (lock file {lock})",
                "wait for it to finish and try again (the lock is released when that command ends)",
            )
        if _same_file(fd, lock):
            return Lock(lock, fd)
        os.close(fd)  # its holder removed it as we opened it: take the new one
    raise WriteRefused(f"could not take the lock file {lock}", "try again")


def release_lock(held: Lock) -> None:
    """Remove the lock file and release the lock (in that order where the system allows, so a
    command that opened the file meanwhile sees it is gone and takes a new one)."""
    if sys.platform == "win32":
        os.close(held.fd)
        with contextlib.suppress(OSError):
            held.path.unlink()
        return
    with contextlib.suppress(FileNotFoundError):
        held.path.unlink()
    os.close(held.fd)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the lock file beside ``path``; refuse (WriteRefused) while another command holds it."""
    lock = acquire_lock(path)
    try:
        yield
    finally:
        release_lock(lock)


def write_guarded(
    path: Path,
    data: str | bytes,
    original: bytes | None,
    *,
    root: Path,
    unchanged: Callable[[bytes | None], bool] | None = None,
) -> None:
    """Write ``data`` to ``path`` unless someone else changed or is changing it.

    ``original``: the bytes read before editing (``None`` for a new file, which must not exist);
    or ``unchanged``, a test of the bytes now on disk (for callers that kept only a fingerprint).
    ``root``: the workspace, which the file must lie in (the writer rule,
    :func:`hcode.store.atomic.confine`). Every command that changes workspace files writes
    through here.
    """
    path = confine(path, root)
    from hcode.edit.journal import recover

    recover(root)  # a write a killed process left half done is settled first
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):
        try:
            current: bytes | None = path.read_bytes()
        except FileNotFoundError:
            current = None
        same = unchanged(current) if unchanged is not None else current == original
        if not same:
            what = "was created" if original is None and unchanged is None else "changed on disk"
            raise WriteRefused(f"{path.name} {what} since it was read; nothing was written", "run the command again")
        atomic_write(path, data, root=root)
