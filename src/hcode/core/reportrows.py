"""The rows published annual complaints reports carry beyond the Code's and the Regulator's
figures, worked out from the annual figures (:func:`hcode.core.metrics.annual`): the share of
complaints upheld, partly upheld and not upheld at each stage, the escalation rate, the mean and
median working days to respond, the Housing Ombudsman's determinations by outcome with the
maladministration rate, and complaints per 1,000 homes and as a share of homes. Pure: figures in,
typed rows out. Nothing is ever 0 for want of records: a rate with nothing to divide by is None
("n/a"), and a year without case records gives no rows (None).

Definitions (hcode's; the published reports compared word them alike):

* an outcome rate is over the complaints answered at that stage in the year with an outcome of
  upheld, partly upheld or not upheld (a withdrawn complaint is not in it);
* the escalation rate is the stage 2 complaints made in the year (escalation requested) over the
  stage 1 complaints made in it, the CH01 numerators;
* the maladministration rate is the determinations finding severe maladministration,
  maladministration or service failure ("Service failure is a form of maladministration") over
  the determinations that made a finding on the landlord's handling (outside jurisdiction and
  withdrawn are not in it). The Ombudsman's outcomes are listed on "What findings can the Housing
  Ombudsman make?" (:data:`FINDINGS_SOURCE`): no maladministration, service failure,
  maladministration, severe maladministration, mediation, redress (reasonable redress), and
  outside jurisdiction and withdrawn;
* complaints per 1,000 homes and as a percentage of homes count the stage 1 complaints made in
  the year over the homes owned at its end.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hcode.core import percent
from hcode.core.annualfigures import AnnualFigures, DaysToRespond

FINDINGS_SOURCE = (
    "https://www.housing-ombudsman.org.uk/residents/how-will-you-investigate-my-complaint/"
    "what-findings-can-the-housing-ombudsman-make/"
)
#: The Housing Ombudsman's determinations by outcome, as it lists them (:data:`FINDINGS_SOURCE`;
#: "redress" is the reasonable redress of the Scheme): a case file's ``ombudsman: finding:``.
FINDINGS = (
    "severe-maladministration",
    "maladministration",
    "service-failure",
    "reasonable-redress",
    "no-maladministration",
    "outside-jurisdiction",
    "mediation",
    "withdrawn",
)
#: The determinations that find maladministration (service failure is a form of it).
MALADMINISTRATION = ("severe-maladministration", "maladministration", "service-failure")
#: Determinations that make no finding on the landlord's handling.
NO_FINDING = ("outside-jurisdiction", "withdrawn")
DECIDED = ("upheld", "partly-upheld", "not-upheld")


@dataclass(frozen=True, slots=True)
class Rate:
    """A share: ``value`` in per cent to one place (None: nothing to divide by)."""

    numerator: int
    denominator: int | None
    value: float | None

    @classmethod
    def of(cls, numerator: int, denominator: int | None) -> Rate:
        cell = percent.ratio(numerator, denominator or 0)
        return cls(numerator, denominator, cell["value"] if denominator else None)

    def json(self) -> dict[str, Any]:
        return {"value": self.value, "numerator": self.numerator, "denominator": self.denominator}


@dataclass(frozen=True, slots=True)
class StageRows:
    """One stage: outcome rates, and the working days to respond (mean to one place, median)."""

    upheld: Rate
    partly_upheld: Rate
    not_upheld: Rate
    mean_days: float | None
    median_days: float | None
    responses: int


#: Every row, in the order reports show them: key (also its name under ``figures: year:`` in
#: reports/YYYY-YY.yaml), label, unit (count, percent, per_1000_homes, days).
ROWS: tuple[tuple[str, str, str], ...] = (
    *(
        (f"stage{n}_{k}", f"Stage {n} complaints {words}", "percent")
        for n in (1, 2)
        for k, words in (("upheld", "upheld"), ("partly_upheld", "partly upheld"), ("not_upheld", "not upheld"))
    ),
    ("escalation_rate", "Complaints escalated to stage 2 (of stage 1 complaints made)", "percent"),
    *(
        (f"stage{n}_{k}_days", f"Stage {n}: {k} working days to respond", "days")
        for n in (1, 2)
        for k in ("mean", "median")
    ),
    *(
        (f"determinations_{f.replace('-', '_')}", f"Ombudsman determinations: {f.replace('-', ' ')}", "count")
        for f in FINDINGS
    ),
    ("maladministration_rate", "Maladministration rate (of the Ombudsman's determinations with a finding)", "percent"),
    ("complaints_per_1000_homes", "Stage 1 complaints per 1,000 homes", "per_1000_homes"),
    ("complaints_percent_of_homes", "Stage 1 complaints as a percentage of homes", "percent"),
)


@dataclass(frozen=True, slots=True)
class ReportRows:
    stage1: StageRows
    stage2: StageRows
    escalation: Rate
    determinations: Mapping[str, int]
    maladministration: Rate
    per_1000_homes: float | None
    percent_of_homes: float | None
    complaints: int
    homes: int | None

    def cells(self) -> dict[str, dict[str, Any]]:
        """Each row's cell (``source: cases``), by the keys of :data:`ROWS`."""

        def rate(r: Rate) -> dict[str, Any]:
            return {**r.json(), "source": "cases"}

        def days(v: float | None, n: int) -> dict[str, Any]:
            if v is None:  # nothing answered at that stage: n/a, never 0
                return {"value": None, "source": "cases", "written": "n/a"}
            return {"value": v, "count": n, "source": "cases"}

        out: dict[str, dict[str, Any]] = {}
        for n, st in ((1, self.stage1), (2, self.stage2)):
            out[f"stage{n}_upheld"] = rate(st.upheld)
            out[f"stage{n}_partly_upheld"] = rate(st.partly_upheld)
            out[f"stage{n}_not_upheld"] = rate(st.not_upheld)
        out["escalation_rate"] = rate(self.escalation)
        for n, st in ((1, self.stage1), (2, self.stage2)):
            out[f"stage{n}_mean_days"] = days(st.mean_days, st.responses)
            out[f"stage{n}_median_days"] = days(st.median_days, st.responses)
        for key, n in self.determinations.items():
            out[f"determinations_{key.replace('-', '_')}"] = {"value": n, "source": "cases"}
        out["maladministration_rate"] = rate(self.maladministration)
        out["complaints_per_1000_homes"] = {
            "value": self.per_1000_homes,
            "numerator": self.complaints,
            "denominator": self.homes,
            "source": "cases",
        }
        out["complaints_percent_of_homes"] = {
            "value": self.percent_of_homes,
            "numerator": self.complaints,
            "denominator": self.homes,
            "source": "cases",
        }
        return out


def rows_json(cells: Mapping[str, Mapping[str, Any]] | None) -> dict[str, Any] | None:
    """The annual figures' ``rates``: a row per key of :data:`ROWS` that has a cell (key, label,
    unit, cell), and the source of the Ombudsman's outcomes. None without any cell."""
    if not cells:
        return None
    return {
        "rows": [
            {"key": key, "label": label, "unit": unit, "cell": dict(cells[key])}
            for key, label, unit in ROWS
            if key in cells
        ],
        "findings_source": FINDINGS_SOURCE,
    }


def _stage(outcomes: Mapping[str, int], days: DaysToRespond) -> StageRows:
    decided = sum(outcomes.get(k, 0) for k in DECIDED)
    return StageRows(
        Rate.of(outcomes.get("upheld", 0), decided),
        Rate.of(outcomes.get("partly-upheld", 0), decided),
        Rate.of(outcomes.get("not-upheld", 0), decided),
        days.average,
        days.median,
        days.count,
    )


def report_rows(figures: AnnualFigures) -> ReportRows | None:
    """The rows for the annual figures ``figures`` (None where the year has no case records:
    these rows come from case files only)."""
    outcomes, days, ombudsman = figures.outcomes, figures.days_to_respond, figures.ombudsman
    if not figures.case_records or outcomes is None or days is None or ombudsman is None:
        return None
    ch01 = figures.tsm.ch01
    made1, made2 = ch01.stage1["numerator"] or 0, ch01.stage2["numerator"] or 0
    homes = figures.homes
    found: dict[str, int] = dict(ombudsman.findings)
    judged = sum(n for k, n in found.items() if k not in NO_FINDING)
    mal = sum(found.get(k, 0) for k in MALADMINISTRATION)
    return ReportRows(
        _stage(outcomes.stage1, days.stage1),
        _stage(outcomes.stage2, days.stage2),
        Rate.of(made2, made1),
        found,
        Rate.of(mal, judged),
        percent.per_thousand(made1, homes)["value"],
        Rate.of(made1, homes).value if homes else None,
        made1,
        homes,
    )
