"""Two judging bugs: a withdrawal date without ``outcome: withdrawn``, and events dated after
``--as-of`` producing breaches that cannot have happened yet. Dates counted by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from conftest import check_json, make_ws


def case_yaml(stage1: dict[str, Any], received: str = "2024-05-03") -> str:
    doc: dict[str, Any] = {"id": "C-1", "kind": "complaint", "received": received, "category": "repairs"}
    doc["stage1"] = {"definition": "Leak", "handler": "H-1", **stage1}
    return yaml.safe_dump(doc, sort_keys=False)


def found(tmp_path: Path, text: str, as_of: str) -> list[tuple[str, str, str | None]]:
    ws = make_ws(tmp_path, {"cases/C-1.yaml": text})
    doc = check_json(ws, as_of)
    return sorted((f["rule"], f["severity"], f.get("due")) for f in doc["findings"] if f["file"] == "cases/C-1.yaml")


# received Fri 3 May 2024 (Mon 6 May a bank holiday): acknowledgement due Mon 13 May.
# acknowledged Tue 7 May: response due Tue 21 May (8,9,10,13,14,15,16,17,20,21).


def test_withdrawn_date_without_outcome_has_no_deadline_after_it(tmp_path: Path) -> None:
    # withdrawn Fri 10 May, before the response was due: nothing overdue, a warning about the outcome
    got = found(tmp_path, case_yaml({"acknowledged": "2024-05-07", "withdrawn": "2024-05-10"}), "2024-12-31")
    assert got == [("case.withdrawn", "warning", None)]


def test_withdrawn_date_without_outcome_keeps_what_was_already_missed(tmp_path: Path) -> None:
    # never acknowledged, withdrawn Mon 20 May: the acknowledgement due 13 May was missed; the
    # response (due from the acknowledgement due date) is after the withdrawal and is not judged
    got = found(tmp_path, case_yaml({"withdrawn": "2024-05-20", "outcome": "upheld"}), "2024-12-31")
    assert got == [("6.2", "error", "2024-05-13"), ("case.withdrawn", "warning", None)]


def test_withdrawn_with_outcome_has_no_warning(tmp_path: Path) -> None:
    got = found(
        tmp_path,
        case_yaml({"acknowledged": "2024-05-07", "withdrawn": "2024-05-10", "outcome": "withdrawn"}),
        "2024-12-31",
    )
    assert got == []


def test_extension_told_after_as_of_is_not_told_late(tmp_path: Path) -> None:
    # as of Mon 20 May: the extension "told" on 28 May has not happened yet; the response due
    # Tue 21 May is one working day away (due soon), not extended and not breached
    ext = {"notified": "2024-05-28", "due": "2024-06-04", "reason": "Survey", "ombudsman_details": True}
    got = found(tmp_path, case_yaml({"acknowledged": "2024-05-07", "extension": ext}), "2024-05-20")
    assert got == [("6.3", "warning", "2024-05-21"), ("dates.future", "error", None)]


def test_withdrawal_after_as_of_does_not_make_the_acknowledgement_missed(tmp_path: Path) -> None:
    # as of Fri 10 May: the acknowledgement due Mon 13 May is due soon; the withdrawal dated
    # 20 May has not happened yet, so nothing is missed
    got = found(tmp_path, case_yaml({"withdrawn": "2024-05-20", "outcome": "withdrawn"}), "2024-05-10")
    assert got == [("6.2", "warning", "2024-05-13"), ("dates.future", "error", None)]


def test_response_after_as_of_is_not_yet_sent(tmp_path: Path) -> None:
    # as of Wed 22 May the response dated 24 May has not been sent: overdue since 21 May (an
    # error about today's state), never "sent 3 days late"
    ws = make_ws(tmp_path, {"cases/C-1.yaml": case_yaml({"acknowledged": "2024-05-07", "responded": "2024-05-24"})})
    doc = check_json(ws, "2024-05-22")
    late = [f for f in doc["findings"] if f["rule"] == "6.3"]
    assert [(f["severity"], f["due"], f.get("actual")) for f in late] == [("error", "2024-05-21", None)]
    assert "overdue (1 working day late as of 2024-05-22)" in late[0]["message"]
