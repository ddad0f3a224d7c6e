"""Reviewing workspace changes in git: the semantic diff between two revisions, and the one
canonical layout of every workspace file (``fmt``)."""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from hcode.api.errors import InputUnusable
from hcode.api.workspace import WorkspaceError, find_workspace

if TYPE_CHECKING:
    from hcode.core.changes import DiffResult
    from hcode.store.scan import Progress


def diff(workspace: Path | None, base: str | None = None, head: str | None = None) -> DiffResult:
    """What changed in the self-assessment, cases and Code from ``base`` (default: the merge
    base with the default branch) to ``head`` (default: the working tree). Read-only.
    :class:`InputUnusable` when git cannot answer (not a repository, no such revision)."""
    from hcode.review.gitdiff import GitError
    from hcode.review.gitdiff import diff as run_diff

    try:
        root = find_workspace(workspace)
    except WorkspaceError as exc:
        raise InputUnusable(str(exc), exc.hint) from None
    try:
        return run_diff(root, base, head)
    except GitError as exc:
        raise InputUnusable(
            f"git: {exc}", "run hcode diff inside a git repository, with revisions that exist"
        ) from None


@dataclass(frozen=True)
class Formatting:
    """What ``fmt`` did (or, with ``check_only``, would do): the files changed, how many were
    already canonical, and the files left as they are, each with why (in file order; links to
    files first)."""

    changed: list[str]
    unchanged: int
    left_alone: list[str] = field(default_factory=list)  # "rel: why" (not read, or not written)
    links: list[str] = field(default_factory=list)  # files that are symbolic links, never rewritten
    check_only: bool = False

    @property
    def broken(self) -> int:
        return len(self.left_alone)


def format_workspace(
    workspace: Path | None,
    paths: list[Path] | None = None,
    *,
    check_only: bool = False,
    workers: int | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> Formatting:
    """Rewrite the workspace files under ``paths`` (default: the whole workspace) in one canonical
    layout, comments kept; ``check_only``: change nothing. Files over the size limit, or that
    cannot be read or written, are left alone and named. :class:`InputUnusable` when there is no
    workspace, or a path is missing or outside it."""
    from hcode.core.identity import suffix_is
    from hcode.edit.fileio import WriteRefused, clean_temp, write_guarded
    from hcode.edit.fmt import format_files, kind_of
    from hcode.store import yamlread
    from hcode.store.cachefile import RACY_NS, same_as, stamp_of
    from hcode.store.workspace import YAML_SUFFIXES, files_read, read_settings

    try:
        if workspace is None and paths:
            first = paths[0].resolve()
            root = find_workspace(None, start=first if first.is_dir() else first.parent).resolve()
        else:
            root = find_workspace(workspace).resolve()
    except WorkspaceError as exc:
        raise InputUnusable(str(exc), exc.hint) from None
    links: list[str] = []
    left_alone: list[str] = []
    targets: list[str] = []  # workspace-relative paths, in the order they are listed
    # each file's status before any is read: the files found canonical before and unchanged since
    # are not read again (hcode.edit.fmt.format_files)
    stamps: dict[str, str | None] = {}
    started = time.time_ns()
    base = str(root) + os.sep
    inventory: list[str] | None = None  # the files every command reads (store.workspace.files_read)
    for p in paths or [root]:
        p = p.resolve()
        if p.is_dir():
            try:
                under = p.relative_to(root).as_posix()
            except ValueError:
                raise InputUnusable(f"{p} is outside the workspace {root}") from None
            if inventory is None:
                inventory, outside, unreadable = files_read(root)
                left_alone += [f"{why} (left as it is)" for why in unreadable]
                for rel in outside:  # not read by any command: nothing is written there either
                    if suffix_is(rel, YAML_SUFFIXES):
                        links.append(rel)  # a file, named as every link to a file is
                    else:
                        left_alone.append(f"{rel}: a symbolic link leading outside the workspace (left as it is)")
            prefix = "" if under == "." else under + "/"
            lstat, is_link, recent = os.lstat, stat.S_ISLNK, started - RACY_NS
            for rel in inventory if not prefix else [rel for rel in inventory if rel.startswith(prefix)]:
                try:
                    st = lstat(base + rel)
                except OSError:
                    targets.append(rel)  # reported when it is read
                    continue
                if is_link(st.st_mode):
                    # links to files are never rewritten: replacing one would copy its target here
                    links.append(rel)
                else:
                    targets.append(rel)
                    stamps[rel] = stamp_of(st, recent)
        elif p.exists():
            try:
                targets.append(p.relative_to(root).as_posix())
            except ValueError:
                raise InputUnusable(f"{p} is outside the workspace {root}") from None
        else:
            raise InputUnusable(f"no such file: {p}")
    try:
        limit = read_settings(root).max_file_bytes
    except WorkspaceError:  # hcode.yaml itself is reported with the other files
        limit = yamlread.DEFAULT_MAX_BYTES
    n_outside = len(left_alone)  # folders, not counted among the files
    items = [(rel, name) for rel in dict.fromkeys(targets) if (name := kind_of(rel)) is not None]
    changed: list[str] = []
    if not check_only:
        clean_temp((root / rel).parent for rel, _ in items)
    done = format_files(
        root, items, limit, workers=workers, use_cache=use_cache, progress=progress, stamps=stamps, everything=not paths
    )
    for f in done:  # the files not in the canonical layout, or that cannot be formatted
        if f.problem is not None:
            left_alone.append(f"{f.rel}:{f.problem} (left as it is)")
        elif f.new is not None:
            if not check_only:
                try:
                    write_guarded(root / f.rel, f.new, None, root=root, unchanged=same_as(f.digest))
                except WriteRefused as exc:
                    left_alone.append(f"{f.rel}: {exc.message} (left as it is; {exc.hint})")
                    continue
            changed.append(f.rel)
    unchanged = len(targets) - len(changed) - len(left_alone) + n_outside
    return Formatting(changed, unchanged, left_alone, links, check_only)
