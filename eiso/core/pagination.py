"""A paginator whose count stays cheap at millions of rows.

Django's ``Paginator`` counts every matching row (``SELECT COUNT(*)``) on every page: 60–110 ms
at 500,000 audit events on PostgreSQL, and growing with the trail. A list page needs the total
only to say "1–50 of N" and to offer the last page, so ``CheapPaginator`` counts **exactly up
to a cap** (``COUNT_CAP``, 10,000 rows: the count stops reading there, a few milliseconds) and,
past it, says so: "more than 10,000" — or, on PostgreSQL, the planner's estimate of the whole
count ("about 500,000 (estimated)", from ``EXPLAIN``, i.e. the table statistics; no row is
read). Pages past the cap still open (the next page is known from one extra row), only the
"last page" link is gone. Below the cap nothing changes: same count, same pages, same queries.

A search (``keys_first``) reads its matches once: the count and the page both had to find every
match (a word inside the text is found through the trigram index or by reading the scope's
rows: the whole cost of such a list), so the paginator reads the ordered keys of at most cap + 1
matches, counts them, and fetches the page's rows by key. Past the cap it pages as above.

``ScopedListView`` uses it for every list; the label is ``paginator.count_label`` (empty when
the count is exact) and ``paginator.exact``."""

from __future__ import annotations

import json
import math

from django.core.paginator import EmptyPage, Page, Paginator
from django.db import DatabaseError, connections, transaction
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

COUNT_CAP = 10_000


class CheapPage(Page):
    """A page of a list whose count is not exact: whether a next page exists comes from one
    extra row read with the page."""

    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def next_page_number(self) -> int:
        if not self.more:
            raise EmptyPage(_("That page contains no results"))
        return self.number + 1

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1


class CheapPaginator(Paginator):
    """``Paginator`` with the count capped at ``cap`` (see the module's docstring)."""

    def __init__(
        self, object_list, per_page, *, cap: int | None = None, keys_first: bool = False, **kwargs
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap
        self.exact = True
        self.estimate: int | None = None
        self.keys_first = keys_first and hasattr(object_list, "query")
        self._keys: list | None = None

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not hasattr(queryset, "query"):
            return len(queryset)
        if self.keys_first:
            # In the list's order, so that a page is a slice of them.
            self._keys = list(queryset.values_list("pk", flat=True)[: self.cap + 1])
            if len(self._keys) <= self.cap:
                return len(self._keys)
            self._keys = None
            self.exact = False
            estimate = planner_estimate(queryset)
            self.estimate = estimate if estimate and estimate > self.cap else None
            return self.cap
        # Only the primary keys of at most cap + 1 rows: the annotations a list shows are not
        # computed for counting, and the count stops at the cap.
        found = queryset.order_by().values("pk")[: self.cap + 1].count()
        if found <= self.cap:
            return found
        self.exact = False
        estimate = planner_estimate(queryset)
        self.estimate = estimate if estimate and estimate > self.cap else None
        return self.cap

    @property
    def count_label(self) -> str:
        """How the total is said when it is not exact ("" when it is)."""
        count = self.count  # sets exact / estimate
        if self.exact:
            return ""
        if self.estimate:
            return _("about %(count)s (estimated)") % {
                "count": number_format(_rounded(self.estimate), force_grouping=True)
            }
        return _("more than %(count)s") % {"count": number_format(count, force_grouping=True)}

    def validate_number(self, number):
        if self.count and not self.exact:
            try:
                number = int(number)
            except (TypeError, ValueError):
                return super().validate_number(number)  # raises PageNotAnInteger
            if number < 1:
                raise EmptyPage(_("That page number is less than 1"))
            return number
        return super().validate_number(number)

    def page(self, number):
        number = self.validate_number(number)
        if self.exact and self._keys is not None:
            bottom = (number - 1) * self.per_page
            keys = self._keys[bottom : bottom + self.per_page]
            found = {row.pk: row for row in self.object_list.filter(pk__in=keys)} if keys else {}
            return self._get_page([found[k] for k in keys if k in found], number, self)
        if self.exact:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(_("That page contains no results"))
        return CheapPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)


def _rounded(value: int) -> int:
    """Two significant digits: an estimate is not more precise than that."""
    if value < 100:
        return value
    step = 10 ** (int(math.log10(value)) - 1)
    return int(round(value / step) * step)


def planner_estimate(queryset) -> int | None:
    """PostgreSQL's estimate of how many rows ``queryset`` returns (``EXPLAIN``: statistics
    only, nothing read); None on other databases or when it cannot tell."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        with transaction.atomic(using=queryset.db), connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
    except DatabaseError:  # an estimate is a courtesy: never fail the page for it
        return None
    if isinstance(plan, str):
        plan = json.loads(plan)
    try:
        return int(plan[0]["Plan"]["Plan Rows"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None
