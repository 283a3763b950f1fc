# The two commands of the README: `make run` and `make test`.
# The interpreter .venv is made with: a distribution's own build when there is one,
# which is compiled with PGO and LTO (scripts/python says why).
PY ?= $(shell scripts/python)
VENV := .venv
BIN := $(VENV)/bin
DOCS ?= $(if $(wildcard ../shared/corpus),../shared/corpus,)
DB ?= communique.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-sqlite test-postgres lint fmt clean fuzz load browser-deps screenshots bench bench-full

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# The browser tests drive Debian's chromium (never a downloaded browser build);
# CJK fonts so that Chinese renders in screenshots. Skipped where apt is absent.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	  || echo "could not install chromium: browser tests will be skipped"; fi

install: $(VENV)/.installed

run: install
	@if [ -n "$(DOCS)" ]; then $(BIN)/communique ingest --db $(DB) $(DOCS) || true; \
	   $(BIN)/communique link --db $(DB); \
	 else echo "no DOCS given and ../shared/corpus not found: serving an empty store"; fi
	$(BIN)/communique serve --db $(DB) --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

# The whole suite twice: on SQLite files, then on PostgreSQL (scripts/test-postgres
# installs and starts a private server when COMMUNIQUE_TEST_DB names none).
test: install lint browser-deps
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install
	env -u COMMUNIQUE_TEST_DB $(BIN)/pytest

test-postgres: install
	url=$$(scripts/test-postgres) && COMMUNIQUE_TEST_DB="$$url" $(BIN)/pytest

# Long versions of the property tests and of the API load test (issue 8).
fuzz: install
	COMMUNIQUE_FUZZ=nightly $(BIN)/pytest tests/test_fuzz.py tests/test_schema.py --hypothesis-show-statistics

load: install
	$(BIN)/python scripts/load.py

# Benchmarks print ratios against baselines measured in the same run (bench/README.md).
# Quick: 10k documents through one and two Dask workers (serial and local
# processes are in bench-full), search at 100k sentences.
bench: install
	$(BIN)/python bench/ingest.py --sizes 10000 --engines dask1,dask2
	$(BIN)/python bench/search.py --sentences 100000

bench-full: install
	$(BIN)/python bench/ingest.py --sizes 10000,100000
	$(BIN)/python bench/search.py --sentences 1000000

screenshots: install browser-deps
	COMMUNIQUE_SCREENSHOTS=docs/screenshots $(BIN)/pytest tests/browser

fmt: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
