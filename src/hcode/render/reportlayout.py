"""The annual report laid out once (:mod:`hcode.render.layout`): every section, table, row and
chart of the report, from its figures and what the landlord wrote for it. Markdown, HTML and
Excel walk what :func:`annual_layout` returns; a new figure row is one line here.

Nothing personal goes in: the figures are counts and percentages, and the texts are the
landlord's published statements and improvements and the learning recorded on case files, all of
which pass the privacy gate with the layout itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hcode.core.annualfigures import AnnualFigures, RateRow, Stages
from hcode.render.figuretext import ENTERED, money, number
from hcode.render.layout import (
    Bench,
    Block,
    Bullets,
    Cell,
    Change,
    Chart,
    Column,
    Count,
    Figure,
    Layout,
    NoData,
    Number,
    Paragraph,
    Rich,
    RichBlock,
    Row,
    Section,
    Span,
    Table,
    Text,
)

_OUTCOMES = ("upheld", "partly-upheld", "not-upheld", "withdrawn")
_TENURES = (("lcra", "low-cost rental (LCRA)"), ("lcho", "low-cost home ownership (LCHO)"))


def _t(text: str) -> tuple[Span, ...]:
    return (Span(text),)


def label(value: str) -> str:
    """A key as words: ``partly-upheld`` -> ``Partly upheld``."""
    return value.replace("-", " ").capitalize()


def _num(value: Any) -> str:
    return number(value)


def _no_records(year: str) -> Paragraph:
    return Paragraph(_t(f"No data: there are no case records for {year}."))


def entered_anywhere(figures: AnnualFigures) -> bool:
    """Whether any figure shown was entered by hand (the report then explains the mark)."""
    return any(c.get("source") == "entered" for c in figures.cells())


def _lead(f: AnnualFigures, entered: bool) -> tuple[Block, ...]:
    year = f.year
    homes = ""
    if f.homes:
        homes = f", {_num(f.homes)} homes"
        split = f.homes_split
        if split:
            homes += f" ({_num(split.lcra)} low-cost rental, {_num(split.lcho)} low-cost home ownership)"
    out: list[Block] = [
        Paragraph((Span(f.landlord, "strong"), Span(f"{homes}. Reporting year {f.period_start} to {f.period_end}.")))
    ]
    if f.provisional_as_at:
        at = f.provisional_as_at
        out.append(
            Paragraph(
                (
                    Span(f"Provisional: figures as at {at}.", "strong"),
                    Span(
                        f" The reporting year ends on {f.period_end}; nothing after {at} is counted, and a "
                        'quarter not yet begun shows "no data".'
                    ),
                ),
                box="provisional",
                note=True,
            )
        )
    if not f.case_records:
        said: tuple[Span, ...]
        if entered:
            said = (
                Span(f" Figures marked {ENTERED} were entered by hand from the published figures ("),
                Span(f"reports/{year}.yaml", "code"),
                Span('); the others are "no data".'),
            )
        else:
            said = _t(' Every figure is "no data".')
        out.append(Paragraph((Span(f"No case records for {year}.", "strong"), *said), box="placeholder", note=True))
    return tuple(out)


def _statement(extras: Mapping[str, Any], key: str, year: str, what: str, tail: str = "") -> tuple[Block, ...]:
    if extras.get(key):
        return (RichBlock(str(extras[key])),)
    return (
        Paragraph(
            (
                Span("Placeholder:", "strong"),
                Span(f" {what} has not been recorded yet (add "),
                Span(key, "code"),
                Span(" to "),
                Span(f"reports/{year}.yaml", "code"),
                Span(f").{tail}"),
            ),
            box="placeholder",
        ),
    )


def _headline(f: AnnualFigures) -> Section:
    year, prev = f.year, f.previous_year
    columns = [Column("Measure"), Column(year, True), *([Column(prev, True)] if prev else [])]
    rows = []
    for h in f.headline:
        shown = [Figure(h.this_year, h.unit)]
        if prev:
            shown.append(Figure(h.previous_year, h.unit))
        rows.append(Row(Text(h.label), tuple(shown)))
    table = Table("headline", tuple(columns), tuple(rows), footnote=_t(_WHEN_COUNTED))
    return Section("headline", "Headline figures", (table,), "headline", "Headline")


#: Why a timeliness row and CH02 can differ for the same year (and why acknowledgements can
#: outnumber the complaints received): they count different complaints.
_WHEN_COUNTED = (
    "Acknowledgements and responses count in the period they were sent (one not yet sent, in the "
    "period it was due), so a year's can include complaints received the year before; CH02 counts "
    "the complaints received in the year, whenever they were answered. The two can differ."
)


def _quarterly(f: AnnualFigures, entered: bool, charts: Sequence[Chart]) -> Section:
    year, prev = f.year, f.previous_year
    columns = (Column("Measure"), *(Column(q.label, True, q.key) for q in f.quarters), Column("Year", True))
    rows = []
    for row in f.table:
        cells = [row.cells[q.key] for q in f.quarters] + [row.cells["year"]]
        rows.append(Row(Text(row.label), tuple(Figure(c, "percent" if "numerator" in c else "count") for c in cells)))
    footnote: tuple[Span, ...] = ()
    if entered:
        files = [Span(f"reports/{year}.yaml", "code")] + (
            [Span(", "), Span(f"reports/{prev}.yaml", "code")] if prev else []
        )
        footnote = (
            Span(f"{ENTERED} Entered by hand from the figures we published ("),
            *files,
            Span("), not computed from case records."),
        )
    blocks: list[Block] = [Table("quarterly", columns, tuple(rows), footnote=footnote)]
    if f.differences:
        blocks.append(
            Bullets(
                (
                    Span("Figures that differ from those entered by hand.", "strong"),
                    Span(" The report shows the figure computed from the case records; check the case records or "),
                    Span(f"reports/{year}.yaml", "code"),
                    Span(":"),
                ),
                tuple(_t(f"{d.label}, {d.period}: computed {d.computed}, entered {d.entered}") for d in f.differences),
                box="differences",
            )
        )
    blocks += [c for c in charts if c.key in ("volumes", "timeliness")]
    return Section("quarterly", "Performance by quarter", tuple(blocks), "quarterly", "Quarterly")


def _stages(cells: Stages, make: Any) -> tuple[Cell, ...]:
    return (make(cells.stage1), make(cells.stage2))


def _ch02_parts(ch02: Stages) -> list[Row]:
    """The rows that split a CH02 figure as the return does: in time without and within a
    permitted extension, and the complaints still pending (for every stock type's table)."""
    if "without_extension" not in ch02.stage1:
        return []
    return [
        Row(Text(text), _stages(ch02, lambda c, k=key: Count(c.get(k))))
        for key, text in (
            ("without_extension", "of which without an extension"),
            ("with_extension", "of which within a permitted extension"),
            ("pending", "not yet answered and still in time (pending)"),
        )
    ]


def _tsm(f: AnnualFigures) -> Section:
    year, tsm = f.year, f.tsm
    combined = f.stock_types is None or "combined" in f.stock_types  # hcode.yaml tsm: combine
    columns = (Column("Measure"), Column("Stage 1", True), Column("Stage 2", True))

    def ch01(cell: Any) -> Cell:
        return Figure(cell, "per_1000_homes", detail=True, year=year)

    def ch02(cell: Any) -> Cell:
        return Figure(cell, "percent")

    rows = [
        Row(Text("CH01: complaints made per 1,000 homes"), _stages(tsm.ch01, ch01)),
        Row(
            Text("CH02: complaints made in the year responded to within the Code's timescale"),
            _stages(tsm.ch02, ch02),
        ),
    ]
    rows += _ch02_parts(tsm.ch02)
    blocks: list[Block] = []
    if combined:
        blocks.append(Table("tsm", columns, tuple(rows)))
    else:
        blocks.append(
            Paragraph(
                _t(
                    "The Regulator does not allow us to combine low-cost rental and low-cost home ownership "
                    "(hcode.yaml, tsm: combine is false): CH01 and CH02 are given per stock type only."
                )
            )
        )
    split, homes = f.homes_split, f.homes
    if split:
        blocks.append(
            Paragraph(
                _t(
                    f"CH01 counts the {_num(homes)} homes of both kinds: {_num(split.lcra)} low-cost rental (LCRA) "
                    f"and {_num(split.lcho)} low-cost home ownership (LCHO)."
                )
            )
        )
    by_tenure = f.tsm_split
    if by_tenure:
        tenure_rows = []
        for part, name in ((by_tenure.lcra, _TENURES[0][1]), (by_tenure.lcho, _TENURES[1][1])):
            tenure_rows.append(Row(Text(f"CH01, {name}"), _stages(part.ch01, ch01)))
            tenure_rows.append(Row(Text(f"CH02, {name}"), _stages(part.ch02, ch02)))
            tenure_rows += _ch02_parts(part.ch02)
        blocks.append(
            Table("tsm-tenure", columns, tuple(tenure_rows), caption="CH01 and CH02 by tenure", md_head="By tenure")
        )
        missing = by_tenure.not_recorded
        where = (
            "counted in the totals, in neither part"
            if combined
            else "in the figures of no stock type: record their tenure"
        )
        if missing.stage1 or missing.stage2:
            blocks.append(
                Paragraph(
                    _t(
                        f"Complaints with no tenure recorded ({where}): "
                        f"{missing.stage1} at stage 1, {missing.stage2} at stage 2."
                    )
                )
            )
    return Section("tsm", "Tenant Satisfaction Measures", tuple(blocks), "tsm", "Headline")


def _benchmarks(f: AnnualFigures) -> Section | None:
    b = f.benchmarks
    if not b:
        return None
    columns = (
        Column("Measure"),
        Column(f"Ours ({f.year})", True),
        Column("Lower quartile", True),
        Column("Median", True),
        Column("Upper quartile", True),
        Column("Landlords", True),
        Column("Where we stand"),
    )
    rows = tuple(
        Row(
            Text(r.label),
            (
                Bench(r.value, r.key, "no data"),
                Bench(r.lower_quartile, r.key),
                Bench(r.median, r.key),
                Bench(r.upper_quartile, r.key),
                Count(r.count),
                Text(r.standing or ""),
            ),
        )
        for r in b.rows
    )
    intro = (
        f"Our CH01 and CH02 ({b.ours_are}) beside every landlord's published figures for {b.year} (the "
        f"Regulator of Social Housing's Tenant Satisfaction Measures data, {b.dataset}, low-cost rental). {b.who}"
    )
    blocks = (Paragraph(_t(intro)), Table("benchmarks", columns, rows), Paragraph(_t(b.licence)))
    return Section("benchmarks", "How we compare", blocks, "benchmarks", "Headline")


def _outcomes(f: AnnualFigures) -> Section:
    o, days = f.outcomes, f.days_to_respond
    if o is None or days is None:
        blocks: tuple[Block, ...] = (_no_records(f.year),)
    else:
        rows = [Row(Text(label(k)), (Count(o.stage1[k]), Count(o.stage2[k]))) for k in _OUTCOMES]
        for key, text in (("average", "Average working days to respond"), ("median", "Median working days to respond")):
            rows.append(Row(Text(text), (Number(getattr(days.stage1, key)), Number(getattr(days.stage2, key)))))
        columns = (Column("Outcome"), Column("Stage 1", True), Column("Stage 2", True))
        blocks = (Table("outcomes", columns, tuple(rows)),)
    return Section("outcomes", "Outcomes and time to respond", blocks, "outcomes", "Outcomes")


def _categories(f: AnnualFigures, charts: Sequence[Chart]) -> Section:
    year, prev, cats = f.year, f.previous_year, f.categories
    blocks: list[Block]
    if cats is None:
        blocks = [_no_records(year)]
    elif not cats:
        blocks = [Paragraph(_t("No stage 1 complaints were received this year."))]
    else:
        columns = [Column("Category"), Column(year, True)]
        if prev:
            columns += [Column(prev, True), Column("Change", True)]
        rows = []
        for c in cats:
            cells: list[Cell] = [Count(c.this_year)]
            if prev:
                cells += [NoData() if c.previous_year is None else Count(c.previous_year), Change(c.change)]
            rows.append(Row(Text(c.name), tuple(cells)))
        blocks = [Table("categories", tuple(columns), tuple(rows)), *(c for c in charts if c.key == "categories")]
    return Section("categories", "Complaints by category", tuple(blocks), "categories", "Outcomes")


def _refusals(f: AnnualFigures) -> Section:
    if f.refusals is None:
        blocks: tuple[Block, ...] = (_no_records(f.year),)
    else:
        columns = (Column("Reason"), Column("Not accepted at stage 1", True), Column("Escalation refused", True))
        rows = tuple(Row(Text(label(r.reason)), (Count(r.stage1), Count(r.stage2))) for r in f.refusals)
        blocks = (Table("refusals", columns, rows),)
    return Section("refusals", "Complaints we did not accept", blocks, "refusals", "Outcomes")


def _remedies(f: AnnualFigures) -> Section:
    rem = f.remedies
    if rem is None:
        blocks: tuple[Block, ...] = (_no_records(f.year),)
    else:
        blocks = (
            Paragraph(
                _t(
                    f"Complaints with compensation: {rem.with_compensation}. Total compensation: "
                    f"{money(rem.total)}. Average: {money(rem.average)}."
                )
            ),
        )
    return Section("remedies", "Putting things right", blocks, "", "Outcomes")


def _ombudsman(f: AnnualFigures, extras: Mapping[str, Any]) -> Section:
    omb = f.ombudsman
    blocks: list[Block] = []
    if omb is None:
        blocks.append(Paragraph(_t(f"Findings of the Ombudsman: no data (there are no case records for {f.year}).")))
    else:
        blocks.append(
            Paragraph(
                _t(
                    f"Complaints referred to the Ombudsman: {omb.referrals}. Complaint handling failure orders: "
                    f"{omb.failure_orders}."
                )
            )
        )
        rows = tuple(Row(Text(label(k)), (Count(n),)) for k, n in omb.findings.items())
        blocks.append(
            Table(
                "ombudsman-findings",
                (Column("Finding"), Column("Number", True)),
                rows,
                caption="Ombudsman findings this year",
                md_head="Ombudsman finding",
            )
        )
    documents = extras.get("ombudsman_documents") or []
    if documents:
        listed = []
        for d in documents:
            flag = " (finding of non-compliance with the Code)" if d.get("non_compliance") else ""
            listed.append(
                Row(Text(str(d["date"])), (Text(f"{label(d['kind'])}: {d['title']}{flag}"), Rich(d.get("summary"))))
            )
        blocks.append(
            Table(
                "ombudsman-documents",
                (Column("Date"), Column("Document"), Column("Summary")),
                tuple(listed),
                caption="Reports and letters from the Ombudsman",
            )
        )
    return Section("ombudsman", "The Housing Ombudsman", tuple(blocks), "ombudsman", "Outcomes")


def _rate_cell(r: RateRow, year: str) -> Cell:
    """A row of "Rates and averages": working days from the case files to one place (as the
    outcomes table gives them), else the figure as computed or entered."""
    cell = r.cell
    if r.unit == "days" and cell.get("source") == "cases" and cell.get("value") is not None:
        return Number(cell["value"])
    unit = "count" if r.unit == "days" else r.unit
    return Figure(cell, unit, detail=unit == "per_1000_homes", year=year)


def _rates(f: AnnualFigures, entered: bool) -> Section:
    """The rows published reports carry (:mod:`hcode.core.reportrows`): a row each, from the
    case files or as entered by hand."""
    rates = f.rates
    if rates is None:
        blocks: tuple[Block, ...] = (
            Paragraph(_t(f"No data: there are no case records for {f.year}, and none of these were entered.")),
        )
    else:
        rows = tuple(
            Row(Text(r.label), (_rate_cell(r, f.year),))
            for r in rates.rows
            # the determinations from case files are the Ombudsman section's table; entered ones show here
            if not r.key.startswith("determinations_") or r.cell.get("source") == "entered"
        )
        note = (
            "Outcome rates are of the complaints answered at that stage with an outcome (upheld, partly upheld or "
            "not upheld; a withdrawn complaint is not counted). The escalation rate is of the stage 1 complaints made "
            "in the year. The maladministration rate counts the Ombudsman's findings of severe maladministration, "
            "maladministration and service failure, of its determinations other than outside jurisdiction and "
            "withdrawn (the outcomes as the Ombudsman lists them: " + rates.findings_source + "). Complaints per "
            "1,000 homes and as a percentage of homes count the stage 1 complaints made in the year."
        )
        blocks = (
            Table(
                "rates",
                (Column("Measure"), Column(f.year, True)),
                rows,
                footnote=_t(f"{ENTERED} Entered by hand from the figures we published.") if entered else (),
            ),
            Paragraph(_t(note)),
        )
    return Section("rates", "Rates and averages", blocks, "rates", "Outcomes")


def _hazards(f: AnnualFigures) -> Section | None:
    hz = f.hazards
    if hz is None or not hz.in_force:
        return None
    year = f.year
    said = (
        f"Hazards reported this year under the Hazards in Social Housing (Prescribed Requirements) (England) "
        f"Regulations 2025: {hz.reported} ({hz.significant} significant, {hz.emergency} emergency)"
    )
    if hz.linked_hazards:
        plural = "" if hz.linked_complaints == 1 else "s"
        said += f"; {hz.linked_hazards} of them linked to {hz.linked_complaints} complaint{plural}"
    blocks: list[Block] = [Paragraph(_t(said + "."))]
    if hz.by_hazard:
        rows = [Row(Text(r.hazard), (Count(r.significant), Count(r.emergency), Count(r.total))) for r in hz.by_hazard]
        rows.append(
            Row(
                Text("All hazards reported"),
                (Count(hz.significant), Count(hz.emergency), Count(hz.reported)),
                True,
            )
        )
        blocks.append(
            Table(
                "hazards-reported",
                (Column("Hazard"), Column("Significant", True), Column("Emergency", True), Column("Total", True)),
                tuple(rows),
                caption="Hazards reported by hazard and risk",
            )
        )
    blocks.append(
        Table(
            "hazards-timely",
            (Column("Duty"), Column(year, True)),
            tuple(Row(Text(w.label), (Figure(w.cell, "percent"),)) for w in hz.within_time),
            caption="Within the Regulations' timescales",
            md_head="Within the Regulations' timescales",
        )
    )
    if hz.not_judged_phase or hz.not_judged_lcho:
        blocks.append(
            Paragraph(
                _t(
                    f"Not judged: {hz.not_judged_phase} reported before their hazard's phase of the Regulations began, "
                    f"{hz.not_judged_lcho} in low-cost home ownership (outside the Regulations)."
                )
            )
        )
    if not hz.confirmed:
        blocks.append(
            Paragraph(
                _t(
                    "The timescales are those reported in published summaries of the Regulations; they have not yet "
                    "been checked against the Regulations' own text."
                )
            )
        )
    return Section("hazards", "Hazards reported (Awaab's Law)", tuple(blocks), "hazards", "Hazards")


def _learning(f: AnnualFigures, extras: Mapping[str, Any]) -> Section:
    blocks: list[Block] = []
    improvements = extras.get("improvements") or []
    if improvements:
        rows = tuple(Row(Text(""), (Rich(i["improvement"]), Rich(i.get("learning_from")))) for i in improvements)
        blocks.append(
            Table(
                "improvements",
                (Column("Improvement"), Column("What we learned from")),
                rows,
                row_headers=False,
            )
        )
    if f.learning:
        blocks.append(Bullets(_t("What we learned from complaints this year:"), tuple(Rich(t) for t in f.learning)))
    else:
        blocks.append(Paragraph(_t("No learning has been recorded from this year's complaints.")))
    return Section("learning", "Learning and service improvements", tuple(blocks), "learning", "Headline")


def annual_charts(f: AnnualFigures) -> tuple[Chart, ...]:
    """The annual report's charts as data: complaints by quarter and stage, responses within the
    Code's timescale by quarter, and (where there are any) stage 1 complaints by category."""

    qs = [q.key for q in f.quarters]
    rows = {r.key: r for r in f.table}

    def values(key: str) -> tuple[float | None, ...]:
        row = rows.get(key)
        return tuple(None if row is None else row.cells[q]["value"] for q in qs)

    out = [
        Chart(
            "volumes",
            "Complaints by quarter and stage",
            tuple(qs),
            (("Stage 1", values("stage1_received")), ("Stage 2", values("stage2_received"))),
        ),
        Chart(
            "timeliness",
            "Responses within the Code's timescale by quarter",
            tuple(qs),
            (("Stage 1", values("stage1_responses_within")), ("Stage 2", values("stage2_responses_within"))),
            unit="%",
            maximum=100.0,
        ),
    ]
    cats = (f.categories or ())[:8]
    if cats:
        series: list[tuple[str, tuple[float | None, ...]]] = [("This year", tuple(c.this_year for c in cats))]
        if cats[0].previous_year is not None:  # no series where last year has no case records
            series.append(("Previous year", tuple(c.previous_year for c in cats)))
        out.append(
            Chart(
                "categories",
                "Stage 1 complaints by category",
                tuple(c.name for c in cats),
                tuple(series),
                horizontal=True,
            )
        )
    return tuple(out)


def annual_layout(figures: AnnualFigures, extras: Mapping[str, Any]) -> Layout:
    """The annual report (Code 8.1 and 8.2) laid out: the statements, the figures, the hazards,
    learning."""
    f = figures
    year = f.year
    entered = entered_anywhere(f)
    charts = annual_charts(f)
    sections = [
        Section(
            "governing_body_response",
            "Our governing body's response",
            _statement(
                extras,
                "governing_body_response",
                year,
                "the governing body's response to this report",
                " The Code (8.2) requires it to be published alongside this report.",
            ),
            sheet="Headline",
        ),
        Section(
            "mrc_statement",
            "Statement from our Member Responsible for Complaints",
            _statement(extras, "mrc_statement", year, "the Member Responsible for Complaints' statement"),
            sheet="Headline",
        ),
        _headline(f),
        _quarterly(f, entered, charts),
        _tsm(f),
        _benchmarks(f),
        _outcomes(f),
        _categories(f, charts),
        _refusals(f),
        _remedies(f),
        _ombudsman(f, extras),
        _rates(f, entered),
        _hazards(f),
        _learning(f, extras),
    ]
    return Layout(
        f"Annual complaints performance and service improvement report {year}",
        _lead(f, entered),
        tuple(s for s in sections if s is not None),
    )
