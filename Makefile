# e-ISO — the two commands: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export EISO_DEV ?= 1

.PHONY: run test install assets migrate demo lint format e2e test-postgres messages bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) requirements/dev.txt
	$(PY) -m pip install --quiet --upgrade pip uv
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements/dev.txt
	touch $(STAMP)

install: $(STAMP)

static/vendor/.stamp: package.json package-lock.json scripts/vendor.mjs
	npm ci --no-audit --no-fund --loglevel=error
	touch static/vendor/.stamp

assets: static/vendor/.stamp

migrate: install
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py seed_demo

run: install assets demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: install assets
	$(PY) -m pytest -m "not e2e"

e2e: install assets
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m e2e -p no:randomly

test-postgres: install assets
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(PY) -m pytest -m "not e2e" --create-db

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

messages: install
	bash scripts/messages.sh

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles
