"""hcode: the Housing Ombudsman's Complaint Handling Code, checked from plain files in git.

As a library (docs/api.md)::

    import hcode
    ws = hcode.open_workspace("path/to/workspace")
    result = ws.check(as_of=datetime.date(2025, 3, 31))

Importing ``hcode`` is cheap: the library is loaded on first use of one of its names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hcode.version import __version__

if TYPE_CHECKING:
    from hcode.api import (
        Annual,
        CaseList,
        CaseView,
        CheckResult,
        DueItem,
        DueList,
        Export,
        ExportRow,
        InputUnusable,
        TsmAudit,
        TsmReturn,
        TsmRow,
        Workspace,
        open_workspace,
        rules,
    )
    from hcode.core.model import Finding
    from hcode.store.workspace import WorkspaceError

_LAZY = {
    "open_workspace": "hcode.api",
    "Workspace": "hcode.api",
    "CheckResult": "hcode.api",
    "DueList": "hcode.api",
    "DueItem": "hcode.api",
    "Annual": "hcode.api",
    "CaseList": "hcode.api",
    "CaseView": "hcode.api",
    "Export": "hcode.api",
    "InputUnusable": "hcode.api",
    "TsmAudit": "hcode.api",
    "TsmReturn": "hcode.api",
    "TsmRow": "hcode.api",
    "ExportRow": "hcode.api",
    "rules": "hcode.api",
    "Finding": "hcode.core.model",
    "WorkspaceError": "hcode.store.workspace",
}

__all__ = [
    "Annual",
    "CaseList",
    "CaseView",
    "CheckResult",
    "DueItem",
    "DueList",
    "Export",
    "ExportRow",
    "Finding",
    "InputUnusable",
    "TsmAudit",
    "TsmReturn",
    "TsmRow",
    "Workspace",
    "WorkspaceError",
    "__version__",
    "open_workspace",
    "rules",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'hcode' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
