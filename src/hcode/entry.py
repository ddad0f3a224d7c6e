"""The ``hcode`` console script. Answers ``--version`` before importing anything heavy."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from hcode.version import __version__

        print(f"hcode {__version__}")
        return
    from hcode.cli import main as cli_main

    cli_main()
