"""What every public page shares: Vietnamese, a rate limit per client address, the page cache
where the page is the same for everyone, and no session — nothing here reads or writes one
(the public templates use neither ``user`` nor ``messages``)."""

from __future__ import annotations

from functools import wraps

from django.http import Http404
from django.shortcuts import render
from django.utils import translation

from eiso.portal import cache, guards


def too_many(request, retry_after: int):
    response = render(request, "portal/429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def not_found(request):
    """The portal's own 404 (the site's would carry the signed-in layout and its cookies)."""
    return render(request, "portal/404.html", status=404)


def public_page(view=None, *, scope: str = "page", cached: bool = True):
    """Decorate a public view: throttled per address (``scope``), rendered in Vietnamese,
    cached when ``cached`` (only pages that are the same for every visitor)."""

    def decorate(function):
        inner = cache.cached_page(function) if cached else function

        @wraps(function)
        def wrapper(request, *args, **kwargs):
            wait = guards.throttle(request, scope)
            with translation.override("vi"):
                if wait is not None:
                    return too_many(request, wait)
                try:
                    response = inner(request, *args, **kwargs)
                except Http404:
                    return not_found(request)
                if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                    response.render()
            return response

        return wrapper

    return decorate(view) if view is not None else decorate
