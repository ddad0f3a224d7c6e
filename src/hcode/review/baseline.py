"""Baselines: accept the findings a workspace already has, so CI fails only on new ones.

A landlord adopting hcode has late responses in its history that can never be put right.
``hcode baseline`` records today's findings by fingerprint (rule, subject, file and message:
no line numbers, so moving or reformatting lines keeps them matched); ``hcode check --baseline``
then leaves those out, says how many it accepted, and lists entries that no longer occur.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from hcode.core.model import Finding, fingerprint
from hcode.errors import HcodeError

FORMAT = 1


class BaselineError(HcodeError):
    """A baseline file that cannot be used."""


def to_json(findings: Sequence[Finding], as_of: date) -> str:
    entries = [
        {
            "fingerprint": fingerprint(f),
            "rule": f.rule,
            "severity": f.severity,
            "subject": f.subject,
            "file": f.file,
            "message": f.message,
        }
        for f in findings
    ]
    doc = {"hcode-baseline": FORMAT, "created": as_of.isoformat(), "findings": entries}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def parse(text: str) -> list[dict[str, Any]]:
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise BaselineError(f"the baseline is not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("hcode-baseline") != FORMAT:
        raise BaselineError("this is not an hcode baseline file (version 1)")
    entries = doc.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries
    ):
        raise BaselineError("the baseline's findings are not in the expected form")
    return entries


@dataclass
class Applied:
    remaining: list[Finding]
    accepted: int
    stale: list[dict[str, Any]]


def apply(findings: Sequence[Finding], entries: Sequence[dict[str, Any]]) -> Applied:
    """Leave out findings the baseline accepts (each entry accepts one finding)."""
    budget = Counter(e["fingerprint"] for e in entries)
    remaining: list[Finding] = []
    accepted = 0
    for f in findings:
        fp = fingerprint(f)
        if budget[fp] > 0:
            budget[fp] -= 1
            accepted += 1
        else:
            remaining.append(f)
    stale: list[dict[str, Any]] = []
    for e in entries:
        if budget[e["fingerprint"]] > 0:
            budget[e["fingerprint"]] -= 1
            stale.append(e)
    return Applied(remaining, accepted, stale)
