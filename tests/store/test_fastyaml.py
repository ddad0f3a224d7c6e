"""The fast reader either steps aside or gives exactly what the strict reader gives."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, ROOT, example_files
from hcode.store import yamlread
from hcode.store.fastyaml import AVAILABLE, fast_parse, plain_locate, plain_parse, rapid_parse

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


def agrees_or_steps_aside(reader: Any, text: str) -> None:
    """``reader`` gives for ``text`` exactly what the strict reader gives, or steps aside
    (``None``); it never answers where the strict reader refuses the text."""
    found = reader(text)
    if found is None:
        return
    try:
        strict = yamlread.parse(text)
    except yamlread.YamlError as exc:
        raise AssertionError(f"{reader.__name__} answered where the strict reader refuses ({exc}): {text!r}") from None
    assert same(found, strict), (text, found, strict)


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
    agrees_or_steps_aside(fast_parse, text + "\n")


@pytest.mark.parametrize("depth", [38, 39, 40, 41, 42])
@pytest.mark.parametrize("leaf", ["x", "[]", "{}", "[1]", "{a: 1}"])
def test_fast_parse_at_the_depth_limit(depth: int, leaf: str) -> None:
    """At and around the strict reader's depth limit the fast reader agrees or steps aside."""
    text = "".join(f"{'  ' * i}k{i}:\n" for i in range(depth)) + "  " * depth + f"v: {leaf}\n"
    agrees_or_steps_aside(fast_parse, text)


@pytest.mark.parametrize(("reader", "share"), [(fast_parse, 0.9), (plain_parse, 0.8)])
def test_fast_readers_answer_for_ordinary_files(reader: Any, share: float) -> None:
    """Nearly every case file of the example (most in the plain layout) is read fast, exactly."""
    files = sorted((EXAMPLE / "cases").rglob("*.yaml")) + sorted((ROOT / "tests" / "golden" / "steps").glob("*.yaml"))
    answered = 0
    for path in files:
        text = path.read_text()
        fast = reader(text)
        if fast is not None:
            answered += 1
            assert same(fast, yamlread.parse(text)), path
    assert answered >= len(files) * share


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
    """rapidyaml's reading is not trusted here; the plain reader may answer, as the strict one."""
    assert rapid_parse(text) is None
    fast = fast_parse(text)
    assert fast is None or same(fast, yamlread.parse(text))


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

    with patch("hcode.store.scan.plain_parse", lambda text: None):
        strict = result(False)  # the strict reader alone
    assert result(True) == strict
    assert result(False) == strict


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
        agrees_or_steps_aside(fast_parse, text)


# -- the plain reader (the first tier, in pure Python) -------------------------------------------


@settings(max_examples=1500, deadline=None)
@given(text=documents())
def test_plain_parse_agrees_or_steps_aside(text: str) -> None:
    agrees_or_steps_aside(plain_parse, text + "\n")


PLAIN_VALUES = st.one_of(
    st.text(alphabet="aZ09 #:-.,'\"[]{}&*!|>?%@`~_\\/+eE", min_size=0, max_size=12),
    st.text(alphabet="aZ09 #:-._/", min_size=1, max_size=12),
    st.sampled_from(SCALARS),
)


@st.composite
def plain_documents(draw: st.DrawFn) -> str:
    """Block mappings with values made of the characters that matter to YAML, comments, blank
    lines and odd indentation: where the plain reader answers, it answers as the strict one."""
    lines = []
    indent = 0
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.integers(0, 9))
        key = draw(st.sampled_from(["a", "b", "id", "x-c", "6.10", "k_1", "a.b", "on", "null", "a-"]))
        if kind == 0:
            lines.append(" " * draw(st.integers(0, 6)) + "# " + draw(PLAIN_VALUES))
        elif kind == 1:
            lines.append(" " * draw(st.integers(0, 3)))
        elif kind == 2:
            lines.append(" " * indent + key + ":" + draw(st.sampled_from(["", " ", "  # c", " #", "#x"])))
            indent += draw(st.sampled_from([1, 2, 4]))
        else:
            indent = draw(st.sampled_from([0, indent, max(0, indent - 2)]))
            gap = draw(st.sampled_from([" ", "  ", ""]))
            lines.append(" " * indent + key + ":" + gap + draw(PLAIN_VALUES))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


@settings(max_examples=3000, deadline=None)
@given(text=plain_documents())
def test_plain_parse_agrees_on_tricky_values_or_steps_aside(text: str) -> None:
    agrees_or_steps_aside(plain_parse, text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: x\n  continued\n",  # a value over two lines
        "a: x\n\n  continued\n",
        "  a: 1\n",  # an indented document
        "a:\n  b: 1\n c: 2\n",  # back to an indentation no mapping has
        "a:\n- 1\n",  # a list
        "a:\n  - 1\n",
        "a: [1]\n",
        "a: {b: 1}\n",
        "a: 'q'\n",
        'a: "q"\n',
        "a: -1\n",
        "a: .5\n",
        "a:b\n",
        "a : 1\n",
        "a: b: c\n",
        "a: b:\n",
        "a: 1\na: 2\n",
        "a: 1\r\n",
        "a:\t1\n",
        "a: caf\u00e9\n",
        "a: \x7f\n",
        "'a': 1\n",
        "? a\n: 1\n",
        "---\na: 1\n",
        "a: 1\n...\n",
        "# only a comment\n",
        "",
        "a: |\n  x\n",
        "a: &x 1\n",
        "a: !!str 1\n",
        "a: *x\n",
        "".join(f"{'  ' * i}k{i}:\n" for i in range(12)) + "  " * 12 + "v: 1\n",
    ],
)
def test_plain_parse_steps_aside(text: str) -> None:
    assert plain_parse(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "a: x # a comment\nb: y#z\n",
        "a: # nothing yet\n  b: 1\n",
        "a:\n\n  # a comment\n  b: 1\n\nc:\n",
        "a:\nb: 1\n",
        "6.10: yes\non: no\nnull: ~\n",
        "a:    spaced   words   \n",
        "a: http://example.org/x?y=1&z#frag\n",
        "a: R&D [draft], {v2}\n",
        "a: 2024-05-03\nb: 2024-02-30\nc: 12\nd: 1.50\ne: true\nf: 0x1F\ng: 1e3\nh: 2024-\n",
        "a:\n    b:\n      c: 1\n    d: 2\ne: 3",
    ],
)
def test_plain_parse_answers_as_the_strict_reader(text: str) -> None:
    plain = plain_parse(text)
    assert plain is not None
    assert same(plain, yamlread.parse(text))


@settings(max_examples=2000, deadline=None)
@given(text=st.text(alphabet="0123456789-+.eE_x:T ", min_size=0, max_size=14))
def test_resolve_plain_reads_dates_and_numbers_as_the_schema_says(text: str) -> None:
    """The shortcut for dates in :func:`yamlread.resolve_plain` gives what the YAML 1.2 core
    schema's patterns give (written out here on their own)."""
    import re

    if re.fullmatch(r"[-+]?[0-9]+", text):
        expected: Any = int(text)
    elif re.fullmatch(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?", text) and any(c.isdigit() for c in text):
        expected = float(text)
    elif text == "":
        expected = None
    else:
        expected = text
    assert same(yamlread.resolve_plain(text), expected)


# -- flow collections: where rapidyaml and libyaml part ways -------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a: [?.- ?~]\n",  # strict: [{'.- ?~': None}]; rapidyaml read the text '?.- ?~'
        "a: {?1}\n",  # strict: {'1': None}; rapidyaml read the key '?1'
        "a: {1e3no #}\n",  # strict refuses (a comment in the mapping); rapidyaml read a key '1e3no #'
        "a: {b #&} #:x\n",
        "k:\n  [:'\\x41@6.10]\n",  # strict refuses; rapidyaml read the text
        "a: [:]\n",
        "a: [b:]\n",
        "a: {  yes:}\n",
        'a: {?"\\}\n',  # an unknown escape to the strict reader
        'a: [yes\u00e9\n  -: "q"]\n',  # strict refuses a key over two lines; rapidyaml read 'yesé -'
        "a: [12\n  - x: y]\n",
        "a: [b,\n  c: d]\n",
    ],
)
def test_rapid_parse_steps_aside_in_flow_collections_where_the_readers_part(text: str) -> None:
    assert rapid_parse(text) is None
    assert fast_parse(text) is None


FLOW_PIECES = ["a", "b", "1", "x y", "yes", ":", ": ", ", ", ",", "[", "]", "{", "}", " #", "#", "'", '"', "'q'"]
FLOW_PIECES += ['"q"', "?", "? ", "-", "- ", "\n", "\n  ", "!", "&", "*", "|", ">", "%", "@", "`", " ", "~", ".", "\\"]
FLOW_PIECES += ["\u00e9", "\\x41", "0x1F", "\r\n", "\n  - ", "\n  b: "]


@settings(max_examples=3000, deadline=None)
@given(
    opener=st.sampled_from(["[", "{"]),
    pieces=st.lists(st.sampled_from(FLOW_PIECES), min_size=1, max_size=8),
    closer=st.sampled_from(["]", "}", ""]),
)
def test_rapid_parse_agrees_on_flow_collections_or_steps_aside(opener: str, pieces: list[str], closer: str) -> None:
    text = "a: " + opener + "".join(pieces) + closer + "\n"
    agrees_or_steps_aside(rapid_parse, text)


@settings(max_examples=400, deadline=None)
@given(texts=st.lists(plain_documents(), min_size=1, max_size=4))
def test_plain_parse_answers_the_same_whatever_lines_it_read_before(texts: list[str]) -> None:
    """The plain reader keeps what each line it read says (lines recur from file to file): a
    document read with that memo empty and read again after others gives the same answer, and
    a line it stepped aside for is never kept."""
    from hcode.store import fastyaml

    cold = []
    for text in texts:
        fastyaml._LINES.clear()
        cold.append(plain_parse(text))
    for text, first in zip(reversed(texts), reversed(cold), strict=True):
        again = plain_parse(text)
        assert (again is None) == (first is None), text
        assert first is None or same(again, first), text
    assert all(fastyaml._read_line(line) is not None for line in [*fastyaml._LINES, *fastyaml._ONCE])


def test_plain_parse_keeps_a_line_met_twice_and_answers_the_same_when_its_memos_are_full() -> None:
    """A line met once waits in a memo of its own (emptied when full) and is kept when met again,
    so that lines met once do not fill the memo; with both memos full every document reads the
    same."""
    from hcode.store import fastyaml

    fastyaml._LINES.clear()
    fastyaml._ONCE.clear()
    assert plain_parse("id: C-1\nkind: complaint\n") == {"id": "C-1", "kind": "complaint"}
    assert "kind: complaint" in fastyaml._ONCE and "kind: complaint" not in fastyaml._LINES
    assert plain_parse("id: C-2\nkind: complaint\n") == {"id": "C-2", "kind": "complaint"}
    assert "kind: complaint" in fastyaml._LINES and "kind: complaint" not in fastyaml._ONCE
    docs = [f"id: C-{i}\nkind: complaint\nstage1:\n  handler: H-{i % 7}\n  n: {i % 5}\n" for i in range(60)]
    first = [plain_parse(doc) for doc in docs]
    with patch.object(fastyaml, "_LINES_KEPT", 3), patch.object(fastyaml, "_ONCE_KEPT", 4):
        fastyaml._LINES.clear()
        fastyaml._ONCE.clear()
        assert [plain_parse(doc) for doc in docs] == first
        assert len(fastyaml._LINES) <= 3 and len(fastyaml._ONCE) <= 4


def test_plain_parse_reads_a_kept_line_again_in_its_new_place() -> None:
    """A line kept from one document says the same in another, where the indentation around it
    decides: a nested key met first at the top, a duplicate, a line continued."""
    from hcode.store import fastyaml

    fastyaml._LINES.clear()
    assert plain_parse("a:\n  b: 1\n") == {"a": {"b": 1}}
    assert plain_parse("  b: 1\n") is None  # an indented document
    assert plain_parse("b: 2\nc:\n  b: 1\n  b: 1\n") is None  # a duplicate key below
    assert plain_parse("x: 1\n  b: 1\n") is None  # a value continued on the next line
    assert plain_parse("c:\n  b: 1\nb: 1\n") == {"c": {"b": 1}, "b": 1}


# -- finding a place in a file the plain reader read ----------------------------------------------


def key_paths(value: dict[str, Any], prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = []
    for k, v in value.items():
        out.append((*prefix, k))
        if isinstance(v, dict):
            out += key_paths(v, (*prefix, k))
    return out


def located_alike(text: str, value: dict[str, Any], more: list[tuple[Any, ...]]) -> None:
    """Every key of ``value`` (the plain reader's reading of ``text``) and the paths ``more``,
    as a key and as a value, found where quick_locate finds them (or nowhere, as it)."""
    lines = text.split("\n")
    for path in [*key_paths(value), *more]:
        for key in (False, True):
            assert plain_locate(text, path, key=key) == yamlread.quick_locate(lines, path, key=key), (path, key)


PATH_PARTS = st.sampled_from(
    ["a", "b", "id", "x-c", "6.10", "k_1", "a.b", "on", "null", "a-", "zz", "a b", "a:", "", "#a", 0]
)


@settings(max_examples=2000, deadline=None)
@given(text=plain_documents(), more=st.lists(st.lists(PATH_PARTS, min_size=1, max_size=3), max_size=6))
def test_plain_locate_answers_as_quick_locate(text: str, more: list[list[Any]]) -> None:
    """Searching the text of a file the plain reader read finds every place where walking its
    lines does (:func:`yamlread.quick_locate`), and nothing where that finds nothing: for every
    key of the file, and for paths it does not have or that no plain key could be."""
    value = plain_parse(text)
    if value is not None:
        located_alike(text, value, [*(tuple(p) for p in more), ()])


PLACES = [("a", "c"), ("c", "a", "b"), ("stage1", "extension"), ("id", "x"), ("nope",)]


@pytest.mark.parametrize(
    "text",
    [
        "a:\n  # note\n\n  b:\n    c: 1\n  d: 2\ne: 3",
        "a: # nothing yet\n  b: 1\nb:\nc:\n  b: x # c\n  a:\n",
        "x: 1\na:\n    b: 1\n  # shallower comment\n    c: 2\nc: 3\n",
        "a:\n  b:\n    c: 1\n  c: 2\nb:\n  c: 3\n",
    ],
)
def test_plain_locate_answers_as_quick_locate_on_nested_layouts(text: str) -> None:
    value = plain_parse(text)
    assert value is not None
    located_alike(text, value, PLACES)


def test_plain_locate_answers_as_quick_locate_on_the_example() -> None:
    read = 0
    for file in example_files():
        text = file.read_text()
        value = plain_parse(text)
        if value is None:
            continue
        read += 1
        located_alike(text, value, PLACES)
    assert read > 20


def test_case_files_the_plain_reader_steps_aside_for_are_located_by_their_lines() -> None:
    """The reader of the scan says whether the plain reader answered for the text just read;
    only then are its findings located by searching the text."""
    from hcode.store.scan import _FAST_FIRST, _PLAIN_FIRST

    for reader in (_PLAIN_FIRST, _FAST_FIRST):
        assert reader("id: C-1\nstage1:\n  handler: H-1\n") == {"id": "C-1", "stage1": {"handler": "H-1"}}
        assert reader.plain
        assert reader("id: 'C-1'\nstage1: {handler: H-1}\n") == {"id": "C-1", "stage1": {"handler": "H-1"}}
        assert not reader.plain
