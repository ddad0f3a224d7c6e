"""Rich text as landlords write it in self-assessments: the one parser every format renders.

A text is read into blocks, each block into spans; the renderers (``hcode.render.richtext``)
turn them into Markdown, HTML or an Excel cell and escape every piece of text they write.

* A blank line separates paragraphs; a single line break inside a paragraph is kept.
* Lines starting ``- ``, ``* `` or ``• `` are a bullet list; lines starting ``a. ``, ``b. ``
  ... (from ``a``, each the next letter) are a lettered list, as the Code writes them. A line
  indented under an item continues it.
* ``http://`` and ``https://`` addresses and ``[text](https://...)`` are links. Nothing else is
  ever a link: ``[text](javascript:...)`` or ``mailto:`` stays text.
* ``see note 1`` (any case) refers to the self-assessment's note ``1``.

Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

SpanKind = Literal["text", "link", "break", "note"]
BlockKind = Literal["paragraph", "bullets", "letters"]


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text, a link (``url`` set), a line break, or a reference to a note (``ref``)."""

    kind: SpanKind
    text: str = ""
    url: str | None = None
    ref: str | None = None


Inline = tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph (one item) or a list (one item per entry); ``start`` is a lettered list's
    first letter (1 for ``a``)."""

    kind: BlockKind
    items: tuple[Inline, ...]
    start: int = 1


# An address: http(s):// then characters that are not space, quotes, angle brackets,
# brackets, pipes, backslashes, control or bidirectional characters; trailing punctuation is not
# part of it.
_URL = r"https?://[^\s<>\"'`\[\]()|\\\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+"
_TOKEN = re.compile(
    r"\[(?P<label>[^\[\]\n]+)\]\((?P<target>" + _URL + r")\)"
    r"|(?P<url>" + _URL + r")"
    r"|(?P<see>\bsee\s+)(?P<note>notes?\s+(?P<ref>[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?))",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?'\""
_BULLET = re.compile(r"[ \t]*[-*\u2022][ \t]+(?=\S)")
_LETTER = re.compile(r"[ \t]*([a-z])[.)][ \t]+(?=\S)")


def _trim_url(url: str) -> tuple[str, str]:
    """An address without trailing punctuation (``see https://x.org.``), and what was cut."""
    end = len(url)
    while end > 0 and url[end - 1] in _TRAILING:
        end -= 1
    return url[:end], url[end:]


def inline(text: str) -> Inline:
    """The spans of one line (no line breaks in ``text``)."""
    if "://" not in text and "note" not in text.lower():  # no address or note: one run of text
        return (Span("text", text),) if text else ()
    spans: list[Span] = []
    at = 0
    for m in _TOKEN.finditer(text):
        before = text[at : m.start()]
        if m.group("label") is not None:
            if before:
                spans.append(Span("text", before))
            spans.append(Span("link", m.group("label"), url=m.group("target")))
            at = m.end()
        elif m.group("url") is not None:
            url, cut = _trim_url(m.group("url"))
            if not url.split("://", 1)[1]:
                continue  # "https://" alone is not an address
            if before:
                spans.append(Span("text", before))
            spans.append(Span("link", url, url=url))
            if cut:
                spans.append(Span("text", cut))
            at = m.end()
        else:
            spans.append(Span("text", before + m.group("see")))
            spans.append(Span("note", m.group("note"), ref=m.group("ref")))
            at = m.end()
    if at < len(text):
        spans.append(Span("text", text[at:]))
    return _merge(spans)


def _merge(spans: list[Span]) -> Inline:
    out: list[Span] = []
    for s in spans:
        if s.kind == "text" and not s.text:
            continue
        if s.kind == "text" and out and out[-1].kind == "text":
            out[-1] = Span("text", out[-1].text + s.text)
        else:
            out.append(s)
    return tuple(out)


def _lines_inline(lines: list[str]) -> Inline:
    spans: list[Span] = []
    for i, line in enumerate(lines):
        if i:
            spans.append(Span("break"))
        spans.extend(inline(line))
    return tuple(spans)


def _block(lines: list[str]) -> Iterator[Block]:
    """The blocks of lines with no blank line between them."""
    para: list[str] = []
    kind: BlockKind | None = None
    items: list[list[str]] = []
    start = 1
    expected = "a"

    def flush_list() -> Iterator[Block]:
        nonlocal kind, items
        if kind is not None and items:
            if kind == "bullets":
                yield Block("bullets", tuple(inline(" ".join(it)) for it in items))
            else:
                yield Block("letters", tuple(inline(" ".join(it)) for it in items), start)
        kind, items = None, []

    for line in lines:
        bullet = _BULLET.match(line)
        letter = _LETTER.match(line)
        if bullet and kind != "letters":
            if para:
                yield Block("paragraph", (_lines_inline(para),))
                para = []
            kind = "bullets"
            items.append([line[bullet.end() :].strip()])
            continue
        if letter and (letter.group(1) == expected if kind == "letters" else letter.group(1) == "a"):
            if kind == "bullets":
                yield from flush_list()
            if para:
                yield Block("paragraph", (_lines_inline(para),))
                para = []
            if kind != "letters":
                kind, start = "letters", 1
            items.append([line[letter.end() :].strip()])
            expected = chr(ord(letter.group(1)) + 1)
            continue
        if bullet and kind == "letters":
            # a bullet inside a lettered list ends it
            yield from flush_list()
            kind = "bullets"
            items.append([line[bullet.end() :].strip()])
            continue
        if kind is not None and line[:1] in (" ", "\t") and items:
            items[-1].append(line.strip())  # an indented line continues the item
            continue
        yield from flush_list()
        expected = "a"
        para.append(line.strip())
    yield from flush_list()
    if para:
        yield Block("paragraph", (_lines_inline(para),))


def parse(text: str | None) -> tuple[Block, ...]:
    """The blocks of ``text`` (empty for None or blank text)."""
    if not text:
        return ()
    if "\n" not in text and "\r" not in text:  # one line: most texts (a report's learning: 15,000)
        line = text.strip()
        if not line:
            return ()
        if "://" not in line and "note" not in line.lower() and not _BULLET.match(line) and not _LETTER.match(line):
            return (Block("paragraph", ((Span("text", line),),)),)  # a paragraph of plain text
    return _parse_lines(text)


def _parse_lines(text: str) -> tuple[Block, ...]:
    """:func:`parse` line by line (what it gives a line of plain text at once)."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    blocks: list[Block] = []
    run: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            run.append(line)
        elif run:
            blocks.extend(_block(run))
            run = []
    return tuple(blocks)


def spans(blocks: tuple[Block, ...]) -> Iterator[Span]:
    """Every span of ``blocks``, in order."""
    for block in blocks:
        for item in block.items:
            yield from item


def note_refs(text: str | None) -> list[str]:
    """The note ids ``text`` refers to (``see note 1``), in order, each once."""
    found: list[str] = []
    for s in spans(parse(text)):
        if s.kind == "note" and s.ref is not None and s.ref not in found:
            found.append(s.ref)
    return found


def links(text: str | None) -> list[tuple[str, str]]:
    """Every link of ``text`` as (text shown, address), in order."""
    return [(s.text, s.url) for s in spans(parse(text)) if s.kind == "link" and s.url is not None]
