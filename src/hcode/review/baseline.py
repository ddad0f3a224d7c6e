"""Baselines: accept the findings a workspace already has, so CI fails only on new ones.

A landlord adopting hcode has history that can never be put right. The better answer is to
record it in the case files (``stageN.late``: a recorded breach no longer fails ``hcode check``);
a baseline is for everything else a landlord chooses to accept for now. ``hcode baseline``
records today's findings by fingerprint (:func:`hcode.core.model.fingerprint`: rule, severity,
subject and stable facts such as the path in the file and the due date; never the message, whose
words change daily, and never a line number); ``hcode check --baseline`` then leaves those out,
says how many it accepted, and lists entries that no longer occur. A baseline written today
still passes tomorrow: an overdue response's message says one more day late, its fingerprint is
the same.

A version 1 baseline (written by earlier versions of hcode) keyed findings on their message; it is still
read, matched the old way, and ``hcode check`` says to write a new one.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hcode.core.model import Finding, fingerprint
from hcode.errors import HcodeError

FORMAT = 2
READ = (1, 2)


class BaselineError(HcodeError):
    """A baseline file that cannot be used."""


def to_json(findings: Sequence[Finding], as_of: date) -> str:
    entries = []
    for f in findings:
        entry: dict[str, Any] = {
            "fingerprint": fingerprint(f),
            "rule": f.rule,
            "severity": f.severity,
            "subject": f.subject,
            "file": f.file,
        }
        if f.path:
            entry["path"] = ".".join(map(str, f.path))
        if f.due is not None:
            entry["due"] = f.due.isoformat()
        if f.actual is not None:
            entry["actual"] = f.actual.isoformat()
        entry["message"] = f.message  # for people reading the file; not part of the key
        entries.append(entry)
    doc = {"hcode-baseline": FORMAT, "created": as_of.isoformat(), "findings": entries}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


@dataclass
class Baseline:
    version: int
    entries: list[dict[str, Any]]


def parse(text: str) -> Baseline:
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise BaselineError(f"the baseline is not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("hcode-baseline") not in READ:
        raise BaselineError(f"this is not an hcode baseline file (version {FORMAT})")
    entries = doc.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries
    ):
        raise BaselineError("the baseline's findings are not in the expected form")
    return Baseline(int(doc["hcode-baseline"]), entries)


def message_fingerprint(f: Finding) -> str:
    """A version 1 baseline's key: rule, subject, file and message."""
    text = "\x1f".join((f.rule, f.subject, f.file or "", f.message))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass
class Applied:
    remaining: list[Finding]
    accepted: int
    stale: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)


def apply(findings: Sequence[Finding], baseline: Baseline) -> Applied:
    """Leave out findings the baseline accepts (each entry accepts one finding)."""
    key: Callable[[Finding], str] = fingerprint if baseline.version >= 2 else message_fingerprint
    budget = Counter(e["fingerprint"] for e in baseline.entries)
    remaining: list[Finding] = []
    accepted = 0
    for f in findings:
        fp = key(f)
        if budget[fp] > 0:
            budget[fp] -= 1
            accepted += 1
        else:
            remaining.append(f)
    stale: list[dict[str, Any]] = []
    for e in baseline.entries:
        if budget[e["fingerprint"]] > 0:
            budget[e["fingerprint"]] -= 1
            stale.append(e)
    notes = []
    if baseline.version < FORMAT:
        notes.append(
            "this baseline (version 1) matches findings by their message, which changes from day to day: "
            "write a new one with 'hcode baseline'"
        )
    return Applied(remaining, accepted, stale, notes)
