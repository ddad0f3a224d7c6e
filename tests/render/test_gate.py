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


def test_a_text_is_looked_at_once_per_output_and_a_refused_one_is_still_refused(monkeypatch: Any) -> None:
    """A text repeated through an output (a status, a reason) is looked at once; what is refused
    is refused wherever it is, and named where it first occurs."""
    import hcode.render.gate as gate_module
    from hcode.core.rules.privacy import published_personal_data as real

    seen: list[str] = []

    def counted(text: str, declared: Any = ()) -> str | None:
        seen.append(text)
        return real(text, declared)

    monkeypatch.setattr(gate_module, "published_personal_data", counted)
    rows = [{"status": "met", "reason": "in time"} for _ in range(50)]
    gate(rows)
    assert sorted(seen) == ["in time", "met", "reason", "status"]
    with pytest.raises(PrivacyRefused) as refused:
        gate([*rows, {"status": "met", "reason": PHONE}, {"reason": PHONE}])
    assert refused.value.field == "[50].reason"
    gate(rows)  # a new output looks again
    assert len(seen) > 4 + 4
