"""Reads of the agency tree. Everything starts from ``visible_to``."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404

from eiso.core.roles import Action
from eiso.core.scoping import user_scope
from eiso.core.search import field_rank
from eiso.core.text import search_fold
from eiso.organizations.models import Agency, AgencyKind, Department

AGENCY_ORDERINGS = {
    "code": "code",
    "-code": "-code",
    "name": "name",
    "-name": "-name",
    "tier": "tier",
    "-tier": "-tier",
    "kind": "kind__sort_order",
    "-kind": "-kind__sort_order",
    "path": "path",
}


def agency_list(
    *,
    user,
    q: str = "",
    kind: str = "",
    tier: str = "",
    status: str = "",
    parent: Agency | None = None,
    ordering: str = "path",
    action: Action = Action.VIEW,
) -> QuerySet[Agency]:
    """Agencies the user may see, filtered; one query whatever the number of rows. A search
    (``q``, accents ignored) lists the best matches first unless another order is asked:
    see ``search``."""
    qs = Agency.objects.visible_to(user, action=action).select_related("kind", "parent")
    if q:
        qs = search(qs, q)
    if kind:
        qs = qs.filter(kind__code=kind)
    if tier:
        qs = qs.filter(tier=tier)
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "inactive":
        qs = qs.filter(is_active=False)
    if parent is not None:
        qs = qs.filter(path__startswith=parent.path)
    order = AGENCY_ORDERINGS.get(ordering, "path")
    if q and order == "path":
        return qs.order_by("match", "path", "pk")
    return qs.order_by(order, "pk")


def search(qs: QuerySet[Agency], q: str) -> QuerySet[Agency]:
    """The agencies of ``qs`` matching ``q`` (accents and case ignored, in the code, names or
    address), annotated with ``match``: 0 the name, short name or code is exactly ``q``, 1 it
    starts with ``q``, 2 ``q`` starts a word of a name ("an phu" → "UBND xã An Phú"), 3 it is
    elsewhere (inside a word, in the address) — order by it for the best match first."""
    return qs.filter(search_text__contains=search_fold(q)).annotate(match=field_rank(q))


def agency_get(*, user, pk: int, action: Action = Action.VIEW) -> Agency:
    """One agency in the user's scope for ``action``, else 404 (never 403)."""
    try:
        return (
            Agency.objects.visible_to(user, action=action)
            .select_related("kind", "parent", "successor")
            .get(pk=pk)
        )
    except (Agency.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def agency_by_code(*, user, code: str, action: Action = Action.VIEW) -> Agency:
    try:
        return Agency.objects.visible_to(user, action=action).get(code=code)
    except Agency.DoesNotExist:
        raise Http404 from None


def agency_children(*, user, agency: Agency) -> QuerySet[Agency]:
    """Visible children with the number of their own children (for the tree view)."""
    return (
        Agency.objects.visible_to(user)
        .filter(parent=agency)
        .select_related("kind")
        .annotate(child_count=Count("children"))
        .order_by("kind__sort_order", "name")
    )


def top_agencies(*, user, paths=None) -> QuerySet[Agency]:
    """The topmost agencies the user may see: those whose parent is not visible to them; only
    those at ``paths`` when given."""
    visible = Agency.objects.visible_to(user)
    if paths is None:
        return visible.exclude(parent__in=visible).order_by("path")
    # A few candidates: each one's parent looked up by its key, not every visible agency hashed.
    candidates = visible.filter(path__in=paths)
    return candidates.exclude(Exists(visible.filter(pk=OuterRef("parent_id")))).order_by("path")


def agency_roots(*, user) -> QuerySet[Agency]:
    """The topmost agencies the user may see, with their kind and number of children."""
    return top_agencies(user=user).select_related("kind").annotate(child_count=Count("children"))


def reached_root(*, user, action: Action, pk=None, code: str = "") -> Agency | None:
    """The subtree a page of ``action`` (overseeing) shows: the agency named by ``pk`` or
    ``code`` among those the user reaches for it (another is a 404, like one that does not
    exist), else the top of what they reach when that is one agency, else None (everything they
    reach). Anyone who reaches nothing gets a 404. The top is looked for among the scope's
    subtrees only: not every agency of a national overseer's 5,001 (8 ms on each request)."""
    scope = user_scope(user, action)
    if scope.empty:
        raise Http404
    if pk not in (None, ""):
        return agency_get(user=user, pk=pk, action=action)
    if code:
        return agency_by_code(user=user, code=code, action=action)
    paths = None if scope.everything else list(scope.subtree_paths)
    roots = list(top_agencies(user=user, paths=paths)[:2])
    return roots[0] if len(roots) == 1 else None


def agency_choices(*, user, action: Action = Action.VIEW) -> QuerySet[Agency]:
    """Active agencies for a select box."""
    return Agency.objects.visible_to(user, action=action).filter(is_active=True).order_by("path")


def kind_list() -> QuerySet[AgencyKind]:
    return AgencyKind.objects.all()


def kind_counts(*, user) -> dict[str, int]:
    rows = Agency.objects.visible_to(user).values("kind__code").annotate(n=Count("pk"))
    return {row["kind__code"]: row["n"] for row in rows}


def department_list(*, user, agency: Agency | None = None) -> QuerySet[Department]:
    qs = Department.objects.visible_to(user).select_related("agency")
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.order_by("agency__path", "name")


def department_get(*, user, pk: int, action: Action = Action.VIEW) -> Department:
    try:
        return (
            Department.objects.visible_to(user, action=action).select_related("agency").get(pk=pk)
        )
    except (Department.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def agency_predecessors(*, user, agency: Agency) -> QuerySet[Agency]:
    """The agencies merged or split into ``agency`` (their successor is ``agency``)."""
    return (
        Agency.objects.visible_to(user)
        .filter(successor=agency)
        .select_related("kind")
        .order_by("active_to", "path")
    )


def reorganisation_candidates(
    *, user, q: str = "", selected: list[int] | None = None, limit: int = 50
) -> list[Agency]:
    """Active agencies the user manages that match ``q`` (accents ignored), for choosing the
    agencies to merge or split — and those already chosen, whatever ``q``."""
    qs = agency_choices(user=user, action=Action.MANAGE_AGENCIES).select_related("parent")
    found = list(search(qs, q).order_by("match", "path")[:limit]) if q else []
    chosen = list(qs.filter(pk__in=selected)) if selected else []
    seen = {a.pk for a in chosen}
    return chosen + [a for a in found if a.pk not in seen]
