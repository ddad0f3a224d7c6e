"""The privacy gate: the one place where text leaves hcode for a published output.

Every published output (the annual report and the self-assessment in every format, the annual
figures as JSON, the TSM audit table, the export) is made from a value that went through
:func:`gate`, which applies the personal-data rule
(:func:`hcode.core.rules.privacy.published_personal_data`) to every text in it, whatever file it
came from, and refuses the whole output on a hit (:class:`PrivacyRefused`; the value is never
shown). The renderers' entry points (:mod:`hcode.render.published`) accept only :class:`Public`
values, which only :func:`gate` makes, so an output cannot skip the gate: mypy refuses a plain
dict, and making a :class:`Public` anywhere else fails at once.

A table written a row at a time where the rows are made (the export, in the worker processes of
a large workspace) is gated in two halves of this module: :func:`screen` applies the same rule to
the same texts of each row as :func:`gate` would, there, and renders the row only when every text
passed; :func:`gate_screened`, in the process that writes, refuses the whole table at the first
refused row (named as :func:`gate` names it) before anything is written, and makes the only
:class:`Public` value the table's writer takes.

Charts (``charts``, ``chart_files``) are drawn by hcode from the figures in the same value,
which pass the gate themselves; their SVG is not text taken from a file, so it is not searched.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Generic, TypeVar

from hcode.core.rules.privacy import published_personal_data
from hcode.core.text import safe_as_is
from hcode.errors import HcodeError

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)  # a Public list of rows is a Public sequence of them
_TOKEN = object()
#: Keys whose values hcode draws itself from figures that pass the gate (SVG, file names).
_DRAWN = frozenset(("charts", "chart_files"))


class PrivacyRefused(HcodeError):
    """A text bound for a published output seems to hold personal data: nothing is published.
    ``field``: where in the output; ``what``: "a phone number", ...; ``value``: the text, for
    finding its source file (never to be printed)."""

    def __init__(self, field: str, what: str, value: str) -> None:
        super().__init__(f"{field} seems to hold {what}")
        self.field = field
        self.what = what
        self.value = value


@dataclass(frozen=True)
class Public(Generic[T_co]):
    """A value every text of which passed the privacy gate. Only :func:`gate` makes one."""

    value: T_co
    token: object = field(repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        if self.token is not _TOKEN:
            raise TypeError("only the privacy gate (hcode.render.gate.gate) makes Public values")


class _Hit(HcodeError):
    """A refused text, on its way up to :func:`gate`: each container it passes adds its step
    (``steps``, innermost first), so the field's name is built only for a refused value."""

    def __init__(self, what: str, value: str) -> None:
        self.what = what
        self.value = value
        self.steps: list[tuple[bool, object]] = []  # (an index, the key, field name or index)


#: Values that hold no text: skipped without a look (most of a row is dates, counts and None).
_LEAVES = frozenset((type(None), bool, int, float, date, datetime, time))
_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _walk(value: Any, declared: Sequence[str], cleared: set[str]) -> None:
    kind = type(value)
    if kind in _LEAVES:
        return
    if isinstance(value, str):
        if value in cleared:  # the same text seen before in this output (a status, a reason)
            return
        what = published_personal_data(value, declared)
        if what is not None:
            raise _Hit(what, value)
        cleared.add(value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key in _DRAWN:
                continue
            try:
                _walk(key, declared, cleared)
                _walk(item, declared, cleared)
            except _Hit as hit:
                hit.steps.append((False, key))
                raise
    elif isinstance(value, (list, tuple, set, frozenset)):
        for i, item in enumerate(value):
            try:
                _walk(item, declared, cleared)
            except _Hit as hit:
                hit.steps.append((True, i))
                raise
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _field_names(kind)
        _walk_fields(names, [getattr(value, name) for name in names], declared, cleared)


def _walk_fields(names: Sequence[str], values: Sequence[Any], declared: Sequence[str], cleared: set[str]) -> None:
    """A dataclass's fields (``names``) and their ``values`` walked in order."""
    for name, item in zip(names, values, strict=True):
        if type(item) in _LEAVES or (type(item) is str and item in cleared):
            continue  # (a text seen before: as the step below would find, without the step)
        try:
            _walk(item, declared, cleared)
        except _Hit as hit:
            hit.steps.append((False, name))
            raise


def _field(steps: list[tuple[bool, object]]) -> str:
    """Where a refused text is in the output: ``a.b[2].c``, the steps from the outermost."""
    where = ""
    for index, step in reversed(steps):
        where = f"{where}[{step}]" if index else f"{where}.{step}" if where else str(step)
    return where or "the output"


def gate(value: T, declared: Sequence[str] = ()) -> Public[T]:
    """``value`` cleared for publication: every text in it (nested in dicts, lists and
    dataclasses) is free of personal data but for the contact details meant to be public
    (``declared``: the landlord's ``contacts:``; the Ombudsman's are always allowed).
    PrivacyRefused on the first text that is not."""
    try:
        _walk(value, declared, set())
    except _Hit as hit:
        raise PrivacyRefused(_field(hit.steps), hit.what, hit.value) from None
    return Public(value, _TOKEN)


# -- rows gated where they are made --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Screened:
    """One row of a table as :func:`screen` left it: ``text``, the row as written (UTF-8), when
    every text of the row passed the rule; else empty, and ``refused`` says where (the steps
    into the row, innermost first), what it seems to hold and the text (never to be printed)."""

    text: bytes
    refused: tuple[tuple[tuple[bool, object], ...], str, str] | None = None
    plain: bool = False  # the text is safe to print as it is (:func:`hcode.core.text.safe_as_is`)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Sent back from a worker process as its values, made again by the constructor: a third
        of the time of the dataclass's own state, on both sides."""
        return Screened, (self.text, self.refused, self.plain)


#: Texts that passed the rule in this process, by the contacts declared (each looked at once).
_SEEN: dict[tuple[str, ...], set[str]] = {}
_SEEN_MOST = 200_000  # texts kept at most: ids and file names are seldom seen twice


def _cleared(key: tuple[str, ...]) -> set[str]:
    cleared = _SEEN.get(key)
    if cleared is None or len(cleared) > _SEEN_MOST:
        cleared = _SEEN[key] = set()
    return cleared


def screen(row: object, render: Callable[[object], str], declared: Sequence[str] = ()) -> Screened:
    """``row`` through the gate's rule, every text of it as :func:`gate` walks it, and the row
    rendered (``render``) only if each passed: where the row is made (a worker process), so that
    only the text to be written travels back. :func:`gate_screened` decides on it."""
    key = tuple(declared)
    cleared = _cleared(key)
    try:
        _walk(row, key, cleared)
    except _Hit as hit:
        return Screened(b"", (tuple(hit.steps), hit.what, hit.value))
    return _rendered(render(row))


def screen_fields(
    names: Sequence[str],
    values: Sequence[object],
    render: Callable[[Sequence[str], Sequence[object]], str],
    declared: Sequence[str] = (),
) -> Screened:
    """A row given as its fields' ``names`` and ``values``, screened as :func:`screen` screens
    a dataclass row with those fields (the same texts, the same refusal named the same way), and
    rendered (``render(names, values)``) only if each text passed.

    The row's distinct new texts are looked at first, in C's order rather than the fields':
    when every one passes, that is the answer the walk in order gives (only texts that pass are
    kept as seen). A text refused, or a value that is neither text nor a plain value (a list, a
    record), and the fields are walked in order, which finds the first refused as :func:`gate`
    does."""
    key = tuple(declared)
    cleared = _cleared(key)
    if not _all_pass(values, key, cleared):
        try:
            _walk_fields(names, values, key, cleared)
        except _Hit as hit:
            return Screened(b"", (tuple(hit.steps), hit.what, hit.value))
    return _rendered(render(names, values))


def _rendered(text: str) -> Screened:
    """A row that passed, as written: its UTF-8 bytes, and whether they are safe to print as
    they are (looked at here, where the row is made, so that the whole output is not)."""
    data = text.encode("utf-8")
    return Screened(data, None, safe_as_is(data))


def _all_pass(values: Sequence[object], declared: Sequence[str], cleared: set[str]) -> bool:
    """Whether every value is a plain value (:data:`_LEAVES`) or a text that passes the rule
    (each new one kept in ``cleared``); False as soon as one is not, or is refused."""
    try:
        new = set(values) - cleared  # (a look at each value of the row, not at every text seen)
    except TypeError:  # a value that cannot be hashed (a list): not plain
        return False
    for value in new:
        if type(value) in _LEAVES:
            continue
        if type(value) is not str or published_personal_data(value, declared) is not None:
            return False
        cleared.add(value)
    return True


def gate_screened(rows: Sequence[Screened]) -> Public[Sequence[Screened]]:
    """Rows screened where they were made (:func:`screen`), in the order they are written,
    cleared for publication: PrivacyRefused at the first refused row, named as :func:`gate`
    names a text of a list of rows (``[12].category``); TypeError for anything that is not a
    screened row (a row that was not gated is never written)."""
    for i, row in enumerate(rows):
        if type(row) is not Screened:
            raise TypeError(f"row {i} of a table did not pass the privacy gate")
        if row.refused is not None:
            steps, what, value = row.refused
            raise PrivacyRefused(_field([*steps, (True, i)]), what, value)
    return Public(rows, _TOKEN)
