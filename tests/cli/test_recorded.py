"""Two kinds of finding: what can still be acted on, and recorded history (a past breach whose
reason, apology and learning are written in ``stageN.late``); and baselines that still match
tomorrow. Tested as a complaints officer meets it: from the hint to the exit code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import make_ws, run

LATE = """\
id: C-2024-0012
kind: complaint
received: 2024-07-08
category: damp-and-mould
channel: phone
stage1:
  acknowledged: 2024-07-10
  definition: Damp and mould in the bedroom not treated after inspection.
  handler: H-022
  responded: 2024-07-29   # 3 working days after the due date, 24 July
  outcome: upheld
"""

# What a complaints officer writes for each field the hint names.
ANSWERS = {
    "reason": "The surveyor's report came back a week late.",
    "apology": "2024-07-29",
    "learning": "Book the surveyor when the complaint is acknowledged.",
}

AS_OF = "2025-03-31"


def _assessment() -> str:
    """A complete, approved 2024-25 self-assessment: the only findings are then the case's."""
    from hcode.store.workspace import load_code

    code = load_code(None, "hoc-2024")
    body = "".join(f'  "{p.id}":\n    comply: yes\n    evidence: [Policy {p.id}]\n' for p in code.assessed)
    head = "code: hoc-2024\nyear: 2024-25\ncompleted: 2025-03-03\napproved: {by: Board, date: 2025-03-20}\n"
    return head + "provisions:\n" + body


def _ws(root: Path, files: dict[str, str]) -> Path:
    return make_ws(root, {"assessments/2024-25.yaml": _assessment(), **files})


def _check(ws: Path, *extra: str) -> tuple[int, dict[str, object]]:
    result = run("check", ws, "--as-of", AS_OF, "--format", "json", *extra)
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    return result.exit_code, result.json()


def _the_breach(doc: dict[str, object]) -> dict[str, object]:
    found = [f for f in doc["findings"] if f["rule"] == "6.3"]  # type: ignore[attr-defined]
    assert len(found) == 1, doc
    breach: dict[str, object] = found[0]
    return breach


def _write(path: Path, dotted: str, value: str) -> None:
    """Write ``value`` at ``dotted`` (stage1.late.reason) in the case file, keeping the rest."""
    yaml = YAML()
    data = yaml.load(path.read_text())
    keys = dotted.split(".")
    node = data
    for key in keys[:-1]:
        if key not in node:
            node[key] = {}
        node = node[key]
    node[keys[-1]] = value
    with path.open("w") as handle:
        yaml.dump(data, handle)


def test_from_the_hint_to_the_exit_code(tmp_path: Path) -> None:
    ws = _ws(tmp_path, {"cases/2024/C-2024-0012.yaml": LATE})
    case = ws / "cases/2024/C-2024-0012.yaml"
    report_before = run("report", "annual", ws, "--year", "2024-25", "-f", "json", "--as-of", AS_OF)
    code, doc = _check(ws)
    assert code == 1
    breach = _the_breach(doc)
    assert "recorded" not in breach
    named = re.findall(r"\b(stage1\.late\.(?:reason|apology|learning))\b", str(breach["hint"]))
    assert named == ["stage1.late.reason", "stage1.late.apology", "stage1.late.learning"]

    # Write the fields the hint names, one at a time: the hint then names only what is left,
    # and the run fails until all three are written.
    for i, field in enumerate(named):
        _write(case, field, ANSWERS[field.rsplit(".", 1)[1]])
        code, doc = _check(ws)
        breach = _the_breach(doc)
        left = named[i + 1 :]
        if left:
            assert code == 1 and "recorded" not in breach
            assert re.findall(r"stage1\.late\.\w+", str(breach["hint"])) == left
        else:
            assert code == 0, doc
            assert breach["recorded"] is True and "hint" not in breach
    # Still listed and counted: an error, one of them recorded.
    assert doc["summary"] == {"files": 3, "error": 1, "warning": 0, "info": 0, "recorded": 1}
    text = run("check", ws, "--as-of", AS_OF)
    assert text.exit_code == 0
    assert "error" in text.stdout and "(Code 6.3; recorded)" in text.stdout
    assert "nothing to act on (past breaches recorded) - 1 error" in text.stdout
    assert "1 error, 0 warnings, 0 info (1 recorded) in 3 files" in text.stdout
    # Every figure still counts it: the annual report is the same before and after.
    report_after = run("report", "annual", ws, "--year", "2024-25", "-f", "json", "--as-of", AS_OF)
    assert report_after.exit_code == report_before.exit_code == 0
    assert report_after.stdout == report_before.stdout
    # Those who want recorded history to fail too ask for it.
    assert run("check", ws, "--as-of", AS_OF, "--fail-on-recorded").exit_code == 1
    assert run("check", ws, "--as-of", AS_OF, "--fail-on", "never", "--fail-on-recorded").exit_code == 0
    # SARIF marks it suppressed in source; GitHub annotations as a notice.
    sarif = json.loads(run("check", ws, "--as-of", AS_OF, "-f", "sarif").stdout)
    (result,) = [r for r in sarif["runs"][0]["results"] if r["ruleId"].endswith("6.3")]
    assert result["suppressions"][0]["kind"] == "inSource"
    github = run("check", ws, "--as-of", AS_OF, "-f", "github").stdout
    assert github.startswith("::notice ") and "recorded" in github


def test_a_recorded_breach_survives_the_cache(tmp_path: Path) -> None:
    ws = _ws(tmp_path, {"cases/2024/C-2024-0012.yaml": LATE})
    case = ws / "cases/2024/C-2024-0012.yaml"
    for field, value in ANSWERS.items():
        _write(case, f"stage1.late.{field}", value)
    cold = run("check", ws, "--as-of", AS_OF, "--format", "json")
    warm = run("check", ws, "--as-of", AS_OF, "--format", "json")
    assert (ws / ".hcode-cache").exists()
    assert cold.stdout == warm.stdout and cold.exit_code == warm.exit_code == 0
    assert '"recorded": true' in warm.stdout


def test_a_late_record_is_checked_like_any_field(tmp_path: Path) -> None:
    bad = LATE.replace("  outcome: upheld\n", "  outcome: upheld\n  late:\n    apology: last week\n    reasons: x\n")
    ws = _ws(tmp_path, {"cases/2024/C-2024-0012.yaml": bad})
    code, doc = _check(ws)
    assert code == 1
    said = [(f["rule"], f["line"]) for f in doc["findings"] if f["rule"] == "schema"]  # type: ignore[attr-defined]
    assert ("schema", 13) in said and ("schema", 14) in said, doc


def test_personal_data_in_a_late_record_is_flagged(tmp_path: Path) -> None:
    text = LATE + "  late:\n    reason: Rang 07700 900123 twice.\n    apology: 2024-07-29\n    learning: x\n"
    ws = _ws(tmp_path, {"cases/2024/C-2024-0012.yaml": text})
    _, doc = _check(ws)
    privacy = [f for f in doc["findings"] if f["rule"] == "privacy.personal-data"]  # type: ignore[attr-defined]
    assert len(privacy) == 1 and privacy[0]["line"] == 13


OVERDUE = """\
id: C-2025-0001
kind: complaint
received: 2025-03-03
category: repairs
stage1:
  acknowledged: 2025-03-04
  definition: Boiler not repaired.
  handler: H-001
"""


def test_a_baseline_written_today_still_passes_tomorrow(tmp_path: Path) -> None:
    ws = _ws(tmp_path, {"cases/2025/C-2025-0001.yaml": OVERDUE})
    base = ws / ".hcode-baseline.json"
    assert run("baseline", ws, "--as-of", "2025-03-31", "--output", base).exit_code == 0
    today = run("check", ws, "--as-of", "2025-03-31", "--format", "json")
    tomorrow = run("check", ws, "--as-of", "2025-04-01", "--format", "json")
    # The overdue message changes from one day to the next ...
    (said_today,) = [f["message"] for f in today.json()["findings"]]
    (said_tomorrow,) = [f["message"] for f in tomorrow.json()["findings"]]
    assert said_today != said_tomorrow and tomorrow.exit_code == 1
    # ... and the baseline written today still accepts it tomorrow, and the day after that.
    for day in ("2025-03-31", "2025-04-01", "2025-04-02"):
        accepted = run("check", ws, "--as-of", day, "--baseline", base, "--format", "json")
        assert accepted.exit_code == 0, (day, accepted.stdout)
        assert accepted.json()["baseline"] == {"accepted": 1, "stale": 0}
    # Once the response is sent late it is another finding (a breach to record): not accepted.
    case = ws / "cases/2025/C-2025-0001.yaml"
    case.write_text(OVERDUE + "  responded: 2025-04-02\n  outcome: upheld\n")
    later = run("check", ws, "--as-of", "2025-04-02", "--baseline", base, "--format", "json")
    assert later.exit_code == 1 and later.json()["baseline"] == {"accepted": 0, "stale": 1}
    # The baseline keys on facts, not words: it holds no message in its key.
    entry = json.loads(base.read_text())["findings"][0]
    assert entry["rule"] == "6.3" and entry["path"] == "stage1.responded" and entry["due"] == "2025-03-18"


def test_a_version_1_baseline_still_matches_by_message(tmp_path: Path) -> None:
    from hcode.core.model import Finding
    from hcode.review.baseline import message_fingerprint

    ws = _ws(tmp_path, {"cases/2025/C-2025-0001.yaml": OVERDUE})
    found = run("check", ws, "--as-of", "2025-03-31", "--format", "json").json()["findings"][0]
    f = Finding(found["rule"], found["severity"], found["subject"], found["message"], found["file"])
    old = {"hcode-baseline": 1, "created": "2025-03-31", "findings": [{"fingerprint": message_fingerprint(f)}]}
    base = ws / "old.json"
    base.write_text(json.dumps(old))
    same_day = run("check", ws, "--as-of", "2025-03-31", "--baseline", base)
    assert same_day.exit_code == 0 and "write a new one with 'hcode baseline'" in same_day.stderr
    assert run("check", ws, "--as-of", "2025-04-01", "--baseline", base).exit_code == 1


# Summaries and filters for big workspaces: check --statistics, --rule, --case, --since, --year.

SECOND = LATE.replace("C-2024-0012", "C-2024-0013").replace("2024-07-", "2024-06-")


def test_statistics_count_per_rule_and_severity(tmp_path: Path) -> None:
    ws = _ws(tmp_path, {"cases/2024/C-2024-0012.yaml": LATE, "cases/2024/C-2024-0013.yaml": SECOND})
    for field, value in ANSWERS.items():
        _write(ws / "cases/2024/C-2024-0013.yaml", f"stage1.late.{field}", value)
    text = run("check", ws, "--as-of", AS_OF, "--statistics")
    assert text.exit_code == 1  # the statistics judge as the list would: one breach still to act on
    lines = text.stdout.splitlines()
    assert lines[0].split()[:6] == ["2", "Code", "6.3", "respond", "error", "1"]
    assert "recorded" in lines[0] and "2 errors, 0 warnings, 0 info (1 recorded)" in lines[-1]
    doc = run("check", ws, "--as-of", AS_OF, "--statistics", "--format", "json").json()
    assert doc["statistics"] == [
        {
            "rule": "6.3",
            "severity": "error",
            "edition": "hoc-2024",
            "count": 2,
            "recorded": 1,
            "name": "respond",
            "summary": "response missed, overdue, due soon, or after the outer limit",
        }
    ]
    assert "findings" not in doc
    assert run("check", ws, "--statistics", "--format", "sarif").exit_code == 2


def test_rule_case_since_and_year_choose_findings(tmp_path: Path) -> None:
    ws = _ws(
        tmp_path,
        {
            "cases/2024/C-2024-0012.yaml": LATE,
            "cases/2024/C-2024-0013.yaml": SECOND,
            "cases/2025/C-2025-0001.yaml": OVERDUE,
        },
    )

    def subjects(*args: str) -> list[str]:
        result = run("check", ws, "--as-of", AS_OF, "--format", "json", *args)
        return sorted({f["subject"] for f in result.json()["findings"]})

    assert subjects() == ["C-2024-0012", "C-2024-0013", "C-2025-0001"]
    assert subjects("--case", "C-2024-0013", "--case", "C-2025-0001") == ["C-2024-0013", "C-2025-0001"]
    assert subjects("--rule", "respond") == ["C-2024-0012", "C-2024-0013", "C-2025-0001"]
    assert subjects("--rule", "6.3", "--since", "2024-07-01") == ["C-2024-0012", "C-2025-0001"]
    assert subjects("--year", "2024-25", "--rule", "respond") == ["C-2024-0012", "C-2024-0013", "C-2025-0001"]
    assert subjects("--year", "2023-24") == []
    assert subjects("--rule", "acknowledge") == []
    # a family: every rule whose id starts with it
    assert subjects("--rule", "privacy") == []
    # only the chosen findings are judged: a clean choice exits 0, and stderr says what was chosen
    chosen = run("check", ws, "--as-of", AS_OF, "--rule", "acknowledge")
    assert chosen.exit_code == 0 and "0 of 3 finding(s) chosen" in chosen.stderr
    assert run("check", ws, "--as-of", AS_OF, "--year", "2024-26").exit_code == 2


# Every other kind of breach a stage can no longer undo: the same `late` record makes it recorded
# history, and its hint names the fields (and first how to correct the record if it is wrong).
PAST = {
    # told of the extension a day after the original due date (24 July)
    "a late extension notice": (
        "6.4",
        "  extension:\n    notified: 2024-07-25\n    due: 2024-07-31\n    reason: Survey needed.\n"
        "    ombudsman_details: true\n",
        "correct extension.notified if it is wrong",
    ),
    # 11 working days past the original due date, no good reason, and the response sent
    "an extension taken too long": (
        "6.4",
        "  extension:\n    notified: 2024-07-22\n    due: 2024-08-08\n    reason: Survey needed.\n"
        "    ombudsman_details: true\n",
        "record the good reason in extension.good_reason if there was one",
    ),
    "an extension told without the Ombudsman's details": (
        "6.5",
        "  extension:\n    notified: 2024-07-22\n    due: 2024-07-31\n    reason: Survey needed.\n"
        "    ombudsman_details: false\n",
        "set extension.ombudsman_details: true if they were given",
    ),
}


def _extended(extension: str, responded: str = "2024-07-29") -> str:
    return LATE.replace("  responded: 2024-07-29   # 3 working days after the due date, 24 July\n", extension).replace(
        "  outcome: upheld\n", f"  responded: {responded}\n  outcome: upheld\n"
    )


@pytest.mark.parametrize("kind", sorted(PAST))
def test_every_past_breach_of_a_stage_is_recorded_by_its_late_record(tmp_path: Path, kind: str) -> None:
    rule, extension, correct = PAST[kind]
    ws = _ws(tmp_path, {"cases/2024/C-2024-0012.yaml": _extended(extension)})
    case = ws / "cases/2024/C-2024-0012.yaml"
    code, doc = _check(ws)
    found = [f for f in doc["findings"] if f["rule"] == rule]  # type: ignore[attr-defined]
    assert code == 1 and len(found) == 1, doc
    hint = str(found[0]["hint"])
    assert hint.startswith(correct + "; otherwise "), hint
    assert re.findall(r"stage1\.late\.\w+", hint) == [
        "stage1.late.reason",
        "stage1.late.apology",
        "stage1.late.learning",
    ]
    for field, value in ANSWERS.items():
        _write(case, f"stage1.late.{field}", value)
    code, doc = _check(ws)
    assert code == 0, doc
    found = [f for f in doc["findings"] if f["rule"] == rule]  # type: ignore[attr-defined]
    assert len(found) == 1 and found[0]["recorded"] is True and "hint" not in found[0]
    assert all(f.get("recorded") for f in doc["findings"] if f["severity"] == "error")  # type: ignore[attr-defined]


def test_what_can_still_be_put_right_stays_to_act_on(tmp_path: Path) -> None:
    """Not every finding about an extension is past: one not yet answered can still be given a
    good reason or answered in time, and details never recorded can be recorded. A late record
    does not silence those."""
    still_open = LATE.replace("  responded: 2024-07-29   # 3 working days after the due date, 24 July\n", "").replace(
        "  outcome: upheld\n",
        "  extension:\n    notified: 2024-07-22\n    due: 2024-08-08\n    reason: Survey needed.\n"
        + "".join(
            f"  late:\n    {k}: {v}\n" if i == 0 else f"    {k}: {v}\n" for i, (k, v) in enumerate(ANSWERS.items())
        ),
    )
    ws = _ws(tmp_path, {"cases/2024/C-2024-0012.yaml": still_open})
    code, doc = _check(ws, "--as-of", "2024-07-26")
    acting = {f["rule"] for f in doc["findings"] if not f.get("recorded")}  # type: ignore[attr-defined]
    assert {"6.4", "6.5"} <= acting and code == 1, doc


SAME_HANDLER = LATE.replace(
    "  responded: 2024-07-29   # 3 working days after the due date, 24 July\n", "  responded: 2024-07-24\n"
) + ("stage2:\n  requested: 2024-08-01\n  acknowledged: 2024-08-02\n  definition: Still damp.\n  handler: H-022\n")


def test_a_stage_2_answered_by_the_stage_1_handler_is_recorded_by_the_stage_2_late_record(tmp_path: Path) -> None:
    ws = _ws(tmp_path, {"cases/2024/C-2024-0012.yaml": SAME_HANDLER})
    case = ws / "cases/2024/C-2024-0012.yaml"
    code, doc = _check(ws)  # not yet answered: someone else can still take it
    (found,) = [f for f in doc["findings"] if f["rule"] == "6.13"]  # type: ignore[attr-defined]
    assert "late" not in str(found["hint"]) and not found.get("recorded")
    _write(case, "stage2.responded", "2024-08-20")
    _write(case, "stage2.outcome", "not-upheld")
    code, doc = _check(ws)
    (found,) = [f for f in doc["findings"] if f["rule"] == "6.13"]  # type: ignore[attr-defined]
    assert code == 1 and "stage2.late.reason" in str(found["hint"])
    for field, value in ANSWERS.items():
        _write(case, f"stage2.late.{field}", value)
    code, doc = _check(ws)
    (found,) = [f for f in doc["findings"] if f["rule"] == "6.13"]  # type: ignore[attr-defined]
    assert found["recorded"] is True and code == 0, doc
