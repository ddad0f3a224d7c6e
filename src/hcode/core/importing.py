"""Turning the tables of a landlord's own documents into hcode records (pure: no I/O).

The store reads Word, Excel and CSV files into :class:`Table` values (rows of :class:`Cell`);
this module recognises the self-assessment columns by the words in their header, reads each
row's answer, normalises yes/no marks and dates, and compares the document's requirement text
with the Code's. The edit layer writes the result.

Nothing is dropped: a cell whose column is not recognised is kept in the answer's ``x-imported``
mapping under its column heading; a row whose provision is unknown is kept in the assessment's
top-level ``x-imported`` list. Every decision that changes or moves what the document says is
reported, row by row.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hcode.core.dates import written_date
from hcode.core.model import Code
from hcode.core.richtext import note_refs

# ---------------------------------------------------------------------------------------------
# Cells and tables, as the store hands them over


@dataclass(frozen=True)
class Cell:
    """One cell: its paragraphs (bullets and line breaks split), and its links' targets.

    ``spanned``: the cell is covered by a merged cell to its left (Word gridSpan, Excel merge).
    ``continued``: the cell continues a cell merged down from the row above (Word vMerge, Excel
    merge): its content belongs to the row above.
    """

    paragraphs: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    spanned: bool = False
    continued: bool = False

    @property
    def text(self) -> str:
        return "\n".join(p for p in self.paragraphs if p)

    @property
    def empty(self) -> bool:
        return not self.text.strip() and not self.links


def cell(text: str | None, links: Iterable[str] = ()) -> Cell:
    """A cell from plain text (lines become paragraphs)."""
    if text is None:
        return Cell((), tuple(links))
    return Cell(tuple(line.strip() for line in str(text).splitlines() if line.strip()), tuple(links))


@dataclass(frozen=True)
class Table:
    """A table as found in a document: ``where`` names it for messages (e.g. "table 3",
    "sheet Assessment"); ``row_names`` name each row (e.g. "row 4", "line 12"). A Word table
    may continue the one before it (split over a page); a worksheet is ``fresh``."""

    where: str
    rows: tuple[tuple[Cell, ...], ...]
    row_names: tuple[str, ...]
    fresh: bool = False  # a worksheet or file of its own: never continues the table before it


# ---------------------------------------------------------------------------------------------
# Header recognition

# The roles a column can have, each with the words in a heading that name it. Checked in order:
# the first pattern that matches a heading names its column's role.
_HEADER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("yes", re.compile(r"^(yes|y)$")),
    ("no", re.compile(r"^(no|n|non compliant|not compliant)$")),
    ("na", re.compile(r"^(n ?a|not applicable)$")),
    ("owner", re.compile(r"\b(owner|responsible|lead officer|accountable|who)\b|^lead$")),
    (
        "due",
        re.compile(r"\b(completion|complete by|due|deadline|target date|timescale|by when|date)\b"),
    ),
    ("progress", re.compile(r"\b(progress|status|update|rag)\b")),
    ("action", re.compile(r"\b(action|actions|improvement|next steps?)\b")),
    ("evidence", re.compile(r"\b(evidence|how we comply|supporting)\b")),
    ("comply", re.compile(r"\b(comply|complies|compliant|compliance|met|yes ?/ ?no)\b")),
    ("commentary", re.compile(r"\b(commentary|comments?|explanation|notes?|narrative|remarks)\b")),
    (
        "provision",
        re.compile(r"\b(provision|ref|reference|no|number|para|paragraph|clause|section|item|question)\b"),
    ),
    ("requirement", re.compile(r"\b(requirement|requirements|code|question|standard|criteria|description)\b")),
)


def words(text: str) -> list[str]:
    """Lower-case words and numbers of ``text`` (punctuation, quotes and marks dropped)."""
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'", ""))


def header_role(text: str) -> str | None:
    """The role of a column from its heading, or None if the words say nothing we know."""
    norm = " ".join(words(text.replace("/", " / ")))
    if not norm:
        return None
    slashed = " ".join(re.findall(r"[a-z0-9/]+", text.lower()))
    if re.search(r"\byes ?/ ?no\b", slashed):
        return "comply"
    for role, pattern in _HEADER_PATTERNS:
        if pattern.search(norm):
            return role
    return None


_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def recognise_header(cells: Sequence[Cell]) -> dict[int, str] | None:
    """Column index → role for a header row, or None if the row is not a self-assessment header.

    A header must name the provision column and at least one answer column (comply, a Yes tick
    column, or evidence). Where two columns claim the same role, the first keeps it (a second
    "date" column becomes unknown and is kept under its heading).
    """
    roles: dict[int, str] = {}
    taken: set[str] = set()
    for c in cells:
        if provision_id(c.text) is not None or len(_PARENTHESES.sub(" ", c.text).strip()) > 80:
            return None  # a row of answers, not of headings
    for i, c in enumerate(cells):
        heading = _PARENTHESES.sub(" ", c.text).strip() or c.text  # "Code requirement (from the Code)"
        if c.spanned or len(heading) > 60:
            continue
        role = header_role(heading)
        if role is None or role in taken:
            continue
        roles[i] = role
        taken.add(role)
    if "provision" not in taken and ("comply" in taken or {"yes", "no"} <= taken) and 0 not in roles:
        # the 2020 questionnaire: "1 | Definition of a complaint | Yes | No" (no heading for the number)
        roles[0] = "provision"
        taken.add("provision")
        if len(cells) > 2 and (1 not in roles or re.fullmatch(r"\d{1,2}", cells[0].text.strip())):
            # the second cell is the section's title ("8 | Continuous learning and improvement"),
            # never a column heading, whatever its words ("improvement" is not an action column)
            taken.discard(roles.get(1, "requirement"))
            roles[1] = "requirement"
            taken.add("requirement")
    if "provision" not in taken or len(taken) < 2:
        return None
    if not taken & {"comply", "yes", "evidence"}:
        return None
    return roles


# ---------------------------------------------------------------------------------------------
# Values

_PROVISION_ID = re.compile(r"^\s*(?:provision\s*)?(\d{1,2})\s*[.,]\s*(\d{1,2})(?!\d|\.\d)", re.I)
TICKS = frozenset("✓✔√☑☒xX✗✘✅")
_EMPTYISH = frozenset(("", "-", "–", "—", "n/a", "na", "none", "nil", "none required", "no action required", "n a"))


def provision_id(text: str) -> str | None:
    """The provision number a cell starts with ("1.2", "Provision 6.10", "5.1 Landlords...")."""
    m = _PROVISION_ID.match(text)
    if m is None:
        return None
    return f"{int(m.group(1))}.{int(m.group(2))}"


_ID_LIST = re.compile(r"^[\s;,/&]*(?:(?:and|&)\s+)?(\d{1,2})\s*\.\s*(\d{1,2})\*?(?!\d)")


def further_ids(text: str) -> list[str]:
    """The provision numbers after the first in a cell that lists several ("3.6; 6.1; 6.2"), or
    none when anything else follows the first number."""
    m = _PROVISION_ID.match(text)
    if m is None:
        return []
    rest = text[m.end() :].lstrip("*")
    found: list[str] = []
    while rest.strip():
        n = _ID_LIST.match(rest)
        if n is None:
            return []
        found.append(f"{int(n.group(1))}.{int(n.group(2))}")
        rest = rest[n.end() :]
    return found


def is_tick(text: str) -> bool:
    t = text.strip()
    return bool(t) and len(t) <= 2 and all(ch in TICKS for ch in t)


def is_emptyish(text: str) -> bool:
    return " ".join(words(text)) in _EMPTYISH or text.strip() in _EMPTYISH


_NEGATIVE = re.compile(
    r"^(no|n|false|non ?compliant|not compliant|not met|do not comply|we do not comply|does not comply)\b"
)
_POSITIVE = re.compile(r"^(yes|y|true|compliant|fully compliant|met|complies|we comply|comply|fully)\b")
# words that make a yes something else: a no beside it, or a qualifier
_NOT_YES = frozenset(
    ("no", "n", "not", "non", "but", "however", "partly", "partially", "partial", "except", "although")
)
_YES_WORDS = frozenset(("yes", "y", "comply", "complies", "compliant", "met"))
STRUCK = re.compile(r"~~(.+?)~~", re.S)


@dataclass(frozen=True)
class ComplyReading:
    """What a comply cell says, read whole: ``value`` yes, no, partly or n/a, or None when it is
    none of them plainly; ``reason`` says why a cell is not a plain answer."""

    value: str | None
    reason: str = ""


def read_comply(text: str) -> ComplyReading:
    """A comply cell read whole.

    Yes: yes, y, ✓, √, ☒, "We comply", "Compliant", "Fully compliant", "Met", where nothing else
    in the cell says otherwise. No: no, n, "Not compliant", "We do not comply", "Not met".
    Partly: "Partially", "Partly", "Partial", "Yes - partially", "We partially comply". Not read
    (None, with the reason): a cell with both yes and no words ("Yes / No", "Y/N", "Yes & No"),
    a yes with a qualifier ("Yes but not compliant"), struck-through text (written ``~~Yes~~``
    by the reader: "Yes / No" with the Yes struck through), a cross, N/A, anything else.
    """
    t = text.strip()
    if not t:
        return ComplyReading(None, "empty")
    struck = STRUCK.findall(t)
    if struck:
        return ComplyReading(None, f"{', '.join(repr(x) for x in struck)} struck through")
    if is_tick(t):
        # a tick; a cross ("x", "✗") in a comply column might mean either, so it is not read
        if set(t) & set("xX✗✘"):
            return ComplyReading(None, "a cross")
        return ComplyReading("yes")
    if _is_na(t):
        return ComplyReading("n/a")
    norm = " ".join(words(t))
    if is_partial(t):
        return ComplyReading("partly")
    m = _NEGATIVE.match(norm)
    if m:
        if _YES_WORDS & set(norm[m.end() :].split()):
            return ComplyReading(None, "both yes and no")
        return ComplyReading("no")
    m = _POSITIVE.match(norm)
    if m:
        rest = set(norm[m.end() :].split())
        if rest & {"no", "n", "non"}:
            return ComplyReading(None, "both yes and no")
        qualifier = rest & _NOT_YES
        if qualifier:
            return ComplyReading(None, f"a qualifier ({', '.join(sorted(qualifier))})")
        return ComplyReading("yes")
    return ComplyReading(None, "neither yes nor no")


def comply_value(text: str) -> bool | None:
    """Yes → True; No or Partly → False (a partial answer needs an action plan); anything unclear
    → None (the caller keeps the text). See :func:`read_comply`."""
    value = read_comply(text).value
    return True if value == "yes" else False if value in ("no", "partly") else None


_PARTIAL = re.compile(r"^(?:(?:yes|we|compliant|comply)\s+)*(?:partially|partial|partly|in part)\b")
PARTLY_WORDS = ("partly", "partial", "partially")


def is_partial(text: str) -> bool:
    """ "Partially", "Yes - partially", "Partly compliant", "We partially comply": not a plain
    yes. Only the answer's first words count: "Yes - see policy in part 4" is a yes."""
    return bool(_PARTIAL.match(" ".join(words(text))))


_DONE = re.compile(r"^(complete|completed|done|achieved|implemented|closed|finished|in place)$")


def is_done_marker(text: str) -> bool:
    """ "Complete", "Completed", "Done", ...: the action is finished (no date given)."""
    parts = [p for p in re.split(r"[\n;,]+|\s{2,}", text) if p.strip()] or [text]
    if len(parts) == 1 and len(words(text)) > 1 and len(set(words(text))) == 1:
        parts = words(text)  # "Complete Complete": the same word twice (two merged cells)
    return all(_DONE.match(" ".join(words(p))) for p in parts)


# ---------------------------------------------------------------------------------------------
# Requirement text against the catalogue

SIMILAR = 0.6
"""Below this score a row's requirement text "differs in substance" from the Code's."""


#: Words of each text that :func:`similarity` compares (the longest provision of the 2024 Code
#: has 125): a cell of any length costs the same bounded time, so an import stays linear.
COMPARED_WORDS = 300


def similarity(document: str, catalogue: str) -> float:
    """How far the document's requirement text matches the catalogue's, 0..1.

    Both are reduced to lower-case words (quotes, punctuation and layout ignored). The score is
    the larger of difflib's ratio over the two word lists and the share of the document's words
    found in order in the catalogue's (so a document that shortens the text, or whose cell was
    cut at a page break, still matches). A form that repeats 1.2's text under 3.1 scores about
    0.1-0.3 against 3.1; a faithful copy scores above 0.9. Only the first
    :data:`COMPARED_WORDS` words of each are compared.
    """
    a, b = words(document)[:COMPARED_WORDS], words(catalogue)[:COMPARED_WORDS]
    if not a or not b:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return max(matcher.ratio(), matched / len(a) if len(a) >= 8 else 0.0)


#: A row's text that is a copy of another provision's (at least this score) when it is not one of
#: its own is renumbered, however close the two provisions' texts (2020's 4.5 and 4.6 differ by one
#: word); otherwise the other provision must match by :data:`RENUMBERED_MARGIN` more.
COPY = 0.95
RENUMBERED_MARGIN = 0.15


def _renumbered(own: float, other: float) -> bool:
    """Whether a row whose requirement text scores ``own`` against its number's provision and
    ``other`` against another provision was renumbered (and is reported)."""
    return other >= own + RENUMBERED_MARGIN or (other >= COPY and other > own)


def best_match(document: str, code: Code) -> tuple[str, float] | None:
    """The catalogue provision whose text best matches ``document``, with its score."""
    best: tuple[str, float] | None = None
    for pid, p in code.provisions.items():
        score = similarity(document, p.text)
        if best is None or score > best[1]:
            best = (pid, score)
    return best


# ---------------------------------------------------------------------------------------------
# Rows to answers


@dataclass
class ReportRow:
    """One line of the row-by-row report."""

    where: str
    provision: str | None
    status: str  # imported | merged | unknown | mismatch | note | skipped
    message: str


@dataclass
class _Answer:
    comply: bool | None = None
    comply_word: str | None = None  # "Partly" as written
    comply_seen: bool = False
    na: bool = False  # answered N/A on a form that allows it
    evidence: list[str] = field(default_factory=list)
    commentary: list[str] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    imported: dict[str, str] = field(default_factory=dict)
    where: str = ""


@dataclass
class AssessmentImport:
    """What an assessment import found: the answers (plain data in the file's shape), rows kept
    aside (unknown provisions), and the report."""

    provisions: dict[str, dict[str, Any]]
    unplaced: list[dict[str, Any]]
    report: list[ReportRow]
    tables: int
    actions: list[dict[str, Any]] = field(default_factory=list)  # a stand-alone action plan's rows
    # the document's words in its tables: placed (in answers and actions, or the headings read),
    # compared (provision numbers and requirement text, checked against the Code's), kept (under
    # x-imported) and dropped (in the rows and tables reported skipped)
    words: dict[str, int] = field(default_factory=dict)
    outside: list[str] = field(default_factory=list)  # paragraphs outside the tables, not answers or notes
    notes: dict[str, str] = field(default_factory=dict)  # the notes answers refer to ("see note 1")


def _evidence_items(c: Cell) -> list[str]:
    items = [_strip_bullet(p) for p in c.paragraphs]
    items = [i for i in items if i]
    for link in c.links:
        if not any(link in i for i in items):
            items.append(link)
    return items


def _strip_bullet(text: str) -> str:
    return re.sub(r"^\s*(?:[-•▪◦·*]|\d+[.)])\s+", "", text).strip()


def _add_unique(target: list[str], items: Iterable[str]) -> None:
    for i in items:
        if i not in target:
            target.append(i)


def _join(c: Cell) -> str:
    text = "\n".join(p for p in c.paragraphs if p)
    for link in c.links:
        if link not in text:
            text = f"{text} ({link})" if text else link
    return text


def _fix_numeric_id(pid: str, previous: str | None) -> str:
    """Excel turns 6.10 into 6.1: after 6.9 in the same section, 6.1 is read as 6.10."""
    if previous is None:
        return pid
    s, n = pid.split(".")
    ps, pn = previous.split(".")
    if s == ps and int(pn) >= int(n) and int(n) < 10 and int(n) * 10 > int(pn):
        return f"{s}.{int(n) * 10}"
    return pid


# ---------------------------------------------------------------------------------------------
# Layouts beyond the table: each becomes a table the importer reads as any other


def _label_role(text: str) -> str | None:
    """The role a label names ("Code provision", "Our response", "Evidence"): a header role, or
    comply for the words a labelled answer uses."""
    t = " ".join(words(text))
    if re.fullmatch(r"(our )?(response|answer|position|assessment|self assessment)", t):
        return "comply"
    return header_role(text) if len(t.split()) <= 8 else None


def _records_table(records: list[list[tuple[str, Cell]]], where: str, names: list[str]) -> Table:
    """Label/value records as a table: one header row of the labels, a row per record."""
    labels: list[str] = []
    for record in records:
        for label, _ in record:
            if label not in labels:
                labels.append(label)
    rows = [tuple(cell(label) for label in labels)]
    for record in records:
        got: dict[str, Cell] = {}
        for label, value in record:
            got[label] = value if label not in got else Cell(got[label].paragraphs + value.paragraphs)
        rows.append(tuple(got.get(label, Cell()) for label in labels))
    return Table(where, tuple(rows), ("labels", *names), fresh=True)


def label_value_table(table: Table) -> Table | None:
    """A table of label | value rows (a block per provision, as councils publish section by
    section: "Code provision | 1.2", "Code requirement | ...", "Comply | Yes", "Evidence |
    ..."), as a table with the labels as its header; None for any other table."""
    records: list[list[tuple[str, Cell]]] = []
    names: list[str] = []
    roles_seen: set[str] = set()
    for row, name in zip(table.rows, table.row_names, strict=True):
        filled = [c for c in row if not c.empty and not c.spanned]
        if not filled:
            continue
        first = next((c for c in row if not c.spanned), Cell())
        role = _label_role(first.text) if len(filled) <= 2 else None
        if role is None:
            return None
        value = next((c for c in row[1:] if not c.spanned), Cell()) if len(row) > 1 else Cell()
        if role == "provision" or not records:
            records.append([])
            names.append(name)
        records[-1].append((" ".join(first.text.split()), value))
        roles_seen.add(role)
    if "provision" not in roles_seen or not roles_seen & {"comply", "yes", "evidence"}:
        return None
    return _records_table(records, table.where, names)


_LABELLED = re.compile(r"^\s*([A-Za-z][A-Za-z '’()/-]{1,50}?)\s*:\s*(.*)$", re.S)


def prose_table(paragraphs: Sequence[str], code: Code) -> tuple[Table | None, list[str]]:
    """Self-assessment answers written as text, not in a table, as a table; and the paragraphs
    that are not part of it (kept by the caller). Two layouts:

    * labelled paragraphs ("Code provision: 1.2", "Code requirement: ...", "Our response: We
      comply.", "Evidence: ..."): each label starts a cell, the paragraphs after it go on it;
    * a narrative (seed-style: "1.2 A complaint must be defined as ..." as a heading or a
      paragraph, the requirement perhaps repeated, then an answer sentence, "We comply.", and
      commentary paragraphs): the answer sentence is the comply cell, the rest commentary.
    """
    labelled = _labelled_records(paragraphs)
    if labelled is not None:
        table, used = labelled
        return table, [p for i, p in enumerate(paragraphs) if i not in used]
    rows: list[tuple[Cell, ...]] = []
    names: list[str] = []
    used = set()
    current: dict[str, Any] | None = None
    for i, text in enumerate(paragraphs):
        t = " ".join(text.split())
        pid = provision_id(t)
        if pid is not None and (pid in code.provisions or len(words(t)) > 3):
            if current is not None:
                rows.append(_narrative_row(current))
            current = {"id": t, "comply": [], "commentary": [], "requirement": pid}
            names.append(f"paragraph {i + 1}")
            used.add(i)
            continue
        if current is None:
            continue
        after = paragraphs[i + 1] if i + 1 < len(paragraphs) else ""
        if len(words(t)) <= 8 and not re.search(r"[.!?:]$", t) and provision_id(" ".join(after.split())):
            continue  # a section heading before the next provision: kept with the other text
        used.add(i)
        provision = code.provisions.get(str(current["requirement"]))
        if not current["comply"] and not current["commentary"]:
            if provision is not None and part_of(t, provision.text):
                current["id"] = f"{current['id']} {t}"  # the requirement goes on ("a. the complaint stage;")
                continue
            if provision is not None and similarity(t, provision.text) >= SIMILAR:
                current["id"] = f"{current['id']} {t}" if len(words(current["id"])) <= 3 else current["id"]
                continue  # the requirement repeated under its heading
            first, _, rest = _first_sentence(t)
            if read_comply(first).value is not None and len(words(first)) <= 12:
                current["comply"].append(first)
                if rest:
                    current["commentary"].append(rest)
                continue
        current["commentary"].append(t)
    if current is not None:
        rows.append(_narrative_row(current))
    if not rows:
        return None, list(paragraphs)
    header = (cell("Provision"), cell("Comply"), cell("Commentary"))
    table = Table("text", (header, *rows), ("heading", *names), fresh=True)
    return table, [p for i, p in enumerate(paragraphs) if i not in used]


def part_of(text: str, requirement: str) -> bool:
    """Whether ``text`` (two words or more) is a run of the requirement's own words: a paragraph
    of the Code's text on its own (a lettered item of a list), not the landlord's."""
    part, whole = words(text), words(requirement)
    n = len(part)
    return n >= 2 and any(whole[i : i + n] == part for i in range(len(whole) - n + 1))


def _first_sentence(text: str) -> tuple[str, str, str]:
    parts = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)
    return parts[0], "", parts[1] if len(parts) > 1 else ""


def _narrative_row(current: dict[str, Any]) -> tuple[Cell, ...]:
    return (
        cell(str(current["id"]).replace("\n", " ")),
        Cell(tuple(current["comply"])),
        Cell(("\n\n".join(current["commentary"]),) if current["commentary"] else ()),
    )


def _labelled_records(paragraphs: Sequence[str]) -> tuple[Table, set[int]] | None:
    records: list[list[tuple[str, Cell]]] = []
    names: list[str] = []
    used: set[int] = set()
    roles: set[str] = set()
    for i, text in enumerate(paragraphs):
        m = _LABELLED.match(text)
        role = _label_role(m.group(1)) if m else None
        if m is not None and role is not None:
            if role == "provision" or not records:
                records.append([])
                names.append(f"paragraph {i + 1}")
            value = m.group(2).strip()
            records[-1].append((" ".join(m.group(1).split()), cell(value) if value else Cell()))
            roles.add(role)
            used.add(i)
        elif records and records[-1]:
            label, value = records[-1][-1]
            records[-1][-1] = (label, Cell((*value.paragraphs, " ".join(text.split()))))
            used.add(i)
    if "provision" not in roles or not roles & {"comply", "yes", "evidence"} or len(records) < 1:
        return None
    return _records_table(records, "text", names), used


def import_assessment(
    tables: Sequence[Table],
    code: Code,
    *,
    numeric_ids: bool = False,
    done_true: bool = False,
    loose_due: bool = False,
    outside: Sequence[str] = (),
) -> AssessmentImport:
    """Read the self-assessment rows of ``tables`` against ``code``; ``outside``: the document's
    paragraphs outside its tables, read for answers written as text (:func:`prose_table`); the
    paragraphs that are not answers are in the result's ``outside``.

    A table of label | value rows is read as the table of its labels (:func:`label_value_table`).

    Tables are joined: a table without a recognised header continues the previous header's
    columns (a table split over two pages) if it has the same number of columns; a row without
    a provision number continues the provision above (a row split over two pages, or a second
    action). ``numeric_ids``: the ids came from spreadsheet numbers (6.10 may read as 6.1).
    ``loose_due``: a completion date that is a month or "tbc" goes in ``due`` (else it is kept in
    the action's ``x-imported`` note).
    ``done_true``: write ``done: true`` for an action marked "Complete" without a date (else the
    word is kept in the action's ``x-imported`` note).
    """
    tables = [label_value_table(t) or t for t in tables]
    prose, not_answers = prose_table(outside, code) if outside else (None, [])
    if prose is not None:
        tables.append(prose)
    report: list[ReportRow] = []
    answers: dict[str, _Answer] = {}
    unplaced: list[dict[str, Any]] = []
    header: dict[int, str] | None = None
    headings: tuple[str, ...] = ()
    width = 0
    current: str | None = None  # provision id the last row belonged to
    current_unknown: dict[str, Any] | None = None
    previous_id: str | None = None
    used_tables = 0
    order: dict[str, int] = {}
    plan: dict[int, str] | None = None  # the header of a stand-alone action plan table
    plan_headings: tuple[str, ...] = ()
    plan_actions: list[dict[str, Any]] = []
    tally = dict.fromkeys(("placed", "compared", "kept", "dropped"), 0)
    for table in tables:
        used = False
        if table.fresh:
            header, current, current_unknown, previous_id, plan = None, None, None, None, None
        unread: list[tuple[str, Sequence[Cell]]] = []  # rows of the table no header covers
        for row, name in zip(table.rows, table.row_names, strict=True):
            where = f"{table.where}, {name}"
            order.setdefault(where, len(order))
            found = recognise_header(row)
            if found is not None:
                header, headings, width = found, tuple(c.text for c in row), len(row)
                plan = None
                used = True
                _tally(tally, row, {}, "placed")
                continue
            plan_found = recognise_action_plan(row)
            if plan_found is not None:
                plan, plan_headings, header = plan_found, tuple(c.text for c in row), None
                used = True
                report.append(ReportRow(where, None, "note", "an action plan: its rows go to actions:"))
                _tally(tally, row, {}, "placed")
                continue
            if plan is not None:
                _plan_row(plan_actions, row, plan, plan_headings, where, report, (done_true, loose_due))
                _tally(tally, row, plan, "kept")
                continue
            if header is None:
                unread.append((where, row))
                continue
            if len(row) != width and not (used and len(row) > max(header)):
                # a different table (a performance table, a contents list): the header ends here
                header = None
                current = None
                unread.append((where, row))
                continue
            used = True
            if all(c.empty or c.spanned for c in row):
                continue
            cells = {header.get(i, f"col{i}"): c for i, c in enumerate(row) if not c.spanned}
            pcell = next((c for i, c in enumerate(row) if header.get(i) == "provision"), Cell())
            pid = provision_id(pcell.text) if not pcell.continued else None
            if pid is not None and numeric_ids:
                fixed = _fix_numeric_id(pid, previous_id)
                if fixed != pid:
                    report.append(ReportRow(where, fixed, "note", f"read {pid} as {fixed} (the cell holds a number)"))
                pid = fixed
            if pid is None:
                if pcell.text.strip() and not pcell.continued:
                    # a section heading row ("Section 2: Exclusions") or a row we cannot number
                    texts = [c.text for c in row if not c.empty and not c.spanned]
                    if len(set(texts)) == 1 or all(
                        header.get(i) in ("provision", "requirement") for i, c in enumerate(row) if not c.empty
                    ):
                        report.append(ReportRow(where, None, "skipped", f"heading row: {texts[0][:60]!r}"))
                        _tally(tally, row, {}, "dropped")
                        continue
                if current is None and current_unknown is None:
                    unplaced.append({"row": where, **_cells_dict(row, header, headings)})
                    _tally(tally, row, {}, "kept")
                    report.append(
                        ReportRow(where, None, "unknown", "row without a provision number: kept in x-imported")
                    )
                    continue
                if current_unknown is not None:
                    current_unknown.setdefault("continued", []).append(_cells_dict(row, header, headings))
                    _tally(tally, row, {}, "kept")
                    continue
                assert current is not None
                _tally(tally, row, header, "kept")
                _read_row(
                    answers[current],
                    row,
                    header,
                    headings,
                    where,
                    current,
                    report,
                    (done_true, loose_due),
                    allows_na=code.form.allows_na,
                    continuing=True,
                )
                report.append(ReportRow(where, current, "merged", f"continues {current} from the row above"))
                continue
            previous_id = pid
            provision = code.provisions.get(pid)
            if provision is None:
                current, current_unknown = None, {"row": where, "provision": pid, **_cells_dict(row, header, headings)}
                unplaced.append(current_unknown)
                _tally(tally, row, {}, "kept")
                report.append(
                    ReportRow(where, pid, "unknown", f"{pid} is not a provision of {code.code}: kept in x-imported")
                )
                continue
            current_unknown = None
            if pid in answers:
                report.append(ReportRow(where, pid, "merged", f"{pid} appears again: merged with {answers[pid].where}"))
            else:
                answers[pid] = _Answer(where=where)
                report.append(ReportRow(where, pid, "imported", ""))
            current = pid
            requirement = cells.get("requirement")
            if requirement is None or requirement.empty:
                # the text written after the number in the same cell ("1.2 A complaint must ...")
                rest = _PROVISION_ID.sub("", pcell.text, count=1).strip(" .:)-\n")
                requirement = cell(rest) if len(words(rest)) >= 8 else None
            if requirement is not None and not requirement.empty:
                score = similarity(requirement.text, provision.text)
                best = best_match(requirement.text, code) if score < COPY else None
                if score >= SIMILAR and best is not None and best[0] != pid and _renumbered(score, best[1]):
                    # a renumbered row: its words are another provision's more than its own
                    report.append(
                        ReportRow(
                            where,
                            pid,
                            "mismatch",
                            f"renumbered? the requirement text reads more like {best[0]} ({best[1]:.2f}) "
                            f"than {pid} ({score:.2f}): imported as {pid}, as the document numbers it",
                        )
                    )
                if score < SIMILAR:
                    hint = (
                        f"; it reads like {best[0]} ({best[1]:.2f})"
                        if best and best[0] != pid and best[1] >= SIMILAR
                        else ""
                    )
                    report.append(
                        ReportRow(
                            where,
                            pid,
                            "mismatch",
                            f"the requirement text differs from the Code's {pid} "
                            f"(similarity {score:.2f} < {SIMILAR}){hint}",
                        )
                    )
            _tally(tally, row, header, "kept")
            also = [x for x in further_ids(pcell.text) if x != pid]
            if also:
                report.append(
                    ReportRow(where, pid, "note", f"the row names {pid}; {', '.join(also)} too: its action names them")
                )
            _read_row(
                answers[pid],
                row,
                header,
                headings,
                where,
                pid,
                report,
                (done_true, loose_due),
                also,
                allows_na=code.form.allows_na,
            )
        if used:
            used_tables += 1
            for at, left in unread:
                texts = [c.text for c in left if not c.empty and not c.spanned]
                if texts:
                    report.append(ReportRow(at, None, "skipped", f"not under a header row: {' | '.join(texts)[:60]!r}"))
                    _tally(tally, left, {}, "dropped")
        elif any(not c.empty for r in table.rows for c in r):
            for r in table.rows:
                _tally(tally, r, {}, "dropped")
            order.setdefault(table.where, len(order))
            report.append(
                ReportRow(
                    table.where, None, "skipped", "no self-assessment header row: not read (it is not in the file)"
                )
            )
    provisions = {pid: _answer_data(a) for pid, a in answers.items()}
    for pid, a in answers.items():
        if not a.comply_seen:
            report.append(ReportRow(a.where, pid, "note", "no answer in the comply column: left empty"))
    report.sort(key=lambda r: order.get(r.where, -1))  # in the document's order
    referred = {ref.lower() for data in provisions.values() for text in _texts_of(data) for ref in note_refs(text)}
    notes, others = notes_in(not_answers, referred)
    tally["placed"] += sum(len(words(t)) for t in not_answers) - sum(len(words(t)) for t in others)
    for nid in notes:
        report.append(ReportRow(f"note {nid}", None, "imported", f"note {nid}: into notes:"))
    return AssessmentImport(provisions, unplaced, report, used_tables, plan_actions, tally, others, notes)


def _texts_of(value: Any) -> Iterator[str]:
    """Every text in an answer's plain data (nested lists and mappings)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts_of(item)


# A heading that opens a document's notes ("Notes", "Notes with evidence", "Notes:").
_NOTES_HEADING = re.compile(r"^\W*notes?\b[^.!?]{0,60}$", re.IGNORECASE)
# A note's own heading: "1. Is our policy ... fair?", "Note 2: ...", "Note 3" (on its own).
_NOTE_START = re.compile(
    r"^[\W_]*(note\s+)?(\d{1,3})(?:\s*[.):\-–]\s*|\s+(?=[A-Z])|\s*$)(.*)$", re.IGNORECASE | re.DOTALL
)


def _ends_notes(text: str) -> bool:
    """A paragraph that reads as the heading of what follows the notes (a short line that is
    not a sentence, a list item or a note of its own: "Action Plan", "*Mandatory")."""
    t = text.strip()
    return len(words(t)) <= 8 and not re.search(r"[.!?:;,]\W*$", t) and not re.match(r"^\s*[-*•–]\s", t)


def notes_in(paragraphs: Sequence[str], referred: Iterable[str] = ()) -> tuple[dict[str, str], list[str]]:
    """The notes a document's answers refer to ("Please see Note 1"), from its paragraphs
    outside the tables, and the paragraphs that are not notes.

    A note starts at a paragraph "Note N ..." whose N an answer refers to (``referred``), or,
    after a heading "Notes" (or "Notes with evidence"), at each numbered paragraph ("1. Is our
    policy fair?"); it runs to the next note, or to a short line that is not a sentence (the
    heading of what follows). A note's text is its heading's words (without the number) and its
    paragraphs, separated by blank lines."""
    wanted = {str(r).lower() for r in referred}
    notes: dict[str, list[str]] = {}
    rest: list[str] = []
    in_notes = False  # after a "Notes" heading, until the heading of what follows
    current: str | None = None  # the note the paragraphs now belong to
    for text in paragraphs:
        t = text.strip()
        m = _NOTE_START.match(t)
        if m is not None and (m.group(1) or m.group(3).strip()) and (in_notes or (m.group(1) and m.group(2) in wanted)):
            current = m.group(2)
            title = m.group(3).strip().strip("*").strip()
            notes.setdefault(current, []).extend([title] if title else [])
            in_notes = True
            continue
        if _NOTES_HEADING.match(t) and len(words(t)) <= 8:
            in_notes, current = True, None
            continue
        if current is not None and not _ends_notes(t):
            notes[current].append(t)
            continue
        if current is not None:  # the heading of what follows the notes
            in_notes, current = False, None
        rest.append(text)
    return {nid: "\n\n".join(parts) for nid, parts in notes.items() if parts}, rest


_READ_ROLES = frozenset(("comply", "yes", "no", "na", "evidence", "commentary", "action", "owner", "due", "progress"))


def _tally(tally: dict[str, int], row: Sequence[Cell], header: dict[int, str], otherwise: str) -> None:
    """Count a row's words: a cell of a column read is placed (compared: the number and the
    requirement text), any other cell ``otherwise`` (kept, or dropped)."""
    for i, c in enumerate(row):
        if c.spanned or c.continued or c.empty:
            continue
        role = header.get(i)
        kind = "compared" if role in ("provision", "requirement") else "placed" if role in _READ_ROLES else otherwise
        tally[kind] += len(words(c.text)) + len(c.links)


def recognise_action_plan(cells: Sequence[Cell]) -> dict[int, str] | None:
    """Column index → role for the header of a stand-alone action plan ("Question | Action |
    Lead | Target date | Notes on progress"): an action column, an owner or date column, and no
    answer column."""
    if any(provision_id(c.text) is not None or len(c.text) > 60 for c in cells):
        return None
    roles: dict[int, str] = {}
    for i, c in enumerate(cells):
        role = None if c.spanned else header_role(c.text)
        if role is not None and role not in roles.values():
            roles[i] = role
    taken = set(roles.values())
    if "action" not in taken or not taken & {"owner", "due"} or taken & {"comply", "yes", "no", "evidence"}:
        return None
    return roles


def _plan_row(
    actions: list[dict[str, Any]],
    row: Sequence[Cell],
    header: dict[int, str],
    headings: Sequence[str],
    where: str,
    report: list[ReportRow],
    accepts: tuple[bool, bool],
) -> None:
    """One row of a stand-alone action plan: a new action (for the provisions its first column
    names), or the row above going on (a row without a number whose text goes on mid-sentence,
    or that has only an owner or a date)."""
    if all(c.empty or c.spanned for c in row):
        return
    got: dict[str, Cell] = {header[i]: c for i, c in enumerate(row) if i in header and not c.empty and not c.spanned}
    ids_cell = got.get("provision")
    ids: list[str] = []
    if ids_cell is not None:
        first = provision_id(ids_cell.text)
        ids = [first, *further_ids(ids_cell.text)] if first else []
    text = got["action"].text if "action" in got else ""
    last = actions[-1] if actions else None
    if last is not None and not ids and (not text or continues(last["action"], text)):
        if text:
            last["action"] = f"{last['action']} {_join(got['action'])}"
        if "owner" in got:
            last["owner"] = (
                f"{last['owner'].rstrip(';, ')}; {got['owner'].text}" if last.get("owner") else got["owner"].text
            )
        report.append(ReportRow(where, None, "merged", "continues the action above"))
        return
    if not text:
        report.append(ReportRow(where, None, "note", "an action plan row without an action: kept in x-imported"))
        if last is not None:
            last.setdefault("x-imported", "")
            last["x-imported"] = "; ".join(
                x for x in (last["x-imported"], " | ".join(c.text for c in got.values())) if x
            )
        return
    action: dict[str, Any] = {"action": _join(got["action"])}
    if not ids and last is not None and ids_cell is None:
        ids = list(last.get("provisions") or [])  # a row without a number: the provisions above
    action["provisions"] = ids
    if "owner" in got and not is_emptyish(got["owner"].text):
        action["owner"] = got["owner"].text
    if "due" in got:
        fields = _due_fields(got["due"].text, accepts[1])
        if fields.pop("done", None):
            if accepts[0]:
                action["done"] = True
            else:
                action["x-imported"] = "Complete"
        action.update({k: v for k, v in fields.items() if k == "due"})
        if "x-due" in fields:
            action["x-imported"] = f"completion date: {fields['x-due']}"
            report.append(
                ReportRow(where, None, "note", f"completion date {fields['x-due']!r} is not a day: kept as x-imported")
            )
    if "progress" in got:
        action["progress"] = _join(got["progress"])
    extra = [f"{_heading(headings, i)}: {c.text}" for i, c in enumerate(row) if i not in header and not c.empty]
    if extra:
        action["x-imported"] = "; ".join(([action["x-imported"]] if "x-imported" in action else []) + extra)
    actions.append(action)
    report.append(ReportRow(where, ", ".join(ids) or None, "imported", "action plan row"))


def _cells_dict(row: Sequence[Cell], header: dict[int, str], headings: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for i, c in enumerate(row):
        if c.spanned or c.empty:
            continue
        name = _heading(headings, i) or header.get(i) or f"column {i + 1}"
        out[name] = _join(c)
    return out


def _heading(headings: Sequence[str], i: int) -> str:
    return " ".join(headings[i].split()) if i < len(headings) else ""


def _read_row(
    a: _Answer,
    row: Sequence[Cell],
    header: dict[int, str],
    headings: Sequence[str],
    where: str,
    pid: str,
    report: list[ReportRow],
    accepts: tuple[bool, bool],
    also: Sequence[str] = (),
    *,
    allows_na: bool = False,
    continuing: bool = False,
) -> None:
    """One row of a provision's answer; ``also``: the further provisions the row names, which
    its action is for too; ``allows_na``: the edition's form allows N/A (the 2020
    questionnaire), so an N/A is the answer rather than a note; ``continuing``: a row without a
    number, which continues the provision above (text that goes on mid-sentence joins the item
    above: a row cut at a page break never makes a new item or a new action)."""
    action: dict[str, Any] = {}
    extra: dict[str, str] = {}
    cells: dict[str, Cell] = {}
    for i, c in enumerate(row):
        if c.spanned or c.empty or c.continued:
            continue
        role = header.get(i)
        text = c.text.strip()
        if role in ("provision", "requirement"):
            continue  # the Code's text comes from the catalogue (compared, not copied)
        if role == "comply":
            reading = read_comply(text)
            if allows_na and reading.value == "n/a":
                if not a.comply_seen:
                    a.na, a.comply_seen = True, True
                continue
            if reading.value == "partly":
                written = " ".join(text.split()).rstrip(".!")
                word = written if written.lower() in PARTLY_WORDS else "partly"
                if word != written:
                    extra["comply"] = text
                report.append(
                    ReportRow(
                        where,
                        pid,
                        "note",
                        f"comply {written!r} kept as {word!r}: not complying, an action is needed"
                        + (" (the cell kept in x-imported)" if word != written else ""),
                    )
                )
                if not a.comply_seen:
                    a.comply, a.comply_word, a.comply_seen = False, word, True
                continue
            if reading.value in ("yes", "no"):
                if not a.comply_seen:
                    a.comply, a.comply_seen = reading.value == "yes", True
                continue
            extra["comply"] = text
            why = f" ({reading.reason})" if reading.reason and reading.value is None else ""
            report.append(
                ReportRow(
                    where,
                    pid,
                    "note",
                    f"comply {text!r} is not a plain yes or no{why}: left empty, kept in x-imported; decide and "
                    "write comply:",
                )
            )
            a.comply_seen = True
            continue
        if role in ("yes", "no", "na"):
            if is_tick(text) or (role != "no" and _is_na(text)):
                if (role == "na" or not is_tick(text)) and allows_na:
                    if not a.comply_seen:
                        a.na = True
                elif role == "na" or not is_tick(text):
                    extra["comply"] = "N/A"
                    report.append(
                        ReportRow(where, pid, "note", "ticked N/A: comply left empty, N/A kept in x-imported")
                    )
                elif not a.comply_seen:
                    a.comply = role == "yes"
                a.comply_seen = True
            else:
                label = _heading(headings, i) or role
                a.commentary.append(f"{label}: {_join(c)}")
                a.comply_seen = True
                report.append(ReportRow(where, pid, "note", f"text in the {label!r} column moved to commentary"))
            continue
        if role == "evidence":
            items = _evidence_items(c)
            if continuing and a.evidence and items and continues(a.evidence[-1], items[0]):
                a.evidence[-1] = f"{a.evidence[-1]} {items.pop(0)}"
            _add_unique(a.evidence, items)
            continue
        if role == "commentary":
            joined = _join(c)
            if continuing and a.commentary and continues(a.commentary[-1], joined):
                a.commentary[-1] = f"{a.commentary[-1]} {joined}"
            elif joined not in a.commentary:
                a.commentary.append(joined)
            continue
        if role == "action":
            if not is_emptyish(text):
                if continuing and a.actions and continues(a.actions[-1]["action"], text):
                    a.actions[-1]["action"] = f"{a.actions[-1]['action']} {_join(c)}"
                    continue
                action["action"] = _join(c)
                cells["action"] = c
            continue
        if role == "owner":
            if not is_emptyish(text):
                action["owner"] = text
                cells["owner"] = c
            continue
        if role == "due":
            cells["due"] = c
            action.update(_due_fields(text, accepts[1]))
            continue
        if role == "progress":
            if is_done_marker(text):
                action["done"] = True
            else:
                action["x-progress"] = _join(c)
            continue
        label = _heading(headings, i) or f"column {i + 1}"
        extra[label] = _join(c)
    for one in _split_actions(action, cells, accepts[1]):
        if also and "action" in one:
            one["provisions"] = list(also)
        _place_action(a, one, where, pid, report, accepts[0])
    for key, kept in extra.items():
        if key in a.imported and a.imported[key] != kept:
            a.imported[key] = f"{a.imported[key]}\n{kept}"
        else:
            a.imported[key] = kept


def continues(before: str, text: str) -> bool:
    """Whether ``text`` goes on from ``before`` mid-sentence (a cell cut at a page break, a line
    broken inside a sentence): it starts with a small letter, and is not a bullet."""
    t = text.lstrip()
    return bool(before.strip()) and t[:1].islower() and not re.match(r"[-•▪◦·*]\s", t)


def join_broken_lines(lines: Iterable[str]) -> tuple[str, ...]:
    """Lines of a cell with each line that goes on mid-sentence joined to the one before (a
    paragraph is one item whatever its line breaks)."""
    out: list[str] = []
    for line in lines:
        if out and continues(out[-1], line):
            out[-1] = f"{out[-1]} {line.strip()}"
        elif line.strip():
            out.append(line.strip())
    return tuple(out)


def _due_fields(text: str, loose: bool) -> dict[str, Any]:
    """An action's completion cell: done, a due day, a month or tbc (``loose``: the schema takes
    them), or the text kept as ``x-due``."""
    if is_done_marker(text):
        return {"done": True}
    if is_emptyish(text):
        return {}
    when = written_date(text)
    if isinstance(when, date):
        return {"due": when.isoformat()}
    if when is not None and loose:
        return {"due": when}  # a month, YYYY-MM
    if loose and " ".join(words(text)) in ("tbc", "to be confirmed", "tba"):
        return {"due": "tbc"}
    return {"x-due": text}


def _split_actions(action: dict[str, Any], cells: dict[str, Cell], loose: bool) -> list[dict[str, Any]]:
    """One row's action, or its actions: an action cell of N paragraphs beside an owner (or
    date) cell of as many is N actions, each with its own owner and date."""
    if not action:
        return []
    texts = [_strip_bullet(p) for p in cells["action"].paragraphs] if "action" in cells else []
    n = len(texts)
    if n < 2:
        return [action]
    owners = list(cells["owner"].paragraphs) if "owner" in cells else []
    dues = list(cells["due"].paragraphs) if "due" in cells else []
    if len(owners) != n and len(dues) != n:
        return [action]
    out = []
    for i, text in enumerate(texts):
        one: dict[str, Any] = {"action": text}
        if len(owners) == n and not is_emptyish(owners[i]):
            one["owner"] = owners[i]
        elif owners and len(owners) != n:
            one["owner"] = action["owner"]
        if len(dues) == n:
            one.update(_due_fields(dues[i], loose))
        else:
            one.update({k: v for k, v in action.items() if k in ("due", "x-due", "done")})
        out.append(one)
    return out


def _place_action(
    a: _Answer, action: dict[str, Any], where: str, pid: str, report: list[ReportRow], done_true: bool
) -> None:
    if "action" not in action:
        # an owner, a date or a status with no action text: it belongs to the action above, if any
        if a.actions:
            for key, value in action.items():
                a.actions[-1].setdefault("progress" if key == "x-progress" else key, value)
            return
        labels = {"owner": "owner", "due": "completion date", "x-due": "completion date", "x-progress": "progress"}
        for key, value in action.items():
            label = labels.get(key, "completion date")
            a.imported[label] = "Complete" if value is True else str(value)
        report.append(
            ReportRow(where, pid, "note", f"{', '.join(sorted(action))} without an action: kept in x-imported")
        )
        return
    out: dict[str, Any] = {"action": action["action"]}
    if action.get("provisions"):
        out["provisions"] = action["provisions"]
    if "owner" in action:
        out["owner"] = action["owner"]
    if "due" in action:
        out["due"] = action["due"]
    if action.get("done") is True:
        if done_true:
            out["done"] = True
        else:
            out["x-imported"] = "Complete"
            report.append(ReportRow(where, pid, "note", "action marked Complete without a date: kept as x-imported"))
    notes = []
    if "x-due" in action:
        notes.append(f"completion date: {action['x-due']}")
        report.append(
            ReportRow(where, pid, "note", f"completion date {action['x-due']!r} is not a day: kept as x-imported")
        )
    if "x-progress" in action:
        out["progress"] = action["x-progress"]
    if notes:
        prefix = out.get("x-imported")
        out["x-imported"] = "; ".join(([prefix] if prefix else []) + notes)
    a.actions.append(out)


def _is_na(text: str) -> bool:
    return " ".join(words(text)) in ("n a", "na", "not applicable")


def _answer_data(a: _Answer) -> dict[str, Any]:
    out: dict[str, Any] = {
        "comply": a.comply_word or (("n/a" if a.na else None) if a.comply is None else "yes" if a.comply else "no")
    }
    out["evidence"] = list(a.evidence)
    out["commentary"] = "\n\n".join(a.commentary) if a.commentary else None
    if a.actions:
        out["actions"] = a.actions
    if a.imported:
        out["x-imported"] = dict(a.imported)
    return out


_DATE_IN_TEXT = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}\b|\b[A-Za-z]{3,9}\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b"
    r"|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b[A-Za-z]{3,9}\s+\d{4}\b"
)
_APPROVED = re.compile(
    r"\b(?i:approved|agreed|signed off|endorsed|ratified)\b[^.]*?\bby\s+(?:the\s+|our\s+)?"
    r"(?P<by>[A-Z][\w&'’ -]{1,60}?)(?=\s+(?:on|in|at|at its|meeting)\b|\s*[.,;(]|\s*$)"
)
_COMPLETED = re.compile(r"\b(?:completed|carried out|undertaken|reviewed|updated|finished)\b", re.I)


def _date_in(text: str) -> date | str | None:
    for m in _DATE_IN_TEXT.finditer(text):
        found = written_date(m.group(0).replace(",", " ").replace(".", " "))
        if found is not None:
            return found
    return None


def sign_off_offers(texts: Iterable[str]) -> list[ReportRow]:
    """Text outside the tables that says when the self-assessment was completed or approved
    ("Approved by the Board on 20 June 2024"), offered as ``completed:`` / ``approved:``: each is
    reported, never written (someone decides)."""
    out: list[ReportRow] = []
    seen: set[str] = set()
    for text in texts:
        t = " ".join(text.split())
        when = _date_in(t)
        shown = t if len(t) <= 100 else t[:97] + "..."
        m = _APPROVED.search(t)
        if m and "approved" not in seen:
            day = when.isoformat() if isinstance(when, date) else "DATE"
            out.append(
                ReportRow(
                    "text",
                    None,
                    "offer",
                    f"{shown!r}: if it is right, add approved: {{by: {m.group('by').strip()}, date: {day}}}",
                )
            )
            seen.add("approved")
            continue
        if when is not None and _COMPLETED.search(t) and "assessment" in t.lower() and "completed" not in seen:
            value = when.isoformat() if isinstance(when, date) else when
            out.append(ReportRow("text", None, "offer", f"{shown!r}: if it is right, add completed: {value}"))
            seen.add("completed")
    return out


def scope_offer(result: AssessmentImport, code: Code) -> ReportRow | None:
    """Where the document answers some sections of the Code only (most of their provisions, and
    nothing elsewhere), ``scope:`` offered: reported, never written."""
    section_of = {p.id: str(s.number) for s in code.sections for p in s.provisions}
    answered = {section_of[pid] for pid in result.provisions if pid in section_of}
    every = [str(s.number) for s in code.sections if any(p.id in section_of for p in s.provisions)]
    if not answered or len(answered) >= len(every):
        return None
    inside = [p.id for s in code.sections if str(s.number) in answered for p in s.provisions if p.assessed]
    if sum(1 for pid in inside if pid in result.provisions) * 2 < len(inside):
        return None
    shown = ", ".join(sorted(answered, key=int))
    return ReportRow(
        "document",
        None,
        "offer",
        f"it answers section{'s' if len(answered) > 1 else ''} {shown} alone: if it covers no more, add "
        f"scope: {{sections: [{shown}]}} (check then asks for those sections alone)",
    )


def edition_fit(result: AssessmentImport) -> tuple[int, int]:
    """How well a document fits the edition it was read against: the rows whose number is the
    edition's and whose requirement text (where given) reads as that provision's, and the rows
    that do not (unknown numbers, different text)."""
    bad = {r.where for r in result.report if r.status in ("mismatch", "unknown")}
    read = {r.where for r in result.report if r.status == "imported" and r.provision in result.provisions}
    return len(read - bad), len(bad)


def words_summary(counts: dict[str, int], outside: Sequence[str] = ()) -> str:
    """The words line of the import summary (``outside``: paragraphs outside the tables, kept
    under x-imported)."""
    c = dict(counts)
    c["kept"] = c.get("kept", 0) + sum(len(words(t)) for t in outside)
    total = sum(c.get(k, 0) for k in ("placed", "compared", "kept", "dropped"))
    return (
        f"words: {total} in the document: {c.get('placed', 0)} placed, {c.get('compared', 0)} compared with "
        f"the Code's text, {c.get('kept', 0)} kept under x-imported, {c.get('dropped', 0)} dropped "
        "(in the rows and tables reported skipped)"
    )


def guess_year(texts: Iterable[str]) -> str | None:
    """A reporting year named in the document ("2024-25", "2024/25", "2024/2025")."""
    for text in texts:
        m = re.search(r"\b(20\d{2})\s*[-/–]\s*(20)?(\d{2})\b", text)
        if m and (int(m.group(3)) - int(m.group(1)[2:])) % 100 == 1:
            return f"{m.group(1)}-{m.group(3)}"
    return None
