"""``hcode export``: one row per case, in a documented and versioned column set (docs/export.md),
as CSV or JSON Lines, for Power BI, Excel, DuckDB or any engine that reads them without glue.

Every row begins with ``hcode_export``, the version of the column set: a column is never renamed,
removed or given another meaning without a new version; new columns may be added at the end.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from json.encoder import encode_basestring
from typing import Any

from hcode.core.exportrow import COLUMNS, EXPORT_VERSION, NAMES, ExportRow
from hcode.errors import HcodeError

__all__ = [
    "COLUMNS",
    "EXPORT_VERSION",
    "NAMES",
    "ExportRow",
    "csv_cell",
    "csv_line",
    "jsonl_line",
    "neutralise",
    "to_csv",
    "to_jsonl",
]


def to_jsonl(rows: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


#: The names of a row's columns as :func:`json.dumps` writes each before its value, and each
#: with a null, by the columns (None: a name twice, which a dict keeps once).
_KEYS: dict[tuple[str, ...], tuple[list[str], list[str]] | None] = {}


def _keys(names: Sequence[str]) -> tuple[list[str], list[str]] | None:
    columns = tuple(names)
    if columns not in _KEYS:
        keys = [encode_basestring(n) + ": " for n in columns]
        _KEYS[columns] = (keys, [k + "null" for k in keys]) if len(set(columns)) == len(columns) else None
    return _KEYS[columns]


def jsonl_line(names: Sequence[str], values: Sequence[Any]) -> str:
    """One JSON Lines line: the object of ``names`` to ``values``, dates as ISO text, exactly as
    :func:`to_jsonl` writes ``dict(zip(names, values))`` with the dates made text. Values of the
    common kinds (None, text, whole numbers, finite decimals, dates, true and false) are written
    here, each as the encoder :mod:`json` uses writes it; a row holding anything else, or a name
    twice, is written by :func:`json.dumps`."""
    found = _keys(names)
    if found is not None:
        keys, nulls = found
        try:
            cells = [  # (a date's ISO text is digits and dashes: nothing in it to escape)
                null
                if v is None
                else key + encode_basestring(v)
                if type(v) is str
                else key + '"' + v.isoformat() + '"'
                if type(v) is date
                else key + _json_value(v)
                for key, null, v in zip(keys, nulls, values, strict=True)
            ]
            return "{" + ", ".join(cells) + "}\n"
        except (_Unusual, ValueError):  # ValueError: not a value per name
            pass
    plain = [v.isoformat() if isinstance(v, date) else v for v in values]
    return to_jsonl((dict(zip(names, plain, strict=False)),))  # (as a dict of names and values is made)


class _Unusual(HcodeError):
    """A value :func:`jsonl_line` leaves to :func:`json.dumps`."""


def _json_value(value: Any) -> str:
    kind = type(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    raise _Unusual


# -- CSV that a spreadsheet cannot turn into a formula or split into rows ---------------------------

FORMULA_LEADS = ("=", "+", "-", "@")


def _blank(ch: str) -> bool:
    """Whitespace or a control or format character (a spreadsheet skips them before a formula)."""
    return ch.isspace() or unicodedata.category(ch)[0] == "C"


def neutralise(value: Any) -> str:
    """One value as CSV text that a spreadsheet cannot read as a formula: text starting with
    ``=``, ``+``, ``-`` or ``@`` (also after any whitespace or control characters), or with a
    tab or carriage return, gets a leading ``'``. None is an empty field."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return str(value)
    if value[:1].isalnum():  # a letter or digit first: neither blank nor a formula's lead
        return value
    lead = 0
    while lead < len(value) and _blank(value[lead]):
        lead += 1
    if value[lead:].startswith(FORMULA_LEADS) or value.startswith(("\t", "\r")):
        return "'" + value
    return value


class _Dialect(csv.Dialect):
    """RFC 4180 quoting by :mod:`csv`: a field is quoted when it holds the delimiter, the quote
    or a character of ``lineterminator``. The terminator given here holds the tab and the
    carriage return as well, so a field holding one is quoted too (no value can start a row, or
    a column for a reader that splits on tabs); :func:`csv_line` writes ``\\n`` in its place."""

    delimiter = ","
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\t\r\n"
    quoting = csv.QUOTE_MINIMAL


_TERMINATOR = _Dialect.lineterminator


class _Writer(threading.local):
    """A :mod:`csv` writer and its buffer, made once per thread and used for every line."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, _Dialect)


_WRITER = _Writer()


#: What makes :mod:`csv` quote a field in :class:`_Dialect`: the delimiter, the quote, or a
#: character of the line terminator.
_QUOTED = re.compile('["\t\r\n]')


def csv_line(values: Iterable[Any]) -> str:
    """One CSV line (LF line end), each value neutralised, then quoted by :mod:`csv`. A line
    whose fields need no quotes (none holds a comma, a quote, a tab or a line break) is the
    fields joined by commas, which is what :mod:`csv` writes for it; any other line is written
    by :mod:`csv`."""
    cells = [  # neutralise(v), without the call for the common values (as neutralise does them)
        "" if v is None else str(v) if not isinstance(v, str) else v if v[:1].isalnum() else neutralise(v)
        for v in values
    ]
    line = ",".join(cells)
    if line and line.count(",") == len(cells) - 1 and not _QUOTED.search(line):
        return line + "\n"
    buffer = _WRITER.buffer
    buffer.seek(0)
    buffer.truncate()
    _WRITER.writer.writerow(cells)
    return buffer.getvalue().removesuffix(_TERMINATOR) + "\n"


def csv_cell(value: Any) -> str:
    """One value as a CSV field (neutralised, and quoted where it must be); written beside an
    empty field, as :mod:`csv` quotes an empty field alone on its line."""
    return csv_line([value, None])[:-2]


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str] = NAMES) -> str:
    """A header line, then a line per row (LF line ends; every risky field quoted)."""
    return csv_line(columns) + "".join(csv_line(r.get(c) for c in columns) for r in rows)
