"""The database configured for this workload (config/settings.py, README "Configuration"): JIT
off and random reads costed as in memory on PostgreSQL, connections kept for a while and
checked before reuse."""

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


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner setting")
def test_on_postgresql_random_reads_are_costed_as_in_memory():
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert float(cursor.fetchone()[0]) == 1.1


def test_the_planner_settings_can_be_left_to_the_server(monkeypatch):
    from config import settings as config

    monkeypatch.setenv("DB_RANDOM_PAGE_COST", "")
    monkeypatch.setenv("DB_JIT", "1")
    assert "options" not in config._database("postgres://u@h/db").get("OPTIONS", {})
    monkeypatch.setenv("DB_RANDOM_PAGE_COST", "2")
    monkeypatch.delenv("DB_JIT")
    options = config._database("postgres://u@h/db")["OPTIONS"]["options"]
    assert options == "-c jit=off -c random_page_cost=2.0"


def test_a_random_page_cost_that_is_not_a_number_is_refused_clearly(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config import settings as config

    monkeypatch.setenv("DB_RANDOM_PAGE_COST", "fast")
    with pytest.raises(ImproperlyConfigured, match="DB_RANDOM_PAGE_COST must be a number"):
        config._database("postgres://u@h/db")
