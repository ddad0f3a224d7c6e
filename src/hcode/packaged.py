"""Where the data shipped with hcode lives: the Code editions (``provisions/``) and the report
templates (``templates/``).

In the repository they sit at the top level, beside ``src/``; a built wheel carries them inside
the package (``hcode/provisions``, ``hcode/templates``). This module finds either.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder of shipped data called ``name`` (``provisions`` or ``templates``)."""
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent.parent / name
