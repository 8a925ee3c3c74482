# The two commands a new user needs: `make demo` and `make test`.
# Both create the virtualenv in .venv if it is missing and install what they need.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(VENV)/.installed $@

## make demo: validate and summarize the ABC Unified example district
demo: $(VENV)/.installed
	$(BIN)/collabgraph validate examples/abc-unified.yaml

## make test: lint, type-check and run the whole test suite
test: $(VENV)/.installed-dev
	$(BIN)/ruff check collabgraph api visualizations tests bench examples
	$(BIN)/ruff format --check collabgraph api visualizations tests bench examples
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check collabgraph api visualizations tests bench examples
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff format collabgraph api visualizations tests bench examples
	$(BIN)/ruff check --fix collabgraph api visualizations tests bench examples

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
