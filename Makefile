# The two commands a new machine needs: `make run` and `make test`. Both create the virtual
# environment in .venv on first use (Python 3.11 or newer and make are all they need).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXAMPLE_DATE := 2025-07-31

.PHONY: run test lint bench fuzz golden clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
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

# The whole test suite.
test: $(STAMP)
	$(BIN)/python -m pytest

# Rewrite the golden files from the current output, then show what changed (review it before
# committing: every changed line is a change people will see).
golden: $(STAMP)
	HCODE_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests -k "golden or report or step" || true
	git --no-pager diff --stat -- tests/golden
	git --no-pager diff -- tests/golden | head -200

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

fuzz: $(STAMP)
	$(BIN)/python benchmarks/fuzz.py --minutes $${MINUTES:-10}

# Generates workspaces of 1,000, 10,000 and 100,000 cases under benchmarks/out (once) and prints
# the figures; check-jsonschema is installed for the comparison.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet "check-jsonschema>=0.28"
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
