"""Every YAML hazard of DESIGN section 4: a clear finding with file, line and column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import check_json, example_files, make_ws, run
from hcode.store import yamlread
from hcode.store.yamlread import YamlError

CASE_OK = """\
id: C-2024-0001
kind: complaint
received: 2024-05-03
category: repairs
stage1:
  acknowledged: 2024-05-07
  definition: Leak not fixed.
  handler: H-1
  responded: 2024-05-14
  outcome: upheld
"""


def only_finding(ws: Path, rel: str) -> dict[str, Any]:
    doc = check_json(ws)
    found: list[dict[str, Any]] = [f for f in doc["findings"] if f["file"] == rel]
    assert len(found) == 1, found
    return found[0]


# -- the parser on its own ---------------------------------------------------------------------


def test_provision_keys_are_read_as_written() -> None:
    value = yamlread.parse("provisions:\n  6.1: {comply: no}\n  6.10: {comply: Yes}\n  1.2: {}\n")
    assert list(value["provisions"]) == ["6.1", "6.10", "1.2"]
    assert value["provisions"]["6.1"]["comply"] == "no"
    assert value["provisions"]["6.10"]["comply"] == "Yes"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: no", "no"),
        ("a: No", "No"),
        ("a: yes", "yes"),
        ("a: 'no'", "no"),
        ("a: false", False),
        ("a: true", True),
        ("a: 12", 12),
        ("a: 250.00", 250.0),
        ("a: 2024-05-03", "2024-05-03"),
        ("a: 2024-02-30", "2024-02-30"),
        ("a:", None),
        ("a: ~", None),
        ("a: 0x1F", "0x1F"),
        ("a: 1_000", "1_000"),
        ("a: .inf", ".inf"),
    ],
)
def test_plain_values_follow_yaml_1_2(text: str, expected: object) -> None:
    assert yamlread.parse(text)["a"] == expected


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a: 1\nb: 2\na: 3\n", "duplicate key 'a': it appears on line 1 and again on line 3", 3),
        ("a: &x [1]\nb: *x\n", "anchors (&x) are not allowed", 1),
        ("a: [1]\nb: *x\n", "aliases (*name) are not allowed", 2),
        ("a: !!python/object:os.system x\n", "YAML tags such as", 1),
        ("a: !custom x\n", "YAML tags such as", 1),
        ("", "file is empty", 1),
        ("# only a comment\n", "file is empty", 1),
        ("a:\n\tb: 1\n", "a tab character is used for indentation", 2),
        ("a: 1\n---\nb: 2\n", "more than one YAML document", 2),
        ("a: b: c\n", "YAML syntax error: mapping values are not allowed", 1),
        ("x: " + "[" * 60 + "]" * 60 + "\n", "nested more than", 1),
        ("? [a, b]\n: 1\n", "a key must be plain text", 1),
    ],
)
def test_parse_refuses(text: str, message: str, line: int) -> None:
    with pytest.raises(YamlError) as info:
        yamlread.parse(text)
    assert message in info.value.message
    assert info.value.line == line


def test_alias_bomb_is_refused_without_expanding() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(20)
    )
    with pytest.raises(YamlError) as info:
        yamlread.parse(bomb)
    assert "not allowed" in info.value.message


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"\xef\xbb\xbfa: 1\n", "byte-order mark", 1),
        (b"a: 1\nb: \xff\xfe\n", "not valid UTF-8", 2),
        (b"a: 1\n\x00\x01\x02", "NUL bytes", 2),
        (b"a: 1\n<<<<<<< HEAD\nb: 2\n=======\nb: 3\n>>>>>>> branch\n", "merge-conflict marker", 2),
    ],
)
def test_check_bytes_refuses(data: bytes, message: str, line: int) -> None:
    with pytest.raises(YamlError) as info:
        yamlread.read(data)
    assert message in info.value.message
    assert info.value.line == line


def test_size_limit() -> None:
    with pytest.raises(YamlError, match="over the limit"):
        yamlread.read(b"a: " + b"x" * 2000 + b"\n", max_bytes=1000)


def test_crlf_is_accepted() -> None:
    assert yamlread.read(b"a: 1\r\nb: two\r\n") == {"a": 1, "b": "two"}


def test_locate_points_at_keys_and_values() -> None:
    text = "a:\n  b:\n    - x\n    - y: 3\n"
    assert yamlread.locate(text, ("a", "b", 1, "y")) == (4, 10)
    assert yamlread.locate(text, ("a", "b", 1, "y"), key=True) == (4, 7)
    assert yamlread.locate(text, ("a", "missing")) == (2, 3)  # nearest parent that exists


# -- through hcode check: exit code, file, line, message ---------------------------------------


def test_duplicate_key_in_case(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/C-2024-0001.yaml": CASE_OK + "received: 2024-05-04\n"})
    f = only_finding(ws, "cases/C-2024-0001.yaml")
    assert f["rule"] == "yaml" and f["line"] == 11 and f["column"] == 1
    assert f["message"] == "duplicate key 'received': it appears on line 3 and again on line 11"
    assert run("check", ws, "--as-of", "2025-03-31").exit_code == 1


def test_unknown_key_names_nearest(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/C-2024-0001.yaml": CASE_OK.replace("received:", "recieved:")})
    doc = check_json(ws)
    found = [f for f in doc["findings"] if f["rule"] == "schema"]
    messages = {f["message"]: f for f in found}
    assert "unknown key 'recieved'" in messages
    assert messages["unknown key 'recieved'"]["hint"] == "did you mean 'received'?"
    assert messages["unknown key 'recieved'"]["line"] == 3
    assert "'received' is missing in this file" in messages


def test_x_fields_are_allowed_anywhere(tmp_path: Path) -> None:
    text = CASE_OK.replace("stage1:\n", "x-crm-ref: 4711\nstage1:\n  x-note: kept\n")
    ws = make_ws(tmp_path, {"cases/C-2024-0001.yaml": text})
    doc = check_json(ws)
    assert [f for f in doc["findings"] if f["file"] == "cases/C-2024-0001.yaml"] == []


def test_impossible_date(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/C-2024-0001.yaml": CASE_OK.replace("2024-05-14", "2024-02-30")})
    f = only_finding(ws, "cases/C-2024-0001.yaml")
    assert f["rule"] == "schema" and f["line"] == 9 and f["column"] == 14
    assert f["message"] == "'responded' is '2024-02-30', which is not a real date"


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("2024-05-14T10:30:00", "without a time"),
        ("14/05/2024", "YYYY-MM-DD"),
        ("20240514", "YYYY-MM-DD"),
    ],
)
def test_datetime_or_other_forms_where_date_expected(tmp_path: Path, value: str, hint: str) -> None:
    ws = make_ws(tmp_path, {"cases/C-2024-0001.yaml": CASE_OK.replace("2024-05-14", value)})
    f = only_finding(ws, "cases/C-2024-0001.yaml")
    assert f["message"].startswith("'responded' must be a date written YYYY-MM-DD")
    assert hint in f["hint"]
    assert f["line"] == 9


def test_list_where_mapping_expected(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/C-2024-0001.yaml": "- id: C-2024-0001\n- kind: complaint\n"})
    f = only_finding(ws, "cases/C-2024-0001.yaml")
    assert f["line"] == 1 and "it must be a mapping" in f["message"]


def test_mapping_where_text_expected(tmp_path: Path) -> None:
    text = CASE_OK.replace("category: repairs", "category:\n  main: repairs")
    ws = make_ws(tmp_path, {"cases/C-2024-0001.yaml": text})
    f = only_finding(ws, "cases/C-2024-0001.yaml")
    assert f["message"] == "'category' must be text, found a mapping" and f["line"] == 5


def test_enum_typo_suggests(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/C-2024-0001.yaml": CASE_OK.replace("outcome: upheld", "outcome: uphold")})
    f = only_finding(ws, "cases/C-2024-0001.yaml")
    assert f["line"] == 10 and f["hint"] == "did you mean 'upheld'?"


def test_one_broken_file_does_not_stop_the_others(tmp_path: Path) -> None:
    late = CASE_OK.replace("C-2024-0001", "C-2024-0002").replace("2024-05-14", "2024-06-14")
    ws = make_ws(
        tmp_path,
        {
            "cases/C-2024-0001.yaml": "id: [\n",
            "cases/C-2024-0002.yaml": late,
        },
    )
    doc = check_json(ws)
    rules = {(f["file"], f["rule"]) for f in doc["findings"]}
    assert ("cases/C-2024-0001.yaml", "yaml") in rules
    assert ("cases/C-2024-0002.yaml", "6.3") in rules


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"\xef\xbb\xbf" + CASE_OK.encode(), "byte-order mark"),
        (b"id: C-1\nkind: \xe9\n", "not valid UTF-8"),
        (b"", "file is empty"),
        (b"id: !!python/object/apply:os.system ['echo hi']\n", "YAML tags"),
        (
            b"id: C-2024-0001\n<<<<<<< ours\nkind: complaint\n=======\nkind: x\n>>>>>>> theirs\n",
            "merge-conflict marker",
        ),
    ],
)
def test_hostile_bytes_give_a_finding(tmp_path: Path, data: bytes, fragment: str) -> None:
    ws = make_ws(tmp_path, {"cases/C-2024-0001.yaml": data})
    result = run("check", ws, "--as-of", "2025-03-31")
    assert result.exit_code == 1
    assert "cases/C-2024-0001.yaml" in result.stdout and fragment in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_file_size_limit_is_configurable(tmp_path: Path) -> None:
    config = "hcode: 1\nlandlord: T\nlimits: {max_file_bytes: 2048}\n"
    big = CASE_OK + "learning: " + "x" * 3000 + "\n"
    ws = make_ws(tmp_path, {"cases/C-2024-0001.yaml": big}, config=config)
    f = only_finding(ws, "cases/C-2024-0001.yaml")
    assert "over the limit of 2,048 bytes" in f["message"]


@pytest.mark.parametrize(
    ("size", "limit"),
    [
        (0, 2048),
        (100, 2048),
        (2048, 2048),  # at the limit: read
        (2049, 2048),  # one byte over
        (9000, 2048),
        (65535, 1 << 20),  # around the first read's buffer (65,536 bytes)
        (65536, 1 << 20),
        (65537, 1 << 20),
        (300_000, 1 << 20),
        (65536, 65535),
        (65536, 65536),
        (70_000, 65536),
    ],
)
def test_read_bytes_reads_a_whole_file_up_to_the_limit(tmp_path: Path, size: int, limit: int) -> None:
    """A file is read whole in one read when it is small, by its size when it may be larger, and
    never past the limit: over it, the finding names its size."""
    from hcode.core.model import Finding
    from hcode.store.workspace import read_bytes

    path = tmp_path / "a.yaml"
    data = bytes(i % 251 for i in range(size))
    path.write_bytes(data)
    got = read_bytes(path, "a.yaml", limit)
    if size <= limit:
        assert got == data
    else:
        assert isinstance(got, Finding) and got.rule == "yaml"
        assert f"file is {size:,} bytes, over the limit of {limit:,} bytes" in got.message


def test_check_never_writes(tmp_path: Path) -> None:
    """check changes no workspace file; it only keeps its cache in .hcode-cache/ (not with --no-cache)."""
    ws = make_ws(tmp_path, {"cases/C-2024-0001.yaml": CASE_OK.replace("received:", "recieved:")})

    def snapshot() -> dict[Path, bytes]:
        return {p: p.read_bytes() for p in ws.rglob("*") if p.is_file() and ".hcode-cache" not in p.parts}

    before = snapshot()
    run("check", ws, "--as-of", "2025-03-31", "--no-cache")
    assert not (ws / ".hcode-cache").exists()
    run("check", ws, "--as-of", "2025-03-31")
    assert snapshot() == before


TRICKY = [
    "a:\n  b: 1\n  c:\n    d: 2\n",
    "# c\na:  # note\n\n  # inner\n  b: x\nb: {c: 1}\n",
    "a:\n    deep: 1\n    deeper:\n        x: y\nz: 2\n",
    "text: a long plain\n  scalar continued\n  over lines\nnext: 1\n",
    "block: |\n  b: not a key\n  c: neither\nb: real\n",
    "'quoted': 1\n\"dq\": 2\nlist:\n  - a: 1\n  - b: 2\n",
    "a: [1, 2]\nb:\n- c: 1\n",
    "6.10:\n  comply: no\n6.1:\n  comply: yes\n",
]


@pytest.mark.parametrize("text", TRICKY + [p.read_text() for p in example_files()[:25]])
def test_quick_locate_agrees_with_the_parser(text: str) -> None:
    marks = yamlread.marks(text)
    assert marks is not None
    lines = text.split("\n")
    answered = 0
    for (path, key), position in marks.items():
        quick = yamlread.quick_locate(lines, path, key=key)
        if quick is not None:
            answered += 1
            assert quick == position, (path, key)
    assert answered > 0


def test_fast_json_rows_match_the_encoder() -> None:
    from datetime import date

    from hcode.core.model import Finding
    from hcode.render.output import _encode, _finding_json, finding_dict

    for f in [
        Finding("6.3", "error", "C-1", 'msg "q" é\n\t', "cases/a.yaml", 3, 4, date(2024, 1, 2), date(2024, 1, 3), "h"),
        Finding("x", "info", "s", "m", None),
    ]:
        assert _finding_json(f) == _encode(finding_dict(f))


def test_a_shipped_edition_is_read_once_per_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """A command asks for each shipped edition more than once; it is read once per process for the
    same text, and afresh when the installed file's text differs (a changed installation)."""
    import hcode.store.workspace as workspace

    first = workspace.load_code(None, "hoc-2024")
    assert workspace.load_code(None, "hoc-2024") is first
    text = workspace.packaged_code_text("hoc-2024")
    assert text is not None and "title:" in text
    changed = text.replace("title:", "title: Changed -", 1)
    monkeypatch.setattr(workspace, "packaged_code_text", lambda name: changed if name == "hoc-2024" else None)
    other = workspace.load_code(None, "hoc-2024")
    assert other is not first and other.title.startswith("Changed -") and not first.title.startswith("Changed")
    broken = text.replace("sections:", "sectionz:", 1)
    monkeypatch.setattr(workspace, "packaged_code_text", lambda name: broken)
    with pytest.raises(workspace.WorkspaceError):  # a text that does not read is reported, not cached
        workspace.load_code(None, "hoc-2024")
