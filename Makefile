# Mortar CMS: `make dev` runs the whole stack locally, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export NEXT_TELEMETRY_DISABLED := 1

# Tests run against the PostgreSQL and Redis on this machine (see .ci/run).
TEST_DATABASE_URL ?= postgres://postgres:postgres@127.0.0.1:5432/mortar
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# A fresh cache prefix per run: Wagtail caches renditions by image id and file hash,
# which repeat when the test database is made anew (so the shell, not make, takes the
# time: test-python and test-e2e of one `make test` each get their own).
TEST_ENV := DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	CELERY_BROKER_URL=$(TEST_REDIS_URL) MEDIA_ROOT=$(CURDIR)/.local/test-media \
	CACHE_KEY_PREFIX=test-$$(date +%s%N)

.PHONY: install install-python install-web setup dev run test test-python test-web test-e2e lint bench types

install: install-python install-web

install-python: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[test]"
	touch $@

install-web:
	@if ! command -v npm >/dev/null; then echo "npm not found: install Node 20+ to run the site (web/)"; \
	elif [ -f web/package-lock.json ]; then \
		if [ ! -f web/node_modules/.installed ] || [ web/package-lock.json -nt web/node_modules/.installed ]; then \
			(cd web && npm ci --no-audit --no-fund) && touch web/node_modules/.installed; \
		fi; \
	fi

# Database, demo content and the first admin user; safe to run again.
setup: install-python
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py ensure_admin

dev: install setup run

# `make dev CMS_PORT=8100 WEB_PORT=3100`: runstack derives every URL from the two ports.
CMS_PORT ?= 8000
WEB_PORT ?= 3000
run:
	$(PY) manage.py runstack --cms-port $(CMS_PORT) --web-port $(WEB_PORT)

lint: install
	$(VENV)/bin/ruff check .

test: install lint test-python test-web test-e2e

test-python: install-python
	$(TEST_ENV) $(VENV)/bin/pytest cms sites --create-db

test-web: install-web
	@if [ -f web/package.json ]; then cd web && npm run types:check && npm run typecheck && npm run lint && npm test; fi

# The API contract: OpenAPI from the models, then the site's TypeScript types from it.
types: install
	$(PY) manage.py export_schema
	cd web && npm run types

test-e2e: install
	$(TEST_ENV) $(VENV)/bin/pytest tests --create-db

bench: install
	$(TEST_ENV) $(PY) -m bench
