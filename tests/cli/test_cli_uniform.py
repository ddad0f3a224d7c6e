"""Every command takes the workspace the same way, --as-of where a date matters, and the same
--format names."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_example, run


@pytest.fixture()
def ws(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "ws")


def test_a_folder_inside_a_workspace_names_that_workspace(ws: Path) -> None:
    inside = run("check", ws / "cases" / "2024", "--as-of", "2025-07-31", "--format", "json")
    whole = run("check", ws, "--as-of", "2025-07-31", "--format", "json")
    assert inside.exit_code == whole.exit_code == 1
    assert inside.json() == whole.json()
    assert "init" not in inside.stderr


def test_a_folder_outside_any_workspace_is_refused_with_the_way_out(tmp_path: Path) -> None:
    result = run("check", tmp_path)
    assert result.exit_code == 3
    assert "is not inside an hcode workspace" in result.stderr
    assert f"hcode init {tmp_path}" in result.stderr


def test_case_new_takes_the_workspace_as_an_argument(ws: Path) -> None:
    result = run("case", "new", ws, "--received", "2025-07-01", "--category", "repairs")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "logged as a complaint received 2025-07-01" in result.stdout
    assert any(p.name.startswith("C-2025-") for p in (ws / "cases" / "2025").iterdir())


def test_case_list_takes_the_workspace_as_an_argument_or_option(ws: Path) -> None:
    a = run("case", "list", ws, "--as-of", "2025-07-31", "--format", "json")
    b = run("case", "list", "-w", ws, "--as-of", "2025-07-31", "--format", "json")
    assert a.exit_code == b.exit_code == 0
    assert a.json() == b.json() and len(a.json()["cases"]) == 53


def test_report_assessment_takes_as_of(ws: Path) -> None:
    result = run("report", "assessment", ws, "--as-of", "2025-07-31")
    assert result.exit_code == 0, result.stderr
    assert "2024-25" in result.stdout


@pytest.mark.parametrize("args", [["due"], ["case", "list"], ["rules"]])
def test_text_is_the_terminal_format_everywhere(ws: Path, args: list[str]) -> None:
    as_of = ["--as-of", "2025-07-31"] if args[0] != "rules" else []
    where = ["-w", str(ws)]
    text = run(*args, *where, *as_of, "--format", "text")
    table = run(*args, *where, *as_of, "--format", "table")
    assert text.exit_code == table.exit_code == 0, text.stdout + text.stderr
    assert text.stdout == table.stdout and text.stdout.strip()


def _complete(words: str, cword: int) -> list[str]:
    import os
    import subprocess
    import sys

    hcode = Path(sys.executable).with_name("hcode")
    env = {**os.environ, "_HCODE_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    done = subprocess.run([str(hcode)], env=env, capture_output=True, text=True, timeout=60, check=True)
    return done.stdout.split()


def test_shell_completion_offers_commands_and_steps() -> None:
    assert _complete("hcode ca", 1) == ["case"]
    assert set(_complete("hcode case re", 2)) == {"respond", "refuse", "remedy", "resolve"}


def test_completion_script_is_printed_for_bash() -> None:
    """Typer finds the shell from the processes above it, so ask from bash (under make, or any
    ``sh -c``, the shell above the test is sh, which has no completion); ``; exit $?`` keeps bash
    from handing its process to hcode."""
    import subprocess
    import sys

    hcode = Path(sys.executable).with_name("hcode")
    done = subprocess.run(
        ["bash", "-c", f"'{hcode}' --show-completion; exit $?"], capture_output=True, text=True, timeout=60
    )
    assert "_hcode_completion" in done.stdout + done.stderr


def test_an_unfilled_form_is_summarised_as_not_started(tmp_path: Path) -> None:
    ws = tmp_path / "fresh"
    assert run("init", ws, "--landlord", "Eastgate Almshouses", "--homes", "24").exit_code == 0
    text = run("check", ws)
    assert text.exit_code == 1  # CI still fails until the form is filled in
    assert "self-assessment not started: 72 provisions to answer" in text.stdout
    assert text.stdout.count("comply is not filled in") == 0  # one grouped line, not 72
    doc = run("check", ws, "--format", "json").json()
    unanswered = [f for f in doc["findings"] if f["rule"] == "assessment.complete"]
    assert len(unanswered) == 72 and len({f["line"] for f in unanswered}) == 72
    sarif = run("check", ws, "--format", "sarif").json()
    assert sum(r["ruleId"] == "assessment.complete" for r in sarif["runs"][0]["results"]) == 72


def test_a_form_in_progress_is_not_called_not_started(tmp_path: Path) -> None:
    ws = tmp_path / "fresh"
    assert run("init", ws, "--landlord", "Eastgate Almshouses", "--homes", "24").exit_code == 0
    form = next((ws / "assessments").glob("*.yaml"))
    text = form.read_text()
    first = text.index("comply:")
    form.write_text(text[:first] + "comply: yes" + text[first + len("comply:") :])
    out = run("check", ws).stdout
    assert "not started" not in out
    assert "self-assessment not finished: 71 provisions to answer" in out


def test_a_wrong_choice_reads_as_plain_english(ws: Path) -> None:
    """hcode drops the "Value error, " that Typer passes on from pydantic (a private Typer function
    is wrapped in hcode.cli; requirements/dev.txt pins the Typer it was written for, and make
    test-latest runs this against the newest)."""
    result = run("case", "respond", "C-2024-0001", "-w", ws, "--outcome", "resolved")
    assert result.exit_code == 2
    assert "'resolved' is not one of 'upheld', 'partly-upheld', 'not-upheld'" in result.stderr
    assert "Value error" not in result.stderr
