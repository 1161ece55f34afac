"""Numbers for the home pages, aggregated in SQL."""

from __future__ import annotations

from django.db.models import Count, Q

from eiso.core.roles import Action
from eiso.core.scoping import user_scope
from eiso.organizations.models import Agency


def agency_overview(*, user, root: Agency | None = None) -> dict:
    """Counts of the agencies a user oversees, by tier: one query."""
    qs = Agency.objects.visible_to(user)
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    by_tier = qs.values("tier").annotate(
        total=Count("pk"),
        active=Count("pk", filter=Q(is_active=True)),
        must_apply=Count("pk", filter=Q(is_active=True, must_apply=True)),
    )
    rows = {row["tier"]: row for row in by_tier}
    return {
        "rows": rows,
        "total": sum(r["active"] for r in rows.values()),
        "must_apply": sum(r["must_apply"] for r in rows.values()),
    }


def can_oversee(user) -> bool:
    return not user_scope(user, Action.OVERSEE).empty
