"""hcode's errors: every exception hcode defines derives from :class:`HcodeError`.

A library user catches ``HcodeError`` for anything hcode refuses on purpose (a file it cannot
read, a step it will not take, a write it did not make); any other exception is a bug. The
errors say what went wrong and, where they can, what to do (``hint``); they carry no exit codes:
the command line decides those in one place (``hcode.cli.exit_code``).
"""

from __future__ import annotations


class HcodeError(Exception):
    """The base of every error hcode raises on purpose."""
