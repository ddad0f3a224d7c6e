"""What a findings format is given: one run of ``hcode check``, its findings and their context.

Its own module so that the formats (:mod:`hcode.render.output`, :mod:`hcode.render.reporters`)
and their registry (:mod:`hcode.render.findings`) import it without importing each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from hcode.core.model import Code, Finding
from hcode.core.selection import Tally


@dataclass(frozen=True)
class FindingsRun:
    """Everything a findings format may print."""

    findings: Sequence[Finding]
    as_of: date
    workspace: str
    files: int
    code: Code | None = None
    prefix: str = ""  # the workspace's folder inside its git repository, for file paths
    fail_on: str = "error"
    tally: Tally = field(default_factory=Tally)  # how the findings were chosen, what a baseline accepted
    editions: Sequence[Code] = ()  # every edition that may have judged a finding (code: auto)
    by_date: bool = False  # code: auto: each stage judged by the edition in force when it started
