# Two commands for a fresh machine:
#   make run    install everything, load the demo data on SQLite and start the site and its scheduler
#   make test   install everything (PostgreSQL, Chromium, axe-core too) and run the whole suite
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP = forum_app
# Python keeps its compiled modules (and pytest its rewritten test modules) in __pycache__: a machine that
# sets PYTHONDONTWRITEBYTECODE made every test process compile the app and rewrite 400 test modules again,
# 4.5 s of CPU per process (docs/benchmarks.md).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test test-dates install install-test compile messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Each installs again only when what it installs from has changed (a stamp file in the virtualenv).
install: $(VENV)/.installed
	$(MAKE) --no-print-directory compile

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	bash scripts/install-build-deps.sh
	$(BIN)/pip install --quiet -e .
	touch $@

# The system's parts (PostgreSQL, Chromium, ...) are checked every time: the script installs only what is missing.
install-test: $(VENV)/.installed-test
	bash scripts/install-test-deps.sh
	$(MAKE) --no-print-directory compile

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	bash scripts/install-build-deps.sh
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

compile:
	$(BIN)/pybabel compile -d translations --statistics

# The scheduler (newsletters, reminders, retries of emails) runs beside the site and stops with it.
run: install
	bash scripts/install-pdf-deps.sh
	$(BIN)/flask db upgrade
	$(BIN)/flask demo
	$(BIN)/flask scheduler & scheduler=$$!; trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
		$(BIN)/flask run --host $(HOST) --port $(PORT)

# One pytest process per core (pytest-xdist); TEST_WORKERS=0 runs the suite in this process alone.
TEST_WORKERS ?= auto
test: install-test
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The quick suite again with the clock moved (tests/conftest.py, FORUM_TEST_NOW) to the days that break date
# code: New Year's Eve, a leap day, and minutes before each night the clocks change in the city's time zone.
DATES ?= 2026-12-31T23:30+01:00 2028-02-29T12:00+01:00 2027-03-28T01:58+01:00 2027-10-31T02:58+02:00
test-dates: install-test
	@for moment in $(DATES); do \
		echo "== the suite with the clock at $$moment"; \
		FORUM_TEST_DATABASES=sqlite FORUM_TEST_NOW=$$moment $(BIN)/python -m pytest -n $(TEST_WORKERS) -q -m "not slow" $(PYTEST_ARGS) || exit 1; \
	done

# For translators: pull new strings out of the code and into every catalogue.
messages: $(BIN)/python
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 --add-comments=Translators: \
		--sort-by-file --no-wrap --project=forum-app -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-wrap --ignore-obsolete --no-fuzzy-matching

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache
