"""``check`` and ``baseline``: every rule over the whole workspace."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from hcode.api.errors import InputUnusable
from hcode.api.workspace import OpenWorkspace, write_file
from hcode.core.model import Finding, Settings, fails
from hcode.core.selection import Count, Tally
from hcode.review.baseline import Baseline
from hcode.store.workspace import CONFIG


@dataclass(frozen=True)
class CheckResult:
    """What ``hcode check`` found: every finding in file order (those a baseline accepts left
    out), and how many files were read."""

    as_of: date
    findings: list[Finding]
    files: int
    from_cache: int = 0
    accepted: int = 0  # findings the baseline accepted
    stale: list[dict[str, Any]] = field(default_factory=list)  # baseline entries that no longer occur
    notes: list[str] = field(default_factory=list)  # what the baseline's reading says (an old format)
    #: With the case files' findings as the cache kept them (``Store.check_cases``: its answer
    #: "check-run"), a digest of every other finding, in order: the findings are that answer's
    #: and these, so what is made from them alone may be kept (``OpenWorkspace.kept_lines``).
    #: None: not to be kept (a baseline applied, or the case files' findings not kept).
    kept_as: str | None = None

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def fails(self, fail_on: str, *, recorded: bool = False) -> bool:
        """Whether a finding still to act on is at least as severe as ``fail_on`` (error,
        warning; never: no). A recorded breach counts only with ``recorded``."""
        return any(fails(f, fail_on, recorded=recorded) for f in self.findings)


def read_baseline(path: Path) -> Baseline:
    """The entries of a baseline written by ``hcode baseline`` (:class:`InputUnusable` when the
    file cannot be read or is not a baseline)."""
    from hcode.review import baseline as baselines

    try:
        return baselines.parse(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputUnusable(f"cannot read the baseline {path}: {exc}") from None
    except baselines.BaselineError as exc:
        raise InputUnusable(f"{path}: {exc}", "write a new one with 'hcode baseline'") from None


def _all_findings(ws: OpenWorkspace, as_of: date, soon: int | None) -> tuple[list[Finding], int, int, str | None]:
    """Every finding for the workspace, in a stable order (file, line, column, rule): the
    assessments' problems and findings, every case through the store's scan, the editions' and
    the published figures'; with the files read, those served from the cache and
    :attr:`CheckResult.kept_as`."""
    from hcode.core.rules import check_assessments
    from hcode.core.rules.files import catalogue_findings, modified_code_findings

    store = ws.store
    ctx = ws.context(as_of, soon)
    assessments = store.assessments
    findings = list(assessments.problems)
    broken = {f.file for f in assessments.problems if f.file and f.file.startswith("assessments/")}
    findings += check_assessments(assessments.items, ctx, unreadable=len(broken), editions=store.assessment_editions)
    cases = store.check_cases(ctx)
    before = len(findings)
    findings += cases.findings
    catalogues, misnamed, redefined = store.catalogue_facts()
    findings += catalogue_findings(catalogues, misnamed, redefined, store.editions, cases.findings)
    findings += modified_code_findings(*store.code_facts())
    findings = store.locate(findings)
    findings += figure_findings(ws, ctx.as_of)
    findings += duty_findings(ws, ctx.as_of, findings)
    findings += store.published_text_findings()  # every text the privacy gate covers
    findings += _interrupted(ws)
    findings += store.locate(closure_findings(ws.settings))
    kept_as = None
    if store.answer_kept("check-run"):  # (locating leaves the order, and the case files' findings)
        kept_as = _digest(findings[:before] + findings[before + len(cases.findings) :])
    findings.sort(key=Finding.sort_key)
    return findings, store.files_read + cases.case_files, cases.from_cache, kept_as


def _digest(findings: list[Finding]) -> str | None:
    from hcode.store.cachefile import value_digest

    try:
        return value_digest(findings)
    except (TypeError, RecursionError, AttributeError):  # pragma: no cover - findings are plain values
        return None


def check(
    ws: OpenWorkspace,
    as_of: date | None = None,
    *,
    soon: int | None = None,
    baseline: Baseline | None = None,
) -> CheckResult:
    """Every finding for the self-assessments and every case, judged as on ``as_of`` (default
    today), in a stable order; files that cannot be read are findings too. ``baseline``: the
    entries of :func:`read_baseline`, whose findings are left out."""
    when = as_of or date.today()
    findings, files, from_cache, kept_as = _all_findings(ws, when, soon)
    if baseline is None:
        return CheckResult(when, findings, files, from_cache, kept_as=kept_as)
    from hcode.review import baseline as baselines

    applied = baselines.apply(findings, baseline)
    return CheckResult(when, applied.remaining, files, from_cache, applied.accepted, list(applied.stale), applied.notes)


def figure_findings(ws: OpenWorkspace, as_of: date | None = None) -> list[Finding]:
    """The published figures in ``reports/YYYY-YY.yaml``: a figure that cannot be used is an
    error (``report.figure``; the file's other problems are ``schema`` or ``yaml`` errors);
    a figure that differs from the one computed from the case files is a warning
    (``report.figure-differs``). Every finding is located (file, line, column)."""
    from hcode.api.reports import annual
    from hcode.core.rules.files import figure_differs_findings, report_name_finding
    from hcode.store.workspace import list_yaml_files

    files, listing = list_yaml_files(ws.root, "reports", recursive=False, stat=False)
    out: list[Finding] = list(listing)
    for rel, _, _ in files:
        misnamed = report_name_finding(rel)
        if misnamed is not None:
            out.append(misnamed)
            continue
        year = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        read = ws.store.published_figures(year)
        out += read.problems
        if read.problems or not any(read.items[0].values()):
            continue
        out += figure_differs_findings(rel, annual(ws, year, as_of).json["differences"])
    return ws.store.locate(out)


def duty_findings(ws: OpenWorkspace, as_of: date, already: list[Finding] | None = None) -> list[Finding]:
    """``duty.overdue`` and ``duty.date`` (:func:`hcode.core.rules.files.duty_findings`) for the
    duties ``hcode due`` lists, and a recorded date that is not a real day (an error, unless
    ``already`` holds it)."""
    from hcode.api.duties import year_duties
    from hcode.core.rules.files import duty_findings as judged

    listed = year_duties(ws, as_of)
    seen = already or []
    out = [p for p in listed.problems if p not in seen]
    assessed = {a.year: a.file for a in ws.store.assessments.items}
    out += judged(listed.duties, ws.store.report_years().items, assessed)
    return ws.store.locate(out)


def repo_prefix(root: Path) -> str:
    """The workspace's path inside its git repository ('' at the top or outside git)."""
    here = root.resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            rel = here.relative_to(folder).as_posix()
            return "" if rel == "." else rel + "/"
    return ""


@dataclass(frozen=True)
class BaselineWritten:
    """What ``hcode baseline`` recorded: how many findings, and where."""

    findings: int
    path: Path


def record_baseline(ws: OpenWorkspace, output: Path, as_of: date | None = None) -> BaselineWritten:
    """Record the findings as on ``as_of`` in ``output`` (relative to the workspace when it is a
    bare file name), so that a check with this baseline fails only on new ones."""
    from hcode.review import baseline as baselines

    result = check(ws, as_of)
    target = output if output.is_absolute() or output.parent != Path(".") else ws.root / output
    write_file(target, baselines.to_json(result.findings, result.as_of))
    return BaselineWritten(len(result.findings), target)


def choose(
    ws: OpenWorkspace,
    findings: list[Finding],
    *,
    rules: tuple[str, ...] = (),
    cases: tuple[str, ...] = (),
    since: date | None = None,
    year: str | None = None,
) -> list[Finding] | None:
    """The findings ``hcode check --rule --case --since --year`` asks for (None: all of them,
    nothing was chosen). ``year``: a reporting year as written (2024-25), following the
    workspace's ``year_start``; with ``since`` too, the later start counts."""
    from hcode.api.values import year_window
    from hcode.core.selection import Selection, select

    until = None
    if year is not None:
        start, until = year_window(year, ws.settings.year_start)
        since = start if since is None else max(since, start)
    chosen = Selection(rules, cases, since, until)
    if chosen.everything:
        return None
    return select(findings, chosen, ws.editions.codes, ws.code)


@dataclass(frozen=True)
class Shown:
    """The findings a check shows, and what its output says of how they were chosen: ``tally``,
    what the summary adds (shown of all, with --rule, --case, --since or --year; accepted and
    stale, with a baseline), and ``notes``, the lines for standard error."""

    findings: list[Finding]
    tally: Tally = field(default_factory=Tally)
    notes: list[str] = field(default_factory=list)


def shown(
    ws: OpenWorkspace,
    result: CheckResult,
    *,
    rules: tuple[str, ...] = (),
    cases: tuple[str, ...] = (),
    since: date | None = None,
    year: str | None = None,
    baseline: Path | None = None,
) -> Shown:
    """What ``hcode check`` shows of ``result``: the findings :func:`choose` picks, and the notes
    on the choice and on the ``baseline`` the result was judged against (its path)."""
    findings = result.findings
    tally = Tally()
    notes: list[str] = []
    chosen = choose(ws, findings, rules=rules, cases=cases, since=since, year=year)
    if chosen is not None:
        tally = replace(tally, shown=len(chosen), of=len(findings))
        notes.append(f"{len(chosen)} of {len(findings)} finding(s) chosen by --rule, --case, --since or --year")
        findings = chosen
    if baseline is not None:
        tally = replace(tally, accepted=result.accepted, stale=len(result.stale))
        notes.append(f"{result.accepted} finding(s) accepted by the baseline {baseline}")
        notes += result.notes
        for e in result.stale:
            notes.append(f"baseline entry no longer occurs: {e.get('file')}: {e.get('rule')}: {e.get('message')}")
    return Shown(findings, tally, notes)


def statistics(ws: OpenWorkspace, findings: list[Finding]) -> list[Count]:
    """``hcode check --statistics``: counts per rule and severity, the most frequent first."""
    from hcode.core.selection import statistics as counted

    return counted(findings, ws.editions.codes, ws.code)


def failing(findings: list[Finding], fail_on: str, *, recorded: bool = False) -> bool:
    """Whether ``findings`` fail a run with ``--fail-on`` (recorded breaches only with ``recorded``)."""
    return any(fails(f, fail_on, recorded=recorded) for f in findings)


def _interrupted(ws: OpenWorkspace) -> list[Finding]:
    """A journal a killed import left behind (``file.journal``): check never writes, so it names
    it; the next command that writes in the workspace completes or rolls it back."""
    from hcode.edit.journal import JOURNAL, pending

    doc = pending(ws.root)
    if doc is None:
        return []
    files = doc.get("files")
    count = len(files) if isinstance(files, list) else 0
    done = "completed" if doc.get("state") == "committing" else "rolled back"
    return [
        Finding(
            rule="file.journal",
            severity="warning",
            subject=JOURNAL,
            message=f"a write of {count} file(s) was interrupted; the next command that writes will finish it ({done})",
            file=JOURNAL,
            hint="run the import again (or any hcode command that writes) to settle it",
        )
    ]


#: Closure days in one calendar year past which check warns: each one stops every complaint's
#: clock, and a landlord closes for a few days a year (Christmas), not weeks.
SANE_CLOSURES = 15


def closure_findings(settings: Settings) -> list[Finding]:
    """``calendar.closures``: a calendar year with more closure days than :data:`SANE_CLOSURES`."""
    from collections import Counter

    by_year = Counter(d.year for d in settings.closures)
    return [
        Finding(
            rule="calendar.closures",
            severity="warning",
            subject=CONFIG,
            message=f"{count} closure days in {year}: each one stops every complaint's clock "
            f"(more than {SANE_CLOSURES} in a year is unusual)",
            file=CONFIG,
            path=("calendar", "closures"),
            key=True,
            hint="keep only the days the whole landlord is closed; the Code's timescales count every other working day",
        )
        for year, count in sorted(by_year.items())
        if count > SANE_CLOSURES
    ]
