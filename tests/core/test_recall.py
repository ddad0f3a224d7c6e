"""What is worked out about a record while it is judged is worked out once, and only then."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE
from hcode.core import hazards
from hcode.core.recall import Recall
from hcode.core.rules.records import event_dates
from hcode.store.reader import Store
from hcode.store.scan import process_case


def test_an_answer_is_kept_for_the_record_being_judged_only() -> None:
    recall = Recall()
    asked: list[str] = []

    def work(name: str) -> Any:
        def worked_out() -> int:
            asked.append(name)
            return len(asked)

        return worked_out

    one, other = object(), object()
    assert recall.answer(one, "q", work("outside")) == 1
    assert recall.answer(one, "q", work("outside again")) == 2  # not judged: never kept
    with recall.judging(one):
        assert recall.answer(one, "q", work("first")) == 3
        assert recall.answer(one, "q", work("kept")) == 3
        assert recall.answer(one, "r", work("another question")) == 4
        assert recall.answer(other, "q", work("another record")) == 5
        assert recall.answer(other, "q", work("another record again")) == 6
        with recall.judging(other):
            assert recall.answer(other, "q", work("nested")) == 7
            assert recall.answer(one, "q", work("the outer record, not kept here")) == 8
        assert recall.answer(one, "q", work("back: kept")) == 3
    assert recall.answer(one, "q", work("after")) == 9
    assert asked == [
        "outside",
        "outside again",
        "first",
        "another question",
        "another record",
        "another record again",
        "nested",
        "the outer record, not kept here",
        "after",
    ]


def test_an_answer_is_forgotten_when_judging_fails() -> None:
    recall = Recall()
    one = object()
    with pytest.raises(ValueError), recall.judging(one):
        recall.answer(one, "q", lambda: 1)
        raise ValueError
    assert recall.answer(one, "q", lambda: 2) == 2


@pytest.fixture()
def ctx_and_files() -> tuple[Any, list[Path]]:
    store = Store.open(EXAMPLE, use_cache=False)
    return store.context(date(2025, 3, 31)), sorted((EXAMPLE / "cases").rglob("*.yaml"))


def test_a_hazard_records_clocks_are_counted_once_per_file(
    ctx_and_files: tuple[Any, list[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The awaab rules and the scan's settled date ask for the same clocks: counted once, and
    every file judged as before (the answers with the clocks counted each time)."""
    ctx, files = ctx_and_files
    counted: list[str] = []
    judge = hazards._judge_clocks

    def counting(case: Any, *args: Any) -> Any:
        counted.append(case.id)
        return judge(case, *args)

    hazard_files = [p for p in files if "kind: hazard" in p.read_text()]
    assert hazard_files, "the example has hazard records"
    once = [process_case(p, p.relative_to(EXAMPLE).as_posix(), ctx) for p in hazard_files]
    monkeypatch.setattr(hazards, "_judge_clocks", counting)
    again = [process_case(p, p.relative_to(EXAMPLE).as_posix(), ctx) for p in hazard_files]
    judged = [r.case_id for r in again if r.case_id is not None]
    assert sorted(counted) == sorted(judged)  # once each
    # the clocks counted each time (a recall the scan never names): the same answers
    from hcode.core.rules import records

    monkeypatch.setattr(hazards, "_judge_clocks", judge)
    monkeypatch.setattr(hazards, "JUDGING", Recall())
    monkeypatch.setattr(records, "JUDGING", Recall())
    plain = [process_case(p, p.relative_to(EXAMPLE).as_posix(), ctx) for p in hazard_files]
    assert [(r.case_id, r.stable_from, r.findings) for r in plain] == [
        (r.case_id, r.stable_from, r.findings) for r in once
    ]


def test_events_are_walked_once_while_judged_and_afresh_otherwise(ctx_and_files: tuple[Any, list[Path]]) -> None:
    from hcode.core.recall import JUDGING

    ctx, _ = ctx_and_files
    store = Store.open(EXAMPLE, use_cache=False)
    case = store.cases(ctx).items[0]
    outside = event_dates(case)
    assert event_dates(case) is not outside  # not judged: walked each time
    with JUDGING.judging(case):
        first = event_dates(case)
        assert event_dates(case) is first
        assert first == outside


def test_every_finding_is_located_where_the_full_parse_puts_it(tmp_path: Path) -> None:
    """Each case finding's line and column are those of the strict reader's marks (the nearest
    enclosing path; the start of the file for a key the file does not have), however the scan
    found them: on the example, and on a hazard record without its summary or works."""
    import shutil

    from hcode.store import yamlread

    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLE, ws)
    hazard = next(p for p in sorted((ws / "cases").rglob("*.yaml")) if "made_safe:" in p.read_text())
    text = hazard.read_text()
    kept = [line for line in text.split("\n") if not line.startswith(("summary_sent:", "made_safe:"))]
    (ws / "cases" / "HZ-9.yaml").write_text("\n".join(kept).replace(hazard.stem, "HZ-9", 1))
    ctx = Store.open(ws, use_cache=False).context(date(2025, 12, 31))  # the record's clocks have run
    located = missing = 0
    for path in sorted((ws / "cases").rglob("*.yaml")):
        result = process_case(path, path.relative_to(ws).as_posix(), ctx)
        marks = yamlread.marks(path.read_text()) or {}
        for f in result.findings:
            if f.path:
                assert (f.line, f.column) == yamlread.lookup(marks, f.path, key=f.key), (path.name, f)
                located += 1
                missing += f.path[0] not in yamlread.parse(path.read_text())
    assert located >= 10
    assert missing  # a finding about a key the file does not have
