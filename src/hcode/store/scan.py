"""``hcode check`` at scale: every case file read, validated and judged once, in parallel, with a
cache so that an unchanged workspace is checked in a fraction of the time.

Each case file is handled on its own (:func:`process_case`): read, parse with positions,
validate, convert, run the case rules, and locate the findings while the positions are at hand.
Large workspaces spread the files over worker processes; the results are sorted, so the output
is the same whatever the number of workers.

The cache (``.hcode-cache/check.json`` in the workspace, git-ignored) keeps, for each case file,
its size and modification time, its id and its findings, but only for cases whose findings can
no longer change as the date moves on (no milestone open, no event after the date of the run).
It is keyed by hcode's version, the schemas, the provisions catalogue and ``hcode.yaml``, so a
change to any of them rebuilds it. A cache that cannot be read or does not match is ignored and
rebuilt, never trusted; it holds JSON only.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from hcode import __version__
from hcode.core.milestones import OPEN, Milestone, milestones
from hcode.core.model import Case, Code, Finding, Settings
from hcode.core.rules import Context, check_case
from hcode.core.rules.records import events
from hcode.edit.fileio import atomic_write
from hcode.store import yamlread
from hcode.store.convert import ConvertError, to_case
from hcode.store.fastyaml import AVAILABLE as FAST_AVAILABLE
from hcode.store.fastyaml import fast_parse
from hcode.store.validate import SCHEMA_NAMES, schema_text, validate
from hcode.store.workspace import (
    CONFIG,
    FileInfo,
    duplicate_id,
    file_problem,
    list_yaml_files,
    packaged_code_text,
    read_mapping,
)

CACHE_DIR = ".hcode-cache"
CACHE_FILE = "check.json"
CACHE_FORMAT = 1
PARALLEL_FROM = 2000  # files; below this, worker start-up costs more than it saves


@dataclass(slots=True)
class CaseResult:
    rel: str
    size: int
    mtime: int
    case_id: str | None
    stable_from: str | None  # ISO date from which the findings no longer change; None: never
    findings: list[Finding]


# -- one file ------------------------------------------------------------------------------------


def _fast_first(text: str) -> Any:
    """rapidyaml where it is sure, else the strict reader (which reports any problem)."""
    value = fast_parse(text)
    return yamlread.parse(text) if value is None else value


def _stable_from(case: Case, ms: Sequence[Milestone]) -> str | None:
    """The date from which this case's findings stay the same, or None while anything is open."""
    if any(m.status in OPEN for m in ms):
        return None
    return max(when for _, _, when in events(case)).isoformat()


def process_case(path: Path, rel: str, size: int, mtime: int, ctx: Context, fast: bool = False) -> CaseResult:
    """Everything ``check`` needs from one case file, with findings already located.

    ``fast``: try :func:`hcode.store.fastyaml.fast_parse` first (worker processes only: rapidyaml
    writes its own parse errors to standard error, which workers send to the null device).
    """

    def result(findings: list[Finding], case_id: str | None = None, stable: str | None = "0001-01-01") -> CaseResult:
        return CaseResult(rel, size, mtime, case_id, stable, findings)

    found = read_mapping(path, rel, ctx.settings.max_file_bytes, _fast_first if fast else yamlread.parse)
    if isinstance(found, Finding):  # unreadable (may change without the file changing), or unusable
        return result([found], stable=None if found.rule == "file.unreadable" else "0001-01-01")
    text, value = found

    lines: list[str] = []
    full: list[yamlread.Marks] = []

    def located(f: Finding) -> Finding:
        """Line and column from a quick look at the text, or from a full parse if need be."""
        if f.line is not None:
            return f
        if not f.path:
            f.line, f.column = 1, 1
            return f
        if not lines:
            lines.extend(text.split("\n"))
        found = yamlread.quick_locate(lines, f.path, key=f.key)
        if found is None:
            if not full:
                full.append(yamlread.marks(text) or {})
            found = yamlread.lookup(full[0], f.path, key=f.key)
        f.line, f.column = found
        return f

    problems = validate("case", value)
    if not problems:
        try:
            case = to_case(value, rel)
        except ConvertError as exc:
            problems = exc.problems
    if problems:
        return result(
            [located(file_problem("schema", rel, p.message, hint=p.hint, path=p.path, key=p.key)) for p in problems]
        )
    ms = milestones(case, ctx.code, ctx.calendar, ctx.as_of, ctx.soon)
    findings = [located(f) for f in check_case(case, ctx, ms)]
    return result(findings, case.id, _stable_from(case, ms))


# -- workers -------------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(root: str, settings: Settings, code: Code, as_of: date, soon: int) -> None:
    from hcode.store.engine import build_calendar

    try:  # rapidyaml prints its own parse errors; hcode reports them itself, with the line
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
    except OSError:  # pragma: no cover
        pass
    cal = build_calendar(settings, as_of)
    _WORKER["root"] = Path(root)
    _WORKER["ctx"] = Context(code=code, calendar=cal, as_of=as_of, settings=settings, soon=soon)


def _run_batch(batch: Sequence[FileInfo]) -> list[CaseResult]:
    root: Path = _WORKER["root"]
    ctx: Context = _WORKER["ctx"]
    fast = bool(FAST_AVAILABLE)
    return [process_case(root / rel, rel, size, mtime, ctx, fast) for rel, size, mtime in batch]


def _batches(items: Sequence[FileInfo], size: int) -> list[Sequence[FileInfo]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


# -- the cache -----------------------------------------------------------------------------------


def _code_fingerprint() -> str:
    """Sizes and times of hcode's own modules, so a changed rule invalidates the cache even
    before the version number changes (as in development)."""
    package = Path(__file__).parent.parent
    parts = []
    for path in sorted(package.rglob("*.py")):
        try:
            st = path.stat()
        except OSError:
            continue
        parts.append(f"{path.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def cache_key(root: Path, settings: Settings) -> str:
    """Changes whenever anything that shapes a finding changes (except the case file itself)."""
    digest = hashlib.sha256()
    digest.update(f"{CACHE_FORMAT}:{__version__}".encode())
    digest.update(_code_fingerprint().encode())
    for name in SCHEMA_NAMES:
        digest.update(schema_text(name).encode())
    local = root / "provisions" / f"{settings.code}.yaml"
    try:
        digest.update(local.read_bytes() if local.is_file() else (packaged_code_text(settings.code) or "").encode())
        digest.update((root / CONFIG).read_bytes())
    except OSError:
        digest.update(b"unreadable")
    return digest.hexdigest()


# A cached finding: [rule, severity, message, line, column, due, actual, hint, subject]; the
# subject is left out (null) when it is the case id, and the file is the entry's own path.


def _pack(f: Finding, case_id: str | None) -> list[Any]:
    return [
        f.rule,
        f.severity,
        f.message,
        f.line,
        f.column,
        f.due.isoformat() if f.due else None,
        f.actual.isoformat() if f.actual else None,
        f.hint,
        None if f.subject == case_id else f.subject,
    ]


def _unpack(row: list[Any], rel: str, case_id: str | None) -> Finding:
    rule, severity, message, line, column, due, actual, hint, subject = row
    if severity not in ("error", "warning", "info") or not isinstance(message, str):
        raise ValueError("not a finding")
    return Finding(
        rule,
        severity,
        subject if subject is not None else (case_id or rel),
        message,
        rel,
        line,
        column,
        date.fromisoformat(due) if due else None,
        date.fromisoformat(actual) if actual else None,
        hint,
    )


def read_cache(root: Path, key: str) -> dict[str, list[Any]]:
    """Cached entries by relative path; empty when missing, corrupt or made for other inputs."""
    try:
        doc = orjson.loads((root / CACHE_DIR / CACHE_FILE).read_bytes())
        if not isinstance(doc, dict) or doc.get("key") != key or not isinstance(doc.get("files"), dict):
            return {}
        files: dict[str, list[Any]] = doc["files"]
        return files
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return {}


def write_cache(root: Path, key: str, entries: dict[str, list[Any]]) -> None:
    write_cache_file(root / CACHE_DIR / CACHE_FILE, orjson.dumps({"key": key, "files": entries}))


def _entry_findings(entry: list[Any], rel: str) -> list[Finding] | None:
    try:
        return [_unpack(row, rel, entry[2]) for row in entry[4]]
    except (TypeError, ValueError, IndexError, KeyError):
        return None


# -- the whole workspace -------------------------------------------------------------------------


def _process(root: Path, ctx: Context, todo: list[FileInfo], n_workers: int, results: list[CaseResult]) -> None:
    if n_workers > 1 and len(todo) >= PARALLEL_FROM:
        size = max(50, min(1000, len(todo) // (n_workers * 8) or 1))
        with ProcessPoolExecutor(
            max_workers=n_workers,
            initializer=_init_worker,
            initargs=(str(root), ctx.settings, ctx.code, ctx.as_of, ctx.soon),
        ) as pool:
            for batch_result in pool.map(_run_batch, _batches(todo, size)):
                results.extend(batch_result)
    else:
        results.extend(process_case(root / rel, rel, size, mtime, ctx) for rel, size, mtime in todo)


@dataclass
class CheckRun:
    findings: list[Finding]
    case_files: int
    from_cache: int
    unsettled: list[str]  # readable case files that may still have something open


def check_cases(
    root: Path,
    ctx: Context,
    *,
    workers: int | None = None,
    use_cache: bool = True,
) -> CheckRun:
    """Findings for every case file of the workspace, sorted."""
    files, findings = list_yaml_files(root, "cases")
    key = cache_key(root, ctx.settings) if use_cache else ""
    cached = read_cache(root, key) if use_cache else {}
    as_of = ctx.as_of.isoformat()
    results: list[CaseResult] = []
    todo: list[FileInfo] = []
    for info in files:
        entry = cached.get(info[0])
        if (
            entry is not None
            and isinstance(entry, list)
            and len(entry) == 5
            and entry[0] == info[1]
            and entry[1] == info[2]
            and isinstance(entry[3], str)
            and entry[3] <= as_of
        ):
            found = _entry_findings(entry, info[0])
            if found is not None:
                results.append(CaseResult(info[0], info[1], info[2], entry[2], entry[3], found))
                continue
        todo.append(info)
    from_cache = len(results)
    n_workers = default_workers() if workers is None else max(1, workers)
    collecting = gc.isenabled()
    gc.disable()  # the scan builds many small objects and no cycles: collection only costs time
    try:
        _process(root, ctx, todo, n_workers, results)
    finally:
        if collecting:
            gc.enable()
    seen: dict[str, str] = {}
    for r in sorted(results, key=lambda r: r.rel):
        findings.extend(r.findings)
        if r.case_id is None:
            continue
        if r.case_id in seen:
            findings.append(duplicate_id(r.case_id, r.rel, seen[r.case_id]))
        else:
            seen[r.case_id] = r.rel
    fresh_settled = any(r.stable_from is not None for r in results[from_cache:])
    if use_cache and (fresh_settled or from_cache != len(cached)):
        entries: dict[str, list[Any]] = {}
        for r in results[:from_cache]:
            entries[r.rel] = cached[r.rel]
        for r in results[from_cache:]:
            if r.stable_from is not None:
                packed = [_pack(f, r.case_id) for f in r.findings]
                entries[r.rel] = [r.size, r.mtime, r.case_id, r.stable_from, packed]
        write_cache(root, key, entries)
    unsettled = sorted(r.rel for r in results if r.stable_from is None and r.case_id is not None)
    return CheckRun(findings, len(files), from_cache, unsettled)


# -- bank holidays, kept beside the cache so that warm runs need not import `holidays` ---------


def cached_holidays(root: Path, division: str) -> Any:
    """A holiday source for :class:`~hcode.core.calendar.WorkingCalendar` that remembers the years
    it was asked for in ``.hcode-cache/holidays-DIVISION.json`` (keyed by the version of the
    ``holidays`` package). Falls back to the package whenever the file cannot help."""
    from importlib.metadata import PackageNotFoundError, version

    from hcode.core.calendar import uk_bank_holidays

    try:
        package_version = version("holidays")
    except PackageNotFoundError:  # pragma: no cover - a dependency
        package_version = "unknown"
    path = root / CACHE_DIR / f"holidays-{division}.json"
    live = uk_bank_holidays(division)

    def source(years: Iterable[int]) -> dict[date, str]:
        wanted = [str(y) for y in years]
        stored: dict[str, list[list[str]]] = {}
        try:
            doc = orjson.loads(path.read_bytes())
            if doc.get("version") == package_version and isinstance(doc.get("years"), dict):
                stored = doc["years"]
        except (OSError, ValueError, AttributeError):
            stored = {}
        missing = [int(y) for y in wanted if y not in stored]
        if missing:
            fresh = live(missing)
            for year in missing:
                stored[str(year)] = sorted([d.isoformat(), name] for d, name in fresh.items() if d.year == year)
            write_cache_file(path, orjson.dumps({"version": package_version, "years": stored}))
        out: dict[date, str] = {}
        try:
            for y in wanted:
                for day, name in stored[y]:
                    out[date.fromisoformat(day)] = str(name)
        except (TypeError, ValueError, KeyError):
            return dict(live([int(y) for y in wanted]))
        return out

    return source


def write_cache_file(path: Path, text: str | bytes) -> None:
    try:
        path.parent.mkdir(exist_ok=True)
        if not (path.parent / ".gitignore").exists():
            atomic_write(path.parent / ".gitignore", "*\n")
        atomic_write(path, text)
    except OSError:
        pass  # a cache that cannot be written only costs time
