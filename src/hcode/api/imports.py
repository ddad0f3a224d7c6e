"""Bringing in what a landlord already has: a self-assessment (Word, Excel, CSV) and case
records (CSV, Excel), planned first (what would be written, row by row), then written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hcode.api.errors import AlreadyExists, InputUnusable
from hcode.api.workspace import WorkspaceError, find_workspace

if TYPE_CHECKING:
    from hcode.core.importing import ReportRow
    from hcode.core.model import Code
    from hcode.edit.importer import RowResult


def _document_error(file: Path, exc: Any) -> InputUnusable:
    """A document that cannot be read, named once (its message may already start with it)."""
    message = exc.message if exc.message.startswith(file.name) else f"{file}: {exc.message}"
    return InputUnusable(message, exc.hint)


# -- a self-assessment ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentImportPlan:
    """What ``hcode import assessment`` would write: ``text`` for ``rel``, a report row per row
    of the document (``status``: imported, unknown, mismatch...), the edition's provisions the
    document does not answer (``missing``) and notes on how the document was read."""

    root: Path
    file: Path
    year: str
    rel: str
    text: str
    code: Code
    provisions: int
    tables: int
    report: list[ReportRow]
    missing: list[str]
    notes: list[str] = field(default_factory=list)
    words: str = ""  # the words line: placed, compared, kept and dropped

    def count(self, status: str) -> int:
        return sum(1 for row in self.report if row.status == status)


def plan_assessment_import(
    workspace: Path | None, file: Path, *, year: str | None, code: str | None, today: date
) -> AssessmentImportPlan:
    """Read ``file``'s self-assessment table against edition ``code`` (default: the form a
    self-assessment written ``today`` answers), for ``year`` (default: the year the document
    names). :class:`InputUnusable` when the workspace, edition or document cannot be used, or
    the document has no self-assessment table or says no year."""
    from hcode.core.importing import (
        edition_fit,
        guess_year,
        import_assessment,
        scope_offer,
        sign_off_offers,
        words_summary,
    )
    from hcode.edit.importer import assessment_text, done_true_allowed, loose_due_allowed
    from hcode.edit.steps import StepError
    from hcode.store import documents
    from hcode.store.workspace import load_code, load_editions, read_settings

    try:
        root = find_workspace(workspace)
    except WorkspaceError as exc:
        raise InputUnusable(str(exc), exc.hint) from None
    try:
        if code is not None:
            catalogue = load_code(root, code)
            others: tuple[Code, ...] = ()
        else:  # the form a self-assessment written today answers (code: auto: the Code in force)
            editions = load_editions(root, read_settings(root).code)
            catalogue = editions.unnamed_assessment(today)
            others = tuple(c for c in load_editions(root, "auto").codes if c.code != catalogue.code)
    except WorkspaceError as exc:
        raise InputUnusable(f"{root}: {exc}", exc.hint) from None
    try:
        document = documents.read(file)
    except documents.DocumentError as exc:
        raise _document_error(file, exc) from None

    def read(edition: Code) -> Any:
        return import_assessment(
            document.tables,
            edition,
            numeric_ids=document.numeric_ids,
            done_true=done_true_allowed(),
            loose_due=loose_due_allowed(),
            outside=document.outside or (),
        )

    result = read(catalogue)
    edition_note: list[str] = []
    fit = edition_fit(result)
    if others and fit[1]:  # some rows do not fit the edition: does another fit better?
        tried = sorted(((edition_fit(r), e, r) for e in others for r in (read(e),)), key=lambda t: -t[0][0])
        best = tried[0]
        if best[0][0] > fit[0]:
            if len(tried) > 1 and tried[1][0][0] == best[0][0]:
                raise InputUnusable(
                    f"{file.name}: its numbering and wording fit {best[1].code} and {tried[1][1].code} equally "
                    f"({best[0][0]} rows each), and {catalogue.code} less ({fit[0]})",
                    f"give the edition it answers with --code, e.g. --code {best[1].code}",
                )
            edition_note.append(
                f"{file.name}: its numbering and wording fit {best[1].code} ({best[0][0]} rows) better than "
                f"{catalogue.code} ({fit[0]}): read against {best[1].code}; give --code to choose another"
            )
            catalogue, result = best[1], best[2]
    if not result.provisions and not result.unplaced:
        seen = [" | ".join(c.text for c in t.rows[0] if c.text)[:80] for t in document.tables if t.rows][:3]
        raise InputUnusable(
            f"{file.name}: found no self-assessment table"
            + (f" (first rows seen: {'; '.join(repr(s) for s in seen)})" if seen else " (the file has no tables)"),
            "the table needs a header row naming the provision column and a comply, Yes or evidence column",
        )
    chosen_year = year or guess_year([*document.text, file.stem])
    if chosen_year is None:
        raise InputUnusable(
            f"{file.name} does not say which reporting year it covers", "give it with --year, e.g. --year 2024-25"
        )
    rel = f"assessments/{chosen_year}.yaml"
    try:
        text = assessment_text(result, catalogue, chosen_year, file.name, result.outside)
    except StepError as exc:  # pragma: no cover - the importer builds only valid files
        raise InputUnusable(f"{file.name}: {exc.message}", exc.hint) from None
    missing = [p.id for p in catalogue.assessed if p.id not in result.provisions]
    result.report.extend(sign_off_offers(result.outside))
    scope = scope_offer(result, catalogue)
    if scope is not None:
        result.report.append(scope)
    return AssessmentImportPlan(
        root,
        file,
        chosen_year,
        rel,
        text,
        catalogue,
        len(result.provisions),
        result.tables,
        list(result.report),
        missing,
        [*edition_note, *document.notes],
        words_summary(result.words, result.outside),
    )


def write_assessment_import(plan: AssessmentImportPlan, *, force: bool = False) -> None:
    """Write the planned self-assessment; :class:`AlreadyExists` when the year has one and not
    ``force``; :class:`InputUnusable` when it cannot be written."""
    from hcode.edit.casefile import write_guarded
    from hcode.edit.steps import StepError

    target = plan.root / plan.rel
    original = target.read_bytes() if target.exists() else None
    if original is not None and not force:
        raise AlreadyExists(
            f"{plan.rel} already exists; nothing written",
            "use --force to replace it (git keeps the old version), or --dry-run to compare",
        )
    try:
        write_guarded(target, plan.text, original, root=plan.root)
    except StepError as exc:
        raise InputUnusable(exc.message, exc.hint) from None


# -- case records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseImportPlan:
    """What ``hcode import cases`` would do with each row of the export (``results``: new,
    updated, unchanged or rejected, with the file), the columns not in the mapping, and notes
    on how the export was read."""

    root: Path
    file: Path
    results: list[RowResult]
    counts: dict[str, int]
    blank: int
    ignored: list[str]
    notes: list[str]
    writes: list[tuple[Path, str, bytes | None]]


@dataclass(frozen=True)
class StartingMap:
    """A mapping guessed from an export's header row (``hcode import cases --init-map``)."""

    root: Path
    path: Path
    text: str
    columns: int
    notes: list[str]
    guesses: list[str] = field(default_factory=list)  # each column's guess, with its reason
    # the export's categories hcode.yaml does not declare, offered as its categories: list
    categories: list[str] = field(default_factory=list)


def _rows(file: Path) -> Any:
    from hcode.store import documents

    try:
        return documents.read_rows(file)
    except documents.DocumentError as exc:
        raise _document_error(file, exc) from None


def starting_map(workspace: Path | None, file: Path, map_path: Path | None = None) -> StartingMap:
    """The mapping guessed from ``file``'s header row, for ``map_path`` (default: import-map.yaml
    in the workspace)."""
    from hcode.core.caseimport import guess_map
    from hcode.edit.importer import category_offer, guess_lines, map_text
    from hcode.store import documents
    from hcode.store.workspace import read_settings

    try:
        root = find_workspace(workspace)
    except WorkspaceError as exc:
        raise InputUnusable(str(exc), exc.hint) from None
    rows = _rows(file)
    guess = guess_map(rows.headings, rows.rows, documents.case_fields())
    text = map_text(guess, file.name)
    path = map_path or root / "import-map.yaml"
    try:
        offer = category_offer(guess, read_settings(root).categories, file.name)
    except WorkspaceError as exc:
        raise InputUnusable(f"{root}: {exc}", exc.hint) from None
    return StartingMap(root, path, text, len(rows.headings), list(rows.notes), list(guess_lines(guess)), offer)


def write_starting_map(plan: StartingMap, *, force: bool = False) -> None:
    """Write the guessed mapping; :class:`AlreadyExists` when there is one and not ``force``."""
    from hcode.edit.fileio import WriteRefused, write_guarded

    if plan.path.exists() and not force:
        raise AlreadyExists(f"{plan.path} already exists; nothing written", "edit it, or use --force to replace it")
    try:
        write_guarded(plan.path, plan.text, plan.path.read_bytes() if plan.path.exists() else None, root=plan.root)
    except WriteRefused as exc:
        raise InputUnusable(exc.message, exc.hint) from None


def plan_case_import(
    workspace: Path | None,
    file: Path,
    *,
    map_path: Path | None,
    today: date,
    progress: Callable[[int, int], None] | None = None,
) -> CaseImportPlan:
    """Each row of ``file`` read through the mapping (default: import-map.yaml in the
    workspace) and compared with the case files; nothing is written. :class:`InputUnusable` when
    the workspace, the export or the mapping cannot be used. ``progress(advance, total)`` is
    told of the rows as they are read and decided."""
    from hcode.api.workspace import OpenWorkspace, open_store
    from hcode.core.caseimport import ImportFailure
    from hcode.edit.importer import plan_cases
    from hcode.store import documents

    try:
        root = find_workspace(workspace)
    except WorkspaceError as exc:
        raise InputUnusable(str(exc), exc.hint) from None
    from hcode.edit.journal import recover

    recover(root)  # an import a killed process left half done is completed (or rolled back) first
    specs = documents.case_fields()
    rows = _rows(file)
    try:
        case_map = documents.read_case_map(map_path or root / "import-map.yaml", specs)
    except documents.DocumentError as exc:
        raise InputUnusable(exc.message, exc.hint) from None
    try:
        ctx = OpenWorkspace(open_store(root)).context(today)
    except WorkspaceError as exc:
        raise InputUnusable(f"{root}: {exc}", exc.hint) from None
    try:
        plan = plan_cases(root, rows, case_map, specs, ctx, progress)
    except ImportFailure as exc:
        raise InputUnusable(f"{file.name}: {exc.message}; nothing written", exc.hint) from None
    ignored = [h for h in rows.headings if h and h not in case_map.columns.values()]
    return CaseImportPlan(
        root, file, list(plan.results), dict(plan.counts), rows.blank, ignored, list(rows.notes), list(plan.writes)
    )


def write_case_import(plan: CaseImportPlan) -> None:
    """Write every planned case file, all or nothing."""
    from hcode.edit.casefile import write_guarded_all
    from hcode.edit.steps import StepError

    try:
        write_guarded_all(plan.writes, root=plan.root)
    except StepError as exc:
        said = exc.message if exc.message.endswith("nothing was written") else f"{exc.message}; nothing written"
        raise InputUnusable(said, exc.hint) from None
