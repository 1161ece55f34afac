from __future__ import annotations

from functools import lru_cache

from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from eiso.accounts.navigation import items_for
from eiso.core.notifications import unread_after_visit


def active_url_name(items, path: str) -> str:
    """The entry whose URL is the longest prefix of the current path ("/" only exactly)."""
    return _active(_urls(tuple(item.url_name for item in items), get_script_prefix()), path)


@lru_cache(maxsize=64)
def _urls(url_names: tuple[str, ...], prefix: str) -> tuple[tuple[str, str], ...]:
    """``(url name, URL)`` of the menu's entries, reversed once per process."""
    found = []
    for name in url_names:
        try:
            found.append((name, reverse(name)))
        except NoReverseMatch:
            continue
    return tuple(found)


def _active(urls, path: str) -> str:
    best, best_length = "", -1
    for name, url in urls:
        matches = path == url if url == "/" else path.startswith(url)
        if matches and len(url) > best_length:
            best, best_length = name, len(url)
    return best


@lru_cache(maxsize=64)
def _sections(role, superuser: bool, on_team: bool, language: str) -> dict[str, list]:
    """The menu's entries of a role by section (the section's name translated): code, not
    data, so sorted once per process and language."""
    sections: dict[str, list] = {}
    for item in items_for(role, superuser=superuser, on_team=on_team):
        sections.setdefault(str(item.section), []).append(item)
    return sections


@lru_cache(maxsize=512)
def _sidebar(role, superuser: bool, on_team: bool, active: str, language: str, prefix: str) -> str:
    """The side menu's HTML: the same for everyone of a role, page and language, so rendered
    once per process."""
    html = render_to_string(
        "accounts/includes/sidebar.html",
        {"nav_sections": _sections(role, superuser, on_team, language), "nav_active": active},
    )
    return mark_safe(html)  # noqa: S308 - our own template, rendered with autoescape


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = getattr(request, "membership", None)
    role, superuser, language = (
        membership.role if membership else None,
        user.is_superuser,
        get_language(),
    )
    # whether the person is on an inspection team: read with the memberships, no query
    on_team = any(
        getattr(m, "on_inspection_team", False) for m in getattr(request, "memberships", None) or ()
    )
    active = active_url_name(items_for(role, superuser=superuser, on_team=on_team), request.path)
    return {
        "nav_sections": _sections(role, superuser, on_team, language),
        "nav_active": active,
        "sidebar": _sidebar(role, superuser, on_team, active, language, get_script_prefix()),
        "active_membership": membership,
        "memberships": getattr(request, "memberships", []),
        # Showing a page clears the notifications that link to it.
        "unread_notifications": unread_after_visit(user=user, path=request.path),
    }
