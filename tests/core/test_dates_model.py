"""The model's own date checks (core): what a date or event field of hcode's files must be,
in the words `check` prints."""

from __future__ import annotations

from datetime import date, time

import pytest

from hcode.core.dates import DateProblem, model_day, model_moment
from hcode.core.model import Moment


def test_a_real_day_within_the_dates_hcode_works_with() -> None:
    assert model_day("2024-05-03", "received") == date(2024, 5, 3)
    assert model_moment("2024-05-03T16:40", "made_safe") == Moment(date(2024, 5, 3), time(16, 40))
    assert model_moment("2024-05-03", "aware") == Moment(date(2024, 5, 3))


@pytest.mark.parametrize(
    ("value", "field", "message", "hint"),
    [
        ("2025-02-30", "received", "'received' is '2025-02-30', which is not a real date", "check the day and month"),
        (20240503, "received", "'received' is '20240503', which is not a real date", "check the day and month"),
        ("1850-01-01", "responded", "'responded': 1850-01-01 is outside the dates hcode works with", "check the year"),
        ("2024-05-03", 2, None, None),
    ],
)
def test_what_is_wrong_with_a_day_names_its_field(
    value: object, field: object, message: str | None, hint: str | None
) -> None:
    if message is None:
        assert model_day(value, field) == date(2024, 5, 3)
        return
    with pytest.raises(DateProblem) as caught:
        model_day(value, field)
    assert caught.value.message.startswith(message) and caught.value.hint.startswith(hint or "")


def test_a_time_of_day_that_is_not_one() -> None:
    with pytest.raises(DateProblem, match=r"'made_safe' is '2024-05-03T25:00', which is not a real time of day"):
        model_moment("2024-05-03T25:00", "made_safe")
    with pytest.raises(DateProblem, match=r"'aware' is '2024-13-01', which is not a real date"):
        model_moment("2024-13-01T10:00", "aware")
