"""Findings for other tools: JUnit XML, SARIF 2.1.0 and GitHub workflow annotations.

All three render the same findings as the JSON and text formats (:mod:`hcode.render.output`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any
from xml.etree import ElementTree as ET

from hcode.core.model import Code, Finding, fails, fingerprint
from hcode.core.rules.registry import lookup
from hcode.version import __version__


def rule_text(rule: str, code: Code | None) -> str:
    """What a rule id stands for: the provision's text, else the rule's documentation."""
    if code is not None and rule in code.provisions:
        return code.provisions[rule].text
    found = lookup(rule, code)
    return found.docs if found is not None else rule


def rule_help(rule: str, code: Code | None) -> str:
    """SARIF rule help: the provision's text (where the id is one) and what hcode checks of it."""
    found = lookup(rule, code)
    docs = found.docs if found is not None else ""
    if code is not None and rule in code.provisions:
        text = code.provisions[rule].text
        return f"{text}\n\nhcode checks: {docs}" if docs else text
    return docs or rule


def _failing(f: Finding, fail_on: str) -> bool:
    return fails(f, fail_on)


# -- JUnit -------------------------------------------------------------------------------------


def to_junit(findings: Sequence[Finding], *, fail_on: str = "error", as_of: date) -> str:
    """One test case per rule and subject; a failure where a finding is at or above ``fail_on``.
    Built as an XML tree by :mod:`xml.etree.ElementTree`, which escapes every value."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.rule, f.subject), []).append(f)
    cases: list[ET.Element] = []
    failures = 0
    for (rule, subject), items in groups.items():
        failing = [f for f in items if _failing(f, fail_on)]
        first = items[0]
        case = ET.Element(
            "testcase",
            {"classname": f"hcode.{rule}", "name": subject, "file": first.file or "", "line": str(first.line or 0)},
        )
        detail = "\n".join(f"{f.file}:{f.line or 0}:{f.column or 0}: {f.severity}: {f.message}" for f in items)
        if failing:
            failures += 1
            failure = ET.SubElement(case, "failure", {"message": failing[0].message, "type": failing[0].severity})
            failure.text = detail
        else:
            ET.SubElement(case, "system-out").text = detail
        cases.append(case)
    if not cases:
        cases.append(ET.Element("testcase", {"classname": "hcode", "name": "workspace"}))
    counts = {"tests": str(len(cases)), "failures": str(failures)}
    root = ET.Element("testsuites", {"name": "hcode check", **counts})
    suite = ET.SubElement(
        root,
        "testsuite",
        {"name": "hcode", **counts, "errors": "0", "skipped": "0", "timestamp": f"{as_of.isoformat()}T00:00:00"},
    )
    suite.extend(cases)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# -- SARIF -------------------------------------------------------------------------------------

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def to_sarif(findings: Sequence[Finding], *, code: Code | None, prefix: str = "", editions: Sequence[Code] = ()) -> str:
    """SARIF 2.1.0 with a rule per rule id (help: the provision's requirement) and a result each.

    A finding judged by another edition than ``code`` (``code: auto``) has its rule under the
    id ``EDITION/RULE`` (``hoc-2022/5.1``), with that edition's text: provision numbers are
    reused between editions for different requirements."""
    by_name = {c.code: c for c in editions}

    def key(f: Finding) -> str:
        if f.edition is None or code is None or f.edition == code.code or f.edition not in by_name:
            return f.rule
        return f"{f.edition}/{f.rule}"

    rule_ids = sorted({key(f) for f in findings})
    index = {rule: i for i, rule in enumerate(rule_ids)}
    rules: list[dict[str, Any]] = []
    for rule_id in rule_ids:
        edition, _, rule = rule_id.rpartition("/")
        judged = by_name[edition] if edition else code
        text = rule_text(rule, judged)
        name = f"Code {rule}" if judged is not None and rule in judged.provisions else rule
        if edition:
            name = f"{name} ({edition})"
        found = lookup(rule, judged)
        entry: dict[str, Any] = {
            "id": rule_id,
            "name": name.replace(" ", "").replace(".", "_").replace("(", "_").replace(")", ""),
            "shortDescription": {"text": f"{name}: {found.summary}" if found is not None else name},
            "fullDescription": {"text": text},
            "help": {"text": rule_help(rule, judged)},
        }
        if found is not None:
            entry["properties"] = {"hcodeRule": found.name}
        rules.append(entry)
    results: list[dict[str, Any]] = []
    for f in findings:
        result: dict[str, Any] = {
            "ruleId": key(f),
            "ruleIndex": index[key(f)],
            "level": _LEVEL[f.severity],
            "message": {"text": f"{f.subject}: {f.message}" + (f" (to fix: {f.hint})" if f.hint else "")},
            "partialFingerprints": {"hcodeFinding/v2": fingerprint(f)},
        }
        if f.edition:
            result["properties"] = {"edition": f.edition}
        if f.recorded:  # a past breach explained in the case file: recorded history, not to act on
            result["suppressions"] = [
                {"kind": "inSource", "justification": "reason, apology and learning recorded in the case file"}
            ]
        if f.file:
            location: dict[str, Any] = {"artifactLocation": {"uri": prefix + f.file}}
            if f.line:
                location["region"] = {"startLine": f.line, "startColumn": f.column or 1}
            result["locations"] = [{"physicalLocation": location}]
        results.append(result)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "hcode",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# -- GitHub workflow commands ---------------------------------------------------------------------

_GH_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(findings: Sequence[Finding], *, prefix: str = "") -> str:
    """GitHub Actions annotations (``::error file=...,line=...::message``), one a line."""
    lines = []
    for f in findings:
        props = []
        if f.file:
            props.append(f"file={_gh_property(prefix + f.file)}")
            if f.line:
                props.append(f"line={f.line}")
                props.append(f"col={f.column or 1}")
        rule = f"Code {f.rule}" if f.rule[:1].isdigit() else f.rule
        if f.edition:
            rule += f" ({f.edition})"
        if f.recorded:
            rule += ", recorded"
        props.append(f"title={_gh_property('hcode ' + rule)}")
        message = f"{f.subject}: {f.message}" + (f" (to fix: {f.hint})" if f.hint else "")
        level = "notice" if f.recorded else _GH_LEVEL[f.severity]  # recorded history: nothing to act on
        lines.append(f"::{level} {','.join(props)}::{_gh_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
