"""``hcode rules``: every rule hcode checks, from the registry, with its documentation and examples."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from hcode.cli.common import EXIT_USAGE, WorkspaceOpt, app, echo, err, out

rules_app = typer.Typer(help="List the rules hcode checks, or explain one.", invoke_without_command=True)
app.add_typer(rules_app, name="rules")


class RulesFormat(StrEnum):
    text = "text"  # the name every command uses for terminal output
    table = "table"  # the same, under its earlier name
    md = "md"
    json = "json"


@rules_app.callback()
def rules_list(
    ctx: typer.Context,
    workspace: WorkspaceOpt = None,
    format: Annotated[RulesFormat, typer.Option("--format", "-f", help="table, md or json.")] = RulesFormat.table,
) -> None:
    """List every rule: its id (the Code provision where there is one), severity and what it checks.
    Ids are those of the workspace's Code edition (the current edition outside a workspace)."""
    if ctx.invoked_subcommand is not None:
        return
    from hcode.api.workspace import rules
    from hcode.cli.provisions import current_code
    from hcode.render.rules import listing, markdown_table, rules_doc

    RULES = rules()
    code = current_code(workspace)
    if format is RulesFormat.md:
        echo(markdown_table(RULES, code))
        return
    if format is RulesFormat.json:
        echo(json.dumps(rules_doc(RULES, code), indent=2, ensure_ascii=False), kind="json", nl=True)
        return
    table = Table(title=f"Rules ({code.code})")
    for col in ("Id", "Rule", "Severity", "What"):
        table.add_column(col, no_wrap=col != "What")
    for row in listing(RULES, code):
        table.add_row(*row)
    out().print(table)
    out().print("Explain one: hcode rules show ID", markup=False)


@rules_app.command("show")
def show(
    rule: Annotated[str, typer.Argument(help="A rule id (6.13) or name (different-handler).")],
    workspace: WorkspaceOpt = None,
) -> None:
    """What one rule checks, why, and a passing and a failing example."""
    from hcode.api.workspace import find_rule, rule_ids
    from hcode.cli.provisions import current_code
    from hcode.render.rules import explain

    code = current_code(workspace)
    found = find_rule(rule, code)
    if found is None:
        err().print(f"hcode: no rule {rule!r}", markup=False)
        err().print(f"hint: one of {', '.join(rule_ids(code))}", markup=False)
        raise typer.Exit(EXIT_USAGE)
    echo(explain(found, code))
