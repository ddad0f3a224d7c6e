"""The store: one reader for every command, and no command silently drops a file it cannot read.

Two broken workspaces, each a copy of the example: one case file with a misspelt ``recieved:``,
and a self-assessment with a misspelt ``complly:``. Every command that publishes or counts
either refuses (exit 3, naming the file) or, with --skip-broken, goes on and names the file in
its output and on standard error; ``due`` and ``case list`` go on and name it on standard error.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import check_json, copy_example, make_ws, run

AS_OF = "2025-07-31"
BROKEN_CASE = "cases/2024/C-2024-0003.yaml"
BROKEN_ASSESSMENT = "assessments/2024-25.yaml"


@pytest.fixture(scope="module")
def broken_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = copy_example(tmp_path_factory.mktemp("broken-case") / "ws")
    path = ws / BROKEN_CASE
    text = path.read_text()
    assert "\nreceived:" in text
    path.write_text(text.replace("\nreceived:", "\nrecieved:", 1))
    return ws


@pytest.fixture(scope="module")
def broken_assessment(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = copy_example(tmp_path_factory.mktemp("broken-assessment") / "ws")
    path = ws / BROKEN_ASSESSMENT
    text = path.read_text()
    path.write_text(text.replace("comply:", "complly:", 1))
    return ws


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("clean") / "ws")


REFUSING = [
    ("report", "annual", "--year", "2024-25", "-f", "md"),
    ("report", "annual", "--year", "2024-25", "-f", "html"),
    ("report", "annual", "--year", "2024-25", "-f", "json"),
    ("report", "annual", "-f", "json"),
    ("report", "annual", "--year", "2024-25", "-f", "xlsx"),
    ("report", "tsm", "--year", "2024-25", "-f", "csv"),
    ("report", "tsm", "--year", "2024-25", "-f", "md"),
    ("export", "-f", "csv"),
    ("export", "-f", "jsonl"),
]


def _run(ws: Path, args: tuple[str, ...], *extra: str, tmp: Path | None = None) -> tuple[int, str, str, bytes]:
    """Exit code, stdout, stderr and (for xlsx) the workbook bytes."""
    out: list[str] = []
    target = None
    if "xlsx" in args:
        assert tmp is not None
        target = tmp / "out.xlsx"
        out = ["-o", str(target)]
    result = run(*args, "-w", ws, "--as-of", AS_OF, *extra, *out)
    data = target.read_bytes() if target is not None and target.exists() else b""
    return result.exit_code, result.stdout, result.stderr, data


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    cells = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells += [str(v) for v in row if v is not None]
    return str(wb.sheetnames[0]) + "\n" + "\n".join(cells)


@pytest.mark.parametrize("args", REFUSING, ids=" ".join)
def test_reports_and_export_refuse_a_broken_case_file(broken_case: Path, args: tuple[str, ...], tmp_path: Path) -> None:
    code, stdout, stderr, data = _run(broken_case, args, tmp=tmp_path)
    assert code == 3
    assert BROKEN_CASE in stderr and "recieved" in stderr
    assert "--skip-broken" in stderr
    assert stdout == "" and data == b""


@pytest.mark.parametrize("args", REFUSING, ids=" ".join)
def test_with_skip_broken_they_name_the_file_left_out(broken_case: Path, args: tuple[str, ...], tmp_path: Path) -> None:
    code, stdout, stderr, data = _run(broken_case, args, "--skip-broken", tmp=tmp_path)
    assert code == 0, stderr
    assert f"left out {BROKEN_CASE}" in stderr
    if "xlsx" in args:
        text = _xlsx_text(data)
        assert text.startswith("Left out\n") and BROKEN_CASE in text
    elif "json" in args:
        assert json.loads(stdout)["left_out"][0]["file"] == BROKEN_CASE
    elif "md" in args or "html" in args:
        assert BROKEN_CASE in stdout and "Incomplete" in stdout
    # csv and jsonl carry data rows only: the file is named on standard error


def test_the_annual_figures_count_the_case_once_it_is_mended(broken_case: Path, clean: Path) -> None:
    """The refusal protects CH01: with the file left out the count is one lower, and says so."""
    whole = run("report", "annual", "-w", clean, "--year", "2024-25", "-f", "json", "--as-of", AS_OF).json()
    partial = run(
        "report", "annual", "-w", broken_case, "--year", "2024-25", "-f", "json", "--as-of", AS_OF, "--skip-broken"
    ).json()
    assert partial.pop("left_out")
    assert partial != whole


@pytest.mark.parametrize(
    "args", [("due",), ("due", "--all"), ("case", "list"), ("case", "list", "-f", "json")], ids=" ".join
)
def test_due_and_case_list_warn_about_a_broken_case_file(broken_case: Path, args: tuple[str, ...]) -> None:
    result = run(*args, "-w", broken_case, "--as-of", AS_OF)
    assert result.exit_code == 0
    assert BROKEN_CASE in result.stderr and "warning" in result.stderr


def test_check_and_case_show_report_the_broken_case_file(broken_case: Path) -> None:
    result = run("check", broken_case, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 1
    assert any(f["file"] == BROKEN_CASE and "recieved" in f["message"] for f in result.json()["findings"])
    shown = run("case", "show", "C-2024-0003", "-w", broken_case, "--as-of", AS_OF)
    assert shown.exit_code == 3 and BROKEN_CASE in shown.stderr


ASSESSMENT_REFUSING = [
    ("report", "assessment", "-f", "md"),
    ("report", "assessment", "-f", "html"),
    ("report", "assessment", "--year", "2024-25", "-f", "xlsx"),
    ("report", "annual", "--year", "2024-25", "-f", "md"),
    ("report", "annual", "-f", "json"),
    ("report", "annual", "--year", "2024-25", "-f", "xlsx"),
    ("report", "tsm", "-f", "csv"),
]


@pytest.mark.parametrize("args", ASSESSMENT_REFUSING, ids=" ".join)
def test_reports_refuse_a_broken_self_assessment(
    broken_assessment: Path, args: tuple[str, ...], tmp_path: Path
) -> None:
    if args[1] == "assessment":
        to_file = ["-o", str(tmp_path / "a.xlsx")] if "xlsx" in args else []
        result = run(*args, "-w", broken_assessment, *to_file)
        code, stderr = result.exit_code, result.stderr
    else:
        code, _, stderr, _ = _run(broken_assessment, args, tmp=tmp_path)
    assert code == 3
    assert BROKEN_ASSESSMENT in stderr and "complly" in stderr


def test_the_assessment_report_names_a_skipped_self_assessment(broken_assessment: Path) -> None:
    result = run("report", "assessment", "-w", broken_assessment, "--year", "2024-25", "--skip-broken")
    assert result.exit_code == 0
    assert BROKEN_ASSESSMENT in result.stdout and "Incomplete" in result.stdout
    assert f"left out {BROKEN_ASSESSMENT}" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("report", "annual", "--year", "2024-25", "-f", "json"),
        ("report", "tsm", "--year", "2024-25"),
        ("export",),
        ("due",),
        ("case", "list"),
    ],
    ids=" ".join,
)
def test_outputs_that_do_not_use_the_self_assessment_are_unchanged_by_it(
    broken_assessment: Path, clean: Path, args: tuple[str, ...]
) -> None:
    """Named year, figures only: the self-assessment plays no part, so nothing is left out."""
    broken = run(*args, "-w", broken_assessment, "--as-of", AS_OF)
    whole = run(*args, "-w", clean, "--as-of", AS_OF)
    assert broken.exit_code == whole.exit_code == 0
    assert broken.stdout == whole.stdout


def test_check_reports_the_broken_self_assessment(broken_assessment: Path) -> None:
    doc = run("check", broken_assessment, "--as-of", AS_OF, "--format", "json").json()
    assert any(f["file"] == BROKEN_ASSESSMENT and "complly" in f["message"] for f in doc["findings"])


def test_a_broken_report_input_is_refused_or_named(clean: Path, tmp_path: Path) -> None:
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(clean, ws)
    (ws / "ombudsman").mkdir()
    (ws / "ombudsman" / "2024-11-decision.yaml").write_text("date: 2024-11-04\nkind: decision\ntitel: x\n")
    refused = run("report", "annual", "-w", ws, "--year", "2024-25", "--as-of", AS_OF)
    assert refused.exit_code == 3 and "ombudsman/2024-11-decision.yaml" in refused.stderr
    named = run("report", "annual", "-w", ws, "--year", "2024-25", "--as-of", AS_OF, "--skip-broken")
    assert named.exit_code == 0 and "ombudsman/2024-11-decision.yaml" in named.stdout


def test_diff_flags_every_rewritten_event_date(tmp_path: Path) -> None:
    """The dated events are listed once (hcode.core.rules.records.EVENT_PATHS): diff sees them all."""
    from hcode.review.gitdiff import DiffResult, compare

    old = "id: C-1\nombudsman:\n  referred: 2024-09-01\nremedy:\n  actions:\n    - {action: a, done: 2024-08-01}\n"
    new = "id: C-1\nombudsman:\n  referred: 2024-09-02\nremedy:\n  actions:\n    - {action: a, done: 2024-08-03}\n"
    result = DiffResult("a", "b")
    compare("cases/C-1.yaml", old, new, result)
    messages = [c.message for c in result.changes if c.severity == "alert"]
    assert "C-1: ombudsman.referred changed 2024-09-01 -> 2024-09-02 after it was recorded" in messages
    assert "C-1: remedy action 1 done changed 2024-08-01 -> 2024-08-03 after it was recorded" in messages


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**18), 10**18) | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=500, deadline=None)
@given(JSON_VALUES)
@example({"\x7f": None})  # found by hypothesis: json escapes DEL, orjson does not
def test_dump_json_is_exactly_json_dumps(value: object) -> None:
    """The fast JSON writer of due and case list changes no byte of their output."""
    from hcode.cli import dump_json

    assert dump_json(value) == json.dumps(value, indent=2)


def test_the_lists_that_describe_the_files_agree() -> None:
    """Dated events (rules, diff) and date fields (fmt, the schema) are one description: every
    event the rules know is a date in the case schema, and fmt writes the schema's dates."""
    from hcode.core.rules.records import EVENT_PATHS
    from hcode.store.validate import date_keys

    case_dates = date_keys("case")
    assert {str(path[-1]) for path in EVENT_PATHS} <= case_dates
    assert {"received", "referred", "failure_order", "done"} <= case_dates
    assert "category" not in case_dates and "id" not in case_dates


def test_read_bytes_reads_whole_files_and_never_past_the_limit(tmp_path: Path) -> None:
    from hcode.core.model import Finding
    from hcode.store.workspace import read_bytes

    path = tmp_path / "f.yaml"
    path.write_bytes(b"x" * 100)
    assert read_bytes(path, "f.yaml", 100) == b"x" * 100
    over = read_bytes(path, "f.yaml", 99)
    assert isinstance(over, Finding) and "100 bytes, over the limit of 99 bytes" in over.message
    proc = Path("/proc/self/cmdline")  # its size reads as 0: the bytes are read to the end all the same
    if proc.exists():
        assert proc.stat().st_size == 0
        assert read_bytes(proc, "cmdline", 1 << 20) == proc.read_bytes()
        assert isinstance(read_bytes(proc, "cmdline", 3), Finding)
    missing = read_bytes(tmp_path / "none.yaml", "none.yaml", 100)
    assert isinstance(missing, Finding) and missing.rule == "file.unreadable"


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path: Path) -> None:
    from hcode.store.workspace import list_yaml_files

    ws = copy_example(tmp_path / "ws")
    (ws / "ombudsman").write_text("not a folder\n")
    files, problems = list_yaml_files(ws, "ombudsman", recursive=False)
    assert files == []
    assert [(p.rule, p.file) for p in problems] == [("file.unreadable", "ombudsman")]
    assert "cannot list the folder ombudsman/" in problems[0].message
    # a folder that is not there is simply empty
    assert list_yaml_files(ws, "reports", recursive=False) == ([], [])
    _code, out, err, _ = _run(ws, ("report", "annual", "--year", "2024-25", "-f", "md"))
    assert "cannot list the folder ombudsman/" in out + err


def test_report_annual_names_each_problem_of_the_report_file_once(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    (ws / "reports").mkdir(exist_ok=True)
    (ws / "reports/2024-25.yaml").write_text("year: 2024-25\nmrc_statment: Reviewed.\n")
    code, out, err, _ = _run(ws, ("report", "annual", "--year", "2024-25", "-f", "md"))
    assert code == 3
    assert (out + err).count("reports/2024-25.yaml:2") == 1, err
    code, out, err, _ = _run(ws, ("report", "annual", "--year", "2024-25", "-f", "md"), "--skip-broken")
    assert code == 0
    assert (out + err).count("hcode: left out reports/2024-25.yaml") == 1, err


def test_check_reports_a_broken_catalogue_no_assessment_names(tmp_path: Path) -> None:
    files = {
        "provisions/hoc-2099.yaml": "code: hoc-2099\ntitle: [unclosed\n",
        "provisions/hoc-2030.yml": "code: hoc-2030\n",
        "provisions/mappings/hoc-2024-hoc-2030.yml": "from: hoc-2024\n",
    }
    ws = make_ws(tmp_path, files, config="hcode: 1\nlandlord: T\ncode: hoc-2024\n")
    doc = check_json(ws, "2025-12-31")
    broken = [f for f in doc["findings"] if f["rule"] == "code.catalogue"]
    assert [(f["file"], f["severity"]) for f in broken] == [("provisions/hoc-2099.yaml", "error")]
    assert broken[0]["line"] is not None and "hoc-2099 catalogue cannot be used" in broken[0]["message"]
    named = sorted((f["file"], f["severity"], f["hint"]) for f in doc["findings"] if f["rule"] == "file.name")
    assert named == [
        ("provisions/hoc-2030.yml", "warning", "name it hoc-2030.yaml"),
        ("provisions/mappings/hoc-2024-hoc-2030.yml", "warning", "name it hoc-2024-hoc-2030.yaml"),
    ]


def test_a_date_read_before_is_the_same_day_and_a_wrong_one_is_named_where_it_is_each_time() -> None:
    """Dates are kept by their text once read (they recur from file to file): a date already
    read gives the same day in any field, and a text that is no date the model takes is never
    kept, so each file's problem names its own field and line."""
    from datetime import date

    from hcode.core.model import Case, Finding
    from hcode.store import convert
    from hcode.store.workspace import case_from_bytes

    text = "id: C-1\nkind: complaint\nreceived: {r}\ncategory: repairs\nstage1:\n  acknowledged: {a}\n"

    def read(r: str, a: str) -> Case | list[Finding]:
        return case_from_bytes(text.format(r=r, a=a).encode(), "cases/C-1.yaml", 10**6)

    convert._DAYS.clear()
    for _ in range(2):
        case = read("2024-05-03", "2024-05-03")
        assert not isinstance(case, list) and case.stage1 is not None
        assert case.received == case.stage1.acknowledged == date(2024, 5, 3)
        for r, a, field, line in (
            ("1850-01-01", "2024-05-03", "received", 3),
            ("2024-05-03", "1850-01-01", "acknowledged", 6),
        ):
            problems = read(r, a)
            assert isinstance(problems, list) and len(problems) == 1
            assert problems[0].message.startswith(f"'{field}': 1850-01-01 is outside") and problems[0].line == line
    assert "1850-01-01" not in convert._DAYS and convert._DAYS["2024-05-03"] == date(2024, 5, 3)
