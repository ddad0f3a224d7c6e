"""Between editions: provisions list/show --code, provisions diff (from the mappings kept as
data) and assessment migrate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, check_json, make_ws, run
from hcode.core.mapping import compare, normalise
from hcode.store.mappings import load_mapping
from hcode.store.workspace import load_code

LAST_YEAR = """\
code: hoc-2022
year: 2023-24
completed: 2023-10-02
approved: {by: Board, date: 2023-10-20}
provisions:
  "1.2":
    comply: yes
    evidence: [Complaints policy 2.1]
    commentary: The policy quotes the definition.
  "2.3":
    comply: yes
    evidence: [Policy on the website]
  "2.4":
    comply: no
    commentary: The page is hard to find.
    actions:
      - {action: Link the complaints page from the home page, owner: Web Manager, due: 2024-06}
      - {action: Rewrite the page, owner: Web Manager, due: 2023-12-01, done: 2023-11-20}
  "6.3":
    comply: no
    commentary: "Not done across all services yet: repairs only."
    actions:
      - {action: Quarterly review of complaint themes, owner: Complaints Lead, due: 2024-01-31}
  "5.11":
    comply: yes
    evidence: [Stage 1 letter]
"""


# -- provisions list / show --code ------------------------------------------------------------------


def test_list_another_edition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = run("provisions", "list", "--code", "hoc-2022")
    assert r.exit_code == 0
    assert "(hoc-2022, effective 2022-04-01)" in r.stdout
    assert "Not confirmed: No row of this section was found" in r.stdout
    assert "Appendix B: self-assessment form, answered Yes/No." in r.stdout
    r20 = run("provisions", "list", "--code", "hoc-2020")
    assert "Yes / No / N/A" in r20.stdout and "15 days" in r20.stdout


def test_show_in_another_edition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = run("provisions", "show", "6.3", "--code", "hoc-2022")
    assert r.exit_code == 0
    assert r.stdout.startswith("hoc-2022 6.3 - Section 6: Putting things right\n")
    assert "Form row: a 'should' requirement." in r.stdout
    # the same number in the workspace's (default) edition is another provision
    assert "within 10 working days of the complaint being acknowledged" in run("provisions", "show", "6.3").stdout
    text = run("provisions", "show", "4.5", "--code", "hoc-2020").stdout
    assert "Answered in words" in text


def test_show_and_list_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    unknown = run("provisions", "list", "--code", "hoc-1999")
    assert unknown.exit_code == 3 and "known: hoc-2020, hoc-2022, hoc-2024" in unknown.stderr
    missing = run("provisions", "show", "9.1", "--code", "hoc-2020")
    assert missing.exit_code == 2 and "hoc-2020 has no provision 9.1" in missing.stderr


# -- provisions diff --------------------------------------------------------------------------------


def test_normalise_ignores_quotes_lists_and_spacing() -> None:
    assert normalise("A ‘complaint’  must:\n- be logged;\n- be answered.") == normalise(
        "a 'complaint' must: be logged be answered"
    )


def test_diff_2022_2024_counts() -> None:
    old, new = load_code(None, "hoc-2022"), load_code(None, "hoc-2024")
    changes = compare(load_mapping(None, "hoc-2022", "hoc-2024"), old, new)
    kinds: dict[str, int] = {}
    for c in changes:
        kinds[c.label] = kinds.get(c.label, 0) + 1
    assert kinds == {
        "wording changed": 2,
        "renumbered, wording changed": 28,
        "removed": 2,
        "renumbered": 1,
        "added": 45,
    }
    by_old = {c.old: c for c in changes if c.old}
    assert (by_old["1.7"].new, by_old["1.7"].kind, by_old["1.7"].unconfirmed) == ("2.1", "renumbered", None)
    assert by_old["5.1"].new == "6.3" and by_old["5.1"].unconfirmed and "acknowledgement" in by_old["5.1"].unconfirmed
    assert by_old["2.2"].kind == "removed"
    assert by_old["6.3"].new == "9.1"
    # every 2022 row is mapped (none is "not in the mapping")
    assert all(c.kind != "not-mapped" for c in changes)


def test_diff_json_and_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = run("provisions", "diff", "hoc-2022", "hoc-2024", "--format", "json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc["from"] == "hoc-2022" and doc["mapping"] == "(hcode) provisions/mappings/hoc-2022-hoc-2024.yaml"
    row = next(c for c in doc["changes"] if c["from"] == "1.9")
    assert row == {
        "change": "renumbered",
        "from": "1.9",
        "to": "2.4",
        "wording_changed": True,
        "confirmed": True,
        "unconfirmed": None,
    }
    assert any(g.startswith("8: No row") for g in doc["gaps"])
    text = run("provisions", "diff", "hoc-2022", "hoc-2024").stdout
    assert "renumbered, wording changed" in text and "hcode's reading" in text
    assert "2 wording changed, 28 renumbered, wording changed, 2 removed, 1 renumbered, 45 added." in text


def test_diff_through_an_edition_between(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    doc = json.loads(run("provisions", "diff", "hoc-2020", "hoc-2024", "--format", "json").stdout)
    row = next(c for c in doc["changes"] if c["from"] == "1.1")
    assert row["to"] == "1.2" and not row["confirmed"] and "via hoc-2022 1.2" in row["unconfirmed"]
    assert next(c for c in doc["changes"] if c["from"] == "4.5")["change"] == "not-mapped"


def test_diff_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    backwards = run("provisions", "diff", "hoc-2024", "hoc-2022")
    assert backwards.exit_code == 2 and "give the earlier edition first" in backwards.stderr
    assert run("provisions", "diff", "hoc-2022", "hoc-2024", "--format", "xml").exit_code == 2
    assert run("provisions", "diff", "hoc-1999", "hoc-2024").exit_code == 3


def test_a_workspace_mapping_with_a_wrong_id_is_refused(tmp_path: Path) -> None:
    text = (ROOT / "provisions" / "mappings" / "hoc-2022-hoc-2024.yaml").read_text()
    ws = make_ws(tmp_path, {"provisions/mappings/hoc-2022-hoc-2024.yaml": text.replace('to: "9.7"', 'to: "9.9"')})
    r = run("provisions", "diff", "hoc-2022", "hoc-2024", "-w", ws)
    assert r.exit_code == 3 and "hoc-2024 has no provision 9.9" in r.stderr


def test_shipped_mappings_fit_their_editions() -> None:
    from hcode.core.mapping import check_mapping

    for old, new in (("hoc-2020", "hoc-2022"), ("hoc-2022", "hoc-2024")):
        m = load_mapping(None, old, new)
        assert check_mapping(m, load_code(None, old), load_code(None, new)) == []


# -- assessment migrate -----------------------------------------------------------------------------


def _ws(tmp_path: Path) -> Path:
    return make_ws(tmp_path, {"assessments/2023-24.yaml": LAST_YEAR})


def test_migrate_carries_answers_for_review(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    r = run("assessment", "migrate", "--from", "2023-24", "-w", ws)
    assert r.exit_code == 0, r.stderr
    assert "3 answers carried from 2023-24 (hoc-2022) to review, 69 provisions to answer" in r.stdout
    assert "Not carried (no hoc-2024 provision in the mapping): hoc-2022 5.11." in r.stdout
    text = (ws / "assessments" / "2024-25.yaml").read_text()
    assert "code: hoc-2024\nyear: 2024-25\n" in text
    block = text.split('  "9.1":\n', 1)[1].split("\n\n", 1)[0]
    assert block.splitlines() == [
        "    comply: no",
        "    evidence: []",
        '    commentary: "Not done across all services yet: repairs only."',
        "    actions:",
        '      - action: "Quarterly review of complaint themes"',
        '        owner: "Complaints Lead"',
        "        due: 2024-01-31",
        '    review: "carried from 2023-24 (hoc-2022 6.3)"',
    ]
    # two answers that differ are carried with no comply, the done action left behind
    merged = text.split('  "3.4":\n', 1)[1].split("\n\n", 1)[0]
    assert "    comply:\n" in merged + "\n" and "Rewrite the page" not in merged
    assert "last year's answers differed: choose one" in merged
    # the written file is in fmt's canonical layout, so fmt keeps the review: lines
    assert run("fmt", "--check", ws / "assessments" / "2024-25.yaml").exit_code == 0
    doc = check_json(ws, "2025-03-31")
    reviews = [f for f in doc["findings"] if f["rule"] == "assessment.review"]
    assert sorted(f["message"].split(":")[0] for f in reviews) == ["provision 1.2", "provision 3.4", "provision 9.1"]


def test_a_reviewed_answer_is_no_longer_reported(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    assert run("assessment", "migrate", "--from", "2023-24", "-w", ws).exit_code == 0
    path = ws / "assessments" / "2024-25.yaml"
    path.write_text(path.read_text().replace('    review: "carried from 2023-24 (hoc-2022 6.3)"\n', ""))
    reviews = [f for f in check_json(ws, "2025-03-31")["findings"] if f["rule"] == "assessment.review"]
    assert len(reviews) == 2


def test_migrate_from_the_2020_questionnaire_drops_na_the_new_form_refuses(tmp_path: Path) -> None:
    fixture = (ROOT / "tests" / "data" / "assessments" / "2020-21-questionnaire.yaml").read_text()
    ws = make_ws(tmp_path, {"assessments/2020-21.yaml": fixture})
    r = run("assessment", "migrate", "--from", "2020-21", "--year", "2021-22", "--code", "hoc-2022", "-w", ws)
    assert r.exit_code == 0, r.stderr
    text = (ws / "assessments" / "2021-22.yaml").read_text()
    assert "code: hoc-2022" in text
    block = text.split('  "1.8":\n', 1)[1].split("\n\n", 1)[0]
    assert "hoc-2020 1.2, 1.3" in block and "the mapping is hcode's reading" in block


def test_migrate_refusals(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    assert run("assessment", "migrate", "--from", "2023-24", "-w", ws).exit_code == 0
    again = run("assessment", "migrate", "--from", "2023-24", "-w", ws)
    assert again.exit_code == 3 and "assessments/2024-25.yaml already exists; nothing was written" in again.stderr
    none = run("assessment", "migrate", "--from", "2019-20", "-w", ws)
    assert none.exit_code == 3 and "there is no 2019-20 self-assessment" in none.stderr
    same = run("assessment", "migrate", "--from", "2024-25", "--year", "2025-26", "-w", ws)
    assert same.exit_code == 3 and "already answers the hoc-2024 form" in same.stderr
    bad = run("assessment", "migrate", "--from", "last-year", "-w", ws)
    assert bad.exit_code == 2
    unknown = run("assessment", "migrate", "--from", "2023-24", "--year", "2026-27", "--code", "hoc-2030", "-w", ws)
    assert unknown.exit_code == 3 and "unknown Code edition 'hoc-2030'" in unknown.stderr


def test_migrate_carries_notes_and_the_open_action_plan(tmp_path: Path) -> None:
    text = LAST_YEAR + (
        "notes:\n"
        '  "1": "Our panel meets monthly."\n'
        "actions:\n"
        "  - action: Review the policy\n"
        "    provisions: ['2.3', '5.11']\n"
        "    owner: Complaints Manager\n"
        "    due: 2024-09\n"
        "    progress: [Draft with the Board]\n"
        "  - action: Done already\n"
        "    provisions: ['1.2']\n"
        "    done: 2023-09-01\n"
    )
    text = text.replace(
        "commentary: The policy quotes the definition.", "commentary: The policy quotes the definition (see note 1)."
    )
    ws = make_ws(tmp_path, {"assessments/2023-24.yaml": text})
    r = run("assessment", "migrate", "--from", "2023-24", "-w", ws)
    assert r.exit_code == 0, r.stderr
    assert "1 open actions of the action plan carried." in r.stdout
    assert "Those actions no longer name hoc-2022 5.11 (no row in the mapping)." in r.stdout
    new = (ws / "assessments" / "2024-25.yaml").read_text()
    assert 'notes:\n  "1": "Our panel meets monthly."' in new
    assert '  - action: "Review the policy"\n    provisions: ["3.4"]' in new and "Done already" not in new
    findings = check_json(ws, "2025-03-31")["findings"]
    assert not [
        f
        for f in findings
        if f["file"] == "assessments/2024-25.yaml"
        and f["rule"] in ("schema", "assessment.note-unknown", "assessment.action-provision")
    ]


def test_migrate_keeps_an_answers_action_progress_and_further_provisions(tmp_path: Path) -> None:
    text = LAST_YEAR.replace(
        "      - {action: Quarterly review of complaint themes, owner: Complaints Lead, due: 2024-01-31}\n",
        "      - action: Quarterly review of complaint themes\n"
        "        provisions: ['2.3', '5.11']\n"
        "        owner: Complaints Lead\n"
        "        due: 2024-01-31\n"
        "        progress: [First review held in January]\n",
    )
    ws = make_ws(tmp_path, {"assessments/2023-24.yaml": text})
    r = run("assessment", "migrate", "--from", "2023-24", "-w", ws)
    assert r.exit_code == 0, r.stderr
    assert "no longer name hoc-2022 5.11" in r.stdout
    new = (ws / "assessments" / "2024-25.yaml").read_text()
    block = new.split('  "9.1":\n', 1)[1].split("\n\n", 1)[0]
    assert '      - action: "Quarterly review of complaint themes"\n        provisions: ["3.4"]\n' in block
    assert '        progress: ["First review held in January"]' in block
    findings = check_json(ws, "2025-03-31")["findings"]
    assert not [f for f in findings if f["file"] == "assessments/2024-25.yaml" and f["rule"] == "schema"]


def test_diff_json_escapes_control_characters_from_a_workspace_mapping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workspace mapping's text reaches the JSON escaped, like every JSON hcode prints."""
    ws = make_ws(tmp_path / "ws")
    shipped = (ROOT / "provisions" / "mappings" / "hoc-2022-hoc-2024.yaml").read_text("utf-8")
    (ws / "provisions" / "mappings").mkdir(parents=True)
    (ws / "provisions" / "mappings" / "hoc-2022-hoc-2024.yaml").write_text(
        shipped.replace("2022 logs a matter", "2022 \u202elogs a matter", 1), "utf-8"
    )
    monkeypatch.chdir(ws)
    made = run("provisions", "diff", "hoc-2022", "hoc-2024", "--format", "json")
    assert made.exit_code == 0, made.stderr
    assert "\u202e" not in made.stdout and "2022 \\u202elogs a matter" in made.stdout
    row = next(c for c in json.loads(made.stdout)["changes"] if c["from"] == "1.6")
    assert row["unconfirmed"].startswith("2022 \u202elogs a matter")  # the value itself is kept
