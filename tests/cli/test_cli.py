"""Every command and every exit code, through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import EXAMPLE, ON_TIME, ROOT, case_yaml, check_json, full_assessment, make_ws, run
from hcode import __version__
from hcode.cli import main

CLEAN = {
    "assessments/2024-25.yaml": full_assessment(),
    "cases/2024/C-1.yaml": case_yaml("2024-05-03", ON_TIME),
}


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"hcode {__version__}"


def test_python_dash_m() -> None:
    done = subprocess.run([sys.executable, "-m", "hcode", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == f"hcode {__version__}"


def test_help_lists_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("check", "due", "init", "schema", "case", "provisions", "workdays"):
        assert command in result.stdout


def test_check_clean_workspace_exits_0(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, CLEAN)
    result = run("check", ws, "--as-of", "2025-07-31")
    assert result.exit_code == 0, result.stdout
    assert "no problems found - 0 errors, 0 warnings, 0 info in 3 files (as of 2025-07-31)" in result.stdout


def test_check_exit_codes_follow_fail_on(tmp_path: Path) -> None:
    files = dict(CLEAN)
    files["assessments/2024-25.yaml"] = full_assessment(approved=None)  # one warning (8.2)
    ws = make_ws(tmp_path, files)
    assert run("check", ws, "--as-of", "2025-07-31").exit_code == 0
    assert run("check", ws, "--as-of", "2025-07-31", "--fail-on", "warning").exit_code == 1
    late = case_yaml("2024-05-03", {**ON_TIME, "responded": "2024-05-22"})
    make_ws(tmp_path, {"cases/2024/C-1.yaml": late})
    assert run("check", ws, "--as-of", "2025-07-31").exit_code == 1
    assert run("check", ws, "--as-of", "2025-07-31", "--fail-on", "never").exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--as-of", "31/03/2025"],
        ["check", "--format", "xml"],
        ["check", "--fail-on", "sometimes"],
        ["check", "--bogus"],
        ["nonsense"],
        ["workdays", "add", "2024-01-01", "-3"],
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    ws = make_ws(tmp_path, CLEAN)
    full = args[:1] + [str(ws)] + args[1:] if args[0] == "check" else args
    assert run(*full).exit_code == 2


def test_missing_workspace_exits_3(tmp_path: Path) -> None:
    result = run("check", tmp_path / "nowhere")
    assert result.exit_code == 3
    assert "no such folder" in result.stderr
    result = run("check", tmp_path)
    assert result.exit_code == 3 and "is not inside an hcode workspace" in result.stderr


def test_workspace_found_from_a_subfolder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = make_ws(tmp_path, CLEAN)
    monkeypatch.chdir(ws / "cases" / "2024")
    result = run("check", "--as-of", "2025-07-31")
    assert result.exit_code == 0 and "Test Homes" in result.stdout
    monkeypatch.chdir(tmp_path.parent)
    assert run("check", "--workspace", ws, "--as-of", "2025-07-31").exit_code == 0


def test_no_workspace_anywhere_exits_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 3 and "no hcode.yaml found" in result.stderr


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        (
            "hcode: 1\nlandlord: T\nhomes: lots\n",
            "hcode.yaml:3:8: 'homes' must be a whole number or a mapping of keys and values, found 'lots'",
        ),
        ("hcode: 1\nlandlord: T\nlandlord: U\n", "hcode.yaml:3:1: duplicate key 'landlord'"),
        ("hcode: 2\nlandlord: T\n", "hcode.yaml:1:8: 'hcode' must be 1, found 2"),
        ("hcode: 1\nlandlord: T\ncalendar: {closures: [2025-02-30]}\n", "not a real date"),
        ("hcode: 1\nlandlord: T\ncode: hoc-1999\n", "unknown Code edition 'hoc-1999'"),
        ("hcode: 1\n", "'landlord' is missing in this file"),
        ("", "file is empty"),
    ],
)
def test_invalid_config_exits_3(tmp_path: Path, config: str, fragment: str) -> None:
    ws = make_ws(tmp_path, config=config)
    result = run("check", ws)
    assert result.exit_code == 3
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr


def test_json_output_contract(tmp_path: Path) -> None:
    late = case_yaml("2024-05-03", {**ON_TIME, "responded": "2024-05-22"})
    ws = make_ws(tmp_path, {**CLEAN, "cases/2024/C-1.yaml": late})
    doc = run("check", ws, "--as-of", "2025-07-31", "--format", "json").json()
    assert doc["hcode"] == 1 and doc["as_of"] == "2025-07-31" and doc["workspace"] == "Test Homes"
    assert doc["summary"] == {"files": 3, "error": 1, "warning": 0, "info": 0, "recorded": 0}
    (f,) = doc["findings"]
    assert f["rule"] == "6.3" and f["subject"] == "C-1" and f["file"] == "cases/2024/C-1.yaml"
    assert f["due"] == "2024-05-21" and f["actual"] == "2024-05-22"
    assert isinstance(f["line"], int) and isinstance(f["column"], int)


def test_text_output_has_no_colour_codes_when_piped(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/2024/C-1.yaml": "id: ["})
    result = run("check", ws, "--as-of", "2025-07-31", env={"NO_COLOR": "1"})
    assert "\x1b[" not in result.stdout
    assert "cases/2024/C-1.yaml" in result.stdout and "error" in result.stdout


def test_internal_error_exits_4_with_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import hcode.api.check

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    ws = make_ws(tmp_path, CLEAN)
    monkeypatch.setattr(hcode.api.check, "_all_findings", boom)
    monkeypatch.delenv("HCODE_DEBUG", raising=False)
    with pytest.raises(SystemExit) as info:
        main(["check", str(ws)])
    assert info.value.code == 4
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error (RuntimeError)" in err and "HCODE_DEBUG=1" in err
    monkeypatch.setenv("HCODE_DEBUG", "1")
    with pytest.raises(RuntimeError):
        main(["check", str(ws)])


def test_main_exit_codes(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, CLEAN)
    for argv, code in (
        (["check", str(ws), "--as-of", "2025-07-31"], 0),
        (["--bogus"], 2),
        (["check", str(tmp_path / "x")], 3),
    ):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == code


# -- init ---------------------------------------------------------------------------------------


def test_init_then_check_reports_only_what_to_fill_in(tmp_path: Path) -> None:
    target = tmp_path / "ws"
    result = run("init", target, "--landlord", "Almshouse Trust: Eastgate", "--homes", "24")
    assert result.exit_code == 0, result.stderr
    for rel in ("hcode.yaml", "cases/README.md", ".gitignore", ".github/workflows/hcode.yml"):
        assert (target / rel).is_file()
    (assessment,) = (target / "assessments").glob("*.yaml")
    assert "# 6.10 If all or part of the complaint is not resolved" in assessment.read_text()
    doc = run("check", target, "--format", "json").json()
    assert doc["workspace"] == "Almshouse Trust: Eastgate"
    rules = {(f["rule"], f["severity"]) for f in doc["findings"]}
    assert rules == {("assessment.complete", "error"), ("8.1", "error"), ("8.2", "warning")}
    assert sum(f["rule"] == "assessment.complete" for f in doc["findings"]) == 72


def test_init_without_homes_makes_a_workspace_that_loads(tmp_path: Path) -> None:
    """An empty "homes:" is not a number: without --homes the key is left commented out."""
    assert run("init", tmp_path / "ws").exit_code == 0
    assert "# homes: 0" in (tmp_path / "ws" / "hcode.yaml").read_text()
    doc = run("check", tmp_path / "ws", "--format", "json").json()
    assert {f["rule"] for f in doc["findings"]} == {"assessment.complete", "8.1", "8.2"}


def test_init_refuses_an_existing_workspace(tmp_path: Path) -> None:
    ws = make_ws(tmp_path)
    before = (ws / "hcode.yaml").read_bytes()
    result = run("init", ws)
    assert result.exit_code == 2 and "already a workspace" in result.stderr
    assert (ws / "hcode.yaml").read_bytes() == before


def test_init_workflow_is_valid_yaml_with_named_steps(tmp_path: Path) -> None:
    run("init", tmp_path / "ws")
    flow = yaml.safe_load((tmp_path / "ws/.github/workflows/hcode.yml").read_text())
    steps = flow["jobs"]["check"]["steps"]
    assert all("name" in s for s in steps)
    assert any("hcode check" in s.get("run", "") for s in steps)


def test_init_workflow_installs_exactly_the_version_that_wrote_it_and_is_a_valid_workflow(tmp_path: Path) -> None:
    """Validated against GitHub's workflow schema as check-jsonschema ships it (no network); the
    release workflow too. docs/ci.md shows the same workflow, with the same install line.
    check-jsonschema's own command runs in this process (as its console script would run it)."""
    from click.testing import CliRunner as ClickRunner

    from hcode import __version__

    try:
        from check_jsonschema import main as check_jsonschema  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - installed with the bench extra
        raise AssertionError("check-jsonschema is installed with the bench extra (requirements/dev.txt)") from None

    def validate(*paths: Path) -> tuple[int, str]:
        checked = ClickRunner().invoke(
            check_jsonschema, ["--builtin-schema", "vendor.github-workflows", *map(str, paths)]
        )
        return checked.exit_code, checked.output

    run("init", tmp_path / "ws")
    written = tmp_path / "ws/.github/workflows/hcode.yml"
    flow = yaml.safe_load(written.read_text())
    (install,) = [s["run"] for s in flow["jobs"]["check"]["steps"] if s["name"] == "Install hcode"]
    assert install == f'pip install "hcode=={__version__}"'
    text = written.read_text()
    assert f"git+https://github.com/OWNER/hcode@v{__version__}" in text  # the alternative, until released
    release = ROOT / ".github/workflows/release.yml"
    for workflow in (written, release):
        code, output = validate(workflow)
        assert code == 0, output
    # a broken workflow fails the same validation (the control case)
    broken = tmp_path / "broken.yml"
    broken.write_text(text.replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest"))
    code, output = validate(broken)
    assert code == 1 and "runs-on" in output, output
    docs = (ROOT / "docs/ci.md").read_text()
    assert text.split("\n", 1)[1] in docs  # all but the first line, a comment naming the writer


# -- schema, provisions, workdays ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["workspace", "assessment", "case", "provisions"])
def test_schema_prints_json(name: str) -> None:
    result = run("schema", name)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_unknown_name() -> None:
    assert run("schema", "cases").exit_code == 2


def test_provisions_list_and_show() -> None:
    result = run("provisions", "list")
    assert result.exit_code == 0 and "6.14" in result.stdout and "Section 9" in result.stdout
    shown = run("provisions", "show", "6.3")
    assert shown.exit_code == 0
    assert "within 10 working days of the complaint being acknowledged" in shown.stdout
    assert "stage 1 respond: 10 working days from acknowledged" in shown.stdout
    assert run("provisions", "show", "6.99").exit_code == 2


def test_workdays_commands() -> None:
    assert run("workdays", "add", "2024-03-28", "5").stdout == "2024-04-08\n"
    assert run("workdays", "between", "2024-03-28", "2024-04-08").stdout == "5\n"
    explained = run("workdays", "explain", "2024-03-28", "5").stdout
    assert "2024-03-29 Fri  not counted: bank holiday: Good Friday" in explained
    assert "2024-04-01 Mon  not counted: bank holiday: Easter Monday" in explained
    assert explained.strip().endswith("=> 2024-04-08 is working day 5 after 2024-03-28")
    assert run("workdays", "add", "2023-12-29", "1", "--division", "scotland").stdout == "2024-01-03\n"
    assert run("workdays", "add", "2023-12-29", "1", "--division", "wales").exit_code == 2


def test_workdays_honour_workspace_closures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = make_ws(tmp_path, config="hcode: 1\nlandlord: T\ncalendar: {closures: [2024-12-27]}\n")
    monkeypatch.chdir(ws)
    assert run("workdays", "add", "2024-12-24", "1").stdout == "2024-12-30\n"
    assert "closure day" in run("workdays", "explain", "2024-12-24", "1").stdout
    monkeypatch.chdir(tmp_path.parent)
    assert run("workdays", "add", "2024-12-24", "1").stdout == "2024-12-27\n"


# -- due and case show --------------------------------------------------------------------------


def open_cases(tmp_path: Path) -> Path:
    return make_ws(
        tmp_path,
        {
            "cases/C-1.yaml": case_yaml("2025-03-03", {"acknowledged": "2025-03-04"}),  # response due 18 Mar
            "cases/C-2.yaml": case_yaml("2025-03-10").replace("C-1", "C-2"),  # ack due 17 Mar
            "cases/C-3.yaml": case_yaml(
                "2025-03-03", ON_TIME | {"acknowledged": "2025-03-04", "responded": "2025-03-05"}
            ).replace("C-1", "C-3"),
        },
    )


def test_due_orders_overdue_first(tmp_path: Path) -> None:
    ws = open_cases(tmp_path)
    doc = run("due", ws, "--as-of", "2025-03-18", "--format", "json").json()
    rows = [(r["case"], r["event"], r["due"], r["status"], r["left"]) for r in doc["milestones"]]
    assert rows == [
        ("C-2", "acknowledge", "2025-03-17", "overdue", -1),
        ("C-1", "respond", "2025-03-18", "due-soon", 0),
        ("C-2", "respond", "2025-03-31", "open", 9),
    ]
    keys = set(doc["milestones"][0])
    assert {
        "case",
        "stage",
        "event",
        "provision",
        "from",
        "working_days",
        "due",
        "done",
        "status",
    } <= keys
    within = run("due", ws, "--as-of", "2025-03-18", "--within", "3", "--format", "json").json()
    assert [r["case"] for r in within["milestones"]] == ["C-2", "C-1"]
    everything = run("due", ws, "--as-of", "2025-03-18", "--all", "--format", "json").json()
    assert {r["status"] for r in everything["milestones"]} >= {"met"}
    table = run("due", ws, "--as-of", "2025-03-18")
    assert table.exit_code == 0 and "C-2" in table.stdout and "overdue" in table.stdout


def test_case_show_explains_the_count(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/C-1.yaml": case_yaml("2024-05-03", ON_TIME)})
    result = run("case", "show", "C-1", "--workspace", ws, "--as-of", "2025-03-31")
    assert result.exit_code == 0
    out = result.stdout
    assert "Stage 1 acknowledgement (Code 6.2, hoc-2024): MET" in out
    assert (
        "5 working days after received 2024-05-03 (day 0); not counted: 4 weekend days, "
        "Mon 06 May 2024 (bank holiday: May Day) -> 2024-05-13" in out
    )
    assert "Stage 1 response (Code 6.3, hoc-2024): MET" in out
    missing = run("case", "show", "C-9", "--workspace", ws)
    assert missing.exit_code == 3 and "no case C-9" in missing.stderr


# -- the bundled example ------------------------------------------------------------------------

EXPECTED_EXAMPLE = {
    ("2024-25", "assessment.action-overdue", "warning"),
    ("2024-25", "assessment.evidence", "warning"),
    ("C-2023-0005", "5.1", "error"),  # judged by the 2022 Code, in force when it arrived
    ("C-2023-0005", "respond", "error"),  # its stage 2 response, 20 working days from the request
    ("hoc-2022", "code.unconfirmed", "info"),
    ("C-2024-0009", "6.2", "error"),
    ("C-2025-0004", "case.remedy-overdue", "warning"),
    ("C-2024-0009", "6.3", "warning"),
    ("C-2024-0012", "6.3", "error"),
    ("C-2024-0015", "6.4", "error"),
    ("C-2024-0015", "6.3", "error"),
    ("C-2024-0016", "6.4", "error"),
    ("C-2024-0016", "6.3", "error"),
    ("C-2024-0017", "6.5", "error"),
    ("C-2024-0019", "6.13", "error"),
    ("C-2024-0026", "2.3", "error"),
    ("C-2025-0003", "6.2", "error"),
    ("C-2025-0006", "6.3", "error"),
    ("C-2025-0007", "6.3", "warning"),
    ("HZ-2025-0001", "awaab.phase", "info"),  # reported before Awaab's Law came into force
    ("HZ-2025-0003", "awaab.tenure", "info"),  # low-cost home ownership
}


def test_example_workspace_findings_are_the_intended_ones() -> None:
    doc = run("check", EXAMPLE, "--as-of", "2025-07-31", "--format", "json").json()
    got = {(f["subject"], f["rule"], f["severity"]) for f in doc["findings"]}
    assert got == EXPECTED_EXAMPLE
    assert doc["summary"]["files"] >= 42
    editions = {(f["subject"], f.get("edition")) for f in doc["findings"] if f["subject"].startswith("C-")}
    assert ("C-2023-0005", "hoc-2022") in editions and ("C-2024-0009", "hoc-2024") in editions
    assert not [f for f in doc["findings"] if f["rule"] == "code.edition"]  # code: auto


def test_example_workspace_has_every_lifecycle_shape() -> None:
    cases = [yaml.safe_load(p.read_text()) for p in sorted((EXAMPLE / "cases").rglob("*.yaml"))]
    assert len(cases) >= 40
    assert any(c["kind"] == "service-request" for c in cases)
    assert any("stage2" in c and "responded" in c["stage2"] for c in cases)
    assert any(c.get("refused", {}).get("stage") == 1 for c in cases)
    assert any(c.get("refused", {}).get("stage") == 2 for c in cases)
    assert any("extension" in c.get("stage1", {}) for c in cases)
    assert any("extension" in c.get("stage2", {}) for c in cases)
    assert any(c.get("stage1", {}).get("outcome") == "withdrawn" for c in cases)
    assert any("ombudsman" in c for c in cases) and any("remedy" in c for c in cases)
    assert any(any(k.startswith("x-") for k in c) for c in cases)
    assert any("responded" not in c.get("stage1", {"responded": 1}) for c in cases)  # open


def test_readme_commands_exist() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
    assert os.access(ROOT / ".ci" / "run", os.R_OK)


def test_make_run_is_plain_hcode_check_at_the_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`make run` runs `hcode check` with no argument at the repository root, which is the example
    workspace; its deliberate findings exit 1 (accepted), anything else fails the target."""
    from conftest import copy_example

    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nrun: $(STAMP)\n", 1)[1].split("\n\n", 1)[0].splitlines()
    commands = [line for line in recipe if "echo" not in line]
    assert commands[0] == "\t@$(BIN)/hcode check || test $$? -eq 1"
    ws = copy_example(tmp_path / "clone")
    monkeypatch.chdir(ws)
    result = run("check")
    assert result.exit_code == 1, result.stderr
    assert "Riverside Vale Homes: not compliant" in result.stdout
    # the slow tests are marked, and CI's `make test` runs them all (no marker deselected)
    assert "\t$(TEST_ENV) $(BIN)/python -m pytest -n $(PYTEST_WORKERS)\n" in makefile


def test_case_show_shows_what_was_decided_and_the_remedy(tmp_path: Path) -> None:
    text = (
        "id: C-1\nkind: complaint\nreceived: 2025-01-06\ncategory: repairs\n"
        "stage1:\n  acknowledged: 2025-01-07\n  definition: Boiler not repaired; wants it fixed.\n"
        "  handler: H-101\n  responded: 2025-01-20\n  outcome: upheld\n"
        "remedy:\n  compensation: 75\n  actions:\n"
        "    - {action: Replace the boiler, due: 2025-02-28}\n"
        "    - {action: Apology letter, due: 2025-01-24, done: 2025-01-22}\n"
        "    - {action: Check the radiators, due: 2025-06-30}\n"
        "learning: Boiler repairs now booked on the day of the report.\n"
    )
    ws = make_ws(tmp_path, {"cases/C-1.yaml": text})
    out = run("case", "show", "C-1", "--workspace", ws, "--as-of", "2025-03-31").stdout
    assert "definition: Boiler not repaired; wants it fixed." in out
    assert "handler reference: H-101" in out and "outcome: upheld" in out
    assert "compensation: £75.00" in out
    assert "action 1: Replace the boiler (due 2025-02-28; NOT DONE, overdue as of 2025-03-31)" in out
    assert "action 2: Apology letter (due 2025-01-24; done 2025-01-22)" in out
    assert "action 3: Check the radiators (due 2025-06-30; not done yet)" in out
    assert "Learning: Boiler repairs now booked on the day of the report." in out
    # before the stage 1 response that offered it (2025-01-20), no action is due yet, as in `due`
    early = run("case", "show", "C-1", "--workspace", ws, "--as-of", "2025-01-15").stdout
    assert "action 1: Replace the boiler (due 2025-02-28; not offered yet on 2025-01-15 (offered 2025-01-20))" in early


REMEDY_CASE = (
    "id: C-1\nkind: complaint\nreceived: 2025-01-06\ncategory: repairs\n"
    "stage1:\n  acknowledged: 2025-01-07\n  definition: Boiler not repaired; wants it fixed.\n"
    "  handler: H-101\n  responded: 2025-01-20\n  outcome: upheld\n"
    "remedy:\n  actions:\n"
    "    - {action: Replace the boiler, due: 2025-02-28}\n"
    "    - {action: Apology letter, due: 2025-01-24, done: 2025-01-22}\n"
)


def test_remedy_action_past_due_is_a_warning_even_after_a_cached_run(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/C-1.yaml": REMEDY_CASE})
    before = check_json(ws, "2025-02-10")["findings"]
    assert not [f for f in before if f["rule"] == "case.remedy-overdue"]
    after = [f for f in check_json(ws, "2025-03-31")["findings"] if f["rule"] == "case.remedy-overdue"]
    assert [(f["severity"], f["message"]) for f in after] == [
        (
            "warning",
            "remedy action 1 ('Replace the boiler') was due 2025-02-28 and is not done "
            "(Code 7.3: a remedy must be followed through)",
        )
    ]
    assert after[0]["line"] == 13


def test_due_lists_remedy_actions_not_done(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/C-1.yaml": REMEDY_CASE})
    rows = run("due", ws, "--as-of", "2025-03-31", "--format", "json").json()["milestones"]
    assert [(r["case"], r["event"], r["action"], r["due"], r["status"]) for r in rows] == [
        ("C-1", "remedy", 1, "2025-02-28", "overdue")
    ]
    text = run("due", ws, "--as-of", "2025-03-31").stdout
    assert "remedy action 1" in text and "overdue" in text
    early = run("due", ws, "--as-of", "2025-02-10", "--format", "json").json()["milestones"]
    assert [(r["event"], r["status"]) for r in early] == [("remedy", "open")]


def test_due_json_holds_no_float_so_it_skips_the_search_for_one() -> None:
    """`hcode due` prints with dump_json(floats=False): its rows are built of text, whole numbers,
    booleans and nulls only, and the output is exactly json.dumps's."""
    import json

    from hcode.cli import dump_json

    made = run("due", EXAMPLE, "--all", "--as-of", "2025-07-31", "--format", "json")
    doc = made.json()
    kinds = {type(v) for row in doc["milestones"] for v in row.values()}
    assert kinds <= {str, int, bool, type(None)}, kinds
    assert {r["event"] for r in doc["milestones"]} >= {"acknowledge", "respond"}
    assert dump_json(doc, floats=False) == json.dumps(doc, indent=2)
    assert made.stdout == json.dumps(doc, indent=2) + "\n"


@pytest.mark.parametrize(
    "doc",
    [
        {"rows": [{"case": "C-1", "n": 2, "ok": True, "none": None}]},
        {"rows": ["::error::x", "a\n::warning b"]},  # a workflow command at a line's start
        {"rows": ["##[error]x"]},
        {"rows": ["\x1b[31mred\u202e", "\x7f", "tab\tend"]},  # escaped on the way out
        {"rows": ["café 修理", "\u2028"]},
        {"rows": [1.5, 1e16, 0.1]},  # floats: json's own way of writing them
        {},
    ],
)
def test_a_json_document_is_printed_as_echo_prints_dump_json(doc: dict[str, Any], capfdbinary: Any) -> None:
    """echo_json writes orjson's bytes as they are only where echo(dump_json(...)) would write
    the same bytes; every other document goes that way."""
    from hcode.cli.common import dump_json, echo, echo_json

    echo_json(doc)
    quick = capfdbinary.readouterr().out
    echo(dump_json(doc), kind="json", nl=True)
    assert quick == capfdbinary.readouterr().out
