# cleanpath: make demo | make test | make bench | make check
SHELL := /bin/bash
# Debian's own interpreter when present (snmpsim drops privileges and must be able to read it).
PYTHON ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test bench check install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test
	bash scripts/test-services.sh install

demo: install
	$(BIN)/cleanpath demo

test: install-test
	bash scripts/test-services.sh run $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

bench: install-test
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

check: install-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) cleanpath-demo .pytest_cache .mypy_cache .ruff_cache
