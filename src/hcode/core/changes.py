"""What ``hcode diff`` finds between two revisions of a workspace: each change to the
self-assessment, the cases and the Code, and the files that could not be read (made by
:mod:`hcode.review.gitdiff`, written out by :mod:`hcode.render.diff`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Change:
    kind: str  # e.g. comply, evidence, commentary, action, case-added, history, requirement
    file: str
    subject: str  # provision, case id or file
    message: str
    severity: str = "info"  # alert (needs a second look) or info
    before: Any = None
    after: Any = None


@dataclass(frozen=True)
class Unreadable:
    """A file hcode cannot read in one revision: why, as ``hcode check`` would say it."""

    file: str
    revision: str
    message: str


@dataclass
class DiffResult:
    base: str
    head: str
    changes: list[Change] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # the files, each once
    problems: list[Unreadable] = field(default_factory=list)  # each file and revision, and why

    def cannot_read(self, rel: str, revision: str, message: str) -> None:
        if rel not in self.unreadable:
            self.unreadable.append(rel)
        self.problems.append(Unreadable(rel, revision, message))
