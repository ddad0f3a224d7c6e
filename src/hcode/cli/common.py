"""What every command shares: the app commands register on, the consoles, the common options,
and the ways a command reports a problem and exits.

Exit codes (every command): 0 ran and nothing at or above ``--fail-on``; 1 non-compliance
found; 2 usage error; 3 input unusable; 4 internal error (a bug).
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, overload

import typer
from rich.console import Console

if TYPE_CHECKING:
    from hcode.api.errors import HcodeError
    from hcode.api.values import Finding, Selection
    from hcode.api.workspace import OpenWorkspace

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
    """A console that escapes control and bidirectional characters in the text it prints, never
    starts a line with a GitHub Actions workflow command, and never reads text as Rich markup or
    emoji codes: every string it prints (a message, a table's title or cell) passes here, so a
    landlord name holding ``[/red]`` is printed as written. Styling is given as ``Text`` styles."""

    def render_str(self, text: str, **kwargs: Any) -> Any:
        from hcode.render.output import safe_output

        kwargs["markup"] = False
        kwargs["emoji"] = False
        return super().render_str(safe_output(text), **kwargs)


def echo(text: str, *, kind: str = "text", nl: bool = False) -> None:
    """Print a command's whole output (a report, JSON, a diff) made safe like :func:`out`
    (``kind``: json, csv or text; see :func:`hcode.core.text.safe_output`)."""
    from hcode.render.output import safe_output

    typer.echo(safe_output(text, kind=kind), nl=nl)


def echo_pieces(pieces: Iterable[bytes | memoryview], *, kind: str) -> None:
    """Print a large output given as UTF-8 pieces, each ending at a line end, made safe as
    :func:`echo` makes the whole of it, a part at a time (:func:`hcode.core.text.safe_pieces`):
    the bytes of a part with nothing to change as they are, else its text made safe."""
    from hcode.render.output import safe_pieces

    for part in safe_pieces(pieces, kind=kind):
        typer.echo(part, nl=False)


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
    from hcode.api.errors import UseCaseError
    from hcode.api.workspace import write_file

    try:
        write_file(path, data)
    except UseCaseError as exc:
        fail_input(exc.message, exc.hint)


def parse_date(value: str | None, option: str = "--as-of") -> date | None:
    from hcode.api.values import read_date

    if value is None:
        return None
    try:
        return read_date(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


@overload
def parse_year(value: str, option: str = ...) -> str: ...
@overload
def parse_year(value: None, option: str = ...) -> None: ...
@overload
def parse_year(value: str | None, option: str = ...) -> str | None: ...
def parse_year(value: str | None, option: str = "--year") -> str | None:
    """A reporting year given on the command line, checked (usage error, exit 2, saying what to
    write: "2023-25 is not a reporting year: write 2023-24"), as written like 2024-25."""
    from hcode.api.values import read_year

    if value is None:
        return None
    try:
        return read_year(value)
    except ValueError as exc:
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
    from hcode.api.workspace import WorkspaceError, find_workspace

    try:
        return find_workspace(opt or arg)
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

# The filters of ``due`` and ``case list`` (hcode.core.selection.Selection, through
# hcode.api.values.listing_selection: an unknown category, kind or year exits 2 naming those known).
OpenOpt = Annotated[bool, typer.Option("--open", help="Only what is still to be done.")]
OverdueOpt = Annotated[bool, typer.Option("--overdue", help="Only what is overdue.")]
ReceivedYearOpt = Annotated[
    str | None,
    typer.Option("--year", metavar="YYYY-YY", help="Only cases received in this reporting year, e.g. 2024-25."),
]
CategoryOpt = Annotated[
    list[str] | None, typer.Option("--category", help="Only this category (may be repeated).", show_default=False)
]
HandlerOpt = Annotated[
    list[str] | None,
    typer.Option("--handler", help="Only this handler's (staff reference; may be repeated).", show_default=False),
]
KindOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        metavar="KIND",
        help="Only this kind: complaint, service-request or hazard (may be repeated).",
        show_default=False,
    ),
]


def listing_selection(
    ws: OpenWorkspace,
    *,
    open_only: bool = False,
    overdue: bool = False,
    year: str | None = None,
    category: list[str] | None = None,
    handler: list[str] | None = None,
    kind: list[str] | None = None,
) -> Selection:
    """The rows of ``due`` or ``case list`` the options choose (an unknown value: exit 2)."""
    from hcode.api.errors import ParameterError
    from hcode.api.values import listing_selection as chosen

    try:
        return chosen(
            ws.settings,
            open_only=open_only,
            overdue=overdue,
            year=year,
            categories=category or (),
            handlers=handler or (),
            kinds=kind or (),
        )
    except ParameterError as exc:
        fail(exc)


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


class _TerminalBuffer(io.StringIO):
    """Output held for the pager: a terminal's, so it is coloured and wrapped as one."""

    def isatty(self) -> bool:
        return True


def pager_command(console: Console, enabled: bool = True) -> list[str] | None:
    """The pager a long listing goes through, as git does: ``$HCODE_PAGER``, else ``$PAGER``,
    else ``less``; None where no pager applies: not ``enabled`` (``--no-pager``), an empty value
    or ``cat``, a pipe or a file (even with ``TTY_COMPATIBLE=1``, which asks for the terminal's
    layout only), or a pager that is not installed."""
    import shlex
    import shutil

    from hcode.render.output import wraps_to_terminal

    command = os.environ.get("HCODE_PAGER", os.environ.get("PAGER", "less"))
    try:
        tty = bool(console.file.isatty())  # a real terminal: not TTY_COMPATIBLE=1 into a pipe
    except (AttributeError, OSError, ValueError):
        tty = False
    if not enabled or not tty or not wraps_to_terminal(console) or command.strip() in ("", "cat"):
        return None
    try:
        argv = shlex.split(command)
    except ValueError:
        return None
    return argv if argv and shutil.which(argv[0]) is not None else None


@contextlib.contextmanager
def paged(console: Console, enabled: bool = True) -> Iterator[None]:
    """On a terminal, output longer than the screen goes through the pager (:func:`pager_command`;
    with ``LESS=FRX`` unless LESS is set: it quits when the text fits, keeps colours and leaves
    the text on the screen). Where none applies, or it cannot be started, the text is printed
    as it is."""
    import subprocess

    argv = pager_command(console, enabled)
    if argv is None:
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
    if text.count("\n") < console.height:
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


NoPagerOpt = Annotated[
    bool,
    typer.Option("--no-pager", help="Never page: on a terminal, a long listing is cut to the screen (see --limit)."),
]
LimitOpt = Annotated[
    int | None,
    typer.Option(
        "--limit",
        min=0,
        metavar="N",
        help="Show at most N rows, then how many more (0: all). Default: all, but on a terminal "
        "with no pager only what fits on the screen.",
        show_default=False,
    ),
]

#: Lines of the screen a listing cut to fit leaves for what is not a row: its title, the header
#: and its rule, the line saying how many more, and the shell's prompt.
_AROUND_ROWS = 5


def rows_shown(console: Console, total: int, limit: int | None, *, pager: bool = True) -> int:
    """How many of a listing's ``total`` rows to show: ``--limit`` (0: all); without one, all of
    them, except on a terminal where no pager applies (``pager`` False is ``--no-pager``), what
    fits on the screen."""
    from hcode.render.listings import limited
    from hcode.render.output import wraps_to_terminal

    if limit is not None:
        return limited(total, limit)

    try:
        tty = bool(console.file.isatty()) and wraps_to_terminal(console)
    except (AttributeError, OSError, ValueError):
        tty = False
    if not tty or pager_command(console, pager) is not None:
        return total
    return min(total, max(console.height - _AROUND_ROWS, 1))


def listing(console: Console, total: int, draw: Callable[[int], None], limit: int | None, *, pager: bool) -> None:
    """Print a listing of ``total`` rows, ``draw(n)`` writing its title, header and first ``n``
    rows: through the pager where one applies (:func:`paged`), cut to ``--limit`` or, on a
    terminal with no pager, to the screen (:func:`rows_shown`; rows that wrap are measured, so
    the title stays on the screen); a listing cut short ends with how many more rows there are
    and how to see them."""
    from hcode.render.listings import more_line

    shown = rows_shown(console, total, limit, pager=pager)
    if limit is None and shown < total:
        budget = console.height - 2  # the line saying how many more, and the shell's prompt
        while shown > 1:
            lines = _measured(console, draw, shown)
            if lines <= budget:
                break
            shown = max(1, shown - (lines - budget))
    with paged(console, pager):
        draw(shown)
        if shown < total:
            console.print(more_line(total - shown), markup=False)


def _measured(console: Console, draw: Callable[[int], None], rows: int) -> int:
    """The lines ``draw(rows)`` writes on ``console``, at its width, written nowhere."""
    real = console.file
    console.width = console.width  # measured on the terminal, kept while writing to the buffer
    held = _TerminalBuffer()
    console.file = held
    try:
        draw(rows)
    finally:
        console.file = real
    return held.getvalue().count("\n")


def open_workspace(
    arg: Path | None, opt: Path | None, *, use_cache: bool = True, workers: int | None = None
) -> OpenWorkspace:
    """Open the workspace, or exit 3 with a clear message if it is unusable."""
    from hcode.api.workspace import OpenWorkspace, WorkspaceError, open_store

    root = workspace_root(arg, opt)
    try:
        return OpenWorkspace(open_store(root, use_cache=use_cache, workers=workers, progress=ProgressBar()))
    except WorkspaceError as exc:
        fail_input(f"{root}: {exc}", exc.hint)


# -- exit codes for hcode's own errors: decided here, and only here -----------------------------


def exit_code(exc: HcodeError) -> int:
    """The exit code for one of hcode's errors (the errors carry none), most specific class
    first: a step the case file blocks, 3; a step the Code or a check refuses, 5 (its own code:
    not "findings", docs/ci.md); a parameter
    that does not fit or a file that would be replaced, 2; anything else hcode refuses (a file
    it cannot read or write, a workspace it cannot use), 3."""
    from hcode.api.cases import StepBlocked, StepRefused
    from hcode.api.errors import AlreadyExists, ParameterError

    exits: tuple[tuple[type[Exception], int], ...] = (
        (StepBlocked, EXIT_INPUT),
        (StepRefused, EXIT_REFUSED),
        (ParameterError, EXIT_USAGE),
        (AlreadyExists, EXIT_USAGE),
    )
    return next((code for kind, code in exits if isinstance(exc, kind)), EXIT_INPUT)


def fail(exc: HcodeError, prefix: str = "") -> NoReturn:
    """Report one of hcode's errors and exit with :func:`exit_code`: a parameter that does not
    fit as a usage error on its option; a refusal because files cannot be read names each
    problem first; then the message (after ``prefix``) and its hint."""
    from hcode.api.errors import Incomplete, ParameterError

    if isinstance(exc, ParameterError):
        raise typer.BadParameter(exc.message, param_hint=exc.option)
    console = err()
    if isinstance(exc, Incomplete):
        for f in sorted(exc.problems, key=lambda p: p.sort_key()):
            console.print(f"{where(f)}: {f.message}" + (f" (hint: {f.hint})" if f.hint else ""), markup=False)
    console.print(f"hcode: {prefix}{getattr(exc, 'message', None) or exc}", markup=False)
    hint = getattr(exc, "hint", None)
    if hint:
        console.print(f"hint: {hint}", markup=False)
    raise typer.Exit(exit_code(exc))


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


def echo_json(doc: Any, *, floats: bool = True) -> None:
    """Print ``dump_json(doc)`` as :func:`echo` prints JSON (:func:`json_printed`)."""
    echo_printed(json_printed(doc, floats=floats))


def json_printed(doc: Any, *, floats: bool = True) -> bytes | str:
    """What :func:`echo_printed` prints for ``dump_json(doc)``, without turning a large document
    into text and back where it can: orjson's bytes, where :func:`echo` would change nothing
    (printable ASCII, tabs and line breaks; no ``::`` or ``##[`` a CI runner could read) and
    :func:`dump_json` would write them (no float: ``floats`` as there); otherwise the text."""
    import orjson

    from hcode.render.output import safe_as_is

    try:
        data = orjson.dumps(doc, option=orjson.OPT_INDENT_2)
    except TypeError:
        data = b""
    if data and safe_as_is(data) and not (floats and _has_float(doc)):
        return data
    return dump_json(doc, floats=floats)


def json_rows_printed(doc: dict[str, Any], key: str) -> bytes | str | list[bytes]:
    """What :func:`echo_printed` prints for ``dump_json(doc)`` where ``doc[key]`` holds rows kept
    as their JSON text (:class:`hcode.api.due.DueRows`), the rest of ``doc`` no float: the rows'
    text as kept, written between the rest of the document's (in parts, none built and dumped
    again), wherever :func:`json_printed` would print orjson's bytes (printable ASCII, nothing a
    CI runner could read: checked on each part printed); otherwise the document with its rows
    built, through :func:`json_printed` (``floats=False``: as ``hcode due`` always printed)."""
    import secrets

    import orjson

    from hcode.render.output import safe_as_is

    rows = doc[key]
    mark = f'"hcode-rows-{secrets.token_hex(16)}"'.encode()  # where the rows' text goes
    try:
        data = orjson.dumps({**doc, key: [mark[1:-1].decode()] if len(rows) else []}, option=orjson.OPT_INDENT_2)
    except TypeError:
        data = b""
    at = data.find(mark)
    if not len(rows):
        parts = [data] if data else []
    elif at >= 0 and data.find(mark, at + 1) < 0:
        parts = [data[:at], bytes(rows.json_text()), data[at + len(mark) :]]
    else:  # pragma: no cover - a mark of 32 random hex digits written elsewhere in the document
        parts = []
    if parts and all(map(safe_as_is, parts)):
        return parts
    return json_printed({**doc, key: rows.rows()}, floats=False)


def echo_printed(printed: bytes | str | list[bytes]) -> None:
    """Print :func:`json_printed`'s bytes as they are (or :func:`json_rows_printed`'s parts, one
    after the other), or its text made safe by :func:`echo`."""
    if isinstance(printed, list):
        for part in printed:
            typer.echo(part, nl=False)
        typer.echo(b"\n", nl=False)
    elif isinstance(printed, bytes):
        typer.echo(printed, nl=True)
    else:
        echo(printed, kind="json", nl=True)


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


def name_left_out(problems: list[Finding]) -> None:
    """Name on standard error each file a published output leaves out (``--skip-broken``; the
    output names them too)."""
    from hcode.api.errors import left_out_rows

    console = err()
    for row in left_out_rows(problems):
        console.print(f"hcode: left out {row.file}: {row.problem}", markup=False)


def warn_left_out(problems: list[Finding], what: str) -> None:
    """Name on standard error each file a listing leaves out (``due``, ``case list``)."""
    from hcode.api.errors import left_out_rows

    rows = left_out_rows(problems)
    if not rows:
        return
    console = err()
    for row in rows:
        console.print(f"hcode: warning: {what} leaves out {row.file}: {row.problem}", markup=False)
    console.print(f"hint: {len(rows)} file(s) cannot be read; 'hcode check' shows every problem", markup=False)
