"""Trust by construction: one mechanism per kind of hole, each promise held by the tests below
(docs/security.md lists them). Each section reproduces an attack on a copy of the example
workspace, then tries a variation the mechanism was not written for."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, copy_example, make_ws, run


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _link_out(ws: Path, name: str, outside: Path) -> Path:
    """Move ``ws/name`` to ``outside/name`` and leave a symbolic link in its place."""
    target = outside / name
    if (ws / name).exists():
        shutil.move(str(ws / name), target)
    else:
        target.mkdir(parents=True)
    os.symlink(target, ws / name)
    return target


# ------------------------------------------------------------------ 1. one writer rule


@pytest.mark.parametrize("folder", ["assessments", "reports", "provisions", "cases"])
def test_fmt_never_writes_through_a_linked_folder(tmp_path: Path, folder: str) -> None:
    ws = copy_example(tmp_path / "ws")
    (ws / "provisions").mkdir(exist_ok=True)
    shutil.copy(ROOT / "provisions" / "hoc-2024.yaml", ws / "provisions" / "hoc-2024.yaml")
    outside = tmp_path / "outside"
    outside.mkdir()
    moved = _link_out(ws, folder, outside)
    for p in moved.rglob("*.yaml"):  # every file there needs reformatting
        p.write_text(re.sub(r"(?m)^(\w+): ", r"\1:    ", p.read_text("utf-8")), encoding="utf-8")
    before = _snapshot(outside)
    result = run("fmt", "-w", ws)
    assert _snapshot(outside) == before
    if before:
        assert result.exit_code == 3, result.stdout + result.stderr
        assert "symbolic link" in result.stderr


def test_imports_never_write_into_a_linked_folder(tmp_path: Path) -> None:
    ws = make_ws(tmp_path / "ws")
    outside = tmp_path / "outside"
    outside.mkdir()
    _link_out(ws, "assessments", outside)
    _link_out(ws, "cases", outside)
    sa = tmp_path / "sa.csv"
    sa.write_text("Ref,Compliant?,Evidence\n1.2,Yes,Policy\n")
    r = run("import", "assessment", sa, "-w", ws, "--year", "2024-25")
    assert r.exit_code == 3 and "symbolic link" in r.stderr, r.stdout + r.stderr
    (ws / "import-map.yaml").write_text("columns:\n  id: Ref\n  received: Received\n  category: Category\n")
    rows = tmp_path / "rows.csv"
    rows.write_text("Ref,Received,Category\nC-1,01/04/2025,repairs\nC-2,02/04/2025,repairs\n")
    r = run("import", "cases", rows, "-w", ws)
    assert r.exit_code == 3 and "symbolic link" in r.stderr, r.stdout + r.stderr
    assert _snapshot(outside) == {}


@pytest.mark.parametrize(
    "folder",
    [
        "cases/{year!s:.>2.0}/{year!s:.>2.0}/{year!s:.>2.0}/{year!s:.>2.0}/tmp/escaped",
        "cases/{0}",
        "cases/{year",
        "cases/{year:999999999}",
        "cases/{year}/{year.__class__}",
        "cases/../../escaped",
        "cases/./{year}",
        "cases\\..\\..\\x",
    ],
)
def test_import_map_folder_takes_only_the_literal_year(tmp_path: Path, folder: str) -> None:
    ws = make_ws(tmp_path / "ws")
    (ws / "import-map.yaml").write_text(
        f"columns:\n  id: Ref\n  received: Received\n  category: Category\nfolder: '{folder}'\n"
    )
    rows = tmp_path / "rows.csv"
    rows.write_text("Ref,Received,Category\nC-1,01/04/2025,repairs\n")
    before = _snapshot(tmp_path)
    r = run("import", "cases", rows, "-w", ws)
    assert r.exit_code == 3, r.stdout + r.stderr
    assert "folder" in r.stderr and "{year}" in r.stderr
    assert _snapshot(tmp_path) == before


def test_import_map_folder_year_is_substituted(tmp_path: Path) -> None:
    ws = make_ws(tmp_path / "ws")
    (ws / "import-map.yaml").write_text(
        "columns:\n  id: Ref\n  received: Received\n  category: Category\nfolder: cases/y{year}/in-{year}\n"
    )
    rows = tmp_path / "rows.csv"
    rows.write_text("Ref,Received,Category\nC-1,01/04/2025,repairs\n")
    r = run("import", "cases", rows, "-w", ws)
    assert r.exit_code == 0, r.stdout + r.stderr
    assert (ws / "cases/y2025/in-2025/C-1.yaml").is_file()


def test_the_writer_refuses_any_path_outside_or_through_a_link(tmp_path: Path) -> None:
    """The rule lives in the one atomic writer: a caller that forgot to check is still refused."""
    from hcode.store import atomic

    ws = make_ws(tmp_path / "ws")
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, ws / "linked")
    (ws / "real").mkdir()
    os.symlink(outside / "f.yaml", ws / "real" / "file-link.yaml")
    for bad in (
        ws / "linked" / "f.yaml",
        ws / "linked" / "new" / "deeper" / "f.yaml",
        ws / ".." / "outside" / "f.yaml",
        tmp_path / "f.yaml",
        ws / "real" / "file-link.yaml",
    ):
        with pytest.raises(atomic.WriteRefused):
            atomic.atomic_write(bad, "x", root=ws)
        with pytest.raises(atomic.WriteRefused):
            atomic.stage_new(bad, "x", root=ws)
    assert _snapshot(outside) == {} and not (outside / "new").exists()
    atomic.atomic_write(ws / "real" / "sub" / "ok.yaml", "ok", root=ws)
    assert (ws / "real" / "sub" / "ok.yaml").read_text() == "ok"


def test_case_step_into_a_linked_year_folder_is_refused(tmp_path: Path) -> None:
    """A variation: not cases/ itself but one year's folder under it links outside."""
    ws = copy_example(tmp_path / "ws")
    outside = tmp_path / "outside"
    outside.mkdir()
    year = sorted(p for p in (ws / "cases").iterdir() if p.is_dir())[-1]
    shutil.move(str(year), outside / year.name)
    os.symlink(outside / year.name, year)
    before = _snapshot(outside)
    r = run("case", "new", "-w", ws, "--received", f"{year.name}-05-01", "--category", "repairs")
    assert r.exit_code in (0, 3), r.stdout + r.stderr
    if r.exit_code == 3:
        assert "symbolic link" in r.stderr
    assert _snapshot(outside) == before


def test_init_never_writes_through_a_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "new"
    target.mkdir()
    os.symlink(outside, target / "cases")
    r = run("init", target)
    assert r.exit_code == 3, r.stdout + r.stderr
    assert _snapshot(outside) == {}


# ------------------------------------------------------------------ 6. Office files within limits


def _xlsx(path: Path, rows: list[list[object]] | None = None) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows or [["Ref", "Received", "Category"], ["C-1", "01/04/2025", "repairs"]]:
        ws.append(row)
    wb.save(path)
    return path


def _docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for i, text in enumerate(["Provision", "Compliant?", "Evidence"]):
        table.cell(0, i).text = text
    for i, text in enumerate(["1.2", "Yes", "Policy"]):
        table.cell(1, i).text = text
    document.save(str(path))
    return path


def _rezip(path: Path, part: str, change: object, *, extra: dict[str, bytes] | None = None) -> Path:
    """Rewrite one part of the Office file at ``path`` with ``change`` (a function of its text,
    or the new bytes), keeping the others; ``extra`` parts are added."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    old = parts[part].decode("utf-8")
    parts[part] = change(old).encode("utf-8") if callable(change) else change  # type: ignore[assignment]
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


SHEET = "xl/worksheets/sheet1.xml"
WORD = "word/document.xml"


def _sheet(old: str, pattern: str, new: str) -> str:
    import re as _re

    out, n = _re.subn(pattern, new, old, count=1)
    assert n == 1, (pattern, old[:400])
    return out


XLSX_ATTACKS = {
    "dimension": lambda s: _sheet(s, r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>'),
    "merged": lambda s: s.replace(
        "</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    ),
    "row-number": lambda s: _sheet(s, r'<row r="2"', '<row r="99999999999"'),
    "nan": lambda s: _sheet(s, r'<c r="B2"[^>]*>.*?</c>', '<c r="B2"><v>NaN</v></c>'),
    "shared-index": lambda s: _sheet(s, r'<c r="A2"[^>]*>.*?</c>', '<c r="A2" t="s"><v>999999</v></c>'),
    "bad-ref": lambda s: _sheet(s, r'<c r="A2"', '<c r="A0"'),
}


@pytest.mark.parametrize("attack", sorted(XLSX_ATTACKS))
def test_hostile_workbooks_exit_3_naming_the_file(tmp_path: Path, attack: str) -> None:
    ws = make_ws(tmp_path / "ws")
    (ws / "import-map.yaml").write_text("columns:\n  id: Ref\n  received: Received\n  category: Category\n")
    book = _rezip(_xlsx(tmp_path / "export.xlsx"), SHEET, XLSX_ATTACKS[attack])
    commands: list[list[str | Path]] = [
        ["import", "cases", book, "-w", ws],
        ["import", "assessment", book, "-w", ws, "--year", "2024-25"],
    ]
    for command in commands:
        r = run(*command)
        assert r.exit_code == 3, (attack, command[1], r.stdout + r.stderr)
        assert "export.xlsx" in r.stderr
    assert not (ws / "cases").exists() and not (ws / "assessments").exists()


def test_a_million_shared_strings_in_a_small_file_is_refused_quickly(tmp_path: Path) -> None:
    import time

    strings = "".join("<si><t>x</t></si>" for _ in range(1_000_000))
    sst = f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{strings}</sst>'
    book = _rezip(_xlsx(tmp_path / "big.xlsx"), SHEET, lambda s: s, extra={"xl/sharedStrings.xml": sst.encode()})
    assert book.stat().st_size < 200_000
    start = time.monotonic()
    r = run("import", "cases", book, "-w", make_ws(tmp_path / "ws"))
    assert r.exit_code == 3 and "big.xlsx" in r.stderr, r.stderr
    assert time.monotonic() - start < 10


def _damage_part(path: Path, part: str) -> bytes:
    """The bytes of ``path`` with one byte of ``part``'s stored data flipped (a bad CRC, or a
    broken compressed stream), every other byte as it was."""
    import struct
    import zipfile

    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(part)
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    data[start + info.compress_size // 2] ^= 0xFF
    return bytes(data)


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_damaged_part_anywhere_in_an_office_file_exits_3(tmp_path: Path, kind: str) -> None:
    """Whichever part of the file is damaged (the document, the theme, the styles, the
    relationships...), an import stops with exit 3 naming the file, or, for a part the import never
    reads, goes on: never an internal error."""
    import zipfile

    ws = make_ws(tmp_path / "ws")
    (ws / "import-map.yaml").write_text("columns:\n  id: Ref\n  received: Received\n  category: Category\n")
    good = _docx(tmp_path / "good.docx") if kind == "docx" else _xlsx(tmp_path / "good.xlsx")
    with zipfile.ZipFile(good) as zf:
        parts = [i.filename for i in zf.infolist() if i.compress_size]
    refused = 0
    for part in parts:
        bad = tmp_path / f"bad.{kind}"
        bad.write_bytes(_damage_part(good, part))
        command: list[str | Path] = ["import", "assessment", bad, "-w", ws, "--year", "2024-25", "--dry-run"]
        if kind == "xlsx":
            command = ["import", "cases", bad, "-w", ws, "--dry-run"]
        r = run(*command)
        assert r.exit_code in (0, 3), (part, r.exit_code, r.stdout + r.stderr)
        assert "Traceback" not in r.stderr and "internal error" not in r.stderr.lower(), part
        if r.exit_code == 3:
            assert f"bad.{kind}" in r.stderr, (part, r.stderr)
            refused += 1
    assert refused >= 2, parts  # the document's own parts at least


WORD_ATTACKS = {
    "grid-span-huge": lambda s: s.replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="200000000"/>', 1),
    "grid-span-text": lambda s: s.replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="abc"/>', 1),
    "symbol": lambda s: s.replace("<w:t>Yes</w:t>", '<w:sym w:font="Wingdings" w:char="FFFFFFFF"/>', 1),
    "paragraphs": lambda s: s.replace("</w:body>", "<w:p/>" * 600_000 + "</w:body>"),
}


@pytest.mark.parametrize("attack", sorted(WORD_ATTACKS))
def test_hostile_word_documents_exit_3_naming_the_file(tmp_path: Path, attack: str) -> None:
    ws = make_ws(tmp_path / "ws")
    document = _rezip(_docx(tmp_path / "sa.docx"), WORD, WORD_ATTACKS[attack])
    r = run("import", "assessment", document, "-w", ws, "--year", "2024-25")
    assert r.exit_code == 3, (attack, r.stdout + r.stderr)
    assert "sa.docx" in r.stderr
    assert not (ws / "assessments").exists()


def test_image_parts_are_never_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large image (here 40 MB of zeros, a few kilobytes compressed) is blanked before the
    document is parsed: the import reads the table and the image is never inflated."""
    import zipfile

    from hcode.store import office

    document = _rezip(
        _docx(tmp_path / "sa.docx"), WORD, lambda s: s, extra={"word/media/image1.png": b"\0" * 40_000_000}
    )
    inflated: list[str] = []
    real_read = zipfile.ZipFile.read

    def read(self: zipfile.ZipFile, name: object, pwd: bytes | None = None) -> bytes:
        inflated.append(name if isinstance(name, str) else name.filename)  # type: ignore[attr-defined]
        return real_read(self, name, pwd)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "read", read)
    source = office.open_office(document, "docx")
    assert not isinstance(source, Path)
    assert "word/media/image1.png" not in inflated
    ws = make_ws(tmp_path / "ws")
    r = run("import", "assessment", document, "-w", ws, "--year", "2024-25")
    assert r.exit_code == 0, r.stdout + r.stderr


def test_a_zip_bomb_part_is_refused_before_parsing(tmp_path: Path) -> None:
    book = _rezip(
        _xlsx(tmp_path / "bomb.xlsx"), SHEET, lambda s: s.replace("</worksheet>", " " * 50_000_000 + "</worksheet>")
    )
    r = run("import", "cases", book, "-w", make_ws(tmp_path / "ws"))
    assert r.exit_code == 3 and "bomb.xlsx" in r.stderr and "compressed" in r.stderr, r.stderr


def test_requirement_comparison_is_bounded() -> None:
    import time

    from hcode.core.importing import similarity

    long_text = " ".join(f"word{i % 997} and" for i in range(200_000))
    start = time.monotonic()
    score = similarity(long_text, long_text[::-1])
    assert 0.0 <= score <= 1.0
    assert time.monotonic() - start < 2


# ------------------------------------------------------------------ 2. every file accounted for


def _findings(ws: Path, *extra: str) -> list[dict[str, object]]:
    r = run("check", ws, "--as-of", "2025-07-31", "--format", "json", *extra)
    assert r.exit_code in (0, 1), r.stdout + r.stderr
    found: list[dict[str, object]] = r.json()["findings"]
    return found


def _case_ids(ws: Path) -> list[str]:
    r = run("case", "list", "-w", ws, "--as-of", "2025-07-31", "--format", "json")
    assert r.exit_code == 0, r.stdout + r.stderr
    return sorted(c["case"] for c in r.json()["cases"])


@pytest.mark.parametrize("suffix", [".YAML", ".Yaml", ".YML"])
def test_an_upper_case_extension_is_read_like_any_other(tmp_path: Path, suffix: str) -> None:
    ws = copy_example(tmp_path / "ws")
    before = sorted((f["rule"], f["subject"], f["message"]) for f in _findings(ws))
    ids = _case_ids(ws)
    annual = run("report", "annual", "-w", ws, "--year", "2024-25", "--format", "json").stdout
    (ws / "cases/2024/C-2024-0015.yaml").rename(ws / f"cases/2024/C-2024-0015{suffix}")
    after = sorted((f["rule"], f["subject"], f["message"]) for f in _findings(ws))
    assert after == before
    assert _case_ids(ws) == ids
    assert run("report", "annual", "-w", ws, "--year", "2024-25", "--format", "json").stdout == annual
    r = run("case", "new", "-w", ws, "--id", "C-2024-0015", "--received", "2025-05-01", "--category", "repairs")
    assert r.exit_code != 0 and "already exists" in r.stderr
    r = run("case", "new", "-w", ws, "--id", "c-2024-0015", "--received", "2025-05-01", "--category", "repairs")
    assert r.exit_code != 0 and "already exists" in r.stderr


def _bent(text: str) -> str:
    """The same YAML, out of hcode's canonical layout (a quoted date)."""
    return re.sub(r"(?m)^received: (\d{4}-\d\d-\d\d)$", r"received: '\1'", text, count=1)


@pytest.mark.parametrize("suffix", [".YAML", ".Yaml", ".yml"])
def test_fmt_formats_exactly_the_files_check_reads(tmp_path: Path, suffix: str) -> None:
    ws = copy_example(tmp_path / "ws")
    path = ws / "cases/2024/C-2024-0015.yaml"
    bent = _bent(path.read_text("utf-8"))
    assert bent != path.read_text("utf-8")
    path.unlink()
    renamed = ws / f"cases/2024/C-2024-0015{suffix}"
    renamed.write_text(bent, encoding="utf-8")
    unread = {  # files check names as not read: fmt leaves them as they are
        "cases/2024/C-2024-0001.yaml~": bent,
        "assessments/old/2023-24.yaml": (ws / "assessments/2024-25.yaml").read_text("utf-8") + "x-extra:   1\n",
        "provisions/hoc-2024.yml": "code:    hoc-2024\n",
    }
    for rel, text in unread.items():
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_text(text, encoding="utf-8")
    r = run("fmt", "--check", "-w", ws)
    assert r.exit_code == 1, r.stdout + r.stderr
    assert f"would change: cases/2024/C-2024-0015{suffix}" in r.stdout
    assert "1 file(s) would change" in r.stdout, r.stdout
    r = run("fmt", "-w", ws)
    assert r.exit_code == 0, r.stdout + r.stderr
    assert renamed.read_text("utf-8") != bent and "received: '" not in renamed.read_text("utf-8")
    assert run("fmt", "--check", "-w", ws).exit_code == 0
    for rel, text in unread.items():
        assert (ws / rel).read_text("utf-8") == text, rel
    r = run("fmt", "--check", "-w", ws, ws / "cases")  # a folder: the same inventory, under it
    assert r.exit_code == 0 and "0 file(s) would change" in r.stdout, r.stdout


def test_every_file_hcode_does_not_read_is_named(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    extra = {
        "cases/2024/C-2024-0001.yaml~": "id: C-2024-0001\n",
        "cases/2024/#C-2024-0002.yaml#": "x",
        "cases/2024/.C-2024-0003.yaml.swp": "x",
        "cases/2024/notes.txt": "x",
        "cases/2024/C-2024-0004.yaml.bak": "x",
        "assessments/old/2023-24.yaml": "x",
        "assessments/2024-25.yaml.orig": "x",
        "provisions/hoc-2024.YAML": "x",
    }
    for rel, text in extra.items():
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_text(text)
    (ws / "cases/README.md").write_text("Case files go here.\n")
    (ws / "cases/.gitkeep").write_text("")
    named = {str(f["file"]) for f in _findings(ws) if f["rule"] == "file.name"}
    wanted = {rel if not rel.startswith("assessments/old") else "assessments/old" for rel in extra}
    assert wanted <= named, wanted - named
    assert "cases/README.md" not in named and "cases/.gitkeep" not in named


def test_ids_equal_but_for_case_or_look_alikes_are_duplicates(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    source = (ws / "cases/2024/C-2024-0015.yaml").read_text()
    for name, case_id in (("c-2024-0015", "c-2024-0015"), ("C\u20132024\u20130015", "C\u20132024\u20130015")):
        (ws / f"cases/2025/{name}.yaml").write_text(source.replace("id: C-2024-0015", f"id: {case_id}"))
    found = _findings(ws)
    dups = [f for f in found if f["rule"] == "case.duplicate"]
    assert [f["file"] for f in dups] == ["cases/2025/c-2024-0015.yaml"], dups
    # an id written with en dashes is not an id at all (letters, digits, '.', '_' and '-' only)
    assert any(f["rule"] == "schema" and f["file"] == "cases/2025/C\u20132024\u20130015.yaml" for f in found)
    r = run("case", "new", "-w", ws, "--id", "C-2024-0016".lower(), "--received", "2025-05-01", "--category", "repairs")
    assert r.exit_code != 0 and "already exists" in r.stderr


# ------------------------------------------------------------------ 7. look-alike identifiers

_TWO_STAGES = """\
id: C-2025-0001
kind: complaint
received: 2025-04-01
category: repairs
stage1:
  acknowledged: 2025-04-02
  definition: Leak not fixed.
  handler: H-014
  responded: 2025-04-08
  outcome: upheld
stage2:
  requested: 2025-04-10
  acknowledged: 2025-04-11
  definition: Still leaking.
  handler: "{handler}"
  responded: 2025-04-25
  outcome: upheld
"""


@pytest.mark.parametrize(
    "handler",
    ["H\u2013014", "\u041d-014", "\uff28-014", "h\u2011014", "H\u2212014", "H-014\u200b", "h-014"],
    ids=["en-dash", "cyrillic", "full-width", "non-breaking-hyphen", "minus", "zero-width", "lower-case"],
)
def test_look_alike_handlers_are_the_same_handler_for_6_13(tmp_path: Path, handler: str) -> None:
    ws = make_ws(tmp_path / "ws", {"cases/2025/C-2025-0001.yaml": _TWO_STAGES.format(handler=handler)})
    found = _findings(ws)
    rules = {str(f["rule"]) for f in found}
    assert "6.13" in rules, sorted(rules)
    flagged = [f for f in found if f["rule"] == "text.look-alike"]
    assert bool(flagged) == (handler != "h-014"), flagged


# ------------------------------------------------------------------ 5. output neutralised in one place per format

_COMMAND_LINE = re.compile(r"(?m)^\s*::")  # Python's \s is Unicode white space, as the runner trims


def _set_landlord(ws: Path, name: str) -> None:
    import json

    config = ws / "hcode.yaml"
    config.write_text(re.sub(r"(?m)^landlord: .*$", lambda m: f"landlord: {json.dumps(name)}", config.read_text()))


@pytest.mark.parametrize(
    "name",
    [
        "Riverside\n\u00a0::error::X",
        "Riverside\n\u2003\u3000::warning::X",
        "Riverside\n\t \u00a0::add-mask::X",
        "##[error]X",
    ],
)
def test_workflow_commands_never_reach_a_log(tmp_path: Path, name: str) -> None:
    ws = copy_example(tmp_path / "ws")
    _set_landlord(ws, name)
    path = ws / "cases/2024/C-2024-0001.yaml"
    path.write_text(path.read_text() + "x-note: " + '"##[warning]Y\\n\\u00a0::error::Z"\n')
    outputs = {
        "due": run("due", ws, "--as-of", "2025-07-31"),
        "case list": run("case", "list", "-w", ws, "--as-of", "2025-07-31"),
        "case show": run("case", "show", "C-2024-0001", "-w", ws),
        **{
            f"check {f}": run("check", ws, "--as-of", "2025-07-31", "-f", f) for f in ("text", "json", "junit", "sarif")
        },
        **{f"annual {f}": run("report", "annual", ws, "--year", "2024-25", "-f", f) for f in ("md", "html", "json")},
        **{f"export {f}": run("export", ws, "-f", f) for f in ("csv", "jsonl")},
    }
    for what, r in outputs.items():
        assert r.exit_code in (0, 1), (what, r.stdout + r.stderr)
        for text in (r.stdout, r.stderr):
            assert not _COMMAND_LINE.search(text), (what, text[:400])
            assert "##[" not in text, (what, text[:400])


@pytest.mark.parametrize("name", ["Riverside [/red] Homes", "[bold]Riverside[/bold]", "Riverside :smile: [link=x]y"])
def test_data_is_never_read_as_terminal_markup(tmp_path: Path, name: str) -> None:
    ws = copy_example(tmp_path / "ws")
    _set_landlord(ws, name)
    commands: list[list[str | Path]] = [
        ["due", ws, "--as-of", "2025-07-31"],
        ["case", "list", "-w", ws, "--as-of", "2025-07-31"],
    ]
    for command in commands:
        r = run(*command)
        assert r.exit_code == 0, (command, r.stdout + r.stderr)
        assert name in r.stdout.replace("\n", ""), r.stdout[:300]


def test_markdown_never_autolinks_data_text(tmp_path: Path) -> None:
    from hcode.render.richtext import md_cell, md_escape

    for text in ("see www.example.org", "WWW.Example.org/x", "write to complaints@example.org", "ftp://x.org"):
        for out in (md_escape(text), md_cell(text)):
            assert not re.search(r"(?i)\bwww\.|@|\b(https?|ftp|mailto):", out), out
    ws = copy_example(tmp_path / "ws")
    path = ws / "cases/2024/C-2024-0003.yaml"
    path.write_text(
        re.sub(r"(?m)^learning: .*\n", "", path.read_text()) + "learning: Leaflet at www.example.org now.\n"
    )
    r = run("report", "annual", ws, "--year", "2024-25", "-f", "md")
    assert r.exit_code == 0, r.stderr
    assert "example.org" in r.stdout and "www." not in r.stdout


# ------------------------------------------------------------------ 3. one privacy gate

PHONE, EMAIL = "07700 900123", "jo.bloggs@example.org"


def _annual(ws: Path, fmt: str, tmp_path: Path) -> object:
    extra = ["-o", str(tmp_path / f"annual.{fmt}")] if fmt == "xlsx" else []
    return run("report", "annual", ws, "--year", "2024-25", "--as-of", "2025-07-31", "-f", fmt, *extra)


def _refused_without_the_value(r: object, where: str) -> None:
    assert r.exit_code == 3, (r.stdout + r.stderr)[-600:]  # type: ignore[attr-defined]
    err = r.stderr  # type: ignore[attr-defined]
    assert where in err and "not written" in err, err
    assert PHONE not in r.stdout + err and EMAIL not in r.stdout + err  # type: ignore[attr-defined]


SOURCES = {
    "ombudsman": (
        "ombudsman/2025-05-letter.yaml",
        f"date: 2025-05-20\nkind: annual-letter\ntitle: Letter\nsummary: Resident on {PHONE} was called.\n",
    ),
    "reports": (
        "reports/2024-25.yaml",
        f"year: 2024-25\nmrc_statement: Fine.\nimprovements:\n  - improvement: Wrote to {EMAIL} weekly\n",
    ),
    "landlord": ("hcode.yaml", None),
}


@pytest.mark.parametrize("source", sorted(SOURCES))
@pytest.mark.parametrize("fmt", ["md", "html", "json", "xlsx"])
def test_personal_data_from_any_source_refuses_every_published_format(tmp_path: Path, source: str, fmt: str) -> None:
    ws = copy_example(tmp_path / "ws")
    rel, text = SOURCES[source]
    if text is None:  # a source nobody wrote a rule for: the landlord's name
        _set_landlord(ws, f"Riverside Vale Homes (call {PHONE})")
    else:
        (ws / rel).parent.mkdir(exist_ok=True)
        (ws / rel).write_text(text)
    if fmt == "json" and source != "landlord":  # the figures as JSON do not carry these texts
        r = _annual(ws, fmt, tmp_path)
        assert r.exit_code == 0 and PHONE not in r.stdout and EMAIL not in r.stdout  # type: ignore[attr-defined]
    else:
        _refused_without_the_value(_annual(ws, fmt, tmp_path), rel)
    warned = [f for f in _findings(ws) if f["rule"] == "privacy.personal-data" and f["file"] == rel]
    assert warned and warned[0]["line"], warned
    assert PHONE not in str(warned) and EMAIL not in str(warned)


def test_self_assessment_commentary_refuses_both_reports(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    path = ws / "assessments/2024-25.yaml"
    text = path.read_text()
    path.write_text(
        text.replace("commentary: The Code's definition", f"commentary: Ring {PHONE}. The Code's definition", 1)
    )
    _refused_without_the_value(_annual(ws, "md", tmp_path), "assessments/2024-25.yaml")
    r = run("report", "assessment", ws, "--year", "2024-25", "-f", "html")
    _refused_without_the_value(r, "assessments/2024-25.yaml")
    assert any(f["rule"] == "privacy.personal-data" and f["file"] == "assessments/2024-25.yaml" for f in _findings(ws))


def test_the_tsm_table_and_export_pass_the_gate(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    path = ws / "cases/2024/C-2024-0003.yaml"
    path.write_text(re.sub(r"(?m)^category: .*$", f"category: Mrs Smith {EMAIL}", path.read_text()))
    commands: list[list[str | Path]] = [["export", ws, "-f", "csv"], ["export", ws, "-f", "jsonl"]]
    for command in commands:
        _refused_without_the_value(run(*command), "cases/2024/C-2024-0003.yaml")


@pytest.mark.parametrize("fmt", ["csv", "md"])
def test_the_files_a_table_leaves_out_pass_the_gate_too(tmp_path: Path, fmt: str) -> None:
    """The TSM table names the files it left out (--skip-broken): those names pass the gate like
    its rows, so a file named with an email address is not published."""
    ws = copy_example(tmp_path / "ws")
    (ws / f"cases/2024/{EMAIL}.yaml").write_text("id: [unclosed\n")
    out = tmp_path / f"tsm.{fmt}"
    r = run("report", "tsm", ws, "--year", "2024-25", "--as-of", "2025-07-31", "--skip-broken", "-f", fmt, "-o", out)
    assert r.exit_code == 3, r.stdout + r.stderr
    assert "seems to hold an email address (not shown)" in r.stderr
    assert EMAIL not in r.stdout and not out.exists()


@pytest.mark.parametrize("fmt", ["csv", "md", "json", "xlsx"])
def test_the_tsm_return_passes_the_gate(tmp_path: Path, fmt: str) -> None:
    ws = copy_example(tmp_path / "ws")
    _set_landlord(ws, f"Riverside Vale Homes (call {PHONE})")
    extra = ["-o", str(tmp_path / "return.xlsx")] if fmt == "xlsx" else []
    r = run("report", "tsm", ws, "--return", "--year", "2024-25", "--as-of", "2025-07-31", "-f", fmt, *extra)
    _refused_without_the_value(r, "hcode.yaml")
    assert "landlord" in r.stderr and not (tmp_path / "return.xlsx").exists()


def test_published_writers_are_reached_only_through_the_gate() -> None:
    """The command line and the use cases reach a published writer only through an entry point
    that takes a Public value (publish, write_table, figures_json, write_return): they import no
    other name from the modules that render published outputs."""
    import ast

    writers = {f"hcode.render.{m}" for m in ("excel", "export", "report", "tsmreturn", "layout", "reportlayout")}
    writers.add("hcode.render.figuretext")
    allowed = {"annual_context", "charts", "row", "NAMES", "write_return"}
    src = Path(__file__).resolve().parent.parent / "src/hcode"
    bad = []
    for path in sorted([*(src / "cli").glob("*.py"), *(src / "api").glob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "hcode.render":
                bad += [f"{path.name}: {a.name}" for a in node.names if f"hcode.render.{a.name}" in writers]
            elif isinstance(node, ast.ImportFrom) and node.module in writers:
                bad += [f"{path.name}: {node.module}.{a.name}" for a in node.names if a.name not in allowed]
            elif isinstance(node, ast.Import):
                bad += [f"{path.name}: {a.name}" for a in node.names if a.name in writers]
    assert not bad, bad


def test_public_contacts_are_allowed(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    (ws / "reports").mkdir()
    (ws / "reports/2024-25.yaml").write_text(
        "year: 2024-25\nmrc_statement: Write to complaints@riverside.example or call the Housing Ombudsman on "
        "0300 111 3000 (info@housing-ombudsman.org.uk).\n"
    )
    assert _annual(ws, "md", tmp_path).exit_code == 3  # type: ignore[attr-defined]
    config = ws / "hcode.yaml"
    config.write_text(config.read_text() + "contacts: [complaints@riverside.example]\n")
    r = _annual(ws, "md", tmp_path)
    assert r.exit_code == 0, r.stderr  # type: ignore[attr-defined]
    assert "0300 111 3000" in r.stdout  # type: ignore[attr-defined]
    assert not [f for f in _findings(ws) if f["rule"] == "privacy.personal-data"]


def test_an_undeclared_category_is_published_as_other(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    path = ws / "cases/2024/C-2024-0003.yaml"
    path.write_text(re.sub(r"(?m)^category: .*$", f"category: Mrs Smith {EMAIL}", path.read_text()))
    for fmt in ("md", "html", "json"):
        r = _annual(ws, fmt, tmp_path)
        assert r.exit_code == 0, r.stderr  # type: ignore[attr-defined]
        assert EMAIL not in r.stdout and "Smith" not in r.stdout  # type: ignore[attr-defined]
        assert "other (not declared)" in r.stdout  # type: ignore[attr-defined]


def test_only_the_gate_makes_public_values(tmp_path: Path) -> None:
    """Renderers take only Public values: making one elsewhere fails at once, and mypy refuses
    a renderer call with a plain dict."""
    import subprocess
    import sys

    from hcode.render.gate import Public

    with pytest.raises(TypeError, match="privacy gate"):
        Public({"a": 1})
    with pytest.raises(TypeError, match="privacy gate"):
        Public({"a": 1}, object())
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from pathlib import Path\nfrom hcode.render.published import publish, write_table\n"
        "publish('annual', 'md', {'a': 1}, Path('.'), 'x', False)\nwrite_table('export', 'csv', [], [], [])\n"
        "from hcode.render.tsmreturn import write_return\nwrite_return('csv', {'year': '2024-25'})\n"
    )
    root = ROOT
    r = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", str(probe)],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "MYPYPATH": str(root / "src")},
    )
    # publish's figures, write_table's rows and the files it leaves out, write_return's figures
    assert r.returncode == 1 and r.stdout.count('"Public[') == 4, r.stdout
    with pytest.raises(TypeError, match="Public"):
        from hcode.render.tsmreturn import write_return

        write_return("csv", {"year": "2024-25"})  # type: ignore[arg-type]


# ------------------------------------------------------------------ 4. the official Code fingerprinted

SHIPPED = ROOT / "provisions"


def _clock_6_3(text: str, new: str) -> str:
    out, n = re.subn(
        r'(provision: "6\.3"\n    stage: 1\n    event: respond\n    from: acknowledged\n)    working_days: 10\n',
        lambda m: m.group(1) + new,
        text,
    )
    assert n == 1
    return out


def _annual_texts(ws: Path, tmp_path: Path) -> dict[str, str]:
    import openpyxl

    out = {}
    for fmt in ("md", "html", "json"):
        r = run("report", "annual", ws, "--year", "2024-25", "--as-of", "2025-07-31", "-f", fmt)
        assert r.exit_code == 0, r.stderr
        out[fmt] = r.stdout
    target = tmp_path / "annual.xlsx"
    r = run("report", "annual", ws, "--year", "2024-25", "--as-of", "2025-07-31", "-f", "xlsx", "-o", target)
    assert r.exit_code == 0, r.stderr
    book = openpyxl.load_workbook(target)
    out["xlsx"] = "\n".join(str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row if c.value)
    return out


@pytest.mark.parametrize(
    ("how", "difference"),
    [
        ("copy-2025", "6.3: 100 working days; the Code says 10 working days"),
        ("in-place", "6.3: 100 working days; the Code says 10 working days"),
        ("missing", "6.3: no clock; the Code says 10 working days from acknowledged"),
        ("calendar-days", "6.3: 10 days; the Code says 10 working days"),
        ("start", "6.3: 10 working days from received; the Code says 10 working days from acknowledged"),
    ],
)
def test_a_bent_code_is_named_in_check_and_in_every_report(tmp_path: Path, how: str, difference: str) -> None:
    ws = copy_example(tmp_path / "ws")
    (ws / "provisions").mkdir()
    text = (SHIPPED / "hoc-2024.yaml").read_text()
    name = "hoc-2024"
    if how == "copy-2025":
        name = "hoc-2025"
        text = text.replace("code: hoc-2024", "code: hoc-2025", 1).replace(
            "effective: 2024-04-01", "effective: 2024-04-02", 1
        )
        text = _clock_6_3(text, "    working_days: 100\n")
    elif how == "in-place":
        text = _clock_6_3(text, "    working_days: 100\n")
    elif how == "missing":
        text = re.sub(r'  - provision: "6\.3"\n(    .*\n)+?(?=  - )', "", text, count=1)
    elif how == "calendar-days":
        text = _clock_6_3(text, "    days: 10\n")
    else:
        text = _clock_6_3(text, "    working_days: 10\n").replace(
            'provision: "6.3"\n    stage: 1\n    event: respond\n    from: acknowledged',
            'provision: "6.3"\n    stage: 1\n    event: respond\n    from: received',
            1,
        )
    (ws / "provisions" / f"{name}.yaml").write_text(text)
    warned = [f for f in _findings(ws) if f["rule"] == "code.modified"]
    assert len(warned) == 1 and difference in str(warned[0]["message"]), warned
    assert warned[0]["file"] == f"provisions/{name}.yaml"
    for fmt, out in _annual_texts(ws, tmp_path).items():
        assert "judged by a modified Code" in out and difference in out, fmt
        assert f"{name} (not the official edition)" in out, fmt


def test_an_unmodified_copy_is_not_a_modified_code(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    (ws / "provisions").mkdir()
    shutil.copy(SHIPPED / "hoc-2024.yaml", ws / "provisions" / "hoc-2024.yaml")
    assert not [f for f in _findings(ws) if f["rule"] == "code.modified"]
    r = run("report", "annual", ws, "--year", "2024-25", "--as-of", "2025-07-31", "-f", "json")
    assert "modified_code" not in r.json() and "modified Code" not in r.stdout


def test_the_shipped_editions_carry_their_official_digests() -> None:
    from hcode.core.official import OFFICIAL, clock_digest, text_digest
    from hcode.store.workspace import load_code, shipped_editions

    assert sorted(OFFICIAL) == shipped_editions()
    for name, (clocks, text) in OFFICIAL.items():
        code = load_code(None, name)
        assert (clock_digest(code), text_digest(code)) == (clocks, text), f"{name}: update OFFICIAL deliberately"


def test_a_provisions_folder_linked_outside_is_not_read(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    outside = tmp_path / "outside"
    outside.mkdir()
    text = _clock_6_3((SHIPPED / "hoc-2024.yaml").read_text(), "    working_days: 100\n")
    (outside / "hoc-2024.yaml").write_text(text)
    os.symlink(outside, ws / "provisions")
    found = _findings(ws)
    assert any(f["rule"] == "file.link" and f["file"] == "provisions" for f in found)
    assert not [f for f in found if f["rule"] == "code.modified"]
    r = run("report", "annual", ws, "--year", "2024-25", "--as-of", "2025-07-31", "-f", "json")
    ch02 = r.json()["tsm"]
    assert "modified Code" not in r.stdout, ch02


# ------------------------------------------------------------------ 8. all or nothing


def _big_import(tmp_path: Path, rows: int) -> tuple[Path, Path]:
    ws = make_ws(tmp_path / "ws")
    (ws / "import-map.yaml").write_text("columns:\n  id: Ref\n  received: Received\n  category: Category\n")
    export = tmp_path / "rows.csv"
    lines = ["Ref,Received,Category"] + [f"C-{n:05d},01/04/2025,repairs" for n in range(1, rows + 1)]
    export.write_text("\n".join(lines) + "\n")
    return ws, export


def _case_files(ws: Path) -> list[Path]:
    return sorted((ws / "cases").rglob("C-*.yaml")) if (ws / "cases").exists() else []


def _leftovers(ws: Path) -> list[str]:
    return sorted(p.name for p in ws.rglob(".hcode-*") if p.is_file() and not p.name.endswith(".lock"))


@pytest.mark.parametrize(("phase", "at"), [("_place", 37), ("write_all", 0)])
def test_an_import_that_dies_half_way_is_completed_or_rolled_back(tmp_path: Path, phase: str, at: int) -> None:
    """The process dies without any clean-up (os._exit) while committing (after 36 files were
    placed) or while staging: the next import completes it, or finds nothing was written."""
    import subprocess
    import sys

    ws, export = _big_import(tmp_path, 200)
    script = f"""
import os, sys
from hcode.edit import journal
count = 0
real_place, real_stage = journal._place, journal._stage_file
def place(*a):
    global count
    count += 1
    if count == {at}:
        os._exit(137)
    return real_place(*a)
def stage(path, data):
    if str(path).endswith("C-00100.yaml") and "{phase}" == "write_all":
        os._exit(137)
    return real_stage(path, data)
journal._place = place
journal._stage_file = stage
from hcode.cli import main
main(["import", "cases", {str(export)!r}, "-w", {str(ws)!r}])
"""
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert r.returncode == 137, r.stdout + r.stderr
    partial = len(_case_files(ws))
    assert partial == (36 if phase == "_place" else 0)
    warned = [f for f in _findings(ws, "--as-of", "2025-07-31") if f["rule"] == "file.journal"]
    assert warned, "check names the interrupted import"
    again = run("import", "cases", export, "-w", ws)
    assert again.exit_code == 0, again.stdout + again.stderr
    assert len(_case_files(ws)) == 200
    assert _leftovers(ws) == []
    assert not [f for f in _findings(ws, "--as-of", "2025-07-31") if f["rule"] == "file.journal"]


def test_an_import_into_a_workspace_named_relative_to_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The journal's paths are the workspace's whatever way it was named (-w ws)."""
    ws, export = _big_import(tmp_path, 30)
    monkeypatch.chdir(tmp_path)
    r = run("import", "cases", export.name, "-w", ws.name)
    assert r.exit_code == 0, r.stdout + r.stderr
    assert len(_case_files(ws)) == 30 and _leftovers(ws) == []


@pytest.mark.parametrize("save", [1, 2])
def test_a_kill_while_the_journal_itself_is_written_leaves_nothing_behind(tmp_path: Path, save: int) -> None:
    """The process dies while the journal is being written (its temporary file at the root
    written, not yet renamed), when it says "staging" (1) or "committing" (2): the next import
    leaves no hidden file of hcode's behind."""
    import subprocess
    import sys

    ws, export = _big_import(tmp_path, 50)
    script = f"""
import os
from pathlib import Path
from typing import Any
from hcode.edit import journal
from hcode.store.atomic import stage
count = 0
real = journal.atomic_write
def write(path, data, **k):
    global count
    count += 1
    if count == {save}:
        stage(Path(path), data, root=k.get("root"))
        os._exit(137)
    return real(path, data, **k)
journal.atomic_write = write
from hcode.cli import main
main(["import", "cases", {str(export)!r}, "-w", {str(ws)!r}])
"""
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert r.returncode == 137, r.stdout + r.stderr
    assert [p.name for p in ws.glob(".hcode-tmp-*")], "the journal's temporary file is left by the kill"
    assert _case_files(ws) == []
    again = run("import", "cases", export, "-w", ws)
    assert again.exit_code == 0, again.stdout + again.stderr
    assert len(_case_files(ws)) == 50
    assert _leftovers(ws) == []


@pytest.mark.slow
def test_kill_9_during_an_import_leaves_all_or_nothing(tmp_path: Path) -> None:
    """A real SIGKILL as soon as the import starts committing."""
    import json
    import signal
    import subprocess
    import sys
    import time

    ws, export = _big_import(tmp_path, 5000)
    journal_file = ws / ".hcode-journal.json"
    proc = subprocess.Popen([sys.executable, "-m", "hcode", "import", "cases", str(export), "-w", str(ws)])
    deadline = time.monotonic() + 300
    killed_while = None
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            state = json.loads(journal_file.read_text())["state"]
        except (OSError, ValueError, KeyError):
            state = None
        if state is not None:
            os.kill(proc.pid, signal.SIGKILL)
            killed_while = state
            break
        time.sleep(0.001)
    proc.wait()
    written = len(_case_files(ws))
    if killed_while is None:  # it finished first: whole
        assert proc.returncode == 0 and written == 5000
        return
    assert proc.returncode == -signal.SIGKILL
    again = run("import", "cases", export, "-w", ws)
    assert again.exit_code == 0, again.stdout + again.stderr
    assert len(_case_files(ws)) == 5000 and _leftovers(ws) == [], (killed_while, written)


def test_closure_days_are_bounded_with_a_warning(tmp_path: Path) -> None:
    from datetime import date, timedelta

    few = [date(2024, 12, 24) + timedelta(days=i) for i in range(4)]
    many = [date(2025, 1, 1) + timedelta(days=i) for i in range(40)]
    for days, warned in ((few, False), (few + many, True)):
        config = "hcode: 1\nlandlord: T\nhomes: 100\ncalendar:\n  closures: [" + ", ".join(map(str, days)) + "]\n"
        ws = make_ws(tmp_path / f"ws{len(days)}", config=config)
        found = [f for f in _findings(ws) if f["rule"] == "calendar.closures"]
        assert bool(found) == warned, found
        if warned:
            assert "40 closure days in 2025" in str(found[0]["message"]) and found[0]["line"]
    too_many = [date(2024, 1, 1) + timedelta(days=i) for i in range(1001)]
    config = "hcode: 1\nlandlord: T\nhomes: 100\ncalendar:\n  closures: [" + ", ".join(map(str, too_many)) + "]\n"
    r = run("check", make_ws(tmp_path / "ws-bound", config=config), "--as-of", "2025-07-31")
    assert r.exit_code == 3 and "hcode.yaml" in r.stderr, r.stdout + r.stderr


def test_a_workbook_without_a_worksheet_exits_3(tmp_path: Path) -> None:
    """Found by the xlsx fuzz target (an IndexError, exit 4, before)."""
    ws = make_ws(tmp_path / "ws")
    (ws / "import-map.yaml").write_text("columns:\n  id: Ref\n  received: Received\n  category: Category\n")
    book = _rezip(
        _xlsx(tmp_path / "empty.xlsx"), "xl/workbook.xml", lambda s: re.sub(r"<sheets>.*</sheets>", "<sheets/>", s)
    )
    r = run("import", "cases", book, "-w", ws, "--dry-run")
    assert r.exit_code == 3 and "empty.xlsx" in r.stderr, r.stdout + r.stderr


# ------------------------------------------------------------------ 9. a fuzz target per importer


@pytest.mark.parametrize("kind", ["docx", "xlsx", "csv"])
def test_fuzz_target_per_importer(tmp_path: Path, kind: str) -> None:
    """A few mutants of each importer's seed document (benchmarks/fuzz.py runs them for as long
    as asked: MINUTES=10 make fuzz): every import exits 0 to 3 within the time bound."""
    import random
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import fuzz

    ws = make_ws(tmp_path / "ws")
    (ws / "import-map.yaml").write_text("columns:\n  id: Ref\n  received: Received\n  category: Category\n")
    seeds = fuzz.seed_documents(tmp_path)
    rng = random.Random(kind)
    for _ in range(8):
        mutant = fuzz.mutate_office(seeds[kind], rng) if kind != "csv" else fuzz.mutate(seeds[kind], rng)
        assert fuzz.run_import(ws, kind, mutant, tmp_path) == []


@pytest.mark.parametrize("folder", ["cases/2024", "assessments"])
def test_fmt_names_a_folder_it_cannot_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str) -> None:
    """A folder hcode cannot list is named by fmt (exit 3), as check names it, never passed over."""

    ws = copy_example(tmp_path / "ws")
    blocked = (ws / folder).resolve()
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if Path(path).resolve() == blocked:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run("fmt", "--check", "-w", ws)
    assert result.exit_code == 3, result.stdout + result.stderr
    assert f"{folder}: cannot list the folder {folder}/" in result.stderr and "left as it is" in result.stderr
    checked = run("check", ws, "--as-of", "2025-07-31", "--format", "json").json()
    assert any(f["rule"] == "file.unreadable" and folder in f["message"] for f in checked["findings"])
