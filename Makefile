# Two commands on a fresh machine: `make run` and `make test` (see README.md).
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The 30 slowest tests are listed at the end of every run: `make test` must stay under 30 minutes.
PYTEST_ARGS ?= --durations=30

.PHONY: generate install run run-distributed migrate seed serve test lint typecheck pytest services-up lock clean web web-install web-check web-test bench bench-load

$(VENV)/.installed: pyproject.toml requirements.lock
	@echo "install: creating $(VENV) and installing pinned dependencies ..."
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check uv==0.13.*
	@$(BIN)/uv pip sync -q --compile-bytecode --python $(PY) requirements.lock
	@$(BIN)/uv pip install -q --python $(PY) --no-deps -e .
	@$(PY) -m compileall -q -j 0 src   # every process then starts without compiling its imports
	@touch $@
	@echo "install: done"

install: $(VENV)/.installed

run: install migrate seed web
	$(BIN)/reservo serve --host $(HOST) --port $(PORT)

# The distributed shape without Docker: serve + worker per service, Kafka, Redis, PostgreSQL, nginx.
run-distributed: install
	scripts/run-distributed.sh $(SERVICES)

migrate: install
	$(BIN)/reservo migrate

seed: install
	$(BIN)/reservo seed

test: install lint typecheck web-test web services-up pytest

lint: install web-install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	cd $(WEB) && npm run --silent lint && npm run --silent gen:check

typecheck: install web-install
	$(BIN)/mypy src tests
	cd $(WEB) && npm run --silent typecheck

# Starts PostgreSQL, Redis and Kafka as local processes when the machine can; tests that need an
# engine skip without it, except under CI=true where a missing engine fails the run.
services-up:
	@if [ -x scripts/services.sh ]; then scripts/services.sh up || echo "services: not started; their tests will skip (or fail under CI)"; fi

pytest: install
	$(BIN)/pytest -q $(PYTEST_ARGS)

# Every artefact derived from the service registry (services/__init__.py, routes.toml): compose,
# init.sql, gateway configs, Helm routes, Prometheus targets, import-linter list, events/topics.md,
# event schemas, api-specs; then the web app's API client from api-specs. `--check` only reports.
generate: install
	$(BIN)/reservo generate
	@if [ -d $(WEB)/node_modules ]; then cd $(WEB) && npm run --silent gen; fi

# Benchmarks (never part of `make test`): booking against the raw PostgreSQL transaction, embedded SQLite,
# events through the bus. Figures go to bench/RESULTS.md by hand, with the load average of the run.
bench: install services-up
	eval "$$(scripts/services.sh env)" && $(PY) bench/ceiling.py && \
	$(PY) bench/ceiling.py --db sqlite --loads hot:16 --availability 0 && \
	$(PY) bench/events_throughput.py --n 5000 --runs 1

# The Locust scenario (browse -> availability -> book -> pay) against the distributed shape, users
# raised step by step until p95 reaches 500 ms or a request fails. Locust has its own virtualenv.
LOCUST_VENV := .venv-locust
$(LOCUST_VENV)/.installed: bench/locust/requirements.lock $(VENV)/.installed
	@test -x $(LOCUST_VENV)/bin/python || python3 -m venv $(LOCUST_VENV)
	@$(BIN)/uv pip sync -q --python $(LOCUST_VENV)/bin/python bench/locust/requirements.lock
	@touch $@

bench-load: install services-up $(LOCUST_VENV)/.installed
	$(PY) bench/load.py

# Regenerate the lock file after changing dependencies in pyproject.toml (names no registry host).
lock: install
	$(BIN)/uv pip compile -q --no-emit-index-url --extra dev pyproject.toml -o requirements.lock

# The web app (frontend/): npm ci when the lock file changed, a Vite build when a source changed.
# The browser tests (tests/web) drive the build with Debian's chromium through playwright-core.
WEB := frontend
WEB_SOURCES := $(shell find $(WEB)/src $(WEB)/public -type f 2>/dev/null) $(WEB)/index.html $(WEB)/vite.config.ts $(WEB)/tsconfig.json

$(WEB)/node_modules/.installed: $(WEB)/package.json $(WEB)/package-lock.json
	cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web-install: $(WEB)/node_modules/.installed

$(WEB)/dist/index.html: $(WEB)/node_modules/.installed $(WEB_SOURCES)
	cd $(WEB) && npm run --silent build

web: $(WEB)/dist/index.html

web-test: web-install
	cd $(WEB) && npm run --silent test

clean:
	rm -rf $(VENV) $(LOCUST_VENV) data .pytest_cache .mypy_cache .ruff_cache $(WEB)/node_modules $(WEB)/dist
