"""Correlated counts (eiso/core/subqueries.py): each row of a list gets its own count, 0 when
there is none, in the list's one query."""

from __future__ import annotations

import pytest
from django.db.models import OuterRef

from eiso.core.subqueries import count_of, count_rows
from eiso.organizations.models import Agency
from eiso.organizations.tests.factories import AgencyFactory


@pytest.mark.django_db
def test_each_row_counts_its_own_rows_and_none_is_zero(world, django_assert_num_queries):
    AgencyFactory(code="A1", parent=world.A, is_active=False)
    AgencyFactory(code="A2", parent=world.A)
    agencies = Agency.objects.filter(code__in=["P", "A", "B", "A1"]).order_by("code")
    expected = {
        a.code: (
            Agency.objects.filter(parent=a).count(),
            Agency.objects.filter(parent=a, is_active=True).count(),
        )
        for a in agencies
    }
    assert expected["A"] == (2, 1) and expected["A1"] == (0, 0)
    children = Agency.objects.filter(parent=OuterRef("pk"))
    with django_assert_num_queries(1):
        counted = {
            a.code: (a.children_n, a.active_n)
            for a in agencies.annotate(
                children_n=count_of(Agency.objects.all(), "parent"),
                active_n=count_rows(children.filter(is_active=True), "parent"),
            )
        }
    assert counted == expected


@pytest.mark.django_db
def test_the_outer_row_may_be_matched_on_another_column(world):
    """``outer``: the counted rows point at one of the outer row's columns, not its key (here
    agencies counted by their parent: the outer row's siblings, itself included)."""
    siblings = Agency.objects.filter(code__in=["A", "B"]).annotate(
        n=count_of(Agency.objects.all(), "parent", outer="parent")
    )
    same_parent = Agency.objects.filter(parent=world.A.parent).count()
    assert {a.code: a.n for a in siblings} == {"A": same_parent, "B": same_parent}
