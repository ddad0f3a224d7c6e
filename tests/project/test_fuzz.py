"""Fuzzing (bounded, part of the test suite): mutated workspace files never make hcode exit 4
or print a traceback. benchmarks/fuzz.py runs the same mutations for longer."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, ROOT, copy_example

sys.path.insert(0, str(ROOT / "benchmarks"))
from fuzz import mutate, run_one

# Slow (each example runs hcode on a workspace): `pytest -m "not slow"` leaves them out while
# developing; `make test` and CI (.ci/run) run them.
pytestmark = pytest.mark.slow

SOURCES = sorted((EXAMPLE / "cases").rglob("*.yaml"))[::5] + sorted((EXAMPLE / "assessments").glob("*.yaml"))


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("fuzz") / "ws"
    copy_example(ws)
    return ws


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(index=st.integers(min_value=0, max_value=len(SOURCES) - 1), seed=st.integers(min_value=0, max_value=2**32))
def test_mutants_never_crash(base: Path, index: int, seed: int) -> None:
    source = SOURCES[index]
    target = base / source.relative_to(EXAMPLE)
    original = target.read_bytes()
    target.write_bytes(mutate(original, random.Random(seed)))
    try:
        assert run_one(base, source.stem) == []
    finally:
        target.write_bytes(original)


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    ws = tmp_path_factory.mktemp("bytes")
    (ws / "hcode.yaml").write_text("hcode: 1\nlandlord: T\n")
    (ws / "cases").mkdir()
    (ws / "cases" / "C-1.yaml").write_bytes(data)
    assert run_one(ws, "C-1") == []
