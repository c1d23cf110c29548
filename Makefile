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
# Freed memory kept for reuse (webapp.allocator; the app also sets it itself): a ranking's
# temporary arrays then cost no page faults, about a third of a ranking's time otherwise.
export GLIBC_TUNABLES ?= glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456

.PHONY: install run test lint bench lock

install: $(VENV)/.installed node_modules/.installed

# Every package, with its hashes, comes from requirements.lock (pip-tools); the project itself is
# installed editable on top with no dependency resolution, so nothing unlocked can slip in.
# -qq: errors still print; the notes pip makes about this machine's own index settings do not. A
# changed lock rebuilds the venv from scratch.
$(VENV)/.installed: requirements.lock setup.cfg pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $@

# axe-core, which the browser tests load into Chromium, comes from npm at the version and integrity
# hash package-lock.json pins; `npm ci` starts node_modules afresh, so a changed lock reinstalls it.
NPM ?= npm
node_modules/.installed: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	touch $@

# Regenerate the lock from setup.cfg's ranges (after changing a dependency, or to take updates).
LOCK_TOOLS := build/lock-tools
PIP_TOOLS_VERSION ?= 7.6.2
lock:
	test -x $(LOCK_TOOLS)/bin/pip-compile || ($(PYTHON) -m venv $(LOCK_TOOLS) && \
		$(LOCK_TOOLS)/bin/python -m pip install --quiet pip-tools==$(PIP_TOOLS_VERSION))
	$(LOCK_TOOLS)/bin/pip-compile --quiet --upgrade --extra test --extra postgres --all-build-deps \
		--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock setup.cfg

# The service needs only the Python environment: Node.js and npm are for the browser tests' axe-core.
# Links in e-mails point at the address served (PORT=5100 mails :5100 links) unless set.
run: export PUENTE_BASE_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.installed
	$(BIN)/flask --app webapp init-db
	$(BIN)/flask --app webapp seed-demo --if-empty
	$(BIN)/flask --app webapp build-snapshot --if-changed
	@echo "Serving Puente at http://$(HOST):$(PORT) (Ctrl-C to stop)"
	@echo "Background work (sweep, mail, retraining) runs beside it: flask jobs, on Redis when REDIS_URL is set"
	$(BIN)/gunicorn --config python:webapp.gunicorn_jobs --workers $(WORKERS) --preload --bind $(HOST):$(PORT) \
		--access-logfile - "webapp:create_app()"

# The browser tests drive Debian's Chromium (never a browser a tool downloads): installed here
# when missing, so `make test` needs no other step (sudo when not root).
CHROMIUM ?= /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq chromium

test: install $(CHROMIUM)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python scripts/bench_matcher.py
