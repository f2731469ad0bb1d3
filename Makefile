# Backstretch: `make run` starts the app with demo data; `make test` runs the whole suite.
# `make test PYTEST_ARGS="-k timeline -x"` passes extra arguments to pytest (both passes).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=
HOST ?= 127.0.0.1
export PORT

.PHONY: run test lint typecheck bench install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs are redone only when a lock file changes (the stamp files record the last install).
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@ $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	@touch $@

# The camera coach's files (pose model and browser runtime, scripts/build-pose-model.py), built
# from the pinned registry packages into build/coach/ and served at /coach/. mediapipe
# has no wheel for every machine (none for Linux on ARM): there the app runs without the camera.
COACH := build/coach
$(VENV)/.installed-pose: requirements-pose.lock | $(BIN)/python
	@$(BIN)/pip install --quiet --require-hashes -r requirements-pose.lock \
		|| echo "The camera coach's pose model cannot be built on this machine (no mediapipe for it): the app works without the camera."
	@touch $@

$(COACH)/.built: scripts/build-pose-model.py package-lock.json $(VENV)/.installed-pose node_modules/.installed
	@if $(BIN)/python -c 'import mediapipe' 2>/dev/null; then \
		$(BIN)/python scripts/build-pose-model.py node_modules $(COACH) && touch $@; \
	else echo "Skipping the camera coach's files: mediapipe is not installed."; fi

# The app's own modules compiled ahead of time, so that a start reads their bytecode instead of
# compiling them each time (where PYTHONDONTWRITEBYTECODE keeps Python from saving what it
# compiles on import, as it is for an editable install; `pip install .` compiles at install).
# Redone when a module changes; compileall skips those already up to date.
$(VENV)/.compiled: $(shell find backstretch -name '*.py') | $(BIN)/python
	$(BIN)/python -m compileall -q backstretch
	@touch $@

install: $(VENV)/.installed node_modules/.installed $(COACH)/.built $(VENV)/.compiled
install-dev: $(VENV)/.installed-dev node_modules/.installed $(COACH)/.built $(VENV)/.compiled

# The demo lives in a data directory of its own (DEMO_DATA_DIR), on its own SQLite file: never
# the one a real `backstretch serve` uses, whatever BACKSTRETCH_DATA_DIR or DATABASE_URL say,
# since its accounts share a published password. One background worker (clinic exports) runs
# beside the server and stops with it; Ctrl+C stops both.
run: install
	@export BACKSTRETCH_DATA_DIR="$${DEMO_DATA_DIR:-$$($(BIN)/python -c 'import platformdirs; print(platformdirs.user_data_dir("backstretch-demo"))')}"; \
	unset DATABASE_URL; \
	echo "Demo data directory: $$BACKSTRETCH_DATA_DIR (DEMO_DATA_DIR=... picks another)"; \
	$(BIN)/backstretch migrate --no-input -v0 && \
	$(BIN)/backstretch library sync && \
	$(BIN)/backstretch demo || exit 1; \
	$(BIN)/backstretch worker -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(BIN)/backstretch serve --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: install-dev
	$(BIN)/mypy backstretch

test: install-dev lint typecheck
	bash scripts/run-tests $(PYTEST_ARGS)

bench: install-dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules $(COACH) .pytest_cache .mypy_cache .ruff_cache .hypothesis
