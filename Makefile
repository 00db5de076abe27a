# Two commands on a fresh machine with Python 3.11, git and make:
#   make run   — demo PF on http://127.0.0.1:8000 (SQLite + embedded search)
#   make test  — the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: install run test lint migrate demo clean bench messages

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py search_reindex

run: demo
	$(BIN)/python manage.py runserver $(HOST)

test: install
	$(BIN)/python -m pytest

# The English catalogue: collect the Japanese source strings into locale/en, then compile
# (templates/wagtailadmin overrides keep Wagtail's own English msgids and catalogue).
messages: install
	$(BIN)/python manage.py makemessages -l en --no-obsolete --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'templates/wagtailadmin/*'
	$(BIN)/python manage.py compilemessages -l en --ignore '.venv'

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

bench: install
	$(BIN)/python bench/search.py
	$(BIN)/python bench/match.py

clean:
	rm -rf var/*.sqlite3 var/media
