"""Writing what ``hcode import`` read: a self-assessment file, and case files.

The assessment is built as a round-trip YAML document (with a comment naming the source and
one before each section), then passed through ``hcode fmt``'s canonical layout, then checked
with the same strict reader and schema as ``hcode check`` before anything is written. Files are
written with the case commands' guarded writer (lock file, compare with what was read, temporary
file and rename).
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from hcode.core.caseimport import (
    CaseMap,
    DateRejected,
    FieldSpec,
    GuessedMap,
    ImportFailure,
    RowReader,
    RowRejected,
    case_folder,
    is_free_text,
    row_event,
    row_stage,
)
from hcode.core.categories import DEFAULT_CATEGORIES
from hcode.core.dates import DateReader
from hcode.core.identity import fold
from hcode.core.importing import AssessmentImport
from hcode.core.model import Code
from hcode.core.rules import Context, privacy
from hcode.edit.fmt import format_text
from hcode.edit.steps import StepError, dump_rt, load_rt, new_map, put
from hcode.store import yamlread
from hcode.store.convert import ConvertError, record_schema, to_assessment, to_record
from hcode.store.validate import validate
from hcode.store.workspace import read_bytes


def _action_accepts(**fields: Any) -> bool:
    sample = {"year": "2024-25", "provisions": {"1.2": {"actions": [{"action": "a", **fields}]}}}
    return not validate("assessment", sample)


def done_true_allowed() -> bool:
    """Whether the assessment schema accepts ``done: true`` (an action finished, date unknown)."""
    return _action_accepts(done=True)


def loose_due_allowed() -> bool:
    """Whether the assessment schema accepts a month or ``tbc`` as an action's due date."""
    return _action_accepts(due="2025-09") and _action_accepts(due="tbc")


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


def assessment_text(
    result: AssessmentImport, code: Code, year: str, source: str, outside: list[str] | None = None
) -> str:
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
    if result.actions:
        doc["actions"] = _map({"a": result.actions})["a"]
    if result.notes:
        doc["notes"] = _map({DoubleQuotedScalarString(nid): text for nid, text in result.notes.items()})
    extra: dict[str, Any] = {"from": source}
    if result.unplaced:
        extra["rows"] = result.unplaced
    if outside:
        extra["text"] = outside  # the paragraphs outside the tables, in order
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


# ---------------------------------------------------------------------------------------------
# Cases

_PLAIN_START = re.compile(r"[A-Za-z0-9(£]")
_YAML11 = frozenset(("y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"))


_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]|: |:$| #|[\[\]{},]")
_DATE_LIKE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}.*")


def scalar(value: Any) -> str:
    """``value`` as a YAML scalar hcode reads back exactly (plain where safe, else quoted)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    return _text_scalar(str(value))


@functools.lru_cache(maxsize=65536)
def _text_scalar(text: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text):  # a hazard report's date and time: read as text
        return text
    if (
        text
        and _PLAIN_START.match(text)
        and text == text.strip()
        and text.lower() not in _YAML11
        and yamlread.resolve_plain(text) == text
        and not _UNSAFE.search(text)
        and not _DATE_LIKE.fullmatch(text)
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def field_ranks(specs: Iterable[str]) -> dict[str, int]:
    """Position of every field path and of every mapping holding one, in the schema's order."""
    ranks: dict[str, int] = {}
    for i, path in enumerate(specs):
        parts = path.split(".")
        for n in range(1, len(parts) + 1):
            ranks.setdefault(".".join(parts[:n]), i)
    return ranks


def case_text(data: dict[str, Any], ranks: dict[str, int]) -> str:
    """A new case file for ``data``, in ``hcode fmt``'s layout (keys in the schema's order, the
    landlord's own ``x-`` fields after them). For many cases, make one :class:`CaseWriter`."""
    return CaseWriter(ranks).text(data)


class CaseWriter:
    """:func:`case_text` for every case of an import: the order of each set of keys is worked
    out once, and each text and date is written as a scalar once (most rows share them)."""

    def __init__(self, ranks: dict[str, int]) -> None:
        self.ranks = ranks
        self._orders: dict[tuple[str, ...], list[str]] = {}
        self._texts: dict[str, str] = {}
        self._days: dict[date, str] = {}

    def text(self, data: dict[str, Any]) -> str:
        lines: list[str] = []
        self._emit(data, "", "", lines)
        return "\n".join(lines) + "\n"

    def _emit(self, node: dict[str, Any], indent: str, prefix: str, lines: list[str]) -> None:
        key = (prefix, *node)
        order = self._orders.get(key)
        if order is None:
            ranks = self.ranks
            order = self._orders[key] = sorted(node, key=lambda k: ranks.get(prefix + k, 10**6))
        for name in order:
            value = node[name]
            if isinstance(value, dict):
                lines.append(f"{indent}{name}:")
                self._emit(value, indent + "  ", f"{prefix}{name}.", lines)
                continue
            kind = type(value)
            if kind is str:
                text = self._texts.get(value)
                if text is None:
                    text = self._texts[value] = _text_scalar(value)
            elif kind is date:
                text = self._days.get(value)
                if text is None:
                    text = self._days[value] = value.isoformat()
            else:
                text = scalar(value)
            lines.append(f"{indent}{name}: {text}")


def plain(value: Any) -> Any:
    """``value`` with dates as YYYY-MM-DD text, as the strict reader gives them."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


def _leaves(data: dict[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    for key, value in data.items():
        if isinstance(value, dict):
            yield from _leaves(value, f"{prefix}{key}.")
        else:
            yield prefix + key, value


def _get(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return _MISSING
        data = data[part]
    return data


_MISSING = object()


def same(new: Any, old: Any) -> bool:
    """Whether an imported value equals what the file holds (17 = "17", 250.0 = 250)."""
    if old is _MISSING:
        return False
    if isinstance(new, date):
        return str(old) == new.isoformat()
    if isinstance(new, bool) or isinstance(old, bool):
        return new is old or str(new).lower() == str(old).lower()
    if isinstance(new, float) or isinstance(old, float):
        try:
            return float(new) == float(old)
        except (TypeError, ValueError):
            return False
    return str(new) == str(old)


@dataclass
class RowResult:
    label: str
    case_id: str | None
    status: str  # new | updated | unchanged | rejected
    message: str = ""
    rel: str | None = None


@dataclass
class CasePlan:
    results: list[RowResult]
    writes: list[tuple[Path, str, bytes | None]]
    counts: dict[str, int]


def plan_cases(
    root: Path,
    rows: Any,
    m: CaseMap,
    specs: dict[str, FieldSpec],
    ctx: Context,
    progress: Callable[[int, int], None] | None = None,
) -> CasePlan:
    """Decide each row's fate (new, updated, unchanged or rejected) and the texts to write.

    Reads the existing case files it needs; writes nothing. Raises ImportFailure (a column the
    mapping names is missing, a date column that fits no format). ``progress(advance, total)``
    is told of the rows read and the cases decided (two steps per row), every 1,000.
    """
    from hcode.store.workspace import list_yaml_files

    root = Path(os.path.abspath(root))  # every path written is then absolute, found with no lookups
    index: dict[str, int] = {}
    positions = {h: i for i, h in reversed(list(enumerate(rows.headings)))}
    folded = {" ".join(h.lower().split()): i for h, i in positions.items()}
    missing = []
    for path, heading in m.columns.items():
        if heading in positions:
            index[path] = positions[heading]
        elif " ".join(heading.lower().split()) in folded:
            index[path] = folded[" ".join(heading.lower().split())]
        else:
            missing.append(f"{path}: {heading!r}")
    if missing:
        raise ImportFailure(
            f"the mapping names columns that are not in the header row: {'; '.join(missing)}",
            f"the columns are: {', '.join(repr(h) for h in rows.headings)}",
        )
    free = [p for p in m.columns if is_free_text(p, specs)]
    writers = {"case": CaseWriter(field_ranks(specs))}  # and "hazard", made when a row is one
    dates = DateReader(m.dates)
    read_row = RowReader(index, specs, m, dates)
    files, _ = list_yaml_files(root, "cases", stat=False)
    existing = {fold(rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]): rel for rel, _, _ in files}
    results: list[RowResult | None] = []
    writes: list[tuple[Path, str, bytes | None]] = []
    groups: dict[str, tuple[dict[str, Any], list[int]]] = {}  # case id -> merged data, its rows
    seen: dict[tuple[str, int | str | None], str] = {}
    bad_dates: dict[str, ImportFailure] = {}  # column path -> the first value no format reads
    total = 2 * len(rows.rows)
    told = 0

    def tell(upto: int) -> None:
        nonlocal told
        if progress is not None and upto > told:
            progress(upto - told, total)
            told = upto

    for n, (row, label) in enumerate(zip(rows.rows, rows.labels, strict=True), start=1):
        if n % 1000 == 0:
            tell(n)
        try:
            stage = row_stage(row, index, m, label)
            event = row_event(row, index, m, specs)
            data = read_row(row, label, stage, event)
        except RowRejected as exc:
            if isinstance(exc, DateRejected):
                bad_dates.setdefault(exc.column, exc.failure)
            i = index["id"]
            raw = row[i] if i < len(row) else None
            shown = str(raw).strip() if raw is not None and str(raw).strip() else None
            results.append(RowResult(label, shown, "rejected", exc.message))
            continue
        case_id = str(data["id"])
        key = fold(case_id)  # C-1 and c-1 are one case (ids compare as people read them)
        seen_key = (key, stage or event)
        if seen_key in seen:
            also = f"case id {case_id}" + (f" stage {stage}" if stage else f" event {event}" if event else "")
            results.append(RowResult(label, case_id, "rejected", f"{also} is also on {seen[seen_key]}"))
            continue
        seen[seen_key] = label
        if key in groups:
            merged, members = groups[key]
            clash = next((p for p, v in _leaves(data) if not _fits(merged, p, v)), None)
            if clash is not None:
                where = rows.labels[members[0]]  # one result per row, so positions are rows
                results.append(RowResult(label, case_id, "rejected", f"{clash} differs from {where}"))
                continue
            for p, v in _leaves(data):
                _set_path(merged, p, v)
            members.append(len(results))
        else:
            groups[key] = (data, [len(results)])
        results.append(None)  # decided below, once all the case's rows are read
    for path, failure in bad_dates.items():
        # a column where no value fits a format: the formats are wrong, not the rows
        i = index[path]
        if not any(i < len(row) and str(row[i] or "").strip() and dates.read(row[i]) is not None for row in rows.rows):
            raise failure
    tell(len(rows.rows))
    for n, (data, members) in enumerate(groups.values(), start=1):
        case_id = str(data["id"])
        if n % 1000 == 0:
            tell(len(rows.rows) + n * len(rows.rows) // len(groups))
        outcome = _decide(root, case_id, data, existing, m, free, ctx, writers, writes)
        first = rows.labels[members[0]]  # one result per row, in the rows' order
        for n, i in enumerate(members):
            message = outcome.message if n == 0 else f"with {first}"
            results[i] = RowResult(rows.labels[i], case_id, outcome.status, message, outcome.rel)
    tell(total)
    decided = [r for r in results if r is not None]
    counts = {s: 0 for s in ("new", "updated", "unchanged", "rejected")}
    for r in decided:
        counts[r.status] += 1
    return CasePlan(decided, writes, counts)


def _fits(merged: dict[str, Any], path: str, value: Any) -> bool:
    """Whether a second row's value agrees with what the case's rows so far said."""
    old = _get(merged, path)
    return old is _MISSING or old == value


def _set_path(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        data = data.setdefault(part, {})
    data[parts[-1]] = value


@dataclass
class _Outcome:
    status: str
    message: str = ""
    rel: str | None = None


def _decide(
    root: Path,
    case_id: str,
    data: dict[str, Any],
    existing: dict[str, str],
    m: CaseMap,
    free: list[str],
    ctx: Context,
    writers: dict[str, CaseWriter],
    writes: list[tuple[Path, str, bytes | None]],
) -> _Outcome:
    """New, updated, unchanged or rejected, for one case; adds what to write to ``writes``."""
    kind = "hazard" if data.get("kind") == "hazard" else "case"
    writer = writers.get(kind)
    if writer is None:  # a hazard report: its own schema's order, filed by the year aware
        from hcode.store.documents import hazard_fields

        writer = writers[kind] = CaseWriter(field_ranks(hazard_fields()))
    ranks = writer.ranks
    text = writer.text(data)
    rel = existing.get(fold(case_id))
    if rel is None:
        first = data.get("received", data.get("aware"))
        year = first.year if isinstance(first, date) else str(first)[:4] if first else ""
        rel = f"{case_folder(m.folder, year)}/{case_id}.yaml"
        # A new case from the mapping: every date was read and range-checked cell by cell
        # (RowReader), so converting it as `check` does can find nothing more; only a case with
        # free text is converted, for the personal-data check.
        problem = _problem(plain(data), rel, free, ctx, convert=bool(free))
        if problem:
            return _Outcome("rejected", problem)
        writes.append((root / rel, text, None))
        return _Outcome("new", rel=rel)
    limit = ctx.settings.max_file_bytes
    # the store's reader: an unreadable file, or one over the workspace's size limit, is refused
    # as `check` refuses it, and never read whole into memory
    original = read_bytes(f"{root}{os.sep}{rel}", rel, limit)
    if not isinstance(original, bytes):
        return _Outcome("rejected", f"fix {rel} first: {original.message}", rel)
    if original == text.encode("utf-8"):
        return _Outcome("unchanged", rel=rel)
    try:
        current_text = yamlread.check_bytes(original, limit)
        # the strict reader: the fast one writes its parser's own messages to the terminal
        # (it runs only in worker processes, whose standard error goes nowhere)
        current = yamlread.parse(current_text)
    except yamlread.YamlError as exc:
        return _Outcome("rejected", f"fix {rel}:{exc.line or 1} first: {exc.message}", rel)
    changes = [(p, v) for p, v in _leaves(data) if not same(v, _get(current, p))]
    if not changes:
        return _Outcome("unchanged", rel=rel)
    doc = load_rt(current_text)
    for p, v in changes:
        _put_path(doc, p, v, ranks)
    new_text = dump_rt(doc)
    try:
        value = yamlread.parse(new_text)
    except yamlread.YamlError as exc:  # pragma: no cover - ruamel writes what it read
        return _Outcome("rejected", exc.message, rel)
    problem = _problem(value, rel, free, ctx)
    if problem:
        return _Outcome("rejected", problem, rel)
    writes.append((root / rel, new_text, original))
    return _Outcome("updated", ", ".join(p for p, _ in changes), rel)


def _put_path(doc: Any, path: str, value: Any, ranks: dict[str, int]) -> None:
    parts = path.split(".")
    node = doc
    prefix = ""
    for part in parts[:-1]:
        if part not in node or not hasattr(node[part], "items"):
            _insert(node, part, new_map(), prefix, ranks)
        node = node[part]
        prefix += part + "."
    _insert(node, parts[-1], value, prefix, ranks)


def _insert(node: Any, key: str, value: Any, prefix: str, ranks: dict[str, int]) -> None:
    order = sorted((k for k in ranks if k.startswith(prefix) and "." not in k[len(prefix) :]), key=ranks.__getitem__)
    put(node, key, value, [k[len(prefix) :] for k in order])


def _problem(value: dict[str, Any], rel: str, free: list[str], ctx: Context, *, convert: bool = True) -> str | None:
    """Why this case cannot be written (schema, conversion or personal data), or None
    (``convert``: False for a new case with no free text, whose dates the mapping checked)."""
    problems = validate(record_schema(value), value)
    if problems:
        return problems[0].message
    if not convert:
        return None
    try:
        case = to_record(value, rel)
    except ConvertError as exc:
        return exc.problems[0].message
    if free:
        for finding in privacy.check(case, (), ctx):
            return f"{finding.message} (nothing from this row was imported)"
    return None


def guess_lines(guess: GuessedMap) -> list[str]:
    """Each column's guess with its reason, for the terminal."""
    chosen = {h: p for p, h in guess.columns.items()}
    free = {h: p for p, h in guess.free_text.items()}
    out: list[str] = []
    for path, headings in guess.competing.items():
        out.append(f"{path}: {', '.join(repr(h) for h in headings)} all fit; neither is chosen: map the right one")
    for heading, why in guess.reasons.items():
        if heading in chosen:
            out.append(f"{heading!r} -> {chosen[heading]} ({why})")
        elif heading in free:
            out.append(f"{heading!r} -> {free[heading]}, left out: free text ({why})")
        elif not any(heading in hs for hs in guess.competing.values()):
            out.append(f"{heading!r}: not mapped ({why})")
    return out


def category_offer(guess: GuessedMap, known: Mapping[str, str] | None, source: str) -> list[str]:
    """The export's categories that hcode.yaml does not declare, offered as its ``categories:``."""
    from hcode.core.caseimport import slug
    from hcode.core.categories import is_known

    new = [c for c in guess.categories if not is_known(c, known)]
    if not new:
        return []
    out = [
        f"Categories in {source} that hcode.yaml does not declare: {', '.join(repr(c) for c in new)}. "
        "Add them to hcode.yaml's categories (below), or map each to one of yours under values: category:"
    ]
    out.append("categories:")
    for slug_, name in (known or DEFAULT_CATEGORIES).items():
        out.append(f"  {slug_}: {scalar(name)}")
    for c in new:
        out.append(f"  {slug(c) or 'other'}: {scalar(c)}")
    return out


def map_text(guess: GuessedMap, source: str, kind: str | None = None) -> str:
    """``import-map.yaml`` for a guessed mapping, with comments saying what to check."""
    out = [
        f"# Mapping for 'hcode import cases', guessed from the header row of {source}.",
        "# Check every line: which column holds each case field ('hcode schema case' lists the fields).",
        "# Free-text columns may hold personal data: they are imported only if you map them here,",
        "# and each value is then checked for email addresses, phone numbers and postcodes.",
        "columns:",
    ]
    for path, heading in guess.columns.items():
        why = guess.reasons.get(heading)
        out.append(f"  {path}: {scalar(heading)}" + (f"  # {why}" if why else ""))
    for path, headings in guess.competing.items():
        out.append(f"  # {len(headings)} columns could be {path}; neither is chosen: keep the right one")
        for heading in headings:
            out.append(f"  # {path}: {scalar(heading)}")
    if guess.free_text:
        out.append("  # Free text, not imported unless you remove the '# ' (may hold personal data):")
        for path, heading in guess.free_text.items():
            out.append(f"  # {path}: {scalar(heading)}")
    if guess.unknown:
        out.append("  # Not recognised, not imported (map one as e.g. x-crm-status: Status to keep it):")
        for heading in guess.unknown:
            out.append(f"  # x-{'-'.join(heading.lower().split()) or 'column'}: {scalar(heading)}")
    out.append("dates:  # the formats the export uses, tried in order (excel: Excel serial numbers)")
    for pattern in guess.dates:
        out.append(f"  - {scalar(pattern)}")
    if guess.values:
        out.append("values:  # the export's values -> hcode's; an empty one rejects its rows until you fill it in")
        for path, table in guess.values.items():
            out.append(f"  {path}:")
            for value, mapped in table.items():
                out.append(f"    {scalar(value)}:" + (f" {mapped}" if mapped else ""))
    if guess.id_replace:
        out.append("ids:  # the export's ids hold characters a case id cannot: the original is kept as x-source-id")
        out.append("  replace:")
        for ch, to in guess.id_replace.items():
            out.append(f"    {json.dumps(ch, ensure_ascii=False)}: {json.dumps(to)}")
    out.append("folder: cases/{year}  # where new case files go ({year}: the year received)")
    kind = kind or guess.kind
    why = " (the export's headings are a hazard report's)" if kind == "hazard" else ""
    out.append(f"kind: {kind}  # the kind of every row, unless a column gives it{why}")
    return "\n".join(out) + "\n"
