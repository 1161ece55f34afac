"""The database configured for this workload (config/settings.py, README "Configuration"): JIT
off on PostgreSQL, connections kept for a while and checked before reuse."""

from __future__ import annotations

import pytest
from django.db import connection


def test_connections_are_kept_and_checked_before_reuse(settings):
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        assert database["CONN_MAX_AGE"] == 0  # a file: nothing to keep
        assert "options" not in database.get("OPTIONS", {})
    else:
        assert database["CONN_MAX_AGE"] > 0
        assert database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT setting")
def test_on_postgresql_the_apps_connections_run_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
