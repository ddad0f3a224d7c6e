"""hcode case ...: every step of a complaint, with the resulting file compared to golden files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import ROOT, lock_held, make_ws, run

GOLDEN = ROOT / "tests" / "golden" / "steps"
UPDATE = os.environ.get("HCODE_UPDATE_GOLDEN") == "1"

HEADER = """\
# Logged from a phone call; resident prefers email.
id: C-2024-0001
kind: complaint
received: 2024-05-03   # a Friday
category: repairs
x-crm-ref: 4711
"""


def golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.yaml"
    if UPDATE:
        path.write_text(text)
    assert text == path.read_text(), f"{name} differs from {path}"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return make_ws(tmp_path, {"cases/2024/C-2024-0001.yaml": HEADER})


def step(ws: Path, *args: str) -> str:
    result = run("case", *args, "--workspace", ws)
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


def refused(ws: Path, *args: str, code: int = 5) -> str:
    path = ws / "cases/2024/C-2024-0001.yaml"
    before = path.read_bytes()
    result = run("case", *args, "--workspace", ws)
    assert result.exit_code == code, result.stdout + result.stderr
    assert path.read_bytes() == before
    return result.stderr


def text(ws: Path) -> str:
    return (ws / "cases/2024/C-2024-0001.yaml").read_text()


def test_full_lifecycle_with_extension_and_escalation(ws: Path) -> None:
    out = step(
        ws,
        "ack",
        "C-2024-0001",
        "--date",
        "2024-05-07",
        "--definition",
        "Leak not fixed; wants repair.",
        "--handler",
        "H-017",
    )
    assert "Next: stage 1 response due 2024-05-21 (Code 6.3)" in out
    golden("1-ack", text(ws))
    out = step(
        ws,
        "extend",
        "C-2024-0001",
        "--days",
        "5",
        "--reason",
        "Awaiting roofer",
        "--ombudsman-details",
        "--notified",
        "2024-05-17",
    )
    assert "extended to 2024-05-29" in out
    golden("2-extend", text(ws))
    step(ws, "respond", "C-2024-0001", "--date", "2024-05-28", "--outcome", "partly-upheld")
    golden("3-respond", text(ws))
    out = step(ws, "escalate", "C-2024-0001", "--date", "2024-06-10")
    assert "Next: stage 2 acknowledgement due 2024-06-17 (Code 6.11)" in out
    step(
        ws,
        "ack",
        "C-2024-0001",
        "--date",
        "2024-06-12",
        "--definition",
        "Compensation too low.",
        "--handler",
        "H-003",
    )
    step(
        ws,
        "remedy",
        "C-2024-0001",
        "--compensation",
        "250",
        "--action",
        "Replace roof covering",
        "--due",
        "2024-08-01",
    )
    step(ws, "respond", "C-2024-0001", "--date", "2024-07-08", "--outcome", "upheld")
    out = step(ws, "action-done", "C-2024-0001", "1", "--date", "2024-07-20")
    assert "Nothing more is due for this case." in out
    golden("4-complete", text(ws))
    final = text(ws)
    assert final.startswith("# Logged from a phone call; resident prefers email.\n")
    assert "received: 2024-05-03   # a Friday" in final and "x-crm-ref: 4711" in final
    check = run("check", ws, "--as-of", "2024-12-31", "--format", "json").json()
    case_rules = [f["rule"] for f in check["findings"] if f["file"].startswith("cases/")]
    assert case_rules == []


def test_refusal_path(ws: Path) -> None:
    err = refused(ws, "refuse", "C-2024-0001", "--reason", "legal-proceedings", "--date", "2024-05-07")
    assert "not recorded as explained to the resident" in err
    assert "told of the right to take the refusal to accept the complaint to the Ombudsman (Code 2.4)" in err
    assert "--explained --ombudsman-rights" in err
    step(
        ws,
        "refuse",
        "C-2024-0001",
        "--reason",
        "legal-proceedings",
        "--explained",
        "--ombudsman-rights",
        "--date",
        "2024-05-07",
        "--note",
        "Claim filed at county court",
    )
    golden("refused", text(ws))
    assert "stage 1 of C-2024-0001 was refused" in refused(
        ws, "ack", "C-2024-0001", "--definition", "x", "--handler", "H-1", "--date", "2024-05-08"
    )


def test_withdrawal(ws: Path) -> None:
    step(ws, "ack", "C-2024-0001", "--date", "2024-05-07", "--definition", "Leak", "--handler", "H-1")
    step(ws, "withdraw", "C-2024-0001", "--date", "2024-05-09")
    golden("withdrawn", text(ws))
    assert "already closed (withdrawn)" in refused(
        ws, "respond", "C-2024-0001", "--outcome", "upheld", "--date", "2024-05-10"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["escalate", "C-2024-0001", "--date", "2024-05-20"], "cannot be escalated before one"),
        (
            ["ack", "C-2024-0001", "--date", "2024-05-02", "--definition", "x", "--handler", "H"],
            "is before the date it was received",
        ),
        (
            ["ack", "C-2024-0001", "--date", "2099-01-01", "--definition", "x", "--handler", "H"],
            "is in the future",
        ),
        (
            [
                "respond",
                "C-2024-0001",
                "--stage",
                "2",
                "--outcome",
                "upheld",
                "--date",
                "2024-05-20",
            ],
            "has not been escalated",
        ),
        (["resolve", "C-2024-0001", "--date", "2024-05-20"], "is a complaint"),
        (["action-done", "C-2024-0001", "1"], "has no remedy action 1"),
        (["remedy", "C-2024-0001", "--action", "Fix it"], "needs a due date"),
        (
            ["extend", "C-2024-0001", "--days", "3", "--reason", "x", "--notified", "2024-05-08"],
            "Ombudsman's contact details",
        ),
    ],
)
def test_illegal_steps_are_refused_and_nothing_is_written(ws: Path, args: list[str], message: str) -> None:
    assert message in refused(ws, *args)


def test_second_acknowledgement_and_same_handler_refused(ws: Path) -> None:
    step(ws, "ack", "C-2024-0001", "--date", "2024-05-07", "--definition", "Leak", "--handler", "H-1")
    assert "already acknowledged on 2024-05-07" in refused(
        ws, "ack", "C-2024-0001", "--date", "2024-05-08", "--definition", "x", "--handler", "H-1"
    )
    step(ws, "respond", "C-2024-0001", "--date", "2024-05-10", "--outcome", "not-upheld")
    assert "before the stage 1 response" in refused(ws, "escalate", "C-2024-0001", "--date", "2024-05-09")
    step(ws, "escalate", "C-2024-0001", "--date", "2024-05-13")
    assert "Code 6.13" in refused(
        ws, "ack", "C-2024-0001", "--date", "2024-05-14", "--definition", "x", "--handler", "h-1"
    )


def test_extension_limits(ws: Path) -> None:
    step(ws, "ack", "C-2024-0001", "--date", "2024-05-07", "--definition", "Leak", "--handler", "H-1")
    # original due 21 May 2024; 11 working days later is 6 June
    err = refused(
        ws,
        "extend",
        "C-2024-0001",
        "--days",
        "11",
        "--reason",
        "x",
        "--ombudsman-details",
        "--notified",
        "2024-05-17",
    )
    assert "more than the 10 allowed without a good reason" in err
    assert "does not move the due date" in refused(
        ws,
        "extend",
        "C-2024-0001",
        "--days",
        "3",
        "--reason",
        "x",
        "--ombudsman-details",
        "--notified",
        "2024-05-22",
    )
    out = step(
        ws,
        "extend",
        "C-2024-0001",
        "--due",
        "2024-06-06",
        "--reason",
        "Survey",
        "--good-reason",
        "Specialist survey",
        "--ombudsman-details",
        "--notified",
        "2024-05-17",
    )
    assert "extended to 2024-06-06" in out


def test_late_step_is_recorded_with_a_note(ws: Path) -> None:
    out = step(ws, "ack", "C-2024-0001", "--date", "2024-05-15", "--definition", "Leak", "--handler", "H-1")
    assert "Note: stage 1 acknowledgement 2024-05-15 is 2 working days after the due date 2024-05-13 (Code 6.2)" in out


def test_new_case_picks_the_next_id(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"cases/2024/C-2024-0007.yaml": HEADER.replace("C-2024-0001", "C-2024-0007")})
    out = run(
        "case",
        "new",
        "--received",
        "2024-06-01",
        "--category",
        "damp-and-mould",
        "--channel",
        "email",
        "--workspace",
        ws,
    )
    assert out.exit_code == 0, out.stderr
    assert "C-2024-0008: logged as a complaint received 2024-06-01" in out.stdout
    assert "Next: stage 1 acknowledgement due 2024-06-07 (Code 6.2)" in out.stdout
    golden("new", (ws / "cases/2024/C-2024-0008.yaml").read_text())
    again = run("case", "new", "--received", "2025-01-06", "--category", "repairs", "--workspace", ws)
    assert "C-2025-0001" in again.stdout
    dup = run(
        "case",
        "new",
        "--received",
        "2025-01-06",
        "--category",
        "repairs",
        "--id",
        "C-2024-0007",
        "--workspace",
        ws,
    )
    assert dup.exit_code == 5 and "already exists" in dup.stderr
    future = run("case", "new", "--received", "2099-01-01", "--category", "repairs", "--workspace", ws)
    assert future.exit_code == 5


def test_service_request_resolve(tmp_path: Path) -> None:
    ws = make_ws(tmp_path)
    run(
        "case",
        "new",
        "--received",
        "2024-06-03",
        "--category",
        "repairs",
        "--kind",
        "service-request",
        "--workspace",
        ws,
    )
    out = run("case", "resolve", "C-2024-0001", "--date", "2024-06-05", "--workspace", ws)
    assert out.exit_code == 0 and "resolved on 2024-06-05" in out.stdout
    assert "resolved: 2024-06-05" in (ws / "cases/2024/C-2024-0001.yaml").read_text()


def test_unknown_case_and_broken_file_exit_3(ws: Path) -> None:
    assert run("case", "ack", "C-9", "--definition", "x", "--handler", "H", "--workspace", ws).exit_code == 3
    (ws / "cases/2024/C-2024-0001.yaml").write_text(HEADER + "received: 2024-05-04\n")
    result = run("case", "ack", "C-2024-0001", "--definition", "x", "--handler", "H", "--workspace", ws)
    assert result.exit_code == 3 and "fix the file first" in result.stderr and "duplicate key" in result.stderr


def test_interrupted_write_leaves_the_original(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = ws / "cases/2024/C-2024-0001.yaml"
    before = path.read_bytes()

    def failing_replace(src: str, dst: str) -> None:
        raise OSError("simulated crash during rename")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError):
        run(
            "case",
            "ack",
            "C-2024-0001",
            "--date",
            "2024-05-07",
            "--definition",
            "x",
            "--handler",
            "H",
            "--workspace",
            ws,
        )
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["C-2024-0001.yaml"]  # no temporary or lock file left


def test_concurrent_change_is_refused(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hcode.edit.casefile

    path = ws / "cases/2024/C-2024-0001.yaml"
    real = hcode.edit.casefile.checked_text

    def meanwhile(*args: object, **kwargs: object) -> object:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        path.write_text(HEADER + "learning: edited by someone else\n")
        return result

    monkeypatch.setattr(hcode.edit.casefile, "checked_text", meanwhile)
    result = run(
        "case",
        "ack",
        "C-2024-0001",
        "--date",
        "2024-05-07",
        "--definition",
        "x",
        "--handler",
        "H",
        "--workspace",
        ws,
    )
    assert result.exit_code == 3 and "changed on disk since it was read" in result.stderr
    assert "edited by someone else" in path.read_text()


def test_lock_file_blocks_a_second_writer(ws: Path) -> None:
    with lock_held(ws / "cases/2024/C-2024-0001.yaml"):  # another command is writing it
        err = refused(ws, "ack", "C-2024-0001", "--date", "2024-05-07", "--definition", "x", "--handler", "H", code=3)
    assert "being changed by another hcode command" in err


def test_case_list(ws: Path) -> None:
    step(ws, "ack", "C-2024-0001", "--date", "2024-05-07", "--definition", "Leak", "--handler", "H-1")
    doc = run("case", "list", "--workspace", ws, "--format", "json", "--as-of", "2024-05-08").json()
    assert doc["cases"] == [
        {
            "case": "C-2024-0001",
            "kind": "complaint",
            "received": "2024-05-03",
            "category": "repairs",
            "stage": 1,
            "open": True,
            "next": "stage 1 respond",
            "due": "2024-05-21",
            "status": "open",
            "handler": "H-1",
        }
    ]
    none = run("case", "list", "--workspace", ws, "--category", "damp-and-mould", "--format", "json").json()
    assert none["cases"] == []
    assert run("case", "list", "--workspace", ws, "--category", "damp").exit_code == 2  # not a category
    assert len(run("case", "list", "--workspace", ws, "--stage", "1", "--format", "json").json()["cases"]) == 1
    assert run("case", "list", "--workspace", ws, "--stage", "2", "--format", "json").json()["cases"] == []
    table = run("case", "list", "--workspace", ws, "--open", "--as-of", "2024-05-08")
    assert table.exit_code == 0 and "C-2024-0001" in table.stdout


def test_command_choices_match_the_case_schema() -> None:
    """The case commands' choices are copies of the schema's lists: they must not drift apart."""
    from hcode.cli import case as cli_case
    from hcode.store.validate import schema

    props = schema("case")["properties"]
    defs = schema("case")["$defs"]
    assert [c.value for c in cli_case.Channel] == props["channel"]["enum"]
    assert [c.value for c in cli_case.Kind] == props["kind"]["enum"]
    assert [c.value for c in cli_case.Reason] == props["refused"]["properties"]["reason"]["enum"]
    assert [c.value for c in cli_case.Outcome] + ["withdrawn"] == defs["stage1"]["properties"]["outcome"]["enum"]


def test_steps_ask_the_same_rules_as_check(tmp_path: Path) -> None:
    """6.13, 2.3 and 6.5: what a step refuses is what check reports, in the rule's own words."""
    from hcode.core.rules.registry import rule

    ws = make_ws(tmp_path, {"cases/2024/C-2024-0001.yaml": HEADER + "issue_date: 2024-02-01\n"})
    err = refused(
        ws,
        "refuse",
        "C-2024-0001",
        "--reason",
        "over-12-months",
        "--explained",
        "--ombudsman-rights",
        "--date",
        "2024-05-07",
    )
    assert "refused as over 12 months old, but the issue dates from 2024-02-01" in err
    assert "(Code 2.3)" in err
    # the failing examples of the registry are refused by the steps in the same words
    example = rule("extension-ombudsman-details").failing[0]
    assert "ombudsman_details: false" in example.text
    step(ws, "ack", "C-2024-0001", "--date", "2024-05-07", "--definition", "Leak", "--handler", "H-1")
    err = refused(ws, "extend", "C-2024-0001", "--days", "3", "--reason", "x", "--notified", "2024-05-08")
    assert "the Ombudsman's contact details were not given when the resident was told of the stage 1 extension" in err
    assert "(Code 6.5)" in err and "--ombudsman-details" in err
    step(ws, "respond", "C-2024-0001", "--date", "2024-05-10", "--outcome", "not-upheld")
    step(ws, "escalate", "C-2024-0001", "--date", "2024-05-13")
    err = refused(ws, "ack", "C-2024-0001", "--date", "2024-05-14", "--definition", "x", "--handler", "h-1")
    assert "stage 2 was handled by h-1, the same person as stage 1 (Code 6.13)" in err
    assert "choose a different handler" in err


def test_steps_have_no_copies_of_the_rules() -> None:
    """The step module decides 6.13, 2.3 and 6.5 only through the rules."""
    source = (ROOT / "src" / "hcode" / "edit" / "steps.py").read_text()
    for copy_of_a_rule in ("casefold()", "add_months", "judge_extension", "rule_id("):
        assert copy_of_a_rule not in source


def test_extend_days_count_in_the_unit_of_the_edition_limit(tmp_path: Path) -> None:
    """--days N: working days under the 2024 Code, calendar days ("a further 10 days") under the
    2022 Code, so --days 10 is within the limit under both."""
    older = HEADER.replace("C-2024-0001", "C-2023-0001").replace("2024-05-03   # a Friday", "2023-05-05")
    ws = make_ws(
        tmp_path,
        {"cases/2024/C-2024-0001.yaml": HEADER, "cases/2023/C-2023-0001.yaml": older},
        config="hcode: 1\nlandlord: Test Homes\nhomes: 100\ncode: auto\n",
    )
    args = ["--days", "10", "--reason", "Survey", "--ombudsman-details"]
    # 2024 Code: acknowledged Tue 7 May 2024, response due 21 May; + 10 working days
    # (Spring bank holiday Mon 27 May not counted) -> Wed 5 June
    step(ws, "ack", "C-2024-0001", "--date", "2024-05-07", "--definition", "Leak", "--handler", "H-1")
    assert "extended to 2024-06-05" in step(ws, "extend", "C-2024-0001", *args, "--notified", "2024-05-17")
    # 2022 Code: acknowledged (logged) Tue 9 May 2023, response due 10 working days later on
    # Tue 23 May; + 10 calendar days -> Fri 2 June 2023
    step(ws, "ack", "C-2023-0001", "--date", "2023-05-09", "--definition", "Leak", "--handler", "H-1")
    assert "extended to 2023-06-02" in step(ws, "extend", "C-2023-0001", *args, "--notified", "2023-05-19")
    assert "2023-06-02" in (ws / "cases/2023/C-2023-0001.yaml").read_text()


def test_a_refused_step_has_its_own_exit_code_named_in_help(ws: Path) -> None:
    """5, not 1: a pipeline reads 1 as "non-compliance found"; a refused step found nothing."""
    said = refused(ws, "ack", "C-2024-0001", "--date", "2024-04-01", "--definition", "x", "--handler", "H-1")
    assert "not recorded" in said
    help_text = " ".join(run("--help").stdout.split())
    assert "5 a case step refused, nothing written" in help_text
    assert "| 5 | a case step refused" in (ROOT / "docs/ci.md").read_text()
