"""The command line: parse options, build, execute, print. Only this package prints or exits.

Exit codes (every command): 0 ran and nothing at or above ``--fail-on``; 1 non-compliance
found; 2 usage error; 3 input unusable; 4 internal error (a bug); 5 a case step refused
(nothing written).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, overload

import typer
from rich.console import Console

from hcode import __version__

if TYPE_CHECKING:
    from hcode.core.model import Finding
    from hcode.store.api import Store

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT, EXIT_INTERNAL, EXIT_REFUSED = 0, 1, 2, 3, 4, 5
DEBUG_ENV = "HCODE_DEBUG"

app = typer.Typer(
    name="hcode",
    help="Check complaint handling against the Housing Ombudsman's Complaint Handling Code.",
    epilog="Exit codes: 0 ran, nothing to act on at or above --fail-on; 1 non-compliance to act on "
    "found; 2 usage error; 3 input unusable or a write refused; 4 internal error (a bug); "
    "5 a case step refused, nothing written (docs/ci.md).",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def plain_text_wanted() -> bool:
    """No styling at all (not even bold): NO_COLOR set (https://no-color.org), or a dumb terminal."""
    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"


class _SafeConsole(Console):
    """A console that escapes control and bidirectional characters in the text it prints and
    never starts a line with ``::`` (a GitHub Actions workflow command)."""

    def render_str(self, text: str, **kwargs: Any) -> Any:
        from hcode.core.text import safe_output

        return super().render_str(safe_output(text), **kwargs)


def echo(text: str, *, kind: str = "text", nl: bool = False) -> None:
    """Print a command's whole output (a report, JSON, a diff) made safe like :func:`out`
    (``kind``: json, csv or text; see :func:`hcode.core.text.safe_output`)."""
    from hcode.core.text import safe_output

    typer.echo(safe_output(text, kind=kind), nl=nl)


def _console(stderr: bool) -> Console:
    console = _SafeConsole(stderr=stderr, highlight=False, soft_wrap=True)
    if plain_text_wanted():
        # Rich's own NO_COLOR support drops colour but keeps bold and italic; no colour system
        # means no escape sequences of any kind.
        console = _SafeConsole(stderr=stderr, highlight=False, soft_wrap=True, color_system=None)
    from hcode.render.output import wraps_to_terminal

    if not wraps_to_terminal(console) and "COLUMNS" not in os.environ:
        # piped or in CI (even with FORCE_COLOR, which asks for colour only): do not squeeze
        # tables into 80 columns
        console.width = 160
    return console


class _TerminalBuffer(io.StringIO):
    """Output held for the pager: a terminal's, so it is coloured and wrapped as one."""

    def isatty(self) -> bool:
        return True


@contextlib.contextmanager
def paged(console: Console) -> Iterator[None]:
    """On a terminal, output longer than the screen goes through the pager, as git does:
    ``$HCODE_PAGER``, else ``$PAGER``, else ``less`` (with ``LESS=FRX`` unless LESS is set: it
    quits when the text fits, keeps colours and leaves the text on the screen). An empty value
    or ``cat`` turns it off; so does a pipe or a file (even with ``TTY_COMPATIBLE=1``, which asks
    for the terminal's layout only), or a pager that cannot be started (the text is then printed
    as it is)."""
    import shlex
    import shutil
    import subprocess

    from hcode.render.output import wraps_to_terminal

    command = os.environ.get("HCODE_PAGER", os.environ.get("PAGER", "less"))
    try:
        tty = bool(console.file.isatty())  # a real terminal: not TTY_COMPATIBLE=1 into a pipe
    except (AttributeError, OSError, ValueError):
        tty = False
    if not tty or not wraps_to_terminal(console) or not command.strip() or command.strip() == "cat":
        yield
        return
    real = console.file
    console.width = console.width  # measured on the terminal, kept while writing to the buffer
    held = _TerminalBuffer()
    console.file = held
    try:
        yield
    finally:
        console.file = real
    text = held.getvalue()
    argv = shlex.split(command)
    if text.count("\n") < console.height or not argv or shutil.which(argv[0]) is None:
        real.write(text)
        real.flush()
        return
    env = {**os.environ}
    env.setdefault("LESS", "FRX")
    try:
        subprocess.run(argv, input=text.encode("utf-8"), env=env, check=False)
    except OSError:
        real.write(text)
        real.flush()


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


def write_out(path: Path, data: str | bytes) -> None:
    """Write an ``-o`` file (atomically if it is a regular file, through it if it is a device,
    FIFO or symbolic link, as shell redirection does); a folder or a missing folder exits 3."""
    from hcode.edit.fileio import WriteRefused, write_output

    try:
        write_output(path, data)
    except WriteRefused as exc:
        fail_input(exc.message, exc.hint)


def parse_date(value: str | None, option: str = "--as-of") -> date | None:
    from hcode.core.calendar import out_of_range

    if value is None:
        return None
    try:
        found = date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value[:40]!r} is not a date: write YYYY-MM-DD", param_hint=option) from None
    why = out_of_range(found)
    if why is not None:
        raise typer.BadParameter(why, param_hint=option)
    return found


@overload
def parse_year(value: str, option: str = ...) -> str: ...
@overload
def parse_year(value: None, option: str = ...) -> None: ...
@overload
def parse_year(value: str | None, option: str = ...) -> str | None: ...
def parse_year(value: str | None, option: str = "--year") -> str | None:
    """A reporting year given on the command line, checked (usage error, exit 2, saying what to
    write: "2023-25 is not a reporting year: write 2023-24"), as written like 2024-25."""
    from hcode.core.years import YearError, reporting_year

    if value is None:
        return None
    try:
        return reporting_year(value).name
    except YearError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


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


NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Read every file afresh and leave the cache alone.")]
WorkersOpt = Annotated[
    int | None,
    typer.Option("--workers", min=1, help="Processes for large workspaces (default: one per core)."),
]
SkipBrokenOpt = Annotated[
    bool,
    typer.Option(
        "--skip-broken",
        help="Go on when files cannot be read: leave them out and name them in the output (default: refuse, exit 3).",
    ),
]

# The filters of ``due`` and ``case list`` (hcode.core.selection.RowFilter).
OverdueOpt = Annotated[bool, typer.Option("--overdue", help="Only what is overdue.")]
ReceivedYearOpt = Annotated[
    str | None,
    typer.Option("--year", metavar="YYYY-YY", help="Only cases received in this reporting year, e.g. 2024-25."),
]
CategoryOpt = Annotated[str | None, typer.Option("--category", help="Only this category.")]
HandlerOpt = Annotated[str | None, typer.Option("--handler", help="Only this handler (staff reference).")]
KindOpt = Annotated[
    str | None, typer.Option("--kind", metavar="KIND", help="Only this kind: complaint or service-request.")
]


def row_filter(
    root_settings: Any,
    *,
    open_only: bool = False,
    overdue: bool = False,
    year: str | None = None,
    category: str | None = None,
    handler: str | None = None,
    kind: str | None = None,
) -> Any:
    """The :class:`hcode.core.selection.RowFilter` the options ask for (a bad year: exit 2)."""
    from hcode.core.selection import RowFilter
    from hcode.core.years import reporting_year

    if kind is not None and kind not in ("complaint", "service-request"):
        raise typer.BadParameter(f"{kind!r} is not complaint or service-request", param_hint="'--kind'")
    received = None
    if year is not None:
        chosen = reporting_year(parse_year(year))
        received = (chosen.start(root_settings.year_start), chosen.end(root_settings.year_start))
    return RowFilter(open_only, overdue, received, category, handler, kind)


PROGRESS_AFTER = 1.0  # seconds of reading before a progress bar is worth showing


class ProgressBar:
    """A progress callback for the store: a Rich bar on standard error, shown only when that is
    a real terminal (not a pipe, nor a CI log with FORCE_COLOR set) and only once the work has
    taken more than about a second and is not finished."""

    def __init__(self, label: str = "reading case files") -> None:
        from hcode.render.output import wraps_to_terminal

        self.label = label
        self.console = err()
        self.shown = wraps_to_terminal(self.console)  # a real terminal: not a CI log with FORCE_COLOR
        self.bar: Any = None
        self.task: Any = None
        self.done = 0
        self.started: float | None = None

    def __call__(self, advance: int, total: int) -> None:
        import time

        if not self.shown:
            return
        if self.bar is None:
            now = time.monotonic()
            if self.started is None:
                self.started = now
            self.done += advance
            if now - self.started < PROGRESS_AFTER or self.done >= total:
                return  # nothing shown for a run of about a second or less
            advance = 0
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn(self.label),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )
            self.task = self.bar.add_task("read", total=total)
            self.bar.start()
        self.done += advance
        self.bar.update(self.task, completed=self.done)
        if self.done >= total:
            self.bar.stop()
            self.bar = None
            self.started = None
            self.done = 0


def open_store(arg: Path | None, opt: Path | None, *, use_cache: bool = True, workers: int | None = None) -> Store:
    """Open the workspace through the store, or exit 3 with a clear message if it is unusable."""
    from hcode.store.api import Store
    from hcode.store.workspace import WorkspaceError

    root = workspace_root(arg, opt)
    try:
        return Store.open(root, use_cache=use_cache, workers=workers, progress=ProgressBar())
    except WorkspaceError as exc:
        fail_input(f"{root}: {exc}", exc.hint)


def dump_json(doc: Any, *, floats: bool = True) -> str:
    """Exactly ``json.dumps(doc, indent=2)``, many times faster on large documents: orjson writes
    the same layout, and is used whenever its bytes are printable ASCII with no float (where the
    two could differ: json escapes DEL, 0x7f, and orjson does not); otherwise json itself.
    ``floats=False``: the caller's document holds no float by construction (``hcode due``'s
    rows: a test keeps it so), so the search for one is skipped."""
    import json

    import orjson

    try:
        data = orjson.dumps(doc, option=orjson.OPT_INDENT_2)
    except TypeError:
        return json.dumps(doc, indent=2)
    if data.isascii() and b"\x7f" not in data and not (floats and _has_float(doc)):
        return data.decode("ascii")
    return json.dumps(doc, indent=2)


def _has_float(value: Any) -> bool:
    """Whether a float occurs anywhere in ``value`` (iteratively: documents of a million values)."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str or kind is int or kind is bool or item is None:
            continue
        if isinstance(item, float):
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


def where(f: Finding) -> str:
    """``file:line:col`` of a finding (as much of it as is known)."""
    text = f.file or f.subject
    if f.line:
        text += f":{f.line}"
        if f.column:
            text += f":{f.column}"
    return text


def left_out_rows(problems: list[Finding]) -> list[dict[str, Any]]:
    """The files left out of an output, one row each (file, line, column, problem)."""
    from hcode.store.api import Records

    return [
        {"file": f.file or f.subject, "line": f.line, "column": f.column, "problem": f.message}
        for f in Records([], problems).left_out()
    ]


def refuse_or_name(problems: list[Finding], skip_broken: bool, what: str) -> list[dict[str, Any]]:
    """What a command that publishes or counts does with files it cannot read.

    Without ``--skip-broken``: name each problem on standard error and exit 3. With it: name each
    file left out on standard error and return them, for the output to name too."""
    if not problems:
        return []
    console = err()
    rows = left_out_rows(problems)
    if not skip_broken:
        for f in sorted(problems, key=lambda p: p.sort_key()):
            console.print(f"{where(f)}: {f.message}" + (f" (hint: {f.hint})" if f.hint else ""), markup=False)
        fail_input(
            f"{len(rows)} file(s) cannot be read, so {what} would be incomplete; nothing was written",
            "fix the files (hcode check shows every problem), or run again with --skip-broken to leave "
            "them out and name them in the output",
        )
    for row in rows:
        console.print(f"hcode: left out {row['file']}: {row['problem']}", markup=False)
    return rows


def warn_left_out(problems: list[Finding], what: str) -> None:
    """Name on standard error each file a listing leaves out (``due``, ``case list``)."""
    rows = left_out_rows(problems)
    if not rows:
        return
    console = err()
    for row in rows:
        console.print(f"hcode: warning: {what} leaves out {row['file']}: {row['problem']}", markup=False)
    console.print(f"hint: {len(rows)} file(s) cannot be read; 'hcode check' shows every problem", markup=False)


def version_callback(value: bool) -> None:
    if value:
        print(f"hcode {__version__}")
        raise typer.Exit(EXIT_OK)


def _plain_choice_errors() -> None:
    """Typer (0.2x) validates choices with pydantic and passes on its wording: "Invalid value for
    '--outcome': Value error, 'resolved' is not one of ...". Drop pydantic's "Value error, " so
    the message reads as plain English (tests/test_cli_uniform.py keeps this true)."""
    import re

    try:
        from typer import _coercion
    except ImportError:  # another Typer: its messages are its own
        return
    original = getattr(_coercion, "get_error_msg", None)
    if original is None or getattr(original, "__hcode__", False):
        return

    def get_error_msg(exc: Any) -> str:
        return re.sub(r"(^|; )Value error, ", r"\1", str(original(exc)))

    get_error_msg.__hcode__ = True  # type: ignore[attr-defined]
    setattr(_coercion, "get_error_msg", get_error_msg)  # noqa: B010  (a private name of Typer)


_plain_choice_errors()


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
    from hcode.cli import (  # noqa: F401
        assessment,
        case,
        check,
        due,
        importing,
        init,
        provisions,
        reports,
        review,
        rules,
        workdays,
    )


_register()


def _stdout_usable() -> bool:
    try:
        os.fstat(1)
    except OSError:
        return False
    return sys.stdout is not None


def _silence_stdout() -> None:
    """After a failed write to standard output, stop Python retrying it at exit."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)


def _os_failure(exc: OSError) -> NoReturn:
    """A read or write the operating system refused (disk full, read-only, closed output): say
    what failed and exit 3."""
    import errno

    what = f"cannot write or read {exc.filename}" if exc.filename else "cannot write the output"
    if exc.filename is None:
        _silence_stdout()
    reason = exc.strerror or errno.errorcode.get(exc.errno or 0, "") or type(exc).__name__
    hint = {
        errno.ENOSPC: "the disk is full: free some space and run the command again",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "check the file's permissions",
        errno.EPIPE: "the program reading hcode's output stopped early",
    }.get(exc.errno or 0, "")
    with contextlib.suppress(OSError, ValueError):  # no stderr either: nothing more to say
        print(f"hcode: {what}: {reason}" + (f" ({hint})" if hint else ""), file=sys.stderr)
    sys.exit(EXIT_INPUT)


def main(argv: list[str] | None = None) -> NoReturn:
    """Console entry point: run the app and turn unexpected errors into exit code 4 (and what the
    operating system refused - a full disk, a read-only file system, closed output - into 3)."""
    if not _stdout_usable():
        print("hcode: standard output is closed; nothing was done", file=sys.stderr)
        sys.exit(EXIT_INPUT)
    code = EXIT_OK
    try:
        app(args=argv, prog_name="hcode")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt:
        print("hcode: interrupted", file=sys.stderr)
        sys.exit(130)
    except OSError as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        _os_failure(exc)
    except Exception as exc:  # a bug: one line, and how to see more
        if os.environ.get(DEBUG_ENV):
            raise
        print(
            f"hcode: internal error ({type(exc).__name__}); this is a bug in hcode. "
            f"Run again with {DEBUG_ENV}=1 to see the traceback.",
            file=sys.stderr,
        )
        sys.exit(EXIT_INTERNAL)
    try:
        sys.stdout.flush()
    except OSError as exc:
        _os_failure(exc)
    sys.exit(code)
