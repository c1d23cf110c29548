# Quick start: `make run` (install, create the SQLite database, load demo data, serve) and
# `make test` (install, run the whole test suite). Both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
# One BLAS/OpenMP thread per worker process: mixing thread pools on 2 cores costs up to 3.8x.
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

.PHONY: install run test lint bench

install: $(VENV)/.installed

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,postgres]"
	touch $@

run: install
	$(BIN)/flask --app webapp init-db
	$(BIN)/flask --app webapp seed-demo --if-empty
	@echo "Serving Puente at http://$(HOST):$(PORT) (Ctrl-C to stop)"
	$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - "webapp:create_app()"

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python scripts/bench_matcher.py
