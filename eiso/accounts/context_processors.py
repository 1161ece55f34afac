from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from eiso.accounts.navigation import items_for
from eiso.core.notifications import unread_after_visit


def active_url_name(items, path: str) -> str:
    """The entry whose URL is the longest prefix of the current path ("/" only exactly)."""
    best, best_length = "", -1
    for item in items:
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        matches = path == url if url == "/" else path.startswith(url)
        if matches and len(url) > best_length:
            best, best_length = item.url_name, len(url)
    return best


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
        "nav_active": active_url_name(items, request.path),
        "active_membership": membership,
        "memberships": getattr(request, "memberships", []),
        # Showing a page clears the notifications that link to it.
        "unread_notifications": unread_after_visit(user=user, path=request.path),
    }
