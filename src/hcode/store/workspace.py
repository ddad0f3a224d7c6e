"""Finding a workspace and reading its small files: the pieces :class:`hcode.store.reader.Store`
is built from.

A workspace is a folder holding ``hcode.yaml``; commands find it as git finds a repository.
Every file is read strictly (:mod:`hcode.store.yamlread`), never beyond the size limit,
validated against its schema (:mod:`hcode.store.validate`) and converted to model records
(:mod:`hcode.store.convert`). A broken case or assessment file becomes a finding with its line
and column; the other files are still read. A broken ``hcode.yaml`` or provisions catalogue
makes the workspace unusable (:class:`WorkspaceError`, exit code 3).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from hcode.core.editions import AUTO, Editions
from hcode.core.hazards import HazardRules
from hcode.core.identity import fold, suffix_is
from hcode.core.model import Case, Code, Finding, Settings
from hcode.errors import HcodeError
from hcode.packaged import data_dir
from hcode.store import cachefile, yamlread
from hcode.store.atomic import TEMP_PREFIX
from hcode.store.convert import ConvertError, record_schema, to_code, to_hazard_rules, to_record, to_settings
from hcode.store.validate import Problem, validate

CONFIG = "hcode.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class WorkspaceError(HcodeError):
    """The workspace cannot be used at all."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
            where += ": "
        return where + self.message


def find_root(explicit: Path | None = None, start: Path | None = None) -> Path:
    """The workspace folder: the nearest folder holding hcode.yaml at or above ``explicit`` (a
    folder inside a workspace names that workspace, as a folder inside a git repository names the
    repository), else at or above the current folder."""
    if explicit is not None:
        if not explicit.exists():
            raise WorkspaceError(f"no such folder: {explicit}")
        if explicit.is_file():
            if explicit.name == CONFIG:
                return explicit.parent
            raise WorkspaceError(f"{explicit} is a file, not a workspace folder")
        if (explicit / CONFIG).is_file():
            return explicit
        resolved = explicit.resolve()
        for folder in resolved.parents:
            if (folder / CONFIG).is_file():
                return folder
        raise WorkspaceError(
            f"{explicit} is not inside an hcode workspace (no {CONFIG} there or in any folder above it)",
            hint=f"name the workspace folder, or create one with 'hcode init {explicit}'",
        )
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG).is_file():
            return folder
    raise WorkspaceError(
        f"no {CONFIG} found in {here} or any folder above it",
        hint="run hcode inside a workspace, name one (hcode check PATH), or create one with 'hcode init'",
    )


@dataclass
class Document:
    """A file read and validated, ready for conversion."""

    rel: str
    text: str
    data: dict[str, Any]


def problem_finding(rel: str, text: str | None, problem: Problem, rule: str) -> Finding:
    line = column = None
    if text is not None:
        found = yamlread.locate(text, problem.path, key=problem.key)
        if found is not None:
            line, column = found
    return Finding(
        rule=rule,
        severity="error",
        subject=rel,
        message=problem.message,
        file=rel,
        line=line,
        column=column,
        hint=problem.hint,
        path=problem.path,
    )


def file_problem(rule: str, rel: str, message: str, **kw: Any) -> Finding:
    """A finding about a whole workspace file (it cannot be read, parsed or used)."""
    return Finding(rule=rule, severity="error", subject=rel, message=message, file=rel, **kw)


def duplicate_id(case_id: str, rel: str, first: str) -> Finding:
    """The finding for a second file using a case id already taken by ``first``."""
    return Finding(
        rule="case.duplicate",
        severity="error",
        subject=case_id,
        message=f"case id {case_id} is also used by {first}",
        file=rel,
        path=("id",),
        hint="give each case its own id",
    )


_FIRST_READ = 65536  # bytes: more than a case file has


def read_bytes(path: Path | str, rel: str, limit: int) -> bytes | Finding:
    """A file's bytes, never reading more than ``limit``; a finding when it cannot be read or is
    over the limit."""
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            # A small file (most are) whole in one read, its size not asked for: a read that
            # stops short of the buffer has reached the end.
            first = min(limit + 1, _FIRST_READ)
            data = os.read(fd, first)
            if len(data) < first:
                return data
            size = os.fstat(fd).st_size
            if size > limit:
                return too_big(rel, size, limit)
            # The size as the buffer (a buffer of the limit would cost more than the reading), one
            # byte more to see a file that grew since; then to the end, in chunks, up to the limit.
            if len(data) <= size:
                data += os.read(fd, size + 1 - len(data))
            if len(data) != size:
                more = os.read(fd, 65536)
                while more and len(data) <= limit:
                    data += more
                    more = os.read(fd, 65536)
            if len(data) > limit:
                return too_big(rel, max(len(data), os.fstat(fd).st_size), limit)
        finally:
            os.close(fd)
    except OSError as exc:
        return file_problem(
            "file.unreadable", rel, f"cannot read the file: {exc.strerror or exc}", hint="check the file's permissions"
        )
    return data


def read_mapping(
    path: Path, rel: str, max_bytes: int, parse: Callable[[str], Any] = yamlread.parse
) -> tuple[str, dict[str, Any]] | Finding:
    """A file's text and its top-level mapping, or the finding that says why it has none."""
    data = read_bytes(path, rel, max_bytes)
    if isinstance(data, Finding):
        return data
    return decode_mapping(data, rel, max_bytes, parse)


def too_big(rel: str, size: int, max_bytes: int) -> Finding:
    """The finding for a file over the size limit."""
    exc = yamlread.size_error(size, max_bytes)
    return file_problem("yaml", rel, exc.message, hint=exc.hint)


def decode_mapping(
    data: bytes, rel: str, max_bytes: int, parse: Callable[[str], Any] = yamlread.parse
) -> tuple[str, dict[str, Any]] | Finding:
    """The text and top-level mapping of a file's bytes (read from disk or from git), or the
    finding that says why it has none. Every reader of workspace files goes through here, so
    the same limits and the same strict YAML apply everywhere."""
    try:
        text = yamlread.check_bytes(data, max_bytes)
        value = parse(text)
    except yamlread.YamlError as exc:
        return file_problem("yaml", rel, exc.message, line=exc.line, column=exc.column, hint=exc.hint)
    except RecursionError:
        return file_problem("yaml", rel, "the file is nested too deeply to read", line=1, column=1)
    if not isinstance(value, dict):
        kind = "a list" if isinstance(value, list) else "a single value"
        return file_problem(
            "schema",
            rel,
            f"the file holds {kind}; it must be a mapping of keys and values",
            line=1,
            column=1,
            hint="start each line with a key, e.g. 'id: C-2024-0001'",
        )
    return text, value


def read_document(path: Path, rel: str, schema_name: str, max_bytes: int) -> tuple[Document | None, list[Finding]]:
    """Read, parse and validate one file. Problems come back as findings, never raised."""
    found = read_mapping(path, rel, max_bytes)
    if isinstance(found, Finding):
        return None, [found]
    text, value = found
    problems = validate(schema_name, value)
    if problems:
        return None, [problem_finding(rel, text, p, "schema") for p in problems]
    return Document(rel, text, value), []


def case_from_mapping(text: str, value: dict[str, Any], rel: str) -> Case | list[Finding]:
    """A case record from a file's parsed mapping, or its problems (located in ``text``)."""
    problems = validate(record_schema(value), value)
    if not problems:
        try:
            return to_record(value, rel)
        except ConvertError as exc:
            problems = exc.problems
    return [problem_finding(rel, text, p, "schema") for p in problems]


def case_from_bytes(data: bytes, rel: str, max_bytes: int) -> Case | list[Finding]:
    """A case record from a file's bytes (on disk, edited, or from git), or its problems."""
    found = decode_mapping(data, rel, max_bytes)
    if isinstance(found, Finding):
        return [found]
    return case_from_mapping(found[0], found[1], rel)


def find_case(root: Path, case_id: str, files: list[FileInfo] | None = None) -> str | None:
    """The workspace-relative path of the case file named ``case_id``, if there is one (names
    compared as identifiers: :func:`hcode.core.identity.fold`). ``files``: the case files as a
    walk listed them already (else they are listed, by name alone)."""
    if files is None:
        files, _ = list_yaml_files(root, "cases", stat=False)
    wanted = fold(case_id)
    for rel, _, _ in files:
        if fold(rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]) == wanted:
            return rel
    return None


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def linked_outside(root: Path, rel: str) -> bool:
    """Whether ``root/rel``, or a folder on the way to it, is a symbolic link leading outside the
    workspace (or nowhere): such a file is never read."""
    real_root = root.resolve()
    path = root
    for part in Path(rel).parts:
        path = path / part
        if path.is_symlink():
            try:
                if not path.resolve(strict=True).is_relative_to(real_root):
                    return True
            except (OSError, RuntimeError):
                return True
    return False


def own_catalogue(root: Path | None, name: str) -> Path | None:
    """The workspace's own ``provisions/NAME.yaml``, if it has one that may be read (a file, not
    reached through a link leading outside the workspace)."""
    if root is None:
        return None
    rel = f"provisions/{name}.yaml"
    local = root / rel
    return local if local.is_file() and not linked_outside(root, rel) else None


def known_editions(root: Path | None = None) -> list[str]:
    """The Code editions hcode can load: the shipped ones and the workspace's own
    ``provisions/NAME.yaml``, in order of name (hoc-2020, hoc-2022, hoc-2024, ...)."""
    return sorted({p.stem for p in data_dir("provisions").glob("*.yaml")} | set(workspace_editions(root)))


def shipped_editions() -> list[str]:
    """The names of the editions shipped with hcode (the official Code's)."""
    folder = data_dir("provisions")
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def packaged_code_text(code: str) -> str | None:
    res = data_dir("provisions") / f"{code}.yaml"
    return res.read_text("utf-8") if res.is_file() else None


def read_settings(root: Path) -> Settings:
    doc, problems = read_document(root / CONFIG, CONFIG, "workspace", yamlread.DEFAULT_MAX_BYTES)
    if problems:
        first = problems[0]
        raise WorkspaceError(first.message, CONFIG, first.line, first.column, first.hint)
    assert doc is not None
    try:
        return to_settings(doc.data)
    except ConvertError as exc:
        f = problem_finding(CONFIG, doc.text, exc.problems[0], "schema")
        raise WorkspaceError(f.message, CONFIG, f.line, f.column, f.hint) from None


def workspace_editions(root: Path | None) -> list[str]:
    """The names of the editions the workspace defines itself (``provisions/NAME.yaml``)."""
    if root is None:
        return []
    folder = root / "provisions"
    if not folder.is_dir():
        return []
    names = (p.stem for p in folder.glob("*.yaml") if not p.name.startswith("."))
    return sorted(name for name in names if own_catalogue(root, name) is not None)


def misnamed_catalogues(root: Path | None) -> list[str]:
    """The files in the workspace's ``provisions/`` and ``provisions/mappings/`` that are not
    read: only ``NAME.yaml`` is read there, so ``NAME.yml``, ``NAME.YAML``, an editor's backup or
    any other file is not (workspace-relative paths, sorted)."""
    if root is None:
        return []
    out = []
    for folder in ("provisions", "provisions/mappings"):
        path = root / folder
        if path.is_dir():
            out += [
                f"{folder}/{p.name}"
                for p in path.iterdir()
                if not p.name.endswith(".yaml") and not _unread_on_purpose(p.name) and not p.is_dir()
            ]
    return sorted(out)


def redefined_editions(root: Path | None) -> list[str]:
    """Shipped editions the workspace redefines with a copy that differs from the shipped one."""
    out = []
    for name in workspace_editions(root):
        shipped = packaged_code_text(name)
        if shipped is None or root is None:
            continue
        try:
            if (root / "provisions" / f"{name}.yaml").read_text("utf-8") != shipped:
                out.append(name)
        except (OSError, UnicodeDecodeError):
            out.append(name)
    return out


def load_code(root: Path | None, name: str) -> Code:
    """A provisions catalogue: the workspace's own ``provisions/NAME.yaml``, else the shipped."""
    local = own_catalogue(root, name)
    if local is not None:
        rel = _relative(root, local)  # type: ignore[arg-type]
        doc, problems = read_document(local, rel, "provisions", yamlread.DEFAULT_MAX_BYTES)
    else:
        text = packaged_code_text(name)
        if text is None:
            known = ", ".join(known_editions(root))
            raise WorkspaceError(
                f"unknown Code edition {name!r} (known: {known})",
                CONFIG,
                hint=f"use code: auto (each complaint judged by the edition in force when it arrived) or one of "
                f"{known}, or add provisions/{name}.yaml to the workspace",
            )
        code = _shipped_code(name, text)
        if code is not None:
            return code
        rel = f"(hcode) provisions/{name}.yaml"
        value = yamlread.parse(text)
        issues = validate("provisions", value)
        doc = Document(rel, text, value)
        problems = [problem_finding(rel, text, p, "schema") for p in issues]
    if problems:
        first = problems[0]
        raise WorkspaceError(first.message, first.file, first.line, first.column, first.hint)
    assert doc is not None
    try:
        return to_code(doc.data)
    except ConvertError as exc:
        f = problem_finding(doc.rel, doc.text, exc.problems[0], "schema")
        raise WorkspaceError(f.message, f.file, f.line, f.column, f.hint) from None


@lru_cache(maxsize=16)
def _shipped_code(name: str, text: str) -> Code | None:
    """A shipped edition read from its ``text``, once per process for the same text (a command
    asks for each edition more than once: to judge, and to compare a workspace's copy with it);
    None where the text does not read cleanly, so that :func:`load_code` reports why. Keyed on
    the text itself, so a changed file is read afresh; a :class:`Code` is frozen."""
    value = yamlread.parse(text)
    if validate("provisions", value):
        return None
    try:
        return to_code(value)
    except ConvertError:
        return None


def load_editions(root: Path | None, chosen: str) -> Editions:
    """``chosen`` (an edition's name: that edition alone judges) or ``auto``: every edition
    known, the workspace's copy where it has one. An unknown name is a :class:`WorkspaceError`
    listing the known ones."""
    names = [chosen] if chosen != AUTO else known_editions(root)
    codes = []
    for name in names:
        code = load_code(root, name)
        if code.code != name:
            raise WorkspaceError(
                f"provisions/{name}.yaml says code: {code.code}",
                f"provisions/{name}.yaml",
                hint="the file name and its code: must agree",
            )
        codes.append(code)
    if not codes:  # pragma: no cover - hcode ships its editions
        raise WorkspaceError("no Code edition found", CONFIG)
    return Editions.of(codes, chosen)


FileInfo = tuple[str, int, int]  # workspace-relative path, size, modification time (ns)

# a folder's files looked at through its descriptor (no path to follow again), where the system can
_STAT_AT = os.stat in os.supports_dir_fd and os.open in os.supports_dir_fd
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)


def list_yaml_files(
    root: Path,
    folder: str,
    *,
    recursive: bool = True,
    stat: bool = True,
    stamps: dict[str, str | None] | None = None,
    since_ns: int = 0,
) -> tuple[list[FileInfo], list[Finding]]:
    """The YAML files under ``root/folder`` (sorted), with their size and modification time
    (``stat=False``: zeros, and one system call less per file). ``stamps``: filled with each
    file's stamp as the cache knows it (:func:`hcode.store.cachefile.file_stamps`, with
    ``since_ns``), in the same walk.

    This is the workspace's one inventory: every command lists a folder through it, so every
    command reads the same files. Extensions compare without regard to case (``C-1.YAML`` is
    read). Every other entry is named (``file.name``, warning) rather than passed over: a file of
    another kind (an editor's backup ``C-1.yaml~``, ``notes.txt``), a hidden file, or a folder
    where ``recursive`` is false; only ``README`` files, ``.gitkeep`` and ``.gitignore``, and
    hcode's own temporary and lock files, are left unnamed. Links are followed only to files
    inside the workspace; a link leading outside is reported (``file.link``) and not read.
    """
    files: list[FileInfo] = []
    problems: list[Finding] = []
    real_root = root.resolve()
    limit = since_ns - cachefile.RACY_NS

    def report(rule: str, rel: str, message: str, hint: str | None = None) -> None:
        problems.append(file_problem(rule, rel, message, hint=hint))

    def unread(entry: os.DirEntry[str], rel: str) -> None:
        try:
            folder_entry = entry.is_dir(follow_symlinks=False)
        except OSError:
            folder_entry = False
        if folder_entry:
            message = f"{rel}/ is not read: hcode reads only the files directly in {folder}/"
            hint = f"move its files into {folder}/, or the folder out of the workspace's {folder}/"
        else:
            message = f"{rel} is not read: hcode reads only .yaml files in {folder}/"
            hint = "delete it if it is an editor's backup, or rename it NAME.yaml"
        problems.append(
            Finding(rule="file.name", severity="warning", subject=rel, message=message, file=rel, hint=hint)
        )

    def walk(path: str, rel: str) -> None:
        try:
            with os.scandir(path) as it:
                entries = list(it)
        except FileNotFoundError:
            return  # a folder that is not there holds no files
        except OSError as exc:
            report(
                "file.unreadable",
                rel,
                f"cannot list the folder {rel}/: {exc.strerror or exc}",
                "make it a folder hcode can read (check its permissions)",
            )
            return
        entries = plain_files(path, rel, entries)
        for entry in entries:
            name = entry.name
            entry_rel = f"{rel}/{name}"
            if name[0] == ".":
                if not _unread_on_purpose(name):
                    unread(entry, entry_rel)
                continue
            try:
                if entry.is_symlink():
                    try:
                        target = Path(entry.path).resolve(strict=True)
                    except (OSError, RuntimeError):  # a loop, or a link to nothing
                        report(
                            "file.link",
                            entry_rel,
                            f"{entry_rel} is a broken or looping symbolic link: not followed",
                            "remove the link",
                        )
                        continue
                    if not target.is_relative_to(real_root):
                        if suffix_is(name, YAML_SUFFIXES) or target.is_dir():
                            report(
                                "file.link",
                                entry_rel,
                                f"{entry_rel} links outside the workspace: not followed",
                                "copy the file into the workspace instead",
                            )
                        else:
                            unread(entry, entry_rel)
                        continue
                    if target.is_dir():
                        unread(entry, entry_rel)  # links to folders are not followed, even inside
                        continue
                if entry.is_dir(follow_symlinks=False):
                    if recursive:
                        walk(entry.path, entry_rel)
                    else:
                        unread(entry, entry_rel)
                elif not suffix_is(name, YAML_SUFFIXES):
                    if not _unread_on_purpose(name):
                        unread(entry, entry_rel)
                else:
                    if stamps is not None:
                        try:
                            stamps[entry_rel] = cachefile.stamp_of(entry.stat(), limit)
                        except OSError:
                            stamps[entry_rel] = None
                    if stat:
                        st = entry.stat()
                        files.append((entry_rel, st.st_size, st.st_mtime_ns))
                    else:
                        files.append((entry_rel, 0, 0))
            except OSError as exc:
                report("file.unreadable", entry_rel, f"cannot read the file: {exc.strerror or exc}")

    def plain_files(path: str, rel: str, entries: list[os.DirEntry[str]]) -> list[os.DirEntry[str]]:
        """The common case first, at a fraction of the cost of :func:`walk`'s loop: the regular
        files named ``*.yaml`` (no link, no hidden file) listed, each looked at once (through the
        folder's descriptor where the system allows: no path to follow again); the other
        entries are given back for the loop to handle one by one."""
        others: list[os.DirEntry[str]] = []
        plain: list[str] = []
        for entry in entries:
            name = entry.name
            try:
                if name[0] != "." and name.endswith(".yaml") and entry.is_file(follow_symlinks=False):
                    plain.append(name)
                    continue
            except OSError:
                pass  # the loop says why
            others.append(entry)
        if not plain:
            return others
        # in name order (the folder's own order is its hash order): the files of one folder come
        # out sorted, and sorting them all at the end merges sorted runs (a tenth of the time)
        plain.sort()
        prefix = rel + "/"
        stamp_of = cachefile.stamp_of
        if stamps is None and not stat:
            files.extend([(prefix + name, 0, 0) for name in plain])
            return others
        try:
            fd = os.open(path, _FOLDER_FLAGS) if _STAT_AT else None
        except OSError:
            fd = None

        def by_path(name: str) -> os.stat_result:
            return os.stat(path + os.sep + name)

        try:
            look = partial(os.stat, dir_fd=fd) if fd is not None else by_path
            for name in plain:
                entry_rel = prefix + name
                try:
                    st = look(name)
                except OSError as exc:
                    if stamps is not None:
                        stamps[entry_rel] = None
                    if stat:
                        report("file.unreadable", entry_rel, f"cannot read the file: {exc.strerror or exc}")
                    else:
                        files.append((entry_rel, 0, 0))
                    continue
                if stamps is not None:
                    stamps[entry_rel] = stamp_of(st, limit)
                files.append((entry_rel, st.st_size, st.st_mtime_ns) if stat else (entry_rel, 0, 0))
        finally:
            if fd is not None:
                os.close(fd)
        return others

    top = root / folder
    if top.is_symlink():
        # the folder itself is a link: followed only to a folder inside the workspace
        try:
            inside = top.resolve(strict=True).is_relative_to(real_root)
        except (OSError, RuntimeError):
            inside = False
        if not inside:
            report(
                "file.link",
                folder,
                f"{folder}/ links outside the workspace (or nowhere): not read, and nothing is written there",
                "make it a real folder inside the workspace",
            )
            return files, problems
    walk(str(top), folder)
    files.sort()
    return files, problems


#: The folders of case files and other records every command lists through
#: :func:`list_yaml_files`, and whether their sub-folders are read.
RECORD_FOLDERS = (("assessments", False), ("cases", True), ("reports", False), ("ombudsman", False))


def files_read(root: Path) -> tuple[list[str], list[str], list[str]]:
    """Workspace-relative paths of every file hcode reads, in path order: ``hcode.yaml``, the
    records in :data:`RECORD_FOLDERS` (through :func:`list_yaml_files`, so ``C-1.YAML`` and
    ``C-1.yml`` are here and an editor's backup is not), and the workspace's own catalogues
    (``provisions/NAME.yaml``, ``provisions/mappings/NAME.yaml`` and the hazard catalogue); and
    the files and folders not read because they are links leading outside the workspace; and
    what could not be read at all (a folder that cannot be listed, a file that cannot be
    examined), as ``"path: why"``, so that the command says so rather than passing it over.
    Commands that go over the whole workspace (``hcode fmt``) take their files from here, so they
    touch exactly the files ``check`` reads."""
    out = [CONFIG] if (root / CONFIG).is_file() else []
    linked: list[str] = []
    unreadable: list[str] = []
    for folder, recursive in RECORD_FOLDERS:
        files, problems = list_yaml_files(root, folder, recursive=recursive, stat=False)
        out += [rel for rel, _, _ in files]
        linked += [p.file or p.subject for p in problems if p.rule == "file.link"]
        unreadable += [f"{p.file or p.subject}: {p.message}" for p in problems if p.rule == "file.unreadable"]
    out += [f"provisions/{name}.yaml" for name in workspace_editions(root)]
    for rel in ("provisions", "provisions/mappings", f"provisions/{HAZARD_CATALOGUE}"):
        if (root / rel).exists() or (root / rel).is_symlink():
            if linked_outside(root, rel):
                linked.append(rel)
                break
            if rel == "provisions/mappings" and (root / rel).is_dir():
                out += [f"{rel}/{p.name}" for p in (root / rel).glob("*.yaml") if p.is_file()]
            elif rel.endswith(".yaml") and (root / rel).is_file():
                out.append(rel)
    # in path order, a folder's files before a longer name beside it: the separator compares
    # below every character a name holds (the same order as comparing the lists of parts)
    return sorted(dict.fromkeys(out), key=lambda rel: rel.replace("/", "\0")), sorted(linked), unreadable


def _unread_on_purpose(name: str) -> bool:
    """Files a workspace folder may hold that are not hcode's to read, and that need no word."""
    low = name.casefold()
    return (
        low.startswith("readme")
        or low in (".gitkeep", ".gitignore", ".ds_store")
        or name.startswith(TEMP_PREFIX)
        or (name.startswith(".") and name.endswith(".lock"))
    )


def locate_findings(root: Path, findings: list[Finding]) -> list[Finding]:
    """Fill in line and column for findings that carry only a path, reading each file once."""
    from dataclasses import replace

    wanted: dict[str, list[int]] = {}
    for i, f in enumerate(findings):
        if f.line is None and f.file and f.path:
            wanted.setdefault(f.file, []).append(i)
    out = list(findings)
    for rel, indexes in wanted.items():
        try:
            text = (root / rel).read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        found = yamlread.marks(text)
        if found is None:
            continue
        for i in indexes:
            f = out[i]
            line, column = yamlread.lookup(found, f.path, key=f.key)
            out[i] = replace(f, line=line, column=column)
    return out


HAZARD_CATALOGUE = "hazards/awaab-2025.yaml"


def hazard_rules_text(root: Path | None) -> tuple[str, str]:
    """The Awaab's Law catalogue's text and where it is: the workspace's own
    ``provisions/hazards/awaab-2025.yaml``, else the shipped one."""
    local = root / "provisions" / HAZARD_CATALOGUE if root is not None else None
    if local is not None and local.is_file():
        return local.read_text("utf-8"), f"provisions/{HAZARD_CATALOGUE}"
    return (data_dir("provisions") / HAZARD_CATALOGUE).read_text("utf-8"), f"(hcode) provisions/{HAZARD_CATALOGUE}"


def load_hazard_rules(root: Path | None) -> HazardRules:
    """The Awaab's Law catalogue hazard records are judged by (a :class:`WorkspaceError` when
    the workspace's copy cannot be read)."""
    try:
        text, rel = hazard_rules_text(root)
        value = yamlread.parse(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkspaceError(f"cannot read the hazard catalogue: {exc}", f"provisions/{HAZARD_CATALOGUE}") from None
    except yamlread.YamlError as exc:
        raise WorkspaceError(exc.message, f"provisions/{HAZARD_CATALOGUE}", exc.line, exc.column, exc.hint) from None
    if not isinstance(value, dict):
        raise WorkspaceError("the hazard catalogue must be a mapping", rel)
    try:
        return to_hazard_rules(value)
    except ConvertError as exc:
        f = problem_finding(rel, text, exc.problems[0], "schema")
        raise WorkspaceError(f.message, f.file, f.line, f.column, f.hint) from None
