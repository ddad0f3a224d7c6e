"""An open workspace, the handle every use case takes, and the use cases about the workspace
itself: creating one, the Code's editions, the working-day calendar, the rules, the schemas."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hcode.api.errors import AlreadyExists, InputUnusable, ParameterError
from hcode.core.model import Code, Settings
from hcode.store.workspace import WorkspaceError
from hcode.version import __version__

if TYPE_CHECKING:
    from hcode.core.calendar import WorkingCalendar
    from hcode.core.editions import AssessmentEditions, Editions
    from hcode.core.mapping import ProvisionChange
    from hcode.core.rules import Context
    from hcode.core.rules.spec import Rule
    from hcode.store.reader import Store
    from hcode.store.scan import Progress

__all__ = ["OpenWorkspace", "WorkspaceError", "check_year", "open_store"]


def check_year(year: str) -> str:
    """``year`` if it is a reporting year like ``2024-25``, else ValueError (a
    :class:`hcode.core.years.YearError` saying what to write instead)."""
    from hcode.core.years import reporting_year

    return reporting_year(year).name


class OpenWorkspace:
    """An open workspace: what every use case takes. Files are read when first needed."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def root(self) -> Path:
        return self.store.root

    @property
    def settings(self) -> Settings:
        return self.store.settings

    @property
    def code(self) -> Code:
        """The default Code edition (``code:`` in hcode.yaml; the latest under ``code: auto``)."""
        return self.store.code

    @property
    def editions(self) -> Editions:
        return self.store.editions

    @property
    def assessment_editions(self) -> AssessmentEditions:
        return self.store.assessment_editions

    def context(self, as_of: date | None = None, soon: int | None = None) -> Context:
        """The rules' context for a run judged as on ``as_of`` (default today)."""
        return self.store.context(as_of or date.today(), soon)

    def kept_lines(
        self, answer: str, rows: int, params: list[Any], make: Callable[[], list[str]], slot: str = ""
    ) -> list[str]:
        """A listing's lines laid out from the answer ``answer`` alone, as kept in the cache
        where they were laid out for the same answer and ``params`` before
        (:meth:`hcode.store.reader.Store.kept_lines`)."""
        return self.store.kept_lines(answer, rows, params, make, slot)

    def default_year(self, today: date | None = None) -> str:
        """The newest self-assessment's year, else the last complete reporting year."""
        from hcode.core.years import year_containing

        assessed = self.store.assessments.items
        if assessed:
            return str(max(a.year for a in assessed))
        return year_containing(today or date.today(), self.settings.year_start).previous.name

    def year(self, year: str | None, today: date | None = None) -> str:
        """The reporting year asked for (checked), else :meth:`default_year`."""
        return check_year(year) if year is not None else self.default_year(today)


def open_store(
    path: Path | None = None,
    *,
    use_cache: bool = True,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Store:
    """The store of the workspace at ``path`` (or found upwards from the current folder);
    :class:`WorkspaceError` when there is none or it cannot be used."""
    from hcode.store.reader import Store

    return Store.open(path, use_cache=use_cache, workers=workers, progress=progress)


def find_workspace(path: Path | None = None, *, start: Path | None = None) -> Path:
    """The workspace folder ``path``, or the nearest folder up from ``start`` (default the
    current folder) holding hcode.yaml; :class:`WorkspaceError` when there is none."""
    from hcode.store.workspace import find_root

    return find_root(path, start=start) if start is not None else find_root(path)


def write_file(path: Path, data: str | bytes | list[bytes]) -> None:
    """Write an output file (atomically if it is a regular file, through it if it is a device,
    FIFO or symbolic link, as shell redirection does); :class:`InputUnusable` when it cannot be."""
    from hcode.edit.fileio import WriteRefused, write_output

    try:
        write_output(path, data)
    except WriteRefused as exc:
        raise InputUnusable(exc.message, exc.hint) from None


# -- a new workspace -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewWorkspace:
    """What ``hcode init`` wrote: the folder, the files (workspace-relative, in order) and the
    reporting year of the self-assessment form started."""

    directory: Path
    files: tuple[str, ...]
    year: str


def create_workspace(directory: Path, landlord: str, homes: int | None, today: date) -> NewWorkspace:
    """Start a workspace in ``directory``: settings, this year's self-assessment form, cases/ and
    CI. A file already there is left as it is; :class:`AlreadyExists` when ``directory`` is a
    workspace already or a file."""
    from hcode.core.editions import AUTO
    from hcode.core.years import year_containing
    from hcode.edit import scaffold
    from hcode.edit.fileio import WriteRefused, write_guarded
    from hcode.store.workspace import CONFIG, load_editions

    if (directory / CONFIG).exists():
        raise AlreadyExists(f"{directory} is already a workspace ({CONFIG} exists); nothing written")
    if directory.exists() and not directory.is_dir():
        raise AlreadyExists(f"{directory} is a file")
    try:
        code = load_editions(None, AUTO).unnamed_assessment(today)  # the form of the Code in force
    except WorkspaceError as exc:  # pragma: no cover - the shipped catalogue is tested
        raise InputUnusable(str(exc)) from None
    year = year_containing(today).name  # hcode init writes year_start: 04-01
    files = {
        CONFIG: scaffold.config(landlord, homes, "auto"),
        f"assessments/{year}.yaml": scaffold.assessment(code, year),
        "cases/README.md": scaffold.CASES_README,
        ".gitignore": scaffold.GITIGNORE,
        ".github/workflows/hcode.yml": scaffold.workflow(__version__),
    }
    for rel, text in files.items():
        target = directory / rel
        if target.exists() or target.is_symlink():
            continue  # never overwrite what is there
        try:
            write_guarded(target, text, None, root=directory)
        except WriteRefused as exc:
            raise InputUnusable(f"{target}: {exc.message}", exc.hint) from None
    return NewWorkspace(directory, tuple(files), year)


def schema_names() -> tuple[str, ...]:
    """The JSON Schemas hcode validates files with (``hcode schema NAME``)."""
    from hcode.store.validate import SCHEMA_NAMES

    return tuple(SCHEMA_NAMES)


def schema_text(name: str) -> str:
    """One JSON Schema's text; ``KeyError`` for a name not in :func:`schema_names`."""
    from hcode.store.validate import schema_text as text

    if name not in schema_names():
        raise KeyError(name)
    return text(name)


# -- the Code's editions -------------------------------------------------------------------------


def current_code(workspace: Path | None, name: str | None = None) -> Code:
    """The Code edition ``name``, else the workspace's (or the default edition outside a
    workspace); the workspace's own copy of an edition is used where it has one. ``workspace``:
    the folder named, else the one found upwards from the current folder, if any.
    :class:`InputUnusable` when the workspace or the edition cannot be used."""
    from hcode.store.workspace import find_root, load_code, load_editions, read_settings

    try:
        root: Path | None = find_root(workspace) if workspace else None
    except WorkspaceError as exc:
        raise InputUnusable(str(exc), exc.hint) from None
    if root is None:
        try:
            root = find_root()
        except WorkspaceError:
            root = None
    try:
        if name is None:
            chosen = read_settings(root).code if root is not None else "hoc-2024"
            return load_editions(root, chosen).default  # code: auto: the latest edition
        return load_code(root, name)
    except WorkspaceError as exc:
        raise InputUnusable(str(exc), exc.hint) from None


@dataclass(frozen=True)
class EditionChanges:
    """What changed between two editions (``hcode provisions diff``): each earlier provision
    kept, reworded, renumbered or removed, and the later edition's new ones, from the mapping
    file; ``gaps``: the sections either catalogue could not source."""

    old: Code
    new: Code
    mapping_file: str | None
    changes: tuple[ProvisionChange, ...]
    gaps: tuple[str, ...]


def edition_changes(workspace: Path | None, old: str, new: str) -> EditionChanges:
    """The changes from edition ``old`` to ``new`` (:class:`ParameterError` when ``old`` is the
    later one; :class:`InputUnusable` when the mapping cannot be used)."""
    from hcode.core.mapping import check_mapping, compare
    from hcode.store.mappings import load_mapping
    from hcode.store.workspace import find_root

    a, b = current_code(workspace, old), current_code(workspace, new)
    if a.effective > b.effective:
        raise ParameterError(
            f"{old} ({a.effective}) is later than {new} ({b.effective}): give the earlier edition first", "OLD"
        )
    try:
        root = find_root(workspace) if workspace else find_root()
    except WorkspaceError:
        root = None
    try:
        mapping = load_mapping(root, a.code, b.code)
    except WorkspaceError as exc:
        raise InputUnusable(str(exc), exc.hint) from None
    problems = check_mapping(mapping, a, b)
    if problems:
        raise InputUnusable(f"{mapping.file}: " + "; ".join(problems), "fix the mapping's provision numbers")
    gaps = tuple(f"{s.number}: {s.unconfirmed}" for code in (a, b) for s in code.sections if s.unconfirmed)
    return EditionChanges(a, b, mapping.file, tuple(compare(mapping, a, b)), gaps)


# -- the calendar --------------------------------------------------------------------------------


def divisions() -> tuple[str, ...]:
    """The parts of the UK whose bank holidays hcode knows."""
    from hcode.core.calendar import DIVISIONS

    return tuple(DIVISIONS)


def calendar_for(workspace: Path | None, division: str | None) -> WorkingCalendar:
    """The workspace's calendar if there is one here (or named), else plain bank holidays;
    ``division`` chooses another part of the UK's (:class:`ParameterError` for an unknown one).
    :class:`InputUnusable` when the workspace named, or its hcode.yaml, cannot be used."""
    from hcode.core.calendar import WorkingCalendar, uk_bank_holidays
    from hcode.store.workspace import find_root, read_settings

    closures: frozenset[date] = frozenset()
    chosen = "england-and-wales"
    receipt = "day-zero"
    root: Path | None
    if workspace is not None:
        try:
            root = find_root(workspace)
        except WorkspaceError as exc:
            raise InputUnusable(str(exc), exc.hint) from None
    else:
        try:
            root = find_root()
        except WorkspaceError:
            root = None
    if root is not None:
        try:
            settings = read_settings(root)
        except WorkspaceError as exc:
            raise InputUnusable(f"{root}: {exc}", exc.hint) from None
        closures, chosen, receipt = settings.closures, settings.division, settings.receipt
    if division is not None:
        if division not in divisions():
            raise ParameterError(f"choose one of {', '.join(divisions())}", "--division")
        chosen = division
    if root is None:
        return WorkingCalendar(uk_bank_holidays(chosen), closures, receipt=receipt)
    from hcode.store.scan import cached_holidays

    return WorkingCalendar(cached_holidays(root, chosen), closures, receipt=receipt)


# -- the rules -----------------------------------------------------------------------------------


def rules() -> tuple[Rule, ...]:
    """Every rule hcode checks, from the registry (see ``hcode rules``)."""
    from hcode.core.rules.registry import RULES

    return RULES


def find_rule(name: str, code: Code) -> Rule | None:
    """The rule with this id (a provision number of ``code``) or name, if there is one."""
    from hcode.core.rules.registry import find

    return find(name, code)


def rule_ids(code: Code) -> Sequence[str]:
    return [i for r in rules() for i in r.ids(code)]


# -- a new year's self-assessment from last year's -----------------------------------------------


@dataclass(frozen=True)
class MigratedAssessment:
    """What ``hcode assessment migrate`` wrote: ``rel`` on the ``new`` edition's form, the answers
    carried from ``old`` (to review), the provisions left to answer, the earlier provisions not
    carried (no row in the mapping), the open actions carried and those no longer linked."""

    rel: str
    source_year: str
    old: str
    new: str
    carried: tuple[str, ...]
    blank: tuple[str, ...]
    dropped: tuple[str, ...]
    actions: int
    unlinked: tuple[str, ...]


def migrate_assessment(
    workspace: Path | None, source_year: str, year: str | None, code_name: str | None, today: date
) -> MigratedAssessment:
    """Start ``year``'s self-assessment (default: the one after ``source_year``) on edition
    ``code_name`` (default: the latest) from ``source_year``'s answers on an earlier form. Writes
    assessments/YEAR.yaml, which must not exist yet. :class:`InputUnusable` when it cannot."""
    from hcode.core.editions import Unusable, assessed_on
    from hcode.core.years import reporting_year
    from hcode.edit.fileio import WriteRefused, write_guarded
    from hcode.edit.migrate import migrated_text
    from hcode.store.mappings import load_mapping

    try:
        root = find_workspace(workspace)
        store = open_store(root, progress=None)
    except WorkspaceError as exc:
        raise InputUnusable(str(exc), exc.hint) from None
    records = store.assessments
    found = [a for a in records.items if a.year == source_year]
    if not found:
        broken = [p for p in records.problems if p.file and p.file.endswith(f"{source_year}.yaml")]
        if broken:
            raise InputUnusable(
                f"{broken[0].file}:{broken[0].line or 1}: {broken[0].message}", "fix it first (hcode check)"
            )
        raise InputUnusable(
            f"there is no {source_year} self-assessment in assessments/", "give the year of an existing file"
        )
    old = found[0]
    editions = store.assessment_editions
    old_code = editions.answered(old.code, assessed_on(old.completed, today), store.editions)
    if isinstance(old_code, Unusable):
        raise InputUnusable(f"{old.file}: {old_code.message}", old_code.hint)
    if code_name is None:
        new_code = editions.latest
    else:
        picked = editions.codes.get(code_name)
        if picked is None:
            raise InputUnusable(
                f"unknown Code edition {code_name!r} (known: {', '.join(editions.known)})", "give one of those"
            )
        new_code = picked
    if new_code.code == old_code.code:
        raise InputUnusable(
            f"{old.file} already answers the {new_code.code} form: nothing to migrate",
            "copy the file to start the new year on the same form",
        )
    if new_code.effective < old_code.effective:
        raise InputUnusable(f"{new_code.code} is older than {old_code.code}", "migrate to a later edition")
    target_year = year or reporting_year(source_year).next.name
    rel = f"assessments/{target_year}.yaml"
    target = root / "assessments" / f"{target_year}.yaml"
    if target.exists():
        raise InputUnusable(f"{rel} already exists; nothing was written", "move it aside, or give another --year")
    try:
        mapping = load_mapping(root, old_code.code, new_code.code)
    except WorkspaceError as exc:
        raise InputUnusable(str(exc), exc.hint) from None
    result = migrated_text(old, old_code, new_code, mapping, target_year)
    try:
        write_guarded(target, result.text, None, root=root)
    except WriteRefused as exc:
        raise InputUnusable(str(exc), exc.hint) from None
    return MigratedAssessment(
        rel,
        source_year,
        old_code.code,
        new_code.code,
        tuple(result.carried),
        tuple(result.blank),
        tuple(result.dropped),
        result.actions,
        tuple(result.unlinked),
    )
