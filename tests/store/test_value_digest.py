"""``value_digest``: a typed value's digest by its classes and values, not by which of its
pieces are one object."""

from __future__ import annotations

import pickle
import types
from dataclasses import dataclass
from datetime import date

import pytest

from hcode.store.cachefile import TYPED, value_digest


@dataclass(frozen=True)
class _Cell:
    text: str
    day: date | None = None


@dataclass(frozen=True)
class _Other:
    text: str
    day: date | None = None


def test_the_same_values_shared_or_not_have_one_digest() -> None:
    word = "".join(["re", "pairs"])  # a text made at run time: another object than "repairs"
    shared = _Cell(word)
    one = {"rows": [shared, shared], "name": word, "at": types.MappingProxyType({"k": word})}
    other = {
        "rows": [_Cell("repairs"), _Cell("repairs")],
        "name": "repairs",
        "at": types.MappingProxyType({"k": "repairs"}),
    }
    assert TYPED.encode(one) != TYPED.encode(other)  # pickled with its memo, they differ
    assert value_digest(one) == value_digest(other)
    assert value_digest(pickle.loads(TYPED.encode(one))) == value_digest(one)  # read back, as from the cache


@pytest.mark.parametrize(
    "changed",
    [
        {"rows": (_Cell("repairs"),)},  # a tuple, not a list
        {"rows": [_Other("repairs")]},  # another class with the same fields
        {"rows": [_Cell("repairs", date(2025, 1, 1))]},
        {"rows": [_Cell("Repairs")]},
        {"rows": [_Cell("repairs")], "more": None},
    ],
)
def test_any_other_value_has_another_digest(changed: dict[str, object]) -> None:
    assert value_digest(changed) != value_digest({"rows": [_Cell("repairs")]})


def test_a_value_that_cannot_be_kept_raises() -> None:
    with pytest.raises((TypeError, AttributeError)):
        value_digest({"f": lambda: 1})
