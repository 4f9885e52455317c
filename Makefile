# Two commands, on a fresh machine with Python 3.11+ and make:
#   make run    create .venv, install, launch the app on the demo data set (kept in .demo-data/ here;
#               make run PORT=8600 DEMO_DATA=/elsewhere to change the port or the folder)
#   make test   create .venv, install with test tools, lint, type-check app/ (mypy), run every test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8550
DEMO_DATA ?= $(CURDIR)/.demo-data

.PHONY: run test test-slow lint bench screenshots clean

run: $(VENV)/.installed-app
	FIRESWEEP_DEMO_DATA="$(DEMO_DATA)" $(BIN)/firesweep app --demo --port $(PORT)

test: $(VENV)/.installed-test
	bash scripts/system-deps.sh
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python scripts/mobile_check.py
	$(BIN)/python -m pytest
	DESKTOP_PYTHON=$(BIN)/python bash scripts/mobile_tests.sh

test-slow: $(VENV)/.installed-test
	FIRESWEEP_SLOW=1 $(BIN)/python -m pytest -m slow

screenshots: $(VENV)/.installed-test
	FIRESWEEP_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -m browser
	$(BIN)/python scripts/ui_screenshots.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# constraints.txt holds the exact versions (pyproject.toml has ranges, for the Android build)
$(VENV)/.installed-app: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[heic]'
	touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test,heic]'
	touch $@ $(VENV)/.installed-app

clean:
	rm -rf $(VENV) .venv-mobile .pytest_cache .ruff_cache .mypy_cache
