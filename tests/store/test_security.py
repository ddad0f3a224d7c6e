"""Never crash, never lose data, never leak: hostile input, interrupted writes, personal data."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import hcode.edit.fileio
import hcode.store.atomic
from conftest import EXAMPLE, ON_TIME, case_yaml, make_ws, run
from hcode.cli import app


def check(ws: Path) -> tuple[int, str, str]:
    result = run("check", ws, "--as-of", "2025-03-31", "--no-cache")
    return result.exit_code, result.stdout, result.stderr


# -- hostile input ------------------------------------------------------------------------------


def bomb(levels: int = 30) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (bomb().encode(), "anchors (&a0) are not allowed"),
        (("x: " + "[" * 100000 + "]" * 100000 + "\n").encode(), "nested more than 40 levels"),
        (("a:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 200))).encode(), "nested more than 40 levels"),
        (os.urandom(64) + b"\x00" + os.urandom(64), "NUL bytes"),
        (b"\xff\xfe\x00i\x00d", "NUL bytes"),
        (b"id: caf\xe9\n", "not valid UTF-8"),
        (b"\xef\xbb\xbfid: C-1\n", "byte-order mark"),
        (b"id: !!binary aGVsbG8=\n", "YAML tags"),
        (b"<<<<<<< HEAD\nid: C-1\n=======\nid: C-2\n>>>>>>> other\n", "resolve the conflict"),
        (b"- just\n- a list\n", "it must be a mapping"),
    ],
)
def test_hostile_case_file(tmp_path: Path, content: bytes, fragment: str) -> None:
    ws = make_ws(tmp_path, {"cases/C-1.yaml": content})
    start = time.monotonic()
    code, out, err = check(ws)
    assert time.monotonic() - start < 10
    assert code == 1
    assert "cases/C-1.yaml" in out and fragment in out
    assert "Traceback" not in out + err


def test_oversized_file(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/C-1.yaml": b"learning: " + b"x" * (5 * 1024 * 1024) + b"\n"})
    code, out, _ = check(ws)
    assert code == 1 and "over the limit of 4,194,304 bytes" in out


def test_crlf_files_are_fine(tmp_path: Path) -> None:
    text = case_yaml("2024-05-03", ON_TIME).replace("\n", "\r\n")
    ws = make_ws(tmp_path, {"cases/C-1.yaml": text.encode()})
    _, out, _ = check(ws)
    assert "cases/C-1.yaml" not in out


def test_hostile_hcode_yaml_exits_3(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, config=bomb(5))
    code, _, err = check(ws)
    assert code == 3 and "hcode.yaml:1" in err and "anchors" in err


def test_symlink_outside_the_workspace_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(case_yaml("2024-05-03", ON_TIME))
    ws = make_ws(tmp_path / "ws")
    (ws / "cases").mkdir()
    (ws / "cases" / "C-1.yaml").symlink_to(outside)
    (ws / "cases" / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    code, out, _ = check(ws)
    assert code == 1
    assert "cases/C-1.yaml links outside the workspace: not followed" in out
    assert "cases/elsewhere links outside the workspace" in out


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = make_ws(tmp_path, {"cases/C-1.yaml": case_yaml("2024-05-03", ON_TIME)})
    import os

    real_open = os.open

    def guarded(file: object, *args: object, **kwargs: object) -> object:
        if str(file).endswith("C-1.yaml"):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("os.open", guarded)  # the store reads every file with os.open
    code, out, err = check(ws)
    assert code == 1 and "cases/C-1.yaml" in out and "cannot read the file: Permission denied" in out
    assert "Traceback" not in out + err


def test_tracebacks_never_show_locals() -> None:
    assert app.pretty_exceptions_show_locals is False
    assert app.pretty_exceptions_enable is False


def test_error_messages_do_not_print_whole_records(tmp_path: Path) -> None:
    secret = "Mrs Resident of 1 Example Street " * 10
    text = case_yaml("2024-05-03", ON_TIME).replace("category: repairs", f"category:\n  - {secret}")
    ws = make_ws(tmp_path, {"cases/C-1.yaml": text})
    _, out, _ = check(ws)
    assert secret not in out and "must be text, found a list" in out


# -- personal data in case files ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "what"),
    [
        ("learning", "Call back on jane.doe@example.org next time", "an email address"),
        ("learning", "Ring 07700 900123 after 5pm", "a phone number"),
        ("learning", "Ring +44 7700 900123", "a phone number"),
        ("x-address", "12 High Street, SW1A 1AA", "a postcode"),
    ],
)
def test_personal_data_warning_without_the_value(tmp_path: Path, field: str, value: str, what: str) -> None:
    text = case_yaml("2024-05-03", ON_TIME) + f"{field}: {value}\n"
    ws = make_ws(tmp_path, {"cases/C-1.yaml": text})
    doc = run("check", ws, "--as-of", "2025-03-31", "--format", "json").json()
    found = [f for f in doc["findings"] if f["rule"] == "privacy.personal-data"]
    assert len(found) == 1 and found[0]["severity"] == "warning"
    assert found[0]["message"] == f"{field} seems to hold {what}: personal data does not belong in case files"
    assert "private/C-1.yaml" in found[0]["hint"]
    assert value not in str(doc)


@pytest.mark.parametrize(
    "value",
    ["Repair done on 2024-05-03 for £250.00", "Flat 12 had 3 visits in 10 working days", "Ref 2024/0042 (A1)"],
)
def test_ordinary_text_is_not_flagged(tmp_path: Path, value: str) -> None:
    ws = make_ws(tmp_path, {"cases/C-1.yaml": case_yaml("2024-05-03", ON_TIME) + f"learning: {value}\n"})
    doc = run("check", ws, "--as-of", "2025-03-31", "--format", "json").json()
    assert [f for f in doc["findings"] if f["rule"] == "privacy.personal-data"] == []


# -- writes that cannot lose data ---------------------------------------------------------------


@pytest.fixture
def failing_rename(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(src: str, dst: str) -> None:
        raise OSError("simulated crash during rename")

    monkeypatch.setattr(os, "replace", fail)


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.name.endswith((".tmp", ".lock")) or p.name.startswith(".hcode-tmp-")]


def test_fmt_interrupted_keeps_the_original(tmp_path: Path, failing_rename: None) -> None:
    messy = "kind: complaint\nid: C-1\nreceived: 2024-05-03\ncategory: repairs\n"
    ws = make_ws(tmp_path, {"cases/C-1.yaml": messy})
    with pytest.raises(OSError):
        run("fmt", "--workspace", ws)
    assert (ws / "cases/C-1.yaml").read_text() == messy
    assert leftovers(ws) == []


def test_report_output_interrupted_keeps_the_old_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.md"
    target.write_text("last year's report\n")

    def fail(src: str, dst: str) -> None:
        raise OSError("simulated crash during rename")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        run("report", "assessment", EXAMPLE, "--year", "2024-25", "-o", target)
    assert target.read_text() == "last year's report\n"
    assert leftovers(tmp_path) == []


def test_init_interrupted_leaves_no_partial_files(tmp_path: Path, failing_rename: None) -> None:
    with pytest.raises(OSError):
        run("init", tmp_path / "ws")
    assert not (tmp_path / "ws" / "hcode.yaml").exists()
    assert leftovers(tmp_path) == []


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_text("old")
    os.chmod(path, 0o600)
    hcode.store.atomic.atomic_write(path, "new", root=tmp_path)
    assert path.read_text() == "new" and (path.stat().st_mode & 0o777) == 0o600


def test_a_taken_temporary_name_is_skipped_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An import stages every new case file beside the others before linking them into place:
    with 100,000 of them, two random names can meet. The writer tries another name (an import of
    100,000 rows failed with "File exists" about one run in three)."""
    from hcode.store import atomic

    names = iter([".hcode-tmp-1-aaaa", ".hcode-tmp-1-aaaa", ".hcode-tmp-1-bbbb"])
    monkeypatch.setattr(atomic, "temp_name", lambda: next(names))
    target = tmp_path / "cases" / "C-1.yaml"
    first = atomic.stage_new(target, "id: C-1\n", root=tmp_path)
    second = atomic.stage_new(tmp_path / "cases" / "C-2.yaml", "id: C-2\n", root=tmp_path)
    assert Path(first).name == ".hcode-tmp-1-aaaa" and Path(second).name == ".hcode-tmp-1-bbbb"
    assert Path(first).read_text() == "id: C-1\n" and Path(second).read_text() == "id: C-2\n"
    atomic.publish(first, target)
    assert target.read_text() == "id: C-1\n" and not Path(first).exists()
    monkeypatch.setattr(atomic, "temp_name", lambda: ".hcode-tmp-1-bbbb")
    with pytest.raises(FileExistsError, match="no free temporary name"):
        atomic.stage_new(tmp_path / "cases" / "C-3.yaml", "id: C-3\n", root=tmp_path)
