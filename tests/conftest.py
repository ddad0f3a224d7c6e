"""Shared helpers: build workspaces in temporary folders and run the CLI."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import gc
import json
import os
import subprocess
import textwrap
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from hcode.cli import app
from hcode.core.calendar import WorkingCalendar, uk_bank_holidays

# The property tests draw the same examples on every run, so a test run (and CI) gives the same
# answer for the same code; `make explore` draws new ones each time, with more of them, to look
# for cases nobody has found yet (a failure it prints is added to the tests as an example).
# Drawing examples slowly is not a failure: on a busy machine (CI, or a suite run beside other
# work) Hypothesis's too_slow health check fails a test whose answer is right.
_CALM = [HealthCheck.too_slow]
settings.register_profile("repeatable", derandomize=True, database=None, suppress_health_check=_CALM)
settings.register_profile("explore", max_examples=1000, suppress_health_check=_CALM)
settings.load_profile(os.environ.get("HCODE_HYPOTHESIS", "repeatable"))

ROOT = Path(__file__).resolve().parent.parent
# The repository root is itself the bundled example workspace (Riverside Vale Homes).
EXAMPLE = ROOT
EXAMPLE_PARTS = ("hcode.yaml", "assessments", "cases", "reports", "ombudsman")


def example_files() -> list[Path]:
    """The example workspace's own YAML files (not the rest of the repository)."""
    files = [EXAMPLE / "hcode.yaml"]
    for part in EXAMPLE_PARTS[1:]:
        if (EXAMPLE / part).is_dir():
            files += sorted((EXAMPLE / part).rglob("*.yaml"))
    return files


def copy_example(dest: Path) -> Path:
    """A copy of the example workspace (its settings, assessments, cases and report inputs)."""
    import shutil

    dest.mkdir(parents=True, exist_ok=True)
    for part in EXAMPLE_PARTS:
        src = EXAMPLE / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        elif src.is_file():
            shutil.copy2(src, dest / part)
    return dest


@pytest.fixture(autouse=True, scope="session")
def _cache_key_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The cache's key lives in a folder of the test session, not the user's own cache folder."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))


def _fsync_nothing(fd: int) -> None:
    os.fstat(fd)  # a closed or bad descriptor is still an error, as with os.fsync


@pytest.fixture(autouse=True, scope="session")
def _not_flushed_to_disk() -> Iterator[None]:
    """In the test processes, writes are not forced onto the disk (``os.fsync`` checks its file
    and returns; ``os.sync`` returns): no test can see whether data outlives a power cut, and
    thousands of flushes cost seconds of waiting on a busy disk. The calls are still made, in the
    same order; hcode processes the tests start (and kill) flush as usual."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fsync", _fsync_nothing)
        patch.setattr(os, "sync", lambda: None)
        yield


@pytest.fixture(autouse=True)
def _collector_as_in_a_new_process() -> Iterator[None]:
    """A command run in the test process may turn the garbage collector off (``hcode check``
    does: its process ends soon after) or freeze what a large scan read. The test process runs
    on: after each test collection is on and nothing is frozen, as in a new process, so garbage
    does not pile up from test to test (a larger process makes every fork and page fault dearer)."""
    yield
    if not gc.isenabled():
        gc.enable()
    if gc.get_freeze_count():
        gc.unfreeze()


@pytest.fixture(autouse=True, scope="session")
def _no_terminal_size() -> None:
    """Commands print as into a pipe with no terminal size given, whoever runs the tests
    (pytest-xdist's workers set COLUMNS=80 and LINES=24)."""
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)


CONFIG = """\
hcode: 1
landlord: Test Homes
homes: 100
"""


def write(root: Path, files: Mapping[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


def make_ws(root: Path, files: Mapping[str, str | bytes] | None = None, config: str = CONFIG) -> Path:
    """A workspace with hcode.yaml and the given files (text is dedented)."""
    write(root, {"hcode.yaml": config})
    write(root, files or {})
    return root


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    def json(self) -> Any:
        return json.loads(self.stdout)


def _build_the_command_once() -> None:
    """Typer's test runner builds the click command from the Typer app on every invoke: about
    40 ms of evaluating annotations each time, most of the cost of an in-process run. Build it
    once per test process (the app does not change while the tests run). Where a Typer release
    no longer has this private name, every invoke builds it as before: slower, the same answers."""
    import typer.main
    import typer.testing

    if not hasattr(typer.testing, "_get_command"):
        return
    built: dict[int, Any] = {}

    def command(typer_app: Any) -> Any:
        key = id(typer_app)
        if key not in built:
            built[key] = typer.main.get_command(typer_app)
        return built[key]

    typer.testing._get_command = command


_build_the_command_once()


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    runner = CliRunner()
    result = runner.invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)
    return Result(result.exit_code, result.stdout, result.stderr)


def fmt_check(ws: Path, *extra: str) -> tuple[int, str, str]:
    """``hcode fmt --check`` on the workspace ``ws``: exit code, stdout, stderr."""
    result = run("fmt", "--check", "--workspace", ws, *extra)
    return result.exit_code, result.stdout, result.stderr


def edit_keeping_size_and_time(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (present) with ``new`` of the same length in ``path``, its size and
    modification time kept, as ``touch -r`` does: a change a file's status cannot reveal."""
    st = path.stat()
    text = path.read_text()
    changed = text.replace(old, new)
    assert changed != text and len(changed) == len(text)
    path.write_text(changed)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns


def count_reads(monkeypatch: pytest.MonkeyPatch, module: Any) -> list[str]:
    """The workspace-relative paths ``module`` reads with ``read_bytes`` from now on, in order."""
    from hcode.store import workspace

    reads: list[str] = []
    real = workspace.read_bytes

    def counting(path: Path | str, rel: str, limit: int) -> bytes | object:
        reads.append(rel)
        return real(path, rel, limit)

    monkeypatch.setattr(module, "read_bytes", counting)
    return reads


def fmt_or_none(text: str, name: str) -> str | None:
    """``text`` (a file of schema ``name``) as ``hcode fmt`` rewrites it, None if it refuses it."""
    from hcode.edit.fmt import FormatError, format_text

    try:
        return format_text(text, name)
    except FormatError:
        return None


def check_json(ws: Path, as_of: str = "2025-03-31", *extra: str) -> dict[str, Any]:
    result = run("check", ws, "--as-of", as_of, "--format", "json", *extra)
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    doc: dict[str, Any] = result.json()
    return doc


def rules_for(doc: dict[str, Any], subject: str | None = None) -> list[tuple[str, str]]:
    return sorted((f["rule"], f["severity"]) for f in doc["findings"] if subject is None or f["subject"] == subject)


@pytest.fixture(scope="session")
def cal() -> WorkingCalendar:
    return WorkingCalendar(uk_bank_holidays("england-and-wales"), years=range(2012, 2028))


def d(text: str) -> date:
    return date.fromisoformat(text)


def sheet_sections(sheet: Any, heading_col: int = 2) -> dict[str, list[tuple[Any, ...]]]:
    """A self-assessment sheet's rows (their values) under each section's heading row
    ("Section 6: Putting things right", in the text column), by heading."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    current: list[tuple[Any, ...]] | None = None
    for row in sheet.iter_rows(min_row=2, values_only=True):
        text = row[heading_col - 1]
        if isinstance(text, str) and text.startswith("Section ") and row[0] is None:
            current = out.setdefault(text, [])
        elif current is not None:
            current.append(row)
    return out


def sheet_row(sheet: Any, label: str, col: int = 1) -> int:
    """The number of the first row of ``sheet`` whose cell in column ``col`` is ``label``."""
    for r in range(1, sheet.max_row + 1):
        if sheet.cell(r, col).value == label:
            return r
    raise AssertionError(f"no row {label!r} in the sheet {sheet.title}")


@contextlib.contextmanager
def lock_held(path: Path) -> Iterator[None]:
    """Hold the lock hcode takes before writing ``path`` (as another hcode command would)."""
    fd = os.open(path.with_name(f".{path.name}.lock"), os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        os.close(fd)


# -- shared writers of test files -------------------------------------------------------------

ON_TIME = {"acknowledged": "2024-05-07", "responded": "2024-05-21", "outcome": "upheld"}


def case_yaml(received: str, stage1: dict[str, Any] | None = None, **extra: Any) -> str:
    doc: dict[str, Any] = {
        "id": "C-1",
        "kind": "complaint",
        "received": received,
        "category": "repairs",
    }
    if stage1 is not None:
        s1 = {"definition": "Leak", "handler": "H-1", **stage1}
        doc["stage1"] = s1
    doc.update(extra)
    return yaml.safe_dump(doc, sort_keys=False)


@functools.cache
def _code_2024() -> Any:
    from hcode.store.workspace import load_code

    return load_code(None, "hoc-2024")


def full_assessment(
    comply: str = "yes",
    overrides: str = "",
    completed: str = "2025-06-13",
    approved: str | None = "2025-06-26",
) -> str:
    """A complete assessment written as people write it: unquoted keys, Yes/No words."""
    lines = ["code: hoc-2024", "year: 2024-25", f"completed: {completed}"]
    if approved:
        lines.append(f"approved: {{by: Board, date: {approved}}}")
    lines.append("provisions:")
    for p in _code_2024().assessed:
        if f"  {p.id}:" in overrides:
            continue
        lines += [
            f"  {p.id}:",
            f"    comply: {comply}",
            "    evidence:",
            f"      - Policy section {p.id}",
        ]
    return "\n".join(lines) + "\n" + overrides


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org",
            "HOME": str(cwd),
            "PATH": "/usr/bin:/bin:/usr/local/bin",
        },
    )
    return done.stdout
