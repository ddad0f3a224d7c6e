"""The published reports and the tables for analysis: the annual figures and report, the
self-assessment report, the TSM audit table, and the export."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from hcode.api.errors import InputUnusable, ParameterError, left_out_rows, refuse_incomplete
from hcode.api.workspace import OpenWorkspace, write_file
from hcode.collector import collector_paused
from hcode.core.annualfigures import AnnualFigures, Cell
from hcode.core.assessmentform import AssessmentForm
from hcode.core.exportrow import ExportRow
from hcode.core.listings import LeftOut, TsmRow
from hcode.core.model import Assessment, Code, Finding
from hcode.core.official import state_in_figures
from hcode.core.rules import Context
from hcode.core.tsmreturn import TsmReturnFigures
from hcode.render.gate import Public, Screened
from hcode.store.cachefile import Codec, rows_of

if TYPE_CHECKING:
    from hcode.render.gate import PrivacyRefused
    from hcode.render.published import Published

T = TypeVar("T")

# -- writing a published report or table ---------------------------------------------------------


def output_kind(name: str) -> str:
    """How an output file's text is made safe (see :func:`hcode.core.text.safe_output`)."""
    return name.rsplit(".", 1)[-1] if name.endswith((".json", ".jsonl", ".csv")) else "text"


def names_folder(output: Path | None) -> bool:
    """Whether ``-o`` names a folder to write into: one that exists, or a path ending in a slash."""
    return output is not None and (output.is_dir() or str(output).endswith(("/", "\\")))


def write_published(
    output: Path, name: str, data: str | bytes | Sequence[bytes | memoryview], extra: dict[str, str] | None = None
) -> list[Path]:
    """Write a report or table to the file ``output``, or as ``name`` into the folder ``output``
    (an existing folder, or a path ending in a slash) with any ``extra`` files beside it
    (charts), each atomically and its text made safe; the paths written. ``data``: text, a
    workbook's bytes, or the UTF-8 pieces of a large text, each ending at a line end (made safe
    a part at a time). :class:`InputUnusable` when the folder does not exist or a file cannot be
    written."""
    from hcode.render.output import safe_output, safe_pieces

    folder = names_folder(output)
    if folder and not output.is_dir():
        raise InputUnusable(f"the folder {output} does not exist; nothing was written", "create the folder first")
    target = output / name if folder else output
    if isinstance(data, str):
        write_file(target, safe_output(data, kind=output_kind(name)))
    elif isinstance(data, bytes):
        write_file(target, data)
    else:
        parts = safe_pieces(data, kind=output_kind(name))
        write_file(target, [p.encode("utf-8") if isinstance(p, str) else p for p in parts])
    written = [target]
    if folder:
        for extra_name, text in (extra or {}).items():
            write_file(output / extra_name, safe_output(text, kind=output_kind(extra_name)))
            written.append(output / extra_name)
    return written


# -- the annual figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class Annual:
    """The annual report's figures, typed (:class:`hcode.core.annualfigures.AnnualFigures`), and
    the case files that could not be read (the figures leave them out: see ``problems``);
    ``json``: the figures as ``hcode report annual --format json`` prints them."""

    year: str
    figures: AnnualFigures
    problems: list[Finding] = field(default_factory=list)

    @property
    def json(self) -> dict[str, Any]:
        """The figures as the JSON gives them (docs/reports.md: stable keys)."""
        return dict(self.figures.json)

    @property
    def tsm(self) -> dict[str, Any]:
        """CH01 and CH02, as the JSON gives them."""
        return dict(self.figures.json["tsm"])

    @property
    def measures(self) -> TsmMeasures:
        """CH01 and CH02 as typed values (from the typed figures' ``tsm``)."""
        tsm = self.figures.tsm
        return TsmMeasures(*(Measure.of(cell) for m in (tsm.ch01, tsm.ch02) for cell in (m.stage1, m.stage2)))


@dataclass(frozen=True, slots=True)
class Measure:
    """One tenant satisfaction measure: its ``value`` (per 1,000 homes for CH01, a percentage for
    CH02; None without data), what it was worked out from, and where it came from (``source``:
    cases, entered, or none)."""

    value: float | None
    numerator: int | None
    denominator: int | None
    source: str

    @classmethod
    def of(cls, cell: Cell) -> Measure:
        return cls(cell.get("value"), cell.get("numerator"), cell.get("denominator"), str(cell.get("source")))


@dataclass(frozen=True, slots=True)
class TsmMeasures:
    """CH01 (complaints per 1,000 homes) and CH02 (responses within the Code's timescales), each
    at stage 1 and stage 2."""

    ch01_stage1: Measure
    ch01_stage2: Measure
    ch02_stage1: Measure
    ch02_stage2: Measure


def annual(ws: OpenWorkspace, year: str | None = None, as_of: date | None = None) -> Annual:
    """The annual report's figures for ``year`` (default: the workspace's default year), with
    CH01 and CH02 under ``"tsm"``, as on ``as_of`` (default today). Kept in the cache, typed,
    for unchanged inputs."""
    from hcode.core import metrics
    from hcode.store.cachefile import TYPED

    chosen = ws.year(year)
    ctx = ws.context(as_of)
    inputs = _annual_inputs(ws, chosen)
    params = {
        "year": chosen,
        "published": inputs.published,
        "previous_published": inputs.previous,
        "modified": inputs.modified,
        "benchmarks": inputs.table,
    }
    # only the facts of the cases the figures can count travel back from where they were read
    counted = (inputs.period, metrics.year_period(metrics.previous_year(chosen), ws.settings))
    mapper = partial(_counted_facts, counted, True)
    figures = partial(_annual_figures, inputs, ctx)
    computed, problems = ws.store.derived(f"annual-{chosen}", params, ctx, figures, mapper, codec=TYPED)
    return Annual(chosen, computed, [*inputs.problems, *problems])


@dataclass(frozen=True)
class _AnnualInputs:
    """What the annual figures are counted with besides the case files: the figures entered by
    hand for the year and the year before (and the problems of reading them), how the editions
    that judge depart from the official Code, and the sector's TSM quartiles."""

    year: str
    period: Any
    published: Any
    previous: Any
    modified: dict[str, str]
    table: dict[str, Any]
    problems: list[Finding]


def _annual_inputs(ws: OpenWorkspace, year: str) -> _AnnualInputs:
    from hcode.core import metrics
    from hcode.store.tsmdata import load_table

    this = ws.store.published_figures(year)
    before = ws.store.published_figures(metrics.previous_year(year))
    return _AnnualInputs(
        year,
        metrics.year_period(year, ws.settings),
        this.items[0],
        before.items[0],
        # judged by a workspace edition that is not the official Code: every format says so, and how
        ws.store.code_modifications,
        load_table(ws.store.root),  # the sector's quartiles, beside CH01 and CH02
        [*this.problems, *before.problems],
    )


@collector_paused
def _annual_figures(inputs: _AnnualInputs, ctx: Context, read: Any) -> AnnualFigures:
    """The annual figures from the facts of the cases they may count (``read.items``: each
    case's :class:`~hcode.core.metrics.Facts`, hazard records among them)."""
    from hcode.core import metrics
    from hcode.store.reader import as_json

    facts: list[metrics.Facts] = read.items
    found = metrics.annual(
        facts,
        inputs.year,
        ctx.settings,
        ctx.calendar,
        as_of=ctx.as_of,
        published=inputs.published,
        previous_published=inputs.previous,
    )
    found["hazards"] = _hazards_section([f.case for f in facts], ctx, inputs.year)  # Awaab's Law
    found = state_in_figures(as_json(found), inputs.modified)  # as the JSON prints it
    return AnnualFigures.of({**found, "benchmarks": _benchmarks(found, inputs.table)})


def _counted_facts(periods: tuple[Any, ...], hazards: bool, case: Any, ctx: Context) -> Any:
    """The figures' facts of ``case`` (:class:`hcode.core.metrics.Facts`: the case and its
    milestones), worked out once where it was read (in a worker process for a large workspace,
    and sent back compactly), where a figure of ``periods`` may count it: the case has a date
    in one of them (the figures count a case only by one of its dates), or (``hazards``) it is a
    hazard record (the annual report's hazards section looks at every one); else None, and it
    is left out. The figures are the same as from every case's facts worked out afresh."""
    from hcode.core import metrics

    found = metrics.facts([case], ctx.judging, ctx.calendar, ctx.as_of)[0]
    return found if (hazards and case.hazard is not None) or found.touches(*periods) else None


def _benchmarks(figures: dict[str, Any], table: dict[str, Any]) -> dict[str, Any]:
    """The landlord's CH01 and CH02 beside the latest sector quartiles of ``table`` (the
    Regulator's TSM data: the workspace's, else shipped with hcode): low-cost rental where the
    case files give the split, else all homes, against the sector's LCRA figures."""
    from hcode.core import benchmarks

    lcra = (figures.get("tsm_split") or {}).get("lcra")
    found = benchmarks.compare(lcra or figures.get("tsm") or {}, table)
    return {**found, "ours_are": "low-cost rental (LCRA)" if lcra else "all homes"}


def _hazards_section(cases: Any, ctx: Context, year: str) -> dict[str, Any] | None:
    """The annual report's hazards section for ``year`` (None: no hazard records)."""
    from hcode.core.hazards import annual_hazards
    from hcode.core.metrics import year_period

    if ctx.hazards is None:
        return None
    period = year_period(year, ctx.settings)
    return annual_hazards(cases, ctx.hazards, ctx.calendar, period.start, period.end, ctx.as_of)


# -- the self-assessment -------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentReport:
    """A year's self-assessment on the form of the edition it answers (without a file: the form
    a file written on the as-of day would answer), ready to publish; ``problems``: the
    self-assessment files that could not be read."""

    year: str
    code: Code
    assessment: Assessment | None
    #: the self-assessment as published, in the form's rows (every format is laid out from it)
    form: AssessmentForm
    section: int | None = None
    layout: str = "table"
    problems: list[Finding] = field(default_factory=list)
    #: what it says when the edition it answers is not the official Code (and how it differs)
    modified: tuple[str, ...] = ()


def assessment_report(
    ws: OpenWorkspace,
    year: str | None = None,
    as_of: date | None = None,
    *,
    section: int | None = None,
    layout: str = "table",
    refuse: bool = False,
) -> AssessmentReport:
    """The self-assessment of ``year`` (default: the workspace's default year as on ``as_of``).
    :class:`InputUnusable` when its file names an edition that cannot be used (answers are never
    shown beside another edition's provisions); :class:`ParameterError` for a ``section`` the
    edition has nothing to assess in. ``refuse``: :class:`Incomplete` when a self-assessment
    file cannot be read."""
    from hcode.core.editions import Unusable, assessed_on

    when = as_of or date.today()
    store = ws.store
    refuse_incomplete(store.assessments.problems, refuse, "the self-assessment")
    chosen = ws.year(year, when)
    found = [a for a in store.assessments.items if a.year == chosen]
    named, done_on = (found[0].code, assessed_on(found[0].completed, when)) if found else (None, when)
    code = store.assessment_editions.answered(named, done_on, store.editions)
    if isinstance(code, Unusable):
        raise InputUnusable(f"{found[0].file}: {code.message}", "fix its code: line; hcode check lists the problems")
    if section is not None:
        numbers = [s.number for s in code.sections if any(p.assessed for p in s.provisions)]
        if section not in numbers:
            raise ParameterError(
                f"{code.code} has no section {section} to assess (sections: {', '.join(map(str, numbers))})",
                "--section",
            )
    from hcode.core.assessmentform import assessment_form
    from hcode.core.official import statements

    assessment = found[0] if found else None
    modified = tuple(statements(store.code_modifications, [code.code]))
    form = assessment_form(
        assessment, code, ws.settings.landlord, chosen, section=section, layout=layout, modified=modified
    )
    return AssessmentReport(chosen, code, assessment, form, section, layout, list(store.assessments.problems), modified)


# -- the annual report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnualReport:
    """Everything the annual complaints report shows: the figures, what the landlord says in
    words (``reports/YEAR.yaml``: statements, improvements; the Ombudsman's documents), the
    self-assessment, and the files that could not be read (``problems``: the report would be
    incomplete without them)."""

    year: str
    as_of: date
    annual: Annual
    extras: dict[str, Any]
    assessment: AssessmentReport
    problems: list[Finding]

    @property
    def figures(self) -> AnnualFigures:
        return self.annual.figures


def annual_report(
    ws: OpenWorkspace, year: str | None = None, as_of: date | None = None, *, refuse: bool = False
) -> AnnualReport:
    """The annual report of ``year`` (default: the workspace's default year as on ``as_of``).
    ``refuse``: :class:`Incomplete` when a case, self-assessment, reports/ or ombudsman/ file
    cannot be read."""
    when = as_of or date.today()
    chosen = ws.year(year, when)
    store = ws.store
    problems = list(store.assessments.problems)
    inputs = store.report_inputs(chosen)
    problems += inputs.problems
    computed = annual(ws, chosen, when)
    # reports/YEAR.yaml is read once: its problems come with the inputs and with the figures
    seen = {id(p) for p in problems}
    problems += [p for p in computed.problems if id(p) not in seen]
    refuse_incomplete(problems, refuse, "the annual report")
    assessed = assessment_report(ws, chosen, when)
    return AnnualReport(chosen, when, computed, inputs.items[0], assessed, problems)


@dataclass(frozen=True)
class PublishedFigures:
    """The annual figures as ``hcode report annual --format json`` publishes them, and the files
    left out; both passed the privacy gate (``public``, ``public_left_out``: what the JSON
    writer takes)."""

    year: str
    public: Public[AnnualFigures]
    public_left_out: Public[list[LeftOut]]
    problems: list[Finding] = field(default_factory=list)

    @property
    def figures(self) -> AnnualFigures:
        return self.public.value

    @property
    def left_out(self) -> list[LeftOut]:
        return self.public_left_out.value


def annual_figures(
    ws: OpenWorkspace, year: str | None = None, as_of: date | None = None, *, refuse: bool = False
) -> PublishedFigures:
    """The annual figures as ``hcode report annual --format json`` publishes them: the problems
    include the self-assessments' when the year was chosen from them (``year`` None).
    ``refuse``: :class:`Incomplete` when there are problems; :class:`InputUnusable` when a text
    of the figures seems to hold personal data."""
    when = as_of or date.today()
    chosen = ws.year(year, when)
    computed = annual(ws, chosen, when)
    problems = computed.problems if year is not None else [*ws.store.assessments.problems, *computed.problems]
    refuse_incomplete(problems, refuse, "the annual report")
    what = "the annual report"
    return PublishedFigures(
        chosen, gated(ws, computed.figures, what), gated(ws, left_out_rows(problems), what), problems
    )


# -- publishing the annual report and the self-assessment ----------------------------------------


@dataclass(frozen=True)
class Publication:
    """A published report ready to write: its file ``name`` (``annual-2024-25.md``), its text or
    bytes, and the files to write beside it in a folder (``beside``: charts)."""

    name: str
    data: str | bytes
    beside: dict[str, str] = field(default_factory=dict)


def publish_report(
    ws: OpenWorkspace, made: AnnualReport | AssessmentReport, fmt: str, *, folder: bool = False
) -> Publication:
    """``made`` in the format ``fmt`` (see :data:`hcode.render.published.PUBLISHED`), through
    the privacy gate: :class:`InputUnusable` when a text of it seems to hold personal data, or
    when a workspace template is broken or unsafe. The files left out (``made.problems``) are
    named in it. ``folder``: written into a folder, so charts go beside it as files."""
    from jinja2 import TemplateError

    from hcode.render.published import publish
    from hcode.render.report import annual_context, charts

    left_out = [f.row() for f in left_out_rows(made.problems)]
    context: Any
    if isinstance(made, AnnualReport):
        kind, stem = "annual", f"annual-{made.year}"
        typed = made.figures
        context = annual_context(typed, made.extras, made.assessment.form, charts(typed))
        context["left_out"] = left_out
        context.setdefault("as_of", made.as_of.isoformat())  # the day the figures were counted as of
    else:
        kind = "assessment"
        stem = f"self-assessment-{made.year}" + (f"-section-{made.section}" if made.section is not None else "")
        context = replace(made.form, left_out=tuple(left_out))
    public = gated(ws, context, f"the {kind} report")
    try:
        if fmt == "xlsx":
            out = _kept_workbook(ws, kind, public, lambda: publish(kind, fmt, public, ws.root, stem, folder))
        else:
            out = publish(kind, fmt, public, ws.root, stem, folder)
    except TemplateError as exc:  # includes the sandbox's SecurityError
        raise InputUnusable(
            f"template for the {kind} report ({fmt}): {type(exc).__name__}: {exc}",
            "check the workspace's templates/ folder (templates run in a sandbox)",
        ) from None
    return Publication(f"{stem}.{fmt}", out.data, out.beside)


#: A workbook's bytes as the cache keeps them.
_BYTES: Codec[bytes] = Codec(bytes, bytes, binary=True)


def _kept_workbook(ws: OpenWorkspace, kind: str, public: Public[Any], make: Callable[[], Published]) -> Published:
    """A report's workbook (``make``), kept in the cache for the same report: a workbook is
    the slowest output to write (openpyxl makes an object for every cell: two seconds for the
    annual report of 100,000 cases) and it is made from its context alone, which passed the
    privacy gate. It is kept under a digest of that context (its classes and values:
    :func:`~hcode.store.cachefile.value_digest`), hcode's code and openpyxl's version, so any
    change to what the report says, or to the code that writes it, writes it afresh;
    ``--no-cache`` writes it afresh too."""
    import hashlib

    import openpyxl

    from hcode.render.published import Published
    from hcode.store.cachefile import SealedCache, value_digest
    from hcode.store.scan import code_fingerprint

    if not ws.store.use_cache:
        return make()
    try:
        said = value_digest(public.value)
    except Exception:  # a value the cache cannot keep: written afresh, as without the cache
        return make()
    key = hashlib.sha256(f"{kind}\x00{openpyxl.__version__}\x00{code_fingerprint()}\x00{said}".encode()).hexdigest()
    kept = SealedCache(ws.root, f"workbook-{kind}.pickle", _BYTES)
    found = kept.load(key)
    if found is not None:
        return Published(found)
    out = make()
    if isinstance(out.data, bytes) and not out.beside:
        kept.store(key, out.data)
    return out


# -- the TSM audit table -------------------------------------------------------------------------


@dataclass(frozen=True)
class TsmAudit:
    """The audit table for CH01 and CH02 (internal: it lists case ids): a :class:`TsmRow` per
    complaint stage considered (``rows``), the files that could not be read (``problems``) and
    those the table names as left out (``left_out``). Rows and files left out passed the
    privacy gate (``public``, ``public_left_out``: what the table's writer takes)."""

    year: str
    public: Public[list[TsmRow]]
    public_left_out: Public[list[LeftOut]]
    problems: list[Finding] = field(default_factory=list)

    @property
    def rows(self) -> list[TsmRow]:
        return self.public.value

    @property
    def left_out(self) -> list[LeftOut]:
        return self.public_left_out.value

    @property
    def table(self) -> list[dict[str, Any]]:
        """The rows as the table writes them (docs/reports.md)."""
        return [r.row() for r in self.rows]


_TSM_ROWS = rows_of(TsmRow)


def tsm_audit(
    ws: OpenWorkspace, year: str | None = None, as_of: date | None = None, *, refuse: bool = False
) -> TsmAudit:
    """Every complaint considered for CH01/CH02 in ``year`` (default: the workspace's default
    year as on ``as_of``), why it is in or out, and whether it was within timescale. When the
    year is chosen from the self-assessments, their problems are among ``problems``.
    :class:`InputUnusable` when a text of the table seems to hold personal data."""
    from hcode.core import metrics

    when = as_of or date.today()
    chosen = ws.year(year, when)
    problems = list(ws.store.assessments.problems) if year is None else []  # they may choose the year
    ctx = ws.context(when)
    settings = ws.settings

    period = metrics.year_period(chosen, settings)

    @collector_paused
    def audit(read: Any) -> list[TsmRow]:
        return metrics.tsm_audit(read.items, period)

    # the facts of the cases with a date in the year (the table lists no other), from where they were read
    mapper = partial(_counted_facts, (period,), False)
    rows, case_problems = ws.store.derived("tsm-audit", {"year": chosen}, ctx, audit, mapper, codec=_TSM_ROWS)
    problems += case_problems
    refuse_incomplete(problems, refuse, "the TSM audit table")
    what = "the TSM audit table"
    return TsmAudit(chosen, gated(ws, rows, what), gated(ws, left_out_rows(problems), what), problems)


# -- the TSM return -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TsmReturn:
    """The complaints part of the Regulator's TSM return for ``year`` (``figures``: each stock
    type's numerators and denominators under the return's wording, and the statement of target
    timescales used for CH02; docs/reports.md), and the files that could not be read. The
    figures passed the privacy gate (``public``: what the return's writer takes)."""

    year: str
    public: Public[TsmReturnFigures]
    problems: list[Finding] = field(default_factory=list)

    @property
    def figures(self) -> TsmReturnFigures:
        return self.public.value


_RETURN = Codec(TsmReturnFigures.json, TsmReturnFigures.of)


def tsm_return(
    ws: OpenWorkspace, year: str | None = None, as_of: date | None = None, *, refuse: bool = False
) -> TsmReturn:
    """CH01 and CH02 as the TSM return asks for them, as on ``as_of`` (default today).
    :class:`InputUnusable` when a text of the return seems to hold personal data."""
    from hcode.core import metrics

    when = as_of or date.today()
    chosen = ws.year(year, when)
    problems = list(ws.store.assessments.problems) if year is None else []
    ctx = ws.context(when)
    settings = ws.settings
    period = metrics.year_period(chosen, settings)

    figures, case_problems = ws.store.derived(
        "tsm-return",
        {"year": chosen, "combine": settings.tsm_combine},
        ctx,
        partial(_return_figures, ctx, chosen),
        partial(_counted_facts, (period,), False),  # the return counts only complaints made in the year
        codec=_RETURN,
    )
    refuse_incomplete(problems + case_problems, refuse, "the TSM return")
    return TsmReturn(chosen, gated(ws, figures, "the TSM return"), problems + case_problems)


@collector_paused
def _return_figures(ctx: Context, year: str, read: Any) -> TsmReturnFigures:
    """The TSM return of ``year`` from the facts of the cases it may count (``read.items``)."""
    from hcode.core import metrics, tsmreturn
    from hcode.core.editions import Editions

    settings = ctx.settings
    period = metrics.year_period(year, settings)
    fs = read.items
    doc = tsmreturn.tsm_return(fs, period, settings.homes_in(year), settings.tsm_combine)
    judging = ctx.judging
    names = tsmreturn.editions_used(fs, period)
    if isinstance(judging, Editions):
        codes = [c for c in (judging.get(n) for n in names) if c is not None] or [judging.default]
    else:
        codes = [judging]
    return replace(
        doc,
        timescales=tuple(tsmreturn.timescales(codes, settings.service_standards)),
        as_at=ctx.as_of.isoformat(),
        landlord=settings.landlord,
    )


# -- the export ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    """An :class:`ExportRow` per case (docs/export.md: the versioned column set), by date
    received, and the case files that could not be read. Internal data: case ids and staff
    references. The rows passed the privacy gate (``public``)."""

    public: Public[list[ExportRow]]
    problems: list[Finding] = field(default_factory=list)

    @property
    def rows(self) -> list[ExportRow]:
        return self.public.value


@dataclass(frozen=True)
class ExportTable:
    """The export written out in one format (``hcode export``), and the files left out.
    ``lines``: its UTF-8 bytes in pieces, each ending at a line end, to be written in turn (made
    safe as they are written: :func:`hcode.core.text.safe_pieces`; an
    :class:`~hcode.core.text.AsIs` when nothing in them needs it, found where each row was made
    and kept with them in the cache); ``text``: the whole of it."""

    format: str
    lines: Sequence[bytes | memoryview]
    problems: list[Finding] = field(default_factory=list)

    @property
    def text(self) -> str:
        return b"".join(self.lines).decode("utf-8")


def _export_row(case: Any, ctx: Any) -> ExportRow:
    """One case's row of the export (worker processes call this: the row travels back, not the
    record)."""
    return ExportRow(*_export_values(case, ctx))


def _export_values(case: Any, ctx: Any) -> list[Any]:
    """One case's row of the export as its values, in the order of the columns."""
    from hcode.core.exportrow import export_values
    from hcode.core.rules import case_milestones

    hazard = None
    if case.hazard is not None and ctx.hazards is not None:  # a hazard report's clocks
        from hcode.core.hazards import hazard_clocks

        hazard = hazard_clocks(case, ctx.hazards, ctx.calendar, ctx.as_of, ctx.soon)
    return export_values(case, case_milestones(case, ctx), hazard)


def _by_received(rows: list[ExportRow]) -> list[ExportRow]:
    return sorted(rows, key=lambda r: (r.received, r.id))


_EXPORT_ROWS = rows_of(ExportRow)


def export(ws: OpenWorkspace, as_of: date | None = None) -> Export:
    """Every case as a row of the export, as on ``as_of`` (default today). :class:`InputUnusable`
    when a text of the rows seems to hold personal data."""
    ctx = ws.context(as_of)
    rows, problems = ws.store.derived(
        "export-typed", {}, ctx, lambda read: _by_received(read.items), _export_row, codec=_EXPORT_ROWS
    )
    return Export(gated(ws, rows, "the export"), problems)


def gated(ws: OpenWorkspace, value: T, what: str) -> Public[T]:
    """``value`` through the privacy gate (:mod:`hcode.render.gate`), which every published
    output passes: personal data anywhere in it refuses ``what`` (:class:`InputUnusable`, exit
    3), naming the field and the file and line it was written at, never the value."""
    from hcode.render.gate import PrivacyRefused, gate

    try:
        return gate(value, ws.settings.contacts)
    except PrivacyRefused as exc:
        raise _refused(ws, exc, what) from None


def _refused(ws: OpenWorkspace, exc: PrivacyRefused, what: str) -> InputUnusable:
    """What the privacy gate refused, said without the value: the field, and the file and line
    it was written at."""
    where = ws.store.source_of(exc.value)
    source = f", written at {where[0]}:{where[1]}" if where else ""
    return InputUnusable(
        f"{what} was not written: {exc.field}{source} seems to hold {exc.what} (not shown)",
        "remove it from the file; if it is the landlord's own published contact, list it under contacts: in hcode.yaml",
    )


def _export_line(fmt: str, case: Any, ctx: Any) -> tuple[str, str, Screened]:
    """One case's row of the export in ``fmt``, where the case is read (a worker process for a
    large workspace): its place in the export (date received, id) and the line to write, through
    the privacy gate's rule there (:func:`hcode.render.published.screened_row`)."""
    from hcode.core.exportrow import NAMES
    from hcode.render.published import screened_row

    values = _export_values(case, ctx)
    line = screened_row("export", fmt, NAMES, values, ctx.settings.contacts)
    return case.received.isoformat(), case.id, line


def _lines(pieces: list[bytes | memoryview]) -> list[bytes | memoryview]:
    from hcode.core.text import AsIs

    return [b"=" if isinstance(pieces, AsIs) else b"?", *pieces]


def _kept_lines(data: Any) -> list[Any]:
    from hcode.core.text import AsIs

    if not isinstance(data, bytes | memoryview) or data[:1] not in (b"=", b"?"):
        raise TypeError("not the export's bytes")
    view = memoryview(data)[1:]
    return AsIs([view]) if data[:1] == b"=" else [view]


#: The export's pieces kept one after another (not joined first) after a byte that says whether
#: they are safe as they are (``=``: :class:`hcode.core.text.AsIs`), read back as one piece.
_EXPORT_LINES: Codec[list[Any]] = Codec(_lines, _kept_lines, binary=True)


def export_table(ws: OpenWorkspace, format: str, as_of: date | None = None, *, refuse: bool = False) -> ExportTable:
    """The export in ``format`` (csv or jsonl: see ``hcode export --format``). Each row is made,
    put through the privacy gate's rule and written where its case is read (the worker processes
    of a large workspace), then the rows are gated in the order written (the first refused one
    refuses the whole export) and the bytes kept in the cache for unchanged inputs, as large
    workspaces have many rows."""
    from hcode.core.exportrow import NAMES
    from hcode.render.gate import PrivacyRefused, gate, gate_screened
    from hcode.render.published import LINES, TABLES, table_lines, write_table

    if format not in TABLES["export"]:
        raise KeyError(format)
    ctx = ws.context(as_of)
    if format not in LINES:  # a format written as a whole table, not a row at a time
        whole = export(ws, as_of)
        refuse_incomplete(whole.problems, refuse, "the export")
        text = write_table("export", format, whole.public, NAMES, gated(ws, [], "the export"))
        return ExportTable(format, [text.encode("utf-8")], whole.problems)

    def lines(read: Any) -> list[bytes | memoryview]:
        items: list[tuple[str, str, Screened]] = read.items
        items.sort(key=itemgetter(0, 1))  # by date received (ISO dates sort as the dates), then id
        rows = [screened for _, _, screened in items]
        del items[:]  # the lines are held once, by ``rows``
        try:
            public = gate_screened(rows)
        except PrivacyRefused as exc:
            raise _refused(ws, exc, "the export") from None
        return table_lines("export", format, public, NAMES, gate([], ws.settings.contacts))

    written, problems = ws.store.derived(  # a cache file per format: neither evicts the other
        f"export-{format}", {"format": format}, ctx, lines, partial(_export_line, format), codec=_EXPORT_LINES
    )
    refuse_incomplete(problems, refuse, "the export")
    return ExportTable(format, written, problems)
