"""Reading many case files: in parallel, through the fast reader, with a sealed cache.

Every command that reads the cases goes through :func:`scan`. Each file is handled on its own
(:func:`process_case`): read (never more than the size limit), parse, validate, convert and,
for ``check``, judged by the case rules with the findings located while the positions are at
hand. Large workspaces spread the files over worker processes; the results are sorted, so the
output is the same whatever the number of workers.

The cache (``.hcode-cache/check.json`` in the workspace, git-ignored) keeps, for each case
file, a fingerprint of its bytes (BLAKE2b), its id and its findings, but only for cases whose
findings can no longer change as the date moves on (no milestone open, no event after the date
of the run that computed them). An entry is used only when the file's bytes still have the
same fingerprint (an edit that keeps the size and time is seen) and the date of the run is on
or after the entry's settled date. The whole cache is keyed by hcode's version and modules, the
schemas, the provisions catalogue, ``hcode.yaml`` and the ``holidays`` package's version, and
sealed with the user's key (:mod:`hcode.store.cachefile`): a cache edited by hand, copied from
elsewhere or made for other inputs is ignored and rebuilt, never trusted. It holds JSON only.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import operator
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hcode.core.calendar import FIRST_DAY, LAST_DAY, HolidaySource, WorkingCalendar, uk_bank_holidays
from hcode.core.editions import AUTO, Editions
from hcode.core.hazards import OPEN as HAZARD_OPEN
from hcode.core.hazards import HazardRules, hazard_clocks, hazard_events
from hcode.core.identity import fold
from hcode.core.milestones import Milestone, milestones, still_open
from hcode.core.model import Case, Code, Finding, Settings
from hcode.core.recall import JUDGING
from hcode.core.rules import Context, check_case
from hcode.core.rules.records import event_dates
from hcode.store import yamlread
from hcode.store.cachefile import MAPPING, SealedCache, digest
from hcode.store.convert import ConvertError, record_schema, to_record
from hcode.store.fastyaml import AVAILABLE as FAST_AVAILABLE
from hcode.store.fastyaml import plain_locate, plain_parse, rapid_parse
from hcode.store.validate import SCHEMA_NAMES, schema_text, validate
from hcode.store.workspace import (
    CONFIG,
    FileInfo,
    decode_mapping,
    duplicate_id,
    file_problem,
    hazard_rules_text,
    known_editions,
    list_yaml_files,
    packaged_code_text,
    read_bytes,
)
from hcode.version import __version__

CACHE_DIR = ".hcode-cache"
CACHE_FILE = "check.json"
CACHE_FORMAT = 5
PARALLEL_FROM = 2000  # files; below this, worker start-up costs more than it saves
FREEZE_FROM = 2000  # files read afresh: from here the scan's objects are frozen (gc.freeze)
READ_RULES = frozenset(("yaml", "schema", "file.unreadable", "file.link", "case.duplicate"))

Progress = Callable[[int, int], None]  # (files just done, files to do in all)
# What a command keeps of each case, computed where the case was read (in a worker process for
# large workspaces), so that only the small answer travels back: a module-level function.
Mapper = Callable[[Case, Context], Any]


@dataclass(slots=True)
class CaseResult:
    rel: str
    digest: str | None  # fingerprint of the bytes read; None when they could not all be read
    case_id: str | None  # None: the file could not be read as a case (findings say why)
    # ISO date from which the findings no longer change; "=DAY/SOON" (:func:`day_tag`): they
    # hold for runs on that day only; None: not to be kept
    stable_from: str | None
    findings: list[Finding]
    case: Any = None  # ``keep``: the record, or what the mapper made of it
    entry: Any = None  # the cache entry it was served from
    links: tuple[str, ...] = ()  # a hazard record: the complaints it names
    stamp: str | None = None  # the file's status when listed (:func:`file_stamps`), where trusted

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Sent back from a worker process as plain tuples: a third of the time of pickling
        the dataclasses field by field, on both sides."""
        findings = [_FINDING_VALUES(f) for f in self.findings]
        fields = (self.rel, self.digest, self.case_id, self.stable_from, findings, self.case, self.entry, self.links)
        return _unreduce, (*fields, self.stamp)


_FINDING_VALUES = operator.attrgetter(*(f.name for f in dataclass_fields(Finding)))


def _unreduce(
    rel: str,
    digest: str | None,
    case_id: str | None,
    stable_from: str | None,
    findings: list[tuple[Any, ...]],
    case: Any,
    entry: Any,
    links: tuple[str, ...],
    stamp: str | None,
) -> CaseResult:
    found = [Finding(*values) for values in findings]
    return CaseResult(rel, digest, case_id, stable_from, found, case, entry, links, stamp)


class _Batch(list[CaseResult]):
    """A worker's results for one batch of files, sent back as columns (each file's fields in
    lists, the findings' values in one list): a quarter less time pickling than result by result,
    and half the time building them back in the main process."""

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        values = _FINDING_VALUES
        return _unbatch, (
            [r.rel for r in self],
            [r.digest for r in self],
            [r.case_id for r in self],
            [r.stable_from for r in self],
            [len(r.findings) for r in self],
            [values(f) for r in self for f in r.findings],
            [r.case for r in self],
            [r.entry for r in self],
            [r.links for r in self],
            [r.stamp for r in self],
        )


def _unbatch(
    rels: list[str],
    digests: list[str | None],
    case_ids: list[str | None],
    stables: list[str | None],
    counts: list[int],
    findings: list[tuple[Any, ...]],
    cases: list[Any],
    entries: list[Any],
    links: list[tuple[str, ...]],
    stamps: list[str | None],
) -> list[CaseResult]:
    built = [Finding(*values) for values in findings]
    out: list[CaseResult] = []
    at = 0
    for i, count in enumerate(counts):
        out.append(
            CaseResult(
                rels[i],
                digests[i],
                case_ids[i],
                stables[i],
                built[at : at + count],
                cases[i],
                entries[i],
                links[i],
                stamps[i],
            )
        )
        at += count
    return out


# -- one file ------------------------------------------------------------------------------------


def day_tag(ctx: Context) -> str:
    """What a case's findings depend on when they may still change with the date: the day of
    the run and its "due soon" days. (A hazard record's running 24-hour clock also depends on
    the time of day: never kept for a run as of today.)"""
    return f"={ctx.as_of.isoformat()}/{ctx.soon}"


def settled(stable: str | None) -> bool:
    """Whether findings kept with ``stable`` no longer change as the date moves on."""
    return stable is not None and not stable.startswith("=")


class _Reader:
    """The parse of :func:`decode_mapping` for case files: the plain reader where it is sure,
    else (``fast``) rapidyaml where it is sure, else the strict reader (which reports any
    problem). ``plain`` says whether the plain reader answered for the last text read, whose
    findings are then located by searching the text (:func:`plain_locate`)."""

    __slots__ = ("fast", "plain")

    def __init__(self, fast: bool) -> None:
        self.fast = fast
        self.plain = False

    def __call__(self, text: str) -> Any:
        value = plain_parse(text)
        self.plain = value is not None
        if value is None and self.fast:
            value = rapid_parse(text)
        return yamlread.parse(text) if value is None else value


# rapidyaml only in worker processes: it writes its own parse errors to standard error, which
# workers send to the null device; the plain reader writes nothing, so any process may use it
_FAST_FIRST = _Reader(fast=True)
_PLAIN_FIRST = _Reader(fast=False)


def _stable_from(case: Case, ms: Sequence[Milestone], as_of: date) -> str | None:
    """The date from which this case's findings stay the same, or None while anything is open
    or any event lies after ``as_of`` (the findings then depend on the date of the run). A
    remedy action not yet done with a due date keeps the case open: it becomes overdue with time
    (Code 7.3); one with no due date changes no finding and no row of ``due``."""
    if any(still_open(m) for m in ms):
        return None
    if case.remedy is not None and any(a.done is None and a.due is not None for a in case.remedy.actions):
        return None
    last = max(when for _, when in event_dates(case))
    return last.isoformat() if last <= as_of else None


def _hazard_stable_from(case: Case, ctx: Context) -> str | None:
    """As :func:`_stable_from`, for a hazard record: None while a clock runs or an event lies
    after ``as_of``."""
    assert case.hazard is not None
    if ctx.hazards is None:
        return None
    judged = hazard_clocks(case, ctx.hazards, ctx.calendar, ctx.as_of, ctx.soon)
    if any(c.status in HAZARD_OPEN for c in judged.clocks):
        return None
    last = max(m.day for _, _, m in hazard_events(case.hazard))
    return last.isoformat() if last <= ctx.as_of else None


def process_case(
    path: Path | str,
    rel: str,
    ctx: Context,
    fast: bool = False,
    *,
    judge: bool = True,
    keep: bool = False,
    mapper: Mapper | None = None,
    settle: bool = True,
) -> CaseResult:
    """What a command needs from one case file: its record (``keep``), its reading problems and,
    with ``judge``, the case rules' findings, all located. Without ``settle`` neither the
    fingerprint of its bytes nor the date its findings settle is computed (both None): for a
    caller that keeps nothing (a check without the cache).

    ``fast``: try :func:`hcode.store.fastyaml.fast_parse` first (worker processes only: rapidyaml
    writes its own parse errors to standard error, which workers send to the null device); else
    :func:`hcode.store.fastyaml.plain_parse`, which any process may use (:class:`_Reader`).
    """
    data = read_bytes(path, rel, ctx.settings.max_file_bytes)
    if isinstance(data, Finding):  # may change without the bytes read changing: never cached
        return CaseResult(rel, None, None, None, [data])
    fingerprint = digest(data) if settle else None
    reader = _FAST_FIRST if fast else _PLAIN_FIRST
    reader.plain = False
    found = decode_mapping(data, rel, ctx.settings.max_file_bytes, reader)
    if isinstance(found, Finding):
        return CaseResult(rel, fingerprint, None, "0001-01-01" if settle else None, [found])
    text, value = found
    plain = reader.plain
    problems = validate(record_schema(value), value)
    if not problems:
        try:
            case = to_record(value, rel)
        except ConvertError as exc:
            problems = exc.problems
    if problems:
        findings = _located(
            [file_problem("schema", rel, p.message, hint=p.hint, path=p.path, key=p.key) for p in problems],
            text,
            value,
            plain,
        )
        return CaseResult(rel, fingerprint, None, "0001-01-01" if settle else None, findings)
    if not judge:
        return CaseResult(rel, fingerprint, case.id, None, [], _kept(case, ctx, keep, mapper))
    with JUDGING.judging(case):  # the rules and the settled date ask some things alike
        ms = milestones(case, ctx.judging, ctx.calendar, ctx.as_of, ctx.soon)
        findings = _located(check_case(case, ctx, ms), text, value, plain)
        kept = _kept(case, ctx, keep, mapper)
        if not settle:
            stable = None
        elif case.hazard is None:
            stable = _stable_from(case, ms, ctx.as_of)
        else:
            stable = _hazard_stable_from(case, ctx)
    if settle and stable is None and (ctx.now is None or case.hazard is None):
        stable = day_tag(ctx)  # the same findings again for a run on the same day
    links = case.hazard.complaints if case.hazard is not None else ()
    return CaseResult(rel, fingerprint, case.id, stable, findings, kept, links=links)


def _located(findings: list[Finding], text: str, value: dict[str, Any], plain: bool = False) -> list[Finding]:
    """``findings`` of one file with their line and column: from a quick look at the text (a
    search of it where the plain reader read it: ``plain``), or from a full parse if need be;
    each place looked for once (two rules often point at one date)."""
    lines: list[str] = []
    full: yamlread.Marks | None = None
    spots: dict[tuple[Any, bool], tuple[int, int]] = {}
    for f in findings:
        if f.line is not None:
            continue
        if not f.path or f.path[0] not in value:
            # nothing to point at (a key missing from the top of the file, or no path at all):
            # the start of the file, as the full parse's marks would say, without parsing again
            f.line, f.column = 1, 1
            continue
        place = (tuple(f.path), f.key)
        spot = spots.get(place)
        if spot is None and plain:
            spot = plain_locate(text, f.path, key=f.key)
        if spot is None:
            if not lines:
                lines = text.split("\n")
            spot = yamlread.quick_locate(lines, f.path, key=f.key)
            if spot is None:
                if full is None:
                    full = yamlread.marks(text) or {}
                spot = yamlread.lookup(full, f.path, key=f.key)
            spots[place] = spot
        f.line, f.column = spot
    return findings


def _kept(case: Case, ctx: Context, keep: bool, mapper: Mapper | None) -> Any:
    if not keep:
        return None
    return case if mapper is None else mapper(case, ctx)


# -- workers -------------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(
    root: str,
    settings: Settings,
    code: Code,
    editions: Editions | None,
    as_of: date,
    soon: int,
    judge: bool,
    keep: bool,
    mapper: Mapper | None,
    hazards: HazardRules | None = None,
    now: datetime | None = None,
    settle: bool = True,
) -> None:
    try:  # rapidyaml prints its own parse errors; hcode reports them itself, with the line
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
    except OSError:  # pragma: no cover
        pass
    cal = build_calendar(settings, as_of)
    _WORKER["root"] = Path(root)
    _WORKER["ctx"] = Context(
        code=code, calendar=cal, as_of=as_of, settings=settings, soon=soon, editions=editions, hazards=hazards, now=now
    )
    _WORKER["mode"] = (judge, keep, mapper, settle)


def _run_batch(batch: Sequence[FileInfo]) -> list[CaseResult]:
    root: Path = _WORKER["root"]
    ctx: Context = _WORKER["ctx"]
    judge, keep, mapper, settle = _WORKER["mode"]
    fast = bool(FAST_AVAILABLE)
    base = str(root) + os.sep
    return _Batch(
        process_case(base + rel, rel, ctx, fast, judge=judge, keep=keep, mapper=mapper, settle=settle)
        for rel, _, _ in batch
    )


def _batches(items: Sequence[FileInfo], size: int) -> list[Sequence[FileInfo]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


# -- the cache -----------------------------------------------------------------------------------


@functools.cache
def code_fingerprint() -> str:
    """Sizes and times of hcode's own modules, so a changed rule invalidates the cache even
    before the version number changes (as in development). Looked at once in a process (every
    cache key asks it: the findings', each derived answer's, a workbook's); the modules a
    process runs do not change under it."""
    package = Path(__file__).parent.parent
    parts = []
    for path in sorted(package.rglob("*.py")):
        try:
            st = path.stat()
        except OSError:
            continue
        parts.append(f"{path.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def _holidays_version() -> str:
    """The installed ``holidays`` package's version, from the ``Version:`` line of its metadata
    (``importlib.metadata.version`` parses the whole file as an e-mail: 10 ms on every run)."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution("holidays")
    except PackageNotFoundError:  # pragma: no cover - a dependency
        return "unknown"
    head = (dist.read_text("METADATA") or "").split("\n\n", 1)[0]
    for line in head.splitlines():
        if line.startswith("Version:"):
            return line[len("Version:") :].strip()
    return dist.version  # pragma: no cover - metadata always names its version


def cache_key(root: Path, settings: Settings) -> str:
    """Changes whenever anything that shapes a finding changes (except the case file itself):
    hcode, the schemas, ``hcode.yaml`` (which names the edition, or ``auto``) and the text of
    every Code edition that may judge a case (the workspace's own copies and the shipped ones),
    so a result judged under another edition or catalogue is never served."""
    h = hashlib.sha256()
    h.update(f"{CACHE_FORMAT}:{__version__}:holidays {_holidays_version()}".encode())
    h.update(code_fingerprint().encode())
    for name in SCHEMA_NAMES:
        h.update(schema_text(name).encode())
    names = known_editions(root) if settings.code == AUTO else [settings.code]
    try:
        for name in names:
            local = root / "provisions" / f"{name}.yaml"
            h.update(f"\x00edition {name}\x00".encode())
            h.update(local.read_bytes() if local.is_file() else (packaged_code_text(name) or "").encode())
        h.update(b"\x00hazards\x00" + hazard_rules_text(root)[0].encode())
        h.update((root / CONFIG).read_bytes())
    except (OSError, UnicodeDecodeError):
        h.update(b"unreadable")
    return h.hexdigest()


# A cached finding: [rule, severity, message, line, column, due, actual, hint, subject, edition,
# path, recorded]; the subject is left out (null) when it is the case id, and the file is the
# entry's own path.


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
        f.edition,
        list(f.path) if f.path else None,
        f.recorded,
    ]


def _unpack(row: list[Any], rel: str, case_id: str | None) -> Finding:
    rule, severity, message, line, column, due, actual, hint, subject, edition, path, recorded = row
    if severity not in ("error", "warning", "info") or not isinstance(message, str):
        raise ValueError("not a finding")
    if edition is not None and not isinstance(edition, str):
        raise ValueError("not a finding")
    if path is not None and not (isinstance(path, list) and all(isinstance(p, str | int) for p in path)):
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
        path=tuple(path) if path else (),
        edition=edition,
        recorded=recorded is True,
    )


def _findings_cache(root: Path) -> SealedCache[dict[str, list[Any]]]:
    return SealedCache(root, CACHE_FILE, MAPPING)


def read_cache(root: Path, key: str) -> dict[str, list[Any]]:
    """Cached entries by relative path; empty when missing, damaged, unsealed or made for other
    inputs."""
    return _findings_cache(root).load(key) or {}


def write_cache(root: Path, key: str, entries: dict[str, list[Any]]) -> None:
    _findings_cache(root).store(key, entries)


def _from_entry(entry: Any, rel: str, fingerprint: str | None, as_of: str, today: str) -> CaseResult | None:
    """The cached result for a file whose bytes have ``fingerprint`` (None: the file's stamp is
    the entry's), if the entry is usable on ``as_of`` (``today``: the run's :func:`day_tag`)."""
    try:
        saved, case_id, stable, rows, links, _ = entry
        if not isinstance(links, list) or not all(isinstance(x, str) for x in links):
            return None
        if fingerprint is not None and saved != fingerprint:
            return None
        if not isinstance(saved, str) or not isinstance(stable, str):
            return None
        if stable != today if stable.startswith("=") else stable > as_of:
            return None
        if case_id is not None and not isinstance(case_id, str):
            return None
        found = [_unpack(row, rel, case_id) for row in rows]
        return CaseResult(rel, saved, case_id, stable, found, entry=entry, links=tuple(links))
    except (TypeError, ValueError, IndexError, KeyError):
        return None


def pack_problem(f: Finding) -> list[Any]:
    """A reading problem as JSON (file included), for results kept in the cache."""
    return [f.rule, f.severity, f.subject, f.message, f.file, f.line, f.column, f.hint]


def unpack_problem(row: list[Any]) -> Finding:
    rule, severity, subject, message, file, line, column, hint = row
    if severity not in ("error", "warning", "info") or not isinstance(message, str):
        raise ValueError("not a finding")
    return Finding(rule, severity, subject, message, file, line, column, hint=hint)


def fingerprints(root: Path, files: Sequence[FileInfo], limit: int) -> dict[str, str]:
    """Every file's fingerprint (what cannot be read: the reason, which may change on its own)."""
    base = str(root) + os.sep
    out: dict[str, str] = {}
    for rel, _, _ in files:
        data = read_bytes(base + rel, rel, limit)
        out[rel] = "!" + data.message if isinstance(data, Finding) else digest(data)
    return out


# -- the whole workspace -------------------------------------------------------------------------


def _process(
    root: Path,
    ctx: Context,
    todo: list[FileInfo],
    n_workers: int,
    results: list[CaseResult],
    judge: bool,
    keep: bool,
    progress: Progress | None,
    mapper: Mapper | None = None,
    settle: bool = True,
) -> None:
    total = len(todo)
    if n_workers > 1 and total >= PARALLEL_FROM:
        size = max(50, min(1000, total // (n_workers * 8) or 1))
        extra = (ctx.hazards, ctx.now, settle)  # the hazard catalogue, the moment of the run
        with ProcessPoolExecutor(
            max_workers=n_workers,
            initializer=_init_worker,
            initargs=(
                str(root),
                ctx.settings,
                ctx.code,
                ctx.editions,
                ctx.as_of,
                ctx.soon,
                judge,
                keep,
                mapper,
                *extra,
            ),
        ) as pool:
            for batch_result in pool.map(_run_batch, _batches(todo, size)):
                results.extend(batch_result)
                if progress is not None:
                    progress(len(batch_result), total)
        return
    step = 200
    base = str(root) + os.sep
    for i, (rel, _, _) in enumerate(todo, 1):
        results.append(process_case(base + rel, rel, ctx, judge=judge, keep=keep, mapper=mapper, settle=settle))
        if progress is not None and (i % step == 0 or i == total):
            progress(i % step or step, total)


def linked_complaints(results: Iterable[CaseResult]) -> frozenset[str]:
    """The complaints hazard records name (``complaint:``)."""
    return frozenset(c for r in results for c in r.links)


def unlinked(findings: list[Finding], case_id: str | None, linked: frozenset[str]) -> list[Finding]:
    """``findings`` of one case without its ``awaab.complaint`` finding where a hazard record
    names it: whether a complaint is linked is known only once every file is read, so the
    per-file findings (cached or not) always carry it and the scan drops it here."""
    if case_id not in linked:
        return findings
    return [f for f in findings if f.rule != "awaab.complaint"]


@dataclass(frozen=True)
class Listing:
    """The case files as one directory walk found them (:func:`list_yaml_files` with stamps), to
    be read without walking again: the files, the problems of listing them and each file's
    stamp (None: to be known by its bytes)."""

    files: list[FileInfo]
    problems: list[Finding]
    stamps: dict[str, str | None]


def list_cases(root: Path) -> Listing:
    """The case files of ``root``, listed and stamped in one walk."""
    stamps: dict[str, str | None] = {}
    files, problems = list_yaml_files(root, "cases", stat=False, stamps=stamps, since_ns=time.time_ns())
    return Listing(files, problems, stamps)


@dataclass
class ScanRun:
    findings: list[Finding]  # every finding, reading problems included, in file order
    problems: list[Finding]  # reading problems only: the files (or duplicates) left out
    case_files: int
    from_cache: int
    unsettled: list[str]  # readable case files that may still have something open (``settle`` only)
    cases: list[Any] = field(default_factory=list)  # ``keep``: the readable cases (or mapped), in file order
    seen: dict[str, str | None] = field(default_factory=dict)  # the fingerprint each file had when read (``settle``)
    kept: bool = False  # every file's findings are in the findings cache (none could not be kept)


def scan(
    root: Path,
    ctx: Context,
    *,
    judge: bool = True,
    keep: bool = False,
    mapper: Mapper | None = None,
    workers: int | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    listed: Listing | None = None,
    settle: bool = True,
) -> ScanRun:
    """Every case file of the workspace: findings (``judge``), records (``keep``) and the
    problems of the files that could not be read as cases, sorted by file. ``listed``: the files
    as a walk just found them (:func:`list_cases`), not listed again. Without ``settle`` (only
    without the cache) the files' fingerprints and which cases may still change are not worked
    out: ``unsettled`` and ``seen`` come back empty.

    The cache serves ``judge`` runs that do not ``keep`` records."""
    if not settle and use_cache:
        raise ValueError("the cache needs each file's fingerprint and settled date")
    cacheable = use_cache and judge and not keep
    if listed is None:
        started = time.time_ns()
        stamps: dict[str, str | None] = {}
        files, listing = list_yaml_files(
            root, "cases", stat=False, stamps=stamps if cacheable else None, since_ns=started
        )
    else:
        files, listing, stamps = listed.files, listed.problems, listed.stamps
    key = cache_key(root, ctx.settings) if cacheable else ""
    cached = read_cache(root, key) if cacheable else {}
    as_of = ctx.as_of.isoformat()
    today = day_tag(ctx)
    limit = ctx.settings.max_file_bytes
    results: list[CaseResult] = []
    todo: list[FileInfo] = []
    base = str(root) + os.sep
    for info in files:
        rel = info[0]
        entry = cached.get(rel) if cached else None
        if entry is not None:
            stamp = stamps.get(rel)
            if stamp is not None and isinstance(entry, list) and entry[-1:] == [stamp]:
                hit = _from_entry(entry, rel, None, as_of, today)  # unchanged since: not read again
            else:
                data = read_bytes(base + rel, rel, limit)
                hit = None if isinstance(data, Finding) else _from_entry(entry, rel, digest(data), as_of, today)
            if hit is not None:
                hit.stamp = stamp
                results.append(hit)
                continue
        todo.append(info)
    from_cache = len(results)
    n_workers = default_workers() if workers is None else max(1, workers)
    collecting = gc.isenabled()
    gc.disable()  # the scan builds many small objects and no cycles: collection only costs time
    try:
        _process(root, ctx, todo, n_workers, results, judge, keep, progress, mapper, settle)
    finally:
        if len(todo) >= FREEZE_FROM:
            # What a large scan read stays to the end of the command: out of the collector's
            # sight, so that the work after the scan does not walk every record again and again
            # (a tenth of the main process's time for a report). The price: garbage in reference
            # cycles that exists now is kept until the process ends, as a command soon does.
            gc.freeze()
        if collecting:
            gc.enable()
    results.sort(key=lambda r: r.rel)
    linked = linked_complaints(results)
    findings = list(listing)
    problems = list(listing)
    cases: list[Any] = []
    seen: dict[str, str] = {}
    for r in results:
        findings.extend(unlinked(r.findings, r.case_id, linked))
        if r.case_id is None:
            problems.extend(r.findings)
            continue
        same_id = fold(r.case_id)  # ids equal but for case or look-alike letters are one id
        if same_id in seen:
            dup = duplicate_id(r.case_id, r.rel, seen[same_id])
            findings.append(dup)
            problems.append(dup)
            continue
        seen[same_id] = r.rel
        if r.case is not None:
            cases.append(r.case)
    if cacheable:
        entries: dict[str, list[Any]] = {}
        fresh = False
        for r in results:
            if r.stable_from is None or r.digest is None:
                continue
            stamp = stamps.get(r.rel)
            if r.entry is not None:  # served from the cache: kept as it was, stamped as now
                entries[r.rel] = r.entry if r.entry[-1] == stamp else [*r.entry[:-1], stamp]
                fresh = fresh or r.entry[-1] != stamp
            else:
                rows = [_pack(f, r.case_id) for f in r.findings]
                entries[r.rel] = [r.digest, r.case_id, r.stable_from, rows, list(r.links), stamp]
                fresh = True
        if fresh or len(entries) != len(cached):
            write_cache(root, key, entries)
    if not settle:
        return ScanRun(findings, problems, len(files), from_cache, [], cases)
    unsettled = [
        r.rel
        for r in results
        if not settled(r.stable_from) and r.case_id is not None and seen[fold(r.case_id)] == r.rel
    ]
    seen_digests = {r.rel: r.digest for r in results}
    kept = cacheable and all(r.stable_from is not None and r.digest is not None for r in results)
    return ScanRun(findings, problems, len(files), from_cache, unsettled, cases, seen_digests, kept)


def check_cases(
    root: Path,
    ctx: Context,
    *,
    workers: int | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> ScanRun:
    """Findings for every case file of the workspace, sorted."""
    return scan(root, ctx, workers=workers, use_cache=use_cache, progress=progress)


# -- bank holidays, kept beside the cache so that warm runs need not import `holidays` ---------


def build_calendar(settings: Settings, as_of: date, source: HolidaySource | None = None) -> WorkingCalendar:
    """One calendar for the run; it starts with the years around ``as_of`` and adds others as
    dates need them."""
    return WorkingCalendar(
        source or uk_bank_holidays(settings.division),
        settings.closures,
        receipt=settings.receipt,
        years=range(as_of.year - 1, as_of.year + 2),
    )


def cached_holidays(root: Path, division: str) -> Any:
    """A holiday source for :class:`~hcode.core.calendar.WorkingCalendar` that remembers the years
    it was asked for in ``.hcode-cache/holidays-DIVISION.json`` (sealed, keyed by the version of
    the ``holidays`` package). Falls back to the package whenever the file cannot help."""
    key = f"holidays {_holidays_version()}"
    kept: SealedCache[dict[str, list[list[str]]]] = SealedCache(root, f"holidays-{division}.json", MAPPING)
    live = uk_bank_holidays(division)

    def source(years: Iterable[int]) -> dict[date, str]:
        wanted = [str(y) for y in years]
        stored = kept.load(key) or {}
        if any(y not in stored for y in wanted):
            # The package is imported (some 300 modules) only here: every year hcode works
            # with is kept at once (a few milliseconds more), so no later run needs it again.
            every = [*range(FIRST_DAY.year, LAST_DAY.year + 1), *(int(y) for y in wanted)]
            fresh = live(sorted(set(every)))
            stored = {str(year): [] for year in sorted(set(every))}
            for d, name in sorted(fresh.items()):
                stored[str(d.year)].append([d.isoformat(), name])
            kept.store(key, stored)
        out: dict[date, str] = {}
        try:
            for y in wanted:
                for day, name in stored[y]:
                    out[date.fromisoformat(day)] = str(name)
        except (TypeError, ValueError, KeyError):
            return dict(live([int(y) for y in wanted]))
        return out

    return source
