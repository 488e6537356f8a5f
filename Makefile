# Koers: `make run` starts the dashboard on the demo organisation in single-user mode (no sign-in); `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test lint demo bench clean

$(VENV)/.runtime: requirements.txt
	scripts/install-system run
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	scripts/install-system test
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	KOERS_SINGLE_USER=1 $(PY) -m di_metrics.shell.serve

test: $(VENV)/.dev
	$(PY) -m ruff check .
	KOERS_TEST_POSTGRES_URL=$${KOERS_TEST_POSTGRES_URL:-$$(.ci/start-postgres)} $(PY) -m pytest

lint: $(VENV)/.dev
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

demo: $(VENV)/.runtime
	$(PY) -m di_metrics demo

bench: $(VENV)/.dev
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) data/*.duckdb test-artifacts
