# Guichet — `make run` to try it, `make test` to prove it. `make help` lists the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      ?= .venv
PY        := $(VENV)/bin/python
MANAGE    := $(PY) manage.py
# Everything is an environment variable; these are the demo's defaults. The developer's targets
# run in demo mode (safe defaults, demo mailbox); a production deployment sets its own environment.
export GUICHET_DEMO ?= 1
export GUICHET_HOST ?= 127.0.0.1
export GUICHET_PORT ?= 8000
export FC_SANDBOX_PORT ?= 8001
export KIOSK_SANDBOX_PORT ?= 8002

.PHONY: help run dev demo test test-fast lint fmt migrations lock bench clean chromium zbar

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.python:
	@interpreter=$$(bin/find-python) || exit 1; \
	echo "Creating $(VENV) with $$interpreter ($$($$interpreter --version))"; \
	"$$interpreter" -m venv $(VENV) && echo "$$interpreter" > $@

$(VENV)/.installed-main: $(VENV)/.python requirements/main.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/main.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-main requirements/dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

zbar: ## Debian's libzbar0: the tests' independent QR decoder (ADR 0062)
	@ldconfig -p 2>/dev/null | grep -q libzbar.so.0 || { \
	  echo "Installing Debian's libzbar0 for the documents' tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libzbar0 >/dev/null; }

run: $(VENV)/.installed-main ## Install, migrate, load the demo, start the portal, its worker and scheduler
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) createcachetable
	$(MANAGE) load_demo
	$(MANAGE) collectstatic --no-input -v 0
	@$(MANAGE) demo_logins
	$(VENV)/bin/honcho start --no-prefix -f Procfile

dev: export DEBUG ?= 1
dev: $(VENV)/.installed-dev ## Like run, with Django's autoreloading server
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) createcachetable
	$(MANAGE) load_demo
	$(VENV)/bin/honcho start -f Procfile.dev

demo: $(VENV)/.installed-main ## Reload the demo population into the database
	$(MANAGE) load_demo --reset

test: $(VENV)/.installed-dev node_modules/.installed chromium zbar ## Install what tests need and run the whole suite
	$(MANAGE) makemigrations --check --dry-run -v 0
	$(VENV)/bin/pytest -n auto $(PYTEST_ARGS)

test-fast: $(VENV)/.installed-dev zbar ## Run the suite without the browser journeys
	$(VENV)/bin/pytest -n auto -m "not e2e" $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev ## ruff, then mypy on services, selectors and perms
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

fmt: $(VENV)/.installed-dev ## Format and autofix
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations: $(VENV)/.installed-main ## Make the migrations of changed models
	$(MANAGE) makemigrations

lock: $(VENV)/.installed-dev ## Re-lock requirements/*.txt from pyproject.toml
	$(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links -o requirements/main.txt pyproject.toml
	$(VENV)/bin/pip-compile -q --strip-extras --extra dev --no-emit-index-url --no-emit-find-links -o requirements/dev.txt pyproject.toml

bench: $(VENV)/.installed-dev ## Run the benchmarks (figures as ratios)
	$(PY) -m bench $(BENCH_ARGS)

clean: ## Remove the virtualenv, the demo database and collected files
	rm -rf $(VENV) var node_modules
