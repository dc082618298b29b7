# Two commands set everything up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
KAFKA_JARS := .cache/kafka-libs/.complete
CHROMIUM := /usr/bin/chromium
LANGUAGES := kk ru en
AXE_VERSION := 4.14.1
AXE := .cache/axe/node_modules/axe-core/axe.min.js
CATALOGS := $(foreach lang,$(LANGUAGES),api/locales/$(lang)/LC_MESSAGES/messages.mo)

.PHONY: help install run demo test test-unit lint format up down bench kafka-jars browser clean catalogs

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml
	@test -n "$(PY)" || { echo "Python 3.11 is needed (python3.11 or python3 on PATH)."; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(INSTALLED) $(CATALOGS) ## Create .venv and install the project with its pinned dependencies

# The build compiles each language's catalog; `make catalogs` is for when messages change.
api/locales/%/LC_MESSAGES/messages.mo: api/locales/%/LC_MESSAGES/messages.po $(INSTALLED)
	$(BIN)/pybabel compile --statistics -D messages -l $* -i $< -o $@

catalogs: $(INSTALLED) ## Extract the message ids (babel.cfg) and merge them into each language's .po
	$(BIN)/pybabel extract -F babel.cfg -k t -k N_ --no-default-keywords --sort-by-file \
	  --project appeals --version 1 -o api/locales/messages.pot .
	$(BIN)/pybabel update -D messages -i api/locales/messages.pot -d api/locales --no-fuzzy-matching

$(KAFKA_JARS): infra/local/kafka/pom.xml $(INSTALLED)
	$(BIN)/python -c "from infra.local.kafka_broker import ensure_jars; ensure_jars()"

kafka-jars: $(KAFKA_JARS) ## Resolve the Apache Kafka broker jars from Maven Central

run: $(INSTALLED) $(CATALOGS) ## Run the service embedded on http://127.0.0.1:8000 (PostgreSQL under ./.data, no Kafka)
	$(BIN)/appeals migrate
	APPEALS_ENVIRONMENT=$(or $(APPEALS_ENVIRONMENT),development) $(BIN)/appeals run

demo: $(INSTALLED) $(CATALOGS) ## Fill the local store with demo data (SCALE=0.1 for a tenth, TODAY=YYYY-MM-DD; joins `make run`)
	$(BIN)/appeals demo --scale $(or $(SCALE),1.0) --seed $(or $(SEED),7) $(if $(TODAY),--today $(TODAY))

$(AXE): Makefile
	@command -v npm >/dev/null || { echo "The accessibility checks need npm (Node.js) to fetch axe-core."; exit 1; }
	npm install --prefix .cache/axe --no-audit --no-fund --no-save --silent axe-core@$(AXE_VERSION)
	@test -f $@ && touch $@

browser: $(AXE) ## Debian's Chromium for the dashboard's browser tests (apt-get install as root)
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "The browser tests need $(CHROMIUM): install Debian's chromium package" \
	      "(sudo apt-get install chromium), or run make as root."; \
	    exit 1; \
	  fi; \
	fi

test: $(INSTALLED) $(CATALOGS) $(KAFKA_JARS) browser ## The whole suite on real PostgreSQL and a real Kafka broker it starts itself
	$(BIN)/pytest

test-unit: $(INSTALLED) ## Unit tests only (no services)
	$(BIN)/pytest tests/unit

lint: $(INSTALLED) ## ruff, mypy and the layer contracts (import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(INSTALLED) ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

up: $(INSTALLED) $(KAFKA_JARS) ## Distributed stack locally: PostgreSQL, Kafka, API, relay, consumer
	APPEALS_ENVIRONMENT=$(or $(APPEALS_ENVIRONMENT),development) $(BIN)/appeals up

down: $(INSTALLED) ## Stop what `make up` started
	$(BIN)/appeals down

clean: ## Remove the virtualenv, caches and local data
	rm -rf $(VENV) .cache .data .pytest_cache .mypy_cache .ruff_cache

REBUILD_SIZES ?= 20000,60000
bench: $(INSTALLED) $(KAFKA_JARS) ## Each pipeline stage beside the library's own, in one run; register queries at a million appeals; rebuild rates (REBUILD_SIZES=500000,1000000,2000000,5000000 for the full sizes); freshness under load
	$(BIN)/appeals bench --appeals $(or $(APPEALS),2000)
	$(BIN)/appeals bench-register --rows $(or $(ROWS),1000000)
	$(BIN)/appeals bench-rebuild --sizes $(REBUILD_SIZES)
	$(BIN)/appeals bench-freshness --rates 100,250,500
