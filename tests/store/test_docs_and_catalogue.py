"""The shipped Code catalogue, and the examples in the docs (they must run)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from conftest import ROOT, copy_example, run
from hcode.store.workspace import load_code

CODE = load_code(None, "hoc-2024")


def test_every_provision_is_there() -> None:
    counts = {s.number: len(s.provisions) for s in CODE.sections}
    assert counts == {1: 6, 2: 5, 3: 7, 4: 3, 5: 15, 6: 20, 7: 4, 8: 5, 9: 8}
    assert len(CODE.provisions) == 73 and len(CODE.assessed) == 72
    assert not CODE.provisions["1.1"].assessed
    assert CODE.effective.isoformat() == "2024-04-01"


def test_rows_the_published_copy_got_wrong_are_right() -> None:
    assert CODE.provisions["3.1"].text.startswith("Landlords must make it easy for residents to complain")
    assert CODE.provisions["6.2"].text.startswith("Complaints must be acknowledged, defined and logged at stage 1")
    assert CODE.provisions["5.12"].text.startswith("A full record must be kept")


def test_texts_are_distinct_where_the_code_differs() -> None:
    texts: dict[str, list[str]] = {}
    for pid, p in CODE.provisions.items():
        texts.setdefault(p.text, []).append(pid)
    repeated = sorted(ids for ids in texts.values() if len(ids) > 1)
    # The Code itself repeats these stage 1 provisions word for word at stage 2.
    assert repeated == [["6.5", "6.16"], ["6.6", "6.17"], ["6.7", "6.18"]]


@pytest.mark.parametrize(
    ("stage", "event", "provision", "days"),
    [
        (1, "acknowledge", "6.2", 5),
        (1, "respond", "6.3", 10),
        (2, "acknowledge", "6.11", 5),
        (2, "respond", "6.14", 20),
    ],
)
def test_timescales_are_data(stage: int, event: str, provision: str, days: int) -> None:
    t = CODE.timescale(stage, event)
    assert t is not None and t.provision == provision and t.confirmed
    assert t.working_days == days
    text = CODE.provisions[provision].text
    assert str(days) in text or {5: "five"}[days] in text
    assert t.quote is not None and t.quote in text  # the quoted words are the provision's own


def test_extension_limits() -> None:
    assert CODE.timescale(1, "extension").max_working_days == 10  # type: ignore[union-attr]
    assert CODE.timescale(2, "extension").max_working_days == 20  # type: ignore[union-attr]


def test_every_rule_id_is_documented() -> None:
    doc = (ROOT / "docs" / "conventions.md").read_text()
    src = "\n".join(p.read_text() for p in (ROOT / "src" / "hcode").rglob("*.py"))
    slugs = set(re.findall(r'"((?:assessment|dates|case|code|file|privacy)\.[a-z-]+)"', src))
    slugs |= {"yaml", "schema"}
    missing = [s for s in sorted(slugs) if f"`{s}`" not in doc]
    assert missing == []


def console_examples() -> list[tuple[str, str, str]]:
    out = []
    for path in sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]:
        for block in re.findall(r"```console\n(.*?)```", path.read_text(), re.S):
            lines = block.splitlines()
            i = 0
            while i < len(lines):
                if lines[i].startswith("$ hcode "):
                    command = lines[i][2:]
                    expected = []
                    i += 1
                    while i < len(lines) and not lines[i].startswith("$ "):
                        expected.append(lines[i])
                        i += 1
                    out.append((path.name, command, "\n".join(expected)))
                else:
                    i += 1
    return out


#: The commands whose examples read a workspace: they run in a copy of the example workspace.
READS_A_WORKSPACE = ("hcode due", "hcode case list", "hcode check")


@pytest.fixture(scope="module")
def example_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the example workspace for the module's examples (they only read it)."""
    return copy_example(tmp_path_factory.mktemp("example"))


@pytest.mark.parametrize(("doc", "command", "expected"), console_examples())
def test_doc_examples_run(
    doc: str, command: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example_copy: Path
) -> None:
    monkeypatch.chdir(example_copy if command.startswith(READS_A_WORKSPACE) else tmp_path)
    result = run(*shlex.split(command)[1:])
    assert result.exit_code == 0
    assert result.stdout.strip() == expected.strip()


def test_there_are_doc_examples() -> None:
    assert len(console_examples()) >= 3
