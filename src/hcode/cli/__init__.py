"""The command line: builds the app and registers every command; ``main`` runs it. Only this
package prints or exits; what the commands share is in :mod:`hcode.cli.common`.

Exit codes (every command): 0 ran and nothing at or above ``--fail-on``; 1 non-compliance
found; 2 usage error; 3 input unusable; 4 internal error (a bug); 5 a case step refused
(nothing written).
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Annotated, Any, NoReturn

import typer

from hcode.cli.common import (
    DEBUG_ENV,
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_USAGE,
    PROGRESS_AFTER,
    ProgressBar,
    app,
    dump_json,
)
from hcode.version import __version__

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_REFUSED",
    "EXIT_USAGE",
    "PROGRESS_AFTER",
    "ProgressBar",
    "app",
    "dump_json",
    "main",
]


def version_callback(value: bool) -> None:
    if value:
        print(f"hcode {__version__}")
        raise typer.Exit(EXIT_OK)


def _plain_choice_errors() -> None:
    """Typer (0.2x) validates choices with pydantic and passes on its wording: "Invalid value for
    '--outcome': Value error, 'resolved' is not one of ...". Drop pydantic's "Value error, " so
    the message reads as plain English (tests/cli/test_cli_uniform.py keeps this true)."""
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
    from hcode.cli import (  # noqa: F401  (each module registers its commands on the app)
        assessment,
        benchmarks,
        case,
        check,
        due,
        hazards,
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
