"""Dates as people write them: the one reader of dates that every importer and the model use
(pure: no I/O).

* :func:`written_date`: a date written in any common UK way (a self-assessment's cells):
  ``31/03/2025``, ``31.3.25``, ``2025-03-31``, ``31 March 2025``, ``3rd May 2024``, ``March 31st
  2025``, an Excel serial ``45747``; a month alone (``March 2025``, ``03/2025``) as ``"2025-03"``.
  Numbers are read day first (the UK order).
* :class:`DateReader`: the formats an export's mapping names (``DD/MM/YYYY HH:mm``, ``excel``),
  then the forms nobody can misread whatever the formats: ISO ``2024-05-03`` and a date whose
  month is a word (``3rd May 2024``). A day that does not exist (``2025-02-30``) is never a
  date; :meth:`DateReader.impossible` tells it from a value in another form.
* :func:`iso_moment`: a file's ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM`` (a hazard record's events,
  a case step's ``--at``), with a message saying what is wrong.
"""

from __future__ import annotations

import re
from calendar import month_name
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from hcode.core.calendar import out_of_range
from hcode.core.model import Moment
from hcode.core.text import shorten
from hcode.errors import HcodeError

EXCEL_EPOCH = date(1899, 12, 30)
#: Excel's serial numbers hcode reads as dates (1 = 1900-01-01 .. 9999-12-31).
EXCEL_RANGE = (1, 2958466)

# "jan" -> 1 ... "dec" -> 12, from the standard library's month names (hcode never sets a locale)
_MONTHS = {name[:3].lower(): number for number, name in enumerate(month_name) if name}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t](\d{1,2}):(\d{2})(?::\d{2})?)?")
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?: (\d{1,2}):(\d{2})(?::\d{2})?)?")


def excel_serial(value: float) -> date:
    """The date of an Excel serial number (1900 system; 45747 → 2025-03-31)."""
    return EXCEL_EPOCH + timedelta(days=int(value))


def safe_date(y: int, m: int, d: int) -> date | None:
    """The day, or None where there is no such day (2025-02-30)."""
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_word(tok: str) -> int | None:
    """The month a word names ("may", "sept", "Mar", "december"), or None."""
    if tok == "sept":
        return 9
    if tok[:3] in _MONTHS:
        full = month_name[_MONTHS[tok[:3]]].lower()
        if len(tok) == 3 or full.startswith(tok):
            return _MONTHS[tok[:3]]
    return None


def _worded(t: str) -> date | str | None:
    """A date whose month is a word ("3rd May 2024", "May 3 2024", "May 2024"), or None."""
    day = month = year = None
    for tok in re.findall(r"[a-z]+|\d+", t):
        if tok.isdigit():
            if len(tok) == 4 and year is None:
                year = int(tok)
            elif len(tok) <= 2 and day is None:
                day = int(tok)
            else:
                return None
        elif (found := _month_word(tok)) is not None and month is None:
            month = found
        elif tok not in ("st", "nd", "rd", "th", "of"):
            return None
    if month is None or year is None:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    return safe_date(year, month, day)


def written_date(text: str) -> date | str | None:
    """A date written in any common UK way (see the module): a ``date``, a month ``"2025-03"``,
    or None if the text is not a date (or names a day that does not exist)."""
    t = text.strip().lower()
    if not t:
        return None
    if re.fullmatch(r"\d{5}(\.0+)?", t):
        n = float(t)
        return excel_serial(n) if 20000 <= n <= 80000 else None
    m = _ISO.fullmatch(t)
    if m:
        return safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _NUMERIC.fullmatch(t)
    if m:
        yy = int(m.group(3))
        return safe_date(yy + 2000 if yy < 100 else yy, int(m.group(2)), int(m.group(1)))
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{4})", t)
    if m:
        return f"{int(m.group(2)):04d}-{int(m.group(1)):02d}" if 1 <= int(m.group(1)) <= 12 else None
    return _worded(t)


def unmistakable_date(text: str) -> date | None:
    """A day written in a form nobody can misread, whatever order an export's numbers follow:
    ISO (``2024-05-03``, with a time or not) or with the month as a word (``3rd May 2024``)."""
    t = text.strip().lower()
    m = _ISO.fullmatch(t)
    if m:
        return safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if re.search(r"[a-z]", t):
        found = _worded(re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?$", "", t))
        return found if isinstance(found, date) else None
    return None


def iso_moment(text: str) -> Moment:
    """``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM`` (a space for the T is accepted) as a Moment;
    ValueError saying what is wrong otherwise."""
    day_text, _, clock = text.strip().replace(" ", "T", 1).partition("T")
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    if not clock:
        return Moment(day)
    parts = clock.split(":")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts):
        raise ValueError(f"{text!r}: write the time as HH:MM on the 24-hour clock")
    try:
        return Moment(day, time(int(parts[0]), int(parts[1])))
    except ValueError:
        raise ValueError(f"{text!r} is not a real time of day (00:00 to 23:59)") from None


# -- an export's formats ----------------------------------------------------------------------------

_TOKENS = re.compile(r"YYYY|YY|MMMM|MMM|MM|M|DD|D|HH|H|mm|ss|.", re.S)
_STRPTIME = {
    "YYYY": "%Y",
    "YY": "%y",
    "MMMM": "%B",
    "MMM": "%b",
    "MM": "%m",
    "M": "%m",
    "DD": "%d",
    "D": "%d",
    "HH": "%H",
    "H": "%H",
    "mm": "%M",
    "ss": "%S",
}


def strptime_format(pattern: str) -> str:
    """``DD/MM/YYYY HH:mm`` → ``%d/%m/%Y %H:%M`` (``excel`` stays ``excel``)."""
    if pattern.strip().lower() == "excel":
        return "excel"
    return "".join(_STRPTIME.get(tok, tok.replace("%", "%%")) for tok in _TOKENS.findall(pattern))


def format_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be a date format (no day, month or year), or None."""
    f = strptime_format(pattern)
    if f != "excel" and not ("%d" in f and ("%m" in f or "%b" in f or "%B" in f) and ("%Y" in f or "%y" in f)):
        return f"date format {pattern!r} needs a day (DD), a month (MM, MMM or MMMM) and a year (YYYY or YY)"
    return None


class DateReader:
    """Reads dates in an export's formats (then the unmistakable forms), remembering each text
    it has read. ValueError for a pattern :func:`format_problem` refuses."""

    def __init__(self, patterns: Sequence[str]) -> None:
        for p in patterns:
            problem = format_problem(p)
            if problem is not None:
                raise ValueError(problem)
        self.patterns = list(patterns)
        self.formats = [strptime_format(p) for p in patterns]
        self.excel = "excel" in self.formats
        self._seen: dict[str, date | None] = {}

    def fits(self, text: str) -> date | None:
        """The date ``text`` holds in one of the formats themselves (None: it fits none)."""
        for f in self.formats:
            if f == "excel":
                if re.fullmatch(r"\d{1,7}(\.\d+)?", text) and EXCEL_RANGE[0] <= float(text) < EXCEL_RANGE[1]:
                    return excel_serial(float(text))
                continue
            try:
                return datetime.strptime(text, f).date()
            except ValueError:
                continue
        return None

    def read(self, value: Any) -> date | None:
        """The date in ``value``, or None if it fits no format and is not written in a form
        nobody can misread (empty cells are not dates)."""
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return excel_serial(value) if self.excel and EXCEL_RANGE[0] <= value < EXCEL_RANGE[1] else None
        text = str(value).strip()
        if text in self._seen:
            return self._seen[text]
        found = self.fits(text)
        if found is None:
            found = unmistakable_date(text)
        self._seen[text] = found
        return found

    def read_moment(self, value: Any) -> Moment | None:
        """A hazard report's event in ``value``: the date with its time of day where the cell
        or the matching format has one (``03/11/2025 16:40``), else the date alone."""
        if isinstance(value, datetime):
            clock = value.time().replace(second=0, microsecond=0)
            return Moment(value.date(), clock if value.time() != time.min else None)
        if isinstance(value, date):
            return Moment(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            day = self.read(value)
            if day is None:
                return None
            minutes = round((float(value) % 1) * 24 * 60)
            return Moment(day, time(minutes // 60, minutes % 60) if 0 < minutes < 24 * 60 else None)
        text = str(value).strip()
        for f in self.formats:
            if f == "excel" or "%H" not in f:
                continue
            try:
                found = datetime.strptime(text, f)
            except ValueError:
                continue
            return Moment(found.date(), found.time().replace(second=0))
        m = _ISO.fullmatch(text.lower())
        if m and m.group(4) is not None:  # 2025-11-03 16:40 or 2025-11-03T16:40, whatever the formats
            day = safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            hours, minutes = int(m.group(4)), int(m.group(5))
            if day is not None and hours < 24 and minutes < 60:
                return Moment(day, time(hours, minutes))
        day = self.read(value)
        return Moment(day) if day is not None else None

    def impossible(self, value: Any) -> bool:
        """Whether ``value`` has the shape of a date but names no real day (2025-02-30, 30th
        February 2025)."""
        text = str(value).strip()
        if not re.search(r"\d", text):
            return False
        m = _ISO.fullmatch(text.lower())
        if m:
            return safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3))) is None
        if re.search(r"[a-z]", text.lower()) and _worded(re.sub(r"(?<!\d)\d{1,2}(?!\d)", "1", text.lower(), count=1)):
            return _worded(text.lower()) is None
        for f in self.formats:
            if f == "excel":
                continue
            # the same text with its first number (day or year) made 1, or its day made 1, parses
            for fixed in (re.sub(r"\b(29|3[01])\b", "1", text, count=1), re.sub(r"\b(\d{1,2})$", "1", text)):
                try:
                    datetime.strptime(fixed, f)
                    return fixed != text
                except ValueError:
                    continue
        return False


# ---------------------------------------------------------------------------------------------
# The model's own dates: what a date or event field of hcode's files must be


class DateProblem(HcodeError):
    """A date field of hcode's own files that the model cannot take: the message ``check`` prints
    (naming the field) and a hint."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def model_day(value: Any, field: Any) -> date:
    """A date field (``field``: its name, or its index in a list) as the model takes it: a real
    day written ``YYYY-MM-DD``, within the dates hcode works with; else :class:`DateProblem`."""
    try:
        found = date.fromisoformat(value)
    except (TypeError, ValueError):
        raise DateProblem(
            f"{field!r} is {shorten(value)!r}, which is not a real date", "check the day and month (YYYY-MM-DD)"
        ) from None
    why = out_of_range(found)
    if why is not None:
        raise DateProblem(f"{field!r}: {why}", "check the year")
    return found


def model_moment(value: Any, field: Any) -> Moment:
    """A hazard record's event (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM``) as the model takes it;
    else :class:`DateProblem` (the day as :func:`model_day`, then the time of day)."""
    text = str(value)
    day_text, _, clock = text.partition("T")
    day = model_day(day_text, field)
    if not clock:
        return Moment(day)
    try:
        return Moment(day, iso_moment(text).time)
    except ValueError:
        raise DateProblem(
            f"{field!r} is {shorten(text)!r}, which is not a real time of day",
            "write the time as HH:MM on the 24-hour clock (00:00 to 23:59)",
        ) from None
