"""Findings formats, chosen by name: ``hcode check --format NAME`` looks the name up here.

A new format is one function from a :class:`FindingsRun` to text (in its own module when it is
more than a few lines) and one entry in :data:`FORMATS`; ``check``'s ``--format`` choices, its
help and the test of every format follow the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hcode.core.model import Code, Finding


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
    extra: dict[str, Any] = field(default_factory=dict)
    editions: Sequence[Code] = ()  # every edition that may have judged a finding (code: auto)
    by_date: bool = False  # code: auto: each stage judged by the edition in force when it started


Renderer = Callable[[FindingsRun], str]


def _text(run: FindingsRun) -> str:
    from hcode.render.output import text_lines

    return "\n".join(text_lines(run)) + "\n"


def _json(run: FindingsRun) -> str:
    from hcode.render.output import to_json

    return to_json(run.findings, as_of=run.as_of, workspace=run.workspace, files=run.files, extra=run.extra)


def _junit(run: FindingsRun) -> str:
    from hcode.render.reporters import to_junit

    return to_junit(run.findings, fail_on=run.fail_on, as_of=run.as_of)


def _sarif(run: FindingsRun) -> str:
    from hcode.render.reporters import to_sarif

    return to_sarif(run.findings, code=run.code, prefix=run.prefix, editions=run.editions)


def _github(run: FindingsRun) -> str:
    from hcode.render.reporters import to_github

    return to_github(run.findings, prefix=run.prefix)


#: name -> (what it is for, how to render it). The first is the default.
FORMATS: dict[str, tuple[str, Renderer]] = {
    "text": ("findings grouped by file, for people (coloured on a terminal)", _text),
    "json": ("the findings as JSON (docs/ci.md: stable keys)", _json),
    "junit": ("JUnit XML, one test case per rule and subject", _junit),
    "sarif": ("SARIF 2.1.0 for code scanning, with each rule's help", _sarif),
    "github": ("GitHub Actions workflow annotations", _github),
}


def render_findings(name: str, run: FindingsRun) -> str:
    """The findings in the format called ``name`` (KeyError for an unknown name), with control
    and bidirectional characters escaped and no line beginning with ``::`` (except the
    ``github`` format's own workflow commands, whose values the format escapes)."""
    from hcode.core.text import safe_output, visible

    text = FORMATS[name][1](run)
    if name == "github":
        return visible(text)
    return safe_output(text, kind="json" if name in ("json", "sarif") else "text")
