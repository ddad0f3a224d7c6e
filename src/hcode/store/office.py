"""Opening a landlord's documents within limits: the one place every importer opens files through.

An Office file (.docx, .xlsx) is a zip of XML parts. A few kilobytes can declare a sheet of
17 billion cells, a merged range to XFD1048576, a table cell spanning 200,000,000 grid columns,
30 million empty paragraphs, a million shared strings, or a 2.5 GB image: the libraries that read
them would run out of memory or time. So, before any of them sees the file, :func:`open_office`

* checks every zip part's declared uncompressed size, their total, and the compression ratio of
  large parts (Python's zip reader never inflates a part beyond its declared size, so the
  declared sizes bound what is read);
* reads the XML parts hcode uses with a streaming parser (no entities, no network, lxml's own
  depth and text limits), checking the declared sheet dimension, merged ranges, rows and cells
  (their count and their references), shared-string indexes, numbers (a NaN is not one), Word's
  grid spans, symbols, paragraphs and table rows;
* blanks the parts an import never needs (images, embedded objects, fonts), so they are never
  loaded.

:func:`reading` then bounds the parsing itself: a time bound (Unix, main thread), a memory bound
(Linux), and any error a damaged file raises in a parsing library becomes a :class:`DocumentError`
naming the file (exit 3), never an internal error. Text files (CSV, and any later text format)
are read with :func:`read_text_file`, within a size bound.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from hcode.errors import HcodeError

MIB = 1024 * 1024
#: One zip part, uncompressed.
MAX_PART_BYTES = 64 * MIB
#: All the parts of one file, uncompressed.
MAX_TOTAL_BYTES = 256 * MIB
#: Parts larger than :data:`RATIO_FROM_BYTES` may be at most this many times their compressed size
#: (ordinary Office XML compresses 5 to 40 times; zip bombs thousands of times).
MAX_RATIO = 100
RATIO_FROM_BYTES = 1 * MIB
MAX_PARTS = 10_000
#: Excel's own bounds on a sheet.
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
#: Cells in one workbook (declared or present), and cells covered by merged ranges.
MAX_CELLS = 2_000_000
MAX_MERGED_CELLS = 1_000_000
MAX_SHARED_STRINGS = 2_000_000
#: Word's own bound on table columns (63), which a grid span cannot exceed.
MAX_GRID_SPAN = 63
MAX_PARAGRAPHS = 500_000
MAX_TABLE_ROWS = 200_000
#: A text file (CSV).
MAX_TEXT_BYTES = 256 * MIB
#: Reading one document, as a whole.
READ_SECONDS = 120
#: Memory a read may add to the process (Linux), beyond what it used before.
READ_MEMORY_BYTES = 3 * 1024 * MIB

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: Parts an import reads; every other part is blanked before the file is parsed.
_NEEDED = re.compile(r"(?i)(\[Content_Types\]\.xml|.*\.rels|.*\.xml)")
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_HEX = re.compile(r"[0-9A-Fa-f]{1,4}")


@dataclass
class DocumentError(HcodeError):
    """A document that cannot be read."""

    message: str
    hint: str | None = None

    def __str__(self) -> str:
        return self.message


def _too_big(name: str, what: str) -> DocumentError:
    return DocumentError(
        f"{name} is too large or damaged to read safely: {what}",
        "open it in Word or Excel and save it again (or export the table as CSV); "
        "hcode reads a document only within fixed limits (docs/security.md)",
    )


def _damaged(name: str, what: str) -> DocumentError:
    return DocumentError(f"{name} is damaged: {what}", "open it in Word or Excel and save it again")


@contextlib.contextmanager
def _reading(name: str) -> Iterator[None]:
    """Every error met while reading the parts of ``name`` (lxml's and zip's errors have no common
    base: a bad CRC, a truncated stream, malformed XML) as the one DocumentError, exit 3."""
    try:
        yield
    except DocumentError:
        raise
    except Exception as exc:
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise _damaged(name, reason) from None


def _cell_ref(ref: str, name: str, part: str) -> tuple[int, int]:
    match = _REF.fullmatch(ref.strip())
    if match is None:
        raise _damaged(name, f"{part}: {ref[:40]!r} is not a cell reference")
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    row = int(match.group(2))
    if not (1 <= row <= EXCEL_ROWS and 1 <= col <= EXCEL_COLUMNS):
        raise _damaged(name, f"{part}: cell {ref[:40]} is outside any sheet")
    return row, col


def _area(ref: str, name: str, part: str) -> int:
    first, _, last = ref.partition(":")
    r1, c1 = _cell_ref(first, name, part)
    r2, c2 = _cell_ref(last, name, part) if last else (r1, c1)
    return (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)


def _events(stream: IO[bytes], tags: tuple[str, ...]) -> Iterator[Any]:
    from lxml import etree  # type: ignore[import-untyped]  # streaming XML for the Office-file limits

    for _, element in etree.iterparse(
        stream, events=("end",), tag=tags, resolve_entities=False, no_network=True, huge_tree=False
    ):
        yield element


def _scan_sheet(zf: zipfile.ZipFile, part: str, name: str, strings: int, totals: dict[str, int]) -> None:
    where = part.rsplit("/", 1)[-1]
    with zf.open(part) as stream:
        for el in _events(stream, (S + "dimension", S + "mergeCell", S + "c", S + "row")):
            tag = el.tag
            if tag == S + "c":
                totals["cells"] += 1
                if totals["cells"] > MAX_CELLS:
                    raise _too_big(name, f"more than {MAX_CELLS:,} cells")
                ref = el.get("r")
                if ref is not None:
                    _cell_ref(ref, name, where)
                kind = el.get("t", "n")
                value = el.findtext(S + "v")
                if value is not None:
                    if kind == "s":
                        if not value.strip().isdigit() or int(value) >= strings:
                            raise _damaged(name, f"{where}: cell {ref or '?'} names a shared text that is not there")
                    elif kind == "n":
                        try:
                            number = float(value)
                        except ValueError:
                            number = math.nan
                        if not math.isfinite(number):
                            raise _damaged(name, f"{where}: cell {ref or '?'} holds {value[:20]!r}, not a number")
                el.clear()
            elif tag == S + "row":
                totals["rows"] += 1
                r = el.get("r")
                if r is not None and (not r.isdigit() or not 1 <= int(r) <= EXCEL_ROWS):
                    raise _damaged(name, f"{where}: row {r[:20]!r} is outside any sheet")
                el.clear()
            elif tag == S + "dimension":
                ref = el.get("ref") or "A1"
                if _area(ref, name, where) > MAX_CELLS:
                    raise _too_big(name, f"{where} declares {ref[:40]}, more than {MAX_CELLS:,} cells")
            else:  # mergeCell
                totals["merged"] += _area(el.get("ref") or "", name, where)
                if totals["merged"] > MAX_MERGED_CELLS:
                    raise _too_big(name, f"merged ranges cover more than {MAX_MERGED_CELLS:,} cells")


def _count_strings(zf: zipfile.ZipFile, part: str, name: str) -> int:
    count = 0
    with zf.open(part) as stream:
        for el in _events(stream, (S + "si",)):
            count += 1
            if count > MAX_SHARED_STRINGS:
                raise _too_big(name, f"more than {MAX_SHARED_STRINGS:,} shared texts")
            el.clear()
    return count


def _scan_word(zf: zipfile.ZipFile, part: str, name: str) -> None:
    paragraphs = rows = 0
    with zf.open(part) as stream:
        for el in _events(stream, (W + "p", W + "tr", W + "gridSpan", W + "sym")):
            tag = el.tag
            if tag == W + "p":
                paragraphs += 1
                if paragraphs > MAX_PARAGRAPHS:
                    raise _too_big(name, f"more than {MAX_PARAGRAPHS:,} paragraphs")
                el.clear(keep_tail=True)
            elif tag == W + "tr":
                rows += 1
                if rows > MAX_TABLE_ROWS:
                    raise _too_big(name, f"more than {MAX_TABLE_ROWS:,} table rows")
                el.clear(keep_tail=True)
            elif tag == W + "gridSpan":
                value = (el.get(W + "val") or "1").strip()
                if not value.isdigit() or not 1 <= int(value) <= MAX_GRID_SPAN:
                    raise _damaged(
                        name, f"a table cell spans {value[:20]!r} columns (Word allows 1 to {MAX_GRID_SPAN})"
                    )
            else:  # sym
                char = (el.get(W + "char") or "").strip()
                if char and _HEX.fullmatch(char) is None:
                    raise _damaged(name, f"a symbol has the character code {char[:20]!r}")


def open_office(path: Path, kind: str) -> Path | IO[bytes]:
    """``path`` checked within the limits above (``kind``: ``docx`` or ``xlsx``), ready for the
    library that parses it: the path itself, or an in-memory copy with the unneeded parts blanked.
    DocumentError (exit 3, naming the file) for a file beyond a limit or damaged."""
    name = path.name
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _damaged(name, f"not a readable zip file ({type(exc).__name__})") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_PARTS:
            raise _too_big(name, f"{len(infos):,} parts")
        total = 0
        blank: list[str] = []
        for info in infos:
            if not _NEEDED.fullmatch(info.filename):
                blank.append(info.filename)
                continue
            if info.file_size > MAX_PART_BYTES:
                raise _too_big(name, f"the part {info.filename[:80]} is {info.file_size:,} bytes uncompressed")
            if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                times = info.file_size // max(info.compress_size, 1)
                raise _too_big(name, f"the part {info.filename[:80]} is compressed {times:,} times")
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise _too_big(name, f"more than {MAX_TOTAL_BYTES:,} bytes uncompressed")
        names = {info.filename for info in infos}
        with _reading(name):
            if kind == "xlsx":
                strings = next((n for n in names if n.lower() == "xl/sharedstrings.xml"), None)
                count = _count_strings(zf, strings, name) if strings else 0
                totals = {"cells": 0, "rows": 0, "merged": 0}
                for part in sorted(names):
                    if part.lower().startswith("xl/worksheets/") and part.lower().endswith(".xml"):
                        _scan_sheet(zf, part, name, count, totals)
            elif kind == "docx":
                for part in sorted(names):
                    low = part.lower()
                    if low.startswith("word/") and low.endswith(".xml") and "/" not in low[5:]:
                        _scan_word(zf, part, name)
        if not any(zf.getinfo(n).file_size for n in blank):
            return path
        copy = io.BytesIO()
        with _reading(name), zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
            for info in infos:  # a part the scan above did not read (a theme, styles) may be damaged too
                out.writestr(info.filename, b"" if info.filename in blank else zf.read(info))
        copy.seek(0)
        return copy


def read_text_file(path: Path) -> bytes:
    """The bytes of a text document (CSV), within :data:`MAX_TEXT_BYTES`."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_TEXT_BYTES + 1)
    except OSError as exc:
        raise DocumentError(f"{path.name}: cannot read the file: {exc.strerror or exc}") from None
    if len(data) > MAX_TEXT_BYTES:
        raise _too_big(path.name, f"more than {MAX_TEXT_BYTES:,} bytes")
    return data


def _vm_bytes() -> int | None:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


@contextlib.contextmanager
def reading(path: Path, seconds: float = READ_SECONDS) -> Iterator[None]:
    """Parse ``path`` within a time bound (Unix, main thread) and a memory bound (Linux); any
    error the parsing raises becomes a DocumentError naming the file."""
    import signal
    import threading

    name = path.name
    timed = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    previous: Any = None
    if timed:

        def expired(signum: int, frame: Any) -> None:
            raise _too_big(name, f"reading it took longer than {seconds:g} seconds")

        previous = signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    limit: tuple[int, int] | None = None
    try:
        import resource

        used = _vm_bytes()
        if used is not None:
            limit = resource.getrlimit(resource.RLIMIT_AS)
            wanted = used + READ_MEMORY_BYTES
            if limit[0] == resource.RLIM_INFINITY or wanted < limit[0]:
                resource.setrlimit(resource.RLIMIT_AS, (wanted, limit[1]))
            else:
                limit = None
    except (ImportError, ValueError, OSError):
        limit = None
    try:
        yield
    except DocumentError:
        raise
    except MemoryError:
        raise _too_big(name, "reading it needs more memory than hcode allows an import") from None
    except RecursionError:
        raise _damaged(name, "its parts nest too deeply") from None
    except Exception as exc:  # a damaged file: the parsing libraries raise many kinds
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise _damaged(name, f"{reason} ({type(exc).__name__})") from None
    finally:
        if limit is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, limit)
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
