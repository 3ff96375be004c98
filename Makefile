# anjian: the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-pg lint bench crash install assets messages system-deps system-test-deps clean serve

$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --omit=dev --no-audit --no-fund --loglevel=error
	@touch $@

install: $(BIN)/.installed node_modules/.installed
	@$(BIN)/python scripts/compile_messages.py

assets: node_modules/.installed

# Enforcement documents (ADR 0007) need Debian's pango and harfbuzz-subset (WeasyPrint) and the
# free CJK fonts they embed; install whichever of them is missing.
DOC_SYSTEM_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
system-deps:
	@missing=$$(for p in $(DOC_SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing from Debian's packages for the documents:" $$missing; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# Browser tests drive Debian's Chromium; install it from Debian's packages when it is missing.
system-test-deps: system-deps
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	fi

# The demo's documents print the address it serves on under their QR codes, unless the
# environment names the public one (documents are never issued with a relative address).
demo: export ANJIAN_PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
# demo-data migrates the database itself: a new one then begins at the demo story's start.
# The background worker (ADR 0012: Huey on var/jobs.sqlite3) runs beside the web server and
# stops with it; its log is var/jobs.log.
demo: install system-deps
	$(BIN)/anjian demo-data
	@echo "Serving on http://$(HOST):$(PORT)/ with the background worker (Ctrl-C stops both)"
	@mkdir -p var; $(BIN)/anjian run_huey --logfile var/jobs.log & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/anjian runserver $(HOST):$(PORT)

test: install system-test-deps
	$(BIN)/anjian makemigrations --check --dry-run -v0
	DJANGO_SETTINGS_MODULE=anjian.settings_test $(BIN)/pytest -n 2 $(PYTEST_ARGS)

# The same suite against PostgreSQL (DATABASE_URL must point at a server that can create a
# test database); .ci/run calls this when one answers on 127.0.0.1:5432.
test-pg: install system-test-deps
	DJANGO_SETTINGS_MODULE=anjian.settings_test $(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests bench scripts manage.py
	$(BIN)/ruff format --check src tests bench scripts manage.py
	$(BIN)/mypy
	$(BIN)/bandit -q -c pyproject.toml -r src
	SEMGREP_ENABLE_VERSION_CHECK=0 $(BIN)/semgrep scan --config .semgrep --metrics=off \
	  --disable-version-check --quiet --error src

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

# Crash consistency of the audit trail on a throw-away PostgreSQL cluster (needs Debian's server
# binaries): 5 SIGKILLs under 4 writers, 0 acknowledged events may be lost; then the same with
# synchronous_commit off, which must report losses (docs/audit-chain.md).
crash: install
	$(BIN)/python scripts/crash_harness.py --rounds 5 --writers 4
	! $(BIN)/python scripts/crash_harness.py --rounds 5 --writers 4 --unsafe

# Refresh the zh_Hans catalogue after changing user-facing strings (needs GNU gettext).
messages: install
	@command -v xgettext >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq gettext)
	cd src/anjian && ../../$(BIN)/django-admin makemessages -l zh_Hans --no-location --no-obsolete \
	  --ignore 'static/*' --settings=anjian.settings_test
	$(BIN)/python scripts/compile_messages.py

clean:
	rm -rf $(VENV) node_modules var
