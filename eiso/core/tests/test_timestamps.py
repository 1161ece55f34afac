"""PostgreSQL's timestamps read by psycopg's compiled parser (eiso/core/timestamps.py): the same
values, in the same time zone, as Django's own loader gives."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from django.utils import timezone

from eiso.core import timestamps
from eiso.core.models import AuditEvent

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's loader"),
    pytest.mark.skipif(timestamps.COMPILED is None, reason="psycopg without its C part"),
]

UTC = datetime.UTC
TEXTS = {
    "2026-12-07 01:02:03+00": datetime.datetime(2026, 12, 7, 1, 2, 3, tzinfo=UTC),
    "2026-12-07 01:02:03.5+00": datetime.datetime(2026, 12, 7, 1, 2, 3, 500000, tzinfo=UTC),
    "2026-12-07 01:02:03.123456+07": datetime.datetime(2026, 12, 6, 18, 2, 3, 123456, tzinfo=UTC),
    "2024-02-29 23:59:59.999999-05:30": datetime.datetime(2024, 3, 1, 5, 29, 59, 999999, UTC),
    "1900-01-01 00:00:00+00": datetime.datetime(1900, 1, 1, tzinfo=UTC),
    "0001-01-01 00:00:00+00": datetime.datetime(1, 1, 1, tzinfo=UTC),
    "9999-12-31 23:59:59.999999+00": datetime.datetime(9999, 12, 31, 23, 59, 59, 999999, UTC),
}


@pytest.mark.django_db
def test_a_connection_reads_timestamps_with_the_compiled_loader():
    connection.ensure_connection()
    adapters = connection.connection.adapters
    loader = adapters.get_loader(adapters.types["timestamptz"].oid, 0)  # text
    assert issubclass(loader, timestamps.CompiledTzLoader)
    assert loader.timezone == connection.timezone == UTC
    with connection.cursor() as cursor:  # Django's own check leaves it in place
        cursor.execute("SELECT %s::timestamptz", ["2026-12-07 01:02:03+00"])
        assert cursor.cursor.adapters.get_loader(1184, 0) is loader


@pytest.mark.django_db
def test_the_values_are_those_of_django_s_loader():
    class DjangoLoader(BaseTzLoader):
        timezone = connection.timezone

    connection.ensure_connection()
    django_loader = DjangoLoader(1184, connection.connection)
    ours = timestamps.loader_for(connection.timezone)(1184, connection.connection)
    with connection.cursor() as cursor:
        for text, expected in TEXTS.items():
            cursor.execute("SELECT %s::timestamptz, %s::timestamptz::text", [text, text])
            read, as_text = cursor.fetchone()
            assert read == expected and read.tzinfo is UTC, text
            raw = as_text.encode()
            assert ours.load(raw) == django_loader.load(raw) == expected, text
            assert ours.load(raw).tzinfo is django_loader.load(raw).tzinfo
        cursor.execute("SELECT NULL::timestamptz")
        assert cursor.fetchone() == (None,)


@pytest.mark.django_db
def test_a_model_s_timestamps_round_trip(world):
    now = timezone.now()
    event = AuditEvent.objects.create(action="test", object_type="t", object_repr="x")
    read = AuditEvent.objects.get(pk=event.pk).created_at
    assert read == event.created_at and read.tzinfo is UTC
    assert abs(read - now) < datetime.timedelta(minutes=1)


def test_a_loader_per_time_zone():
    hanoi = datetime.timezone(datetime.timedelta(hours=7))
    assert timestamps.loader_for(hanoi).timezone is hanoi
    assert timestamps.loader_for(hanoi) is timestamps.loader_for(hanoi)
    assert timestamps.loader_for(UTC) is not timestamps.loader_for(hanoi)
