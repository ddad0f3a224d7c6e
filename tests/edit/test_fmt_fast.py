"""The fast canonical-layout check: never says "canonical" for a file that fmt would change."""

from __future__ import annotations

import random

import pytest

from conftest import EXAMPLE, example_files, fmt_or_none
from hcode.edit.canonical import already_canonical
from hcode.edit.fmt import format_text, kind_of

SCALARS = [
    "word",
    "Repairs not done after three visits",
    "C-2024-000123",
    "H-014",
    "damp-and-mould",
    "yes",
    "No",
    "True",
    "true",
    "false",
    "FALSE",
    "2024-01-31",
    "2024-1-31",
    "2024-02-30",
    "'2024-01-31'",
    '"2024-01-31"',
    "'quoted text'",
    '"double quoted"',
    '"tab\\there"',
    "'it''s'",
    "010",
    "0",
    "-3",
    "+3",
    "1e3",
    "25.00",
    "25.0",
    "75.",
    ".5",
    "0.5",
    "1_000",
    "0x1F",
    "0o17",
    "~",
    "null",
    "",
    "£25 paid",
    "café visit",
    "It's the tenant's view",
    "ends with colon:",
    "has # hash",
    "x #comment",
    "[1, 2]",
    "{a: 1}",
    "|\n    block text\n    second line",
    "|-\n    kept",
    ">\n    folded text",
    "2024-01-31 10:00",
    "12:30",
    ".inf",
    "-.nan",
    "@at",
    "`tick",
    "%percent",
    "!tag value",
    "&anchor x",
    "*alias",
    "a  b",
]
CASE_KEYS = ["id", "kind", "received", "category", "channel", "learning", "x-crm-ref", "issue_date", "handler"]
STAGE_KEYS = ["acknowledged", "definition", "handler", "responded", "outcome", "requested"]
COMMENTS = ["# a note", "  # indented note", "    # deep note", "#", ""]


SAFE = [v for v in SCALARS if already_canonical(f"id: {v}\n", "case")]


def _scalar(rng: random.Random) -> str:
    return rng.choice(SCALARS) if rng.random() < 0.03 else rng.choice(SAFE)


def _document(rng: random.Random) -> str:
    """A case-like file, mostly in canonical layout, with random departures from it."""
    indent = 2 if rng.random() < 0.8 else rng.choice([3, 4])
    dash = indent if rng.random() < 0.8 else rng.choice([0, indent + 2])
    lines: list[str] = []

    def comment(level: int) -> None:
        if rng.random() < 0.12:
            text = rng.choice(COMMENTS)
            lines.append(" " * level + text if rng.random() < 0.7 else text)

    def value_line(prefix: str, key: str, level: int) -> None:
        value = _scalar(rng)
        tail = "  # after" if rng.random() < 0.01 else ""
        sep = ": " if rng.random() < 0.99 else ":  "
        if "\n" in value:
            head, *rest = value.split("\n")
            lines.append(f"{prefix}{key}{sep}{head}")
            lines.extend(" " * level + r for r in rest)
        else:
            lines.append(f"{prefix}{key}{sep}{value}{tail}".rstrip() if value else f"{prefix}{key}:")

    keys = CASE_KEYS[:]
    if rng.random() < 0.3:
        rng.shuffle(keys)
    comment(0)
    for key in keys[: rng.randint(2, len(keys))]:
        comment(0)
        value_line("", key, indent)
    for stage in ("stage1", "stage2")[: rng.randint(0, 2)]:
        lines.append(f"{stage}:")
        skeys = STAGE_KEYS[:]
        if rng.random() < 0.3:
            rng.shuffle(skeys)
        for key in skeys[: rng.randint(1, len(skeys))]:
            comment(indent)
            value_line(" " * indent, key, indent * 2)
        if rng.random() < 0.4:
            lines.append(" " * indent + "extension:")
            for key in ("notified", "due", "reason", "ombudsman_details"):
                value_line(" " * (indent * 2), key, indent * 3)
    if rng.random() < 0.5:
        lines.append("remedy:")
        value_line(" " * indent, "compensation", indent * 2)
        if rng.random() < 0.6:
            lines.append(" " * indent + "actions:")
            for _ in range(rng.randint(1, 3)):
                comment(dash + 2)
                lines.append(" " * (indent + dash - indent) + " " * indent + f"- action: {_scalar(rng)}".rstrip())
                if rng.random() < 0.7:
                    value_line(" " * (dash + 2 + indent), "due", dash + 4 + indent)
    if rng.random() < 0.3:
        lines.append("x-tags:")
        for _ in range(rng.randint(1, 3)):
            lines.append(" " * dash + f"- {_scalar(rng)}".rstrip())
    comment(0)
    text = "\n".join(lines) + "\n"
    if rng.random() < 0.05:
        text = text.replace("\n", "\n\n", 1)
    if rng.random() < 0.03:
        text += "\n"
    return text


def test_never_claims_a_file_fmt_would_change() -> None:
    claimed = 0
    for seed in range(1500):
        text = _document(random.Random(seed))
        if already_canonical(text, "case"):
            claimed += 1
            assert fmt_or_none(text, "case") == text, f"seed {seed}:\n{text}"
    assert claimed > 150  # the check is not vacuous: it does vouch for many generated files


def test_vouches_for_most_files_fmt_has_written() -> None:
    """fmt's own output is canonical; the fast check should recognise most of it."""
    written = vouched = 0
    for seed in range(600):
        canonical = fmt_or_none(_document(random.Random(seed)), "case")
        if canonical is None:
            continue
        written += 1
        if already_canonical(canonical, "case"):
            vouched += 1
            assert fmt_or_none(canonical, "case") == canonical
    assert vouched > 0.6 * written, (vouched, written)


def _built(rng: random.Random) -> str:
    """Lines of keys and values at random indents, with or without a list dash: mostly not a
    valid layout, sometimes a canonical one."""
    keys = [*CASE_KEYS, *STAGE_KEYS, "stage1", "x-tags", "provisions", "6.10"]
    lines = []
    for _ in range(rng.randint(1, 8)):
        value = rng.choice([*SCALARS, ""])
        lines.append(
            f"{' ' * rng.choice([0, 0, 2, 3, 4])}{rng.choice(['', '', '- '])}{rng.choice(keys)}:"
            + (f" {value}" if value else "")
        )
    return "\n".join(lines) + rng.choice(["\n", "\n", "", "\n\n"])


def test_never_claims_text_built_from_keys_and_values() -> None:
    claimed = 0
    for seed in range(3000):
        rng = random.Random(seed)
        text = _built(rng)
        for name in ("case", "assessment", "workspace"):
            if already_canonical(text, name):
                claimed += 1
                assert fmt_or_none(text, name) == text, f"seed {seed} ({name}):\n{text}"
    assert claimed > 40  # the check does vouch for some of these texts (63 with these seeds)


def test_agrees_with_fmt_on_the_example_workspace() -> None:
    vouched = 0
    for path in example_files():
        rel = path.relative_to(EXAMPLE).as_posix()
        name = kind_of(rel)
        if name is None:
            continue
        text = path.read_text(encoding="utf-8")
        if already_canonical(text, name):
            vouched += 1
            assert format_text(text, name) == text, rel
    assert vouched >= 40


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: C-1\nkind: complaint\nreceived: 2024-01-31\n", True),
        ("kind: complaint\nid: C-1\n", False),  # keys out of the schema's order
        ("id: C-1\nreceived: '2024-01-31'\n", False),  # a quoted date is written plainly
        ("id: C-1\nstage1:\n    acknowledged: 2024-02-01\n", False),  # four-space indent
        ("id: C-1\nstage1:\n  acknowledged: 2024-02-01\n", True),
        ("id: C-1  # note\n", False),  # a comment after a value: left to the full rewrite
        ("id: C-1\nx-tags:\n- a\n", False),  # list items not indented under their key
        ("id: C-1\nx-tags:\n  - a\n", True),
        ("id: C-1\nx-tags: [a]\n", False),
        ("id: C-1\nexplained: True\n", False),
        ("id: C-1\n", True),
        ("id: C-1", False),  # no final line break
        ("id: C-1\nid: C-2\n", False),  # a duplicate key: the strict reader reports it
        ("id: C-1\nx-a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 24)) + "  " * 24 + "v: 1\n", False),
        ("\nid: C-1\n", False),  # a leading blank line is dropped by the rewrite
        ("id: C-1\n\nkind: complaint\n", True),  # one blank line between keys is kept
    ],
)
def test_table(text: str, expected: bool) -> None:
    assert already_canonical(text, "case") is expected
    if expected:
        assert format_text(text, "case") == text
