import gc
import hashlib
import importlib.util
import os
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import django
import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management.commands import migrate

from eiso.core.testing import build_world, keeps_test_caches


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
# or --create-db turns it off; PostgreSQL is never cached. A file test database (the browser
# tests', `make e2e`) is filled from the same cache.

KEEP_CACHED = 4
_IMPORTED = re.compile(r"^\s*from (eiso[\w.]*) import", re.MULTILINE)


def _migrations_digest() -> str:
    from django.apps import apps

    digest = hashlib.sha256(django.get_version().encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        folder = Path(config.path) / "migrations"
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
            source = path.read_bytes()
            digest.update(f"{config.label}/{path.name}".encode() + source)
            for module in sorted(set(_IMPORTED.findall(source.decode()))):
                spec = importlib.util.find_spec(module)
                if spec and spec.origin:
                    digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()[:20]


@pytest.fixture(scope="session", autouse=True)
def _migrated_database_cache(request):
    if not keeps_test_caches(request.config):
        yield
        return
    handle = migrate.Command.handle
    folder = Path(django_settings.DATA_DIR) / "test-cache"

    def cached_handle(self, *args, **options):
        from django.db import connections

        connection = connections[options.get("database", "default")]
        whole = not options.get("app_label") and not options.get("migration_name")
        if connection.vendor != "sqlite" or not whole:
            return handle(self, *args, **options)
        migrate.Command.handle = handle  # once, when the test database is created
        cache = folder / f"{connection.alias}-{_migrations_digest()}.sqlite3"
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
