"""The rules registry: every rule hcode checks, declared once.

Each family module (``timescales``, ``extensions``, ``handling``, ``refusals``, ``records``,
``privacy``, ``awaab``, ``assessment``, and ``files`` for what the store finds while reading) declares its
rules in a ``RULES`` tuple: a stable name, the severities it can give, a one-line summary, the
Code provisions it stands for (looked up in the edition's catalogue, so a finding carries the
provision number of the edition that judges it), and small YAML examples of a workspace file
that passes and one that fails. The longer documentation is the rule's bullet in its module's
docstring (``* ``name``: ...``), so it is written once, beside the code.

``hcode check`` runs the families listed here; the SARIF rule help, the rule table in
docs/conventions.md and ``hcode rules`` are all made from this registry, and a test runs every
example.

To add a rule: write it in its family (or a new family module added to :data:`FAMILIES`), add a
:class:`Rule` to the module's ``RULES`` with a passing and a failing example, and document it in
the module docstring. The family modules never import this registry (nor the
``hcode.core.rules`` package, which imports it): what they share is in ``context`` and ``spec``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import Literal

from hcode.core.model import Code
from hcode.core.rules import assessment, awaab, extensions, files, handling, privacy, records, refusals, timescales
from hcode.core.rules.spec import CASE_FILE, Example, Ref, Rule

__all__ = ["CASE_FILE", "FAMILIES", "RULES", "Example", "Family", "Ref", "Rule", "find", "lookup", "rule"]


@dataclass(frozen=True)
class Family:
    """A module of rules; ``subject``: what its check function is given."""

    module: ModuleType
    subject: Literal["case", "assessments", "files"]
    rules: tuple[Rule, ...] = field(default=())


def _docs(module: ModuleType, name: str) -> str:
    """The rule's bullet in the module docstring: ``* ``name`` ...: text`` and its continuation."""
    doc = module.__doc__ or ""
    lines = doc.splitlines()
    start = re.compile(r"^\* ``" + re.escape(name) + r"``")
    for i, line in enumerate(lines):
        if start.match(line):
            body = [line[2:]]
            for more in lines[i + 1 :]:
                if not more.strip() or more.startswith("* "):
                    break
                body.append(more.strip())
            text = re.sub(r"^``[^`]+``(?: \([^)]*\))?:\s*", "", " ".join(body)).replace("``", "`")
            return text[:1].upper() + text[1:]
    return ""


def _families() -> tuple[Family, ...]:
    raw: tuple[tuple[ModuleType, Literal["case", "assessments", "files"]], ...] = (
        (files, "files"),
        (records, "case"),
        (timescales, "case"),
        (extensions, "case"),
        (handling, "case"),
        (refusals, "case"),
        (privacy, "case"),
        (awaab, "case"),
        (assessment, "assessments"),
    )
    out = []
    for module, subject in raw:
        family = module.__name__.rsplit(".", 1)[-1]
        rules = tuple(replace(r, family=family, docs=_docs(module, r.name)) for r in module.RULES)
        out.append(Family(module, subject, rules))
    return tuple(out)


FAMILIES: tuple[Family, ...] = _families()
RULES: tuple[Rule, ...] = tuple(r for f in FAMILIES for r in f.rules)
CASE_FAMILIES: tuple[Family, ...] = tuple(f for f in FAMILIES if f.subject == "case")

_BY_NAME = {r.name: r for r in RULES}


def rule(name: str) -> Rule:
    """The rule called ``name`` (KeyError if there is none)."""
    return _BY_NAME[name]


def lookup(rule_id: str, code: Code | None) -> Rule | None:
    """The rule behind a finding's id (a provision number under ``code``, or a rule's name)."""
    if rule_id in _BY_NAME:
        return _BY_NAME[rule_id]
    for r in RULES:
        if rule_id in r.ids(code):
            return r
    return None


def find(key: str, code: Code | None) -> Rule | None:
    """A rule by name or by id, as a person types it (``6.13``, ``different-handler``)."""
    return lookup(key.strip(), code)
