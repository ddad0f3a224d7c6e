"""hcode's application layer: one use case per thing a user does, each taking an open workspace
and parameters and returning a frozen dataclass. The command line is built on these (parse, call,
render, exit), so a script gets exactly the answers the commands print. See docs/api.md.

One module per command family: :mod:`~hcode.api.check`, :mod:`~hcode.api.due`,
:mod:`~hcode.api.reports`, :mod:`~hcode.api.cases`, :mod:`~hcode.api.imports`,
:mod:`~hcode.api.review`, :mod:`~hcode.api.workspace`; :mod:`~hcode.api.library` holds the
:class:`Workspace` a script opens, with a method for the common ones.
"""

from __future__ import annotations

from hcode.api.cases import CaseList, CaseView, StepBlocked, StepRefused, StepResult
from hcode.api.check import CheckResult
from hcode.api.due import DueList
from hcode.api.errors import AlreadyExists, Incomplete, InputUnusable, ParameterError, UseCaseError
from hcode.api.library import Workspace, open_workspace
from hcode.api.reports import Annual, AnnualReport, AssessmentReport, Export, TsmAudit, TsmReturn
from hcode.api.workspace import OpenWorkspace, WorkspaceError, check_year, rules
from hcode.core.exportrow import ExportRow
from hcode.core.listings import CaseRow, DueItem, LeftOut, TsmRow
from hcode.core.tsmreturn import TsmReturnFigures

__all__ = [
    "AlreadyExists",
    "Annual",
    "AnnualReport",
    "AssessmentReport",
    "CaseList",
    "CaseRow",
    "CaseView",
    "CheckResult",
    "DueItem",
    "DueList",
    "Export",
    "ExportRow",
    "Incomplete",
    "InputUnusable",
    "LeftOut",
    "OpenWorkspace",
    "ParameterError",
    "StepBlocked",
    "StepRefused",
    "StepResult",
    "TsmAudit",
    "TsmReturn",
    "TsmReturnFigures",
    "TsmRow",
    "UseCaseError",
    "Workspace",
    "WorkspaceError",
    "check_year",
    "open_workspace",
    "rules",
]
