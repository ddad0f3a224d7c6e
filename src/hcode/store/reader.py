"""The store: the one way hcode reads a workspace.

Every command opens the workspace with :meth:`Store.open` and asks it for what it needs:
settings and the Code (read on opening; a workspace without a usable ``hcode.yaml`` or
catalogue raises :class:`~hcode.store.workspace.WorkspaceError`), the self-assessments, the
cases, one case, and the annual report's own inputs (``reports/YEAR.yaml``, ``ombudsman/``).
Each answer is a :class:`Records`: the records that could be read **and the problems** of the
files that could not, so that each command says what it does with them (reports them, refuses,
or names what it left out). Nothing is dropped silently.

Cases are read through :mod:`hcode.store.scan` (worker processes for large workspaces, the fast
reader, the sealed cache of settled findings); small files through :mod:`hcode.store.workspace`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar

import orjson

from hcode.core.editions import AssessmentEditions, Editions
from hcode.core.hazards import HazardRules
from hcode.core.model import Assessment, Case, Code, Finding, Settings
from hcode.core.rules import Context
from hcode.core.rules.files import BrokenCatalogue
from hcode.core.years import add_months, reporting_year
from hcode.errors import HcodeError
from hcode.store import scan as scanning
from hcode.store import yamlread
from hcode.store.cachefile import JSON, TEXT, TYPED, Codec, SealedCache, parts
from hcode.store.convert import ConvertError, to_assessment
from hcode.store.workspace import (
    CONFIG,
    Document,
    WorkspaceError,
    case_from_mapping,
    find_case,
    find_root,
    known_editions,
    linked_outside,
    list_yaml_files,
    load_code,
    load_editions,
    load_hazard_rules,
    locate_findings,
    misnamed_catalogues,
    problem_finding,
    read_document,
    read_mapping,
    read_settings,
    redefined_editions,
    shipped_editions,
    workspace_editions,
)

T = TypeVar("T")
MEMO_FORMAT = 2
#: Rows from which a listing's lines are kept (:meth:`Store.kept_lines`): fewer cost less to lay
#: out than to keep, and a terminal's screenful is laid out more than once to measure it.
KEEP_LINES_FROM = 1000
LINES_FORMAT = 1


def as_json(value: Any) -> Any:
    """``value`` as it reads back from JSON (dates as text, tuples as lists)."""
    return orjson.loads(orjson.dumps(value))


def _answer(value: Any, codec: Codec[Any], encoded: bool) -> Any:
    """A derived answer as a cached one reads: JSON values as read back from JSON, typed values
    as they are, or (``encoded``) as the codec keeps them (typed codecs encode to JSON values)."""
    if codec is JSON:
        return as_json(value)
    return codec.encode(value) if encoded else value


def _with_problems(codec: Codec[Any]) -> Codec[tuple[Any, list[Finding]]]:
    """A derived answer kept with the problems of the case files that could not be read."""
    if codec.binary:  # the problems pickled (their length first), then the value as the codec keeps it

        def pair(answer: tuple[Any, list[Finding]]) -> list[bytes | memoryview]:
            problems: bytes = TYPED.encode(list(answer[1]))
            value = codec.encode(answer[0])  # bytes, or parts (not joined: a large value is not copied)
            return [len(problems).to_bytes(8, "big"), problems, *parts(value)]

        def unpair(data: Any) -> tuple[Any, list[Finding]]:
            view = memoryview(data)
            size = int.from_bytes(view[:8], "big")
            problems = TYPED.decode(bytes(view[8 : 8 + size]))
            if not isinstance(problems, list) or not all(isinstance(p, Finding) for p in problems):
                raise TypeError("not the problems of a derived answer")
            return codec.decode(view[8 + size :]), problems

        return Codec(pair, unpair, binary=True)

    def decode(data: Any) -> tuple[Any, list[Finding]]:
        value, problems = data
        return codec.decode(value), [scanning.unpack_problem(row) for row in problems]

    return Codec(lambda pair: [codec.encode(pair[0]), [scanning.pack_problem(f) for f in pair[1]]], decode)


@dataclass
class Records(Generic[T]):
    """What could be read, and the problems of what could not."""

    items: list[T]
    problems: list[Finding] = field(default_factory=list)

    def left_out(self) -> list[Finding]:
        """One problem per file that was left out (the first, in file order)."""
        first: dict[str, Finding] = {}
        for p in sorted(self.problems, key=Finding.sort_key):
            first.setdefault(p.file or p.subject, p)
        return list(first.values())


class CaseError(HcodeError):
    """A case asked for by id that does not exist or cannot be read."""

    def __init__(self, message: str, hint: str | None = None, problems: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.problems = problems or []


class Store:
    """An open workspace. Cheap to create; each kind of file is read when first asked for."""

    def __init__(
        self,
        root: Path,
        settings: Settings,
        code: Code | Editions,
        *,
        use_cache: bool = True,
        workers: int | None = None,
        progress: scanning.Progress | None = None,
    ) -> None:
        self.root = root
        self.settings = settings
        self.editions = code if isinstance(code, Editions) else Editions.of([code], code.code)
        self.code = self.editions.default
        self.use_cache = use_cache
        self.workers = workers
        self.progress = progress
        self._report_files: dict[str, tuple[Document | None, list[Finding]]] = {}
        self._report_years: Records[str] | None = None
        #: The key of each derived answer (by name) this run served from the cache or kept there:
        #: what the answer is exactly (:meth:`kept_lines`).
        self._answer_keys: dict[str, str] = {}

    @classmethod
    def open(
        cls,
        root: Path | None = None,
        *,
        use_cache: bool = True,
        workers: int | None = None,
        progress: scanning.Progress | None = None,
    ) -> Store:
        """The workspace at ``root`` (or found from the current folder), settings and Code read."""
        folder = find_root(root)
        settings = read_settings(folder)
        editions = load_editions(folder, settings.code).opting_in(settings.opt_in_clocks)
        return cls(folder, settings, editions, use_cache=use_cache, workers=workers, progress=progress)

    # -- context -----------------------------------------------------------------------------

    def context(self, as_of: date, soon: int | None = None) -> Context:
        """The rules' context for a run judged as on ``as_of``."""
        source = scanning.cached_holidays(self.root, self.settings.division) if self.use_cache else None
        now = datetime.now()
        return Context(
            hazards=self.hazard_rules,
            now=now if as_of == now.date() else None,
            code=self.code,
            calendar=scanning.build_calendar(self.settings, as_of, source),
            as_of=as_of,
            settings=self.settings,
            soon=self.settings.soon if soon is None else soon,
            editions=self.editions,
        )

    @cached_property
    def hazard_rules(self) -> HazardRules:
        """The Awaab's Law catalogue: the workspace's ``provisions/hazards/awaab-2025.yaml``,
        else the shipped one."""
        return load_hazard_rules(self.root)

    def hazard_links(
        self, ctx: Context, listed: scanning.Listing | None = None
    ) -> tuple[dict[str, list[str]], list[Finding]]:
        """Complaint id -> the hazard records naming it (``complaint:``), from every readable
        case file (kept in the cache for unchanged files), and the problems of the case files
        that could not be read (their links are not known). ``listed``: the case files as
        :meth:`list_cases` listed them (else they are listed again)."""
        value, problems = self.derived("hazard-links", {}, ctx, _links_by_complaint, _hazard_link, listed=listed)
        return dict(value), problems

    def catalogue_facts(self) -> tuple[list[BrokenCatalogue], list[str], list[str]]:
        """What the rules need to know of the workspace's own catalogues: each that cannot be
        used (whether or not a self-assessment names it), the ``.yml`` files in ``provisions/``
        that are not read, and the shipped editions the workspace redefines (see
        :func:`hcode.core.rules.files.catalogue_findings`)."""
        broken = [
            BrokenCatalogue(name, exc.file, exc.message, exc.line, exc.column, exc.hint)
            for name, exc in self._all_editions[1].items()
        ]
        return broken, misnamed_catalogues(self.root), redefined_editions(self.root)

    # -- self-assessments --------------------------------------------------------------------

    @cached_property
    def assessments(self) -> Records[Assessment]:
        """Every ``assessments/*.yaml`` that could be read, and the problems of the others."""
        files, problems = list_yaml_files(self.root, "assessments", recursive=False)
        out: Records[Assessment] = Records([], list(problems))
        for rel, _, _ in files:
            doc, found = read_document(self.root / rel, rel, "assessment", self.settings.max_file_bytes)
            out.problems += found
            if doc is None:
                continue
            try:
                out.items.append(to_assessment(doc.data, rel))
            except ConvertError as exc:
                out.problems += [problem_finding(rel, doc.text, p, "schema") for p in exc.problems]
        return out

    def code_facts(self) -> tuple[dict[str, str], list[str], bool]:
        """What the rules need to know of the Code editions in use (see
        :func:`hcode.core.rules.files.modified_code_findings`): how each departs from the official
        Code, the workspace's own catalogues, and whether ``provisions/`` links outside (then it
        is not read)."""
        linked = (self.root / "provisions").exists() and linked_outside(self.root, "provisions")
        return self.code_modifications, workspace_editions(self.root), linked

    @cached_property
    def code_modifications(self) -> dict[str, str]:
        """How each edition that judges in this workspace departs from the official Code it
        claims to be or replaces (:mod:`hcode.core.official`), by name; empty when every one is
        official. An installed edition whose digest is not the official one counts too."""
        from hcode.core.official import OFFICIAL, clock_digest, modification, text_digest

        shipped = [load_code(None, name) for name in shipped_editions()]
        out: dict[str, str] = {}
        for code in shipped:
            expected = OFFICIAL.get(code.code)
            if expected is not None and (clock_digest(code), text_digest(code)) != expected:
                out[code.code] = (
                    f"the {code.code} installed with hcode is not the official edition (its digest differs)"
                )
        for code in self.editions.codes:
            statement = modification(code, shipped)
            if statement is not None:
                out[code.code] = statement
        return {name: out[name] for name in sorted(out) if name in self.editions.names}

    @cached_property
    def _all_editions(self) -> tuple[dict[str, Code], dict[str, WorkspaceError]]:
        """Every edition known (shipped, or the workspace's own copy), read once, and the error of
        each whose file cannot be used."""
        codes: dict[str, Code] = {c.code: c for c in self.editions.codes}
        broken: dict[str, WorkspaceError] = {}
        for name in known_editions(self.root):
            if name in codes:
                continue
            try:
                codes[name] = load_code(self.root, name)
            except WorkspaceError as exc:
                broken[name] = exc
        return codes, broken

    @cached_property
    def assessment_editions(self) -> AssessmentEditions:
        """Every edition a self-assessment may name (shipped, or the workspace's own copy), read
        once; an edition whose file cannot be used is kept with its message."""
        codes, broken = self._all_editions
        return AssessmentEditions(codes, {name: str(exc) for name, exc in broken.items()})

    @property
    def files_read(self) -> int:
        """hcode.yaml and the assessment files (with those that could not be listed)."""
        files, problems = list_yaml_files(self.root, "assessments", recursive=False)
        return 1 + len(files) + len(problems)

    # -- cases -------------------------------------------------------------------------------

    def _read_cases(
        self, ctx: Context, mapper: scanning.Mapper | None = None, listed: scanning.Listing | None = None
    ) -> scanning.ScanRun:
        return scanning.scan(
            self.root,
            ctx,
            judge=False,
            keep=True,
            mapper=mapper,
            workers=self.workers,
            use_cache=False,
            progress=self.progress,
            listed=listed,
        )

    def cases(self, ctx: Context) -> Records[Case]:
        """Every case that could be read (a second file with the same id is a problem)."""
        run = self._read_cases(ctx)
        return Records(run.cases, run.problems)

    def derived(
        self,
        name: str,
        params: dict[str, Any],
        ctx: Context,
        compute: Callable[[Records[Any]], Any],
        mapper: scanning.Mapper | None = None,
        *,
        open_only: bool = False,
        codec: Codec[Any] = JSON,
        encoded: bool = False,
        listed: scanning.Listing | None = None,
    ) -> tuple[Any, list[Finding]]:
        """``compute`` applied to every readable case (or, with ``mapper``, to what the mapper
        made of each case where it was read: in the worker processes for large workspaces), and
        the problems of the case files that could not be read, served from the cache when
        nothing it depends on has changed.

        The cached answer (``.hcode-cache/NAME.json``, or ``NAME.pickle`` for a binary codec: a
        :class:`SealedCache`) is keyed by everything the answer depends on: hcode and the inputs
        that key the findings cache, ``name`` and ``params``, the date of the run and its "due
        soon" days, and every case file's stamp (its bytes' fingerprint where the stamp cannot be
        trusted alone). With the default ``codec``, ``compute`` returns JSON values and the
        answer is always what reading it back from JSON gives, cache or not; a typed ``codec``
        (:data:`~hcode.store.cachefile.TYPED`, :func:`~hcode.store.cachefile.rows_of`) keeps and
        rebuilds what ``compute`` returns. Either way a run with the cache answers exactly as
        one without. ``encoded``: the answer as a JSON codec keeps it, not rebuilt.
        ``open_only``: only the cases that may have something open on ``ctx.as_of`` (the
        findings cache knows the settled ones). ``listed``: the case files as
        :meth:`list_cases` listed them just before (else they are listed here).

        The case files are listed and stamped once: a miss reads the files that walk found. A
        file that changes after it was stamped gets a later change time (which cannot be set
        back), so no later run finds this key again; a file known by its bytes is compared with
        the bytes the answer was made from, and the answer is kept only when they agree."""
        read_cases = self._open_cases if open_only else self._read_cases
        self._answer_keys.pop(name, None)
        if not self.use_cache:
            run = read_cases(ctx, mapper, listed)
            value = compute(Records(run.cases, run.problems))
            return _answer(value, codec, encoded), run.problems
        assert not (encoded and codec.binary), "a binary codec's answer is always rebuilt"
        if listed is None:
            listed = scanning.list_cases(self.root)
        racy = [info for info in listed.files if listed.stamps.get(info[0]) is None]  # these by their bytes
        prints = {rel: "s" + stamp for rel, stamp in listed.stamps.items() if stamp is not None}
        by_bytes = scanning.fingerprints(self.root, racy, self.settings.max_file_bytes)
        prints.update(by_bytes)
        h = hashlib.sha256()
        h.update(scanning.cache_key(self.root, self.settings).encode())
        h.update(
            orjson.dumps([MEMO_FORMAT, name, params, ctx.as_of.isoformat(), ctx.soon], option=orjson.OPT_SORT_KEYS)
        )
        h.update(orjson.dumps(sorted(prints.items())))
        h.update(orjson.dumps([scanning.pack_problem(f) for f in listed.problems]))
        key = h.hexdigest()
        kept = SealedCache(self.root, f"{name}.{'pickle' if codec.binary else 'json'}", _with_problems(codec))
        if encoded:
            raw = kept.load_encoded(key)
            if raw is not None:
                try:
                    answer, problems = raw[0]
                    found_problems = [scanning.unpack_problem(row) for row in problems]
                    self._answer_keys[name] = key
                    return answer, found_problems
                except (ValueError, TypeError, IndexError):
                    pass
        else:
            found = kept.load(key)
            if found is not None:
                self._answer_keys[name] = key
                return found
        run = read_cases(ctx, mapper, listed)
        value = compute(Records(run.cases, run.problems))
        run.cases = []  # what was read (or mapped) for each case: the answer is made
        if encoded or codec is JSON:  # encoded once, the value let go: one large copy at a time
            value = _answer(value, codec, True)

        def same(found: str, got: str | None) -> bool:
            return got is None if found.startswith("!") else got == found

        # the files known by their bytes still had them when read for the answer
        unchanged = all(same(found, run.seen.get(rel, "missing")) for rel, found in by_bytes.items())
        if unchanged:
            self._answer_keys[name] = key
        if encoded or codec is JSON:
            if unchanged:
                kept.store_encoded(key, [value, [scanning.pack_problem(f) for f in run.problems]])
            return (value if encoded else codec.decode(value)), run.problems
        if unchanged:
            kept.store(key, (value, run.problems))
        return value, run.problems

    def kept_lines(
        self, answer: str, rows: int, params: list[Any], make: Callable[[], list[str]], slot: str = ""
    ) -> list[str]:
        """The lines ``make()`` lays out for a listing of ``rows`` rows made from the derived
        answer ``answer`` (:meth:`derived`, earlier in this run) and ``params`` alone (JSON
        values: everything else the lines depend on, such as the width, the colours, the title
        and which rows are shown), kept in ``.hcode-cache/ANSWER-lines.txt`` (sealed) under the
        answer's key and the params (``ANSWER-SLOT-lines.txt`` for a ``slot``: one for each of
        an answer's listings that may alternate, such as ``check``'s formats): a second run with
        nothing changed writes them without laying the table out again. Laid out afresh (and not
        kept) where this run has no key for the answer (made without the cache, or from files
        that changed as they were read: it was not kept either), below :data:`KEEP_LINES_FROM`
        rows, or where a line would hold a line break (the kept text is split at line breaks)."""
        found = self._answer_keys.get(answer)
        if found is None or rows < KEEP_LINES_FROM:
            return make()
        key = hashlib.sha256(found.encode() + orjson.dumps([LINES_FORMAT, rows, params])).hexdigest()
        kept = SealedCache(self.root, f"{answer}{'-' + slot if slot else ''}-lines.txt", TEXT)
        text = kept.load(key)
        if text is not None:
            return text.split("\n")
        lines = make()
        text = "\n".join(lines)
        if text.count("\n") == len(lines) - 1:
            kept.store(key, text)
        return lines

    def open_cases(self, ctx: Context) -> Records[Case]:
        """The cases that may have something open on ``ctx.as_of`` (the cache knows the settled
        ones), and the problems of every case file that could not be read."""
        run = self._open_cases(ctx)
        return Records(run.cases, run.problems)

    def _open_cases(
        self, ctx: Context, mapper: scanning.Mapper | None = None, listed: scanning.Listing | None = None
    ) -> scanning.ScanRun:
        run = scanning.scan(
            self.root, ctx, workers=self.workers, use_cache=self.use_cache, progress=self.progress, listed=listed
        )
        base = str(self.root) + os.sep
        kept: list[Any] = []
        problems = list(run.problems)
        seen = dict(run.seen)
        for rel in run.unsettled:  # read again, to keep the record (or what the mapper makes of it)
            r = scanning.process_case(base + rel, rel, ctx, judge=False, keep=True, mapper=mapper)
            if r.digest != seen.get(rel):
                seen[rel] = r.digest  # changed since the scan: the answer must not be kept
            if r.case_id is None:
                problems += r.findings
            else:
                kept.append(r.case)
        return scanning.ScanRun(run.findings, problems, run.case_files, run.from_cache, run.unsettled, kept, seen)

    def check_cases(self, ctx: Context) -> scanning.ScanRun:
        """Every case judged by the case rules (through the cache), findings sorted by file.

        When every case file is known by its stamp and each one's findings were kept, the whole
        answer is kept too (``.hcode-cache/check-run.pickle``, keyed like a derived answer: hcode
        and the inputs of the findings cache, the date of the run and its "due soon" days, and
        every file's stamp), so that a run with nothing changed does not rebuild the findings of
        every file from the findings cache one by one."""
        self._answer_keys.pop("check-run", None)
        if not self.use_cache:
            # nothing is kept: neither fingerprints nor settled dates are worked out
            return scanning.scan(
                self.root, ctx, workers=self.workers, use_cache=False, progress=self.progress, settle=False
            )
        listed = scanning.list_cases(self.root)
        kept: SealedCache[scanning.ScanRun] | None = None
        if all(stamp is not None for stamp in listed.stamps.values()):  # else some by their bytes
            h = hashlib.sha256()
            h.update(scanning.cache_key(self.root, self.settings).encode())
            h.update(orjson.dumps([MEMO_FORMAT, "check", scanning.day_tag(ctx), ctx.now is None]))
            h.update(orjson.dumps(sorted(listed.stamps.items())))
            h.update(orjson.dumps([scanning.pack_problem(f) for f in listed.problems]))
            key = h.hexdigest()
            kept = SealedCache(self.root, "check-run.pickle", TYPED)
            found = kept.load(key)
            if isinstance(found, scanning.ScanRun):
                self._answer_keys["check-run"] = key
                return found
        run = scanning.scan(self.root, ctx, workers=self.workers, use_cache=True, progress=self.progress, listed=listed)
        if kept is not None and run.kept:  # as the next run would find it: every file from the cache
            kept.store(key, replace(run, from_cache=run.case_files, seen={}))
            self._answer_keys["check-run"] = key
        return run

    def answer_kept(self, name: str) -> bool:
        """Whether this run has the key of the answer ``name`` (served from the cache or kept
        there: :meth:`kept_lines` may keep what is made from it)."""
        return name in self._answer_keys

    def read_case_file(self, rel: str) -> Case | list[Finding]:
        """One case file by workspace-relative path: the record, or its problems (located)."""
        found = read_mapping(self.root / rel, rel, self.settings.max_file_bytes)
        if isinstance(found, Finding):
            return [found]
        return case_from_mapping(found[0], found[1], rel)

    def list_cases(self) -> scanning.Listing:
        """The case files, listed and stamped in one walk: for a command that finds a case by id
        and asks for a derived answer too (:meth:`find_case`, :meth:`derived`), which then do
        not walk the folder again."""
        return scanning.list_cases(self.root)

    def find_case(self, case_id: str, listed: scanning.Listing | None = None) -> str | None:
        """The workspace-relative path of the case file named ``case_id``, if there is one
        (``listed``: among the files :meth:`list_cases` listed)."""
        return find_case(self.root, case_id, None if listed is None else listed.files)

    def case(self, case_id: str, listed: scanning.Listing | None = None) -> Case:
        """One case by id (:class:`CaseError` when there is none or it cannot be read);
        ``listed`` as for :meth:`find_case`."""
        rel = self.find_case(case_id, listed)
        if rel is None:
            raise CaseError(f"no case {case_id} in {self.root}", "check the id with 'hcode case list'")
        found = self.read_case_file(rel)
        if isinstance(found, Case):
            return found
        first = found[0]
        where = f"{rel}:{first.line or 1}"
        raise CaseError(f"case {case_id} cannot be read: {where}: {first.message}", first.hint, found)

    # -- the annual report's own inputs ------------------------------------------------------

    #: The folders whose every text a published output may take, besides ``cases/`` (whose
    #: texts the case rules check) and ``hcode.yaml``.
    PUBLISHED_FOLDERS = ("assessments", "reports", "ombudsman")

    def published_text_findings(self) -> list[Finding]:
        """``privacy.personal-data`` warnings for every text of ``hcode.yaml``,
        ``assessments/``, ``reports/`` and ``ombudsman/`` that the privacy gate would refuse
        (the same rule; the value is never shown). Located at their line."""
        from hcode.core.rules.privacy import published_personal_data

        declared = self.settings.contacts
        sources = [CONFIG]
        for folder in self.PUBLISHED_FOLDERS:
            sources += [rel for rel, _, _ in list_yaml_files(self.root, folder, recursive=False, stat=False)[0]]
        out: list[Finding] = []
        for rel in sources:
            found = read_mapping(self.root / rel, rel, self.settings.max_file_bytes)
            if isinstance(found, Finding):
                continue  # reported by the reader that needs the file
            for path, text in _texts(found[1], ()):
                if path[:1] == ("contacts",) and rel == CONFIG:
                    continue
                what = published_personal_data(text, declared)
                if what is not None:
                    field = ".".join(str(p) for p in path)
                    out.append(
                        Finding(
                            rule="privacy.personal-data",
                            severity="warning",
                            subject=rel,
                            message=f"{field} seems to hold {what}: published reports refuse it",
                            file=rel,
                            path=path,
                            hint="remove it; if it is the landlord's own published contact, list it under "
                            "contacts: in hcode.yaml",
                        )
                    )
        return locate_findings(self.root, out)

    def source_of(self, value: str) -> tuple[str, int] | None:
        """The file and line where ``value`` (text a published output refused) is written, if it
        can be found in the workspace's files (searched as written, its first line only)."""
        needle = value.strip().split("\n", 1)[0][:80].encode("utf-8")
        if not needle:
            return None
        rels = [CONFIG]
        for folder in (*self.PUBLISHED_FOLDERS, "cases"):
            rels += [r for r, _, _ in list_yaml_files(self.root, folder, recursive=folder == "cases", stat=False)[0]]
        for rel in rels:
            try:
                data = (self.root / rel).read_bytes()
            except OSError:
                continue
            at = data.find(needle)
            if at >= 0:
                return rel, data.count(b"\n", 0, at) + 1
        return None

    def report_file(self, year: str) -> tuple[Document | None, list[Finding]]:
        """``reports/YEAR.yaml`` read and validated, once per year however often it is asked
        for, with its problems (the same finding objects each time); ``(None, [])`` when there is
        no such file."""
        if year not in self._report_files:
            rel = f"reports/{year}.yaml"
            if (self.root / rel).is_file():
                self._report_files[year] = read_document(self.root / rel, rel, "report", self.settings.max_file_bytes)
            else:
                self._report_files[year] = (None, [])
        return self._report_files[year]

    def report_inputs(self, year: str) -> Records[dict[str, Any]]:
        """What the annual report says in words: ``reports/YEAR.yaml`` (statements,
        improvements) and the Ombudsman's documents in ``ombudsman/*.yaml`` dated in the year or
        just after. One item (the extras); problems of files that could not be read."""
        extras: dict[str, Any] = {
            "governing_body_response": None,
            "mrc_statement": None,
            "improvements": [],
            "ombudsman_documents": [],
        }
        problems: list[Finding] = []
        limit = self.settings.max_file_bytes
        doc, found = self.report_file(year)
        problems += found
        if doc is not None:
            data = doc.data
            extras["governing_body_response"] = data.get("governing_body_response")
            extras["mrc_statement"] = data.get("mrc_statement")
            extras["improvements"] = [
                {"improvement": i["improvement"], "learning_from": i.get("learning_from"), "date": i.get("date")}
                for i in data.get("improvements") or []
            ]
        documents = []
        files, listing = list_yaml_files(self.root, "ombudsman", recursive=False)
        problems += listing
        for rel, _, _ in files:
            doc, found = read_document(self.root / rel, rel, "ombudsman", limit)
            problems += found
            if doc is not None:
                documents.append(doc.data)
        # dated in the year or in the three months after it, while the report is written
        period = reporting_year(year).period(self.settings.year_start)
        after = add_months(period.end + timedelta(days=1), 3) - timedelta(days=1)
        first, last = period.start.isoformat(), after.isoformat()
        extras["ombudsman_documents"] = sorted(
            (
                {k: d.get(k) for k in ("date", "kind", "title", "summary", "finding", "non_compliance")}
                for d in documents
                if first <= str(d["date"])[:10] <= last
            ),
            key=lambda d: (str(d["date"]), str(d["title"])),
        )
        return Records([extras], problems)

    def report_dates(self, year: str) -> Records[dict[str, date]]:
        """The dates ``reports/YEAR.yaml`` records (reported to the governing body, published,
        submitted...; one item, empty without the file), and the problems of the file or of a
        date that is not a real day (that date is left out; each problem is located)."""
        from hcode.store.convert import to_report_dates

        doc, found = self.report_file(year)
        if doc is None:
            return Records([{}], list(found))
        dates, problems = to_report_dates(doc.data)
        rel = f"reports/{year}.yaml"
        return Records([dates], [problem_finding(rel, doc.text, p, "schema") for p in problems])

    def kept_years(self) -> list[str]:
        """The reporting years the workspace keeps a self-assessment or a ``reports/`` file for,
        by their files' names (``assessments/2024-25.yaml``: one that cannot be read still
        names its year) and the self-assessments' own ``year:``."""
        from hcode.core.years import YearError, reporting_year

        years = set(self.report_years().items)
        for rel, _, _ in list_yaml_files(self.root, "assessments", recursive=False, stat=False)[0]:
            try:
                years.add(reporting_year(rel.rsplit("/", 1)[-1].removesuffix(".yaml")).name)
            except YearError:
                continue
        return sorted(years | {a.year for a in self.assessments.items})

    def report_years(self) -> Records[str]:
        """The reporting years with a ``reports/YYYY-YY.yaml`` file (files named otherwise are
        ``file.name`` findings of ``check``), and the problems of listing the folder. The folder
        is listed once however often it is asked for (as :meth:`report_file` reads each file once)."""
        from hcode.core.rules.files import report_name_finding

        if self._report_years is None:
            files, listing = list_yaml_files(self.root, "reports", recursive=False, stat=False)
            years = [rel[len("reports/") : -len(".yaml")] for rel, _, _ in files if report_name_finding(rel) is None]
            self._report_years = Records(sorted(years), list(listing))
        return Records(list(self._report_years.items), list(self._report_years.problems))

    def published_figures(self, year: str) -> Records[dict[str, Any]]:
        """The figures entered by hand in ``reports/YEAR.yaml`` (``figures:``), as cells by
        period and row (one item; empty when there are none), and the problems of the file or
        of figures that cannot be used (those are left out; each problem is located)."""
        from hcode.core.figures import parse_figures
        from hcode.store.validate import Problem

        rel = f"reports/{year}.yaml"
        doc, found = self.report_file(year)
        if doc is None:
            return Records([{}], list(found))
        figures = doc.data.get("figures") or {}
        # the numbers as written: 13.0 shows one place, which the parsed float forgets
        numbers = [
            ("figures", str(period), str(name))
            for period, rows in figures.items()
            if isinstance(rows, dict)
            for name, value in rows.items()
            if isinstance(value, (int, float)) and not isinstance(value, bool)
        ]
        written = {(str(p[1]), str(p[2])): t for p, t in yamlread.numbers_written(doc.text, numbers).items()}
        cells, problems = parse_figures(figures, written)
        located = [
            problem_finding(rel, doc.text, Problem(p.message, ("figures", *p.path), p.key, p.hint), "report.figure")
            for p in problems
        ]
        return Records([cells], located)

    # -- everything, judged --------------------------------------------------------------------

    def locate(self, findings: list[Finding]) -> list[Finding]:
        return locate_findings(self.root, findings)


__all__ = ["CaseError", "Records", "Store", "WorkspaceError"]


def _hazard_link(case: Case, ctx: Context) -> list[Any]:
    """Worker processes call this: a hazard record's id and the complaints it names."""
    return [case.id, list(case.hazard.complaints)] if case.hazard is not None else []


def _links_by_complaint(read: Records[Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in read.items:
        if item:
            for complaint in item[1]:
                out.setdefault(complaint, []).append(item[0])
    return {k: sorted(v) for k, v in out.items()}


def _texts(value: Any, path: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    """Every text in a parsed YAML value, with its path."""
    if isinstance(value, str):
        return [(path, value)]
    out: list[tuple[tuple[str | int, ...], str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            out += _texts(item, (*path, str(key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _texts(item, (*path, i))
    return out
