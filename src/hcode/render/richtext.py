"""Rich text (``hcode.core.richtext``) rendered for each published format.

* HTML: paragraphs, ``<br>``, ``<ul>`` and ``<ol type="a">``; links as ``<a href>`` (only
  http(s) addresses ever reach an ``href``); a reference to a known note links to its anchor.
  Every piece of text is escaped. A text of one paragraph is written without ``<p>``.
* Markdown table cell: a cell holds one line, so paragraphs are separated by ``<br><br>``,
  line breaks are ``<br>``, bullet items start ``•`` and lettered items ``a.`` on lines of their
  own; links are ``[text](address)``.
* Markdown block (the notes section): paragraphs on lines of their own, ``- `` lists.
* Excel: the text a cell shows (paragraphs separated by a blank line, ``•`` and ``a.`` items on
  lines of their own, a link's address in brackets after its text) and the cell's links.

A note is known when the self-assessment declares it; ``note_anchor`` gives its anchor.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from markupsafe import escape as _escape

from hcode.core.assessmentform import note_anchor as note_anchor
from hcode.core.richtext import Block, Inline, Span, parse

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_SCHEME = re.compile(r"(?i)\b(https?|ftp|mailto|javascript)(:)")
# GitHub's Markdown makes a link of "www." and of an email address in plain text: "www&#46;"
# and "&#64;" read the same and link nothing.
_AUTOLINK_WWW = re.compile(r"(?i)\b(www)\.")


def escape(text: str) -> str:
    """Text escaped for HTML text and attribute values (as Jinja escapes it)."""
    return str(_escape(text))


def md_escape(text: str) -> str:
    """Text made inert in Markdown: HTML neutralised, special characters escaped, and no
    address a reader would turn into a link. Line breaks are left as they are."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # the two patterns below scan slowly (word boundaries, any case): looked for only where the
    # characters they need are there
    if "." in text and "www" in text.lower():
        text = _AUTOLINK_WWW.sub(r"\1&#46;", text)
    if ":" in text:
        text = _SCHEME.sub(r"\1&#58;", text)
    return text.replace("@", "&#64;")


def _md_url(url: str) -> str:
    """An address safe inside ``(...)`` of a Markdown link (the parser allows no space, bracket,
    quote or pipe; anything else unusual is percent-encoded)."""
    return re.sub(r"[^A-Za-z0-9\-._~:/?#@!$&+,;=%]", lambda m: f"%{ord(m.group()):02X}", url)


def _known(notes: Collection[str]) -> dict[str, str]:
    return {n.lower(): n for n in notes}


def _spans_md(spans: Inline, notes: dict[str, str]) -> str:
    out: list[str] = []
    for s in spans:
        if s.kind == "text":
            out.append(md_escape(s.text))
        elif s.kind == "break":
            out.append("<br>")
        elif s.kind == "link" and s.url is not None:
            out.append(f"[{md_escape(s.text)}]({_md_url(s.url)})")
        elif s.kind == "note" and s.ref is not None and s.ref.lower() in notes:
            out.append(f"[{md_escape(s.text)}](#{note_anchor(notes[s.ref.lower()])})")
        else:
            out.append(md_escape(s.text))
    return "".join(out).replace("\n", " ")


def _items(block: Block, render: Callable[[Inline], str]) -> list[str]:
    if block.kind == "bullets":
        return ["• " + render(item) for item in block.items]
    if block.kind == "letters":
        return [f"{chr(96 + block.start + i)}. " + render(item) for i, item in enumerate(block.items)]
    return [render(item) for item in block.items]


def md_cell(text: str | None, notes: Collection[str] = ()) -> str:
    """``text`` for one Markdown table cell."""
    known = _known(notes)
    parts: list[str] = []
    for block in parse(text):
        parts.append("<br>".join(_items(block, lambda i: _spans_md(i, known).strip())))
    return "<br><br>".join(p for p in parts if p)


_LINE_START = re.compile(r"^(?:([#+\-=])|(\d+)([.)]))")


def _line_start(m: re.Match[str]) -> str:
    return "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3)


def md_block(text: str | None, notes: Collection[str] = ()) -> str:
    """``text`` as Markdown paragraphs and lists (outside a table)."""
    known = _known(notes)
    parts: list[str] = []
    for block in parse(text):
        if block.kind == "paragraph":
            line = _spans_md(block.items[0], known).strip()
            parts.append(_LINE_START.sub(_line_start, line))
        elif block.kind == "bullets":
            parts.append("\n".join("- " + _spans_md(item, known).strip() for item in block.items))
        else:
            parts.append(
                "\n".join(
                    f"- {chr(96 + block.start + i)}. " + _spans_md(item, known).strip()
                    for i, item in enumerate(block.items)
                )
            )
    return "\n\n".join(parts)


def _spans_html(spans: Inline, notes: dict[str, str]) -> str:
    out: list[str] = []
    for s in spans:
        if s.kind == "break":
            out.append("<br>")
        elif s.kind == "link" and s.url is not None:
            out.append(f'<a href="{escape(s.url)}">{escape(s.text)}</a>')
        elif s.kind == "note" and s.ref is not None and s.ref.lower() in notes:
            anchor = note_anchor(notes[s.ref.lower()])
            out.append(f'<a class="note-ref" href="#{anchor}">{escape(s.text)}</a>')
        else:
            out.append(escape(s.text))
    return "".join(out)


def html(text: str | None, notes: Collection[str] = ()) -> str:
    """``text`` as HTML (escaped); one paragraph is written without ``<p>``."""
    known = _known(notes)
    blocks = parse(text)
    if len(blocks) == 1 and blocks[0].kind == "paragraph":
        return _spans_html(blocks[0].items[0], known)
    out: list[str] = []
    for block in blocks:
        if block.kind == "paragraph":
            out.append(f"<p>{_spans_html(block.items[0], known)}</p>")
        elif block.kind == "bullets":
            out.append("<ul>" + "".join(f"<li>{_spans_html(i, known)}</li>" for i in block.items) + "</ul>")
        else:
            start = f' start="{block.start}"' if block.start != 1 else ""
            out.append(
                f'<ol type="a"{start}>' + "".join(f"<li>{_spans_html(i, known)}</li>" for i in block.items) + "</ol>"
            )
    return "".join(out)


def _spans_text(spans: Inline, found: list[Span]) -> str:
    out: list[str] = []
    for s in spans:
        if s.kind == "break":
            out.append("\n")
        elif s.kind == "link" and s.url is not None:
            found.append(s)
            out.append(s.text if s.text == s.url else f"{s.text} ({s.url})")
        else:
            if s.kind == "note":
                found.append(s)
            out.append(s.text)
    return "".join(out)


def excel(text: str | None) -> tuple[str, list[Span]]:
    """What an Excel cell shows for ``text``, and its links and note references in order."""
    found: list[Span] = []
    parts = ["\n".join(_items(block, lambda i: _spans_text(i, found))) for block in parse(text)]
    return "\n\n".join(parts), found
