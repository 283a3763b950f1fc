# The two commands of the README: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DOCS ?= $(if $(wildcard ../shared/corpus),../shared/corpus,)
DB ?= communique.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint fmt clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	@if [ -n "$(DOCS)" ]; then $(BIN)/communique ingest --db $(DB) $(DOCS) || true; \
	 else echo "no DOCS given and ../shared/corpus not found: serving an empty store"; fi
	$(BIN)/communique serve --db $(DB) --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

test: install lint
	$(BIN)/pytest

fmt: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
