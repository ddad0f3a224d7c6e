"""The privacy gate names where in the output a refused text is, however deep it sits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from hcode.render.gate import PrivacyRefused, gate

PHONE = "Call Jo on 07700 900123"


@dataclass(frozen=True)
class _Row:
    when: date
    count: int
    notes: tuple[str, ...]
    extra: dict[str, Any]


@pytest.mark.parametrize(
    ("value", "field"),
    [
        (PHONE, "the output"),
        ({"a": {"b": ["ok", ["fine", PHONE]]}}, "a.b[1][1]"),  # a list in a list in a mapping
        ([{"x": 1}, {"x": None, "y": PHONE}], "[1].y"),
        ({PHONE: "ok"}, PHONE),  # a key is searched too, and names itself
        ({3: {"z": (PHONE,)}}, "3.z[0]"),
        (_Row(date(2025, 1, 1), 2, ("ok", PHONE), {}), "notes[1]"),
        ({"rows": [_Row(date(2025, 1, 1), 2, (), {"k": [{"m": PHONE}]})]}, "rows[0].extra.k[0].m"),
    ],
)
def test_a_refused_text_names_its_field(value: Any, field: str) -> None:
    with pytest.raises(PrivacyRefused) as refused:
        gate(value)
    assert (refused.value.field, refused.value.what, refused.value.value) == (field, "a phone number", PHONE)
    assert str(refused.value) == f"{field} seems to hold a phone number"


def test_values_without_text_pass_and_drawn_keys_are_not_searched() -> None:
    value = {
        "n": [1, 2.5, True, None, date(2025, 1, 1)],
        "charts": {"svg": PHONE},
        "row": _Row(date(2025, 1, 1), 0, ("ok",), {}),
    }
    assert gate(value).value is value
    assert gate(value, ("07700 900123",)).value is value
    assert gate({"t": PHONE}, ("07700 900123",)).value == {"t": PHONE}
