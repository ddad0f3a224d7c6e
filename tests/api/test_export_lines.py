"""``hcode export`` writes each row where its case is read (the worker processes of a large
workspace), through the privacy gate's rule there, and the process that writes gates the rows in
order before writing any: the same bytes as the export made from the typed rows in one process
(the path it replaced), the same refusals, and every file that cannot be read still reported."""

from __future__ import annotations

import itertools
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import hcode
import hcode.store.scan
from conftest import ROOT, Result, copy_example, make_ws
from hcode.cli import app
from hcode.core.exportrow import NAMES, ExportRow
from hcode.core.text import AsIs, safe_as_is, safe_output, safe_pieces
from hcode.render.export import csv_line
from hcode.render.gate import PrivacyRefused, Screened, gate, gate_screened, screen

AS_OF = "2025-07-31"
AS_OF_DATE = date(2025, 7, 31)

#: Values a spreadsheet, a CSV reader, a terminal or a CI runner could take for something else,
#: and personal data the gate must stop.
AWKWARD = [
    "repairs, and more",
    'the "leak"',
    "two\nlines",
    "a\r\nwindows line",
    "Ŵelsh ŷ café",
    "=SUM(A1:A2)",
    "+44",
    "-1",
    "@cmd",
    "\t=tabbed",
    " =after a space",
    "::error::from the data",
    "##[warning]old form",
    "bidi \u202e reversed",
    "bell \x07 and del \x7f",
    "ends with a tab\t",
]
PERSONAL = ["write to jo@example.org", "call 07700 900123", "lives at SW1A 1AA"]

_texts = st.one_of(
    st.sampled_from(AWKWARD),
    st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=12).filter(str.strip),
)


def _yaml(value: str | int) -> str:
    """A value as a YAML double-quoted scalar (what YAML cannot hold raw written as an escape)."""
    if isinstance(value, int):
        return str(value)
    out = []
    for ch in value:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or 0x7F <= code <= 0x9F or code in (0xFFFE, 0xFFFF):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@st.composite
def _workspaces(draw: st.DrawFn, personal: bool = False) -> dict[str, str]:
    """Case files (complaints and service requests) whose texts are awkward, received on few
    days (so rows received the same day are ordered by id); with ``personal``, some texts hold
    personal data."""
    texts = st.one_of(_texts, st.sampled_from(PERSONAL)) if personal else _texts
    files: dict[str, str] = {}
    for i in range(draw(st.integers(1, 7))):
        case_id = f"C-{draw(st.integers(1, 99)):02d}-{i}"
        received = f"2024-05-{draw(st.integers(1, 3)):02d}"
        lines = [f"id: {case_id}", f"received: {received}", f"category: {_yaml(draw(texts))}"]
        if draw(st.booleans()):
            lines[1:1] = ["kind: service-request"]
            lines.append("resolved: 2024-05-20")
        else:
            lines[1:1] = ["kind: complaint"]
            handler = draw(st.one_of(texts, st.integers(1, 999)))
            lines += ["stage1:", "  acknowledged: 2024-05-08", "  definition: Leak.", f"  handler: {_yaml(handler)}"]
            if draw(st.booleans()):
                lines += ["  responded: 2024-06-20", "  outcome: upheld"]
            if draw(st.booleans()):
                lines += ["remedy:", f"  compensation: {draw(st.sampled_from(['100', '12.5', '0.1', '1000000.0']))}"]
        files[f"cases/{case_id}.yaml"] = "\n".join(lines) + "\n"
    return files


def _as_first_written(ws: Path, fmt: str) -> tuple[str, str | None]:
    """The export as the typed rows make it in one process (the path the command replaced):
    gated as one value, each row written, the whole text made safe; or the refusal's message."""
    try:
        rows = hcode.open_workspace(ws, use_cache=False).export(as_of=AS_OF_DATE).rows
    except hcode.InputUnusable as exc:
        return "", exc.message
    if fmt == "csv":
        text = csv_line(NAMES) + "".join(csv_line([getattr(r, c) for c in NAMES]) for r in rows)
    else:
        text = "".join(json.dumps(r.row(), ensure_ascii=False) + "\n" for r in rows)
    return safe_output(text, kind=fmt), None


def _exported(ws: Path, fmt: str, *extra: str | Path) -> Any:
    """The command's result; ``stdout``: its bytes as UTF-8 text exactly (the test runner's own
    ``stdout`` turns CR LF into LF)."""
    args = [str(a) for a in ("export", ws, "--as-of", AS_OF, "-f", fmt, *extra)]
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    return Result(result.exit_code, result.stdout_bytes.decode("utf-8"), result.stderr)


def _same_as_first_written(tmp_path: Path, files: dict[str, str], fmt: str, parallel: bool) -> None:
    ws = make_ws(tmp_path / "ws", files)
    expected, refused = _as_first_written(ws, fmt)
    workers = ["--workers", "2"] if parallel else ["--workers", "1"]
    for extra in (["--no-cache"], [], []):  # afresh, then filling the cache, then from it
        r = _exported(ws, fmt, *workers, *extra)
        if refused is not None:
            assert r.exit_code == 3 and r.stdout == "", r.stderr
            assert f"hcode: {refused}\n" in r.stderr
            assert "jo@example.org" not in r.stderr and "900123" not in r.stderr
        else:
            assert r.exit_code == 0, r.stderr
            assert r.stdout == expected
    out = tmp_path / f"cases.{fmt}"
    r = _exported(ws, fmt, *workers, "-o", out)
    if refused is None:
        assert r.exit_code == 0 and out.read_bytes() == expected.encode("utf-8")
    else:
        assert r.exit_code == 3 and not out.exists()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=_workspaces(), fmt=st.sampled_from(["csv", "jsonl"]))
def test_the_export_writes_what_the_typed_rows_make(
    tmp_path_factory: pytest.TempPathFactory, files: dict[str, str], fmt: str
) -> None:
    _same_as_first_written(tmp_path_factory.mktemp("export"), files, fmt, parallel=False)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=_workspaces(personal=True), fmt=st.sampled_from(["csv", "jsonl"]))
def test_worker_processes_write_and_refuse_as_one_process_does(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], fmt: str
) -> None:
    """The rows made and screened in worker processes: the same bytes, and personal data in any
    row refuses the whole export with the message the one-process gate gives (the row by its
    place in the export, the field, the file and line; never the value)."""
    monkeypatch.setattr(hcode.store.scan, "PARALLEL_FROM", 1)
    _same_as_first_written(tmp_path_factory.mktemp("export"), files, fmt, parallel=True)


def test_personal_data_in_a_later_row_refuses_the_whole_export(tmp_path: Path) -> None:
    """Refused at the row as written (sorted by date received), not as read: the message names
    the third row's handler, and nothing is written."""
    files = {
        "cases/A-1.yaml": "id: A-1\nkind: service-request\nreceived: 2024-05-03\ncategory: repairs\n",
        "cases/B-1.yaml": "id: B-1\nkind: service-request\nreceived: 2024-05-01\ncategory: repairs\n",
        "cases/C-1.yaml": "id: C-1\nkind: complaint\nreceived: 2024-05-02\ncategory: repairs\nstage1:\n"
        "  acknowledged: 2024-05-08\n  definition: Leak.\n  handler: call 07700 900123\n",
    }
    ws = make_ws(tmp_path / "ws", files)
    for fmt in ("csv", "jsonl"):
        r = _exported(ws, fmt)
        assert r.exit_code == 3 and r.stdout == ""
        assert "the export was not written: [1].stage1_handler, written at cases/C-1.yaml:8" in r.stderr
        assert "900123" not in r.stderr


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("parallel", [False, True])
def test_a_file_that_cannot_be_read_is_still_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, parallel: bool
) -> None:
    files = {
        "cases/A-1.yaml": "id: A-1\nkind: service-request\nreceived: 2024-05-03\ncategory: repairs\n",
        "cases/B-1.yaml": "id: [unclosed\n",
        "cases/C-1.yaml": "id: C-1\nkind: service-request\nreceived: 2024-05-01\n",  # no category
    }
    ws = make_ws(tmp_path / "ws", files)
    if parallel:
        monkeypatch.setattr(hcode.store.scan, "PARALLEL_FROM", 1)
    workers = "2" if parallel else "1"
    for extra in (["--no-cache"], [], []):
        r = _exported(ws, fmt, "--workers", workers, *extra)
        assert r.exit_code == 3 and r.stdout == ""
        assert "cases/B-1.yaml:2:1: YAML syntax error" in r.stderr and "cases/C-1.yaml:1" in r.stderr
        assert "2 file(s) cannot be read, so the export would be incomplete" in r.stderr
        r = _exported(ws, fmt, "--workers", workers, "--skip-broken", *extra)
        assert r.exit_code == 0, r.stderr
        assert "cases/B-1.yaml" in r.stderr and "cases/C-1.yaml" in r.stderr
        assert "A-1" in r.stdout and "C-1" not in r.stdout


# -- the gate's two halves -----------------------------------------------------------------------


def _row(**values: Any) -> ExportRow:
    base: dict[str, Any] = dict.fromkeys(NAMES)
    base.update(hcode_export=1, id="C-1", file="cases/C-1.yaml", kind="complaint", category="repairs")
    base.update(values)
    return ExportRow(**base)


def _render(row: object) -> str:
    return csv_line([getattr(row, c) for c in NAMES])


def test_a_screened_row_is_refused_as_the_gate_refuses_the_list() -> None:
    rows = [_row(id=f"C-{i}") for i in range(3)] + [_row(id="C-9", stage2_handler="jo@example.org")]
    with pytest.raises(PrivacyRefused) as whole:
        gate(rows)
    screened = [screen(r, _render) for r in rows]
    assert screened[3].text == b"" and screened[0].text == _render(rows[0]).encode()
    with pytest.raises(PrivacyRefused) as parts:
        gate_screened(screened)
    assert (parts.value.field, parts.value.what, parts.value.value) == (
        whole.value.field,
        whole.value.what,
        whole.value.value,
    )
    assert parts.value.field == "[3].stage2_handler"


def test_a_row_that_was_not_screened_is_never_written() -> None:
    good = screen(_row(), _render)
    with pytest.raises(TypeError, match="privacy gate"):
        gate_screened([good, (b"1,C-2\n", None)])  # type: ignore[list-item]
    assert gate_screened([good]).value == [good]
    assert isinstance(good, Screened)


def test_declared_contacts_are_set_aside_where_rows_are_screened() -> None:
    row = _row(category="call complaints on 0300 111 3000 or desk@landlord.example")
    assert screen(row, _render).refused is not None
    assert screen(row, _render, ["desk@landlord.example"]).refused is None


# -- made safe a part at a time --------------------------------------------------------------------

_line = st.one_of(st.sampled_from([*AWKWARD, "::x", "  ::x", "\u00a0::x", "##[", "#", ":"]), st.text(max_size=30))


@given(
    lines=st.lists(_line, max_size=40), cuts=st.lists(st.integers(0, 40)), chunk=st.sampled_from([1, 7, 64, 1 << 20])
)
def test_safe_pieces_is_the_whole_made_safe(lines: list[str], cuts: list[int], chunk: int) -> None:
    """The output made safe a part at a time is the whole made safe, however it is cut into
    pieces at line ends and however small a part is (lines longer than a part too)."""
    import hcode.core.text

    whole_lines = [line.replace("\n", " ") + "\n" for line in lines]
    at = sorted({c for c in cuts if c <= len(whole_lines)} | {0, len(whole_lines)})
    pieces: list[bytes | memoryview] = [
        "".join(whole_lines[a:b]).encode() for a, b in itertools.pairwise(at)
    ]  # pieces end at line ends
    pieces.append(memoryview(b"".join(p for p in pieces)))  # and one large piece, as the cache gives it
    text = "".join(whole_lines) * 2
    for kind in ("csv", "jsonl", "text"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(hcode.core.text, "_CHUNK", chunk)
            parts = list(safe_pieces(pieces, kind=kind))
        written = b"".join(p if isinstance(p, bytes) else p.encode() for p in parts)
        assert written == safe_output(text, kind=kind).encode()
    if all(safe_as_is(bytes(p)) for p in pieces):  # known to be safe as they are: written as they are
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(hcode.core.text, "_CHUNK", chunk)
            parts = list(safe_pieces(AsIs(pieces), kind="jsonl"))
        assert all(isinstance(p, bytes) for p in parts)
        assert b"".join(p for p in parts if isinstance(p, bytes)) == safe_output(text, kind="jsonl").encode()


# -- each row's values in the order of the column set ------------------------------------------


def _row_by_name(case: Any, ms: Any, hazard: Any) -> ExportRow:
    """A row built column by name, as the export first built it (the oracle for the order in
    which :func:`hcode.core.exportrow.export_row` lists the values)."""
    from hcode.core.exportrow import EXPORT_VERSION, _hazard_columns

    by_event = {(m.stage, m.event): m for m in ms}
    out: dict[str, Any] = {"hcode_export": EXPORT_VERSION, "id": case.id, "file": case.file, "kind": case.kind}
    out |= {"received": case.received, "category": case.category, "channel": case.channel}
    out |= {"issue_date": case.issue_date, "resolved": case.resolved}
    for n, stage in ((1, case.stage1), (2, case.stage2)):
        p = f"stage{n}_"
        out[p + "requested"] = stage.requested if stage and n == 2 else None
        for event, word in (("acknowledge", "acknowledged"), ("respond", "responded")):
            m = by_event.get((n, event))
            out[p + word] = getattr(stage, word) if stage else None
            out[p + word + "_due"] = m.due if m else None
            out[p + word + "_status"] = m.status if m else None
        out[p + "extended_to"] = stage.extension.due if stage and stage.extension else None
        out[p + "outcome"] = stage.outcome if stage else None
        out[p + "handler"] = stage.handler if stage else None
        out[p + "logged"] = stage.logged if stage else None
        out[p + "edition"] = next((m.edition for m in ms if m.stage == n and m.edition), None)
    refused, remedy, ombudsman = case.refused, case.remedy, case.ombudsman
    out |= {"refused_stage": refused.stage if refused else None, "refused_date": refused.date if refused else None}
    out |= {"refused_reason": refused.reason if refused else None}
    out |= {"compensation": remedy.compensation if remedy else None, "tenure": case.tenure}
    out |= {"ombudsman_referred": ombudsman.referred if ombudsman else None}
    out |= {"ombudsman_finding": ombudsman.finding if ombudsman else None}
    return ExportRow(**out, **_hazard_columns(case, hazard))


def test_each_row_lists_its_values_in_the_order_of_the_columns(tmp_path: Path) -> None:
    """Every lifecycle shape of the benchmark's workspaces (complaints, service requests,
    refusals, extensions, the Ombudsman, hazard reports): each row as built column by name."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    from hcode.core.exportrow import export_row
    from hcode.core.hazards import hazard_clocks
    from hcode.core.rules import case_milestones

    generate(tmp_path / "ws", 400, hazards=80)
    (tmp_path / "ws/cases/L-1.yaml").write_text(
        "id: L-1\nkind: complaint\nreceived: 2024-05-01\ncategory: repairs\nstage1:\n  logged: 2024-05-02\n"
        "  acknowledged: 2024-05-03\n  definition: Leak.\n  responded: 2024-05-10\n  outcome: upheld\n"
        "stage2:\n  requested: 2024-05-20\n  logged: 2024-05-21\n  acknowledged: 2024-05-22\n"
    )
    stores = [hcode.open_workspace(w, use_cache=False).store for w in (tmp_path / "ws", copy_example(tmp_path / "ex"))]
    contexts = [store.context(AS_OF_DATE) for store in stores]
    cases = [(case, ctx) for store, ctx in zip(stores, contexts, strict=True) for case in store.cases(ctx).items]
    assert len(cases) > 480
    kinds = set()
    for case, ctx in cases:
        ms = case_milestones(case, ctx)
        hazard = None
        if case.hazard is not None and ctx.hazards is not None:
            hazard = hazard_clocks(case, ctx.hazards, ctx.calendar, ctx.as_of, ctx.soon)
        row = export_row(case, ms, hazard)
        assert row == _row_by_name(case, ms, hazard)
        kinds |= {k for k in NAMES if getattr(row, k) is not None}
    # every column is filled somewhere but the one always empty and two of the hazard columns
    # (those are filled by name)
    assert set(NAMES) - kinds == {"stage1_requested", "hazard_alternative_accommodation", "hazard_works_completed"}


# -- a row's line written without csv or json.dumps where nothing calls for them -----------------


def _csv_by_module(values: list[Any]) -> str:
    """A CSV line as :mod:`csv` writes it (the oracle for :func:`csv_line`'s own join)."""
    import io

    from hcode.render.export import _Dialect, neutralise

    buffer = io.StringIO()
    import csv

    csv.writer(buffer, _Dialect).writerow(["" if v is None else neutralise(v) for v in values])
    return buffer.getvalue().removesuffix(_Dialect.lineterminator) + "\n"


_cell = st.one_of(
    st.none(),
    st.sampled_from([*AWKWARD, "", ",", '"', "\t", "\r", "\n", "a\x00b", "x,y", "1", "-"]),
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=8),
    st.integers(-5, 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)


@given(values=st.lists(_cell, max_size=8))
def test_a_csv_line_is_what_csv_writes(values: list[Any]) -> None:
    """Joined by commas where no field needs quotes, else written by :mod:`csv`: the same line
    either way, a lone empty field (which csv quotes) and fields holding a comma, a quote, a tab
    or a line break included."""
    assert csv_line(values) == _csv_by_module(values)


def test_a_csv_line_steps_aside_for_what_csv_quotes() -> None:
    assert csv_line(["a", "b,c", None]) == 'a,"b,c",\n'
    assert csv_line([""]) == '""\n' and csv_line([None]) == '""\n'
    assert csv_line(['say "hi"', 1]) == '"say ""hi""",1\n'
    assert csv_line(["tab\there", date(2024, 5, 1)]) == '"tab\there",2024-05-01\n'
    assert csv_line(["=1+1", "-2", "ok"]) == "'=1+1,'-2,ok\n"


class _Text(str):
    """A text of a type of its own (json.dumps and csv write it as text)."""


@given(values=st.lists(st.one_of(_cell, st.builds(_Text, st.text(max_size=4))), max_size=8), data=st.data())
def test_a_jsonl_line_is_what_json_dumps_writes(values: list[Any], data: st.DataObject) -> None:
    """Written here for None, text, whole numbers, finite decimals, dates and true or false;
    by json.dumps for a row holding anything else (NaN, a date and time, a text of another
    type) or naming a column twice: the same line either way."""
    from hcode.render.export import jsonl_line

    names = data.draw(
        st.lists(st.sampled_from(["a", "b", "c", "é", 'q"', "d\n"]), min_size=len(values), max_size=len(values))
    )
    expected = json.dumps(
        dict(zip(names, [v.isoformat() if isinstance(v, date) else v for v in values], strict=True)),
        ensure_ascii=False,
    )
    assert jsonl_line(names, values) == expected + "\n"


def test_a_jsonl_line_steps_aside_for_what_it_does_not_write() -> None:
    from datetime import datetime

    from hcode.render.export import jsonl_line

    assert jsonl_line(["a", "b"], [None, "x\u2028\x00"]) == '{"a": null, "b": "x\u2028\\u0000"}\n'
    assert jsonl_line(["a", "b"], [float("nan"), 1]) == '{"a": NaN, "b": 1}\n'
    assert jsonl_line(["a"], [datetime(2024, 5, 1, 9, 30)]) == '{"a": "2024-05-01T09:30:00"}\n'
    assert jsonl_line(["a", "a"], [1, 2]) == '{"a": 2}\n'


# -- a row screened as its values --------------------------------------------------------------

_screen_value = st.one_of(
    _cell,
    st.sampled_from(PERSONAL),
    st.builds(_Text, st.sampled_from(["repairs", *PERSONAL])),
    st.tuples(st.sampled_from(["repairs", *PERSONAL])),
)


@given(
    rows=st.lists(st.dictionaries(st.sampled_from(NAMES[1:8]), _screen_value, max_size=6), min_size=1, max_size=4),
    declared=st.sampled_from([(), ("jo@example.org",)]),
)
def test_a_row_screened_as_its_values_is_screened_as_the_typed_row(
    rows: list[dict[str, Any]], declared: tuple[str, ...]
) -> None:
    """The same line, or the same refusal (the same field, named the same way), as the typed
    row's screening, whatever the texts seen before: the row's new texts looked at in any order,
    and the fields walked in order where one is refused or a value is not plain (a tuple, a text
    of another type)."""
    import hcode.render.gate as gate_module
    from hcode.render.gate import screen_fields

    def render(names: Any, values: Any) -> str:
        return "|".join(map(repr, values))

    gate_module._SEEN.clear()
    for values in rows:
        row = _row(**values)
        by_values = screen_fields(NAMES, [getattr(row, n) for n in NAMES], render, declared)
        typed = screen(row, lambda r: render(NAMES, [getattr(r, n) for n in NAMES]), declared)
        assert by_values == typed
    gate_module._SEEN.clear()


def test_a_refused_text_among_new_ones_is_named_by_the_first_field_that_holds_one() -> None:
    from hcode.render.gate import screen_fields

    row = _row(id="C-7", category="call 07700 900123", channel="write to jo@example.org")
    values = [getattr(row, n) for n in NAMES]
    found = screen_fields(NAMES, values, lambda n, v: "", ())
    assert found.text == b"" and found.refused is not None
    assert found.refused[:2] == (((False, "category"),), "a phone number")
    with pytest.raises(PrivacyRefused, match=r"\[0\]\.category seems to hold a phone number"):
        gate_screened([found])


def test_a_screened_row_travels_back_as_it_was_made() -> None:
    import pickle

    passed = Screened(b"1,C-1\n")
    refused = Screened(b"", (((False, "category"),), "a phone number", "07700 900123"))
    for row in (passed, refused):
        back = pickle.loads(pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL))
        assert type(back) is Screened and back == row
