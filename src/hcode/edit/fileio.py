"""Writing files so that a crash never leaves half a file, two writers never overwrite each other,
and a write to ``-o`` behaves like shell redirection.

* :func:`hcode.store.atomic.atomic_write` (in the store, which writes its cache with it):
  temporary file in the same folder, flushed, renamed over the old one. The temporary file is
  named ``.hcode-tmp-<pid>-<random>`` (git-ignored by ``hcode init``); one left by a killed run
  is removed by :func:`clean_temp` at the start of the next writing command.
* :func:`write_guarded`: every writer of workspace files (the case steps, ``fmt``, ``init``)
  takes the same lock file beside the file, checks that the file is still byte for byte what it
  read, and only then writes. A lock whose owner process is gone, or older than
  :data:`LOCK_STALE_SECONDS`, is stale and is taken over safely.
* :func:`write_output`: ``-o`` files. A regular file (or a new one) is replaced atomically; a
  symbolic link, device or FIFO is written through, as ``>`` in a shell would; a missing folder
  or a folder given as the file is an error.
"""

from __future__ import annotations

import contextlib
import os
import socket
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from hcode.errors import HcodeError
from hcode.store.atomic import TEMP_PREFIX, atomic_write, temp_name

# A step holds its lock for well under a second; a lock older than this is left over from a
# crash whatever its process id says (process ids are reused, and other machines' ids cannot be
# checked).
LOCK_STALE_SECONDS = 600
# A lock file with no owner written yet is being created right now, unless it is older than this.
_LOCK_EMPTY_GRACE_SECONDS = 5


class WriteRefused(HcodeError):
    """A write that was not made (nothing changed on disk)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists, owned by someone else (or cannot be asked: assume alive)
    return True


def clean_temp(folders: Iterable[Path]) -> list[Path]:
    """Remove temporary files left in ``folders`` by hcode runs that were killed (their process
    is gone, or they are older than the stale bound). Returns what was removed."""
    removed: list[Path] = []
    now = time.time()
    for folder in dict.fromkeys(folders):
        try:
            names = [n for n in os.listdir(folder) if n.startswith(TEMP_PREFIX)]
        except OSError:
            continue
        for name in names:
            path = folder / name
            pid_text = name[len(TEMP_PREFIX) :].split("-", 1)[0]
            try:
                st = path.lstat()
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            pid = int(pid_text) if pid_text.isdigit() else -1
            if pid == os.getpid():
                continue
            if not _pid_alive(pid) or now - st.st_mtime > LOCK_STALE_SECONDS:
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    return removed


def write_output(path: Path, data: bytes | str) -> None:
    """Write an ``-o`` file as shell redirection would, but atomically for a regular file.

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
            handle.write(raw)
        return
    if not path.parent.is_dir():
        raise WriteRefused(
            f"the folder {path.parent} does not exist; nothing was written",
            "create the folder first, or check the path",
        )
    atomic_write(path, raw, mkdir=False)


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def _lock_owner(lock: Path) -> tuple[str, float] | None:
    """The lock's content and age in seconds (None if it has gone)."""
    try:
        with open(lock, "rb") as handle:
            content = handle.read(200).decode("utf-8", "replace")
            age = time.time() - os.fstat(handle.fileno()).st_mtime
    except FileNotFoundError:
        return None
    return content, age


def _is_stale(content: str, age: float) -> bool:
    if age > LOCK_STALE_SECONDS:
        return True
    parts = content.split()
    if not parts:
        return age > _LOCK_EMPTY_GRACE_SECONDS
    if not parts[0].isdigit():
        return age > _LOCK_EMPTY_GRACE_SECONDS
    host = parts[1] if len(parts) > 1 else socket.gethostname()
    if host != socket.gethostname():
        return False  # another machine's process cannot be asked; only the age bound applies
    return not _pid_alive(int(parts[0]))


def _take_over(lock: Path, content: str) -> None:
    """Remove a stale lock, unless someone replaced it in the meantime."""
    aside = lock.with_name(temp_name())
    try:
        os.rename(lock, aside)
    except FileNotFoundError:
        return
    try:
        now = aside.read_bytes().decode("utf-8", "replace")
    except OSError:
        now = content
    if now != content:
        # A live writer's lock was moved aside between our look and the rename: put it back.
        with contextlib.suppress(OSError):
            os.link(aside, lock)
    with contextlib.suppress(OSError):
        aside.unlink()


def acquire_lock(path: Path) -> Path:
    """Take the lock file beside ``path`` (taking over a stale one) and return it; WriteRefused
    while another command holds it. Release it with :func:`release_lock`."""
    lock = lock_path(path)
    for _ in range(3):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            owner = _lock_owner(lock)
            if owner is not None and _is_stale(*owner):
                _take_over(lock, owner[0])
            elif owner is not None:
                raise WriteRefused(
                    f"{path.name} is being changed by another hcode command (lock file {lock})",
                    f"wait and try again. A lock is cleared by itself when its command has ended or after "
                    f"{LOCK_STALE_SECONDS // 60} minutes; if you are sure no hcode command is running, "
                    f"delete it by hand: rm '{lock}'",
                ) from None
            continue
        try:
            os.write(fd, f"{os.getpid()} {socket.gethostname()}\n".encode())
        finally:
            os.close(fd)
        return lock
    raise WriteRefused(f"could not take the lock file {lock}", "try again")


def release_lock(lock: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        lock.unlink()


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
    unchanged: Callable[[bytes | None], bool] | None = None,
) -> None:
    """Write ``data`` to ``path`` unless someone else changed or is changing it.

    ``original``: the bytes read before editing (``None`` for a new file, which must not exist);
    or ``unchanged``, a test of the bytes now on disk (for callers that kept only a fingerprint).
    Every command that changes workspace files writes through here.
    """
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
        atomic_write(path, data)
