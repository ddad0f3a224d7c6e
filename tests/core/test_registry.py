"""The rules registry: every rule declared once, documented, and shown by examples that run."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest

import hcode
from conftest import CONFIG, ROOT, copy_example, make_ws, run
from hcode.core.model import Code, Finding
from hcode.core.rules.registry import FAMILIES, RULES, find, lookup, rule
from hcode.core.rules.spec import Example, Rule
from hcode.render.rules import markdown_table
from hcode.store.workspace import load_code

CODE = load_code(None, "hoc-2024")


def test_every_rule_is_declared_once_and_documented() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    ids = [i for r in RULES for i in r.ids(CODE)]
    assert len(ids) == len(set(ids)), "two rules claim the same id"
    for r in RULES:
        assert r.docs, f"{r.name}: no bullet in the {r.family} module docstring"
        assert r.summary and r.severities
        assert set(r.severities) <= {"error", "warning", "info"}
        if r.no_examples:
            assert not r.passing and not r.failing
        else:
            assert r.passing and r.failing, f"{r.name} needs a passing and a failing example"


def test_provision_rules_take_their_ids_from_the_catalogue() -> None:
    assert rule("different-handler").ids(CODE) == ("6.13",)
    assert rule("acknowledge").ids(CODE) == ("6.2", "6.11")
    assert rule("extension-ombudsman-details").ids(CODE) == ("6.5", "6.16")
    assert rule("refusal-explained").ids(CODE) == ("2.4", "5.11")
    assert rule("annual-self-assessment").ids(CODE) == ("8.1",)
    assert rule("case.id").ids(CODE) == ("case.id",)
    assert rule("different-handler").ids(None) == ("different-handler",)
    assert lookup("6.16", CODE) is rule("extension-ombudsman-details")
    assert find(" 2.3 ", CODE) is rule("refusal-time-limit")
    assert find("no-such-rule", CODE) is None


@functools.cache
def _edition(name: str | None) -> Code:
    """The edition that judged a finding (hoc-2024 for findings of no edition)."""
    return load_code(None, name) if name else CODE


def _run_example(tmp_path: Path, e: Example) -> dict[str, list[Finding]]:
    """The findings the example's workspace gets, by the name of their rule."""
    ws = copy_example(tmp_path / "ws") if e.base == "example" else make_ws(tmp_path / "ws", config=CONFIG)
    files = dict(e.others)
    if e.file:
        files[e.file] = e.text
    for rel, text in files.items():
        path = ws / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    result = hcode.open_workspace(ws, use_cache=False).check(as_of=e.as_of)
    names: dict[str, list[Finding]] = {}
    for f in result.findings:
        found = lookup(f.rule, _edition(f.edition))
        assert found is not None, f"finding with an unregistered rule id: {f.rule}: {f.message}"
        names.setdefault(found.name, []).append(f)
    return names


EXAMPLES = [(r, "passing", i, e) for r in RULES for i, e in enumerate(r.passing)] + [
    (r, "failing", i, e) for r in RULES for i, e in enumerate(r.failing)
]


@pytest.mark.parametrize(("r", "kind", "i", "e"), EXAMPLES, ids=[f"{r.name}-{k}-{i}" for r, k, i, _ in EXAMPLES])
def test_examples(tmp_path: Path, r: Rule, kind: str, i: int, e: Example) -> None:
    found = _run_example(tmp_path, e)
    if kind == "failing":
        assert r.name in found, f"{r.name}'s failing example gives no {r.name} finding"
        # a rule never reports a severity it does not declare
        assert {f.severity for f in found[r.name]} <= set(r.severities)
    else:
        assert r.name not in found, f"{r.name}'s passing example gives a {r.name} finding"


def test_every_finding_on_the_example_workspace_is_registered(tmp_path: Path) -> None:
    result = hcode.open_workspace(copy_example(tmp_path / "ws"), use_cache=False).check()
    assert result.findings
    assert len({f.edition for f in result.findings if f.edition}) >= 2  # complaints under 2022 and 2024
    unknown = {f.rule for f in result.findings if lookup(f.rule, _edition(f.edition)) is None}
    assert not unknown


def test_check_runs_the_registered_families() -> None:
    """Each case family of the registry is what check_case runs: one more family, one more check."""
    from hcode.core.rules import registry

    subjects = {f.module.__name__.rsplit(".", 1)[-1]: f.subject for f in FAMILIES}
    assert subjects == {
        "files": "files",
        "records": "case",
        "timescales": "case",
        "extensions": "case",
        "handling": "case",
        "refusals": "case",
        "privacy": "case",
        "awaab": "case",
        "assessment": "assessments",
    }
    assert all(hasattr(f.module, "check") for f in registry.CASE_FAMILIES)


CONVENTIONS = ROOT / "docs" / "conventions.md"
BEGIN, END = "<!-- rules table: hcode rules --format md -->", "<!-- end of rules table -->"


def test_the_conventions_rule_table_is_the_registry() -> None:
    text = CONVENTIONS.read_text("utf-8")
    match = re.search(re.escape(BEGIN) + r"\n(.*?)" + re.escape(END), text, re.S)
    assert match, f"docs/conventions.md needs the table between {BEGIN} and {END}"
    assert match.group(1) == markdown_table(RULES, CODE), "regenerate it with: hcode rules --format md"


def test_rules_command_lists_and_explains() -> None:
    listed = run("rules", "--format", "json")
    assert listed.exit_code == 0
    doc = listed.json()
    assert [r["rule"] for r in doc["rules"]] == [r.name for r in RULES]
    handler = doc["rules"][[r["rule"] for r in doc["rules"]].index("different-handler")]
    assert handler["ids"] == ["6.13"]
    assert handler["failing"][0]["text"] == rule("different-handler").failing[0].text
    md = run("rules", "--format", "md")
    assert md.stdout == markdown_table(RULES, CODE)
    table = run("rules")
    assert "6.13" in table.stdout and "privacy.personal-data" in table.stdout
    shown = run("rules", "show", "6.13")
    assert shown.exit_code == 0
    assert shown.stdout.startswith("6.13: the same handler at both stages")
    assert "Code 6.13 (hoc-2024): The person considering the complaint at stage 2" in shown.stdout
    assert "Passes:" in shown.stdout and "Fails:" in shown.stdout and "handler: H-003" in shown.stdout
    by_name = run("rules", "show", "different-handler")
    assert by_name.stdout == shown.stdout
    unknown = run("rules", "show", "9.99")
    assert unknown.exit_code == 2
    assert "no rule '9.99'" in unknown.stderr


def test_sarif_rule_help_comes_from_the_registry(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    doc = json.loads(run("check", ws, "--as-of", "2025-07-31", "--format", "sarif").stdout)
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert "hoc-2022/5.1" in rules  # an older edition's rule is kept apart under its own id
    for rid, entry in rules.items():
        edition, _, bare = rid.rpartition("/")
        r = lookup(bare, _edition(edition or None))
        assert r is not None, rid
        assert entry["properties"]["hcodeRule"] == r.name
        assert r.docs in entry["help"]["text"]


def test_findings_formats_come_from_their_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every registered format is a --format choice; a new format is one entry."""
    from hcode.render import findings as formats

    ws = copy_example(tmp_path / "ws")
    for name in formats.FORMATS:
        printed = run("check", ws, "--as-of", "2025-07-31", "-f", name, "--fail-on", "never")
        assert printed.exit_code == 0 and printed.stdout, name
        if name != "text":  # text to a terminal is Rich's; to a file it is the plain lines
            written = run("check", ws, "--as-of", "2025-07-31", "-f", name, "-o", tmp_path / name, "--fail-on", "never")
            assert written.exit_code == 0
            assert (tmp_path / name).read_text("utf-8") == printed.stdout
    monkeypatch.setitem(formats.FORMATS, "count", ("one line: how many findings", lambda r: f"{len(r.findings)}\n"))
    counted = run("check", ws, "--as-of", "2025-07-31", "-f", "count", "--fail-on", "never")
    assert counted.exit_code == 0 and int(counted.stdout) > 0
    assert run("check", ws, "-f", "nope").exit_code == 2


def test_published_reports_come_from_their_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every registered report format is a --format choice; a new one is one entry."""
    from hcode.render import published

    ws = copy_example(tmp_path / "ws")
    for report, formats in published.PUBLISHED.items():
        for fmt in formats:
            target = tmp_path / f"{report}.{fmt}"
            dated = ["--as-of", "2025-07-31"] if report == "annual" else []
            made = run("report", report, ws, "--year", "2024-25", *dated, "-f", fmt, "-o", target)
            assert made.exit_code == 0, (report, fmt, made.stderr)
            assert target.stat().st_size > 0

    def plain(context: dict[str, object], root: Path, stem: str, folder: bool) -> published.Published:
        return published.Published(f"{stem}: {context['year']}\n")

    monkeypatch.setitem(published.PUBLISHED["annual"], "txt", ("plain text", plain))
    made = run("report", "annual", ws, "--year", "2024-25", "--as-of", "2025-07-31", "-f", "txt")
    assert made.exit_code == 0 and made.stdout == "annual-2024-25: 2024-25\n"
    assert run("report", "assessment", ws, "-f", "txt").exit_code == 2  # registered for annual only


def test_tables_come_from_their_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The TSM audit table and the export take their --format choices from TABLES."""
    from hcode.render import published

    ws = copy_example(tmp_path / "ws")
    commands = {"tsm": ("report", "tsm", ws, "--year", "2024-25"), "export": ("export", ws)}
    for table, formats in published.TABLES.items():
        for fmt in formats:
            made = run(*commands[table], "--as-of", "2025-07-31", "-f", fmt)
            assert made.exit_code == 0, (table, fmt, made.stderr)
            assert "C-2024-0003" in made.stdout, (table, fmt)

    def count(rows: list[dict[str, object]], columns: object, left_out: object) -> str:
        return f"{len(rows)} rows\n"

    monkeypatch.setitem(published.TABLES["export"], "count", ("the number of rows", count))
    made = run("export", ws, "--as-of", "2025-07-31", "-f", "count")
    assert made.exit_code == 0 and made.stdout.endswith(" rows\n") and int(made.stdout.split()[0]) > 40
    assert run("report", "tsm", ws, "--year", "2024-25", "-f", "count").exit_code == 2  # export only


def _rule_literals() -> list[tuple[str, int, str]]:
    """Every rule id written as a literal where a finding is made (``Finding(rule=...)``,
    ``case_finding(case, RULE, ...)``, ``file_problem(RULE, ...)``, ``problem_finding(..., RULE)``
    and the like), and every check name asked of the Code (``ctx.rule(NAME)``)."""
    import ast

    positions = {"case_finding": 1, "_finding": 1, "file_problem": 0, "problem_finding": 3, "report": 0, "rule": 0}
    found = []
    for path in sorted((ROOT / "src" / "hcode").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            args: list[ast.expr] = [k.value for k in node.keywords if k.arg == "rule"]
            if name in positions and len(node.args) > positions[name]:
                args.append(node.args[positions[name]])
            for arg in args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.append((str(path.relative_to(ROOT)), node.lineno, arg.value))
    return found


def test_every_rule_a_finding_can_carry_is_registered() -> None:
    literals = _rule_literals()
    assert len(literals) > 20
    known = {r.name for r in RULES} | {ref[1] for r in RULES for ref in r.refs}
    unknown = [f"{path}:{line}: {value}" for path, line, value in literals if value not in known]
    assert not unknown, "declare these rules in a family's RULES:\n" + "\n".join(unknown)


@pytest.mark.parametrize(("name", "kind"), [("text", "text"), ("json", "json"), ("sarif", "json"), ("junit", "text")])
def test_findings_formats_are_made_safe_by_the_one_safe_output(
    monkeypatch: pytest.MonkeyPatch, name: str, kind: str
) -> None:
    import datetime

    import hcode.core.text
    from hcode.render.findings import FindingsRun, render_findings

    calls: list[str] = []
    real = hcode.core.text.safe_output

    def spy(text: str, *, kind: str = "text") -> str:
        calls.append(kind)
        return real(text, kind=kind)

    monkeypatch.setattr(hcode.core.text, "safe_output", spy)
    run_ = FindingsRun(findings=[], as_of=datetime.date(2025, 7, 31), workspace=".", files=0)
    render_findings(name, run_)
    assert calls == [kind]
