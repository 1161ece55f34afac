from __future__ import annotations

from eiso.accounts.navigation import items_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = getattr(request, "membership", None)
    items = items_for(membership.role if membership else None, superuser=user.is_superuser)
    sections: dict[str, list] = {}
    for item in items:
        sections.setdefault(str(item.section), []).append(item)
    return {
        "nav_sections": sections,
        "active_membership": membership,
        "memberships": getattr(request, "memberships", []),
    }
