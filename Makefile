# Mortar CMS: `make dev` runs the whole stack locally, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export NEXT_TELEMETRY_DISABLED := 1

# Node.js: the LTS the renderer is developed, tested and deployed on (web/package.json
# "engines", infra/docker/web.Dockerfile). Where the machine's node is another major
# version, `make install` puts Node's official build, from the npm registry's
# node-linux-<arch> package, in .local/node, and every target here finds it first on PATH.
NODE_MAJOR := 24
NODE_HOME := $(CURDIR)/.local/node
MACHINE_NODE := $(shell node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
ifneq ($(MACHINE_NODE),$(NODE_MAJOR))
export PATH := $(NODE_HOME)/bin:$(PATH)
NODE := $(NODE_HOME)/bin/node
endif
NODE_ARCH := $(subst x86_64,x64,$(subst aarch64,arm64,$(shell uname -m)))

# Tests run against the PostgreSQL and Redis on this machine (see .ci/run). Each test
# process takes a slot (cms/testing/parallel.py): its own database `test_<name>_s<N>`
# cloned from a migrated template, and Redis databases counted from TEST_REDIS_URL's (the
# 8 from it on, with TEST_SLOTS=4).
TEST_DATABASE_URL ?= postgres://postgres:postgres@127.0.0.1:5432/mortar
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# pytest-xdist workers of each pytest session (`-n`); 0: one process.
TEST_WORKERS ?= 2
# A fresh cache prefix per run: Wagtail caches renditions by image id and file hash,
# which repeat when the test database is made anew (so the shell, not make, takes the
# time: each session of one `make test` gets its own).
TEST_ENV := DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	CELERY_BROKER_URL=$(TEST_REDIS_URL) MEDIA_ROOT=$(CURDIR)/.local/test-media \
	CACHE_KEY_PREFIX=test-$$(date +%s%N)
# Each pytest stage leaves its per-test times for `make test`'s closing report.
PYTEST = $(TEST_ENV) $(VENV)/bin/pytest -n $(TEST_WORKERS) --junitxml=.local/test-reports/$@.xml

.PHONY: install install-python install-web node setup dev run test test-fast test-lint \
	test-python test-alone test-web test-e2e lint bench types

# Python and the renderer's packages install side by side.
install:
	@$(MAKE) --no-print-directory -j2 install-python install-web

# uv (from PyPI) installs what pip would, in seconds rather than minutes. Compiled to
# bytecode as pip does (uv does not by default): where PYTHONDONTWRITEBYTECODE is set, as on
# CI machines, every Python process would otherwise compile Django, Wagtail and the rest
# from source as it starts (4 s of CPU per `django.setup()` instead of 1.6 s).
install-python: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q uv
	$(VENV)/bin/uv pip install -q --compile-bytecode --python $(PY) -e ".[test]"
	touch $@

node: $(NODE)
$(NODE_HOME)/bin/node:
	@command -v npm >/dev/null || { echo "npm not found: install Node.js $(NODE_MAJOR) (or any npm to fetch it)"; exit 1; }
	npm install --prefix $(NODE_HOME) --no-save --no-package-lock --no-audit --no-fund \
		--loglevel=error node-linux-$(NODE_ARCH)@$(NODE_MAJOR)
	mkdir -p $(NODE_HOME)/bin
	ln -sf ../node_modules/node-linux-$(NODE_ARCH)/bin/node $@
	@echo "Node.js $$($@ --version) in $(NODE_HOME)/bin (the machine has $(or $(MACHINE_NODE),none))"

# Installed again when the lock file or the Node.js major version changes.
install-web: node
	@if [ -f web/package-lock.json ]; then \
		stamp=web/node_modules/.installed-node$(NODE_MAJOR); \
		if [ ! -f $$stamp ] || [ web/package-lock.json -nt $$stamp ]; then \
			(cd web && npm ci --no-audit --no-fund) && touch $$stamp; \
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

lint: install test-lint

# Every test: ruff, then the renderer's checks, the platform's tests and the end-to-end
# tests side by side (each pytest session with its own workers and slots), ending with
# each stage's wall time and the 25 slowest tests.
test: install
	$(PY) -m cms.testing.stages lint web+python+e2e alone

# The quick loop: the platform's and the sites' tests that start no process of their own
# (no browser, no build, no worker or server: conftest.py), in parallel.
test-fast: install-python
	$(PYTEST) -m "not alone and not processes" cms sites

test-lint: install-python
	$(VENV)/bin/ruff check .

test-python: install-python
	$(PYTEST) -m "not alone" cms sites

# The tests that need the machine to themselves (marked `alone`, conftest.py), one by one:
# the platform's, then the end-to-end ones in a session of their own, whose session-wide
# Celery worker would otherwise take the platform tests' tasks from their own workers.
test-alone: install
	$(PYTEST) -n 0 -m alone cms sites
	$(TEST_ENV) $(VENV)/bin/pytest -n 0 --junitxml=.local/test-reports/$@-e2e.xml -m alone tests

# vitest's tests of the renderers' shared cache run against the tests' Redis.
test-web: install-web
	@if [ -f web/package.json ]; then cd web && npm run types:check && npm run typecheck && npm run lint \
		&& REDIS_URL=$(TEST_REDIS_URL) npm test; fi

# The API contract: OpenAPI from the models, then the site's TypeScript types from it.
types: install
	$(PY) manage.py export_schema
	cd web && npm run types

# The whole stack for real; pytest-xdist hands out whole files (module fixtures start
# servers), and each worker runs its own stack on the session's one `next build`.
test-e2e: install
	$(PYTEST) --dist loadfile -m "not alone" tests

bench: install
	$(TEST_ENV) $(PY) -m bench
