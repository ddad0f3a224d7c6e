"""CI outputs (JUnit, SARIF, GitHub), baselines, hcode diff on real git repositories, hcode fmt."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import (
    CONFIG,
    EXAMPLE,
    ON_TIME,
    ROOT,
    case_yaml,
    copy_example,
    edit_keeping_size_and_time,
    fmt_check,
    full_assessment,
    git,
    make_ws,
    run,
)

SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())


@pytest.fixture
def example(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    copy_example(ws)
    return ws


def test_junit_parses_and_fails_per_rule_and_subject(example: Path) -> None:
    result = run("check", example, "--as-of", "2025-07-31", "--format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout)
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    names = {(c.get("classname"), c.get("name")) for c in failed}
    assert ("hcode.6.13", "C-2024-0019") in names
    assert ("hcode.respond", "C-2023-0005") in names  # late under the 2022 Code in force then
    assert int(suite.get("failures", "0")) == len(failed) == 13
    assert all(c.find("failure") is None for c in cases if c.get("classname") == "hcode.code.unconfirmed")


def test_junit_empty_workspace_has_one_passing_case(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"assessments/2024-25.yaml": full_assessment()})
    root = ET.fromstring(run("check", ws, "--as-of", "2025-07-31", "--format", "junit").stdout)
    cases = list(root.iter("testcase"))
    assert [(c.get("classname"), c.get("name")) for c in cases] == [("hcode", "workspace")]
    assert root.get("failures") == "0"


def test_junit_keeps_every_character_of_a_message() -> None:
    """Markup characters, quotes and line breaks in a finding come back exactly from the XML."""
    from datetime import date

    from hcode.core.model import Finding
    from hcode.render.reporters import to_junit

    message = "a <b> & \"c\" 'd'\nsecond line]]>"
    findings = [
        Finding("dates.order", "error", "C-<1>", message, file="cases/a&b.yaml", line=3, column=2),
        Finding("dates.order", "warning", "C-<1>", "and a warning", file="cases/a&b.yaml", line=9),
        Finding("case.id", "info", "C-2", "a note", file="cases/c.yaml"),
    ]
    root = ET.fromstring(to_junit(findings, fail_on="error", as_of=date(2025, 7, 31)))
    assert root.tag == "testsuites" and root.get("tests") == "2" and root.get("failures") == "1"
    [suite] = root.findall("testsuite")
    assert suite.get("timestamp") == "2025-07-31T00:00:00" and suite.get("errors") == suite.get("skipped") == "0"
    failing, passing = suite.findall("testcase")
    assert (failing.get("classname"), failing.get("name"), failing.get("file")) == (
        "hcode.dates.order",
        "C-<1>",
        "cases/a&b.yaml",
    )
    failure = failing.find("failure")
    assert failure is not None and failure.get("message") == message and failure.get("type") == "error"
    assert failure.text == f"cases/a&b.yaml:3:2: error: {message}\ncases/a&b.yaml:9:0: warning: and a warning"
    assert passing.find("failure") is None and passing.findtext("system-out") == "cases/c.yaml:0:0: info: a note"


def test_sarif_validates_against_the_schema(example: Path) -> None:
    result = run("check", example, "--as-of", "2025-07-31", "--format", "sarif")
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, SARIF_SCHEMA)
    run_ = doc["runs"][0]
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    assert rules["6.3"]["help"]["text"].startswith("Landlords must issue a full response to stage 1")
    assert rules["hoc-2022/5.1"]["help"]["text"].startswith("Landlords must respond to the complaint within 10")
    assert "hcode checks: The response is sent within" in rules["6.3"]["help"]["text"]
    result0 = run_["results"][0]
    assert result0["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(".yaml")
    levels = {r["level"] for r in run_["results"]}
    assert levels == {"error", "warning", "note"}


def test_github_annotations(example: Path) -> None:
    out = run("check", example, "--as-of", "2025-07-31", "--format", "github").stdout.splitlines()
    assert len(out) == 22
    line = next(x for x in out if "C-2024-0019" in x)
    assert line.startswith("::error file=cases/2024/C-2024-0019.yaml,line=")
    assert "title=hcode Code 6.13 (hoc-2024)::" in line
    text = run("check", example, "--as-of", "2025-07-31", env={"GITHUB_ACTIONS": "true"}).stdout
    assert "::error file=cases/2024/C-2024-0019.yaml" in text and "not compliant" in text
    quiet = run(
        "check",
        example,
        "--as-of",
        "2025-07-31",
        "--no-annotations",
        env={"GITHUB_ACTIONS": "true"},
    ).stdout
    assert "::error" not in quiet


def test_output_file_and_summary(example: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = run("check", example, "--as-of", "2025-07-31", "--format", "json", "--output", target)
    assert result.exit_code == 1
    assert "13 errors, 6 warnings, 3 info in 55 files" in result.stdout and str(target) in result.stdout
    assert json.loads(target.read_text())["summary"]["error"] == 13


def test_baseline_accepts_today_and_fails_on_new(example: Path) -> None:
    base = example / ".hcode-baseline.json"
    made = run("baseline", example, "--as-of", "2025-07-31", "--output", base)
    assert made.exit_code == 0 and base.exists()
    ok = run("check", example, "--as-of", "2025-07-31", "--baseline", base, "--format", "json")
    assert ok.exit_code == 0, ok.stdout
    doc = ok.json()
    assert doc["findings"] == [] and doc["baseline"] == {"accepted": 22, "stale": 0}
    assert "22 finding(s) accepted by the baseline" in ok.stderr
    # reformatting and moving lines keeps findings matched
    run("fmt", "--workspace", example)
    path = example / "cases/2024/C-2024-0012.yaml"
    path.write_text("# moved down\n\n\n" + path.read_text())
    assert run("check", example, "--as-of", "2025-07-31", "--baseline", base).exit_code == 0
    # a new breach fails
    new = case_yaml("2024-05-03", {**ON_TIME, "responded": "2024-05-22"}).replace("C-1", "C-2024-0999")
    (example / "cases/2024/C-2024-0999.yaml").write_text(new)
    failed = run("check", example, "--as-of", "2025-07-31", "--baseline", base, "--format", "json")
    assert failed.exit_code == 1
    assert [f["subject"] for f in failed.json()["findings"]] == ["C-2024-0999"]
    # a fixed finding becomes a stale entry
    (example / "cases/2024/C-2024-0019.yaml").unlink()
    stale = run("check", example, "--as-of", "2025-07-31", "--baseline", base, "--format", "json")
    assert stale.json()["baseline"]["stale"] == 1
    assert "baseline entry no longer occurs: cases/2024/C-2024-0019.yaml: 6.13" in stale.stderr


@pytest.mark.parametrize("content", ["not json", '{"hcode-baseline": 2}', '{"hcode-baseline": 1, "findings": [1]}'])
def test_bad_baseline_exits_3(example: Path, content: str) -> None:
    bad = example / "bad.json"
    bad.write_text(content)
    assert run("check", example, "--baseline", bad).exit_code == 3


# -- hcode diff on real repositories ------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    top = tmp_path / "repo"
    ws = top / "landlord"
    copy_example(ws)
    git(top, "init", "-q", "-b", "main")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "start")
    git(top, "checkout", "-q", "-b", "change")
    return ws


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_diff_reports_yes_to_no_first_and_history_rewrites(repo: Path) -> None:
    top = repo.parent
    assessment = repo / "assessments/2024-25.yaml"
    edit(assessment, "  6.13:\n    comply: yes", "  6.13:\n    comply: no")
    edit(
        assessment,
        "      - Stage 2 review procedure\n",
        "      - Stage 2 review procedure\n      - Panel minutes\n",
    )
    edit(repo / "cases/2024/C-2024-0012.yaml", "responded: 2024-07-29", "responded: 2024-07-24")
    (repo / "cases/2024/C-2024-0001.yaml").unlink()
    (repo / "cases/2025/C-2025-0100.yaml").write_text(case_yaml("2025-07-01").replace("C-1", "C-2025-0100"))
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "edit")
    before = {p: p.read_bytes() for p in top.rglob("*") if p.is_file() and ".git" not in p.parts}
    head_before = git(top, "rev-parse", "HEAD")
    result = run("diff", "main", "HEAD", "--workspace", repo, "--format", "json")
    assert result.exit_code == 0, result.stderr
    changes = result.json()["changes"]
    assert changes[0]["kind"] == "comply" and changes[0]["subject"] == "6.13"
    assert changes[0]["before"] == "yes" and changes[0]["after"] == "no"
    messages = [c["message"] for c in changes]
    assert "C-2024-0012: stage1.responded changed 2024-07-29 -> 2024-07-24 after it was recorded" in messages
    assert "C-2024-0001 removed" in messages and "C-2025-0100 added" in messages
    assert "6.20: evidence added: Panel minutes" in messages
    alerts = [c["kind"] for c in changes if c["severity"] == "alert"]
    assert alerts[:2] == ["comply", "history"]
    # read-only: nothing checked out, committed or changed
    assert git(top, "rev-parse", "HEAD") == head_before
    assert {p: p.read_bytes() for p in top.rglob("*") if p.is_file() and ".git" not in p.parts} == before
    md = run("diff", "main", "HEAD", "--workspace", repo, "--format", "md").stdout
    assert md.startswith("## hcode: changes since") and "### Needs a second look" in md
    assert "**6.13: comply yes -> no**" in md


def test_diff_defaults_to_merge_base_and_working_tree(repo: Path) -> None:
    edit(repo / "assessments/2024-25.yaml", "  9.8:\n    comply: no", "  9.8:\n    comply: yes")
    (repo / "cases/2025/C-2025-0101.yaml").write_text(case_yaml("2025-07-02").replace("C-1", "C-2025-0101"))
    text = run("diff", "--workspace", repo).stdout
    assert "9.8: comply no -> yes" in text and "C-2025-0101 added" in text


def test_diff_reports_notes_and_the_assessments_own_actions(repo: Path) -> None:
    path = repo / "assessments/2024-25.yaml"
    path.write_text(
        path.read_text()
        + "notes:\n  1: Old text.\n  2: Dropped.\nactions:\n"
        + "  - action: Share the inbox\n    provisions: [6.2, 6.10]\n    owner: Manager\n    due: 2025-09-30\n"
        + "  - action: Old action\n    owner: Manager\n    due: tbc\n"
    )
    git(repo.parent, "add", "-A")
    git(repo.parent, "commit", "-q", "-m", "notes")
    text = path.read_text()
    text = text.replace("  1: Old text.\n  2: Dropped.\n", "  1: New text.\n  3: Added.\n")
    text = text.replace(
        "  owner: Manager\n    due: 2025-09-30\n", "  owner: Manager\n    due: 2025-09-30\n    done: Complete\n"
    )
    text = text.replace("  - action: Old action\n    owner: Manager\n    due: tbc\n", "")
    path.write_text(text)
    doc = run("diff", "HEAD", "--workspace", repo, "--format", "json").json()
    assert doc["unreadable"] == []
    found = {(c["kind"], c["subject"], c["message"], c["severity"]) for c in doc["changes"]}
    assert found == {
        ("note", "note 1", "note 1 changed", "info"),
        ("note", "note 3", "note 3 added", "info"),
        ("note", "note 2", "note 2 removed", "alert"),
        ("action", "action plan", "action plan: action completed Complete: Share the inbox (for 6.2, 6.10)", "info"),
        ("action", "action plan", "action plan: action removed: Old action", "alert"),
    }


def test_diff_reads_a_case_file_with_an_upper_case_extension(repo: Path) -> None:
    """``hcode diff`` compares the files every other command reads: C-2024-0001.YAML too."""
    git(repo.parent, "mv", "landlord/cases/2024/C-2024-0001.yaml", "landlord/cases/2024/C-2024-0001.YAML")
    git(repo.parent, "commit", "-q", "-m", "upper case")
    path = repo / "cases/2024/C-2024-0001.YAML"
    path.write_text(path.read_text().replace("  outcome: not-upheld\n", "  outcome: upheld\n", 1))
    doc = run("diff", "HEAD", "--workspace", repo, "--format", "json").json()
    assert doc["unreadable"] == []
    assert [c for c in doc["changes"] if "C-2024-0001" in json.dumps(c)], doc["changes"]


def test_diff_catalogue_text_change(repo: Path) -> None:
    (repo / "provisions").mkdir()
    from hcode.store.workspace import packaged_code_text

    catalogue = packaged_code_text("hoc-2024")
    assert catalogue is not None
    (repo / "provisions/hoc-2024.yaml").write_text(catalogue)
    git(repo.parent, "add", "-A")
    git(repo.parent, "commit", "-q", "-m", "own catalogue")
    edit(
        repo / "provisions/hoc-2024.yaml",
        "within 10 working days of the complaint being acknowledged",
        "within 15 working days of the complaint being acknowledged",
    )
    changes = run("diff", "HEAD", "--workspace", repo, "--format", "json").json()["changes"]
    assert [(c["kind"], c["subject"]) for c in changes] == [("requirement", "6.3")]


def test_diff_outside_git_exits_3(tmp_path: Path) -> None:
    ws = make_ws(tmp_path / "plain")
    result = run("diff", "--workspace", ws)
    assert result.exit_code == 3 and "git" in result.stderr


# -- hcode fmt ---------------------------------------------------------------------------------

MESSY = """\
# Case notes: keep this comment
learning: Call back the same day.   # and this one
received: '2024-05-03'
kind: complaint
x-crm-ref: 4711
id: C-1
stage1:
  outcome: upheld
  responded: 2024-05-21
  handler: H-1   # staff ref
  acknowledged: 2024-05-07
  definition: Leak
category: repairs
remedy:
  actions:
  - {action: Fix roof, due: 2024-06-01}
"""


def test_fmt_orders_keys_keeps_comments_and_is_idempotent(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/C-1.yaml": MESSY})
    path = ws / "cases/C-1.yaml"
    assert run("fmt", "--check", "--workspace", ws).exit_code == 1
    assert path.read_text() == MESSY  # --check writes nothing
    result = run("fmt", "--workspace", ws)
    assert result.exit_code == 0 and "reformatted: cases/C-1.yaml" in result.stdout
    first = path.read_text()
    assert first.splitlines()[:6] == [
        "# Case notes: keep this comment",
        "id: C-1",
        "kind: complaint",
        "received: 2024-05-03",
        "category: repairs",
        "stage1:",
    ]
    for comment in ("# Case notes: keep this comment", "# and this one", "# staff ref"):
        assert comment in first
    assert "x-crm-ref: 4711" in first
    assert "  acknowledged: 2024-05-07\n  definition: Leak\n  handler: H-1" in first
    mtime = path.stat().st_mtime_ns
    again = run("fmt", "--workspace", ws)
    assert "0 file(s) reformatted" in again.stdout and path.read_text() == first
    assert path.stat().st_mtime_ns == mtime  # unchanged files are not written
    assert run("fmt", "--check", "--workspace", ws).exit_code == 0


def test_fmt_sorts_provisions_and_keeps_keys_as_written(tmp_path: Path) -> None:
    text = (
        "year: 2024-25\ncode: hoc-2024\nprovisions:\n  6.10:\n    comply: no\n  6.2:\n    comply: yes\n"
        "  6.1:  # first of section 6\n    comply: Yes\n  1.2:\n    evidence: [x]\n    comply: yes\n"
    )
    ws = make_ws(tmp_path, {"assessments/2024-25.yaml": text})
    run("fmt", "--workspace", ws)
    out = (ws / "assessments/2024-25.yaml").read_text()
    keys = [line.strip() for line in out.splitlines() if line.startswith("  ") and not line.startswith("   ")]
    assert keys == ["1.2:", "6.1:  # first of section 6", "6.2:", "6.10:"]
    assert out.startswith("code: hoc-2024\nyear: 2024-25\n")
    assert "comply: Yes" in out and "    comply: yes\n    evidence: [x]" in out
    assert yaml.safe_load(out) is not None


def test_fmt_leaves_unreadable_files_alone(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/C-1.yaml": "id: [\n"})
    result = run("fmt", "--workspace", ws)
    assert result.exit_code == 3 and "cases/C-1.yaml:" in result.stderr
    assert (ws / "cases/C-1.yaml").read_text() == "id: [\n"


def test_fmt_with_file_paths_finds_the_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_ws(tmp_path / "repo" / "landlord", {"cases/C-1.yaml": MESSY})
    monkeypatch.chdir(tmp_path / "repo")
    result = run("fmt", "landlord/cases/C-1.yaml")
    assert result.exit_code == 0 and "reformatted: cases/C-1.yaml" in result.stdout


def test_example_workspace_is_in_canonical_layout() -> None:
    assert run("fmt", "--check", "--workspace", EXAMPLE).exit_code == 0


def test_pre_commit_hooks_file() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in hooks} == {"hcode-check", "hcode-fmt"}
    assert all(h["language"] == "python" and h["entry"].startswith("hcode ") for h in hooks)


def test_fmt_obeys_the_readers_size_limit(tmp_path: Path) -> None:
    """A file over limits.max_file_bytes is refused quickly, as check refuses it, and left alone."""
    import time

    ws = make_ws(tmp_path / "ws", config=CONFIG + "limits:\n  max_file_bytes: 2000\n")
    big = "id: C-1\nkind: complaint\nreceived: 2024-05-03\ncategory: repairs\n" + "".join(
        f"x-note-{i}: some text of the landlord's own\n" for i in range(200_000)
    )
    path = ws / "cases" / "C-1.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(big)
    start = time.perf_counter()
    result = run("fmt", "--check", "--workspace", ws)
    assert time.perf_counter() - start < 5
    assert result.exit_code == 3
    assert "cases/C-1.yaml" in result.stderr and "over the limit of 2,000 bytes" in result.stderr
    assert path.read_text() == big
    checked = run("check", ws, "--format", "json", "--no-cache").json()
    assert any("over the limit of 2,000 bytes" in f["message"] for f in checked["findings"])


def test_fmt_check_is_the_same_with_the_cache_any_workers_and_an_edit_that_keeps_size_and_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hcode.edit.fmt

    monkeypatch.setattr(hcode.edit.fmt, "PARALLEL_FROM", 5)
    ws = copy_example(tmp_path / "ws")

    expected = fmt_check(ws, "--no-cache", "--workers", "1")
    assert expected[0] == 0
    for workers in ("2", "3"):
        assert fmt_check(ws, "--no-cache", "--workers", workers) == expected
    assert fmt_check(ws) == expected  # fills the cache
    assert (ws / ".hcode-cache" / "fmt.json").exists()
    assert fmt_check(ws, "--workers", "2") == expected
    # keys out of order, same size and modification time: still found
    edit_keeping_size_and_time(
        ws / "cases" / "2024" / "C-2024-0001.yaml",
        "kind: complaint\nreceived: 2024-01-15\n",
        "received: 2024-01-15\nkind: complaint\n",
    )
    code, out, _ = fmt_check(ws)
    assert code == 1 and "would change: cases/2024/C-2024-0001.yaml" in out
    assert fmt_check(ws, "--no-cache") == (code, out, "")


# -- hcode diff: deadline rules (timescales) and mappings between editions ----------------------


def own_copy(repo: Path, rel: str) -> Path:
    """Commit the workspace's own copy of a file hcode ships (a catalogue or a mapping)."""
    from hcode.review.gitdiff import shipped_text

    text = shipped_text(rel)
    assert text is not None, rel
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    git(repo.parent, "add", "-A")
    git(repo.parent, "commit", "-q", "-m", f"own {rel}")
    return path


def test_diff_timescale_changes_come_first_with_old_and_new_values_and_units(repo: Path) -> None:
    path = own_copy(repo, "provisions/hoc-2024.yaml")
    edit(
        path,
        "    event: respond\n    from: acknowledged\n    working_days: 10\n",
        "    event: respond\n    from: received\n    working_days: 15\n",
    )
    edit(
        path,
        '  - provision: "6.11"\n    stage: 2\n    event: acknowledge\n    from: requested\n    working_days: 5\n',
        '  - provision: "6.11"\n    stage: 2\n    event: acknowledge\n    from: requested\n    days: 5\n',
    )
    edit(path, "    max_working_days: 20\n", "    max_working_days: 25\n")
    edit(
        path,
        '    quote: "within 20 working days of the complaint being acknowledged"\n    confirmed: true\n',
        '    quote: "within twenty working days"\n    confirmed: false\n',
    )
    edit(repo / "assessments/2024-25.yaml", "  6.13:\n    comply: yes", "  6.13:\n    comply: no")
    doc = run("diff", "HEAD", "--workspace", repo, "--format", "json").json()
    assert doc["unreadable"] == [] and doc["problems"] == []
    found = [(c["kind"], c["severity"], c["subject"], c["message"], c["before"], c["after"]) for c in doc["changes"]]
    deadline = [
        (
            "timescale",
            "alert",
            "stage 1 respond",
            "stage 1 respond (6.3): 10 working days -> 15 working days",
            "10 working days",
            "15 working days",
        ),
        (
            "timescale",
            "alert",
            "stage 1 respond",
            "stage 1 respond (6.3): counted from acknowledged -> received",
            "acknowledged",
            "received",
        ),
        (
            "timescale",
            "alert",
            "stage 2 acknowledge",
            "stage 2 acknowledge (6.11): 5 working days -> 5 calendar days",
            "5 working days",
            "5 calendar days",
        ),
        (
            "timescale",
            "alert",
            "stage 2 extension",
            "stage 2 extension (6.15): up to a further 20 working days -> up to a further 25 working days",
            "up to a further 20 working days",
            "up to a further 25 working days",
        ),
    ]
    assert found[:4] == deadline  # before every other alert, in the order of the Code's clocks
    assert found[4][0] == "comply"
    assert (
        "timescale-source",
        "info",
        "stage 2 respond",
        "stage 2 respond (6.14): confirmed from the Code's text yes -> no",
        True,
        False,
    ) in found
    assert (
        "timescale-source",
        "info",
        "stage 2 respond",
        "stage 2 respond (6.14): quote changed",
        "within 20 working days of the complaint being acknowledged",
        "within twenty working days",
    ) in found
    assert len(found) == 7, found  # nothing else: the requirement text is unchanged

    text = run("diff", "HEAD", "--workspace", repo).stdout.splitlines()
    assert text[1] == "  Deadline rules changed (every due date hcode works out from them moves):"
    assert text[2] == "  ! provisions/hoc-2024.yaml: stage 1 respond (6.3): 10 working days -> 15 working days"
    assert text[6] == "" and text[7] == "  ! assessments/2024-25.yaml: 6.13: comply yes -> no"
    assert "    provisions/hoc-2024.yaml: stage 2 respond (6.14): quote changed" in text

    md = run("diff", "HEAD", "--workspace", repo, "--format", "md").stdout
    heading = "### Deadline rules changed: every due date hcode works out from them moves"
    assert md.index(heading) < md.index("### Needs a second look") < md.index("### Other changes")
    assert (
        "| provisions/hoc-2024.yaml | stage 1 respond | **stage 1 respond (6.3): 10 working days -> 15 working days** |"
        in md
    )
    # the example in docs/ci.md is this change, committed on a branch
    git(repo.parent, "commit", "-q", "-am", "deadlines")
    docs = (ROOT / "docs/ci.md").read_text()
    example = docs[docs.index("```text\n$ hcode diff main HEAD\n") :].split("\n", 2)[2].split("```")[0]
    assert run("diff", "main", "HEAD", "--workspace", repo).stdout == example
    second_look = md[md.index("### Needs a second look") :]
    second_look = second_look.split("### Other changes")[0]
    assert "6.13: comply yes -> no" in second_look and "stage " not in second_look  # listed once, above


def test_diff_timescale_added_and_removed_and_one_written_on_a_provision(repo: Path) -> None:
    path = own_copy(repo, "provisions/hoc-2024.yaml")
    text = path.read_text()
    extension = text[text.index('  - provision: "6.4"\n') : text.index('  - provision: "6.11"\n')]
    path.write_text(
        text.replace(extension, "").replace(
            '        group: Stage 1\n      - id: "6.4"',
            '        group: Stage 1\n        timescale: {stage: 1, event: extension, max_days: 14}\n      - id: "6.4"',
        )
    )
    changes = run("diff", "HEAD", "--workspace", repo, "--format", "json").json()["changes"]
    assert [(c["kind"], c["severity"], c["message"]) for c in changes] == [
        (
            "timescale",
            "alert",
            "stage 1 extension (6.3): up to a further 10 working days -> up to a further 14 calendar days",
        ),
        ("timescale-source", "info", "stage 1 extension (6.3): provision 6.4 -> 6.3"),
        ("timescale-source", "info", "stage 1 extension (6.3): quote removed"),
        ("timescale-source", "info", "stage 1 extension (6.3): source removed"),
    ]

    git(repo.parent, "add", "-A")
    git(repo.parent, "commit", "-q", "-m", "extension on 6.3")
    text = path.read_text()
    stage2 = text[text.index('  - provision: "6.14"\n') : text.index('  - provision: "6.15"\n')]
    path.write_text(text.replace(stage2, ""))
    path.write_text(path.read_text() + "  - {stage: 3, event: respond, from: requested, working_days: 1}\n")
    changes = run("diff", "HEAD", "--workspace", repo, "--format", "json").json()["changes"]
    assert [(c["kind"], c["severity"], c["subject"], c["message"], c["before"], c["after"]) for c in changes] == [
        (
            "timescale",
            "alert",
            "stage 2 respond",
            "stage 2 respond (6.14): timescale removed (was 20 working days from acknowledged)",
            "20 working days from acknowledged",
            None,
        ),
        (
            "timescale",
            "alert",
            "stage 3 respond",
            "stage 3 respond: timescale added: 1 working day from requested",
            None,
            "1 working day from requested",
        ),
    ]


def test_diff_own_catalogue_added_or_removed_is_compared_with_the_one_hcode_ships(repo: Path) -> None:
    from hcode.review.gitdiff import shipped_text

    path = repo / "provisions/hoc-2024.yaml"
    path.parent.mkdir()
    path.write_text(
        str(shipped_text("provisions/hoc-2024.yaml")).replace("    working_days: 20\n", "    working_days: 30\n")
    )
    changes = run("diff", "HEAD", "--workspace", repo, "--format", "json").json()["changes"]
    assert [(c["kind"], c["severity"], c["message"]) for c in changes] == [
        ("timescale", "alert", "stage 2 respond (6.14): 20 working days -> 30 working days"),
        ("catalogue", "info", "hoc-2024: the workspace's own catalogue added: it replaces the one hcode ships"),
    ]
    git(repo.parent, "add", "-A")
    git(repo.parent, "commit", "-q", "-m", "own catalogue")
    path.unlink()
    changes = run("diff", "HEAD", "--workspace", repo, "--format", "json").json()["changes"]
    assert [(c["kind"], c["severity"], c["message"]) for c in changes] == [
        ("timescale", "alert", "stage 2 respond (6.14): 30 working days -> 20 working days"),
        ("catalogue", "alert", "hoc-2024: the workspace's own catalogue removed: hcode uses the one it ships"),
    ]


def test_diff_a_new_edition_lists_its_clocks_and_an_unchanged_catalogue_gives_no_entry(repo: Path) -> None:
    from hcode.review.gitdiff import shipped_text

    path = repo / "provisions/hoc-2030.yaml"
    path.parent.mkdir()
    path.write_text(str(shipped_text("provisions/hoc-2024.yaml")).replace("code: hoc-2024", "code: hoc-2030"))
    changes = run("diff", "HEAD", "--workspace", repo, "--format", "json").json()["changes"]
    clocks = [c["message"] for c in changes if c["kind"] == "timescale"]
    assert clocks == [
        "stage 1 acknowledge (6.2): timescale added: 5 working days from received",
        "stage 1 respond (6.3): timescale added: 10 working days from acknowledged",
        "stage 1 extension (6.4): timescale added: up to a further 10 working days",
        "stage 2 acknowledge (6.11): timescale added: 5 working days from requested",
        "stage 2 respond (6.14): timescale added: 20 working days from acknowledged",
        "stage 2 extension (6.15): timescale added: up to a further 20 working days",
    ]
    git(repo.parent, "add", "-A")
    git(repo.parent, "commit", "-q", "-m", "2030")
    # git sees a change (a comment, a key moved), hcode none: no entry, and nothing unreadable
    edit(path, "code: hoc-2030\n", "# reviewed by the board\ncode: hoc-2030\n")
    edit(path, "    working_days: 5\n    source:", "    source:")
    edit(
        path,
        '    quote: "within five working days of the complaint being received"\n',
        '    quote: "within five working days of the complaint being received"\n    working_days: 5\n',
    )
    assert git(repo.parent, "status", "--porcelain").strip() == "M landlord/provisions/hoc-2030.yaml"
    for fmt, empty in (
        ("text", "  none to the self-assessment, cases or Code"),
        ("md", "No changes to the self-assessment, cases or Code."),
    ):
        assert empty in run("diff", "HEAD", "--workspace", repo, "--format", fmt).stdout
    doc = run("diff", "HEAD", "--workspace", repo, "--format", "json").json()
    assert doc["changes"] == [] and doc["unreadable"] == [] and doc["problems"] == []


def test_diff_mapping_rows_added_removed_and_redirected(repo: Path) -> None:
    path = own_copy(repo, "provisions/mappings/hoc-2022-hoc-2024.yaml")
    edit(path, '  - {from: "1.2", to: "1.2"}\n', "")
    edit(path, '  - {from: "5.5", to: "6.6"}\n', '  - {from: "5.5", to: "6.7"}\n')
    edit(
        path,
        '  - {from: "6.1", to: "7.1"}\n',
        '  - {from: "6.1", to: "7.1", unconfirmed: "the remedy wording moved"}\n',
    )
    edit(path, '  - {from: "5.11", to: null, unconfirmed:', '  - {from: "5.11", to: "6.10", unconfirmed:')
    path.write_text(path.read_text() + '  - {from: "9.9", to: null}\n')
    doc = run("diff", "HEAD", "--workspace", repo, "--format", "json").json()
    found = [(c["kind"], c["severity"], c["subject"], c["message"]) for c in doc["changes"]]
    rel = "provisions/mappings/hoc-2022-hoc-2024.yaml"
    assert {c["file"] for c in doc["changes"]} == {rel}
    assert found == [  # alerts first, each in the order of the earlier edition's provisions
        ("mapping", "alert", "hoc-2022 1.2", "hoc-2022 1.2: mapping removed (led to hoc-2024 1.2)"),
        ("mapping", "alert", "hoc-2022 5.5", "hoc-2022 5.5: leads to hoc-2024 6.6 -> hoc-2024 6.7"),
        ("mapping", "alert", "hoc-2022 5.11", "hoc-2022 5.11: leads to no hoc-2024 provision -> hoc-2024 6.10"),
        ("mapping", "info", "hoc-2022 6.1", "hoc-2022 6.1 -> hoc-2024 7.1: now marked unconfirmed (hcode's reading)"),
        ("mapping", "info", "hoc-2022 9.9", "hoc-2022 9.9: mapping added: leads to no hoc-2024 provision"),
    ]
    redirected = doc["changes"][1]
    assert redirected["before"] == ["6.6"] and redirected["after"] == ["6.7"]
    assert doc["changes"][0]["before"] == ["1.2"] and doc["changes"][4]["after"] == [None]
    text = run("diff", "HEAD", "--workspace", repo).stdout
    assert f"  ! {rel}: hoc-2022 5.5: leads to hoc-2024 6.6 -> hoc-2024 6.7\n" in text
    assert "Deadline rules changed" not in text
    md = run("diff", "HEAD", "--workspace", repo, "--format", "md").stdout
    assert "| hoc-2022 5.5 | **hoc-2022 5.5: leads to hoc-2024 6.6 -> hoc-2024 6.7** |" in md
    assert "| hoc-2022 9.9 | hoc-2022 9.9: mapping added: leads to no hoc-2024 provision |" in md


def test_diff_names_a_file_it_cannot_read_in_either_revision(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = repo.parent
    path = own_copy(repo, "provisions/hoc-2024.yaml")
    path.write_text(path.read_text().replace("timescales:\n", "timescales:\n  - [unclosed\n"))
    git(top, "commit", "-q", "-am", "broken")
    edit(path, "  - [unclosed\n", "")  # readable now, not in HEAD
    case = repo / "cases/2024/C-2024-0012.yaml"
    case.write_text("- a list\n- not a case\n")  # readable in HEAD, not now
    result = run("diff", "HEAD", "--workspace", repo, "--format", "json")
    assert result.exit_code == 0  # as docs/ci.md says: listed, not a failure of the diff
    doc = result.json()
    assert doc["changes"] == []
    assert doc["unreadable"] == ["cases/2024/C-2024-0012.yaml", "provisions/hoc-2024.yaml"]
    problems = {(p["file"], p["revision"]): p["message"] for p in doc["problems"]}
    assert set(problems) == {("cases/2024/C-2024-0012.yaml", "working tree"), ("provisions/hoc-2024.yaml", "HEAD")}
    assert "a list" in problems[("cases/2024/C-2024-0012.yaml", "working tree")]
    assert problems[("provisions/hoc-2024.yaml", "HEAD")].startswith("line ")
    text = run("diff", "HEAD", "--workspace", repo).stdout
    assert "  ? provisions/hoc-2024.yaml: cannot be read at HEAD: line " in text
    assert "  ? cases/2024/C-2024-0012.yaml: cannot be read in the working tree: " in text
    md = run("diff", "HEAD", "--workspace", repo, "--format", "md").stdout
    assert "### Files hcode could not read" in md and "- provisions/hoc-2024.yaml at HEAD: line " in md

    # a file the work tree has but will not give up is not taken for a deleted one
    git(top, "checkout", "-q", "--", ".")
    edit(path, "    working_days: 20\n", "    working_days: 21\n")
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "hoc-2024.yaml" and "provisions" in self.parts:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    doc = run("diff", "HEAD", "--workspace", repo, "--format", "json").json()
    assert doc["changes"] == []
    assert doc["problems"] == [
        {
            "file": "provisions/hoc-2024.yaml",
            "revision": "working tree",
            "message": "cannot read the file: Permission denied",
        }
    ]


def test_diff_names_a_file_git_cannot_show(repo: Path) -> None:
    top = repo.parent
    path = own_copy(repo, "provisions/hoc-2024.yaml")
    blob = git(top, "rev-parse", "HEAD:landlord/provisions/hoc-2024.yaml").strip()
    edit(path, "    working_days: 20\n", "    working_days: 21\n")
    git(top, "commit", "-q", "-am", "21 days")
    (top / ".git/objects" / blob[:2] / blob[2:]).unlink()  # a damaged repository
    doc = run("diff", "HEAD~1", "HEAD", "--workspace", repo, "--format", "json").json()
    assert doc["changes"] == [] and doc["unreadable"] == ["provisions/hoc-2024.yaml"]
    assert doc["problems"] == [
        {"file": "provisions/hoc-2024.yaml", "revision": "HEAD~1", "message": "git cannot show the file (run git fsck)"}
    ]


def test_diff_settings_that_move_due_dates_are_deadline_rules(repo: Path) -> None:
    path = repo / "hcode.yaml"
    edit(path, "code: auto ", "code: hoc-2022 ")
    edit(
        path,
        "closures: [2024-12-27, 2024-12-30, 2024-12-31]",
        "closures: [2024-12-27, 2024-12-31, 2025-12-29]\n  receipt: next-working-day",
    )
    edit(path, "homes: 640 ", "homes: 650 ")
    doc = run("diff", "HEAD", "--workspace", repo, "--format", "json").json()
    found = [(c["kind"], c["severity"], c["subject"], c["message"], c["before"], c["after"]) for c in doc["changes"]]
    assert found == [
        ("calendar", "alert", "code", "Code edition that judges complaints: auto -> hoc-2022", "auto", "hoc-2022"),
        (
            "calendar",
            "alert",
            "calendar",
            "a complaint received on a non-working day counts from day-zero -> next-working-day",
            "day-zero",
            "next-working-day",
        ),
        ("calendar", "alert", "calendar", "closure day added: 2025-12-29", None, "2025-12-29"),
        ("calendar", "alert", "calendar", "closure day removed: 2024-12-30", "2024-12-30", None),
        ("settings", "info", "homes", "workspace settings: homes 640 -> 650", 640, 650),
    ]
    text = run("diff", "HEAD", "--workspace", repo).stdout
    assert text.splitlines()[1:3] == [
        "  Deadline rules changed (every due date hcode works out from them moves):",
        "  ! hcode.yaml: Code edition that judges complaints: auto -> hoc-2022",
    ]
    # a setting written out as the value it already had moves nothing
    git(repo.parent, "checkout", "-q", "--", ".")
    edit(path, "  division: england-and-wales\n", "  division: england-and-wales\n  receipt: day-zero\n")
    assert run("diff", "HEAD", "--workspace", repo, "--format", "json").json()["changes"] == []


@pytest.mark.parametrize(
    "written",
    [
        "soon: 2\n",
        "limits: {max_file_bytes: 4194304}\n",
        "limits: {}\n",
        "cases:\n  id_pattern: C-{year}-{seq:04d}\n",
    ],
)
def test_diff_any_setting_written_out_with_its_default_gives_no_entry(repo: Path, written: str) -> None:
    path = repo / "hcode.yaml"
    path.write_text(path.read_text() + written)
    assert run("diff", "HEAD", "--workspace", repo, "--format", "json").json()["changes"] == []


def test_the_defaults_diff_compares_with_are_the_ones_hcode_reads_with() -> None:
    from hcode.core.model import Settings
    from hcode.store.convert import SETTING_DEFAULTS, to_settings, with_defaults

    assert to_settings({"landlord": "L"}) == Settings(landlord="L")
    full = with_defaults({"landlord": "L", "limits": None})
    assert to_settings(full) == Settings(landlord="L")
    assert full["limits"] == {"max_file_bytes": SETTING_DEFAULTS[("limits", "max_file_bytes")]}


def test_diff_a_setting_changed_from_its_default_shows_the_default_it_had(repo: Path) -> None:
    path = repo / "hcode.yaml"
    path.write_text(path.read_text() + "soon: 5\nlimits: {max_file_bytes: 4194304}\n")
    changes = run("diff", "HEAD", "--workspace", repo, "--format", "json").json()["changes"]
    assert [(c["subject"], c["message"], c["before"], c["after"]) for c in changes] == [
        ("soon", "workspace settings: soon 2 -> 5", 2, 5)
    ]


def test_diff_catalogue_in_force_date_is_a_deadline_rule_and_other_fields_are_named(repo: Path) -> None:
    path = own_copy(repo, "provisions/hoc-2024.yaml")
    edit(path, "effective: 2024-04-01\n", "effective: 2024-05-01\n")
    edit(path, '    title: "Definition of a complaint"\n', '    title: "What a complaint is"\n')
    edit(
        path,
        "procedure within five working days of the complaint being received.\n        group: Stage 1\n",
        "procedure within five working days of the complaint being received.\n        group: First stage\n        assessed: false\n",
    )
    edit(path, "attribution: Housing Ombudsman Service", "attribution: The Housing Ombudsman Service")
    changes = run("diff", "HEAD", "--workspace", repo, "--format", "json").json()["changes"]
    assert [(c["kind"], c["severity"], c["subject"], c["message"]) for c in changes] == [
        ("timescale", "alert", "hoc-2024", "hoc-2024: in force from 2024-04-01 -> 2024-05-01"),
        (
            "catalogue",
            "info",
            "hoc-2024",
            "hoc-2024: attribution Housing Ombudsman Service, Complaint ... -> The Housing Ombudsman Service, Compla...",
        ),
        ("catalogue", "info", "section 1", "section 1: title Definition of a complaint -> What a complaint is"),
        ("catalogue", "info", "6.2", "6.2: group Stage 1 -> First stage"),
        ("catalogue", "info", "6.2", "6.2: assessed added: false"),
    ]
    assert changes[0]["before"] == "2024-04-01" and changes[0]["after"] == "2024-05-01"
    assert (changes[3]["before"], changes[3]["after"]) == ("Stage 1", "First stage")
    assert (changes[4]["before"], changes[4]["after"]) == (None, False)
    assert "Deadline rules changed" in run("diff", "HEAD", "--workspace", repo).stdout


def test_diff_a_file_hcode_does_not_read_in_provisions_is_named_not_compared(repo: Path) -> None:
    from hcode.review.gitdiff import shipped_text

    (repo / "provisions/drafts").mkdir(parents=True)
    text = str(shipped_text("provisions/hoc-2024.yaml"))
    (repo / "provisions/hoc-2024.yml").write_text(text.replace("    working_days: 20\n", "    working_days: 30\n"))
    (repo / "provisions/drafts/hoc-2024.yaml").write_text(text)
    changes = run("diff", "HEAD", "--workspace", repo, "--format", "json").json()["changes"]
    assert [(c["kind"], c["severity"], c["message"]) for c in changes] == [
        (
            "catalogue",
            "info",
            f"{rel}: not read by hcode (only provisions/NAME.yaml and provisions/mappings/NAME.yaml are)",
        )
        for rel in ("provisions/drafts/hoc-2024.yaml", "provisions/hoc-2024.yml")
    ]


def test_diff_a_broken_file_hcode_does_not_read_is_named_not_read_not_unreadable(repo: Path) -> None:
    top = repo.parent
    path = repo / "provisions/hoc-2025.yml"
    path.parent.mkdir(exist_ok=True)
    path.write_text("timescales:\n  - [unclosed\n")
    doc = run("diff", "HEAD", "--workspace", repo, "--format", "json").json()
    message = (
        "provisions/hoc-2025.yml: not read by hcode (only provisions/NAME.yaml and provisions/mappings/NAME.yaml are)"
    )
    assert [c["message"] for c in doc["changes"]] == [message]
    assert doc["problems"] == [] and doc["unreadable"] == []
    text = run("diff", "HEAD", "--workspace", repo).stdout
    assert "cannot be read" not in text and message in text
    # broken in both revisions: a change to its text is still named
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "draft")
    path.write_text("timescales:\n  - [still unclosed\n")
    doc = run("diff", "HEAD", "--workspace", repo, "--format", "json").json()
    assert [c["message"] for c in doc["changes"]] == [message] and doc["problems"] == []


def test_diff_keeps_the_files_own_order_within_a_kind(repo: Path) -> None:
    path = own_copy(repo, "provisions/hoc-2024.yaml")
    text = path.read_text()
    p610 = text[text.index('      - id: "6.10"\n') :].split("\n")[2]
    p62 = text[text.index('      - id: "6.2"\n') :].split("\n")[2]
    path.write_text(text.replace(p610, p610 + " Changed.").replace(p62, p62 + " Changed."))
    changes = run("diff", "HEAD", "--workspace", repo, "--format", "json").json()["changes"]
    assert [c["message"] for c in changes] == ["6.2: requirement text changed", "6.10: requirement text changed"]


def test_diff_never_prints_none_for_a_value_removed_or_not_given(repo: Path) -> None:
    top = repo.parent
    edit(repo / "assessments/2024-25.yaml", "completed: 2025-06-13\n", "")
    edit(repo / "cases/2024/C-2024-0012.yaml", "  outcome: upheld\n", "")
    with (repo / "assessments/2024-25.yaml").open("a") as handle:
        handle.write("actions:\n  - action: Review the policy\n    provisions: ['1.2']\n")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "edit")
    for fmt in ("text", "md"):
        result = run("diff", "main", "HEAD", "--workspace", repo, "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert "None" not in result.stdout, result.stdout
        assert "completed: removed (was 2025-06-13)" in result.stdout
        assert "C-2024-0012: stage1.outcome removed (was upheld)" in result.stdout
        assert "action added: Review the policy (for 1.2) (owner (none), due (none))" in result.stdout
