"""The one reader of dates (hcode.core.dates): every form each importer accepts, in tables."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from hcode.core.dates import DateReader, excel_serial, iso_moment, unmistakable_date, written_date
from hcode.core.model import Moment

# -- written_date: a self-assessment's cells ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3rd May 2024", date(2024, 5, 3)),
        ("03/05/2024", date(2024, 5, 3)),  # day first, the UK order
        ("3/5/24", date(2024, 5, 3)),
        ("03.05.2024", date(2024, 5, 3)),
        ("03-05-2024", date(2024, 5, 3)),
        ("2024-05-03", date(2024, 5, 3)),
        ("2024-05-03 14:02", date(2024, 5, 3)),
        ("2024-05-03T14:02", date(2024, 5, 3)),
        ("03/05/2024 14:02", date(2024, 5, 3)),
        ("3 May 2024", date(2024, 5, 3)),
        ("May 3rd 2024", date(2024, 5, 3)),
        ("3rd of May 2024", date(2024, 5, 3)),
        ("31st Mar 2025", date(2025, 3, 31)),
        ("45747", date(2025, 3, 31)),  # an Excel serial written as text
        ("June 2025", "2025-06"),
        ("Sept 2025", "2025-09"),
        ("06/2025", "2025-06"),
        ("2025-02-30", None),  # no such day
        ("30/02/2025", None),
        ("30th February 2025", None),
        ("13/2025", None),
        ("Complete", None),
        ("tbc", None),
        ("Marching on 2025", None),
        ("", None),
    ],
)
def test_written_dates(text: str, value: object) -> None:
    assert written_date(text) == value


def test_excel_serial() -> None:
    assert excel_serial(45747) == date(2025, 3, 31)
    assert excel_serial(1) == date(1899, 12, 31)


# -- DateReader: an export's formats, then the forms nobody can misread --------------------------


@pytest.mark.parametrize(
    ("patterns", "text", "value"),
    [
        (["DD/MM/YYYY"], "03/05/2024", date(2024, 5, 3)),
        (["MM/DD/YYYY"], "03/05/2024", date(2024, 3, 5)),  # the mapping's order decides numbers
        (["DD/MM/YYYY"], "2024-05-03", date(2024, 5, 3)),  # ISO whatever the formats
        (["DD/MM/YYYY"], "3rd May 2024", date(2024, 5, 3)),  # the month a word
        (["DD/MM/YYYY"], "May 3 2024", date(2024, 5, 3)),
        (["DD/MM/YYYY"], "2024-05-03 14:02", date(2024, 5, 3)),
        (["DD/MM/YYYY HH:mm"], "03/05/2024 14:02", date(2024, 5, 3)),
        (["DD-MMM-YYYY"], "03-May-2024", date(2024, 5, 3)),
        (["excel"], "45415", date(2024, 5, 3)),
        (["DD/MM/YYYY"], "45415", None),  # a serial only when the mapping says excel
        (["DD/MM/YYYY"], "05/31/2024", None),  # numbers in another order are not guessed
        (["DD/MM/YYYY"], "2025-02-30", None),
        (["DD/MM/YYYY"], "30/02/2025", None),
        (["DD/MM/YYYY"], "May 2024", None),  # a month is not a day
        (["DD/MM/YYYY"], "soon", None),
    ],
)
def test_reader_forms(patterns: list[str], text: str, value: date | None) -> None:
    assert DateReader(patterns).read(text) == value


@pytest.mark.parametrize(
    ("text", "impossible"),
    [
        ("2025-02-30", True),
        ("30/02/2025", True),
        ("31/04/2025", True),
        ("30th February 2025", True),
        ("3rd May 2024", False),
        ("soon", False),
    ],
)
def test_impossible_days_are_told_from_other_forms(text: str, impossible: bool) -> None:
    assert DateReader(["DD/MM/YYYY"]).impossible(text) is impossible


@pytest.mark.parametrize(
    ("patterns", "value", "moment"),
    [
        (["DD/MM/YYYY HH:mm", "DD/MM/YYYY"], "03/11/2025 16:40", Moment(date(2025, 11, 3), time(16, 40))),
        (["DD/MM/YYYY HH:mm", "DD/MM/YYYY"], "03/11/2025", Moment(date(2025, 11, 3))),
        (["DD/MM/YYYY"], "2025-11-03T16:40", Moment(date(2025, 11, 3), time(16, 40))),
        (["DD/MM/YYYY"], "2025-11-03 16:40", Moment(date(2025, 11, 3), time(16, 40))),
        (["DD/MM/YYYY"], "2025-11-03 24:10", Moment(date(2025, 11, 3))),  # no such time: the day alone
        (["DD/MM/YYYY"], "3rd November 2025", Moment(date(2025, 11, 3))),
        (["excel"], 45964.75, Moment(date(2025, 11, 3), time(18, 0))),
        (["DD/MM/YYYY"], datetime(2025, 11, 3, 16, 40), Moment(date(2025, 11, 3), time(16, 40))),
        (["DD/MM/YYYY"], "2025-02-30T10:00", None),
    ],
)
def test_reader_moments(patterns: list[str], value: object, moment: Moment | None) -> None:
    assert DateReader(patterns).read_moment(value) == moment


def test_unmistakable_forms_only() -> None:
    assert unmistakable_date("2024-05-03") == date(2024, 5, 3)
    assert unmistakable_date("3rd May 2024 09:30") == date(2024, 5, 3)
    assert unmistakable_date("03/05/2024") is None  # day or month first? the mapping says
    assert unmistakable_date("May 2024") is None


# -- iso_moment: a file's events and a step's --at -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2025-11-03", Moment(date(2025, 11, 3))),
        ("2025-11-03T16:40", Moment(date(2025, 11, 3), time(16, 40))),
        ("2025-11-03 16:40", Moment(date(2025, 11, 3), time(16, 40))),
    ],
)
def test_iso_moments(text: str, moment: Moment) -> None:
    assert iso_moment(text) == moment


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2025-02-30", "is not a date"),
        ("03/11/2025", "is not a date"),
        ("2025-11-03T9:40", "HH:MM"),
        ("2025-11-03T24:00", "not a real time"),
    ],
)
def test_iso_moments_refused(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        iso_moment(text)
