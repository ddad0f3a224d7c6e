"""The library's handle: :func:`open_workspace` and the :class:`Workspace` it returns, with a
method for each use case a script is likely to want (docs/api.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from hcode.api.cases import CaseList, CaseView, case_list, case_view
from hcode.api.check import CheckResult
from hcode.api.check import check as run_check
from hcode.api.due import DueList
from hcode.api.due import due as due_list
from hcode.api.reports import Annual, Export, TsmAudit, TsmReturn, annual, export, tsm_audit, tsm_return
from hcode.api.values import listing_selection
from hcode.api.workspace import OpenWorkspace, open_store
from hcode.core.selection import Selection

if TYPE_CHECKING:
    from hcode.store.scan import Progress


class Workspace(OpenWorkspace):
    """An open workspace (see :func:`open_workspace`). Files are read when first needed;
    nothing here writes a workspace file."""

    def check(self, as_of: date | None = None, *, soon: int | None = None) -> CheckResult:
        """Every finding for the self-assessments and every case, judged as on ``as_of``
        (default today), in a stable order; files that cannot be read are findings too."""
        return run_check(self, as_of, soon=soon)

    def due(
        self,
        as_of: date | None = None,
        *,
        within: int | None = None,
        all: bool = False,
        soon: int | None = None,
        chosen: Selection | None = None,
    ) -> DueList:
        """The open milestones and remedy actions, overdue first, then by due date, as on
        ``as_of`` (default today). ``within``: only what is due within N working days (overdue
        always shown); ``all``: also the milestones already met or missed; ``chosen``: only the
        rows it selects (:meth:`selection`)."""
        return due_list(self, as_of, within=within, all=all, soon=soon, chosen=chosen)

    def annual(self, year: str | None = None, as_of: date | None = None) -> Annual:
        """The annual report's figures for ``year`` (default :meth:`default_year`), with CH01
        and CH02 under ``"tsm"``, as on ``as_of`` (default today)."""
        return annual(self, year, as_of)

    def tsm_audit(self, year: str | None = None, as_of: date | None = None) -> TsmAudit:
        """Every complaint considered for CH01 and CH02 in ``year``, and why it is in or out."""
        return tsm_audit(self, year, as_of)

    def tsm_return(self, year: str | None = None, as_of: date | None = None) -> TsmReturn:
        """CH01 and CH02 as the Regulator's TSM return asks for them: each stock type's
        numerators and denominators, and the statement of target timescales used for CH02."""
        return tsm_return(self, year, as_of)

    def export(self, as_of: date | None = None) -> Export:
        """One row per case, as ``hcode export`` writes them."""
        return export(self, as_of)

    def case(self, case_id: str, as_of: date | None = None) -> CaseView:
        """One case, its milestones and findings, as on ``as_of``."""
        return case_view(self, case_id, as_of)

    def cases(
        self,
        as_of: date | None = None,
        *,
        open_only: bool = False,
        stage: int | None = None,
        category: str | None = None,
        chosen: Selection | None = None,
    ) -> CaseList:
        """Every case with its stage and what is due next (``hcode case list``); ``chosen``:
        only the cases it selects (:meth:`selection`)."""
        return case_list(self, as_of, open_only=open_only, stage=stage, category=category, chosen=chosen)

    def selection(
        self,
        *,
        cases: Sequence[str] = (),
        open_only: bool = False,
        overdue: bool = False,
        year: str | None = None,
        categories: Sequence[str] = (),
        handlers: Sequence[str] = (),
        kinds: Sequence[str] = (),
    ) -> Selection:
        """The rows of :meth:`due` and :meth:`cases` to show: those of ``cases``, still open,
        overdue, of cases received in reporting ``year`` (2024-25), in any of ``categories``,
        of ``handlers`` (staff references) or of ``kinds`` (complaint, service-request,
        hazard). :class:`hcode.api.errors.ParameterError` on a category, kind or year the
        workspace does not know, naming those it does."""
        return listing_selection(
            self.settings,
            cases=cases,
            open_only=open_only,
            overdue=overdue,
            year=year,
            categories=categories,
            handlers=handlers,
            kinds=kinds,
        )


def open_workspace(
    path: str | Path | None = None,
    *,
    use_cache: bool = True,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Workspace:
    """The workspace at ``path``, or the nearest folder up from the current one holding
    ``hcode.yaml`` (as the commands find it). Raises :class:`hcode.WorkspaceError` when there is
    none or its ``hcode.yaml`` cannot be used."""
    store = open_store(
        Path(path) if path is not None else None, use_cache=use_cache, workers=workers, progress=progress
    )
    return Workspace(store)
