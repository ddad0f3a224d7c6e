"""The command line: parse options, build, execute, print. Only this package prints or exits.

Exit codes (every command): 0 ran and nothing at or above ``--fail-on``; 1 non-compliance
found; 2 usage error; 3 input unusable; 4 internal error (a bug).
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console

from hcode import __version__

if TYPE_CHECKING:
    from hcode.store.workspace import Loaded

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3, 4
DEBUG_ENV = "HCODE_DEBUG"

app = typer.Typer(
    name="hcode",
    help="Check complaint handling against the Housing Ombudsman's Complaint Handling Code.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _console(stderr: bool) -> Console:
    console = Console(stderr=stderr, highlight=False, soft_wrap=True)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 160  # piped or in CI: do not squeeze tables into 80 columns
    return console


def out() -> Console:
    """Standard output (Rich honours NO_COLOR and drops colour when piped)."""
    return _console(stderr=False)


def err() -> Console:
    return _console(stderr=True)


def fail_input(message: str, hint: str | None = None) -> NoReturn:
    """Report an unusable input and exit 3."""
    console = err()
    console.print(f"hcode: {message}", markup=False)
    if hint:
        console.print(f"hint: {hint}", markup=False)
    raise typer.Exit(EXIT_INPUT)


def parse_date(value: str | None, option: str = "--as-of") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date: write YYYY-MM-DD", param_hint=option) from None


def today() -> date:
    return date.today()


WorkspaceArg = Annotated[
    Path | None,
    typer.Argument(
        help="Workspace folder (default: the nearest folder up holding hcode.yaml).",
        show_default=False,
    ),
]
WorkspaceOpt = Annotated[Path | None, typer.Option("--workspace", "-w", help="Workspace folder (same as WORKSPACE).")]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE", help="Judge as on this date (YYYY-MM-DD; default today)."),
]


def workspace_root(arg: Path | None, opt: Path | None) -> Path:
    """The workspace folder named on the command line, or found from the current folder."""
    from hcode.store.workspace import WorkspaceError, find_root

    try:
        return find_root(opt or arg)
    except WorkspaceError as exc:
        fail_input(str(exc), exc.hint)


def load_workspace(arg: Path | None, opt: Path | None, *, cases: bool = True) -> Loaded:
    """Read the workspace, or exit 3 with a clear message if it is unusable."""
    from hcode.store.workspace import WorkspaceError, load

    root = workspace_root(arg, opt)
    try:
        return load(root, cases=cases)
    except WorkspaceError as exc:
        fail_input(f"{root}: {exc}", exc.hint)


def version_callback(value: bool) -> None:
    if value:
        print(f"hcode {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            callback=version_callback,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Check complaint handling against the Housing Ombudsman's Complaint Handling Code."""


def _register() -> None:
    from hcode.cli import case, check, due, init, provisions, reports, review, workdays  # noqa: F401


_register()


def main(argv: list[str] | None = None) -> NoReturn:
    """Console entry point: run the app and turn unexpected errors into exit code 4."""
    try:
        app(args=argv, prog_name="hcode")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        print("hcode: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # a bug: one line, and how to see more
        if os.environ.get(DEBUG_ENV):
            raise
        print(
            f"hcode: internal error ({type(exc).__name__}); this is a bug in hcode. "
            f"Run again with {DEBUG_ENV}=1 to see the traceback.",
            file=sys.stderr,
        )
        sys.exit(EXIT_INTERNAL)
    sys.exit(EXIT_OK)
