# Two commands, on a fresh machine with Python 3.11+ and make:
#   make run    create .venv, install, launch the app on the demo data set (kept in .demo-data/ here;
#               make run PORT=8600 DEMO_DATA=/elsewhere to change the port or the folder)
#   make test   create .venv, install with test tools, lint, run every test
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
	$(BIN)/python -m pytest

test-slow: $(VENV)/.installed-test
	FIRESWEEP_SLOW=1 $(BIN)/python -m pytest -m slow

screenshots: $(VENV)/.installed-test
	FIRESWEEP_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -m browser
	$(BIN)/python scripts/ui_screenshots.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed-app

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
