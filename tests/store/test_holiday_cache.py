"""Bank holidays kept in the cache: once a run has imported the ``holidays`` package (some 300
modules), later runs answer every year hcode works with from the cache without importing it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import copy_example, run

# Runs a command in a fresh interpreter and says whether it imported the ``holidays`` package.
_PROBE = """
import sys
from hcode.entry import main
sys.argv = ["hcode", *sys.argv[1:]]
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code
print("exit:", code, file=sys.stderr)
print("holidays imported:", "holidays" in sys.modules, file=sys.stderr)
"""


def _imports_holidays(ws: Path, *args: str) -> bool:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], cwd=ws, capture_output=True, text=True, check=False, timeout=120
    )
    said = [line for line in done.stderr.splitlines() if line.startswith("holidays imported:")]
    assert said and ("exit: 0" in done.stderr or "exit: 1" in done.stderr), done.stderr
    return said[-1] == "holidays imported: True"


def test_a_warm_run_does_not_import_the_holidays_package(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "ws")
    assert _imports_holidays(ws, "check", "--as-of", "2025-07-31")  # cold: nothing kept yet
    assert not _imports_holidays(ws, "check", "--as-of", "2025-07-31")
    # another year, another command: every year was kept when the package was first imported
    assert not _imports_holidays(ws, "due", "--as-of", "2031-01-05")
    assert not _imports_holidays(ws, "workdays", "add", "2031-12-19", "10")
    # 25, 26 December and 1 January skipped (19 December 2031 is a Friday)
    assert run("workdays", "add", "2031-12-19", "10", "--workspace", ws).stdout.strip() == "2032-01-07"


def test_the_kept_years_are_the_packages_in_every_division(tmp_path: Path) -> None:
    import hcode.store.scan
    from hcode.core.calendar import DIVISIONS, uk_bank_holidays

    for division in DIVISIONS:
        hcode.store.scan.cached_holidays(tmp_path, division)([2025])  # fills the cache
        kept = hcode.store.scan.cached_holidays(tmp_path, division)
        for years in ([1900], [1968, 1999, 2000], [2022, 2023], [2150, 2199]):
            assert kept(years) == dict(uk_bank_holidays(division)(years)), (division, years)
