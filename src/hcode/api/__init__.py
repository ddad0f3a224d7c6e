"""hcode's application layer: one use case per thing a user does, each taking an open workspace
and parameters and returning a frozen dataclass. The command line is built on these (parse, call,
render, exit), so a script gets exactly the answers the commands print. See docs/api.md.

One module per command family: :mod:`~hcode.api.check`, :mod:`~hcode.api.due`,
:mod:`~hcode.api.reports`, :mod:`~hcode.api.cases`, :mod:`~hcode.api.imports`,
:mod:`~hcode.api.review`, :mod:`~hcode.api.workspace`; :mod:`~hcode.api.library` holds the
:class:`Workspace` a script opens, with a method for the common ones.

Importing ``hcode.api`` is cheap: each name's module is loaded on first use (a command imports
only the use cases it runs: ``hcode due`` need not load the annual report's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_LAZY = {
    "AlreadyExists": "hcode.api.errors",
    "Annual": "hcode.api.reports",
    "AnnualReport": "hcode.api.reports",
    "AssessmentReport": "hcode.api.reports",
    "CaseList": "hcode.api.cases",
    "CaseRow": "hcode.core.listings",
    "CaseView": "hcode.api.cases",
    "CheckResult": "hcode.api.check",
    "DueItem": "hcode.core.listings",
    "DueList": "hcode.api.due",
    "Export": "hcode.api.reports",
    "ExportRow": "hcode.core.exportrow",
    "Incomplete": "hcode.api.errors",
    "InputUnusable": "hcode.api.errors",
    "LeftOut": "hcode.core.listings",
    "OpenWorkspace": "hcode.api.workspace",
    "ParameterError": "hcode.api.errors",
    "StepBlocked": "hcode.api.cases",
    "StepRefused": "hcode.api.cases",
    "StepResult": "hcode.api.cases",
    "TsmAudit": "hcode.api.reports",
    "TsmReturn": "hcode.api.reports",
    "TsmReturnFigures": "hcode.core.tsmreturn",
    "TsmRow": "hcode.core.listings",
    "UseCaseError": "hcode.api.errors",
    "Workspace": "hcode.api.library",
    "WorkspaceError": "hcode.api.workspace",
    "check_year": "hcode.api.workspace",
    "open_workspace": "hcode.api.library",
    "rules": "hcode.api.workspace",
}

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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:  # a submodule (``from hcode.api import reports``) is imported as usual
        raise AttributeError(f"module 'hcode.api' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
