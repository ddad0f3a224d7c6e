"""The findings about the workspace's own catalogues, report file names and published figures
are made by rules in core (pure functions of what the store read), not by the store or the
application layer."""

from __future__ import annotations

from hcode.core.editions import Editions
from hcode.core.rules.files import (
    BrokenCatalogue,
    catalogue_findings,
    figure_differs_findings,
    report_name_finding,
)
from hcode.store.workspace import load_editions


def test_a_reports_file_is_read_only_under_a_reporting_years_name() -> None:
    assert report_name_finding("reports/2024-25.yaml") is None
    yml = report_name_finding("reports/2024-25.yml")
    assert yml is not None and (yml.rule, yml.severity, yml.file) == ("file.name", "warning", "reports/2024-25.yml")
    assert yml.message == "reports/2024-25.yml is not read: only reports/YYYY-YY.yaml files are"
    two_years = report_name_finding("reports/2023-25.yaml")
    assert two_years is not None and two_years.message.endswith("(2023-25 is not a reporting year: write 2023-24)")
    other = report_name_finding("reports/summary.yaml")
    assert other is not None and other.message.endswith("files are")


def test_a_figure_that_differs_is_a_located_warning() -> None:
    [f] = figure_differs_findings(
        "reports/2024-25.yaml",
        [
            {
                "label": "Stage 1 complaints received",
                "key": "stage1_received",
                "period": "year",
                "entered": "40",
                "computed": "41",
            }
        ],
    )
    assert (f.rule, f.severity, f.path) == ("report.figure-differs", "warning", ("figures", "year", "stage1_received"))
    assert f.message == "Stage 1 complaints received (year): entered 40, but the case files give 41"
    assert figure_differs_findings("reports/2024-25.yaml", []) == []


def test_catalogue_findings() -> None:
    editions: Editions = load_editions(None, "auto")
    found = catalogue_findings(
        [BrokenCatalogue("hoc-2030", None, "line 3: not a mapping", line=3)],
        ["provisions/hoc-2024.yml"],
        ["hoc-2024", "not-an-edition"],
        editions,
        [],
    )
    assert [(f.rule, f.severity, f.file) for f in found] == [
        ("code.catalogue", "error", "provisions/hoc-2030.yaml"),
        ("file.name", "warning", "provisions/hoc-2024.yml"),
        ("code.catalogue", "info", "provisions/hoc-2024.yaml"),
    ]
    assert found[0].hint == "fix provisions/hoc-2030.yaml, or delete it" and found[0].line == 3
    # an edition that judged something and has unconfirmed timescales is named, once
    judged = catalogue_findings([], [], [], editions, [])
    assert judged == []
    from hcode.core.model import Finding

    used = [Finding("5.1", "error", "C-1", "late", "cases/2023/C-1.yaml", edition="hoc-2022")]
    [unconfirmed] = catalogue_findings([], [], [], editions, used)
    assert (unconfirmed.rule, unconfirmed.subject, unconfirmed.file) == ("code.unconfirmed", "hoc-2022", "hcode.yaml")
