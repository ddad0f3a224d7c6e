"""Reading the Regulator of Social Housing's TSM "Full Data" workbook: every landlord's published
CH01 and CH02, per stock type, from its ``TSMyy_Management_Info`` sheet. The layout is checked
first: a workbook whose sheet or columns are not where this reader expects them is refused
(:class:`LayoutError`, saying what is missing), never read by guesswork."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from hcode.errors import HcodeError

#: The measures read, by key: (measure, stage) as the column headings name them.
MEASURES = {"ch01_1": ("CH01", 1), "ch02_1": ("CH02", 1), "ch01_2": ("CH01", 2), "ch02_2": ("CH02", 2)}
STOCK_TYPES = ("LCRA", "LCHO", "Combined")
HOMES = "Number of dwelling units owned of the relevant stock type at year end"
_SHEET = re.compile(r"^TSM(\d\d)_Management_Info$")
_WORDS = {1: "one", 2: "two"}
#: The identifying columns, by the heading's start.
_ID_COLUMNS = {"name": "Landlord name", "code": "Landlord code", "type": "Landlord type", "size": "Landlord group size"}


class LayoutError(HcodeError):
    """The workbook is not laid out as the Regulator's 2024 and 2025 TSM datasets are."""


def heading(stock: str, measure: str, stage: int) -> str:
    """The column heading of a measure, as the Regulator writes it."""
    word = _WORDS[stage]
    if measure == "CH01":
        text = (
            f"Number of stage {word} complaints made by tenants in the relevant stock type during the "
            "reporting year per 1,000 homes"
        )
    else:
        text = (
            f"Proportion of stage {word} complaints responded to within the Housing Ombudsman’s "
            "Complaint Handling Code timescales"
        )
    return f"{stock} - {text} ({measure} {stage})"


def _clean(text: Any) -> str:
    """A heading without its footnote number ("...(CH02 1)5 " -> "...(CH02 1)")."""
    return re.sub(r"\)\s*\d+$", ")", str(text or "").strip())


def _value(cell: Any) -> float | str | None:
    """A published value: a number, or the Regulator's marker ([U], [X], [Z], [E]) as written."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell or "").strip()
    return text or None


def read_workbook(path: Path) -> dict[str, Any]:
    """Every landlord's CH01 and CH02 from the workbook at ``path``: ``year`` (2024-25),
    ``dataset`` (the file's name), and ``landlords`` (each ``name``, ``code``, ``type``, ``size``
    and ``values`` by stock type and measure key, with ``homes``, the stock type's CH01
    denominator; a marker such as ``[U]`` kept as text)."""
    from hcode.store.documents import DocumentError, load_workbook

    try:
        wb = load_workbook(path, read_only=True)
    except DocumentError as exc:
        raise LayoutError(f"{path.name} cannot be read as an Excel workbook: {exc}") from exc
    try:
        sheets = [(m, ws) for ws in wb.worksheets if (m := _SHEET.match(ws.title))]
        if len(sheets) != 1:
            raise LayoutError(
                f"{path.name} has no sheet named like TSM25_Management_Info (sheets: "
                f"{', '.join(ws.title for ws in wb.worksheets)}): the Regulator's layout has changed"
            )
        match, ws = sheets[0]
        end = 2000 + int(match.group(1))
        rows = ws.iter_rows(values_only=True)
        header: list[str] | None = None
        for _ in range(40):
            row = next(rows, None)
            if row is None:
                break
            if str(row[0] or "").strip() == "Landlord name":
                header = [_clean(c) for c in row]
                break
        if header is None:
            raise LayoutError(
                f"{ws.title} in {path.name} has no header row starting 'Landlord name' in its first 40 rows"
            )
        columns: dict[str, int] = {}
        for key, start in _ID_COLUMNS.items():
            found = [i for i, h in enumerate(header) if h.startswith(start)]
            if not found:
                raise LayoutError(f"{ws.title} in {path.name} has no column headed '{start}...'")
            columns[key] = found[0]
        measures: dict[tuple[str, str], int] = {}
        for stock in STOCK_TYPES:
            wanted = {key: heading(stock, measure, stage) for key, (measure, stage) in MEASURES.items()}
            wanted["homes"] = f"{stock} - {HOMES} (CH01 1 Denominator)"
            for key, want in wanted.items():
                if want not in header:
                    raise LayoutError(
                        f"{ws.title} in {path.name} has no column headed '{want}': the layout has changed"
                    )
                measures[(stock, key)] = header.index(want)
        landlords = []
        for row in rows:
            name = str(row[columns["name"]] or "").strip() if len(row) > columns["name"] else ""
            if not name:
                continue
            values = {
                stock: {key: _value(row[measures[(stock, key)]]) for key in (*MEASURES, "homes")}
                for stock in STOCK_TYPES
            }
            landlords.append(
                {
                    "name": name,
                    "code": str(row[columns["code"]] or "").strip(),
                    "type": str(row[columns["type"]] or "").strip(),
                    "size": str(row[columns["size"]] or "").strip(),
                    "values": values,
                }
            )
        if not landlords:
            raise LayoutError(f"{ws.title} in {path.name} lists no landlord")
        return {"year": f"{end - 1}-{str(end)[2:]}", "dataset": path.name, "sheet": ws.title, "landlords": landlords}
    finally:
        wb.close()


LICENCE = (
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/). "
    "Source: Regulator of Social Housing, Tenant Satisfaction Measures datasets."
)


def compact(book: dict[str, Any], source: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One workbook's entry in the benchmark table: its dataset line, and each landlord with the
    stock types it reported (homes of that type a number above 0)."""
    version = re.search(r"_v(\d+(?:\.\d+)*)\.xlsx$", book["dataset"])
    dataset = {
        "year": book["year"],
        "dataset": book["dataset"],
        "version": version.group(1) if version else None,
        "sheet": book["sheet"],
        "source": source,
    }
    landlords = []
    for entry in book["landlords"]:
        kept = {
            stock: v
            for stock, v in entry["values"].items()
            if isinstance(v.get("homes"), float | int) and v["homes"] > 0
        }
        landlords.append(
            {"name": entry["name"], "code": entry["code"], "type": entry["type"], "size": entry["size"], "values": kept}
        )
    return dataset, landlords


def table_of(books: list[tuple[Path, str]]) -> dict[str, Any]:
    """The benchmark table of the workbooks ``books`` (path, where it was published)."""
    datasets, landlords = [], {}
    for path, source in books:
        dataset, entries = compact(read_workbook(path), source)
        datasets.append(dataset)
        landlords[dataset["year"]] = entries
    return {"hcode_benchmarks": 1, "licence": LICENCE, "datasets": datasets, "landlords": landlords}


TABLE = Path(__file__).resolve().parent.parent / "data" / "tsm-benchmarks.json"
#: A workspace's own table, written by ``hcode benchmarks update`` (used in place of hcode's).
WORKSPACE_TABLE = "tsm-benchmarks.json"


def load_table(root: Path | None = None) -> dict[str, Any]:
    """The benchmark table: the workspace's own (``tsm-benchmarks.json`` at ``root``, written by
    ``hcode benchmarks update``) where there is one, else the one shipped with hcode."""
    import json

    own = root / WORKSPACE_TABLE if root is not None else None
    path = own if own is not None and own.is_file() else TABLE
    table: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return table


def updated(table: dict[str, Any], workbook: Path) -> tuple[dict[str, Any], str]:
    """``table`` with the year of ``workbook`` read in (added, or replacing that year), and the
    year; :class:`LayoutError` where the workbook's layout has changed."""
    dataset, landlords = compact(read_workbook(workbook), f"{workbook.name}, read by hcode benchmarks update")
    datasets = [d for d in table["datasets"] if d["year"] != dataset["year"]] + [dataset]
    return {
        **table,
        "datasets": sorted(datasets, key=lambda d: d["year"]),
        "landlords": {**table["landlords"], dataset["year"]: landlords},
    }, dataset["year"]
