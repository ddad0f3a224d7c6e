"""Case records from a case-management export: one row per complaint (pure: no I/O).

A mapping (``import-map.yaml``, read by the store) names the column that holds each case field
(``id``, ``received``, ``stage1.responded``, ``x-crm-status``...), the date formats the export
uses, and value maps (``Stage 1 - Upheld`` → ``upheld``). :func:`row_to_case` turns one row into
the case as plain data, or says why it cannot (:class:`RowRejected`: the row is reported and
skipped) or why the whole file cannot be imported (:class:`ImportFailure`: a date that fits no
format, a value the mapping cannot place). :func:`guess_map` proposes a mapping from a header.

Free-text fields (the complaint definition, learning, reasons, notes, and the landlord's own
``x-`` fields) are imported only when the mapping names them; :func:`guess_map` never does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hcode.core.calendar import out_of_range
from hcode.core.dates import DateReader as DateReader  # the one reader of dates, used here
from hcode.core.dates import format_problem, strptime_format
from hcode.core.importing import words
from hcode.core.text import shorten
from hcode.errors import HcodeError


@dataclass(frozen=True)
class FieldSpec:
    """A case field the mapping may name: its dotted path and what it holds."""

    path: str
    kind: str  # date | enum | flag | number | text
    choices: tuple[Any, ...] = ()
    #: the kinds of case whose rows hold this field (empty: every kind); in an export of mixed
    #: rows, a row's cell under another kind's field is not read
    kinds: tuple[str, ...] = ()


DEFAULT_DATES = ("DD/MM/YYYY", "DD/MM/YYYY HH:mm", "YYYY-MM-DD", "YYYY-MM-DD HH:mm", "excel")
REFERENCE_FIELDS = frozenset(("id", "category", "stage1.handler", "stage2.handler", "kind", "hazard", "complaint"))


@dataclass
class CaseMap:
    """What ``import-map.yaml`` says."""

    columns: dict[str, str]  # field path → column heading
    dates: list[str] = field(default_factory=lambda: list(DEFAULT_DATES))
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    folder: str = "cases/{year}"
    kind: str = "complaint"
    # ``ids: replace:``: characters of the export's ids -> what the case id uses ("/" -> "-");
    # a changed id keeps the export's own as ``x-source-id``
    id_replace: dict[str, str] = field(default_factory=dict)


#: The one placeholder ``folder:`` may hold (substituted as text, never as a format string).
YEAR_FIELD = "{year}"


def case_folder(folder: str, year: int | str) -> str:
    """``folder:`` of ``import-map.yaml`` with ``{year}`` replaced by ``year``."""
    return folder.replace(YEAR_FIELD, str(year)).rstrip("/")


class ImportFailure(HcodeError):
    """The file cannot be imported as mapped (nothing written)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class RowRejected(HcodeError):
    """This row cannot become a case; it is reported with its reason and skipped."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DateRejected(RowRejected):
    """A date cell no format reads (an impossible day, or a form the others do not have): the
    row is rejected alone, unless no value of its column fits a format, when the whole file is
    refused (``failure`` says why)."""

    def __init__(self, message: str, column: str, failure: ImportFailure) -> None:
        super().__init__(message)
        self.column = column
        self.failure = failure


# ---------------------------------------------------------------------------------------------
# Dates


def check_formats(patterns: Sequence[str]) -> list[str]:
    """The strptime formats of ``patterns``, or ImportFailure naming one with no day, month or year."""
    for p in patterns:
        problem = format_problem(p)
        if problem is not None:
            raise ImportFailure(problem, "write formats like DD/MM/YYYY, YYYY-MM-DD HH:mm or excel")
    return [strptime_format(p) for p in patterns]


# ---------------------------------------------------------------------------------------------
# Values


def slug(text: str) -> str:
    return "-".join(words(text))


_FLAG_TRUE = frozenset(("yes", "y", "true", "1", "ticked"))
_FLAG_FALSE = frozenset(("no", "n", "false", "0"))


_STAGE_WORDS = {"1": 1, "one": 1, "2": 2, "two": 2}


def row_stage(row: Sequence[Any], where: dict[str, int], m: CaseMap, label: str) -> int | None:
    """The stage a row is about, where the export has one row per stage (a ``stage`` column in
    the mapping); None for one row per complaint."""
    if "stage" not in where:
        return None
    i = where["stage"]
    raw = row[i] if i < len(row) else None
    text = "" if raw is None else str(int(raw) if isinstance(raw, float) and raw.is_integer() else raw).strip()
    mapped = m.values.get("stage", {})
    if text in mapped:
        text = mapped[text]
    found = {_STAGE_WORDS[w] for w in words(text) if w in _STAGE_WORDS}
    if len(found) != 1:
        raise RowRejected(f"column {m.columns['stage']!r}: {text!r} is not stage 1 or stage 2")
    return found.pop()


def row_event(row: Sequence[Any], where: dict[str, int], m: CaseMap, specs: dict[str, FieldSpec]) -> str | None:
    """The date field a row's event fills, where the export has one row per event (an ``event``
    column and an ``event.date`` column in the mapping); None for other exports."""
    if "event" not in where:
        return None
    i = where["event"]
    raw = row[i] if i < len(row) else None
    text = "" if raw is None else str(raw).strip()
    mapped = m.values.get("event", {})
    path = mapped.get(text) or {slug(k): v for k, v in mapped.items()}.get(slug(text))
    if path is None and text in specs:
        path = text
    if path is None or specs.get(path, FieldSpec(path, "text")).kind != "date":
        raise RowRejected(
            f"column {m.columns['event']!r}: {shorten(text)!r} is not an event the mapping names; "
            "add it under values: event: (e.g. Stage 1 response sent: stage1.responded)"
        )
    return path


def row_to_case(
    row: Sequence[Any],
    where: dict[str, int],
    specs: dict[str, FieldSpec],
    m: CaseMap,
    dates: DateReader,
    label: str,
    stage: int | None = None,
    event: str | None = None,
) -> dict[str, Any]:
    """The case a row describes, as plain data (dates as ``date``).

    ``where``: field path → column index. ``label``: how to name the row in messages
    ("line 12"). ``stage``: for an export with one row per stage, the row's stage; the mapping's
    ``stage.FIELD`` columns then fill ``stage1.FIELD`` or ``stage2.FIELD``. ``event``: for an
    export with one row per event, the field the row's ``event.date`` fills. Raises RowRejected
    for a row that cannot be a case, ImportFailure for a value the mapping cannot read (a date
    fitting no format). For many rows, make one :class:`RowReader` and call it for each.
    """
    return RowReader(where, specs, m, dates)(row, label, stage, event)


@dataclass(frozen=True)
class _Target:
    """Where one column's value goes, and how it is read (worked out once per export)."""

    path: str
    parts: tuple[str, ...]
    spec: FieldSpec
    mapped: dict[str, str]  # the mapping's value map for the column
    choices: dict[str, Any]  # an enum's values as text -> the value
    loose: dict[str, str]  # the value map by slug


class RowReader:
    """:func:`row_to_case` for every row of one export: what each column holds, its field, its
    value map and its choices are worked out once, not once a row."""

    def __init__(self, where: dict[str, int], specs: dict[str, FieldSpec], m: CaseMap, dates: DateReader) -> None:
        self.m = m
        self.dates = dates
        self.specs = specs
        self._targets: dict[str, _Target] = {}
        # the kind column first: each row is split to its own kind's fields
        self.columns = [
            # (its field, where it is, its heading, the target where it does not depend on the row)
            (column_path, index, m.columns[column_path], self._static(column_path))
            for column_path, index in sorted(where.items(), key=lambda item: item[0] != "kind")
            if column_path not in ("stage", "event")
        ]

    def _static(self, column_path: str) -> _Target | None:
        dynamic = column_path == "event.date" or column_path.startswith("stage.")
        return None if dynamic else self.target(column_path, column_path)

    def target(self, column_path: str, path: str) -> _Target:
        key = f"{column_path}\0{path}"
        found = self._targets.get(key)
        if found is None:
            spec = self.specs.get(path) or FieldSpec(path, "text")
            mapped = self.m.values.get(column_path, self.m.values.get(path, {}))
            choices = {str(c): c for c in spec.choices}
            loose = {slug(k): v for k, v in mapped.items()} if spec.kind == "enum" else {}
            found = _Target(path, tuple(path.split(".")), spec, mapped, choices, loose)
            self._targets[key] = found
        return found

    def __call__(
        self, row: Sequence[Any], label: str, stage: int | None = None, event: str | None = None
    ) -> dict[str, Any]:
        m, dates = self.m, self.dates
        data: dict[str, Any] = {}
        width = len(row)
        for column_path, index, column, static in self.columns:
            raw = row[index] if index < width else None
            if raw is None:
                continue
            if isinstance(raw, str):
                raw = raw.strip()
                if not raw:
                    continue
            if static is not None:
                t = static
            elif column_path == "event.date":
                if event is None:
                    continue
                t = self.target(column_path, event)
            else:  # stage.FIELD
                if stage is None:
                    continue
                t = self.target(column_path, f"stage{stage}.{column_path[6:]}")
            path = t.path
            spec = t.spec
            if spec.kinds and data.get("kind", m.kind) not in spec.kinds:
                continue  # another kind's field: a mixed export's column this row leaves to others
            value: Any
            kind = spec.kind
            if kind == "date":
                value = dates.read(raw)
                if value is None:
                    failure = ImportFailure(
                        f"{label}, column {column!r}: {shorten(raw)!r} is not a date in any of the formats "
                        f"{', '.join(dates.patterns)}",
                        "add its format under 'dates:' in the mapping (e.g. DD/MM/YYYY or YYYY-MM-DD HH:mm)",
                    )
                    why = (
                        "no such day"
                        if dates.impossible(raw)
                        else f"not a date in any of the formats {', '.join(dates.patterns)}"
                    )
                    raise DateRejected(f"column {column!r}: {shorten(raw)!r}: {why}", column_path, failure)
                beyond = out_of_range(value)
                if beyond is not None:  # a real day hcode cannot count from (an Excel serial of 1900)
                    raise RowRejected(f"column {column!r}: {shorten(raw)!r}: {beyond}")
            elif kind == "enum":
                # through the value map (exactly, then ignoring case and spaces), else the text
                # itself if it already is one of the choices once written as a slug
                text = str(raw)
                if text in t.mapped:
                    value = t.choices.get(t.mapped[text])
                else:
                    s = slug(text)
                    value = t.choices.get(t.loose[s]) if s in t.loose else t.choices.get(s)
                if value is None:
                    raise RowRejected(
                        f"column {column!r}: {shorten(raw)!r} is not one of {', '.join(spec.choices)}; "
                        f"add it under values: {path}: in the mapping"
                    )
            elif kind == "moment":  # a hazard report's event: its time kept where given
                moment = dates.read_moment(raw)
                if moment is None:
                    raise ImportFailure(
                        f"{label}, column {column!r}: {shorten(raw)!r} is not a date in any of the formats "
                        f"{', '.join(dates.patterns)}",
                        "add its format under 'dates:' in the mapping (e.g. DD/MM/YYYY HH:mm)",
                    )
                beyond = out_of_range(moment.day)
                if beyond is not None:
                    raise RowRejected(f"column {column!r}: {shorten(raw)!r}: {beyond}")
                value = moment.day if moment.time is None else moment.iso
            elif kind == "flag":
                flag_text = str(raw).strip().lower()
                if str(raw) in t.mapped:
                    flag_text = t.mapped[str(raw)].lower()
                if flag_text in _FLAG_TRUE:
                    value = True
                elif flag_text in _FLAG_FALSE:
                    value = False
                else:
                    raise RowRejected(f"column {column!r}: {shorten(raw)!r} is neither yes nor no")
            elif kind == "number":
                amount = str(raw).replace("£", "").replace(",", "").strip()
                try:
                    value = float(amount)
                except ValueError:
                    raise RowRejected(f"column {column!r}: {shorten(raw)!r} is not an amount") from None
            else:
                if isinstance(raw, float) and raw.is_integer():
                    raw = int(raw)
                text = str(raw)
                value = t.mapped.get(text, text)
                if kind == "reference" and "\n" in value:
                    raise RowRejected(f"column {column!r}: a reference cannot hold a line break")
            parts = t.parts
            if len(parts) == 1:
                data[path] = value
            else:
                node = data
                for part in parts[:-1]:
                    node = node.setdefault(part, {})
                node[parts[-1]] = value
        if "id" not in data:
            raise RowRejected("no case id")
        if m.id_replace:
            source = str(data["id"])
            changed = source
            for old, new in m.id_replace.items():
                changed = changed.replace(old, new)
            if changed != source:
                data["id"] = changed
                data["x-source-id"] = source
        data.setdefault("kind", m.kind)
        if data["kind"] == "hazard":  # a hazard report runs from when the landlord became aware
            if "aware" not in data:
                raise RowRejected("no date the landlord became aware (aware)")
        elif "received" not in data and event is None:  # (one row per event: another row gives it)
            raise RowRejected("no date received")
        stage2 = data.get("stage2")
        if stage is None and event is None and isinstance(stage2, dict) and "requested" not in stage2:
            # (one row per stage: another row of the case may give it; the case as a whole is checked)
            raise RowRejected("stage 2 dates without the date the escalation was requested")
        return data


# ---------------------------------------------------------------------------------------------
# Guessing a mapping from a header row

_STAGE2 = re.compile(r"\b(stage 2|stage two|s2|st2|escalat\w*|review|final stage)\b")
_STAGE1 = re.compile(r"\b(stage 1|stage one|s1|st1)\b")

# (field, pattern on the heading's words without the stage words, what the field holds); the
# first match wins
_GUESSES: tuple[tuple[str, str, str], ...] = (
    ("id", r"^((case|complaint|record|enquiry) )?(id|ref|reference|number|no)$|^case$", "the case reference"),
    ("kind", r"^(case |record )?type$|^kind$", "complaint or service request"),
    ("issue_date", r"\b(issue date|date of issue|incident date|date aware)\b", "when the issue arose"),
    (
        "ombudsman.referred",
        r"\b(ombudsman|hos)\b.*\b(referr\w*|date)\b|\breferr\w* to (the )?ombudsman\b",
        "the referral to the Ombudsman",
    ),
    ("ombudsman.finding", r"\b(ombudsman|hos)\b.*\b(finding|determination|outcome)\b", "the Ombudsman's finding"),
    (
        "stage2.requested",
        r"^(date )?(escalation|escalated|escalation request|requested)( date| on)?$",
        "the date the escalation was requested",
    ),
    ("acknowledged", r"\b(ack|acked|acknowledged|acknowledgement|acknowledgment)\b", "the acknowledgement date"),
    ("responded", r"\b(response|responded|reply|replied)\b", "the response date"),
    ("outcome", r"\b(outcome|result|decision|upheld)\b", "the outcome"),
    ("handler", r"\b(handler|officer|owner|assigned|handled by|investigator|case manager)\b", "the handler"),
    ("definition", r"\b(summary|description|details|definition|complaint text|nature)\b", "the complaint in words"),
    ("resolved", r"\b(resolved|closed|date closed|closure)\b", "the date it was resolved"),
    (
        "received",
        r"\b(received|logged|opened|created|date raised|raised|date of complaint|reported)\b",
        "the date received",
    ),
    ("channel", r"\b(channel|method|source|how received|received via|contact method)\b", "how it was made"),
    (
        "category",
        r"\b(category|service area|subject|reason|area|service|enquiry type|complaint type|type of complaint|topic)\b",
        "the category",
    ),
    ("tenure", r"\b(tenure|stock type|tenancy type)\b", "the stock type (lcra or lcho)"),
    ("remedy.compensation", r"\b(compensation|amount|payment|award)\b", "the compensation paid"),
    ("learning", r"\b(learning|lessons?|lesson learned|improvement)\b", "the learning"),
)
# A hazard report's own headings (Awaab's Law), tried first in an export that has any of them;
# the first match wins.
_HAZARD_GUESSES: tuple[tuple[str, str, str], ...] = (
    ("id", r"^(job|repair|report|hazard|case) (ref|reference|id|number|no)$|^job$", "the record's reference"),
    ("hazard", r"^(hhsrs )?hazard( type| category| name)?$", "the HHSRS hazard"),
    ("risk", r"\b(risk|risk level|risk rating|severity)\b", "the risk as assessed when reported"),
    (
        "investigation.concluded",
        r"\binvestigat\w*\b.*\b(concluded|completed|complete|done|date|on)\b|^investigat\w*$|^date investigated$",
        "when the investigation concluded",
    ),
    ("investigation.found", r"\b(finding|findings|found|investigation (outcome|result))\b", "what it found"),
    (
        "summary_sent",
        r"\b(summary sent|written summary|summary (of )?findings|summary date|date summary)\b",
        "when the written summary was sent",
    ),
    ("made_safe", r"\b(made safe|make safe|safety work\w*|emergency repair\w*)\b", "when it was made safe"),
    ("works.begun", r"\bworks?\b.*\b(begun|began|begin|ordered|raised)\b", "when further works were begun"),
    ("works.started", r"\bworks?\b.*\b(start|started|on site)\b", "when further works physically started"),
    ("works.completed", r"\bworks?\b.*\b(completed|complete|finished|done)\b", "when further works were completed"),
    ("alternative_accommodation", r"\b(alternative accommodation|decant\w*)\b", "alternative accommodation"),
    ("complaint", r"\b(linked|related) complaint\b|^complaint( ref| reference| id| number)?$", "the complaint"),
    (
        "aware",
        r"\b(aware|awareness|reported|date reported|report(ed)? date|logged|received|date raised|raised)\b",
        "when the landlord became aware",
    ),
)
# Headings only a hazard export has: one of them makes the export a hazard export.
_HAZARD_ONLY = frozenset(("hazard", "investigation.concluded", "investigation.found", "summary_sent", "made_safe"))
_HAZARD_ONLY |= {"works.begun", "works.started", "works.completed", "alternative_accommodation"}
_STAGED = frozenset(("acknowledged", "responded", "outcome", "handler", "definition"))
# A due date is never an event date: a CRM's "Response Due" is when it wanted the response, not
# when it was sent. It goes to the stage's recorded_due (check compares it with the Code's).
_DUE = re.compile(r"\b(due|target|deadline|sla|by when|expected)\b")


@dataclass(frozen=True)
class Guess:
    """What ``--init-map`` makes of one heading: the field (None: not mapped) and why."""

    field: str | None
    reason: str


def hazard_guess(heading: str) -> Guess | None:
    """The hazard report field a column heading most likely holds (None: none of theirs)."""
    norm = " ".join(words(heading))
    if _DUE.search(norm):
        return None  # a due date is never an event date
    for name, pattern, what in _HAZARD_GUESSES:
        m = re.search(pattern, norm)
        if m:
            return Guess(name, f"{m.group(0)!r}: {what} (a hazard report)")
    return None


def guess_heading(heading: str, hazards: bool = False) -> Guess:
    """The case field a column heading most likely holds, with the words that say so
    (``hazards``: the export holds hazard reports, whose own fields are tried first)."""
    norm = " ".join(words(heading))
    if not norm:
        return Guess(None, "no heading")
    if hazards:
        found = hazard_guess(heading)
        if found is not None:
            return found
    stage = 2 if _STAGE2.search(norm) else 1 if _STAGE1.search(norm) else None
    rest = _STAGE1.sub(" ", _STAGE2.sub(" ", norm)).strip()
    rest = " ".join(rest.split()) or norm
    if re.fullmatch(r"(event|activity|milestone)( type| name)?", norm):
        return Guess("event", f"{norm!r}: the event a row is about (one row per event)")
    if re.fullmatch(r"(event|activity|milestone) date|date of (event|activity)", norm):
        return Guess("event.date", f"{norm!r}: the date of the row's event")
    due = _DUE.search(rest)
    if due:
        if re.search(r"\b(ack|acknowledg\w*)\b", rest):
            return Guess(None, f"{due.group(1)!r}: an acknowledgement due date, not when it was sent; not mapped")
        return Guess(
            f"stage{stage or 1}.recorded_due",
            f"{due.group(1)!r}: a due date, never an event date; check compares it with the Code's due date",
        )
    for name, pattern, what in _GUESSES:
        m = re.search(pattern, rest)
        if m:
            said = f"{m.group(0)!r}: {what}"
            if name in _STAGED:
                return Guess(f"stage{stage or 1}.{name}", said + (f" (stage {stage})" if stage else ""))
            if name == "stage2.requested" or (stage == 2 and name == "received"):
                return Guess("stage2.requested", said + ("" if name == "stage2.requested" else " at stage 2"))
            return Guess(name, said)
    if stage == 2 and rest in ("date", "on", ""):
        return Guess("stage2.requested", f"{norm!r}: the date the escalation was requested")
    return Guess(None, "no field's words")


def is_free_text(path: str, specs: dict[str, FieldSpec]) -> bool:
    """Whether a field holds free text that may carry personal data (imported only if mapped)."""
    spec = specs.get(path.replace("stage.", "stage1.", 1))
    if path.rsplit(".", 1)[-1].startswith("x-"):
        return True
    return spec is not None and spec.kind == "text" and path not in REFERENCE_FIELDS


_OUTCOMES = (
    ("partly-upheld", r"\b(partly|partially|part|partial)\b"),
    ("not-upheld", r"\b(not|no|rejected|unfounded)\b"),
    ("withdrawn", r"\bwithdrawn?\b"),
    ("upheld", r"\b(upheld|founded|justified)\b"),
)
_CHANNELS = (
    ("phone", r"\b(phone|telephone|call|tel)\b"),
    ("email", r"\be ?mail\b"),
    ("letter", r"\b(letter|post|written)\b"),
    ("web", r"\b(web|website|online|portal|form)\b"),
    ("in-person", r"\b(in person|face to face|visit|office)\b"),
    ("social-media", r"\b(social|twitter|facebook|x)\b"),
)


def guess_value(spec: FieldSpec, text: str) -> str | None:
    """A schema value for an export's value (``Stage 1 - Partly upheld`` → ``partly-upheld``)."""
    norm = " ".join(words(text))
    if slug(text) in map(str, spec.choices):
        return slug(text)
    table: tuple[tuple[str, str], ...] = ()
    if spec.path.endswith("outcome"):
        table = _OUTCOMES
    elif spec.path == "channel":
        table = _CHANNELS
    elif spec.path == "kind":
        table = (
            ("hazard", r"\b(hazard|hhsrs|awaab|damp|mould)\b"),
            ("service-request", r"\b(service|request|sr)\b"),
            ("complaint", r"\bcomplaint\b"),
        )
    for value, pattern in table:
        if value in spec.choices and re.search(pattern, norm):
            return value
    return None


@dataclass
class GuessedMap:
    columns: dict[str, str]
    free_text: dict[str, str]  # field it may be → heading, left out on purpose
    unknown: list[str]
    values: dict[str, dict[str, str | None]]
    dates: list[str]
    reasons: dict[str, str] = field(default_factory=dict)  # heading → why it was (not) mapped
    competing: dict[str, list[str]] = field(default_factory=dict)  # field → headings, none chosen
    id_replace: dict[str, str] = field(default_factory=dict)  # proposed for ids: replace:
    categories: list[str] = field(default_factory=list)  # the category column's distinct codes
    kind: str = "complaint"  # the kind of every row no kind column gives (hazard: a repairs export)


def _event_field(value: str, specs: dict[str, FieldSpec]) -> str | None:
    """The dated field an event's name most likely fills ("Stage 1 response sent")."""
    found = guess_heading(value).field
    return found if found is not None and found in specs and specs[found].kind == "date" else None


def is_code(value: str) -> bool:
    """Whether an export's value looks like a code a value map translates ("Stage 1 - Upheld",
    "E-mail"), not free text that might name a person: short, few words, no long numbers, no @."""
    v = value.strip()
    return len(v) <= 40 and len(v.split()) <= 6 and "@" not in v and not re.search(r"\d{5,}", v)


def guess_map(
    headings: Sequence[str], rows: Iterable[Sequence[Any]], specs: dict[str, FieldSpec], limit: int = 40
) -> GuessedMap:
    """A starting mapping: a field for each heading we recognise; free-text columns set aside;
    where two headings compete for one field, both named and neither chosen; value maps for the
    distinct values of enum columns (codes only, up to ``limit`` each); the date formats that
    read the sample dates."""
    columns: dict[str, str] = {}
    free: dict[str, str] = {}
    unknown: list[str] = []
    index: dict[str, int] = {}
    reasons: dict[str, str] = {}
    claims: dict[str, list[int]] = {}
    rows = list(rows)
    only = [g.field for h in headings if (g := hazard_guess(h)) is not None and g.field in _HAZARD_ONLY]
    hazards = "hazard" in only or "made_safe" in only or len(only) >= 2  # a repairs system's hazard export
    kinds = _kinds_found(headings, rows, specs) if hazards else set()
    mixed = "hazard" in kinds and len(kinds) > 1  # complaints and hazard reports, a kind column says which
    for i, h in enumerate(headings):
        g = guess_heading(h, hazards)
        reasons[h] = g.reason
        if mixed and g.field == "aware":  # the same column is when a complaint was received
            claims.setdefault("received", []).append(i)
            reasons[h] += "; for a complaint's rows, the date received"
        if g.field is None or (g.field not in specs and g.field not in ("event", "event.date")):
            unknown.append(h)
            continue
        claims.setdefault(g.field, []).append(i)
    if "event" in claims and "event.date" not in claims:
        # one row per event: a column headed just "Date" is the event's date
        plain = [i for i, h in enumerate(headings) if " ".join(words(h)) == "date"]
        if len(plain) == 1:
            claims["event.date"] = plain
            unknown.remove(headings[plain[0]])
            reasons[headings[plain[0]]] = "'date': the date of the row's event"
    competing: dict[str, list[str]] = {}
    for name, where in claims.items():
        if len(where) > 1:
            competing[name] = [headings[i] for i in where]
            continue
        i = where[0]
        if is_free_text(name, specs):
            free[name] = headings[i]
            continue
        columns[name] = headings[i]
        index[name] = i
    order = {name: min(where) for name, where in claims.items()}
    columns = dict(sorted(columns.items(), key=lambda kv: order[kv[0]]))
    distinct: dict[str, dict[str, None]] = {
        p: {}
        for p in columns
        if p in ("event", "category", "hazard") or (p in specs and specs[p].kind in ("enum", "flag"))
    }
    odd: dict[str, None] = {}  # characters in the ids that a case id (a file name) cannot hold
    samples: dict[str, None] = {}
    for row in rows:
        for p, i in index.items():
            if i >= len(row) or row[i] is None:
                continue
            v = row[i]
            if p == "id" and isinstance(v, str):
                odd.update(dict.fromkeys(ch for ch in v.strip() if not re.match(r"[A-Za-z0-9._-]", ch)))
            if p in distinct and isinstance(v, str) and v.strip():
                if len(distinct[p]) <= limit and is_code(v):
                    distinct[p][v.strip()] = None
                else:
                    distinct[p][""] = None  # free text, or too many values: none is proposed
            elif (
                (p == "event.date" or specs[p].kind in ("date", "moment"))
                and len(samples) < 200
                and isinstance(v, str)
                and v.strip()
            ):
                samples[v.strip()] = None
    values: dict[str, dict[str, str | None]] = {}
    categories = [v for v in distinct.pop("category", {}) if v]
    for p, seen in distinct.items():
        if "" in seen or len(seen) > limit:
            reasons[columns[p]] += f"; its values are not a short list of codes: map them under values: {p}:"
            continue
        if p == "event":
            values[p] = {v: _event_field(v, specs) for v in seen}
            continue
        if p == "hazard":  # declared as data (the catalogue's names): check says if one is not
            named: dict[str, str | None] = {v: slug(v) for v in seen if slug(v) != v}
            if named:
                values[p] = named
            continue
        entries = {v: guess_value(specs[p], v) for v in seen if slug(v) not in map(str, specs[p].choices)}
        if entries:
            values[p] = entries
    candidates = [
        "DD/MM/YYYY",
        "DD/MM/YYYY HH:mm",
        "DD/MM/YYYY HH:mm:ss",
        "YYYY-MM-DD",
        "YYYY-MM-DD HH:mm",
        "YYYY-MM-DD HH:mm:ss",
        "YYYY-MM-DDTHH:mm:ss",
        "DD-MMM-YYYY",
        "DD MMM YYYY",
        "DD MMMM YYYY",
        "DD.MM.YYYY",
        "DD/MM/YY",
    ]
    found = []
    for c in candidates:
        reader = DateReader([c])
        if any(reader.fits(s) is not None for s in samples):  # the format itself, not the forms read anyway
            found.append(c)
    found.append("excel")
    kind = "hazard" if hazards and "kind" not in columns else "complaint"
    return GuessedMap(
        columns, free, unknown, values, found, reasons, competing, dict.fromkeys(odd, "-"), categories, kind
    )


def _kinds_found(headings: Sequence[str], rows: Sequence[Sequence[Any]], specs: dict[str, FieldSpec]) -> set[str]:
    """The kinds of case an export's kind column holds, as far as its values say."""
    at = [i for i, h in enumerate(headings) if guess_heading(h).field == "kind"]
    if len(at) != 1 or "kind" not in specs:
        return set()
    seen = {str(r[at[0]]).strip() for r in rows if at[0] < len(r) and r[at[0]] is not None and str(r[at[0]]).strip()}
    return {k for k in (guess_value(specs["kind"], v) for v in seen) if k is not None}
