"""The complaints part of the Regulator's Tenant Satisfaction Measures return (CH01 and CH02), as
the landlord enters it: each numerator and denominator per stock type, under the return's own
wording, and the statement of the target timescales used for CH02 (which providers must
publish). Pure: the facts of :mod:`hcode.core.metrics` in, a document out.

The wording is the Regulator's, from the column headings of the sheet "TSM25_Management_Info"
of its "TSM 2025 Full Data" workbook (2024/25 return; Open Government Licence v3.0; see
:data:`SOURCE`). The return is made per stock type: low-cost rental accommodation (LCRA),
low-cost home ownership (LCHO), and "Combined" for the landlords the Regulator allows to combine
them. hcode gives all three where hcode.yaml splits the year's homes into ``lcra`` and ``lcho``;
without the split, only the combined column (all homes, all complaints) can be given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from hcode.core import percent
from hcode.core.metrics import Facts, ch02_cell, made, stock_columns
from hcode.core.model import Code, Homes
from hcode.core.years import Period

SOURCE = (
    "Regulator of Social Housing, Tenant Satisfaction Measures 2024/25 Full Data "
    "(TSM_2025_Full_Data_v1.0.xlsx), sheet TSM25_Management_Info, column headings: "
    "https://assets.publishing.service.gov.uk/media/6939474f7a605b2d61cd901a/TSM_2025_Full_Data.zip. "
    "Contains public sector information licensed under the Open Government Licence v3.0."
)

_WORDS = {1: ("one", 10), 2: ("two", 20)}


def questions(stage: int) -> list[tuple[str, str, str]]:
    """The return's questions for ``stage``: (key, the return's label, its wording)."""
    word, ext = _WORDS[stage]
    made_in = f"Number of stage {word} complaints made by tenants in the relevant stock type during the reporting year"
    within = "what number were responded to within Complaint Handling Code timescales"
    return [
        (f"ch01_{stage}_numerator", f"CH01 {stage} Numerator", made_in),
        (
            f"ch01_{stage}_denominator",
            f"CH01 {stage} Denominator",
            "Number of dwelling units owned of the relevant stock type at year end",
        ),
        (f"ch01_{stage}", f"CH01 {stage}", made_in + " per 1,000 homes"),
        (
            f"ch02_{stage}_numerator",
            f"CH02 {stage} Numerator",
            f"Number of stage {word} complaints made by tenants during the reporting year for the relevant stock "
            "type that were responded to within the Housing Ombudsman’s Complaint Handling Code timescale",
        ),
        (f"ch02_{stage}_denominator", f"CH02 {stage} Denominator", made_in),
        (
            f"ch02_{stage}_without_extension",
            f"CH02 {stage} without extension",
            f"Out of the number of stage {word} complaints made by tenants, {within} – without the use of the "
            f"{ext} day extension",
        ),
        (
            f"ch02_{stage}_with_extension",
            f"CH02 {stage} with extension",
            f"Out of the number of stage {word} complaints made by tenants, {within} – with the use of the "
            f"{ext} day extension",
        ),
        (
            f"ch02_{stage}",
            f"CH02 {stage}",
            f"Proportion of stage {word} complaints responded to within the Housing Ombudsman’s Complaint "
            "Handling Code timescales",
        ),
        (
            f"ch02_{stage}_pending",
            f"CH02 {stage} pending (hcode)",
            "Not in the return: complaints made in the year not answered on the as-of day and still in time "
            "(the figures are provisional while any are)",
        ),
    ]


QUESTIONS = [q for stage in (1, 2) for q in questions(stage)]

#: An answer to a question of the return: a count, a rate (CH01 per 1,000 homes, CH02 a
#: percentage), or None where there is nothing to give (no homes recorded, nothing counted).
Answer = int | float | None


@dataclass(frozen=True, slots=True)
class Question:
    """A question of the return: ``key`` (``ch01_1_numerator``...), the return's ``label`` and
    its ``wording``."""

    key: str
    label: str
    wording: str


@dataclass(frozen=True, slots=True)
class StockType:
    """A column of the return: ``key`` (lcra, lcho or combined), its ``name``, its ``homes`` and
    the ``answers`` by question key."""

    key: str
    name: str
    homes: int | None
    answers: Mapping[str, Answer]

    @property
    def label(self) -> str:
        """As the return's rows name it: LCRA, LCHO or Combined."""
        return "Combined" if self.key == "combined" else self.key.upper()

    def answer(self, question: str) -> Answer:
        return self.answers.get(question)


@dataclass(frozen=True, slots=True)
class NotRecorded:
    """Complaints made in the year with no stock type recorded, at each stage."""

    stage1: int
    stage2: int


@dataclass(frozen=True)
class TsmReturnFigures:
    """The return for a year: its ``questions``, a :class:`StockType` per column given,
    ``split`` (hcode.yaml splits the year's homes), ``combine`` (its ``tsm: combine``),
    ``not_recorded`` (with the split: complaints with no stock type), ``pending`` and
    ``provisional``, the ``source`` of the wording; and, once the workspace's editions and
    settings are known, the statement of target ``timescales``, the day it is ``as_at`` and the
    ``landlord``. :meth:`json` is the document ``hcode report tsm --return -f json`` prints."""

    year: str
    period_start: str
    period_end: str
    questions: tuple[Question, ...]
    stock_types: tuple[StockType, ...]
    split: bool
    combine: bool | None
    not_recorded: NotRecorded | None
    pending: int
    provisional: bool
    source: str
    timescales: tuple[str, ...] = ()
    as_at: str | None = None
    landlord: str | None = None

    def json(self) -> dict[str, Any]:
        """The document as the JSON format prints it (docs/reports.md)."""
        doc: dict[str, Any] = {
            "year": self.year,
            "period": {"start": self.period_start, "end": self.period_end},
            "questions": [{"key": q.key, "label": q.label, "wording": q.wording} for q in self.questions],
            "stock_types": [
                {"key": t.key, "name": t.name, "homes": t.homes, "answers": dict(t.answers)} for t in self.stock_types
            ],
            "split": self.split,
            "combine": self.combine,
            "not_recorded": None
            if self.not_recorded is None
            else {"stage1": self.not_recorded.stage1, "stage2": self.not_recorded.stage2},
            "pending": self.pending,
            "provisional": self.provisional,
            "source": self.source,
        }
        if self.as_at is not None:  # known once the workspace's editions and settings are
            doc |= {"timescales": list(self.timescales), "as_at": self.as_at, "landlord": self.landlord}
        return doc

    @classmethod
    def of(cls, doc: Mapping[str, Any]) -> TsmReturnFigures:
        """The figures of the document :meth:`json` gives (the cache keeps that)."""
        missing = doc["not_recorded"]
        return cls(
            str(doc["year"]),
            str(doc["period"]["start"]),
            str(doc["period"]["end"]),
            tuple(Question(q["key"], q["label"], q["wording"]) for q in doc["questions"]),
            tuple(
                StockType(t["key"], t["name"], t["homes"], MappingProxyType(dict(t["answers"])))
                for t in doc["stock_types"]
            ),
            bool(doc["split"]),
            doc["combine"],
            None if missing is None else NotRecorded(int(missing["stage1"]), int(missing["stage2"])),
            int(doc["pending"]),
            bool(doc["provisional"]),
            str(doc["source"]),
            tuple(doc.get("timescales") or ()),
            doc.get("as_at"),
            doc.get("landlord"),
        )


def _answers(fs: Sequence[Facts], period: Period, homes: int | None) -> Mapping[str, Answer]:
    out: dict[str, Answer] = {}
    for stage in (1, 2):
        n = len(made(fs, stage, period))
        ch01 = percent.per_thousand(n, homes)
        ch02 = ch02_cell(fs, stage, period)
        out.update(
            {
                f"ch01_{stage}_numerator": n,
                f"ch01_{stage}_denominator": homes,
                f"ch01_{stage}": ch01["value"],
                f"ch02_{stage}_numerator": ch02["numerator"],
                f"ch02_{stage}_denominator": ch02["denominator"],
                f"ch02_{stage}_without_extension": ch02["without_extension"],
                f"ch02_{stage}_with_extension": ch02["with_extension"],
                f"ch02_{stage}": ch02["value"],
                f"ch02_{stage}_pending": ch02["pending"],
            }
        )
    return MappingProxyType(out)


def tsm_return(
    fs: Sequence[Facts], period: Period, homes: Homes | None, combine: bool | None = None
) -> TsmReturnFigures:
    """The return for ``period``: ``stock_types`` (each ``key``, ``name``, ``homes`` and
    ``answers`` by question key), ``questions``, ``not_recorded`` (complaints with no stock type:
    in the combined column only), ``pending`` and ``provisional``. ``combine`` (hcode.yaml's
    ``tsm: combine``): True, the Regulator allows this landlord to combine, so the combined
    column alone is given; False, it does not, so LCRA and LCHO alone are given where the homes
    are split (without the split only the combined column can be); None: every column."""
    split = homes is not None and homes.lcra is not None and homes.lcho is not None
    columns = stock_columns(homes, combine)
    types: list[StockType] = []
    if "lcra" in columns:
        assert homes is not None
        for key, name, n in (
            ("lcra", "LCRA (low-cost rental accommodation)", homes.lcra),
            ("lcho", "LCHO (low-cost home ownership)", homes.lcho),
        ):
            part = [f for f in fs if f.case.tenure == key]
            types.append(StockType(key, name, n, _answers(part, period, n)))
    total = homes.total if homes is not None else None
    combined = StockType(
        "combined",
        "Combined (LCRA and LCHO: the Regulator allows us to combine them)"
        if combine
        else "Combined (LCRA and LCHO: only where the Regulator allows you to combine them)",
        total,
        _answers(fs, period, total),
    )
    if "combined" in columns:
        types.append(combined)
    unknown = [f for f in fs if f.case.tenure is None]
    pending = sum(int(combined.answer(f"ch02_{s}_pending") or 0) for s in (1, 2))
    return TsmReturnFigures(
        year=period.label,
        period_start=period.start.isoformat(),
        period_end=period.end.isoformat(),
        questions=tuple(Question(k, label, words) for k, label, words in QUESTIONS),
        stock_types=tuple(types),
        split=split,
        combine=combine,
        not_recorded=NotRecorded(len(made(unknown, 1, period)), len(made(unknown, 2, period))) if split else None,
        pending=pending,
        provisional=pending > 0,
        source=SOURCE,
    )


def editions_used(fs: Sequence[Facts], period: Period) -> list[str]:
    """The editions whose response timescales judged the complaints made in ``period``."""
    found = {
        m.edition
        for stage in (1, 2)
        for f in made(fs, stage, period)
        for m in f.ms
        if m.stage == stage and m.event == "respond" and m.edition
    }
    return sorted(found)


def _days(n: int, working: bool) -> str:
    return f"{n} {'working days' if working else 'days'}"


def timescales(codes: Sequence[Code], service_standards: dict[str, int] | None = None) -> list[str]:
    """The statement of target timescales used for CH02, one line per stage and edition, read
    from each edition's catalogue (the Regulator asks providers to publish it: RSH letter of 11
    March 2025, Annex B)."""
    lines = []
    for code in codes:
        for stage in (1, 2):
            resp = code.timescale(stage, "respond")
            if resp is None or resp.length is None:
                continue
            days, working = resp.length
            what = "complaint" if stage == 1 else "stage 2 complaint"
            start = {
                "received": "the complaint was received",
                "requested": "the escalation was requested",
                "acknowledged": f"the {what} was acknowledged",
                "logged": f"the {what} was logged",
            }.get(resp.start or "", "the start of the stage")
            text = (
                f"Stage {stage} ({code.code}, provision {code.rule_of(resp, 'respond')}): a response within "
                f"{_days(days, working)} of the day {start}"
            )
            ext = code.timescale(stage, "extension")
            if ext is not None and ext.cap is not None:
                cap, cap_working = ext.cap
                text += (
                    f"; where the resident is told of an extension before that date, up to {_days(cap, cap_working)} "
                    f"more (provision {code.rule_of(ext, 'extension')})"
                )
            lines.append(text + ".")
    for key, stage in (("stage1_respond", 1), ("stage2_respond", 2)):
        own = (service_standards or {}).get(key)
        if own:
            lines.append(
                f"Our own standard at stage {stage}: {own} working days. CH02 is measured against the Code's "
                "timescale above, not against our own standard."
            )
    lines.append(
        "A response sent within a permitted extension counts as within the timescale; a complaint counts in "
        "the year it was made (stage 2: the year escalation was requested), whenever it was answered."
    )
    return lines
