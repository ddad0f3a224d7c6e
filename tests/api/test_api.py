"""The library API (docs/api.md): the documented example runs and prints what the doc shows, and
the CLI's answers are the API's."""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

import hcode
from conftest import ROOT, copy_example, make_ws, run

DOC = ROOT / "docs" / "api.md"


def _blocks(lang: str) -> list[str]:
    return re.findall(r"```" + lang + r"\n(.*?)```", DOC.read_text("utf-8"), re.S)


@pytest.mark.parametrize("example", range(2))
def test_the_documented_examples_run_and_print_what_the_doc_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: int
) -> None:
    """Each python block of docs/api.md prints the text block after it."""
    codes, texts = _blocks("python"), _blocks("text")
    assert len(codes) == len(texts) == 2
    ws = copy_example(tmp_path / "ws")
    monkeypatch.chdir(ws / "cases")  # found upwards, like the commands
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(codes[example], str(DOC), "exec"), {"__name__": "docs_api"})
    assert printed.getvalue() == texts[example]


def test_check_is_what_the_command_reports(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    result = hcode.open_workspace(ws).check(as_of=date(2025, 7, 31))
    doc = run("check", ws, "--as-of", "2025-07-31", "--format", "json").json()
    assert doc["summary"]["error"] == result.count("error") > 0
    assert doc["summary"]["files"] == result.files
    assert [(f["rule"], f["file"], f["line"], f["message"]) for f in doc["findings"]] == [
        (f.rule, f.file, f.line, f.message) for f in result.findings
    ]


def test_due_and_annual_are_what_the_commands_print(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    w = hcode.open_workspace(ws)
    for flags, every in (([], False), (["--all"], True), (["--within", "5"], False)):
        within = 5 if flags == ["--within", "5"] else None
        listed = w.due(as_of=date(2025, 7, 31), all=every, within=within)
        doc = run("due", ws, "--as-of", "2025-07-31", *flags, "--format", "json").json()
        assert listed.rows() == doc["milestones"]  # one listing: remedy actions included
    assert [(i.case, i.action) for i in listed if i.is_remedy] == [("C-2025-0004", 1)]
    assert all(isinstance(i.due, date) for i in listed)
    annual = w.annual(year="2024-25", as_of=date(2025, 7, 31))
    printed = json.loads(run("report", "annual", ws, "--year", "2024-25", "--as-of", "2025-07-31", "-f", "json").stdout)
    assert annual.json == printed
    assert annual.figures.year == "2024-25" and annual.figures.tsm.ch01.stage1["numerator"] == 26  # typed
    assert annual.tsm["CH01"]["stage1"]["numerator"] > 0
    m = annual.measures
    assert (m.ch02_stage2.value, m.ch02_stage2.source) == (printed["tsm"]["CH02"]["stage2"]["value"], "cases")
    assert m.ch01_stage1.denominator == printed["homes"] and m.ch01_stage1.numerator == 26
    assert annual.problems == []


def test_typed_results_are_what_the_commands_write(tmp_path: Path) -> None:
    """The TSM audit, the case list, one case and the export, as typed results, hold what the
    commands write."""
    import csv

    ws = copy_example(tmp_path / "ws")
    w = hcode.open_workspace(ws)
    audit = w.tsm_audit(year="2024-25", as_of=date(2025, 7, 31))
    written = run("report", "tsm", ws, "--year", "2024-25", "--as-of", "2025-07-31").stdout
    table = list(csv.DictReader(io.StringIO(written)))
    assert [(r["case"], int(r["stage"])) for r in table] == [(r.case, r.stage) for r in audit.rows]
    assert len(audit.rows) > 10 and {r.in_ch01 for r in audit.rows} == {True, False}
    listed = w.cases(as_of=date(2025, 7, 31), open_only=True)
    doc = run("case", "list", ws, "--as-of", "2025-07-31", "--open", "--format", "json").json()
    assert [r.row() for r in listed.rows] == doc["cases"] and listed.rows
    view = w.case("C-2024-0009", as_of=date(2025, 7, 31))
    assert [(m.event, m.status) for m in view.milestones] == [("acknowledge", "missed"), ("respond", "met")]
    assert {f.rule for f in view.findings} >= {"6.2"}
    exported = w.export(as_of=date(2025, 7, 31))
    lines = run("export", ws, "--as-of", "2025-07-31", "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == [r.row() for r in exported.rows]
    with pytest.raises(hcode.InputUnusable, match="no case C-2099-0001"):
        w.case("C-2099-0001")


def test_a_use_case_refuses_an_incomplete_answer_only_when_asked(tmp_path: Path) -> None:
    from hcode.api.errors import Incomplete
    from hcode.api.reports import annual_report

    ws = copy_example(tmp_path / "ws")
    (ws / "cases" / "2024" / "C-2024-0001.yaml").write_text("id: [\n", "utf-8")
    w = hcode.open_workspace(ws)
    made = annual_report(w, "2024-25", date(2025, 7, 31))
    assert [p.file for p in made.problems] == ["cases/2024/C-2024-0001.yaml"]
    with pytest.raises(Incomplete) as info:
        annual_report(w, "2024-25", date(2025, 7, 31), refuse=True)
    assert info.value.message.startswith("1 file(s) cannot be read, so the annual report would be incomplete")


def test_problems_are_returned_not_dropped(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    broken = ws / "cases" / "2024" / "C-2024-0001.yaml"
    broken.write_text(broken.read_text().replace("received:", "recieved:", 1))
    w = hcode.open_workspace(ws)
    annual = w.annual(year="2024-25", as_of=date(2025, 7, 31))
    assert {p.file for p in annual.problems} == {"cases/2024/C-2024-0001.yaml"}
    assert {p.file for p in w.due(as_of=date(2025, 7, 31)).problems} == {"cases/2024/C-2024-0001.yaml"}


def test_open_workspace_errors(tmp_path: Path) -> None:
    with pytest.raises(hcode.WorkspaceError):
        hcode.open_workspace(tmp_path / "missing")
    make_ws(tmp_path / "ws")
    assert hcode.open_workspace(tmp_path / "ws").settings.landlord == "Test Homes"
    with pytest.raises(ValueError, match="not a reporting year"):
        hcode.open_workspace(tmp_path / "ws").annual(year="2024-26")
    with pytest.raises(AttributeError):
        hcode.no_such_name  # noqa: B018


def test_import_hcode_is_cheap() -> None:
    """``import hcode`` loads none of the library (only its version); ``hcode --version`` answers
    quickly."""
    code = (
        "import sys, hcode; print(sorted(m for m in sys.modules if m.startswith(('hcode.', 'typer', 'rich', 'yaml'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['hcode.version']"
    hcode_bin = Path(sys.executable).parent / "hcode"
    start = time.perf_counter()
    version = subprocess.run([str(hcode_bin), "--version"], capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    assert version.stdout == f"hcode {hcode.__version__}\n"
    assert elapsed < 2.0


def test_import_hcode_api_loads_only_what_is_used() -> None:
    """``hcode.api`` loads each name's module on first use: a command imports only its own use
    cases (``hcode due`` not the annual report's); every name it lists is there, and a submodule
    is imported as usual."""
    code = (
        "import sys, hcode.api as api; before = 'hcode.api.reports' in sys.modules; "
        "names = [getattr(api, n) for n in api.__all__]; "
        "from hcode.api import review; "
        "print(before, len(names) == len(api.__all__), 'hcode.api.reports' in sys.modules, review.__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True", "True", "hcode.api.review"]
    import hcode.api

    with pytest.raises(AttributeError):
        hcode.api.no_such_name  # noqa: B018


def test_a_withdrawn_complaint_has_nothing_next_however_its_milestones_ended(tmp_path: Path) -> None:
    """One definition of a milestone still open (``still_open``): a step's "Next:" line, ``due``
    and ``case list`` agree. An acknowledgement missed because the complaint was withdrawn after
    it was due is not done, but not open either: it is not "Next" (a step used to say it was)."""
    ws = make_ws(
        tmp_path,
        {"cases/2024/C-2024-0001.yaml": "id: C-2024-0001\nkind: complaint\nreceived: 2024-05-03\ncategory: repairs\n"},
    )
    done = run("case", "withdraw", "C-2024-0001", "--date", "2024-05-20", "--workspace", ws)
    assert done.exit_code == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "Nothing more is due for this case."
    w = hcode.open_workspace(ws)
    [m] = w.case("C-2024-0001", as_of=date(2024, 5, 21)).milestones
    assert (m.event, m.done, m.status) == ("acknowledge", None, "missed")
    assert w.due(as_of=date(2024, 5, 21)).items == []
    [row] = w.cases(as_of=date(2024, 5, 21)).rows
    assert (row.open, row.next, row.status) == (False, None, None)


def test_still_open_is_not_done_and_not_missed() -> None:
    from hcode.core.milestones import STATUSES, Milestone, still_open

    def milestone(status: str, done: date | None) -> Milestone:
        day = date(2025, 1, 6)
        return Milestone("C-1", 1, "respond", "6.3", "received", day, 10, day, done, status, ("stage1", "responded"))

    # as milestones() makes them: met and missed with the day done; missed without one when the
    # complaint was withdrawn after the day it was due; the others not done
    made = [
        ("met", True),
        ("missed", True),
        ("missed", False),
        ("open", False),
        ("due-soon", False),
        ("overdue", False),
    ]
    assert {s for s, _ in made} == set(STATUSES)
    found = {(s, done): still_open(milestone(s, date(2025, 1, 6) if done else None)) for s, done in made}
    assert [k for k, v in found.items() if v] == [("open", False), ("due-soon", False), ("overdue", False)]


def test_due_lists_a_hazard_reports_clocks_as_the_command_prints_them(tmp_path: Path) -> None:
    """One listing for every kind of record: a hazard report's clock (Awaab's Law) is an item of
    ``due()`` whose row is the command's, through the cache and back."""
    ws = copy_example(tmp_path / "ws")
    (ws / "cases" / "2025" / "HZ-2025-0009.yaml").write_text(
        "id: HZ-2025-0009\nkind: hazard\naware: 2025-11-03T10:20\nhazard: damp-and-mould\n"
        "risk: significant\ntenure: lcra\n",
        "utf-8",
    )
    w = hcode.open_workspace(ws)
    for every in (False, True):
        listed = w.due(as_of=date(2025, 11, 4), all=every)
        flags = ["--all"] if every else []
        doc = run("due", ws, "--as-of", "2025-11-04", *flags, "--format", "json").json()
        assert listed.rows() == doc["milestones"]
    [item] = [i for i in listed if i.case == "HZ-2025-0009"]
    assert (item.hazard, item.event, item.status) == (True, "investigate", "open")
