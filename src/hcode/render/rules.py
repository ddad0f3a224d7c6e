"""The rules registry as text: the table in docs/conventions.md and ``hcode rules``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hcode.core.model import Code
from hcode.core.rules.spec import Example, Rule


def ids_text(rule: Rule, code: Code | None) -> str:
    return ", ".join(rule.ids(code))


def markdown_table(rules: Sequence[Rule], code: Code | None) -> str:
    """The rule table of docs/conventions.md (ids as the edition ``code`` numbers them)."""
    lines = ["| id | rule | severity | what |", "|---|---|---|---|"]
    for r in rules:
        ids = ", ".join(f"`{i}`" for i in r.ids(code))
        name = "" if r.ids(code) == (r.name,) else f"`{r.name}`"
        what = r.summary.replace("|", "\\|")
        lines.append(f"| {ids} | {name} | {' / '.join(r.severities)} | {what} |")
    return "\n".join(lines) + "\n"


def listing(rules: Sequence[Rule], code: Code | None) -> list[tuple[str, str, str, str]]:
    """Rows for ``hcode rules``: id(s), name, severities, summary."""
    return [
        (ids_text(r, code), "" if r.ids(code) == (r.name,) else r.name, "/".join(r.severities), r.summary)
        for r in rules
    ]


def _example(e: Example) -> list[str]:
    if e.base == "example" and not e.text:
        return [f"  ({e.note})"] if e.note else ["  (the bundled example workspace)"]
    out = [f"  # {e.file}, checked as on {e.as_of}" + (f": {e.note}" if e.note else "")]
    out += ["  " + line for line in e.text.rstrip("\n").splitlines()]
    for path, text in e.others:
        out.append(f"  # and {path}:")
        out += ["  " + line for line in text.rstrip("\n").splitlines()]
    return out


def explain(rule: Rule, code: Code | None) -> str:
    """``hcode rules show NAME``: what the rule checks, its ids, its examples."""
    lines = [f"{ids_text(rule, code)}: {rule.summary}"]
    lines.append(f"rule: {rule.name} ({rule.family}); severity: {' / '.join(rule.severities)}")
    if code is not None:
        for i in rule.ids(code):
            p = code.provisions.get(i)
            if p is not None:
                lines.append(f"Code {i} ({code.code}): {p.text}")
    lines.append("")
    lines.append(rule.docs)
    if rule.passing:
        lines.append("")
        lines.append("Passes:")
        for e in rule.passing:
            lines += _example(e)
    if rule.failing:
        lines.append("")
        lines.append("Fails:")
        for e in rule.failing:
            lines += _example(e)
    if rule.no_examples:
        lines.append("")
        lines.append(f"No examples: {rule.no_examples}.")
    return "\n".join(lines) + "\n"


def _example_doc(e: Example) -> dict[str, object]:
    return {
        "file": e.file or None,
        "text": e.text,
        "as_of": e.as_of.isoformat(),
        "base": e.base,
        "note": e.note or None,
        "others": [{"file": f, "text": t} for f, t in e.others],
    }


def rules_doc(rules: Sequence[Rule], code: Code) -> dict[str, Any]:
    """Every rule as ``hcode rules --format json`` prints it: ids (as ``code`` numbers them),
    name, family, severities, summary, docs, and the passing and failing examples."""
    doc = [
        {
            "ids": list(r.ids(code)),
            "rule": r.name,
            "family": r.family,
            "severities": list(r.severities),
            "summary": r.summary,
            "docs": r.docs,
            "passing": [_example_doc(e) for e in r.passing],
            "failing": [_example_doc(e) for e in r.failing],
        }
        for r in rules
    ]
    return {"hcode": 1, "code": code.code, "rules": doc}
