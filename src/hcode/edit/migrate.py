"""Starting this year's self-assessment from last year's answers on an earlier form.

:func:`migrated_text` takes the blank form of the new edition (the same one ``hcode init``
writes) and fills in each provision a mapping row leads to from an answer of last year's
file: comply (where the new form allows the answer), evidence, commentary and the actions
not yet done. Every carried answer gets a ``review:`` line naming where it came from; ``hcode
check`` reports it (``assessment.review``) until someone has checked the answer against the
new wording and deleted the line. Provisions no row leads to are left blank to answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from hcode.core.mapping import Mapping, MappingRow
from hcode.core.model import Action, Answer, Assessment, Code
from hcode.edit import scaffold
from hcode.edit.fmt import format_text


@dataclass
class Migration:
    text: str
    carried: list[str] = field(default_factory=list)  # new provisions given a carried answer
    blank: list[str] = field(default_factory=list)  # new provisions left to answer
    dropped: list[str] = field(default_factory=list)  # last year's answers no row carries
    actions: int = 0  # open actions of the assessment's own action plan carried
    unlinked: list[str] = field(default_factory=list)  # provisions those actions lose (no row)


def _q(text: str) -> str:
    """A YAML scalar for any text (JSON strings are YAML double-quoted scalars)."""
    return json.dumps(text, ensure_ascii=False)


def _due(a: Action) -> str | None:
    if a.due is not None:
        return a.due.isoformat()
    if a.due_month is not None:
        return f"{a.due_month[0]:04d}-{a.due_month[1]:02d}"
    return "tbc" if a.due_tbc else None


def _comply(answer: Answer) -> str | None:
    if answer.not_applicable:
        return "n/a"
    if answer.comply_word:
        return answer.comply_word
    return None if answer.comply is None else ("yes" if answer.comply else "no")


def _remap(provisions: tuple[str, ...], mapping: Mapping, result: Migration, leave: str = "") -> list[str]:
    """The new edition's provisions for last year's ``provisions`` (``leave`` left out); those with
    no row in the mapping are named in ``result.unlinked``."""
    targets: list[str] = []
    for pid in provisions:
        found = [r.target for r in mapping.targets(pid) if r.target is not None]
        if not found and pid not in result.unlinked:
            result.unlinked.append(pid)
        targets += [t for t in found if t not in targets and t != leave]
    return targets


def _action_lines(a: Action, indent: str, provisions: list[str] | None) -> list[str]:
    """An open action as YAML lines (``provisions`` None: none written)."""
    out = [f"{indent}- action: {_q(a.action)}"]
    if provisions is not None:
        out.append(f"{indent}  provisions: [" + ", ".join(_q(t) for t in provisions) + "]")
    if a.owner:
        out.append(f"{indent}  owner: {_q(a.owner)}")
    due = _due(a)
    if due:
        out.append(f"{indent}  due: {due if a.due is not None else _q(due)}")
    if a.progress:
        out.append(f"{indent}  progress: [" + ", ".join(_q(x) for x in a.progress) + "]")
    return out


def _block(
    pid: str,
    sources: list[tuple[MappingRow, Answer]],
    old: Assessment,
    old_code: Code,
    new: Code,
    mapping: Mapping,
    result: Migration,
) -> list[str]:
    """The YAML lines of one provision carried from ``sources`` (last year's answers)."""
    answers = [a for _, a in sources]
    values = {_comply(a) for a in answers if _comply(a) is not None}
    notes: list[str] = []
    comply = values.pop() if len(values) == 1 else None
    if len(values) > 0:
        notes.append("last year's answers differed: choose one")
    if comply == "n/a" and not new.form.allows_na:
        notes.append(f"it was N/A, which the {new.code} form ({new.form.answers_text}) does not allow")
        comply = None
    if any(row.unconfirmed for row, _ in sources):
        notes.append("the mapping is hcode's reading")
    ids = ", ".join(row.source for row, _ in sources)
    review = f"carried from {old.year} ({old_code.code} {ids})" + ("; " + "; ".join(notes) if notes else "")
    evidence: list[str] = []
    for a in answers:
        evidence += [e for e in a.evidence if e not in evidence]
    commentary = [a.commentary for a in answers if a.commentary]
    if len(commentary) > 1:
        commentary = [f"({old_code.code} {row.source}) {a.commentary}" for row, a in sources if a.commentary]
    lines = [f"  {_q(pid)}:", f"    comply: {comply or ''}".rstrip()]
    lines.append("    evidence: [" + ", ".join(_q(e) for e in evidence) + "]")
    lines.append(f"    commentary: {_q(chr(10).join(commentary))}" if commentary else "    commentary:")
    open_actions = [x for a in answers for x in a.actions if not x.is_done]
    if open_actions:
        lines.append("    actions:")
        for x in open_actions:
            further = _remap(x.provisions, mapping, result, leave=pid) if x.provisions else None
            lines += _action_lines(x, "      ", further)
    lines.append(f"    review: {_q(review)}")
    return lines


def migrated_text(old: Assessment, old_code: Code, new: Code, mapping: Mapping, year: str) -> Migration:
    """This ``year``'s self-assessment on ``new``'s form, started from ``old`` (answered on
    ``old_code``'s form) where ``mapping`` carries an answer."""
    sources: dict[str, list[tuple[MappingRow, Answer]]] = {}
    carried_from: set[str] = set()
    for pid, answer in old.answers.items():
        for row in mapping.targets(pid):
            if row.target is not None and row.target in new.provisions and new.provisions[row.target].assessed:
                sources.setdefault(row.target, []).append((row, answer))
                carried_from.add(pid)
    blank_form = scaffold.assessment(new, year).splitlines()
    out: list[str] = [
        f"# Started on {date.today().isoformat()} by 'hcode assessment migrate' from {old.file} ({old_code.code}),",
        f"# using {mapping.file}. Each carried answer has a review: line; check the answer against",
        "# this edition's wording, then delete the line ('hcode check' lists those still to review).",
    ]
    result = Migration("")
    i = 0
    while i < len(blank_form):
        line = blank_form[i]
        stripped = line.strip()
        key = line.startswith("  ") and not line.startswith("   ") and stripped.endswith(":")
        pid = stripped[:-1] if key else ""
        if pid in new.provisions:
            if pid in sources:
                out += _block(pid, sources[pid], old, old_code, new, mapping, result)
                result.carried.append(pid)
            else:
                out.append(f"  {_q(pid)}:")
                out += blank_form[i + 1 : i + 4]
                result.blank.append(pid)
            i += 4  # the id line, comply, evidence, commentary
            continue
        out.append(line)
        i += 1
    result.dropped = [pid for pid in old.answers if pid not in carried_from]
    if old.notes:  # answers carried may say "see note 1": the notes come too
        out.append("notes:")
        out += [f"  {_q(key)}: {_q(text)}" for key, text in old.notes.items()]
    plan = [a for a in old.actions if not a.is_done]
    if plan:
        out.append("actions:")
        for a in plan:
            out += _action_lines(a, "  ", _remap(a.provisions, mapping, result))
        result.actions = len(plan)
    result.text = format_text("\n".join(out) + "\n", "assessment")
    return result
