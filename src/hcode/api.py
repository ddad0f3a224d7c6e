"""hcode as a library: open a workspace, check it, list what is due, compute the annual figures.

The command line is built on these same functions (``hcode check``, ``hcode due`` and
``hcode report annual`` call them), so a script gets exactly the answers the commands print.
See docs/api.md. Everything here reads; nothing writes a workspace file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hcode.core.milestones import OPEN, Milestone
from hcode.core.model import Code, Finding, Settings

if TYPE_CHECKING:
    from hcode.core.rules import Context
    from hcode.core.rules.spec import Rule
    from hcode.store.api import Store
    from hcode.store.scan import Progress

_DUE_ORDER = {"overdue": 0, "due-soon": 1, "open": 2, "missed": 3, "met": 4}


@dataclass
class CheckResult:
    """What ``hcode check`` found: every finding in file order, and how many files were read."""

    as_of: date
    findings: list[Finding]
    files: int
    from_cache: int = 0

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


@dataclass(frozen=True)
class DueItem:
    """One milestone of ``hcode due``: ``left`` is the working days until it is due (negative
    when overdue; ``None`` once it is met or missed)."""

    milestone: Milestone
    left: int | None


@dataclass
class DueList:
    """What ``hcode due`` lists, overdue first, and the case files it could not read."""

    as_of: date
    items: list[DueItem]
    problems: list[Finding] = field(default_factory=list)

    def __iter__(self) -> Iterator[DueItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass
class DueRows:
    """:class:`DueList` as printed rows (``hcode due --format json``), and the unreadable files."""

    as_of: date
    rows: list[dict[str, Any]]
    problems: list[Finding] = field(default_factory=list)


@dataclass
class Annual:
    """The annual report's figures (as ``hcode report annual --format json`` prints them) and the
    case files that could not be read (the figures leave them out: see ``problems``)."""

    year: str
    figures: dict[str, Any]
    problems: list[Finding] = field(default_factory=list)

    @property
    def tsm(self) -> dict[str, Any]:
        """CH01 and CH02."""
        return dict(self.figures["tsm"])


def check_year(year: str) -> str:
    """``year`` if it is a reporting year like ``2024-25``, else ValueError (a
    :class:`hcode.core.years.YearError` saying what to write instead)."""
    from hcode.core.years import reporting_year

    return reporting_year(year).name


class Workspace:
    """An open workspace (see :func:`open_workspace`). Files are read when first needed."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def root(self) -> Path:
        return self.store.root

    @property
    def settings(self) -> Settings:
        return self.store.settings

    @property
    def code(self) -> Code:
        return self.store.code

    def context(self, as_of: date | None = None, soon: int | None = None) -> Context:
        return self.store.context(as_of or date.today(), soon)

    def check(self, as_of: date | None = None, *, soon: int | None = None) -> CheckResult:
        """Every finding for the self-assessments and every case, judged as on ``as_of``
        (default today), in a stable order; files that cannot be read are findings too."""
        from hcode.store.engine import run_check

        ctx = self.context(as_of, soon)
        result = run_check(self.store, ctx)
        found = self.figure_findings(ctx.as_of)
        findings = sorted([*result.findings, *found], key=Finding.sort_key) if found else result.findings
        return CheckResult(ctx.as_of, findings, result.files, result.from_cache)

    def figure_findings(self, as_of: date | None = None) -> list[Finding]:
        """The published figures in ``reports/YYYY-YY.yaml``: a figure that cannot be used is an
        error (``report.figure``; the file's other problems are ``schema`` or ``yaml`` errors);
        a figure that differs from the one computed from the case files is a warning
        (``report.figure-differs``). Every finding is located (file, line, column)."""
        from hcode.store.workspace import list_yaml_files

        files, listing = list_yaml_files(self.root, "reports", recursive=False, stat=False)
        out: list[Finding] = list(listing)
        for rel, _, _ in files:
            year = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            why = None if rel.endswith(".yaml") else ""
            try:
                check_year(year)
            except ValueError as exc:  # 2023-25 says what to write; other names need no more
                why = f" ({exc})" if re.fullmatch(r"\d{4}-\d{2}", year) else ""
            if why is not None:
                out.append(
                    Finding(
                        rule="file.name",
                        severity="warning",
                        subject=rel,
                        message=f"{rel} is not read: only reports/YYYY-YY.yaml files are{why}",
                        file=rel,
                        hint="name it after the reporting year it covers, such as reports/2024-25.yaml",
                    )
                )
                continue
            read = self.store.published_figures(year)
            out += read.problems
            if read.problems or not any(read.items[0].values()):
                continue
            annual = self.annual(year, as_of)
            for d in annual.figures["differences"]:
                out.append(
                    Finding(
                        rule="report.figure-differs",
                        severity="warning",
                        subject=rel,
                        message=f"{d['label']} ({d['period']}): entered {d['entered']}, "
                        f"but the case files give {d['computed']}",
                        file=rel,
                        path=("figures", d["period"], d["key"]),
                        hint="the report shows the computed figure: check the case files or the figure entered",
                    )
                )
        return self.store.locate(out)

    def due(
        self,
        as_of: date | None = None,
        *,
        within: int | None = None,
        all: bool = False,
        soon: int | None = None,
    ) -> DueList:
        """The open milestones (overdue first, then by due date), as on ``as_of`` (default today).
        ``within``: only what is due within N working days (overdue always shown); ``all``: also
        the milestones already met or missed."""
        ctx = self.context(as_of, soon)
        # without all, only the cases that may have something open: the cache knows the settled ones
        read = self.store.cases(ctx) if all else self.store.open_cases(ctx)
        found = [item for case in read.items for item in _due_items(case, ctx, open_only=not all)]
        found.sort(key=lambda pair: pair[0])
        items = [item for _, item in found if _within(item.milestone.status, item.left, within)]
        return DueList(ctx.as_of, items, list(read.problems))

    def due_rows(
        self,
        as_of: date | None = None,
        *,
        within: int | None = None,
        all: bool = False,
        soon: int | None = None,
    ) -> DueRows:
        """What :meth:`due` lists, as the rows ``hcode due --format json`` prints (DESIGN 5.3),
        computed in the worker processes and kept in the cache for unchanged inputs."""
        ctx = self.context(as_of, soon)
        name, mapper = ("due-all", _all_due_rows) if all else ("due", _open_due_rows)
        every, problems = self.store.derived(name, {}, ctx, _sorted_rows, mapper, open_only=not all)
        rows = [r for r in every if _within(r["status"], r["left"], within)]
        return DueRows(ctx.as_of, rows, problems)

    def default_year(self, today: date | None = None) -> str:
        """The newest self-assessment's year, else the last complete reporting year."""
        from hcode.core.years import year_containing

        assessed = self.store.assessments.items
        if assessed:
            return str(max(a.year for a in assessed))
        return year_containing(today or date.today(), self.settings.year_start).previous.name

    def annual(self, year: str | None = None, as_of: date | None = None) -> Annual:
        """The annual report's figures for ``year`` (default :meth:`default_year`), with CH01
        and CH02 under ``"tsm"``, as on ``as_of`` (default today). Kept in the cache for
        unchanged inputs."""
        from hcode.core import metrics

        chosen = check_year(year) if year is not None else self.default_year()
        ctx = self.context(as_of)
        this = self.store.published_figures(chosen)
        before = self.store.published_figures(metrics.previous_year(chosen))
        published, previous = this.items[0], before.items[0]

        def figures(read: Any) -> dict[str, Any]:
            facts = metrics.facts(read.items, ctx.judging, ctx.calendar, ctx.as_of)
            return metrics.annual(
                facts,
                chosen,
                self.settings,
                ctx.calendar,
                as_of=ctx.as_of,
                published=published,
                previous_published=previous,
            )

        params = {"year": chosen, "published": published, "previous_published": previous}
        computed, problems = self.store.derived(f"annual-{chosen}", params, ctx, figures)
        return Annual(chosen, computed, [*this.problems, *before.problems, *problems])


def milestone_row(m: Milestone, left: int | None) -> dict[str, Any]:
    """One milestone as ``hcode due --format json`` prints it (DESIGN 5.3)."""
    return {
        "case": m.case,
        "stage": m.stage,
        "event": m.event,
        "provision": m.provision,
        "from": m.start.isoformat(),
        "working_days": m.working_days if m.working else None,
        "due": m.due.isoformat(),
        "done": m.done.isoformat() if m.done else None,
        "status": m.status,
        "left": left,
        "edition": m.edition,
        "counted_from": m.start_event,
        "days": None if m.working else m.working_days,  # calendar days, where the edition counts them
        "confirmed": m.confirmed,
    }


def _within(status: str, left: int | None, within: int | None) -> bool:
    """Whether ``due --within`` shows it (overdue is always shown)."""
    return within is None or status == "overdue" or (left is not None and left <= within)


def _due_items(case: Any, ctx: Context, *, open_only: bool) -> list[tuple[list[Any], DueItem]]:
    """One case's milestones for ``due``, each with its place in the listing."""
    from hcode.core.rules import case_milestones

    out = []
    for m in case_milestones(case, ctx):
        if m.status not in OPEN and open_only:
            continue
        left = ctx.calendar.between(ctx.as_of, m.due) if m.status in OPEN else None
        out.append(([_DUE_ORDER[m.status], m.due.isoformat(), m.case, m.stage, m.event], DueItem(m, left)))
    return out


def _remedy_rows(case: Any, ctx: Context) -> list[tuple[list[Any], dict[str, Any]]]:
    """A complaint's remedy actions offered and not done on the as-of day that have a due date (a
    remedy must be followed through; one whose complaint or offering response comes after the
    as-of day is left out), as rows of ``due`` with ``event`` "remedy" and ``stage`` null. The
    provision is the judging edition's (2024 Code 7.3, 2022 Code 6.5), else the rule's name."""
    from hcode.core.rules.handling import remedy_due, remedy_provision

    out: list[tuple[list[Any], dict[str, Any]]] = []
    remedy = case.remedy
    judged = ctx.for_case(case)
    for i, a in enumerate(remedy.actions if remedy is not None else ()):
        due = remedy_due(case, a, ctx.as_of)
        if due is None:
            continue
        left = ctx.calendar.between(ctx.as_of, due)
        status = "overdue" if due < ctx.as_of else ("due-soon" if left <= ctx.soon else "open")
        row = {
            "case": case.id,
            "stage": None,
            "event": "remedy",
            "provision": remedy_provision(judged),
            "from": None,
            "working_days": None,
            "due": due.isoformat(),
            "done": None,
            "status": status,
            "left": left,
            "action": i + 1,
            "edition": judged.code.code,
        }
        out.append(([_DUE_ORDER[status], due.isoformat(), case.id, 9, f"remedy {i + 1:04d}"], row))
    return out


def _all_due_rows(case: Any, ctx: Context) -> list[tuple[list[Any], dict[str, Any]]]:
    """Worker processes call this (``due --all``): rows travel back, not records."""
    rows = [(key, milestone_row(i.milestone, i.left)) for key, i in _due_items(case, ctx, open_only=False)]
    return _with_case(case, rows + _remedy_rows(case, ctx))


def _open_due_rows(case: Any, ctx: Context) -> list[tuple[list[Any], dict[str, Any]]]:
    rows = [(key, milestone_row(i.milestone, i.left)) for key, i in _due_items(case, ctx, open_only=True)]
    return _with_case(case, rows + _remedy_rows(case, ctx))


def _with_case(case: Any, rows: list[tuple[list[Any], dict[str, Any]]]) -> list[tuple[list[Any], dict[str, Any]]]:
    """Each row with what ``due``'s filters choose by: the case's kind, received date, category
    and the handler of the row's stage (of the current stage for a remedy action)."""
    current = case.stage2 if case.stage2 is not None else case.stage1
    for _, row in rows:
        stage = case.stage1 if row["stage"] == 1 else case.stage2 if row["stage"] == 2 else current
        row["kind"] = case.kind
        row["received"] = case.received.isoformat()
        row["category"] = case.category
        row["handler"] = stage.handler if stage is not None else None
    return rows


def _sorted_rows(read: Any) -> list[dict[str, Any]]:
    """Every case's rows, overdue first, then by due date."""
    found = [pair for rows in read.items for pair in rows]
    found.sort(key=lambda pair: pair[0])
    return [row for _, row in found]


def open_workspace(
    path: str | Path | None = None,
    *,
    use_cache: bool = True,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Workspace:
    """The workspace at ``path``, or the nearest folder up from the current one holding
    ``hcode.yaml`` (as the commands find it). Raises :class:`hcode.WorkspaceError` when there is
    none or its ``hcode.yaml`` cannot be used."""
    from hcode.store.api import Store

    store = Store.open(
        Path(path) if path is not None else None, use_cache=use_cache, workers=workers, progress=progress
    )
    return Workspace(store)


def rules() -> tuple[Rule, ...]:
    """Every rule hcode checks, from the registry (see ``hcode rules``)."""
    from hcode.core.rules.registry import RULES

    return RULES
