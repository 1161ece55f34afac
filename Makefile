# e-ISO — the two commands: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export EISO_DEV ?= 1
# Python's bytecode caches (__pycache__, git-ignored) are written even where the environment
# turns them off (PYTHONDONTWRITEBYTECODE): without them every test process, each pytest-xdist
# worker and each manage.py the backup tests start compiles Django and the project again
# (~15 s of CPU each time).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test test-slow install assets migrate demo lint format e2e test-postgres test-replica messages bench clean \
	lock fuzz audit celery-live bench-load

$(PY):
	$(PYTHON) -m venv $(VENV)

# Every package is installed from the lock files with its sha256 checked (uv itself too).
$(STAMP): $(PY) requirements/dev.txt requirements/tools.txt
	$(PY) -m pip install --quiet --require-hashes -r requirements/tools.txt
	$(VENV)/bin/uv pip install --quiet --python $(PY) --require-hashes -r requirements/dev.txt
	touch $(STAMP)

# Re-pin from pyproject.toml's ranges (existing pins are kept unless a range excludes them; add
# --upgrade by hand to move them): exact versions with the hashes of every file. The files must
# name no index and no registry host.
UV_COMPILE = $(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--custom-compile-command "make lock"
lock: $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements/tools.txt
	$(UV_COMPILE) requirements/tools.in -o requirements/tools.txt
	$(UV_COMPILE) pyproject.toml -o requirements/base.txt
	$(UV_COMPILE) pyproject.toml --extra dev -o requirements/dev.txt
	@if grep -nE "https?://|index-url|find-links|pythonhosted|pypi\.org" requirements/*.txt; then \
		echo "make lock: a lock file names an index or a registry host"; exit 1; fi

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

# On every core (pytest-xdist; the demo's tests stay on one worker: conftest.py). TEST_WORKERS=0
# runs in this process only (e.g. with --pdb).
TEST_WORKERS ?= auto
XDIST = $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadgroup)
# Only eiso/ is collected, and not its fuzzing modules: every test of e2e/ and of test_fuzz_*.py
# is marked e2e or fuzz, and importing them (Playwright, schemathesis) cost each worker a second;
# nor are the pytest plugins the suite does not use (schemathesis', faker's, anyio's, locust's:
# another 0.9 s of imports in each of the three processes).
UNUSED_PLUGINS = -p no:schemathesis -p no:faker -p no:anyio -p no:locust
test: install assets
	$(PY) -m pytest eiso --ignore-glob="*/test_fuzz_*.py" $(UNUSED_PLUGINS) \
		-m "not e2e and not fuzz and not celery and not replica and not slow" $(XDIST)

# The few end-to-end tests of tens of seconds of CPU each (marker "slow": the backup round trip,
# a year of the annual cycle day by day), a CI step of their own; test-postgres runs them too.
test-slow: install assets
	$(PY) -m pytest -m "slow and not e2e and not fuzz and not celery and not replica" $(XDIST)

# The browser tests' database is a file: the live server answers each request on its own
# connection (with an in-memory database every thread shares one, and a request still being
# answered locks tables under the next one: "database table is locked").
e2e: install assets
	rm -f data/e2e-test.sqlite3 data/e2e-test.sqlite3-wal data/e2e-test.sqlite3-shm
	DJANGO_ALLOW_ASYNC_UNSAFE=true TEST_DATABASE_NAME=$(CURDIR)/data/e2e-test.sqlite3 \
		$(PY) -m pytest -m "e2e and not celery" -p no:randomly

# The slow tests too, but the two that walk 2023 day by day (date logic; make test-slow runs them
# on SQLite), and not eiso/demo/tests (what the demo province holds: its build takes ~110 s of
# CPU on PostgreSQL; the backup round trip runs `seed_demo --quick` on PostgreSQL): CI's budget.
# Collected like make test (eiso/ only, no fuzzing modules, no unused plugins).
YEAR_2023 = eiso/cycle/tests/test_year_2023.py
test-postgres: install assets
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(PY) -m pytest eiso \
		--ignore-glob="*/test_fuzz_*.py" --ignore=eiso/demo/tests $(UNUSED_PLUGINS) \
		-m "not e2e and not fuzz and not celery and not replica" --create-db $(XDIST) \
		--deselect $(YEAR_2023)::test_every_day_of_2023_shows_each_obligation_as_the_dates_say \
		--deselect $(YEAR_2023)::test_reminders_fire_once_each_as_the_clock_moves

# The read replica as a second PostgreSQL database (a copy of the primary, eiso/core/tests/test_replica_postgres.py).
test-replica: install assets
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/eiso_primary} \
	DATABASE_REPLICA_URL=$${DATABASE_REPLICA_URL:-postgres://postgres@127.0.0.1:5432/eiso_replica} \
	DATABASE_REPLICA_TEST_SEPARATE=1 $(PY) -m pytest -m replica --create-db -p no:randomly eiso/core/tests/test_replica_postgres.py

# schemathesis over the whole API and hypothesis over every importer; prints the counts.
fuzz: install assets
	$(PY) -m pytest -m "fuzz and not celery" -p no:randomly -q -s

# A real Celery worker and beat against the Redis at 127.0.0.1:6379 (db 15, or 14-12 when
# another run holds it; flushed after).
celery-live: install
	$(PY) -m pytest -m celery -p no:randomly -q -rs eiso/core/tests/test_celery_live.py

# Known vulnerabilities of the pinned packages (says so plainly when the database is unreachable).
audit: install
	$(PY) scripts/audit_dependencies.py

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

# The mixed load test (locust against gunicorn, 20 then 50 people, 2 minutes each) on the country
# kept by bench/run.py --provinces 20 --keep (bench/README.md, "Load test").
bench-load: install
	$(PY) bench/load.py --users 20 50

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles
