"""Writing what ``hcode import`` read: a self-assessment file, and case files.

The assessment is built as a round-trip YAML document (with a comment naming the source and
one before each section), then passed through ``hcode fmt``'s canonical layout, then checked
with the same strict reader and schema as ``hcode check`` before anything is written. Files are
written with the case commands' guarded writer (lock file, compare with what was read, temporary
file and rename).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hcode.core.importing import AssessmentImport
from hcode.core.model import Code
from hcode.edit.fmt import format_text
from hcode.edit.steps import StepError, dump_rt
from hcode.store import yamlread
from hcode.store.convert import ConvertError, to_assessment
from hcode.store.validate import schema, validate


def done_true_allowed() -> bool:
    """Whether the assessment schema accepts ``done: true`` (an action finished, date unknown)."""
    done = schema("assessment")["$defs"]["action"]["properties"].get("done", {})
    text = repr(done)
    return "'boolean'" in text or "True" in text


def _text(value: str) -> Any:
    from ruamel.yaml.scalarstring import LiteralScalarString

    return LiteralScalarString(value) if "\n" in value else value


def _map(data: dict[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    out = CommentedMap()
    for key, value in data.items():
        if isinstance(value, dict):
            out[key] = _map(value)
        elif isinstance(value, list):
            seq = CommentedSeq()
            for item in value:
                seq.append(_map(item) if isinstance(item, dict) else _text(item) if isinstance(item, str) else item)
            out[key] = seq
        elif isinstance(value, str):
            out[key] = _text(value)
        else:
            out[key] = value
    return out


def assessment_text(result: AssessmentImport, code: Code, year: str, source: str) -> str:
    """The assessment file for ``result``, in ``hcode fmt``'s layout, checked like ``hcode check``."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    doc = CommentedMap()
    doc["code"] = code.code
    doc["year"] = year
    doc["completed"] = None
    doc["approved"] = None
    provisions = CommentedMap()
    order = {pid: i for i, pid in enumerate(code.provisions)}
    section_of = {p.id: s for s in code.sections for p in s.provisions}
    last_section = None
    for pid in sorted(result.provisions, key=lambda p: order.get(p, 10**6)):
        key = DoubleQuotedScalarString(pid)
        provisions[key] = _map(result.provisions[pid])
        section = section_of.get(pid)
        if section is not None and section.number != last_section:
            provisions.yaml_set_comment_before_after_key(
                key, before=f"Section {section.number}: {section.title}", indent=2
            )
            last_section = section.number
    doc["provisions"] = provisions
    extra: dict[str, Any] = {"from": source}
    if result.unplaced:
        extra["rows"] = result.unplaced
    doc["x-imported"] = _map(extra)
    doc.yaml_set_start_comment(
        f"Self-assessment against the {code.title} ({code.code}), {year}.\n"
        f"Imported from {source} by 'hcode import assessment': check every answer against the document,\n"
        "then fill in 'completed' and 'approved'. Text the importer could not place is under x-imported."
    )
    text = format_text(dump_rt(doc), "assessment")
    check_assessment_text(text, "assessments/" + year + ".yaml")
    return text


def check_assessment_text(text: str, rel: str) -> None:
    """StepError unless ``text`` is an assessment ``hcode check`` can read."""
    value = yamlread.parse(text)
    problems = validate("assessment", value)
    if not problems:
        try:
            to_assessment(value, rel)
            return
        except ConvertError as exc:
            problems = exc.problems
    first = problems[0]
    raise StepError(
        f"the imported assessment would not be valid: {first.message} (at {'/'.join(map(str, first.path))})"
    )


Writer = Callable[[Any, str, bytes | None], None]
