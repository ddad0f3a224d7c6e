"""The import contract between hcode's layers, checked on the source of every module.

core (pure) <- store (the only reader) <- render, edit, review <- api (the use cases) <- cli (the
only Typer user, which parses, calls the api, renders and exits: it reaches the lower layers only
through the api).
Every ``import`` statement counts, including those inside functions and ``TYPE_CHECKING``
blocks: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

SRC = ROOT / "src"
PACKAGE = SRC / "hcode"

# What each layer must not import (a module or any of its submodules).
IO_AND_UI = (
    "typer",
    "rich",
    "click",
    "jinja2",
    "openpyxl",
    "subprocess",
    "os",
    "shutil",
    "tempfile",
    "io",
    "pathlib",
    "socket",
    "sqlite3",
    "yaml",
    "ruamel",
    "ryml",
    "jsonschema",
    "jsonschema_rs",
    "orjson",
)
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "hcode.core": (
        "hcode.store",
        "hcode.render",
        "hcode.edit",
        "hcode.review",
        "hcode.cli",
        "hcode.api",
        "hcode.packaged",
        *IO_AND_UI,
    ),
    "hcode.store": (
        "hcode.render",
        "hcode.edit",
        "hcode.review",
        "hcode.cli",
        "hcode.api",
        "typer",
        "jinja2",
        "openpyxl",
    ),
    "hcode.render": ("hcode.edit", "hcode.review", "hcode.cli", "hcode.api", "typer"),
    "hcode.edit": ("hcode.render", "hcode.review", "hcode.cli", "hcode.api", "typer", "rich"),
    "hcode.review": ("hcode.render", "hcode.edit", "hcode.cli", "hcode.api", "typer", "rich"),
    # The library API: whatever it needs from the layers, but never the command line.
    "hcode.api": ("hcode.cli", "typer", "rich"),
    # The command line: parse, call the application layer, render, exit. No business logic of
    # its own, so nothing from the layers the application layer is built on.
    "hcode.cli": ("hcode.core", "hcode.store", "hcode.edit", "hcode.review", "hcode.packaged"),
}
# Typer is the command line's alone; Rich belongs to the command line and the text renderers.
ONLY: dict[str, tuple[str, ...]] = {
    "typer": ("hcode.cli",),
    "click": ("hcode.cli",),
    "rich": ("hcode.cli", "hcode.render"),
    "subprocess": ("hcode.review", "hcode.cli"),
}
# Deliberate exceptions, each with its reason.
ALLOWED: dict[tuple[str, str], str] = {
    ("hcode.store.documents", "openpyxl"): (
        "the one reader of a landlord's own Excel workbooks (hcode import); otherwise openpyxl only writes reports"
    ),
}


def module_name(path: Path, src: Path = SRC) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, src: Path = SRC) -> list[tuple[int, str]]:
    """Every module ``path`` imports, with its line (``from a import b`` counts as a and a.b)."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    here = module_name(path, src)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if module == "__future__":
                continue
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_layer_is_a_package() -> None:
    for layer in ("core", "store", "render", "edit", "review", "cli"):
        assert (PACKAGE / layer / "__init__.py").is_file(), layer
    assert len(MODULES) > 30


def violations(path: Path, src: Path = SRC) -> list[str]:
    """The imports in ``path`` that break the contract, as ``file:line: what`` lines."""
    here = module_name(path, src)
    broken: list[str] = []
    for line, target in imports(path, src):
        for layer, forbidden in FORBIDDEN.items():
            if not within(here, layer):
                continue
            for bad in forbidden:
                if within(target, bad) and not any(within(target, ok) for (m, ok) in ALLOWED if m == here):
                    broken.append(f"{path.relative_to(src)}:{line}: {layer} must not import {target}")
        for lib, owners in ONLY.items():
            if within(target, lib) and not any(within(here, o) for o in owners):
                broken.append(f"{path.relative_to(src)}:{line}: only {', '.join(owners)} may import {lib}")
    return broken


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_follow_the_layers(path: Path) -> None:
    broken = violations(path)
    assert not broken, "\n".join(broken)


def test_the_store_may_not_reach_into_the_editing_layer(tmp_path: Path) -> None:
    """The store (a reader) writes its cache with ``hcode.store.atomic``; an import of the editing
    layer from the store, even inside a function, is a violation."""
    probe = tmp_path / "src" / "hcode" / "store" / "cachefile.py"
    probe.parent.mkdir(parents=True)
    probe.write_text("def save() -> None:\n    from hcode.edit.fileio import atomic_write\n")
    assert violations(probe, tmp_path / "src") == [
        "hcode/store/cachefile.py:2: hcode.store must not import hcode.edit.fileio",
        "hcode/store/cachefile.py:2: hcode.store must not import hcode.edit.fileio.atomic_write",
    ]


def test_no_exception_lets_one_layer_import_another() -> None:
    """The named exceptions are for outside libraries only: one hcode layer reaching into another
    it must not is moved instead (shared code goes to the lower layer)."""
    assert not [pair for pair in ALLOWED if pair[1].startswith("hcode")]


def test_the_contract_catches_a_violation(tmp_path: Path) -> None:
    """The checker itself: imports inside functions and relative imports are seen."""
    probe = tmp_path / "src" / "hcode" / "core" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(
        "from hcode.store.reader import Store\n\ndef f() -> None:\n    import typer\n    from . import model\n"
    )
    found = {target: line for line, target in imports(probe, tmp_path / "src")}
    assert found["hcode.store.reader"] == 1
    assert found["typer"] == 4
    assert found["hcode.core.model"] == 5


def test_allowed_exceptions_are_still_needed() -> None:
    """An exception that no longer occurs is removed, so the list never hides anything."""
    for (here, target), reason in ALLOWED.items():
        path = PACKAGE.joinpath(*here.split(".")[1:]).with_suffix(".py")
        assert reason
        assert any(within(t, target) for _, t in imports(path)), f"{here} no longer imports {target}"


def test_the_command_line_reaches_the_layers_only_through_the_api(tmp_path: Path) -> None:
    """A command that reads the store, edits a file or judges a case itself is a violation, even
    for a type under TYPE_CHECKING; what a command may import from hcode is the api, the
    renderers, the command line's own helpers and the version."""
    allowed = ("hcode.api", "hcode.render", "hcode.cli", "hcode.version")
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        reached = {t for _, t in imports(path) if within(t, "hcode") and t != "hcode"}
        assert all(any(within(t, ok) for ok in allowed) for t in reached), (path.name, sorted(reached))
    probe = tmp_path / "src" / "hcode" / "cli" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from hcode.store.reader import Store\n"
        "def f() -> None:\n    from hcode.edit.steps import respond\n"
    )
    assert violations(probe, tmp_path / "src") == [
        "hcode/cli/probe.py:3: hcode.cli must not import hcode.store.reader",
        "hcode/cli/probe.py:3: hcode.cli must not import hcode.store.reader.Store",
        "hcode/cli/probe.py:5: hcode.cli must not import hcode.edit.steps",
        "hcode/cli/probe.py:5: hcode.cli must not import hcode.edit.steps.respond",
    ]


def test_command_modules_do_not_import_the_command_line_package() -> None:
    """``hcode.cli`` imports every command module to register it; a command module importing
    ``hcode.cli`` back would make a cycle, so what they share is in ``hcode.cli.common``."""
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        if path.name == "__init__.py":
            continue
        assert "hcode.cli" not in {t for _, t in imports(path)}, path.name


def test_the_tests_are_laid_out_like_the_source() -> None:
    """Every test module sits in a folder named for the layer it tests (or ``project`` for checks
    of the whole tree); the helpers every test shares stay at the top of ``tests/``."""
    tests = ROOT / "tests"
    layers = {p.name for p in SRC.joinpath("hcode").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    at_top = sorted(p.name for p in tests.glob("test_*.py"))
    assert at_top == [], f"move these into a layer's folder under tests/: {at_top}"
    folders = {p.parent.name for p in tests.glob("*/test_*.py")}
    assert folders <= layers | {"project"}, folders - layers - {"project"}
    assert sorted(p.name for p in tests.glob("*.py")) == ["conftest.py", "importdocs.py", "paper.py"]
