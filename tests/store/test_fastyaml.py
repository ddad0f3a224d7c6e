"""The fast reader either steps aside or gives exactly what the strict reader gives."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, ROOT
from hcode.store import yamlread
from hcode.store.fastyaml import AVAILABLE, fast_parse

assert AVAILABLE, "rapidyaml and orjson are dependencies of hcode"

SCALARS = [
    "'it''s'",
    '"esc\\"aped"',
    "two words # note",
    "a\u2028b",
    "a\x85b",
    "x\ufeffy",
    "'  padded  '",
    "[a, {b: c}]",
    "{a: [1, 2]}",
    "no",
    "yes",
    "No",
    "true",
    "True",
    "TRUE",
    "false",
    "null",
    "Null",
    "~",
    "12",
    "-3",
    "+3",
    "012",
    "0x1F",
    "1_000",
    "1.5",
    "6.10",
    "1e3",
    ".5",
    ".inf",
    "inf",
    "nan",
    "2024-05-03",
    "2024-02-30",
    "2024-05-03T10:00",
    "2024-",
    "1234-5",
    "12e3-4",
    "123e-4",
    "1e-10",
    "0000-00-00",
    "12:30",
    "a b",
    "H-017",
    "250.00",
    "0",
    "00",
    "text with: colon",
    "R&D",
    "Tom & Jerry",
    "*star",
    "!bang",
    "#hash",
    "'quoted'",
    '"double"',
    '"12"',
    "'no'",
    '"a\\tb"',
    "é ü",
    "[1, 2]",
    "{a: 1}",
    "[]",
    "{}",
    "-",
    "a # comment",
    "|",
    ">",
    "- item",
    "%x",
    "---",
    "?",
    "key: value",
    "",
]
KEYS = ["id", "6.10", "6.1", "1.2", "x-own", "received", "true", "null", "a b", "'q'", '"dq"', "2024"]


def same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@st.composite
def documents(draw: st.DrawFn, depth: int = 0, indent: int = 0) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        key = draw(st.sampled_from(KEYS))
        pad = " " * indent
        kind = draw(st.integers(0, 9)) if depth < 3 else 0
        if draw(st.booleans()) and draw(st.booleans()):
            lines.append(f"{pad}# a comment")
        if kind <= 5:
            lines.append(f"{pad}{key}: {draw(st.sampled_from(SCALARS))}")
        elif kind <= 7:
            lines.append(f"{pad}{key}:")
            lines.append(draw(documents(depth + 1, indent + draw(st.sampled_from([2, 4])))))
        else:
            lines.append(f"{pad}{key}:")
            for _ in range(draw(st.integers(1, 3))):
                lines.append(f"{pad}  - {draw(st.sampled_from(SCALARS))}")
    return "\n".join(lines)


@settings(max_examples=600, deadline=None)
@given(text=documents())
def test_fast_parse_agrees_or_steps_aside(text: str) -> None:
    fast = fast_parse(text + "\n")
    if fast is None:
        return
    strict = yamlread.parse(text + "\n")
    assert same(fast, strict), (text, fast, strict)


@pytest.mark.parametrize("depth", [38, 39, 40, 41, 42])
@pytest.mark.parametrize("leaf", ["x", "[]", "{}", "[1]", "{a: 1}"])
def test_fast_parse_at_the_depth_limit(depth: int, leaf: str) -> None:
    """At and around the strict reader's depth limit the fast reader agrees or steps aside."""
    text = "".join(f"{'  ' * i}k{i}:\n" for i in range(depth)) + "  " * depth + f"v: {leaf}\n"
    fast = fast_parse(text)
    try:
        strict = yamlread.parse(text)
    except yamlread.YamlError:
        assert fast is None
        return
    assert fast is None or same(fast, strict)


def test_fast_parse_answers_for_ordinary_files() -> None:
    files = sorted((EXAMPLE / "cases").rglob("*.yaml")) + sorted((ROOT / "tests" / "golden" / "steps").glob("*.yaml"))
    answered = 0
    for path in files:
        text = path.read_text()
        fast = fast_parse(text)
        if fast is not None:
            answered += 1
            assert same(fast, yamlread.parse(text)), path
    assert answered >= len(files) * 0.9


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 5\n",
        "a: ~\n",
        "a: True\n",
        "a: '12'\n",
        "a: inf\n",
        "a: |\n  x\n",
        "a:\tb\n",
        "---\na: 1\n",
        "- a\n",
        "# only\n",
        "",
        "x: " + "[" * 50 + "]" * 50 + "\n",
    ],
)
def test_fast_parse_steps_aside(text: str) -> None:
    assert fast_parse(text) is None


CASE_LINES = [
    "id: C-1",
    "kind: complaint",
    "kind: service-request",
    "received: 2024-05-03",
    "recieved: 2024-05-03",
    "received: 2024-02-30",
    "category: repairs",
    "category: no",
    "channel: phone",
    "stage1:\n  acknowledged: 2024-05-07\n  handler: H-017\n  responded: 2024-05-30\n  outcome: upheld",
    "stage1:\n  acknowledged: 2024-05-02",
    "stage1: {acknowledged: 2024-05-07, responded: 2024-06-30}",
    "stage2:\n  requested: 2024-06-10\n  responded: 2024-07-08",
    "resolved: 2024-05-10",
    "satisfied: yes",
    "satisfied: True",
    "x-crm-ref: 4711",
    "ombudsman:\n  referred: 2024-09-01\n  finding: maladministration",
    "remedy:\n  compensation: 250.00\n  actions:\n    - {action: Fix, due: 2024-08-01, done: 2024-07-20}",
    "learning: Book roofers early.",
    "learning: 'quoted # text'",
    "id: C-1",
]


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(st.sampled_from(CASE_LINES), min_size=1, max_size=9))
def test_fast_and_strict_paths_give_the_same_records_and_problems(lines: list[str], tmp_path_factory: Any) -> None:
    """The whole per-file path (read, parse, validate, convert, judge, locate) answers the same
    through the fast reader as through the strict one: same record, same problems, same lines."""
    from datetime import date

    from hcode.store.reader import Store
    from hcode.store.scan import process_case

    folder = tmp_path_factory.mktemp("fast")
    (folder / "hcode.yaml").write_text("hcode: 1\nlandlord: Test Homes\nhomes: 100\n")
    path = folder / "C-1.yaml"
    path.write_text("\n".join(lines) + "\n")
    ctx = Store.open(folder, use_cache=False).context(date(2025, 3, 31))

    def result(fast: bool) -> tuple[Any, ...]:
        r = process_case(path, "cases/C-1.yaml", ctx, fast, keep=True)
        return (r.digest, r.case_id, r.stable_from, r.case, [vars_of(f) for f in r.findings])

    assert result(True) == result(False)


def vars_of(f: Any) -> tuple[Any, ...]:
    return (f.rule, f.severity, f.subject, f.message, f.file, f.line, f.column, f.due, f.actual, f.hint)


@pytest.mark.parametrize(
    "text",
    [
        "a: @x\n",  # characters YAML reserves: the strict reader refuses them at a token's start
        "a: `x\n",
        "a:\n  }b: 1\n",
        "a:\n  ]b: 1\n",
        "a: ,b\n",
        "a: 1\n&  b: 2\n",  # an anchor without a name
        "a: |2[024\n",  # a block scalar's indicator followed by more than a comment
        "a: 1\n\x0cb: 2\n",  # characters the strict reader does not accept anywhere
        'a: "\x7f"\n',
        "a: x\x80y\n",
        "a: x\ufffey\n",
    ],
)
def test_fast_parse_steps_aside_where_the_strict_reader_refuses(text: str) -> None:
    with pytest.raises(yamlread.YamlError):
        yamlread.parse(text)
    assert fast_parse(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "a: 12345678901234567890123\n",  # an integer beyond 64 bits: the JSON reads it as a float
        "a: -9223372036854775809\n",
        "a: " + "9" * 150 + "\n",  # too long to be a number to the strict reader: text
        "provisions: [3.6, 6.10]\n",  # provision numbers as written
        "actions:\n  - provisions:\n      - 6.10\n      - true\n",
    ],
)
def test_fast_parse_agrees_on_values_the_json_would_change(text: str) -> None:
    fast = fast_parse(text)
    assert fast is None or same(fast, yamlread.parse(text)), fast


def test_fast_parse_agrees_with_the_strict_reader_on_edited_case_files() -> None:
    """Every case file of the example, with odd characters put in at many places: the fast
    reader gives what the strict one gives, or steps aside (never answers where it refuses)."""
    import random

    rng = random.Random(13)
    texts = [p.read_text() for p in sorted((EXAMPLE / "cases").rglob("*.yaml"))]
    extra = list("@`%&*!|>?#:,-[]{}'\"\\ \n\x0c\x7f\x80") + ["99999999999999999999", "- ", "\n  ", ": "]
    for _ in range(4000):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(extra) + text[at:]
        fast = fast_parse(text)
        if fast is None:
            continue
        try:
            strict = yamlread.parse(text)
        except yamlread.YamlError as exc:
            raise AssertionError(f"the fast reader answered where the strict one refuses ({exc}): {text!r}") from None
        assert same(fast, strict), text
