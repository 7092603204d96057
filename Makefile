# The two commands a newcomer needs: `make run` and `make test`. Only Python 3.11 is required.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PLUGINS := $(wildcard plugins/*/pyproject.toml)
TRANSLATIONS := platform/spotcheck/translations
HOST ?= 127.0.0.1
PORT ?= 5000
# One pytest worker per core (pytest-xdist); `make test PYTEST_XDIST=` runs in one process.
# loadgroup: tests marked with one xdist_group share a worker (the browser tests, one live server).
PYTEST_XDIST ?= -n auto --dist loadgroup
POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test lint test-sqlite test-postgresql translations openapi clean

$(BIN)/.installed: pyproject.toml $(PLUGINS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]' $(foreach p,$(PLUGINS),-e $(dir $(p)))
	touch $@

translations: $(BIN)/.installed
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS)

## run: install, migrate the SQLite database, load the demo data, serve on http://127.0.0.1:5000
run: translations
	$(BIN)/spotcheck db upgrade
	$(BIN)/spotcheck plugins sync
	$(BIN)/spotcheck calendar seed
	$(BIN)/spotcheck demo load
	SPOTCHECK_SESSION_COOKIE_SECURE=0 $(BIN)/spotcheck run --host $(HOST) --port $(PORT)

## test: the whole suite on SQLite, then on PostgreSQL when a server is up (required in CI)
test: translations lint test-sqlite
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(subst +psycopg,,$(POSTGRES_URL))', connect_timeout=3).close()" 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgresql; \
	elif [ -n "$$CI" ] || [ -n "$$SPOTCHECK_REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL is not reachable at $(POSTGRES_URL): required in CI" >&2; exit 1; \
	else \
		echo "PostgreSQL is not reachable at $(POSTGRES_URL): PostgreSQL run skipped (CI runs it)"; \
	fi

lint: $(BIN)/.installed
	$(BIN)/ruff check --quiet platform tests plugins

test-sqlite: translations
	$(BIN)/python -m pytest --db sqlite $(PYTEST_XDIST) $(PYTEST_ARGS)

test-postgresql: translations
	SPOTCHECK_TEST_POSTGRES_URL=$(POSTGRES_URL) $(BIN)/python -m pytest --db postgresql $(PYTEST_XDIST) $(PYTEST_ARGS)

## openapi: rewrite schemas/openapi.json from the code
openapi: $(BIN)/.installed
	$(BIN)/spotcheck openapi write schemas/openapi.json

clean:
	rm -rf $(VENV) instance .pytest_cache
