"""File rules: what the store finds while reading the workspace, before any rule can judge it.

These findings are made in :mod:`hcode.store` (the only reader); they are declared here so that
``hcode rules``, the SARIF rule help and the rule table list them with the others.

* ``yaml``: the file is well-formed YAML that hcode can read safely: UTF-8, no tabs, no
  duplicate keys, no ``6.10`` that YAML would read as the number 6.1, no tags or exploding
  aliases, not over the size limit (error, with the reason and the line).
* ``schema``: the file has the fields hcode expects, of the right kinds: an unknown key such as
  ``recieved:`` names the nearest known one; ``x-`` keys are the landlord's own (error).
* ``case.duplicate``: every case id is used by one file only (error, naming both files).
* ``file.unreadable``: the file can be read (error: permissions or a vanished file).
* ``file.link``: workspace files are not symbolic links to places outside the workspace (error;
  the file is not read).
* ``file.name``: every file hcode reads by name is named as it expects: a file in ``reports/``
  not named ``YYYY-YY.yaml`` (``summary.yaml``, ``2024-25.yml``), or a ``.yml`` file in
  ``provisions/`` or ``provisions/mappings/``, is not read (warning).
* ``code.catalogue``: the workspace's own ``provisions/NAME.yaml`` differs from the edition of
  that name shipped with hcode; the workspace's copy is used (info). A catalogue there that
  cannot be read is an error, whether or not a self-assessment names it.
* ``code.unconfirmed``: an edition that judged complaints in this run has timescales whose
  numbers are not confirmed from the Code's own text (2020, 2022); they are applied as the
  catalogue gives them, and the finding lists them with their sources (info).
* ``report.figure``: a figure entered by hand in ``reports/YYYY-YY.yaml`` can be used: a known
  name (an unknown one names the nearest), a whole number for a count, ``84%`` or ``2 of 3``
  for a percentage, never negative (error; the figure is left out).
* ``report.figure-differs``: a figure entered by hand agrees with the one computed from the case
  files for the same period (warning; the report shows the computed figure).
"""

from __future__ import annotations

from hcode.core.rules.spec import Example, Rule

_CASE = """\
id: C-2024-0001
kind: service-request
{received}: 2024-05-01
category: repairs
resolved: 2024-05-02
"""
_GOOD = Example(_CASE.format(received="received"))
_REPORT = "reports/2024-25.yaml"
_COMPLAINT = "id: C-2024-0001\nkind: complaint\nreceived: 2024-05-01\ncategory: repairs\n"


def _figures(body: str) -> str:
    return f"year: 2024-25\nfigures:\n  year:\n{body}"


_BY_THE_FILE_SYSTEM = "made by the file system, not by a file's text (tests/test_security.py shows it)"

RULES = (
    Rule(
        name="yaml",
        summary="the file cannot be read as YAML (with the reason)",
        severities=("error",),
        passing=(_GOOD,),
        failing=(Example(_CASE.format(received="received") + "learning: [unclosed\n"),),
    ),
    Rule(
        name="schema",
        summary="a field is unknown, missing, or of the wrong kind",
        severities=("error",),
        passing=(_GOOD,),
        failing=(Example(_CASE.format(received="recieved"), note="recieved is misspelt"),),
    ),
    Rule(
        name="case.duplicate",
        summary="two files with the same id",
        severities=("error",),
        passing=(_GOOD,),
        failing=(
            Example(
                _CASE.format(received="received"),
                others=(("cases/2023/C-2024-0001.yaml", _CASE.format(received="received")),),
                note="a second file cases/2023/C-2024-0001.yaml has the same id",
            ),
        ),
    ),
    Rule(
        name="report.figure",
        summary="a figure entered by hand is negative, not a number, or not of its row's kind",
        severities=("error",),
        passing=(Example(_figures("    stage1_received: 12\n    stage1_responses_within: 84%\n"), file=_REPORT),),
        failing=(
            Example(_figures("    stage1_received: -3\n"), file=_REPORT, note="a count cannot be negative"),
            Example(_figures("    stage1_responses_within: 84\n"), file=_REPORT, note="84% or a count? write 84%"),
        ),
    ),
    Rule(
        name="report.figure-differs",
        summary="a figure entered by hand differs from the one computed from the case files",
        severities=("warning",),
        passing=(Example(_COMPLAINT, others=((_REPORT, _figures("    stage1_received: 1\n")),)),),
        failing=(
            Example(
                _COMPLAINT,
                others=((_REPORT, _figures("    stage1_received: 2\n")),),
                note="one complaint in the case files, two entered",
            ),
        ),
    ),
    Rule(
        name="file.unreadable",
        summary="the file cannot be read",
        severities=("error",),
        no_examples=_BY_THE_FILE_SYSTEM,
    ),
    Rule(
        name="file.link",
        summary="the file is a link outside the workspace",
        severities=("error",),
        no_examples=_BY_THE_FILE_SYSTEM,
    ),
    Rule(
        name="file.name",
        summary="a file hcode would read is not named as it expects, so it is not read",
        severities=("warning",),
        passing=(Example(_COMPLAINT, others=((_REPORT, _figures("    stage1_received: 1\n")),)),),
        failing=(
            Example(
                _COMPLAINT,
                others=(("reports/2024-25.yml", _figures("    stage1_received: 1\n")),),
                note="reports/2024-25.yml: only .yaml is read",
            ),
        ),
    ),
    Rule(
        name="code.catalogue",
        summary="a workspace catalogue redefines a shipped Code edition (its copy is used), or cannot be read",
        severities=("info", "error"),
        no_examples="made by comparing the workspace's provisions/ with the shipped editions (tests/test_clocks.py)",
    ),
    Rule(
        name="code.unconfirmed",
        summary="an edition's timescales applied are not confirmed from the Code's text",
        severities=("info",),
        no_examples="made from the shipped 2020 and 2022 catalogues (tests/test_clocks.py shows it)",
    ),
)
