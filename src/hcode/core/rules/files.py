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
* ``code.catalogue``: the workspace's own ``provisions/NAME.yaml`` differs from the edition of
  that name shipped with hcode; the workspace's copy is used (info).
* ``code.unconfirmed``: an edition that judged complaints in this run has timescales whose
  numbers are not confirmed from the Code's own text (2020, 2022); they are applied as the
  catalogue gives them, and the finding lists them with their sources (info).
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
        name="code.catalogue",
        summary="the workspace redefines a shipped Code edition (its copy is used)",
        severities=("info",),
        no_examples="made by comparing the workspace's provisions/ with the shipped editions (tests/test_clocks.py)",
    ),
    Rule(
        name="code.unconfirmed",
        summary="an edition's timescales applied are not confirmed from the Code's text",
        severities=("info",),
        no_examples="made from the shipped 2020 and 2022 catalogues (tests/test_clocks.py shows it)",
    ),
)
