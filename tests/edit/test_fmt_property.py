"""The fast verdict of ``hcode fmt`` ("already canonical") never disagrees with the exact one.

Files are generated in fmt's layout from the schemas' own key orders (complaints and hazard
reports), then mutated (a trailing space, a key out of order, a comment, a tab, CRLF, a BOM, a
quoted date, a flow mapping, an anchor...). Whatever the fast check says "canonical" to, the exact
path (ruamel.yaml's rewrite) must leave unchanged; and read from disk, a file gets the same
answer (new text, problem, fingerprint) whether the fast check is used or not.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import fmt_or_none
from hcode.edit.canonical import already_canonical, canonical_orders
from hcode.edit.fmt import format_file, format_text

# values fmt writes back exactly as written
SAFE = [
    "word",
    "Repairs not done after three visits",
    "C-2024-000123",
    "H-014",
    "damp-and-mould",
    "true",
    "false",
    "2024-01-31",
    "2024-01-31T09:30",
    "0",
    "-3",
    "25.00",
    "0.5",
    "'quoted text'",
    '"double quoted"',
    "£25 paid",
    "café visit",
    "It's the tenant's view",
]
# values the fast check must be careful with (some rewritten, some refused, some kept)
RISKY = [
    "yes",
    "No",
    "True",
    "2024-1-31",
    "2024-02-30",
    "'2024-01-31'",
    '"2024-01-31"',
    "'2024-01-31T09:30'",
    "2024-01-31T09:30:00",
    "2024-01-31T9:30",
    "2024-01-31T09:30Z",
    "2024-01-31 09:30",
    "2024-13-45T99:99",
    "20240-01-31T09:30",
    '"tab\\there"',
    "'it''s'",
    "010",
    "+3",
    "1e3",
    "75.",
    ".5",
    "1_000",
    "0x1F",
    "~",
    "null",
    "ends with colon:",
    "has # hash",
    "x #comment",
    "[1, 2]",
    "{a: 1}",
    "{on: 2024-01-31, why: decanted}",
    "12:30",
    ".inf",
    "@at",
    "!tag value",
    "&anchor x",
    "*alias",
    "a  b",
    "a: b",
    "b: c: d",
    "- item",
    "? key",
    ": x",
    "hazard",
    "complaint",
    "hazrd",
    "-0",
    "long " * 900,
]
FLOWS = [
    "{on: 2024-01-31, why: decanted}",
    "{why: decanted, on: 2024-01-31}",
    "{on: 2024-01-31}",
    "{concluded: 2024-01-31, found: none}",
    "{a: 1, a: 2}",
    "{x-a: yes}",
    "{x-a: word, x-b: 25.00}",
    "{on: 2024-01-31,why: decanted}",
    "{on: 2024-01-31, why: a,b}",
    "{on: 2024-01-31, why: a:b}",
    "{on: 2024-01-31, why: it's}",
    "{on: 2024-01-31, why: x#y}",
    "{on: 2024-01-31, why: 'x'}",
    "{on: 2024-01-31, why: [a]}",
    "{on: 2024-01-31, why: {a: b}}",
    "{on: 2024-01-31, why: decanted }",
    "{on: 2024-01-31, why: yes}",
    "{on: 2024-01-31T09:30, why: decanted}",
]
SCHEMAS = ("case", "hazard")
KINDS = {"case": ["complaint", "service-request"], "hazard": ["hazard"]}


@st.composite
def _mapping(draw: st.DrawFn, orders: dict[str, list[str]], context: str, depth: int) -> list[tuple[str, Any]]:
    order = orders.get(context, [])
    keys = [k for k in order if draw(st.booleans())]
    if draw(st.integers(0, 5)) == 5:
        keys.append(draw(st.sampled_from(["x-crm-ref", "x-tags", "x-note", "notes"])))
    pairs: list[tuple[str, Any]] = []
    for key in keys:
        pairs.append((key, draw(_value(orders, key, depth + 1))))
    return pairs


@st.composite
def _value(draw: st.DrawFn, orders: dict[str, list[str]], key: str, depth: int) -> Any:
    pool = RISKY + FLOWS if draw(st.integers(0, 9)) == 9 else SAFE
    if key in orders and depth < 4 and draw(st.integers(0, 3)):
        pairs = draw(_mapping(orders, key, depth))
        if pairs:
            return ("map", pairs)
    if draw(st.integers(0, 6)) == 6:
        items: list[Any] = []
        for _ in range(draw(st.integers(1, 3))):
            if key in orders and draw(st.booleans()):
                pairs = draw(_mapping(orders, key, depth + 1))
                items.append(("map", pairs) if pairs else draw(st.sampled_from(pool)))
            else:
                items.append(draw(st.sampled_from(pool)))
        return ("seq", items)
    return draw(st.sampled_from(pool))


def _render(pairs: list[tuple[str, Any]], column: int, lines: list[str], first: str | None = None) -> None:
    """Pairs at ``column`` in fmt's layout; ``first``: the prefix of the first line (a list dash)."""
    for i, (key, value) in enumerate(pairs):
        lead = first if (first is not None and i == 0) else " " * column
        if isinstance(value, tuple) and value[0] == "map":
            lines.append(f"{lead}{key}:")
            _render(value[1], column + 2, lines)
        elif isinstance(value, tuple):
            lines.append(f"{lead}{key}:")
            for item in value[1]:
                dash = " " * (column + 2) + "- "
                if isinstance(item, tuple):
                    _render(item[1], column + 4, lines, first=dash)
                else:
                    lines.append(dash + item)
        else:
            lines.append(f"{lead}{key}: {value}")


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A case file or hazard report in fmt's layout (values sometimes risky)."""
    schema = draw(st.sampled_from(SCHEMAS))
    orders = canonical_orders(schema)
    pairs = [("id", "HZ-2024-000001" if schema == "hazard" else "C-2024-000001")]
    kinds = KINDS[schema] + ["hazrd"] if draw(st.integers(0, 9)) == 9 else KINDS[schema][:1]
    pairs.append(("kind", draw(st.sampled_from(kinds))))
    if schema == "hazard":
        pairs.append(("aware", draw(st.sampled_from(["2024-03-01", "2024-03-01T09:30", "2024-03-01T09:30:00"]))))
    pairs += [p for p in draw(_mapping(orders, "", 0)) if p[0] not in ("id", "kind", "aware")]
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append("# Reported to the repairs line.")
    _render(pairs, 0, lines)
    return "\n".join(lines) + "\n"


def _mutate(text: str, op: str, where: int) -> str:
    lines = text.split("\n")[:-1]
    i = where % len(lines)
    line = lines[i]
    if op == "trailing space":
        lines[i] = line + " "
    elif op == "swap lines":
        j = (i + 1) % len(lines)
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "comment line":
        lines.insert(i, " " * (where % 5) + "# a note")
    elif op == "comment after":
        lines[i] = line + "  # after"
    elif op == "tab":
        lines[i] = line.replace(" ", "\t", 1)
    elif op == "crlf":
        return text.replace("\n", "\r\n")
    elif op == "bom":
        return "\ufeff" + text
    elif op == "quote a date":
        lines[i] = line.replace(": 2024", ": '2024", 1) + ("'" if ": 2024" in line else "")
    elif op == "double-quote a date":
        lines[i] = line.replace(": 2024", ': "2024', 1) + ('"' if ": 2024" in line else "")
    elif op == "blank line":
        lines.insert(i, "")
    elif op == "two blank lines":
        lines[i:i] = ["", ""]
    elif op == "indent more":
        lines[i] = " " + line
    elif op == "indent less":
        lines[i] = line[1:] if line.startswith(" ") else line
    elif op == "document start":
        return "---\n" + text
    elif op == "document end":
        return text + "...\n"
    elif op == "no final newline":
        return text[:-1]
    elif op == "extra final newline":
        return text + "\n"
    elif op == "anchor":
        lines[i] = line.replace(": ", ": &a ", 1)
    elif op == "duplicate line":
        lines.insert(i, line)
    elif op == "two spaces after colon":
        lines[i] = line.replace(": ", ":  ", 1)
    elif op == "flow mapping":
        lines[i] = line.split(":", 1)[0] + ": {on: 2024-01-31, why: decanted}" if ":" in line else line
    elif op == "seconds":
        lines[i] = line.replace("T09:30", "T09:30:00")
    elif op == "space before colon":
        lines[i] = line.replace(":", " :", 1)
    elif op == "kind typo":
        return text.replace("kind: hazard\n", "kind: hazrd\n").replace("kind: complaint\n", "kind: complain\n")
    elif op == "aware added":
        lines.append("aware: 2024-03-01")
    elif op == "kind typo, aware added":
        return _mutate(_mutate(text, "kind typo", where), "aware added", where)
    return "\n".join(lines) + "\n"


MUTATIONS = [
    "trailing space",
    "swap lines",
    "comment line",
    "comment after",
    "tab",
    "crlf",
    "bom",
    "quote a date",
    "double-quote a date",
    "blank line",
    "two blank lines",
    "indent more",
    "indent less",
    "document start",
    "document end",
    "no final newline",
    "extra final newline",
    "anchor",
    "duplicate line",
    "two spaces after colon",
    "flow mapping",
    "seconds",
    "space before colon",
    "kind typo",
    "aware added",
    "kind typo, aware added",
]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(documents())
    for _ in range(draw(st.integers(0, 3))):
        text = _mutate(text, draw(st.sampled_from(MUTATIONS)), draw(st.integers(0, 200)))
    return text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_fast_verdict_never_disagrees_with_the_exact_rewrite(text: str) -> None:
    if already_canonical(text, "case"):
        assert fmt_or_none(text, "case") == text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_fmt_output_is_vouched_for(text: str) -> None:
    """What the exact rewrite writes, the fast check recognises (unless it holds a value it is
    careful with), and never wrongly."""
    canonical = fmt_or_none(text, "case")
    if canonical is None:
        return
    fast = already_canonical(canonical, "case")
    if fast:
        assert fmt_or_none(canonical, "case") == canonical
    # a risky value in the text or in what fmt wrote of it (``~`` is written as nothing after ':')
    risky = any(f": {v}\n" in t or f"- {v}\n" in t for v in RISKY for t in (text, canonical))
    # a flow collection fmt kept as written (``why: a,b`` reads as two keys, so it stays in braces)
    flow = any(line.rstrip().endswith(("}", "]")) for line in canonical.splitlines())
    if not risky and not flow and "aware: 2024-03-01T09:30:00" not in canonical and "kind: hazrd" not in canonical:
        assert fast, canonical


def _compare_on_disk(data: bytes) -> None:
    fd, name = tempfile.mkstemp(suffix=".yaml")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        fast = format_file(name, "cases/C-1.yaml", "case", 1 << 20)
        exact = format_file(name, "cases/C-1.yaml", "case", 1 << 20, fast=False)
    finally:
        os.unlink(name)
    assert (fast.new, fast.problem, fast.digest) == (exact.new, exact.problem, exact.digest)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(), st.sampled_from([b"", b"\xef\xbb\xbf", b"\x00", b"\xff", b"\r\n"]))
def test_a_file_gets_the_same_answer_either_way(text: str, extra: bytes) -> None:
    data = text.encode("utf-8")
    data = extra + data if extra == b"\xef\xbb\xbf" else data.replace(b"\n", extra + b"\n", 1) if extra else data
    _compare_on_disk(data)


HAZARD = (
    "# Reported to the repairs line.\n"
    "id: HZ-2024-000001\n"
    "kind: hazard\n"
    "aware: 2024-03-01T09:30\n"
    "hazard: damp-and-mould\n"
    "risk: significant\n"
    "investigation:\n"
    "  concluded: 2024-03-08\n"
    "  found: significant\n"
    "summary_sent: 2024-03-11\n"
    "learning: Vents cleaned.\n"
)
COMPLAINT = "id: C-2024-000001\nkind: complaint\nreceived: 2024-01-31\nstage1:\n  acknowledged: 2024-02-01\n"


@pytest.mark.parametrize(
    ("text", "fast"),
    [
        (HAZARD, True),
        (COMPLAINT, True),
        (HAZARD.replace("significant\n", "significant \n", 1), False),  # a trailing space
        (
            HAZARD.replace(
                "hazard: damp-and-mould\nrisk: significant\n", "risk: significant\nhazard: damp-and-mould\n"
            ),
            False,
        ),
        (COMPLAINT.replace("kind: complaint\nreceived", "received: 2024-01-31\nkind: complaint\nx"), False),
        (HAZARD.replace("risk:", "# the officer's view\nrisk:"), True),  # a comment line is kept as it is
        (HAZARD.replace("learning: Vents cleaned.", "learning: Vents cleaned.  # note"), False),
        (HAZARD.replace("  concluded", "\tconcluded"), False),  # a tab
        (HAZARD.replace("\n", "\r\n"), False),  # CRLF
        ("\ufeff" + HAZARD, False),  # a BOM
        (HAZARD.replace("aware: 2024-03-01T09:30", "aware: '2024-03-01T09:30'"), True),  # a quoted moment stays quoted
        (COMPLAINT.replace("received: 2024-01-31", "received: '2024-01-31'"), False),  # a quoted date
        (HAZARD.replace("T09:30", "T09:30:00"), False),  # a timestamp ruamel.yaml reads as one
        (HAZARD.replace("kind: hazard", "kind: hazrd"), False),  # the kind chooses the schema
        (HAZARD.replace("learning:", "stopped: {on: 2024-03-12, why: decanted}\nlearning:"), True),  # as fmt writes it
        (HAZARD + "stopped: {on: 2024-03-12, why: decanted}\n", False),  # after learning: out of order
        (HAZARD.replace("learning:", "stopped: {why: decanted, on: 2024-03-12}\nlearning:"), False),
        (HAZARD.replace("learning:", "stopped: {on: 2024-03-12,why: decanted}\nlearning:"), False),
        (HAZARD.replace("learning:", "stopped: { on: 2024-03-12, why: decanted }\nlearning:"), False),
        (HAZARD.replace("learning:", "stopped: {on: '2024-03-12', why: decanted}\nlearning:"), False),
        (HAZARD.replace("learning:", "stopped: {on: 2024-03-12, why: decanted}  # x\nlearning:"), False),
        (HAZARD.replace("learning:", "stopped: {on: 2024-03-12, why: [a, b]}\nlearning:"), False),
        (HAZARD.replace("risk: significant", "risk: &r significant"), False),  # an anchor
        (HAZARD.replace("found: significant", "found: |\n    significant"), False),  # a block scalar
    ],
)
def test_near_misses(text: str, fast: bool) -> None:
    assert already_canonical(text, "case") is fast
    if fast:
        assert format_text(text, "case") == text


def test_a_mistyped_kind_is_judged_by_the_schema_fmt_uses() -> None:
    """``kind: hazrd`` with ``aware:`` is laid out as a hazard report: ``aware`` before
    ``learning``. The fast check once judged it as a complaint and called it canonical."""
    text = "id: HZ-2024-000001\nkind: hazrd\nlearning: Vents cleaned.\naware: 2024-01-01\n"
    assert not already_canonical(text, "case")
    assert format_text(text, "case") == "id: HZ-2024-000001\nkind: hazrd\naware: 2024-01-01\nlearning: Vents cleaned.\n"


def test_fmt_check_names_a_mistyped_hazard_out_of_order(tmp_path: Path) -> None:
    from conftest import make_ws, run

    rel = "cases/HZ-2024-000001.yaml"
    ws = make_ws(tmp_path, {rel: "id: HZ-2024-000001\nkind: hazrd\nlearning: Vents cleaned.\naware: 2024-01-01\n"})
    result = run("fmt", "--check", "-w", str(ws), "--no-cache")
    assert f"would change: {rel}" in result.stdout
    assert result.exit_code == 1


@pytest.mark.parametrize("value", SAFE + RISKY + FLOWS)
@pytest.mark.parametrize(
    "place",
    [
        "id: C-1\nreceived: {}\n",
        "id: C-1\nstage1:\n  acknowledged: {}\n",
        "id: C-1\nx-tags:\n  - {}\n",
        "id: HZ-1\nkind: hazard\naware: {}\n",
        "id: HZ-1\nkind: hazard\nworks:\n  begun: {}\n",
        "id: HZ-1\nkind: hazard\naware: 2024-01-02\nstopped: {}\n",
    ],
)
def test_every_value_in_every_place(value: str, place: str) -> None:
    text = place.replace("{}", value)
    if already_canonical(text, "case"):
        assert fmt_or_none(text, "case") == text
    elif value in SAFE:
        assert fmt_or_none(text, "case") == text  # a value fmt keeps: the fast check must know it too
        assert already_canonical(text, "case"), text


# -- the answer read from the lines alone is the walker's answer ---------------------------------

LINE_KEYS = ["id", "kind", "received", "aware", "stage1", "acknowledged", "x-tags", "provisions", "6.10", "1.2", "on"]


@st.composite
def _lines_of_keys(draw: st.DrawFn) -> str:
    """Lines of keys, list dashes and values at random indents: mostly not a valid layout,
    sometimes a canonical one, often one the lines alone could misread."""
    lines = []
    for _ in range(draw(st.integers(1, 9))):
        form = draw(
            st.sampled_from(["key value", "key value", "key block", "dash value", "dash key", "comment", "blank"])
        )
        indent = " " * draw(st.sampled_from([0, 0, 2, 2, 4, 6, 1, 3]))
        key = draw(st.sampled_from(LINE_KEYS))
        value = draw(st.sampled_from(SAFE + RISKY + FLOWS))
        lines.append(
            {
                "key value": f"{indent}{key}: {value}",
                "key block": f"{indent}{key}:",
                "dash value": f"{indent}- {value}",
                "dash key": f"{indent}- {key}: {value}" if draw(st.booleans()) else f"{indent}- {key}:",
                "comment": f"{indent}# note",
                "blank": "",
            }[form]
        )
    return "\n".join(lines) + "\n"


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_lines_of_keys(), mutated()), st.sampled_from(["case", "hazard", "assessment", "workspace"]))
def test_the_lines_alone_give_the_walkers_answer(text: str, name: str) -> None:
    from hcode.edit.canonical import _canonical

    for case_file in (False, True):
        by_lines = _canonical(text, name, case_file=case_file)
        if "{" not in text:
            assert by_lines == _canonical(text, name, case_file=case_file, lines=False), text
        elif by_lines:  # a flow mapping, which the walk leaves to the rewrite
            assert fmt_or_none(text, name) == text


@pytest.mark.parametrize(
    "tail",
    [
        "x-note: -0\n",  # ruamel.yaml writes it back as 0
        "x-tags:\n  - -0\n",
        "learning: " + "x" * 4090 + "\n",  # a line over ruamel.yaml's width: the value moves to the next line
        "learning: " + "ab " * 1400 + "z\n",
        "stage1:\n  outcome: " + "x" * 4090 + "\n",
        "x-" + "k" * 1100 + ": v\n",  # a key over 1024 characters: the strict reader refuses the file
    ],
)
def test_the_fast_check_never_vouches_for_what_fmt_changes_or_refuses(tail: str) -> None:
    text = COMPLAINT + tail
    assert not already_canonical(text, "case")
    assert fmt_or_none(text, "case") != text


@pytest.mark.parametrize("value", ["0", "-1", "-0.0", "0.0", "x" * 1000, "'" + "x" * 4090 + "'"])
def test_the_fast_check_still_vouches_for_values_fmt_keeps(value: str) -> None:
    text = COMPLAINT + f"x-note: {value}\n"
    assert fmt_or_none(text, "case") == text
    assert already_canonical(text, "case") is (len(value) <= 1000)
