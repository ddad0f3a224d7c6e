# The two commands a new machine needs: `make run` and `make test`. Both create the virtual
# environment in .venv on first use (Python 3.11 or newer and make are all they need).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXAMPLE_DATE := 2025-07-31

.PHONY: run test test-fast test-latest test-min lock lint format bench explore fuzz golden clean test-tools screenshots dist

# The development and test environment is installed from requirements/dev.txt (exact versions,
# as pip constraints); the package itself keeps only lower bounds for users. A change to either
# file reinstalls.
LOCK := requirements/dev.txt
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint $(LOCK) -e ".[dev,bench]"
	touch $(STAMP)

# The repository root is the bundled example workspace: check it exactly as a user would, with
# plain `hcode check` (as of today). The example has deliberate findings, so exit 1 (findings)
# is expected; a usage, input or internal error (exit 2, 3 or 4) fails. Then what is due, as on
# the last day of the example's records.
run: $(STAMP)
	@echo "== hcode check: the example landlord (Riverside Vale Homes) as of today"
	@$(BIN)/hcode check || test $$? -eq 1
	@echo
	@echo "== hcode due --as-of $(EXAMPLE_DATE): what was open on the last day of its reporting year"
	@$(BIN)/hcode due --as-of $(EXAMPLE_DATE)

# Test processes (pytest-xdist): one per core; PYTEST_WORKERS=0 runs the tests in one process.
PYTEST_WORKERS ?= auto

# Compiled bytecode is kept in .venv/pycache even where PYTHONDONTWRITEBYTECODE is set: otherwise
# every test process, and every hcode a test starts, compiles hcode's modules again (and pytest
# rewrites every test module again).
TEST_ENV := PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(abspath $(VENV))/pycache

# The whole test suite.
test: $(STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest -n $(PYTEST_WORKERS)

# The suite without the slow tests (fuzzing, building the wheel, the browser and LibreOffice):
# for use while developing.
test-fast: $(STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest -m "not slow" -n $(PYTEST_WORKERS)

# Regenerate requirements/dev.txt: the newest releases that satisfy pyproject.toml, resolved in a
# new environment (so nothing left over from an old one is pinned). Review the diff, run make test.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -e ".[dev,bench]"
	{ echo "# The versions 'make run' and 'make test' install (pip constraints), for Python 3.11 on Linux."; \
	  echo "# Regenerate with 'make lock' (newest releases that satisfy pyproject.toml), then run 'make test'."; \
	  .venv-lock/bin/python -m pip freeze --exclude-editable; } > $(LOCK)
	rm -rf .venv-lock
	git --no-pager diff --stat -- $(LOCK)

# The suite against the newest release of every dependency (no lock), in .venv-latest.
test-latest:
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --upgrade pip
	.venv-latest/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e ".[dev,bench]"
	.venv-latest/bin/python -m pip list --format freeze 2>/dev/null | grep -iE '^(typer|rich|pyyaml|ruamel.yaml|jsonschema|jsonschema.rs|holidays|openpyxl|python-docx|jinja2|orjson|rapidyaml|click)==' || true
	.venv-latest/bin/python -m pytest -m "not slow"

# The suite against the lowest versions pyproject.toml allows for hcode's own dependencies
# (benchmarks/minimum_versions.py writes them as constraints), in .venv-min.
test-min:
	$(PYTHON) benchmarks/minimum_versions.py > .venv-min.constraints
	$(PYTHON) -m venv .venv-min
	.venv-min/bin/python -m pip install --quiet --upgrade pip
	.venv-min/bin/python -m pip install --quiet --constraint .venv-min.constraints -e ".[dev,bench]"
	.venv-min/bin/python -m pytest -m "not slow"

# Rewrite the golden files from the current output, then show what changed (review it before
# committing: every changed line is a change people will see).
golden: $(STAMP)
	HCODE_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests -k "golden or report or step" || true
	git --no-pager diff --stat -- tests/golden
	git --no-pager diff -- tests/golden | head -200

# Test-time tools, installed from the package registries where absent: headless Chromium,
# LibreOffice Calc (headless), poppler-utils and the Carlito font (metric-compatible with Calibri,
# so page counts match Excel's) from Debian; axe-core from npm into .tools/ (git-ignored).
# `make test` does not need them: the tests that use one skip, naming it, where it is absent.
TEST_TOOLS_APT := chromium libreoffice-calc-nogui poppler-utils fonts-crosextra-carlito
AXE_CORE := axe-core@4.14
test-tools:
	@missing=""; for pkg in $(TEST_TOOLS_APT); do \
	  if [ $$pkg = chromium ] && command -v chromium >/dev/null; then continue; fi; \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  echo "== installing$$missing (apt-get)"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo -n"; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
	    --no-install-recommends $$missing >/dev/null; \
	fi
	@test -f .tools/node_modules/axe-core/axe.min.js || { echo "== installing $(AXE_CORE) (npm) into .tools/"; \
	  npm install --silent --no-audit --no-fund --prefix .tools $(AXE_CORE); }

# The example's reports as people see them, in screenshots/ (git-ignored): the HTML at 1280 and
# 390 px wide (PNG, a part of the page each), the workbooks printed to PDF by LibreOffice and each
# page as PNG, with what was measured (page width, chart text, axe-core, pages). Look at them.
screenshots: $(STAMP) test-tools
	$(BIN)/python tests/paper.py screenshots

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

# Apply the project's formatting (ruff format) to the source, tests and benchmarks.
format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks

# The property tests with new random examples on each run (the suite draws the same ones every
# time, so CI is repeatable), and more of them where a test does not set its own number.
explore: $(STAMP)
	HCODE_HYPOTHESIS=explore $(TEST_ENV) $(BIN)/python -m pytest -n $(PYTEST_WORKERS) $$(grep -rl '@given' tests)

fuzz: $(STAMP)
	$(BIN)/python benchmarks/fuzz.py --minutes $${MINUTES:-10}

# The release files: the sdist and the wheel in $(DIST), checked with twine (metadata, README
# rendering). The release workflow (.github/workflows/release.yml) runs the same commands;
# docs/releasing.md says how a maintainer releases.
DIST ?= dist
dist: $(STAMP)
	rm -rf $(DIST)
	$(BIN)/python -m build --outdir $(DIST) .
	$(BIN)/twine check --strict $(DIST)/*

# Generates workspaces of 1,000, 10,000 and 100,000 cases under benchmarks/out (once) and prints
# the figures; check-jsonschema is installed for the comparison.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) .venv-latest .venv-min .venv-min.constraints .pytest_cache .mypy_cache .ruff_cache .hypothesis
