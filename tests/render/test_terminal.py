"""What a person sees in a terminal: tables at 60, 80 and 120 columns, and plain text when asked."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import EXAMPLE, copy_example, run
from hcode.core.model import Finding, Unanswered
from hcode.render.findings import FindingsRun
from hcode.render.output import text_lines
from hcode.render.terminal import Col, dropped, plan

ESC = "\x1b"
ID = re.compile(r"\b[CS]-\d{4}-\d{4}\b")
DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _show(args: list[str], width: int, **env: str) -> str:
    result = run(*args, env={"COLUMNS": str(width), **env})
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize("width", [60, 80, 120])
def test_due_keeps_every_case_id_and_due_date_whole(width: int) -> None:
    wide = run("due", EXAMPLE, "--as-of", "2025-07-31", "--format", "json").json()["milestones"]
    text = _show(["due", str(EXAMPLE), "--as-of", "2025-07-31"], width)
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    for row in wide:
        assert any(row["case"] in line and row["due"] in line for line in lines), row
    assert "…" not in text
    assert "Due date" in text and "Status" in text


@pytest.mark.parametrize("width", [60, 80, 120])
def test_case_list_keeps_ids_and_dates_whole(width: int) -> None:
    rows = run("case", "list", "--workspace", EXAMPLE, "--as-of", "2025-07-31", "--format", "json").json()["cases"]
    text = _show(["case", "list", "--workspace", str(EXAMPLE), "--as-of", "2025-07-31"], width)
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    assert "…" not in text
    for row in rows:
        line = next(line for line in lines if row["case"] in line)
        assert row["received"] in line
        if row["due"]:
            assert row["due"] in line
        status = row["status"] or ("open" if row["open"] else "closed")
        assert status in line  # never "clos…"


def test_wider_terminals_show_more_columns() -> None:
    narrow = _show(["case", "list", "--workspace", str(EXAMPLE), "--as-of", "2025-07-31"], 60)
    wide = _show(["case", "list", "--workspace", str(EXAMPLE), "--as-of", "2025-07-31"], 120)
    assert "Category" not in narrow and "Category" in wide
    assert "Kind" in wide


def test_columns_drop_in_their_stated_order() -> None:
    cols = [Col("Id", whole=True), Col("A", drop=2), Col("B", drop=1), Col("When", whole=True)]
    rows = [["C-2024-0001", "aaaaaaaaaa", "bbbbbbbbbb", "2024-01-01"]]
    assert plan(cols, rows, 200) == [0, 1, 2, 3]
    assert dropped(cols, rows, 40) == ["B"]
    assert dropped(cols, rows, 30) == ["A", "B"]
    # whole columns stay even when the table cannot fit
    assert plan(cols, rows, 5) == [0, 3]


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
@pytest.mark.parametrize(
    "args",
    [
        ["due", str(EXAMPLE), "--as-of", "2025-07-31"],
        ["case", "list", "--workspace", str(EXAMPLE), "--as-of", "2025-07-31"],
        ["check", str(EXAMPLE), "--as-of", "2025-07-31", "--fail-on", "never"],
    ],
)
def test_no_escape_sequences_when_plain_text_is_asked_for(args: list[str], env: dict[str, str]) -> None:
    text = _show(args, 100, FORCE_COLOR="1", TTY_COMPATIBLE="1", **env)
    assert ESC not in text


def test_styles_reach_a_colour_terminal() -> None:
    # The control case for the test above: the same run with colour allowed does style the status.
    text = _show(["due", str(EXAMPLE), "--as-of", "2025-07-31"], 100, FORCE_COLOR="1", TTY_COMPATIBLE="1")
    assert ESC in text


# hcode check: wrapped to the width on a terminal, one line a finding in a file or a pipe.

CHECK = ["check", str(EXAMPLE), "--as-of", "2025-07-31", "--fail-on", "never"]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
WHERE = re.compile(r"^ +(\d+:\d+|-)  (error|warning|info) ")


def _findings() -> list[dict[str, object]]:
    doc = run(*CHECK, "--format", "json").json()
    found: list[dict[str, object]] = doc["findings"]
    return found


def _located(text: str, findings: list[dict[str, object]]) -> None:
    """Every finding's file is a line of its own and its LINE:COL starts a line under it, whole."""
    lines = text.splitlines()
    for f in findings:
        file = f["file"] or "(workspace)"
        assert file in lines, file
        where = f"{f['line']}:{f['column'] or 1}" if f["line"] else "-"
        below = lines[lines.index(str(file)) :]
        assert any(line.split()[:2] == [where, f["severity"]] for line in below if line.strip()), (file, where)


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("colour", [False, True])
def test_check_wraps_to_the_terminal_and_keeps_locations_whole(width: int, colour: bool) -> None:
    env = {"TTY_COMPATIBLE": "1", "FORCE_COLOR": "1"} if colour else {"TTY_COMPATIBLE": "1", "NO_COLOR": "1"}
    text = _show(CHECK, width, **env)
    assert (ESC in text) is colour
    plain = ANSI.sub("", text)
    lines = plain.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    assert lines[0].startswith("Judged by date (code: auto):")
    findings = _findings()
    _located(plain, findings)
    # every case id and date in a message is whole, and every message's words are all there
    words = " ".join(plain.split())
    for f in findings:
        message = str(f["message"])
        for token in ID.findall(message) + DATE.findall(message):
            assert token in plain
        assert " ".join(message.split()) in words, message
    # continuation lines start under the message, never at the location's column
    verdict = next(i for i, line in enumerate(lines) if line.startswith("Riverside Vale Homes: not compliant"))
    for line in lines[:verdict]:
        if line.startswith("  ") and not WHERE.match(line) and line.strip():
            assert line.startswith(" " * 20), line
    assert all(line.startswith("  ") for line in lines[verdict + 1 :])
    assert "Riverside Vale Homes: not compliant - " in words


@pytest.mark.parametrize("width", [60, 80, 120])
def test_check_to_a_pipe_keeps_one_line_a_finding(width: int) -> None:
    text = _show(CHECK, width)  # the test runner's output is not a terminal
    lines = text.splitlines()
    findings = _findings()
    shown = [line for line in lines if WHERE.match(line)]
    assert len(shown) == len(findings)
    for f in findings:
        assert any(f"{f['subject']}: {f['message']}" in line for line in shown), f["message"]
    _located(text, findings)
    # the header is wrapped at 80 columns whatever the width
    header = lines[: lines.index("")]
    assert len(header) > 1 and max(len(line) for line in header) <= 80
    assert " ".join(header).startswith("Judged by date (code: auto): each stage of a complaint")


@pytest.mark.parametrize("width", [60, 80])
def test_check_with_force_color_to_a_pipe_keeps_one_line_a_finding(width: int) -> None:
    """FORCE_COLOR (set by many CI jobs) asks for colour, not for a terminal: each finding
    stays on one line, as without it; only the colour is added."""
    text = _show(CHECK, width, FORCE_COLOR="1")
    assert ESC in text
    assert ANSI.sub("", text) == _show(CHECK, width)


def test_check_with_force_color_into_a_real_pipe_keeps_one_line_a_finding() -> None:
    """``FORCE_COLOR=1 hcode check | head``: hcode as its own process writing into an OS pipe."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "TTY_COMPATIBLE")}
    env.update(FORCE_COLOR="1", TERM="xterm-256color")
    done = subprocess.run([sys.executable, "-m", "hcode", *CHECK], capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("utf-8")
    assert ESC in text
    lines = ANSI.sub("", text).splitlines()
    findings = _findings()
    shown = [line for line in lines if WHERE.match(line)]
    assert len(shown) == len(findings)
    for f in findings:
        assert any(f"{f['subject']}: {f['message']}" in line for line in shown), f["message"]
    assert max(len(line) for line in shown) > 80  # not wrapped at Rich's default of 80


def test_check_text_to_a_file_is_what_a_pipe_shows(tmp_path: Path) -> None:
    target = tmp_path / "findings.txt"
    result = run(*CHECK, "--format", "text", "-o", target)
    assert result.exit_code == 0, result.stderr
    assert f"report written to {target}" in result.stdout
    assert target.read_text("utf-8") == run(*CHECK).stdout
    assert target.read_text("utf-8").startswith("Judged by date (code: auto):")


def test_check_text_to_a_file_names_the_one_edition(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    config = ws / "hcode.yaml"
    config.write_text(config.read_text("utf-8").replace("code: auto ", "code: hoc-2024 "), "utf-8")
    target = tmp_path / "findings.txt"
    run("check", ws, "--as-of", "2025-07-31", "-o", target)
    text = target.read_text("utf-8")
    assert text.startswith("Judged against hoc-2024: the ")
    assert "(Code 6.3)" in text and ", hoc-2024)" not in text  # the one edition is said once
    assert text == run("check", ws, "--as-of", "2025-07-31").stdout


def in_a_terminal(args: list[str], width: int, expect: int = 0, height: int = 50, **extra: str) -> str:
    """What hcode ARGS writes in a pseudo-terminal ``width`` columns wide and ``height`` lines
    high (no COLUMNS: Rich finds the size itself), as a person sees it: with its escape
    sequences."""
    pty = pytest.importorskip("pty", reason="pseudo-terminals are POSIX only")
    import fcntl
    import os
    import struct
    import subprocess
    import sys
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "TERM", "FORCE_COLOR")}
    env["TERM"] = "xterm-256color"
    env["PAGER"] = "cat"  # a long listing would go through the pager
    env.pop("HCODE_PAGER", None)
    env.update(extra)
    proc = subprocess.Popen(
        [sys.executable, "-m", "hcode", *args], stdin=follower, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when hcode exits
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert proc.wait(timeout=120) == expect
    os.close(leader)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.mark.parametrize("width", [60, 80, 120])
def test_case_show_in_a_real_terminal_wraps_and_shows_the_ombudsman_referral(width: int) -> None:
    args = ["case", "show", "C-2024-0020", "-w", str(EXAMPLE), "--as-of", "2025-07-31"]
    plain = ANSI.sub("", in_a_terminal(args, width))
    lines = plain.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    assert "  Housing Ombudsman:" in lines and "    referred: 2025-03-10" in lines
    # nothing lost: the same words as the one-line-each text written to a pipe
    piped = run(*args).stdout
    assert plain.split() == piped.split()
    assert max(cell_len(line) for line in piped.splitlines()) > 60  # a pipe is not wrapped


def test_check_in_a_real_terminal_of_80_columns() -> None:
    """hcode in a pseudo-terminal 80 columns wide (no COLUMNS): Rich finds the width itself."""
    pty = pytest.importorskip("pty", reason="pseudo-terminals are POSIX only")
    import fcntl
    import os
    import struct
    import subprocess
    import sys
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "TERM", "FORCE_COLOR")}
    env["TERM"] = "xterm-256color"
    env["PAGER"] = "cat"  # the layout on the terminal, not the pager (test_a_long_listing_...)
    env.pop("HCODE_PAGER", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "hcode", *CHECK], stdin=follower, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when hcode exits
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert proc.wait(timeout=120) == 0
    os.close(leader)
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    assert ESC in text  # a terminal: coloured
    plain = ANSI.sub("", text)
    assert max(cell_len(line) for line in plain.splitlines()) <= 80
    assert plain.splitlines()[1].startswith("force when it started")  # the header wrapped at 80
    _located(plain, _findings())


def _run(findings: list[Finding]) -> FindingsRun:
    return FindingsRun(findings, date(2025, 7, 31), "Test Homes", 1)


def _blank(pid: str, message: str, not_started: bool = True) -> Finding:
    return Finding(
        "assessment.complete",
        "error",
        "2025-26",
        message,
        "assessments/2025-26.yaml",
        3,
        5,
        unanswered=Unanswered(pid, not_started=not_started),
    )


def test_unanswered_provisions_are_grouped_by_what_the_finding_carries_not_its_wording() -> None:
    reworded = [_blank(pid, f"nobody has answered {pid} yet") for pid in ("1.1", "1.2", "1.3")]
    text = "\n".join(text_lines(_run(reworded)))
    assert "self-assessment not started: 3 provisions to answer (1.1, 1.2, 1.3)" in text
    assert "nobody has answered" not in text
    assert "not compliant - self-assessment not started: 3 provisions to answer" in text
    # one answer given somewhere: not finished, and the verdict is the ordinary one
    some = [*reworded[:2], _blank("1.3", "x", not_started=False)]
    text = "\n".join(text_lines(_run(some)))
    assert "self-assessment not finished: 3 provisions to answer" in text
    assert "not compliant - 3 errors" in text
    # the old wording without the structured field is an ordinary finding, shown as it is
    worded = [
        replace(
            f,
            message=f"provision {f.unanswered.provision} is not answered (self-assessment not started)",
            unanswered=None,
        )
        for f in reworded
        if f.unanswered
    ]
    text = "\n".join(text_lines(_run(worded)))
    assert text.count("is not answered") == 3 and "provisions to answer" not in text


def test_the_self_assessment_rule_says_which_provision_is_unanswered(tmp_path: Path) -> None:
    from hcode.api import open_workspace

    ws = tmp_path / "fresh"
    assert run("init", ws, "--landlord", "Eastgate Almshouses", "--homes", "24").exit_code == 0
    found = open_workspace(ws, use_cache=False).check(date(2025, 7, 31)).findings
    blanks = [f for f in found if f.rule == "assessment.complete"]
    assert len(blanks) == 72
    assert all(f.unanswered and f.unanswered.not_started for f in blanks)
    assert {f.unanswered.provision for f in blanks if f.unanswered} >= {"1.2", "6.3", "9.8"}
    assert all(f.unanswered and f.unanswered.provision in f.message for f in blanks)


def test_a_long_location_is_never_broken_when_wrapped() -> None:
    long = Finding("6.3", "error", "C-2025-0001", " ".join(["word"] * 40), "cases/2025/C-2025-0001.yaml", 123456, 789)
    lines = text_lines(_run([long]), width=60)
    assert lines[0] == "cases/2025/C-2025-0001.yaml"
    assert lines[1].startswith("  123456:789  error    C-2025-0001: word")
    assert all(len(line) <= 60 for line in lines)
    assert all(line.startswith(" " * 20) for line in lines[2:-3])
    assert lines[-4].endswith(" word  (Code 6.3)") and lines[-3] == ""
    assert lines[-2:] == ["Test Homes: not compliant - 1 error, 0 warnings, 0 info in", "  1 file (as of 2025-07-31)"]


def test_a_word_longer_than_the_line_is_cut_and_nothing_is_lost() -> None:
    word = "x" * 100
    f = Finding("yaml", "error", "C-2025-0001", f"bad value {word} here", "cases/C-2025-0001.yaml", 3, 1)
    lines = text_lines(_run([f]), width=60)
    assert all(len(line) <= 60 for line in lines)
    assert lines[1] == "      3:1  error    C-2025-0001: bad value"
    assert word in "".join(line.strip() for line in lines[2:5])
    assert all(line.startswith(" " * 20) for line in lines[2:5])


def test_wide_characters_are_measured_in_columns() -> None:
    name = "団地" * 30  # 60 characters, 120 columns
    f = Finding("yaml", "error", "C-2025-0001", f"the name {name} is not known here ok", "cases/C-2025-0001.yaml", 3, 1)
    lines = text_lines(_run([f]), width=60)
    assert all(cell_len(line) <= 60 for line in lines)
    assert name in "".join(line.strip() for line in lines[2:6])


def test_tables_into_a_real_pipe_are_as_wide_with_force_color() -> None:
    """``FORCE_COLOR=1 hcode case list | less -R``: colour, but the table is as wide as without
    FORCE_COLOR (160 columns to a pipe), not squeezed to a terminal's 80."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "TTY_COMPATIBLE")}
    args = [sys.executable, "-m", "hcode", "case", "list", "--workspace", str(EXAMPLE), "--as-of", "2025-07-31"]
    plain = subprocess.run(args, capture_output=True, env=env, timeout=120).stdout.decode("utf-8")
    coloured = subprocess.run(
        args, capture_output=True, env={**env, "FORCE_COLOR": "1", "TERM": "xterm-256color"}, timeout=120
    ).stdout.decode("utf-8")
    assert ESC in coloured and ESC not in plain
    assert ANSI.sub("", coloured) == plain
    assert max(len(line) for line in plain.splitlines()) > 80


# The table writer (render.terminal.table_lines): what due and case list print, at any size.

_COLS = [
    Col("Case", whole=True),
    Col("Category", drop=2, wrap_min=8),
    Col("Stage", drop=1, justify="right"),
    Col("Status", whole=True),
]


def test_a_table_is_aligned_and_never_shortens_a_whole_column() -> None:
    from hcode.render.terminal import table_lines

    rows = [["C-2024-0001", "repairs", "1", "overdue"], ["C-2024-0002", "damp and mould in the loft", "12", "met"]]
    lines = table_lines(_COLS, rows, 120, title="T")
    assert lines[0] == "T" and lines[1].split() == ["Case", "Category", "Stage", "Status"]
    assert lines[2] == "─" * len(lines[3])
    assert lines[3] == "C-2024-0001   repairs                          1   overdue"
    assert lines[4] == "C-2024-0002   damp and mould in the loft      12   met"
    # narrower: the wrapping column wraps at spaces before anything is dropped
    narrow = table_lines(_COLS, rows, 47)
    assert max(len(line) for line in narrow) <= 47
    assert narrow[3].split() == ["C-2024-0002", "damp", "and", "mould", "12", "met"]
    assert narrow[4].strip() == "in the loft" and narrow[4].index("in") == narrow[3].index("damp")
    assert "Stage" in narrow[0]
    # narrower still: columns dropped in their order, ids and statuses never shortened
    tight = table_lines(_COLS, rows, 30)
    assert tight[0].split() == ["Case", "Status"] and tight[3].split() == ["C-2024-0002", "met"]


def test_a_table_escapes_control_characters_and_measures_wide_ones() -> None:
    from hcode.render.terminal import table_lines

    rows = [["C-1", "\x1b[31mred\u202e", "1", "met"], ["C-2", "修理", "2", "open"]]
    lines = table_lines(_COLS, rows, 120)
    text = "\n".join(lines)
    assert ESC not in text and "\\x1b[31mred\\u202e" in text
    # the wide characters take two columns each: the Stage column stays aligned
    assert cell_len(lines[2][: lines[2].index(" 1 ")]) == cell_len(lines[3][: lines[3].index(" 2 ")])


def test_a_coloured_table_is_the_plain_one_with_styles() -> None:
    from hcode.render.terminal import table_lines

    rows = [["C-1", "repairs", "1", "overdue"], ["C-2", "a very long category to wrap", "2", "met"]]
    styles = [{3: "bold red"}, {3: "green"}]
    for width in (120, 30, 34):
        plain = table_lines(_COLS, rows, width, styles=styles)
        coloured = table_lines(_COLS, rows, width, styles=styles, colour=True)
        assert [ANSI.sub("", line) for line in coloured] == plain
        assert "\x1b[1;31moverdue\x1b[0m" in "\n".join(coloured)


def test_a_long_listing_on_a_terminal_goes_through_the_pager(tmp_path: Path) -> None:
    """As git does: longer than the screen (50 rows here) -> $PAGER, with the colours of a
    terminal; shorter, or PAGER=cat, or into a pipe -> printed as it is."""
    seen = tmp_path / "paged.txt"
    pager = f"sh -c 'cat > {seen}; echo PAGED'"
    listing = ["case", "list", "-w", str(EXAMPLE), "--as-of", "2025-07-31"]  # 51 cases
    screen = in_a_terminal(listing, 120, PAGER=pager)
    assert screen.strip() == "PAGED"
    paged_text = seen.read_text()
    assert ESC in paged_text and "C-2025-0009" in ANSI.sub("", paged_text)
    seen.unlink()
    short = in_a_terminal(["due", str(EXAMPLE), "--as-of", "2025-07-31", "--within", "0"], 120, PAGER=pager)
    assert "C-2025-0006" in short and not seen.exists()
    direct = in_a_terminal(listing, 120, PAGER="cat")  # no pager: cut to the screen
    assert "C-2025-0009" not in direct and "more; use --limit 0" in direct and not seen.exists()
    assert "C-2025-0009" in in_a_terminal([*listing, "--limit", "0"], 120, PAGER="cat") and not seen.exists()
    assert "C-2025-0009" in run(*listing, env={"PAGER": pager}).stdout and not seen.exists()


LISTING = ["case", "list", "-w", str(EXAMPLE), "--as-of", "2025-07-31"]


@pytest.mark.parametrize("width", [60, 80, 120])
def test_a_long_listing_with_no_pager_is_cut_to_the_screen_and_says_how_many_more(width: int) -> None:
    """A terminal 24 lines high, PAGER=cat: the title, the header and the rows that fit (rows
    that wrap counted), then how many more and how to see them; the first rows of the listing."""
    every = [r["case"] for r in run(*LISTING, "--format", "json").json()["cases"]]
    screen = ANSI.sub("", in_a_terminal(LISTING, width, height=24, PAGER="cat"))
    lines = screen.rstrip("\n").splitlines()
    assert len(lines) <= 23  # and the shell's prompt
    assert max(cell_len(line) for line in lines) <= width
    assert lines[0] == f"Riverside Vale Homes: {len(every)} cases"
    shown = [line.split()[0] for line in lines[3:-1] if line[:1] in ("C", "S", "H")]
    assert shown == every[: len(shown)] and len(shown) >= 8
    assert lines[-1] == f"… {len(every) - len(shown)} more; use --limit 0 or --format json to see them all"


def test_no_pager_and_limit(tmp_path: Path) -> None:
    seen = tmp_path / "paged.txt"
    pager = f"sh -c 'cat > {seen}; echo PAGED'"
    every = [r["case"] for r in run(*LISTING, "--format", "json").json()["cases"]]
    # --no-pager: the pager is not used, and the listing is cut to the screen
    screen = ANSI.sub("", in_a_terminal([*LISTING, "--no-pager"], 120, height=30, PAGER=pager))
    assert not seen.exists() and "PAGED" not in screen
    assert screen.rstrip().splitlines()[-1].endswith("more; use --limit 0 or --format json to see them all")
    # --limit N on a terminal with a pager: N rows, then the count (short: not paged)
    limited = ANSI.sub("", in_a_terminal([*LISTING, "--limit", "3"], 120, PAGER=pager)).splitlines()
    assert [line.split()[0] for line in limited[3:6]] == every[:3] and not seen.exists()
    assert limited[6] == f"… {len(every) - 3} more; use --limit 0 or --format json to see them all"
    # into a pipe: everything, unless --limit says otherwise
    piped = run(*LISTING).stdout
    assert all(case in piped for case in every) and "more;" not in piped
    five = run(*LISTING, "--limit", "5").stdout.splitlines()
    assert len(five) == 3 + 5 + 1 and five[-1].startswith(f"… {len(every) - 5} more;")
    # JSON: every row, unless --limit; then how many more
    doc = run(*LISTING, "--format", "json", "--limit", "5").json()
    assert [r["case"] for r in doc["cases"]] == every[:5] and doc["more"] == len(every) - 5
    assert "more" not in run(*LISTING, "--format", "json", "--limit", "0").json()
    due = ["due", str(EXAMPLE), "--as-of", "2025-07-31", "--all"]
    rows = run(*due, "--format", "json").json()["milestones"]
    cut = run(*due, "--format", "json", "--limit", "2").json()
    assert cut["milestones"] == rows[:2] and cut["more"] == len(rows) - 2
    text = run(*due, "--limit", "2").stdout.splitlines()
    assert text[-1] == f"… {len(rows) - 2} more; use --limit 0 or --format json to see them all"
    # the year's duties (a few rows, never cut) come first; then the title, header, rule and 2 rows
    start = next(i for i, line in enumerate(text) if line.endswith(": due as of 2025-07-31"))
    assert text[0].endswith("the year's duties as of 2025-07-31") and len(text) - start == 3 + 2 + 1
    assert text[start - 1] == "" and text[start - 2].strip()  # one blank line between the two tables
    assert "Working days left" in text[1] and "Working days left" in text[start + 1]  # the unit said
    assert run(*due, "--limit", "-1").exit_code == 2


def test_text_that_is_printable_needs_no_escape() -> None:
    """visible() returns printable text as it is, and has_controls() finds nothing in it (their
    fast paths): that holds because every character they look for is one str.isprintable()
    refuses."""
    from hcode.core import text

    for pattern in (text._CONTROL, text._CONTROL_OR_BREAK, text._CONTROL_BUT_CR):
        for cp in range(0x30000):
            if pattern.match(chr(cp)):
                assert not chr(cp).isprintable(), hex(cp)
    assert text.visible("a\u202eb") == "a\\u202eb" and text.visible("plain text") == "plain text"
    assert text.has_controls("a\u202eb") and text.has_controls("a\x1bb") and not text.has_controls("a\tb\nc")


def test_progress_bars_only_on_a_terminal_and_only_past_about_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from hcode.cli import ProgressBar

    clock = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    piped = ProgressBar()  # the tests' standard error is not a terminal (nor with FORCE_COLOR)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert not ProgressBar().shown and not piped.shown
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    bar = ProgressBar()
    assert bar.shown
    bar(100, 1000)
    clock[0] += 0.5
    bar(100, 1000)
    assert bar.bar is None  # half a second in: nothing shown
    clock[0] += 0.6
    bar(100, 1000)
    assert bar.bar is not None and bar.done == 300  # past a second: shown, counting what was done
    bar(700, 1000)
    assert bar.bar is None  # finished: gone (transient)
    quick = ProgressBar()
    quick(1000, 1000)
    assert quick.bar is None  # done within a second: never shown


# The writer against Rich: where the table fits (nothing dropped), what it writes is what a Rich
# table of the same columns shows (Rich's table is the independent measure of widths, wide
# characters, wrapping and alignment), less the spaces Rich leaves at a line's end.

_TRICKY_ASCII = [  # one line a row, formatted in C
    ["C-1", "[bold]repairs[/bold] and more", "1", "overdue"],
    ["C-2", "", "", "met"],
    ["C-3", "[red]x", "12", ""],
    ["C-4", "a:b", "3", "open"],
]
_TRICKY_WIDE = [  # measured a cell at a time, long text wrapped
    ["C-1", "修理と設備", "1", "overdue"],
    ["C-2", "[bold]x[/bold]", "", "met"],
    ["C-3", "", "12", ""],
    ["C-4", "café e\u0301", "3", "open"],
    ["C-5", "a long category that wraps over lines", "2", "due-soon"],
]


def _rich_lines(rows: list[list[str]], width: int) -> list[str]:
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), title="T")
    table.title_justify, table.title_style, table.header_style = "left", "", ""
    for c in _COLS:
        table.add_column(c.header, justify="right" if c.justify == "right" else "left", no_wrap=not c.wrap_min)
    for r in rows:
        table.add_row(*(Text(cell) for cell in r))  # as written: never read as markup
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None).print(table)
    return [line.rstrip() for line in buffer.getvalue().splitlines()]


@pytest.mark.parametrize(
    ("rows", "width"), [(_TRICKY_ASCII, 120), (_TRICKY_ASCII, 46), (_TRICKY_WIDE, 120), (_TRICKY_WIDE, 40)]
)
def test_the_writer_lays_out_tricky_cells_as_a_rich_table_does(rows: list[list[str]], width: int) -> None:
    from hcode.render.terminal import table_lines

    assert not dropped(_COLS, rows, width)  # Rich shortens where the writer drops: compared where it fits
    lines = table_lines(_COLS, rows, width, title="T")
    assert lines == _rich_lines(rows, width)
    if width < 100:
        assert len(lines) > 3 + len(rows)  # the long category wrapped


def test_column_lines_is_table_lines_a_column_at_a_time_and_styles_each_column() -> None:
    from hcode.render.terminal import column_lines, table_lines

    for rows in (_TRICKY_ASCII, _TRICKY_WIDE):
        columns = [list(c) for c in zip(*rows, strict=True)]
        styles = [{3: "bold red", 0: "green"} for _ in rows]
        for width in (120, 40, 30):
            by_row = table_lines(_COLS, rows, width, styles=styles, colour=True)
            by_column = column_lines(
                _COLS, columns, width, styles={3: ["bold red"] * len(rows), 0: ["green"] * len(rows)}, colour=True
            )
            assert by_row == by_column
            plain = column_lines(_COLS, columns, width)
            assert [ANSI.sub("", line) for line in by_column] == plain
    # two styled columns on a line formatted in C: each painted where it stands
    one = column_lines(_COLS, [["C-1"], ["x"], ["1"], ["met"]], 120, styles={0: ["green"], 3: ["red"]}, colour=True)
    assert one[-1] == "\x1b[32mC-1\x1b[0m    x              1   \x1b[31mmet\x1b[0m"
    assert column_lines(_COLS, [[], [], [], []], 120) == ["Case   Category   Stage   Status", "─" * 32]


@pytest.mark.parametrize("width", [60, 80, 120])
def test_due_draws_its_two_tables_with_rules_of_one_length(width: int) -> None:
    """The year's duties and what is due, one under the other: their rules end at the same
    column (the wider table's), in a real terminal and in a pipe, the rows as they were."""
    args = ["due", str(EXAMPLE), "--as-of", "2025-07-31", "--all", "--limit", "0"]
    for text in (ANSI.sub("", in_a_terminal(args, width, height=400)), run(*args, env={"COLUMNS": str(width)}).stdout):
        lines = text.splitlines()
        rules = [i for i, line in enumerate(lines) if line and not line.strip("─")]
        assert len(rules) == 2
        first, second = (len(lines[i]) for i in rules)
        assert first == second <= width
        tables = [lines[rules[0] - 1 : lines.index("")], lines[rules[1] - 1 :]]
        widest = [max(len(line) for line in table if line.strip("─")) for table in tables]  # rules aside
        assert first == max(widest)  # the wider table's width
        if width == 80:  # what is due is narrower than the duties here: its rule was shorter (73 to 80)
            assert widest[1] < widest[0]


def test_check_pages_as_due_does_and_no_pager_prints_as_it_is(tmp_path: Path) -> None:
    """check's text goes through the pager on a terminal when longer than the screen; --no-pager
    (as for due and case list) prints every finding straight to the terminal."""
    seen = tmp_path / "paged.txt"
    pager = f"sh -c 'cat > {seen}; echo PAGED'"
    assert in_a_terminal(CHECK, 120, height=24, PAGER=pager).strip() == "PAGED"
    paged_text = ANSI.sub("", seen.read_text())
    seen.unlink()
    direct = ANSI.sub("", in_a_terminal([*CHECK, "--no-pager"], 120, height=24, PAGER=pager))
    assert not seen.exists() and "PAGED" not in direct
    assert direct == paged_text and len(direct.splitlines()) > 24  # every finding, longer than the screen
    assert run(*CHECK, "--no-pager").stdout == run(*CHECK).stdout  # into a pipe: never paged anyway
    assert "--no-pager" in run("check", "--help", env={"COLUMNS": "200"}).stdout
