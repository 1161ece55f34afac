"""Counts as correlated subqueries: one per row of a list, in the list's one query, instead of
joining every counted row and grouping (a join fans out, and several counts multiply; a list of
thousands grouped every revision or citation to count them, bench/README.md)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_rows(queryset, by: str) -> Coalesce:
    """``COUNT(*)`` of ``queryset``, which already refers to the outer row (``OuterRef``)
    through ``by``: its rows are grouped by ``by``, one group. 0 when there are none. ``*``, not
    the key: an index holding ``by`` and the conditions answers without reading the rows."""
    counted = queryset.order_by().values(by).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def count_of(queryset, field: str, *, outer: str = "pk") -> Coalesce:
    """``COUNT(*)`` of ``queryset``'s rows whose ``field`` is the outer row's ``outer``."""
    return count_rows(queryset.filter(**{field: OuterRef(outer)}), field)
