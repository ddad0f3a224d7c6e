"""The three shipped editions of the Code as data: dates, sections, provisions and forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, make_ws
from hcode.store.workspace import WorkspaceError, load_code

C2020 = load_code(None, "hoc-2020")
C2022 = load_code(None, "hoc-2022")
C2024 = load_code(None, "hoc-2024")


def test_effective_dates() -> None:
    assert [c.effective.isoformat() for c in (C2020, C2022, C2024)] == ["2020-09-01", "2022-04-01", "2024-04-01"]


def test_forms() -> None:
    assert (C2020.form.layout, C2020.form.answers) == ("questionnaire", ("yes", "no", "n/a"))
    assert (C2022.form.layout, C2022.form.answers) == ("must-should", ("yes", "no"))
    assert (C2024.form.layout, C2024.form.answers) == ("appendix-a", ("yes", "no"))
    assert C2020.form.allows_na and not C2022.form.allows_na and not C2024.form.allows_na
    assert C2020.form.answers_text == "Yes / No / N/A" and C2024.form.answers_text == "Yes/No"
    assert C2022.form.note is not None and "2022-10-01" in C2022.form.note


def test_2020_questionnaire() -> None:
    counts = {s.number: len(s.provisions) for s in C2020.sections}
    assert counts == {1: 3, 2: 4, 3: 8, 4: 10, 5: 2, 6: 4, 7: 1, 8: 4}
    assert C2020.provisions["5.1"].text == "Were all requests for evidence responded to within 15 days?"
    assert C2020.sections[4].title == "Cooperation with Housing Ombudsman Service"
    text_answers = sorted(
        (p.id for p in C2020.provisions.values() if p.answer == "text"), key=lambda i: [int(x) for x in i.split(".")]
    )
    assert text_answers == ["3.8", "4.5", "4.6", "4.7", "4.10", "6.3", "8.1", "8.2", "8.4"]
    assert all(p.assessed and p.level is None for p in C2020.provisions.values())


def test_2022_rows_have_levels_and_gaps_are_marked() -> None:
    assert all(p.level in ("must", "should") for p in C2022.provisions.values())
    should = sorted(p.id for p in C2022.provisions.values() if p.level == "should")
    assert should == ["2.2", "3.3", "6.3", "7.3", "7.4"]
    assert C2022.provisions["5.1"].text.startswith(
        "Landlords must respond to the complaint within 10 working days of the complaint being logged"
    )
    assert C2022.provisions["6.3"].text.startswith("Landlords should look beyond the circumstances")
    eight = C2022.sections[-1]
    assert eight.number == 8 and eight.provisions == () and eight.unconfirmed
    # a section with rows missing says so; one confirmed in full does not
    assert C2022.sections[0].unconfirmed and C2022.sections[2].unconfirmed is None


def test_the_same_number_means_different_things_in_each_edition() -> None:
    assert "15 days" in C2020.provisions["5.1"].text
    assert "10 working days" in C2022.provisions["5.1"].text
    assert C2024.provisions["5.1"].text.startswith("Landlords must have a single policy")


def test_a_workspace_form_with_an_unknown_layout_is_refused(tmp_path: Path) -> None:
    text = (ROOT / "provisions" / "hoc-2022.yaml").read_text()
    ws = make_ws(tmp_path, {"provisions/hoc-2022.yaml": text.replace("layout: must-should", "layout: grid")})
    with pytest.raises(WorkspaceError) as err:
        load_code(ws, "hoc-2022")
    assert "'layout'" in str(err.value) and "grid" in str(err.value)


def test_an_unknown_edition_lists_the_known_ones(tmp_path: Path) -> None:
    from conftest import run

    ws = make_ws(tmp_path, config="hcode: 1\nlandlord: T\ncode: hoc-2019\n")
    r = run("check", ws)
    assert r.exit_code == 3
    assert "unknown Code edition 'hoc-2019' (known: hoc-2020, hoc-2022, hoc-2024)" in r.stderr
