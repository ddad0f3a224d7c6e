"""``hcode due``'s rows kept as their JSON text and a few columns (:class:`hcode.api.due.DueRows`):
the listing written from that text is byte for byte the listing built from the rows, for every
way of choosing them (``--all``, ``--within``, the filters, ``--limit``, an hours clock worked
out afresh), cold or warm; where the written text could differ (a character the CI-safe output
changes), the rows are built and printed the exact way."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import copy_example, make_ws, run
from hcode.api.due import _READ, DueRows, _Kept, due_listing
from hcode.api.duties import due_duties
from hcode.api.values import listing_selection
from hcode.api.workspace import OpenWorkspace, open_store
from hcode.cli.common import json_printed, json_rows_printed
from hcode.render.listings import json_listing

AS_OF = date(2025, 7, 31)


def printed(doc: dict[str, Any]) -> bytes | str:
    """What ``hcode due --format json`` prints for ``doc`` (its rows as :class:`DueRows`)."""
    found = json_rows_printed(doc, "milestones")
    return b"".join(found) if isinstance(found, list) else found


def exact(doc: dict[str, Any]) -> bytes | str:
    """The same document with its rows built, printed as every other JSON listing is."""
    return json_printed({**doc, "milestones": doc["milestones"].rows()}, floats=False)


def listing(ws: OpenWorkspace, as_of: date | None, limit: int | None = None, **how: Any) -> dict[str, Any]:
    chosen = listing_selection(ws.settings, **{k: how.pop(k) for k in list(how) if k not in ("within", "all")})
    _, rows, _ = due_listing(ws, as_of, chosen=chosen, **how)
    duties = due_duties(ws, as_of, within=how.get("within"), all=how.get("all", False), chosen=chosen)
    head = {"hcode": 1, "as_of": str(as_of), "workspace": ws.settings.landlord}
    return json_listing(head, "milestones", rows, limit, duties=duties.rows())


CHOICES: list[dict[str, Any]] = [
    {},
    {"all": True},
    {"all": True, "limit": 3},
    {"limit": 1},
    {"all": True, "limit": 0},
    {"within": 5},
    {"all": True, "within": 0},
    {"all": True, "overdue": True},
    {"all": True, "open_only": True},
    {"all": True, "kinds": ["complaint"]},
    {"all": True, "categories": ["repairs"], "limit": 2},
    {"all": True, "year": "2024-25"},
    {"all": True, "handlers": ["nobody"]},
]


def _selection_args(how: dict[str, Any]) -> dict[str, Any]:
    return how


@pytest.mark.parametrize("use_cache", [False, True])
def test_the_listing_from_the_kept_text_is_the_listing_of_the_rows(tmp_path: Path, use_cache: bool) -> None:
    ws_path = copy_example(tmp_path / "ws")
    for _ in range(2):  # with the cache: filled, then served
        ws = OpenWorkspace(open_store(ws_path, use_cache=use_cache))
        for how in CHOICES:
            how = dict(how)
            limit = how.pop("limit", None)
            doc = listing(ws, AS_OF, limit, **_selection_args(how))
            assert len(doc["milestones"]) or how.get("handlers"), how  # rows to write, but where none is chosen
            got = printed(doc)
            assert isinstance(got, bytes)  # written from the kept text
            assert got == exact(doc), how


def test_the_kept_rows_are_the_rows_read_afresh(tmp_path: Path) -> None:
    ws_path = copy_example(tmp_path / "ws")
    fresh = due_listing(OpenWorkspace(open_store(ws_path, use_cache=False)), AS_OF, all=True)[1]
    due_listing(OpenWorkspace(open_store(ws_path)), AS_OF, all=True)  # fills the cache
    kept = due_listing(OpenWorkspace(open_store(ws_path)), AS_OF, all=True)[1]
    rows = fresh.rows()
    assert len(rows) > 50
    assert kept.rows() == rows
    assert bytes(kept.json_text()) == bytes(fresh.json_text())
    for key in _READ:
        assert kept.column(key) == fresh.column(key) == [r.get(key) for r in rows], key
    part = kept[3:9]
    assert part.rows() == rows[3:9]
    assert part.column("case") == [r["case"] for r in rows[3:9]]
    assert bytes(part.json_text()) == b",\n    ".join(bytes(kept[i : i + 1].json_text()) for i in range(3, 9))


def test_a_running_hours_clock_is_written_as_worked_out_now(tmp_path: Path) -> None:
    aware = (datetime.now() - timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M")
    emergency = f"id: HZ-2025-0009\nkind: hazard\naware: {aware}\nhazard: fire\nrisk: emergency\n"
    other = "id: C-2024-0001\nkind: complaint\nreceived: 2024-05-01\ncategory: repairs\n"
    config = "hcode: 1\nlandlord: Test Homes\nhomes: 100\ncode: auto\n"
    root = make_ws(tmp_path, {"cases/2025/HZ-2025-0009.yaml": emergency, "cases/2024/C-2024-0001.yaml": other}, config)
    for _ in range(2):
        ws = OpenWorkspace(open_store(root))
        doc = listing(ws, None, **_selection_args({"all": True}))
        rows = doc["milestones"]
        assert any(isinstance(r.get("hours_left"), float) for r in rows.rows())  # worked out now
        assert rows.column("hours_left") == [r.get("hours_left") for r in rows.rows()]
        assert printed(doc) == exact(doc)
        within = listing(ws, None, 1, **_selection_args({"within": 0}))
        assert printed(within) == exact(within)


def test_text_the_safe_output_would_change_is_printed_the_exact_way(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "ws")
    config = root / "hcode.yaml"
    config.write_text(config.read_text().replace("landlord: Riverside Vale Homes", "landlord: 'Vale ::error:: Homes'"))
    ws = OpenWorkspace(open_store(root))
    assert "::" in ws.settings.landlord
    doc = listing(ws, AS_OF, **_selection_args({"all": True}))
    got = printed(doc)
    assert isinstance(got, str)  # not the kept text: built and made safe
    assert got == exact(doc)
    shown = run("due", root, "--all", "--as-of", str(AS_OF), "--format", "json")
    assert shown.exit_code == 0 and shown.json()["milestones"] == doc["milestones"].rows()


def test_the_kept_bytes_build_back_the_same_rows(tmp_path: Path) -> None:
    ws = OpenWorkspace(open_store(copy_example(tmp_path / "ws"), use_cache=False))
    rows = due_listing(ws, AS_OF, all=True)[1]
    again = DueRows(_Kept.decode(b"".join(rows._kept.encode())))
    assert again.rows() == rows.rows()
    assert bytes(again.json_text()) == bytes(rows.json_text())
    assert all(again.column(k) == rows.column(k) for k in _READ)
    with pytest.raises(ValueError):
        _Kept.decode(b"[1]\nnot what was kept")


TEXT = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(["::", "##[", 'a"b\\c', "é", "\x7f", ""])
VALUE = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | TEXT | st.floats(allow_nan=False, width=32)
ROW = st.fixed_dictionaries(
    {"case": TEXT, "status": st.sampled_from(["overdue", "open", "met"]), "left": st.none() | st.integers(-50, 50)},
    optional={k: VALUE for k in ("stage", "event", "hours_left", "kind", "handler", "extra")},
)


@given(rows=st.lists(ROW, max_size=6), limit=st.none() | st.integers(0, 7), within=st.none() | st.integers(0, 20))
def test_any_rows_are_written_as_the_rows_built(
    rows: list[dict[str, Any]], limit: int | None, within: int | None
) -> None:
    kept = DueRows.of(rows)
    assert kept.rows() == orjson.loads(orjson.dumps(rows))
    chosen = kept.within(within)
    doc = json_listing({"hcode": 1, "workspace": "W"}, "milestones", chosen, limit, duties=[])
    assert printed(doc) == exact(doc)
