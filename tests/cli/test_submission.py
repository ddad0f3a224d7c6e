"""``hcode report submission``: the Housing Ombudsman's annual submission form, ready to copy."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from pathlib import Path

from conftest import ROOT, copy_example, make_ws, run

ARGS = ("--year", "2024-25", "--as-of", "2025-10-01")


def test_the_example_in_every_format(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    md = run("report", "submission", ws, *ARGS)
    assert md.exit_code == 0 and md.stderr == ""
    assert "## Section 1: the organisation" in md.stdout and "| Homes owned | 640 |" in md.stdout
    assert "(https://riversidevale.example/complaints/policy)" in md.stdout
    assert "69 of 72 provisions: yes; 3: no." in md.stdout
    # a provision answered no: its actions and their timescales (one done, one due)
    assert (
        "| 6.14 | No | Replace the monthly stage 2 panel with weekly review slots (done 2025-01-20)<br>"
        "Report stage 2 timeliness to every Board meeting (2025-06-30) |" in md.stdout
    )

    doc = json.loads(run("report", "submission", ws, *ARGS, "-f", "json").stdout)
    assert doc["summary"] == {"provisions": 72, "yes": 69, "no": 3, "not_applicable": 0, "not_answered": 0}
    assert doc["missing"] == [] and doc["code"] == "hoc-2024" and doc["homes"] == 640
    links = {d["key"]: d["value"] for d in doc["section1"]["links"]}
    assert links["governing_body_response"].endswith("board-response-2024-25")
    [row] = [r for r in doc["section2"] if r["provision"] == "9.8"]
    assert row["comply"] == "No" and row["actions"] == [
        {"action": "Add the complaint handling objective to every role's appraisal", "timescale": "2025-05-31"}
    ]

    text = run("report", "submission", ws, *ARGS, "-f", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["section", "item", "answer", "action", "timescale"]
    assert {"section": "1", "item": "Landlord", "answer": "Riverside Vale Homes", "action": "", "timescale": ""} in rows
    assert sum(1 for r in rows if r["section"] == "2" and r["item"] == "6.14") == 2  # a row per action
    assert len([r for r in rows if r["section"] == "2" and r["answer"] == "Yes"]) == 69

    out = tmp_path / "sub.md"
    assert run("report", "submission", ws, *ARGS, "-o", out).exit_code == 0
    assert out.read_text() == md.stdout
    assert run("report", "submission", ws, *ARGS, "-f", "xlsx").exit_code == 2


ASSESSMENT = """\
code: hoc-2024
year: 2024-25
provisions:
  "1.2":
    comply: yes
  "1.3":
    comply: no
  "5.1":
    comply: partly
    actions:
      - action: Publish the policy in plain English
        due: 2025-12
"""


def test_missing_settings_unanswered_provisions_and_no_action(tmp_path: Path) -> None:
    ws = make_ws(tmp_path / "ws", {"assessments/2024-25.yaml": ASSESSMENT})
    r = run("report", "submission", ws, *ARGS, "-f", "json")
    assert r.exit_code == 0
    assert "section 1 is incomplete: add submission.organisation.type" in r.stderr
    doc = json.loads(r.stdout)
    assert "submission.links.policy" in doc["missing"] and doc["homes"] == 100
    by = {row["provision"]: row for row in doc["section2"]}
    assert by["1.2"]["comply"] == "Yes" and by["1.4"]["comply"] is None
    assert (by["5.1"]["comply"], by["5.1"]["written"]) == ("No", "partly")
    assert by["5.1"]["actions"] == [{"action": "Publish the policy in plain English", "timescale": "December 2025"}]
    md = run("report", "submission", ws, *ARGS).stdout
    assert "| Policy" not in md and "not set: add submission.links.policy to hcode.yaml" in md.replace("\\_", "_")
    assert "| 1.3 | No | no action recorded: the Ombudsman asks for the actions and timescales" in md
    assert "| 1.4 | not answered in the self-assessment |  |" in md
    none = make_ws(tmp_path / "none")
    assert "There is no self-assessment for 2024-25" in run("report", "submission", none, *ARGS).stdout


def test_settings_are_validated_and_the_privacy_gate_applies(tmp_path: Path) -> None:
    base = "hcode: 1\nlandlord: Test Homes\nhomes: 100\n"
    bad_link = base + "submission:\n  links:\n    policy: www.example.org/policy\n"
    r = run("report", "submission", make_ws(tmp_path / "a", config=bad_link), *ARGS)
    assert r.exit_code == 3 and "hcode.yaml:6" in r.stderr
    email = base + "submission:\n  organisation:\n    type: housing association (jo.bloggs@example.org)\n"
    r = run("report", "submission", make_ws(tmp_path / "b", config=email), *ARGS)
    assert r.exit_code == 3 and "the annual submission was not written" in r.stderr
    assert "jo.bloggs" not in r.stderr  # the value is never shown
    declared = email + "contacts: [jo.bloggs@example.org]\n"
    assert run("report", "submission", make_ws(tmp_path / "c", config=declared), *ARGS).exit_code == 0


def test_the_docs_example_runs(tmp_path: Path) -> None:
    """docs/reports.md shows the command and parts of its output ('...' skips lines): each part
    is in the output as shown, in order."""
    text = (ROOT / "docs" / "reports.md").read_text("utf-8")
    block = re.search(r"<!-- example: report submission -->\n```text\n(.*?)```", text, re.S)
    assert block is not None
    command, *shown = block.group(1).rstrip("\n").split("\n")
    assert command.startswith("$ hcode report submission")
    ws = copy_example(tmp_path / "ws")
    r = run(*shlex.split(command[2:])[1:], "-w", str(ws))
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    at = 0
    for part in "\n".join(shown).split("\n...\n"):
        want = part.split("\n")
        while lines[at : at + len(want)] != want:
            at += 1
            assert at < len(lines), f"not in the output as shown: {want[0]!r}"
        at += len(want)


def test_when_the_submission_is_due(tmp_path: Path) -> None:
    """1,200 homes: 30 September; 300 homes, an April year: 30 September, a January year: 30
    June; exactly 1,000: not known until annual_submission says."""
    cases = (
        ("homes: 1200\n", "2025-09-30"),
        ("homes: 300\n", "2025-09-30"),
        ('homes: 300\nyear_start: "01-01"\n', "2025-06-30"),
        ("homes: 1000\n", None),
        ("homes: 1000\nannual_submission: 30-september\n", "2025-09-30"),
    )
    for i, (extra, due) in enumerate(cases):
        ws = make_ws(tmp_path / str(i), config="hcode: 1\nlandlord: Test Homes\n" + extra)
        r = run("report", "submission", ws, "--year", "2024-25", "--as-of", "2025-10-01", "-f", "json")
        doc = json.loads(r.stdout)
        assert doc["due"] == due, extra
    assert "neither covers 1,000" in doc["due_why"] or "annual_submission" in doc["due_why"]
    md = run("report", "submission", make_ws(tmp_path / "x", config="hcode: 1\nlandlord: T\nhomes: 1000\n"), *ARGS)
    assert "Due date not known: exactly 1,000 homes" in md.stdout
