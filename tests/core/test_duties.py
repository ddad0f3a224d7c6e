"""The year's duties, worked by hand from the Ombudsman's guidance on annual submissions."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from conftest import make_ws, run
from hcode.core.duties import duties, duty_years, six_months_after, submission_due

END_MARCH = date(2025, 3, 31)  # a year from 1 April
END_DEC = date(2024, 12, 31)  # a year from 1 January


def test_1200_homes_submit_by_30_september() -> None:
    assert submission_due(END_MARCH, 1200) == (date(2025, 9, 30), "over 1,000 homes: by 30 September")
    # a January year: still the first 30 September after the year-end
    assert submission_due(END_DEC, 1200)[0] == date(2025, 9, 30)


def test_300_homes_submit_within_6_months_after_the_year_end() -> None:
    # April year: 31 March + 6 months = 30 September; January year: 31 December -> 30 June
    assert submission_due(END_MARCH, 300)[0] == date(2025, 9, 30)
    assert submission_due(END_DEC, 300)[0] == date(2025, 6, 30)
    assert six_months_after(date(2025, 6, 30)) == date(2025, 12, 31)  # a month's end: the sixth month's end
    assert six_months_after(date(2025, 2, 14)) == date(2025, 8, 14)


def test_exactly_1000_homes_is_in_neither_wording() -> None:
    due, why = submission_due(END_MARCH, 1000)
    assert due is None and "neither covers 1,000" in why and "annual_submission" in why
    assert submission_due(END_DEC, 1000, "30-september")[0] == date(2025, 9, 30)
    assert submission_due(END_DEC, 1000, "six-months")[0] == date(2025, 6, 30)
    [submission, *_] = duties(END_MARCH, 1000, {}, date(2025, 10, 1))
    assert (submission.due, submission.status) == (None, "unknown")


def test_statuses_and_the_tsm_return() -> None:
    found = {d.key: d for d in duties(END_MARCH, 1200, {"published": date(2025, 7, 1)}, date(2025, 10, 1))}
    assert (found["submission"].status, found["publication"].status) == ("overdue", "done")
    tsm = found["tsm-return"]
    assert (tsm.due, tsm.status, tsm.confirmed) == (date(2025, 6, 30), "overdue", False)
    small = {d.key for d in duties(END_MARCH, 300, {}, date(2025, 10, 1))}
    assert "tsm-return" not in small  # under 1,000 homes: no TSM return
    assert "tsm-return" in {d.key for d in duties(END_MARCH, 1000, {}, date(2025, 10, 1))}  # 1,000 or more


def test_a_revised_self_assessment_must_be_resubmitted() -> None:
    rec = {"submitted_to_ombudsman": date(2025, 9, 1), "assessment_revised": date(2025, 11, 3)}
    [resub] = [d for d in duties(END_MARCH, 1200, rec, date(2025, 11, 10)) if d.key == "resubmission"]
    assert resub.status == "overdue" and resub.done is None
    rec["resubmitted"] = date(2025, 11, 20)
    [resub] = [d for d in duties(END_MARCH, 1200, rec, date(2025, 12, 1)) if d.key == "resubmission"]
    assert resub.status == "done"


def test_only_the_years_the_workspace_keeps_are_judged() -> None:
    kept = ["2023-24", "2024-25", "2025-26"]
    assert duty_years(date(2025, 3, 31), (4, 1), kept) == ["2023-24"]  # 2024-25 ends that day
    assert duty_years(date(2025, 4, 1), (4, 1), kept) == ["2023-24", "2024-25"]
    assert duty_years(date(2025, 4, 1), (4, 1), []) == []
    assert duty_years(date(2025, 1, 1), (1, 1), ["2024-25"]) == ["2024-25"]  # 1 Jan 2024 - 31 Dec 2024


def test_a_workspace_without_the_year_has_no_duties(tmp_path: Path) -> None:
    bare = make_ws(tmp_path / "bare")
    r = run("due", bare, "--as-of", "2025-10-01", "--format", "json")
    assert json.loads(r.stdout)["duties"] == []
    kept = make_ws(tmp_path / "kept", {"assessments/2024-25.yaml": "code: hoc-2024\nyear: 2024-25\nprovisions: {}\n"})
    r = run("due", kept, "--as-of", "2025-10-01", "--format", "json")
    assert {d["duty"] for d in json.loads(r.stdout)["duties"]} == {"submission", "publication"}


# -- through the workspace: hcode.yaml, reports/YYYY-YY.yaml, due and check ---------------------


def _ws(tmp_path: Path, homes: int, extra: str = "", files: dict[str, str] | None = None) -> Path:
    """A workspace keeping 2024-25 (its reports/ file; a year it keeps nothing for is not judged)."""
    config = f"hcode: 1\nlandlord: Test Homes\nhomes: {homes}\n{extra}"
    return make_ws(tmp_path / "ws", {"reports/2024-25.yaml": "year: 2024-25\n", **(files or {})}, config=config)


def _duties(ws: Path, as_of: str, *extra: str) -> dict[str, dict[str, Any]]:
    r = run("due", ws, "--as-of", as_of, "--format", "json", *extra)
    assert r.exit_code == 0, r.stderr
    return {d["duty"]: d for d in json.loads(r.stdout)["duties"]}


def _check(ws: Path, as_of: str) -> list[dict[str, Any]]:
    r = run("check", ws, "--as-of", as_of, "--format", "json")
    return [f for f in json.loads(r.stdout)["findings"] if f["rule"].startswith("duty") or f["rule"] == "schema"]


def test_due_1200_homes_april_year(tmp_path: Path) -> None:
    ws = _ws(tmp_path, 1200)
    found = _duties(ws, "2025-07-01")
    # the year 2024-25 ended on 31 March 2025: over 1,000 homes, the submission by 30 September
    assert found["submission"]["due"] == "2025-09-30" and found["submission"]["status"] == "open"
    assert (
        found["submission"]["confirmed"] is True and "guidance-on-annual-submissions" in found["submission"]["source"]
    )
    tsm = found["tsm-return"]  # 1,000 or more homes: the TSM return, 30 June by default, not confirmed
    assert (tsm["due"], tsm["status"], tsm["confirmed"]) == ("2025-06-30", "overdue", False)
    assert tsm["left"] == -1  # 1 July is one working day after 30 June
    assert found["publication"]["field"] == "published"


def test_due_300_homes_april_and_january_years(tmp_path: Path) -> None:
    april = _duties(_ws(tmp_path / "a", 300), "2025-07-01")
    assert april["submission"]["due"] == "2025-09-30" and "tsm-return" not in april
    assert "6 months" in april["submission"]["why"]
    # a January year: 2024-25 runs from 1 January 2024 to 31 December 2024, 6 months on: 30 June
    january = _duties(_ws(tmp_path / "j", 300, 'year_start: "01-01"\n'), "2025-07-01")
    assert (january["submission"]["year"], january["submission"]["due"]) == ("2024-25", "2025-06-30")
    assert january["submission"]["status"] == "overdue"
    findings = _check(_ws(tmp_path / "k", 300, 'year_start: "01-01"\n'), "2025-07-01")
    overdue = [f for f in findings if f["rule"] == "duty.overdue" and f["message"].startswith("the annual submission")]
    assert len(overdue) == 1 and overdue[0]["due"] == "2025-06-30"
    assert "submitted_to_ombudsman: YYYY-MM-DD in reports/2024-25.yaml" in overdue[0]["hint"]


def test_exactly_1000_homes_asks_for_the_setting(tmp_path: Path) -> None:
    ws = _ws(tmp_path, 1000)
    found = _duties(ws, "2025-07-01")
    assert found["submission"]["due"] is None and found["submission"]["status"] == "unknown"
    assert "neither covers 1,000" in found["submission"]["why"]
    assert "tsm-return" in found  # 1,000 or more homes
    [info] = [f for f in _check(ws, "2025-07-01") if f["rule"] == "duty.date"]
    assert info["severity"] == "info" and "annual_submission" in info["hint"] and info["file"] == "hcode.yaml"
    text = run("due", ws, "--as-of", "2025-07-01").stdout
    assert "not known" in text and "neither covers 1,000" in " ".join(text.split())
    chosen = _duties(_ws(tmp_path / "b", 1000, "annual_submission: six-months\n"), "2025-07-01")
    assert chosen["submission"]["due"] == "2025-09-30" and "annual_submission" in chosen["submission"]["why"]


def test_recorded_dates_settle_duties_and_check_warns_only_on_overdue(tmp_path: Path) -> None:
    report = "year: 2024-25\nreported_to_governing_body: 2025-06-20\npublished: 2025-07-01\n"
    ws = _ws(tmp_path, 1200, "tsm:\n  return_due: 07-31\n", {"reports/2024-25.yaml": report})
    found = _duties(ws, "2025-10-01")
    assert "publication" not in found  # done: not listed
    assert found["submission"]["status"] == "overdue"
    assert (found["tsm-return"]["due"], found["tsm-return"]["confirmed"]) == ("2025-07-31", True)
    every = _duties(ws, "2025-10-01", "--all")
    assert every["publication"]["done"] == "2025-07-01" and every["publication"]["status"] == "done"
    warned = {f["message"].split(" for ")[0] for f in _check(ws, "2025-10-01") if f["rule"] == "duty.overdue"}
    assert warned == {"the annual submission to the Housing Ombudsman", "the TSM return to the Regulator"}
    assert all(f["file"] == "reports/2024-25.yaml" for f in _check(ws, "2025-10-01"))
    # before the dates: nothing overdue, nothing warned
    assert not [f for f in _check(ws, "2025-06-01") if f["rule"] == "duty.overdue"]
    # a warning: fails a run only with --fail-on warning
    assert run("check", ws, "--as-of", "2025-10-01", "--rule", "duty.overdue", "--fail-on", "warning").exit_code == 1
    assert run("check", ws, "--as-of", "2025-10-01", "--rule", "duty.overdue").exit_code == 0


def test_a_date_that_is_not_a_day_is_an_error_at_its_line(tmp_path: Path) -> None:
    report = "year: 2024-25\npublished: 2025-02-30\n"
    ws = _ws(tmp_path, 300, "", {"reports/2024-25.yaml": report})
    [bad] = [f for f in _check(ws, "2025-10-01") if f["rule"] == "schema"]
    assert (bad["file"], bad["line"], bad["column"]) == ("reports/2024-25.yaml", 2, 12)
    assert "not a real date" in bad["message"]
    r = run("due", ws, "--as-of", "2025-10-01")
    assert "leaves out reports/2024-25.yaml: 'published' is '2025-02-30'" in r.stderr
    wrong = _ws(tmp_path / "b", 300, "", {"reports/2024-25.yaml": "year: 2024-25\npublishd: 2025-07-01\n"})
    assert "unknown key 'publishd'" in run("due", wrong).stderr
    [bad] = [f for f in _check(wrong, "2025-10-01") if f["rule"] == "schema"]
    assert bad["line"] == 2 and "published" in (bad["message"] + (bad.get("hint") or ""))


def test_a_revised_self_assessment_is_due_again(tmp_path: Path) -> None:
    report = (
        "year: 2024-25\nsubmitted_to_ombudsman: 2025-09-01\npublished: 2025-08-01\nassessment_revised: 2025-11-03\n"
    )
    ws = _ws(tmp_path, 300, "", {"reports/2024-25.yaml": report})
    found = _duties(ws, "2025-11-10")
    assert set(found) == {"resubmission"} and found["resubmission"]["status"] == "overdue"
    [warn] = [f for f in _check(ws, "2025-11-10") if f["rule"] == "duty.overdue"]
    assert "resubmitted: YYYY-MM-DD" in warn["hint"]


def test_settings_are_validated(tmp_path: Path) -> None:
    r = run("due", _ws(tmp_path / "a", 1000, "annual_submission: 30-sept\n"))
    assert r.exit_code == 3 and "hcode.yaml:4" in r.stderr
    r = run("due", _ws(tmp_path / "b", 1200, "tsm:\n  return_due: 02-30\n"))
    assert r.exit_code == 3 and "not a real day" in r.stderr


def test_due_filters_choose_the_duties(tmp_path: Path) -> None:
    """A duty is no case's: choosing cases (category, kind, year received...) lists none;
    --overdue lists the overdue ones."""
    report = "year: 2024-25\npublished: 2025-07-01\n"
    ws = _ws(tmp_path, 1200, "", {"reports/2024-25.yaml": report})
    every = _duties(ws, "2025-07-15")
    assert set(every) == {"submission", "tsm-return"}  # published: done
    assert set(_duties(ws, "2025-07-15", "--overdue")) == {"tsm-return"}
    assert _duties(ws, "2025-07-15", "--category", "repairs") == {}
    assert _duties(ws, "2025-07-15", "--kind", "complaint") == {}
    assert set(_duties(ws, "2025-07-15", "--all", "--open")) == {"submission", "tsm-return"}
