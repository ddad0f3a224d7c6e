"""What a use case raises when it cannot answer: an input that cannot be used, or a parameter
the caller gave that does not fit the workspace. Each carries a message and, where there is one,
a hint saying what to do, and no exit code: the command line decides those in one place
(``hcode.cli.common.exit_code``)."""

from __future__ import annotations

from hcode.core.listings import LeftOut
from hcode.core.model import Finding
from hcode.errors import HcodeError

__all__ = [
    "AlreadyExists",
    "HcodeError",
    "Incomplete",
    "InputUnusable",
    "LeftOut",
    "ParameterError",
    "UseCaseError",
    "left_out",
    "left_out_rows",
    "refuse_incomplete",
]


class UseCaseError(HcodeError):
    """A use case that could not answer; nothing was written."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputUnusable(UseCaseError):
    """A file, workspace or document the use case needs cannot be used."""


class Incomplete(InputUnusable):
    """Files the answer needs cannot be read, and leaving them out was not asked for: the answer
    would be incomplete, so none is given. ``problems``: one or more per file; ``what``: the
    answer, in words ("the annual report")."""

    def __init__(self, problems: list[Finding], what: str) -> None:
        super().__init__(
            f"{len(left_out(problems))} file(s) cannot be read, so {what} would be incomplete; nothing was written",
            "fix the files (hcode check shows every problem), or run again with --skip-broken to leave "
            "them out and name them in the output",
        )
        self.problems = problems
        self.what = what


def left_out(problems: list[Finding]) -> list[Finding]:
    """One problem per file that was left out (the first, in file order)."""
    from hcode.store.reader import Records

    return Records([], problems).left_out()


def left_out_rows(problems: list[Finding]) -> list[LeftOut]:
    """The files left out of an output, one each (file, line, column, first problem)."""
    return [LeftOut(f.file or f.subject, f.line, f.column, f.message) for f in left_out(problems)]


def refuse_incomplete(problems: list[Finding], refuse: bool, what: str) -> None:
    """:class:`Incomplete` when there are ``problems`` and ``refuse``."""
    if problems and refuse:
        raise Incomplete(problems, what)


class ParameterError(UseCaseError):
    """A parameter does not fit the workspace, such as a section the Code does not have.
    ``option``: the command-line option that gives it."""

    def __init__(self, message: str, option: str, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.option = option


class AlreadyExists(UseCaseError):
    """A file the use case would write exists and replacing it was not asked for."""
