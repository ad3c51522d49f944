# Two commands on a fresh machine: `make run` and `make test` (see README.md).
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run run-distributed migrate seed serve test lint typecheck pytest services-up lock clean

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

run: install migrate seed
	$(BIN)/reservo serve --host $(HOST) --port $(PORT)

# The distributed shape without Docker: serve + worker per service, Kafka, Redis, PostgreSQL, nginx.
run-distributed: install
	scripts/run-distributed.sh $(SERVICES)

migrate: install
	$(BIN)/reservo migrate

seed: install
	$(BIN)/reservo seed

test: install lint typecheck services-up pytest

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy src

# Starts PostgreSQL, Redis and Kafka as local processes when the machine can; tests that need an
# engine skip without it, except under CI=true where a missing engine fails the run.
services-up:
	@if [ -x scripts/services.sh ]; then scripts/services.sh up || echo "services: not started; their tests will skip (or fail under CI)"; fi

pytest: install
	$(BIN)/pytest -q $(PYTEST_ARGS)

# Regenerate the lock file after changing dependencies in pyproject.toml (names no registry host).
lock: install
	$(BIN)/uv pip compile -q --no-emit-index-url --extra dev pyproject.toml -o requirements.lock

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
