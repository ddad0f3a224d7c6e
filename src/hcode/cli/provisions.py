"""``hcode provisions``: the Code itself, in the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from hcode.api.values import Code, Provision
from hcode.cli.common import WorkspaceOpt, app, dump_json, echo, fail, out

provisions_app = typer.Typer(help="Show the Complaint Handling Code's provisions.", no_args_is_help=True)
app.add_typer(provisions_app, name="provisions")


CodeNameOpt = Annotated[
    str | None,
    typer.Option("--code", help="The Code edition (hoc-2020, hoc-2022, hoc-2024); default: the workspace's."),
]


def current_code(workspace: Path | None, name: str | None = None) -> Code:
    """The Code edition ``name``, else the workspace's (see :func:`hcode.api.workspace.current_code`);
    exit 3 when it cannot be used."""
    from hcode.api.errors import UseCaseError
    from hcode.api.workspace import current_code as find_code

    try:
        return find_code(workspace, name)
    except UseCaseError as exc:
        fail(exc)


def _timescale(code: Code, p: Provision) -> str:
    """The clocks a provision sets, as the catalogue's ``timescales:`` gives them."""
    found = [t for t in code.clocks if t.provision == p.id]
    return "; ".join(f"stage {t.stage} {t.event}: {t.describe()}" for t in found)


@provisions_app.command("list")
def list_(workspace: WorkspaceOpt = None, code_name: CodeNameOpt = None) -> None:
    """List every provision with the start of its text."""
    code = current_code(workspace, code_name)
    table = Table(
        title=f"{code.title} ({code.code}, effective {code.effective})",
        show_lines=False,
        expand=False,
    )
    table.add_column("Provision", no_wrap=True)
    table.add_column("Requirement")
    table.add_column("Timescale")
    for section in code.sections:
        table.add_section()
        table.add_row(f"{section.number}", f"[bold]Section {section.number}: {section.title}[/bold]", "")
        for p in section.provisions:
            first = p.text.split("\n")[0]
            short = first if len(first) <= 90 else first[:87] + "..."
            mark = "" if p.assessed else " (not assessed)"
            if p.level:
                mark += f" [{p.level}]"
            table.add_row(p.id, short + mark, _timescale(code, p))
        if section.unconfirmed:
            table.add_row("", f"Not confirmed: {section.unconfirmed}", "")
    out().print(table)
    out().print(f"Self-assessment form: {code.form.title or code.form.layout}, answered {code.form.answers_text}.")


@provisions_app.command("show")
def show(
    provision: Annotated[str, typer.Argument(help="Provision number, e.g. 6.3.")],
    workspace: WorkspaceOpt = None,
    code_name: CodeNameOpt = None,
) -> None:
    """Print one provision in full."""
    code = current_code(workspace, code_name)
    p = code.provisions.get(provision)
    if p is None:
        raise typer.BadParameter(f"{code.code} has no provision {provision}", param_hint="PROVISION")
    section = next(s for s in code.sections if s.number == p.section)
    console = out()
    console.print(
        f"{code.code} {p.id} - Section {section.number}: {section.title}" + (f" ({p.group})" if p.group else ""),
        markup=False,
    )
    console.print()
    console.print(p.text, markup=False)
    clocks = _timescale(code, p)
    if clocks:
        console.print()
        console.print("Timescale: " + clocks, markup=False)
    if p.level:
        console.print()
        console.print(f"Form row: a '{p.level}' requirement.", markup=False)
    if p.answer == "text":
        console.print()
        console.print("Answered in words (a figure or a description), not Yes or No.", markup=False)
    if p.unconfirmed:
        console.print()
        console.print(f"Not confirmed: {p.unconfirmed}", markup=False)
    if not p.assessed:
        console.print()
        console.print("Not part of the self-assessment form.", markup=False)


@provisions_app.command("diff")
def diff(
    old: Annotated[str, typer.Argument(help="The earlier edition, e.g. hoc-2022.")],
    new: Annotated[str, typer.Argument(help="The later edition, e.g. hoc-2024.")],
    workspace: WorkspaceOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """What changed between two editions: each earlier provision kept, reworded, renumbered or
    removed, and the later edition's provisions that are new, from the mapping kept as data
    (provisions/mappings/OLD-NEW.yaml). Rows that are hcode's reading rather than evident
    from the text are marked."""
    from hcode.api.errors import UseCaseError
    from hcode.api.workspace import edition_changes

    if fmt not in ("text", "json"):
        raise typer.BadParameter("choose text or json", param_hint="--format")
    try:
        found = edition_changes(workspace, old, new)
    except UseCaseError as exc:
        fail(exc)
    a, b, changes, gaps = found.old, found.new, found.changes, found.gaps
    if fmt == "json":
        doc = {
            "from": a.code,
            "to": b.code,
            "mapping": found.mapping_file,
            "changes": [
                {
                    "change": c.kind,
                    "from": c.old,
                    "to": c.new,
                    "wording_changed": c.wording,
                    "confirmed": c.unconfirmed is None and c.kind not in ("added", "not-mapped"),
                    "unconfirmed": c.unconfirmed,
                }
                for c in changes
            ],
            "gaps": list(gaps),
        }
        echo(dump_json(doc), kind="json", nl=True)  # made safe like every JSON output
        return
    counts: dict[str, int] = {}
    for c in changes:
        counts[c.label] = counts.get(c.label, 0) + 1
    table = Table(title=f"{a.code} -> {b.code} ({found.mapping_file})", expand=False)
    table.add_column(a.code, no_wrap=True)
    table.add_column(b.code, no_wrap=True)
    table.add_column("Change")
    table.add_column("Note")
    for c in changes:
        note = f"hcode's reading: {c.unconfirmed}" if c.unconfirmed else ""
        if c.kind == "added" and gaps:
            note = f"no confirmed {a.code} row leads here"
        table.add_row(c.old or "", c.new or "", c.label, note)
    console = out()
    console.print(table)
    console.print(", ".join(f"{n} {label}" for label, n in counts.items()) + ".", markup=False)
    if gaps:
        console.print(
            f"Some rows of {a.code if any(s.unconfirmed for s in a.sections) else b.code} could not be sourced, "
            "so 'added' may include provisions that an unsourced row leads to.",
            markup=False,
        )
