"""Attacks and accidents on copies of the example workspace: one test per finding, each named
after what it shows. docs/security.md names these tests for each guarantee."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import hcode.edit.fmt
from conftest import ROOT, Result, copy_example, lock_held, make_ws, run

CASE = """\
id: C-2024-0001
kind: complaint
received: 2024-05-03
category: repairs
"""
MESSY = "kind: complaint\nid: C-2024-0001\nreceived: 2024-05-03\ncategory: repairs\n"
HCODE = [sys.executable, "-m", "hcode"]


def run_hcode(*args: str | Path, cwd: Path | None = None, **kw: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*HCODE, *map(str, args)], cwd=cwd, capture_output=True, timeout=60, **kw)  # type: ignore[call-overload, no-any-return]


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


# -- 2: every writer takes the same lock and compares before writing ------------------------------


def test_fmt_does_not_overwrite_a_step_written_meanwhile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = make_ws(tmp_path, {"cases/2024/C-2024-0001.yaml": MESSY})
    path = ws / "cases/2024/C-2024-0001.yaml"
    real = hcode.edit.fmt.format_text

    def step_lands_meanwhile(text: str, name: str) -> str:
        formatted = real(text, name)
        if name != "case":
            return formatted
        # a case step writes between fmt's read and fmt's write
        result = run(
            "case", "ack", "C-2024-0001", "--date", "2024-05-07", "--definition", "Leak", "--handler", "H", "-w", ws
        )
        assert result.exit_code == 0, result.stderr
        return formatted

    monkeypatch.setattr(hcode.edit.fmt, "format_text", step_lands_meanwhile)
    result = run("fmt", "--workspace", ws)
    assert result.exit_code == 3
    assert "changed on disk since it was read" in result.stderr
    assert "acknowledged: 2024-05-07" in path.read_text()  # the step survives


def test_fmt_waits_for_the_lock(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/2024/C-2024-0001.yaml": MESSY})
    with lock_held(ws / "cases/2024/C-2024-0001.yaml"):
        result = run("fmt", "--workspace", ws)
    assert result.exit_code == 3 and "being changed by another hcode command" in result.stderr
    assert (ws / "cases/2024/C-2024-0001.yaml").read_text() == MESSY
    assert run("fmt", "--workspace", ws).exit_code == 0  # released: fmt goes ahead


# -- 8: stale locks are recovered ----------------------------------------------------------------


def test_a_lock_file_left_behind_does_not_block(tmp_path: Path) -> None:
    """The lock is the operating system's, on the file: a file nobody holds is no lock, whatever
    it says (a process id, another machine's name) and however young it is."""
    ws = make_ws(tmp_path, {"cases/2024/C-2024-0001.yaml": CASE})
    lock = ws / "cases/2024/.C-2024-0001.yaml.lock"
    lock.write_text(f"{os.getpid()} another-machine\n")
    result = run("case", "ack", "C-2024-0001", "--date", "2024-05-07", "--definition", "x", "--handler", "H", "-w", ws)
    assert result.exit_code == 0, result.stderr
    assert not lock.exists()


def test_a_lock_held_by_another_process_blocks_until_that_process_ends(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/2024/C-2024-0001.yaml": CASE})
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            "fd = os.open(sys.argv[1], os.O_CREAT | os.O_RDWR)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "time.sleep(60)\n",
            str(ws / "cases/2024/.C-2024-0001.yaml.lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        args = ("case", "ack", "C-2024-0001", "--date", "2024-05-07", "--definition", "x", "--handler", "H", "-w", ws)
        result = run(*args)
        assert result.exit_code == 3 and "being changed by another hcode command" in result.stderr
        holder.kill()  # killed: the operating system releases its lock
        holder.wait(timeout=60)
        result = run(*args)
        assert result.exit_code == 0, result.stderr
    finally:
        holder.kill()
        holder.wait(timeout=60)


def test_stale_lock_on_the_next_id_does_not_block_case_new(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/2024/C-2024-0001.yaml": CASE})
    (ws / "cases/2024/.C-2024-0002.yaml.lock").write_text(f"{dead_pid()} {os.uname().nodename}\n")
    result = run("case", "new", "--received", "2024-06-03", "--category", "repairs", "-w", ws)
    assert result.exit_code == 0, result.stderr
    assert (ws / "cases/2024/C-2024-0002.yaml").exists()


def test_killed_step_leaves_a_lock_the_next_step_recovers(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/2024/C-2024-0001.yaml": CASE})
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "import hcode.edit.fileio as f\n"
        "real = os.replace\n"
        "def die(src, dst):\n"
        "    if str(dst).endswith('C-2024-0001.yaml'):\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    real(src, dst)\n"
        "f.os.replace = die\n"
        "from hcode.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    args = ["case", "ack", "C-2024-0001", "--date", "2024-05-07", "--definition", "x", "--handler", "H", "-w", str(ws)]
    killed = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, timeout=60)
    assert killed.returncode == -9
    assert (ws / "cases/2024/.C-2024-0001.yaml.lock").exists()
    assert run_hcode(*args).returncode == 0


# -- 9 and 19: -o writes like shell redirection; no folders created -------------------------------


def test_output_writes_through_a_symlink_and_a_fifo(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    result = run("report", "assessment", ws, "--year", "2024-25", "-o", link)
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and real.read_text().startswith("#")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    done = run_hcode("report", "assessment", ws, "--year", "2024-25", "-o", fifo)
    got = reader.communicate(timeout=30)[0]
    assert done.returncode == 0, done.stderr
    assert fifo.exists() and not fifo.is_file() and got.startswith(b"#")


def test_output_to_a_missing_folder_or_a_folder_is_an_error(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    result = run("check", ws, "--as-of", "2025-07-31", "-o", tmp_path / "nowhere/deeper/x.txt")
    assert result.exit_code == 3 and "does not exist" in result.stderr
    assert not (tmp_path / "nowhere").exists()
    result = run("report", "assessment", ws, "--year", "2024-25", "-o", tmp_path / "nowhere/annual.md")
    assert result.exit_code == 3 and not (tmp_path / "nowhere").exists()
    commands: list[list[str | Path]] = [
        ["check", ws, "--as-of", "2025-07-31"],
        ["baseline", ws, "--as-of", "2025-07-31"],
    ]
    for command in commands:
        result = run(*command, "-o", tmp_path)
        assert result.exit_code == 3 and "is a folder" in result.stderr


# -- 11: temporary files are removed by the next run and git-ignored ------------------------------


def test_temp_files_of_a_killed_run_are_cleaned_and_ignored(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/2024/C-2024-0001.yaml": MESSY})
    left = ws / f"cases/2024/.hcode-tmp-{dead_pid()}-abcd1234"
    left.write_text(CASE)
    mine = ws / f"cases/2024/.hcode-tmp-{os.getpid()}-live0000"  # a running command's: kept
    mine.write_text(CASE)
    assert run("fmt", "--workspace", ws).exit_code == 0
    assert not left.exists() and mine.exists()
    assert run("init", tmp_path / "new").exit_code == 0
    assert ".hcode-tmp-*" in (tmp_path / "new/.gitignore").read_text().splitlines()


# -- 13: disk full, read-only, closed standard output ----------------------------------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_stdout_on_dev_full_exits_3(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [*HCODE, "check", str(ws), "--as-of", "2025-07-31"], stdout=full, stderr=subprocess.PIPE, timeout=60
        )
    assert done.returncode == 3 and b"No space left" in done.stderr and b"bug" not in done.stderr


def test_closed_stdout_does_not_exit_0(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    done = subprocess.run(
        [*HCODE, "check", str(ws), "--as-of", "2025-07-31"],
        stdout=None,
        stderr=subprocess.PIPE,
        timeout=60,
        preexec_fn=lambda: os.close(1),
    )
    assert done.returncode == 3 and b"standard output is closed" in done.stderr


def test_disk_full_or_read_only_when_writing_exits_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from hcode.cli import main

    ws = make_ws(tmp_path, {"cases/2024/C-2024-0001.yaml": MESSY})

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", "cases/2024/C-2024-0001.yaml")

    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fd: int, mode: str) -> None:
            self.handle = real_fdopen(fd, mode)

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *a: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", Full)
    with pytest.raises(SystemExit) as exit_:
        main(["fmt", "--workspace", str(ws)])
    assert exit_.value.code == 3
    assert (ws / "cases/2024/C-2024-0001.yaml").read_text() == MESSY
    monkeypatch.undo()
    if os.geteuid() != 0:  # root may write anywhere
        os.chmod(ws / "cases/2024", 0o555)
        try:
            done = run_hcode("fmt", "--workspace", ws)
            assert done.returncode == 3 and b"bug" not in done.stderr, done.stderr
        finally:
            os.chmod(ws / "cases/2024", 0o755)


# -- 20: exit codes ------------------------------------------------------------------------------


def test_lock_refusal_exits_3(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/2024/C-2024-0001.yaml": CASE})
    with lock_held(ws / "cases/2024/C-2024-0001.yaml"):
        result = run(
            "case", "ack", "C-2024-0001", "--date", "2024-05-07", "--definition", "x", "--handler", "H", "-w", ws
        )
    assert result.exit_code == 3


def test_id_refused_when_windows_reserved_or_too_long(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/2024/C-2024-0001.yaml": CASE})
    for bad in ("con", "CON.x", "lpt1", "a" * 250, "x."):
        result = run("case", "new", "--received", "2024-06-03", "--category", "repairs", "--id", bad, "-w", ws)
        assert result.exit_code == 2, (bad, result.stderr)
    assert sorted(p.name for p in (ws / "cases/2024").iterdir()) == ["C-2024-0001.yaml"]


# -- 6, 18, 20: hcode diff -----------------------------------------------------------------------


def git(cwd: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "HOME": str(cwd),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env=env)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    ws = copy_example(tmp_path / "repo")
    git(ws, "init", "-q", "-b", "main")
    git(ws, "add", "-A")
    git(ws, "commit", "-q", "-m", "start")
    return ws


def test_diff_sees_changes_in_folders_git_quotes(repo: Path) -> None:
    folder = repo / "cases/año"
    folder.mkdir()
    (repo / "cases/2023/C-2023-0001.yaml").rename(folder / "C-2023-0001.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "move")
    path = folder / "C-2023-0001.yaml"
    path.write_text(path.read_text().replace("responded: 2023-05-24", "responded: 2023-05-19"))
    result = run("diff", "HEAD", "--workspace", repo, "--format", "json")
    assert result.exit_code == 0, result.stderr
    messages = [(c["file"], c["severity"], c["message"]) for c in result.json()["changes"]]
    assert any(f == "cases/año/C-2023-0001.yaml" and s == "alert" and "responded" in m for f, s, m in messages), (
        messages
    )


def test_diff_markdown_table_survives_backtick_and_pipe_in_file_names(repo: Path) -> None:
    for name in ("C-`x`.yaml", "C-a|b.yaml"):
        (repo / "cases/2024" / name).write_text(CASE.replace("C-2024-0001", name[:-5]))
    result = run("diff", "HEAD", "--workspace", repo, "--format", "md")
    assert result.exit_code == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| cases")]
    assert len(rows) == 2, result.stdout
    for row in rows:  # three cells: every | inside a cell is escaped
        assert len(re.findall(r"(?<!\\)\|", row)) == 4, row
    assert "`" not in "".join(rows).replace("\\`", "")


def test_diff_header_shows_the_whole_revision(repo: Path) -> None:
    (repo / "cases/2024/C-2024-0001.yaml").unlink()
    git(repo, "commit", "-q", "-am", "drop")
    for fmt in ("text", "md"):
        out = run("diff", "HEAD~1^{commit}", "--workspace", repo, "--format", fmt).stdout
        assert "HEAD~1^{commit}" in out.replace("\\", ""), out


# -- 17: 40 characters of a value at most in messages ---------------------------------------------


def test_action_overdue_message_shows_at_most_40_characters(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    path = ws / "assessments/2024-25.yaml"
    text = path.read_text()
    secret = "SECRET-" + "x" * 80
    text, replaced = re.subn(r"(?m)^(\s+- action: ).*$", lambda m: m.group(1) + secret, text)
    assert replaced >= 2
    path.write_text(text)
    found = run("check", ws, "--as-of", "2027-07-31", "--format", "json").json()["findings"]
    assert [f for f in found if f["rule"] == "assessment.action-overdue" and "SECRET-" in f["message"]]
    for fmt in ("text", "json", "sarif", "junit", "github"):
        result = run("check", ws, "--as-of", "2027-07-31", "--format", fmt)
        assert "SECRET-" in result.stdout, fmt  # the overdue action's message is in every format
        assert secret not in result.stdout and "SECRET-" + "x" * 30 in result.stdout, fmt


# -- 20: exit codes match the docs ----------------------------------------------------------------


def test_unreadable_case_file_exit_code_matches_docs(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    (ws / "cases/2024/C-2024-0001.yaml").write_bytes(b"\xff\xfe not utf-8")
    result = run("check", ws, "--as-of", "2025-07-31", "--format", "json")
    found = [f for f in result.json()["findings"] if f["file"] == "cases/2024/C-2024-0001.yaml"]
    assert result.exit_code == 1 and found and found[0]["severity"] == "error"
    ci = (ROOT / "docs/ci.md").read_text()
    row3 = next(line for line in ci.splitlines() if line.startswith("| 3 |"))
    assert "file unreadable" not in row3 and "`file.unreadable`, an error: exit 1" in ci


# -- 3: categories from a declared list; personal data refused at write time ----------------------

PERSONAL = "Mrs Jones (jones@example.com, 07700 900123, SW1A 1AA)"


def test_category_must_come_from_the_declared_list(tmp_path: Path) -> None:
    from hcode.core.categories import display_name

    ws = copy_example(tmp_path / "ws")
    path = ws / "cases/2024/C-2024-0001.yaml"
    path.write_text(re.sub(r"(?m)^category: .*$", f"category: {PERSONAL}", path.read_text()))
    doc = run("check", ws, "--as-of", "2025-07-31", "--format", "json").json()
    found = [f for f in doc["findings"] if f["file"] == "cases/2024/C-2024-0001.yaml"]
    assert ("case.category", "error") in {(f["rule"], f["severity"]) for f in found}
    assert "privacy.personal-data" in {f["rule"] for f in found}
    assert "Jones" not in json.dumps(doc)  # never repeated in a message
    result = run("case", "new", "--received", "2024-06-03", "--category", "Mrs Jones", "-w", ws)
    assert result.exit_code == 5 and "not one of the categories" in result.stderr
    # a declared list replaces the default one
    config = ws / "hcode.yaml"
    config.write_text(config.read_text() + "categories:\n  repairs: Repairs and maintenance\n  noise: Noise\n")
    doc = run("check", ws, "--as-of", "2025-07-31", "--format", "json").json()
    bad = {f["file"] for f in doc["findings"] if f["rule"] == "case.category"}
    assert "cases/2024/C-2024-0001.yaml" in bad and any("damp" in (ws / f).read_text() for f in bad)
    assert display_name("damp-and-mould") == "Damp and mould"
    assert display_name("repairs", {"repairs": "Repairs and maintenance"}) == "Repairs and maintenance"


def test_personal_data_rule_catches_lower_case_postcodes_brackets_and_localhost() -> None:
    from hcode.core.rules.privacy import personal_data

    assert personal_data("write to sw1a 1aa") == "a postcode"
    assert personal_data("call (020) 7946 0958") == "a phone number"
    assert personal_data("mail user@localhost") == "an email address"
    assert personal_data("Leak not repaired after 2 visits in 2024; 10 working days") is None


@pytest.mark.parametrize(
    "written",
    [
        "write to SW\uff11A \uff11AA",  # a postcode in full-width digits
        "call \u0660\u0667\u0667\u0660\u0660 \u0669\u0660\u0660\u0661\u0662\u0663",  # Arabic-Indic digits
        "call 07700\u200b900123",  # an invisible character inside a phone number
        "mail user\uff20example.org",  # a full-width at sign
        "at SW1\u0410 1\u0410\u0410",  # Cyrillic capital A in a postcode
    ],
)
def test_personal_data_is_found_however_its_characters_are_written(tmp_path: Path, written: str) -> None:
    """Personal data is looked for in text as a person reads it: check flags it in a case file,
    and the published outputs refuse it."""
    ws = copy_example(tmp_path / "ws")
    path = ws / "cases/2024/C-2024-0001.yaml"
    text = path.read_text()
    path.write_text(re.sub(r"(?m)^(  definition: ).*$", lambda m: f"{m.group(1)}{json.dumps(written)}", text, count=1))
    assert path.read_text() != text
    doc = run("check", ws, "--as-of", "2025-07-31", "--format", "json").json()
    found = {f["rule"] for f in doc["findings"] if f["file"] == "cases/2024/C-2024-0001.yaml"}
    assert "privacy.personal-data" in found
    from hcode.render.gate import PrivacyRefused, gate

    with pytest.raises(PrivacyRefused):
        gate({"learning": [written]})


def test_case_steps_refuse_personal_data_unless_allowed(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/2024/C-2024-0001.yaml": CASE})
    path = ws / "cases/2024/C-2024-0001.yaml"
    args: list[str | Path] = ["case", "ack", "C-2024-0001", "--date", "2024-05-07", "--handler", "H-1", "-w", ws]
    result = run(*args, "--definition", f"{PERSONAL} wants the leak fixed")
    assert result.exit_code == 5 and "personal data" in result.stderr and "--allow-personal-data" in result.stderr
    assert path.read_text() == CASE
    result = run(*args, "--definition", f"{PERSONAL} wants the leak fixed", "--allow-personal-data")
    assert result.exit_code == 0 and "warning" in result.stderr


# -- 7 and 16: control characters and workflow commands never reach an output raw -----------------

HOSTILE = "Evil\x1b[2J\u202eHomes\n::error file=x::pwned"


def test_workflow_commands_and_control_characters_are_neutralised_in_text_output(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    config = ws / "hcode.yaml"
    config.write_text(
        re.sub(
            r"(?m)^landlord: .*$",
            lambda m: 'landlord: "Evil\\e[2J\\u202eHomes\\n::error file=x::pwned"',
            config.read_text(),
        )
    )
    bad = ws / "cases/2024/x\n::warning::injected.yaml"
    bad.write_text("id: [\n")
    for fmt in ("text", "json", "junit", "sarif", "github"):
        out = run("check", ws, "--as-of", "2025-07-31", "--format", fmt).stdout
        assert not re.search(r"(?m)^\s*::(error|warning)", out) or fmt == "github", (fmt, out[:300])
        assert "\x1b" not in out and "\u202e" not in out, fmt
        if fmt == "github":
            assert all(re.match(r"::(error|warning|notice) ", line) for line in out.splitlines()), out
    commands: list[list[str | Path]] = [
        ["due", ws],
        ["case", "list", "-w", ws],
        ["report", "annual", ws, "--year", "2024-25"],
    ]
    for command in commands:
        out = run(*command).stdout
        assert "\x1b" not in out and "\u202e" not in out and not re.search(r"(?m)^\s*::", out), command


def test_bidi_and_control_characters_are_escaped_in_every_output_and_warned(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    path = ws / "cases/2024/C-2024-0001.yaml"
    text = path.read_text()
    path.write_text(text + 'learning: "Fix \\u202eit\\e[31m now"\nx-note: "a\\u2066b"\n')
    config = ws / "hcode.yaml"
    config.write_text(re.sub(r"(?m)^landlord: (.*)$", lambda m: f'landlord: "\\u202e{m.group(1)}"', config.read_text()))
    doc = run("check", ws, "--as-of", "2025-07-31", "--format", "json")
    assert "text.control-characters" in {f["rule"] for f in doc.json()["findings"]}
    outputs = [run("report", "annual", ws, "--year", "2024-25", "-f", fmt).stdout for fmt in ("md", "html", "json")] + [
        run("export", ws, "-f", fmt).stdout for fmt in ("csv", "jsonl")
    ]
    for out in outputs:
        assert "\u202e" not in out and "\x1b" not in out and "\u2066" not in out
    assert any("\\u202e" in out for out in outputs)  # shown, not lost
    target = tmp_path / "annual.xlsx"
    assert run("report", "annual", ws, "--year", "2024-25", "-f", "xlsx", "-o", target).exit_code == 0


# -- 12: extreme values get a clear error or an answer within a second -------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["workdays", "add", "9999-12-30", "5"],
        ["workdays", "add", "2024-01-01", "100000000"],
        ["workdays", "explain", "2024-01-01", "100000000"],
        ["check", "{ws}", "--as-of", "0001-01-01"],
        ["check", "{ws}", "--as-of", "9999-12-31"],
        ["due", "{ws}", "--as-of", "9999-12-31"],
        ["report", "annual", "{ws}", "--year", "9999-00"],
        ["report", "annual", "{ws}", "--year", "0000-01"],
        ["case", "new", "--received", "2024-06-03", "--category", "repairs", "--id", "a" * 260, "-w", "{ws}"],
    ],
)
def test_extreme_arguments_are_usage_errors(tmp_path: Path, args: list[str]) -> None:
    ws = copy_example(tmp_path / "ws")
    started = time.monotonic()
    result = run(*[a.replace("{ws}", str(ws)) for a in args])
    assert result.exit_code == 2, result.stderr
    assert time.monotonic() - started < 5


def test_extreme_values_in_files_get_clear_errors(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    case = ws / "cases/2024/C-2024-0001.yaml"
    original = case.read_text()
    case.write_text(re.sub(r"(?m)^received: .*$", "received: 9999-12-31", original))
    commands: list[list[str | Path]] = [
        ["check", ws],
        ["due", ws],
        ["report", "annual", ws],
        ["export", ws],
        ["case", "show", "C-2024-0001", "-w", ws],
    ]
    for command in commands:
        result = run(*command)
        assert result.exit_code in (0, 1, 3) and "9999-12-31 is outside the dates" in result.stdout + result.stderr, (
            command
        )
    case.write_text(original + "x-big: " + "9" * 5000 + "\nremedy:\n  compensation: " + "9" * 5000 + "\n")
    commands.insert(4, ["fmt", "-w", ws])
    for command in commands:
        result = run(*command)
        assert result.exit_code in (0, 1, 3), (command, result.stderr)
    case.write_text(original)
    assessment = ws / "assessments/2024-25.yaml"
    assessment.write_text(
        re.sub(r"(?m)^(\s+- action: ).*$", lambda m: m.group(1) + '"Bad\\vchar"', assessment.read_text(), count=1)
    )
    for report in ("assessment", "annual"):
        result = run("report", report, ws, "--year", "2024-25", "-f", "xlsx", "-o", tmp_path / f"{report}.xlsx")
        assert result.exit_code == 0, result.stderr


# -- 4 and 15: workspace templates are regular files inside the workspace, rendered within bounds ---


def _annual(ws: Path) -> Result:
    return run("report", "annual", ws, "--year", "2024-25")


def test_template_symlinks_and_special_files_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("CANARY-TOKEN-123")
    ws = copy_example(tmp_path / "ws")
    templates = ws / "templates"
    templates.mkdir()
    (templates / "annual.md.j2").symlink_to(secret)
    result = _annual(ws)
    assert result.exit_code == 3 and "symbolic link" in result.stderr and "CANARY" not in result.stdout
    (templates / "annual.md.j2").unlink()
    (templates / "annual.md.j2").write_text('{% include "leak.j2" %}')
    (templates / "leak.j2").symlink_to(secret)
    result = _annual(ws)
    assert result.exit_code == 3 and "CANARY" not in result.stdout
    (templates / "leak.j2").unlink()
    os.mkfifo(templates / "leak.j2")
    result = _annual(ws)
    assert result.exit_code == 3 and "not a regular file" in result.stderr
    # a symlinked templates folder
    for p in templates.iterdir():
        p.unlink()
    templates.rmdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "annual.md.j2").write_text("CANARY-TOKEN-123")
    templates.symlink_to(outside)
    result = _annual(ws)
    assert result.exit_code == 3 and "CANARY" not in result.stdout


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}", "longer than"),
        ("{% for a in range(99999) %}{% for b in range(99999) %}x{% endfor %}{% endfor %}", "over"),
        ("{{ range(10**10) | list | length }}", "asks for too much"),
        ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "calls itself"),
        ("{{ 'x' | indent(10**9) }}", "asks for too much"),
        ("{{ 'x' * 10**9 }}", "asks for too much"),
        ("{{ ('x'.encode() * 10**9) | length }}", "asks for too much"),
        ('{{ ["x" * 10**4] * 10**4 }}', "asks for too much"),
        ('{{ (("x" * 10000) | replace("x", "y" * 10000)) | length }}', "asks for too much"),
        ('{{ ("x" * 10000).replace("x", "y" * 10000) | length }}', "asks for too much"),
        ('{{ ("x" * 10000).replace("", "y" * 10000) | length }}', "asks for too much"),
        ('{{ ("x" * 10000).encode().replace("x".encode(), ("y" * 10000).encode()) | length }}', "asks for too much"),
        ('{{ ("x" * 10000) | join("y" * 10000) | length }}', "asks for too much"),
        ('{{ ("x" * 10000).join("y" * 10000) | length }}', "asks for too much"),
        ('{{ ([{"a": "x" * 10**5}] * 2000) | join(",", attribute="a") | length }}', "asks for too much"),
        ('{{ ("x" * 10000).translate({120: "y" * 10000}) | length }}', "asks for too much"),
        ("{{ 'x'.encode().ljust(10**10) }}", "asks for too much"),
        (
            '{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}',
            "asks for too much",
        ),
        (
            '{% macro f(s, n) %}{{ f(s + s, n - 1) if n else s | length }}{% endmacro %}{{ f("x", 40) }}',
            "asks for too much",
        ),
        (
            '{% macro f(s, n) %}{{ f(s + s, n - 1) if n else s | length }}{% endmacro %}{{ f(["x"], 40) }}',
            "asks for too much",
        ),
        (
            '{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = "%s%s" % (ns.s, ns.s) %}{% endfor %}',
            "asks for too much",
        ),
        (
            '{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = "%(a)s%(a)s" % {"a": ns.s} %}{% endfor %}',
            "asks for too much",
        ),
        (
            '{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = "%s%s" | format(ns.s, ns.s) %}{% endfor %}',
            "asks for too much",
        ),
        (
            '{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = "{0}{0}".format(ns.s) %}{% endfor %}',
            "asks for too much",
        ),
        ('{{ "%99999999d" | format(1) }}', "asks for too much"),
        ('{{ "%99999999d" % 1 }}', "asks for too much"),
        ('{{ "%*d" % (99999999, 1) }}', "asks for too much"),
        ('{{ "%.99999999f" % 1 }}', "asks for too much"),
        ('{{ "{:99999999}".format(1) }}', "asks for too much"),
        ('{{ "{:{}}".format(1, 99999999) }}', "asks for too much"),
        ("{{ 'x'.ljust(10**10) }}", "asks for too much"),
        ("{{ 'x'.zfill(10**10) }}", "asks for too much"),
    ],
)
def test_hostile_templates_stop_with_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str, words: str
) -> None:
    """A workspace template renders in a child process the operating system bounds (processor
    time and memory): whatever it builds, and however, it is stopped with a clear error."""
    import hcode.render.report

    monkeypatch.setattr(hcode.render.report, "RENDER_SECONDS", 1.0)
    monkeypatch.setattr(hcode.render.report, "MAX_OUTPUT_CHARS", 1_000_000)
    monkeypatch.setattr(hcode.render.report, "TEMPLATE_MEMORY_BYTES", 64 * 1024 * 1024)
    ws = copy_example(tmp_path / "ws")
    (ws / "templates").mkdir()
    (ws / "templates/annual.md.j2").write_text(template)
    started = time.process_time()
    result = _annual(ws)
    assert result.exit_code == 3, result.stderr
    assert words in result.stderr, result.stderr
    assert "bug in hcode" not in result.stderr
    assert time.process_time() - started < 10  # the work was the child's, and it was stopped


def test_a_template_asking_for_more_memory_than_there_is_is_a_clear_error(tmp_path: Path) -> None:
    """400 TB (more than any address space): refused as the template's fault (exit 3), not as a
    bug in hcode."""
    ws = copy_example(tmp_path / "ws")
    (ws / "templates").mkdir()
    (ws / "templates/annual.md.j2").write_text("{{ ('xx' * 10**7).replace('x', 'xx' * 10**7) }}")
    result = _annual(ws)
    assert result.exit_code == 3, result.stderr
    assert "the template asks for too much" in result.stderr and "bug in hcode" not in result.stderr


def test_the_memory_bound_is_the_operating_systems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same 200 MB text renders within the usual bound and is stopped within a smaller one:
    the bound is on the child process, not on any one operation of the template."""
    import hcode.render.report

    ws = copy_example(tmp_path / "ws")
    (ws / "templates").mkdir()
    (ws / "templates/annual.md.j2").write_text("{{ ('x' * 200 * 1024 * 1024) | length }}\n")
    result = _annual(ws)
    assert result.exit_code == 0 and result.stdout == f"{200 * 1024 * 1024}\n", result.stderr
    monkeypatch.setattr(hcode.render.report, "TEMPLATE_MEMORY_BYTES", 64 * 1024 * 1024)
    result = _annual(ws)
    assert result.exit_code == 3 and "more than 64 MB of memory" in result.stderr, result.stderr


def test_only_the_workspaces_own_templates_render_in_a_child_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hcode.render.bounded

    calls: list[str] = []
    real = hcode.render.bounded.run

    def spy(work: Callable[[], str], **kwargs: Any) -> str:
        calls.append("child")
        return real(work, **kwargs)

    monkeypatch.setattr(hcode.render.bounded, "run", spy)
    ws = copy_example(tmp_path / "ws")
    shipped = _annual(ws)
    assert shipped.exit_code == 0 and calls == []
    (ws / "templates").mkdir()  # even an empty folder: any template may include another
    assert _annual(ws).stdout == shipped.stdout and calls == ["child"]
    (ws / "templates/annual.md.j2").write_text("# {{ landlord }}\n")
    assert _annual(ws).stdout == "# Riverside Vale Homes\n" and calls == ["child", "child"]


def test_ordinary_templates_render_with_every_operator(tmp_path: Path) -> None:
    """Text operators and filters are Jinja's own (the bound is the process's, not a list of
    guarded operators), up to texts of 10,000,000 characters and more."""
    ws = copy_example(tmp_path / "ws")
    (ws / "templates").mkdir()
    (ws / "templates/annual.md.j2").write_text(
        '{{ "a-b" | replace("-", " + ") }}|{{ "a-b-c" | replace("-", "", 1) }}|{{ "a-b".replace("-", "=") }}|'
        '{{ ["a", 1, "c"] | join(", ") }}|{{ [{"n": "p"}, {"n": "q"}] | join("/", attribute="n") }}|'
        '{{ "; ".join(["d", "e"]) }}|{{ "-" * 3 }}|{{ [0] * 2 }}|{{ "ab".translate({97: "A"}) }}|'
        '{{ ("x" * 10**7) | length }}|{{ ("xy" * 5 * 10**6) | replace("y", "") | length }}|'
        '{{ ("x" * 10**7) | join | length }}|{{ "a" ~ 1 ~ "b" }}|{{ "a" + "b" }}|{{ [1] + [2] }}|{{ 1 + 2 }}|'
        '{{ "%s-%03d-%.1f-%%" % ("s", 7, 2.25) }}|{{ "%(a)s%(a)s" % {"a": "q"} }}|{{ "%+d" | format(123456) }}|'
        '{{ "{0}{0}:{a:>4}".format("ab", a=1) }}|{{ ("%s" % ("x" * 10**7)) | length }}|'
        '{{ ("x" * 5000001) | replace("x", "xx") | length }}|{{ "x" | indent(20000) | length }}\n'
    )
    result = _annual(ws)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "a + b|ab-c|a=b|a, 1, c|p/q|d; e|---|[0, 0]|Ab|10000000|5000000|10000000|a1b|ab|[1, 2]|3|s-007-2.2-%|qq|+123456"
        "|abab:   1|10000000|10000002|1"
    )


# -- 10: symbolic links in cases/ -----------------------------------------------------------------


def test_cases_folder_linking_outside_is_a_finding_and_never_written(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "2024").mkdir()
    (outside / "2024/C-2024-0001.yaml").write_text(CASE)
    ws = make_ws(tmp_path / "ws")
    (ws / "cases").symlink_to(outside)
    doc = run("check", ws, "--as-of", "2025-07-31", "--format", "json").json()
    assert any(f["rule"] == "file.link" and f["file"] == "cases" for f in doc["findings"])
    before = sorted(p.name for p in (outside / "2024").iterdir())
    result = run("case", "remedy", "C-2024-0001", "--compensation", "10", "-w", ws)
    assert result.exit_code == 3
    result = run("case", "new", "--received", "2024-06-03", "--category", "repairs", "-w", ws)
    assert result.exit_code == 3, result.stderr
    assert sorted(p.name for p in (outside / "2024").iterdir()) == before
    assert (outside / "2024/C-2024-0001.yaml").read_text() == CASE


def test_symlink_loop_in_cases_is_a_finding(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/2024/C-2024-0001.yaml": CASE})
    (ws / "cases/2024/loop.yaml").symlink_to(ws / "cases/2024/loop.yaml")
    (ws / "cases/a").symlink_to(ws / "cases/b")
    (ws / "cases/b").symlink_to(ws / "cases/a")
    doc = run("check", ws, "--as-of", "2025-07-31", "--format", "json").json()
    assert {f["file"] for f in doc["findings"] if f["rule"] == "file.link"} >= {
        "cases/2024/loop.yaml",
        "cases/a",
        "cases/b",
    }
    assert run("due", ws, "--as-of", "2025-07-31").exit_code in (0, 1)
    assert run("case", "show", "C-2024-0001", "-w", ws).exit_code == 0


def test_fmt_does_not_copy_an_outside_file_into_the_workspace(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(MESSY)
    ws = make_ws(tmp_path / "ws", {"cases/2024/C-2024-0002.yaml": MESSY.replace("0001", "0002")})
    link = ws / "cases/2024/C-2024-0001.yaml"
    link.symlink_to(outside)
    made = run("fmt", "--workspace", ws)
    assert made.exit_code == 0
    assert "cases/2024/C-2024-0001.yaml is a symbolic link: left as it is" in made.stderr  # named, not skipped silently
    assert link.is_symlink() and outside.read_text() == MESSY


def test_cache_folder_that_is_a_symlink_is_not_used(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    ws = copy_example(tmp_path / "ws")
    (ws / ".hcode-cache").symlink_to(elsewhere)
    assert run("check", ws, "--as-of", "2025-07-31").exit_code == 1
    assert run("check", ws, "--as-of", "2025-07-31").exit_code == 1
    assert list(elsewhere.iterdir()) == []
