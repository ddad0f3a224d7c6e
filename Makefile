# The two commands a new machine needs: `make run` and `make test`. Both create the virtual
# environment in .venv on first use (Python 3.11 or newer and make are all they need).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXAMPLE_DATE := 2025-07-31

.PHONY: run test lint bench fuzz golden clean test-tools screenshots

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
