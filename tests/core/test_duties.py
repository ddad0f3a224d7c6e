"""The year's duties, worked by hand from the Ombudsman's guidance on annual submissions."""

from __future__ import annotations

from datetime import date

from hcode.core.duties import duties, six_months_after, submission_due

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
