# Two commands for a newcomer: `make run` serves the site, `make test` runs the tests.
# Everything is installed into .venv with a Python >= 3.12 found below.

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
# The local site runs with DEBUG on unless the environment says otherwise (then SECRET_KEY
# must be set too).
DEV := DEBUG=$${DEBUG:-true}
HOST ?= 127.0.0.1
PORT ?= 8000

# Django 6.1 needs Python 3.12+; plain `python3` may be older (3.11 on our machines), so
# look for a suitable interpreter explicitly: pyenv's 3.13/3.12, then python3.13/3.12 on PATH.
FIND_PYTHON = for candidate in \
		"$$(pyenv prefix 3.13.0 2>/dev/null)/bin/python" \
		"$$(pyenv prefix 3.13 2>/dev/null)/bin/python" \
		"$$(pyenv prefix 3.12.1 2>/dev/null)/bin/python" \
		"$$(pyenv prefix 3.12 2>/dev/null)/bin/python" \
		python3.13 python3.12; do \
		if command -v "$$candidate" >/dev/null 2>&1 && \
		   "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
			echo "$$candidate"; exit 0; \
		fi; \
	done; exit 1

.PHONY: run test test-fast test-outage browser-deps report-deps install install-dev migrate seed lint format check messages bench bench-deps clean

$(PY):
	@python=$$($(FIND_PYTHON)) || { \
		echo "error: Python 3.12 or newer is needed (Django 6.1). Install python3.13 or python3.12" >&2; \
		echo "       (e.g. 'pyenv install 3.13') and run make again." >&2; exit 1; }; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed report-deps

install-dev: $(VENV)/.installed-dev

migrate: install
	$(DEV) $(MANAGE) migrate --noinput

seed: migrate
	$(DEV) $(MANAGE) load_seed_content
	$(DEV) $(MANAGE) create_demo_accounts

run: seed
	@echo "Serving the site at http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	$(DEV) $(MANAGE) runserver $(HOST):$(PORT)

# Everything but the PostgreSQL restart (marker `outage`, make test-outage).
test: install-dev browser-deps report-deps
	$(BIN)/pytest -m "not outage" $(PYTEST_ARGS)

# Everything but the browser tests (tests/browser, marker `browser`) and the restart.
test-fast: install-dev report-deps
	$(BIN)/pytest -m "not browser and not outage" $(PYTEST_ARGS)

# PostgreSQL restarted under load (tests/deploy/test_database_restart.py): it stops the
# local cluster, cutting every connection on the machine, so it runs alone, never inside
# `make test`. Needs DATABASE_URL=postgres://…@127.0.0.1, CACHE_URL=redis://… and root;
# skipped otherwise.
test-outage: install-dev
	$(BIN)/pytest -m outage -p no:cacheprovider tests/deploy/test_database_restart.py $(PYTEST_ARGS)

# $(call as_root,COMMAND): run an install command as root (directly, or through sudo), or
# stop with the command to run by hand.
as_root = if [ "$$(id -u)" -eq 0 ]; then $(1); \
	elif command -v sudo >/dev/null 2>&1; then sudo sh -c '$(1)'; \
	else echo "error: this needs root; as root run:" >&2; echo "       $(1)" >&2; exit 1; fi

# The browser tests drive Debian's chromium through Playwright, which must never download a
# browser (`playwright install`). fonts-wqy-microhei: a small CJK font for the Chinese pages.
CHROMIUM := /usr/bin/chromium
APT_BROWSER = apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-wqy-microhei

browser-deps:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		$(call as_root,$(APT_BROWSER)); \
	fi

# The yearly summary's PDF (WeasyPrint) needs Pango and fonts with the report's glyphs:
# DejaVu Sans for Vietnamese (WenQuanYi has no Vietnamese letters), WenQuanYi Micro Hei
# (1.6 MB, rather than fonts-noto-cjk's 57 MB) for Chinese; without them, empty boxes.
APT_REPORT = apt-get update -qq && apt-get install -y -qq --no-install-recommends \
	libpango-1.0-0 libpangoft2-1.0-0 fontconfig fonts-dejavu-core fonts-wqy-microhei

report-deps:
	@if ! { ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 && \
	        fc-list -q "DejaVu Sans" 2>/dev/null && \
	        fc-list -q "WenQuanYi Micro Hei" 2>/dev/null; }; then \
		echo "Installing Pango and the fonts of the yearly summary's PDF"; \
		$(call as_root,$(APT_REPORT)); \
	fi

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install-dev
	DEBUG=true $(MANAGE) check
	DEBUG=true $(MANAGE) makemigrations --check --dry-run

# Needs GNU gettext; the compiled .mo files are committed so that `make run` does not.
messages: install-dev
	DEBUG=true $(MANAGE) makemessages -l vi -l en -l zh_Hans --no-location --no-obsolete \
		--ignore '.venv/*' --ignore 'staticfiles/*'
	DEBUG=true $(MANAGE) compilemessages --ignore '.venv/*'

# The benchmark (bench/README.md): needs PostgreSQL and Redis on this machine and wrk
# (make bench-deps installs it). The first run generates its databases; later runs reuse them.
# Options through BENCH_ARGS, e.g. make bench BENCH_ARGS=--quick (a 4-minute smoke test).
APT_BENCH = apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk

bench-deps:
	@if ! command -v wrk >/dev/null 2>&1; then \
		echo "Installing wrk for the benchmark"; \
		$(call as_root,$(APT_BENCH)); \
	fi

bench: install bench-deps
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
