"""The annual figures as typed values: what the annual report shows, read once from the figures'
JSON (:func:`hcode.core.metrics.annual`, the document ``hcode report annual --format json``
prints: docs/reports.md) into frozen dataclasses that the report's layout and the library take.

The JSON stays the public contract: :class:`AnnualFigures` keeps it (``json``) and is made from
it, so what is printed and what is laid out cannot differ. A figure cell (``Cell``) is the
JSON's own small shape (``value``, ``numerator``, ``denominator``, ``source``, and for CH02 the
``without_extension``, ``with_extension`` and ``pending`` counts) that
:mod:`hcode.core.percent` reads in every format.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

#: A figure cell, as the JSON gives it (docs/reports.md).
Cell = Mapping[str, Any]


def _frozen(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True, slots=True)
class Quarter:
    key: str
    label: str
    start: str
    end: str


@dataclass(frozen=True, slots=True)
class Headline:
    """A headline figure: this year's and the previous year's cell (None: no such year)."""

    key: str
    label: str
    unit: str
    this_year: Cell | None
    previous_year: Cell | None


@dataclass(frozen=True, slots=True)
class HomesSplit:
    """The homes of each kind: low-cost rental, low-cost home ownership."""

    lcra: int
    lcho: int


@dataclass(frozen=True, slots=True)
class TableRow:
    """A row of the table by quarter: a cell per quarter key and ``year``."""

    key: str
    label: str
    cells: Mapping[str, Cell]


@dataclass(frozen=True, slots=True)
class Stages:
    """A value at stage 1 and at stage 2."""

    stage1: Any
    stage2: Any


@dataclass(frozen=True, slots=True)
class Tsm:
    """CH01 and CH02, each at stage 1 and stage 2 (figure cells)."""

    ch01: Stages
    ch02: Stages


@dataclass(frozen=True, slots=True)
class TenureSplit:
    """CH01 and CH02 for low-cost rental and low-cost home ownership, and the complaints with no
    tenure recorded (counted in the totals, in neither part)."""

    lcra: Tsm
    lcho: Tsm
    not_recorded: Stages


@dataclass(frozen=True, slots=True)
class Difference:
    """A figure entered by hand that the case files do not give."""

    label: str
    period: str
    computed: str
    entered: str


@dataclass(frozen=True, slots=True)
class DaysToRespond:
    average: float | None
    median: float | None
    count: int


@dataclass(frozen=True, slots=True)
class Category:
    """Stage 1 complaints in a category this year and the year before (None: no case records
    that year, never 0) and the change."""

    category: str
    name: str
    this_year: int
    previous_year: int | None
    change: int | None


@dataclass(frozen=True, slots=True)
class Refusal:
    reason: str
    stage1: int
    stage2: int


@dataclass(frozen=True, slots=True)
class Remedies:
    with_compensation: int
    total: float | None
    average: float | None


@dataclass(frozen=True, slots=True)
class Ombudsman:
    referrals: int
    failure_orders: int
    findings: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class RateRow:
    """A row of "Rates and averages" (:mod:`hcode.core.reportrows`): its key, label, unit
    (percent, per_1000_homes, count, days) and figure cell."""

    key: str
    label: str
    unit: str
    cell: Cell


@dataclass(frozen=True, slots=True)
class Rates:
    rows: tuple[RateRow, ...]
    findings_source: str


@dataclass(frozen=True, slots=True)
class HazardRow:
    hazard: str
    significant: int
    emergency: int
    total: int


@dataclass(frozen=True, slots=True)
class HazardDuty:
    """A duty of the Regulations and how often it was kept in time (a figure cell)."""

    duty: str
    label: str
    cell: Cell


@dataclass(frozen=True, slots=True)
class Hazards:
    """The hazards section (Awaab's Law)."""

    in_force: bool
    confirmed: bool
    reported: int
    significant: int
    emergency: int
    by_hazard: tuple[HazardRow, ...]
    within_time: tuple[HazardDuty, ...]
    not_judged_phase: int
    not_judged_lcho: int
    linked_hazards: int
    linked_complaints: int


@dataclass(frozen=True, slots=True)
class BenchmarkRow:
    key: str
    label: str
    value: float | None
    lower_quartile: float | None
    median: float | None
    upper_quartile: float | None
    count: int
    standing: str | None


@dataclass(frozen=True, slots=True)
class Benchmarks:
    """Our CH01 and CH02 beside the sector's quartiles."""

    year: str
    dataset: str
    licence: str
    who: str
    ours_are: str
    rows: tuple[BenchmarkRow, ...]


@dataclass(frozen=True)
class AnnualFigures:
    """Every figure of the annual report, typed; ``json``: the same as the JSON prints them."""

    landlord: str
    year: str
    period_start: str
    period_end: str
    homes: int | None
    homes_split: HomesSplit | None
    provisional_as_at: str | None
    case_records: bool
    previous_year: str | None
    quarters: tuple[Quarter, ...]
    headline: tuple[Headline, ...]
    table: tuple[TableRow, ...]
    tsm: Tsm
    tsm_split: TenureSplit | None
    differences: tuple[Difference, ...]
    outcomes: Stages | None  # each stage: outcome -> count
    days_to_respond: Stages | None  # each stage: DaysToRespond
    categories: tuple[Category, ...] | None
    refusals: tuple[Refusal, ...] | None
    remedies: Remedies | None
    ombudsman: Ombudsman | None
    learning: tuple[str, ...]
    conventions: tuple[str, ...]
    hazards: Hazards | None
    benchmarks: Benchmarks | None
    modified_code: tuple[str, ...]
    json: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)
    rates: Rates | None = None  # "Rates and averages": from case files, else as entered
    # the stock types CH01/CH02 are given for (hcode.yaml's tsm: combine); None: every one there is
    stock_types: tuple[str, ...] | None = None

    @classmethod
    def of(cls, doc: Mapping[str, Any]) -> AnnualFigures:
        """The figures of the JSON document ``doc`` (docs/reports.md)."""
        split = doc.get("homes_split")
        days = doc.get("days_to_respond")
        outcomes = doc.get("outcomes")
        return cls(
            landlord=str(doc["landlord"]),
            year=str(doc["year"]),
            period_start=str(doc["period"]["start"]),
            period_end=str(doc["period"]["end"]),
            homes=doc.get("homes"),
            homes_split=None if not split else HomesSplit(split["lcra"], split["lcho"]),
            provisional_as_at=(doc.get("provisional") or {}).get("as_at"),
            case_records=bool(doc.get("case_records")),
            previous_year=doc.get("previous_year"),
            quarters=tuple(Quarter(q["key"], q["label"], q["start"], q["end"]) for q in doc["quarters"]),
            headline=tuple(
                Headline(
                    h["key"],
                    h["label"],
                    h["unit"],
                    (h.get("cells") or {}).get("this_year"),
                    (h.get("cells") or {}).get("previous_year"),
                )
                for h in doc["headline"]
            ),
            table=tuple(TableRow(r["key"], r["label"], _frozen(r["cells"])) for r in doc["table"]),
            tsm=_tsm(doc["tsm"]),
            tsm_split=_split(doc.get("tsm_split")),
            differences=tuple(
                Difference(d["label"], d["period"], str(d["computed"]), str(d["entered"]))
                for d in doc.get("differences") or []
            ),
            outcomes=None if outcomes is None else Stages(_frozen(outcomes["stage1"]), _frozen(outcomes["stage2"])),
            days_to_respond=None if days is None else Stages(_days(days["stage1"]), _days(days["stage2"])),
            categories=_categories(doc.get("categories")),
            refusals=None
            if doc.get("refusals") is None
            else tuple(Refusal(r["reason"], r["stage1"], r["stage2"]) for r in doc["refusals"]),
            remedies=None if doc.get("remedies") is None else Remedies(**doc["remedies"]),
            ombudsman=_ombudsman(doc.get("ombudsman")),
            learning=tuple(doc.get("learning") or ()),
            conventions=tuple(doc.get("conventions") or ()),
            hazards=_hazards(doc.get("hazards")),
            benchmarks=_benchmarks(doc.get("benchmarks")),
            modified_code=tuple(doc.get("modified_code") or ()),
            json=doc,
            rates=_rates(doc.get("rates")),
            stock_types=None if doc.get("stock_types") is None else tuple(doc["stock_types"]),
        )

    def cells(self) -> list[Cell]:
        """Every figure cell shown: the table's, the TSMs', the headline's and the rates'."""
        found = [c for r in self.table for c in r.cells.values()]
        found += [self.tsm.ch01.stage1, self.tsm.ch01.stage2, self.tsm.ch02.stage1, self.tsm.ch02.stage2]
        found += [c for h in self.headline for c in (h.this_year, h.previous_year) if c]
        found += [r.cell for r in (self.rates.rows if self.rates else ())]
        return [c for c in found if c]


def _tsm(doc: Mapping[str, Any]) -> Tsm:
    return Tsm(
        Stages(doc["CH01"]["stage1"], doc["CH01"]["stage2"]), Stages(doc["CH02"]["stage1"], doc["CH02"]["stage2"])
    )


def _rates(doc: Mapping[str, Any] | None) -> Rates | None:
    if not doc:
        return None
    rows = tuple(RateRow(r["key"], r["label"], r["unit"], _frozen(r["cell"])) for r in doc["rows"])
    return Rates(rows, str(doc["findings_source"]))


def _split(doc: Mapping[str, Any] | None) -> TenureSplit | None:
    if not doc:
        return None
    missing = doc.get("not_recorded") or {}
    return TenureSplit(_tsm(doc["lcra"]), _tsm(doc["lcho"]), Stages(missing.get("stage1", 0), missing.get("stage2", 0)))


def _days(doc: Mapping[str, Any]) -> DaysToRespond:
    return DaysToRespond(doc.get("average"), doc.get("median"), int(doc.get("count") or 0))


def _categories(found: Sequence[Mapping[str, Any]] | None) -> tuple[Category, ...] | None:
    if found is None:
        return None
    from hcode.core.categories import display_name

    return tuple(
        Category(
            c["category"],
            c.get("name") or display_name(c["category"]),
            c["this_year"],
            c["previous_year"],
            c.get("change"),
        )
        for c in found
    )


def _ombudsman(doc: Mapping[str, Any] | None) -> Ombudsman | None:
    if doc is None:
        return None
    return Ombudsman(doc["referrals"], doc["failure_orders"], _frozen(doc["findings"]))


def _hazards(doc: Mapping[str, Any] | None) -> Hazards | None:
    if not doc:
        return None
    return Hazards(
        in_force=bool(doc["in_force"]),
        confirmed=bool(doc["confirmed"]),
        reported=doc["reported"],
        significant=doc["significant"],
        emergency=doc["emergency"],
        by_hazard=tuple(HazardRow(r["hazard"], r["significant"], r["emergency"], r["total"]) for r in doc["by_hazard"]),
        within_time=tuple(HazardDuty(w["duty"], w["label"], w["cell"]) for w in doc["within_time"]),
        not_judged_phase=doc["not_judged"]["phase"],
        not_judged_lcho=doc["not_judged"]["lcho"],
        linked_hazards=doc["linked"]["hazards"],
        linked_complaints=doc["linked"]["complaints"],
    )


def _benchmarks(doc: Mapping[str, Any] | None) -> Benchmarks | None:
    if not doc:
        return None
    return Benchmarks(
        year=doc["year"],
        dataset=doc["dataset"],
        licence=doc["licence"],
        who=doc["who"],
        ours_are=doc["ours_are"],
        rows=tuple(
            BenchmarkRow(
                r["key"],
                r["label"],
                r["value"],
                r["lower_quartile"],
                r["median"],
                r["upper_quartile"],
                r["count"],
                r.get("standing"),
            )
            for r in doc["rows"]
        ),
    )
