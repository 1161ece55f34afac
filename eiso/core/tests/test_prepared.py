"""Prepared statements on PostgreSQL (eiso/core/prepared.py): the connection binds on the
server and prepares a statement it keeps running; never one with LIKE; the rows are the same."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from eiso.accounts.selectors import active_memberships
from eiso.core import prepared
from eiso.core.models import Notification
from eiso.organizations.models import Agency

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql"
    or not settings.DATABASES["default"].get("OPTIONS", {}).get("server_side_binding"),
    reason="PostgreSQL's prepared statements (DB_PREPARE)",
)


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def _run(queryset, times: int) -> list:
    return [list(queryset.values_list("code", flat=True)) for _ in range(times)]


@on_postgresql
@pytest.mark.django_db
def test_the_connection_uses_the_cursor_and_prepares_what_it_keeps_running(world):
    connection.ensure_connection()
    assert connection.connection.cursor_factory is prepared.PreparedCursor
    assert connection.connection.prepare_threshold == settings.PREPARE_THRESHOLD
    answers = _run(Agency.objects.filter(parent=world.P).order_by("code"), 8)
    assert answers == [["A", "B"]] * 8
    assert any(
        "organizations_agency" in s and '"parent_id" = $1' in s for s in _prepared_statements()
    )
    # the memberships of every request: their LIKE compares columns, no pattern is given
    for _ in range(8):
        assert [m.agency for m in active_memberships(user=world.dung)] == [world.P]
    assert [s for s in _prepared_statements() if "reaches_predecessors" in s]


@on_postgresql
@pytest.mark.django_db
def test_a_like_statement_is_never_prepared_and_finds_the_same_rows(world):
    connection.ensure_connection()
    under_p = Agency.objects.filter(path__startswith=world.P.path).order_by("code")
    assert _run(under_p, 8) == [["A", "B", "P"]] * 8
    assert not [s for s in _prepared_statements() if "LIKE" in s]
    # the same statement without LIKE is prepared
    by_ids = Agency.objects.filter(pk__in=[world.A.pk, world.B.pk, world.P.pk]).order_by("code")
    assert _run(by_ids, 8) == [["A", "B", "P"]] * 8
    assert [s for s in _prepared_statements() if '"id" IN ($1, $2, $3)' in s]
    # a LIKE on a url (the page's notifications) is prepared
    client_page = Notification.objects.filter(user=world.an, url__startswith="/documents/")
    for _ in range(8):
        assert client_page.count() == 0
    assert [s for s in _prepared_statements() if '"url"::text LIKE' in s]


def test_install_leaves_other_databases_alone():
    databases = {
        "pg": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"server_side_binding": True}},
        "pg_client": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {}},
        "lite": {"ENGINE": "django.db.backends.sqlite3", "OPTIONS": {}},
    }
    prepared.install(databases)
    assert databases["pg"]["OPTIONS"]["cursor_factory"] is prepared.PreparedCursor
    assert "cursor_factory" not in databases["pg_client"]["OPTIONS"]
    assert "cursor_factory" not in databases["lite"]["OPTIONS"]


def test_which_statements_depend_on_a_pattern():
    # as Django hands them to the cursor: parameters are %s
    notifications = (
        'SELECT COUNT(*) FROM "core_notification" WHERE ("core_notification"."user_id" = %s AND '
        '("core_notification"."url" = %s OR "core_notification"."url"::text LIKE %s))'
    )
    memberships = (
        'SELECT (CASE WHEN "m".role IN (\'overseer\') THEN EXISTS (SELECT 1 FROM "a" p JOIN "a" s '
        "ON s.id = p.successor_id WHERE s.path LIKE own.path || '%' AND NOT p.path LIKE "
        'own.path || \'%\') ELSE FALSE END) FROM "m" WHERE "m"."user_id" = %s'
    )
    for query in (notifications, memberships, 'SELECT 1 FROM "t" WHERE "t"."id" = %s'):
        assert not prepared.depends_on_pattern(query), query
    for query in (
        'SELECT 1 FROM "a" WHERE "a"."path"::text LIKE %s',
        'SELECT 1 FROM "a" WHERE ("a"."path"::text LIKE %s OR "a"."id" IN (%s))',
        'SELECT 1 FROM "d" WHERE "d"."search_text"::text LIKE %s AND "d"."agency_id" = %s',
        'SELECT 1 FROM "u" WHERE UPPER("u"."full_name"::text) LIKE UPPER(%s)',
        'SELECT 1 FROM "u" WHERE "u"."email"::text ILIKE %s',
        notifications + ' AND "a"."path"::text LIKE %s',
        memberships + ' AND "a"."path"::text LIKE %s',
        # raw SQL with named parameters (the benchmarks' floors)
        "SELECT count(*) FROM a WHERE a.path LIKE %(scope)s AND a.search_text LIKE %(q)s",
        "SELECT 1 FROM d JOIN a ON a.id = d.agency_id WHERE a.path LIKE %(scope)s LIMIT 25",
    ):
        assert prepared.depends_on_pattern(query), query
    assert not prepared.depends_on_pattern("SELECT 1 FROM a WHERE a.id = %(agency)s")


def test_a_search_with_long_patterns_and_column_likes():
    # a ranking on names folded in SQL (as the agency search's was): 700-character translation
    # tables without spaces, several LIKEs per statement
    table = "'" + "ÀÁÂÃ" * 175 + "', '" + "AAAA" * 175 + "'"
    folded = f'LOWER(TRANSLATE("organizations_agency"."name", {table}))::text'
    ranking = (
        f"CASE WHEN ({folded} LIKE REPLACE(REPLACE(%s, E'\\\\', E'\\\\\\\\'), E'%%', E'\\\\%%') "
        "|| '%%') THEN 1 ELSE 2 END"
    )
    query = f'SELECT {ranking} FROM "organizations_agency" WHERE "organizations_agency".id = %s'
    assert prepared.depends_on_pattern(query)
    columns_only = query.replace("REPLACE(REPLACE(%s,", 'REPLACE(REPLACE("a"."code",')
    assert not prepared.depends_on_pattern(columns_only)
