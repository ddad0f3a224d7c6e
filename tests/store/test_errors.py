"""One error hierarchy: every exception hcode defines derives from HcodeError, the errors carry
no exit codes, and the command line decides those in one place (``hcode.cli.common.exit_code``)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import hcode
from conftest import make_ws, run
from hcode.api.cases import StepBlocked, StepRefused
from hcode.api.errors import AlreadyExists, InputUnusable, ParameterError
from hcode.cli.common import EXIT_INPUT, EXIT_REFUSED, EXIT_USAGE, exit_code
from hcode.errors import HcodeError
from hcode.store.workspace import WorkspaceError


def _exception_classes() -> list[type[BaseException]]:
    found: list[type[BaseException]] = []
    for info in pkgutil.walk_packages(hcode.__path__, "hcode."):
        module = importlib.import_module(info.name)
        for _, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == module.__name__
                and value not in found
            ):
                found.append(value)
    return found


def test_every_exception_hcode_defines_derives_from_hcode_error() -> None:
    classes = _exception_classes()
    assert len(classes) >= 14  # the public errors, and the private signals inside a module
    assert [c.__qualname__ for c in classes if not issubclass(c, HcodeError)] == []


def test_no_error_carries_an_exit_code() -> None:
    for cls in _exception_classes():
        params = inspect.signature(cls.__init__).parameters
        assert not {"code", "exit_code"} & set(params), cls.__qualname__
        assert not any(isinstance(getattr(cls, name, None), int) for name in ("code", "exit_code")), cls


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (StepRefused("stage 1 of C-1 is already closed"), EXIT_REFUSED),
        (StepBlocked("no case C-1 in ."), EXIT_INPUT),
        (ParameterError("no section 12", "--section"), EXIT_USAGE),
        (AlreadyExists("assessments/2024-25.yaml exists"), EXIT_USAGE),
        (InputUnusable("cannot read the document"), EXIT_INPUT),
        (WorkspaceError("no hcode.yaml here"), EXIT_INPUT),
        (HcodeError("anything else hcode refuses"), EXIT_INPUT),
    ],
)
def test_exit_codes_are_decided_by_the_error_class(error: HcodeError, expected: int) -> None:
    assert exit_code(error) == expected


def test_a_refused_step_exits_5_and_a_missing_case_exits_3(tmp_path: Path) -> None:
    ws = make_ws(tmp_path)
    ack = ("--date", "2024-05-07", "--definition", "Leak", "--handler", "H-1", "-w", ws)
    missing = run("case", "ack", "C-2024-0009", *ack)
    assert missing.exit_code == 3 and "no case C-2024-0009" in missing.stderr
    logged = run("case", "new", "--received", "2024-05-01", "--category", "repairs", "-w", ws)
    assert logged.exit_code == 0, logged.stderr
    twice = run("case", "new", "--received", "2024-05-01", "--category", "repairs", "--id", "C-2024-0001", "-w", ws)
    assert twice.exit_code == 5 and "a case C-2024-0001 already exists" in twice.stderr
