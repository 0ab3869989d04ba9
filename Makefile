# sitrep: the only entry point a newcomer needs. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= var
VENDOR := src/sitrep/static/sitrep/vendor
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
# One test process per core; each test file runs whole on one of them (its fixtures and
# servers stay together). PARALLEL= runs the suite in one process.
PARALLEL ?= -n auto --dist loadfile

.PHONY: help install run worker serve demo test test-fast test-postgres lint fmt check clean bench lock lighthouse screenshots vendor audit

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 16

$(BIN)/sitrep: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e .
	touch $@

# Test tools: Python packages, axe-core / vnu-jar / Lighthouse from npm (package-lock.json),
# and Debian's Chromium, a Java runtime and nginx for the browser, HTML-validity and deploy tests.
$(VENV)/.test-deps: $(BIN)/sitrep package-lock.json
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	npm ci --no-audit --no-fund --loglevel=error
	command -v chromium >/dev/null && command -v java >/dev/null && command -v nginx >/dev/null \
	  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium default-jre-headless nginx-light >/dev/null; }
	touch $@

# Export files that other projects ship in their test suites, for the importer tests (not kept
# in this repository: they are other people's files).
$(VENV)/real-exports/.done: $(BIN)/sitrep tools/real_exports.py
	$(BIN)/python tools/real_exports.py
	touch $@

install: $(BIN)/sitrep ## Create .venv and install sitrep

# The one configuration every process started here reads (config/env.py): written once with a
# random secret key (an older checkout's var/secret_key is kept), never overwritten.
.env:
	umask 077 && { echo "# sitrep's configuration: see .env.example for every variable."; \
	  echo "SITREP_SECRET_KEY=$$(cat $(DATA_DIR)/secret_key 2>/dev/null || $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')"; } > $@

# Serve the site: migrate, load the demo week on an empty site, start the background worker,
# then the web server (granian) on 127.0.0.1:8000. Ctrl+C stops both.
run: install .env ## Install, migrate, load demo content if empty, worker + serve :8000
	$(BIN)/sitrep migrate --no-input && \
	$(BIN)/sitrep demo && \
	{ $(BIN)/sitrep worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/sitrep serve; }

worker: install .env ## Run only the background worker (feed polling, tasks)
	$(BIN)/sitrep worker

test: $(VENV)/.test-deps $(VENV)/real-exports/.done ## Lint, check the apps' layers, run the whole suite (SQLite, or DATABASE_URL if set)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PARALLEL)

test-fast: $(VENV)/.test-deps $(VENV)/real-exports/.done ## The suite without the tests that start browsers, servers and processes
	$(BIN)/python -m pytest $(PARALLEL) -m "not slow"

test-postgres: $(VENV)/.test-deps $(VENV)/real-exports/.done ## Run the suite against the local PostgreSQL
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/python -m pytest $(PARALLEL)

lint: $(VENV)/.test-deps ## ruff check and format check, and the apps' layers (import-linter)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/lint-imports

fmt: $(VENV)/.test-deps ## Format the code and fix what ruff can
	$(BIN)/ruff check --fix src tests bench tools
	$(BIN)/ruff format src tests bench tools

check: $(VENV)/.test-deps .env ## Django's deploy checks and a missing-migrations check
	$(BIN)/sitrep check --deploy
	$(BIN)/sitrep makemigrations --check --dry-run

clean: ## Remove .venv (keeps var/, your data)
	rm -rf $(VENV)

lock: $(BIN)/sitrep ## Re-pin requirements.lock from a fresh resolve of pyproject.toml
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -e '.[test]'
	{ head -2 requirements.lock; .venv-lock/bin/pip freeze --exclude-editable | grep -v '^-e'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

bench: $(VENV)/.test-deps ## Measure pages, polling, import, floods, throughput vs nginx, comment POSTs, places
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/poll_feeds.py
	$(BIN)/python bench/import_big.py --megabytes 100
	$(BIN)/python bench/flood.py
	command -v wrk >/dev/null && command -v nginx >/dev/null || apt-get install -y -qq wrk nginx-light
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/comment_post.py
	$(BIN)/python bench/places.py
	$(BIN)/python bench/nginx_map.py

audit: $(VENV)/.test-deps ## Attack a throwaway site with wapiti and sqlmap; reports in var/audit/
	command -v wapiti >/dev/null && command -v sqlmap >/dev/null \
	  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wapiti sqlmap >/dev/null; }
	$(BIN)/python tools/audit.py

lighthouse: $(VENV)/.test-deps ## Lighthouse scores: front page, a post with 200 comments, a post with a picture
	$(BIN)/python tools/lighthouse.py

screenshots: $(VENV)/.test-deps ## Desktop and phone, light and dark screenshots into docs/screenshots/
	$(BIN)/python tools/screenshots.py

vendor: ## Copy the map's browser files from node_modules into static/ (commit the result)
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/leaflet/images $(VENDOR)/world-atlas $(VENDOR)/topojson-client
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/LICENSE $(VENDOR)/leaflet/
	cp node_modules/leaflet/dist/images/*.png $(VENDOR)/leaflet/images/
	cp node_modules/world-atlas/countries-110m.json node_modules/world-atlas/LICENSE $(VENDOR)/world-atlas/
	cp node_modules/topojson-client/dist/topojson-client.min.js node_modules/topojson-client/LICENSE $(VENDOR)/topojson-client/
