"""Set-based writes (``bulk_create``, ``QuerySet.update``) skip what ``save()`` does besides
the SQL: this module gives back the part the rest of the house relies on."""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connections, models, router
from django.db.models.signals import post_save
from django.utils import timezone


def saved_in_bulk(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Tell ``post_save``'s listeners, once, that rows of ``model`` were written in bulk (a
    bulk write sends no signal). The listeners are cross-cutting (the public pages' cache
    moves on whatever row changed); a listener that needs each row must not rely on this."""
    if not objects:
        return
    post_save.send(
        sender=model,
        instance=objects[-1],
        created=True,
        update_fields=None,
        raw=False,
        using=router.db_for_write(model),
    )


def _converter(field: models.Field, connection):
    """How a value of ``field`` is written, for the fields whose Python value is not already
    what the driver takes (None: as it is)."""
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value, cls=field.encoder)
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, models.DecimalField | models.TimeField | models.UUIDField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def insert_objects(objects: Sequence[models.Model], *, batch: int = 1000) -> None:
    """INSERT ``objects`` (new instances of one model) as ``bulk_create`` does — the same
    columns, ``auto_now``/``auto_now_add`` set, each object's ``pk`` set from the database —
    in multi-row INSERTs of up to ``batch`` rows, without ``bulk_create``'s compiling of every
    value (most of its time on large batches). Values are taken as the driver takes them:
    text, numbers, booleans, dates; JSON, dates and moments are adapted per database."""
    if not objects:
        return
    model = type(objects[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if f is not meta.pk]
    now = timezone.now()
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for obj in objects:
        for field in stamped:
            setattr(obj, field.attname, now)
    converters = [(f.attname, _converter(f, connection)) for f in fields]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    pk = connection.ops.quote_name(meta.pk.column)
    if connection.vendor == "postgresql":
        _insert_copy(objects, fields, converters, connection, alias, table, columns, pk, batch)
        return
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, min(batch, 30_000 // len(fields)))  # SQLite: at most 32,766 parameters
    with connection.cursor() as cursor:
        for start in range(0, len(objects), size):
            chunk = objects[start : start + size]
            params: list = []
            for obj in chunk:
                values = obj.__dict__
                for attname, convert in converters:
                    value = values[attname]
                    params.append(value if convert is None or value is None else convert(value))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))} "
                f"RETURNING {pk}",
                params,
            )
            for obj, (pk_value,) in zip(chunk, cursor.fetchall(), strict=True):
                obj.pk = pk_value
                obj._state.adding = False
                obj._state.db = alias


def _insert_copy(objects, fields, converters, connection, alias, table, columns, pk, batch):
    """PostgreSQL: the ids taken from the table's sequence first (one statement per chunk),
    then the rows streamed with ``COPY`` (psycopg formats them in C; composing arrays or
    statements of thousands of parameters cost more than the insert)."""
    meta = type(objects[0])._meta
    sequence_sql = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"
    copy_sql = f"COPY {table} ({pk}, {columns}) FROM STDIN"
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch * 10):
            chunk = objects[start : start + batch * 10]
            cursor.execute(sequence_sql, [meta.db_table, meta.pk.column, len(chunk)])
            ids = [row[0] for row in cursor.fetchall()]
            with cursor.cursor.copy(copy_sql) as copy:
                for obj, pk_value in zip(chunk, ids, strict=True):
                    values = obj.__dict__
                    row = [pk_value]
                    for attname, convert in converters:
                        value = values[attname]
                        row.append(value if convert is None or value is None else convert(value))
                    copy.write_row(row)
            for obj, pk_value in zip(chunk, ids, strict=True):
                obj.pk = pk_value
                obj._state.adding = False
                obj._state.db = alias
