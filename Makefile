# Concertem: the two commands a newcomer needs are `make demo` and `make test`.
# Every target is idempotent: it installs only what is missing and prints progress.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON_SYSTEM ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) site/manage.py
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install lock system-deps ckan-start ckan-stop db demo-data demo-publish demo serve test test-unit \
        test-postgres test-cluster cluster-demo lint check bench harden clean

help:
	@echo "make demo   - install everything, load the real data and demo content, publish to a local CKAN, serve on http://$(HOST):$(PORT)"
	@echo "make test   - install what is missing and run the whole test suite (integration tests included)"
	@echo "make lint   - ruff + import contracts"
	@echo "make bench  - benchmarks, printing ratios measured in one run"
	@echo "make cluster-demo - two nodes behind HAProxy with PostgreSQL and Redis, on port $(PORT)"
	@echo "make harden - the full hardening suite"

# ---- Installation ----
$(STAMP): pyproject.toml requirements.lock
	@echo "==> Creating $(VENV) and installing the project (versions from requirements.lock)"
	@test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# The newest versions pyproject.toml allows, written to requirements.lock (then run
# make test, and make harden for the dependency audit, before committing it).
lock: install
	@echo "==> Upgrading within pyproject.toml's ranges and writing requirements.lock"
	@$(PY) -m pip install --quiet --upgrade -e '.[dev]'
	@{ sed -n '1,3p' requirements.lock; $(PY) -m pip freeze --exclude-editable; } > requirements.lock.new
	@mv requirements.lock.new requirements.lock

# axe-core for the accessibility checks in the browser tests (Leaflet is vendored
# into site/static, so the site itself needs no npm at run time).
node_modules/.installed: package.json package-lock.json
	@echo "==> npm ci (test tools)"
	@npm ci --no-audit --no-fund --loglevel=error
	@touch node_modules/.installed

# Debian packages the tests and the demo use (the list: scripts/system-packages.txt):
# Chromium for browser tests, PostgreSQL and Redis for the local CKAN and the PostgreSQL
# test run.
system-deps:
	@bash scripts/system_deps.sh

# ---- Local CKAN (a real CKAN 2.12 with its own venv, PostgreSQL and Redis) ----
# The manager is ckanlocal/ (`concertem ckan-server` is the same commands).
ckan-start: install system-deps
	@echo "==> Starting the local CKAN"
	@$(PY) -m ckanlocal start

ckan-stop: install
	@$(PY) -m ckanlocal stop

# ---- Database and demo ----
db: install
	@echo "==> Migrating the database"
	@mkdir -p var
	@$(MANAGE) migrate --no-input -v 0
	@$(MANAGE) createcachetable -v 0 || true

demo-data: db
	@echo "==> Loading demo content (pages, debates, facilities, survey, actions, office)"
	@$(MANAGE) load_demo
	@$(MANAGE) update_index -v 0 >/dev/null

# Export what lives in the database, then build, validate and publish every dataset
# to the local CKAN. Publishing is idempotent: a second `make demo` uploads nothing.
demo-publish: demo-data
	@echo "==> Exporting the database-held datasets"
	@$(MANAGE) export_open_data
	@echo "==> Building the Data Packages"
	@$(VENV)/bin/concertem build
	@echo "==> Validating them"
	@$(VENV)/bin/concertem validate
	@echo "==> Publishing them to the local CKAN"
	@$(VENV)/bin/concertem publish

demo: install system-deps ckan-start demo-publish
	@$(MAKE) --no-print-directory serve

serve: install
	@bash scripts/serve_demo.sh $(HOST) $(PORT)

# ---- Quality ----
lint: install
	@echo "==> ruff"
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@echo "==> import contracts"
	@# The site's apps are importable from site/ (they are not installed packages).
	@PYTHONPATH=.:site $(VENV)/bin/lint-imports --no-cache

check: install
	@echo "==> Django checks"
	@DJANGO_SETTINGS_MODULE=concertem.config.settings.test $(MANAGE) check --fail-level WARNING
	@DJANGO_SETTINGS_MODULE=concertem.config.settings.test $(MANAGE) makemigrations --check --dry-run -v 1

test-unit: install
	@echo "==> pytest"
	@$(VENV)/bin/pytest -q

test: install system-deps node_modules/.installed lint check ckan-start
	@echo "==> pytest (unit, page, browser and CKAN integration tests)"
	@CONCERTEM_REQUIRE_CKAN=1 $(VENV)/bin/pytest -q

# The same suite against a throwaway PostgreSQL cluster (CI runs it too).
test-postgres: install system-deps
	@echo "==> pytest on PostgreSQL"
	@bash scripts/with_postgres.sh $(VENV)/bin/pytest -q -m "not browser and not integration and not cluster"

# Two gunicorn nodes behind HAProxy, Redis, PostgreSQL: consistency across nodes, tasks
# run once by two workers (CI runs it too).
test-cluster: install system-deps
	@echo "==> pytest tests/cluster (two nodes, HAProxy, Redis, PostgreSQL)"
	@bash scripts/with_postgres.sh $(VENV)/bin/pytest -q -m cluster tests/cluster

# The production layout on this machine: PostgreSQL, Redis, two nodes, a task worker and
# HAProxy on one port, with the demo content; Ctrl+C stops everything.
cluster-demo: install system-deps
	@bash scripts/with_postgres.sh $(PY) deploy/demo.py --port $(PORT)

bench: install system-deps ckan-start
	@bash scripts/bench.sh

# The whole hardening suite: hostile input, permissions, faults, bad data, deployment.
# `make test` runs its fast parts; this runs the long ones too.
harden: install system-deps node_modules/.installed ckan-start
	@CONCERTEM_REQUIRE_CKAN=1 CONCERTEM_HARDEN=1 bash scripts/harden.sh

clean:
	rm -rf build var/static
