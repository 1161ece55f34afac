"""A column's identity computed directly (eiso/core/columns.py): the same tuple, hash and
equality as Django's generic identity, on the columns of real queries."""

from __future__ import annotations

from django.db.models import Count, F
from django.db.models.expressions import Col, Expression

from eiso.core import columns
from eiso.documents.models import Document, Revision
from eiso.organizations.models import Agency

generic = Expression.__dict__["identity"].func


def _columns_of(queryset) -> list[Col]:
    """Every ``Col`` of the compiled SELECT, WHERE and ORDER BY of ``queryset``."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    compiler.as_sql()
    found, stack = [], [expr for expr, _sql, _alias in compiler.select]
    stack += [compiler.where] if compiler.where is not None else []
    stack += [expr for expr, _ in compiler.get_order_by()]
    while stack:
        expression = stack.pop()
        if isinstance(expression, Col):
            found.append(expression)
        stack.extend(e for e in expression.get_source_expressions() if e is not None)
    return found


QUERIES = [
    lambda: Document.objects.select_related("agency", "department").order_by("agency", "code"),
    lambda: (
        Revision.objects.filter(document__agency__path__startswith="0001/")
        .select_related("document__agency", "decision")
        .order_by("-effective_date", "pk")
    ),
    lambda: Agency.objects.annotate(n=Count("departments")).order_by("path"),
    lambda: Document.objects.values("agency__name", "code").annotate(c=F("code")).order_by("c"),
]


def test_it_is_installed():
    assert columns.applies() is False  # Col now has its own identity: installed once
    assert Col.__dict__["identity"].func is columns._col_identity
    assert columns.install() is True


def test_real_columns_have_the_generic_identity_hash_and_equality():
    seen = []
    for make in QUERIES:
        found = _columns_of(make())
        assert found
        for col in found:
            assert type(col) is Col
            assert col.identity == generic(col)
            assert hash(col) == hash(generic(col))
        seen += found
    assert len(seen) > 40
    for a in seen[:60]:
        for b in seen[:60]:
            assert (a == b) == (generic(a) == generic(b))


def test_other_shapes_go_the_generic_way():
    field = Document._meta.get_field("code")

    class Special(Col):
        pass

    for col in (
        Col("T1", field),
        Col("T1", field, Document._meta.get_field("title")),
        Col(alias="T1", target=field),
        Col("T1", target=field, output_field=None),
        Special("T1", field),
    ):
        assert col.identity == generic(col)
    assert Col("T1", field) == Col("T1", field, None) == Col(alias="T1", target=field)
    assert Col("T1", field) != Col("T2", field)
    assert Col("T1", field) != Special("T1", field)


def test_a_changed_signature_is_left_alone():
    class Renamed:
        def __init__(self, alias, target, output_field=None, extra=None):
            pass

    class Required:
        def __init__(self, alias, target, output_field):
            pass

    class Plain:
        def __init__(self, alias, target, output_field=None):
            pass

    assert columns.applies(Plain) is True
    assert columns.applies(Renamed) is False
    assert columns.applies(Required) is False
