# The two commands: `make run` serves the app on the embedded SQLite database;
# `make test` runs ruff, mypy and pytest (again on PostgreSQL when HINDSIGHT_TEST_DATABASE_URL is set);
# it installs Debian's chromium for the browser tests when missing (never a Playwright download).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install browser lint typecheck pytest fuzz screenshots bench clean

run: $(VENV)/.installed
	$(BIN)/hindsight db upgrade
	$(BIN)/hindsight serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed browser lint typecheck pytest

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,nlp]'
	touch $@

browser:
	test -x $(CHROMIUM) || ($(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium)

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports  # the layers of docs/architecture.md (contracts in pyproject.toml)

typecheck:
	$(BIN)/mypy

# The PostgreSQL pass (database and browser tests) runs even when the SQLite pass fails.
# PYTEST_WORKERS xdist workers (0: one process), each on its own database (tests/conftest.py);
# worksteal: a worker left idle takes queued tests from the other (the slow ones bunch up).
PYTEST_WORKERS ?= 2
pytest:
	status=0; env -u HINDSIGHT_TEST_DATABASE_URL $(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal || status=$$?; \
	if [ -n "$$HINDSIGHT_TEST_DATABASE_URL" ]; then $(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal -m "db or browser" || status=$$?; fi; \
	exit $$status

# schemathesis over /openapi.json on a live server, as no key, a viewer and an editor, with
# FUZZ_EXAMPLES examples per operation (`make test` runs 10); again on PostgreSQL when set.
FUZZ_EXAMPLES ?= 50
fuzz: $(VENV)/.installed
	status=0; export HINDSIGHT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES); \
	env -u HINDSIGHT_TEST_DATABASE_URL $(BIN)/pytest -s tests/test_openapi_fuzz.py || status=$$?; \
	if [ -n "$$HINDSIGHT_TEST_DATABASE_URL" ]; then $(BIN)/pytest -s tests/test_openapi_fuzz.py || status=$$?; fi; \
	exit $$status

screenshots: $(VENV)/.installed browser
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
