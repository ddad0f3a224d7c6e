"""Print pip constraints pinning each of hcode's own dependencies to the lowest version that
pyproject.toml allows (``name>=X`` becomes ``name==X``), for ``make test-min``."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path


def minimum_constraints(pyproject: Path) -> list[str]:
    """``name==lower`` for every dependency of the package (and its dev extra) with a lower bound."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project = data["project"]
    dev = [
        s
        for s in project.get("optional-dependencies", {}).get("dev", [])
        if not s.startswith(("mypy", "ruff", "types-"))
    ]
    specs = list(project["dependencies"]) + dev
    lines = []
    for spec in specs:
        found = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)\s*", spec)
        if found:
            lines.append(f"{found.group(1)}=={found.group(2)}")
    return lines


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    sys.stdout.write("".join(line + "\n" for line in minimum_constraints(root / "pyproject.toml")))
