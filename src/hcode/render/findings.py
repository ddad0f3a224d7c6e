"""Findings formats, chosen by name: ``hcode check --format NAME`` looks the name up here.

A new format is one function from a :class:`FindingsRun` to text (in its own module when it is
more than a few lines) and one entry in :data:`FORMATS`; ``check``'s ``--format`` choices, its
help and the test of every format follow the registry.
"""

from __future__ import annotations

from collections.abc import Callable

from hcode.core import text as safe_text  # looked up at each call: one place makes output safe
from hcode.render.output import text_lines, to_json
from hcode.render.reporters import to_github, to_junit, to_sarif
from hcode.render.run import FindingsRun

__all__ = ["FORMATS", "FindingsRun", "Renderer", "render_findings"]


Renderer = Callable[[FindingsRun], str]


def _text(run: FindingsRun) -> str:
    return "\n".join(text_lines(run)) + "\n"


def _json(run: FindingsRun) -> str:
    return to_json(run.findings, as_of=run.as_of, workspace=run.workspace, files=run.files, tally=run.tally)


def _junit(run: FindingsRun) -> str:
    return to_junit(run.findings, fail_on=run.fail_on, as_of=run.as_of)


def _sarif(run: FindingsRun) -> str:
    return to_sarif(run.findings, code=run.code, prefix=run.prefix, editions=run.editions)


def _github(run: FindingsRun) -> str:
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
    text = FORMATS[name][1](run)
    if name == "github":
        return safe_text.visible(text)
    return safe_text.safe_output(text, kind="json" if name in ("json", "sarif") else "text")
