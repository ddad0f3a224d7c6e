"""The one atomic file write, for every writer: the store's own cache and the editing layer
(``hcode.edit.fileio``, which adds locks and the check against what was read).

A temporary file in the same folder, flushed, renamed over the old one: a crash leaves the old
file or the new one, never a mix. Temporary files are named ``.hcode-tmp-<pid>-<random>``, so
that one left by a killed run can be recognised and removed.

The writer rule, checked here once for every write into a workspace: the file must lie inside the
workspace root, and neither it nor any folder between the root and it may be a symbolic link
(:func:`confine`). A write that breaks it is refused (:class:`WriteRefused`, exit code 3) before
anything, a folder included, is created. Only ``-o`` files, which the user names on the command
line and which behave like shell redirection, are written without a root.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from hcode.errors import HcodeError

TEMP_PREFIX = ".hcode-tmp-"
#: Names tried for a temporary file before giving up (as many as the standard library's mkstemp).
TRIES = 10_000


class WriteRefused(HcodeError):
    """A write that was not made (nothing changed on disk)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def confine(path: Path, root: Path | None) -> Path:
    """``path`` as an absolute path, after checking the writer rule against the workspace ``root``
    (``None``: a file the user named with ``-o``, not checked). WriteRefused when ``path`` is
    outside ``root`` (``..`` included) or a link, or a folder between ``root`` and it is one."""
    if root is None:
        return Path(os.path.abspath(path))
    return confine_all([path], root)[0]


def confine_all(paths: Iterable[Path], root: Path) -> list[Path]:
    """:func:`confine` for many files of one workspace (an import of 100,000): the root is
    resolved once, each folder on the way is checked once, and where a folder holds many of the
    files, the files themselves are checked against one listing of it (no ``lstat`` each)."""
    base = os.path.abspath(root)
    real = os.path.realpath(base)
    prefix = base.rstrip(os.sep) + os.sep
    plain: set[str] = set()  # folders (real paths) already found not to be links
    checked: dict[str, str] = {}  # folder (as given) -> its real path, checked
    names: dict[str, list[str]] = {}  # folder (real path) -> the names of files in it to check
    out: list[Path] = []
    for path in paths:
        given = os.fspath(path)
        full = os.path.abspath(given)
        if full != base and not full.startswith(prefix):
            raise WriteRefused(
                f"{path} is outside the workspace {base}; nothing was written",
                "hcode writes only inside the workspace folder",
            )
        out.append(path if given == full and isinstance(path, Path) else Path(full))
        if full == base:
            continue
        folder, _, name = full.rpartition(os.sep)
        where = checked.get(folder)
        if where is None:
            where, shown = real, base
            for part in folder[len(prefix) :].split(os.sep) if folder != base else ():
                where, shown = os.path.join(where, part), os.path.join(shown, part)
                if where not in plain:
                    _refuse_link(where, shown)
                    plain.add(where)
            checked[folder] = where
        names.setdefault(where, []).append(name)
    for folder, files in names.items():
        links = _links(folder) if len(files) > 8 else None
        for name in files:
            linked = name in links if links is not None else os.path.islink(os.path.join(folder, name))
            if linked:
                _refuse_link(os.path.join(folder, name), os.path.join(base, os.path.relpath(folder, real), name))
    return out


def _refuse_link(where: str, shown: str) -> None:
    if os.path.islink(where):
        raise WriteRefused(
            f"{os.path.normpath(shown)} is a symbolic link; hcode never writes through a link, so nothing was written",
            "replace the link with the folder or file itself",
        )


def _links(folder: str) -> set[str]:
    """The names of the symbolic links in ``folder`` (none when it does not exist yet), from one
    listing: the type comes with each name, without a ``stat`` each."""
    try:
        with os.scandir(folder) as entries:
            return {entry.name for entry in entries if entry.is_symlink()}
    except (FileNotFoundError, NotADirectoryError):
        return set()


def temp_name() -> str:
    """A temporary file name of this process (``.hcode-tmp-<pid>-<random>``)."""
    return f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"


def _fill(fd: int, tmp: str, data: bytes | str | list[bytes], durable: bool) -> None:
    """Write ``data`` (or its pieces, one after another) to the open temporary file ``fd``
    (removed again if that fails)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(raw, list):
                handle.writelines(raw)
            else:
                handle.write(raw)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        discard(tmp)
        raise


def stage(
    path: Path, data: bytes | str | list[bytes], *, root: Path | None, durable: bool = True, mkdir: bool = True
) -> str:
    """Write ``data`` to a temporary file beside ``path`` (same folder, same permissions) and
    return its name; :func:`commit` renames it into place. ``root``: the workspace the file must
    lie in (:func:`confine`). ``durable``: flush it to disk now (a caller staging many files may
    instead call ``os.sync()`` once before committing)."""
    path = confine(path, root)
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


def stage_new(path: Path, data: bytes | str, *, root: Path | None, durable: bool = True) -> str:
    """Like :func:`stage`, for a file that does not exist yet (created with its final
    permissions); :func:`publish` links it into place only if nothing has appeared there
    meanwhile."""
    path = confine(path, root)
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


def atomic_write(path: Path, data: bytes | str | list[bytes], *, root: Path | None, mkdir: bool = True) -> None:
    """Replace ``path`` with ``data`` atomically (the old file or the new one, never a mix), inside
    the workspace ``root`` (:func:`confine`; ``None`` only for ``-o`` files)."""
    tmp = stage(path, data, root=root, mkdir=mkdir)
    try:
        commit(tmp, path)
    except BaseException:
        discard(tmp)
        raise


# A temporary file older than this is left over from a crash whatever its process id says
# (process ids are reused, and other machines' ids cannot be checked).
STALE_SECONDS = 600


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` of this machine is running (0 and below: never)."""
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
            if not pid_alive(pid) or now - st.st_mtime > STALE_SECONDS:
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    return removed
