"""One reporting-year parser and one answer to "which edition does a self-assessment answer",
used by hcode check, the reports and the assessment and import commands alike."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import check_json, copy_example, make_ws, run
from hcode.core.editions import AUTO, AssessmentEditions, Editions, Unusable
from hcode.core.years import ReportingYear, YearError, reporting_year, year_containing
from hcode.store.workspace import load_editions

# -- the parser -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024-25", date(2024, 4, 1), date(2025, 3, 31)),
        ("2023-24", date(2023, 4, 1), date(2024, 3, 31)),  # 2024 is a leap year: still 31 March
        ("1999-00", date(1999, 4, 1), date(2000, 3, 31)),  # the century turns
    ],
)
def test_a_reporting_year_is_its_period(text: str, start: date, end: date) -> None:
    period = reporting_year(text).period()
    assert (period.key, period.label, period.start, period.end) == ("year", text, start, end)


def test_the_period_follows_year_start() -> None:
    period = reporting_year("2024-25").period((1, 1))
    assert (period.start, period.end) == (date(2024, 1, 1), date(2024, 12, 31))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023-25", "2023-25 is not a reporting year: write 2023-24"),
        ("2024-24", "2024-24 is not a reporting year: write 2024-25"),
        ("1999-01", "1999-01 is not a reporting year: write 1999-00"),
        ("2024/25", "'2024/25' is not a reporting year: write it like 2024-25"),
        ("2024", "'2024' is not a reporting year: write it like 2024-25"),
        ("24-25", "'24-25' is not a reporting year: write it like 2024-25"),
        ("2024-2025", "'2024-2025' is not a reporting year: write it like 2024-25"),
        ("", "'' is not a reporting year: write it like 2024-25"),
        ("1899-00", "1899-00 is outside the years hcode works with (1900 to 2199)"),
    ],
)
def test_what_is_not_a_reporting_year_says_what_to_write(text: str, message: str) -> None:
    with pytest.raises(YearError) as caught:
        reporting_year(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("day", "year_start", "year"),
    [
        (date(2025, 3, 31), (4, 1), "2024-25"),
        (date(2025, 4, 1), (4, 1), "2025-26"),
        (date(2025, 1, 1), (1, 1), "2025-26"),
        (date(2024, 12, 31), (1, 1), "2024-25"),
    ],
)
def test_the_year_a_day_falls_in(day: date, year_start: tuple[int, int], year: str) -> None:
    assert year_containing(day, year_start).name == year
    assert day in reporting_year(year).period(year_start)


def test_previous_and_next() -> None:
    assert (ReportingYear(2024).previous.name, ReportingYear(2024).next.name) == ("2023-24", "2025-26")


# -- which edition a self-assessment answers ------------------------------------------------

ALL = load_editions(None, AUTO)
KNOWN = AssessmentEditions({c.code: c for c in ALL.codes}, {"hoc-2026": "provisions/hoc-2026.yaml:3:1: bad"})
FIXED_2022 = Editions.of([c for c in ALL.codes if c.code == "hoc-2022"], "hoc-2022")


@pytest.mark.parametrize(
    ("named", "done_on", "workspace", "edition"),
    [
        # code: named explicitly wins, whatever hcode.yaml says and whenever it was done
        ("hoc-2022", date(2025, 6, 13), ALL, "hoc-2022"),
        ("hoc-2020", date(2021, 6, 1), ALL, "hoc-2020"),
        ("hoc-2024", date(2025, 6, 13), FIXED_2022, "hoc-2024"),
        # no code: under code: NAME, that edition
        (None, date(2025, 6, 13), FIXED_2022, "hoc-2022"),
        # no code: under code: auto, the edition in force when it was done; hoc-2024 took effect
        # on 1 April 2024, so a 2023-24 self-assessment answers the 2022 form when completed in
        # March 2024 and the 2024 form when completed in June 2024 (as landlords did)
        (None, date(2024, 3, 28), ALL, "hoc-2022"),
        (None, date(2024, 3, 31), ALL, "hoc-2022"),
        (None, date(2024, 4, 1), ALL, "hoc-2024"),
        (None, date(2024, 6, 13), ALL, "hoc-2024"),
        (None, date(2025, 6, 13), ALL, "hoc-2024"),
        (None, date(2022, 3, 31), ALL, "hoc-2020"),
        (None, date(2019, 6, 1), ALL, "hoc-2020"),  # before every edition: the earliest
    ],
)
def test_the_edition_a_self_assessment_answers(
    named: str | None, done_on: date, workspace: Editions, edition: str
) -> None:
    found = KNOWN.answered(named, done_on, workspace)
    assert not isinstance(found, Unusable) and found.code == edition


@pytest.mark.parametrize(
    ("named", "message", "hint"),
    [
        (
            "hoc-2019",
            "unknown Code edition 'hoc-2019' (known: hoc-2020, hoc-2022, hoc-2024, hoc-2026)",
            "write the edition whose form this self-assessment answers",
        ),
        ("hoc-2026", "hoc-2026 cannot be used: provisions/hoc-2026.yaml:3:1: bad", "fix provisions/hoc-2026.yaml"),
    ],
)
def test_an_edition_that_cannot_be_used_says_why(named: str, message: str, hint: str) -> None:
    found = KNOWN.answered(named, date(2025, 6, 13), ALL)
    assert isinstance(found, Unusable)
    assert found.message == message and found.hint.startswith(hint)


def test_the_workspace_alone_knows_only_its_own() -> None:
    found = AssessmentEditions.of(FIXED_2022).answered("hoc-2019", date(2025, 6, 13), FIXED_2022)
    assert isinstance(found, Unusable) and found.message.endswith("(known: hoc-2022)")


@pytest.mark.parametrize("day", [date(2019, 1, 1), date(2022, 3, 31), date(2022, 4, 1), date(2024, 4, 1)])
def test_in_force_is_the_same_for_assessments_and_cases(day: date) -> None:
    assert KNOWN.in_force(day) is ALL.in_force(day)


# -- the commands agree -----------------------------------------------------------------------

AUTO_CONFIG = "hcode: 1\nlandlord: Test Homes\nhomes: 100\ncode: auto\n"


def _unnamed(completed: str) -> str:
    """A 2023-24 self-assessment without code:, its 1.2 answered (1.2 is on the 2022 and 2024 forms)."""
    return (
        f"year: 2023-24\ncompleted: {completed}\napproved: {{by: Board, date: {completed}}}\n"
        'provisions:\n  "1.2":\n    comply: yes\n    evidence: [Policy 2.1]\n'
    )


@pytest.mark.parametrize(
    ("completed", "edition", "form_text"),
    [
        ("2024-03-28", "hoc-2022", "Mandatory 'must' requirements"),
        ("2024-06-13", "hoc-2024", "statutory from 1 April 2024"),
    ],
)
def test_check_report_and_migrate_agree_on_the_edition(
    tmp_path: Path, completed: str, edition: str, form_text: str
) -> None:
    ws = make_ws(tmp_path, {"assessments/2023-24.yaml": _unnamed(completed)}, config=AUTO_CONFIG)
    # hcode check: the answers are checked against that edition, and the file is not told it
    # names an edition it does not name
    doc = check_json(ws, "2024-07-31")
    rules = {f["rule"] for f in doc["findings"] if f["file"] == "assessments/2023-24.yaml"}
    assert "assessment.edition" not in rules and "assessment.code" not in rules
    unanswered = [f["message"] for f in doc["findings"] if f["rule"] == "assessment.complete"]
    wanted = len([p for c in ALL.codes if c.code == edition for p in c.assessed])
    assert len(unanswered) == wanted - 1
    # hcode report assessment: rendered on that edition's form
    report = run("report", "assessment", ws, "--year", "2023-24", "--as-of", "2024-07-31")
    assert report.exit_code == 0, report.stderr
    assert form_text in report.stdout
    # hcode assessment migrate: starts from that edition
    migrated = run("assessment", "migrate", "-w", ws, "--from", "2023-24", "--code", "hoc-2024")
    if edition == "hoc-2024":
        assert migrated.exit_code == 3
        assert "already answers the hoc-2024 form" in migrated.stderr
    else:
        assert migrated.exit_code == 0, migrated.stderr
        assert "(hoc-2022) to review" in migrated.stdout


def test_a_completed_date_after_the_as_of_day_does_not_choose_the_edition(tmp_path: Path) -> None:
    # completed on 13 June 2024 (hoc-2024 in force), but checked as on 31 March 2024: on that day
    # the file was not completed and hoc-2022 was in force, so it answers hoc-2022's form
    ws = make_ws(tmp_path, {"assessments/2023-24.yaml": _unnamed("2024-06-13")}, config=AUTO_CONFIG)
    doc = check_json(ws, "2024-03-31")
    unanswered = [f for f in doc["findings"] if f["rule"] == "assessment.complete"]
    hoc_2022 = len([p for c in ALL.codes if c.code == "hoc-2022" for p in c.assessed])
    assert len(unanswered) == hoc_2022 - 1
    assert not [f for f in doc["findings"] if f["rule"] in ("assessment.edition", "assessment.code")]
    report = run("report", "assessment", ws, "--year", "2023-24", "--as-of", "2024-03-31")
    assert report.exit_code == 0, report.stderr
    assert "Mandatory 'must' requirements" in report.stdout
    # known by 31 July 2024: the completed date chooses (hoc-2024)
    later = run("report", "assessment", ws, "--year", "2023-24", "--as-of", "2024-07-31")
    assert "statutory from 1 April 2024" in later.stdout


@pytest.mark.parametrize(
    ("config", "code_line", "as_of", "hint"),
    [
        (
            AUTO_CONFIG,
            "",
            "2024-03-31",
            "this file has no code: line, so it answers the hoc-2022 form, the edition in force on "
            "2024-03-31 (not completed by then)",
        ),
        (
            AUTO_CONFIG,
            "",
            "2024-07-31",
            "this file has no code: line, so it answers the hoc-2024 form, the edition in force when "
            "it was completed (2024-06-13)",
        ),
        (
            AUTO_CONFIG.replace("code: auto", "code: hoc-2022"),
            "",
            "2024-07-31",
            "this file has no code: line, so it answers the hoc-2022 form, the edition hcode.yaml names",
        ),
        (AUTO_CONFIG, "code: hoc-2024\n", "2024-07-31", "this file answers the hoc-2024 form (code: hoc-2024)"),
    ],
)
def test_the_unknown_provision_hint_says_why_the_form(
    tmp_path: Path, config: str, code_line: str, as_of: str, hint: str
) -> None:
    text = code_line + _unnamed("2024-06-13") + '  "9.9":\n    comply: yes\n'
    ws = make_ws(tmp_path, {"assessments/2023-24.yaml": text}, config=config)
    doc = check_json(ws, as_of)
    unknown = [f for f in doc["findings"] if f["rule"] == "assessment.unknown"]
    assert [f["hint"] for f in unknown] == [hint + "; check the number (quote it if YAML changed it) or the edition"]


def test_before_the_change_an_unnamed_file_is_not_said_to_name_one(tmp_path: Path) -> None:
    # completed before 1 September 2020 (no edition yet): the earliest form, and the message says the
    # file answers it (it names none)
    text = _unnamed("2020-03-01").replace("2023-24", "2019-20")
    ws = make_ws(tmp_path, {"assessments/2019-20.yaml": text}, config=AUTO_CONFIG)
    doc = check_json(ws, "2020-03-02")
    edition = [f for f in doc["findings"] if f["rule"] == "assessment.edition"]
    assert [f["message"] for f in edition] == [
        "the 2019-20 self-assessment answers (no code: line) hoc-2020, which took effect on 2020-09-01, "
        "after that reporting year ended (2020-03-31)"
    ]


def test_migrate_names_why_an_edition_cannot_be_used(tmp_path: Path) -> None:
    ws = make_ws(tmp_path, {"assessments/2023-24.yaml": "code: hoc-2019\n" + _unnamed("2024-06-13")})
    res = run("assessment", "migrate", "-w", ws, "--from", "2023-24")
    assert res.exit_code == 3
    assert "unknown Code edition 'hoc-2019' (known: hoc-2020, hoc-2022, hoc-2024)" in res.stderr


# -- every command that takes a year refuses one that is not -----------------------------------

BAD = "2023-25 is not a reporting year: write 2023-24"


@pytest.mark.parametrize(
    "args",
    [
        ("report", "annual", "--year", "2023-25"),
        ("report", "annual", "--year", "2023-25", "--format", "json"),
        ("report", "assessment", "--year", "2023-25"),
        ("report", "tsm", "--year", "2023-25"),
        ("assessment", "migrate", "--from", "2023-25"),
        ("assessment", "migrate", "--from", "2023-24", "--year", "2023-25"),
        ("import", "assessment", "form.csv", "--year", "2023-25"),
    ],
)
def test_a_bad_year_is_a_usage_error(tmp_path: Path, args: tuple[str, ...]) -> None:
    ws = copy_example(tmp_path / "ws")
    before = sorted(p.name for p in (ws / "assessments").iterdir())
    res = run(*args, "-w", ws)
    assert res.exit_code == 2, res.stdout + res.stderr
    assert BAD in res.stderr
    option = "--from" if args[-2] == "--from" else "--year"
    assert f"Invalid value for {option}: {BAD}" in res.stderr
    assert sorted(p.name for p in (ws / "assessments").iterdir()) == before  # nothing written
    assert res.stdout == ""


def test_a_file_with_a_bad_year_is_reported(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    text = (ws / "assessments" / "2024-25.yaml").read_text("utf-8").replace("year: 2024-25", "year: 2024-26")
    (ws / "assessments" / "2024-25.yaml").write_text(text, "utf-8")
    (ws / "reports").mkdir(exist_ok=True)
    (ws / "reports" / "2023-25.yaml").write_text("year: 2023-24\n", "utf-8")
    doc = check_json(ws, "2025-07-31")
    found = {(f["file"], f["rule"]): f for f in doc["findings"]}
    bad_year = found[("assessments/2024-25.yaml", "schema")]
    assert bad_year["message"] == "2024-26 is not a reporting year: write 2024-25" and bad_year["line"] == 3
    named = found[("reports/2023-25.yaml", "file.name")]
    assert named["message"].endswith(f"({BAD})")


@pytest.mark.parametrize(
    ("year_start", "inside", "outside"),
    [
        ('"04-01"', ["2024-04-01", "2025-03-31", "2025-06-30"], ["2024-03-31", "2025-07-01"]),
        ('"01-01"', ["2024-01-01", "2024-12-31", "2025-03-31"], ["2023-12-31", "2025-04-01", "2025-06-30"]),
    ],
)
def test_ombudsman_documents_of_a_year_follow_year_start(
    tmp_path: Path, year_start: str, inside: list[str], outside: list[str]
) -> None:
    """The annual report shows the Ombudsman's documents dated in its reporting year or in the
    three months after it (while the report is written), whenever the year starts."""
    from hcode.store.reader import Store

    files = {
        f"ombudsman/{day}.yaml": f"date: {day}\nkind: other\ntitle: Letter of {day}\nsummary: A letter.\n"
        for day in [*inside, *outside]
    }
    ws = make_ws(tmp_path, files, config=AUTO_CONFIG + f"year_start: {year_start}\n")
    shown = [d["title"] for d in Store.open(ws).report_inputs("2024-25").items[0]["ombudsman_documents"]]
    assert shown == [f"Letter of {day}" for day in inside]


@pytest.mark.parametrize("report", ["annual", "assessment"])
def test_another_years_file_with_a_bad_year_stops_the_report(tmp_path: Path, report: str) -> None:
    # a 2023-24 file that says year: 2023-25 cannot be read; the 2024-25 reports refuse (exit
    # 3) rather than leave it out silently, naming the file, the line and what to write
    ws = copy_example(tmp_path / "ws")
    text = (ws / "assessments" / "2024-25.yaml").read_text("utf-8").replace("year: 2024-25", "year: 2023-25")
    (ws / "assessments" / "2023-24.yaml").write_text(text, "utf-8")
    out = tmp_path / "out"
    res = run("report", report, "-w", ws, "--year", "2024-25", "--as-of", "2025-07-31", "-o", out)
    assert res.exit_code == 3, res.stdout + res.stderr
    assert "assessments/2023-24.yaml:3:7: 2023-25 is not a reporting year: write 2023-24" in res.stderr
    assert "nothing was written" in res.stderr and "--skip-broken" in res.stderr
    assert not out.exists() or not any(out.iterdir())
    # --skip-broken goes on, and the report names the file left out
    skipped = run("report", report, "-w", ws, "--year", "2024-25", "--as-of", "2025-07-31", "--skip-broken")
    assert skipped.exit_code == 0, skipped.stderr
    assert "`assessments/2023-24.yaml` (line 3): 2023-25 is not a reporting year: write 2023-24" in skipped.stdout


def test_month_end_is_the_last_day_of_every_month() -> None:
    """A date written as a month ("June 2024") ends on the month's last day, February of a leap
    year and December included (checked against the standard library's calendar)."""
    import calendar

    from hcode.core.years import month_end

    for year in (2023, 2024, 2100):
        for month in range(1, 13):
            assert month_end(year, month) == date(year, month, calendar.monthrange(year, month)[1])
