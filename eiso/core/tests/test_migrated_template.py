"""The migrated PostgreSQL database kept as a template (conftest.py): it is there, named by the
digest of the migrations, and the test database made from it holds every migration on disk.
(The template itself is not opened here: PostgreSQL copies a database only while no one is
connected to it, and another worker may be copying it.)"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from eiso.core.testing import MIGRATED_TEMPLATE_PREFIX, migrated_template, migrations_digest

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="PostgreSQL only: SQLite's migrated test database is kept as a file",
    ),
    pytest.mark.skipif(
        os.environ.get("EISO_TEST_DB_CACHE") == "0", reason="EISO_TEST_DB_CACHE=0: nothing kept"
    ),
]


@pytest.mark.django_db
def test_the_test_database_was_made_from_the_kept_template_with_every_migration():
    assert migrated_template(connection.settings_dict) == (
        f"{MIGRATED_TEMPLATE_PREFIX}{migrations_digest()}"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = set(cursor.fetchall())
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    assert on_disk <= applied


@pytest.mark.django_db
def test_migrations_never_kept_have_no_template(monkeypatch):
    """Another set of migrations (a changed or new one: another digest) finds no template, so
    its first test database is migrated, not copied from one made by other migrations."""
    from eiso.core import testing

    monkeypatch.setattr(testing, "migrations_digest", lambda: "0" * 20)
    assert migrated_template(connection.settings_dict) is None
