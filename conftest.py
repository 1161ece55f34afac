import gc
import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management.commands import migrate

from eiso.core.testing import (
    MIGRATED_TEMPLATE_PREFIX,
    build_world,
    keeps_test_caches,
    migrations_digest,
    postgres_admin,
)


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def _no_axes_between_tests(settings):
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _sign_in_hardening_off_between_tests(settings):
    """Tests sign people in with ``force_login`` and move clocks: the second factor and the
    idle timeout are tested where they are built (eiso/accounts/tests, e2e/test_two_factor.py)
    and off elsewhere."""
    settings.TWO_FACTOR_REQUIRED_ROLES = []
    settings.SESSION_IDLE_MINUTES = 0


@pytest.fixture(autouse=True)
def _no_cache_between_tests():
    """What one test left in the cache (a kept dashboard, rate limits, cached pages) never
    reaches the next: rows are rolled back, their ids come again."""
    cache.clear()
    yield
    cache.clear()


# --- the migrated test database, kept between runs -------------------------------------------
#
# On SQLite the test database lives in memory, so every run migrated it from scratch (seconds
# of every ``make test``). The first run keeps a copy of the migrated database in
# data/test-cache/, named by a digest of every migration (and of the project modules they
# import) and of Django's version; the next runs copy it into memory instead of migrating. A
# changed or new migration gives another digest, hence a fresh migration. EISO_TEST_DB_CACHE=0
# or --create-db turns it off. A file test database (the browser tests', `make e2e`) is filled
# from the same cache.
#
# On PostgreSQL the first process to migrate a default database with a digest keeps it as the
# database ``eiso_migrated_<digest>`` (one at a time: an advisory lock); every other test
# database of that digest is created from it as a template (CREATE DATABASE … TEMPLATE, well
# under a second) instead of migrating again (8–15 s of CPU each on a fast machine, several
# times that on a slow one: the suite's two workers, the read replica's step and the backup
# round trip all migrated). This one holds with --create-db
# too (the test databases are still created anew); EISO_TEST_DB_CACHE=0 turns it off.

KEEP_CACHED = 4


def _postgres_from_template(connection, migrate_anew):
    """Make ``connection``'s fresh test database a copy of the kept migrated one, or migrate it
    (``migrate_anew``) and keep it for the others."""
    template = f"{MIGRATED_TEMPLATE_PREFIX}{migrations_digest()}"
    name = connection.settings_dict["NAME"]
    with postgres_admin(connection.settings_dict) as admin:
        # Held until this connection closes: the other worker waits instead of migrating too.
        admin.execute("SELECT pg_advisory_lock(hashtext('eiso_migrated'))")
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone():
            connection.close()
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return None
        result = migrate_anew()
        connection.close()  # a template takes no other connection while it is copied
        admin.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')
        kept = admin.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY oid",
            [MIGRATED_TEMPLATE_PREFIX.replace("_", r"\_") + "%"],
        ).fetchall()
        for (old,) in kept[:-KEEP_CACHED]:  # other branches' migrations, long gone
            admin.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
        return result


@pytest.fixture(scope="session", autouse=True)
def _migrated_database_cache(request):
    on_sqlite = keeps_test_caches(request.config)
    on_postgres = os.environ.get("EISO_TEST_DB_CACHE") != "0"
    if not (on_sqlite or on_postgres):
        yield
        return
    handle = migrate.Command.handle
    folder = Path(django_settings.DATA_DIR) / "test-cache"

    def cached_handle(self, *args, **options):
        from django.db import DEFAULT_DB_ALIAS, connections

        connection = connections[options.get("database", DEFAULT_DB_ALIAS)]
        whole = not options.get("app_label") and not options.get("migration_name")
        if not whole:
            return handle(self, *args, **options)
        if connection.vendor == "postgresql" and on_postgres:
            if connection.alias != DEFAULT_DB_ALIAS:  # the replica's: no table of its own
                return handle(self, *args, **options)
            migrate.Command.handle = handle  # once, when the test database is created
            return _postgres_from_template(connection, lambda: handle(self, *args, **options))
        if connection.vendor != "sqlite" or not on_sqlite:
            return handle(self, *args, **options)
        migrate.Command.handle = handle  # once, when the test database is created
        cache = folder / f"{connection.alias}-{migrations_digest()}.sqlite3"
        connection.ensure_connection()
        try:  # read-only: a file pruned meanwhile by another run is not created empty
            with closing(sqlite3.connect(f"file:{cache}?mode=ro", uri=True)) as source:
                source.backup(connection.connection)
            return None
        except sqlite3.OperationalError:
            pass
        result = handle(self, *args, **options)
        folder.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.part")
        with closing(sqlite3.connect(partial)) as target:
            connection.connection.backup(target)
        os.replace(partial, cache)
        kept = sorted(folder.glob(f"{connection.alias}-*.sqlite3"), key=lambda p: p.stat().st_mtime)
        for old in kept[:-KEEP_CACHED]:  # other branches' migrations, long gone
            old.unlink(missing_ok=True)
        return result

    migrate.Command.handle = cached_handle
    yield
    migrate.Command.handle = handle


# --- running on two processes (pytest-xdist, `make test`) --------------------------------------
#
# The demo province is built once per package that needs it (eiso/demo/tests/conftest.py):
# its tests go to one worker together (``--dist loadgroup``) so it is built once, not once per
# worker; every other test is shared out one by one. The marker must be on the items before
# pytest-xdist reads it (its hook of the same name puts the group in the node id), hence tryfirst:
# when this conftest is registered before xdist's worker plugin, its hook would run after it.
# (pytest 9.2 keeps the node id elsewhere and xdist 3.8 then groups nothing: pyproject.toml.)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    demo_tests = Path(__file__).parent / "eiso" / "demo" / "tests"
    for item in items:
        if demo_tests in Path(item.fspath).parents:
            item.add_marker(pytest.mark.xdist_group("demo"))


# --- the garbage collector -------------------------------------------------------------------
#
# After collection every module, model and test item is alive for the whole run: frozen, the
# collector no longer walks them at each full collection, and it runs less often (a test makes
# and drops tens of thousands of objects).


def pytest_collection_finish(session):
    if os.environ.get("EISO_TEST_GC") == "0":
        return
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 50)
