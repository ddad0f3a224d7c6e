"""File rules: what the store finds while reading the workspace, before any rule can judge it.

The reading problems (``yaml``, ``schema``, ``case.duplicate``, ``file.unreadable``,
``file.link``) are found by :mod:`hcode.store` (the only reader) as it reads; the findings
about the workspace's catalogues, its ``reports/`` file names and its published figures are made
here, from what the store read (:func:`catalogue_findings`, :func:`report_name_finding`,
:func:`figure_differs_findings`). All are declared here, so that ``hcode rules``, the SARIF rule
help and the rule table list them with the others.

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
* ``calendar.closures``: more than 15 closure days in one calendar year (each one stops every
  complaint's clock); at most 1,000 in all (warning).
* ``file.journal``: an import (a write of many files) was killed half way; the next command
  that writes completes it, or rolls it back if nothing had been written (warning).
* ``code.modified``: an edition that judges in this workspace is not the official Code: a copy
  whose clocks differ from the shipped edition of its name, an edition hcode does not ship
  (compared with the official edition it replaces), a missing clock; every difference is named
  ("6.3: 100 working days; the Code says 10 working days") and every annual report states it
  (warning).
* ``code.unconfirmed``: an edition that judged complaints in this run has timescales whose
  numbers are not confirmed from the Code's own text (2020, 2022); they are applied as the
  catalogue gives them, and the finding lists them with their sources (info).
* ``report.figure``: a figure entered by hand in ``reports/YYYY-YY.yaml`` can be used: a known
  name (an unknown one names the nearest), a whole number for a count, ``84%`` or ``2 of 3``
  for a percentage, never negative (error; the figure is left out).
* ``duty.overdue``: each duty of a reporting year that has ended, for which the workspace keeps
  a self-assessment or a ``reports/YYYY-YY.yaml``, is recorded as done by its date: the Ombudsman's annual submission
  (30 September over 1,000 homes, 6 months after the financial year-end under 1,000), the report
  published with the governing body's response, the TSM return (1,000 or more homes) and the
  re-submission of a self-assessment revised during the year. The hint names the date to write
  in ``reports/YYYY-YY.yaml`` once it is done (warning).
* ``duty.date``: hcode can work out when the annual submission is due: at exactly 1,000 homes
  neither of the Ombudsman's wordings applies, so ``annual_submission:`` in hcode.yaml must say
  which; without ``homes`` neither can be chosen (info).
* ``report.figure-differs``: a figure entered by hand agrees with the one computed from the case
  files for the same period (warning; the report shows the computed figure).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hcode.core.duties import Duty
from hcode.core.editions import Editions
from hcode.core.model import Finding
from hcode.core.rules.spec import Example, Rule

CONFIG = "hcode.yaml"

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


_BY_THE_FILE_SYSTEM = "made by the file system, not by a file's text (tests/store/test_security.py shows it)"

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
        name="duty.overdue",
        summary="a duty of the year (annual submission, publication, TSM return, re-submission) is overdue",
        severities=("warning",),
        passing=(
            Example(
                "year: 2023-24\npublished: 2024-07-01\nsubmitted_to_ombudsman: 2024-07-05\n",
                file="reports/2023-24.yaml",
            ),
        ),
        failing=(
            Example(
                "year: 2023-24\npublished: 2024-07-01\n",
                file="reports/2023-24.yaml",
                note="100 homes, a year from 1 April: the submission was due by 30 September 2024",
            ),
        ),
    ),
    Rule(
        name="duty.date",
        summary="when the annual submission is due cannot be worked out (exactly 1,000 homes, or no homes)",
        severities=("info",),
        passing=(
            Example(
                "hcode: 1\nlandlord: Test Homes\nhomes: 1000\nannual_submission: 30-september\n",
                file="hcode.yaml",
                others=(("reports/2023-24.yaml", "year: 2023-24\n"),),
            ),
        ),
        failing=(
            Example(
                "hcode: 1\nlandlord: Test Homes\nhomes: 1000\n",
                file="hcode.yaml",
                others=(("reports/2023-24.yaml", "year: 2023-24\n"),),
                note="exactly 1,000 homes: neither of the Ombudsman's wordings applies",
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
        no_examples=(
            "made by comparing the workspace's provisions/ with the shipped editions (tests/core/test_clocks.py)"
        ),
    ),
    Rule(
        name="calendar.closures",
        summary="more closure days in one year than a landlord closes (each stops every clock)",
        severities=("warning",),
        no_examples="made from hcode.yaml's calendar: closures (tests/cli/test_trust.py shows it)",
    ),
    Rule(
        name="file.journal",
        summary="a write of many files (an import) was interrupted; the next writing command settles it",
        severities=("warning",),
        no_examples="made from the journal a killed import leaves (tests/cli/test_trust.py shows it)",
    ),
    Rule(
        name="code.modified",
        summary="an edition that judges differs from the official Code it claims or replaces (every difference named)",
        severities=("warning",),
        no_examples="made by comparing the editions in use with the official ones (tests/cli/test_trust.py shows it)",
    ),
    Rule(
        name="code.unconfirmed",
        summary="an edition's timescales applied are not confirmed from the Code's text",
        severities=("info",),
        no_examples="made from the shipped 2020 and 2022 catalogues (tests/core/test_clocks.py shows it)",
    ),
)


# -- the findings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BrokenCatalogue:
    """A Code edition in the workspace's ``provisions/`` that cannot be used, and why."""

    name: str
    file: str | None
    message: str
    line: int | None = None
    column: int | None = None
    hint: str | None = None


def catalogue_findings(
    broken: Iterable[BrokenCatalogue],
    misnamed: Iterable[str],
    redefined: Iterable[str],
    editions: Editions,
    judged: Sequence[Finding],
) -> list[Finding]:
    """What ``check`` says about the editions themselves: a workspace catalogue that cannot be
    read (whether or not a self-assessment names it: ``code.catalogue``, error), a ``.yml`` file
    in ``provisions/`` that is not read (``file.name``), a workspace copy used instead of a
    shipped edition (``code.catalogue``, info), and the unconfirmed timescales of each edition
    that judged something (named by a finding in ``judged``, or the one edition ``code:`` names:
    ``code.unconfirmed``)."""
    out: list[Finding] = []
    for b in broken:
        rel = b.file or f"provisions/{b.name}.yaml"
        out.append(
            Finding(
                rule="code.catalogue",
                severity="error",
                subject=rel,
                message=f"the {b.name} catalogue cannot be used: {b.message}",
                file=rel,
                line=b.line,
                column=b.column,
                hint=b.hint or f"fix {rel}, or delete it",
            )
        )
    for rel in misnamed:
        stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        out.append(
            Finding(
                rule="file.name",
                severity="warning",
                subject=rel,
                message=f"{rel} is not read: only .yaml files are",
                file=rel,
                hint=f"name it {stem}.yaml",
            )
        )
    names = set(editions.names)
    for name in redefined:
        if name in names:
            rel = f"provisions/{name}.yaml"
            out.append(
                Finding(
                    rule="code.catalogue",
                    severity="info",
                    subject=rel,
                    message=f"{rel} differs from the {name} shipped with hcode: the workspace's copy is used",
                    file=rel,
                    hint=f"delete {rel} to use the shipped edition",
                )
            )
    used = {f.edition for f in judged if f.edition}
    if editions.fixed is not None:
        used.add(editions.fixed.code)
    for code in editions.codes:
        unconfirmed = [t for t in code.clocks if not t.confirmed]
        if code.code not in used or not (unconfirmed or code.not_judged):
            continue
        said = []
        if unconfirmed:
            listed = "; ".join(f"stage {t.stage} {t.event}: {t.describe(flag=False)}" for t in unconfirmed)
            said.append(f"{code.code} timescales applied that are not confirmed from the Code's own text: {listed}")
        for t in code.not_judged:  # a deadline no provision sets: said once, here
            said.append(
                f"no {code.code} provision sets a {t.name.replace(' acknowledge', ' acknowledgement')} deadline: "
                f"not judged (to judge it at {t.describe(flag=False)}, add opt_in_clocks: "
                f"['{code.code} {t.name}'] to hcode.yaml)"
            )
        out.append(
            Finding(
                rule="code.unconfirmed",
                severity="info",
                subject=code.code,
                message="; ".join(said),
                file=CONFIG,
                hint=f"each source is quoted in the {code.code} catalogue (timescales:) and docs/conventions.md",
                path=("code",),
                key=True,
            )
        )
    return out


def report_name_finding(rel: str) -> Finding | None:
    """``file.name`` for a file in ``reports/`` that is not read: only ``reports/YYYY-YY.yaml``
    files are, named after a reporting year (``2023-25`` says which to write instead)."""
    from hcode.core.years import YearError, reporting_year

    year = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    why = None if rel.endswith(".yaml") else ""
    try:
        reporting_year(year)
    except YearError as exc:  # 2023-25 says what to write; other names need no more
        why = f" ({exc})" if re.fullmatch(r"\d{4}-\d{2}", year) else ""
    if why is None:
        return None
    return Finding(
        rule="file.name",
        severity="warning",
        subject=rel,
        message=f"{rel} is not read: only reports/YYYY-YY.yaml files are{why}",
        file=rel,
        hint="name it after the reporting year it covers, such as reports/2024-25.yaml",
    )


def figure_differs_findings(rel: str, differences: Iterable[dict[str, Any]]) -> list[Finding]:
    """``report.figure-differs``: each figure entered by hand in ``rel`` that differs from the one
    computed from the case files (``differences``: the annual figures' own list, each with the
    row's ``label`` and ``key``, the ``period``, and the ``entered`` and ``computed`` texts)."""
    return [
        Finding(
            rule="report.figure-differs",
            severity="warning",
            subject=rel,
            message=f"{d['label']} ({d['period']}): entered {d['entered']}, but the case files give {d['computed']}",
            file=rel,
            path=("figures", d["period"], d["key"]),
            hint="the report shows the computed figure: check the case files or the figure entered",
        )
        for d in differences
    ]


def modified_code_findings(modified: Mapping[str, str], own: Sequence[str], provisions_linked: bool) -> list[Finding]:
    """``code.modified`` (warning) for each edition in use that is not the official Code, naming
    every difference (``modified``: name -> statement, from :mod:`hcode.core.official`; ``own``:
    the workspace's own catalogues); ``file.link`` when ``provisions/`` links outside and so is
    not read."""
    out = []
    for name, statement in modified.items():
        rel = f"provisions/{name}.yaml" if name in own else "hcode.yaml"
        out.append(
            Finding(
                rule="code.modified",
                severity="warning",
                subject=rel,
                message=statement,
                file=rel,
                hint=f"delete {rel} to judge by the official edition; every report states the difference"
                if rel != "hcode.yaml"
                else "reinstall hcode",
            )
        )
    if provisions_linked:
        out.append(
            Finding(
                rule="file.link",
                severity="error",
                subject="provisions",
                message="provisions/ links outside the workspace (or nowhere): not read; the shipped editions are used",
                file="provisions",
                hint="make it a real folder inside the workspace",
            )
        )
    return out


_DUTY_NAMES = {
    "submission": "the annual submission to the Housing Ombudsman",
    "publication": "publishing the annual complaints report with the governing body's response",
    "tsm-return": "the TSM return to the Regulator",
    "resubmission": "re-submitting the revised self-assessment",
}


def duty_findings(duties: Iterable[Duty], with_file: Iterable[str], assessed: Mapping[str, str]) -> list[Finding]:
    """``duty.overdue`` (warning) for each duty overdue, its hint naming the date to record;
    ``duty.date`` (info) once per year whose annual submission date cannot be worked out.
    ``with_file``: the years that have a ``reports/YYYY-YY.yaml`` (the findings' file);
    ``assessed``: year -> its self-assessment's file (the findings' file where there is none)."""
    files = set(with_file)
    out = []
    for d in duties:
        rel = f"reports/{d.year}.yaml"
        where = rel if d.year in files else assessed.get(d.year, rel)
        if d.status == "overdue" and d.due is not None:
            out.append(
                Finding(
                    rule="duty.overdue",
                    severity="warning",
                    subject=rel,
                    message=f"{_DUTY_NAMES[d.key]} for {d.year} was due by {d.due.isoformat()} ({d.note}): "
                    "not recorded as done",
                    file=where,
                    due=d.due,
                    hint=f"once it is done, write {d.field}: YYYY-MM-DD in {rel}"
                    + ("" if where == rel else f" (create the file with year: {d.year})"),
                )
            )
        elif d.status == "unknown" and d.key == "submission":
            out.append(
                Finding(
                    rule="duty.date",
                    severity="info",
                    subject="hcode.yaml",
                    message=f"when the annual submission for {d.year} is due cannot be worked out: {d.note}",
                    file="hcode.yaml",
                    path=("homes",),
                    key=True,
                    hint="set annual_submission: 30-september or six-months in hcode.yaml"
                    if "1,000" in d.note
                    else "set homes: in hcode.yaml",
                )
            )
    return out
