"""``due``: what is overdue and what is due next, the timescale milestones of every case and the
remedy actions offered and not done, in one list."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

import orjson

from hcode.api.duties import YearDuties, due_duties
from hcode.api.workspace import OpenWorkspace
from hcode.core.listings import DueItem
from hcode.core.milestones import Milestone, still_open
from hcode.core.model import Finding
from hcode.core.rules import Context
from hcode.core.selection import Selection
from hcode.render.listings import DUE_TABLE_FIELDS
from hcode.store.cachefile import Codec

_DUE_ORDER = {"overdue": 0, "due-soon": 1, "open": 2, "missed": 3, "met": 4}


@dataclass(frozen=True)
class DueList:
    """What ``hcode due`` lists, overdue first then by due date, and the case files it could
    not read (their milestones cannot be listed)."""

    as_of: date
    items: list[DueItem]
    problems: list[Finding] = field(default_factory=list)
    landlord: str = ""
    duties: YearDuties | None = None  # the year's duties (annual submission, publication...)

    def __iter__(self) -> Iterator[DueItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def rows(self) -> list[dict[str, Any]]:
        return [i.row() for i in self.items]


def milestone_row(m: Milestone, left: int | None) -> dict[str, Any]:
    """One milestone as ``hcode due --format json`` prints it (DESIGN 5.3)."""
    return {
        "case": m.case,
        "stage": m.stage,
        "event": m.event,
        "provision": m.provision,
        "from": m.start.isoformat(),
        "working_days": m.working_days if m.working else None,
        "due": m.due.isoformat(),
        "done": m.done.isoformat() if m.done else None,
        "status": m.status,
        "left": left,
        "edition": m.edition,
        "counted_from": m.start_event,
        "days": None if m.working else m.working_days,  # calendar days, where the edition counts them
        "confirmed": m.confirmed,
    }


def _within(status: str, left: int | None, within: int | None) -> bool:
    """Whether ``due --within`` shows it (overdue is always shown)."""
    return within is None or status == "overdue" or (left is not None and left <= within)


def _milestone_rows(case: Any, ctx: Context, *, open_only: bool) -> list[tuple[list[Any], dict[str, Any]]]:
    """One case's milestones for ``due``, each with its place in the listing."""
    from hcode.core.rules import case_milestones

    out = []
    for m in case_milestones(case, ctx):
        is_open = still_open(m)
        if open_only and not is_open:
            continue
        left = ctx.calendar.between(ctx.as_of, m.due) if is_open else None
        out.append(([_DUE_ORDER[m.status], m.due.isoformat(), m.case, m.stage, m.event], milestone_row(m, left)))
    return out


def _remedy_rows(case: Any, ctx: Context) -> list[tuple[list[Any], dict[str, Any]]]:
    """A complaint's remedy actions offered and not done on the as-of day that have a due date (a
    remedy must be followed through; one whose complaint or offering response comes after the
    as-of day is left out), as rows of ``due`` with ``event`` "remedy" and ``stage`` null. The
    provision is the judging edition's (2024 Code 7.3, 2022 Code 6.5), else the rule's name."""
    from hcode.core.rules.handling import remedy_due, remedy_provision

    out: list[tuple[list[Any], dict[str, Any]]] = []
    remedy = case.remedy
    judged = ctx.for_case(case)
    for i, a in enumerate(remedy.actions if remedy is not None else ()):
        due = remedy_due(case, a, ctx.as_of)
        if due is None:
            continue
        left = ctx.calendar.between(ctx.as_of, due)
        status = "overdue" if due < ctx.as_of else ("due-soon" if left <= ctx.soon else "open")
        row = {
            "case": case.id,
            "stage": None,
            "event": "remedy",
            "provision": remedy_provision(judged),
            "from": None,
            "working_days": None,
            "due": due.isoformat(),
            "done": None,
            "status": status,
            "left": left,
            "action": i + 1,
            "edition": judged.code.code,
        }
        out.append(([_DUE_ORDER[status], due.isoformat(), case.id, 9, f"remedy {i + 1:04d}"], row))
    return out


def _hazard_rows(case: Any, ctx: Context, *, open_only: bool) -> list[tuple[list[Any], dict[str, Any]]]:
    """A hazard report's clocks as rows of ``due``, a running 24-hour clock first of all (the
    hours left are worked out per run: :func:`hcode.core.hazards.refresh_row`)."""
    from hcode.core.hazards import hazard_due_rows

    if case.hazard is None or ctx.hazards is None:
        return []
    return hazard_due_rows(case, ctx.hazards, ctx.calendar, ctx.as_of, ctx.soon, open_only=open_only)


def _with_case(case: Any, rows: list[tuple[list[Any], dict[str, Any]]]) -> list[tuple[list[Any], dict[str, Any]]]:
    """Each row with what ``due``'s filters choose by: the case's kind, date received and
    category, and the handler of the row's stage (of the current stage for a remedy action or a
    hazard report's clock)."""
    current = case.stage2 if case.stage2 is not None else case.stage1
    for _, row in rows:
        stage = case.stage1 if row["stage"] == 1 else case.stage2 if row["stage"] == 2 else current
        row["kind"] = case.kind
        row["received"] = case.received.isoformat()
        row["category"] = case.category
        row["handler"] = stage.handler if stage is not None else None
    return rows


#: A row of ``due`` as it travels back from a worker process: its place in the listing, its
#: JSON text as the listing holds it (:func:`_row_text`) and its :data:`_READ` fields.
KeptRow = tuple[list[Any], bytes, tuple[Any, ...]]


def _kept(rows: list[tuple[list[Any], dict[str, Any]]]) -> list[KeptRow]:
    """Each row as ``hcode due --format json`` prints it (through :class:`DueItem`: the same
    fields in the same order, whatever made it), written once, where it was made."""
    out = []
    for place, row in rows:
        printed = DueItem.from_row(row).row()
        out.append((place, _row_text(printed), tuple(printed.get(k) for k in _READ)))
    return out


def _due_rows(case: Any, ctx: Context, open_only: bool) -> list[KeptRow]:
    """A case's rows, every one or only the open ones: rows travel back as text, not records."""
    rows = _milestone_rows(case, ctx, open_only=open_only) + _remedy_rows(case, ctx)
    return _kept(_with_case(case, rows + _hazard_rows(case, ctx, open_only=open_only)))


def _all_due_rows(case: Any, ctx: Context) -> list[KeptRow]:
    """Worker processes call this (``due --all``)."""
    return _due_rows(case, ctx, False)


def _open_due_rows(case: Any, ctx: Context) -> list[KeptRow]:
    """Worker processes call this (``due``)."""
    return _due_rows(case, ctx, True)


def _sorted_rows(read: Any) -> DueRows:
    """Every case's rows, overdue first, then by due date."""
    found: list[KeptRow] = [row for rows in read.items for row in rows]
    found.sort(key=lambda row: row[0])
    return DueRows(_Kept.of([row[1] for row in found], [row[2] for row in found]))


def answer_name(all: bool) -> str:
    """The name :func:`due_listing` keeps its rows under (:meth:`hcode.store.reader.Store.derived`)."""
    return "due-all" if all else "due"


def due_listing(
    ws: OpenWorkspace,
    as_of: date | None = None,
    *,
    within: int | None = None,
    all: bool = False,
    soon: int | None = None,
    chosen: Selection | None = None,
) -> tuple[date, DueRows, list[Finding]]:
    """What :func:`due` lists, as :class:`DueRows` (the rows ``hcode due --format json`` prints,
    built only when asked for), computed in the worker processes and kept in the cache (as their
    JSON text, :data:`_KEPT_ROWS`) for unchanged inputs; with the date and the problems.
    ``chosen``: only the rows it selects (:func:`hcode.api.values.listing_selection`)."""
    ctx = ws.context(as_of, soon)
    name, mapper = answer_name(all), _all_due_rows if all else _open_due_rows
    every, problems = ws.store.derived(name, {}, ctx, _sorted_rows, mapper, open_only=not all, codec=_KEPT_ROWS)
    # hours clocks as of now; then --within, then the filters
    return ctx.as_of, every.refreshed(ctx.now).within(within).chosen(chosen), problems


def due_rows(
    ws: OpenWorkspace,
    as_of: date | None = None,
    *,
    within: int | None = None,
    all: bool = False,
    soon: int | None = None,
    chosen: Selection | None = None,
) -> tuple[date, list[dict[str, Any]], list[Finding]]:
    """:func:`due_listing`'s rows built, as ``hcode due --format json`` prints them."""
    when, rows, problems = due_listing(ws, as_of, within=within, all=all, soon=soon, chosen=chosen)
    return when, rows.rows(), problems


def due(
    ws: OpenWorkspace,
    as_of: date | None = None,
    *,
    within: int | None = None,
    all: bool = False,
    soon: int | None = None,
    chosen: Selection | None = None,
) -> DueList:
    """The open milestones and remedy actions (overdue first, then by due date), as on ``as_of``
    (default today). ``within``: only what is due within N working days (overdue always shown);
    ``all``: also the milestones already met or missed; ``chosen``: only the rows it selects
    (by case, open, overdue, year received, category, handler, kind:
    :func:`hcode.api.values.listing_selection`). The year's duties come with them
    (:func:`hcode.api.duties.due_duties`, chosen the same way)."""
    when, rows, problems = due_rows(ws, as_of, within=within, all=all, soon=soon, chosen=chosen)
    duties = due_duties(ws, when, within=within, all=all, chosen=chosen)
    items = [DueItem.from_row(r) for r in rows]
    return DueList(when, items, list(problems) + duties.problems, ws.settings.landlord, duties)


# -- the rows as kept: their JSON text, written once, and the few columns a run reads ------------

#: The fields of a row a run reads besides its JSON text: the table's cells, what the filters
#: choose by (:func:`hcode.core.selection.select_rows`), ``--within`` and an hours clock's refresh.
_READ = (*DUE_TABLE_FIELDS, "kind", "received", "category", "handler")
_DEPTH_2 = orjson.OPT_INDENT_2
_BETWEEN = b",\n    "  # between two rows of a listing


class _Kept:
    """The rows of a ``due`` listing as kept in the cache: their JSON text as a listing holds it
    (:func:`_row_text`, joined by :data:`_BETWEEN`), where each row's text begins and ends, and
    the :data:`_READ` fields as columns (read from their JSON text only when asked for)."""

    def __init__(self, text: bytes | memoryview, starts: list[int], ends: list[int], columns: Any) -> None:
        if len(starts) != len(ends):
            raise ValueError("not the rows of a listing")
        self.text = text
        self.starts = starts
        self.ends = ends
        self._columns = columns  # the JSON text of the columns, or the columns

    @classmethod
    def of(cls, texts: list[bytes], fields: list[tuple[Any, ...]]) -> _Kept:
        """Rows from each one's text and :data:`_READ` fields."""
        starts, ends = [], []
        at = 0
        for text in texts:
            starts.append(at)
            at += len(text)
            ends.append(at)
            at += len(_BETWEEN)
        if not fields:
            return cls(b"", [], [], {key: [] for key in _READ})
        columns = {key: list(column) for key, column in zip(_READ, zip(*fields, strict=True), strict=True)}
        return cls(_BETWEEN.join(texts), starts, ends, columns)

    @cached_property
    def columns(self) -> dict[str, list[Any]]:
        found = self._columns
        if not isinstance(found, dict):
            found = orjson.loads(found)
            if not isinstance(found, dict) or any(len(found.get(k, ())) != len(self.starts) for k in _READ):
                raise ValueError("not the columns of the rows")
        self._columns = None
        return found

    def encode(self) -> list[bytes | memoryview]:
        """The bytes kept, in parts (written one after the other: the text is not copied)."""
        columns = self._columns if isinstance(self._columns, bytes | memoryview) else orjson.dumps(self.columns)
        places = orjson.dumps([self.starts, self.ends])
        head = orjson.dumps([len(columns), len(places)])
        return [head + b"\n", columns, places, self.text]

    @classmethod
    def decode(cls, data: Any) -> _Kept:
        view = memoryview(data)
        end = bytes(view[:64]).find(b"\n")
        sizes = orjson.loads(view[:end]) if end > 0 else None
        if not (isinstance(sizes, list) and len(sizes) == 2 and all(isinstance(n, int) for n in sizes)):
            raise ValueError("not the rows of a listing")
        at = end + 1
        columns = view[at : at + sizes[0]]
        starts, ends = orjson.loads(view[at + sizes[0] : at + sizes[0] + sizes[1]])
        return cls(view[at + sizes[0] + sizes[1] :], starts, ends, columns)


class DueRows:
    """The rows ``hcode due`` lists, in order, as ``hcode due --format json`` prints them:
    :meth:`rows` builds them (exactly, from their JSON text), :meth:`json_text` gives their
    text as the listing holds it without building them, :meth:`column` one field of each.
    Chosen (:meth:`refreshed`, :meth:`within`, :meth:`chosen`, a slice) without building a row."""

    def __init__(
        self, kept: _Kept, index: list[int] | None = None, changed: dict[int, dict[str, Any]] | None = None
    ) -> None:
        self._kept = kept
        self._index = index  # the kept rows shown, in order (None: every one)
        self._changed = changed or {}  # kept row -> the row as this run shows it (an hours clock)

    @classmethod
    def of(cls, rows: list[dict[str, Any]]) -> DueRows:
        """The rows (as ``hcode due --format json`` prints them) kept."""
        return cls(_Kept.of([_row_text(r) for r in rows], [tuple(r.get(k) for k in _READ) for r in rows]))

    def _shown(self) -> Sequence[int]:
        return range(len(self._kept.starts)) if self._index is None else self._index

    def __len__(self) -> int:
        return len(self._kept.starts) if self._index is None else len(self._index)

    def __getitem__(self, part: slice) -> DueRows:
        shown = self._shown()[part]
        if self._index is None and shown == range(len(self)):  # every row still: kept as one text
            return self
        return DueRows(self._kept, list(shown), self._changed)

    def _with(self, index: list[int]) -> DueRows:
        return DueRows(self._kept, index, self._changed)

    def _row(self, i: int) -> dict[str, Any]:
        found = self._changed.get(i)
        if found is not None:
            return found
        row: dict[str, Any] = orjson.loads(self._kept.text[self._kept.starts[i] : self._kept.ends[i]])
        return row

    def rows(self) -> list[dict[str, Any]]:
        """The rows (built afresh each call)."""
        if self._index is None and not self._changed:
            whole: list[dict[str, Any]] = orjson.loads(b"[" + bytes(self._kept.text) + b"]")
            return whole
        return [self._row(i) for i in self._shown()]

    def column(self, key: str) -> list[Any]:
        """One of the :data:`_READ` fields of each row, in order."""
        values = self._kept.columns[key]
        if self._changed and key in ("status", "hours_left"):
            values = list(values)
            for i, row in self._changed.items():
                values[i] = row.get(key)
        return values if self._index is None else [values[i] for i in self._index]

    def shown_as(self) -> str | None:
        """Which of the kept rows are shown, as text (a digest of their places; "all": every
        one), for what is kept of them under the kept answer's key
        (:func:`hcode.cli.common.kept_lines`); None where a row differs from its kept text (an
        hours clock worked out as at now): not to be kept."""
        if self._changed:
            return None
        if self._index is None:
            return "all"
        import hashlib

        return hashlib.sha256(orjson.dumps(self._index)).hexdigest()

    def json_text(self) -> bytes | memoryview:
        """The rows' JSON text as a listing of them holds it (``orjson`` with ``OPT_INDENT_2``,
        the rows two levels deep), joined by commas; empty for no rows."""
        kept = self._kept
        if self._index is None and not self._changed:
            return kept.text
        changed = self._changed
        text, starts, ends = kept.text, kept.starts, kept.ends
        return _BETWEEN.join(
            _row_text(changed[i]) if i in changed else text[starts[i] : ends[i]] for i in self._shown()
        )

    def refreshed(self, now: datetime | None) -> DueRows:
        """The rows as at ``now``: a running hours clock's hours left and status worked out
        afresh (:func:`hcode.core.hazards.refresh_row`)."""
        from hcode.core.hazards import OPEN, refresh_row

        if now is None:
            return self
        kept = self._kept.columns
        changed = dict(self._changed)
        for i in self._shown():
            if isinstance(kept["due_at"][i], str) and kept["status"][i] in OPEN:
                row = self._row(i)
                new = refresh_row(row, now)
                if new is not row:
                    changed[i] = new
        return DueRows(self._kept, self._index, changed)

    def within(self, within: int | None) -> DueRows:
        """Only what ``due --within`` shows (overdue always)."""
        if within is None:
            return self
        status, left = self.column("status"), self.column("left")
        shown = self._shown()
        return self._with([i for n, i in enumerate(shown) if _within(status[n], left[n], within)])

    def chosen(self, chosen: Selection | None) -> DueRows:
        """Only the rows ``chosen`` selects (:func:`hcode.core.selection.select_rows`, given each
        row's fields it chooses by)."""
        from hcode.core.selection import select_rows

        if chosen is None or chosen.everything:
            return self
        keys = ("case", "status", "kind", "received", "category", "handler")
        values = [self.column(k) for k in keys]
        light = [dict(zip(keys, fields, strict=True)) for fields in zip(*values, strict=True)]
        place = {id(row): n for n, row in enumerate(light)}
        shown = self._shown()
        return self._with([shown[place[id(row)]] for row in select_rows(light, chosen)])


def _row_text(row: dict[str, Any]) -> bytes:
    """One row's JSON text as a listing holds it (:meth:`DueRows.json_text`)."""
    text = orjson.dumps([[row]], option=_DEPTH_2)
    return text[text.index(b"{") : text.rindex(b"}") + 1]


#: How ``due``'s rows are kept: their JSON text and columns (:class:`_Kept`), not rebuilt.
_KEPT_ROWS: Codec[DueRows] = Codec(
    lambda rows: rows._kept.encode(), lambda data: DueRows(_Kept.decode(data)), binary=True
)
